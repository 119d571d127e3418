#!/usr/bin/env bash
# Regenerates src/generated/ from proto/ with buf + ts-proto (both from node_modules, offline),
# and src/generated/gateway/ (the REST and gRPC servers' schema and route table) from the SDK's
# annotated protos, which come with its Go module through the Go module proxy.
# --check: regenerate into a temporary tree and fail if it differs from the committed one.
set -euo pipefail
cd "$(dirname "$0")/.."
buf=node_modules/.bin/buf
if [ "${1:-}" = "--check" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  cp -r proto "$tmp/proto"
  sed -i "s#\.\./node_modules#$PWD/node_modules#; s#\.\./src/generated#$tmp/generated#" "$tmp/proto/buf.gen.yaml"
  (cd "$tmp/proto" && "$OLDPWD/$buf" generate)
  node scripts/gateway-codegen.mjs "$tmp/generated/gateway"
  if ! diff -r "$tmp/generated" src/generated >/dev/null; then
    diff -r "$tmp/generated" src/generated | head -40 >&2
    echo "error: src/generated is out of date; run 'npm run codegen' and commit the result" >&2
    exit 1
  fi
  echo "src/generated is up to date"
  exit 0
fi
rm -rf src/generated
mkdir -p src/generated
(cd proto && "../$buf" lint && "../$buf" generate)
node scripts/gateway-codegen.mjs src/generated/gateway
echo "generated $(find src/generated -name '*.ts' | wc -l) files into src/generated"
