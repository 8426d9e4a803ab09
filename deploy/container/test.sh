#!/usr/bin/env bash
# Builds deploy/container/Containerfile with podman and checks the image for real: the container
# starts (non-root), /health/live and /health/ready answer 200, a GitHub-signed webhook sent to it is
# acknowledged and stored in PostgreSQL, the HEALTHCHECK passes, and `podman stop` (SIGTERM) with
# signed webhooks arriving drains (every 200 stored, 503s with Retry-After) and exits cleanly. Then the
# Kubernetes manifests are validated (deploy/k8s/validate.mjs), and a broken one must be refused.
#
#   deploy/container/test.sh                        (jar built on the host)
#   BUILD_IN_CONTAINER=1 deploy/container/test.sh   (Maven in the Containerfile's build stage)
#
# No registry is reachable here, so the base image is made locally when missing (BASE_IMAGE, default
# localhost/hookline-base:bookworm-jre17): debootstrap --variant=minbase bookworm with
# openjdk-17-jre-headless, imported with podman import (about 5 minutes; root and the Debian mirror
# needed). By default it is both build and runtime image and the jar is built on the host
# (target/hookline.jar, mvn package when missing or older than pom.xml or src/main), so the build stage
# runs no Maven. With BUILD_IN_CONTAINER=1 the build stage runs Maven: BUILD_IMAGE (default
# localhost/hookline-build:bookworm-jdk17-maven, made when missing: BASE_IMAGE + Debian's
# openjdk-17-jdk-headless and maven, ~1 minute) runs `mvn package` on pom.xml and src/main, with the
# host's ~/.m2 mounted as an overlay (read from, never written to; what is missing comes from Maven
# Central, reachable from a build container here). podman runs only with runc and lowered
# ulimits on this machine (TOOLCHAIN.md). The container uses the host network and the machine's Redis
# and PostgreSQL (its own schema and key prefix, dropped after). Run by .ci/run after the drills
# (host jar; the base image made the first time on a machine). Exit status 1 when a check fails.
# Environment: BASE_IMAGE, IMAGE (localhost/hookline:test), REDIS_URL (redis://127.0.0.1:6379),
#   PG_URL (postgresql://postgres@127.0.0.1:5432/test), SKIP_K8S=1 (no manifest validation),
#   BUILD_IN_CONTAINER=1 (Maven in the build stage), BUILD_IMAGE, M2_REPO_DIR (~/.m2).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"; root="$(cd "$here/../.." && pwd)"
BASE_IMAGE="${BASE_IMAGE:-localhost/hookline-base:bookworm-jre17}"; IMAGE="${IMAGE:-localhost/hookline:test}"
BUILD_IMAGE="${BUILD_IMAGE:-localhost/hookline-build:bookworm-jdk17-maven}"; M2_REPO_DIR="${M2_REPO_DIR:-$HOME/.m2}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"; PG_URL="${PG_URL:-postgresql://postgres@127.0.0.1:5432/test}"
PODMAN=(podman --runtime runc)
LIMITS=(--ulimit nofile=20000:20000 --ulimit nproc=32768:32768)
log() { echo "[container-test] $*" >&2; }
rc=0
check() { if [ "$1" = 1 ]; then echo "ok:   $2"; else echo "FAIL: $2"; rc=1; fi; }
since() { echo $(( $(date +%s) - $1 )); }
answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
free_port() { local p; for _ in $(seq 1 100); do p=$(( 20000 + RANDOM % 12000 )); answers 127.0.0.1 "$p" || { echo "$p"; return; }; done; return 1; }
for t in podman runc curl openssl psql; do command -v "$t" >/dev/null || { log "$t is needed (apt-get install podman runc debootstrap)"; exit 1; }; done

work="$(mktemp -d /tmp/hookline-container-test.XXXXXX)"
name="hookline-test-$$"; schema="container_test_$$_$(date +%s)"; prefix="hookline-container-test:$$:"
cleanup() {
  set +e
  touch "$work/stop-sending"   # ends the drain check's sender, if the script stopped before it did
  "${PODMAN[@]}" rm -f -t 5 "$name" >/dev/null 2>&1
  psql -qAt "$PG_URL" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1
  redis-cli -u "$REDIS_URL" --scan --pattern "$prefix*" 2>/dev/null | xargs -r redis-cli -u "$REDIS_URL" DEL >/dev/null 2>&1
  [ -d "$work/rootfs" ] && rm -rf "$work/rootfs"
  log "logs in $work"
}
trap cleanup EXIT

