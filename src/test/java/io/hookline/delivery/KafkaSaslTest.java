package io.hookline.delivery;

import static io.hookline.delivery.Harness.eventually;
import static io.hookline.delivery.Harness.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.HooklineConfig;
import io.hookline.store.DeliveryStatus;
import io.hookline.store.Replays;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.TestCertificates;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;

/**
 * The Kafka destination with SASL against the real KRaft broker's SASL_PLAINTEXT listener
 * ({@link KafkaBroker}): SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN with the right credentials deliver
 * every record; a wrong password is a failed attempt that names the authentication failure (dead
 * after maxAttempts) while the node goes on delivering to the others. The passwords never show in
 * the configuration's text, the errors, the broker health body or the metrics. With the password
 * fixed and the node restarted, the dead delivery replays and arrives. SASL over TLS (SASL_SSL) runs
 * against the broker's SASL_SSL listener.
 */
class KafkaSaslTest extends KafkaDestinationTestBase {
  static final String WRONG_PASSWORD = "not-the-password-4c1e";
  static final List<String> GOOD = List.of("scram512", "scram256", "plain");

  static String kafkaDestination(String id, String bootstrap, String topic, String mechanism, String password) {
    return "      - id: " + id + "\n        kafka:\n          bootstrap: \"" + bootstrap + "\"\n          topic: " + topic
        + "\n          sasl: { mechanism: " + mechanism + ", username: " + KafkaBroker.SASL_USER + ", password: \""
        + password + "\" }\n" + RETRY;
  }

  @Test
  void recordsArriveWithEachMechanismAndAWrongPasswordIsANamedFailedAttempt() {
    Map<String, String> topics = new HashMap<>();
    StringBuilder yaml = new StringBuilder();
    for (String id : GOOD) {
      topics.put(id, kafka.newTopic("hookline-sasl-" + id));
      String mechanism = id.equals("plain") ? "PLAIN" : id.equals("scram256") ? "SCRAM-SHA-256" : "scram-sha-512";
      yaml.append(kafkaDestination(id, kafka.saslBootstrap(), topics.get(id), mechanism, KafkaBroker.SASL_PASSWORD));
    }
    // scram512's bootstrap, topic, mechanism and user, only the password differs: it must not borrow scram512's producer.
    String wrongTopic = topics.get("scram512");
    yaml.append(kafkaDestination("wrong", kafka.saslBootstrap(), wrongTopic, "SCRAM-SHA-512", WRONG_PASSWORD))
        .append("        maxAttempts: 2\n");
    HooklineConfig cfg = h.config(FAST, source("src", yaml.toString()));
    assertThat(cfg.describe()).doesNotContain(KafkaBroker.SASL_PASSWORD).doesNotContain(WRONG_PASSWORD)
        .contains("mechanism: SCRAM-SHA-512");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    String node = h.deploy(cfg, "node-a", registry);

    Map<String, String> bodies = new HashMap<>();
    UUID first = h.insertEvent("src", "{\"sasl\":0}", "scram512", "scram256", "plain", "wrong");
    bodies.put(first.toString(), "{\"sasl\":0}");
    h.hint(first);
    eventually(Duration.ofSeconds(60), "the wrong password's delivery dead after 2 attempts", () ->
        "dead".equals(h.status(first, "wrong")));
    String error = h.query("SELECT last_error FROM {schema}.deliveries WHERE destination_id = 'wrong'")
        .iterator().next().getString(0);
    assertThat(error).startsWith("kafka: SaslAuthenticationException: ").contains("SCRAM-SHA-512")
        .doesNotContain(WRONG_PASSWORD).doesNotContain(KafkaBroker.SASL_PASSWORD);

    // The node goes on: events after the authentication failure reach the other destinations.
    for (int i = 1; i < 3; i++) {
      String body = "{\"sasl\":" + i + "}";
      UUID id = h.insertEvent("src", body, GOOD.toArray(String[]::new));
      bodies.put(id.toString(), body);
      h.hint(id);
    }
    eventually(Duration.ofSeconds(60), "every event delivered with each mechanism", () ->
        h.count("SELECT count(*) FROM {schema}.deliveries WHERE destination_id <> 'wrong' AND status = 'delivered'")
            == (long) GOOD.size() * bodies.size());
    for (String id : GOOD) {
      assertThat(kafka.bodiesById(topics.get(id), bodies.size(), "src")).as(id).isEqualTo(bodies);
    }

    String health = BrokerConnections.health(h.vertx).encode();
    assertThat(health).contains("SASL SCRAM-SHA-512 as " + KafkaBroker.SASL_USER).contains("SaslAuthenticationException")
        .doesNotContain(WRONG_PASSWORD).doesNotContain(KafkaBroker.SASL_PASSWORD);
    for (Meter m : registry.getMeters()) {
      for (Tag t : m.getId().getTags()) {
        assertThat(t.getValue()).doesNotContain(WRONG_PASSWORD).doesNotContain(KafkaBroker.SASL_PASSWORD);
      }
    }

    // The way out: the password fixed, the node restarted, the dead letter replayed.
    Harness.await(h.vertx.undeploy(node));
    h.deploy(h.config(FAST, source("src", yaml.toString().replace(WRONG_PASSWORD, KafkaBroker.SASL_PASSWORD))), "node-a",
        new SimpleMeterRegistry());
    assertThat(Harness.await(new Replays(h.sql, h.schema).replayEvent(first, "wrong", EnumSet.of(DeliveryStatus.DEAD)))
        .replayed()).isEqualTo(1);
    h.hint(first);
    eventually(Duration.ofSeconds(60), "the replayed delivery delivered with the fixed password", () ->
        "delivered".equals(h.status(first, "wrong")));
    List<ConsumerRecord<String, byte[]>> inTopic = kafka.records(wrongTopic, bodies.size() + 1);
    assertThat(inTopic.stream().filter(r -> first.toString().equals(KafkaBroker.headers(r).get("webhook-id"))))
        .as("the first event in the shared topic: scram512's record and the replayed one").hasSize(2);
  }

