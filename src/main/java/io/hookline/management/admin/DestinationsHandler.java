package io.hookline.management.admin;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.store.Deliveries;
import io.hookline.store.DestinationStates;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /admin/api/destinations}: every configured destination, its kind (http, kafka, rabbitmq, nats,
 * redisStream), its state (closed, open, paused) and pending count.
 */
final class DestinationsHandler implements Handler<RoutingContext> {
  private final DestinationStates states;
  private final Deliveries deliveries;
  private final HooklineConfig config;

  DestinationsHandler(DestinationStates states, Deliveries deliveries, HooklineConfig config) {
    this.states = states;
    this.deliveries = deliveries;
    this.config = config;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Future.all(states.labels(), deliveries.pendingByDestination()).onSuccess(both -> {
      java.util.Map<String, String> labels = both.resultAt(0);
      java.util.Map<String, Long> pending = both.resultAt(1);
      JsonArray out = new JsonArray();
      for (SourceConfig s : config.sources()) {
        for (DestinationConfig d : s.destinations()) {
          String key = DestinationStates.key(s.id(), d.id());
          out.add(new JsonObject().put("source", s.id()).put("id", d.id()).put("kind", d.kind())
              .put("state", labels.getOrDefault(key, "closed")).put("pending", pending.getOrDefault(key, 0L)));
        }
      }
      ctx.json(new JsonObject().put("destinations", out));
    }).onFailure(ctx::fail);
  }
}
