package io.hookline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.ingest.IngestMetrics;
import io.hookline.cli.EventSigner;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The management port of a real node (real Redis, PostgreSQL, HTTP destinations) after real
 * traffic: every SPEC meter is there with bounded labels, histograms have the sub-ms..10 s buckets,
 * and every metric the Grafana dashboard in deploy/ queries exists in the scrape.
 */
class MetricsEndpointTest {
  static final String GH_SECRET = "gh-metrics-secret";
  static final String STD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static Vertx destinations;
  static HttpServer ok;
  static HttpServer failing;
  static final AtomicInteger okHits = new AtomicInteger();
  static final AtomicInteger failingHits = new AtomicInteger();
  static TestNode node;
  static Scrape scrape;

  @BeforeAll
  static void start() throws Exception {
    destinations = Vertx.vertx();
    ok = destinations.createHttpServer().requestHandler(req -> req.body().onComplete(b -> {
      okHits.incrementAndGet();
      req.response().end();
    })).listen(0, "127.0.0.1").await();
    failing = destinations.createHttpServer().requestHandler(req -> req.body().onComplete(b -> {
      failingHits.incrementAndGet();
      req.response().setStatusCode(500).end();
    })).listen(0, "127.0.0.1").await();
    node = TestNode.start("""
        sources:
          - id: gh
            provider: github
            secrets: ["%s"]
            maxBodyBytes: 2048
            destinations:
              - id: ok
                url: http://127.0.0.1:%d/in
              - id: flaky
                url: http://127.0.0.1:%d/in
                maxAttempts: 2
                initialBackoff: 100ms
                maxBackoff: 200ms
          - id: std
            provider: standard
            secrets: ["%s"]
        delivery: { pollInterval: 200ms }
        metrics: { deadRefresh: 200ms }
        """.formatted(GH_SECRET, ok.actualPort(), failing.actualPort(), STD_SECRET));
    sendTraffic();
    System.gc(); // so the GC pause meters have a sample
    scrape = awaitScrape();
    // For looking at by hand after a run.
    java.nio.file.Files.writeString(Path.of("target", "metrics-scrape.txt"), scrape.text);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (destinations != null) {
      destinations.close().await();
    }
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  static HttpResponse<String> github(String delivery, byte[] body) {
    return node.post("gh", body, EventSigner.sign("github", GH_SECRET, body, delivery, now()));
  }

  static void sendTraffic() {
    for (int i = 0; i < 20; i++) {
      String id = "m-" + System.nanoTime() + "-" + i;
      byte[] body = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
      assertThat(github(id, body).statusCode()).isEqualTo(200);
      if (i % 5 == 0) {
        assertThat(github(id, body).body()).contains("\"duplicate\":true");
      }
    }
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    assertThat(node.post("gh", body, Map.of("X-Hub-Signature-256", "sha256=" + "0".repeat(64),
        "X-GitHub-Delivery", "bad-1")).statusCode()).isEqualTo(401);
    assertThat(node.post("gh", body, Map.of("X-GitHub-Delivery", "bad-2")).statusCode()).isEqualTo(400);
    assertThat(node.post("gh", body, Map.of("X-Hub-Signature-256", "md5=zz", "X-GitHub-Delivery", "bad-3"))
        .statusCode()).isEqualTo(400);
    assertThat(node.post("gh", new byte[4096], EventSigner.sign("github", GH_SECRET, new byte[4096], "big", now()))
        .statusCode()).isEqualTo(413);
    assertThat(node.post("std", body, EventSigner.sign("standard", STD_SECRET, body, "old", now() - 3600))
        .statusCode()).isEqualTo(401);
    // The router's own answers on the public port are counted too.
    assertThat(node.get(node.baseUrl() + "/nowhere").statusCode()).isEqualTo(404);
    assertThat(node.get(node.baseUrl() + "/webhooks/gh").statusCode()).isEqualTo(405);
    // Request-chosen source ids must not become label values.
    for (int i = 0; i < 5; i++) {
      assertThat(node.post("nope-" + i, body, Map.of()).statusCode()).isEqualTo(404);
    }
  }

  /** Scrapes until the delivery meters show the traffic above (delivery is asynchronous). */
  static Scrape awaitScrape() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    Scrape s;
    do {
      s = new Scrape(node.get(node.managementUrl() + "/metrics").body());
      boolean delivered = s.sum("hookline_deliveries_total", Map.of("destination", "ok")) >= 20;
      boolean flakyDone = s.sum("hookline_deliveries_total", Map.of("destination", "flaky", "outcome", "dead")) >= 20;
      boolean deadGauge = s.sum("hookline_deliveries_dead", Map.of()) >= 20;
      boolean nonePending = s.sum("hookline_deliveries_oldest_pending_seconds", Map.of()) == 0;
      if (delivered && flakyDone && deadGauge && nonePending) {
        return s;
      }
      Thread.sleep(200);
    } while (System.currentTimeMillis() < deadline);
    return s;
  }

