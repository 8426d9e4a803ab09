package io.hookline.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reading the {@code deliveries} table: dead letters for the command line and the backlog counts the
 * metrics, workers and admin API report. The deliveries are written by {@link EventWriter} (new),
 * {@link DeliveryLeases} (claims), {@link DeliveryResults} (attempt results), {@link Replays} and
 * {@link RerouteStore}; the admin API's listings are {@link EventSearch}. Every statement is one
 * round trip.
 */
public final class Deliveries {
  public static final int MAX_LIST = 1000;

  /** One destination's delivery of one event; {@code status} is a {@link DeliveryStatus#value()}. */
  public record DeliveryView(UUID eventId, String sourceId, String destinationId, String status, int round,
                             int attempts, OffsetDateTime nextAttemptAt, String leaseOwner,
                             OffsetDateTime leaseUntil, Integer lastStatus, String lastError,
                             OffsetDateTime updatedAt) {
    /** Pass as {@link DeliveryQuery#before} to get the next page. */
    public Cursor cursor() {
      return new Cursor(updatedAt, eventId, destinationId);
    }
  }

  /** Keyset position in a listing ordered newest first. */
  public record Cursor(OffsetDateTime updatedAt, UUID eventId, String destinationId) {}

  /**
   * Filter for {@link #list}. Null fields do not filter; {@code statuses} empty or null means any.
   * Ordered by last change, newest first.
   */
  public record DeliveryQuery(String sourceId, String destinationId, Set<DeliveryStatus> statuses, Cursor before,
                              int limit) {
    public static DeliveryQuery deadLetters(String sourceId, int limit) {
      return new DeliveryQuery(sourceId, null, Set.of(DeliveryStatus.DEAD), null, limit);
    }
  }

  private static final String COLUMNS = "event_id, source_id, destination_id, status, round, attempts, "
      + "next_attempt_at, lease_owner, lease_until, last_status, last_error, updated_at";

  private final Pool pool;
  private final String schema;
  private final String deadSql;
  private final String oldestPendingSql;
  private final String pendingSql;
  private final String pendingByDestinationSql;

  public Deliveries(Pool pool, String schema) {
    this.pool = pool;
    this.schema = schema;
    // deliveries_failed_idx: the dead and gone deliveries only, then each one's status.
    this.deadSql = "SELECT count(*) FROM " + schema + ".deliveries WHERE failed_at IS NOT NULL AND status = "
        + DeliveryStatus.DEAD.sql();
    // Event ids are UUIDv7 (EventIds.newId: milliseconds first), so the smallest queued event id is the
    // oldest pending event: one end of delivery_queue's primary key, not a scan of the backlog.
    this.oldestPendingSql = "SELECT greatest(0, extract(epoch FROM now() - e.received_at))::float8 FROM "
        + "(SELECT event_id FROM " + schema + ".delivery_queue ORDER BY event_id LIMIT 1) p JOIN " + schema
        + ".events e ON e.id = p.event_id";
    // A delivery is queued exactly while it is pending (migration 15).
    this.pendingSql = "SELECT count(*) FROM " + schema + ".delivery_queue";
    this.pendingByDestinationSql = "SELECT source_id, destination_id, count(*) FROM " + schema + ".delivery_queue "
        + "GROUP BY source_id, destination_id";
  }

  public Future<List<DeliveryView>> list(DeliveryQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + schema + ".deliveries WHERE true");
    Tuple args = Tuple.tuple();
    if (q.sourceId() != null) {
      args.addString(q.sourceId());
      sql.append(" AND source_id = $").append(args.size());
    }
    if (q.destinationId() != null) {
      args.addString(q.destinationId());
      sql.append(" AND destination_id = $").append(args.size());
    }
    if (q.statuses() != null && !q.statuses().isEmpty()) {
      args.addArrayOfString(DeliveryStatus.values(q.statuses()));
      sql.append(" AND status = ANY($").append(args.size()).append("::text[])");
      if (DeliveryStatus.FAILED.containsAll(q.statuses())) {
        sql.append(" AND failed_at IS NOT NULL"); // deliveries_failed_idx
      }
    }
    if (q.before() != null) {
      args.addOffsetDateTime(q.before().updatedAt()).addUUID(q.before().eventId()).addString(q.before().destinationId());
      int n = args.size();
      sql.append(" AND (updated_at, event_id, destination_id) < ($").append(n - 2).append(", $").append(n - 1)
          .append(", $").append(n).append(")");
    }
    args.addInteger(Math.max(1, Math.min(MAX_LIST, q.limit())));
    sql.append(" ORDER BY updated_at DESC, event_id DESC, destination_id DESC LIMIT $").append(args.size());
    return pool.preparedQuery(sql.toString()).execute(args).map(Deliveries::views);
  }

  /** Dead letters, newest first; {@code sourceId} null for all sources. */
  public Future<List<DeliveryView>> listDead(String sourceId, int limit) {
    return list(DeliveryQuery.deadLetters(sourceId, limit));
  }

  /** Deliveries that used up their attempts and wait for a replay (all nodes). */
  public Future<Long> deadCount() {
    return pool.query(deadSql).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /** Seconds since the oldest pending delivery's event was received; 0 when nothing is pending. */
  public Future<Double> oldestPendingSeconds() {
    return pool.query(oldestPendingSql).execute().map(rows -> {
      Iterator<Row> it = rows.iterator();
      return it.hasNext() ? it.next().getDouble(0) : 0.0;
    });
  }

  /** Deliveries not yet delivered, dead or gone (all nodes). */
  public Future<Long> pendingCount() {
    return pool.query(pendingSql).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /** Pending deliveries per destination, keyed by {@link DestinationStates#key} (all nodes). */
  public Future<Map<String, Long>> pendingByDestination() {
    return pool.query(pendingByDestinationSql).execute().map(rows -> {
      Map<String, Long> out = new HashMap<>();
      for (Row r : rows) {
        out.put(DestinationStates.key(r.getString(0), r.getString(1)), r.getLong(2));
      }
      return out;
    });
  }

  /** The metrics' statements, for EXPLAIN in tests. */
  public String oldestPendingSql() {
    return oldestPendingSql;
  }

  public String deadSql() {
    return deadSql;
  }

  private static List<DeliveryView> views(Iterable<Row> rows) {
    List<DeliveryView> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new DeliveryView(r.getUUID(0), r.getString(1), r.getString(2), r.getString(3), r.getInteger(4),
          r.getInteger(5), r.getOffsetDateTime(6), r.getString(7), r.getOffsetDateTime(8), r.getInteger(9),
          r.getString(10), r.getOffsetDateTime(11)));
    }
    return out;
  }
}
