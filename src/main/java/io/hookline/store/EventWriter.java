package io.hookline.store;

import io.hookline.config.HooklineConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Group commit of events, confined to one event loop ({@link GroupCommitter}). Each batch is ONE
 * statement over arrays ({@code unnest}): the dedup keys, then the events whose key was new, then their
 * deliveries and those deliveries' rows in {@code delivery_queue}; {@code ON CONFLICT DO NOTHING} on
 * {@code event_keys} resolves duplicates row by row (across partitions, and for the source's
 * {@code dedupTtl} even after retention removed the first copy), and a
 * duplicate is answered with the first copy's id. A request's future completes only after its batch committed. If
 * PostgreSQL refuses a value of one event, the batch is retried one event per statement, so only
 * that event fails.
 */
public final class EventWriter {
  private static final Comparator<NewEvent> LOCK_ORDER =
      Comparator.comparing(NewEvent::sourceId).thenComparing(NewEvent::providerEventId);

  private final Pool pool;
  private final StoreMetrics metrics;
  private final String insertSql;
  private final String existingSql;
  private final GroupCommitter<NewEvent, StoreResult> committer;
  private final Map<String, Long> dedupTtlMillis = new HashMap<>();
  private final long longestDedupTtlMillis;

  /** {@code dedupTtls}: each source's {@code dedupTtl}, how long its keys are kept (a source not named gets the longest). */
  public EventWriter(Pool pool, String schema, HooklineConfig.Store cfg, Map<String, Duration> dedupTtls,
                     StoreMetrics metrics) {
    this.pool = pool;
    this.metrics = metrics;
    dedupTtls.forEach((source, ttl) -> dedupTtlMillis.put(source, ttl.toMillis()));
    this.longestDedupTtlMillis = dedupTtlMillis.values().stream().mapToLong(Long::longValue).max().orElse(0);
    // Data-modifying CTEs always run: a delivery row exists iff its event row was inserted here.
    // A handed-off delivery is inserted with attempt 1 claimed, due again only when its lease expires.
    // Headers arrive as text and are cast once by PostgreSQL (a String bound to jsonb would be a JSON string).
    // A unique key on a partitioned table must contain the partition key: (source, provider id) is unique in event_keys.
    this.insertSql = "WITH k AS (INSERT INTO " + schema + ".event_keys (source_id, provider_event_id, event_id, expires_at) "
        + "SELECT k.source_id, k.provider_event_id, k.id, k.received_at + k.ttl_ms * interval '1 millisecond' "
        + "FROM unnest($1::uuid[], $2::text[], $3::text[], $5::timestamptz[], $15::bigint[]) "
        + "AS k(id, source_id, provider_event_id, received_at, ttl_ms) "
        + "ON CONFLICT (source_id, provider_event_id) DO NOTHING RETURNING event_id), "
        + "e AS (INSERT INTO " + schema + ".events "
        + "(id, source_id, provider_event_id, event_type, received_at, content_type, headers, body, traceparent) "
        + "SELECT i.id, i.source_id, i.provider_event_id, i.event_type, i.received_at, i.content_type, i.headers::jsonb, i.body, i.traceparent "
        + "FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::bytea[], $14::text[]) "
        + "AS i(id, source_id, provider_event_id, event_type, received_at, content_type, headers, body, traceparent) "
        + "JOIN k ON k.event_id = i.id RETURNING id), "
        + "d AS (INSERT INTO " + schema + ".deliveries "
        + "(event_id, source_id, destination_id, next_attempt_at, attempts, lease_owner, lease_until) "
        + "SELECT x.event_id, x.source_id, x.destination_id, "
        + "now() + coalesce(x.lease_ms, 0) * interval '1 millisecond', CASE WHEN x.lease_owner IS NULL THEN 0 ELSE 1 END, "
        + "x.lease_owner, now() + x.lease_ms * interval '1 millisecond' "
        + "FROM unnest($9::uuid[], $10::text[], $11::text[], $12::text[], $13::bigint[]) "
        + "AS x(event_id, source_id, destination_id, lease_owner, lease_ms) JOIN e ON e.id = x.event_id "
        + "RETURNING event_id, destination_id, source_id, next_attempt_at), "
        + "q AS (INSERT INTO " + schema + ".delivery_queue (event_id, destination_id, source_id, next_attempt_at) "
        + "SELECT event_id, destination_id, source_id, next_attempt_at FROM d) "
        + "SELECT id FROM e";
    this.existingSql = "SELECT provider_event_id, event_id FROM " + schema + ".event_keys "
        + "WHERE source_id = $1 AND provider_event_id = ANY($2::text[])";
    this.committer = new GroupCommitter<>(GroupCommitter.Limits.of(cfg), LOCK_ORDER, this::commit,
        () -> new StoreUnavailableException("store queue full", null),
        err -> err instanceof StoreUnavailableException s ? s
            : new StoreUnavailableException("could not commit to PostgreSQL: " + err.getMessage(), err));
  }

  public int queued() {
    return committer.queued();
  }

  public Future<StoreResult> write(NewEvent event) {
    return committer.submit(event);
  }

