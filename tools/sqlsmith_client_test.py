#!/usr/bin/python3
"""sqlsmith starts against ActiveStore and runs random queries: no crash, no hang, no lost
connection, no internal error, every error an ErrorResponse.

  tools/sqlsmith_client_test.py --server build/dev/activestore [--queries 1000] [--seeds 1,2]

Starts the server (--log-level debug, so that its log names the SQLSTATE of every ErrorResponse)
on a free port with a fresh temporary --data-dir and creates the reference schema of
sql-tests/catalog/psql/schema.sql with some rows. Then, for each seed, runs sqlsmith (Debian's
package): it reads the catalog (types, tables, columns, constraints, operators, routines,
aggregates) and generates and runs --queries queries, each in BEGIN ... ROLLBACK under its own
1 s statement_timeout. A seed passes when sqlsmith

  * loads the catalog and runs every query to the end (exit code 0, `queries: N`),
  * never waits more than --stall-timeout seconds for one query (a hang: statement_timeout did
    not end it),
  * never loses its connection (sqlsmith then reconnects and goes on: `C` in its progress),
  * gets every error as an ErrorResponse: each error message is a server's `ERROR:` and the
    server logged exactly as many ErrorResponses as sqlsmith counted errors,
  * gets no internal error (XX000),

and afterwards the server is still running and answers, and its log shows no crash report
(sanitizer, abort, PANIC). A failure prints the queries concerned (sqlsmith's --dump-all-queries
in the order run), so it reproduces with the same seed. Prints the errors by SQLSTATE and
sqlsmith's most frequent messages, for the record. The last line is `N passed, N failed`; exit
code 1 if any failed. --keep DIR keeps the server log and each seed's queries and output there.
"""

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crash_test  # noqa: E402  (same folder)
from client_harness import checker, rows, session  # noqa: E402
from crash_test import Server  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = os.path.join(ROOT, "sql-tests", "catalog", "psql", "schema.sql")
DATA = """
INSERT INTO parent (id, name) VALUES (1, 'one'), (2, 'two'), (3, 'three');
INSERT INTO t (id, code, price, parent_id) VALUES (10, 'a', 1.50, 1), (11, 'b', NULL, 2),
  (12, 'c', 99.99, NULL);
INSERT INTO s2.items (ident, t_id, label, amount) VALUES (1, 10, 'x', 3.25), (2, 11, NULL, NULL);
INSERT INTO s2.other VALUES (1, 'a'), (2, NULL);
"""
CATALOG_LOADED = "Generating indexes...done."
PROGRESS = re.compile(r"^[.eStC]+$")  # sqlsmith --verbose: one character per query
# The server's debug line for each ErrorResponse (frontend/connection.cpp, SendError).
LOGGED_ERROR = re.compile(r"connection from \S+: ERROR ([0-9A-Z]{5}) (.*)$")
CRASH_REPORT = re.compile(r"AddressSanitizer|LeakSanitizer|runtime error:|terminate called|"
                          r"Segmentation|Assertion .* failed|PANIC")


def split_queries(text):
    """The queries of sqlsmith's --dump-all-queries output, in order (each ends with `;` at the
    end of a line)."""
    out, cur = [], []
    for line in text.splitlines():
        cur.append(line)
        if line.endswith(";"):
            out.append("\n".join(cur).strip())
            cur = []
    return out


def progress_of(err):
    """sqlsmith's progress characters after the catalog load, one per query run."""
    after = err[err.find(CATALOG_LOADED) + len(CATALOG_LOADED):] if CATALOG_LOADED in err else ""
    return "".join(ln for ln in after.splitlines() if PROGRESS.match(ln))


