#!/usr/bin/env bash
# Seeds N events (default 1,000,000) with their deliveries and attempts into a throwaway schema,
# with COPY, for the admin API's query plans (AdminQueryPlans) and the insert-cost measurement.
#   load-tests/admin/seed-events.sh [schema] [events]      (PG* env or -h 127.0.0.1 -U postgres -d test)
# The tables must exist (AdminQueryPlans migrates the schema with the node's own Schema, then runs
# this script); they are emptied first.
#
# Shape (30 days, newest = now): 5 sources (stripe 40%, github 30%, shopify 15%, slack 10%,
# rare 5%), 1-2 destinations each, 40 event types (one rare), deliveries 96.5% delivered,
# 1% dead, 0.5% gone, 2% pending (the newest; PENDING=0.0 for none), one attempt per finished delivery;
# a dedup key (event_keys) for each event of the last 72 hours (dedupTtl's default), expiring 72 h after it.
set -euo pipefail
SCHEMA=${1:-admin_seed}
N=${2:-1000000}
PENDING=${PENDING:-0.02}
[[ "$PENDING" =~ ^0?\.[0-9]+$|^0$ ]] || { echo "PENDING must be a share between 0 and 1, got '$PENDING'" >&2; exit 2; }
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "${PGHOST:-127.0.0.1}" -U "${PGUSER:-postgres}" -d "${PGDATABASE:-test}")

[[ "$SCHEMA" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "schema must be a lower-case identifier" >&2; exit 2; }

# One table per transaction: a month of hourly partitions in one TRUNCATE overflows the stock lock table.
for t in delivery_attempts deliveries delivery_queue events event_keys; do "${PSQL[@]}" -c "TRUNCATE $SCHEMA.$t"; done

# One generator, reused by the three COPYs: event i is received (30 days * i / N) before BASE
# (fixed, so the three statements derive the same ids from the same times).
BASE=$("${PSQL[@]}" -tAc "SELECT now()")
GEN="SELECT i,
  '$BASE'::timestamptz - (interval '30 days') * (i::float8 / $N) AS ts,
  CASE WHEN i % 20 = 7 THEN 'rare'
       ELSE (ARRAY['stripe','stripe','stripe','stripe','github','github','github','shopify','shopify','slack'])[1 + (i % 10)]
  END AS src
  FROM generate_series(1, $N) AS i"
# UUIDv7-shaped ids: 48 bits of milliseconds, then random-looking bits (as EventIds makes them).
ID="(lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0') || '7' || substr(md5(i::text), 1, 3)
     || '8' || substr(md5(i::text), 4, 15))::uuid"
# Source -> destinations: stripe has two (billing, ledger), the others one.
DESTS="CASE WHEN src = 'stripe' THEN ARRAY['billing','ledger'] ELSE ARRAY[src || '-app'] END"
# Status by i: the newest 2% pending, then 1% dead, 0.5% gone, the rest delivered.
STATUS="CASE WHEN i <= $N * $PENDING THEN 'pending' WHEN i % 100 = 3 THEN 'dead' WHEN i % 200 = 5 THEN 'gone' ELSE 'delivered' END"

time "${PSQL[@]}" -c "\\copy (SELECT $ID, src, 'evt_' || i, CASE WHEN i % 1000 = 1 THEN 'rare.type' ELSE 'type.' || (i % 39) END,
    ts, 'application/json', '[[\"Content-Type\",\"application/json\"],[\"User-Agent\",\"seed\"]]',
    convert_to('{\"id\":\"evt_' || i || '\",\"object\":\"event\",\"data\":{\"amount\":' || (i % 9999) || ',\"currency\":\"eur\",\"note\":\"' || md5(i::text) || md5((i+1)::text) || '\"}}', 'UTF8')
  FROM ($GEN) g) TO STDOUT" \
  | "${PSQL[@]}" -c "\\copy $SCHEMA.events (id, source_id, provider_event_id, event_type, received_at, content_type, headers, body) FROM STDIN"

time "${PSQL[@]}" -c "\\copy (SELECT $ID, src, d, $STATUS, 1, CASE WHEN $STATUS = 'pending' THEN 0 ELSE 1 + (i % 3) END,
    ts + interval '2 seconds', NULL, NULL, CASE WHEN $STATUS = 'dead' THEN 500 WHEN $STATUS = 'gone' THEN 410 ELSE 200 END,
    NULL, ts + interval '1 second' * (1 + (i % 5)),
    CASE WHEN $STATUS IN ('dead', 'gone') THEN ts + interval '1 second' * (1 + (i % 5)) END
  FROM ($GEN) g, unnest($DESTS) AS d) TO STDOUT" \
  | "${PSQL[@]}" -c "\\copy $SCHEMA.deliveries (event_id, source_id, destination_id, status, round, attempts, next_attempt_at, lease_owner, lease_until, last_status, last_error, updated_at, failed_at) FROM STDIN"
# Pending deliveries are queued (migration 15), as the writers keep them.
"${PSQL[@]}" -c "INSERT INTO $SCHEMA.delivery_queue (event_id, destination_id, source_id, next_attempt_at)
  SELECT event_id, destination_id, source_id, next_attempt_at FROM $SCHEMA.deliveries WHERE status = 'pending'"

time "${PSQL[@]}" -c "\\copy (SELECT $ID, d, 1, 1, 'seed-node', ts, ts + interval '40 ms',
    CASE WHEN $STATUS = 'dead' THEN 500 WHEN $STATUS = 'gone' THEN 410 ELSE 200 END, 40,
    CASE WHEN $STATUS = 'pending' THEN 'retry' ELSE $STATUS END, NULL
  FROM ($GEN) g, unnest($DESTS) AS d WHERE $STATUS <> 'pending') TO STDOUT" \
  | "${PSQL[@]}" -c "\\copy $SCHEMA.delivery_attempts (event_id, destination_id, round, attempt, node_id, started_at, finished_at, status_code, latency_ms, outcome, error) FROM STDIN"

time "${PSQL[@]}" -c "\\copy (SELECT src, 'evt_' || i, $ID, ts + interval '72 hours'
  FROM ($GEN) g WHERE ts > '$BASE'::timestamptz - interval '72 hours') TO STDOUT" \
  | "${PSQL[@]}" -c "\\copy $SCHEMA.event_keys (source_id, provider_event_id, event_id, expires_at) FROM STDIN"

"${PSQL[@]}" -c "VACUUM ANALYZE $SCHEMA.event_keys"
"${PSQL[@]}" -c "VACUUM ANALYZE $SCHEMA.events" -c "VACUUM ANALYZE $SCHEMA.deliveries" -c "VACUUM ANALYZE $SCHEMA.delivery_attempts" -c "VACUUM ANALYZE $SCHEMA.delivery_queue"
"${PSQL[@]}" -tAc "SELECT 'events ' || (SELECT count(*) FROM $SCHEMA.events) || ', deliveries ' || (SELECT count(*) FROM $SCHEMA.deliveries) || ', attempts ' || (SELECT count(*) FROM $SCHEMA.delivery_attempts)"
