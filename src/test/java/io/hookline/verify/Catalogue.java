package io.hookline.verify;

import io.hookline.verify.provider.Verifiers;
import io.hookline.config.Secret;
import java.util.List;
import java.util.Map;

/** Builds a catalogue provider's verifier for tests through the registry, the way a source's config does. */
final class Catalogue {
  private Catalogue() {}

  static SignatureVerifier build(String provider, List<Secret> secrets, Map<String, Object> options) {
    return Verifiers.create(new VerifierSpec("test", provider, secrets, null, options, "sources[0]"));
  }

  static Verification answerGet(SignatureVerifier verifier, WebhookRequest request) {
    Verification v = verifier.answerGet(request);
    if (v == null) {
      throw new AssertionError("no GET handshake: " + verifier);
    }
    return v;
  }
}
