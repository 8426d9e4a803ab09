package io.hookline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.EventSigner;
import io.hookline.metrics.Scrape;
import io.hookline.testing.Eventually;
import io.hookline.testing.IngestFixture;
import io.hookline.testing.TestNode;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that goes away half-way through its body (TCP reset or plain close): the request is
 * failed cleanly (in-flight count back to 0, nothing stored, a metric says so) and the node carries on.
 */
class ClientResetMidBodyTest {
  static final String SECRET = "gh-reset-secret";
  static TestNode node;

  @BeforeAll
  static void start() {
    node = IngestFixture.startWithGitHubSource(SECRET);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void resetMidBodyReleasesTheRequestAndStoresNothing() throws Exception {
    halfBodyThen(true, "reset-" + System.nanoTime());
  }

  @Test
  void closeMidBodyReleasesTheRequestAndStoresNothing() throws Exception {
    halfBodyThen(false, "close-" + System.nanoTime());
  }

  private void halfBodyThen(boolean reset, String delivery) throws Exception {
    double abortedBefore = aborted();
    byte[] body = ("{\"zen\":\"" + "x".repeat(4000) + "\"}").getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = EventSigner.sign("github", SECRET, body, delivery, 0);
    for (int i = 0; i < 5; i++) {
      try (Socket socket = IngestFixture.connect(node)) {
        StringBuilder head = new StringBuilder("POST /webhooks/gh HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            .append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        OutputStream out = socket.getOutputStream();
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, body.length / 2);
        out.flush();
        awaitInFlight(1);
        if (reset) {
          socket.setSoLinger(true, 0); // close() sends a RST
        }
      }
      awaitInFlight(0);
    }
    Eventually.within(Duration.ofSeconds(30), () -> aborted() - abortedBefore >= 5, "5 requests counted client_aborted");
    assertThat(aborted() - abortedBefore).as("hookline_requests_total{outcome=client_aborted}").isEqualTo(5);
    assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE provider_event_id = $1", delivery)).isZero();

    // The same event, sent whole: accepted as new (nothing was claimed in Redis by the aborted ones).
    HttpResponse<String> whole = node.post("gh", body, headers);
    assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
    assertThat(whole.body()).contains("\"duplicate\":false");
    awaitInFlight(0);
  }

  static double inFlight() {
    return new Scrape(node.get(node.managementUrl() + "/metrics").body()).named("hookline_ingest_inflight").get(0).value();
  }

  static double aborted() {
    return IngestFixture.requests(node, "gh", "client_aborted");
  }

  static void awaitInFlight(double expected) {
    Eventually.within(Duration.ofSeconds(30), () -> inFlight() == expected,
        () -> "hookline_ingest_inflight reaches " + expected + " (is " + inFlight() + ")");
  }
}
