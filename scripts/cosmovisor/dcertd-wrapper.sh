#!/usr/bin/env bash
# dcertd for cosmovisor: the executable cosmovisor runs as $DAEMON_HOME/cosmovisor/<dir>/bin/dcertd.
#
# A dCERT "binary" is a release directory (dist/, package.json, a node_modules link, release.json);
# setup.sh copies one into cosmovisor's layout and puts this script at <dir>/bin/dcertd, so the
# release is this script's grandparent directory. Node runs the release's compiled dcertd.
#
#   start [flags]   runs `node <release>/dist/src/cli/dcertd.js start --home $DAEMON_HOME ...` and
#                   exits with the app's exit code (see "Halt" below). With DCERTD_COMETBFT_HOME set,
#                   it also starts `cometbft node --home` that dir once the app listens on its ABCI
#                   address (see "CometBFT" below).
#   status          answers nothing (exit 1): cosmovisor runs `<bin> status` to read the height and
#                   would refuse the switch if that height were below the plan's (the app halts at
#                   height H with H-1 committed). With no answer it does not check. Use the release's
#                   dcertd (`dcertd status --node ...`) to see a node's status.
#   pre-upgrade     does nothing (exit 0): the plan's handler and migrations run inside consensus.
#   anything else   passed to the release's dcertd unchanged (version, export, keys, ...).
#
# Halt: at a plan's height the app writes $DAEMON_HOME/data/upgrade-info.json and exits with code 75
# (EXIT_UPGRADE_NEEDED). cosmovisor v1.5.0 has two ways to notice: its poller (every
# DAEMON_POLL_INTERVAL, 300ms) sees the file while the daemon runs and kills it, or the daemon exits
# and it checks the file once more. The second way races with a poller check in progress (both read
# the file; the one that loses returns "no upgrade"), and cosmovisor then exits with "exit status 75"
# instead of switching (seen here; docs/cosmovisor.md). So after exit code 75 this script stays
# DCERTD_HALT_LINGER_S seconds (default: 2, or 3 x DAEMON_POLL_INTERVAL if longer) before exiting:
# the poller's check completes first and the switch happens. A restart of cosmovisor after such a miss switches too (the old app refuses to
# start at the plan's height, and the poller finds the file at once).
#
# Signals: SIGTERM, SIGINT and SIGQUIT are passed to the app as SIGTERM (it closes cleanly). The app
# is started with a parent-death signal (`setpriv --pdeathsig TERM`, util-linux) and so is this
# script, re-executed under setpriv: if cosmovisor kills this script (SIGKILL when its poller finds
# upgrade-info.json) the app gets SIGTERM, and if cosmovisor itself exits without stopping its
# daemon this script gets SIGTERM. The latter happens: cosmovisor v1.5.0, once it has relaunched the
# daemon after an upgrade, exits on SIGTERM without forwarding it (its handler for the previous
# daemon fails first and calls os.Exit(1)), which used to leave the new app running.
#
# CometBFT (DCERTD_COMETBFT_HOME): CometBFT is a child of this script and stops by itself when the
# app's ABCI connection drops (CometBFT v0.38 shuts down when its ABCI client fails). Its pid is kept
# in $DCERTD_COMETBFT_HOME/cometbft.pid and the next start waits for a previous CometBFT to be gone
# (up to DCERTD_COMETBFT_STOP_WAIT_S, then SIGTERM, then SIGKILL) so the new one can bind its ports.
#
# Environment:
#   DAEMON_HOME                  the app home (cosmovisor's; the app's data is $DAEMON_HOME/data)
#   DCERTD_COMETBFT_HOME         run CometBFT too, with this home (unset: the app only)
#   DCERTD_COMETBFT_BIN          the cometbft executable (default: cometbft on PATH)
#   DCERTD_COMETBFT_LOG          append CometBFT's output to this file (default: this process's output)
#   DCERTD_COMETBFT_STOP_WAIT_S  seconds to wait for a previous CometBFT (default 20)
#   DCERTD_APP_READY_TIMEOUT_S   seconds to wait for the app's ABCI port before giving up (default 120)
#   DCERTD_HALT_LINGER_S         seconds to stay after the app's exit code 75 (default 2 or 3 polls)
#   DCERTD_NODE_BIN              the node executable (default: node on PATH)
#   DCERTD_NODE_FLAGS            V8 flags for the app (default: --max-semi-space-size=64)
#   DCERTD_PDEATHSIG             "off": no parent-death signals (setpriv is not used)
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

# Seconds to stay after the app's exit code 75: DCERTD_HALT_LINGER_S, else 2 or three poll
# intervals of cosmovisor (DAEMON_POLL_INTERVAL as Nms or Ns), whichever is longer.
halt_linger() {
  if [ -n "${DCERTD_HALT_LINGER_S:-}" ]; then
    echo "$DCERTD_HALT_LINGER_S"
    return 0
  fi
  local poll="${DAEMON_POLL_INTERVAL:-300ms}" s=2 n
  case "$poll" in
    *ms) n="${poll%ms}"; [[ "$n" =~ ^[0-9]{1,9}$ ]] && s=$(((3 * 10#$n + 999) / 1000)) ;;
    *s) n="${poll%s}"; [[ "$n" =~ ^[0-9]{1,9}$ ]] && s=$((3 * 10#$n)) ;;
  esac
  [ "$s" -ge 2 ] || s=2
  echo "$s"
}

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
      if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
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
    pdeath=()
    if [ "${DCERTD_PDEATHSIG:-on}" != "off" ] && command -v setpriv >/dev/null 2>&1; then
      pdeath=(setpriv --pdeathsig TERM)
      if [ "${DCERTD_WRAPPER_PDEATHSIG:-}" != "$PPID" ]; then
        # Once, under a parent-death signal of its own (the marker names the parent it was set for).
        DCERTD_WRAPPER_PDEATHSIG="$PPID" exec setpriv --pdeathsig TERM "$self" "$@"
      fi
    fi
    unset DCERTD_WRAPPER_PDEATHSIG
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
    app_pid=""
    # shellcheck disable=SC2317  # called by the trap
    forward() {
      if [ -n "$app_pid" ]; then kill -TERM "$app_pid" 2>/dev/null || true; fi
    }
    trap forward TERM INT QUIT
    "${pdeath[@]+"${pdeath[@]}"}" "$node_bin" "${node_flags[@]+"${node_flags[@]}"}" "$entry" start "${args[@]}" </dev/null &
    app_pid=$!
    # `wait` returns early when a trapped signal arrives: wait again until the app is gone, then
    # once more for its exit status (bash keeps the status of a reaped background child).
    while alive "$app_pid"; do wait "$app_pid" || true; done
    rc=0
    wait "$app_pid" || rc=$?
    if [ "$rc" -eq 75 ]; then
      linger="$(halt_linger)"
      echo "dcertd (cosmovisor wrapper): the app halted for an upgrade (exit code 75); waiting ${linger}s so cosmovisor sees upgrade-info.json" >&2
      sleep "$linger"
    fi
    exit "$rc"
    ;;
  *)
    exec "$node_bin" "$entry" "$@"
    ;;
esac
