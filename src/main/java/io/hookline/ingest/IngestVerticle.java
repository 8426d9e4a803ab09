package io.hookline.ingest;

import io.hookline.config.HooklineConfig;
import io.hookline.dedup.RedisDedup;
import io.hookline.requests.RequestLog;
import io.hookline.requests.RetryAddress;
import io.hookline.delivery.Handoff;
import io.hookline.node.NodeState;
import io.hookline.node.ReadinessCheck;
import io.hookline.node.RequestIdHandler;
import io.hookline.store.EventWriter;
import io.hookline.store.PreparedPlans;
import io.hookline.tracing.Tracing;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The public HTTP port. One instance per event loop (TechEmpower style): each owns its Redis
 * connection, its PostgreSQL pool and its group-commit writer, so the hot path shares nothing.
 */
public final class IngestVerticle extends VerticleBase {
  private static final long SHUTDOWN_GRACE_SECONDS = 2;
  /**
   * For {@code http.port: 0}: a negative port makes Vert.x bind one random port shared by every
   * instance of this node (port 0 would give each event loop a port of its own).
   */
  private static final int ANY_PORT_SHARED = -1;
  /** The whole header section, in bytes; more is 431 headers_too_large. */
  private static final int MAX_HEADER_SIZE = 16 * 1024;
  private final HooklineConfig config;
  private final Map<String, SourceRuntime> sources;
  private final IngestMetrics metrics;
  private final NodeState node;
  private final Handoff handoff;
  private final HealthRoutes health;
  private final Tracing tracing;
  private final RequestLog requestLog;
  private Pool pool;
  private RedisDedup dedup;
  private ReadinessCheck readiness;
  private HttpServer server;
  private IngestMetrics.QueueProbe queueProbe;

  public IngestVerticle(HooklineConfig config, Map<String, SourceRuntime> sources, IngestMetrics metrics, NodeState node,
                        Handoff handoff, HealthRoutes health, Tracing tracing, RequestLog requestLog) {
    this.tracing = tracing;
    this.requestLog = requestLog;
    this.config = config;
    this.handoff = handoff;
    this.health = health;
    this.sources = sources;
    this.metrics = metrics;
    this.node = node;
  }

  @Override
  public Future<?> start() {
    PgConnectOptions connect = PreparedPlans.connectOptions(config.postgres().url()).setPipeliningLimit(256);
    // The server ends a commit stuck this long, so a stalled batch's slot comes back (GroupCommitter).
    connect.addProperty("statement_timeout", String.valueOf(2 * config.store().commitTimeout().toMillis()));
    pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(config.store().maxBatchesInFlight() + 1).setMaxWaitQueueSize(1024))
        .connectingTo(connect).using(vertx).build();
    dedup = new RedisDedup(vertx, config.redis(), metrics);
    EventWriter writer = new EventWriter(pool, config.postgres().schema(), config.store(), config.sources().stream()
        .collect(Collectors.toMap(HooklineConfig.SourceConfig::id, HooklineConfig.SourceConfig::dedupTtl)), metrics);
    queueProbe = metrics.storeQueue(vertx, writer::queued);
    PublicUrl publicUrl = new PublicUrl(new HashSet<>(config.http().trustedProxies()));
    IngestPipeline pipeline = new IngestPipeline(dedup, writer, metrics, vertx.eventBus(), handoff);
    WebhookHandler webhooks = new WebhookHandler(sources, pipeline, metrics, node, publicUrl, tracing,
        new RefusedRequests(requestLog, publicUrl));
    vertx.eventBus().<io.vertx.core.json.JsonObject>localConsumer(RetryAddress.ADDRESS,
        new StoredRequestRetry(vertx, sources, pipeline, metrics));

    Router router = Router.router(vertx);
    router.route().handler(new RequestIdHandler());
    router.post("/webhooks/:sourceId").handler(webhooks);
    router.get("/webhooks/:sourceId").handler(new GetHandshakeHandler(sources, metrics, publicUrl));
    readiness = new ReadinessCheck(vertx, config.postgres().url(), dedup, metrics);
    health.mount(router, readiness);
    router.route().failureHandler(new ErrorRenderer(metrics, config.store().retryAfter().toSeconds()));
    ErrorRenderer notFound = new ErrorRenderer(metrics, config.store().retryAfter().toSeconds());
    router.errorHandler(404, notFound);
    router.errorHandler(405, notFound);
    router.errorHandler(400, notFound::undecodablePath);

    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port() == 0 ? ANY_PORT_SHARED : config.http().port())
        .setIdleTimeout((int) config.http().idleTimeout().toSeconds())
        .setHandle100ContinueAutomatically(false)
        .setMaxHeaderSize(MAX_HEADER_SIZE)
        .setTcpNoDelay(true));
    server.invalidRequestHandler(new InvalidRequestHandler(HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH,
        MAX_HEADER_SIZE, metrics));
    vertx.setPeriodic(1000, t -> RejectionLog.reportSuppressed());
    return server.requestHandler(router).listen().onSuccess(s -> node.httpListening(s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    if (queueProbe != null) {
      queueProbe.close();
    }
    // Hookline.stop() drains first; a response still being written finishes, idle connections close.
    Future<Void> closeServer = server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
    return closeServer
        .eventually(() -> dedup == null ? Future.succeededFuture() : dedup.close())
        .eventually(() -> readiness == null ? Future.succeededFuture() : readiness.close())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
