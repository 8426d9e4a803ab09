package io.hookline.management.admin;

import io.hookline.store.EventSearch;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** {@code GET /admin/api/events/{id}}: headers as received, the exact body, every attempt. */
final class EventDetailHandler implements Handler<RoutingContext> {
  private final EventSearch search;

  EventDetailHandler(EventSearch search) {
    this.search = search;
  }

  @Override
  public void handle(RoutingContext ctx) {
    UUID id = Params.uuid("id", ctx.pathParam("id"));
    search.detail(id).onSuccess(detail -> {
      if (detail == null) {
        ctx.fail(AdminFailure.notFound("no event " + id));
      } else {
        ctx.json(AdminJson.detail(detail));
      }
    }).onFailure(ctx::fail);
  }
}
