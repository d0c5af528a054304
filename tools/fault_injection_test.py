#!/usr/bin/python3
"""Injected I/O faults under a write load: no acknowledged commit is lost, every restart works.

  tools/fault_injection_test.py --server build/release/activestore --rounds 200

Builds tools/fault_inject/io_fault.c (an LD_PRELOAD library) with cc into a temporary directory,
then runs rounds on one data directory. Each round starts the server with the library armed to
fail one kind of call (fsync/fdatasync or write/pwrite, with EIO or ENOSPC) on the data
directory's files after a random number of calls, counted from the moment the load starts.
Four clients insert rows (single-row autocommit INSERTs and small multi-row transactions) and
record what the server acknowledged, until the server exits or the round's time is up; a server
still running then is killed with SIGKILL. The next start (the next round's, or the final one
without faults) must come up, and every acknowledged row must be there with its payload, and no
row that nobody inserted.

Checked and printed: rounds, faults injected, exits by storage panic (exit code 70, the
fail-stop of a failed write or sync), starts that failed, rows acknowledged and lost, client
errors while the server ran (each must carry a SQLSTATE) and connections lost when it stopped.
The last line is `N passed, N failed`; exit code 1 if any check failed.
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

import psycopg2

PANIC_EXIT = 70


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connect(port, timeout=5):
    return psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres",
                            connect_timeout=timeout)


def payload(i):
    return "p%d" % (i * 7919 % 1000003)


class Server:
    def __init__(self, binary, data_dir, log_path):
        self.binary, self.data_dir, self.log_path = binary, data_dir, log_path
        self.proc = None
        self.port = None

    def start(self, env_extra, timeout):
        self.port = free_port()
        env = dict(os.environ)
        env.update(env_extra)
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [self.binary, "--data-dir", self.data_dir, "--port", str(self.port),
             "--sync-mode", "fsync", "--log-file-max-mb", "4", "--cache-size-mb", "64"],
            stdout=log, stderr=subprocess.STDOUT, env=env)
        log.close()
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                connect(self.port, 2).close()
                return True
            except psycopg2.OperationalError:
                time.sleep(0.2)
        return False

    def stop(self):
        """SIGKILL if still running; returns the exit code (negative: killed by a signal)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        code = self.proc.wait()
        self.proc = None
        return code


