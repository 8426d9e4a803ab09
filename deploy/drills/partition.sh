#!/usr/bin/env bash
# Fault drill: one node cut off from PostgreSQL for CUT_FOR s during traffic.
#
#   deploy/drills/partition.sh
#
# Starts a TCP proxy (deploy/drills/TcpProxy.java) in front of the machine's PostgreSQL and a local
# cluster (deploy/cluster.sh: NODES nodes, nginx, a sink; a schema and key prefix of its own) in
# which node NODE reaches PostgreSQL only through that proxy. Sends traffic through nginx for
# DURATION s (deploy/drills/Traffic.java); CUT_AT s after the traffic started the proxy stops
# forwarding (MODE blackhole: bytes silently held, nothing closed, as a lost route; MODE drop: every
# connection closed and new ones refused) and forwards again CUT_FOR s later. Meanwhile the cut
# node's readiness is polled and a signed event with a new id is sent straight to it every second.
# Proves: the cut node answers 503 + Retry-After and never a 2xx to a new event while cut off
# (straight probes, and nginx's log of what it answered), turns unready, and is ready again after;
# nginx routes around it; every acked event is stored once and delivered. Prints offered, acked,
# 503s, stored, delivered, lost, stored twice, the probes and readiness, and exits 1 when a check
# fails. Everything started is stopped by PID in any case.
# Environment (defaults): NODES (2), NODE (2), DURATION (45), CONCURRENCY (16), CUT_AT (10),
#   CUT_FOR (20), MODE (blackhole), DRAIN_TIMEOUT (180), DRILL_TIMEOUT (900), plus deploy/cluster.sh's
#   (REDIS_URL, PG_URL, HOOKLINE_JAR, NODE_JAVA_OPTS, NODE_YAML_EXTRA).
set -euo pipefail

# shellcheck source=deploy/drills/lib.sh
. "$(dirname "$0")/lib.sh"
drill_args "$@"
NODES="${NODES:-2}"; NODE="${NODE:-2}"; DURATION="${DURATION:-45}"; CONCURRENCY="${CONCURRENCY:-16}"
CUT_AT="${CUT_AT:-10}"; CUT_FOR="${CUT_FOR:-20}"; MODE="${MODE:-blackhole}"; DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-180}"
drill_whole_numbers NODES NODE DURATION CONCURRENCY CUT_AT CUT_FOR DRAIN_TIMEOUT
[[ "$MODE" =~ ^(blackhole|drop)$ ]] || drill_usage_error "MODE is blackhole or drop"
# Node 1 migrates the schema at start-up, so the cut node is another one.
[ "$NODES" -ge 2 ] && [ "$NODE" -ge 2 ] && [ "$NODE" -le "$NODES" ] && [ $(( CUT_AT + CUT_FOR )) -lt "$DURATION" ] \
  || drill_usage_error "needs NODES >= 2, 2 <= NODE <= NODES and CUT_AT + CUT_FOR < DURATION"

drill_init partition
pg_url="${PG_URL:-postgresql://postgres@127.0.0.1:5432/test}"
# postgresql://[user[:password]@]host[:port]/db: the same URL with the proxy as host and port.
pg_hostport="$(sed -E 's#^[a-z]+://([^@/]*@)?([^/?]*).*#\2#' <<< "$pg_url")"
pg_host="${pg_hostport%:*}"; pg_port="${pg_hostport##*:}"; [ "$pg_port" != "$pg_hostport" ] || pg_port=5432
drill_proxy_start "$pg_host" "$pg_port"
export "PG_URL_NODE$NODE=$(sed -E "s#^([a-z]+://([^@/]*@)?)[^/?]*#\\1127.0.0.1:$PROXY_PORT#" <<< "$pg_url")"
drill_cluster_start "$NODES"
cut_http="$(eval echo "\$NODE${NODE}_HTTP")"; cut_mgmt="$(eval echo "\$NODE${NODE}_MGMT")"

# Readiness of the cut node every 0.5 s: epoch ms, HTTP status (000 = no answer in 2 s).
( while :; do
    s="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$cut_mgmt/health/ready" || true)"
    printf '%s\t%s\n' "$(drill_now_ms)" "${s:-000}"; sleep 0.5
  done > "$RUN_DIR/ready.tsv" ) &
DRILL_PIDS+=($!)

probe() { # n: one signed event with a new id straight to the cut node, in Traffic.java's answer format
  local id="probe-$PREFIX-$1" body sig sent code rid eid
  body="{\"zen\":\"fault drill\",\"delivery\":\"$id\"}"
  sig="$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$SECRET" -r | cut -d' ' -f1)"
  sent="$(drill_now_ms)"
  code="$(curl -s -o "$RUN_DIR/probe.body.$1" -D "$RUN_DIR/probe.headers.$1" -w '%{http_code}' --max-time 30 \
    -H 'Content-Type: application/json' -H 'X-GitHub-Event: push' -H "X-GitHub-Delivery: $id" \
    -H "X-Hub-Signature-256: sha256=$sig" --data-binary "$body" "http://127.0.0.1:$cut_http/webhooks/gh" || true)"
  rid="$(tr -d '\r' < "$RUN_DIR/probe.headers.$1" 2>/dev/null | sed -n 's/^[Rr]etry-[Aa]fter: *//p' | head -n 1)"
  eid="$(sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p' "$RUN_DIR/probe.body.$1" 2>/dev/null | head -n 1)"
  printf '%s\t%s\t%s\t-\t%s\t%s\t%s\n' "$id" "${code:-000}" "${eid:--}" "$sent" "$(drill_now_ms)" "${rid:--}" >> "$RUN_DIR/probes.tsv"
  rm -f "$RUN_DIR/probe.body.$1" "$RUN_DIR/probe.headers.$1"
}

