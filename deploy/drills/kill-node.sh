#!/usr/bin/env bash
# Fault drill: kill -9 one node mid-traffic, restart it, and prove nothing acked was lost.
#
#   deploy/drills/kill-node.sh
#
# Starts a local cluster (deploy/cluster.sh: NODES nodes, nginx, a sink) of its own, sends traffic
# through nginx for DURATION s (deploy/drills/Traffic.java: CONCURRENCY senders, each event a new
# GitHub delivery id, every answer recorded), kills node NODE with SIGKILL KILL_AT s after the
# traffic started, starts it again DOWN_FOR s later (same node id), waits (at most DRAIN_TIMEOUT s)
# until every stored event is delivered, then prints:
#   offered, acked (200), 503s, other (502/504/connection errors), stored, delivered, lost (acked
#   but not stored, or stored under another id than the one acked: must be 0), stored twice (one
#   delivery id stored more than once: must be 0), undelivered (stored, not delivered: must be 0).
# Exit status 1 when lost, stored twice or undelivered is not 0; the cluster is stopped in any case.
# Environment (defaults): NODES (3), NODE (2), DURATION (30), CONCURRENCY (16), KILL_AT (10),
#   DOWN_FOR (5), DRAIN_TIMEOUT (180), plus deploy/cluster.sh's (REDIS_URL, PG_URL, HOOKLINE_JAR,
#   NODE_JAVA_OPTS, NODE_YAML_EXTRA). Run directory: deploy/target/drills/kill-node-<time>/
set -euo pipefail

case "${1:-}" in -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; "") ;; *) echo "kill-node: no arguments; see --help" >&2; exit 2 ;; esac
here="$(cd "$(dirname "$0")" && pwd)"
deploy="$(cd "$here/.." && pwd)"
NODES="${NODES:-3}"; NODE="${NODE:-2}"; DURATION="${DURATION:-30}"; CONCURRENCY="${CONCURRENCY:-16}"
KILL_AT="${KILL_AT:-10}"; DOWN_FOR="${DOWN_FOR:-5}"; DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-180}"
for v in NODES NODE DURATION CONCURRENCY KILL_AT DOWN_FOR DRAIN_TIMEOUT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "kill-node: $v must be a whole number" >&2; exit 2; }
done
[ "$NODES" -ge 2 ] && [ "$NODE" -ge 1 ] && [ "$NODE" -le "$NODES" ] && [ $(( KILL_AT + DOWN_FOR )) -lt "$DURATION" ] \
  || { echo "kill-node: needs NODES >= 2, 1 <= NODE <= NODES and KILL_AT + DOWN_FOR < DURATION" >&2; exit 2; }

