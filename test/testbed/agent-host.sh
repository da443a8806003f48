#!/usr/bin/env bash
# agent-host.sh - a second "machine" on this host for the agent e2e tests: a network namespace
# joined to the host by one veth pair, with its own Docker engine (containerd + dockerd) inside.
# From the namespace only ports the central engine publishes on the host end of the veth
# (10.200.0.1) are reachable: not the host's 127.0.0.1 (the namespace has its own loopback), not
# the central engine's bridge networks, not anything else listening on the host.
# The engine also runs in a mount namespace of its own, where /var/run/docker.sock,
# /run/containerd/containerd.sock and /var/lib/docker are the agent engine's: containers that
# mount them (cAdvisor) see the agent's containers, as on a real machine, not the central ones.
#
#   test/testbed/agent-host.sh start            last stdout line: JSON (dockerHost, hostAddress, agentAddress)
#   test/testbed/agent-host.sh images IMAGE...  copies images from the central engine into the agent engine
#   test/testbed/agent-host.sh stop             removes everything start made (idempotent)
#
# Needs root, a running central engine (host-setup.sh: its DOCKER-USER chain and the engine
# binaries), iproute2, nsenter and iptables. All output but start's JSON goes to stderr.
# Logs: /var/log/obs-agent-host-containerd.log, /var/log/obs-agent-host-dockerd.log (kept after
# stop, overwritten by the next start).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

NETNS=obs-agent
NETNS_PATH=/run/netns/$NETNS
VETH_HOST=obs-agent0
VETH_PEER=obs-agent1
HOST_ADDRESS=10.200.0.1
AGENT_ADDRESS=10.200.0.2
PREFIX=30
# The agent engine's own bridges, outside 172.16/12, so that a central bridge address (172.x) is
# routed out of the namespace to the host - and refused there - rather than never leaving it.
AGENT_BIP=10.201.0.1/24
AGENT_POOL=10.202.0.0/16
RUN_DIR=/run/obs-agent-host
DATA_DIR=/var/lib/obs-agent-host
BIN_DIR=$DATA_DIR/bin
CONTAINERD_SOCK=$RUN_DIR/containerd.sock
DOCKER_SOCK=$RUN_DIR/docker.sock
AGENT_DOCKER_HOST=unix://$DOCKER_SOCK
CONTAINERD_PID=$RUN_DIR/containerd.pid
DOCKERD_PID=$RUN_DIR/dockerd.pid
CONTAINERD_LOG=/var/log/obs-agent-host-containerd.log
DOCKERD_LOG=/var/log/obs-agent-host-dockerd.log
CGROUP_PARENT=obs-agent-host
# The mount namespace is kept by a bind mount of its nsfs file, which must sit on a private mount.
MNT_DIR=$RUN_DIR/mnt
MNT_NS=$MNT_DIR/ns
INPUT_CHAIN=OBS-AGENT-INPUT
FORWARD_CHAIN=OBS-AGENT-FORWARD
CENTRAL_DOCKER_HOST=unix:///var/run/docker.sock
unset DOCKER_CONTEXT

log() { printf '[agent-host] %s\n' "$*" >&2; }
die() { printf '[agent-host] ERROR: %s\n' "$*" >&2; exit 1; }
central() { DOCKER_HOST=$CENTRAL_DOCKER_HOST docker "$@"; }
agent() { DOCKER_HOST=$AGENT_DOCKER_HOST docker "$@"; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

[ "$(id -u)" -eq 0 ] || die "needs root (network namespace, iptables, dockerd)"
for tool in ip nsenter iptables docker flock; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (test/testbed/host-setup.sh installs the engine and its tools)"
done

# start, images and stop of concurrent callers must not interleave.
mkdir -p "$RUN_DIR"
exec 8>/run/obs-agent-host.lock
flock -w 300 8 || die "another agent-host.sh held /run/obs-agent-host.lock for 5 minutes"

# Waits up to $1 seconds for the process in pidfile $2 to exit, then kills it.
stop_pidfile() {
  local seconds="$1" pidfile="$2" pid
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq 1 $((seconds * 2))); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid ignored SIGTERM for ${seconds}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
    fi
  fi
  rm -f "$pidfile"
}

