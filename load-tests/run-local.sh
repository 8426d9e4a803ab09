#!/usr/bin/env bash
# One command: run a Gatling simulation against a Hookline node on this machine, then clean up.
#
#   load-tests/run-local.sh SIMULATION [seconds] [rate] [-Dname=value ...]
#
# SIMULATION: smoke | steady | stairs | burst | duplicates | hostile | large (or a class name)
#   seconds   steady/duplicates/hostile/large/smoke: measured duration; burst: length of the burst;
#             stairs: length of each level                      (default: 5 for smoke, else 30; stairs 10)
#   rate      events/s; burst: the calm rate (burst = 10x); stairs: start rate and step
#             duplicates: distinct events/s (each sent 3x)      (default per simulation, see below)
#   -D...     any other simulation parameter, e.g. -Dp99Ms=30 -Dsize=16384 -Dlevels=12
#
# What it does: checks that Redis (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432) answer (starts the
# machine's own services if they do not and it can), builds target/hookline.jar if missing, writes a
# node config with one source per provider (fresh PostgreSQL schema and Redis key prefix per run,
# random secrets passed through the environment), starts a sink destination and the node, runs the
# simulation against 127.0.0.1 for a bounded time, stops everything it started (also on Ctrl-C or
# error), drops the schema, and prints Gatling's summary and the report path.
#
# Environment: HOOKLINE_JAR, HTTP_PORT, MGMT_PORT, SINK_PORT (default: free ports picked at random),
#   REDIS_URL, PG_URL, NODE_JAVA_OPTS (-Xms1g -Xmx1g), WARMUP (s of traffic ramping up to the rate before measuring, so the JIT has compiled the hot path; 30, smoke 0),
#   PROFILE=1 (JFR recording of the node, kept in the run directory), KEEP=1 (keep schema and keys),
#   DESTINATIONS=0 (sources without destinations: measures ingest alone, no delivery work),
#   NODE_YAML_EXTRA (YAML appended to the node config, e.g. 'store: {maxBatch: 512}'),
#   MAX_SECONDS (hard limit for the Gatling run; derived from the parameters by default).
# Run directory (config, logs, JFR): load-tests/target/run-local/<time>/
set -euo pipefail

usage() { sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 1 ] || usage
case "$1" in -h|--help) usage ;; esac

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
sim="$1"; shift
seconds=""; rate=""
if [ $# -gt 0 ] && [[ "$1" != -D* ]]; then seconds="$1"; shift; fi
if [ $# -gt 0 ] && [[ "$1" != -D* ]]; then rate="$1"; shift; fi
extra=("$@")
for a in "${extra[@]}"; do
  [[ "$a" == -D*=* ]] || { echo "run-local: extra arguments must be -Dname=value, got '$a'" >&2; exit 2; }
done

warmup="${WARMUP:-30}"
gatling_args=()
case "$sim" in
  smoke)      class=SmokeSimulation;          seconds="${seconds:-5}";  rate="${rate:-20}"; warmup="${WARMUP:-0}"
              gatling_args+=(-Dduration="$seconds" -Drate="$rate") ;;
  steady)     class=SteadySimulation;         seconds="${seconds:-30}"; rate="${rate:-500}"
              gatling_args+=(-Dduration="$seconds" -Drate="$rate") ;;
  stairs)     class=StairsSimulation;         seconds="${seconds:-10}"; rate="${rate:-500}"
              gatling_args+=(-DlevelSeconds="$seconds" -DstartRate="$rate" -Dstep="$rate") ;;
  burst)      class=BurstSimulation;          seconds="${seconds:-30}"; rate="${rate:-300}"
              gatling_args+=(-DburstSeconds="$seconds" -Drate="$rate") ;;
  duplicates) class=DuplicatesSimulation;     seconds="${seconds:-30}"; rate="${rate:-100}"
              gatling_args+=(-Dduration="$seconds" -Drate="$rate") ;;
  hostile)    class=HostileSimulation;        seconds="${seconds:-30}"; rate="${rate:-400}"
              gatling_args+=(-Dduration="$seconds" -Drate="$rate") ;;
  large)      class=LargePayloadSimulation;   seconds="${seconds:-30}"; rate="${rate:-20}"
              gatling_args+=(-Dduration="$seconds" -Drate="$rate") ;;
  *.*)        class="$sim"; seconds="${seconds:-30}"; rate="${rate:-100}"
              gatling_args+=(-Dduration="$seconds" -Drate="$rate") ;;
  *) echo "run-local: unknown simulation '$sim'" >&2; usage ;;
