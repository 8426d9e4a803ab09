package io.hookline.ingest;

import static io.hookline.verify.Signing.base64;
import static io.hookline.verify.Signing.hex;
import static io.hookline.verify.Signing.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.EventSigner;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.hookline.verify.Signing;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every provider scheme besides stripe/github/standard v1 ({@link IngestPipelineTest}) end to end
 * over real HTTP, Redis and PostgreSQL. Requests are signed here the way each sender signs them,
 * independently of the verifiers: this is the sender's side of the contract. One node for the
 * class with one source per scheme; every test uses its own event ids.
 */
class ProviderCatalogueTest {
  static final String SHOPIFY_SECRET = "shpss_catalogue_secret_1";
  static final String ROTATED_OLD = "shpss_rotated_old_secret";
  static final String ROTATED_NEW = "shpss_rotated_new_secret";
  static final String SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  static final String TWILIO_TOKEN = "12345678901234567890123456789012";
  static final String PADDLE_SECRET = "pdl_ntfset_01catalogue_secret";
  static final String HMAC_SECRET = "acme-shared-hmac-secret";
  static final String BASIC_CREDENTIALS = "hookline:correct horse battery staple";
  static final String API_KEY = "ak_live_catalogue_key_1";
  static final String WRONG_SECRET = "not-the-configured-secret";
  static final KeyPair SENDER_KEY = ed25519KeyPair();
  static final KeyPair FORGER_KEY = ed25519KeyPair();
  static final List<String> SECRETS = List.of(SHOPIFY_SECRET, ROTATED_OLD, ROTATED_NEW, SLACK_SECRET, TWILIO_TOKEN,
      PADDLE_SECRET, HMAC_SECRET, BASIC_CREDENTIALS, API_KEY);
  static final String FORM = "application/x-www-form-urlencoded";
  static final String PROXIED_TWILIO_URL = "https://hooks.example.com/webhooks/twilio";

  static TestNode node;

