#!/usr/bin/env bash
# build-engine.sh - build Docker Engine 29 (dockerd, docker-proxy), containerd v2, runc and the
# matching docker CLI from their Go modules, and cache the static binaries.
#
#   test/testbed/engine/build-engine.sh
#
# Builds into "${STACK_CACHE_DIR:-$HOME/.cache/obs-stack}/engine/<moby module version>/" and
# prints that directory as the LAST line of stdout; everything else goes to stderr. A warm entry
# (same pins and flags, recorded in its PINS file) is returned at once without touching the
# network. A build is staged in a temp dir next to the entry and renamed into place, under a flock,
# so concurrent callers wait for one build and an interrupted build leaves no partial entry.
#
# Environment:
#   STACK_CACHE_DIR         cache root (default $HOME/.cache/obs-stack)
#   GO                      go binary (default: go)
#   ENGINE_BUILD_KEEP_TMP=1 keep the temp source/work dir (debugging)
#
# Needs: go, jq, gcc + libseccomp-dev + pkg-config (runc is cgo, linked static-pie against
# libseccomp.a). host-setup.sh installs them.
set -euo pipefail
# One { ... } block: bash parses it whole before running, so editing this file during a build
# cannot break that build.
{

# ---------------------------------------------------------------------------------------------
# Pins: the only place to change versions. Bump MOBY_VERSION, then take the other three from the
# new moby module (its go.mod and Dockerfile), as below.
# ---------------------------------------------------------------------------------------------
# moby: the newest github.com/moby/moby/v2 version the Go module proxy serves
# (`go list -m -versions github.com/moby/moby/v2`). The module is tagged v2.0.0-beta.N from
# master; its releases/versions.yaml names the last Docker Engine release (29.8.0 here), which
# is the version dockerd reports (docker/version ldflags).
MOBY_VERSION=v2.0.0-beta.24
# containerd: what that moby requires in go.mod (github.com/containerd/containerd/v2 v2.3.5) and
# its Dockerfile's CONTAINERD_VERSION, used for Docker's static binary bundles.
CONTAINERD_VERSION=v2.3.5
# runc: moby's Dockerfile RUNC_VERSION, which is also containerd v2.3.5's
# script/setup/runc-version. Debian's runc 1.1 lacks the time namespace Engine 29 uses.
RUNC_VERSION=v1.5.1
# docker CLI: moby's Dockerfile DOCKERCLI_VERSION for this engine (same release as the daemon).
DOCKER_CLI_VERSION=v29.8.0

MOBY_MODULE=github.com/moby/moby/v2
CONTAINERD_MODULE=github.com/containerd/containerd/v2
RUNC_MODULE=github.com/opencontainers/runc
DOCKER_CLI_MODULE=github.com/docker/cli

# Build tags. dockerd: as asked plus nri_no_wasm, which moby's hack/make.sh always adds (no WASM
# runtime for NRI plugins). containerd: no_cri as well, since Docker never uses the Kubernetes
# CRI plugin (smaller binary, faster build); the shim gets no_grpc like upstream's Makefile.
# runc: without libpathrs (moby builds it with RUNC_BUILDTAGS=-libpathrs; libpathrs is a Rust
# library we do not have), with seccomp through Debian's libseccomp-dev.
DOCKERD_TAGS="netgo osusergo static_build exclude_graphdriver_btrfs nri_no_wasm"
PROXY_TAGS="netgo osusergo static_build"
CONTAINERD_TAGS="no_btrfs urfave_cli_no_docs no_cri netgo osusergo static_build"
SHIM_TAGS="no_btrfs urfave_cli_no_docs no_grpc netgo osusergo static_build"
RUNC_TAGS="seccomp urfave_cli_no_docs netgo osusergo"
CLI_TAGS="netgo osusergo"
# Bump when the recipe below changes in a way that changes the binaries.
RECIPE=1
BINARIES=(dockerd docker-proxy containerd containerd-shim-runc-v2 runc docker)

GO="${GO:-go}"
log() { printf '[build-engine] %s\n' "$*" >&2; }
die() { printf '[build-engine] ERROR: %s\n' "$*" >&2; exit 1; }

command -v "$GO" >/dev/null 2>&1 || die "go is required"
command -v jq >/dev/null 2>&1 || die "jq is required (apt-get install -y jq)"
command -v flock >/dev/null 2>&1 || die "flock is required (apt-get install -y util-linux)"

CACHE_ROOT="${STACK_CACHE_DIR:-$HOME/.cache/obs-stack}"
mkdir -p "$CACHE_ROOT/engine"
ENGINE_ROOT="$(cd "$CACHE_ROOT/engine" && pwd -P)"
DEST="$ENGINE_ROOT/$MOBY_VERSION"

pins() {
  cat <<EOF
recipe=$RECIPE
moby=$MOBY_MODULE@$MOBY_VERSION
containerd=$CONTAINERD_MODULE@$CONTAINERD_VERSION
runc=$RUNC_MODULE@$RUNC_VERSION
docker-cli=$DOCKER_CLI_MODULE@$DOCKER_CLI_VERSION
dockerd-tags=$DOCKERD_TAGS
proxy-tags=$PROXY_TAGS
containerd-tags=$CONTAINERD_TAGS
shim-tags=$SHIM_TAGS
runc-tags=$RUNC_TAGS
cli-tags=$CLI_TAGS
EOF
}

warm() {
  [ -f "$DEST/PINS" ] || return 1
  [ "$(sed -n '/^# built/q;p' "$DEST/PINS")" = "$(pins)" ] || return 1
  local b
  for b in "${BINARIES[@]}"; do [ -x "$DEST/$b" ] || return 1; done
}

if warm; then
  log "cached: $DEST"
  printf '%s\n' "$DEST"
  exit 0
fi

# One build at a time per cache root; whoever waited finds the entry warm afterwards.
exec 9>"$ENGINE_ROOT/.build.lock"
if ! flock -n 9; then
  log "another build-engine.sh holds $ENGINE_ROOT/.build.lock; waiting"
  flock -w 3600 9 || die "timed out waiting for the build lock"
fi
if warm; then
  log "cached (built by a concurrent run): $DEST"
  printf '%s\n' "$DEST"
  exit 0
fi
# Holding the lock, any temp dir left here is from an interrupted build.
rm -rf "$ENGINE_ROOT"/.tmp-* 2>/dev/null || true

TMP="$(mktemp -d "$ENGINE_ROOT/.tmp-$MOBY_VERSION.XXXXXX")"
cleanup() { if [ "${ENGINE_BUILD_KEEP_TMP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi; }
trap cleanup EXIT
OUT="$TMP/out"
mkdir -p "$OUT" "$TMP/src"
FIXES=()
fix() { FIXES+=("$1: $2"); log "module fix ($1): $2"; }

export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false GOOS=linux
started=$SECONDS

# Copies the module's source (from the module cache; downloaded if missing) to $TMP/src/<name>,
# writable, and prints that directory.
module_src() {
  local name="$1" mod="$2" ver="$3" json dir
  json="$("$GO" mod download -json "$mod@$ver")" || die "go mod download $mod@$ver failed: $json"
  dir="$(jq -r '.Dir // empty' <<<"$json")"
  [ -n "$dir" ] && [ -d "$dir" ] || die "no source dir for $mod@$ver: $(jq -r '.Error // "?"' <<<"$json")"
  cp -r "$dir" "$TMP/src/$name"
  chmod -R u+w "$TMP/src/$name"
  printf '%s\n' "$TMP/src/$name"
}

step() { log "$1 ($((SECONDS - started))s)"; }

# --- moby: dockerd, docker-proxy ------------------------------------------------------------
step "moby $MOBY_VERSION"
src="$(module_src moby "$MOBY_MODULE" "$MOBY_VERSION")"
ENGINE_VERSION="$(sed -n 's/^ *last: *"\{0,1\}\([0-9][0-9.]*\)"\{0,1\} *$/\1/p' "$src/releases/versions.yaml" | head -n1)"
[ -n "$ENGINE_VERSION" ] || die "could not read the last release from $src/releases/versions.yaml"
case "$ENGINE_VERSION" in 29.*) ;; *) die "moby $MOBY_VERSION is Docker $ENGINE_VERSION, not 29.x" ;; esac
grep -q '^replace' "$src/go.mod" && fix moby "go.mod has replace directives; built in place, which honours them"
log "moby $MOBY_VERSION = Docker Engine $ENGINE_VERSION (releases/versions.yaml); no module fixes needed"
BUILD_TIME="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
moby_ldflags="-s -w \
 -X github.com/moby/moby/v2/dockerversion.Version=$ENGINE_VERSION \
 -X github.com/moby/moby/v2/dockerversion.GitCommit=moby/v2@$MOBY_VERSION \
 -X github.com/moby/moby/v2/dockerversion.BuildTime=$BUILD_TIME \
 -X github.com/moby/moby/v2/dockerversion.PlatformName=obs-stack-testbed"
(cd "$src" && CGO_ENABLED=0 "$GO" build -trimpath -tags "$DOCKERD_TAGS" -ldflags "$moby_ldflags" -o "$OUT/dockerd" ./cmd/dockerd) >&2
(cd "$src" && CGO_ENABLED=0 "$GO" build -trimpath -tags "$PROXY_TAGS" -ldflags "-s -w" -o "$OUT/docker-proxy" ./cmd/docker-proxy) >&2
# The pins above must match what this moby expects; warn (not fail) when they drift.
want_ctd="$(awk '$1=="github.com/containerd/containerd/v2"{print $2; exit}' "$src/go.mod")"
[ "$want_ctd" = "$CONTAINERD_VERSION" ] || log "WARNING: moby requires containerd $want_ctd, pinned $CONTAINERD_VERSION"
want_runc="$(sed -n 's/^ARG RUNC_VERSION=//p' "$src/Dockerfile" | head -n1)"
[ "$want_runc" = "$RUNC_VERSION" ] || log "WARNING: moby's Dockerfile builds runc $want_runc, pinned $RUNC_VERSION"
want_cli="$(sed -n 's/^ARG DOCKERCLI_VERSION=//p' "$src/Dockerfile" | head -n1)"
[ "$want_cli" = "$DOCKER_CLI_VERSION" ] || log "WARNING: moby's Dockerfile pairs CLI $want_cli, pinned $DOCKER_CLI_VERSION"
rm -rf "$src"

# --- containerd: containerd, containerd-shim-runc-v2 ------------------------------------------
step "containerd $CONTAINERD_VERSION"
src="$(module_src containerd "$CONTAINERD_MODULE" "$CONTAINERD_VERSION")"
grep -q '^replace' "$src/go.mod" && fix containerd "go.mod has replace directives; built in place, which honours them"
ctd_ldflags="-s -w \
 -X github.com/containerd/containerd/v2/version.Version=$CONTAINERD_VERSION \
 -X github.com/containerd/containerd/v2/version.Revision=$CONTAINERD_MODULE@$CONTAINERD_VERSION \
 -X github.com/containerd/containerd/v2/version.Package=github.com/containerd/containerd/v2"
(cd "$src" && CGO_ENABLED=0 "$GO" build -trimpath -tags "$CONTAINERD_TAGS" -ldflags "$ctd_ldflags" -o "$OUT/containerd" ./cmd/containerd) >&2
(cd "$src" && CGO_ENABLED=0 "$GO" build -trimpath -tags "$SHIM_TAGS" -ldflags "$ctd_ldflags" -o "$OUT/containerd-shim-runc-v2" ./cmd/containerd-shim-runc-v2) >&2
want_runc="$(tr -d ' \n' <"$src/script/setup/runc-version" 2>/dev/null || true)"
[ -z "$want_runc" ] || [ "$want_runc" = "$RUNC_VERSION" ] || log "WARNING: containerd expects runc $want_runc, pinned $RUNC_VERSION"
rm -rf "$src"

# --- runc ---------------------------------------------------------------------------------------
step "runc $RUNC_VERSION"
[ -f /usr/include/seccomp.h ] || die "libseccomp-dev is required for runc (apt-get install -y libseccomp-dev)"
command -v gcc >/dev/null 2>&1 || die "gcc is required for runc (cgo)"
src="$(module_src runc "$RUNC_MODULE" "$RUNC_VERSION")"
grep -q '^replace' "$src/go.mod" && fix runc "go.mod has replace directives; built in place, which honours them"
# Upstream's `make static`: static PIE, external linker, libseccomp.a from libseccomp-dev.
(cd "$src" && CGO_ENABLED=1 "$GO" build -trimpath -buildmode=pie -tags "$RUNC_TAGS" \
  -ldflags "-s -w -X main.gitCommit=$RUNC_MODULE@$RUNC_VERSION -linkmode external -extldflags -static-pie" \
  -o "$OUT/runc" .) >&2
rm -rf "$src"

# --- docker CLI -----------------------------------------------------------------------------
step "docker CLI $DOCKER_CLI_VERSION"
src="$(module_src docker-cli "$DOCKER_CLI_MODULE" "$DOCKER_CLI_VERSION+incompatible")"
if [ ! -f "$src/go.mod" ] && [ -f "$src/vendor.mod" ]; then
  # docker/cli uses CalVer, so it keeps its module file as vendor.mod (no go.mod): the proxy
  # serves it as +incompatible and a plain build would know none of its dependency versions.
  cp "$src/vendor.mod" "$src/go.mod"
  cp "$src/vendor.sum" "$src/go.sum"
  fix docker-cli "no go.mod (CalVer repo keeps vendor.mod/vendor.sum): copied them to go.mod/go.sum"
fi
if [ -d "$src/vendor" ] && [ -z "$(find "$src/vendor" -mindepth 1 -maxdepth 1 -type d -print -quit)" ]; then
  # Module zips leave out vendored packages; the lone vendor/modules.txt would make the go
  # command build in vendor mode and miss every package.
  rm -rf "$src/vendor"
  fix docker-cli "vendor/ holds only modules.txt (module zips drop vendored code): removed it, build with -mod=mod"
fi
cli_ver="${DOCKER_CLI_VERSION#v}"
(cd "$src" && CGO_ENABLED=0 "$GO" build -mod=mod -trimpath -tags "$CLI_TAGS" \
  -ldflags "-s -w -X github.com/docker/cli/cli/version.Version=$cli_ver -X github.com/docker/cli/cli/version.GitCommit=$DOCKER_CLI_VERSION -X github.com/docker/cli/cli/version.BuildTime=$BUILD_TIME" \
  -o "$OUT/docker" ./cmd/docker) >&2
rm -rf "$src"

# --- check and publish ------------------------------------------------------------------------
step "checking the binaries"
"$OUT/dockerd" --version | grep -q "version $ENGINE_VERSION," || die "dockerd does not report $ENGINE_VERSION"
"$OUT/containerd" --version | grep -q " $CONTAINERD_VERSION" || die "containerd does not report $CONTAINERD_VERSION"
"$OUT/runc" --version | grep -q "^runc version ${RUNC_VERSION#v}$" || die "runc does not report ${RUNC_VERSION#v}"
"$OUT/runc" --version | grep -q '^libseccomp: ' || die "runc was built without seccomp"
"$OUT/docker" --version | grep -q "version $cli_ver," || die "docker CLI does not report $cli_ver"
"$OUT/docker-proxy" --help >/dev/null 2>&1 || [ $? -eq 2 ] || die "docker-proxy does not run"
{
  pins
  printf '# built %s in %ss with %s; Docker Engine %s\n' "$BUILD_TIME" "$((SECONDS - started))" "$("$GO" env GOVERSION)" "$ENGINE_VERSION"
  for f in "${FIXES[@]}"; do printf '# module fix: %s\n' "$f"; done
} >"$OUT/PINS"
printf '%s\n' "$ENGINE_VERSION" >"$OUT/ENGINE_VERSION"

# A stale entry (other pins) is moved aside first: running daemons keep their open binaries.
[ -e "$DEST" ] && mv "$DEST" "$TMP/old"
mv "$OUT" "$DEST"
log "built Docker Engine $ENGINE_VERSION in $((SECONDS - started))s: $DEST"
printf '%s\n' "$DEST"
exit 0
}
