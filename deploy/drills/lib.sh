# shellcheck shell=bash
# Shared by the fault drills in deploy/drills/ (sourced, not run). A drill:
#   drill_args "$@"                --help prints the drill's header comment; any argument is refused
#   drill_whole_numbers VAR...     each variable a whole number; drill_usage_error MESSAGE exits 2
#   drill_init NAME                a run directory deploy/target/drills/NAME-<time>/, a watchdog
#                                  (DRILL_TIMEOUT s, default 900) and clean-up on any exit
#   drill_postgres_start / _stop / _up, drill_redis_start / _stop, drill_proxy_start / drill_proxy_mode
#                                  servers of the drill's own on free loopback ports (the machine's
#                                  PostgreSQL and Redis are never touched), stopped by PID on exit
#   drill_cluster_start N          deploy/cluster.sh start N (its variables in this shell)
#   drill_traffic_start S C / drill_traffic_wait    deploy/drills/Traffic.java through nginx
#   drill_load_answers FILE TABLE  the answers into a table of the cluster's schema
#   drill_drain TIMEOUT            wait until no delivery is pending
#   drill_report TITLE             offered, acked, 503s, stored, delivered, lost, stored twice, ...
#   drill_answer_counts / drill_by_status  answers in a window: counts, and a line by status
#   drill_check OK MESSAGE         one more pass/fail line; drill_finish prints the result and exits
# Everything runs on 127.0.0.1.

drill_log() { echo "[$DRILL] $*" >&2; }
drill_answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
drill_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
drill_sql() { psql -qAt "$PG_URL" -c "$1"; }
drill_now_ms() { date +%s%3N; }

# --- before drill_init: the drill's arguments and environment ---------------------------------------
drill_usage_error() { echo "$(basename "$0" .sh): $*" >&2; exit 2; }
drill_args() { # "$@": a drill takes no arguments, only --help (its header comment, up to the first code line)
  case "${1:-}" in
    -h|--help) awk 'NR > 1 { if (!/^#/) exit; sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    "") ;;
    *) drill_usage_error "no arguments; see --help" ;;
  esac
}
drill_whole_numbers() { # variable names
  local v
  for v in "$@"; do [[ "${!v}" =~ ^[0-9]+$ ]] || drill_usage_error "$v must be a whole number"; done
}

drill_init() { # name
  DRILL="$1"
  DRILL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  DEPLOY="$(cd "$DRILL_DIR/.." && pwd)"
  STAMP="$(date +%Y%m%d-%H%M%S)"
  RUN_DIR="$DEPLOY/target/drills/$DRILL-$STAMP"
  export CLUSTER_DIR="$RUN_DIR/cluster"
  mkdir -p "$RUN_DIR"
  PREFIX="drill-$STAMP-$$"
  ANSWERS="$RUN_DIR/answers.tsv"
  DRILL_STOP=()      # clean-up commands run after the cluster is stopped, last registered first
  DRILL_PIDS=()      # background helpers of the drill (probes, pollers), stopped first
  TRAFFIC_PID=""
  DRILL_RC=0
  local budget="${DRILL_TIMEOUT:-900}"
  [[ "$budget" =~ ^[0-9]+$ ]] || { drill_log "DRILL_TIMEOUT must be a whole number"; exit 2; }
  # The watchdog: a drill that hangs is stopped (and cleaned up) after DRILL_TIMEOUT s.
  ( trap 'kill "$s" 2>/dev/null; exit 0' TERM; sleep "$budget" & s=$!; wait "$s"
    echo "[$DRILL] still running after ${budget}s (DRILL_TIMEOUT): stopping" >&2; kill -TERM $$ ) &
  DRILL_WATCHDOG=$!
  disown "$DRILL_WATCHDOG"
  trap drill_cleanup EXIT
  trap 'exit 130' INT TERM
}

