package io.hookline.config;

import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import java.time.Duration;
import java.util.List;

/**
 * Every configuration key, declared once: name, type and validation, default, secret or not, and
 * what it means. {@link ConfigLoader} binds from these, {@code HOOKLINE_...} overrides and
 * {@link HooklineConfig#describe()} follow them, and the reference table in docs/configuration.md is
 * {@link #markdownTable()} (a test keeps the two equal).
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  static final Section ROOT = new Section("", "HOOKLINE_");
  static final Section HTTP = new Section("http", "HOOKLINE_HTTP_");
  static final Section MANAGEMENT = new Section("management", "HOOKLINE_MANAGEMENT_");
  static final Section REQUEST_LOG = new Section("management.requestLog", "HOOKLINE_MANAGEMENT_REQUEST_LOG_");
  static final Section REDIS = new Section("redis", "HOOKLINE_REDIS_");
  static final Section POSTGRES = new Section("postgres", "HOOKLINE_POSTGRES_");
  static final Section STORE = new Section("store", "HOOKLINE_STORE_");
  static final Section STORAGE = new Section("storage", "HOOKLINE_STORAGE_");
  static final Section DELIVERY = new Section("delivery", "HOOKLINE_DELIVERY_");
  static final Section LOG = new Section("log", "HOOKLINE_LOG_");
  static final Section METRICS = new Section("metrics", "HOOKLINE_METRICS_");
  static final Section RETENTION = new Section("retention", "HOOKLINE_RETENTION_");
  static final Section TRACING = new Section("tracing", "HOOKLINE_TRACING_");
  static final Section SOURCES = new Section("sources[]", "HOOKLINE_SOURCES_<ID>_");
  static final Section DESTINATIONS = new Section("sources[].destinations[]", null);
  static final Section CIRCUIT_BREAKER = new Section("sources[].destinations[].circuitBreaker", null);
  static final Section KAFKA = new Section("sources[].destinations[].kafka", null);
  static final Section KAFKA_TLS = new Section("sources[].destinations[].kafka.tls", null);
  static final Section KAFKA_SASL = new Section("sources[].destinations[].kafka.sasl", null);
  static final Section RABBITMQ = new Section("sources[].destinations[].rabbitmq", null);
  static final Section NATS = new Section("sources[].destinations[].nats", null);
  static final Section REDIS_STREAM = new Section("sources[].destinations[].redisStream", null);

  static final Section TRANSFORM = new Section("sources[].destinations[].transform", null);

  /** Every section, in reference-table order; the sections of {@link #ROOT} that are mappings come first. */
  public static final List<Section> ALL =
      List.of(HTTP, MANAGEMENT, REQUEST_LOG, REDIS, POSTGRES, STORE, STORAGE, DELIVERY, LOG, METRICS, RETENTION, TRACING, ROOT,
          SOURCES, DESTINATIONS, CIRCUIT_BREAKER, TRANSFORM, KAFKA, KAFKA_TLS, KAFKA_SASL, RABBITMQ, NATS, REDIS_STREAM);

  private static final long MAX_BODY = 64L * 1024 * 1024;

  // ------------------------------------------------------------------ http
  static final Key<HooklineConfig.Http, String> HTTP_HOST = HTTP.key("host", KeyType.string(), "0.0.0.0",
      "interface the public port listens on", HooklineConfig.Http::host);
  static final Key<HooklineConfig.Http, Integer> HTTP_PORT = HTTP.key("port", KeyType.port(), 8080,
      "public webhooks port", HooklineConfig.Http::port);
  static final Key<HooklineConfig.Http, Long> HTTP_MAX_BODY_BYTES = HTTP.key("maxBodyBytes", KeyType.size(1, MAX_BODY),
      1_048_576L, "larger bodies get 413 before more than the limit is read (Content-Length first, chunked bodies stopped at the limit)",
      HooklineConfig.Http::maxBodyBytes);
  static final Key<HooklineConfig.Http, Integer> HTTP_INSTANCES = HTTP.key("instances", KeyType.integer(1, 256),
      () -> Runtime.getRuntime().availableProcessors(), "cores", "ingest verticles, one per event loop",
      HooklineConfig.Http::instances);
  static final Key<HooklineConfig.Http, List<String>> HTTP_TRUSTED_PROXIES = HTTP.structured("trustedProxies",
      "list of addresses (env: comma-separated)", "none", true, false,
      "addresses whose `X-Forwarded-Proto/Host/Port` are believed (Twilio URL signing behind a load balancer)",
      HooklineConfig.Http::trustedProxies);
  static final Key<HooklineConfig.Http, Duration> HTTP_IDLE_TIMEOUT = HTTP.key("idleTimeout", KeyType.duration(),
      Duration.ofSeconds(60), "idle keep-alive connections are closed after it", HooklineConfig.Http::idleTimeout);
  static final Key<HooklineConfig.Http, Duration> HTTP_DRAIN_QUIET = HTTP.key("drainQuiet", KeyType.duration(),
      Duration.ofMillis(250), "a draining node closes its listener once no webhook has arrived for this long",
      HooklineConfig.Http::drainQuiet);
  static final Key<HooklineConfig.Http, Duration> HTTP_WARMUP_SECONDS = HTTP.key("warmupSeconds", KeyType.seconds(0, 120),
      Duration.ofSeconds(6), "before the node listens: this long of signed webhooks through an in-process scratch node"
          + " (own schema, dropped after; local sink) so /health/ready turns 200 with the hot path compiled; 0 = off",
      HooklineConfig.Http::warmupSeconds);

  // ------------------------------------------------------------------ management
  static final Key<HooklineConfig.Management, String> MANAGEMENT_HOST = MANAGEMENT.key("host", KeyType.string(),
      "0.0.0.0", "interface the management port listens on", HooklineConfig.Management::host);
  static final Key<HooklineConfig.Management, Integer> MANAGEMENT_PORT = MANAGEMENT.key("port", KeyType.port(), 9090,
      "metrics, health and admin port", HooklineConfig.Management::port);
  static final Key<HooklineConfig.Management, Secret> MANAGEMENT_ADMIN_TOKEN = MANAGEMENT.secret("adminToken",
      KeyType.secret(), "bearer token of the admin API; unset = admin API and console off (404)",
      HooklineConfig.Management::adminToken);
  static final Key<HooklineConfig.Management, Secret> MANAGEMENT_READ_TOKEN = MANAGEMENT.secret("readToken",
      KeyType.secret(), "bearer token for read-only use of the admin API (every GET) and console; needs adminToken",
      HooklineConfig.Management::readToken);
  static final Key<HooklineConfig.Management, Integer> MANAGEMENT_REPLAY_RATE = MANAGEMENT.key("replayRate",
      KeyType.integer(1, 1_000_000), 500, "deliveries per second a bulk replay starts, at most",
      HooklineConfig.Management::replayRate);
  static final Key<HooklineConfig.RequestLog, Integer> REQUEST_LOG_PER_MINUTE = REQUEST_LOG.key("perMinute",
      KeyType.integer(0, 1_000_000), 60,
      "refused requests stored per source and reason per node per minute (the rest only counted); 0 = none stored",
      HooklineConfig.RequestLog::perMinute);
  static final Key<HooklineConfig.RequestLog, Duration> REQUEST_LOG_RETENTION = REQUEST_LOG.key("retention",
      KeyType.duration(), Duration.ofDays(7), "stored refused requests are dropped (a day's partition at a time) after this",
      HooklineConfig.RequestLog::retention);

  // ------------------------------------------------------------------ redis / postgres
  /** The three ways of reaching Redis (SPEC, Scale-out). */
  public static final String REDIS_STANDALONE = "standalone";
  public static final String REDIS_CLUSTER = "cluster";
  public static final String REDIS_SENTINEL = "sentinel";
  static final KeyType<String> REDIS_URL_TYPE = KeyType.url("redis", "rediss", "unix");
  static final Key<HooklineConfig.Redis, String> REDIS_TYPE = REDIS.key("type",
      KeyType.oneOf(REDIS_STANDALONE, REDIS_CLUSTER, REDIS_SENTINEL), REDIS_STANDALONE,
      "`standalone`: one server at `redis.url`; `cluster`: a Redis Cluster, seed nodes in `redis.urls`; "
          + "`sentinel`: the master `redis.master` found through the sentinels in `redis.urls`",
      HooklineConfig.Redis::type);
  static final Key<HooklineConfig.Redis, String> REDIS_URL = REDIS.key("url", REDIS_URL_TYPE,
      null, "type standalone: set both `redis.url` and `postgres.url` for production, neither for embedded development mode; one alone is an error",
      HooklineConfig.Redis::url);
  static final Key<HooklineConfig.Redis, List<String>> REDIS_URLS = REDIS.urlList("urls", REDIS_URL_TYPE,
      "type cluster: some of the cluster's nodes (the rest are discovered); type sentinel: the sentinels",
      HooklineConfig.Redis::urls);
  static final Key<HooklineConfig.Redis, String> REDIS_MASTER = REDIS.key("master", KeyType.string(), null,
      "type sentinel: the master's name in the sentinels' `sentinel monitor` line", HooklineConfig.Redis::master);
  static final Key<HooklineConfig.Redis, String> REDIS_KEY_PREFIX = REDIS.key("keyPrefix", KeyType.string(),
      "hookline:", "prefix of every dedup key", HooklineConfig.Redis::keyPrefix);
  static final Key<HooklineConfig.Redis, Duration> REDIS_TIMEOUT = REDIS.key("timeout", KeyType.duration(),
      Duration.ofMillis(500), "past it the dedup check is skipped and PostgreSQL's unique key decides",
      HooklineConfig.Redis::timeout);
  static final Key<HooklineConfig.Postgres, String> POSTGRES_URL = POSTGRES.key("url",
      KeyType.url("postgresql", "postgres"), null, "see `redis.url`; never falls back silently", HooklineConfig.Postgres::url);
  static final Key<HooklineConfig.Postgres, String> POSTGRES_SCHEMA = POSTGRES.key("schema",
      KeyType.matching("[a-z_][a-z0-9_]{0,62}", "a lower-case SQL identifier ([a-z_][a-z0-9_]*)"), "hookline",
      "schema of Hookline's tables (migrated at start-up)", HooklineConfig.Postgres::schema);
  static final Key<HooklineConfig.Postgres, Integer> POSTGRES_POOL_SIZE = POSTGRES.key("poolSize",
      KeyType.integer(2, 4), 4,
      "connections of each delivery verticle's pool (claims are serial per verticle and results are group-committed, so a few suffice)",
      HooklineConfig.Postgres::poolSize);

  // ------------------------------------------------------------------ store
  static final Key<HooklineConfig.Store, Integer> STORE_MAX_BATCH = STORE.key("maxBatch", KeyType.integer(1, 10_000),
      256, "events per group commit", HooklineConfig.Store::maxBatch);
  static final Key<HooklineConfig.Store, Integer> STORE_QUEUE_CAPACITY = STORE.key("queueCapacity",
      KeyType.integer(1, 1_000_000), 1024,
      "events waiting for a commit, per event loop; beyond it 503 + `Retry-After` (about 1 s of commits on a small machine)",
      HooklineConfig.Store::queueCapacity);
  static final Key<HooklineConfig.Store, Integer> STORE_MAX_BATCHES_IN_FLIGHT = STORE.key("maxBatchesInFlight",
      KeyType.integer(1, 64), 1,
      "commits under way per event loop; while they run, new events queue for the next, larger batch "
          + "(1: measured faster than 2 at 8 and 64 connections, docs/performance.md)",
      HooklineConfig.Store::maxBatchesInFlight);
  static final Key<HooklineConfig.Store, Duration> STORE_RETRY_AFTER = STORE.key("retryAfter", KeyType.duration(),
      Duration.ofSeconds(2), "the `Retry-After` sent with 503", HooklineConfig.Store::retryAfter);
  static final Key<HooklineConfig.Store, Duration> STORE_COMMIT_TIMEOUT = STORE.key("commitTimeout", KeyType.duration(),
      Duration.ofSeconds(10), "a group commit not done by then fails its events with 503",
      HooklineConfig.Store::commitTimeout);

  // ------------------------------------------------------------------ storage
  static final Key<HooklineConfig.Storage, Duration> STORAGE_PARTITION = STORAGE.key("partition",
      KeyType.duration(Duration.ofMinutes(1), Duration.ofDays(1)), Duration.ofHours(1),
      "time span of one partition of events, deliveries and attempts; retention drops whole partitions (docs/storage.md)",
      HooklineConfig.Storage::partition);

  // ------------------------------------------------------------------ delivery
  static final Key<HooklineConfig.Delivery, Integer> DELIVERY_INSTANCES = DELIVERY.key("instances",
      KeyType.integer(1, 64), 2, "delivery verticles per node (event-loop contexts of their own; all their I/O is asynchronous)", HooklineConfig.Delivery::instances);
  static final Key<HooklineConfig.Delivery, Duration> DELIVERY_POLL_INTERVAL = DELIVERY.key("pollInterval",
      KeyType.duration(), Duration.ofSeconds(1), "how often workers look for due deliveries in PostgreSQL",
      HooklineConfig.Delivery::pollInterval);
  static final Key<HooklineConfig.Delivery, Duration> DELIVERY_LEASE = DELIVERY.key("lease", KeyType.duration(),
      Duration.ofSeconds(60), "claim lease (at least the destination timeout + 5 s is used); a handed-off delivery is leased from its commit",
      HooklineConfig.Delivery::lease);
  static final Key<HooklineConfig.Delivery, Integer> DELIVERY_MAX_IN_FLIGHT = DELIVERY.key("maxInFlight",
      KeyType.integer(1, 100_000), 256, "concurrent delivery attempts per node, all destinations",
      HooklineConfig.Delivery::maxInFlight);
  static final Key<HooklineConfig.Delivery, Integer> DELIVERY_POLL_BATCH = DELIVERY.key("pollBatch",
      KeyType.integer(1, 10_000), 100, "deliveries claimed per poll", HooklineConfig.Delivery::pollBatch);
  static final Key<HooklineConfig.Delivery, Duration> DELIVERY_DRAIN_TIMEOUT = DELIVERY.key("drainTimeout",
      KeyType.duration(), Duration.ofSeconds(20), "bound on the graceful stop", HooklineConfig.Delivery::drainTimeout);
  static final Key<HooklineConfig.Delivery, Duration> DELIVERY_RESULT_LINGER = DELIVERY.key("resultLinger",
      KeyType.duration(), Duration.ofMillis(10),
      "at most this long a finished attempt's result waits to share its write-back (one statement) with others; "
          + "the destination's permit is free already, only the lease waits",
      HooklineConfig.Delivery::resultLinger);
  static final Key<HooklineConfig.Delivery, Integer> DELIVERY_HANDOFF_CAPACITY = DELIVERY.key("handoffCapacity",
      KeyType.integer(0, 1_000_000), 4096,
      "committed deliveries handed to this node's workers in memory, at most (0: always claim from PostgreSQL)",
      HooklineConfig.Delivery::handoffCapacity);

  // ------------------------------------------------------------------ log / metrics / retention
  static final Key<HooklineConfig.Log, String> LOG_FORMAT = LOG.key("format", KeyType.oneOf("text", "json"), "text",
      "log line format", HooklineConfig.Log::format);
  static final Key<HooklineConfig.Log, String> LOG_LEVEL = LOG.key("level",
      KeyType.oneOf("trace", "debug", "info", "warn", "error"), "info", "log level", HooklineConfig.Log::level);
  static final Key<HooklineConfig.Metrics, String> METRICS_MODE = METRICS.key("mode",
      KeyType.oneOf("default", "full", "vertx-off", "off"), "default",
      "which meters are recorded (docs/operations.md, Metrics): `full` adds Vert.x per-request meters, `off` records none",
      HooklineConfig.Metrics::mode);
  static final Key<HooklineConfig.Metrics, Duration> METRICS_DEAD_REFRESH = METRICS.key("deadRefresh",
      KeyType.duration(), Duration.ofSeconds(10),
      "how often `hookline_deliveries_dead` and `hookline_deliveries_oldest_pending_seconds` are read from PostgreSQL",
      HooklineConfig.Metrics::deadRefresh);
  static final Key<HooklineConfig.Retention, Duration> RETENTION_DELIVERED = RETENTION.key("delivered",
      KeyType.duration(), Duration.ofDays(30), "events whose deliveries all finished are deleted after this",
      HooklineConfig.Retention::delivered);
  static final Key<HooklineConfig.Retention, Duration> RETENTION_DEAD = RETENTION.key("dead", KeyType.duration(),
      Duration.ofDays(90), "events with a dead delivery are deleted after this", HooklineConfig.Retention::dead);
  static final Key<HooklineConfig.Retention, Duration> RETENTION_INTERVAL = RETENTION.key("interval", KeyType.duration(),
      Duration.ofSeconds(60), "how often a node runs a retention pass (creates partitions ahead, drops expired ones)",
      HooklineConfig.Retention::interval);
  static final Key<HooklineConfig.Retention, Integer> RETENTION_BATCH = RETENTION.key("batch", KeyType.integer(1, 100_000),
      500, "events deleted per transaction where retention deletes rows (the default partition; expired dedup keys)",
      HooklineConfig.Retention::batch);

  // ------------------------------------------------------------------ tracing
  static final Key<HooklineConfig.Tracing, String> TRACING_OTLP_ENDPOINT = TRACING.key("otlpEndpoint",
      KeyType.url("http", "https"), null,
      "OTLP/HTTP collector base URL (spans go to `<url>/v1/traces`); unset = tracing off, no OpenTelemetry code on the hot path",
      HooklineConfig.Tracing::otlpEndpoint);
  static final Key<HooklineConfig.Tracing, Double> TRACING_SAMPLE_RATIO = TRACING.key("sampleRatio",
      KeyType.ratio(), 1.0, "share of new traces recorded (a provider's sampled `traceparent` is followed)",
      HooklineConfig.Tracing::sampleRatio);
  static final Key<HooklineConfig.Tracing, String> TRACING_SERVICE_NAME = TRACING.key("serviceName",
      KeyType.string(), "hookline", "the `service.name` resource attribute (`service.instance.id` is `nodeId`)",
      HooklineConfig.Tracing::serviceName);
  static final Key<HooklineConfig.Tracing, Duration> TRACING_EXPORT_DELAY = TRACING.key("exportDelay",
      KeyType.duration(), Duration.ofSeconds(5), "spans are batched and exported in the background this often",
      HooklineConfig.Tracing::exportDelay);

  // ------------------------------------------------------------------ top level
  static final Key<HooklineConfig, String> NODE_ID = ROOT.key("nodeId",
      KeyType.matching("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}", "1-128 letters, digits, '_', '.', ':', '-'"),
      HooklineConfig::defaultNodeId, "host name + random", "this node's id in delivery leases (a restart under the same id takes its leases back at once)",
      HooklineConfig::nodeId);
  static final Key<HooklineConfig, String> DATA_DIR = ROOT.key("dataDir", KeyType.string(), "hookline-data",
      "embedded development mode only: where the embedded PostgreSQL keeps its data", HooklineConfig::dataDir);

  // ------------------------------------------------------------------ sources[]
  static final String SOURCE_ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}";
  static final Key<SourceConfig, String> SOURCE_ID = SOURCES.structured("id", "1-64 letters, digits, `_.-`", "required",
      false, false, "URL path segment: `POST /webhooks/{id}`", SourceConfig::id);
  // Which names exist is the provider registry's (verify.provider.Providers, docs/providers.md): it refuses an
  // unknown one, naming this field, when the source's verifier is built right after loading.
  static final Key<SourceConfig, String> SOURCE_PROVIDER = SOURCES.key("provider",
      KeyType.of("a provider name (docs/providers.md)", p -> {
        String v = p.trim().toLowerCase(java.util.Locale.ROOT);
        if (!v.matches("[a-z][a-z0-9_-]{0,63}")) {
          throw new IllegalArgumentException("'" + p + "' is not a provider name (docs/providers.md)");
        }
        return v;
      }), null, "signature scheme (docs/providers.md); required", SourceConfig::provider);
  static final Key<SourceConfig, List<Secret>> SOURCE_SECRETS = SOURCES.structured("secrets",
      "list of secrets (string or `{value, notAfter}`; env: comma-separated)", "required", true, true,
      "several = rotation, any may match; none = start-up error (fail closed)", SourceConfig::secrets);
  static final Key<SourceConfig, Duration> SOURCE_TOLERANCE = SOURCES.key("toleranceSeconds",
      KeyType.seconds(1, 86_400), () -> null, "the provider's (300; `twitch`, `box` 600, `calendly` 180, `linear` 60)",
      "replay window for providers that sign a timestamp (both ways)", SourceConfig::tolerance);
  static final Key<SourceConfig, Duration> SOURCE_DEDUP_TTL = SOURCES.key("dedupTtl", KeyType.duration(),
      Duration.ofHours(72), "how long Redis remembers an event id", SourceConfig::dedupTtl);
  static final Key<SourceConfig, Long> SOURCE_MAX_BODY_BYTES = SOURCES.key("maxBodyBytes",
      KeyType.size(1, MAX_BODY), () -> null, "`http.maxBodyBytes`", "this source's body limit", SourceConfig::maxBodyBytes);
  static final Key<SourceConfig, List<DestinationConfig>> SOURCE_DESTINATIONS = SOURCES.structured("destinations",
      "list of destinations", "none", false, false, "where its events are delivered", SourceConfig::destinations);
  /** The provider's own options live under a key named after the provider ({@code hmac: {...}}). */
  static final String PROVIDER_OPTIONS = "<provider>";
  static final Key<SourceConfig, Object> SOURCE_PROVIDER_OPTIONS = SOURCES.structured(PROVIDER_OPTIONS,
      "mapping", "none", false, false, "options of that provider (docs/providers.md), e.g. `hmac: {header: X-Signature}`",
      s -> s.providerOptions().isEmpty() ? null : s.providerOptions().keySet());

  // ------------------------------------------------------------------ sources[].destinations[]
  static final Key<DestinationConfig, String> DESTINATION_ID = DESTINATIONS.key("id",
      KeyType.matching(SOURCE_ID_PATTERN, "1-64 characters of letters, digits, '_', '.', '-'"), () -> null,
      "d0, d1, ...", "used in metrics and the delivery tables", DestinationConfig::id);
  static final Key<DestinationConfig, String> DESTINATION_URL = DESTINATIONS.key("url", KeyType.url("http", "https"),
      null, "where events are POSTed; a destination has exactly one of `url`, `kafka`, `rabbitmq`, `nats`, `redisStream`",
      DestinationConfig::url);
  static final Key<DestinationConfig, Duration> DESTINATION_TIMEOUT = DESTINATIONS.key("timeout", KeyType.duration(),
      Duration.ofSeconds(10), "one attempt's bound", DestinationConfig::timeout);
  static final Key<DestinationConfig, Integer> DESTINATION_MAX_ATTEMPTS = DESTINATIONS.key("maxAttempts",
      KeyType.integer(1, 100), 8, "then the delivery is dead (dead-letter)", DestinationConfig::maxAttempts);
  static final Key<DestinationConfig, Secret> DESTINATION_SIGNING_SECRET = DESTINATIONS.secret("signingSecret",
      KeyType.whsecSecret(), "optional `whsec_...`: re-sign to the destination (Standard Webhooks)",
      DestinationConfig::signingSecret);
  static final Key<DestinationConfig, Duration> DESTINATION_INITIAL_BACKOFF = DESTINATIONS.key("initialBackoff",
      KeyType.duration(), Duration.ofSeconds(1), "first retry delay (exponential, with jitter)",
      DestinationConfig::initialBackoff);
  static final Key<DestinationConfig, Duration> DESTINATION_MAX_BACKOFF = DESTINATIONS.key("maxBackoff",
      KeyType.duration(), Duration.ofHours(1), "longest retry delay (>= initialBackoff)", DestinationConfig::maxBackoff);
  static final Key<DestinationConfig, Integer> DESTINATION_MAX_IN_FLIGHT = DESTINATIONS.key("maxInFlight",
      KeyType.integer(1, 10_000), 32, "concurrent attempts to this destination, per node", DestinationConfig::maxInFlight);

  static final Key<DestinationConfig, List<String>> DESTINATION_EVENT_TYPES = DESTINATIONS.structured("eventTypes",
      "list of glob patterns (`*` = any run of characters)", "every event", false, false,
      "only events whose type matches one of them are delivered here (docs/delivery.md, Routing); events without a type only go to destinations without `eventTypes`",
      d -> d.eventTypes().isEmpty() ? null : d.eventTypes());
  static final Key<DestinationConfig, HooklineConfig.RateLimit> DESTINATION_RATE_LIMIT = DESTINATIONS.key("rateLimit",
      KeyType.rate(), null, "attempts to this destination, all nodes together (docs/delivery.md, Rate limits)",
      DestinationConfig::rateLimit);
  static final Key<DestinationConfig, HooklineConfig.CircuitBreaker> DESTINATION_CIRCUIT_BREAKER =
      DESTINATIONS.structured("circuitBreaker", "mapping", "none", false, false,
          "open the circuit after consecutive failures (docs/delivery.md, Circuit breaking)", DestinationConfig::circuitBreaker);

  static final Key<DestinationConfig, String> DESTINATION_FILTER = DESTINATIONS.key("filter", KeyType.string(), null,
      "CEL expression; only events for which it is true (and that match `eventTypes`) are delivered here; an error counts as false (docs/filters-and-transforms.md)",
      DestinationConfig::filter);
  static final Key<DestinationConfig, HooklineConfig.Transform> DESTINATION_TRANSFORM = DESTINATIONS.structured("transform",
      "mapping", "none", false, false,
      "rewrite what is sent: `body`, `headers`, `path` as CEL expressions (docs/filters-and-transforms.md)",
      DestinationConfig::transform);
  static final Key<DestinationConfig, HooklineConfig.Broker> DESTINATION_KAFKA = DESTINATIONS.structured("kafka",
      "mapping", "none", false, false, "publish to a Kafka topic instead of a URL (docs/brokers.md)",
      d -> d.broker() instanceof HooklineConfig.Kafka k ? k : null);
  static final Key<DestinationConfig, HooklineConfig.Broker> DESTINATION_RABBITMQ = DESTINATIONS.structured("rabbitmq",
      "mapping", "none", false, false, "publish to a RabbitMQ exchange instead of a URL (docs/brokers.md)",
      d -> d.broker() instanceof HooklineConfig.RabbitMq r ? r : null);
  static final Key<DestinationConfig, HooklineConfig.Broker> DESTINATION_NATS = DESTINATIONS.structured("nats",
      "mapping", "none", false, false, "publish to NATS JetStream instead of a URL (docs/brokers.md)",
      d -> d.broker() instanceof HooklineConfig.Nats n ? n : null);
  static final Key<DestinationConfig, HooklineConfig.Broker> DESTINATION_REDIS_STREAM = DESTINATIONS.structured(
      "redisStream", "mapping", "none", false, false, "append to a Redis stream instead of a URL (docs/brokers.md)",
      d -> d.broker() instanceof HooklineConfig.RedisStream r ? r : null);
  /** The broker keys, in the order a config error lists them. */
  static final List<Key<DestinationConfig, HooklineConfig.Broker>> DESTINATION_BROKERS =
      List.of(DESTINATION_KAFKA, DESTINATION_RABBITMQ, DESTINATION_NATS, DESTINATION_REDIS_STREAM);

  // ------------------------------------------------------------------ sources[].destinations[].circuitBreaker
  static final Key<HooklineConfig.CircuitBreaker, Integer> CIRCUIT_FAILURES = CIRCUIT_BREAKER.key("failures",
      KeyType.integer(1, 100_000), 20, "consecutive failed attempts (all nodes) that open the circuit",
      HooklineConfig.CircuitBreaker::failures);
  static final Key<HooklineConfig.CircuitBreaker, Duration> CIRCUIT_COOLDOWN = CIRCUIT_BREAKER.key("cooldown",
      KeyType.duration(), Duration.ofSeconds(60), "while open, one probe attempt per cooldown",
      HooklineConfig.CircuitBreaker::cooldown);

  // ------------------------------------------------------------------ sources[].destinations[].transform
  static final Key<HooklineConfig.Transform, String> TRANSFORM_BODY = TRANSFORM.key("body", KeyType.string(), null,
      "CEL expression; its value is sent as JSON (`application/json`) instead of the original body; unset = original bytes",
      HooklineConfig.Transform::body);
  static final Key<HooklineConfig.Transform, java.util.Map<String, String>> TRANSFORM_HEADERS = TRANSFORM.structured("headers",
      "mapping of header name to CEL expression", "none", false, false,
      "extra request headers (broker message headers); the delivery's own headers (`webhook-*`, `content-type`, ...) cannot be replaced",
      HooklineConfig.Transform::headers);
  static final Key<HooklineConfig.Transform, String> TRANSFORM_PATH = TRANSFORM.key("path", KeyType.string(), null,
      "CEL expression; a string appended to the destination URL's path", HooklineConfig.Transform::path);

  /** Header names a transform may not set: the delivery's own, and the ones the HTTP client owns. */
  public static final java.util.Set<String> RESERVED_TRANSFORM_HEADERS = java.util.Set.of("webhook-id", "webhook-timestamp",
      "webhook-signature", "hookline-source", "hookline-attempt", "hookline-type", "traceparent", "content-type",
      "content-length", "host", "transfer-encoding", "connection", "user-agent");

  // ------------------------------------------------------------------ broker destinations
  static final Key<HooklineConfig.Kafka, String> KAFKA_BOOTSTRAP = KAFKA.key("bootstrap",
      KeyType.matching("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*", "host:port, comma-separated"), null,
      "the brokers to bootstrap from; required", HooklineConfig.Kafka::bootstrap);
  static final Key<HooklineConfig.Kafka, String> KAFKA_TOPIC = KAFKA.key("topic", KeyType.string(), null,
      "the topic (it must exist: a missing topic is a failed attempt); required", HooklineConfig.Kafka::topic);
  static final Key<HooklineConfig.Kafka, String> KAFKA_KEY = KAFKA.key("key", KeyType.string(), null,
      "CEL expression for the record key; unset: source + \":\" + provider event id", HooklineConfig.Kafka::key);
  static final Key<HooklineConfig.Kafka, HooklineConfig.KafkaTls> KAFKA_TLS_SETTINGS = KAFKA.structured("tls", "mapping",
      "plaintext", false, false, "connect over TLS (`security.protocol=SSL`, with `sasl` `SASL_SSL`), server certificate and host name verified "
          + "(docs/brokers.md, Kafka over TLS)", HooklineConfig.Kafka::tls);
  static final Key<HooklineConfig.KafkaTls, String> KAFKA_TLS_CA_FILE = KAFKA_TLS.key("caFile", KeyType.string(), null,
      "PEM file of the CA certificates that sign the brokers' certificates; unset: the JVM's default trust store",
      HooklineConfig.KafkaTls::caFile);
  static final Key<HooklineConfig.KafkaTls, String> KAFKA_TLS_CERT_FILE = KAFKA_TLS.key("certFile", KeyType.string(), null,
      "PEM file of this client's certificate chain, for brokers that require client authentication; needs `key`",
      HooklineConfig.KafkaTls::certFile);
  static final Key<HooklineConfig.KafkaTls, Secret> KAFKA_TLS_KEY = KAFKA_TLS.secret("key", KeyType.secret(),
      "the client certificate's private key, PKCS#8 PEM (usually `file:PATH`); needs `certFile`",
      HooklineConfig.KafkaTls::key);
  static final Key<HooklineConfig.KafkaTls, Secret> KAFKA_TLS_KEY_PASSWORD = KAFKA_TLS.secret("keyPassword", KeyType.secret(),
      "the password of an encrypted `key`", HooklineConfig.KafkaTls::keyPassword);
  static final Key<HooklineConfig.Kafka, HooklineConfig.KafkaSasl> KAFKA_SASL_SETTINGS = KAFKA.structured("sasl", "mapping",
      "none", false, false, "authenticate with SASL: `security.protocol=SASL_SSL` with `tls`, `SASL_PLAINTEXT` without "
          + "(docs/brokers.md, Kafka with SASL)", HooklineConfig.Kafka::sasl);
  static final Key<HooklineConfig.KafkaSasl, String> KAFKA_SASL_MECHANISM = KAFKA_SASL.key("mechanism",
      KeyType.of(String.join(" \\| ", HooklineConfig.KafkaSasl.MECHANISMS), text -> {
        String v = text.trim().toUpperCase(java.util.Locale.ROOT);
        if (!HooklineConfig.KafkaSasl.MECHANISMS.contains(v)) {
          throw new IllegalArgumentException("must be one of " + HooklineConfig.KafkaSasl.MECHANISMS + ", got '" + text + "'");
        }
        return v;
      }), null, "the SASL mechanism the brokers accept (Confluent Cloud: PLAIN; MSK: SCRAM-SHA-512); required",
      HooklineConfig.KafkaSasl::mechanism);
  static final Key<HooklineConfig.KafkaSasl, String> KAFKA_SASL_USERNAME = KAFKA_SASL.key("username", KeyType.string(), null,
      "the user name (Confluent Cloud: the API key); required", HooklineConfig.KafkaSasl::username);
  static final Key<HooklineConfig.KafkaSasl, Secret> KAFKA_SASL_PASSWORD = KAFKA_SASL.secret("password", KeyType.secret(),
      "the password (Confluent Cloud: the API secret), usually `${VAR}` or `file:PATH`; required",
      HooklineConfig.KafkaSasl::password);
  static final Key<HooklineConfig.RabbitMq, String> RABBITMQ_URL = RABBITMQ.key("url", KeyType.url("amqp", "amqps"), null,
      "`amqp://user:password@host:5672/vhost`; required (password masked when shown)", r -> r.url().value());
  static final Key<HooklineConfig.RabbitMq, String> RABBITMQ_EXCHANGE = RABBITMQ.key("exchange", KeyType.string(), "",
      "the exchange (\"\" = the default exchange, which routes to the queue named by the routing key)",
      HooklineConfig.RabbitMq::exchange);
  static final Key<HooklineConfig.RabbitMq, String> RABBITMQ_ROUTING_KEY = RABBITMQ.key("routingKey", KeyType.string(), null,
      "CEL expression for the routing key; unset: source + \":\" + provider event id", HooklineConfig.RabbitMq::routingKey);
  static final Key<HooklineConfig.Nats, String> NATS_URL = NATS.key("url", KeyType.url("nats", "tls"), null,
      "`nats://host:4222`; required (password masked when shown)", n -> n.url().value());
  static final Key<HooklineConfig.Nats, String> NATS_SUBJECT = NATS.key("subject", KeyType.string(), null,
      "CEL expression for the subject (a JetStream stream must capture it); required", HooklineConfig.Nats::subject);
  static final Key<HooklineConfig.RedisStream, String> REDIS_STREAM_URL = REDIS_STREAM.key("url",
      KeyType.url("redis", "rediss"), null, "the Redis server; required (password masked when shown)", r -> r.url().value());
  static final Key<HooklineConfig.RedisStream, String> REDIS_STREAM_STREAM = REDIS_STREAM.key("stream", KeyType.string(),
      null, "the stream's key; required", HooklineConfig.RedisStream::stream);
  static final Key<HooklineConfig.RedisStream, Long> REDIS_STREAM_MAX_LEN = REDIS_STREAM.key("maxLen",
      KeyType.size(1, Long.MAX_VALUE), null, "XADD MAXLEN ~ (approximate trim); unset: unbounded",
      HooklineConfig.RedisStream::maxLen);

  /** The configuration reference (docs/configuration.md): one row per declared key. */
  public static String markdownTable() {
    StringBuilder b = new StringBuilder();
    b.append("| key | type | default | env | what |\n|---|---|---|---|---|\n");
    for (Section s : ALL) {
      for (Key<?, ?> k : s.keys()) {
        String env = k.envName();
        b.append("| `").append(k.path()).append("` | ").append(k.type().doc())
            .append(k.secret() && !k.type().doc().contains("secret") ? ", secret" : "").append(" | ").append(k.defaultDoc())
            .append(" | ").append(env == null ? "" : "`" + env + "`")
            .append(" | ").append(k.description()).append(" |\n");
      }
    }
    return b.toString();
  }
}
