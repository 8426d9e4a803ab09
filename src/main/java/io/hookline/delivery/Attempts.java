package io.hookline.delivery;

import io.hookline.delivery.RetryPolicy.Outcome;
import io.hookline.expression.EventContext;
import io.hookline.store.ClaimedDelivery;
import io.hookline.store.DeliveryResults;
import io.hookline.store.DeliveryResults.AttemptResult;
import io.hookline.tracing.AttemptTrace;
import io.hookline.tracing.Tracing;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs attempts: send ({@link DestinationTarget#send}), decide ({@link AttemptOutcome#decide}),
 * write back ({@link DeliveryResults}), then {@linkplain #finish free the permit}. Keeps what is on the
 * wire, so the drain can wait for it or cut it short. Confined to the worker's context.
 */
final class Attempts {
  private static final Logger LOG = LoggerFactory.getLogger(Attempts.class);
  private static final long[] RECORD_RETRY_MS = {250, 1000, 3000};
  private static final int LOGS_PER_SECOND = 10;

  private final Vertx vertx;
  private final String nodeId;
  private final DeliveryResults results;
  private final Consumer<DestinationTarget> permitFreed;
  private final BiConsumer<String, Throwable> logError;
  private final Tracing tracing;
  private final boolean traced;
  private final DestinationControls controls;
  private final EventFacts facts;
  /** Attempts waiting for their controls' verdict (a probe, a rate slot), holding their permits. */
  private int admitting;
  private final Map<InFlight, Future<Void>> inFlight = new HashMap<>();
  private boolean stopping;
  private long logWindowStart = System.nanoTime();
  private int logsInWindow;
  private int logsSuppressed;

  Attempts(Vertx vertx, String nodeId,
           DeliveryResults results, Consumer<DestinationTarget> permitFreed, BiConsumer<String, Throwable> logError,
           DestinationControls controls, Tracing tracing, EventFacts facts) {
    this.controls = controls;
    this.facts = facts;
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.results = results;
    this.permitFreed = permitFreed;
    this.logError = logError;
    this.tracing = tracing;
    this.traced = tracing.enabled();
  }

  int inFlight() {
    return inFlight.size() + admitting;
  }

  /**
   * Starts one attempt holding its permit. A destination with controls (paused, circuitBreaker,
   * rateLimit) is asked first; one held back is given back uncounted ({@link DestinationControls#defer})
   * and its permit freed.
   */
  void start(Delivery delivery) {
    DestinationTarget t = delivery.target();
    ClaimedDelivery d = delivery.claim();
    if (controls.free(t)) {
      send(delivery);
      return;
    }
    admitting++;
    controls.admit(t, d)
        .recover(err -> {
          logError.accept("destination controls of " + t.key + " could not be read; the attempt waits", err);
          return Future.succeededFuture(DestinationControls.Admission.defer(DestinationControls.PAUSED_DEFER_MS));
        })
        .onSuccess(admission -> {
          if (admission.send() && !stopping) {
            admitting--;
            send(delivery);
            return;
          }
          controls.defer(d, admission.send() ? 0 : admission.deferMillis())
              .onFailure(err -> logError.accept("could not give back a held-back delivery; its lease expires", err))
              .onComplete(ar -> {
                admitting--;
                finish(delivery);
              });
        });
  }

  private void send(Delivery delivery) {
    DestinationTarget t = delivery.target();
    ClaimedDelivery d = delivery.claim();
    Instant startedAt = Instant.now();
    long startNanos = System.nanoTime();
    AttemptTrace span = traced
        ? tracing.attempt(d.traceparent(), d.sourceId(), d.destinationId(), d.eventId().toString(), d.attempt())
        : AttemptTrace.NONE;
    // A handed-off attempt brings the event its expressions saw at arrival; a claimed one reads it back.
    Future<EventContext> event = !t.readsEvent() ? null
        : delivery.event() != null ? Future.succeededFuture(delivery.event()) : facts.context(d);
    InFlight call = t.send(d, event, startedAt.getEpochSecond(), span.traceparent());
    Future<Void> done = call.future()
        .compose(response -> {
          long nanos = System.nanoTime() - startNanos;
          span.end(response.statusCode(), response.error());
          Instant finishedAt = Instant.now();
          AttemptOutcome outcome = controls.whileOpen(t,
              AttemptOutcome.decide(t.policy, d.attempt(), response, stopping, finishedAt));
          t.count(outcome.outcome(), nanos);
          // Neither an aborted attempt nor a failed transform is an answer from the destination: no circuit change.
          controls.finished(t, outcome.outcome(), AttemptOutcome.ABORTED.equals(outcome.recordedOutcome())
              || AttemptResponse.TRANSFORM_FAILED.equals(outcome.recordedOutcome()));
          if (outcome.outcome() == Outcome.DEAD && mayLog()) {
            LOG.warn("delivery dead-lettered: event={} source={} destination={} after {} attempts (last: {})",
                d.eventId(), d.sourceId(), d.destinationId(), d.attempt(), outcome.error());
          }
          delivery.permit().answered();
          return record(new AttemptResult(d, nodeId, utc(startedAt), utc(finishedAt),
              (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos)),
              outcome.outcome().deliveryStatus(), outcome.retryDelay().toMillis(), outcome.statusCode(), outcome.error(),
              outcome.recordedOutcome()), 0);
        })
        .onComplete(ar -> {
          inFlight.remove(call);
          finish(delivery);
        });
    if (!done.isComplete()) {
      inFlight.put(call, done);
    }
  }

  /** The attempt is over (sent and written back, or held back): its permit goes back, once. */
  private void finish(Delivery delivery) {
    if (delivery.permit().release()) {
      permitFreed.accept(delivery.target());
    }
  }

  /**
   * Writes the attempt back, retrying a few times while the lease is still ours. If it never
   * succeeds, the lease expires and the delivery is attempted again: at least once, never lost.
   */
  private Future<Void> record(AttemptResult result, int retry) {
    ClaimedDelivery d = result.delivery();
    return results.record(result)
        .<Void>map(updated -> {
          if (!updated && mayLog()) {
            LOG.warn("lease lost before the result was written: event={} destination={} attempt={} ({}); "
                + "another worker owns the delivery now", d.eventId(), d.destinationId(), d.attempt(),
                result.outcome());
          }
          return null;
        })
        .recover(err -> {
          if (retry >= RECORD_RETRY_MS.length) {
            logError.accept("could not record attempt " + d.attempt() + " of event " + d.eventId() + " to "
                + d.destinationId() + "; it will be attempted again when its lease expires", err);
            return Future.succeededFuture();
          }
          Promise<Void> later = Promise.promise();
          vertx.setTimer(RECORD_RETRY_MS[retry], id -> record(result, retry + 1).onComplete(later));
          return later.future();
        });
  }

  /** From now on an aborted attempt is recorded as such (due again at once), not as a failure. */
  void stopping() {
    stopping = true;
  }

  /** Cuts every attempt still on the wire short; completes once their results are written (or gave up). */
  Future<Void> abortAll(String reason) {
    List<Future<Void>> pending = new ArrayList<>(inFlight.values());
    new ArrayList<>(inFlight.keySet()).forEach(call -> call.abort(reason));
    return Future.join(pending).mapEmpty();
  }

  /**
   * At most {@value #LOGS_PER_SECOND} per-delivery lines a second per worker, then one count: these
   * run on an event loop, and a dead destination must not turn into a console write per delivery.
   */
  private boolean mayLog() {
    long now = System.nanoTime();
    if (now - logWindowStart >= 1_000_000_000L) {
      if (logsSuppressed > 0) {
        LOG.warn("{} more delivery warnings (dead letters, lost leases) left out in the last second", logsSuppressed);
      }
      logWindowStart = now;
      logsInWindow = 0;
      logsSuppressed = 0;
    }
    if (logsInWindow < LOGS_PER_SECOND) {
      logsInWindow++;
      return true;
    }
    logsSuppressed++;
    return false;
  }

  private static OffsetDateTime utc(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }
}
