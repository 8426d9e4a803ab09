package io.hookline.management;

import io.hookline.node.NodeState;
import io.hookline.node.ReadinessCheck;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /health/ready}: 200 while PostgreSQL answers (on a connection of its own) and the node is
 * not draining. Redis down does not make the node unready (ingest carries on with PostgreSQL's
 * unique key); it shows as {@code "redis":"DOWN"} in the body, and so do broker destinations'
 * connections ({@code "brokers":[{kind, endpoint, status, error}]}). Served on both ports.
 */
public final class HealthHandler implements Handler<RoutingContext> {
  private static final String APPLICATION_JSON = "application/json";
  private static final String DRAINING = "{\"status\":\"DOWN\",\"checks\":{\"draining\":true}}";
  private final NodeState node;
  private final ReadinessCheck checks;

  public HealthHandler(NodeState node, ReadinessCheck checks) {
    this.node = node;
    this.checks = checks;
  }

  /** Mounts {@code GET /health/live} and {@code GET /health/ready}. */
  public static void mount(Router router, NodeState node, ReadinessCheck checks) {
    router.get("/health/live").handler(HealthHandler::live);
    router.get("/health/ready").handler(new HealthHandler(node, checks));
  }

  static void live(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end("{\"status\":\"UP\"}");
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (node.draining()) {
      // At once, without waiting on the dependency checks: the load balancer must stop sending here.
      ctx.response().setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
          .end(DRAINING);
      return;
    }
    Future<Boolean> redisCheck = checks.redis();
    Future<Boolean> pgCheck = checks.postgres();
    Future.join(redisCheck, pgCheck).onComplete(ar -> {
      boolean draining = node.draining();
      boolean postgres = pgCheck.result();
      boolean up = !draining && postgres;
      JsonObject body = new JsonObject().put("status", up ? "UP" : "DOWN")
          .put("checks", new JsonObject().put("redis", redisCheck.result() ? "UP" : "DOWN")
              .put("postgres", postgres ? "UP" : "DOWN").put("draining", draining));
      io.vertx.core.json.JsonArray brokers = io.hookline.delivery.BrokerConnections.health(ctx.vertx());
      if (brokers != null) {
        body.getJsonObject("checks").put("brokers", brokers); // shown, never making the node unready
      }
      if (!ctx.response().ended()) {
        ctx.response().setStatusCode(up ? 200 : 503)
            .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(body.encode());
      }
    });
  }
}
