package io.hookline.management.admin;

import io.hookline.store.Replays;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs this node's background jobs (bulk replay, re-route, bulk request retry) on the admin verticle's
 * context, a batch at a time, paced to at most {@code management.replayRate} items per second: a batch of
 * b items, then the next no sooner than b/rate seconds after it started. A job ends when a batch says it
 * was the last ({@code done}) or one fails ({@code failed}); its row in {@code replay_jobs} is finished
 * either way, and jobs still running when the node stops are marked failed.
 */
final class PacedJobRunner {
  /** What one batch did: items it counted toward the job's total, and where the next starts (null: the job is done). */
  record Batch<P>(long counted, P next) {}

  /** One kind of job, as typed stages: each batch, progress between batches, and the end. */
  interface Job<P> {
    /** Words for the job in its failure reason ({@code "replay"} gives "replay failed: ..."). */
    String name();

    /** At most this many items per batch (fewer when the rate is lower). */
    int maxBatch();

    /** The batch of at most {@code size} items after {@code after} (the job's first position to begin with). */
    Future<Batch<P>> batch(P after, int size);

    /** After a batch that was not the last, with the total counted so far. */
    default void progress(long total) {}

    /** The job ended ({@code "done"}, or {@code "failed"} with the cause); done before the job row is finished. */
    Future<Void> ended(String state, Throwable cause, long total);
  }

  private final Context context;
  private final Replays jobs;
  private final int rate;
  private final Set<UUID> running = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  PacedJobRunner(Context context, Replays jobs, int rate) {
    this.context = context;
    this.jobs = jobs;
    this.rate = rate;
  }

  <P> void start(UUID id, P first, Job<P> job) {
    running.add(id);
    context.runOnContext(v -> step(id, job, first, 0));
  }

  private <P> void step(UUID id, Job<P> job, P after, long countedSoFar) {
    if (stopping) {
      return;
    }
    int size = Math.min(rate, job.maxBatch());
    long periodMs = Math.max(1, 1000L * size / rate);
    long started = System.nanoTime();
    job.batch(after, size).onComplete(ar -> {
      if (ar.failed()) {
        end(id, job, "failed", ar.cause(), countedSoFar);
        return;
      }
      long total = countedSoFar + ar.result().counted();
      if (ar.result().next() == null) {
        end(id, job, "done", null, total);
        return;
      }
      job.progress(total);
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      context.owner().setTimer(Math.max(1, periodMs - elapsedMs), t -> step(id, job, ar.result().next(), total));
    });
  }

  private void end(UUID id, Job<?> job, String state, Throwable cause, long total) {
    running.remove(id);
    String error = cause == null ? null : job.name() + " failed: " + cause.getMessage();
    job.ended(state, cause, total).eventually(() -> jobs.finishJob(id, state, error));
  }

  /** Jobs this node was running are marked failed: they stop with the node. */
  Future<Void> stop() {
    stopping = true;
    return Future.join(running.stream()
        .map(id -> jobs.finishJob(id, "failed", "the node running the job stopped before it finished"))
        .toList()).mapEmpty();
  }
}
