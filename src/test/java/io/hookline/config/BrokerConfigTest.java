package io.hookline.config;

import static io.hookline.config.ConfigLoaderTest.error;
import static io.hookline.config.ConfigLoaderTest.ghSource;
import static io.hookline.config.ConfigLoaderTest.load;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.HooklineConfig.DestinationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broker destinations' configuration: exactly one of url or a broker, each broker's keys checked and named. */
class BrokerConfigTest {
  static String destinations(String items) {
    return ghSource("    destinations:\n" + items);
  }

  @Test
  void eachBrokerKindLoadsWithItsKeysAndDefaults() {
    HooklineConfig c = load(destinations("""
              - id: stream
                kafka: { bootstrap: "127.0.0.1:9092,127.0.0.2:9092", topic: stripe-events, key: 'type' }
              - id: queue
                rabbitmq: { url: "amqp://guest:s3cret@127.0.0.1:5672", exchange: hooks, routingKey: 'type' }
              - id: bus
                nats: { url: "nats://127.0.0.1:4222", subject: '"hooks." + source' }
              - id: log
                redisStream: { url: "redis://127.0.0.1:6379", stream: hooks, maxLen: 1000000 }
              - id: plain
                rabbitmq: { url: "amqp://127.0.0.1" }
              - id: web
                url: http://127.0.0.1:9000/x
        """));
    List<DestinationConfig> d = c.sources().get(0).destinations();
    assertThat(d).extracting(DestinationConfig::kind)
        .containsExactly("kafka", "rabbitmq", "nats", "redisStream", "rabbitmq", "http");
    assertThat(d.get(0).broker()).isEqualTo(new HooklineConfig.Kafka("127.0.0.1:9092,127.0.0.2:9092", "stripe-events", "type"));
    HooklineConfig.RabbitMq rabbit = (HooklineConfig.RabbitMq) d.get(1).broker();
    assertThat(rabbit.exchange()).isEqualTo("hooks");
    assertThat(rabbit.routingKey()).isEqualTo("type");
    assertThat(((HooklineConfig.Nats) d.get(2).broker()).subject()).isEqualTo("\"hooks.\" + source");
    assertThat(((HooklineConfig.RedisStream) d.get(3).broker()).maxLen()).isEqualTo(1_000_000L);
    HooklineConfig.RabbitMq defaults = (HooklineConfig.RabbitMq) d.get(4).broker();
    assertThat(defaults.exchange()).isEmpty();
    assertThat(defaults.routingKey()).isNull();
    assertThat(d.get(0).url()).isNull();
    // The AMQP password never shows.
    assertThat(c.toString()).doesNotContain("s3cret").contains("amqp://guest:****@127.0.0.1:5672");
    assertThat(d.get(1).toString()).doesNotContain("s3cret");
  }

  @Test
  void aDestinationHasExactlyOneOfUrlOrABroker() {
    assertThat(error(destinations("      - id: x\n        timeout: 5s\n")))
        .contains("sources[0].destinations[0].url").contains("is required (or one of kafka, rabbitmq, nats, redisStream)");
    assertThat(error(destinations("""
              - url: http://127.0.0.1:9000/x
                kafka: { bootstrap: "127.0.0.1:9092", topic: t }
        """))).contains("sources[0].destinations[0].kafka").contains("exactly one of url or a broker");
    assertThat(error(destinations("""
              - kafka: { bootstrap: "127.0.0.1:9092", topic: t }
                nats: { url: "nats://127.0.0.1:4222", subject: 'type' }
        """))).contains("sources[0].destinations[0].nats").contains("already has kafka");
  }

