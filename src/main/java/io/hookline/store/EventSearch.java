package io.hookline.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The admin API's read side of {@code events}, {@code deliveries} and {@code delivery_attempts}:
 * filtered listing with keyset pagination, one event in full, and delivery counts per source.
 * Every query is one indexed, prepared statement (see load-tests/admin-queries for the plans).
 */
public final class EventSearch {
  /** Keyset position: the last event of the previous page, in (received_at, id) descending order. */
  public record Position(OffsetDateTime receivedAt, UUID id) {}

  /**
   * Null fields do not filter. {@code statuses}: at least one delivery in one of them (to
   * {@code destinationId} when that is given too); {@link #FILTERED} alone instead: no delivery to
   * at least one of {@code routes} (to {@code destinationId} when given). {@code sourcesWithDestination}:
   * the configured sources that have {@code destinationId}, used to reach the events by source index
   * (empty: any). {@code routes}: today's configured (source, destination) pairs.
   */
  public record Filter(String sourceId, String destinationId, List<String> statuses, String eventType,
                       String providerEventId, OffsetDateTime since, OffsetDateTime until, Position after,
                       int limit, List<String> sourcesWithDestination, List<Route> routes) {}

  /** A configured destination of a source. */
  public record Route(String sourceId, String destinationId) {}

  /** The list status of events without a delivery to some configured destination of their source. */
  public static final String FILTERED = "filtered";

  public record DeliverySummary(String destinationId, String status, int round, int attempts, Integer lastStatus,
                                OffsetDateTime nextAttemptAt, String lastError, OffsetDateTime updatedAt) {}

  public record EventSummary(UUID id, String sourceId, String providerEventId, String eventType,
                             OffsetDateTime receivedAt, List<DeliverySummary> deliveries) {}

  /** {@code more}: there is at least one event after the last one of this page. */
  public record Page(List<EventSummary> events, boolean more) {}

  public record Attempt(String destinationId, int round, int attempt, String nodeId, OffsetDateTime startedAt,
                        OffsetDateTime finishedAt, Integer statusCode, int latencyMs, String outcome, String error) {}

  /** {@code headersJson}: the stored JSON array of [name, value] pairs, as received. */
  public record Detail(EventSummary summary, String contentType, String headersJson, Buffer body,
                       Map<String, List<Attempt>> attemptsByDestination) {}

  public record StatusCount(String sourceId, String status, long count) {}

  private static final String EVENT_COLUMNS = "e.id, e.source_id, e.provider_event_id, e.event_type, e.received_at";
  private static final String DELIVERY_COLUMNS = "event_id, destination_id, status, round, attempts, last_status, "
      + "next_attempt_at, last_error, updated_at";

  private final Pool pool;
  private final String schema;
  private final String fewSql;

  public EventSearch(Pool pool, String schema) {
    this.pool = pool;
    this.schema = schema;
    // Counts at most FEW_DELIVERIES dead or gone deliveries (deliveries_failed_idx: those alone are indexed).
    this.fewSql = "SELECT count(*) FROM (SELECT 1 FROM " + schema + ".deliveries WHERE failed_at IS NOT NULL "
        + "AND status = ANY($1::text[]) LIMIT "
        + FEW_DELIVERIES + ") few";
  }

  /** A statement and its parameters (also what the query-plan fixture EXPLAINs). */
  public record Statement(String sql, Tuple args) {}

  /**
   * Below this many deliveries in the asked statuses, the page is found from those deliveries
   * (failed_at index, then each event by primary key) instead of walking the newest events until
   * enough match: dead letters from an outage days ago would otherwise mean a walk over every
   * event since (1.5 s at 1 M events, measured), and a few old dead letters a walk over all.
   */
  static final int FEW_DELIVERIES = 50_000;

  /** One page, newest first, with every delivery of each event. */
  public Future<Page> list(Filter f) {
    if (!onlyFinishedFailures(f)) {
      return page(f, listStatement(f, false));
    }
    return pool.preparedQuery(fewSql).execute(Tuple.of((Object) f.statuses().toArray(String[]::new)))
        .compose(rows -> page(f, listStatement(f, rows.iterator().next().getLong(0) < FEW_DELIVERIES)));
  }

  /**
   * Dead and gone deliveries are rare and can be of any age; pending ones are recent (walking the
   * newest events finds them at once) and delivered ones are nearly all.
   */
  private static boolean onlyFinishedFailures(Filter f) {
    // With since, the walk ends at since: bounded by the window, and cheaper than fetching every dead letter.
    return f.since() == null && f.statuses() != null && !f.statuses().isEmpty()
        && List.of(DeliveryStatus.values(DeliveryStatus.FAILED)).containsAll(f.statuses());
  }

