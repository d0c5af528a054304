#!/usr/bin/python3
"""psycopg2 round trip of json and jsonb (psycopg2 turns type oids 114 and 3802 into Python values).

  tools/json_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir, then checks that:
  * json and jsonb results arrive with type oids 114 and 3802 in RowDescription and are parsed
    by psycopg2 into dicts, lists, numbers, strings, booleans and None;
  * psycopg2.extras.Json parameters are stored in json and jsonb columns and read back, and
    filter with @> and ->>;
  * a jsonpath parameter prints in PostgreSQL's canonical form and jsonb_path_query_array reads
    a stored document;
  * pg_type lists json, jsonb and their array types.
The last line is `N passed, N failed`; exit code 1 if any failed. To check the test against
PostgreSQL: tools/json_client_test.py --server tools/pg_shim.py.
"""

import os
import sys

try:
    import psycopg2
    import psycopg2.extras
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("json_client_test.py: psycopg2 is missing (run with /usr/bin/python3)\n")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run  # noqa: E402  (same folder)
from crash_test import connect  # noqa: E402

Json = psycopg2.extras.Json


def body(server, check):
    conn = connect(server.port)
    cur = conn.cursor()
    cur.execute("""SELECT '{"a": [1, 2.5, null, "x"]}'::json, '{"b": {"c": true}}'::jsonb,
                          '[1, 2]'::jsonb -> 1, '"s"'::jsonb""")
    oids = [d[1] for d in cur.description]
    check("RowDescription type oids", oids == [114, 3802, 3802, 3802], repr(oids))
    row = cur.fetchone()
    want = ({"a": [1, 2.5, None, "x"]}, {"b": {"c": True}}, 2, "s")
    check("values parsed by psycopg2", row == want, repr(row))
    cur.execute("CREATE TABLE docs (id integer PRIMARY KEY, j json, b jsonb)")
    docs = [{"k": [1, "x"], "n": None}, {"k": [], "deep": {"e": "é"}}, [1, {"a": 2}]]
    for i, d in enumerate(docs):
        cur.execute("INSERT INTO docs VALUES (%s, %s, %s)", (i, Json(d), Json(d)))
    cur.execute("SELECT j, b FROM docs ORDER BY id")
    rows = cur.fetchall()
    check("parameters round trip", rows == [(d, d) for d in docs], repr(rows))
    cur.execute("SELECT id FROM docs WHERE b @> %s ORDER BY id", (Json({"k": ["x"]}),))
    check("@> with a Json parameter", cur.fetchall() == [(0,)])
    cur.execute("SELECT b #>> '{deep,e}' FROM docs WHERE b ? 'deep'")
    check("#>> and ?", cur.fetchall() == [("é",)])
    cur.execute("SELECT %s::jsonpath, jsonb_path_query_array(b, %s) FROM docs WHERE id = 0",
                ("$.k[*] ? (@ starts with $p)", "$.k[*]"))
    got = cur.fetchall()
    check("jsonpath text and jsonb_path_query_array",
          got == [('$."k"[*]?(@ starts with $"p")', [1, "x"])], repr(got))
    cur.execute("SELECT typname, typarray FROM pg_type WHERE oid IN (114, 3802) ORDER BY oid")
    got = cur.fetchall()
    check("pg_type rows", got == [("json", 199), ("jsonb", 3807)], repr(got))
    conn.close()


if __name__ == "__main__":
    sys.exit(run(__doc__.split("\n")[0], body))
