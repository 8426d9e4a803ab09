package io.hookline.verify.provider;

import java.nio.charset.StandardCharsets;

/** Test event bodies in the providers' shapes, for {@code send} ({@link io.hookline.verify.Provider.SampleBody}). */
final class Bodies {
  private Bodies() {}

  static byte[] json(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** A JSON string literal's content: the event id as given by {@code --event-id}, escaped. */
  static String quoted(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
