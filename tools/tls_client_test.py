#!/usr/bin/python3
"""TLS and host-based authentication rules through real clients (psycopg2, psycopg 3, psql).

  tools/tls_client_test.py --server build/dev/activestore

Makes a test CA, a server certificate (CN localhost, SAN 127.0.0.1 and localhost) and client
certificates with the openssl command at test time, in a fresh data directory (relative file
names in the settings resolve there), and starts the server from a TOML file with ssl on,
ssl_ca_file and an hba_file. Then checks, on loopback only:
  * sslmode require, verify-ca and verify-full (psycopg2, psycopg 3 and psql) connect over TLS
    1.3; a client trusting another CA fails; every message path works over TLS: simple and
    extended queries, a result of megabytes, COPY in and out, notifications, cancel;
  * cert authentication: the client certificate's CN must be the user; without a certificate
    28000; a certificate from another CA fails the handshake and only that connection;
  * hostssl / hostnossl / reject rules and the 28000 messages worded as PostgreSQL's;
  * GSSENCRequest still gets N; a garbled or cut-short TLS handshake closes only its
    connection;
  * SIGHUP reloads the rules; a bad file at reload keeps the old rules and is logged;
  * a server with ssl off answers N; a key file others can read stops the server at start.
The last line is `N passed, N failed`; exit code 1 if any failed.
"""

import argparse
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

try:
    import psycopg2
    import psycopg
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("tls_client_test.py: psycopg2/psycopg missing (run with /usr/bin/python3)\n")
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash_test import Server  # noqa: E402  (same folder)

HBA = """\
# TYPE    DATABASE USER        ADDRESS        METHOD
hostnossl all      postgres    127.0.0.1/32   trust
hostssl   all      postgres    127.0.0.1/32   trust
hostssl   all      alice       127.0.0.1/32   cert
hostssl   all      bob         127.0.0.1/32   scram-sha-256
hostnossl all      plain_only  127.0.0.1/32   trust
host      all      mallory     127.0.0.1/32   reject
hostssl   all      +certified  127.0.0.1 255.255.255.255  trust clientcert=verify-full
"""


def openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, capture_output=True)


