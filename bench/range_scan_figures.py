#!/usr/bin/env python3
"""Index range scans against PostgreSQL 15: the same 1M-row table with a primary key and the same
1M-row time series (20 devices every 10 s) in both, ActiveStore's as a hypertable with 1-day
chunks (its default index on time DESC), PostgreSQL's as a plain table with an index on
(time DESC). Each query runs --runs times at random positions (the same positions on both);
prints the mean and median milliseconds per query, client side, and the ratio.

  - key range: SELECT count(*) FROM t WHERE id BETWEEN x AND x + 1000
  - time range: SELECT count(*), avg(value) FROM ts WHERE time >= a AND time < b (b = a + 1 hour),
    with a and b literals, then computed ('2024-01-01'::timestamptz + n * interval '1 second':
    no chunk pruning at plan time)

Usage (release build; PostgreSQL at --pg-port with user postgres, password postgres):
  /usr/bin/python3 bench/range_scan_figures.py --server build/release/activestore --port 55710
"""
import argparse
import datetime
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from server_figures import connect

SETUP = [
    "CREATE TABLE t (id integer PRIMARY KEY, v integer, pad text)",
    "INSERT INTO t SELECT i, i % 1000, 'row ' || i FROM generate_series(1, 1000000) i",
    "CREATE TABLE ts (time timestamptz NOT NULL, device integer, value float8)",
]
TS_ROWS = ("INSERT INTO ts SELECT '2024-01-01'::timestamptz + s * interval '10 seconds', d, "
           "(s % 97) + d * 0.5 FROM generate_series(0, 49999) s, generate_series(1, 20) d")
STEPS = 50000  # 10-second steps in the time series


def queries(runs, seed=7):
    rnd = random.Random(seed)
    key = [f"SELECT count(*) FROM t WHERE id BETWEEN {x} AND {x + 1000}"
           for x in (rnd.randint(1, 999000) for _ in range(runs))]
    span, computed = [], []
    base = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    for _ in range(runs):
        s = rnd.randint(0, STEPS - 400)
        a = base + datetime.timedelta(seconds=s * 10)
        b = a + datetime.timedelta(hours=1)
        span.append(f"SELECT count(*), avg(value) FROM ts WHERE time >= '{a.isoformat()}' "
                    f"AND time < '{b.isoformat()}'")
        e = f"'2024-01-01'::timestamptz + {s * 10} * interval '1 second'"
        computed.append(f"SELECT count(*), avg(value) FROM ts WHERE time >= {e} "
                        f"AND time < {e} + interval '1 hour'")
    return {"key range (1,001 rows)": key, "time range, literal ends (1 hour, 7,200 rows)": span,
            "time range, computed ends (1 hour, 7,200 rows)": computed}


def measure(cur, sqls):
    for sql in sqls[:5]:  # warm the cache and the plan
        cur.execute(sql)
        cur.fetchall()
    times = []
    for sql in sqls:
        t = time.perf_counter()
        cur.execute(sql)
        cur.fetchall()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.mean(times), statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--port", type=int, default=55710)
    ap.add_argument("--pg-port", type=int, default=5432)
    ap.add_argument("--pg-db", default="range_bench")
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--cache-size-mb", type=int, default=512)
    args = ap.parse_args()
    qs = queries(args.runs)
    results = {}

    pg = connect(args.pg_port)
    pg.cursor().execute(f"DROP DATABASE IF EXISTS {args.pg_db}")
    pg.cursor().execute(f"CREATE DATABASE {args.pg_db}")
    pg.close()
    pg = connect(args.pg_port, args.pg_db)
    cur = pg.cursor()
    for sql in SETUP + [TS_ROWS, "CREATE INDEX ts_time_idx ON ts (time DESC)", "VACUUM ANALYZE"]:
        cur.execute(sql)
    for name, sqls in qs.items():
        results[name] = {"pg": measure(cur, sqls)}
    pg.close()
    pg = connect(args.pg_port)
    pg.cursor().execute(f"DROP DATABASE IF EXISTS {args.pg_db}")
    pg.close()

    data = tempfile.mkdtemp(prefix="range-bench-")
    proc = subprocess.Popen([args.server, "--data-dir", data, "--port", str(args.port),
                             "--sync-mode", "off", "--log-level", "warn",
                             "--cache-size-mb", str(args.cache_size_mb)])
    try:
        con = connect(args.port)
        cur = con.cursor()
        for sql in SETUP:
            cur.execute(sql)
        cur.execute("SELECT create_hypertable('ts', 'time', chunk_time_interval => interval '1 day')")
        cur.execute(TS_ROWS)
        cur.execute("CHECKPOINT")
        for name, sqls in qs.items():
            cur.execute("EXPLAIN " + sqls[0])
            print("\n".join(r[0] for r in cur.fetchall()))
            results[name]["as"] = measure(cur, sqls)
        con.close()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        shutil.rmtree(data, ignore_errors=True)

    print(f"\n| query ({args.runs} runs) | PostgreSQL mean / median ms | ActiveStore mean / median ms "
          "| ratio (PG mean / AS mean) |")
    print("|---|---|---|---|")
    for name, r in results.items():
        (pm, pmed), (am, amed) = r["pg"], r["as"]
        print(f"| {name} | {pm:.3f} / {pmed:.3f} | {am:.3f} / {amed:.3f} | {pm / am:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
