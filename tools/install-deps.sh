#!/usr/bin/env bash
# Installs the Debian 12 packages that ActiveStore needs to build and test, if any is missing.
# Fast (no apt-get at all) when everything is installed. Run as root, or with sudo available.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libwiredtiger-dev wiredtiger
  libantlr4-runtime-dev antlr4 default-jre-headless default-jdk-headless libpostgresql-jdbc-java
  libboost-dev libboost-system-dev libssl-dev libpq-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libspdlog-dev libfmt-dev nlohmann-json3-dev libcli11-dev libtomlplusplus-dev
  libxxhash-dev libhowardhinnant-date-dev tcl8.6-dev tzdata liblz4-dev libzstd-dev
  libjemalloc-dev
  python3 python3-psycopg2 python3-psycopg postgresql-client
  # The client tests (tools/*_client_test.py): psqlODBC through unixODBC and pyodbc, SQLAlchemy,
  # sqlsmith, and PostgreSQL 15 itself as the reference server of the pg_dump round trip;
  # Alembic and Django for the migration tools' test.
  odbc-postgresql unixodbc python3-pyodbc python3-sqlalchemy sqlsmith postgresql-15
  python3-alembic python3-django
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  if [[ "$status" != "installed" ]]; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then
      SUDO=(sudo)
    else
      echo "install-deps: missing packages and not root (no sudo): ${missing[*]}" >&2
      exit 1
    fi
  fi
  # The reference PostgreSQL runs only when a test starts it (tools/pg_shim.py): Debian's
  # package must not create and start a cluster on port 5432, where ActiveStore listens.
  if [[ " ${missing[*]} " == *" postgresql-15 "* ]]; then
    "${SUDO[@]}" mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" |
      "${SUDO[@]}" tee /etc/postgresql-common/createcluster.d/activestore.conf >/dev/null
  fi
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The ANTLR tool is a Java program: check that it runs (it needs the JRE).
if ! antlr4 2>&1 | grep -q "ANTLR Parser Generator"; then
  echo "install-deps: /usr/bin/antlr4 does not run; is a Java runtime installed?" >&2
  exit 1
fi
if ! /usr/bin/python3 -c "import psycopg2, psycopg" 2>/dev/null; then
  echo "install-deps: /usr/bin/python3 cannot import psycopg2 and psycopg (3)" >&2
  exit 1
fi
