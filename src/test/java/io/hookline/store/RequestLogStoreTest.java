package io.hookline.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.MigratedSchema;
import io.hookline.store.RequestLogStore.RefusedRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The requests log's day partitions on real PostgreSQL: made ahead, and dropped whole past the retention. */
class RequestLogStoreTest {
  MigratedSchema db;
  Vertx vertx;
  Pool pool;
  String schema;
  RequestLogStore store;

  static <T> T await(Future<T> f) {
    return MigratedSchema.await(f);
  }

  @BeforeEach
  void setUp() {
    db = MigratedSchema.create();
    vertx = db.vertx;
    pool = db.pool;
    schema = db.name;
    store = new RequestLogStore(pool, schema);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private static RefusedRequest at(OffsetDateTime t) {
    return new RefusedRequest(UUID.randomUUID(), t, "s", "invalid_signature", 401, "127.0.0.1:1", "n", null, null,
        "[[\"X-A\",\"1\"]]", Buffer.buffer("{}"), false);
  }

  private long rows() {
    return await(pool.query("SELECT count(*) FROM " + schema + ".request_log").execute()).iterator().next().getLong(0);
  }

  @Test
  void partitionsPastTheRetentionAreDroppedWholeAndTheRestKept() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    await(store.ensurePartitions(today.minusDays(10), 13));
    await(store.ensurePartitions(today.minusDays(10), 13)); // again: nothing changes
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    await(store.insert(List.of(at(now.minusDays(10)), at(now.minusDays(9)), at(now.minusDays(3)), at(now))));
    assertThat(rows()).isEqualTo(4);

    int dropped = await(store.dropPartitionsBefore(now.minus(Duration.ofDays(7))));
    // Days -10 .. -8 end before the cutoff (day -7 still holds requests younger than 7 days).
    assertThat(dropped).isEqualTo(3);
    assertThat(rows()).isEqualTo(2);
    assertThat(await(store.dropPartitionsBefore(now.minus(Duration.ofDays(7))))).isZero();
    // Inserts into the kept days still work.
    await(store.insert(List.of(at(now.minusDays(1)))));
    assertThat(rows()).isEqualTo(3);
  }
}
