package io.hookline.ingest;

import io.hookline.metrics.IngestMetrics;
import io.hookline.metrics.IngestOutcome;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that turns a failure into a JSON error body ({@code error}, {@code reason}). */
public final class ErrorRenderer implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger("hookline.rejected");
  static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence CLOSE = HttpHeaders.createOptimized("close");

  private final IngestMetrics metrics;
  private final long retryAfterSeconds;

  public ErrorRenderer(IngestMetrics metrics, long retryAfterSeconds) {
    this.metrics = metrics;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    Throwable failure = ctx.failure();
    int status;
    String reason;
    String message;
    boolean close = false;
    if (failure instanceof IngestFailure f) {
      status = f.status();
      reason = f.outcome().label();
      message = f.getMessage();
      close = f.closeConnection();
      String source = ctx.get(WebhookHandler.SOURCE_KEY);
      Long start = ctx.get(WebhookHandler.START_KEY);
      metrics.request(source == null ? IngestMetrics.UNKNOWN_SOURCE_LABEL : source, f.outcome(),
          start == null ? System.nanoTime() : start);
      if (LOG.isInfoEnabled()) {
        LOG.info("rejected source={} reason={} status={} remote={} requestId={}", source == null ? "-" : source,
            reason, status, ctx.request().remoteAddress(), ctx.get(RequestIdHandler.KEY, "-"));
      }
    } else if (ctx.statusCode() == 404) {
      status = 404;
      reason = "not_found";
      message = "no such endpoint: webhooks are POSTed to /webhooks/{sourceId}";
    } else if (ctx.statusCode() == 405) {
      status = 405;
      reason = "method_not_allowed";
      message = "use POST for /webhooks/{sourceId}";
    } else if (ctx.statusCode() == 413) {
      status = 413;
      reason = IngestOutcome.BODY_TOO_LARGE.label();
      message = "request body too large";
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      status = ctx.statusCode();
      reason = "bad_request";
      message = "bad request";
    } else {
      status = 500;
      reason = "internal_error";
      message = "internal error; the event was not accepted, please retry";
      LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
    }
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON);
    if (status == 503) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }
    if (close) {
      response.putHeader(HttpHeaders.CONNECTION, CLOSE);
    }
    response.end(new JsonObject().put("error", message).put("reason", reason).encode());
    if (close) {
      response.endHandler(v -> ctx.request().connection().close());
    }
  }
}
