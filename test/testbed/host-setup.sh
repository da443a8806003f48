#!/usr/bin/env bash
# Makes this machine able to run the testbed: the Docker engine (started if none answers) and the
# static busybox/bash the stand-in images are assembled with. Needs root for apt-get and dockerd.
set -euo pipefail

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
[ -x /bin/busybox ] || need+=(busybox-static)
[ -x /bin/bash-static ] || need+=(bash-static)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi

if ! docker info >/dev/null 2>&1; then
  echo "starting dockerd" >&2
  # A stale pid file from a previous session stops the daemon from starting.
  rm -f /var/run/docker.pid
  nohup dockerd >/var/log/obs-stack-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start; see /var/log/obs-stack-dockerd.log" >&2; exit 1; }
fi
docker version --format 'Docker engine {{.Server.Version}} (API {{.Server.APIVersion}})' >&2