def run_seed(args, server, seed, tmp, check, totals):
    """One sqlsmith run; its checks are named `seed N: ...`."""
    name = "seed %d" % seed
    target = ("host=127.0.0.1 port=%d user=postgres password=postgres dbname=postgres "
              "sslmode=disable application_name=sqlsmith_run" % server.port)
    out_path = os.path.join(tmp, "seed%d.queries" % seed)
    err_path = os.path.join(tmp, "seed%d.out" % seed)
    log_start = os.path.getsize(server.log_path)
    cmd = ["sqlsmith", "--target=" + target, "--seed=%d" % seed,
           "--max-queries=%d" % args.queries, "--verbose", "--dump-all-queries"]
    started = time.monotonic()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        # A hang is a stretch without progress: sqlsmith writes a character after each query,
        # nothing while it loads the catalog.
        last_size, last_change, stalled = -1, time.monotonic(), None
        while proc.poll() is None:
            time.sleep(0.5)
            size = os.path.getsize(err_path)
            now = time.monotonic()
            if size != last_size:
                last_size, last_change = size, now
                continue
            with open(err_path, errors="replace") as f:
                loaded = CATALOG_LOADED in f.read()
            limit = args.stall_timeout if loaded else args.catalog_timeout
            if now - last_change > limit:
                stalled = "no progress for %.0f s (%s)" % (
                    limit, "a query did not end" if loaded else "catalog load")
                proc.kill()
                proc.wait()
                break
    seconds = time.monotonic() - started
    with open(err_path, errors="replace") as f:
        err = f.read()
    with open(out_path, errors="replace") as f:
        queries = split_queries(f.read())
    with open(server.log_path, errors="replace") as f:
        f.seek(log_start)
        log = f.read()
    progress = progress_of(err)

    def query_text(i):
        q = queries[i] if i < len(queries) else "(not dumped)"
        return "query %d:\n%s" % (i + 1, q if len(q) < 4000 else q[:4000] + " ...")

    check("%s: catalog loaded" % name, CATALOG_LOADED in err, err[:2000])
    if stalled:
        check("%s: %s" % (name, stalled), False, query_text(len(progress)))
    else:
        check("%s: sqlsmith exit code" % name, proc.returncode == 0,
              "%d\n%s" % (proc.returncode, err[-3000:]))
    counts_seen = re.findall(r"^queries: (\d+)$", err, re.M)
    ran = int(counts_seen[-1]) if counts_seen else 0
    check("%s: ran %d queries" % (name, args.queries), ran == args.queries,
          "ran %d\n%s" % (ran, err[-2000:]))
    lost = [i for i, c in enumerate(progress) if c == "C"]
    check("%s: no lost connection" % name, not lost,
          "\n".join(query_text(i) for i in lost[:3]))
    # sqlsmith's error summary: the first line of each message (80 characters) and its count. A
    # server's ErrorResponse reads `ERROR:  ...`; anything else came from libpq itself.
    report = err[err.rfind("queries: "):] if counts_seen else ""
    summary = re.findall(r"^(\d+)\t(.*)$", report, re.M)
    foreign = [msg for _, msg in summary if not msg.startswith("ERROR:")]
    check("%s: every error an ErrorResponse" % name, not foreign, "\n".join(foreign[:10]))
    logged = [(m.group(1), m.group(2)) for m in map(LOGGED_ERROR.search, log.splitlines()) if m]
    failed = [i for i, c in enumerate(progress) if c != "."]
    check("%s: as many ErrorResponses as errors" % name,
          len(logged) == len(failed) or stalled or lost,
          "server logged %d, sqlsmith counted %d" % (len(logged), len(failed)))
    internal = [k for k, (state, _) in enumerate(logged) if state == "XX000"]
    detail = []
    for k in internal[:3]:
        # The k-th ErrorResponse is the k-th query that failed (one connection, in order).
        where = query_text(failed[k]) if k < len(failed) else "(query unknown)"
        detail.append("XX000 %s\n%s" % (logged[k][1], where))
    check("%s: no internal error (XX000)" % name, not internal, "\n".join(detail))
    for state, message in logged:
        totals["states"][state] += 1
        totals["messages"][(state, message[:100])] += 1
    totals["queries"] += ran
    totals["errors"] += len(failed)
    totals["timeouts"] += progress.count("t")
    totals["seconds"] += seconds
    print("%s: %d queries, %d errors (%d statement timeouts), %.0f s" %
          (name, ran, len(failed), progress.count("t"), seconds))
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--queries", type=int, default=1000, help="queries per seed")
    ap.add_argument("--seeds", default="1", help="comma-separated sqlsmith seeds, run in turn")
    ap.add_argument("--stall-timeout", type=float, default=30,
                    help="seconds one query may run (sqlsmith's statement_timeout is 1 s)")
    ap.add_argument("--catalog-timeout", type=float, default=600,
                    help="seconds sqlsmith may take to load the catalog")
    ap.add_argument("--port", type=int, help="the server's port (default: a free one)")
    ap.add_argument("--keep", help="copy the server log and sqlsmith's output to this folder")
    ap.add_argument("--start-timeout", type=float, default=60)
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    if args.port:
        crash_test.free_port = lambda: args.port  # Server.start takes its port from here
    tmp = tempfile.mkdtemp(prefix="sqlsmith_test_")
    log = os.path.join(tmp, "server.log")
    server = Server(os.path.abspath(args.server), os.path.join(tmp, "data"), log,
                    ["--log-level", "debug"], args.start_timeout)
    check, counts = checker()
    totals = {"states": collections.Counter(), "messages": collections.Counter(), "queries": 0,
              "errors": 0, "timeouts": 0, "seconds": 0.0}
    try:
        server.start()
        env = dict(os.environ, PGPASSWORD="postgres")
        for script in (open(SCHEMA).read(), DATA):
            r = subprocess.run(["psql", "-X", "-q", "-h", "127.0.0.1", "-p", str(server.port),
                                "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1"],
                               input=script, env=env, capture_output=True, text=True, timeout=120)
            check("schema", r.returncode == 0, r.stderr)
        for seed in seeds:
            if server.proc.poll() is not None:
                break
            run_seed(args, server, seed, tmp, check, totals)
        alive = server.proc.poll() is None
        check("server still running", alive, "exit code %s" % server.proc.returncode)
        if alive:
            conn = session(server.port)
            check("server answers", rows(conn, "SELECT count(*) FROM t") == [(3,)])
            conn.close()
        with open(log, errors="replace") as f:
            bad = [ln for ln in f.read().splitlines() if CRASH_REPORT.search(ln)]
        check("no crash report in the server log", not bad, "\n".join(bad[:20]))
        print("sqlsmith: %d queries in %.0f s, %d errors (%d statement timeouts); by SQLSTATE: %s"
              % (totals["queries"], totals["seconds"], totals["errors"], totals["timeouts"],
                 ", ".join("%s %d" % sc for sc in totals["states"].most_common())))
        print("most frequent errors:")
        for (state, message), n in totals["messages"].most_common(15):
            print("  %6d  %s  %s" % (n, state, message))
    except Exception as e:  # noqa: BLE001 - report and fail
        check("run", False, repr(e))
    finally:
        server.kill()
        if args.keep:
            os.makedirs(args.keep, exist_ok=True)
            for f in os.listdir(tmp):
                if f != "data":
                    shutil.copy(os.path.join(tmp, f), args.keep)
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (counts["passed"], counts["failed"]))
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
