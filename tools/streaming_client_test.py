#!/usr/bin/python3
"""Streaming results over the wire: Execute row limits, portal lifetimes, errors, cancel, memory.

  tools/streaming_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir and talks the v3 protocol
over a raw socket (what drivers do below their APIs), checking that:
  * Execute with max_rows returns the rows in pieces, each piece ending in PortalSuspended; a
    piece that ends exactly at the last row is still suspended and the next Execute answers
    `SELECT 0`; the command tag counts the rows of the last Execute;
  * Sync at the end of an implicit transaction drops a suspended portal (34000 afterwards),
    while inside BEGIN a portal survives several Syncs until COMMIT drops it;
  * an error raised while rows stream (division by zero at row 1500) comes after the rows
    before it, as an ErrorResponse (22012), then ReadyForQuery;
  * a CancelRequest and statement_timeout stop a running stream with 57014;
  * the server's peak RSS (VmHWM) grows by less than 64 MB while a 3M-row SELECT streams
    (only for activestore: PostgreSQL's backends are other processes).
The last line is `N passed, N failed`; exit code 1 if any failed. Against PostgreSQL:
tools/streaming_client_test.py --server tools/pg_shim.py.
"""

import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run, vm_kb  # noqa: E402  (same folder)


def z(s):
    return s.encode() + b"\0"


