#!/usr/bin/env bash
# go-build.sh - build an obs-stack component from its own Go module at an
# exact release version and cache the static binaries.
#
#   scripts/go-build.sh <tool> <version>
#
# Builds into "${STACK_CACHE_DIR:-$HOME/.cache/obs-stack}/bin/<tool>-<version>/"
# and prints the absolute path of that directory as the LAST line of stdout.
# Everything else (go output, progress) goes to stderr. A warm cache entry is
# returned immediately. Builds are staged in a temp dir next to the cache entry
# and renamed into place, so an interrupted build never leaves a partial entry.
#
# All binaries are CGO_ENABLED=0, -trimpath, -ldflags "-s -w" (+ version
# ldflags where the project uses them): fit for FROM scratch / busybox images.
#
# Layout: this file is the flow (arguments, cache, lock, publish);
# go-build/lib.sh the shared machinery; go-build/tools/<tool>.sh one tool's
# module, binaries and `build` function. The tools are the files in
# go-build/tools/, and the catalog names exactly those
# (test/unit/testbed/go-build-tools.test.ts).
#
# Never add a tool built from a module listed in scripts/stack/catalog/forbidden-modules.ts
# (AGPL: Loki, Promtail, Grafana, Tempo, k6; Alloy, whose go.mod requires Loki):
# test/unit/licences/forbidden-modules.test.ts fails when a file here names one.
#
# Environment:
#   STACK_CACHE_DIR   cache root (default $HOME/.cache/obs-stack)
#   GO                go binary to use (default: go)
#   GO_BUILD_KEEP_TMP=1  keep the temp source/work dir (debugging)
#
# See test/testbed/README.md for the per-tool module fixes.
set -euo pipefail
# The whole script is one { ... } block: bash parses it completely before
# running it, and `source` reads a whole file before running any of it; both
# sources happen here, before anything is built. So editing these files
# during a (long) build cannot break the build.
{

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=go-build/lib.sh
source "$SCRIPT_DIR/go-build/lib.sh"

[[ $# -eq 2 ]] || usage
TOOL="$1"
VERSION="$2"              # as given by the caller; used verbatim in the dir name
VER="${VERSION#v}"        # without leading v
[[ "$VER" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "version must look like [v]X.Y.Z, got '$VERSION'"
# The tool files derive their module version from these.
# shellcheck disable=SC2034
IFS=. read -r V_MAJOR V_MINOR V_PATCH <<<"$VER"
is_tool "$TOOL" || die "unknown tool '$TOOL'; tools: $(tool_names)"

# The tool's MODULE, MODVER, BINARIES, BUILD_INPUT (an input file the build
# depends on, if any) and its build function.
MODULE="" MODVER="" BINARIES=() BUILD_INPUT=""
# shellcheck source=/dev/null
source "$TOOLS_DIR/$TOOL.sh"

command -v jq >/dev/null 2>&1 || die "jq is required (apt-get install -y jq)"

CACHE_ROOT="${STACK_CACHE_DIR:-$HOME/.cache/obs-stack}"
mkdir -p "$CACHE_ROOT/bin"
CACHE_ROOT="$(cd "$CACHE_ROOT" && pwd -P)"
DEST="$CACHE_ROOT/bin/$TOOL-$VERSION"
INPUT_STAMP="$(input_stamp)"

# Warm run: nothing to do.
if is_current "$DEST"; then
  log "cached: $DEST"
  echo "$DEST"
  exit 0
fi

# Serialise concurrent builds of the same entry.
if command -v flock >/dev/null 2>&1; then
  mkdir -p "$CACHE_ROOT/bin/.locks"
  exec 9>"$CACHE_ROOT/bin/.locks/$TOOL-$VERSION.lock"
  flock 9
  if is_current "$DEST"; then
    log "cached (built concurrently): $DEST"
    echo "$DEST"
    exit 0
  fi
fi

# ---------------------------------------------------------------------------
# Build environment
# ---------------------------------------------------------------------------
export CGO_ENABLED=0
export GOFLAGS="-mod=mod -buildvcs=false"
export GOWORK=off
# Some modules need a newer patch toolchain than the installed one (e.g.
# compose v5.7.0 needs go >= 1.26.10); the toolchain is itself a module on the
# Go proxy, so let the go command fetch it. Overridable.
export GOTOOLCHAIN="${GO_BUILD_GOTOOLCHAIN:-auto}"
unset GOOS GOARCH 2>/dev/null || true   # build for the host

# We hold the lock: leftovers of an earlier, killed build of this entry are stale.
for stale in "$CACHE_ROOT/bin/.tmp-$TOOL-$VERSION".* "${TMPDIR:-/tmp}/go-build-$TOOL-$VERSION".*; do
  [[ -e "$stale" ]] || continue
  log "removing stale $stale"
  chmod -R u+w "$stale" 2>/dev/null || true
  rm -rf "$stale"
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/go-build-$TOOL-$VERSION.XXXXXX")"
STAGE="$(mktemp -d "$CACHE_ROOT/bin/.tmp-$TOOL-$VERSION.XXXXXX")"
trap cleanup EXIT
trap 'on_signal 129' HUP
trap 'on_signal 130' INT
trap 'on_signal 141' PIPE   # stderr reader gone: still clean up
trap 'on_signal 143' TERM

BUILD_DATE="$(date -u +%Y%m%d-%H:%M:%S)"
BUILD_NOTES=""   # extra BUILD-INFO line (notes=...), set by a builder
START_S=$(date +%s)

log "building $TOOL $VERSION -> $DEST"
build

have_all_binaries "$STAGE" || die "build finished but binaries are missing in $STAGE"
{
  echo "tool=$TOOL"
  echo "version=$VERSION"
  echo "module=$MODULE@$MODVER"
  echo "go=$("$GO" version "$STAGE/${BINARIES[0]}" 2>/dev/null | awk '{print $2}')"
  echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "build_seconds=$(( $(date +%s) - START_S ))"
  if [[ -n "$BUILD_NOTES" ]]; then echo "notes=$BUILD_NOTES"; fi
  if [[ -n "$INPUT_STAMP" ]]; then echo "$INPUT_STAMP"; fi
} >"$STAGE/BUILD-INFO"
chmod 0755 "$STAGE"

# Atomic publish: rename(2) of the staged dir onto the final name.
if ! mv -T "$STAGE" "$DEST" 2>/dev/null; then
  if is_current "$DEST"; then
    log "another build published $DEST first; using it"
  else
    # A stale/incomplete DEST (not produced by this script) - replace it.
    rm -rf "$DEST.old.$$"; mv -T "$DEST" "$DEST.old.$$"
    mv -T "$STAGE" "$DEST"
    rm -rf "$DEST.old.$$"
  fi
fi
log "built $TOOL $VERSION in $(( $(date +%s) - START_S ))s"
echo "$DEST"
exit 0
}