# ---- base image ----
t0=$(date +%s)
if ! "${PODMAN[@]}" image exists "$BASE_IMAGE"; then
  command -v debootstrap >/dev/null || { log "debootstrap is needed to make $BASE_IMAGE"; exit 1; }
  log "making $BASE_IMAGE: debootstrap bookworm + openjdk-17-jre-headless (a few minutes)"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$work/rootfs" http://deb.debian.org/debian \
    > "$work/debootstrap.log" 2>&1 || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  tar -C "$work/rootfs" -c . | "${PODMAN[@]}" import - "$BASE_IMAGE" > /dev/null
  log "made $BASE_IMAGE in $(since "$t0") s"
fi

# ---- image ----
build_args=(--build-arg BASE_IMAGE="$BASE_IMAGE")
if [ -n "${BUILD_IN_CONTAINER:-}" ]; then
  t0=$(date +%s)
  if ! "${PODMAN[@]}" image exists "$BUILD_IMAGE"; then
    log "making $BUILD_IMAGE: $BASE_IMAGE + openjdk-17-jdk-headless and maven from Debian"
    printf '%s\n' 'ARG BASE_IMAGE' 'FROM ${BASE_IMAGE}' \
      'RUN apt-get update -q && apt-get install -y -q --no-install-recommends openjdk-17-jdk-headless maven && rm -rf /var/lib/apt/lists/*' \
      > "$work/build-image.Containerfile"
    "${PODMAN[@]}" build "${LIMITS[@]}" -f "$work/build-image.Containerfile" --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$BUILD_IMAGE" "$work" \
      > "$work/build-image.log" 2>&1 || { tail -n 30 "$work/build-image.log" >&2; exit 1; }
    log "made $BUILD_IMAGE in $(since "$t0") s"
  fi
  # The jar in the context (if any) is ignored: MAVEN_PACKAGE=always. :O = overlay, ~/.m2 stays untouched.
  build_args+=(--build-arg BUILD_IMAGE="$BUILD_IMAGE" --build-arg MAVEN_PACKAGE=always -v "$M2_REPO_DIR:/root/.m2:O")
else
  jar="$root/target/hookline.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$root/pom.xml" "$root/src/main" -newer "$jar" -print -quit)" ]; then
    log "building $jar on the host (mvn package)"; t0=$(date +%s)
    (cd "$root" && mvn -q -B -DskipTests package)
    log "jar built in $(since "$t0") s"
  fi
  build_args+=(--build-arg BUILD_IMAGE="$BASE_IMAGE")
fi
log "building $IMAGE${BUILD_IN_CONTAINER:+ (Maven in the build stage)}"
t0=$(date +%s); previous="$("${PODMAN[@]}" image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
# --layers=false: no cached intermediate images (the jar changes on every build; each would be ~0.7-1 GB).
"${PODMAN[@]}" build "${LIMITS[@]}" --layers=false --format docker -f "$here/Containerfile" "${build_args[@]}" -t "$IMAGE" "$root" \
  > "$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; exit 1; }
[ -n "$previous" ] && "${PODMAN[@]}" rmi "$previous" > /dev/null 2>&1 || true   # the image this one replaced, if unused
log "built in $(since "$t0") s, $(( $("${PODMAN[@]}" image inspect --format '{{.Size}}' "$IMAGE") / 1000000 )) MB"
user="$("${PODMAN[@]}" image inspect --format '{{.Config.User}}' "$IMAGE")"
check "$([ "$user" = "10001:0" ] && echo 1)" "image runs as a non-root user ($user)"
hc="$("${PODMAN[@]}" image inspect --format '{{json .Config.Healthcheck}}' "$IMAGE" 2>/dev/null || echo null)"
check "$([[ "$hc" == *health/live* ]] && echo 1)" "image has a HEALTHCHECK on /health/live"

# ---- run it: config file mounted, secrets and services from HOOKLINE_* / ${VAR} environment ----
http_port="$(free_port)"; mgmt_port="$(free_port)"
secret="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
mkdir -p "$work/etc"
cat > "$work/etc/hookline.yaml" <<YAML
http: { host: 127.0.0.1, warmupSeconds: 2 }
management: { host: 127.0.0.1 }
postgres: { schema: $schema }
sources:
  - id: gh
    provider: github
    secrets: ["\${GITHUB_SECRET}"]
