#!/usr/bin/python3
"""Unit tests of tools/crash_test.py's bookkeeping (Ledger.verify: rows, prepared transactions,
the workers' own tables); no server needed."""

import os
import shutil
import subprocess
import sys
import threading
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
        self.assertEqual(p.state, ct.PREPARED)
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
        a, b = prep("a", [1], ct.PREPARED), prep("b", [2], ct.COMMIT_SENT)
        c, d = prep("c", [3], ct.PREPARE_SENT), prep("d", [4], ct.COMMITTED)
        led = self.ledger(a, b, c, d)
        d.group.state = ct.ACKED
        # the checker finishes what is listed and will be found still prepared ...
        self.assertEqual(led.to_resolve({"a", "b", "d", "x"}), [a, b])
        # ... then checks what it read before, then records the outcome
        problems = led.verify(rows(4), prepared={"a", "b", "d", "x"})
        self.assertEqual(len(problems), 2)  # x unknown, d finished
        led.resolved(a, True)
        led.resolved(b, False)
        self.assertEqual((a.group.state, b.group.state, c.state), (ct.ACKED, ct.ABSENT,
                                                                   ct.NOT_PREPARED))
        self.assertEqual(led.verify(rows(1, 4), prepared=set()), [])
        problems = led.verify(rows(2, 4), prepared=set())  # the commit lost, the rollback back
        self.assertEqual(len(problems), 2)

    def test_prepared_rows_in_own_table(self):
        t = ct.TableRec("t", 0, ct.T_EXISTS)
        p = ct.PrepRec("g", ct.Group([5, 6], ct.ABSENT), ct.COMMIT_SENT, table=t)
        t.groups = [ct.Group([1], ct.ACKED), p.group]
        led = ct.Ledger()
        led.add([], [p], [t])
        self.assertEqual(led.verify(rows(), {"t": probe(1, 5, 6)}, set()), [])
        self.assertEqual((p.state, p.group.state), (ct.COMMITTED, ct.ACKED))
        p = ct.PrepRec("g", ct.Group([5, 6], ct.ABSENT), ct.PREPARED, table=t)
        t.state, t.groups = ct.T_EXISTS, [p.group]
        led = ct.Ledger()
        led.add([], [p], [t])
        problems = led.verify(rows(), {"t": probe(5)}, {"g"})  # visible while prepared
        self.assertEqual(len(problems), 1)
        self.assertIn("table t: 1 rows of rolled-back or uncommitted", problems[0])

    def test_table_created_by_a_prepared_transaction(self):
        def case(pstate):
            t = ct.TableRec("t", 0, ct.T_PREPARED)
            p = ct.PrepRec("g", ct.Group([5, 6], ct.ABSENT), pstate, table=t)
            t.prepared, t.groups, t.create_group = p, [p.group], p.group
            led = ct.Ledger()
            led.add([], [p], [t])
            return led, p, t
        # still prepared: the table does not exist yet; the checker's COMMIT PREPARED makes it
        led, p, t = case(ct.PREPARED)
        self.assertEqual(led.verify(rows(), {"t": None}, {"g"}), [])
        self.assertEqual(t.state, ct.T_PREPARED)
        led.resolved(p, True)
        self.assertEqual((t.state, p.group.state), (ct.T_EXISTS, ct.ACKED))
        self.assertEqual(led.verify(rows(), {"t": probe(5, 6)}, set()), [])
        led, p, t = case(ct.PREPARED)
        problems = led.verify(rows(), {"t": probe()}, {"g"})  # visible before the commit
        self.assertEqual(len(problems), 1)
        self.assertIn("not committed yet", problems[0])
        # a COMMIT PREPARED whose acknowledgement was lost: listed, or the table with its rows
        led, p, t = case(ct.COMMIT_SENT)
        self.assertEqual(led.verify(rows(), {"t": probe(5, 6)}, set()), [])
        self.assertEqual(t.state, ct.T_EXISTS)
        led, p, t = case(ct.COMMIT_SENT)
        self.assertEqual(len(led.verify(rows(), {"t": None}, set())), 1)  # gone without a trace
        # a PREPARE that was lost, or a rollback: never there
        led, p, t = case(ct.PREPARE_SENT)
        self.assertEqual(led.verify(rows(), {"t": None}, set()), [])
        self.assertEqual(t.state, ct.T_ABSENT)
        led, p, t = case(ct.ROLLED_BACK)
        self.assertEqual(len(led.verify(rows(), {"t": probe()}, set())), 1)


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

    def test_truncate(self):
        # acknowledged: the earlier rows are ABSENT (the worker sets that); later rows stay
        t = table("t", ct.T_EXISTS, ct.Group([1, 2], ct.ABSENT), ct.Group([3], ct.ACKED))
        self.assertEqual(self.verify(t, probe(3)), [])
        # in doubt: all earlier rows, or none of them
        for present, state in [((1, 2, 3), ct.ACKED), ((3,), ct.ABSENT)]:
            a, b = ct.Group([1], ct.ACKED), ct.Group([2], ct.ACKED)
            t = table("t", ct.T_EXISTS, a, b, ct.Group([3], ct.ACKED))
            t.truncated = [a, b]
            self.assertEqual(self.verify(t, probe(*present)), [])
            self.assertEqual((a.state, b.state, t.truncated), (state, state, None))
        a, b = ct.Group([1], ct.ACKED), ct.Group([2], ct.ACKED)
        t = table("t", ct.T_EXISTS, a, b)
        t.truncated = [a, b]
        problems = self.verify(t, probe(2))
        self.assertEqual(len(problems), 1)
        self.assertIn("TRUNCATE whose acknowledgement was lost is partly applied: 1 of its 2 "
                      "rows are present, e.g. missing [1]", problems[0])

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


