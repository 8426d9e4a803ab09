package io.hookline.verify;

import java.security.PrivateKey;
import java.util.Map;

/**
 * What a {@link Provider.Signer} signs: the source's first secret, the body, the event id to
 * carry, the signing time, the URL the request goes to (for URL-signing schemes) and the source's
 * provider options (for configurable schemes), and the private key of an asymmetric provider
 * ({@code send --private-key}; null otherwise). Never printed: it holds a secret.
 */
public record SendInput(String secret, byte[] body, String eventId, long nowSeconds, String url,
                        Map<String, Object> options, PrivateKey privateKey) {
  public SendInput {
    options = options == null ? Map.of() : options;
  }

  public SendInput(String secret, byte[] body, String eventId, long nowSeconds, String url, Map<String, Object> options) {
    this(secret, body, eventId, nowSeconds, url, options, null);
  }

  public static SendInput of(String secret, byte[] body, String eventId, long nowSeconds) {
    return new SendInput(secret, body, eventId, nowSeconds, null, Map.of());
  }

  /** The option as a string, or {@code fallback} when absent. */
  public String option(String key, String fallback) {
    Object value = options.get(key);
    return value == null ? fallback : String.valueOf(value);
  }

  @Override
  public String toString() {
    return "SendInput(eventId=" + eventId + ", secret=***" + (privateKey == null ? "" : ", privateKey=***") + ")";
  }
}
