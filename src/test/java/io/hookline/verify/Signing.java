package io.hookline.verify;

import io.hookline.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Test-side signing, written the straightforward way (one Mac per call, HexFormat, Base64). */
public final class Signing {
  private Signing() {}

  public static byte[] hmac(String algorithm, byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] hmacSha256(String key, byte[]... parts) {
    return hmac("HmacSHA256", utf8(key), parts);
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  public static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static VerifierSpec spec(String provider, List<String> secrets) {
    return spec(provider, secrets, null, Map.of());
  }

  static VerifierSpec spec(String provider, List<String> secrets, Duration tolerance, Map<String, Object> options) {
    return new VerifierSpec("test", provider, secrets.stream().map(Secret::of).toList(), tolerance, options, "sources[0]");
  }

  static VerifierSpec specWithSecrets(String provider, List<Secret> secrets) {
    return new VerifierSpec("test", provider, secrets, null, Map.of(), "sources[0]");
  }

  static Secret expiring(String value, long notAfterMillis) {
    return new Secret(value, Instant.ofEpochMilli(notAfterMillis));
  }
}
