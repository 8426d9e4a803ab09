package io.hookline.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The group committer alone, driven by batch functions whose completion the test controls. */
class GroupCommitterTest {
  /** Records each batch and leaves it open until the test completes it. */
  static final class Batches implements GroupCommitter.Batch<Integer, String> {
    final List<List<GroupCommitter.Item<Integer, String>>> batches = new ArrayList<>();
    final List<Promise<Void>> done = new ArrayList<>();

    @Override
    public Future<?> commit(List<GroupCommitter.Item<Integer, String>> batch) {
      batches.add(batch);
      Promise<Void> p = Promise.promise();
      done.add(p);
      return p.future();
    }

    /** Answers every item of batch i with "ok:<value>" and commits it. */
    void succeed(int i) {
      batches.get(i).forEach(item -> item.promise().complete("ok:" + item.value()));
      done.get(i).complete();
    }

    List<Integer> values(int i) {
      return batches.get(i).stream().map(GroupCommitter.Item::value).toList();
    }
  }

  static GroupCommitter<Integer, String> committer(Batches b, int maxBatch, int capacity, int inFlight) {
    return committer(b, new GroupCommitter.Limits(maxBatch, capacity, inFlight, Duration.ofSeconds(30)));
  }

  static GroupCommitter<Integer, String> committer(Batches b, GroupCommitter.Limits limits) {
    return new GroupCommitter<>(limits, Integer::compare, b, () -> new IllegalStateException("full"),
        err -> new IllegalStateException("failed", err));
  }

  @Test
  void aLoneItemIsCommittedAtOnceAndItemsArrivingMeanwhileShareTheNextBatchInLockOrder() {
    Batches b = new Batches();
    GroupCommitter<Integer, String> c = committer(b, 100, 100, 1);
    Future<String> first = c.submit(1);
    assertThat(b.batches).hasSize(1);
    List<Future<String>> later = new ArrayList<>();
    for (int v : new int[] {9, 3, 7}) {
      later.add(c.submit(v));
    }
    assertThat(b.batches).as("one batch in flight at most").hasSize(1);
    assertThat(c.queued()).isEqualTo(3);
    b.succeed(0);
    assertThat(first.result()).isEqualTo("ok:1");
    assertThat(b.batches).hasSize(2);
    assertThat(b.values(1)).containsExactly(3, 7, 9);
    b.succeed(1);
    assertThat(later).extracting(Future::result).containsExactly("ok:9", "ok:3", "ok:7");
  }

  @Test
  void batchesAreCappedAtMaxBatchAndAtMostMaxBatchesInFlightRunAtOnce() {
    Batches b = new Batches();
    GroupCommitter<Integer, String> c = committer(b, 2, 100, 2);
    for (int i = 0; i < 7; i++) {
      c.submit(i);
    }
    assertThat(b.batches).hasSize(2);
    assertThat(c.batchesInFlight()).isEqualTo(2);
    assertThat(c.queued()).isEqualTo(5);
    b.succeed(0);
    assertThat(b.batches).hasSize(3);
    assertThat(b.values(2)).hasSize(2);
    b.succeed(1);
    b.succeed(2);
    assertThat(b.batches).hasSize(5);
    assertThat(b.values(4)).hasSize(1);
  }

  @Test
  void aFullQueueRejectsAtOnceAndAcceptsAgainOnceItDrains() {
    Batches b = new Batches();
    GroupCommitter<Integer, String> c = committer(b, 10, 2, 1);
    c.submit(1); // in flight, not queued
    Future<String> q1 = c.submit(2);
    Future<String> q2 = c.submit(3);
    Future<String> rejected = c.submit(4);
    assertThat(rejected.failed()).isTrue();
    assertThat(rejected.cause()).hasMessage("full");
    assertThat(q1.isComplete()).isFalse();
    b.succeed(0);
    assertThat(c.queued()).isZero();
    assertThat(c.submit(5).isComplete()).isFalse();
    b.succeed(1);
    assertThat(q2.result()).isEqualTo("ok:3");
  }

  @Test
  void aFailedBatchFailsOnlyItsOwnItems() {
    Batches b = new Batches();
    GroupCommitter<Integer, String> c = committer(b, 2, 100, 2);
    Future<String> a1 = c.submit(1);
    Future<String> a2 = c.submit(2);
    Future<String> b1 = c.submit(3);
    // Batch 0 = [1] and batch 1 = [2] are in flight; 3 waits for the next.
    assertThat(b.batches).hasSize(2);
    b.done.get(0).fail(new RuntimeException("connection lost"));
    assertThat(a1.failed()).isTrue();
    assertThat(a1.cause()).hasMessage("failed").hasRootCauseMessage("connection lost");
    assertThat(a2.isComplete()).isFalse();
    b.succeed(1);
    assertThat(a2.result()).isEqualTo("ok:2");
    assertThat(b.batches).hasSize(3);
    b.succeed(2);
    assertThat(b1.result()).isEqualTo("ok:3");
  }

