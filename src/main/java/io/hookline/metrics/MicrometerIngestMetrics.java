package io.hookline.metrics;

import io.hookline.ingest.IngestMetrics;
import io.hookline.ingest.IngestOutcome;
import io.hookline.overview.TrafficRecorder;
import io.hookline.logging.NonBlockingAppender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Ingest, dedup and group-commit meters in Micrometer. Every counter is built at start-up for the configured sources, so the hot path
 * does a map lookup and an increment, and no label value ever comes from a request.
 */
public final class MicrometerIngestMetrics implements IngestMetrics {

  private final Map<String, Counter[]> requests = new HashMap<>();
  private final Map<String, Timer> verifyTimers = new HashMap<>();
  private final Timer ingest;
  private final Timer dedupRoundTrip;
  private final Counter redisUnavailable;
  private final DistributionSummary batchSize;
  private final Timer commit;
  private final Timer handoff;
  private static final long SAMPLE_MS = 250;
  private final List<SampledQueue> storeQueues = new CopyOnWriteArrayList<>();
  /** 1 while the last Redis answer (dedup round trip or readiness ping) succeeded, 0 after a failure. */
  private volatile int redisUp = 1;
  private final TrafficRecorder traffic;

  public MicrometerIngestMetrics(MeterRegistry registry, List<String> sourceIds, Map<String, String> providerBySource) {
    this(registry, sourceIds, providerBySource, null);
  }

  /** With {@code traffic}, every answered request is also tallied for the fleet overview. */
  public MicrometerIngestMetrics(MeterRegistry registry, List<String> sourceIds, Map<String, String> providerBySource,
                                 TrafficRecorder traffic) {
    this.traffic = traffic;
    for (String source : concat(sourceIds, UNKNOWN_SOURCE_LABEL)) {
      IngestOutcome[] outcomes = IngestOutcome.values();
      Counter[] counters = new Counter[outcomes.length];
      for (IngestOutcome o : outcomes) {
        counters[o.ordinal()] = Counter.builder("hookline.requests")
            .description("Webhook requests by source and outcome")
            .tag("source", source).tag("outcome", o.label()).register(registry);
      }
      requests.put(source, counters);
    }
    for (String scheme : new java.util.TreeSet<>(providerBySource.values())) {
      verifyTimers.put(scheme, Timer.builder("hookline.verify")
          .description("Signature verification time by scheme")
          .tag("scheme", scheme).register(registry));
    }
    this.ingest = Timer.builder("hookline.ingest")
        .description("Request received to response sent")
        .register(registry);
    this.dedupRoundTrip = Timer.builder("hookline.dedup.redis")
        .description("Redis SET NX round trip")
        .register(registry);
    this.redisUnavailable = Counter.builder("hookline.dedup.redis.unavailable")
        .description("Requests whose Redis dedup check failed or timed out; PostgreSQL's unique key decided instead")
        .register(registry);
    this.batchSize = DistributionSummary.builder("hookline.store.batch.size")
        .description("Events per group commit")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024).register(registry);
    this.commit = Timer.builder("hookline.store.commit")
        .description("Group commit latency")
        .register(registry);
    this.handoff = Timer.builder("hookline.handoff.lag")
        .description("Commit to event-bus hand-off")
        .register(registry);
    FunctionCounter.builder("hookline.log.lines.dropped", this, m -> NonBlockingAppender.dropped())
        .description("Log lines dropped because the log queue was full (an event loop never waits for a log write)")
        .register(registry);
    Gauge.builder("hookline.redis.up", this, m -> m.redisUp)
        .description("1 if Redis answered the last dedup call or readiness ping, 0 if it failed (ingest carries on"
            + " with PostgreSQL's unique key; the node stays ready)")
        .register(registry);
    Gauge.builder("hookline.store.queue.depth", this, MicrometerIngestMetrics::storeQueued)
        .description("Events waiting for a group commit, summed over the ingest verticles (sampled every "
            + SAMPLE_MS + " ms)")
        .register(registry);
  }

  /**
   * Samples a group-commit queue on its own event loop (the writer is confined to it), so the
   * gauge reads a volatile and never races the writer. Call from the owning verticle's start.
   */
  @Override
  public QueueProbe storeQueue(Vertx vertx, IntSupplier queued) {
    SampledQueue probe = new SampledQueue(vertx, queued);
    storeQueues.add(probe);
    return probe;
  }

  /** The total sampled store queue depth of this node. */
  public int storeQueued() {
    int sum = 0;
    for (SampledQueue p : storeQueues) {
      sum += p.depth;
    }
    return sum;
  }

  /** One verticle's sampled queue depth; {@link #close} when the verticle stops. */
  private final class SampledQueue implements QueueProbe {
    private final Vertx vertx;
    private final long timer;
    private volatile int depth;

    private SampledQueue(Vertx vertx, IntSupplier queued) {
      this.vertx = vertx;
      this.timer = vertx.setPeriodic(SAMPLE_MS, t -> depth = queued.getAsInt());
    }

    @Override
    public void close() {
      vertx.cancelTimer(timer);
      depth = 0;
      storeQueues.remove(this);
    }
  }

  private static List<String> concat(List<String> list, String extra) {
    java.util.ArrayList<String> out = new java.util.ArrayList<>(list);
    out.add(extra);
    return out;
  }

  @Override
  public void request(String sourceId, IngestOutcome outcome, long startNanos) {
    Counter[] counters = requests.get(sourceId);
    if (counters == null) {
      counters = requests.get(UNKNOWN_SOURCE_LABEL);
    }
    counters[outcome.ordinal()].increment();
    long nanos = System.nanoTime() - startNanos;
    ingest.record(nanos, TimeUnit.NANOSECONDS);
    if (traffic != null) {
      String source = counters == requests.get(UNKNOWN_SOURCE_LABEL) ? UNKNOWN_SOURCE_LABEL : sourceId;
      switch (outcome) {
        case ACCEPTED -> traffic.accepted(source, nanos);
        case DUPLICATE -> traffic.duplicate(source, nanos);
        case HANDSHAKE, CLIENT_ABORTED -> { } // neither an ack nor a refusal
        default -> traffic.refused(source, outcome.label());
      }
    }
  }

  @Override
  public void verified(String scheme, long nanos) {
    Timer t = verifyTimers.get(scheme);
    if (t != null) {
      t.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void dedupRoundTrip(long nanos) {
    dedupRoundTrip.record(nanos, TimeUnit.NANOSECONDS);
    if (redisUp != 1) { // a read, not a write, per request: event loops do not bounce the cache line
      redisUp = 1;
    }
  }

  @Override
  public void redisUnavailable() {
    redisUnavailable.increment();
    if (redisUp != 0) {
      redisUp = 0;
    }
  }

  @Override
  public void redisPinged(boolean up) {
    redisUp = up ? 1 : 0;
  }

  @Override
  public void batch(int size, long commitNanos) {
    batchSize.record(size);
    commit.record(commitNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void handoff(long nanos) {
    handoff.record(nanos, TimeUnit.NANOSECONDS);
  }
}
