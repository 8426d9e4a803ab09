package io.hookline.verify;

import java.util.List;

/**
 * What a verifier sees of an incoming request: plain Java, no Vert.x types, so verifiers stay
 * pure functions that unit tests and benchmarks can call directly.
 */
public interface WebhookRequest {
  /** First value of a header, case-insensitive; null when absent. */
  String header(String name);

  /** All values of a header in arrival order (empty when absent). */
  List<String> headers(String name);

  /** The raw body bytes exactly as received. Never modify. */
  byte[] body();

  /** When the request arrived, epoch milliseconds (verifiers never read the clock themselves). */
  long receivedAtMillis();

  /** The public URL the sender signed (scheme://host[:port]/path?query), for URL-signing schemes. */
  String publicUrl();
}
