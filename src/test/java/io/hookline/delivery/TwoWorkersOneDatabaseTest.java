package io.hookline.delivery;

import static io.hookline.delivery.Harness.destination;
import static io.hookline.delivery.Harness.eventually;
import static io.hookline.delivery.Harness.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.HooklineConfig;
import io.hookline.delivery.TestDestination.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two nodes (separate Vert.x instances, two worker instances each, different node ids) deliver from
 * the same tables at once, with a destination that fails a quarter of the time. Every delivery ends
 * delivered, no attempt runs twice, and no two attempts at one delivery overlap in time.
 */
class TwoWorkersOneDatabaseTest {
  static final int EVENTS = 300;

  @Test
  void everyDeliveryIsDeliveredAndNoAttemptRunsTwiceOrConcurrently() {
    try (Harness h = new Harness()) {
      // Fails deterministically by (event, attempt), so the schedule varies between deliveries.
      TestDestination dest = TestDestination.start(h.vertx, r -> {
        int hash = (r.eventId() + "/" + r.attempt()).hashCode();
        return Math.floorMod(hash, 4) == 0 ? Reply.delayed(500, 5) : Reply.delayed(200, Math.floorMod(hash, 15));
      });
      HooklineConfig cfg = h.config("instances: 2, pollInterval: 100ms, pollBatch: 20, drainTimeout: 2s",
          source("src", destination("main", dest.url(),
              "timeout: 5s, initialBackoff: 20ms, maxBackoff: 200ms, maxAttempts: 12, maxInFlight: 16")));
      List<UUID> ids = new ArrayList<>(h.insertEvents(EVENTS / 2, "src", "main"));
      Vertx nodeA = Vertx.vertx();
      Vertx nodeB = Vertx.vertx();
      try {
        h.deploy(nodeA, cfg, "node-a", new SimpleMeterRegistry());
        h.deploy(nodeB, cfg, "node-b", new SimpleMeterRegistry());
        // The rest arrives while both are delivering, announced to one node only, as ingest would.
        for (int i = 0; i < EVENTS / 2; i++) {
          UUID id = h.insertEvent("src", "{\"late\":" + i + "}", "main");
          ids.add(id);
          nodeA.eventBus().send(DeliveryAddresses.EVENT_COMMITTED, id.toString());
        }
        eventually(Duration.ofSeconds(45), "all delivered",
            () -> h.count("SELECT count(*) FROM {schema}.deliveries WHERE status = 'delivered'") == EVENTS);
      } finally {
        Harness.await(nodeA.close());
        Harness.await(nodeB.close());
      }

      Map<String, List<Row>> byEvent = new HashMap<>();
      Set<String> nodes = new HashSet<>();
      h.query("SELECT event_id::text AS id, attempt, outcome, started_at, finished_at, node_id "
              + "FROM {schema}.delivery_attempts ORDER BY event_id, round, attempt")
          .forEach(r -> {
            byEvent.computeIfAbsent(r.getString("id"), k -> new ArrayList<>()).add(r);
            nodes.add(r.getString("node_id"));
          });
      assertThat(byEvent).hasSize(EVENTS);
      assertThat(nodes).containsExactlyInAnyOrder("node-a", "node-b");
      for (UUID id : ids) {
        List<Row> rows = byEvent.get(id.toString());
        // Numbered 1..n without gaps (no crash here), only the last one delivered.
        for (int i = 0; i < rows.size(); i++) {
          assertThat(rows.get(i).getInteger("attempt")).isEqualTo(i + 1);
          assertThat(rows.get(i).getString("outcome")).isEqualTo(i == rows.size() - 1 ? "delivered" : "retry");
        }
        for (int i = 1; i < rows.size(); i++) {
          OffsetDateTime previousFinished = rows.get(i - 1).getOffsetDateTime("finished_at");
          OffsetDateTime started = rows.get(i).getOffsetDateTime("started_at");
          assertThat(started).as("attempt %d of %s starts after %d finished", i + 1, id, i)
              .isAfterOrEqualTo(previousFinished);
        }
        // The destination saw the event exactly once per recorded attempt.
        assertThat(dest.receivedFor(id.toString())).as("requests for %s", id).hasSize(rows.size());
      }
      assertThat(dest.maxConcurrentPerEvent()).isEqualTo(1);
      // Two nodes with 16 permits each to one destination.
      assertThat(dest.maxConcurrent()).isLessThanOrEqualTo(32);
    }
  }
}
