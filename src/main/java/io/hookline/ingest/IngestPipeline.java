package io.hookline.ingest;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.buffer.Unpooled;
import io.hookline.dedup.DedupResult;
import io.hookline.dedup.RedisDedup;
import io.hookline.delivery.DeliveryAddresses;
import io.hookline.delivery.EventRouter;
import io.hookline.delivery.HandedOffEvent;
import io.hookline.expression.EventContext;
import io.hookline.delivery.Handoff;
import io.hookline.store.EventWriter;
import io.hookline.store.NewEvent;
import io.hookline.store.StoreResult;
import io.hookline.tracing.IngestTrace;
import io.hookline.verify.EventIds;
import io.hookline.verify.Reason;
import io.hookline.verify.Verification;
import io.hookline.verify.WebhookRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.internal.buffer.BufferInternal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map.Entry;
import java.util.Set;
import java.util.UUID;

/**
 * A webhook from verified bytes to a durable row, without HTTP: verify, dedup key, route, Redis claim,
 * group commit, hand-off. The HTTP edge ({@link WebhookHandler}) reads and answers; the node's warm-up
 * drives the same code before it turns ready. Confined to one event loop (its writer and Redis are).
 */
public final class IngestPipeline {
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  private static final JsonStringEncoder JSON_STRINGS = JsonStringEncoder.getInstance();
  private static final String NOT_STORED = "the event could not be stored durably right now; it was not accepted, retry later";

  private final RedisDedup dedup;
  private final EventWriter writer;
  private final IngestMetrics metrics;
  private final EventBus eventBus;
  private final Handoff handoff;

  public IngestPipeline(RedisDedup dedup, EventWriter writer, IngestMetrics metrics, EventBus eventBus, Handoff handoff) {
    this.dedup = dedup;
    this.writer = writer;
    this.metrics = metrics;
    this.eventBus = eventBus;
    this.handoff = handoff;
  }

  /** The source's verdict on a request; never throws (a verifier that does fails closed). */
  public Verification verify(SourceRuntime source, WebhookRequest request, IngestTrace trace) {
    long verifyStart = System.nanoTime();
    IngestTrace.Step verifying = trace.step("verify");
    Verification v;
    try {
      v = source.verifier().verify(request);
    } catch (RuntimeException e) {
      RejectionLog.verifierFailed(source.config().id(), source.config().provider(), e);
      v = Verification.rejected(Reason.MALFORMED_SIGNATURE, "the signature could not be verified");
    }
    verifying.end();
    metrics.verified(source.config().provider(), System.nanoTime() - verifyStart);
    return v;
  }

  /** What the sender is told about a {@code REJECTED} verdict. */
  static IngestFailure refusal(Verification rejected) {
    return new IngestFailure(rejected.reason().status(), outcomeOf(rejected.reason()), rejected.message(), false);
  }

