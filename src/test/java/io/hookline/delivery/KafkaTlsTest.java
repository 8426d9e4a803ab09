package io.hookline.delivery;

import static io.hookline.delivery.Harness.eventually;
import static io.hookline.delivery.Harness.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.HooklineConfig;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.TestCertificates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kafka destination over TLS against the real KRaft broker's SSL listener ({@link KafkaBroker}:
 * self-signed server certificate for 127.0.0.1, client certificate required): with the CA file,
 * client certificate and key configured, records arrive intact; without the client certificate the
 * handshake is refused and the delivery goes dead after maxAttempts. The key never shows in the
 * configuration's text, the connection's name or the errors.
 */
class KafkaTlsTest {
  static final String FAST = "instances: 1, pollInterval: 100ms, drainTimeout: 2s";
  static final int N = 4;

  Harness h;

  @BeforeEach
  void setUp() {
    h = new Harness();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void recordsArriveOverMutualTlsAndNoClientCertificateIsAFailedAttempt() {
    KafkaBroker kafka = KafkaBroker.shared();
    TestCertificates certs = kafka.certificates();
    String topic = "hookline-tls-" + UUID.randomUUID().toString().substring(0, 8);
    kafka.createTopic(topic);
    String retry = "        timeout: 10s\n        initialBackoff: 50ms\n        maxBackoff: 200ms\n";
    HooklineConfig cfg = h.config(FAST, source("src",
        "      - id: tls\n        kafka:\n          bootstrap: \"" + kafka.tlsBootstrap() + "\"\n          topic: " + topic
            + "\n          tls: { caFile: \"" + certs.serverCertPem + "\", certFile: \"" + certs.clientCertPem
            + "\", key: \"file:" + certs.clientKeyFile + "\" }\n" + retry
            + "      - id: nocert\n        kafka: { bootstrap: \"" + kafka.tlsBootstrap() + "\", topic: " + topic
            + ", tls: { caFile: \"" + certs.serverCertPem + "\" } }\n        maxAttempts: 2\n" + retry));
    String keyBody = certs.clientKeyPem.split("\n")[1];
    assertThat(cfg.describe()).doesNotContain(keyBody);
    h.deploy(cfg, "node-a", new SimpleMeterRegistry());
    Map<String, String> bodies = new HashMap<>();
    for (int i = 0; i < N; i++) {
      String body = "{\"tls\":" + i + "}";
      UUID id = i == 0 ? h.insertEvent("src", body, "tls", "nocert") : h.insertEvent("src", body, "tls");
      bodies.put(id.toString(), body);
      h.hint(id);
    }
    eventually(Duration.ofSeconds(60), "all delivered over TLS, the one without a client certificate dead", () ->
        h.count("SELECT count(*) FROM {schema}.deliveries WHERE destination_id = 'tls' AND status = 'delivered'") == N
            && h.count("SELECT count(*) FROM {schema}.deliveries WHERE destination_id = 'nocert' AND status = 'dead'") == 1);
    String noCertError = h.query("SELECT last_error FROM {schema}.deliveries WHERE destination_id = 'nocert'")
        .iterator().next().getString(0);
    assertThat(noCertError).startsWith("kafka: ").doesNotContain(keyBody);

    Map<String, String> got = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : KafkaDestinationTest.read(kafka.bootstrap(), topic, N)) {
      Map<String, String> meta = new HashMap<>();
      for (Header hd : r.headers()) {
        meta.put(hd.key(), new String(hd.value(), StandardCharsets.UTF_8));
      }
      assertThat(got.put(meta.get("webhook-id"), new String(r.value(), StandardCharsets.UTF_8)))
          .as("published once: " + meta.get("webhook-id")).isNull();
      assertThat(meta).containsEntry("hookline-source", "src").containsEntry("hookline-attempt", "1");
    }
    assertThat(got).isEqualTo(bodies);
  }
}
