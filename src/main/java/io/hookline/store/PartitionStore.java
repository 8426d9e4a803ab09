package io.hookline.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The time partitions of events, deliveries and delivery_attempts (migration 11): all three are
 * partitioned by ranges of the event id, a UUIDv7 whose first 48 bits are milliseconds, so one set
 * of bounds serves the three tables. {@link #ensure} creates partitions ahead of time;
 * {@link #dropExpired} drops a partition whose span is past retention, after moving the events that
 * must outlive it (a pending delivery; a dead letter younger than {@code retention.dead}) with their
 * deliveries and attempts to the default partition, in the same transaction. Each runs on one node at a
 * time (transaction-scoped advisory lock); neither is ever on the ingest path.
 */
public final class PartitionStore {
  static final String[] TABLES = {"events", "deliveries", "delivery_attempts"};
  /** Migration 15 sets the same on the partitions that existed then. */
  static final int DELIVERIES_FILLFACTOR = 70;
  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("'p'yyyyMMdd'_'HHmm");
  /**
   * How long upkeep waits for the parents' ACCESS EXCLUSIVE lock before giving up until the next pass.
   * Every ingest and delivery statement queues behind a waiting lock request, so this bounds their stall;
   * and it is below deadlock_timeout (1s): a claim holds deliveries and then reads events, the reverse of
   * upkeep's order, and with 2s the two deadlocked, the claim was killed after 1s and ingest waited that
   * second (soak, 2026-12-07: ack p99 1.6 s in that minute).
   */
  static final String LOCK_TIMEOUT = "100ms";

  /** A partition dropped: its span, and how many of its events were kept (moved to the default partition). */
  public record Dropped(String suffix, OffsetDateTime ends, long keptEvents) {}

  private final Pool pool;
  private final String schema;
  private final String lockSql;

  public PartitionStore(Pool pool, String schema) {
    this.pool = pool;
    this.schema = schema;
    this.lockSql = "SELECT pg_try_advisory_xact_lock(hashtext('hookline.partitions.' || current_database() || '."
        + schema + "'))";
  }

  /** This server's lock table against the partitions {@code span} and {@code kept} make (see {@link LockBudget}). */
  public Future<LockBudget> lockBudget(Duration span, Duration kept, Duration ahead) {
    return pool.preparedQuery("SELECT current_setting('max_locks_per_transaction')::bigint, "
        + "current_setting('max_connections')::bigint + current_setting('max_prepared_transactions')::bigint, "
        + "(SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        + "WHERE n.nspname = $1 AND c.relname IN ('events', 'deliveries'))").execute(Tuple.of(schema))
        .map(rows -> {
          Row r = rows.iterator().next();
          return LockBudget.of(span, kept, ahead, r.getLong(2).intValue(), r.getLong(0), r.getLong(1));
        });
  }

  /** The smallest UUIDv7 of a millisecond: partition bounds. */
  static UUID lowestId(OffsetDateTime at) {
    return new UUID(at.toInstant().toEpochMilli() << 16, 0L);
  }

  /**
   * Creates the partitions of {@code span} from the end of the last one (or a span before now) until
   * {@code ahead} from now. Rows the default partition holds in a new range (events that arrived while
   * no partition covered them) move into it. Returns how many partitions were created (0 when another
   * node holds the lock).
   */
  public Future<Integer> ensure(Duration span, Duration ahead) {
    return upkeep(0, conn -> conn.query("SELECT max(ends), now() FROM " + schema + ".storage_partitions").execute()
        .compose(rows -> {
          Row r = rows.iterator().next();
          OffsetDateTime now = r.getOffsetDateTime(1).withOffsetSameInstant(ZoneOffset.UTC);
          OffsetDateTime last = r.getOffsetDateTime(0);
          OffsetDateTime from = floor(now.minus(span), span);
          if (last != null && last.isAfter(from)) {
            from = last.withOffsetSameInstant(ZoneOffset.UTC);
          }
          return createBetween(conn, from, now.plus(ahead), span);
        }));
  }

  /** The partitions of {@code span} covering {@code from} to {@code until} (a past range: the query-plan fixture's seed). */
  Future<Integer> ensureBetween(OffsetDateTime from, OffsetDateTime until, Duration span) {
    return upkeep(0, conn -> conn.query("SELECT max(ends) FROM " + schema + ".storage_partitions").execute()
        .compose(rows -> {
          OffsetDateTime last = rows.iterator().next().getOffsetDateTime(0);
          OffsetDateTime start = floor(from.withOffsetSameInstant(ZoneOffset.UTC), span);
          return createBetween(conn, last != null && last.isAfter(start) ? last.withOffsetSameInstant(ZoneOffset.UTC) : start,
              until, span);
        }));
  }

  /**
   * {@code work} in a transaction that holds the upkeep lock (one node at a time) and waits at most
   * {@link #LOCK_TIMEOUT} for any table lock; {@code elsewhere} when another node holds the upkeep lock.
   */
  private <T> Future<T> upkeep(T elsewhere, Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(conn -> conn.query(lockSql).execute().compose(lock -> {
      if (!lock.iterator().next().getBoolean(0)) {
        return Future.succeededFuture(elsewhere);
      }
      return conn.query("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'").execute().compose(v -> work.apply(conn));
    }));
  }

  private Future<Integer> createBetween(SqlConnection conn, OffsetDateTime from, OffsetDateTime until, Duration span) {
    Future<Integer> chain = Future.succeededFuture(0);
    while (from.isBefore(until)) {
      OffsetDateTime starts = from;
      OffsetDateTime ends = floor(from, span).plus(span);
      chain = chain.compose(n -> create(conn, starts, ends).map(v -> n + 1));
      from = ends;
    }
    return chain;
  }

  private Future<Void> create(SqlConnection conn, OffsetDateTime starts, OffsetDateTime ends) {
    String suffix = starts.format(SUFFIX);
    String range = "FOR VALUES FROM ('" + lowestId(starts) + "') TO ('" + lowestId(ends) + "')";
    String idRange = " >= '" + lowestId(starts) + "' AND %s < '" + lowestId(ends) + "'";
    Future<Void> chain = Future.succeededFuture();
    for (String table : TABLES) {
      String key = table.equals("events") ? "id" : "event_id";
      String moved = "moved_" + table;
      // A new range may not hold rows in the default partition: move them out first, then back in through the parent.
      chain = chain
          .compose(v -> conn.query("CREATE TEMP TABLE " + moved + " ON COMMIT DROP AS WITH m AS (DELETE FROM " + schema
              + "." + table + "_default WHERE " + key + idRange.formatted(key) + " RETURNING *) SELECT * FROM m").execute())
          .compose(v -> conn.query("CREATE TABLE " + schema + "." + table + "_" + suffix + " PARTITION OF " + schema + "."
              + table + " " + range + storageParameters(table)).execute())
          .compose(v -> conn.query("INSERT INTO " + schema + "." + table + " SELECT * FROM " + moved).execute())
          .compose(v -> conn.query("DROP TABLE " + moved).execute())
          .mapEmpty();
    }
    return chain.compose(v -> conn.preparedQuery("INSERT INTO " + schema + ".storage_partitions (suffix, starts, ends) "
        + "VALUES ($1, $2, $3)").execute(Tuple.of(suffix, starts, ends))).mapEmpty();
  }

  /**
   * Events keep their bodies in the row (migration 5); deliveries leave room in each page for a row's next
   * version, so a result write is a HOT update (migration 15).
   */
  static String storageParameters(String table) {
    return switch (table) {
      case "events" -> " WITH (toast_tuple_target = 8160)";
      case "deliveries" -> " WITH (fillfactor = " + DELIVERIES_FILLFACTOR + ")";
      default -> "";
    };
  }

  /**
   * Drops every partition that ended before {@code deliveredBefore}, one transaction each; its events
   * with a pending delivery, or a dead one received after {@code deadBefore}, are kept. Returns the
   * partitions dropped (none when another node holds the lock or the tables stayed busy).
   */
  public Future<List<Dropped>> dropExpired(OffsetDateTime deliveredBefore, OffsetDateTime deadBefore) {
    return pool.preparedQuery("SELECT suffix, starts, ends FROM " + schema + ".storage_partitions WHERE dropped_at IS NULL"
        + " AND ends <= $1 ORDER BY ends").execute(Tuple.of(deliveredBefore)).compose(rows -> {
      List<Dropped> dropped = new ArrayList<>();
      Future<Void> chain = Future.succeededFuture();
      for (Row r : rows) {
        String suffix = r.getString(0);
        OffsetDateTime starts = r.getOffsetDateTime(1);
        OffsetDateTime ends = r.getOffsetDateTime(2);
        chain = chain.compose(v -> drop(suffix, starts, ends, deliveredBefore, deadBefore).map(d -> {
          if (d != null) {
            dropped.add(d);
          }
          return null;
        }));
      }
      return chain.map(v -> dropped);
    });
  }

  private Future<Dropped> drop(String suffix, OffsetDateTime starts, OffsetDateTime ends, OffsetDateTime deliveredBefore,
                               OffsetDateTime deadBefore) {
    String s = schema + ".";
    String events = s + "events_" + suffix;
    String deliveries = s + "deliveries_" + suffix;
    String attempts = s + "delivery_attempts_" + suffix;
    // The rules of RetentionStore (literals: CREATE TABLE AS takes no parameters; both are our own timestamps): pending stays; dead stays until retention.dead; the rest goes at retention.delivered.
    // Three queries each served by an index (received_at; the queue's key over the span's ids; failed_at) rather
    // than every event of the span with two lookups each: this runs under the parents' lock, which ingest waits for.
    String keep = "CREATE TEMP TABLE kept_ids ON COMMIT DROP AS SELECT e.id FROM " + events + " e WHERE e.received_at >= $1"
        + " UNION SELECT q.event_id FROM " + s + "delivery_queue q WHERE q.event_id >= '" + lowestId(starts)
        + "' AND q.event_id < '" + lowestId(ends) + "'"
        + " UNION SELECT d.event_id FROM " + deliveries + " d JOIN " + events + " e ON e.id = d.event_id"
        + " WHERE d.failed_at IS NOT NULL AND d.status = " + DeliveryStatus.DEAD.sql() + " AND e.received_at >= $2";
    return upkeep((Dropped) null, conn -> {
      // Parents first, in one statement: one order for every upkeep. Writers do not all share it (a claim takes
      // deliveries, then events), hence the short LOCK_TIMEOUT rather than a wait. ONLY the parents, whose lock every
      // writer takes first: without ONLY the lock recurses into every partition and waits for autovacuum on the one
      // that just filled (the soak's upkeep timed out at each minute's first pass that way).
      return conn.query("LOCK TABLE ONLY " + s + "events, " + s + "deliveries, " + s + "delivery_attempts"
              + " IN ACCESS EXCLUSIVE MODE").execute()
          .compose(v -> conn.query(keep.replace("$1", "'" + deliveredBefore + "'").replace("$2", "'" + deadBefore + "'"))
              .execute())
          .compose(v -> conn.query("CREATE TEMP TABLE kept_events ON COMMIT DROP AS SELECT * FROM " + events
              + " WHERE id IN (SELECT id FROM kept_ids)").execute())
          .compose(v -> conn.query("CREATE TEMP TABLE kept_deliveries ON COMMIT DROP AS SELECT * FROM " + deliveries
              + " WHERE event_id IN (SELECT id FROM kept_ids)").execute())
          .compose(v -> conn.query("CREATE TEMP TABLE kept_attempts ON COMMIT DROP AS SELECT * FROM " + attempts
              + " WHERE event_id IN (SELECT id FROM kept_ids)").execute())
          .compose(v -> conn.query("DROP TABLE " + events + ", " + deliveries + ", " + attempts).execute())
          .compose(v -> conn.query("INSERT INTO " + s + "events SELECT * FROM kept_events").execute())
          .compose(kept -> conn.query("INSERT INTO " + s + "deliveries SELECT * FROM kept_deliveries").execute()
              .compose(v -> conn.query("INSERT INTO " + s + "delivery_attempts SELECT * FROM kept_attempts").execute())
              .compose(v -> conn.preparedQuery("UPDATE " + s + "storage_partitions SET dropped_at = now(), kept_events = $2"
                  + " WHERE suffix = $1").execute(Tuple.of(suffix, (long) kept.rowCount())))
              .map(v -> new Dropped(suffix, ends, kept.rowCount())));
    });
  }

  static OffsetDateTime floor(OffsetDateTime t, Duration span) {
    long ms = t.toInstant().toEpochMilli();
    long spanMs = span.toMillis();
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(ms - Math.floorMod(ms, spanMs)), ZoneOffset.UTC);
  }
}
