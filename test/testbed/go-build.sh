#!/usr/bin/env bash
# go-build.sh - build an obs-stack component from its own Go module at an
# exact release version and cache the static binaries.
#
#   test/testbed/go-build.sh <tool> <version>
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
# Never add a tool built from a module listed in scripts/stack/catalog/forbidden-modules.ts
# (AGPL: Loki, Promtail, Grafana, Tempo, k6; Alloy, whose go.mod requires Loki):
# test/unit/licences/forbidden-modules.test.ts fails when this file names one.
#
# Environment:
#   STACK_CACHE_DIR   cache root (default $HOME/.cache/obs-stack)
#   GO                go binary to use (default: go)
#   GO_BUILD_KEEP_TMP=1  keep the temp source/work dir (debugging)
#
# See test/testbed/README.md for the per-tool module fixes.
set -euo pipefail
# The whole script is one { ... } block: bash parses it completely before
# running it, so editing this file during a (long) build cannot break the build.
{

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO="${GO:-go}"

log() { printf '[go-build] %s\n' "$*" >&2; }
die() { printf '[go-build] ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
  cat >&2 <<'EOF'
usage: go-build.sh <tool> <version>
tools: prometheus alertmanager otelcol-contrib docker-compose node_exporter
       blackbox_exporter pushgateway jaeger cadvisor postgres_exporter
       redis_exporter actionlint
examples:
  go-build.sh prometheus v3.16.0      go-build.sh alertmanager v0.34.2
  go-build.sh otelcol-contrib 0.161.0 go-build.sh docker-compose v5.7.0
  go-build.sh node_exporter v1.12.1   go-build.sh blackbox_exporter v0.28.0
  go-build.sh pushgateway v1.11.1     go-build.sh jaeger 2.13.0
  go-build.sh cadvisor v0.60.6        go-build.sh postgres_exporter v0.17.1
  go-build.sh redis_exporter v1.74.0  go-build.sh actionlint v1.7.12
EOF
  exit 2
}

[[ $# -eq 2 ]] || usage
TOOL="$1"
VERSION="$2"              # as given by the caller; used verbatim in the dir name
VER="${VERSION#v}"        # without leading v
[[ "$VER" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "version must look like [v]X.Y.Z, got '$VERSION'"
IFS=. read -r V_MAJOR V_MINOR V_PATCH <<<"$VER"

command -v jq >/dev/null 2>&1 || die "jq is required (apt-get install -y jq)"

CACHE_ROOT="${STACK_CACHE_DIR:-$HOME/.cache/obs-stack}"
mkdir -p "$CACHE_ROOT/bin"
CACHE_ROOT="$(cd "$CACHE_ROOT" && pwd -P)"
DEST="$CACHE_ROOT/bin/$TOOL-$VERSION"

# ---------------------------------------------------------------------------
# Per-tool table: module, module version, expected binaries.
# ---------------------------------------------------------------------------
PROM_VERSION_PKG=github.com/prometheus/common/version
MODULE="" MODVER="" BINARIES=() BUILD_INPUT=""
case "$TOOL" in
  prometheus)
    # Prometheus 3.x is published as Go module v0.<major*100+minor>.<patch>
    MODULE=github.com/prometheus/prometheus
    MODVER="v0.$((V_MAJOR * 100 + V_MINOR)).$V_PATCH"
    BINARIES=(prometheus promtool) ;;
  alertmanager)
    MODULE=github.com/prometheus/alertmanager; MODVER="v$VER"
    BINARIES=(alertmanager amtool) ;;
  otelcol-contrib)
    MODULE=go.opentelemetry.io/collector/cmd/builder; MODVER="v$VER"
    BINARIES=(otelcol-contrib)
    BUILD_INPUT="$SCRIPT_DIR/otelcol-manifest.yaml" ;;
  docker-compose)
    MODULE="github.com/docker/compose/v$V_MAJOR"; MODVER="v$VER"
    BINARIES=(docker-compose) ;;
  node_exporter|blackbox_exporter|pushgateway)
    MODULE="github.com/prometheus/$TOOL"; MODVER="v$VER"
    BINARIES=("$TOOL") ;;
  jaeger)
    # Jaeger v2 lives in module github.com/jaegertracing/jaeger (no /v2):
    # each v2.X.Y release tag sits on the same commit as a v1.Z.W tag; the
    # module version is that v1 tag (resolved below, in resolve_jaeger).
    MODULE=github.com/jaegertracing/jaeger; MODVER=""
    BINARIES=(jaeger) ;;
  cadvisor)
    MODULE=github.com/google/cadvisor; MODVER="v$VER"
    BINARIES=(cadvisor) ;;
  postgres_exporter)
    MODULE=github.com/prometheus-community/postgres_exporter; MODVER="v$VER"
    BINARIES=(postgres_exporter) ;;
  redis_exporter)
    MODULE=github.com/oliver006/redis_exporter; MODVER="v$VER"
    BINARIES=(redis_exporter) ;;
  actionlint)
    # The GitHub Actions workflow linter (MIT) that npm test runs on .github/workflows.
    MODULE=github.com/rhysd/actionlint; MODVER="v$VER"
    BINARIES=(actionlint) ;;
  *) die "unknown tool '$TOOL'" ;;
esac

have_all_binaries() {
  local dir="$1" b
  [[ -d "$dir" ]] || return 1
  for b in "${BINARIES[@]}"; do [[ -x "$dir/$b" ]] || return 1; done
}

