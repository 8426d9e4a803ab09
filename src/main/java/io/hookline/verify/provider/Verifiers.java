package io.hookline.verify.provider;

import io.hookline.config.ConfigException;
import io.hookline.config.Secret;
import io.hookline.verify.Provider;
import io.hookline.verify.ProviderOptions;
import io.hookline.verify.ProviderSetup;
import io.hookline.verify.SignatureVerifier;
import io.hookline.verify.VerifierSpec;
import java.time.Duration;
import java.util.List;

/**
 * Builds the {@link SignatureVerifier} for one source from its {@link Provider} declaration. Fails
 * closed: an unknown provider, no secrets, a secret the scheme cannot use, or an unknown/invalid
 * option throws a {@link ConfigException} naming the field, so a misconfigured source never starts.
 */
public final class Verifiers {
  private Verifiers() {}

  public static SignatureVerifier create(VerifierSpec spec) {
    String path = spec.path() == null || spec.path().isEmpty() ? "source" : spec.path();
    Provider provider = Providers.require(spec.provider(), path + ".provider");
    List<Secret> secrets = secrets(spec, path);
    ProviderOptions options = new ProviderOptions(spec.options(), path + "." + provider.name());
    ProviderSetup setup = new ProviderSetup(path, secrets, options, toleranceMillis(spec, provider, path));
    return provider.verifier().create(setup);
  }

  private static List<Secret> secrets(VerifierSpec spec, String path) {
    List<Secret> secrets = spec.secrets();
    if (secrets == null || secrets.isEmpty()) {
      throw new ConfigException(path + ".secrets",
          "at least one secret is required (fail closed: a source never runs unverified)");
    }
    for (int i = 0; i < secrets.size(); i++) {
      Secret secret = secrets.get(i);
      if (secret == null || secret.value().isEmpty()) {
        throw new ConfigException(path + ".secrets[" + i + "]", "is empty");
      }
    }
    return secrets;
  }

  /** The source's {@code toleranceSeconds}, else the provider's documented window. */
  private static long toleranceMillis(VerifierSpec spec, Provider provider, String path) {
    Duration tolerance = spec.tolerance() == null ? provider.defaultTolerance() : spec.tolerance();
    if (tolerance.isNegative() || tolerance.isZero()) {
      throw new ConfigException(path + ".toleranceSeconds", "must be positive");
    }
    return tolerance.toMillis();
  }
}