esac
[[ "$class" == *.* ]] || class="io.hookline.load.$class"
gatling_args+=(-Dwarmup="$warmup")

# Hard time limit for the Gatling run (it normally ends by itself well before).
extra_prop() { local n="$1" d="$2" a; for a in "${extra[@]}"; do [[ "$a" == "-D$n="* ]] && d="${a#-D$n=}"; done; echo "$d"; }
if [ -z "${MAX_SECONDS:-}" ]; then
  case "$sim" in
    stairs) MAX_SECONDS=$(( $(extra_prop levels 20) * (seconds + $(extra_prop rampSeconds 2)) + warmup + 240 )) ;;
    burst)  MAX_SECONDS=$(( seconds + 2 * $(extra_prop calmSeconds 15) + warmup + 240 )) ;;
    *)      MAX_SECONDS=$(( seconds + warmup + 240 )) ;;
  esac
fi

# Ports: free ones picked at random unless given, below the kernel's ephemeral range (32768+), where
# outgoing connections could take a port between this check and the bind.
free_port() { local p; for _ in $(seq 1 50); do p=$(( 20000 + RANDOM % 12000 )); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; echo 0; }
http_port="${HTTP_PORT:-$(free_port)}"
mgmt_port="${MGMT_PORT:-$(free_port)}"
sink_port="${SINK_PORT:-$(free_port)}"
redis_url="${REDIS_URL:-redis://127.0.0.1:6379}"
pg_url="${PG_URL:-postgresql://postgres@127.0.0.1:5432/test}"
jar="${HOOKLINE_JAR:-$root/target/hookline.jar}"
stamp="$(date +%Y%m%d-%H%M%S)"
run="$here/target/run-local/$stamp"
schema="load_$(date +%Y%m%d_%H%M%S)_$$"
key_prefix="hookline-load:$stamp:$$:"
mkdir -p "$run"

log() { echo "[run-local] $*" >&2; }

# CPU seconds (user+system) a process has used so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
wait_port() { local i; for i in $(seq 1 "$3"); do answers "$1" "$2" && return 0; sleep 0.5; done; return 1; }

