#!/usr/bin/env python3
"""Whole-server figures that compare.py does not print: start time, point-read latency
percentiles, resident memory idle and under load, and memory curves over many create/drop
cycles and many distinct statements. Prints a markdown table; PostgreSQL 15 (a throwaway
cluster made with initdb) runs the same steps where they make sense.

Usage (release build):
  /usr/bin/python3 bench/server_figures.py --server build/release/activestore \
      [--figures start,latency,rss,cycles,statements] [--cycles 10000] [--statements 1000000]
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import psycopg2

PGBIN = "/usr/lib/postgresql/15/bin"
# PostgreSQL refuses to run as root: run it as the postgres user then.
AS_PG = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def connect(port, dbname="postgres", timeout=60):
    deadline = time.time() + timeout
    while True:
        try:
            c = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", password="postgres",
                                 dbname=dbname, connect_timeout=2)
            c.autocommit = True
            return c
        except psycopg2.OperationalError:
            if time.time() > deadline:
                raise
            time.sleep(0.005)


def rss_kb(pids):
    """Resident set of the processes (PSS for several, so that shared memory counts once)."""
    total = 0
    for pid in pids:
        key = "Pss:" if len(pids) > 1 else "Rss:"
        try:
            with open("/proc/%d/smaps_rollup" % pid) as f:
                for line in f:
                    if line.startswith(key):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


class Server:
    def __init__(self, kind, binary, workdir):
        self.kind, self.binary, self.workdir = kind, binary, workdir
        self.port = free_port()
        self.datadir = os.path.join(workdir, kind + "-data")
        self.proc = None

    def init(self):
        if self.kind == "postgresql":
            pwfile = os.path.join(self.workdir, "pw")
            with open(pwfile, "w") as f:
                f.write("postgres\n")
            os.chmod(pwfile, 0o644)
            subprocess.run(AS_PG + [PGBIN + "/initdb", "-D", self.datadir, "-U", "postgres", "-A", "md5",
                            "--pwfile", pwfile], check=True, stdout=subprocess.DEVNULL)
            with open(os.path.join(self.datadir, "postgresql.conf"), "a") as f:
                f.write("shared_buffers = 1GB\nmax_connections = 200\nunix_socket_directories = ''\n")

    def start(self):
        t0 = time.time()
        if self.kind == "postgresql":
            cmd = AS_PG + [PGBIN + "/postgres", "-D", self.datadir, "-p", str(self.port), "-c", "listen_addresses=127.0.0.1"]
        else:
            cmd = [self.binary, "--data-dir", self.datadir, "--port", str(self.port)]
        self.log = open(os.path.join(self.workdir, self.kind + ".log"), "a")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=self.log, start_new_session=True)
        connect(self.port).close()
        return time.time() - t0

    def pids(self):
        if self.kind != "postgresql":
            return [self.proc.pid]
        out = subprocess.run(["pgrep", "-g", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()] or [self.proc.pid]

    def rss_mb(self):
        return rss_kb(self.pids()) / 1024.0

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT if self.kind == "postgresql" else signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def pgbench(port, args, env):
    return subprocess.run([PGBIN + "/pgbench", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"] + args,
                          capture_output=True, text=True, env=env)


def latency(srv, env, seconds, workdir):
    """p50/p99 of a single-client prepared point read (pgbench -S -M prepared, per-transaction log)."""
    r = pgbench(srv.port, ["-i", "-q", "-s", "1", "postgres"], env)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    prefix = os.path.join(workdir, srv.kind + "-lat")
    r = pgbench(srv.port, ["-n", "-S", "-M", "prepared", "-c", "1", "-T", str(seconds), "-l",
                           "--log-prefix", prefix, "postgres"], env)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    lat = []
    for name in os.listdir(workdir):
        if name.startswith(os.path.basename(prefix)):
            with open(os.path.join(workdir, name)) as f:
                lat += [int(line.split()[2]) for line in f if line.strip()]
            os.unlink(os.path.join(workdir, name))
    lat.sort()
    return lat[len(lat) // 2], lat[int(len(lat) * 0.99)], len(lat)


def rss_under_load(srv, env, seconds):
    idle = srv.rss_mb()
    p = subprocess.Popen([PGBIN + "/pgbench", "-h", "127.0.0.1", "-p", str(srv.port), "-U", "postgres",
                          "-n", "-S", "-M", "prepared", "-c", "8", "-j", "2", "-T", str(seconds), "postgres"],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = idle
    while p.poll() is None:
        peak = max(peak, srv.rss_mb())
        time.sleep(0.5)
    return idle, peak


def cycles(srv, n, every):
    """n times: CREATE DATABASE, five tables with a row each, DROP DATABASE; RSS every `every`."""
    c = connect(srv.port)
    cur = c.cursor()
    curve = [(0, srv.rss_mb())]
    for i in range(1, n + 1):
        cur.execute("CREATE DATABASE cyc")
        d = connect(srv.port, "cyc")
        dc = d.cursor()
        for t in range(5):
            dc.execute("CREATE TABLE t%d (id int PRIMARY KEY, v text)" % t)
            dc.execute("INSERT INTO t%d VALUES (1, 'x')" % t)
        d.close()
        cur.execute("DROP DATABASE cyc")
        if i % every == 0:
            curve.append((i, srv.rss_mb()))
    c.close()
    return curve


def statements(srv, n, every):
    """n distinct ad-hoc statements (distinct shapes, not only distinct constants)."""
    c = connect(srv.port)
    cur = c.cursor()
    cur.execute("CREATE TABLE IF NOT EXISTS st (a int, b int, c text)")
    curve = [(0, srv.rss_mb())]
    cols = ["a", "b", "c", "a + b", "length(c)", "b * 2"]
    for i in range(1, n + 1):
        # A new column alias per statement makes every statement a new shape for the plan cache
        # and new text for ANTLR's DFA and pg_stat_statements.
        cur.execute("SELECT %s AS x%d FROM st WHERE a = %d" % (cols[i % len(cols)], i, i))
        cur.fetchall()
        if i % every == 0:
            curve.append((i, srv.rss_mb()))
    c.close()
    return curve


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server", required=True)
    ap.add_argument("--figures", default="start,latency,rss,cycles,statements")
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--cycles", type=int, default=10000)
    ap.add_argument("--statements", type=int, default=1000000)
    ap.add_argument("--no-postgres", action="store_true", help="ActiveStore only")
    opts = ap.parse_args()
    figures = opts.figures.split(",")
    workdir = tempfile.mkdtemp(prefix="server_figures_")
    os.chmod(workdir, 0o777)
    env = dict(os.environ, PGPASSWORD="postgres")
    kinds = ["activestore"] if opts.no_postgres else ["postgresql", "activestore"]
    rows = []
    try:
        for kind in kinds:
            srv = Server(kind, opts.server, workdir)
            srv.init()
            try:
                started = srv.start()
                if "start" in figures:
                    rows.append((kind, "start, empty data directory", "%.2f s" % started))
                if "latency" in figures:
                    p50, p99, n = latency(srv, env, opts.seconds, workdir)
                    rows.append((kind, "point read -M prepared -c 1: p50 / p99 (%d reads)" % n,
                                 "%d / %d µs" % (p50, p99)))
                if "rss" in figures:
                    idle, peak = rss_under_load(srv, env, opts.seconds)
                    rows.append((kind, "RSS idle / peak under -S -c 8", "%.0f / %.0f MB" % (idle, peak)))
                if "cycles" in figures:
                    curve = cycles(srv, opts.cycles, max(1, opts.cycles // 10))
                    rows.append((kind, "RSS over %d create/drop database cycles (5 tables)" % opts.cycles,
                                 " → ".join("%d: %.0f" % (i, m) for i, m in curve) + " MB"))
                if "statements" in figures:
                    curve = statements(srv, opts.statements, max(1, opts.statements // 10))
                    rows.append((kind, "RSS over %d distinct statements" % opts.statements,
                                 " → ".join("%d: %.0f" % (i, m) for i, m in curve) + " MB"))
                if "restart" in figures:
                    srv.stop()
                    rows.append((kind, "start, after the steps above", "%.2f s" % srv.start()))
            finally:
                srv.stop()
            print("| %s | done |" % kind, file=sys.stderr)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("| server | figure | value |\n|---|---|---|")
    for r in rows:
        print("| %s | %s | %s |" % r)


if __name__ == "__main__":
    main()
