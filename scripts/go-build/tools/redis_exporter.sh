# redis_exporter: go install of the module root (no replaces).
MODULE=github.com/oliver006/redis_exporter
MODVER="v$VER"
BINARIES=(redis_exporter)

build() {
  # Upstream (Makefile/Dockerfile): -X main.BuildVersion=<tag>
  # -X main.BuildCommitSha=<sha> -X main.BuildDate=<date>.
  install_or_build redis_exporter "" -tags netgo \
    -ldflags "-s -w -X main.BuildVersion=v$VER -X main.BuildCommitSha=$MODVER -X main.BuildDate=$BUILD_DATE"
}
