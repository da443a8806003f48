#!/usr/bin/env bash
# Makes this machine able to run the testbed: Docker Engine 29 (dockerd, containerd, runc built
# from their Go modules by engine/build-engine.sh) started as the ONLY engine and checked by
# engine/check-engine.sh, and the static busybox the stand-in images are assembled with.
# Needs root (apt-get, dockerd). All output goes to stderr.
#
# The engine runs from the cache dir build-engine.sh prints, as two detached processes:
#   containerd  --config /run/obs-stack-engine/containerd.toml   pid: /run/obs-stack-engine/containerd.pid
#   dockerd     --config-file /run/obs-stack-engine/daemon.json  pid: /var/run/docker.pid
# with PATH=<cache dir>:... so they find runc, containerd-shim-runc-v2 and docker-proxy there.
# Logs: /var/log/obs-stack-containerd.log, /var/log/obs-stack-dockerd.log.
# A running engine that already is this one is kept; any other dockerd/containerd is stopped.
#
# Environment:
#   OBS_ENGINE_STORAGE_DRIVER  force a storage driver (default: overlay2 if an overlay mount
#                              works on /var/lib/docker's filesystem, else fuse-overlayfs if
#                              installed, else vfs)
set -euo pipefail
started=$SECONDS
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_DIR=/run/obs-stack-engine
CONTAINERD_SOCK=/run/containerd/containerd.sock
DOCKER_SOCK=/var/run/docker.sock
DOCKER_PID=/var/run/docker.pid
DATA_ROOT=/var/lib/docker
CONTAINERD_LOG=/var/log/obs-stack-containerd.log
DOCKERD_LOG=/var/log/obs-stack-dockerd.log
# This script's own docker commands go to the engine it manages, whatever the caller's context.
export DOCKER_HOST="unix://$DOCKER_SOCK"
unset DOCKER_CONTEXT

log() { printf '[host-setup] %s\n' "$*" >&2; }
die() { printf '[host-setup] ERROR: %s\n' "$*" >&2; exit 1; }

