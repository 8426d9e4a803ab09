package io.hookline.management.admin;

import io.hookline.config.HooklineConfig;
import io.hookline.store.EventSearch;
import io.hookline.store.ReplayStore;
import io.hookline.store.RerouteStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API ({@code /admin/api}) and web console ({@code /admin/}), mounted on the management
 * port's router through {@link #mount}; deploy this verticle before the management verticle. It
 * owns the admin pool and runs bulk replay jobs. Without {@code management.adminToken} nothing is
 * mounted, so both answer 404.
 */
public final class AdminVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AdminVerticle.class);
  static final String CONSOLE_RESOURCES = "admin-console";
  private static final long MAX_BODY_BYTES = 64 * 1024;

  private final HooklineConfig config;
  private final String nodeId;
  private Pool pool;
  private EventSearch search;
  private ReplayStore replays;
  private BulkReplayRunner runner;
  private RerouteStore reroutes;
  private RerouteRunner rerouter;
  private WorkerWakeUp wakeUp;
  private io.hookline.delivery.DestinationStateStore destinationStates;

  public AdminVerticle(HooklineConfig config, String nodeId) {
    this.config = config;
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    if (config.management().adminToken() == null) {
      LOG.info("admin API and console off: no management.adminToken configured");
      return Future.succeededFuture();
    }
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4).setMaxWaitQueueSize(256).setName("hookline-admin"))
        .connectingTo(PgConnectOptions.fromUri(config.postgres().url())).using(vertx).build();
    String schema = config.postgres().schema();
    search = new EventSearch(pool, schema);
    replays = new ReplayStore(pool, schema);
    wakeUp = new WorkerWakeUp(vertx);
    destinationStates = new io.hookline.delivery.DestinationStateStore(pool, schema);
    runner = new BulkReplayRunner(context, replays, wakeUp, config.management().replayRate());
    reroutes = new RerouteStore(pool, schema);
    rerouter = new RerouteRunner(context, reroutes, replays, wakeUp, config);
    return Future.succeededFuture();
  }

  /** Adds the admin routes to the management router (nothing without an admin token). */
  public void mount(Router router) {
    if (config.management().adminToken() == null) {
      return;
    }
    AdminAuth auth = new AdminAuth(config.management().adminToken().value());
    router.route("/admin/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(auth).failureHandler(new AdminErrors());
    router.get("/admin/api/events").handler(new ListEventsHandler(search, config));
    router.get("/admin/api/events/:id").handler(new EventDetailHandler(search, config));
    router.post("/admin/api/events/:id/replay").handler(new ReplayEventHandler(replays, wakeUp));
    router.post("/admin/api/replay").handler(new BulkReplayHandler(replays, runner, reroutes, rerouter, config, nodeId));
    router.get("/admin/api/replay/:job").handler(new ReplayJobHandler(replays));
    router.get("/admin/api/sources").handler(new SourcesHandler(search, config));
    router.get("/admin/api/destinations").handler(new DestinationsHandler(destinationStates, config));
    // Before the pause/resume route, whose :action would also match "test".
    router.post("/admin/api/destinations/:source/:id/test").handler(new DestinationTestHandler(search, config));
    router.post("/admin/api/destinations/:source/:id/:action").handler(new DestinationPauseHandler(destinationStates, config));
    // "/admin" also matches "/admin/": redirect only the bare one, so relative URLs resolve under /admin/.
    router.get("/admin").handler(ctx -> {
      if (ctx.request().path().equals("/admin")) {
        ctx.redirect("/admin/");
      } else {
        ctx.next();
      }
    });
    router.get("/admin/*").handler(new ConsoleHeaders())
        .handler(StaticHandler.create(CONSOLE_RESOURCES).setCachingEnabled(false).setIndexPage("index.html"));
    LOG.info("admin API on /admin/api and console on /admin/ (token fingerprint {})", auth.fingerprint());
  }

  @Override
  public Future<?> stop() {
    if (pool == null) {
      return Future.succeededFuture();
    }
    return Future.join(runner.stop(), rerouter.stop()).eventually(() -> pool.close());
  }
}
