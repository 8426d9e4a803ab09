#!/usr/bin/env bash
# Burst benchmark with wrk (issue 10's measurements): a burst of new GitHub-signed events at full
# speed against one node with one destination (a local sink), then the drain of the delivery
# backlog, with per-process CPU from /proc.
#
#   load-tests/burst.sh                       # 20 s burst, 64 connections
#   CONNECTIONS=8 load-tests/burst.sh         # ack latency at a fixed connection count
#   DURATION=5 RUNS=3 load-tests/burst.sh     # three runs, prints each and the medians
#
# Each run: fresh node (java -jar target/hookline.jar --config FILE) on the machine's Redis and
# PostgreSQL (its own schema and Redis key prefix, dropped after), a sink destination
# (load-tests/tools/sink.js with Node.js, else or with SINK=java load-tests/tools/Sink.java), WARMUP s of the same load (then drained) so the JIT has compiled
# the hot path, the measured burst (wrk, load-tests/tools/wrk-burst.lua: 2 KiB bodies, unique
# X-GitHub-Delivery per request), and the wait (bounded by DRAIN_TIMEOUT) until every stored event
# is delivered. It prints acks/s, delivered/s during and after the burst, time to full delivery,
# end-to-end events/s, ack p50/p99 (wrk's latency of answered requests), CPU µs per event of each
# process, and checks that every stored event is delivered (PostgreSQL rows and sink count).
# Exit status: 0 when every run's checks pass, 1 when one fails, 2 on a usage error.
#
# Environment (defaults):
#   DURATION (20) burst seconds        CONNECTIONS (64)       THREADS (2) wrk threads
#   WARMUP (40) warm-up seconds, 0: none RUNS (1)            BODY_BYTES (2048)
#     (40 s because C2 still compiled for ~30 s on 2 shared cores: after a 5 s warm-up its threads took
#     8.5 s of the node's CPU during a 20 s burst; cpu_us_per_event_node_jit shows what is left)
#   DRAIN_TIMEOUT (180) s to wait for the backlog after the burst
#   PROFILE=1 JFR recording of the node (settings=profile; path printed)   KEEP=1 keep schema and keys
#   SCHEMA: run on this existing schema (e.g. pre-filled as load-tests/README.md says) instead of a fresh one;
#     it is never dropped, and the checks count only this run's events (source gh, ids from its start on)
#   HOOKLINE_JAR (target/hookline.jar; built with mvn -DskipTests package if missing)
#   REDIS_URL (redis://127.0.0.1:6379)  PG_URL (postgresql://postgres@127.0.0.1:5432/test)
#   NODE_JAVA_OPTS (-Xms1g -Xmx1g)      NODE_YAML_EXTRA (YAML appended to the node config)
#   BIND_HOST (127.0.0.1; empty: leave http/management host to the node's default)
#   KAFKA=1: two destinations, each with a CEL filter that every burst event passes (so both get
#     every event): the sink over HTTP (filter on a header) and a Kafka topic (filter on the body,
#     so the body is parsed as JSON once per event). KAFKA_BOOTSTRAP (unset: a local KRaft broker is
#     started from the test classpath's kafka_2.13, with auto-created topics, and stopped after; its
#     CPU is reported as kafka). Checks then expect two delivered rows per event.
#   EXPRESSIONS=1: the one HTTP destination gets a CEL filter on the body that every burst event passes
#     and a transform (body, a header, a path), so a run against the default shows what expressions cost
#     per event on their own (the body parsed as JSON once, three programs evaluated, a new body serialised).
# Run directory (configs, logs, wrk output, JFR): load-tests/target/burst/<time>/
set -euo pipefail

