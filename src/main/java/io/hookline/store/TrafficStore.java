package io.hookline.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The overview's traffic (docs/overview.md): {@code traffic_minutes} (migration 12), one row per minute,
 * node and source, written by each node; {@code traffic_hours} (migration 13), one row per hour and source
 * for the whole fleet, folded from the minutes by {@link #fold}. Reads sum rows into steps in PostgreSQL and
 * never scan events: steps of whole hours read folded hours and minutes only past the fold; other steps
 * read minutes. The three reads run in parallel on the admin pool.
 */
public final class TrafficStore {
  /** An hour is folded once it ended this long ago; no node writes a minute older than half of it. */
  public static final Duration FOLD_LAG = Duration.ofMinutes(10);
  /** Per-minute rows are kept this long (once folded): steps under an hour reach back this far. */
  public static final Duration MINUTES_KEPT = Duration.ofDays(8);
  /** Hourly rows are kept this long: how far back the overview reaches. */
  public static final Duration HOURS_KEPT = Duration.ofDays(35);

  /** One minute's running totals for one source on one node. */
  public record MinuteTally(long minute, String sourceId, long accepted, long duplicate, Map<String, Long> refused,
                            long delivered, long failed, long[] ackBuckets) {}

  /** One step's totals for one source, summed over the fleet. */
  public static final class StepTotals {
    public long accepted;
    public long duplicate;
    public long delivered;
    public long failed;
    public final Map<String, Long> refused = new TreeMap<>();
    public long[] ackBuckets = new long[0];

    void addBucket(int index, long n) {
      if (ackBuckets.length <= index) {
        ackBuckets = java.util.Arrays.copyOf(ackBuckets, index + 1);
      }
      ackBuckets[index] += n;
    }
  }

  private final Pool pool;
  private final String table;
  private final String hours;
  private final String fold;
  private final String upsertSql;
  private final String foldSql;

  public TrafficStore(Pool pool, String schema) {
    this.pool = pool;
    this.table = schema + ".traffic_minutes";
    this.hours = schema + ".traffic_hours";
    this.fold = schema + ".traffic_fold";
    // Each hour's row is the sum of every node's minutes of that hour, written over (not added to): folding
    // the same hours again gives the same rows. Refusals and latency buckets are summed key by key.
    String hourOf = "date_bin('1 hour'::interval, minute, timestamptz 'epoch')";
    this.foldSql = "WITH bounds AS (SELECT folded_until AS lo, date_bin('1 hour'::interval, now() - make_interval(secs => $1), "
        + "timestamptz 'epoch') AS hi FROM " + fold + "), "
        + "m AS (SELECT t.* FROM " + table + " t, bounds WHERE t.minute >= bounds.lo AND t.minute < bounds.hi), "
        + "counts AS (SELECT " + hourOf + " AS hour, source_id, sum(accepted)::bigint AS accepted, sum(duplicate)::bigint AS duplicate, "
        + "sum(delivered)::bigint AS delivered, sum(failed)::bigint AS failed FROM m GROUP BY 1, 2), "
        + "refusals AS (SELECT hour, source_id, jsonb_object_agg(reason, n) AS refused FROM (SELECT " + hourOf + " AS hour, "
        + "source_id, r.key AS reason, sum(r.value::bigint)::bigint AS n FROM m CROSS JOIN LATERAL jsonb_each_text(m.refused) r "
        + "GROUP BY 1, 2, 3) x GROUP BY 1, 2), "
        + "buckets AS (SELECT hour, source_id, array_agg(n ORDER BY ord) AS ack_buckets FROM (SELECT " + hourOf + " AS hour, "
        + "source_id, u.ord, sum(u.n)::bigint AS n FROM m CROSS JOIN LATERAL unnest(m.ack_buckets) WITH ORDINALITY u(n, ord) "
        + "GROUP BY 1, 2, 3) y GROUP BY 1, 2) "
        + "INSERT INTO " + hours + " (hour, source_id, accepted, duplicate, refused, delivered, failed, ack_buckets) "
        + "SELECT c.hour, c.source_id, c.accepted, c.duplicate, coalesce(r.refused, '{}'), c.delivered, c.failed, "
        + "coalesce(b.ack_buckets, '{}') FROM counts c LEFT JOIN refusals r USING (hour, source_id) "
        + "LEFT JOIN buckets b USING (hour, source_id) "
        + "ON CONFLICT (hour, source_id) DO UPDATE SET accepted = excluded.accepted, duplicate = excluded.duplicate, "
        + "refused = excluded.refused, delivered = excluded.delivered, failed = excluded.failed, ack_buckets = excluded.ack_buckets";
    this.upsertSql = "INSERT INTO " + table + " (minute, node_id, source_id, accepted, duplicate, refused, delivered, failed, "
        + "ack_buckets) VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7, $8, $9) ON CONFLICT (minute, node_id, source_id) "
        + "DO UPDATE SET accepted = excluded.accepted, duplicate = excluded.duplicate, refused = excluded.refused, "
        + "delivered = excluded.delivered, failed = excluded.failed, ack_buckets = excluded.ack_buckets";
  }

  /** Overwrites this node's rows for these minutes with their running totals (one transaction). */
  public Future<Void> write(String nodeId, List<MinuteTally> tallies) {
    List<Tuple> rows = new ArrayList<>(tallies.size());
    for (MinuteTally t : tallies) {
      Long[] buckets = new Long[t.ackBuckets().length];
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = t.ackBuckets()[i];
      }
      rows.add(Tuple.from(new Object[] {minute(t.minute()), nodeId, t.sourceId(), t.accepted(), t.duplicate(),
          new JsonObject(new java.util.LinkedHashMap<>(t.refused())).encode(), t.delivered(), t.failed(), buckets}));
    }
    return pool.preparedQuery(upsertSql).executeBatch(rows).mapEmpty();
  }

  /**
   * Folds every node's minutes of the hours that ended at least {@link #FOLD_LAG} ago (by PostgreSQL's clock)
   * into {@code traffic_hours}, moves the fold mark, then deletes folded minutes older than {@code minutesKept}
   * and hours older than {@code hoursKept}; one transaction. Nodes folding at once take turns on the fold
   * row's lock, and the later one finds nothing left to fold. Answers the hour rows written.
   */
  public Future<Integer> fold(Duration minutesKept, Duration hoursKept) {
    double lag = FOLD_LAG.toSeconds();
    return pool.withTransaction(conn -> conn.query("SELECT folded_until FROM " + fold + " FOR UPDATE").execute()
        .compose(locked -> conn.preparedQuery(foldSql).execute(Tuple.of(lag)))
        .compose(written -> conn.preparedQuery("UPDATE " + fold + " SET folded_until = greatest(folded_until, "
                + "date_bin('1 hour'::interval, now() - make_interval(secs => $1), timestamptz 'epoch'))").execute(Tuple.of(lag))
            .compose(v -> conn.preparedQuery("DELETE FROM " + table + " WHERE minute < least((SELECT folded_until FROM "
                + fold + "), now() - make_interval(secs => $1))").execute(Tuple.of((double) minutesKept.toSeconds())))
            .compose(v -> conn.preparedQuery("DELETE FROM " + hours + " WHERE hour < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) hoursKept.toSeconds())))
            .map(v -> written.rowCount())));
  }

  /**
   * Fleet totals per step (starting at {@code since}, {@code step} long) and source, for minutes in
   * [since, until); {@code sourceId} null = every source. Three grouped reads: counts, refusals by
   * reason, latency buckets.
   */
  public Future<Map<OffsetDateTime, Map<String, StepTotals>>> steps(OffsetDateTime since, OffsetDateTime until,
                                                                    Duration step, String sourceId) {
    String bin = "date_bin(make_interval(secs => $1), minute, $2)";
    String from = rows(step, sourceId);
    Tuple args = sourceId == null ? Tuple.of((double) step.toSeconds(), since, until)
        : Tuple.of((double) step.toSeconds(), since, until, sourceId);
    Map<OffsetDateTime, Map<String, StepTotals>> out = new TreeMap<>();
    Future<Void> counts = pool.preparedQuery("SELECT " + bin + ", source_id, sum(accepted), sum(duplicate), sum(delivered), "
        + "sum(failed) FROM" + from + " GROUP BY 1, 2").execute(args).map(rows -> {
          for (Row r : rows) {
            StepTotals t = totals(out, r);
            t.accepted += r.getLong(2);
            t.duplicate += r.getLong(3);
            t.delivered += r.getLong(4);
            t.failed += r.getLong(5);
          }
          return null;
        });
    Future<Void> refused = pool.preparedQuery("SELECT " + bin + ", source_id, r.key, sum(r.value::bigint) FROM" + from
        + " CROSS JOIN LATERAL jsonb_each_text(t.refused) r GROUP BY 1, 2, 3").execute(args).map(rows -> {
          for (Row r : rows) {
            totals(out, r).refused.merge(r.getString(2), r.getLong(3), Long::sum);
          }
          return null;
        });
    Future<Void> buckets = pool.preparedQuery("SELECT " + bin + ", source_id, u.ord, sum(u.n) FROM" + from
        + " CROSS JOIN LATERAL unnest(t.ack_buckets) WITH ORDINALITY u(n, ord) GROUP BY 1, 2, 3")
        .execute(args).map(rows -> {
          for (Row r : rows) {
            totals(out, r).addBucket(r.getLong(2).intValue() - 1, r.getLong(3));
          }
          return null;
        });
    // The three reads run at once on separate connections; their callbacks all run on this context, one at a time.
    return Future.all(counts, refused, buckets).map(v -> out);
  }

  /**
   * The rows of [$2, $3) as a relation {@code t} (column {@code minute}, one row per minute or hour): for
   * steps of whole hours, folded hours up to the fold mark (never past $3's hour) and minutes from there on,
   * so each minute is counted once; otherwise minutes only.
   */
  private String rows(Duration step, String sourceId) {
    String source = sourceId == null ? "" : " AND source_id = $4";
    String columns = "source_id, accepted, duplicate, refused, delivered, failed, ack_buckets";
    if (step.toSeconds() % 3600 != 0) {
      return " (SELECT minute, " + columns + " FROM " + table + " WHERE minute >= $2 AND minute < $3" + source + ") t";
    }
    String split = "coalesce((SELECT least(greatest(folded_until, $2::timestamptz), date_bin('1 hour'::interval, "
        + "$3::timestamptz, timestamptz 'epoch')) FROM " + fold + "), $2::timestamptz)";
    return " (SELECT hour AS minute, " + columns + " FROM " + hours + " WHERE hour >= $2 AND hour < " + split + source
        + " UNION ALL SELECT minute, " + columns + " FROM " + table + " WHERE minute >= " + split + " AND minute < $3"
        + source + ") t";
  }

  private static StepTotals totals(Map<OffsetDateTime, Map<String, StepTotals>> out, Row r) {
    OffsetDateTime at = r.getOffsetDateTime(0).withOffsetSameInstant(ZoneOffset.UTC);
    return out.computeIfAbsent(at, k -> new TreeMap<>()).computeIfAbsent(r.getString(1), k -> new StepTotals());
  }

  private static OffsetDateTime minute(long minute) {
    return OffsetDateTime.ofInstant(Instant.ofEpochSecond(minute * 60), ZoneOffset.UTC);
  }
}