# An entry built from an input file in this repo (the Collector's component
# manifest) is only current while that file is unchanged: the version alone
# does not identify the build.
input_stamp() {
  [[ -n "$BUILD_INPUT" ]] || return 0
  printf 'input_sha256=%s\n' "$(sha256sum "$BUILD_INPUT" | cut -d' ' -f1)"
}
INPUT_STAMP="$(input_stamp)"

# is_current DIR: a usable cache entry.
is_current() {
  have_all_binaries "$1" || return 1
  [[ -z "$INPUT_STAMP" ]] || grep -qxF "$INPUT_STAMP" "$1/BUILD-INFO" 2>/dev/null
}

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
cleanup() {
  local rc=$?
  rm -rf "$STAGE" 2>/dev/null || true
  if [[ "${GO_BUILD_KEEP_TMP:-0}" == 1 ]]; then
    log "kept work dir $WORK"
  else
    chmod -R u+w "$WORK" 2>/dev/null || true
    rm -rf "$WORK" 2>/dev/null || true
  fi
  exit "$rc"
}
# Long commands run in the background + wait (see run_in), so a signal is
# handled at once: stop the child, then clean up via the EXIT trap.
CHILD=""
on_signal() {
  trap - HUP INT PIPE TERM
  if [[ -n "$CHILD" ]]; then kill -TERM "$CHILD" 2>/dev/null || true; wait "$CHILD" 2>/dev/null || true; fi
  exit "$1"
}
trap cleanup EXIT
trap 'on_signal 129' HUP
trap 'on_signal 130' INT
trap 'on_signal 141' PIPE   # stderr reader gone: still clean up
trap 'on_signal 143' TERM

# run_in DIR CMD...: run CMD in DIR as a background child and wait for it.
run_in() {
  local dir="$1" rc=0; shift
  ( cd "$dir" && exec "$@" ) &
  CHILD=$!
  wait "$CHILD" || rc=$?
  CHILD=""
  return "$rc"
}

BUILD_DATE="$(date -u +%Y%m%d-%H:%M:%S)"
BUILD_NOTES=""   # extra BUILD-INFO line (notes=...), set by a builder
BUILD_USER="obs-stack@go-build"
START_S=$(date +%s)

# gomod_dir MODULE VERSION -> prints the read-only source dir in GOMODCACHE.
# If the checksum database does not know the version ("sum.golang.org/lookup
# ... 404 Not Found", seen with a freshly tagged release) retry with GONOSUMDB for exactly
# that module and say so.
gomod_dir() {
  local mod="$1" ver="$2" json dir
  json="$(cd "$WORK" && "$GO" mod download -json "$mod@$ver" 2>/dev/null || true)"
  dir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -n1)"
  if [[ -z "$dir" ]] && printf '%s' "$json" | grep -q 'sum.golang.org.*404'; then
    log "WARNING: checksum database has no entry for $mod@$ver; retrying with GONOSUMDB=$mod (source NOT verified against sum.golang.org)"
    json="$(cd "$WORK" && GONOSUMDB="$mod" "$GO" mod download -json "$mod@$ver" 2>/dev/null || true)"
    dir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -n1)"
  fi
  if [[ -z "$dir" || ! -d "$dir" ]]; then
    printf '%s\n' "$json" >&2
    die "cannot download $mod@$ver"
  fi
  printf '%s\n' "$dir"
}

# fetch_source: copy MODULE@MODVER into $WORK/src (writable), drop go.work.
fetch_source() {
  local dir
  dir="$(gomod_dir "$MODULE" "$MODVER")"
  log "source $MODULE@$MODVER: $dir"
  cp -a "$dir" "$WORK/src"
  chmod -R u+w "$WORK/src"
  rm -f "$WORK/src/go.work" "$WORK/src/go.work.sum"
  SRC="$WORK/src"
}

# drop_local_replaces: a module zip never contains nested modules, so a
# `replace X => ./sub` cannot work from the zip. Drop such replaces so the
# require line's published (pseudo-)version of X is used instead.
drop_local_replaces() {
  local line old
  while IFS= read -r line; do
    old="${line%% *}"
    log "fix: dropping local replace $line (nested module not in the zip; using the required published version)"
    (cd "$SRC" && "$GO" mod edit -dropreplace="$old")
  done < <(cd "$SRC" && "$GO" mod edit -json | jq -r '.Replace[]? | select(.New.Version == null) | "\(.Old.Path) => \(.New.Path)"' 2>/dev/null || true)
}

# gobuild OUT_NAME PKG [extra go build args...]
gobuild() {
  local name="$1" pkg="$2"; shift 2
  log "go build $name ($pkg)"
  run_in "$SRC" "$GO" build -trimpath "$@" -o "$STAGE/$name" "$pkg" >&2
}

prom_ldflags() { # $1 = version string
  printf -- '-s -w -X %s.Version=%s -X %s.Revision=%s -X %s.Branch=%s -X %s.BuildUser=%s -X %s.BuildDate=%s' \
    "$PROM_VERSION_PKG" "$1" "$PROM_VERSION_PKG" "$MODVER" "$PROM_VERSION_PKG" "release" \
    "$PROM_VERSION_PKG" "$BUILD_USER" "$PROM_VERSION_PKG" "$BUILD_DATE"
}

