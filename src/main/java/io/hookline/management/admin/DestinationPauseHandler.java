package io.hookline.management.admin;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.delivery.DeliveryAddresses;
import io.hookline.store.DestinationStates;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /admin/api/destinations/{source}/{id}/pause|resume}: 200 with the new state. Paused,
 * nothing is sent to the destination (on any node) until it is resumed; its deliveries stay pending
 * and keep their attempts.
 */
final class DestinationPauseHandler implements Handler<RoutingContext> {
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(5_000);
  private final DestinationStates states;
  private final HooklineConfig config;

  private final boolean pause;

  DestinationPauseHandler(DestinationStates states, HooklineConfig config, boolean pause) {
    this.states = states;
    this.config = config;
    this.pause = pause;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String sourceId = ctx.pathParam("source");
    String destinationId = ctx.pathParam("id");
    String action = pause ? "pause" : "resume";
    SourceConfig source = config.source(sourceId);
    if (source == null || source.destinations().stream().noneMatch(d -> d.id().equals(destinationId))) {
      ctx.fail(AdminFailure.notFound("no destination '" + destinationId + "' in source '" + sourceId + "'"));
      return;
    }
    states.setPaused(sourceId, destinationId, pause).onSuccess(state -> {
      AuditLog.mutation(ctx, action + "-destination", "source=" + sourceId + " destination=" + destinationId, 1);
      // Answered once this node's workers hold the new state (no attempt starts here after a 200 to
      // pause), or at once if none run here; other nodes see it at their next state refresh.
      ctx.vertx().eventBus().request(DeliveryAddresses.DESTINATION_STATE_CHANGED, sourceId, LOCAL).onComplete(ar ->
          ctx.json(new JsonObject().put("source", sourceId).put("id", destinationId).put("state", state)));
    }).onFailure(ctx::fail);
  }
}
