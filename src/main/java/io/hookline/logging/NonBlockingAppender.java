package io.hookline.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.vertx.core.Context;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Logback's {@link AsyncAppender} in front of the console appenders, so no log write blocks an
 * event loop (SPEC "Rejection logs"), and honest about what it drops:
 * <ul>
 *   <li>On a Vert.x event-loop thread a line goes to the bounded queue and is never waited for. A
 *       full queue drops it (as does a queue over {@code discardingThreshold} for INFO and below,
 *       so warnings outlast a flood of info lines); every drop is counted in {@link #dropped()},
 *       exported as {@code hookline_log_lines_dropped_total}.</li>
 *   <li>On any other thread (main, shutdown hook, delivery workers, which may block) the line is
 *       written before the call returns, after the queued lines (waited for up to
 *       {@link #DRAIN_WAIT_MS}): nothing logged just before the JVM exits is lost.</li>
 * </ul>
 */
public final class NonBlockingAppender extends AsyncAppender {
  private static final AtomicLong DROPPED = new AtomicLong();
  static final long DRAIN_WAIT_MS = 50;

  /** Lines dropped by every instance in this JVM since it started. */
  public static long dropped() {
    return DROPPED.get();
  }

  @Override
  public void start() {
    setNeverBlock(true);
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (Context.isOnEventLoopThread()) {
      enqueue(event);
    } else {
      writeThrough(event);
    }
  }

  /**
   * Serialised, so a free slot seen here is still free when {@code super.append} offers the line
   * (the worker only ever frees slots): every line is either queued or counted as dropped. Holds
   * the monitor only for a non-blocking offer.
   */
  private synchronized void enqueue(ILoggingEvent event) {
    int free = getRemainingCapacity();
    if (free == 0 || (free < getDiscardingThreshold() && isDiscardable(event))) {
      DROPPED.incrementAndGet();
      return;
    }
    super.append(event);
  }

  private void writeThrough(ILoggingEvent event) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_WAIT_MS);
    while (getNumberOfElementsInQueue() > 0 && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(100_000);
    }
    for (Iterator<Appender<ILoggingEvent>> it = iteratorForAppenders(); it.hasNext(); ) {
      it.next().doAppend(event);
    }
  }
}
