package io.hookline.verify;

import io.hookline.verify.provider.Verifiers;
import static io.hookline.verify.Signing.base64;
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

class ShopifySignatureVerifierTest {
  static final String SECRET = "shpss_current";
  static final String OLD_SECRET = "shpss_previous";
  static final long NOW = 1_700_000_000_000L;
  static final String BODY = "{\"id\":450789469,\"email\":\"bob@example.com\"}";

  static TestRequest signed(String secret, String body) {
    return TestRequest.at(NOW).body(body)
        .header("X-Shopify-Hmac-Sha256", base64(hmacSha256(secret, utf8(body))))
        .header("X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
        .header("X-Shopify-Topic", "orders/create");
  }

  final SignatureVerifier verifier = Verifiers.create(Signing.spec("shopify", List.of(SECRET, OLD_SECRET)));

  @Test
  void acceptsValidSignatureWithWebhookIdAndTopic() {
    assertAccepted(verifier.verify(signed(SECRET, BODY)), "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", "orders/create");
    assertAccepted(verifier.verify(signed(OLD_SECRET, BODY)));
  }

  @Test
  void refusesASecretPastItsNotAfter() {
    SignatureVerifier rotating = Verifiers.create(Signing.specWithSecrets("shopify",
        List.of(Secret.of(SECRET), Signing.expiring(OLD_SECRET, NOW - 1))));
    assertRejected(rotating.verify(signed(OLD_SECRET, BODY)), Reason.INVALID_SIGNATURE);
  }

  @Test
  void rejectsTamperedBodyAndWrongSecret() {
    assertRejected(verifier.verify(signed(SECRET, BODY).body(BODY.replace("bob", "eve"))), Reason.INVALID_SIGNATURE);
    Verification v = verifier.verify(signed("nope", BODY));
    assertRejected(v, Reason.INVALID_SIGNATURE);
    assertMessageHides(v, SECRET, base64(hmacSha256(SECRET, utf8(BODY))));
  }

  @Test
  void rejectsMissingAndRepeatedHeaders() {
    assertRejected(verifier.verify(TestRequest.at(NOW).body(BODY)), Reason.MISSING_SIGNATURE);
    TestRequest twice = signed(SECRET, BODY);
    twice.header("X-Shopify-Hmac-Sha256", twice.header("X-Shopify-Hmac-Sha256"));
    assertRejected(verifier.verify(twice), Reason.MALFORMED_SIGNATURE);
    assertRejected(verifier.verify(signed(SECRET, BODY).header("X-Shopify-Webhook-Id", "x")), Reason.MALFORMED_EVENT_ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "=", "AAAA", "not-base64!", "sha256=abc", "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA"
      + "==", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"})
  void rejectsMalformedHeaders(String header) {
    assertRejected(verifier.verify(TestRequest.at(NOW).body(BODY).header("X-Shopify-Hmac-Sha256", header)),
        Reason.MALFORMED_SIGNATURE);
  }
}
