package io.hookline.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Writes finished attempts back, group-committed ({@link GroupCommitter}): per batch ONE statement,
 * an {@code UPDATE ... FROM unnest(...)} of the deliveries fenced by lease owner, round and attempt
 * number (a HOT update on the common path: no index reads a column it changes, migration 15), the
 * {@code delivery_queue} rows of those deliveries, and one multi-row insert of the attempt history.
 * The attempt row is written even when the lease was lost (the request did happen); the delivery
 * moves on only if this worker still holds exactly this attempt's lease. Confined to one worker's context.
 */
public final class DeliveryResults {
  /**
   * The write-back of one finished attempt: the delivery's new {@code status} (pending again after
   * {@code retryDelayMillis} for a retry), the attempt row's {@code statusCode} (null: no answer),
   * {@code error} and {@code outcome}.
   */
  public record AttemptResult(ClaimedDelivery delivery, String nodeId, OffsetDateTime startedAt, OffsetDateTime finishedAt,
                              int latencyMillis, DeliveryStatus status, long retryDelayMillis, Integer statusCode,
                              String error, String outcome) {}

  private record Key(UUID eventId, String destinationId) {}

  private static final Comparator<AttemptResult> LOCK_ORDER = Comparator
      .comparing((AttemptResult r) -> r.delivery().eventId()).thenComparing(r -> r.delivery().destinationId());

  private final Pool pool;
  private final String sql;
  private final GroupCommitter<AttemptResult, Boolean> committer;

  public DeliveryResults(Pool pool, String schema, GroupCommitter.Limits limits) {
    this.pool = pool;
    this.sql = sql(schema);
    this.committer = new GroupCommitter<>(limits, LOCK_ORDER, this::commit,
        () -> new IllegalStateException("result queue full"), err -> new IllegalStateException(err.getMessage(), err));
  }

  /** The batch statement (public for the cached-plan test). */
  public static String sql(String schema) {
    return "WITH r AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[], "
        + "$7::bigint[], $8::int[], $9::text[], $10::text[], $11::timestamptz[], $12::timestamptz[], $13::int[], $14::text[]) "
        + "AS r(event_id, destination_id, lease_owner, round, attempt, status, delay_ms, status_code, error, node_id, "
        + "started_at, finished_at, latency_ms, outcome)), "
        + "upd AS (UPDATE " + schema + ".deliveries d SET status = r.status, "
        + "next_attempt_at = CASE WHEN r.status = " + DeliveryStatus.PENDING.sql() + " THEN now() + r.delay_ms * interval '1 millisecond' ELSE d.next_attempt_at END, "
        + "lease_owner = NULL, lease_until = NULL, last_status = r.status_code, last_error = r.error, updated_at = now(), "
        + "failed_at = " + DeliveryStatus.failedAtSql("r.status") + " "
        // "= ANY($1)" keeps the primary-key lookup even while the table is small enough for a seq scan to look cheaper.
        + "FROM r WHERE d.event_id = ANY($1::uuid[]) AND d.event_id = r.event_id AND d.destination_id = r.destination_id AND d.lease_owner = r.lease_owner "
        + "AND d.round = r.round AND d.attempts = r.attempt RETURNING d.event_id, d.destination_id, d.status, d.next_attempt_at), "
        // The queue follows the delivery it just locked: a finished one leaves it, a retry is due again later. The
        // delete is no join, only the queue's key: with a join the planner (queue stats of a churned table: 0 rows in
        // hundreds of pages) walked the claim index by destination for every row, 1 ms each (soak, auto_explain).
        + "done AS (DELETE FROM " + schema + ".delivery_queue q "
        + "WHERE q.event_id = ANY(ARRAY(SELECT event_id FROM upd WHERE status <> " + DeliveryStatus.PENDING.sql() + ")) "
        + "AND (q.event_id, q.destination_id) = ANY(ARRAY(SELECT (event_id, destination_id) FROM upd "
        + "WHERE status <> " + DeliveryStatus.PENDING.sql() + "))), "
        + "retry AS (UPDATE " + schema + ".delivery_queue q SET next_attempt_at = upd.next_attempt_at FROM upd "
        + "WHERE q.event_id = upd.event_id AND q.destination_id = upd.destination_id "
        + "AND upd.status = " + DeliveryStatus.PENDING.sql() + "), "
        + "ins AS (INSERT INTO " + schema + ".delivery_attempts (event_id, destination_id, round, attempt, node_id, "
        + "started_at, finished_at, status_code, latency_ms, outcome, error) "
        + "SELECT event_id, destination_id, round, attempt, node_id, started_at, finished_at, status_code, latency_ms, "
        + "outcome, error FROM r ON CONFLICT DO NOTHING) "
        + "SELECT event_id, destination_id FROM upd";
  }

  /** Completes with true if the delivery's state was updated, false if the lease had been lost. */
  public Future<Boolean> record(AttemptResult result) {
    return committer.submit(result);
  }

  /** The batch statement's parameters (package-visible for the HOT-update test, which runs it in its own transaction). */
  static Tuple arguments(List<AttemptResult> batch) {
    int n = batch.size();
    UUID[] events = new UUID[n];
    String[] destinations = new String[n];
    String[] owners = new String[n];
    Integer[] rounds = new Integer[n];
    Integer[] attempts = new Integer[n];
    String[] statuses = new String[n];
    Long[] delays = new Long[n];
    Integer[] codes = new Integer[n];
    String[] errors = new String[n];
    String[] nodes = new String[n];
    OffsetDateTime[] started = new OffsetDateTime[n];
    OffsetDateTime[] finished = new OffsetDateTime[n];
    Integer[] latencies = new Integer[n];
    String[] outcomes = new String[n];
    for (int i = 0; i < n; i++) {
      AttemptResult r = batch.get(i);
      ClaimedDelivery d = r.delivery();
      events[i] = d.eventId();
      destinations[i] = d.destinationId();
      owners[i] = d.leaseOwner();
      rounds[i] = d.round();
      attempts[i] = d.attempt();
      statuses[i] = r.status().value();
      delays[i] = r.retryDelayMillis();
      codes[i] = r.statusCode();
      errors[i] = r.error();
      nodes[i] = r.nodeId();
      started[i] = r.startedAt();
      finished[i] = r.finishedAt();
      latencies[i] = r.latencyMillis();
      outcomes[i] = r.outcome();
    }
    return Tuple.tuple().addArrayOfUUID(events).addArrayOfString(destinations).addArrayOfString(owners)
        .addArrayOfInteger(rounds).addArrayOfInteger(attempts).addArrayOfString(statuses).addArrayOfLong(delays)
        .addArrayOfInteger(codes).addArrayOfString(errors).addArrayOfString(nodes).addArrayOfOffsetDateTime(started)
        .addArrayOfOffsetDateTime(finished).addArrayOfInteger(latencies).addArrayOfString(outcomes);
  }

  private Future<Void> commit(List<GroupCommitter.Item<AttemptResult, Boolean>> batch) {
    List<AttemptResult> results = new ArrayList<>(batch.size());
    for (GroupCommitter.Item<AttemptResult, Boolean> item : batch) {
      results.add(item.value());
    }
    Tuple args = arguments(results);
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      Set<Key> updated = new HashSet<>(rows.size() * 2);
      for (Row row : rows) {
        updated.add(new Key(row.getUUID(0), row.getString(1)));
      }
      for (GroupCommitter.Item<AttemptResult, Boolean> item : batch) {
        ClaimedDelivery d = item.value().delivery();
        item.promise().tryComplete(updated.contains(new Key(d.eventId(), d.destinationId())));
      }
      return null;
    });
  }
}
