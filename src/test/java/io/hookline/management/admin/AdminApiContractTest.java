package io.hookline.management.admin;

import static io.hookline.management.admin.AdminClient.TOKEN;
import static io.hookline.management.admin.AdminClient.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC "Admin API", OpenAPI: the document served at /admin/api/openapi.json is a valid OpenAPI 3.1
 * contract, and every response of every operation it declares (success and error) is produced here
 * over real HTTP and checked against the document's schema for that operation and status.
 */
class AdminApiContractTest {
  private static final String READ = "Bearer " + AdminRolesTest.READ_TOKEN;
  private static final String ADMIN = "Bearer " + TOKEN;
  private static Vertx vertx;
  private static OpenAPIContract contract;
  private static ResponseValidator validator;

  /** operationId -> the statuses this test saw (each one validated against the document). */
  private final Map<String, Set<Integer>> seen = new TreeMap<>();

  @BeforeAll
  static void contract() throws Exception {
    vertx = Vertx.vertx();
    contract = OpenAPIContract.from(vertx, AdminApi.readDocument()).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    validator = ResponseValidator.create(vertx, contract);
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  @Test
  void everyOperationAnswersAsTheDocumentSays() {
    try (RecordingDestination destination = new RecordingDestination(200);
         TestNode node = AdminApiTest.node(AdminApiTest.yaml(destination.url(), ""), AdminRolesTest.env())) {
      AdminClient admin = new AdminClient(node);
      String id = admin.webhook("contract-1", "push");
      eventually("delivered", () -> destination.receivedFor(id).size() == 1);
      String unknown = UUID.randomUUID().toString();

      // The document itself, without a token, is what the node validates against.
      HttpResponse<String> doc = call(admin, "getOpenApi", "GET", "/admin/api/openapi.json", null, null, 200);
      assertThat(new JsonObject(doc.body())).isEqualTo(readDocument());
      assertThat(doc.headers().firstValue("Content-Type")).hasValue("application/json");

      call(admin, "whoAmI", "GET", "/admin/api/whoami", READ, null, 200);
      call(admin, "whoAmI", "GET", "/admin/api/whoami", null, null, 401);

      call(admin, "listEvents", "GET", "/admin/api/events?limit=1", ADMIN, null, 200);
      call(admin, "listEvents", "GET", "/admin/api/events?source=gh&status=delivered,pending&since=24h", READ, null, 200);
      call(admin, "listEvents", "GET", "/admin/api/events?status=filtered&destination=app", READ, null, 200);
      badParameter(call(admin, "listEvents", "GET", "/admin/api/events?limit=0", ADMIN, null, 400), "limit");
      badParameter(call(admin, "listEvents", "GET", "/admin/api/events?limit=many", ADMIN, null, 400), "limit");
      assertThat(new JsonObject(call(admin, "listEvents", "GET", "/admin/api/events?limit=1.0", ADMIN, null, 200).body())
          .getJsonArray("events")).hasSize(1);
      badParameter(call(admin, "listEvents", "GET", "/admin/api/events?limit=1.5", ADMIN, null, 400), "limit");
      badParameter(call(admin, "listEvents", "GET", "/admin/api/events?status=lost", ADMIN, null, 400), "status");
      badParameter(call(admin, "listEvents", "GET", "/admin/api/events?status=filtered,dead", ADMIN, null, 400), "status");
      badParameter(call(admin, "listEvents", "GET", "/admin/api/events?colour=red", ADMIN, null, 400), "colour");
      call(admin, "listEvents", "GET", "/admin/api/events", "Bearer nope", null, 401);

      call(admin, "getEvent", "GET", "/admin/api/events/" + id, READ, null, 200);
      badParameter(call(admin, "getEvent", "GET", "/admin/api/events/not-a-uuid", ADMIN, null, 400), "id");
      call(admin, "getEvent", "GET", "/admin/api/events/" + id, null, null, 401);
      call(admin, "getEvent", "GET", "/admin/api/events/" + unknown, ADMIN, null, 404);

      call(admin, "replayEvent", "POST", "/admin/api/events/" + id + "/replay", ADMIN, null, 202);
      call(admin, "replayEvent", "POST", "/admin/api/events/" + id + "/replay", ADMIN, "{\"destination\":\"app\"}", 202);
      badParameter(call(admin, "replayEvent", "POST", "/admin/api/events/" + id + "/replay", ADMIN, "{\"destination\":7}", 400),
          "destination");
      badParameter(call(admin, "replayEvent", "POST", "/admin/api/events/" + id + "/replay", ADMIN, "{\"dest\":\"app\"}", 400),
          "dest");
      badParameter(call(admin, "replayEvent", "POST", "/admin/api/events/" + id + "/replay", ADMIN, "[1]", 400), "body");
      call(admin, "replayEvent", "POST", "/admin/api/events/" + id + "/replay", null, null, 401);
      call(admin, "replayEvent", "POST", "/admin/api/events/" + id + "/replay", READ, null, 403);
      call(admin, "replayEvent", "POST", "/admin/api/events/" + unknown + "/replay", ADMIN, null, 404);
      call(admin, "replayEvent", "POST", "/admin/api/events/" + id + "/replay", ADMIN, "{\"destination\":\"nope\"}", 404);

      call(admin, "bulkReplay", "POST", "/admin/api/replay", ADMIN, "{\"source\":\"gh\",\"dryRun\":true}", 200);
      HttpResponse<String> job = call(admin, "bulkReplay", "POST", "/admin/api/replay", ADMIN,
          "{\"source\":\"gh\",\"status\":[\"delivered\"]}", 202);
      badParameter(call(admin, "bulkReplay", "POST", "/admin/api/replay", ADMIN, "{\"status\":[\"lost\"]}", 400), "status");
      badParameter(call(admin, "bulkReplay", "POST", "/admin/api/replay", ADMIN, "{\"dryRun\":\"yes\"}", 400), "dryRun");
      badParameter(call(admin, "bulkReplay", "POST", "/admin/api/replay", ADMIN, "{}", 400), "filter");
      badParameter(call(admin, "bulkReplay", "POST", "/admin/api/replay", ADMIN, null, 400), "body");
      call(admin, "bulkReplay", "POST", "/admin/api/replay", null, "{\"source\":\"gh\"}", 401);
      call(admin, "bulkReplay", "POST", "/admin/api/replay", READ, "{\"source\":\"gh\"}", 403);

      String jobId = new JsonObject(job.body()).getString("job");
      call(admin, "getReplayJob", "GET", "/admin/api/replay/" + jobId, READ, null, 200);
      badParameter(call(admin, "getReplayJob", "GET", "/admin/api/replay/job-1", ADMIN, null, 400), "job");
      call(admin, "getReplayJob", "GET", "/admin/api/replay/" + jobId, null, null, 401);
      call(admin, "getReplayJob", "GET", "/admin/api/replay/" + unknown, ADMIN, null, 404);

      call(admin, "listSources", "GET", "/admin/api/sources", READ, null, 200);
      call(admin, "listSources", "GET", "/admin/api/sources", null, null, 401);
      call(admin, "listDestinations", "GET", "/admin/api/destinations", READ, null, 200);
      call(admin, "listDestinations", "GET", "/admin/api/destinations", null, null, 401);

      for (String action : new String[] {"pause", "resume"}) {
        String op = action + "Destination";
        call(admin, op, "POST", "/admin/api/destinations/gh/app/" + action, ADMIN, null, 200);
        call(admin, op, "POST", "/admin/api/destinations/gh/app/" + action, null, null, 401);
        call(admin, op, "POST", "/admin/api/destinations/gh/app/" + action, READ, null, 403);
        call(admin, op, "POST", "/admin/api/destinations/gh/nope/" + action, ADMIN, null, 404);
      }

      String test = "/admin/api/destinations/gh/app/test";
      call(admin, "testDestination", "POST", test, ADMIN, "{\"event\":\"" + id + "\"}", 200);
      call(admin, "testDestination", "POST", test, ADMIN,
          "{\"body\":{\"a\":1},\"headers\":{\"x-a\":\"b\"},\"filter\":\"body.a == 1\",\"transform\":{\"path\":\"'/x'\"}}", 200);
      badParameter(call(admin, "testDestination", "POST", test, ADMIN, "{\"body\":{},\"filter\":\"body.a ==\"}", 400), "filter");
      badParameter(call(admin, "testDestination", "POST", test, ADMIN, "{\"colour\":\"red\"}", 400), "colour");
      call(admin, "testDestination", "POST", test, null, "{\"event\":\"" + id + "\"}", 401);
      call(admin, "testDestination", "POST", test, READ, "{\"event\":\"" + id + "\"}", 403);
      call(admin, "testDestination", "POST", "/admin/api/destinations/gh/nope/test", ADMIN, "{\"event\":\"" + id + "\"}", 404);
      call(admin, "testDestination", "POST", test, ADMIN, "{\"event\":\"" + unknown + "\"}", 404);

      // The requests log: one request refused now, and one stored as if refused before the secret was right.
      byte[] forged = "{\"forged\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(node.post("gh", forged, io.hookline.cli.EventSigner.sign("github", "not-the-secret", forged, "forged-1", 0))
          .statusCode()).isEqualTo(401);
      eventually("the refused request logged", () -> node.count("SELECT count(*) FROM {schema}.request_log") == 1);
      String refused = node.query("SELECT id::text FROM {schema}.request_log").iterator().next().getString(0);
      byte[] good = "{\"retried\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      String passing = UUID.randomUUID().toString();
      String blocked = UUID.randomUUID().toString();
      for (String[] row : new String[][] {{passing, "contract-retry"}, {blocked, "contract-blocked"}}) {
        JsonObject h = new JsonObject(new java.util.HashMap<>(
            io.hookline.cli.EventSigner.sign("github", AdminClient.SECRET, good, row[1], 0)));
        io.vertx.core.json.JsonArray pairs = new io.vertx.core.json.JsonArray();
        h.forEach(e -> pairs.add(new io.vertx.core.json.JsonArray().add(e.getKey()).add(e.getValue())));
        node.query("INSERT INTO {schema}.request_log (id, received_at, source_id, reason, status, node_id, headers, body) "
            + "VALUES ($1::uuid, now(), 'gh', 'invalid_signature', 401, 'n', $2::text::jsonb, $3)",
            row[0], pairs.encode(), Buffer.buffer(good));
      }

      call(admin, "listRequests", "GET", "/admin/api/requests?source=gh&since=1h&limit=10", READ, null, 200);
      badParameter(call(admin, "listRequests", "GET", "/admin/api/requests?limit=0", ADMIN, null, 400), "limit");
      call(admin, "listRequests", "GET", "/admin/api/requests", null, null, 401);

      call(admin, "getRequest", "GET", "/admin/api/requests/" + refused, READ, null, 200);
      badParameter(call(admin, "getRequest", "GET", "/admin/api/requests/not-a-uuid", ADMIN, null, 400), "id");
      call(admin, "getRequest", "GET", "/admin/api/requests/" + refused, null, null, 401);
      call(admin, "getRequest", "GET", "/admin/api/requests/" + unknown, ADMIN, null, 404);

      call(admin, "retryRequest", "POST", "/admin/api/requests/" + passing + "/retry", ADMIN, null, 200);
      call(admin, "retryRequest", "POST", "/admin/api/requests/" + refused + "/retry", ADMIN, null, 422);
      badParameter(call(admin, "retryRequest", "POST", "/admin/api/requests/" + refused + "/retry", ADMIN, "{\"x\":1}", 400), "x");
      call(admin, "retryRequest", "POST", "/admin/api/requests/" + refused + "/retry", null, null, 401);
      call(admin, "retryRequest", "POST", "/admin/api/requests/" + refused + "/retry", READ, null, 403);
      call(admin, "retryRequest", "POST", "/admin/api/requests/" + unknown + "/retry", ADMIN, null, 404);

      call(admin, "bulkRetryRequests", "POST", "/admin/api/requests/retry", ADMIN, "{\"source\":\"gh\",\"dryRun\":true}", 200);
      call(admin, "bulkRetryRequests", "POST", "/admin/api/requests/retry", ADMIN, "{\"reason\":\"missing_signature\"}", 202);
      badParameter(call(admin, "bulkRetryRequests", "POST", "/admin/api/requests/retry", ADMIN, "{}", 400), "filter");
      call(admin, "bulkRetryRequests", "POST", "/admin/api/requests/retry", null, "{\"source\":\"gh\"}", 401);
      call(admin, "bulkRetryRequests", "POST", "/admin/api/requests/retry", READ, "{\"source\":\"gh\"}", 403);

      call(admin, "getStats", "GET", "/admin/api/stats?since=1h&step=5m", READ, null, 200);
      badParameter(call(admin, "getStats", "GET", "/admin/api/stats?step=90s", ADMIN, null, 400), "step");
      call(admin, "getStats", "GET", "/admin/api/stats", null, null, 401);

      // A retry while PostgreSQL cannot commit (the events table locked past store.commitTimeout): 503.
      io.vertx.sqlclient.SqlConnection locker = io.vertx.pgclient.PgConnection.connect(vertx,
          io.vertx.pgclient.PgConnectOptions.fromUri(io.hookline.testing.TestServices.pgUrl())).await();
      try {
        locker.query("BEGIN").execute().await();
        locker.query("LOCK TABLE " + node.schemaName() + ".events IN ACCESS EXCLUSIVE MODE").execute().await();
        call(admin, "retryRequest", "POST", "/admin/api/requests/" + blocked + "/retry", ADMIN, null, 503);
      } finally {
        locker.query("ROLLBACK").execute().await();
        locker.close().await();
      }

      // Paths and methods outside the document keep the error shape.
      AdminApiTest.assertError(admin.get("/admin/api/nope"), 404, "not_found", null);
      // (a POST matches the console's GET route /admin/* by path: 405, in the same shape)
      AdminApiTest.assertError(admin.post("/admin/api/destinations/gh/app/frob", null), 405, "method_not_allowed", null);

      // Every operation of the document, and every response it declares, was produced and checked.
      Map<String, Set<Integer>> declared = new TreeMap<>();
      for (Operation op : contract.operations()) {
        Set<Integer> codes = new TreeSet<>();
        op.getOpenAPIModel().getJsonObject("responses").fieldNames().stream().filter(c -> c.matches("\\d{3}"))
            .forEach(c -> codes.add(Integer.parseInt(c)));
        declared.put(op.getOperationId(), codes);
      }
      assertThat(seen).isEqualTo(declared);
    }
  }

