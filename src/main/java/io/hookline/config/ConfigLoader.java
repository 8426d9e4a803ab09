package io.hookline.config;

import static io.hookline.config.ConfigKeys.*;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the YAML with Jackson, applies {@code HOOKLINE_*} environment overrides, resolves
 * {@code ${VAR}} and {@code file:} references, and binds everything into a validated
 * {@link HooklineConfig}, all driven by the declarations in {@link ConfigKeys}. Any problem throws
 * {@link ConfigException} naming the field.
 */
public final class ConfigLoader {
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final List<Section> TOP_SECTIONS =
      List.of(HTTP, MANAGEMENT, REDIS, POSTGRES, STORE, STORAGE, DELIVERY, LOG, METRICS, RETENTION, TRACING);
  /** Sections whose keys {@code HOOKLINE_<SECTION>_<KEY>} variables override (the nested ones too). */
  private static final List<Section> ENV_SECTIONS =
      List.of(HTTP, MANAGEMENT, REQUEST_LOG, REDIS, POSTGRES, STORE, STORAGE, DELIVERY, LOG, METRICS, RETENTION, TRACING);

  private final Map<String, String> env;

  /** {@code env}: the environment to read overrides and {@code ${VAR}} references from. */
  public ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  public static HooklineConfig fromFile(Path file, Map<String, String> env) {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
    }
    return new ConfigLoader(env).load(yaml);
  }

  public HooklineConfig load(String yaml) {
    ObjectNode root;
    try {
      JsonNode parsed = yaml == null || yaml.isBlank() ? null : YAML.readTree(yaml);
      if (parsed == null || parsed.isMissingNode() || parsed.isNull()) {
        root = JsonNodeFactory.instance.objectNode();
      } else if (parsed instanceof ObjectNode o) {
        root = o;
      } else {
        throw new ConfigException("(root)", "expected a YAML mapping at the top level");
      }
    } catch (JsonProcessingException e) {
      throw new ConfigException("(yaml)", "not valid YAML: " + firstLine(e.getOriginalMessage()));
    }
    applyEnvOverrides(root);
    return bind(new Node(root, ROOT, ""));
  }

  // ---------------------------------------------------------------- binding

  private HooklineConfig bind(Node root) {
    Set<String> topLevel = new TreeSet<>();
    TOP_SECTIONS.forEach(s -> topLevel.add(s.path()));
    topLevel.add("sources");
    root.allowOnly(topLevel);

    Node http = root.section(HTTP);
    http.allowOnly(Set.of());
    long maxBody = http.get(HTTP_MAX_BODY_BYTES);
    HooklineConfig.Http httpCfg = new HooklineConfig.Http(http.get(HTTP_HOST), http.get(HTTP_PORT), maxBody,
        http.get(HTTP_INSTANCES), http.stringList(HTTP_TRUSTED_PROXIES), http.get(HTTP_IDLE_TIMEOUT),
        http.get(HTTP_DRAIN_QUIET), http.get(HTTP_WARMUP_SECONDS));

    Node mgmt = root.section(MANAGEMENT);
    mgmt.allowOnly(Set.of("requestLog"));
    Node requestLog = mgmt.section("requestLog", REQUEST_LOG);
    requestLog.allowOnly(Set.of());
    HooklineConfig.Management mgmtCfg = new HooklineConfig.Management(mgmt.get(MANAGEMENT_HOST),
        mgmt.get(MANAGEMENT_PORT), mgmt.get(MANAGEMENT_ADMIN_TOKEN), mgmt.get(MANAGEMENT_READ_TOKEN),
        mgmt.get(MANAGEMENT_REPLAY_RATE),
        new HooklineConfig.RequestLog(requestLog.get(REQUEST_LOG_PER_MINUTE), requestLog.get(REQUEST_LOG_RETENTION)));
    if (mgmtCfg.readToken() != null && mgmtCfg.adminToken() == null) {
      throw new ConfigException(MANAGEMENT_READ_TOKEN.path(), "needs management.adminToken too (without it the admin API is off)");
    }
    if (mgmtCfg.readToken() != null && mgmtCfg.readToken().value().equals(mgmtCfg.adminToken().value())) {
      throw new ConfigException(MANAGEMENT_READ_TOKEN.path(), "must differ from management.adminToken (a token has one role)");
    }

    Node redis = root.section(REDIS);
    redis.allowOnly(Set.of());
    HooklineConfig.Redis redisCfg = bindRedis(redis);

    Node pg = root.section(POSTGRES);
    pg.allowOnly(Set.of());
    HooklineConfig.Postgres pgCfg = new HooklineConfig.Postgres(pg.get(POSTGRES_URL), pg.get(POSTGRES_SCHEMA),
        pg.get(POSTGRES_POOL_SIZE));
    if (redisCfg.configured() != (pgCfg.url() != null)) {
      boolean redisMissing = !redisCfg.configured();
      String redisKey = redisCfg.type().equals(REDIS_STANDALONE) ? REDIS_URL.path() : REDIS_URLS.path();
      throw new ConfigException(redisMissing ? redisKey : POSTGRES_URL.path(), "is required when "
          + (redisMissing ? POSTGRES_URL.path() : redisKey)
          + " is set (configure both for production, or neither for embedded development mode)");
    }

    Node store = root.section(STORE);
    store.allowOnly(Set.of());
    HooklineConfig.Store storeCfg = new HooklineConfig.Store(store.get(STORE_MAX_BATCH),
        store.get(STORE_QUEUE_CAPACITY), store.get(STORE_MAX_BATCHES_IN_FLIGHT), store.get(STORE_RETRY_AFTER),
        store.get(STORE_COMMIT_TIMEOUT));

    Node storage = root.section(STORAGE);
    storage.allowOnly(Set.of());
    HooklineConfig.Storage storageCfg = new HooklineConfig.Storage(storage.get(STORAGE_PARTITION));

    Node delivery = root.section(DELIVERY);
    delivery.allowOnly(Set.of());
    HooklineConfig.Delivery deliveryCfg = new HooklineConfig.Delivery(delivery.get(DELIVERY_INSTANCES),
        delivery.get(DELIVERY_POLL_INTERVAL), delivery.get(DELIVERY_LEASE), delivery.get(DELIVERY_MAX_IN_FLIGHT),
        delivery.get(DELIVERY_POLL_BATCH), delivery.get(DELIVERY_DRAIN_TIMEOUT), delivery.get(DELIVERY_HANDOFF_CAPACITY),
        delivery.get(DELIVERY_RESULT_LINGER));

    Node log = root.section(LOG);
    log.allowOnly(Set.of());
    HooklineConfig.Log logCfg = new HooklineConfig.Log(log.get(LOG_FORMAT), log.get(LOG_LEVEL));

    Node metrics = root.section(METRICS);
    metrics.allowOnly(Set.of());
    HooklineConfig.Metrics metricsCfg = new HooklineConfig.Metrics(metrics.get(METRICS_MODE),
        metrics.get(METRICS_DEAD_REFRESH));

    Node retention = root.section(RETENTION);
    retention.allowOnly(Set.of());
    HooklineConfig.Retention retentionCfg = new HooklineConfig.Retention(retention.get(RETENTION_DELIVERED),
        retention.get(RETENTION_DEAD), retention.get(RETENTION_INTERVAL), retention.get(RETENTION_BATCH));

    Node tracing = root.section(TRACING);
    tracing.allowOnly(Set.of());
    HooklineConfig.Tracing tracingCfg = new HooklineConfig.Tracing(tracing.get(TRACING_OTLP_ENDPOINT),
        tracing.get(TRACING_SAMPLE_RATIO), tracing.get(TRACING_SERVICE_NAME), tracing.get(TRACING_EXPORT_DELAY));

    List<SourceConfig> sources = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Node s : root.list("sources", SOURCES)) {
      SourceConfig sc = bindSource(s, maxBody);
      if (!ids.add(sc.id())) {
        throw new ConfigException(s.path(SOURCE_ID.name()), "duplicate source id '" + sc.id() + "'");
      }
      sources.add(sc);
    }
    return new HooklineConfig(httpCfg, mgmtCfg, redisCfg, pgCfg, storeCfg, storageCfg, deliveryCfg, logCfg, metricsCfg,
        retentionCfg, tracingCfg, root.get(NODE_ID), root.get(DATA_DIR), List.copyOf(sources));
  }

  /** Standalone reads {@code url}; cluster and sentinel read {@code urls}, sentinel also {@code master}. */
  private HooklineConfig.Redis bindRedis(Node redis) {
    String type = redis.get(REDIS_TYPE);
    String url = redis.get(REDIS_URL);
    List<String> urls = redis.stringList(REDIS_URLS);
    for (int i = 0; i < urls.size(); i++) {
      try {
        REDIS_URL_TYPE.parse(urls.get(i));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(redis.path(REDIS_URLS.name()) + "[" + i + "]", e.getMessage());
      }
    }
    String master = redis.get(REDIS_MASTER);
    if (master != null && master.isBlank()) {
      master = null;
    }
    if (type.equals(REDIS_STANDALONE)) {
      if (!urls.isEmpty()) {
        throw new ConfigException(REDIS_URLS.path(), "is for type cluster or sentinel; a single server is set with "
            + REDIS_URL.path() + " (or set " + REDIS_TYPE.path() + ")");
      }
      if (master != null) {
        throw new ConfigException(REDIS_MASTER.path(), "is for type sentinel (set " + REDIS_TYPE.path() + ": sentinel)");
      }
    } else {
      if (url != null) {
        throw new ConfigException(REDIS_URL.path(), "is for type standalone; with type " + type + " list the "
            + (type.equals(REDIS_CLUSTER) ? "cluster's nodes" : "sentinels") + " in " + REDIS_URLS.path());
      }
      if (urls.isEmpty()) {
        throw new ConfigException(REDIS_URLS.path(), "is required with type " + type + " (the "
            + (type.equals(REDIS_CLUSTER) ? "cluster's nodes" : "sentinels") + ")");
      }
      if (type.equals(REDIS_SENTINEL) && master == null) {
        throw new ConfigException(REDIS_MASTER.path(), "is required with type sentinel (the name the sentinels monitor)");
      }
      if (type.equals(REDIS_CLUSTER) && master != null) {
        throw new ConfigException(REDIS_MASTER.path(), "is for type sentinel, not cluster");
      }
    }
    String prefix = redis.get(REDIS_KEY_PREFIX);
    if (type.equals(REDIS_CLUSTER) && prefix.matches(".*\\{[^}]+}.*")) {
      // Redis hashes only the first {...} of a key: a tag in the prefix puts every key on one slot.
      throw new ConfigException(REDIS_KEY_PREFIX.path(), "must not hold a hash tag ({...}) with type cluster: every "
          + "dedup key would land on one slot, got '" + prefix + "'");
    }
    return new HooklineConfig.Redis(url, prefix, redis.get(REDIS_TIMEOUT), type, urls, master);
  }

  private SourceConfig bindSource(Node s, long defaultMaxBody) {
    String provider = s.required(SOURCE_PROVIDER);
    s.allowOnly(Set.of(provider));
    String id = s.requiredText(SOURCE_ID);
    if (!id.matches(SOURCE_ID_PATTERN)) {
      throw new ConfigException(s.path(SOURCE_ID.name()), "must be 1-64 characters of letters, digits, '_', '.', '-' (it is a URL path segment), got '" + id + "'");
    }
    List<Secret> secrets = s.secretList(SOURCE_SECRETS);
    Long maxBody = s.get(SOURCE_MAX_BODY_BYTES);
    List<DestinationConfig> destinations = new ArrayList<>();
    Set<String> destIds = new HashSet<>();
    int i = 0;
    for (Node d : s.list(SOURCE_DESTINATIONS.name(), DESTINATIONS)) {
      d.allowOnly(Set.of());
      HooklineConfig.Broker broker = broker(d);
      String url = d.get(DESTINATION_URL);
      if ((url == null) == (broker == null)) {
        throw new ConfigException(url == null ? d.path(DESTINATION_URL.name()) : d.path(broker.kind()),
            url == null ? "is required (or one of kafka, rabbitmq, nats, redisStream)"
                : "a destination has exactly one of url or a broker, not both");
      }
      String destId = d.get(DESTINATION_ID);
      destId = destId == null ? "d" + i : destId;
      if (!destIds.add(destId)) {
        throw new ConfigException(d.path(DESTINATION_ID.name()), "duplicate destination id '" + destId + "' in source '" + id + "'");
      }
      Duration initial = d.get(DESTINATION_INITIAL_BACKOFF);
      Duration max = d.get(DESTINATION_MAX_BACKOFF);
      if (max.compareTo(initial) < 0) {
        throw new ConfigException(d.path(DESTINATION_MAX_BACKOFF.name()), "must be >= initialBackoff");
      }
      destinations.add(new DestinationConfig(destId, url, d.get(DESTINATION_TIMEOUT), d.get(DESTINATION_MAX_ATTEMPTS),
          d.get(DESTINATION_SIGNING_SECRET), initial, max, d.get(DESTINATION_MAX_IN_FLIGHT), eventTypes(d),
          d.get(DESTINATION_RATE_LIMIT), circuitBreaker(d), d.get(DESTINATION_FILTER), transform(d), broker));
      i++;
    }
    return new SourceConfig(id, provider, List.copyOf(secrets), s.get(SOURCE_TOLERANCE), s.get(SOURCE_DEDUP_TTL),
        maxBody == null ? defaultMaxBody : maxBody, List.copyOf(destinations), s.options(provider), s.path);
  }

  /** Glob patterns, checked here so a typo stops start-up naming the pattern ({@code ...eventTypes[1]}). */
  private static List<String> eventTypes(Node d) {
    if (!d.raw.has(DESTINATION_EVENT_TYPES.name()) || d.raw.get(DESTINATION_EVENT_TYPES.name()).isNull()) {
      return List.of();
    }
    List<String> patterns = d.stringList(DESTINATION_EVENT_TYPES);
    if (patterns.isEmpty()) {
      throw new ConfigException(d.path(DESTINATION_EVENT_TYPES.name()),
          "needs at least one pattern (leave eventTypes out to deliver every event)");
    }
    for (int i = 0; i < patterns.size(); i++) {
      String problem = EventTypePatterns.problem(patterns.get(i));
      if (problem != null) {
        throw new ConfigException(d.path(DESTINATION_EVENT_TYPES.name()) + "[" + i + "]", problem);
      }
    }
    return patterns;
  }

  /** The destination's broker, or null; two brokers on one destination is an error naming the second. */
  private HooklineConfig.Broker broker(Node d) {
    HooklineConfig.Broker found = null;
    for (Key<DestinationConfig, HooklineConfig.Broker> k : ConfigKeys.DESTINATION_BROKERS) {
      Node b = d.mapping(k.name(), brokerSection(k));
      if (b == null) {
        continue;
      }
      if (found != null) {
        throw new ConfigException(d.path(k.name()), "a destination has exactly one broker, it already has " + found.kind());
      }
      b.allowOnly(Set.of());
      found = switch (k.name()) {
        case "kafka" -> new HooklineConfig.Kafka(b.required(KAFKA_BOOTSTRAP), b.requiredText(KAFKA_TOPIC), b.get(KAFKA_KEY),
            kafkaTls(b), kafkaSasl(b));
        case "rabbitmq" -> new HooklineConfig.RabbitMq(new Secret(b.required(RABBITMQ_URL), null),
            b.get(RABBITMQ_EXCHANGE), b.get(RABBITMQ_ROUTING_KEY));
        case "nats" -> new HooklineConfig.Nats(new Secret(b.required(NATS_URL), null), b.requiredText(NATS_SUBJECT));
        default -> new HooklineConfig.RedisStream(new Secret(b.required(REDIS_STREAM_URL), null),
            b.requiredText(REDIS_STREAM_STREAM), b.get(REDIS_STREAM_MAX_LEN));
      };
    }
    return found;
  }

  /** The Kafka destination's TLS settings, or null (plaintext); files must be readable PEM, key and cert go together. */
  private static HooklineConfig.KafkaTls kafkaTls(Node kafka) {
    Node t = kafka.mapping(ConfigKeys.KAFKA_TLS_SETTINGS.name(), ConfigKeys.KAFKA_TLS);
    if (t == null) {
      return null;
    }
    t.allowOnly(Set.of());
    HooklineConfig.KafkaTls tls = new HooklineConfig.KafkaTls(pemFile(t, ConfigKeys.KAFKA_TLS_CA_FILE, "CERTIFICATE"),
        pemFile(t, ConfigKeys.KAFKA_TLS_CERT_FILE, "CERTIFICATE"), t.get(ConfigKeys.KAFKA_TLS_KEY),
        t.get(ConfigKeys.KAFKA_TLS_KEY_PASSWORD));
    if (tls.certFile() != null && tls.key() == null) {
      throw new ConfigException(t.path(ConfigKeys.KAFKA_TLS_KEY.name()), "is required with certFile (the client certificate's private key)");
    }
    if (tls.key() != null && tls.certFile() == null) {
      throw new ConfigException(t.path(ConfigKeys.KAFKA_TLS_CERT_FILE.name()), "is required with key (the client certificate chain)");
    }
    if (tls.key() != null && !tls.key().value().contains("-----BEGIN ")) {
      throw new ConfigException(t.path(ConfigKeys.KAFKA_TLS_KEY.name()), "is not a PEM private key (expected -----BEGIN PRIVATE KEY-----"
          + " or -----BEGIN ENCRYPTED PRIVATE KEY-----)");
    }
    if (tls.keyPassword() != null && tls.key() == null) {
      throw new ConfigException(t.path(ConfigKeys.KAFKA_TLS_KEY_PASSWORD.name()), "is only used with key");
    }
    return tls;
  }

  /** The Kafka destination's SASL credentials, or null (no SASL); mechanism, username and password all required. */
  private static HooklineConfig.KafkaSasl kafkaSasl(Node kafka) {
    Node s = kafka.mapping(ConfigKeys.KAFKA_SASL_SETTINGS.name(), ConfigKeys.KAFKA_SASL);
    if (s == null) {
      return null;
    }
    s.allowOnly(Set.of());
    return new HooklineConfig.KafkaSasl(s.required(ConfigKeys.KAFKA_SASL_MECHANISM), s.requiredText(ConfigKeys.KAFKA_SASL_USERNAME),
        s.required(ConfigKeys.KAFKA_SASL_PASSWORD));
  }

  /** A path to a readable PEM file with at least one {@code kind} block, or null when unset. */
  private static String pemFile(Node n, Key<?, String> key, String kind) {
    String file = n.get(key);
    if (file == null) {
      return null;
    }
    String text;
    try {
      text = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(n.path(key.name()), "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    if (!text.contains("-----BEGIN " + kind + "-----")) {
      throw new ConfigException(n.path(key.name()), file + " holds no PEM " + kind + " block");
    }
    return file;
  }

  private static Section brokerSection(Key<?, ?> k) {
    return switch (k.name()) {
      case "kafka" -> ConfigKeys.KAFKA;
      case "rabbitmq" -> ConfigKeys.RABBITMQ;
      case "nats" -> ConfigKeys.NATS;
      default -> ConfigKeys.REDIS_STREAM;
    };
  }

  /** The CEL sources only; io.hookline.expression compiles and type-checks them at start-up. */
  private static HooklineConfig.Transform transform(Node d) {
    Node t = d.mapping(DESTINATION_TRANSFORM.name(), TRANSFORM);
    if (t == null) {
      return null;
    }
    t.allowOnly(Set.of());
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    Node h = t.mapping(TRANSFORM_HEADERS.name(), TRANSFORM);
    if (h != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = h.raw.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String name = e.getKey();
        String path = h.path(name);
        if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
          throw new ConfigException(path, "is not a valid HTTP header name");
        }
        if (RESERVED_TRANSFORM_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
          throw new ConfigException(path, "is set by Hookline itself and cannot be replaced by a transform");
        }
        if (!e.getValue().isTextual() || e.getValue().textValue().isBlank()) {
          throw new ConfigException(path, "expected a CEL expression (a string), got " + describe(e.getValue()));
        }
        headers.put(name, e.getValue().textValue());
      }
    }
    String body = t.get(TRANSFORM_BODY);
    String path = t.get(TRANSFORM_PATH);
    if (body == null && headers.isEmpty() && path == null) {
      throw new ConfigException(d.path(DESTINATION_TRANSFORM.name()), "needs at least one of body, headers, path");
    }
    return new HooklineConfig.Transform(body, java.util.Collections.unmodifiableMap(headers), path);
  }

  private static HooklineConfig.CircuitBreaker circuitBreaker(Node d) {
    Node cb = d.mapping(DESTINATION_CIRCUIT_BREAKER.name(), CIRCUIT_BREAKER);
    if (cb == null) {
      return null;
    }
    cb.allowOnly(Set.of());
    return new HooklineConfig.CircuitBreaker(cb.get(CIRCUIT_FAILURES), cb.get(CIRCUIT_COOLDOWN));
  }

  // ---------------------------------------------------------------- environment overrides

  /**
   * A declared key's {@code HOOKLINE_...} variable ({@link Key#envName()}; the key part matched
   * ignoring case and underscores, e.g. HOOKLINE_HTTP_MAX_BODY_BYTES or HOOKLINE_HTTP_MAXBODYBYTES)
   * replaces its YAML value; {@code HOOKLINE_SOURCES_<ID>_<KEY>} a key of the source with that id.
   * Other HOOKLINE_ variables (e.g. ones referenced as ${HOOKLINE_ADMIN_TOKEN}) are left alone.
   */
  private void applyEnvOverrides(ObjectNode root) {
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith("HOOKLINE_")) {
        continue;
      }
      for (Section section : ENV_SECTIONS) {
        Key<?, ?> key = overridden(section, section.envPrefix(), name);
        if (key != null) {
          mappingAt(root, section.path()).set(key.name(), envValue(key, e.getValue()));
        }
      }
      Key<?, ?> top = overridden(ROOT, ROOT.envPrefix(), name);
      if (top != null) {
        root.set(top.name(), envValue(top, e.getValue()));
      }
      if (root.get("sources") instanceof ArrayNode list) {
        for (JsonNode src : list) {
          if (src instanceof ObjectNode o && o.hasNonNull(SOURCE_ID.name())) {
            String prefix = "HOOKLINE_SOURCES_"
                + o.get(SOURCE_ID.name()).asText().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_";
            Key<?, ?> key = overridden(SOURCES, prefix, name);
            if (key != null) {
              o.set(key.name(), envValue(key, e.getValue()));
            }
          }
        }
      }
    }
  }

  /** The mapping at a dotted path ({@code management.requestLog}), made where absent. */
  private static ObjectNode mappingAt(ObjectNode root, String dottedPath) {
    ObjectNode target = root;
    String walked = "";
    for (String part : dottedPath.split("\\.")) {
      walked = walked.isEmpty() ? part : walked + "." + part;
      JsonNode existing = target.get(part);
      if (existing != null && !existing.isObject() && !existing.isNull()) {
        throw new ConfigException(walked, "expected a mapping");
      }
      target = existing instanceof ObjectNode o ? o : target.putObject(part);
    }
    return target;
  }

  private static Key<?, ?> overridden(Section section, String prefix, String variable) {
    if (!variable.startsWith(prefix)) {
      return null;
    }
    String keyPart = squash(variable.substring(prefix.length()));
    for (Key<?, ?> k : section.keys()) {
      if (k.envOverride() && squash(k.name()).equals(keyPart)) {
        return k;
      }
    }
    return null;
  }

  /** Lists (secrets, trustedProxies, redis.urls) are comma-separated in a variable. */
  private static JsonNode envValue(Key<?, ?> key, String value) {
    if (key == SOURCE_SECRETS || key == HTTP_TRUSTED_PROXIES || key == REDIS_URLS) {
      ArrayNode list = JsonNodeFactory.instance.arrayNode();
      for (String p : value.split(",")) {
        if (!p.isBlank()) {
          list.add(p.trim());
        }
      }
      return list;
    }
    return JsonNodeFactory.instance.textNode(value);
  }

  private static String squash(String s) {
    return s.replace("_", "").toUpperCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------- references

  /** Resolves ${VAR} (with optional ${VAR:-default}) everywhere, and file:PATH for secrets. */
  private String resolve(String value, String path, boolean secret) {
    Matcher m = VAR.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = env.get(m.group(1));
      // Shell semantics: ${VAR:-default} takes the default when VAR is unset or empty.
      boolean hasDefault = m.group(2) != null;
      if ((v == null || v.isEmpty()) && hasDefault) {
        v = m.group(2);
      }
      if (v == null) {
        throw new ConfigException(path, "references environment variable " + m.group(1) + ", which is not set");
      }
      if (secret && v.isEmpty() && !hasDefault) {
        // Fail closed: `SECRET=` in an env file must not quietly turn into "no secret" (an optional
        // secret such as adminToken or signingSecret would otherwise be silently switched off).
        // Write ${VAR:-} to make a secret deliberately optional.
        throw new ConfigException(path, "references environment variable " + m.group(1)
            + ", which is set but empty (use ${" + m.group(1) + ":-} if it is meant to be optional)");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    String resolved = out.toString();
    if (secret && resolved.startsWith("file:")) {
      Path p = Path.of(resolved.substring("file:".length()));
      try {
        resolved = Files.readString(p, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new ConfigException(path, "cannot read secret file " + p + " (" + e.getClass().getSimpleName() + ")");
      }
      if (resolved.isEmpty()) {
        throw new ConfigException(path, "secret file " + p + " is empty");
      }
    }
    return resolved;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** A mapping of the YAML tree and the section it is declared by: typed reads that name the field in every error. */
  private final class Node {
    final ObjectNode raw;
    final Section section;
    final String path;

    Node(ObjectNode raw, Section section, String path) {
      this.raw = raw;
      this.section = section;
      this.path = path;
    }

    String path(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }

    /** Only declared keys (plus {@code extra}) may appear. */
    void allowOnly(Set<String> extra) {
      Set<String> allowed = new TreeSet<>(extra);
      for (Key<?, ?> k : section.keys()) {
        if (!k.name().equals(PROVIDER_OPTIONS)) {
          allowed.add(k.name());
        }
      }
      for (Iterator<String> it = raw.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!allowed.contains(k)) {
          throw new ConfigException(path(k), "unknown key (allowed here: " + String.join(", ", allowed) + ")");
        }
      }
    }

    Node section(Section child) {
      return section(child.path(), child);
    }

    /** A mapping under this one, whose keys are declared in {@code child} (absent = all defaults). */
    Node section(String key, Section child) {
      JsonNode v = raw.get(key);
      if (v == null || v.isNull()) {
        return new Node(JsonNodeFactory.instance.objectNode(), child, path(key));
      }
      if (!(v instanceof ObjectNode o)) {
        throw new ConfigException(path(key), "expected a mapping, got " + describe(v));
      }
      return new Node(o, child, path(key));
    }

    /** A nested mapping declared by {@code items}, or null when absent. */
    Node mapping(String key, Section items) {
      JsonNode v = raw.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!(v instanceof ObjectNode o)) {
        throw new ConfigException(path(key), "expected a mapping, got " + describe(v));
      }
      return new Node(o, items, path(key));
    }

    List<Node> list(String key, Section items) {
      JsonNode v = raw.get(key);
      List<Node> out = new ArrayList<>();
      if (v == null || v.isNull()) {
        return out;
      }
      if (!(v instanceof ArrayNode l)) {
        throw new ConfigException(path(key), "expected a list, got " + describe(v));
      }
      for (int i = 0; i < l.size(); i++) {
        String p = path(key) + "[" + i + "]";
        if (!(l.get(i) instanceof ObjectNode o)) {
          throw new ConfigException(p, "expected a mapping, got " + describe(l.get(i)));
        }
        out.add(new Node(o, items, p));
      }
      return out;
    }

    /** The resolved text of a scalar, or null when absent. */
    private String scalar(String key, boolean secret) {
      JsonNode v = raw.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (v.isContainerNode()) {
        throw new ConfigException(path(key), "expected a single value, got " + describe(v));
      }
      return resolve(v.asText(), path(key), secret);
    }

    /** The declared key's value, its default when absent; validated by its type. */
    <T> T get(Key<?, T> key) {
      String text = scalar(key.name(), key.secret());
      // Blank is unset for an optional key (url: "", adminToken: "${TOKEN:-}"): it has no default to replace.
      T def = key.defaultValue().get();
      if (text == null || (text.isBlank() && def == null)) {
        return def;
      }
      try {
        return key.type().parse(text);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(path(key.name()), e.getMessage());
      }
    }

    <T> T required(Key<?, T> key) {
      T v = get(key);
      if (v == null) {
        throw new ConfigException(path(key.name()), "is required");
      }
      return v;
    }

    String requiredText(Key<?, ?> key) {
      String v = scalar(key.name(), false);
      if (v == null || v.isBlank()) {
        throw new ConfigException(path(key.name()), "is required");
      }
      return v;
    }

    List<String> stringList(Key<?, ?> key) {
      JsonNode v = raw.get(key.name());
      List<String> out = new ArrayList<>();
      if (v == null || v.isNull()) {
        return List.of();
      }
      if (!(v instanceof ArrayNode l)) {
        throw new ConfigException(path(key.name()), "expected a list, got " + describe(v));
      }
      for (int i = 0; i < l.size(); i++) {
        JsonNode o = l.get(i);
        String p = path(key.name()) + "[" + i + "]";
        if (o.isNull() || o.isContainerNode()) {
          throw new ConfigException(p, "expected a single value");
        }
        out.add(resolve(o.asText(), p, false));
      }
      return List.copyOf(out);
    }

    /** The provider's option mapping (checked by the provider when its verifier is built). */
    @SuppressWarnings("unchecked")
    Map<String, Object> options(String provider) {
      JsonNode v = raw.get(provider);
      if (v == null || v.isNull()) {
        return Map.of();
      }
      if (!v.isObject()) {
        throw new ConfigException(path(provider), "expected a mapping, got " + describe(v));
      }
      return YAML.convertValue(v, LinkedHashMap.class);
    }

    /** Each item is a string, or {value, notAfter} to keep an old secret valid until a moment. */
    List<Secret> secretList(Key<?, ?> key) {
      JsonNode v = raw.get(key.name());
      String listPath = path(key.name());
      if (v == null || v.isNull() || (v instanceof ArrayNode a && a.isEmpty())) {
        throw new ConfigException(listPath, "at least one secret is required (fail closed: a source never runs unverified)");
      }
      if (!(v instanceof ArrayNode l)) {
        throw new ConfigException(listPath, "expected a list of secrets");
      }
      List<Secret> out = new ArrayList<>();
      for (int i = 0; i < l.size(); i++) {
        JsonNode o = l.get(i);
        String p = listPath + "[" + i + "]";
        if (o instanceof ObjectNode m) {
          for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!"value".equals(k) && !"notAfter".equals(k)) {
              throw new ConfigException(p + "." + k, "unknown key (allowed here: notAfter, value)");
            }
          }
          JsonNode value = m.path("value");
          if (value.isMissingNode() || value.isNull()) {
            throw new ConfigException(p + ".value", "is required");
          }
          String resolved = resolve(value.asText(), p + ".value", true);
          Instant notAfter = null;
          if (m.hasNonNull("notAfter")) {
            try {
              notAfter = Instant.parse(resolve(m.get("notAfter").asText(), p + ".notAfter", false).trim());
            } catch (DateTimeParseException e) {
              throw new ConfigException(p + ".notAfter", "must be an ISO-8601 instant like 2026-12-01T00:00:00Z");
            }
          }
          if (resolved.isEmpty()) {
            throw new ConfigException(p + ".value", "is empty");
          }
          out.add(new Secret(resolved, notAfter));
        } else if (o.isNull() || o.isContainerNode() || o instanceof MissingNode) {
          throw new ConfigException(p, "expected a secret string");
        } else {
          String resolved = resolve(o.asText(), p, true);
          if (resolved.isEmpty()) {
            throw new ConfigException(p, "is empty");
          }
          out.add(Secret.of(resolved));
        }
      }
      return out;
    }
  }

  private static String describe(JsonNode v) {
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    return "'" + v.asText() + "'";
  }

  /** 500ms, 10s, 5m, 72h, 7d, a bare number of seconds, or ISO-8601 (PT10S). */
  public static Duration parseDuration(String v) {
    return KeyType.parseDuration(v);
  }
}
