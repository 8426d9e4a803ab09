package io.hookline.delivery;

import io.hookline.store.DeliveryStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code destination_states} table: manual pause, and the circuit breaker's consecutive failures,
 * open/closed state and probe clock, shared by all nodes. In PostgreSQL rather than Redis: a pause is
 * an operator's decision and an open circuit protects a destination, neither may vanish when Redis
 * restarts empty, and the probe is taken with one conditional UPDATE (one node gets it per cooldown).
 * Only destinations with a {@code circuitBreaker} write here per attempt; others only when paused.
 */
public final class DestinationStateStore {
  private final SqlClient pool;
  private final String allSql;
  private final String pauseSql;
  private final String failureSql;
  private final String successSql;
  private final String probeSql;
  private final String deferSql;
  private final String pendingSql;

  public DestinationStateStore(SqlClient pool, String schema) {
    this.pool = pool;
    String t = schema + ".destination_states";
    this.allSql = "SELECT source_id, destination_id, paused, circuit, failures, "
        + "(extract(epoch FROM probe_at) * 1000)::bigint FROM " + t;
    this.pauseSql = "INSERT INTO " + t + " AS s (source_id, destination_id, paused) VALUES ($1, $2, $3) "
        + "ON CONFLICT (source_id, destination_id) DO UPDATE SET paused = $3, updated_at = now() "
        + "RETURNING s.paused, s.circuit";
    // The probe clock starts when the circuit opens: the first probe goes one cooldown later.
    this.failureSql = "INSERT INTO " + t + " AS s (source_id, destination_id, failures, circuit, opened_at, probe_at) "
        + "VALUES ($1, $2, 1, CASE WHEN $3::int <= 1 THEN 'open' ELSE 'closed' END, "
        + "CASE WHEN $3::int <= 1 THEN now() END, CASE WHEN $3::int <= 1 THEN now() + $4::bigint * interval '1 millisecond' END) "
        + "ON CONFLICT (source_id, destination_id) DO UPDATE SET failures = s.failures + 1, "
        + "circuit = CASE WHEN s.failures + 1 >= $3::int THEN 'open' ELSE s.circuit END, "
        + "opened_at = CASE WHEN s.circuit = 'closed' AND s.failures + 1 >= $3::int THEN now() ELSE s.opened_at END, "
        + "probe_at = CASE WHEN s.circuit = 'closed' AND s.failures + 1 >= $3::int THEN now() + $4::bigint * interval '1 millisecond' "
        + "ELSE s.probe_at END, updated_at = now() "
        + "RETURNING s.paused, s.circuit, s.failures, (extract(epoch FROM s.probe_at) * 1000)::bigint";
    this.successSql = "UPDATE " + t + " SET failures = 0, circuit = 'closed', probe_at = NULL, "
        + "updated_at = now() WHERE source_id = $1 AND destination_id = $2 AND (failures > 0 OR circuit <> 'closed')";
    // One probe per cooldown across nodes: whoever moves probe_at on gets it.
    this.probeSql = "UPDATE " + t + " SET probe_at = now() + $3::bigint * interval '1 millisecond', updated_at = now() "
        + "WHERE source_id = $1 AND destination_id = $2 AND circuit = 'open' AND NOT paused AND probe_at <= now() "
        + "RETURNING 1";
    // A delivery held back (paused, open, no token) gives its attempt back: it is not counted.
    this.deferSql = "UPDATE " + schema + ".deliveries SET lease_owner = NULL, lease_until = NULL, "
        + "next_attempt_at = now() + $6::bigint * interval '1 millisecond', attempts = attempts - 1, updated_at = now() "
        + "WHERE event_id = $1 AND destination_id = $2 AND lease_owner = $3 AND round = $4 AND attempts = $5 "
        + "AND status = " + DeliveryStatus.PENDING.sql();
    this.pendingSql = "SELECT source_id, destination_id, count(*) FROM " + schema + ".deliveries "
        + "WHERE status = " + DeliveryStatus.PENDING.sql() + " GROUP BY source_id, destination_id";
  }

  /** Every stored state by {@link DestinationTarget#key}; destinations without a row are closed. */
  public Future<Map<String, DestinationState>> all() {
    return pool.query(allSql).execute().map(rows -> {
      Map<String, DestinationState> out = new HashMap<>();
      for (Row r : rows) {
        Long probe = r.getLong(5);
        out.put(DestinationTarget.key(r.getString(0), r.getString(1)),
            new DestinationState(r.getBoolean(2), "open".equals(r.getString(3)), r.getInteger(4), probe == null ? 0 : probe));
      }
      return out;
    });
  }

  /** The admin API's view: each stored destination's state label (closed, open, paused) by {@link #key}. */
  public Future<Map<String, String>> labels() {
    return all().map(states -> {
      Map<String, String> out = new HashMap<>();
      states.forEach((k, v) -> out.put(k, v.label()));
      return out;
    });
  }

  /** How a destination is keyed in these maps. */
  public static String key(String sourceId, String destinationId) {
    return DestinationTarget.key(sourceId, destinationId);
  }

  /** Pauses or resumes by hand; the new state's label. */
  public Future<String> setPaused(String sourceId, String destinationId, boolean paused) {
    return pool.preparedQuery(pauseSql).execute(Tuple.of(sourceId, destinationId, paused)).map(rows -> {
      Row r = rows.iterator().next();
      return r.getBoolean(0) ? "paused" : r.getString(1);
    });
  }

  /** Pending deliveries per destination key (all nodes). */
  public Future<Map<String, Long>> pendingByDestination() {
    return pool.query(pendingSql).execute().map(rows -> {
      Map<String, Long> out = new HashMap<>();
      for (Row r : rows) {
        out.put(DestinationTarget.key(r.getString(0), r.getString(1)), r.getLong(2));
      }
      return out;
    });
  }

  Future<DestinationState> failed(String sourceId, String destinationId, int threshold, long cooldownMillis) {
    return pool.preparedQuery(failureSql).execute(Tuple.of(sourceId, destinationId, threshold, cooldownMillis))
        .map(rows -> {
          Row r = rows.iterator().next();
          Long probe = r.getLong(3);
          return new DestinationState(r.getBoolean(0), "open".equals(r.getString(1)), r.getInteger(2),
              probe == null ? 0 : probe);
        });
  }

  Future<Void> succeeded(String sourceId, String destinationId) {
    return pool.preparedQuery(successSql).execute(Tuple.of(sourceId, destinationId)).mapEmpty();
  }

  Future<Boolean> takeProbe(String sourceId, String destinationId, long cooldownMillis) {
    return pool.preparedQuery(probeSql).execute(Tuple.of(sourceId, destinationId, cooldownMillis))
        .map(rows -> rows.rowCount() > 0);
  }

  Future<Void> defer(ClaimedDelivery d, long delayMillis) {
    return pool.preparedQuery(deferSql).execute(Tuple.of(d.eventId(), d.destinationId(), d.leaseOwner(), d.round(),
        d.attempt(), delayMillis)).mapEmpty();
  }
}