# ---------------------------------------------------------------------------
# Tool builders
# ---------------------------------------------------------------------------
build_prometheus() {
  fetch_source
  drop_local_replaces
  local tags=netgo
  # The React UI is built by npm at release time (web/ui/static); the module
  # zip does not have it. With tag builtinassets the UI is go:embed'ed, so
  # only use the tag if the assets are actually present. Without it the
  # server runs fine (API, /-/healthy, /metrics); only the web UI pages 404.
  if [[ -d "$SRC/web/ui/static" ]] && [[ -n "$(ls -A "$SRC/web/ui/static" 2>/dev/null)" ]]; then
    tags="netgo,builtinassets"
  else
    log "fix: web/ui/static (built UI) not in module zip -> building WITHOUT tag builtinassets"
  fi
  prometheus_sd_tags
  [[ -n "$SD_TAGS" ]] && tags="$tags,$SD_TAGS"
  local ld; ld="$(prom_ldflags "$VER")"
  gobuild prometheus ./cmd/prometheus -tags "$tags" -ldflags "$ld"
  gobuild promtool ./cmd/promtool -tags "$tags" -ldflags "$ld"
}

# prometheus_sd_tags: service-discovery plugins are compiled in via
# plugins/plugin_<x>.go (//go:build !remove_all_sd || enable_<x>_sd). If a
# plugin's dependency cannot be downloaded (the Go proxy here does not serve
# every pseudo-version, e.g. github.com/hashicorp/nomad/api), build with
# remove_all_sd plus enable_<x>_sd for every plugin whose deps resolve.
prometheus_sd_tags() {
  SD_TAGS=""
  if (cd "$SRC" && "$GO" list -deps ./cmd/prometheus >/dev/null 2>"$WORK/sd-probe.err"); then
    return
  fi
  log "fix: not every service-discovery plugin's deps can be fetched:"
  grep -v '^go: downloading' "$WORK/sd-probe.err" | head -n 5 >&2 || true
  local f tag ok=() dropped=()
  for f in "$SRC"/plugins/plugin_*.go; do
    tag="$(sed -n 's#^//go:build .*\(enable_[a-z0-9_]*_sd\).*#\1#p' "$f" | head -n1)"
    [[ -n "$tag" ]] || continue
    if (cd "$SRC" && "$GO" list -deps -tags "remove_all_sd,$tag" ./cmd/prometheus >/dev/null 2>&1); then
      ok+=("$tag")
    else
      dropped+=("$tag")
    fi
  done
  SD_TAGS="remove_all_sd"
  local t; for t in "${ok[@]}"; do SD_TAGS="$SD_TAGS,$t"; done
  log "fix: building with remove_all_sd; dropped SD plugins: ${dropped[*]:-none}"
}

build_alertmanager() {
  fetch_source
  drop_local_replaces
  # The Elm/TS UI is built at release time; the embed dir may be absent from
  # the module zip. Give every go:embed pattern that matches nothing a
  # placeholder so the package compiles (UI then shows a stub page).
  embed_placeholders
  local ld; ld="$(prom_ldflags "$VER")"
  gobuild alertmanager ./cmd/alertmanager -tags netgo -ldflags "$ld"
  gobuild amtool ./cmd/amtool -tags netgo -ldflags "$ld"
}

# embed_placeholders: for each non-test .go file under $SRC with a
# //go:embed directive whose pattern matches nothing, create a placeholder.
embed_placeholders() {
  local f dir pat
  while IFS= read -r f; do
    dir="$(dirname "$f")"
    while IFS= read -r pat; do
      pat="${pat#all:}"
      # shellcheck disable=SC2086
      if ! compgen -G "$dir/$pat" >/dev/null; then
        local target="$dir/${pat%%[*?[]*}"
        if [[ "$pat" == *"*"* || "$pat" == *"?"* ]]; then
          # glob like dist/*.js -> create dist/placeholder<ext>
          local base="${pat%/*}" ext="${pat##*.}"
          [[ "$base" == "$pat" ]] && base="."
          mkdir -p "$dir/$base"
          [[ "$ext" == "$pat" || "$ext" == *"*"* ]] && ext=txt
          : >"$dir/$base/placeholder.$ext"
          log "fix: go:embed '$pat' in ${f#"$SRC"/} matched nothing -> placeholder $base/placeholder.$ext"
        else
          mkdir -p "$target"
          printf '<!doctype html><title>obs-stack testbed</title><p>UI not built in this testbed binary.</p>\n' >"$target/index.html"
          log "fix: go:embed '$pat' in ${f#"$SRC"/} missing -> placeholder dir with index.html"
        fi
      fi
    done < <(sed -n 's#^//go:embed[[:space:]]\+##p' "$f" | tr ' ' '\n' | sed '/^$/d')
  done < <(grep -rl --include='*.go' '^//go:embed' "$SRC" | grep -v '_test\.go$' | grep -v '/testdata/' || true)
}

# bump_unserved MODULE: if the version of MODULE required by $SRC/go.mod is
# not served by the Go proxy, require the nearest newer served version with
# the same major.minor (a patch bump), e.g. docker/cli v29.9.2 -> v29.9.3.
bump_unserved() {
  local mod="$1" cur mm alt
  cur="$(cd "$SRC" && "$GO" mod edit -json | jq -r --arg m "$mod" '.Require[]? | select(.Path == $m) | .Version')"
  [[ -n "$cur" ]] || return 0
  if (cd "$WORK" && "$GO" mod download "$mod@$cur" >/dev/null 2>&1); then return 0; fi
  mm="$(printf '%s' "$cur" | sed -E 's/^(v[0-9]+\.[0-9]+)\..*/\1/')"
  for alt in $(cd "$WORK" && "$GO" list -m -versions "$mod" 2>/dev/null | tr ' ' '\n' | grep -F "$mm." | sort -V); do
    if [[ "$(printf '%s\n%s\n' "$cur" "$alt" | sort -V | head -n1)" == "$cur" && "$alt" != "$cur" ]] &&
       (cd "$WORK" && "$GO" mod download "$mod@$alt" >/dev/null 2>&1); then
      log "fix: $mod@$cur is not served by the Go proxy -> require $alt (patch bump)"
      (cd "$SRC" && "$GO" mod edit -require="$mod@$alt")
      return 0
    fi
  done
  log "WARNING: $mod@$cur is not served and no newer patch release is; the build will probably fail"
}

