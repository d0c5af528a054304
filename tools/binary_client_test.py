#!/usr/bin/python3
"""Binary wire formats seen by real clients: psycopg 3 binary cursors, psycopg2 bytea and uuid.

  tools/binary_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir, then checks that:
  * a psycopg 3 binary cursor (every result column in binary) reads bool, int2/4/8, float8,
    numeric (0, negative, big scale, NaN), text, varchar, date, timestamp, timestamptz,
    interval, bytea and uuid as the Python values PostgreSQL gives;
  * parameters sent in binary (psycopg 3 `%b`: Decimal as binary numeric, as pgjdbc's
    setBigDecimal does; bytes, UUID, int, float, date/time) are stored and read back
    unchanged;
  * psycopg2 (text format) maps bytea to memoryview and uuid to uuid.UUID both ways.
The last line is `N passed, N failed`; exit code 1 if any failed. To check the test against
PostgreSQL: tools/binary_client_test.py --server tools/pg_shim.py.
"""

import datetime
import decimal
import os
import sys
import uuid

try:
    import psycopg
    import psycopg2
    import psycopg2.extras
except ImportError as e:  # pragma: no cover - environment problem
    sys.stderr.write("binary_client_test.py: %s (run with /usr/bin/python3)\n" % e)
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run  # noqa: E402  (same folder)
from crash_test import connect  # noqa: E402

D = decimal.Decimal
U = uuid.UUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
UTC = datetime.timezone.utc

SELECTS = [
    ("SELECT true, false", (True, False)),
    ("SELECT 1::smallint, -2::integer, 9223372036854775807::bigint", (1, -2, 9223372036854775807)),
    ("SELECT 1.5::float8, '-Infinity'::float8", (1.5, float("-inf"))),
    ("SELECT 0::numeric, 0.00::numeric, -12.3400::numeric, 10000::numeric, 0.0001::numeric",
     (D("0"), D("0.00"), D("-12.3400"), D("10000"), D("0.0001"))),
    ("SELECT 123456789012345678901234567890.123456789012345678901::numeric, 'NaN'::numeric",
     (D("123456789012345678901234567890.123456789012345678901"), D("NaN"))),
    ("SELECT 1e-30::numeric, (2::numeric ^ 100)::numeric(40,0)",
     (D("1E-30"), D("1267650600228229401496703205376"))),
    ("SELECT 'abc'::text, 'x'::varchar(3)", ("abc", "x")),
    ("SELECT date '2024-02-29', date 'infinity' = 'infinity'", (datetime.date(2024, 2, 29), True)),
    ("SELECT timestamp '2024-01-02 03:04:05.678901'",
     (datetime.datetime(2024, 1, 2, 3, 4, 5, 678901),)),
    ("SELECT timestamptz '2024-01-02 03:04:05+02'",
     (datetime.datetime(2024, 1, 2, 1, 4, 5, tzinfo=UTC),)),
    ("SELECT interval '1 day 02:03:04.5'",
     (datetime.timedelta(days=1, hours=2, minutes=3, seconds=4.5),)),
    ("SELECT '\\x00ff41'::bytea, ''::bytea", (b"\x00\xffA", b"")),
    ("SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", (U,)),
    # cstring_send: the text's bytes (psycopg has no loader for cstring: bytes), and cstring[].
    ("SELECT textout('abc'), '{a,b}'::cstring[]",
     (b"abc", b"\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x08\xe3"  # 1 dim, no NULLs, 2275
              b"\x00\x00\x00\x02\x00\x00\x00\x01"  # 2 elements from 1
              b"\x00\x00\x00\x01a\x00\x00\x00\x01b")),
]

PARAMS = [
    ("numeric", D("-12.3400")), ("numeric", D("0")), ("numeric", D("0.000001")),
    ("numeric", D("98765432109876543210.0123456789")), ("numeric", D("NaN")),
    ("numeric", D("1E+20")), ("bytea", b"\x00\x01\xff"), ("uuid", U),
    ("bigint", -5), ("double precision", 0.25), ("boolean", True), ("text", "héllo"),
    ("date", datetime.date(2024, 2, 29)),
    ("timestamp", datetime.datetime(2024, 1, 2, 3, 4, 5, 6)),
    ("timestamptz", datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
    ("interval", datetime.timedelta(days=3, seconds=7)),
]


def body(server, check):
    conn = psycopg.connect(host="127.0.0.1", port=server.port, user="postgres",
                           dbname="postgres", autocommit=True)
    conn.execute("SET TimeZone = 'UTC'")
    for sql, want in SELECTS:
        try:
            got = conn.cursor(binary=True).execute(sql).fetchone()
            # repr, not ==: NaN is not equal to itself, and 0.00 must keep its scale.
            check(sql, repr(got) == repr(want), "got %r want %r" % (got, want))
        except psycopg.Error as e:
            check(sql, False, "error %s %s" % (e.sqlstate, e))
    for i, (typ, value) in enumerate(PARAMS):
        name = "binary parameter %s %r" % (typ, value)
        try:
            conn.execute("CREATE TABLE p%d (id integer PRIMARY KEY, v %s)" % (i, typ))
            conn.execute("INSERT INTO p%d VALUES (1, %%b)" % i, (value,))
            got = conn.cursor(binary=True).execute("SELECT v FROM p%d" % i).fetchone()[0]
            text = conn.execute("SELECT v::text FROM p%d" % i).fetchone()[0]
            same = got == value or (isinstance(value, D) and value.is_nan() and got.is_nan())
            check(name, same and type(got) is type(value), "got %r (%s)" % (got, text))
        except psycopg.Error as e:
            check(name, False, "error %s %s" % (e.sqlstate, e))
    try:
        got = conn.cursor(binary=True).execute(
            "SELECT %b::numeric * 2, %b = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid",
            (D("1.25"), U)).fetchone()
        check("binary parameters in expressions", got == (D("2.50"), True), repr(got))
    except psycopg.Error as e:
        check("binary parameters in expressions", False, "error %s %s" % (e.sqlstate, e))
    conn.close()

    psycopg2.extras.register_uuid()
    conn2 = connect(server.port)
    cur = conn2.cursor()
    cur.execute("CREATE TABLE blobs (id uuid PRIMARY KEY, b bytea)")
    blob = bytes(range(256))
    cur.execute("INSERT INTO blobs VALUES (%s, %s)", (U, psycopg2.Binary(blob)))
    cur.execute("SELECT id, b FROM blobs WHERE id = %s", (U,))
    got_id, got_b = cur.fetchone()
    check("psycopg2 uuid", got_id == U, repr(got_id))
    check("psycopg2 bytea", bytes(got_b) == blob, repr(bytes(got_b)[:16]))
    cur.execute("SET bytea_output = escape")
    cur.execute("SELECT b FROM blobs")
    check("psycopg2 bytea, escape output", bytes(cur.fetchone()[0]) == blob)
    conn2.close()


if __name__ == "__main__":
    sys.exit(run(__doc__.split("\n")[0], body))
