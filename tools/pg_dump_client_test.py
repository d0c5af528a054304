#!/usr/bin/python3
"""pg_dump 15 and pg_restore dump ActiveStore, and the dumps restore into PostgreSQL 15 and
into ActiveStore with the same schema and data.

  tools/pg_dump_client_test.py --server build/dev/activestore [--reference tools/pg_shim.py]

Starts the server under test and a reference PostgreSQL 15 (tools/pg_shim.py, which runs the
postgresql-15 package's server), each with a fresh temporary data directory. Loads the
reference schema (sql-tests/catalog/psql/schema.sql), some rows and a table with generated
columns into both, as database `src`. Then, from the server under test:
- `pg_dump --schema-only`, a plain full dump and a `-Fc` dump all succeed;
- the plain dump restores with psql (ON_ERROR_STOP) into a new database on the reference server,
  and the `-Fc` dump with pg_restore into another;
- each restored database, dumped again by the reference server's pg_dump, equals the dump of
  `src` on the reference server (schema and data), so the dump lost nothing and added nothing;
- the plain dump also restores into a new database on the server under test, whose row counts
  and contents per table match.
The last line is `N passed, N failed`; exit code 1 if any failed.
"""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run_with_reference  # noqa: E402  (same folder)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = os.path.join(ROOT, "sql-tests", "catalog", "psql", "schema.sql")
DATA = """
INSERT INTO parent (id, name) VALUES (1, 'one'), (2, 'two'), (3, 'it''s "three"');
INSERT INTO t (id, code, price, parent_id) VALUES (10, 'a', 1.50, 1), (11, 'b', NULL, 2),
  (12, 'c', 99.99, NULL);
INSERT INTO s2.items (ident, t_id, label, amount) VALUES (1, 10, 'tab\tand\\\\backslash', 3.25),
  (2, 11, NULL, NULL);
SELECT setval('seq1', 42);
CREATE TABLE gen (id integer PRIMARY KEY, a integer,
  b integer GENERATED ALWAYS AS (a * 2) STORED, c text GENERATED ALWAYS AS ('#' || id::text) STORED);
INSERT INTO gen (id, a) VALUES (1, 5), (2, NULL);
"""
TABLES = ["parent", "t", "s2.items", "s2.other", "inh_parent", "inh_child", "inh_child2", "gen"]
ENV = dict(os.environ, PGPASSWORD="postgres", LC_ALL="C.UTF-8")


def psql(port, db, *args, stdin=None):
    return subprocess.run(["psql", "-X", "-q", "-h", "127.0.0.1", "-p", str(port), "-U",
                           "postgres", "-d", db, "-v", "ON_ERROR_STOP=1", *args], env=ENV,
                          input=stdin, capture_output=True, text=True, timeout=300)


def pg_dump(port, db, *args):
    return subprocess.run(["pg_dump", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                           *args, db], env=ENV, capture_output=True, timeout=300)


def normalized(dump_bytes):
    """A plain dump without the lines that name the dumping server or time."""
    text = dump_bytes.decode()
    text = re.sub(r"^-- Dumped (from database|by pg_dump) version .*$", "", text, flags=re.M)
    # pg_dump 15.14 and later fence the script with a random \restrict key.
    text = re.sub(r"^\\(un)?restrict .*$", "", text, flags=re.M)
    return text


def body(server, reference, tmp, check):
    sp, rp = server.port, reference.port
    for port in (sp, rp):
        r = psql(port, "postgres", "-c", "CREATE DATABASE src")
        check("create src on %d" % port, r.returncode == 0, r.stderr)
        r = psql(port, "src", "-f", SCHEMA)
        check("schema on %d" % port, r.returncode == 0, r.stderr)
        r = psql(port, "src", stdin=DATA)
        check("data on %d" % port, r.returncode == 0, r.stderr)

    schema_only = pg_dump(sp, "src", "--schema-only")
    check("pg_dump --schema-only", schema_only.returncode == 0, schema_only.stderr.decode())
    plain = pg_dump(sp, "src")
    check("pg_dump plain", plain.returncode == 0, plain.stderr.decode())
    custom_path = os.path.join(tmp, "src.dump")
    custom = pg_dump(sp, "src", "-Fc", "-f", custom_path)
    check("pg_dump -Fc", custom.returncode == 0, custom.stderr.decode())

    want = pg_dump(rp, "src")
    check("reference dump", want.returncode == 0, want.stderr.decode())
    want_text = normalized(want.stdout)

    # The plain dump into PostgreSQL.
    psql(rp, "postgres", "-c", "CREATE DATABASE from_plain")
    r = psql(rp, "from_plain", stdin=plain.stdout.decode())
    check("plain dump restores into PostgreSQL", r.returncode == 0, r.stderr)
    again = pg_dump(rp, "from_plain")
    got = normalized(again.stdout)
    check("plain dump round trip equals PostgreSQL's own dump", got == want_text,
          diff_text(want_text, got))

    # The -Fc dump with pg_restore into PostgreSQL.
    psql(rp, "postgres", "-c", "CREATE DATABASE from_custom")
    r = subprocess.run(["pg_restore", "-h", "127.0.0.1", "-p", str(rp), "-U", "postgres", "-d",
                        "from_custom", "--exit-on-error", custom_path], env=ENV,
                       capture_output=True, text=True, timeout=300)
    check("pg_restore -Fc into PostgreSQL", r.returncode == 0, r.stderr)
    again = pg_dump(rp, "from_custom")
    got = normalized(again.stdout)
    check("-Fc round trip equals PostgreSQL's own dump", got == want_text,
          diff_text(want_text, got))

    # The plain dump into ActiveStore.
    psql(sp, "postgres", "-c", "CREATE DATABASE restored")
    r = psql(sp, "restored", stdin=plain.stdout.decode())
    check("plain dump restores into ActiveStore", r.returncode == 0, r.stderr)
    for table in TABLES:
        q = "COPY (SELECT * FROM ONLY %s ORDER BY 1, 2) TO STDOUT" % table
        a = psql(sp, "src", "-c", q)
        b = psql(sp, "restored", "-c", q)
        check("rows of %s after restore" % table, a.returncode == 0 and a.stdout == b.stdout,
              "%s %s / %s %s" % (a.stdout, a.stderr, b.stdout, b.stderr))

def diff_text(want, got):
    import difflib
    lines = list(difflib.unified_diff(want.splitlines(), got.splitlines(), "postgresql",
                                      "round trip", lineterm="", n=1))
    return "\n" + "\n".join(lines[:80])


if __name__ == "__main__":
    sys.exit(run_with_reference(__doc__.splitlines()[0], body))
