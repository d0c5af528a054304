#include "parser/normalize.h"

#include <gtest/gtest.h>

namespace activestore::parser {
namespace {

// The normalised text, or "-" when the statement is left as written.
std::string N(std::string_view sql) {
  auto n = NormalizeLiterals(sql);
  return n ? n->text : "-";
}

std::string Sig(std::string_view sql) {
  auto n = NormalizeLiterals(sql);
  return n ? n->TypeSignature() : "-";
}

TEST(NormalizeTest, PgbenchSelect) {
  auto n = NormalizeLiterals("SELECT abalance FROM pgbench_accounts WHERE aid = 12345;");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->text, "SELECT abalance FROM pgbench_accounts WHERE aid = $1;");
  ASSERT_EQ(n->constants.size(), 1u);
  EXPECT_EQ(n->constants[0].text, "12345");
  EXPECT_EQ(n->constants[0].offset, 50u);
  EXPECT_EQ(n->constants[0].type, LiftedType::kInt4);
  EXPECT_EQ(N("SELECT abalance FROM pgbench_accounts WHERE aid = 7;"),
            "SELECT abalance FROM pgbench_accounts WHERE aid = $1;");
}

TEST(NormalizeTest, IntegerTypesBySize) {
  EXPECT_EQ(Sig("SELECT 2147483647"), "4");
  EXPECT_EQ(Sig("SELECT 2147483648"), "8");
  EXPECT_EQ(Sig("SELECT 0002147483647"), "4");
  EXPECT_EQ(Sig("SELECT 9223372036854775807"), "8");
  EXPECT_EQ(Sig("SELECT 9223372036854775808"), "n");
  EXPECT_EQ(Sig("SELECT 0"), "4");
}

TEST(NormalizeTest, DecimalsAreNumeric) {
  EXPECT_EQ(Sig("SELECT 1.5, .5, 1., 1e5, 1E-3, 2.5e+2"), "nnnnnn");
  auto n = NormalizeLiterals("SELECT 1.50 , .5");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->text, "SELECT $1 , $2");
  EXPECT_EQ(n->constants[0].text, "1.50");
  EXPECT_EQ(n->constants[1].text, ".5");
}

TEST(NormalizeTest, TrailingJunkIsLeftToTheParser) {
  EXPECT_EQ(N("SELECT 123abc"), "-");
  EXPECT_EQ(N("SELECT 1e"), "-");
  EXPECT_EQ(N("SELECT 1.2.3"), "-");
  EXPECT_EQ(N("SELECT 0x1f"), "-");
  EXPECT_EQ(N("SELECT 1_000"), "-");
}

TEST(NormalizeTest, SignedAndArithmeticOperandsStay) {
  EXPECT_EQ(N("SELECT -1"), "-");
  EXPECT_EQ(N("SELECT - 5"), "-");
  EXPECT_EQ(N("SELECT +5"), "-");
  EXPECT_EQ(N("SELECT 1 + 2"), "-");
  EXPECT_EQ(N("SELECT x * 5 FROM t"), "-");
  EXPECT_EQ(N("SELECT 1/0"), "-");
  EXPECT_EQ(N("SELECT a FROM t WHERE a*2 > 10"), "SELECT a FROM t WHERE a*2 > $1");
  EXPECT_EQ(N("SELECT a FROM t WHERE a=-5"), "-");
  EXPECT_EQ(N("SELECT 'a' || 5"), "-");
}

TEST(NormalizeTest, CastsStay) {
  EXPECT_EQ(N("SELECT 1::int"), "-");
  EXPECT_EQ(N("SELECT '1'::int"), "-");
  EXPECT_EQ(N("SELECT CAST(70000 AS int2)"), "-");
  EXPECT_EQ(N("SELECT x::numeric(10,2) FROM t WHERE y = 3"),
            "SELECT x::numeric(10,2) FROM t WHERE y = $1");
  EXPECT_EQ(N("SELECT x::my_type(3) FROM t"), "-");
  EXPECT_EQ(N("SELECT x::\"varchar\"(3) FROM t"), "-");
  EXPECT_EQ(N("SELECT CAST(x AS varchar(10)) FROM t"), "-");
}

TEST(NormalizeTest, TypeModifiersStay) {
  EXPECT_EQ(N("SELECT 'abc'::varchar(2), 'x'::character varying(3), 1.5::decimal(3,1)"), "-");
  EXPECT_EQ(N("SELECT now()::timestamp(3), interval '1' second(2), x::float(24) FROM t"), "-");
  EXPECT_EQ(N("SELECT x::bit(3), y::char(2), z::time(1) FROM t"), "-");
  EXPECT_EQ(N("SELECT x::pg_catalog.varchar(3) FROM t"), "-");
}

