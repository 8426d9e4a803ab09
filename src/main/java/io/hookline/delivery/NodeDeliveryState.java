package io.hookline.delivery;

import io.hookline.store.DestinationState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the delivery worker instances of one node share: the in-flight permits (so
 * {@code delivery.maxInFlight} and each destination's {@code maxInFlight} hold per node, however
 * many instances are deployed), instance numbering for lease owners, the start-up take-back of the
 * leases of a previous run, and the pending gauge's value.
 * Kept in a Vert.x local map because the instances are created by a supplier that passes nothing shared.
 */
final class NodeDeliveryState implements Shareable {
  private static final String MAP = "hookline.delivery.node-state";

  private final AtomicInteger globalInFlight = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> destinationInFlight = new ConcurrentHashMap<>();
  private final AtomicInteger instanceNumbers = new AtomicInteger();
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong pendingRefreshedAtNanos = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong statesRefreshedAtNanos = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong statesReadsStarted = new AtomicLong();
  private long statesReadApplied;
  private final ConcurrentHashMap<String, DestinationState> destinationStates = new ConcurrentHashMap<>();
  private int references;
  private Future<Void> takenBack;

  static NodeDeliveryState acquire(Vertx vertx, String key) {
    LocalMap<String, NodeDeliveryState> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (NodeDeliveryState.class) {
      NodeDeliveryState state = map.get(key);
      if (state == null) {
        state = new NodeDeliveryState();
        map.put(key, state);
      }
      state.references++;
      return state;
    }
  }

  static void release(Vertx vertx, String key, NodeDeliveryState state) {
    LocalMap<String, NodeDeliveryState> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (NodeDeliveryState.class) {
      if (--state.references == 0) {
        map.remove(key, state);
      }
    }
  }

  /**
   * Runs {@code takeBack} once per node (the first instance to start), shared by the others: no
   * instance claims before the previous run's leases are released, so none of its own is released.
   * A failure is logged by the caller and not fatal: those leases then expire on their own.
   */
  synchronized Future<Void> takeBack(Supplier<Future<?>> takeBack) {
    if (takenBack == null) {
      takenBack = takeBack.get().<Void>mapEmpty().recover(err -> Future.succeededFuture());
    }
    return takenBack;
  }

  int nextInstanceNumber() {
    return instanceNumbers.getAndIncrement();
  }

  /** Reserves up to {@code want} of the node-wide permits; returns how many it got. */
  int reserveGlobal(int want, int cap) {
    return reserve(globalInFlight, want, cap);
  }

  void releaseGlobal(int n) {
    if (n > 0) {
      globalInFlight.addAndGet(-n);
    }
  }

  int reserveDestination(String destinationKey, int want, int cap) {
    return reserve(destinationInFlight.computeIfAbsent(destinationKey, k -> new AtomicInteger()), want, cap);
  }

  void releaseDestination(String destinationKey, int n) {
    if (n > 0) {
      destinationInFlight.get(destinationKey).addAndGet(-n);
    }
  }

  int globalInFlight() {
    return globalInFlight.get();
  }

  private static int reserve(AtomicInteger counter, int want, int cap) {
    while (true) {
      int used = counter.get();
      int take = Math.min(want, cap - used);
      if (take <= 0) {
        return 0;
      }
      if (counter.compareAndSet(used, used + take)) {
        return take;
      }
    }
  }

  long pending() {
    return pending.get();
  }

  void pending(long value) {
    pending.set(value);
  }

  /** True for exactly one caller per interval, so the instances of a node share one count query. */
  boolean claimPendingRefresh(long intervalNanos) {
    long now = System.nanoTime();
    long last = pendingRefreshedAtNanos.get();
    return (last == Long.MIN_VALUE || now - last >= intervalNanos) && pendingRefreshedAtNanos.compareAndSet(last, now);
  }

  /** The destination's controls as last read (or changed by this node); closed when never stored. */
  DestinationState destinationState(String destinationKey) {
    return destinationStates.getOrDefault(destinationKey, DestinationState.CLOSED);
  }

  /** A state this node just learned (a failure counted, a success): reads of the table begun before it are stale. */
  synchronized void destinationState(String destinationKey, DestinationState state) {
    statesReadApplied = statesReadsStarted.incrementAndGet();
    destinationStates.put(destinationKey, state);
  }

  /** Numbers a read of destination_states, so that an older read finishing late never overwrites a newer one. */
  long startStatesRead() {
    return statesReadsStarted.incrementAndGet();
  }

  /**
   * Replaces every cached state with what PostgreSQL held at read {@code read} (absent = closed), unless
   * a later read was applied or a state was learned since the read began (a stale read once reopened a
   * circuit that had just opened, and a wave of retries went out).
   */
  synchronized void destinationStates(long read, java.util.Map<String, DestinationState> fresh) {
    if (read <= statesReadApplied) {
      return;
    }
    statesReadApplied = read;
    destinationStates.keySet().retainAll(fresh.keySet());
    destinationStates.putAll(fresh);
  }

  /** Like {@link #claimPendingRefresh}, for the destination states; {@code force} ignores the interval. */
  boolean claimStatesRefresh(long intervalNanos, boolean force) {
    long now = System.nanoTime();
    if (force) {
      statesRefreshedAtNanos.set(now);
      return true;
    }
    long last = statesRefreshedAtNanos.get();
    return (force || last == Long.MIN_VALUE || now - last >= intervalNanos) && statesRefreshedAtNanos.compareAndSet(last, now);
  }

  private final java.util.Map<String, Double> localRateNext = new java.util.HashMap<>();
  private volatile int liveNodes = 1;

  int liveNodes() {
    return liveNodes;
  }

  void liveNodes(int n) {
    liveNodes = n;
  }

  /** The local fallback of the rate limit (Redis down): the same virtual scheduling, on this node's clock. */
  synchronized long localRateSlot(String destinationKey, double intervalMillis, long maxWaitMs) {
    double now = System.nanoTime() / 1e6;
    double next = Math.max(now, localRateNext.getOrDefault(destinationKey, now));
    long wait = (long) Math.ceil(next - now);
    if (wait > maxWaitMs) {
      return -wait;
    }
    localRateNext.put(destinationKey, next + intervalMillis);
    return wait;
  }
}
