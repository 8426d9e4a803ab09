package io.hookline.ingest;

import static io.hookline.verify.Signing.base64;
import static io.hookline.verify.Signing.hex;
import static io.hookline.verify.Signing.hmac;
import static io.hookline.verify.Signing.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The POST and GET handshakes of issue 18's providers over real HTTP, Redis and PostgreSQL: each is answered
 * only when it proves its origin the provider's way, a forged one is refused with a reason, and
 * nothing is ever stored for either (each source here receives only handshakes and forgeries).
 */
class HandshakesHttpTest {
  static final String ZOOM = "zoom-secret-token";
  static final String TWITCH = "twitch-eventsub-secret";
  static final String GRAPH = "graph-client-state";
  static final String WOO = "woo-secret";
  static final String META_TOKEN = "meta-verify-token";
  static final String X_SECRET = "x-consumer-secret";
  static final String OKTA = "Bearer okta-hook-secret";
  static final KeyPair DISCORD = ed25519();
  static final KeyPair FORGER = ed25519();

  static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start("""
        http: { port: 0 }
        sources:
          - { id: zoom, provider: zoom, secrets: ["${HS_ZOOM}"] }
          - { id: twitch, provider: twitch, secrets: ["${HS_TWITCH}"] }
          - { id: discord, provider: discord, secrets: ["${HS_DISCORD}"] }
          - { id: msgraph, provider: msgraph, secrets: ["${HS_GRAPH}"] }
          - { id: woocommerce, provider: woocommerce, secrets: ["${HS_WOO}"] }
          - { id: meta, provider: meta, secrets: ["${HS_META}"], meta: { verifyToken: "%s" } }
          - { id: dropbox, provider: dropbox, secrets: ["${HS_DROPBOX}"] }
          - { id: twitter, provider: twitter, secrets: ["${HS_X}"] }
          - { id: okta, provider: okta, secrets: ["${HS_OKTA}"] }
        """.formatted(META_TOKEN), Map.of("HS_ZOOM", ZOOM, "HS_TWITCH", TWITCH, "HS_DISCORD", rawPublicHex(DISCORD), "HS_GRAPH", GRAPH, "HS_WOO", WOO,
            "HS_META", "meta-app-secret", "HS_DROPBOX", "dropbox-secret", "HS_X", X_SECRET,
            "HS_OKTA", OKTA),
        TestServices.pgUrl());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static long now() {
    return Instant.now().getEpochSecond();
  }

  @Test
  void zoomUrlValidationIsAnsweredOnlyWhenSigned() {
    String plain = "plain-" + System.nanoTime();
    byte[] body = utf8("{\"payload\":{\"plainToken\":\"" + plain + "\"},\"event_ts\":1,\"event\":\"endpoint.url_validation\"}");
    HttpResponse<String> ok = node.post("zoom", body, zoomHeaders(ZOOM, body, now()));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    JsonObject answer = new JsonObject(ok.body());
    assertThat(answer.getString("plainToken")).isEqualTo(plain);
    assertThat(answer.getString("encryptedToken")).isEqualTo(hex(mac(ZOOM, utf8(plain))));

    assertRefused(node.post("zoom", body, zoomHeaders("wrong", body, now())), 401, "invalid_signature", plain);
    assertRefused(node.post("zoom", body, Map.of()), 400, "missing_signature", plain);
    assertRefused(node.post("zoom", body, zoomHeaders(ZOOM, body, now() - 3600)), 401, "timestamp_out_of_tolerance", plain);
    assertNothingStored("zoom");
  }

