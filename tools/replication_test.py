#!/usr/bin/python3
"""Replication on real processes (docs/design/2026-12-06-shard-log-and-replication.md).

  tools/replication_test.py --server build/dev/activestore [--ports 6300-6399]

Starts a primary on 127.0.0.1 with a fresh data directory and `--shard-log on`, checks the
primary's side of replication with psycopg2's PhysicalReplicationConnection, then starts a
replica on 127.0.0.2 (`--replica-of`, fresh data directory) and checks it.

The primary's side:
  * only superusers and REPLICATION roles may open a replication connection (FATAL 42501);
    `replication=foo` is FATAL 22023; SQL on a physical one is 0A000, on replication=database
    it runs;
  * IDENTIFY_SYSTEM (system identifier stable across a restart, timeline 1, xlogpos);
  * CREATE_REPLICATION_SLOT / DROP_REPLICATION_SLOT and pg_drop_replication_slot() with
    PostgreSQL's SQLSTATEs (42710, 42704, 42602, 55006 for an active slot), pg_replication_slots;
  * START_REPLICATION SLOT s PHYSICAL X/Y: one XLogData per committed transaction, in LSN order,
    each decoded from our format (storage/shard_log.h EncodeTransactionMessage) and checked: a
    multi-statement transaction across shards arrives whole in one message, a rolled-back one
    never, CREATE TABLE and DROP TABLE as storage-table records; a restart of the stream after an
    LSN sends only what follows it;
  * standby status updates move the slot's restart_lsn and pg_stat_replication's positions;
  * the slot survives a restart of the primary with its restart_lsn, and log entries it still
    needs survive log_keep_seconds.
The replica (check_replica): the base copy taken while the primary serves; inserts, updates,
deletes over several shards, a multi-statement transaction, a rolled-back one, CREATE TABLE,
CREATE INDEX, DROP TABLE appear exactly (full table contents compared); reads on the replica
never see half of a transaction (transfers between rows on the primary, the replica's sum stays
constant); writes, DDL and nextval on the replica fail with 25006; pg_stat_replication and
pg_stat_wal_receiver; kill -9 of the replica and its restart lose and double nothing; a restart
of the primary and the replica reconnects. With --bench-seconds N it also runs pgbench TPC-B on
the primary and prints the replica's lag (p50/p99) and the TPS, then compares the tables.
Every process it starts, it stops. The last line is `N passed, N failed`; exit code 1 if any
failed.
"""

import argparse
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time

try:
    import psycopg2
    import psycopg2.extras
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("replication_test.py: psycopg2 is missing (run with /usr/bin/python3)\n")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import checker  # noqa: E402  (same folder)
from crash_test import Server  # noqa: E402  (same folder)


class Node(Server):
    """One activestore process on `host`:`port` with its own data directory (crash_test's
    Server, which picks 127.0.0.1 and any free port, on a given address and port)."""

    def __init__(self, binary, data_dir, log_path, host, port, extra_args):
        super().__init__(binary, data_dir, log_path, list(extra_args), 60)
        self.host, self.fixed_port = host, port

    def start(self, timeout=60):
        self.port = self.fixed_port
        cmd = [self.binary, "--data-dir", self.data_dir, "--port", str(self.port),
               "--listen", self.host, "--sync-mode", "fsync"] + self.extra_args
        with open(self.log_path, "ab") as log:
            log.write(("\n=== %s: %s\n" % (time.strftime("%H:%M:%S"), " ".join(cmd))).encode())
            log.flush()
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("%s exited with code %d during start-up (log: %s)"
                                   % (self.host, self.proc.returncode, self.log_path))
            try:
                self.connect(timeout=2).close()
                return
            except psycopg2.Error as e:
                last = e
                time.sleep(0.05)
        raise RuntimeError("no connection within %.0fs: %s" % (timeout, last))

    def connect(self, user="postgres", timeout=10, **kw):
        conn = psycopg2.connect(host=self.host, port=self.port, user=user, dbname="postgres",
                                connect_timeout=timeout, sslmode="disable", **kw)
        conn.autocommit = True
        return conn

    def replication(self, user="postgres", kind="physical", **kw):
        factory = (psycopg2.extras.PhysicalReplicationConnection if kind == "physical"
                   else psycopg2.extras.LogicalReplicationConnection)
        return psycopg2.connect(host=self.host, port=self.port, user=user, dbname="postgres",
                                connect_timeout=10, sslmode="disable",
                                connection_factory=factory, **kw)

    def stop(self, grace=30):
        """SIGTERM, SIGKILL after `grace` seconds; waits for the process."""
        self.terminate(grace)


