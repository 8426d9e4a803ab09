package io.hookline.delivery;

import io.hookline.testing.GitHubPost;
import io.hookline.testing.MainProcess;
import io.hookline.testing.TestServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * A Hookline node as a separate JVM ({@link MainProcess}), with one GitHub-verified source "gh"
 * whose destinations the test provides, on any free ports. Posts events signed the way GitHub
 * signs them. Kill it with {@link #kill9()} or stop it with {@link #sigterm}.
 */
final class NodeProcess implements AutoCloseable {
  static final String SECRET = "delivery-process-test-secret";

  final String nodeId;
  final int httpPort;
  final int managementPort;
  private final MainProcess process;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private NodeProcess(String nodeId, MainProcess process) {
    this.nodeId = nodeId;
    this.process = process;
    this.httpPort = process.httpPort();
    this.managementPort = process.managementPort();
  }

  /**
   * Starts a node and waits for "Hookline ready". {@code delivery} is the body of the delivery
   * section, {@code destinations} the YAML list items under the source (6-space indented).
   */
  static NodeProcess start(Path dir, String nodeId, String schema, String redisPrefix, String delivery,
                           String destinations) throws IOException, InterruptedException {
    Path config = dir.resolve(nodeId + ".yaml");
    Files.writeString(config, """
        nodeId: %s
        http: { host: 127.0.0.1, port: 0, instances: 1 }
        management: { host: 127.0.0.1, port: 0 }
        redis: { url: "%s", keyPrefix: "%s" }
        postgres: { url: "%s", schema: %s, poolSize: 4 }
        delivery: { %s }
        sources:
          - id: gh
            provider: github
            secrets: ["%s"]
            destinations:
        %s""".formatted(nodeId, TestServices.redisUrl(), redisPrefix, TestServices.pgUrl(), schema,
        delivery, SECRET, destinations));
    return new NodeProcess(nodeId, MainProcess.startNode(dir.resolve(nodeId + ".log"), Map.of(), null, config,
        Duration.ofSeconds(45)));
  }

  void awaitLog(String text, Duration within) throws InterruptedException {
    process.awaitLog(text, within);
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
    process.kill9();
  }

  /** SIGTERM: the node drains and exits by itself. */
  void sigterm(Duration within) throws InterruptedException {
    process.sigterm(within);
  }

  String logTail() {
    return process.tail();
  }

  @Override
  public void close() {
    process.close();
  }
}
