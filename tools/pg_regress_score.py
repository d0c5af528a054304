#!/usr/bin/env python3
"""Scores a run of ../shared/conformance/pg_regress/run_psql_diff.sh.

For each test: the expected output lines that are not echoed input (psql -a echoes every
line of the .sql file), and how many of them the result reproduces in order (a longest
common subsequence by difflib, whitespace-insensitive like diff -w). Prints one line per test
and the totals; the share is what the types issue reports as "expected output reproduced".

usage: pg_regress_score.py RESULTS_DIR [tests...]   (RESULTS_DIR = the -o dir of the run)
"""
import difflib
import os
import re
import sys

REGRESS = os.environ.get(
    "PG_REGRESS_DIR",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared",
                 "conformance", "pg_regress"))


def norm(line):
    return re.sub(r"\s+", "", line)


def expected_files(test):
    d = os.path.join(REGRESS, "expected")
    out = [os.path.join(d, test + ".out")]
    out += [os.path.join(d, "%s_%d.out" % (test, i)) for i in range(10)]
    return [f for f in out if os.path.exists(f)]


def score(test, results_dir):
    sql_path = os.path.join(REGRESS, "sql", test + ".sql")
    sql_lines = set()
    if os.path.exists(sql_path):
        with open(sql_path, errors="replace") as f:
            sql_lines = {norm(l) for l in f}
    res_path = os.path.join(results_dir, "results", test + ".out")
    if not os.path.exists(res_path):
        return None
    with open(res_path, errors="replace") as f:
        result = [norm(l) for l in f]
    best = None
    for e in expected_files(test):
        with open(e, errors="replace") as f:
            expected = [norm(l) for l in f]
        sm = difflib.SequenceMatcher(None, expected, result, autojunk=False)
        matched = [False] * len(expected)
        for b in sm.get_matching_blocks():
            for i in range(b.a, b.a + b.size):
                matched[i] = True
        total = hit = 0
        for i, line in enumerate(expected):
            if line in sql_lines:
                continue  # echoed input
            total += 1
            hit += matched[i]
        exact = expected == result
        cand = (exact, hit / total if total else 1.0, hit, total)
        if best is None or cand > best:
            best = cand
    return best


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    results_dir = sys.argv[1]
    tests = sys.argv[2:]
    if not tests:
        with open(os.path.join(REGRESS, "selected_tests.txt")) as f:
            tests = [l.split()[0] for l in f if l.strip() and not l.startswith("#")]
    th = tt = passed = 0
    for t in tests:
        s = score(t, results_dir)
        if s is None:
            print("%-24s (no result)" % t)
            continue
        exact, share, hit, total = s
        passed += exact
        th += hit
        tt += total
        print("%-24s %s %5d / %5d  %5.1f%%" % (t, "ok  " if exact else "diff", hit, total,
                                               100 * share))
    print("files matching: %d of %d; expected output lines reproduced: %d of %d (%.1f%%)" %
          (passed, len(tests), th, tt, 100 * th / max(tt, 1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
