#!/usr/bin/env bash
# Installs missing packages, builds the release preset and runs the server in the foreground:
#   tools/start.sh [activestore flags...]
# Defaults: --data-dir ./data --port 5432, unless set by flags, --config or ACTIVESTORE_* variables.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake --preset release >/dev/null
cmake --build --preset release --target activestore

args=()
has_flag() {
  local flag=$1 a
  shift
  for a in "$@"; do
    [[ "$a" == "$flag" || "$a" == "$flag="* ]] && return 0
  done
  return 1
}
# A flag would override the same setting from --config FILE or ACTIVESTORE_*: add the defaults
# only when nothing else sets them.
if ! has_flag --config "$@"; then
  if ! has_flag --data-dir "$@" && [[ -z "${ACTIVESTORE_DATA_DIR:-}" ]]; then
    args+=(--data-dir ./data)
  fi
  if ! has_flag --port "$@" && [[ -z "${ACTIVESTORE_PORT:-}" ]]; then
    args+=(--port 5432)
  fi
fi
exec build/release/activestore "${args[@]}" "$@"
