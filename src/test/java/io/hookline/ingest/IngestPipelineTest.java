package io.hookline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.EventSigner;
import io.hookline.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ingest contract over real HTTP, Redis and PostgreSQL: status codes and reasons from the SPEC,
 * and what is (not) stored. One node for the class; every test uses its own event ids.
 */
class IngestPipelineTest {
  static final String STRIPE_SECRET = "whsec_stripe_test_secret_1";
  static final String STRIPE_SECRET_2 = "whsec_stripe_test_secret_2";
  static final String GITHUB_SECRET = "It's a Secret to Everybody";
  static final String STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start("""
        sources:
          - id: stripe
            provider: stripe
            secrets: ["%s", "%s"]
            maxBodyBytes: 4096
          - id: gh
            provider: github
            secrets: ["%s"]
          - id: std
            provider: standard
            secrets: ["%s"]
        """.formatted(STRIPE_SECRET, STRIPE_SECRET_2, GITHUB_SECRET, STANDARD_SECRET));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  static byte[] stripeBody(String id) {
    return ("{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"invoice.paid\",\"data\":{\"object\":{}}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  long rows(String sourceId, String providerEventId) {
    return node.count("SELECT count(*) FROM {schema}.events WHERE source_id = $1 AND provider_event_id = $2",
        sourceId, providerEventId);
  }

  static JsonObject json(HttpResponse<String> r) {
    return new JsonObject(r.body());
  }

  @Test
  void validEventIsCommittedAndItsDuplicateAnsweredWithTheSameId() {
    String id = "evt_valid_" + System.nanoTime();
    byte[] body = stripeBody(id);
    HttpResponse<String> first = node.post("stripe", body, EventSigner.sign("stripe", STRIPE_SECRET, body, id, now()));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(json(first).getBoolean("duplicate")).isFalse();
    String hooklineId = json(first).getString("id");
    var row = node.query("SELECT id::text, event_type, body, status FROM {schema}.events WHERE source_id='stripe' AND provider_event_id=$1", id)
        .iterator().next();
    assertThat(row.getString(0)).isEqualTo(hooklineId);
    assertThat(row.getString(1)).isEqualTo("invoice.paid");
    assertThat(row.getBuffer(2).getBytes()).isEqualTo(body);
    // Headers are stored as a JSON array of [name, value] pairs (not a JSON string holding one).
    var headers = node.query("SELECT jsonb_typeof(headers), headers @> '[[\"Content-Type\", \"application/json\"]]'::jsonb "
        + "FROM {schema}.events WHERE id = $1::uuid", hooklineId).iterator().next();
    assertThat(headers.getString(0)).isEqualTo("array");
    assertThat(headers.getBoolean(1)).isTrue();

    HttpResponse<String> second = node.post("stripe", body, EventSigner.sign("stripe", STRIPE_SECRET, body, id, now()));
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(json(second).getBoolean("duplicate")).isTrue();
    assertThat(json(second).getString("id")).isEqualTo(hooklineId);
    assertThat(rows("stripe", id)).isEqualTo(1);
    assertThat(first.headers().firstValue("X-Request-Id")).isPresent();
  }

  @Test
  void anEventIdWithControlCharactersIsRefusedAndNothingStored() {
    String id = "evt_ctl_" + System.nanoTime();
    // JSON "\u0001": the provider's id really contains U+0001 once decoded.
    byte[] body = stripeBody(id + "\\u0001");
    HttpResponse<String> r = node.post("stripe", body, EventSigner.sign("stripe", STRIPE_SECRET, body, id, now()));
    assertRejected(r, 400, "malformed_event_id", null);
    assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE provider_event_id LIKE $1", id + "%")).isZero();
  }

  @Test
  void anEventIdOver256CharactersIsKeyedByItsHash() {
    String id = "evt_long_" + System.nanoTime() + "_" + "x".repeat(300);
    byte[] body = stripeBody(id);
    HttpResponse<String> first = node.post("stripe", body, EventSigner.sign("stripe", STRIPE_SECRET, body, id, now()));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    String key = "sha256:" + io.hookline.verify.EventIds.sha256Hex(id.getBytes(StandardCharsets.UTF_8));
    assertThat(rows("stripe", key)).isEqualTo(1);
    // The same id with another body is the same event: the key is the id's hash, not the body's.
    byte[] other = (new String(body, StandardCharsets.UTF_8).replace("invoice.paid", "invoice.updated")).getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> again = node.post("stripe", other, EventSigner.sign("stripe", STRIPE_SECRET, other, id, now()));
    assertThat(json(again).getBoolean("duplicate")).isTrue();
    assertThat(json(again).getString("id")).isEqualTo(json(first).getString("id"));
  }

  @Test
  void eitherSecretOfARotationIsAccepted() {
    for (String secret : new String[] {STRIPE_SECRET, STRIPE_SECRET_2}) {
      String id = "evt_rot_" + System.nanoTime();
      byte[] body = stripeBody(id);
      HttpResponse<String> r = node.post("stripe", body, EventSigner.sign("stripe", secret, body, id, now()));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(rows("stripe", id)).isEqualTo(1);
    }
  }

  private void assertRejected(HttpResponse<String> r, int status, String reason, String eventId) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonObject j = json(r);
    assertThat(j.getString("reason")).isEqualTo(reason);
    assertThat(j.getString("error")).isNotBlank();
    assertThat(r.body()).doesNotContain(STRIPE_SECRET).doesNotContain(GITHUB_SECRET);
    if (eventId != null) {
      assertThat(rows("stripe", eventId)).isZero();
      assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE provider_event_id = $1", eventId)).isZero();
    }
  }

