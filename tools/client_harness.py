"""The shared skeleton of the client-library tests (tools/*_client_test.py).

run(description, body) parses --server/--start-timeout (and a test's own options), starts the
server on a free port with a fresh temporary --data-dir (and extra_args), calls
body(server, check) and prints `N passed, N failed`.
check(name, ok, detail) counts one result; an exception from body counts as one failure.
Returns the exit code: 1 if anything failed. run_with_reference(description, body) does the same
with a reference PostgreSQL 15 started beside it. session(port) and rows(conn, sql) are the psycopg2
helpers the tests share.
"""

import argparse
import os
import shutil
import sys
import tempfile
import traceback

from crash_test import Server


def checker():
    """check(name, ok, detail) and the counts it keeps ({"passed": n, "failed": n}); a failure
    is printed as `FAILED name detail` at once."""
    counts = {"passed": 0, "failed": 0}

    def check(name, ok, detail=""):
        if ok:
            counts["passed"] += 1
        else:
            counts["failed"] += 1
            print("FAILED %s %s" % (name, detail))
            sys.stdout.flush()

    return check, counts


def run(description, body, argv=None, extra_args=(), add_arguments=None):
    """With add_arguments(ap), a test adds options of its own: body is then called as
    body(server, check, args), and extra_args may be a function of args."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--server", required=True)
    ap.add_argument("--start-timeout", type=float, default=60)
    if add_arguments is not None:
        add_arguments(ap)
    args = ap.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="client_test_")
    extra = extra_args(args) if callable(extra_args) else list(extra_args)
    server = Server(os.path.abspath(args.server), os.path.join(tmp, "data"),
                    os.path.join(tmp, "server.log"), extra, args.start_timeout)
    check, counts = checker()
    try:
        server.start()
        if add_arguments is not None:
            body(server, check, args)
        else:
            body(server, check)
    except Exception as e:  # noqa: BLE001 - report and fail
        check("run", False, "%r\n%s" % (e, traceback.format_exc()))
    finally:
        server.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (counts["passed"], counts["failed"]))
    return 1 if counts["failed"] else 0


def run_with_reference(description, body, argv=None):
    """As run(), with a reference PostgreSQL 15 beside the server under test: --reference
    (default tools/pg_shim.py, the postgresql-15 package's server) starts on another free port
    with its own fresh data directory; body(server, reference, tmp, check) gets both and the
    temporary directory."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--server", required=True)
    ap.add_argument("--reference", default=os.path.join(root, "tools", "pg_shim.py"))
    ap.add_argument("--start-timeout", type=float, default=60)
    args = ap.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="client_test_")
    server = Server(os.path.abspath(args.server), os.path.join(tmp, "data"),
                    os.path.join(tmp, "server.log"), [], args.start_timeout)
    reference = Server(os.path.abspath(args.reference), os.path.join(tmp, "ref"),
                       os.path.join(tmp, "ref.log"), [], args.start_timeout)
    check, counts = checker()
    try:
        server.start()
        reference.start()
        body(server, reference, tmp, check)
    except Exception as e:  # noqa: BLE001 - report and fail
        check("run", False, "%r\n%s" % (e, traceback.format_exc()))
    finally:
        server.kill()
        reference.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (counts["passed"], counts["failed"]))
    return 1 if counts["failed"] else 0


def sqlstate(conn, sql):
    """Runs sql on a DB-API connection (psycopg2); the SQLSTATE it fails with, or None."""
    try:
        conn.cursor().execute(sql)
    except Exception as e:  # noqa: BLE001 - any driver's error carrying a SQLSTATE
        code = getattr(e, "pgcode", None)
        if code is None:
            raise
        return code
    return None


def session(port):
    """An autocommit psycopg2 connection to the test server on 127.0.0.1:port."""
    import psycopg2  # the callers check that it is installed

    conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres",
                            connect_timeout=10, sslmode="disable")
    conn.autocommit = True
    return conn


def rows(conn, sql):
    """All rows of sql on a DB-API connection."""
    cur = conn.cursor()
    cur.execute(sql)
    return cur.fetchall()


def vm_kb(pid, key):
    """A /proc/PID/status figure in kB (VmRSS, VmHWM, ...); 0 when absent."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def expected_output(path, text, write):
    """The expected output a client test compares with, kept in sql-tests/ and taken from
    PostgreSQL 15: with `write` (the test's --write, run against tools/pg_shim.py) stores `text`
    there and returns None; otherwise returns what is stored."""
    if write:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return None
    with open(path) as f:
        return f.read()
