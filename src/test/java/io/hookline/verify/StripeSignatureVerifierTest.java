package io.hookline.verify;

import io.hookline.verify.provider.Verifiers;
import static io.hookline.verify.Signing.hex;
import static io.hookline.verify.Signing.hmacSha256;
import static io.hookline.verify.Signing.utf8;
import static io.hookline.verify.Verdicts.assertAccepted;
import static io.hookline.verify.Verdicts.assertMessageHides;
import static io.hookline.verify.Verdicts.assertRejected;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StripeSignatureVerifierTest {
  static final String SECRET = "whsec_primary_secret_value";
  static final String OLD_SECRET = "whsec_old_secret_value";
  static final long NOW = 1_700_000_000_000L;
  static final long T = NOW / 1000;
  static final String BODY = "{\"id\":\"evt_123\",\"object\":\"event\",\"type\":\"charge.succeeded\",\"data\":{\"id\":\"ch_1\"}}";

  static String v1(String secret, long t, String body) {
    return hex(hmacSha256(secret, utf8(t + "." + body)));
  }

  static TestRequest signed(String secret, long t, String body) {
    return TestRequest.at(NOW).body(body).header("Stripe-Signature", "t=" + t + ",v1=" + v1(secret, t, body));
  }

  final SignatureVerifier verifier = Verifiers.create(Signing.spec("stripe", List.of(SECRET, OLD_SECRET)));

  @Test
  void acceptsValidSignatureAndExtractsIdAndType() {
    assertAccepted(verifier.verify(signed(SECRET, T, BODY)), "evt_123", "charge.succeeded");
  }

  @Test
  void acceptsEverySecretOfARotation() {
    assertAccepted(verifier.verify(signed(OLD_SECRET, T, BODY)), "evt_123", "charge.succeeded");
  }

  @Test
  void acceptsAnyOfSeveralV1AndIgnoresV0AndUnknownSchemes() {
    String header = "t=" + T + ",v1=" + v1("whsec_someone_else", T, BODY) + ",v0=" + "ab".repeat(32)
        + ",v9=whatever,v1=" + v1(OLD_SECRET, T, BODY);
    assertAccepted(verifier.verify(TestRequest.at(NOW).body(BODY).header("Stripe-Signature", header)));
  }

  @Test
  void toleratesSpacesAroundItems() {
    String header = " t=" + T + " , v1=" + v1(SECRET, T, BODY) + " ";
    assertAccepted(verifier.verify(TestRequest.at(NOW).body(BODY).header("Stripe-Signature", header)));
  }

  @Test
  void refusesASecretPastItsNotAfter() {
    SignatureVerifier rotating = Verifiers.create(Signing.specWithSecrets("stripe",
        List.of(io.hookline.config.Secret.of(SECRET), Signing.expiring(OLD_SECRET, NOW - 1))));
    assertRejected(rotating.verify(signed(OLD_SECRET, T, BODY)), Reason.INVALID_SIGNATURE);
    assertAccepted(rotating.verify(signed(SECRET, T, BODY)));
    SignatureVerifier stillInOverlap = Verifiers.create(Signing.specWithSecrets("stripe",
        List.of(io.hookline.config.Secret.of(SECRET), Signing.expiring(OLD_SECRET, NOW))));
    assertAccepted(stillInOverlap.verify(signed(OLD_SECRET, T, BODY)));
  }

  @Test
  void rejectsTamperedBody() {
    TestRequest request = signed(SECRET, T, BODY).body(BODY.replace("evt_123", "evt_124"));
    assertRejected(verifier.verify(request), Reason.INVALID_SIGNATURE);
  }

  @Test
  void rejectsWrongSecretWithoutLeakingIt() {
    Verification v = verifier.verify(signed("whsec_attacker", T, BODY));
    assertRejected(v, Reason.INVALID_SIGNATURE);
    assertMessageHides(v, SECRET, OLD_SECRET, v1(SECRET, T, BODY));
  }

  @Test
  void rejectsStaleAndFutureTimestamps() {
    assertRejected(verifier.verify(signed(SECRET, T - 301, BODY)), Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    assertRejected(verifier.verify(signed(SECRET, T + 301, BODY)), Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    assertAccepted(verifier.verify(signed(SECRET, T - 300, BODY)));
    assertAccepted(verifier.verify(signed(SECRET, T + 300, BODY)));
  }

  @Test
  void honoursConfiguredTolerance() {
    SignatureVerifier strict = Verifiers.create(Signing.spec("stripe", List.of(SECRET), Duration.ofSeconds(10), Map.of()));
    assertRejected(strict.verify(signed(SECRET, T - 11, BODY)), Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    assertAccepted(strict.verify(signed(SECRET, T - 10, BODY)));
  }

  @Test
  void rejectsMissingHeader() {
    assertRejected(verifier.verify(TestRequest.at(NOW).body(BODY)), Reason.MISSING_SIGNATURE);
  }

  @Test
  void rejectsRepeatedHeader() {
    TestRequest request = signed(SECRET, T, BODY);
    request.header("Stripe-Signature", request.header("Stripe-Signature"));
    assertRejected(verifier.verify(request), Reason.MALFORMED_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", " ", "garbage", "t=1700000000", "v1=00", "t=,v1=", "t=abc,v1=" + "00",
      "t=1700000000,v1=zz", "t=1700000000,v1=", "t=1700000000,t=1700000000,v1=aa",
      "t=-1700000000,v1=aa", "t=1700000000,,v1=aa", "=1,v1=aa", "t=1700000000;v1=aa",
      "t=1700000000,v0=aaaa", "t=1700000000,v1=abc"})
  void rejectsMalformedHeaders(String header) {
    Verification v = verifier.verify(TestRequest.at(NOW).body(BODY).header("Stripe-Signature", header));
    assertRejected(v, Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void rejectsShortOrLongV1AsMalformed() {
    String good = v1(SECRET, T, BODY);
    assertRejected(verifier.verify(TestRequest.at(NOW).body(BODY)
        .header("Stripe-Signature", "t=" + T + ",v1=" + good.substring(2))), Reason.MALFORMED_SIGNATURE);
    assertRejected(verifier.verify(TestRequest.at(NOW).body(BODY)
        .header("Stripe-Signature", "t=" + T + ",v1=" + good + "00")), Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void rejectsOversizeAndNonAsciiHeaders() {
    String huge = "t=" + T + ",v1=" + v1(SECRET, T, BODY) + ",v0=" + "a".repeat(9000);
    assertRejected(verifier.verify(TestRequest.at(NOW).body(BODY).header("Stripe-Signature", huge)), Reason.MALFORMED_SIGNATURE);
    String accented = "t=" + T + ",v1=" + v1(SECRET, T, BODY) + ",x=é";
    assertRejected(verifier.verify(TestRequest.at(NOW).body(BODY).header("Stripe-Signature", accented)), Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void acceptsNonJsonBodyWithNullEventId() {
    assertAccepted(verifier.verify(signed(SECRET, T, "not json")), null, null);
  }
}
