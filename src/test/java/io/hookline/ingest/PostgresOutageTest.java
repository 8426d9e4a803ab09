package io.hookline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.EventSigner;
import io.hookline.testing.TcpProxy;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PostgreSQL unreachable: 503 + Retry-After, nothing acknowledged, and the retry is not blocked by Redis. */
class PostgresOutageTest {
  static final String SECRET = "gh-outage-secret";

  @Test
  void unreachablePostgresAnswers503AndTheRetryIsProcessedAsNew() {
    PgConnectOptions real = PgConnectOptions.fromUri(TestServices.pgUrl());
    try (TcpProxy proxy = new TcpProxy(real.getHost(), real.getPort())) {
      String viaProxy = "postgresql://" + real.getUser() + "@127.0.0.1:" + proxy.port() + "/" + real.getDatabase();
      try (TestNode node = TestNode.start("""
          sources:
            - id: gh
              provider: github
              secrets: ["%s"]
          """.formatted(SECRET), Map.of(), viaProxy)) {
        String delivery = "outage-" + System.nanoTime();
        byte[] body = "{\"zen\":\"Keep it logically awesome.\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = EventSigner.sign("github", SECRET, body, delivery, 0);

        proxy.stop();
        HttpResponse<String> down = node.post("gh", body, headers);
        assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).isPresent();
        assertThat(new JsonObject(down.body()).getString("reason")).isEqualTo("unavailable");
        // The failed batch released its Redis claim: nothing in Redis says this event exists.
        assertThat(RedisKeys.exists(node.keyPrefix() + "gh:" + delivery)).isFalse();
        HttpResponse<String> ready = node.get(node.baseUrl() + "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);

        proxy.start();
        HttpResponse<String> retry = node.post("gh", body, headers);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(new JsonObject(retry.body()).getBoolean("duplicate")).isFalse();
        assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE provider_event_id = $1", delivery)).isEqualTo(1);
      }
    }
  }
}
