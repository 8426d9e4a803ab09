#!/usr/bin/env bash
# A local Hookline cluster: N nodes (default 3) on 127.0.0.1 sharing the machine's Redis and
# PostgreSQL (one schema and Redis key prefix of their own), nginx in front running
# deploy/nginx.conf (upstreams, listen address and log paths replaced), and a sink destination
# (load-tests/tools/Sink.java). Everything it starts is recorded by PID and stopped by PID.
#
#   deploy/cluster.sh start [N]        start N nodes + nginx + sink; prints the URLs and the secret
#   deploy/cluster.sh status           what runs, and each node's readiness
#   deploy/cluster.sh stop             stop everything it started; drop the schema and the keys
#   deploy/cluster.sh kill-node I      kill -9 node I (1..N)
#   deploy/cluster.sh start-node I     start node I again (same config, ports and node id)
#   deploy/cluster.sh stop-node I      SIGTERM node I and wait until it has drained and exited
#   deploy/cluster.sh stop-sink        stop the sink (the destination is down: connections refused)
#   deploy/cluster.sh start-sink       start the sink again on its port
#   deploy/cluster.sh env              the cluster's variables, for scripts: eval "$(deploy/cluster.sh env)"
#
# One source "gh" (provider github, a random secret) delivering to the sink. Send events to
# http://127.0.0.1:$NGINX_PORT/webhooks/gh (see `status`).
# Environment: CLUSTER_DIR (deploy/target/cluster: configs, logs, PIDs), REDIS_URL
#   (redis://127.0.0.1:6379), PG_URL (postgresql://postgres@127.0.0.1:5432/test), HOOKLINE_JAR
#   (target/hookline.jar; built if missing), NODE_JAVA_OPTS (-Xms256m -Xmx512m), NODE_YAML_EXTRA
#   (YAML appended to every node's config), DESTINATION_YAML_EXTRA (YAML lines added to the sink
#   destination, e.g. "maxAttempts: 50"), PG_URL_NODE<I> (node I's PostgreSQL URL instead of PG_URL,
#   e.g. through a proxy), BIND_HOST (127.0.0.1; empty: the node's default), KEEP=1 (stop keeps the
#   schema and keys).
# The machine's PostgreSQL and Redis are used, never started or stopped.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
CLUSTER_DIR="${CLUSTER_DIR:-$here/target/cluster}"
state="$CLUSTER_DIR/cluster.env"
log() { echo "[cluster] $*" >&2; }
usage() { sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
free_port() {
  local p _
  for _ in $(seq 1 100); do
    p=$(( 20000 + RANDOM % 12000 ))
    answers 127.0.0.1 "$p" || { grep -qw "$p" "$CLUSTER_DIR/ports" 2>/dev/null || { echo "$p" >> "$CLUSTER_DIR/ports"; echo "$p"; return; }; }
  done
  log "no free port found"; exit 1
}
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pid_of() { cat "$CLUSTER_DIR/$1.pid" 2>/dev/null || true; }
stop_pid() { # pid seconds signal
  local p="$1" i
  alive "$p" || return 0
  kill "-${3:-TERM}" "$p" 2>/dev/null || true
  for i in $(seq 1 $(( $2 * 4 ))); do alive "$p" || return 0; sleep 0.25; done
  log "pid $p still runs after $2 s; killing it"
  kill -KILL "$p" 2>/dev/null || true
}

load_state() {
  [ -f "$state" ] || { log "no cluster in $CLUSTER_DIR (start one with: deploy/cluster.sh start)"; exit 1; }
  # shellcheck disable=SC1090
  . "$state"
}

node_ready() { curl -sf --max-time 2 "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1; }

start_node() { # index
  local i="$1" hp mp pid k
  hp="$(eval echo "\$NODE${i}_HTTP")"; mp="$(eval echo "\$NODE${i}_MGMT")"
  [ -n "$hp" ] || { log "no node $i in this cluster"; exit 1; }
  if alive "$(pid_of "node$i")"; then log "node $i already runs (pid $(pid_of "node$i"))"; return 0; fi
  # shellcheck disable=SC2206
  local opts=(${NODE_JAVA_OPTS:--Xms256m -Xmx512m})
  # Same node id on restart: the node takes back the delivery leases it held at once.
  HOOKLINE_NODE_ID="cluster-node-$i" nohup java "${opts[@]}" -jar "$JAR" --config "$CLUSTER_DIR/node$i.yaml" \
    >> "$CLUSTER_DIR/node$i.log" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$CLUSTER_DIR/node$i.pid"
  for k in $(seq 1 240); do
    node_ready "$mp" && { log "node $i ready: pid $pid, http 127.0.0.1:$hp, management 127.0.0.1:$mp"; return 0; }
    alive "$pid" || { log "node $i exited during start-up:"; tail -n 30 "$CLUSTER_DIR/node$i.log" >&2; return 1; }
    sleep 0.5
  done
  log "node $i was not ready after 120 s"; tail -n 30 "$CLUSTER_DIR/node$i.log" >&2; return 1
}

# deploy/nginx.conf with our upstream servers, listen address and log path.
nginx_conf() {
  local servers="" i
  for i in $(seq 1 "$NODES"); do
    servers+="        server 127.0.0.1:$(eval echo "\$NODE${i}_HTTP") max_fails=3 fail_timeout=5s;\n"
  done
  awk -v q="'" -v servers="$servers" -v listen="listen 127.0.0.1:$NGINX_PORT;" -v alog="$CLUSTER_DIR/nginx-access.log" '
    /upstream hookline \{/ { up = 1 }
    up && /^[ \t]*server / { if (!done) { printf "%s", servers; done = 1 }; next }
    up && /^    }/ { up = 0 }
    /^[ \t]*listen 80;/ { sub(/listen 80;/, listen) }
    /^[ \t]*access_log / { sub(/access_log [^ ]+/, "access_log " alog) }
    # Milliseconds in each line, so drills can tell which answers fell inside a fault window.
    index($0, "rid=$hookline_request_id" q) { sub(/rid=\$hookline_request_id/, "rid=$hookline_request_id msec=$msec") }
    { print }' "$here/nginx.conf"
}

cmd_start() {
  local n="${1:-${NODES:-3}}" i
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 9 ] || { log "N must be 1..9"; exit 2; }
  if [ -f "$state" ]; then
    # shellcheck disable=SC1090
    . "$state"
    for i in $(seq 1 "$NODES"); do alive "$(pid_of "node$i")" && { log "a cluster already runs in $CLUSTER_DIR (deploy/cluster.sh stop first)"; exit 1; }; done
    alive "$(pid_of sink)" && { log "a cluster already runs in $CLUSTER_DIR (deploy/cluster.sh stop first)"; exit 1; }
  fi
  for t in java curl psql nginx; do
    command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || { log "$t is needed (nginx: apt-get install nginx-light)"; exit 1; }
  done
  local nginx_bin; nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
  rm -rf "$CLUSTER_DIR"; mkdir -p "$CLUSTER_DIR/nginx"
  local redis_url="${REDIS_URL:-redis://127.0.0.1:6379}" pg_url="${PG_URL:-postgresql://postgres@127.0.0.1:5432/test}"
  psql -qAt "$pg_url" -c 'SELECT 1' >/dev/null 2>&1 || { log "PostgreSQL does not answer at $pg_url"; exit 1; }
  local rhp="${redis_url#*://}"; rhp="${rhp##*@}"; rhp="${rhp%%/*}"
  answers "${rhp%:*}" "${rhp##*:}" || { log "Redis does not answer at $redis_url"; exit 1; }
  local jar="${HOOKLINE_JAR:-$root/target/hookline.jar}"
  if [ ! -f "$jar" ]; then log "building $jar"; (cd "$root" && mvn -q -B -DskipTests package); fi
  local stamp; stamp="$(date +%Y%m%d_%H%M%S)"
  {
    echo "NODES=$n"
    echo "JAR='$jar'"
    echo "REDIS_URL='$redis_url'"
    echo "PG_URL='$pg_url'"
    echo "SCHEMA=cluster_${stamp}_$$"
    echo "KEY_PREFIX='hookline-cluster:$stamp:$$:'"
    echo "SECRET=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    echo "NGINX_PORT=$(free_port)"
    echo "SINK_PORT=$(free_port)"
    for i in $(seq 1 "$n"); do
      echo "NODE${i}_HTTP=$(free_port)"; echo "NODE${i}_MGMT=$(free_port)"
      local own_pg="PG_URL_NODE$i"; echo "NODE${i}_PG_URL='${!own_pg:-$pg_url}'"
    done
  } > "$state"
  # shellcheck disable=SC1090
  . "$state"

  local host="${BIND_HOST-127.0.0.1}" hostkey=""
  [ -n "$host" ] && hostkey="host: $host, "
  for i in $(seq 1 "$n"); do
    {
      echo "# Generated by deploy/cluster.sh: node $i of $n."
      echo "http: { ${hostkey}port: $(eval echo "\$NODE${i}_HTTP"), trustedProxies: [\"127.0.0.1\"] }"
      echo "management: { ${hostkey}port: $(eval echo "\$NODE${i}_MGMT") }"
      echo "redis: { url: \"$REDIS_URL\", keyPrefix: \"$KEY_PREFIX\" }"
      echo "postgres: { url: \"$(eval echo "\$NODE${i}_PG_URL")\", schema: $SCHEMA }"
      echo "sources:"
      echo "  - id: gh"
      echo "    provider: github"
      echo "    secrets: [\"$SECRET\"]"
      echo "    destinations:"
      echo "      - url: http://127.0.0.1:$SINK_PORT/gh"
      [ -n "${DESTINATION_YAML_EXTRA:-}" ] && printf '%s\n' "$DESTINATION_YAML_EXTRA" | sed 's/^/        /'
      [ -n "${NODE_YAML_EXTRA:-}" ] && printf '%s\n' "$NODE_YAML_EXTRA"
    } > "$CLUSTER_DIR/node$i.yaml"
  done

  start_sink
  # The first node migrates the schema alone; the others start after it.
  start_node 1 || { cmd_stop; exit 1; }
  for i in $(seq 2 "$n"); do start_node "$i" || { cmd_stop; exit 1; }; done
  for i in $(seq 1 60); do curl -sf --max-time 2 "http://127.0.0.1:$SINK_PORT/_sink/stats" >/dev/null && break; sleep 0.5; done

  nginx_conf > "$CLUSTER_DIR/nginx.conf"
  "$nginx_bin" -p "$CLUSTER_DIR/nginx/" -c "$CLUSTER_DIR/nginx.conf" \
    -g "daemon on; pid $CLUSTER_DIR/nginx.pid; error_log $CLUSTER_DIR/nginx-error.log warn;" \
    || { log "nginx did not start (see $CLUSTER_DIR/nginx-error.log)"; cmd_stop; exit 1; }
  for i in $(seq 1 40); do answers 127.0.0.1 "$NGINX_PORT" && break; sleep 0.25; done
  log "nginx (pid $(pid_of nginx)) on http://127.0.0.1:$NGINX_PORT -> $n nodes; sink on 127.0.0.1:$SINK_PORT"
  cmd_status
}

start_sink() {
  nohup java -Xms64m -Xmx256m "$root/load-tests/tools/Sink.java" "$SINK_PORT" >> "$CLUSTER_DIR/sink.log" 2>&1 < /dev/null &
  echo $! > "$CLUSTER_DIR/sink.pid"
}

cmd_start_sink() {
  load_state
  alive "$(pid_of sink)" && { log "the sink already runs (pid $(pid_of sink))"; return 0; }
  start_sink
  for _ in $(seq 1 120); do
    curl -sf --max-time 2 "http://127.0.0.1:$SINK_PORT/_sink/stats" >/dev/null && { log "sink (pid $(pid_of sink)) answers on 127.0.0.1:$SINK_PORT"; return 0; }
    sleep 0.5
  done
  log "the sink did not answer in 60 s (see $CLUSTER_DIR/sink.log)"; return 1
}

cmd_status() {
  load_state
  local i
  echo "cluster in $CLUSTER_DIR: schema $SCHEMA, Redis prefix $KEY_PREFIX"
  echo "  nginx  pid $(pid_of nginx) $(alive "$(pid_of nginx)" && echo running || echo stopped)  http://127.0.0.1:$NGINX_PORT/webhooks/gh"
  echo "  sink   pid $(pid_of sink) $(alive "$(pid_of sink)" && echo running || echo stopped)  $(curl -s --max-time 2 "http://127.0.0.1:$SINK_PORT/_sink/stats" || echo)"
  for i in $(seq 1 "$NODES"); do
    local mp; mp="$(eval echo "\$NODE${i}_MGMT")"
    echo "  node$i  pid $(pid_of "node$i") $(alive "$(pid_of "node$i")" && echo running || echo stopped)  http 127.0.0.1:$(eval echo "\$NODE${i}_HTTP")  management 127.0.0.1:$mp  $(node_ready "$mp" && echo ready || echo "not ready")"
  done
  echo "  GitHub secret: $SECRET (source gh)"
}

cmd_stop() {
  load_state
  local i
  stop_pid "$(pid_of nginx)" 10 QUIT
  for i in $(seq 1 "$NODES"); do stop_pid "$(pid_of "node$i")" 40 TERM; done
  stop_pid "$(pid_of sink)" 5 TERM
  if [ -z "${KEEP:-}" ]; then
    psql -qAt "$PG_URL" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true
    if command -v redis-cli >/dev/null; then
      redis-cli -u "$REDIS_URL" --scan --pattern "$KEY_PREFIX*" 2>/dev/null | xargs -r -n 500 redis-cli -u "$REDIS_URL" DEL >/dev/null 2>&1 || true
    fi
    log "stopped; dropped schema $SCHEMA and its Redis keys (logs stay in $CLUSTER_DIR)"
  else
    log "stopped; kept schema $SCHEMA and Redis prefix $KEY_PREFIX"
  fi
  rm -f "$state"
}

cmd_kill_node() {
  load_state
  local i="${1:?node index}" p; p="$(pid_of "node$i")"
  alive "$p" || { log "node $i does not run"; return 1; }
  kill -KILL "$p"
  for _ in $(seq 1 40); do alive "$p" || break; sleep 0.25; done
  log "node $i (pid $p) killed with SIGKILL"
}

cmd_stop_node() {
  load_state
  local i="${1:?node index}" p; p="$(pid_of "node$i")"
  alive "$p" || { log "node $i does not run"; return 1; }
  stop_pid "$p" 60 TERM
  log "node $i (pid $p) stopped with SIGTERM"
}

cmd_env() {
  load_state
  cat "$state"
  echo "CLUSTER_DIR='$CLUSTER_DIR'"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  status) cmd_status ;;
  stop) cmd_stop ;;
  kill-node) shift; cmd_kill_node "$@" ;;
  start-node) shift; load_state; start_node "${1:?node index}" ;;
  stop-node) shift; cmd_stop_node "$@" ;;
  stop-sink) load_state; stop_pid "$(pid_of sink)" 5 TERM; log "sink stopped" ;;
  start-sink) cmd_start_sink ;;
  env) cmd_env ;;
  *) usage ;;
esac
