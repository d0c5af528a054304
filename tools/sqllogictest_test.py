#!/usr/bin/python3
"""Unit tests of tools/sqllogictest.py that need no server: parsing, rendering, comparison."""

import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sqllogictest as slt  # noqa: E402


def parse_text(text):
    with tempfile.NamedTemporaryFile("w", suffix=".test", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        return slt.parse_file(path)
    finally:
        os.unlink(path)


class ParseTest(unittest.TestCase):
    def test_records_and_comments(self):
        recs = parse_text("# name: x\n# description: y\n\nstatement ok\nCREATE TABLE t (a int)\n\n"
                          "statement error 23505 duplicate key\nINSERT INTO t\nVALUES (1)\n\n"
                          "query IT rowsort lbl\nSELECT a, b\nFROM t\n----\n1 x\n2 y\n\n"
                          "hash-threshold 8\n\nhalt\n")
        self.assertEqual([r.kind for r in recs],
                         ["statement", "statement", "query", "hash-threshold", "halt"])
        self.assertTrue(recs[0].expect_ok)
        self.assertEqual(recs[0].lineno, 4)
        self.assertFalse(recs[1].expect_ok)
        self.assertEqual(recs[1].sqlstate, "23505")
        self.assertEqual(recs[1].message, "duplicate key")
        self.assertEqual(recs[1].sql, "INSERT INTO t\nVALUES (1)")
        self.assertEqual((recs[2].types, recs[2].sort, recs[2].label), ("IT", "rowsort", "lbl"))
        self.assertEqual(recs[2].sql, "SELECT a, b\nFROM t")
        self.assertEqual(recs[2].expected, ["1 x", "2 y"])
        self.assertEqual(recs[3].threshold, 8)

    def test_skipif_onlyif(self):
        recs = parse_text("skipif postgresql\nonlyif ActiveStore\nquery I\nSELECT 1\n----\n1\n")
        self.assertEqual(recs[0].skipif, ["postgresql"])
        self.assertEqual(recs[0].onlyif, ["activestore"])

    def test_query_without_results(self):
        recs = parse_text("query I\nSELECT 1 WHERE false\n")
        self.assertEqual(recs[0].expected, [])

    def test_malformed(self):
        for text in ("statement maybe\nSELECT 1\n", "statement error 123\nSELECT 1\n",
                     "query X\nSELECT 1\n", "query I sideways\nSELECT 1\n", "frobnicate\n",
                     "statement ok\n", "skipif postgresql\n"):
            with self.assertRaises(slt.UsageError, msg=text):
                parse_text(text)


class RenderTest(unittest.TestCase):
    def test_render(self):
        self.assertEqual(slt.render(None, "I"), "NULL")
        self.assertEqual(slt.render("42", "I"), "42")
        self.assertEqual(slt.render("-7", "I"), "-7")
        self.assertEqual(slt.render("2.9", "I"), "2")
        self.assertEqual(slt.render("-2.9", "I"), "-2")
        self.assertEqual(slt.render("1.23456", "R"), "1.235")
        self.assertEqual(slt.render("10", "R"), "10.000")
        self.assertEqual(slt.render("", "T"), "(empty)")
        self.assertEqual(slt.render("a\tb", "T"), "a@b")
        self.assertEqual(slt.render("héllo", "T"), "héllo")
        self.assertEqual(slt.render("t", "B"), "t")

    def test_arrange(self):
        rows = [("2", "b"), ("1", None), ("10", "a")]
        self.assertEqual(slt.arrange(rows, "IT", "nosort"),
                         [["2", "b"], ["1", "NULL"], ["10", "a"]])
        # rowsort compares rendered strings, as sqllogictest does
        self.assertEqual(slt.arrange(rows, "IT", "rowsort"),
                         [["1", "NULL"], ["10", "a"], ["2", "b"]])
        self.assertEqual(slt.arrange(rows, "IT", "valuesort"),
                         [["1", "10"], ["2", "NULL"], ["a", "b"]])

    def test_matches_layouts(self):
        rendered = [["1", "x y"], ["2", "NULL"]]
        self.assertTrue(slt.matches(["1", "x y", "2", "NULL"], rendered))
        self.assertTrue(slt.matches(["1 x y", "2\tNULL"], rendered))
        self.assertTrue(slt.matches(["1  x  y", "2 NULL"], rendered))
        self.assertFalse(slt.matches(["1 x y", "2 (empty)"], rendered))
        self.assertFalse(slt.matches(["1", "x y", "2"], rendered))
        self.assertFalse(slt.matches([], rendered))
        self.assertTrue(slt.matches([], []))
        self.assertFalse(slt.matches(["1"], []))

    def test_matches_hash(self):
        rendered = [["1", "a"], ["2", "b"]]
        digest = slt.md5_of(["1", "a", "2", "b"])
        self.assertTrue(slt.matches(["4 values hashing to %s" % digest], rendered))
        self.assertFalse(slt.matches(["3 values hashing to %s" % digest], rendered))
        self.assertFalse(slt.matches(["4 values hashing to %s" % ("0" * 32)], rendered))
        self.assertEqual(slt.show(rendered, 3), ["4 values hashing to %s" % digest])
        self.assertEqual(slt.show(rendered, 0), ["1 a", "2 b"])

    def test_md5_matches_sqllogictest(self):
        # MD5 over every value followed by a newline, as SQLite's sqllogictest computes it.
        self.assertEqual(slt.md5_of(["1", "2", "3"]), "c0710d6b4f15dfa88f600b0e6b624077")


class CollectTest(unittest.TestCase):
    def test_folders_and_lists(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "b"))
            for name in ("b/z.test", "b/a.test", "c.test", "notes.txt"):
                open(os.path.join(d, name), "w").close()
            self.assertEqual(slt.collect([d]), [os.path.join(d, "b/a.test"),
                                                os.path.join(d, "b/z.test"),
                                                os.path.join(d, "c.test")])
            with open(os.path.join(d, "list.txt"), "w") as f:
                f.write("# comment\nc.test\nb/a.test\n")
            self.assertEqual(slt.collect(["@" + os.path.join(d, "list.txt")]),
                             [os.path.join(d, "c.test"), os.path.join(d, "b/a.test")])
            with self.assertRaises(slt.UsageError):
                slt.collect([os.path.join(d, "missing.test")])


if __name__ == "__main__":
    unittest.main(verbosity=1)