build_docker_compose() {
  fetch_source
  drop_local_replaces
  bump_unserved github.com/docker/cli
  # internal/registry/desktop.go (Docker Desktop login via the secrets
  # engine) imports github.com/docker/secrets-engine/{client,x}, which the Go
  # proxy here serves at no version. Stub it: NewDesktopAuthProvider returns
  # the fallback provider (= plain Docker CLI credentials, the behaviour
  # without Docker Desktop anyway).
  if [[ -f "$SRC/internal/registry/desktop.go" ]] && grep -q 'secrets-engine' "$SRC/internal/registry/desktop.go" &&
     ! (cd "$WORK" && "$GO" mod download github.com/docker/secrets-engine/client@"$(cd "$SRC" && "$GO" mod edit -json | jq -r '.Require[]? | select(.Path == "github.com/docker/secrets-engine/client") | .Version')" >/dev/null 2>&1); then
    log "fix: github.com/docker/secrets-engine not served -> stub internal/registry/desktop.go (no Docker Desktop login)"
    rm -f "$SRC/internal/registry/desktop_test.go"
    cat >"$SRC/internal/registry/desktop.go" <<'GO'
// Package registry: obs-stack testbed stub of desktop.go. The Docker Desktop
// secrets-engine modules are not available to this build, so Docker Hub
// credentials always come from the Docker CLI config (the fallback).
package registry

// NewDesktopAuthProvider returns the fallback provider unchanged.
func NewDesktopAuthProvider(fallback AuthProvider) AuthProvider { return fallback }
GO
    (cd "$SRC" && "$GO" mod edit -droprequire=github.com/docker/secrets-engine/client -droprequire=github.com/docker/secrets-engine/x)
  fi
  gobuild docker-compose ./cmd -ldflags "-s -w -X $MODULE/internal.Version=v$VER"
}

build_prom_exporter() {  # node_exporter, blackbox_exporter, pushgateway
  fetch_source
  drop_local_replaces
  gobuild "$TOOL" . -tags netgo -ldflags "$(prom_ldflags "$VER")"
}

resolve_jaeger() {
  # Jaeger tags each release twice on one commit: v1.N.0 (the module version)
  # and v2.M.0 (the release). A v2 tag is not a valid version of a module
  # path without /v2, so the proxy cannot resolve it. Jaeger's CHANGELOG.md
  # heads every release with "v1.N.0 / v2.M.0 (date)": read the pair from the
  # CHANGELOG of the newest v1 module version(s) the proxy serves.
  if [[ "$V_MAJOR" == 1 ]]; then MODVER="v$VER"; return; fi
  local t dir line
  for t in $(cd "$WORK" && "$GO" list -m -versions "$MODULE" 2>/dev/null | tr ' ' '\n' | grep '^v1\.' | sort -Vr | head -n 5); do
    dir="$(cd "$WORK" && "$GO" mod download -json "$MODULE@$t" 2>/dev/null | jq -r '.Dir // empty')" || continue
    [[ -n "$dir" && -f "$dir/CHANGELOG.md" ]] || continue
    line="$(grep -E -m1 "^v1\.[0-9]+\.[0-9]+ / v$VER( |$)" "$dir/CHANGELOG.md" || true)"
    if [[ -n "$line" ]]; then MODVER="${line%% *}"; break; fi
  done
  [[ -n "$MODVER" ]] || die "cannot map jaeger v$VER to a v1.x module version served by the Go proxy"
  log "jaeger v$VER -> module $MODULE@$MODVER (CHANGELOG: ${line})"
}

build_jaeger() {
  resolve_jaeger
  fetch_source
  drop_local_replaces
  embed_placeholders
  local p="$MODULE/internal/version"
  [[ -d "$SRC/internal/version" ]] || p="$MODULE/pkg/version"
  gobuild jaeger ./cmd/jaeger -ldflags "-s -w -X $p.latestVersion=v$VER -X $p.commitSHA=$MODVER -X $p.date=$BUILD_DATE"
}