def make_certificates(d):
    """root.crt/key, server.crt/key (127.0.0.1, localhost), alice/bob/postgres client
    certificates, and a rogue CA with its own alice certificate."""
    for ca in ("root", "rogue"):
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                "/CN=ActiveStore test %s CA" % ca, "-keyout", ca + ".key", "-out", ca + ".crt",
                cwd=d)
    with open(os.path.join(d, "san.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")

    def leaf(name, cn, ca, ext=None):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + cn, "-keyout",
                name + ".key", "-out", name + ".csr", cwd=d)
        extra = ["-extfile", "san.ext"] if ext else []
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
                "-CAcreateserial", "-days", "2", "-out", name + ".crt", *extra, cwd=d)
        os.chmod(os.path.join(d, name + ".key"), 0o600)

    leaf("server", "localhost", "root", ext=True)
    for user in ("alice", "bob", "dave"):
        leaf(user, user, "root")
    leaf("rogue_alice", "alice", "rogue")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--start-timeout", type=float, default=60)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="tls_client_test_")
    data = os.path.join(tmp, "data")
    certs = os.path.join(tmp, "certs")
    log = os.path.join(tmp, "server.log")
    os.makedirs(data)
    os.makedirs(certs)
    counts = {"passed": 0, "failed": 0}

    def check(name, ok, detail=""):
        counts["passed" if ok else "failed"] += 1
        if not ok:
            print("FAILED %s %s" % (name, detail))

    server = None
    try:
        make_certificates(certs)

        def raw(code, port):
            s = socket.create_connection(("127.0.0.1", port), 5)
            s.sendall(struct.pack("!ii", 8, code))
            return s, s.recv(1)

        # ssl off (the default): N, and the roles for the rules.
        server = Server(os.path.abspath(args.server), data, log, [], args.start_timeout)
        server.start()
        s, answer = raw(80877103, server.port)
        check("ssl off answers N", answer == b"N", answer)
        s.close()
        try:
            psycopg2.connect(host="127.0.0.1", port=server.port, user="postgres",
                             dbname="postgres", sslmode="require").close()
            check("require against ssl off", False, "connected")
        except psycopg2.OperationalError as e:
            check("require against ssl off", "does not support SSL" in str(e), str(e))
        admin = psycopg2.connect(host="127.0.0.1", port=server.port, user="postgres",
                                 dbname="postgres", sslmode="prefer")
        admin.autocommit = True
        check("prefer against ssl off: plain", not admin.info.ssl_in_use)
        cur = admin.cursor()
        cur.execute("SHOW ssl")
        check("SHOW ssl off", cur.fetchone() == ("off",))
        for sql in ("CREATE ROLE alice LOGIN", "CREATE ROLE bob LOGIN PASSWORD 'bobpw'",
                    "CREATE ROLE plain_only LOGIN", "CREATE ROLE mallory LOGIN",
                    "CREATE ROLE certified NOLOGIN", "CREATE ROLE dave LOGIN",
                    "GRANT certified TO dave", "CREATE TABLE t (id int, name text)"):
            admin.cursor().execute(sql)
        admin.close()
        server.kill()

        for f in ("server.crt", "server.key", "root.crt"):
            shutil.copy(os.path.join(certs, f), data)
        os.chmod(os.path.join(data, "server.key"), 0o600)
        hba_path = os.path.join(data, "pg_hba.conf")
        with open(hba_path, "w") as f:
            f.write(HBA)
        config = os.path.join(tmp, "activestore.toml")
        with open(config, "w") as f:
            # Relative names: the data directory's files, as PostgreSQL resolves them.
            f.write('ssl = true\nssl_ca_file = "root.crt"\nhba_file = "pg_hba.conf"\n'
                    'ssl_min_protocol_version = "TLSv1.2"\n')
        server = Server(os.path.abspath(args.server), data, log, ["--config", config],
                        args.start_timeout)
        server.start()
        port = server.port
        root = os.path.join(certs, "root.crt")

        def dsn(user="postgres", host="127.0.0.1", **kw):
            d = {"host": host, "port": port, "user": user, "dbname": "postgres",
                 "connect_timeout": 10}
            d.update(kw)
            return d

        def connect(**kw):
            conn = psycopg2.connect(**dsn(**kw))
            conn.autocommit = True
            return conn

        def login_error(**kw):
            try:
                connect(**kw).close()
                return None
            except psycopg2.OperationalError as e:
                return str(e)

        def one(conn, sql, params=None):
            cur = conn.cursor()
            cur.execute(sql, params)
            return cur.fetchone()

        admin = connect(sslmode="disable")
        check("plain connection", not admin.info.ssl_in_use)
        admin.close()

        # sslmode require / verify-ca / verify-full.
        conn = connect(sslmode="require")
        check("require: TLS in use", conn.info.ssl_in_use)
        check("require: TLS 1.3", conn.info.ssl_attribute("protocol") == "TLSv1.3",
              conn.info.ssl_attribute("protocol"))
        check("SHOW ssl", one(conn, "SHOW ssl") == ("on",))
        conn.close()
        for mode, host in (("verify-ca", "127.0.0.1"), ("verify-full", "127.0.0.1"),
                           ("verify-full", "localhost")):
            try:
                conn = connect(sslmode=mode, sslrootcert=root, host=host)
                ok = conn.info.ssl_in_use and one(conn, "SELECT 1") == (1,)
                conn.close()
                check("%s %s" % (mode, host), ok)
            except psycopg2.Error as e:
                check("%s %s" % (mode, host), False, str(e))
        err = login_error(sslmode="verify-full", sslrootcert=os.path.join(certs, "rogue.crt"))
        check("verify-full against another CA fails", err is not None and
              "certificate verify failed" in err, err)

        # psql with verify-full, and TLS 1.2 when the client asks for it.
        env = dict(os.environ, PGSSLMODE="verify-full", PGSSLROOTCERT=root)
        out = subprocess.run(["psql", "-h", "localhost", "-p", str(port), "-U", "postgres",
                              "-d", "postgres", "-Atc",
                              "SELECT 'x' || repeat('y', 3)"],
                             capture_output=True, text=True, env=env, timeout=30)
        check("psql verify-full", out.returncode == 0 and out.stdout.strip() == "xyyy",
              out.stdout + out.stderr)
        conn = connect(sslmode="require", ssl_max_protocol_version="TLSv1.2")
        check("TLS 1.2 client", conn.info.ssl_attribute("protocol") == "TLSv1.2",
              conn.info.ssl_attribute("protocol"))
        conn.close()

        # Every message path over TLS.
        conn = connect(sslmode="require")
        cur = conn.cursor()
        cur.execute("SELECT count(*), sum(length(repeat('x', g % 100))) "
                    "FROM generate_series(1, 100000) g")
        check("simple query over TLS", cur.fetchone() == (100000, 4950000))
        cur.execute("SELECT g, repeat('z', 50) FROM generate_series(1, 60000) g")
        big = cur.fetchall()
        check("megabytes of rows over TLS", len(big) == 60000 and big[-1][0] == 60000)
        import io
        payload = "".join("%d\tname %d %s\n" % (i, i, "p" * 40) for i in range(20000))
        cur.copy_expert("COPY t FROM STDIN", io.StringIO(payload))
        out_buf = io.StringIO()
        cur.copy_expert("COPY t TO STDOUT", out_buf)
        check("COPY in and out over TLS", out_buf.getvalue() == payload,
              "%d bytes back" % len(out_buf.getvalue()))
        # Notifications to an idle listener.
        conn.cursor().execute("LISTEN tls_channel")
        other = connect(sslmode="require")
        other.cursor().execute("NOTIFY tls_channel, 'over tls'")
        got = []
        deadline = time.monotonic() + 5
        import select
        while not got and time.monotonic() < deadline:
            select.select([conn], [], [], 0.5)
            conn.poll()
            got = [n.payload for n in conn.notifies]
        check("notification over TLS", got == ["over tls"], got)
        # Cancel of a running statement (the CancelRequest comes on its own connection).
        timer = threading.Timer(0.5, conn.cancel)
        timer.start()
        try:
            conn.cursor().execute("SELECT pg_sleep(20)")
            check("cancel over TLS", False, "not cancelled")
        except psycopg2.Error as e:
            check("cancel over TLS", e.pgcode == "57014", e.pgcode)
        timer.join()
        check("session usable after cancel", one(conn, "SELECT 2") == (2,))
        other.close()
        conn.close()
        # Extended query protocol (psycopg 3 binds parameters server-side), binary results.
        with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres",
                             sslmode="verify-full", sslrootcert=root, autocommit=True) as c3:
            rows = c3.execute("SELECT %s::int + g, %s::text FROM generate_series(1, 3) g",
                              (10, "ext")).fetchall()
            check("extended query over TLS", rows == [(11, "ext"), (12, "ext"), (13, "ext")],
                  rows)
            cur3 = c3.cursor(binary=True)
            cur3.execute("SELECT %s::int8 * 2", (21,))
            check("binary result over TLS", cur3.fetchone() == (42,))
            check("psycopg 3 TLS", c3.pgconn.ssl_in_use)

        # cert: the certificate's CN must name the user.
        def with_cert(name, user, **kw):
            return dict(user=user, sslmode="verify-full", sslrootcert=root,
                        sslcert=os.path.join(certs, name + ".crt"),
                        sslkey=os.path.join(certs, name + ".key"), **kw)

        conn = connect(**with_cert("alice", "alice"))
        check("cert login", one(conn, "SELECT current_user") == ("alice",))
        conn.close()
        err = login_error(user="alice", sslmode="require")
        check("cert without a certificate", err is not None and
              "connection requires a valid client certificate" in err, err)
        err = login_error(**with_cert("bob", "alice"))
        check("cert of another user", err is not None and
              'certificate authentication failed for user "alice"' in err, err)
        err = login_error(**with_cert("rogue_alice", "alice"))
        check("certificate of another CA fails the handshake", err is not None and
              "certificate authentication failed" not in err, err)
        check("server still serves after a bad certificate",
              one(connect(sslmode="require"), "SELECT 3") == (3,))
        # clientcert=verify-full on a trust rule (+certified): dave's own certificate only.
        conn = connect(**with_cert("dave", "dave"))
        check("clientcert=verify-full trust", one(conn, "SELECT current_user") == ("dave",))
        conn.close()
        err = login_error(user="dave", sslmode="require")
        check("clientcert=verify-full needs a certificate", err is not None and
              "connection requires a valid client certificate" in err, err)
        env = dict(os.environ, PGSSLMODE="verify-full", PGSSLROOTCERT=root,
                   PGSSLCERT=os.path.join(certs, "alice.crt"),
                   PGSSLKEY=os.path.join(certs, "alice.key"))
        out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "alice", "-d",
                              "postgres", "-Atc", "SELECT current_user"],
                             capture_output=True, text=True, env=env, timeout=30)
        check("psql cert", out.returncode == 0 and out.stdout.strip() == "alice",
              out.stdout + out.stderr)

        # hostssl / hostnossl / reject / no entry.
        err = login_error(user="bob", password="bobpw", sslmode="disable")
        check("hostssl refuses plain", err is not None and
              'no pg_hba.conf entry for host "127.0.0.1", user "bob", database "postgres", '
              'no encryption' in err, err)
        conn = connect(user="bob", password="bobpw", sslmode="require")
        check("hostssl scram", one(conn, "SELECT current_user") == ("bob",))
        conn.close()
        err = login_error(user="bob", password="wrong", sslmode="require")
        check("hostssl scram wrong password", err is not None and
              'password authentication failed for user "bob"' in err, err)
        err = login_error(user="plain_only", sslmode="require")
        check("hostnossl refuses TLS", err is not None and
              'no pg_hba.conf entry for host "127.0.0.1", user "plain_only", database '
              '"postgres", SSL encryption' in err, err)
        check("hostnossl plain", login_error(user="plain_only", sslmode="disable") is None)
        err = login_error(user="mallory", sslmode="prefer")
        check("reject", err is not None and
              'pg_hba.conf rejects connection for host "127.0.0.1", user "mallory", database '
              '"postgres", SSL encryption' in err, err)
        err = login_error(user="nobody", sslmode="disable")
        check("no entry for an unknown role", err is not None and
              'no pg_hba.conf entry for host "127.0.0.1", user "nobody"' in err, err)

        # Raw sockets: GSSENCRequest gets N; a garbled or cut-short handshake ends only itself.
        s, answer = raw(80877104, port)
        check("GSSENCRequest gets N", answer == b"N", answer)
        s.sendall(struct.pack("!ii", 8, 80877103))
        check("then SSLRequest gets S", s.recv(1) == b"S")
        s.close()
        s, answer = raw(80877103, port)
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" * 4)
        s.settimeout(5)
        try:
            rest = s.recv(100)
            while rest and rest[:1] == b"\x15":  # an alert, then the close
                rest = s.recv(100)
            check("garbled handshake closes", rest == b"", rest)
        except OSError as e:
            check("garbled handshake closes", isinstance(e, ConnectionResetError), repr(e))
        s.close()
        s, answer = raw(80877103, port)
        s.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")  # a ClientHello, cut short
        s.close()
        check("server serves after broken handshakes",
              one(connect(sslmode="require"), "SELECT 4") == (4,))

        # SIGHUP: new rules; then a bad file keeps them.
        with open(hba_path, "w") as f:
            f.write(HBA.replace("hostnossl all      plain_only  127.0.0.1/32   trust",
                                "host      all      plain_only  127.0.0.1/32   reject"))
        server.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        err = None
        while time.monotonic() < deadline:
            err = login_error(user="plain_only", sslmode="disable")
            if err is not None:
                break
            time.sleep(0.1)
        check("SIGHUP reloads the rules", err is not None and
              "pg_hba.conf rejects connection" in err, err)
        with open(hba_path, "w") as f:
            f.write(HBA + "host all all 127.0.0.1/32 magic\n")
        server.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        logged = ""
        while time.monotonic() < deadline and "was not reloaded" not in logged:
            time.sleep(0.1)
            with open(log) as f:
                logged = f.read()
        check("bad file at reload is logged", 'invalid authentication method "magic"' in logged
              and "was not reloaded" in logged)
        err = login_error(user="plain_only", sslmode="disable")
        check("bad file at reload keeps the old rules", err is not None and
              "pg_hba.conf rejects connection" in err, err)
        check("server alive after reloads", server.proc.poll() is None)
        server.kill()
        server = None

        # A key others may read: no start.
        os.chmod(os.path.join(data, "server.key"), 0o644)
        out = subprocess.run([os.path.abspath(args.server), "--data-dir", data, "--port", "0",
                              "--ssl", "on"], capture_output=True, text=True, timeout=60)
        check("world-readable key refused", out.returncode == 2 and
              "has group or world access" in out.stderr, out.stderr)
    except Exception as e:  # noqa: BLE001 - report and fail
        check("run", False, repr(e))
    finally:
        if server is not None:
            server.kill()
        if counts["failed"]:
            with open(log) as f:
                sys.stdout.write(f.read()[-4000:])
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (counts["passed"], counts["failed"]))
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