YAML
chmod -R a+rX "$work/etc"
"${PODMAN[@]}" run -d --name "$name" --network host "${LIMITS[@]}" \
  -v "$work/etc:/etc/hookline:ro,Z" \
  -e HOOKLINE_HTTP_PORT="$http_port" -e HOOKLINE_MANAGEMENT_PORT="$mgmt_port" \
  -e HOOKLINE_REDIS_URL="$REDIS_URL" -e HOOKLINE_REDIS_KEY_PREFIX="$prefix" -e HOOKLINE_POSTGRES_URL="$PG_URL" \
  -e GITHUB_SECRET="$secret" "$IMAGE" > /dev/null 2>> "$work/podman.log" || { cat "$work/podman.log" >&2; exit 1; }
t0=$(date +%s%3N); live=0; ready=0
for _ in $(seq 1 600); do
  curl -sf --max-time 2 "http://127.0.0.1:$mgmt_port/health/ready" >/dev/null 2>&1 && { ready=1; break; }
  [ "$("${PODMAN[@]}" inspect --format '{{.State.Running}}' "$name")" = true ] || break
  sleep 0.2
done
ready_ms=$(( $(date +%s%3N) - t0 ))
curl -sf --max-time 2 "http://127.0.0.1:$mgmt_port/health/live" >/dev/null 2>&1 && live=1
"${PODMAN[@]}" logs "$name" > "$work/node.log" 2>&1 || true
check "$live" "GET /health/live = 200"
check "$ready" "GET /health/ready = 200 (${ready_ms} ms after podman run, warm-up included)"
uid="$("${PODMAN[@]}" exec "$name" id -u 2>/dev/null || echo '?')"
check "$([ "$uid" = 10001 ] && echo 1)" "the node runs as uid $uid"

body='{"zen":"Design for failure.","hook_id":1}'
sig="$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)"
answer="$(curl -s --max-time 10 -o "$work/answer.json" -w '%{http_code}' -X POST "http://127.0.0.1:$http_port/webhooks/gh" \
  -H 'Content-Type: application/json' -H 'X-GitHub-Event: ping' -H "X-GitHub-Delivery: container-test-$$" \
  -H "X-Hub-Signature-256: sha256=$sig" --data-binary "$body" || echo 000)"
check "$([ "$answer" = 200 ] && echo 1)" "signed webhook through the container: $answer $(cat "$work/answer.json" 2>/dev/null)"
stored="$(psql -qAt "$PG_URL" -c "SELECT count(*) FROM $schema.events WHERE provider_event_id = 'container-test-$$'" 2>/dev/null || echo 0)"
check "$([ "$stored" = 1 ] && echo 1)" "the event is stored in PostgreSQL ($stored row)"
wrong="$(printf '%s' "$body" | openssl dgst -sha256 -hmac "not-the-secret" -r | cut -d' ' -f1)"
forged="$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$http_port/webhooks/gh" \
  -H 'X-GitHub-Event: ping' -H 'X-GitHub-Delivery: forged' -H "X-Hub-Signature-256: sha256=$wrong" --data-binary "$body" || echo 000)"
check "$([ "$forged" = 401 ] && echo 1)" "a forged signature is refused ($forged)"
health="$("${PODMAN[@]}" healthcheck run "$name" >/dev/null 2>&1 && echo healthy || echo unhealthy)"
check "$([ "$health" = healthy ] && echo 1)" "podman healthcheck run: $health"