  private static boolean filtered(Filter f) {
    return f.statuses() != null && f.statuses().contains(FILTERED);
  }

  private Future<Page> page(Filter f, Statement st) {
    return pool.preparedQuery(st.sql()).execute(st.args()).compose(rows -> {
      List<Row> page = new ArrayList<>(rows.size());
      rows.forEach(page::add);
      boolean more = page.size() > f.limit();
      List<Row> shown = more ? page.subList(0, f.limit()) : page;
      UUID[] ids = shown.stream().map(r -> r.getUUID(0)).toArray(UUID[]::new);
      return deliveriesOf(ids).map(byEvent -> {
        List<EventSummary> events = new ArrayList<>(shown.size());
        for (Row r : shown) {
          events.add(summary(r, byEvent.getOrDefault(r.getUUID(0), List.of())));
        }
        return new Page(events, more);
      });
    });
  }

  /** The page query as {@link #list} picks it. */
  public Future<Statement> listStatement(Filter f) {
    if (!onlyFinishedFailures(f)) {
      return Future.succeededFuture(listStatement(f, false));
    }
    return pool.preparedQuery(fewSql).execute(Tuple.of((Object) f.statuses().toArray(String[]::new)))
        .map(rows -> listStatement(f, rows.iterator().next().getLong(0) < FEW_DELIVERIES));
  }

  /**
   * The page query: one row more than the limit tells whether there is a next page.
   * {@code fromDeliveries}: the events are looked up from the matching deliveries (few of them).
   */
  Statement listStatement(Filter f, boolean fromDeliveries) {
    SqlArgs args = new SqlArgs();
    StringBuilder sql = new StringBuilder("SELECT " + EVENT_COLUMNS + " FROM " + schema + ".events e WHERE true");
    if (f.sourceId() != null) {
      sql.append(" AND e.source_id = ").append(args.add(f.sourceId()));
    } else if (f.destinationId() != null && !f.sourcesWithDestination().isEmpty()) {
      // A destination belongs to a source: reach its events through the (source, time) index.
      sql.append(" AND e.source_id = ANY(").append(args.add(f.sourcesWithDestination().toArray(String[]::new)))
          .append("::text[])");
    } else if (f.providerEventId() != null) {
      // The unique key is (source_id, provider_event_id): enumerate the stored sources (a loose
      // index scan, a few rows) so a lookup by provider id alone uses it too, without another index.
      sql.append(" AND e.source_id IN (WITH RECURSIVE s(id) AS (SELECT min(source_id) FROM ").append(schema)
          .append(".events UNION ALL SELECT (SELECT min(source_id) FROM ").append(schema)
          .append(".events WHERE source_id > s.id) FROM s WHERE s.id IS NOT NULL) SELECT id FROM s WHERE id IS NOT NULL)");
    }
    if (f.providerEventId() != null) {
      sql.append(" AND e.provider_event_id = ").append(args.add(f.providerEventId()));
    }
    if (f.eventType() != null) {
      sql.append(" AND e.event_type = ").append(args.add(f.eventType()));
    }
    if (f.since() != null) {
      sql.append(" AND e.received_at >= ").append(args.add(f.since()));
    }
    if (f.until() != null) {
      sql.append(" AND e.received_at < ").append(args.add(f.until()));
    }
    if (filtered(f)) {
      // An anti-join per configured destination on the deliveries' primary key, while walking the newest events.
      List<Route> routes = f.routes().stream()
          .filter(r -> f.sourceId() == null || r.sourceId().equals(f.sourceId()))
          .filter(r -> f.destinationId() == null || r.destinationId().equals(f.destinationId())).toList();
      sql.append(" AND EXISTS (SELECT 1 FROM unnest(")
          .append(args.add(routes.stream().map(Route::sourceId).toArray(String[]::new))).append("::text[], ")
          .append(args.add(routes.stream().map(Route::destinationId).toArray(String[]::new)))
          .append("::text[]) AS c(s, d) WHERE c.s = e.source_id AND NOT EXISTS (SELECT 1 FROM ").append(schema)
          .append(".deliveries x WHERE x.event_id = e.id AND x.destination_id = c.d))");
    } else if (fromDeliveries) {
      sql.append(" AND e.id = ANY(ARRAY(SELECT d.event_id FROM ").append(schema)
          .append(".deliveries d WHERE d.failed_at IS NOT NULL AND d.status = ANY(")
          .append(args.add(f.statuses().toArray(String[]::new))).append("::text[])");
      if (f.destinationId() != null) {
        sql.append(" AND d.destination_id = ").append(args.add(f.destinationId()));
      }
      sql.append("))");
    } else if (f.destinationId() != null || (f.statuses() != null && !f.statuses().isEmpty())) {
      sql.append(" AND EXISTS (SELECT 1 FROM ").append(schema).append(".deliveries d WHERE d.event_id = e.id");
      if (f.destinationId() != null) {
        sql.append(" AND d.destination_id = ").append(args.add(f.destinationId()));
      }
      if (f.statuses() != null && !f.statuses().isEmpty()) {
        sql.append(" AND d.status = ANY(").append(args.add(f.statuses().toArray(String[]::new))).append("::text[])");
      }
      sql.append(')');
    }
    if (f.after() != null) {
      sql.append(" AND (e.received_at, e.id) < (").append(args.add(f.after().receivedAt())).append(", ")
          .append(args.add(f.after().id())).append(')');
    }
    sql.append(" ORDER BY e.received_at DESC, e.id DESC LIMIT ").append(args.add(f.limit() + 1));
    return new Statement(sql.toString(), args.tuple);
  }

