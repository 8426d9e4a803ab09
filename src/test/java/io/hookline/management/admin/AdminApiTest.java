package io.hookline.management.admin;

import static io.hookline.management.admin.AdminClient.SECRET;
import static io.hookline.management.admin.AdminClient.TOKEN;
import static io.hookline.management.admin.AdminClient.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every admin API call and error row of SPEC "Admin API", over real HTTP on a real node. */
class AdminApiTest {

  static String yaml(String destinationUrl, String destinationExtra) {
    // http is given: TestNode adds it only when the text has no "http:" at all, and URLs do.
    return """
        http: { port: 0, instances: 2 }
        delivery: { pollInterval: 200ms }
        sources:
          - id: gh
            provider: github
            secrets: ["%1$s"]
            destinations:
              - { id: app, url: "%2$s", maxAttempts: 1, timeout: 2s%3$s }
          - id: other
            provider: github
            secrets: ["%1$s"]
            destinations:
              - { id: audit, url: "%2$s", maxAttempts: 1, timeout: 2s }
        """.formatted(SECRET, destinationUrl, destinationExtra);
  }

  static TestNode node(String yaml, Map<String, String> env) {
    return TestNode.start(yaml, env, TestServices.pgUrl());
  }

  @Test
  void withoutAnAdminTokenTheApiAndConsoleAnswer404() {
    try (TestNode node = node(yaml("http://127.0.0.1:9/x", ""), Map.of())) {
      AdminClient admin = new AdminClient(node);
      for (String path : List.of("/admin/api/events", "/admin/api/sources", "/admin/", "/admin/index.html")) {
        HttpResponse<String> r = admin.get(path);
        assertThat(r.statusCode()).as(path).isEqualTo(404);
        assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("not_found");
      }
    }
  }