class Killed(Exception):
    pass


class FakeConn:
    """A session whose server dies at the first statement that starts with `die_at`."""

    def __init__(self, die_at=None):
        self.die_at = die_at
        self.sql = []

    def cursor(self):
        return self

    def execute(self, sql, params=None):
        self.sql.append(sql)
        if self.die_at is not None and sql.startswith(self.die_at):
            raise Killed(sql)


class ScriptedRandom:
    """random() from a script; randint gives the lower bound, choice the first element."""

    def __init__(self, *values):
        self.values = list(values)

    def random(self):
        return self.values.pop(0)

    def randint(self, a, b):
        return a

    def choice(self, seq):
        return seq[0]


class WorkerStateTest(unittest.TestCase):
    """What a Worker has recorded when the server dies at a given statement."""

    def worker(self, die_at, *script, tables=()):
        w = ct.Worker(0, 1, 0, 0, None, threading.Event(), two_pc=True, ddl=True, alter=True,
                      tables=tables)
        w.rng = ScriptedRandom(*script)
        w.conn = w.conn2 = FakeConn(die_at)
        return w

    def run_unit(self, w, unit):
        try:
            unit(w.conn.cursor())
        except Killed:
            pass

    def test_prepare(self):
        for die_at, state in [("INSERT", ct.NOT_PREPARED), ("PREPARE", ct.PREPARE_SENT),
                              ("COMMIT PREPARED", ct.COMMIT_SENT), (None, ct.COMMITTED)]:
            # not a CREATE, finish at once, same session, commit
            w = self.worker(die_at, 0.9, 0.5, 0.1, 0.1)
            self.run_unit(w, w.two_pc_unit)
            self.assertEqual(w.prepared[0].state, state, die_at)
            self.assertEqual(w.groups[0].state, ct.ACKED if state == ct.COMMITTED else ct.ABSENT)
        w = self.worker("ROLLBACK PREPARED", 0.9, 0.5, 0.1, 0.9)
        self.run_unit(w, w.two_pc_unit)
        self.assertEqual(w.prepared[0].state, ct.ROLLBACK_SENT)
        w = self.worker(None, 0.9, 0.9)  # left prepared
        self.run_unit(w, w.two_pc_unit)
        self.assertEqual(w.open_prepared, w.prepared)
        self.assertEqual(w.prepared[0].state, ct.PREPARED)
        self.assertEqual(w.conn.sql[-1], "PREPARE TRANSACTION 'ct_1_0_0'")

    def test_prepare_into_own_table(self):
        t = ct.TableRec("ct_0_0_0", 0, ct.T_EXISTS)
        w = self.worker(None, 0.9, 0.1, 0.9, tables=[t])  # into the table, left prepared
        self.run_unit(w, w.two_pc_unit)
        p = w.prepared[0]
        self.assertIs(p.table, t)
        self.assertEqual((t.groups, w.groups), ([p.group], []))
        self.assertTrue(w.conn.sql[1].startswith("INSERT INTO ct_0_0_0 (id, payload)"))
        # DDL on the table would wait for the prepared transaction: rows instead of DROP
        w.rng = ScriptedRandom(0.9, 0.1, 0.1)
        self.run_unit(w, w.ddl_unit)
        self.assertEqual(t.state, ct.T_EXISTS)
        self.assertTrue(w.conn.sql[-1].startswith("INSERT INTO ct_0_0_0"))

    def test_prepared_create_table(self):
        for die_at, state, exists in [("INSERT", ct.NOT_PREPARED, ct.T_PREPARED),
                                      ("PREPARE", ct.PREPARE_SENT, ct.T_PREPARED),
                                      ("COMMIT PREPARED", ct.COMMIT_SENT, ct.T_PREPARED),
                                      (None, ct.COMMITTED, ct.T_EXISTS)]:
            w = self.worker(die_at, 0.1, 0.5, 0.1, 0.1)  # a CREATE, finished, committed
            self.run_unit(w, w.two_pc_unit)
            p, t = w.prepared[0], w.new_tables[0]
            self.assertEqual((p.state, t.state), (state, exists), die_at)
            self.assertIs(p.table, t)
            self.assertIs(t.prepared, p)
            self.assertEqual(w.tables, [t] if exists == ct.T_EXISTS else [])
        self.assertTrue(w.conn.sql[1].startswith("CREATE TABLE ct_1_0_0"))
        w = self.worker(None, 0.1, 0.5, 0.1, 0.9)  # rolled back
        self.run_unit(w, w.two_pc_unit)
        self.assertEqual((w.prepared[0].state, w.new_tables[0].state),
                         (ct.ROLLED_BACK, ct.T_ABSENT))

    def test_create_table(self):
        for script, die_at, state, group in [
                ((0.1,), "CREATE", ct.T_CREATE_SENT, None),
                ((0.5,), "INSERT", ct.T_ABSENT, ct.ABSENT),
                ((0.5,), "COMMIT", ct.T_CREATE_SENT, ct.IN_DOUBT),
                ((0.5,), None, ct.T_EXISTS, ct.ACKED),
                ((0.9,), None, ct.T_ABSENT, ct.ABSENT)]:  # rolled back
            w = self.worker(die_at, *script)
            self.run_unit(w, w.create_unit)
            t = w.new_tables[0]
            self.assertEqual(t.state, state, (script, die_at))
            self.assertEqual(t.create_group and t.create_group.state, group)
            self.assertEqual(w.tables, [t] if state == ct.T_EXISTS else [])

    def test_ddl_on_own_table(self):
        t = ct.TableRec("ct_0_0_0", 0, ct.T_EXISTS)
        w = self.worker("DROP", 0.9, 0.1, tables=[t])
        self.run_unit(w, w.ddl_unit)
        self.assertEqual(t.state, ct.T_DROP_SENT)
        t = ct.TableRec("ct_0_0_0", 0, ct.T_EXISTS)
        w = self.worker(None, 0.9, 0.3, tables=[t])  # DROP rolled back
        self.run_unit(w, w.ddl_unit)
        self.assertEqual((t.state, w.tables), (ct.T_EXISTS, [t]))
        self.assertEqual(w.conn.sql[-1], "ROLLBACK")
        w = self.worker("ALTER", 0.9, 0.4, 0.5, tables=[t])
        self.run_unit(w, w.ddl_unit)
        self.assertEqual(t.column, ct.SENT)
        t.column = ct.NONE
        w = self.worker("ROLLBACK", 0.9, 0.4, 0.1, tables=[t])  # ALTER rolled back
        self.run_unit(w, w.ddl_unit)
        self.assertEqual(t.column, ct.NONE)
        w = self.worker("CREATE INDEX", 0.9, 0.6, tables=[t])
        self.run_unit(w, w.ddl_unit)
        self.assertEqual(t.index, ct.SENT)
        w = self.worker(None, 0.9, 0.9, 0.9, tables=[t])  # rows in BEGIN ... COMMIT
        self.run_unit(w, w.ddl_unit)
        self.assertEqual([g.state for g in t.groups], [ct.ACKED])
        w = self.worker("TRUNCATE", 0.9, 0.7, 0.5, tables=[t])
        self.run_unit(w, w.ddl_unit)
        self.assertEqual(t.truncated, t.groups)  # in doubt: these go all or none
        t.truncated = None
        w = self.worker("ROLLBACK", 0.9, 0.7, 0.1, tables=[t])  # rolled back
        self.run_unit(w, w.ddl_unit)
        self.assertEqual(([g.state for g in t.groups], t.truncated), ([ct.ACKED], None))
        w = self.worker(None, 0.9, 0.7, 0.5, tables=[t])
        self.run_unit(w, w.ddl_unit)
        self.assertEqual(([g.state for g in t.groups], t.truncated), ([ct.ABSENT], None))



class KillTest(unittest.TestCase):
    @unittest.skipUnless(shutil.which("setsid"), "needs setsid")
    def test_kill_reaches_descendants_outside_the_group(self):
        # As PostgreSQL's backends: a child that left the server's process group.
        srv = ct.Server("/bin/sh", None, None, [], 0)
        srv.proc = subprocess.Popen(["/bin/sh", "-c", "setsid sleep 60 & echo $!; wait"],
                                    stdout=subprocess.PIPE, start_new_session=True)
        child = int(srv.proc.stdout.readline())
        srv.proc.stdout.close()
        self.assertTrue(ct._alive(child))
        self.assertIn(child, ct._descendants(srv.proc.pid))
        srv.kill()
        self.assertIsNone(srv.proc)
        self.assertFalse(ct._alive(child))


if __name__ == "__main__":
    unittest.main(verbosity=1)
