package io.hookline.delivery;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which destinations of a source an event goes to, from its type and the destinations'
 * {@code eventTypes}: decided once per event on the event loop, before the commit, so a filtered
 * destination gets no delivery row at all. A source without any {@code eventTypes} always gets the
 * same {@link Route} back, with no matching done. Thread-safe (shared by the ingest event loops).
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

  /** The route of an event of this source with this type (null type: only destinations without eventTypes). */
  public Route route(String sourceId, String eventType) {
    return sources.get(sourceId).route(eventType);
  }

  /** The destinations of the source that an event of this type is NOT delivered to (for the admin API). */
  public static List<String> filteredOut(SourceConfig source, String eventType) {
    List<String> out = new ArrayList<>();
    for (DestinationConfig d : source.destinations()) {
      if (!d.eventTypes().isEmpty() && !new EventTypeFilter(d.eventTypes()).matches(eventType)) {
        out.add(d.id());
      }
    }
    return out;
  }

  private static final class SourceRoutes {
    private final List<DestinationConfig> destinations;
    /** Per destination, its compiled eventTypes; null = every event. All null: no matching at all. */
    private final EventTypeFilter[] filters;
    private final boolean anyFilter;
    private final long[] leaseMillis;
    private final Route all;
    /** One Route per set of matching destinations (bit i = destination i), built on first use. */
    private final Map<Long, Route> byMask = new ConcurrentHashMap<>();

    SourceRoutes(SourceConfig s, HooklineConfig.Delivery delivery) {
      destinations = s.destinations();
      int n = destinations.size();
      filters = new EventTypeFilter[n];
      leaseMillis = new long[n];
      boolean filtered = false;
      for (int i = 0; i < n; i++) {
        DestinationConfig d = destinations.get(i);
        leaseMillis[i] = DestinationTarget.leaseMillis(delivery.lease(), d);
        if (!d.eventTypes().isEmpty()) {
          filters[i] = new EventTypeFilter(d.eventTypes());
          filtered = true;
        }
      }
      if (filtered && n > 63) {
        throw new IllegalArgumentException("source " + s.id() + ": eventTypes work with up to 63 destinations");
      }
      anyFilter = filtered;
      all = new Route(destinations.stream().map(DestinationConfig::id).toArray(String[]::new), leaseMillis.clone());
    }

    Route route(String type) {
      if (!anyFilter) {
        return all;
      }
      long mask = 0;
      for (int i = 0; i < filters.length; i++) {
        if (filters[i] == null || filters[i].matches(type)) {
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