  /**
   * SASL over TLS (security.protocol SASL_SSL) against the broker's SASL_SSL listener: with the server's CA
   * the records arrive; with a CA that did not sign the server's certificate the TLS handshake fails, the
   * delivery is dead after maxAttempts and its error names the handshake, not the password.
   */
  @Test
  void saslOverTlsDeliversAndAWrongCaIsAFailedHandshake() {
    TestCertificates certs = kafka.certificates();
    String topic = kafka.newTopic("hookline-sasl-ssl");
    String sasl = "          sasl: { mechanism: SCRAM-SHA-512, username: " + KafkaBroker.SASL_USER + ", password: \""
        + KafkaBroker.SASL_PASSWORD + "\" }\n";
    HooklineConfig cfg = h.config(FAST, source("src",
        "      - id: saslssl\n        kafka:\n          bootstrap: \"" + kafka.saslSslBootstrap() + "\"\n          topic: " + topic
            + "\n" + sasl + "          tls: { caFile: \"" + certs.serverCertPem + "\" }\n" + RETRY
            + "      - id: wrongca\n        kafka:\n          bootstrap: \"" + kafka.saslSslBootstrap() + "\"\n          topic: "
            + topic + "\n" + sasl + "          tls: { caFile: \"" + certs.clientCertPem + "\" }\n        maxAttempts: 2\n" + RETRY));
    h.deploy(cfg, "node-a", new SimpleMeterRegistry());
    Map<String, String> bodies = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      String body = "{\"saslssl\":" + i + "}";
      UUID id = i == 0 ? h.insertEvent("src", body, "saslssl", "wrongca") : h.insertEvent("src", body, "saslssl");
      bodies.put(id.toString(), body);
      h.hint(id);
    }
    eventually(Duration.ofSeconds(60), "delivered over SASL_SSL, the wrong CA's delivery dead", () ->
        h.count("SELECT count(*) FROM {schema}.deliveries WHERE destination_id = 'saslssl' AND status = 'delivered'") == 3
            && "dead".equals(h.query("SELECT status FROM {schema}.deliveries WHERE destination_id = 'wrongca'")
                .iterator().next().getString(0)));
    String error = h.query("SELECT last_error FROM {schema}.deliveries WHERE destination_id = 'wrongca'")
        .iterator().next().getString(0);
    assertThat(error).startsWith("kafka: ").containsIgnoringCase("ssl").doesNotContain(KafkaBroker.SASL_PASSWORD);
    assertThat(kafka.bodiesById(topic, 3, "src")).isEqualTo(bodies);
  }

  /** The JAAS line Kafka's own parser reads back: quotes and backslashes in a password survive. */
  @Test
  void jaasValuesAreQuotedSoKafkaReadsThemBack() {
    String password = "p\"w\\x; y=z";
    Map<String, String> settings = KafkaDestination.Connection.saslSettings(
        new HooklineConfig.KafkaSasl("SCRAM-SHA-256", "user \"a\"", io.hookline.config.Secret.of(password)));
    assertThat(settings).containsEntry("sasl.mechanism", "SCRAM-SHA-256");
    var entries = JaasContext.loadClientContext(Map.of("sasl.jaas.config", new Password(settings.get("sasl.jaas.config"))))
        .configurationEntries();
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).getLoginModuleName()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
    Map<String, ?> options = entries.get(0).getOptions();
    assertThat(options.get("username")).isEqualTo("user \"a\"");
    assertThat(options.get("password")).isEqualTo(password);
  }
}
