package io.hookline.delivery;

import io.hookline.config.StandardWebhooksSecret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks v1 signatures (https://www.standardwebhooks.com): base64 HMAC-SHA256 over
 * {@code {webhook-id}.{webhook-timestamp}.{body}} keyed with the bytes base64-encoded after
 * {@code whsec_}. Pure functions, so they can be checked against the specification's vector.
 */
public final class StandardWebhooksSigner {
  private StandardWebhooksSigner() {}

  /** The HMAC key of a {@code whsec_<base64>} secret. */
  public static byte[] keyFromSecret(String secret) {
    return StandardWebhooksSecret.decode(secret);
  }

  /** The {@code webhook-signature} header value: {@code v1,<base64 signature>}. */
  public static String sign(byte[] key, String msgId, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((msgId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
