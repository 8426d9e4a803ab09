package io.hookline.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Re-routing of filtered events ({@code POST /admin/api/replay} with {@code status: ["filtered"]}):
 * finds stored events that have no delivery to some destination of today's configuration, and gives
 * them one. The caller decides (eventTypes, CEL filter) which pairs match now. A delivery is the
 * primary key (event, destination): inserting twice is a no-op, so each event reaches each
 * destination at most once however often this runs.
 */
public final class RerouteStore {
  /**
   * The scope: today's (source, destination) pairs the re-route may fill ({@code sourceIds[i]},
   * {@code destinationIds[i]}), and optional event filters (null = any).
   */
  public record Scope(String[] sourceIds, String[] destinationIds, String eventType, OffsetDateTime since,
                      OffsetDateTime until) {}

  /** A stored event with the destinations of the scope it has no delivery to. */
  public record Candidate(UUID id, String sourceId, String providerEventId, String eventType, OffsetDateTime receivedAt,
                          String contentType, String headersJson, Buffer body, List<String> missing) {}

  /** Keyset position: (received_at, id). */
  public record Position(OffsetDateTime receivedAt, UUID id) {}

  public record Batch(List<Candidate> events, Position last) {}

  private final Pool pool;
  private final String schema;

  public RerouteStore(Pool pool, String schema) {
    this.pool = pool;
    this.schema = schema;
  }

  /** How many (event, destination) pairs of the scope have no delivery (the job's {@code matched}). */
  public Future<Long> countFiltered(Scope scope) {
    SqlArgs args = new SqlArgs();
    String sql = "SELECT count(*) FROM " + schema + ".events e CROSS JOIN LATERAL (" + missing(scope, args) + ") m WHERE "
        + eventFilter(scope, args);
    return pool.preparedQuery(sql).execute(args.tuple).map(rows -> rows.iterator().next().getLong(0));
  }

  /** Up to {@code limit} events after {@code after} (oldest first) with at least one pair of the scope missing. */
  public Future<Batch> filtered(Scope scope, Position after, int limit) {
    SqlArgs args = new SqlArgs();
    String sql = "SELECT e.id, e.source_id, e.provider_event_id, e.event_type, e.received_at, e.content_type, "
        + "e.headers::text, e.body, m.destinations FROM " + schema + ".events e CROSS JOIN LATERAL ("
        + "SELECT array_agg(d) AS destinations FROM (" + missing(scope, args) + ") x) m WHERE m.destinations IS NOT NULL AND "
        + eventFilter(scope, args)
        + (after == null ? "" : " AND (e.received_at, e.id) > (" + args.add(after.receivedAt()) + ", " + args.add(after.id()) + ")")
        + " ORDER BY e.received_at, e.id LIMIT " + args.add(limit);
    return pool.preparedQuery(sql).execute(args.tuple).map(rows -> {
      List<Candidate> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new Candidate(r.getUUID(0), r.getString(1), r.getString(2), r.getString(3), r.getOffsetDateTime(4),
            r.getString(5), r.getString(6), r.getBuffer(7), List.of(r.getArrayOfStrings(8))));
      }
      Candidate last = out.isEmpty() ? null : out.get(out.size() - 1);
      return new Batch(out, last == null ? after : new Position(last.receivedAt(), last.id()));
    });
  }

  /**
   * Creates the pending deliveries (eventIds[i] to destinationIds[i]) that do not exist yet and adds
   * how many were created to the job's progress; returns that number.
   */
  public Future<Integer> route(UUID jobId, UUID[] eventIds, String[] sourceIds, String[] destinationIds) {
    String sql = "WITH ins AS (INSERT INTO " + schema + ".deliveries (event_id, source_id, destination_id) "
        + "SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING "
        + "RETURNING event_id, destination_id, source_id, next_attempt_at), "
        + "queued AS (INSERT INTO " + schema + ".delivery_queue (event_id, destination_id, source_id, next_attempt_at) "
        + "SELECT * FROM ins), "
        + "progress AS (UPDATE " + schema + ".replay_jobs SET replayed = replayed + (SELECT count(*) FROM ins), "
        + "updated_at = now() WHERE id = $4) SELECT count(*) FROM ins";
    return pool.preparedQuery(sql).execute(Tuple.of(eventIds, sourceIds, destinationIds, jobId))
        .map(rows -> rows.iterator().next().getLong(0).intValue());
  }

  /** Records a running re-route job (its progress is read like any replay job's). */
  public Future<Void> startJob(UUID jobId, long matched, String criteriaJson, String createdBy, String nodeId) {
    return pool.preparedQuery("INSERT INTO " + schema + ".replay_jobs (id, state, matched, replayed, criteria, created_by, "
            + "node_id, created_at, updated_at) VALUES ($1, 'running', $2, 0, $3::text::jsonb, $4, $5, now(), now())")
        .execute(Tuple.of(jobId, matched, criteriaJson, createdBy, nodeId)).mapEmpty();
  }

  /** The scope's destinations of event e without a delivery. */
  private String missing(Scope scope, SqlArgs args) {
    return "SELECT c.d FROM unnest(" + args.add(scope.sourceIds()) + "::text[], " + args.add(scope.destinationIds())
        + "::text[]) AS c(s, d) WHERE c.s = e.source_id AND NOT EXISTS (SELECT 1 FROM " + schema
        + ".deliveries x WHERE x.event_id = e.id AND x.destination_id = c.d)";
  }

  private static String eventFilter(Scope scope, SqlArgs args) {
    StringBuilder w = new StringBuilder("e.source_id = ANY(" + args.add(scope.sourceIds()) + "::text[])");
    if (scope.eventType() != null) {
      w.append(" AND e.event_type = ").append(args.add(scope.eventType()));
    }
    if (scope.since() != null) {
      w.append(" AND e.received_at >= ").append(args.add(scope.since()));
    }
    if (scope.until() != null) {
      w.append(" AND e.received_at < ").append(args.add(scope.until()));
    }
    return w.toString();
  }
}
