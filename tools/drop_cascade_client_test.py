#!/usr/bin/python3
"""What a psycopg2 client sees of DROP ... CASCADE and RESTRICT: PostgreSQL's notices and errors.

  tools/drop_cascade_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir, then checks, with the texts
PostgreSQL 15 sends (dependency.c's reportDependentObjects), that:
  * DROP SCHEMA / TABLE / VIEW / TYPE / DOMAIN / FUNCTION ... CASCADE sends one NOTICE, `drop
    cascades to <object>` for one dependent or `drop cascades to N other objects` with a DETAIL
    line per object, in PostgreSQL's order, objects the search path does not find qualified;
  * parts of what is dropped (indexes, owned sequences, defaults, triggers of a dropped table)
    are not listed;
  * without CASCADE, 2BP01 `cannot drop <object> because other objects depend on it` (or
    `cannot drop desired object(s) ...` for several) with the dependents in the DETAIL and the
    hint, and nothing is dropped;
  * ALTER SCHEMA ... RENAME TO: the notices name the new schema;
  * DROP ... IF EXISTS of a name in a schema that does not exist: `schema "x" does not exist,
    skipping`; types and trigger tables are named as written.
The last line is `N passed, N failed`; exit code 1 if any failed. To check the test against
PostgreSQL: tools/drop_cascade_client_test.py --server tools/pg_shim.py.
"""

import os
import sys

try:
    import psycopg2
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("drop_cascade_client_test.py: psycopg2 is missing (run with /usr/bin/python3)\n")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run, session  # noqa: E402  (same folder)

HINT = "Use DROP ... CASCADE to drop the dependent objects too."

