package io.hookline.requests;

import io.hookline.config.HooklineConfig;
import io.hookline.store.PreparedPlans;
import io.hookline.store.RequestLogStore;
import io.hookline.store.RequestLogStore.RefusedRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the {@link RequestLog}'s buffer to PostgreSQL off the ingest event loops: one batch (one
 * transaction) at a time, every {@link #FLUSH_MS}; a failed batch is dropped and counted, never
 * retried into an unbounded backlog. Keeps day partitions made ahead (today and the next two) and
 * drops those past {@code management.requestLog.retention}, at start and hourly.
 */
public final class RequestLogVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RequestLogVerticle.class);
  static final long FLUSH_MS = 250;
  static final int BATCH = 256;
  private static final long MAINTAIN_MS = 3_600_000;
  private static final int DAYS_AHEAD = 3;

  private final HooklineConfig config;
  private final RequestLog log;
  private Pool pool;
  private RequestLogStore store;
  private boolean writing;
  private long lastFailureLogged;

  public RequestLogVerticle(HooklineConfig config, RequestLog log) {
    this.config = config;
    this.log = log;
  }

  @Override
  public Future<?> start() {
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1).setName("hookline-request-log"))
        .connectingTo(PreparedPlans.connectOptions(config.postgres().url())).using(vertx).build();
    store = new RequestLogStore(pool, config.postgres().schema());
    return maintain().onSuccess(v -> {
      vertx.setPeriodic(FLUSH_MS, t -> flush());
      vertx.setPeriodic(MAINTAIN_MS, t -> maintain());
    });
  }

  private Future<Void> maintain() {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return store.ensurePartitions(LocalDate.now(ZoneOffset.UTC), DAYS_AHEAD)
        .compose(v -> store.dropPartitionsBefore(now.minus(config.management().requestLog().retention())))
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("requests log: dropped {} day partition(s) older than {}", n, config.management().requestLog().retention());
          }
        })
        .onFailure(err -> LOG.warn("requests log partition upkeep failed: {}", err.toString()))
        .mapEmpty();
  }

  /** One batch in flight at most, so a slow database costs buffer space (bounded), not connections. */
  private void flush() {
    if (writing) {
      return;
    }
    List<RefusedRequest> batch = log.drain(BATCH);
    if (batch.isEmpty()) {
      return;
    }
    writing = true;
    store.insert(batch).onComplete(ar -> {
      writing = false;
      if (ar.failed()) {
        long now = System.currentTimeMillis();
        if (now - lastFailureLogged > 60_000) {
          lastFailureLogged = now;
          LOG.warn("requests log: a batch of {} refused requests could not be written and was dropped: {}",
              batch.size(), ar.cause().toString());
        }
      } else if (log.buffered() >= BATCH) {
        flush();
      }
    });
  }

  @Override
  public Future<?> stop() {
    List<RefusedRequest> rest = log.drain(Integer.MAX_VALUE);
    Future<Void> last = rest.isEmpty() || pool == null ? Future.succeededFuture() : store.insert(rest).recover(e -> Future.succeededFuture());
    return last.eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
