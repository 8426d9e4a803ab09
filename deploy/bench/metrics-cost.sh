#!/usr/bin/env bash
# Throughput of one node with each metrics setting (-Dhookline.metrics=...), same load each time:
# wrk POSTing GitHub-signed events, every one new (verify + Redis SET NX + PostgreSQL group commit).
# Each run gets a fresh node, schema and Redis key prefix. Prints one line per run.
#
#   deploy/bench/metrics-cost.sh [rounds]     (needs wrk, openssl, java; PG and Redis running)
#   env: HOOKLINE_CP (classpath, default target/hookline.jar), PG_URL, REDIS_URL, DURATION (20s),
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
  java -Xmx512m -Dhookline.metrics="$mode" -cp "$CP" io.hookline.Main --config "$WORK/hookline.yaml" > "$WORK/node.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do
    curl -sf http://127.0.0.1:19090/health/ready > /dev/null 2>&1 && break
    sleep 0.2
  done
  # Warm-up (JIT), then the measured run.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s deploy/bench/wrk-github.lua http://127.0.0.1:18080/webhooks/gh -- "$SECRET" "$run-w" > /dev/null
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s deploy/bench/wrk-github.lua http://127.0.0.1:18080/webhooks/gh -- "$SECRET" "$run")
  local rps
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  echo "mode=$mode rps=$rps $(echo "$out" | grep -E '^requests=|^latency' | tr '\n' ' ')"
  kill -TERM $pid; wait $pid 2>/dev/null || true
  psql "$PG_URL" -qc "DROP SCHEMA $schema CASCADE" > /dev/null 2>&1 || true
}

for r in $(seq 1 "$ROUNDS"); do
  for m in $MODES; do
    run_one "$m" "r$r-$m-$$"
  done
done
