#!/usr/bin/env bash
# check-engine.sh - proves the running Docker engine can do what the testbed needs, with nothing
# pulled: a FROM scratch build from Debian's static busybox, name resolution on a user-defined
# bridge network, a port published on 127.0.0.1 reached from the host, a named volume outliving
# its container, a healthcheck turning healthy, and host.docker.internal:host-gateway.
#
#   test/testbed/engine/check-engine.sh        (exits non-zero on the first failure)
#
# Environment: DOCKER (default: docker), BUSYBOX (default: /bin/busybox, from busybox-static).
# Everything it creates is named obs-engine-check-<pid>* and removed on exit.
set -euo pipefail

DOCKER="${DOCKER:-docker}"
BUSYBOX="${BUSYBOX:-/bin/busybox}"
ID="obs-engine-check-$$"
IMAGE="$ID:busybox"
passed=0
host_httpd=""
ctx=""

log() { printf '[check-engine] %s\n' "$*" >&2; }
fail() { printf '[check-engine] FAIL: %s\n' "$*" >&2; exit 1; }
ok() { passed=$((passed + 1)); log "ok: $*"; }
d() { "$DOCKER" "$@"; }

cleanup() {
  local code=$?
  [ -z "$host_httpd" ] || kill "$host_httpd" 2>/dev/null || true
  [ -z "$ctx" ] || rm -rf "$ctx"
  d ps -aq --filter "name=^$ID" | xargs -r "$DOCKER" rm -f >/dev/null 2>&1 || true
  d network rm "$ID-net" >/dev/null 2>&1 || true
  d volume rm "$ID-vol" >/dev/null 2>&1 || true
  d image rm "$IMAGE" >/dev/null 2>&1 || true
  if [ "$code" -eq 0 ]; then log "all $passed checks passed"; else log "checks passed before the failure: $passed"; fi
  exit "$code"
}
trap cleanup EXIT

# Polls "$@" (a command) once a second, up to $1 seconds.
until_ok() {
  local seconds="$1"
  shift
  for _ in $(seq 1 "$seconds"); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 1
  done
  return 1
}

[ -x "$BUSYBOX" ] || fail "$BUSYBOX missing (apt-get install busybox-static)"
d info >/dev/null 2>&1 || fail "no Docker engine answers ($DOCKER info)"
version="$(d version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
log "engine: Docker $version; $(d info --format 'storage {{.Driver}}, cgroup v{{.CgroupVersion}} ({{.CgroupDriver}}), kernel {{.KernelVersion}}')"

# 1. docker build FROM scratch with the classic builder (BuildKit through the CLI needs the
#    buildx plugin, which the testbed does not have); RUN proves runc works inside a build too.
ctx="$(mktemp -d)"
cp "$BUSYBOX" "$ctx/busybox"
cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /www /data /tmp && echo engine-check-ok >/www/index.html
CMD ["/bin/sh"]
EOF
DOCKER_BUILDKIT=0 d build -q -t "$IMAGE" "$ctx" >/dev/null 2>"$ctx/build.err" || { cat "$ctx/build.err" >&2; fail "docker build FROM scratch"; }
[ "$(d run --rm "$IMAGE" cat /www/index.html)" = engine-check-ok ] || fail "container from the built image"
ok "docker build FROM scratch (DOCKER_BUILDKIT=0) and docker run"

# 2. user-defined bridge network: one container reaches another by its service name (alias),
#    through the embedded DNS server.
d network create "$ID-net" >/dev/null || fail "docker network create"
d run -d --name "$ID-web" --network "$ID-net" --network-alias web -p 127.0.0.1::8080 \
  "$IMAGE" httpd -f -p 8080 -h /www >/dev/null || fail "start the web container"
# (Debian's static busybox wget segfaults on -T in a root without the host's files; busybox's
# timeout applet bounds it instead.)
got=""
for _ in $(seq 1 15); do
  got="$(d run --rm --network "$ID-net" "$IMAGE" timeout 5 wget -q -O - http://web:8080/ 2>/dev/null)" && break
  sleep 1
