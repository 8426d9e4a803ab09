package io.hookline.management.admin;

import io.hookline.store.EventSearch.Position;
import io.hookline.store.Replays;
import io.hookline.store.RequestLogStore;
import io.hookline.store.RequestLogStore.Filter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs bulk retries of stored requests on this node, oldest first, a batch at a time and at most
 * {@code management.replayRate} requests per second; each request is retried exactly as
 * {@code POST /admin/api/requests/{id}/retry} does. {@code replayed} counts those ingested (new or
 * duplicate); those still refused are skipped.
 */
final class BulkRetryRunner {
  private static final Logger LOG = LoggerFactory.getLogger("hookline.audit");
  static final int MAX_BATCH = 100;

  private final Context context;
  private final RequestLogStore store;
  private final Replays jobs;
  private final RequestRetrier retrier;
  private final int rate;
  private final Set<UUID> running = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  BulkRetryRunner(Context context, RequestLogStore store, Replays jobs, RequestRetrier retrier, int rate) {
    this.context = context;
    this.store = store;
    this.jobs = jobs;
    this.retrier = retrier;
    this.rate = rate;
  }

  void start(UUID job, Filter filter, OffsetDateTime cutoff, long matched) {
    running.add(job);
    context.runOnContext(v -> step(job, filter, cutoff, null, 0, matched));
  }

  private void step(UUID job, Filter filter, OffsetDateTime cutoff, Position after, long retried, long matched) {
    if (stopping) {
      return;
    }
    int batch = Math.min(rate, MAX_BATCH);
    long periodMs = Math.max(1, 1000L * batch / rate);
    long started = System.nanoTime();
    store.idsAfter(filter, cutoff, after, batch).compose(ids -> retryAll(ids).map(n -> new Object[] {ids, n}))
        .onComplete(ar -> {
          if (ar.failed()) {
            finish(job, "failed", "retry failed: " + ar.cause().getMessage(), retried, matched);
            return;
          }
          @SuppressWarnings("unchecked")
          List<Position> ids = (List<Position>) ar.result()[0];
          long total = retried + (Integer) ar.result()[1];
          if (ids.isEmpty()) {
            finish(job, "done", null, total, matched);
            return;
          }
          store.jobProgress(job, total);
          long elapsedMs = (System.nanoTime() - started) / 1_000_000;
          context.owner().setTimer(Math.max(1, periodMs - elapsedMs),
              t -> step(job, filter, cutoff, ids.get(ids.size() - 1), total, matched));
        });
  }

  /** One after the other (the ingest path keeps its own pace); answers how many were ingested. */
  private Future<Integer> retryAll(List<Position> ids) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (Position p : ids) {
      chain = chain.compose(n -> retrier.retry(p.id()).map(ok -> n + 1).recover(err -> {
        if (err instanceof AdminFailure f && f.status == 422) {
          return Future.succeededFuture(n); // still refused: skipped, not a job failure
        }
        return Future.failedFuture(err);
      }));
    }
    return chain;
  }

  private void finish(UUID job, String state, String error, long retried, long matched) {
    running.remove(job);
    LOG.info("request retry job {} {}: {} of {} matched requests ingested{}", job, state, retried, matched,
        error == null ? "" : " (" + error + ")");
    store.jobProgress(job, retried).compose(v -> jobs.finishJob(job, state, error));
  }

  /** Jobs this node was running are marked failed: they stop with the node. */
  Future<Void> stop() {
    stopping = true;
    return Future.join(running.stream()
        .map(id -> jobs.finishJob(id, "failed", "the node running the job stopped before it finished"))
        .toList()).mapEmpty();
  }
}
