package io.hookline.delivery;

import io.hookline.store.DeliveryStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.Iterator;

/**
 * The backlog as the metrics report it, all nodes together: how many deliveries are dead and how
 * old the oldest pending delivery's event is. Read periodically by the management port, off the
 * request path; each query reads one index.
 */
public final class DeliveryBacklog {
  private final Pool pool;
  private final String deadSql;
  private final String oldestPendingSql;

  public DeliveryBacklog(Pool pool, String schema) {
    this.pool = pool;
    // deliveries_status_updated_idx: an index-only count over the dead entries.
    this.deadSql = "SELECT count(*) FROM " + schema + ".deliveries WHERE status = " + DeliveryStatus.DEAD.sql();
    // Event ids are UUIDv7 (EventIds.newId: milliseconds first), so the smallest pending event id is
    // the oldest pending event: one end of deliveries_pending_event_idx, not a scan of the backlog.
    this.oldestPendingSql = "SELECT greatest(0, extract(epoch FROM now() - e.received_at))::float8 FROM "
        + "(SELECT event_id FROM " + schema + ".deliveries WHERE status = " + DeliveryStatus.PENDING.sql() + " ORDER BY event_id LIMIT 1) p "
        + "JOIN " + schema + ".events e ON e.id = p.event_id";
  }

  /** Deliveries that used up their attempts and wait for a replay. */
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

  /** The SQL, for EXPLAIN in tests. */
  String oldestPendingSql() {
    return oldestPendingSql;
  }

  String deadSql() {
    return deadSql;
  }
}
