package io.hookline.verify;

/** Keeps provider event ids and types usable as dedup keys and labels. */
final class EventIds {
  /** Longer ids are not real provider ids; the pipeline falls back to the body hash instead. */
  static final int MAX_CHARS = 1024;

  private EventIds() {}

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
