package io.hookline.verify;

import io.hookline.verify.provider.Verifiers;
import static io.hookline.verify.Verdicts.assertAccepted;
import static io.hookline.verify.Verdicts.assertMessageHides;
import static io.hookline.verify.Verdicts.assertRejected;

import io.hookline.config.Secret;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyVerifierTest {
  static final long NOW = 1_700_000_000_000L;

  final SignatureVerifier byHeader = Verifiers.create(Signing.spec("apikey", List.of("key-1", "key-0"), null,
      Map.of("header", "X-Api-Key", "eventIdHeader", "X-Request-Id")));
  final SignatureVerifier bearer = Verifiers.create(Signing.spec("apikey", List.of("tok"), null,
      Map.of("header", "Authorization", "prefix", "Bearer ")));
  final SignatureVerifier byQuery = Verifiers.create(Signing.spec("apikey", List.of("k/1+2"), null,
      Map.of("query", "token")));

  @Test
  void acceptsAKeyInAHeader() {
    assertAccepted(byHeader.verify(TestRequest.at(NOW).header("X-Api-Key", "key-1").header("X-Request-Id", "r1")), "r1", null);
    assertAccepted(byHeader.verify(TestRequest.at(NOW).header("X-Api-Key", "key-0")));
    assertAccepted(bearer.verify(TestRequest.at(NOW).header("Authorization", "Bearer tok")));
    assertAccepted(bearer.verify(TestRequest.at(NOW).header("Authorization", "bearer  tok")));
  }

  @Test
  void acceptsAKeyInTheQueryString() {
    assertAccepted(byQuery.verify(TestRequest.at(NOW).url("https://h.example/webhooks/x?a=1&token=k%2F1%2B2")));
    assertRejected(byQuery.verify(TestRequest.at(NOW).url("https://h.example/webhooks/x?token=k/1 2")), Reason.INVALID_SIGNATURE);
    assertRejected(byQuery.verify(TestRequest.at(NOW).url("https://h.example/webhooks/x?a=1")), Reason.MISSING_SIGNATURE);
    assertRejected(byQuery.verify(TestRequest.at(NOW).url("https://h.example/webhooks/x")), Reason.MISSING_SIGNATURE);
    assertRejected(byQuery.verify(TestRequest.at(NOW).url("https://h.example/webhooks/x?token=k%2F1%2B2&token=x")),
        Reason.MALFORMED_SIGNATURE);
    assertRejected(byQuery.verify(TestRequest.at(NOW).url("https://h.example/webhooks/x?token=%zz")), Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void rejectsWrongKeysWithoutLeakingThem() {
    Verification v = byHeader.verify(TestRequest.at(NOW).header("X-Api-Key", "key-2"));
    assertRejected(v, Reason.INVALID_SIGNATURE);
    assertMessageHides(v, "key-1", "key-0");
    assertRejected(bearer.verify(TestRequest.at(NOW).header("Authorization", "Bearer tok2")), Reason.INVALID_SIGNATURE);
  }

  @Test
  void refusesAKeyPastItsNotAfter() {
    SignatureVerifier rotating = Verifiers.create(new VerifierSpec("k", "apikey",
        List.of(Secret.of("new"), Signing.expiring("old", NOW - 1)), null, Map.of("header", "X-Key"), "sources[0]"));
    assertRejected(rotating.verify(TestRequest.at(NOW).header("X-Key", "old")), Reason.INVALID_SIGNATURE);
    assertAccepted(rotating.verify(TestRequest.at(NOW).header("X-Key", "new")));
  }

  @Test
  void rejectsMissingMalformedAndRepeated() {
    assertRejected(byHeader.verify(TestRequest.at(NOW)), Reason.MISSING_SIGNATURE);
    assertRejected(byHeader.verify(TestRequest.at(NOW).header("X-Api-Key", "")), Reason.MALFORMED_SIGNATURE);
    assertRejected(byHeader.verify(TestRequest.at(NOW).header("X-Api-Key", "key-1").header("X-Api-Key", "key-1")),
        Reason.MALFORMED_SIGNATURE);
    assertRejected(bearer.verify(TestRequest.at(NOW).header("Authorization", "Basic tok")), Reason.MALFORMED_SIGNATURE);
    assertRejected(byHeader.verify(TestRequest.at(NOW).header("X-Api-Key", "kéy")), Reason.MALFORMED_SIGNATURE);
  }
}
