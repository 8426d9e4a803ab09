package io.hookline.ingest;

import io.hookline.node.NodeState;
import io.hookline.store.StoreResult;
import io.hookline.tracing.IngestTrace;
import io.hookline.tracing.Tracing;
import io.hookline.verify.Verification;
import io.hookline.verify.WebhookRequest;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Map;

/**
 * {@code POST /webhooks/{sourceId}}, the HTTP edge: bounded raw-body read, then {@link IngestPipeline}
 * (verify, claim, commit, hand-off), then the 200. Any failure goes through {@code ctx.fail} to
 * {@link ErrorRenderer}.
 */
final class WebhookHandler implements Handler<RoutingContext> {
  private static final String RESPONSE_PREFIX = "{\"id\":\"";
  private static final String DUPLICATE_FALSE = "\",\"duplicate\":false}";
  private static final String DUPLICATE_TRUE = "\",\"duplicate\":true}";

  private final Map<String, SourceRuntime> sources;
  private final IngestPipeline pipeline;
  private final IngestMetrics metrics;
  private final NodeState node;
  private final PublicUrl publicUrl;
  private final Tracing tracing;
  /** With tracing off, this check is all the tracing a request costs. */
  private final boolean traced;
  private final RefusedRequests refused;

  WebhookHandler(Map<String, SourceRuntime> sources, IngestPipeline pipeline, IngestMetrics metrics, NodeState node,
                 PublicUrl publicUrl, Tracing tracing, RefusedRequests refused) {
    this.refused = refused;
    this.tracing = tracing;
    this.traced = tracing.enabled();
    this.sources = sources;
    this.pipeline = pipeline;
    this.metrics = metrics;
    this.node = node;
    this.publicUrl = publicUrl;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.put(ErrorRenderer.START_KEY, start);
    HttpServerRequest request = ctx.request();
    String sourceId = ctx.pathParam("sourceId");
    SourceRuntime source = sourceId == null ? null : sources.get(sourceId);
    if (source == null) {
      ctx.fail(new IngestFailure(404, IngestOutcome.UNKNOWN_SOURCE, "unknown source: no source with this id is configured", !request.isEnded()));
      return;
    }
    ctx.put(ErrorRenderer.SOURCE_KEY, source.config().id());
    IngestTrace trace = traced ? startTrace(ctx, source) : IngestTrace.NONE;
    if (node.draining()) {
      node.drainRefused();
      // Connection: close, so no client keeps a connection to a node that is about to stop listening.
      ctx.fail(new IngestFailure(503, IngestOutcome.UNAVAILABLE, "this node is shutting down; retry shortly", true));
      return;
    }
    long limit = source.config().maxBodyBytes();
    String contentLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (contentLength != null) {
      long declared;
      try {
        declared = Long.parseLong(contentLength.trim());
      } catch (NumberFormatException e) {
        declared = -1;
      }
      if (declared > limit) {
        ctx.fail(tooLarge(limit));
        return;
      }
    }
    String expect = request.getHeader(HttpHeaders.EXPECT);
    if (expect != null && expect.equalsIgnoreCase("100-continue") && request.version() != HttpVersion.HTTP_1_0) {
      ctx.response().writeContinue();
    }
    node.requestStarted();
    ctx.addEndHandler(v -> node.requestEnded());
    BodyReader reader = new BodyReader(ctx, source, limit, trace);
    request.handler(reader).endHandler(reader::end).exceptionHandler(reader::abort).resume();
  }

  /** The request's span, continuing a provider's traceparent, ended with whatever status the answer has. */
  private IngestTrace startTrace(RoutingContext ctx, SourceRuntime source) {
    IngestTrace trace = tracing.ingest(source.config().id(), ctx.request().getHeader(TRACEPARENT));
    ctx.addEndHandler(ar -> trace.end(ctx.response().getStatusCode()));
    return trace;
  }

  private static final String TRACEPARENT = "traceparent";

  private static IngestFailure tooLarge(long limit) {
    return new IngestFailure(413, IngestOutcome.BODY_TOO_LARGE,
        "request body exceeds this source's limit of " + limit + " bytes", true);
  }

