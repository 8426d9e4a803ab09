package io.hookline.cli;

import io.hookline.config.StandardWebhooksSecret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a body the way each provider does, for the {@code send} command and tests. Written
 * independently of the verifiers on purpose: it is the sender's side of the contract.
 */
public final class EventSigner {
  private EventSigner() {}

  /** Headers to send with {@code body} for a source of {@code provider} with {@code secret}. */
  public static Map<String, String> sign(String provider, String secret, byte[] body, String eventId, long nowSeconds) {
    Map<String, String> h = new LinkedHashMap<>();
    String ts = Long.toString(nowSeconds);
    switch (provider) {
      case "stripe" -> h.put("Stripe-Signature", "t=" + ts + ",v1=" + hex(hmac("HmacSHA256", utf8(secret), concat(utf8(ts + "."), body))));
      case "github" -> {
        h.put("X-Hub-Signature-256", "sha256=" + hex(hmac("HmacSHA256", utf8(secret), body)));
        h.put("X-GitHub-Delivery", eventId);
        h.put("X-GitHub-Event", "ping");
      }
      case "standard" -> {
        byte[] key = secret.startsWith(StandardWebhooksSecret.PREFIX) ? StandardWebhooksSecret.decode(secret) : Base64.getDecoder().decode(secret);
        String sig = Base64.getEncoder().encodeToString(hmac("HmacSHA256", key, concat(utf8(eventId + "." + ts + "."), body)));
        h.put("webhook-id", eventId);
        h.put("webhook-timestamp", ts);
        h.put("webhook-signature", "v1," + sig);
      }
      case "shopify" -> {
        h.put("X-Shopify-Hmac-Sha256", Base64.getEncoder().encodeToString(hmac("HmacSHA256", utf8(secret), body)));
        h.put("X-Shopify-Webhook-Id", eventId);
        h.put("X-Shopify-Topic", "orders/create");
      }
      case "slack" -> {
        h.put("X-Slack-Request-Timestamp", ts);
        h.put("X-Slack-Signature", "v0=" + hex(hmac("HmacSHA256", utf8(secret), concat(utf8("v0:" + ts + ":"), body))));
      }
      case "paddle" -> h.put("Paddle-Signature", "ts=" + ts + ";h1=" + hex(hmac("HmacSHA256", utf8(secret), concat(utf8(ts + ":"), body))));
      default -> throw new IllegalArgumentException("send does not sign for provider '" + provider
          + "' (supported: stripe, github, standard, shopify, slack, paddle)");
    }
    return h;
  }

  static byte[] hmac(String algorithm, byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
