package io.hookline.delivery;

import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.expression.DestinationExpressions;
import io.hookline.expression.EventContext;
import io.hookline.expression.ExpressionException;
import io.hookline.expression.OutgoingMessage;
import io.hookline.expression.Transform;
import io.hookline.store.ClaimedDelivery;
import io.hookline.store.DestinationStates;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One destination as a worker instance sees it, whatever its kind: its retry policy, lease,
 * timeout, signing key and meters, and the {@link Destination} that sends. Every label value comes
 * from the configuration.
 */
final class DestinationTarget {
  final String key;
  final String sourceId;
  final DestinationConfig config;
  final RetryPolicy policy;
  final long leaseMillis;
  final long timeoutNanos;
  private final Destination destination;
  /** The destination's compiled transform; null = the stored event is sent as it is. */
  private final Transform transform;
  /** A transform or a broker key expression: each attempt needs the event as expressions see it. */
  private final boolean readsEvent;
  private final byte[] signingKey;
  private final Vertx vertx;
  private final Map<RetryPolicy.Outcome, Counter> outcomes = new EnumMap<>(RetryPolicy.Outcome.class);
  private final Timer latency;

  /** Null: attempts are not tallied for the overview. */
  private final io.hookline.overview.TrafficRecorder traffic;

  DestinationTarget(Vertx vertx, SourceConfig source, DestinationConfig config, Duration configLease,
                    MeterRegistry registry, Destination destination, io.hookline.overview.TrafficRecorder traffic) {
    this.traffic = traffic;
    this.vertx = vertx;
    this.destination = destination;
    this.transform = DestinationExpressions.of(source, config).transform();
    this.readsEvent = DestinationExpressions.readsEventAtDelivery(source, config);
    this.key = key(source.id(), config.id());
    this.sourceId = source.id();
    this.config = config;
    this.policy = RetryPolicy.of(config);
    this.leaseMillis = leaseMillis(configLease, config);
    this.timeoutNanos = config.timeout().toNanos();
    this.signingKey = config.signingSecret() == null ? null
        : StandardWebhooksSigner.keyFromSecret(config.signingSecret().value());
    for (RetryPolicy.Outcome o : RetryPolicy.Outcome.values()) {
      outcomes.put(o, Counter.builder("hookline.deliveries")
          .description("Delivery attempts by source, destination, its kind and what followed (delivered, retry, dead, gone)")
          .tag("source", sourceId).tag("destination", config.id()).tag("kind", destination.kind())
          .tag("outcome", o.label())
          .register(registry));
    }
    this.latency = Timer.builder("hookline.delivery")
        .description("One delivery attempt: request sent to response read (or broker acknowledgement), or failure")
        .tag("source", sourceId).tag("destination", config.id())
        .register(registry);
  }

  /**
   * The lease must outlive the longest possible attempt plus the write-back, or another worker could
   * start the same delivery while this one is still talking to the destination.
   */
  static long leaseMillis(Duration configLease, DestinationConfig config) {
    Duration minimum = config.timeout().plus(DeliveryWorker.LEASE_MARGIN);
    return (configLease.compareTo(minimum) >= 0 ? configLease : minimum).toMillis();
  }

  static String key(String sourceId, String destinationId) {
    return DestinationStates.key(sourceId, destinationId);
  }

  String kind() {
    return destination.kind();
  }

  void count(RetryPolicy.Outcome outcome, long nanos) {
    outcomes.get(outcome).increment();
    if (traffic != null) {
      traffic.delivery(sourceId, outcome == RetryPolicy.Outcome.DELIVERED);
    }
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Whether {@link #send} needs the event's facts ({@link EventFacts}) for this destination's expressions. */
  boolean readsEvent() {
    return readsEvent;
  }

  /**
   * Sends the event to the destination: the original body and content type (or what the transform
   * made of them), the Standard Webhooks metadata (the signature covers the body sent). The whole
   * attempt (reading the event for its expressions, connect, send, answer) is bounded by the
   * destination's timeout. {@code event}: the event as expressions see it, null when
   * {@link #readsEvent} is false. A transform or key expression that fails on the event completes
   * the attempt as {@link AttemptResponse#transformFailed}, nothing sent.
   */
  InFlight send(ClaimedDelivery d, Future<EventContext> event, long timestampSeconds, String traceparent) {
    InFlight attempt = new InFlight(vertx.getOrCreateContext());
    long timeoutMs = config.timeout().toMillis();
    long timer = vertx.setTimer(timeoutMs, id -> attempt.abort("timeout after " + timeoutMs + " ms"));
    attempt.future().onComplete(ar -> vertx.cancelTimer(timer));
    if (event == null) {
      send(attempt, d, OutgoingMessage.original(d.body(), d.contentType()), null, timestampSeconds, traceparent);
      return attempt;
    }
    event.onComplete(ar -> {
      if (attempt.isComplete()) {
        return; // timed out or aborted while the event was read
      }
      if (ar.failed()) {
        attempt.complete(AttemptResponse.failed("could not read the event for its expressions: " + describe(ar.cause())));
        return;
      }
      try {
        OutgoingMessage m = transform == null ? OutgoingMessage.original(d.body(), d.contentType())
            : transform.apply(ar.result(), d.body(), d.contentType());
        send(attempt, d, m, ar.result(), timestampSeconds, traceparent);
      } catch (ExpressionException e) {
        attempt.complete(AttemptResponse.transformFailed(e.getMessage()));
      }
    });
    return attempt;
  }

  private void send(InFlight attempt, ClaimedDelivery d, OutgoingMessage m, EventContext event, long timestampSeconds,
                    String traceparent) {
    String msgId = d.eventId().toString();
    String signature = signingKey == null ? null
        : StandardWebhooksSigner.sign(signingKey, msgId, timestampSeconds, m.body().getBytes());
    DeliveryMessage message = new DeliveryMessage(msgId, timestampSeconds, sourceId, d.eventType(),
        d.providerEventId(), m.contentType(), m.body(), traceparent, signature, d.attempt(), m.headers(),
        m.pathSuffix(), event);
    try {
      destination.send(message, attempt);
    } catch (ExpressionException e) {
      attempt.complete(AttemptResponse.transformFailed(e.getMessage()));
    }
  }

  Future<Void> close() {
    return destination.close();
  }

  /** A short reason without stack traces; never contains the request's headers, so never a secret. */
  static String describe(Throwable err) {
    if (err instanceof TimeoutException) {
      return "timeout: " + err.getMessage();
    }
    String msg = err.getMessage();
    String kind = err.getClass().getSimpleName();
    if (err instanceof java.net.ConnectException || kind.contains("Connect")) {
      return "connection failed: " + (msg == null ? kind : msg);
    }
    return kind + (msg == null ? "" : ": " + msg);
  }
}
