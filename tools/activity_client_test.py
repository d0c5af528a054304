#!/usr/bin/python3
"""pg_stat_activity, pg_stat_database, pg_locks, pg_cancel_backend and pg_terminate_backend
between real sessions (psycopg2).

  tools/activity_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir, then checks that:
  * another session's row shows its state (idle, active, idle in transaction, idle in
    transaction (aborted)), its last query, xact_start only inside a transaction, ClientRead
    while idle, application_name (also after SET), user, database and client address;
  * a session waiting for a row lock is active with wait_event_type Lock, pg_locks shows the
    holder's granted table lock and the waiter's lock not granted, pg_blocking_pids names the
    holder; pg_cancel_backend ends the wait with 57014;
  * pg_terminate_backend ends an idle session, a running one and its own with FATAL 57P01 (read from the
    socket: libpq reports it as "server closed the connection unexpectedly"; with a timeout, the
    session is gone when it returns); a pid that is no session gives a WARNING and
    false; a negative timeout 22003;
  * PostgreSQL 15's permission rules and messages (42501) for a role that is not a superuser,
    and pg_signal_backend; without the session role's privileges (or pg_read_all_stats) only
    datid, pid, usesysid, application_name show and query is "<insufficient privilege>";
  * pg_stat_database counts backends, commits, rollbacks, inserted rows, a deadlock, sessions
    and killed sessions.
The last line is `N passed, N failed`; exit code 1 if any failed. To check the test against
PostgreSQL: tools/activity_client_test.py --server tools/pg_shim.py.
"""

import os
import socket
import struct
import sys
import threading
import time

try:
    import psycopg2
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("activity_client_test.py: psycopg2 is missing (run with /usr/bin/python3)\n")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import rows, run, session  # noqa: E402  (same folder)


def connect(port, user="postgres", application_name=""):
    conn = psycopg2.connect(host="127.0.0.1", port=port, user=user, dbname="postgres",
                            connect_timeout=10, sslmode="disable",
                            application_name=application_name)
    conn.autocommit = True
    return conn


def pid(conn):
    return rows(conn, "SELECT pg_backend_pid()")[0][0]


def error_of(conn, sql):
    """(sqlstate, message) of the error `sql` fails with, or None."""
    try:
        conn.cursor().execute(sql)
    except psycopg2.Error as e:
        message = e.diag.message_primary if e.diag is not None else None
        return (e.pgcode, message or str(e).strip().split("\n")[0])
    return None


def activity(conn, target, columns):
    got = rows(conn, "SELECT %s FROM pg_stat_activity WHERE pid = %d" % (columns, target))
    return got[0] if got else None


def wait_for(fn, timeout=10.0):
    """Calls fn until it returns something true or `timeout` seconds passed; its last value."""
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v or time.monotonic() >= deadline:
            return v
        time.sleep(0.02)


def run_in_thread(conn, sql):
    """Runs sql on conn in a thread; returns (thread, result dict with 'error')."""
    result = {"error": None}

    def go():
        result["error"] = error_of(conn, sql)

    t = threading.Thread(target=go)
    t.start()
    return t, result


