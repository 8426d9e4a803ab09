package io.hookline.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event-loop lag: every {@link #INTERVAL_MS} a probe thread queues a no-op task on each event loop
 * and records how long it waited to run. A loop that is blocked or saturated shows up at once in
 * {@code hookline_eventloop_lag_seconds{loop}} and, while it is still stuck, in
 * {@code hookline_eventloop_blocked_seconds{loop}} (age of the probe that has not run yet).
 * Costs one tiny task per loop per interval; nothing on the request path.
 */
public final class EventLoopLag implements AutoCloseable {
  static final long INTERVAL_MS = 100;

  private final ScheduledExecutorService probe;
  private final List<Loop> loops = new ArrayList<>();

  private static final class Loop {
    final EventExecutor executor;
    final Timer lag;
    /** nanoTime when the pending probe was queued, or 0 when none is pending. */
    final AtomicLong pendingSince = new AtomicLong();

    Loop(EventExecutor executor, Timer lag) {
      this.executor = executor;
      this.lag = lag;
    }

    void tick() {
      long now = System.nanoTime();
      if (!pendingSince.compareAndSet(0, now)) {
        return; // the previous probe has not run yet: it will record the whole wait
      }
      try {
        executor.execute(() -> {
          long queued = pendingSince.getAndSet(0);
          lag.record(System.nanoTime() - queued, TimeUnit.NANOSECONDS);
        });
      } catch (RuntimeException rejected) {
        pendingSince.set(0); // the loop is shutting down
      }
    }

    double blockedSeconds() {
      long since = pendingSince.get();
      return since == 0 ? 0 : Math.max(0, System.nanoTime() - since) / 1e9;
    }
  }

  private EventLoopLag(ScheduledExecutorService probe) {
    this.probe = probe;
  }

  public static EventLoopLag start(Vertx vertx, MeterRegistry registry) {
    ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hookline-eventloop-probe");
      t.setDaemon(true);
      return t;
    });
    EventLoopLag lag = new EventLoopLag(probe);
    int i = 0;
    for (EventExecutor executor : ((VertxInternal) vertx).eventLoopGroup()) {
      String loop = Integer.toString(i++);
      Loop l = new Loop(executor, Timer.builder("hookline.eventloop.lag")
          .description("Time a task waited for its event loop (probe every " + INTERVAL_MS + " ms)")
          .tag("loop", loop).serviceLevelObjectives(Buckets.LATENCY).register(registry));
      Gauge.builder("hookline.eventloop.blocked", l, Loop::blockedSeconds)
          .description("Age of a lag probe still waiting for its event loop (0 when the loop is responsive)")
          .baseUnit("seconds").tag("loop", loop).register(registry);
      lag.loops.add(l);
    }
    probe.scheduleAtFixedRate(lag::tick, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    return lag;
  }

  private void tick() {
    for (Loop l : loops) {
      l.tick();
    }
  }

  @Override
  public void close() {
    probe.shutdownNow();
  }
}
