#!/usr/bin/python3
"""Unit tests of tools/crash_test.py's bookkeeping (Ledger.verify: rows, prepared transactions,
the workers' own tables); no server needed."""

import os
import sys
import unittest

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crash_test as ct  # noqa: E402


def rows(*ids):
    return {i: ct.payload(i) for i in ids}


class LedgerTest(unittest.TestCase):
    def ledger(self):
        led = ct.Ledger()
        led.add([ct.Group([1], ct.ACKED), ct.Group([2, 3], ct.ACKED), ct.Group([4, 5], ct.ABSENT),
                 ct.Group([6, 7], ct.IN_DOUBT), ct.Group([8], ct.IN_DOUBT)])
        return led

    def test_all_good(self):
        led = self.ledger()
        self.assertEqual(led.verify(rows(1, 2, 3, 6, 7)), [])
        # the in-doubt groups are decided by what the recovery showed
        self.assertEqual(led.count(ct.ACKED), 5)
        self.assertEqual(led.count(ct.ABSENT), 3)
        # a later recovery must agree: the in-doubt row 8 may not appear now
        problems = led.verify(rows(1, 2, 3, 6, 7, 8))
        self.assertEqual(len(problems), 1)
        self.assertIn("rolled-back or uncommitted", problems[0])

    def test_lost_acknowledged_row(self):
        led = self.ledger()
        problems = led.verify(rows(1, 2))
        self.assertEqual(len(problems), 1)
        self.assertIn("1 acknowledged rows are missing", problems[0])
        # reported once, not again in the next check
        self.assertEqual(led.verify(rows(1, 2)), [])

    def test_rolled_back_row_present(self):
        problems = self.ledger().verify(rows(1, 2, 3, 4))
        self.assertEqual(len(problems), 1)
        self.assertIn("rolled-back", problems[0])

    def test_in_doubt_commit_is_all_or_nothing(self):
        problems = self.ledger().verify(rows(1, 2, 3, 6))
        self.assertEqual(len(problems), 1)
        self.assertIn("partly present", problems[0])

    def test_unknown_and_corrupt_rows(self):
        data = rows(1, 2, 3, 99)
        data[2] = "garbage"
        problems = self.ledger().verify(data)
        self.assertEqual(len(problems), 2)
        self.assertTrue(any("wrong payload" in p for p in problems))
        self.assertTrue(any("nobody inserted" in p for p in problems))


def prep(gid, ids, state):
    return ct.PrepRec(gid, ct.Group(ids, ct.ABSENT), state)


