package io.hookline.testing;

import io.hookline.Hookline;
import io.hookline.config.ConfigLoader;
import io.hookline.config.HooklineConfig;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An in-process Hookline node on real Redis and PostgreSQL, with its own schema and key prefix,
 * plus a plain HTTP client and SQL access for assertions. Close it at the end of the test.
 */
public final class TestNode implements AutoCloseable {
  public final Hookline hookline;
  // HTTP/1.1 as providers send it; the JDK default (h2c upgrade) once left a /metrics read hanging.
  public final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final Vertx sqlVertx = Vertx.vertx();
  private final Pool sql;

  /**
   * Starts a node from a YAML fragment with the sources (and anything else); the public port is
   * any free one unless the fragment has an {@code http:} section; the management port (any free
   * one), Redis/PostgreSQL URLs, schema and key prefix are set as overrides unless {@code env} sets them.
   */
  public static TestNode start(String yaml) {
    return start(yaml, Map.of(), TestServices.pgUrl());
  }

  public static TestNode start(String yaml, Map<String, String> env, String pgUrlForNode) {
    return start(yaml, env, pgUrlForNode, TestServices.redisUrl());
  }

  public static TestNode start(String yaml, Map<String, String> env, String pgUrlForNode, String redisUrlForNode) {
    String schema = TestServices.freshSchema();
    String prefix = TestServices.freshPrefix();
    StringBuilder full = new StringBuilder(yaml == null ? "" : yaml).append('\n');
    // A top-level http: section of the fragment's own (which then sets its port); "http://" in a
    // destination URL is not one.
    if (!java.util.regex.Pattern.compile("(?m)^http:").matcher(full).find()) {
      full.append("http: { port: 0, instances: 2 }\n");
    }
    // Only the test's own variables, never the developer's HOOKLINE_* exports; the node's services
    // and management port go in as overrides, so a fragment may still have its own management: section.
    Map<String, String> nodeEnv = new java.util.HashMap<>(env);
    nodeEnv.putIfAbsent("HOOKLINE_MANAGEMENT_PORT", "0");
    // No warm-up unless a test asks for one (WarmupTest covers it): seconds per node start otherwise.
    nodeEnv.putIfAbsent("HOOKLINE_HTTP_WARMUP_SECONDS", "0");
    nodeEnv.putIfAbsent("HOOKLINE_REDIS_URL", redisUrlForNode);
    nodeEnv.putIfAbsent("HOOKLINE_REDIS_KEY_PREFIX", prefix);
    nodeEnv.putIfAbsent("HOOKLINE_POSTGRES_URL", pgUrlForNode);
    nodeEnv.putIfAbsent("HOOKLINE_POSTGRES_SCHEMA", schema);
    HooklineConfig config = new ConfigLoader(nodeEnv).load(full.toString());
    Hookline node;
    try {
      node = await(Hookline.start(config).toCompletionStage().toCompletableFuture());
    } catch (RuntimeException e) {
      TestServices.dropSchema(schema); // migrated before the start failed
      throw e;
    }
    return new TestNode(node, TestServices.pgUrl());
  }

  private TestNode(Hookline hookline, String pgUrl) {
    this.hookline = hookline;
    this.sql = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(PgConnectOptions.fromUri(pgUrl)).using(sqlVertx).build();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + hookline.httpPort();
  }

  public String managementUrl() {
    return "http://127.0.0.1:" + hookline.managementPort();
  }

  /** POSTs to {@code /webhooks/<target>}; the target may carry a query string ({@code twilio?bodySHA256=...}). */
  public HttpResponse<String> post(String target, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + "/webhooks/" + target))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    // setHeader, so a caller's Content-Type (e.g. a form post) replaces the JSON default instead of adding a second one.
    headers.forEach(b::setHeader);
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> get(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public RowSet<Row> query(String sqlWithSchema, Object... params) {
    String q = sqlWithSchema.replace("{schema}", schemaName());
    return await(sql.preparedQuery(q).execute(Tuple.wrap(java.util.Arrays.asList(params)))
        .toCompletionStage().toCompletableFuture());
  }

  public long count(String sqlWithSchema, Object... params) {
    return query(sqlWithSchema, params).iterator().next().getLong(0);
  }

  public String schemaName() {
    return hookline.config().postgres().schema();
  }

  public String keyPrefix() {
    return hookline.config().redis().keyPrefix();
  }

  public static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    stopKeepingSchema();
    TestServices.dropSchema(schemaName());
  }

  /** Stops the node but leaves its schema, for a node started after it on the same data (a restart). */
  public void stopKeepingSchema() {
    await(hookline.stop().toCompletionStage().toCompletableFuture());
    await(sql.close().toCompletionStage().toCompletableFuture());
    await(sqlVertx.close().toCompletionStage().toCompletableFuture());
  }
}
