package io.hookline.store;

import io.hookline.config.HooklineConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Group commit, confined to one context (not thread-safe). Items queue while {@code maxBatchesInFlight}
 * batches are being committed; the next batch takes up to {@code maxBatch} of them at once (one
 * statement, one transaction, one WAL flush). A lone item is committed at once, so batching adds no
 * latency when the node is quiet, unless the limits set a linger (writes nobody waits on). The queue is bounded: beyond {@code queueCapacity} a write fails at
 * once with the {@code rejected} exception. A failed batch fails only its own items.
 *
 * <p>A batch past {@code commitTimeout} is a stall (PostgreSQL is not answering): its callers and
 * every queued item fail at once, new writes are rejected at once, and its slot stays taken until
 * its statement really ends (bounded by {@link #HARD_RELEASE_FACTOR} × the timeout), so a stall
 * never piles further batches into the connection pool behind the stuck one.
 *
 * @param <T> what a caller hands in
 * @param <R> what its future completes with once its batch committed
 */
public final class GroupCommitter<T, R> {
  /** One queued item and the promise its caller waits on; the batch function completes it. */
  public record Item<T, R>(T value, Promise<R> promise) {}

  /** Commits one batch; completes each item's promise (or leaves them to the returned future's failure). */
  @FunctionalInterface
  public interface Batch<T, R> {
    Future<?> commit(List<Item<T, R>> batch);
  }

  /**
   * @param linger how long a batch smaller than {@code maxBatch} may wait for more items before it is
   *               committed (zero: at once); only for writes nobody waits on, such as attempt results
   */
  public record Limits(int maxBatch, int queueCapacity, int maxBatchesInFlight, Duration commitTimeout, Duration linger) {
    public Limits {
      if (maxBatch < 1 || queueCapacity < 1 || maxBatchesInFlight < 1 || commitTimeout.isNegative() || commitTimeout.isZero()
          || linger.isNegative()) {
        throw new IllegalArgumentException("group commit limits must be positive: " + this);
      }
    }

    public Limits(int maxBatch, int queueCapacity, int maxBatchesInFlight, Duration commitTimeout) {
      this(maxBatch, queueCapacity, maxBatchesInFlight, commitTimeout, Duration.ZERO);
    }

    public static Limits of(HooklineConfig.Store store) {
      return new Limits(store.maxBatch(), store.queueCapacity(), store.maxBatchesInFlight(), store.commitTimeout());
    }

    public Limits withQueueCapacity(int capacity) {
      return new Limits(maxBatch, capacity, maxBatchesInFlight, commitTimeout, linger);
    }

    public Limits withLinger(Duration wait) {
      return new Limits(maxBatch, queueCapacity, maxBatchesInFlight, commitTimeout, wait);
    }
  }

  private final Limits limits;
  private final Comparator<? super T> lockOrder;
  private final Batch<T, R> batch;
  private final Supplier<? extends RuntimeException> rejected;
  private final Function<Throwable, ? extends RuntimeException> failed;
  /** A statement still running this long after its batch timed out gives its slot back anyway. */
  static final int HARD_RELEASE_FACTOR = 3;
  private final ArrayDeque<Item<T, R>> queue = new ArrayDeque<>();
  private final long lingerNanos;
  /** When the oldest queued item arrived (for the linger); the timer that commits it when it is due. */
  private long oldestQueuedNanos;
  private long lingerTimer = -1;
  private int inFlight;
  /** Batches past their commit timeout whose statement has not ended yet. */
  private int stalled;

  /**
   * @param lockOrder sorts each batch so concurrent batches (of any node) take row locks in one order
   *                  and cannot deadlock; null keeps arrival order
   * @param failed    what the items of a failed batch fail with, given the cause
   */
  public GroupCommitter(Limits limits, Comparator<? super T> lockOrder, Batch<T, R> batch,
                        Supplier<? extends RuntimeException> rejected, Function<Throwable, ? extends RuntimeException> failed) {
    this.limits = limits;
    this.lockOrder = lockOrder;
    this.batch = batch;
    this.rejected = rejected;
    this.failed = failed;
    this.lingerNanos = limits.linger().toNanos();
  }

  public int queued() {
    return queue.size();
  }

  public int batchesInFlight() {
    return inFlight;
  }

  /** True while a batch is past its commit timeout and still running: writes are refused at once. */
  public boolean stalled() {
    return stalled > 0;
  }

  public Future<R> submit(T value) {
    if (stalled > 0 || queue.size() >= limits.queueCapacity()) {
      return Future.failedFuture(rejected.get());
    }
    Promise<R> promise = Promise.promise();
    if (queue.isEmpty()) {
      oldestQueuedNanos = System.nanoTime();
    }
    queue.add(new Item<>(value, promise));
    flush();
    return promise.future();
  }

  private void flush() {
    while (inFlight < limits.maxBatchesInFlight() && !queue.isEmpty()) {
      if (lingerNanos > 0 && queue.size() < limits.maxBatch()) {
        long wait = oldestQueuedNanos + lingerNanos - System.nanoTime();
        if (wait > 0) {
          if (lingerTimer < 0) {
            lingerTimer = Vertx.currentContext().owner().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), id -> {
              lingerTimer = -1;
              flush();
            });
          }
          return;
        }
      }
      int n = Math.min(queue.size(), limits.maxBatch());
      List<Item<T, R>> items = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        items.add(queue.poll());
      }
      if (lockOrder != null) {
        items.sort((a, b) -> lockOrder.compare(a.value(), b.value()));
      }
      inFlight++;
      Future<?> done;
      try {
        done = batch.commit(items);
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      long timeoutMs = limits.commitTimeout().toMillis();
      Future<?> statement = done;
      boolean[] timedOut = {false};
      boolean[] released = {false};
      Runnable release = () -> {
        if (!released[0]) {
          released[0] = true;
          inFlight--;
          if (timedOut[0]) {
            stalled--;
          }
          flush();
        }
      };
      statement.timeout(timeoutMs, TimeUnit.MILLISECONDS).onFailure(err -> {
        if (!statement.isComplete()) {
          // A stall: answer now (503 + Retry-After), but keep the slot until the statement ends.
          timedOut[0] = true;
          stalled++;
          RuntimeException e = failed.apply(err);
          failUnanswered(items, e);
          Item<T, R> queued;
          while ((queued = queue.poll()) != null) {
            queued.promise().tryFail(e);
          }
          statement.timeout(timeoutMs * (HARD_RELEASE_FACTOR - 1), TimeUnit.MILLISECONDS).onFailure(x -> release.run());
        }
      });
      statement.onComplete(ar -> {
        if (!timedOut[0] && anyUnanswered(items)) {
          failUnanswered(items, failed.apply(ar.failed() ? ar.cause()
              : new IllegalStateException("the batch gave this item no result")));
        }
        release.run();
      });
    }
  }

  private static <T, R> boolean anyUnanswered(List<Item<T, R>> items) {
    for (Item<T, R> item : items) {
      if (!item.promise().future().isComplete()) {
        return true;
      }
    }
    return false;
  }

  private static <T, R> void failUnanswered(List<Item<T, R>> items, RuntimeException err) {
    for (Item<T, R> item : items) {
      item.promise().tryFail(err);
    }
  }
}
