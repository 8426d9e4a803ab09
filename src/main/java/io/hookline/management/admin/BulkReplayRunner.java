package io.hookline.management.admin;

import io.hookline.store.Replays;
import io.hookline.store.Replays.Criteria;
import io.hookline.store.Replays.Key;
import io.hookline.store.Replays.StartedJob;
import io.vertx.core.Context;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs bulk replay jobs on this node, in batches paced to at most {@code management.replayRate}
 * deliveries per second: a batch of b deliveries, then the next no sooner than b/rate seconds
 * after it started. Fully asynchronous on the admin verticle's context.
 */
final class BulkReplayRunner {
  private static final Logger LOG = LoggerFactory.getLogger("hookline.audit");
  static final int MAX_BATCH = 500;

  private final Context context;
  private final Replays replays;
  private final WorkerWakeUp wakeUp;
  private final int rate;
  private final Set<UUID> running = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  BulkReplayRunner(Context context, Replays replays, WorkerWakeUp wakeUp, int rate) {
    this.context = context;
    this.replays = replays;
    this.wakeUp = wakeUp;
    this.rate = rate;
  }

  void start(StartedJob job, Criteria criteria) {
    running.add(job.id());
    context.runOnContext(v -> step(job, criteria, Replays.START, 0));
  }

  private void step(StartedJob job, Criteria criteria, Key after, long replayedSoFar) {
    if (stopping) {
      return;
    }
    int batch = Math.min(rate, MAX_BATCH);
    long periodMs = Math.max(1, 1000L * batch / rate);
    long started = System.nanoTime();
    replays.replayBatch(job, criteria, after, batch).onComplete(ar -> {
      if (ar.failed()) {
        running.remove(job.id());
        LOG.warn("replay job {} failed after {} deliveries: {}", job.id(), replayedSoFar, ar.cause().toString());
        replays.finishJob(job.id(), "failed", "replay failed: " + ar.cause().getMessage());
        return;
      }
      long total = replayedSoFar + ar.result().replayed();
      if (ar.result().replayed() > 0) {
        wakeUp.wake(job.id());
      }
      // Done only on an empty batch: a locked row that changed meanwhile can make a batch short.
      if (ar.result().replayed() == 0) {
        running.remove(job.id());
        LOG.info("replay job {} done: {} of {} matched deliveries replayed", job.id(), total, job.matched());
        replays.finishJob(job.id(), "done", null);
        return;
      }
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      context.owner().setTimer(Math.max(1, periodMs - elapsedMs), id -> step(job, criteria, ar.result().last(), total));
    });
  }

  /** Jobs this node was running are marked failed: they stop with the node. */
  io.vertx.core.Future<Void> stop() {
    stopping = true;
    return io.vertx.core.Future.join(running.stream()
        .map(id -> replays.finishJob(id, "failed", "the node running the job stopped before it finished"))
        .toList()).mapEmpty();
  }
}