# --- Debian packages ---------------------------------------------------------------------------
# No docker.io: it would bring dockerd 20.10, containerd 1.6 and runc 1.1 (bookworm has no
# separate docker-cli package). The docker CLI comes from the engine build when it is missing.
need=()
command -v iptables >/dev/null 2>&1 || need+=(iptables)
[ -f /usr/include/seccomp.h ] || need+=(libseccomp-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v gcc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v jq >/dev/null 2>&1 || need+=(jq)
command -v flock >/dev/null 2>&1 || need+=(util-linux)
[ -x /bin/busybox ] || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
  log "installing: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

# --- the engine binaries -----------------------------------------------------------------------
t=$SECONDS
ENGINE_DIR="$(bash "$HERE/engine/build-engine.sh" | tail -n 1)"
[ -x "$ENGINE_DIR/dockerd" ] || die "build-engine.sh gave no engine dir"
ENGINE_VERSION="$(cat "$ENGINE_DIR/ENGINE_VERSION")"
log "engine binaries ($((SECONDS - t))s): $ENGINE_DIR (Docker $ENGINE_VERSION)"
ENGINE_PATH="$ENGINE_DIR:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

if ! command -v docker >/dev/null 2>&1; then
  # The CLI of the same release, built with the engine: better than Debian's 20.10 client.
  ln -sf "$ENGINE_DIR/docker" /usr/local/bin/docker
  log "no docker CLI on PATH: linked /usr/local/bin/docker -> $ENGINE_DIR/docker"
fi

# --- cgroups -------------------------------------------------------------------------------------
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  log "cgroup v2 (unified) at /sys/fs/cgroup"
elif [ -d /sys/fs/cgroup/memory ] && [ -d /sys/fs/cgroup/pids ] && [ -d /sys/fs/cgroup/devices ]; then
  # Engine 29 still runs on v1 (with a deprecation warning; removal planned by May 2029).
  log "cgroup v1 hierarchies at /sys/fs/cgroup ($(cd /sys/fs/cgroup && ls -d -- */ | tr -d / | tr '\n' ' '))"
else
  die "no usable cgroup mount at /sys/fs/cgroup (neither cgroup2 nor v1 memory/pids/devices); mount one first"
fi

# --- stop every other engine ---------------------------------------------------------------------
# Prints the pids of processes whose command name is exactly $1.
pids_named() {
  local p
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = "$1" ] && printf '%s\n' "${p#/proc/}"
  done
  return 0
}
is_ours() { [ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$ENGINE_DIR/$2" ]; }
stop_pid() {
  local pid="$1" what="$2"
  log "stopping $what (pid $pid, $(readlink "/proc/$pid/exe" 2>/dev/null || echo '?'))"
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  log "$what (pid $pid) ignored SIGTERM for 30s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 1
}

# Concurrent runs (several test sessions on one machine) must not stop or start daemons under
# each other: the second one waits, then finds the engine running and keeps it.
mkdir -p "$RUN_DIR"
exec 8>"$RUN_DIR/host-setup.lock"
flock -w 300 8 || die "another host-setup.sh held $RUN_DIR/host-setup.lock for 5 minutes"

if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  # A packaged engine under systemd would be restarted (or socket-activated) behind our back.
  for unit in docker.socket docker.service containerd.service; do
    if systemctl is-active --quiet "$unit" 2>/dev/null; then
      log "stopping systemd unit $unit"
      systemctl stop "$unit" || true
    fi
  done
fi

keep_dockerd="" keep_containerd=""
for pid in $(pids_named dockerd); do
  if is_ours "$pid" dockerd && [ -z "$keep_dockerd" ]; then keep_dockerd="$pid"; else stop_pid "$pid" dockerd; fi
done
for pid in $(pids_named containerd); do
  if is_ours "$pid" containerd && [ -z "$keep_containerd" ]; then keep_containerd="$pid"; else
    # Our dockerd talks to this containerd only; a foreign one goes, and so must our dockerd.
    stop_pid "$pid" containerd
    if [ -n "$keep_dockerd" ]; then stop_pid "$keep_dockerd" dockerd; keep_dockerd=""; fi
  fi
done
# Old docker.io releases ran their own "docker-containerd".
for pid in $(pids_named docker-containe); do stop_pid "$pid" docker-containerd; done
if [ -n "$keep_dockerd" ] && [ -z "$keep_containerd" ]; then stop_pid "$keep_dockerd" dockerd; keep_dockerd=""; fi
if [ -n "$keep_dockerd" ] && ! docker info >/dev/null 2>&1; then
  stop_pid "$keep_dockerd" "dockerd (not answering)"
  keep_dockerd=""
fi

# --- start containerd and dockerd (fd 8, the lock, is not passed on to them) -----------------------
if [ -z "$keep_containerd" ]; then
  rm -f "$RUN_DIR/containerd.pid"
  # Our own config, so a packaged /etc/containerd/config.toml (e.g. disabling plugins) is ignored.
  printf 'version = 4\n' >"$RUN_DIR/containerd.toml"
  log "starting containerd from $ENGINE_DIR (log: $CONTAINERD_LOG)"
  PATH="$ENGINE_PATH" setsid nohup "$ENGINE_DIR/containerd" --config "$RUN_DIR/containerd.toml" \
    --address "$CONTAINERD_SOCK" </dev/null >"$CONTAINERD_LOG" 2>&1 8>&- &
  echo $! >"$RUN_DIR/containerd.pid"
  for _ in $(seq 1 60); do
    [ -S "$CONTAINERD_SOCK" ] && grep -q 'containerd successfully booted' "$CONTAINERD_LOG" && break
    kill -0 "$(cat "$RUN_DIR/containerd.pid")" 2>/dev/null || { tail -n 20 "$CONTAINERD_LOG" >&2; die "containerd exited; see $CONTAINERD_LOG"; }
    sleep 0.5
  done
  [ -S "$CONTAINERD_SOCK" ] || die "containerd did not open $CONTAINERD_SOCK; see $CONTAINERD_LOG"
else
  echo "$keep_containerd" >"$RUN_DIR/containerd.pid"
  log "containerd from $ENGINE_DIR already running (pid $keep_containerd)"
fi

# overlay2 when the kernel lets us mount an overlay on the data root's filesystem (not the case
# on an overlay or some network filesystems), else fuse-overlayfs if installed, else vfs.
storage_driver() {
  if [ -n "${OBS_ENGINE_STORAGE_DRIVER:-}" ]; then echo "$OBS_ENGINE_STORAGE_DRIVER"; return; fi
  mkdir -p "$DATA_ROOT"
  local probe
  probe="$(mktemp -d "$DATA_ROOT/.overlay-probe.XXXXXX")"
  mkdir -p "$probe/lower" "$probe/upper" "$probe/work" "$probe/merged"
  echo lower >"$probe/lower/f"
  local driver=vfs
  if mount -t overlay overlay -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" "$probe/merged" 2>/dev/null; then
    echo upper >"$probe/merged/f" 2>/dev/null && [ "$(cat "$probe/upper/f" 2>/dev/null)" = upper ] && driver=overlay2
    umount "$probe/merged" || true
  elif command -v fuse-overlayfs >/dev/null 2>&1 && [ -e /dev/fuse ]; then
    driver=fuse-overlayfs
  fi
  rm -rf "$probe"
  echo "$driver"
}

if [ -z "$keep_dockerd" ]; then
  driver="$(storage_driver)"
  rm -f "$DOCKER_PID" # stale after an unclean stop; dockerd refuses to start over it
  # The classic graph driver (what an upgraded install runs) rather than the containerd image
  # store that fresh Engine 29 installs default to: asked for explicitly, so the testbed does not
  # depend on which default a future engine picks.
  cat >"$RUN_DIR/daemon.json" <<EOF
{
  "storage-driver": "$driver",
  "features": { "containerd-snapshotter": false },
  "userland-proxy-path": "$ENGINE_DIR/docker-proxy",
  "pidfile": "$DOCKER_PID",
  "data-root": "$DATA_ROOT"
}
EOF
  log "starting dockerd $ENGINE_VERSION (storage driver $driver; log: $DOCKERD_LOG)"
  PATH="$ENGINE_PATH" setsid nohup "$ENGINE_DIR/dockerd" --config-file "$RUN_DIR/daemon.json" \
    --containerd "$CONTAINERD_SOCK" -H "unix://$DOCKER_SOCK" </dev/null >"$DOCKERD_LOG" 2>&1 8>&- &
  dockerd_pid=$!
  for _ in $(seq 1 120); do
    docker info >/dev/null 2>&1 && break
    kill -0 "$dockerd_pid" 2>/dev/null || { tail -n 20 "$DOCKERD_LOG" >&2; die "dockerd exited; see $DOCKERD_LOG"; }
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || die "dockerd did not answer within 60s; see $DOCKERD_LOG"
  # Its start-up warnings, once each (cgroup v1 deprecation, no docker-init, no fsverity, ...).
  sed -n 's/.*level=warning msg="\([^"]*\)".*/\1/p' "$DOCKERD_LOG" | sort -u | sed 's/^/[host-setup] dockerd warning: /' >&2 || true
else
  log "dockerd from $ENGINE_DIR already running (pid $keep_dockerd)"
fi

server="$(docker version --format '{{.Server.Version}}')"
[ "$server" = "$ENGINE_VERSION" ] || die "the engine answering is Docker $server, not $ENGINE_VERSION"

flock -u 8

# --- prove it works ------------------------------------------------------------------------------
bash "$HERE/engine/check-engine.sh"
log "engine ready in $((SECONDS - started))s"
docker version --format 'Docker engine {{.Server.Version}} (API {{.Server.APIVersion}})' >&2
