package io.hookline.ingest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which refused requests get a log line, so a flood of forged requests cannot fill a disk
 * (SPEC "Rejection logs"): each second at most {@link #LINES_PER_SECOND} lines per node and
 * {@link #LINES_PER_SECOND_PER_KEY} per source and reason (one flood leaves room for the others);
 * what is left out is reported once a second per source and reason as one summary line with its
 * count. Request counts stay exact in {@code hookline_requests_total}, which is recorded elsewhere.
 * Shared by every event loop of the JVM, lock-free; the bounds are approximate by a line or two
 * when a second turns over.
 */
final class RejectionLog {
  static final Logger LOG = LoggerFactory.getLogger("hookline.rejected");
  /** Node-wide lines per second (SPEC: about 10); a constant, not a config key. */
  static final int LINES_PER_SECOND = 10;
  static final int LINES_PER_SECOND_PER_KEY = 5;
  private static final IngestOutcome[] OUTCOMES = IngestOutcome.values();
  /** Budgets by source id (config ids and "-" only), one per outcome plus one for verifier errors. */
  private static final ConcurrentHashMap<String, Budget[]> BY_SOURCE = new ConcurrentHashMap<>();
  private static final Budget NODE = new Budget("-", "-");
  private static final AtomicLong REPORTED_SECOND = new AtomicLong();
  private static final int VERIFIER_ERROR = OUTCOMES.length;

  private RejectionLog() {}

  /** True if this rejection may be logged now; otherwise it is counted for the next summary. */
  static boolean permit(String source, IngestOutcome outcome) {
    return take(budgets(source)[outcome.ordinal()]);
  }

  /**
   * A verifier threw (a bug: verifiers return a verdict); the request was refused. Logged at WARN,
   * rate-limited like rejections; only the exception's type and where it was thrown, because its
   * message may quote the request.
   */
  static void verifierFailed(String source, String provider, RuntimeException e) {
    if (!take(budgets(source)[VERIFIER_ERROR])) {
      return;
    }
    StackTraceElement[] trace = e.getStackTrace();
    String where = trace.length == 0 ? "?" : trace[0].toString();
    LOG.atWarn().addKeyValue("source", source).addKeyValue("reason", "verifier_error")
        .log("verifier error source={} provider={}: {} at {}; the request was refused as malformed_signature",
            source, provider, e.getClass().getName(), where);
  }

  /**
   * Logs one summary line per source and reason with lines left out since the last report; at most
   * once a second however many event loops call it (each ingest verticle does, every second).
   */
  static void reportSuppressed() {
    long second = second();
    long last = REPORTED_SECOND.get();
    if (last == second || !REPORTED_SECOND.compareAndSet(last, second)) {
      return;
    }
    for (Budget[] budgets : BY_SOURCE.values()) {
      for (Budget b : budgets) {
        long n = b.suppressed.get() == 0 ? 0 : b.suppressed.getAndSet(0);
        if (n > 0) {
          LOG.atInfo().addKeyValue("source", b.source).addKeyValue("reason", b.reason).addKeyValue("suppressed", n)
              .log("rejected source={} reason={}: {} more lines like this left out (rate-limited; every request is"
                  + " counted in hookline_requests_total)", b.source, b.reason, n);
        }
      }
    }
  }

  private static boolean take(Budget key) {
    long second = second();
    if (key.take(second, LINES_PER_SECOND_PER_KEY) && NODE.take(second, LINES_PER_SECOND)) {
      return true;
    }
    key.suppressed.incrementAndGet();
    return false;
  }

  private static Budget[] budgets(String source) {
    Budget[] b = BY_SOURCE.get(source);
    return b != null ? b : BY_SOURCE.computeIfAbsent(source, s -> {
      Budget[] all = new Budget[OUTCOMES.length + 1];
      for (IngestOutcome o : OUTCOMES) {
        all[o.ordinal()] = new Budget(s, o.label());
      }
      all[VERIFIER_ERROR] = new Budget(s, "verifier_error");
      return all;
    });
  }

  private static long second() {
    return System.nanoTime() / 1_000_000_000L;
  }

  /** Lines used in the current second, and lines left out since the last summary. */
  private static final class Budget {
    final String source;
    final String reason;
    final AtomicLong second = new AtomicLong(Long.MIN_VALUE);
    final AtomicInteger used = new AtomicInteger();
    final AtomicLong suppressed = new AtomicLong();

    Budget(String source, String reason) {
      this.source = source;
      this.reason = reason;
    }

    boolean take(long now, int limit) {
      long s = second.get();
      if (s != now && second.compareAndSet(s, now)) {
        used.set(0);
      }
      return used.incrementAndGet() <= limit;
    }
  }
}
