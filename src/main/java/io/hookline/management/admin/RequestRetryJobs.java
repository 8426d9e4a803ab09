package io.hookline.management.admin;

import io.hookline.management.admin.PacedJobRunner.Batch;
import io.hookline.store.EventSearch.Position;
import io.hookline.store.RequestLogStore;
import io.hookline.store.RequestLogStore.Filter;
import io.vertx.core.Future;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk retries of stored requests, oldest first; each request is retried exactly as
 * {@code POST /admin/api/requests/{id}/retry} does. The job's {@code replayed} counts those ingested (new
 * or duplicate); those still refused are skipped.
 */
final class RequestRetryJobs {
  private static final Logger LOG = LoggerFactory.getLogger("hookline.audit");
  static final int MAX_BATCH = 100;

  private final PacedJobRunner runner;
  private final RequestLogStore store;
  private final RequestRetrier retrier;

  RequestRetryJobs(PacedJobRunner runner, RequestLogStore store, RequestRetrier retrier) {
    this.runner = runner;
    this.store = store;
    this.retrier = retrier;
  }

  void start(UUID job, Filter filter, OffsetDateTime cutoff, long matched) {
    runner.start(job, null, new PacedJobRunner.Job<Position>() {
      @Override
      public String name() {
        return "retry";
      }

      @Override
      public int maxBatch() {
        return MAX_BATCH;
      }

      @Override
      public Future<Batch<Position>> batch(Position after, int size) {
        return store.idsAfter(filter, cutoff, after, size).compose(ids -> retryAll(ids)
            .map(n -> new Batch<>(n, ids.isEmpty() ? null : ids.get(ids.size() - 1))));
      }

      @Override
      public void progress(long total) {
        store.jobProgress(job, total);
      }

      @Override
      public Future<Void> ended(String state, Throwable cause, long total) {
        LOG.info("request retry job {} {}: {} of {} matched requests ingested{}", job, state, total, matched,
            cause == null ? "" : " (retry failed: " + cause.getMessage() + ")");
        return store.jobProgress(job, total);
      }
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
}
