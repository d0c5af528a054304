#!/usr/bin/python3
"""The write cost of replication, side by side in one run (issue 13, "Done means, measured").

  tools/replication_bench.py --server build/release/activestore [--ports 6500-6599]
      [--seconds 60] [--clients 8] [--rounds 2] [--scale 1] [--postgres]

pgbench TPC-B (-M prepared, --clients clients, -j 2) against:
  * single:      one activestore node, shard_log off (the default: what a node without
                 replication runs);
  * single+log:  the primary with shard_log on, before its replica exists;
  * async:       the same primary with a streaming replica on 127.0.0.2, synchronous_commit =
                 local (PGOPTIONS);
  * sync:        the same, synchronous_commit = on with synchronous_replicas = 1.
The primary runs with --synchronous-replicas 1 throughout: the asynchronous runs differ only by
the session's synchronous_commit. The runs alternate over --rounds rounds (the machine's load
moves). With --postgres, the same on PostgreSQL 15: two clusters made with pg_createcluster on
ports of the range (a primary and a streaming standby from pg_basebackup, synchronous_standby_names
= '*'), removed at the end. Prints one line per run and a summary (median TPS and latency per
configuration). Every process and cluster it starts, it stops.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from replication_test import Node, free_port, rows, wait_replayed  # noqa: E402


def pgbench(host, port, seconds, clients, options, user="postgres"):
    env = dict(os.environ, PGHOST=host, PGPORT=str(port), PGUSER=user, PGDATABASE="postgres",
               PGSSLMODE="disable", PGOPTIONS=options)
    out = subprocess.run(["pgbench", "-M", "prepared", "-c", str(clients), "-j", "2", "-T",
                          str(seconds), "-n"], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT).stdout.decode()
    tps = re.search(r"tps = ([0-9.]+)", out)
    lat = re.search(r"latency average = ([0-9.]+) ms", out)
    if not tps or not lat:
        raise RuntimeError("pgbench failed:\n" + out)
    return float(tps.group(1)), float(lat.group(1))


def pgbench_init(host, port, scale, user="postgres"):
    env = dict(os.environ, PGHOST=host, PGPORT=str(port), PGUSER=user, PGDATABASE="postgres",
               PGSSLMODE="disable", PGOPTIONS="-c synchronous_commit=local")
    subprocess.run(["pgbench", "-i", "-s", str(scale), "-q"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def report(results):
    print("\nconfiguration     runs  median TPS  median latency (ms)")
    for name, runs in results.items():
        print("%-16s %5d %11.1f %20.2f" % (name, len(runs), statistics.median(r[0] for r in runs),
                                           statistics.median(r[1] for r in runs)))
    sys.stdout.flush()


def run_activestore(args, lo, hi, tmp):
    binary = os.path.abspath(args.server)
    results = {"single": [], "single+log": [], "async": [], "sync": []}
    p_port = free_port("127.0.0.1", lo, hi)
    single = Node(binary, os.path.join(tmp, "single"), os.path.join(tmp, "single.log"),
                  "127.0.0.1", p_port, [])
    primary = Node(binary, os.path.join(tmp, "primary"), os.path.join(tmp, "primary.log"),
                   "127.0.0.1", p_port, ["--shard-log", "on", "--synchronous-replicas", "1"])
    replica = None
    try:
        single.start()
        pgbench_init(single.host, single.port, args.scale)
        single.stop()
        primary.start()
        pgbench_init(primary.host, primary.port, args.scale)
        primary.stop()
        for rnd in range(args.rounds):
            primary.stop()
            single.start()
            r = pgbench(single.host, single.port, args.seconds, args.clients, "")
            results["single"].append(r)
            print("round %d single      tps %.1f latency %.2f ms" % (rnd, r[0], r[1]))
            single.stop()
            primary.start()
            if replica is not None:
                replica.stop()
            r = pgbench(primary.host, primary.port, args.seconds, args.clients,
                        "-c synchronous_commit=local")
            results["single+log"].append(r)
            print("round %d single+log  tps %.1f latency %.2f ms" % (rnd, r[0], r[1]))
            if replica is None:
                replica = Node(binary, os.path.join(tmp, "replica"),
                               os.path.join(tmp, "replica.log"), "127.0.0.2",
                               free_port("127.0.0.2", lo, hi, taken=(p_port,)),
                               ["--replica-of", "127.0.0.1:%d" % p_port,
                                "--replication-slot", "bench"])
            replica.start()
            pc, rc = primary.connect(), replica.connect()
            wait_replayed(pc, rc, timeout=300)
            for name, opt in (("async", "-c synchronous_commit=local"),
                              ("sync", "-c synchronous_commit=on")):
                r = pgbench(primary.host, primary.port, args.seconds, args.clients, opt)
                results[name].append(r)
                print("round %d %-10s  tps %.1f latency %.2f ms" % (rnd, name, r[0], r[1]))
                sys.stdout.flush()
                wait_replayed(pc, rc, timeout=300)
            st = rows(pc, "SELECT sync_state FROM pg_stat_replication")
            print("   pg_stat_replication.sync_state: %s" % st)
            pc.close()
            rc.close()
    finally:
        for n in (single, primary, replica):
            if n is not None:
                n.kill()
    return results


def run_postgres(args, lo, hi, tmp):
    """PostgreSQL 15: a primary and a synchronous streaming standby (pg_createcluster)."""
    version = "15"
    p_port = free_port("127.0.0.1", lo, hi)
    s_port = free_port("127.0.0.1", lo, hi, taken=(p_port,))
    pname, sname = "replbench_p%d" % p_port, "replbench_s%d" % s_port
    results = {"pg single": [], "pg async": [], "pg sync": []}

    def sh(*cmd):
        # Through a file, not a pipe: a server started by pg_ctlcluster keeps its output open.
        with tempfile.TemporaryFile() as out:
            print("   $ %s" % " ".join(cmd))
            sys.stdout.flush()
            r = subprocess.run(list(cmd), stdout=out, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, timeout=300)
            out.seek(0)
            text = out.read().decode(errors="replace")
        if r.returncode != 0:
            raise RuntimeError("%s failed:\n%s" % (" ".join(cmd), text))
        return text

    def psql(port, sql):
        return sh("su", "postgres", "-c",
                  "PGOPTIONS='-c synchronous_commit=local' psql -h 127.0.0.1 -p %d -Atc \"%s\""
                  % (port, sql.replace('"', '\\"')))
    made = []
    try:
        sh("pg_createcluster", version, pname, "-p", str(p_port), "--",
           "--auth-local=trust", "--auth-host=trust")
        made.append(pname)
        conf = "/etc/postgresql/%s/%s" % (version, pname)
        with open(conf + "/conf.d/bench.conf", "w") as f:
            f.write("listen_addresses = '127.0.0.1'\nwal_level = replica\n"
                    "max_wal_senders = 5\nsynchronous_standby_names = '*'\n"
                    "shared_buffers = 128MB\n")
        with open(conf + "/pg_hba.conf", "a") as f:
            f.write("host replication all 127.0.0.1/32 trust\n")
        sh("pg_ctlcluster", version, pname, "start")
        # (Trust authentication; with synchronous_standby_names set and no standby yet, every
        # statement that commits must say synchronous_commit = local.)
        env_init = dict(os.environ)
        subprocess.run(["pgbench", "-i", "-s", str(args.scale), "-q", "-h", "127.0.0.1", "-p",
                        str(p_port), "-U", "postgres", "postgres"], env=dict(
                            env_init, PGOPTIONS="-c synchronous_commit=local"), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # The standby: a cluster whose data directory is a base backup of the primary.
        sh("pg_createcluster", version, sname, "-p", str(s_port))
        made.append(sname)
        sdata = "/var/lib/postgresql/%s/%s" % (version, sname)
        shutil.rmtree(sdata)
        sh("su", "postgres", "-c", "pg_basebackup -h 127.0.0.1 -p %d -U postgres -D %s -R "
           "-X stream -c fast" % (p_port, sdata))
        with open("/etc/postgresql/%s/%s/conf.d/bench.conf" % (version, sname), "w") as f:
            f.write("listen_addresses = '127.0.0.1'\nhot_standby = on\nshared_buffers = 128MB\n")
        for rnd in range(args.rounds):
            sh("pg_ctlcluster", version, sname, "stop", "-m", "fast") if rnd > 0 else None
            r = pgbench("127.0.0.1", p_port, args.seconds, args.clients,
                        "-c synchronous_commit=local")
            results["pg single"].append(r)
            print("round %d pg single   tps %.1f latency %.2f ms" % (rnd, r[0], r[1]))
            sh("pg_ctlcluster", version, sname, "start")
            time.sleep(2)
            for name, opt in (("pg async", "-c synchronous_commit=local"),
                              ("pg sync", "-c synchronous_commit=on")):
                r = pgbench("127.0.0.1", p_port, args.seconds, args.clients, opt)
                results[name].append(r)
                print("round %d %-10s  tps %.1f latency %.2f ms" % (rnd, name, r[0], r[1]))
                sys.stdout.flush()
            print("   pg_stat_replication.sync_state: %s" % psql(
                p_port, "SELECT sync_state FROM pg_stat_replication").strip())
    finally:
        for name in reversed(made):
            subprocess.run(["pg_dropcluster", "--stop", version, name],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--ports", default="6500-6599")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--skip-activestore", action="store_true")
    args = ap.parse_args()
    lo, hi = (int(x) for x in args.ports.split("-"))
    tmp = tempfile.mkdtemp(prefix="replication_bench_")
    print("load average before: %s" % open("/proc/loadavg").read().strip())
    results = {}
    try:
        if not args.skip_activestore:
            results.update(run_activestore(args, lo, hi, tmp))
        if args.postgres:
            results.update(run_postgres(args, lo, hi, tmp))
    except Exception:
        for name in sorted(os.listdir(tmp)):
            if name.endswith(".log"):
                with open(os.path.join(tmp, name), "rb") as f:
                    print("--- %s (end)\n%s" % (name, f.read()[-3000:].decode(errors="replace")))
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("load average after: %s" % open("/proc/loadavg").read().strip())
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
