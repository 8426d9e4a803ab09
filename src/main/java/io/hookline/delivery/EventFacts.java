package io.hookline.delivery;

import io.hookline.expression.EventContext;
import io.hookline.store.ClaimedDelivery;
import io.hookline.store.Events;
import io.vertx.core.Future;
import java.util.Map;

/**
 * What a transform may read that a delivery does not carry (type, provider event id, arrival time,
 * headers): one primary-key read per claimed attempt, made only for destinations with a {@code transform} or a
 * broker key; a handed-off attempt brings the event its filters saw instead ({@link HandedOffEvent#event}).
 */
final class EventFacts {
  private final Events events;

  EventFacts(Events events) {
    this.events = events;
  }

  /** The delivery's event as its transform sees it; fails if the event is gone. */
  Future<EventContext> context(ClaimedDelivery d) {
    return events.facts(d.eventId()).map(f -> {
      if (f == null) {
        throw new IllegalStateException("event " + d.eventId() + " is no longer stored");
      }
      String headers = f.headersJson();
      return new EventContext(d.sourceId(), d.eventId().toString(), f.providerEventId(), f.eventType(),
          f.receivedAt().toInstant(), () -> headers == null ? Map.of() : EventContext.firstValues(headers), d.body());
    });
  }
}
