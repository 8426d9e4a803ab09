package io.hookline.requests;

import io.hookline.config.HooklineConfig;
import io.hookline.store.PreparedPlans;
import io.hookline.store.RequestLogStore;
import io.hookline.store.RequestLogStore.RefusedRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the {@link RequestLog}'s buffer to PostgreSQL off the ingest event loops: one batch (one
 * transaction) at a time, every {@link #FLUSH_MS}; a failed batch is dropped and counted, never
 * retried into an unbounded backlog. Keeps day partitions made ahead (today and the next two) and
 * drops those past {@code management.requestLog.retention}, at start and hourly. Masked credential
 * values are fingerprinted ({@link CredentialFingerprints}, milliseconds each) here, on one worker
 * thread of its own, before the batch is written.
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
  private WorkerExecutor fingerprinter;
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
    // One thread of its own: fingerprints (ms of CPU each) never run on an event loop, never take more than
    // one core even when a flood fills every budget, and do not queue behind (or delay) other blocking work.
    fingerprinter = vertx.createSharedWorkerExecutor("hookline-request-log-fingerprints", 1);
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
    List<RequestLog.Pending> batch = log.drain(BATCH);
    if (batch.isEmpty()) {
      return;
    }
    writing = true;
    fingerprinted(batch).compose(store::insert).onComplete(ar -> {
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

  /** The batch's rows, each with its masked credential values fingerprinted (on the fingerprinting thread if any). */
  private Future<List<RefusedRequest>> fingerprinted(List<RequestLog.Pending> batch) {
    if (batch.stream().allMatch(p -> p.masked().isEmpty())) {
      return Future.succeededFuture(batch.stream().map(RequestLog.Pending::request).toList());
    }
    return fingerprinter.executeBlocking(() -> {
      List<RefusedRequest> rows = new ArrayList<>(batch.size());
      for (RequestLog.Pending p : batch) {
        rows.add(p.masked().isEmpty() ? p.request() : p.request().withFingerprints(CredentialFingerprints.of(p.masked())));
      }
      return rows;
    }, false);
  }

  @Override
  public Future<?> stop() {
    List<RequestLog.Pending> rest = log.drain(Integer.MAX_VALUE);
    Future<Void> last = rest.isEmpty() || pool == null ? Future.succeededFuture()
        : fingerprinted(rest).compose(store::insert).recover(e -> Future.succeededFuture());
    return last.eventually(() -> pool == null ? Future.succeededFuture() : pool.close())
        .eventually(() -> fingerprinter == null ? Future.succeededFuture() : fingerprinter.close());
  }
}