  @Test
  void tamperedBodyIsRefusedAndNothingStored() {
    String id = "evt_tamper_" + System.nanoTime();
    byte[] body = stripeBody(id);
    Map<String, String> headers = EventSigner.sign("stripe", STRIPE_SECRET, body, id, now());
    byte[] tampered = body.clone();
    tampered[tampered.length - 3] ^= 1;
    assertRejected(node.post("stripe", tampered, headers), 401, "invalid_signature", id);
  }

  @Test
  void wrongSecretIsRefused() {
    String id = "evt_wrong_" + System.nanoTime();
    byte[] body = stripeBody(id);
    assertRejected(node.post("stripe", body, EventSigner.sign("stripe", "whsec_not_ours", body, id, now())),
        401, "invalid_signature", id);
  }

  @Test
  void missingHeaderIsRefused() {
    String id = "evt_missing_" + System.nanoTime();
    assertRejected(node.post("stripe", stripeBody(id), Map.of()), 400, "missing_signature", id);
  }

  @Test
  void malformedHeaderIsRefused() {
    String id = "evt_malformed_" + System.nanoTime();
    assertRejected(node.post("stripe", stripeBody(id), Map.of("Stripe-Signature", "garbage")),
        400, "malformed_signature", id);
    assertRejected(node.post("gh", stripeBody(id), Map.of("X-Hub-Signature-256", "sha256=zz", "X-GitHub-Delivery", id)),
        400, "malformed_signature", null);
    assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE provider_event_id = $1", id)).isZero();
  }

  @Test
  void staleAndFutureTimestampsAreRefused() {
    String id = "evt_time_" + System.nanoTime();
    byte[] body = stripeBody(id);
    assertRejected(node.post("stripe", body, EventSigner.sign("stripe", STRIPE_SECRET, body, id, now() - 3600)),
        401, "timestamp_out_of_tolerance", id);
    assertRejected(node.post("stripe", body, EventSigner.sign("stripe", STRIPE_SECRET, body, id, now() + 3600)),
        401, "timestamp_out_of_tolerance", id);
    byte[] std = "{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r = node.post("std", std, EventSigner.sign("standard", STANDARD_SECRET, std, id, now() + 3600));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(json(r).getString("reason")).isEqualTo("timestamp_out_of_tolerance");
  }

