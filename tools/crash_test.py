#!/usr/bin/python3
"""Durability under kill -9: no acknowledged commit may be lost, no rolled-back row may appear.

  tools/crash_test.py --server build/release/activestore --iterations 20

It starts the server (fresh temporary --data-dir, --sync-mode fsync), creates a table, and runs
client threads that insert rows: single-row autocommit INSERTs, multi-row INSERTs, small
BEGIN ... COMMIT transactions and BEGIN ... ROLLBACK transactions. Each client records which
commits the server acknowledged. A random moment (--kill-min .. --kill-max seconds after the
first acknowledged commit) the server gets SIGKILL; it is then restarted on the same data
directory and the table is checked:

  * every acknowledged row is present, with its payload;
  * no row of a rolled-back or never-committed transaction is present;
  * a commit whose acknowledgement was lost in the crash is all or nothing;
  * no row that nobody inserted is present.

The data directory is kept across iterations, so later iterations also check that earlier
recoveries stay intact. After the iterations, a graceful check lets the clients finish, stops
the server with SIGTERM (it must exit within --grace seconds), restarts it and checks again.
Every process it started is stopped and the temporary directory removed, also on errors and
Ctrl-C. Each iteration and the graceful check count once in the last line,
`N passed, N failed`; the exit code is 1 if any failed, 2 on usage errors.

Needs only the standard library and psycopg2 (run with /usr/bin/python3). To check the test
itself against PostgreSQL: tools/crash_test.py --server tools/pg_shim.py.
"""

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

try:
    import psycopg2
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("crash_test.py: psycopg2 is missing (apt-get install python3-psycopg2; "
                     "run with /usr/bin/python3)\n")
    sys.exit(2)

TABLE = "crash_rows"
ACKED, IN_DOUBT, ABSENT, REPORTED = "acked", "in_doubt", "absent", "reported"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connect(port, timeout=5):
    conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres",
                            connect_timeout=timeout, sslmode="disable",
                            application_name="crash_test")
    conn.autocommit = True
    return conn


