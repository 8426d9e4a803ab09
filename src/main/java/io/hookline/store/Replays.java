package io.hookline.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The one replay, for the admin API and the command line: one event at once, or many deliveries by
 * filter as a job recorded in {@code replay_jobs} (so any node answers for its progress) and run in
 * batches by whoever started it (a node's admin API, paced; the {@code replay} command, at once).
 *
 * <p>A replay starts a new round: status pending, attempts 0, due now, lease cleared. The workers'
 * write-back is fenced by round, so an attempt still in flight from the previous round is kept in
 * the history but no longer moves the delivery.
 */
public final class Replays {
  private static final String REPLAY_SET = "status = " + DeliveryStatus.PENDING.sql() + ", round = d.round + 1, attempts = 0, "
      + "next_attempt_at = now(), lease_owner = NULL, lease_until = NULL, updated_at = now(), failed_at = NULL";
  /** Follows a replay's {@code upd} (returning the key, source and due time): the delivery is queued, or due now if it was. */
  private static String enqueue(String schema) {
    return "queued AS (INSERT INTO " + schema + ".delivery_queue (event_id, destination_id, source_id, next_attempt_at) "
        + "SELECT event_id, destination_id, source_id, next_attempt_at FROM upd "
        + "ON CONFLICT (event_id, destination_id) DO UPDATE SET next_attempt_at = EXCLUDED.next_attempt_at) ";
  }
  private static final String REPLAYED = "RETURNING d.event_id, d.destination_id, d.source_id, d.next_attempt_at";
  /** The keyset position before every delivery key. */
  public static final Key START = new Key(new UUID(0, 0), "");

  /** {@code destinationFound} is true when no destination was asked for. */
  public record EventReplay(boolean eventFound, boolean destinationFound, int replayed) {}

  /**
   * Which deliveries a bulk replay takes; null fields do not filter. Time bounds are the event's
   * receive time (since inclusive, until exclusive); {@code statuses} is never empty.
   */
  public record Criteria(String sourceId, String destinationId, List<DeliveryStatus> statuses, String eventType,
                         OffsetDateTime since, OffsetDateTime until) {
    public JsonObject toJson() {
      return new JsonObject().put("source", sourceId).put("destination", destinationId)
          .put("status", new JsonArray(List.of(DeliveryStatus.values(statuses)))).put("type", eventType)
          .put("since", since == null ? null : since.toString()).put("until", until == null ? null : until.toString());
    }
  }

  /** A delivery's primary key, the bulk replay's keyset position. */
  public record Key(UUID eventId, String destinationId) {}

  /** A started job: deliveries changed after {@code cutoff} are not its business. */
  public record StartedJob(UUID id, long matched, OffsetDateTime cutoff) {}

  public record Batch(int replayed, Key last) {}

  public record Job(UUID id, String state, long matched, long replayed, OffsetDateTime createdAt,
                    OffsetDateTime updatedAt, String error) {}

  private final Pool pool;
  private final String schema;
  private final String eventSql;

  public Replays(Pool pool, String schema) {
    this.pool = pool;
    this.schema = schema;
    this.eventSql = "WITH ev AS (SELECT id FROM " + schema + ".events WHERE id = $1), "
        + "upd AS (UPDATE " + schema + ".deliveries d SET " + REPLAY_SET
        + " WHERE d.event_id = $1 AND ($2::text IS NULL OR d.destination_id = $2) AND d.status = ANY($3::text[]) "
        + REPLAYED + "), " + enqueue(schema) + "SELECT (SELECT count(*) FROM ev), (SELECT count(*) FROM upd)";
  }

  /**
   * The event's deliveries in one of {@code statuses}, or only the one to {@code destinationId}
   * (null: all). The admin API replays whatever the status; the command line only finished ones.
   */
  public Future<EventReplay> replayEvent(UUID eventId, String destinationId, Set<DeliveryStatus> statuses) {
    return pool.preparedQuery(eventSql).execute(Tuple.of(eventId, destinationId, DeliveryStatus.values(statuses))).map(rows -> {
      Row r = rows.iterator().next();
      boolean found = r.getLong(0) > 0;
      int replayed = r.getLong(1).intValue();
      return new EventReplay(found, destinationId == null || replayed > 0, replayed);
    });
  }

  /** How many deliveries match now. */
  public Future<Long> count(Criteria c) {
    EventSearch.Statement st = countStatement(c);
    return pool.preparedQuery(st.sql()).execute(st.args()).map(rows -> rows.iterator().next().getLong(0));
  }

  public EventSearch.Statement countStatement(Criteria c) {
    SqlArgs args = new SqlArgs();
    String where = where(c, args);
    return new EventSearch.Statement("SELECT count(*) FROM " + from(c) + " WHERE " + where, args.tuple);
  }

  /** Records a running job with the number of deliveries matching now (its cutoff). */
  public Future<StartedJob> startJob(UUID jobId, Criteria c, String createdBy, String nodeId) {
    SqlArgs args = new SqlArgs();
    String where = where(c, args);
    String sql = "INSERT INTO " + schema + ".replay_jobs (id, state, matched, replayed, criteria, created_by, node_id, "
        + "created_at, updated_at) SELECT " + args.add(jobId) + ", 'running', count(*), 0, " + args.add(c.toJson().encode())
        + "::text::jsonb, " + args.add(createdBy) + ", " + args.add(nodeId) + ", now(), now() FROM " + from(c)
        + " WHERE " + where + " RETURNING matched, created_at";
    return pool.preparedQuery(sql).execute(args.tuple).map(rows -> {
      Row r = rows.iterator().next();
      return new StartedJob(jobId, r.getLong(0), r.getOffsetDateTime(1));
    });
  }

  /**
   * Replays at most {@code limit} matching deliveries after {@code after} in key order, unchanged
   * since the job's cutoff (so a delivery is never taken twice), and adds them to the job's progress.
   */
  public Future<Batch> replayBatch(StartedJob job, Criteria c, Key after, int limit) {
    SqlArgs args = new SqlArgs();
    String where = where(c, args);
    String sql = "WITH chosen AS (SELECT x.event_id, x.destination_id FROM " + from(c) + " WHERE " + where
        + " AND x.updated_at <= " + args.add(job.cutoff())
        + " AND (x.event_id, x.destination_id) > (" + args.add(after.eventId()) + ", " + args.add(after.destinationId())
        + ") ORDER BY x.event_id, x.destination_id LIMIT " + args.add(limit) + " FOR UPDATE OF x), "
        + "upd AS (UPDATE " + schema + ".deliveries d SET " + REPLAY_SET + " FROM chosen "
        + "WHERE d.event_id = chosen.event_id AND d.destination_id = chosen.destination_id " + REPLAYED + "), "
        + enqueue(schema) + ", "
        + "progress AS (UPDATE " + schema + ".replay_jobs SET replayed = replayed + (SELECT count(*) FROM upd), "
        + "updated_at = now() WHERE id = " + args.add(job.id()) + ") "
        + "SELECT (SELECT count(*) FROM upd), event_id, destination_id FROM chosen "
        + "ORDER BY event_id DESC, destination_id DESC LIMIT 1";
    return pool.preparedQuery(sql).execute(args.tuple).map(rows -> {
      if (rows.size() == 0) {
        return new Batch(0, after);
      }
      Row r = rows.iterator().next();
      return new Batch(r.getLong(0).intValue(), new Key(r.getUUID(1), r.getString(2)));
    });
  }

  /** Deliveries per batch of {@link #runToEnd}: one short transaction each, so rows are not held locked for long. */
  static final int RUN_BATCH = 500;

  /**
   * Runs a started job in batches back to back until nothing matches or {@code limit} (null: no
   * cap) deliveries were replayed, then records it done (or failed, with the cause). The command
   * line's bulk replay; the admin API paces the same batches instead. Completes with the number replayed.
   */
  public Future<Long> runToEnd(StartedJob job, Criteria c, Integer limit) {
    return runFrom(job, c, START, 0, limit)
        .compose(n -> finishJob(job.id(), "done", null).map(n),
            err -> finishJob(job.id(), "failed", "replay failed: " + err.getMessage())
                .transform(ignored -> Future.failedFuture(err)));
  }

  private Future<Long> runFrom(StartedJob job, Criteria c, Key after, long replayed, Integer limit) {
    if (limit != null && replayed >= limit) {
      return Future.succeededFuture(replayed);
    }
    int batch = limit == null ? RUN_BATCH : (int) Math.min(RUN_BATCH, limit - replayed);
    // Done only on an empty batch: a locked row that changed meanwhile can make a batch short.
    return replayBatch(job, c, after, batch).compose(b -> b.replayed() == 0 ? Future.succeededFuture(replayed)
        : runFrom(job, c, b.last(), replayed + b.replayed(), limit));
  }

  public Future<Void> finishJob(UUID jobId, String state, String error) {
    return pool.preparedQuery("UPDATE " + schema + ".replay_jobs SET state = $2, error = $3, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(jobId, state, error)).mapEmpty();
  }

  /** A running job records progress at least every second; this long without any, its node is gone. */
  public static final int STALLED_SECONDS = 60;

  /** Null when there is no such job. A running job without progress for a minute is reported failed. */
  public Future<Job> job(UUID jobId) {
    String stalled = "state = 'running' AND updated_at < now() - interval '" + STALLED_SECONDS + " seconds'";
    return pool.preparedQuery("SELECT id, CASE WHEN " + stalled + " THEN 'failed' ELSE state END, matched, replayed, "
            + "created_at, updated_at, CASE WHEN " + stalled + " THEN 'no progress for " + STALLED_SECONDS
            + " s: the node running it (' || node_id || ') stopped' ELSE error END FROM " + schema + ".replay_jobs WHERE id = $1")
        .execute(Tuple.of(jobId)).map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new Job(r.getUUID(0), r.getString(1), r.getLong(2), r.getLong(3), r.getOffsetDateTime(4),
              r.getOffsetDateTime(5), r.getString(6));
        });
  }

  private String from(Criteria c) {
    boolean byEvent = c.eventType() != null || c.since() != null || c.until() != null;
    return schema + ".deliveries x" + (byEvent ? " JOIN " + schema + ".events e ON e.id = x.event_id" : "");
  }

  private static String where(Criteria c, SqlArgs args) {
    StringBuilder w = new StringBuilder("x.status = ANY(" + args.add(DeliveryStatus.values(c.statuses())) + "::text[])");
    if (DeliveryStatus.FAILED.containsAll(c.statuses())) {
      w.append(" AND x.failed_at IS NOT NULL"); // deliveries_failed_idx: dead letters among millions delivered
    }
    if (c.sourceId() != null) {
      w.append(" AND x.source_id = ").append(args.add(c.sourceId()));
    }
    if (c.destinationId() != null) {
      w.append(" AND x.destination_id = ").append(args.add(c.destinationId()));
    }
    if (c.eventType() != null) {
      w.append(" AND e.event_type = ").append(args.add(c.eventType()));
    }
    if (c.since() != null) {
      w.append(" AND e.received_at >= ").append(args.add(c.since()));
    }
    if (c.until() != null) {
      w.append(" AND e.received_at < ").append(args.add(c.until()));
    }
    return w.toString();
  }
}
