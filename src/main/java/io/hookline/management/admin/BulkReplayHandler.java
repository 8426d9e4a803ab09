package io.hookline.management.admin;

import io.hookline.config.HooklineConfig;
import io.hookline.store.DeliveryStatus;
import io.hookline.store.Replays;
import io.hookline.store.Replays.Criteria;
import io.hookline.store.RerouteStore;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /admin/api/replay}: replays deliveries by filter. {@code dryRun} only counts; else a
 * job is recorded and run in the background at {@code management.replayRate}. Without
 * {@code status}, every finished delivery (delivered, dead, gone) matches. {@code status:
 * ["filtered"]} (alone) re-routes instead: events without a delivery to some destination get one if
 * today's {@code eventTypes} + {@code filter} match ({@link RerouteJobs}); {@code matched} counts
 * the (event, destination) pairs without a delivery in scope, the job's {@code replayed} those routed.
 */
final class BulkReplayHandler implements Handler<RoutingContext> {
  private static final List<DeliveryStatus> FINISHED = List.copyOf(DeliveryStatus.FINISHED);
  static final String FILTERED = "filtered";

  private final Replays replays;
  private final BulkReplayJobs runner;
  private final String nodeId;

  private final RerouteStore reroutes;
  private final RerouteJobs rerouter;
  private final HooklineConfig config;

  BulkReplayHandler(Replays replays, BulkReplayJobs runner, RerouteStore reroutes, RerouteJobs rerouter,
                    HooklineConfig config, String nodeId) {
    this.replays = replays;
    this.runner = runner;
    this.reroutes = reroutes;
    this.rerouter = rerouter;
    this.config = config;
    this.nodeId = nodeId;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    List<String> statuses = body.strings("status");
    if (statuses != null && statuses.contains(FILTERED)) {
      if (statuses.stream().anyMatch(s -> !s.equals(FILTERED))) {
        throw AdminFailure.badParameter("status", "filtered re-routes events and cannot be combined with other statuses");
      }
      reroute(ctx, body);
      return;
    }
    OffsetDateTime since = Params.time("since", body.string("since"), true);
    OffsetDateTime until = Params.time("until", body.string("until"), false);
    Criteria criteria = new Criteria(body.string("source"), body.string("destination"),
        statuses == null ? FINISHED : statuses.stream().distinct().map(DeliveryStatus::of).toList(), body.string("type"), since, until);
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

  private void reroute(RoutingContext ctx, JsonBody body) {
    String sourceId = body.string("source");
    String destinationId = body.string("destination");
    List<String> sources = new java.util.ArrayList<>();
    List<String> destinations = new java.util.ArrayList<>();
    for (HooklineConfig.SourceConfig s : config.sources()) {
      for (HooklineConfig.DestinationConfig d : s.destinations()) {
        if ((sourceId == null || s.id().equals(sourceId)) && (destinationId == null || d.id().equals(destinationId))) {
          sources.add(s.id());
          destinations.add(d.id());
        }
      }
    }
    if (sources.isEmpty()) {
      throw AdminFailure.notFound("no destination " + (destinationId == null ? "" : "'" + destinationId + "' ")
          + (sourceId == null ? "configured" : "in source '" + sourceId + "'"));
    }
    RerouteStore.Scope scope = new RerouteStore.Scope(sources.toArray(String[]::new), destinations.toArray(String[]::new),
        body.string("type"), Params.time("since", body.string("since"), true), Params.time("until", body.string("until"), false));
    JsonObject criteria = new JsonObject().put("source", sourceId).put("destination", destinationId)
        .put("status", new io.vertx.core.json.JsonArray().add(FILTERED)).put("type", scope.eventType())
        .put("since", scope.since() == null ? null : scope.since().toString())
        .put("until", scope.until() == null ? null : scope.until().toString());
    boolean dryRun = body.bool("dryRun");
    reroutes.countFiltered(scope).onSuccess(matched -> {
      if (dryRun) {
        ctx.json(new JsonObject().put("matched", matched));
        return;
      }
      UUID jobId = UUID.randomUUID();
      reroutes.startJob(jobId, matched, criteria.encode(), ctx.get(AdminAuth.WHO), nodeId).onSuccess(v -> {
        AuditLog.mutation(ctx, "reroute-filtered", "job=" + jobId + " filter=" + criteria.encode(), matched);
        rerouter.start(jobId, scope);
        ctx.response().setStatusCode(202);
        ctx.json(new JsonObject().put("job", jobId.toString()).put("matched", matched));
      }).onFailure(ctx::fail);
    }).onFailure(ctx::fail);
  }
}
