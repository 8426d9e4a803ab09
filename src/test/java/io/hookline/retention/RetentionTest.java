package io.hookline.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.ConfigLoader;
import io.hookline.config.HooklineConfig;
import io.hookline.store.DeliveriesByHand;
import io.hookline.store.RetentionStore;
import io.hookline.store.RetentionStore.Batch;
import io.hookline.store.Schema;
import io.hookline.testing.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention on real PostgreSQL (retention delivered: 1d, dead: 3d): old finished events go with
 * their deliveries and attempts, in batches; pending ones and recent ones stay; one node at a time.
 */
class RetentionTest {
  private final Vertx vertx = Vertx.vertx();
  private final String schema = TestServices.freshSchema();
  private Pool sql;
  private final OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
  private final List<UUID> deletable = new ArrayList<>();
  private final List<UUID> kept = new ArrayList<>();

  @BeforeEach
  void seed() {
    sql = PgBuilder.pool().with(new PoolOptions().setMaxSize(3))
        .connectingTo(PgConnectOptions.fromUri(TestServices.pgUrl())).using(vertx).build();
    await(Schema.migrate(vertx, TestServices.pgUrl(), schema));
    deletable.add(event(Duration.ofDays(10), "delivered", "gone"));
    deletable.add(event(Duration.ofDays(10), "dead", "delivered"));  // older than dead: 3d
    deletable.add(event(Duration.ofDays(2), "delivered"));           // older than delivered: 1d
    deletable.add(event(Duration.ofDays(10)));                        // no destinations
    for (int i = 0; i < 5; i++) {
      deletable.add(event(Duration.ofDays(5 + i), "delivered"));
    }
    kept.add(event(Duration.ofDays(2), "dead"));                      // dead, but younger than 3d
    kept.add(event(Duration.ofDays(10), "pending", "delivered"));     // still being delivered
    kept.add(event(Duration.ofDays(20), "pending"));
    kept.add(event(Duration.ofHours(1), "delivered"));                // recent
  }

  @AfterEach
  void drop() {
    await(sql.query("DROP SCHEMA IF EXISTS " + schema + " CASCADE").execute());
    await(sql.close());
    await(vertx.close());
  }

  @Test
  void oldFinishedEventsGoInSmallBatchesAndPendingOrRecentOnesStay() {
    RetentionStore store = new RetentionStore(sql, schema);
    List<Integer> batches = new ArrayList<>();
    RetentionStore.Position at = RetentionStore.Position.START;
    while (true) {
      Batch b = await(store.deleteBatch(now.minusDays(1), now.minusDays(3), at, 2));
      assertThat(b.locked()).isTrue();
      batches.add(b.deleted());
      if (b.examined() == 0) {
        break;
      }
      at = b.last();
    }
    assertThat(batches).containsExactly(2, 2, 2, 2, 1, 0);
    assertRetained();
  }

  @Test
  void onlyOneNodeDeletesAtATime() {
    RetentionStore store = new RetentionStore(sql, schema);
    String key = "hashtext('hookline.retention.' || current_database() || '." + schema + "')";
    SqlConnection other = await(sql.getConnection());
    try {
      await(other.query("BEGIN").execute());
      await(other.query("SELECT pg_advisory_xact_lock(" + key + ")").execute());
      Batch b = await(store.deleteBatch(now.minusDays(1), now.minusDays(3), RetentionStore.Position.START, 100));
      assertThat(b.locked()).isFalse();
      assertThat(b.deleted()).isZero();
      assertThat(count("SELECT count(*) FROM " + schema + ".events")).isEqualTo(deletable.size() + kept.size());
      await(other.query("COMMIT").execute());
    } finally {
      await(other.close());
    }
    assertThat(await(store.deleteBatch(now.minusDays(1), now.minusDays(3), RetentionStore.Position.START, 100)).deleted())
        .isEqualTo(deletable.size());
  }

