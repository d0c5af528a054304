#!/usr/bin/python3
"""Enums and domains across a crash: definitions, data and constraints survive kill -9.

  tools/user_types_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir, then checks that:
  * an enum (with a label added BEFORE another and one renamed), a domain with NOT NULL, a
    DEFAULT and a CHECK, and a table using both are there after a kill -9 and restart, with the
    rows, their order and the constraints as before;
  * a CREATE TYPE and an ALTER TYPE ADD VALUE in a rolled-back transaction leave nothing, also
    after the restart, and a type created in a transaction still open at the kill is gone;
  * an enum value travels as its label in the binary format (psycopg 3, if installed).
The last line is `N passed, N failed`; exit code 1 if any failed. To check the test against
PostgreSQL: tools/user_types_client_test.py --server tools/pg_shim.py.
"""

import os
import sys

try:
    import psycopg2
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("user_types_client_test.py: psycopg2 is missing (run with /usr/bin/python3)\n")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import rows, run, session, sqlstate  # noqa: E402  (same folder)


def body(server, check):
    a = session(server.port)
    cur = a.cursor()
    for stmt in ("DROP TABLE IF EXISTS ut_orders", "DROP DOMAIN IF EXISTS ut_qty",
                 "DROP TYPE IF EXISTS ut_status", "DROP TYPE IF EXISTS ut_gone",
                 "DROP TYPE IF EXISTS ut_open"):
        cur.execute(stmt)
    cur.execute("CREATE TYPE ut_status AS ENUM ('new', 'paid', 'shipped')")
    cur.execute("ALTER TYPE ut_status ADD VALUE 'packed' BEFORE 'shipped'")
    cur.execute("ALTER TYPE ut_status RENAME VALUE 'new' TO 'open'")
    cur.execute("CREATE DOMAIN ut_qty AS int NOT NULL DEFAULT 1 CHECK (VALUE > 0)")
    cur.execute("CREATE TABLE ut_orders (id int PRIMARY KEY, status ut_status, qty ut_qty)")
    cur.execute("CREATE INDEX ut_orders_status ON ut_orders (status)")
    cur.execute("INSERT INTO ut_orders VALUES (1, 'shipped', 3), (2, 'open', 2)")
    cur.execute("INSERT INTO ut_orders (id, status) VALUES (3, 'packed')")
    cur.execute("BEGIN")
    cur.execute("CREATE TYPE ut_gone AS ENUM ('x')")
    cur.execute("ALTER TYPE ut_status ADD VALUE 'lost'")
    cur.execute("ROLLBACK")
    check("rolled-back CREATE TYPE gone", sqlstate(a, "SELECT 'x'::ut_gone") == "42704")
    check("rolled-back ADD VALUE gone", sqlstate(a, "SELECT 'lost'::ut_status") == "22P02")
    before = rows(a, "SELECT id, status, qty FROM ut_orders ORDER BY status")
    check("order by enum", [r[0] for r in before] == [2, 3, 1], before)

    b = session(server.port)
    b.cursor().execute("BEGIN")
    b.cursor().execute("CREATE TYPE ut_open AS ENUM ('y')")
    server.kill()
    server.start()

    c = session(server.port)
    after = rows(c, "SELECT id, status, qty FROM ut_orders ORDER BY status")
    check("rows survive", after == before, after)
    check("labels survive", rows(c, "SELECT enum_range(NULL::ut_status)::text") ==
          [("{open,paid,packed,shipped}",)])
    check("index on enum", rows(c, "SELECT id FROM ut_orders WHERE status >= 'packed' "
                                   "ORDER BY id") == [(1,), (3,)])
    check("type of an open transaction gone", sqlstate(c, "SELECT 'y'::ut_open") == "42704")
    check("rolled-back type still gone", sqlstate(c, "SELECT 'x'::ut_gone") == "42704")
    check("domain check survives",
          sqlstate(c, "INSERT INTO ut_orders VALUES (4, 'paid', 0)") == "23514")
    check("domain not null survives",
          sqlstate(c, "INSERT INTO ut_orders VALUES (4, 'paid', NULL)") == "23502")
    c.cursor().execute("INSERT INTO ut_orders (id, status) VALUES (4, 'paid')")
    check("domain default survives", rows(c, "SELECT qty FROM ut_orders WHERE id = 4") == [(1,)])
    c.cursor().execute("ALTER TYPE ut_status ADD VALUE 'returned'")
    check("add value after restart",
          rows(c, "SELECT enum_last(NULL::ut_status)::text") == [("returned",)])

    try:
        import psycopg  # psycopg 3: binary results and parameters
    except ImportError:
        psycopg = None
    if psycopg is not None:
        with psycopg.connect(host="127.0.0.1", port=server.port, user="postgres",
                             dbname="postgres", autocommit=True) as p3:
            got = p3.cursor(binary=True).execute(
                "SELECT status FROM ut_orders WHERE id = 1").fetchone()
            check("binary enum result", got is not None and got[0] in ("shipped", b"shipped"),
                  got)

    for stmt in ("DROP TABLE ut_orders", "DROP DOMAIN ut_qty", "DROP TYPE ut_status"):
        c.cursor().execute(stmt)


if __name__ == "__main__":
    sys.exit(run(__doc__.splitlines()[0], body))
