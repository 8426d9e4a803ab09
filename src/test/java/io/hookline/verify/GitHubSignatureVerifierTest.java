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

class GitHubSignatureVerifierTest {
  static final String SECRET = "It's a Secret to Everybody";
  static final String OLD_SECRET = "previous github secret";
  static final long NOW = 1_700_000_000_000L;
  static final String BODY = "{\"action\":\"opened\",\"number\":1}";

  static TestRequest signed(String secret, String body) {
    return TestRequest.at(NOW).body(body)
        .header("X-Hub-Signature-256", "sha256=" + hex(hmacSha256(secret, utf8(body))))
        .header("X-GitHub-Delivery", "f3b1c2d0-0000-11ee-8000-000000000001")
        .header("X-GitHub-Event", "pull_request");
  }

  final SignatureVerifier verifier = Verifiers.create(Signing.spec("github", List.of(SECRET, OLD_SECRET)));

  @Test
  void acceptsTheGitHubDocsExample() {
    TestRequest request = TestRequest.at(NOW).body("Hello, World!")
        .header("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    assertAccepted(verifier.verify(request), null, null);
  }

  @Test
  void acceptsValidSignatureWithDeliveryIdAndEvent() {
    assertAccepted(verifier.verify(signed(SECRET, BODY)), "f3b1c2d0-0000-11ee-8000-000000000001", "pull_request");
  }

  @Test
  void acceptsEverySecretOfARotation() {
    assertAccepted(verifier.verify(signed(OLD_SECRET, BODY)));
  }

  @Test
  void refusesASecretPastItsNotAfter() {
    SignatureVerifier rotating = Verifiers.create(Signing.specWithSecrets("github",
        List.of(Secret.of(SECRET), Signing.expiring(OLD_SECRET, NOW - 1))));
    assertRejected(rotating.verify(signed(OLD_SECRET, BODY)), Reason.INVALID_SIGNATURE);
  }

  @Test
  void rejectsTamperedBodyAndWrongSecret() {
    assertRejected(verifier.verify(signed(SECRET, BODY).body(BODY + "\n")), Reason.INVALID_SIGNATURE);
    Verification wrong = verifier.verify(signed("guess", BODY));
    assertRejected(wrong, Reason.INVALID_SIGNATURE);
    assertMessageHides(wrong, SECRET, OLD_SECRET, hex(hmacSha256(SECRET, utf8(BODY))));
  }

  @Test
  void rejectsMissingHeaderEvenWithLegacySha1Header() {
    TestRequest request = TestRequest.at(NOW).body(BODY).header("X-Hub-Signature", "sha1=" + "00".repeat(20));
    assertRejected(verifier.verify(request), Reason.MISSING_SIGNATURE);
  }

  @Test
  void rejectsRepeatedSignatureOrDeliveryHeader() {
    TestRequest twice = signed(SECRET, BODY);
    twice.header("X-Hub-Signature-256", twice.header("X-Hub-Signature-256"));
    assertRejected(verifier.verify(twice), Reason.MALFORMED_SIGNATURE);
    TestRequest twoDeliveries = signed(SECRET, BODY).header("X-GitHub-Delivery", "other");
    assertRejected(verifier.verify(twoDeliveries), Reason.MALFORMED_EVENT_ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "sha256=", "sha256", "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
      "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
      "SHA256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1",
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17aa",
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043eXX",
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17,sha256=00"})
  void rejectsMalformedHeaders(String header) {
    TestRequest request = TestRequest.at(NOW).body("Hello, World!").header("X-Hub-Signature-256", header);
    assertRejected(verifier.verify(request), Reason.MALFORMED_SIGNATURE);
  }
}
