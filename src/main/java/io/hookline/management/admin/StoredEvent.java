package io.hookline.management.admin;

import io.hookline.expression.EventContext;
import io.hookline.store.EventSearch.Detail;
import io.hookline.store.EventSearch.EventSummary;

/** A stored event as its filters and transforms see it (the admin API's detail, test and re-routing). */
final class StoredEvent {
  private StoredEvent() {}

  static EventContext context(Detail d) {
    EventSummary e = d.summary();
    return new EventContext(e.sourceId(), e.id().toString(), e.providerEventId(), e.eventType(),
        e.receivedAt() == null ? null : e.receivedAt().toInstant(), () -> EventContext.firstValues(d.headersJson()),
        d.body());
  }
}
