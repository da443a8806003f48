# pushgateway: the Prometheus exporter at its module root, no fixes.
MODULE=github.com/prometheus/pushgateway
MODVER="v$VER"
BINARIES=(pushgateway)

build() { build_prom_exporter; }