# ---- SIGTERM drains, with signed webhooks arriving ----
# One sender, one request at a time, until the node is gone: each line "delivery-id status retry-after?".
# It waits what a 503's Retry-After says, as senders should (the node stays up answering 503 until
# senders are quiet for http.drainQuiet; one that retries at once keeps it up to delivery.drainTimeout).
send_during_stop() {
  local i=0 id status retry
  while [ ! -e "$work/stop-sending" ]; do
    i=$((i + 1)); id="container-drain-$$-$i"; rm -f "$work/drain-headers"
    status="$(curl -s --max-time 10 -o /dev/null -D "$work/drain-headers" -w '%{http_code}' -X POST "http://127.0.0.1:$http_port/webhooks/gh" \
      -H 'Content-Type: application/json' -H 'X-GitHub-Event: ping' -H "X-GitHub-Delivery: $id" \
      -H "X-Hub-Signature-256: sha256=$sig" --data-binary "$body" || true)"
    retry="$(awk -F': *' 'tolower($1) == "retry-after" { print $2 + 0 }' "$work/drain-headers" 2>/dev/null || true)"
    echo "$id ${status:-000} ${retry:-0}" >> "$work/drain.txt"
    if [ "${status:-000}" = 503 ] && [ -n "$retry" ]; then sleep "$(( retry > 5 ? 5 : retry ))"; fi
    [ "${status:-000}" = 000 ] && sleep 0.05
  done
}
: > "$work/drain.txt"; send_during_stop & sender=$!
for _ in $(seq 1 100); do [ "$(grep -c ' 200 ' "$work/drain.txt")" -ge 5 ] && break; sleep 0.1; done   # traffic flowing first
t0=$(date +%s%3N)
"${PODMAN[@]}" stop -t 40 "$name" > /dev/null 2>> "$work/podman.log"
stop_ms=$(( $(date +%s%3N) - t0 ))
touch "$work/stop-sending"; wait "$sender" || true
acked="$(awk '$2 == 200 { print $1 }' "$work/drain.txt")"; n_acked="$(printf '%s' "$acked" | grep -c . || true)"
n_503="$(awk '$2 == 503' "$work/drain.txt" | wc -l)"; n_503_retry="$(awk '$2 == 503 && $3 > 0' "$work/drain.txt" | wc -l)"
n_refused="$(awk '$2 == "000"' "$work/drain.txt" | wc -l)"; n_other="$(awk '$2 != 200 && $2 != 503 && $2 != "000"' "$work/drain.txt" | wc -l)"
stored_acked="$(psql -qAt "$PG_URL" -c "SELECT count(*) FROM $schema.events WHERE provider_event_id IN ($(printf "'%s'," $acked | sed 's/,$//'))" 2>/dev/null || echo 0)"
check "$([ "$n_acked" -ge 5 ] && [ "$stored_acked" = "$n_acked" ] && [ "$n_other" = 0 ] && [ "$n_503" = "$n_503_retry" ] && echo 1)" \
  "webhooks during the stop: $n_acked acknowledged (all $stored_acked stored), $n_503 answered 503 with Retry-After, $n_refused refused once the listener closed, $n_other other"
code="$("${PODMAN[@]}" inspect --format '{{.State.ExitCode}}' "$name")"
"${PODMAN[@]}" logs "$name" > "$work/node.log" 2>&1 || true
# Only what follows the SIGTERM line counts: the warm-up's scratch node logs its own drain before.
sed -n '/SIGTERM\/shutdown: draining node/,$p' "$work/node.log" > "$work/after-sigterm.log"
drained=0; grep -q 'drained: no webhook in flight' "$work/after-sigterm.log" && grep -q 'stopped after' "$work/after-sigterm.log" && drained=1
check "$drained" "podman stop (SIGTERM) drained the node in ${stop_ms} ms (exit code $code)"
# 143 = 128 + SIGTERM: how a JVM ends after its shutdown hooks ran on SIGTERM.
check "$([ "$code" = 0 ] || [ "$code" = 143 ] && echo 1)" "clean exit ($code)"

# ---- Kubernetes manifests ----
if [ -z "${SKIP_K8S:-}" ]; then
  if command -v node >/dev/null && command -v npm >/dev/null; then
    mods="$root/deploy/target/k8s-validate"
    [ -d "$mods/node_modules/kubernetes-models" ] || npm install --silent --no-audit --no-fund --prefix "$mods" kubernetes-models@5.1.0 js-yaml@4 > "$work/npm.log" 2>&1
    models="$(node -p "require('$mods/node_modules/kubernetes-models/package.json').version" 2>/dev/null || echo missing)"
    if NODE_PATH="$mods/node_modules" node "$root/deploy/k8s/validate.mjs" > "$work/k8s.txt" 2>&1; then k8s=1; else k8s=0; fi
    cat "$work/k8s.txt"
    check "$k8s" "Kubernetes manifests validate against the schemas of kubernetes-models $models"
    # The validator must have teeth: a manifest with three mistakes is refused, each one named.
    cat > "$work/broken.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: { name: broken }
spec:
  replicas: "three"
  selector: { matchLabels: { app: broken } }
  template:
    metadata: { labels: { app: broken } }
    spec:
      containers:
        - image: localhost/hookline:test
          lifecycle: { preStop: { sleep: { seconds: "5" } } }
YAML
    refused=0
    if ! NODE_PATH="$mods/node_modules" node "$root/deploy/k8s/validate.mjs" "$work/broken.yaml" > "$work/k8s-broken.txt" 2>&1 \
      && [ "$(grep -oE -e 'replicas must be integer' -e "required property '?name" -e 'seconds must be integer' "$work/k8s-broken.txt" | wc -l)" = 3 ]; then
      refused=1
    fi
    check "$refused" "a broken manifest is refused: $(head -n 1 "$work/k8s-broken.txt")"
  else
    log "node/npm missing: manifests not validated"
  fi
fi
[ "$rc" = 0 ] && echo "RESULT: PASS" || echo "RESULT: FAIL"
exit "$rc"
