package io.hookline.delivery;

import static io.hookline.delivery.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.delivery.TestDestination.Reply;
import io.hookline.testing.TestServices;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two node processes on one database behind a (simulated) load balancer: events arrive at both,
 * both deliver from the same tables, the destination fails a quarter of the attempts. Every event
 * is delivered; the attempt records show no attempt run twice and no two attempts at one delivery
 * overlapping in time, and the destination saw each event once per recorded attempt.
 */
class TwoNodeProcessTest {
  static final int N = Integer.getInteger("hookline.test.twoNodeEvents", 200);
  static final String DELIVERY = "instances: 2, pollInterval: 200ms, pollBatch: 20, drainTimeout: 5s";
  static final String RETRY = "timeout: 5s, initialBackoff: 50ms, maxBackoff: 500ms, maxAttempts: 12, maxInFlight: 8";

  @TempDir
  Path dir;

  @Test
  void twoNodesDeliverEveryEventWithoutRunningAnAttemptTwice() throws Exception {
    String schema = TestServices.freshSchema();
    String prefix = TestServices.freshPrefix();
    try (Harness h = new Harness(schema)) {
      TestDestination dest = TestDestination.start(h.vertx, r -> {
        int hash = (r.eventId() + "/" + r.attempt()).hashCode();
        return Math.floorMod(hash, 4) == 0 ? Reply.delayed(500, 5) : Reply.delayed(200, Math.floorMod(hash, 20));
      });
      String destinations = Harness.destination("main", dest.url(), RETRY);
      Map<UUID, String> accepted = new ConcurrentHashMap<>();
      try (NodeProcess a = NodeProcess.start(dir, "node-a", schema, prefix, DELIVERY, destinations);
           NodeProcess b = NodeProcess.start(dir, "node-b", schema, prefix, DELIVERY, destinations)) {
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
          List<Future<?>> sent = new ArrayList<>();
          for (int i = 0; i < N; i++) {
            NodeProcess to = i % 2 == 0 ? a : b;
            String delivery = "two-" + i + "-" + UUID.randomUUID();
            int n = i;
            sent.add(senders.submit(() -> {
              accepted.put(to.post(delivery, "{\"n\":" + n + "}"), delivery);
              return null;
            }));
          }
          for (Future<?> f : sent) {
            f.get();
          }
        } finally {
          senders.shutdownNow();
        }
        eventually(Duration.ofSeconds(40), "all " + N + " delivered",
            () -> h.count("SELECT count(*) FROM {schema}.deliveries WHERE status = 'delivered'") == N);
        // Both nodes' delivery meters, as Prometheus scrapes them.
        long deliveredByMeters = 0;
        for (NodeProcess node : List.of(a, b)) {
          String metrics = node.metrics();
          assertThat(metrics).contains("hookline_delivery_seconds_bucket{destination=\"main\",source=\"gh\",le=\"0.001\"}")
              .contains("hookline_events_pending ")
              .contains("hookline_deliveries_total{destination=\"main\",kind=\"http\",outcome=\"retry\",source=\"gh\"}");
          deliveredByMeters += (long) Double.parseDouble(metrics.lines()
              .filter(l -> l.startsWith("hookline_deliveries_total{destination=\"main\",kind=\"http\",outcome=\"delivered\",source=\"gh\"}"))
              .findFirst().orElseThrow().replaceAll(".* ", ""));
        }
        assertThat(deliveredByMeters).isEqualTo(N);
        a.sigterm(Duration.ofSeconds(20));
        b.sigterm(Duration.ofSeconds(20));
      }
      assertThat(accepted).hasSize(N);

      Map<String, List<Row>> byEvent = new HashMap<>();
      Set<String> nodes = new HashSet<>();
      h.query("SELECT event_id::text AS id, round, attempt, outcome, started_at, finished_at, node_id "
              + "FROM {schema}.delivery_attempts ORDER BY event_id, round, attempt")
          .forEach(r -> {
            byEvent.computeIfAbsent(r.getString("id"), k -> new ArrayList<>()).add(r);
            nodes.add(r.getString("node_id"));
          });
      assertThat(nodes).containsExactlyInAnyOrder("node-a", "node-b");
      for (UUID id : accepted.keySet()) {
        List<Row> rows = byEvent.get(id.toString());
        assertThat(rows).as("attempts of %s", id).isNotEmpty();
        for (int i = 0; i < rows.size(); i++) {
          assertThat(rows.get(i).getInteger("round")).isEqualTo(1);
          assertThat(rows.get(i).getInteger("attempt")).as("attempt numbers of %s", id).isEqualTo(i + 1);
          assertThat(rows.get(i).getString("outcome")).isEqualTo(i == rows.size() - 1 ? "delivered" : "retry");
        }
        for (int i = 1; i < rows.size(); i++) {
          OffsetDateTime previousFinished = rows.get(i - 1).getOffsetDateTime("finished_at");
          assertThat(rows.get(i).getOffsetDateTime("started_at")).as("attempt %d of %s overlaps the previous", i + 1, id)
              .isAfterOrEqualTo(previousFinished);
        }
        assertThat(dest.receivedFor(id.toString())).as("requests for %s", id).hasSize(rows.size());
      }
      assertThat(dest.maxConcurrentPerEvent()).isEqualTo(1);
      // Each node keeps its own per-destination cap.
      assertThat(dest.maxConcurrent()).isLessThanOrEqualTo(16);
    }
  }
}
