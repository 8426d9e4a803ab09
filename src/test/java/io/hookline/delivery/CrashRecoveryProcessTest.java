package io.hookline.delivery;

import static io.hookline.delivery.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise behind a 2xx, with real processes: a node accepts N events while the destination is
 * down, is killed with SIGKILL (no drain, leases left behind), a new node starts, the destination
 * comes up, and every one of the N events is delivered. N is a system property for CI
 * ({@code -Dhookline.test.crashEvents}, default 300).
 *
 * <p>"Down" here is the hard kind: the port accepts TCP connections but nothing ever answers (a hung
 * service). So at the kill the first node is holding leases on attempts in flight, and the second
 * must wait for them to expire rather than for a release that never comes.
 */
class CrashRecoveryProcessTest {
  static final int N = Integer.getInteger("hookline.test.crashEvents", 300);
  // Retries keep going while the destination is down (the outage lasts the kill and a JVM start);
  // the lease (timeout 2 s + 5 s margin) is what the new node must wait for on in-flight leftovers.
  static final String DELIVERY = "instances: 2, pollInterval: 200ms, lease: 2s, drainTimeout: 5s";
  static final String RETRY = "timeout: 2s, initialBackoff: 500ms, maxBackoff: 2s, maxAttempts: 100";

  @TempDir
  Path dir;

  @Test
  void eventsAcceptedBeforeAKill9AreAllDeliveredByTheNextNode() throws Exception {
    Map<UUID, String> accepted;
    // The destination hangs while the first node runs (never answers), then comes up for the second.
    try (CrashDrill drill = new CrashDrill(dir, DELIVERY, RETRY)) {
      Harness h = drill.h;
      try (NodeProcess first = drill.startNode("crash-a")) {
        accepted = CrashDrill.postBurst(first, "crash-", N);
        // Attempts are hanging on the dead destination: the node holds their leases when it dies.
        eventually(Duration.ofSeconds(10), "attempts in flight",
            () -> h.count("SELECT count(*) FROM {schema}.deliveries WHERE lease_until > now()") > 0);
        first.kill9();
      }
      assertThat(accepted).hasSize(N);
      assertThat(h.count("SELECT count(*) FROM {schema}.deliveries WHERE status = 'pending'")).isEqualTo(N);
      Map<UUID, OffsetDateTime> leftLeased = new HashMap<>();
      h.query("SELECT event_id, lease_until FROM {schema}.deliveries WHERE lease_owner LIKE 'crash-a/%' AND lease_until > now()")
          .forEach(r -> leftLeased.put(r.getUUID(0), r.getOffsetDateTime(1)));
      assertThat(leftLeased).isNotEmpty();
      // The connections the killed node left in the backlog are reset: never seen.
      drill.closeHungDestination();

      try (NodeProcess second = drill.startNode("crash-b");
           TestDestination dest = drill.startDestination()) {
        eventually(Duration.ofSeconds(40), "all " + N + " delivered (" + leftLeased.size() + " were left leased by the killed node)",
            () -> h.count("SELECT count(*) FROM {schema}.deliveries WHERE status = 'delivered'") == N);

        // The killed node's requests were never read, so nothing was delivered twice; each body is the one sent.
        CrashDrill.assertEachDeliveredOnce(dest, accepted);
        assertThat(h.count("SELECT count(DISTINCT node_id) FROM {schema}.delivery_attempts WHERE outcome = 'delivered'"))
            .isEqualTo(1);
        assertThat(h.query("SELECT DISTINCT node_id FROM {schema}.delivery_attempts WHERE outcome = 'delivered'")
            .iterator().next().getString(0)).isEqualTo("crash-b");
        // What the killed node held was taken over only once its lease had expired.
        leftLeased.forEach((id, leaseUntil) -> {
          var row = h.query("SELECT started_at, attempt FROM {schema}.delivery_attempts "
              + "WHERE event_id = $1 AND outcome = 'delivered'", id).iterator().next();
          assertThat(row.getOffsetDateTime("started_at")).isAfterOrEqualTo(leaseUntil);
          assertThat(row.getInteger("attempt")).as("a new attempt number after the lost one").isGreaterThanOrEqualTo(2);
        });
        second.sigterm(Duration.ofSeconds(20));
      }
    }
  }
}
