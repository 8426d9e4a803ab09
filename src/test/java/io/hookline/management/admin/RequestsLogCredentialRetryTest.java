package io.hookline.management.admin;

import static io.hookline.management.admin.AdminClient.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 21's open item on real nodes: a request to a source whose credential header is the secret itself
 * (apikey, basic, gitlab) is logged with that header masked and a salted fingerprint of its value; after
 * the operator adds the provider's new credential, a retry finds it through the fingerprint and the
 * source's own verifier accepts the request. The credential is never stored or answered.
 */
class RequestsLogCredentialRetryTest {
  private static final String OLD_KEY = "old-api-key-7f3a91";
  private static final String NEW_KEY = "new-api-key-c04d2e";
  private static final String OLD_BASIC = "hookline:old-password-51b2";
  private static final String NEW_BASIC = "hookline:new-password-9e8d";
  private static final String OLD_TOKEN = "old-gitlab-token-18aa";
  private static final String NEW_TOKEN = "new-gitlab-token-7c3f";

  private static String yaml(String destinationUrl, String key, String basic, String token) {
    return """
        http: { port: 0, instances: 2 }
        delivery: { pollInterval: 200ms }
        sources:
          - id: ak
            provider: apikey
            secrets: [%2$s]
            apikey: { header: X-Api-Key, eventIdHeader: X-Event-Id }
            destinations:
              - { id: app, url: "%1$s", maxAttempts: 1, timeout: 2s }
          - id: bs
            provider: basic
            secrets: [%3$s]
            basic: { eventIdHeader: X-Event-Id }
            destinations:
              - { id: app, url: "%1$s", maxAttempts: 1, timeout: 2s }
          - id: gl
            provider: gitlab
            secrets: [%4$s]
            destinations:
              - { id: app, url: "%1$s", maxAttempts: 1, timeout: 2s }
        """.formatted(destinationUrl, key, basic, token);
  }

