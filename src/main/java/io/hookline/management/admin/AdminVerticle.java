package io.hookline.management.admin;

import io.hookline.config.HooklineConfig;
import io.hookline.config.Secret;
import io.hookline.store.Deliveries;
import io.hookline.store.DestinationStates;
import io.hookline.store.EventSearch;
import io.hookline.store.Replays;
import io.hookline.store.RequestLogStore;
import io.hookline.store.RerouteStore;
import io.hookline.store.TrafficStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.HashMap;
import java.util.Map;
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
  /** The Maven dependency org.webjars.npm:uplot (pom.xml) unpacks here; change both together. */
  static final String UPLOT_WEBJAR = "META-INF/resources/webjars/uplot/1.6.30/dist";
  private static final long MAX_BODY_BYTES = 64 * 1024;

  private final HooklineConfig config;
  private final String nodeId;
  private Pool pool;
  private EventSearch search;
  private Replays replays;
  private PacedJobRunner jobs;
  private BulkReplayJobs replayJobs;
  private RerouteStore reroutes;
  private RerouteJobs rerouteJobs;
  private WorkerWakeUp wakeUp;
  private DestinationStates destinationStates;
  private Deliveries deliveries;
  private RequestLogStore requestLog;
  private RequestRetrier retrier;
  private RequestRetryJobs retryJobs;
  private TrafficStore traffic;
  private AdminApi api;

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
    replays = new Replays(pool, schema);
    wakeUp = new WorkerWakeUp(vertx);
    destinationStates = new DestinationStates(pool, schema);
    deliveries = new Deliveries(pool, schema);
    jobs = new PacedJobRunner(context, replays, config.management().replayRate());
    replayJobs = new BulkReplayJobs(jobs, replays, wakeUp);
    reroutes = new RerouteStore(pool, schema);
    rerouteJobs = new RerouteJobs(jobs, reroutes, wakeUp, config);
    requestLog = new RequestLogStore(pool, schema);
    retrier = new RequestRetrier(requestLog, vertx.eventBus());
    retryJobs = new RequestRetryJobs(jobs, requestLog, retrier);
    traffic = new TrafficStore(pool, schema);
    return AdminApi.load(vertx).onSuccess(loaded -> api = loaded);
  }

  /** Adds the admin routes to the management router (nothing without an admin token). */
  public void mount(Router router) {
    if (config.management().adminToken() == null) {
      return;
    }
    Secret readToken = config.management().readToken();
    AdminAuth auth = new AdminAuth(config.management().adminToken().value(), readToken == null ? null : readToken.value());
    // The contract is public (clients are generated from it): answered before authentication.
    router.get("/admin/api/openapi.json").handler(api.documentHandler());
    router.route("/admin/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(auth).failureHandler(new AdminErrors());
    router.route("/admin/api/*").subRouter(api.router(vertx, operations()));
    // "/admin" also matches "/admin/": redirect only the bare one, so relative URLs resolve under /admin/.
    router.get("/admin").handler(ctx -> {
      if (ctx.request().path().equals("/admin")) {
        ctx.redirect("/admin/");
      } else {
        ctx.next();
      }
    });
    // uPlot (MIT, its LICENSE beside it) from its webjar on the classpath: no CDN, nothing fetched at run time.
    router.get("/admin/vendor/uplot/*").handler(new ConsoleHeaders())
        .handler(StaticHandler.create(UPLOT_WEBJAR).setCachingEnabled(false));
    router.get("/admin/*").handler(new ConsoleHeaders())
        .handler(StaticHandler.create(CONSOLE_RESOURCES).setCachingEnabled(false).setIndexPage("index.html"));
    LOG.info("admin API on /admin/api and console on /admin/ (admin token fingerprint {}, read-only role {})", auth.fingerprint(),
        readToken == null ? "off" : "on");
  }

  /**
   * Each operationId of {@code openapi/admin-api.yaml} and its handler. To add an operation: describe
   * it in the document (see the comment at its top), bind its operationId here, and exercise each of
   * its responses in AdminApiContractTest; start-up fails if the document and this map disagree.
   */
  private Map<String, Handler<RoutingContext>> operations() {
    Map<String, Handler<RoutingContext>> ops = new HashMap<>();
    ops.put("getOpenApi", api.documentHandler());
    ops.put("whoAmI", ctx -> ctx.json(new JsonObject().put("role", ((AdminRole) ctx.get(AdminAuth.ROLE)).label)));
    ops.put("listEvents", new ListEventsHandler(search, config));
    ops.put("getEvent", new EventDetailHandler(search, config));
    ops.put("replayEvent", new ReplayEventHandler(replays, wakeUp));
    ops.put("bulkReplay", new BulkReplayHandler(replays, replayJobs, reroutes, rerouteJobs, config, nodeId));
    ops.put("getReplayJob", new ReplayJobHandler(replays));
    ops.put("listSources", new SourcesHandler(search, config));
    ops.put("listDestinations", new DestinationsHandler(destinationStates, deliveries, config));
    ops.put("testDestination", new DestinationTestHandler(search, config));
    ops.put("pauseDestination", new DestinationPauseHandler(destinationStates, config, true));
    ops.put("resumeDestination", new DestinationPauseHandler(destinationStates, config, false));
    ops.put("listRequests", new ListRequestsHandler(requestLog));
    ops.put("getRequest", new RequestDetailHandler(requestLog));
    ops.put("retryRequest", new RetryRequestHandler(retrier));
    ops.put("bulkRetryRequests", new BulkRetryHandler(requestLog, retryJobs, nodeId));
    ops.put("getStats", new StatsHandler(traffic));
    return ops;
  }

  @Override
  public Future<?> stop() {
    if (pool == null) {
      return Future.succeededFuture();
    }
    return jobs.stop().eventually(() -> pool.close());
  }
}
