# telemetrygen: the OTLP load client of the Collector contrib (Apache-2.0), at the
# Collector's release version; the e2e sends a known set of spans and metrics
# with it. Its go.mod has no replaces (upstream keeps it `go install`-able).
MODULE=github.com/open-telemetry/opentelemetry-collector-contrib/cmd/telemetrygen
MODVER="v$VER"
BINARIES=(telemetrygen)

build() {
  install_or_build telemetrygen "" -ldflags "-s -w"
}
