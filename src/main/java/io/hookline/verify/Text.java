package io.hookline.verify;

/** Index-based trimming, so header parsing never allocates substrings it does not keep. */
final class Text {
  private Text() {}

  static int skipSpaces(String s, int from, int to) {
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
      from++;
    }
    return from;
  }

  static int trimSpaces(String s, int from, int to) {
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    return to;
  }
}
