#!/usr/bin/env bash
# Fault drill: Redis restarted empty mid-traffic, then the provider's retries of events acked before.
#
#   deploy/drills/redis-restart.sh
#
# Starts a Redis of its own (a free loopback port, --save "" --appendonly no: a restart loses every
# dedup key; the machine's Redis is never touched) and a cluster on it (deploy/cluster.sh: NODES
# nodes, nginx, a sink; the machine's PostgreSQL, a schema of its own). Sends traffic through nginx
# for DURATION s (deploy/drills/Traffic.java), stops Redis RESTART_AT s after the traffic started
# and starts it again, empty, DOWN_FOR s later. After the traffic, re-sends SAMPLE delivery ids that
# were acked before the restart (their Redis keys are gone) and SAMPLE/5 acked after it, with the
# same bodies, as a provider retrying would. Proves: every re-send is answered 200 duplicate:true
# with the id of the first answer and nothing is stored twice (PostgreSQL's unique key is the
# backstop), and every acked event is delivered. Prints offered, acked, 503s, stored, delivered,
# lost, stored twice, the re-sends' answers, and exits 1 when a check fails.
# Environment (defaults): NODES (2), DURATION (40), CONCURRENCY (16), RESTART_AT (12), DOWN_FOR (2),
#   SAMPLE (500), DRAIN_TIMEOUT (180), DRILL_TIMEOUT (900), plus deploy/cluster.sh's (PG_URL,
#   HOOKLINE_JAR, NODE_JAVA_OPTS, NODE_YAML_EXTRA).
set -euo pipefail

# shellcheck source=deploy/drills/lib.sh
. "$(dirname "$0")/lib.sh"
drill_args "$@"
NODES="${NODES:-2}"; DURATION="${DURATION:-40}"; CONCURRENCY="${CONCURRENCY:-16}"; RESTART_AT="${RESTART_AT:-12}"
DOWN_FOR="${DOWN_FOR:-2}"; SAMPLE="${SAMPLE:-500}"; DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-180}"
drill_whole_numbers NODES DURATION CONCURRENCY RESTART_AT DOWN_FOR SAMPLE DRAIN_TIMEOUT
[ "$NODES" -ge 1 ] && [ "$SAMPLE" -ge 5 ] && [ $(( RESTART_AT + DOWN_FOR )) -lt "$DURATION" ] \
  || drill_usage_error "needs NODES >= 1, SAMPLE >= 5 and RESTART_AT + DOWN_FOR < DURATION"

drill_init redis-restart
drill_redis_start
export REDIS_URL="$OWN_REDIS_URL"
drill_cluster_start "$NODES"

drill_traffic_start "$DURATION" "$CONCURRENCY"
drill_at "$RESTART_AT"
keys_before="$(redis-cli -p "$OWN_REDIS_PORT" dbsize)"
drill_log "stopping Redis at +${RESTART_AT}s ($keys_before keys, $(wc -l < "$ANSWERS") answers so far)"
drill_redis_stop
down_ms=$(drill_now_ms)
sleep "$DOWN_FOR"
drill_redis_start
up_ms=$(drill_now_ms)
drill_log "Redis started again, empty ($(redis-cli -p "$OWN_REDIS_PORT" dbsize) keys written since), after $(( (up_ms - down_ms) / 1000 ))s"
drill_traffic_wait

drill_load_answers "$ANSWERS" drill_answers
# The provider's retries: ids acked before the restart (keys lost) and some acked after it.
resend_ids="$RUN_DIR/resend-ids.txt"
{
  drill_sql "SELECT provider_event_id FROM $SCHEMA.drill_answers WHERE status = '200' AND answered_ms < $down_ms ORDER BY random() LIMIT $SAMPLE"
  drill_sql "SELECT provider_event_id FROM $SCHEMA.drill_answers WHERE status = '200' AND sent_ms > $up_ms ORDER BY random() LIMIT $(( SAMPLE / 5 ))"
} > "$resend_ids"
drill_log "re-sending $(wc -l < "$resend_ids") acked delivery ids (same bodies) through nginx"
timeout -k 5 300 java "$DRILL_DIR/Traffic.java" resend "http://127.0.0.1:$NGINX_PORT/webhooks/gh" "$SECRET" \
  "$resend_ids" 4 "$RUN_DIR/resends.tsv" > "$RUN_DIR/resend.log" 2>&1 || { cat "$RUN_DIR/resend.log" >&2; exit 1; }
cat "$RUN_DIR/resend.log" >&2
drill_load_answers "$RUN_DIR/resends.tsv" drill_resends

drill_drain "$DRAIN_TIMEOUT"
drill_report "$NODES nodes behind nginx on a Redis of its own, stopped at +${RESTART_AT}s and started again empty ${DOWN_FOR}s later; ${DURATION}s of traffic, $CONCURRENCY senders"
echo "while Redis was down ($(( (up_ms - down_ms) / 1000 ))s): $(drill_by_status "$SCHEMA.drill_answers WHERE sent_ms >= $down_ms AND answered_ms <= $up_ms" "no answers")"
read -r resent same_id before_restart <<< "$(drill_sql "SELECT count(*),
    count(*) FILTER (WHERE r.status = '200' AND r.duplicate = 't' AND r.event_id = a.event_id),
    count(*) FILTER (WHERE a.answered_ms < $down_ms)
  FROM $SCHEMA.drill_resends r JOIN $SCHEMA.drill_answers a ON a.provider_event_id = r.provider_event_id AND a.status = '200'" | tr '|' ' ')"
echo "re-sent $resent acked ids ($before_restart acked before the restart): answers $(drill_sql "SELECT string_agg(status || CASE WHEN duplicate = 't' THEN ' duplicate:true' WHEN duplicate = 'f' THEN ' duplicate:false' ELSE '' END || ' x' || n, ', ') FROM (SELECT status, duplicate, count(*) n FROM $SCHEMA.drill_resends GROUP BY status, duplicate) s")"
drill_check "$([ "$resent" -gt 0 ] && [ "$before_restart" -gt 0 ] && echo 1)" "ids acked before the restart were re-sent ($before_restart of $resent)"
drill_check "$([ "$same_id" = "$resent" ] && echo 1)" "every re-send answered 200 duplicate:true with the first answer's id ($same_id of $resent)"
drill_finish
