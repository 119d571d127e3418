#!/usr/bin/env bash
# Installs the pinned CometBFT (v0.38 line) with `go install` unless the right version is already
# on PATH or in $(go env GOPATH)/bin. Prints the path of the binary on its last line.
#
# COMETBFT_BUILD_TAGS (optional, e.g. "pebbledb"): Go build tags for database backends beyond
# goleveldb, which config.toml's `db_backend` may then name (docs/config.md). With tags, an
# installed binary is only taken if it was built with exactly those (`go version -m` shows them).
set -euo pipefail
COMETBFT_VERSION="${COMETBFT_VERSION:-v0.38.26}"
want="${COMETBFT_VERSION#v}"
tags="$(echo "${COMETBFT_BUILD_TAGS:-}" | tr -s ' ,' ',' | sed 's/^,//; s/,$//')"
have_go=false
if command -v go >/dev/null 2>&1; then have_go=true; fi
gobin=""
if $have_go; then
  gobin="$(go env GOBIN 2>/dev/null || true)"
  [ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
fi
built_with_tags() {
  [ -z "$tags" ] && return 0
  # Without Go nothing could be built: a binary of the right version is taken as it is.
  $have_go || return 0
  go version -m "$1" 2>/dev/null | grep -q -x -E "[[:space:]]*build[[:space:]]+-tags=${tags}"
}
for candidate in "$(command -v cometbft 2>/dev/null || true)" "${gobin:+$gobin/cometbft}"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && [ "$("$candidate" version 2>/dev/null)" = "$want" ] && built_with_tags "$candidate"; then
    echo "cometbft $want${tags:+ (build tags $tags)} already installed" >&2
    echo "$candidate"
    exit 0
  fi
done
if ! $have_go; then
  echo "error: Go is required to install CometBFT $COMETBFT_VERSION (https://go.dev/dl/)" >&2
  exit 1
fi
echo "installing cometbft $COMETBFT_VERSION${tags:+ with build tags $tags} with go install (takes a minute or two)..." >&2
if [ -n "$tags" ] && ! go install -tags "$tags" "github.com/cometbft/cometbft/cmd/cometbft@${COMETBFT_VERSION}"; then
  # pebbledb needs cgo (a C compiler) for its zstd compression: fall back to goleveldb alone.
  echo "warning: building with tags $tags failed (see above); installing without them (goleveldb only)" >&2
  tags=""
fi
if [ -z "$tags" ]; then
  go install "github.com/cometbft/cometbft/cmd/cometbft@${COMETBFT_VERSION}"
fi
"$gobin/cometbft" version >&2
echo "$gobin/cometbft"
