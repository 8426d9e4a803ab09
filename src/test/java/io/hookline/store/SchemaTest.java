package io.hookline.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Migrations on a real PostgreSQL: idempotent, once when nodes start together, a pre-Flyway database adopted
 * with its data, and migration 3 repairs headers stored by older versions.
 */
class SchemaTest {
  Vertx vertx;
  Pool pool;
  String schema;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(PgConnectOptions.fromUri(TestServices.pgUrl())).using(vertx).build();
    schema = TestServices.freshSchema();
  }

  @AfterEach
  void tearDown() {
    await(pool.query("DROP SCHEMA IF EXISTS " + schema + " CASCADE").execute());
    await(pool.close());
    await(vertx.close());
  }

  @Test
  void migratingTwiceIsHarmlessAndRecordsEveryVersion() {
    await(Schema.migrate(vertx, TestServices.pgUrl(), schema));
    await(Schema.migrate(vertx, TestServices.pgUrl(), schema));
    Row r = await(pool.query("SELECT max(version::int), count(*) FILTER (WHERE success), count(*) FROM " + schema + "."
        + Schema.HISTORY_TABLE + " WHERE version IS NOT NULL").execute()).iterator().next();
    assertThat(r.getInteger(0)).isEqualTo(LegacySchema.migrationFiles());
    assertThat(r.getLong(1)).isEqualTo(r.getLong(2)).isEqualTo(LegacySchema.migrationFiles());
  }

  @Test
  void theLatestVersionIsTheNewestMigrationFile() {
    assertThat(Schema.LATEST_VERSION).as("Schema.LATEST_VERSION after adding a migration file")
        .isEqualTo(LegacySchema.migrationFiles());
  }

  @Test
  void nodesStartingTogetherMigrateOnce() {
    List<Future<Void>> nodes = List.of(Schema.migrate(vertx, TestServices.pgUrl(), schema),
        Schema.migrate(vertx, TestServices.pgUrl(), schema), Schema.migrate(vertx, TestServices.pgUrl(), schema));
    await(Future.all(nodes));
    Row r = await(pool.query("SELECT count(*), count(DISTINCT version) FROM " + schema + "." + Schema.HISTORY_TABLE
        + " WHERE version IS NOT NULL").execute()).iterator().next();
    assertThat(r.getLong(0)).isEqualTo(r.getLong(1)).isEqualTo(LegacySchema.migrationFiles());
  }

  @Test
  void headersStoredAsAJsonStringByOlderVersionsBecomeTheArray() {
    // A database left by a release before migration 3 (pre-Flyway: its own schema_version table).
    await(LegacySchema.create(pool, schema, 2));
    String legacy = "INSERT INTO " + schema + ".events (id, source_id, provider_event_id, received_at, headers, body) "
        + "VALUES (gen_random_uuid(), 's', '%s', now(), %s, '\\x7b7d')";
    await(pool.query(legacy.formatted("old", "to_jsonb('[[\"X-A\",\"1\"]]'::text)")).execute());
    await(pool.query(legacy.formatted("new", "'[[\"X-B\",\"2\"]]'::jsonb")).execute());

    await(Schema.migrate(vertx, TestServices.pgUrl(), schema));

    RowSet<Row> rows = await(pool.query("SELECT provider_event_id, jsonb_typeof(headers), headers::text FROM "
        + schema + ".events ORDER BY provider_event_id").execute());
    assertThat(rows).extracting(r -> r.getString(0) + " " + r.getString(1) + " " + r.getString(2))
        .containsExactly("new array [[\"X-B\", \"2\"]]", "old array [[\"X-A\", \"1\"]]");
  }

  @Test
  void aDatabaseOfThePreFlywayReleaseIsAdoptedWithItsData() {
    await(LegacySchema.create(pool, schema, 10));
    UUID event = UUID.fromString("0190a000-0000-7000-8000-000000000001");
    String s = schema;
    await(pool.query("INSERT INTO " + s + ".events (id, source_id, provider_event_id, event_type, received_at, headers, body)"
        + " VALUES ('" + event + "', 'src', 'evt-1', 'push', now(), '[]', '\\x7b7d')").execute());
    await(pool.query("INSERT INTO " + s + ".deliveries (event_id, source_id, destination_id, status, attempts)"
        + " VALUES ('" + event + "', 'src', 'a', 'delivered', 1), ('" + event + "', 'src', 'b', 'pending', 2),"
        + " ('" + event + "', 'src', 'c', 'dead', 8)").execute());
    await(pool.query("INSERT INTO " + s + ".delivery_attempts (event_id, destination_id, round, attempt, node_id, started_at,"
        + " finished_at, status_code, latency_ms, outcome) VALUES ('" + event + "', 'a', 1, 1, 'n1', now(), now(), 200, 5, 'delivered')")
        .execute());
    await(pool.query("INSERT INTO " + s + ".replay_jobs (id, state, matched, criteria, created_by, node_id, created_at, updated_at)"
        + " VALUES (gen_random_uuid(), 'done', 1, '{}', 'admin', 'n1', now(), now())").execute());
    await(pool.query("INSERT INTO " + s + ".destination_states (source_id, destination_id, paused) VALUES ('src', 'b', true)")
        .execute());

    await(Schema.migrate(vertx, TestServices.pgUrl(), schema));

    Row baseline = await(pool.query("SELECT version, type FROM " + s + "." + Schema.HISTORY_TABLE
        + " WHERE installed_rank = 1").execute()).iterator().next();
    assertThat(baseline.getString(0) + " " + baseline.getString(1)).isEqualTo("10 BASELINE");
    assertThat(count("events WHERE id = '" + event + "' AND provider_event_id = 'evt-1'")).isEqualTo(1);
    assertThat(count("deliveries WHERE event_id = '" + event + "'")).isEqualTo(3);
    assertThat(count("deliveries WHERE status = 'pending'")).isEqualTo(1);
    // Migration 15: the pending delivery is queued, the dead one indexed as failed.
    assertThat(count("delivery_queue WHERE event_id = '" + event + "' AND destination_id = 'b'")).isEqualTo(1);
    assertThat(count("delivery_queue")).isEqualTo(1);
    assertThat(count("deliveries WHERE failed_at IS NOT NULL")).isEqualTo(1);
    assertThat(count("deliveries WHERE destination_id = 'c' AND failed_at IS NOT NULL")).isEqualTo(1);
    assertThat(count("delivery_attempts WHERE event_id = '" + event + "'")).isEqualTo(1);
    assertThat(count("replay_jobs")).isEqualTo(1);
    assertThat(count("destination_states WHERE paused")).isEqualTo(1);
  }

  private long count(String fromWhere) {
    return await(pool.query("SELECT count(*) FROM " + schema + "." + fromWhere).execute()).iterator().next().getLong(0);
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
