package io.hookline.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.EventSigner;
import io.hookline.testing.TestNode;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Signed GitHub webhooks against one test node, and a background sender that keeps posting new
 * events (each also re-posted once) while a test breaks Redis, recording every acknowledged id.
 */
final class WebhookTraffic implements AutoCloseable {
  static final String SECRET = "gh-redis-topology-secret";
  static final String SOURCES = """
      sources:
        - id: gh
          provider: github
          secrets: ["%s"]
      """.formatted(SECRET);

  /** A 2xx answer: the Hookline id and whether it was a duplicate. */
  record Ack(String id, boolean duplicate) {}

  private final TestNode node;
  private final String run = Long.toString(System.nanoTime());
  private final AtomicInteger seq = new AtomicInteger();
  /** Event id → Hookline id of every acknowledged event. */
  final Map<String, String> acked = new ConcurrentHashMap<>();
  final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean running = new AtomicBoolean();
  private Thread sender;

  WebhookTraffic(TestNode node) {
    this.node = node;
  }

  String newEventId() {
    return "evt-" + run + "-" + seq.incrementAndGet();
  }

  /** The Redis key of this event (prefix + source + event id, no hash tag: it lands on any slot). */
  String key(String eventId) {
    return node.keyPrefix() + "gh:" + eventId;
  }

  /** Posts the event; null if the answer was not a 2xx (then it was not acknowledged). */
  Ack post(String eventId) {
    byte[] body = ("{\"action\":\"opened\",\"n\":\"" + eventId + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r = node.post("gh", body, EventSigner.sign("github", SECRET, body, eventId, 0));
    if (r.statusCode() / 100 != 2) {
      problems.add(eventId + ": HTTP " + r.statusCode() + " " + r.body());
      return null;
    }
    JsonObject json = new JsonObject(r.body());
    Ack ack = new Ack(json.getString("id"), json.getBoolean("duplicate"));
    String first = acked.putIfAbsent(eventId, ack.id());
    if (first != null && !first.equals(ack.id())) {
      problems.add(eventId + ": acknowledged as " + first + " and later as " + ack.id());
    }
    return ack;
  }

  /** Starts posting new events in the background, each followed by its duplicate. */
  void start() {
    running.set(true);
    sender = new Thread(() -> {
      while (running.get()) {
        String id = newEventId();
        if (post(id) != null) {
          post(id);
        }
      }
    }, "webhook-traffic");
    sender.start();
  }

  int ackedCount() {
    return acked.size();
  }

  void stop() throws InterruptedException {
    running.set(false);
    if (sender != null) {
      sender.join(60_000);
    }
  }

  /** Every acknowledged event is stored in PostgreSQL exactly once, under the id it was acknowledged with. */
  void assertEveryAckStoredOnce() {
    Map<String, List<String>> stored = new HashMap<>();
    for (Row row : node.query("SELECT provider_event_id, id::text FROM {schema}.events WHERE source_id = 'gh'")) {
      stored.computeIfAbsent(row.getString(0), k -> new ArrayList<>()).add(row.getString(1));
    }
    List<String> lost = new ArrayList<>();
    acked.forEach((eventId, id) -> {
      if (!List.of(id).equals(stored.get(eventId))) {
        lost.add(eventId + " acked as " + id + ", stored as " + stored.get(eventId));
      }
    });
    assertThat(lost).as("acknowledged events not stored exactly once").isEmpty();
    assertThat(problems).as("answers that were not a 2xx, or changed id").isEmpty();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
