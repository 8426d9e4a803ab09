package io.hookline.config;

import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads YAML, applies {@code HOOKLINE_*} environment overrides, resolves {@code ${VAR}} and
 * {@code file:} references, and binds everything into a validated {@link HooklineConfig}.
 * Every default lives here. Any problem throws {@link ConfigException} naming the field.
 */
public final class ConfigLoader {
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
  private static final Set<String> PROVIDERS =
      Set.of("stripe", "github", "shopify", "slack", "twilio", "standard", "hmac", "paddle", "basic", "apikey");

  private final Map<String, String> env;

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
    Map<String, Object> root;
    try {
      Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml == null ? "" : yaml);
      if (parsed == null) {
        root = new LinkedHashMap<>();
      } else if (parsed instanceof Map<?, ?> m) {
        root = copy(m, "(root)");
      } else {
        throw new ConfigException("(root)", "expected a YAML mapping at the top level");
      }
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      throw new ConfigException("(yaml)", "not valid YAML: " + firstLine(e.getMessage()));
    }
    applyEnvOverrides(root);
    return bind(new Node(root, ""));
  }

  // ---------------------------------------------------------------- binding

  private HooklineConfig bind(Node root) {
    root.allowOnly("http", "management", "redis", "postgres", "store", "delivery", "log", "dataDir", "sources",
        "retention");

    Node http = root.section("http");
    http.allowOnly("host", "port", "maxBodyBytes", "instances", "trustedProxies", "idleTimeout");
    long maxBody = http.size("maxBodyBytes", 1_048_576L, 1, 64L * 1024 * 1024);
    HooklineConfig.Http httpCfg = new HooklineConfig.Http(
        http.string("host", "0.0.0.0"),
        http.port("port", 8080),
        maxBody,
        http.integer("instances", Runtime.getRuntime().availableProcessors(), 1, 256),
        http.stringList("trustedProxies"),
        http.duration("idleTimeout", Duration.ofSeconds(60)));

    Node mgmt = root.section("management");
    mgmt.allowOnly("host", "port", "adminToken", "replayRate");
    HooklineConfig.Management mgmtCfg = new HooklineConfig.Management(
        mgmt.string("host", "0.0.0.0"), mgmt.port("port", 9090), mgmt.optionalSecret("adminToken"),
        mgmt.integer("replayRate", 500, 1, 1_000_000));

    Node retention = root.section("retention");
    retention.allowOnly("delivered", "dead");
    HooklineConfig.Retention retentionCfg = new HooklineConfig.Retention(
        retention.duration("delivered", Duration.ofDays(30)), retention.duration("dead", Duration.ofDays(90)));

    Node redis = root.section("redis");
    redis.allowOnly("url", "keyPrefix", "timeout");
    String redisUrl = redis.url("url", Set.of("redis", "rediss", "unix"));
    HooklineConfig.Redis redisCfg = new HooklineConfig.Redis(
        redisUrl, redis.string("keyPrefix", "hookline:"), redis.duration("timeout", Duration.ofMillis(500)));

    Node pg = root.section("postgres");
    pg.allowOnly("url", "schema", "poolSize");
    String pgUrl = pg.url("url", Set.of("postgresql", "postgres"));
    String schema = pg.string("schema", "hookline");
    if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new ConfigException(pg.path("schema"), "must be a lower-case SQL identifier ([a-z_][a-z0-9_]*), got '" + schema + "'");
    }
    HooklineConfig.Postgres pgCfg = new HooklineConfig.Postgres(pgUrl, schema, pg.integer("poolSize", 8, 1, 256));
    if ((redisUrl == null) != (pgUrl == null)) {
      String missing = redisUrl == null ? "redis.url" : "postgres.url";
      throw new ConfigException(missing, "is required when " + (redisUrl == null ? "postgres.url" : "redis.url")
          + " is set (configure both for production, or neither for embedded development mode)");
    }

    Node store = root.section("store");
    store.allowOnly("maxBatch", "queueCapacity", "maxBatchesInFlight", "retryAfter", "duplicateWait");
    HooklineConfig.Store storeCfg = new HooklineConfig.Store(
        store.integer("maxBatch", 256, 1, 10_000),
        store.integer("queueCapacity", 1024, 1, 1_000_000),
        store.integer("maxBatchesInFlight", 2, 1, 64),
        store.duration("retryAfter", Duration.ofSeconds(2)),
        store.duration("duplicateWait", Duration.ofSeconds(5)));

    Node delivery = root.section("delivery");
    delivery.allowOnly("instances", "pollInterval", "lease", "maxInFlight", "pollBatch", "drainTimeout");
    HooklineConfig.Delivery deliveryCfg = new HooklineConfig.Delivery(
        delivery.integer("instances", 2, 1, 64),
        delivery.duration("pollInterval", Duration.ofSeconds(1)),
        delivery.duration("lease", Duration.ofSeconds(60)),
        delivery.integer("maxInFlight", 256, 1, 100_000),
        delivery.integer("pollBatch", 100, 1, 10_000),
        delivery.duration("drainTimeout", Duration.ofSeconds(20)));

    Node log = root.section("log");
    log.allowOnly("format", "level");
    HooklineConfig.Log logCfg = new HooklineConfig.Log(
        log.oneOf("format", "text", Set.of("text", "json")),
        log.oneOf("level", "info", Set.of("trace", "debug", "info", "warn", "error")));

    String dataDir = root.string("dataDir", "hookline-data");

    List<SourceConfig> sources = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    List<Node> sourceNodes = root.list("sources");
    for (Node s : sourceNodes) {
      SourceConfig sc = bindSource(s, maxBody);
      if (!ids.add(sc.id())) {
        throw new ConfigException(s.path("id"), "duplicate source id '" + sc.id() + "'");
      }
      sources.add(sc);
    }
    return new HooklineConfig(httpCfg, mgmtCfg, redisCfg, pgCfg, storeCfg, deliveryCfg, logCfg, dataDir,
        List.copyOf(sources), retentionCfg);
  }

  private SourceConfig bindSource(Node s, long defaultMaxBody) {
    String provider = s.requiredString("provider").toLowerCase(Locale.ROOT);
    if (!PROVIDERS.contains(provider)) {
      throw new ConfigException(s.path("provider"), "unknown provider '" + provider + "' (expected one of "
          + String.join(", ", new java.util.TreeSet<>(PROVIDERS)) + ")");
    }
    Set<String> allowed = new HashSet<>(List.of("id", "provider", "secrets", "toleranceSeconds", "dedupTtl",
        "maxBodyBytes", "destinations"));
    allowed.add(provider);
    s.allowOnly(allowed.toArray(String[]::new));
    String id = s.requiredString("id");
    if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw new ConfigException(s.path("id"), "must be 1-64 characters of letters, digits, '_', '.', '-' (it is a URL path segment), got '" + id + "'");
    }
    List<Secret> secrets = s.secretList("secrets");
    Duration tolerance = Duration.ofSeconds(s.integer("toleranceSeconds", 300, 1, 86_400));
    Duration dedupTtl = s.duration("dedupTtl", Duration.ofHours(72));
    long maxBody = s.size("maxBodyBytes", defaultMaxBody, 1, 64L * 1024 * 1024);
    List<DestinationConfig> destinations = new ArrayList<>();
    Set<String> destIds = new HashSet<>();
    int i = 0;
    for (Node d : s.list("destinations")) {
      d.allowOnly("id", "url", "timeout", "maxAttempts", "signingSecret", "initialBackoff", "maxBackoff", "maxInFlight");
      String url = d.url("url", Set.of("http", "https"));
      if (url == null) {
        throw new ConfigException(d.path("url"), "is required");
      }
      String destId = d.string("id", "d" + i);
      if (!destId.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
        throw new ConfigException(d.path("id"), "must be 1-64 characters of letters, digits, '_', '.', '-', got '" + destId + "'");
      }
      if (!destIds.add(destId)) {
        throw new ConfigException(d.path("id"), "duplicate destination id '" + destId + "' in source '" + id + "'");
      }
      Secret signing = d.optionalSecret("signingSecret");
      if (signing != null && !signing.value().startsWith("whsec_")) {
        throw new ConfigException(d.path("signingSecret"), "must be a Standard Webhooks secret: 'whsec_' followed by base64");
      }
      if (signing != null) {
        try {
          byte[] key = java.util.Base64.getDecoder().decode(signing.value().substring(6));
          if (key.length < 16) {
            throw new ConfigException(d.path("signingSecret"), "key is too short (need at least 16 bytes after base64 decoding)");
          }
        } catch (IllegalArgumentException e) {
          throw new ConfigException(d.path("signingSecret"), "is not valid base64 after 'whsec_'");
        }
      }
      Duration initial = d.duration("initialBackoff", Duration.ofSeconds(1));
      Duration max = d.duration("maxBackoff", Duration.ofHours(1));
      if (max.compareTo(initial) < 0) {
        throw new ConfigException(d.path("maxBackoff"), "must be >= initialBackoff");
      }
      destinations.add(new DestinationConfig(destId, url,
          d.duration("timeout", Duration.ofSeconds(10)),
          d.integer("maxAttempts", 8, 1, 100),
          signing, initial, max,
          d.integer("maxInFlight", 32, 1, 10_000)));
      i++;
    }
    Map<String, Object> options = s.raw.get(provider) == null ? Map.of() : s.section(provider).raw;
    return new SourceConfig(id, provider, List.copyOf(secrets), tolerance, dedupTtl, maxBody,
        List.copyOf(destinations), options, s.path);
  }

  // ---------------------------------------------------------------- environment overrides

  /**
   * {@code HOOKLINE_<SECTION>_<KEY>} sets a scalar of a top-level section (key matched ignoring case
   * and underscores, e.g. HOOKLINE_HTTP_MAX_BODY_BYTES); {@code HOOKLINE_SOURCES_<ID>_<KEY>} sets a
   * key of the source with that id (SECRETS takes a comma-separated list). Other HOOKLINE_ variables
   * (e.g. ones referenced as ${HOOKLINE_ADMIN_TOKEN}) are left alone.
   */
  @SuppressWarnings("unchecked")
  private void applyEnvOverrides(Map<String, Object> root) {
    Map<String, List<String>> sectionKeys = new LinkedHashMap<>();
    sectionKeys.put("http", List.of("host", "port", "maxBodyBytes", "instances", "trustedProxies", "idleTimeout"));
    sectionKeys.put("management", List.of("host", "port", "adminToken", "replayRate"));
    sectionKeys.put("redis", List.of("url", "keyPrefix", "timeout"));
    sectionKeys.put("postgres", List.of("url", "schema", "poolSize"));
    sectionKeys.put("store", List.of("maxBatch", "queueCapacity", "maxBatchesInFlight", "retryAfter", "duplicateWait"));
    sectionKeys.put("delivery", List.of("instances", "pollInterval", "lease", "maxInFlight", "pollBatch", "drainTimeout"));
    sectionKeys.put("log", List.of("format", "level"));
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith("HOOKLINE_") || name.startsWith("HOOKLINE_TEST_")) {
        continue;
      }
      String rest = name.substring("HOOKLINE_".length());
      if (rest.equals("DATA_DIR") || rest.equals("DATADIR")) {
        root.put("dataDir", e.getValue());
        continue;
      }
      for (Map.Entry<String, List<String>> sk : sectionKeys.entrySet()) {
        String prefix = sk.getKey().toUpperCase(Locale.ROOT) + "_";
        if (!rest.startsWith(prefix)) {
          continue;
        }
        String keyPart = squash(rest.substring(prefix.length()));
        for (String key : sk.getValue()) {
          if (squash(key).equals(keyPart)) {
            Object section = root.computeIfAbsent(sk.getKey(), k -> new LinkedHashMap<String, Object>());
            if (!(section instanceof Map)) {
              throw new ConfigException(sk.getKey(), "expected a mapping");
            }
            Object value = key.equals("trustedProxies") ? splitList(e.getValue()) : e.getValue();
            ((Map<String, Object>) section).put(key, value);
          }
        }
      }
      if (rest.startsWith("SOURCES_") && root.get("sources") instanceof List<?> list) {
        for (Object o : list) {
          if (o instanceof Map<?, ?> src && src.get("id") != null) {
            String idPart = "SOURCES_" + src.get("id").toString().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_";
            if (rest.startsWith(idPart)) {
              String keyPart = squash(rest.substring(idPart.length()));
              Map<String, Object> m = (Map<String, Object>) src;
              for (String key : List.of("secrets", "toleranceSeconds", "dedupTtl", "maxBodyBytes", "provider")) {
                if (squash(key).equals(keyPart)) {
                  m.put(key, key.equals("secrets") ? splitList(e.getValue()) : e.getValue());
                }
              }
            }
          }
        }
      }
    }
  }

  private static String squash(String s) {
    return s.replace("_", "").toUpperCase(Locale.ROOT);
  }

  private static List<Object> splitList(String v) {
    List<Object> out = new ArrayList<>();
    for (String p : v.split(",")) {
      if (!p.isBlank()) {
        out.add(p.trim());
      }
    }
    return out;
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

  private static Map<String, Object> copy(Map<?, ?> m, String path) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String k)) {
        throw new ConfigException(path, "keys must be strings, got " + e.getKey());
      }
      out.put(k, deepCopy(e.getValue(), path + "." + k));
    }
    return out;
  }

  private static Object deepCopy(Object v, String path) {
    if (v instanceof Map<?, ?> m) {
      return copy(m, path);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < l.size(); i++) {
        out.add(deepCopy(l.get(i), path + "[" + i + "]"));
      }
      return out;
    }
    return v;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** A position in the YAML tree: typed accessors that name the field in every error. */
  private final class Node {
    final Map<String, Object> raw;
    final String path;

    Node(Map<String, Object> raw, String path) {
      this.raw = raw;
      this.path = path;
    }

    String path(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }

    void allowOnly(String... keys) {
      Set<String> allowed = Set.of(keys);
      for (String k : raw.keySet()) {
        if (!allowed.contains(k)) {
          throw new ConfigException(path(k), "unknown key (allowed here: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        }
      }
    }

    @SuppressWarnings("unchecked")
    Node section(String key) {
      Object v = raw.get(key);
      if (v == null) {
        return new Node(new LinkedHashMap<>(), path(key));
      }
      if (!(v instanceof Map)) {
        throw new ConfigException(path(key), "expected a mapping, got " + describe(v));
      }
      return new Node((Map<String, Object>) v, path(key));
    }

    @SuppressWarnings("unchecked")
    List<Node> list(String key) {
      Object v = raw.get(key);
      List<Node> out = new ArrayList<>();
      if (v == null) {
        return out;
      }
      if (!(v instanceof List<?> l)) {
        throw new ConfigException(path(key), "expected a list, got " + describe(v));
      }
      for (int i = 0; i < l.size(); i++) {
        Object item = l.get(i);
        String p = path(key) + "[" + i + "]";
        if (!(item instanceof Map)) {
          throw new ConfigException(p, "expected a mapping, got " + describe(item));
        }
        out.add(new Node((Map<String, Object>) item, p));
      }
      return out;
    }

    private String scalar(String key, boolean secret) {
      Object v = raw.get(key);
      if (v == null) {
        return null;
      }
      if (v instanceof Map || v instanceof List) {
        throw new ConfigException(path(key), "expected a single value, got " + describe(v));
      }
      return resolve(v.toString(), path(key), secret);
    }

    String string(String key, String def) {
      String v = scalar(key, false);
      return v == null ? def : v;
    }

    String requiredString(String key) {
      String v = scalar(key, false);
      if (v == null || v.isBlank()) {
        throw new ConfigException(path(key), "is required");
      }
      return v;
    }

    String oneOf(String key, String def, Set<String> allowed) {
      String v = string(key, def).toLowerCase(Locale.ROOT);
      if (!allowed.contains(v)) {
        throw new ConfigException(path(key), "must be one of " + new java.util.TreeSet<>(allowed) + ", got '" + v + "'");
      }
      return v;
    }

    int integer(String key, int def, int min, int max) {
      String v = scalar(key, false);
      if (v == null) {
        return def;
      }
      try {
        int n = Integer.parseInt(v.trim());
        if (n < min || n > max) {
          throw new ConfigException(path(key), "must be between " + min + " and " + max + ", got " + n);
        }
        return n;
      } catch (NumberFormatException e) {
        throw new ConfigException(path(key), "must be a whole number, got '" + v + "'");
      }
    }

    int port(String key, int def) {
      return integer(key, def, 0, 65535);
    }

    long size(String key, long def, long min, long max) {
      String v = scalar(key, false);
      if (v == null) {
        return def;
      }
      long n;
      try {
        n = parseSize(v.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(path(key), "must be a byte count like 1048576, 512KiB or 1MiB, got '" + v + "'");
      }
      if (n < min || n > max) {
        throw new ConfigException(path(key), "must be between " + min + " and " + max + " bytes, got " + n);
      }
      return n;
    }

    Duration duration(String key, Duration def) {
      String v = scalar(key, false);
      if (v == null) {
        return def;
      }
      try {
        Duration d = parseDuration(v.trim());
        if (d.isNegative() || d.isZero()) {
          throw new ConfigException(path(key), "must be positive, got '" + v + "'");
        }
        return d;
      } catch (IllegalArgumentException e) {
        throw new ConfigException(path(key), "must be a duration like 500ms, 10s, 5m, 72h or 7d, got '" + v + "'");
      }
    }

    String url(String key, Set<String> schemes) {
      String v = scalar(key, false);
      if (v == null || v.isBlank()) {
        return null;
      }
      try {
        URI uri = new URI(v.trim());
        if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
          throw new ConfigException(path(key), "must be a URL with scheme " + new java.util.TreeSet<>(schemes)
              + ", got '" + HooklineConfig.maskUrl(v) + "'");
        }
        if (!uri.getScheme().equals("unix") && (uri.getHost() == null || uri.getHost().isEmpty())) {
          throw new ConfigException(path(key), "URL has no host: '" + HooklineConfig.maskUrl(v) + "'");
        }
        return v.trim();
      } catch (URISyntaxException e) {
        throw new ConfigException(path(key), "is not a valid URL (" + e.getReason() + ")");
      }
    }

    List<String> stringList(String key) {
      Object v = raw.get(key);
      List<String> out = new ArrayList<>();
      if (v == null) {
        return out;
      }
      if (!(v instanceof List<?> l)) {
        throw new ConfigException(path(key), "expected a list, got " + describe(v));
      }
      for (int i = 0; i < l.size(); i++) {
        Object o = l.get(i);
        if (o == null || o instanceof Map || o instanceof List) {
          throw new ConfigException(path(key) + "[" + i + "]", "expected a single value");
        }
        out.add(resolve(o.toString(), path(key) + "[" + i + "]", false));
      }
      return List.copyOf(out);
    }

    Secret optionalSecret(String key) {
      String v = scalar(key, true);
      if (v == null || v.isEmpty()) {
        return null;
      }
      return Secret.of(v);
    }

    /** Each item is a string, or {value, notAfter} to keep an old secret valid until a moment. */
    List<Secret> secretList(String key) {
      Object v = raw.get(key);
      if (v == null) {
        throw new ConfigException(path(key), "at least one secret is required (fail closed: a source never runs unverified)");
      }
      if (!(v instanceof List<?> l)) {
        throw new ConfigException(path(key), "expected a list of secrets");
      }
      if (l.isEmpty()) {
        throw new ConfigException(path(key), "at least one secret is required (fail closed: a source never runs unverified)");
      }
      List<Secret> out = new ArrayList<>();
      for (int i = 0; i < l.size(); i++) {
        Object o = l.get(i);
        String p = path(key) + "[" + i + "]";
        if (o instanceof Map<?, ?> m) {
          for (Object k : m.keySet()) {
            if (!"value".equals(k) && !"notAfter".equals(k)) {
              throw new ConfigException(p + "." + k, "unknown key (allowed here: notAfter, value)");
            }
          }
          Object value = m.get("value");
          if (value == null) {
            throw new ConfigException(p + ".value", "is required");
          }
          String resolved = resolve(value.toString(), p + ".value", true);
          Instant notAfter = null;
          if (m.get("notAfter") != null) {
            Object na = m.get("notAfter");
            try {
              notAfter = na instanceof java.util.Date date ? date.toInstant()
                  : Instant.parse(resolve(na.toString(), p + ".notAfter", false).trim());
            } catch (DateTimeParseException e) {
              throw new ConfigException(p + ".notAfter", "must be an ISO-8601 instant like 2026-12-01T00:00:00Z");
            }
          }
          if (resolved.isEmpty()) {
            throw new ConfigException(p + ".value", "is empty");
          }
          out.add(new Secret(resolved, notAfter));
        } else if (o == null || o instanceof List) {
          throw new ConfigException(p, "expected a secret string");
        } else {
          String resolved = resolve(o.toString(), p, true);
          if (resolved.isEmpty()) {
            throw new ConfigException(p, "is empty");
          }
          out.add(Secret.of(resolved));
        }
      }
      return out;
    }
  }

  private static String describe(Object v) {
    if (v instanceof Map) {
      return "a mapping";
    }
    if (v instanceof List) {
      return "a list";
    }
    return "'" + v + "'";
  }

  static long parseSize(String v) {
    String s = v.toLowerCase(Locale.ROOT).replace(" ", "");
    long mult = 1;
    if (s.endsWith("kib") || s.endsWith("kb")) {
      mult = 1024;
      s = s.substring(0, s.length() - (s.endsWith("kib") ? 3 : 2));
    } else if (s.endsWith("mib") || s.endsWith("mb")) {
      mult = 1024 * 1024;
      s = s.substring(0, s.length() - (s.endsWith("mib") ? 3 : 2));
    } else if (s.endsWith("b")) {
      s = s.substring(0, s.length() - 1);
    }
    return Math.multiplyExact(Long.parseLong(s), mult);
  }

  /** 500ms, 10s, 5m, 72h, 7d, a bare number of seconds, or ISO-8601 (PT10S). */
  public static Duration parseDuration(String v) {
    String s = v.toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("pt") || s.startsWith("p")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      char unit = s.charAt(s.length() - 1);
      if (Character.isDigit(unit)) {
        return Duration.ofSeconds(Long.parseLong(s));
      }
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      return switch (unit) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new IllegalArgumentException(v);
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(v, e);
    }
  }
}
