package io.hookline.retention;

import io.hookline.config.HooklineConfig;
import io.hookline.store.RetentionStore;
import io.hookline.store.RetentionStore.Batch;
import io.hookline.store.RetentionStore.Position;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes events past {@code retention} whose deliveries are all finished: every
 * {@code intervalMs} a pass deletes batches of {@code batchSize} events (one transaction each)
 * until none is left, one node at a time (advisory lock). Fully asynchronous; progress in
 * {@code hookline_retention_deleted_total}.
 */
public final class RetentionVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionVerticle.class);
  public static final long DEFAULT_INTERVAL_MS = Long.getLong("hookline.retention.intervalMs", 60_000);
  public static final int DEFAULT_BATCH = Integer.getInteger("hookline.retention.batch", 500);

  private final HooklineConfig config;
  private final MeterRegistry registry;
  private final long intervalMs;
  private final int batchSize;
  private Pool pool;
  private RetentionStore store;
  private Counter deleted;
  private Counter passes;
  private boolean running;
  private boolean stopping;

  public RetentionVerticle(HooklineConfig config, MeterRegistry registry, long intervalMs, int batchSize) {
    this.config = config;
    this.registry = registry;
    this.intervalMs = intervalMs;
    this.batchSize = batchSize;
  }

  @Override
  public Future<?> start() {
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1).setName("hookline-retention"))
        .connectingTo(PgConnectOptions.fromUri(config.postgres().url())).using(vertx).build();
    store = new RetentionStore(pool, config.postgres().schema());
    deleted = Counter.builder("hookline.retention.deleted")
        .description("Events deleted by retention (with their deliveries and attempts), by this node")
        .register(registry);
    passes = Counter.builder("hookline.retention.passes")
        .description("Retention passes run by this node (a pass ends when nothing more is due)").register(registry);
    vertx.setPeriodic(Math.min(intervalMs, 1000), intervalMs, id -> pass());
    return Future.succeededFuture();
  }

  private void pass() {
    if (running || stopping) {
      return;
    }
    running = true;
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    HooklineConfig.Retention r = config.retention();
    batch(now.minus(r.delivered()), now.minus(r.dead()), Position.START, 0);
  }

  private void batch(OffsetDateTime deliveredBefore, OffsetDateTime deadBefore, Position after, long total) {
    if (stopping) {
      running = false;
      return;
    }
    store.deleteBatch(deliveredBefore, deadBefore, after, batchSize).onComplete(ar -> {
      if (ar.failed()) {
        running = false;
        LOG.warn("retention batch failed (tried again next pass): {}", ar.cause().toString());
        return;
      }
      Batch b = ar.result();
      deleted.increment(b.deleted());
      if (b.locked() && b.examined() > 0) {
        batch(deliveredBefore, deadBefore, b.last(), total + b.deleted());
        return;
      }
      running = false;
      passes.increment();
      if (total > 0) {
        LOG.info("retention: deleted {} finished events received before {} (delivered) / {} (dead)", total,
            deliveredBefore, deadBefore);
      }
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
