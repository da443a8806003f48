// Package registry: obs-stack testbed stub of docker/compose's
// internal/registry/desktop.go, copied over it by
// scripts/go-build/tools/docker-compose.sh. The Docker Desktop
// secrets-engine modules are not available to this build, so Docker Hub
// credentials always come from the Docker CLI config (the fallback).
package registry

// NewDesktopAuthProvider returns the fallback provider unchanged.
func NewDesktopAuthProvider(fallback AuthProvider) AuthProvider { return fallback }
