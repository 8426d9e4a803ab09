package io.hookline.management.admin;

import io.hookline.metrics.Scrape;
import static io.hookline.management.admin.AdminClient.TOKEN;
import static io.hookline.management.admin.AdminClient.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.EventSigner;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SPEC "Refused requests (the requests log)" on real nodes: a secret rotated on one side only, the
 * refused requests logged, the config given the new secret (the node restarted on the same data),
 * and the requests retried from the log into stored, delivered-once events.
 */
class RequestsLogTest {
  private static final String OLD = "requests-log-old-secret";
  private static final String NEW = "requests-log-new-secret";

  private static String yaml(String secret, String destinationUrl, String extra) {
    return """
        http: { port: 0, instances: 2 }
        delivery: { pollInterval: 200ms }
        %3$s
        sources:
          - id: gh
            provider: github
            secrets: ["%1$s"]
            destinations:
              - { id: app, url: "%2$s", maxAttempts: 1, timeout: 2s }
          - id: st
            provider: stripe
            secrets: ["%1$s"]
            toleranceSeconds: 4
            destinations:
              - { id: app, url: "%2$s", maxAttempts: 1, timeout: 2s }
        """.formatted(secret, destinationUrl, extra);
  }

  private static HttpResponse<String> github(TestNode node, String secret, String deliveryId, Map<String, String> extra) {
    byte[] body = ("{\"delivery\":\"" + deliveryId + "\"}").getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new HashMap<>(EventSigner.sign("github", secret, body, deliveryId, 0));
    headers.put("X-GitHub-Event", "push");
    headers.putAll(extra);
    return node.post("gh", body, headers);
  }

