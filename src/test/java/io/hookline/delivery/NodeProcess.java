package io.hookline.delivery;

import io.hookline.testing.GitHubPost;
import io.hookline.testing.TestServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A Hookline node as a separate JVM ({@code io.hookline.Main} on the test class path), with one
 * GitHub-verified source "gh" whose destinations the test provides. Posts events signed the way
 * GitHub signs them. Kill it with {@link #kill9()} or stop it with {@link #sigterm()}.
 */
final class NodeProcess implements AutoCloseable {
  static final String SECRET = "delivery-process-test-secret";

  final String nodeId;
  final int httpPort;
  final int managementPort;
  final Path log;
  private final Process process;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private NodeProcess(String nodeId, int httpPort, int managementPort, Path log, Process process) {
    this.nodeId = nodeId;
    this.httpPort = httpPort;
    this.managementPort = managementPort;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts a node and waits for "Hookline ready". {@code delivery} is the body of the delivery
   * section, {@code destinations} the YAML list items under the source (6-space indented).
   */
  static NodeProcess start(Path dir, String nodeId, String schema, String redisPrefix, String delivery,
                           String destinations) throws IOException, InterruptedException {
    int httpPort = TestServices.freePort();
    int mgmtPort = TestServices.freePort();
    Path config = dir.resolve(nodeId + ".yaml");
    Files.writeString(config, """
        nodeId: %s
        http: { host: 127.0.0.1, port: %d, instances: 1 }
        management: { host: 127.0.0.1, port: %d }
        redis: { url: "%s", keyPrefix: "%s" }
        postgres: { url: "%s", schema: %s, poolSize: 4 }
        delivery: { %s }
        sources:
          - id: gh
            provider: github
            secrets: ["%s"]
            destinations:
        %s""".formatted(nodeId, httpPort, mgmtPort, TestServices.redisUrl(), redisPrefix, TestServices.pgUrl(), schema,
        delivery, SECRET, destinations));
    Path log = dir.resolve(nodeId + ".log");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "io.hookline.Main", "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    NodeProcess node = new NodeProcess(nodeId, httpPort, mgmtPort, log, p);
    node.awaitLog("Hookline ready", Duration.ofSeconds(45));
    return node;
  }

  void awaitLog(String text, Duration within) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError(nodeId + " exited before '" + text + "':\n" + logTail());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no '" + text + "' from " + nodeId + " within " + within + ":\n" + logTail());
  }

  /** POSTs a GitHub-signed event; returns the Hookline event id from the 200 answer (503s retried). */
  UUID post(String deliveryId, String body) throws IOException, InterruptedException {
    return UUID.fromString(GitHubPost.untilAccepted(nodeId, httpPort, SECRET, deliveryId, body, Duration.ofSeconds(20))
        .getString("id"));
  }

  /** The Prometheus text of the management port. */
  String metrics() throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** SIGKILL: no shutdown hook, no drain, no lease release. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError(nodeId + " survived SIGKILL");
    }
  }

  /** SIGTERM: the node drains and exits by itself. */
  void sigterm(Duration within) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(nodeId + " did not exit within " + within + " of SIGTERM");
    }
  }

  String logTail() {
    try {
      String s = Files.exists(log) ? Files.readString(log) : "";
      return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
