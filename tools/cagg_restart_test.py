#!/usr/bin/python3
"""Continuous aggregates keep their invalidations across kill -9 and restarts.

  tools/cagg_restart_test.py --server build/dev/activestore [--port N]

The invalidation logs of continuous aggregates are tables written in the transaction of the
write that caused them (docs/design/2026-12-06-continuous-aggregates.md). The script starts the
server (fresh temporary --data-dir, --sync-mode fsync, --max-prepared-transactions 2), makes a
hypertable with three days of rows and a materialized-only continuous aggregate of hourly
buckets over it, then checks, each check counting once:

  * late rows committed before a kill -9 are in the hypertable invalidation log after the
    restart, and one left uncommitted at the kill is not (nor its row);
  * the first refresh after the restart recomputes only what the log holds: a window without
    invalid buckets answers TimescaleDB's NOTICE "is already up-to-date";
  * after a refresh the aggregate equals the same query over the raw rows (EXCEPT both ways),
    and the trimmed logs stay trimmed across another kill -9;
  * a prepared transaction's write is invisible to a refresh before COMMIT PREPARED (its log
    row too), survives a kill -9, and after COMMIT PREPARED the next refresh picks it up;
  * COPY into the hypertable and COPY straight into a chunk are logged (the rows' times, the
    chunk's range) and survive a kill -9;
  * the same after a clean stop (SIGTERM) and start.

Each check prints a line; the last line is `N passed, N failed`; exit code 1 if any failed, 2 on
usage errors. Every process it starts is stopped and the temporary directory removed. Needs
psycopg2 (run with /usr/bin/python3). TimescaleDB's functions: not for tools/pg_shim.py.
"""

import argparse
import io
import os
import shutil
import sys
import tempfile

try:
    import psycopg2
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("cagg_restart_test.py: psycopg2 is missing (apt-get install "
                     "python3-psycopg2; run with /usr/bin/python3)\n")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crash_test  # noqa: E402  (same folder)
from crash_test import Server, connect  # noqa: E402

HLOG = "_timescaledb_catalog.continuous_aggs_hypertable_invalidation_log"
MLOG = "_timescaledb_catalog.continuous_aggs_materialization_invalidation_log"
AGG = ("SELECT time_bucket('1 hour', time) AS bucket, device, sum(value) AS total, "
       "count(*) AS n FROM readings GROUP BY 1, 2")

SETUP = [
    "CREATE TABLE readings (time timestamptz NOT NULL, device int NOT NULL, value float8)",
    "SELECT create_hypertable('readings', 'time', chunk_time_interval => INTERVAL '1 day')",
    "INSERT INTO readings SELECT t, d, d * 10 + extract(minute FROM t) "
    "FROM generate_series('2024-05-01 00:00+00'::timestamptz, '2024-05-03 23:50+00', "
    "'10 minutes') t, generate_series(1, 2) d",
    "CREATE MATERIALIZED VIEW readings_hourly WITH (timescaledb.continuous, "
    "timescaledb.materialized_only = true) AS " + AGG,
]


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print("ok    %s" % name)
        else:
            self.failed += 1
            print("FAIL  %s%s" % (name, (": " + detail) if detail else ""))


def run(port, sql, notices=None):
    conn = connect(port)
    try:
        cur = conn.cursor()
        cur.execute("SET TimeZone = 'UTC'")
        cur.execute(sql)
        rows = cur.fetchall() if cur.description else None
        if notices is not None:
            notices.extend(n.strip() for n in conn.notices)
        return rows
    finally:
        conn.close()


def refresh(port, start, end):
    """CALL refresh_continuous_aggregate; returns its notices."""
    notices = []
    bound = lambda v: "NULL" if v is None else "'%s'" % v  # noqa: E731
    run(port, "CALL refresh_continuous_aggregate('readings_hourly', %s, %s)"
        % (bound(start), bound(end)), notices)
    return notices


def differences(port):
    """Rows in one of the aggregate and the query over the raw rows but not the other."""
    cols = "bucket, device, total, n"
    rows = run(port, "SELECT count(*) FROM ((SELECT %s FROM readings_hourly EXCEPT %s) UNION ALL "
               "(%s EXCEPT SELECT %s FROM readings_hourly)) d" % (cols, AGG, AGG, cols))
    return rows[0][0]


def log_rows(port, table):
    return run(port, "SELECT to_timestamp(lowest_modified_value / 1000000.0)::text, "
               "to_timestamp(greatest_modified_value / 1000000.0)::text FROM %s ORDER BY 1" % table)


def up_to_date(notices):
    return any("is already up-to-date" in n for n in notices)


