package io.hookline.delivery;

import io.hookline.store.DeliveryStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Dead letters, delivery state and replay, for the admin API and the command line. A plain class
 * over a {@link Pool}; every statement is one round trip.
 *
 * <p>Replaying moves a finished delivery back to {@code pending} in a new round (attempts start at
 * 1 again, earlier rounds' attempt rows stay as history), due at once; the workers claim it on
 * their next poll. Pending deliveries are never touched, so a replay cannot disturb a lease.
 */
public final class DeliveryStore {
  public static final String PENDING = DeliveryStatus.PENDING.value();
  public static final String DELIVERED = DeliveryStatus.DELIVERED.value();
  public static final String DEAD = DeliveryStatus.DEAD.value();
  public static final String GONE = DeliveryStatus.GONE.value();
  /** Statuses a delivery can be replayed from. */
  public static final Set<String> FINISHED = Set.of(DELIVERED, DEAD, GONE);
  public static final int MAX_LIST = 1000;

  /** One destination's delivery of one event. */
  public record DeliveryView(UUID eventId, String sourceId, String destinationId, String status, int round,
                             int attempts, OffsetDateTime nextAttemptAt, String leaseOwner,
                             OffsetDateTime leaseUntil, Integer lastStatus, String lastError,
                             OffsetDateTime updatedAt) {
    /** Pass as {@link DeliveryQuery#before} to get the next page. */
    public Cursor cursor() {
      return new Cursor(updatedAt, eventId, destinationId);
    }
  }

  /** One HTTP attempt. {@code statusCode} is null when there was no answer (see {@code error}). */
  public record AttemptView(UUID eventId, String destinationId, int round, int attempt, String nodeId,
                            OffsetDateTime startedAt, OffsetDateTime finishedAt, Integer statusCode,
                            int latencyMs, String outcome, String error) {}

  /** Keyset position in a listing ordered newest first. */
  public record Cursor(OffsetDateTime updatedAt, UUID eventId, String destinationId) {}

  /**
   * Filter for {@link #list}. Null fields do not filter; {@code statuses} empty or null means any.
   * Ordered by last change, newest first.
   */
  public record DeliveryQuery(String sourceId, String destinationId, Set<String> statuses, Cursor before, int limit) {
    public static DeliveryQuery deadLetters(String sourceId, int limit) {
      return new DeliveryQuery(sourceId, null, Set.of(DEAD), null, limit);
    }
  }

  /**
   * Which finished deliveries to replay. {@code statuses} defaults to dead only (null or empty);
   * pending is ignored. {@code receivedFrom}/{@code receivedTo} bound the event's receive time
   * (e.g. an outage window; to is exclusive). {@code limit} caps one call (null: no cap).
   */
  public record ReplayFilter(String sourceId, String destinationId, Set<String> statuses,
                             OffsetDateTime receivedFrom, OffsetDateTime receivedTo, Integer limit) {
    public static ReplayFilter deadOf(String sourceId) {
      return new ReplayFilter(sourceId, null, Set.of(DEAD), null, null, null);
    }
  }

  /** Deliveries per source, destination and status. */
  public record StatusCount(String sourceId, String destinationId, String status, long count) {}

  private static final String COLUMNS = "event_id, source_id, destination_id, status, round, attempts, "
      + "next_attempt_at, lease_owner, lease_until, last_status, last_error, updated_at";
  private static final String REPLAY_SET = "status = " + DeliveryStatus.PENDING.sql() + ", round = d.round + 1, attempts = 0, "
      + "next_attempt_at = now(), lease_owner = NULL, lease_until = NULL, updated_at = now()";

  private final Pool pool;
  private final String schema;

  public DeliveryStore(Pool pool, String schema) {
    this.pool = pool;
    this.schema = schema;
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
      args.addArrayOfString(q.statuses().toArray(String[]::new));
      sql.append(" AND status = ANY($").append(args.size()).append("::text[])");
    }
    if (q.before() != null) {
      args.addOffsetDateTime(q.before().updatedAt()).addUUID(q.before().eventId()).addString(q.before().destinationId());
      int n = args.size();
      sql.append(" AND (updated_at, event_id, destination_id) < ($").append(n - 2).append(", $").append(n - 1)
          .append(", $").append(n).append(")");
    }
    args.addInteger(Math.max(1, Math.min(MAX_LIST, q.limit())));
    sql.append(" ORDER BY updated_at DESC, event_id DESC, destination_id DESC LIMIT $").append(args.size());
    return pool.preparedQuery(sql.toString()).execute(args).map(rows -> {
      List<DeliveryView> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(delivery(r)));
      return out;
    });
  }

  /** Dead letters, newest first; {@code sourceId} null for all sources. */
  public Future<List<DeliveryView>> listDead(String sourceId, int limit) {
    return list(DeliveryQuery.deadLetters(sourceId, limit));
  }

  /** Every destination's delivery of one event. */
  public Future<List<DeliveryView>> deliveriesOf(UUID eventId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM " + schema + ".deliveries WHERE event_id = $1 ORDER BY destination_id")
        .execute(Tuple.of(eventId)).map(rows -> {
          List<DeliveryView> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(delivery(r)));
          return out;
        });
  }

  /** Every attempt at one event, by destination, round and attempt. */
  public Future<List<AttemptView>> attemptsOf(UUID eventId) {
    return pool.preparedQuery("SELECT event_id, destination_id, round, attempt, node_id, started_at, finished_at, "
            + "status_code, latency_ms, outcome, error FROM " + schema + ".delivery_attempts WHERE event_id = $1 "
            + "ORDER BY destination_id, round, attempt")
        .execute(Tuple.of(eventId)).map(rows -> {
          List<AttemptView> out = new ArrayList<>(rows.size());
          for (Row r : rows) {
            out.add(new AttemptView(r.getUUID(0), r.getString(1), r.getInteger(2), r.getInteger(3), r.getString(4),
                r.getOffsetDateTime(5), r.getOffsetDateTime(6), r.getInteger(7), r.getInteger(8), r.getString(9),
                r.getString(10)));
          }
          return out;
        });
  }

  /** Deliveries per source, destination and status: the per-source stats of the admin API. */
  public Future<List<StatusCount>> statusCounts() {
    return pool.query("SELECT source_id, destination_id, status, count(*) FROM " + schema + ".deliveries "
            + "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3").execute()
        .map(rows -> {
          List<StatusCount> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(new StatusCount(r.getString(0), r.getString(1), r.getString(2), r.getLong(3))));
          return out;
        });
  }

  /** Replays every dead or gone delivery of one event. Completes with how many were replayed. */
  public Future<Integer> replayEvent(UUID eventId) {
    return pool.preparedQuery("UPDATE " + schema + ".deliveries d SET " + REPLAY_SET
            + " WHERE event_id = $1 AND status IN (" + DeliveryStatus.DEAD.sql() + ", " + DeliveryStatus.GONE.sql() + ")")
        .execute(Tuple.of(eventId)).map(rows -> rows.rowCount());
  }

  /**
   * Replays one event to one destination, whatever it finished as (delivered too: a deliberate
   * re-send). Completes with 0 if it is still pending or does not exist.
   */
  public Future<Integer> replayDelivery(UUID eventId, String destinationId) {
    return pool.preparedQuery("UPDATE " + schema + ".deliveries d SET " + REPLAY_SET
            + " WHERE event_id = $1 AND destination_id = $2 AND status IN (" + DeliveryStatus.DELIVERED.sql() + ", " + DeliveryStatus.DEAD.sql() + ", " + DeliveryStatus.GONE.sql() + ")")
        .execute(Tuple.of(eventId, destinationId)).map(rows -> rows.rowCount());
  }

  /** Replays many deliveries by filter. Completes with how many were replayed. */
  public Future<Integer> replay(ReplayFilter f) {
    Set<String> statuses = f.statuses() == null || f.statuses().isEmpty() ? Set.of(DEAD) : f.statuses();
    for (String s : statuses) {
      if (!s.equals(PENDING) && !FINISHED.contains(s)) {
        return Future.failedFuture(new IllegalArgumentException(
            "unknown delivery status '" + s + "' (expected delivered, dead or gone)"));
      }
    }
    String[] replayable = statuses.stream().filter(FINISHED::contains).map(s -> s.toLowerCase(Locale.ROOT))
        .toArray(String[]::new);
    if (replayable.length == 0) {
      return Future.succeededFuture(0);
    }
    Tuple args = Tuple.tuple().addArrayOfString(replayable);
    StringBuilder where = new StringBuilder("x.status = ANY($1::text[])");
    if (f.sourceId() != null) {
      args.addString(f.sourceId());
      where.append(" AND x.source_id = $").append(args.size());
    }
    if (f.destinationId() != null) {
      args.addString(f.destinationId());
      where.append(" AND x.destination_id = $").append(args.size());
    }
    boolean byTime = f.receivedFrom() != null || f.receivedTo() != null;
    if (f.receivedFrom() != null) {
      args.addOffsetDateTime(f.receivedFrom());
      where.append(" AND e.received_at >= $").append(args.size());
    }
    if (f.receivedTo() != null) {
      args.addOffsetDateTime(f.receivedTo());
      where.append(" AND e.received_at < $").append(args.size());
    }
    String limit = "";
    if (f.limit() != null) {
      args.addInteger(Math.max(0, f.limit()));
      limit = " LIMIT $" + args.size();
    }
    // Locking the chosen rows first (SKIP LOCKED) keeps a big replay from waiting on, or
    // deadlocking with, another admin's replay of overlapping rows.
    String sql = "WITH chosen AS (SELECT x.event_id, x.destination_id FROM " + schema + ".deliveries x"
        + (byTime ? " JOIN " + schema + ".events e ON e.id = x.event_id" : "")
        + " WHERE " + where + limit + " FOR UPDATE OF x SKIP LOCKED) "
        + "UPDATE " + schema + ".deliveries d SET " + REPLAY_SET
        + " FROM chosen WHERE d.event_id = chosen.event_id AND d.destination_id = chosen.destination_id";
    return pool.preparedQuery(sql).execute(args).map(rows -> rows.rowCount());
  }

  private static DeliveryView delivery(Row r) {
    return new DeliveryView(r.getUUID(0), r.getString(1), r.getString(2), r.getString(3), r.getInteger(4),
        r.getInteger(5), r.getOffsetDateTime(6), r.getString(7), r.getOffsetDateTime(8), r.getInteger(9),
        r.getString(10), r.getOffsetDateTime(11));
  }
}
