#!/usr/bin/python3
"""Server-side cursors from psycopg2 and psycopg 3, as applications use them.

  tools/cursor_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir and checks:
  * psycopg2 named cursors (DECLARE ... CURSOR WITHOUT HOLD FOR ...; FETCH FORWARD itersize):
    iteration over 200,000 rows in order, fetchmany/fetchone, scroll(relative/absolute),
    withhold=True surviving a commit, scrollable=False refusing a backward scroll (55000);
  * a FETCH of 100 rows from a cursor over 1,000,000 rows comes back in well under the time the
    whole query takes, and (activestore only) the server's peak RSS grows by less than 64 MB
    while the cursor is read to its end in pieces;
  * psycopg 3 server-side cursors (extended protocol, binary and text): rows and types;
  * pg_cursors lists the open cursors.
The last line is `N passed, N failed`; exit code 1 if any failed. Against PostgreSQL:
tools/cursor_client_test.py --server tools/pg_shim.py.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run, vm_kb  # noqa: E402  (same folder)


def body(server, check):
    import psycopg2
    import psycopg2.errors

    conn = psycopg2.connect(host="127.0.0.1", port=server.port, user="postgres",
                            dbname="postgres", sslmode="disable")
    cur = conn.cursor()
    cur.execute("CREATE TABLE big (id int PRIMARY KEY, pad text)")
    cur.execute("INSERT INTO big SELECT g, 'row ' || g FROM generate_series(1, 200000) g")
    conn.commit()

    # Iteration in pieces of itersize.
    nc = conn.cursor(name="it")
    nc.itersize = 5000
    nc.execute("SELECT id, pad FROM big ORDER BY id")
    n = 0
    ok = True
    for row in nc:
        n += 1
        if row != (n, "row %d" % n):
            ok = False
            break
    check("named cursor iterates 200,000 rows in order", ok and n == 200000, n)
    nc.close()
    conn.commit()

    # fetchone / fetchmany / scroll.
    nc = conn.cursor(name="sc", scrollable=True)
    nc.execute("SELECT id FROM big WHERE id <= 100 ORDER BY id")
    check("fetchone", nc.fetchone() == (1,))
    check("fetchmany", [r[0] for r in nc.fetchmany(3)] == [2, 3, 4])
    nc.scroll(-2)
    check("scroll relative -2", nc.fetchone() == (3,))
    nc.scroll(49, mode="absolute")
    check("scroll absolute 49", nc.fetchone() == (50,))
    check("fetchall rest", [r[0] for r in nc.fetchall()] == list(range(51, 101)))
    nc.close()
    conn.commit()

    nc = conn.cursor(name="fw", scrollable=False)
    nc.execute("SELECT id FROM big WHERE id <= 10 ORDER BY id")
    nc.fetchmany(5)
    code = None
    try:
        nc.scroll(-1)
    except psycopg2.Error as e:
        code = e.pgcode
    check("NO SCROLL cursor refuses to go back (55000)", code == "55000", code)
    conn.rollback()

    # WITH HOLD survives the commit.
    nc = conn.cursor(name="held", withhold=True)
    nc.execute("SELECT id FROM big WHERE id <= 20 ORDER BY id")
    first = nc.fetchmany(5)
    conn.commit()
    rest = nc.fetchall()
    check("withhold cursor after commit", [r[0] for r in first + rest] == list(range(1, 21)),
          (first, rest))
    nc.close()
    conn.commit()

    # pg_cursors.
    nc = conn.cursor(name="listed")
    nc.execute("SELECT 1")
    cur.execute("SELECT name, is_holdable FROM pg_cursors")
    check("pg_cursors", cur.fetchall() == [("listed", False)])
    nc.close()
    conn.commit()

    # A FETCH of 100 rows is quick beside the whole query, and memory stays bounded.
    cur.execute("CREATE TABLE huge AS SELECT g AS id, md5(g::text) AS h FROM generate_series(1, 1000000) g")
    conn.commit()
    start = time.monotonic()
    cur.execute("SELECT count(*) FROM (SELECT * FROM huge ORDER BY id DESC OFFSET 0) s")
    whole = time.monotonic() - start
    conn.commit()
    start = time.monotonic()
    cur.execute("DECLARE h NO SCROLL CURSOR FOR SELECT id, h FROM huge")
    cur.execute("FETCH 100 FROM h")
    rows = cur.fetchall()
    first = time.monotonic() - start
    check("FETCH 100 from a 1M-row cursor", len(rows) == 100)
    check("FETCH 100 is quick (%.3f s vs %.3f s for the whole query)" % (first, whole),
          first < whole / 4, (first, whole))
    pid = server.proc.pid if os.path.basename(server.binary) == "activestore" else None
    before = vm_kb(pid, "VmHWM") if pid else 0
    total = 100
    while True:
        cur.execute("FETCH 10000 FROM h")
        got = cur.fetchall()
        if not got:
            break
        total += len(got)
    check("the cursor reads every row", total == 1000000, total)
    if pid:
        grown = (vm_kb(pid, "VmHWM") - before) // 1024
        check("NO SCROLL cursor in bounded memory (peak RSS grew by %d MB)" % grown, grown < 64)
        print("FETCH 100: %.3f s; whole query %.3f s; peak RSS growth reading 1M rows: %d MB"
              % (first, whole, grown))
    conn.commit()
    conn.close()

    # psycopg 3 server-side cursors (extended protocol), text and binary.
    try:
        import psycopg
    except ImportError:
        check("psycopg 3 installed", False)
        return
    with psycopg.connect(host="127.0.0.1", port=server.port, user="postgres", dbname="postgres",
                         sslmode="disable") as c3:
        for binary in (False, True):
            with c3.cursor(name="p3", binary=binary) as sc:
                sc.execute("SELECT id, pad, id::numeric / 4 AS q FROM big WHERE id <= %s ORDER BY id",
                           (1000,))
                got = sc.fetchmany(10)
                rest = sc.fetchall()
                import decimal
                check("psycopg 3 server-side cursor (binary=%s)" % binary,
                      len(got) + len(rest) == 1000 and got[0] == (1, "row 1", decimal.Decimal("0.25")),
                      got[:2])
            c3.commit()


if __name__ == "__main__":
    # Under AddressSanitizer freed memory waits in a 256 MB quarantine, which would hide what
    # the server holds; a small one keeps the peak RSS meaningful (no effect on other builds).
    os.environ["ASAN_OPTIONS"] = ":".join(
        x for x in (os.environ.get("ASAN_OPTIONS"),
                    "quarantine_size_mb=1:thread_local_quarantine_size_kb=64") if x)
    sys.exit(run("server-side cursors", body))
