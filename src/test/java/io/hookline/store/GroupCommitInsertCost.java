package io.hookline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hookline.config.HooklineConfig;
import io.hookline.metrics.MicrometerIngestMetrics;
import io.hookline.testing.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Benchmark fixture, not part of the suite: what each admin index costs the ingest path. The real
 * {@link EventWriter} (group commit: batches of 256, 2 in flight) inserts events with one delivery
 * into scratch schemas that differ only in the events indexes; runs are interleaved across the
 * variants so machine noise hits all alike. Run:
 * <pre>mvn -o test -Dtest=GroupCommitInsertCost -Dhookline.insertCost=1 [-Dhookline.insertCost.runs=7 -Dhookline.insertCost.events=20000]</pre>
 * Writes load-tests/admin/INSERT-COST.md.
 */
class GroupCommitInsertCost {
  /** The variants: DDL applied after migrations 1-5 (the schema before the admin list indexes). */
  private static final Map<String, String> VARIANTS = new LinkedHashMap<>();

  static {
    VARIANTS.put("before (events_received_at_idx on received_at)", "");
    VARIANTS.put("(received_at, id) instead of (received_at)",
        "CREATE INDEX ON %1$s.events (received_at, id); DROP INDEX %1$s.events_received_at_idx;");
    VARIANTS.put("+ (source_id, received_at, id)",
        "CREATE INDEX ON %1$s.events (received_at, id); DROP INDEX %1$s.events_received_at_idx;"
            + "CREATE INDEX ON %1$s.events (source_id, received_at, id);");
    VARIANTS.put("+ (event_type, received_at, id) = after (all admin indexes)",
        "CREATE INDEX ON %1$s.events (received_at, id); DROP INDEX %1$s.events_received_at_idx;"
            + "CREATE INDEX ON %1$s.events (source_id, received_at, id); CREATE INDEX ON %1$s.events (event_type, received_at, id);");
  }

