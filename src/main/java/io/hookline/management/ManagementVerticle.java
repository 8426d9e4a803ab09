package io.hookline.management;

import io.hookline.config.HooklineConfig;
import io.hookline.dedup.DedupMetrics;
import io.hookline.dedup.RedisDedup;
import io.hookline.node.NodeState;
import io.hookline.node.ReadinessCheck;
import io.hookline.node.RequestIdHandler;
import io.hookline.store.Deliveries;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The management port: {@code /metrics} (Prometheus text), {@code /health/live} and
 * {@code /health/ready} (same semantics as on the public port), plus whatever the node mounts
 * (admin API). It has its own Redis connection and readiness check (with its own PostgreSQL
 * connection), so it keeps answering while the ingest verticles drain and stop.
 */
public final class ManagementVerticle extends VerticleBase {
  /** How often Redis is pinged so {@code hookline_redis_up} stays current without traffic or health checks. */
  static final long REDIS_PROBE_MS = 5_000;
  private final HooklineConfig config;
  private final PrometheusMeterRegistry registry;
  private final DedupMetrics metrics;
  private final NodeState node;
  private final Consumer<Router> extraRoutes;
  private HttpServer server;
  private Pool pool;
  private RedisDedup redis;
  private ReadinessCheck readiness;
  private final AtomicLong dead = new AtomicLong();
  private final AtomicReference<Double> oldestPending = new AtomicReference<>(0.0);

  public ManagementVerticle(HooklineConfig config, PrometheusMeterRegistry registry, DedupMetrics metrics,
                            NodeState node, Consumer<Router> extraRoutes) {
    this.config = config;
    this.registry = registry;
    this.metrics = metrics;
    this.node = node;
    this.extraRoutes = extraRoutes;
  }

  @Override
  public Future<?> start() {
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1).setMaxWaitQueueSize(64))
        .connectingTo(PgConnectOptions.fromUri(config.postgres().url())).using(vertx).build();
    redis = new RedisDedup(vertx, config.redis(), metrics);
    Router router = Router.router(vertx);
    router.route().handler(new RequestIdHandler());
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    readiness = new ReadinessCheck(vertx, config.postgres().url(), redis, metrics);
    HealthHandler.mount(router, node, readiness);
    readiness.redis();
    vertx.setPeriodic(REDIS_PROBE_MS, id -> readiness.redis());
    extraRoutes.accept(router);
    backlogGauges();
    router.errorHandler(404, ctx -> error(ctx, 404, "not_found", "no such endpoint"));
    router.errorHandler(405, ctx -> error(ctx, 405, "method_not_allowed", "method not allowed"));
    router.errorHandler(500, ctx -> error(ctx, 500, "internal_error", "internal error"));
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.management().host()).setPort(config.management().port()));
    return server.requestHandler(router).listen().onSuccess(s -> node.managementListening(s.actualPort()));
  }

  /**
   * Backlog gauges for all nodes, read from PostgreSQL every {@code metrics.deadRefresh}, off the
   * request path. {@code hookline_deliveries_dead}: deliveries that used up their attempts and wait
   * for a replay (its rate of change is {@code hookline_deliveries_total{outcome="dead"}}).
   * {@code hookline_deliveries_oldest_pending_seconds}: age of the oldest pending delivery's event.
   */
  private void backlogGauges() {
    long refreshMs = config.metrics().deadRefresh().toMillis();
    String every = config.metrics().deadRefresh().toSeconds() + " s (metrics.deadRefresh)";
    Gauge.builder("hookline.deliveries.dead", dead, AtomicLong::get)
        .description("Deliveries marked dead (attempts used up), waiting for a replay; all nodes, refreshed every " + every)
        .strongReference(true)
        .register(registry);
    Gauge.builder("hookline.deliveries.oldest.pending", oldestPending, AtomicReference::get)
        .description("Seconds since the oldest pending delivery's event was received (0: none pending); all nodes,"
            + " refreshed every " + every)
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
    Deliveries backlog = new Deliveries(pool, config.postgres().schema());
    Runnable refresh = () -> {
      backlog.deadCount().onSuccess(dead::set);
      backlog.oldestPendingSeconds().onSuccess(oldestPending::set);
    };
    refresh.run();
    vertx.setPeriodic(refreshMs, id -> refresh.run());
  }

  private static void error(RoutingContext ctx, int status, String reason, String message) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(new JsonObject().put("error", message).put("reason", reason).encode());
    }
  }

  @Override
  public Future<?> stop() {
    Future<Void> closeServer = server == null ? Future.succeededFuture() : server.close();
    return closeServer
        .eventually(() -> redis == null ? Future.succeededFuture() : redis.close())
        .eventually(() -> readiness == null ? Future.succeededFuture() : readiness.close())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
