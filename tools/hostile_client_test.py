#!/usr/bin/python3
"""Hostile and unlucky clients get PostgreSQL's errors, and the server keeps serving.

  tools/hostile_client_test.py --server build/dev/activestore

Starts the server (with --max-connections 8 --superuser-reserved-connections 2) on a free port
with a fresh temporary --data-dir and checks:
- messages that claim a huge length (1 GiB) pin no memory until their bytes arrive, and a
  message type that carries no data is refused past 10,000 bytes (the connection ends);
- text that is not valid UTF-8 gets 22021 in a simple query, a Parse, a Bind parameter (text
  and binary) and COPY data, and the session goes on;
- statements nested far too deeply (CASE, parentheses, NOT, unary minus, ARRAY, long operator
  chains, array literals) get their answer or 54000/54001 (PostgreSQL's parser: 42601), never
  a crash;
- max_connections and superuser_reserved_connections: 53300 for the sessions past them, and
  the slots come back when sessions end.
The last line is `N passed, N failed`; exit code 1 if any failed.
"""

import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run, session  # noqa: E402  (same folder)

import psycopg2  # noqa: E402


def message(kind, body):
    return kind + struct.pack("!I", len(body) + 4) + body


def cstr(s):
    return (s if isinstance(s, bytes) else s.encode()) + b"\0"


