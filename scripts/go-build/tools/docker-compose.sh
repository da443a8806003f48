# docker-compose: Compose v2+ (./cmd), with docker/cli bumped to a served patch
# release and the Docker Desktop login stubbed (../compose-desktop.go).
MODULE="github.com/docker/compose/v$V_MAJOR"
MODVER="v$VER"
BINARIES=(docker-compose)

build() {
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
    cp "$GO_BUILD_DIR/compose-desktop.go" "$SRC/internal/registry/desktop.go"
    (cd "$SRC" && "$GO" mod edit -droprequire=github.com/docker/secrets-engine/client -droprequire=github.com/docker/secrets-engine/x)
  fi
  gobuild docker-compose ./cmd -ldflags "-s -w -X $MODULE/internal.Version=v$VER"
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
