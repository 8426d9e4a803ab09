package io.hookline.ingest;

import io.hookline.dedup.DedupMetrics;
import io.hookline.store.StoreMetrics;
import io.vertx.core.Vertx;
import java.util.function.IntSupplier;

/**
 * What the public port reports (implemented in {@code io.hookline.metrics}); it includes what the
 * dedup and store clients it builds report.
 */
public interface IngestMetrics extends DedupMetrics, StoreMetrics {
  /** Label used for requests to a source that is not configured. */
  String UNKNOWN_SOURCE_LABEL = "_unknown";

  /** One answered request: its outcome, and the time since it was received. */
  void request(String sourceId, IngestOutcome outcome, long startNanos);

  void verified(String scheme, long nanos);

  /** Commit to event-bus hand-off. */
  void handoff(long nanos);

  /**
   * Samples a verticle's group-commit queue depth on its own event loop; close the probe when the
   * verticle stops.
   */
  QueueProbe storeQueue(Vertx vertx, IntSupplier queued);

  /** A running queue-depth sample. */
  interface QueueProbe extends AutoCloseable {
    @Override
    void close();
  }
}
