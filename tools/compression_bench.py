#!/usr/bin/python3
"""Chunk compression measurements (docs/design/2026-12-06-chunk-compression.md):

1. Loads --rows rows of (time timestamptz, device int, value float8), --devices devices, one
   row per device at a fixed step over --days days, into a hypertable with 1-day chunks
   (INSERT ... SELECT generate_series on the server); --values sensor (default: a slow sine
   per device plus noise in [0, 1), rounded to 2 decimals) or periodic (a short repeating
   pattern).
2. Times the query `SELECT time_bucket('1 hour', time), avg(value) FROM m WHERE device = 7
   GROUP BY 1` (--repeat runs, best and median) on the uncompressed chunks.
3. Compresses every chunk (segmentby device, orderby time DESC) and reports the time and the
   sizes hypertable_compression_stats measured (stored bytes before and after).
4. Times the same query on the compressed chunks, and checks both answers are equal.

  tools/compression_bench.py --server build/release/activestore [--rows 1000000]
      [--devices 100] [--days 10] [--repeat 5] [--port 28010]
"""
import argparse
import shutil
import statistics
import subprocess
import tempfile
import time

from hypertable_bench import start_server

QUERY = ("SELECT time_bucket('1 hour', time), avg(value) FROM m WHERE device = 7 "
         "GROUP BY 1 ORDER BY 1")


def timed(cur, sql, repeat):
    times, rows = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        cur.execute(sql)
        rows = cur.fetchall()
        times.append(time.perf_counter() - t0)
    return rows, min(times), statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--port", type=int, default=28010)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--devices", type=int, default=100)
    ap.add_argument("--days", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--values", choices=("sensor", "periodic"), default="sensor",
                    help="sensor: a slow sine plus noise in [0, 1), rounded to 2 decimals (what telemetry "
                         "looks like); periodic: a short repeating pattern (compresses far more)")
    ap.add_argument("--keep", action="store_true", help="keep the data directory")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="compressbench-")
    proc, conn = start_server(args.server, args.port, work)
    try:
        cur = conn.cursor()
        cur.execute("SET TimeZone = 'UTC'")
        cur.execute("CREATE TABLE m (time timestamptz NOT NULL, device int, value float8)")
        cur.execute("SELECT create_hypertable('m', 'time', chunk_time_interval => "
                    "INTERVAL '1 day')")
        per_device = args.rows // args.devices
        step_us = args.days * 86_400_000_000 // per_device
        t0 = time.perf_counter()
        # Row i: device i % devices, time step * (i / devices), and a value.
        if args.values == "sensor":
            # The noise is a multiplicative hash of i (deterministic: the same data every run).
            value = ("round((20 + 5 * sin((i / %d) / 500.0 + i %% %d) + "
                     "((i::bigint * 2654435761) %% 1000) / 1000.0)::numeric, 2)"
                     % (args.devices, args.devices))
        else:
            value = "20 + (i %% 1000) / 10.0 + (i / %d) %% 7" % args.devices
        cur.execute(
            "INSERT INTO m SELECT '2024-01-01'::timestamptz + (i / %d)::bigint * %d * INTERVAL "
            "'1 microsecond', i %% %d, %s FROM generate_series(0, %d) i" %
            (args.devices, step_us, args.devices, value,
             per_device * args.devices - 1))
        load = time.perf_counter() - t0
        cur.execute("SELECT count(*), count(DISTINCT device) FROM m")
        print("loaded %s rows (%s devices) in %.1f s" % (*cur.fetchone(), load))

        before, best_u, med_u = timed(cur, QUERY, args.repeat)
        print("query uncompressed: best %.1f ms, median %.1f ms (%d buckets)" %
              (best_u * 1000, med_u * 1000, len(before)))

        cur.execute("ALTER TABLE m SET (timescaledb.compress, timescaledb.compress_segmentby "
                    "= 'device', timescaledb.compress_orderby = 'time DESC')")
        t0 = time.perf_counter()
        cur.execute("SELECT count(compress_chunk(c)) FROM show_chunks('m') c")
        chunks = cur.fetchone()[0]
        compress = time.perf_counter() - t0
        print("compressed %d chunks in %.1f s (%.0f rows/s)" %
              (chunks, compress, args.rows / compress))
        cur.execute("SELECT before_compression_table_bytes, before_compression_index_bytes, "
                    "before_compression_total_bytes, after_compression_total_bytes "
                    "FROM hypertable_compression_stats('m')")
        bt, bi, btot, atot = cur.fetchone()
        print("stored bytes before: table %d + index %d = %d; after: %d; ratio %.1fx "
              "(table alone %.1fx)" % (bt, bi, btot, atot, btot / atot, bt / atot))

        after, best_c, med_c = timed(cur, QUERY, args.repeat)
        print("query compressed: best %.1f ms, median %.1f ms" % (best_c * 1000, med_c * 1000))
        same = len(before) == len(after) and all(
            a[0] == b[0] and abs(a[1] - b[1]) <= 1e-9 * max(1.0, abs(a[1]))
            for a, b in zip(before, after))
        print("same answer before and after: %s" % same)
        cur.execute("SELECT count(*) FROM m")
        print("rows after compression: %d" % cur.fetchone()[0])
        conn.close()
        return 0 if same else 1
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
