package io.hookline.delivery;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.delivery.DeliveryLeases.AttemptResult;
import io.hookline.delivery.DeliveryLeases.ClaimRequest;
import io.hookline.delivery.RetryPolicy.Decision;
import io.hookline.delivery.RetryPolicy.Outcome;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers stored events to their destinations. Deploy it as a worker verticle, any number of
 * instances per node, any number of nodes on one database.
 *
 * <p>PostgreSQL is the queue. A poller claims due deliveries under a lease ({@code FOR UPDATE SKIP
 * LOCKED}), only as many as the node's free in-flight permits allow (overall and per destination),
 * so a slow destination cannot exhaust memory or starve the others and the backlog stays in the
 * database. It runs every {@code delivery.pollInterval}, shortly after ingest hints that an event was
 * committed (hints within {@value #HINT_COALESCE_MS} ms share one claim), and again at once whenever
 * the previous claim suggested more is due. Each claim is one attempt:
 * POST, then one statement records the attempt and moves the delivery on (delivered, gone, dead, or
 * pending again after a backoff), fenced by lease owner and attempt number. If the node dies, its
 * leases expire and any other worker picks the deliveries up.
 *
 * <p>All state below is touched only on this verticle's (serial) worker context; what the node's
 * instances share lives in {@link NodeDeliveryState}.
 */
public final class DeliveryWorker extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
  /** Added to a destination's timeout for its lease: the claim-to-send and result-to-commit slack. */
  static final Duration LEASE_MARGIN = Duration.ofSeconds(5);
  private static final long PENDING_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);
  /** After the drain deadline, how long aborted attempts get to write their result back. */
  private static final long ABORT_GRACE_MS = 2000;
  private static final long[] RECORD_RETRY_MS = {250, 1000, 3000};
  private static final long ERROR_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  static final String ABORTED = "aborted";
  /**
   * Hints (one per committed event) arriving within this window share one claim. Claiming on every
   * hint ran a claim query per event under load, and that PostgreSQL work slowed ingest's commits.
   */
  static final long HINT_COALESCE_MS = 10;

  private final HooklineConfig config;
  private final String nodeId;
  private final MeterRegistry registry;
  private final Map<String, DestinationTarget> targets = new LinkedHashMap<>();
  private final List<DestinationTarget> targetOrder = new ArrayList<>();
  private final Set<DestinationTarget.InFlight> inFlight = new HashSet<>();
  private final Map<DestinationTarget.InFlight, Future<Void>> attemptsDone = new HashMap<>();

  private String stateKey;
  private NodeDeliveryState state;
  private String leaseOwner;
  private Pool pool;
  private DeliveryLeases leases;
  private MessageConsumer<String> hints;
  private long pollTimer = -1;
  private long hintTimer = -1;
  private int rotation;
  private boolean polling;
  private boolean wakeRequested;
  /**
   * The last claim was held back by the node-wide cap, or (per destination) took all its free
   * permits or found none: when an attempt there finishes and frees a permit, claim again at once
   * instead of waiting for the next poll. A destination with nothing more due is not in the set, so
   * its completions cost no query.
   */
  private boolean globalSaturated;
  private final Set<String> saturatedDestinations = new HashSet<>();
  private boolean stopping;
  private Promise<Void> drained;
  private long lastErrorLogNanos = Long.MIN_VALUE;

  public DeliveryWorker(HooklineConfig config, String nodeId, MeterRegistry registry) {
    this.config = config;
    this.nodeId = nodeId;
    this.registry = registry;
  }

  /** This instance's lease owner: the node id plus an instance number unique on the node. */
  public String leaseOwner() {
    return leaseOwner;
  }

  @Override
  public Future<?> start() {
    stateKey = nodeId + "|" + config.postgres().schema();
    state = NodeDeliveryState.acquire(vertx, stateKey);
    leaseOwner = nodeId + "/" + state.nextInstanceNumber();
    Gauge.builder("hookline.events.pending", state, NodeDeliveryState::pending)
        .description("Deliveries not yet delivered, dead or gone (all nodes; refreshed every few seconds)")
        .strongReference(true)
        .register(registry);
    // Claims are serial per instance; attempts write back in parallel, so a few connections.
    int poolSize = Math.max(2, Math.min(4, config.postgres().poolSize()));
    pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(poolSize).setName("hookline-delivery-" + leaseOwner))
        .connectingTo(PgConnectOptions.fromUri(config.postgres().url()))
        .using(vertx)
        .build();
    leases = new DeliveryLeases(pool, config.postgres().schema());
    for (SourceConfig source : config.sources()) {
      for (DestinationConfig d : source.destinations()) {
        DestinationTarget t = new DestinationTarget(vertx, source, d, config.delivery().lease(), LEASE_MARGIN, registry);
        targets.put(t.key, t);
        targetOrder.add(t);
      }
    }
    hints = vertx.eventBus().consumer(DeliveryAddresses.EVENT_COMMITTED, message -> hinted());
    pollTimer = vertx.setPeriodic(config.delivery().pollInterval().toMillis(), id -> {
      refreshPending();
      wake();
    });
    return hints.completion().onSuccess(v -> {
      LOG.info("delivery worker {} started: {} destinations, poll every {} ms", leaseOwner, targetOrder.size(),
          config.delivery().pollInterval().toMillis());
      refreshPending();
      wake();
    });
  }

  // ------------------------------------------------------------------ claiming

  private void hinted() {
    if (hintTimer >= 0 || stopping) {
      return;
    }
    hintTimer = vertx.setTimer(HINT_COALESCE_MS, id -> {
      hintTimer = -1;
      wake();
    });
  }

  /** Runs a claim now, or right after the one in progress. */
  private void wake() {
    if (stopping || targetOrder.isEmpty()) {
      return;
    }
    if (polling) {
      wakeRequested = true;
      return;
    }
    polling = true;
    wakeRequested = false;
    claimOnce().onComplete(ar -> {
      polling = false;
      if (stopping) {
        checkDrained();
        return;
      }
      if (ar.failed()) {
        logError("claiming due deliveries failed (retrying every poll interval)", ar.cause());
        return;
      }
      if (ar.result() || wakeRequested) {
        wake();
      }
    });
  }

  /**
   * Reserves the free permits, claims at most that many due deliveries, starts them and hands back
   * the unused permits. Completes with true when there may be more due right now.
   */
  private Future<Boolean> claimOnce() {
    HooklineConfig.Delivery d = config.delivery();
    int global = state.reserveGlobal(Math.min(d.pollBatch(), d.maxInFlight()), d.maxInFlight());
    if (global == 0) {
      globalSaturated = true;
      return Future.succeededFuture(false);
    }
    globalSaturated = false;
    saturatedDestinations.clear();
    // Start with a different destination each time: the outer LIMIT favours the first ones.
    int n = targetOrder.size();
    int first = rotation++ % n;
    List<ClaimRequest> requests = new ArrayList<>(n);
    Map<String, Integer> reserved = new HashMap<>();
    for (int i = 0; i < n; i++) {
      DestinationTarget t = targetOrder.get((first + i) % n);
      int cap = t.config.maxInFlight();
      int got = state.reserveDestination(t.key, Math.min(global, cap), cap);
      if (got > 0) {
        reserved.put(t.key, got);
        requests.add(new ClaimRequest(t.sourceId, t.config.id(), got, t.leaseMillis));
      } else {
        saturatedDestinations.add(t.key);
      }
    }
    if (requests.isEmpty()) {
      state.releaseGlobal(global);
      return Future.succeededFuture(false);
    }
    return leases.claim(leaseOwner, requests, global)
        .onFailure(err -> {
          state.releaseGlobal(global);
          reserved.forEach((key, got) -> state.releaseDestination(key, got));
        })
        .map(claimed -> {
          Map<String, Integer> used = new HashMap<>();
          for (ClaimedDelivery c : claimed) {
            used.merge(DestinationTarget.key(c.sourceId(), c.destinationId()), 1, Integer::sum);
          }
          boolean destinationFilled = false;
          for (Map.Entry<String, Integer> e : reserved.entrySet()) {
            int u = used.getOrDefault(e.getKey(), 0);
            state.releaseDestination(e.getKey(), e.getValue() - u);
            if (u == e.getValue()) {
              destinationFilled = true;
              saturatedDestinations.add(e.getKey());
            }
          }
          state.releaseGlobal(global - claimed.size());
          boolean globalFilled = claimed.size() == global;
          globalSaturated = globalFilled;
          for (ClaimedDelivery c : claimed) {
            if (stopping) {
              // Claimed while stopping: hand it straight back (the final release covers it).
              DestinationTarget t = targets.get(DestinationTarget.key(c.sourceId(), c.destinationId()));
              releasePermits(t);
            } else {
              attempt(c);
            }
          }
          return destinationFilled || globalFilled;
        });
  }

  private void releasePermits(DestinationTarget t) {
    state.releaseGlobal(1);
    state.releaseDestination(t.key, 1);
  }

  // ------------------------------------------------------------------ attempts

  private void attempt(ClaimedDelivery d) {
    DestinationTarget t = targets.get(DestinationTarget.key(d.sourceId(), d.destinationId()));
    Instant startedAt = Instant.now();
    long startNanos = System.nanoTime();
    DestinationTarget.InFlight call = t.send(d, startedAt.getEpochSecond());
    inFlight.add(call);
    Future<Void> done = call.future()
        .compose(response -> {
          long nanos = System.nanoTime() - startNanos;
          Instant finishedAt = Instant.now();
          boolean aborted = stopping && !response.answered() && response.error() != null
              && response.error().startsWith(ABORTED);
          Decision decision = aborted
              // The node is stopping, not the destination failing: retry at once elsewhere, and never
              // let a shutdown be what makes a delivery dead.
              ? new Decision(Outcome.RETRY, Duration.ZERO)
              : response.answered()
                  ? t.policy.afterResponse(d.attempt(), response.statusCode(), RetryAfter.parse(response.retryAfter(), finishedAt))
                  : t.policy.afterError(d.attempt());
          t.count(decision.outcome(), nanos);
          String error = response.answered()
              ? (decision.outcome() == Outcome.DELIVERED ? null
                  : "HTTP " + response.statusCode() + (response.bodySnippet() == null ? "" : ": " + response.bodySnippet()))
              : response.error();
          AttemptResult result = new AttemptResult(nodeId, utc(startedAt), utc(finishedAt),
              response.answered() ? response.statusCode() : null,
              (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos)),
              aborted ? ABORTED : decision.outcome().label(), error,
              decision.outcome().deliveryStatus(), decision.delay().toMillis());
          if (decision.outcome() == Outcome.DEAD) {
            LOG.warn("delivery dead-lettered: event={} source={} destination={} after {} attempts (last: {})",
                d.eventId(), d.sourceId(), d.destinationId(), d.attempt(), error);
          }
          return record(d, result, 0);
        })
        .onComplete(ar -> {
          inFlight.remove(call);
          attemptsDone.remove(call);
          releasePermits(t);
          if (stopping) {
            checkDrained();
          } else if (globalSaturated || saturatedDestinations.contains(t.key)) {
            wake();
          }
        });
    attemptsDone.put(call, done);
  }

  /**
   * Writes the attempt back, retrying a few times while the lease is still ours. If it never
   * succeeds, the lease expires and the delivery is attempted again: at least once, never lost.
   */
  private Future<Void> record(ClaimedDelivery d, AttemptResult result, int retry) {
    return leases.record(d, leaseOwner, result)
        .<Void>map(updated -> {
          if (!updated) {
            LOG.warn("lease lost before the result was written: event={} destination={} attempt={} ({}); "
                + "another worker owns the delivery now", d.eventId(), d.destinationId(), d.attempt(), result.outcome());
          }
          return null;
        })
        .recover(err -> {
          if (retry >= RECORD_RETRY_MS.length) {
            logError("could not record attempt " + d.attempt() + " of event " + d.eventId() + " to "
                + d.destinationId() + "; it will be attempted again when its lease expires", err);
            return Future.succeededFuture();
          }
          Promise<Void> later = Promise.promise();
          vertx.setTimer(RECORD_RETRY_MS[retry], id -> record(d, result, retry + 1).onComplete(later));
          return later.future();
        });
  }

  // ------------------------------------------------------------------ metrics

  private void refreshPending() {
    if (!stopping && state.claimPendingRefresh(PENDING_REFRESH_NANOS)) {
      leases.countPending().onSuccess(state::pending);
    }
  }

  // ------------------------------------------------------------------ stopping

  /**
   * Stops claiming, lets attempts in flight finish until {@code delivery.drainTimeout}, aborts the
   * rest (recorded as {@value #ABORTED}, due again at once), then releases every lease this
   * instance still holds so another node can take over without waiting for expiry.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
    }
    if (hintTimer >= 0) {
      vertx.cancelTimer(hintTimer);
    }
    drained = Promise.promise();
    checkDrained();
    long drainMs = config.delivery().drainTimeout().toMillis();
    if (leases == null) {
      // start() failed before anything could be claimed: nothing to drain or release.
      return pool == null ? Future.succeededFuture() : pool.close();
    }
    Future<Void> unregistered = hints == null ? Future.succeededFuture() : hints.unregister();
    return unregistered
        .transform(ar -> withTimeout(drained.future(), drainMs))
        .transform(ar -> {
          if (inFlight.isEmpty()) {
            return Future.succeededFuture();
          }
          LOG.warn("delivery worker {}: drain deadline reached with {} attempts in flight; aborting them",
              leaseOwner, inFlight.size());
          List<Future<Void>> pending = new ArrayList<>(attemptsDone.values());
          new ArrayList<>(inFlight).forEach(call -> call.abort(ABORTED + ": node stopping"));
          return withTimeout(Future.join(pending).mapEmpty(), ABORT_GRACE_MS);
        })
        .transform(ar -> leases.release(leaseOwner)
            .onSuccess(n -> {
              if (n > 0) {
                LOG.info("delivery worker {} released {} leases", leaseOwner, n);
              }
            })
            .onFailure(err -> LOG.warn("delivery worker {} could not release its leases ({}); they expire on their own",
                leaseOwner, err.toString())))
        .transform(ar -> {
          List<Future<Void>> closing = new ArrayList<>();
          targetOrder.forEach(t -> closing.add(t.close()));
          closing.add(pool.close());
          return Future.join(closing);
        })
        .eventually(() -> {
          NodeDeliveryState.release(vertx, stateKey, state);
          return Future.succeededFuture();
        });
  }

  private void checkDrained() {
    if (drained != null && inFlight.isEmpty() && !polling) {
      drained.tryComplete();
    }
  }

  private Future<Void> withTimeout(Future<Void> f, long ms) {
    Promise<Void> p = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, ms), id -> p.tryComplete());
    f.onComplete(ar -> {
      vertx.cancelTimer(timer);
      p.tryComplete();
    });
    return p.future();
  }

  // ------------------------------------------------------------------ helpers

  private static OffsetDateTime utc(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  private void logError(String what, Throwable err) {
    long now = System.nanoTime();
    if (lastErrorLogNanos == Long.MIN_VALUE || now - lastErrorLogNanos >= ERROR_LOG_INTERVAL_NANOS) {
      lastErrorLogNanos = now;
      LOG.warn("delivery worker {}: {}: {}", leaseOwner, what, err.toString());
    }
  }
}
