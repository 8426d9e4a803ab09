#!/usr/bin/env bash
# The requests log under a forged flood (docs/requests-log.md, "Measured"): a steady valid stream
# (wrk, VALID_CONNECTIONS) beside a forged flood at full speed (wrk, FLOOD_CONNECTIONS, signed with a
# wrong secret: every request refused 401 and offered to the requests log), against one node with no
# destination, once with the log on (management.requestLog.perMinute 60) and once off (0), ROUNDS
# times alternating. Prints the valid stream's p50/p99 per run, the flood's rate, and the rows the
# log kept. Each run: its own schema and Redis prefix (dropped after), WARMUP s then DURATION s.
#   load-tests/requests-flood.sh            # DURATION=20 WARMUP=10 ROUNDS=2
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$(cd "$here/.." && pwd)"
JAR="${HOOKLINE_JAR:-$root/target/hookline.jar}"
DURATION="${DURATION:-20}"; WARMUP="${WARMUP:-10}"; ROUNDS="${ROUNDS:-2}"
VALID_CONNECTIONS="${VALID_CONNECTIONS:-4}"; FLOOD_CONNECTIONS="${FLOOD_CONNECTIONS:-32}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"; PG_URL="${PG_URL:-postgresql://postgres@127.0.0.1:5432/test}"
work="$root/load-tests/target/requests-flood/$(date +%Y%m%d-%H%M%S)"; mkdir -p "$work"
node_pid=""; schemas=()
cleanup() {
  set +e
  [ -n "$node_pid" ] && kill -TERM "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null
  for s in "${schemas[@]}"; do psql -qAt "$PG_URL" -c "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null 2>&1; done
  echo "run directory: $work"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
body="$work/body.json"; printf '{"ref":"refs/heads/main","pad":"%s"}' "$(head -c 2000 /dev/zero | tr '\0' x)" > "$body"
secret="flood-secret-$$"
good="$(openssl dgst -sha256 -hmac "$secret" -r < "$body" | cut -d' ' -f1)"
bad="$(openssl dgst -sha256 -hmac "not-$secret" -r < "$body" | cut -d' ' -f1)"
field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" "$2"; }
for round in $(seq 1 "$ROUNDS"); do
  for mode in on off; do
    per=60; [ "$mode" = off ] && per=0
    http=$(port); mgmt=$(port); schema="flood_${round}_${mode}_$$"; schemas+=("$schema")
    cfg="$work/$schema.yaml"
    cat > "$cfg" <<YAML
http: { host: 127.0.0.1, port: $http }
management: { host: 127.0.0.1, port: $mgmt, adminToken: "flood-admin-token", requestLog: { perMinute: $per } }
redis: { url: "$REDIS_URL", keyPrefix: "flood:$schema:" }
postgres: { url: "$PG_URL", schema: $schema }
sources:
  - { id: gh, provider: github, secrets: ["$secret"] }
YAML
    java -Xms512m -Xmx512m -jar "$JAR" --config "$cfg" > "$work/$schema.log" 2>&1 & node_pid=$!
    for _ in $(seq 1 240); do curl -sf --max-time 2 "http://127.0.0.1:$mgmt/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
    url="http://127.0.0.1:$http/webhooks/gh"
    for phase in warm run; do
      secs=$WARMUP; [ "$phase" = run ] && secs=$DURATION
      wrk -t1 -c"$FLOOD_CONNECTIONS" -d"${secs}s" -s "$here/tools/wrk-burst.lua" "$url" -- "$body" "$bad" "f$phase$schema" > "$work/$schema.$phase.flood" 2>&1 &
      fpid=$!
      wrk -t1 -c"$VALID_CONNECTIONS" -d"${secs}s" -s "$here/tools/wrk-burst.lua" "$url" -- "$body" "$good" "v$phase$schema" > "$work/$schema.$phase.valid" 2>&1
      wait "$fpid"
    done
    v="$work/$schema.run.valid"; f="$work/$schema.run.flood"
    sleep 1
    rows="$(psql -qAt "$PG_URL" -c "SELECT count(*) FROM $schema.request_log")"
    echo "round=$round log=$mode valid_acked=$(field acked "$v") valid_p50_us=$(field p50_us "$v") valid_p99_us=$(field p99_us "$v")" \
      "flood_refused=$(field other_status "$f") flood_per_s=$(( $(field other_status "$f") / DURATION )) log_rows=$rows" | tee -a "$work/summary.txt"
    kill -TERM "$node_pid"; wait "$node_pid" 2>/dev/null || true; node_pid=""
  done
done
