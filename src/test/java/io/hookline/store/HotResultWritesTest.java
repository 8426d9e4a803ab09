package io.hookline.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.store.DeliveryResults.AttemptResult;
import io.hookline.testing.MigratedSchema;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Migration 15's promise: the result write of a delivered or retried delivery is a HOT update of {@code deliveries}
 * (no index reads a column it changes, and the page has room), and {@code delivery_queue} follows: a finished delivery
 * leaves it, a retry stays with its new due time. Counted by PostgreSQL itself, in the statement's own transaction.
 */
class HotResultWritesTest {
  static final String OWNER = "node-hot/0";
  MigratedSchema db;
  String schema;

  @BeforeEach
  void setUp() {
    db = MigratedSchema.create();
    schema = db.name;
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  /** Three events handed off to this node, two destinations each; their results: delivered, retried, dead. */
  List<AttemptResult> writeEventsAndResults(String prefix) {
    EventWriter writer = EventWriterTest.newWriter(db.pool, schema);
    List<NewEvent> events = List.of(EventWriterTest.event(prefix + "-1", "t", OWNER),
        EventWriterTest.event(prefix + "-2", "t", OWNER), EventWriterTest.event(prefix + "-3", "t", OWNER));
    Promise<Void> written = Promise.promise();
    db.vertx.getOrCreateContext().runOnContext(v -> Future.all(events.stream().map(writer::write).toList())
        .<Void>mapEmpty().onComplete(written));
    await(written.future());
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    List<AttemptResult> results = new ArrayList<>();
    DeliveryStatus[] outcome = {DeliveryStatus.DELIVERED, DeliveryStatus.PENDING, DeliveryStatus.DEAD};
    for (int i = 0; i < events.size(); i++) {
      for (String destination : EventWriterTest.DESTINATIONS) {
        ClaimedDelivery d = new ClaimedDelivery(events.get(i).id(), "src", destination, 1, 1, "application/json", null,
            OWNER, null, 0, "t", events.get(i).providerEventId());
        results.add(new AttemptResult(d, "node-hot", now, now, 3, outcome[i], 60_000,
            outcome[i] == DeliveryStatus.DELIVERED ? 200 : 500, null, outcome[i].value()));
      }
    }
    return results;
  }

  @Test
  void theQueueIsReachedByItsKeyAlsoWhenItsStatisticsSayItIsEmpty() {
    // A queue table churned as at full speed: rows come and go within milliseconds, so between vacuums it is pages of
    // dead rows, and what autovacuum last recorded may be 0 rows in hundreds of pages (seen in the soak). Here: 20,000
    // rows queued and finished, vacuumed without truncation.
    await(db.pool.query("INSERT INTO " + schema + ".delivery_queue SELECT gen_random_uuid(), 'd', 'src', now() "
        + "FROM generate_series(1, 20000)").execute());
    await(db.pool.query("DELETE FROM " + schema + ".delivery_queue").execute());
    await(db.pool.query("VACUUM (TRUNCATE false) " + schema + ".delivery_queue").execute());
    List<AttemptResult> results = writeEventsAndResults("stats");

    SqlConnection conn = await(db.pool.getConnection());
    StringBuilder plan = new StringBuilder();
    try {
      await(conn.query("SET enable_seqscan = off").execute()); // as on the hot-path pools (PreparedPlans)
      for (Row r : await(conn.preparedQuery("EXPLAIN " + DeliveryResults.sql(schema)).execute(DeliveryResults.arguments(results)))) {
        plan.append(r.getString(0)).append('\n');
      }
    } finally {
      await(conn.close());
    }
    String text = plan.toString();
    assertThat(text).as(text).contains("Delete on delivery_queue").contains("Update on delivery_queue")
        .doesNotContain("delivery_queue_claim_idx").doesNotContain("Seq Scan on delivery_queue");
    // Both queue statements by the primary key: the delete on the batch's event ids, the retry per delivery.
    assertThat(text.split("delivery_queue_pkey", -1).length - 1).as(text).isGreaterThanOrEqualTo(2);
  }

  @Test
  void deliveredAndRetriedResultsAreHotUpdatesAndTheQueueFollowsEveryResult() {
    List<AttemptResult> results = writeEventsAndResults("hot"); // six leased deliveries, attempt 1
    assertThat(count("SELECT count(*) FROM " + schema + ".delivery_queue")).isEqualTo(6);

    SqlConnection conn = await(db.pool.getConnection());
    Row stats;
    try {
      await(conn.query("BEGIN").execute());
      int updated = await(conn.preparedQuery(DeliveryResults.sql(schema)).execute(DeliveryResults.arguments(results))).size();
      assertThat(updated).isEqualTo(6);
      stats = await(conn.preparedQuery("SELECT sum(n_tup_upd)::int, sum(n_tup_hot_upd)::int FROM pg_stat_xact_user_tables "
          + "WHERE schemaname = $1 AND relname LIKE 'deliveries%'").execute(Tuple.of(schema))).iterator().next();
      await(conn.query("COMMIT").execute());
    } finally {
      await(conn.close());
    }
    // Delivered and retried: HOT. Dead sets failed_at, which deliveries_failed_idx reads: not HOT, and rare.
    assertThat(stats.getInteger(0)).as("delivery updates").isEqualTo(6);
    assertThat(stats.getInteger(1)).as("of which HOT").isEqualTo(4);

    assertThat(count("SELECT count(*) FROM " + schema + ".delivery_queue")).as("only the retries stay queued").isEqualTo(2);
    assertThat(count("SELECT count(*) FROM " + schema + ".delivery_queue q JOIN " + schema + ".deliveries d USING "
        + "(event_id, destination_id) WHERE d.status = 'pending' AND q.next_attempt_at = d.next_attempt_at "
        + "AND q.next_attempt_at > now() + interval '50 seconds'")).as("queued with the retry's due time").isEqualTo(2);
    assertThat(count("SELECT count(*) FROM " + schema + ".deliveries WHERE failed_at IS NOT NULL")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM " + schema + ".deliveries WHERE failed_at IS NOT NULL AND status = 'dead'"))
        .isEqualTo(2);
  }

  long count(String sql) {
    return await(db.pool.query(sql).execute()).iterator().next().getLong(0);
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