  @Test
  void anItemItsBatchLeftUnansweredFailsInsteadOfHanging() {
    GroupCommitter<Integer, String> c = new GroupCommitter<>(new GroupCommitter.Limits(10, 10, 1, Duration.ofSeconds(30)),
        null, batch -> Future.succeededFuture(), () -> new IllegalStateException("full"),
        err -> new IllegalStateException("failed: " + err.getMessage()));
    Future<String> f = c.submit(1);
    assertThat(f.failed()).isTrue();
    assertThat(c.batchesInFlight()).isZero();
  }

  /** Runs on one Vert.x context (the committer's timers fire there) and waits for the answer. */
  static <X> X on(Context ctx, Supplier<X> action) throws Exception {
    CompletableFuture<X> result = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      try {
        result.complete(action.get());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(10, TimeUnit.SECONDS);
  }

  static boolean eventually(Context ctx, Supplier<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (on(ctx, condition)) {
        return true;
      }
      Thread.onSpinWait();
    }
    return false;
  }

  @Test
  void withALingerALoneItemWaitsForOthersAndAFullBatchGoesAtOnce() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Context ctx = vertx.getOrCreateContext();
      Batches b = new Batches();
      GroupCommitter<Integer, String> c = on(ctx, () -> committer(b,
          new GroupCommitter.Limits(3, 10, 2, Duration.ofSeconds(30), Duration.ofSeconds(2))));
      Future<String> lone = on(ctx, () -> c.submit(5));
      assertThat(on(ctx, () -> b.batches.size())).as("a free slot, but the lone item lingers").isZero();
      on(ctx, () -> c.submit(4));
      assertThat(on(ctx, () -> b.batches.size())).isZero();
      on(ctx, () -> c.submit(6));
      assertThat(on(ctx, () -> b.batches.size())).as("maxBatch reached: committed without waiting").isEqualTo(1);
      assertThat(on(ctx, () -> b.values(0))).containsExactly(4, 5, 6);
      Future<String> late = on(ctx, () -> c.submit(1));
      assertThat(eventually(ctx, () -> b.batches.size() == 2)).as("the linger ran out: committed alone").isTrue();
      on(ctx, () -> {
        b.succeed(0);
        b.succeed(1);
        return null;
      });
      assertThat(on(ctx, lone::result)).isEqualTo("ok:5");
      assertThat(on(ctx, late::result)).isEqualTo("ok:1");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aStalledBatchAnswersItsCallersAtTheTimeoutButKeepsItsSlotUntilItsStatementEnds() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Context ctx = vertx.getOrCreateContext();
      Batches b = new Batches();
      GroupCommitter<Integer, String> c = on(ctx, () -> committer(b, new GroupCommitter.Limits(10, 10, 1, Duration.ofMillis(100))));
      Future<String> stuck = on(ctx, () -> c.submit(1));
      Future<String> queued = on(ctx, () -> c.submit(2));
      assertThat(eventually(ctx, stuck::isComplete)).as("the stuck batch's caller is answered at the timeout").isTrue();
      assertThat(stuck.failed()).isTrue();
      assertThat(on(ctx, queued::failed)).as("items queued behind a stall fail with it").isTrue();
      assertThat(on(ctx, c::stalled)).isTrue();
      assertThat(on(ctx, c::batchesInFlight)).as("the slot stays taken while the statement runs").isEqualTo(1);
      Future<String> during = on(ctx, () -> c.submit(3));
      assertThat(during.cause()).as("no new batch joins the pile while PostgreSQL is stuck").hasMessage("full");
      assertThat(on(ctx, () -> b.batches.size())).isEqualTo(1);
      on(ctx, () -> b.done.get(0).tryComplete());
      assertThat(on(ctx, c::stalled)).isFalse();
      assertThat(on(ctx, c::batchesInFlight)).isZero();
      Future<String> after = on(ctx, () -> c.submit(4));
      assertThat(on(ctx, () -> b.batches.size())).as("writes go through again once the statement ended").isEqualTo(2);
      on(ctx, () -> {
        b.succeed(1);
        return null;
      });
      assertThat(on(ctx, after::result)).isEqualTo("ok:4");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aStatementThatNeverEndsGivesItsSlotBackAfterTheHardBound() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Context ctx = vertx.getOrCreateContext();
      Batches b = new Batches();
      GroupCommitter<Integer, String> c = on(ctx, () -> committer(b, new GroupCommitter.Limits(10, 10, 1, Duration.ofMillis(50))));
      on(ctx, () -> c.submit(1));
      assertThat(eventually(ctx, c::stalled)).isTrue();
      assertThat(eventually(ctx, () -> !c.stalled() && c.batchesInFlight() == 0))
          .as("released after " + GroupCommitter.HARD_RELEASE_FACTOR + " x the commit timeout").isTrue();
      on(ctx, () -> c.submit(2));
      assertThat(on(ctx, () -> b.batches.size())).isEqualTo(2);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
