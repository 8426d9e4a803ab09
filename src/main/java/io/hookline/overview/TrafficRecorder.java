package io.hookline.overview;

import io.hookline.store.TrafficStore.MinuteTally;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * This node's traffic per minute and source for the fleet overview (docs/overview.md): requests
 * accepted, duplicate and refused by reason, delivery attempts delivered and failed, and the ack
 * latency of accepted and duplicate requests as counts in fixed buckets (mergeable across nodes and
 * minutes). Lock-free adders on the hot path; {@link TrafficVerticle} writes the tallies each few seconds.
 */
public final class TrafficRecorder {
  /** Upper bounds of the ack latency buckets, microseconds; one more bucket counts everything above. */
  public static final long[] BUCKET_MICROS = {250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000,
      500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000};

  private final String nodeId;
  private final ConcurrentHashMap<Long, ConcurrentHashMap<String, Tally>> minutes = new ConcurrentHashMap<>();

  public TrafficRecorder(String nodeId) {
    this.nodeId = nodeId;
  }

  public String nodeId() {
    return nodeId;
  }

  public void accepted(String sourceId, long latencyNanos) {
    Tally t = tally(sourceId);
    t.accepted.increment();
    t.latency(latencyNanos);
  }

  public void duplicate(String sourceId, long latencyNanos) {
    Tally t = tally(sourceId);
    t.duplicate.increment();
    t.latency(latencyNanos);
  }

  /** {@code reason} is one of the fixed outcome labels, never text from a request. */
  public void refused(String sourceId, String reason) {
    Tally t = tally(sourceId);
    LongAdder n = t.refused.get(reason);
    if (n == null) {
      n = t.refused.computeIfAbsent(reason, r -> new LongAdder());
    }
    n.increment();
  }

  /** One delivery attempt's end: delivered, or failed (retry, dead or gone). */
  public void delivery(String sourceId, boolean delivered) {
    (delivered ? tally(sourceId).delivered : tally(sourceId).failed).increment();
  }

  /** Everything recorded so far, per minute and source (the minute's running totals, not deltas). */
  List<MinuteTally> snapshot() {
    List<MinuteTally> out = new ArrayList<>();
    for (Map.Entry<Long, ConcurrentHashMap<String, Tally>> m : minutes.entrySet()) {
      for (Map.Entry<String, Tally> s : m.getValue().entrySet()) {
        Tally t = s.getValue();
        Map<String, Long> refused = new java.util.TreeMap<>();
        t.refused.forEach((reason, n) -> refused.put(reason, n.sum()));
        long[] buckets = new long[t.buckets.length];
        for (int i = 0; i < buckets.length; i++) {
          buckets[i] = t.buckets[i].sum();
        }
        out.add(new MinuteTally(m.getKey(), s.getKey(), t.accepted.sum(), t.duplicate.sum(), refused, t.delivered.sum(),
            t.failed.sum(), buckets));
      }
    }
    return out;
  }

  /** The minutes held. */
  int size() {
    return minutes.size();
  }

  /** Forgets minutes before {@code minute} (already written in full, or too old to write). */
  void forgetBefore(long minute) {
    minutes.keySet().removeIf(m -> m < minute);
  }

  private Tally tally(String sourceId) {
    long minute = System.currentTimeMillis() / 60_000;
    ConcurrentHashMap<String, Tally> sources = minutes.get(minute);
    if (sources == null) {
      sources = minutes.computeIfAbsent(minute, m -> new ConcurrentHashMap<>());
    }
    Tally t = sources.get(sourceId);
    return t != null ? t : sources.computeIfAbsent(sourceId, s -> new Tally());
  }

  /** The bucket a latency falls in: the first bound at or above it, else the overflow bucket. */
  static int bucket(long micros) {
    int lo = 0;
    int hi = BUCKET_MICROS.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (BUCKET_MICROS[mid] < micros) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static final class Tally {
    final LongAdder accepted = new LongAdder();
    final LongAdder duplicate = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder failed = new LongAdder();
    final ConcurrentHashMap<String, LongAdder> refused = new ConcurrentHashMap<>();
    final LongAdder[] buckets = new LongAdder[BUCKET_MICROS.length + 1];

    Tally() {
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    void latency(long nanos) {
      buckets[bucket(nanos / 1000)].increment();
    }
  }
}
