package io.hookline.store;

import io.vertx.core.Future;
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
public final class DestinationStates {
  private final SqlClient pool;
  private final String allSql;
  private final String pauseSql;
  private final String failureSql;
  private final String successSql;
  private final String probeSql;

  public DestinationStates(SqlClient pool, String schema) {
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
  }

  /** Every stored state by {@link #key}; destinations without a row are closed. */
  public Future<Map<String, DestinationState>> all() {
    return pool.query(allSql).execute().map(rows -> {
      Map<String, DestinationState> out = new HashMap<>();
      for (Row r : rows) {
        Long probe = r.getLong(5);
        out.put(key(r.getString(0), r.getString(1)),
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

  /** How a destination is keyed in these maps (and in the delivery workers' tables). */
  public static String key(String sourceId, String destinationId) {
    return sourceId + "\u0000" + destinationId;
  }

  /** Pauses or resumes by hand; the new state's label. */
  public Future<String> setPaused(String sourceId, String destinationId, boolean paused) {
    return pool.preparedQuery(pauseSql).execute(Tuple.of(sourceId, destinationId, paused)).map(rows -> {
      Row r = rows.iterator().next();
      return r.getBoolean(0) ? "paused" : r.getString(1);
    });
  }

  /** One more consecutive failure; opens the circuit at {@code threshold}. The state after it. */
  public Future<DestinationState> failed(String sourceId, String destinationId, int threshold, long cooldownMillis) {
    return pool.preparedQuery(failureSql).execute(Tuple.of(sourceId, destinationId, threshold, cooldownMillis))
        .map(rows -> {
          Row r = rows.iterator().next();
          Long probe = r.getLong(3);
          return new DestinationState(r.getBoolean(0), "open".equals(r.getString(1)), r.getInteger(2),
              probe == null ? 0 : probe);
        });
  }

  /** A success closes the circuit and clears the failures (no write when already clean). */
  public Future<Void> succeeded(String sourceId, String destinationId) {
    return pool.preparedQuery(successSql).execute(Tuple.of(sourceId, destinationId)).mapEmpty();
  }

  /** True for the one caller (of all nodes) that may send this cooldown's probe to an open circuit. */
  public Future<Boolean> takeProbe(String sourceId, String destinationId, long cooldownMillis) {
    return pool.preparedQuery(probeSql).execute(Tuple.of(sourceId, destinationId, cooldownMillis))
        .map(rows -> rows.rowCount() > 0);
  }
}
