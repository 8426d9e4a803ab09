package io.hookline.verify;

/** Provider event ids as the pipeline gets them, and event types kept usable as labels. */
final class EventIds {
  /** Longer event types are not real ones and are dropped. */
  static final int MAX_CHARS = 1024;

  private EventIds() {}

  /**
   * The provider's event id exactly as sent (null when absent or empty): never dropped for its
   * content, because the body hash is no substitute for an id. The pipeline hashes one too long to
   * index and refuses one with control characters (400 malformed_event_id).
   */
  static String id(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  /** An event type, or null when absent, over {@link #MAX_CHARS} or holding control characters. */
  static String clean(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_CHARS) {
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        return null;
      }
    }
    return value;
  }
}
