#!/usr/bin/python3
"""psycopg2 round trip of arrays (psycopg2 maps PostgreSQL arrays to Python lists).

  tools/array_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir, then checks that:
  * int[], text[], numeric[], bool[], date[] and multi-dimensional results arrive as the lists
    psycopg2 parses from PostgreSQL's text form (quoting, NULL, empty arrays);
  * list parameters (psycopg2 sends them as ARRAY[...] literals, '{}' when empty) are stored in
    array columns and read back unchanged;
  * `= ANY(%s)` with a list parameter filters as an IN list.
The last line is `N passed, N failed`; exit code 1 if any failed. To check the test against
PostgreSQL: tools/array_client_test.py --server tools/pg_shim.py.
"""

import datetime
import decimal
import os
import sys

try:
    import psycopg2
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("array_client_test.py: psycopg2 is missing (run with /usr/bin/python3)\n")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run  # noqa: E402  (same folder)
from crash_test import connect  # noqa: E402

D = decimal.Decimal

SELECTS = [
    ("SELECT ARRAY[1,2,3]", [1, 2, 3]),
    ("SELECT '{}'::int[]", []),
    ("SELECT ARRAY['a b', NULL, '\"q\"', 'NULL', '']", ["a b", None, '"q"', "NULL", ""]),
    ("SELECT ARRAY[[1,2],[3,4]]", [[1, 2], [3, 4]]),
    ("SELECT ARRAY[1.5, 2]::numeric[]", [D("1.5"), D("2")]),
    ("SELECT '{t,f,NULL}'::bool[]", [True, False, None]),
    ("SELECT '{2024-01-31}'::date[]", [datetime.date(2024, 1, 31)]),
    ("SELECT array_agg(x ORDER BY x) FROM (VALUES (3), (1), (2)) v(x)", [1, 2, 3]),
    ("SELECT string_to_array('a,b,c', ',')", ["a", "b", "c"]),
]

PARAMS = [[1, 2, 3], [], [None, 5], [2147483647, -2147483648]]
TEXT_PARAMS = [["x", "y z"], ["{", "}", ",", "\\", '"'], [], [None, "NULL"]]


def first_value(cur, sql):
    """The first value of the query's first row, or the error as a string."""
    try:
        cur.execute(sql)
        return cur.fetchone()[0]
    except psycopg2.Error as e:
        return "error %s %s" % (e.pgcode, e)


def body(server, check):
    conn = connect(server.port)
    cur = conn.cursor()
    for sql, want in SELECTS:
        got = first_value(cur, sql)
        check(sql, got == want, "got %r want %r" % (got, want))
    cur.execute("CREATE TABLE lists (id integer PRIMARY KEY, a integer[], t text[])")
    for i, (p, t) in enumerate(zip(PARAMS, TEXT_PARAMS)):
        cur.execute("INSERT INTO lists VALUES (%s, %s, %s::text[])", (i, p, t))
    cur.execute("SELECT id, a, t FROM lists ORDER BY id")
    rows = cur.fetchall()
    want = [(i, p, t) for i, (p, t) in enumerate(zip(PARAMS, TEXT_PARAMS))]
    check("parameters round trip", rows == want, repr(rows))
    cur.execute("SELECT id FROM lists WHERE id = ANY(%s) ORDER BY id", ([0, 2, 9],))
    check("= ANY(list)", cur.fetchall() == [(0,), (2,)])
    cur.execute("SELECT id FROM lists WHERE 'y z' = ANY(t)")
    check("text = ANY(column)", cur.fetchall() == [(0,)])
    cur.execute("SELECT %s || %s", ([1], [2, 3]))
    check("list || list", cur.fetchone()[0] == [1, 2, 3])
    conn.close()


if __name__ == "__main__":
    sys.exit(run(__doc__.split("\n")[0], body))