class Server:
    """The server under test, started by this script in its own process group."""

    def __init__(self, binary, data_dir, log_path, extra_args, start_timeout):
        self.binary = binary
        self.data_dir = data_dir
        self.log_path = log_path
        self.extra_args = extra_args
        self.start_timeout = start_timeout
        self.proc = None
        self.port = None

    def start(self):
        self.port = free_port()
        cmd = [self.binary, "--data-dir", self.data_dir, "--port", str(self.port),
               "--listen", "127.0.0.1", "--sync-mode", "fsync"] + self.extra_args
        with open(self.log_path, "ab") as log:
            log.write(("\n=== %s: %s\n" % (time.strftime("%H:%M:%S"), " ".join(cmd))).encode())
            log.flush()
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.start_timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the server exited with code %d during start-up"
                                   % self.proc.returncode)
            try:
                connect(self.port, 2).close()
                return
            except psycopg2.Error as e:
                last = e
                time.sleep(0.05)
        raise RuntimeError("the server did not accept connections within %.0fs: %s"
                           % (self.start_timeout, " ".join(str(last).split())))

    def kill(self):
        """SIGKILL to the whole process group; waits for the process."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.proc = None

    def terminate(self, grace):
        """SIGTERM, then SIGKILL after grace seconds. Returns (exit code, needed SIGKILL)."""
        if self.proc is None:
            return None, False
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        killed = False
        try:
            code = self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            killed = True
            code = None
        self.kill()  # whatever is left in the group
        return code, killed

    def log_tail(self, n=40):
        try:
            with open(self.log_path, "r", encoding="utf-8", errors="replace") as f:
                return f.read().splitlines()[-n:]
        except OSError:
            return []


class Group:
    """Rows that commit together (one statement or one transaction)."""

    __slots__ = ("ids", "state")

    def __init__(self, ids, state):
        self.ids = ids
        self.state = state


def payload(row_id):
    return "row-%d" % row_id


class Worker(threading.Thread):
    """One client: runs random write units until stopped or disconnected."""

    def __init__(self, port, iteration, index, seed, stop, first_ack):
        super().__init__(daemon=True)
        self.port = port
        self.base = (iteration * 100 + index) * 10_000_000
        self.seq = 0
        self.rng = random.Random(seed)
        self.stop = stop
        self.first_ack = first_ack
        self.groups = []
        self.errors = []
        self.commits = 0

    def next_ids(self, n):
        ids = [self.base + self.seq + i for i in range(n)]
        self.seq += n
        return ids

    def insert_sql(self, ids):
        return "INSERT INTO %s (id, worker, payload) VALUES %s" % (
            TABLE, ", ".join("(%d, %d, '%s')" % (i, self.base // 10_000_000, payload(i))
                             for i in ids))

    def acked(self, group):
        group.state = ACKED
        self.commits += 1
        self.first_ack.set()

    def run(self):
        try:
            conn = connect(self.port)
        except psycopg2.Error:
            return  # the server died before this client connected
        try:
            cur = conn.cursor()
            while not self.stop.is_set():
                r = self.rng.random()
                if r < 0.55:  # single-row autocommit INSERT
                    g = Group(self.next_ids(1), IN_DOUBT)
                    self.groups.append(g)
                    cur.execute(self.insert_sql(g.ids))
                    self.acked(g)
                elif r < 0.65:  # multi-row autocommit INSERT
                    g = Group(self.next_ids(self.rng.randint(2, 5)), IN_DOUBT)
                    self.groups.append(g)
                    cur.execute(self.insert_sql(g.ids))
                    self.acked(g)
                elif r < 0.9:  # BEGIN; INSERT...; COMMIT
                    g = Group(self.next_ids(self.rng.randint(2, 4)), ABSENT)
                    self.groups.append(g)
                    cur.execute("BEGIN")
                    for row_id in g.ids:
                        cur.execute(self.insert_sql([row_id]))
                    g.state = IN_DOUBT
                    cur.execute("COMMIT")
                    self.acked(g)
                else:  # BEGIN; INSERT...; ROLLBACK
                    g = Group(self.next_ids(self.rng.randint(1, 3)), ABSENT)
                    self.groups.append(g)
                    cur.execute("BEGIN")
                    for row_id in g.ids:
                        cur.execute(self.insert_sql([row_id]))
                    cur.execute("ROLLBACK")
        except (psycopg2.OperationalError, psycopg2.InterfaceError) as e:
            if e.pgcode is not None and not conn.closed:
                self.errors.append("%s: %s" % (e.pgcode, " ".join(str(e).split())))
        except psycopg2.Error as e:
            self.errors.append("%s: %s" % (e.pgcode, " ".join(str(e).split())))
        finally:
            try:
                conn.close()
            except psycopg2.Error:
                pass


class Ledger:
    """Everything inserted so far: groups by state."""

    def __init__(self):
        self.groups = []
        self.unknown_seen = set()

    def add(self, groups):
        self.groups.extend(groups)

    def verify(self, rows):
        """rows: {id: payload} read back. Returns problems; resolves in-doubt groups."""
        problems = []
        known = set()
        missing = []
        forbidden = []
        for g in self.groups:
            known.update(g.ids)
            present = [i for i in g.ids if i in rows]
            if g.state == REPORTED:  # already reported by an earlier check
                continue
            if g.state == ACKED:
                if len(present) != len(g.ids):
                    missing.extend(i for i in g.ids if i not in rows)
                    g.state = REPORTED
            elif g.state == ABSENT:
                if present:
                    forbidden.extend(present)
                    g.state = REPORTED
            elif present and len(present) != len(g.ids):
                problems.append("a commit whose acknowledgement was lost is partly present: "
                                "rows %s of %s" % (present, g.ids))
                g.state = REPORTED
            else:
                # Decided now: later recoveries must agree with what this one shows.
                g.state = ACKED if present else ABSENT
        bad_payload = [i for i, p in rows.items() if i in known and p != payload(i)]
        unknown = [i for i in rows if i not in known and i not in self.unknown_seen]
        self.unknown_seen.update(unknown)
        if missing:
            problems.append("%d acknowledged rows are missing, e.g. %s"
                            % (len(missing), sorted(missing)[:10]))
        if forbidden:
            problems.append("%d rows of rolled-back or uncommitted transactions are present, "
                            "e.g. %s" % (len(forbidden), sorted(forbidden)[:10]))
        if bad_payload:
            problems.append("%d rows have a wrong payload, e.g. %s"
                            % (len(bad_payload), sorted(bad_payload)[:10]))
        if unknown:
            problems.append("%d rows that nobody inserted are present, e.g. %s"
                            % (len(unknown), sorted(unknown)[:10]))
        return problems

    def count(self, state):
        return sum(len(g.ids) for g in self.groups if g.state == state)


def read_rows(port):
    conn = connect(port, 10)
    try:
        cur = conn.cursor()
        cur.execute("SELECT id, payload FROM %s" % TABLE)
        return {int(i): p for i, p in cur.fetchall()}
    finally:
        conn.close()


def run_workload(server, args, iteration, rng, kill):
    """Runs the clients; with kill=True SIGKILLs the server at a random moment, otherwise
    lets them run --graceful-seconds and stops them. Returns (groups, errors, commits)."""
    stop = threading.Event()
    first_ack = threading.Event()
    workers = [Worker(server.port, iteration, w, rng.random(), stop, first_ack)
               for w in range(args.threads)]
    for w in workers:
        w.start()
    try:
        if not first_ack.wait(args.first_commit_timeout):
            raise RuntimeError("no commit was acknowledged within %.0fs"
                               % args.first_commit_timeout)
        if kill:
            time.sleep(rng.uniform(args.kill_min, args.kill_max))
            server.kill()
        else:
            time.sleep(args.graceful_seconds)
    finally:
        stop.set()
        if kill:
            server.kill()
        for w in workers:
            w.join(60)
    groups = [g for w in workers for g in w.groups]
    errors = [e for w in workers for e in w.errors]
    return groups, errors, sum(w.commits for w in workers)


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt()


def main(argv=None):
    ap = argparse.ArgumentParser(description="Durability under kill -9 (see the module doc).")
    ap.add_argument("--server", required=True, metavar="BINARY", help="the activestore binary")
    ap.add_argument("--server-arg", action="append", default=[], metavar="ARG",
                    help="extra argument for the server (repeatable)")
    ap.add_argument("--iterations", type=int, default=3)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--kill-min", type=float, default=0.3)
    ap.add_argument("--kill-max", type=float, default=1.5)
    ap.add_argument("--graceful-seconds", type=float, default=1.0)
    ap.add_argument("--no-graceful", action="store_true", help="skip the SIGTERM check")
    ap.add_argument("--grace", type=float, default=30.0,
                    help="seconds the server gets to exit after SIGTERM")
    ap.add_argument("--start-timeout", type=float, default=60.0)
    ap.add_argument("--first-commit-timeout", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the data directory and log")
    args = ap.parse_args(argv)
    if args.iterations < 0 or args.threads < 1 or not 0 <= args.kill_min <= args.kill_max:
        ap.error("bad --iterations, --threads or --kill-min/--kill-max")
    binary = os.path.abspath(args.server)
    if not os.access(binary, os.X_OK):
        sys.stderr.write("crash_test.py: %s is not executable\n" % binary)
        return 2
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    print("crash_test: seed %d, %d iterations, %d clients" % (seed, args.iterations,
                                                             args.threads))

    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGHUP, _raise_interrupt)
    tmp = tempfile.mkdtemp(prefix="activestore-crash-")
    server = Server(binary, os.path.join(tmp, "data"), os.path.join(tmp, "server.log"),
                    args.server_arg, args.start_timeout)
    ledger = Ledger()
    passed = failed = 0
    try:
        server.start()
        conn = connect(server.port)
        try:
            conn.cursor().execute("CREATE TABLE %s (id bigint PRIMARY KEY, worker integer NOT "
                                  "NULL, payload text NOT NULL)" % TABLE)
        finally:
            conn.close()
        checks = [("iteration %d" % (i + 1), True) for i in range(args.iterations)]
        if not args.no_graceful:
            checks.append(("graceful stop", False))
        for n, (name, kill) in enumerate(checks, start=1):
            t0 = time.monotonic()
            problems = []
            try:
                if server.proc is None:
                    server.start()
                groups, errors, commits = run_workload(server, args, n, rng, kill)
                ledger.add(groups)
                problems.extend("client error %s" % e for e in errors[:5])
                if not kill:
                    code, needed_kill = server.terminate(args.grace)
                    if needed_kill:
                        problems.append("the server did not exit within %.0fs of SIGTERM"
                                        % args.grace)
                    elif code != 0:
                        print("  note: the server exited with code %s after SIGTERM" % code)
                server.start()
                problems.extend(ledger.verify(read_rows(server.port)))
            except (RuntimeError, psycopg2.Error) as e:
                problems.append(" ".join(str(e).split()))
                server.kill()
            elapsed = time.monotonic() - t0
            if problems:
                failed += 1
                print("%s: FAILED (%.1fs)" % (name, elapsed))
                for p in problems:
                    print("  " + p)
                print("  --- server log (last lines) ---")
                for line in server.log_tail():
                    print("  " + line)
            else:
                passed += 1
                print("%s: ok, %d commits acknowledged; in total %d rows durable, %d absent (%.1fs)"
                      % (name, commits, ledger.count(ACKED), ledger.count(ABSENT), elapsed))
            sys.stdout.flush()
    except KeyboardInterrupt:
        print("interrupted")
        failed += 1
    except (RuntimeError, psycopg2.Error) as e:
        print("setup failed: %s" % " ".join(str(e).split()))
        for line in server.log_tail():
            print("  " + line)
        failed += 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if server.proc is not None:
            server.terminate(min(args.grace, 10.0))
        if args.keep:
            print("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
