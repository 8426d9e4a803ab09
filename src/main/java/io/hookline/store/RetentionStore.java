package io.hookline.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Deletes old finished events with their deliveries and attempts, one small batch per
 * transaction, under a transaction-scoped advisory lock so only one node deletes at a time.
 * An event with a pending delivery is never deleted: it is not chosen, and should one become
 * pending while its batch runs, that delivery is kept and its event's delete fails the batch
 * (foreign key), which is rolled back whole and tried again later.
 */
public final class RetentionStore {
  /** Where a retention pass stands: the last deleted event, in (received_at, id) order. */
  public record Position(OffsetDateTime receivedAt, UUID id) {
    public static final Position START = new Position(OffsetDateTime.parse("1970-01-01T00:00:00Z"), new UUID(0, 0));
  }

  /** {@code locked}: false when another node holds the retention lock (nothing was done). */
  public record Batch(boolean locked, int deleted, Position last) {}

  private final Pool pool;
  private final String lockSql;
  private final String deleteSql;

  public RetentionStore(Pool pool, String schema) {
    this.pool = pool;
    this.lockSql = "SELECT pg_try_advisory_xact_lock(hashtext('hookline.retention.' || current_database() || '."
        + schema + "'))";
    // $1 delivered cutoff, $2 dead cutoff, $3 the later of both, $4/$5 position, $6 batch size.
    this.deleteSql = "WITH doomed AS ("
        + "  SELECT e.id, e.received_at FROM " + schema + ".events e"
        + "  WHERE e.received_at < $3 AND (e.received_at, e.id) > ($4, $5)"
        + "    AND NOT EXISTS (SELECT 1 FROM " + schema + ".deliveries p WHERE p.event_id = e.id AND p.status = 'pending')"
        + "    AND (CASE WHEN EXISTS (SELECT 1 FROM " + schema + ".deliveries x WHERE x.event_id = e.id AND x.status = 'dead')"
        + "         THEN e.received_at < $2 ELSE e.received_at < $1 END)"
        + "  ORDER BY e.received_at, e.id LIMIT $6 FOR UPDATE OF e SKIP LOCKED), "
        + "attempts AS (DELETE FROM " + schema + ".delivery_attempts a USING doomed WHERE a.event_id = doomed.id), "
        + "deliveries AS (DELETE FROM " + schema + ".deliveries d USING doomed"
        + "  WHERE d.event_id = doomed.id AND d.status <> 'pending'), "
        + "gone AS (DELETE FROM " + schema + ".events e USING doomed WHERE e.id = doomed.id RETURNING e.id, e.received_at) "
        + "SELECT (SELECT count(*) FROM gone), id, received_at FROM gone ORDER BY received_at DESC, id DESC LIMIT 1";
  }

  public Future<Batch> deleteBatch(OffsetDateTime deliveredBefore, OffsetDateTime deadBefore, Position after, int limit) {
    // The scan range ends at the later cutoff: no event received after both can be due.
    OffsetDateTime latest = deliveredBefore.isAfter(deadBefore) ? deliveredBefore : deadBefore;
    return pool.withTransaction(conn -> conn.query(lockSql).execute().compose(lock -> {
      if (!lock.iterator().next().getBoolean(0)) {
        return Future.succeededFuture(new Batch(false, 0, after));
      }
      return conn.preparedQuery(deleteSql)
          .execute(Tuple.of(deliveredBefore, deadBefore, latest, after.receivedAt(), after.id(), limit))
          .map(rows -> {
            if (rows.size() == 0) {
              return new Batch(true, 0, after);
            }
            Row r = rows.iterator().next();
            return new Batch(true, r.getLong(0).intValue(), new Position(r.getOffsetDateTime(2), r.getUUID(1)));
          });
    }));
  }
}
