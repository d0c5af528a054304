#!/usr/bin/python3
"""Synchronous commit, promotion and epochs under faults, on real processes
(docs/design/2026-12-06-shard-log-and-replication.md, "Synchronous commit", "Promotion and
epochs").

  tools/replication_faults_test.py --server build/dev/activestore [--ports 6400-6499]

A primary A on 127.0.0.1 with `--synchronous-replicas 1`, a replica B on 127.0.0.2:
  * with no replica, a commit waits; SET synchronous_commit = local does not; a cancel ends the
    wait with PostgreSQL's WARNING and the row stays committed;
  * pg_stat_replication.sync_state = sync; remote_apply makes the row visible on the replica
    when COMMIT returns;
  * SIGSTOP of the replica for 4 s: synchronous commits wait, local ones go on, all finish
    after SIGCONT and the replica catches up; with synchronous_commit_timeout_ms the wait ends
    with the timeout's WARNING;
  * kill -9 of the replica under load, and its restart: it catches up without a new base copy;
  * kill -9 of the primary during an 8-client insert load: B is promoted with pg_promote();
    every acknowledged row is on B (0 missing) and nothing but the commits in flight is there
    besides; B writes, its epoch is 2;
  * the old primary, started alone and written to, then started as B's replica: refuses to
    follow (its history diverged); with `--resync on` it takes a new copy and follows;
    `activestore promote --data-dir` promotes it (epoch 3).
Every process it starts, it stops. The last line is `N passed, N failed`.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import psycopg2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import checker  # noqa: E402  (same folder)
from replication_test import Node, free_port, rows, sqlstate  # noqa: E402


def timed(f):
    t0 = time.monotonic()
    f()
    return time.monotonic() - t0


class Background:
    """A statement run on its own connection in a thread: done/elapsed/error/notices."""

    def __init__(self, node, sql, setup=()):
        self.conn = node.connect()
        for s in setup:
            rows(self.conn, s)
        self.sql, self.error, self.elapsed = sql, None, None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.t0 = time.monotonic()
        self.thread.start()

    def _run(self):
        try:
            rows(self.conn, self.sql)
        except psycopg2.Error as e:
            self.error = e
        self.elapsed = time.monotonic() - self.t0

    def done(self, timeout=0):
        self.thread.join(timeout)
        return not self.thread.is_alive()

    def close(self):
        self.thread.join(30)
        self.conn.close()


def wait_for(pred, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if pred():
                return True
        except psycopg2.Error:
            pass
        time.sleep(0.05)
    return False


def replayed_at_least(primary_conn, replica):
    target = rows(primary_conn, "SELECT pg_current_wal_lsn()")[0][0]

    def ok():
        r = replica.connect(timeout=2)
        try:
            return rows(r, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,))[0][0]
        finally:
            r.close()
    return ok


def log_text(node):
    with open(node.log_path, "rb") as f:
        return f.read().decode(errors="replace")


def check_sync_basics(a, b_factory, check):
    admin = a.connect()
    rows(admin, "SET synchronous_commit = local")  # DDL commits wait too
    rows(admin, "CREATE TABLE t (id int PRIMARY KEY, v text)")
    # No replica yet: a synchronous commit waits; a local one does not.
    w = Background(a, "INSERT INTO t VALUES (1, 'waits')")
    check("sync commit waits without a replica", not w.done(1.5))
    local = a.connect()
    rows(local, "SET synchronous_commit = local")
    check("local commit does not wait", timed(lambda: rows(local, "INSERT INTO t VALUES (2, 'l')"))
          < 1.0)
    check("show synchronous_commit", rows(local, "SHOW synchronous_commit") == [("local",)])
    # A cancel ends the wait: PostgreSQL's WARNING, the row committed.
    w.conn.cancel()
    check("cancel ends the wait", w.done(5) and w.error is None, repr(w.error))
    notices = "".join(w.conn.notices)
    check("cancel warning", "WARNING:  canceling wait for synchronous replication due to user "
          "request" in notices and "committed locally" in notices, notices)
    check("cancelled commit stays", rows(local, "SELECT v FROM t WHERE id = 1") == [("waits",)])
    w.close()
    # SET LOCAL in a block is the commit's own level.
    local.autocommit = False
    c = local.cursor()
    c.execute("SET LOCAL synchronous_commit = on")
    c.execute("INSERT INTO t VALUES (3, 'block')")
    blocked = threading.Thread(target=local.commit, daemon=True)
    blocked.start()
    blocked.join(1.0)
    check("SET LOCAL on waits", blocked.is_alive())

    b = b_factory()
    b.start()
    blocked.join(30)
    check("waiting commit acknowledged once the replica streams", not blocked.is_alive())
    local.autocommit = True
    check("show after block", rows(local, "SHOW synchronous_commit") == [("local",)])
    st = rows(admin, "SELECT application_name, state, sync_state, sync_priority "
                     "FROM pg_stat_replication")
    check("sync_state sync", st == [("activestore_replica", "streaming", "sync", 1)], st)
    # remote_apply: visible on the replica when COMMIT returns. on: flushed there (the replica
    # applies before it flushes, so the row is visible too).
    rc = b.connect()
    for level, first in (("remote_apply", 100), ("on", 200)):
        c = a.connect()
        rows(c, "SET synchronous_commit = %s" % level)
        seen = 0
        for i in range(first, first + 20):
            rows(c, "INSERT INTO t VALUES (%s, %s)", (i, level))
            seen += rows(rc, "SELECT count(*) FROM t WHERE id = %s", (i,))[0][0]
        check("%s: on the replica when COMMIT returns" % level, seen == 20, seen)
        c.close()
    for conn in (rc, local, admin):
        conn.close()
    return b


def check_stop(a, b, check, timeout_ms):
    """SIGSTOP of the replica: synchronous commits wait (or time out), local ones go on."""
    admin = a.connect()
    rows(admin, "SET synchronous_commit = local")
    os.killpg(b.proc.pid, signal.SIGSTOP)
    try:
        w = Background(a, "INSERT INTO t VALUES (300 + %d, 'stopped')" % (1 if timeout_ms else 0))
        local = a.connect()
        rows(local, "SET synchronous_commit = local")
        n = 0
        t0 = time.monotonic()
        while time.monotonic() - t0 < 2.0:
            rows(local, "INSERT INTO t VALUES (%s, 'async')",
                 (1000 + n + (100000 if timeout_ms else 0),))
            n += 1
        check("local commits go on while the replica is stopped", n > 20, n)
        if timeout_ms:
            finished = w.done(timeout_ms / 1000.0 + 5)
            notices = "".join(w.conn.notices)
            check("timeout ends the wait", finished and w.error is None and
                  w.elapsed >= timeout_ms / 1000.0 - 0.2, (w.elapsed, repr(w.error)))
            check("timeout warning", "canceling wait for synchronous replication due to "
                  "synchronous_commit_timeout" in notices, notices)
        else:
            check("sync commit waits while the replica is stopped", not w.done(2.0))
        local.close()
    finally:
        os.killpg(b.proc.pid, signal.SIGCONT)
    check("sync commit returns after SIGCONT", w.done(60) and w.error is None,
          (w.elapsed, repr(w.error)))
    w.close()
    check("replica caught up after SIGCONT", wait_for(replayed_at_least(admin, b), 60))
    admin.close()


def check_replica_kill(a, b, check):
    """kill -9 of the replica under load; its restart catches up without a base copy."""
    admin = a.connect()
    stop = threading.Event()
    done = [0]

    def load():
        c = a.connect()
        rows(c, "SET synchronous_commit = local")
        i = 0
        while not stop.is_set():
            rows(c, "INSERT INTO t VALUES (%s, 'during replica kill')", (5000 + i,))
            i += 1
        done[0] = i
        c.close()
    th = threading.Thread(target=load, daemon=True)
    th.start()
    time.sleep(1.0)
    b.kill()
    time.sleep(1.0)
    copies_before = log_text(b).count("taking a base copy")
    b.start()
    time.sleep(1.0)
    stop.set()
    th.join(30)
    check("replica restarted without a base copy",
          log_text(b).count("taking a base copy") == copies_before)
    check("replica caught up after kill -9", wait_for(replayed_at_least(admin, b), 60))
    r = b.connect()
    check("rows equal after replica kill",
          rows(r, "SELECT count(*), sum(id) FROM t") == rows(admin, "SELECT count(*), sum(id) FROM t"))
    r.close()
    admin.close()


def check_primary_kill(a, b, check, clients=8, seconds=4):
    """kill -9 of the primary under an 8-client synchronous insert load; promotion of B."""
    admin = a.connect()
    rows(admin, "SET synchronous_commit = local")
    rows(admin, "CREATE TABLE acked (client int, seq int, PRIMARY KEY (client, seq))")
    admin.close()
    acked = [[] for _ in range(clients)]
    inflight = [None] * clients
    stop = threading.Event()

    def client(k):
        try:
            c = a.connect()
        except psycopg2.Error:
            return
        seq = 0
        try:
            while not stop.is_set():
                inflight[k] = seq
                rows(c, "INSERT INTO acked VALUES (%s, %s)", (k, seq))
                acked[k].append(seq)  # acknowledged: must survive on the replica
                inflight[k] = None
                seq += 1
        except psycopg2.Error:
            pass
    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    for th in threads:
        th.start()
    time.sleep(seconds)
    a.kill()
    stop.set()
    for th in threads:
        th.join(30)
    total = sum(len(x) for x in acked)
    check("load acknowledged commits", total > 0, total)
    r = b.connect()
    check("replica in recovery before promotion", rows(r, "SELECT pg_is_in_recovery()") == [(True,)])
    check("pg_promote", rows(r, "SELECT pg_promote()") == [(True,)])
    check("not in recovery after promotion", rows(r, "SELECT pg_is_in_recovery()") == [(False,)])
    on_b = {}
    for k, s in rows(r, "SELECT client, seq FROM acked"):
        on_b.setdefault(k, set()).add(s)
    missing = sum(1 for k in range(clients) for s in acked[k] if s not in on_b.get(k, set()))
    extra = [(k, s) for k, ss in on_b.items() for s in ss
             if s not in acked[k] and s != inflight[k]]
    print("primary kill: %d acknowledged commits, %d missing on the promoted replica, "
          "%d unacknowledged in-flight present" % (
              total, missing, sum(1 for k, ss in on_b.items() for s in ss if s not in acked[k])))
    check("no acknowledged commit missing", missing == 0, missing)
    check("nothing but in-flight commits beyond the acknowledged", extra == [], extra[:5])
    # Writable, a new epoch.
    rows(r, "INSERT INTO acked VALUES (100, 0)")
    check("promoted node writes", rows(r, "SELECT count(*) FROM acked WHERE client = 100")
          == [(1,)])
    repl = b.replication()
    cur = repl.cursor()
    cur.execute("IDENTIFY_SYSTEM")
    check("epoch 2 after promotion", cur.fetchall()[0][1] == 2)
    cur.execute("TIMELINE_HISTORY 2")
    hist = cur.fetchall()
    check("timeline history", len(hist) == 1 and hist[0][0] == "00000002.history" and
          bytes(hist[0][1]).decode().startswith("2\t"), hist)
    check("pg_promote on a primary 55000", sqlstate(lambda: rows(r, "SELECT pg_promote()"))
          == "55000")
    check("pg_promote wait_seconds 0 22023",
          sqlstate(lambda: rows(r, "SELECT pg_promote(true, 0)")) == "22023")
    repl.close()
    r.close()


def check_divergence(a, b, binary, check, tmp):
    """The old primary A, written to on its own after B's promotion, may not follow B."""
    a_port = a.fixed_port
    a.extra_args = ["--shard-log", "on"]  # alone: no synchronous replica
    a.start()
    c = a.connect()
    rows(c, "INSERT INTO acked VALUES (200, 0)")  # epoch 1, after the fork: B never saw it
    c.close()
    a.stop()
    follower = Node(binary, a.data_dir, a.log_path, "127.0.0.1", a_port,
                    ["--replica-of", "127.0.0.2:%d" % b.port, "--replication-slot", "old_a"])
    follower.start()
    ok = wait_for(lambda: "cannot follow the primary" in log_text(follower), 20)
    check("diverged node refuses to follow", ok)
    f = follower.connect()
    st = rows(f, "SELECT status FROM pg_stat_wal_receiver")
    check("receiver status diverged", st == [("diverged",)], st)
    check("diverged node keeps its own row",
          rows(f, "SELECT count(*) FROM acked WHERE client = 200") == [(1,)])
    f.close()
    follower.stop()
    # --resync: a new base copy, then it follows.
    follower.extra_args = follower.extra_args + ["--resync", "on"]
    follower.start()
    bc = b.connect()
    rows(bc, "INSERT INTO acked VALUES (300, 0)")
    check("re-synced node follows", wait_for(replayed_at_least(bc, follower), 60))
    f = follower.connect()
    check("re-synced node has the new primary's rows",
          rows(f, "SELECT count(*) FROM acked WHERE client IN (100, 300)") == [(2,)] and
          rows(f, "SELECT count(*) FROM acked WHERE client = 200") == [(0,)])
    # activestore promote --data-dir.
    out = subprocess.run([binary, "promote", "--data-dir", follower.data_dir],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=90)
    check("activestore promote", out.returncode == 0 and b"server promoted" in out.stdout,
          out.stdout)
    check("promoted by the command",
          wait_for(lambda: rows(f, "SELECT pg_is_in_recovery()") == [(False,)], 10))
    repl = follower.replication()
    cur = repl.cursor()
    cur.execute("IDENTIFY_SYSTEM")
    check("epoch 3", cur.fetchall()[0][1] == 3)
    repl.close()
    f.close()
    bc.close()
    return follower