  @Test
  void specMetersArePresentWithTheSpecLabels() {
    assertThat(scrape.names()).contains(
        "hookline_requests_total",
        "hookline_ingest_seconds_bucket", "hookline_ingest_seconds_count", "hookline_ingest_seconds_sum",
        "hookline_deliveries_total",
        "hookline_delivery_seconds_count",
        "hookline_events_pending");
    Set<String> outcomes = scrape.labelValues("hookline_requests_total", "outcome");
    assertThat(outcomes).contains("accepted", "duplicate", "invalid_signature", "malformed_signature",
        "missing_signature", "timestamp_out_of_tolerance", "unknown_source", "body_too_large", "unavailable");
    assertThat(scrape.sum("hookline_requests_total", Map.of("source", "gh", "outcome", "accepted"))).isEqualTo(20);
    assertThat(scrape.sum("hookline_requests_total", Map.of("source", "gh", "outcome", "duplicate"))).isEqualTo(4);
    assertThat(scrape.sum("hookline_requests_total", Map.of("source", "gh", "outcome", "invalid_signature"))).isEqualTo(1);
    assertThat(scrape.sum("hookline_requests_total", Map.of("source", "gh", "outcome", "missing_signature"))).isEqualTo(1);
    assertThat(scrape.sum("hookline_requests_total", Map.of("source", "gh", "outcome", "malformed_signature"))).isEqualTo(1);
    assertThat(scrape.sum("hookline_requests_total", Map.of("source", "gh", "outcome", "body_too_large"))).isEqualTo(1);
    assertThat(scrape.sum("hookline_requests_total", Map.of("source", "std", "outcome", "timestamp_out_of_tolerance"))).isEqualTo(1);
    assertThat(scrape.sum("hookline_requests_total", Map.of("outcome", "unknown_source"))).isEqualTo(5);
    assertThat(scrape.sum("hookline_requests_total", Map.of("source", "_unknown", "outcome", "not_found"))).isEqualTo(1);
    assertThat(scrape.sum("hookline_requests_total", Map.of("source", "_unknown", "outcome", "method_not_allowed"))).isEqualTo(1);
    assertThat(scrape.labelValues("hookline_requests_total", "outcome")).contains("internal_error");
    assertThat(scrape.sum("hookline_requests_total", Map.of("outcome", "internal_error"))).isZero();
    assertThat(scrape.sum("hookline_ingest_seconds_count", Map.of())).isGreaterThanOrEqualTo(34);
  }

