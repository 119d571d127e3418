#!/usr/bin/env bash
# Installs the pinned CometBFT (v0.38 line) with `go install` unless the right version is already
# on PATH or in $(go env GOPATH)/bin. Prints the path of the binary on its last line.
set -euo pipefail
COMETBFT_VERSION="${COMETBFT_VERSION:-v0.38.26}"
want="${COMETBFT_VERSION#v}"
gobin="$(go env GOBIN 2>/dev/null || true)"
[ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
for candidate in "$(command -v cometbft 2>/dev/null || true)" "$gobin/cometbft"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && [ "$("$candidate" version 2>/dev/null)" = "$want" ]; then
    echo "cometbft $want already installed" >&2
    echo "$candidate"
    exit 0
  fi
done
if ! command -v go >/dev/null 2>&1; then
  echo "error: Go is required to install CometBFT $COMETBFT_VERSION (https://go.dev/dl/)" >&2
  exit 1
fi
echo "installing cometbft $COMETBFT_VERSION with go install (takes about a minute)..." >&2
go install "github.com/cometbft/cometbft/cmd/cometbft@${COMETBFT_VERSION}"
"$gobin/cometbft" version >&2
echo "$gobin/cometbft"
