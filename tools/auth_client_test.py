#!/usr/bin/python3
"""Password authentication and login checks through real clients (psycopg2 and psql).

  tools/auth_client_test.py --server build/dev/activestore

Starts the server with trust authentication on a fresh --data-dir and creates roles with
passwords (a SCRAM-SHA-256 verifier, an md5 secret, an expired one, a NOLOGIN role), then
restarts it with --auth-method scram-sha-256, md5 and password in turn and checks that:
  * the right password logs in (SCRAM through libpq, also with psql and PGPASSWORD), as the role;
  * a wrong password, an unknown role, a role without a usable secret and an expired role all
    fail alike with 28P01 `password authentication failed for user "x"`;
  * md5 answers an md5 challenge for a role with an md5 secret and SCRAM for one with a verifier;
  * under trust an unknown role gets 28000 `role "x" does not exist` and a NOLOGIN role 28000
    `role "x" is not permitted to log in`.
The last line is `N passed, N failed`; exit code 1 if any failed.
"""

import argparse
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

try:
    import psycopg2
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("auth_client_test.py: psycopg2 is missing (run with /usr/bin/python3)\n")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash_test import Server  # noqa: E402  (same folder)


class AuthServer(Server):
    """A Server whose start-up wait needs no login: the port answering is enough."""

    def start(self):
        self.port = None
        for _ in range(3):
            try:
                return self._start()
            except RuntimeError:
                self.kill()
        raise RuntimeError("the server did not start")

    def _start(self):
        import crash_test
        self.port = crash_test.free_port()
        cmd = [self.binary, "--data-dir", self.data_dir, "--port", str(self.port),
               "--listen", "127.0.0.1", "--sync-mode", "fsync"] + self.extra_args
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited")
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                time.sleep(0.2)
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("server did not listen")


def connect(port, user, password=None):
    kw = {"password": password} if password is not None else {}
    conn = psycopg2.connect(host="127.0.0.1", port=port, user=user, dbname="postgres",
                            connect_timeout=10, sslmode="disable", **kw)
    conn.autocommit = True
    return conn


def login_error(port, user, password=None):
    """(sqlstate, message) of a failed login, or None if it succeeded."""
    try:
        connect(port, user, password).close()
        return None
    except psycopg2.OperationalError as e:
        return str(e)


def current_user(port, user, password):
    conn = connect(port, user, password)
    cur = conn.cursor()
    cur.execute("SELECT current_user, session_user")
    row = cur.fetchone()
    conn.close()
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--start-timeout", type=float, default=60)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="auth_client_test_")
    data = os.path.join(tmp, "data")
    log = os.path.join(tmp, "server.log")
    counts = {"passed": 0, "failed": 0}

    def check(name, ok, detail=""):
        counts["passed" if ok else "failed"] += 1
        if not ok:
            print("FAILED %s %s" % (name, detail))

    def failed_alike(port, user, password, name):
        err = login_error(port, user, password)
        check(name, err is not None and
              'password authentication failed for user "%s"' % user in err, err)

    server = None
    try:
        server = AuthServer(os.path.abspath(args.server), data, log, [], args.start_timeout)
        server.start()
        admin = connect(server.port, "postgres")
        cur = admin.cursor()
        md5 = "md5" + hashlib.md5(b"bobpass" + b"bob").hexdigest()
        for sql in ("CREATE ROLE alice LOGIN PASSWORD 'secret'",
                    "CREATE ROLE bob LOGIN PASSWORD '%s'" % md5,
                    "CREATE ROLE carol NOLOGIN PASSWORD 'x'",
                    "CREATE ROLE dave LOGIN PASSWORD 'old' VALID UNTIL '2000-01-01 00:00:00+00'",
                    "CREATE ROLE erin LOGIN",
                    "ALTER ROLE postgres PASSWORD 'pgpass'"):
            cur.execute(sql)
        cur.execute("SELECT rolpassword FROM pg_authid WHERE rolname = 'bob'")
        check("md5 secret kept as given", cur.fetchone()[0] == md5)
        admin.close()
        err = login_error(server.port, "nobody")
        check("trust: unknown role", err is not None and 'role "nobody" does not exist' in err, err)
        err = login_error(server.port, "carol")
        check("trust: NOLOGIN", err is not None and
              'role "carol" is not permitted to log in' in err, err)
        check("trust: any password", current_user(server.port, "alice", "wrong")[0] == "alice")
        server.kill()

        # SCRAM-SHA-256.
        server = AuthServer(os.path.abspath(args.server), data, log,
                            ["--auth-method", "scram-sha-256"], args.start_timeout)
        server.start()
        check("scram: right password", current_user(server.port, "alice", "secret") ==
              ("alice", "alice"))
        check("scram: superuser", current_user(server.port, "postgres", "pgpass")[0] == "postgres")
        failed_alike(server.port, "alice", "wrong", "scram: wrong password")
        failed_alike(server.port, "nobody", "secret", "scram: unknown role")
        failed_alike(server.port, "bob", "bobpass", "scram: md5 secret only")
        failed_alike(server.port, "dave", "old", "scram: expired")
        failed_alike(server.port, "erin", "anything", "scram: no password")
        env = dict(os.environ, PGPASSWORD="secret", PGSSLMODE="disable")
        out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(server.port), "-U", "alice",
                              "-d", "postgres", "-Atc", "SELECT current_user"],
                             capture_output=True, text=True, env=env, timeout=30)
        check("psql scram", out.returncode == 0 and out.stdout.strip() == "alice",
              out.stdout + out.stderr)
        env["PGPASSWORD"] = "nope"
        out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(server.port), "-U", "alice",
                              "-d", "postgres", "-Atc", "SELECT 1"],
                             capture_output=True, text=True, env=env, timeout=30)
        check("psql scram wrong", out.returncode != 0 and
              'password authentication failed for user "alice"' in out.stderr, out.stderr)
        # A password changed now is the one that works.
        admin = connect(server.port, "postgres", "pgpass")
        admin.cursor().execute("ALTER ROLE alice PASSWORD 'newer'")
        admin.close()
        failed_alike(server.port, "alice", "secret", "scram: old password after ALTER")
        check("scram: new password", current_user(server.port, "alice", "newer")[0] == "alice")
        server.kill()

        # md5: an md5 challenge for bob, SCRAM for alice.
        server = AuthServer(os.path.abspath(args.server), data, log, ["--auth-method", "md5"],
                            args.start_timeout)
        server.start()
        check("md5: md5 secret", current_user(server.port, "bob", "bobpass")[0] == "bob")
        check("md5: scram secret", current_user(server.port, "alice", "newer")[0] == "alice")
        failed_alike(server.port, "bob", "wrong", "md5: wrong password")
        failed_alike(server.port, "nobody", "x", "md5: unknown role")
        server.kill()

        # password: cleartext, checked against either secret.
        server = AuthServer(os.path.abspath(args.server), data, log,
                            ["--auth-method", "password"], args.start_timeout)
        server.start()
        check("password: md5 secret", current_user(server.port, "bob", "bobpass")[0] == "bob")
        check("password: scram secret", current_user(server.port, "alice", "newer")[0] == "alice")
        failed_alike(server.port, "alice", "wrong", "password: wrong password")
    except Exception as e:  # noqa: BLE001 - report and fail
        check("run", False, repr(e))
    finally:
        if server is not None:
            server.kill()
        if counts["failed"]:
            with open(log) as f:
                sys.stdout.write(f.read()[-3000:])
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (counts["passed"], counts["failed"]))
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
