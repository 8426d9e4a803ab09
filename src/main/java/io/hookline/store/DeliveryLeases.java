package io.hookline.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The claim side of the {@code deliveries} table and its {@code delivery_queue} (the pending ones, by due
 * time; migration 15): claim due deliveries under a lease, hand back
 * leases on shutdown or when held back, take back this node's leases at start-up. PostgreSQL is the
 * queue for retries, replays, overflow of the in-memory hand-off and leases of crashed nodes; the
 * heap only ever holds what was claimed. Results are written by {@link DeliveryResults}.
 */
public final class DeliveryLeases {
  /** How much one claim asks for of one destination. */
  public record ClaimRequest(String sourceId, String destinationId, int limit, long leaseMillis) {}

  private final Pool pool;
  private final String claimSql;
  private final String releaseSql;
  private final String releaseUnstartedSql;
  private final String takeBackSql;
  private final String deferSql;

  public DeliveryLeases(Pool pool, String schema) {
    this.pool = pool;
    // One round trip claims for every destination. Per destination, LIMIT bounds the claim by its
    // free permits; the outer LIMIT bounds the total by the node's free permits. The nested loop is
    // pulled lazily, so rows beyond the outer LIMIT are never locked. SKIP LOCKED lets several
    // workers claim side by side without waiting on each other; an expired lease (its holder
    // crashed or lost the database) is claimable like no lease at all. Each claim is a new attempt
    // number, so attempt rows never collide even when a lease was taken over. A leased delivery is
    // due again when its lease expires, so the due scan never walks over deliveries in flight.
    // The queue (delivery_queue, migration 15) says what is due; the delivery row is locked and checked again,
    // so a queue row read a moment stale never claims a delivery twice. Every writer locks the delivery before
    // its queue row (here: the UPDATE, then the queue's), so the two tables never wait on each other in a circle.
    this.claimSql = "WITH caps AS ("
        + "  SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[])"
        + "    WITH ORDINALITY AS c(source_id, destination_id, n, lease_ms, ord)), "
        + "due AS ("
        + "  SELECT x.event_id, x.destination_id, c.lease_ms FROM caps c CROSS JOIN LATERAL ("
        + "    SELECT d.event_id, d.destination_id FROM " + schema + ".delivery_queue q"
        + "    JOIN " + schema + ".deliveries d ON d.event_id = q.event_id AND d.destination_id = q.destination_id"
        + "    WHERE q.source_id = c.source_id AND q.destination_id = c.destination_id AND q.next_attempt_at <= now()"
        + "      AND d.status = " + DeliveryStatus.PENDING.sql()
        + "      AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until < now())"
        + "    ORDER BY q.next_attempt_at LIMIT c.n FOR UPDATE OF d SKIP LOCKED) x"
        + "  LIMIT $5), "
        + "upd AS (UPDATE " + schema + ".deliveries d SET lease_owner = $6,"
        + "  lease_until = now() + due.lease_ms * interval '1 millisecond',"
        + "  next_attempt_at = now() + due.lease_ms * interval '1 millisecond',"
        + "  attempts = d.attempts + 1, updated_at = now() "
        + "FROM due, " + schema + ".events e "
        + "WHERE d.event_id = due.event_id AND d.destination_id = due.destination_id AND e.id = d.event_id "
        + "RETURNING d.event_id, d.source_id, d.destination_id, d.round, d.attempts, e.content_type, e.body, e.traceparent, "
        + "e.event_type, e.provider_event_id, d.next_attempt_at), "
        + requeue(schema) + " "
        + "SELECT event_id, source_id, destination_id, round, attempts, content_type, body, traceparent, event_type, "
        + "provider_event_id FROM upd";
    // Leases handed back: only pending deliveries are queued, so the queue finds them (there is no index on lease_owner).
    this.releaseSql = "WITH upd AS (UPDATE " + schema + ".deliveries d SET lease_owner = NULL, lease_until = NULL, "
        + "next_attempt_at = now(), updated_at = now() FROM " + schema + ".delivery_queue q "
        + "WHERE d.event_id = q.event_id AND d.destination_id = q.destination_id "
        + "AND d.lease_owner = $1 AND d.status = " + DeliveryStatus.PENDING.sql() + " " + RETURNING_DUE + "), "
        + requeue(schema) + " SELECT event_id FROM upd";
    // Handed-off deliveries this worker never started: attempt 1 was claimed at insert, so hand it back unused.
    this.releaseUnstartedSql = "WITH upd AS (UPDATE " + schema + ".deliveries d SET lease_owner = NULL, lease_until = NULL, "
        + "next_attempt_at = now(), "
        + "attempts = d.attempts - 1, updated_at = now() FROM unnest($2::uuid[], $3::text[]) AS u(event_id, destination_id) "
        + "WHERE d.event_id = u.event_id AND d.destination_id = u.destination_id AND d.lease_owner = $1 "
        + "AND d.status = " + DeliveryStatus.PENDING.sql() + " AND d.round = 1 AND d.attempts = 1 " + RETURNING_DUE + "), "
        + requeue(schema) + " SELECT event_id FROM upd";
    // A node restarting under its id takes back at once what its previous run held (that run is gone).
    this.takeBackSql = "WITH upd AS (UPDATE " + schema + ".deliveries d SET lease_owner = NULL, lease_until = NULL, "
        + "next_attempt_at = now(), updated_at = now() FROM " + schema + ".delivery_queue q "
        + "WHERE d.event_id = q.event_id AND d.destination_id = q.destination_id "
        + "AND left(d.lease_owner, length($1) + 1) = $1 || '/' "
        + "AND d.status = " + DeliveryStatus.PENDING.sql() + " " + RETURNING_DUE + "), "
        + requeue(schema) + " SELECT event_id FROM upd";
    // A delivery held back (paused, open, no token) gives its attempt back: it is not counted.
    this.deferSql = "WITH upd AS (UPDATE " + schema + ".deliveries d SET lease_owner = NULL, lease_until = NULL, "
        + "next_attempt_at = now() + $6::bigint * interval '1 millisecond', attempts = attempts - 1, updated_at = now() "
        + "WHERE event_id = $1 AND destination_id = $2 AND lease_owner = $3 AND round = $4 AND attempts = $5 "
        + "AND status = " + DeliveryStatus.PENDING.sql() + " " + RETURNING_DUE + "), "
        + requeue(schema) + " SELECT event_id FROM upd";
  }

