package io.hookline.delivery;

import static io.hookline.delivery.Harness.eventually;
import static io.hookline.delivery.Harness.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.HooklineConfig;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.TestCertificates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Kafka destination over TLS against the real KRaft broker's SSL listener ({@link KafkaBroker}:
 * self-signed server certificate for 127.0.0.1, client certificate required): with the CA file,
 * client certificate and key configured, records arrive intact; without the client certificate the
 * handshake is refused and the delivery goes dead after maxAttempts. The key never shows in the
 * configuration's text, the connection's name or the errors.
 */
class KafkaTlsTest extends KafkaDestinationTestBase {
  static final int N = 4;

  @Test
  void recordsArriveOverMutualTlsAndNoClientCertificateIsAFailedAttempt() {
    TestCertificates certs = kafka.certificates();
    String topic = kafka.newTopic("hookline-tls");
    HooklineConfig cfg = h.config(FAST, source("src",
        "      - id: tls\n        kafka:\n          bootstrap: \"" + kafka.tlsBootstrap() + "\"\n          topic: " + topic
            + "\n          tls: { caFile: \"" + certs.serverCertPem + "\", certFile: \"" + certs.clientCertPem
            + "\", key: \"file:" + certs.clientKeyFile + "\" }\n" + RETRY
            + "      - id: nocert\n        kafka: { bootstrap: \"" + kafka.tlsBootstrap() + "\", topic: " + topic
            + ", tls: { caFile: \"" + certs.serverCertPem + "\" } }\n        maxAttempts: 2\n" + RETRY));
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

    assertThat(kafka.bodiesById(topic, N, "src")).isEqualTo(bodies);
  }
}