  @Test
  void twitchCallbackVerificationIsAnsweredWithTheChallengeOnlyWhenSigned() {
    String challenge = "challenge-" + System.nanoTime();
    byte[] body = utf8("{\"challenge\":\"" + challenge + "\",\"subscription\":{\"type\":\"channel.follow\"}}");
    HttpResponse<String> ok = node.post("twitch", body, twitchHeaders(TWITCH, body));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo(challenge);
    assertThat(ok.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");

    assertRefused(node.post("twitch", body, twitchHeaders("wrong", body)), 401, "invalid_signature", challenge);
    assertNothingStored("twitch");
  }

  @Test
  void discordPingIsAnsweredOnlyWhenSignedByTheApplicationKey() {
    byte[] body = utf8("{\"id\":\"" + System.nanoTime() + "\",\"type\":1,\"application_id\":\"1\"}");
    HttpResponse<String> ok = node.post("discord", body, discordHeaders(DISCORD, body));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(new JsonObject(ok.body())).isEqualTo(new JsonObject().put("type", 1));

    assertRefused(node.post("discord", body, discordHeaders(FORGER, body)), 401, "invalid_signature", "\"type\":1");
    assertNothingStored("discord");
  }

  @Test
  void graphValidationTokenIsEchoedAndNotStored() {
    HttpResponse<String> ok = node.post("msgraph?validationToken=Validation%3A+Testing+" + System.nanoTime(), new byte[0], Map.of());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(ok.body()).startsWith("Validation: Testing ");
    assertThat(ok.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");

    byte[] forged = utf8("{\"value\":[{\"subscriptionId\":\"s\",\"changeType\":\"created\",\"clientState\":\"guess\"}]}");
    assertRefused(node.post("msgraph", forged, Map.of()), 401, "invalid_signature", "guess");
    assertNothingStored("msgraph");
  }

  @Test
  void wooCommerceCreationPingIsAnsweredAndNotStoredButOtherUnsignedBodiesAreRefused() {
    HttpResponse<String> ok = node.post("woocommerce", utf8("webhook_id=17"), Map.of("Content-Type", "application/x-www-form-urlencoded"));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);

    assertRefused(node.post("woocommerce", utf8("{\"id\":1}"), Map.of()), 400, "missing_signature", "\"id\"");
    byte[] body = utf8("{\"id\":2}");
    assertRefused(node.post("woocommerce", body, Map.of("X-WC-Webhook-Signature", base64(mac("wrong", body)))),
        401, "invalid_signature", "\"id\"");
    assertNothingStored("woocommerce");
  }

  @Test
  void metaGetEchoesTheChallengeOnlyForTheVerifyToken() {
    HttpResponse<String> ok = get("meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=" + META_TOKEN, Map.of());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("1158201444");
    assertThat(ok.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

    assertRefused(get("meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess", Map.of()),
        401, "invalid_signature", "1158201444");
    assertNothingStored("meta");
  }

  @Test
  void dropboxGetEchoesTheChallengeAsPlainText() {
    HttpResponse<String> ok = get("dropbox?challenge=dbx" + System.nanoTime(), Map.of());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(ok.body()).startsWith("dbx");
    assertThat(ok.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(ok.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertRefused(get("dropbox?challenge=%3Cscript%3E", Map.of()), 400, "malformed_signature", "<script>");
    assertNothingStored("dropbox");
  }

  @Test
  void twitterCrcIsAnsweredWithTheHmacOfTheToken() {
    String token = "crc" + System.nanoTime();
    HttpResponse<String> ok = get("twitter?crc_token=" + token, Map.of());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(new JsonObject(ok.body()).getString("response_token")).isEqualTo("sha256=" + base64(mac(X_SECRET, utf8(token))));
    assertRefused(get("twitter", Map.of()), 400, "missing_signature", "response_token");
    assertNothingStored("twitter");
  }

  @Test
  void oktaVerificationIsAnsweredOnlyWithTheAuthorizationHeader() {
    String challenge = "okta" + System.nanoTime();
    HttpResponse<String> ok = get("okta", Map.of("Authorization", OKTA, "x-okta-verification-challenge", challenge));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(new JsonObject(ok.body()).getString("verification")).isEqualTo(challenge);
    assertRefused(get("okta", Map.of("Authorization", "Bearer guess", "x-okta-verification-challenge", challenge)),
        401, "invalid_signature", challenge);
    assertNothingStored("okta");
  }

  @Test
  void aProviderWithoutAGetHandshakeStillAnswers405() {
    assertThat(get("zoom", Map.of()).statusCode()).isEqualTo(405);
  }

  // ---------------------------------------------------------------- senders and checks

  static HttpResponse<String> get(String target, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/webhooks/" + target)).GET();
    headers.forEach(b::header);
    try {
      return node.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }


  static Map<String, String> zoomHeaders(String secret, byte[] body, long ts) {
    return Map.of("x-zm-request-timestamp", Long.toString(ts),
        "x-zm-signature", "v0=" + hex(mac(secret, utf8("v0:" + ts + ":"), body)));
  }

  static Map<String, String> twitchHeaders(String secret, byte[] body) {
    String id = "m-" + System.nanoTime();
    String ts = Instant.now().toString();
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Twitch-Eventsub-Message-Id", id);
    h.put("Twitch-Eventsub-Message-Timestamp", ts);
    h.put("Twitch-Eventsub-Message-Signature", "sha256=" + hex(mac(secret, utf8(id + ts), body)));
    h.put("Twitch-Eventsub-Message-Type", "webhook_callback_verification");
    return h;
  }

  static Map<String, String> discordHeaders(KeyPair key, byte[] body) {
    String ts = Long.toString(now());
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(key.getPrivate());
      signer.update(utf8(ts));
      signer.update(body);
      return Map.of("X-Signature-Timestamp", ts, "X-Signature-Ed25519", hex(signer.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] mac(String secret, byte[]... parts) {
    return hmac("HmacSHA256", utf8(secret), parts);
  }

  static void assertRefused(HttpResponse<String> r, int status, String reason, String notEchoed) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo(reason);
    assertThat(r.body()).doesNotContain(notEchoed);
  }

  static void assertNothingStored(String sourceId) {
    assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE source_id = $1", sourceId)).isZero();
  }

  static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String rawPublicHex(KeyPair key) {
    byte[] x509 = key.getPublic().getEncoded();
    return hex(Arrays.copyOfRange(x509, x509.length - 32, x509.length));
  }
}