  private static final String RETURNING_DUE = "RETURNING d.event_id, d.destination_id, d.next_attempt_at";

  /** Follows an {@code upd} of pending deliveries (returning key and due time): their queue rows get the new due time. */
  private static String requeue(String schema) {
    return "requeued AS (UPDATE " + schema + ".delivery_queue q SET next_attempt_at = upd.next_attempt_at FROM upd "
        + "WHERE q.event_id = upd.event_id AND q.destination_id = upd.destination_id)";
  }

  public Future<List<ClaimedDelivery>> claim(String leaseOwner, List<ClaimRequest> requests, int total) {
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
    long sentAt = System.nanoTime();
    return pool.preparedQuery(claimSql)
        .execute(Tuple.of(sources, destinations, limits, leases, total, leaseOwner))
        .map(rows -> {
          List<ClaimedDelivery> claimed = new ArrayList<>(rows.size());
          for (Row r : rows) {
            String destination = r.getString(2);
            long leaseMs = 0;
            for (int i = 0; i < n; i++) {
              if (destinations[i].equals(destination) && sources[i].equals(r.getString(1))) {
                leaseMs = leases[i];
              }
            }
            claimed.add(new ClaimedDelivery(r.getUUID(0), r.getString(1), destination, r.getInteger(3),
                r.getInteger(4), r.getString(5), r.getBuffer(6), leaseOwner, r.getString(7),
                sentAt + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(leaseMs), r.getString(8), r.getString(9)));
          }
          return claimed;
        });
  }

  /** Hands back every pending delivery this owner still holds, due at once for any other worker. */
  public Future<Integer> release(String leaseOwner) {
    return pool.preparedQuery(releaseSql).execute(Tuple.of(leaseOwner)).map(rows -> rows.rowCount());
  }

  /** Hands back handed-off deliveries whose attempt 1 never started, due at once for any worker. */
  public Future<Integer> releaseUnstarted(String leaseOwner, List<ClaimedDelivery> unstarted) {
    UUID[] events = new UUID[unstarted.size()];
    String[] destinations = new String[unstarted.size()];
    for (int i = 0; i < events.length; i++) {
      events[i] = unstarted.get(i).eventId();
      destinations[i] = unstarted.get(i).destinationId();
    }
    return pool.preparedQuery(releaseUnstartedSql).execute(Tuple.of(leaseOwner, events, destinations))
        .map(rows -> rows.rowCount());
  }

  /** At start-up: every lease held under this node id (by a previous run of it) is released. */
  public Future<Integer> takeBack(String nodeId) {
    return pool.preparedQuery(takeBackSql).execute(Tuple.of(nodeId)).map(rows -> rows.rowCount());
  }

  /** Hands back a claimed delivery that was held back, due again after {@code delayMillis}; its attempt is not counted. */
  public Future<Void> defer(ClaimedDelivery d, long delayMillis) {
    return pool.preparedQuery(deferSql).execute(Tuple.of(d.eventId(), d.destinationId(), d.leaseOwner(), d.round(),
        d.attempt(), delayMillis)).mapEmpty();
  }
}