  @Test
  void aSecretRotatedOnOneSideOnlyIsRecoveredFromTheLogWithEveryEventDeliveredOnce() {
    try (RecordingDestination destination = new RecordingDestination(200)) {
      Map<String, String> env = AdminClient.env("HOOKLINE_POSTGRES_SCHEMA", TestServices.freshSchema(),
          "HOOKLINE_REDIS_KEY_PREFIX", TestServices.freshPrefix());
      TestNode before = TestNode.start(yaml(OLD, destination.url(), ""), env, TestServices.pgUrl());
      List<String> deliveryIds = List.of("rot-1", "rot-2", "rot-3");
      try {
        // The provider signs with the new secret; this node still has the old one.
        for (String d : deliveryIds) {
          HttpResponse<String> r = github(before, NEW, d, Map.of("Authorization", "Bearer provider-credential"));
          assertThat(r.statusCode()).isEqualTo(401);
          assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("invalid_signature");
        }
        AdminClient admin = new AdminClient(before);
        eventually("three refused requests logged",
            () -> admin.ok("/admin/api/requests?source=gh").getJsonArray("requests").size() == 3);
        JsonObject list = admin.ok("/admin/api/requests?source=gh&reason=invalid_signature&limit=2");
        assertThat(list.getJsonArray("requests")).hasSize(2);
        assertThat(list.getString("nextCursor")).isNotNull();
        JsonObject rest = admin.ok("/admin/api/requests?source=gh&limit=2&cursor=" + list.getString("nextCursor"));
        assertThat(rest.getJsonArray("requests")).hasSize(1);
        assertThat(rest.getString("nextCursor")).isNull();
        JsonObject summary = list.getJsonArray("requests").getJsonObject(0);
        assertThat(summary.getString("reason")).isEqualTo("invalid_signature");
        assertThat(summary.getInteger("status")).isEqualTo(401);
        assertThat(summary.getString("remoteAddress")).startsWith("127.0.0.1");
        assertThat(summary.getString("receivedAt")).endsWith("Z");

        JsonObject detail = admin.ok("/admin/api/requests/" + summary.getString("id"));
        assertThat(detail.getString("body")).isEqualTo("{\"delivery\":\"rot-3\"}"); // newest first
        Map<String, String> headers = new HashMap<>();
        detail.getJsonArray("headers").forEach(h -> headers.put(((JsonArray) h).getString(0).toLowerCase(),
            ((JsonArray) h).getString(1)));
        assertThat(headers.get("authorization")).isEqualTo("****");
        assertThat(headers.get("x-github-delivery")).isEqualTo("rot-3");
        assertThat(detail.toString()).doesNotContain("provider-credential");

        // Retried with the node's (still old) secret: refused again, 422 with the verification reason.
        HttpResponse<String> refused = admin.post("/admin/api/requests/" + summary.getString("id") + "/retry", null);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(new JsonObject(refused.body()).getString("reason")).isEqualTo("invalid_signature");
        assertThat(before.count("SELECT count(*) FROM {schema}.events")).isZero();
      } finally {
        before.stopKeepingSchema();
      }

      // The operator adds the new secret and restarts; the log is still there.
      try (TestNode after = TestNode.start(yaml(NEW, destination.url(), ""), env, TestServices.pgUrl())) {
        AdminClient admin = new AdminClient(after);
        JsonArray logged = admin.ok("/admin/api/requests?source=gh").getJsonArray("requests");
        assertThat(logged).hasSize(3);
        String first = logged.getJsonObject(2).getString("id"); // rot-1

        HttpResponse<String> retried = admin.post("/admin/api/requests/" + first + "/retry", null);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        JsonObject answer = new JsonObject(retried.body());
        assertThat(answer.getBoolean("duplicate")).isFalse();
        String eventId = answer.getString("id");
        // Committed before the answer: the row is there already.
        assertThat(after.count("SELECT count(*) FROM {schema}.events WHERE id = $1::uuid AND provider_event_id = 'rot-1'",
            eventId)).isEqualTo(1);
        eventually("the retried event is delivered", () -> destination.receivedFor(eventId).size() == 1);

        // A second retry of the same request is a duplicate of the same event: not stored or delivered again.
        JsonObject again = new JsonObject(admin.post("/admin/api/requests/" + first + "/retry", null).body());
        assertThat(again.getString("id")).isEqualTo(eventId);
        assertThat(again.getBoolean("duplicate")).isTrue();

        // The rest in bulk: a dry run counts, the job retries, replay/{job} reports it.
        assertThat(new JsonObject(admin.post("/admin/api/requests/retry", "{\"source\":\"gh\",\"dryRun\":true}").body())
            .getLong("matched")).isEqualTo(3);
        HttpResponse<String> bulk = admin.post("/admin/api/requests/retry", "{\"source\":\"gh\",\"reason\":\"invalid_signature\"}");
        assertThat(bulk.statusCode()).isEqualTo(202);
        String job = new JsonObject(bulk.body()).getString("job");
        eventually("the bulk retry is done",
            () -> "done".equals(admin.ok("/admin/api/replay/" + job).getString("state")));
        JsonObject state = admin.ok("/admin/api/replay/" + job);
        assertThat(state.getLong("matched")).isEqualTo(3);
        assertThat(state.getLong("replayed")).isEqualTo(3);
        assertThat(after.count("SELECT count(*) FROM {schema}.events WHERE source_id = 'gh'")).isEqualTo(3);
        eventually("every retried event delivered", () -> after.count(
            "SELECT count(*) FROM {schema}.deliveries WHERE status = 'delivered' AND source_id = 'gh'") == 3);
        List<String> ids = new ArrayList<>();
        after.query("SELECT id::text FROM {schema}.events WHERE source_id = 'gh'").forEach(r -> ids.add(r.getString(0)));
        for (String id : ids) {
          assertThat(destination.receivedFor(id)).as("deliveries of " + id).hasSize(1);
        }
      }
    }
  }

