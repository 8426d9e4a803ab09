package io.hookline.ingest;

/**
 * SPEC "Event ids as keys": the provider's id is the key as sent, so it must be storable and
 * unambiguous: no control characters (PostgreSQL text cannot hold NUL) and well-formed UTF-16
 * (a lone surrogate would be stored as '?', making different ids equal). Length is no reason to
 * refuse: the store hashes ids too long to index.
 */
final class EventIdCheck {
  private EventIdCheck() {}

  static boolean usable(String id) {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (Character.isISOControl(c) || Character.isLowSurrogate(c)) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= id.length() || !Character.isLowSurrogate(id.charAt(i + 1))) {
          return false;
        }
        i++;
      }
    }
    return true;
  }
}
