package io.hookline.delivery;

import static io.hookline.delivery.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.delivery.TestDestination.Received;
import io.hookline.delivery.TestDestination.Reply;
import io.hookline.testing.TestServices;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
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
    String schema = TestServices.freshSchema();
    String prefix = TestServices.freshPrefix();
    int destinationPort = TestServices.freePort();
    String destinations = Harness.destination("main", "http://127.0.0.1:" + destinationPort + "/hook", RETRY);

    Map<UUID, String> accepted = new ConcurrentHashMap<>();
    try (Harness h = new Harness(schema)) {
      ServerSocket hung = new ServerSocket();
      hung.setReuseAddress(true);
      // Never accept(): the kernel completes handshakes into the backlog and requests sit there unread.
      hung.bind(new InetSocketAddress("127.0.0.1", destinationPort), 1024);
      try (NodeProcess first = NodeProcess.start(dir, "crash-a", schema, prefix, DELIVERY, destinations)) {
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
          List<Future<?>> sent = new java.util.ArrayList<>();
          for (int i = 0; i < N; i++) {
            String delivery = "crash-" + i + "-" + UUID.randomUUID();
            int n = i;
            sent.add(senders.submit(() -> {
              accepted.put(first.post(delivery, "{\"n\":" + n + ",\"delivery\":\"" + delivery + "\"}"), delivery);
              return null;
            }));
          }
          for (Future<?> f : sent) {
            f.get();
          }
        } finally {
          senders.shutdownNow();
        }
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
      // Closing the socket resets the connections the killed node left in its backlog: never seen.
      hung.close();

      try (NodeProcess second = NodeProcess.start(dir, "crash-b", schema, prefix, DELIVERY, destinations);
           TestDestination dest = TestDestination.start(h.vertx, destinationPort, r -> Reply.status(200))) {
        eventually(Duration.ofSeconds(40), "all " + N + " delivered (" + leftLeased.size() + " were left leased by the killed node)",
            () -> h.count("SELECT count(*) FROM {schema}.deliveries WHERE status = 'delivered'") == N);

        Map<String, Long> seen = dest.received().stream()
            .collect(Collectors.groupingBy(Received::eventId, Collectors.counting()));
        assertThat(seen.keySet()).isEqualTo(accepted.keySet().stream().map(UUID::toString).collect(Collectors.toSet()));
        // The killed node's requests were never read, so nothing was delivered twice.
        assertThat(seen.values()).containsOnly(1L);
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
        // The body each destination got is the one the provider sent.
        Map<String, String> bodies = new HashMap<>();
        dest.received().forEach(r -> bodies.put(r.eventId(), r.body().toString()));
        accepted.forEach((id, delivery) -> assertThat(bodies.get(id.toString())).contains(delivery));
        second.sigterm(Duration.ofSeconds(20));
      }
    }
  }
}
