#!/usr/bin/python3
"""PostgreSQL 15's built-in catalog rows (functions, operators, casts, aggregates, operator
classes, type I/O functions) as the TSV files of common/builtin_catalog/, each function,
operator and cast marked with whether ActiveStore implements it.

Drivers and tools hard-code the oids of built-in objects and read them from pg_proc,
pg_operator and pg_cast (pg_dump, sqlsmith, Npgsql, psqlODBC). ActiveStore's pg_catalog lists
the rows of these files that it implements (common/builtin_catalog.h).

  # regenerate from a PostgreSQL 15 server and a running ActiveStore (the `implemented` column
  # comes from asking ActiveStore, the rest from PostgreSQL):
  tools/gen_builtin_catalog.py --pg "host=127.0.0.1 user=postgres password=postgres" \\
      --activestore-port 55440
  # recompute only the `implemented` column (no PostgreSQL needed; run after adding a function):
  tools/gen_builtin_catalog.py --update --activestore-port 55440
  # the test: start ActiveStore and fail when a row's `implemented` is not what the server does
  tools/gen_builtin_catalog.py --check --server build/dev/activestore

A function is implemented when `EXPLAIN SELECT f(NULL::t1, ...)` binds (an aggregate over a
VALUES list, a window function with OVER ()), polymorphic parameters probed with integer and
integer[]; an operator when `EXPLAIN SELECT NULL::l OPERATOR(pg_catalog.op) NULL::r` binds; a
cast when `EXPLAIN SELECT CAST(NULL::s AS t)` does. Errors 42883, 42725, 42846, 42804, 42601,
0A000 and 42704 mean "not implemented"; any other outcome means the call bound.
"""

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "common", "builtin_catalog")
NOT_IMPLEMENTED = {"42883", "42725", "42846", "42804", "42601", "0A000", "42704", "42P18"}

# Each file: the query that produces it (PostgreSQL 15), ordered by its key.
QUERIES = {
    "pg_proc": """
SELECT p.oid, proname, prokind, prorettype, array_to_string(proargtypes::oid[], ' ') AS proargtypes,
       proallargtypes::text, proargmodes::text, proargnames::text, provariadic, proretset, proisstrict, provolatile,
       proparallel, procost, prorows, pronargdefaults,
       pg_get_expr(proargdefaults, 0) AS proargdefaults, prosrc, proleakproof, prosupport::oid,
       prolang, probin
FROM pg_proc p WHERE pronamespace = 'pg_catalog'::regnamespace AND p.oid < 16384
ORDER BY p.oid""",
    "pg_operator": """
SELECT oid, oprname, oprkind, oprcanmerge, oprcanhash, oprleft, oprright, oprresult, oprcom,
       oprnegate, oprcode::oid, oprrest::oid, oprjoin::oid
FROM pg_operator WHERE oid < 16384 ORDER BY oid""",
    "pg_cast": """
SELECT oid, castsource, casttarget, castfunc, castcontext, castmethod
FROM pg_cast WHERE oid < 16384 ORDER BY oid""",
    "pg_aggregate": """
SELECT aggfnoid::oid, aggkind, aggnumdirectargs, aggtransfn::oid, aggfinalfn::oid,
       aggcombinefn::oid, aggserialfn::oid, aggdeserialfn::oid, aggmtransfn::oid,
       aggminvtransfn::oid, aggmfinalfn::oid, aggfinalextra, aggmfinalextra, aggfinalmodify,
       aggmfinalmodify, aggsortop, aggtranstype, aggtransspace, aggmtranstype, aggmtransspace,
       agginitval, aggminitval
FROM pg_aggregate WHERE aggfnoid::oid < 16384 ORDER BY 1""",
    "pg_type": """
SELECT oid, format_type(oid, NULL), typname, typlen, typbyval, typtype, typcategory, typalign,
       typstorage, typelem, typsubscript::oid, typinput::oid, typoutput::oid,
       typreceive::oid, typsend::oid, typmodin::oid, typmodout::oid, typanalyze::oid
FROM pg_type WHERE oid < 16384 AND typnamespace = 'pg_catalog'::regnamespace ORDER BY oid""",
    "pg_am": """
SELECT oid, amname, amhandler::oid, amtype FROM pg_am WHERE oid < 16384 ORDER BY oid""",
    "pg_opfamily": """
SELECT oid, opfmethod, opfname FROM pg_opfamily WHERE oid < 16384 ORDER BY oid""",
    "pg_opclass": """
SELECT oid, opcmethod, opcname, opcfamily, opcintype, opcdefault, opckeytype
FROM pg_opclass WHERE oid < 16384 ORDER BY oid""",
    "pg_amop": """
SELECT oid, amopfamily, amoplefttype, amoprighttype, amopstrategy, amoppurpose, amopopr,
       amopmethod, amopsortfamily
FROM pg_amop WHERE oid < 16384 ORDER BY oid""",
    "pg_amproc": """
SELECT oid, amprocfamily, amproclefttype, amprocrighttype, amprocnum, amproc::oid
FROM pg_amproc WHERE oid < 16384 ORDER BY oid""",
    # Comments on built-in objects: every function, operator, type and access method (the
    # server lists those it has), and the languages, collations and extension ActiveStore has
    # (planner/pg_catalog: pg_language, pg_collation, pg_extension).
    "pg_description": """
SELECT objoid, classoid, objsubid, description FROM pg_description
WHERE objoid < 16384
  AND (classoid IN ('pg_proc'::regclass, 'pg_operator'::regclass, 'pg_type'::regclass,
                    'pg_am'::regclass)
       OR (classoid = 'pg_language'::regclass AND objoid IN (12, 13, 14, 13563))
       OR (classoid = 'pg_collation'::regclass AND objoid IN (100, 950, 951))
       OR (classoid = 'pg_extension'::regclass AND objoid = 13559))
ORDER BY classoid, objoid, objsubid""",
    # The SQL key words (pg_get_keywords): word, category code, whether it may be a bare
    # column label.
    "pg_keywords": """
SELECT word, catcode, barelabel FROM pg_get_keywords() ORDER BY word""",
    "pg_range": """
SELECT rngtypid, rngsubtype, rngmultitypid, rngcollation, rngsubopc, rngcanonical::oid,
       rngsubdiff::oid
FROM pg_range ORDER BY 1""",
}
# The files whose rows carry an `implemented` column (last), found by probing ActiveStore.
PROBED = ("pg_proc", "pg_operator", "pg_cast")