build_otelcol_contrib() {
  # 1. install ocb (the builder) at the release version, cached under tools/.
  local ocb_bin="$CACHE_ROOT/tools/ocb-v$VER/builder"
  if [[ ! -x "$ocb_bin" ]]; then
    log "installing ocb $MODULE@$MODVER"
    mkdir -p "$WORK/ocb"
    GOBIN="$WORK/ocb" run_in "$WORK" "$GO" install "$MODULE@$MODVER" >&2
    mkdir -p "$(dirname "$ocb_bin")"
    mv -f "$WORK/ocb/builder" "$ocb_bin.tmp.$$" && mv -f "$ocb_bin.tmp.$$" "$ocb_bin"
  fi
  # 2. versions. Core "beta" modules and contrib modules are v0.X.Y (= the
  # release); core stable modules (confmap providers, pdata, ...) are v1.N.M,
  # paired with the release in ocb's source (DefaultStableOtelColVersion).
  local stable ocb_src
  ocb_src="$(gomod_dir "$MODULE" "$MODVER")"
  stable="$(sed -n 's#^[[:space:]]*DefaultStableOtelColVersion[[:space:]]*=[[:space:]]*"\(v1\.[0-9.]*\)".*#\1#p' "$ocb_src/internal/builder/config.go" | head -n1)"
  [[ -n "$stable" ]] || die "cannot determine the stable (1.x) core version paired with $MODVER"
  local memlim="${OTELCOL_MEMLIMIT_VERSION:-$MODVER}" promexp="${OTELCOL_PROMEXP_VERSION:-$MODVER}"
  # The Go proxy reachable here does not serve every module version. The
  # contrib prometheusexporter is only served at an old version (v0.155.0):
  # fall back to the newest served one, loudly.
  memlim="$(served_or_fallback go.opentelemetry.io/collector/processor/memorylimiterprocessor "$memlim")"
  promexp="$(served_or_fallback github.com/open-telemetry/opentelemetry-collector-contrib/exporter/prometheusexporter "$promexp")"
  log "otelcol: core $MODVER, stable $stable, contrib $MODVER, memorylimiterprocessor $memlim, prometheusexporter $promexp"
  mkdir -p "$WORK/dist"
  sed -e "s#@OTELCOL_VERSION@#$VER#g" -e "s#@CORE_VERSION@#$MODVER#g" -e "s#@STABLE_VERSION@#$stable#g" \
      -e "s#@CONTRIB_VERSION@#$MODVER#g" -e "s#@MEMLIMIT_VERSION@#$memlim#g" -e "s#@PROMEXP_VERSION@#$promexp#g" \
      -e "s#@OUTPUT_PATH@#$WORK/dist#g" \
      "$SCRIPT_DIR/otelcol-manifest.yaml" >"$WORK/manifest.yaml"
  # 3. preflight: every module named in the manifest must be downloadable.
  local m v missing=()
  while read -r m v; do
    if ! (cd "$WORK" && "$GO" mod download "$m@$v" >/dev/null 2>&1); then missing+=("$m@$v"); fi
  done < <(sed -n 's#^[[:space:]]*-[[:space:]]*gomod:[[:space:]]*\([^ ]*\)[[:space:]]\+\(v[^ ]*\).*#\1 \2#p' "$WORK/manifest.yaml")
  if [[ ${#missing[@]} -gt 0 ]]; then
    printf '  not served: %s\n' "${missing[@]}" >&2
    die "otelcol-contrib $VER: the Go proxy does not serve these module zips; try an older release (0.161.0 is the newest that built here, 2026-11-23)"
  fi
  # 4. generate the sources only. ocb's own `go mod tidy` also resolves the
  # *test* dependencies of every component, some of which the proxy does not
  # serve (e.g. prometheus@v0.315.1 via prometheusexporter's tests), so skip
  # it and let `go build -mod=mod` resolve only what the binary needs.
  run_in "$WORK" "$ocb_bin" --config "$WORK/manifest.yaml" --skip-get-modules --skip-compilation >&2
  if [[ ! -f "$WORK/dist/go.mod" ]]; then
    # --skip-get-modules also skips writing go.mod: write it from the manifest
    # (+ the telemetry module ocb adds by default: collector/service).
    (cd "$WORK/dist" && "$GO" mod init obs-stack/otelcol-contrib) >&2
    local reqs=(-require="go.opentelemetry.io/collector/service@$MODVER")
    while read -r m v; do reqs+=(-require="$m@$v"); done \
      < <(sed -n 's#^[[:space:]]*-[[:space:]]*gomod:[[:space:]]*\([^ ]*\)[[:space:]]\+\(v[^ ]*\).*#\1 \2#p' "$WORK/manifest.yaml")
    (cd "$WORK/dist" && "$GO" mod edit "${reqs[@]}")
  fi
  log "go build otelcol-contrib"
  if ! run_in "$WORK/dist" "$GO" build -trimpath -ldflags "-s -w" -o "$STAGE/otelcol-contrib" . 2>"$WORK/build.err"; then
    grep -v '^go: downloading' "$WORK/build.err" | tail -n 40 >&2
    if grep -q 'not available' "$WORK/build.err"; then
      log "modules the Go proxy refused:"
      grep -o 'proxy.golang.org/[^ ]*\.zip' "$WORK/build.err" | sed 's#proxy.golang.org/##; s#/@v/#@#; s#\.zip$##' | sort -u >&2
    fi
    die "otelcol-contrib $VER build failed"
  fi
  cp "$WORK/manifest.yaml" "$STAGE/otelcol-manifest.resolved.yaml"
}

# ---------------------------------------------------------------------------
# cadvisor
# ---------------------------------------------------------------------------
# Since v0.60 cAdvisor is three modules in one repo: github.com/google/cadvisor
# (docker/podman handlers, fs/devicemapper), .../lib (manager, metrics,
# containerd/crio/systemd handlers; tag lib/vX.Y.Z) and .../cmd (package main,
# REST API, web UI). The root's go.mod replaces lib => ./lib (dropped: lib is
# published at the same version). cmd is not published (proxy: 404 at any
# version) and a module zip never contains nested modules, so when it is not
# served a stand-in main (below) wires the released packages.
cadvisor_ldflags() {
  local p=github.com/google/cadvisor/lib/version gov
  gov="$("$GO" env GOVERSION 2>/dev/null | sed 's/^go//')"
  printf -- '-s -w -X %s.Version=%s -X %s.Revision=%s -X %s.Branch=%s -X %s.BuildUser=%s -X %s.BuildDate=%s -X %s.GoVersion=%s' \
    "$p" "v$VER" "$p" "$MODVER" "$p" release "$p" "$BUILD_USER" "$p" "$BUILD_DATE" "$p" "$gov"
}

build_cadvisor() {
  SRC="$WORK/cmd"
  mkdir -p "$SRC"
  (cd "$WORK" && "$GO" mod download "$MODULE/lib@$MODVER" >/dev/null 2>&1) ||
    die "$MODULE/lib@$MODVER is not served: this builder needs the lib/ module layout (cAdvisor >= v0.60)"
  local cmd_dir
  cmd_dir="$(cd "$WORK" && "$GO" mod download -json "$MODULE/cmd@$MODVER" 2>/dev/null | jq -r '.Dir // empty' || true)"
  if [[ -n "$cmd_dir" && -d "$cmd_dir" ]]; then
    log "source $MODULE/cmd@$MODVER: $cmd_dir"
    cp -a "$cmd_dir/." "$SRC/"; chmod -R u+w "$SRC"
    drop_local_replaces
  else
    log "fix: $MODULE/cmd@$MODVER is not published (nested module, not in the $MODULE zip) -> stand-in main: lib manager + Prometheus collectors; serves /metrics /healthz /api/v2.0/{version,machine} /api/v1.3/machine, no web UI / full REST API"
    write_cadvisor_main "$SRC/main.go"
    BUILD_NOTES="package main is an obs-stack stand-in (cmd module not published): /metrics /healthz /api/v2.0/version /api/v2.0/machine /api/v1.3/machine; no web UI"
    (cd "$SRC" && "$GO" mod init github.com/google/cadvisor/cmd >/dev/null 2>&1)
  fi
  (cd "$SRC" && "$GO" mod edit -require="$MODULE@$MODVER" -require="$MODULE/lib@$MODVER")
  # perf (libpfm) and libipmctl are cgo build tags: off with CGO_ENABLED=0.
  gobuild cadvisor . -tags netgo -ldflags "$(cadvisor_ldflags)"
}

write_cadvisor_main() {
  cat >"$1" <<'GO'
// obs-stack testbed stand-in for cAdvisor's cmd/cadvisor.go (written by
// test/testbed/go-build.sh). The release's package main lives in the nested
// module github.com/google/cadvisor/cmd, which is not published to the Go
// module proxy. This main wires the released library packages the way the
// upstream main does and serves the Prometheus endpoint, /healthz and a few
// JSON endpoints. The web UI and the rest of the REST API are not included.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"k8s.io/klog/v2"
	"k8s.io/utils/clock"

	"github.com/google/cadvisor/lib/cache/memory"
	"github.com/google/cadvisor/lib/container"
	"github.com/google/cadvisor/lib/manager"
	"github.com/google/cadvisor/lib/metrics"
	info "github.com/google/cadvisor/lib/model"
	"github.com/google/cadvisor/lib/utils/sysfs"
	"github.com/google/cadvisor/lib/version"

	// Container providers (upstream: cmd/internal/container/install).
	_ "github.com/google/cadvisor/container/docker/install"
	_ "github.com/google/cadvisor/container/podman/install"
	_ "github.com/google/cadvisor/lib/container/containerd/install"
	_ "github.com/google/cadvisor/lib/container/crio/install"
	_ "github.com/google/cadvisor/lib/container/systemd/install"

	// Filesystem plugins.
	_ "github.com/google/cadvisor/fs/devicemapper/install"
	_ "github.com/google/cadvisor/lib/fs/btrfs/install"
	_ "github.com/google/cadvisor/lib/fs/nfs/install"
	_ "github.com/google/cadvisor/lib/fs/overlay/install"
	_ "github.com/google/cadvisor/lib/fs/tmpfs/install"
	_ "github.com/google/cadvisor/lib/fs/vfs/install"
	_ "github.com/google/cadvisor/lib/fs/zfs/install"
)

var (
	argIP                      = flag.String("listen_ip", "", "IP to listen on, defaults to all IPs")
	argPort                    = flag.Int("port", 8080, "port to listen")
	maxProcs                   = flag.Int("max_procs", 0, "max number of CPUs that can be used simultaneously. Less than 1 for default (number of cores).")
	versionFlag                = flag.Bool("version", false, "print cAdvisor version and exit")
	prometheusEndpoint         = flag.String("prometheus_endpoint", "/metrics", "Endpoint to expose Prometheus metrics on")
	enableProfiling            = flag.Bool("profiling", false, "Enable profiling via web interface host:port/debug/pprof/")
	storeContainerLabels       = flag.Bool("store_container_labels", true, "convert container labels and environment variables into labels on prometheus metrics for each container. If flag set to false, then only metrics exported are container name, first alias, and image name")
	whitelistedContainerLabels = flag.String("whitelisted_container_labels", "", "comma separated list of container labels to be converted to labels on prometheus metrics for each container. store_container_labels must be set to false for this to take effect.")
	envMetadataWhiteList       = flag.String("env_metadata_whitelist", "", "a comma-separated list of environment variable keys matched with specified prefix that needs to be collected for containers, only support containerd and docker runtime for now.")
	urlBasePrefix              = flag.String("url_base_prefix", "", "prefix path that will be prepended to all paths to support some reverse proxies")
	rawCgroupPrefixWhiteList   = flag.String("raw_cgroup_prefix_whitelist", "", "A comma-separated list of cgroup path prefix that needs to be collected even when -docker_only is specified")
	perfEvents                 = flag.String("perf_events_config", "", "Path to a JSON file containing configuration of perf events to measure. Empty value disabled perf events measuring.")
	resctrlInterval            = flag.Duration("resctrl_interval", 0, "Resctrl mon groups updating interval. Zero value disables updating mon groups.")
	storageDuration            = flag.Duration("storage_duration", 2*time.Minute, "How long to keep data stored (Default: 2min).")

	// Same defaults as upstream: these metric groups are off unless enabled.
	ignoreMetrics = container.MetricSet{
		container.MemoryNumaMetrics:              struct{}{},
		container.NetworkTcpUsageMetrics:         struct{}{},
		container.NetworkUdpUsageMetrics:         struct{}{},
		container.NetworkAdvancedTcpUsageMetrics: struct{}{},
		container.ProcessSchedulerMetrics:        struct{}{},
		container.ProcessMetrics:                 struct{}{},
		container.HugetlbUsageMetrics:            struct{}{},
		container.ReferencedMemoryMetrics:        struct{}{},
		container.CPUTopologyMetrics:             struct{}{},
		container.ResctrlMetrics:                 struct{}{},
		container.CPUSetMetrics:                  struct{}{},
	}
	enableMetrics = container.MetricSet{}
)

func init() {
	optstr := container.AllMetrics.String()
	flag.Var(&ignoreMetrics, "disable_metrics", fmt.Sprintf("comma-separated list of `metrics` to be disabled. Options are %s.", optstr))
	flag.Var(&enableMetrics, "enable_metrics", fmt.Sprintf("comma-separated list of `metrics` to be enabled. If set, overrides 'disable_metrics'. Options are %s.", optstr))
}

func main() {
	klog.InitFlags(nil)
	_ = flag.Set("v", "2")
	defer klog.Flush()
	flag.Parse()

	if *versionFlag {
		fmt.Printf("cAdvisor version %s (%s)\n", version.Info["version"], version.Info["revision"])
		os.Exit(0)
	}

	included := container.AllMetrics.Difference(ignoreMetrics)
	if len(enableMetrics) > 0 {
		included = enableMetrics
	}
	klog.V(1).Infof("enabled metrics: %s", included.String())
	if *maxProcs > 0 {
		runtime.GOMAXPROCS(*maxProcs)
	}

	m, err := manager.New(memory.New(*storageDuration, nil), sysfs.NewRealSysFs(), manager.HousekeepingConfigFlags,
		included, strings.Split(*rawCgroupPrefixWhiteList, ","), strings.Split(*envMetadataWhiteList, ","), *perfEvents, *resctrlInterval)
	if err != nil {
		klog.Fatalf("Failed to create a manager: %s", err)
	}

	mux := http.NewServeMux()
	if *enableProfiling {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	}
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	mux.HandleFunc("/api/v2.0/version", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, version.Info["version"], nil) })
	machine := func(w http.ResponseWriter, _ *http.Request) { mi, err := m.GetMachineInfo(); writeJSON(w, mi, err) }
	mux.HandleFunc("/api/v2.0/machine", machine)
	mux.HandleFunc("/api/v1.3/machine", machine)

	labels := metrics.DefaultContainerLabels
	if !*storeContainerLabels {
		labels = metrics.BaseContainerLabels(strings.Split(*whitelistedContainerLabels, ","))
	}
	goCollector := collectors.NewGoCollector()
	processCollector := collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})
	machineCollector := metrics.NewPrometheusMachineCollector(m, included)
	mux.Handle(*prometheusEndpoint, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		opts := info.RequestOptions{IdType: info.TypeName, Count: 1, Recursive: true}
		r := prometheus.NewRegistry()
		r.MustRegister(metrics.NewPrometheusCollector(m, labels, included, clock.RealClock{}, opts),
			machineCollector, goCollector, processCollector)
		promhttp.HandlerFor(r, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}).ServeHTTP(w, req)
	}))
	mux.HandleFunc("/", func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != "/" {
			http.NotFound(w, req)
			return
		}
		fmt.Fprintf(w, "cAdvisor %s (obs-stack testbed build: no web UI)\nendpoints: %s /healthz /api/v2.0/version /api/v2.0/machine /api/v1.3/machine\n",
			version.Info["version"], *prometheusEndpoint)
	})

	if err := m.Start(); err != nil {
		klog.Fatalf("Failed to start manager: %v", err)
	}
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-c
		if err := m.Stop(); err != nil {
			klog.Errorf("Failed to stop container manager: %v", err)
		}
		klog.Infof("Exiting given signal: %v", sig)
		os.Exit(0)
	}()

	klog.V(1).Infof("Starting cAdvisor version: %s-%s on port %d", version.Info["version"], version.Info["revision"], *argPort)
	root := http.NewServeMux()
	root.Handle(*urlBasePrefix+"/", http.StripPrefix(*urlBasePrefix, mux))
	klog.Fatal(http.ListenAndServe(fmt.Sprintf("%s:%d", *argIP, *argPort), root))
}