class PreparedTest(unittest.TestCase):
    """Prepared transactions: Ledger.verify(rows, prepared=listed gids)."""

    def ledger(self, *recs):
        led = ct.Ledger()
        led.add([p.group for p in recs], recs)
        return led

    def test_acknowledged_prepare_is_listed_and_invisible(self):
        p = prep("g1", [1, 2], ct.PREPARED)
        led = self.ledger(p)
        self.assertEqual(led.verify(rows(), prepared={"g1"}), [])
        self.assertEqual(led.unresolved(), [p])
        # its rows visible before COMMIT PREPARED: wrong
        led = self.ledger(prep("g1", [1, 2], ct.PREPARED))
        problems = led.verify(rows(1, 2), prepared={"g1"})
        self.assertEqual(len(problems), 1)
        self.assertIn("rolled-back or uncommitted", problems[0])

    def test_acknowledged_prepare_lost(self):
        led = self.ledger(prep("g1", [1, 2], ct.PREPARED))
        problems = led.verify(rows(), prepared=set())
        self.assertEqual(len(problems), 1)
        self.assertIn("'g1' (PREPARE acknowledged) is not listed", problems[0])
        self.assertEqual(led.verify(rows(), prepared=set()), [])  # reported once

    def test_unacknowledged_prepare_either_way(self):
        for listed in (set(), {"g1"}):
            p = prep("g1", [1], ct.PREPARE_SENT)
            led = self.ledger(p)
            self.assertEqual(led.verify(rows(), prepared=listed), [])
            self.assertEqual(p.state, ct.PREPARED if listed else ct.NOT_PREPARED)
        # but its rows may never be visible without COMMIT PREPARED
        problems = self.ledger(prep("g1", [1], ct.PREPARE_SENT)).verify(rows(1), prepared=set())
        self.assertEqual(len(problems), 1)
        # and once decided "not prepared", it may not show up later
        p = prep("g1", [1], ct.PREPARE_SENT)
        led = self.ledger(p)
        led.verify(rows(), prepared=set())
        problems = led.verify(rows(), prepared={"g1"})
        self.assertEqual(len(problems), 1)
        self.assertIn("never prepared", problems[0])

    def test_lost_commit_prepared(self):
        # still prepared: rows invisible, to be resolved
        p = prep("g1", [1, 2], ct.COMMIT_SENT)
        led = self.ledger(p)
        self.assertEqual(led.verify(rows(), prepared={"g1"}), [])
        self.assertEqual(p.state, ct.PREPARED)
        # committed: all rows there, and later checks must keep them
        p = prep("g1", [1, 2], ct.COMMIT_SENT)
        led = self.ledger(p)
        self.assertEqual(led.verify(rows(1, 2), prepared=set()), [])
        self.assertEqual((p.state, p.group.state), (ct.COMMITTED, ct.ACKED))
        self.assertEqual(len(led.verify(rows(1), prepared=set())), 1)
        # gone, but its rows are not all there
        problems = self.ledger(prep("g1", [1, 2], ct.COMMIT_SENT)).verify(rows(1),
                                                                          prepared=set())
        self.assertEqual(len(problems), 1)
        self.assertIn("only rows [1] of [1, 2]", problems[0])

    def test_lost_rollback_prepared(self):
        for listed in (set(), {"g1"}):
            p = prep("g1", [1], ct.ROLLBACK_SENT)
            self.assertEqual(self.ledger(p).verify(rows(), prepared=listed), [])
            self.assertEqual(p.state, ct.PREPARED if listed else ct.ROLLED_BACK)
        problems = self.ledger(prep("g1", [1], ct.ROLLBACK_SENT)).verify(rows(1),
                                                                         prepared=set())
        self.assertEqual(len(problems), 1)

    def test_finished_or_unknown_gid_listed(self):
        led = self.ledger(prep("g1", [1], ct.COMMITTED), prep("g2", [2], ct.ROLLED_BACK))
        led.prepared[0].group.state = ct.ACKED
        problems = led.verify(rows(1), prepared={"g1", "g2", "other"})
        self.assertEqual(len(problems), 3)
        self.assertIn("nobody prepared: ['other']", problems[0])
        self.assertIn("committed (COMMIT PREPARED acknowledged)", problems[1])
        self.assertIn("rolled back (ROLLBACK PREPARED acknowledged)", problems[2])

    def test_resolution_by_the_checker(self):
        a, b = prep("a", [1], ct.PREPARED), prep("b", [2], ct.PREPARED)
        led = self.ledger(a, b)
        self.assertEqual(led.verify(rows(), prepared={"a", "b"}), [])
        led.resolved(a, True)
        led.resolved(b, False)
        self.assertEqual(led.unresolved(), [])
        self.assertEqual(led.verify(rows(1), prepared=set()), [])
        problems = led.verify(rows(2), prepared=set())  # the commit lost, the rollback back
        self.assertEqual(len(problems), 2)


def table(name, state, *groups, column=ct.NONE, index=ct.NONE, create_group=None):
    t = ct.TableRec(name, 0, state)
    t.groups = list(groups)
    t.column = column
    t.index = index
    t.create_group = create_group
    return t


def probe(*ids, column=None, index=False, lookup_errors=()):
    return ct.TableProbe(rows(*ids), column, index, lookup_errors)


