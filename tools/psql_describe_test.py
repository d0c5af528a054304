#!/usr/bin/python3
"""psql 15's describe commands print what they print on PostgreSQL 15.

  tools/psql_describe_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir, creates the reference
schema of sql-tests/catalog/psql/schema.sql (a table with primary key, unique, check, foreign
key, default and not null; a table with serial and identity columns, an expression index and a
partial index; an index; a view; a sequence; a second schema; roles, a membership and
privileges for \\du and \\dp; inheritance parents and children; an enum, a composite type and a
domain; comments on most of these), runs psql with each
command of COMMANDS and compares its output with sql-tests/catalog/psql/<name>.out, which was
taken from PostgreSQL 15 (`--server tools/pg_shim.py --write` writes them again).
The last line is `N passed, N failed`; exit code 1 if any failed.
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run  # noqa: E402  (same folder)

HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    "sql-tests", "catalog", "psql")
COMMANDS = [("dt", "\\dt"), ("di", "\\di"), ("dv", "\\dv"), ("ds", "\\ds"), ("dn", "\\dn"),
            ("dt_s2", "\\dt s2.*"), ("di_t", "\\di t_*"), ("du", "\\du"), ("dp", "\\dp"),
            ("d_t", "\\d t"), ("d_plus_t", "\\d+ t"), ("d_parent", "\\d parent"),
            ("d_plus_parent", "\\d+ parent"), ("d_v", "\\d v"), ("d_s2_other", "\\d s2.other"),
            ("ds_all", "\\ds *.*"), ("dT", "\\dT"), ("df", "\\df"), ("df_s2", "\\df s2.*"),
            ("dfp", "\\dfp"), ("sf_add_tax", "\\sf add_tax"),
            ("sf_t_codes", "\\sf t_codes(integer)"), ("sf_plus_log_qty", "\\sf+ log_qty"),
            ("d_inh_parent", "\\d inh_parent"), ("d_plus_inh_parent", "\\d+ inh_parent"),
            ("d_inh_child2", "\\d inh_child2"), ("dn_plus", "\\dn+"), ("dx", "\\dx"),
            ("d_point2", "\\d point2"), ("dD", "\\dD"), ("dd", "\\dd"), ("du_plus", "\\du+"),
            ("dT_plus", "\\dT+"), ("d_plus_other", "\\d+ s2.other"),
            ("dl", "\\l postgres")]
WRITE = "--write" in sys.argv
if WRITE:
    sys.argv.remove("--write")


def psql(port, *args):
    env = dict(os.environ, PGPASSWORD="postgres", PAGER="", PSQL_PAGER="", LC_ALL="C.UTF-8")
    return subprocess.run(["psql", "-X", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                           "-d", "postgres", *args], env=env, capture_output=True, text=True,
                          timeout=60)


def body(server, check):
    r = psql(server.port, "-v", "ON_ERROR_STOP=1", "-q", "-f", os.path.join(HERE, "schema.sql"))
    check("schema", r.returncode == 0, r.stderr)
    for name, command in COMMANDS:
        r = psql(server.port, "-c", command)
        out = r.stdout + r.stderr
        path = os.path.join(HERE, name + ".out")
        if WRITE:
            with open(path, "w") as f:
                f.write(out)
            continue
        with open(path) as f:
            want = f.read()
        check(command, out == want, "\n--- got\n%s--- want\n%s" % (out, want))


if __name__ == "__main__":
    sys.exit(run(__doc__.splitlines()[0], body))
