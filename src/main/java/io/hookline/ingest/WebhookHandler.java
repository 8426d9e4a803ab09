package io.hookline.ingest;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.buffer.Unpooled;
import io.hookline.dedup.DedupResult;
import io.hookline.dedup.RedisDedup;
import io.hookline.delivery.DeliveryAddresses;
import io.hookline.delivery.EventRouter;
import io.hookline.delivery.HandedOffEvent;
import io.hookline.delivery.Handoff;
import io.hookline.store.EventWriter;
import io.hookline.store.NewEvent;
import io.hookline.store.StoreResult;
import io.hookline.tracing.IngestTrace;
import io.hookline.tracing.Tracing;
import io.hookline.verify.EventIds;
import io.hookline.verify.Verification;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Map;
import java.util.Map.Entry;
import java.util.UUID;

/**
 * {@code POST /webhooks/{sourceId}}: bounded raw-body read, verification on the event loop, Redis
 * claim, group commit to PostgreSQL, and only then the 200. Any failure goes through
 * {@code ctx.fail} to {@link ErrorRenderer}.
 */
final class WebhookHandler implements Handler<RoutingContext> {
  static final String SOURCE_KEY = "hookline.source";
  static final String START_KEY = "hookline.start";
  private static final String RESPONSE_PREFIX = "{\"id\":\"";
  private static final String DUPLICATE_FALSE = "\",\"duplicate\":false}";
  private static final String DUPLICATE_TRUE = "\",\"duplicate\":true}";
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  private static final JsonStringEncoder JSON_STRINGS = JsonStringEncoder.getInstance();

  private final Map<String, SourceRuntime> sources;
  private final RedisDedup dedup;
  private final EventWriter writer;
  private final IngestMetrics metrics;
  private final NodeState node;
  private final EventBus eventBus;
  private final Handoff handoff;
  private final PublicUrl publicUrl;
  private final Tracing tracing;
  /** With tracing off, this check is all the tracing a request costs. */
  private final boolean traced;

