#!/usr/bin/env bash
# The project's whole test command (README): codegen check, typecheck, lint, then every Jest
# project. End-to-end tests start a real CometBFT node; the binary comes from install-cometbft.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export COMETBFT_BIN="${COMETBFT_BIN:-$(bash scripts/install-cometbft.sh | tail -n 1)}"
echo "== codegen check"; bash scripts/codegen.sh --check
echo "== typecheck";     npx tsc -p tsconfig.json --noEmit
echo "== lint";          npx eslint --max-warnings 0 .
echo "== build";         npx tsc -b tsconfig.build.json   # incremental: dist/tsconfig.build.tsbuildinfo
echo "== client";        npm run --silent build:client    # packages/client/dist: no Node types, so no Node globals
echo "== web";           npx tsc -p web/tsconfig.json && npm run --silent build:web   # web/dist: the web app
# Two Jest runs: unit, property and integration suites in parallel; then the end-to-end suites
# one at a time (--runInBand). Each e2e suite runs real CometBFT nodes and app processes, which
# load the machine enough to stall a neighbouring suite's nodes: never run two at once.
# --forceExit: CosmJS HTTP clients keep sockets alive briefly after the e2e suites finish.
echo "== tests"
fast="$(mktemp)"
e2e="$(mktemp)"
set +e
# "$@" (e.g. a path pattern) goes before --selectProjects, which would take it for a project name.
npx jest --ci --forceExit --json --outputFile="$fast" --passWithNoTests "$@" --selectProjects unit property integration
fast_status=$?
echo "== end-to-end tests (in band)"
npx jest --ci --forceExit --json --outputFile="$e2e" --passWithNoTests --runInBand "$@" --selectProjects e2e
e2e_status=$?
set -e
# One plain closing line for CI logs: "tests: N passed, N failed".
node -e '
  const fs = require("node:fs");
  let passed = 0, failed = 0;
  for (const f of process.argv.slice(1)) {
    try {
      const r = JSON.parse(fs.readFileSync(f, "utf8"));
      passed += r.numPassedTests;
      failed += r.numFailedTests;
    } catch {
      // that run wrote no report (e.g. no suite matched)
    }
  }
  console.log(`tests: ${passed} passed, ${failed} failed`);
' "$fast" "$e2e" || true
rm -f "$fast" "$e2e"
if [ "$fast_status" -ne 0 ]; then exit "$fast_status"; fi
exit "$e2e_status"
