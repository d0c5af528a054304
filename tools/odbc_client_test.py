#!/usr/bin/python3
"""psqlODBC (odbc-postgresql, through unixODBC) works as on PostgreSQL 15.

  tools/odbc_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir and creates the reference
schema of sql-tests/catalog/psql/schema.sql. Then, with a DSN in a temporary odbc.ini (ODBCINI),
both of psqlODBC's drivers (ANSI and Unicode):
- `isql -b` runs a few statements through the DSN;
- pyodbc reads the catalog functions: `cursor.tables()` (SQLTables), `columns()` (SQLColumns),
  `primaryKeys()` (SQLPrimaryKeys), `statistics()` (SQLStatistics), `foreignKeys()`
  (SQLForeignKeys), `getTypeInfo()` (SQLGetTypeInfo), and parameters and results of a prepared
  statement.
The output is compared with sql-tests/catalog/odbc/catalog.out, taken from PostgreSQL 15
(`--server tools/pg_shim.py --write` writes it again). The last line is `N passed, N failed`;
exit code 1 if any failed.
"""

import decimal
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import expected_output, run  # noqa: E402  (same folder)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = os.path.join(ROOT, "sql-tests", "catalog", "psql", "schema.sql")
EXPECTED = os.path.join(ROOT, "sql-tests", "catalog", "odbc", "catalog.out")
DRIVERS = ("PostgreSQL Unicode", "PostgreSQL ANSI")
WRITE = "--write" in sys.argv
if WRITE:
    sys.argv.remove("--write")


def cell(v):
    if isinstance(v, float):
        return repr(v)
    return "NULL" if v is None else str(v)


def table_text(title, call):
    """The result of call() (a catalog function returning the cursor) as lines, or its error."""
    try:
        cursor = call()
        cols = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    except Exception as e:  # noqa: BLE001 - the driver's error is the section's output
        return ["== " + title, "ERROR %s" % (e.args[0] if e.args else e)]
    lines = ["== " + title, "\t".join(cols)]
    # A user relation's oid differs between servers (psqlODBC's SQLColumns gives "table oid").
    masked = {i for i, c in enumerate(cols) if c == "table oid"}
    lines += ["\t".join("<oid>" if i in masked else cell(v) for i, v in enumerate(row))
              for row in rows]
    return lines


def odbc_dump(pyodbc, dsn, ansi):
    conn = pyodbc.connect("DSN=%s;UID=postgres;PWD=postgres" % dsn, autocommit=True)
    if ansi:  # pyodbc's documented set-up for an ANSI driver with a UTF-8 server
        conn.setdecoding(pyodbc.SQL_CHAR, encoding="utf-8")
        conn.setdecoding(pyodbc.SQL_WCHAR, encoding="utf-8")
        conn.setencoding(encoding="utf-8")
    out = []
    cur = conn.cursor()
    out += table_text("tables public", lambda: cur.tables(schema="public"))
    out += table_text("tables s2 TABLE", lambda: cur.tables(schema="s2", tableType="TABLE"))
    out += table_text("columns t", lambda: cur.columns(table="t", schema="public"))
    out += table_text("columns s2.items", lambda: cur.columns(table="items", schema="s2"))
    out += table_text("primaryKeys t", lambda: cur.primaryKeys("t", schema="public"))
    out += table_text("primaryKeys items", lambda: cur.primaryKeys("items", schema="s2"))
    out += table_text("statistics t", lambda: cur.statistics("t", schema="public"))
    out += table_text("foreignKeys t", lambda: cur.foreignKeys(table="t", schema="public"))
    out += table_text("foreignKeys referencing parent",
                      lambda: cur.foreignKeys(foreignTable="parent", foreignSchema="public"))
    out += table_text("getTypeInfo int4", lambda: cur.getTypeInfo(pyodbc.SQL_INTEGER))
    out += table_text("getTypeInfo varchar", lambda: cur.getTypeInfo(pyodbc.SQL_VARCHAR))
    cur = conn.cursor()  # a fresh statement handle for the parameterised statements
    cur.execute("CREATE TEMP TABLE odbc_t (id int PRIMARY KEY, n numeric(10,2), s varchar(20),"
                " d date, ts timestamp, b boolean)")
    cur.execute("INSERT INTO odbc_t VALUES (?, ?, ?, ?, ?, ?)", 1, decimal.Decimal("12.34"),
                "hello", "2024-02-29", "2024-02-29 01:02:03", True)
    cur.execute("INSERT INTO odbc_t VALUES (?, NULL, NULL, NULL, NULL, ?)", 2, False)
    out += table_text("prepared select",
                      lambda: cur.execute("SELECT * FROM odbc_t WHERE id >= ? ORDER BY id", 1))
    out.append("description %s" % [(d[0], d[1].__name__, d[4], d[5], d[6])
                                    for d in cur.description])
    conn.close()
    return out


