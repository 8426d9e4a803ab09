package io.hookline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.metrics.Scrape;
import io.hookline.testing.TcpProxy;
import io.hookline.testing.Eventually;
import io.hookline.testing.IngestFixture;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@code /health/ready} (both ports): ready = PostgreSQL answers on a connection of its own and the
 * node is not draining. Redis down keeps the node ready and shows in the body and in
 * {@code hookline_redis_up}.
 */
class ReadinessTest {
  static final String SECRET = "gh-readiness-secret";
  static final String SOURCES = IngestFixture.githubSource(SECRET);

  @Test
  void redisDownKeepsTheNodeReadyAndIsReportedInBodyAndMetric() throws Exception {
    URI redis = URI.create(TestServices.redisUrl());
    try (TcpProxy proxy = new TcpProxy(redis.getHost(), redis.getPort());
         TestNode node = TestNode.start(SOURCES, Map.of(), TestServices.pgUrl(), "redis://127.0.0.1:" + proxy.port())) {
      proxy.stop();
      for (String base : List.of(node.baseUrl(), node.managementUrl())) {
        HttpResponse<String> ready = node.get(base + "/health/ready");
        assertThat(ready.statusCode()).as(base + " " + ready.body()).isEqualTo(200);
        JsonObject body = new JsonObject(ready.body());
        assertThat(body.getString("status")).isEqualTo("UP");
        assertThat(body.getJsonObject("checks").getString("redis")).isEqualTo("DOWN");
        assertThat(body.getJsonObject("checks").getString("postgres")).isEqualTo("UP");
      }
      assertThat(redisUp(node)).isEqualTo(0.0);

      proxy.start();
      poll(() -> "UP".equals(new JsonObject(node.get(node.baseUrl() + "/health/ready").body())
          .getJsonObject("checks").getString("redis")), "redis reported UP again");
      poll(() -> redisUp(node) == 1.0, "hookline_redis_up back to 1");
    }
  }

  @Test
  void postgresDownMakesTheNodeUnreadyOnBothPorts() {
    PgConnectOptions real = PgConnectOptions.fromUri(TestServices.pgUrl());
    try (TcpProxy proxy = new TcpProxy(real.getHost(), real.getPort())) {
      String viaProxy = "postgresql://" + real.getUser() + "@127.0.0.1:" + proxy.port() + "/" + real.getDatabase();
      try (TestNode node = TestNode.start(SOURCES, Map.of(), viaProxy)) {
        proxy.stop();
        for (String base : List.of(node.baseUrl(), node.managementUrl())) {
          HttpResponse<String> ready = node.get(base + "/health/ready");
          assertThat(ready.statusCode()).as(base + " " + ready.body()).isEqualTo(503);
          JsonObject body = new JsonObject(ready.body());
          assertThat(body.getString("status")).isEqualTo("DOWN");
          assertThat(body.getJsonObject("checks").getString("postgres")).isEqualTo("DOWN");
          assertThat(body.getJsonObject("checks").getString("redis")).isEqualTo("UP");
        }
        proxy.start();
        poll(() -> node.get(node.baseUrl() + "/health/ready").statusCode() == 200, "ready again once PostgreSQL is back");
      }
    }
  }

