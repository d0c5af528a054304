#!/usr/bin/python3
"""RowDescription names each result column's table and column, as PostgreSQL 15's does.

  tools/row_description_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir and, through psycopg 3's
pgresult (PQftable / PQftablecol, which pgjdbc's ResultSetMetaData.isNullable and
getTableName, psqlODBC and Npgsql read), checks the table oid and attribute number of the
columns of plain, joined, grouped and ordered SELECTs, a view (the view's own columns), a
sequence and a catalog relation, and 0 for expressions and set operations. Against
PostgreSQL: --server tools/pg_shim.py. The last line is `N passed, N failed`; exit code 1 if
any failed.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run  # noqa: E402  (same folder)

import psycopg  # noqa: E402

SETUP = [
    "CREATE TABLE rd_p (id integer PRIMARY KEY, name text NOT NULL)",
    "CREATE TABLE rd_t (id integer PRIMARY KEY, code text, qty integer, p_id integer)",
    "CREATE VIEW rd_v AS SELECT qty, code FROM rd_t",
    "CREATE SEQUENCE rd_s",
]

# (query, per column: (relation or None, attnum))
CASES = [
    ("SELECT id, code FROM rd_t", [("rd_t", 1), ("rd_t", 2)]),
    ("SELECT code AS c, qty FROM rd_t AS x WHERE qty > 0 ORDER BY id LIMIT 5",
     [("rd_t", 2), ("rd_t", 3)]),
    ("SELECT t.code, p.name, t.qty + 1, 1, p.id FROM rd_t t JOIN rd_p p ON p.id = t.p_id",
     [("rd_t", 2), ("rd_p", 2), (None, 0), (None, 0), ("rd_p", 1)]),
    ("SELECT * FROM rd_p", [("rd_p", 1), ("rd_p", 2)]),
    ("SELECT code, count(*) FROM rd_t GROUP BY code", [("rd_t", 2), (None, 0)]),
    ("SELECT DISTINCT qty FROM rd_t", [("rd_t", 3)]),
    ("SELECT code, qty FROM rd_v", [("rd_v", 2), ("rd_v", 1)]),
    ("SELECT last_value FROM rd_s", [("rd_s", 1)]),
    ("SELECT relname, oid FROM pg_catalog.pg_class LIMIT 1", [("pg_class", 2), ("pg_class", 1)]),
    ("SELECT id FROM rd_t UNION SELECT id FROM rd_p", [(None, 0)]),
    ("SELECT 1 AS one, now() IS NOT NULL", [(None, 0), (None, 0)]),
]


def body(server, check):
    conn = psycopg.connect(host="127.0.0.1", port=server.port, user="postgres",
                           dbname="postgres", autocommit=True)
    for sql in SETUP:
        conn.execute(sql)
    for sql, want in CASES:
        oids = {}
        for rel, _ in want:
            if rel is not None and rel not in oids:
                oids[rel] = conn.execute("SELECT %s::regclass::oid", (rel,)).fetchone()[0]
        for prepared in (False, True):
            cur = conn.cursor()
            try:
                cur.execute(sql, prepare=prepared)
            except psycopg.Error as e:
                check(sql, False, "error %s %s" % (e.sqlstate, e))
                continue
            res = cur.pgresult
            got = [(res.ftable(i), res.ftablecol(i)) for i in range(res.nfields)]
            expect = [(oids[rel] if rel else 0, attnum) for rel, attnum in want]
            check("%s%s" % ("prepared: " if prepared else "", sql), got == expect,
                  "got %r want %r" % (got, expect))
    conn.close()


if __name__ == "__main__":
    sys.exit(run(__doc__.splitlines()[0], body))