  @Test
  void aRetryJudgesASignedTimestampAgainstTheOriginalArrival() {
    try (RecordingDestination destination = new RecordingDestination(200)) {
      Map<String, String> env = AdminClient.env("HOOKLINE_POSTGRES_SCHEMA", TestServices.freshSchema(),
          "HOOKLINE_REDIS_KEY_PREFIX", TestServices.freshPrefix());
      byte[] body = "{\"id\":\"evt_ts_1\",\"type\":\"charge.succeeded\"}".getBytes(StandardCharsets.UTF_8);
      TestNode before = TestNode.start(yaml(OLD, destination.url(), ""), env, TestServices.pgUrl());
      long sent = System.currentTimeMillis();
      try {
        HttpResponse<String> r = before.post("st", body, EventSigner.sign("stripe", NEW, body, null, sent / 1000));
        assertThat(r.statusCode()).isEqualTo(401);
        AdminClient admin = new AdminClient(before);
        eventually("the refused request is logged",
            () -> admin.ok("/admin/api/requests?source=st").getJsonArray("requests").size() == 1);
      } finally {
        before.stopKeepingSchema();
      }
      try (TestNode after = TestNode.start(yaml(NEW, destination.url(), ""), env, TestServices.pgUrl())) {
        // The signed timestamp is now well outside the 4 s tolerance; judged at its arrival it is inside. (With 1 s,
        // a first request to a cold node on a loaded machine arrived over a second after its signed second.)
        eventually("the tolerance has passed", () -> System.currentTimeMillis() > sent + 6000);
        AdminClient admin = new AdminClient(after);
        String id = admin.ok("/admin/api/requests?source=st").getJsonArray("requests").getJsonObject(0).getString("id");
        HttpResponse<String> retried = admin.post("/admin/api/requests/" + id + "/retry", null);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        String eventId = new JsonObject(retried.body()).getString("id");
        eventually("delivered", () -> destination.receivedFor(eventId).size() == 1);
      }
    }
  }

  @Test
  void aForgedFloodStoresAtMostPerMinutePerSourceAndReason() {
    String yaml = yaml(OLD, "http://127.0.0.1:9/x", "management: { requestLog: { perMinute: 5 } }");
    try (TestNode node = TestNode.start(yaml, AdminClient.env(), TestServices.pgUrl())) {
      for (int i = 0; i < 40; i++) {
        assertThat(github(node, NEW, "flood-" + i, Map.of()).statusCode()).isEqualTo(401);
      }
      // Another reason has a budget of its own.
      byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
      assertThat(node.post("gh", body, Map.of("X-GitHub-Delivery", "unsigned")).statusCode()).isEqualTo(400);
      AdminClient admin = new AdminClient(node);
      eventually("the budget's worth stored", () -> node.count("SELECT count(*) FROM {schema}.request_log") == 6);
      // A minute can turn over during the flood: at most two minutes' budgets.
      assertThat(node.count("SELECT count(*) FROM {schema}.request_log WHERE reason = 'invalid_signature'")).isBetween(5L, 10L);
      assertThat(admin.ok("/admin/api/requests?reason=missing_signature").getJsonArray("requests")).hasSize(1);
      // What the budget left out is counted per source and reason; every one of the 40 is stored or counted.
      long stored = node.count("SELECT count(*) FROM {schema}.request_log WHERE reason = 'invalid_signature'");
      Scrape metrics = new Scrape(node.get(node.managementUrl() + "/metrics").body());
      assertThat(metrics.sum("hookline_requests_not_stored_total", Map.of("source", "gh", "reason", "invalid_signature")))
          .isEqualTo(40.0 - stored);
      assertThat(metrics.sum("hookline_requests_not_stored_total", Map.of("reason", "missing_signature"))).isZero();
    }
  }

  @Test
  void badParametersAndUnknownIdsAreClearErrors() {
    try (TestNode node = TestNode.start(yaml(OLD, "http://127.0.0.1:9/x", ""), AdminClient.env(), TestServices.pgUrl())) {
      AdminClient admin = new AdminClient(node);
      HttpResponse<String> bad = admin.get("/admin/api/requests?limit=0");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(new JsonObject(bad.body()).getString("parameter")).isEqualTo("limit");
      assertThat(new JsonObject(admin.get("/admin/api/requests?colour=red").body()).getString("parameter")).isEqualTo("colour");
      assertThat(admin.get("/admin/api/requests/not-a-uuid").statusCode()).isEqualTo(400);
      HttpResponse<String> missing = admin.get("/admin/api/requests/" + java.util.UUID.randomUUID());
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(new JsonObject(missing.body()).getString("reason")).isEqualTo("not_found");
      assertThat(admin.post("/admin/api/requests/" + java.util.UUID.randomUUID() + "/retry", null).statusCode()).isEqualTo(404);
      HttpResponse<String> noFilter = admin.post("/admin/api/requests/retry", "{}");
      assertThat(noFilter.statusCode()).isEqualTo(400);
      assertThat(new JsonObject(noFilter.body()).getString("parameter")).isEqualTo("filter");
      assertThat(admin.send("GET", "/admin/api/requests", "Bearer " + TOKEN + "x", null).statusCode()).isEqualTo(401);
    }
  }
}
