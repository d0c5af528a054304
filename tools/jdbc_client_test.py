#!/usr/bin/python3
"""pgjdbc (Debian's libpostgresql-jdbc-java) against the server: tools/JdbcClientTest.java.

  tools/jdbc_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir, runs the Java program
(a single-file source program: `java -cp postgresql.jar tools/JdbcClientTest.java PORT`), and
counts its "ok"/"FAILED" lines: setBigDecimal (numeric in binary), setObject(UUID), setBytes,
timestamptz and interval parameters with binary transfer, each read back. The last line is
`N passed, N failed`; exit code 1 if any failed. Against PostgreSQL:
tools/jdbc_client_test.py --server tools/pg_shim.py.
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run  # noqa: E402  (same folder)

JAR = "/usr/share/java/postgresql.jar"
PROGRAM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "JdbcClientTest.java")


def body(server, check):
    out = subprocess.run(["java", "-cp", JAR, PROGRAM, str(server.port)], capture_output=True,
                         text=True, timeout=300)
    lines = out.stdout.splitlines()
    for line in lines:
        ok = line.startswith("ok ")
        check(line.split(" ", 1)[1] if " " in line else line, ok, line)
    check("java exit", out.returncode == 0 and lines, out.stderr[-2000:])


if __name__ == "__main__":
    sys.exit(run(__doc__.split("\n")[0], body))
