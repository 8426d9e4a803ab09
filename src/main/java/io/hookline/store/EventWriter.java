package io.hookline.store;

import io.hookline.config.HooklineConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Group commit, confined to one event loop. Requests queue while up to {@code maxBatchesInFlight}
 * batches are being committed; each batch is one pipelined {@code executeBatch} (one implicit
 * transaction) that inserts events and their pending deliveries together. A request's future
 * completes only after its batch committed. The queue is bounded: beyond it, callers get
 * {@link StoreUnavailableException} and answer 503.
 */
public final class EventWriter {
  private static final Comparator<Pending> LOCK_ORDER =
      Comparator.comparing((Pending p) -> p.event.sourceId()).thenComparing(p -> p.event.providerEventId());

  private final Pool pool;
  private final HooklineConfig.Store cfg;
  private final StoreMetrics metrics;
  private final String insertSql;
  private final String existingSql;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final long commitTimeoutMs;
  private int inFlight;

  private record Pending(NewEvent event, Promise<StoreResult> promise) {}

  public EventWriter(Pool pool, String schema, HooklineConfig.Store cfg, StoreMetrics metrics) {
    this.pool = pool;
    this.cfg = cfg;
    this.metrics = metrics;
    this.commitTimeoutMs = cfg.commitTimeout().toMillis();
    // Data-modifying CTEs always run: the deliveries rows exist iff the event row was inserted.
    // $7 is text cast by PostgreSQL: a String bound to a jsonb parameter would be stored as a JSON string.
    this.insertSql = "WITH e AS (INSERT INTO " + schema + ".events "
        + "(id, source_id, provider_event_id, event_type, received_at, content_type, headers, body) "
        + "VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8) "
        + "ON CONFLICT (source_id, provider_event_id) DO NOTHING RETURNING id), "
        + "d AS (INSERT INTO " + schema + ".deliveries (event_id, source_id, destination_id, next_attempt_at) "
        + "SELECT e.id, $2, x, $5 FROM e, unnest($9::text[]) AS x) "
        + "SELECT id FROM e";
    this.existingSql = "SELECT provider_event_id, id FROM " + schema + ".events "
        + "WHERE source_id = $1 AND provider_event_id = ANY($2::text[])";
  }

  public int queued() {
    return queue.size();
  }

  public Future<StoreResult> write(NewEvent event) {
    if (queue.size() >= cfg.queueCapacity()) {
      return Future.failedFuture(new StoreUnavailableException("store queue full", null));
    }
    Promise<StoreResult> promise = Promise.promise();
    queue.add(new Pending(event, promise));
    flush();
    return promise.future();
  }

  private void flush() {
    while (inFlight < cfg.maxBatchesInFlight() && !queue.isEmpty()) {
      int n = Math.min(queue.size(), cfg.maxBatch());
      List<Pending> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(queue.poll());
      }
      // One global order of unique-key locks across concurrent batches, so they cannot deadlock.
      batch.sort(LOCK_ORDER);
      inFlight++;
      commit(batch);
    }
  }

  private void commit(List<Pending> batch) {
    List<Tuple> tuples = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      NewEvent e = p.event;
      tuples.add(Tuple.of(e.id(), e.sourceId(), e.providerEventId(), e.eventType(), e.receivedAt(),
          e.contentType(), e.headersJson(), e.body(), e.destinationIds()));
    }
    long start = System.nanoTime();
    pool.preparedQuery(insertSql).executeBatch(tuples)
        .timeout(commitTimeoutMs, TimeUnit.MILLISECONDS)
        .compose(rows -> resolve(batch, rows))
        .onComplete(ar -> {
          inFlight--;
          if (ar.succeeded()) {
            metrics.batch(batch.size(), System.nanoTime() - start);
          } else {
            StoreUnavailableException err = new StoreUnavailableException(
                "could not commit to PostgreSQL: " + ar.cause().getMessage(), ar.cause());
            for (Pending p : batch) {
              p.promise.tryFail(err);
            }
          }
          flush();
        });
  }

  /** Completes inserted requests; conflicting ones (duplicates) get the first copy's id. */
  private Future<Void> resolve(List<Pending> batch, RowSet<Row> first) {
    RowSet<Row> rs = first;
    Map<String, List<Pending>> conflictsBySource = new HashMap<>();
    for (Pending p : batch) {
      if (rs != null && rs.size() > 0) {
        UUID id = rs.iterator().next().getUUID(0);
        p.promise.complete(new StoreResult(id, false));
      } else {
        conflictsBySource.computeIfAbsent(p.event.sourceId(), k -> new ArrayList<>()).add(p);
      }
      rs = rs == null ? null : rs.next();
    }
    if (conflictsBySource.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<Void>> lookups = new ArrayList<>();
    for (Map.Entry<String, List<Pending>> e : conflictsBySource.entrySet()) {
      String[] ids = e.getValue().stream().map(p -> p.event.providerEventId()).toArray(String[]::new);
      lookups.add(pool.preparedQuery(existingSql).execute(Tuple.of(e.getKey(), (Object) ids)).map(rows -> {
        Map<String, UUID> existing = new HashMap<>();
        for (Row r : rows) {
          existing.put(r.getString(0), r.getUUID(1));
        }
        for (Pending p : e.getValue()) {
          UUID id = existing.get(p.event.providerEventId());
          if (id != null) {
            p.promise.complete(new StoreResult(id, true));
          } else {
            p.promise.fail(new StoreUnavailableException("conflicting event vanished", null));
          }
        }
        return null;
      }));
    }
    return Future.all(lookups).mapEmpty();
  }
}