node_pid=""; sink_pid=""; gatling_pid=""; started_redis=""; started_pg=""
cleanup() {
  local rc=$?
  set +e
  if [ -n "$gatling_pid" ] && kill -0 "$gatling_pid" 2>/dev/null; then
    log "stopping the Gatling run (pid $gatling_pid)"
    kill -INT -- "-$gatling_pid" 2>/dev/null; sleep 5; kill -KILL -- "-$gatling_pid" 2>/dev/null
  fi
  if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then
    log "stopping the node (pid $node_pid)"
    kill -TERM "$node_pid" 2>/dev/null
    for _ in $(seq 1 60); do kill -0 "$node_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$node_pid" 2>/dev/null
  fi
  if [ -n "$sink_pid" ] && kill -0 "$sink_pid" 2>/dev/null; then
    kill -TERM "$sink_pid" 2>/dev/null; sleep 0.5; kill -KILL "$sink_pid" 2>/dev/null
    tail -n 1 "$run/sink.log" 2>/dev/null | sed 's/^/[run-local] /' >&2
  fi
  if [ -z "${KEEP:-}" ]; then
    if command -v psql >/dev/null; then
      psql -q "$pg_url" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 && log "dropped schema $schema"
    fi
    if command -v redis-cli >/dev/null; then
      redis-cli -u "$redis_url" --scan --pattern "$key_prefix*" 2>/dev/null | xargs -r -n 500 redis-cli -u "$redis_url" DEL >/dev/null 2>&1
    fi
  fi
  if [ -n "$started_redis" ]; then redis-cli -u "$redis_url" shutdown nosave >/dev/null 2>&1; log "stopped the Redis it started"; fi
  if [ -n "$started_pg" ]; then pg_ctlcluster --skip-systemctl-redirect "$started_pg" main stop >/dev/null 2>&1; log "stopped the PostgreSQL it started"; fi
  wait 2>/dev/null
  log "run directory: $run"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- services -----------------------------------------------------------------------------
redis_host_port="${redis_url#*://}"; redis_host_port="${redis_host_port##*@}"; redis_host_port="${redis_host_port%%/*}"
pg_host_port="${pg_url#*://}"; pg_host_port="${pg_host_port##*@}"; pg_host_port="${pg_host_port%%/*}"
if ! answers "${redis_host_port%:*}" "${redis_host_port##*:}"; then
  if command -v redis-server >/dev/null && [ "$redis_url" = "redis://127.0.0.1:6379" ]; then
    log "Redis does not answer; starting redis-server on 127.0.0.1:6379"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    started_redis=1
    wait_port 127.0.0.1 6379 20 || { log "Redis did not start"; exit 1; }
  else
    log "Redis does not answer at $redis_url"; exit 1
  fi
fi
if ! answers "${pg_host_port%:*}" "${pg_host_port##*:}"; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    version="$(ls /etc/postgresql | head -n 1)"
    log "PostgreSQL does not answer; starting cluster $version/main"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    started_pg="$version"
    wait_port "${pg_host_port%:*}" "${pg_host_port##*:}" 40 || { log "PostgreSQL did not start"; exit 1; }
  else
    log "PostgreSQL does not answer at $pg_url"; exit 1
  fi
fi
for p in "$http_port" "$mgmt_port" "$sink_port"; do
  if answers 127.0.0.1 "$p"; then log "port $p is already in use (set HTTP_PORT / MGMT_PORT / SINK_PORT)"; exit 1; fi
done

# ---- app jar ------------------------------------------------------------------------------
if [ ! -f "$jar" ]; then
  log "building $jar (mvn -q -DskipTests package at the repo root)"
  (cd "$root" && mvn -q -B -DskipTests package)
fi

# ---- node config: one source per provider, secrets through the environment -----------------
rand_secret() { head -c 24 /dev/urandom | base64 | tr -d '/+=' ; }
export HL_LOAD_SECRET_STRIPE="whsec_$(rand_secret)"
export HL_LOAD_SECRET_STANDARD="whsec_$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
for p in GITHUB SHOPIFY SLACK PADDLE HMAC TWILIO; do export "HL_LOAD_SECRET_$p=$(rand_secret)"; done
sources="stripe:stripe,github:github,standard:standard,shopify:shopify,slack:slack,paddle:paddle,hmac:hmac,twilio:twilio"

config="$run/hookline.yaml"
{
  cat <<EOF
# Generated by load-tests/run-local.sh for one run ($stamp).
http: { host: 127.0.0.1, port: $http_port, maxBodyBytes: 1048576 }
management: { host: 127.0.0.1, port: $mgmt_port }
redis: { url: "$redis_url", keyPrefix: "$key_prefix" }
postgres: { url: "$pg_url", schema: $schema }
delivery: { drainTimeout: 5s }
sources:
EOF
  for p in stripe github standard shopify slack paddle hmac twilio; do
    up="$(echo "$p" | tr a-z A-Z)"
    echo "  - id: $p"
    echo "    provider: $p"
    echo "    secrets: [\"\${HL_LOAD_SECRET_$up}\"]"
    echo "    dedupTtl: 1h"
    [ "$p" = hmac ] && echo "    hmac: { algorithm: sha256, header: X-Signature, encoding: hex, prefix: \"sha256=\", eventIdHeader: X-Event-Id }"
    if [ "${DESTINATIONS:-1}" != 0 ]; then
      echo "    destinations:"
      echo "      - url: http://127.0.0.1:$sink_port/$p"
    fi
  done
  [ -n "${NODE_YAML_EXTRA:-}" ] && printf '%s\n' "$NODE_YAML_EXTRA"
} > "$config"

# ---- sink and node ----------------------------------------------------------------------------
java "$here/tools/Sink.java" "$sink_port" > "$run/sink.log" 2>&1 &
sink_pid=$!

node_opts=(${NODE_JAVA_OPTS:--Xms1g -Xmx1g})
if [ -n "${PROFILE:-}" ]; then
  node_opts+=("-XX:StartFlightRecording=filename=$run/node.jfr,settings=profile,dumponexit=true,jdk.ExecutionSample#period=2ms")
  log "profiling the node with JFR: $run/node.jfr"
fi
log "starting the node: schema $schema, ports http $http_port / management $mgmt_port, sink $sink_port"
java "${node_opts[@]}" -jar "$jar" --config "$config" > "$run/node.log" 2>&1 &
node_pid=$!
for i in $(seq 1 180); do
  grep -q "Hookline ready" "$run/node.log" 2>/dev/null && break
  if ! kill -0 "$node_pid" 2>/dev/null; then log "the node exited during start-up:"; tail -n 30 "$run/node.log" >&2; exit 1; fi
  [ "$i" = 180 ] && { log "the node was not ready after 90 s:"; tail -n 30 "$run/node.log" >&2; exit 1; }
  sleep 0.5
done
wait_port 127.0.0.1 "$sink_port" 60 || { log "the sink did not start:"; cat "$run/sink.log" >&2; exit 1; }
load_before="$(uptime | sed 's/.*load average: //')"
node_cpu_start="$(cpu_seconds "$node_pid")"; wall_start=$(date +%s)
log "node ready (pid $node_pid); load average: $load_before"

# ---- Gatling ------------------------------------------------------------------------------------
# The simulations read the secrets from HOOKLINE_LOAD_SECRET_<SOURCE ID> (exported only now, after
# the node started: it reads HOOKLINE_* variables as config overrides).
for p in STRIPE STANDARD GITHUB SHOPIFY SLACK PADDLE HMAC TWILIO; do
  v="HL_LOAD_SECRET_$p"; export "HOOKLINE_LOAD_SECRET_$p=${!v}"
done
log "running $class (limit ${MAX_SECONDS}s): ${gatling_args[*]} ${extra[*]}"
started=$(date +%s)
setsid mvn -B --no-transfer-progress -f "$here/pom.xml" test-compile gatling:test \
  -Dgatling.simulationClass="$class" -DbaseUrl="http://127.0.0.1:$http_port" -Dsources="$sources" \
  "${gatling_args[@]}" "${extra[@]}" > "$run/gatling.log" 2>&1 &
gatling_pid=$!
tail -n +1 -f --pid="$gatling_pid" "$run/gatling.log" | grep --line-buffered -E '^\[hookline-load\]|^---- Requests|^> (request count|Requests)|^\[#|Simulation .* (started|completed)|ERROR' >&2 &
rc=0
while kill -0 "$gatling_pid" 2>/dev/null; do
  if [ $(( $(date +%s) - started )) -gt "$MAX_SECONDS" ]; then
    log "time limit of ${MAX_SECONDS}s reached; stopping Gatling"
    kill -INT -- "-$gatling_pid" 2>/dev/null; sleep 10; kill -KILL -- "-$gatling_pid" 2>/dev/null
    rc=124
    break
  fi
  sleep 1
done
if [ "$rc" = 0 ]; then wait "$gatling_pid" || rc=$?; fi
gatling_pid=""

# ---- summary ------------------------------------------------------------------------------------
echo
echo "==== $sim: summary ($(date -u +%FT%TZ); load average before/after: $load_before / $(uptime | sed 's/.*load average: //')) ===="
report="$(grep -oE 'file://[^ ]*index\.html' "$run/gatling.log" | tail -n 1 || true)"
report="${report#file://}"
if [ -n "$report" ] && [ -f "$report" ]; then
  java "$here/tools/Summary.java" "$report" || true
fi
grep -E '^\[hookline-load\]|^\| |: .* : (true|false)|Simulation .* failed|crash|[Ee]xception' "$run/gatling.log" \
  | grep -vE '^\[hookline-load\] (parameters|.*Simulation against)' | tail -n 80 || true
if command -v curl >/dev/null; then
  echo "---- node counters (management /metrics, non-zero) ----"
  curl -s "http://127.0.0.1:$mgmt_port/metrics" > "$run/metrics.txt" || true
  grep -E '^hookline_(requests_total|deliveries_total|events_pending)' "$run/metrics.txt" | awk '$NF != "0.0"' | sort || true
  node_cpu="$(awk -v a="$node_cpu_start" -v b="$(cpu_seconds "$node_pid")" 'BEGIN { printf "%.1f", b - a }')"
  handled="$(grep -E '^hookline_requests_total' "$run/metrics.txt" | awk '{ s += $NF } END { printf "%d", s }')"
  echo "node CPU during the run: ${node_cpu} s over $(( $(date +%s) - wall_start )) s wall for $handled requests" \
    "($(awk -v c="$node_cpu" -v n="$handled" 'BEGIN { if (n > 0) printf "%.2f", 1000 * c / n; else print "-" }') ms CPU per request, ingest + delivery)"
  echo "---- node-side latency histograms (whole run incl. warm-up; from bucket bounds) ----"
  awk -f "$here/tools/quantiles.awk" "$run/metrics.txt" || true
fi
echo "report: ${report:-"(none: see $run/gatling.log)"}"
echo "logs:   $run/{gatling,node,sink}.log  config: $config"
if [ "$rc" = 0 ]; then echo "RESULT: $sim passed its assertions"; else echo "RESULT: $sim FAILED (exit $rc; see above and $run/gatling.log)"; fi
exit "$rc"