# Removes the rule "$@" (iptables arguments after -D) as often as it is there.
delete_rule() { while iptables -w -C "$@" 2>/dev/null; do iptables -w -D "$@"; done; }

cmd_stop() {
  if alive "$DOCKERD_PID"; then
    # Removed here rather than stopped by dockerd's shutdown, so their mounts and shims go too.
    agent ps -aq 2>/dev/null | xargs -r env DOCKER_HOST="$AGENT_DOCKER_HOST" docker rm -f >/dev/null 2>&1 || true
  fi
  stop_pidfile 30 "$DOCKERD_PID"
  stop_pidfile 15 "$CONTAINERD_PID"
  # Anything still in the namespace (a shim or docker-proxy outliving its daemon) was started by
  # this engine: end it, by pid.
  local pid
  if [ -e "$NETNS_PATH" ]; then
    for pid in $(ip netns pids "$NETNS" 2>/dev/null); do
      log "ending leftover pid $pid ($(cat "/proc/$pid/comm" 2>/dev/null || echo '?')) in netns $NETNS"
      kill -KILL "$pid" 2>/dev/null || true
    done
  fi
  # Shims do not join the namespace's pid list when containerd is gone; they name our socket.
  local p
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = containerd-shim ] || continue
    if tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF -- "-address $CONTAINERD_SOCK "; then
      log "ending leftover shim pid ${p#/proc/}"
      kill -KILL "${p#/proc/}" 2>/dev/null || true
    fi
  done
  # Container processes whose shim is gone are found by their cgroups (cgroupfs driver, under
  # the parent given to dockerd); then the cgroups go, deepest first.
  local dir
  { cat /sys/fs/cgroup/*/"$CGROUP_PARENT"/*/cgroup.procs /sys/fs/cgroup/"$CGROUP_PARENT"/*/cgroup.procs 2>/dev/null || true; } | sort -u | while read -r pid; do
    log "ending leftover container process $pid"
    kill -KILL "$pid" 2>/dev/null || true
  done
  for dir in /sys/fs/cgroup/*/"$CGROUP_PARENT" /sys/fs/cgroup/"$CGROUP_PARENT"; do
    [ -d "$dir" ] || continue
    find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null || log "WARNING: could not remove cgroup $dir"
  done
  # Under its directories in the host's mount namespace: the bind mounts that keep the engine's
  # mount namespace (whose own mounts, layers and container netns files, go with it), deepest first.
  local mount
  { awk '{ print $5 }' /proc/self/mountinfo | grep -E "^($DATA_DIR|$RUN_DIR)(/|$)" || true; } | sort -r | while read -r mount; do
    umount "$mount" 2>/dev/null || umount -l "$mount" || true
  done
  delete_rule INPUT -i "$VETH_HOST" -j "$INPUT_CHAIN"
  delete_rule DOCKER-USER -j "$FORWARD_CHAIN"
  local chain
  for chain in "$INPUT_CHAIN" "$FORWARD_CHAIN"; do
    if iptables -w -n -L "$chain" >/dev/null 2>&1; then
      iptables -w -F "$chain"
      iptables -w -X "$chain"
    fi
  done
  # Deleting the namespace deletes the veth pair; the host end is removed too in case the
  # namespace was already gone.
  [ -e "$NETNS_PATH" ] && ip netns del "$NETNS"
  ip link show "$VETH_HOST" >/dev/null 2>&1 && ip link del "$VETH_HOST"
  # `ip netns add` made /run/netns a mount point; with no namespace left in it, it goes too.
  if [ -d /run/netns ] && [ -z "$(ls -A /run/netns)" ]; then
    if mountpoint -q /run/netns; then umount /run/netns || true; fi
    rmdir /run/netns 2>/dev/null || true
  fi
  rm -rf "$DATA_DIR" "$RUN_DIR"
  log "stopped: no agent engine, namespace, veth, firewall rules or data left"
}

