package io.hookline.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.MigratedSchema;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The start-up check of PostgreSQL's lock table against the partitions a configuration keeps. */
class LockBudgetTest {
  @Test
  void aMonthOfHourlyPartitionsDoesNotFitStockPostgresAndADailyOneDoes() {
    // Stock PostgreSQL: max_locks_per_transaction 64, max_connections 100; events + deliveries parents have 9 indexes.
    LockBudget hourly = LockBudget.of(Duration.ofHours(1), Duration.ofDays(30), Duration.ofHours(2), 9, 64, 100);
    assertThat(hourly.partitions()).isEqualTo(720 + 2 + 2);
    assertThat(hourly.locksPerQuery()).isEqualTo(724 * 11);
    assertThat(hourly.tooSmall()).isTrue();
    assertThat(hourly.neededMaxLocksPerTransaction()).isEqualTo(320); // 4 × 7,964 / 100 = 319 → 320
    assertThat(LockBudget.of(Duration.ofHours(1), Duration.ofDays(30), Duration.ofHours(2), 9, 320, 100).tooSmall()).isFalse();
    assertThat(LockBudget.of(Duration.ofDays(1), Duration.ofDays(30), Duration.ofDays(2), 9, 64, 100).tooSmall()).isFalse();
    assertThat(hourly.advice(Duration.ofHours(1), Duration.ofDays(30)))
        .contains("storage.partition 1h", "retention.delivered 30d", "max_locks_per_transaction to at least 320");
  }

  @Test
  void theBudgetReadsThisServersSettingsAndTheSchemasIndexes() {
    try (MigratedSchema db = MigratedSchema.create()) {
      Row settings = await(db.pool.query("SELECT current_setting('max_locks_per_transaction')::bigint, "
          + "current_setting('max_connections')::bigint + current_setting('max_prepared_transactions')::bigint").execute())
          .iterator().next();
      long indexes = await(db.pool.query("SELECT count(*) FROM pg_indexes WHERE schemaname = '" + db.name
          + "' AND tablename IN ('events', 'deliveries')").execute()).iterator().next().getLong(0);
      LockBudget budget = await(new PartitionStore(db.pool, db.name).lockBudget(Duration.ofHours(1), Duration.ofDays(30),
          Duration.ofHours(2)));
      assertThat(indexes).isGreaterThanOrEqualTo(6);
      assertThat(budget).isEqualTo(LockBudget.of(Duration.ofHours(1), Duration.ofDays(30), Duration.ofHours(2), (int) indexes,
          settings.getLong(0), settings.getLong(1)));
    }
  }

  private static <T> T await(Future<T> f) {
    return MigratedSchema.await(f);
  }
}
