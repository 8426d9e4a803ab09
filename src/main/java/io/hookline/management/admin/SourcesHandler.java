package io.hookline.management.admin;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.store.EventSearch;
import io.hookline.store.EventSearch.StatusCount;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /admin/api/sources}: each source with its destinations and delivery counts by status. */
final class SourcesHandler implements Handler<RoutingContext> {
  private final EventSearch search;
  private final HooklineConfig config;

  SourcesHandler(EventSearch search, HooklineConfig config) {
    this.search = search;
    this.config = config;
  }

  @Override
  public void handle(RoutingContext ctx) {
    search.countsBySource().onSuccess(counts -> {
      Map<String, JsonObject> sources = new LinkedHashMap<>();
      for (SourceConfig s : config.sources()) {
        JsonArray destinations = new JsonArray();
        s.destinations().stream().map(DestinationConfig::id).forEach(destinations::add);
        sources.put(s.id(), source(s.id(), s.provider(), destinations));
      }
      for (StatusCount c : counts) {
        // Events of a source since removed from the configuration are still stored: show them too.
        JsonObject source = sources.computeIfAbsent(c.sourceId(), id -> source(id, null, new JsonArray()));
        source.getJsonObject("deliveries").put(c.status(), c.count());
      }
      ctx.json(new JsonObject().put("sources", new JsonArray(new java.util.ArrayList<>(sources.values()))));
    }).onFailure(ctx::fail);
  }

  private static JsonObject source(String id, String provider, JsonArray destinations) {
    JsonObject deliveries = new JsonObject();
    Params.STATUSES.forEach(s -> deliveries.put(s, 0L));
    return new JsonObject().put("id", id).put("provider", provider).put("destinations", destinations)
        .put("deliveries", deliveries);
  }
}
