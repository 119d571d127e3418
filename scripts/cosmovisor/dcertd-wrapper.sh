#!/usr/bin/env bash
# dcertd for cosmovisor: the executable cosmovisor runs as $DAEMON_HOME/cosmovisor/<dir>/bin/dcertd.
#
# A dCERT "binary" is a release directory (dist/, package.json, a node_modules link, release.json);
# setup.sh copies one into cosmovisor's layout and puts this script at <dir>/bin/dcertd, so the
# release is this script's grandparent directory. Node runs the release's compiled dcertd.
#
#   start [flags]   execs `node <release>/dist/src/cli/dcertd.js start --home $DAEMON_HOME ...`.
#                   With DCERTD_COMETBFT_HOME set, it also starts `cometbft node --home` that dir
#                   once the app listens on its ABCI address (see "CometBFT" below).
#   status          answers nothing (exit 1): cosmovisor runs `<bin> status` to read the height and
#                   would refuse the switch if that height were below the plan's (the app halts at
#                   height H with H-1 committed). With no answer it does not check. Use the release's
#                   dcertd (`dcertd status --node ...`) to see a node's status.
#   pre-upgrade     does nothing (exit 0): the plan's handler and migrations run inside consensus.
#   anything else   passed to the release's dcertd unchanged (version, export, keys, ...).
#
# CometBFT (DCERTD_COMETBFT_HOME): the app runs as this process (exec), so cosmovisor's kill reaches
# it; CometBFT is its child and stops by itself when the app's ABCI connection drops (CometBFT
# v0.38 shuts down when its ABCI client fails). Its pid is kept in $DCERTD_COMETBFT_HOME/cometbft.pid
# and the next start waits for a previous CometBFT to be gone (up to DCERTD_COMETBFT_STOP_WAIT_S,
# then SIGTERM, then SIGKILL) so the new one can bind its ports.
#
# Environment:
#   DAEMON_HOME                  the app home (cosmovisor's; the app's data is $DAEMON_HOME/data)
#   DCERTD_COMETBFT_HOME         run CometBFT too, with this home (unset: the app only)
#   DCERTD_COMETBFT_BIN          the cometbft executable (default: cometbft on PATH)
#   DCERTD_COMETBFT_LOG          append CometBFT's output to this file (default: this process's output)
#   DCERTD_COMETBFT_STOP_WAIT_S  seconds to wait for a previous CometBFT (default 20)
#   DCERTD_APP_READY_TIMEOUT_S   seconds to wait for the app's ABCI port before giving up (default 120)
#   DCERTD_NODE_BIN              the node executable (default: node on PATH)
#   DCERTD_NODE_FLAGS            V8 flags for the app (default: --max-semi-space-size=64)
#   DCERTD_PDEATHSIG             "off" to run the app without a parent-death signal (see below)
#
# Parent-death signal: cosmovisor v1.5.0, once it has relaunched the daemon after an upgrade, exits
# on SIGTERM without forwarding it (its handler for the previous daemon fails first and calls
# os.Exit(1)), leaving the new daemon running. The app is therefore started through
# `setpriv --pdeathsig TERM` (util-linux) when it is available: when cosmovisor exits, the app gets
# SIGTERM and stops cleanly, and CometBFT with it.
set -euo pipefail

die() {
  echo "dcertd (cosmovisor wrapper): $*" >&2
  exit 2
}

self="$(readlink -f "${BASH_SOURCE[0]}")"
release="$(dirname "$(dirname "$self")")"
entry="$release/dist/src/cli/dcertd.js"
[ -f "$entry" ] || die "$entry is missing: $release is not a dCERT release (lay it out with scripts/cosmovisor/setup.sh)"
node_bin="${DCERTD_NODE_BIN:-node}"
read -r -a node_flags <<<"${DCERTD_NODE_FLAGS---max-semi-space-size=64}"

