#!/usr/bin/env bash
# Real peers for the e2e exporters: a PostgreSQL and a Redis server from Debian's packages, on the
# host, reachable from containers at host.docker.internal (the Docker bridge's gateway address).
# They listen on loopback and that address only, with passwords generated per machine. Writes the
# connection settings the e2e suite passes to the stack to test/e2e/.peers.env. Idempotent.
# The ports are fixed: test/e2e/stack.e2e.config.ts names them too.
set -euo pipefail
cd "$(dirname "$0")/../.."

PG_PORT=55432
REDIS_PORT=56379
PEERS_DIR=/var/lib/obs-stack-e2e-peers
ENV_FILE=test/e2e/.peers.env

need=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
PG_BIN="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")"

# The address host.docker.internal resolves to inside containers (host-gateway).
gateway="$(docker network inspect bridge --format '{{range .IPAM.Config}}{{.Gateway}}{{end}}' 2>/dev/null || true)"
[ -n "$gateway" ] || gateway="$(ip -4 -o addr show docker0 2>/dev/null | awk '{print $4}' | cut -d/ -f1)"
[ -n "$gateway" ] || { echo "cannot find the Docker bridge's gateway address (is the engine running?)" >&2; exit 1; }

mkdir -p "$PEERS_DIR"
chown postgres:postgres "$PEERS_DIR"
secrets="$PEERS_DIR/secrets"
if [ ! -f "$secrets" ]; then
  umask 077
  printf 'PG_PASSWORD=%s\nREDIS_PASSWORD=%s\n' "$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" "$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" >"$secrets"
fi
# shellcheck disable=SC1090
. "$secrets"

pg="$PEERS_DIR/pg"
as_postgres() { su postgres -s /bin/sh -c "$*"; }
if [ ! -f "$pg/PG_VERSION" ]; then
  pwfile="$(mktemp)"; printf '%s\n' "$PG_PASSWORD" >"$pwfile"; chown postgres "$pwfile"
  as_postgres "'$PG_BIN/initdb' -D '$pg' -U postgres --auth-local=peer --auth-host=scram-sha-256 --pwfile='$pwfile'" >/dev/null
  rm -f "$pwfile"
  # samenet: the subnets of the host's own interfaces, i.e. loopback and the Docker bridges.
  echo "host all all samenet scram-sha-256" >>"$pg/pg_hba.conf"
fi
if ! "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
  as_postgres "'$PG_BIN/pg_ctl' -D '$pg' -l '$PEERS_DIR/pg.log' -w start -o \"-p $PG_PORT -c listen_addresses='127.0.0.1,$gateway' -k /tmp\"" >/dev/null
fi
as_postgres "psql -h /tmp -p $PG_PORT -tAc \"select 1 from pg_database where datname='e2e'\"" | grep -q 1 ||
  as_postgres "psql -h /tmp -p $PG_PORT -qc \"create database e2e\""

# REDISCLI_AUTH keeps the password out of the process list.
redis_up() { REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }
if ! redis_up; then
  # The password goes in on stdin (a config file of one), not on the command line.
  printf 'requirepass %s\n' "$REDIS_PASSWORD" | redis-server - --port "$REDIS_PORT" --bind "127.0.0.1 $gateway" \
    --daemonize yes --dir "$PEERS_DIR" --logfile "$PEERS_DIR/redis.log" --save "" --appendonly no
  for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
  redis_up || { echo "Redis did not answer on :$REDIS_PORT with its password; see $PEERS_DIR/redis.log" >&2; exit 1; }
fi

umask 077
cat >"$ENV_FILE" <<ENV
E2E_PG_DSN=postgresql://postgres:$PG_PASSWORD@host.docker.internal:$PG_PORT/e2e?sslmode=disable
E2E_REDIS_PASSWORD=$REDIS_PASSWORD
ENV
echo "peers: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on :$PG_PORT, Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) on :$REDIS_PORT (127.0.0.1 and $gateway)" >&2