  private Future<Void> commit(List<GroupCommitter.Item<NewEvent, StoreResult>> batch) {
    long start = System.nanoTime();
    return pool.preparedQuery(insertSql).execute(arrays(batch))
        .compose(rows -> {
          Set<UUID> inserted = new HashSet<>(rows.size() * 2);
          for (Row r : rows) {
            inserted.add(r.getUUID(0));
          }
          metrics.batch(batch.size(), System.nanoTime() - start);
          return resolve(batch, inserted);
        }, err -> {
          if (batch.size() > 1 && refusedValue(err)) {
            // One event carries a value PostgreSQL cannot store: find it, commit the others.
            List<Future<Void>> singles = new ArrayList<>(batch.size());
            for (GroupCommitter.Item<NewEvent, StoreResult> item : batch) {
              singles.add(commit(List.of(item)).recover(e -> {
                item.promise().tryFail(new StoreUnavailableException("PostgreSQL refused the event: " + e.getMessage(), e));
                return Future.succeededFuture();
              }));
            }
            return Future.join(singles).mapEmpty();
          }
          return Future.failedFuture(err);
        });
  }

  /** SQLSTATE class 22 (data exception: bad encoding, NUL byte, invalid JSON...) is the event's, not the batch's. */
  private static boolean refusedValue(Throwable err) {
    return err instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("22");
  }

  private Tuple arrays(List<GroupCommitter.Item<NewEvent, StoreResult>> batch) {
    int n = batch.size();
    UUID[] ids = new UUID[n];
    String[] sources = new String[n];
    String[] providerIds = new String[n];
    String[] types = new String[n];
    OffsetDateTime[] receivedAt = new OffsetDateTime[n];
    String[] contentTypes = new String[n];
    String[] headers = new String[n];
    Buffer[] bodies = new Buffer[n];
    String[] traceparents = new String[n];
    Long[] ttlMs = new Long[n];
    int deliveries = 0;
    for (GroupCommitter.Item<NewEvent, StoreResult> item : batch) {
      deliveries += item.value().destinationIds().length;
    }
    UUID[] dEvents = new UUID[deliveries];
    String[] dSources = new String[deliveries];
    String[] dDestinations = new String[deliveries];
    String[] dOwners = new String[deliveries];
    Long[] dLeaseMs = new Long[deliveries];
    int j = 0;
    for (int i = 0; i < n; i++) {
      NewEvent e = batch.get(i).value();
      ids[i] = e.id();
      sources[i] = e.sourceId();
      providerIds[i] = e.providerEventId();
      types[i] = e.eventType();
      receivedAt[i] = e.receivedAt();
      contentTypes[i] = e.contentType();
      headers[i] = e.headersJson();
      bodies[i] = e.body();
      traceparents[i] = e.traceparent();
      ttlMs[i] = dedupTtlMillis.getOrDefault(e.sourceId(), longestDedupTtlMillis);
      String[] destinations = e.destinationIds();
      for (int k = 0; k < destinations.length; k++, j++) {
        dEvents[j] = e.id();
        dSources[j] = e.sourceId();
        dDestinations[j] = destinations[k];
        if (e.leaseOwner() != null) {
          dOwners[j] = e.leaseOwner();
          dLeaseMs[j] = e.leaseMillis()[k];
        }
      }
    }
    return Tuple.of(ids, sources, providerIds, types, receivedAt, contentTypes, headers, bodies)
        .addArrayOfUUID(dEvents).addArrayOfString(dSources).addArrayOfString(dDestinations)
        .addArrayOfString(dOwners).addArrayOfLong(dLeaseMs).addArrayOfString(traceparents).addArrayOfLong(ttlMs);
  }

  /** Completes inserted requests; conflicting ones (duplicates) get the first copy's id. */
  private Future<Void> resolve(List<GroupCommitter.Item<NewEvent, StoreResult>> batch, Set<UUID> inserted) {
    Map<String, List<GroupCommitter.Item<NewEvent, StoreResult>>> conflictsBySource = new HashMap<>();
    for (GroupCommitter.Item<NewEvent, StoreResult> item : batch) {
      NewEvent e = item.value();
      if (inserted.contains(e.id())) {
        item.promise().tryComplete(new StoreResult(e.id(), false));
      } else {
        conflictsBySource.computeIfAbsent(e.sourceId(), k -> new ArrayList<>()).add(item);
      }
    }
    if (conflictsBySource.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<Void>> lookups = new ArrayList<>();
    for (Map.Entry<String, List<GroupCommitter.Item<NewEvent, StoreResult>>> e : conflictsBySource.entrySet()) {
      String[] ids = e.getValue().stream().map(i -> i.value().providerEventId()).toArray(String[]::new);
      lookups.add(pool.preparedQuery(existingSql).execute(Tuple.of(e.getKey(), (Object) ids)).map(rows -> {
        Map<String, UUID> existing = new HashMap<>();
        for (Row r : rows) {
          existing.put(r.getString(0), r.getUUID(1));
        }
        for (GroupCommitter.Item<NewEvent, StoreResult> item : e.getValue()) {
          UUID id = existing.get(item.value().providerEventId());
          if (id != null) {
            item.promise().tryComplete(new StoreResult(id, true));
          } else {
            item.promise().tryFail(new StoreUnavailableException("conflicting event vanished", null));
          }
        }
        return null;
      }));
    }
    return Future.all(lookups).mapEmpty();
  }
}
