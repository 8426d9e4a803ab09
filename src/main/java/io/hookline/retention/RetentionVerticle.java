package io.hookline.retention;

import io.hookline.config.HooklineConfig;
import io.hookline.store.PartitionStore;
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
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage over time, every {@code intervalMs}, one node at a time (advisory locks): creates the
 * partitions of the coming {@code storage.partition} spans, drops the partitions past
 * {@code retention.delivered} (keeping the events that must outlive them), then deletes row by row what
 * partitions cannot take: finished events of the default partition past {@code retention}, in batches
 * of {@code batchSize} (one transaction each), and expired dedup keys. Fully asynchronous; progress in
 * {@code hookline_retention_deleted_total} and {@code hookline_retention_partitions_dropped_total}.
 */
public final class RetentionVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionVerticle.class);

  private final HooklineConfig config;
  private final MeterRegistry registry;
  private final long intervalMs;
  private final int batchSize;
  private Pool pool;
  private RetentionStore store;
  private PartitionStore partitions;
  private Counter partitionsDropped;
  private Counter keysDeleted;
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
    partitions = new PartitionStore(pool, config.postgres().schema());
    partitionsDropped = Counter.builder("hookline.retention.partitions.dropped")
        .description("Expired time partitions (events, deliveries, attempts) dropped by this node").register(registry);
    keysDeleted = Counter.builder("hookline.retention.keys.deleted")
        .description("Dedup keys deleted by this node once past their source's dedupTtl").register(registry);
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
    OffsetDateTime deliveredBefore = now.minus(r.delivered());
    OffsetDateTime deadBefore = now.minus(r.dead());
    partitions.ensure(config.storage().partition(), ahead(config))
        .compose(created -> partitions.dropExpired(deliveredBefore, deadBefore))
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("retention: partition upkeep failed (tried again next pass): {}", ar.cause().toString());
          } else if (!ar.result().isEmpty()) {
            partitionsDropped.increment(ar.result().size());
            LOG.info("retention: dropped partitions {}", ar.result());
          }
          batch(deliveredBefore, deadBefore, Position.START, 0);
        });
  }

  /** How far ahead partitions exist: two spans, and at least three passes (a node may miss one). */
  public static Duration ahead(HooklineConfig config) {
    Duration twoSpans = config.storage().partition().multipliedBy(2);
    Duration threePasses = config.retention().interval().multipliedBy(3);
    return twoSpans.compareTo(threePasses) >= 0 ? twoSpans : threePasses;
  }

  private void expiredKeys() {
    store.deleteExpiredKeys(batchSize).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("retention: deleting expired dedup keys failed (tried again next pass): {}", ar.cause().toString());
      } else if (ar.result() > 0) {
        keysDeleted.increment(ar.result());
        if (!stopping) {
          expiredKeys();
          return;
        }
      }
      running = false;
      passes.increment();
    });
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
      expiredKeys();
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
