package io.hookline.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-level latency and outcome bookkeeping for the stairs simulation. A level is judged once its
 * window is over plus a grace period; a request sent in the level that has not come back by then
 * counts as slower than any threshold. The first level whose ack p99 exceeds the threshold, or whose
 * error share exceeds the limit, ends the run; the capacity is the last level that held.
 */
public final class StairsTracker {
  public record LevelResult(int level, double offered, long sent, long ok, long failed, long missing, double okPerSec,
                            double p50, double p99, double p999, double max, boolean passed, String why) {}

  private final double startRate;
  private final double step;
  private final int levels;
  private final long levelNanos;
  private final long rampNanos;
  private final long graceNanos;
  private final double p99LimitMs;
  private final double maxErrorPct;

  private final AtomicLong start = new AtomicLong(0);
  private final Level[] data;
  private final List<LevelResult> results = new ArrayList<>();
  private volatile boolean stop;
  private volatile String stopMessage = "";
  private volatile double capacity = -1;
  private final ScheduledExecutorService judge = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "stairs-judge");
    t.setDaemon(true);
    return t;
  });

  private static final class Level {
    final AtomicLong sent = new AtomicLong();
    long ok;
    long failed;
    long[] latencies = new long[1024];
    int n;

    synchronized void done(long latencyNanos, boolean success) {
      if (success) {
        ok++;
        if (n == latencies.length) {
          latencies = Arrays.copyOf(latencies, n * 2);
        }
        latencies[n++] = latencyNanos;
      } else {
        failed++;
      }
    }
  }

  public StairsTracker(double startRate, double step, int levels, int levelSeconds, int rampSeconds, double p99LimitMs,
                       double maxErrorPct) {
    this.startRate = startRate;
    this.step = step;
    this.levels = levels;
    this.levelNanos = TimeUnit.SECONDS.toNanos(levelSeconds);
    this.rampNanos = TimeUnit.SECONDS.toNanos(rampSeconds);
    this.graceNanos = Math.max(TimeUnit.SECONDS.toNanos(2), (long) (p99LimitMs * 1e6 * 4));
    this.p99LimitMs = p99LimitMs;
    this.maxErrorPct = maxErrorPct;
    this.data = new Level[levels];
    for (int i = 0; i < levels; i++) {
      data[i] = new Level();
    }
  }

  double rateOf(int level) {
    return startRate + level * step;
  }

  /** Level a request sent at {@code nanos} belongs to, or -1 during ramps / outside. */
  private int levelAt(long nanos) {
    long s = start.get();
    if (s == 0 || nanos < s) {
      return -1;
    }
    long offset = nanos - s;
    long period = levelNanos + rampNanos;
    int level = (int) (offset / period);
    if (level >= levels || offset - level * period >= levelNanos) {
      return -1;
    }
    return level;
  }

  /** Called as a request is about to be sent; returns its send time. */
  public long sending() {
    long now = System.nanoTime();
    if (start.get() == 0 && start.compareAndSet(0, now)) {
      judge.scheduleAtFixedRate(this::judgeLevels, 200, 200, TimeUnit.MILLISECONDS);
    }
    int level = levelAt(now);
    if (level >= 0) {
      data[level].sent.incrementAndGet();
    }
    return now;
  }

  public void done(long sentAt, boolean success) {
    int level = levelAt(sentAt);
    if (level >= 0) {
      data[level].done(System.nanoTime() - sentAt, success);
    }
  }

  public boolean shouldStop() {
    return stop;
  }

  public String stopMessage() {
    return stopMessage;
  }

  public double capacity() {
    return capacity;
  }

  private void judgeLevels() {
    long now = System.nanoTime();
    while (!stop && results.size() < levels) {
      int i = results.size();
      long end = start.get() + i * (levelNanos + rampNanos) + levelNanos;
      if (now < end + graceNanos) {
        return;
      }
      LevelResult r = judge(i);
      synchronized (results) {
        results.add(r);
      }
      System.out.println("[hookline-load] stairs " + format(r));
      if (!r.passed()) {
        capacity = i == 0 ? 0 : rateOf(i - 1);
        stopMessage = "capacity found: level " + (i + 1) + " (" + (long) rateOf(i) + "/s) failed: " + r.why()
            + "; last level that held: " + (long) capacity + "/s";
        stop = true;
      } else if (i == levels - 1) {
        capacity = rateOf(i);
        stopMessage = "every level held; capacity is at least " + (long) capacity + "/s (raise -Dlevels or -Dstep)";
        stop = true;
      }
    }
  }

  private LevelResult judge(int i) {
    Level l = data[i];
    long sent = l.sent.get();
    long ok;
    long failed;
    long[] lat;
    synchronized (l) {
      ok = l.ok;
      failed = l.failed;
      lat = Arrays.copyOf(l.latencies, l.n);
    }
    long missing = Math.max(0, sent - ok - failed);
    Arrays.sort(lat);
    // Requests not back yet are slower than everything measured.
    long total = lat.length + missing;
    double p50 = pct(lat, total, 0.50);
    double p99 = pct(lat, total, 0.99);
    double p999 = pct(lat, total, 0.999);
    double max = missing > 0 ? Double.POSITIVE_INFINITY : lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6;
    double errorPct = sent == 0 ? 0 : 100.0 * (failed + missing) / sent;
    double okPerSec = ok / (levelNanos / 1e9);
    String why = null;
    if (sent == 0) {
      why = "nothing was sent";
    } else if (errorPct > maxErrorPct) {
      why = String.format(Locale.ROOT, "%.2f%% errors/timeouts > %.2f%%", errorPct, maxErrorPct);
    } else if (p99 > p99LimitMs) {
      why = String.format(Locale.ROOT, "ack p99 %.1f ms > %.1f ms", p99, p99LimitMs);
    } else if (okPerSec < 0.9 * rateOf(i)) {
      why = String.format(Locale.ROOT, "only %.0f accepted/s of %.0f offered (load generator saturated?)", okPerSec, rateOf(i));
    }
    return new LevelResult(i + 1, rateOf(i), sent, ok, failed, missing, okPerSec, p50, p99, p999, max, why == null,
        why == null ? "held" : why);
  }

  private static double pct(long[] sorted, long total, double q) {
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * total) - 1;
    if (rank >= sorted.length) {
      return Double.POSITIVE_INFINITY;
    }
    return sorted[(int) Math.max(0, rank)] / 1e6;
  }

  static String format(LevelResult r) {
    return String.format(Locale.ROOT,
        "level %2d: offered %6.0f/s sent %7d ok %7d (%.0f/s) failed %d missing %d | p50 %s p99 %s p99.9 %s max %s | %s",
        r.level(), r.offered(), r.sent(), r.ok(), r.okPerSec(), r.failed(), r.missing(), ms(r.p50()), ms(r.p99()),
        ms(r.p999()), ms(r.max()), r.why());
  }

  static String ms(double v) {
    return Double.isInfinite(v) ? ">grace" : String.format(Locale.ROOT, "%.1f ms", v);
  }

  /** The table of judged levels, Markdown. */
  public String table() {
    StringBuilder b = new StringBuilder();
    b.append("| level | offered/s | accepted/s | failed+missing | p50 | p99 | p99.9 | max | verdict |\n");
    b.append("|---|---|---|---|---|---|---|---|---|\n");
    synchronized (results) {
      for (LevelResult r : results) {
        b.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %d | %s | %s | %s | %s | %s |%n", r.level(), r.offered(),
            r.okPerSec(), r.failed() + r.missing(), ms(r.p50()), ms(r.p99()), ms(r.p999()), ms(r.max()), r.why()));
      }
    }
    return b.toString();
  }

  public void close() {
    judge.shutdownNow();
  }
}
