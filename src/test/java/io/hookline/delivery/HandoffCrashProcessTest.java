package io.hookline.delivery;

import static io.hookline.delivery.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a burst while the in-memory hand-off queue is FULL: a tiny queue, a hung
 * destination holding the only two permits, so some deliveries wait in memory (leased to the node),
 * the rest were inserted unleased (overflow) or claimed. Another node delivers every acknowledged
 * event exactly once: the overflow at once, what the dead node held once its leases expire.
 */
class HandoffCrashProcessTest {
  static final int N = Integer.getInteger("hookline.test.handoffCrashEvents", 200);
  static final String DELIVERY = "instances: 2, pollInterval: 200ms, lease: 2s, drainTimeout: 5s, handoffCapacity: 4";
  static final String RETRY = "timeout: 8s, initialBackoff: 200ms, maxBackoff: 1s, maxAttempts: 100, maxInFlight: 2";

  @TempDir
  Path dir;

  @Test
  void everyAcknowledgedEventIsDeliveredOnceAfterAKillWithAFullHandoffQueue() throws Exception {
    Map<UUID, String> accepted;
    try (CrashDrill drill = new CrashDrill(dir, DELIVERY, RETRY)) {
      Harness h = drill.h;
      long handedOff;
      try (NodeProcess first = drill.startNode("hq-a")) {
        accepted = CrashDrill.postBurst(first, "hq-", N);
        handedOff = h.count("SELECT count(*) FROM {schema}.deliveries WHERE lease_owner = 'hq-a/handoff'");
        first.kill9();
      }
      assertThat(accepted).hasSize(N);
      assertThat(h.count("SELECT count(*) FROM {schema}.deliveries")).isEqualTo(N);
      assertThat(h.count("SELECT count(*) FROM {schema}.deliveries WHERE status = 'pending'")).isEqualTo(N);
      // The queue was full: a few deliveries were handed off in memory (never more than the queue plus
      // the two permits of the hung destination), the rest went to PostgreSQL unleased.
      assertThat(handedOff).as("held in memory by the killed node").isBetween(1L, 4L + 2L);
      assertThat(h.count("SELECT count(*) FROM {schema}.deliveries WHERE lease_owner IS NULL OR lease_owner <> 'hq-a/handoff'"))
          .as("overflow for the claim path").isGreaterThanOrEqualTo(N - 6);
      drill.closeHungDestination();

      try (NodeProcess second = drill.startNode("hq-b");
           TestDestination dest = drill.startDestination()) {
        eventually(Duration.ofSeconds(60), "all " + N + " delivered",
            () -> h.count("SELECT count(*) FROM {schema}.deliveries WHERE status = 'delivered'") == N);
        CrashDrill.assertEachDeliveredOnce(dest, accepted);
        assertThat(h.query("SELECT DISTINCT node_id FROM {schema}.delivery_attempts WHERE outcome = 'delivered'")
            .iterator().next().getString(0)).isEqualTo("hq-b");
        second.sigterm(Duration.ofSeconds(20));
      }
    }
  }
}
