#!/usr/bin/python3
"""ActiveStore's sqllogictest runner: runs .test files over the PostgreSQL wire protocol.

Usage:
  sqllogictest.py --server build/dev/activestore sql-tests            # starts the server itself
  sqllogictest.py --host 127.0.0.1 --port 5432 sql-tests/select       # an existing server

Format (sqllogictest, as in SQLite's corpus, plus one extension):
  * records are separated by blank lines; lines starting with '#' are comments
    (`# name:` and `# description:` header lines are comments too);
  * `statement ok` / `statement error [SQLSTATE [message]]`, then the SQL (rest of the record).
    The SQLSTATE (5 characters) is our extension: when given, the error's SQLSTATE must match;
    text after it must occur in the error's primary message;
  * `query <types> [nosort|rowsort|valuesort] [label]`, the SQL, `----`, then the expected
    values. Types: one letter per column, I (integer), R (real, 3 decimals), T (text: '' is
    `(empty)`), B (boolean as PostgreSQL prints it: t/f); NULL is `NULL` in every type.
    Expected values are written one per line, or one row per line with the values separated
    by spaces or tabs, or as `N values hashing to MD5`;
  * `hash-threshold N` (results with more than N values are shown hashed; 0 = never),
    `skipif <engine>` / `onlyif <engine>` prefixes, `halt`.

Each file runs in a fresh database (CREATE DATABASE, DROP DATABASE afterwards) on an
autocommit connection, so BEGIN/COMMIT in a file are sent as written. Every statement has a
timeout: on expiry the runner sends a cancel request, and if the server does not answer it
drops the connection and reconnects. The last output line is `N passed, N failed` (records);
the exit code is 1 if anything failed, 2 on usage errors or when the server cannot be reached.

Needs only the standard library and psycopg2 (Debian: python3-psycopg2; run with
/usr/bin/python3).
"""

import argparse
import hashlib
import os
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
    import psycopg2.extensions as pgext
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("sqllogictest.py: psycopg2 is missing (apt-get install python3-psycopg2; "
                     "run with /usr/bin/python3)\n")
    sys.exit(2)

# Every value arrives as the text the server sent, never converted by psycopg2.
_RAW = pgext.new_type(tuple(sorted(pgext.string_types.keys())), "SLT_RAW",
                      lambda value, cur: value)
pgext.register_type(_RAW)

_HASH_RE = re.compile(r"^(\d+) values hashing to ([0-9a-f]{32})$")
_SQLSTATE_RE = re.compile(r"^[0-9A-Z]{5}$")


class UsageError(Exception):
    pass


class ServerGone(Exception):
    """The server no longer accepts connections: nothing more can be run."""


# ---------------------------------------------------------------------------------------------
# Parsing


class Record:
    """One record of a file: kind is 'statement', 'query', 'hash-threshold', 'halt'."""

    def __init__(self, lineno, kind):
        self.lineno = lineno
        self.kind = kind
        self.sql = ""
        self.expect_ok = True
        self.sqlstate = None
        self.message = None
        self.types = ""
        self.sort = "nosort"
        self.label = None
        self.expected = []
        self.skipif = []
        self.onlyif = []
        self.threshold = 0


