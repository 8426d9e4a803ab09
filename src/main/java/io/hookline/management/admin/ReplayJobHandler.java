package io.hookline.management.admin;

import io.hookline.store.Replays;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** {@code GET /admin/api/replay/{job}}: a bulk replay's progress, from any node. */
final class ReplayJobHandler implements Handler<RoutingContext> {
  private final Replays replays;

  ReplayJobHandler(Replays replays) {
    this.replays = replays;
  }

  @Override
  public void handle(RoutingContext ctx) {
    UUID id = UUID.fromString(ctx.pathParam("job")); // its form is checked by the contract
    replays.job(id).onSuccess(job -> {
      if (job == null) {
        ctx.fail(AdminFailure.notFound("no replay job " + id));
        return;
      }
      ctx.json(new JsonObject().put("job", job.id().toString()).put("state", job.state())
          .put("matched", job.matched()).put("replayed", job.replayed())
          .put("createdAt", AdminJson.time(job.createdAt())).put("updatedAt", AdminJson.time(job.updatedAt()))
          .put("error", job.error()));
    }).onFailure(ctx::fail);
  }
}
