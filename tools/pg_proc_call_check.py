#!/usr/bin/python3
"""Which functions that a server's pg_proc lists cannot be called with arguments of their
declared types (what sqlsmith trips on: it calls what pg_proc lists).

  tools/pg_proc_call_check.py --port 55440 [--host 127.0.0.1] [--list] [--category]
  tools/pg_proc_call_check.py --server build/release/activestore --list

Reads every pg_catalog function of the server's pg_proc (proname, proargtypes, prokind,
proretset, provariadic) and calls it as tools/gen_builtin_catalog.py probes (the same probe
statements): `EXPLAIN SELECT pg_catalog.f(NULL::t1, ...)` (FROM f(...) for a set-returning one,
OVER () for a window function, over a one-row VALUES list for an aggregate, WITHIN GROUP for an
ordered-set one), polymorphic
parameters as integer / integer[] / ROW(1, 'a'). A function whose call fails with one of 42883,
42725, 42846, 42804, 42601, 0A000, 42704, 42P18 cannot be called; any other outcome (it binds,
or a run-time error) means it can. A function with a parameter no SQL value has (internal,
"any" in a non-variadic position, the handlers' pseudo-types) is counted apart: PostgreSQL
cannot call it from SQL either. Prints the counts (listed, callable, not callable, not callable
in PostgreSQL either) and, with --list, each function that cannot be called, grouped by what
it is (a type's I/O function, an aggregate's support function, other). Against PostgreSQL 15
(--port 5432, PGPASSWORD) every listed function with SQL-valued parameters is callable.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

NOT_CALLABLE = {"42883", "42725", "42846", "42804", "42601", "0A000", "42704", "42P18"}
# Polymorphic parameters: what a call passes for them.
PROBE_AS = {
    "anyelement": "integer", "anynonarray": "integer", "anycompatible": "integer",
    "anycompatiblenonarray": "integer", '"any"': "integer", "anyarray": "integer[]",
    "anycompatiblearray": "integer[]", "record": "ROW(1, 'a')",
}
# Parameters no SQL value has: such a function cannot be called from SQL at all.
NO_SQL_VALUE = {"internal", "language_handler", "fdw_handler", "index_am_handler",
                "table_am_handler", "tsm_handler", "event_trigger", "trigger", "pg_ddl_command",
                "anyenum", "anyrange", "anymultirange", "anycompatiblerange",
                "anycompatiblemultirange", "void", "unknown"}

QUERY = """
SELECT p.oid, p.proname, p.prokind, p.proretset, p.provariadic,
       ARRAY(SELECT format_type(a, NULL)
             FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS u(a, n) ORDER BY n) AS args,
       format_type(p.prorettype, NULL) AS rettype,
       EXISTS (SELECT 1 FROM pg_type t WHERE t.typinput = p.oid OR t.typoutput = p.oid
                OR t.typreceive = p.oid OR t.typsend = p.oid OR t.typmodin = p.oid
                OR t.typmodout = p.oid) AS type_io,
       EXISTS (SELECT 1 FROM pg_aggregate g WHERE p.oid IN (g.aggtransfn, g.aggfinalfn,
                g.aggcombinefn, g.aggserialfn, g.aggdeserialfn, g.aggmtransfn,
                g.aggminvtransfn, g.aggmfinalfn)) AS agg_support,
       (SELECT g.aggkind FROM pg_aggregate g WHERE g.aggfnoid = p.oid) AS aggkind,
       (SELECT g.aggnumdirectargs FROM pg_aggregate g WHERE g.aggfnoid = p.oid) AS ndirect