class TableTest(unittest.TestCase):
    """The workers' own tables: Ledger.verify(rows, tables={name: TableProbe or None})."""

    def verify(self, t, p):
        led = ct.Ledger()
        led.add([], [], [t])
        return led.verify({}, {t.name: p})

    def test_acknowledged_table(self):
        t = table("t", ct.T_EXISTS, ct.Group([1, 2], ct.ACKED), ct.Group([3], ct.ABSENT))
        self.assertEqual(self.verify(t, probe(1, 2)), [])
        problems = self.verify(table("t", ct.T_EXISTS), None)
        self.assertEqual(len(problems), 1)
        self.assertIn("table t (CREATE TABLE acknowledged) does not exist", problems[0])
        t = table("t", ct.T_EXISTS, ct.Group([1, 2], ct.ACKED), ct.Group([3], ct.ABSENT))
        problems = self.verify(t, probe(1, 3, 9))
        self.assertEqual(len(problems), 3)
        self.assertTrue(all(p.startswith("table t: ") for p in problems))
        self.assertEqual(t.state, ct.REPORTED)

    def test_rolled_back_or_dropped_table_exists(self):
        for state, why in [(ct.T_ABSENT, "rolled back"), (ct.T_DROPPED, "dropped")]:
            self.assertEqual(self.verify(table("t", state), None), [])
            problems = self.verify(table("t", state), probe())
            self.assertEqual(len(problems), 1)
            self.assertIn(why, problems[0])

    def test_create_in_doubt_is_all_or_nothing(self):
        g = ct.Group([1, 2], ct.IN_DOUBT)
        t = table("t", ct.T_CREATE_SENT, g, create_group=g)
        self.assertEqual(self.verify(t, None), [])
        self.assertEqual(t.state, ct.T_ABSENT)
        g = ct.Group([1, 2], ct.IN_DOUBT)
        t = table("t", ct.T_CREATE_SENT, g, create_group=g)
        self.assertEqual(self.verify(t, probe(1, 2)), [])
        self.assertEqual((t.state, g.state), (ct.T_EXISTS, ct.ACKED))
        # the table without the rows of its transaction
        g = ct.Group([1, 2], ct.IN_DOUBT)
        problems = self.verify(table("t", ct.T_CREATE_SENT, g, create_group=g), probe())
        self.assertEqual(len(problems), 1)
        self.assertIn("acknowledged rows are missing", problems[0])

    def test_drop_in_doubt(self):
        t = table("t", ct.T_DROP_SENT, ct.Group([1], ct.ACKED))
        self.assertEqual(self.verify(t, None), [])
        self.assertEqual(t.state, ct.T_DROPPED)
        t = table("t", ct.T_DROP_SENT, ct.Group([1], ct.ACKED))
        self.assertEqual(self.verify(t, probe(1)), [])
        self.assertEqual(t.state, ct.T_EXISTS)
        problems = self.verify(table("t", ct.T_DROP_SENT, ct.Group([1], ct.ACKED)), probe())
        self.assertEqual(len(problems), 1)

    def test_added_column(self):
        seven = {1: 7, 2: 7}
        t = table("t", ct.T_EXISTS, ct.Group([1, 2], ct.ACKED), column=ct.DONE)
        self.assertEqual(self.verify(t, probe(1, 2, column=seven)), [])
        problems = self.verify(table("t", ct.T_EXISTS, ct.Group([1, 2], ct.ACKED),
                                     column=ct.DONE), probe(1, 2))
        self.assertEqual(len(problems), 1)
        self.assertIn("column c (ADD COLUMN acknowledged) does not exist", problems[0])
        problems = self.verify(table("t", ct.T_EXISTS, ct.Group([1, 2], ct.ACKED),
                                     column=ct.DONE), probe(1, 2, column={1: 7, 2: None}))
        self.assertEqual(len(problems), 1)
        self.assertIn("column c is not 7 in 1 rows", problems[0])
        problems = self.verify(table("t", ct.T_EXISTS), probe(column={}))
        self.assertEqual(len(problems), 1)
        self.assertIn("rolled back or never sent", problems[0])
        for col in (None, {}):
            t = table("t", ct.T_EXISTS, column=ct.SENT)
            self.assertEqual(self.verify(t, probe(column=col)), [])
            self.assertEqual(t.column, ct.NONE if col is None else ct.DONE)

    def test_index(self):
        self.assertEqual(self.verify(table("t", ct.T_EXISTS, index=ct.DONE),
                                     probe(index=True)), [])
        problems = self.verify(table("t", ct.T_EXISTS, index=ct.DONE), probe())
        self.assertEqual(len(problems), 1)
        self.assertIn("index t_p (CREATE INDEX acknowledged) does not exist", problems[0])
        self.assertEqual(len(self.verify(table("t", ct.T_EXISTS), probe(index=True))), 1)
        for exists in (False, True):
            t = table("t", ct.T_EXISTS, index=ct.SENT)
            self.assertEqual(self.verify(t, probe(index=exists)), [])
            self.assertEqual(t.index, ct.DONE if exists else ct.NONE)
        problems = self.verify(table("t", ct.T_EXISTS, index=ct.DONE),
                               probe(index=True, lookup_errors=["WHERE payload = 'x' ..."]))
        self.assertEqual(problems, ["table t: WHERE payload = 'x' ..."])

    def test_later_checks_agree(self):
        g = ct.Group([1], ct.IN_DOUBT)
        t = table("t", ct.T_CREATE_SENT, g, create_group=g)
        led = ct.Ledger()
        led.add([], [], [t])
        self.assertEqual(led.verify({}, {"t": None}), [])
        self.assertEqual(len(led.verify({}, {"t": probe(1)})), 1)  # came back
        self.assertEqual(led.tables_to_probe(), [])  # reported: not probed again
        self.assertEqual(led.live_tables(0), [])
        t2 = table("u", ct.T_EXISTS)
        led.add([], [], [t2])
        self.assertEqual(led.live_tables(0), [t2])
        self.assertEqual(led.live_tables(1), [])


if __name__ == "__main__":
    unittest.main(verbosity=1)
