package io.hookline.management.admin;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.delivery.EventRouter;
import io.hookline.expression.EventContext;
import io.hookline.store.EventSearch;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * {@code GET /admin/api/events/{id}}: headers as received, the exact body, every attempt, and
 * {@code filtered}: the source's destinations whose {@code eventTypes} or {@code filter} this event does
 * not match (it has no delivery there), from the running configuration, and {@code filterErrors}: for
 * those whose filter failed on it, the error (a failing filter counts as not matching).
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
        filtered(out, StoredEvent.context(detail));
        ctx.json(out);
      }
    }).onFailure(ctx::fail);
  }

  /** Puts {@code filtered} (destination ids) and {@code filterErrors} (destination id to the failed filter's message). */
  private void filtered(JsonObject event, EventContext context) {
    JsonArray out = new JsonArray();
    JsonObject errors = new JsonObject();
    event.put("filtered", out).put("filterErrors", errors);
    SourceConfig source = config.source(event.getString("source"));
    if (source == null) {
      return;
    }
    java.util.Set<String> delivered = new java.util.HashSet<>();
    JsonArray deliveries = event.getJsonArray("deliveries");
    for (int i = 0; i < deliveries.size(); i++) {
      delivered.add(deliveries.getJsonObject(i).getString("destination"));
    }
    EventRouter.filteredOut(source, context).forEach((destination, error) -> {
      if (!delivered.contains(destination)) {
        out.add(destination);
        if (error != null) {
          errors.put(destination, error);
        }
      }
    });
  }
}
