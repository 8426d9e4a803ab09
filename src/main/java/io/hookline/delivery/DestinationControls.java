package io.hookline.delivery;

import io.hookline.delivery.RetryPolicy.Outcome;
import io.hookline.store.ClaimedDelivery;
import io.hookline.store.DeliveryLeases;
import io.hookline.store.DestinationState;
import io.hookline.store.DestinationStates;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Whether an attempt may start now: manual pause, the circuit breaker and the rate limit. A
 * destination with neither {@code circuitBreaker} nor {@code rateLimit} that is not paused is
 * {@link #free}: decided from memory, no I/O. A delivery held back is {@linkplain #defer deferred}:
 * its lease and its attempt number are given back (not counted against maxAttempts) and it is due
 * again later, pending. Confined to the worker's context.
 */
final class DestinationControls {
  /** A paused destination's deliveries are due again after this; claims skip it while it stays paused. */
  static final long PAUSED_DEFER_MS = 1000;
  /** The longest a rate-limited attempt waits in memory for its slot (holding its permits). */
  static final long MAX_RATE_WAIT_MS = 10_000;

  /** What to do with one attempt: send it, or give it back due in {@code deferMillis}. */
  record Admission(boolean send, long deferMillis) {
    static final Admission SEND = new Admission(true, 0);

    static Admission defer(long ms) {
      return new Admission(false, Math.max(0, ms));
    }
  }

  private final Vertx vertx;
  private final NodeDeliveryState node;
  private final DestinationStates store;
  private final DeliveryLeases leases;
  private final RateLimiter rates;

  DestinationControls(Vertx vertx, NodeDeliveryState node, DestinationStates store, DeliveryLeases leases,
                      RateLimiter rates) {
    this.leases = leases;
    this.vertx = vertx;
    this.node = node;
    this.store = store;
    this.rates = rates;
  }

  /** No controls configured and not paused: start at once, nothing asked of Redis or PostgreSQL. */
  boolean free(DestinationTarget t) {
    return t.config.circuitBreaker() == null && t.config.rateLimit() == null && !node.destinationState(t.key).paused();
  }

  /** Claims skip it for now (paused, or open with no probe due). */
  boolean blocked(DestinationTarget t) {
    return node.destinationState(t.key).blocked(System.currentTimeMillis());
  }

  /** While open, a claim asks for one delivery (the probe), not a batch that would only be given back. */
  boolean probing(DestinationTarget t) {
    return t.config.circuitBreaker() != null && node.destinationState(t.key).open();
  }

  /**
   * Decides one attempt; a rate-limited one waits here (a timer, holding its permit) for its slot
   * while its lease leaves room for it, else it is deferred to its slot.
   */
  Future<Admission> admit(DestinationTarget t, ClaimedDelivery d) {
    DestinationState s = node.destinationState(t.key);
    if (s.paused()) {
      return Future.succeededFuture(Admission.defer(PAUSED_DEFER_MS));
    }
    if (t.config.circuitBreaker() != null && s.open()) {
      long cooldown = t.config.circuitBreaker().cooldown().toMillis();
      return store.takeProbe(t.sourceId, t.config.id(), cooldown).compose(probe -> probe ? rateSlot(t, d)
          : Future.succeededFuture(Admission.defer(Math.min(cooldown, s.probeDueEpochMillis() - System.currentTimeMillis()))));
    }
    return rateSlot(t, d);
  }

  private Future<Admission> rateSlot(DestinationTarget t, ClaimedDelivery d) {
    if (t.config.rateLimit() == null) {
      return Future.succeededFuture(Admission.SEND);
    }
    // The wait must leave the lease room for the attempt and its write-back, or another node could take it over.
    long maxWait = Math.min(MAX_RATE_WAIT_MS, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(
        d.leaseDeadlineNanos() - System.nanoTime() - t.timeoutNanos - DeliveryWorker.LEASE_MARGIN.toNanos() / 2));
    Future<Long> slot = rates != null ? rates.reserve(t, maxWait)  // no Redis (embedded mode): this node alone
        : Future.succeededFuture(node.localRateSlot(t.key, t.config.rateLimit().intervalMillis(), maxWait));
    return slot.compose(waitMs -> {
      if (waitMs < 0) {
        return Future.succeededFuture(Admission.defer(-waitMs)); // no slot within the bound: come back then
      }
      if (waitMs == 0) {
        return Future.succeededFuture(Admission.SEND);
      }
      Promise<Admission> at = Promise.promise();
      vertx.setTimer(waitMs, id -> at.complete(Admission.SEND));
      return at.future();
    });
  }

  /** Gives a held-back delivery back: lease cleared, attempt not counted, due in {@code ms}. */
  Future<Void> defer(ClaimedDelivery d, long ms) {
    return leases.defer(d, ms);
  }

  /**
   * A failed attempt while the circuit is open (a failed probe) is retried no sooner than two
   * cooldowns: the next probes go to other waiting deliveries instead of using up this one's attempts.
   */
  AttemptOutcome whileOpen(DestinationTarget t, AttemptOutcome o) {
    if (t.config.circuitBreaker() == null || o.outcome() != Outcome.RETRY || !node.destinationState(t.key).open()) {
      return o;
    }
    java.time.Duration floor = t.config.circuitBreaker().cooldown().multipliedBy(2);
    return o.retryDelay().compareTo(floor) >= 0 ? o
        : new AttemptOutcome(o.outcome(), floor, o.statusCode(), o.error(), o.recordedOutcome());
  }

  /** Counts the attempt for the circuit breaker (consecutive failures across nodes); nothing without one. */
  void finished(DestinationTarget t, Outcome outcome, boolean aborted) {
    if (t.config.circuitBreaker() == null || aborted || outcome == Outcome.GONE) {
      return;
    }
    if (outcome == Outcome.DELIVERED) {
      DestinationState s = node.destinationState(t.key);
      if (s.failures() > 0 || s.open()) {
        node.destinationState(t.key, new DestinationState(s.paused(), false, 0, 0));
        store.succeeded(t.sourceId, t.config.id());
      }
      return;
    }
    store.failed(t.sourceId, t.config.id(), t.config.circuitBreaker().failures(),
        t.config.circuitBreaker().cooldown().toMillis()).onSuccess(s -> node.destinationState(t.key, s));
  }
}
