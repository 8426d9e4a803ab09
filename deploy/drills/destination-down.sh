#!/usr/bin/env bash
# Fault drill: the destination down for DOWN_FOR s (default a minute), then back.
#
#   deploy/drills/destination-down.sh
#
# Starts a local cluster (deploy/cluster.sh: NODES nodes, nginx, a sink as the destination) on the
# machine's Redis and PostgreSQL (a schema and key prefix of its own), sends traffic through nginx
# for DURATION s (deploy/drills/Traffic.java), stops the sink STOP_AT s after the traffic started
# (connections refused: every attempt fails) and starts it again DOWN_FOR s later. The destination
# gets maxAttempts 100 and a maxBackoff chosen so that the retries span about twice DOWN_FOR
# (5 s for a minute: 100 attempts of 0-5 s, full jitter). Proves: every acked event is stored once
# and delivered once the destination is back, none is dead. Prints offered, acked, 503s, stored,
# delivered, lost, stored twice, dead, how many were pending when the destination came back and the
# most attempts one delivery needed, and exits 1 when a check fails.
# Environment (defaults): NODES (2), DURATION (20), CONCURRENCY (16), STOP_AT (5), DOWN_FOR (60),
#   DRAIN_TIMEOUT (180), DRILL_TIMEOUT (900 + DOWN_FOR), plus deploy/cluster.sh's (REDIS_URL, PG_URL,
#   HOOKLINE_JAR, NODE_JAVA_OPTS, NODE_YAML_EXTRA).
set -euo pipefail

# shellcheck source=deploy/drills/lib.sh
. "$(dirname "$0")/lib.sh"
drill_args "$@"
NODES="${NODES:-2}"; DURATION="${DURATION:-20}"; CONCURRENCY="${CONCURRENCY:-16}"; STOP_AT="${STOP_AT:-5}"
DOWN_FOR="${DOWN_FOR:-60}"; DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-180}"
drill_whole_numbers NODES DURATION CONCURRENCY STOP_AT DOWN_FOR DRAIN_TIMEOUT
[ "$NODES" -ge 1 ] && [ "$STOP_AT" -lt "$DURATION" ] && [ "$DOWN_FOR" -ge 1 ] \
  || drill_usage_error "needs NODES >= 1, STOP_AT < DURATION and DOWN_FOR >= 1"
export DRILL_TIMEOUT="${DRILL_TIMEOUT:-$(( 900 + DOWN_FOR ))}"
# 100 attempts, each after 0..maxBackoff s (full jitter): about 50 x maxBackoff in all, twice DOWN_FOR.
max_backoff=$(( (4 * DOWN_FOR + 99) / 100 )); [ "$max_backoff" -ge 5 ] || max_backoff=5
export DESTINATION_YAML_EXTRA="maxAttempts: 100
initialBackoff: 1s
maxBackoff: ${max_backoff}s"

drill_init destination-down
drill_cluster_start "$NODES"

drill_traffic_start "$DURATION" "$CONCURRENCY"
drill_at "$STOP_AT"
drill_log "stopping the destination (sink) at +${STOP_AT}s for ${DOWN_FOR}s ($(wc -l < "$ANSWERS") answers so far)"
"$DEPLOY/cluster.sh" stop-sink
down_at=$(date +%s)
drill_at "$DURATION"
drill_traffic_wait
left=$(( down_at + DOWN_FOR - $(date +%s) )); [ "$left" -gt 0 ] && sleep "$left"
pending_at_return="$(drill_sql "SELECT count(*) FROM $SCHEMA.deliveries WHERE status = 'pending'")"
drill_log "starting the destination again after $(( $(date +%s) - down_at ))s ($pending_at_return deliveries pending)"
"$DEPLOY/cluster.sh" start-sink

drill_load_answers "$ANSWERS" drill_answers
drill_drain "$DRAIN_TIMEOUT"
drill_report "$NODES nodes behind nginx, the destination down from +${STOP_AT}s for ${DOWN_FOR}s (maxAttempts 100, backoff 1-${max_backoff}s); ${DURATION}s of traffic, $CONCURRENCY senders"
echo "(the sink counts from its restart) pending when the destination came back: $pending_at_return; most attempts for one delivery: $(drill_sql "SELECT max(attempts) FROM $SCHEMA.deliveries")"
drill_check "$([ "$pending_at_return" -gt 0 ] && echo 1)" "deliveries were held back while the destination was down ($pending_at_return pending)"
drill_finish