# (name, setup statements, the DROP, expected notices, or expected error (message, detail)).
CASES = [
    ("schema with one table",
     ["CREATE SCHEMA s1", "CREATE TABLE s1.t (a int)"],
     "DROP SCHEMA s1 CASCADE",
     ["NOTICE:  drop cascades to table s1.t\n"], None),
    ("schema: tables, types, views, functions in PostgreSQL's order",
     ["CREATE SCHEMA rs",
      "CREATE TABLE rs.t (id serial PRIMARY KEY, v text)",
      "CREATE TYPE rs.mood AS ENUM ('a', 'b')",
      "CREATE TABLE rs.u (m rs.mood, n int)",
      "CREATE VIEW rs.v AS SELECT id, v FROM rs.t WHERE id > 0",
      "CREATE VIEW public.pv AS SELECT t.id, u.n FROM rs.t t JOIN rs.u u ON t.id = u.n",
      "CREATE FUNCTION rs.f(x int) RETURNS int LANGUAGE sql AS 'SELECT x + 1'",
      "CREATE SEQUENCE rs.sq"],
     "DROP SCHEMA rs CASCADE",
     ["NOTICE:  drop cascades to 7 other objects\n"
      "DETAIL:  drop cascades to table rs.t\n"
      "drop cascades to type rs.mood\n"
      "drop cascades to table rs.u\n"
      "drop cascades to view pv\n"
      "drop cascades to view rs.v\n"
      "drop cascades to function rs.f(integer)\n"
      "drop cascades to sequence rs.sq\n"], None),
    ("schema without CASCADE",
     ["CREATE SCHEMA d1",
      "CREATE TYPE d1.comp AS (a int, b text)",
      "CREATE TABLE d1.tt (c d1.comp, \"X\" int)",
      "CREATE FUNCTION d1.f2(a int, b d1.comp) RETURNS int LANGUAGE sql AS 'SELECT 1'",
      "CREATE DOMAIN d1.dom AS int CHECK (VALUE > 0)",
      "CREATE TABLE public.pt (a d1.dom, b d1.comp[])",
      "CREATE TABLE d1.\"Tab\" (id int PRIMARY KEY)",
      "CREATE TABLE public.fkt (x int REFERENCES d1.\"Tab\", y serial)"],
     "DROP SCHEMA d1",
     None, ("cannot drop schema d1 because other objects depend on it",
            "type d1.comp depends on schema d1\n"
            "column b of table pt depends on type d1.comp[]\n"
            "table d1.tt depends on schema d1\n"
            "function d1.f2(integer,d1.comp) depends on schema d1\n"
            "type d1.dom depends on schema d1\n"
            "column a of table pt depends on type d1.dom\n"
            "table d1.\"Tab\" depends on schema d1\n"
            "constraint fkt_x_fkey on table fkt depends on table d1.\"Tab\"")),
    ("schema: columns, foreign keys of other tables",
     [],
     "DROP SCHEMA d1 CASCADE",
     ["NOTICE:  drop cascades to 8 other objects\n"
      "DETAIL:  drop cascades to type d1.comp\n"
      "drop cascades to column b of table pt\n"
      "drop cascades to table d1.tt\n"
      "drop cascades to function d1.f2(integer,d1.comp)\n"
      "drop cascades to type d1.dom\n"
      "drop cascades to column a of table pt\n"
      "drop cascades to table d1.\"Tab\"\n"
      "drop cascades to constraint fkt_x_fkey on table fkt\n"], None),
    ("table without CASCADE",
     ["CREATE TABLE a1 (id int PRIMARY KEY)",
      "CREATE TABLE a2 (id int REFERENCES a1)",
      "CREATE VIEW av AS SELECT * FROM a1",
      "CREATE VIEW av2 AS SELECT * FROM av"],
     "DROP TABLE a1",
     None, ("cannot drop table a1 because other objects depend on it",
            "constraint a2_id_fkey on table a2 depends on table a1\n"
            "view av depends on table a1\n"
            "view av2 depends on view av")),
    ("several tables without CASCADE",
     [],
     "DROP TABLE a1, a2",
     None, ("cannot drop desired object(s) because other objects depend on them",
            "view av depends on table a1\n"
            "view av2 depends on view av")),
    ("table: foreign key, views over views",
     [],
     "DROP TABLE a1 CASCADE",
     ["NOTICE:  drop cascades to 3 other objects\n"
      "DETAIL:  drop cascades to constraint a2_id_fkey on table a2\n"
      "drop cascades to view av\n"
      "drop cascades to view av2\n"], None),
    ("table: its own parts are not listed",
     ["CREATE TABLE own (id serial PRIMARY KEY, b int UNIQUE, c int CHECK (c > 0), "
      "d int GENERATED ALWAYS AS IDENTITY)",
      "CREATE INDEX ON own (c)"],
     "DROP TABLE own CASCADE",
     [], None),
    ("view with one dependent",
     ["CREATE TABLE vb (a int)", "CREATE VIEW v1 AS SELECT a FROM vb",
      "CREATE VIEW v2 AS SELECT a FROM v1"],
     "DROP VIEW v1 CASCADE",
     ["NOTICE:  drop cascades to view v2\n"], None),
    ("enum: domain, column, function",
     ["CREATE TYPE color AS ENUM ('red', 'green')",
      "CREATE DOMAIN warm AS color",
      "CREATE TABLE paint (c color, w warm)",
      "CREATE FUNCTION pick(c color) RETURNS int LANGUAGE sql AS 'SELECT 1'"],
     "DROP TYPE color",
     None, ("cannot drop type color because other objects depend on it",
            "type warm depends on type color\n"
            "column w of table paint depends on type warm\n"
            "column c of table paint depends on type color\n"
            "function pick(color) depends on type color")),
    ("enum CASCADE",
     [],
     "DROP TYPE color CASCADE",
     ["NOTICE:  drop cascades to 4 other objects\n"
      "DETAIL:  drop cascades to type warm\n"
      "drop cascades to column w of table paint\n"
      "drop cascades to column c of table paint\n"
      "drop cascades to function pick(color)\n"], None),
    ("function: trigger",
     ["CREATE TABLE trg_t (a int)",
      "CREATE FUNCTION trg_f() RETURNS trigger LANGUAGE plpgsql AS "
      "'BEGIN RETURN NEW; END'",
      "CREATE TRIGGER tg BEFORE INSERT ON trg_t FOR EACH ROW EXECUTE FUNCTION trg_f()"],
     "DROP FUNCTION trg_f() CASCADE",
     ["NOTICE:  drop cascades to trigger tg on table trg_t\n"], None),
    ("renamed schema",
     ["CREATE SCHEMA before_name", "CREATE TABLE before_name.t (a int)",
      "CREATE VIEW before_name.v AS SELECT a FROM before_name.t",
      "ALTER SCHEMA before_name RENAME TO after_name"],
     "DROP SCHEMA after_name CASCADE",
     ["NOTICE:  drop cascades to 2 other objects\n"
      "DETAIL:  drop cascades to table after_name.t\n"
      "drop cascades to view after_name.v\n"], None),
    ("schema on the search path",
     ["CREATE SCHEMA onpath", "SET search_path = onpath, public",
      "CREATE TABLE onpath.t (a int)", "CREATE FUNCTION onpath.g() RETURNS int "
      "LANGUAGE sql AS 'SELECT 1'"],
     "DROP SCHEMA onpath CASCADE",
     ["NOTICE:  drop cascades to 2 other objects\n"
      "DETAIL:  drop cascades to table t\n"
      "drop cascades to function g()\n"], None),
    ("IF EXISTS in a schema that does not exist",
     [],
     "DROP TABLE IF EXISTS no_such_schema.foo, public.nosuch",
     ['NOTICE:  schema "no_such_schema" does not exist, skipping\n',
      'NOTICE:  table "nosuch" does not exist, skipping\n'], None),
    ("IF EXISTS: type and trigger names as written",
     [],
     "DROP TYPE IF EXISTS public.nosuch; DROP TRIGGER IF EXISTS x ON public.bar",
     ['NOTICE:  type "public.nosuch" does not exist, skipping\n',
      'NOTICE:  relation "public.bar" does not exist, skipping\n'], None),
]


