package io.hookline.management.admin;

import static io.hookline.management.admin.AdminClient.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.MigratedSchema;
import io.hookline.management.admin.PacedJobRunner.Batch;
import io.hookline.store.Replays;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one runner of bulk replay, re-route and bulk retry jobs, on real PostgreSQL (their {@code replay_jobs}
 * rows): batches follow each other from the position each returns, sized by the rate, until one is the last;
 * a failed batch fails the job with its reason; stopping the node fails the jobs still running.
 */
class PacedJobRunnerTest {
  MigratedSchema db;
  Vertx vertx;
  Pool pool;
  String schema;
  Replays replays;

  static <T> T await(Future<T> f) {
    return MigratedSchema.await(f);
  }

  @BeforeEach
  void setUp() {
    db = MigratedSchema.create();
    vertx = db.vertx;
    pool = db.pool;
    schema = db.name;
    replays = new Replays(pool, schema);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private UUID newJob() {
    UUID id = UUID.randomUUID();
    await(replays.startJob(id, new Replays.Criteria("nothing", null, List.of(io.hookline.store.DeliveryStatus.DEAD), null, null, null), "test", "n"));
    return id;
  }

  /** A job whose batches are {@code batch}; records every call. */
  private static final class Recorded implements PacedJobRunner.Job<Integer> {
    final BiFunction<Integer, Integer, Future<Batch<Integer>>> batch;
    final List<String> calls = new CopyOnWriteArrayList<>();

    Recorded(BiFunction<Integer, Integer, Future<Batch<Integer>>> batch) {
      this.batch = batch;
    }

    @Override
    public String name() {
      return "test";
    }

    @Override
    public int maxBatch() {
      return 50;
    }

    @Override
    public Future<Batch<Integer>> batch(Integer after, int size) {
      calls.add("batch after=" + after + " size=" + size);
      return batch.apply(after, size);
    }

    @Override
    public void progress(long total) {
      calls.add("progress " + total);
    }

    @Override
    public Future<Void> ended(String state, Throwable cause, long total) {
      calls.add("ended " + state + " " + total + (cause == null ? "" : " " + cause.getMessage()));
      return Future.succeededFuture();
    }
  }

  private Replays.Job job(UUID id) {
    return await(replays.job(id));
  }

  @Test
  void batchesFollowFromTheLastPositionUntilOneIsTheLast() {
    PacedJobRunner runner = new PacedJobRunner(vertx.getOrCreateContext(), replays, 1000);
    UUID id = newJob();
    // Three batches from position 0: 50, 50, then 7 and no next position.
    Recorded job = new Recorded((after, size) -> Future.succeededFuture(after < 100
        ? new Batch<>(size, after + size) : new Batch<>(7, null)));
    runner.start(id, 0, job);
    eventually("the job is done", () -> "done".equals(job(id).state()));
    assertThat(job.calls).containsExactly("batch after=0 size=50", "progress 50", "batch after=50 size=50", "progress 100",
        "batch after=100 size=50", "ended done 107");
    assertThat(job(id).error()).isNull();
  }

  @Test
  void theRateBoundsTheBatchSize() {
    PacedJobRunner runner = new PacedJobRunner(vertx.getOrCreateContext(), replays, 20);
    UUID id = newJob();
    Recorded job = new Recorded((after, size) -> Future.succeededFuture(new Batch<>(0, null)));
    runner.start(id, 0, job);
    eventually("the job is done", () -> "done".equals(job(id).state()));
    assertThat(job.calls.get(0)).isEqualTo("batch after=0 size=20");
  }

  @Test
  void aFailedBatchFailsTheJobWithItsReason() {
    PacedJobRunner runner = new PacedJobRunner(vertx.getOrCreateContext(), replays, 1000);
    UUID id = newJob();
    Recorded job = new Recorded((after, size) -> after == 0 ? Future.succeededFuture(new Batch<>(3, 3))
        : Future.failedFuture(new IllegalStateException("boom")));
    runner.start(id, 0, job);
    eventually("the job failed", () -> "failed".equals(job(id).state()));
    assertThat(job(id).error()).isEqualTo("test failed: boom");
    assertThat(job.calls).containsExactly("batch after=0 size=50", "progress 3", "batch after=3 size=50", "ended failed 3 boom");
  }

  @Test
  void stoppingTheNodeFailsTheJobsStillRunningAndStartsNoMoreBatches() {
    PacedJobRunner runner = new PacedJobRunner(vertx.getOrCreateContext(), replays, 1000);
    UUID id = newJob();
    Promise<Batch<Integer>> never = Promise.promise();
    Recorded job = new Recorded((after, size) -> never.future());
    runner.start(id, 0, job);
    eventually("the first batch started", () -> job.calls.size() == 1);
    await(runner.stop());
    assertThat(job(id).state()).isEqualTo("failed");
    assertThat(job(id).error()).isEqualTo("the node running the job stopped before it finished");
    assertThat(job.calls).containsExactly("batch after=0 size=50");
  }
}