class Ledger:
    """Row ids handed out, and those whose commit the server acknowledged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.next_id = 1
        self.attempted = set()
        self.acked = set()
        self.errors = {}  # SQLSTATE -> count (server still running)
        self.no_state_alive = []  # errors without a SQLSTATE while the server was running
        self.lost_connections = 0

    def take(self, n):
        with self.lock:
            ids = list(range(self.next_id, self.next_id + n))
            self.next_id += n
            self.attempted.update(ids)
            return ids


def client(port, ledger, stop, server, rng):
    conn = None
    while not stop.is_set():
        try:
            if conn is None:
                conn = connect(port, 2)
            ids = ledger.take(rng.choice([1, 1, 1, 5, 20]))
            values = ",".join("(%d,'%s')" % (i, payload(i)) for i in ids)
            if len(ids) == 1:
                conn.autocommit = True
                conn.cursor().execute("INSERT INTO f VALUES " + values)
            else:
                conn.autocommit = False
                cur = conn.cursor()
                cur.execute("INSERT INTO f VALUES " + values)
                conn.commit()
            with ledger.lock:
                ledger.acked.update(ids)
        except psycopg2.Error as e:
            state = getattr(e, "pgcode", None)
            alive = server.proc is not None and server.proc.poll() is None
            with ledger.lock:
                if state:
                    ledger.errors[state] = ledger.errors.get(state, 0) + 1
                elif alive and conn is not None and not conn.closed:
                    ledger.no_state_alive.append(str(e).strip()[:200])
                else:
                    ledger.lost_connections += 1
            try:
                if conn is not None:
                    conn.close()
            except psycopg2.Error:
                pass
            conn = None
            if not alive:
                break
            time.sleep(0.05)
    if conn is not None:
        try:
            conn.close()
        except psycopg2.Error:
            pass


def verify(port, ledger):
    """(lost acknowledged ids, rows nobody inserted, wrong payloads)."""
    conn = connect(port)
    cur = conn.cursor()
    cur.execute("SELECT id, payload FROM f")
    rows = dict(cur.fetchall())
    conn.close()
    lost = sorted(i for i in ledger.acked if i not in rows)
    foreign = sorted(i for i in rows if i not in ledger.attempted)
    wrong = sorted(i for i, p in rows.items() if i in ledger.attempted and p != payload(i))
    return lost, foreign, wrong


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--round-seconds", type=float, default=8)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--start-timeout", type=float, default=60)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    print("seed %d" % seed, flush=True)

    work = tempfile.mkdtemp(prefix="as-fault-")
    shim = os.path.join(work, "io_fault.so")
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fault_inject", "io_fault.c")
    subprocess.check_call(["cc", "-O2", "-shared", "-fPIC", "-o", shim, src, "-ldl"])
    data_dir = os.path.join(work, "data")
    arm = os.path.join(work, "armed")
    log_path = os.path.join(work, "server.log")
    server = Server(os.path.abspath(args.server), data_dir, log_path)
    ledger = Ledger()
    passed = failed = 0
    stats = {"faults": 0, "panics": 0, "other_exits": 0, "killed": 0, "failed_starts": 0}
    lost_total, foreign_total, wrong_total = set(), set(), set()

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL %s %s" % (name, detail), flush=True)

    try:
        for rnd in range(args.rounds + 1):
            final = rnd == args.rounds
            env = {}
            if not final:
                op = rng.choice(["fsync", "write"])
                env = {
                    "LD_PRELOAD": shim,
                    "ASAN_OPTIONS": "verify_asan_link_order=0:detect_leaks=0",
                    "AS_FAULT_OP": op,
                    "AS_FAULT_ERRNO": rng.choice(["EIO", "ENOSPC"]),
                    "AS_FAULT_AFTER": str(rng.randint(1, 40 if op == "fsync" else 300)),
                    "AS_FAULT_PATH": data_dir + "/",
                    "AS_FAULT_ARM_FILE": arm,
                }
            if os.path.exists(arm):
                os.remove(arm)
            before = open(log_path, "rb").read().count(b"io_fault: injecting") \
                if os.path.exists(log_path) else 0
            if not server.start(env, args.start_timeout):
                stats["failed_starts"] += 1
                code = server.stop()
                check("start in round %d" % rnd, False, "exit code %s; log: %s" % (
                    code, tail(log_path)))
                break
            port = server.port
            conn = connect(port)
            conn.autocommit = True
            conn.cursor().execute(
                "CREATE TABLE IF NOT EXISTS f (id bigint PRIMARY KEY, payload text)")
            conn.close()
            lost, foreign, wrong = verify(port, ledger)
            lost_total.update(lost)
            foreign_total.update(foreign)
            wrong_total.update(wrong)
            check("acknowledged rows present after start %d" % rnd, not lost,
                  "%d lost, e.g. %s" % (len(lost), lost[:5]))
            check("no foreign rows after start %d" % rnd, not foreign, str(foreign[:5]))
            check("payloads after start %d" % rnd, not wrong, str(wrong[:5]))
            if final:
                break
            open(arm, "w").close()
            stop = threading.Event()
            threads = [threading.Thread(target=client,
                                        args=(port, ledger, stop, server,
                                              random.Random(rng.random())))
                       for _ in range(4)]
            for t in threads:
                t.start()
            deadline = time.time() + args.round_seconds
            while time.time() < deadline and server.proc.poll() is None:
                time.sleep(0.1)
            stop.set()
            for t in threads:
                t.join(30)
            code = server.stop()
            injected = open(log_path, "rb").read().count(b"io_fault: injecting") - before
            stats["faults"] += injected
            if code == PANIC_EXIT:
                stats["panics"] += 1
            elif code == -signal.SIGKILL:
                stats["killed"] += 1
            else:
                stats["other_exits"] += 1
                check("exit code in round %d" % rnd, False,
                      "%s (expected %d after a panic, or still running)" % (code, PANIC_EXIT))
        check("errors carry a SQLSTATE while the server runs", not ledger.no_state_alive,
              "; ".join(ledger.no_state_alive[:3]))
    finally:
        server.stop()
        if args.keep:
            print("kept %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)

    print("rounds %d, faults injected %d, panic exits %d, killed while running %d, other exits "
          "%d, failed starts %d" % (args.rounds, stats["faults"], stats["panics"],
                                    stats["killed"], stats["other_exits"],
                                    stats["failed_starts"]))
    print("rows acknowledged %d, lost %d, foreign %d, wrong payload %d; client errors by SQLSTATE "
          "%s, connections lost at a stop %d" % (len(ledger.acked), len(lost_total),
                                                len(foreign_total), len(wrong_total),
                                                dict(sorted(ledger.errors.items())),
                                                ledger.lost_connections))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def tail(path, n=15):
    try:
        return b"\n".join(open(path, "rb").read().splitlines()[-n:]).decode(errors="replace")
    except OSError:
        return ""


if __name__ == "__main__":
    sys.exit(main())
