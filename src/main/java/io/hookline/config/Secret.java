package io.hookline.config;

import java.time.Instant;
import java.util.Objects;

/**
 * A resolved secret. {@code notAfter} lets an old secret stay valid for an overlap window during
 * rotation (null = no expiry). {@link #toString()} never shows the value.
 */
public record Secret(String value, Instant notAfter) {
  public Secret {
    Objects.requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    return new Secret(value, null);
  }

  public boolean activeAt(long epochMillis) {
    return notAfter == null || epochMillis <= notAfter.toEpochMilli();
  }

  @Override
  public String toString() {
    return "Secret[****" + (notAfter == null ? "" : ", notAfter=" + notAfter) + "]";
  }
}
