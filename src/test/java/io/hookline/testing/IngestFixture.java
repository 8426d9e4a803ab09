package io.hookline.testing;

import io.hookline.cli.EventSigner;
import io.hookline.metrics.Scrape;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

/**
 * What the ingest tests share: a node with one GitHub source {@code gh}, GitHub-signed requests to
 * it, raw sockets to its public port (for what an HTTP client will not send) and its request counters.
 */
public final class IngestFixture {
  private IngestFixture() {}

  /** The YAML fragment with one GitHub source {@code gh} signed with {@code secret}. */
  public static String githubSource(String secret) {
    return """
        sources:
          - id: gh
            provider: github
            secrets: ["%s"]
        """.formatted(secret);
  }

  /** An in-process node with only the GitHub source {@code gh}. */
  public static TestNode startWithGitHubSource(String secret) {
    return TestNode.start(githubSource(secret));
  }

  /** A GitHub-signed POST of {@code body} to {@code /webhooks/gh}, its bytes sent by {@code publisher}. */
  public static HttpRequest githubPost(TestNode node, String secret, String deliveryId, byte[] body,
                                       HttpRequest.BodyPublisher publisher, Duration timeout) {
    Map<String, String> headers = EventSigner.sign("github", secret, body, deliveryId, 0);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/webhooks/gh"))
        .timeout(timeout).header("Content-Type", "application/json").POST(publisher);
    headers.forEach(b::setHeader);
    return b.build();
  }

  /** A plain TCP connection to the node's public port. */
  public static Socket connect(TestNode node) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress("127.0.0.1", node.hookline.httpPort()), 5000);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** {@code hookline_requests_total} for one source and outcome, from the node's /metrics now. */
  public static double requests(TestNode node, String source, String outcome) {
    return requests(new Scrape(node.get(node.managementUrl() + "/metrics").body()), source, outcome);
  }

  /** {@code hookline_requests_total} for one source and outcome in a scrape. */
  public static double requests(Scrape metrics, String source, String outcome) {
    return metrics.named("hookline_requests_total").stream()
        .filter(s -> source.equals(s.labels().get("source")) && outcome.equals(s.labels().get("outcome")))
        .mapToDouble(Scrape.Sample::value).sum();
  }
}
