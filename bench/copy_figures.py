#!/usr/bin/python3
"""COPY FROM STDIN (CSV) of compare.py's ingest rows into PostgreSQL 15 and ActiveStore, side by side.

The rows are compare.py's TsData (100 devices, one row per device per second from 2024-01-01 UTC)
into its ingest table `(id bigint PRIMARY KEY, ts timestamptz NOT NULL, device_id int NOT NULL,
metric text NOT NULL, value double precision)`, sent with psycopg2's copy_expert in 64 KiB pieces,
as compare.py does. Each round makes the table again on both (CHECKPOINT before and after) and
alternates the order; prints rows/s of each, and the ratio ActiveStore / PostgreSQL per round and
of the medians.

  /usr/bin/python3 bench/copy_figures.py --server build/release/activestore --port 56210
  (--rows, --rounds, --pg-port, --pg-dbname, --target HOST:PORT for a running server, --insert)
"""
import argparse
import math
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import psycopg2

from server_figures import connect

T0_EPOCH = 1704067200
DEVICES = 100
METRICS = ["cpu", "mem", "disk", "net"]
DDL = ("CREATE TABLE {} (id bigint PRIMARY KEY, ts timestamptz NOT NULL, device_id int NOT NULL, "
       "metric text NOT NULL, value double precision)")


def make_csv(path, n):
    """compare.py's TsData file, byte for byte."""
    rnd = random.Random(42)
    last_sec, ts, metric = -1, None, None
    with open(path, "w") as f:
        buf = []
        for i in range(n):
            sec, dev = divmod(i, DEVICES)
            if sec != last_sec:
                last_sec = sec
                ts = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(T0_EPOCH + sec)) + "+00"
                metric = METRICS[sec % len(METRICS)]
            v = round(50.0 + 40.0 * math.sin(sec / 300.0 + dev) + rnd.uniform(-5, 5), 4)
            buf.append("%d,%s,%d,%s,%r\n" % (i + 1, ts, dev, metric, v))
            if len(buf) >= 100000:
                f.write("".join(buf))
                buf = []
        f.write("".join(buf))


def checkpoint(cur):
    try:
        cur.execute("CHECKPOINT")
    except psycopg2.Error:
        pass


def run_copy(conn, path, n, table, inserts=None):
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS " + table)
    cur.execute(DDL.format(table))
    checkpoint(cur)
    t0 = time.perf_counter()
    if inserts is None:
        with open(path, "rb") as f:
            cur.copy_expert("COPY %s FROM STDIN WITH (FORMAT csv)" % table, f, size=65536)
    else:
        for s in inserts:
            cur.execute(s)
    el = time.perf_counter() - t0
    cur.execute("SELECT count(*), sum(id) FROM " + table)
    cnt, s = cur.fetchone()
    if cnt != n or s != n * (n + 1) // 2:
        raise SystemExit("wrong result: count %s sum %s" % (cnt, s))
    checkpoint(cur)
    return n / el


def build_inserts(path, table, batch=1000):
    stmts, rows = [], []
    with open(path) as f:
        for line in f:
            i, ts, dev, metric, value = line.rstrip("\n").split(",")
            rows.append("(%s,'%s',%s,'%s',%s)" % (i, ts, dev, metric, value))
            if len(rows) >= batch:
                stmts.append("INSERT INTO %s VALUES %s" % (table, ",".join(rows)))
                rows = []
    if rows:
        stmts.append("INSERT INTO %s VALUES %s" % (table, ",".join(rows)))
    return stmts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server", help="ActiveStore binary, started on a fresh data directory")
    ap.add_argument("--port", type=int, default=56210, help="port for the started ActiveStore")
    ap.add_argument("--target", help="HOST:PORT of a running ActiveStore instead of --server")
    ap.add_argument("--server-arg", action="append", default=[], help="extra argument for --server")
    ap.add_argument("--pg-port", type=int, default=5432)
    ap.add_argument("--pg-dbname", default="copyspeed_scratch", help="scratch database on PostgreSQL (made if absent)")
    ap.add_argument("--rows", type=int, default=1000000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--insert", action="store_true", help="also time multi-row INSERTs of 1,000 rows (autocommit)")
    ap.add_argument("--skip-pg", action="store_true")
    ap.add_argument("--hold", action="store_true", help="wait for Enter before each ActiveStore COPY (to attach perf)")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="copy_bench_")
    proc = None
    try:
        path = os.path.join(work, "ts.csv")
        make_csv(path, a.rows)
        print("load %s; %d rows, %.1f MB CSV" % (os.getloadavg(), a.rows, os.path.getsize(path) / 1e6), flush=True)
        if a.target:
            host, port = a.target.rsplit(":", 1)
            as_port = int(port)
        else:
            datadir = os.path.join(work, "data")
            os.mkdir(datadir)
            log = open(os.path.join(work, "server.log"), "w")
            proc = subprocess.Popen([os.path.abspath(a.server), "--data-dir", datadir, "--port", str(a.port)]
                                    + a.server_arg, stdout=log, stderr=subprocess.STDOUT)
            as_port = a.port
            print("ActiveStore pid %d" % proc.pid, flush=True)
        asc = connect(as_port, "postgres")
        pgc = None
        if not a.skip_pg:
            admin = connect(a.pg_port, "postgres")
            cur = admin.cursor()
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (a.pg_dbname,))
            if cur.fetchone() is None:
                cur.execute("CREATE DATABASE " + a.pg_dbname)
            admin.close()
            pgc = connect(a.pg_port, a.pg_dbname)
        works = [("COPY", None)]
        if a.insert:
            works.append(("INSERT", build_inserts(path, "copy_bench")))
        for name, inserts in works:
            res = {"pg": [], "as": []}
            for r in range(a.rounds):
                order = ["pg", "as"] if r % 2 == 0 else ["as", "pg"]
                for who in order:
                    if who == "pg" and pgc is None:
                        continue
                    if who == "as" and a.hold:
                        input("ActiveStore %s round %d: Enter to start" % (name, r + 1))
                    res[who].append(run_copy(pgc if who == "pg" else asc, path, a.rows, "copy_bench", inserts))
                line = "%s round %d: ActiveStore %.0f rows/s" % (name, r + 1, res["as"][-1])
                if pgc is not None:
                    line += ", PostgreSQL %.0f rows/s, ratio %.2f" % (res["pg"][-1], res["as"][-1] / res["pg"][-1])
                print(line + "  (load %.2f)" % os.getloadavg()[0], flush=True)
            m_as = statistics.median(res["as"])
            line = "%s median: ActiveStore %.0f rows/s" % (name, m_as)
            if pgc is not None:
                m_pg = statistics.median(res["pg"])
                line += ", PostgreSQL %.0f rows/s, ratio %.2f" % (m_pg, m_as / m_pg)
            print(line, flush=True)
        if pgc is not None:
            pgc.cursor().execute("DROP TABLE IF EXISTS copy_bench")
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