  /**
   * The events table locked: ingest batches hang on their connections (and, once their commit
   * times out, new ones take the pool's last connection). PostgreSQL still answers, so the node
   * stays ready: the readiness query never waits in the ingest pool's queue.
   */
  @Test
  void readinessIsNotQueuedBehindStuckIngestBatches() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestNode node = TestNode.start("http: { port: 0, instances: 1 }\n" + SOURCES)) {
      SqlConnection locker = PgConnection.connect(vertx, PgConnectOptions.fromUri(TestServices.pgUrl())).await();
      List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
      try {
        locker.query("BEGIN").execute().await();
        locker.query("LOCK TABLE " + node.schemaName() + ".events IN ACCESS EXCLUSIVE MODE").execute().await();
        for (int i = 0; i < 6; i++) {
          byte[] body = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
          HttpRequest post = IngestFixture.githubPost(node, SECRET, "stuck-" + i + "-" + System.nanoTime(), body,
              HttpRequest.BodyPublishers.ofByteArray(body), Duration.ofSeconds(90));
          posts.add(node.http.sendAsync(post, HttpResponse.BodyHandlers.ofString()));
        }
        String inserts = "INSERT INTO " + node.schemaName() + ".events%";
        // Until every ingest connection is stuck behind the lock (or, where commits give their slot
        // back only when the query ends, until every request was answered): the worst case for readiness.
        poll(() -> node.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1",
            "%" + inserts) >= 3 || posts.stream().allMatch(CompletableFuture::isDone), "ingest connections stuck");

        HttpResponse<String> ready = node.get(node.baseUrl() + "/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(new JsonObject(ready.body()).getJsonObject("checks").getString("postgres")).isEqualTo("UP");
      } finally {
        locker.query("ROLLBACK").execute().await();
        locker.close().await();
        for (CompletableFuture<HttpResponse<String>> p : posts) {
          p.handle((r, e) -> null).get();
        }
        vertx.close().await();
      }
    }
  }

  /**
   * A network cut that drops packets instead of closing connections (a black hole), then heals:
   * the readiness connection that was cut is stuck for good, so the check must not keep waiting on
   * it: unready while cut, ready again once PostgreSQL is reachable.
   */
  @Test
  void readinessRecoversAfterABlackHoledConnection() throws Exception {
    PgConnectOptions real = PgConnectOptions.fromUri(TestServices.pgUrl());
    Vertx vertx = Vertx.vertx();
    BlackHoleProxy proxy = new BlackHoleProxy(vertx, real.getHost(), real.getPort());
    try {
      String viaProxy = "postgresql://" + real.getUser() + "@127.0.0.1:" + proxy.port + "/" + real.getDatabase();
      try (TestNode node = TestNode.start(SOURCES, Map.of(), viaProxy)) {
        assertThat(node.get(node.managementUrl() + "/health/ready").statusCode()).isEqualTo(200);
        proxy.dropping = true;
        HttpResponse<String> cut = node.get(node.managementUrl() + "/health/ready");
        assertThat(cut.statusCode()).as(cut.body()).isEqualTo(503);
        proxy.dropping = false;
        poll(() -> node.get(node.managementUrl() + "/health/ready").statusCode() == 200,
            "ready again once the network heals");
      }
    } finally {
      vertx.close().await();
    }
  }

  /** Relays TCP; while {@code dropping}, bytes in both directions are thrown away (connections stay open). */
  static final class BlackHoleProxy {
    final int port;
    volatile boolean dropping;

    BlackHoleProxy(Vertx vertx, String host, int targetPort) {
      this.port = TestServices.freePort();
      vertx.createNetServer().connectHandler(client -> {
        client.pause();
        vertx.createNetClient().connect(targetPort, host).onComplete(ar -> {
          if (ar.failed()) {
            client.close();
            return;
          }
          var upstream = ar.result();
          client.handler(b -> {
            if (!dropping) {
              upstream.write(b);
            }
          });
          upstream.handler(b -> {
            if (!dropping) {
              client.write(b);
            }
          });
          client.closeHandler(v -> upstream.close());
          upstream.closeHandler(v -> client.close());
          client.resume();
        });
      }).listen(port, "127.0.0.1").await();
    }
  }

  static double redisUp(TestNode node) {
    List<Scrape.Sample> s = new Scrape(node.get(node.managementUrl() + "/metrics").body()).named("hookline_redis_up");
    assertThat(s).as("hookline_redis_up exported").hasSize(1);
    return s.get(0).value();
  }

  static void poll(BooleanSupplier condition, String what) {
    Eventually.within(Duration.ofSeconds(60), condition, what);
  }
}
