#!/usr/bin/python3
"""Row expiry under load: no read returns an expired row (docs/design/2026-12-06-row-expiry.md).

  tools/row_expiry_checker.py --server build/dev/activestore [--duration 20] [--ttl 1]

Starts the server on a free port with a fresh temporary --data-dir, then for --duration seconds
runs writers that upsert random keys of two tables, and readers that scan them and read keys by
primary key, and checks every row a read returns against the expiry rule:
  * ttl_t WITH (ttl = '<ttl> seconds'): the row's version (a unique value per write) was
    acknowledged at time a, so the server stamped it no later than a; a read sent at time r
    must not return it when a + ttl <= r;
  * col_t WITH (ttl_column = 'expires_at'): writers set expires_at to now() plus 0..2*ttl; a
    read sent at time r must not return a row with expires_at <= r.
Client and server share this machine's clock. It also samples the visible row counts and
the size of both tables' storage files every second and checks that they stay bounded (the
reaper keeps up). The last line is `N passed, N failed`; exit code 1 if any failed.
"""

import os
import random
import sys
import threading
import time

try:
    import psycopg2
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("row_expiry_checker.py: psycopg2 is missing (run with /usr/bin/python3)\n")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run  # noqa: E402  (same folder)
import crash_test  # noqa: E402
from crash_test import connect  # noqa: E402


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.acked = {}  # ttl_t: version -> ack time (s)
        self.version = 0
        self.stop = False
        self.violations = []
        self.reads = 0
        self.rows_checked = 0
        self.writes = 0
        self.errors = []

    def next_version(self):
        with self.lock:
            self.version += 1
            return self.version


def writer(port, st, keys, ttl, seed):
    rnd = random.Random(seed)
    conn = connect(port)
    cur = conn.cursor()
    try:
        while not st.stop:
            k = rnd.randrange(keys)
            v = st.next_version()
            cur.execute("INSERT INTO ttl_t VALUES (%s, %s) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
                        (k, v))
            ack = time.time()
            with st.lock:
                st.acked[v] = ack
            life = rnd.uniform(0, 2 * ttl)
            cur.execute("INSERT INTO col_t VALUES (%s, %s, now() + %s * interval '1 second') "
                        "ON CONFLICT (k) DO UPDATE SET v = excluded.v, expires_at = excluded.expires_at",
                        (k, v, life))
            with st.lock:
                st.writes += 2
    except Exception as e:  # noqa: BLE001 - reported as a failure
        st.errors.append("writer: %r" % e)
    finally:
        conn.close()


def reader(port, st, keys, ttl, seed):
    rnd = random.Random(seed)
    conn = connect(port)
    cur = conn.cursor()
    try:
        while not st.stop:
            kind = rnd.randrange(4)
            sent = time.time()
            if kind == 0:
                cur.execute("SELECT k, v FROM ttl_t")
            elif kind == 1:
                cur.execute("SELECT k, v FROM ttl_t WHERE k = %s", (rnd.randrange(keys),))
            elif kind == 2:
                cur.execute("SELECT k, extract(epoch FROM expires_at)::float8 FROM col_t")
            else:
                cur.execute("SELECT k, extract(epoch FROM expires_at)::float8 FROM col_t "
                            "WHERE k = %s", (rnd.randrange(keys),))
            rows = cur.fetchall()
            bad = []
            with st.lock:
                for k, x in rows:
                    if kind < 2:
                        ack = st.acked.get(x)
                        # Unknown: the write is still in flight, so the row is fresh.
                        if ack is not None and ack + ttl <= sent:
                            bad.append(("ttl_t", k, x, "acked %.6f + ttl <= read %.6f" % (ack, sent)))
                    elif x <= sent:
                        bad.append(("col_t", k, x, "expires_at %.6f <= read %.6f" % (x, sent)))
                st.violations.extend(bad)
                st.reads += 1
                st.rows_checked += len(rows)
    except Exception as e:  # noqa: BLE001 - reported as a failure
        st.errors.append("reader: %r" % e)
    finally:
        conn.close()


