#!/usr/bin/python3
"""Runs the reference PostgreSQL 15 behind ActiveStore's command line, to validate the test tools.

  tools/pg_shim.py --data-dir DIR --port N [--listen ADDR] [--sync-mode fsync|periodic|off]
                   [--log-level L] [--max-prepared-transactions N] [--max-connections N]
                   [--superuser-reserved-connections N]

It accepts the server flags that tools/sqllogictest.py and tools/crash_test.py pass to
`activestore`, initialises a PostgreSQL cluster in DIR/pg on first use (trust authentication,
user postgres), and then replaces itself (exec, same pid) with the postgres server in the
foreground, so SIGTERM / SIGKILL reach the real server. Use it as `--server tools/pg_shim.py`
to check that a SQL test file or the crash test passes on PostgreSQL:

  tools/sqllogictest.py --server tools/pg_shim.py sql-tests
  tools/crash_test.py --server tools/pg_shim.py --iterations 3

When run as root it runs PostgreSQL as the OS user postgres (chown of DIR, and it makes DIR's
parent directory traversable). Not part of the product.
"""

import argparse
import os
import pwd
import subprocess
import sys

PGBIN = os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--port", type=int, default=5432)
    ap.add_argument("--listen", default="127.0.0.1")
    ap.add_argument("--sync-mode", choices=("fsync", "periodic", "off"), default="fsync")
    ap.add_argument("--log-level", default="info")
    ap.add_argument("--max-prepared-transactions", type=int, default=0)
    ap.add_argument("--max-connections", type=int, default=100)
    ap.add_argument("--superuser-reserved-connections", type=int, default=3)
    args = ap.parse_args()

    data_dir = os.path.abspath(args.data_dir)
    pg_dir = os.path.join(data_dir, "pg")
    os.makedirs(data_dir, exist_ok=True)
    uid = gid = None
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        uid, gid = pw.pw_uid, pw.pw_gid
        parent = os.path.dirname(data_dir)
        os.chmod(parent, os.stat(parent).st_mode | 0o011)
        os.chown(data_dir, uid, gid)

    def drop():
        if uid is not None:
            os.setgid(gid)
            os.setuid(uid)

    if not os.path.exists(os.path.join(pg_dir, "PG_VERSION")):
        subprocess.run([os.path.join(PGBIN, "initdb"), "-D", pg_dir, "-A", "trust", "-U",
                        "postgres", "--no-sync", "-E", "UTF8", "--locale=C"],
                       check=True, stdout=subprocess.DEVNULL, preexec_fn=drop)
    settings = {
        "fsync": ["-c", "fsync=on", "-c", "synchronous_commit=on"],
        "periodic": ["-c", "fsync=on", "-c", "synchronous_commit=off"],
        "off": ["-c", "fsync=off", "-c", "synchronous_commit=off"],
    }[args.sync_mode]
    settings += ["-c", "max_prepared_transactions=%d" % args.max_prepared_transactions,
                 "-c", "max_connections=%d" % args.max_connections,
                 "-c", "superuser_reserved_connections=%d" % args.superuser_reserved_connections]
    drop()
    sys.stdout.flush()
    os.execv(os.path.join(PGBIN, "postgres"),
             ["postgres", "-D", pg_dir, "-p", str(args.port), "-k", "/tmp",
              "-c", "listen_addresses=" + args.listen, "-c", "TimeZone=UTC"] + settings)


if __name__ == "__main__":
    main()
