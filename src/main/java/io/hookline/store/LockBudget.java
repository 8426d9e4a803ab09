package io.hookline.store;

import java.time.Duration;

/**
 * Whether PostgreSQL's lock table can hold the queries that read every partition. A query over a
 * partitioned table locks each partition and each of its indexes (claims and the admin lists join
 * events and deliveries), and the lock table holds {@code max_locks_per_transaction × (max_connections
 * + max_prepared_transactions)} locks for all sessions together. Measured on stock PostgreSQL 15 (64 ×
 * 100): with 769 hourly partitions per table, a join of events and deliveries failed with "out of
 * shared memory" (docs/storage.md).
 *
 * @param partitions     partitions per table once retention has caught up (and the default one)
 * @param locksPerQuery  locks one query over events and deliveries takes
 * @param lockTable      the server's lock table, in locks
 * @param sessions       max_connections + max_prepared_transactions
 */
public record LockBudget(long partitions, long locksPerQuery, long lockTable, long sessions) {
  /** Room for this many such queries at once (claims of several nodes, an admin list, retention). */
  static final int CONCURRENT_QUERIES = 4;

  /** The budget of a layout: partitions of {@code span} kept {@code kept} and made {@code ahead}, with the parents' index count. */
  public static LockBudget of(Duration span, Duration kept, Duration ahead, int parentIndexes, long maxLocksPerTransaction,
                              long sessions) {
    long partitions = ceilDiv(kept, span) + ceilDiv(ahead, span) + 2; // the current one and the default one
    long locksPerQuery = partitions * (2 + parentIndexes);
    return new LockBudget(partitions, locksPerQuery, maxLocksPerTransaction * sessions, sessions);
  }

  private static long ceilDiv(Duration a, Duration b) {
    return (a.toMillis() + b.toMillis() - 1) / b.toMillis();
  }

  /** True when {@link #CONCURRENT_QUERIES} queries over every partition would not fit in the lock table. */
  public boolean tooSmall() {
    return locksPerQuery * CONCURRENT_QUERIES > lockTable;
  }

  /** The max_locks_per_transaction that makes room, rounded up to a multiple of 64. */
  public long neededMaxLocksPerTransaction() {
    long needed = (locksPerQuery * CONCURRENT_QUERIES + sessions - 1) / sessions;
    return (needed + 63) / 64 * 64;
  }

  /** The start-up warning, naming the settings and the fix (no secret in it). */
  public String advice(Duration span, Duration kept) {
    return "storage.partition " + written(span) + " with retention.delivered " + written(kept) + " keeps about " + partitions
        + " partitions per table; a query over events and deliveries then takes about " + locksPerQuery
        + " locks, and this PostgreSQL's lock table holds " + lockTable + " for all sessions (max_locks_per_transaction × "
        + sessions + " sessions): set max_locks_per_transaction to at least " + neededMaxLocksPerTransaction()
        + " (needs a restart), or lengthen storage.partition (docs/storage.md, \"PostgreSQL settings\")";
  }

  /** A duration as the config writes it (1h, 30d). */
  static String written(Duration d) {
    long s = d.toSeconds();
    return s % 86_400 == 0 ? s / 86_400 + "d" : s % 3_600 == 0 ? s / 3_600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
  }
}
