# statsd_exporter: the Prometheus exporter at its module root, no fixes.
MODULE=github.com/prometheus/statsd_exporter
MODVER="v$VER"
BINARIES=(statsd_exporter)

build() { build_prom_exporter; }