TEST(NormalizeTest, TypedLiteralsAndStringsStay) {
  EXPECT_EQ(N("SELECT interval '1 day', date '2024-01-01'"), "-");
  EXPECT_EQ(N("SELECT * FROM t WHERE s = '5'"), "-");
  EXPECT_EQ(N("SELECT * FROM t WHERE s = '5' AND n = 5"),
            "SELECT * FROM t WHERE s = '5' AND n = $1");
  EXPECT_EQ(N("SELECT * FROM t WHERE s IN ('a', 'b')"), "-");
  EXPECT_EQ(N("SELECT true, false, null"), "-");
}

TEST(NormalizeTest, PositionalReferencesAndRowCountsStay) {
  EXPECT_EQ(N("SELECT a, b FROM t ORDER BY 1, 2 DESC"), "-");
  EXPECT_EQ(N("SELECT a, count(*) FROM t GROUP BY 1"), "-");
  EXPECT_EQ(N("SELECT a FROM t LIMIT 10"), "-");
  EXPECT_EQ(N("SELECT a FROM t LIMIT 10 OFFSET 5"), "-");
  EXPECT_EQ(N("SELECT a FROM t OFFSET 5 ROWS FETCH FIRST 3 ROWS ONLY"), "-");
  EXPECT_EQ(N("SELECT DISTINCT ON (1) a, b FROM t"), "-");
  EXPECT_EQ(N("SELECT a FROM t WHERE a > 3 ORDER BY 1 LIMIT 2"),
            "SELECT a FROM t WHERE a > $1 ORDER BY 1 LIMIT 2");
  EXPECT_EQ(N("SELECT a, count(*) FROM t GROUP BY 1 HAVING count(*) > 2"),
            "SELECT a, count(*) FROM t GROUP BY 1 HAVING count(*) > $1");
  EXPECT_EQ(N("SELECT a FROM t ORDER BY 1 LIMIT 1) UNION (SELECT 5"), "-");  // unbalanced
  EXPECT_EQ(N("(SELECT a FROM t ORDER BY 1 LIMIT 1) UNION (SELECT 5)"),
            "(SELECT a FROM t ORDER BY 1 LIMIT 1) UNION (SELECT $1)");
  EXPECT_EQ(N("SELECT (SELECT b FROM u ORDER BY 1 LIMIT 1), 7 FROM t"),
            "SELECT (SELECT b FROM u ORDER BY 1 LIMIT 1), $1 FROM t");
}

TEST(NormalizeTest, BracketsStay) {
  EXPECT_EQ(N("SELECT ARRAY[1, 2, 3]"), "-");
  EXPECT_EQ(N("SELECT a[1] FROM t"), "-");
  EXPECT_EQ(N("SELECT a[1:2] FROM t WHERE b = 4"), "SELECT a[1:2] FROM t WHERE b = $1");
}

TEST(NormalizeTest, ListsAndComparisons) {
  EXPECT_EQ(N("SELECT * FROM t WHERE a IN (1, 2, 3)"), "SELECT * FROM t WHERE a IN ($1, $2, $3)");
  EXPECT_EQ(N("SELECT * FROM t WHERE a BETWEEN 1 AND 10"),
            "SELECT * FROM t WHERE a BETWEEN $1 AND $2");
  EXPECT_EQ(N("SELECT * FROM t WHERE a<>1 AND b<=2 AND c>=3 AND d!=4 AND e<5 AND f>6"),
            "SELECT * FROM t WHERE a<>$1 AND b<=$2 AND c>=$3 AND d!=$4 AND e<$5 AND f>$6");
  EXPECT_EQ(N("INSERT INTO t VALUES (1, 'a', 2.5), (2, 'b', 3)"),
            "INSERT INTO t VALUES ($1, $2, $3), ($4, $5, $6)");
  EXPECT_EQ(N("INSERT INTO t SELECT 1, 'a' WHERE 2 > 1"),
            "INSERT INTO t SELECT $1, 'a' WHERE $2 > $3");
  EXPECT_EQ(N("UPDATE t SET a = 5 WHERE id = 7 RETURNING a"),
            "UPDATE t SET a = $1 WHERE id = $2 RETURNING a");
  EXPECT_EQ(N("DELETE FROM t WHERE id = 7"), "DELETE FROM t WHERE id = $1");
  EXPECT_EQ(N("SELECT CASE WHEN a = 1 THEN 2 ELSE 3 END FROM t"),
            "SELECT CASE WHEN a = $1 THEN $2 ELSE $3 END FROM t");
  EXPECT_EQ(N("SELECT round(x, 2) FROM t"), "SELECT round(x, $1) FROM t");
  EXPECT_EQ(N("VALUES (1)"), "VALUES ($1)");
  EXPECT_EQ(N("WITH c AS (SELECT 1 AS x) SELECT x FROM c"),
            "WITH c AS (SELECT $1 AS x) SELECT x FROM c");
}

