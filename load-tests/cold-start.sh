#!/usr/bin/env bash
# Cold start against warm (SPEC, Fleet behaviour: "Ready means fast"): start a fresh node, wait for
# /health/ready, burst at it with wrk for BURST s at once (the cold rate), keep it busy WARM s, burst
# again (the warm rate) and print cold/warm; RUNS fresh starts, then the medians.
#
#   load-tests/cold-start.sh                        # 3 fresh starts, the node's default warm-up
#   WARMUP_SECONDS=0 load-tests/cold-start.sh       # the same without the start-up warm-up
#   RUNS=5 CONNECTIONS=8 load-tests/cold-start.sh
#
# Each run: java -jar target/hookline.jar on the machine's Redis and PostgreSQL (its own schema and
# key prefix, dropped after), one GitHub source without destinations (so the figures are acks), 2 KiB
# bodies with a unique X-GitHub-Delivery each (load-tests/tools/wrk-burst.lua).
# Figures per run: start-to-ready seconds (process start to the first 200 from /health/ready, polled
# every 0.1 s), cold acks/s (the first BURST s after ready), warm acks/s, and cold/warm. The SPEC
# asks for cold/warm >= 0.7 and start-to-ready < 15 s. Exit status 0 when every run completed.
# Environment (defaults): RUNS (3), BURST (10), WARM (30), CONNECTIONS (64), THREADS (2),
#   WARMUP_SECONDS (unset: the node's http.warmupSeconds), NODE_JAVA_OPTS (-Xms1g -Xmx1g),
#   HOOKLINE_JAR (target/hookline.jar; built if missing), REDIS_URL (redis://127.0.0.1:6379),
#   PG_URL (postgresql://postgres@127.0.0.1:5432/test). Run directory: load-tests/target/cold-start/<time>/
set -euo pipefail

case "${1:-}" in -h|--help) awk 'NR > 1 { if (!/^#/) exit; sub(/^# ?/, ""); print }' "$0"; exit 0 ;; "") ;; *) echo "cold-start: no arguments; see --help" >&2; exit 2 ;; esac
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
RUNS="${RUNS:-3}"; BURST="${BURST:-10}"; WARM="${WARM:-30}"; CONNECTIONS="${CONNECTIONS:-64}"; THREADS="${THREADS:-2}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"; PG_URL="${PG_URL:-postgresql://postgres@127.0.0.1:5432/test}"
JAR="${HOOKLINE_JAR:-$root/target/hookline.jar}"
for v in RUNS BURST WARM CONNECTIONS THREADS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || { echo "cold-start: $v must be a whole number >= 1" >&2; exit 2; }
done
[ -z "${WARMUP_SECONDS+x}" ] || [[ "$WARMUP_SECONDS" =~ ^[0-9]+$ ]] || { echo "cold-start: WARMUP_SECONDS must be a whole number" >&2; exit 2; }
for t in java curl openssl psql wrk; do command -v "$t" >/dev/null || { echo "cold-start: $t is needed (wrk: apt-get install wrk)" >&2; exit 1; }; done
[ -f "$JAR" ] || (cd "$root" && mvn -q -B -DskipTests package)