  @BeforeAll
  static void start() {
    Instant now = Instant.now();
    // Secrets come from the environment, as in production; the notAfter instants are relative to now, so inlined.
    node = TestNode.start("""
        http: { port: 0, instances: 2, trustedProxies: ["127.0.0.1"] }
        sources:
          - { id: shopify, provider: shopify, secrets: ["${CAT_SHOPIFY}"] }
          - id: shopify-rotated
            provider: shopify
            secrets: [{ value: "${CAT_ROTATED_OLD}", notAfter: "%s" }, "${CAT_ROTATED_NEW}"]
          - id: shopify-overlap
            provider: shopify
            secrets: [{ value: "${CAT_ROTATED_OLD}", notAfter: "%s" }, "${CAT_ROTATED_NEW}"]
          - { id: slack, provider: slack, secrets: ["${CAT_SLACK}"] }
          - { id: twilio, provider: twilio, secrets: ["${CAT_TWILIO}"] }
          - { id: paddle, provider: paddle, secrets: ["${CAT_PADDLE}"] }
          - { id: standard-v1a, provider: standard, secrets: ["${CAT_ED25519_PUBLIC}"] }
          - id: hmac-timestamped
            provider: hmac
            secrets: ["${CAT_HMAC}"]
            hmac: { algorithm: sha256, header: X-Acme-Signature, encoding: hex, prefix: "v1=",
                    signedContent: "{timestamp}.{body}", timestampHeader: X-Acme-Timestamp,
                    eventIdPointer: /data/id, eventTypePointer: /type }
          - id: hmac-signed-id
            provider: hmac
            secrets: ["${CAT_HMAC}"]
            hmac: { header: X-Signature, signedContent: "{id}:{timestamp}:{body}",
                    idHeader: X-Delivery-Id, timestampHeader: X-Timestamp }
          - id: hmac-base64
            provider: hmac
            secrets: ["${CAT_HMAC}"]
            hmac: { algorithm: sha512, header: X-Content-Signature, encoding: base64, prefix: "sha512=" }
          - id: basic
            provider: basic
            secrets: ["${CAT_BASIC}"]
            basic: { eventIdHeader: X-Event-Id }
          - id: apikey-header
            provider: apikey
            secrets: ["${CAT_API_KEY}"]
            apikey: { header: X-Api-Key, eventIdPointer: /id }
          - id: apikey-query
            provider: apikey
            secrets: ["${CAT_API_KEY}"]
            apikey: { query: key, eventIdHeader: X-Event-Id }
        """.formatted(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1))),
        Map.of("CAT_SHOPIFY", SHOPIFY_SECRET, "CAT_ROTATED_OLD", ROTATED_OLD, "CAT_ROTATED_NEW", ROTATED_NEW,
            "CAT_SLACK", SLACK_SECRET, "CAT_TWILIO", TWILIO_TOKEN, "CAT_PADDLE", PADDLE_SECRET,
            "CAT_ED25519_PUBLIC", whpk(SENDER_KEY), "CAT_HMAC", HMAC_SECRET, "CAT_BASIC", BASIC_CREDENTIALS,
            "CAT_API_KEY", API_KEY),
        TestServices.pgUrl());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  // ---------------------------------------------------------------- the senders

  /** One request as the sender puts it on the wire: the path after /webhooks/ (query included), headers, body. */
  record Outgoing(String target, Map<String, String> headers, byte[] body) {
    Outgoing withBody(byte[] other) {
      return new Outgoing(target, headers, other);
    }

    Outgoing withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Outgoing(target, h, body);
    }

    Outgoing withoutHeader(String name) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.remove(name);
      return new Outgoing(target, h, body);
    }

    Outgoing withoutQuery() {
      int q = target.indexOf('?');
      return new Outgoing(q < 0 ? target : target.substring(0, q), headers, body);
    }
  }

  @FunctionalInterface
  interface Signer {
    Outgoing sign(String secret, String eventId, byte[] body, long timestampSeconds);
  }

  /**
   * The sender's side of one source: the body it sends for an event id, how it signs it, how its
   * credential is left out, and which provider event id the node must derive ({@code idRule}).
   * Bearer schemes (basic, apikey) send a credential instead of signing the body.
   */
  record Scheme(String name, String sourceId, String secret, String wrongSecret, Function<String, byte[]> body,
                Signer signer, UnaryOperator<Outgoing> withoutCredential, boolean signsBody, boolean signsTimestamp,
                BiFunction<String, byte[], String> idRule) {
    static Scheme of(String name, String sourceId, String secret, Function<String, byte[]> body, Signer signer,
                     String credentialHeader) {
      return of(name, sourceId, secret, body, signer, o -> o.withoutHeader(credentialHeader));
    }

    static Scheme of(String name, String sourceId, String secret, Function<String, byte[]> body, Signer signer,
                     UnaryOperator<Outgoing> withoutCredential) {
      return new Scheme(name, sourceId, secret, WRONG_SECRET, body, signer, withoutCredential, true, false, (id, b) -> id);
    }

    Scheme timestamped() {
      return new Scheme(name, sourceId, secret, wrongSecret, body, signer, withoutCredential, signsBody, true, idRule);
    }

    Scheme bearer() {
      return new Scheme(name, sourceId, secret, wrongSecret, body, signer, withoutCredential, false, signsTimestamp, idRule);
    }

    Scheme wrongSecret(String other) {
      return new Scheme(name, sourceId, secret, other, body, signer, withoutCredential, signsBody, signsTimestamp, idRule);
    }

    Scheme storedAs(BiFunction<String, byte[], String> rule) {
      return new Scheme(name, sourceId, secret, wrongSecret, body, signer, withoutCredential, signsBody, signsTimestamp, rule);
    }

    Outgoing sign(String withSecret, String eventId, long timestampSeconds) {
      return signer.sign(withSecret, eventId, body.apply(eventId), timestampSeconds);
    }

    Outgoing sign(String eventId) {
      return sign(secret, eventId, now());
    }

    String storedId(String eventId) {
      return idRule.apply(eventId, body.apply(eventId));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Scheme shopify(String sourceId, String secret) {
    return Scheme.of(sourceId, sourceId, secret,
        id -> utf8("{\"id\":820982911946154508,\"email\":\"jon@example.com\",\"total_price\":\"10.00\"}"),
        (key, id, body, ts) -> new Outgoing(sourceId, EventSigner.sign("shopify", key, body, id, ts), body),
        "X-Shopify-Hmac-Sha256");
  }

  static final Scheme SHOPIFY = shopify("shopify", SHOPIFY_SECRET);

  static final Scheme SLACK = Scheme.of("slack", "slack", SLACK_SECRET,
      id -> utf8("{\"token\":\"XXYYZZ\",\"team_id\":\"T0001\",\"type\":\"event_callback\",\"event_id\":\"" + id
          + "\",\"event_time\":1700000000,\"event\":{\"type\":\"app_mention\",\"text\":\"hi\"}}"),
      ProviderCatalogueTest::slackRequest, "X-Slack-Signature").timestamped();

  /** Form post, no idempotency token: the node falls back to MessageSid. */
  static final Scheme TWILIO_FORM = Scheme.of("twilio-form", "twilio", TWILIO_TOKEN, ProviderCatalogueTest::twilioFormBody,
      (key, id, body, ts) -> twilioFormRequest(key, node.baseUrl() + "/webhooks/twilio", body),
      "X-Twilio-Signature");

  /** JSON post signed through the URL's bodySHA256; the idempotency token wins over the body's MessageSid. */
  static final Scheme TWILIO_JSON = Scheme.of("twilio-json", "twilio", TWILIO_TOKEN,
      id -> utf8("{\"type\":\"com.twilio.messaging.inbound-message.received\",\"MessageSid\":\"SM_not_the_event_id\"}"),
      (key, id, body, ts) -> {
        String target = "twilio?bodySHA256=" + hex(sha256(body));
        return new Outgoing(target, Map.of("I-Twilio-Idempotency-Token", id,
            "X-Twilio-Signature", twilioSignature(key, node.baseUrl() + "/webhooks/" + target, "")), body);
      },
      "X-Twilio-Signature");

  static final Scheme PADDLE = Scheme.of("paddle", "paddle", PADDLE_SECRET,
      id -> utf8("{\"event_id\":\"" + id + "\",\"event_type\":\"transaction.completed\","
          + "\"occurred_at\":\"2026-11-30T10:00:00.000Z\",\"data\":{\"id\":\"txn_01\"}}"),
      (key, id, body, ts) -> new Outgoing("paddle", EventSigner.sign("paddle", key, body, id, ts), body),
      "Paddle-Signature").timestamped();

  static final Scheme STANDARD_V1A = Scheme.of("standard-v1a", "standard-v1a", privateKey(SENDER_KEY),
      id -> utf8("{\"type\":\"user.created\",\"data\":{\"id\":\"u_1\"}}"),
      (key, id, body, ts) -> new Outgoing("standard-v1a", Map.of("webhook-id", id, "webhook-timestamp", Long.toString(ts),
          "webhook-signature", "v1a," + base64(ed25519(key, concat(utf8(id + "." + ts + "."), body)))), body),
      "webhook-signature").timestamped().wrongSecret(privateKey(FORGER_KEY));

  static final Scheme HMAC_TIMESTAMPED = Scheme.of("hmac-timestamped", "hmac-timestamped", HMAC_SECRET,
      id -> utf8("{\"type\":\"invoice.paid\",\"data\":{\"id\":\"" + id + "\",\"amount\":100}}"),
      (key, id, body, ts) -> new Outgoing("hmac-timestamped", Map.of("X-Acme-Timestamp", Long.toString(ts),
          "X-Acme-Signature", "v1=" + hex(hmac("HmacSHA256", key, concat(utf8(ts + "."), body)))), body),
      "X-Acme-Signature").timestamped();

  static final Scheme HMAC_SIGNED_ID = Scheme.of("hmac-signed-id", "hmac-signed-id", HMAC_SECRET,
      id -> utf8("{\"kind\":\"ping\"}"),
      (key, id, body, ts) -> new Outgoing("hmac-signed-id", Map.of("X-Delivery-Id", id, "X-Timestamp", Long.toString(ts),
          "X-Signature", hex(hmac("HmacSHA256", key, concat(utf8(id + ":" + ts + ":"), body)))), body),
      "X-Signature").timestamped();

  /** No event id configured: the node dedups on the body's SHA-256. */
  static final Scheme HMAC_BASE64 = Scheme.of("hmac-base64", "hmac-base64", HMAC_SECRET,
      id -> utf8("{\"delivery\":\"" + id + "\"}"),
      (key, id, body, ts) -> new Outgoing("hmac-base64",
          Map.of("X-Content-Signature", "sha512=" + base64(hmac("HmacSHA512", key, body))), body),
      "X-Content-Signature").storedAs((id, body) -> "sha256:" + hex(sha256(body)));

  static final Scheme BASIC = Scheme.of("basic", "basic", BASIC_CREDENTIALS, id -> utf8("{\"ping\":true}"),
      (key, id, body, ts) -> new Outgoing("basic",
          Map.of("Authorization", "Basic " + base64(utf8(key)), "X-Event-Id", id), body),
      "Authorization").bearer().wrongSecret("hookline:wrong password");

  static final Scheme APIKEY_HEADER = Scheme.of("apikey-header", "apikey-header", API_KEY,
      id -> utf8("{\"id\":\"" + id + "\",\"type\":\"ping\"}"),
      (key, id, body, ts) -> new Outgoing("apikey-header", Map.of("X-Api-Key", key), body),
      "X-Api-Key").bearer();

  static final Scheme APIKEY_QUERY = Scheme.of("apikey-query", "apikey-query", API_KEY, id -> utf8("{\"ok\":true}"),
      (key, id, body, ts) -> new Outgoing("apikey-query?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8),
          Map.of("X-Event-Id", id), body),
      Outgoing::withoutQuery).bearer();

  static Stream<Scheme> schemes() {
    return Stream.of(SHOPIFY, SLACK, TWILIO_FORM, TWILIO_JSON, PADDLE, STANDARD_V1A, HMAC_TIMESTAMPED, HMAC_SIGNED_ID,
        HMAC_BASE64, BASIC, APIKEY_HEADER, APIKEY_QUERY);
  }

  static Stream<Scheme> bodySigningSchemes() {
    return schemes().filter(Scheme::signsBody);
  }

  static Stream<Scheme> timestampedSchemes() {
    return schemes().filter(Scheme::signsTimestamp);
  }

  // ---------------------------------------------------------------- every scheme

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void genuineEventIsStoredOnceAndItsRepeatIsADuplicate(Scheme s) {
    String id = eventId(s);
    Outgoing first = s.sign(id);
    String hooklineId = assertStoredOnce(node, s.sourceId(), s.storedId(id), first);

    // Re-signed, as providers do on a retry (fresh timestamp): still the same event.
    HttpResponse<String> again = send(node, s.sign(id));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(json(again).getBoolean("duplicate")).isTrue();
    assertThat(json(again).getString("id")).isEqualTo(hooklineId);
    assertThat(rows(node, s.sourceId(), s.storedId(id))).isEqualTo(1);
    // The key the refusal tests expect to be absent is really where an accepted event is claimed.
    assertThat(RedisKeys.exists(dedupKey(node, s.sourceId(), s.storedId(id)))).isTrue();

    if (!s.signsBody()) {
      // A bearer credential is the secret itself: it must not be kept with the event's headers.
      Map<String, String> kept = s.withoutCredential().apply(first).headers();
      String storedHeaders = node.query("SELECT headers::text FROM {schema}.events WHERE id = $1::uuid", hooklineId)
          .iterator().next().getString(0);
      first.headers().forEach((name, value) -> {
        if (!kept.containsKey(name)) {
          assertThat(storedHeaders).doesNotContain(value);
        }
      });
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodySigningSchemes")
  void tamperedBodyIsRefused(Scheme s) {
    String id = eventId(s);
    Outgoing genuine = s.sign(id);
    byte[] tampered = genuine.body().clone();
    tampered[tampered.length / 2] ^= 1;
    assertRefused(node, send(node, genuine.withBody(tampered)), 401, "invalid_signature",
        s.sourceId(), s.storedId(id), s.idRule().apply(id, tampered));
    assertStillNew(s, id);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void wrongSecretIsRefused(Scheme s) {
    String id = eventId(s);
    assertRefused(node, send(node, s.sign(s.wrongSecret(), id, now())), 401, "invalid_signature",
        s.sourceId(), s.storedId(id));
    assertStillNew(s, id);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void missingCredentialIsRefused(Scheme s) {
    String id = eventId(s);
    assertRefused(node, send(node, s.withoutCredential().apply(s.sign(id))), 400, "missing_signature",
        s.sourceId(), s.storedId(id));
    assertStillNew(s, id);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("timestampedSchemes")
  void staleAndFutureTimestampsAreRefused(Scheme s) {
    String id = eventId(s);
    for (long skew : new long[] {-3600, 3600}) {
      assertRefused(node, send(node, s.sign(s.secret(), id, now() + skew)), 401, "timestamp_out_of_tolerance",
          s.sourceId(), s.storedId(id));
    }
    assertStillNew(s, id);
  }

  // ---------------------------------------------------------------- provider specifics

  @Test
  void slackUrlVerificationIsAnsweredWithTheChallengeAndNotStored() {
    String challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" + System.nanoTime();
    byte[] body = utf8("{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"challenge\":\"" + challenge
        + "\",\"type\":\"url_verification\"}");
    // Had it been stored, it would be under the body's hash: it carries no event_id.
    String wouldBeId = "sha256:" + hex(sha256(body));

    HttpResponse<String> answered = send(node, slackRequest(SLACK_SECRET, null, body, now()));
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    assertThat(json(answered).getString("challenge")).isEqualTo(challenge);
    assertNothingStored(node, "slack", wouldBeId);
    assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE source_id = 'slack' AND event_type = 'url_verification'"))
        .isZero();

    HttpResponse<String> unsigned = send(node, new Outgoing("slack", Map.of(), body));
    assertRefused(node, unsigned, 400, "missing_signature", "slack", wouldBeId);
    HttpResponse<String> forged = send(node, slackRequest(WRONG_SECRET, null, body, now()));
    assertRefused(node, forged, 401, "invalid_signature", "slack", wouldBeId);
    HttpResponse<String> replayed = send(node, slackRequest(SLACK_SECRET, null, body, now() - 3600));
    assertRefused(node, replayed, 401, "timestamp_out_of_tolerance", "slack", wouldBeId);
    for (HttpResponse<String> r : List.of(unsigned, forged, replayed)) {
      assertThat(r.body()).doesNotContain(challenge);
    }
  }

  @Test
  void twilioSignedForThePublicUrlIsBelievedOnlyFromATrustedProxy() {
    String id = eventId(TWILIO_FORM);
    byte[] body = twilioFormBody(id);
    Outgoing proxied = twilioFormRequest(TWILIO_TOKEN, PROXIED_TWILIO_URL, body)
        .withHeader("X-Forwarded-Proto", "https")
        .withHeader("X-Forwarded-Host", "hooks.example.com");
    assertStoredOnce(node, "twilio", id, proxied);

    try (TestNode untrusting = TestNode.start("""
        sources:
          - { id: twilio, provider: twilio, secrets: ["%s"] }
        """.formatted(TWILIO_TOKEN))) {
      // From a peer that is not a trusted proxy the forwarding headers are ignored, so they cannot
      // make a signature over another URL pass.
      assertRefused(untrusting, send(untrusting, proxied), 401, "invalid_signature", "twilio", id);
      Outgoing direct = twilioFormRequest(TWILIO_TOKEN, untrusting.baseUrl() + "/webhooks/twilio", body);
      assertStoredOnce(untrusting, "twilio", id, direct);
    }
  }

  @Test
  void signedIdCannotBeSwappedToSlipPastDedup() {
    String id = eventId(HMAC_SIGNED_ID);
    String swapped = id + "-again";
    Outgoing resent = HMAC_SIGNED_ID.sign(id).withHeader("X-Delivery-Id", swapped);
    assertRefused(node, send(node, resent), 401, "invalid_signature", HMAC_SIGNED_ID.sourceId(), swapped);
  }

  @Test
  void expiredOldSecretIsRefusedWhileTheNewOneIsAccepted() {
    Scheme rotated = shopify("shopify-rotated", ROTATED_NEW);
    String id = eventId(rotated);
    assertRefused(node, send(node, rotated.sign(ROTATED_OLD, id, now())), 401, "invalid_signature",
        rotated.sourceId(), id);
    assertStillNew(rotated, id);
  }

  @Test
  void duringTheOverlapBothOldAndNewSecretsAreAccepted() {
    Scheme overlap = shopify("shopify-overlap", ROTATED_NEW);
    for (String secret : List.of(ROTATED_OLD, ROTATED_NEW)) {
      String id = eventId(overlap);
      assertStoredOnce(node, overlap.sourceId(), id, overlap.sign(secret, id, now()));
    }
  }

  // ---------------------------------------------------------------- assertions

  /** The genuine event after refusals is new: they claimed and stored nothing that could shadow it. */
  private static void assertStillNew(Scheme s, String eventId) {
    assertStoredOnce(node, s.sourceId(), s.storedId(eventId), s.sign(eventId));
  }

  /** Sends the request, expects it accepted as new, and checks its one committed row; returns the Hookline id. */
  private static String assertStoredOnce(TestNode on, String sourceId, String storedId, Outgoing request) {
    HttpResponse<String> r = send(on, request);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).getBoolean("duplicate")).as(r.body()).isFalse();
    RowSet<Row> stored = on.query("SELECT id::text, body FROM {schema}.events WHERE source_id = $1 AND provider_event_id = $2",
        sourceId, storedId);
    assertThat(stored.size()).isEqualTo(1);
    Row row = stored.iterator().next();
    assertThat(row.getString(0)).isEqualTo(json(r).getString("id"));
    assertThat(row.getBuffer(1).getBytes()).isEqualTo(request.body());
    return row.getString(0);
  }

  private static void assertRefused(TestNode on, HttpResponse<String> r, int status, String reason, String sourceId,
                                    String... storedIds) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(json(r).getString("reason")).as(r.body()).isEqualTo(reason);
    assertThat(json(r).getString("error")).isNotBlank();
    SECRETS.forEach(secret -> assertThat(r.body()).doesNotContain(secret));
    for (String storedId : storedIds) {
      assertNothingStored(on, sourceId, storedId);
    }
  }

  private static void assertNothingStored(TestNode on, String sourceId, String storedId) {
    assertThat(rows(on, sourceId, storedId)).as("rows for %s/%s", sourceId, storedId).isZero();
    assertThat(RedisKeys.exists(dedupKey(on, sourceId, storedId))).as("Redis claim for %s/%s", sourceId, storedId).isFalse();
  }

  private static String dedupKey(TestNode on, String sourceId, String storedId) {
    return on.keyPrefix() + sourceId + ":" + storedId;
  }

  private static long rows(TestNode on, String sourceId, String storedId) {
    return on.count("SELECT count(*) FROM {schema}.events WHERE source_id = $1 AND provider_event_id = $2",
        sourceId, storedId);
  }

  private static HttpResponse<String> send(TestNode on, Outgoing o) {
    return on.post(o.target(), o.body(), o.headers());
  }

  private static JsonObject json(HttpResponse<String> r) {
    return new JsonObject(r.body());
  }

  private static String eventId(Scheme s) {
    return "evt-" + s.name() + "-" + System.nanoTime();
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  // ---------------------------------------------------------------- signing, the sender's way

  static Outgoing slackRequest(String secret, String eventId, byte[] body, long ts) {
    return new Outgoing("slack", EventSigner.sign("slack", secret, body, eventId, ts), body);
  }

  /** Unsorted, with escapes and a UTF-8 emoji, so the sorting and decoding the signature covers are exercised. */
  static byte[] twilioFormBody(String messageSid) {
    return utf8("ToCountry=US&SmsMessageSid=" + messageSid + "&NumMedia=0&Body=Hello%2C+world%21+%F0%9F%91%8B"
        + "&From=%2B15005550006&MessageSid=" + messageSid + "&AccountSid=AC00000000000000000000000000000000"
        + "&To=%2B15005550001&ApiVersion=2010-04-01");
  }

  static Outgoing twilioFormRequest(String token, String publicUrl, byte[] body) {
    TreeMap<String, String> sorted = new TreeMap<>();
    for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
      int eq = pair.indexOf('=');
      sorted.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    StringBuilder params = new StringBuilder();
    sorted.forEach((name, value) -> params.append(name).append(value));
    return new Outgoing("twilio", Map.of("Content-Type", FORM,
        "X-Twilio-Signature", twilioSignature(token, publicUrl, params.toString())), body);
  }

  /** Base64 HMAC-SHA1 of the URL Twilio called followed by the sorted POST parameters. */
  static String twilioSignature(String token, String url, String sortedParams) {
    return base64(hmac("HmacSHA1", token, utf8(url + sortedParams)));
  }

  static KeyPair ed25519KeyPair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** Standard Webhooks' public-key secret: whpk_ and the base64 of the raw 32-byte key, the tail of its X.509 form. */
  static String whpk(KeyPair pair) {
    byte[] x509 = pair.getPublic().getEncoded();
    return "whpk_" + base64(Arrays.copyOfRange(x509, x509.length - 32, x509.length));
  }

  /** The v1a sender's secret is its private key (PKCS#8, base64), so it fits the same String-keyed signer as HMAC. */
  static String privateKey(KeyPair pair) {
    return base64(pair.getPrivate().getEncoded());
  }

  static byte[] ed25519(String privateKey, byte[] data) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateKey))));
      signature.update(data);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] hmac(String algorithm, String key, byte[] data) {
    return Signing.hmac(algorithm, utf8(key), data);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
