package io.hookline.verify;

/** Index-based trimming, so header parsing never allocates substrings it does not keep. */
public final class Text {
  private Text() {}

  public static int skipSpaces(String s, int from, int to) {
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
      from++;
    }
    return from;
  }

  public static int trimSpaces(String s, int from, int to) {
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    return to;
  }
}