  private static String basic(String userPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> send(TestNode node, String source, String eventId, String header, String value) {
    byte[] body = ("{\"event\":\"" + eventId + "\"}").getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new HashMap<>(Map.of("X-Event-Id", eventId, "Idempotency-Key", eventId,
        "X-Gitlab-Event", "Push Hook", "Content-Type", "application/json"));
    headers.put(header, value);
    return node.post(source, body, headers);
  }

  /** The logged request of this source whose body carries this event id. */
  private static String loggedId(TestNode node, String source, String eventId) {
    return node.query("SELECT id::text FROM {schema}.request_log WHERE source_id = $1 AND body = $2",
            source, io.vertx.core.buffer.Buffer.buffer("{\"event\":\"" + eventId + "\"}")).iterator().next().getString(0);
  }

  private static HttpResponse<String> retry(AdminClient admin, String id) {
    return admin.post("/admin/api/requests/" + id + "/retry", null);
  }

  @Test
  void apikeyBasicAndGitlabRequestsRefusedForARotatedCredentialAreRecoveredByRetry() {
    try (RecordingDestination destination = new RecordingDestination(200)) {
      Map<String, String> env = AdminClient.env("HOOKLINE_POSTGRES_SCHEMA", TestServices.freshSchema(),
          "HOOKLINE_REDIS_KEY_PREFIX", TestServices.freshPrefix());
      String[][] sent = { // source, event id, header, value as the provider sends it (the new credential)
          {"ak", "ak-1", "X-Api-Key", NEW_KEY},
          {"bs", "bs-1", "Authorization", basic(NEW_BASIC)},
          {"gl", "gl-1", "X-Gitlab-Token", NEW_TOKEN},
          {"ak", "ak-wrong", "X-Api-Key", "a-key-nobody-configured"},
          {"bs", "bs-wrong", "Authorization", basic("hookline:a-password-nobody-configured")},
          {"ak", "ak-old-row", "X-Api-Key", NEW_KEY},
      };
      TestNode before = TestNode.start(yaml(destination.url(), q(OLD_KEY), q(OLD_BASIC), q(OLD_TOKEN)), env,
          TestServices.pgUrl());
      try {
        // The provider already sends the new credential; Hookline still has the old one.
        for (String[] s : sent) {
          HttpResponse<String> r = send(before, s[0], s[1], s[2], s[3]);
          assertThat(r.statusCode()).as(s[1]).isEqualTo(401);
          assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("invalid_signature");
        }
        eventually("every refused request logged with its fingerprint", () -> before.count(
            "SELECT count(*) FROM {schema}.request_log WHERE credential_fingerprints IS NOT NULL") == sent.length);
        AdminClient admin = new AdminClient(before);

        // Stored masked; neither the credential nor its fingerprint is answered or kept in clear.
        String ak = loggedId(before, "ak", "ak-1");
        JsonObject detail = admin.ok("/admin/api/requests/" + ak);
        Map<String, String> headers = new HashMap<>();
        detail.getJsonArray("headers").forEach(h -> headers.put(((JsonArray) h).getString(0).toLowerCase(),
            ((JsonArray) h).getString(1)));
        assertThat(headers.get("x-api-key")).isEqualTo("****");
        String fingerprints = before.query("SELECT credential_fingerprints::text FROM {schema}.request_log WHERE id = $1::uuid",
            ak).iterator().next().getString(0);
        JsonObject stored = new JsonObject(fingerprints);
        assertThat(stored.getString("algorithm")).isEqualTo("PBKDF2WithHmacSHA256");
        String hash = stored.getJsonArray("headers").getJsonObject(0).getString("hash");
        String salt = stored.getString("salt");
        assertThat(detail.encode()).doesNotContain(NEW_KEY, hash, salt, "credentialFingerprints", "fingerprint");
        JsonObject bsDetail = admin.ok("/admin/api/requests/" + loggedId(before, "bs", "bs-1"));
        assertThat(bsDetail.encode()).contains("\"****\"").doesNotContain(basic(NEW_BASIC).substring(6), NEW_BASIC);
        for (String[] s : sent) {
          String row = before.query("SELECT r::text FROM {schema}.request_log r WHERE id = $1::uuid",
              loggedId(before, s[0], s[1])).iterator().next().getString(0);
          assertThat(row).as(s[1]).doesNotContain(s[3], s[3].replace("Basic ", ""));
        }
        // A fresh salt per request: the same key sent twice is fingerprinted differently.
        assertThat(before.count("SELECT count(DISTINCT credential_fingerprints->>'salt') FROM {schema}.request_log"))
            .isEqualTo(sent.length);

        // Retried while the node's secrets still lack the sent credential: refused with the reason the verifier
        // gives the masked request, as before fingerprints (basic: "****" is not "Basic <base64>").
        String[][] stillRefused = {{ak, "invalid_signature"}, {loggedId(before, "bs", "bs-1"), "malformed_signature"},
            {loggedId(before, "gl", "gl-1"), "invalid_signature"}};
        for (String[] r : stillRefused) {
          HttpResponse<String> refused = retry(admin, r[0]);
          assertThat(refused.statusCode()).isEqualTo(422);
          assertThat(new JsonObject(refused.body()).getString("reason")).isEqualTo(r[1]);
        }
        assertThat(before.count("SELECT count(*) FROM {schema}.events")).isZero();
      } finally {
        before.stopKeepingSchema();
      }

      // The operator adds the new credentials (keeping the old ones) and restarts on the same data.
      String yamlAfter = yaml(destination.url(), q(OLD_KEY) + ", " + q(NEW_KEY), q(OLD_BASIC) + ", " + q(NEW_BASIC),
          q(OLD_TOKEN) + ", " + q(NEW_TOKEN));
      try (TestNode after = TestNode.start(yamlAfter, env, TestServices.pgUrl())) {
        AdminClient admin = new AdminClient(after);
        for (String[] s : new String[][] {sent[0], sent[1], sent[2]}) {
          String id = loggedId(after, s[0], s[1]);
          HttpResponse<String> retried = retry(admin, id);
          assertThat(retried.statusCode()).as(s[1] + ": " + retried.body()).isEqualTo(200);
          JsonObject answer = new JsonObject(retried.body());
          assertThat(answer.getBoolean("duplicate")).isFalse();
          String eventId = answer.getString("id");
          assertThat(after.count("SELECT count(*) FROM {schema}.events WHERE id = $1::uuid AND provider_event_id = $2",
              eventId, s[1])).isEqualTo(1);
          // The event is stored without the credential header, as a live one is.
          String eventHeaders = after.query("SELECT headers::text FROM {schema}.events WHERE id = $1::uuid", eventId)
              .iterator().next().getString(0);
          assertThat(eventHeaders).doesNotContainIgnoringCase(s[2]).doesNotContain(s[3]);
          eventually(s[1] + " delivered", () -> destination.receivedFor(eventId).size() == 1);

          JsonObject again = new JsonObject(retry(admin, id).body());
          assertThat(again.getString("id")).isEqualTo(eventId);
          assertThat(again.getBoolean("duplicate")).isTrue();
          assertThat(after.count("SELECT count(*) FROM {schema}.deliveries WHERE event_id = $1::uuid", eventId)).isEqualTo(1);
        }

        // A credential that is still in no source's secrets matches no fingerprint: 422 with the verifier's reason.
        for (String[] s : new String[][] {{"ak", "ak-wrong", "invalid_signature"}, {"bs", "bs-wrong", "malformed_signature"}}) {
          HttpResponse<String> refused = retry(admin, loggedId(after, s[0], s[1]));
          assertThat(refused.statusCode()).as(s[1]).isEqualTo(422);
          assertThat(new JsonObject(refused.body()).getString("reason")).isEqualTo(s[2]);
        }
        // A row written before fingerprints existed (none stored) is refused as before.
        String oldRow = loggedId(after, "ak", "ak-old-row");
        after.query("UPDATE {schema}.request_log SET credential_fingerprints = NULL WHERE id = $1::uuid", oldRow);
        HttpResponse<String> oldRefused = retry(admin, oldRow);
        assertThat(oldRefused.statusCode()).isEqualTo(422);
        assertThat(new JsonObject(oldRefused.body()).getString("reason")).isEqualTo("invalid_signature");

        // Bulk retry takes the same path: the recovered request is a duplicate now, the others are skipped.
        HttpResponse<String> bulk = admin.post("/admin/api/requests/retry", "{\"source\":\"ak\"}");
        assertThat(bulk.statusCode()).isEqualTo(202);
        String job = new JsonObject(bulk.body()).getString("job");
        eventually("the bulk retry is done", () -> "done".equals(admin.ok("/admin/api/replay/" + job).getString("state")));
        JsonObject state = admin.ok("/admin/api/replay/" + job);
        assertThat(state.getLong("matched")).isEqualTo(3);
        assertThat(state.getLong("replayed")).isEqualTo(1);
        assertThat(after.count("SELECT count(*) FROM {schema}.events")).isEqualTo(3);
      }
    }
  }

  @Test
  void aBulkRetryRecoversBasicAuthRequests() {
    try (RecordingDestination destination = new RecordingDestination(200)) {
      Map<String, String> env = AdminClient.env("HOOKLINE_POSTGRES_SCHEMA", TestServices.freshSchema(),
          "HOOKLINE_REDIS_KEY_PREFIX", TestServices.freshPrefix());
      TestNode before = TestNode.start(yaml(destination.url(), q(OLD_KEY), q(OLD_BASIC), q(OLD_TOKEN)), env,
          TestServices.pgUrl());
      try {
        for (int i = 0; i < 3; i++) {
          assertThat(send(before, "bs", "bulk-" + i, "Authorization", basic(NEW_BASIC)).statusCode()).isEqualTo(401);
        }
        eventually("logged", () -> before.count(
            "SELECT count(*) FROM {schema}.request_log WHERE credential_fingerprints IS NOT NULL") == 3);
      } finally {
        before.stopKeepingSchema();
      }
      // Only the new credential now: the old one was retired on both sides.
      try (TestNode after = TestNode.start(yaml(destination.url(), q(OLD_KEY), q(NEW_BASIC), q(OLD_TOKEN)), env,
          TestServices.pgUrl())) {
        AdminClient admin = new AdminClient(after);
        HttpResponse<String> bulk = admin.post("/admin/api/requests/retry", "{\"source\":\"bs\",\"reason\":\"invalid_signature\"}");
        assertThat(bulk.statusCode()).isEqualTo(202);
        String job = new JsonObject(bulk.body()).getString("job");
        eventually("the bulk retry is done", () -> "done".equals(admin.ok("/admin/api/replay/" + job).getString("state")));
        assertThat(admin.ok("/admin/api/replay/" + job).getLong("replayed")).isEqualTo(3);
        eventually("every event delivered once", () -> after.count(
            "SELECT count(*) FROM {schema}.deliveries WHERE status = 'delivered' AND source_id = 'bs'") == 3);
        assertThat(after.count("SELECT count(*) FROM {schema}.events WHERE source_id = 'bs'")).isEqualTo(3);
      }
    }
  }

  private static String q(String s) {
    return "\"" + s + "\"";
  }
}
