package io.hookline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.EventSigner;
import io.hookline.testing.MainProcess;
import io.hookline.testing.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM in the middle of a steady stream, against a real node process on real Redis and
 * PostgreSQL. What "no request was cut off" means here, precisely: every request, each on its own
 * connection, ends in exactly one of
 * <ul>
 *   <li>a complete 200, whose event is then in PostgreSQL with the id the response gave;</li>
 *   <li>a complete 503 with {@code Retry-After}, only after SIGTERM was sent (the node drains);</li>
 *   <li>a refused connection, only after SIGTERM was sent (the public listener has closed);</li>
 * </ul>
 * and never in a connection that ends without a complete response. The senders behave like
 * providers: after a 503 they wait {@code Retry-After} before the next request. To be sure that requests are
 * in flight when SIGTERM arrives, the test holds a lock on the events table first, so their
 * commits wait; it checks the node reports not-ready at once, then lets the commits through: those
 * requests must still be answered 200 and be stored. The process must exit by itself within
 * {@code delivery.drainTimeout}.
 */
class GracefulDrainTest {
  static final String SECRET = "drain-test-secret";
  static final int THREADS = 6;
  static final long DRAIN_TIMEOUT_S = 10;

  @TempDir
  Path dir;

  @Test
  void sigtermMidStreamDrainsCommitsInFlightAndExits() throws Exception {
    String schema = TestServices.freshSchema();
    Path config = dir.resolve("hookline.yaml");
    Files.writeString(config, """
        http: { host: 127.0.0.1, port: 0, instances: 2 }
        management: { host: 127.0.0.1, port: 0 }
        redis: { url: "%s", keyPrefix: "%s" }
        postgres: { url: "%s", schema: %s }
        store: { retryAfter: 1s }
        delivery: { drainTimeout: %ds }
        log: { format: json }
        sources:
          - id: gh
            provider: github
            secrets: ["%s"]
        """.formatted(TestServices.redisUrl(), TestServices.freshPrefix(), TestServices.pgUrl(),
        schema, DRAIN_TIMEOUT_S, SECRET));
    Vertx vertx = Vertx.vertx();
    Pool sql = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(PgConnectOptions.fromUri(TestServices.pgUrl())).using(vertx).build();
    HttpClient mgmt = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    MainProcess node = MainProcess.startNode(dir.resolve("node.log"), Map.of(), null, config, Duration.ofSeconds(60));
    int httpPort = node.httpPort();
    int mgmtPort = node.managementPort();
    try {

      ConcurrentLinkedQueue<RawHttp.Result> results = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong seq = new AtomicLong();
      List<Thread> senders = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Thread th = new Thread(() -> {
          while (!stop.get()) {
            String delivery = "drain-" + ProcessHandle.current().pid() + "-" + seq.incrementAndGet();
            byte[] body = ("{\"zen\":\"drain\",\"delivery\":\"" + delivery + "\"}").getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = new HashMap<>(EventSigner.sign("github", SECRET, body, delivery,
                System.currentTimeMillis() / 1000));
            headers.put("X-Test-Delivery", delivery);
            RawHttp.Result r = RawHttp.post(httpPort, "/webhooks/gh", headers, body, 30_000);
            results.add(new RawHttp.Result(r.kind(), r.status(), withDelivery(r, delivery), r.body(), r.error(),
                r.sentAtMillis(), r.doneAtMillis()));
            // Like a provider: after a 503, wait Retry-After (real ones wait that or much longer).
            String retryAfter = r.header("Retry-After");
            if (r.kind() == RawHttp.Kind.RESPONSE && r.status() == 503 && retryAfter != null) {
              sleep(Long.parseLong(retryAfter) * 1000);
            } else if (r.kind() != RawHttp.Kind.RESPONSE || r.status() != 200) {
              sleep(100);
            }
          }
        }, "drain-sender-" + t);
        th.start();
        senders.add(th);
      }

      // A steady stream first.
      awaitCondition("20 events accepted before SIGTERM", Duration.ofSeconds(30),
          () -> results.stream().filter(r -> r.status() == 200).count() > 20);

      // Hold the events table: from now on requests wait for their commit, i.e. they are in flight.
      SqlConnection lock = sql.getConnection().await();
      lock.query("BEGIN").execute().await();
      lock.query("LOCK TABLE " + schema + ".events IN SHARE ROW EXCLUSIVE MODE").execute().await();
      awaitInFlight(mgmt, mgmtPort);

      long sigtermAt = System.currentTimeMillis();
      node.sendSigterm();
      // Not ready at once (as soon as the JVM runs its shutdown hook), while the in-flight requests
      // are still waiting for their commit.
      HttpResponse<String> ready;
      do {
        ready = mgmt.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mgmtPort + "/health/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      } while (ready.statusCode() == 200 && System.currentTimeMillis() - sigtermAt < 1000);
      long readyCheckedAt = System.currentTimeMillis();
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
      assertThat(ready.body()).contains("\"draining\":true");
      // Draining, with every sender's request still waiting for its commit: the node must hold them.
      awaitMetric(mgmt, mgmtPort, "hookline_draining", 1);
      awaitMetric(mgmt, mgmtPort, "hookline_ingest_inflight", THREADS);
      long unlockAt = System.currentTimeMillis();
      lock.query("COMMIT").execute().await();
      lock.close().await();

      boolean exited = node.waitFor(Duration.ofSeconds(DRAIN_TIMEOUT_S + 5));
      long exitedAt = System.currentTimeMillis();
      // The stream goes on (after the senders' Retry-After) against the closed port.
      awaitCondition("a request refused after the listener closed", Duration.ofSeconds(20),
          () -> results.stream().anyMatch(r -> r.kind() == RawHttp.Kind.REFUSED && r.sentAtMillis() >= exitedAt));
      stop.set(true);
      for (Thread th : senders) {
        th.join(40_000);
      }
      String output = node.output();
      assertThat(exited).as("node exited by itself; log:\n" + tail(output)).isTrue();
      assertThat(exitedAt - sigtermAt).as("exit within drainTimeout").isLessThan(DRAIN_TIMEOUT_S * 1000);
      assertThat(node.exitValue()).as("exit code after SIGTERM").isIn(0, 143);
      assertThat(readyCheckedAt - sigtermAt).as("ms from SIGTERM to ready = 503").isLessThan(1000);

      // Every request ended in exactly one of the allowed ways.
      List<RawHttp.Result> all = new ArrayList<>(results);
      List<String> violations = new ArrayList<>();
      Map<String, String> acked = new HashMap<>();
      int inFlightAtSigtermAcked = 0;
      int refused = 0;
      int draining503 = 0;
      for (RawHttp.Result r : all) {
        String delivery = r.headers().get("x-test-delivery");
        switch (r.kind()) {
          case CUT_OFF -> violations.add("cut off without a response: " + delivery + " " + r.error()
              + " sent " + (r.sentAtMillis() - sigtermAt) + " ms after SIGTERM");
          case REFUSED -> {
            refused++;
            if (r.sentAtMillis() < sigtermAt) {
              violations.add("refused before SIGTERM: " + delivery);
            }
          }
          case RESPONSE -> {
            if (r.status() == 200) {
              String id = new JsonObject(r.body()).getString("id");
              acked.put(delivery, id);
              if (r.sentAtMillis() < sigtermAt && r.doneAtMillis() >= unlockAt) {
                inFlightAtSigtermAcked++;
              }
            } else if (r.status() == 503) {
              draining503++;
              if (r.doneAtMillis() < sigtermAt) {
                violations.add("503 before SIGTERM: " + delivery + " " + r.body());
              }
              if (r.header("Retry-After") == null) {
                violations.add("503 without Retry-After: " + delivery);
              }
            } else {
              violations.add("unexpected status " + r.status() + ": " + delivery + " " + r.body());
            }
          }
        }
      }
      assertThat(violations).as("requests not ending in 200 / 503+Retry-After / refused-after-SIGTERM; node log:\n"
          + tail(output)).isEmpty();
      assertThat(inFlightAtSigtermAcked).as("requests in flight at SIGTERM, answered 200 after the commits resumed")
          .isGreaterThan(0);
      assertThat(refused).as("the listener closed while the stream went on").isGreaterThan(0);

      // Every 2xx is committed, with the id it was acknowledged with.
      Map<String, String> stored = new HashMap<>();
      for (Row row : sql.preparedQuery("SELECT provider_event_id, id::text FROM " + schema + ".events WHERE source_id = 'gh'")
          .execute().await()) {
        stored.put(row.getString(0), row.getString(1));
      }
      List<String> lost = new ArrayList<>();
      acked.forEach((delivery, id) -> {
        if (!id.equals(stored.get(delivery))) {
          lost.add(delivery + " acked as " + id + ", stored as " + stored.get(delivery));
        }
      });
      assertThat(lost).as("acknowledged events not in PostgreSQL").isEmpty();
      assertThat(acked).isNotEmpty();

      // Logs: JSON lines, with the drain told at start and at the end.
      List<JsonObject> lines = new ArrayList<>();
      for (String line : output.split("\n")) {
        if (line.startsWith("{")) {
          lines.add(new JsonObject(line));
        }
      }
      assertThat(lines).extracting(j -> j.getString("formattedMessage"))
          .anyMatch(m -> m.startsWith("Hookline ready"))
          .anyMatch(m -> m.startsWith("draining"))
          .anyMatch(m -> m.startsWith("drained"))
          .anyMatch(m -> m.contains("stopped after"));
      System.out.printf("drain test: %d requests, %d acked (%d of them in flight at SIGTERM), %d x 503 draining, "
              + "%d refused after close, ready=503 %d ms and exit %d ms after SIGTERM%n", all.size(), acked.size(), inFlightAtSigtermAcked,
          draining503, refused, readyCheckedAt - sigtermAt, exitedAt - sigtermAt);
    } finally {
      node.close();
      sql.close().await();
      vertx.close().await();
      TestServices.dropSchema(schema);
    }
  }

  private static Map<String, String> withDelivery(RawHttp.Result r, String delivery) {
    Map<String, String> h = new HashMap<>(r.headers());
    h.put("x-test-delivery", delivery);
    return h;
  }

  /** Waits until the node reports webhooks in flight (they wait on the locked table). */
  private static void awaitInFlight(HttpClient mgmt, int mgmtPort) throws Exception {
    awaitMetric(mgmt, mgmtPort, "hookline_ingest_inflight", THREADS);
  }

  /** Polls the management port until {@code gauge} is at least {@code atLeast}. */
  private static void awaitMetric(HttpClient mgmt, int mgmtPort, String gauge, double atLeast) throws Exception {
    awaitCondition(gauge + " >= " + atLeast, Duration.ofSeconds(10), () -> {
      String metrics = mgmt.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mgmtPort + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (String line : metrics.split("\n")) {
        if (line.startsWith(gauge + " ") && Double.parseDouble(line.split(" ")[1]) >= atLeast) {
          return true;
        }
      }
      return false;
    });
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void awaitCondition(String what, Duration within, Condition condition) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + within + ": " + what);
      }
      Thread.sleep(20);
    }
  }

  private static String tail(String s) {
    return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