func writeJSON(w http.ResponseWriter, v any, err error) {
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
GO
}

# served_or_fallback MODULE VERSION: print VERSION if the proxy serves its
# zip, else the newest version whose zip it serves (with a warning).
served_or_fallback() {
  local mod="$1" ver="$2" alt
  if (cd "$WORK" && "$GO" mod download "$mod@$ver" >/dev/null 2>&1); then
    printf '%s\n' "$ver"; return
  fi
  for alt in $(cd "$WORK" && "$GO" list -m -versions "$mod" 2>/dev/null | tr ' ' '\n' | grep '^v' | sort -Vr); do
    if [[ "$(printf '%s\n%s\n' "$alt" "$ver" | sort -V | tail -n1)" == "$ver" ]] &&
       (cd "$WORK" && "$GO" mod download "$mod@$alt" >/dev/null 2>&1); then
      log "WARNING: $mod@$ver is not served by the Go proxy; using $alt"
      printf '%s\n' "$alt"; return
    fi
  done
  die "$mod@$ver is not served and no older served version was found"
}

# ---------------------------------------------------------------------------
# postgres_exporter, redis_exporter, actionlint: `go install MODULE/PKG@VERSION`
# ---------------------------------------------------------------------------
# install_or_build NAME PKG_SUBDIR [go build flags...]: the module's go.mod has
# no replace directives -> plain `go install MODULE[/SUBDIR]@MODVER` (exactly
# the module's own go.mod/go.sum, nothing copied); otherwise (go install
# refuses replaces) fall back to the copy-and-fix path (fetch_source + gobuild).
install_or_build() {
  local name="$1" sub="$2"; shift 2
  local dir pkg
  dir="$(gomod_dir "$MODULE" "$MODVER")"
  pkg="$MODULE${sub:+/$sub}"
  if [[ -n "$("$GO" mod edit -json "$dir/go.mod" | jq -r '.Replace[]? | .Old.Path')" ]]; then
    log "go.mod of $MODULE@$MODVER has replace directives -> copy-and-fix build"
    fetch_source
    drop_local_replaces
    gobuild "$name" "${sub:+./}${sub:-.}" "$@"
    return
  fi
  # gomod_dir fell back to GONOSUMDB if sum.golang.org does not know the
  # version (404); `go install` verifies the module again, so do the same.
  if (cd "$WORK" && "$GO" mod download -json "$MODULE@$MODVER" 2>/dev/null || true) | grep -q 'sum.golang.org.*404'; then
    export GONOSUMDB="$MODULE"
    BUILD_NOTES="GONOSUMDB=$MODULE (sum.golang.org: 404 for $MODVER; dependencies still verified by its go.sum)"
  fi
  log "go install $pkg@$MODVER (no replace directives)"
  if GOBIN="$STAGE" run_in "$WORK" "$GO" install -trimpath "$@" "$pkg@$MODVER" 2>"$WORK/install.err"; then
    [[ -x "$STAGE/$name" ]] || die "go install $pkg@$MODVER did not produce $name"
    return
  fi
  # `go install pkg@version` also looks up the module's latest version (to
  # report deprecation/retraction) and treats a failed lookup as fatal:
  # "loading deprecation for M: reading .../M/@v/list: 403 Forbidden". The
  # proxy here refuses @v/list for postgres_exporter and redis_exporter (403).
  # Fix: put the local module download cache first in GOPROXY (a file://
  # proxy; its @v/list holds the versions already downloaded, incl. MODVER),
  # falling through to the real proxy for anything not cached yet.
  if grep -q 'loading \(deprecation\|retractions\) for' "$WORK/install.err"; then
    grep -v '^go: downloading' "$WORK/install.err" | head -n 2 >&2 || true
    local local_proxy
    local_proxy="file://$("$GO" env GOMODCACHE)/cache/download,$("$GO" env GOPROXY)"
    log "fix: the module's version list cannot be fetched (needed only for go install's deprecation check) -> GOPROXY=$local_proxy"
    rm -f "$STAGE/$name"
    if GOPROXY="$local_proxy" GOBIN="$STAGE" run_in "$WORK" "$GO" install -trimpath "$@" "$pkg@$MODVER" 2>"$WORK/install.err"; then
      [[ -x "$STAGE/$name" ]] || die "go install $pkg@$MODVER did not produce $name"
      return
    fi
    if grep -q 'loading \(deprecation\|retractions\) for' "$WORK/install.err"; then
      # Last resort: `go build` in a copy of the module source (no changes).
      grep -v '^go: downloading' "$WORK/install.err" | head -n 2 >&2 || true
      log "fix: go install still fails on the version lookup -> go build of the downloaded module source (no source changes)"
      rm -f "$STAGE/$name"
      fetch_source
      gobuild "$name" "${sub:+./}${sub:-.}" "$@"
      return
    fi
  fi
  grep -v '^go: downloading' "$WORK/install.err" | tail -n 40 >&2 || true
  if grep -q 'not available' "$WORK/install.err"; then
    log "modules the Go proxy refused:"
    grep -o 'proxy.golang.org/[^ ]*\.zip' "$WORK/install.err" | sed 's#proxy.golang.org/##; s#/@v/#@#; s#\.zip$##' | sort -u >&2 || true
  fi
  die "go install $pkg@$MODVER failed"
}

