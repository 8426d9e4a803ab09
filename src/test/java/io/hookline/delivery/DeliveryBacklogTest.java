package io.hookline.delivery;

import static io.hookline.delivery.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.store.Deliveries;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backlog gauges' queries on a real schema holding many finished deliveries and a few pending
 * ones, with UUIDv7 event ids as ingest makes them: right values, and plans that read indexes only.
 */
class DeliveryBacklogTest {
  Harness h;
  Deliveries backlog;

  @BeforeEach
  void setUp() {
    h = new Harness();
    backlog = new Deliveries(h.sql, h.schema);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  /**
   * Events {@code from..to} received {@code ageSeconds(i)} ago, ids UUIDv7-shaped from that time
   * (as EventIds.newId), one delivery each in {@code status}.
   */
  void insert(int from, int to, String ageSeconds, String status) {
    String gen = "SELECT i, now() - (" + ageSeconds + ") * interval '1 second' AS ts FROM generate_series(" + from + ", " + to + ") i";
    String id = "(lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0') || '7' || substr(md5(i::text), 1, 3)"
        + " || '8' || substr(md5(i::text), 4, 15))::uuid";
    // One statement, so both inserts see the same now() and derive the same ids.
    h.query("WITH g AS (SELECT i, " + id + " AS id, ts FROM (" + gen + ") x), "
        + "e AS (INSERT INTO {schema}.events (id, source_id, provider_event_id, received_at, headers, body) "
        + "SELECT id, 'src', 'e' || i, ts, '[]', '\\x7b7d' FROM g) "
        + "INSERT INTO {schema}.deliveries (event_id, source_id, destination_id, status) "
        + "SELECT id, 'src', 'd', '" + status + "' FROM g");
    h.syncDeliveries();
  }

  @Test
  void oldestPendingAgeIsTheOldestPendingEventsAgeAndZeroWhenNothingIsPending() {
    assertThat(await(backlog.oldestPendingSeconds())).isZero();
    insert(1, 2000, "86400 + i * 60", "delivered");   // older than anything pending, all finished
    assertThat(await(backlog.oldestPendingSeconds())).isZero();
    insert(3001, 3001, "3600", "pending");
    insert(3002, 3002, "600", "pending");
    insert(3003, 3003, "5", "pending");
    double age = await(backlog.oldestPendingSeconds());
    assertThat(age).isBetween(3600.0, 3600.0 + 120);
    h.query("UPDATE {schema}.deliveries SET status = 'delivered' WHERE event_id = (SELECT id FROM {schema}.events"
        + " WHERE provider_event_id = 'e3001')");
    h.syncDeliveries();
    assertThat(await(backlog.oldestPendingSeconds())).isBetween(600.0, 600.0 + 120);
    h.query("UPDATE {schema}.deliveries SET status = 'dead'");
    h.syncDeliveries();
    assertThat(await(backlog.oldestPendingSeconds())).isZero();
    assertThat(await(backlog.deadCount())).isEqualTo(2003);
  }

  @Test
  void deadCountCountsDeadDeliveriesOfAllSources() {
    insert(1, 50, "i", "dead");
    insert(51, 80, "i", "delivered");
    insert(81, 90, "i", "pending");
    assertThat(await(backlog.deadCount())).isEqualTo(50);
  }

  @Test
  void bothQueriesReadIndexesNotTheTables() {
    insert(1, 20_000, "i * 10", "delivered");
    insert(20_001, 20_100, "i * 10", "dead");
    insert(20_101, 22_100, "i", "pending");  // a backlog: enough that reading the queue whole would cost
    h.query("ANALYZE {schema}.deliveries");
    h.query("ANALYZE {schema}.delivery_queue");
    h.query("ANALYZE {schema}.events");
    String oldest = plan(backlog.oldestPendingSql());
    // Partitioned tables (migration 11): each partition's index is named after it.
    assertThat(oldest).as(oldest).contains("delivery_queue_pkey").containsPattern("events_\\w+_pkey")
        .doesNotContainPattern("(?m)(^|->\\s+)Sort\\s+\\(");  // no Sort node (a Merge Append's "Sort Key" reads ordered indexes)
    assertThat(oldest).as(oldest).doesNotContain("Seq Scan");
    String dead = plan(backlog.deadSql());
    assertThat(dead).as(dead).containsPattern("deliveries_\\w+_failed_at_idx");
    assertThat(dead).as(dead).doesNotContain("Seq Scan");
  }

  String plan(String sql) {
    List<String> lines = new ArrayList<>();
    for (Row r : await(h.sql.query("EXPLAIN " + sql).execute())) {
      lines.add(r.getString(0));
    }
    return String.join("\n", lines);
  }
}
