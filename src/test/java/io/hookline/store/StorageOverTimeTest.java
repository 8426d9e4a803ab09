package io.hookline.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.MigratedSchema;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC "Storage over time" on a real PostgreSQL: events land in time partitions created ahead,
 * retention drops whole partitions and keeps the events that must outlive theirs, and the dedup key
 * holds across partition boundaries, also once the first copy's partition is gone (no Redis here: this
 * is the PostgreSQL backstop that answers when Redis was flushed).
 */
class StorageOverTimeTest {
  static final Duration SPAN = Duration.ofMinutes(1);
  static final String[] DESTINATIONS = {"d1"};

  MigratedSchema db;
  Vertx vertx;
  Pool pool;
  String schema;
  Context context;
  EventWriter writer;
  PartitionStore partitions;
  List<OffsetDateTime> starts;

  @BeforeEach
  void setUp() {
    db = MigratedSchema.create();
    vertx = db.vertx;
    pool = db.pool;
    schema = db.name;
    context = vertx.getOrCreateContext();
    writer = EventWriterTest.newWriter(pool, schema);
    partitions = new PartitionStore(pool, schema);
    assertThat(await(partitions.ensure(SPAN, Duration.ofMinutes(5)))).isGreaterThanOrEqualTo(6);
    starts = await(pool.query("SELECT starts FROM " + schema + ".storage_partitions ORDER BY starts")
        .execute()).stream().map(r -> r.getOffsetDateTime(0)).toList();
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  /** An event received at the start of the {@code n}th partition (plus a few ms), with an id of that time. */
  NewEvent eventIn(int n, String providerId) {
    return eventAt(starts.get(n).plus(Duration.ofMillis(5)), providerId);
  }

  static NewEvent eventAt(OffsetDateTime at, String providerId) {
    UUID base = PartitionStore.lowestId(at);
    UUID id = new UUID(base.getMostSignificantBits() | 0x7000L | ThreadLocalRandom.current().nextLong(0x1000),
        0x8000000000000000L | ThreadLocalRandom.current().nextLong(0x3FFFFFFFFFFFFFFFL));
    return new NewEvent(id, "src", providerId, "t", at, "application/json", "[]", Buffer.buffer("{}"), DESTINATIONS);
  }

  StoreResult write(NewEvent e) {
    Promise<StoreResult> done = Promise.promise();
    context.runOnContext(v -> writer.write(e).onComplete(done));
    return await(done.future());
  }

  @Test
  void eventsDeliveriesAndAttemptsOfOneSpanShareItsPartition() {
    NewEvent e = eventIn(1, "evt-1");
    write(e);
    String suffix = partitionOf(e);
    assertThat(tableOf("events", "id", e.id())).isEqualTo("events_" + suffix);
    assertThat(tableOf("deliveries", "event_id", e.id())).isEqualTo("deliveries_" + suffix);
  }

  @Test
  void aCopyInTheNextPartitionIsADuplicateAlsoAfterTheFirstCopysPartitionWasDropped() {
    NewEvent original = eventIn(0, "evt-stripe");
    assertThat(write(original)).isEqualTo(new StoreResult(original.id(), false));
    await(pool.query("UPDATE " + schema + ".deliveries SET status = 'delivered'").execute());
    await(pool.query(DeliveriesByHand.sync(schema)).execute());

    NewEvent copy = eventIn(1, "evt-stripe");
    assertThat(partitionOf(copy)).isNotEqualTo(partitionOf(original));
    assertThat(write(copy)).isEqualTo(new StoreResult(original.id(), true));

    // Retention shorter than dedupTtl: the first copy's partition goes, its key stays.
    List<PartitionStore.Dropped> dropped = await(partitions.dropExpired(starts.get(1), starts.get(1)));
    assertThat(dropped).extracting(PartitionStore.Dropped::suffix).containsExactly(partitionOf(original));
    assertThat(count("SELECT count(*) FROM {s}.events")).isZero();
    NewEvent late = eventIn(2, "evt-stripe");
    assertThat(write(late)).isEqualTo(new StoreResult(original.id(), true));
    assertThat(count("SELECT count(*) FROM {s}.events")).isZero();
    assertThat(count("SELECT count(*) FROM {s}.deliveries")).isZero();

    // Past dedupTtl the key is deleted and the id is free again.
    await(pool.query("UPDATE " + schema + ".event_keys SET expires_at = now() - interval '1 second'").execute());
    assertThat(await(new RetentionStore(pool, schema).deleteExpiredKeys(100))).isEqualTo(1);
    NewEvent afterTtl = eventIn(3, "evt-stripe");
    assertThat(write(afterTtl)).isEqualTo(new StoreResult(afterTtl.id(), false));
  }

  @Test
  void expiredDedupKeysAreDeletedABatchAtATimeAndUnexpiredOnesStay() {
    await(pool.query("INSERT INTO " + schema + ".event_keys SELECT 'src', 'old-' || i, gen_random_uuid(), "
        + "now() - interval '1 minute' FROM generate_series(1, 250) i").execute());
    await(pool.query("INSERT INTO " + schema + ".event_keys SELECT 'src', 'young-' || i, gen_random_uuid(), "
        + "now() + interval '1 hour' FROM generate_series(1, 30) i").execute());
    RetentionStore retention = new RetentionStore(pool, schema);
    assertThat(await(retention.deleteExpiredKeys(100))).isEqualTo(100);
    assertThat(await(retention.deleteExpiredKeys(100))).isEqualTo(100);
    assertThat(await(retention.deleteExpiredKeys(100))).isEqualTo(50);
    assertThat(await(retention.deleteExpiredKeys(100))).isZero();
    assertThat(count("SELECT count(*) FROM {s}.event_keys")).isEqualTo(30);
    assertThat(count("SELECT count(*) FROM {s}.event_keys WHERE provider_event_id LIKE 'old-%'")).isZero();
  }

  /** The expired-key delete finds its rows by ctid (a TID scan of the batch), never by scanning the whole table. */
  @Test
  void expiredDedupKeysAreDeletedByTheirLockedRowsNotByAScanOfTheTable() {
    await(pool.query("INSERT INTO " + schema + ".event_keys SELECT 'src', 'k-' || i, gen_random_uuid(), "
        + "now() + interval '1 hour' FROM generate_series(1, 20000) i").execute());
    await(pool.query("ANALYZE " + schema + ".event_keys").execute());
    StringBuilder plan = new StringBuilder();
    for (Row row : await(pool.preparedQuery("EXPLAIN " + RetentionStore.expiredKeysSql(schema)).execute(Tuple.of(100)))) {
      plan.append(row.getString(0)).append('\n');
    }
    assertThat(plan.toString()).as(plan.toString()).contains("Tid Scan on event_keys").doesNotContain("Seq Scan");
  }

  @Test
  void droppingAPartitionKeepsPendingEventsAndYoungDeadLettersWithTheirDeliveriesAndAttempts() {
    NewEvent delivered = eventIn(0, "delivered");
    NewEvent pending = eventIn(0, "pending");
    NewEvent dead = eventIn(0, "dead");
    NewEvent oldDead = eventIn(0, "old-dead");
    NewEvent younger = eventIn(1, "younger");
    for (NewEvent e : List.of(delivered, pending, dead, oldDead, younger)) {
      write(e);
      await(pool.preparedQuery("INSERT INTO " + schema + ".delivery_attempts (event_id, destination_id, round, attempt, "
          + "node_id, started_at, finished_at, status_code, latency_ms, outcome) VALUES ($1, 'd1', 1, 1, 'n', now(), now(), "
          + "500, 1, 'x')").execute(Tuple.of(e.id())));
    }
    setStatus(delivered, "delivered");
    setStatus(dead, "dead");
    setStatus(oldDead, "dead");
    await(pool.preparedQuery("UPDATE " + schema + ".events SET received_at = received_at - interval '1 hour' WHERE id = $1")
        .execute(Tuple.of(oldDead.id())));

    // Delivered retention ends after partition 0, dead retention keeps what was received within the last 30 minutes.
    OffsetDateTime deliveredBefore = starts.get(1);
    OffsetDateTime deadBefore = starts.get(0).minus(Duration.ofMinutes(30));
    List<PartitionStore.Dropped> dropped = await(partitions.dropExpired(deliveredBefore, deadBefore));

    assertThat(dropped).singleElement().satisfies(d -> {
      assertThat(d.suffix()).isEqualTo(partitionOf(delivered));
      assertThat(d.keptEvents()).isEqualTo(2);
    });
    assertThat(count("SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND tablename LIKE '%\\_' || $2",
        schema, partitionOf(delivered))).isZero();
    assertThat(ids("SELECT id FROM {s}.events")).containsExactlyInAnyOrder(pending.id(), dead.id(), younger.id());
    assertThat(ids("SELECT event_id FROM {s}.deliveries")).containsExactlyInAnyOrder(pending.id(), dead.id(), younger.id());
    assertThat(ids("SELECT event_id FROM {s}.delivery_attempts")).containsExactlyInAnyOrder(pending.id(), dead.id(),
        younger.id());
    // The kept ones now live in the default partition, where row-by-row retention takes them once finished.
    assertThat(tableOf("events", "id", pending.id())).isEqualTo("events_default");
    assertThat(tableOf("deliveries", "event_id", dead.id())).isEqualTo("deliveries_default");
    assertThat(count("SELECT count(*) FROM {s}.storage_partitions WHERE dropped_at IS NOT NULL AND kept_events = 2"))
        .isEqualTo(1);
    // A second pass has nothing more to drop.
    assertThat(await(partitions.dropExpired(deliveredBefore, deadBefore))).isEmpty();
  }

  @Test
  void upkeepGivesWayToAStatementHoldingATableAndDropsThePartitionOnTheNextPass() {
    NewEvent delivered = eventIn(0, "delivered");
    write(delivered);
    setStatus(delivered, "delivered");
    OffsetDateTime deliveredBefore = starts.get(1);
    OffsetDateTime deadBefore = starts.get(1);
    // A reader in the middle of a statement on deliveries (a claim, an admin list): upkeep's ACCESS EXCLUSIVE
    // request would queue every later ingest and delivery statement behind it for as long as it waited.
    io.vertx.sqlclient.SqlConnection reader = await(pool.getConnection());
    io.vertx.sqlclient.Transaction open = await(reader.begin());
    await(reader.query("LOCK TABLE " + schema + ".deliveries IN ACCESS SHARE MODE").execute());
    try {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> await(partitions.dropExpired(deliveredBefore, deadBefore)))
          .hasMessageContaining("lock timeout");
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> await(partitions.ensure(SPAN, Duration.ofMinutes(30))))
          .hasMessageContaining("lock timeout");
      assertThat(ids("SELECT id FROM {s}.events")).containsExactly(delivered.id());
    } finally {
      await(open.commit());
      await(reader.close());
    }
    assertThat(await(partitions.dropExpired(deliveredBefore, deadBefore))).singleElement()
        .satisfies(d -> assertThat(d.suffix()).isEqualTo(partitionOf(delivered)));
    assertThat(ids("SELECT id FROM {s}.events")).isEmpty();
    assertThat(await(partitions.ensure(SPAN, Duration.ofMinutes(30)))).isPositive();
    // Upkeep gives up before PostgreSQL would look for a deadlock (a claim takes deliveries, then events; upkeep the
    // reverse), so it is upkeep that yields, not a claim that is killed after every statement queued a second.
    assertThat(count("SELECT count(*) FROM (SELECT 1 WHERE $1::text::interval < current_setting('deadlock_timeout')::interval) x",
        PartitionStore.LOCK_TIMEOUT)).isOne();
  }

  @Test
  void rowsThatReachedTheDefaultPartitionMoveIntoTheirPartitionWhenItIsCreated() {
    OffsetDateTime last = await(pool.query("SELECT max(ends) FROM " + schema + ".storage_partitions").execute())
        .iterator().next().getOffsetDateTime(0);
    NewEvent early = eventAt(last.plus(Duration.ofMillis(5)), "arrived-before-its-partition");
    write(early);
    assertThat(tableOf("events", "id", early.id())).isEqualTo("events_default");

    assertThat(await(partitions.ensure(SPAN, Duration.between(OffsetDateTime.now(ZoneOffset.UTC), last).plus(SPAN))))
        .isPositive();

    assertThat(tableOf("events", "id", early.id())).isEqualTo("events_" + partitionOf(early));
    assertThat(tableOf("deliveries", "event_id", early.id())).isEqualTo("deliveries_" + partitionOf(early));
  }

  @Test
  void oneNodeCreatesPartitionsAtATime() {
    List<Future<Integer>> nodes = List.of(partitions.ensure(SPAN, Duration.ofMinutes(30)),
        new PartitionStore(pool, schema).ensure(SPAN, Duration.ofMinutes(30)));
    await(Future.join(nodes.get(0), nodes.get(1)));
    assertThat(count("SELECT count(*) - count(DISTINCT starts) FROM {s}.storage_partitions")).isZero();
    assertThat(count("SELECT count(*) FROM {s}.storage_partitions WHERE ends > now() + interval '29 minutes'"))
        .isPositive();
  }

  void setStatus(NewEvent e, String status) {
    await(pool.preparedQuery("UPDATE " + schema + ".deliveries SET status = $2 WHERE event_id = $1")
        .execute(Tuple.of(e.id(), status)));
    await(pool.query(DeliveriesByHand.sync(schema)).execute());
  }

  String partitionOf(NewEvent e) {
    return await(pool.preparedQuery("SELECT suffix FROM " + schema + ".storage_partitions WHERE starts <= $1 AND ends > $1")
        .execute(Tuple.of(e.receivedAt()))).iterator().next().getString(0);
  }

  String tableOf(String table, String key, UUID id) {
    Row r = await(pool.preparedQuery("SELECT tableoid::regclass::text FROM " + schema + "." + table + " WHERE " + key + " = $1")
        .execute(Tuple.of(id))).iterator().next();
    String qualified = r.getString(0);
    return qualified.substring(qualified.indexOf('.') + 1);
  }

  List<UUID> ids(String q) {
    return await(pool.query(q.replace("{s}", schema)).execute()).stream().map(r -> r.getUUID(0)).distinct().toList();
  }

  long count(String q, Object... params) {
    return await(pool.preparedQuery(q.replace("{s}", schema)).execute(Tuple.wrap(List.of(params)))).iterator().next()
        .getLong(0);
  }

  static <T> T await(Future<T> f) {
    return MigratedSchema.await(f);
  }
}
