package io.hookline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.EventSigner;
import io.hookline.testing.TestNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a draining node answers, on both ports (in-process; the SIGTERM path is GracefulDrainTest). */
class DrainBehaviourTest {
  static final String SECRET = "drain-behaviour-secret";
  TestNode node;

  @BeforeEach
  void start() {
    node = TestNode.start("""
        sources:
          - id: gh
            provider: github
            secrets: ["%s"]
        """.formatted(SECRET));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void drainingNodeIsNotReadyAndRefusesNewWebhooksWithRetryAfter() {
    assertThat(node.get(node.baseUrl() + "/health/ready").statusCode()).isEqualTo(200);
    assertThat(node.get(node.managementUrl() + "/health/ready").statusCode()).isEqualTo(200);

    node.hookline.node().startDraining();

    for (String base : new String[] {node.baseUrl(), node.managementUrl()}) {
      HttpResponse<String> ready = node.get(base + "/health/ready");
      assertThat(ready.statusCode()).as(base).isEqualTo(503);
      assertThat(ready.body()).contains("\"draining\":true");
      assertThat(ready.headers().firstValue("X-Request-Id")).isPresent();
      HttpResponse<String> live = node.get(base + "/health/live");
      assertThat(live.statusCode()).as("still alive while draining").isEqualTo(200);
    }

    byte[] body = "{\"zen\":\"drain\"}".getBytes(StandardCharsets.UTF_8);
    String delivery = "drain-" + System.nanoTime();
    var headers = new java.util.HashMap<>(EventSigner.sign("github", SECRET, body, delivery, System.currentTimeMillis() / 1000));
    headers.put("X-Request-Id", "drain-req-1");
    RawHttp.Result r = RawHttp.post(node.hookline.httpPort(), "/webhooks/gh", headers, body, 10_000);
    assertThat(r.kind()).isEqualTo(RawHttp.Kind.RESPONSE);
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.header("Retry-After")).isEqualTo("2");
    assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
    assertThat(r.header("X-Request-Id")).isEqualTo("drain-req-1");
    assertThat(r.body()).contains("\"reason\":\"unavailable\"");
    assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE provider_event_id = $1", delivery)).isZero();

    String metrics = node.get(node.managementUrl() + "/metrics").body();
    assertThat(metrics).contains("hookline_draining 1.0")
        .contains("hookline_requests_total{outcome=\"unavailable\",source=\"gh\"} 1.0");
  }
}
