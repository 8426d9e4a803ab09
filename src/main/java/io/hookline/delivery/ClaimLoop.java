package io.hookline.delivery;

import io.hookline.config.HooklineConfig;
import io.hookline.expression.EventContext;
import io.hookline.store.ClaimedDelivery;
import io.hookline.store.DeliveryLeases;
import io.hookline.store.DeliveryLeases.ClaimRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Where a worker's attempts come from, under the node's in-flight permits (overall and per
 * destination, shared by the node's instances in {@link NodeDeliveryState}):
 * <ul>
 *   <li>events handed off by ingest, queued here per destination, already leased: they start as
 *       soon as permits allow, with no query at all;</li>
 *   <li>claims from PostgreSQL ({@code FOR UPDATE SKIP LOCKED}), for retries, replays, the hand-off's
 *       overflow and expired leases: every {@code delivery.pollInterval}, shortly after a hint that
 *       unleased deliveries were committed (hints within {@value #HINT_COALESCE_MS} ms share one claim),
 *       and again at once while the previous claim suggested more is due.</li>
 * </ul>
 * Confined to the worker's context.
 */
final class ClaimLoop {
  /**
   * Hints (one per committed event) arriving within this window share one claim. Claiming on every
   * hint ran a claim query per event under load, and that PostgreSQL work slowed ingest's commits.
   */
  static final long HINT_COALESCE_MS = 10;
  private static final long START_MARGIN_NANOS = DeliveryWorker.LEASE_MARGIN.toNanos() / 2;

  /** A handed-off delivery waiting for a permit; its lease (counted from the commit) ends by {@code deadlineNanos}. */
  private record Queued(ClaimedDelivery delivery, DestinationTarget target, long deadlineNanos, EventContext event) {}

  private final Vertx vertx;
  private final HooklineConfig.Delivery config;
  private final NodeDeliveryState state;
  private final Handoff handoff;
  private final DeliveryLeases leases;
  private final String leaseOwner;
  private final Map<String, DestinationTarget> targets;
  private final List<DestinationTarget> targetOrder;
  private final Consumer<Delivery> start;
  private final Consumer<Throwable> claimFailed;
  private final DestinationControls controls;
  private final Map<String, ArrayDeque<Queued>> handedOff = new HashMap<>();
  private int queuedHandoffs;
  private long hintTimer = -1;
  private int rotation;
  private boolean polling;
  private boolean wakeRequested;
  private boolean stopping;
  /**
   * The last claim was held back by the node-wide cap, or (per destination) took all its free
   * permits or found none: when an attempt there finishes and frees a permit, claim again at once
   * instead of waiting for the next poll. A destination with nothing more due is not in the set, so
   * its completions cost no query.
   */
  private boolean globalSaturated;
  private final Set<String> saturatedDestinations = new HashSet<>();
  /** Alternates freed permits between the hand-off queue and PostgreSQL while both have work: neither starves. */
  private boolean claimTurn;

  ClaimLoop(Vertx vertx, HooklineConfig.Delivery config, NodeDeliveryState state, Handoff handoff, DeliveryLeases leases,
            String leaseOwner, Map<String, DestinationTarget> targets, List<DestinationTarget> targetOrder,
            Consumer<Delivery> start, Consumer<Throwable> claimFailed, DestinationControls controls) {
    this.controls = controls;
    this.vertx = vertx;
    this.config = config;
    this.state = state;
    this.handoff = handoff;
    this.leases = leases;
    this.leaseOwner = leaseOwner;
    this.targets = targets;
    this.targetOrder = targetOrder;
    this.start = start;
    this.claimFailed = claimFailed;
    targetOrder.forEach(t -> handedOff.put(t.key, new ArrayDeque<>()));
  }

  boolean polling() {
    return polling;
  }

  // ------------------------------------------------------------------ hand-off

  /** A committed event from ingest: its deliveries are leased to the hand-off owner already. */
  void handedOff(HandedOffEvent e) {
    String[] destinations = e.destinationIds();
    for (int i = 0; i < destinations.length; i++) {
      DestinationTarget t = targets.get(DestinationTarget.key(e.sourceId(), destinations[i]));
      long deadline = e.writtenAtNanos() + TimeUnit.MILLISECONDS.toNanos(e.leaseMillis()[i]);
      ClaimedDelivery d = t == null ? null : new ClaimedDelivery(e.eventId(), e.sourceId(), destinations[i], 1, 1,
          e.contentType(), e.body(), e.leaseOwner(), e.traceparent(), deadline, e.eventType(), e.providerEventId());
      if (t == null || stopping) {
        // Not ours to run (unknown destination) or stopping: the slot goes back, the lease expires or is released.
        handoff.release(1);
        if (d != null) {
          unstarted.add(d);
        }
        continue;
      }
      handedOff.get(t.key).add(new Queued(d, t, deadline, e.event()));
      queuedHandoffs++;
    }
    pumpHandoffs();
  }

  private final List<ClaimedDelivery> unstarted = new ArrayList<>();

  /** Starts queued hand-offs while permits allow. */
  private void pumpHandoffs() {
    if (queuedHandoffs == 0 || stopping) {
      return;
    }
    int n = targetOrder.size();
    boolean progress = true;
    while (progress && queuedHandoffs > 0) {
      progress = false;
      for (int i = 0; i < n && queuedHandoffs > 0; i++) {
        DestinationTarget t = targetOrder.get((rotation + i) % n);
        ArrayDeque<Queued> q = handedOff.get(t.key);
        if (q.isEmpty()) {
          continue;
        }
        if (state.reserveGlobal(1, config.maxInFlight()) == 0) {
          return;
        }
        if (state.reserveDestination(t.key, 1, t.config.maxInFlight()) == 0) {
          state.releaseGlobal(1);
          continue;
        }
        Permit permit = new Permit(state, t.key);
        Queued next = q.poll();
        queuedHandoffs--;
        handoff.release(1);
        progress = true;
        // The attempt and its write-back must fit in what is left of the lease, or another node could
        // take the delivery over while it runs; half the margin is the most the wait in the queue may
        // use of it. Too late: the delivery is left to its lease's expiry and the claim path.
        if (System.nanoTime() + t.timeoutNanos + START_MARGIN_NANOS - next.deadlineNanos() > 0) {
          permit.release();
          continue;
        }
        start.accept(new Delivery(next.delivery(), next.target(), permit, next.event()));
      }
    }
  }

  /** Handed-off deliveries never started (stopping): their slots are given back; the caller releases their leases. */
  List<ClaimedDelivery> takeUnstarted() {
    List<ClaimedDelivery> out = new ArrayList<>(unstarted);
    unstarted.clear();
    for (ArrayDeque<Queued> q : handedOff.values()) {
      for (Queued x : q) {
        out.add(x.delivery());
        handoff.release(1);
      }
      q.clear();
    }
    queuedHandoffs = 0;
    return out;
  }

  // ------------------------------------------------------------------ permits freed

  /** An attempt to {@code t} finished and its permits were released. */
  void permitFreed(DestinationTarget t) {
    if (stopping) {
      return;
    }
    boolean dbDue = globalSaturated || saturatedDestinations.contains(t.key);
    if (queuedHandoffs > 0 && !(dbDue && claimTurn)) {
      claimTurn = true;
      pumpHandoffs();
      return;
    }
    claimTurn = false;
    if (dbDue) {
      wake();
    }
  }

  // ------------------------------------------------------------------ claiming

  void hinted() {
    if (hintTimer >= 0 || stopping) {
      return;
    }
    hintTimer = vertx.setTimer(HINT_COALESCE_MS, id -> {
      hintTimer = -1;
      wake();
    });
  }

  void stop() {
    stopping = true;
    if (hintTimer >= 0) {
      vertx.cancelTimer(hintTimer);
      hintTimer = -1;
    }
  }

  /** Runs a claim now, or right after the one in progress. Completes (for the drain) when claiming is idle. */
  void wake() {
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
        idle.run();
        return;
      }
      if (ar.failed()) {
        claimFailed.accept(ar.cause());
        return;
      }
      if (ar.result() || wakeRequested) {
        wake();
      }
    });
  }

  private Runnable idle = () -> { };

  /** Called when a claim in progress at stop finishes. */
  void onIdle(Runnable r) {
    idle = r;
  }

  /**
   * Reserves the free permits, claims at most that many due deliveries, starts them and hands back
   * the unused permits. Completes with true when there may be more due right now.
   */
  private Future<Boolean> claimOnce() {
    int global = state.reserveGlobal(Math.min(config.pollBatch(), config.maxInFlight()), config.maxInFlight());
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
      if (controls.blocked(t)) {
        continue; // paused, or its circuit is open with no probe due: leave its deliveries in PostgreSQL
      }
      int cap = t.config.maxInFlight();
      int got = state.reserveDestination(t.key, Math.min(global, controls.probing(t) ? 1 : cap), cap);
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
          List<DestinationTarget> claimedTargets = new ArrayList<>(claimed.size());
          for (ClaimedDelivery c : claimed) {
            DestinationTarget t = targets.get(DestinationTarget.key(c.sourceId(), c.destinationId()));
            claimedTargets.add(t);
            used.merge(t.key, 1, Integer::sum);
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
          for (int i = 0; i < claimed.size(); i++) {
            Permit permit = new Permit(state, claimedTargets.get(i).key);
            if (stopping) {
              // Claimed while stopping: hand it straight back (the final release covers its lease).
              permit.release();
            } else {
              start.accept(new Delivery(claimed.get(i), claimedTargets.get(i), permit, null));
            }
          }
          // Permits the claim did not use may serve queued hand-offs.
          pumpHandoffs();
          return destinationFilled || globalFilled;
        });
  }
}
