package io.hookline.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls for a condition that async work makes true, failing once a deadline has passed. */
public final class Eventually {
  private Eventually() {}

  public static void within(Duration within, BooleanSupplier condition, Supplier<String> what) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what.get());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  public static void within(Duration within, BooleanSupplier condition, String what) {
    within(within, condition, () -> what);
  }
}
