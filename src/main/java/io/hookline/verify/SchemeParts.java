package io.hookline.verify;

import io.hookline.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Small pieces the provider schemes of issue 18 share: raw-secret HMAC keys, "which key matched"
 * (handshakes answer with the matching secret), constant-time string equality, one query parameter.
 */
final class SchemeParts {
  private SchemeParts() {}

  /** The first active key that signs {@code content} to {@code provided} (constant-time compare), else null. */
  static HmacKey matching(HmacKey[] keys, long now, KeyMatch.SignedContent content, byte[] provided) {
    for (HmacKey key : keys) {
      if (key.activeAt(now)) {
        javax.crypto.Mac mac = key.mac();
        content.feed(mac);
        if (MessageDigest.isEqual(mac.doFinal(), provided)) {
          return key;
        }
      }
    }
    return null;
  }

  /** The first key active at {@code now}, for answers signed with the source's current secret. */
  static HmacKey firstActive(HmacKey[] keys, long now) {
    for (HmacKey key : keys) {
      if (key.activeAt(now)) {
        return key;
      }
    }
    return null;
  }

  static byte[] hmac(HmacKey key, byte[] content) {
    javax.crypto.Mac mac = key.mac();
    mac.update(content);
    return mac.doFinal();
  }

  /** Does {@code provided} equal any active secret, in constant time per secret? */
  static boolean equalsAnySecret(List<Secret> secrets, long now, String provided) {
    byte[] given = provided.getBytes(StandardCharsets.UTF_8);
    boolean matched = false;
    for (Secret secret : secrets) {
      if (secret.activeAt(now)) {
        matched |= MessageDigest.isEqual(secret.value().getBytes(StandardCharsets.UTF_8), given);
      }
    }
    return matched;
  }

  static boolean constantTimeEquals(String expected, String provided) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), provided.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The one value of a query parameter of the request's URL: null when absent (or badly encoded),
   * {@link #AMBIGUOUS} when repeated (a challenge must be unambiguous to be echoed).
   */
  static String queryParam(WebhookRequest request, String name) {
    List<String> values = request.queryParams(name);
    return values.isEmpty() ? null : values.size() > 1 ? AMBIGUOUS : values.get(0);
  }

  /** Sentinel of {@link #queryParam}: compared by identity. */
  static final String AMBIGUOUS = new String("<ambiguous>");

  /** {@code prefix<hex of bytes>} with the prefix checked exactly, else null. */
  static byte[] prefixedHex(String value, int from, int to, String prefix, int bytes) {
    if (to - from < prefix.length() || !value.startsWith(prefix, from)) {
      return null;
    }
    return Codecs.hex(value, from + prefix.length(), to, bytes);
  }

  /** {@code prefix<base64 of bytes>} with the prefix checked exactly, else null. */
  static byte[] prefixedBase64(String value, int from, int to, String prefix, int bytes) {
    if (to - from < prefix.length() || !value.startsWith(prefix, from)) {
      return null;
    }
    byte[] decoded = Codecs.base64(value, from + prefix.length(), to);
    return decoded != null && decoded.length == bytes ? decoded : null;
  }

  /**
   * A challenge we echo: 1 to 1024 printable ASCII characters without markup or quoting characters
   * ({@code < > & " ' \\ `}), so an echo can never be read as HTML or break out of a JSON string.
   */
  static boolean echoable(String challenge) {
    if (challenge == null || challenge.isEmpty() || challenge.length() > 1024) {
      return false;
    }
    for (int i = 0; i < challenge.length(); i++) {
      char c = challenge.charAt(i);
      if (c < 0x20 || c > 0x7e || "<>&\"'\\`".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** A JSON string literal of printable ASCII (as {@link #echoable} allows). */
  static String jsonString(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append('"').toString();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
