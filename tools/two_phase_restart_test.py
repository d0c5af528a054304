#!/usr/bin/python3
"""A prepared transaction survives kill -9 and a restart, with its locks.

  tools/two_phase_restart_test.py --server build/dev/activestore

It starts the server (fresh temporary --data-dir, --sync-mode fsync,
--max-prepared-transactions 4), creates a table with rows, and prepares two transactions
(PREPARE TRANSACTION) that update, delete and insert rows. Then, for each check:

  * the server gets SIGKILL right after the PREPAREs were acknowledged and is restarted on
    the same data directory;
  * pg_prepared_xacts lists both transactions with their owner and database;
  * none of their writes is visible;
  * their row locks are held: writing one of their rows fails with 55P03 under lock_timeout,
    DROP TABLE of their table too, while a row they did not touch can be written;
  * a second kill -9 and restart changes nothing of this;
  * COMMIT PREPARED of one and ROLLBACK PREPARED of the other, from a new session, leave
    exactly the committed transaction's writes, and the rows are free again;
  * after one more restart the result is still there and no prepared transaction is left.

Each check counts once in the last line, `N passed, N failed`; exit code 1 if any failed,
2 on usage errors. Every process it starts is stopped and the temporary directory removed.
Needs psycopg2 (run with /usr/bin/python3). To check the test against PostgreSQL:
tools/two_phase_restart_test.py --server tools/pg_shim.py.
"""

import argparse
import os
import shutil
import sys
import tempfile

try:
    import psycopg2
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("two_phase_restart_test.py: psycopg2 is missing (apt-get install "
                     "python3-psycopg2; run with /usr/bin/python3)\n")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash_test import Server, connect  # noqa: E402  (same folder)


def query(port, sql):
    conn = connect(port)
    try:
        cur = conn.cursor()
        cur.execute(sql)
        return cur.fetchall() if cur.description else None
    finally:
        conn.close()


def sqlstate_of(port, statements):
    """Runs the statements in one session; the SQLSTATE of the first failure, or "ok"."""
    conn = connect(port)
    try:
        cur = conn.cursor()
        for sql in statements:
            cur.execute(sql)
        return "ok"
    except psycopg2.Error as e:
        return e.pgcode or "no sqlstate"
    finally:
        conn.close()


INITIAL = [(1, 100), (2, 200), (3, 300), (4, 400)]
AFTER_COMMIT = [(1, 90), (3, 300), (4, 400), (5, 50)]  # tpc_a committed, tpc_b rolled back


def check_prepared_state(port):
    problems = []
    gids = query(port, "SELECT gid, owner, database FROM pg_prepared_xacts ORDER BY gid")
    want = [("tpc_a", "postgres", "postgres"), ("tpc_b", "postgres", "postgres")]
    if gids != want:
        problems.append("pg_prepared_xacts is %r, expected %r" % (gids, want))
    rows = query(port, "SELECT id, bal FROM tpc ORDER BY id")
    if rows != INITIAL:
        problems.append("rows are %r, expected the initial %r" % (rows, INITIAL))
    timeout = "SET lock_timeout = '200ms'"
    for what, sql in [("update of a row tpc_a updated", "UPDATE tpc SET bal = 0 WHERE id = 1"),
                      ("update of a row tpc_a deleted", "UPDATE tpc SET bal = 0 WHERE id = 2"),
                      ("insert of a key tpc_a inserted", "INSERT INTO tpc VALUES (5, 0)"),
                      ("update of a row tpc_b updated", "UPDATE tpc SET bal = 0 WHERE id = 3")]:
        state = sqlstate_of(port, [timeout, sql])
        if state != "55P03":
            problems.append("%s gave %s, expected 55P03 (lock held)" % (what, state))
    state = sqlstate_of(port, ["BEGIN", timeout, "DROP TABLE tpc"])
    if state != "55P03":
        problems.append("DROP TABLE gave %s, expected 55P03 (table lock held)" % state)
    state = sqlstate_of(port, [timeout, "UPDATE tpc SET bal = bal WHERE id = 4"])
    if state != "ok":
        problems.append("update of an untouched row gave %s" % state)
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description="Prepared transactions across kill -9 (module doc).")
    ap.add_argument("--server", required=True, metavar="BINARY")
    ap.add_argument("--start-timeout", type=float, default=60.0)
    ap.add_argument("--keep", action="store_true", help="keep the data directory and log")
    args = ap.parse_args(argv)
    binary = os.path.abspath(args.server)
    if not os.access(binary, os.X_OK):
        sys.stderr.write("two_phase_restart_test.py: %s is not executable\n" % binary)
        return 2
    tmp = tempfile.mkdtemp(prefix="activestore-2pc-")
    server = Server(binary, os.path.join(tmp, "data"), os.path.join(tmp, "server.log"),
                    ["--max-prepared-transactions", "4"], args.start_timeout)
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
        cur = conn.cursor()
        cur.execute("CREATE TABLE tpc (id integer PRIMARY KEY, bal integer)")
        cur.execute("INSERT INTO tpc VALUES " + ", ".join("(%d, %d)" % r for r in INITIAL))
        for sql in ["BEGIN", "UPDATE tpc SET bal = bal - 10 WHERE id = 1",
                    "DELETE FROM tpc WHERE id = 2", "INSERT INTO tpc VALUES (5, 50)",
                    "PREPARE TRANSACTION 'tpc_a'",
                    "BEGIN ISOLATION LEVEL SERIALIZABLE", "UPDATE tpc SET bal = 0 WHERE id = 3",
                    "PREPARE TRANSACTION 'tpc_b'"]:
            cur.execute(sql)
        conn.close()

        server.kill()
        server.start()
        report("kill -9 after PREPARE", check_prepared_state(server.port))

        server.kill()
        server.start()
        report("second kill -9", check_prepared_state(server.port))

        problems = []
        for sql in ["COMMIT PREPARED 'tpc_a'", "ROLLBACK PREPARED 'tpc_b'"]:
            state = sqlstate_of(server.port, [sql])
            if state != "ok":
                problems.append("%s gave %s" % (sql, state))
        rows = query(server.port, "SELECT id, bal FROM tpc ORDER BY id")
        if rows != AFTER_COMMIT:
            problems.append("rows are %r, expected %r" % (rows, AFTER_COMMIT))
        state = sqlstate_of(server.port, ["SET lock_timeout = '200ms'",
                                          "UPDATE tpc SET bal = bal + 1 WHERE id IN (1, 3, 5)",
                                          "UPDATE tpc SET bal = bal - 1 WHERE id IN (1, 3, 5)"])
        if state != "ok":
            problems.append("writing the rows after COMMIT/ROLLBACK PREPARED gave %s" % state)
        report("COMMIT and ROLLBACK PREPARED", problems)

        server.kill()
        server.start()
        problems = []
        rows = query(server.port, "SELECT id, bal FROM tpc ORDER BY id")
        if rows != AFTER_COMMIT:
            problems.append("rows are %r, expected %r" % (rows, AFTER_COMMIT))
        left = query(server.port, "SELECT count(*) FROM pg_prepared_xacts")
        if left != [(0,)]:
            problems.append("pg_prepared_xacts still has %r" % left)
        report("restart after COMMIT PREPARED", problems)
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