  @Test
  void brokerKeysAreCheckedAndNamed() {
    assertThat(error(destinations("      - kafka: { topic: t }\n")))
        .contains("sources[0].destinations[0].kafka.bootstrap").contains("is required");
    assertThat(error(destinations("      - kafka: { bootstrap: \"localhost\", topic: t }\n")))
        .contains("sources[0].destinations[0].kafka.bootstrap");
    assertThat(error(destinations("      - kafka: { bootstrap: \"h:9092\", topic: t, acks: 1 }\n")))
        .contains("sources[0].destinations[0].kafka.acks").contains("unknown key");
    assertThat(error(destinations("      - rabbitmq: { url: \"http://h\" }\n")))
        .contains("sources[0].destinations[0].rabbitmq.url");
    assertThat(error(destinations("      - nats: { url: \"nats://h:4222\" }\n")))
        .contains("sources[0].destinations[0].nats.subject").contains("is required");
    assertThat(error(destinations("      - redisStream: { url: \"redis://h\", stream: s, maxLen: 0 }\n")))
        .contains("sources[0].destinations[0].redisStream.maxLen");
    assertThat(error(destinations("      - redisStream: { url: \"redis://h\" }\n")))
        .contains("sources[0].destinations[0].redisStream.stream");
  }

  @Test
  void kafkaTlsTakesPemFilesAndASecretKeyThatNeverShows(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    Path cert = Files.writeString(dir.resolve("client.pem"), "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n");
    String keyPem = "-----BEGIN PRIVATE KEY-----\nTOPSECRETKEYBYTES\n-----END PRIVATE KEY-----";
    Path key = Files.writeString(dir.resolve("client.key"), keyPem + "\n");
    HooklineConfig c = load(destinations("""
              - id: stream
                kafka:
                  bootstrap: "kafka-1:9093"
                  topic: t
                  tls: { caFile: "%s", certFile: "%s", key: "file:%s", keyPassword: "${KAFKA_KEY_PASSWORD}" }
              - id: trusted
                kafka: { bootstrap: "kafka-1:9093", topic: t, tls: {} }
        """.formatted(ca, cert, key)), java.util.Map.of("KAFKA_KEY_PASSWORD", "pw-hunter2"));
    HooklineConfig.Kafka k = (HooklineConfig.Kafka) c.sources().get(0).destinations().get(0).broker();
    assertThat(k.tls().caFile()).isEqualTo(ca.toString());
    assertThat(k.tls().certFile()).isEqualTo(cert.toString());
    assertThat(k.tls().key().value()).isEqualTo(keyPem);
    assertThat(k.tls().keyPassword().value()).isEqualTo("pw-hunter2");
    HooklineConfig.Kafka trusted = (HooklineConfig.Kafka) c.sources().get(0).destinations().get(1).broker();
    assertThat(trusted.tls()).isEqualTo(new HooklineConfig.KafkaTls(null, null, null, null));
    assertThat(c.toString()).doesNotContain("TOPSECRET").doesNotContain("hunter2").contains(ca.toString());
    assertThat(k.toString()).doesNotContain("TOPSECRET").doesNotContain("hunter2");
    assertThat(k.tls().describe()).doesNotContain("TOPSECRET").contains(cert.toString());
  }

