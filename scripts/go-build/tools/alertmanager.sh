# alertmanager: alertmanager and amtool, with a placeholder UI.
MODULE=github.com/prometheus/alertmanager
MODVER="v$VER"
BINARIES=(alertmanager amtool)

build() {
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
