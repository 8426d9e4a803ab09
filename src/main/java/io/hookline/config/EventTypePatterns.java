package io.hookline.config;

/**
 * What an {@code eventTypes} glob may look like: {@code *} matches any run of characters, every
 * other character itself. Checked at start-up; matching is {@code delivery.EventTypeFilter}'s.
 */
public final class EventTypePatterns {
  static final int MAX_CHARS = 256;

  private EventTypePatterns() {}

  /** Why the pattern is unusable, or null when it is fine. */
  public static String problem(String pattern) {
    if (pattern == null || pattern.isBlank()) {
      return "is empty (a pattern like \"invoice.*\" or \"push\" is expected)";
    }
    if (pattern.length() > MAX_CHARS) {
      return "is longer than " + MAX_CHARS + " characters";
    }
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        return "must not contain whitespace or control characters, got '" + pattern.strip() + "'";
      }
    }
    if (pattern.contains("**")) {
      return "'**' is the same as '*': write one (got '" + pattern + "')";
    }
    return null;
  }
}
