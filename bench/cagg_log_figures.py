#!/usr/bin/env python3
"""What the durable invalidation logs of continuous aggregates cost
(docs/design/2026-12-06-continuous-aggregates.md), on one or more servers one after the other,
each on a fresh data directory:

- refresh: a hypertable of --rows sensor rows (20 devices every 10 s, 6-hour chunks), a
  materialized-only 1-minute continuous aggregate refreshed in full, then three rounds of 1%
  late rows within 6 hours each followed by a refresh, then a refresh with nothing invalid;
- ingest: --statements single-row autocommit INSERTs into a hypertable with a continuous
  aggregate against one without (two rounds, alternating), and the refresh that consumes the
  log rows they wrote.

Usage (compare a branch with main's binary):
  /usr/bin/python3 bench/cagg_log_figures.py --server build/dev/activestore \\
      --server /path/to/main/activestore --port 6212
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
    return time.perf_counter() - t


def refresh_figures(cur, rows):
    cur.execute("CREATE TABLE metrics (ts timestamptz NOT NULL, device int, value float8)")
    cur.execute("SELECT create_hypertable('metrics', 'ts', "
                "chunk_time_interval => INTERVAL '6 hours')")
    steps = rows // 20
    cur.execute("INSERT INTO metrics SELECT '2024-01-01'::timestamptz + s * INTERVAL '10 seconds', "
                f"d, (s % 97) + d * 0.5 FROM generate_series(0, {steps - 1}) s, "
                "generate_series(1, 20) d")
    cur.execute("CREATE MATERIALIZED VIEW metrics_1m WITH (timescaledb.continuous, "
                "timescaledb.materialized_only = true) AS SELECT time_bucket('1 minute', ts) "
                "AS bucket, avg(value) AS avg_value, max(value) AS max_value, count(*) AS n "
                "FROM metrics GROUP BY bucket WITH NO DATA")
    full = timed(cur, "CALL refresh_continuous_aggregate('metrics_1m', NULL, NULL)")
    print(f"  full refresh of {rows} rows: {full * 1000:.0f} ms")
    late, mid, window = rows // 100, steps // 2, 6 * 360
    for k in range(3):
        ins = timed(cur, "INSERT INTO metrics SELECT '2024-01-01'::timestamptz + "
                         f"({mid} + (g * 7919 + {k}) % {window}) * INTERVAL '10 seconds' + "
                         f"INTERVAL '{3 + k} seconds', g % 20 + 1, 1000 "
                         f"FROM generate_series(1, {late}) g")
        inc = timed(cur, "CALL refresh_continuous_aggregate('metrics_1m', NULL, NULL)")
        print(f"  {late} late rows inserted in {ins * 1000:.0f} ms; refresh {inc * 1000:.0f} ms "
              f"= {100 * inc / full:.1f}% of the full refresh")
    noop = timed(cur, "CALL refresh_continuous_aggregate('metrics_1m', NULL, NULL)")
    print(f"  refresh with nothing invalid: {noop * 1000:.1f} ms")


def ingest_figures(cur, statements):
    for t in ("plain_ht", "cagg_ht"):
        cur.execute(f"CREATE TABLE {t} (ts timestamptz NOT NULL, device int, value float8)")
        cur.execute(f"SELECT create_hypertable('{t}', 'ts', "
                    "chunk_time_interval => INTERVAL '1 day')")
    cur.execute("CREATE MATERIALIZED VIEW cagg_1m WITH (timescaledb.continuous) AS "
                "SELECT time_bucket('1 minute', ts) b, count(*) FROM cagg_ht GROUP BY b "
                "WITH NO DATA")
    for rnd in range(2):
        for t in ("plain_ht", "cagg_ht"):
            start = time.perf_counter()
            for i in range(statements):
                cur.execute(f"INSERT INTO {t} VALUES ('2024-01-01'::timestamptz + "
                            f"{rnd * statements + i} * INTERVAL '1 second', 1, {i})")
            dt = time.perf_counter() - start
            print(f"  round {rnd}: {statements} single-row INSERTs into {t}: "
                  f"{dt / statements * 1e6:.0f} us each")
    refresh = timed(cur, "CALL refresh_continuous_aggregate('cagg_1m', NULL, NULL)")
    print(f"  the refresh consuming their log rows: {refresh * 1000:.0f} ms")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", action="append", required=True)
    ap.add_argument("--port", type=int, default=56011)
    ap.add_argument("--rows", type=int, default=400_000)
    ap.add_argument("--statements", type=int, default=2000)
    args = ap.parse_args()
    for binary in args.server:
        print(binary)
        data = tempfile.mkdtemp(prefix="cagg_log_bench_")
        proc = subprocess.Popen([binary, "--data-dir", data, "--port", str(args.port),
                                 "--sync-mode", "off", "--log-level", "warn"])
        try:
            con = connect(args.port)
            con.autocommit = True
            cur = con.cursor()
            cur.execute("SET TimeZone = 'UTC'")
            refresh_figures(cur, args.rows)
            ingest_figures(cur, args.statements)
            con.close()
        finally:
            proc.terminate()
            proc.wait(timeout=60)
            shutil.rmtree(data, ignore_errors=True)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