case "${1:-}" in -h|--help) sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; "") ;; *) echo "burst: no arguments; see --help" >&2; exit 2 ;; esac

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
DURATION="${DURATION:-20}"; CONNECTIONS="${CONNECTIONS:-64}"; THREADS="${THREADS:-2}"
WARMUP="${WARMUP:-40}"; RUNS="${RUNS:-1}"; BODY_BYTES="${BODY_BYTES:-2048}"; DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-180}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"; PG_URL="${PG_URL:-postgresql://postgres@127.0.0.1:5432/test}"
JAR="${HOOKLINE_JAR:-$root/target/hookline.jar}"
BIND_HOST="${BIND_HOST-127.0.0.1}"
for v in DURATION CONNECTIONS THREADS WARMUP RUNS BODY_BYTES DRAIN_TIMEOUT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "burst: $v must be a whole number, got '${!v}'" >&2; exit 2; }
done
[ "$DURATION" -ge 1 ] && [ "$RUNS" -ge 1 ] && [ "$RUNS" -le 20 ] && [ "$CONNECTIONS" -ge 1 ] && [ "$THREADS" -ge 1 ] \
  || { echo "burst: DURATION >= 1, 1 <= RUNS <= 20, CONNECTIONS >= 1, THREADS >= 1" >&2; exit 2; }
[ "$THREADS" -le "$CONNECTIONS" ] || THREADS="$CONNECTIONS"
[ "$BODY_BYTES" -ge 128 ] || { echo "burst: BODY_BYTES must be at least 128" >&2; exit 2; }

stamp="$(date +%Y%m%d-%H%M%S)"
run_root="$here/target/burst/$stamp"
mkdir -p "$run_root"
log() { echo "[burst] $*" >&2; }
HZ="$(getconf CLK_TCK)"

# ---- tools ------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing wrk (apt-get install wrk)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk; } \
      > "$run_root/apt.log" 2>&1 || { log "could not install wrk (see $run_root/apt.log)"; exit 1; }
  else
    log "wrk is not installed (Debian: apt-get install wrk)"; exit 1
  fi
fi
for t in java curl openssl psql; do command -v "$t" >/dev/null || { log "$t is needed"; exit 1; }; done

# ---- services: the machine's own; this script never starts or stops them -----------------------------
host_port() { local hp="${1#*://}"; hp="${hp##*@}"; echo "${hp%%/*}"; }
answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
redis_hp="$(host_port "$REDIS_URL")"; pg_hp="$(host_port "$PG_URL")"
answers "${redis_hp%:*}" "${redis_hp##*:}" || { log "Redis does not answer at $REDIS_URL (see .ci/run for how to start it)"; exit 1; }
answers "${pg_hp%:*}" "${pg_hp##*:}" || { log "PostgreSQL does not answer at $PG_URL (see .ci/run for how to start it)"; exit 1; }
psql -qAt "$PG_URL" -c 'SELECT 1' >/dev/null || { log "psql cannot connect to $PG_URL"; exit 1; }

