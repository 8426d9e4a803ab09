package io.hookline.delivery;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The delivery workers' side of the {@code deliveries} table: claim due deliveries under a lease,
 * write back each attempt's result (fenced by the lease), release leases on shutdown. PostgreSQL
 * is the queue; the heap only ever holds what was claimed.
 *
 * <p>Results are group-committed: while {@value #MAX_BATCHES_IN_FLIGHT} batches are being written,
 * further results queue and go together in the next one (one transaction, one WAL flush). A lone
 * result is written at once, so batching adds no latency when the node is quiet. Confined to one
 * worker's context, like the worker itself.
 */
final class DeliveryLeases {
  static final int MAX_BATCHES_IN_FLIGHT = 2;
  static final int MAX_BATCH = 256;

  /** How much one claim asks for of one destination. */
  record ClaimRequest(String sourceId, String destinationId, int limit, long leaseMillis) {}

  /** The write-back for one finished attempt. {@code outcome} is stored in delivery_attempts. */
  record AttemptResult(String nodeId, OffsetDateTime startedAt, OffsetDateTime finishedAt, Integer statusCode,
                       int latencyMillis, String outcome, String error, String deliveryStatus, long retryDelayMillis) {}

  private record PendingRecord(ClaimedDelivery delivery, Tuple tuple, Promise<Boolean> updated) {}

  private static final Comparator<PendingRecord> LOCK_ORDER = Comparator
      .comparing((PendingRecord r) -> r.delivery().eventId()).thenComparing(r -> r.delivery().destinationId());

  private final Pool pool;
  private final ArrayDeque<PendingRecord> recordQueue = new ArrayDeque<>();
  private int batchesInFlight;
  private final String claimSql;
  private final String recordSql;
  private final String releaseSql;
  private final String pendingSql;

  DeliveryLeases(Pool pool, String schema) {
    this.pool = pool;
    // One round trip claims for every destination. Per destination, LIMIT bounds the claim by its
    // free permits; the outer LIMIT bounds the total by the node's free permits. The nested loop is
    // pulled lazily, so rows beyond the outer LIMIT are never locked. SKIP LOCKED lets several
    // workers claim side by side without waiting on each other; an expired lease (its holder
    // crashed or lost the database) is claimable like no lease at all. Each claim is a new attempt
    // number, so attempt rows never collide even when a lease was taken over.
    this.claimSql = "WITH caps AS ("
        + "  SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[])"
        + "    WITH ORDINALITY AS c(source_id, destination_id, n, lease_ms, ord)), "
        + "due AS ("
        + "  SELECT x.event_id, x.destination_id, c.lease_ms FROM caps c CROSS JOIN LATERAL ("
        + "    SELECT d.event_id, d.destination_id FROM " + schema + ".deliveries d"
        + "    WHERE d.source_id = c.source_id AND d.destination_id = c.destination_id AND d.status = 'pending'"
        + "      AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until < now())"
        + "    ORDER BY d.next_attempt_at LIMIT c.n FOR UPDATE OF d SKIP LOCKED) x"
        + "  LIMIT $5) "
        + "UPDATE " + schema + ".deliveries d SET lease_owner = $6,"
        + "  lease_until = now() + due.lease_ms * interval '1 millisecond',"
        + "  attempts = d.attempts + 1, updated_at = now() "
        + "FROM due, " + schema + ".events e "
        + "WHERE d.event_id = due.event_id AND d.destination_id = due.destination_id AND e.id = d.event_id "
        + "RETURNING d.event_id, d.source_id, d.destination_id, d.round, d.attempts, e.content_type, e.body";
    // Both statements always run (data-modifying CTEs): the attempt is recorded even when the
    // lease was lost, because the request did happen; the delivery's state changes only if this
    // worker still holds exactly this attempt's lease.
    this.recordSql = "WITH upd AS ("
        + "  UPDATE " + schema + ".deliveries SET status = $5,"
        + "    next_attempt_at = CASE WHEN $5 = 'pending' THEN now() + $6::bigint * interval '1 millisecond' ELSE next_attempt_at END,"
        + "    lease_owner = NULL, lease_until = NULL, last_status = $7, last_error = $8, updated_at = now()"
        + "  WHERE event_id = $1 AND destination_id = $2 AND lease_owner = $3 AND round = $4 AND attempts = $9"
        + "  RETURNING 1), "
        + "ins AS ("
        + "  INSERT INTO " + schema + ".delivery_attempts (event_id, destination_id, round, attempt, node_id,"
        + "    started_at, finished_at, status_code, latency_ms, outcome, error)"
        + "  VALUES ($1, $2, $4, $9, $10, $11, $12, $7, $13, $14, $8) ON CONFLICT DO NOTHING RETURNING 1) "
        + "SELECT (SELECT count(*) FROM upd), (SELECT count(*) FROM ins)";
    this.releaseSql = "UPDATE " + schema + ".deliveries SET lease_owner = NULL, lease_until = NULL, updated_at = now() "
        + "WHERE lease_owner = $1 AND status = 'pending'";
    this.pendingSql = "SELECT count(*) FROM " + schema + ".deliveries WHERE status = 'pending'";
  }

  Future<List<ClaimedDelivery>> claim(String leaseOwner, List<ClaimRequest> requests, int total) {
    int n = requests.size();
    String[] sources = new String[n];
    String[] destinations = new String[n];
    Integer[] limits = new Integer[n];
    Long[] leases = new Long[n];
    for (int i = 0; i < n; i++) {
      ClaimRequest r = requests.get(i);
      sources[i] = r.sourceId();
      destinations[i] = r.destinationId();
      limits[i] = r.limit();
      leases[i] = r.leaseMillis();
    }
    return pool.preparedQuery(claimSql)
        .execute(Tuple.of(sources, destinations, limits, leases, total, leaseOwner))
        .map(rows -> {
          List<ClaimedDelivery> claimed = new ArrayList<>(rows.size());
          for (Row r : rows) {
            claimed.add(new ClaimedDelivery(r.getUUID(0), r.getString(1), r.getString(2), r.getInteger(3),
                r.getInteger(4), r.getString(5), r.getBuffer(6)));
          }
          return claimed;
        });
  }

  /** Completes with true if the delivery's state was updated, false if the lease had been lost. */
  Future<Boolean> record(ClaimedDelivery d, String leaseOwner, AttemptResult a) {
    Tuple t = Tuple.tuple()
        .addUUID(d.eventId()).addString(d.destinationId()).addString(leaseOwner).addInteger(d.round())
        .addString(a.deliveryStatus()).addLong(a.retryDelayMillis()).addInteger(a.statusCode())
        .addString(a.error()).addInteger(d.attempt()).addString(a.nodeId())
        .addOffsetDateTime(a.startedAt()).addOffsetDateTime(a.finishedAt()).addInteger(a.latencyMillis())
        .addString(a.outcome());
    Promise<Boolean> updated = Promise.promise();
    recordQueue.add(new PendingRecord(d, t, updated));
    flushRecords();
    return updated.future();
  }

  private void flushRecords() {
    while (batchesInFlight < MAX_BATCHES_IN_FLIGHT && !recordQueue.isEmpty()) {
      List<PendingRecord> batch = new ArrayList<>(Math.min(recordQueue.size(), MAX_BATCH));
      while (batch.size() < MAX_BATCH && !recordQueue.isEmpty()) {
        batch.add(recordQueue.poll());
      }
      // Concurrent batches (of this and other nodes) lock rows in one order, so they cannot deadlock.
      batch.sort(LOCK_ORDER);
      List<Tuple> tuples = new ArrayList<>(batch.size());
      batch.forEach(r -> tuples.add(r.tuple()));
      batchesInFlight++;
      pool.preparedQuery(recordSql).executeBatch(tuples).onComplete(ar -> {
        batchesInFlight--;
        if (ar.succeeded()) {
          RowSet<Row> rows = ar.result();
          for (PendingRecord r : batch) {
            r.updated().complete(rows.iterator().next().getLong(0) == 1);
            rows = rows.next();
          }
        } else {
          batch.forEach(r -> r.updated().fail(ar.cause()));
        }
        flushRecords();
      });
    }
  }

  /** Hands back every pending delivery this owner still holds, due at once for any other worker. */
  Future<Integer> release(String leaseOwner) {
    return pool.preparedQuery(releaseSql).execute(Tuple.of(leaseOwner)).map(rows -> rows.rowCount());
  }

  Future<Long> countPending() {
    return pool.query(pendingSql).execute().map(rows -> rows.iterator().next().getLong(0));
  }
}
