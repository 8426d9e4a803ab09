package io.hookline.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Single-event reads of the {@code events} table for the delivery workers. Events are written by
 * {@link EventWriter}; the admin API reads them through {@link EventSearch}.
 */
public final class Events {
  /** What a transform may read that a claimed delivery does not carry; {@code headersJson} may be null. */
  public record Facts(String eventType, String providerEventId, OffsetDateTime receivedAt, String headersJson) {}

  private final Pool pool;
  private final String factsSql;

  public Events(Pool pool, String schema) {
    this.pool = pool;
    this.factsSql = "SELECT event_type, provider_event_id, received_at, headers::text FROM " + schema + ".events WHERE id = $1";
  }

  /** One primary-key read; null when the event is no longer stored. */
  public Future<Facts> facts(UUID eventId) {
    return pool.preparedQuery(factsSql).execute(Tuple.of(eventId)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      return new Facts(r.getString(0), r.getString(1), r.getOffsetDateTime(2), r.getString(3));
    });
  }
}
