#!/usr/bin/python3
"""Shell and base types and user casts survive kill -9 and a restart.

  tools/base_type_restart_test.py --server build/release/activestore

It starts the server (fresh temporary --data-dir), makes a base type over int4in/int4out
LIKE float4 with binary-coercible casts to and from integer and real, a column of it with a
row, a shell type and a cast made in a rolled-back transaction; then, after kill -9 and a
restart:

  * the value reads back, and its casts reinterpret the bits (1065353216::xf::float4 = 1);
  * pg_type shows the base type, its array type and the shell; pg_cast the committed casts
    and not the rolled-back one;
  * DROP TYPE ... CASCADE reports the functions, casts and column, and after one more restart
    the type is gone.

Each check counts once in the last line, `N passed, N failed`; exit code 1 if any failed.
Needs psycopg2 (run with /usr/bin/python3). Against PostgreSQL: --server tools/pg_shim.py.
"""

import argparse
import os
import shutil
import sys
import tempfile

try:
    import psycopg2
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("base_type_restart_test.py: psycopg2 is missing (apt-get install "
                     "python3-psycopg2; run with /usr/bin/python3)\n")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash_test import Server, connect  # noqa: E402  (same folder)

SETUP = [
    "CREATE TYPE xf",
    "CREATE FUNCTION xfin(cstring) RETURNS xf IMMUTABLE STRICT LANGUAGE internal AS 'int4in'",
    "CREATE FUNCTION xfout(xf) RETURNS cstring IMMUTABLE STRICT LANGUAGE internal AS 'int4out'",
    "CREATE TYPE xf (input = xfin, output = xfout, like = float4)",
    "CREATE CAST (integer AS xf) WITHOUT FUNCTION",
    "CREATE CAST (xf AS real) WITHOUT FUNCTION",
    "CREATE TABLE xt (a xf)",
    "INSERT INTO xt VALUES ('1065353216')",
    "CREATE TYPE xshell",
    "BEGIN",
    "CREATE CAST (xf AS integer) WITHOUT FUNCTION",
    "ROLLBACK",
]


def query(port, sql):
    conn = connect(port)
    try:
        cur = conn.cursor()
        cur.execute(sql)
        return cur.fetchall() if cur.description else None
    finally:
        conn.close()


def expect(problems, port, sql, want):
    got = query(port, sql)
    if got != want:
        problems.append("%s gave %r, expected %r" % (sql, got, want))


def main(argv=None):
    ap = argparse.ArgumentParser(description="Base types across kill -9 (module doc).")
    ap.add_argument("--server", required=True, metavar="BINARY")
    ap.add_argument("--start-timeout", type=float, default=60.0)
    ap.add_argument("--keep", action="store_true", help="keep the data directory and log")
    args = ap.parse_args(argv)
    binary = os.path.abspath(args.server)
    if not os.access(binary, os.X_OK):
        sys.stderr.write("base_type_restart_test.py: %s is not executable\n" % binary)
        return 2
    tmp = tempfile.mkdtemp(prefix="activestore-basetype-")
    server = Server(binary, os.path.join(tmp, "data"), os.path.join(tmp, "server.log"), [],
                    args.start_timeout)
    passed = failed = 0

    def report(name, problems):
        nonlocal passed, failed
        if problems:
            failed += 1
            print("check %-34s FAILED" % name)
            for p in problems:
                print("    " + p)
        else:
            passed += 1
            print("check %-34s ok" % name)

    try:
        server.start()
        conn = connect(server.port)
        conn.autocommit = True
        cur = conn.cursor()
        for sql in SETUP:
            cur.execute(sql)
        conn.close()

        server.kill()
        server.start()
        problems = []
        expect(problems, server.port, "SELECT a::text, a::real::text, 5::integer::xf::text FROM xt",
               [("1065353216", "1", "5")])
        report("values and casts after kill -9", problems)

        problems = []
        expect(problems, server.port,
               "SELECT typname, typtype, typlen FROM pg_type WHERE typname IN "
               "('xf', '_xf', 'xshell') ORDER BY typname",
               [("_xf", "b", -1), ("xf", "b", 4), ("xshell", "p", 4)])
        expect(problems, server.port,
               "SELECT castsource::regtype::text, casttarget::regtype::text, castmethod "
               "FROM pg_cast WHERE castsource = 'xf'::regtype OR casttarget = 'xf'::regtype "
               "ORDER BY 1",
               [("integer", "xf", "b"), ("xf", "real", "b")])
        report("catalog rows after kill -9", problems)

        problems = []
        conn = connect(server.port)
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute("DROP TYPE xf CASCADE")
        notices = "".join(conn.notices)
        conn.close()
        for want in ["drop cascades to 5 other objects", "function xfin(cstring)",
                     "function xfout(xf)", "cast from integer to xf", "cast from xf to real",
                     "column a of table xt"]:
            if want not in notices:
                problems.append("DROP TYPE's notice lacks %r: %r" % (want, notices))
        server.kill()
        server.start()
        expect(problems, server.port,
               "SELECT count(*) FROM pg_type WHERE typname IN ('xf', '_xf')", [(0,)])
        expect(problems, server.port,
               "SELECT count(*) FROM pg_proc WHERE proname IN ('xfin', 'xfout')", [(0,)])
        report("DROP TYPE CASCADE and restart", problems)
    except (RuntimeError, psycopg2.Error, OSError) as e:
        failed += 1
        print("error: %s" % " ".join(str(e).split()))
        for line in server.log_tail():
            print("    | " + line)
    finally:
        server.kill()
        if args.keep:
            print("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
