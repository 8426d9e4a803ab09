package io.hookline.management.admin;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin API's one error renderer: {@code {"error","reason"[,"parameter"]}} for every failure. */
final class AdminErrors implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(AdminErrors.class);

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    JsonObject body = new JsonObject();
    int status;
    if (failure instanceof AdminFailure f) {
      status = f.status;
      body.put("error", f.getMessage()).put("reason", f.reason);
      if (f.parameter != null) {
        body.put("parameter", f.parameter);
      }
      if (status == 401) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
      }
    } else if (failure instanceof HttpException h && h.getCause() instanceof ValidatorException v) {
      AdminFailure f = ContractViolations.toFailure(v);
      status = f.status;
      body.put("error", f.getMessage()).put("reason", f.reason).put("parameter", f.parameter);
    } else if (failure instanceof HttpException h && h.getStatusCode() == 413) {
      status = 413;
      body.put("error", "request body too large").put("reason", "bad_parameter").put("parameter", "body");
    } else if (failure == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      status = ctx.statusCode();
      body.put("error", status == 404 ? "no such endpoint" : "bad request")
          .put("reason", status == 404 ? "not_found" : status == 405 ? "method_not_allowed" : "bad_request");
    } else {
      status = 500;
      body.put("error", "internal error (see the node's log)").put("reason", "internal_error");
      LOG.error("admin API {} {} failed", ctx.request().method(), ctx.request().path(), failure);
    }
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
    }
  }
}