  @Test
  void issueMetersArePresent() {
    assertThat(scrape.names()).contains(
        "hookline_verify_seconds_bucket",          // verification time per scheme
        "hookline_dedup_redis_seconds_bucket",     // Redis dedup round trip
        "hookline_store_batch_size_bucket",        // store batch size
        "hookline_store_commit_seconds_bucket",    // commit latency
        "hookline_store_queue_depth",              // store queue depth
        "hookline_handoff_lag_seconds_bucket",     // event-bus hand-off lag
        "hookline_eventloop_lag_seconds_bucket",   // event-loop lag
        "hookline_eventloop_blocked_seconds",
        "hookline_ingest_inflight", "hookline_draining",
        "hookline_deliveries_total", "hookline_events_pending", "hookline_deliveries_dead", // attempts, pending, dead
        "hookline_deliveries_oldest_pending_seconds", "hookline_redis_up", "hookline_log_lines_dropped_total");
    assertThat(scrape.sum("hookline_deliveries_total", Map.of("destination", "ok", "outcome", "delivered"))).isEqualTo(20);
    assertThat(scrape.sum("hookline_deliveries_total", Map.of("destination", "flaky", "outcome", "retry"))).isEqualTo(20);
    assertThat(scrape.sum("hookline_deliveries_total", Map.of("destination", "flaky", "outcome", "dead"))).isEqualTo(20);
    assertThat(scrape.sum("hookline_deliveries_dead", Map.of())).isEqualTo(20);
    assertThat(scrape.sum("hookline_deliveries_oldest_pending_seconds", Map.of())).isZero(); // all delivered or dead
    assertThat(scrape.labelValues("hookline_verify_seconds_count", "scheme")).containsExactlyInAnyOrder("github", "standard");
    assertThat(scrape.sum("hookline_store_batch_size_count", Map.of())).isGreaterThan(0);
    assertThat(scrape.sum("hookline_eventloop_lag_seconds_count", Map.of())).isGreaterThan(0);
    // One lag series per event loop, nothing else.
    assertThat(scrape.labelValues("hookline_eventloop_lag_seconds_count", "loop")).isNotEmpty()
        .allMatch(l -> l.matches("\\d+"));
  }

  @Test
  void vertxAndJvmMetersArePresentButNotPerRequestHttpMeters() {
    assertThat(scrape.names()).contains("jvm_memory_used_bytes", "jvm_gc_pause_seconds_count", "jvm_threads_live_threads",
        "process_cpu_usage", "vertx_pool_in_use", "vertx_pool_queue_pending");
    assertThat(scrape.names()).noneMatch(n -> n.startsWith("vertx_http_server_"));
    assertThat(scrape.names()).noneMatch(n -> n.startsWith("vertx_eventbus_"));
    // Per-attempt delivery meters of Vert.x's HTTP client: hookline_delivery_seconds measures each attempt.
    assertThat(scrape.names()).noneMatch(n -> n.startsWith("vertx_http_client_") || n.startsWith("vertx_net_client_"));
    assertThat(scrape.names()).contains("hookline_delivery_seconds_count");
  }

  @Test
  void latencyHistogramsResolveSubMillisecondToTenSeconds() {
    Set<String> le = scrape.labelValues("hookline_ingest_seconds_bucket", "le");
    assertThat(le).contains("1.0E-4", "2.5E-4", "5.0E-4", "0.001", "0.01", "0.1", "1.0", "10.0", "+Inf");
    assertThat(scrape.labelValues("hookline_delivery_seconds_bucket", "le")).contains("0.001", "10.0");
  }

