package io.hookline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.metrics.Scrape;
import io.hookline.testing.IngestFixture;
import io.hookline.testing.MainProcess;
import io.hookline.testing.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC "Rejection logs": a flood of forged requests is counted exactly in
 * {@code hookline_requests_total}, but logs only a bounded number of lines plus summaries of what
 * was left out; another source/reason still gets its line during the flood. The node runs as its
 * own process and its stdout is what is counted.
 */
class RejectionFloodProcessTest {
  static final String SECRET = "rejection-flood-secret";
  static final int FLOOD = 2000;
  static final Pattern SUMMARY = Pattern.compile("rejected source=gh reason=invalid_signature: (\\d+) more");

  @TempDir
  Path dir;

  @Test
  void aForgedFloodLogsBoundedLinesWithSummariesWhileMetricsCountEveryRequest() throws Exception {
    int httpPort = TestServices.freePort();
    int mgmtPort = TestServices.freePort();
    Path config = dir.resolve("hookline.yaml");
    Files.writeString(config, """
        http: { host: 127.0.0.1, port: %d, instances: 2 }
        management: { host: 127.0.0.1, port: %d }
        redis: { url: "%s", keyPrefix: "%s" }
        postgres: { url: "%s", schema: %s }
        delivery: { drainTimeout: 2s }
        """.formatted(httpPort, mgmtPort, TestServices.redisUrl(), TestServices.freshPrefix(), TestServices.pgUrl(),
        TestServices.freshSchema()) + IngestFixture.githubSource(SECRET));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    try (MainProcess node = MainProcess.start(dir.resolve("node.log"), Map.of(), null, "run", "--config", config.toString())) {
      node.awaitLog("Hookline ready", Duration.ofSeconds(60));
      byte[] body = "{\"zen\":\"forged\"}".getBytes(StandardCharsets.UTF_8);
      HttpRequest forged = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/webhooks/gh"))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
          .header("X-GitHub-Delivery", "forged").header("X-GitHub-Event", "push")
          .header("X-Hub-Signature-256", "sha256=" + "0".repeat(64))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
      HttpRequest unsigned = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/webhooks/gh"))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
          .header("X-GitHub-Delivery", "unsigned").header("X-GitHub-Event", "push")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();

      AtomicInteger sent = new AtomicInteger();
      AtomicInteger unsignedStatus = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      long start = System.nanoTime();
      try {
        List<Future<?>> senders = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          senders.add(pool.submit(() -> {
            while (true) {
              int n = sent.incrementAndGet();
              if (n > FLOOD) {
                return null;
              }
              if (n == FLOOD / 2) {
                unsignedStatus.set(http.send(unsigned, HttpResponse.BodyHandlers.ofString()).statusCode());
              }
              HttpResponse<String> r = http.send(forged, HttpResponse.BodyHandlers.ofString());
              assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            }
          }));
        }
        for (Future<?> f : senders) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      long floodSeconds = (System.nanoTime() - start) / 1_000_000_000L + 1;
      assertThat(unsignedStatus.get()).isEqualTo(400);

      Scrape metrics = new Scrape(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mgmtPort + "/metrics"))
          .build(), HttpResponse.BodyHandlers.ofString()).body());
      assertThat(IngestFixture.requests(metrics, "gh", "invalid_signature")).isEqualTo(FLOOD);

      // Every rejection is either its own line or counted in a summary: wait for the last summary.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      long lines;
      long summarised;
      do {
        String log = node.output();
        lines = log.lines().filter(l -> l.contains("rejected source=gh reason=invalid_signature status=401")).count();
        summarised = 0;
        Matcher m = SUMMARY.matcher(log);
        while (m.find()) {
          summarised += Long.parseLong(m.group(1));
        }
        if (lines + summarised >= FLOOD) {
          break;
        }
        Thread.sleep(100);
      } while (System.nanoTime() - deadline < 0);
      assertThat(lines + summarised).as("lines %d + summarised %d", lines, summarised).isEqualTo(FLOOD);
      assertThat(summarised).isPositive();
      // At most 10 lines per second per node (this flood took %d s), plus one for a second split across windows.
      assertThat(lines).as("rejection lines in a %d s flood", floodSeconds).isLessThanOrEqualTo(10 * (floodSeconds + 1));
      assertThat(node.output()).as("another reason still gets its line during the flood")
          .contains("rejected source=gh reason=missing_signature status=400");
      assertThat(node.output()).doesNotContain(SECRET);
      assertThat(metrics.named("hookline_log_lines_dropped_total")).as("dropped log lines are counted").hasSize(1);
    }
  }
}
