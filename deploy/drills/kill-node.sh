#!/usr/bin/env bash
# Fault drill: kill -9 one node mid-traffic, restart it, and prove nothing acked was lost.
#
#   deploy/drills/kill-node.sh
#
# Starts a local cluster (deploy/cluster.sh: NODES nodes, nginx, a sink) of its own on the machine's
# Redis and PostgreSQL (its own schema and key prefix), sends traffic through nginx for DURATION s
# (deploy/drills/Traffic.java: CONCURRENCY senders, each event a new GitHub delivery id, every answer
# recorded), kills node NODE with SIGKILL KILL_AT s after the traffic started, starts it again
# DOWN_FOR s later (same node id), waits (at most DRAIN_TIMEOUT s) until every stored event is
# delivered, then prints (deploy/drills/lib.sh): offered, acked (200), 503s, other (502/504/no
# answer), stored, delivered, lost (acked but not stored under the id acked: must be 0), stored twice
# (must be 0), undelivered and dead (must be 0), and the time from the kill to full delivery.
# Exit status 1 when a check fails; everything started is stopped by PID in any case.
# Environment (defaults): NODES (3), NODE (2), DURATION (30), CONCURRENCY (16), KILL_AT (10),
#   DOWN_FOR (5), DRAIN_TIMEOUT (180), DRILL_TIMEOUT (900), plus deploy/cluster.sh's (REDIS_URL,
#   PG_URL, HOOKLINE_JAR, NODE_JAVA_OPTS, NODE_YAML_EXTRA). Run directory: deploy/target/drills/kill-node-<time>/
set -euo pipefail

# shellcheck source=deploy/drills/lib.sh
. "$(dirname "$0")/lib.sh"
drill_args "$@"
NODES="${NODES:-3}"; NODE="${NODE:-2}"; DURATION="${DURATION:-30}"; CONCURRENCY="${CONCURRENCY:-16}"
KILL_AT="${KILL_AT:-10}"; DOWN_FOR="${DOWN_FOR:-5}"; DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-180}"
drill_whole_numbers NODES NODE DURATION CONCURRENCY KILL_AT DOWN_FOR DRAIN_TIMEOUT
[ "$NODES" -ge 2 ] && [ "$NODE" -ge 1 ] && [ "$NODE" -le "$NODES" ] && [ $(( KILL_AT + DOWN_FOR )) -lt "$DURATION" ] \
  || drill_usage_error "needs NODES >= 2, 1 <= NODE <= NODES and KILL_AT + DOWN_FOR < DURATION"

drill_init kill-node
drill_cluster_start "$NODES"

drill_traffic_start "$DURATION" "$CONCURRENCY"
drill_at "$KILL_AT"
drill_log "kill -9 node $NODE at +${KILL_AT}s ($(wc -l < "$ANSWERS") answers so far)"
"$DEPLOY/cluster.sh" kill-node "$NODE"
killed_at=$(date +%s)
drill_at $(( KILL_AT + DOWN_FOR ))
drill_log "restarting node $NODE at +$(( KILL_AT + DOWN_FOR ))s"
"$DEPLOY/cluster.sh" start-node "$NODE" || drill_log "node $NODE did not come back (the others carry on)"
drill_traffic_wait

drill_load_answers "$ANSWERS" drill_answers
drill_drain "$DRAIN_TIMEOUT"
since_kill_s=$(( $(date +%s) - killed_at ))
drill_report "$NODES nodes behind nginx, node $NODE killed (SIGKILL) at +${KILL_AT}s, restarted at +$(( KILL_AT + DOWN_FOR ))s; ${DURATION}s of traffic, $CONCURRENCY senders"
echo "(full delivery ${since_kill_s}s after the kill: about delivery.lease (60 s by default) would mean the restarted node did not take back its own leases at start-up)"
drill_finish
