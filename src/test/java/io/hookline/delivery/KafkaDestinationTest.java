package io.hookline.delivery;

import static io.hookline.delivery.Harness.eventually;
import static io.hookline.delivery.Harness.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.HooklineConfig;
import io.hookline.testing.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kafka destination against a real KRaft broker ({@link KafkaBroker}): records carry the body
 * byte for byte, the SPEC metadata as headers and the key from its CEL expression; a missing topic
 * is a clear failed attempt, dead after maxAttempts.
 */
class KafkaDestinationTest {
  static final String FAST = "instances: 1, pollInterval: 100ms, drainTimeout: 2s";
  static final int N = 5;
  /** Events also sent to the missing topic: each of its attempts waits max.block.ms for the topic. */
  static final int MISSING = 2;

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
  void recordsCarryBodyMetadataAndKeyAndAMissingTopicGoesDead() {
    KafkaBroker kafka = KafkaBroker.shared();
    String topic = "hookline-test-" + UUID.randomUUID().toString().substring(0, 8);
    kafka.createTopic(topic);
    String retry = "        timeout: 10s\n        initialBackoff: 50ms\n        maxBackoff: 200ms\n";
    HooklineConfig cfg = h.config(FAST, source("src",
        "      - id: ok\n        kafka: { bootstrap: \"" + kafka.bootstrap() + "\", topic: " + topic
            + ", key: 'source + \"/\" + providerEventId' }\n" + retry
            + "      - id: missing\n        kafka: { bootstrap: \"" + kafka.bootstrap() + "\", topic: no-such-topic }\n"
            + "        maxAttempts: 2\n" + retry));
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

    List<ConsumerRecord<String, byte[]>> records = read(kafka.bootstrap(), topic, N);
    Set<String> seen = new HashSet<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      Map<String, String> meta = new HashMap<>();
      for (Header hd : r.headers()) {
        meta.put(hd.key(), new String(hd.value(), StandardCharsets.UTF_8));
      }
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

  /** Everything in the topic (one partition), waiting until {@code n} records are there. */
  static List<ConsumerRecord<String, byte[]>> read(String bootstrap, String topic, int n) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < n && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(500)).forEach(out::add);
      }
      // One more poll: a record beyond n would be a duplicate.
      c.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    return out;
  }
}
