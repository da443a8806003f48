# caddy: the reverse proxy that serves the stack beyond localhost (TLS, basic
# auth, the OTLP token), the standard distribution's main package (cmd/caddy)
# with no plugins. Its go.mod has no replaces: plain `go install`; Caddy reads
# its version from the module's build info, so no ldflags are needed for it.
MODULE=github.com/caddyserver/caddy/v2
MODVER="v$VER"
BINARIES=(caddy)

build() {
  install_or_build caddy cmd/caddy -ldflags "-s -w"
}
