package io.hookline;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.delivery.DeliveryWorker;
import io.hookline.ingest.HealthHandler;
import io.hookline.ingest.IngestVerticle;
import io.hookline.ingest.NodeState;
import io.hookline.ingest.SourceRuntime;
import io.hookline.metrics.IngestMetrics;
import io.hookline.metrics.ManagementVerticle;
import io.hookline.store.Schema;
import io.hookline.verify.VerifierSpec;
import io.hookline.verify.Verifiers;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: Vert.x with metrics, migrated schema, ingest verticles (one per event loop),
 * delivery workers and the management port. {@link #start} needs concrete Redis and PostgreSQL
 * URLs (embedded mode fills them in before).
 */
public final class Hookline {
  private static final Logger LOG = LoggerFactory.getLogger(Hookline.class);

  private final Vertx vertx;
  private final HooklineConfig config;
  private final PrometheusMeterRegistry registry;
  private final NodeState node;

  private Hookline(Vertx vertx, HooklineConfig config, PrometheusMeterRegistry registry, NodeState node) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.node = node;
  }

  /** Builds every verifier first: a bad source stops start-up before anything listens. */
  public static Map<String, SourceRuntime> buildSources(HooklineConfig config) {
    Map<String, SourceRuntime> sources = new LinkedHashMap<>();
    for (SourceConfig s : config.sources()) {
      sources.put(s.id(), SourceRuntime.of(s, Verifiers.create(new VerifierSpec(
          s.id(), s.provider(), s.secrets(), s.tolerance(), s.providerOptions(), s.path()))));
    }
    return Map.copyOf(sources);
  }

  public static Future<Hookline> start(HooklineConfig requested) {
    HooklineConfig config = withConcretePorts(requested);
    Map<String, SourceRuntime> sources = buildSources(config);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Vert.x's per-request HTTP server metrics cost throughput and duplicate hookline_ingest_seconds.
    MicrometerMetricsOptions metricsOptions = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setDisabledMetricsCategories(Set.of(MetricsDomain.HTTP_SERVER.name()));
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metricsOptions))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    NodeState node = new NodeState(System.getProperty("hookline.nodeId",
        hostName() + "-" + UUID.randomUUID().toString().substring(0, 8)));
    Map<String, String> providers = new LinkedHashMap<>();
    config.sources().forEach(s -> providers.put(s.id(), s.provider()));
    IngestMetrics metrics = new IngestMetrics(registry, List.copyOf(sources.keySet()), providers);
    Hookline hookline = new Hookline(vertx, config, registry, node);

    Pool adminPool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(PgConnectOptions.fromUri(config.postgres().url())).using(vertx).build();
    return Schema.migrate(adminPool, config.postgres().schema())
        .compose(v -> vertx.deployVerticle(() -> new IngestVerticle(config, sources, metrics, node),
            new DeploymentOptions().setInstances(config.http().instances())))
        .compose(v -> vertx.deployVerticle(() -> new DeliveryWorker(config, node.nodeId(), registry),
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setInstances(config.delivery().instances())))
        .compose(v -> vertx.deployVerticle(new ManagementVerticle(config, registry, router -> {
          router.get("/health/live").handler(HealthHandler::live);
        })))
        .map(v -> {
          LOG.info("Hookline ready: node={} http={}:{} management={}:{} sources={}", node.nodeId(),
              config.http().host(), config.http().port(), config.management().host(), config.management().port(),
              sources.keySet());
          return hookline;
        })
        .recover(err -> adminPool.close().eventually(vertx::close).transform(x -> Future.failedFuture(err)))
        .onSuccess(h -> adminPool.close());
  }

  private static HooklineConfig withConcretePorts(HooklineConfig c) {
    HooklineConfig.Http http = c.http();
    HooklineConfig.Management m = c.management();
    if (http.port() == 0) {
      http = new HooklineConfig.Http(http.host(), freePort(), http.maxBodyBytes(), http.instances(),
          http.trustedProxies(), http.idleTimeout());
    }
    if (m.port() == 0) {
      m = new HooklineConfig.Management(m.host(), freePort(), m.adminToken());
    }
    return new HooklineConfig(http, m, c.redis(), c.postgres(), c.store(), c.delivery(), c.log(), c.dataDir(),
        c.sources());
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "node";
    }
  }

  public int httpPort() {
    return config.http().port();
  }

  public int managementPort() {
    return config.management().port();
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

  /** Stops taking webhooks, lets in-flight ones finish, then stops everything. */
  public Future<Void> stop() {
    node.startDraining();
    return vertx.close();
  }
}