FROM pg_proc p
WHERE p.pronamespace = 'pg_catalog'::regnamespace
ORDER BY p.oid"""


def call_statement(name, kind, retset, variadic, args, aggkind=None, ndirect=0):
    """The probe statement, or None if a parameter has no SQL value."""
    vals = []
    for i, t in enumerate(args):
        if t in NO_SQL_VALUE or (t == '"any"' and not variadic):
            return None
        v = PROBE_AS.get(t)
        if v is None:
            v = "NULL::" + t
        elif not v.startswith("ROW"):
            v = "NULL::" + v
        vals.append(v)
    if variadic and args and args[-1].endswith("[]") and args[-1] != "anyarray":
        vals[-1] = "NULL::" + args[-1][:-2]  # VARIADIC t[]: one argument of the element type
    fn = 'pg_catalog."%s"' % name.replace('"', '""')
    call = "%s(%s)" % (fn, ", ".join(vals))
    if kind == "a" and aggkind in ("o", "h"):
        # An ordered-set or hypothetical-set aggregate: f(direct) WITHIN GROUP (ORDER BY ...).
        direct = vals[:ndirect]
        ordered = vals[ndirect:] if aggkind == "o" else vals[:ndirect]
        return "EXPLAIN SELECT %s(%s) WITHIN GROUP (ORDER BY %s) FROM (VALUES (1)) v(x)" % (
            fn, ", ".join(direct), ", ".join(ordered))
    if kind == "a":
        return "EXPLAIN SELECT %s(%s) FROM (VALUES (1)) v(x)" % (fn, ", ".join(vals) or "*")
    if kind == "w":
        return "EXPLAIN SELECT %s OVER ()" % call
    if retset:
        return "EXPLAIN SELECT * FROM %s" % call
    return "EXPLAIN SELECT %s" % call


def check(conn):
    """(rows, results): each row of QUERY with its outcome: 'ok', 'no-sql' or the SQLSTATE."""
    import psycopg2

    cur = conn.cursor()
    cur.execute(QUERY)
    procs = cur.fetchall()
    out = []
    for (oid, name, kind, retset, variadic, args, rettype, type_io, agg_support, aggkind,
         ndirect) in procs:
        stmt = None
        if kind != "p" and rettype not in ("internal", "trigger", "event_trigger"):
            stmt = call_statement(name, kind, retset, variadic != 0, args, aggkind, ndirect or 0)
        outcome = "no-sql"
        if stmt is not None:
            outcome = "ok"
            try:
                cur.execute(stmt)
                cur.fetchall()
            except psycopg2.Error as e:
                if conn.closed:
                    raise RuntimeError("server closed the connection on: " + stmt)
                if e.pgcode in NOT_CALLABLE:
                    outcome = e.pgcode
        what = "type I/O" if type_io else "aggregate support" if agg_support else "other"
        out.append((oid, name, args, rettype, what, outcome, stmt))
    return out


def report(results, show_list):
    listed = len(results)
    callable_ = sum(1 for r in results if r[5] == "ok")
    no_sql = sum(1 for r in results if r[5] == "no-sql")
    bad = [r for r in results if r[5] not in ("ok", "no-sql")]
    print("pg_proc lists %d functions: %d callable, %d not callable, %d with parameters (or a "
          "result) no SQL value has" % (listed, callable_, len(bad), no_sql))
    for what in ("type I/O", "aggregate support", "other"):
        group = [r for r in bad if r[4] == what]
        print("  not callable, %s: %d" % (what, len(group)))
        if show_list:
            for oid, name, args, rettype, _, code, _ in group:
                print("    %s %s(%s) -> %s: %s" % (oid, name, ", ".join(args), rettype, code))
    return len(bad)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int)
    ap.add_argument("--server", help="start this ActiveStore binary on a free port instead")
    ap.add_argument("--list", action="store_true", help="list the functions not callable")
    args = ap.parse_args()
    import psycopg2

    if args.server:
        from client_harness import run

        def body(server, chk):
            conn = psycopg2.connect(host="127.0.0.1", port=server.port, user="postgres",
                                    dbname="postgres", sslmode="disable")
            conn.autocommit = True
            report(check(conn), args.list)
            chk("probe", True)

        return run("pg_proc call check", body, argv=["--server", args.server])
    conn = psycopg2.connect(host=args.host, port=args.port, user="postgres",
                            password=os.environ.get("PGPASSWORD", "postgres"),
                            dbname="postgres", sslmode="disable")
    conn.autocommit = True
    report(check(conn), args.list)
    return 0


if __name__ == "__main__":
    sys.exit(main())
