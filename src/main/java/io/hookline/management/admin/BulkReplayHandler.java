package io.hookline.management.admin;

import io.hookline.store.ReplayStore;
import io.hookline.store.ReplayStore.Criteria;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /admin/api/replay}: replays deliveries by filter. {@code dryRun} only counts; else a
 * job is recorded and run in the background at {@code management.replayRate}. Without
 * {@code status}, every finished delivery (delivered, dead, gone) matches.
 */
final class BulkReplayHandler implements Handler<RoutingContext> {
  private static final List<String> FINISHED = List.of("delivered", "dead", "gone");

  private final ReplayStore replays;
  private final BulkReplayRunner runner;
  private final String nodeId;

  BulkReplayHandler(ReplayStore replays, BulkReplayRunner runner, String nodeId) {
    this.replays = replays;
    this.runner = runner;
    this.nodeId = nodeId;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    List<String> statuses = body.strings("status");
    OffsetDateTime since = Params.time("since", body.string("since"), true);
    OffsetDateTime until = Params.time("until", body.string("until"), false);
    Criteria criteria = new Criteria(body.string("source"), body.string("destination"),
        statuses == null ? FINISHED : statuses.stream().distinct().toList(), body.string("type"), since, until);
    boolean dryRun = body.bool("dryRun");
    if (List.of("source", "destination", "status", "type", "since", "until").stream().noneMatch(body::has)) {
      // A bare replay must never mean "everything ever received".
      throw AdminFailure.badParameter("filter",
          "give at least one filter: source, destination, status, type, since or until");
    }
    if (dryRun) {
      replays.count(criteria).onSuccess(n -> ctx.json(new JsonObject().put("matched", n))).onFailure(ctx::fail);
      return;
    }
    UUID jobId = UUID.randomUUID();
    String who = ctx.get(AdminAuth.WHO);
    replays.startJob(jobId, criteria, who, nodeId).onSuccess(job -> {
      AuditLog.mutation(ctx, "replay-bulk", "job=" + jobId + " filter=" + criteria.toJson().encode(), job.matched());
      runner.start(job, criteria);
      ctx.response().setStatusCode(202);
      ctx.json(new JsonObject().put("job", jobId.toString()).put("matched", job.matched()));
    }).onFailure(ctx::fail);
  }
}
