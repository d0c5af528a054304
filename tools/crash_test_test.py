#!/usr/bin/python3
"""Unit tests of tools/crash_test.py's bookkeeping (Ledger.verify); no server needed."""

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


if __name__ == "__main__":
    unittest.main(verbosity=1)
