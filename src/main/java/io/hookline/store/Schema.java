package io.hookline.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * Idempotent, numbered migrations applied at start-up under an advisory lock, so several nodes
 * booting together never race. Add a migration by appending to {@link #MIGRATIONS}; never edit one
 * that has shipped.
 */
public final class Schema {
  /** Each entry is one migration; {@code %s} is replaced by the schema name. */
  static final List<String> MIGRATIONS = List.of(
      // 1: events, their per-destination deliveries, and every delivery attempt.
      """
      CREATE TABLE IF NOT EXISTS %1$s.events (
        id                uuid PRIMARY KEY,
        source_id         text NOT NULL,
        provider_event_id text NOT NULL,
        event_type        text,
        received_at       timestamptz NOT NULL,
        content_type      text,
        headers           jsonb NOT NULL,
        body              bytea NOT NULL,
        status            text NOT NULL DEFAULT 'received',
        CONSTRAINT events_source_provider_event_uk UNIQUE (source_id, provider_event_id)
      );
      CREATE INDEX IF NOT EXISTS events_received_at_idx ON %1$s.events (received_at);
      CREATE TABLE IF NOT EXISTS %1$s.deliveries (
        event_id        uuid NOT NULL REFERENCES %1$s.events (id),
        source_id       text NOT NULL,
        destination_id  text NOT NULL,
        status          text NOT NULL DEFAULT 'pending',
        round           integer NOT NULL DEFAULT 1,
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_owner     text,
        lease_until     timestamptz,
        last_status     integer,
        last_error      text,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, destination_id)
      );
      CREATE INDEX IF NOT EXISTS deliveries_due_idx ON %1$s.deliveries (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX IF NOT EXISTS deliveries_status_idx ON %1$s.deliveries (status);
      CREATE TABLE IF NOT EXISTS %1$s.delivery_attempts (
        event_id       uuid NOT NULL,
        destination_id text NOT NULL,
        round          integer NOT NULL,
        attempt        integer NOT NULL,
        node_id        text NOT NULL,
        started_at     timestamptz NOT NULL,
        finished_at    timestamptz NOT NULL,
        status_code    integer,
        latency_ms     integer NOT NULL,
        outcome        text NOT NULL,
        error          text,
        PRIMARY KEY (event_id, destination_id, round, attempt)
      );
      """,
      // 2: delivery workers claim per destination in due order; dead letters list newest first.
      """
      CREATE INDEX IF NOT EXISTS deliveries_claim_idx
        ON %1$s.deliveries (source_id, destination_id, next_attempt_at) WHERE status = 'pending';
      CREATE INDEX IF NOT EXISTS deliveries_status_updated_idx ON %1$s.deliveries (status, updated_at DESC);
      """,
      // 3: headers written before this version were a JSON string holding the array; unwrap them.
      """
      UPDATE %1$s.events SET headers = (headers #>> '{}')::jsonb WHERE jsonb_typeof(headers) = 'string';
      """,
      // 4: every delivery is updated three times (claim, result, lease); each index on a changed
      // column costs an entry per update. deliveries_claim_idx serves the due scan and the pending
      // count, deliveries_status_updated_idx any lookup by status: these two were redundant.
      """
      DROP INDEX IF EXISTS %1$s.deliveries_due_idx;
      DROP INDEX IF EXISTS %1$s.deliveries_status_idx;
      """,
      // 5: per-event PostgreSQL work that does not pay. Deliveries are only ever inserted
      // with their event, in one statement, so the foreign key's check (an index probe plus a row lock
      // on the event, with its WAL record, per delivery) guards nothing; retention deletes deliveries
      // and attempts before their event. Bodies of a few KB stay in the event row instead of costing
      // two TOAST rows and index entries each.
      """
      ALTER TABLE %1$s.deliveries DROP CONSTRAINT IF EXISTS deliveries_event_id_fkey;
      ALTER TABLE %1$s.events SET (toast_tuple_target = 8160);
      """,
      // 6: bulk replay jobs, in a table so any node can answer for a job's progress.
      """
      CREATE TABLE IF NOT EXISTS %1$s.replay_jobs (
        id          uuid PRIMARY KEY,
        state       text NOT NULL,
        matched     bigint NOT NULL,
        replayed    bigint NOT NULL DEFAULT 0,
        criteria    jsonb NOT NULL,
        created_by  text NOT NULL,
        node_id     text NOT NULL,
        created_at  timestamptz NOT NULL,
        updated_at  timestamptz NOT NULL,
        error       text
      );
      """,
      // 7: the event list pages newest first by (received_at, id) (keyset), alone or within a
      // source or an event type; the old (received_at) index is a prefix of the new one.
      """
      CREATE INDEX IF NOT EXISTS events_received_idx ON %1$s.events (received_at, id);
      DROP INDEX IF EXISTS %1$s.events_received_at_idx;
      CREATE INDEX IF NOT EXISTS events_source_received_idx ON %1$s.events (source_id, received_at, id);
      CREATE INDEX IF NOT EXISTS events_type_received_idx ON %1$s.events (event_type, received_at, id);
      """,
      // 8: hookline_deliveries_oldest_pending_seconds reads the smallest pending event id (ids are
      // UUIDv7, time first) every metrics.deadRefresh; no other index is ordered by event among pending
      // rows only (without it: the primary key walked past every finished delivery, 1.06 s at 1M; with
      // it 0.3 ms). Costs one entry per delivery insert (measured +1 WAL record, +75 bytes per event)
      // and per update that leaves it pending (claim, retry); its size follows the backlog, not the table.
      """
      CREATE INDEX IF NOT EXISTS deliveries_pending_event_idx ON %1$s.deliveries (event_id) WHERE status = 'pending';
      """,
      // 9: the W3C traceparent of the event's ingest span, so delivery attempts claimed,
      // retried or replayed from PostgreSQL join the event's trace; null when tracing is off.
      """
      ALTER TABLE %1$s.events ADD COLUMN IF NOT EXISTS traceparent text;
      """,
      // 10: destination controls: a row per destination that was ever paused or failed with a circuit
      // breaker; shared by every node (a pause or an open circuit survives a node's death and a Redis restart).
      """
      CREATE TABLE IF NOT EXISTS %1$s.destination_states (
        source_id      text NOT NULL,
        destination_id text NOT NULL,
        paused         boolean NOT NULL DEFAULT false,
        circuit        text NOT NULL DEFAULT 'closed' CHECK (circuit IN ('closed', 'open')),
        failures       integer NOT NULL DEFAULT 0,
        opened_at      timestamptz,
        probe_at       timestamptz,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source_id, destination_id)
      );
      """,
      // 11: the requests log (refused requests an operator can retry; partitioned by day on received_at,
      // partitions made ahead and dropped whole by RequestLogVerticle) and the overview's per-minute
      // traffic per node and source (ack latency as fixed-bucket counts, mergeable across nodes).
      """
      CREATE TABLE IF NOT EXISTS %1$s.request_log (
        id             uuid NOT NULL,
        received_at    timestamptz NOT NULL,
        source_id      text NOT NULL,
        reason         text NOT NULL,
        status         integer NOT NULL,
        remote_address text,
        node_id        text NOT NULL,
        public_url     text,
        content_type   text,
        headers        jsonb NOT NULL,
        body           bytea NOT NULL,
        body_truncated boolean NOT NULL DEFAULT false,
        PRIMARY KEY (received_at, id)
      ) PARTITION BY RANGE (received_at);
      CREATE INDEX IF NOT EXISTS request_log_id_idx ON %1$s.request_log (id);
      CREATE INDEX IF NOT EXISTS request_log_source_idx ON %1$s.request_log (source_id, received_at, id);
      CREATE INDEX IF NOT EXISTS request_log_reason_idx ON %1$s.request_log (reason, received_at, id);
      CREATE TABLE IF NOT EXISTS %1$s.traffic_minutes (
        minute       timestamptz NOT NULL,
        node_id      text NOT NULL,
        source_id    text NOT NULL,
        accepted     bigint NOT NULL DEFAULT 0,
        duplicate    bigint NOT NULL DEFAULT 0,
        refused      jsonb NOT NULL DEFAULT '{}',
        delivered    bigint NOT NULL DEFAULT 0,
        failed       bigint NOT NULL DEFAULT 0,
        ack_buckets  bigint[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (minute, node_id, source_id)
      );
      """);

  private Schema() {}

  public static Future<Void> migrate(Pool pool, String schema) {
    // client_min_messages: every restart would otherwise log "already exists, skipping" notices as warnings.
    // One lock per schema: nodes sharing a schema migrate one at a time, other schemas are not held up.
    String lockKey = "hashtext('hookline.migrate.' || current_database() || '." + schema + "')";
    return pool.withConnection(conn -> conn.query("SET client_min_messages = warning").execute()
        .compose(v -> conn.query("SELECT pg_advisory_lock(" + lockKey + ")").execute())
        .compose(v -> apply(conn, schema))
        .eventually(() -> conn.query("SELECT pg_advisory_unlock(" + lockKey + ")").execute()));
  }

  private static Future<Void> apply(SqlConnection conn, String schema) {
    return conn.query("CREATE SCHEMA IF NOT EXISTS " + schema).execute()
        .compose(v -> conn.query("CREATE TABLE IF NOT EXISTS " + schema
            + ".schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())").execute())
        .compose(v -> conn.query("SELECT coalesce(max(version), 0) FROM " + schema + ".schema_version").execute())
        .compose(rows -> {
          int current = rows.iterator().next().getInteger(0);
          Future<Void> chain = Future.succeededFuture();
          for (int i = current; i < MIGRATIONS.size(); i++) {
            int version = i + 1;
            String sql = String.format(MIGRATIONS.get(i), schema);
            chain = chain.compose(v -> conn.query("BEGIN").execute()
                .compose(r -> conn.query(sql).execute())
                .compose(r -> conn.preparedQuery("INSERT INTO " + schema + ".schema_version (version) VALUES ($1)")
                    .execute(Tuple.of(version)))
                .compose(r -> conn.query("COMMIT").execute())
                .recover(err -> conn.query("ROLLBACK").execute().transform(x -> Future.failedFuture(err)))
                .mapEmpty());
          }
          return chain;
        });
  }
}