  @Test
  void unknownSourceIs404() {
    HttpResponse<String> r = node.post("nope", stripeBody("x"), Map.of());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r).getString("reason")).isEqualTo("unknown_source");
  }

  @Test
  void oversizeBodyIs413WithContentLengthAndChunked() throws Exception {
    String id = "evt_big_" + System.nanoTime();
    byte[] big = new byte[10_000];
    java.util.Arrays.fill(big, (byte) 'a');
    assertRejected(node.post("stripe", big, EventSigner.sign("stripe", STRIPE_SECRET, big, id, now())),
        413, "body_too_large", null);
    // Chunked: no Content-Length, so the limit must stop the read itself.
    java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.baseUrl() + "/webhooks/stripe"))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
        .header("Stripe-Signature", EventSigner.sign("stripe", STRIPE_SECRET, big, id, now()).get("Stripe-Signature"))
        .build();
    HttpResponse<String> chunked = node.http.send(req, HttpResponse.BodyHandlers.ofString());
    assertRejected(chunked, 413, "body_too_large", null);
    assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE source_id = 'stripe' AND length(body) > 4096")).isZero();
  }

  @Test
  void githubPublishedVectorIsAccepted() {
    byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    String delivery = "gh-" + System.nanoTime();
    HttpResponse<String> r = node.post("gh", body, Map.of(
        "X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "X-GitHub-Delivery", delivery, "X-GitHub-Event", "ping"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE source_id='gh' AND provider_event_id=$1 AND event_type='ping'", delivery))
        .isEqualTo(1);
  }

  @Test
  void duplicateIsRecognisedEvenAfterRedisLostItsKeys() throws Exception {
    String id = "msg_flush_" + System.nanoTime();
    byte[] body = "{\"type\":\"user.created\"}".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> first = node.post("std", body, EventSigner.sign("standard", STANDARD_SECRET, body, id, now()));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    long deleted = RedisKeys.deleteByPrefix(node.keyPrefix());
    assertThat(deleted).isPositive();
    HttpResponse<String> second = node.post("std", body, EventSigner.sign("standard", STANDARD_SECRET, body, id, now()));
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(json(second).getBoolean("duplicate")).isTrue();
    assertThat(json(second).getString("id")).isEqualTo(json(first).getString("id"));
    assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE source_id='std' AND provider_event_id=$1", id)).isEqualTo(1);
  }

  @Test
  void concurrentCopiesOfTwentyEventsStoreExactlyTwentyRows() throws Exception {
    String run = "c" + System.nanoTime();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(50);
    try {
      java.util.List<java.util.concurrent.Future<HttpResponse<String>>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String id = run + "_" + (i % 20);
        byte[] body = stripeBody(id);
        Map<String, String> headers = EventSigner.sign("stripe", STRIPE_SECRET, body, id, now());
        futures.add(pool.submit(() -> node.post("stripe", body, headers)));
      }
      Map<String, String> idByEvent = new HashMap<>();
      int fresh = 0;
      for (int i = 0; i < futures.size(); i++) {
        HttpResponse<String> r = futures.get(i).get();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject j = json(r);
        if (!j.getBoolean("duplicate")) {
          fresh++;
        }
        String previous = idByEvent.putIfAbsent(run + "_" + (i % 20), j.getString("id"));
        if (previous != null) {
          assertThat(j.getString("id")).isEqualTo(previous);
        }
      }
      assertThat(fresh).isEqualTo(20);
      assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE provider_event_id LIKE $1", run + "_%")).isEqualTo(20);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void healthEndpointsAnswer() {
    assertThat(node.get(node.baseUrl() + "/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = node.get(node.baseUrl() + "/health/ready");
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(new JsonObject(ready.body()).getJsonObject("checks").getString("postgres")).isEqualTo("UP");
  }
}