def run(args):
    lo, hi = (int(x) for x in args.ports.split("-"))
    tmp = tempfile.mkdtemp(prefix="replication_faults_")
    check, counts = checker()
    binary = os.path.abspath(args.server)
    a_port = free_port("127.0.0.1", lo, hi)
    b_port = free_port("127.0.0.2", lo, hi, taken=(a_port,))
    a = Node(binary, os.path.join(tmp, "a"), os.path.join(tmp, "a.log"), "127.0.0.1", a_port,
             ["--shard-log", "on", "--synchronous-replicas", "1"])
    nodes = [a]

    def make_b():
        b = Node(binary, os.path.join(tmp, "b"), os.path.join(tmp, "b.log"), "127.0.0.2",
                 b_port, ["--replica-of", "127.0.0.1:%d" % a_port, "--replication-slot", "b"])
        nodes.append(b)
        return b
    try:
        a.start()
        b = check_sync_basics(a, make_b, check)
        check_stop(a, b, check, 0)
        a.stop()
        a.extra_args = a.extra_args + ["--synchronous-commit-timeout-ms", "1500"]
        a.start()
        check("replica reconnects", wait_for(lambda: rows(
            a.connect(), "SELECT count(*) FROM pg_stat_replication") == [(1,)], 30))
        check_stop(a, b, check, 1500)
        check_replica_kill(a, b, check)
        check_primary_kill(a, b, check)
        nodes.append(check_divergence(a, b, binary, check, tmp))
    except Exception as e:  # noqa: BLE001 - report and fail
        import traceback
        traceback.print_exc()
        check("run", False, repr(e))
    finally:
        for node in nodes:
            try:
                if node.proc is not None:
                    os.killpg(node.proc.pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
            node.kill()
        if counts["failed"] and args.keep:
            print("data and logs kept in", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (counts["passed"], counts["failed"]))
    return 1 if counts["failed"] else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--ports", default="6400-6499", help="port range for the nodes")
    ap.add_argument("--keep", action="store_true", help="keep data and logs after a failure")
    return run(ap.parse_args())


if __name__ == "__main__":
    sys.exit(main())
