#!/usr/bin/env bash
# Throughput of one node with each metrics setting (metrics.mode, HOOKLINE_METRICS_MODE=...), same load each time:
# wrk POSTing GitHub-signed events. WORKLOAD=new (default): every event new (verify + Redis SET NX +
# PostgreSQL group commit: PostgreSQL-bound, so noisy). WORKLOAD=dup: 1000 events sent during the
# warm-up, then only their duplicates (verify + Redis, answered 200 duplicate:true without touching
# PostgreSQL): CPU-bound, where the cost of metrics shows.
# Each run gets a fresh node, schema and Redis key prefix. Prints one line per run.
#
#   deploy/bench/metrics-cost.sh [rounds]     (needs wrk, openssl, java; PG and Redis running)
#   env: HOOKLINE_CP (a classpath to run HOOKLINE_MAIN, default io.hookline.Main, from; default:
#        java -jar target/hookline.jar), PG_URL, REDIS_URL, DURATION (20s),
#        CONNECTIONS (64), THREADS (2), MODES ("off vertx-off default full")
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-1}
CP=${HOOKLINE_CP:-target/hookline.jar}
PG_URL=${PG_URL:-postgresql://postgres@127.0.0.1:5432/test}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
MODES=${MODES:-off vertx-off default full}
WORKLOAD=${WORKLOAD:-new}
CYCLE=0
if [ "$WORKLOAD" = dup ]; then CYCLE=1000; fi
SECRET=bench-secret
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

run_one() {
  local mode=$1 run=$2
  local schema="bench_$(date +%s%N | tail -c 10)"
  cat > "$WORK/hookline.yaml" <<YAML
http: { host: 127.0.0.1, port: 18080 }
management: { host: 127.0.0.1, port: 19090 }
redis: { url: "$REDIS_URL", keyPrefix: "bench:$run:" }
postgres: { url: "$PG_URL", schema: $schema }
log: { level: warn }
sources:
  - id: gh
    provider: github
    secrets: ["$SECRET"]
YAML
  while ss -ltn 2>/dev/null | grep -qE ":(18080|19090) "; do sleep 0.5; done   # the previous node is gone
  # -jar by default, so the script does not depend on the main class's name.
  local launch=(-jar "$CP")
  [ -n "${HOOKLINE_CP:-}" ] && launch=(-cp "$CP" "${HOOKLINE_MAIN:-io.hookline.Main}")
  HOOKLINE_METRICS_MODE="$mode" java -Xmx512m "${launch[@]}" --config "$WORK/hookline.yaml" > "$WORK/node.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do
    curl -sf http://127.0.0.1:19090/health/ready > /dev/null 2>&1 && break
    sleep 0.2
  done
  if ! kill -0 "$pid" 2>/dev/null; then echo "mode=$mode: node did not start:"; cat "$WORK/node.log"; return 1; fi
  # Warm-up (JIT), then the measured run.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s deploy/bench/wrk-github.lua http://127.0.0.1:18080/webhooks/gh -- "$SECRET" "$run" "$CYCLE" > /dev/null
  local out cpu0 cpu1
  cpu0=$(awk '{print $14 + $15}' /proc/$pid/stat)
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s deploy/bench/wrk-github.lua http://127.0.0.1:18080/webhooks/gh -- "$SECRET" "$run$([ "$CYCLE" = 0 ] && echo -m)" "$CYCLE")
  cpu1=$(awk '{print $14 + $15}' /proc/$pid/stat)
  local rps reqs cpu_us
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  reqs=$(echo "$out" | sed -n 's/^requests=\([0-9]*\).*/\1/p')
  # The node's own CPU time per request (user + system): less disturbed than throughput by
  # whatever else shares the machine.
  cpu_us=$(awk -v t="$((cpu1 - cpu0))" -v hz="$(getconf CLK_TCK)" -v n="$reqs" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
  echo "workload=$WORKLOAD mode=$mode rps=$rps node_cpu_us_per_request=$cpu_us $(echo "$out" | grep -E '^requests=|^latency' | tr '\n' ' ')"
  kill -TERM $pid; wait $pid 2>/dev/null || true
  psql "$PG_URL" -qc "DROP SCHEMA $schema CASCADE" > /dev/null 2>&1 || true
}

for r in $(seq 1 "$ROUNDS"); do
  for m in $MODES; do
    run_one "$m" "r$r-$m-$$"
  done
done
