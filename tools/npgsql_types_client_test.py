#!/usr/bin/python3
"""Npgsql's type-loading queries (what Power BI, Excel and every .NET client run at connect)
run on ActiveStore and return the rows PostgreSQL 15 returns.

  tools/npgsql_types_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir, creates the reference
schema of sql-tests/catalog/psql/schema.sql plus an enum, a domain and a composite type, and
sends Npgsql 7's batch (PostgresDatabaseInfo.LoadBackendTypes for a PostgreSQL 15 server:
version(), the types query with ranges and multiranges, the composite fields query and the enum
labels query) in one simple-protocol message, as Npgsql does. Every statement of the batch must
succeed. The types are compared with sql-tests/catalog/npgsql/types.out, taken from PostgreSQL
15 (`--server tools/pg_shim.py --write` writes it again), as sorted lines that name types by
schema and name instead of oid (user types get different oids on each server). The last line
is `N passed, N failed`; exit code 1 if any failed.
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import expected_output, run  # noqa: E402  (same folder)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = os.path.join(ROOT, "sql-tests", "catalog", "psql", "schema.sql")
EXPECTED = os.path.join(ROOT, "sql-tests", "catalog", "npgsql", "types.out")
WRITE = "--write" in sys.argv
if WRITE:
    sys.argv.remove("--write")

EXTRA = """
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN posint AS integer NOT NULL CHECK (VALUE > 0);
"""
COMPOSITE = "CREATE TYPE pair AS (a integer, b text);"

# Npgsql 7 (src/Npgsql/PostgresDatabaseInfo.cs), GenerateLoadTypesQuery(withRange: true,
# withMultirange: true, loadTableComposites: false), then the composite and enum queries.
VERSION_QUERY = "SELECT version();"
TYPES_QUERY = """
SELECT ns.nspname, t.oid, t.typname, t.typtype, t.typnotnull, t.elemtypoid
FROM (
    -- Arrays have typtype=b - this subquery identifies them by their typreceive and converts their typtype to a
    -- We first do this for the type (innerest-most subquery), and then for its element type
    -- This also returns the array element, range subtype and domain base type as elemtypoid
    SELECT
        typ.oid, typ.typnamespace, typ.typname, typ.typtype, typ.typrelid, typ.typnotnull, typ.relkind,
        elemtyp.oid AS elemtypoid, elemtyp.typname AS elemtypname, elemcls.relkind AS elemrelkind,
        CASE WHEN elemproc.proname='array_recv' THEN 'a' ELSE elemtyp.typtype END AS elemtyptype
    FROM (
        SELECT typ.oid, typnamespace, typname, typrelid, typnotnull, relkind, typelem AS elemoid,
            CASE WHEN proc.proname='array_recv' THEN 'a' ELSE typ.typtype END AS typtype,
            CASE
                WHEN proc.proname='array_recv' THEN typ.typelem
                WHEN typ.typtype='r' THEN rngsubtype
                WHEN typ.typtype='m' THEN (SELECT rngtypid FROM pg_range WHERE rngmultitypid = typ.oid)
                WHEN typ.typtype='d' THEN typ.typbasetype
            END AS elemtypoid
        FROM pg_type AS typ
        LEFT JOIN pg_class AS cls ON (cls.oid = typ.typrelid)
        LEFT JOIN pg_proc AS proc ON proc.oid = typ.typreceive
        LEFT JOIN pg_range ON (pg_range.rngtypid = typ.oid)
    ) AS typ
    LEFT JOIN pg_type AS elemtyp ON elemtyp.oid = elemtypoid
    LEFT JOIN pg_class AS elemcls ON (elemcls.oid = elemtyp.typrelid)
    LEFT JOIN pg_proc AS elemproc ON elemproc.oid = elemtyp.typreceive
) AS t
JOIN pg_namespace AS ns ON (ns.oid = typnamespace)
WHERE
    typtype IN ('b', 'r', 'm', 'e', 'd') OR -- Base, range, multirange, enum, domain
    (typtype = 'c' AND relkind='c') OR -- User-defined free-standing composites (not table composites) by default
    (typtype = 'p' AND typname IN ('record', 'void')) OR -- Some special supported pseudo-types
    (typtype = 'a' AND (  -- Array of...
        elemtyptype IN ('b', 'r', 'm', 'e', 'd') OR -- Array of base, range, multirange, enum, domain
        (elemtyptype = 'p' AND elemtypname IN ('record', 'void')) OR -- Arrays of special supported pseudo-types
        (elemtyptype = 'c' AND elemrelkind='c') -- Array of user-defined free-standing composites (not table composites) by default
    ))
ORDER BY CASE
       WHEN typtype IN ('b', 'e', 'p') THEN 0           -- First base types, enums, pseudo-types
       WHEN typtype = 'r' THEN 1                        -- Ranges after
       WHEN typtype = 'm' THEN 2                        -- Multiranges after
       WHEN typtype = 'c' THEN 3                        -- Composites after
       WHEN typtype = 'd' AND elemtyptype <> 'a' THEN 4 -- Domains over non-arrays after
       WHEN typtype = 'a' THEN 5                        -- Arrays after
       WHEN typtype = 'd' AND elemtyptype = 'a' THEN 6  -- Domains over arrays last
