package io.hookline.overview;

import io.hookline.config.HooklineConfig;
import io.hookline.store.PreparedPlans;
import io.hookline.store.TrafficStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the {@link TrafficRecorder}'s per-minute tallies every {@link #FLUSH_MS} (each write
 * overwrites the minute's row for this node with its running totals, so a write that fails is simply
 * made again), and every {@link #FOLD_MS} folds finished hours into {@code traffic_hours} and drops old
 * rows ({@link TrafficStore#fold}). A minute older than {@link #WRITE_WINDOW_MINUTES} is never written:
 * its hour may already be folded, and a late write there would not be counted (or be counted twice).
 */
public final class TrafficVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TrafficVerticle.class);
  static final long FLUSH_MS = 5_000;
  static final long FOLD_MS = 300_000;
  /** Half of {@link TrafficStore#FOLD_LAG}: the other half is room for clock skew between node and PostgreSQL. */
  static final long WRITE_WINDOW_MINUTES = TrafficStore.FOLD_LAG.toMinutes() / 2;

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
    // At start too: a node upgraded from before migration 13 folds the minutes it already has.
    vertx.setPeriodic(1, FOLD_MS, t -> fold());
    return Future.succeededFuture();
  }

  private void fold() {
    store.fold(TrafficStore.MINUTES_KEPT, TrafficStore.HOURS_KEPT)
        .onFailure(err -> LOG.warn("overview: minutes could not be folded into hours (tried again in {} s): {}",
            FOLD_MS / 1000, err.toString()));
  }

  /** Writes every minute held; forgets those two or more minutes old once written. */
  Future<Void> flush() {
    if (writing) {
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis() / 60_000;
    int before = recorder.size();
    recorder.forgetBefore(now - WRITE_WINDOW_MINUTES);
    if (recorder.size() < before) {
      LOG.warn("overview: tallies of {} minute(s) older than {} min were never written (PostgreSQL unreachable); dropped",
          before - recorder.size(), WRITE_WINDOW_MINUTES);
    }
    List<TrafficStore.MinuteTally> tallies = recorder.snapshot();
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
