package io.hookline.management.admin;

import io.hookline.store.RequestLogStore;
import io.hookline.store.RequestLogStore.RefusedRequest;
import io.hookline.store.RequestLogStore.Summary;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import java.util.Base64;
import java.util.UUID;

/** {@code GET /admin/api/requests/{id}}: a refused request with its headers (credentials masked) and body. */
final class RequestDetailHandler implements Handler<RoutingContext> {
  private final RequestLogStore store;

  RequestDetailHandler(RequestLogStore store) {
    this.store = store;
  }

  @Override
  public void handle(RoutingContext ctx) {
    UUID id = Params.uuid("id", ctx.pathParam("id"));
    store.detail(id).onSuccess(r -> {
      if (r == null) {
        ctx.fail(AdminFailure.notFound("no stored request " + id));
        return;
      }
      byte[] body = r.body().getBytes();
      ctx.json(ListRequestsHandler.summary(summary(r)).put("contentType", r.contentType())
          .put("headers", new JsonArray(r.headersJson())).put("bodyBase64", Base64.getEncoder().encodeToString(body))
          .put("body", AdminJson.utf8OrNull(body)).put("bodyTruncated", r.bodyTruncated()));
    }).onFailure(ctx::fail);
  }

  private static Summary summary(RefusedRequest r) {
    return new Summary(r.id(), r.receivedAt(), r.sourceId(), r.reason(), r.status(), r.remoteAddress(), r.nodeId());
  }
}
