package io.hookline.management.admin;

import io.hookline.store.RequestLogStore;
import io.hookline.store.RequestLogStore.Filter;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /admin/api/requests/retry}: retries stored requests by filter. {@code dryRun} only
 * counts; else a job (reported by {@code GET /admin/api/replay/{job}}) retries them in the background.
 */
final class BulkRetryHandler implements Handler<RoutingContext> {
  private static final List<String> FILTERS = List.of("source", "reason", "since", "until");

  private final RequestLogStore store;
  private final RequestRetryJobs runner;
  private final String nodeId;

  BulkRetryHandler(RequestLogStore store, RequestRetryJobs runner, String nodeId) {
    this.store = store;
    this.runner = runner;
    this.nodeId = nodeId;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    Filter filter = new Filter(body.string("source"), body.string("reason"),
        Params.time("since", body.string("since"), true), Params.time("until", body.string("until"), false));
    if (FILTERS.stream().noneMatch(body::has)) {
      throw AdminFailure.badParameter("filter", "give at least one filter: source, reason, since or until");
    }
    // Requests refused after this moment are not the job's business (the job may itself cause none, but a flood may).
    OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC);
    if (body.bool("dryRun")) {
      store.count(filter, cutoff).onSuccess(n -> ctx.json(new JsonObject().put("matched", n))).onFailure(ctx::fail);
      return;
    }
    UUID job = UUID.randomUUID();
    store.count(filter, cutoff)
        .compose(matched -> store.startJob(job, matched, filter, ctx.get(AdminAuth.WHO), nodeId).map(v -> matched))
        .onSuccess(matched -> {
          AuditLog.mutation(ctx, "retry-requests-bulk", "job=" + job + " filter=" + filter.toJson().encode(), matched);
          runner.start(job, filter, cutoff, matched);
          ctx.response().setStatusCode(202);
          ctx.json(new JsonObject().put("job", job.toString()).put("matched", matched));
        }).onFailure(ctx::fail);
  }
}
