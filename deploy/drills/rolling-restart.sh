#!/usr/bin/env bash
# Fleet drill: restart every node in turn with SIGTERM under steady traffic, and prove the senders
# saw nothing they would not retry and nothing acked was lost or stored twice.
#
#   deploy/drills/rolling-restart.sh
#
# Starts a local cluster (deploy/cluster.sh: NODES nodes, nginx, a sink) on the machine's Redis and
# PostgreSQL (its own schema and key prefix), sends traffic through nginx
# (deploy/drills/Traffic.java: CONCURRENCY senders, each event a new GitHub delivery id, every answer
# recorded) and, from FIRST_AT s on, restarts node 1, 2, ... NODES one after another: SIGTERM, wait
# until it has drained and exited, start it again (same node id; its warm-up included), wait until
# /health/ready is 200, then GAP s before the next. The traffic runs until TAIL s after the last node
# is ready again (at most MAX_DURATION s in all). Then it waits (at most DRAIN_TIMEOUT s) until every stored event is
# delivered and prints (deploy/drills/lib.sh): offered, acked, 503s, other, stored, delivered, lost
# (acked but not stored under the id acked), stored twice, undelivered, dead. Passes when all of
# those checks pass, no sender got anything but 200 or a 503 with Retry-After (other = 0), and every
# node was restarted before the traffic ended. nginx (deploy/nginx.conf) passes a draining node's
# 503s and refused connections on to another node (proxy_next_upstream), so the senders should see
# few 503s or none. Exit status 1 when a check fails; everything started is stopped by PID in any case.
# Environment (defaults): NODES (3), MAX_DURATION (300), TAIL (5), CONCURRENCY (16), FIRST_AT (8), GAP (3),
#   DRAIN_TIMEOUT (180), DRILL_TIMEOUT (900), plus deploy/cluster.sh's (REDIS_URL, PG_URL,
#   HOOKLINE_JAR, NODE_JAVA_OPTS, NODE_YAML_EXTRA). Run directory: deploy/target/drills/rolling-restart-<time>/
set -euo pipefail

# shellcheck source=deploy/drills/lib.sh
. "$(dirname "$0")/lib.sh"
drill_args "$@"
NODES="${NODES:-3}"; MAX_DURATION="${MAX_DURATION:-300}"; TAIL="${TAIL:-5}"; CONCURRENCY="${CONCURRENCY:-16}"
FIRST_AT="${FIRST_AT:-8}"; GAP="${GAP:-3}"; DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-180}"
drill_whole_numbers NODES MAX_DURATION TAIL CONCURRENCY FIRST_AT GAP DRAIN_TIMEOUT
[ "$NODES" -ge 2 ] && [ "$FIRST_AT" -lt "$MAX_DURATION" ] || drill_usage_error "needs NODES >= 2 and FIRST_AT < MAX_DURATION"

drill_init rolling-restart
drill_cluster_start "$NODES"

drill_traffic_start "$MAX_DURATION" "$CONCURRENCY"
drill_at "$FIRST_AT"
restarted=0
for i in $(seq 1 "$NODES"); do
  drill_alive "$TRAFFIC_PID" || { drill_log "the traffic ended before node $i was restarted"; break; }
  t0=$(drill_now_ms)
  drill_log "SIGTERM node $i at +$(( $(date +%s) - TRAFFIC_STARTED ))s ($(wc -l < "$ANSWERS") answers so far)"
  "$DEPLOY/cluster.sh" stop-node "$i"
  t1=$(drill_now_ms)
  "$DEPLOY/cluster.sh" start-node "$i" || { drill_log "node $i did not come back"; break; }
  t2=$(drill_now_ms)
  echo "node $i: drained and stopped in $(( t1 - t0 )) ms, ready again $(( t2 - t1 )) ms after" >> "$RUN_DIR/restarts.txt"
  restarted=$(( restarted + 1 ))
  [ "$i" -lt "$NODES" ] && sleep "$GAP"
done
sleep "$TAIL"
traffic_left=$(( TRAFFIC_STARTED + MAX_DURATION - $(date +%s) ))
touch "$ANSWERS.stop"
drill_traffic_wait

drill_load_answers "$ANSWERS" drill_answers
drill_drain "$DRAIN_TIMEOUT"
drill_report "$NODES nodes behind nginx, each restarted in turn with SIGTERM from +${FIRST_AT}s (gap ${GAP}s); $(( $(date +%s) - TRAFFIC_STARTED ))s of traffic, $CONCURRENCY senders"
cat "$RUN_DIR/restarts.txt" 2>/dev/null || true
drill_check "$([ "$OTHER" = 0 ] && echo 1)" "senders got only 200 or 503 + Retry-After (other: $OTHER; by status: $(drill_by_status "$SCHEMA.drill_answers"))"
drill_check "$([ "$restarted" = "$NODES" ] && [ "$traffic_left" -ge 0 ] && echo 1)" \
  "every node restarted under traffic ($restarted of $NODES; MAX_DURATION had ${traffic_left}s left after the last)"
drill_finish