  WebhookHandler(Map<String, SourceRuntime> sources, RedisDedup dedup, EventWriter writer, IngestMetrics metrics,
                 NodeState node, EventBus eventBus, Handoff handoff, PublicUrl publicUrl, Tracing tracing) {
    this.tracing = tracing;
    this.traced = tracing.enabled();
    this.sources = sources;
    this.dedup = dedup;
    this.writer = writer;
    this.metrics = metrics;
    this.node = node;
    this.eventBus = eventBus;
    this.handoff = handoff;
    this.publicUrl = publicUrl;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.put(START_KEY, start);
    HttpServerRequest request = ctx.request();
    String sourceId = ctx.pathParam("sourceId");
    SourceRuntime source = sourceId == null ? null : sources.get(sourceId);
    if (source == null) {
      ctx.fail(new IngestFailure(404, IngestOutcome.UNKNOWN_SOURCE, "unknown source: no source with this id is configured", !request.isEnded()));
      return;
    }
    ctx.put(SOURCE_KEY, source.config().id());
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
    long receivedAt = System.currentTimeMillis();
    // The same bytes for the store: wrapped, not copied.
    Buffer body = BufferInternal.buffer(Unpooled.wrappedBuffer(bytes));
    long verifyStart = System.nanoTime();
    IngestTrace.Step verifying = trace.step("verify");
    Verification v;
    try {
      v = source.verifier().verify(new VertxWebhookRequest(request, bytes, receivedAt, publicUrl));
    } catch (RuntimeException e) {
      // Verifiers must not throw; if one does, fail closed rather than accept.
      RejectionLog.verifierFailed(source.config().id(), source.config().provider(), e);
      v = Verification.rejected(io.hookline.verify.Reason.MALFORMED_SIGNATURE, "the signature could not be verified");
    }
    verifying.end();
    metrics.verified(source.config().provider(), System.nanoTime() - verifyStart);
    switch (v.kind()) {
      case REJECTED -> {
        ctx.fail(new IngestFailure(v.reason().status(), outcomeOf(v.reason()), v.message(), false));
        return;
      }
      case HANDSHAKE -> {
        metrics.request(source.config().id(), IngestOutcome.HANDSHAKE, (Long) ctx.get(START_KEY));
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, v.handshakeContentType())
            .end(Buffer.buffer(v.handshakeBody()));
        return;
      }
      case ACCEPTED -> { }
    }
    String providerEventId = EventIds.dedupKey(v.eventId(), bytes);
    UUID id = EventIds.newId();
    String key = dedup.key(source.config().id(), providerEventId);
    String sourceId = source.config().id();
    // eventTypes and filters decide here, once: a destination that filters the event out gets no delivery row.
    EventRouter.Route route = handoff.route(sourceId, v.eventType(), id, providerEventId, receivedAt,
        request.headers(), body);
    String[] destinations = route.destinationIds();
    // A slot in the node's hand-off queue: the deliveries are inserted leased to this node's workers and
    // the event goes to them in memory. Without one they are inserted unleased, for the claim path.
    boolean leased = destinations.length > 0 && handoff.tryReserve(destinations.length);
    NewEvent event = new NewEvent(id, sourceId, providerEventId, v.eventType(),
        Instant.ofEpochMilli(receivedAt).atOffset(ZoneOffset.UTC),
        request.getHeader(HttpHeaders.CONTENT_TYPE), headersJson(request.headers(), source.unstoredHeaders()), body,
        destinations, leased ? handoff.leaseOwner() : null, leased ? route.leaseMillis() : null,
        trace.traceparent());
    Future<DedupResult> claimed = dedup.claim(key, id.toString(), source.dedupTtlMillis());
    if (trace != IngestTrace.NONE) { // tracing off: no span callbacks on the hot path
      IngestTrace.Step deduplicating = trace.step("dedup");
      claimed = claimed.andThen(ar -> deduplicating.end());
    }
    claimed
        .compose(claim -> {
          if (claim.kind() == DedupResult.Kind.COMMITTED_DUPLICATE) {
            return Future.succeededFuture(new StoreResult(UUID.fromString(claim.existingId()), true));
          }
          long writtenAt = System.nanoTime();
          Future<StoreResult> written = writer.write(event);
          if (trace != IngestTrace.NONE) {
            IngestTrace.Step committing = trace.step("commit");
            written = written.andThen(ar -> committing.end());
          }
          return written
              .onSuccess(stored -> {
                dedup.markCommitted(key, stored.id().toString(), source.dedupTtlMillis());
                if (!stored.duplicate()) {
                  handOff(event, writtenAt, leased);
                }
              })
              .onFailure(err -> {
                if (claim.kind() == DedupResult.Kind.CLAIMED) {
                  dedup.release(key, id.toString());
                }
              });
        })
        .onComplete(ar -> {
          if (leased && (ar.failed() || ar.result().duplicate())) {
            handoff.release(destinations.length);
          }
        })
        .onSuccess(stored -> {
          trace.eventId(stored.id().toString());
          respond(ctx, source, stored);
        })
        .onFailure(err -> {
          StoreFailureLog.log(sourceId, err);
          ctx.fail(new IngestFailure(503, IngestOutcome.UNAVAILABLE,
            "the event could not be stored durably right now; it was not accepted, retry later", false));
        });
  }

  /** After the commit: the event itself to a delivery worker, or a hint that unleased deliveries are due. */
  private void handOff(NewEvent e, long writtenAt, boolean leased) {
    long t = System.nanoTime();
    if (leased) {
      handoff.send(eventBus, new HandedOffEvent(e.id(), e.sourceId(), e.contentType(), e.body(), e.destinationIds(),
          e.leaseOwner(), e.leaseMillis(), writtenAt, e.traceparent(), e.eventType(), e.providerEventId()));
    } else if (e.destinationIds().length > 0) {
      eventBus.send(DeliveryAddresses.EVENT_COMMITTED, e.id().toString(), LOCAL);
    }
    metrics.handoff(System.nanoTime() - t);
  }

  private void respond(RoutingContext ctx, SourceRuntime source, StoreResult stored) {
    String id = stored.id().toString();
    metrics.request(source.config().id(), stored.duplicate() ? IngestOutcome.DUPLICATE : IngestOutcome.ACCEPTED,
        (Long) ctx.get(START_KEY));
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

  private static IngestOutcome outcomeOf(io.hookline.verify.Reason reason) {
    return switch (reason) {
      case MISSING_SIGNATURE -> IngestOutcome.MISSING_SIGNATURE;
      case MALFORMED_SIGNATURE -> IngestOutcome.MALFORMED_SIGNATURE;
      case INVALID_SIGNATURE -> IngestOutcome.INVALID_SIGNATURE;
      case TIMESTAMP_OUT_OF_TOLERANCE -> IngestOutcome.TIMESTAMP_OUT_OF_TOLERANCE;
      case MALFORMED_EVENT_ID -> IngestOutcome.MALFORMED_EVENT_ID;
    };
  }

  /** Headers as a JSON array of [name, value] pairs: order and repeats preserved. */
  static String headersJson(MultiMap headers, java.util.Set<String> unstored) {
    // Written straight into one builder: a JsonArray per header cost ~7 % of ingest CPU.
    StringBuilder out = new StringBuilder(512).append('[');
    for (Entry<String, String> e : headers) {
      if (unstored.contains(e.getKey())) {
        continue;
      }
      if (out.length() > 1) {
        out.append(',');
      }
      out.append("[\"");
      JSON_STRINGS.quoteAsString(e.getKey(), out);
      out.append("\",\"");
      JSON_STRINGS.quoteAsString(e.getValue(), out);
      out.append("\"]");
    }
    return out.append(']').toString();
  }
}
