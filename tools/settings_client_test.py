#!/usr/bin/python3
"""Session settings that outlive a session: ALTER DATABASE / ROLE ... SET / RESET.

  tools/settings_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir, then checks that:
  * a session started after ALTER DATABASE d SET x = v has x = v, sessions of other databases
    do not, and RESET x inside the session goes back to v (not the built-in default);
  * start-up parameters (PGOPTIONS -c) win over the database's value, and RESET returns to them;
  * RESET x / RESET ALL / SET x TO DEFAULT remove the database's values;
  * a bad name or value fails as SET fails (42704, 22023), a missing database with 3D000;
  * ALTER DATABASE in a rolled-back transaction block leaves nothing;
  * ALTER ROLE r SET x = v wins over the database's value, ALTER ROLE r IN DATABASE d SET over
    both, start-up parameters over all of them, and other roles do not see them;
  * the values survive a kill -9 and restart.
The last line is `N passed, N failed`; exit code 1 if any failed. To check the test against
PostgreSQL: tools/settings_client_test.py --server tools/pg_shim.py.
"""

import os
import sys

try:
    import psycopg2
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("settings_client_test.py: psycopg2 is missing (run with /usr/bin/python3)\n")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run, sqlstate  # noqa: E402  (same folder)


def session(port, dbname="postgres", options=None, user="postgres"):
    kw = {}
    if options:
        kw["options"] = options
    conn = psycopg2.connect(host="127.0.0.1", port=port, user=user, dbname=dbname,
                            connect_timeout=10, sslmode="disable", **kw)
    conn.autocommit = True
    return conn


def show(conn, name):
    cur = conn.cursor()
    cur.execute("SHOW " + name)
    return cur.fetchone()[0]


