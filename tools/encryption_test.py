#!/usr/bin/python3
"""Encryption at rest, end to end: no plain text on disk, restarts, wrong keys, rotation.

  tools/encryption_test.py --server build/dev/activestore

Creates a data directory with --encryption aes256 and a key file (0600, outside the data
directory), then:
- writes rows whose text column and primary key carry a marker (also in a secondary index key),
  enough of them for several WiredTiger log files (--log-file-max-mb 1), runs CHECKPOINT, stops
  the server with SIGTERM, and greps every file in the data directory for the marker: none;
- restarts and reads every row back (also through the index);
- writes more marked rows and kills the server with SIGKILL right after the commits: the marker
  is in no file (the log is encrypted too); the restart recovers the rows;
- starting with a wrong key, without encryption, with a group-readable key file, and with no key
  fails with a clear message and touches nothing (a later start with the right key works);
- an unencrypted data directory cannot be started with encryption;
- rotation: a key file with a new key first and the old one second (through
  --encryption-key-command this time) reads the old rows and writes new ones; leaving the old key
  out is then refused.
The last line is `N passed, N failed`; exit code 1 if any failed.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile

import crash_test
from crash_test import connect

MARKER = "ENCMARKER-5d1c"


BASE_ARGS = ["--log-file-max-mb", "1", "--cache-size-mb", "32"]


class Server(crash_test.Server):
    """crash_test's server (started on a free port, killed with SIGKILL) started with other
    arguments each time, stopped with SIGTERM, or expected to refuse to start."""

    def __init__(self, binary, data_dir, log_path):
        super().__init__(binary, data_dir, log_path, [], 60)

    def start_with(self, extra):
        self.extra_args = BASE_ARGS + extra
        self.start()

    def refused(self, extra, timeout=60):
        """Starts the server expecting it to exit; returns (exit code, its stderr)."""
        cmd = [self.binary, "--data-dir", self.data_dir, "--port", str(crash_test.free_port()),
               "--listen", "127.0.0.1"] + BASE_ARGS + extra
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        return p.returncode, p.stderr.decode(errors="replace")

    def stop(self):
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)
        self.proc = None


def files_with(directory, needle):
    found = []
    count = 0
    for root, _, names in os.walk(directory):
        for name in names:
            path = os.path.join(root, name)
            count += 1
            with open(path, "rb") as f:
                if needle.encode() in f.read():
                    found.append(os.path.relpath(path, directory))
    return found, count


def write_key(path, *keys, mode=0o600):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("# test keys\n" + "".join(k + "\n" for k in keys))
    os.chmod(path, mode)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", required=True)
    args = ap.parse_args()
    counts = {"passed": 0, "failed": 0}

    def check(name, ok, detail=""):
        counts["passed" if ok else "failed"] += 1
        if not ok:
            print("FAILED %s %s" % (name, detail))

    tmp = tempfile.mkdtemp(prefix="encryption_test_")
    key_a, key_b = os.urandom(32).hex(), os.urandom(32).hex()
    a_file, b_file = os.path.join(tmp, "a.key"), os.path.join(tmp, "b.key")
    ba_file, open_file = os.path.join(tmp, "ba.key"), os.path.join(tmp, "open.key")
    write_key(a_file, key_a)
    write_key(b_file, key_b)
    write_key(ba_file, key_b, key_a)
    write_key(open_file, key_a, mode=0o644)
    enc_a = ["--encryption", "aes256", "--encryption-key-file", a_file]
    server = Server(os.path.abspath(args.server), os.path.join(tmp, "data"),
                    os.path.join(tmp, "server.log"))
    plain = Server(server.binary, os.path.join(tmp, "plain"), server.log_path)
    try:
        server.start_with(enc_a)
        conn = connect(server.port)
        cur = conn.cursor()
        cur.execute("CREATE TABLE secrets (id text PRIMARY KEY, note text, n int)")
        cur.execute("CREATE INDEX secrets_note ON secrets (note)")
        for batch in range(12):
            cur.execute(
                "INSERT INTO secrets SELECT %s || '-' || g, %s || ' note ' || g || "
                "repeat('x', 300), g FROM generate_series(%s, %s) g",
                (MARKER, MARKER, batch * 1000, batch * 1000 + 999))
        logs = [n for n in os.listdir(os.path.join(server.data_dir, "wt"))
                if n.startswith("WiredTigerLog")]
        check("several log files were written", len(logs) >= 2, str(logs))
        found, _ = files_with(server.data_dir, MARKER)
        check("no marker while running", not found, str(found))
        cur.execute("CHECKPOINT")
        conn.close()
        server.stop()
        found, count = files_with(server.data_dir, MARKER)
        check("no marker after a clean stop", not found and count > 5, "%s of %d" % (found, count))

        server.start_with(enc_a)
        conn = connect(server.port)
        cur = conn.cursor()
        cur.execute("SELECT count(*), sum(n) FROM secrets")
        check("rows back after restart", cur.fetchone() == (12000, sum(range(12000))))
        cur.execute("SELECT id FROM secrets WHERE note = %s",
                    (MARKER + " note 4321" + "x" * 300,))
        check("index lookup after restart", cur.fetchall() == [(MARKER + "-4321",)])
        for i in range(50):
            cur.execute("INSERT INTO secrets VALUES (%s, %s, %s)",
                        ("%s-late-%d" % (MARKER, i), MARKER + " late", 100000 + i))
        server.kill()
        found, _ = files_with(server.data_dir, MARKER)
        check("no marker after kill -9 (log encrypted)", not found, str(found))

        # Refused starts: each exits non-zero with a clear message.
        code, err = server.refused(["--encryption", "aes256", "--encryption-key-file", b_file])
        check("wrong key refused", code != 0 and "do not match" in err, "%d %s" % (code, err))
        code, err = server.refused([])
        check("no encryption refused", code != 0 and "is encrypted" in err, "%d %s" % (code, err))
        code, err = server.refused(["--encryption", "aes256"])
        check("no key refused", code != 0 and "encryption_key_file" in err, "%d %s" % (code, err))
        code, err = server.refused(["--encryption", "aes256", "--encryption-key-file", open_file])
        check("group-readable key file refused", code != 0 and "group or world access" in err,
              "%d %s" % (code, err))

        server.start_with(enc_a)
        conn = connect(server.port)
        cur = conn.cursor()
        cur.execute("SELECT count(*) FROM secrets WHERE note = %s", (MARKER + " late",))
        check("rows committed before kill -9 recovered", cur.fetchone() == (50,))
        conn.close()
        server.stop()

        # Rotation through a key command: b active, a kept for the old blocks.
        enc_ba = ["--encryption", "aes256", "--encryption-key-command", "cat " + ba_file]
        server.start_with(enc_ba)
        conn = connect(server.port)
        cur = conn.cursor()
        cur.execute("SELECT count(*) FROM secrets")
        check("old rows read after rotation", cur.fetchone() == (12050,))
        cur.execute("INSERT INTO secrets VALUES (%s, 'rotated', 1)", (MARKER + "-rotated",))
        cur.execute("CHECKPOINT")
        conn.close()
        server.stop()
        code, err = server.refused(["--encryption", "aes256", "--encryption-key-file", b_file])
        check("old key still required after rotation", code != 0 and "do not match" in err,
              "%d %s" % (code, err))
        server.start_with(enc_ba)
        conn = connect(server.port)
        cur = conn.cursor()
        cur.execute("SELECT note FROM secrets WHERE id = %s", (MARKER + "-rotated",))
        check("row written under the new key", cur.fetchall() == [("rotated",)])
        conn.close()
        server.stop()
        found, _ = files_with(server.data_dir, MARKER)
        check("no marker after rotation", not found, str(found))

        # A data directory made without encryption stays without.
        plain.start_with([])
        conn = connect(plain.port)
        conn.cursor().execute("CREATE TABLE clear (note text PRIMARY KEY)")
        conn.cursor().execute("INSERT INTO clear VALUES (%s)", (MARKER,))
        conn.close()
        plain.stop()
        found, _ = files_with(plain.data_dir, MARKER)
        check("the grep finds the marker in an unencrypted directory", found, str(found))
        code, err = plain.refused(enc_a)
        check("unencrypted directory refuses encryption",
              code != 0 and "created without encryption" in err, "%d %s" % (code, err))
    except Exception as e:  # noqa: BLE001 - report and fail
        check("run", False, repr(e))
        with open(server.log_path, errors="replace") as f:
            sys.stdout.write(f.read()[-4000:])
    finally:
        server.kill()
        plain.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (counts["passed"], counts["failed"]))
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
