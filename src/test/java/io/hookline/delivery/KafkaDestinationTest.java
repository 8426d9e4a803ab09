package io.hookline.delivery;

import static io.hookline.delivery.Harness.eventually;
import static io.hookline.delivery.Harness.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.HooklineConfig;
import io.hookline.testing.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The Kafka destination against a real KRaft broker ({@link KafkaBroker}): records carry the body
 * byte for byte, the SPEC metadata as headers and the key from its CEL expression; a missing topic
 * is a clear failed attempt, dead after maxAttempts.
 */
class KafkaDestinationTest extends KafkaDestinationTestBase {
  static final int N = 5;
  /** Events also sent to the missing topic: each of its attempts waits max.block.ms for the topic. */
  static final int MISSING = 2;

  @Test
  void recordsCarryBodyMetadataAndKeyAndAMissingTopicGoesDead() {
    String topic = kafka.newTopic("hookline-test");
    HooklineConfig cfg = h.config(FAST, source("src",
        "      - id: ok\n        kafka: { bootstrap: \"" + kafka.bootstrap() + "\", topic: " + topic
            + ", key: 'source + \"/\" + providerEventId' }\n" + RETRY
            + "      - id: missing\n        kafka: { bootstrap: \"" + kafka.bootstrap() + "\", topic: no-such-topic }\n"
            + "        maxAttempts: 2\n" + RETRY));
    h.deploy(cfg, "node-a", new SimpleMeterRegistry());
    Map<String, String> bodies = new HashMap<>();
    for (int i = 0; i < N; i++) {
      String body = "{\"n\":" + i + "}";
      UUID id = i < MISSING ? h.insertEvent("src", body, "ok", "missing") : h.insertEvent("src", body, "ok");
      bodies.put(id.toString(), body);
      h.hint(id);
    }
    eventually(Duration.ofSeconds(60), "all delivered to ok, all dead at missing", () ->
        h.count("SELECT count(*) FROM {schema}.deliveries WHERE destination_id = 'ok' AND status = 'delivered'") == N
            && h.count("SELECT count(*) FROM {schema}.deliveries WHERE destination_id = 'missing' AND status = 'dead'") == MISSING);
    assertThat(h.query("SELECT string_agg(last_error, ' | ') FROM {schema}.deliveries WHERE destination_id = 'missing'")
        .iterator().next().getString(0)).contains("kafka: TimeoutException: Topic no-such-topic not present in metadata");

    Set<String> seen = new HashSet<>();
    for (ConsumerRecord<String, byte[]> r : kafka.records(topic, N)) {
      Map<String, String> meta = KafkaBroker.headers(r);
      String id = meta.get("webhook-id");
      assertThat(seen.add(id)).as("published once: " + id).isTrue();
      assertThat(r.key()).isEqualTo("src/evt_" + id);
      assertThat(r.value()).isEqualTo(bodies.get(id).getBytes(StandardCharsets.UTF_8));
      assertThat(meta).containsEntry("hookline-source", "src").containsEntry("hookline-type", "test.event")
          .containsEntry("content-type", "application/json").containsEntry("hookline-attempt", "1")
          .containsKey("webhook-timestamp");
    }
    assertThat(seen).isEqualTo(bodies.keySet());
  }
}