# Polymorphic and pseudo types: what a probe passes for them (None: cannot be probed).
PROBE_AS = {
    2283: "integer", 2776: "integer", 5077: "integer", 5079: "integer", 2276: "integer",
    2277: "integer[]", 5078: "integer[]", 2249: "ROW(1, 'a')",
}
UNPROBED = {2281, 3831, 4537, 5080, 5081, 3500, 2279, 3838, 3115, 325, 3310, 269, 2280,
            2282, 4538, 2287, 2278}


def tsv_escape(v):
    if v is None:
        return "\\N"
    if isinstance(v, bool):
        return "t" if v else "f"
    s = str(v)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def read_tsv(name):
    with open(os.path.join(OUT, name + ".tsv")) as f:
        lines = f.read().split("\n")
    header = lines[0].split("\t")
    return header, [ln.split("\t") for ln in lines[1:] if ln]


def write_tsv(name, header, rows):
    with open(os.path.join(OUT, name + ".tsv"), "w") as f:
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")


def dump_pg(dsn):
    import psycopg2

    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    cur = conn.cursor()
    os.makedirs(OUT, exist_ok=True)
    for name, sql in QUERIES.items():
        cur.execute(sql)
        header = [d.name for d in cur.description]
        rows = [[tsv_escape(v) for v in r] for r in cur.fetchall()]
        if name in PROBED:
            header.append("implemented")
            rows = [r + ["f"] for r in rows]
        write_tsv(name, header, rows)
        print("%s: %d rows" % (name, len(rows)))


def type_names():
    header, rows = read_tsv("pg_type")
    return {int(r[0]): r[1] for r in rows}


def null_of(oid, names):
    if oid in PROBE_AS:
        s = PROBE_AS[oid]
        return s if s.startswith("ROW") else "NULL::" + s
    if oid in UNPROBED or oid not in names:
        return None
    return "NULL::" + names[oid]


