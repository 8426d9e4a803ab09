package io.hookline.verify;

import io.hookline.verify.provider.Verifiers;
import static io.hookline.verify.Signing.base64;
import static io.hookline.verify.Signing.utf8;
import static io.hookline.verify.Verdicts.assertAccepted;
import static io.hookline.verify.Verdicts.assertMessageHides;
import static io.hookline.verify.Verdicts.assertRejected;

import io.hookline.config.Secret;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BasicAuthVerifierTest {
  static final long NOW = 1_700_000_000_000L;
  static final String BODY = "{\"id\":\"n_1\"}";

  static TestRequest basic(String credentials) {
    return TestRequest.at(NOW).body(BODY).header("Authorization", "Basic " + base64(utf8(credentials)));
  }

  final SignatureVerifier verifier = Verifiers.create(Signing.spec("basic", List.of("hooks:s3cret", "hooks:0ld")));

  @Test
  void acceptsEveryConfiguredCredential() {
    assertAccepted(verifier.verify(basic("hooks:s3cret")), null, null);
    assertAccepted(verifier.verify(basic("hooks:0ld")));
    assertAccepted(verifier.verify(TestRequest.at(NOW).header("Authorization", "basic   " + base64(utf8("hooks:s3cret")))));
  }

  @Test
  void readsAnEventIdWhenConfigured() {
    SignatureVerifier withId = Verifiers.create(Signing.spec("basic", List.of("hooks:s3cret"), null,
        Map.of("eventIdPointer", "/id")));
    assertAccepted(withId.verify(basic("hooks:s3cret")), "n_1", null);
  }

  @Test
  void refusesACredentialPastItsNotAfter() {
    SignatureVerifier rotating = Verifiers.create(Signing.specWithSecrets("basic",
        List.of(Secret.of("hooks:new"), Signing.expiring("hooks:old", NOW - 1))));
    assertRejected(rotating.verify(basic("hooks:old")), Reason.INVALID_SIGNATURE);
    assertAccepted(rotating.verify(basic("hooks:new")));
  }

  @Test
  void rejectsWrongCredentialsWithoutLeakingThem() {
    for (String wrong : List.of("hooks:s3cre", "hooks:s3cret ", "Hooks:s3cret", "other:s3cret", ":")) {
      Verification v = verifier.verify(basic(wrong));
      assertRejected(v, Reason.INVALID_SIGNATURE);
      assertMessageHides(v, "s3cret", "0ld");
    }
  }

  @Test
  void rejectsMissingAndRepeatedHeaders() {
    assertRejected(verifier.verify(TestRequest.at(NOW).body(BODY)), Reason.MISSING_SIGNATURE);
    assertRejected(verifier.verify(basic("hooks:s3cret").header("Authorization", "Basic eA==")), Reason.MALFORMED_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Basic", "Basic ", "Bearer aG9va3M6czNjcmV0", "Basic aG9va3M6czNjcmV0!", "Basicaa",
      "Basic bm9jb2xvbg==", "Basic aG9va3M6czNjcmV0 extra"})
  void rejectsMalformedHeaders(String header) {
    assertRejected(verifier.verify(TestRequest.at(NOW).header("Authorization", header)), Reason.MALFORMED_SIGNATURE);
  }
}
