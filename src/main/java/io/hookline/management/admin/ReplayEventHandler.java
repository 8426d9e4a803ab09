package io.hookline.management.admin;

import io.hookline.store.DeliveryStatus;
import io.hookline.store.Replays;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.UUID;

/** {@code POST /admin/api/events/{id}/replay}: a new round now for every (or one) delivery of the event. */
final class ReplayEventHandler implements Handler<RoutingContext> {
  private final Replays replays;
  private final WorkerWakeUp wakeUp;

  ReplayEventHandler(Replays replays, WorkerWakeUp wakeUp) {
    this.replays = replays;
    this.wakeUp = wakeUp;
  }

  @Override
  public void handle(RoutingContext ctx) {
    UUID id = UUID.fromString(ctx.pathParam("id")); // its form is checked by the contract
    String destination = JsonBody.of(ctx).string("destination");
    replays.replayEvent(id, destination, EnumSet.allOf(DeliveryStatus.class)).onSuccess(r -> {
      if (!r.eventFound()) {
        ctx.fail(AdminFailure.notFound("no event " + id));
      } else if (!r.destinationFound()) {
        ctx.fail(AdminFailure.notFound("event " + id + " has no delivery to destination '" + destination + "'"));
      } else {
        AuditLog.mutation(ctx, "replay-event", "event=" + id + " destination=" + (destination == null ? "*" : destination),
            r.replayed());
        wakeUp.wake(id);
        ctx.response().setStatusCode(202);
        ctx.json(new JsonObject().put("replayed", r.replayed()));
      }
    }).onFailure(ctx::fail);
  }
}
