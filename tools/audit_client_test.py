#!/usr/bin/python3
"""The audit log through psycopg2: one JSON line per privileged operation, rotation by size.

  tools/audit_client_test.py --server build/dev/activestore

Starts the server with --audit-log on --audit-log-max-mb 1 and an hba file (trust for postgres,
scram-sha-256 for other users), then checks that audit.log in the data directory:
- has one JSON object per line with ts, kind, role, session_user, client, database, command,
  statement, sqlstate and outcome;
- records role and privilege changes (CREATE ROLE with its password hidden, GRANT, SET ROLE),
  DDL (also a failed one, with its SQLSTATE), COPY to and from a server file, CHECKPOINT, a
  login, a failed login (wrong password: 28P01) and a login to a missing database (3D000), and a
  statement refused for lack of privilege (42501, with the role that ran it);
- records no SELECT, INSERT or COPY FROM STDIN;
- is opened with O_APPEND by the server (/proc/PID/fdinfo);
- is renamed to audit.log.<time> and begun again past 1 MB, losing no event.
The last line is `N passed, N failed`; exit code 1 if any failed.
"""

import glob
import io
import json
import os
import sys
import tempfile

try:
    import psycopg2
except ImportError:
    sys.stderr.write("audit_client_test.py: psycopg2 is missing (run with /usr/bin/python3)\n")
    sys.exit(1)

import client_harness

HBA = """host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
"""


def login(port, user, password, dbname="postgres"):
    conn = psycopg2.connect(host="127.0.0.1", port=port, user=user, password=password,
                            dbname=dbname, connect_timeout=10, sslmode="disable")
    conn.autocommit = True
    return conn


def events(data_dir):
    out = []
    paths = sorted(glob.glob(os.path.join(data_dir, "audit.log.*"))) + \
        [os.path.join(data_dir, "audit.log")]
    for path in paths:
        with open(path) as f:
            for line in f:
                out.append(json.loads(line))
    return out


