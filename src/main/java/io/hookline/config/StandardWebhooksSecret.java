package io.hookline.config;

import java.util.Base64;

/**
 * The one decoder of Standard Webhooks secrets ({@code whsec_<base64>}), for verifying sources and
 * signing to destinations alike: padded and unpadded base64 are both accepted.
 */
public final class StandardWebhooksSecret {
  public static final String PREFIX = "whsec_";

  private StandardWebhooksSecret() {}

  /** The HMAC key; {@link IllegalArgumentException} (never showing the secret) if it is not one. */
  public static byte[] decode(String secret) {
    String s = secret == null ? "" : secret.trim();
    if (!s.startsWith(PREFIX)) {
      throw new IllegalArgumentException("must be a Standard Webhooks secret: 'whsec_' followed by base64");
    }
    byte[] key;
    try {
      // Java's basic decoder takes the padding as optional: both spellings senders use decode.
      key = Base64.getDecoder().decode(s.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not valid base64 after 'whsec_'");
    }
    return key;
  }
}