END;"""
COMPOSITE_QUERY = """
-- Load field definitions for (free-standing) composite types
SELECT typ.oid, att.attname, att.atttypid
FROM pg_type AS typ
JOIN pg_namespace AS ns ON (ns.oid = typ.typnamespace)
JOIN pg_class AS cls ON (cls.oid = typ.typrelid)
JOIN pg_attribute AS att ON (att.attrelid = typ.typrelid)
WHERE
  (typ.typtype = 'c' AND cls.relkind='c') AND
  attnum > 0 AND     -- Don't load system attributes
  NOT attisdropped
ORDER BY typ.oid, att.attnum;"""
ENUM_QUERY = """
-- Load enum fields
SELECT pg_type.oid, enumlabel
FROM pg_enum
JOIN pg_type ON pg_type.oid=enumtypid
ORDER BY oid, enumsortorder;"""


def psql(port, *args, stdin=None):
    env = dict(os.environ, PGPASSWORD="postgres")
    return subprocess.run(["psql", "-X", "-q", "-h", "127.0.0.1", "-p", str(port), "-U",
                           "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", *args],
                          input=stdin, env=env, capture_output=True, text=True, timeout=120)


def body(server, check):
    import psycopg2

    r = psql(server.port, "-f", SCHEMA)
    check("schema", r.returncode == 0, r.stderr)
    r = psql(server.port, stdin=EXTRA)
    check("enum and domain", r.returncode == 0, r.stderr)
    r = psql(server.port, stdin=COMPOSITE)
    # Without composite types the rest still runs; the comparison below shows what is missing.
    check("composite type", r.returncode == 0, r.stderr)

    # The whole batch, in one Query message, as Npgsql sends it.
    batch = "\n".join([VERSION_QUERY, TYPES_QUERY, COMPOSITE_QUERY, ENUM_QUERY]) + "\n"
    conn = psycopg2.connect(host="127.0.0.1", port=server.port, user="postgres",
                            password="postgres", dbname="postgres", sslmode="disable")
    conn.autocommit = True
    cur = conn.cursor()
    try:
        cur.execute(batch)  # one simple Query message; psycopg2 keeps the last result
        check("batch", True)
    except psycopg2.Error as e:
        check("batch", False, "%s %s" % (e.pgcode, e.pgerror))
    out = []
    names = {}
    try:
        cur.execute(TYPES_QUERY)
        types = cur.fetchall()
        for nsp, oid, typname, *_ in types:
            names[int(oid)] = "%s.%s" % (nsp, typname)
        order_class = []
        for nsp, oid, typname, typtype, notnull, elem in types:
            order_class.append(typtype)
            out.append("type %s.%s typtype=%s notnull=%s elem=%s" % (
                nsp, typname, typtype, notnull,
                names.get(int(elem), "oid %s" % elem) if elem is not None else None))
        # The ORDER BY: base/enum/pseudo, ranges, multiranges, composites, domains, arrays.
        rank = {"b": 0, "e": 0, "p": 0, "r": 1, "m": 2, "c": 3, "d": 4, "a": 5}
        ranks = [rank.get(t, 9) for t in order_class]
        check("types ordered by kind", ranks == sorted(ranks), str(ranks[:50]))
    except psycopg2.Error as e:
        out.append("types ERROR %s %s" % (e.pgcode, e.pgerror.splitlines()[0]))
    try:
        cur.execute(COMPOSITE_QUERY)
        for oid, attname, atttypid in cur.fetchall():
            out.append("field %s.%s %s" % (names.get(int(oid), oid), attname,
                                            names.get(int(atttypid), atttypid)))
    except psycopg2.Error as e:
        out.append("composite ERROR %s %s" % (e.pgcode, e.pgerror.splitlines()[0]))
    try:
        cur.execute(ENUM_QUERY)
        labels = {}
        for oid, label in cur.fetchall():
            labels.setdefault(names.get(int(oid), oid), []).append(label)
        for t, ls in labels.items():
            out.append("enum %s %s" % (t, ls))
    except psycopg2.Error as e:
        out.append("enum ERROR %s %s" % (e.pgcode, e.pgerror.splitlines()[0]))
    conn.close()
    text = "\n".join(sorted(out)) + "\n"
    want = expected_output(EXPECTED, text, WRITE)
    if want is None:
        return
    got_set, want_set = set(text.splitlines()), set(want.splitlines())
    # Every row ActiveStore returns is PostgreSQL's row for that type, and every user type and
    # every built-in type ActiveStore has is there. Built-in types ActiveStore does not have
    # (geometric, network, ranges, ...) are counted and printed, not failed.
    def key(line):
        parts = line.split(" ")
        return " ".join(parts[:2])
    want_by_key = {key(ln): ln for ln in want_set}
    got_by_key = {key(ln): ln for ln in got_set}
    wrong = sorted(ln for k, ln in got_by_key.items() if want_by_key.get(k) != ln)
    check("rows as PostgreSQL 15's", not wrong,
          "\n  got:  " + "\n  got:  ".join(
              "%s\n  want: %s" % (ln, want_by_key.get(key(ln), "<no such row>"))
              for ln in wrong[:40]))
    user = [k for k in want_by_key if ".pg_catalog" not in k and " pg_catalog." not in k
            and "information_schema." not in k]
    missing_user = sorted(k for k in user if k not in got_by_key)
    check("user types present", not missing_user, str(missing_user))
    absent = sorted(k for k in want_by_key if k not in got_by_key and k not in user)
    print("built-in types of PostgreSQL 15 that ActiveStore does not have: %d of %d: %s" % (
        len(absent), len(want_by_key) - len(user), ", ".join(k.split(" ")[1] for k in absent)))

if __name__ == "__main__":
    sys.exit(run(__doc__.splitlines()[0], body))
