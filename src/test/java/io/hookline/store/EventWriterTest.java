package io.hookline.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.MigratedSchema;
import io.hookline.config.HooklineConfig;
import io.hookline.metrics.MicrometerIngestMetrics;
import io.hookline.verify.EventIds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The group-committed event insert on real PostgreSQL: duplicates per row, leased hand-off rows, one bad value. */
class EventWriterTest {
  static final String[] DESTINATIONS = {"a", "b"};
  MigratedSchema db;
  Vertx vertx;
  Pool pool;
  String schema;
  Context context;
  EventWriter writer;

  @BeforeEach
  void setUp() {
    db = MigratedSchema.create();
    vertx = db.vertx;
    pool = db.pool;
    schema = db.name;
    context = vertx.getOrCreateContext();
    writer = newWriter(pool, schema);
  }

  /** A writer of source "src" (dedupTtl 72h) with one batch in flight: what is submitted meanwhile goes in the next one. */
  static EventWriter newWriter(Pool pool, String schema) {
    HooklineConfig.Store cfg = new HooklineConfig.Store(256, 1024, 1, Duration.ofSeconds(2), Duration.ofSeconds(10));
    return new EventWriter(pool, schema, cfg, Map.of("src", Duration.ofHours(72)),
        new MicrometerIngestMetrics(new SimpleMeterRegistry(), List.of("src"), Map.of("src", "github")));
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  static NewEvent event(String providerId, String type, String owner) {
    return new NewEvent(EventIds.newId(), "src", providerId, type, OffsetDateTime.now(ZoneOffset.UTC), "application/json",
        "[[\"X-Test\",\"1\"]]", Buffer.buffer("{\"id\":\"" + providerId + "\"}"), DESTINATIONS, owner,
        owner == null ? null : new long[] {60_000, 60_000});
  }

  /** Submits all on the writer's context in one turn (so they share batches) and waits for every answer. */
  List<Future<StoreResult>> writeAll(NewEvent... events) {
    Promise<List<Future<StoreResult>>> submitted = Promise.promise();
    context.runOnContext(v -> {
      List<Future<StoreResult>> out = new ArrayList<>();
      for (NewEvent e : events) {
        out.add(writer.write(e));
      }
      submitted.complete(out);
    });
    List<Future<StoreResult>> futures = await(submitted.future());
    await(Future.join(new ArrayList<>(futures)).transform(ar -> Future.succeededFuture()));
    return futures;
  }

  @Test
  void duplicatesInOneBatchAndAcrossBatchesGetTheFirstIdAndNoSecondDelivery() {
    NewEvent earlier = event("evt_c", "t", null);
    assertThat(writeAll(earlier).get(0).result()).isEqualTo(new StoreResult(earlier.id(), false));

    NewEvent blocker = event("evt_0", "t", null);
    NewEvent a = event("evt_a", "t", "node-x/handoff");
    NewEvent aCopy = event("evt_a", "t", "node-x/handoff");
    NewEvent b = event("evt_b", "t", null);
    NewEvent cCopy = event("evt_c", "t", "node-x/handoff");
    List<StoreResult> r = writeAll(blocker, a, aCopy, b, cCopy).stream().map(Future::result).toList();
    assertThat(r.get(1)).isEqualTo(new StoreResult(a.id(), false));
    assertThat(r.get(2)).isEqualTo(new StoreResult(a.id(), true));
    assertThat(r.get(3)).isEqualTo(new StoreResult(b.id(), false));
    assertThat(r.get(4)).isEqualTo(new StoreResult(earlier.id(), true));

    assertThat(count("SELECT count(*) FROM {s}.events")).isEqualTo(4);
    // One delivery per event and destination, none for a duplicate.
    assertThat(count("SELECT count(*) FROM {s}.deliveries")).isEqualTo(8);
    assertThat(count("SELECT count(*) FROM {s}.deliveries WHERE event_id IN ($1, $2)", aCopy.id(), cCopy.id())).isZero();

    // Handed-off deliveries are inserted with attempt 1 claimed under the node's lease, due when it expires.
    for (Row row : await(pool.preparedQuery(sql("SELECT lease_owner, attempts, lease_until > now() + interval '50 seconds', "
        + "next_attempt_at >= lease_until FROM {s}.deliveries WHERE event_id = $1")).execute(Tuple.of(a.id())))) {
      assertThat(row.getString(0)).isEqualTo("node-x/handoff");
      assertThat(row.getInteger(1)).isEqualTo(1);
      assertThat(row.getBoolean(2)).isTrue();
      assertThat(row.getBoolean(3)).isTrue();
    }
    for (Row row : await(pool.preparedQuery(sql("SELECT lease_owner, attempts, lease_until, next_attempt_at <= now() "
        + "FROM {s}.deliveries WHERE event_id = $1")).execute(Tuple.of(b.id())))) {
      assertThat(row.getString(0)).isNull();
      assertThat(row.getInteger(1)).isZero();
      assertThat(row.getValue(2)).isNull();
      assertThat(row.getBoolean(3)).isTrue();
    }
  }

  @Test
  void aValuePostgresRefusesFailsOnlyItsOwnEvent() {
    NewEvent blocker = event("evt_0", "t", null);
    NewEvent good1 = event("evt_1", "t", null);
    NewEvent bad = event("evt_bad", "nul\u0000type", null);
    NewEvent good2 = event("evt_2", "t", null);
    List<Future<StoreResult>> r = writeAll(blocker, good1, bad, good2);
    assertThat(r.get(1).result()).isEqualTo(new StoreResult(good1.id(), false));
    assertThat(r.get(3).result()).isEqualTo(new StoreResult(good2.id(), false));
    assertThat(r.get(2).failed()).isTrue();
    assertThat(r.get(2).cause()).isInstanceOf(StoreUnavailableException.class);
    assertThat(count("SELECT count(*) FROM {s}.events")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM {s}.deliveries")).isEqualTo(6);
  }

  String sql(String s) {
    return s.replace("{s}", schema);
  }

  long count(String s, Object... params) {
    return await(pool.preparedQuery(sql(s)).execute(Tuple.wrap(List.of(params)))).iterator().next().getLong(0);
  }

  static <T> T await(Future<T> f) {
    return MigratedSchema.await(f);
  }
}
