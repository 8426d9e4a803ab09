package io.hookline.management.admin;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * {@code POST /admin/api/requests/{id}/retry}: 200 {@code {"id","duplicate"}} once the event is
 * committed, 422 with the verification {@code reason} if it still fails.
 */
final class RetryRequestHandler implements Handler<RoutingContext> {
  private final RequestRetrier retrier;

  RetryRequestHandler(RequestRetrier retrier) {
    this.retrier = retrier;
  }

  @Override
  public void handle(RoutingContext ctx) {
    UUID id = Params.uuid("id", ctx.pathParam("id"));
    retrier.retry(id).onSuccess(answer -> {
      AuditLog.mutation(ctx, "retry-request", "request=" + id + " event=" + answer.getString("id"), 1);
      ctx.json(answer);
    }).onFailure(ctx::fail);
  }
}
