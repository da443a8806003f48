# postgres_exporter: go install of ./cmd/postgres_exporter (no replaces).
MODULE=github.com/prometheus-community/postgres_exporter
MODVER="v$VER"
BINARIES=(postgres_exporter)

build() {
  # Same prometheus/common version ldflags as upstream's .promu.yml.
  install_or_build postgres_exporter cmd/postgres_exporter -tags netgo -ldflags "$(prom_ldflags "$VER")"
}