running() {
  alive "$DOCKERD_PID" && alive "$CONTAINERD_PID" && [ -e "$NETNS_PATH" ] && mountpoint -q "$MNT_NS" &&
    iptables -w -C INPUT -i "$VETH_HOST" -j "$INPUT_CHAIN" 2>/dev/null &&
    iptables -w -C DOCKER-USER -j "$FORWARD_CHAIN" 2>/dev/null &&
    agent info >/dev/null 2>&1
}

print_json() {
  printf '{"dockerHost":"%s","hostAddress":"%s","agentAddress":"%s","netns":"%s","mountNamespace":"%s"}\n' \
    "$AGENT_DOCKER_HOST" "$HOST_ADDRESS" "$AGENT_ADDRESS" "$NETNS_PATH" "$MNT_NS"
}

setup_network() {
  ip netns add "$NETNS"
  ip link add "$VETH_HOST" type veth peer name "$VETH_PEER" netns "$NETNS"
  # IPv4 only: with IPv6 the veth's link-local addresses would be a second, unfiltered way to the host.
  sysctl -q -w "net.ipv6.conf.$VETH_HOST.disable_ipv6=1"
  ip addr add "$HOST_ADDRESS/$PREFIX" dev "$VETH_HOST"
  ip link set "$VETH_HOST" up
  ip netns exec "$NETNS" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$NETNS" link set lo up
  ip -n "$NETNS" link set "$VETH_PEER" name eth0
  ip -n "$NETNS" addr add "$AGENT_ADDRESS/$PREFIX" dev eth0
  ip -n "$NETNS" link set eth0 up
  ip -n "$NETNS" route add default via "$HOST_ADDRESS"

  # Packets from the namespace to the host itself (any host address: 10.200.0.1, eth0's, the
  # central bridges' gateways) reach INPUT unless Docker's DNAT sent them to a published port,
  # which makes them forwarded traffic instead: INPUT lets only replies in.
  iptables -w -N "$INPUT_CHAIN"
  iptables -w -A "$INPUT_CHAIN" -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  iptables -w -A "$INPUT_CHAIN" -j DROP
  iptables -w -I INPUT 1 -i "$VETH_HOST" -j "$INPUT_CHAIN"
  # Forwarded traffic: new connections from the namespace only when Docker's DNAT rewrote them
  # from 10.200.0.1 (a port published on that address or on all addresses; the accept itself
  # stays Docker's, which admits only published container ports); none into the namespace (a
  # real remote machine would sit behind its own firewall, so the central side must not come to
  # depend on reaching the agent). DOCKER-USER: Docker evaluates it before its own chains and
  # never flushes it, so the rules survive a central dockerd restart.
  iptables -w -N "$FORWARD_CHAIN"
  iptables -w -A "$FORWARD_CHAIN" -i "$VETH_HOST" -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN
  iptables -w -A "$FORWARD_CHAIN" -i "$VETH_HOST" -m conntrack --ctstate DNAT --ctorigdst "$HOST_ADDRESS" -j RETURN
  iptables -w -A "$FORWARD_CHAIN" -i "$VETH_HOST" -j DROP
  iptables -w -A "$FORWARD_CHAIN" -o "$VETH_HOST" -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN
  iptables -w -A "$FORWARD_CHAIN" -o "$VETH_HOST" -j DROP
  iptables -w -I DOCKER-USER 1 -j "$FORWARD_CHAIN"
}

