# prometheus: prometheus and promtool, without the web UI and the nomad
# service discovery (test/testbed/README.md, "Module fixes").
# Prometheus 3.x is published as Go module v0.<major*100+minor>.<patch>.
MODULE=github.com/prometheus/prometheus
MODVER="v0.$((V_MAJOR * 100 + V_MINOR)).$V_PATCH"
BINARIES=(prometheus promtool)

build() {
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
