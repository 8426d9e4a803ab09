package io.hookline.load;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a body the way each provider does (sender side, plain javax.crypto), so every request the
 * simulations send carries a fresh timestamp and its own event id, as a real provider's would.
 */
public final class Signer {
  public static final Set<String> PROVIDERS =
      Set.of("stripe", "github", "standard", "shopify", "slack", "paddle", "hmac", "twilio");

  /** Development secrets; {@code run-local.sh} configures the node with these. */
  static String defaultSecret(String provider) {
    return switch (provider) {
      case "stripe" -> "whsec_loadtestStripeSecret0123456789";
      case "standard" -> "whsec_" + Base64.getEncoder().encodeToString(
          "hookline-load-test-key-32-bytes!".getBytes(StandardCharsets.US_ASCII));
      default -> "load-test-secret-" + provider + "-0123456789";
    };
  }

  private static final ThreadLocal<Map<String, Mac>> MACS = ThreadLocal.withInitial(HashMap::new);

  private Signer() {}

  static boolean signsTimestamp(String provider) {
    return switch (provider) {
      case "stripe", "standard", "slack", "paddle" -> true;
      default -> false;
    };
  }

  /** The header carrying the signature (for malformed/missing-signature traffic). */
  static String signatureHeader(String provider) {
    return switch (provider) {
      case "stripe" -> "Stripe-Signature";
      case "github" -> "X-Hub-Signature-256";
      case "standard" -> "webhook-signature";
      case "shopify" -> "X-Shopify-Hmac-Sha256";
      case "slack" -> "X-Slack-Signature";
      case "paddle" -> "Paddle-Signature";
      case "hmac" -> "X-Signature";
      case "twilio" -> "X-Twilio-Signature";
      default -> throw new IllegalArgumentException(provider);
    };
  }

  static String contentType(String provider) {
    return provider.equals("twilio") ? "application/x-www-form-urlencoded" : "application/json";
  }

  /**
   * Headers for {@code body} as {@code provider} would send it.
   *
   * @param url the URL the request is sent to (only Twilio signs it)
   */
  public static Map<String, String> sign(String provider, String secret, byte[] body, String eventId, long tsSeconds,
                                         String url) {
    Map<String, String> h = new LinkedHashMap<>();
    String ts = Long.toString(tsSeconds);
    byte[] key = secret.getBytes(StandardCharsets.UTF_8);
    switch (provider) {
      case "stripe" -> h.put("Stripe-Signature", "t=" + ts + ",v1=" + hex(hmac("HmacSHA256", secret, key, utf8(ts + "."), body)));
      case "github" -> {
        h.put("X-GitHub-Event", "push");
        h.put("X-GitHub-Delivery", eventId);
        h.put("X-Hub-Signature-256", "sha256=" + hex(hmac("HmacSHA256", secret, key, body)));
      }
      case "standard" -> {
        byte[] k = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
        h.put("webhook-id", eventId);
        h.put("webhook-timestamp", ts);
        h.put("webhook-signature", "v1," + Base64.getEncoder().encodeToString(
            hmac("HmacSHA256", secret, k, utf8(eventId + "." + ts + "."), body)));
      }
      case "shopify" -> {
        h.put("X-Shopify-Topic", "orders/create");
        h.put("X-Shopify-Webhook-Id", eventId);
        h.put("X-Shopify-Hmac-Sha256", Base64.getEncoder().encodeToString(hmac("HmacSHA256", secret, key, body)));
      }
      case "slack" -> {
        h.put("X-Slack-Request-Timestamp", ts);
        h.put("X-Slack-Signature", "v0=" + hex(hmac("HmacSHA256", secret, key, utf8("v0:" + ts + ":"), body)));
      }
      case "paddle" -> h.put("Paddle-Signature", "ts=" + ts + ";h1=" + hex(hmac("HmacSHA256", secret, key, utf8(ts + ":"), body)));
      case "hmac" -> {
        h.put("X-Event-Id", eventId);
        h.put("X-Signature", "sha256=" + hex(hmac("HmacSHA256", secret, key, body)));
      }
      case "twilio" -> {
        h.put("I-Twilio-Idempotency-Token", eventId);
        h.put("X-Twilio-Signature", Base64.getEncoder().encodeToString(
            hmac("HmacSHA1", secret, key, twilioSignedContent(url, body))));
      }
      default -> throw new IllegalArgumentException("cannot sign for provider " + provider);
    }
    return h;
  }

  /** Twilio signs the URL followed by the form parameters sorted by name, as name+value (decoded). */
  static byte[] twilioSignedContent(String url, byte[] form) {
    TreeMap<String, TreeSet<String>> sorted = new TreeMap<>();
    for (String pair : new String(form, StandardCharsets.US_ASCII).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      sorted.computeIfAbsent(name, k -> new TreeSet<>()).add(value);
    }
    StringBuilder data = new StringBuilder(url);
    sorted.forEach((name, values) -> values.forEach(v -> data.append(name).append(v)));
    return data.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hmac(String algorithm, String cacheKey, byte[] key, byte[]... parts) {
    Map<String, Mac> macs = MACS.get();
    String k = algorithm + '\0' + cacheKey;
    Mac mac = macs.get(k);
    try {
      if (mac == null) {
        mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key, algorithm));
        macs.put(k, mac);
      }
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
