package io.hookline.metrics;

import io.hookline.config.HooklineConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.function.Consumer;

/** The management port: {@code /metrics} (Prometheus text), plus whatever the node mounts (admin). */
public final class ManagementVerticle extends VerticleBase {
  private final HooklineConfig config;
  private final PrometheusMeterRegistry registry;
  private final Consumer<Router> extraRoutes;
  private HttpServer server;

  public ManagementVerticle(HooklineConfig config, PrometheusMeterRegistry registry, Consumer<Router> extraRoutes) {
    this.config = config;
    this.registry = registry;
    this.extraRoutes = extraRoutes;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    extraRoutes.accept(router);
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.management().host()).setPort(config.management().port()));
    return server.requestHandler(router).listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
