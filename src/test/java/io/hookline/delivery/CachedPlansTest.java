package io.hookline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.store.DeliveriesByHand;
import io.hookline.store.DeliveryResults;
import io.hookline.store.PreparedPlans;
import io.hookline.store.Schema;
import io.hookline.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attempt-result write's plan, cached (generic) while {@code deliveries} held a page of rows, then used on a
 * full table, as on a node that starts on a new schema and takes a burst with no ANALYZE in between. What a plain
 * connection plans there depends on the PostgreSQL version and its statistics (15 with autovacuum off: a seq scan;
 * 17: a bitmap scan), so only the hot-path connections' plan is asserted: it holds on both.
 */
class CachedPlansTest {
  private static final String NULLS = "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)";
  Vertx vertx;
  String schema;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    schema = TestServices.freshSchema();
    Pool pool = PgBuilder.pool().connectingTo(TestServices.pgUrl()).using(vertx).build();
    try {
      await(Schema.migrate(vertx, TestServices.pgUrl(), schema));
    } finally {
      await(pool.close());
    }
  }

  @AfterEach
  void tearDown() {
    TestServices.dropSchema(schema);
    await(vertx.close());
  }

  @Test
  void hotPathConnectionsKeepThePrimaryKeyLookupInAPlanCachedOnAnEmptyTable() {
    String plan = planCachedEmptyUsedFull(PreparedPlans.connectOptions(TestServices.pgUrl()));
    // deliveries is partitioned (migration 11): each partition's primary key is named after it.
    assertThat(plan).containsPattern("deliveries_\\w+_pkey").doesNotContain("Seq Scan on deliveries");
    // The queue rows of the batch (migration 15), by their key too.
    assertThat(plan).contains("delivery_queue_pkey").doesNotContain("Seq Scan on delivery_queue");
  }

  private String planCachedEmptyUsedFull(PgConnectOptions options) {
    PgConnection conn = await(PgConnection.connect(vertx, options));
    try {
      await(conn.query("SET plan_cache_mode = force_generic_plan").execute());
      await(conn.query("PREPARE w AS " + DeliveryResults.sql(schema)).execute());
      insertDeliveries(conn, 50);
      await(conn.query("EXECUTE w" + NULLS).execute()); // the generic plan is made now, on a one-page table
      insertDeliveries(conn, 20_000);
      StringBuilder plan = new StringBuilder();
      for (Row r : await(conn.query("EXPLAIN EXECUTE w" + NULLS).execute())) {
        plan.append(r.getString(0)).append('\n');
      }
      return plan.toString();
    } finally {
      await(conn.close());
    }
  }

  private void insertDeliveries(PgConnection conn, int n) {
    await(conn.query("INSERT INTO " + schema + ".deliveries (event_id, source_id, destination_id) "
        + "SELECT gen_random_uuid(), 'src', 'dest' FROM generate_series(1, " + n + ")").execute());
    await(conn.query(DeliveriesByHand.sync(schema)).execute());
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
