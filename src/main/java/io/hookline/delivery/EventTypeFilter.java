package io.hookline.delivery;

import java.util.List;

/**
 * A destination's {@code eventTypes}, compiled once at start-up: glob patterns where {@code *}
 * matches any run of characters. Matching allocates nothing (it runs on the event loop per event).
 */
final class EventTypeFilter {
  /** Per pattern, its literal pieces between the stars, and whether it starts/ends with a star. */
  private final String[][] pieces;
  private final boolean[] leadingStar;
  private final boolean[] trailingStar;

  EventTypeFilter(List<String> patterns) {
    int n = patterns.size();
    pieces = new String[n][];
    leadingStar = new boolean[n];
    trailingStar = new boolean[n];
    for (int i = 0; i < n; i++) {
      String p = patterns.get(i);
      leadingStar[i] = p.startsWith("*");
      trailingStar[i] = p.endsWith("*");
      pieces[i] = java.util.Arrays.stream(p.split("\\*")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }
  }

  /** True when the type matches one of the patterns; an event without a type matches none. */
  boolean matches(String type) {
    if (type == null) {
      return false;
    }
    for (int i = 0; i < pieces.length; i++) {
      if (matches(type, pieces[i], leadingStar[i], trailingStar[i])) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(String type, String[] pieces, boolean leadingStar, boolean trailingStar) {
    if (pieces.length == 0) {
      return leadingStar; // "*" (or "**"): any type
    }
    int pos = 0;
    for (int k = 0; k < pieces.length; k++) {
      String piece = pieces[k];
      boolean first = k == 0;
      boolean last = k == pieces.length - 1;
      if (first && !leadingStar) {
        if (!type.startsWith(piece)) {
          return false;
        }
        pos = piece.length();
        if (last && !trailingStar) {
          return pos == type.length();
        }
        continue;
      }
      if (last && !trailingStar) {
        // The last piece is anchored at the end; it must not overlap what earlier pieces used.
        return type.length() - piece.length() >= pos && type.endsWith(piece);
      }
      int at = type.indexOf(piece, pos);
      if (at < 0) {
        return false;
      }
      pos = at + piece.length();
    }
    return true;
  }
}