done
[ "$got" = engine-check-ok ] || fail "container reaching http://web:8080/ by service name on a user-defined bridge (got '$got')"
ok "user-defined bridge network: reached the 'web' service by name"

# 3. a port published on 127.0.0.1 is reachable from the host.
hostport="$(d port "$ID-web" 8080/tcp | sed -n 's/^127\.0\.0\.1:\([0-9]*\)$/\1/p' | head -n1)"
[ -n "$hostport" ] || fail "no 127.0.0.1 port published for $ID-web (docker port: $(d port "$ID-web" 2>&1))"
until_ok 10 timeout 5 "$BUSYBOX" wget -q -O /dev/null "http://127.0.0.1:$hostport/" || fail "host reaching the published port 127.0.0.1:$hostport"
[ "$(timeout 5 "$BUSYBOX" wget -q -O - "http://127.0.0.1:$hostport/")" = engine-check-ok ] || fail "wrong answer on 127.0.0.1:$hostport"
ok "published port 127.0.0.1:$hostport reachable from the host"

# 4. a named volume survives the removal of the container that wrote it.
d volume create "$ID-vol" >/dev/null || fail "docker volume create"
d run --name "$ID-writer" -v "$ID-vol:/data" "$IMAGE" sh -c 'echo kept >/data/f' || fail "write to the named volume"
d rm "$ID-writer" >/dev/null || fail "remove the writer container"
[ "$(d run --rm -v "$ID-vol:/data" "$IMAGE" cat /data/f)" = kept ] || fail "named volume content after container removal"
ok "named volume survives container removal"

# 5. a healthcheck reaches healthy.
d run -d --name "$ID-health" --health-cmd 'test -f /tmp/ready' --health-interval 1s --health-timeout 2s \
  --health-retries 3 --health-start-period 1s "$IMAGE" sh -c 'sleep 2; touch /tmp/ready; sleep 300' >/dev/null \
  || fail "start the healthcheck container"
health_status() { d inspect -f '{{.State.Health.Status}}' "$ID-health"; }
until_ok 30 sh -c "[ \"\$($DOCKER inspect -f '{{.State.Health.Status}}' $ID-health)\" = healthy ]" \
  || fail "healthcheck did not turn healthy (status: $(health_status))"
ok "healthcheck turned healthy"

# 6. --add-host host.docker.internal:host-gateway resolves to the bridge gateway, and a server
#    on the host, listening on that gateway address, answers.
gateway="$(d network inspect bridge --format '{{range .IPAM.Config}}{{.Gateway}}{{end}}')"
[ -n "$gateway" ] || fail "default bridge has no gateway address"
hosts="$(d run --rm --add-host host.docker.internal:host-gateway "$IMAGE" cat /etc/hosts)"
awk -v ip="$gateway" '$1 == ip && $2 == "host.docker.internal" { found = 1 } END { exit !found }' <<<"$hosts" || fail "host.docker.internal is not $gateway in /etc/hosts: $hosts"
www="$ctx/www"
mkdir -p "$www"
echo host-gateway-ok >"$www/index.html"
port=""
for candidate in $(seq 41000 41020); do
  "$BUSYBOX" httpd -f -p "$gateway:$candidate" -h "$www" 2>/dev/null &
  host_httpd=$!
  sleep 0.3
  if kill -0 "$host_httpd" 2>/dev/null; then port="$candidate"; break; fi
  host_httpd=""
done
[ -n "$port" ] || fail "could not start a host httpd on $gateway"
got="$(d run --rm --add-host host.docker.internal:host-gateway "$IMAGE" timeout 5 wget -q -O - "http://host.docker.internal:$port/" 2>&1)" \
  || fail "container reaching the host at host.docker.internal:$port: $got"
[ "$got" = host-gateway-ok ] || fail "wrong answer from host.docker.internal:$port: $got"
ok "--add-host host.docker.internal:host-gateway reaches the host ($gateway)"

log "Docker engine $version"
