package io.hookline.delivery;

import io.hookline.expression.EventContext;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Map;

/**
 * What a transform may read that a delivery does not carry (type, provider event id, arrival time,
 * headers): one primary-key read per attempt, made only for destinations with a {@code transform}.
 */
final class EventFacts {
  private final Pool pool;
  private final String sql;

  EventFacts(Pool pool, String schema) {
    this.pool = pool;
    this.sql = "SELECT event_type, provider_event_id, received_at, headers::text FROM " + schema + ".events WHERE id = $1";
  }

  /** The delivery's event as its transform sees it; fails if the event is gone. */
  Future<EventContext> context(ClaimedDelivery d) {
    return pool.preparedQuery(sql).execute(Tuple.of(d.eventId())).map(rows -> {
      if (rows.size() == 0) {
        throw new IllegalStateException("event " + d.eventId() + " is no longer stored");
      }
      Row r = rows.iterator().next();
      String headers = r.getString(3);
      return new EventContext(d.sourceId(), d.eventId().toString(), r.getString(1), r.getString(0),
          r.getOffsetDateTime(2).toInstant(), () -> headers == null ? Map.of() : EventContext.firstValues(headers), d.body());
    });
  }
}
