package io.hookline.testing;

import io.hookline.cli.EventSigner;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Posts GitHub-signed events to a node running as its own process (source id "gh"). */
public final class GitHubPost {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private GitHubPost() {}

  /**
   * Returns the 200 answer. A 503 (storage briefly busy, node starting) is retried the way GitHub
   * would, until {@code within}; any other answer fails the test, naming {@code who}.
   */
  public static JsonObject untilAccepted(String who, int port, String secret, String deliveryId, String body,
                                         Duration within) throws IOException, InterruptedException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = EventSigner.sign("github", secret, bytes, deliveryId, 0);
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/gh"))
          .timeout(Duration.ofSeconds(20))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
      headers.forEach(request::header);
      HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        return new JsonObject(r.body());
      }
      if (r.statusCode() != 503 || System.nanoTime() - deadline > 0) {
        throw new AssertionError(who + " answered " + r.statusCode() + " " + r.body());
      }
      Thread.sleep(100);
    }
  }
}