# A mount namespace that receives the host's mounts (slave), so paths under /tmp or the repo
# that Compose bind-mounts resolve as on the host, and keeps its own from the host.
setup_mount_namespace() {
  mkdir -p "$MNT_DIR"
  mount --bind "$MNT_DIR" "$MNT_DIR"
  mount --make-private "$MNT_DIR"
  touch "$MNT_NS"
  unshare --mount="$MNT_NS" --propagation slave true
  # The new namespace starts with copies of the central engine's mounts (its containers' layers,
  # volumes and network namespace files): detached there, so the agent does not keep them alive.
  # shellcheck disable=SC2016 # expanded by the inner sh
  nsenter --mount="$MNT_NS" -- sh -c '
    awk "{ print \$5 }" /proc/self/mountinfo | grep -E "^(/var/lib/docker|/run/docker|/run/containerd)(/|\$)" | sort -r |
      while read -r mount; do umount -l "$mount"; done
    mkdir -p /var/lib/docker
    mount --bind "$1" /var/lib/docker' sh "$DATA_DIR/docker"
}

# Over the central engine's sockets, inside the agent's mount namespace only (a bind mount needs
# an existing target; the central engine, which start requires, provides both).
mount_agent_sockets() {
  local pair agent_sock central_sock
  for pair in "$DOCKER_SOCK:/run/docker.sock" "$CONTAINERD_SOCK:/run/containerd/containerd.sock"; do
    agent_sock="${pair%%:*}" central_sock="${pair#*:}"
    [ -S "$central_sock" ] || die "no $central_sock to cover in the agent's mount namespace (is the central engine running?)"
    nsenter --mount="$MNT_NS" -- mount --bind "$agent_sock" "$central_sock"
  done
}

# Runs $2... detached in the agent's network and mount namespaces, logging to $1; prints its pid.
start_in_namespaces() {
  local logfile="$1"
  shift
  (
    # None of the caller's other descriptors: flock(1) hands its lock's to the command it runs, and
    # a daemon keeping it would hold the engine lock for as long as it runs (measured: it did).
    for fd in "/proc/$BASHPID/fd"/*; do
      fd="${fd##*/}"
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi
    done 2>/dev/null
    PATH="$BIN_DIR:$PATH" exec setsid nohup nsenter --net="$NETNS_PATH" --mount="$MNT_NS" -- "$@" </dev/null >"$logfile" 2>&1
  ) &
  echo $!
}

