#!/usr/bin/python3
"""Hypertable measurements (docs/design/2026-12-06-hypertables.md):

1. COPY ingest: the same CSV (rows spread over --days days, one row every few seconds per
   device) COPYed into a plain table and into a hypertable with 1-day chunks; rows/s of each.
2. Retention: with the hypertable loaded, two client threads keep inserting rows of "now"
   while drop_chunks drops the oldest day's chunk; reports the drop's time, the rows gone, and
   the inserts done before, during and after the drop (they must keep running).

  tools/hypertable_bench.py --server build/dev/activestore [--rows 2000000] [--days 4]
      [--port 56210] [--csv FILE (reused if it exists, else written)] [--settle SECONDS]
"""
import argparse
import os
import shutil
import subprocess
import tempfile
import threading
import time

import psycopg2


def connect(port):
    conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres",
                            sslmode="disable")
    conn.autocommit = True
    return conn


def start_server(binary, port, work):
    """Starts `binary` on 127.0.0.1:port with a data directory in `work`; returns the process
    and a connection once it accepts one (within 60 s)."""
    log = open(os.path.join(work, "server.log"), "wb")
    proc = subprocess.Popen([binary, "--data-dir", os.path.join(work, "data"), "--port",
                             str(port), "--listen", "127.0.0.1"],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            return proc, connect(port)
        except psycopg2.Error:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.terminate()
                raise
            time.sleep(0.1)


def write_csv(path, rows, days):
    """rows rows over days days from 2024-01-01 00:00 UTC, evenly spaced, 10 devices."""
    step_us = days * 86_400_000_000 // rows
    base = 1704067200  # 2024-01-01 00:00:00 UTC, Unix seconds
    with open(path, "w") as f:
        for i in range(rows):
            sec, frac = divmod(i * step_us, 1_000_000)
            ts = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(base + sec))
            f.write("%s.%06d+00,%d,%.2f\n" % (ts, frac, i % 10, (i % 1000) / 10.0))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--port", type=int, default=56210)
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--days", type=int, default=4)
    ap.add_argument("--keep", action="store_true", help="keep the data directory")
    ap.add_argument("--csv", help="the CSV to load (reused if it exists, else written there)")
    ap.add_argument("--hyper-first", action="store_true",
                    help="load the hypertable before the plain table (the second load runs "
                         "while the engine checkpoints the first)")
    ap.add_argument("--settle", type=float, default=0,
                    help="seconds to wait after the loads before the retention test (lets the "
                         "engine's checkpoint of the loaded data finish)")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="hyperbench-")
    proc, conn = start_server(args.server, args.port, work)
    try:
        cur = conn.cursor()
        cur.execute("SET TimeZone = 'UTC'")
        # The data: --rows rows over --days days starting 2024-01-01, 10 devices.
        csv_path = args.csv or os.path.join(work, "rows.csv")
        if not os.path.exists(csv_path):
            write_csv(csv_path, args.rows, args.days)
        ddl = "(ts timestamptz NOT NULL, device int, temp float8)"
        cur.execute("CREATE TABLE plain " + ddl)
        cur.execute("CREATE TABLE hyper " + ddl)
        cur.execute("SELECT create_hypertable('hyper', 'ts', chunk_time_interval => "
                    "INTERVAL '1 day', create_default_indexes => false)")
        results = {}
        for table in ("hyper", "plain") if args.hyper_first else ("plain", "hyper"):
            t0 = time.monotonic()
            cur.execute("COPY %s FROM '%s' WITH (FORMAT csv)" % (table, csv_path))
            elapsed = time.monotonic() - t0
            results[table] = elapsed
            print("COPY %-5s %d rows in %.2f s: %.0f rows/s" %
                  (table, args.rows, elapsed, args.rows / elapsed), flush=True)
        cur.execute("SELECT count(*) FROM hyper")
        print("hyper rows:", cur.fetchone()[0])
        cur.execute("SELECT count(*) FROM show_chunks('hyper')")
        print("hyper chunks:", cur.fetchone()[0])
        cur.execute("EXPLAIN SELECT count(*) FROM hyper WHERE ts >= '2024-01-02' AND "
                    "ts < '2024-01-03'")
        print("\n".join(r[0] for r in cur.fetchall()))

        # Retention while inserting.
        time.sleep(args.settle)
        stop = threading.Event()
        counts = []
        errors = []
        events = []

        def inserter(k):
            c = connect(args.port)
            cc = c.cursor()
            n = 0
            while not stop.is_set():
                try:
                    cc.execute("INSERT INTO hyper VALUES (now(), %s, 1.0)", (k,))
                    n += 1
                    events.append(time.monotonic())
                except psycopg2.Error as e:
                    errors.append(str(e))
            counts.append(n)
            c.close()

        threads = [threading.Thread(target=inserter, args=(k,)) for k in range(2)]
        for t in threads:
            t.start()
        time.sleep(3)
        cur.execute("SELECT count(*) FROM hyper WHERE ts < '2024-01-02'")
        day_rows = cur.fetchone()[0]
        t0 = time.monotonic()
        cur.execute("SELECT drop_chunks('hyper', older_than => '2024-01-02'::timestamptz)")
        dropped = [r[0] for r in cur.fetchall()]
        t1 = time.monotonic()
        time.sleep(3)
        stop.set()
        for t in threads:
            t.join()
        before = sum(1 for e in events if e < t0)
        during = sum(1 for e in events if t0 <= e <= t1)
        after = sum(1 for e in events if e > t1)
        print("drop_chunks: %s (%d rows) in %.1f ms" % (dropped, day_rows, (t1 - t0) * 1000))
        print("inserts: %d in the 3 s before, %d during the drop, %d in the 3 s after; "
              "errors: %d %s" % (before, during, after, len(errors), errors[:3]))
        cur.execute("SELECT count(*) FROM hyper WHERE ts < '2024-01-02'")
        print("rows left before 2024-01-02:", cur.fetchone()[0])
        cur.execute("SELECT count(*) FROM hyper WHERE ts > '2025-01-01'")
        print("inserted rows of now:", cur.fetchone()[0], "acknowledged:", sum(counts))
        conn.close()
    finally:
        proc.terminate()
        proc.wait(30)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("kept", work)


if __name__ == "__main__":
    main()
