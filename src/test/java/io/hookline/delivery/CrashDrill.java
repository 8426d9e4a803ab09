package io.hookline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.delivery.TestDestination.Received;
import io.hookline.delivery.TestDestination.Reply;
import io.hookline.testing.TestServices;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * What the kill -9 process tests share: node processes on a schema and key prefix of their own
 * with one destination that first hangs, then answers 200; a burst of events into the node that is
 * then killed; and the check that every acknowledged event reached the destination once.
 */
final class CrashDrill implements AutoCloseable {
  final String schema = TestServices.freshSchema();
  final String prefix = TestServices.freshPrefix();
  final int destinationPort = TestServices.freePort();
  final Harness h = new Harness(schema);
  private final Path dir;
  private final String delivery;
  private final String destinations;
  private final ServerSocket hung;

  /** {@code delivery}: the nodes' delivery section; {@code retry}: the destination's retry settings. */
  CrashDrill(Path dir, String delivery, String retry) throws IOException {
    this.dir = dir;
    this.delivery = delivery;
    this.destinations = Harness.destination("main", "http://127.0.0.1:" + destinationPort + "/hook", retry);
    // The destination hangs: never accept(), so the kernel completes handshakes into the backlog
    // and requests sit there unread.
    hung = new ServerSocket();
    try {
      hung.setReuseAddress(true);
      hung.bind(new InetSocketAddress("127.0.0.1", destinationPort), 1024);
    } catch (IOException e) {
      hung.close();
      h.close();
      throw e;
    }
  }

  NodeProcess startNode(String nodeId) throws IOException, InterruptedException {
    return NodeProcess.start(dir, nodeId, schema, prefix, delivery, destinations);
  }

  /** Closes the hung destination: that resets the connections left in its backlog (never seen). */
  void closeHungDestination() throws IOException {
    hung.close();
  }

  /** The destination (once the hung one is closed) answering 200 to everything. */
  TestDestination startDestination() {
    return TestDestination.start(h.vertx, destinationPort, r -> Reply.status(200));
  }

  /**
   * Posts {@code n} events from 8 senders, each a new delivery id starting with {@code idPrefix} and
   * named in its body; returns the Hookline id of each acknowledged event with its delivery id.
   */
  static Map<UUID, String> postBurst(NodeProcess node, String idPrefix, int n) throws Exception {
    Map<UUID, String> accepted = new ConcurrentHashMap<>();
    ExecutorService senders = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String delivery = idPrefix + i + "-" + UUID.randomUUID();
        int k = i;
        sent.add(senders.submit(() -> {
          accepted.put(node.post(delivery, "{\"n\":" + k + ",\"delivery\":\"" + delivery + "\"}"), delivery);
          return null;
        }));
      }
      for (Future<?> f : sent) {
        f.get();
      }
    } finally {
      senders.shutdownNow();
    }
    return accepted;
  }

  /**
   * The destination got every accepted event exactly once and nothing else, each with the body
   * its provider sent (it names the delivery id).
   */
  static void assertEachDeliveredOnce(TestDestination dest, Map<UUID, String> accepted) {
    Map<String, Long> seen = dest.received().stream()
        .collect(Collectors.groupingBy(Received::eventId, Collectors.counting()));
    assertThat(seen.keySet()).isEqualTo(accepted.keySet().stream().map(UUID::toString).collect(Collectors.toSet()));
    assertThat(seen.values()).containsOnly(1L);
    Map<String, String> bodies = new HashMap<>();
    dest.received().forEach(r -> bodies.put(r.eventId(), r.body().toString()));
    accepted.forEach((id, delivery) -> assertThat(bodies.get(id.toString())).contains(delivery));
  }

  @Override
  public void close() throws IOException {
    try {
      hung.close();
    } finally {
      h.close();
    }
  }
}
