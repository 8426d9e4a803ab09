package io.hookline.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole, validated configuration of a node. Every key, its default and its validation are
 * declared once in {@link ConfigKeys}; {@link ConfigLoader} binds them into these records.
 * {@link #describe()} renders it for the boot log with every secret masked.
 */
public record HooklineConfig(
    Http http,
    Management management,
    Redis redis,
    Postgres postgres,
    Store store,
    Storage storage,
    Delivery delivery,
    Log log,
    Metrics metrics,
    Retention retention,
    Tracing tracing,
    String nodeId,
    String dataDir,
    List<SourceConfig> sources) {

  public record Http(String host, int port, long maxBodyBytes, int instances,
                     List<String> trustedProxies, Duration idleTimeout, Duration drainQuiet, Duration warmupSeconds) {
    public Http withPort(int newPort) {
      return new Http(host, newPort, maxBodyBytes, instances, trustedProxies, idleTimeout, drainQuiet, warmupSeconds);
    }
  }

  public record Management(String host, int port, Secret adminToken, Secret readToken, int replayRate,
                           RequestLog requestLog) {
    public Management withPort(int newPort) {
      return new Management(host, newPort, adminToken, readToken, replayRate, requestLog);
    }
  }

  /** {@code management.requestLog}: how many refused requests are kept, and for how long. */
  public record RequestLog(int perMinute, Duration retention) {}

  /**
   * {@code type} standalone reads {@code url}; cluster and sentinel read {@code urls} (sentinel also
   * {@code master}). Nothing configured = embedded development mode when postgres is not configured either.
   */
  public record Redis(String url, String keyPrefix, Duration timeout, String type, List<String> urls, String master) {
    /** One standalone server. */
    public Redis(String url, String keyPrefix, Duration timeout) {
      this(url, keyPrefix, timeout, ConfigKeys.REDIS_STANDALONE, List.of(), null);
    }

    public boolean configured() {
      return url != null || !urls.isEmpty();
    }

    @Override
    public String toString() {
      return "Redis[type=" + type + ", url=" + maskUrl(url) + ", urls="
          + urls.stream().map(HooklineConfig::maskUrl).toList() + ", master=" + master + ", keyPrefix=" + keyPrefix
          + ", timeout=" + timeout + "]";
    }
  }

  public record Postgres(String url, String schema, int poolSize) {
    @Override
    public String toString() {
      return "Postgres[url=" + maskUrl(url) + ", schema=" + schema + ", poolSize=" + poolSize + "]";
    }
  }

  public record Store(int maxBatch, int queueCapacity, int maxBatchesInFlight, Duration retryAfter,
                      Duration commitTimeout) {}

  /** {@code handoffCapacity}: deliveries handed from ingest to the node's workers in memory, at most. */
  public record Delivery(int instances, Duration pollInterval, Duration lease, int maxInFlight,
                         int pollBatch, Duration drainTimeout, int handoffCapacity, Duration resultLinger) {}

  public record Log(String format, String level) {}

  /** {@code mode}: default | full | vertx-off | off (see io.hookline.metrics.MetricsSetup). */
  public record Metrics(String mode, Duration deadRefresh) {}

  /** How long finished events are kept: all deliveries delivered (or gone), or some dead. */
  public record Retention(Duration delivered, Duration dead, Duration interval, int batch) {}

  public record Storage(Duration partition) {}

  /** {@code otlpEndpoint} null = tracing off (no {@code tracing} section). */
  public record Tracing(String otlpEndpoint, double sampleRatio, String serviceName, Duration exportDelay) {
    public boolean enabled() {
      return otlpEndpoint != null;
    }
  }

  public record SourceConfig(String id, String provider, List<Secret> secrets, Duration tolerance,
                             Duration dedupTtl, long maxBodyBytes, List<DestinationConfig> destinations,
                             Map<String, Object> providerOptions, String path) {}

  public record DestinationConfig(String id, String url, Duration timeout, int maxAttempts,
                                  Secret signingSecret, Duration initialBackoff, Duration maxBackoff,
                                  int maxInFlight, List<String> eventTypes, RateLimit rateLimit,
                                  CircuitBreaker circuitBreaker, String filter, Transform transform,
                                  Broker broker) {
    /** {@code http} when the destination has a {@code url}, else its broker's kind. */
    public String kind() {
      return broker == null ? "http" : broker.kind();
    }

    @Override
    public String toString() {
      return "DestinationConfig[" + ConfigKeys.DESTINATIONS.keys().stream()
          .map(k -> k.name() + "=" + render(k, this)).collect(java.util.stream.Collectors.joining(", ")) + "]";
    }
  }

  /**
   * What a destination is sent instead of the original body (README, Filters and transformations): CEL
   * sources, compiled by io.hookline.expression. {@code body} null = the original bytes; {@code headers}
   * name to expression, in configuration order; {@code path} null = no suffix.
   */
  public record Transform(String body, Map<String, String> headers, String path) {
    @Override
    public String toString() {
      return "{body: " + body + ", headers: " + headers + ", path: " + path + "}";
    }
  }

  /**
   * A destination that is a broker (README, Brokers) instead of a URL. Keys, routing keys and
   * subjects are CEL expressions (null: the default, the source and the provider's event id).
   * URLs are shown with their passwords masked.
   */
  public sealed interface Broker permits Kafka, RabbitMq, Nats, RedisStream {
    /** The name in metrics, the admin API and the YAML key. */
    String kind();

    /** Where it connects, password masked: destinations with equal endpoints share one connection per node. */
    String endpoint();
  }

  /**
   * Kafka: {@code bootstrap} servers (host:port, comma-separated), the topic, the record key's
   * expression, TLS settings (null: plaintext) and SASL credentials (null: no SASL).
   */
  public record Kafka(String bootstrap, String topic, String key, KafkaTls tls, KafkaSasl sasl) implements Broker {
    public Kafka(String bootstrap, String topic, String key) {
      this(bootstrap, topic, key, null, null);
    }

    /** Kafka's {@code security.protocol} for these settings. */
    public String securityProtocol() {
      return sasl == null ? (tls == null ? "PLAINTEXT" : "SSL") : (tls == null ? "SASL_PLAINTEXT" : "SASL_SSL");
    }

    public String kind() {
      return "kafka";
    }

    public String endpoint() {
      return bootstrap;
    }
  }

  /**
   * Kafka over TLS: the CA file to trust (null: the JVM's trust store) and, for client
   * authentication, the certificate chain file and its private key (PEM text; both or neither) with
   * the key's password (null: not encrypted). The key and password print masked.
   */
  public record KafkaTls(String caFile, String certFile, Secret key, Secret keyPassword) {
    /** What tells two TLS setups apart in a connection's name; never the key. */
    public String describe() {
      return "TLS" + (caFile == null ? "" : ", ca " + caFile) + (certFile == null ? "" : ", client cert " + certFile);
    }

    @Override
    public String toString() {
      return "{caFile: " + caFile + ", certFile: " + certFile + ", key: " + (key == null ? null : "****")
          + ", keyPassword: " + (keyPassword == null ? null : "****") + "}";
    }
  }

  /**
   * Kafka SASL authentication: the mechanism ({@link #MECHANISMS}), user name and password. With
   * {@code tls} the protocol is SASL_SSL, without it SASL_PLAINTEXT. The password prints masked.
   */
  public record KafkaSasl(String mechanism, String username, Secret password) {
    /** The mechanisms Kafka's client supports with a user name and password. */
    public static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    /** What tells two SASL setups apart in a connection's name; never the password. */
    public String describe() {
      return "SASL " + mechanism + " as " + username;
    }

    @Override
    public String toString() {
      return "{mechanism: " + mechanism + ", username: " + username + ", password: " + (password == null ? null : "****") + "}";
    }
  }

  /** RabbitMQ: AMQP URL (a secret when it holds a password), exchange ("" = the default exchange), routing key expression. */
  public record RabbitMq(Secret url, String exchange, String routingKey) implements Broker {
    public String kind() {
      return "rabbitmq";
    }

    public String endpoint() {
      return maskUrl(url.value());
    }

    @Override
    public String toString() {
      return "{url: " + endpoint() + ", exchange: " + exchange + ", routingKey: " + routingKey + "}";
    }
  }

  /** NATS JetStream: server URL and the subject's expression (a stream must capture the subject). */
  public record Nats(Secret url, String subject) implements Broker {
    public String kind() {
      return "nats";
    }

    public String endpoint() {
      return maskUrl(url.value());
    }

    @Override
    public String toString() {
      return "{url: " + endpoint() + ", subject: " + subject + "}";
    }
  }

  /** Redis Streams: server URL, the stream's name, an approximate MAXLEN (null: unbounded). */
  public record RedisStream(Secret url, String stream, Long maxLen) implements Broker {
    public String kind() {
      return "redisStream";
    }

    public String endpoint() {
      return maskUrl(url.value());
    }

    @Override
    public String toString() {
      return "{url: " + endpoint() + ", stream: " + stream + ", maxLen: " + maxLen + "}";
    }
  }

  /** {@code count} attempts per {@code per} (N/s or N/min), all nodes together. */
  public record RateLimit(int count, Duration per) {
    /** Milliseconds between two attempts at the rate (fractional for high rates). */
    public double intervalMillis() {
      return (double) per.toMillis() / count;
    }

    @Override
    public String toString() {
      return count + (per.toSeconds() == 60 ? "/min" : "/s");
    }
  }

  /** Open after {@code failures} consecutive failed attempts; while open one probe per {@code cooldown}. */
  public record CircuitBreaker(int failures, Duration cooldown) {
    @Override
    public String toString() {
      return "{failures: " + failures + ", cooldown: " + KeyType.renderDuration(cooldown) + "}";
    }
  }

  public boolean embedded() {
    return !redis.configured() && postgres.url() == null;
  }

  /** The same node on these Redis and PostgreSQL servers (embedded mode fills them in). */
  public HooklineConfig withServices(String redisUrl, String postgresUrl) {
    return new HooklineConfig(http, management, new Redis(redisUrl, redis.keyPrefix(), redis.timeout()),
        new Postgres(postgresUrl, postgres.schema(), postgres.poolSize()), store, storage, delivery, log, metrics, retention,
        tracing, nodeId, dataDir, sources);
  }

  public HooklineConfig withPorts(int httpPort, int managementPort) {
    return new HooklineConfig(http.withPort(httpPort), management.withPort(managementPort), redis, postgres, store, storage,
        delivery, log, metrics, retention, tracing, nodeId, dataDir, sources);
  }

  public SourceConfig source(String id) {
    for (SourceConfig s : sources) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    return null;
  }

  static String defaultNodeId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "node";
    }
    return host.replaceAll("[^A-Za-z0-9_.:-]", "-") + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * The effective configuration for the boot log, one line per section, every declared key
   * ({@link ConfigKeys}) with secrets masked and URLs without passwords.
   */
  public String describe() {
    StringBuilder b = new StringBuilder();
    section(b, ConfigKeys.HTTP, http);
    section(b, ConfigKeys.MANAGEMENT, management);
    section(b, ConfigKeys.REQUEST_LOG, management.requestLog());
    section(b, ConfigKeys.REDIS, redis);
    section(b, ConfigKeys.POSTGRES, postgres);
    section(b, ConfigKeys.STORE, store);
    section(b, ConfigKeys.STORAGE, storage);
    section(b, ConfigKeys.DELIVERY, delivery);
    section(b, ConfigKeys.LOG, log);
    section(b, ConfigKeys.METRICS, metrics);
    section(b, ConfigKeys.RETENTION, retention);
    section(b, ConfigKeys.TRACING, tracing);
    for (Key<?, ?> k : ConfigKeys.ROOT.keys()) {
      b.append(k.name()).append(": ").append(render(k, this)).append('\n');
    }
    for (SourceConfig s : sources) {
      b.append("source ").append(s.id()).append(':');
      for (Key<?, ?> k : ConfigKeys.SOURCES.keys()) {
        boolean noOptions = k == ConfigKeys.SOURCE_PROVIDER_OPTIONS && s.providerOptions().isEmpty();
        if (k != ConfigKeys.SOURCE_ID && k != ConfigKeys.SOURCE_DESTINATIONS && !noOptions) {
          String shown = k == ConfigKeys.SOURCE_SECRETS ? s.secrets().size() + "x****" : render(k, s);
          b.append(' ').append(k == ConfigKeys.SOURCE_PROVIDER_OPTIONS ? s.provider() : k.name()).append('=').append(shown);
        }
      }
      b.append('\n');
      for (DestinationConfig d : s.destinations()) {
        b.append("  destination ").append(d.id()).append(':');
        for (Key<?, ?> k : ConfigKeys.DESTINATIONS.keys()) {
          if (k != ConfigKeys.DESTINATION_ID) {
            b.append(' ').append(k.name()).append('=').append(render(k, d));
          }
        }
        b.append('\n');
      }
    }
    return b.toString();
  }

  private static void section(StringBuilder b, Section section, Object record) {
    b.append(section.path()).append(':');
    for (Key<?, ?> k : section.keys()) {
      b.append(' ').append(k.name()).append('=').append(render(k, record));
    }
    b.append('\n');
  }

  @SuppressWarnings("unchecked")
  private static String render(Key<?, ?> key, Object record) {
    return ((Key<Object, ?>) key).render(record);
  }

  @Override
  public String toString() {
    return describe();
  }

  private static final java.util.regex.Pattern SECRET_QUERY_PARAM = java.util.regex.Pattern.compile(
      "(?i)([?&][^=&#]*(?:pass|pwd|secret|token|key|auth|sig|credential)[^=&#]*=)[^&#]*");

  /**
   * Masks any password in a URL's user-info, and the values of query parameters whose names look
   * secret ({@code password=}, {@code token=}, {@code api_key=}, ...), for logs and error messages.
   */
  public static String maskUrl(String url) {
    if (url == null) {
      return "(not configured)";
    }
    String masked = maskUserInfo(url);
    return SECRET_QUERY_PARAM.matcher(masked).replaceAll("$1****");
  }

  private static String maskUserInfo(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return url;
    }
    int start = scheme + 3;
    int query = url.indexOf('?', start);
    // The user-info ends at the LAST '@' before the query: an unencoded '@' or '/' in a password
    // must not leave the rest of the password visible.
    int at = url.lastIndexOf('@', query < 0 ? url.length() - 1 : query - 1);
    if (at < start) {
      return url;
    }
    String userInfo = url.substring(start, at);
    int colon = userInfo.indexOf(':');
    int slash = userInfo.indexOf('/');
    if (slash >= 0 && (colon < 0 || slash < colon)) {
      return url; // the '@' is in the path (https://host/users/@me), there is no user-info
    }
    if (colon < 0) {
      return url; // a user name only, no password
    }
    return url.substring(0, start) + userInfo.substring(0, colon) + ":****" + url.substring(at);
  }
}