def scenario(server, c):
    port = server.port
    for sql in SETUP:
        run(port, sql)
    c.check("the aggregate equals the raw query after creation", differences(port) == 0)

    # Late rows committed, one transaction left open, then kill -9.
    run(port, "INSERT INTO readings VALUES ('2024-05-01 05:05+00', 1, 1000)")
    run(port, "INSERT INTO readings VALUES ('2024-05-01 07:07+00', 2, 2000), "
        "('2024-05-01 07:17+00', 2, 3000)")
    open_conn = connect(port)
    open_conn.autocommit = False
    cur = open_conn.cursor()
    cur.execute("INSERT INTO readings VALUES ('2024-05-02 12:00+00', 1, 5000)")
    server.kill()
    open_conn.close()
    server.start()
    port = server.port
    got = log_rows(port, HLOG)
    want = [("2024-05-01 05:05:00+00", "2024-05-01 05:05:00+00"),
            ("2024-05-01 07:07:00+00", "2024-05-01 07:17:00+00")]
    c.check("kill -9: the committed late rows' log rows survive, the uncommitted one is gone",
            got == want, "log %r, expected %r" % (got, want))
    c.check("kill -9: the uncommitted row is gone",
            run(port, "SELECT count(*) FROM readings WHERE value = 5000")[0][0] == 0)
    c.check("before the refresh the aggregate is stale (materialized only)",
            differences(port) > 0)
    notices = refresh(port, "2024-05-02 00:00+00", "2024-05-04 00:00+00")
    c.check("after the restart a window without invalid buckets is already up-to-date",
            up_to_date(notices), "notices %r" % notices)
    notices = refresh(port, None, None)
    c.check("the refresh after the restart recomputes the late rows' buckets",
            not up_to_date(notices) and differences(port) == 0,
            "notices %r, %d rows differ" % (notices, differences(port)))
    c.check("the refresh emptied both logs",
            log_rows(port, HLOG) == [] and log_rows(port, MLOG) == [])

    # The trimmed logs stay trimmed.
    server.kill()
    server.start()
    port = server.port
    notices = refresh(port, None, None)
    c.check("kill -9 after a refresh: nothing is invalid, the aggregate is right",
            up_to_date(notices) and differences(port) == 0, "notices %r" % notices)

    # A prepared transaction.
    conn = connect(port)
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("BEGIN")
    cur.execute("INSERT INTO readings VALUES ('2024-05-03 03:33+00', 2, 7000)")
    cur.execute("PREPARE TRANSACTION 'cagg_p1'")
    conn.close()
    notices = refresh(port, None, None)
    c.check("a prepared write is not invalid yet (its log row is not committed)",
            up_to_date(notices) and log_rows(port, HLOG) == [], "notices %r" % notices)
    server.kill()
    server.start()
    port = server.port
    run(port, "COMMIT PREPARED 'cagg_p1'")
    got = log_rows(port, HLOG)
    c.check("COMMIT PREPARED after kill -9 commits the write's log row",
            got == [("2024-05-03 03:33:00+00", "2024-05-03 03:33:00+00")], "log %r" % got)
    notices = refresh(port, None, None)
    c.check("the refresh after COMMIT PREPARED picks the write up",
            not up_to_date(notices) and differences(port) == 0,
            "notices %r, %d rows differ" % (notices, differences(port)))

    # COPY into the hypertable and straight into one of its chunks.
    conn = connect(port)
    cur = conn.cursor()
    cur.execute("SET TimeZone = 'UTC'")
    cur.copy_expert("COPY readings FROM STDIN", io.StringIO("2024-05-01 09:09:00+00\t1\t900\n"))
    cur.execute("SELECT chunk_schema || '.' || chunk_name FROM timescaledb_information.chunks "
                "WHERE hypertable_name = 'readings' ORDER BY range_start OFFSET 1 LIMIT 1")
    chunk = cur.fetchone()[0]
    cur.copy_expert("COPY %s FROM STDIN" % chunk, io.StringIO("2024-05-02 08:08:00+00\t2\t800\n"))
    conn.close()
    server.kill()
    server.start()
    port = server.port
    got = log_rows(port, HLOG)
    want = [("2024-05-01 09:09:00+00", "2024-05-01 09:09:00+00"),
            ("2024-05-02 00:00:00+00", "2024-05-02 23:59:59.999999+00")]
    c.check("COPY into the hypertable logs its rows' times, COPY into a chunk the chunk's range",
            got == want, "log %r, expected %r" % (got, want))
    refresh(port, None, None)
    c.check("the refresh after the COPYs and kill -9 applies them", differences(port) == 0)

    # A clean stop.
    run(port, "DELETE FROM readings WHERE time = '2024-05-02 10:00+00'")
    code, killed = server.terminate(30)
    server.start()
    port = server.port
    c.check("SIGTERM: the server stopped cleanly", code == 0 and not killed, "exit %r" % code)
    c.check("SIGTERM and start: the DELETE's chunk range is in the log",
            len(log_rows(port, HLOG)) == 1)
    notices = refresh(port, "2024-05-02 00:00+00", "2024-05-03 00:00+00")
    c.check("the refresh after the clean restart applies the DELETE",
            differences(port) == 0, "notices %r" % notices)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", required=True, help="the activestore binary")
    ap.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    ap.add_argument("--keep", action="store_true", help="keep the data directory")
    args = ap.parse_args()
    if args.port:
        crash_test.free_port = lambda: args.port
    tmp = tempfile.mkdtemp(prefix="cagg_restart_")
    server = Server(os.path.abspath(args.server), os.path.join(tmp, "data"),
                    os.path.join(tmp, "server.log"), ["--max-prepared-transactions", "2"], 60)
    c = Checks()
    try:
        server.start()
        scenario(server, c)
    except (psycopg2.Error, RuntimeError) as e:
        c.check("the scenario ran to its end", False, " ".join(str(e).split()))
        print("\n".join(server.log_tail()))
    finally:
        server.terminate(30)
        if args.keep:
            print("data and log kept in %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (c.passed, c.failed))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
