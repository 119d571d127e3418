#!/usr/bin/env bash
# Lays out a cosmovisor DAEMON_HOME for dcertd from release directories (docs/cosmovisor.md).
#
#   scripts/cosmovisor/setup.sh --home APP_HOME [--genesis RELEASE] [--upgrade NAME=RELEASE]...
#                               [--node-modules DIR] [--keep-case] [--force]
#
# APP_HOME is the app's home (`dcertd start --home`), which is cosmovisor's DAEMON_HOME: the app
# writes $DAEMON_HOME/data/upgrade-info.json at a plan's height and cosmovisor watches that file.
# A RELEASE is a directory holding dist/src/cli/dcertd.js and package.json (a release made by
# scripts/make-release.mjs, or a checkout after `npm run build`), plus release.json and a
# node_modules directory or link when it has them. Each RELEASE is copied to
#   $APP_HOME/cosmovisor/genesis/              (--genesis: the binary the chain starts with)
#   $APP_HOME/cosmovisor/upgrades/<name>/      (--upgrade: the binary for plan <name>)
# as dist/src/, package.json, release.json and a node_modules link (to the release's node_modules, or
# --node-modules DIR), with scripts/cosmovisor/dcertd-wrapper.sh as bin/dcertd (DAEMON_NAME=dcertd).
#
# cosmovisor lower-cases the plan name before it looks for upgrades/<name> (unless
# COSMOVISOR_DISABLE_RECASE=true), so the directory is the lower-cased name; --keep-case keeps the
# name as written (then run cosmovisor with COSMOVISOR_DISABLE_RECASE=true).
# An existing genesis or upgrade directory is refused unless --force (which replaces it).
set -euo pipefail
export LC_ALL=C

usage() {
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
die() {
  echo "setup.sh: $*" >&2
  exit 1
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
wrapper="$here/dcertd-wrapper.sh"
home="" genesis="" node_modules="" keep_case=0 force=0
upgrades=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --home) home="${2:-}"; shift 2 || usage ;;
    --genesis) genesis="${2:-}"; shift 2 || usage ;;
    --upgrade) upgrades+=("${2:-}"); shift 2 || usage ;;
    --node-modules) node_modules="${2:-}"; shift 2 || usage ;;
    --keep-case) keep_case=1; shift ;;
    --force) force=1; shift ;;
    -h | --help) usage ;;
    *) echo "setup.sh: unknown argument \"$1\"" >&2; usage ;;
  esac
done
[ -n "$home" ] || die "--home APP_HOME is required (the app's home, cosmovisor's DAEMON_HOME)"
[ -n "$genesis" ] || [ "${#upgrades[@]}" -gt 0 ] || die "nothing to do: give --genesis RELEASE and/or --upgrade NAME=RELEASE"
mkdir -p "$home"
home="$(cd "$home" && pwd -P)"

# Checks that a directory is a dCERT release; prints its absolute path.
release_dir() {
  local dir="$1"
  [ -d "$dir" ] || die "release directory $dir does not exist"
  dir="$(cd "$dir" && pwd -P)"
  [ -f "$dir/dist/src/cli/dcertd.js" ] || die "$dir/dist/src/cli/dcertd.js is missing: build it (npm run build) or make a release (scripts/make-release.mjs)"
  [ -f "$dir/package.json" ] || die "$dir/package.json is missing: $dir is not a dCERT release"
  echo "$dir"
}

# The node_modules the copy links to: --node-modules, else the release's own (resolved).
modules_for() {
  local src="$1" nm="${node_modules:-$1/node_modules}"
  [ -d "$nm" ] || die "$nm is not a directory: the release has no node_modules; give --node-modules DIR"
  [ -d "$nm/lmdb" ] || die "$nm has no lmdb package: not the dCERT app's dependencies (npm ci in a checkout of the same version)"
  (cd "$nm" && pwd -P)
}

# Copies release $1 into cosmovisor directory $2.
install_release() {
  local src dst="$2" nm
  src="$(release_dir "$1")"
  nm="$(modules_for "$src")"
  if [ -e "$dst" ] || [ -L "$dst" ]; then
    [ "$force" -eq 1 ] || die "$dst already exists (give --force to replace it)"
    rm -rf "$dst"
  fi
  mkdir -p "$dst/bin"
  mkdir -p "$dst/dist"
  cp -R "$src/dist/src" "$dst/dist/src"
  cp "$src/package.json" "$dst/package.json"
  if [ -f "$src/release.json" ]; then cp "$src/release.json" "$dst/release.json"; fi
  ln -s "$nm" "$dst/node_modules"
  cp "$wrapper" "$dst/bin/dcertd"
  chmod 0755 "$dst/bin/dcertd"
  echo "setup.sh: $src -> $dst" >&2
}

valid_plan_name() {
  [ "${#1}" -ge 1 ] && [ "${#1}" -le 140 ] && [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]]
}

mkdir -p "$home/cosmovisor/upgrades" "$home/data"
if [ -n "$genesis" ]; then install_release "$genesis" "$home/cosmovisor/genesis"; fi
for spec in "${upgrades[@]+"${upgrades[@]}"}"; do
  case "$spec" in *=*) ;; *) die "--upgrade takes NAME=RELEASE, got \"$spec\"" ;; esac
  name="${spec%%=*}"
  dir="${spec#*=}"
  valid_plan_name "$name" || die "\"$name\" is not a plan name (1-140 characters [A-Za-z0-9._-], starting with a letter or digit)"
  [ "$keep_case" -eq 1 ] || name="$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]')"
  install_release "$dir" "$home/cosmovisor/upgrades/$name"
done
[ -d "$home/cosmovisor/genesis" ] || echo "setup.sh: warning: $home/cosmovisor/genesis does not exist yet (give --genesis RELEASE before starting cosmovisor)" >&2
echo "$home"
