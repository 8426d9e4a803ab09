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
 * The overview's per-minute traffic (migration 11: {@code traffic_minutes}, one row per minute, node
 * and source). Nodes write their own rows; reads sum every node's rows into steps in PostgreSQL, so
 * a month of data is read through the primary key's minute range and never scans events. The
 * three reads run in parallel on the admin pool (measured: docs/overview.md).
 */
public final class TrafficStore {
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
  private final String upsertSql;

  public TrafficStore(Pool pool, String schema) {
    this.pool = pool;
    this.table = schema + ".traffic_minutes";
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

  public Future<Void> deleteBefore(OffsetDateTime cutoff) {
    return pool.preparedQuery("DELETE FROM " + table + " WHERE minute < $1").execute(Tuple.of(cutoff)).mapEmpty();
  }

  /**
   * Fleet totals per step (starting at {@code since}, {@code step} long) and source, for minutes in
   * [since, until); {@code sourceId} null = every source. Three grouped reads: counts, refusals by
   * reason, latency buckets.
   */
  public Future<Map<OffsetDateTime, Map<String, StepTotals>>> steps(OffsetDateTime since, OffsetDateTime until,
                                                                    Duration step, String sourceId) {
    String bin = "date_bin(make_interval(secs => $1), minute, $2)";
    String where = " WHERE minute >= $2 AND minute < $3" + (sourceId == null ? "" : " AND source_id = $4");
    Tuple args = sourceId == null ? Tuple.of((double) step.toSeconds(), since, until)
        : Tuple.of((double) step.toSeconds(), since, until, sourceId);
    Map<OffsetDateTime, Map<String, StepTotals>> out = new TreeMap<>();
    Future<Void> counts = pool.preparedQuery("SELECT " + bin + ", source_id, sum(accepted), sum(duplicate), sum(delivered), "
        + "sum(failed) FROM " + table + where + " GROUP BY 1, 2").execute(args).map(rows -> {
          for (Row r : rows) {
            StepTotals t = totals(out, r);
            t.accepted += r.getLong(2);
            t.duplicate += r.getLong(3);
            t.delivered += r.getLong(4);
            t.failed += r.getLong(5);
          }
          return null;
        });
    Future<Void> refused = pool.preparedQuery("SELECT " + bin + ", source_id, r.key, sum(r.value::bigint) FROM " + table
        + " t CROSS JOIN LATERAL jsonb_each_text(t.refused) r" + where + " GROUP BY 1, 2, 3").execute(args).map(rows -> {
          for (Row r : rows) {
            totals(out, r).refused.merge(r.getString(2), r.getLong(3), Long::sum);
          }
          return null;
        });
    Future<Void> buckets = pool.preparedQuery("SELECT " + bin + ", source_id, u.ord, sum(u.n) FROM " + table
        + " t CROSS JOIN LATERAL unnest(t.ack_buckets) WITH ORDINALITY u(n, ord)" + where + " GROUP BY 1, 2, 3")
        .execute(args).map(rows -> {
          for (Row r : rows) {
            totals(out, r).addBucket(r.getLong(2).intValue() - 1, r.getLong(3));
          }
          return null;
        });
    // The three reads run at once on separate connections; their callbacks all run on this context, one at a time.
    return Future.all(counts, refused, buckets).map(v -> out);
  }

  private static StepTotals totals(Map<OffsetDateTime, Map<String, StepTotals>> out, Row r) {
    OffsetDateTime at = r.getOffsetDateTime(0).withOffsetSameInstant(ZoneOffset.UTC);
    return out.computeIfAbsent(at, k -> new TreeMap<>()).computeIfAbsent(r.getString(1), k -> new StepTotals());
  }

  private static OffsetDateTime minute(long minute) {
    return OffsetDateTime.ofInstant(Instant.ofEpochSecond(minute * 60), ZoneOffset.UTC);
  }
}