TEST(NormalizeTest, CommentsQuotesAndDollarQuotes) {
  EXPECT_EQ(N("SELECT a -- 5\n FROM t WHERE b = 6"), "SELECT a -- 5\n FROM t WHERE b = $1");
  EXPECT_EQ(N("SELECT /* 5 /* 6 */ 7 */ a FROM t WHERE b = 8"),
            "SELECT /* 5 /* 6 */ 7 */ a FROM t WHERE b = $1");
  EXPECT_EQ(N("SELECT /* unterminated 5"), "-");
  EXPECT_EQ(N("SELECT \"col 5\", \"a\"\"1\" FROM t WHERE x = 9"),
            "SELECT \"col 5\", \"a\"\"1\" FROM t WHERE x = $1");
  EXPECT_EQ(N("SELECT 'it''s 5' , 6"), "SELECT 'it''s 5' , $1");
  EXPECT_EQ(N("SELECT E'a\\' 5', 6"), "SELECT E'a\\' 5', $1");
  EXPECT_EQ(N("SELECT e'\\\\', 6"), "SELECT e'\\\\', $1");
  EXPECT_EQ(N("SELECT $$ 5 $$, 6"), "SELECT $$ 5 $$, $1");
  EXPECT_EQ(N("SELECT $tag$ 5 $x$ $tag$, 6"), "SELECT $tag$ 5 $x$ $tag$, $1");
  EXPECT_EQ(N("SELECT $tag$ 5"), "-");
  EXPECT_EQ(N("SELECT 'unterminated"), "-");
  EXPECT_EQ(N("SELECT U&'\\0041 5', 6"), "SELECT U&'\\0041 5', $1");
  EXPECT_EQ(N("SELECT B'101', X'1F', N'5', 6"), "SELECT B'101', X'1F', N'5', $1");
  EXPECT_EQ(N("SELECT col1, t2.c3 FROM t2 WHERE c3 = 4"),
            "SELECT col1, t2.c3 FROM t2 WHERE c3 = $1");
  EXPECT_EQ(N("SELECT x$1 FROM t WHERE a = 1"), "SELECT x$1 FROM t WHERE a = $1");
}

TEST(NormalizeTest, ParametersAndStatementsAreLeftAlone) {
  EXPECT_EQ(N("SELECT $1, 5"), "-");
  EXPECT_EQ(N("SELECT 1; SELECT 2"), "-");
  EXPECT_EQ(N("SELECT 1;;"), "SELECT $1;;");
  EXPECT_EQ(N("SELECT 1;  -- done"), "SELECT $1;  -- done");
  EXPECT_EQ(N("CREATE TABLE t (a varchar(10) DEFAULT 5)"), "-");
  EXPECT_EQ(N("SET work_mem = 5"), "-");
  EXPECT_EQ(N("EXPLAIN SELECT * FROM t WHERE a = 5"), "-");
  EXPECT_EQ(N("COPY (SELECT 5) TO STDOUT"), "-");
  EXPECT_EQ(N("DO $$ BEGIN PERFORM 5; END $$"), "-");
  EXPECT_EQ(N("PREPARE p AS SELECT 5"), "-");
  EXPECT_EQ(N(""), "-");
  EXPECT_EQ(N("SELECT a FROM t"), "-");
  EXPECT_EQ(N("((SELECT 5))"), "((SELECT $1))");
}

TEST(NormalizeTest, NumbersGluedToOtherTokensStay) {
  EXPECT_EQ(N("SELECT a.5 FROM t"), "-");
  EXPECT_EQ(N("SELECT '1'5"), "-");
  EXPECT_EQ(N("SELECT 1..2"), "-");
  EXPECT_EQ(N("SELECT 5 5"), "-");
}

// pg_stat_statements' text: the expected strings are what PostgreSQL 15's pg_stat_statements
// shows for the same statements.
std::string F(std::string_view sql) { return FingerprintStatement(sql).text; }
uint64_t Id(std::string_view sql) { return FingerprintStatement(sql).id; }

