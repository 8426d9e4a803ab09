#!/usr/bin/env bash
# Fault drill: PostgreSQL stopped for DOWN_FOR s during traffic, then started again.
#
#   deploy/drills/postgres-stop.sh
#
# Starts a PostgreSQL of its own (initdb into a temporary directory, a free loopback port; the
# machine's PostgreSQL on 5432 is never touched), a cluster on it (deploy/cluster.sh: NODES nodes,
# nginx, a sink), sends traffic through nginx for DURATION s (deploy/drills/Traffic.java), stops
# PostgreSQL (pg_ctl stop -m PG_STOP_MODE) STOP_AT s after the traffic started and starts it again
# DOWN_FOR s later. Proves: no request sent after PostgreSQL was down and answered before it was
# back got a 2xx; such requests got 503 with Retry-After; after it is back every acked event is
# stored once and delivered. Prints offered, acked, 503s, stored, delivered, lost, stored twice, the
# answers inside the outage by status, and exits 1 when a check fails. Everything started is
# stopped by PID in any case.
# Environment (defaults): NODES (2), DURATION (40), CONCURRENCY (16), STOP_AT (10), DOWN_FOR (10),
#   PG_STOP_MODE (fast; immediate = a crash), DRAIN_TIMEOUT (180), DRILL_TIMEOUT (900), plus
#   deploy/cluster.sh's (REDIS_URL, HOOKLINE_JAR, NODE_JAVA_OPTS, NODE_YAML_EXTRA).
set -euo pipefail

# shellcheck source=deploy/drills/lib.sh
. "$(dirname "$0")/lib.sh"
drill_args "$@"
NODES="${NODES:-2}"; DURATION="${DURATION:-40}"; CONCURRENCY="${CONCURRENCY:-16}"; STOP_AT="${STOP_AT:-10}"
DOWN_FOR="${DOWN_FOR:-10}"; DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-180}"; PG_STOP_MODE="${PG_STOP_MODE:-fast}"
drill_whole_numbers NODES DURATION CONCURRENCY STOP_AT DOWN_FOR DRAIN_TIMEOUT
[[ "$PG_STOP_MODE" =~ ^(smart|fast|immediate)$ ]] || drill_usage_error "PG_STOP_MODE is smart, fast or immediate"
[ "$NODES" -ge 1 ] && [ $(( STOP_AT + DOWN_FOR )) -lt "$DURATION" ] \
  || drill_usage_error "needs NODES >= 1 and STOP_AT + DOWN_FOR < DURATION"

drill_init postgres-stop
drill_postgres_start
export PG_URL="$OWN_PG_URL"
drill_cluster_start "$NODES"

drill_traffic_start "$DURATION" "$CONCURRENCY"
drill_at "$STOP_AT"
drill_log "stopping PostgreSQL (-m $PG_STOP_MODE) at +${STOP_AT}s ($(wc -l < "$ANSWERS") answers so far)"
drill_postgres_stop "$PG_STOP_MODE"
down_ms=$(drill_now_ms)
sleep "$DOWN_FOR"
up_ms=$(drill_now_ms)
drill_log "starting PostgreSQL again at +$(( $(date +%s) - TRAFFIC_STARTED ))s (down $(( (up_ms - down_ms) / 1000 ))s)"
drill_postgres_up
drill_traffic_wait

drill_load_answers "$ANSWERS" drill_answers
drill_drain "$DRAIN_TIMEOUT"
drill_report "$NODES nodes behind nginx on a PostgreSQL of its own, stopped (-m $PG_STOP_MODE) at +${STOP_AT}s for ${DOWN_FOR}s; ${DURATION}s of traffic, $CONCURRENCY senders"

# Answers to requests sent after PostgreSQL was down and answered before it was started again.
inside="$SCHEMA.drill_answers WHERE sent_ms >= $down_ms AND answered_ms <= $up_ms"
read -r in_all in_2xx in_503 in_bare <<< "$(drill_answer_counts "$inside")"
echo "while PostgreSQL was down: $in_all answers: $(drill_by_status "$inside")"
echo "  Retry-After on those 503s: $(drill_sql "SELECT coalesce(string_agg(retry_after || ' s x' || n, ', ' ORDER BY retry_after), 'none') FROM (SELECT retry_after, count(*) n FROM $inside AND status = '503' GROUP BY retry_after) s")"
drill_check "$([ "$in_2xx" = 0 ] && echo 1)" "no 2xx while PostgreSQL was down ($in_2xx)"
drill_check "$([ "$in_503" -gt 0 ] && [ "$in_bare" = 0 ] && echo 1)" "requests while PostgreSQL was down got 503 + Retry-After ($in_503 503s, $in_bare without Retry-After)"
drill_finish