# The value of a `--flag value` or `--flag=value` argument, or empty.
flag_value() {
  local name="$1"
  shift
  while [ "$#" -gt 0 ]; do
    case "$1" in
      "--$name") echo "${2:-}"; return 0 ;;
      "--$name="*) echo "${1#--"$name"=}"; return 0 ;;
    esac
    shift
  done
  echo ""
}

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# Waits for a CometBFT left over from the previous run (its pid file) to exit; stops it if it does not.
stop_previous_cometbft() {
  local pidfile="$1" pid waited=0 limit="${DCERTD_COMETBFT_STOP_WAIT_S:-20}"
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  if alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "cometbft"; then
    echo "dcertd (cosmovisor wrapper): waiting for the previous CometBFT (pid $pid) to exit" >&2
    while alive "$pid" && [ "$waited" -lt "$limit" ]; do
      sleep 1
      waited=$((waited + 1))
    done
    if alive "$pid"; then
      echo "dcertd (cosmovisor wrapper): CometBFT pid $pid still running after ${limit}s: SIGTERM" >&2
      kill -TERM "$pid" 2>/dev/null || true
      for _ in 1 2 3 4 5 6 7 8 9 10; do alive "$pid" || break; sleep 1; done
      alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

# Starts CometBFT in the background once the app (pid $1) listens on 127.0.0.1:$2 (bash's /dev/tcp).
launch_cometbft() {
  local app_pid="$1" port="$2" comet_home="$3" comet_bin="${DCERTD_COMETBFT_BIN:-cometbft}"
  local limit="${DCERTD_APP_READY_TIMEOUT_S:-120}"
  command -v "$comet_bin" >/dev/null 2>&1 || die "CometBFT executable \"$comet_bin\" not found (set DCERTD_COMETBFT_BIN)"
  [ -f "$comet_home/config/config.toml" ] || die "$comet_home/config/config.toml is missing (DCERTD_COMETBFT_HOME must be an initialised CometBFT home)"
  stop_previous_cometbft "$comet_home/cometbft.pid"
  (
    waited=0
    until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
      if ! alive "$app_pid"; then exit 0; fi
      if [ "$waited" -ge $((limit * 5)) ]; then
        echo "dcertd (cosmovisor wrapper): the app did not listen on 127.0.0.1:$port within ${limit}s; CometBFT not started" >&2
        exit 1
      fi
      sleep 0.2
      waited=$((waited + 1))
    done
    echo "$BASHPID" >"$comet_home/cometbft.pid"
    echo "dcertd (cosmovisor wrapper): starting CometBFT (pid $BASHPID, home $comet_home)" >&2
    if [ -n "${DCERTD_COMETBFT_LOG:-}" ]; then
      exec "$comet_bin" node --home "$comet_home" >>"$DCERTD_COMETBFT_LOG" 2>&1
    fi
    exec "$comet_bin" node --home "$comet_home"
  ) </dev/null &
}

case "${1:-}" in
  status)
    echo "dcertd (cosmovisor wrapper): 'status' is not answered through cosmovisor; run: node $entry status --node <rpc>" >&2
    exit 1
    ;;
  pre-upgrade)
    echo "dcertd: no pre-upgrade step (the plan's handler and migrations run in consensus at its height)"
    exit 0
    ;;
  start)
    shift
    args=("$@")
    if [ -z "$(flag_value home "$@")" ]; then
      [ -n "${DAEMON_HOME:-}" ] || die "start needs --home <app home> or DAEMON_HOME"
      args=(--home "$DAEMON_HOME" "${args[@]}")
    fi
    if [ -n "${DCERTD_COMETBFT_HOME:-}" ]; then
      abci="$(flag_value abci "$@")"
      abci="${abci:-tcp://127.0.0.1:26658}"
      port="${abci##*:}"
      case "$port" in '' | *[!0-9]*) die "cannot read the ABCI port from --abci $abci" ;; esac
      launch_cometbft "$$" "$port" "$DCERTD_COMETBFT_HOME"
    fi
    pdeath=()
    if [ "${DCERTD_PDEATHSIG:-on}" != "off" ] && command -v setpriv >/dev/null 2>&1; then
      pdeath=(setpriv --pdeathsig TERM)
    fi
    exec "${pdeath[@]+"${pdeath[@]}"}" "$node_bin" "${node_flags[@]+"${node_flags[@]}"}" "$entry" start "${args[@]}"
    ;;
  *)
    exec "$node_bin" "$entry" "$@"
    ;;
esac
