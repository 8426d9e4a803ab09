package io.hookline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.EventSigner;
import io.hookline.testing.Eventually;
import io.hookline.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SPEC "Storage over time", dedup across time, end to end: a resend arriving after a partition boundary,
 * with Redis having lost the key and retention (1 s) much shorter than dedupTtl (72 h) having already
 * dropped the first copy's partition, is still answered as a duplicate of the first copy and stored nowhere.
 * Takes up to a minute: the first copy's one-minute partition must end before it can be dropped.
 */
class DedupAcrossPartitionsTest {
  static final String SECRET = "gh-dedup-across-partitions";

  @Test
  void aResendAfterTheFirstCopysPartitionWasDroppedAndRedisFlushedIsADuplicate() {
    try (TestNode node = TestNode.start("""
        storage: { partition: 1m }
        retention: { delivered: 1s, dead: 1s, interval: 1s }
        sources:
          - id: gh
            provider: github
            secrets: ["%s"]
        """.formatted(SECRET))) {
      String delivery = "across-" + System.nanoTime();
      byte[] body = "{\"action\":\"opened\"}".getBytes(StandardCharsets.UTF_8);
      Map<String, String> headers = EventSigner.sign("github", SECRET, body, delivery, 0);

      HttpResponse<String> first = node.post("gh", body, headers);
      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
      String firstId = new JsonObject(first.body()).getString("id");
      String partition = node.query("SELECT suffix FROM {schema}.storage_partitions p, {schema}.events e"
          + " WHERE e.id = $1::uuid AND e.received_at >= p.starts AND e.received_at < p.ends", firstId)
          .iterator().next().getString(0);

      Eventually.within(Duration.ofSeconds(150),
          () -> node.count("SELECT count(*) FROM {schema}.storage_partitions WHERE suffix = $1 AND dropped_at IS NOT NULL",
              partition) == 1,
          "retention dropped the first copy's partition " + partition);
      assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE provider_event_id = $1", delivery)).isZero();
      assertThat(RedisKeys.deleteByPrefix(node.keyPrefix())).isPositive();

      HttpResponse<String> resend = node.post("gh", body, headers);
      assertThat(resend.statusCode()).as(resend.body()).isEqualTo(200);
      assertThat(new JsonObject(resend.body()).getBoolean("duplicate")).isTrue();
      assertThat(new JsonObject(resend.body()).getString("id")).isEqualTo(firstId);
      assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE provider_event_id = $1", delivery)).isZero();
      assertThat(node.count("SELECT count(*) FROM {schema}.event_keys WHERE provider_event_id = $1", delivery)).isEqualTo(1);
    }
  }
}