def body(server, check):
    data_dir = server.data_dir
    port = server.port
    conn = client_harness.session(port)
    cur = conn.cursor()
    copy_file = os.path.join(os.path.dirname(data_dir), "copy.txt")
    cur.execute("CREATE ROLE alice LOGIN PASSWORD 'Secret-pw-1'")
    cur.execute("CREATE TABLE t (a int)")
    cur.execute("INSERT INTO t VALUES (1), (2)")
    cur.execute("SELECT count(*) FROM t")
    cur.execute("GRANT SELECT ON t TO alice")
    cur.execute("COPY t TO %s", (copy_file,))
    cur.execute("COPY t FROM %s", (copy_file,))
    cur.copy_expert("COPY t FROM STDIN", io.StringIO("3\n"))
    cur.execute("CHECKPOINT")
    check("duplicate table fails", client_harness.sqlstate(conn, "CREATE TABLE t (a int)")
          == "42P07")
    cur.execute("SET ROLE alice")
    cur.execute("RESET ROLE")

    alice = login(port, "alice", "Secret-pw-1")
    check("alice cannot drop t", client_harness.sqlstate(alice, "DROP TABLE t") == "42501")
    alice.close()
    for password, dbname, code in (("wrong", "postgres", "28P01"),
                                   ("Secret-pw-1", "nosuchdb", "3D000")):
        try:
            login(port, "alice", password, dbname).close()
            check("login refused " + code, False, "it succeeded")
        except psycopg2.Error:
            pass

    evs = events(data_dir)
    fields = ["ts", "kind", "role", "session_user", "client", "database", "command",
              "statement", "sqlstate", "outcome"]
    check("every line has the fields", evs and all(all(k in e for k in fields) for e in evs),
          str(evs[:2]))

    def find(kind, statement_part, sqlstate="00000"):
        return [e for e in evs if e["kind"] == kind and statement_part in e["statement"]
                and e["sqlstate"] == sqlstate]

    created = find("role", "CREATE ROLE alice")
    check("CREATE ROLE recorded", len(created) == 1, str(created))
    check("password hidden", created and "Secret-pw-1" not in created[0]["statement"]
          and all("Secret-pw-1" not in json.dumps(e) for e in evs), str(created))
    check("role/client/database recorded",
          created and created[0]["role"] == "postgres" and created[0]["database"] == "postgres"
          and created[0]["client"].startswith("127.0.0.1:") and created[0]["outcome"] == "ok",
          str(created))
    check("CREATE TABLE recorded", len(find("ddl", "CREATE TABLE t")) == 1)
    failed = find("ddl", "CREATE TABLE t", "42P07")
    check("failed DDL recorded", len(failed) == 1 and failed[0]["outcome"] == "error"
          and "already exists" in failed[0].get("message", ""), str(failed))
    check("GRANT recorded", len(find("role", "GRANT SELECT ON t TO alice")) == 1)
    set_role = find("role", "SET ROLE alice")
    check("SET ROLE recorded with the role that ran it",
          len(set_role) == 1 and set_role[0]["role"] == "postgres", str(set_role))
    check("RESET ROLE recorded", len(find("role", "RESET ROLE")) == 1)
    check("COPY TO file recorded", len(find("copy", "COPY t TO")) == 1)
    check("COPY FROM file recorded", len(find("copy", "COPY t FROM '")) == 1)
    check("CHECKPOINT recorded", len(find("superuser", "CHECKPOINT")) == 1)
    denied = find("ddl", "DROP TABLE t", "42501")
    check("denied DROP recorded with its role",
          len(denied) == 1 and denied[0]["role"] == "alice", str(denied))
    logins = [e for e in evs if e["kind"] == "login" and e["role"] == "alice"]
    check("login recorded", len(logins) == 1, str(logins))
    bad = [e["sqlstate"] for e in evs if e["kind"] == "login_failed" and e["role"] == "alice"]
    check("failed logins recorded", sorted(bad) == ["28P01", "3D000"], str(bad))
    check("no SELECT, INSERT or COPY FROM STDIN",
          not [e for e in evs if e["statement"].startswith(("SELECT", "INSERT", "COPY t FROM STDIN"))],
          str([e["statement"] for e in evs]))

    # Append-only from the server's view: O_APPEND on its descriptor.
    log_path = os.path.realpath(os.path.join(data_dir, "audit.log"))
    appended = False
    fd_dir = "/proc/%d/fd" % server.proc.pid
    for fd in os.listdir(fd_dir):
        try:
            if os.readlink(os.path.join(fd_dir, fd)) == log_path:
                with open("/proc/%d/fdinfo/%s" % (server.proc.pid, fd)) as f:
                    flags = int([l for l in f if l.startswith("flags:")][0].split()[1], 8)
                appended = bool(flags & os.O_APPEND)
        except OSError:
            pass
    check("opened with O_APPEND", appended)

    # Rotation past 1 MB: about 1.3 MB of events, none lost.
    before = len(evs)
    pad = "x" * 10000
    for i in range(130):
        cur.execute("CREATE TABLE pad%d (a text DEFAULT '%s')" % (i, pad))
    rotated = glob.glob(os.path.join(data_dir, "audit.log.*"))
    check("rotated past 1 MB", len(rotated) >= 1, str(rotated))
    check("each file at most 1 MB",
          all(os.path.getsize(p) <= (1 << 20) for p in rotated), str(rotated))
    after = events(data_dir)
    check("no event lost in rotation", len(after) == before + 130, "%d %d" % (before, len(after)))
    conn.close()


if __name__ == "__main__":
    fd, hba = tempfile.mkstemp(prefix="audit_hba_", suffix=".conf")
    with os.fdopen(fd, "w") as f:
        f.write(HBA)
    try:
        code = client_harness.run(__doc__.splitlines()[0], body,
                                  extra_args=["--audit-log", "on", "--audit-log-max-mb", "1",
                                              "--hba-file", hba])
    finally:
        os.remove(hba)
    sys.exit(code)
