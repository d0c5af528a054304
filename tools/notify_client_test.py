#!/usr/bin/python3
"""LISTEN / NOTIFY between real connections (psycopg2's asynchronous notifications).

  tools/notify_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir, then checks that:
  * an idle listener receives a notification at once, without sending anything (the
    NotificationResponse arrives on its socket; psycopg2's poll() reads it), with the notifying
    backend's pid, channel and payload;
  * a listener inside a transaction block receives nothing until its block ends;
  * notifications arrive in commit order, only when the transaction commits (none for a
    rollback), and only in sessions of the same database;
  * 10,000 notifications of one transaction (more than one output buffer) all arrive, in order;
  * a listener that holds the queue inside a block makes pg_notification_queue_usage() non-zero,
    and its disconnection frees the queue;
  * many small notifications sent one by one reach an idle listener (prints the rate).
The last line is `N passed, N failed`; exit code 1 if any failed. To check the test against
PostgreSQL: tools/notify_client_test.py --server tools/pg_shim.py.
"""

import os
import select
import sys
import time

try:
    import psycopg2
    import psycopg2.extensions
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("notify_client_test.py: psycopg2 is missing (run with /usr/bin/python3)\n")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import rows, run, session  # noqa: E402  (same folder)


def wait_notifies(conn, count, timeout):
    """Waits (select() on the socket, no query sent) until conn has `count` notifications or
    `timeout` seconds passed; returns them (removed from conn.notifies)."""
    deadline = time.monotonic() + timeout
    conn.poll()  # what libpq already read (commit() does not look)
    while len(conn.notifies) < count:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        if select.select([conn], [], [], left)[0]:
            conn.poll()
    got = list(conn.notifies)
    del conn.notifies[:]
    return [(n.pid, n.channel, n.payload) for n in got]


def pid(conn):
    return rows(conn, "SELECT pg_backend_pid()")[0][0]


def body(server, check):
    listener = session(server.port)
    notifier = session(server.port)
    lpid, npid = pid(listener), pid(notifier)
    listener.cursor().execute("LISTEN c1")
    listener.cursor().execute("LISTEN \"Mixed\"")

    start = time.monotonic()
    notifier.cursor().execute("NOTIFY c1, 'hello'")
    got = wait_notifies(listener, 1, 5)
    latency_ms = (time.monotonic() - start) * 1000
    check("idle listener receives at once", got == [(npid, "c1", "hello")], got)
    print("idle delivery: %.2f ms" % latency_ms)
    notifier.cursor().execute("SELECT pg_notify('Mixed', NULL)")
    notifier.cursor().execute("NOTIFY c2, 'not listened'")
    got = wait_notifies(listener, 2, 1)
    check("quoted channel, NULL payload, other channel", got == [(npid, "Mixed", "")], got)

    # Self-notification: before the statement's ReadyForQuery.
    listener.cursor().execute("NOTIFY c1, 'self'")
    got = [(n.pid, n.channel, n.payload) for n in listener.notifies]
    del listener.notifies[:]
    check("own notification with the statement", got == [(lpid, "c1", "self")], got)

    # A listener in a transaction block waits for its end.
    listener.autocommit = False
    listener.cursor().execute("SELECT 1")  # psycopg2 opens the block here
    notifier.cursor().execute("NOTIFY c1, 'during block'")
    got = wait_notifies(listener, 1, 0.5)
    check("nothing inside a block", got == [], got)
    listener.commit()
    got = wait_notifies(listener, 1, 5)
    check("delivered after the block", got == [(npid, "c1", "during block")], got)
    listener.autocommit = True

    # Commit order, not statement order; nothing from a rollback.
    other = session(server.port)
    opid = pid(other)
    cur = notifier.cursor()
    cur.execute("BEGIN")
    cur.execute("NOTIFY c1, 'first sent'")
    other.cursor().execute("NOTIFY c1, 'first committed'")
    cur.execute("NOTIFY c1, 'first sent'")  # folded into the first
    cur.execute("COMMIT")
    cur.execute("BEGIN")
    cur.execute("NOTIFY c1, 'rolled back'")
    cur.execute("ROLLBACK")
    got = wait_notifies(listener, 3, 2)
    check("commit order, duplicates folded, no rollback",
          got == [(opid, "c1", "first committed"), (npid, "c1", "first sent")], got)

    # Only sessions of the same database.
    admin = session(server.port)
    admin.cursor().execute("DROP DATABASE IF EXISTS notify_other")
    admin.cursor().execute("CREATE DATABASE notify_other")
    elsewhere = psycopg2.connect(host="127.0.0.1", port=server.port, user="postgres",
                                 dbname="notify_other", sslmode="disable")
    elsewhere.autocommit = True
    elsewhere.cursor().execute("LISTEN c1")
    notifier.cursor().execute("NOTIFY c1, 'postgres only'")
    got = wait_notifies(elsewhere, 1, 0.5)
    check("not in another database", got == [], got)
    got = wait_notifies(listener, 1, 5)
    check("in the same database", got == [(npid, "c1", "postgres only")], got)
    elsewhere.cursor().execute("NOTIFY c1, 'other db'")
    got = wait_notifies(elsewhere, 1, 5)
    check("another database's own", len(got) == 1 and got[0][1:] == ("c1", "other db"), got)
    elsewhere.close()

    # One transaction with 10,000 notifications: all of them, in order.
    notifier.cursor().execute(
        "SELECT count(pg_notify('c1', 'n' || s)) FROM generate_series(1, 10000) s")
    got = wait_notifies(listener, 10000, 20)
    check("10000 in one transaction", [g[2] for g in got] == ["n%d" % i for i in range(1, 10001)],
          "%d received" % len(got))

    # A listener that holds the queue, then disconnects.
    slow = session(server.port)
    slow.cursor().execute("LISTEN c1")
    slow.autocommit = False
    slow.cursor().execute("SELECT 1")
    check("queue empty", rows(notifier, "SELECT pg_notification_queue_usage()")[0][0] == 0)
    notifier.cursor().execute(
        "SELECT count(pg_notify('c1', 'held' || s)) FROM generate_series(1, 1000) s")
    usage = rows(notifier, "SELECT pg_notification_queue_usage()")[0][0]
    check("held by a listener in a block", usage > 0, usage)
    got = wait_notifies(listener, 1000, 10)
    check("others still receive", len(got) == 1000, len(got))
    slow.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        usage = rows(notifier, "SELECT pg_notification_queue_usage()")[0][0]
        if usage == 0:
            break
        time.sleep(0.05)
    check("freed when the listener disconnects", usage == 0, usage)

    # Many statements, each notifying once, to an idle listener.
    n = 2000
    start = time.monotonic()
    for i in range(n):
        cur.execute("NOTIFY c1, %s", ("m%d" % i,))
    got = wait_notifies(listener, n, 30)
    elapsed = time.monotonic() - start
    check("%d statements" % n, [g[2] for g in got] == ["m%d" % i for i in range(n)],
          "%d received" % len(got))
    print("%d NOTIFY statements delivered in %.2f s (%.0f/s)" % (n, elapsed, n / elapsed))

    listener.cursor().execute("UNLISTEN *")
    check("unlisten *", rows(listener, "SELECT count(*) FROM pg_listening_channels()") == [(0,)])
    notifier.cursor().execute("NOTIFY c1, 'after unlisten'")
    got = wait_notifies(listener, 1, 0.5)
    check("nothing after UNLISTEN *", got == [], got)


if __name__ == "__main__":
    sys.exit(run(__doc__.split("\n")[0], body))
