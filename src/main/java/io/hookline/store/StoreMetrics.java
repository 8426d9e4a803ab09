package io.hookline.store;

/** What the group-commit writer reports (implemented in {@code io.hookline.metrics}). */
public interface StoreMetrics {
  /** One group commit of {@code size} events that took {@code commitNanos}. */
  void batch(int size, long commitNanos);
}
