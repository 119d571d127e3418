#!/usr/bin/env bash
# The project's whole test command (README): codegen check, typecheck, lint, then every Jest
# project. End-to-end tests start a real CometBFT node; the binary comes from install-cometbft.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export COMETBFT_BIN="${COMETBFT_BIN:-$(bash scripts/install-cometbft.sh | tail -n 1)}"
echo "== codegen check"; bash scripts/codegen.sh --check
echo "== typecheck";     npx tsc -p tsconfig.json --noEmit
echo "== lint";          npx eslint --max-warnings 0 .
echo "== build";         npx tsc -p tsconfig.build.json
# --forceExit: CosmJS HTTP clients keep sockets alive briefly after the e2e suites finish.
echo "== tests"
results="$(mktemp)"
set +e
npx jest --ci --forceExit --json --outputFile="$results" "$@"
status=$?
set -e
# One plain closing line for CI logs: "tests: N passed, N failed".
node -e 'const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")); console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)' "$results" || true
rm -f "$results"
exit "$status"
