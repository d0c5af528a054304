#!/usr/bin/python3
"""Named prepared statements share one namespace between the extended protocol (Parse) and SQL
(PREPARE, EXECUTE, DEALLOCATE, DISCARD ALL), as in PostgreSQL: psqlODBC parses "_PLAN0x..."
statements and closes them with DEALLOCATE.

  tools/prepared_client_test.py --server build/dev/activestore

Uses libpq through psycopg 3's pgconn (PQprepare, PQexecPrepared, PQexec). Against PostgreSQL:
tools/prepared_client_test.py --server tools/pg_shim.py. The last line is
`N passed, N failed`; exit code 1 if any failed.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run  # noqa: E402  (same folder)


def body(server, check):
    import psycopg
    from psycopg import pq

    conn = psycopg.connect(host="127.0.0.1", port=server.port, user="postgres",
                           password="postgres", dbname="postgres", sslmode="disable",
                           autocommit=True)
    pg = conn.pgconn

    def state(res):
        err = res.error_field(pq.DiagnosticField.SQLSTATE)
        return err.decode() if err else pq.ExecStatus(res.status).name

    def value(res):
        return res.get_value(0, 0).decode() if res.status == pq.ExecStatus.TUPLES_OK else None

    check("Parse s1", state(pg.prepare(b"s1", b"SELECT $1::int + 1")) == "COMMAND_OK")
    r = pg.exec_prepared(b"s1", [b"41"])
    check("Bind/Execute s1", value(r) == "42", state(r))
    r = pg.exec_(b"EXECUTE s1(9)")
    check("EXECUTE of a parsed statement", value(r) == "10", state(r))
    r = pg.exec_(b"PREPARE s1 AS SELECT 1")
    check("PREPARE of a parsed name: 42P05", state(r) == "42P05", state(r))
    r = pg.exec_(b"DEALLOCATE s1")
    check("DEALLOCATE of a parsed statement", state(r) == "COMMAND_OK", state(r))
    r = pg.exec_prepared(b"s1", [b"1"])
    check("after DEALLOCATE: 26000", state(r) == "26000", state(r))
    r = pg.prepare(b"s1", b"SELECT 'again'")
    check("Parse of the name again", state(r) == "COMMAND_OK", state(r))
    check("the new statement runs", value(pg.exec_prepared(b"s1", [])) == "again")

    r = pg.exec_(b"PREPARE p2 AS SELECT 2")
    check("PREPARE", state(r) == "COMMAND_OK", state(r))
    r = pg.exec_prepared(b"p2", [])
    check("Bind/Execute of a PREPAREd statement", value(r) == "2", state(r))
    d = pg.describe_prepared(b"p2")
    check("Describe of a PREPAREd statement", state(d) == "COMMAND_OK" and d.nfields == 1,
          state(d))
    r = pg.prepare(b"p2", b"SELECT 3")
    check("Parse of a PREPAREd name: 42P05", state(r) == "42P05", state(r))

    r = pg.exec_(b"DISCARD ALL")
    check("DISCARD ALL", state(r) == "COMMAND_OK", state(r))
    for name in (b"s1", b"p2"):
        r = pg.exec_prepared(name, [])
        check("after DISCARD ALL %s: 26000" % name.decode(), state(r) == "26000", state(r))
    conn.close()


if __name__ == "__main__":
    sys.exit(run(__doc__.splitlines()[0], body))
