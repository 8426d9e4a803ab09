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
import java.util.ArrayList;
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
    String schema = TestServices.freshSchema();
    String prefix = TestServices.freshPrefix();
    int destinationPort = TestServices.freePort();
    String destinations = Harness.destination("main", "http://127.0.0.1:" + destinationPort + "/hook", RETRY);
    Map<UUID, String> accepted = new ConcurrentHashMap<>();
    try (Harness h = new Harness(schema)) {
      ServerSocket hung = new ServerSocket();
      hung.setReuseAddress(true);
      hung.bind(new InetSocketAddress("127.0.0.1", destinationPort), 1024);
      long handedOff;
      try (NodeProcess first = NodeProcess.start(dir, "hq-a", schema, prefix, DELIVERY, destinations)) {
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
          List<Future<?>> sent = new ArrayList<>();
          for (int i = 0; i < N; i++) {
            String delivery = "hq-" + i + "-" + UUID.randomUUID();
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
      hung.close();

      try (NodeProcess second = NodeProcess.start(dir, "hq-b", schema, prefix, DELIVERY, destinations);
           TestDestination dest = TestDestination.start(h.vertx, destinationPort, r -> Reply.status(200))) {
        eventually(Duration.ofSeconds(60), "all " + N + " delivered",
            () -> h.count("SELECT count(*) FROM {schema}.deliveries WHERE status = 'delivered'") == N);
        Map<String, Long> seen = dest.received().stream()
            .collect(Collectors.groupingBy(Received::eventId, Collectors.counting()));
        assertThat(seen.keySet()).isEqualTo(accepted.keySet().stream().map(UUID::toString).collect(Collectors.toSet()));
        assertThat(seen.values()).containsOnly(1L);
        assertThat(h.query("SELECT DISTINCT node_id FROM {schema}.delivery_attempts WHERE outcome = 'delivered'")
            .iterator().next().getString(0)).isEqualTo("hq-b");
        Map<String, String> bodies = new java.util.HashMap<>();
        dest.received().forEach(r -> bodies.put(r.eventId(), r.body().toString()));
        accepted.forEach((id, delivery) -> assertThat(bodies.get(id.toString())).contains(delivery));
        second.sigterm(Duration.ofSeconds(20));
      }
    }
  }
}
