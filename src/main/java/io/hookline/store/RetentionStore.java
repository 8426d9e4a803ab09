package io.hookline.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Row by row, what whole partitions cannot take ({@link PartitionStore} drops those): events in the
 * default partition (rows of an earlier release, ids no partition covered, events kept when their partition was dropped)
 * and expired dedup keys. Deletes old finished events with their deliveries and attempts, one small batch per
 * transaction, under a transaction-scoped advisory lock so only one node deletes at a time.
 * An event with a pending delivery is never deleted: candidates are chosen without one, then their
 * deliveries are locked and read again (a replay may have made one pending meanwhile; such an
 * event is left alone), and only then is anything deleted. No foreign key is relied on.
 */
public final class RetentionStore {
  /** Where a retention pass stands: the last event examined, in (received_at, id) order. */
  public record Position(OffsetDateTime receivedAt, UUID id) {
    public static final Position START = new Position(OffsetDateTime.parse("1970-01-01T00:00:00Z"), new UUID(0, 0));
  }

  /**
   * {@code locked}: false when another node holds the retention lock (nothing was done).
   * {@code examined}: candidates chosen (0: nothing more is due after {@code last}).
   */
  public record Batch(boolean locked, int examined, int deleted, Position last) {}

  private final Pool pool;
  private final String lockSql;
  private final String candidatesSql;
  private final String pendingSql;
  private final String deleteSql;
  private final String expiredKeysSql;

  public RetentionStore(Pool pool, String schema) {
    this.pool = pool;
    this.lockSql = "SELECT pg_try_advisory_xact_lock(hashtext('hookline.retention.' || current_database() || '."
        + schema + "'))";
    // $1 delivered cutoff, $2 dead cutoff, $3 the later of both, $4/$5 position, $6 batch size.
    this.candidatesSql = "SELECT e.id, e.received_at FROM " + schema + ".events_default e"
        + " WHERE e.received_at < $3 AND (e.received_at, e.id) > ($4, $5)"
        + "   AND NOT EXISTS (SELECT 1 FROM " + schema + ".deliveries p WHERE p.event_id = e.id AND p.status = " + DeliveryStatus.PENDING.sql() + ")"
        + "   AND (CASE WHEN EXISTS (SELECT 1 FROM " + schema + ".deliveries x WHERE x.event_id = e.id AND x.status = " + DeliveryStatus.DEAD.sql() + ")"
        + "        THEN e.received_at < $2 ELSE e.received_at < $1 END)"
        + " ORDER BY e.received_at, e.id LIMIT $6 FOR UPDATE OF e SKIP LOCKED";
    // Locks the candidates' deliveries and reads their current status (the latest committed one).
    this.pendingSql = "SELECT event_id, status FROM " + schema + ".deliveries WHERE event_id = ANY($1::uuid[]) FOR UPDATE";
    this.deleteSql = "WITH attempts AS (DELETE FROM " + schema + ".delivery_attempts WHERE event_id = ANY($1::uuid[])), "
        + "deliveries AS (DELETE FROM " + schema + ".deliveries WHERE event_id = ANY($1::uuid[])) "
        + "DELETE FROM " + schema + ".events WHERE id = ANY($1::uuid[])";
    // By the locked rows' ctids: a TID scan of the batch. The former `(source_id, provider_event_id) IN (...)` was
    // planned as a hash semi join over a sequential scan of the whole table (35 ms per 1,000 keys at 270,000 keys,
    // against 0.85 ms; EXPLAIN ANALYZE, docs/storage.md), and the table holds rate x dedupTtl keys.
    this.expiredKeysSql = expiredKeysSql(schema);
  }

  public Future<Batch> deleteBatch(OffsetDateTime deliveredBefore, OffsetDateTime deadBefore, Position after, int limit) {
    // The scan range ends at the later cutoff: no event received after both can be due.
    OffsetDateTime latest = deliveredBefore.isAfter(deadBefore) ? deliveredBefore : deadBefore;
    return pool.withTransaction(conn -> conn.query(lockSql).execute().compose(lock -> {
      if (!lock.iterator().next().getBoolean(0)) {
        return Future.succeededFuture(new Batch(false, 0, 0, after));
      }
      return conn.preparedQuery(candidatesSql)
          .execute(Tuple.of(deliveredBefore, deadBefore, latest, after.receivedAt(), after.id(), limit))
          .compose(candidates -> {
            if (candidates.size() == 0) {
              return Future.succeededFuture(new Batch(true, 0, 0, after));
            }
            List<UUID> ids = new ArrayList<>(candidates.size());
            Position last = after;
            for (Row r : candidates) {
              ids.add(r.getUUID(0));
              last = new Position(r.getOffsetDateTime(1), r.getUUID(0));
            }
            Position next = last;
            return conn.preparedQuery(pendingSql).execute(Tuple.of((Object) ids.toArray(UUID[]::new)))
                .compose(deliveries -> {
                  Set<UUID> pending = new HashSet<>();
                  deliveries.forEach(r -> {
                    if (DeliveryStatus.PENDING.is(r.getString(1))) {
                      pending.add(r.getUUID(0));
                    }
                  });
                  UUID[] doomed = ids.stream().filter(id -> !pending.contains(id)).toArray(UUID[]::new);
                  return conn.preparedQuery(deleteSql).execute(Tuple.of((Object) doomed))
                      .map(rows -> new Batch(true, ids.size(), rows.rowCount(), next));
                });
          });
    }));
  }

  /** Deletes up to {@code limit} dedup keys past their source's {@code dedupTtl}; returns how many. */
  static String expiredKeysSql(String schema) {
    return "DELETE FROM " + schema + ".event_keys WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + schema
        + ".event_keys WHERE expires_at < now() LIMIT $1 FOR UPDATE SKIP LOCKED))";
  }

  public Future<Integer> deleteExpiredKeys(int limit) {
    return pool.preparedQuery(expiredKeysSql).execute(Tuple.of(limit)).map(rows -> rows.rowCount());
  }
}