def body(server, check, args):
    conn = connect(server.port)
    cur = conn.cursor()
    cur.execute("CREATE TABLE ttl_t (k int PRIMARY KEY, v bigint) WITH (ttl = '%d seconds')" % args.ttl)
    cur.execute("CREATE TABLE col_t (k int PRIMARY KEY, v bigint, expires_at timestamptz) "
                "WITH (ttl_column = 'expires_at')")
    st = State()
    threads = [threading.Thread(target=writer, args=(server.port, st, args.keys, args.ttl, i))
               for i in range(args.writers)]
    rule_ttl = args.ttl if args.rule_ttl is None else args.rule_ttl
    threads += [threading.Thread(target=reader, args=(server.port, st, args.keys, rule_ttl, 100 + i))
                for i in range(args.readers)]
    for t in threads:
        t.start()
    cur.execute("SELECT 'ttl_t'::regclass::oid, 'col_t'::regclass::oid")
    oids = cur.fetchone()
    wt_dir = os.path.join(server.data_dir, "wt")

    def table_bytes(oid):
        # The table's storage files (t<oid>_s<n>.wt), as WiredTiger keeps them.
        total = 0
        for name in os.listdir(wt_dir):
            if name.startswith("t%d_" % oid) and name.endswith(".wt"):
                try:
                    total += os.path.getsize(os.path.join(wt_dir, name))
                except OSError:
                    pass
        return total

    samples = []
    start = time.time()
    while time.time() - start < args.duration:
        time.sleep(1)
        cur.execute("SELECT (SELECT count(*) FROM ttl_t), (SELECT count(*) FROM col_t)")
        a, b = cur.fetchone()
        samples.append((a, b, table_bytes(oids[0]), table_bytes(oids[1])))
    st.stop = True
    for t in threads:
        t.join()
    elapsed = time.time() - start
    check("no client errors", not st.errors, "; ".join(st.errors[:3]))
    check("no read returned an expired row", not st.violations, repr(st.violations[:5]))
    check("reads ran", st.reads > 0 and st.rows_checked > 0, "%d reads" % st.reads)
    # Bounded: at most `keys` rows are visible, and the storage of the second half of the run
    # is not growing past twice the first half's largest size (the reaper keeps up).
    half = len(samples) // 2
    if half > 0:
        first = max(max(s[2], s[3]) for s in samples[:half])
        second = max(max(s[2], s[3]) for s in samples[half:])
        check("storage stays bounded", second <= 2 * max(first, 1) + (1 << 20),
              "first half %d, second half %d bytes" % (first, second))
    check("visible rows bounded", all(s[0] <= args.keys and s[1] <= args.keys for s in samples))
    if args.http_port:
        import urllib.request
        text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % args.http_port,
                                      timeout=10).read().decode()
        expired = [int(float(line.split()[1])) for line in text.splitlines()
                   if line.startswith("activestore_rows_expired_total ")]
        check("the reaper deleted rows", expired and expired[0] > 0, repr(expired))
        print("activestore_rows_expired_total %s" % (expired[0] if expired else "missing"))
    print("writes %d (%.0f/s), reads %d (%.0f/s), rows checked %d, in %.1f s" %
          (st.writes, st.writes / elapsed, st.reads, st.reads / elapsed, st.rows_checked, elapsed))
    for i, s in enumerate(samples):
        if i % max(1, len(samples) // 10) == 0 or i == len(samples) - 1:
            print("t=%3ds visible ttl_t %d col_t %d, size ttl_t %d col_t %d" % ((i + 1,) + tuple(s)))
    conn.close()


def add_arguments(ap):
    ap.add_argument("--duration", type=float, default=20)
    ap.add_argument("--ttl", type=int, default=1)
    ap.add_argument("--keys", type=int, default=2000)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--readers", type=int, default=2)
    ap.add_argument("--port", type=int, default=0, help="port to listen on (0: a free one)")
    ap.add_argument("--server-arg", action="append", default=[],
                    help="an extra server flag (the harness already gives --sync-mode fsync)")
    ap.add_argument("--http-port", type=int, default=0,
                    help="also start the server's HTTP port there and report the reaper's "
                         "activestore_rows_expired_total from /metrics (which must have moved)")
    ap.add_argument("--rule-ttl", type=float, default=None,
                    help="the ttl the checker holds reads to (default --ttl); a smaller one must "
                         "make the check fail, which shows that it can")


def server_args(args):
    if args.port:  # a fixed port instead of a free one
        crash_test.free_port = lambda: args.port
    return args.server_arg + (["--http-port", str(args.http_port)] if args.http_port else [])


if __name__ == "__main__":
    sys.exit(run(__doc__.split("\n")[0], body, extra_args=server_args, add_arguments=add_arguments))