TEST(FingerprintTest, ConstantsBecomeParameters) {
  EXPECT_EQ(F("INSERT INTO st VALUES (1, 'x', 'y')"), "INSERT INTO st VALUES ($1, $2, $3)");
  EXPECT_EQ(F("SELECT a FROM st WHERE a = 1 AND b = 'x';"),
            "SELECT a FROM st WHERE a = $1 AND b = $2");
  EXPECT_EQ(F("SELECT * FROM st WHERE a IN (1, 2, 3) OFFSET 0"),
            "SELECT * FROM st WHERE a IN ($1, $2, $3) OFFSET $4");
  EXPECT_EQ(F("SELECT 'abc' || b, $$dollar$$, B'101', X'ff', 1e5, .5, 00012 FROM st LIMIT 1"),
            "SELECT $1 || b, $2, $3, $4, $5, $6, $7 FROM st LIMIT $8");
  EXPECT_EQ(F("SELECT coalesce(a, 0), now() - interval '1 hour' FROM st LIMIT 1"),
            "SELECT coalesce(a, $1), now() - interval $2 FROM st LIMIT $3");
  EXPECT_EQ(F("UPDATE st SET b = 'q' WHERE a = 7"), "UPDATE st SET b = $1 WHERE a = $2");
  EXPECT_EQ(F("WITH w AS (SELECT 1 AS x) SELECT x FROM w"),
            "WITH w AS (SELECT $1 AS x) SELECT x FROM w");
}

TEST(FingerprintTest, BooleansAndNullButNotIsTests) {
  EXPECT_EQ(F("SELECT true, NULL, interval '1 day', '2 days'::interval, 1.5, CAST('3' AS int), "
              "'x'::varchar(3)"),
            "SELECT $1, $2, interval $3, $4::interval, $5, CAST($6 AS int), $7::varchar(3)");
  EXPECT_EQ(F("SELECT a FROM st WHERE a IS NOT NULL AND (b = 'x') IS NOT TRUE AND c IS NULL"),
            "SELECT a FROM st WHERE a IS NOT NULL AND (b = $1) IS NOT TRUE AND c IS NULL");
}

TEST(FingerprintTest, UnaryMinusBelongsToItsNumber) {
  EXPECT_EQ(F("SELECT a + 1, -a, a - 1, 2-1, 3 -1, (4)-1 FROM st"),
            "SELECT a + $1, -a, a - $2, $3-$4, $5 -$6, ($7)-$8 FROM st");
  EXPECT_EQ(F("SELECT a FROM st WHERE a = - 1"), "SELECT a FROM st WHERE a = $1");
  EXPECT_EQ(F("SELECT a FROM st WHERE a >-1"), "SELECT a FROM st WHERE a >$1");
  EXPECT_EQ(Id("SELECT a FROM st WHERE a = -1"), Id("SELECT a FROM st WHERE a = 5"));
}

TEST(FingerprintTest, PositionalReferencesAndTypmodsStay) {
  EXPECT_EQ(F("SELECT a, 5 FROM st GROUP BY 1, 2 ORDER BY 1 DESC NULLS LAST, 2"),
            "SELECT a, $1 FROM st GROUP BY 1, 2 ORDER BY 1 DESC NULLS LAST, 2");
  EXPECT_EQ(F("SELECT a, b FROM st ORDER BY 2, 1 LIMIT 5"),
            "SELECT a, b FROM st ORDER BY 2, 1 LIMIT $1");
  EXPECT_EQ(F("SELECT 'a'::numeric(10, 2)"), "SELECT $1::numeric(10, 2)");
}

TEST(FingerprintTest, ExistingParametersAreNumberedFirst) {
  EXPECT_EQ(F("SELECT a FROM st WHERE a = $1 AND b = 'k'"),
            "SELECT a FROM st WHERE a = $1 AND b = $2");
  // A shape whose numbers the plan cache lifted keeps the id of its text as written.
  EXPECT_EQ(Id("SELECT a FROM st WHERE a = $1 AND b = 'k'"),
            Id("SELECT a FROM st WHERE a = 7 AND b = 'z'"));
}

TEST(FingerprintTest, IdIgnoresSpacingCaseAndConstants) {
  EXPECT_EQ(Id("select A from ST where A = 1"), Id("SELECT a  FROM st\nWHERE a = 2;"));
  EXPECT_NE(Id("SELECT a FROM st WHERE a = 1"), Id("SELECT a FROM st WHERE b = 1"));
  EXPECT_NE(Id("SELECT a FROM st WHERE a = 1"), Id("SELECT a FROM \"ST\" WHERE a = 1"));
}

