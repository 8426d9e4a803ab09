package io.hookline.management.admin;

import io.hookline.config.HooklineConfig;
import io.hookline.store.EventSearch;
import io.hookline.store.EventSearch.EventSummary;
import io.hookline.store.EventSearch.Filter;
import io.hookline.store.EventSearch.Position;
import io.hookline.store.EventSearch.Route;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.List;
import java.util.Set;

/** {@code GET /admin/api/events}: filtered, newest first, keyset-paginated. */
final class ListEventsHandler implements Handler<RoutingContext> {
  private static final Set<String> PARAMS = Set.of("source", "destination", "status", "type", "providerEventId",
      "since", "until", "limit", "cursor");

  private final EventSearch search;
  private final HooklineConfig config;

  ListEventsHandler(EventSearch search, HooklineConfig config) {
    this.search = search;
    this.config = config;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Params p = new Params(ctx.queryParams(), PARAMS);
    String source = p.string("source");
    String destination = p.string("destination");
    String cursor = p.string("cursor");
    List<String> owners = sourcesWith(destination);
    if (destination != null && owners.isEmpty()) {
      // Destination ids are per source in the configuration; deliveries have no index by destination alone.
      throw AdminFailure.badParameter("destination", "no configured source delivers to destination '" + destination + "'");
    }
    Filter filter = new Filter(source, destination, p.statuses("status"), p.string("type"),
        p.string("providerEventId"), p.time("since", true), p.time("until", false),
        cursor == null ? null : Cursors.decode(cursor), limit(ctx), owners, routes());
    if (source != null && destination != null && !owners.contains(source)) {
      ctx.json(new JsonObject().put("events", new JsonArray()).put("nextCursor", null));
      return;
    }
    search.list(filter).onSuccess(page -> {
      JsonArray events = new JsonArray();
      page.events().forEach(e -> events.add(AdminJson.summary(e)));
      String next = null;
      if (page.more()) {
        EventSummary last = page.events().get(page.events().size() - 1);
        next = Cursors.encode(new Position(last.receivedAt(), last.id()));
      }
      ctx.json(new JsonObject().put("events", events).put("nextCursor", next));
    }).onFailure(ctx::fail);
  }

  /** {@code limit} as the contract read and checked it (1-500; "5.0" is 5), 50 when absent. */
  static int limit(RoutingContext ctx) {
    ValidatedRequest validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    RequestParameter limit = validated.getQuery().get("limit");
    return limit == null ? 50 : limit.getInteger(50);
  }

  /** Every configured (source, destination) pair: {@code status=filtered} looks for events missing one. */
  private List<Route> routes() {
    return config.sources().stream()
        .flatMap(s -> s.destinations().stream().map(d -> new Route(s.id(), d.id()))).toList();
  }

  /** The configured sources that deliver to this destination id (empty when none or not asked). */
  private List<String> sourcesWith(String destination) {
    if (destination == null) {
      return List.of();
    }
    return config.sources().stream()
        .filter(s -> s.destinations().stream().anyMatch(d -> d.id().equals(destination)))
        .map(HooklineConfig.SourceConfig::id).toList();
  }
}