class Raw:
    """A bare protocol connection (trust authentication)."""

    def __init__(self, port, user="postgres"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        body = struct.pack("!I", 196608) + cstr("user") + cstr(user) + cstr("database") + \
            cstr("postgres") + b"\0"
        self.sock.sendall(struct.pack("!I", len(body) + 4) + body)
        self.buf = b""
        self.until(b"Z")

    def read(self):
        """The next message as (type, body); (None, None) at the end of the stream."""
        while True:
            if len(self.buf) >= 5:
                n = struct.unpack("!I", self.buf[1:5])[0]
                if len(self.buf) >= n + 1:
                    kind, body = self.buf[:1], self.buf[5:n + 1]
                    self.buf = self.buf[n + 1:]
                    return kind, body
            chunk = self.sock.recv(65536)
            if not chunk:
                return None, None
            self.buf += chunk

    def until(self, kind):
        """Messages up to and including the first of `kind` (or the end of the stream)."""
        out = []
        while True:
            k, b = self.read()
            out.append((k, b))
            if k is None or k == kind:
                return out

    def close(self):
        self.sock.close()


def error_code(messages):
    """The SQLSTATE of the first ErrorResponse among messages, or None."""
    for kind, body in messages:
        if kind == b"E":
            for field in body.split(b"\0"):
                if field[:1] == b"C":
                    return field[1:].decode()
    return None


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def check_alive(port, check, name):
    try:
        conn = session(port)
        ok = conn.cursor()
        ok.execute("SELECT 1")
        check(name + ": server still answers", ok.fetchone() == (1,))
        conn.close()
    except Exception as e:  # noqa: BLE001 - report as a failure
        check(name + ": server still answers", False, repr(e))


def huge_messages(server, check):
    before = rss_kb(server.proc.pid)
    raws = [Raw(server.port) for _ in range(4)]
    for r in raws:
        r.sock.sendall(b"Q" + struct.pack("!I", 1 << 30) + b"xxxxx")
    time.sleep(1)
    grown = rss_kb(server.proc.pid) - before
    check("four 1 GiB claims pin no memory (RSS grew %d kB)" % grown, grown < 256 * 1024)
    check_alive(server.port, check, "huge claims")
    for r in raws:
        r.close()
    r = Raw(server.port)
    r.sock.sendall(b"S" + struct.pack("!I", 100000) + b"\0" * 100)
    got = r.until(None)
    check("a 100 kB Sync ends the connection with 08P01",
          got[-1][0] is None and error_code(got) in (None, "08P01"), repr(got[:2]))
    r.close()


def invalid_utf8(server, check):
    r = Raw(server.port)
    r.sock.sendall(message(b"Q", b"SELECT 'ab\xff\xfe'\0"))
    check("simple query: 22021", error_code(r.until(b"Z")) == "22021")
    r.sock.sendall(message(b"Q", b"SELECT 1\0"))
    got = r.until(b"Z")
    check("simple query: the session goes on", any(k == b"D" for k, _ in got), repr(got))
    # Parse with invalid text.
    r.sock.sendall(message(b"P", b"\0SELECT '\xc3'\0" + struct.pack("!h", 0)) + message(b"S", b""))
    check("Parse: 22021", error_code(r.until(b"Z")) == "22021")
    # Bind: a text-format and a binary-format text parameter.
    for fmt, value in ((0, b"ab\xff"), (1, b"\xed\xa0\x80")):
        r.sock.sendall(
            message(b"P", b"\0SELECT $1::text\0" + struct.pack("!hI", 1, 25)) +
            message(b"B", b"\0\0" + struct.pack("!hh", 1, fmt) + struct.pack("!hi", 1, len(value)) +
                    value + struct.pack("!h", 0)) +
            message(b"E", b"\0" + struct.pack("!i", 0)) + message(b"S", b""))
        check("Bind (format %d): 22021" % fmt, error_code(r.until(b"Z")) == "22021")
    r.sock.sendall(message(b"Q", b"CREATE TABLE u8 (a text)\0"))
    r.until(b"Z")
    r.sock.sendall(message(b"Q", b"COPY u8 FROM STDIN\0"))
    got = r.until(b"G")
    r.sock.sendall(message(b"d", b"fine\nab\xff\n") + message(b"c", b""))
    check("COPY: 22021", error_code(r.until(b"Z")) == "22021")
    r.sock.sendall(message(b"Q", b"COPY u8 FROM STDIN\0"))
    r.until(b"G")
    r.sock.sendall(message(b"d", b"\\xff\n") + message(b"c", b""))
    check("COPY escape making an invalid byte: 22021", error_code(r.until(b"Z")) == "22021")
    r.sock.sendall(message(b"Q", b"SELECT count(*) FROM u8\0"))
    got = r.until(b"Z")
    check("COPY: nothing stored", any(k == b"D" and b.endswith(b"0") for k, b in got), repr(got))
    r.close()


DEEP = [
    ("CASE x10000", "SELECT " + "CASE WHEN true THEN " * 10000 + "1" + " END" * 10000),
    ("parentheses x100000", "SELECT " + "(" * 100000 + "1" + ")" * 100000),
    ("NOT x100000", "SELECT " + "NOT " * 100000 + "true"),
    ("unary minus x100000", "SELECT " + "- " * 100000 + "1"),
    ("+ chain x100000", "SELECT " + "1 + " * 100000 + "1"),
    ("ARRAY x5000", "SELECT " + "ARRAY[" * 5000 + "1" + "]" * 5000),
    ("array literal x100000", "SELECT '" + "{" * 100000 + "}" * 100000 + "'::int[]"),
    ("scalar subqueries x3000", "SELECT " + "(SELECT " * 3000 + "1" + ")" * 3000),
    ("COALESCE x10000", "SELECT " + "COALESCE(" * 10000 + "1" + ")" * 10000),
]


def deep_nesting(server, check):
    for name, sql in DEEP:
        conn = session(server.port)
        code = None
        try:
            conn.cursor().execute(sql)
        except psycopg2.Error as e:
            code = e.pgcode
        except Exception as e:  # noqa: BLE001 - a lost connection is a failure
            code = repr(e)
        # PostgreSQL's bison parser stops at 10,000 levels with 42601 "memory exhausted".
        check("%s: answer or 54000/54001/42601 (got %s)" % (name, code),
              code in (None, "54000", "54001", "42601", "22P02"))
        try:
            conn.close()
        except Exception:  # noqa: BLE001
            pass
        check_alive(server.port, check, name)


def connection_limits(server, check):
    admin = session(server.port)
    admin.cursor().execute("CREATE ROLE hostile_user LOGIN")
    opened, refused = [], None
    for _ in range(10):  # max 8, 2 reserved: non-superusers get 5 besides `admin`
        try:
            opened.append(psycopg2.connect(host="127.0.0.1", port=server.port,
                                           user="hostile_user", dbname="postgres"))
        except psycopg2.Error as e:
            refused = e
            break
    check("non-superusers: 5 sessions, then refused (%d)" % len(opened), len(opened) == 5)
    check("53300 remaining slots are reserved",
          refused is not None and "reserved" in str(refused), repr(refused))
    supers = []
    for _ in range(4):
        try:
            supers.append(session(server.port))
        except psycopg2.Error as e:
            refused = e
            break
    check("superusers take the 2 reserved slots (%d)" % len(supers), len(supers) == 2)
    check("53300 sorry, too many clients already",
          "too many clients" in str(refused), repr(refused))
    for c in opened + supers:
        c.close()
    time.sleep(0.5)
    try:
        c = psycopg2.connect(host="127.0.0.1", port=server.port, user="hostile_user",
                             dbname="postgres")
        c.close()
        check("slots come back when sessions end", True)
    except psycopg2.Error as e:
        check("slots come back when sessions end", False, repr(e))
    admin.close()


def body(server, check):
    huge_messages(server, check)
    invalid_utf8(server, check)
    deep_nesting(server, check)
    connection_limits(server, check)


if __name__ == "__main__":
    sys.exit(run(__doc__.splitlines()[0], body,
                 extra_args=["--max-connections", "8", "--superuser-reserved-connections", "2"]))
