package io.hookline.management.admin;

import io.hookline.store.EventSearch.Position;
import io.hookline.store.RequestLogStore;
import io.hookline.store.RequestLogStore.Filter;
import io.hookline.store.RequestLogStore.Summary;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** {@code GET /admin/api/requests}: refused requests, filtered, newest first, keyset-paginated like the events. */
final class ListRequestsHandler implements Handler<RoutingContext> {
  private static final Set<String> PARAMS = Set.of("source", "reason", "since", "until", "limit", "cursor");

  private final RequestLogStore store;

  ListRequestsHandler(RequestLogStore store) {
    this.store = store;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Params p = new Params(ctx.queryParams(), PARAMS);
    String cursor = p.string("cursor");
    Filter filter = new Filter(p.string("source"), p.string("reason"), p.time("since", true), p.time("until", false));
    store.list(filter, cursor == null ? null : Cursors.decode(cursor), ListEventsHandler.limit(ctx)).onSuccess(page -> {
      JsonArray requests = new JsonArray();
      page.requests().forEach(r -> requests.add(summary(r)));
      String next = null;
      if (page.more()) {
        Summary last = page.requests().get(page.requests().size() - 1);
        next = Cursors.encode(new Position(last.receivedAt(), last.id()));
      }
      ctx.json(new JsonObject().put("requests", requests).put("nextCursor", next));
    }).onFailure(ctx::fail);
  }

  static JsonObject summary(Summary r) {
    return new JsonObject().put("id", r.id().toString()).put("source", r.sourceId()).put("reason", r.reason())
        .put("status", r.status()).put("receivedAt", AdminJson.time(r.receivedAt()))
        .put("remoteAddress", r.remoteAddress()).put("node", r.nodeId());
  }
}
