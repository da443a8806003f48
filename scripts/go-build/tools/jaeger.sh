# jaeger: Jaeger v2 (./cmd/jaeger) with a placeholder UI.
# Jaeger v2 lives in module github.com/jaegertracing/jaeger (no /v2): each
# v2.X.Y release tag sits on the same commit as a v1.Z.W tag; the module
# version is that v1 tag (resolved at build time, in resolve_jaeger).
MODULE=github.com/jaegertracing/jaeger
MODVER=""
BINARIES=(jaeger)

build() {
  resolve_jaeger
  fetch_source
  drop_local_replaces
  embed_placeholders
  local p="$MODULE/internal/version"
  [[ -d "$SRC/internal/version" ]] || p="$MODULE/pkg/version"
  gobuild jaeger ./cmd/jaeger -ldflags "-s -w -X $p.latestVersion=v$VER -X $p.commitSHA=$MODVER -X $p.date=$BUILD_DATE"
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