def body(server, check):
    conn = session(server.port)
    cur = conn.cursor()
    for name, setup, drop, notices, error in CASES:
        for sql in setup:
            cur.execute(sql)
        del conn.notices[:]
        try:
            cur.execute(drop)
            got = list(conn.notices)
            if error is not None:
                check(name, False, "no error; notices %r" % got)
            else:
                check(name, got == notices, "\n got: %r\nwant: %r" % (got, notices))
        except psycopg2.Error as e:
            if error is None:
                check(name, False, "%s %s" % (e.pgcode, e.pgerror))
                continue
            got = (e.pgcode, e.diag.message_primary, e.diag.message_detail, e.diag.message_hint)
            want = ("2BP01", error[0], error[1], HINT)
            check(name, got == want, "\n got: %r\nwant: %r" % (got, want))
            check(name + ": nothing dropped", list(conn.notices) == [], repr(conn.notices))
    cur.execute("RESET search_path")
    # After the cascades: what they dropped is gone, the rest stays.
    cur.execute("SELECT count(*) FROM pg_namespace WHERE nspname IN "
                "('s1', 'rs', 'd1', 'before_name', 'after_name', 'onpath')")
    check("schemas dropped", cur.fetchone() == (0,))
    cur.execute("SELECT relname FROM pg_class WHERE relname IN "
                "('pv', 'pt', 'fkt', 'a2', 'av', 'av2', 'own', 'own_id_seq', 'vb', 'v1', 'v2', "
                "'paint', 'trg_t') ORDER BY relname")
    got = [r[0] for r in cur.fetchall()]
    check("relations left", got == ["a2", "fkt", "paint", "pt", "trg_t", "vb"], repr(got))
    cur.execute("SELECT attname FROM pg_attribute WHERE attrelid = 'pt'::regclass AND attnum > 0 "
                "AND NOT attisdropped")
    check("columns of the dropped types gone", cur.fetchall() == [])
    cur.execute("SELECT count(*) FROM pg_constraint WHERE conrelid = 'fkt'::regclass "
                "AND contype = 'f'")
    check("foreign key gone", cur.fetchone() == (0,))
    cur.execute("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'trg_t'::regclass")
    check("trigger gone", cur.fetchone() == (0,))
    cur.execute("INSERT INTO fkt (x) VALUES (42) RETURNING y")
    check("the table a foreign key went from", cur.fetchone() == (1,))
    conn.close()


if __name__ == "__main__":
    sys.exit(run(__doc__.split("\n")[0], body))
