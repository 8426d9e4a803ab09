package io.hookline.verify.provider;

import io.hookline.config.ConfigException;
import io.hookline.config.Secret;
import io.hookline.verify.CredentialValue;
import io.hookline.verify.Provider;
import io.hookline.verify.ProviderOptions;
import io.hookline.verify.ProviderSetup;
import io.hookline.verify.SendInput;
import io.hookline.verify.SignatureVerifier;
import io.hookline.verify.SignedEvent;
import io.hookline.verify.VerifierSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  /** Providers whose credential header is the secret itself, so the sender's value depends on nothing else. */
  private static final Set<String> SECRET_IN_HEADER = Set.of(ApiKey.PROVIDER.name(), Basic.PROVIDER.name(),
      GitLab.PROVIDER.name());

  /**
   * For a provider that sends the secret itself in a header ({@code apikey} with {@code header},
   * {@code basic}, {@code gitlab}): per current secret, that header's value as the provider's own
   * {@code send} signer builds it (the canonical form, e.g. {@code Basic base64(user:password)}).
   * Empty for every other provider (their signatures do not need the masked headers). Every header the
   * signer sets is listed (event id and type headers too): the caller keeps the masked ones. Call after
   * {@link #create}, which validated the spec.
   */
  public static List<CredentialValue> credentialValues(VerifierSpec spec) {
    Provider provider = Providers.require(spec.provider(), "provider");
    Map<String, Object> options = spec.options() == null ? Map.of() : spec.options();
    if (!SECRET_IN_HEADER.contains(provider.name()) || provider.signer() == null || options.containsKey("query")) {
      return List.of();
    }
    List<CredentialValue> out = new ArrayList<>();
    for (Secret secret : spec.secrets()) {
      byte[] body = provider.sampleBody().create("credential", 0);
      SignedEvent signed = provider.signer().sign(new SendInput(secret.value(), body, "credential", 0, null, options));
      signed.headers().forEach((name, value) -> out.add(new CredentialValue(name, value)));
    }
    return List.copyOf(out);
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
