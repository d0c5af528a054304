#!/usr/bin/python3
"""Durability under kill -9: no acknowledged commit may be lost, no rolled-back row may appear.

  tools/crash_test.py --server build/release/activestore --iterations 20

It starts the server (fresh temporary --data-dir, --sync-mode fsync, --max-prepared-transactions
large enough for the clients), creates a table, and runs client threads that run random write
units, recording which statements the server acknowledged. Most units insert rows: single-row
autocommit INSERTs, multi-row INSERTs, small BEGIN ... COMMIT and BEGIN ... ROLLBACK
transactions. With a small probability a unit is instead

  * a prepared transaction (not with --no-2pc): BEGIN; INSERT ... (into the main table, or
    into one of the client's own tables below; with DDL also BEGIN; CREATE TABLE; INSERT ...
    into it); PREPARE TRANSACTION 'gid', then mostly COMMIT PREPARED, sometimes ROLLBACK
    PREPARED, from the same session or a second one, or it is left prepared (finished by a
    later unit, or open across the kill);
  * DDL on tables of the client's own (not with --no-ddl): CREATE TABLE in autocommit, or in
    BEGIN ... COMMIT with INSERTs into it, or in BEGIN ... ROLLBACK; INSERTs into it; DROP
    TABLE, also in BEGIN ... ROLLBACK; ALTER TABLE ADD COLUMN c int DEFAULT 7 (also rolled
    back; left out with a note if the server answers 0A000); CREATE INDEX on payload;
    TRUNCATE (also rolled back). The client of the same number in the next iteration takes
    the existing tables over.

A random moment (--kill-min .. --kill-max seconds after the first acknowledgement) the server
gets SIGKILL (all its processes at once); it is restarted on the same data directory and
checked:

  * every acknowledged row is present, with its payload; no row of a rolled-back or
    never-committed transaction is present; no row that nobody inserted;
  * a commit whose acknowledgement was lost in the crash is all or nothing;
  * every prepared transaction whose PREPARE was acknowledged and not finished is listed in
    pg_prepared_xacts and its rows are not visible; one whose COMMIT/ROLLBACK PREPARED lost
    its acknowledgement is either still listed (rows invisible) or finished as asked (rows
    all there, or none); one whose PREPARE lost its acknowledgement may be listed or not, its
    rows invisible; no other transaction is listed. A table created by a prepared transaction
    exists only once COMMIT PREPARED went through, with the rows of its transaction. The checker finishes every listed one
    (COMMIT or ROLLBACK PREPARED, at random; before it probes the indexes, which would wait for
    their locks), and the next check sees the outcome;
  * an acknowledged table exists (probed with SELECT; 42P01 means it does not) with exactly
    its acknowledged rows; a dropped one, or one created in a rolled-back transaction, does
    not exist; a CREATE or DROP that lost its acknowledgement is all or nothing (the table
    exists with all rows of its transaction, or not at all); an added column exists (42703
    if not) and is 7 in every row, or, if its ALTER lost its acknowledgement, exists or not;
    an acknowledged TRUNCATE left none of the earlier rows, one in doubt all or none of them;
    an acknowledged index exists (DROP INDEX in a rolled-back block finds it; 42704 if not),
    and lookups by payload agree with the table scan.

The data directory is kept across iterations, so later iterations also check that earlier
recoveries stay intact: whatever a check found for a statement in doubt, later checks must
agree. After the iterations, a graceful check lets the clients finish, stops the server with
SIGTERM (it must exit within --grace seconds), restarts it and checks again. Every process it
started is stopped and the temporary directory removed, also on errors and Ctrl-C. Each
iteration and the graceful check count once in the last line, `N passed, N failed`; the exit
code is 1 if any failed, 2 on usage errors. Each ok line shows what the clients did (commits,
PREPAREs and DDL statements acknowledged) and how many statements were in doubt at the kill.

Needs only the standard library and psycopg2 (run with /usr/bin/python3). To check the test
itself against PostgreSQL: tools/crash_test.py --server tools/pg_shim.py.
"""

import argparse
import os
import random
import re
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


