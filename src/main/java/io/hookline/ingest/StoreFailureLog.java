package io.hookline.ingest;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** At most one line per second about store failures: an outage must not flood the log. */
final class StoreFailureLog {
  private static final Logger LOG = LoggerFactory.getLogger("hookline.store");
  private static final AtomicLong LAST = new AtomicLong();
  private static final AtomicLong SUPPRESSED = new AtomicLong();

  private StoreFailureLog() {}

  static void log(String sourceId, Throwable err) {
    long now = System.currentTimeMillis();
    long last = LAST.get();
    if (now - last >= 1000 && LAST.compareAndSet(last, now)) {
      LOG.warn("event for source {} not stored, answered 503 ({} similar suppressed): {}", sourceId,
          SUPPRESSED.getAndSet(0), err.getMessage());
    } else {
      SUPPRESSED.incrementAndGet();
    }
  }
}