stamp="$(date +%Y%m%d-%H%M%S)"
export CLUSTER_DIR="$deploy/target/drills/kill-node-$stamp"
mkdir -p "$CLUSTER_DIR"
log() { echo "[kill-node] $*" >&2; }
traffic_pid=""
cleanup() {
  local rc=$?
  set +e
  if [ -n "$traffic_pid" ] && kill -0 "$traffic_pid" 2>/dev/null; then kill -TERM "$traffic_pid"; sleep 1; kill -KILL "$traffic_pid" 2>/dev/null; fi
  [ -f "$CLUSTER_DIR/cluster.env" ] && "$deploy/cluster.sh" stop
  log "run directory: $CLUSTER_DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$deploy/cluster.sh" start "$NODES" > "$CLUSTER_DIR/cluster-start.txt" || { cat "$CLUSTER_DIR/cluster-start.txt"; exit 1; }
eval "$("$deploy/cluster.sh" env)"
sql() { psql -qAt "$PG_URL" -c "$1"; }

answers="$CLUSTER_DIR/answers.tsv"
prefix="drill-$stamp-$$"
log "traffic: ${DURATION}s, $CONCURRENCY senders, through nginx (127.0.0.1:$NGINX_PORT) to $NODES nodes"
timeout -k 5 $(( DURATION + 90 )) java "$here/Traffic.java" "http://127.0.0.1:$NGINX_PORT/webhooks/gh" "$SECRET" \
  "$DURATION" "$CONCURRENCY" "$prefix" "$answers" > "$CLUSTER_DIR/traffic.log" 2>&1 &
traffic_pid=$!
for i in $(seq 1 120); do
  grep -q '^traffic: started' "$CLUSTER_DIR/traffic.log" 2>/dev/null && break
  kill -0 "$traffic_pid" 2>/dev/null || { log "the traffic generator exited:"; cat "$CLUSTER_DIR/traffic.log" >&2; exit 1; }
  [ "$i" = 120 ] && { log "the traffic generator did not start in 60 s"; exit 1; }
  sleep 0.5
done
sleep "$KILL_AT"
log "kill -9 node $NODE at +${KILL_AT}s ($(wc -l < "$answers") answers so far)"
"$deploy/cluster.sh" kill-node "$NODE"
killed_at=$(date +%s)
sleep "$DOWN_FOR"
log "restarting node $NODE at +$(( KILL_AT + DOWN_FOR ))s"
"$deploy/cluster.sh" start-node "$NODE" || log "node $NODE did not come back (the others carry on)"
wait "$traffic_pid" || log "the traffic generator ended with status $? (see $CLUSTER_DIR/traffic.log)"
traffic_pid=""
cat "$CLUSTER_DIR/traffic.log" >&2

# Every answer into the cluster's schema, to compare with what was stored.
sql "CREATE TABLE $SCHEMA.drill_answers (provider_event_id text, status text, event_id text)"
psql -qAt "$PG_URL" -c "\\copy $SCHEMA.drill_answers FROM '$answers'"

log "waiting (at most ${DRAIN_TIMEOUT}s) until every stored event is delivered"
started=$(date +%s); drained=0
while [ $(( $(date +%s) - started )) -le "$DRAIN_TIMEOUT" ]; do
  left="$(sql "SELECT count(*) FROM $SCHEMA.deliveries WHERE status <> 'delivered'")"
  if [ "$left" = 0 ]; then drained=1; break; fi
  sleep 1
done
drain_s=$(( $(date +%s) - started )); since_kill_s=$(( $(date +%s) - killed_at ))

read -r offered acked s503 other <<< "$(sql "SELECT count(*), count(*) FILTER (WHERE status = '200'), count(*) FILTER (WHERE status = '503'), count(*) FILTER (WHERE status NOT IN ('200', '503')) FROM $SCHEMA.drill_answers" | tr '|' ' ')"
stored="$(sql "SELECT count(*) FROM $SCHEMA.events WHERE source_id = 'gh' AND provider_event_id LIKE '$prefix-%'")"
delivered="$(sql "SELECT count(DISTINCT e.id) FROM $SCHEMA.events e JOIN $SCHEMA.deliveries d ON d.event_id = e.id WHERE e.provider_event_id LIKE '$prefix-%' AND d.status = 'delivered'")"
lost="$(sql "SELECT count(*) FROM $SCHEMA.drill_answers a WHERE a.status = '200' AND NOT EXISTS (SELECT 1 FROM $SCHEMA.events e WHERE e.source_id = 'gh' AND e.provider_event_id = a.provider_event_id AND e.id::text = a.event_id)")"
twice="$(sql "SELECT count(*) FROM (SELECT provider_event_id FROM $SCHEMA.events WHERE source_id = 'gh' GROUP BY provider_event_id HAVING count(*) > 1) t")"
undelivered=$(( stored - delivered ))
unacked_stored="$(sql "SELECT count(*) FROM $SCHEMA.events e WHERE e.provider_event_id LIKE '$prefix-%' AND NOT EXISTS (SELECT 1 FROM $SCHEMA.drill_answers a WHERE a.provider_event_id = e.provider_event_id AND a.status = '200')")"
sink="$(curl -s --max-time 2 "http://127.0.0.1:$SINK_PORT/_sink/stats" | sed -n 's/^received=\([0-9]*\).*/\1/p')"

echo
echo "==== drill kill-node $(date -u +%FT%TZ): $NODES nodes behind nginx, node $NODE killed (SIGKILL) at +${KILL_AT}s, restarted at +$(( KILL_AT + DOWN_FOR ))s; ${DURATION}s of traffic, $CONCURRENCY senders ===="
printf '%-14s %8s\n' offered "$offered" acked "$acked" "503s" "$s503" other "$other" stored "$stored" delivered "$delivered" \
  lost "$lost" "stored twice" "$twice" undelivered "$undelivered"
echo "(other = 502/504 or no answer; stored but not acked: $unacked_stored (the sender retries those and gets duplicate:true);"
echo " sink received ${sink:-?} deliveries (at least once: a delivery in flight on the killed node is sent again); backlog drained ${drain_s}s after the traffic, ${since_kill_s}s after the kill:"
echo " about delivery.lease (60 s by default) after the kill means the restarted node did not take back its own leases at start-up)"
rc=0
[ "$lost" = 0 ] || { echo "FAIL: $lost acked events are not stored under the id they were acked with"; rc=1; }
[ "$twice" = 0 ] || { echo "FAIL: $twice delivery ids stored more than once"; rc=1; }
[ "$drained" = 1 ] && [ "$undelivered" = 0 ] || { echo "FAIL: $undelivered stored events not delivered within ${DRAIN_TIMEOUT}s"; rc=1; }
[ "$rc" = 0 ] && echo "RESULT: PASS (lost 0, stored twice 0, every stored event delivered)"
exit "$rc"