drill_cleanup() {
  local rc=$? p i
  set +e
  trap - EXIT INT TERM
  for p in "${DRILL_PIDS[@]}"; do drill_alive "$p" && kill -TERM "$p" 2>/dev/null; done
  if drill_alive "$TRAFFIC_PID"; then kill -TERM "$TRAFFIC_PID"; sleep 1; kill -KILL "$TRAFFIC_PID" 2>/dev/null; fi
  [ -f "$CLUSTER_DIR/cluster.env" ] && "$DEPLOY/cluster.sh" stop
  for (( i = ${#DRILL_STOP[@]} - 1; i >= 0; i-- )); do eval "${DRILL_STOP[$i]}"; done
  drill_alive "$DRILL_WATCHDOG" && kill -TERM "$DRILL_WATCHDOG" 2>/dev/null
  drill_log "run directory: $RUN_DIR"
  exit "$rc"
}

drill_free_port() {
  local p _
  for _ in $(seq 1 100); do
    p=$(( 20000 + RANDOM % 12000 ))
    drill_answers 127.0.0.1 "$p" || grep -qw "$p" "$RUN_DIR/ports" 2>/dev/null || { echo "$p" >> "$RUN_DIR/ports"; echo "$p"; return; }
  done
  drill_log "no free port found"; exit 1
}

drill_wait() { # seconds description command...: poll the command every 0.25 s
  local seconds="$1" what="$2" i; shift 2
  for (( i = 0; i < seconds * 4; i++ )); do "$@" && return 0; sleep 0.25; done
  drill_log "$what: not after ${seconds}s"; return 1
}

# --- PostgreSQL of the drill's own: initdb into a temporary directory, trust on 127.0.0.1 --------
drill_as_pg() { # program args...: as the postgres user when root (initdb refuses root)
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$PG_BIN/$1" "${@:2}"; else "$PG_BIN/$1" "${@:2}"; fi
}
drill_postgres_start() { # sets OWN_PG_PORT, OWN_PG_URL
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -x "$PG_BIN/initdb" ] || PG_BIN="$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"
  [ -x "$PG_BIN/initdb" ] || { drill_log "PostgreSQL's server programs (initdb, pg_ctl) are needed: apt-get install postgresql"; exit 1; }
  OWN_PG_DIR="$(mktemp -d /tmp/hookline-drill-pg.XXXXXX)"
  [ "$(id -u)" = 0 ] && chown postgres "$OWN_PG_DIR"
  OWN_PG_PORT="$(drill_free_port)"
  DRILL_STOP+=("drill_postgres_stop; cp '$OWN_PG_DIR/postgres.log' '$RUN_DIR/postgres.log'; rm -rf '$OWN_PG_DIR'")
  drill_as_pg initdb -D "$OWN_PG_DIR/data" -A trust -U postgres --no-sync -E UTF8 > "$RUN_DIR/initdb.log" 2>&1 \
    || { cat "$RUN_DIR/initdb.log" >&2; exit 1; }
  drill_postgres_up
  OWN_PG_URL="postgresql://postgres@127.0.0.1:$OWN_PG_PORT/postgres"
  drill_log "own PostgreSQL on 127.0.0.1:$OWN_PG_PORT (data in $OWN_PG_DIR)"
}
drill_postgres_up() {
  drill_as_pg pg_ctl -D "$OWN_PG_DIR/data" -l "$OWN_PG_DIR/postgres.log" -w -t 60 \
    -o "-p $OWN_PG_PORT -k $OWN_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
}
drill_postgres_stop() { # mode (fast): pg_ctl stops the postmaster of our data directory (its PID file)
  [ -f "$OWN_PG_DIR/data/postmaster.pid" ] || return 0
  drill_as_pg pg_ctl -D "$OWN_PG_DIR/data" -m "${1:-fast}" -w -t 60 stop >/dev/null
}

# --- Redis of the drill's own, nothing saved -----------------------------------------------------
drill_redis_start() { # sets OWN_REDIS_PORT (kept on restart), OWN_REDIS_PID, OWN_REDIS_URL
  command -v redis-server >/dev/null || { drill_log "redis-server is needed: apt-get install redis-server"; exit 1; }
  OWN_REDIS_PORT="${OWN_REDIS_PORT:-$(drill_free_port)}"
  redis-server --port "$OWN_REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$RUN_DIR" \
    --daemonize no >> "$RUN_DIR/redis.log" 2>&1 < /dev/null &
  OWN_REDIS_PID=$!
  [ -n "${OWN_REDIS_URL:-}" ] || DRILL_STOP+=("drill_redis_stop")
  OWN_REDIS_URL="redis://127.0.0.1:$OWN_REDIS_PORT"
  drill_wait 20 "own Redis answers" redis-cli -p "$OWN_REDIS_PORT" ping >/dev/null 2>&1 || exit 1
}
drill_redis_stop() {
  drill_alive "${OWN_REDIS_PID:-}" || return 0
  kill -TERM "$OWN_REDIS_PID"
  drill_wait 20 "own Redis stopped" bash -c "! kill -0 $OWN_REDIS_PID 2>/dev/null" || kill -KILL "$OWN_REDIS_PID"
  wait "$OWN_REDIS_PID" 2>/dev/null || true
}

# --- TCP proxy (deploy/drills/TcpProxy.java) -------------------------------------------------------
drill_proxy_start() { # target_host target_port; sets PROXY_PORT, PROXY_PID
  PROXY_PORT="$(drill_free_port)"
  PROXY_CONTROL="$RUN_DIR/proxy.mode"
  echo forward > "$PROXY_CONTROL"
  java -Xms32m -Xmx128m "$DRILL_DIR/TcpProxy.java" "$PROXY_PORT" "$1" "$2" "$PROXY_CONTROL" > "$RUN_DIR/proxy.log" 2>&1 < /dev/null &
  PROXY_PID=$!
  DRILL_STOP+=("kill -TERM $PROXY_PID 2>/dev/null")
  drill_wait 60 "the TCP proxy listens" drill_answers 127.0.0.1 "$PROXY_PORT" || exit 1
}
drill_proxy_mode() { echo "$1" > "$PROXY_CONTROL.tmp" && mv "$PROXY_CONTROL.tmp" "$PROXY_CONTROL"; sleep 0.3; }

# --- the cluster and its traffic -------------------------------------------------------------------
drill_cluster_start() { # nodes
  "$DEPLOY/cluster.sh" start "$1" > "$RUN_DIR/cluster-start.txt" 2>&1 || { cat "$RUN_DIR/cluster-start.txt" >&2; exit 1; }
  eval "$("$DEPLOY/cluster.sh" env)"
}

drill_traffic_start() { # seconds concurrency
  drill_log "traffic: ${1}s, $2 senders, through nginx (127.0.0.1:$NGINX_PORT) to $NODES nodes"
  timeout -k 5 $(( $1 + 90 )) java "$DRILL_DIR/Traffic.java" "http://127.0.0.1:$NGINX_PORT/webhooks/gh" "$SECRET" \
    "$1" "$2" "$PREFIX" "$ANSWERS" > "$RUN_DIR/traffic.log" 2>&1 &
  TRAFFIC_PID=$!
  local i
  for i in $(seq 1 120); do
    grep -q '^traffic: started' "$RUN_DIR/traffic.log" 2>/dev/null && { TRAFFIC_STARTED=$(date +%s); return 0; }
    drill_alive "$TRAFFIC_PID" || { drill_log "the traffic generator exited:"; cat "$RUN_DIR/traffic.log" >&2; exit 1; }
    sleep 0.5
  done
  drill_log "the traffic generator did not start in 60 s"; exit 1
}
drill_at() { # seconds after the traffic started: sleep until then
  local left=$(( TRAFFIC_STARTED + $1 - $(date +%s) ))
  [ "$left" -gt 0 ] && sleep "$left"
  return 0
}
drill_traffic_wait() {
  wait "$TRAFFIC_PID" || drill_log "the traffic generator ended with status $? (see $RUN_DIR/traffic.log)"
  TRAFFIC_PID=""
  cat "$RUN_DIR/traffic.log" >&2
}

drill_load_answers() { # file table
  drill_sql "CREATE TABLE IF NOT EXISTS $SCHEMA.$2 (provider_event_id text, status text, event_id text, duplicate text, sent_ms bigint, answered_ms bigint, retry_after text)"
  psql -qAt "$PG_URL" -c "\\copy $SCHEMA.$2 FROM '$1'"
}

drill_drain() { # timeout: wait until no delivery of the drill's events is pending; sets DRAINED, DRAIN_S
  drill_log "waiting (at most ${1}s) until no delivery is pending"
  local started left; started=$(date +%s); DRAINED=0
  while [ $(( $(date +%s) - started )) -le "$1" ]; do
    left="$(drill_sql "SELECT count(*) FROM $SCHEMA.deliveries WHERE status = 'pending'" 2>/dev/null || echo '?')"
    [ "$left" = 0 ] && { DRAINED=1; break; }
    sleep 1
  done
  DRAIN_S=$(( $(date +%s) - started ))
}

# Answers recorded in a table of the cluster's schema, FROM_WHERE being "table WHERE ...".
drill_answer_counts() { # from_where: prints all, 2xx, 503s, 503s without Retry-After
  drill_sql "SELECT count(*), count(*) FILTER (WHERE status LIKE '2%'), count(*) FILTER (WHERE status = '503'),
    count(*) FILTER (WHERE status = '503' AND retry_after = '-') FROM $1" | tr '|' ' '
}
drill_by_status() { # from_where [text when none]: "200 x12, 503 x3"
  drill_sql "SELECT coalesce(string_agg(status || ' x' || n, ', ' ORDER BY status), '${2:-}') FROM (SELECT status, count(*) n FROM $1 GROUP BY status) s"
}

drill_check() { # ok(0/1) message
  if [ "$1" = 1 ]; then echo "ok:   $2"; else echo "FAIL: $2"; DRILL_RC=1; fi
}

drill_report() { # title
  local table="$SCHEMA.drill_answers" like="$PREFIX-%"
  read -r OFFERED ACKED ACKED_DUP S503 S503_BARE OTHER <<< "$(drill_sql "SELECT count(*), count(*) FILTER (WHERE status = '200'),
      count(*) FILTER (WHERE status = '200' AND duplicate = 't'), count(*) FILTER (WHERE status = '503'),
      count(*) FILTER (WHERE status = '503' AND retry_after = '-'), count(*) FILTER (WHERE status NOT IN ('200', '503'))
    FROM $table" | tr '|' ' ')"
  STORED="$(drill_sql "SELECT count(*) FROM $SCHEMA.events WHERE source_id = 'gh' AND provider_event_id LIKE '$like'")"
  DELIVERED="$(drill_sql "SELECT count(DISTINCT e.id) FROM $SCHEMA.events e JOIN $SCHEMA.deliveries d ON d.event_id = e.id WHERE e.provider_event_id LIKE '$like' AND d.status = 'delivered'")"
  DEAD="$(drill_sql "SELECT count(*) FROM $SCHEMA.deliveries d JOIN $SCHEMA.events e ON e.id = d.event_id WHERE e.provider_event_id LIKE '$like' AND d.status = 'dead'")"
  LOST="$(drill_sql "SELECT count(*) FROM $table a WHERE a.status = '200' AND NOT EXISTS (SELECT 1 FROM $SCHEMA.events e WHERE e.source_id = 'gh' AND e.provider_event_id = a.provider_event_id AND e.id::text = a.event_id)")"
  TWICE="$(drill_sql "SELECT count(*) FROM (SELECT provider_event_id FROM $SCHEMA.events WHERE source_id = 'gh' GROUP BY provider_event_id HAVING count(*) > 1) t")"
  UNDELIVERED=$(( STORED - DELIVERED ))
  local unacked; unacked="$(drill_sql "SELECT count(*) FROM $SCHEMA.events e WHERE e.provider_event_id LIKE '$like' AND NOT EXISTS (SELECT 1 FROM $table a WHERE a.provider_event_id = e.provider_event_id AND a.status = '200')")"
  local sink; sink="$(curl -s --max-time 2 "http://127.0.0.1:$SINK_PORT/_sink/stats" | sed -n 's/^received=\([0-9]*\).*/\1/p')"
  echo
  echo "==== drill $DRILL $(date -u +%FT%TZ): $1 ===="
  printf '%-14s %8s\n' offered "$OFFERED" acked "$ACKED" "503s" "$S503" other "$OTHER" stored "$STORED" delivered "$DELIVERED" \
    lost "$LOST" "stored twice" "$TWICE" undelivered "$UNDELIVERED" dead "$DEAD"
  echo "(acked includes $ACKED_DUP answered duplicate:true (nginx re-sent a request whose first answer it did not get);"
  echo " other = 502/504 or no answer; stored but not acked: $unacked (a provider retries those and gets duplicate:true);"
  echo " 503s without Retry-After: $S503_BARE; sink received ${sink:-?} deliveries (at least once); backlog drained ${DRAIN_S:-?}s after the traffic)"
  drill_check "$([ "$LOST" = 0 ] && echo 1)" "lost $LOST (acked but not stored under the id acked)"
  drill_check "$([ "$TWICE" = 0 ] && echo 1)" "stored twice $TWICE (one delivery id stored more than once)"
  drill_check "$([ "${DRAINED:-0}" = 1 ] && [ "$UNDELIVERED" = 0 ] && echo 1)" "undelivered $UNDELIVERED (stored, not delivered, within the drain timeout)"
  drill_check "$([ "$DEAD" = 0 ] && echo 1)" "dead $DEAD (deliveries given up)"
  drill_check "$([ "$S503_BARE" = 0 ] && echo 1)" "every 503 carries Retry-After ($S503_BARE without)"
  drill_check "$([ "$ACKED" -gt 0 ] && echo 1)" "some traffic was acked ($ACKED)"
}

drill_finish() {
  if [ "$DRILL_RC" = 0 ]; then echo "RESULT: PASS"; else echo "RESULT: FAIL"; fi
  exit "$DRILL_RC"
}
