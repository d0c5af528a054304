#!/usr/bin/python3
"""What a psycopg2 client sees of PL/pgSQL's RAISE: notices, levels and error fields.

  tools/plpgsql_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir, then checks that:
  * RAISE NOTICE / WARNING / INFO in a DO block and in a function arrive as notices, in order,
    with their % parameters filled in, also when the statement then fails;
  * RAISE LOG and DEBUG are not sent by default, and client_min_messages = warning drops
    NOTICE but keeps WARNING and INFO;
  * RAISE EXCEPTION gives the error's SQLSTATE (P0001 by default, ERRCODE = 'U0001' or a
    condition name otherwise), DETAIL and HINT, and a CONTEXT naming the PL/pgSQL line.
The last line is `N passed, N failed`; exit code 1 if any failed. To check the test against
PostgreSQL: tools/plpgsql_client_test.py --server tools/pg_shim.py.
"""

import os
import sys

try:
    import psycopg2
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("plpgsql_client_test.py: psycopg2 is missing (run with /usr/bin/python3)\n")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run  # noqa: E402  (same folder)
from crash_test import connect  # noqa: E402


def take(conn):
    got = [n.strip() for n in conn.notices]
    del conn.notices[:]
    return got


def body(server, check):
    conn = connect(server.port)
    conn.autocommit = True
    cur = conn.cursor()
    take(conn)

    cur.execute("""DO $$
DECLARE n integer := 3;
BEGIN
  RAISE NOTICE 'n is %, twice %, literal %%', n, n * 2;
  RAISE WARNING 'careful';
  RAISE INFO 'info %', NULL::text;
  RAISE LOG 'not sent';
  RAISE DEBUG 'not sent either';
END $$""")
    got = take(conn)
    check("notice levels", got == ["NOTICE:  n is 3, twice 6, literal %", "WARNING:  careful",
                                   "INFO:  info <NULL>"], repr(got))

    cur.execute("""CREATE FUNCTION noisy(x integer) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  RAISE NOTICE 'called with %', x;
  RETURN x + 1;
END $$""")
    cur.execute("SELECT noisy(1), noisy(2)")
    check("function result", cur.fetchone() == (2, 3))
    got = take(conn)
    check("notices from a function", got == ["NOTICE:  called with 1", "NOTICE:  called with 2"],
          repr(got))

    cur.execute("SET client_min_messages = warning")
    cur.execute("DO $$ BEGIN RAISE NOTICE 'dropped'; RAISE WARNING 'kept'; "
                "RAISE INFO 'info kept'; END $$")
    got = take(conn)
    check("client_min_messages", got == ["WARNING:  kept", "INFO:  info kept"], repr(got))
    cur.execute("RESET client_min_messages")

    try:
        cur.execute("DO $$ BEGIN RAISE NOTICE 'before'; "
                    "RAISE EXCEPTION 'failed %', 7 USING DETAIL = 'd', HINT = 'h'; END $$")
        check("RAISE EXCEPTION fails", False, "no error")
    except psycopg2.Error as e:
        check("RAISE EXCEPTION code", e.pgcode == "P0001", e.pgcode)
        check("RAISE EXCEPTION message", e.diag.message_primary == "failed 7",
              e.diag.message_primary)
        check("RAISE EXCEPTION detail", e.diag.message_detail == "d", e.diag.message_detail)
        check("RAISE EXCEPTION hint", e.diag.message_hint == "h", e.diag.message_hint)
        check("RAISE EXCEPTION context",
              e.diag.context == "PL/pgSQL function inline_code_block line 1 at RAISE",
              repr(e.diag.context))
    got = take(conn)
    check("notice before the error", got == ["NOTICE:  before"], repr(got))

    for sql, code in [("RAISE EXCEPTION 'x' USING ERRCODE = 'U0001'", "U0001"),
                      ("RAISE EXCEPTION 'x' USING ERRCODE = 'unique_violation'", "23505"),
                      ("RAISE SQLSTATE '22P02'", "22P02"),
                      ("RAISE numeric_value_out_of_range", "22003")]:
        try:
            cur.execute("DO $$ BEGIN %s; END $$" % sql)
            check(sql, False, "no error")
        except psycopg2.Error as e:
            check(sql, e.pgcode == code, e.pgcode)

    try:
        cur.execute("SELECT noisy(2147483647)")
        check("error in a function", False, "no error")
    except psycopg2.Error as e:
        check("error in a function: code", e.pgcode == "22003", e.pgcode)
        check("error in a function: context",
              e.diag.context is not None and
              e.diag.context.endswith("PL/pgSQL function noisy(integer) line 4 at RETURN"),
              repr(e.diag.context))
    take(conn)
    conn.close()


if __name__ == "__main__":
    sys.exit(run(__doc__.split("\n")[0], body))