  @Test
  void aDeliveryReplayedWhileItsBatchRunsKeepsItsEvent() {
    UUID replayed = deletable.get(0); // 10 days old, delivered + gone: a candidate
    SqlConnection admin = await(sql.getConnection());
    try {
      // An admin's replay, not committed yet: it holds the delivery's row lock.
      await(admin.query("BEGIN").execute());
      await(admin.preparedQuery("UPDATE " + schema + ".deliveries SET status = 'pending', round = round + 1 "
          + "WHERE event_id = $1 AND destination_id = 'd0'").execute(Tuple.of(replayed)));
      await(admin.query(DeliveriesByHand.sync(schema)).execute());
      RetentionStore store = new RetentionStore(sql, schema);
      Future<Batch> batch = store.deleteBatch(now.minusDays(1), now.minusDays(3), RetentionStore.Position.START, 100);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      // Retention chose the event from its snapshot and now waits for the delivery's lock.
      while (count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'"
          + " AND query LIKE '%" + schema + ".deliveries%'") == 0) {
        assertThat(System.nanoTime() - deadline).as("retention waits for the replayed delivery's lock").isNegative();
        assertThat(batch.isComplete()).as("retention did not wait for the delivery lock").isFalse();
        sleep();
      }
      await(admin.query("COMMIT").execute());
      Batch b = await(batch);
      assertThat(b.examined()).isEqualTo(deletable.size());
      assertThat(b.deleted()).isEqualTo(deletable.size() - 1);
    } finally {
      await(admin.close());
    }
    assertThat(count("SELECT count(*) FROM " + schema + ".events WHERE id = $1", replayed)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM " + schema + ".deliveries WHERE event_id = $1", replayed)).isEqualTo(2);
  }

  @Test
  void theVerticleDeletesInPassesAndCountsInMetrics() {
    HooklineConfig config = new ConfigLoader(Map.of()).load("""
        redis: { url: "redis://127.0.0.1:1" }
        postgres: { url: "%s", schema: %s }
        retention: { delivered: 1d, dead: 3d }
        """.formatted(TestServices.pgUrl(), schema));
    assertThat(config.retention().delivered()).isEqualTo(Duration.ofDays(1));
    assertThat(config.retention().dead()).isEqualTo(Duration.ofDays(3));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    await(vertx.deployVerticle(new RetentionVerticle(config, registry, 100, 3)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (registry.counter("hookline.retention.deleted").count() < deletable.size()
        || registry.counter("hookline.retention.passes").count() < 1) {
      assertThat(System.nanoTime() - deadline).as("retention deleted everything due within 30 s").isNegative();
      sleep();
    }
    assertRetained();
    assertThat(registry.counter("hookline.retention.deleted").count()).isEqualTo(deletable.size());
  }

  private void assertRetained() {
    List<UUID> left = new ArrayList<>();
    await(sql.query("SELECT id FROM " + schema + ".events").execute()).forEach(r -> left.add(r.getUUID(0)));
    assertThat(left).containsExactlyInAnyOrderElementsOf(kept);
    Set<UUID> withDeliveries = new java.util.HashSet<>();
    await(sql.query("SELECT event_id FROM " + schema + ".deliveries").execute()).forEach(r -> withDeliveries.add(r.getUUID(0)));
    assertThat(withDeliveries).doesNotContainAnyElementsOf(deletable);
    assertThat(count("SELECT count(*) FROM " + schema + ".delivery_attempts WHERE event_id = ANY($1::uuid[])",
        (Object) deletable.toArray(UUID[]::new))).isZero();
    assertThat(count("SELECT count(*) FROM " + schema + ".delivery_attempts WHERE event_id = ANY($1::uuid[])",
        (Object) kept.toArray(UUID[]::new))).isEqualTo(count("SELECT count(*) FROM " + schema + ".deliveries"));
  }

  /** An event received {@code age} ago with one delivery (and one attempt) per status given. */
  private UUID event(Duration age, String... statuses) {
    UUID id = UUID.randomUUID();
    OffsetDateTime at = now.minus(age);
    await(sql.preparedQuery("INSERT INTO " + schema + ".events (id, source_id, provider_event_id, event_type, received_at, "
            + "content_type, headers, body) VALUES ($1, 'src', $2, 't', $3, 'application/json', '[]'::jsonb, $4)")
        .execute(Tuple.of(id, "p-" + id, at, Buffer.buffer("{}"))));
    for (int i = 0; i < statuses.length; i++) {
      await(sql.preparedQuery("INSERT INTO " + schema + ".deliveries (event_id, source_id, destination_id, status, attempts) "
          + "VALUES ($1, 'src', $2, $3, 1)").execute(Tuple.of(id, "d" + i, statuses[i])));
      await(sql.preparedQuery("INSERT INTO " + schema + ".delivery_attempts (event_id, destination_id, round, attempt, "
              + "node_id, started_at, finished_at, status_code, latency_ms, outcome) VALUES ($1, $2, 1, 1, 'n', $3, $3, 200, 1, 'x')")
          .execute(Tuple.of(id, "d" + i, at)));
    }
    await(sql.query(DeliveriesByHand.sync(schema)).execute());
    return id;
  }

  private long count(String q, Object... params) {
    return await(sql.preparedQuery(q).execute(Tuple.wrap(List.of(params)))).iterator().next().getLong(0);
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
