#!/usr/bin/env bash
# Soak (issue 20, SPEC "Storage over time"): one node on a PRIVATE PostgreSQL cluster with production-
# like settings (initdb into a temp dir, its own port, autovacuum on, shared_buffers sized, WAL sized),
# started and stopped by this script, under an about-fixed rate of new GitHub-signed events with one
# destination (a local sink) for MINUTES minutes, with short partitions and retention so that
# retention runs many times. Every minute it prints: acks/s, ack p50/p99 (wrk, that minute),
# database size, rows per table, dead tuples, partitions created/dropped, kept events.
#
#   load-tests/soak.sh                              # 30 minutes at ~2000 events/s
#   MINUTES=5 RATE=500 load-tests/soak.sh           # a short one
#
# Environment (defaults):
#   MINUTES (30)  RATE (2000) target events/s  CONNECTIONS (32)  THREADS (2)  BODY_BYTES (2048)
#   PARTITION (1m) storage.partition  RETENTION (2m) retention.delivered and .dead  INTERVAL (10s)
#   SHARED_BUFFERS (1GB)  MAX_WAL_SIZE (4GB)  NODE_JAVA_OPTS (-Xms1g -Xmx1g)
#   DEDUP_TTL (72h) the source's dedupTtl: dedup keys (event_keys) live this long, so the database
#     grows by rate x DEDUP_TTL of keys before it is flat; a short one (e.g. 5m) shows the flat state sooner
#   PG_EXTRA_CONF (none): lines appended to postgresql.conf, for an A/B of a setting (e.g. 'autovacuum = off')
#   REDIS_URL (redis://127.0.0.1:6379: the machine's, with a key prefix of its own)
#   HOOKLINE_JAR (target/hookline.jar; built with mvn -DskipTests package if missing)
# Run directory: load-tests/target/soak/<time>/ (node.log, postgres.log, per-minute wrk output,
# soak.tsv). The PostgreSQL data directory is a temp dir, removed at the end.
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; "") ;; *) echo "soak: no arguments; see --help" >&2; exit 2 ;; esac

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
MINUTES="${MINUTES:-30}"; RATE="${RATE:-2000}"; CONNECTIONS="${CONNECTIONS:-32}"; THREADS="${THREADS:-2}"
BODY_BYTES="${BODY_BYTES:-2048}"; DEDUP_TTL="${DEDUP_TTL:-72h}"; PARTITION="${PARTITION:-1m}"; RETENTION="${RETENTION:-2m}"; INTERVAL="${INTERVAL:-10s}"
SHARED_BUFFERS="${SHARED_BUFFERS:-1GB}"; MAX_WAL_SIZE="${MAX_WAL_SIZE:-4GB}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"; JAR="${HOOKLINE_JAR:-$root/target/hookline.jar}"
for v in MINUTES RATE CONNECTIONS THREADS BODY_BYTES; do
  [[ "${!v}" =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || { echo "soak: $v must be a positive whole number, got '${!v}'" >&2; exit 2; }
done
[ "$BODY_BYTES" -ge 128 ] || { echo "soak: BODY_BYTES must be at least 128" >&2; exit 2; }
for t in java curl openssl psql wrk node; do command -v "$t" >/dev/null || { echo "soak: $t is needed" >&2; exit 1; }; done
pgbin="$(dirname "$(readlink -f "$(command -v initdb)")")"
# Each connection paces itself: DELAY_MS between a response and its next request.
delay_ms=$(( CONNECTIONS * 1000 / RATE )); [ "$delay_ms" -ge 1 ] || delay_ms=1

stamp="$(date +%Y%m%d-%H%M%S)"; run="$here/target/soak/$stamp"; mkdir -p "$run"
log() { echo "[soak] $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pgdata="$(mktemp -d /tmp/hookline-soak-pg.XXXXXX)"; chmod 700 "$pgdata"
pg_port="$(free_port)"; http_port="$(free_port)"; mgmt_port="$(free_port)"; sink_port="$(free_port)"
as_pg=(); [ "$(id -u)" = 0 ] && { chown postgres "$pgdata"; as_pg=(runuser -u postgres --); }
node_pid=""; sink_pid=""; prefix="hookline-soak:$stamp:$$:"
cleanup() {
  [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null || true
  [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null && wait "$sink_pid" 2>/dev/null || true
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pgdata"
  redis-cli -u "$REDIS_URL" --scan --pattern "$prefix*" 2>/dev/null | xargs -r -n 500 redis-cli -u "$REDIS_URL" DEL >/dev/null 2>&1 || true
}
trap cleanup EXIT

# ---- a private PostgreSQL with production settings (docs/storage.md says why each) -------------
"${as_pg[@]}" "$pgbin/initdb" -D "$pgdata" -U postgres --auth=trust >/dev/null
cat >> "$pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$pgdata'
autovacuum = on
shared_buffers = $SHARED_BUFFERS
max_wal_size = $MAX_WAL_SIZE
checkpoint_timeout = 15min
wal_compression = on
max_connections = 100
max_locks_per_transaction = 512
shared_preload_libraries = 'pg_stat_statements'
${PG_EXTRA_CONF:-}
CONF
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/postgres.log" -w start >/dev/null
pg_url="postgresql://postgres@127.0.0.1:$pg_port/postgres"
sql() { psql -X -q -A -t -h 127.0.0.1 -p "$pg_port" -U postgres postgres -c "$1"; }
sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
log "PostgreSQL $(sql 'SHOW server_version') on port $pg_port (data $pgdata): shared_buffers $SHARED_BUFFERS, max_wal_size $MAX_WAL_SIZE, autovacuum on"

# ---- node and sink ---------------------------------------------------------------------------------
[ -f "$JAR" ] || (cd "$root" && mvn -B -q -DskipTests package)
secret="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
body_file="$run/body.json"
head='{"ref":"refs/heads/main","zen":"Keep it logically awesome.","pad":"'; tail='"}'
{ printf '%s' "$head"; head -c $(( BODY_BYTES - ${#head} - ${#tail} )) /dev/zero | tr '\0' x; printf '%s' "$tail"; } > "$body_file"
signature="$(openssl dgst -sha256 -hmac "$secret" -r < "$body_file" | cut -d' ' -f1)"
cat > "$run/hookline.yaml" <<YAML
# Generated by load-tests/soak.sh ($stamp).
http: { host: 127.0.0.1, port: $http_port }
management: { host: 127.0.0.1, port: $mgmt_port }
redis: { url: "$REDIS_URL", keyPrefix: "$prefix" }
postgres: { url: "$pg_url", schema: hookline }
storage: { partition: $PARTITION }
retention: { delivered: $RETENTION, dead: $RETENTION, interval: $INTERVAL }
sources:
  - id: gh
    provider: github
    secrets: ["$secret"]
    dedupTtl: $DEDUP_TTL
    destinations:
      - url: http://127.0.0.1:$sink_port/gh
YAML
node "$here/tools/sink.js" "$sink_port" > "$run/sink.log" 2>&1 & sink_pid=$!
# shellcheck disable=SC2206
opts=(${NODE_JAVA_OPTS:--Xms1g -Xmx1g})
java "${opts[@]}" -jar "$JAR" --config "$run/hookline.yaml" > "$run/node.log" 2>&1 & node_pid=$!
for k in $(seq 1 240); do
  curl -sf --max-time 2 "http://127.0.0.1:$mgmt_port/health/ready" >/dev/null 2>&1 && break
  kill -0 "$node_pid" 2>/dev/null || { log "the node exited during start-up:"; tail -n 30 "$run/node.log" >&2; exit 1; }
  [ "$k" = 240 ] && { log "the node was not ready after 120 s"; exit 1; }
  sleep 0.5
done
log "node pid $node_pid ready; $MINUTES min at ~$RATE events/s ($CONNECTIONS connections, ${delay_ms} ms pacing), partition $PARTITION, retention $RETENTION; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- one wrk run per minute, then the database's state ----------------------------------------------
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
# CPU ticks of a process (utime + stime); of the cluster: the postmaster with its reaped children
# (cutime + cstime: exited backends and autovacuum workers) plus every live child.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
  local pm t=0 c; pm="$(head -1 "$pgdata/postmaster.pid")"
  t=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat")
  for c in $(pgrep -P "$pm"); do t=$(( t + $(ticks "$c") )); done
  echo "$t"
}
hz="$(getconf CLK_TCK)"
wal_bytes() { sql "SELECT wal_bytes FROM pg_stat_wal" | cut -d. -f1; }
printf 'minute\tacks_per_s\tp50_ms\tp99_ms\tstatus503\tdb_mb\tevents\tdeliveries\tattempts\tevent_keys\tdead_tuples\tpartitions_live\tpartitions_dropped\tkept_events\tnode_us_per_event\tpg_us_per_event\twal_kb_per_event\tload1\tdelivery_updates\thot_updates\n' | tee "$run/soak.tsv"
for m in $(seq 1 "$MINUTES"); do
  node0="$(ticks "$node_pid")"; pg0="$(pg_ticks)"; wal0="$(wal_bytes)"
  timeout -k 5 120 wrk -t"$THREADS" -c"$CONNECTIONS" -d60s --timeout 30s -s "$here/tools/wrk-soak.lua" \
    "http://127.0.0.1:$http_port/webhooks/gh" -- "$body_file" "$signature" "soak-$stamp-$m" "$delay_ms" \
    > "$run/minute$m.out" 2> "$run/minute$m.err" || { log "wrk failed in minute $m"; cat "$run/minute$m.err" >&2; exit 1; }
  line="$(grep '^BURST ' "$run/minute$m.out")"
  acked="$(field "$line" acked)"; wrk_us="$(field "$line" wrk_us)"
  node1="$(ticks "$node_pid")"; pg1="$(pg_ticks)"; wal1="$(wal_bytes)"
  per_event="$(awk -v n=$(( node1 - node0 )) -v p=$(( pg1 - pg0 )) -v w=$(( wal1 - wal0 )) -v a="$acked" -v hz="$hz" \
    'BEGIN { a = a > 0 ? a : 1; printf "%.0f\t%.0f\t%.2f", n * 1e6 / hz / a, p * 1e6 / hz / a, w / 1024 / a }')"
  state="$(sql "SELECT round(pg_database_size('postgres') / 1048576.0),
      (SELECT count(*) FROM hookline.events), (SELECT count(*) FROM hookline.deliveries),
      (SELECT count(*) FROM hookline.delivery_attempts), (SELECT count(*) FROM hookline.event_keys),
      (SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables WHERE schemaname = 'hookline'),
      (SELECT count(*) FILTER (WHERE dropped_at IS NULL) FROM hookline.storage_partitions),
      (SELECT count(*) FILTER (WHERE dropped_at IS NOT NULL) FROM hookline.storage_partitions),
      (SELECT coalesce(sum(kept_events), 0) FROM hookline.storage_partitions)" | tr '|' '\t')"
  # Updates of the deliveries partitions still live, and how many were HOT (no new index entries; issue 20).
  hot="$(sql "SELECT coalesce(sum(n_tup_upd), 0), coalesce(sum(n_tup_hot_upd), 0) FROM pg_stat_user_tables
      WHERE schemaname = 'hookline' AND relname LIKE 'deliveries%'" | tr '|' '\t')"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$m" "$(( acked * 1000000 / wrk_us ))" \
    "$(awk -v u="$(field "$line" p50_us)" 'BEGIN{printf "%.1f", u/1000}')" \
    "$(awk -v u="$(field "$line" p99_us)" 'BEGIN{printf "%.1f", u/1000}')" \
    "$(field "$line" status503)" "$state" "$per_event" "$(cut -d' ' -f1 /proc/loadavg)" "$hot" | tee -a "$run/soak.tsv"
done
cp "$pgdata/postgres.log" "$run/postgres.log" 2>/dev/null || true
# Who wrote the buffers and how often checkpoints came, over the whole run (what a settings A/B compares).
sql "SELECT checkpoints_timed, checkpoints_req, buffers_checkpoint, buffers_clean, buffers_backend,
       (SELECT round(100.0 * sum(blks_hit) / nullif(sum(blks_hit) + sum(blks_read), 0), 2) FROM pg_stat_database)
     FROM pg_stat_bgwriter" | tr '|' '\t' \
  | { printf 'checkpoints_timed\tcheckpoints_req\tbuffers_checkpoint\tbuffers_clean\tbuffers_backend\thit_pct\n'; cat; } \
  > "$run/bgwriter.tsv" || true
log "checkpoints (timed, requested), buffers written (checkpoint, bgwriter, backends), hit %: $(tail -1 "$run/bgwriter.tsv")"
# How much of the WAL was full-page images (what wal_compression shrinks, and what checkpoints cause).
sql "SELECT wal_records, wal_fpi, round(100.0 * wal_fpi / nullif(wal_records, 0), 2), wal_bytes FROM pg_stat_wal" \
  | tr '|' '\t' | { printf 'wal_records\twal_fpi\tfpi_pct\twal_bytes\n'; cat; } > "$run/wal.tsv" || true
log "WAL records, full-page images, their %, bytes: $(tail -1 "$run/wal.tsv")"
# Where PostgreSQL's time went, by statement (pg_stat_statements; execution time, not CPU alone).
sql "SELECT round((100 * total_exec_time / sum(total_exec_time) OVER ())::numeric, 1), calls, rows,
       round((total_exec_time * 1000 / nullif(calls, 0))::numeric, 1), left(regexp_replace(query, '\s+', ' ', 'g'), 160)
     FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15" | tr '|' '\t' \
  | { printf 'share_pct\tcalls\trows\tmean_us\tquery\n'; cat; } > "$run/statements.tsv" || true
# The issue's two checks: last-minute p99 against the first steady minute's (minute 2; minute 1 is the
# JIT's), and storage flat once retention has caught up (database size in the second half of the run).
awk -F'\t' -v minutes="$MINUTES" 'NR == 1 { next }
  $1 == 2 { p99_first = $4 } { p99_last = $4; acks += $2; n++ }
  $1 > minutes / 2 { if (lo == "" || $6 < lo) lo = $6; if ($6 > hi) hi = $6 }
  END { if (n >= 3) printf "[soak] mean acks/s %.0f; p99 minute 2 %s ms, last minute %s ms (%.2fx); database %s-%s MB in the second half\n",
          acks / n, p99_first, p99_last, p99_last / p99_first, lo, hi }' "$run/soak.tsv" >&2
log "done; figures in $run/soak.tsv"
