package io.hookline.verify;

import io.hookline.verify.provider.Verifiers;
import static io.hookline.verify.Signing.hex;
import static io.hookline.verify.Signing.hmacSha256;
import static io.hookline.verify.Signing.utf8;
import static io.hookline.verify.Verdicts.assertAccepted;
import static io.hookline.verify.Verdicts.assertMessageHides;
import static io.hookline.verify.Verdicts.assertRejected;

import io.hookline.config.Secret;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PaddleSignatureVerifierTest {
  static final String SECRET = "pdl_ntfset_current_secret";
  static final String OLD_SECRET = "pdl_ntfset_previous_secret";
  static final long NOW = 1_700_000_000_000L;
  static final long T = NOW / 1000;
  static final String BODY = "{\"event_id\":\"evt_01h\",\"event_type\":\"transaction.completed\",\"data\":{}}";

  static String h1(String secret, long ts, String body) {
    return hex(hmacSha256(secret, utf8(ts + ":" + body)));
  }

  static TestRequest signed(String secret, long ts, String body) {
    return TestRequest.at(NOW).body(body).header("Paddle-Signature", "ts=" + ts + ";h1=" + h1(secret, ts, body));
  }

  final SignatureVerifier verifier = Verifiers.create(Signing.spec("paddle", List.of(SECRET, OLD_SECRET)));

  @Test
  void acceptsValidSignatureWithEventIdAndType() {
    assertAccepted(verifier.verify(signed(SECRET, T, BODY)), "evt_01h", "transaction.completed");
    assertAccepted(verifier.verify(signed(OLD_SECRET, T, BODY)));
    String two = "ts=" + T + ";h1=" + h1("other", T, BODY) + ";h1=" + h1(SECRET, T, BODY);
    assertAccepted(verifier.verify(TestRequest.at(NOW).body(BODY).header("Paddle-Signature", two)));
  }

  @Test
  void refusesASecretPastItsNotAfter() {
    SignatureVerifier rotating = Verifiers.create(Signing.specWithSecrets("paddle",
        List.of(Secret.of(SECRET), Signing.expiring(OLD_SECRET, NOW - 1))));
    assertRejected(rotating.verify(signed(OLD_SECRET, T, BODY)), Reason.INVALID_SIGNATURE);
  }

  @Test
  void rejectsTamperedWrongStaleAndFuture() {
    assertRejected(verifier.verify(signed(SECRET, T, BODY).body(BODY + " ")), Reason.INVALID_SIGNATURE);
    Verification wrong = verifier.verify(signed("nope", T, BODY));
    assertRejected(wrong, Reason.INVALID_SIGNATURE);
    assertMessageHides(wrong, SECRET, OLD_SECRET, h1(SECRET, T, BODY));
    assertRejected(verifier.verify(signed(SECRET, T - 301, BODY)), Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    assertRejected(verifier.verify(signed(SECRET, T + 301, BODY)), Reason.TIMESTAMP_OUT_OF_TOLERANCE);
  }

  @Test
  void rejectsMissingAndRepeatedHeaders() {
    assertRejected(verifier.verify(TestRequest.at(NOW).body(BODY)), Reason.MISSING_SIGNATURE);
    TestRequest twice = signed(SECRET, T, BODY);
    twice.header("Paddle-Signature", twice.header("Paddle-Signature"));
    assertRejected(verifier.verify(twice), Reason.MALFORMED_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ts=1700000000", "h1=00", "ts=;h1=", "ts=1700000000,h1=aa", "ts=x;h1=aa",
      "ts=1700000000;ts=1700000000;h1=aa", "ts=1700000000;h1=zz", "ts=1700000000;;h1=aa", "ts=1700000000;h2=aa"})
  void rejectsMalformedHeaders(String header) {
    assertRejected(verifier.verify(TestRequest.at(NOW).body(BODY).header("Paddle-Signature", header)),
        Reason.MALFORMED_SIGNATURE);
  }
}
