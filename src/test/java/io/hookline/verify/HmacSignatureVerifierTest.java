package io.hookline.verify;

import io.hookline.verify.provider.Verifiers;
import static io.hookline.verify.Signing.base64;
import static io.hookline.verify.Signing.hex;
import static io.hookline.verify.Signing.hmac;
import static io.hookline.verify.Signing.hmacSha256;
import static io.hookline.verify.Signing.utf8;
import static io.hookline.verify.Verdicts.assertAccepted;
import static io.hookline.verify.Verdicts.assertMessageHides;
import static io.hookline.verify.Verdicts.assertRejected;

import io.hookline.config.Secret;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HmacSignatureVerifierTest {
  static final String SECRET = "acme-secret";
  static final String OLD_SECRET = "acme-old-secret";
  static final long NOW = 1_700_000_000_000L;
  static final long T = NOW / 1000;
  static final String BODY = "{\"id\":\"evt_9\",\"data\":{\"type\":\"order.paid\"}}";
  static final Map<String, Object> ACME = Map.of("algorithm", "sha256", "header", "X-Signature", "encoding", "hex",
      "prefix", "sha256=", "eventIdHeader", "X-Event-Id");

  static TestRequest acme(String secret, String body) {
    return TestRequest.at(NOW).body(body)
        .header("X-Signature", "sha256=" + hex(hmacSha256(secret, utf8(body))))
        .header("X-Event-Id", "ev_1");
  }

  final SignatureVerifier verifier = Verifiers.create(Signing.spec("hmac", List.of(SECRET, OLD_SECRET), null, ACME));

  @Test
  void acceptsTheSpecExampleConfiguration() {
    assertAccepted(verifier.verify(acme(SECRET, BODY)), "ev_1", null);
    assertAccepted(verifier.verify(acme(OLD_SECRET, BODY)), "ev_1", null);
  }

  @Test
  void defaultsToHexSha256OfTheBodyWithNoEventId() {
    SignatureVerifier plain = Verifiers.create(Signing.spec("hmac", List.of(SECRET), null, Map.of("header", "X-Sig")));
    TestRequest request = TestRequest.at(NOW).body(BODY).header("X-Sig", hex(hmacSha256(SECRET, utf8(BODY))));
    assertAccepted(plain.verify(request), null, null);
  }

  @Test
  void supportsTemplatesTimestampsEncodingsAndPointers() {
    byte[] key = HexFormat.of().parseHex("00ff10ee");
    Map<String, Object> options = Map.of("algorithm", "sha512", "header", "X-Sig", "encoding", "base64",
        "secretEncoding", "hex", "signedContent", "v1:{id}:{timestamp}:{body}", "timestampHeader", "X-Ts",
        "idHeader", "X-Id", "eventTypePointer", "/data/type");
    SignatureVerifier custom = Verifiers.create(Signing.spec("hmac", List.of("00ff10ee"), Duration.ofSeconds(60), options));
    String signature = base64(hmac("HmacSHA512", key, utf8("v1:m1:" + T + ":" + BODY)));
    TestRequest request = TestRequest.at(NOW).body(BODY).header("X-Sig", signature).header("X-Ts", Long.toString(T))
        .header("X-Id", "m1");
    assertAccepted(custom.verify(request), "m1", "order.paid");
    assertRejected(custom.verify(request.copy().setHeader("X-Id", "m2")), Reason.INVALID_SIGNATURE);
    assertRejected(custom.verify(request.copy().setHeader("X-Id", null)), Reason.MALFORMED_SIGNATURE);
    assertRejected(custom.verify(request.copy().setHeader("X-Ts", null)), Reason.MALFORMED_SIGNATURE);
    assertRejected(custom.verify(request.copy().receivedAt(NOW + 61_000)), Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    assertRejected(custom.verify(request.copy().receivedAt(NOW - 61_000)), Reason.TIMESTAMP_OUT_OF_TOLERANCE);
  }

  @Test
  void readsTheEventIdFromABodyPointerWithABase64Secret() {
    byte[] key = utf8("binary key material");
    SignatureVerifier byPointer = Verifiers.create(Signing.spec("hmac", List.of(base64(key)), null,
        Map.of("header", "X-Sig", "eventIdPointer", "/id", "algorithm", "sha1", "secretEncoding", "base64")));
    TestRequest request = TestRequest.at(NOW).body(BODY).header("X-Sig", hex(hmac("HmacSHA1", key, utf8(BODY))));
    assertAccepted(byPointer.verify(request), "evt_9", null);
    // the configured string itself is not the key
    TestRequest keyedWithTheText = TestRequest.at(NOW).body(BODY)
        .header("X-Sig", hex(hmac("HmacSHA1", utf8(base64(key)), utf8(BODY))));
    assertRejected(byPointer.verify(keyedWithTheText), Reason.INVALID_SIGNATURE);
  }

  @Test
  void refusesASecretPastItsNotAfter() {
    SignatureVerifier rotating = Verifiers.create(new VerifierSpec("acme", "hmac",
        List.of(Secret.of(SECRET), Signing.expiring(OLD_SECRET, NOW - 1)), null, ACME, "sources[1]"));
    assertRejected(rotating.verify(acme(OLD_SECRET, BODY)), Reason.INVALID_SIGNATURE);
  }

  @Test
  void rejectsTamperedBodyAndWrongSecret() {
    assertRejected(verifier.verify(acme(SECRET, BODY).body(BODY + "x")), Reason.INVALID_SIGNATURE);
    Verification v = verifier.verify(acme("guess", BODY));
    assertRejected(v, Reason.INVALID_SIGNATURE);
    assertMessageHides(v, SECRET, OLD_SECRET, hex(hmacSha256(SECRET, utf8(BODY))));
  }

  @Test
  void rejectsMissingAndRepeatedHeaders() {
    assertRejected(verifier.verify(TestRequest.at(NOW).body(BODY)), Reason.MISSING_SIGNATURE);
    TestRequest twice = acme(SECRET, BODY);
    twice.header("X-Signature", twice.header("X-Signature"));
    assertRejected(verifier.verify(twice), Reason.MALFORMED_SIGNATURE);
    // A repeated id header makes the event id ambiguous: the id is refused, not the signature.
    assertRejected(verifier.verify(acme(SECRET, BODY).header("X-Event-Id", "ev_2")), Reason.MALFORMED_EVENT_ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "sha256=", "sha1=00", "00", "sha256=xyz",
      "sha256=000000000000000000000000000000000000000000000000000000000000000",
      "sha256=000000000000000000000000000000000000000000000000000000000000000000",
      "SHA256=0000000000000000000000000000000000000000000000000000000000000000"})
  void rejectsMalformedHeaders(String header) {
    assertRejected(verifier.verify(TestRequest.at(NOW).body(BODY).header("X-Signature", header)), Reason.MALFORMED_SIGNATURE);
  }
}
