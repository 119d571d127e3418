#!/usr/bin/env bash
# Installs cosmovisor (docs/cosmovisor.md) unless the pinned version is already on PATH or in
# $(go env GOPATH)/bin. Prints the path of the binary on its last line.
#
# `go install cosmossdk.io/tools/cosmovisor/cmd/cosmovisor@VERSION` does not work through a module
# proxy that refuses the module's version list (go install asks for it to check deprecation, and
# for cmd/cosmovisor as a module path of its own), so this builds the command from a throw-away
# module that requires the pinned version: the same source, the same go.sum checks.
set -euo pipefail
COSMOVISOR_VERSION="${COSMOVISOR_VERSION:-v1.5.0}"
gobin="$(go env GOBIN 2>/dev/null || true)"
[ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"

# The cosmovisor module version a binary was built from (go version -m), or empty.
built_version() {
  go version -m "$1" 2>/dev/null | awk '$1 == "dep" && $2 == "cosmossdk.io/tools/cosmovisor" { print $3 } $1 == "mod" && $2 == "cosmossdk.io/tools/cosmovisor" { print $3 }' | head -n 1
}

for candidate in "$(command -v cosmovisor 2>/dev/null || true)" "$gobin/cosmovisor"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && [ "$(built_version "$candidate")" = "$COSMOVISOR_VERSION" ]; then
    echo "cosmovisor $COSMOVISOR_VERSION already installed" >&2
    echo "$candidate"
    exit 0
  fi
done
if ! command -v go >/dev/null 2>&1; then
  echo "error: Go is required to build cosmovisor $COSMOVISOR_VERSION" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "building cosmovisor $COSMOVISOR_VERSION (3-4 minutes with empty Go module and build caches)..." >&2
(
  cd "$work"
  go mod init dcert-cosmovisor-build >/dev/null 2>&1
  go get "cosmossdk.io/tools/cosmovisor@${COSMOVISOR_VERSION}" >&2
  mkdir -p "$gobin"
  go build -o "$gobin/cosmovisor" cosmossdk.io/tools/cosmovisor/cmd/cosmovisor >&2
)
[ "$(built_version "$gobin/cosmovisor")" = "$COSMOVISOR_VERSION" ] || {
  echo "error: $gobin/cosmovisor does not report cosmovisor $COSMOVISOR_VERSION" >&2
  exit 1
}
echo "$gobin/cosmovisor"
