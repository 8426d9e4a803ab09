package io.hookline.management.admin;

import io.hookline.management.admin.PacedJobRunner.Batch;
import io.hookline.store.Replays;
import io.hookline.store.Replays.Criteria;
import io.hookline.store.Replays.Key;
import io.hookline.store.Replays.StartedJob;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bulk replay jobs: each batch starts a new round for the next matching deliveries and wakes the workers. */
final class BulkReplayJobs {
  private static final Logger LOG = LoggerFactory.getLogger("hookline.audit");
  static final int MAX_BATCH = 500;

  private final PacedJobRunner runner;
  private final Replays replays;
  private final WorkerWakeUp wakeUp;

  BulkReplayJobs(PacedJobRunner runner, Replays replays, WorkerWakeUp wakeUp) {
    this.runner = runner;
    this.replays = replays;
    this.wakeUp = wakeUp;
  }

  void start(StartedJob job, Criteria criteria) {
    runner.start(job.id(), Replays.START, new PacedJobRunner.Job<Key>() {
      @Override
      public String name() {
        return "replay";
      }

      @Override
      public int maxBatch() {
        return MAX_BATCH;
      }

      @Override
      public Future<Batch<Key>> batch(Key after, int size) {
        return replays.replayBatch(job, criteria, after, size).map(b -> {
          if (b.replayed() > 0) {
            wakeUp.wake(job.id());
          }
          // Done only on an empty batch: a locked row that changed meanwhile can make a batch short.
          return new Batch<>(b.replayed(), b.replayed() == 0 ? null : b.last());
        });
      }

      @Override
      public Future<Void> ended(String state, Throwable cause, long total) {
        if (cause != null) {
          LOG.warn("replay job {} failed after {} deliveries: {}", job.id(), total, cause.toString());
        } else {
          LOG.info("replay job {} done: {} of {} matched deliveries replayed", job.id(), total, job.matched());
        }
        return Future.succeededFuture();
      }
    });
  }
}
