"""The frame of the client-library round-trip tests (tools/*_client_test.py).

check_selects(cur, check, selects): checks the first value of each query.
run(doc, prefix, body, argv): parses --server / --start-timeout, starts the server on a free
port with a fresh temporary --data-dir, calls body(conn, check) where check(name, ok, detail)
counts a result, kills the server, prints `N passed, N failed` and returns the exit code (1 if
any failed)."""

import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash_test import Server, connect  # noqa: E402  (same folder)


def check_selects(cur, check, selects):
    """Runs each (sql, wanted first value) pair and checks the value psycopg2 builds."""
    import psycopg2
    for sql, want in selects:
        try:
            cur.execute(sql)
            got = cur.fetchone()[0]
            check(sql, got == want, "got %r want %r" % (got, want))
        except psycopg2.Error as e:
            check(sql, False, "error %s %s" % (e.pgcode, e))


def run(doc, prefix, body, argv=None):
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--start-timeout", type=float, default=60)
    args = ap.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix=prefix)
    server = Server(os.path.abspath(args.server), os.path.join(tmp, "data"),
                    os.path.join(tmp, "server.log"), [], args.start_timeout)
    counts = {"passed": 0, "failed": 0}

    def check(name, ok, detail=""):
        if ok:
            counts["passed"] += 1
        else:
            counts["failed"] += 1
            print("FAILED %s %s" % (name, detail))

    try:
        server.start()
        conn = connect(server.port)
        body(conn, check)
        conn.close()
    except Exception as e:  # noqa: BLE001 - report and fail
        check("run", False, repr(e))
    finally:
        server.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (counts["passed"], counts["failed"]))
    return 1 if counts["failed"] else 0
