# thanos: Thanos (Apache-2.0), a TEST tool only: the e2e's stand-in for a
# user's own scale-out metrics backend (receive + query), which the stack
# remote-writes to. Its go.mod has replace directives, so `go install` refuses
# it: copy-and-fix build.
MODULE=github.com/thanos-io/thanos
MODVER="v$VER"
BINARIES=(thanos)

build() {
  # Its go.mod needs go >= 1.26.10; go1.27.3 (fetched by the go command as a
  # module) is the toolchain the build and the e2e were checked with.
  export GOTOOLCHAIN=go1.27.3
  fetch_source
  drop_local_replaces
  # Without slicelabels (Prometheus labels as a slice, the layout Thanos is
  # written for) the receivers crash on the first query.
  gobuild thanos ./cmd/thanos -tags slicelabels -ldflags "$(prom_ldflags "$VER")"
}
