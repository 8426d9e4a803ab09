#!/usr/bin/env bash
# Ingest throughput and ack latency through nginx with 1, 2 and 3 nodes (issue 13's scaling figures).
#
#   deploy/bench/scaling.sh                 # NODES_LIST="1 2 3", 20 s per size, 64 connections
#   NODES_LIST="1 2" DURATION=10 deploy/bench/scaling.sh
#
# For each cluster size: deploy/cluster.sh start N (N nodes on 127.0.0.1, nginx in front running
# deploy/nginx.conf, a sink destination, the machine's Redis and PostgreSQL in a schema of its
# own), WARMUP s of load (not counted), then DURATION s of wrk through nginx with
# load-tests/tools/wrk-burst.lua (2 KiB GitHub-signed bodies, a unique delivery id per request),
# then the cluster is stopped. Prints per size: acked/s, 503s, ack p50/p99 (wrk's latency of
# answered requests). On a machine with fewer cores than nodes + PostgreSQL + Redis + wrk, more
# nodes share the same cores: the figure shows the cost of the extra hop and coordination, not
# horizontal scaling (see docs/deployment.md).
# Environment (defaults): NODES_LIST ("1 2 3"), DURATION (20), WARMUP (5), CONNECTIONS (64),
#   THREADS (2), plus deploy/cluster.sh's (REDIS_URL, PG_URL, HOOKLINE_JAR, NODE_JAVA_OPTS).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
deploy="$(cd "$here/.." && pwd)"
root="$(cd "$deploy/.." && pwd)"
NODES_LIST="${NODES_LIST:-1 2 3}"; DURATION="${DURATION:-20}"; WARMUP="${WARMUP:-5}"
CONNECTIONS="${CONNECTIONS:-64}"; THREADS="${THREADS:-2}"
for v in DURATION WARMUP CONNECTIONS THREADS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "scaling: $v must be a whole number" >&2; exit 2; }
done
for t in wrk openssl nginx; do command -v "$t" >/dev/null || { echo "scaling: $t is needed" >&2; exit 1; }; done
log() { echo "[scaling] $*" >&2; }
stamp="$(date +%Y%m%d-%H%M%S)"
out="$deploy/target/scaling-$stamp"
mkdir -p "$out"
head -c 1536 /dev/urandom | base64 -w0 | sed 's/.*/{"zen":"&"}/' | head -c 2048 > "$out/body.json"
export CLUSTER_DIR
cleanup() { [ -n "${CLUSTER_DIR:-}" ] && [ -f "$CLUSTER_DIR/cluster.env" ] && "$deploy/cluster.sh" stop >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

printf "%-6s %10s %8s %10s %10s %8s\n" nodes acked_per_s 503s p50_ms p99_ms other > "$out/summary.txt"
for n in $NODES_LIST; do
  CLUSTER_DIR="$out/cluster-$n"
  mkdir -p "$CLUSTER_DIR"
  "$deploy/cluster.sh" start "$n" > "$CLUSTER_DIR/start.txt"
  eval "$("$deploy/cluster.sh" env)"
  sig="$(openssl dgst -sha256 -hmac "$SECRET" -r < "$out/body.json" | cut -d' ' -f1)"
  url="http://127.0.0.1:$NGINX_PORT/webhooks/gh"
  if [ "$WARMUP" -gt 0 ]; then
    timeout -k 5 $(( WARMUP + 60 )) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 30s \
      -s "$root/load-tests/tools/wrk-burst.lua" "$url" -- "$out/body.json" "$sig" "warm-$n-$stamp" > "$CLUSTER_DIR/warmup.txt"
  fi
  log "$n node(s): ${DURATION}s, $CONNECTIONS connections through nginx; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  timeout -k 5 $(( DURATION + 60 )) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s \
    -s "$root/load-tests/tools/wrk-burst.lua" "$url" -- "$out/body.json" "$sig" "run-$n-$stamp" > "$CLUSTER_DIR/wrk.txt"
  line="$(grep '^BURST ' "$CLUSTER_DIR/wrk.txt")"
  get() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$line"; }
  awk -v n="$n" -v a="$(get acked)" -v u="$(get status503)" -v o="$(get other_status)" -v us="$(get wrk_us)" \
      -v p50="$(get p50_us)" -v p99="$(get p99_us)" \
    'BEGIN { printf "%-6s %10.0f %8d %10.2f %10.2f %8d\n", n, a / (us / 1e6), u, p50 / 1000, p99 / 1000, o }' >> "$out/summary.txt"
  "$deploy/cluster.sh" stop > "$CLUSTER_DIR/stop.txt" 2>&1
done
cat "$out/summary.txt"
log "run directory: $out"