# The pid listening on a local port (for CPU accounting), or empty.
listener_pid() { ss -Hltnp "sport = :$1" 2>/dev/null | grep -oE 'pid=[0-9]+' | head -n 1 | cut -d= -f2; }
redis_pid="$(listener_pid "${redis_hp##*:}")"
postmaster_pid="$(listener_pid "${pg_hp##*:}")"
[ -n "$redis_pid" ] || log "cannot see Redis's pid (not local, or ss shows no pids): its CPU is not reported"
[ -n "$postmaster_pid" ] || log "cannot see PostgreSQL's pid (not local, or ss shows no pids): its CPU is not reported"

# ---- Kafka (KAFKA=1): the given broker, or a local KRaft one from the test classpath ---------------------
KAFKA="${KAFKA:-}"; kafka_pid=""; kafka_bootstrap="${KAFKA_BOOTSTRAP:-}"
start_kafka() {
  local dir="$run_root/kafka" cp port controller k
  mkdir -p "$dir"
  log "starting a local Kafka broker (kafka.Kafka from the test classpath; mvn dependency:build-classpath)"
  (cd "$root" && mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$dir/cp.txt") \
    > "$dir/mvn.log" 2>&1 || { log "could not resolve the Kafka classpath (see $dir/mvn.log)"; return 1; }
  cp="$(cat "$dir/cp.txt")"
  pick_port port && pick_port controller || return 1
  printf '%s\n' "process.roles=broker,controller" "node.id=1" "controller.quorum.voters=1@127.0.0.1:$controller" \
    "listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller" \
    "advertised.listeners=PLAINTEXT://127.0.0.1:$port" "controller.listener.names=CONTROLLER" \
    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT" "log.dirs=$dir/data" \
    "auto.create.topics.enable=true" "num.partitions=1" "offsets.topic.replication.factor=1" \
    "transaction.state.log.replication.factor=1" "transaction.state.log.min.isr=1" > "$dir/server.properties"
  java -cp "$cp" kafka.tools.StorageTool format -t "$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | head -c 22)" \
    -c "$dir/server.properties" > "$dir/kafka.log" 2>&1 || { log "kafka storage format failed (see $dir/kafka.log)"; return 1; }
  java -Xms256m -Xmx512m -cp "$cp" kafka.Kafka "$dir/server.properties" >> "$dir/kafka.log" 2>&1 &
  kafka_pid=$!
  for k in $(seq 1 240); do
    answers 127.0.0.1 "$port" && break
    kill -0 "$kafka_pid" 2>/dev/null || { log "kafka exited:"; tail -n 20 "$dir/kafka.log" >&2; return 1; }
    [ "$k" = 240 ] && { log "kafka did not answer in 120 s"; return 1; }
    sleep 0.5
  done
  kafka_bootstrap="127.0.0.1:$port"
  log "kafka pid $kafka_pid on $kafka_bootstrap"
}

# ---- app jar ----------------------------------------------------------------------------------
if [ ! -f "$JAR" ]; then
  log "building $JAR (mvn -q -B -DskipTests package)"
  (cd "$root" && mvn -q -B -DskipTests package)
fi

# ---- CPU accounting ------------------------------------------------------------------------------
# Clock ticks (utime + stime + cutime + cstime, /proc/<pid>/stat fields 14-17) summed over pids.
# cutime/cstime are the CPU of children the process has reaped: for the postmaster that is every
# backend that has exited, so backends that come and go between two readings are still counted.
ticks() {
  local p line rest sum=0
  for p in "$@"; do
    [ -n "$p" ] || continue
    { read -r line < "/proc/$p/stat"; } 2>/dev/null || continue   # a builtin: no fork per reading
    rest="${line##*) }"
    # shellcheck disable=SC2086
    set -- $rest
    sum=$(( sum + ${12} + ${13} + ${14} + ${15} ))
  done
  echo "$sum"
}
pg_pids() {
  [ -n "$postmaster_pid" ] || return 0
  echo "$postmaster_pid"
  ps -o pid= --ppid "$postmaster_pid" 2>/dev/null || true
}
# The node's JIT compiler threads (C1, C2): utime + stime, clock ticks.
jit_ticks() {
  local t c line rest sum=0
  for t in /proc/"$node_pid"/task/*; do
    { read -r c < "$t/comm"; } 2>/dev/null || continue
    [[ "$c" == C[12]\ Compiler* ]] || continue
    { read -r line < "$t/stat"; } 2>/dev/null || continue
    rest="${line##*) }"
    # shellcheck disable=SC2086
    set -- $rest
    sum=$(( sum + ${12} + ${13} ))
  done
  echo "$sum"
}
# One reading: "node sink redis postgres node-jit kafka" in clock ticks (kafka: the broker this script started).
cpu_now() { echo "$(ticks "$node_pid") $(ticks "$sink_pid") $(ticks "$redis_pid") $(ticks $(pg_pids)) $(jit_ticks) $(ticks "$kafka_pid")"; }

now_ms() { date +%s%3N; }
# A free port below the ephemeral range, not handed out before in this run.
taken=" "
pick_port() { # variable name
  local p _
  for _ in $(seq 1 100); do
    p=$(( 20000 + RANDOM % 12000 ))
    [[ "$taken" == *" $p "* ]] && continue
    answers 127.0.0.1 "$p" || { taken+="$p "; printf -v "$1" '%s' "$p"; return 0; }
  done
  log "no free port found"; return 1
}
sink_stats() { curl -s --max-time 2 "http://127.0.0.1:$sink_port/_sink/stats" || echo "received=-1 first_ms=0 last_ms=0"; }
stat_field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
sql() { psql -qAt "$PG_URL" -c "$1" 2>>"$run/psql.log"; }

# ---- per-run state and cleanup --------------------------------------------------------------------
node_pid=""; sink_pid=""; wrk_pid=""; schemas=(); prefixes=(); failed=0; mine=""
stop_pid() { # pid seconds
  local p="$1" i
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 0
  kill -TERM "$p" 2>/dev/null || true
  for i in $(seq 1 $(( $2 * 4 ))); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.25; done
  log "pid $p did not stop in $2 s; killing it"
  kill -KILL "$p" 2>/dev/null || true
}
stop_run() {
  stop_pid "$wrk_pid" 5; wrk_pid=""
  stop_pid "$node_pid" 40; node_pid=""
  stop_pid "$sink_pid" 5; sink_pid=""
}
cleanup() {
  local rc=$? s p
  set +e
  stop_run
  stop_pid "$kafka_pid" 20; kafka_pid=""
  if [ -z "${KEEP:-}" ]; then
    for s in "${schemas[@]}"; do psql -qAt "$PG_URL" -c "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null 2>&1; done
    if command -v redis-cli >/dev/null; then
      for p in "${prefixes[@]}"; do
        redis-cli -u "$REDIS_URL" --scan --pattern "$p*" 2>/dev/null | xargs -r -n 500 redis-cli -u "$REDIS_URL" DEL >/dev/null 2>&1
      done
    fi
    [ "${#schemas[@]}" -gt 0 ] && log "dropped schema(s) ${schemas[*]} and their Redis keys"
  else
    log "kept schema(s) ${schemas[*]} and Redis prefix(es) ${prefixes[*]}"
  fi
  log "run directory: $run_root"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs wrk for $1 seconds; output in $2.out, CPU time (user sys, s) in $2.time.
run_wrk() {
  local secs="$1" out="$2" id="$3"
  local TIMEFORMAT='%3U %3S'
  { time timeout -k 5 $(( secs + 60 )) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --timeout 30s \
      -s "$here/tools/wrk-burst.lua" "http://127.0.0.1:$http_port/webhooks/gh" -- "$body_file" "$signature" "$id" \
      > "$out.out" 2> "$out.err"; } 2> "$out.time" || { log "wrk failed:"; cat "$out.out" "$out.err" >&2; return 1; }
  grep -q '^BURST ' "$out.out" || { log "wrk printed no summary:"; cat "$out.out" "$out.err" >&2; return 1; }
}

# Waits until every stored event is delivered: the sink count has stopped moving at or above
# $1 and PostgreSQL has no delivery left that is not delivered. Sets drain_cpu (CPU reading taken
# when the sink count last moved), drain_ok. Bounded by $2 seconds.
wait_drain() {
  local target="$1" limit="$2" started stats count last_count=-1 last_change still
  started=$(date +%s); last_change=$(date +%s%N); drain_ok=0; drain_cpu="$(cpu_now)"
  while [ $(( $(date +%s) - started )) -le "$limit" ]; do
    stats="$(sink_stats)"; count="$(stat_field "$stats" received)"
    if [ "$count" != "$last_count" ]; then
      drain_cpu="$(cpu_now)"; last_count="$count"; last_change=$(date +%s%N)
    elif [ "$count" -ge "$target" ] && [ $(( ($(date +%s%N) - last_change) / 1000000 )) -ge 1000 ]; then
      still="$(sql "SELECT count(*) FROM $schema.deliveries WHERE $(printf "$mine" event_id) AND status <> 'delivered'")"
      if [ "$still" = 0 ]; then drain_ok=1; return 0; fi
      last_change=$(date +%s%N)   # retries in backoff: look again in a second
    fi
    sleep 0.25
  done
  log "the backlog did not drain within ${limit}s (sink: $(sink_stats))"
  return 0
}

# ---- one run ------------------------------------------------------------------------------------
run_one() {
  local i="$1"
  run="$run_root/run$i"; mkdir -p "$run"
  pick_port http_port && pick_port mgmt_port && pick_port sink_port || return 1
  if [ -n "${SCHEMA:-}" ]; then
    schema="$SCHEMA"
  else
    schema="burst_$(date +%Y%m%d_%H%M%S)_${i}_$$"; schemas+=("$schema")
  fi
  local prefix="hookline-burst:$stamp:$$:$i:"; prefixes+=("$prefix")
  local secret; secret="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"

  # One body of exactly BODY_BYTES, signed once (GitHub signs only the body).
  body_file="$run/body.json"
  local head='{"ref":"refs/heads/main","zen":"Keep it logically awesome.","pad":"' tail='"}'
  { printf '%s' "$head"; head -c $(( BODY_BYTES - ${#head} - ${#tail} )) /dev/zero | tr '\0' x; printf '%s' "$tail"; } > "$body_file"
  signature="$(openssl dgst -sha256 -hmac "$secret" -r < "$body_file" | cut -d' ' -f1)"

  local config="$run/hookline.yaml" hostkey=""
  [ -n "$BIND_HOST" ] && hostkey="host: $BIND_HOST, "
  cat > "$config" <<EOF
# Generated by load-tests/burst.sh (run $i of $stamp).
http: { ${hostkey}port: $http_port }
management: { ${hostkey}port: $mgmt_port }
redis: { url: "$REDIS_URL", keyPrefix: "$prefix" }
postgres: { url: "$PG_URL", schema: $schema }
sources:
  - id: gh
    provider: github
    secrets: ["$secret"]
    destinations:
      - url: http://127.0.0.1:$sink_port/gh
EOF
  if [ -n "$KAFKA" ]; then
    # Both filters pass every burst event: the figures show what a filter (and a Kafka publish) costs.
    cat >> "$config" <<EOF
        id: sink
        filter: 'headers["x-github-event"] == "push"'
      - id: stream
        kafka: { bootstrap: "$kafka_bootstrap", topic: "burst-$stamp-$i", key: 'providerEventId' }
        filter: 'body.ref == "refs/heads/main"'
EOF
  fi
  if [ -n "${EXPRESSIONS:-}" ] && [ -z "$KAFKA" ]; then
    cat >> "$config" <<EOF
        filter: 'body.ref == "refs/heads/main"'
        transform:
          body: '{"ref": body.ref, "id": id, "type": type}'
          headers: { X-Hookline-Type: 'type' }
          path: '"/" + source'
EOF
  fi
  [ -n "${NODE_YAML_EXTRA:-}" ] && printf '%s\n' "$NODE_YAML_EXTRA" >> "$config"

  if [ "${SINK:-}" != java ] && command -v node >/dev/null; then
    node "$here/tools/sink.js" "$sink_port" > "$run/sink.log" 2>&1 &
  else
    java -Xms64m -Xmx256m "$here/tools/Sink.java" "$sink_port" > "$run/sink.log" 2>&1 &
  fi
  sink_pid=$!
  # shellcheck disable=SC2206
  local opts=(${NODE_JAVA_OPTS:--Xms1g -Xmx1g})
  local jfr=""
  if [ -n "${PROFILE:-}" ]; then
    jfr="$run/node.jfr"
    opts+=("-XX:StartFlightRecording=filename=$jfr,settings=profile,dumponexit=true")
  fi
  java "${opts[@]}" -jar "$JAR" --config "$config" > "$run/node.log" 2>&1 &
  node_pid=$!
  local k
  for k in $(seq 1 240); do
    curl -sf --max-time 2 "http://127.0.0.1:$mgmt_port/health/ready" >/dev/null 2>&1 && break
    kill -0 "$node_pid" 2>/dev/null || { log "the node exited during start-up:"; tail -n 30 "$run/node.log" >&2; return 1; }
    [ "$k" = 240 ] && { log "the node was not ready after 120 s:"; tail -n 30 "$run/node.log" >&2; return 1; }
    sleep 0.5
  done
  for k in $(seq 1 120); do
    [ "$(stat_field "$(sink_stats)" received)" -ge 0 ] 2>/dev/null && break
    [ "$k" = 120 ] && { log "the sink did not start:"; cat "$run/sink.log" >&2; return 1; }
    sleep 0.5
  done
  log "run $i/$RUNS: node pid $node_pid ready (schema $schema, http $http_port, management $mgmt_port), sink pid $sink_pid; load average $(cut -d' ' -f1-3 /proc/loadavg)"

  # This run's rows: source gh, UUIDv7 ids from a minute before now on (partition pruning keeps a pre-filled schema's
  # millions of rows out of every check).
  local since_hex; since_hex="$(printf '%012x' $(( $(date +%s%3N) - 60000 )))"
  mine="source_id = 'gh' AND %s >= '${since_hex:0:8}-${since_hex:8:4}-0000-0000-000000000000'"
  local warm_acked=0
  if [ "$WARMUP" -gt 0 ]; then
    log "warm-up: ${WARMUP}s, $CONNECTIONS connections, then drain"
    run_wrk "$WARMUP" "$run/warmup" "warm-$stamp-$i" || return 1
    warm_acked="$(sed -n 's/^BURST .*acked=\([0-9]*\).*/\1/p' "$run/warmup.out")"
    wait_drain "$warm_acked" "$DRAIN_TIMEOUT"
  fi

  # ---- the measured burst ----
  local s0 c0 t0 s1 c1 t1 s2 line
  s0="$(stat_field "$(sink_stats)" received)"; c0="$(cpu_now)"; t0="$(now_ms)"
  log "burst: ${DURATION}s, $CONNECTIONS connections, $THREADS wrk threads, ${BODY_BYTES}-byte bodies"
  run_wrk "$DURATION" "$run/burst" "burst-$stamp-$i" || return 1
  t1="$(now_ms)"; c1="$(cpu_now)"; s1="$(stat_field "$(sink_stats)" received)"
  line="$(grep '^BURST ' "$run/burst.out")"
  local acked; acked="$(stat_field "$line" acked)"
  log "burst done: $(echo "$line" | cut -d' ' -f2-5); waiting for the backlog (at most ${DRAIN_TIMEOUT}s)"
  wait_drain $(( warm_acked + acked )) "$DRAIN_TIMEOUT"
  local c2="$drain_cpu" stats2; stats2="$(sink_stats)"
  s2="$(stat_field "$stats2" received)"
  local last_ms; last_ms="$(stat_field "$stats2" last_ms)"
  [ "$s2" -gt "$s1" ] || last_ms="$t1"     # nothing arrived after the burst: fully delivered by then

  # ---- checks against PostgreSQL and the sink ----
  local stored delivered_rows rows
  stored="$(sql "SELECT count(*) FROM $schema.events WHERE $(printf "$mine" id)")"
  rows="$(sql "SELECT count(*) FROM $schema.deliveries WHERE $(printf "$mine" event_id)")"
  delivered_rows="$(sql "SELECT count(*) FROM $schema.deliveries WHERE $(printf "$mine" event_id) AND status = 'delivered'")"
  local total_acked=$(( warm_acked + acked )) check="PASS" why="" per=1
  [ -n "$KAFKA" ] && per=2
  [ "$drain_ok" = 1 ] || why+=" backlog not drained in ${DRAIN_TIMEOUT}s;"
  [ "$stored" -ge "$total_acked" ] 2>/dev/null || why+=" stored $stored < acked $total_acked;"
  [ "$rows" = "$(( per * stored ))" ] || why+=" $rows delivery rows for $stored events ($per destination(s));"
  [ "$delivered_rows" = "$(( per * stored ))" ] || why+=" delivered rows $delivered_rows != $per x stored $stored;"
  [ "$s2" -ge "$total_acked" ] 2>/dev/null || why+=" sink received $s2 < acked $total_acked;"
  [ -z "$why" ] || { check="FAIL:$why"; failed=1; }

  # ---- figures ----
  local wrk_cpu; wrk_cpu="$(awk '{ printf "%d", ($1 + $2) * 1e6 }' "$run/burst.time")"
  {
    echo "$line" | tr ' ' '\n' | grep '=' | sed 's/^/wrk_/'
    echo "t0=$t0"; echo "t1=$t1"; echo "last_ms=$last_ms"
    echo "s0=$s0"; echo "s1=$s1"; echo "s2=$s2"
    echo "c0=$c0" | tr ' ' ','; echo "c1=$c1" | tr ' ' ','; echo "c2=$c2" | tr ' ' ','
    echo "wrk_cpu_us=$wrk_cpu"; echo "stored=$stored"; echo "delivered_rows=$delivered_rows"
    echo "total_acked=$total_acked"; echo "warm_acked=$warm_acked"
  } > "$run/raw.txt"
  awk -F= -v hz="$HZ" -v conns="$CONNECTIONS" '
    { v[$1] = $2 }
    END {
      split(v["c0"], c0, ","); split(v["c1"], c1, ","); split(v["c2"], c2, ",")
      burst_s = v["wrk_wrk_us"] / 1e6; if (burst_s <= 0) burst_s = (v["t1"] - v["t0"]) / 1000
      acked = v["wrk_acked"]
      during = v["s1"] - v["s0"]; after = v["s2"] - v["s1"]; total = v["s2"] - v["s0"]
      after_s = (v["last_ms"] - v["t1"]) / 1000; full_s = (v["last_ms"] - v["t0"]) / 1000
      printf "acked=%d\nsent=%d\nstatus503=%d\nerrors=%d\n", acked, v["wrk_sent"], v["wrk_status503"], \
        v["wrk_other_status"] + v["wrk_connect_errors"] + v["wrk_read_errors"] + v["wrk_write_errors"] + v["wrk_timeouts"]
      printf "burst_s=%.2f\nacks_per_s=%.0f\n", burst_s, acked / burst_s
      printf "delivered_during=%d\ndelivered_during_per_s=%.0f\n", during, during / burst_s
      printf "delivered_after=%d\ndrain_s=%.2f\ndelivered_after_per_s=%s\n", after, after_s, (after_s > 0 ? sprintf("%.0f", after / after_s) : "-")
      printf "time_to_full_delivery_s=%.2f\ne2e_acked_per_s=%.0f\ne2e_delivered_per_s=%.0f\n", full_s, acked / full_s, total / full_s
      printf "ack_p50_ms=%.2f\nack_p90_ms=%.2f\nack_p99_ms=%.2f\nack_p999_ms=%.2f\nack_max_ms=%.2f\n", \
        v["wrk_p50_us"] / 1000, v["wrk_p90_us"] / 1000, v["wrk_p99_us"] / 1000, v["wrk_p999_us"] / 1000, v["wrk_max_us"] / 1000
      n = split("node sink redis postgres", names, " ")
      for (k = 1; k <= n; k++) {
        us = (c2[k] - c0[k]) * 1e6 / hz
        printf "cpu_us_per_event_%s=%.0f\n", names[k], (acked > 0 ? us / acked : 0)
        printf "cores_%s=%.2f\n", names[k], us / 1e6 / full_s
      }
      printf "cpu_us_per_event_node_jit=%.0f\n", (acked > 0 ? (c2[5] - c0[5]) * 1e6 / hz / acked : 0)
      if (c2[6] > 0) printf "cpu_us_per_event_kafka=%.0f\n", (acked > 0 ? (c2[6] - c0[6]) * 1e6 / hz / acked : 0)
      printf "cpu_us_per_event_wrk=%.0f\n", (acked > 0 ? v["wrk_cpu_us"] / acked : 0)
      for (k = 1; k <= n; k++) {
        if (names[k] == "node" || names[k] == "postgres") {
          printf "burst_cpu_us_per_ack_%s=%.0f\n", names[k], (acked > 0 ? (c1[k] - c0[k]) * 1e6 / hz / acked : 0)
          printf "drain_cpu_us_per_delivery_%s=%s\n", names[k], (after >= 100 ? sprintf("%.0f", (c2[k] - c1[k]) * 1e6 / hz / after) : "-")
        }
      }
      printf "stored=%d\ndelivered_rows=%d\nunanswered_stored=%d\n", v["stored"], v["delivered_rows"], v["stored"] - v["total_acked"]
    }' "$run/raw.txt" > "$run/figures.txt"
  echo "check=$check" >> "$run/figures.txt"
  [ -n "$jfr" ] && echo "jfr=$jfr" >> "$run/figures.txt"

  stop_run
  [ -n "$jfr" ] && log "JFR recording of the node: $jfr"
  log "run $i: $(grep -E '^(acks_per_s|e2e_acked_per_s|ack_p99_ms|check)=' "$run/figures.txt" | tr '\n' ' ')"
  return 0
}

if [ -n "$KAFKA" ] && [ -z "$kafka_bootstrap" ]; then start_kafka || exit 1; fi
log "$RUNS run(s): ${DURATION}s burst, $CONNECTIONS connections, warm-up ${WARMUP}s; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$RUNS"); do
  run_one "$i" || { failed=1; log "run $i did not complete"; stop_run; break; }
done

# ---- summary: one column per run, and the median ------------------------------------------------------
echo
echo "==== load-tests/burst.sh $(date -u +%FT%TZ): DURATION=${DURATION}s CONNECTIONS=$CONNECTIONS THREADS=$THREADS WARMUP=${WARMUP}s BODY_BYTES=$BODY_BYTES${KAFKA:+ KAFKA=1 (sink + Kafka, a filter on each)}${EXPRESSIONS:+ EXPRESSIONS=1 (a filter and a transform on the sink)} ===="
echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load average before/after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg); node, PostgreSQL, Redis, wrk and sink share them"
files=("$run_root"/run*/figures.txt)
if [ -f "${files[0]}" ]; then
  awk -F= '
    FNR == 1 { r++ }
    $1 != "check" && $1 != "jfr" { if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }; val[$1, r] = $2 }
    $1 == "check" { chk[r] = $2 }
    END {
      printf "%-34s", "metric"; for (j = 1; j <= r; j++) printf " %10s", "run" j; if (r > 1) printf " %10s", "median"; printf "\n"
      for (k = 1; k <= n; k++) {
        m = order[k]; printf "%-34s", m; c = 0
        for (j = 1; j <= r; j++) { x = val[m, j]; printf " %10s", x; if (x != "-" && x != "") a[++c] = x + 0 }
        if (r > 1) {
          for (p = 1; p <= c; p++) for (q = p + 1; q <= c; q++) if (a[q] < a[p]) { t = a[p]; a[p] = a[q]; a[q] = t }
          med = (c == 0) ? "-" : (c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2)
          printf " %10s", (med == "-" ? med : sprintf("%.2f", med) + 0)
        }
        printf "\n"
      }
      for (j = 1; j <= r; j++) printf "run%d check: %s\n", j, chk[j]
    }' "${files[@]}"
  grep -h '^jfr=' "${files[@]}" | sed 's/^jfr=/JFR: /' || true
fi
cat <<'EOF'
Notes: acked = 2xx answers wrk received; ack latency = wrk's distribution over answered requests.
delivered_* = sink arrivals (during = while wrk ran; after = until the last delivery).
e2e_*_per_s = acked (or delivered) events / (first request to last delivery).
cpu_us_per_event_* = that process's CPU (user+system, /proc) from burst start to the last
delivery, per acked event (ingest + delivery); burst_* = during the burst per ack,
drain_* = after it per delivery (delivery alone); node_jit = the part of node that was the
JIT compilers' threads (a warm-up too short for the JIT shows here). postgres = the postmaster and all its
processes, including backends that exited meanwhile (counted via the postmaster's
cutime/cstime once reaped): it includes PostgreSQL's background work (WAL writer,
checkpointer, autovacuum) and any other client of that server, so on a shared machine it is an
upper bound; Redis likewise counts every client of the server. unanswered_stored = events stored
but not acked because wrk stopped while they were in flight (at most CONNECTIONS per run).
EOF
if [ "$failed" = 0 ]; then echo "RESULT: every stored event was delivered (checks passed)"; else echo "RESULT: FAILED (see the checks above and $run_root)"; fi
exit "$failed"