  @Test
  void labelValuesComeFromConfigOnly() {
    Set<String> sources = new TreeSet<>();
    Set<String> dests = new TreeSet<>();
    for (Scrape.Sample s : scrape.samples) {
      if (s.name().startsWith("hookline_") && s.labels().containsKey("source")) {
        sources.add(s.labels().get("source"));
      }
      if (s.name().startsWith("hookline_") && s.labels().containsKey("destination")) {
        dests.add(s.labels().get("destination"));
      }
    }
    assertThat(sources).isSubsetOf("gh", "std", IngestMetrics.UNKNOWN_SOURCE_LABEL);
    assertThat(dests).isSubsetOf("ok", "flaky");
    assertThat(scrape.text).doesNotContain("nope-").doesNotContain(GH_SECRET).doesNotContain(STD_SECRET);
    // No random ids as label values (e.g. unnamed client pools), no control characters.
    for (Scrape.Sample s : scrape.samples) {
      for (String v : s.labels().values()) {
        assertThat(v).as(s.name() + " " + s.labels())
            .doesNotContainPattern("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
            .doesNotContainPattern("\\p{Cntrl}");
      }
    }
  }

  @Test
  void everyMetricTheDashboardQueriesExistsInARealScrape() throws Exception {
    Dashboard dashboard = new Dashboard(Path.of(System.getProperty("user.dir")).resolve(Dashboard.FILE));
    assertThat(dashboard.queries).isNotEmpty();
    Map<String, String> used = dashboard.metricNames();
    List<String> missing = new ArrayList<>();
    used.forEach((name, where) -> {
      // "up" is recorded by Prometheus itself for every scrape target.
      if (!name.equals("up") && !scrape.names().contains(name)) {
        missing.add(name + " (" + where + ")");
      }
    });
    assertThat(missing).as("dashboard metrics absent from a real scrape").isEmpty();
    dashboard.queries.forEach((where, q) ->
        assertThat(Dashboard.metricNames(q)).as("metric names in %s: %s", where, q).isNotEmpty());
    // What the issue asks the dashboard to show.
    assertThat(used.keySet()).contains("hookline_requests_total", "hookline_ingest_seconds_bucket",
        "hookline_store_batch_size_bucket", "hookline_store_commit_seconds_bucket", "hookline_deliveries_total",
        "hookline_events_pending", "hookline_deliveries_dead", "jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum",
        "hookline_eventloop_lag_seconds_bucket", "hookline_deliveries_oldest_pending_seconds", "hookline_redis_up",
        "hookline_log_lines_dropped_total");
  }

  @Test
  void managementPortServesHealthWithRequestIds() {
    HttpResponse<String> live = node.get(node.managementUrl() + "/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.headers().firstValue("X-Request-Id")).isPresent();
    HttpResponse<String> ready = node.get(node.managementUrl() + "/health/ready");
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(ready.body()).contains("\"redis\":\"UP\"").contains("\"postgres\":\"UP\"");
    assertThat(ready.headers().firstValue("X-Request-Id")).isPresent();
    HttpResponse<String> metrics = node.get(node.managementUrl() + "/metrics");
    assertThat(metrics.headers().firstValue("X-Request-Id")).isPresent();
    HttpResponse<String> missing = node.get(node.managementUrl() + "/nothing-here");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("X-Request-Id")).isPresent();
    HttpResponse<String> publicMissing = node.get(node.baseUrl() + "/nothing-here");
    assertThat(publicMissing.statusCode()).isEqualTo(404);
    assertThat(publicMissing.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(node.get(node.baseUrl() + "/health/ready").headers().firstValue("X-Request-Id")).isPresent();
  }

  @Test
  void requestIdIsPassedThroughOnErrorsAndAccepted() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> rejected = node.post("gh", body, Map.of("X-GitHub-Delivery", "rid-1", "X-Request-Id", "trace-abc-123"));
    assertThat(rejected.statusCode()).isEqualTo(400);
    assertThat(rejected.headers().firstValue("X-Request-Id")).hasValue("trace-abc-123");
    Map<String, String> headers = new java.util.HashMap<>(EventSigner.sign("github", GH_SECRET, body, "rid-2-" + System.nanoTime(), now()));
    headers.put("X-Request-Id", "bad id with spaces");
    HttpResponse<String> accepted = node.post("gh", body, headers);
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(accepted.headers().firstValue("X-Request-Id")).isPresent().get().asString()
        .doesNotContain(" ").isNotBlank();
  }

  static int freePort() {
    return TestServices.freePort();
  }
}
