#!/usr/bin/python3
"""psycopg2 round trip of interval values (psycopg2 maps interval to datetime.timedelta).

  tools/interval_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir, then checks that:
  * interval results arrive as the timedelta psycopg2 builds from PostgreSQL's text form
    (days, seconds, microseconds; months count 30 days, years 365, as psycopg2 does);
  * timedelta parameters (psycopg2 sends them as '<d> days <s>.<us> seconds'::interval)
    are stored in an interval column and read back unchanged;
  * now() - interval '1 hour' and timestamp arithmetic give datetime / timedelta values.
The last line is `N passed, N failed`; exit code 1 if any failed. To check the test against
PostgreSQL: tools/interval_client_test.py --server tools/pg_shim.py.
"""

import datetime
import os
import sys

try:
    import psycopg2
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("interval_client_test.py: psycopg2 is missing (run with /usr/bin/python3)\n")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run  # noqa: E402  (same folder)
from crash_test import connect  # noqa: E402

td = datetime.timedelta

SELECTS = [
    ("SELECT interval '1 hour'", td(hours=1)),
    ("SELECT interval '1 day 02:03:04.5'", td(days=1, hours=2, minutes=3, seconds=4.5)),
    ("SELECT interval '-1 day +02:00'", td(days=-1, hours=2)),
    ("SELECT interval '@ 1 hour ago'", td(hours=-1)),
    ("SELECT 'P1DT2H'::interval", td(days=1, hours=2)),
    ("SELECT interval '1 mon'", td(days=30)),
    ("SELECT interval '1 year 2 mons'", td(days=365 + 60)),
    ("SELECT interval '00:00:00.000001'", td(microseconds=1)),
    ("SELECT timestamp '2024-03-01' - timestamp '2024-02-28 12:00'", td(days=1, hours=12)),
    ("SELECT sum(x) FROM (VALUES (interval '1 hour'), (interval '30 minutes')) v(x)",
     td(hours=1, minutes=30)),
]

PARAMS = [td(0), td(hours=1), td(days=-3, seconds=5), td(days=10, microseconds=999999),
          td(seconds=-1), td(days=999999, seconds=86399, microseconds=999999)]


def body(server, check):
    conn = connect(server.port)
    cur = conn.cursor()
    for sql, want in SELECTS:
        try:
            cur.execute(sql)
            got = cur.fetchone()[0]
            check(sql, got == want, "got %r want %r" % (got, want))
        except psycopg2.Error as e:
            check(sql, False, "error %s %s" % (e.pgcode, e))
    cur.execute("CREATE TABLE spans (id integer PRIMARY KEY, d interval)")
    for i, p in enumerate(PARAMS):
        cur.execute("INSERT INTO spans VALUES (%s, %s)", (i, p))
    cur.execute("SELECT id, d FROM spans ORDER BY id")
    rows = cur.fetchall()
    check("parameters round trip", rows == list(enumerate(PARAMS)), repr(rows))
    cur.execute("SELECT %s::interval * 2, %s + interval '1 day'", (td(hours=1), td(hours=1)))
    check("parameter arithmetic", cur.fetchone() == (td(hours=2), td(days=1, hours=1)))
    cur.execute("SELECT now() - interval '1 hour', now()")
    before, now = cur.fetchone()
    check("now() - interval '1 hour'", isinstance(before, datetime.datetime) and
          now - before == td(hours=1), repr((before, now)))
    conn.close()


if __name__ == "__main__":
    sys.exit(run(__doc__.split("\n")[0], body))