  @Test
  void aMissingOrWrongTokenIs401AndTheApiIsNeverOnThePublicPort() {
    try (TestNode node = node(yaml("http://127.0.0.1:9/x", ""), AdminClient.env())) {
      AdminClient admin = new AdminClient(node);
      for (String auth : new String[] {null, "Bearer wrong", "Bearer " + TOKEN + "x", "Basic " + TOKEN, "Bearer ", TOKEN}) {
        for (String[] call : new String[][] {{"GET", "/admin/api/events"}, {"GET", "/admin/api/sources"},
            {"POST", "/admin/api/replay"}, {"GET", "/admin/api/events/" + UUID.randomUUID()}}) {
          HttpResponse<String> r = admin.send(call[0], call[1], auth, call[0].equals("POST") ? "{\"source\":\"gh\"}" : null);
          assertThat(r.statusCode()).as(call[1] + " with " + auth).isEqualTo(401);
          JsonObject body = new JsonObject(r.body());
          assertThat(body.getString("reason")).isEqualTo("unauthorized");
          assertThat(body.getString("error")).isNotBlank().doesNotContain(TOKEN);
          assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
      }
      assertThat(admin.send("GET", "/admin/api/events", "bearer " + TOKEN, null).statusCode()).isEqualTo(200);
      HttpResponse<String> publicPort = node.get(node.baseUrl() + "/admin/api/events");
      assertThat(publicPort.statusCode()).isEqualTo(404);
      assertThat(node.get(node.baseUrl() + "/admin/").statusCode()).isEqualTo(404);
      // The console's files need no token (they hold no data); every call they make does.
      HttpResponse<String> console = admin.send("GET", "/admin/", null, null);
      assertThat(console.statusCode()).isEqualTo(200);
      assertThat(console.body()).contains("<title>Hookline admin</title>");
    }
  }

  @Test
  void listFiltersCombineAndPagesStayStableWhileEventsArrive() {
    try (RecordingDestination destination = new RecordingDestination(200);
         TestNode node = node(yaml(destination.url(), ""), AdminClient.env())) {
      AdminClient admin = new AdminClient(node);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        ids.add(admin.webhook("page-" + i, i % 2 == 0 ? "push" : "issues",
            ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
      }
      String otherId = admin.webhook("other", "o-1", "push", "{}".getBytes(StandardCharsets.UTF_8));
      eventually("every delivery is delivered", () -> node.count(
          "SELECT count(*) FROM {schema}.deliveries WHERE status = 'delivered'") == 8);

      // All pages of 3 of source gh, newest first, while new events keep arriving in between.
      List<String> seen = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        JsonObject page = admin.ok("/admin/api/events?source=gh&limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
        page.getJsonArray("events").forEach(e -> seen.add(((JsonObject) e).getString("id")));
        cursor = page.getString("nextCursor");
        admin.webhook("arriving-" + pages, "push", "{}".getBytes(StandardCharsets.UTF_8));
        pages++;
      } while (cursor != null);
      List<String> newestFirst = new ArrayList<>(ids);
      java.util.Collections.reverse(newestFirst);
      assertThat(seen).containsExactlyElementsOf(newestFirst);
      assertThat(pages).isEqualTo(3);

      JsonObject first = admin.ok("/admin/api/events?source=gh&limit=500").getJsonArray("events").getJsonObject(0);
      assertThat(first.fieldNames()).contains("id", "source", "providerEventId", "type", "receivedAt", "deliveries");
      assertThat(first.getString("source")).isEqualTo("gh");
      JsonObject d = first.getJsonArray("deliveries").getJsonObject(0);
      assertThat(d.fieldNames()).contains("destination", "status", "attempts", "lastStatus", "nextAttemptAt");

      // Filters, alone and combined.
      assertThat(ids(admin, "type=issues&source=gh")).containsExactlyInAnyOrder(ids.get(1), ids.get(3), ids.get(5));
      assertThat(ids(admin, "providerEventId=page-4")).containsExactly(ids.get(4));
      assertThat(ids(admin, "providerEventId=page-4&source=other")).isEmpty();
      assertThat(ids(admin, "destination=audit")).containsExactly(otherId);
      assertThat(ids(admin, "destination=audit&status=delivered&type=push")).containsExactly(otherId);
      assertThat(ids(admin, "destination=audit&source=gh")).isEmpty();
      assertThat(ids(admin, "status=dead")).isEmpty();
      assertThat(ids(admin, "status=delivered&source=gh&type=push&limit=500")).contains(ids.get(0), ids.get(6));
      String receivedAt3 = eventOf(admin, ids.get(3)).getString("receivedAt");
      String receivedAt5 = eventOf(admin, ids.get(5)).getString("receivedAt");
      assertThat(ids(admin, "source=gh&since=" + receivedAt3 + "&until=" + receivedAt5))
          .containsExactly(ids.get(4), ids.get(3));
      assertThat(ids(admin, "source=gh&since=1h&limit=500")).hasSize(10);
      assertThat(ids(admin, "source=gh&until=2000-01-01T00:00:00Z")).isEmpty();
      assertThat(admin.ok("/admin/api/events").getJsonArray("events")).hasSize(11);
      assertThat(admin.ok("/admin/api/events?limit=1").getString("nextCursor")).isNotNull();

      // Bad parameters: 400 bad_parameter naming the parameter.
      Map<String, String> bad = Map.of("limit=0", "limit", "limit=501", "limit", "limit=ten", "limit",
          "status=lost", "status", "since=yesterday", "since", "until=24h", "until",
          "cursor=bm9wZQ", "cursor", "colour=red", "colour", "source=a&source=b", "source",
          "destination=nowhere", "destination");
      bad.forEach((query, parameter) -> {
        HttpResponse<String> r = admin.get("/admin/api/events?" + query);
        assertThat(r.statusCode()).as(query).isEqualTo(400);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("reason")).as(query).isEqualTo("bad_parameter");
        assertThat(body.getString("parameter")).as(query).isEqualTo(parameter);
        assertThat(body.getString("error")).as(query).isNotBlank();
      });
    }
  }

  @Test
  void detailShowsWhatArrivedAndAReplayReachesTheDestinationAgainWithTheSameWebhookId() throws Exception {
    try (RecordingDestination destination = new RecordingDestination(200);
         TestNode node = node(yaml(destination.url(), ""), AdminClient.env())) {
      AdminClient admin = new AdminClient(node);
      byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '{'};
      String id = admin.webhook("bin-1", "push", binary);
      String jsonId = admin.webhook("json-1", "push", "{\"a\":[1,2]}".getBytes(StandardCharsets.UTF_8));
      eventually("delivered once", () -> destination.receivedFor(id).size() == 1);

      JsonObject detail = admin.ok("/admin/api/events/" + id);
      assertThat(detail.getString("id")).isEqualTo(id);
      assertThat(detail.getString("providerEventId")).isEqualTo("bin-1");
      assertThat(detail.getString("type")).isEqualTo("push");
      assertThat(detail.getString("contentType")).isEqualTo("application/json");
      assertThat(Base64.getDecoder().decode(detail.getString("bodyBase64"))).isEqualTo(binary);
      assertThat(detail.getValue("body")).isNull();
      JsonArray headers = detail.getJsonArray("headers");
      assertThat(headers.stream().map(h -> ((JsonArray) h).getString(0).toLowerCase()).toList())
          .contains("x-github-delivery", "x-hub-signature-256", "content-type");
      assertThat(admin.ok("/admin/api/events/" + jsonId).getString("body")).isEqualTo("{\"a\":[1,2]}");

      eventually("the first attempt is recorded", () -> admin.ok("/admin/api/events/" + id).getJsonArray("deliveries")
          .getJsonObject(0).getString("status").equals("delivered"));
      JsonArray history = admin.ok("/admin/api/events/" + id).getJsonArray("deliveries").getJsonObject(0)
          .getJsonArray("history");
      assertThat(history).hasSize(1);
      JsonObject attempt = history.getJsonObject(0);
      assertThat(attempt.fieldNames()).contains("round", "attempt", "node", "startedAt", "finishedAt", "statusCode",
          "latencyMs", "outcome", "error");
      assertThat(attempt.getInteger("round")).isEqualTo(1);
      assertThat(attempt.getInteger("statusCode")).isEqualTo(200);

      // Replay a delivered event: the same bytes and webhook-id reach the destination again.
      ch.qos.logback.classic.Logger audit = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("hookline.audit");
      ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines = new ch.qos.logback.core.read.ListAppender<>();
      lines.start();
      audit.addAppender(lines);
      HttpResponse<String> replay = admin.post("/admin/api/events/" + id + "/replay", null);
      audit.detachAppender(lines);
      String fingerprint = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(TOKEN.getBytes(StandardCharsets.UTF_8))).substring(0, 8);
      assertThat(lines.list).hasSize(1);
      assertThat(lines.list.get(0).getFormattedMessage()).contains("who=admin:" + fingerprint).contains("action=replay-event")
          .contains("event=" + id).contains("count=1").doesNotContain(TOKEN);
      assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
      assertThat(new JsonObject(replay.body()).getInteger("replayed")).isEqualTo(1);
      eventually("delivered again", () -> destination.receivedFor(id).size() == 2);
      assertThat(destination.receivedFor(id).get(1).body().getBytes()).isEqualTo(binary);
      eventually("round 2 is in the history", () -> admin.ok("/admin/api/events/" + id).getJsonArray("deliveries")
          .getJsonObject(0).getJsonArray("history").size() == 2);
      JsonObject second = admin.ok("/admin/api/events/" + id).getJsonArray("deliveries").getJsonObject(0)
          .getJsonArray("history").getJsonObject(1);
      assertThat(second.getInteger("round")).isEqualTo(2);
      assertThat(second.getInteger("attempt")).isEqualTo(1);

      // One destination by name; unknown destination, unknown event, malformed id, bad body.
      HttpResponse<String> one = admin.post("/admin/api/events/" + id + "/replay", "{\"destination\":\"app\"}");
      assertThat(one.statusCode()).isEqualTo(202);
      eventually("delivered a third time", () -> destination.receivedFor(id).size() == 3);
      assertError(admin.post("/admin/api/events/" + id + "/replay", "{\"destination\":\"nope\"}"), 404, "not_found", null);
      assertError(admin.post("/admin/api/events/" + UUID.randomUUID() + "/replay", null), 404, "not_found", null);
      assertError(admin.get("/admin/api/events/" + UUID.randomUUID()), 404, "not_found", null);
      assertError(admin.get("/admin/api/events/not-a-uuid"), 400, "bad_parameter", "id");
      assertError(admin.post("/admin/api/events/not-a-uuid/replay", null), 400, "bad_parameter", "id");
      assertError(admin.post("/admin/api/events/" + id + "/replay", "{\"destination\":7}"), 400, "bad_parameter", "destination");
      assertError(admin.post("/admin/api/events/" + id + "/replay", "{\"dest\":\"app\"}"), 400, "bad_parameter", "dest");
      assertError(admin.post("/admin/api/events/" + id + "/replay", "{not json"), 400, "bad_parameter", "body");
    }
  }

  @Test
  void deadLettersAreBulkReplayedInRateLimitedBatchesOnceTheDestinationRecovers() {
    try (RecordingDestination destination = new RecordingDestination(500);
         TestNode node = node(yaml(destination.url(), ""), AdminClient.env("HOOKLINE_MANAGEMENT_REPLAY_RATE", "2"))) {
      AdminClient admin = new AdminClient(node);
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        ids.add(admin.webhook("dead-" + i, "push"));
      }
      String otherSource = admin.webhook("other", "other-1", "push", "{}".getBytes(StandardCharsets.UTF_8));
      eventually("6 dead letters", () -> ids(admin, "status=dead&limit=500").size() == 6);
      assertThat(ids(admin, "status=dead&source=gh")).containsExactlyInAnyOrderElementsOf(ids);

      JsonObject sources = admin.ok("/admin/api/sources");
      JsonObject gh = sources.getJsonArray("sources").getJsonObject(0);
      assertThat(gh.getString("id")).isEqualTo("gh");
      assertThat(gh.getString("provider")).isEqualTo("github");
      assertThat(gh.getJsonArray("destinations").getList()).containsExactly("app");
      assertThat(gh.getJsonObject("deliveries").getMap())
          .isEqualTo(Map.of("pending", 0, "delivered", 0, "dead", 5, "gone", 0));

      // Dry run: how many, nothing changes.
      HttpResponse<String> dry = admin.post("/admin/api/replay", "{\"status\":[\"dead\"],\"source\":\"gh\",\"dryRun\":true}");
      assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
      assertThat(new JsonObject(dry.body()).getLong("matched")).isEqualTo(5);
      assertThat(node.count("SELECT count(*) FROM {schema}.deliveries WHERE status = 'dead'")).isEqualTo(6);

      destination.answer(200);
      HttpResponse<String> started = admin.post("/admin/api/replay", "{\"status\":[\"dead\"],\"source\":\"gh\",\"since\":\"1h\"}");
      assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
      JsonObject job = new JsonObject(started.body());
      assertThat(job.getLong("matched")).isEqualTo(5);
      String jobId = job.getString("job");
      // replayRate 2: batches of 2, so the job is seen part-way.
      List<Long> progress = new ArrayList<>();
      eventually("the job is done", () -> {
        JsonObject j = admin.ok("/admin/api/replay/" + jobId);
        assertThat(j.getString("job")).isEqualTo(jobId);
        assertThat(j.getLong("matched")).isEqualTo(5);
        progress.add(j.getLong("replayed"));
        return j.getString("state").equals("done");
      });
      assertThat(admin.ok("/admin/api/replay/" + jobId).getLong("replayed")).isEqualTo(5);
      assertThat(progress).anyMatch(n -> n > 0 && n < 5);
      eventually("every dead letter delivered", () -> ids.stream().allMatch(id -> destination.receivedFor(id).size() == 2));
      eventually("no dead letters of gh left", () -> ids(admin, "status=dead&source=gh").isEmpty());
      // The other source's dead letter was not part of the job.
      assertThat(ids(admin, "status=dead")).containsExactly(otherSource);
      assertThat(destination.receivedFor(otherSource)).hasSize(1);

      assertError(admin.post("/admin/api/replay", "{}"), 400, "bad_parameter", "filter");
      assertError(admin.post("/admin/api/replay", "{\"dryRun\":true}"), 400, "bad_parameter", "filter");
      assertError(admin.post("/admin/api/replay", "{\"status\":[\"lost\"]}"), 400, "bad_parameter", "status");
      assertError(admin.post("/admin/api/replay", "{\"status\":[]}"), 400, "bad_parameter", "status");
      assertError(admin.post("/admin/api/replay", "{\"since\":\"last week\"}"), 400, "bad_parameter", "since");
      assertError(admin.post("/admin/api/replay", "{\"source\":\"gh\",\"dryRun\":\"yes\"}"), 400, "bad_parameter", "dryRun");
      assertError(admin.post("/admin/api/replay", "[1]"), 400, "bad_parameter", "body");
      assertError(admin.get("/admin/api/replay/" + UUID.randomUUID()), 404, "not_found", null);
      // A job whose node died mid-way (no progress for a minute) is reported failed, by any node.
      UUID orphan = UUID.randomUUID();
      node.query("INSERT INTO {schema}.replay_jobs (id, state, matched, replayed, criteria, created_by, node_id, created_at, "
          + "updated_at) VALUES ($1, 'running', 10, 4, '{}'::jsonb, 'x', 'gone-node', now() - interval '5 minutes', "
          + "now() - interval '2 minutes')", orphan);
      JsonObject stalled = admin.ok("/admin/api/replay/" + orphan);
      assertThat(stalled.getString("state")).isEqualTo("failed");
      assertThat(stalled.getLong("replayed")).isEqualTo(4);
      assertThat(stalled.getString("error")).contains("gone-node");
      assertError(admin.get("/admin/api/replay/job-1"), 400, "bad_parameter", "job");
    }
  }

  static void assertError(HttpResponse<String> r, int status, String reason, String parameter) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("reason")).as(r.body()).isEqualTo(reason);
    assertThat(body.getString("error")).isNotBlank();
    assertThat(body.getString("parameter")).as(r.body()).isEqualTo(parameter);
  }

  static List<String> ids(AdminClient admin, String query) {
    List<String> out = new ArrayList<>();
    admin.ok("/admin/api/events?" + query).getJsonArray("events").forEach(e -> out.add(((JsonObject) e).getString("id")));
    return out;
  }

  static JsonObject eventOf(AdminClient admin, String id) {
    return admin.ok("/admin/api/events/" + id);
  }
}
