package io.hookline.delivery;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.expression.DestinationExpressions;
import io.hookline.expression.EventContext;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Which destinations of a source an event goes to, from its type and the destinations'
 * {@code eventTypes} and CEL {@code filter}s (both must match): decided once per event on the event
 * loop, before the commit, so a filtered destination gets no delivery row at all. A source without
 * any {@code eventTypes} or {@code filter} always gets the same {@link Route} back, with no matching
 * done and no {@link EventContext} built. Thread-safe (shared by the ingest event loops).
 */
public final class EventRouter {
  /** The destinations an event goes to, in configuration order, and each one's hand-off lease. */
  public record Route(String[] destinationIds, long[] leaseMillis) {}

  private final Map<String, SourceRoutes> sources = new HashMap<>();

  EventRouter(HooklineConfig config) {
    for (SourceConfig s : config.sources()) {
      sources.put(s.id(), new SourceRoutes(s, config.delivery()));
    }
  }

  /**
   * The route of an arriving event whose {@link #context} is {@code event} (null when the source has no
   * filter); its body is parsed only when a filter reads it.
   */
  public Route route(String sourceId, String eventType, EventContext event) {
    return sources.get(sourceId).route(eventType, event);
  }

  /**
   * The event as its source's expressions see it, made once at arrival: the filters read it here and a
   * handed-off delivery's transform or broker key reads the same one (its body parsed at most once per
   * event, no read of the event back from PostgreSQL). Null when no destination of the source has an
   * expression; building it parses nothing. {@code headers}: the headers as stored (lower-case name to
   * first value, credentials left out), so an attempt sees the same event whether handed off or claimed.
   */
  public EventContext context(String sourceId, String eventType, java.util.UUID id, String providerEventId,
                              long receivedAtMillis, Supplier<Map<String, String>> headers, Buffer body) {
    SourceRoutes routes = sources.get(sourceId);
    return routes.anyExpression || routes.deliveryReadsEvent
        ? new EventContext(sourceId, id.toString(), providerEventId, eventType, Instant.ofEpochMilli(receivedAtMillis),
            headers, body)
        : null;
  }

  /** Whether the destination's eventTypes let an event of this type through (none = every event). */
  public static boolean typeMatches(DestinationConfig destination, String eventType) {
    return destination.eventTypes().isEmpty() || new EventTypeFilter(destination.eventTypes()).matches(eventType);
  }

  /** Whether an event is delivered to this destination now: its eventTypes and filter both match. */
  public static Verdict verdict(SourceConfig source, DestinationConfig destination, EventContext event) {
    if (!typeMatches(destination, event.type())) {
      return new Verdict(false, null);
    }
    String[] error = new String[1];
    boolean matched = DestinationExpressions.of(source, destination).matches(event, error);
    return new Verdict(matched, error[0]);
  }

  /** A routing decision for one destination; {@code filterError}: why the filter failed (counts as not matching). */
  public record Verdict(boolean matched, String filterError) {}

  /**
   * The destinations of the source that this stored event is NOT delivered to under today's
   * configuration (for the admin API and the re-routing of filtered events), each with its filter's
   * error if it failed.
   */
  public static Map<String, String> filteredOut(SourceConfig source, EventContext event) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (DestinationConfig d : source.destinations()) {
      Verdict v = verdict(source, d, event);
      if (!v.matched()) {
        out.put(d.id(), v.filterError());
      }
    }
    return out;
  }

  private static final class SourceRoutes {
    private final List<DestinationConfig> destinations;
    /** Per destination, its compiled eventTypes; null = every event. All null: no matching at all. */
    private final EventTypeFilter[] filters;
    /** Per destination, its CEL filter (null = none). */
    private final DestinationExpressions[] expressions;
    private final boolean anyFilter;
    final boolean anyExpression;
    /** Some destination's transform or broker key reads the event at delivery. */
    final boolean deliveryReadsEvent;
    private final long[] leaseMillis;
    private final Route all;
    /** One Route per set of matching destinations (bit i = destination i), built on first use. */
    private final Map<Long, Route> byMask = new ConcurrentHashMap<>();

    SourceRoutes(SourceConfig s, HooklineConfig.Delivery delivery) {
      destinations = s.destinations();
      int n = destinations.size();
      filters = new EventTypeFilter[n];
      expressions = new DestinationExpressions[n];
      leaseMillis = new long[n];
      boolean filtered = false;
      boolean withExpression = false;
      boolean readsEvent = false;
      for (int i = 0; i < n; i++) {
        DestinationConfig d = destinations.get(i);
        readsEvent |= DestinationExpressions.readsEventAtDelivery(s, d);
        leaseMillis[i] = DestinationTarget.leaseMillis(delivery.lease(), d);
        if (!d.eventTypes().isEmpty()) {
          filters[i] = new EventTypeFilter(d.eventTypes());
          filtered = true;
        }
        if (d.filter() != null) {
          expressions[i] = DestinationExpressions.of(s, d);
          withExpression = true;
        }
      }
      if ((filtered || withExpression) && n > 63) {
        throw new IllegalArgumentException("source " + s.id() + ": eventTypes and filters work with up to 63 destinations");
      }
      anyFilter = filtered || withExpression;
      anyExpression = withExpression;
      deliveryReadsEvent = readsEvent;
      all = new Route(destinations.stream().map(DestinationConfig::id).toArray(String[]::new), leaseMillis.clone());
    }

    /** {@code event} is null only when no destination has a filter. */
    Route route(String type, EventContext event) {
      if (!anyFilter) {
        return all;
      }
      long mask = 0;
      for (int i = 0; i < filters.length; i++) {
        if ((filters[i] == null || filters[i].matches(type))
            && (expressions[i] == null || expressions[i].matches(event, null))) {
          mask |= 1L << i;
        }
      }
      return byMask.computeIfAbsent(mask, this::build);
    }

    private Route build(long mask) {
      int n = Long.bitCount(mask);
      String[] ids = new String[n];
      long[] ms = new long[n];
      for (int i = 0, j = 0; i < destinations.size(); i++) {
        if ((mask & (1L << i)) != 0) {
          ids[j] = destinations.get(i).id();
          ms[j++] = leaseMillis[i];
        }
      }
      return new Route(ids, ms);
    }
  }
}