  /**
   * Collects the body and stops reading at the limit, for chunked bodies too. Vert.x hands each
   * chunk over as a heap copy of its own, so chunks are kept as they are and copied once, at the
   * end, into one array of the exact length (verified, then stored without another copy). Not
   * preallocated from Content-Length: that is a claim, not bytes, and would let connections that
   * send only headers reserve maxBodyBytes each.
   */
  private final class BodyReader implements Handler<Buffer> {
    private final RoutingContext ctx;
    private final SourceRuntime source;
    private final long limit;
    private final IngestTrace trace;
    private ArrayList<Buffer> chunks = new ArrayList<>(4);
    private long length;
    private boolean failed;

    BodyReader(RoutingContext ctx, SourceRuntime source, long limit, IngestTrace trace) {
      this.trace = trace;
      this.ctx = ctx;
      this.source = source;
      this.limit = limit;
    }

    @Override
    public void handle(Buffer chunk) {
      if (failed) {
        return;
      }
      length += chunk.length();
      if (length > limit) {
        failed = true;
        chunks = null;
        ctx.request().pause();
        ctx.fail(tooLarge(limit));
        return;
      }
      if (chunk.length() > 0) {
        chunks.add(chunk);
      }
    }

    /** The sender went away mid-body (reset, close, idle timeout): nothing is stored, nobody is answered. */
    void abort(Throwable err) {
      if (failed) {
        return;
      }
      failed = true;
      chunks = null;
      // 499 as nginx logs it ("client closed request"): never sent, there is no one to send it to.
      ctx.fail(new IngestFailure(499, IngestOutcome.CLIENT_ABORTED, "the sender went away before the end of the body", true));
    }

    void end(Void v) {
      if (failed) {
        return;
      }
      byte[] bytes = new byte[(int) length];
      int at = 0;
      for (Buffer chunk : chunks) {
        chunk.getBytes(bytes, at);
        at += chunk.length();
      }
      chunks = null;
      process(ctx, source, bytes, trace);
    }
  }

  private void process(RoutingContext ctx, SourceRuntime source, byte[] bytes, IngestTrace trace) {
    HttpServerRequest request = ctx.request();
    WebhookRequest webhook = new VertxWebhookRequest(request, bytes, System.currentTimeMillis(), publicUrl);
    Verification v = pipeline.verify(source, webhook, trace);
    switch (v.kind()) {
      case REJECTED -> {
        refused.refused(request, source, v.reason().code(), v.reason().status(), bytes, webhook.receivedAtMillis());
        ctx.fail(IngestPipeline.refusal(v));
        return;
      }
      case HANDSHAKE -> {
        metrics.request(source.config().id(), IngestOutcome.HANDSHAKE, (Long) ctx.get(ErrorRenderer.START_KEY));
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, v.handshakeContentType())
            .end(Buffer.buffer(v.handshakeBody()));
        return;
      }
      case ACCEPTED -> { }
    }
    pipeline.store(source, v, webhook, request.headers(), request.getHeader(HttpHeaders.CONTENT_TYPE),
            IngestPipeline.headersJson(request.headers(), source.unstoredHeaders()), trace)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            trace.eventId(ar.result().id().toString());
            respond(ctx, source, ar.result());
          } else {
            ctx.fail(IngestPipeline.notStored(source.config().id(), ar.cause()));
          }
        });
  }

  private void respond(RoutingContext ctx, SourceRuntime source, StoreResult stored) {
    String id = stored.id().toString();
    metrics.request(source.config().id(), stored.duplicate() ? IngestOutcome.DUPLICATE : IngestOutcome.ACCEPTED,
        (Long) ctx.get(ErrorRenderer.START_KEY));
    HttpServerResponse response = ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, ErrorRenderer.APPLICATION_JSON);
    if (node.draining()) {
      // Finished during a drain: the client must not reuse this connection; close it once written.
      response.putHeader(HttpHeaders.CONNECTION, ErrorRenderer.CLOSE)
          .end(RESPONSE_PREFIX + id + (stored.duplicate() ? DUPLICATE_TRUE : DUPLICATE_FALSE))
          .onComplete(ar -> ErrorRenderer.lingeringClose(ctx));
      return;
    }
    response.end(RESPONSE_PREFIX + id + (stored.duplicate() ? DUPLICATE_TRUE : DUPLICATE_FALSE));
  }
}