def body(server, check):
    admin = session(server.port)
    cur = admin.cursor()
    cur.execute("DROP DATABASE IF EXISTS settings_a")
    cur.execute("DROP DATABASE IF EXISTS settings_b")
    cur.execute("CREATE DATABASE settings_a")
    cur.execute("CREATE DATABASE settings_b")
    # (not DateStyle: psycopg2 sets it to ISO when it is not)
    cur.execute("ALTER DATABASE settings_a SET IntervalStyle TO 'sql_standard'")
    cur.execute("ALTER DATABASE settings_a SET extra_float_digits = 2")
    cur.execute("ALTER DATABASE settings_a SET search_path = public, pg_catalog")

    a = session(server.port, "settings_a")
    check("db value", show(a, "IntervalStyle") == "sql_standard", show(a, "IntervalStyle"))
    check("db value 2", show(a, "extra_float_digits") == "2", show(a, "extra_float_digits"))
    check("db list value", show(a, "search_path") == "public, pg_catalog", show(a, "search_path"))
    check("other db", show(session(server.port, "settings_b"), "IntervalStyle") == "postgres")
    check("current session unchanged", show(admin, "IntervalStyle") == "postgres")
    cur2 = a.cursor()
    cur2.execute("SET IntervalStyle = 'iso_8601'")
    cur2.execute("RESET IntervalStyle")
    check("RESET returns to the db value", show(a, "IntervalStyle") == "sql_standard",
          show(a, "IntervalStyle"))
    cur2.execute("SET extra_float_digits = 3")
    cur2.execute("RESET ALL")
    check("RESET ALL returns to the db value", show(a, "extra_float_digits") == "2")
    a.close()

    o = session(server.port, "settings_a", options="-c intervalstyle=postgres_verbose")
    check("start-up option wins", show(o, "IntervalStyle") == "postgres_verbose",
          show(o, "IntervalStyle"))
    o.cursor().execute("SET IntervalStyle = 'iso_8601'")
    o.cursor().execute("RESET IntervalStyle")
    check("RESET returns to the start-up option", show(o, "IntervalStyle") == "postgres_verbose",
          show(o, "IntervalStyle"))
    o.close()

    check("unknown parameter", sqlstate(admin, "ALTER DATABASE settings_a SET no_such = 1")
          == "42704")
    check("bad value", sqlstate(admin, "ALTER DATABASE settings_a SET DateStyle = 'nonsense'")
          == "22023")
    check("missing database", sqlstate(admin, "ALTER DATABASE no_such_db SET DateStyle = 'ISO'")
          == "3D000")

    cur.execute("BEGIN")
    cur.execute("ALTER DATABASE settings_b SET IntervalStyle = 'iso_8601'")
    cur.execute("ROLLBACK")
    check("rolled back", show(session(server.port, "settings_b"), "IntervalStyle") == "postgres")

    role = "regress_settings_r"
    cur.execute("DROP ROLE IF EXISTS " + role)
    cur.execute("CREATE ROLE %s LOGIN" % role)
    cur.execute("ALTER ROLE %s SET IntervalStyle = 'iso_8601'" % role)
    cur.execute("ALTER ROLE %s SET extra_float_digits = 0" % role)
    cur.execute("ALTER ROLE %s IN DATABASE settings_a SET extra_float_digits = -1" % role)
    r = session(server.port, "settings_a", user=role)
    check("role value over the database's", show(r, "IntervalStyle") == "iso_8601",
          show(r, "IntervalStyle"))
    check("role value in the database over both", show(r, "extra_float_digits") == "-1",
          show(r, "extra_float_digits"))
    check("database value the role does not set", show(r, "search_path") == "public, pg_catalog",
          show(r, "search_path"))
    r.cursor().execute("SET extra_float_digits = 3")
    r.cursor().execute("RESET extra_float_digits")
    check("RESET returns to the role's value", show(r, "extra_float_digits") == "-1")
    r.close()
    r = session(server.port, "settings_b", user=role)
    check("role value in another database", show(r, "extra_float_digits") == "0",
          show(r, "extra_float_digits"))
    r.close()
    r = session(server.port, "settings_a", options="-c extra_float_digits=2", user=role)
    check("start-up option over the role's", show(r, "extra_float_digits") == "2")
    r.close()
    check("other roles", show(session(server.port, "settings_a"), "IntervalStyle")
          == "sql_standard")

    admin.close()
    server.kill()
    server.start()
    admin = session(server.port)
    cur = admin.cursor()
    check("after restart",
          show(session(server.port, "settings_a"), "IntervalStyle") == "sql_standard")
    check("role value after restart",
          show(session(server.port, "settings_a", user=role), "extra_float_digits") == "-1")
    cur.execute("ALTER ROLE %s RESET ALL" % role)
    cur.execute("ALTER ROLE %s IN DATABASE settings_a RESET ALL" % role)
    r = session(server.port, "settings_a", user=role)
    check("role RESET ALL", show(r, "IntervalStyle") == "sql_standard", show(r, "IntervalStyle"))
    r.close()
    cur.execute("DROP ROLE " + role)

    cur.execute("ALTER DATABASE settings_a RESET IntervalStyle")
    cur.execute("ALTER DATABASE settings_a SET search_path TO DEFAULT")
    a = session(server.port, "settings_a")
    check("RESET x", show(a, "IntervalStyle") == "postgres", show(a, "IntervalStyle"))
    check("SET x TO DEFAULT", show(a, "search_path") == '"$user", public', show(a, "search_path"))
    check("others kept", show(a, "extra_float_digits") == "2")
    a.close()
    cur.execute("ALTER DATABASE settings_a RESET ALL")
    a = session(server.port, "settings_a")
    check("RESET ALL", show(a, "extra_float_digits") == "1", show(a, "extra_float_digits"))
    a.close()
    cur.execute("DROP DATABASE settings_a")
    cur.execute("DROP DATABASE settings_b")


if __name__ == "__main__":
    sys.exit(run(__doc__.splitlines()[0], body))