def _proc_stat(pid):
    """(state, ppid) from /proc/PID/stat, or None."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return fields[0].decode(), int(fields[1])
    except (OSError, IndexError, ValueError):
        return None


def _alive(pid):
    st = _proc_stat(pid)
    return st is not None and st[0] not in ("Z", "X")


def _descendants(pid):
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = _proc_stat(int(name))
            if st is not None:
                children.setdefault(st[1], []).append(int(name))
    out, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            out.append(child)
            stack.append(child)
    return out


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
        """SIGKILL to the whole process group and to every descendant (PostgreSQL's backends
        leave the group with setsid(); left alive, they would finish and acknowledge their
        statements after the "crash"). The group is stopped first, so all of it dies at one
        moment. Waits for the process and its descendants."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGSTOP)
        except ProcessLookupError:
            pass
        others = _descendants(self.proc.pid)
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.proc = None
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in others) and time.monotonic() < deadline:
            time.sleep(0.01)

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

    # The checker's own probes (tables, column c, indexes that may not exist), which
    # PostgreSQL logs as errors: left out of log_tail().
    PROBE_NOISE = re.compile(r'(relation|index) "ct_[0-9_]+(_p)?" does not exist|column "c" does '
                             r'not exist|STATEMENT: +(SELECT id, (payload|c) FROM|DROP INDEX) ct_')

    def log_tail(self, n=40):
        try:
            with open(self.log_path, "r", encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            return []
        return [line for line in lines if not self.PROBE_NOISE.search(line)][-n:]


class Group:
    """Rows that commit together (one statement or one transaction)."""

    __slots__ = ("ids", "state")

    def __init__(self, ids, state):
        self.ids = ids
        self.state = state


# Prepared transactions (PrepRec.state). NOT_PREPARED: PREPARE was never sent (or the checker
# saw that it did not take effect). The *_SENT states are statements whose acknowledgement was
# lost, until a check decides them.
NOT_PREPARED, PREPARE_SENT, PREPARED = "not_prepared", "prepare_sent", "prepared"
COMMIT_SENT, ROLLBACK_SENT = "commit_sent", "rollback_sent"
COMMITTED, ROLLED_BACK = "committed", "rolled_back"


class PrepRec:
    """One PREPARE TRANSACTION 'gid' of the rows of `group`, in TABLE or in the TableRec
    `table`."""

    __slots__ = ("gid", "group", "state", "table")

    def __init__(self, gid, group, state=NOT_PREPARED, table=None):
        self.gid = gid
        self.group = group
        self.state = state
        self.table = table  # its state is T_PREPARED if this transaction creates it


# Tables of the DDL units (TableRec.state).
T_ABSENT, T_CREATE_SENT, T_EXISTS = "absent", "create_sent", "exists"
T_DROP_SENT, T_DROPPED = "drop_sent", "dropped"
T_PREPARED = "prepared"  # created by the prepared transaction TableRec.prepared
# The added column and the index of such a table (TableRec.column / TableRec.index).
NONE, SENT, DONE = "none", "sent", "done"
COLUMN_DEFAULT = 7


class TableRec:
    """A worker's own table: CREATE TABLE name (id bigint PRIMARY KEY, payload text NOT NULL),
    maybe with ADD COLUMN c int DEFAULT 7 and an index name_p on payload."""

    __slots__ = ("name", "owner", "state", "groups", "create_group", "column", "index",
                 "truncated", "prepared")

    def __init__(self, name, owner, state=T_ABSENT):
        self.name = name
        self.owner = owner  # the worker index; the worker of that index in the next iteration
        self.state = state  # takes the table over
        self.groups = []
        self.create_group = None  # the rows inserted in the CREATE's transaction
        self.column = NONE
        self.index = NONE
        self.truncated = None  # a TRUNCATE in doubt: the groups it would empty
        self.prepared = None  # T_PREPARED: the PrepRec whose COMMIT PREPARED creates it

    @property
    def index_name(self):
        return self.name + "_p"


class TableProbe:
    """What the checker read of an existing TableRec table."""

    __slots__ = ("rows", "column", "index", "lookup_errors")

    def __init__(self, rows, column=None, index=False, lookup_errors=()):
        self.rows = rows  # {id: payload}
        self.column = column  # {id: c}, or None: 42703
        self.index = index  # the index exists
        self.lookup_errors = list(lookup_errors)  # WHERE payload = ... disagreeing with the scan


def payload(row_id):
    return "row-%d" % row_id


class Worker(threading.Thread):
    """One client: runs random write units until stopped or disconnected.

    Units: INSERTs into TABLE (autocommit, multi-row, BEGIN ... COMMIT, BEGIN ... ROLLBACK);
    with two_pc, prepared transactions; with ddl, DDL on tables of its own (`tables`: those
    it took over from the worker of the same index in the previous iteration)."""

    MAX_OPEN_PREPARED = 2  # per worker; see Worker.max_prepared
    MAX_TABLES = 4  # live tables per worker

    def __init__(self, port, iteration, index, seed, stop, first_ack, two_pc=False, ddl=False,
                 alter=False, tables=()):
        super().__init__(daemon=True)
        self.port = port
        self.iteration = iteration
        self.index = index
        self.base = (iteration * 100 + index) * 10_000_000
        self.seq = 0
        self.rng = random.Random(seed)
        self.stop = stop
        self.first_ack = first_ack
        self.two_pc = two_pc
        self.ddl = ddl
        self.alter = alter
        self.groups = []
        self.prepared = []  # PrepRec, all of this worker
        self.open_prepared = []  # PrepRec in state PREPARED
        self.tables = list(tables)  # live TableRec (state T_EXISTS)
        self.new_tables = []  # TableRec created (or tried) by this worker
        self.errors = []
        self.commits = 0
        self.ddl_acks = 0
        self.conn = None
        self.conn2 = None  # a second session: COMMIT/ROLLBACK PREPARED from another connection

    @staticmethod
    def max_prepared(threads):
        """max_prepared_transactions the server needs for `threads` workers."""
        return max(8, threads * (Worker.MAX_OPEN_PREPARED + 2))

    def next_ids(self, n):
        ids = [self.base + self.seq + i for i in range(n)]
        self.seq += n
        return ids

    def insert_sql(self, ids):
        return "INSERT INTO %s (id, worker, payload) VALUES %s" % (
            TABLE, ", ".join("(%d, %d, '%s')" % (i, self.base // 10_000_000, payload(i))
                             for i in ids))

    @staticmethod
    def table_insert_sql(table, ids):
        return "INSERT INTO %s (id, payload) VALUES %s" % (
            table.name, ", ".join("(%d, '%s')" % (i, payload(i)) for i in ids))

    def acked(self, group):
        group.state = ACKED
        self.commits += 1
        self.first_ack.set()

    def ddl_acked(self):
        self.ddl_acks += 1
        self.first_ack.set()

    def run(self):
        try:
            self.conn = connect(self.port)
        except psycopg2.Error:
            return  # the server died before this client connected
        try:
            cur = self.conn.cursor()
            p_2pc = 0.12 if self.two_pc else 0.0
            p_ddl = 0.06 if self.ddl else 0.0
            while not self.stop.is_set():
                r = self.rng.random()
                if r < p_2pc:
                    self.two_pc_unit(cur)
                    continue
                if r < p_2pc + p_ddl:
                    self.ddl_unit(cur)
                    continue
                r = (r - p_2pc - p_ddl) / (1.0 - p_2pc - p_ddl)
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
        except psycopg2.Error as e:
            # No SQLSTATE, or a closed session: the server went away (the kill).
            lost = any(c is not None and c.closed for c in (self.conn, self.conn2))
            if e.pgcode is not None and not lost:
                self.errors.append("%s: %s" % (e.pgcode, " ".join(str(e).split())))
        finally:
            for c in (self.conn, self.conn2):
                try:
                    if c is not None:
                        c.close()
                except psycopg2.Error:
                    pass

    # --- prepared transactions ---

    def two_pc_unit(self, cur):
        if self.open_prepared and (len(self.open_prepared) >= self.MAX_OPEN_PREPARED
                                   or self.rng.random() < 0.3):
            self.finish_prepared(self.open_prepared[0])  # one left open earlier
            return
        if self.ddl and self.rng.random() < 0.15:
            self.prepared_create_unit(cur)
            return
        g = Group(self.next_ids(self.rng.randint(1, 3)), ABSENT)
        # Sometimes into one of its own tables (with an index, created by DDL); DDL on that
        # table waits until the prepared transaction is finished (ddl_unit avoids it).
        t = None
        if self.tables and self.rng.random() < 0.3:
            t = self.rng.choice(self.tables)
            t.groups.append(g)
        else:
            self.groups.append(g)
        p = PrepRec("ct_%d_%d_%d" % (self.iteration, self.index, len(self.prepared)), g,
                    table=t)
        self.prepared.append(p)
        cur.execute("BEGIN")
        for row_id in g.ids:
            cur.execute(self.insert_sql([row_id]) if t is None
                        else self.table_insert_sql(t, [row_id]))
        p.state = PREPARE_SENT
        cur.execute("PREPARE TRANSACTION '%s'" % p.gid)
        p.state = PREPARED
        self.open_prepared.append(p)
        self.first_ack.set()
        if self.rng.random() < 0.7:  # else left open: finished later, or across the kill
            self.finish_prepared(p)

    def prepared_create_unit(self, cur):
        """BEGIN; CREATE TABLE; INSERT ...; PREPARE: the table exists after COMMIT PREPARED."""
        t = self.new_table()
        g = Group(self.next_ids(self.rng.randint(1, 3)), ABSENT)
        t.groups.append(g)
        t.create_group = g
        p = PrepRec("ct_%d_%d_%d" % (self.iteration, self.index, len(self.prepared)), g,
                    table=t)
        t.state = T_PREPARED
        t.prepared = p
        self.prepared.append(p)
        cur.execute("BEGIN")
        cur.execute("CREATE TABLE %s (id bigint PRIMARY KEY, payload text NOT NULL)" % t.name)
        for row_id in g.ids:
            cur.execute(self.table_insert_sql(t, [row_id]))
        p.state = PREPARE_SENT
        cur.execute("PREPARE TRANSACTION '%s'" % p.gid)
        p.state = PREPARED
        self.open_prepared.append(p)
        self.first_ack.set()
        if self.rng.random() < 0.7:
            self.finish_prepared(p)

    def finish_prepared(self, p):
        if self.rng.random() < 0.5:
            cur = self.conn.cursor()
        else:
            if self.conn2 is None:
                self.conn2 = connect(self.port)
            cur = self.conn2.cursor()
        self.open_prepared.remove(p)
        if self.rng.random() < 0.75:
            p.state = COMMIT_SENT
            cur.execute("COMMIT PREPARED '%s'" % p.gid)
            p.state = COMMITTED
            self.acked(p.group)
            if p.table is not None and p.table.state == T_PREPARED:
                p.table.state = T_EXISTS
                self.tables.append(p.table)
        else:
            p.state = ROLLBACK_SENT
            cur.execute("ROLLBACK PREPARED '%s'" % p.gid)
            p.state = ROLLED_BACK
            if p.table is not None and p.table.state == T_PREPARED:
                p.table.state = T_ABSENT

    # --- DDL on tables of its own ---

    def new_table(self):
        t = TableRec("ct_%d_%d_%d" % (self.iteration, self.index, len(self.new_tables)),
                     self.index)
        self.new_tables.append(t)
        return t

    def ddl_unit(self, cur):
        if not self.tables or (len(self.tables) < self.MAX_TABLES and self.rng.random() < 0.3):
            self.create_unit(cur)
            return
        t = self.rng.choice(self.tables)
        r = self.rng.random()
        if any(p.table is t for p in self.open_prepared):
            r = 1.0  # DDL would wait for its own prepared transaction: rows only
        if r < 0.15 or (r < 0.3 and len(self.tables) >= self.MAX_TABLES):  # DROP TABLE
            t.state = T_DROP_SENT
            cur.execute("DROP TABLE %s" % t.name)
            t.state = T_DROPPED
            self.tables.remove(t)
            self.ddl_acked()
        elif r < 0.35:  # BEGIN; DROP TABLE; ROLLBACK: the table stays
            cur.execute("BEGIN")
            cur.execute("DROP TABLE %s" % t.name)
            cur.execute("ROLLBACK")
        elif r < 0.5 and self.alter and t.column == NONE:
            sql = "ALTER TABLE %s ADD COLUMN c int DEFAULT %d" % (t.name, COLUMN_DEFAULT)
            if self.rng.random() < 0.2:  # rolled back: the column must not appear
                cur.execute("BEGIN")
                cur.execute(sql)
                cur.execute("ROLLBACK")
            else:
                t.column = SENT
                cur.execute(sql)
                t.column = DONE
                self.ddl_acked()
        elif r < 0.65 and t.index == NONE:
            t.index = SENT
            cur.execute("CREATE INDEX %s ON %s (payload)" % (t.index_name, t.name))
            t.index = DONE
            self.ddl_acked()
        elif r < 0.72:  # TRUNCATE (new storage): the rows committed before it are gone
            if self.rng.random() < 0.2:  # rolled back: they stay
                cur.execute("BEGIN")
                cur.execute("TRUNCATE %s" % t.name)
                cur.execute("ROLLBACK")
            else:
                t.truncated = [g for g in t.groups if g.state == ACKED]
                cur.execute("TRUNCATE %s" % t.name)
                for g in t.truncated:
                    g.state = ABSENT
                t.truncated = None
                self.ddl_acked()
        else:  # rows into the table: autocommit, or BEGIN ... COMMIT
            g = Group(self.next_ids(self.rng.randint(1, 3)), IN_DOUBT)
            t.groups.append(g)
            if self.rng.random() < 0.5:
                cur.execute(self.table_insert_sql(t, g.ids))
            else:
                g.state = ABSENT
                cur.execute("BEGIN")
                for row_id in g.ids:
                    cur.execute(self.table_insert_sql(t, [row_id]))
                g.state = IN_DOUBT
                cur.execute("COMMIT")
            self.acked(g)

    def create_unit(self, cur):
        t = self.new_table()
        create = "CREATE TABLE %s (id bigint PRIMARY KEY, payload text NOT NULL)" % t.name
        r = self.rng.random()
        if r < 0.4:  # autocommit CREATE TABLE
            t.state = T_CREATE_SENT
            cur.execute(create)
        else:  # BEGIN; CREATE TABLE; INSERT...; COMMIT or ROLLBACK
            g = Group(self.next_ids(self.rng.randint(1, 3)), ABSENT)
            t.groups.append(g)
            t.create_group = g
            cur.execute("BEGIN")
            cur.execute(create)
            for row_id in g.ids:
                cur.execute(self.table_insert_sql(t, [row_id]))
            if r < 0.8:
                g.state = IN_DOUBT
                t.state = T_CREATE_SENT
                cur.execute("COMMIT")
                g.state = ACKED
            else:
                cur.execute("ROLLBACK")  # the table must never exist
                return
        t.state = T_EXISTS
        self.tables.append(t)
        self.ddl_acked()


def check_groups(groups, rows, what):
    """The rule for rows that commit together, in one table. rows: {id: payload} read back.
    Returns (problems, the ids the groups account for); resolves in-doubt groups."""
    problems = []
    known = set()
    missing = []
    forbidden = []
    for g in groups:
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
            problems.append("%sa commit whose acknowledgement was lost is partly present: "
                            "rows %s of %s" % (what, present, g.ids))
            g.state = REPORTED
        else:
            # Decided now: later recoveries must agree with what this one shows.
            g.state = ACKED if present else ABSENT
    bad_payload = [i for i, p in rows.items() if i in known and p != payload(i)]
    if missing:
        problems.append("%s%d acknowledged rows are missing, e.g. %s"
                        % (what, len(missing), sorted(missing)[:10]))
    if forbidden:
        problems.append("%s%d rows of rolled-back or uncommitted transactions are present, "
                        "e.g. %s" % (what, len(forbidden), sorted(forbidden)[:10]))
    if bad_payload:
        problems.append("%s%d rows have a wrong payload, e.g. %s"
                        % (what, len(bad_payload), sorted(bad_payload)[:10]))
    return problems, known


class Ledger:
    """Everything the clients did so far: row groups of TABLE by state, prepared
    transactions, and the workers' own tables."""

    def __init__(self):
        self.groups = []
        self.unknown_seen = set()
        self.prepared = []  # PrepRec
        self.tables = []  # TableRec

    def add(self, groups, prepared=(), tables=()):
        self.groups.extend(groups)
        self.prepared.extend(prepared)
        self.tables.extend(tables)

    def live_tables(self, owner):
        """The existing tables of worker index `owner`, for the next iteration's worker."""
        return [t for t in self.tables if t.owner == owner and t.state == T_EXISTS]

    def tables_to_probe(self):
        return [t for t in self.tables if t.state != REPORTED]

    def verify(self, rows, tables=None, prepared=None):
        """rows: {id: payload} of TABLE; tables: {name: TableProbe, or None for 42P01} for
        tables_to_probe(); prepared: the gids pg_prepared_xacts lists (None: not checked).
        Returns problems; resolves what was in doubt. The prepared transactions found still
        prepared stay PREPARED (their rows must not be visible) until resolved()."""
        problems = []
        if prepared is not None:
            problems.extend(self.verify_prepared(set(prepared), rows, tables or {}))
        group_problems, known = check_groups(self.groups, rows, "")
        problems.extend(group_problems)
        unknown = [i for i in rows if i not in known and i not in self.unknown_seen]
        self.unknown_seen.update(unknown)
        if unknown:
            problems.append("%d rows that nobody inserted are present, e.g. %s"
                            % (len(unknown), sorted(unknown)[:10]))
        if tables is not None:
            for t in self.tables_to_probe():
                problems.extend(self.verify_table(t, tables.get(t.name)))
        return problems

    def verify_prepared(self, listed, main_rows, tables):
        problems = []
        ours = {p.gid for p in self.prepared}
        unknown = sorted(listed - ours)
        if unknown:
            problems.append("pg_prepared_xacts lists prepared transactions nobody prepared: %s"
                            % unknown[:10])
        for p in self.prepared:
            if p.state == REPORTED:
                continue
            g = p.group
            is_listed = p.gid in listed
            if p.table is None:
                rows = main_rows
            else:
                probe = tables.get(p.table.name)
                rows = probe.rows if probe is not None else {}
            if p.state in (NOT_PREPARED, COMMITTED, ROLLED_BACK):
                if is_listed:
                    problems.append("prepared transaction '%s' is listed in pg_prepared_xacts, "
                                    "but it was %s" % (p.gid, {
                                        NOT_PREPARED: "never prepared",
                                        COMMITTED: "committed (COMMIT PREPARED acknowledged)",
                                        ROLLED_BACK: "rolled back (ROLLBACK PREPARED "
                                                     "acknowledged)"}[p.state]))
                    p.state = REPORTED
                continue  # the group's rows are checked as ACKED / ABSENT
            if p.state == PREPARE_SENT:  # may or may not have been prepared
                p.state = PREPARED if is_listed else NOT_PREPARED
            elif p.state == PREPARED:
                if not is_listed:
                    present = [i for i in g.ids if i in rows]
                    problems.append("prepared transaction '%s' (PREPARE acknowledged) is not "
                                    "listed in pg_prepared_xacts; %d of its %d rows are "
                                    "visible" % (p.gid, len(present), len(g.ids)))
                    p.state = REPORTED
                    g.state = REPORTED
            elif p.state == COMMIT_SENT:  # committed or still prepared
                if is_listed:
                    p.state = PREPARED
                else:
                    present = [i for i in g.ids if i in rows]
                    if len(present) != len(g.ids):
                        problems.append("prepared transaction '%s' is no longer listed after a "
                                        "COMMIT PREPARED whose acknowledgement was lost, but "
                                        "only rows %s of %s are present"
                                        % (p.gid, present, g.ids))
                        p.state = REPORTED
                        g.state = REPORTED
                    else:
                        p.state = COMMITTED
                        g.state = ACKED
            elif p.state == ROLLBACK_SENT:  # rolled back or still prepared
                p.state = PREPARED if is_listed else ROLLED_BACK
            # PREPARED: its rows must not be visible yet (the group is ABSENT until resolved)
        return problems

    def to_resolve(self, listed):
        """The listed prepared transactions that verify() will find still prepared: the
        checker finishes them (before verify(), as its probes would wait for their locks)."""
        return [p for p in self.prepared if p.gid in listed and p.state in (
            PREPARE_SENT, PREPARED, COMMIT_SENT, ROLLBACK_SENT)]

    @staticmethod
    def resolved(p, commit):
        """The checker's COMMIT PREPARED (commit) or ROLLBACK PREPARED was acknowledged;
        after verify()."""
        if p.state != REPORTED:
            p.state = COMMITTED if commit else ROLLED_BACK
        if p.group.state != REPORTED:
            p.group.state = ACKED if commit else ABSENT
        if p.table is not None and p.table.state == T_PREPARED:
            p.table.state = T_EXISTS if commit else T_ABSENT

    def verify_table(self, t, probe):
        """probe: TableProbe, or None when the table does not exist (42P01)."""
        exists = probe is not None
        if t.state == T_PREPARED:  # verify_prepared() has decided its transaction's state
            p = t.prepared
            if p.state == COMMITTED:
                t.state = T_EXISTS
            elif p.state in (NOT_PREPARED, ROLLED_BACK, PREPARED):
                if exists:
                    t.state = REPORTED
                    return ["table %s exists, but the prepared transaction '%s' that creates it "
                            "was %s" % (t.name, p.gid, {
                                NOT_PREPARED: "never prepared",
                                ROLLED_BACK: "rolled back",
                                PREPARED: "not committed yet"}[p.state])]
                if p.state != PREPARED:
                    t.state = T_ABSENT
                return []
            else:  # REPORTED
                t.state = REPORTED
                return []
        if t.state == T_CREATE_SENT:  # all or nothing
            t.state = T_EXISTS if exists else T_ABSENT
            if exists and t.create_group is not None and t.create_group.state == IN_DOUBT:
                t.create_group.state = ACKED  # the table exists: so must its first rows
            if not exists:
                return []
        elif t.state == T_DROP_SENT:
            t.state = T_EXISTS if exists else T_DROPPED
            if not exists:
                return []
        elif t.state in (T_ABSENT, T_DROPPED):
            if exists:
                why = ("it was dropped (DROP TABLE acknowledged)" if t.state == T_DROPPED
                       else "its CREATE TABLE was rolled back or never committed")
                t.state = REPORTED
                return ["table %s exists, but %s" % (t.name, why)]
            return []
        if not exists:  # T_EXISTS
            t.state = REPORTED
            return ["table %s (CREATE TABLE acknowledged) does not exist (42P01)" % t.name]
        what = "table %s: " % t.name
        problems = []
        if t.truncated is not None:  # TRUNCATE in doubt: all its rows there, or none
            ids = [i for g in t.truncated for i in g.ids]
            present = [i for i in ids if i in probe.rows]
            if present and len(present) != len(ids):
                problems.append("%sa TRUNCATE whose acknowledgement was lost is partly "
                                "applied: %d of its %d rows are present, e.g. missing %s"
                                % (what, len(present), len(ids),
                                   sorted(set(ids) - set(present))[:10]))
                for g in t.truncated:
                    g.state = REPORTED
            else:
                for g in t.truncated:
                    g.state = ACKED if present else ABSENT
            t.truncated = None
        group_problems, known = check_groups(t.groups, probe.rows, what)
        problems.extend(group_problems)
        unknown = [i for i in probe.rows if i not in known]
        if unknown:
            problems.append("%s%d rows that nobody inserted are present, e.g. %s"
                            % (what, len(unknown), sorted(unknown)[:10]))
        if t.column == SENT:  # ADD COLUMN in doubt: it exists or not
            t.column = DONE if probe.column is not None else NONE
        if t.column == DONE:
            if probe.column is None:
                problems.append("%scolumn c (ADD COLUMN acknowledged) does not exist (42703)"
                                % what)
                t.column = REPORTED
            else:
                bad = sorted(i for i in probe.rows if probe.column.get(i) != COLUMN_DEFAULT)
                if bad:
                    problems.append("%scolumn c is not %d in %d rows, e.g. %s" % (
                        what, COLUMN_DEFAULT, len(bad),
                        [(i, probe.column.get(i)) for i in bad[:5]]))
                    t.column = REPORTED
        elif t.column == NONE and probe.column is not None:
            problems.append("%scolumn c exists, but its ADD COLUMN was rolled back or never "
                            "sent" % what)
            t.column = REPORTED
        if t.index == SENT:
            t.index = DONE if probe.index else NONE
        if t.index == DONE and not probe.index:
            problems.append("%sindex %s (CREATE INDEX acknowledged) does not exist"
                            % (what, t.index_name))
            t.index = REPORTED
        elif t.index == NONE and probe.index:
            problems.append("%sindex %s exists, but nobody created it" % (what, t.index_name))
            t.index = REPORTED
        problems.extend(what + e for e in probe.lookup_errors)
        if problems:
            t.state = REPORTED
        return problems

    def in_doubt(self):
        """(commits, prepared-transaction statements, DDL statements) whose acknowledgement
        was lost; before verify() these are the ones of the last workload."""
        groups = self.groups + [g for t in self.tables for g in t.groups]
        return (sum(1 for g in groups if g.state == IN_DOUBT),
                sum(1 for p in self.prepared
                    if p.state in (PREPARE_SENT, COMMIT_SENT, ROLLBACK_SENT)),
                sum(1 for t in self.tables for x in (t.state, t.column, t.index)
                    if x in (T_CREATE_SENT, T_DROP_SENT, SENT))
                + sum(1 for t in self.tables if t.truncated is not None))

    def count(self, state):
        return sum(len(g.ids) for g in self.groups if g.state == state)

    def count_tables(self, state):
        return sum(1 for t in self.tables if t.state == state)


def probe_table(cur, t):
    """TableProbe of TableRec t, or None if the table does not exist (42P01)."""
    try:
        cur.execute("SELECT id, payload FROM %s" % t.name)
    except psycopg2.Error as e:
        if e.pgcode == "42P01":
            return None
        raise
    rows = {int(i): p for i, p in cur.fetchall()}
    try:
        cur.execute("SELECT id, c FROM %s" % t.name)
        column = {int(i): c for i, c in cur.fetchall()}
    except psycopg2.Error as e:
        if e.pgcode != "42703":
            raise
        column = None
    return TableProbe(rows, column)


def probe_index(cur, t, probe):
    """Sets probe.index and probe.lookup_errors. Takes an ACCESS EXCLUSIVE lock: only once no
    prepared transaction holds locks on the table."""
    # The index exists if DROP INDEX finds it (rolled back; 42704 if there is none).
    cur.execute("BEGIN")
    try:
        cur.execute("DROP INDEX %s" % t.index_name)
        probe.index = True
    except psycopg2.Error as e:
        if e.pgcode != "42704":
            raise
        probe.index = False
    finally:
        cur.execute("ROLLBACK")
    if probe.index:  # a few lookups by payload must agree with a scan (taken now: the
        cur.execute("SELECT id, payload FROM %s" % t.name)  # checker may have committed
        rows = {int(i): p for i, p in cur.fetchall()}  # prepared rows since probe.rows)
        ids = sorted(rows)
        for p in [rows[i] for i in ids[:1] + ids[-1:]] + ["row-none"]:
            cur.execute("SELECT id FROM %s WHERE payload = %%s" % t.name, (p,))
            got = sorted(int(r[0]) for r in cur.fetchall())
            want = sorted(i for i in ids if rows[i] == p)
            if got != want:
                probe.lookup_errors.append("WHERE payload = '%s' returns ids %s, the scan %s"
                                           % (p, got, want))


def read_state(port, ledger, two_pc):
    """(rows of TABLE, {table name: TableProbe or None}, listed gids or None); without the
    indexes (probe_indexes)."""
    conn = connect(port, 10)
    try:
        cur = conn.cursor()
        cur.execute("SELECT id, payload FROM %s" % TABLE)
        rows = {int(i): p for i, p in cur.fetchall()}
        tables = {t.name: probe_table(cur, t) for t in ledger.tables_to_probe()}
        prepared = None
        if two_pc:
            cur.execute("SELECT gid FROM pg_prepared_xacts")
            prepared = {g for (g,) in cur.fetchall()}
        return rows, tables, prepared
    finally:
        conn.close()


def read_rows(port):
    return read_state(port, Ledger(), False)[0]


def probe_indexes(port, ledger, tables):
    conn = connect(port, 10)
    try:
        cur = conn.cursor()
        for t in ledger.tables_to_probe():
            if tables.get(t.name) is not None:
                probe_index(cur, t, tables[t.name])
    finally:
        conn.close()


def resolve_prepared(port, ledger, listed, rng):
    """COMMIT PREPARED or ROLLBACK PREPARED (random) of every prepared transaction of ours the
    server still has, so that the next check sees the outcome. Returns [(PrepRec, committed)]
    for Ledger.resolved after Ledger.verify."""
    done = []
    if not listed:
        return done
    to_finish = ledger.to_resolve(listed)
    conn = connect(port, 10)
    try:
        cur = conn.cursor()
        for p in to_finish:
            commit = rng.random() < 0.5
            cur.execute("%s PREPARED '%s'" % ("COMMIT" if commit else "ROLLBACK", p.gid))
            done.append((p, commit))
        # Listed but not expected (verify() reports them): rolled back, so that they hold
        # no locks in later checks.
        for gid in sorted(set(listed) - {p.gid for p in to_finish}):
            cur.execute("ROLLBACK PREPARED '%s'" % gid.replace("'", "''"))
    finally:
        conn.close()
    return done


def alter_add_column_works(port):
    """Whether the server has ALTER TABLE ... ADD COLUMN ... DEFAULT (0A000 if not)."""
    conn = connect(port)
    try:
        cur = conn.cursor()
        cur.execute("CREATE TABLE ct_probe (id bigint PRIMARY KEY)")
        try:
            cur.execute("ALTER TABLE ct_probe ADD COLUMN c int DEFAULT %d" % COLUMN_DEFAULT)
            return True
        except psycopg2.Error as e:
            if e.pgcode != "0A000":
                raise
            return False
        finally:
            cur.execute("DROP TABLE ct_probe")
    finally:
        conn.close()


class Stats:
    """What one workload did, for the report line."""

    def __init__(self, workers):
        self.commits = sum(w.commits for w in workers)
        prepared = [p for w in workers for p in w.prepared]
        self.prepares = sum(1 for p in prepared if p.state not in (NOT_PREPARED, PREPARE_SENT))
        self.commit_prepared = sum(1 for p in prepared if p.state == COMMITTED)
        self.rollback_prepared = sum(1 for p in prepared if p.state == ROLLED_BACK)
        self.left_open = sum(1 for p in prepared if p.state == PREPARED)
        self.ddl = sum(w.ddl_acks for w in workers)
        self.in_doubt = (0, 0, 0)  # Ledger.in_doubt() after the workload


def run_workload(server, args, iteration, rng, kill, ledger, alter):
    """Runs the clients; with kill=True SIGKILLs the server at a random moment, otherwise
    lets them run --graceful-seconds and stops them. Adds what they did to the ledger.
    Returns (errors, Stats)."""
    stop = threading.Event()
    first_ack = threading.Event()
    workers = [Worker(server.port, iteration, w, rng.random(), stop, first_ack,
                      two_pc=not args.no_2pc, ddl=not args.no_ddl, alter=alter,
                      tables=ledger.live_tables(w))
               for w in range(args.threads)]
    errors = []
    for w in workers:
        w.start()
    try:
        if not first_ack.wait(args.first_commit_timeout):
            raise RuntimeError("no commit was acknowledged within %.0fs"
                               % args.first_commit_timeout)
        if kill:
            time.sleep(rng.uniform(args.kill_min, args.kill_max))
            if server.proc is not None and server.proc.poll() is not None:
                errors.append("the server exited by itself (code %s) before the kill"
                              % server.proc.returncode)
            server.kill()
        else:
            time.sleep(args.graceful_seconds)
    finally:
        stop.set()
        if kill:
            server.kill()
        for w in workers:
            w.join(60)
        ledger.add([g for w in workers for g in w.groups],
                   [p for w in workers for p in w.prepared],
                   [t for w in workers for t in w.new_tables])
    errors.extend("client error %s" % e for w in workers for e in w.errors)
    stats = Stats(workers)
    stats.in_doubt = ledger.in_doubt()
    return errors, stats


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
    ap.add_argument("--no-2pc", action="store_true",
                    help="no prepared transactions (and no --max-prepared-transactions)")
    ap.add_argument("--no-ddl", action="store_true", help="no DDL on the clients' own tables")
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
    kinds = [k for k, off in [("prepared transactions", args.no_2pc), ("DDL", args.no_ddl)]
             if not off]
    print("crash_test: seed %d, %d iterations, %d clients%s" % (
        seed, args.iterations, args.threads, ", with " + " and ".join(kinds) if kinds else ""))

    server_args = list(args.server_arg)
    if not args.no_2pc and not any(a.startswith("--max-prepared-transactions")
                                   for a in server_args):
        server_args += ["--max-prepared-transactions", str(Worker.max_prepared(args.threads))]
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGHUP, _raise_interrupt)
    tmp = tempfile.mkdtemp(prefix="activestore-crash-")
    server = Server(binary, os.path.join(tmp, "data"), os.path.join(tmp, "server.log"),
                    server_args, args.start_timeout)
    ledger = Ledger()
    passed = failed = 0
    totals = {"commits": 0, "prepares": 0, "resolved": 0, "ddl": 0}
    try:
        server.start()
        conn = connect(server.port)
        try:
            conn.cursor().execute("CREATE TABLE %s (id bigint PRIMARY KEY, worker integer NOT "
                                  "NULL, payload text NOT NULL)" % TABLE)
        finally:
            conn.close()
        alter = False
        if not args.no_ddl:
            alter = alter_add_column_works(server.port)
            if not alter:
                print("note: ALTER TABLE ... ADD COLUMN gives 0A000 (not supported); the DDL "
                      "units leave it out")
        checks = [("iteration %d" % (i + 1), True) for i in range(args.iterations)]
        if not args.no_graceful:
            checks.append(("graceful stop", False))
        for n, (name, kill) in enumerate(checks, start=1):
            t0 = time.monotonic()
            problems = []
            stats = None
            resolved = []
            try:
                if server.proc is None:
                    server.start()
                errors, stats = run_workload(server, args, n, rng, kill, ledger, alter)
                problems.extend(errors[:5])
                if not kill:
                    code, needed_kill = server.terminate(args.grace)
                    if needed_kill:
                        problems.append("the server did not exit within %.0fs of SIGTERM"
                                        % args.grace)
                    elif code != 0:
                        print("  note: the server exited with code %s after SIGTERM" % code)
                server.start()
                # Read what the server has, finish the prepared transactions still there
                # (their locks would block the index probes), probe the indexes; then check
                # what was read against the ledger.
                rows, tables, prepared = read_state(server.port, ledger, not args.no_2pc)
                resolved = resolve_prepared(server.port, ledger, prepared, rng)
                probe_indexes(server.port, ledger, tables)
                problems.extend(ledger.verify(rows, tables, prepared))
                for p, commit in resolved:
                    ledger.resolved(p, commit)
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
                extra = ""
                if not args.no_2pc:
                    extra += (", %d PREPAREs (%d COMMIT PREPARED, %d ROLLBACK PREPARED, %d "
                              "left prepared; the check finished %d)"
                              % (stats.prepares, stats.commit_prepared, stats.rollback_prepared,
                                 stats.left_open, len(resolved)))
                if not args.no_ddl:
                    extra += ", %d DDL statements" % stats.ddl
                doubt = ["%d commits" % stats.in_doubt[0]]
                if not args.no_2pc:
                    doubt.append("%d 2PC" % stats.in_doubt[1])
                if not args.no_ddl:
                    doubt.append("%d DDL" % stats.in_doubt[2])
                print("%s: ok, %d commits acknowledged%s; in doubt at the %s: %s; in total %d "
                      "rows durable, %d absent%s (%.1fs)"
                      % (name, stats.commits, extra, "kill" if kill else "stop",
                         ", ".join(doubt), ledger.count(ACKED), ledger.count(ABSENT),
                         "" if args.no_ddl else ", %d own tables exist"
                         % ledger.count_tables(T_EXISTS), elapsed))
            if stats is not None:
                totals["commits"] += stats.commits
                totals["prepares"] += stats.prepares
                totals["resolved"] += len(resolved)
                totals["ddl"] += stats.ddl
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
    line = "totals: %d commits acknowledged" % totals["commits"]
    if not args.no_2pc:
        line += (", %d PREPAREs acknowledged, %d prepared transactions finished by the checker"
                 % (totals["prepares"], totals["resolved"]))
    if not args.no_ddl:
        line += ", %d DDL statements acknowledged" % totals["ddl"]
    print(line)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