  @Test
  void theResponseCheckRejectsAnAnswerTheDocumentDoesNotDescribe() {
    // Guards the guard: a wrong role, a missing field and an undeclared status all fail the check.
    for (Object[] bad : new Object[][] {{200, "{\"role\":\"root\"}"}, {401, "{\"reason\":\"unauthorized\"}"},
        {200, "{\"role\":\"read\",\"token\":\"x\"}"}, {500, "{}"}}) {
      assertThat(validator.validate(ValidatableResponse.create((Integer) bad[0], Buffer.buffer((String) bad[1]),
          "application/json"), "whoAmI").toCompletionStage().toCompletableFuture()).as(bad[1].toString())
          .failsWithin(30, TimeUnit.SECONDS);
    }
  }

  /** Sends the call, checks its status, and checks the answer against the document; records it. */
  private HttpResponse<String> call(AdminClient admin, String operationId, String method, String path,
                                    String authorization, String body, int status) {
    HttpResponse<String> r = admin.send(method, path, authorization, body);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
    String contentType = r.headers().firstValue("Content-Type").orElse(null);
    try {
      validator.validate(ValidatableResponse.create(r.statusCode(), Buffer.buffer(r.body()), contentType), operationId)
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(method + " " + path + " answered " + r.statusCode() + " " + r.body()
          + ", which does not conform to operation " + operationId + ": " + e.getMessage(), e);
    }
    seen.computeIfAbsent(operationId, k -> new TreeSet<>()).add(status);
    return r;
  }

  private static void badParameter(HttpResponse<String> r, String parameter) {
    AdminApiTest.assertError(r, 400, "bad_parameter", parameter);
  }

  private static JsonObject readDocument() {
    try {
      return AdminApi.readDocument();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
