package io.hookline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.EventSigner;
import io.hookline.testing.TcpProxy;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Redis unreachable: requests still succeed, PostgreSQL's unique key decides, and a metric says so. */
class RedisOutageTest {
  static final String SECRET = "gh-redis-outage-secret";

  @Test
  void redisDownFallsBackToPostgresForDedup() {
    URI redis = URI.create(TestServices.redisUrl());
    try (TcpProxy proxy = new TcpProxy(redis.getHost(), redis.getPort())) {
      try (TestNode node = TestNode.start("""
          sources:
            - id: gh
              provider: github
              secrets: ["%s"]
          """.formatted(SECRET), Map.of(), TestServices.pgUrl(), "redis://127.0.0.1:" + proxy.port())) {
        proxy.stop();
        String delivery = "redis-down-" + System.nanoTime();
        byte[] body = "{\"action\":\"opened\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = EventSigner.sign("github", SECRET, body, delivery, 0);

        HttpResponse<String> first = node.post("gh", body, headers);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(new JsonObject(first.body()).getBoolean("duplicate")).isFalse();
        HttpResponse<String> second = node.post("gh", body, headers);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(new JsonObject(second.body()).getBoolean("duplicate")).isTrue();
        assertThat(new JsonObject(second.body()).getString("id")).isEqualTo(new JsonObject(first.body()).getString("id"));
        assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE provider_event_id = $1", delivery)).isEqualTo(1);

        String metrics = node.get(node.managementUrl() + "/metrics").body();
        assertThat(metrics).containsPattern("hookline_dedup_redis_unavailable_total(\\{[^}]*\\})? [1-9]");
      }
    }
  }
}
