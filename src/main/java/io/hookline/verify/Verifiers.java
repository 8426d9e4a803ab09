package io.hookline.verify;

import io.hookline.config.ConfigException;
import io.hookline.config.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the {@link SignatureVerifier} for one source. Fails closed: an unknown provider, no
 * secrets, a secret the scheme cannot use, or an unknown/invalid option throws a
 * {@link ConfigException} naming the field, so a misconfigured source never starts.
 */
public final class Verifiers {
  public static final Set<String> PROVIDERS = Set.of(
      "stripe", "github", "standard", "shopify", "slack", "twilio", "paddle", "hmac", "basic", "apikey");

  static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private Verifiers() {}

  public static SignatureVerifier create(VerifierSpec spec) {
    String path = spec.path() == null || spec.path().isEmpty() ? "source" : spec.path();
    String provider = spec.provider() == null ? "" : spec.provider().trim().toLowerCase(Locale.ROOT);
    if (!PROVIDERS.contains(provider)) {
      throw new ConfigException(path + ".provider", (provider.isEmpty() ? "is required" : "unknown provider '" + provider + "'")
          + " (expected one of " + String.join(", ", new TreeSet<>(PROVIDERS)) + ")");
    }
    List<Secret> secrets = secrets(spec, path);
    ProviderOptions options = new ProviderOptions(spec.options(), path + "." + provider);
    long toleranceMillis = toleranceMillis(spec, path);
    return switch (provider) {
      case "stripe" -> {
        options.allowOnly();
        yield new StripeSignatureVerifier(rawHmacKeys(secrets, "HmacSHA256", path), toleranceMillis);
      }
      case "github" -> {
        options.allowOnly();
        yield new GitHubSignatureVerifier(rawHmacKeys(secrets, "HmacSHA256", path));
      }
      case "standard" -> {
        options.allowOnly();
        yield standardWebhooks(secrets, path, toleranceMillis);
      }
      default -> throw new ConfigException(path + ".provider", "provider '" + provider + "' is not available yet");
    };
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
        throw new ConfigException(secretPath(path, i), "is empty");
      }
    }
    return secrets;
  }

  static String secretPath(String path, int index) {
    return path + ".secrets[" + index + "]";
  }

  private static long toleranceMillis(VerifierSpec spec, String path) {
    Duration tolerance = spec.tolerance() == null ? DEFAULT_TOLERANCE : spec.tolerance();
    if (tolerance.isNegative() || tolerance.isZero()) {
      throw new ConfigException(path + ".toleranceSeconds", "must be positive");
    }
    return tolerance.toMillis();
  }

  /** Providers whose secret is used as-is (its UTF-8 bytes are the HMAC key). */
  private static List<HmacKey> rawHmacKeys(List<Secret> secrets, String jcaAlgorithm, String path) {
    List<HmacKey> keys = new ArrayList<>(secrets.size());
    for (int i = 0; i < secrets.size(); i++) {
      keys.add(hmacKey(secrets.get(i), jcaAlgorithm, secrets.get(i).value().getBytes(StandardCharsets.UTF_8), path, i));
    }
    return keys;
  }

  private static HmacKey hmacKey(Secret secret, String jcaAlgorithm, byte[] key, String path, int index) {
    try {
      return new HmacKey(secret, jcaAlgorithm, key);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(secretPath(path, index), "cannot be used as an " + jcaAlgorithm + " key");
    }
  }

  private static SignatureVerifier standardWebhooks(List<Secret> secrets, String path, long toleranceMillis) {
    List<HmacKey> hmacKeys = new ArrayList<>();
    List<Ed25519Key> publicKeys = new ArrayList<>();
    for (int i = 0; i < secrets.size(); i++) {
      Secret secret = secrets.get(i);
      String value = secret.value().trim();
      if (value.startsWith("whsec_")) {
        byte[] key = Codecs.base64(value, "whsec_".length(), value.length());
        if (key == null) {
          throw new ConfigException(secretPath(path, i), "is not valid base64 after 'whsec_'");
        }
        hmacKeys.add(hmacKey(secret, "HmacSHA256", key, path, i));
      } else if (value.startsWith("whpk_")) {
        byte[] raw = Codecs.base64(value, "whpk_".length(), value.length());
        if (raw == null) {
          throw new ConfigException(secretPath(path, i), "is not valid base64 after 'whpk_'");
        }
        try {
          publicKeys.add(new Ed25519Key(secret, raw));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(secretPath(path, i), "is not a valid Ed25519 public key: " + e.getMessage());
        }
      } else {
        throw new ConfigException(secretPath(path, i),
            "must be a Standard Webhooks secret 'whsec_<base64>' or public key 'whpk_<base64>'");
      }
    }
    return new StandardWebhooksSignatureVerifier(hmacKeys, publicKeys, toleranceMillis);
  }
}
