package io.hookline.ingest;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Requests the HTTP parser refused before any routing (request line or header section too large,
 * bytes HTTP does not allow, a malformed Content-Length...): answered with the usual JSON error
 * instead of Vert.x's empty one, counted under {@code source="_unknown"}, logged rate-limited, and
 * the connection is closed, as a stream that failed to parse cannot be trusted for the next request.
 */
final class InvalidRequestHandler implements Handler<HttpServerRequest> {
  /** Mirrors IngestVerticle's HttpServerOptions: Vert.x's default request-line limit, our header limit. */
  private final int maxInitialLineLength;
  private final int maxHeaderSize;
  private final IngestMetrics metrics;

  InvalidRequestHandler(int maxInitialLineLength, int maxHeaderSize, IngestMetrics metrics) {
    this.maxInitialLineLength = maxInitialLineLength;
    this.maxHeaderSize = maxHeaderSize;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpServerRequest request) {
    long start = System.nanoTime();
    Throwable cause = request.decoderResult().cause();
    int status;
    String reason;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      reason = "uri_too_long";
      message = "the request line is longer than " + maxInitialLineLength + " bytes";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      reason = "headers_too_large";
      message = "the request headers are larger than " + maxHeaderSize + " bytes in all";
    } else {
      status = 400;
      reason = "bad_request";
      // Not the parser's message: it may quote the request.
      message = "malformed HTTP request (request line, header syntax, a control character in a header, or Content-Length)";
    }
    metrics.request(IngestMetrics.UNKNOWN_SOURCE_LABEL, IngestOutcome.BAD_REQUEST, start);
    if (RejectionLog.LOG.isInfoEnabled() && RejectionLog.permit("-", IngestOutcome.BAD_REQUEST)) {
      String remote = request.remoteAddress() == null ? "-" : request.remoteAddress().toString();
      RejectionLog.LOG.atInfo().addKeyValue("source", "-").addKeyValue("reason", reason).addKeyValue("status", status)
          .addKeyValue("remote", remote)
          .log("rejected source=- reason={} status={} remote={} (unparsable request)", reason, status, remote);
    }
    request.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, ErrorRenderer.APPLICATION_JSON)
        .putHeader(HttpHeaders.CONNECTION, ErrorRenderer.CLOSE)
        .end(new JsonObject().put("error", message).put("reason", reason).encode())
        .onComplete(ar -> request.connection().close());
  }
}
