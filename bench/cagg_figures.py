#!/usr/bin/env python3
"""Issue 15's continuous-aggregate figures (docs/design/2026-12-06-continuous-aggregates.md):
starts a server on a fresh data directory, loads a hypertable of sensor-like rows (one row per
device every 10 seconds), creates a continuous aggregate of 1-minute buckets WITH NO DATA and
measures

- a full refresh (CALL refresh_continuous_aggregate(cagg, NULL, NULL));
- the query over 1-minute buckets on the aggregate (materialized only) against the same query
  over the raw rows, fetched by the client and counted on the server, and an hourly rollup
  from the 1-minute buckets against the same rollup of the raw rows (best of --repeat runs);
- the refresh after 1% late rows: the late rows fall in a --late-hours window in the middle of
  the data (late and out-of-order, as a device that reconnects sends them), and, for contrast,
  after 1% late rows scattered over the whole range (one INSERT: its invalidated range is the
  whole range, as TimescaleDB's per-transaction lowest/greatest would be too).

Usage (release build):
  /usr/bin/python3 bench/cagg_figures.py --server build/release/activestore --rows 4000000
"""
import argparse
import shutil
import subprocess
import sys
import tempfile
import time

from server_figures import connect


def timed(cur, sql):
    t = time.perf_counter()
    cur.execute(sql)
    if cur.description is not None:
        cur.fetchall()
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--port", type=int, default=56010)
    ap.add_argument("--rows", type=int, default=4_000_000)
    ap.add_argument("--devices", type=int, default=20)
    ap.add_argument("--late-hours", type=int, default=6)
    ap.add_argument("--chunk-hours", type=int, default=6)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    data = tempfile.mkdtemp(prefix="cagg_bench_")
    proc = subprocess.Popen([args.server, "--data-dir", data, "--port", str(args.port),
                             "--sync-mode", "off", "--log-level", "warn"])
    try:
        con = connect(args.port)
        cur = con.cursor()
        cur.execute("SET TimeZone = 'UTC'")
        cur.execute("CREATE TABLE metrics (ts timestamptz NOT NULL, device int, value float8)")
        cur.execute("SELECT create_hypertable('metrics', 'ts', chunk_time_interval => "
                    f"INTERVAL '{args.chunk_hours} hours')")
        steps = args.rows // args.devices
        t = time.perf_counter()
        batch = 200_000 // args.devices
        for start in range(0, steps, batch):
            stop = min(steps, start + batch)
            cur.execute(
                "INSERT INTO metrics SELECT '2024-01-01'::timestamptz + s * INTERVAL '10 seconds', "
                f"d, (s % 97) + d * 0.5 FROM generate_series({start}, {stop - 1}) s, "
                f"generate_series(1, {args.devices}) d")
        load = time.perf_counter() - t
        minutes = steps // 6
        print(f"loaded {steps * args.devices} rows ({minutes} minutes, {args.devices} devices, "
              f"{args.chunk_hours}-hour chunks) in {load:.1f} s")
        cur.execute(
            "CREATE MATERIALIZED VIEW metrics_1m WITH (timescaledb.continuous, "
            "timescaledb.materialized_only = true) AS SELECT time_bucket('1 minute', ts) AS bucket, "
            "avg(value) AS avg_value, max(value) AS max_value, count(*) AS n FROM metrics "
            "GROUP BY bucket WITH NO DATA")
        full = timed(cur, "CALL refresh_continuous_aggregate('metrics_1m', NULL, NULL)")
        cur.execute("SELECT count(*) FROM metrics_1m")
        buckets = cur.fetchone()[0]
        print(f"full refresh: {full * 1000:.0f} ms ({buckets} buckets)")
        raw_q = ("SELECT time_bucket('1 minute', ts) AS bucket, avg(value), max(value), count(*) "
                 "FROM metrics GROUP BY bucket")
        cagg_q = "SELECT bucket, avg_value, max_value, n FROM metrics_1m"
        raw = min(timed(cur, raw_q) for _ in range(args.repeat))
        agg = min(timed(cur, cagg_q) for _ in range(args.repeat))
        print(f"1-minute buckets over raw rows: {raw * 1000:.0f} ms; over the aggregate: "
              f"{agg * 1000:.1f} ms; ratio {raw / agg:.1f}x")
        # The same query counted on the server (no rows to the client), and an hourly rollup
        # (max and count) of the 1-minute buckets against the same rollup of the raw rows.
        raw_c = min(timed(cur, f"SELECT count(*) FROM ({raw_q}) x") for _ in range(args.repeat))
        agg_c = min(timed(cur, f"SELECT count(*) FROM ({cagg_q}) x") for _ in range(args.repeat))
        print(f"counted on the server: raw {raw_c * 1000:.0f} ms; aggregate {agg_c * 1000:.1f} ms; "
              f"ratio {raw_c / agg_c:.1f}x")
        raw_h = min(timed(cur, "SELECT time_bucket('1 hour', ts), max(value), count(*) FROM metrics "
                               "GROUP BY 1") for _ in range(args.repeat))
        agg_h = min(timed(cur, "SELECT time_bucket('1 hour', bucket), max(max_value), sum(n) "
                               "FROM metrics_1m GROUP BY 1") for _ in range(args.repeat))
        print(f"hourly rollup: raw {raw_h * 1000:.0f} ms; from the aggregate {agg_h * 1000:.1f} ms; "
              f"ratio {raw_h / agg_h:.1f}x")
        # The same answer both ways (the aggregate is exact).
        cur.execute(f"SELECT count(*) FROM (({raw_q}) EXCEPT ({cagg_q})) x")
        print(f"rows differing: {cur.fetchone()[0]}")
        late = args.rows // 100
        mid = steps // 2
        window = args.late_hours * 360
        t = time.perf_counter()
        cur.execute(
            "INSERT INTO metrics SELECT '2024-01-01'::timestamptz + "
            f"({mid} + (g * 7919) % {window}) * INTERVAL '10 seconds' + INTERVAL '3 seconds', "
            f"g % {args.devices} + 1, 1000 FROM generate_series(1, {late}) g")
        ins = time.perf_counter() - t
        inc = timed(cur, "CALL refresh_continuous_aggregate('metrics_1m', NULL, NULL)")
        print(f"{late} late rows within {args.late_hours} h inserted in {ins * 1000:.0f} ms; "
              f"refresh {inc * 1000:.0f} ms = {100 * inc / full:.1f}% of the full refresh")
        cur.execute(f"SELECT count(*) FROM (({raw_q}) EXCEPT ({cagg_q})) x")
        print(f"rows differing after the refresh: {cur.fetchone()[0]}")
        cur.execute(
            "INSERT INTO metrics SELECT '2024-01-01'::timestamptz + "
            f"((g * 7919) % {steps}) * INTERVAL '10 seconds' + INTERVAL '5 seconds', "
            f"g % {args.devices} + 1, 2000 FROM generate_series(1, {late}) g")
        scattered = timed(cur, "CALL refresh_continuous_aggregate('metrics_1m', NULL, NULL)")
        print(f"{late} late rows scattered over the whole range: refresh "
              f"{scattered * 1000:.0f} ms = {100 * scattered / full:.1f}% of the full refresh")
        con.close()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