  @Test
  void measure() throws Exception {
    assumeTrue(System.getProperty("hookline.insertCost") != null, "set -Dhookline.insertCost=1 to measure");
    int runs = Integer.getInteger("hookline.insertCost.runs", 9);
    int events = Integer.getInteger("hookline.insertCost.events", 20_000);
    Vertx vertx = Vertx.vertx();
    Pool admin = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(PgConnectOptions.fromUri(TestServices.pgUrl())).using(vertx).build();
    Map<String, String> schemas = new LinkedHashMap<>();
    Map<String, List<Double>> micros = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, String> v : VARIANTS.entrySet()) {
        String schema = TestServices.freshSchema();
        schemas.put(v.getKey(), schema);
        micros.put(v.getKey(), new ArrayList<>());
        // The schema as it was when these variants were measured: migrations 1 to 5.
        Flyway.configure().dataSource(Schema.dataSource(TestServices.pgUrl())).schemas(schema).defaultSchema(schema)
            .createSchemas(true).table(Schema.HISTORY_TABLE).target("5").load().migrate();
        if (!v.getValue().isEmpty()) {
          await(admin.query(String.format(v.getValue(), schema)).execute());
        }
      }
      for (int run = 0; run < runs + 1; run++) {
        for (Map.Entry<String, String> s : schemas.entrySet()) {
          double us = insert(vertx, s.getValue(), events, run);
          if (run > 0) { // run 0 warms the JIT, the pool and PostgreSQL's caches
            micros.get(s.getKey()).add(us);
          }
        }
      }
      // Server side only, and immune to the machine's noise: the WAL one statement writes.
      Map<String, List<double[]>> wal = new LinkedHashMap<>();
      for (int run = 0; run < WAL_RUNS; run++) {
        for (Map.Entry<String, String> s : schemas.entrySet()) {
          wal.computeIfAbsent(s.getKey(), k -> new ArrayList<>()).add(walOfInsert(admin, s.getValue(), run));
        }
      }
      StringBuilder md = new StringBuilder("# Group-commit insert cost of the admin indexes\n\n")
          .append("Written by `GroupCommitInsertCost` (see its Javadoc): the real EventWriter (batches of 256, 2 in ")
          .append("flight, one delivery per event) inserting ").append(events).append(" events per run into scratch ")
          .append("schemas that differ only in their events indexes; ").append(runs).append(" runs per variant, ")
          .append("interleaved, after one warm-up run; each run adds to the same tables (so the last runs insert into ")
          .append(events * runs).append("-row tables). µs per event (wall clock, whole batch committed durably) on a ")
          .append("2-core machine shared with other work: compare the medians, read min-max as the noise.\n\n")
          .append("| variant | median µs/event | min | max | vs before |\n|---|---:|---:|---:|---:|\n");
      double base = median(micros.values().iterator().next());
      micros.forEach((name, list) -> md.append("| ").append(name).append(" | ")
          .append(String.format("%.1f", median(list))).append(" | ")
          .append(String.format("%.1f", list.stream().mapToDouble(d -> d).min().orElse(0))).append(" | ")
          .append(String.format("%.1f", list.stream().mapToDouble(d -> d).max().orElse(0))).append(" | ")
          .append(String.format("%+.0f%%", 100 * (median(list) / base - 1))).append(" |\n"));
      md.append("\nThe same inserts seen from PostgreSQL alone: `EXPLAIN (ANALYZE, WAL)` of one multi-row insert of ")
          .append(WAL_BATCH).append(" events with one delivery each (EventWriter's statement shape, as one INSERT ... SELECT), ")
          .append(WAL_RUNS).append(" times per variant, interleaved; medians per event. WAL records and bytes do not ")
          .append("depend on the machine's load: each index adds one record per row.\n\n")
          .append("| variant | WAL records/event | WAL bytes/event | execution µs/event |\n|---|---:|---:|---:|\n");
      wal.forEach((name, list) -> md.append("| ").append(name).append(" | ")
          .append(String.format("%.2f", median(list.stream().map(a -> a[0]).toList()))).append(" | ")
          .append(String.format("%.0f", median(list.stream().map(a -> a[1]).toList()))).append(" | ")
          .append(String.format("%.1f", median(list.stream().map(a -> a[2]).toList()))).append(" |\n"));
      Files.writeString(Path.of("load-tests/admin/INSERT-COST.md"), md.toString());
    } finally {
      for (String schema : schemas.values()) {
        await(admin.query("DROP SCHEMA IF EXISTS " + schema + " CASCADE").execute());
      }
      await(admin.close());
      await(vertx.close());
    }
  }

  private static final int WAL_RUNS = 9;
  private static final int WAL_BATCH = 1000;

  /** {WAL records, WAL bytes, execution µs} per event of one multi-row insert of events and deliveries. */
  private static double[] walOfInsert(Pool admin, String schema, int run) {
    String sql = "EXPLAIN (ANALYZE, WAL, FORMAT JSON) WITH e AS (INSERT INTO " + schema + ".events "
        + "(id, source_id, provider_event_id, event_type, received_at, content_type, headers, body) "
        + "SELECT gen_random_uuid(), (ARRAY['stripe','github','shopify','slack'])[1 + i % 4], 'wal_" + run + "_' || i, "
        + "(ARRAY['charge.succeeded','invoice.paid','customer.created','payout.paid'])[1 + i % 4], now(), "
        + "'application/json', '[[\"Content-Type\",\"application/json\"]]'::jsonb, "
        + "convert_to('{\"id\":\"evt_' || i || '\",\"object\":\"event\",\"data\":{\"amount\":' || i || '}}', 'UTF8') "
        + "FROM generate_series(1, " + WAL_BATCH + ") AS i RETURNING id, source_id, received_at) "
        + "INSERT INTO " + schema + ".deliveries (event_id, source_id, destination_id, next_attempt_at) "
        + "SELECT id, source_id, 'd0', received_at FROM e";
    io.vertx.core.json.JsonObject plan = new io.vertx.core.json.JsonArray(
        await(admin.query(sql).execute()).iterator().next().getValue(0).toString()).getJsonObject(0);
    io.vertx.core.json.JsonObject top = plan.getJsonObject("Plan");
    return new double[] {top.getLong("WAL Records") / (double) WAL_BATCH, top.getLong("WAL Bytes") / (double) WAL_BATCH,
        plan.getDouble("Execution Time") * 1000 / WAL_BATCH};
  }

  /** Inserts {@code n} events through one EventWriter on one event loop; µs per event. */
  private static double insert(Vertx vertx, String schema, int n, int run) {
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
        .connectingTo(PgConnectOptions.fromUri(TestServices.pgUrl())).using(vertx).build();
    try {
      Context ctx = vertx.getOrCreateContext();
      Promise<Long> done = Promise.promise();
      MicrometerIngestMetrics metrics = new MicrometerIngestMetrics(new SimpleMeterRegistry(), List.of("stripe"), Map.of("stripe", "stripe"));
      HooklineConfig.Store cfg = new HooklineConfig.Store(256, n, 2, Duration.ofSeconds(2), Duration.ofSeconds(5));
      String[] types = {"charge.succeeded", "invoice.paid", "customer.created", "payout.paid"};
      String[] sources = {"stripe", "github", "shopify", "slack"};
      ctx.runOnContext(v -> {
        EventWriter writer = new EventWriter(pool, schema, cfg, Map.of(), metrics);
        long start = System.nanoTime();
        List<Future<StoreResult>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          String body = "{\"id\":\"evt_" + run + "_" + i + "\",\"object\":\"event\",\"data\":{\"amount\":" + i + "}}";
          all.add(writer.write(new NewEvent(uuidV7(), sources[i % 4], "evt_" + run + "_" + i, types[i % 4],
              OffsetDateTime.now(ZoneOffset.UTC), "application/json",
              "[[\"Content-Type\",\"application/json\"],[\"Stripe-Signature\",\"t=1,v1=abc\"]]", Buffer.buffer(body),
              new String[] {"d0"})));
        }
        Future.all(all).onComplete(ar -> {
          if (ar.failed()) {
            done.fail(ar.cause());
          } else {
            done.complete(System.nanoTime() - start);
          }
        });
      });
      long nanos = await(done.future());
      return nanos / 1000.0 / n;
    } finally {
      await(pool.close());
    }
  }

  /** Time-ordered like the node's event ids, so the primary key sees the same append-mostly inserts. */
  private static java.util.UUID uuidV7() {
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    long msb = (System.currentTimeMillis() << 16) | 0x7000L | (r.nextLong() & 0x0FFFL);
    return new java.util.UUID(msb, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    assertThat(sorted).isNotEmpty();
    return sorted.get(sorted.size() / 2);
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