drill_traffic_start "$DURATION" "$CONCURRENCY"
drill_at "$CUT_AT"
drill_log "cutting node $NODE off from PostgreSQL ($MODE) at +${CUT_AT}s for ${CUT_FOR}s ($(wc -l < "$ANSWERS") answers so far)"
drill_proxy_mode "$MODE"
cut_ms=$(drill_now_ms)
: > "$RUN_DIR/probes.tsv"
( n=0; while :; do probe "$n" & n=$(( n + 1 )); sleep 1; done ) &
probes_pid=$!
DRILL_PIDS+=("$probes_pid")
sleep "$CUT_FOR"
kill -TERM "$probes_pid"
heal_ms=$(drill_now_ms)
drill_proxy_mode forward
drill_log "node $NODE reaches PostgreSQL again after $(( (heal_ms - cut_ms) / 1000 ))s"
drill_traffic_wait
ready_again=0
drill_wait 60 "node $NODE ready again" curl -sf --max-time 2 -o /dev/null "http://127.0.0.1:$cut_mgmt/health/ready" && ready_again=1
ready_again_s=$(( ($(drill_now_ms) - heal_ms) / 1000 ))
sleep 1   # probes still in flight write their line (each is bounded by curl --max-time 30)

drill_load_answers "$ANSWERS" drill_answers
drill_load_answers "$RUN_DIR/probes.tsv" drill_probes
drill_drain "$DRAIN_TIMEOUT"
drill_report "$NODES nodes behind nginx, node $NODE cut off from PostgreSQL ($MODE, TCP proxy) at +${CUT_AT}s for ${CUT_FOR}s; ${DURATION}s of traffic, $CONCURRENCY senders"

# Probes sent and answered while the link was cut (one sent during the cut may be held, then
# committed once the link heals and rightly answered 200 after it: that is not "while cut off").
probes_during="$SCHEMA.drill_probes WHERE sent_ms >= $cut_ms AND answered_ms < $heal_ms"
read -r p_all p_2xx p_503 p_bare <<< "$(drill_answer_counts "$probes_during")"
echo "probes straight to node $NODE answered while it was cut off: $p_all: $(drill_sql "SELECT coalesce(string_agg(status || ' x' || n || ' (' || lo || '-' || hi || ' ms)', ', ' ORDER BY status), 'none') FROM (SELECT status, count(*) n, min(answered_ms - sent_ms) lo, max(answered_ms - sent_ms) hi FROM $probes_during GROUP BY status) s")"
first_unready="$(awk -F'\t' -v a="$cut_ms" -v b="$heal_ms" '$1 >= a && $1 <= b && $2 != 200 { print $1 - a; exit }' "$RUN_DIR/ready.tsv")"
echo "probes sent while cut off and answered after the link healed: $(drill_by_status "$SCHEMA.drill_probes WHERE sent_ms >= $cut_ms AND sent_ms < $heal_ms AND answered_ms >= $heal_ms" none)"
echo "readiness of node $NODE: first unready ${first_unready:-never} ms after the cut; ready again ${ready_again_s}s after the link healed"
# What nginx answered from the cut node for requests it began sending after the cut (+0.5 s) and
# finished before the link healed: upstream and status lists are ", "-separated, in the same order.
read -r ng_2xx ng_503 ng_other <<< "$(gawk -v node="127.0.0.1:$cut_http" -v a="$cut_ms" -v b="$heal_ms" '
  match($0, /rt=([0-9.]+) .*upstream=(.*) ustatus=(.*) rid=.* msec=([0-9.]+)/, m) {
    end = m[4] * 1000; start = end - m[1] * 1000
    if (start < a + 500 || end > b) next
    n = split(m[2], ups, /, /); split(m[3], sts, /, /)
    for (i = 1; i <= n; i++) if (ups[i] == node) { if (sts[i] ~ /^2/) two++; else if (sts[i] == 503) five++; else other++ }
  }
  END { print two + 0, five + 0, other + 0 }' "$CLUSTER_DIR/nginx-access.log")"
echo "nginx: node $NODE answered $ng_2xx 2xx, $ng_503 503s, $ng_other other (timeouts, errors) to requests sent while it was cut off"
drill_check "$([ "$p_all" -gt 0 ] && [ "$p_2xx" = 0 ] && echo 1)" "no probe got a 2xx while the node was cut off ($p_2xx of $p_all)"
drill_check "$([ "$p_503" -gt 0 ] && [ "$p_bare" = 0 ] && echo 1)" "probes got 503 + Retry-After ($p_503, $p_bare without Retry-After)"
drill_check "$([ "$ng_2xx" = 0 ] && echo 1)" "nginx got no 2xx from the cut node while it was cut off ($ng_2xx)"
drill_check "$([ -n "$first_unready" ] && echo 1)" "the cut node turned unready while cut off"
drill_check "$ready_again" "the cut node was ready again within 60 s after the link healed"
drill_finish
