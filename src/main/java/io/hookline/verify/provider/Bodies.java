package io.hookline.verify.provider;

import java.nio.charset.StandardCharsets;

/** Test event bodies in the providers' shapes, for {@code send} ({@link io.hookline.verify.Provider.SampleBody}). */
final class Bodies {
  private Bodies() {}

  static byte[] json(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** The event id as a JSON string literal, escaped. */
  static String quoted(String s) {
    return io.hookline.verify.Signatures.jsonString(s);
  }
}
