#!/usr/bin/python3
"""Catalog query speed on a database with many tables, ActiveStore beside PostgreSQL 15
(issue 8: each in less than twice PostgreSQL's time).

  tools/catalog_bench.py --server build/release/activestore \\
      --pg "host=127.0.0.1 port=5432 user=postgres password=postgres" [--tables 1000] [--port P]

Creates --tables tables of 10 columns (a primary key, an index) in a fresh ActiveStore (on
--port or a free port, temporary --data-dir) and in a fresh database `catalog_bench` of the PostgreSQL
server, then times, best of --repeat runs each:
  * psql 15's `\\d t_500`, `\\dt` and `\\df` (the whole psql command, minus the time of
    `psql -c 'SELECT 1'`, which is connection set-up);
  * Npgsql's type-loading query (tools/npgsql_types_client_test.TYPES_QUERY);
  * pgjdbc's getColumns query for one table (information_schema-free, as pgjdbc 42 sends it,
    simplified to its catalog joins);
  * the last two again, each run right after a CREATE TABLE (the first read after DDL).
Prints one line per query: PostgreSQL ms, ActiveStore ms, ratio (ActiveStore / PostgreSQL).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crash_test  # noqa: E402
from crash_test import Server  # noqa: E402
from npgsql_types_client_test import TYPES_QUERY  # noqa: E402

JDBC_COLUMNS = """
SELECT * FROM (SELECT n.nspname,c.relname,a.attname,a.atttypid,a.attnotnull
 OR (t.typtype = 'd' AND t.typnotnull) AS attnotnull,a.atttypmod,a.attlen,t.typtypmod,
 row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS attnum,
 nullif(a.attidentity, '') as attidentity,nullif(a.attgenerated, '') as attgenerated,
 pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS adsrc,dsc.description,t.typbasetype,t.typtype
 FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_class c ON (c.relnamespace = n.oid)
 JOIN pg_catalog.pg_attribute a ON (a.attrelid=c.oid) JOIN pg_catalog.pg_type t ON (a.atttypid = t.oid)
 LEFT JOIN pg_catalog.pg_attrdef def ON (a.attrelid=def.adrelid AND a.attnum = def.adnum)
 LEFT JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)
 LEFT JOIN pg_catalog.pg_class dc ON (dc.oid=dsc.classoid AND dc.relname='pg_class')
 LEFT JOIN pg_catalog.pg_namespace dn ON (dc.relnamespace=dn.oid AND dn.nspname='pg_catalog')
 WHERE c.relkind in ('r','p','v','f','m') and a.attnum > 0 AND NOT a.attisdropped
 AND n.nspname LIKE 'public' AND c.relname LIKE 't_500') c WHERE true
 ORDER BY nspname,c.relname,attnum"""


def psql_ms(dsn_args, command, repeat):
    best = None
    for _ in range(repeat):
        t = time.perf_counter()
        r = subprocess.run(["psql", "-X", "-q", *dsn_args, "-c", command], capture_output=True,
                           text=True, env=dict(os.environ, PGPASSWORD="postgres"), timeout=600)
        ms = (time.perf_counter() - t) * 1000
        if r.returncode != 0:
            raise RuntimeError("%s: %s" % (command, r.stderr))
        best = ms if best is None else min(best, ms)
    return best


def query_ms(conn, sql, repeat, before=None):
    cur = conn.cursor()
    best = None
    for _ in range(repeat):
        if before is not None:
            before(cur)
        t = time.perf_counter()
        cur.execute(sql)
        cur.fetchall()
        ms = (time.perf_counter() - t) * 1000
        best = ms if best is None else min(best, ms)
    return best


def create_schema(conn, n):
    cur = conn.cursor()
    for i in range(n):
        cols = ", ".join("c%d %s" % (k, "integer" if k % 2 else "text") for k in range(1, 10))
        cur.execute("CREATE TABLE t_%d (id bigint PRIMARY KEY, %s)" % (i, cols))
        cur.execute("CREATE INDEX t_%d_c1 ON t_%d (c1)" % (i, i))


def measure(conn, dsn_args, repeat):
    base = psql_ms(dsn_args, "SELECT 1", repeat)
    out = {}
    for cmd in ("\\d t_500", "\\dt", "\\df"):
        out["psql " + cmd] = max(psql_ms(dsn_args, cmd, repeat) - base, 0.0)
    out["Npgsql types query"] = query_ms(conn, TYPES_QUERY, repeat)
    out["pgjdbc getColumns"] = query_ms(conn, JDBC_COLUMNS, repeat)
    # The first run after a DDL statement (each run follows its own CREATE TABLE): what a
    # client sees when it reads the catalog right after a migration.
    ddl = iter(range(1000000))

    def create(cur):
        cur.execute("CREATE TABLE ddl_%d (a integer)" % next(ddl))

    out["Npgsql, after DDL"] = query_ms(conn, TYPES_QUERY, repeat, create)
    out["getColumns, after DDL"] = query_ms(conn, JDBC_COLUMNS, repeat, create)
    return out


def main():
    import psycopg2

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--pg", required=True)
    ap.add_argument("--tables", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--port", type=int, default=0,
                    help="ActiveStore's port (default: a free one)")
    args = ap.parse_args()

    admin = psycopg2.connect(args.pg + " dbname=postgres")
    admin.autocommit = True
    admin.cursor().execute("DROP DATABASE IF EXISTS catalog_bench")
    admin.cursor().execute("CREATE DATABASE catalog_bench")
    pg = psycopg2.connect(args.pg + " dbname=catalog_bench")
    pg.autocommit = True
    create_schema(pg, args.tables)
    pg_params = dict(p.split("=", 1) for p in args.pg.split())
    pg_args = ["-h", pg_params.get("host", "127.0.0.1"), "-p", pg_params.get("port", "5432"),
               "-U", pg_params.get("user", "postgres"), "-d", "catalog_bench"]
    pg_ms = measure(pg, pg_args, args.repeat)
    pg.close()
    admin.cursor().execute("DROP DATABASE catalog_bench")

    if args.port:
        crash_test.free_port = lambda: args.port
    tmp = tempfile.mkdtemp(prefix="catalog_bench_")
    server = Server(os.path.abspath(args.server), os.path.join(tmp, "data"),
                    os.path.join(tmp, "server.log"), [], 60)
    try:
        server.start()
        conn = psycopg2.connect(host="127.0.0.1", port=server.port, user="postgres",
                                password="postgres", dbname="postgres")
        conn.autocommit = True
        create_schema(conn, args.tables)
        as_ms = measure(conn, ["-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres",
                               "-d", "postgres"], args.repeat)
        conn.close()
    finally:
        server.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d tables of 10 columns; best of %d" % (args.tables, args.repeat))
    print("%-22s %12s %12s %8s" % ("query", "PostgreSQL", "ActiveStore", "ratio"))
    for k in pg_ms:
        ratio = as_ms[k] / pg_ms[k] if pg_ms[k] > 0 else float("inf")
        print("%-22s %9.1f ms %9.1f ms %8.2f" % (k, pg_ms[k], as_ms[k], ratio))
    return 0


if __name__ == "__main__":
    sys.exit(main())
