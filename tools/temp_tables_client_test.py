#!/usr/bin/python3
"""Temporary tables across sessions: visibility, end of session, ON COMMIT, crash clean-up.

  tools/temp_tables_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir, then checks that:
  * a temporary table hides a permanent table of the same name in its own session only, and
    the permanent one stays reachable by qualified name;
  * another session cannot read it through the temporary schema's name (0A000), and after the
    owning session closes that name is gone (42P01);
  * a temporary table created in a rolled-back transaction block is gone, ON COMMIT DROP drops
    at commit, ON COMMIT DELETE ROWS empties at each commit, DISCARD TEMP drops them all;
  * after a kill -9 and restart the temporary table of the killed session is gone.
The temporary schema's name is read from current_schemas(true), as in PostgreSQL. The last line
is `N passed, N failed`; exit code 1 if any failed. To check the test against PostgreSQL:
tools/temp_tables_client_test.py --server tools/pg_shim.py.
"""

import os
import sys
import time

try:
    import psycopg2
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("temp_tables_client_test.py: psycopg2 is missing (run with /usr/bin/python3)\n")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import rows, run, session, sqlstate  # noqa: E402  (same folder)


def temp_schema(conn):
    return rows(conn, "SELECT (current_schemas(true))[1]")[0][0]


def body(server, check):
    admin = session(server.port)
    admin.cursor().execute("DROP TABLE IF EXISTS tt")
    admin.cursor().execute("CREATE TABLE tt (a int)")
    admin.cursor().execute("INSERT INTO tt VALUES (1)")

    a = session(server.port)
    a.cursor().execute("CREATE TEMP TABLE tt (a int, b text)")
    a.cursor().execute("INSERT INTO tt VALUES (2, 'temp')")
    schema = temp_schema(a)
    check("temp schema named", schema.startswith("pg_temp"), schema)
    check("temp hides permanent", rows(a, "SELECT a FROM tt") == [(2,)])
    check("permanent by name", rows(a, "SELECT a FROM public.tt") == [(1,)])
    check("pg_temp alias", rows(a, "SELECT b FROM pg_temp.tt") == [("temp",)])
    b = session(server.port)
    check("other session sees permanent", rows(b, "SELECT a FROM tt") == [(1,)])
    state = sqlstate(b, "SELECT * FROM %s.tt" % schema)
    check("other session cannot read it", state == "0A000", state)
    a.close()
    # The server ends a session after the client has gone, as PostgreSQL does: wait for it.
    for _ in range(50):
        state = sqlstate(b, "SELECT * FROM %s.tt" % schema)
        if state != "0A000":
            break
        time.sleep(0.1)
    check("gone with its session", state == "42P01", state)

    c = session(server.port)
    cur = c.cursor()
    cur.execute("BEGIN")
    cur.execute("CREATE TEMP TABLE rb (a int)")
    cur.execute("ROLLBACK")
    check("rolled back", sqlstate(c, "SELECT * FROM rb") == "42P01")
    cur.execute("CREATE TEMP TABLE rb (a int)")
    check("created again", rows(c, "SELECT count(*) FROM rb") == [(0,)])
    cur.execute("BEGIN")
    cur.execute("CREATE TEMP TABLE oc (a int) ON COMMIT DROP")
    cur.execute("INSERT INTO oc VALUES (1)")
    check("on commit drop: there before", rows(c, "SELECT a FROM oc") == [(1,)])
    cur.execute("COMMIT")
    check("on commit drop: gone after", sqlstate(c, "SELECT * FROM oc") == "42P01")
    cur.execute("CREATE TEMP TABLE dr (a int) ON COMMIT DELETE ROWS")
    cur.execute("BEGIN")
    cur.execute("INSERT INTO dr VALUES (1), (2)")
    check("delete rows: there before", rows(c, "SELECT count(*) FROM dr") == [(2,)])
    cur.execute("COMMIT")
    check("delete rows: empty after", rows(c, "SELECT count(*) FROM dr") == [(0,)])
    cur.execute("DISCARD TEMP")
    check("discard temp", sqlstate(c, "SELECT * FROM rb") == "42P01")
    c.close()

    d = session(server.port)
    d.cursor().execute("CREATE TEMP TABLE crash_me (a int)")
    d.cursor().execute("INSERT INTO crash_me VALUES (1)")
    schema = temp_schema(d)
    server.kill()
    server.start()
    e = session(server.port)
    state = sqlstate(e, "SELECT * FROM %s.crash_me" % schema)
    # PostgreSQL keeps the catalog entries until the schema is reused but has removed the
    # files (58P01); here the schema is dropped at start-up (42P01).
    check("crashed session's temp table gone", state in ("42P01", "58P01"), state)
    check("permanent table survives", rows(e, "SELECT a FROM tt") == [(1,)])
    e.cursor().execute("DROP TABLE tt")


if __name__ == "__main__":
    sys.exit(run(__doc__.splitlines()[0], body))
