package io.hookline.management;

import io.hookline.dedup.RedisDedup;
import io.hookline.ingest.NodeState;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/**
 * {@code /health/ready}: 200 only while Redis and PostgreSQL answer and the node is not draining.
 * Served on both ports (the public port's ingest verticles mount it with their own clients).
 */
public final class HealthHandler implements Handler<RoutingContext> {
  private static final String APPLICATION_JSON = "application/json";
  private static final long CHECK_TIMEOUT_MS = 1000;
  private static final String DRAINING = "{\"status\":\"DOWN\",\"checks\":{\"draining\":true}}";
  private final NodeState node;
  private final RedisDedup redis;
  private final Pool pg;

  public HealthHandler(NodeState node, RedisDedup redis, Pool pg) {
    this.node = node;
    this.redis = redis;
    this.pg = pg;
  }

  /** Mounts {@code GET /health/live} and {@code GET /health/ready}. */
  public static void mount(Router router, NodeState node, RedisDedup redis, Pool pg) {
    router.get("/health/live").handler(HealthHandler::live);
    router.get("/health/ready").handler(new HealthHandler(node, redis, pg));
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
    Future<String> redisCheck = redis.ping().map("UP").timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .otherwise("DOWN");
    Future<String> pgCheck = pg.query("SELECT 1").execute().map("UP").timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .otherwise("DOWN");
    Future.join(redisCheck, pgCheck).onComplete(ar -> {
      boolean draining = node.draining();
      String r = redisCheck.result();
      String p = pgCheck.result();
      boolean up = !draining && "UP".equals(r) && "UP".equals(p);
      JsonObject body = new JsonObject().put("status", up ? "UP" : "DOWN")
          .put("checks", new JsonObject().put("redis", r).put("postgres", p).put("draining", draining));
      if (!ctx.response().ended()) {
        ctx.response().setStatusCode(up ? 200 : 503)
            .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(body.encode());
      }
    });
  }
}