  /**
   * An accepted request to a committed row (or the row it duplicates), handed off to delivery. A
   * failed future means it could not be stored durably, so nothing was accepted: {@link #notStored}.
   */
  public Future<StoreResult> store(SourceRuntime source, Verification v, WebhookRequest request, MultiMap headers,
                                   String contentType, String headersJson, IngestTrace trace) {
    byte[] bytes = request.body();
    // The same bytes for the store: wrapped, not copied.
    Buffer body = BufferInternal.buffer(Unpooled.wrappedBuffer(bytes));
    String providerEventId = EventIds.dedupKey(v.eventId(), bytes);
    UUID id = EventIds.newId();
    String sourceId = source.config().id();
    String key = dedup.key(sourceId, providerEventId);
    // eventTypes and filters decide here, once: a destination that filters the event out gets no delivery row.
    // The expressions see the headers as stored (credentials left out), at arrival as on every later attempt.
    EventContext expressionsView = handoff.eventContext(sourceId, v.eventType(), id, providerEventId,
        request.receivedAtMillis(), () -> EventContext.firstValues(headers, source.unstoredHeaders()), body);
    EventRouter.Route route = handoff.route(sourceId, v.eventType(), expressionsView);
    String[] destinations = route.destinationIds();
    // A slot in the node's hand-off queue: the deliveries are inserted leased to this node's workers and
    // the event goes to them in memory. Without one they are inserted unleased, for the claim path.
    boolean leased = destinations.length > 0 && handoff.tryReserve(destinations.length);
    NewEvent event = new NewEvent(id, sourceId, providerEventId, v.eventType(),
        Instant.ofEpochMilli(request.receivedAtMillis()).atOffset(ZoneOffset.UTC),
        contentType, headersJson, body,
        destinations, leased ? handoff.leaseOwner() : null, leased ? route.leaseMillis() : null,
        trace.traceparent());
    Future<DedupResult> claimed = dedup.claim(key, id.toString(), source.dedupTtlMillis());
    if (trace != IngestTrace.NONE) { // tracing off: no span callbacks on the hot path
      IngestTrace.Step deduplicating = trace.step("dedup");
      claimed = claimed.andThen(ar -> deduplicating.end());
    }
    return claimed
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
                // One Redis command per accepted event: our own claim already names the stored row. The key is
                // rewritten only when PostgreSQL found a copy it does not name, so later copies stop there.
                if (claim.kind() != DedupResult.Kind.CLAIMED || stored.duplicate()) {
                  dedup.markCommitted(key, stored.id().toString(), source.dedupTtlMillis());
                }
                if (!stored.duplicate()) {
                  handOff(event, writtenAt, leased, expressionsView);
                }
              })
              .onFailure(err -> {
                if (claim.kind() == DedupResult.Kind.CLAIMED) {
                  dedup.release(key, id.toString());
                }
              });
        })
        .onComplete(ar -> {
          // The hand-off slot reserved above is given back here, once, whatever happened.
          if (leased && (ar.failed() || ar.result().duplicate())) {
            handoff.release(destinations.length);
          }
        });
  }

  /** What the sender is told when {@link #store} failed (logged, at most once a second). */
  static IngestFailure notStored(String sourceId, Throwable cause) {
    StoreFailureLog.log(sourceId, cause);
    return new IngestFailure(503, IngestOutcome.UNAVAILABLE, NOT_STORED, false);
  }

  /** After the commit: the event itself to a delivery worker, or a hint that unleased deliveries are due. */
  private void handOff(NewEvent e, long writtenAt, boolean leased, EventContext expressionsView) {
    long t = System.nanoTime();
    if (leased) {
      handoff.send(eventBus, new HandedOffEvent(e.id(), e.sourceId(), e.contentType(), e.body(), e.destinationIds(),
          e.leaseOwner(), e.leaseMillis(), writtenAt, e.traceparent(), e.eventType(), e.providerEventId(),
          expressionsView));
    } else if (e.destinationIds().length > 0) {
      eventBus.send(DeliveryAddresses.EVENT_COMMITTED, e.id().toString(), LOCAL);
    }
    metrics.handoff(System.nanoTime() - t);
  }

  static IngestOutcome outcomeOf(Reason reason) {
    return switch (reason) {
      case MISSING_SIGNATURE -> IngestOutcome.MISSING_SIGNATURE;
      case MALFORMED_SIGNATURE -> IngestOutcome.MALFORMED_SIGNATURE;
      case INVALID_SIGNATURE -> IngestOutcome.INVALID_SIGNATURE;
      case TIMESTAMP_OUT_OF_TOLERANCE -> IngestOutcome.TIMESTAMP_OUT_OF_TOLERANCE;
      case MALFORMED_EVENT_ID -> IngestOutcome.MALFORMED_EVENT_ID;
    };
  }

  /** Headers as a JSON array of [name, value] pairs: order and repeats preserved. */
  public static String headersJson(MultiMap headers, Set<String> unstored) {
    return headersJson(headers, unstored, null);
  }

  /** The same, with the values of {@code unstored} headers replaced by {@code mask} (null: left out). */
  static String headersJson(MultiMap headers, Set<String> unstored, String mask) {
    // Written straight into one builder: a JsonArray per header cost ~7 % of ingest CPU.
    StringBuilder out = new StringBuilder(512).append('[');
    for (Entry<String, String> e : headers) {
      boolean secret = unstored.contains(e.getKey());
      if (secret && mask == null) {
        continue;
      }
      if (out.length() > 1) {
        out.append(',');
      }
      out.append("[\"");
      JSON_STRINGS.quoteAsString(e.getKey(), out);
      out.append("\",\"");
      JSON_STRINGS.quoteAsString(secret ? mask : e.getValue(), out);
      out.append("\"]");
    }
    return out.append(']').toString();
  }
}
