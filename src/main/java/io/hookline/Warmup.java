package io.hookline;

import io.hookline.config.ConfigLoader;
import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.config.Secret;
import io.hookline.verify.Provider;
import io.hookline.verify.SendInput;
import io.hookline.verify.SignedEvent;
import io.hookline.verify.VerifierSpec;
import io.hookline.verify.provider.Providers;
import io.hookline.verify.provider.Verifiers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ready means fast (SPEC, Fleet behaviour): before the node listens, a scratch node in the same JVM
 * (its own Vert.x, a scratch schema dropped afterwards, a scratch Redis key prefix, loopback ports,
 * tracing and admin off) takes {@code http.warmupSeconds} of signed webhooks over real HTTP and
 * delivers them to an in-process sink. The JIT compiles what the real node then runs: HTTP edge,
 * verification of each configured provider that can be signed here, Redis claim, group commit,
 * hand-off, delivery. Nothing reaches the node's schema, its Redis keys or a real destination. A
 * failed warm-up is logged and start-up carries on: it costs speed, never availability.
 */
final class Warmup {
  private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
  private static final int CONNECTIONS = 64;
  private static final int DELIVERED_EVERY = 8;
  private static final int BODY_BYTES = 2048;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Warmup() {}

  /**
   * The events the scratch node accepted; completes (never exceptionally) once it is stopped and its schema dropped. A
   * CompletableFuture, not a Vert.x future: the warm-up's Vert.x instances are closed by then, and
   * the real node is started off their threads.
   */
  static CompletableFuture<Outcome> run(HooklineConfig config) {
    Duration length = config.http().warmupSeconds();
    if (length.isZero()) {
      return CompletableFuture.completedFuture(Outcome.NONE);
    }
    String run = HexFormat.of().formatHex(randomBytes(4));
    String schema = config.postgres().schema() + "_warmup_" + run;
    long started = System.nanoTime();
    Vertx driver = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setPreferNativeTransport(true));
    HttpServer sink = driver.createHttpServer().requestHandler(req -> req.body().onComplete(ar -> req.response().setStatusCode(204).end()));
    AtomicReference<Hookline> scratch = new AtomicReference<>();
    AtomicReference<Traffic> traffic = new AtomicReference<>();
    List<Source> sources = sources(config);
    LOG.info("warm-up: {} s of signed webhooks through a scratch node (schema {}, sources {}) before this node listens",
        length.toSeconds(), schema, sources.stream().map(Source::id).toList());
    return sink.listen(0, "127.0.0.1").toCompletionStage()
        // Off the driver's event loop: a node's Vert.x is not created from another one's thread.
        .thenComposeAsync(s -> Hookline.startNode(scratchConfig(config, schema, run, sources, s.actualPort())).toCompletionStage())
        .thenCompose(node -> {
          scratch.set(node);
          traffic.set(new Traffic(driver, node.httpPort(), sources, length));
          return traffic.get().run().toCompletionStage();
        })
        .handle((v, err) -> {
          if (err != null) {
            LOG.warn("warm-up failed, starting without it (the first seconds will be slower): {}", err.toString());
          }
          return scratch.get();
        })
        .thenCompose(node -> node == null ? CompletableFuture.<Void>completedFuture(null)
            : node.stop().otherwiseEmpty().toCompletionStage())
        .thenCompose(v -> dropSchema(driver, config.postgres().url(), schema).transform(ar -> {
          if (ar.failed()) {
            LOG.warn("warm-up: could not drop scratch schema {}: {}", schema, ar.cause().toString());
          }
          driver.close();
          return Future.<Void>succeededFuture();
        }).toCompletionStage())
        .thenCompose(v -> JitSettling.settle())
        .thenApply(settled -> {
          Traffic t = traffic.get();
          Outcome outcome = t == null ? Outcome.NONE : new Outcome(t.accepted.get(), Set.copyOf(t.acceptedProviders));
          LOG.info("warm-up done: {} events sent, {} accepted (providers {}), {} ms in all, {}", t == null ? 0 : t.sent.get(),
              outcome.accepted(), new TreeSet<>(outcome.providers()), (System.nanoTime() - started) / 1_000_000, settled);
          return outcome;
        })
        .toCompletableFuture();
  }

  /**
   * After the scratch traffic the JIT's queue still holds the hot path's C2 compilations, which on a
   * small machine would otherwise compete with the first real burst: wait, up to {@link #MAX}, until
   * the compiler threads are nearly idle (under 10 % of one core over a {@link #STEP}).
   */
  static final class JitSettling {
    static final Duration STEP = Duration.ofMillis(250);
    static final Duration MAX = Duration.ofSeconds(2);

    private JitSettling() {}

    /** Completes with a line for the log: how long it waited and how much compiling happened meanwhile. */
    static CompletableFuture<String> settle() {
      java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
      if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
        return CompletableFuture.completedFuture("no JIT settling (compilation time not monitored)");
      }
      long start = System.nanoTime();
      long firstCompileMs = jit.getTotalCompilationTime();
      CompletableFuture<String> done = new CompletableFuture<>();
      step(jit, start, firstCompileMs, firstCompileMs, done);
      return done;
    }

    private static void step(java.lang.management.CompilationMXBean jit, long start, long firstMs, long lastMs,
                             CompletableFuture<String> done) {
      CompletableFuture.delayedExecutor(STEP.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).execute(() -> {
        long nowMs = jit.getTotalCompilationTime();
        long waited = (System.nanoTime() - start) / 1_000_000;
        boolean idle = nowMs - lastMs < STEP.toMillis() / 10;
        if (idle || waited >= MAX.toMillis()) {
          done.complete((idle ? "the JIT settled after " : "the JIT was still compiling after ") + waited + " ms ("
              + (nowMs - firstMs) + " ms of compilation meanwhile)");
        } else {
          step(jit, start, firstMs, nowMs, done);
        }
      });
    }
  }

  /** What the warm-up did: events the scratch node accepted, and the providers at least one of them was signed as. */
  record Outcome(long accepted, Set<String> providers) {
    static final Outcome NONE = new Outcome(0, Set.of());
  }

  /** A scratch source for a configured provider: fresh keys of its form, the configured source's options. */
  private record Source(String id, String provider, Provider.SampleKeys keys, Map<String, Object> options, boolean delivered) {}

  /**
   * One scratch source per distinct configured provider that {@code send} can sign for (read from
   * the registry), github always, and a delivered github source. A provider whose scratch source
   * cannot be built or signed (its options need something the scratch node lacks) is left out,
   * logged, rather than failing the warm-up.
   */
  static List<Source> sources(HooklineConfig config) {
    Map<String, Map<String, Object>> providers = new LinkedHashMap<>();
    providers.put("github", Map.of());
    for (SourceConfig s : config.sources()) {
      providers.putIfAbsent(s.provider(), s.providerOptions());
    }
    List<Source> sources = new ArrayList<>();
    providers.forEach((name, options) -> {
      Source source = scratchSource(name, options, false);
      if (source != null) {
        sources.add(source);
      }
    });
    // One source with a destination (the local sink) for the delivery path; it gets 1 event in DELIVERED_EVERY:
    // a delivery costs PostgreSQL about three times an ingest, and the ingest path is what a burst needs first.
    sources.add(scratchSource("github", Map.of(), true));
    return sources;
  }

  private static Source scratchSource(String name, Map<String, Object> options, boolean delivered) {
    Provider provider = Providers.find(name);
    if (provider == null || provider.signer() == null) {
      return null;
    }
    String id = delivered ? "warmup-delivered" : "warmup-" + name;
    Source source = new Source(id, name, provider.sampleKeys().create(RANDOM), options == null ? Map.of() : options, delivered);
    try {
      // Both sides checked here, so a provider that cannot be warmed is skipped, not refused by the scratch node.
      Verifiers.create(new VerifierSpec(id, name, List.of(Secret.of(source.keys().secret())), null, source.options(), id));
      sign(source, "http://127.0.0.1:1", "evt_warmup_probe", System.currentTimeMillis() / 1000);
      return source;
    } catch (RuntimeException e) {
      LOG.info("warm-up: provider {} is not warmed ({})", name, e.getMessage());
      return null;
    }
  }

  /** A test event for {@code source}, shaped like its provider's, padded towards BODY_BYTES, signed as the provider signs. */
  private static SignedEvent sign(Source source, String base, String eventId, long now) {
    Provider provider = Providers.find(source.provider());
    byte[] sample = provider.sampleBody().create(eventId, now);
    return provider.signer().sign(new SendInput(source.keys().secret(), pad(sample), eventId, now,
        base + "/webhooks/" + source.id(), source.options(), source.keys().privateKey()));
  }

  /** A JSON object body gets a padding member first, so each provider's verifier hashes about BODY_BYTES. */
  private static byte[] pad(byte[] body) {
    if (body.length < 2 || body[0] != '{' || body.length >= BODY_BYTES) {
      return body;
    }
    boolean empty = body[1] == '}';
    byte[] member = ("\"hookline_warmup_pad\":\"" + "x".repeat(Math.max(0, BODY_BYTES - body.length - 30)) + "\""
        + (empty ? "" : ",")).getBytes(StandardCharsets.UTF_8);
    byte[] padded = new byte[body.length + member.length];
    padded[0] = '{';
    System.arraycopy(member, 0, padded, 1, member.length);
    System.arraycopy(body, 1, padded, 1 + member.length, body.length - 1);
    return padded;
  }

  private static HooklineConfig scratchConfig(HooklineConfig config, String schema, String run, List<Source> sources,
                                              int sinkPort) {
    StringBuilder yaml = new StringBuilder("sources:\n");
    for (Source s : sources) {
      yaml.append("  - id: ").append(s.id()).append("\n    provider: ").append(s.provider())
          .append("\n    secrets: ").append(new JsonArray().add(s.keys().secret()).encode()).append("\n    dedupTtl: 5m\n");
      if (!s.options().isEmpty()) {
        // JSON is YAML: the configured source's provider options, as they were read.
        yaml.append("    ").append(s.provider()).append(": ").append(new JsonObject(s.options()).encode()).append('\n');
      }
      if (s.delivered()) {
        yaml.append("    destinations:\n      - url: http://127.0.0.1:").append(sinkPort).append("/warmup\n");
      }
    }
    List<SourceConfig> scratchSources = new ConfigLoader(Map.of()).load(yaml.toString()).sources();
    HooklineConfig.Http http = config.http();
    HooklineConfig.Redis redis = config.redis();
    HooklineConfig.Tracing tracing = config.tracing();
    return new HooklineConfig(
        new HooklineConfig.Http("127.0.0.1", 0, http.maxBodyBytes(), http.instances(), List.of(), http.idleTimeout(),
            http.drainQuiet(), Duration.ZERO),
        new HooklineConfig.Management("127.0.0.1", 0, null, null, config.management().replayRate(),
            config.management().requestLog()),
        new HooklineConfig.Redis(redis.url(), redis.keyPrefix() + "warmup:" + run + ":", redis.timeout(), redis.type(),
            redis.urls(), redis.master()),
        new HooklineConfig.Postgres(config.postgres().url(), schema, config.postgres().poolSize()),
        config.store(), config.storage(), config.delivery(), config.log(), config.metrics(), config.retention(),
        new HooklineConfig.Tracing(null, tracing.sampleRatio(), tracing.serviceName(), tracing.exportDelay()),
        "warmup-" + run, config.dataDir(), scratchSources);
  }

  /** CONNECTIONS senders, each POSTing its next event as soon as the last is answered, until the time is up. */
  private static final class Traffic {
    private final HttpClient client;
    private final int port;
    private final List<Source> sources;
    private final long deadline;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Set<String> acceptedProviders = ConcurrentHashMap.newKeySet();
    private final AtomicLong running = new AtomicLong(CONNECTIONS);
    private final Promise<Void> done = Promise.promise();

    Traffic(Vertx driver, int port, List<Source> sources, Duration length) {
      this.client = driver.createHttpClient(new HttpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(CONNECTIONS));
      this.port = port;
      this.sources = sources;
      this.deadline = System.nanoTime() + length.toNanos();
    }

    Future<Void> run() {
      for (int i = 0; i < CONNECTIONS; i++) {
        next();
      }
      return done.future().eventually(client::close);
    }

    private void next() {
      if (System.nanoTime() - deadline >= 0) {
        senderDone(null);
        return;
      }
      long n = sent.incrementAndGet();
      // The last source is the delivered one: 1 event in DELIVERED_EVERY; the others take turns.
      Source source = n % DELIVERED_EVERY == 0 ? sources.get(sources.size() - 1)
          : sources.get((int) (n % (sources.size() - 1)));
      String eventId = "evt_warmup_" + n;
      String base = "http://127.0.0.1:" + port;
      SignedEvent signed = sign(source, base, eventId, System.currentTimeMillis() / 1000);
      // The signed URL may carry a query (Twilio's bodySHA256, an API key): post to it as signed.
      String uri = signed.url() != null && signed.url().startsWith(base + "/") ? signed.url().substring(base.length())
          : "/webhooks/" + source.id();
      byte[] body = signed.body();
      RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
          .setURI(uri).putHeader("Content-Type", signed.contentType());
      signed.headers().forEach(request::putHeader);
      client.request(request)
          .compose(req -> req.send(Buffer.buffer(body)))
          .compose(resp -> resp.body().map(b -> resp.statusCode()))
          .onComplete(ar -> {
            if (ar.failed()) {
              senderDone(ar.cause()); // the scratch node is not answering: stop rather than spin until the deadline
              return;
            }
            if (ar.result() / 100 == 2) {
              accepted.incrementAndGet();
              acceptedProviders.add(source.provider());
            } else if (refused.getAndIncrement() == 0) {
              LOG.warn("warm-up: the scratch node answered {} to a {} event (warm-up events should be accepted)",
                  ar.result(), source.provider());
            }
            next();
          });
    }

    private void senderDone(Throwable err) {
      if (running.decrementAndGet() == 0) {
        if (err == null) {
          done.tryComplete();
        } else {
          done.tryFail(err);
        }
      }
    }
  }

  private static Future<Void> dropSchema(Vertx driver, String postgresUrl, String schema) {
    PgConnectOptions connect = PgConnectOptions.fromUri(postgresUrl);
    connect.addProperty("client_min_messages", "warning"); // no NOTICE per dropped table in the log
    return PgConnection.connect(driver, connect)
        .compose(c -> c.query("DROP SCHEMA IF EXISTS " + schema + " CASCADE").execute()
            .eventually(c::close))
        .mapEmpty();
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
