#!/usr/bin/python3
"""sqlsmith starts against ActiveStore and runs random queries: no crash, no hang, every error
an ErrorResponse.

  tools/sqlsmith_client_test.py --server build/dev/activestore [--queries 2000] [--seed 1]

Starts the server on a free port with a fresh temporary --data-dir and creates the reference
schema of sql-tests/catalog/psql/schema.sql with some rows. Runs sqlsmith (Debian's package)
with a fixed seed: it reads the catalog (types, tables, columns, constraints, operators,
routines, aggregates: ../shared/conformance/clients/sqlsmith_catalog.sql has its queries), then
generates and runs the queries, each under sqlsmith's own 1 s statement_timeout. Passes when
sqlsmith loads the schema, runs every query to the end (it stops at a lost connection), the
server is still running and answers afterwards, and its log shows no crash report. Prints
sqlsmith's error summary (the most frequent messages), for the record. The last line is
`N passed, N failed`; exit code 1 if any failed.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import checker, rows, session  # noqa: E402  (same folder)
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start-timeout", type=float, default=60)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="sqlsmith_test_")
    log = os.path.join(tmp, "server.log")
    server = Server(os.path.abspath(args.server), os.path.join(tmp, "data"), log, [],
                    args.start_timeout)
    check, counts = checker()
    try:
        server.start()
        env = dict(os.environ, PGPASSWORD="postgres")
        for script in (open(SCHEMA).read(), DATA):
            r = subprocess.run(["psql", "-X", "-q", "-h", "127.0.0.1", "-p", str(server.port),
                                "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1"],
                               input=script, env=env, capture_output=True, text=True, timeout=120)
            check("schema", r.returncode == 0, r.stderr)
        target = ("host=127.0.0.1 port=%d user=postgres password=postgres dbname=postgres "
                  "sslmode=disable" % server.port)
        # sqlsmith checks each query's duration against its own statement_timeout; a whole run
        # that stops answering is a hang.
        timeout = 120 + args.queries * 0.5
        try:
            r = subprocess.run(["sqlsmith", "--target=" + target, "--seed=%d" % args.seed,
                                "--max-queries=%d" % args.queries, "--verbose"],
                               capture_output=True, text=True, timeout=timeout)
            out = r.stdout + r.stderr
            check("sqlsmith exit code", r.returncode == 0, "%d\n%s" % (r.returncode, out[-3000:]))
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) \
                else (e.stdout or "")
            check("sqlsmith finished in %.0f s" % timeout, False, out[-3000:])
        check("catalog loaded", "Generating indexes...done." in out, out[:2000])
        # sqlsmith prints its report (with "queries: N") every 800 queries and at the end.
        counts_seen = re.findall(r"^queries: (\d+)$", out, re.M)
        ran = int(counts_seen[-1]) if counts_seen else None
        check("ran %d queries" % args.queries, ran == args.queries, out[-2000:])
        alive = server.proc.poll() is None
        check("server still running", alive, "exit code %s" % server.proc.returncode)
        if alive:
            conn = session(server.port)
            check("server answers", rows(conn, "SELECT count(*) FROM t") == [(3,)])
            conn.close()
        with open(log, errors="replace") as f:
            text = f.read()
        bad = [ln for ln in text.splitlines()
               if re.search(r"AddressSanitizer|runtime error:|terminate called|Segmentation|"
                            r"Assertion .* failed|PANIC", ln)]
        check("no crash report in the server log", not bad, "\n".join(bad[:20]))
        last_report = out[out.rfind("queries: "):] if counts_seen else out
        summary = [ln for ln in last_report.splitlines() if re.match(r"^\d+\s+ERROR:", ln)]
        print("sqlsmith: %s queries; most frequent errors:" % (ran if ran is not None else "?"))
        for ln in summary[:15]:
            print("  " + ln)
    except Exception as e:  # noqa: BLE001 - report and fail
        check("run", False, repr(e))
    finally:
        server.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (counts["passed"], counts["failed"]))
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
