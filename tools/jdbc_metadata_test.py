#!/usr/bin/python3
"""pgjdbc's DatabaseMetaData answers what it answers on PostgreSQL 15.

  tools/jdbc_metadata_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir, creates the reference
schema of sql-tests/catalog/psql/schema.sql, runs tools/JdbcMetadataDump.java (getCatalogs,
getSchemas, getTables, getColumns, getPrimaryKeys, getImportedKeys, getExportedKeys,
getCrossReference, getIndexInfo, getTablePrivileges, getColumnPrivileges, getTableTypes,
getProcedures, getFunctions, getUDTs, getVersionColumns, getBestRowIdentifier and a query's
ResultSetMetaData) and compares each section of its output with
sql-tests/catalog/jdbc/metadata.out, which was taken from PostgreSQL 15
(`--server tools/pg_shim.py --write` writes it again). The last line is `N passed, N failed`;
exit code 1 if any failed. Not in ctest yet: it is a measurement until pg_settings, pg_proc
and RowDescription's table oids exist (`(f(x)).field` and information_schema._pg_expandarray
do: getPrimaryKeys, getIndexInfo and getBestRowIdentifier pass).
"""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run  # noqa: E402  (same folder)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = os.path.join(ROOT, "sql-tests", "catalog", "psql", "schema.sql")
EXPECTED = os.path.join(ROOT, "sql-tests", "catalog", "jdbc", "metadata.out")
PROGRAM = os.path.join(ROOT, "tools", "JdbcMetadataDump.java")
JAR = "/usr/share/java/postgresql.jar"
WRITE = "--write" in sys.argv
if WRITE:
    sys.argv.remove("--write")


def sections(text):
    """{name: lines} of the dump's `== name` sections, in order. pgjdbc's SPECIFIC_NAME is the
    function's name and oid (`add_tax_16425`); oids differ between servers, so the oid is
    replaced by `<oid>`."""
    out, name = {}, None
    for line in text.splitlines():
        line = re.sub(r"(\t[A-Za-z_][A-Za-z0-9_]*)_\d{5,}$", r"\1_<oid>", line)
        if line.startswith("== "):
            name = line[3:]
            out[name] = []
        elif name is not None:
            out[name].append(line)
    return out


def body(server, check):
    env = dict(os.environ, PGPASSWORD="postgres")
    r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                        str(server.port), "-U", "postgres", "-d", "postgres", "-f", SCHEMA],
                       env=env, capture_output=True, text=True, timeout=60)
    check("schema", r.returncode == 0, r.stderr)
    out = subprocess.run(["java", "-cp", JAR, PROGRAM, str(server.port)], capture_output=True,
                         text=True, timeout=300)
    check("java exit", out.returncode == 0 and out.stdout, out.stderr[-2000:])
    if WRITE:
        with open(EXPECTED, "w") as f:
            f.write(out.stdout)
        return
    with open(EXPECTED) as f:
        want = sections(f.read())
    got = sections(out.stdout)
    for name, lines in want.items():
        have = got.get(name)
        check(name, have == lines,
              "\n--- got\n%s\n--- want\n%s" % ("\n".join(have or ["(missing)"]), "\n".join(lines)))


if __name__ == "__main__":
    sys.exit(run(__doc__.splitlines()[0], body))
