# cadvisor: cAdvisor's released packages behind a stand-in main
# (../cadvisor-main.go) while its cmd module is not published.
# Since v0.60 cAdvisor is three modules in one repo: github.com/google/cadvisor
# (docker/podman handlers, fs/devicemapper), .../lib (manager, metrics,
# containerd/crio/systemd handlers; tag lib/vX.Y.Z) and .../cmd (package main,
# REST API, web UI). The root's go.mod replaces lib => ./lib (dropped: lib is
# published at the same version). cmd is not published (proxy: 404 at any
# version) and a module zip never contains nested modules, so when it is not
# served the stand-in main wires the released packages.
MODULE=github.com/google/cadvisor
MODVER="v$VER"
BINARIES=(cadvisor)

build() {
  SRC="$WORK/cmd"
  mkdir -p "$SRC"
  (cd "$WORK" && "$GO" mod download "$MODULE/lib@$MODVER" >/dev/null 2>&1) ||
    die "$MODULE/lib@$MODVER is not served: this builder needs the lib/ module layout (cAdvisor >= v0.60)"
  local cmd_dir
  cmd_dir="$(cd "$WORK" && "$GO" mod download -json "$MODULE/cmd@$MODVER" 2>/dev/null | jq -r '.Dir // empty')" || true
  if [[ -n "$cmd_dir" && -d "$cmd_dir" ]]; then
    log "source $MODULE/cmd@$MODVER: $cmd_dir"
    cp -a "$cmd_dir/." "$SRC/"; chmod -R u+w "$SRC"
    drop_local_replaces
  else
    log "fix: $MODULE/cmd@$MODVER is not published (nested module, not in the $MODULE zip) -> stand-in main: lib manager + Prometheus collectors; serves /metrics /healthz /api/v2.0/{version,machine} /api/v1.3/machine, no web UI / full REST API"
    cp "$GO_BUILD_DIR/cadvisor-main.go" "$SRC/main.go"
    BUILD_NOTES="package main is an obs-stack stand-in (cmd module not published): /metrics /healthz /api/v2.0/version /api/v2.0/machine /api/v1.3/machine; no web UI"
    (cd "$SRC" && "$GO" mod init github.com/google/cadvisor/cmd >/dev/null 2>&1)
  fi
  (cd "$SRC" && "$GO" mod edit -require="$MODULE@$MODVER" -require="$MODULE/lib@$MODVER")
  # perf (libpfm) and libipmctl are cgo build tags: off with CGO_ENABLED=0.
  gobuild cadvisor . -tags netgo -ldflags "$(cadvisor_ldflags)"
}

cadvisor_ldflags() {
  local p=github.com/google/cadvisor/lib/version gov
  gov="$("$GO" env GOVERSION 2>/dev/null | sed 's/^go//')"
  printf -- '-s -w -X %s.Version=%s -X %s.Revision=%s -X %s.Branch=%s -X %s.BuildUser=%s -X %s.BuildDate=%s -X %s.GoVersion=%s' \
    "$p" "v$VER" "$p" "$MODVER" "$p" release "$p" "$BUILD_USER" "$p" "$BUILD_DATE" "$p" "$gov"
}
