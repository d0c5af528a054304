#!/usr/bin/env bash
# Installs missing packages, builds the dev preset (Debug, ASan + UBSan) and runs every test:
# unit tests (GoogleTest), the SQL tests (sql-tests/, over the wire), the crash test.
#   tools/test.sh [extra ctest arguments, e.g. -L sql or -R sql_joins]
# Exits non-zero if anything fails. ACTIVESTORE_TEST_JOBS sets ctest's parallelism (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
# Let ccache share compiled objects between clones of the repository (CI builds a fresh one).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake --preset dev
cmake --build --preset dev
ctest --preset dev -j "${ACTIVESTORE_TEST_JOBS:-2}" "$@"
