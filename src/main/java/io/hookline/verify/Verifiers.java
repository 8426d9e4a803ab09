package io.hookline.verify;

import io.hookline.config.ConfigException;
import io.hookline.config.Secret;
import io.hookline.config.StandardWebhooksSecret;
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
      case "shopify" -> {
        options.allowOnly();
        yield new ShopifySignatureVerifier(rawHmacKeys(secrets, "HmacSHA256", path));
      }
      case "slack" -> {
        options.allowOnly();
        yield new SlackSignatureVerifier(rawHmacKeys(secrets, "HmacSHA256", path), toleranceMillis);
      }
      case "twilio" -> {
        options.allowOnly();
        yield new TwilioSignatureVerifier(rawHmacKeys(secrets, "HmacSHA1", path));
      }
      case "paddle" -> {
        options.allowOnly();
        yield new PaddleSignatureVerifier(rawHmacKeys(secrets, "HmacSHA256", path), toleranceMillis);
      }
      case "hmac" -> genericHmac(secrets, options, path, toleranceMillis);
      case "basic" -> basicAuth(secrets, options, path);
      case "apikey" -> apiKey(secrets, options, path);
      default -> throw new IllegalStateException("provider listed but not built: " + provider);
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
      if (value.startsWith(StandardWebhooksSecret.PREFIX)) {
        byte[] key;
        try {
          key = StandardWebhooksSecret.decode(value);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(secretPath(path, i), e.getMessage());
        }
        hmacKeys.add(hmacKey(secret, "HmacSHA256", key, path, i));
      } else if (value.startsWith("whpk_")) {
        byte[] raw = Codecs.base64Lenient(value, "whpk_".length(), value.length());
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

  private static SignatureVerifier genericHmac(List<Secret> secrets, ProviderOptions options, String path,
                                               long toleranceMillis) {
    options.allowOnly("algorithm", "header", "encoding", "prefix", "secretEncoding", "signedContent",
        "timestampHeader", "idHeader", "eventIdHeader", "eventIdPointer", "eventTypeHeader", "eventTypePointer");
    String algorithm = options.choice("algorithm", "sha256", "sha1", "sha256", "sha512");
    String header = options.headerName("header", null);
    if (header == null) {
      throw new ConfigException(options.path("header"), "is required: the header that carries the signature");
    }
    HmacSignatureVerifier.Encoding encoding = options.choice("encoding", "hex", "hex", "base64").equals("hex")
        ? HmacSignatureVerifier.Encoding.HEX : HmacSignatureVerifier.Encoding.BASE64;
    String prefix = options.string("prefix", "");
    String secretEncoding = options.choice("secretEncoding", "raw", "raw", "base64", "hex");
    String template = options.nonEmptyString("signedContent", "{body}");
    String timestampHeader = options.headerName("timestampHeader", null);
    ConfiguredEventId eventId = ConfiguredEventId.from(options);

    List<HmacSignatureVerifier.Part> parts;
    try {
      parts = HmacSignatureVerifier.parseTemplate(template);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(options.path("signedContent"), e.getMessage());
    }
    long bodies = parts.stream().filter(p -> p == HmacSignatureVerifier.Body.INSTANCE).count();
    if (bodies != 1) {
      throw new ConfigException(options.path("signedContent"),
          "must contain {body} exactly once (a signature that does not cover the body proves nothing about it)");
    }
    boolean signsTimestamp = parts.contains(HmacSignatureVerifier.TimestampValue.INSTANCE);
    if (signsTimestamp && timestampHeader == null) {
      throw new ConfigException(options.path("timestampHeader"), "is required because signedContent uses {timestamp}");
    }
    if (!signsTimestamp && timestampHeader != null) {
      throw new ConfigException(options.path("signedContent"),
          "must use {timestamp} when timestampHeader is set (an unsigned timestamp cannot stop replays)");
    }
    if (parts.contains(HmacSignatureVerifier.IdValue.INSTANCE) && eventId.idHeader() == null) {
      throw new ConfigException(options.path("idHeader"), "is required because signedContent uses {id}");
    }

    String jca = switch (algorithm) {
      case "sha1" -> "HmacSHA1";
      case "sha512" -> "HmacSHA512";
      default -> "HmacSHA256";
    };
    List<HmacKey> keys = new ArrayList<>(secrets.size());
    for (int i = 0; i < secrets.size(); i++) {
      String value = secrets.get(i).value();
      byte[] key = switch (secretEncoding) {
        case "base64" -> Codecs.base64Lenient(value.trim());
        case "hex" -> Codecs.hex(value.trim());
        default -> value.getBytes(StandardCharsets.UTF_8);
      };
      if (key == null || key.length == 0) {
        throw new ConfigException(secretPath(path, i), "is not valid " + secretEncoding
            + " (secretEncoding is " + secretEncoding + ")");
      }
      keys.add(hmacKey(secrets.get(i), jca, key, path, i));
    }
    return new HmacSignatureVerifier(keys, header, prefix, encoding, parts,
        signsTimestamp ? timestampHeader : null, toleranceMillis, eventId);
  }

  private static SignatureVerifier basicAuth(List<Secret> secrets, ProviderOptions options, String path) {
    options.allowOnly("idHeader", "eventIdHeader", "eventIdPointer", "eventTypeHeader", "eventTypePointer");
    for (int i = 0; i < secrets.size(); i++) {
      if (secrets.get(i).value().indexOf(':') < 0) {
        throw new ConfigException(secretPath(path, i), "must be 'user:password'");
      }
    }
    return new BasicAuthVerifier(secrets, ConfiguredEventId.from(options));
  }

  private static SignatureVerifier apiKey(List<Secret> secrets, ProviderOptions options, String path) {
    options.allowOnly("header", "query", "prefix", "idHeader", "eventIdHeader", "eventIdPointer", "eventTypeHeader",
        "eventTypePointer");
    String header = options.headerName("header", null);
    String query = options.nonEmptyString("query", null);
    if ((header == null) == (query == null)) {
      throw new ConfigException(options.path(header == null ? "header" : "query"),
          "set exactly one of header (a header name) or query (a URL query parameter name)");
    }
    String prefix = options.string("prefix", "");
    return new ApiKeyVerifier(secrets, header, query, prefix, ConfiguredEventId.from(options));
  }
}
