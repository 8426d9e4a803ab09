package io.hookline.management.admin;

import static io.hookline.management.admin.AdminClient.SECRET;
import static io.hookline.management.admin.AdminClient.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.EventSigner;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC "Overview": two nodes on one database; either node's {@code /admin/api/stats} answers the fleet's totals. */
class OverviewStatsTest {

  private static long sum(JsonArray steps, String field) {
    long n = 0;
    for (int i = 0; i < steps.size(); i++) {
      n += steps.getJsonObject(i).getLong(field);
    }
    return n;
  }

  private static long sumRefused(JsonArray steps, String reason) {
    long n = 0;
    for (int i = 0; i < steps.size(); i++) {
      n += steps.getJsonObject(i).getJsonObject("refused").getLong(reason, 0L);
    }
    return n;
  }

  private static long sumSource(JsonArray steps, String source, String field) {
    long n = 0;
    for (int i = 0; i < steps.size(); i++) {
      JsonObject s = steps.getJsonObject(i).getJsonObject("sources").getJsonObject(source);
      n += s == null ? 0 : s.getLong(field);
    }
    return n;
  }

  private static void send(TestNode node, String source, String secret, String deliveryId, int expected) {
    byte[] body = ("{\"d\":\"" + deliveryId + "\"}").getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new HashMap<>(EventSigner.sign("github", secret, body, deliveryId, 0));
    headers.put("X-GitHub-Event", "push");
    HttpResponse<String> r = node.post(source, body, headers);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
  }

  @Test
  void twoNodesOnOneDatabaseAddUpToTheFleetTotals() {
    try (RecordingDestination destination = new RecordingDestination(200)) {
      String yaml = AdminApiTest.yaml(destination.url(), "");
      String schema = TestServices.freshSchema();
      String prefix = TestServices.freshPrefix();
      TestNode a = TestNode.start(yaml, AdminClient.env("HOOKLINE_POSTGRES_SCHEMA", schema, "HOOKLINE_REDIS_KEY_PREFIX", prefix,
          "HOOKLINE_NODE_ID", "overview-a"), TestServices.pgUrl());
      try {
        TestNode b = TestNode.start(yaml, AdminClient.env("HOOKLINE_POSTGRES_SCHEMA", schema,
            "HOOKLINE_REDIS_KEY_PREFIX", prefix, "HOOKLINE_NODE_ID", "overview-b"), TestServices.pgUrl());
        try {
          // a: 3 accepted on gh, 1 on other, 1 duplicate, 2 forged; b: 2 accepted on gh, 1 duplicate (of a's), 1 unsigned.
          for (int i = 0; i < 3; i++) {
            send(a, "gh", SECRET, "a-" + i, 200);
          }
          send(a, "other", SECRET, "a-other", 200);
          send(a, "gh", SECRET, "a-0", 200);
          send(a, "gh", "forged", "a-f1", 401);
          send(a, "gh", "forged", "a-f2", 401);
          for (int i = 0; i < 2; i++) {
            send(b, "gh", SECRET, "b-" + i, 200);
          }
          send(b, "gh", SECRET, "a-1", 200);
          assertThat(b.post("gh", "{}".getBytes(StandardCharsets.UTF_8), Map.of("X-GitHub-Delivery", "u")).statusCode())
              .isEqualTo(400);
          eventually("every delivery delivered", () -> a.count(
              "SELECT count(*) FROM {schema}.deliveries WHERE status = 'delivered'") == 6);

          AdminClient admin = new AdminClient(a);
          eventually("both nodes' tallies written", () -> {
            JsonArray steps = admin.ok("/admin/api/stats?since=15m").getJsonArray("steps");
            return sum(steps, "accepted") == 6 && sum(steps, "delivered") == 6 && sum(steps, "refusedTotal") == 3;
          });
          JsonObject stats = admin.ok("/admin/api/stats?since=15m&step=1m");
          JsonArray steps = stats.getJsonArray("steps");
          assertThat(stats.getLong("stepSeconds")).isEqualTo(60);
          assertThat(steps.size()).isBetween(15, 16);
          assertThat(sum(steps, "accepted")).isEqualTo(6);
          assertThat(sum(steps, "duplicate")).isEqualTo(2);
          assertThat(sumRefused(steps, "invalid_signature")).isEqualTo(2);
          assertThat(sumRefused(steps, "missing_signature")).isEqualTo(1);
          assertThat(sum(steps, "delivered")).isEqualTo(6);
          assertThat(sum(steps, "failed")).isZero();
          assertThat(sumSource(steps, "gh", "accepted")).isEqualTo(5);
          assertThat(sumSource(steps, "other", "accepted")).isEqualTo(1);
          assertThat(stats.getJsonArray("sources").getList()).contains("gh", "other");
          JsonObject busiest = steps.stream().map(JsonObject.class::cast)
              .filter(s -> s.getLong("accepted") > 0).findFirst().orElseThrow();
          assertThat(busiest.getDouble("ackP50Ms")).isPositive();
          assertThat(busiest.getDouble("ackP99Ms")).isGreaterThanOrEqualTo(busiest.getDouble("ackP50Ms"));

          // The other node answers the same fleet totals; a source filter keeps only that source.
          JsonArray fromB = new AdminClient(b).ok("/admin/api/stats?since=15m&step=5m").getJsonArray("steps");
          assertThat(sum(fromB, "accepted")).isEqualTo(6);
          JsonArray other = admin.ok("/admin/api/stats?since=15m&source=other").getJsonArray("steps");
          assertThat(sum(other, "accepted")).isEqualTo(1);
          assertThat(sum(other, "refusedTotal")).isZero();

          HttpResponse<String> bad = admin.get("/admin/api/stats?step=90s");
          assertThat(bad.statusCode()).isEqualTo(400);
          assertThat(new JsonObject(bad.body()).getString("parameter")).isEqualTo("step");
          assertThat(new JsonObject(admin.get("/admin/api/stats?since=30d&step=1m").body()).getString("parameter"))
              .isEqualTo("step");
          // Older than the minutes kept, a step must be whole hours; the month in 6-hour steps reads the hourly roll-up.
          HttpResponse<String> tooFine = admin.get("/admin/api/stats?since=10d&step=5m");
          assertThat(tooFine.statusCode()).isEqualTo(400);
          assertThat(new JsonObject(tooFine.body()).getString("parameter")).isEqualTo("step");
          assertThat(sum(admin.ok("/admin/api/stats?since=30d&step=6h").getJsonArray("steps"), "accepted")).isEqualTo(6);
        } finally {
          b.stopKeepingSchema(); // a's close drops the shared schema
        }
      } finally {
        a.close();
      }
    }
  }
}
