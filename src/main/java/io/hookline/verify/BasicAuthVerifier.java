package io.hookline.verify;

import io.hookline.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * HTTP Basic authentication ({@code Authorization: Basic base64(user:password)}) for senders that
 * can only do that; each secret is a {@code user:password}. It authenticates the sender but not
 * the body, so prefer a signing scheme whenever the sender offers one.
 */
public final class BasicAuthVerifier implements SignatureVerifier {
  static final String HEADER = "Authorization";

  private static final Verification MISSING =
      Verification.rejected(Reason.MISSING_SIGNATURE, "Authorization header is missing");
  private static final Verification MALFORMED = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "Authorization header is not 'Basic <base64 of user:password>'");
  private static final Verification NO_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "credentials do not match any active user:password for this source");

  private final Credential[] credentials;
  private final ConfiguredEventId eventId;

  /** The registry's factory: each secret is {@code user:password}; options say where the event id is. */
  public static SignatureVerifier create(ProviderSetup setup) {
    ProviderOptions options = setup.options();
    options.allowOnly("idHeader", "eventIdHeader", "eventIdPointer", "eventTypeHeader", "eventTypePointer");
    for (int i = 0; i < setup.secrets().size(); i++) {
      if (setup.secrets().get(i).value().indexOf(':') < 0) {
        throw setup.secretError(i, "must be 'user:password'");
      }
    }
    return new BasicAuthVerifier(setup.secrets(), ConfiguredEventId.from(options));
  }

  BasicAuthVerifier(List<Secret> secrets, ConfiguredEventId eventId) {
    this.credentials = secrets.stream()
        .map(s -> new Credential(s, digest(s.value().getBytes(StandardCharsets.UTF_8))))
        .toArray(Credential[]::new);
    this.eventId = eventId;
  }

  /**
   * Secrets are compared as SHA-256 digests: equal-length inputs to {@link MessageDigest#isEqual}
   * so the comparison time reveals neither content nor length of the configured credential.
   */
  record Credential(Secret secret, byte[] digest) {}

  @Override
  public Verification verify(WebhookRequest request) {
    HeaderRead header = HeaderRead.required(request, HEADER, MISSING);
    if (header.problem() != null) {
      return header.problem();
    }
    String value = header.value();
    int from = header.from();
    int to = header.to();
    if (!value.regionMatches(true, from, "Basic", 0, 5) || from + 5 >= to
        || (value.charAt(from + 5) != ' ' && value.charAt(from + 5) != '\t')) {
      return MALFORMED;
    }
    byte[] decoded = Codecs.base64(value, Text.skipSpaces(value, from + 5, to), to);
    if (decoded == null || indexOf(decoded, (byte) ':') < 0) {
      return MALFORMED;
    }
    return match(credentials, digest(decoded), request.receivedAtMillis()) ? eventId.accept(request) : NO_MATCH;
  }

  static boolean match(Credential[] credentials, byte[] presented, long now) {
    boolean matched = false;
    for (Credential credential : credentials) {
      // Every credential is compared, so timing does not tell which one (if any) matched.
      matched |= MessageDigest.isEqual(credential.digest(), presented) && credential.secret().activeAt(now);
    }
    return matched;
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  static byte[] digest(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