def raw_session(port):
    """A connection speaking the protocol itself (libpq reports a FATAL that arrives just before
    the server closes as "server closed the connection unexpectedly"): (socket, backend pid)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    params = b"user\0postgres\0database\0postgres\0\0"
    s.sendall(struct.pack("!ii", 8 + len(params), 196608) + params)
    buf = b""
    while not buf.endswith(b"Z\0\0\0\x05I"):
        buf += s.recv(65536)
    i = buf.index(b"K\0\0\0\x0c")
    return s, struct.unpack("!i", buf[i + 5:i + 9])[0]


def read_to_end(s):
    """Everything the server sends until it closes the connection."""
    out = b""
    while True:
        d = s.recv(65536)
        if not d:
            return out
        out += d


def body(server, check):
    port = server.port
    a = session(port)
    b = connect(port, application_name="act_b")
    bpid = pid(b)

    cur = a.cursor()
    cur.execute("SELECT * FROM pg_stat_activity")
    got = [d[0] for d in cur.description]
    check("pg_stat_activity's columns in order", got == [
        "datid", "datname", "pid", "leader_pid", "usesysid", "usename", "application_name",
        "client_addr", "client_hostname", "client_port", "backend_start", "xact_start",
        "query_start", "state_change", "wait_event_type", "wait_event", "state", "backend_xid",
        "backend_xmin", "query_id", "query", "backend_type"], got)

    # --- states of another session ---
    got = activity(a, bpid, "state, query, wait_event_type, wait_event, xact_start IS NULL, "
                   "backend_type, usename, datname, application_name, client_addr::text, "
                   "client_port > 0, backend_start <= now(), leader_pid")
    check("idle session", got is not None and got[:9] == (
        "idle", "SELECT pg_backend_pid()", "Client", "ClientRead", True, "client backend",
        "postgres", "postgres", "act_b"), got)
    check("client address and start", got is not None and got[9] in ("127.0.0.1", "127.0.0.1/32")
          and got[10] is True and got[11] is True and got[12] is None, got)
    b.cursor().execute("SET application_name = 'act_b2'")
    got = activity(a, bpid, "application_name")
    check("SET application_name shows", got == ("act_b2",), got)

    b.cursor().execute("BEGIN")
    b.cursor().execute("SELECT 1")
    got = activity(a, bpid, "state, query, xact_start IS NOT NULL, xact_start <= query_start, "
                   "wait_event")
    check("idle in transaction", got == ("idle in transaction", "SELECT 1", True, True,
                                         "ClientRead"), got)
    error_of(b, "SELECT 1/0")
    got = activity(a, bpid, "state, query")
    check("idle in transaction (aborted)",
          got == ("idle in transaction (aborted)", "SELECT 1/0"), got)
    b.cursor().execute("ROLLBACK")
    got = activity(a, bpid, "state, query, xact_start")
    check("idle after ROLLBACK", got == ("idle", "ROLLBACK", None), got)

    got = rows(a, "SELECT state, query, wait_event_type FROM pg_stat_activity "
               "WHERE pid = pg_backend_pid()")
    check("own row is active", got == [("active", "SELECT state, query, wait_event_type FROM "
                                        "pg_stat_activity WHERE pid = pg_backend_pid()", None)],
          got)

    c = connect(port)
    cpid = pid(c)
    t, res = run_in_thread(c, "SELECT pg_sleep(30)")
    got = wait_for(lambda: activity(a, cpid, "state, query, xact_start = query_start") == (
        "active", "SELECT pg_sleep(30)", True))
    check("running statement is active", got, activity(a, cpid, "state, query"))
    check("pg_cancel_backend of a running statement", rows(
        a, "SELECT pg_cancel_backend(%d)" % cpid) == [(True,)])
    t.join(10)
    check("cancelled with 57014", not t.is_alive() and res["error"] is not None
          and res["error"][0] == "57014", res)

    # --- lock waits: pg_stat_activity, pg_locks, pg_blocking_pids ---
    a.cursor().execute("CREATE TABLE act_t (id int PRIMARY KEY, v int)")
    a.cursor().execute("INSERT INTO act_t VALUES (1, 0)")
    b.cursor().execute("BEGIN")
    b.cursor().execute("UPDATE act_t SET v = 1 WHERE id = 1")
    got = rows(a, "SELECT l.mode, l.granted FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
               "WHERE c.relname = 'act_t' AND l.locktype = 'relation' AND l.pid = %d" % bpid)
    check("pg_locks: holder's table lock", ("RowExclusiveLock", True) in got, got)
    t, res = run_in_thread(c, "UPDATE act_t SET v = 2 WHERE id = 1")
    got = wait_for(lambda: activity(a, cpid, "state, wait_event_type, wait_event"))
    got = wait_for(lambda: (lambda r: r if r and r[1] == "Lock" else None)(
        activity(a, cpid, "state, wait_event_type, wait_event")))
    check("waiting session: Lock", got is not None and got[0] == "active" and got[1] == "Lock"
          and got[2] in ("transactionid", "tuple"), got)
    got = rows(a, "SELECT count(*) FROM pg_locks WHERE pid = %d AND NOT granted" % cpid)
    check("pg_locks: the waiter's lock not granted", got == [(1,)], got)
    got = rows(a, "SELECT pg_blocking_pids(%d)" % cpid)
    check("pg_blocking_pids", got == [([bpid],)], got)
    check("cancel the wait", rows(a, "SELECT pg_cancel_backend(%d)" % cpid) == [(True,)])
    t.join(10)
    check("wait cancelled with 57014", not t.is_alive() and res["error"] is not None
          and res["error"][0] == "57014", res)
    b.cursor().execute("COMMIT")
    got = rows(a, "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
               "WHERE c.relname = 'act_t'")
    check("pg_locks: released at commit", got == [(0,)], got)

    # --- pg_stat_database ---
    def db_row():
        a.cursor().execute("SELECT pg_stat_clear_snapshot()")
        return rows(a, "SELECT numbackends, xact_commit, xact_rollback, tup_inserted, sessions, "
                    "sessions_killed FROM pg_stat_database WHERE datname = current_database()")[0]

    before = db_row()
    before_deadlocks = rows(a, "SELECT deadlocks FROM pg_stat_database "
                            "WHERE datname = current_database()")[0][0]
    check("numbackends", before[0] == rows(
        a, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND backend_type = 'client backend'")[0][0], before)
    for _ in range(3):
        b.cursor().execute("INSERT INTO act_t VALUES (%d, 0)" % (10 + _))
    error_of(b, "INSERT INTO act_t VALUES (1, 0)")
    b.cursor().execute("SELECT pg_stat_force_next_flush()")
    after = db_row()
    check("xact_commit counts commits", after[1] >= before[1] + 3, (before, after))
    check("xact_rollback counts a failed statement", after[2] >= before[2] + 1, (before, after))
    check("tup_inserted counts rows", after[3] >= before[3] + 3, (before, after))
    # A deadlock between b and d: one of them fails with 40P01, counted once.
    d = connect(port)
    b.cursor().execute("BEGIN")
    b.cursor().execute("UPDATE act_t SET v = 5 WHERE id = 1")
    d.cursor().execute("BEGIN")
    d.cursor().execute("UPDATE act_t SET v = 5 WHERE id = 10")
    t, res = run_in_thread(b, "UPDATE act_t SET v = 6 WHERE id = 10")
    wait_for(lambda: activity(a, bpid, "wait_event_type") == ("Lock",))
    err = error_of(d, "UPDATE act_t SET v = 6 WHERE id = 1")
    t.join(10)
    codes = sorted(e[0] for e in (err, res["error"]) if e is not None)
    check("deadlock detected", codes == ["40P01"], (err, res))
    b.cursor().execute("ROLLBACK")
    d.cursor().execute("ROLLBACK")
    d.cursor().execute("SELECT pg_stat_force_next_flush()")
    b.cursor().execute("SELECT pg_stat_force_next_flush()")
    a.cursor().execute("SELECT pg_stat_clear_snapshot()")
    got = rows(a, "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
    check("deadlocks counted", got == [(before_deadlocks + 1,)], (before_deadlocks, got))
    d.close()
    check("stats columns", rows(a, "SELECT count(*) FROM pg_stat_database WHERE datid = 0 "
                                "AND datname IS NULL AND numbackends = 0") == [(1,)])

    # --- pg_terminate_backend ---
    warned = len(a.notices)
    check("not a backend: false", rows(a, "SELECT pg_cancel_backend(1)") == [(False,)])
    check("not a backend: warning", any("PID 1 is not a PostgreSQL backend process" in n
                                        for n in a.notices[warned:]), a.notices[warned:])
    check("negative timeout", error_of(a, "SELECT pg_terminate_backend(%d, -1)" % bpid) == (
        "22003", '"timeout" must not be negative'))
    idle = connect(port)
    ipid = pid(idle)
    mid = db_row()
    check("terminate an idle session", rows(
        a, "SELECT pg_terminate_backend(%d, 5000)" % ipid) == [(True,)])
    check("gone from pg_stat_activity", activity(a, ipid, "pid") is None)
    err = error_of(idle, "SELECT 1")
    check("idle session's connection ended", err is not None, err)
    end = db_row()
    check("sessions_killed", end[5] == mid[5] + 1, (mid, end))
    check("sessions counts logins", end[4] >= before[4] and end[4] >= 4, (before, end))

    c.close()
    raw, rpid = raw_session(port)
    query = b"SELECT pg_sleep(30)\0"
    raw.sendall(b"Q" + struct.pack("!i", 4 + len(query)) + query)
    wait_for(lambda: activity(a, rpid, "state") == ("active",))
    check("terminate a running statement", rows(
        a, "SELECT pg_terminate_backend(%d)" % rpid) == [(True,)])
    got = read_to_end(raw)
    check("running session ended with FATAL 57P01",
          b"SFATAL\0" in got and b"C57P01\0" in got
          and b"Mterminating connection due to administrator command\0" in got, got)
    raw.close()
    check("terminated session leaves", wait_for(lambda: activity(a, rpid, "pid") is None))

    # Its own session: the FATAL comes before the statement completes (PostgreSQL's backend
    # ends at the signal's next check inside the statement; it may send the row first, this
    # server does not), so the client never sees the call succeed.
    raw, spid = raw_session(port)
    query = b"SELECT pg_terminate_backend(pg_backend_pid())\0"
    raw.sendall(b"Q" + struct.pack("!i", 4 + len(query)) + query)
    got = read_to_end(raw)
    kinds, at = [], 0
    while at + 5 <= len(got):
        kinds.append(got[at:at + 1])
        at += 1 + struct.unpack("!i", got[at + 1:at + 5])[0]
    check("terminating its own session: FATAL 57P01 before CommandComplete",
          b"SFATAL\0" in got and b"C57P01\0" in got and b"C" not in kinds, (kinds, got))
    raw.close()
    check("self-terminated session leaves", wait_for(lambda: activity(a, spid, "pid") is None))

    # --- permissions and privacy ---
    a.cursor().execute("CREATE ROLE act_u1 LOGIN")
    a.cursor().execute("CREATE ROLE act_u2 LOGIN")
    u1 = connect(port, "act_u1", "app_u1")
    u1b = connect(port, "act_u1")
    u2 = connect(port, "act_u2", "app_u2")
    u1bpid, u2pid = pid(u1b), pid(u2)
    check("cancel a superuser's query", error_of(u1, "SELECT pg_cancel_backend(%d)" % bpid) == (
        "42501", "must be a superuser to cancel superuser query"))
    check("terminate a superuser's session",
          error_of(u1, "SELECT pg_terminate_backend(%d)" % bpid) == (
              "42501", "must be a superuser to terminate superuser process"))
    check("cancel another role's query",
          error_of(u1, "SELECT pg_cancel_backend(%d)" % u2pid) == (
              "42501", "must be a member of the role whose query is being canceled or member "
              "of pg_signal_backend"))
    check("terminate another role's session",
          error_of(u1, "SELECT pg_terminate_backend(%d)" % u2pid) == (
              "42501", "must be a member of the role whose process is being terminated or "
              "member of pg_signal_backend"))
    check("cancel the same role's query",
          rows(u1, "SELECT pg_cancel_backend(%d)" % u1bpid) == [(True,)])
    got = activity(u1, bpid, "datname IS NOT NULL, usename, application_name, state, query, "
                   "client_addr, backend_start, xact_start, query_start, state_change, "
                   "wait_event_type, backend_type")
    check("another role's session is hidden", got == (
        True, "postgres", "act_b2", None, "<insufficient privilege>", None, None, None, None,
        None, None, None), got)
    got = activity(u1, u1bpid, "state, query")
    check("the same role's session shows", got == ("idle", "SELECT pg_backend_pid()"), got)
    a.cursor().execute("GRANT pg_read_all_stats TO act_u1")
    got = activity(u1, u2pid, "state, application_name")
    check("pg_read_all_stats shows every session", got == ("idle", "app_u2"), got)
    a.cursor().execute("GRANT pg_signal_backend TO act_u1")
    check("pg_signal_backend cancels another role's query",
          rows(u1, "SELECT pg_cancel_backend(%d)" % u2pid) == [(True,)])
    check("pg_signal_backend does not reach a superuser",
          error_of(u1, "SELECT pg_cancel_backend(%d)" % bpid) == (
              "42501", "must be a superuser to cancel superuser query"))
    for conn in (u1, u1b, u2, b, a):
        conn.close()


if __name__ == "__main__":
    sys.exit(run(__doc__.split("\n")[0], body))
