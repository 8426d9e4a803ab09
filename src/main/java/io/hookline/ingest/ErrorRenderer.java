package io.hookline.ingest;

import io.hookline.node.RequestIdHandler;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;

/** The one place that turns a failure into a JSON error body ({@code error}, {@code reason}). */
public final class ErrorRenderer implements Handler<RoutingContext> {
  private static final Logger LOG = RejectionLog.LOG;
  /** Set by the webhook edge as early as it knows them; read here for the metrics and the rejection log. */
  static final String SOURCE_KEY = "hookline.source";
  static final String START_KEY = "hookline.start";
  static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
  private static final long LINGER_MS = 2000;
  static final CharSequence CLOSE = HttpHeaders.createOptimized("close");

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
    String source = ctx.get(SOURCE_KEY);
    String sourceLabel = source == null ? IngestMetrics.UNKNOWN_SOURCE_LABEL : source;
    Long start = ctx.get(START_KEY);
    long startNanos = start == null ? System.nanoTime() : start;
    if (failure instanceof IngestFailure f) {
      status = f.status();
      reason = f.outcome().label();
      message = f.getMessage();
      close = f.closeConnection();
      metrics.request(sourceLabel, f.outcome(), startNanos);
      if (LOG.isInfoEnabled() && RejectionLog.permit(source == null ? "-" : source, f.outcome())) {
        logRejected(ctx, source == null ? "-" : source, reason, status);
      }
    } else {
      // Not a webhook refusal: the router's own answers (no such route, wrong method) or a bug.
      IngestOutcome outcome;
      if (ctx.statusCode() == 404) {
        status = 404;
        outcome = IngestOutcome.NOT_FOUND;
        message = "no such endpoint: webhooks are POSTed to /webhooks/{sourceId}";
      } else if (ctx.statusCode() == 405) {
        status = 405;
        outcome = IngestOutcome.METHOD_NOT_ALLOWED;
        message = "use POST for /webhooks/{sourceId}";
      } else if (ctx.statusCode() == 413) {
        status = 413;
        outcome = IngestOutcome.BODY_TOO_LARGE;
        message = "request body too large";
      } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
        status = ctx.statusCode();
        outcome = IngestOutcome.BAD_REQUEST;
        message = "bad request";
      } else {
        status = 500;
        outcome = IngestOutcome.INTERNAL_ERROR;
        message = "internal error; the event was not accepted, please retry";
        // Rate-limited like rejections: a bug hit by every request must not flood the log either.
        if (RejectionLog.permit(source == null ? "-" : source, outcome)) {
          LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
        }
      }
      reason = outcome.label();
      metrics.request(sourceLabel, outcome, startNanos);
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
    Future<Void> written = response.end(new JsonObject().put("error", message).put("reason", reason).encode());
    if (close) {
      written.onComplete(ar -> lingeringClose(ctx));
    }
  }

  /**
   * The router's 400 handler: Vert.x Web could not decode the path or query (a malformed
   * percent-encoding such as {@code %zz}); it calls this without a failure or status on the context.
   */
  void undecodablePath(RoutingContext ctx) {
    metrics.request(IngestMetrics.UNKNOWN_SOURCE_LABEL, IngestOutcome.BAD_REQUEST, System.nanoTime());
    if (!ctx.response().ended() && !ctx.response().closed()) {
      ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
          .end(new JsonObject().put("error", "bad request: the path or query could not be decoded (malformed percent-encoding)")
              .put("reason", IngestOutcome.BAD_REQUEST.label()).encode());
    }
  }

  /**
   * One line per rejected request (as many as {@link RejectionLog} permits): readable in text logs,
   * and the same facts as separate fields in JSON logs. Only config ids, fixed reasons and
   * addresses: never headers, signatures or bodies.
   */
  private static void logRejected(RoutingContext ctx, String source, String reason, int status) {
    HttpServerRequest request = ctx.request();
    String remote = request.remoteAddress() == null ? "-" : request.remoteAddress().toString();
    String requestId = ctx.get(RequestIdHandler.KEY, "-");
    String forwardedFor = request.getHeader("X-Forwarded-For");
    var line = LOG.atInfo()
        .addKeyValue("source", source).addKeyValue("reason", reason).addKeyValue("status", status)
        .addKeyValue("remote", remote).addKeyValue("requestId", requestId);
    if (forwardedFor == null) {
      line.log("rejected source={} reason={} status={} remote={} requestId={}", source, reason, status, remote,
          requestId);
    } else {
      // As sent, for correlation only: it is not trusted for anything.
      String xff = forwardedFor.length() > 100 ? forwardedFor.substring(0, 100) : forwardedFor;
      line.addKeyValue("forwardedFor", xff).log("rejected source={} reason={} status={} remote={} forwardedFor={} requestId={}",
          source, reason, status, remote, xff, requestId);
    }
  }

  /**
   * Closes the connection once the client has finished sending. Closing with the request body still
   * unread makes the kernel send a RST, which can destroy the response before the client reads it;
   * so the rest of the body is read and dropped (for at most {@link #LINGER_MS}) and then the
   * connection is closed with a clean FIN. HTTP/1.x only: an HTTP/2 connection carries other streams.
   */
  static void lingeringClose(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.version() == HttpVersion.HTTP_2) {
      return; // a stream, not the connection: other requests share it
    }
    HttpConnection connection = request.connection();
    if (request.isEnded()) {
      connection.close();
      return;
    }
    long timer = ctx.vertx().setTimer(LINGER_MS, t -> connection.close());
    try {
      request.handler(chunk -> { })
          .exceptionHandler(err -> { })
          .endHandler(v -> {
            ctx.vertx().cancelTimer(timer);
            connection.close();
          })
          .resume();
    } catch (IllegalStateException alreadyEnded) {
      ctx.vertx().cancelTimer(timer);
      connection.close();
    }
  }
}