build_postgres_exporter() {
  # Same prometheus/common version ldflags as upstream's .promu.yml.
  install_or_build postgres_exporter cmd/postgres_exporter -tags netgo -ldflags "$(prom_ldflags "$VER")"
}

build_actionlint() {
  install_or_build actionlint cmd/actionlint -ldflags "-s -w -X github.com/rhysd/actionlint.version=v$VER"
}

build_redis_exporter() {
  # Upstream (Makefile/Dockerfile): -X main.BuildVersion=<tag>
  # -X main.BuildCommitSha=<sha> -X main.BuildDate=<date>.
  install_or_build redis_exporter "" -tags netgo \
    -ldflags "-s -w -X main.BuildVersion=v$VER -X main.BuildCommitSha=$MODVER -X main.BuildDate=$BUILD_DATE"
}

log "building $TOOL $VERSION -> $DEST"
case "$TOOL" in
  prometheus) build_prometheus ;;
  alertmanager) build_alertmanager ;;
  otelcol-contrib) build_otelcol_contrib ;;
  docker-compose) build_docker_compose ;;
  node_exporter|blackbox_exporter|pushgateway) build_prom_exporter ;;
  jaeger) build_jaeger ;;
  cadvisor) build_cadvisor ;;
  postgres_exporter) build_postgres_exporter ;;
  redis_exporter) build_redis_exporter ;;
  actionlint) build_actionlint ;;
esac

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
