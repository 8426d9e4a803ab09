package io.hookline;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.delivery.DeliveryWorker;
import io.hookline.delivery.Handoff;
import io.hookline.expression.DestinationExpressions;
import io.hookline.ingest.IngestVerticle;
import io.hookline.node.NodeState;
import io.hookline.ingest.SourceRuntime;
import io.hookline.management.admin.AdminVerticle;
import io.hookline.metrics.EventLoopLag;
import io.hookline.management.HealthHandler;
import io.hookline.management.ManagementVerticle;
import io.hookline.metrics.JvmMeters;
import io.hookline.metrics.MetricsSetup;
import io.hookline.metrics.MicrometerIngestMetrics;
import io.hookline.metrics.RequestLogMeters;
import io.hookline.overview.TrafficRecorder;
import io.hookline.overview.TrafficVerticle;
import io.hookline.requests.RequestLog;
import io.hookline.requests.RequestLogVerticle;
import io.hookline.retention.RetentionVerticle;
import io.hookline.store.PartitionStore;
import io.hookline.store.Schema;
import io.hookline.tracing.Tracing;
import io.hookline.tracing.otel.OtelTracing;
import io.hookline.verify.VerifierSpec;
import io.hookline.verify.provider.Verifiers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: Vert.x with metrics, migrated schema, ingest verticles (one per event loop),
 * delivery workers and the management port. {@link #start} needs concrete Redis and PostgreSQL
 * URLs (embedded mode fills them in before).
 */
public final class Hookline {
  private static final Logger LOG = LoggerFactory.getLogger(Hookline.class);

  /** A month of hourly partitions overflows stock PostgreSQL's lock table: say so at start-up, not in a month. */
  private static Future<Void> warnWhenTheLockTableIsTooSmall(HooklineConfig config, Pool pool) {
    Duration span = config.storage().partition();
    Duration kept = config.retention().delivered();
    return new PartitionStore(pool, config.postgres().schema()).lockBudget(span, kept, RetentionVerticle.ahead(config))
        .map(budget -> {
          if (budget.tooSmall()) {
            LOG.warn("PostgreSQL lock table too small: {}", budget.advice(span, kept));
          }
          return (Void) null;
        })
        .otherwise(e -> {
          LOG.warn("could not read PostgreSQL's lock settings: {}", e.getMessage());
          return null;
        });
  }

  private final Vertx vertx;
  private volatile HooklineConfig config;
  private final PrometheusMeterRegistry registry;
  private final NodeState node;
  private final MicrometerIngestMetrics metrics;
  private final EventLoopLag lag;
  private final Tracing tracing;
  private String ingestDeployment;
  private String deliveryDeployment;
  private String managementDeployment;
  private String adminDeployment;
  private String retentionDeployment;
  private String recordersDeployment;
  private String trafficDeployment;
  private Future<Void> stopping;
  private volatile long warmupEvents;
  private volatile Set<String> warmupProviders = Set.of();

  private Hookline(Vertx vertx, HooklineConfig config, PrometheusMeterRegistry registry, NodeState node,
                   MicrometerIngestMetrics metrics, EventLoopLag lag, Tracing tracing) {
    this.tracing = tracing;
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.node = node;
    this.metrics = metrics;
    this.lag = lag;
  }

  /** Builds every verifier first: a bad source stops start-up before anything listens. */
  public static Map<String, SourceRuntime> buildSources(HooklineConfig config) {
    Map<String, SourceRuntime> sources = new LinkedHashMap<>();
    for (SourceConfig s : config.sources()) {
      VerifierSpec spec = VerifierSpec.of(s);
      sources.put(s.id(), SourceRuntime.of(s, Verifiers.create(spec), Verifiers.credentialValues(spec)));
    }
    return Map.copyOf(sources);
  }

  /**
   * Warm-up first ({@link Warmup}, {@code http.warmupSeconds}), then the node: it listens, and
   * {@code /health/ready} can turn 200, only once the hot path has been compiled.
   */
  public static Future<Hookline> start(HooklineConfig config) {
    // Built first, so a bad source stops start-up before the warm-up spends any time.
    buildSources(config);
    // Off the warm-up's threads (its Vert.x instances are closed): a common-pool thread starts the node.
    return Future.fromCompletionStage(Warmup.run(config).thenComposeAsync(warmed ->
        startNode(config).onSuccess(node -> {
          node.warmupEvents = warmed.accepted();
          node.warmupProviders = warmed.providers();
        }).toCompletionStage()));
  }

  /** The node alone, without a warm-up (the warm-up's scratch node is one). */
  static Future<Hookline> startNode(HooklineConfig config) {
    Map<String, SourceRuntime> sources = buildSources(config);
    // Every filter and transform compiled and type-checked: a bad one stops start-up naming its field.
    DestinationExpressions.compileAll(config);
    MetricsSetup metricsSetup = MetricsSetup.of(config.metrics().mode());
    PrometheusMeterRegistry registry = metricsSetup.newRegistry();
    MeterRegistry recording = metricsSetup.recordingRegistry(registry);
    // Native epoll where it loads (Linux x86_64), NIO elsewhere. Measured (load-tests/burst.sh, 2 cores):
    // node CPU per event 558 -> 343 us together with the lighter sink; 2 event loops instead of 4 was slower.
    VertxOptions vertxOptions = new VertxOptions().setPreferNativeTransport(true);
    VertxBuilder builder = Vertx.builder();
    MicrometerMetricsOptions vertxMetrics = metricsSetup.vertxOptions();
    if (vertxMetrics != null) {
      vertxOptions.setMetricsOptions(vertxMetrics);
      builder.withMetrics(new MicrometerMetricsFactory(registry));
    }
    builder.with(vertxOptions);
    if (metricsSetup.bindJvmMetricsDirectly()) {
      JvmMeters.bind(registry);
    }
    Vertx vertx = builder.build();
    NodeState node = new NodeState(config.nodeId());
    Map<String, String> providers = new LinkedHashMap<>();
    config.sources().forEach(s -> providers.put(s.id(), s.provider()));
    TrafficRecorder traffic = new TrafficRecorder(node.nodeId());
    RequestLog requestLog = new RequestLog(config.management().requestLog().perMinute(), node.nodeId(),
        new RequestLogMeters(recording));
    MicrometerIngestMetrics metrics = new MicrometerIngestMetrics(recording, List.copyOf(sources.keySet()), providers,
        traffic);
    Gauge.builder("hookline.ingest.inflight", node, NodeState::inFlight)
        .description("Webhook requests being processed (read, verified, committed) on this node").register(recording);
    Gauge.builder("hookline.draining", node, n -> n.draining() ? 1 : 0)
        .description("1 while this node drains for shutdown (ready = 503, new webhooks = 503)").register(recording);
    EventLoopLag lag = metricsSetup == MetricsSetup.OFF ? null : EventLoopLag.start(vertx, registry);
    // Without a tracing section OtelTracing is not even loaded: no OpenTelemetry class runs.
    Tracing tracing = config.tracing().enabled() ? OtelTracing.of(config) : Tracing.NONE;
    Hookline hookline = new Hookline(vertx, config, registry, node, metrics, lag, tracing);

    Pool adminPool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(PgConnectOptions.fromUri(config.postgres().url())).using(vertx).build();
    Handoff handoff = new Handoff(config, node.nodeId());
    Handoff.registerCodec(vertx.eventBus());
    // Delivery first: its workers take back a previous run's leases and listen before ingest hands anything off.
    // Partitions for the coming spans exist before the first event is taken (retention keeps them ahead).
    return Schema.migrate(vertx, config.postgres().url(), config.postgres().schema())
        .compose(v -> new PartitionStore(adminPool, config.postgres().schema())
            .ensure(config.storage().partition(), RetentionVerticle.ahead(config)))
        .compose(v -> warnWhenTheLockTableIsTooSmall(config, adminPool))
        // The requests log's partitions exist before the first refusal can be written.
        .compose(v -> vertx.deployVerticle(new RequestLogVerticle(config, requestLog)))
        .compose(id -> {
          hookline.recordersDeployment = id;
          return vertx.deployVerticle(new TrafficVerticle(config, traffic));
        })
        .compose(id -> {
          hookline.trafficDeployment = id;
          return vertx.deployVerticle(() -> new DeliveryWorker(config, node.nodeId(), recording, handoff, tracing, traffic),
            DeliveryWorker.deploymentOptions(config));
        })
        .compose(id -> {
          hookline.deliveryDeployment = id;
          return vertx.deployVerticle(() -> new IngestVerticle(config, sources, metrics, node, handoff,
              (router, readiness) -> HealthHandler.mount(router, node, readiness), tracing, requestLog),
              new DeploymentOptions().setInstances(config.http().instances()));
        })
        .compose(id -> {
          hookline.ingestDeployment = id;
          return vertx.deployVerticle(new RetentionVerticle(config, recording,
              config.retention().interval().toMillis(), config.retention().batch()));
        })
        .compose(id -> {
          hookline.retentionDeployment = id;
          AdminVerticle admin = new AdminVerticle(config, node.nodeId());
          return vertx.deployVerticle(admin).compose(adminId -> {
            hookline.adminDeployment = adminId;
            return vertx.deployVerticle(new ManagementVerticle(config, registry, metrics, node, admin::mount));
          });
        })
        .map(id -> {
          hookline.managementDeployment = id;
          // The ports as bound (0 in the config = any free port): what config() and the log report.
          hookline.config = config.withPorts(node.httpPort(), node.managementPort());
          LOG.info("Hookline ready: node={} http={}:{} management={}:{} sources={} metrics={} transport={}", node.nodeId(),
              config.http().host(), node.httpPort(), config.management().host(), node.managementPort(),
              sources.keySet(), metricsSetup.name().toLowerCase(java.util.Locale.ROOT),
              vertx.isNativeTransportEnabled() ? "epoll" : "nio");
          return hookline;
        })
        .recover(err -> {
          // Fail the caller first: once Vert.x is closed nothing chained on its contexts runs any more.
          LOG.error("start-up failed, closing: {}", err.toString());
          if (lag != null) {
            lag.close();
          }
          adminPool.close().eventually(() -> closeTracing(vertx, tracing)).eventually(vertx::close);
          return Future.failedFuture(err);
        })
        .onSuccess(h -> adminPool.close());
  }



  /** Webhooks the start-up warm-up's scratch node accepted before this node listened (0: no warm-up). */
  public long warmupEvents() {
    return warmupEvents;
  }

  /** The providers the warm-up's scratch node accepted at least one event of (empty: no warm-up). */
  public Set<String> warmupProviders() {
    return warmupProviders;
  }

  /** The public port as bound. */
  public int httpPort() {
    return node.httpPort();
  }

  /** The management port as bound. */
  public int managementPort() {
    return node.managementPort();
  }

  public HooklineConfig config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public NodeState node() {
    return node;
  }

  /**
   * Graceful drain, bounded by {@code delivery.drainTimeout}: {@code /health/ready} answers 503 and
   * new webhooks get 503 + Retry-After at once; webhooks in flight finish (committed, then answered);
   * then the public listener closes, delivery workers stop (finishing or releasing their leases),
   * the management port closes last and Vert.x shuts down. Safe to call more than once.
   */
  public synchronized Future<Void> stop() {
    if (stopping == null) {
      stopping = drainAndClose();
    }
    return stopping;
  }

  private Future<Void> drainAndClose() {
    long started = System.nanoTime();
    long deadline = started + config.delivery().drainTimeout().toNanos();
    node.startDraining();
    LOG.info("draining: ready=503, new webhooks answered 503; waiting for {} in flight (deadline {} s)",
        node.inFlight(), config.delivery().drainTimeout().toSeconds());
    long quietNanos = config.http().drainQuiet().toNanos();
    // The listener stays open (answering 503 + Retry-After + Connection: close) until nothing has
    // been in flight AND no webhook has arrived for a quiet period: closing a listening socket resets the
    // connections the kernel has accepted but the server has not read yet, so it is closed only
    // once senders (and load balancers, which see ready = 503) have backed off.
    long[] idleSince = {0};
    return waitUntil(() -> {
      long now = System.nanoTime();
      if (node.inFlight() > 0 || metrics.storeQueued() > 0) {
        idleSince[0] = 0;
        return false;
      }
      if (idleSince[0] == 0) {
        idleSince[0] = now; // the last in-flight webhook just finished: its sender may send again now
      }
      return now - idleSince[0] >= quietNanos && node.nanosSinceDrainRefusal() >= quietNanos;
    }, deadline)
        .compose(drained -> {
          if (drained) {
            LOG.info("drained: no webhook in flight, store queue empty, senders quiet ({} ms)",
                (System.nanoTime() - started) / 1_000_000);
          } else {
            LOG.warn("drain deadline reached ({} webhooks in flight, senders still sending); closing anyway",
                node.inFlight());
          }
          return Future.succeededFuture();
        })
        .compose(v -> Future.join(
            undeploy(ingestDeployment, "public listener", deadline),
            undeploy(deliveryDeployment, "delivery workers", deadline),
            undeploy(retentionDeployment, "retention", deadline)))
        // After ingest and delivery: their last refusals and tallies are written on the way out.
        .transform(ar -> Future.join(undeploy(recordersDeployment, "requests log", deadline),
            undeploy(trafficDeployment, "overview recorder", deadline)))
        .transform(ar -> undeploy(managementDeployment, "management port", deadline))
        .transform(ar -> undeploy(adminDeployment, "admin API", deadline))
        .transform(ar -> {
          if (lag != null) {
            lag.close();
          }
          // Logged before Vert.x closes: a callback on a future of its closed contexts may never run.
          LOG.info("node {} stopped after {} ms", node.nodeId(), (System.nanoTime() - started) / 1_000_000);
          return closeTracing(vertx, tracing).eventually(vertx::close);
        });
  }

  /**
   * Exports the spans still batched (the last deliveries' attempts). Blocking, so on a thread of its
   * own: not an event loop, and not executeBlocking (the calling context's verticle is undeployed by now).
   */
  private static Future<Void> closeTracing(Vertx vertx, Tracing tracing) {
    if (!tracing.enabled()) {
      return Future.succeededFuture();
    }
    Promise<Void> closed = Promise.promise();
    Thread t = new Thread(() -> {
      try {
        tracing.close();
      } finally {
        closed.complete();
      }
    }, "hookline-tracing-close");
    t.setDaemon(true);
    t.start();
    return closed.future();
  }

  private Future<Void> undeploy(String deploymentId, String what, long deadline) {
    if (deploymentId == null) {
      return Future.succeededFuture();
    }
    long remainingMs = Math.max(1000, (deadline - System.nanoTime()) / 1_000_000);
    return vertx.undeploy(deploymentId)
        .timeout(remainingMs, TimeUnit.MILLISECONDS)
        .onSuccess(v -> LOG.info("{} stopped", what))
        .onFailure(err -> LOG.warn("{} did not stop cleanly: {}", what, err.toString()));
  }

  private Future<Boolean> waitUntil(BooleanSupplier condition, long deadline) {
    Promise<Boolean> done = Promise.promise();
    if (condition.getAsBoolean()) {
      done.complete(true);
      return done.future();
    }
    vertx.setPeriodic(5, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        done.tryComplete(true);
      } else if (System.nanoTime() - deadline >= 0) {
        vertx.cancelTimer(id);
        done.tryComplete(false);
      }
    });
    return done.future();
  }

}
