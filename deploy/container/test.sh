#!/usr/bin/env bash
# Builds deploy/container/Containerfile with podman and checks the image for real: the container
# starts (non-root), /health/live and /health/ready answer 200, a GitHub-signed webhook sent to it is
# acknowledged and stored in PostgreSQL, the HEALTHCHECK passes, and `podman stop` (SIGTERM) drains
# and exits cleanly. Then the Kubernetes manifests are validated (deploy/k8s/validate.mjs).
#
#   deploy/container/test.sh
#
# No registry is reachable here, so the base image is made locally when missing (BASE_IMAGE, default
# localhost/hookline-base:bookworm-jre17): debootstrap --variant=minbase bookworm with
# openjdk-17-jre-headless, imported with podman import (about 5 minutes; root and the Debian mirror
# needed). It is both build and runtime image; the jar is built on the host (target/hookline.jar,
# mvn package when missing), so the build stage runs no Maven. podman runs only with runc and lowered
# ulimits on this machine (TOOLCHAIN.md). The container uses the host network and the machine's Redis
# and PostgreSQL (its own schema and key prefix, dropped after). Not run by .ci/run (several minutes
# with the base image to make). Exit status 1 when a check fails.
# Environment: BASE_IMAGE, IMAGE (localhost/hookline:test), REDIS_URL (redis://127.0.0.1:6379),
#   PG_URL (postgresql://postgres@127.0.0.1:5432/test), SKIP_K8S=1 (no manifest validation).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"; root="$(cd "$here/../.." && pwd)"
BASE_IMAGE="${BASE_IMAGE:-localhost/hookline-base:bookworm-jre17}"; IMAGE="${IMAGE:-localhost/hookline:test}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"; PG_URL="${PG_URL:-postgresql://postgres@127.0.0.1:5432/test}"
PODMAN=(podman --runtime runc)
LIMITS=(--ulimit nofile=20000:20000 --ulimit nproc=32768:32768)
log() { echo "[container-test] $*" >&2; }
rc=0
check() { if [ "$1" = 1 ]; then echo "ok:   $2"; else echo "FAIL: $2"; rc=1; fi; }
answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
free_port() { local p; for _ in $(seq 1 100); do p=$(( 20000 + RANDOM % 12000 )); answers 127.0.0.1 "$p" || { echo "$p"; return; }; done; return 1; }
for t in podman runc curl openssl psql; do command -v "$t" >/dev/null || { log "$t is needed (apt-get install podman runc debootstrap)"; exit 1; }; done

work="$(mktemp -d /tmp/hookline-container-test.XXXXXX)"
name="hookline-test-$$"; schema="container_test_$$_$(date +%s)"; prefix="hookline-container-test:$$:"
cleanup() {
  set +e
  "${PODMAN[@]}" rm -f -t 5 "$name" >/dev/null 2>&1
  psql -qAt "$PG_URL" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1
  redis-cli -u "$REDIS_URL" --scan --pattern "$prefix*" 2>/dev/null | xargs -r redis-cli -u "$REDIS_URL" DEL >/dev/null 2>&1
  [ -d "$work/rootfs" ] && rm -rf "$work/rootfs"
  log "logs in $work"
}
trap cleanup EXIT

# ---- base image ----
if ! "${PODMAN[@]}" image exists "$BASE_IMAGE"; then
  command -v debootstrap >/dev/null || { log "debootstrap is needed to make $BASE_IMAGE"; exit 1; }
  log "making $BASE_IMAGE: debootstrap bookworm + openjdk-17-jre-headless (a few minutes)"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$work/rootfs" http://deb.debian.org/debian \
    > "$work/debootstrap.log" 2>&1 || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  tar -C "$work/rootfs" -c . | "${PODMAN[@]}" import - "$BASE_IMAGE" > /dev/null
fi

# ---- image ----
[ -f "$root/target/hookline.jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
log "building $IMAGE"
t0=$(date +%s)
"${PODMAN[@]}" build "${LIMITS[@]}" --format docker -f "$here/Containerfile" --build-arg BASE_IMAGE="$BASE_IMAGE" \
  --build-arg BUILD_IMAGE="$BASE_IMAGE" -t "$IMAGE" "$root" > "$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; exit 1; }
log "built in $(( $(date +%s) - t0 )) s"
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
  -e GITHUB_SECRET="$secret" "$IMAGE" > /dev/null
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

# ---- SIGTERM drains ----
t0=$(date +%s%3N)
"${PODMAN[@]}" stop -t 40 "$name" > /dev/null
stop_ms=$(( $(date +%s%3N) - t0 ))
code="$("${PODMAN[@]}" inspect --format '{{.State.ExitCode}}' "$name")"
"${PODMAN[@]}" logs "$name" > "$work/node.log" 2>&1 || true
drained=0; grep -q 'drained: no webhook in flight' "$work/node.log" && grep -q 'stopped after' "$work/node.log" && drained=1
check "$drained" "podman stop (SIGTERM) drained the node in ${stop_ms} ms (exit code $code)"
# 143 = 128 + SIGTERM: how a JVM ends after its shutdown hooks ran on SIGTERM.
check "$([ "$code" = 0 ] || [ "$code" = 143 ] && echo 1)" "clean exit ($code)"

# ---- Kubernetes manifests ----
if [ -z "${SKIP_K8S:-}" ]; then
  if command -v node >/dev/null && command -v npm >/dev/null; then
    mods="$root/deploy/target/k8s-validate"
    [ -d "$mods/node_modules/kubernetes-models" ] || npm install --silent --no-audit --no-fund --prefix "$mods" kubernetes-models@5.1.0 js-yaml@4 > "$work/npm.log" 2>&1
    if NODE_PATH="$mods/node_modules" node "$root/deploy/k8s/validate.mjs" > "$work/k8s.txt" 2>&1; then k8s=1; else k8s=0; fi
    cat "$work/k8s.txt"
    check "$k8s" "Kubernetes manifests validate against kubernetes-models' schemas"
  else
    log "node/npm missing: manifests not validated"
  fi
fi
[ "$rc" = 0 ] && echo "RESULT: PASS" || echo "RESULT: FAIL"
exit "$rc"