def body(server, check):
    env = dict(os.environ, PGPASSWORD="postgres")
    r = subprocess.run(["psql", "-X", "-q", "-h", "127.0.0.1", "-p", str(server.port), "-U",
                        "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-f", SCHEMA],
                       env=env, capture_output=True, text=True, timeout=120)
    check("schema", r.returncode == 0, r.stderr)
    with tempfile.TemporaryDirectory(prefix="odbc_") as tmp:
        ini = os.path.join(tmp, "odbc.ini")
        with open(ini, "w") as f:
            for i, driver in enumerate(DRIVERS):
                f.write("[as%d]\nDriver = %s\nServername = 127.0.0.1\nPort = %d\n"
                        "Database = postgres\nSSLmode = disable\n\n" % (i, driver, server.port))
        os.environ["ODBCINI"] = ini
        out = []
        for i, driver in enumerate(DRIVERS):
            r = subprocess.run(["isql", "-b", "-v", "as%d" % i, "postgres", "postgres"],
                               input="SELECT 1 + 1, 'x' || 'y', current_database()\n"
                                     "SELECT count(*) FROM t\n",
                               env=dict(os.environ), capture_output=True, text=True, timeout=60)
            lines = [ln.rstrip() for ln in r.stdout.splitlines()
                     if ln.startswith("|") and not ln.startswith("| Connected")]
            out += ["== isql %s rc=%d" % (driver, r.returncode)] + lines
            if r.stderr:
                out.append("stderr " + r.stderr.strip())
            # The driver runs in a child process: a crash inside psqlODBC (it has crashed on
            # catalog values it did not expect) is a failed section, and the server is still
            # stopped by the harness.
            child = subprocess.run([sys.executable, os.path.abspath(__file__), "--dump",
                                    "as%d" % i, "ansi" if "ANSI" in driver else "unicode"],
                                   env=dict(os.environ), capture_output=True, text=True,
                                   timeout=300)
            out.append("== driver %s" % driver)
            if child.returncode != 0:
                out.append("driver process ended with %d: %s" % (child.returncode,
                                                                  child.stderr.strip()[-500:]))
            else:
                out += child.stdout.splitlines()
    text = "\n".join(out) + "\n"
    want = expected_output(EXPECTED, text, WRITE)
    if want is None:
        return
    # One check per section, so that a failure names the catalog function.
    def sections(t):
        res, name = {}, None
        for ln in t.splitlines():
            if ln.startswith("== "):
                name = ln
                while name in res:  # the same section under the second driver
                    name += "'"
                res[name] = []
            elif name is not None:
                res[name].append(ln)
        return res

    got_s, want_s = sections(text), sections(want)
    for name in want_s:
        g = got_s.get(name)
        check(name, g == want_s[name],
              "\n--- got\n%s\n--- want\n%s" % ("\n".join(g or ["<missing>"]),
                                                "\n".join(want_s[name])))
    check("no extra sections", set(got_s) <= set(want_s), str(set(got_s) - set(want_s)))


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "--dump":
    import pyodbc  # noqa: E402  (the child that talks to the driver)

    print("\n".join(odbc_dump(pyodbc, sys.argv[2], sys.argv[3] == "ansi")))
    sys.exit(0)

if __name__ == "__main__":
    sys.exit(run(__doc__.splitlines()[0], body))