stamp="$(date +%Y%m%d-%H%M%S)"; run_root="$here/target/cold-start/$stamp"; mkdir -p "$run_root"
log() { echo "[cold-start] $*" >&2; }
answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
free_port() { local p; for _ in $(seq 1 100); do p=$(( 20000 + RANDOM % 12000 )); answers 127.0.0.1 "$p" || { echo "$p"; return; }; done; return 1; }
node_pid=""; schema=""; prefix=""
stop_node() {
  [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null || return 0
  kill -TERM "$node_pid"; for _ in $(seq 1 160); do kill -0 "$node_pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$node_pid" 2>/dev/null || true; node_pid=""
}
clean_run() {
  stop_node
  [ -n "$schema" ] && psql -qAt "$PG_URL" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1
  [ -n "$prefix" ] && redis-cli -u "$REDIS_URL" --scan --pattern "$prefix*" 2>/dev/null | xargs -r -n 500 redis-cli -u "$REDIS_URL" DEL >/dev/null 2>&1
  schema=""; prefix=""
}
trap 'clean_run; log "run directory: $run_root"' EXIT
trap 'exit 130' INT TERM

acks_per_s() { # wrk output file: 2xx answers per second of wrk's own duration
  sed -n 's/^BURST .*acked=\([0-9]*\).* wrk_us=\([0-9]*\).*/\1 \2/p' "$1" | awk '{ printf "%.0f", ($2 > 0 ? $1 / ($2 / 1e6) : 0) }'
}
burst() { # seconds name
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${1}s" --timeout 30s -s "$here/tools/wrk-burst.lua" \
    "http://127.0.0.1:$http_port/webhooks/gh" -- "$body" "$signature" "$2-$stamp-$i" > "$run/$2.out" 2>&1
  grep -q '^BURST ' "$run/$2.out" || { log "wrk printed no summary:"; cat "$run/$2.out" >&2; return 1; }
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$RUNS"); do
  run="$run_root/run$i"; mkdir -p "$run"
  http_port="$(free_port)"; mgmt_port="$(free_port)"
  schema="cold_$(date +%Y%m%d_%H%M%S)_${i}_$$"; prefix="hookline-cold:$stamp:$$:$i:"
  secret="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  body="$run/body.json"
  { printf '{"ref":"refs/heads/main","pad":"'; head -c 2000 /dev/zero | tr '\0' x; printf '"}'; } > "$body"
  signature="$(openssl dgst -sha256 -hmac "$secret" -r < "$body" | cut -d' ' -f1)"
  cat > "$run/hookline.yaml" <<YAML
http: { host: 127.0.0.1, port: $http_port }
management: { host: 127.0.0.1, port: $mgmt_port }
redis: { url: "$REDIS_URL", keyPrefix: "$prefix" }
postgres: { url: "$PG_URL", schema: $schema }
sources:
  - id: gh
    provider: github
    secrets: ["$secret"]
YAML
  # shellcheck disable=SC2206
  opts=(${NODE_JAVA_OPTS:--Xms1g -Xmx1g})
  t0="$(date +%s%3N)"
  if [ -n "${WARMUP_SECONDS+x}" ]; then
    HOOKLINE_HTTP_WARMUP_SECONDS="$WARMUP_SECONDS" java "${opts[@]}" -jar "$JAR" --config "$run/hookline.yaml" > "$run/node.log" 2>&1 &
  else
    java "${opts[@]}" -jar "$JAR" --config "$run/hookline.yaml" > "$run/node.log" 2>&1 &
  fi
  node_pid=$!
  until curl -sf --max-time 2 "http://127.0.0.1:$mgmt_port/health/ready" >/dev/null 2>&1; do
    kill -0 "$node_pid" 2>/dev/null || { log "the node exited during start-up:"; tail -n 20 "$run/node.log" >&2; exit 1; }
    [ $(( $(date +%s%3N) - t0 )) -lt 120000 ] || { log "not ready after 120 s"; exit 1; }
    sleep 0.1
  done
  ready_ms=$(( $(date +%s%3N) - t0 ))
  log "run $i/$RUNS: ready after ${ready_ms} ms (load average $(cut -d' ' -f1 /proc/loadavg)); cold burst ${BURST}s"
  burst "$BURST" cold
  log "run $i: keeping it busy ${WARM}s, then the warm burst"
  burst "$WARM" warming
  burst "$BURST" warm
  cold="$(acks_per_s "$run/cold.out")"; warm="$(acks_per_s "$run/warm.out")"
  ratio="$(awk -v c="$cold" -v w="$warm" 'BEGIN { printf "%.2f", (w > 0 ? c / w : 0) }')"
  warmed="$(sed -n 's/.*warm-up done: \([0-9]*\) events sent, \([0-9]*\) accepted.*/\2/p' "$run/node.log" | head -n 1)"
  echo "ready_s=$(awk -v m="$ready_ms" 'BEGIN { printf "%.1f", m / 1000 }') cold_acks_per_s=$cold warm_acks_per_s=$warm ratio=$ratio warmup_events=${warmed:-0}" > "$run/figures.txt"
  log "run $i: $(cat "$run/figures.txt")"
  clean_run
done

echo
echo "==== load-tests/cold-start.sh $(date -u +%FT%TZ): RUNS=$RUNS BURST=${BURST}s WARM=${WARM}s CONNECTIONS=$CONNECTIONS WARMUP_SECONDS=${WARMUP_SECONDS-default} ===="
echo "machine: $(nproc) CPUs, load average before/after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg); node, PostgreSQL, Redis and wrk share them"
cat "$run_root"/run*/figures.txt | awk '
  { for (k = 1; k <= NF; k++) { split($k, kv, "="); if (NR == 1) names[k] = kv[1]; v[k, NR] = kv[2] } n = NF; r = NR; print "run" NR ": " $0 }
  END {
    printf "median:"
    for (k = 1; k <= n; k++) {
      c = 0; for (j = 1; j <= r; j++) a[++c] = v[k, j] + 0
      for (p = 1; p <= c; p++) for (q = p + 1; q <= c; q++) if (a[q] < a[p]) { t = a[p]; a[p] = a[q]; a[q] = t }
      printf " %s=%s", names[k], (c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2)
      delete a
    }
    printf "\n"
  }'
