# actionlint: the GitHub Actions workflow linter (MIT) that npm test runs on
# .github/workflows; go install of ./cmd/actionlint (no replaces).
MODULE=github.com/rhysd/actionlint
MODVER="v$VER"
BINARIES=(actionlint)

build() {
  install_or_build actionlint cmd/actionlint -ldflags "-s -w -X github.com/rhysd/actionlint.version=v$VER"
}
