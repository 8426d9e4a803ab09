package io.hookline.dedup;

/** What Redis dedup reports (implemented in {@code io.hookline.metrics}). */
public interface DedupMetrics {
  /** One SET NX (or release) round trip, in nanoseconds. */
  void dedupRoundTrip(long nanos);

  /** A dedup check that failed or timed out: PostgreSQL's unique key decides instead. */
  void redisUnavailable();

  /** The outcome of a Redis readiness ping (sets {@code hookline_redis_up}; dedup failures are counted per request). */
  void redisPinged(boolean up);

  DedupMetrics NONE = new DedupMetrics() {
    @Override
    public void dedupRoundTrip(long nanos) {}

    @Override
    public void redisUnavailable() {}

    @Override
    public void redisPinged(boolean up) {}
  };
}