cmd_start() {
  local started=$SECONDS
  if running; then
    log "already running (dockerd pid $(cat "$DOCKERD_PID"))"
    print_json
    return 0
  fi
  # A half-started or half-stopped agent host: clear it, then start afresh.
  cmd_stop 2>/dev/null
  mkdir -p "$RUN_DIR"

  central info >/dev/null 2>&1 || die "the central engine does not answer at $CENTRAL_DOCKER_HOST; run test/testbed/host-setup.sh first"
  iptables -w -n -L DOCKER-USER >/dev/null 2>&1 || die "no DOCKER-USER chain: the central engine does not manage iptables"
  local engine_dir driver
  engine_dir="$(bash "$HERE/engine/build-engine.sh" | tail -n 1)"
  [ -x "$engine_dir/dockerd" ] || die "build-engine.sh gave no engine dir"
  # The central engine's storage driver is host-setup.sh's choice for this filesystem.
  driver="${OBS_ENGINE_STORAGE_DRIVER:-$(central info --format '{{.Driver}}')}"

  # The daemons run through links with their own names: host-setup.sh stops every process named
  # dockerd or containerd that is not the central engine, and `ps` tells the two engines apart.
  # The shim, runc and docker-proxy are found through PATH under their usual names.
  mkdir -p "$BIN_DIR" "$DATA_DIR/containerd" "$DATA_DIR/docker" "$RUN_DIR/containerd" "$RUN_DIR/docker"
  ln -sf "$engine_dir/containerd" "$BIN_DIR/agent-containerd"
  ln -sf "$engine_dir/dockerd" "$BIN_DIR/agent-dockerd"
  local b
  for b in containerd-shim-runc-v2 runc docker-proxy; do ln -sf "$engine_dir/$b" "$BIN_DIR/$b"; done

  setup_network
  setup_mount_namespace

  # Every path of its own; NRI off, since its socket path (/var/run/nri) would be shared.
  cat >"$RUN_DIR/containerd.toml" <<EOF
version = 4
root = '$DATA_DIR/containerd'
state = '$RUN_DIR/containerd'

[plugins.'io.containerd.server.v1.grpc']
  address = '$CONTAINERD_SOCK'
[plugins.'io.containerd.server.v1.ttrpc']
  address = '$CONTAINERD_SOCK.ttrpc'
[plugins.'io.containerd.shim.v1.manager']
  socket_dir = '$RUN_DIR/containerd/s'
[plugins.'io.containerd.nri.v1.nri']
  disable = true
[plugins.'io.containerd.internal.v1.opt']
  path = '$DATA_DIR/opt'
EOF
  local t=$SECONDS
  start_in_namespaces "$CONTAINERD_LOG" "$BIN_DIR/agent-containerd" --config "$RUN_DIR/containerd.toml" --address "$CONTAINERD_SOCK" >"$CONTAINERD_PID"
  for _ in $(seq 1 60); do
    [ -S "$CONTAINERD_SOCK" ] && grep -q 'containerd successfully booted' "$CONTAINERD_LOG" && break
    alive "$CONTAINERD_PID" || { tail -n 20 "$CONTAINERD_LOG" >&2; die "containerd exited; see $CONTAINERD_LOG"; }
    sleep 0.25
  done
  [ -S "$CONTAINERD_SOCK" ] || die "containerd did not open $CONTAINERD_SOCK; see $CONTAINERD_LOG"
  log "containerd up in $((SECONDS - t))s"

  # dockerd --config-file: its own file, so /etc/docker/daemon.json is never read.
  cat >"$RUN_DIR/daemon.json" <<EOF
{
  "storage-driver": "$driver",
  "features": { "containerd-snapshotter": false },
  "userland-proxy-path": "$BIN_DIR/docker-proxy",
  "data-root": "$DATA_DIR/docker",
  "exec-root": "$RUN_DIR/docker",
  "pidfile": "$DOCKERD_PID",
  "cgroup-parent": "$CGROUP_PARENT",
  "bip": "$AGENT_BIP",
  "default-address-pools": [{ "base": "$AGENT_POOL", "size": 24 }]
}
EOF
  t=$SECONDS
  local dockerd_pid
  dockerd_pid="$(start_in_namespaces "$DOCKERD_LOG" "$BIN_DIR/agent-dockerd" --config-file "$RUN_DIR/daemon.json" \
    --containerd "$CONTAINERD_SOCK" -H "$AGENT_DOCKER_HOST")"
  for _ in $(seq 1 240); do
    agent info >/dev/null 2>&1 && break
    kill -0 "$dockerd_pid" 2>/dev/null || { tail -n 20 "$DOCKERD_LOG" >&2; die "dockerd exited; see $DOCKERD_LOG"; }
    sleep 0.25
  done
  agent info >/dev/null 2>&1 || die "the agent dockerd did not answer within 60s; see $DOCKERD_LOG"
  mount_agent_sockets
  log "dockerd up in $((SECONDS - t))s (storage driver $driver, cgroup parent $CGROUP_PARENT)"
  log "agent host ready in $((SECONDS - started))s: netns $NETNS ($AGENT_ADDRESS), engine $AGENT_DOCKER_HOST"
  print_json
}

cmd_images() {
  [ $# -gt 0 ] || die "usage: agent-host.sh images IMAGE..."
  running || die "the agent host is not running; run: agent-host.sh start"
  local t=$SECONDS
  # pipefail: a failed save fails the copy, not only a failed load.
  central save "$@" | agent load -q >&2 || die "copying $* into the agent engine failed"
  log "copied $# image(s) in $((SECONDS - t))s"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  images) shift; cmd_images "$@" ;;
  *) die "usage: agent-host.sh start | stop | images IMAGE..." ;;
esac