  /** The event with its deliveries and every attempt of every round; null when there is no such event. */
  public Future<Detail> detail(UUID id) {
    Future<Row> event = pool.preparedQuery("SELECT " + EVENT_COLUMNS + ", e.content_type, e.headers::text, e.body FROM "
            + schema + ".events e WHERE e.id = $1")
        .execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? null : rows.iterator().next());
    Future<Map<UUID, List<DeliverySummary>>> deliveries = deliveriesOf(new UUID[] {id});
    Future<Map<String, List<Attempt>>> attempts = pool.preparedQuery("SELECT destination_id, round, attempt, node_id, "
            + "started_at, finished_at, status_code, latency_ms, outcome, error FROM " + schema
            + ".delivery_attempts WHERE event_id = $1 ORDER BY destination_id, round, attempt")
        .execute(Tuple.of(id)).map(rows -> {
          Map<String, List<Attempt>> out = new LinkedHashMap<>();
          for (Row r : rows) {
            out.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new Attempt(r.getString(0), r.getInteger(1),
                r.getInteger(2), r.getString(3), r.getOffsetDateTime(4), r.getOffsetDateTime(5), r.getInteger(6),
                r.getInteger(7), r.getString(8), r.getString(9)));
          }
          return out;
        });
    return Future.all(event, deliveries, attempts).map(all -> {
      Row r = event.result();
      if (r == null) {
        return null;
      }
      return new Detail(summary(r, deliveries.result().getOrDefault(id, List.of())), r.getString(5), r.getString(6),
          r.getBuffer(7), attempts.result());
    });
  }

  /** Deliveries per source and status, over every stored event. */
  public Future<List<StatusCount>> countsBySource() {
    return pool.query("SELECT source_id, status, count(*) FROM " + schema + ".deliveries GROUP BY 1, 2").execute()
        .map(rows -> {
          List<StatusCount> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(new StatusCount(r.getString(0), r.getString(1), r.getLong(2))));
          return out;
        });
  }

  private Future<Map<UUID, List<DeliverySummary>>> deliveriesOf(UUID[] eventIds) {
    if (eventIds.length == 0) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery("SELECT " + DELIVERY_COLUMNS + " FROM " + schema
            + ".deliveries WHERE event_id = ANY($1::uuid[]) ORDER BY event_id, destination_id")
        .execute(Tuple.of((Object) eventIds)).map(rows -> {
          Map<UUID, List<DeliverySummary>> out = new LinkedHashMap<>();
          for (Row r : rows) {
            out.computeIfAbsent(r.getUUID(0), k -> new ArrayList<>()).add(new DeliverySummary(r.getString(1),
                r.getString(2), r.getInteger(3), r.getInteger(4), r.getInteger(5), r.getOffsetDateTime(6),
                r.getString(7), r.getOffsetDateTime(8)));
          }
          return out;
        });
  }

  private static EventSummary summary(Row r, List<DeliverySummary> deliveries) {
    return new EventSummary(r.getUUID(0), r.getString(1), r.getString(2), r.getString(3), r.getOffsetDateTime(4),
        deliveries);
  }
}