def parse_file(path):
    """Returns the records of a file; raises UsageError for malformed records."""
    with open(path, "r", encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    blocks = []
    cur = []
    for i, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r")
        if line.strip() == "":
            if cur:
                blocks.append(cur)
                cur = []
            continue
        if line.startswith("#"):
            continue
        cur.append((i, line))
    if cur:
        blocks.append(cur)
    return [_parse_block(path, b) for b in blocks]


def _parse_block(path, block):
    skipif, onlyif = [], []
    while block:
        words = block[0][1].split()
        if words[0] in ("skipif", "onlyif") and len(words) >= 2:
            (skipif if words[0] == "skipif" else onlyif).append(words[1].lower())
            block = block[1:]
        else:
            break
    if not block:
        raise UsageError("%s: a record holds only skipif/onlyif lines" % path)
    lineno, head = block[0]
    words = head.split()
    body = block[1:]
    where = "%s:%d" % (path, lineno)
    if words[0] == "statement":
        rec = Record(lineno, "statement")
        if len(words) < 2 or words[1] not in ("ok", "error"):
            raise UsageError("%s: expected 'statement ok' or 'statement error'" % where)
        rec.expect_ok = words[1] == "ok"
        if not rec.expect_ok and len(words) >= 3:
            if not _SQLSTATE_RE.match(words[2]):
                raise UsageError("%s: '%s' is not a SQLSTATE" % (where, words[2]))
            rec.sqlstate = words[2]
            rest = head.split(None, 3)
            if len(rest) == 4:
                rec.message = rest[3].strip()
        rec.sql = "\n".join(text for _, text in body)
    elif words[0] == "query":
        rec = Record(lineno, "query")
        if len(words) < 2 or not re.match(r"^[IRTB]+$", words[1]):
            raise UsageError("%s: query types must be letters among I, R, T, B" % where)
        rec.types = words[1]
        if len(words) >= 3:
            if words[2] not in ("nosort", "rowsort", "valuesort"):
                raise UsageError("%s: unknown sort mode '%s'" % (where, words[2]))
            rec.sort = words[2]
        if len(words) >= 4:
            rec.label = words[3]
        sql_lines = []
        expected = None
        for _, text in body:
            if expected is None and text.strip() == "----":
                expected = []
            elif expected is None:
                sql_lines.append(text)
            else:
                expected.append(text)
        rec.sql = "\n".join(sql_lines)
        rec.expected = expected or []
    elif words[0] == "hash-threshold":
        rec = Record(lineno, "hash-threshold")
        try:
            rec.threshold = int(words[1])
        except (IndexError, ValueError):
            raise UsageError("%s: hash-threshold needs a number" % where)
    elif words[0] == "halt":
        rec = Record(lineno, "halt")
    else:
        raise UsageError("%s: unknown record '%s'" % (where, words[0]))
    if rec.kind in ("statement", "query") and not rec.sql.strip():
        raise UsageError("%s: the record has no SQL" % where)
    rec.skipif = skipif
    rec.onlyif = onlyif
    return rec


# ---------------------------------------------------------------------------------------------
# Rendering and comparison

_INT_RE = re.compile(r"^\s*[+-]?\d+\s*$")
_NUM_PREFIX_RE = re.compile(r"^\s*([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)")


def _as_float(v):
    if v in ("t", "true"):
        return 1.0
    if v in ("f", "false"):
        return 0.0
    try:
        return float(v)
    except ValueError:
        m = _NUM_PREFIX_RE.match(v)
        return float(m.group(1)) if m else 0.0


def render(value, typ):
    """Renders one value as sqllogictest prints it for the column type letter."""
    if value is None:
        return "NULL"
    if not isinstance(value, str):
        value = str(value)
    if typ == "I":
        if _INT_RE.match(value):
            return str(int(value))
        f = _as_float(value)
        if f != f or f in (float("inf"), float("-inf")):
            return "0"
        return str(int(f))  # truncates toward zero like the C runner's cast
    if typ == "R":
        return "%.3f" % _as_float(value)
    if value == "":
        return "(empty)"
    # Control characters would break the line format: show them as '@' like SQLite's runner.
    return "".join("@" if ord(c) < 32 or ord(c) == 127 else c for c in value)


def md5_of(values):
    h = hashlib.md5()
    for v in values:
        h.update(v.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def arrange(rows, types, sort):
    """Rendered rows (lists of strings) in the order the record asks for."""
    rendered = [[render(v, types[i] if i < len(types) else "T") for i, v in enumerate(row)]
                for row in rows]
    if sort == "rowsort":
        rendered.sort()
    elif sort == "valuesort":
        flat = sorted(v for row in rendered for v in row)
        width = max(1, len(types))
        rendered = [flat[i:i + width] for i in range(0, len(flat), width)]
    return rendered


def matches(expected, rendered):
    """True if the expected lines describe the rendered rows in any accepted layout."""
    flat = [v for row in rendered for v in row]
    if len(expected) == 1:
        m = _HASH_RE.match(expected[0].strip())
        if m:
            return int(m.group(1)) == len(flat) and m.group(2) == md5_of(flat)
    if [e.strip() for e in expected] == flat:
        return True
    if len(expected) == len(rendered):
        return all(e.split() == " ".join(row).split() for e, row in zip(expected, rendered))
    return False


def show(rendered, threshold):
    flat = [v for row in rendered for v in row]
    if threshold > 0 and len(flat) > threshold:
        return ["%d values hashing to %s" % (len(flat), md5_of(flat))]
    return [" ".join(row) for row in rendered]


# ---------------------------------------------------------------------------------------------
# Connections


class Target:
    """Where to connect: host, port, user, admin database."""

    def __init__(self, host, port, user, dbname, connect_timeout=10):
        self.host = host
        self.port = port
        self.user = user
        self.dbname = dbname
        self.connect_timeout = connect_timeout

    def connect(self, dbname=None):
        conn = psycopg2.connect(host=self.host, port=self.port, user=self.user,
                                dbname=dbname or self.dbname,
                                connect_timeout=self.connect_timeout,
                                sslmode=os.environ.get("PGSSLMODE", "disable"),
                                application_name="sqllogictest")
        conn.autocommit = True
        return conn


class Outcome:
    """Result of one statement: rows (or None), column count, or an error."""

    def __init__(self):
        self.rows = None
        self.ncols = 0
        self.sqlstate = None
        self.message = None
        self.timed_out = False
        self.lost = False


def execute(conn, sql, timeout, grace=5.0):
    """Runs sql on conn with a watchdog. On timeout the watchdog sends a cancel request, and
    after `grace` more seconds shuts the socket down so that the client call returns."""
    out = Outcome()
    done = threading.Event()
    fired = {"cancel": False, "kill": False}

    def watchdog():
        if done.wait(timeout):
            return
        fired["cancel"] = True
        try:
            conn.cancel()
        except Exception:  # noqa: BLE001 - best effort
            pass
        if done.wait(grace):
            return
        fired["kill"] = True
        try:
            s = socket.socket(fileno=os.dup(conn.fileno()))
            try:
                s.shutdown(socket.SHUT_RDWR)
            finally:
                s.close()
        except Exception:  # noqa: BLE001 - best effort
            pass

    w = threading.Thread(target=watchdog, daemon=True)
    w.start()
    cur = None
    try:
        cur = conn.cursor()
        cur.execute(sql)
        if cur.description is not None:
            out.ncols = len(cur.description)
            out.rows = cur.fetchall()
    except psycopg2.Error as e:
        out.sqlstate = e.pgcode
        out.message = (e.diag.message_primary if e.diag and e.diag.message_primary
                       else " ".join(str(e).split()))
        if isinstance(e, (psycopg2.OperationalError, psycopg2.InterfaceError)) and \
                (conn.closed or e.pgcode is None):
            out.lost = True
    finally:
        done.set()
        w.join()
        if cur is not None:
            try:
                cur.close()
            except psycopg2.Error:
                pass
        del conn.notices[:]
    if fired["cancel"]:
        out.timed_out = True
        if fired["kill"]:
            out.lost = True
    return out


# ---------------------------------------------------------------------------------------------
# The server started by the runner


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server process that this runner started, in its own process group."""

    def __init__(self, binary, extra_args, start_timeout, grace, keep=False):
        self.binary = os.path.abspath(binary)
        self.extra_args = list(extra_args)
        self.start_timeout = start_timeout
        self.grace = grace
        self.keep = keep
        self.dir = tempfile.mkdtemp(prefix="activestore-slt-")
        self.data_dir = os.path.join(self.dir, "data")
        self.log_path = os.path.join(self.dir, "server.log")
        self.proc = None
        self.port = None

    def start(self):
        if not os.access(self.binary, os.X_OK):
            raise UsageError("server binary %s is not executable" % self.binary)
        self.port = free_port()
        cmd = [self.binary, "--data-dir", self.data_dir, "--port", str(self.port),
               "--listen", "127.0.0.1"] + self.extra_args
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()
        target = Target("127.0.0.1", self.port, "postgres", "postgres", connect_timeout=2)
        deadline = time.monotonic() + self.start_timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerGone("the server exited with code %d during start-up"
                                 % self.proc.returncode)
            try:
                target.connect().close()
                return target
            except psycopg2.Error as e:
                last = e
                time.sleep(0.1)
        raise ServerGone("the server did not accept connections within %ds: %s"
                         % (self.start_timeout, " ".join(str(last).split())))

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        """SIGTERM to the process group, SIGKILL after the grace period. Returns a problem
        (a string: the server crashed, failed at exit, e.g. a sanitizer report, or ignored
        SIGTERM) or None."""
        if self.proc is None:
            return None
        problem = None
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(self.grace)
            except subprocess.TimeoutExpired:
                problem = "the server did not stop within %.0fs of SIGTERM" % self.grace
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # also whatever it left in its group
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        code = self.proc.returncode
        if problem is None and code != 0 and code != -signal.SIGTERM:
            problem = ("the server exited with code %d" % code if code > 0
                       else "the server died of signal %d" % -code)
        return problem

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, "r", encoding="utf-8", errors="replace") as f:
                return f.read().splitlines()[-lines:]
        except OSError:
            return []

    def cleanup(self):
        if self.keep:
            sys.stdout.write("kept %s\n" % self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Running files


class FileRun:
    def __init__(self, path):
        self.path = path
        self.server_gone = None
        self.passed = 0
        self.failed = 0
        self.messages = []

    def fail(self, rec, lines):
        self.failed += 1
        self.messages.append("%s:%d: %s" % (self.path, rec.lineno if rec else 0, lines[0]))
        self.messages.extend("    " + line for line in lines[1:])


class Runner:
    def __init__(self, target, args, server=None):
        self.target = target
        self.args = args
        self.server = server
        self.engines = set(e.lower() for e in args.engine)
        self.seq = 0

    def _check_server(self):
        if self.server is not None and not self.server.alive():
            raise ServerGone("the server exited with code %s" % self.server.proc.returncode)

    def _admin(self, sql):
        """Runs a statement on the admin database, retrying while the old one is in use."""
        for attempt in range(50):
            conn = self.target.connect()
            try:
                out = execute(conn, sql, self.args.timeout)
            finally:
                conn.close()
            if out.sqlstate == "55006" and attempt < 49:  # object_in_use: old sessions closing
                time.sleep(0.1)
                continue
            return out
        return out

    def countable(self, records):
        """The number of records that would run (statements and queries not skipped)."""
        n = 0
        for rec in records:
            if rec.kind == "halt" and not self._skipped(rec):
                break
            if rec.kind in ("statement", "query") and not self._skipped(rec):
                n += 1
        return n

    def run_file(self, path):
        """Runs one file. If the server dies, the records not run count as failed and
        fr.server_gone says why."""
        fr = FileRun(path)
        try:
            records = parse_file(path)
        except (UsageError, OSError) as e:
            fr.failed += 1
            fr.messages.append("%s: %s" % (path, e))
            return fr
        try:
            self._run_file(fr, path, records)
        except ServerGone as e:
            fr.server_gone = str(e)
            not_run = max(0, self.countable(records) - fr.passed - fr.failed)
            fr.failed += not_run
            fr.messages.append("%s: %s; %d records not run" % (path, e, not_run))
        return fr

    def _run_file(self, fr, path, records):
        isolation = self.args.isolation
        self.seq += 1
        dbname = self.target.dbname
        schema = None
        if isolation == "database":
            dbname = "slt_%d_%d" % (os.getpid(), self.seq)
            out = self._admin("DROP DATABASE IF EXISTS %s" % dbname)
            out = self._admin("CREATE DATABASE %s" % dbname)
            if out.sqlstate or out.timed_out:
                self._check_server()
                fr.fail(None, ["cannot create the file's database: %s %s"
                               % (out.sqlstate, out.message)])
                return
        try:
            conn = self.target.connect(dbname)
        except psycopg2.Error as e:
            self._check_server()
            fr.fail(None, ["cannot connect: %s" % " ".join(str(e).split())])
            return
        try:
            if isolation == "schema":
                schema = "slt_%d_%d" % (os.getpid(), self.seq)
                execute(conn, "DROP SCHEMA IF EXISTS %s CASCADE" % schema, self.args.timeout)
                out = execute(conn, "CREATE SCHEMA %s; SET search_path = %s, public"
                              % (schema, schema), self.args.timeout)
                if out.sqlstate:
                    fr.fail(None, ["cannot create the file's schema: %s %s"
                                   % (out.sqlstate, out.message)])
                    return
            conn = self._run_records(fr, records, conn, dbname)
            if schema and conn is not None:
                execute(conn, "DROP SCHEMA IF EXISTS %s CASCADE" % schema, self.args.timeout)
        finally:
            if conn is not None:
                conn.close()
            if isolation == "database" and (self.server is None or self.server.alive()):
                try:
                    out = self._admin("DROP DATABASE IF EXISTS %s" % dbname)
                    if out.sqlstate:
                        fr.messages.append("%s: note: cannot drop database %s: %s %s"
                                           % (path, dbname, out.sqlstate, out.message))
                except psycopg2.Error:
                    pass

    def _skipped(self, rec):
        if any(e in self.engines for e in rec.skipif):
            return True
        if rec.onlyif and not any(e in self.engines for e in rec.onlyif):
            return True
        return False

    def _run_records(self, fr, records, conn, dbname):
        threshold = self.args.hash_threshold
        labels = {}
        for idx, rec in enumerate(records):
            if rec.kind == "halt":
                if not self._skipped(rec):
                    break
                continue
            if rec.kind == "hash-threshold":
                threshold = rec.threshold
                continue
            if self._skipped(rec):
                continue
            if conn is None:
                try:
                    conn = self.target.connect(dbname)
                except psycopg2.Error as e:
                    self._check_server()
                    not_run = self.countable(records[idx:])
                    fr.fail(rec, ["cannot reconnect: %s; %d records not run"
                                  % (" ".join(str(e).split()), not_run)])
                    fr.failed += not_run - 1
                    return None
            if self.args.verbose:
                sys.stdout.write("%s:%d\n" % (fr.path, rec.lineno))
                sys.stdout.flush()
            out = execute(conn, rec.sql, self.args.timeout)
            if out.lost:
                try:
                    conn.close()
                except psycopg2.Error:
                    pass
                conn = None
            self._judge(fr, rec, out, threshold, labels)
            if conn is None:
                self._check_server()
        return conn

    def _judge(self, fr, rec, out, threshold, labels):
        sql_lines = ["SQL: " + line for line in rec.sql.split("\n")]
        if out.timed_out:
            fr.fail(rec, ["timed out after %.0fs%s" % (self.args.timeout,
                                                       " (connection dropped)" if out.lost
                                                       else " (cancelled)")] + sql_lines)
            return
        error = None if out.sqlstate is None and out.message is None else \
            "%s: %s" % (out.sqlstate or "no SQLSTATE", out.message)
        if out.lost and error is None:
            error = "connection lost"
        if rec.kind == "statement":
            if rec.expect_ok:
                if error:
                    fr.fail(rec, ["expected success, got error %s" % error] + sql_lines)
                    return
            else:
                if not error:
                    fr.fail(rec, ["expected error %s, but the statement succeeded"
                                  % (rec.sqlstate or "")] + sql_lines)
                    return
                if rec.sqlstate and out.sqlstate != rec.sqlstate:
                    fr.fail(rec, ["expected error %s, got %s" % (rec.sqlstate, error)]
                            + sql_lines)
                    return
                if rec.message and (out.message or "").find(rec.message) < 0:
                    fr.fail(rec, ["expected error message containing '%s', got %s"
                                  % (rec.message, error)] + sql_lines)
                    return
            fr.passed += 1
            return
        # query
        if error:
            fr.fail(rec, ["query failed: %s" % error] + sql_lines)
            return
        if out.rows is None:
            fr.fail(rec, ["the statement returned no result set"] + sql_lines)
            return
        if out.ncols != len(rec.types):
            fr.fail(rec, ["expected %d columns (%s), got %d" % (len(rec.types), rec.types,
                                                                out.ncols)] + sql_lines)
            return
        rendered = arrange(out.rows, rec.types, rec.sort)
        if not matches(rec.expected, rendered):
            hashed = len(rec.expected) == 1 and _HASH_RE.match(rec.expected[0].strip())
            fr.fail(rec, ["wrong result"] + sql_lines + ["expected:"] +
                    ["    " + e for e in rec.expected] + ["actual:"] +
                    ["    " + a for a in show(rendered, 1 if hashed else threshold)])
            return
        if rec.label:
            flat = [v for row in rendered for v in row]
            digest = md5_of(flat)
            if labels.setdefault(rec.label, digest) != digest:
                fr.fail(rec, ["result differs from the earlier query labelled '%s'"
                              % rec.label] + sql_lines)
                return
        fr.passed += 1


def collect(paths):
    files = []
    for p in paths:
        if p.startswith("@"):
            with open(p[1:], encoding="utf-8") as f:
                base = os.path.dirname(p[1:])
                files.extend(os.path.join(base, line.strip()) for line in f
                             if line.strip() and not line.startswith("#"))
        elif os.path.isdir(p):
            found = []
            for root, _, names in os.walk(p):
                found.extend(os.path.join(root, n) for n in names if n.endswith(".test"))
            files.extend(sorted(found))
        elif os.path.isfile(p):
            files.append(p)
        else:
            raise UsageError("no such file or directory: %s" % p)
    return list(dict.fromkeys(files))


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt()


def main(argv=None):
    ap = argparse.ArgumentParser(description="Runs sqllogictest files over the PostgreSQL "
                                 "wire protocol.")
    ap.add_argument("paths", nargs="+", help=".test files, folders (searched for *.test), or "
                    "@LIST (a file listing .test paths)")
    ap.add_argument("--server", metavar="BINARY", help="start this activestore binary on a free "
                    "port with a fresh temporary --data-dir, and stop it at the end")
    ap.add_argument("--server-arg", action="append", default=[], metavar="ARG",
                    help="extra argument for the started server (repeatable)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=5432)
    ap.add_argument("--user", default="postgres")
    ap.add_argument("--dbname", default="postgres", help="admin database to connect to")
    ap.add_argument("--isolation", choices=("database", "schema", "none"), default="database",
                    help="fresh database per file (default), fresh schema, or none")
    ap.add_argument("--engine", action="append", default=None,
                    help="engine name(s) for skipif/onlyif (default: postgresql with --host; "
                    "activestore and postgresql with --server)")
    ap.add_argument("--timeout", type=float, default=30.0, help="per statement, in seconds")
    ap.add_argument("--hash-threshold", type=int, default=0,
                    help="initial hash threshold for showing results (0 = never)")
    ap.add_argument("--start-timeout", type=float, default=60.0)
    ap.add_argument("--grace", type=float, default=10.0,
                    help="seconds between SIGTERM and SIGKILL when stopping the server")
    ap.add_argument("--keep", action="store_true", help="keep the server's data dir and log")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only failing files")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each record's line")
    args = ap.parse_args(argv)
    if args.engine is None:
        args.engine = ["activestore", "postgresql"] if args.server else ["postgresql"]

    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGHUP, _raise_interrupt)
    server = None
    passed = failed = 0
    show_log = False
    try:
        files = collect(args.paths)
        if not files:
            raise UsageError("no .test files found")
        if args.server:
            server = Server(args.server, args.server_arg, args.start_timeout, args.grace,
                            args.keep)
            target = server.start()
        else:
            target = Target(args.host, args.port, args.user, args.dbname)
            target.connect().close()
        runner = Runner(target, args, server)
        for i, path in enumerate(files):
            fr = runner.run_file(path)
            passed += fr.passed
            failed += fr.failed
            if fr.failed or not args.quiet:
                sys.stdout.write("%s: %d passed, %d failed\n" % (path, fr.passed, fr.failed))
            for m in fr.messages:
                sys.stdout.write(m + "\n")
            sys.stdout.flush()
            if fr.server_gone:
                not_run = 0
                for p in files[i + 1:]:
                    try:
                        not_run += runner.countable(parse_file(p))
                    except (UsageError, OSError):
                        not_run += 1
                failed += not_run
                sys.stdout.write("%d records of %d more files not run\n"
                                 % (not_run, len(files) - i - 1))
                show_log = True
                break
        if failed:
            show_log = True
    except UsageError as e:
        sys.stderr.write("sqllogictest.py: %s\n" % e)
        return 2
    except ServerGone as e:
        sys.stdout.write("server: %s\n" % e)
        show_log = True
        failed += 1
    except psycopg2.Error as e:
        sys.stdout.write("cannot connect to the server: %s\n" % str(e).strip())
        failed += 1
    except KeyboardInterrupt:
        sys.stdout.write("interrupted\n")
        failed += 1
    finally:
        if server is not None:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            problem = server.stop()
            if problem:
                sys.stdout.write("%s\n" % problem)
                failed += 1
                show_log = True
            if show_log:
                tail = server.log_tail()
                sys.stdout.write("--- server log (last %d lines) ---\n" % len(tail))
                for line in tail:
                    sys.stdout.write(line + "\n")
            server.cleanup()
    sys.stdout.write("%d passed, %d failed\n" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
