package io.hookline.delivery;

import io.hookline.config.ConfigLoader;
import io.hookline.config.HooklineConfig;
import io.hookline.store.EventWriter;
import io.hookline.store.NewEvent;
import io.hookline.store.Schema;
import io.hookline.store.StoreResult;
import io.hookline.testing.TestServices;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A fresh schema on real PostgreSQL, events inserted exactly as ingest commits them, and delivery
 * workers deployed the way {@code Hookline} deploys them. Blocking helpers for plain JUnit tests.
 */
final class Harness implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final String schema;
  final Pool sql;
  /** Ingest's writers run on one context each; the tests' share this one. */
  private final Context writerContext = vertx.getOrCreateContext();
  private final Map<String, EventWriter> writers = new HashMap<>();
  private static final HooklineConfig.Store WRITER_LIMITS =
      new HooklineConfig.Store(256, 1024, 1, Duration.ofSeconds(2), Duration.ofSeconds(10));

  Harness() {
    this(TestServices.freshSchema());
  }

  /** On a given schema name (also migrated by any node started on it: migrations are idempotent). */
  Harness(String schema) {
    this.schema = schema;
    sql = PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
        .connectingTo(PgConnectOptions.fromUri(TestServices.pgUrl())).using(vertx).build();
    await(Schema.migrate(vertx, TestServices.pgUrl(), schema));
  }

  /**
   * A node configuration over this schema. {@code sources} is the YAML list of sources;
   * {@code delivery} the flow-mapping body of the delivery section (fast polling unless overridden).
   */
  HooklineConfig config(String delivery, String sources) {
    String yaml = "redis: { url: \"redis://127.0.0.1:1\" }\n"
        + "postgres: { url: \"" + TestServices.pgUrl() + "\", schema: " + schema + " }\n"
        + "delivery: { " + delivery + " }\n"
        + "sources:\n" + sources;
    return new ConfigLoader(Map.of()).load(yaml);
  }

  /** One source "src" (GitHub-verified; delivery tests never verify) with the given destinations YAML. */
  static String source(String id, String destinationsYaml) {
    return "  - id: " + id + "\n"
        + "    provider: github\n"
        + "    secrets: [\"unused-in-delivery-tests\"]\n"
        + "    destinations:\n" + destinationsYaml;
  }

  static String destination(String id, String url, String extra) {
    return "      - { id: " + id + ", url: \"" + url + "\"" + (extra.isEmpty() ? "" : ", " + extra) + " }\n";
  }

  String deploy(Vertx on, HooklineConfig config, String nodeId, MeterRegistry registry) {
    return await(on.deployVerticle(() -> new DeliveryWorker(config, nodeId, registry),
        DeliveryWorker.deploymentOptions(config)));
  }

  String deploy(HooklineConfig config, String nodeId, MeterRegistry registry) {
    return deploy(vertx, config, nodeId, registry);
  }

  /**
   * Inserts an event and one pending delivery per destination through ingest's {@link EventWriter}
   * (its group commit, one writer per source on one context, as an ingest verticle holds it).
   */
  UUID insertEvent(String sourceId, String body, String... destinationIds) {
    UUID id = UUID.randomUUID();
    NewEvent event = new NewEvent(id, sourceId, "evt_" + id, "test.event", OffsetDateTime.now(ZoneOffset.UTC),
        "application/json", "[[\"X-Test\",\"1\"]]", Buffer.buffer(body), destinationIds);
    Promise<StoreResult> written = Promise.promise();
    writerContext.runOnContext(v -> writers.computeIfAbsent(sourceId, s -> new EventWriter(sql, schema, WRITER_LIMITS,
        Map.of(s, Duration.ofHours(72)), (size, nanos) -> { })).write(event).onComplete(written));
    StoreResult result = await(written.future());
    if (result.duplicate() || !result.id().equals(id)) {
      throw new IllegalStateException("event " + id + " was not stored as new: " + result);
    }
    return id;
  }

  List<UUID> insertEvents(int n, String sourceId, String... destinationIds) {
    List<UUID> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(insertEvent(sourceId, "{\"n\":" + i + "}", destinationIds));
    }
    return ids;
  }

  void hint(UUID eventId) {
    vertx.eventBus().send(DeliveryAddresses.EVENT_COMMITTED, eventId.toString());
  }

  /** After deliveries were changed by hand: failed_at and delivery_queue as the writers would have left them. */
  void syncDeliveries() {
    query(io.hookline.store.DeliveriesByHand.sync("{schema}"));
  }

  RowSet<Row> query(String sqlWithSchema, Object... params) {
    return await(sql.preparedQuery(sqlWithSchema.replace("{schema}", schema)).execute(Tuple.wrap(Arrays.asList(params))));
  }

  long count(String sqlWithSchema, Object... params) {
    return query(sqlWithSchema, params).iterator().next().getLong(0);
  }

  String status(UUID eventId, String destinationId) {
    RowSet<Row> rows = query("SELECT status FROM {schema}.deliveries WHERE event_id = $1 AND destination_id = $2",
        eventId, destinationId);
    return rows.iterator().next().getString(0);
  }

  /** Polls (no fixed sleeps) until the condition holds or the deadline passes. */
  static void eventually(Duration within, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + within.toMillis() + " ms: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      // Workers first, so none is mid-statement when the schema goes.
      for (String id : vertx.deploymentIDs()) {
        await(vertx.undeploy(id));
      }
      await(sql.query("DROP SCHEMA IF EXISTS " + schema + " CASCADE").execute());
    } finally {
      await(vertx.close());
    }
  }
}