  @Test
  void kafkaTlsMistakesNameTheirField(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("client.pem"), "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n");
    Path notPem = Files.writeString(dir.resolve("junk.pem"), "hello");
    String kafka = "      - kafka: { bootstrap: \"h:9093\", topic: t, tls: %s }\n";
    assertThat(error(destinations(kafka.formatted("{ caFile: \"" + dir.resolve("missing.pem") + "\" }"))))
        .contains("sources[0].destinations[0].kafka.tls.caFile").contains("cannot read");
    assertThat(error(destinations(kafka.formatted("{ caFile: \"" + notPem + "\" }"))))
        .contains("sources[0].destinations[0].kafka.tls.caFile").contains("no PEM CERTIFICATE block");
    assertThat(error(destinations(kafka.formatted("{ certFile: \"" + cert + "\" }"))))
        .contains("sources[0].destinations[0].kafka.tls.key").contains("is required with certFile");
    assertThat(error(destinations(kafka.formatted("{ key: \"file:" + cert + "\" }"))))
        .contains("sources[0].destinations[0].kafka.tls.certFile").contains("is required with key");
    assertThat(error(destinations(kafka.formatted("{ certFile: \"" + cert + "\", key: \"not-a-key\" }"))))
        .contains("sources[0].destinations[0].kafka.tls.key").contains("is not a PEM private key").doesNotContain("not-a-key");
    assertThat(error(destinations(kafka.formatted("{ verify: false }"))))
        .contains("sources[0].destinations[0].kafka.tls.verify").contains("unknown key");
  }

  @Test
  void kafkaSaslTakesAMechanismAUserAndASecretPasswordThatNeverShows() {
    HooklineConfig c = load(destinations("""
              - id: cloud
                kafka:
                  bootstrap: "pkc-1.eu-west-1.aws.confluent.cloud:9092"
                  topic: t
                  tls: {}
                  sasl: { mechanism: PLAIN, username: "${KAFKA_API_KEY}", password: "${KAFKA_API_SECRET}" }
              - id: msk
                kafka: { bootstrap: "b-1.msk:9096", topic: t, sasl: { mechanism: scram-sha-512, username: hookline, password: pw-hunter2 } }
        """), java.util.Map.of("KAFKA_API_KEY", "ABCKEY", "KAFKA_API_SECRET", "TOPSECRET-api"));
    HooklineConfig.Kafka cloud = (HooklineConfig.Kafka) c.sources().get(0).destinations().get(0).broker();
    assertThat(cloud.sasl().mechanism()).isEqualTo("PLAIN");
    assertThat(cloud.sasl().username()).isEqualTo("ABCKEY");
    assertThat(cloud.sasl().password().value()).isEqualTo("TOPSECRET-api");
    assertThat(cloud.securityProtocol()).isEqualTo("SASL_SSL");
    HooklineConfig.Kafka msk = (HooklineConfig.Kafka) c.sources().get(0).destinations().get(1).broker();
    assertThat(msk.sasl()).isEqualTo(new HooklineConfig.KafkaSasl("SCRAM-SHA-512", "hookline", Secret.of("pw-hunter2")));
    assertThat(msk.securityProtocol()).isEqualTo("SASL_PLAINTEXT");
    assertThat(new HooklineConfig.Kafka("h:9092", "t", null).securityProtocol()).isEqualTo("PLAINTEXT");
    assertThat(c.toString()).doesNotContain("TOPSECRET").doesNotContain("hunter2").contains("SCRAM-SHA-512");
    assertThat(cloud.toString()).doesNotContain("TOPSECRET").contains("ABCKEY");
    assertThat(msk.sasl().toString()).doesNotContain("hunter2");
    assertThat(msk.sasl().describe()).isEqualTo("SASL SCRAM-SHA-512 as hookline");
  }

  @Test
  void kafkaSaslMistakesNameTheirField() {
    String kafka = "      - kafka: { bootstrap: \"h:9093\", topic: t, sasl: %s }\n";
    assertThat(error(destinations(kafka.formatted("{ mechanism: GSSAPI, username: u, password: hunter2 }"))))
        .contains("sources[0].destinations[0].kafka.sasl.mechanism")
        .contains("must be one of [PLAIN, SCRAM-SHA-256, SCRAM-SHA-512], got 'GSSAPI'").doesNotContain("hunter2");
    assertThat(error(destinations(kafka.formatted("{ username: u, password: hunter2 }"))))
        .contains("sources[0].destinations[0].kafka.sasl.mechanism").contains("is required").doesNotContain("hunter2");
    assertThat(error(destinations(kafka.formatted("{ mechanism: PLAIN, password: hunter2 }"))))
        .contains("sources[0].destinations[0].kafka.sasl.username").contains("is required").doesNotContain("hunter2");
    assertThat(error(destinations(kafka.formatted("{ mechanism: PLAIN, username: u }"))))
        .contains("sources[0].destinations[0].kafka.sasl.password").contains("is required");
    assertThat(error(destinations(kafka.formatted("{ mechanism: PLAIN, username: u, password: \"${UNSET_KAFKA_PW}\" }"))))
        .contains("sources[0].destinations[0].kafka.sasl.password").contains("UNSET_KAFKA_PW");
    assertThat(error(destinations(kafka.formatted("{ mechanism: PLAIN, username: u, password: hunter2, token: x }"))))
        .contains("sources[0].destinations[0].kafka.sasl.token").contains("unknown key").doesNotContain("hunter2");
  }
}