class Raw:
    """A protocol 3.0 client on a socket: send messages, read (type, body) pairs."""

    def __init__(self, port):
        self.port = port
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.buf = b""
        self.pos = 0
        body = struct.pack("!I", 196608) + z("user") + z("postgres") + z("database") + \
            z("postgres") + b"\0"
        self.sock.sendall(struct.pack("!I", len(body) + 4) + body)
        self.pid = self.secret = None
        while True:
            t, b = self.read()
            if t == "K":
                self.pid, self.secret = struct.unpack("!II", b)
            if t == "Z":
                break
            if t == "E":
                raise RuntimeError("start-up failed: %r" % b)

    def send(self, t, body=b""):
        self.sock.sendall(t.encode() + struct.pack("!I", len(body) + 4) + body)

    def _fill(self, n):
        while len(self.buf) - self.pos < n:
            got = self.sock.recv(1 << 20)
            if not got:
                raise EOFError("connection closed")
            self.buf = self.buf[self.pos:] + got
            self.pos = 0

    def read(self):
        self._fill(5)
        p = self.pos
        t = chr(self.buf[p])
        (n,) = struct.unpack_from("!I", self.buf, p + 1)
        self._fill(n + 1)
        p = self.pos
        body = self.buf[p + 5:p + n + 1]
        self.pos = p + n + 1
        return t, body

    def until_ready(self):
        """[(type, body)] up to and including ReadyForQuery; notices left out."""
        out = []
        while True:
            t, b = self.read()
            if t == "N":
                continue
            out.append((t, b))
            if t == "Z":
                return out

    def parse_bind(self, sql, portal="", statement=""):
        self.send("P", z(statement) + z(sql) + struct.pack("!h", 0))
        self.send("B", z(portal) + z(statement) + struct.pack("!hhh", 0, 0, 0))

    def execute(self, portal="", max_rows=0):
        self.send("E", z(portal) + struct.pack("!i", max_rows))

    def cancel(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        s.sendall(struct.pack("!IIII", 16, 80877102, self.pid, self.secret))
        s.close()

    def close(self):
        try:
            self.send("X")
        except OSError:
            pass
        self.sock.close()


def shape(msgs):
    return "".join(t for t, _ in msgs)


def first_field(body):
    """The first column of a DataRow, as text."""
    (n,) = struct.unpack("!I", body[2:6])
    return body[6:6 + n].decode()


def tag(msgs):
    return [b[:-1].decode() for t, b in msgs if t == "C"]


def error_code(msgs):
    for t, b in msgs:
        if t == "E":
            for field in b.split(b"\0"):
                if field[:1] == b"C":
                    return field[1:].decode()
    return None


def body(server, check):
    c = Raw(server.port)

    # Execute with max_rows: pieces, PortalSuspended, the last piece's tag.
    c.parse_bind("SELECT g FROM generate_series(1, 7) g")
    for _ in range(3):
        c.execute("", 3)
    c.send("S")
    m = c.until_ready()
    check("pieces", shape(m) == "12DDDsDDDsDCZ", shape(m))
    check("pieces rows", [first_field(b) for t, b in m if t == "D"] ==
          [str(i) for i in range(1, 8)])
    check("pieces tag", tag(m) == ["SELECT 1"], tag(m))

    # A piece that ends at the last row is suspended; the next Execute finds no rows.
    c.parse_bind("SELECT g FROM generate_series(1, 6) g")
    for _ in range(3):
        c.execute("", 3)
    c.send("S")
    m = c.until_ready()
    check("exact pieces", shape(m) == "12DDDsDDDsCZ", shape(m))
    check("exact pieces tag", tag(m) == ["SELECT 0"], tag(m))

    # Sync ends the implicit transaction: the suspended portal is gone.
    c.parse_bind("SELECT g FROM generate_series(1, 10) g", portal="p")
    c.execute("p", 2)
    c.send("S")
    m = c.until_ready()
    check("implicit suspended", shape(m) == "12DDsZ" and m[-1][1] == b"I", shape(m))
    c.execute("p", 2)
    c.send("S")
    m = c.until_ready()
    check("portal dropped at Sync", error_code(m) == "34000", m)

    # Inside a block a portal survives Syncs, until COMMIT.
    c.send("Q", z("BEGIN"))
    c.until_ready()
    c.parse_bind("SELECT g FROM generate_series(1, 10) g", portal="c")
    c.execute("c", 2)
    c.send("S")
    m = c.until_ready()
    check("block first piece", shape(m) == "12DDsZ" and m[-1][1] == b"T", shape(m))
    c.execute("c", 3)
    c.send("S")
    m = c.until_ready()
    check("block second piece", [first_field(b) for t, b in m if t == "D"] == ["3", "4", "5"],
          m)
    c.execute("c", 1)
    c.send("H")  # Flush: the rows come before Sync
    t, b = c.read()
    check("flush", t == "D" and first_field(b) == "6", (t, b))
    t, b = c.read()
    check("flush suspended", t == "s", t)
    c.send("S")
    c.until_ready()
    c.send("Q", z("COMMIT"))
    c.until_ready()
    c.execute("c", 1)
    c.send("S")
    m = c.until_ready()
    check("portal dropped at COMMIT", error_code(m) == "34000", m)

    # An error while streaming: the rows before it, then ErrorResponse, then ReadyForQuery.
    c.send("Q", z("SELECT 3000 / (1500 - g) FROM generate_series(1, 100000) g"))
    m = c.until_ready()
    rows = [first_field(b) for t, b in m if t == "D"]
    expect = [str(3000 // (1500 - g)) for g in range(1, 1500)]
    check("error mid-stream", shape(m)[0] == "T" and shape(m)[-2:] == "EZ" and
          error_code(m) == "22012" and 0 < len(rows) <= 1499 and rows == expect[:len(rows)],
          (shape(m)[:3], shape(m)[-3:], len(rows)))

    # Cancel while rows stream to a client that reads them.
    c.send("Q", z("SELECT generate_series(1, 200000000)"))
    got = 0
    while got < 1000:
        t, _ = c.read()
        got += t == "D"
    c.cancel()
    m = c.until_ready()
    check("cancel mid-stream", error_code(m) == "57014", shape(m)[-3:])

    # statement_timeout while rows stream.
    c.send("Q", z("SET statement_timeout = 300"))
    c.until_ready()
    start = time.monotonic()
    c.send("Q", z("SELECT generate_series(1, 200000000)"))
    m = c.until_ready()
    check("statement_timeout mid-stream", error_code(m) == "57014" and
          sum(1 for t, _ in m if t == "D") > 0, (shape(m)[:2], shape(m)[-3:]))
    check("statement_timeout in time", time.monotonic() - start < 30)
    c.send("Q", z("SET statement_timeout = 0"))
    c.until_ready()

    # Memory stays bounded while a large result streams (activestore only).
    if os.path.basename(server.binary) == "activestore":
        pid = server.proc.pid
        before = vm_kb(pid, "VmHWM")
        c.send("Q", z("SELECT g, g::text || 'abcdefghij' FROM generate_series(1, 3000000) g"))
        m = c.until_ready()
        grown = (vm_kb(pid, "VmHWM") - before) // 1024
        n = sum(1 for t, _ in m if t == "D")
        check("large result", n == 3000000 and tag(m) == ["SELECT 3000000"], (n, tag(m)))
        check("bounded memory (peak RSS grew by %d MB)" % grown, grown < 64, grown)
        print("peak RSS growth streaming 3M rows: %d MB" % grown)
    c.close()


if __name__ == "__main__":
    # Under AddressSanitizer freed memory waits in a 256 MB quarantine, which would hide what
    # the server holds; a small one keeps the peak RSS meaningful (no effect on other builds).
    os.environ["ASAN_OPTIONS"] = ":".join(
        x for x in (os.environ.get("ASAN_OPTIONS"),
                    "quarantine_size_mb=1:thread_local_quarantine_size_kb=64") if x)
    sys.exit(run(__doc__.split("\n")[0], body))
