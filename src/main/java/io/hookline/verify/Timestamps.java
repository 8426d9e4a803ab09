package io.hookline.verify;

/** Unix-seconds timestamps as signed by providers, and the replay window around the arrival time. */
public final class Timestamps {
  /** Past this many seconds (year ~33 million) multiplying by 1000 could overflow; such a value is never within tolerance. */
  private static final long MAX_SECONDS = 1_000_000_000_000_000L;

  private Timestamps() {}

  /** Decimal digits only (no sign, no spaces, at most 18 digits), else -1. */
  public static long parseSeconds(CharSequence s, int from, int to) {
    int length = to - from;
    if (length <= 0 || length > 18) {
      return -1;
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  public static long parseSeconds(CharSequence s) {
    return parseSeconds(s, 0, s.length());
  }

  /** True when the timestamp is no more than the tolerance before or after the arrival time. */
  public static boolean within(long timestampSeconds, long receivedAtMillis, long toleranceMillis) {
    if (timestampSeconds < 0 || timestampSeconds > MAX_SECONDS) {
      return false;
    }
    long diff = timestampSeconds * 1000 - receivedAtMillis;
    return diff <= toleranceMillis && diff >= -toleranceMillis;
  }
}