def probe_statements():
    """(file, row index, statement) for every probed row: None if it cannot be probed, a tuple
    of alternative spellings for an operator."""
    names = type_names()
    out = []
    header, rows = read_tsv("pg_proc")
    col = {h: i for i, h in enumerate(header)}
    aggs = {r[0]: r for r in read_tsv("pg_aggregate")[1]}
    for i, r in enumerate(rows):
        argtypes = [int(a) for a in r[col["proargtypes"]].split(" ") if a]
        rettype = int(r[col["prorettype"]])
        kind = r[col["prokind"]]
        args = [null_of(a, names) for a in argtypes]
        stmt = None
        if None not in args and rettype not in UNPROBED - {2278, 2249, 2275}:
            variadic = int(r[col["provariadic"]])
            if variadic not in (0, 2276) and args:
                # VARIADIC t[]: one argument of the element type
                elem = {1009: "text", 1007: "integer", 1022: "double precision",
                        1231: "numeric", 2277: "integer"}.get(argtypes[-1])
                if elem is None:
                    elem = names.get(variadic)
                args[-1] = "NULL::" + elem if elem else None
            name = '"%s"' % r[col["proname"]].replace('"', '""')
            if None in args:
                stmt = None
            elif kind == "f" and r[col["proretset"]] == "t":
                stmt = "EXPLAIN SELECT * FROM %s(%s)" % (name, ", ".join(args))
            elif kind == "f":
                stmt = "EXPLAIN SELECT %s(%s)" % (name, ", ".join(args))
            elif kind == "w":
                stmt = "EXPLAIN SELECT %s(%s) OVER ()" % (name, ", ".join(args))
            elif kind == "a":
                agg = aggs.get(r[0])
                ndirect = int(agg[2]) if agg else 0
                if agg and agg[1] in ("o", "h"):
                    direct, ordered = args[:ndirect], args[ndirect:]
                    if agg[1] == "h":
                        ordered = args[:ndirect]
                    stmt = ("EXPLAIN SELECT %s(%s) WITHIN GROUP (ORDER BY %s) "
                            "FROM (VALUES (1)) v(x)" % (name, ", ".join(direct),
                                                         ", ".join(ordered)))
                else:
                    stmt = "EXPLAIN SELECT %s(%s) FROM (VALUES (1)) v(x)" % (
                        name, ", ".join(args) if args else "*")
        out.append(("pg_proc", i, stmt))
    header, rows = read_tsv("pg_operator")
    for i, r in enumerate(rows):
        op, kind, left, right = r[1], r[2], int(r[5]), int(r[6])
        ln, rn = null_of(left, names), null_of(right, names)
        stmt = None
        if kind == "b" and ln and rn:
            stmt = ("EXPLAIN SELECT %s OPERATOR(pg_catalog.%s) %s" % (ln, op, rn),
                    "EXPLAIN SELECT %s %s %s" % (ln, op, rn))
        elif kind == "l" and rn:
            stmt = ("EXPLAIN SELECT OPERATOR(pg_catalog.%s) %s" % (op, rn),
                    "EXPLAIN SELECT %s %s" % (op, rn))
        out.append(("pg_operator", i, stmt))
    header, rows = read_tsv("pg_cast")
    for i, r in enumerate(rows):
        s, t = int(r[1]), int(r[2])
        stmt = None
        if s in names and t in names and s not in UNPROBED and t not in UNPROBED:
            stmt = "EXPLAIN SELECT CAST(NULL::%s AS %s)" % (names[s], names[t])
        out.append(("pg_cast", i, stmt))
    return out


def probe(port):
    """{(file, row index): implemented} from the server on `port`."""
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", password="postgres",
                            dbname="postgres", sslmode="disable")
    conn.autocommit = True
    cur = conn.cursor()
    result = {}
    for name, i, stmt in probe_statements():
        ok = False
        # An operator has two spellings: OPERATOR(pg_catalog.op), then the bare operator.
        for s in (stmt if isinstance(stmt, tuple) else (stmt,)) if stmt is not None else ():
            code = None
            try:
                cur.execute(s)
                cur.fetchall()
            except psycopg2.Error as e:
                if conn.closed:
                    raise RuntimeError("server closed the connection on: " + s)
                code = e.pgcode
            ok = code not in NOT_IMPLEMENTED
            if code != "42601":
                break
        result[(name, i)] = ok
    conn.close()
    return result


def apply(result, write):
    """Compare (and with write, store) the implemented column; returns the mismatches."""
    mismatches = []
    for name in PROBED:
        header, rows = read_tsv(name)
        for i, r in enumerate(rows):
            want = "t" if result[(name, i)] else "f"
            if r[-1] != want:
                mismatches.append("%s oid %s (%s): file says %s, server %s" %
                                  (name, r[0], r[1], r[-1], want))
                r[-1] = want
        if write:
            write_tsv(name, header, rows)
    return mismatches


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pg", help="libpq DSN of a PostgreSQL 15 server: regenerate every file")
    ap.add_argument("--activestore-port", type=int)
    ap.add_argument("--update", action="store_true", help="recompute `implemented` only")
    ap.add_argument("--check", action="store_true", help="the test: compare, do not write")
    ap.add_argument("--server", help="with --check: start this ActiveStore binary")
    args = ap.parse_args()
    if args.check:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from client_harness import run

        def body(server, check):
            mismatches = apply(probe(server.port), write=False)
            for m in mismatches[:50]:
                print(m)
            check("implemented column matches the server", not mismatches,
                  "%d rows differ: run tools/gen_builtin_catalog.py --update "
                  "--activestore-port PORT against this build" % len(mismatches))

        return run("builtin catalog check", body, argv=["--server", args.server])
    if args.pg:
        dump_pg(args.pg)
    if args.activestore_port:
        mismatches = apply(probe(args.activestore_port), write=True)
        print("%d implemented flags changed" % len(mismatches))
    return 0


if __name__ == "__main__":
    sys.exit(main())