TEST(FingerprintTest, UtilityStatementsKeepTheirText) {
  EXPECT_EQ(F("SET extra_float_digits = 2;"), "SET extra_float_digits = 2");
  EXPECT_NE(Id("SET extra_float_digits = 2"), Id("SET extra_float_digits = 3"));
  EXPECT_EQ(F("  BEGIN"), "BEGIN");
  // Text that does not scan is kept as written.
  EXPECT_EQ(F("SELECT 'unterminated"), "SELECT 'unterminated");
}

// Strings and NULL are lifted only as whole items of INSERT ... VALUES rows, where each item
// is coerced to its column on its own.
TEST(NormalizeTest, InsertValuesStringsAndNulls) {
  auto n = NormalizeLiterals(
      "INSERT INTO t VALUES (1,'2024-01-01 00:00:00+00',NULL,'it''s'),"
      " (2, 'é', null, '')");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->text, "INSERT INTO t VALUES ($1,$2,$3,$4), ($5, $6, $7, $8)");
  EXPECT_EQ(n->TypeSignature(), "4szs4szs");
  EXPECT_EQ(n->constants[1].text, "2024-01-01 00:00:00+00");
  EXPECT_EQ(n->constants[1].offset, 24u);
  EXPECT_EQ(n->constants[3].text, "it's");
  EXPECT_EQ(n->constants[5].text, "é");
  EXPECT_EQ(n->constants[7].text, "");
  EXPECT_EQ(N("INSERT INTO s.t (a, b) VALUES ('x', 'y') RETURNING a"),
            "INSERT INTO s.t (a, b) VALUES ($1, $2) RETURNING a");
  EXPECT_EQ(N("INSERT INTO t VALUES ('x', 1) ON CONFLICT (a) DO UPDATE SET b = 'z'"),
            "INSERT INTO t VALUES ($1, $2) ON CONFLICT (a) DO UPDATE SET b = 'z'");
  EXPECT_EQ(N("insert into t values ('x');"), "insert into t values ($1);");
}

TEST(NormalizeTest, StringsOutsideInsertValuesRowsStay) {
  EXPECT_EQ(N("SELECT 'a', 1"), "SELECT 'a', $1");
  EXPECT_EQ(N("SELECT * FROM t WHERE a = 'x' AND b IS NULL"), "-");
  EXPECT_EQ(N("VALUES ('a'), (NULL)"), "-");
  EXPECT_EQ(N("UPDATE t SET a = 'x', b = NULL WHERE c = 2"),
            "UPDATE t SET a = 'x', b = NULL WHERE c = $1");
  // Parts of expressions, typed literals, other string forms and adjacent strings.
  EXPECT_EQ(N("INSERT INTO t VALUES ('a' || 'b', 'x'::text, E'y', $$z$$, date '2024-01-01')"), "-");
  EXPECT_EQ(N("INSERT INTO t VALUES ('a'\n'b', lower('C'), coalesce(NULL, 'd'))"), "-");
  EXPECT_EQ(N("INSERT INTO t VALUES (U&'x', B'101', X'1f', N'n')"), "-");
  // A source that is a query: the rows' types are resolved together there.
  EXPECT_EQ(N("INSERT INTO t VALUES ('a') UNION VALUES ('b')"), "-");
  EXPECT_EQ(N("INSERT INTO t VALUES ('a'), ('b') LIMIT 1"), "-");
  EXPECT_EQ(N("INSERT INTO t VALUES ('a') ORDER BY 1"), "-");
  EXPECT_EQ(N("INSERT INTO t SELECT * FROM (VALUES ('a')) v"), "-");
  EXPECT_EQ(N("INSERT INTO t SELECT 'a', 1"), "INSERT INTO t SELECT 'a', $1");
  EXPECT_EQ(N("INSERT INTO t (VALUES ('a'))"), "-");
  EXPECT_EQ(N("WITH x AS (SELECT 1) INSERT INTO t VALUES ('a')"),
            "WITH x AS (SELECT $1) INSERT INTO t VALUES ('a')");
  EXPECT_EQ(N("INSERT INTO t DEFAULT VALUES"), "-");
  EXPECT_EQ(N("INSERT INTO t VALUES ('a', DEFAULT, NULL)"),
            "INSERT INTO t VALUES ($1, DEFAULT, $2)");
}

}  // namespace
}  // namespace activestore::parser