def free_port(host, lo, hi, taken=()):
    for port in range(lo, hi + 1):
        if port in taken:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((host, port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port in %d-%d on %s" % (lo, hi, host))


def rows(conn, sql, args=None):
    cur = conn.cursor()
    cur.execute(sql, args)
    return cur.fetchall() if cur.description else []


def sqlstate(f):
    try:
        f()
    except psycopg2.Error as e:
        return e.pgcode or ("FATAL" if "FATAL" in str(e) else str(e))
    return None


def lsn_int(text):
    hi, lo = text.split("/")
    return (int(hi, 16) << 32) | int(lo, 16)


def lsn_text(v):
    return "%X/%X" % (v >> 32, v & 0xFFFFFFFF)


# ---- our transaction message (storage/shard_log.h EncodeTransactionMessage) ----

KIND_COMMIT, KIND_CREATE, KIND_DROP = 1, 2, 3
OP_PUT, OP_DELETE = 1, 2


class Reader:
    def __init__(self, b):
        self.b, self.pos = b, 0

    def byte(self):
        v = self.b[self.pos]
        self.pos += 1
        return v

    def varint(self):
        x, shift = 0, 0
        while True:
            c = self.byte()
            x |= (c & 0x7F) << shift
            if not c & 0x80:
                return x
            shift += 7

    def bytes_(self):
        n = self.varint()
        v = self.b[self.pos:self.pos + n]
        if len(v) != n:
            raise ValueError("truncated")
        self.pos += n
        return bytes(v)


def decode_transaction(payload):
    r = Reader(payload)
    if r.byte() != 1:
        raise ValueError("unknown format")
    kind = r.byte()
    lsn = int.from_bytes(payload[2:10], "big")
    r.pos = 10
    epoch, txn = r.varint(), r.varint()
    table = r.bytes_().decode() if kind != KIND_COMMIT else None
    ops = []
    for _ in range(r.varint()):
        op_kind = r.byte()
        t, k = r.bytes_().decode(), r.bytes_()
        v = r.bytes_() if op_kind == OP_PUT else None
        ops.append((op_kind, t, k, v))
    if r.pos != len(payload):
        raise ValueError("trailing bytes")
    return {"kind": kind, "lsn": lsn, "epoch": epoch, "txn": txn, "table": table, "ops": ops}


def receive(cur, until, timeout=20, feedback=None):
    """Messages of a started replication cursor until until(list) is true or timeout."""
    got = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not until(got):
        msg = cur.read_message()
        if msg is None:
            select.select([cur.connection], [], [], 0.2)
            continue
        t = decode_transaction(msg.payload)
        t["data_start"] = msg.data_start
        t["wal_end"] = msg.wal_end
        got.append(t)
        if feedback is not None:
            feedback(msg)
    return got


def table_oid(conn, name):
    return rows(conn, "SELECT oid FROM pg_class WHERE relname = %s", (name,))[0][0]


def data_ops(t, oid):
    """The operations of transaction t on the shards of table `oid` (t<oid>_s<n>)."""
    prefix = "t%d_" % oid
    return [op for op in t["ops"] if op[1].startswith(prefix)]


def check_primary(primary, check):
    admin = primary.connect()
    # ---- who may connect, and what a replication connection runs ----
    rows(admin, "CREATE ROLE plain LOGIN")
    rows(admin, "CREATE ROLE replicator LOGIN REPLICATION")
    err = None
    try:
        primary.replication(user="plain").close()
    except psycopg2.OperationalError as e:
        err = str(e)
    check("plain role refused", err is not None and
          "must be superuser or replication role to start walsender" in err, err)
    err = None
    try:
        psycopg2.connect(host=primary.host, port=primary.port, user="postgres",
                         dbname="postgres", replication="maybe", sslmode="disable").close()
    except psycopg2.OperationalError as e:
        err = str(e)
    check("bad replication value", err is not None and
          'invalid value for parameter "replication": "maybe"' in err, err)

    repl = primary.replication(user="replicator")
    cur = repl.cursor()
    cur.execute("IDENTIFY_SYSTEM")
    ident = cur.fetchall()
    check("identify_system", len(ident) == 1 and ident[0][1] == 1 and ident[0][3] is None and
          lsn_int(ident[0][2]) > 0, ident)
    system_id = ident[0][0]
    check("sql on physical is 0A000", sqlstate(lambda: cur.execute("SELECT 1")) == "0A000")
    check("syntax error", sqlstate(lambda: cur.execute("IDENTIFY_SYSTEM now")) == "42601")
    cur.execute("TIMELINE_HISTORY 1")
    check("timeline history of epoch 1", cur.fetchall() == [("00000001.history", b"")])
    check("timeline history of a future epoch 55000",
          sqlstate(lambda: cur.execute("TIMELINE_HISTORY 5")) == "55000")
    cur.execute("SHOW server_version")
    check("show runs", cur.fetchall()[0][0].startswith("15"))
    dbrepl = primary.replication(kind="logical")  # replication=database
    dcur = dbrepl.cursor()
    dcur.execute("SELECT 40 + 2")
    check("sql on replication=database", dcur.fetchall() == [(42,)])
    dcur.execute("IDENTIFY_SYSTEM")
    check("identify_system names the database", dcur.fetchall()[0][3] == "postgres")
    dbrepl.close()

    # ---- slots ----
    cur.create_replication_slot("replica_a")
    check("duplicate slot 42710",
          sqlstate(lambda: cur.create_replication_slot("replica_a")) == "42710")
    check("bad slot name 42602",
          sqlstate(lambda: cur.execute("CREATE_REPLICATION_SLOT \"Bad\" PHYSICAL")) == "42602")
    check("drop missing 42704",
          sqlstate(lambda: cur.execute("DROP_REPLICATION_SLOT nope")) == "42704")
    check("sql drop missing 42704",
          sqlstate(lambda: rows(admin, "SELECT pg_drop_replication_slot('nope')")) == "42704")
    plain = primary.connect(user="plain")
    check("sql drop needs the role 42501",
          sqlstate(lambda: rows(plain, "SELECT pg_drop_replication_slot('replica_a')")) == "42501")
    plain.close()
    cur.execute("CREATE_REPLICATION_SLOT tmp PHYSICAL RESERVE_WAL")
    slots = rows(admin, "SELECT slot_name, plugin, slot_type, datoid, database, temporary, "
                        "active, active_pid, restart_lsn IS NOT NULL, wal_status, two_phase "
                        "FROM pg_replication_slots ORDER BY slot_name")
    check("pg_replication_slots", slots == [
        ("replica_a", None, "physical", None, None, False, False, None, False, None, False),
        ("tmp", None, "physical", None, None, False, False, None, True, "reserved", False)],
        slots)
    rows(admin, "SELECT pg_drop_replication_slot('tmp')")
    check("sql drop", rows(admin, "SELECT count(*) FROM pg_replication_slots") == [(1,)])

    # ---- the stream ----
    rows(admin, "CREATE TABLE acct (id int PRIMARY KEY, balance int)")
    oid = table_oid(admin, "acct")
    start = lsn_int(rows(admin, "SELECT pg_current_wal_lsn()::text")[0][0])
    cur.start_replication(slot_name="replica_a", start_lsn=start)
    # The slot is active now: it cannot be dropped or taken by another connection.
    check("active slot 55006",
          sqlstate(lambda: rows(admin, "SELECT pg_drop_replication_slot('replica_a')")) == "55006")
    rows(admin, "INSERT INTO acct SELECT g, 100 FROM generate_series(1, 40) g")
    admin.autocommit = False
    c = admin.cursor()
    c.execute("UPDATE acct SET balance = balance - 7 WHERE id = 3")
    c.execute("UPDATE acct SET balance = balance + 7 WHERE id = 29")
    c.execute("DELETE FROM acct WHERE id = 40")
    admin.commit()
    c.execute("INSERT INTO acct VALUES (1000, 1)")
    admin.rollback()
    admin.autocommit = True
    rows(admin, "CREATE TABLE gone (x int)")
    rows(admin, "DROP TABLE gone")
    rows(admin, "INSERT INTO acct VALUES (41, 5)")
    marker = lsn_int(rows(admin, "SELECT pg_current_wal_lsn()::text")[0][0])

    def reached(got):
        return bool(got) and got[-1]["lsn"] >= marker

    got = receive(cur, reached)
    commits = [t for t in got if t["kind"] == KIND_COMMIT and data_ops(t, oid)]
    lsns = [t["lsn"] for t in got]
    check("stream reached the marker", reached(got), [lsn_text(x) for x in lsns[-3:]])
    check("lsn order, no duplicates", lsns == sorted(set(lsns)))
    check("all after the start", all(x > start for x in lsns))
    check("data_start is the lsn", all(t["data_start"] == t["lsn"] for t in got))
    check("wal_end ahead", all(t["wal_end"] >= t["lsn"] for t in got))
    shapes = [sorted(op[0] for op in data_ops(t, oid)) for t in commits]
    check("one message per transaction", len(commits) == 3, shapes)
    if len(commits) == 3:
        check("bulk insert whole", len(data_ops(commits[0], oid)) == 40 and
              len({op[1] for op in data_ops(commits[0], oid)}) > 1)
        check("multi-statement transaction whole",
              shapes[1] == [OP_PUT, OP_PUT, OP_DELETE], shapes[1])
        check("rolled back absent", shapes[2] == [OP_PUT])
    ddl = [(t["kind"], t["table"]) for t in got if t["kind"] != KIND_COMMIT]
    check("create and drop of storage tables",
          any(k == KIND_CREATE for k, _ in ddl) and any(k == KIND_DROP for k, _ in ddl), ddl)

    # ---- acknowledgements ----
    cur.send_feedback(write_lsn=marker, flush_lsn=marker, apply_lsn=marker, force=True)
    deadline = time.monotonic() + 10
    seen = None
    while time.monotonic() < deadline:
        receive(cur, lambda g: False, timeout=0.3)
        seen = rows(admin, "SELECT restart_lsn::text, active, active_pid IS NOT NULL "
                           "FROM pg_replication_slots")
        if seen and seen[0][0] == lsn_text(marker):
            break
    check("flush moves restart_lsn", seen == [(lsn_text(marker), True, True)], seen)
    stat = rows(admin, "SELECT usename, application_name, client_addr, state, "
                       "sent_lsn >= %s::pg_lsn, flush_lsn::text, replay_lsn::text, "
                       "flush_lag IS NOT NULL, sync_state FROM pg_stat_replication",
                (lsn_text(marker),))
    check("pg_stat_replication", stat == [("replicator", "", "127.0.0.1", "streaming", True,
                                           lsn_text(marker), lsn_text(marker), True, "async")],
          stat)
    repl.close()
    time.sleep(0.5)
    check("slot released", rows(admin, "SELECT active FROM pg_replication_slots") == [(False,)])

    # Streaming again from the acknowledged position sends only what came after it.
    rows(admin, "UPDATE acct SET balance = 0 WHERE id = 41")
    repl = primary.replication(user="replicator")
    cur = repl.cursor()
    cur.start_replication(slot_name="replica_a", start_lsn=marker)
    got = receive(cur, lambda g: any(data_ops(t, oid) for t in g), timeout=10)
    check("resume after an lsn", [len(data_ops(t, oid)) for t in got if data_ops(t, oid)] == [1]
          and all(t["lsn"] > marker for t in got), got)
    repl.close()
    admin.close()
    return system_id, marker


# ---- a replica on 127.0.0.2 ----

def wait_replayed(primary_conn, replica_conn, timeout=60):
    """Waits until the replica applied everything the primary had committed when called."""
    target = lsn_int(rows(primary_conn, "SELECT pg_current_wal_lsn()::text")[0][0])
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = rows(replica_conn, "SELECT pg_last_wal_replay_lsn()::text")[0][0]
        if last is not None and lsn_int(last) >= target:
            return True
        time.sleep(0.05)
    print("replica at %s, primary at %s" % (last, lsn_text(target)))
    return False


def contents(conn, table, key):
    return rows(conn, "SELECT * FROM %s ORDER BY %s" % (table, key))


def connect_retry(node, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return node.connect()
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def check_replica(primary, replica, check):
    p = primary.connect()
    rows(p, "CREATE TABLE items (id int PRIMARY KEY, name text, qty int)")
    rows(p, "INSERT INTO items SELECT g, 'item ' || g, g % 7 FROM generate_series(1, 500) g")
    rows(p, "CREATE TABLE bank (id int PRIMARY KEY, amount int)")
    rows(p, "INSERT INTO bank SELECT g, 1000 FROM generate_series(1, 20) g")
    replica.start(timeout=120)  # the base copy comes first
    r = replica.connect()
    check("replica in recovery", rows(r, "SELECT pg_is_in_recovery()") == [(True,)])
    check("primary not in recovery", rows(p, "SELECT pg_is_in_recovery()") == [(False,)])
    check("base copy caught up", wait_replayed(p, r))
    check("base copy contents", contents(r, "items", "id") == contents(p, "items", "id"))

    # Changes after the copy: every kind of write, several shards, one transaction of several
    # statements, a rolled-back one, DDL.
    rows(p, "UPDATE items SET qty = qty + 100 WHERE id % 3 = 0")
    rows(p, "DELETE FROM items WHERE id > 450")
    p.autocommit = False
    c = p.cursor()
    c.execute("INSERT INTO items VALUES (1001, 'multi', 1)")
    c.execute("UPDATE items SET name = 'changed' WHERE id = 2")
    c.execute("DELETE FROM items WHERE id = 3")
    p.commit()
    c.execute("INSERT INTO items VALUES (2001, 'rolled back', 1)")
    p.rollback()
    p.autocommit = True
    rows(p, "CREATE TABLE later (k text PRIMARY KEY, v int)")
    rows(p, "CREATE INDEX later_v ON later (v)")
    rows(p, "INSERT INTO later SELECT 'k' || g, g FROM generate_series(1, 100) g")
    rows(p, "CREATE TABLE dropped (x int)")
    rows(p, "INSERT INTO dropped VALUES (1)")
    rows(p, "DROP TABLE dropped")
    check("changes replayed", wait_replayed(p, r))
    check("items equal", contents(r, "items", "id") == contents(p, "items", "id"))
    check("rolled back absent", rows(r, "SELECT count(*) FROM items WHERE id = 2001") == [(0,)])
    check("new table equal", contents(r, "later", "k") == contents(p, "later", "k"))
    check("index on the replica",
          rows(r, "SELECT indexname FROM pg_indexes WHERE tablename = 'later' ORDER BY 1")
          == [("later_pkey",), ("later_v",)])
    check("index lookup", rows(r, "SELECT k FROM later WHERE v = 42") == [("k42",)])
    check("dropped table gone", sqlstate(lambda: rows(r, "SELECT * FROM dropped")) == "42P01")

    # Hot standby: no writes of any kind.
    check("insert 25006", sqlstate(lambda: rows(r, "INSERT INTO items VALUES (5000, 'x', 1)"))
          == "25006")
    check("update 25006", sqlstate(lambda: rows(r, "UPDATE items SET qty = 0")) == "25006")
    check("create table 25006", sqlstate(lambda: rows(r, "CREATE TABLE nope (x int)"))
          == "25006")
    rows(p, "CREATE SEQUENCE s")
    wait_replayed(p, r)
    check("nextval 25006", sqlstate(lambda: rows(r, "SELECT nextval('s')")) == "25006")
    err = None
    try:
        rows(r, "INSERT INTO items VALUES (5000, 'x', 1)")
    except psycopg2.Error as e:
        err = e.pgerror
    check("postgres message", err is not None and
          "cannot execute INSERT in a read-only transaction" in err, err)
    check("pg_current_wal_lsn on a replica 55000",
          sqlstate(lambda: rows(r, "SELECT pg_current_wal_lsn()")) == "55000")
    check("primary has no receive lsn",
          rows(p, "SELECT pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()") == [(None, None)])

    stat = rows(p, "SELECT application_name, client_addr, state, replay_lsn IS NOT NULL "
                   "FROM pg_stat_replication")
    # The replica's connection leaves from whatever loopback address the kernel picks.
    check("pg_stat_replication lists the replica",
          len(stat) == 1 and stat[0][0] == "activestore_replica" and
          stat[0][1] in ("127.0.0.1", "127.0.0.2") and stat[0][2:] == ("streaming", True), stat)
    recv = rows(r, "SELECT status, slot_name, sender_host, sender_port = %s, "
                   "flushed_lsn IS NOT NULL FROM pg_stat_wal_receiver", (primary.port,))
    check("pg_stat_wal_receiver", recv == [("streaming", "replica1", "127.0.0.1", True, True)],
          recv)

    # Never half of a transaction: transfers between two rows keep the sum.
    import threading
    stop = threading.Event()
    errors = []
    transfers = [0]

    def writer():
        w = primary.connect()
        w.autocommit = False
        wc = w.cursor()
        i = 0
        while not stop.is_set():
            a, b = 1 + i % 20, 1 + (i * 7 + 3) % 20
            i += 1
            if a == b:
                continue
            try:
                wc.execute("UPDATE bank SET amount = amount - 5 WHERE id = %s", (a,))
                wc.execute("UPDATE bank SET amount = amount + 5 WHERE id = %s", (b,))
                w.commit()
                transfers[0] += 1
            except psycopg2.Error as e:  # a serialization failure is retried
                w.rollback()
                if e.pgcode != "40001":
                    errors.append(str(e))
        w.close()

    t = threading.Thread(target=writer)
    t.start()
    sums = set()
    reads = 0
    deadline = time.monotonic() + 6
    while time.monotonic() < deadline:
        sums.add(rows(r, "SELECT sum(amount) FROM bank")[0][0])
        reads += 1
    stop.set()
    t.join()
    check("replica sum constant", sums == {20000} and not errors,
          "%s %s after %d transfers, %d reads" % (sums, errors[:1], transfers[0], reads))
    print("consistency checker: %d transfers on the primary, %d sums read on the replica"
          % (transfers[0], reads))
    check("transfers replayed", wait_replayed(p, r) and
          contents(r, "bank", "id") == contents(p, "bank", "id"))
    r.close()

    # kill -9 of the replica, writes meanwhile, restart: it resumes, nothing lost or doubled.
    replica.kill()
    rows(p, "INSERT INTO items SELECT g, 'after kill', 0 FROM generate_series(3000, 3199) g")
    rows(p, "UPDATE later SET v = v + 1000")
    replica.start(timeout=120)
    r = replica.connect()
    check("resumed after kill -9", wait_replayed(p, r) and
          contents(r, "items", "id") == contents(p, "items", "id") and
          contents(r, "later", "k") == contents(p, "later", "k"))
    r.close()

    # A restart of the primary: the replica connects again and goes on.
    p.close()
    primary.stop()
    primary.start()
    p = primary.connect()
    rows(p, "INSERT INTO items VALUES (4000, 'after primary restart', 1)")
    r = connect_retry(replica)
    check("reconnected after a primary restart", wait_replayed(p, r, timeout=90) and
          contents(r, "items", "id") == contents(p, "items", "id"))
    slots = rows(p, "SELECT slot_name, active FROM pg_replication_slots")
    check("replica's slot active", slots == [("replica1", True)], slots)
    r.close()
    p.close()


def pgbench_env(node):
    return dict(os.environ, PGHOST=node.host, PGPORT=str(node.port), PGUSER="postgres",
                PGDATABASE="postgres", PGSSLMODE="disable")


def baseline_tps(primary, seconds, clients):
    """pgbench TPC-B on the primary alone (before the replica exists)."""
    env = pgbench_env(primary)
    subprocess.run(["pgbench", "-i", "-s", "1", "-q"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = subprocess.run(["pgbench", "-c", str(clients), "-j", "2", "-T", str(seconds), "-n"],
                         env=env, check=True, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT).stdout.decode()
    tps = [l for l in out.splitlines() if l.startswith("tps")]
    print("pgbench TPC-B without a replica, %d clients, %d s: %s" % (clients, seconds, tps))


def measure_lag(primary, replica, seconds, clients, check):
    """pgbench TPC-B on the primary; samples the replica's lag (the primary's LSN minus the
    replica's replayed LSN, converted to milliseconds: LSNs are hybrid clock values) and
    pg_stat_replication's replay_lag."""
    env = pgbench_env(primary)
    p = primary.connect()
    r = replica.connect()
    wait_replayed(p, r, timeout=300)
    bench = subprocess.Popen(["pgbench", "-c", str(clients), "-j", "2", "-T", str(seconds), "-n"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    samples, lags = [], []
    while bench.poll() is None:
        head = lsn_int(rows(p, "SELECT pg_current_wal_insert_lsn()::text")[0][0])
        replayed = rows(r, "SELECT pg_last_wal_replay_lsn()::text")[0][0]
        if replayed is not None:
            samples.append(max(0, head - lsn_int(replayed)) / float(1 << 20))
        lag = rows(p, "SELECT extract(epoch FROM replay_lag) * 1000 FROM pg_stat_replication")
        if lag and lag[0][0] is not None:
            lags.append(float(lag[0][0]))
        time.sleep(0.2)
    out = bench.communicate()[0].decode()
    tps = [l for l in out.splitlines() if l.startswith("tps")]
    samples.sort()
    lags.sort()

    def pct(v, q):
        return v[min(len(v) - 1, int(q * len(v)))] if v else float("nan")

    print("pgbench TPC-B, %d clients, %d s: %s" % (clients, seconds, tps))
    print("lag by LSN (ms): p50 %.1f p99 %.1f max %.1f (%d samples)"
          % (pct(samples, 0.5), pct(samples, 0.99), samples[-1] if samples else float("nan"),
             len(samples)))
    print("pg_stat_replication replay_lag (ms): p50 %.1f p99 %.1f (%d samples)"
          % (pct(lags, 0.5), pct(lags, 0.99), len(lags)))
    check("caught up after the load", wait_replayed(p, r, timeout=300))
    for t in ("pgbench_accounts", "pgbench_branches", "pgbench_tellers"):
        key = "aid" if t == "pgbench_accounts" else ("bid" if t == "pgbench_branches" else "tid")
        check("%s equal" % t, contents(r, t, key) == contents(p, t, key))
    check("history equal", rows(r, "SELECT count(*), sum(delta) FROM pgbench_history")
          == rows(p, "SELECT count(*), sum(delta) FROM pgbench_history"))
    p.close()
    r.close()


def run(args):
    lo, hi = (int(x) for x in args.ports.split("-"))
    tmp = tempfile.mkdtemp(prefix="replication_test_")
    check, counts = checker()

    binary = os.path.abspath(args.server)
    primary = Node(binary, os.path.join(tmp, "primary"), os.path.join(tmp, "primary.log"),
                   "127.0.0.1", free_port("127.0.0.1", lo, hi),
                   ["--shard-log", "on", "--log-keep-seconds", "1"])
    nodes = [primary]
    try:
        primary.start()
        system_id, marker = check_primary(primary, check)
        # The slot, its position and the system identifier survive a restart, and the log
        # keeps what the slot still needs although log_keep_seconds (1 s) has long passed.
        primary.stop()
        time.sleep(1.5)
        primary.start()
        admin = primary.connect()
        check("slot after restart",
              rows(admin, "SELECT slot_name, restart_lsn::text, active FROM pg_replication_slots")
              == [("replica_a", lsn_text(marker), False)])
        time.sleep(11)  # the log's maintenance runs every 10 s
        repl = primary.replication()
        cur = repl.cursor()
        cur.execute("IDENTIFY_SYSTEM")
        check("system identifier stable", cur.fetchall()[0][0] == system_id)
        cur.start_replication(slot_name="replica_a", start_lsn=marker)
        got = receive(cur, lambda g: any(t["kind"] == KIND_COMMIT and t["ops"] for t in g),
                      timeout=10)
        check("retained for the slot", any(t["kind"] == KIND_COMMIT and t["ops"] for t in got))
        repl.close()
        # Without a slot, a start before what the log still has is refused, not skipped.
        repl = primary.replication()
        cur = repl.cursor()
        check("truncated start refused", sqlstate(lambda: cur.start_replication(start_lsn=0))
              == "55000")
        repl.close()
        rows(admin, "SELECT pg_drop_replication_slot('replica_a')")
        admin.close()
        if args.bench_seconds:
            baseline_tps(primary, args.bench_seconds, args.bench_clients)
        if not args.primary_only:
            replica = Node(binary, os.path.join(tmp, "replica"), os.path.join(tmp, "replica.log"),
                           "127.0.0.2", free_port("127.0.0.2", lo, hi, taken=(primary.port,)),
                           ["--replica-of", "127.0.0.1:%d" % primary.port,
                            "--replication-slot", "replica1"])
            nodes.append(replica)
            check_replica(primary, replica, check)
            if args.bench_seconds:
                measure_lag(primary, replica, args.bench_seconds, args.bench_clients, check)
    except Exception as e:  # noqa: BLE001 - report and fail
        import traceback
        traceback.print_exc()
        check("run", False, repr(e))
    finally:
        for node in nodes:
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
    ap.add_argument("--ports", default="6300-6399", help="port range for the nodes")
    ap.add_argument("--keep", action="store_true", help="keep data and logs after a failure")
    ap.add_argument("--primary-only", action="store_true", help="skip the replica checks")
    ap.add_argument("--bench-seconds", type=int, default=0,
                    help="also measure the lag under pgbench TPC-B for this long")
    ap.add_argument("--bench-clients", type=int, default=8)
    return run(ap.parse_args())


if __name__ == "__main__":
    sys.exit(main())
