#!/usr/bin/python3
"""A full disk: writes get 53100, reads go on, writes resume, the server restarts on it.

  tools/disk_full_test.py --server build/dev/activestore

Mounts a 96 MB tmpfs on a temporary directory (needs root or CAP_SYS_ADMIN; without it the test
says so and exits 77, which ctest reports as skipped), puts a 24 MB filler file and the data
directory on it, and starts the server with --disk-reserve-mb 16. Then:
- inserts 1 KB rows in transactions of 100 until one fails: it must fail with 53100, and every
  earlier commit was acknowledged;
- the server still runs: a new session connects, SELECT counts exactly the acknowledged rows,
  and another INSERT fails with 53100 again;
- the filler is deleted: within a few seconds INSERTs succeed again, without a restart;
- the file system is filled up again and the server is killed with SIGKILL: it starts again on
  the nearly full disk (the reserve file is given back for recovery), the rows are all there,
  and writes fail with 53100 while reads work.
The last line is `N passed, N failed`; exit code 1 if any failed.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

import psycopg2

SKIP = 77


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connect(port, timeout=5):
    conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres",
                            connect_timeout=timeout)
    conn.autocommit = True
    return conn


def start(binary, data_dir, port, log_path, timeout=60):
    log = open(log_path, "ab")
    proc = subprocess.Popen([binary, "--data-dir", data_dir, "--port", str(port),
                             "--disk-reserve-mb", "16", "--log-file-max-mb", "2",
                             "--cache-size-mb", "16"],
                            stdout=log, stderr=subprocess.STDOUT)
    log.close()
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            return proc, False
        try:
            connect(port, 2).close()
            return proc, True
        except psycopg2.OperationalError:
            time.sleep(0.2)
    return proc, False


def fill(path, leave_bytes):
    """Writes `path` until the file system has about `leave_bytes` free."""
    with open(path, "ab") as f:
        chunk = b"\0" * (1 << 20)
        while True:
            st = os.statvfs(os.path.dirname(path))
            if st.f_bavail * st.f_frsize <= leave_bytes + len(chunk):
                break
            try:
                f.write(chunk)
                f.flush()
            except OSError:
                break


def insert_batch(conn, start_id, n=100):
    cur = conn.cursor()
    cur.execute("BEGIN")
    try:
        cur.execute("INSERT INTO big SELECT g, repeat('x', 1000) FROM generate_series(%s, %s) g",
                    (start_id, start_id + n - 1))
        cur.execute("COMMIT")
    except psycopg2.Error:
        try:
            cur.execute("ROLLBACK")
        except psycopg2.Error:
            pass
        raise


def state_of(fn):
    try:
        fn()
    except psycopg2.Error as e:
        return e.pgcode or "no sqlstate: %s" % str(e).strip()[:120]
    return "ok"


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    args = ap.parse_args(argv)
    binary = os.path.abspath(args.server)
    work = tempfile.mkdtemp(prefix="as-diskfull-")
    mnt = os.path.join(work, "fs")
    os.mkdir(mnt)
    if subprocess.call(["mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", mnt],
                       stderr=subprocess.DEVNULL) != 0:
        print("SKIP: cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)")
        os.rmdir(mnt)
        os.rmdir(work)
        return SKIP
    passed = failed = 0
    log_path = os.path.join(work, "server.log")
    proc = None

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok   %s" % name, flush=True)
        else:
            failed += 1
            print("FAIL %s %s" % (name, detail), flush=True)

    try:
        filler = os.path.join(mnt, "filler")
        with open(filler, "wb") as f:
            f.write(b"\0" * (24 << 20))
        data_dir = os.path.join(mnt, "data")
        port = free_port()
        proc, up = start(binary, data_dir, port, log_path)
        check("server starts on the small file system", up)
        if not up:
            return 1
        conn = connect(port)
        conn.cursor().execute("CREATE TABLE big (id int PRIMARY KEY, pad text)")
        acked = 0
        error = None
        while acked < 1000000:
            try:
                insert_batch(conn, acked + 1)
                acked += 100
            except psycopg2.Error as e:
                error = e
                break
        check("inserts into a filling disk end with 53100", error is not None and
              error.pgcode == "53100",
              "after %d rows: %s" % (acked, error and (error.pgcode, str(error).strip()[:200])))
        print("     %d rows acknowledged before the disk filled" % acked)
        check("the server keeps running", proc.poll() is None)
        other = connect(port)
        cur = other.cursor()
        cur.execute("SELECT count(*) FROM big")
        check("reads go on and see every acknowledged row", cur.fetchone()[0] == acked)
        check("another write fails with 53100",
              state_of(lambda: insert_batch(other, acked + 1)) == "53100")

        os.remove(filler)
        resumed = False
        for _ in range(50):
            if state_of(lambda: insert_batch(other, acked + 1)) == "ok":
                acked += 100
                resumed = True
                break
            time.sleep(0.1)
        check("writes resume once space is freed, without a restart", resumed)
        other.close()
        conn.close()

        fill(filler, 4 << 20)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc, up = start(binary, data_dir, port, log_path)
        check("the server restarts on a nearly full disk", up,
              open(log_path, "rb").read().decode(errors="replace")[-1500:])
        if up:
            conn = connect(port)
            cur = conn.cursor()
            cur.execute("SELECT count(*), count(DISTINCT pad) FROM big")
            n, pads = cur.fetchone()
            check("every acknowledged row survived", n == acked and pads == 1,
                  "%d rows, %d acknowledged" % (n, acked))
            check("writes on the full disk fail with 53100",
                  state_of(lambda: insert_batch(conn, acked + 1)) == "53100")
            conn.close()
    finally:
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        subprocess.call(["umount", mnt])
        subprocess.call(["rm", "-rf", work])
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
