#!/usr/bin/env python3
"""ORDER BY ... LIMIT and min/max through an index, against PostgreSQL 15 (issues 7 and 15).

The same data in both: a 1M-row table t (id integer PRIMARY KEY), and a time series of 20
devices every 10 seconds (--steps steps: 3M rows by default), ActiveStore's as a hypertable with
1-day chunks (its default index on ts DESC), PostgreSQL's as a plain table with an index on
(ts DESC); both also get an index on (device_id, ts DESC). Each query runs repeatedly on one
connection (after 3 warm-up runs) for at least --min-runs runs and until --runs runs or
--budget seconds; prints the mean and median milliseconds per query, client side.

  - SELECT id, v FROM t ORDER BY id DESC LIMIT 10
  - SELECT max(id) FROM t
  - SELECT ts, device_id, value FROM ts ORDER BY ts DESC LIMIT 100
  - SELECT ts, value FROM ts WHERE device_id = 5 ORDER BY ts DESC LIMIT 10

Several ActiveStore binaries can be measured in one go (before and after a change), each on a
fresh data directory:

  /usr/bin/python3 bench/order_limit_figures.py --server main=/work/main/build/release/activestore \\
      --server topn=build/release/activestore --port 56110
"""
import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from server_figures import connect

T_SETUP = [
    "CREATE TABLE t (id integer PRIMARY KEY, v integer, pad text)",
    "INSERT INTO t SELECT i, i % 1000, 'row ' || i FROM generate_series(1, 1000000) i",
]
TS_TABLE = "CREATE TABLE ts (ts timestamptz NOT NULL, device_id integer NOT NULL, value float8)"
DEVICE_INDEX = "CREATE INDEX ts_device_ts_idx ON ts (device_id, ts DESC)"


def ts_rows(steps):
    return ("INSERT INTO ts SELECT '2024-01-01'::timestamptz + s * interval '10 seconds', d, "
            f"(s % 97) + d * 0.5 FROM generate_series(0, {steps - 1}) s, generate_series(1, 20) d")


QUERIES = {
    "ORDER BY id DESC LIMIT 10 (1M rows)": "SELECT id, v FROM t ORDER BY id DESC LIMIT 10",
    "max(id) (1M rows)": "SELECT max(id) FROM t",
    "ORDER BY ts DESC LIMIT 100 (time series)":
        "SELECT ts, device_id, value FROM ts ORDER BY ts DESC LIMIT 100",
    "WHERE device_id = 5 ORDER BY ts DESC LIMIT 10 (time series)":
        "SELECT ts, value FROM ts WHERE device_id = 5 ORDER BY ts DESC LIMIT 10",
}


def measure(cur, sql, args):
    for _ in range(3):  # warm the cache and the plan
        cur.execute(sql)
        cur.fetchall()
    times = []
    start = time.perf_counter()
    while len(times) < args.runs and (len(times) < args.min_runs or
                                      time.perf_counter() - start < args.budget):
        t = time.perf_counter()
        cur.execute(sql)
        cur.fetchall()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.mean(times), statistics.median(times), len(times)


def run_postgres(args):
    pg = connect(args.pg_port)
    pg.cursor().execute(f"DROP DATABASE IF EXISTS {args.pg_db}")
    pg.cursor().execute(f"CREATE DATABASE {args.pg_db}")
    pg.close()
    pg = connect(args.pg_port, args.pg_db)
    cur = pg.cursor()
    t = time.perf_counter()
    for sql in T_SETUP + [TS_TABLE, ts_rows(args.steps), "CREATE INDEX ts_ts_idx ON ts (ts DESC)",
                          DEVICE_INDEX, "VACUUM ANALYZE"]:
        cur.execute(sql)
    print(f"PostgreSQL: loaded in {time.perf_counter() - t:.0f} s", flush=True)
    out = {}
    for name, sql in QUERIES.items():
        cur.execute("EXPLAIN " + sql)
        print("\n".join(r[0] for r in cur.fetchall()))
        out[name] = measure(cur, sql, args)
    pg.close()
    pg = connect(args.pg_port)
    pg.cursor().execute(f"DROP DATABASE IF EXISTS {args.pg_db}")
    pg.close()
    return out


def run_activestore(label, binary, args):
    data = tempfile.mkdtemp(prefix="order-limit-bench-")
    proc = subprocess.Popen([binary, "--data-dir", data, "--port", str(args.port),
                             "--sync-mode", "off", "--log-level", "warn",
                             "--cache-size-mb", str(args.cache_size_mb)])
    out = {}
    try:
        con = connect(args.port)
        cur = con.cursor()
        t = time.perf_counter()
        for sql in T_SETUP + [TS_TABLE]:
            cur.execute(sql)
        cur.execute("SELECT create_hypertable('ts', 'ts', chunk_time_interval => interval '1 day')")
        cur.execute(ts_rows(args.steps))
        cur.execute(DEVICE_INDEX)
        cur.execute("CHECKPOINT")
        print(f"ActiveStore {label}: loaded in {time.perf_counter() - t:.0f} s", flush=True)
        for name, sql in QUERIES.items():
            cur.execute("EXPLAIN " + sql)
            lines = [r[0] for r in cur.fetchall()]
            print("\n".join(lines[:8] + (["  ..."] if len(lines) > 8 else [])))
            out[name] = measure(cur, sql, args)
            print(f"  {label}: {name}: mean {out[name][0]:.3f} ms", flush=True)
        con.close()
    finally:
        proc.terminate()
        proc.wait(timeout=120)
        shutil.rmtree(data, ignore_errors=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", action="append", required=True,
                    help="LABEL=BINARY of an ActiveStore build (repeatable)")
    ap.add_argument("--port", type=int, default=56110)
    ap.add_argument("--pg-port", type=int, default=5432)
    ap.add_argument("--pg-db", default="order_limit_bench")
    ap.add_argument("--steps", type=int, default=150000, help="10-second steps (x 20 devices)")
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--min-runs", type=int, default=5)
    ap.add_argument("--budget", type=float, default=20.0, help="seconds per query and server")
    ap.add_argument("--cache-size-mb", type=int, default=512)
    ap.add_argument("--skip-pg", action="store_true")
    args = ap.parse_args()
    servers = [s.split("=", 1) for s in args.server]
    results = {}
    if not args.skip_pg:
        results["PostgreSQL 15"] = run_postgres(args)
    for label, binary in servers:
        results[f"ActiveStore {label}"] = run_activestore(label, binary, args)

    labels = list(results)
    print(f"\n{args.steps * 20:,} time-series rows; mean / median ms (runs)\n")
    print("| query | " + " | ".join(labels) + " |")
    print("|---|" + "---|" * len(labels))
    for name in QUERIES:
        cells = []
        for lab in labels:
            mean, median, n = results[lab][name]
            cells.append(f"{mean:.3f} / {median:.3f} ({n})")
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
