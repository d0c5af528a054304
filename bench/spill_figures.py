#!/usr/bin/python3
"""Issue 11's memory figures: a big ORDER BY and a GROUP BY with many groups under work_mem.

  bench/spill_figures.py --server build/release/activestore --rows 20000000 --groups 10000000

Loads `rows` rows (id int8, v int8 scrambled, t text) into a fresh ActiveStore (data directory
under /tmp, --cache-size-mb as given), restarts it so that its peak RSS counts only the queries,
then with `SET work_mem = '64MB'` runs

  sort:  SELECT * FROM s ORDER BY v, id OFFSET rows-1          (a full sort, one row out)
  group: SELECT count(*), sum(c) FROM (SELECT v % groups AS k, count(*) AS c, sum(id)
         FROM s GROUP BY 1) x                                   (`groups` groups)

and prints each query's time and the server's VmHWM after it (each query in a fresh server
process). The same against PostgreSQL 15 (--pg-port, a database made and dropped here), with the
VmHWM of the query's backend (max_parallel_workers_per_gather = 0, so that the backend does all
the work). Prints the load average beside each figure.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time

import psycopg2


def vm_hwm_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return -1.0


def load():
    return os.getloadavg()[0]


def measure(label, cur, sql, pid):
    """Runs sql on cur and prints its time and the VmHWM of process pid after it."""
    base = vm_hwm_mb(pid)
    la = load()
    t0 = time.time()
    cur.execute(sql)
    result = cur.fetchall()
    dt = time.time() - t0
    print(f"{label}: {dt:.1f} s, VmHWM {vm_hwm_mb(pid):.0f} MB (at start {base:.0f} MB), "
          f"load {la:.2f}->{load():.2f}, result {result}", flush=True)


def queries(rows, groups):
    return [
        ("sort", f"SELECT * FROM s ORDER BY v, id OFFSET {rows - 1}"),
        ("group", f"SELECT count(*), sum(c) FROM (SELECT v % {groups} AS k, count(*) AS c, "
                  f"sum(id) FROM s GROUP BY 1) x"),
    ]


def fill(cur, rows):
    cur.execute("CREATE TABLE s (id int8, v int8, t text)")
    step = 1000000
    for lo in range(1, rows + 1, step):
        hi = min(rows, lo + step - 1)
        cur.execute(f"INSERT INTO s SELECT i, (i::int8 * 7919) % {rows}, 'row ' || i "
                    f"FROM generate_series({lo}, {hi}) i")


class Server:
    def __init__(self, binary, port, data_dir, cache_mb):
        self.cmd = [binary, "--data-dir", data_dir, "--port", str(port), "--http-port",
                    str(port + 1), "--cache-size-mb", str(cache_mb), "--sync-mode", "off"]
        self.port = port
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres",
                                 dbname="postgres").close()
                return
            except psycopg2.OperationalError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=120)


def run_activestore(args):
    data_dir = f"/tmp/spill_figures_{os.getpid()}"
    shutil.rmtree(data_dir, ignore_errors=True)
    srv = Server(args.server, args.port, data_dir, args.cache_size_mb)
    srv.start()
    try:
        conn = psycopg2.connect(host="127.0.0.1", port=args.port, user="postgres",
                                dbname="postgres")
        conn.autocommit = True
        t0 = time.time()
        fill(conn.cursor(), args.rows)
        print(f"activestore load {args.rows} rows: {time.time() - t0:.1f} s", flush=True)
        conn.close()
        for name, sql in queries(args.rows, args.groups):
            srv.stop()
            srv.start()  # a fresh process: VmHWM counts this query only
            conn = psycopg2.connect(host="127.0.0.1", port=args.port, user="postgres",
                                    dbname="postgres")
            conn.autocommit = True
            cur = conn.cursor()
            cur.execute(f"SET work_mem = '{args.work_mem}'")
            measure(f"activestore {name}", cur, sql, srv.proc.pid)
            conn.close()
    finally:
        srv.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


def run_postgres(args):
    def connect(db):
        c = psycopg2.connect(host="127.0.0.1", port=args.pg_port, user="postgres",
                             password="postgres", dbname=db)
        c.autocommit = True
        return c

    admin = connect("postgres")
    admin.cursor().execute("DROP DATABASE IF EXISTS spill_figures")
    admin.cursor().execute("CREATE DATABASE spill_figures")
    try:
        conn = connect("spill_figures")
        t0 = time.time()
        fill(conn.cursor(), args.rows)
        conn.cursor().execute("VACUUM ANALYZE s")
        print(f"postgresql load {args.rows} rows: {time.time() - t0:.1f} s", flush=True)
        conn.close()
        for name, sql in queries(args.rows, args.groups):
            conn = connect("spill_figures")
            cur = conn.cursor()
            cur.execute("SET work_mem = %s", (args.work_mem,))
            cur.execute("SET max_parallel_workers_per_gather = 0")
            cur.execute("SELECT pg_backend_pid()")
            measure(f"postgresql {name} (backend)", cur, sql, cur.fetchone()[0])
            conn.close()
    finally:
        admin.cursor().execute("DROP DATABASE IF EXISTS spill_figures")
        admin.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", help="activestore binary (release build)")
    ap.add_argument("--port", type=int, default=6100)
    ap.add_argument("--cache-size-mb", type=int, default=512)
    ap.add_argument("--pg-port", type=int, default=5432)
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--rows", type=int, default=20000000)
    ap.add_argument("--groups", type=int, default=10000000)
    ap.add_argument("--work-mem", default="64MB")
    args = ap.parse_args()
    if args.server:
        run_activestore(args)
    if not args.no_postgres:
        run_postgres(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
