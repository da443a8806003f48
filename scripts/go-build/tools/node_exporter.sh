# node_exporter: the Prometheus exporter at its module root, no fixes.
MODULE=github.com/prometheus/node_exporter
MODVER="v$VER"
BINARIES=(node_exporter)

build() { build_prom_exporter; }
