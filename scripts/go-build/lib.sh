# shellcheck shell=bash
# lib.sh - the shared machinery of go-build.sh, which sources it before it
# builds anything: tool list, cache entry checks, child processes and cleanup,
# module source handling, and the builders several tools share. Functions and
# constants only; they read the globals go-build.sh sets (TOOL, VERSION, VER,
# MODULE, MODVER, BINARIES, BUILD_INPUT, CACHE_ROOT, WORK, STAGE, BUILD_DATE).

GO="${GO:-go}"
GO_BUILD_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS_DIR="$GO_BUILD_DIR/tools"
PROM_VERSION_PKG=github.com/prometheus/common/version
BUILD_USER="obs-stack@go-build"

log() { printf '[go-build] %s\n' "$*" >&2; }
die() { printf '[go-build] ERROR: %s\n' "$*" >&2; exit 1; }

# The tools are the builder files in tools/: adding a tool is adding a file.
tool_names() {
  local f names=()
  for f in "$TOOLS_DIR"/*.sh; do f="${f##*/}"; names+=("${f%.sh}"); done
  printf '%s\n' "${names[*]}"
}

is_tool() {
  local t
  for t in $(tool_names); do [[ "$t" == "$1" ]] && return 0; done
  return 1
}

usage() {
  cat >&2 <<USAGE
usage: go-build.sh <tool> <version>        e.g. go-build.sh prometheus v3.16.0
tools: $(tool_names)
The pinned versions are in scripts/stack/catalog/components.ts (IMAGE_PINS) and tools.ts.
USAGE
  exit 2
}

# ---------------------------------------------------------------------------
# Cache entry
# ---------------------------------------------------------------------------
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

# is_current DIR: a usable cache entry.
is_current() {
  have_all_binaries "$1" || return 1
  [[ -z "$INPUT_STAMP" ]] || grep -qxF "$INPUT_STAMP" "$1/BUILD-INFO" 2>/dev/null
}

# ---------------------------------------------------------------------------
# Child processes and cleanup (go-build.sh installs these as traps)
# ---------------------------------------------------------------------------
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

# run_in DIR CMD...: run CMD in DIR as a background child and wait for it.
run_in() {
  local dir="$1" rc=0; shift
  ( cd "$dir" && exec "$@" ) &
  CHILD=$!
  wait "$CHILD" || rc=$?
  CHILD=""
  return "$rc"
}

# ---------------------------------------------------------------------------
# Module source
# ---------------------------------------------------------------------------
# gomod_dir MODULE VERSION -> prints the read-only source dir in GOMODCACHE.
# If the checksum database does not know the version ("sum.golang.org/lookup
# ... 404 Not Found", seen with a freshly tagged release) retry with GONOSUMDB for exactly
# that module and say so.
gomod_dir() {
  local mod="$1" ver="$2" json dir
  json="$(cd "$WORK" && "$GO" mod download -json "$mod@$ver" 2>/dev/null)" || true
  dir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -n1)"
  if [[ -z "$dir" ]] && printf '%s' "$json" | grep -q 'sum.golang.org.*404'; then
    log "WARNING: checksum database has no entry for $mod@$ver; retrying with GONOSUMDB=$mod (source NOT verified against sum.golang.org)"
    json="$(cd "$WORK" && GONOSUMDB="$mod" "$GO" mod download -json "$mod@$ver" 2>/dev/null)" || true
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
  done < <(cd "$SRC" && "$GO" mod edit -json | jq -r '.Replace[]? | select(.New.Version == null) | "\(.Old.Path) => \(.New.Path)"' 2>/dev/null)
}

# embed_placeholders: for each non-test .go file under $SRC with a
# //go:embed directive whose pattern matches nothing, create a placeholder
# (UIs built at release time are not in the module zip).
embed_placeholders() {
  local f dir pat
  while IFS= read -r f; do
    dir="$(dirname "$f")"
    while IFS= read -r pat; do
      pat="${pat#all:}"
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

# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------
# gobuild OUT_NAME PKG [extra go build args...]
gobuild() {
  local name="$1" pkg="$2"; shift 2
  log "go build $name ($pkg)"
  run_in "$SRC" "$GO" build -trimpath "$@" -o "$STAGE/$name" "$pkg" >&2
}

# prom_ldflags VERSION: the prometheus/common version ldflags (as the
# Prometheus projects' .promu.yml).
prom_ldflags() {
  printf -- '-s -w -X %s.Version=%s -X %s.Revision=%s -X %s.Branch=%s -X %s.BuildUser=%s -X %s.BuildDate=%s' \
    "$PROM_VERSION_PKG" "$1" "$PROM_VERSION_PKG" "$MODVER" "$PROM_VERSION_PKG" "release" \
    "$PROM_VERSION_PKG" "$BUILD_USER" "$PROM_VERSION_PKG" "$BUILD_DATE"
}

# build_prom_exporter: a Prometheus exporter whose main package is the module
# root (node_exporter, blackbox_exporter, pushgateway); no fixes needed.
build_prom_exporter() {
  fetch_source
  drop_local_replaces
  gobuild "$TOOL" . -tags netgo -ldflags "$(prom_ldflags "$VER")"
}

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
    # shellcheck disable=SC2034  # go-build.sh writes it to BUILD-INFO
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
