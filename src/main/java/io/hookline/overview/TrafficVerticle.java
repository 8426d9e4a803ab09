package io.hookline.overview;

import io.hookline.config.HooklineConfig;
import io.hookline.store.PreparedPlans;
import io.hookline.store.TrafficStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the {@link TrafficRecorder}'s per-minute tallies every {@link #FLUSH_MS} (each write
 * overwrites the minute's row for this node with its running totals, so a write that fails is simply
 * made again) and drops rows older than {@link #KEEP}.
 */
public final class TrafficVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TrafficVerticle.class);
  static final long FLUSH_MS = 5_000;
  /** How far back the overview reaches. */
  public static final Duration KEEP = Duration.ofDays(35);
  private static final long PRUNE_MS = 3_600_000;

  private final HooklineConfig config;
  private final TrafficRecorder recorder;
  private final long flushMs;
  private Pool pool;
  private TrafficStore store;
  private boolean writing;

  public TrafficVerticle(HooklineConfig config, TrafficRecorder recorder) {
    this(config, recorder, FLUSH_MS);
  }

  public TrafficVerticle(HooklineConfig config, TrafficRecorder recorder, long flushMs) {
    this.config = config;
    this.recorder = recorder;
    this.flushMs = flushMs;
  }

  @Override
  public Future<?> start() {
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1).setName("hookline-traffic"))
        .connectingTo(PreparedPlans.connectOptions(config.postgres().url())).using(vertx).build();
    store = new TrafficStore(pool, config.postgres().schema());
    vertx.setPeriodic(flushMs, t -> flush());
    vertx.setPeriodic(PRUNE_MS, t -> store.deleteBefore(OffsetDateTime.now(ZoneOffset.UTC).minus(KEEP))
        .onFailure(err -> LOG.warn("overview: old minutes could not be deleted: {}", err.toString())));
    return Future.succeededFuture();
  }

  /** Writes every minute held; forgets those two or more minutes old once written. */
  Future<Void> flush() {
    if (writing) {
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis() / 60_000;
    List<io.hookline.store.TrafficStore.MinuteTally> tallies = recorder.snapshot();
    if (tallies.isEmpty()) {
      return Future.succeededFuture();
    }
    writing = true;
    return store.write(recorder.nodeId(), tallies).andThen(ar -> {
      writing = false;
      if (ar.succeeded()) {
        recorder.forgetBefore(now - 1);
      } else {
        LOG.warn("overview: traffic tallies could not be written (kept for the next try): {}", ar.cause().toString());
      }
    });
  }

  @Override
  public Future<?> stop() {
    if (pool == null) {
      return Future.succeededFuture();
    }
    writing = false;
    return flush().recover(e -> Future.succeededFuture()).eventually(() -> pool.close());
  }
}
