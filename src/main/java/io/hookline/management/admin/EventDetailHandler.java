package io.hookline.management.admin;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.delivery.EventRouter;
import io.hookline.store.EventSearch;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * {@code GET /admin/api/events/{id}}: headers as received, the exact body, every attempt, and
 * {@code filtered}: the source's destinations whose {@code eventTypes} this event's type does not match
 * (it has no delivery there), from the running configuration.
 */
final class EventDetailHandler implements Handler<RoutingContext> {
  private final EventSearch search;
  private final HooklineConfig config;

  EventDetailHandler(EventSearch search, HooklineConfig config) {
    this.search = search;
    this.config = config;
  }

  @Override
  public void handle(RoutingContext ctx) {
    UUID id = UUID.fromString(ctx.pathParam("id")); // its form is checked by the contract
    search.detail(id).onSuccess(detail -> {
      if (detail == null) {
        ctx.fail(AdminFailure.notFound("no event " + id));
      } else {
        JsonObject out = AdminJson.detail(detail);
        out.put("filtered", filtered(out));
        ctx.json(out);
      }
    }).onFailure(ctx::fail);
  }

  private JsonArray filtered(JsonObject event) {
    JsonArray out = new JsonArray();
    SourceConfig source = config.source(event.getString("source"));
    if (source == null) {
      return out;
    }
    java.util.Set<String> delivered = new java.util.HashSet<>();
    JsonArray deliveries = event.getJsonArray("deliveries");
    for (int i = 0; i < deliveries.size(); i++) {
      delivered.add(deliveries.getJsonObject(i).getString("destination"));
    }
    EventRouter.filteredOut(source, event.getString("type")).stream().filter(d -> !delivered.contains(d)).forEach(out::add);
    return out;
  }
}
