#!/usr/bin/python3
"""Runs the project's isolation specs (isolation-tests/) with Debian's pg_isolation_regress.

Starts the server under test on a free port with a fresh data directory (client_harness),
creates the database isolation_regression, runs every test of isolation-tests/schedule (or the
tests named with --test) and compares each output with isolation-tests/expected/, which was
taken from PostgreSQL 15. Prints regression.diffs on failure; last line `N passed, N failed`.
Exit code 1 if anything failed, 77 (skipped) when pg_isolation_regress is not installed.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import client_harness  # noqa: E402

TOOL = "/usr/lib/postgresql/15/lib/pgxs/src/test/isolation/pg_isolation_regress"
ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "isolation-tests")


def main():
    tests = []
    argv = []
    args = iter(sys.argv[1:])
    for a in args:
        if a == "--test":
            tests.append(next(args))
        else:
            argv.append(a)
    if not os.access(TOOL, os.X_OK):
        print("skipped: %s is missing (apt-get install postgresql-client-15)" % TOOL)
        return 77

    def body(server, check):
        conn = client_harness.session(server.port)
        conn.cursor().execute("CREATE DATABASE isolation_regression")
        conn.close()
        out = tempfile.mkdtemp(prefix="isolation_out_")
        sched = ["--schedule=" + os.path.join(ROOT, "schedule")] if not tests else tests
        env = dict(os.environ, PGHOST="127.0.0.1", PGPORT=str(server.port), PGUSER="postgres")
        env.pop("PGPASSWORD", None)
        proc = subprocess.run([TOOL, "--use-existing", "--host=127.0.0.1",
                               "--port=%d" % server.port, "--user=postgres",
                               "--inputdir=" + ROOT, "--outputdir=" + out, "--bindir="] + sched,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=600)
        for line in proc.stdout.splitlines():
            m = re.match(r"^(?:test|ok|not ok)?\s*(?:\d+\s+)?[-+]?\s*(\S+)\s+\.\.\.\s+(ok|FAILED)", line)
            if m:
                check(m.group(1), m.group(2) == "ok")
        if proc.returncode != 0:
            diffs = os.path.join(out, "regression.diffs")
            if os.path.exists(diffs):
                with open(diffs) as f:
                    print(f.read())
            else:
                print(proc.stdout)
            check("pg_isolation_regress", False, "exit code %d" % proc.returncode)
        shutil.rmtree(out, ignore_errors=True)

    return client_harness.run("isolation specs", body, argv)


if __name__ == "__main__":
    sys.exit(main())
