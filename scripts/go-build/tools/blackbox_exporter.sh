# blackbox_exporter: the Prometheus exporter at its module root, no fixes.
MODULE=github.com/prometheus/blackbox_exporter
MODVER="v$VER"
BINARIES=(blackbox_exporter)

build() { build_prom_exporter; }
