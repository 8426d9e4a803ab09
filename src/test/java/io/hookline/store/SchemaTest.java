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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Migrations on a real PostgreSQL: idempotent, and migration 3 repairs headers stored by older versions. */
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
    await(Schema.migrate(pool, schema));
    await(Schema.migrate(pool, schema));
    Row r = await(pool.query("SELECT max(version), count(*) FROM " + schema + ".schema_version").execute()).iterator().next();
    assertThat(r.getInteger(0)).isEqualTo(Schema.MIGRATIONS.size());
    assertThat(r.getLong(1)).isEqualTo(Schema.MIGRATIONS.size());
  }

  @Test
  void headersStoredAsAJsonStringByOlderVersionsBecomeTheArray() {
    await(Schema.migrate(pool, schema));
    String legacy = "INSERT INTO " + schema + ".events (id, source_id, provider_event_id, received_at, headers, body) "
        + "VALUES (gen_random_uuid(), 's', '%s', now(), %s, '\\x7b7d')";
    await(pool.query(legacy.formatted("old", "to_jsonb('[[\"X-A\",\"1\"]]'::text)")).execute());
    await(pool.query(legacy.formatted("new", "'[[\"X-B\",\"2\"]]'::jsonb")).execute());
    // Pretend the database was left by a version before migration 3.
    await(pool.query("DELETE FROM " + schema + ".schema_version WHERE version >= 3").execute());

    await(Schema.migrate(pool, schema));

    RowSet<Row> rows = await(pool.query("SELECT provider_event_id, jsonb_typeof(headers), headers::text FROM "
        + schema + ".events ORDER BY provider_event_id").execute());
    assertThat(rows).extracting(r -> r.getString(0) + " " + r.getString(1) + " " + r.getString(2))
        .containsExactly("new array [[\"X-B\", \"2\"]]", "old array [[\"X-A\", \"1\"]]");
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
