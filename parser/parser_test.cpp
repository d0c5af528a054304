#include "parser/parser.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/error.h"
#include "parser/ast_comment.h"
#include "parser/ast_dump.h"
#include "parser/ast_trigger.h"
#include "parser/literals.h"
#include "parser/parser_internal.h"

namespace activestore::parser {
namespace {

// The one statement of `sql`, dumped.
std::string Dump(std::string_view sql) {
  std::vector<ast::StatementPtr> v = Parse(sql);
  EXPECT_EQ(v.size(), 1u) << sql;
  return v.empty() ? "" : DumpStatement(*v[0]);
}

// The first target of "SELECT <expr>", dumped.
std::string E(const std::string& expr) {
  std::vector<ast::StatementPtr> v = Parse("SELECT " + expr);
  auto& s = static_cast<ast::SelectStatement&>(*v.at(0));
  return DumpExpr(*s.select->targets.at(0).expr);
}

const ast::Expr& FirstTarget(const ast::StatementPtr& st) {
  return *static_cast<ast::SelectStatement&>(*st).select->targets.at(0).expr;
}

struct Failure {
  std::string code;
  std::string message;
  int position = -1;
};

Failure ErrorOf(std::string_view sql) {
  try {
    Parse(sql);
  } catch (const Error& e) {
    return {std::string(SqlStateCode(e.state())), e.message(), e.position.value_or(-1)};
  }
  ADD_FAILURE() << "no error for: " << sql;
  return {};
}

TEST(StatementTest, WindowSpecificationsAndFrameErrors) {
  std::vector<ast::StatementPtr> v = Parse(
      "SELECT sum(a) OVER (w ORDER BY b ROWS BETWEEN 2 PRECEDING AND UNBOUNDED FOLLOWING "
      "EXCLUDE TIES) FROM t WINDOW w AS (PARTITION BY c)");
  const ast::StatementPtr& st = v.at(0);
  const ast::Expr& call = FirstTarget(st);
  ASSERT_TRUE(call.over);
  EXPECT_EQ(call.over->ref, "w");
  EXPECT_EQ(call.over->mode, ast::FrameMode::kRows);
  EXPECT_EQ(call.over->start, ast::FrameBoundKind::kOffsetPreceding);
  EXPECT_EQ(call.over->end, ast::FrameBoundKind::kUnboundedFollowing);
  EXPECT_EQ(call.over->exclusion, ast::FrameExclusion::kTies);
  const auto& select = *static_cast<ast::SelectStatement&>(*st).select;
  ASSERT_EQ(select.windows.size(), 1u);
  EXPECT_EQ(select.windows[0].name, "w");
  // `unbounded` is still a name elsewhere.
  Parse("SELECT unbounded, range FROM t AS following");
  Failure f = ErrorOf("SELECT sum(a) OVER (ROWS BETWEEN CURRENT ROW AND 1 PRECEDING) FROM t");
  EXPECT_EQ(f.code, "42P20");
  EXPECT_EQ(f.message, "frame starting from current row cannot have preceding rows");
  EXPECT_EQ(f.position, 50);
}

// ---- lexical elements ----------------------------------------------------------------------

TEST(LexerTest, KeywordsAreCaseInsensitiveAndIdentifiersFolded) {
  EXPECT_EQ(Dump("sElEcT MyCol FrOm MyTab"), "{SELECT mycol FROM mytab}");
  EXPECT_EQ(Dump("SELECT \"MyCol\", \"a\"\"b\" FROM \"My Tab\""),
            "{SELECT MyCol, a\"b FROM My Tab}");
  // Identifiers longer than 63 bytes are truncated, as PostgreSQL does.
  std::string longname(70, 'x');
  EXPECT_EQ(Dump("SELECT " + longname), "{SELECT " + std::string(63, 'x') + "}");
  EXPECT_EQ(Dump("SELECT é, Été FROM t"), "{SELECT é, Été FROM t}");  // only ASCII is folded
}

TEST(LexerTest, StringLiterals) {
  EXPECT_EQ(E("'it''s'"), "'it''s'");
  EXPECT_EQ(E("'back\\slash'"), "'back\\slash'");  // standard_conforming_strings
  auto v = Parse("SELECT E'a\\nb\\t\\'q\\'\\\\\\x41\\101\\u00e9\\U0001F600\\z'");
  EXPECT_EQ(FirstTarget(v[0]).value_text, "a\nb\t'q'\\AAé\xF0\x9F\x98\x80z");
  v = Parse("SELECT U&'d\\0061t\\+000061 \\\\'");
  EXPECT_EQ(FirstTarget(v[0]).value_text, "data \\");
  v = Parse("SELECT $$it's $x$ \\n$$, $tag$a$$b$tag$, $a$$a$");
  auto& s = *static_cast<ast::SelectStatement&>(*v[0]).select;
  EXPECT_EQ(s.targets[0].expr->value_text, "it's $x$ \\n");
  EXPECT_EQ(s.targets[1].expr->value_text, "a$$b");
  EXPECT_EQ(s.targets[2].expr->value_text, "");
  EXPECT_EQ(FirstTarget(v[0]).const_kind, ast::ConstKind::kString);
}

TEST(LexerTest, Numbers) {
  auto v = Parse(
      "SELECT 42, 1.5, 1.5e3, .5, 1., 2e-3, 9223372036854775807, 9223372036854775808,"
      " -9223372036854775808, - 5, - - 5, -1.5, 007");
  auto& t = static_cast<ast::SelectStatement&>(*v[0]).select->targets;
  using K = ast::ConstKind;
  std::vector<std::pair<std::string, K>> want = {{"42", K::kInteger},
                                                 {"1.5", K::kNumeric},
                                                 {"1.5e3", K::kNumeric},
                                                 {".5", K::kNumeric},
                                                 {"1.", K::kNumeric},
                                                 {"2e-3", K::kNumeric},
                                                 {"9223372036854775807", K::kInteger},
                                                 {"9223372036854775808", K::kNumeric},
                                                 {"-9223372036854775808", K::kInteger},
                                                 {"-5", K::kInteger},
                                                 {"5", K::kInteger},
                                                 {"-1.5", K::kNumeric},
                                                 {"007", K::kInteger}};
  ASSERT_EQ(t.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(t[i].expr->kind, ast::ExprKind::kConstant) << i;
    EXPECT_EQ(t[i].expr->value_text, want[i].first) << i;
    EXPECT_EQ(t[i].expr->const_kind, want[i].second) << i;
  }
  EXPECT_EQ(ClassifyInteger("00000000000000000000001", false), K::kInteger);
}

TEST(LexerTest, CommentsOperatorsAndParameters) {
  EXPECT_EQ(Dump("SELECT 1 -- line\n + /* block /* nested */ still */ 2"), "{SELECT (+ 1 2)}");
  EXPECT_EQ(E("a != b"), "(<> a b)");
  EXPECT_EQ(E("a <> b"), "(<> a b)");
  EXPECT_EQ(E("a<=b"), "(<= a b)");
  EXPECT_EQ(E("a>=-1"), "(>= a -1)");
  EXPECT_EQ(E("a ~ 'x'"), "(~ a 'x')");
  EXPECT_EQ(E("$1 + $12"), "(+ $1 $12)");
  EXPECT_EQ(E("a::int[]"), "(CAST a int[])");
  EXPECT_EQ(Dump("SELECT t.a, s.t.b, c.s.t.d, t.* FROM s.t"),
            "{SELECT t.a, s.t.b, c.s.t.d, t.* FROM s.t}");
}

TEST(LexerTest, Locations) {
  auto v = Parse("SELECT  é, xyz + 1 FROM t");
  auto& s = *static_cast<ast::SelectStatement&>(*v[0]).select;
  EXPECT_EQ(s.targets[0].expr->location, 8);   // byte offsets
  EXPECT_EQ(s.targets[1].expr->location, 16);  // the "+" operator, as PostgreSQL points at it
  EXPECT_EQ(s.targets[1].expr->args[0]->location, 12);
  EXPECT_EQ(s.from[0]->location, 25);
}

// ---- expressions ---------------------------------------------------------------------------

TEST(ExpressionTest, PostgresPrecedence) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"- col2 * + 98", "(* (- col2) (+ 98))"},
      {"1 + 2 * 3 - 4 / 5 % 6", "(- (+ 1 (* 2 3)) (% (/ 4 5) 6))"},
      {"-2 ^ 2", "(^ -2 2)"},
      {"2 ^ 3 ^ 2", "(^ (^ 2 3) 2)"},
      {"- a ^ 2", "(^ (- a) 2)"},
      {"- 1::text", "(- (CAST 1 text))"},
      {"a || b + c", "(|| a (+ b c))"},
      {"a = b AND c < d OR NOT e", "(OR (AND (= a b) (< c d)) (NOT e))"},
      {"NOT a = b", "(NOT (= a b))"},
      {"NOT + col0 IS NULL", "(NOT (IS NULL (+ col0)))"},
      {"NOT ( - col0 ) NOT BETWEEN 1 AND 2", "(NOT (NOT BETWEEN (- col0) 1 2))"},
      {"a = b IS NULL", "(IS NULL (= a b))"},
      {"a IS NOT NULL AND b ISNULL OR c NOTNULL",
       "(OR (AND (IS NOT NULL a) (IS NULL b)) (IS NOT NULL c))"},
      {"a BETWEEN 1 AND 2 AND b", "(AND (BETWEEN a 1 2) b)"},
      {"a BETWEEN SYMMETRIC b + 1 AND c", "(BETWEEN SYMMETRIC a (+ b 1) c)"},
      {"a = b BETWEEN c AND d", "(= a (BETWEEN b c d))"},
      {"a LIKE 'x%' = true", "(= (LIKE a 'x%') true)"},
      {"a NOT LIKE b ESCAPE '!'", "(NOT LIKE a b '!')"},
      {"a ILIKE b", "(ILIKE a b)"},
      {"a NOT SIMILAR TO b", "(NOT SIMILAR TO a b)"},
      {"a IN (1, 2) AND b NOT IN (3)", "(AND (IN a 1 2) (NOT IN b 3))"},
      {"true = NOT false", "(= true (NOT false))"},
      {"a IS DISTINCT FROM b = c", "(IS DISTINCT FROM a (= b c))"},
      {"a IS NOT DISTINCT FROM b", "(IS NOT DISTINCT FROM a b)"},
      {"a IS TRUE", "(IS TRUE a)"},
      {"a IS NOT UNKNOWN", "(IS NOT UNKNOWN a)"},
      {"- - 55 / - col1 - - CAST( NULL AS INTEGER )",
       "(- (/ 55 (- col1)) (- (CAST NULL integer)))"},
      {"ts AT TIME ZONE 'UTC' + x", "(+ timezone('UTC', ts) x)"},
      {"(1 + 2) * 3", "(* (+ 1 2) 3)"},
      {"a::int + b::numeric(10,2)", "(+ (CAST a int) (CAST b numeric(10,2)))"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(E(in), want) << in;
  // - col1 applied to a column is an operator; on a constant it folds into the constant.
  EXPECT_EQ(E("- col1"), "(- col1)");
  EXPECT_EQ(E("- 5"), "-5");
}

TEST(ExpressionTest, ComparisonsAreNonAssociative) {
  Failure f = ErrorOf("select 1 = 1 = true");
  EXPECT_EQ(f.code, "42601");
  EXPECT_EQ(f.message, "syntax error at or near \"=\"");
  EXPECT_EQ(f.position, 14);
}

TEST(ExpressionTest, PrimaryForms) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"CASE WHEN c > (SELECT avg(c) FROM t1) THEN a * 2 ELSE b * 10 END",
       "(CASE (WHEN (> c {SELECT avg(c) FROM t1}) (* a 2)) (ELSE (* b 10)))"},
      {"CASE a WHEN 1 THEN 'x' WHEN 2 THEN 'y' END", "(CASE a (WHEN 1 'x') (WHEN 2 'y'))"},
      {"CAST(a AS varchar(10))", "(CAST a varchar(10))"},
      {"COALESCE(a, b, 1)", "(COALESCE a b 1)"},
      {"NULLIF(a, 0)", "(NULLIF a 0)"},
      {"GREATEST(1, a)", "(GREATEST 1 a)"},
      {"LEAST(1, a)", "(LEAST 1 a)"},
      {"ROW(1, 'a')", "(ROW 1 'a')"},
      {"(1, 'a')", "(ROW 1 'a')"},
      {"(c).f", "(FIELD c f)"},
      {"(t.c).f.g", "(FIELD (FIELD t.c f) g)"},
      {"(f(x)).*", "(FIELD f(x) *)"},
      {"a[2].f", "(FIELD (SUBSCRIPT a [2]) f)"},
      {"ARRAY[1, 2]", "(ARRAY 1 2)"},
      {"ARRAY[[1, 2], [3, 4]]", "(ARRAY (ARRAY 1 2) (ARRAY 3 4))"},
      {"EXISTS (SELECT 1)", "(EXISTS {SELECT 1})"},
      {"(SELECT 1)", "{SELECT 1}"},
      {"((SELECT 1)) + 1", "(+ {SELECT 1} 1)"},
      {"a IN (SELECT b FROM t)", "(IN a {SELECT b FROM t})"},
      {"a NOT IN (SELECT b FROM t)", "(NOT IN a {SELECT b FROM t})"},
      {"a = ANY (SELECT b FROM t)", "(= ANY a {SELECT b FROM t})"},
      {"a < SOME (SELECT b FROM t)", "(< ANY a {SELECT b FROM t})"},
      {"a <> ALL (SELECT b FROM t)", "(<> ALL a {SELECT b FROM t})"},
      {"a = ANY (ARRAY[1, 2])", "(= ANY a (ARRAY 1 2))"},
      {"count(*)", "count(*)"},
      {"count(DISTINCT a)", "count(DISTINCT a)"},
      {"string_agg(a, ',' ORDER BY a DESC)", "string_agg(a, ',' ORDER BY a DESC)"},
      {"sum(a) FILTER (WHERE a > 0)", "sum(a) FILTER (> a 0)"},
      {"rank() OVER (PARTITION BY a ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)",
       "rank() OVER"},
      {"pg_catalog.now()", "pg_catalog.now()"},
      {"left('abc', 2) || right('abc', 1)", "(|| left('abc', 2) right('abc', 1))"},
      {"replace(a, 'x', 'y')", "replace(a, 'x', 'y')"},
      {"EXTRACT(YEAR FROM d)", "extract('year', d)"},
      {"EXTRACT('epoch' FROM d)", "extract('epoch', d)"},
      {"SUBSTRING(s FROM 2 FOR 3)", "substring(s, 2, 3)"},
      {"SUBSTRING(s FOR 3 FROM 2)", "substring(s, 2, 3)"},
      {"SUBSTRING(s FROM 2)", "substring(s, 2)"},
      {"SUBSTRING(s FOR 3)", "substring(s, 1, 3)"},
      {"SUBSTRING(s, 2, 3)", "substring(s, 2, 3)"},
      {"POSITION('b' IN s)", "position('b', s)"},
      {"OVERLAY(s PLACING 'x' FROM 2 FOR 1)", "overlay(s, 'x', 2, 1)"},
      {"overlay(s, 'x', 2)", "overlay(s, 'x', 2)"},
      {"TRIM(s)", "btrim(s)"},
      {"TRIM(BOTH 'x' FROM s)", "btrim(s, 'x')"},
      {"TRIM(LEADING FROM s)", "ltrim(s)"},
      {"TRIM(TRAILING 'x' FROM s)", "rtrim(s, 'x')"},
      {"CURRENT_DATE", "current_date()"},
      {"current_timestamp", "current_timestamp()"},
      {"LOCALTIMESTAMP", "localtimestamp()"},
      {"CURRENT_USER", "current_user()"},
      {"SESSION_USER", "session_user()"},
      {"USER", "user()"},
      {"CURRENT_SCHEMA", "current_schema()"},
      {"current_schema()", "current_schema()"},
      {"CURRENT_CATALOG", "current_catalog()"},
      {"DATE '2024-01-01'", "(date '2024-01-01')"},
      {"TIME '12:00'", "(time '12:00')"},
      {"TIMESTAMP '2024-01-01 10:00'", "(timestamp '2024-01-01 10:00')"},
      {"TIMESTAMP WITH TIME ZONE 'x'", "(timestamp with time zone 'x')"},
      {"TIMESTAMP(3) WITHOUT TIME ZONE 'x'", "(timestamp without time zone(3) 'x')"},
      {"INTERVAL '1 day'", "(interval '1 day')"},
      {"INTERVAL(2) '1.234 s'", "(interval(2) '1.234 s')"},
      {"text 'abc'", "(text 'abc')"},
      {"int4 '5'", "(int4 '5')"},
      {"INTEGER '5'", "(integer '5')"},
      {"DOUBLE PRECISION '1.5'", "(double precision '1.5')"},
      {"pg_catalog.date '2024-01-01'", "(date '2024-01-01')"},
      {"'1'::\"char\"", "(CAST '1' \"char\")"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(E(in), want) << in;
}

TEST(ExpressionTest, TypeNames) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"int", "int"},
      {"INT4", "int4"},
      {"integer", "integer"},
      {"BigInt", "bigint"},
      {"smallint", "smallint"},
      {"double precision", "double precision"},
      {"float8", "float8"},
      {"float(53)", "float(53)"},
      {"real", "real"},
      {"numeric(10, 2)", "numeric(10,2)"},
      {"numeric(5, -2)", "numeric(5,-2)"},
      {"decimal", "decimal"},
      {"varchar(20)", "varchar(20)"},
      {"character varying(20)", "character varying(20)"},
      {"char varying", "character varying"},
      {"char(3)", "char(3)"},
      {"character", "character"},
      {"text", "text"},
      {"bool", "bool"},
      {"boolean", "boolean"},
      {"date", "date"},
      {"time", "time"},
      {"time with time zone", "time with time zone"},
      {"timestamp", "timestamp"},
      {"timestamp(6) with time zone", "timestamp with time zone(6)"},
      {"timestamp without time zone", "timestamp without time zone"},
      {"timestamptz", "timestamptz"},
      {"interval", "interval"},
      {"int[]", "int[]"},
      {"text[][]", "text[][]"},
      {"int ARRAY", "int[]"},
      {"bit varying(8)", "bit varying(8)"},
      {"public.mytype", "public.mytype"},
  };
  for (const auto& [in, want] : cases) {
    EXPECT_EQ(E("CAST(x AS " + in + ")"), "(CAST x " + want + ")") << in;
  }
}

// ---- statements ----------------------------------------------------------------------------

TEST(SelectTest, Clauses) {
  EXPECT_EQ(Dump("SELECT DISTINCT ON (a) a, b AS x, c y, d \"Z\", 1 AS select FROM t "
                 "WHERE a > 1 GROUP BY a, b HAVING count(*) > 1 "
                 "ORDER BY 1 DESC NULLS LAST, b NULLS FIRST, c ASC LIMIT 10 OFFSET 5"),
            "{SELECT DISTINCT ON (a) a, b AS x, c AS y, d AS Z, 1 AS select FROM t WHERE (> a 1) "
            "GROUP BY a, b HAVING (> count(*) 1) ORDER BY 1 DESC NULLS LAST, b NULLS FIRST, c "
            "LIMIT 10 OFFSET 5}");
  EXPECT_EQ(Dump("SELECT ALL * FROM tab0 cor0 CROSS JOIN tab1 AS cor1"),
            "{SELECT * FROM (CROSS JOIN tab0 AS cor0 tab1 AS cor1)}");
  EXPECT_EQ(Dump("SELECT DISTINCT a FROM t"), "{SELECT DISTINCT a FROM t}");
  EXPECT_EQ(Dump("SELECT FROM t"), "{SELECT FROM t}");
  EXPECT_EQ(Dump("SELECT a FROM t LIMIT ALL OFFSET 2 ROWS"), "{SELECT a FROM t OFFSET 2}");
  EXPECT_EQ(Dump("SELECT a FROM t OFFSET 2 ROWS FETCH FIRST 3 ROWS ONLY"),
            "{SELECT a FROM t LIMIT 3 OFFSET 2}");
  EXPECT_EQ(Dump("SELECT a FROM t FETCH NEXT ROW ONLY"), "{SELECT a FROM t LIMIT 1}");
  EXPECT_EQ(Dump("SELECT a FROM t FOR UPDATE"), "{SELECT a FROM t FOR UPDATE}");
  EXPECT_EQ(Dump("SELECT a FROM t LIMIT 1 FOR SHARE NOWAIT"),
            "{SELECT a FROM t LIMIT 1 FOR SHARE NOWAIT}");
  EXPECT_EQ(Dump("SELECT a FROM t FOR NO KEY UPDATE OF t, s.u SKIP LOCKED FOR KEY SHARE"),
            "{SELECT a FROM t FOR NO KEY UPDATE OF t, s.u SKIP LOCKED FOR KEY SHARE}");
  EXPECT_EQ(Dump("SELECT a FROM t ORDER BY a USING >"), "{SELECT a FROM t ORDER BY a DESC}");
  EXPECT_EQ(Dump("TABLE t"), "{SELECT * FROM t}");
  EXPECT_EQ(Dump("VALUES (1, 'a'), (2, DEFAULT)"), "{VALUES (1, 'a'), (2, DEFAULT)}");
}

TEST(SelectTest, FromItems) {
  EXPECT_EQ(Dump("SELECT * FROM t1 INNER JOIN t2 ON t1.a = t2.a LEFT OUTER JOIN t3 USING (a, b) "
                 "RIGHT JOIN t4 ON true FULL JOIN t5 ON false NATURAL JOIN t6"),
            "{SELECT * FROM (NATURAL JOIN (FULL JOIN (RIGHT JOIN (LEFT JOIN (JOIN t1 t2 ON "
            "(= t1.a t2.a)) t3 USING (a, b)) t4 ON true) t5 ON false) t6)}");
  EXPECT_EQ(Dump("SELECT * FROM s.t1, t2 AS x(a, b), (SELECT 1) AS s, "
                 "(VALUES (1, 'a')) AS v(n, s), generate_series(1, 10) AS g, "
                 "LATERAL (SELECT x.a) l"),
            "{SELECT * FROM s.t1, t2 AS x(a, b), {SELECT 1} AS s, {VALUES (1, 'a')} AS v(n, s), "
            "generate_series(1, 10) AS g, LATERAL {SELECT x.a} AS l}");
  EXPECT_EQ(Dump("SELECT * FROM (t1 JOIN t2 ON t1.a = t2.b) AS j"),
            "{SELECT * FROM (JOIN t1 t2 ON (= t1.a t2.b)) AS j}");
  EXPECT_EQ(Dump("SELECT * FROM t1 NATURAL LEFT JOIN t2"),
            "{SELECT * FROM (NATURAL LEFT JOIN t1 t2)}");
  auto v = Parse("SELECT * FROM (VALUES (1)) v, (SELECT 1) s, generate_series(1, 2)");
  auto& from = static_cast<ast::SelectStatement&>(*v[0]).select->from;
  EXPECT_EQ(from[0]->kind, ast::TableRefKind::kValues);
  EXPECT_EQ(from[1]->kind, ast::TableRefKind::kSubquery);
  EXPECT_EQ(from[2]->kind, ast::TableRefKind::kFunction);
}

// PostgreSQL's joined_table: an ON/USING belongs to the innermost JOIN still waiting for one;
// CROSS and NATURAL joins associate to the left.
TEST(SelectTest, NestedJoinsWithoutParentheses) {
  EXPECT_EQ(Dump("SELECT * FROM a LEFT JOIN b LEFT JOIN c ON b.x = c.x ON a.y = b.y"),
            "{SELECT * FROM (LEFT JOIN a (LEFT JOIN b c ON (= b.x c.x)) ON (= a.y b.y))}");
  EXPECT_EQ(Dump("SELECT * FROM a RIGHT JOIN b INNER JOIN c ON p ON q"),
            "{SELECT * FROM (RIGHT JOIN a (JOIN b c ON p) ON q)}");
  EXPECT_EQ(Dump("SELECT * FROM a JOIN b JOIN c USING (x) USING (y)"),
            "{SELECT * FROM (JOIN a (JOIN b c USING (x)) USING (y))}");
  EXPECT_EQ(Dump("SELECT * FROM a JOIN b JOIN c ON p JOIN d ON q ON r JOIN e ON s"),
            "{SELECT * FROM (JOIN (JOIN a (JOIN (JOIN b c ON p) d ON q) ON r) e ON s)}");
  EXPECT_EQ(Dump("SELECT * FROM a CROSS JOIN b JOIN c ON p"),
            "{SELECT * FROM (JOIN (CROSS JOIN a b) c ON p)}");
  EXPECT_EQ(Dump("SELECT * FROM a JOIN b CROSS JOIN c ON p"),
            "{SELECT * FROM (JOIN a (CROSS JOIN b c) ON p)}");
  EXPECT_EQ(Dump("SELECT * FROM a JOIN b NATURAL JOIN c NATURAL JOIN d USING (x)"),
            "{SELECT * FROM (JOIN a (NATURAL JOIN (NATURAL JOIN b c) d) USING (x))}");
  EXPECT_EQ(Dump("SELECT * FROM a JOIN (SELECT 1) s JOIN f(1) g ON p ON q, b"),
            "{SELECT * FROM (JOIN a (JOIN {SELECT 1} AS s f(1) AS g ON p) ON q), b}");
  EXPECT_EQ(Dump("SELECT * FROM a JOIN b JOIN LATERAL (SELECT a.x) l ON p ON q"),
            "{SELECT * FROM (JOIN a (JOIN b LATERAL {SELECT a.x} AS l ON p) ON q)}");
  EXPECT_EQ(Dump("SELECT * FROM a JOIN (b JOIN c ON p) ON q"),
            "{SELECT * FROM (JOIN a (JOIN b c ON p) ON q)}");
  EXPECT_EQ(ErrorOf("SELECT * FROM a JOIN b JOIN c ON p").code, "42601");
  EXPECT_EQ(ErrorOf("SELECT * FROM a JOIN b ON p ON q").code, "42601");
  EXPECT_EQ(ErrorOf("SELECT * FROM a CROSS JOIN b ON p").code, "42601");
  EXPECT_EQ(ErrorOf("SELECT * FROM a NATURAL JOIN b USING (x)").code, "42601");
}

TEST(SelectTest, TableSample) {
  EXPECT_EQ(Dump("SELECT * FROM t TABLESAMPLE BERNOULLI (10)"),
            "{SELECT * FROM t TABLESAMPLE bernoulli(10)}");
  EXPECT_EQ(Dump("SELECT * FROM ONLY s.t AS x (a) TABLESAMPLE pg_catalog.system (1 + 1) "
                 "REPEATABLE (42)"),
            "{SELECT * FROM s.t AS x(a) TABLESAMPLE pg_catalog.system((+ 1 1)) REPEATABLE (42)}");
  EXPECT_EQ(Dump("SELECT * FROM t s TABLESAMPLE system (1) JOIN u TABLESAMPLE bernoulli (2) ON p"),
            "{SELECT * FROM (JOIN t AS s TABLESAMPLE system(1) u TABLESAMPLE bernoulli(2) ON p)}");
  auto v = Parse("SELECT * FROM t TABLESAMPLE foo (1, 2) REPEATABLE (3)");
  const auto& ref = *static_cast<ast::SelectStatement&>(*v[0]).select->from.at(0);
  ASSERT_NE(ref.tablesample, nullptr);
  EXPECT_EQ(ref.tablesample->method.parts, std::vector<std::string>{"foo"});
  EXPECT_EQ(ref.tablesample->args.size(), 2u);
  EXPECT_NE(ref.tablesample->repeatable, nullptr);
  EXPECT_EQ(ref.tablesample->location, 28);
  // Only a table takes it, and the alias comes first; TABLESAMPLE is not a name.
  EXPECT_EQ(ErrorOf("SELECT * FROM (SELECT 1) s TABLESAMPLE system (1)").code, "42601");
  EXPECT_EQ(ErrorOf("SELECT * FROM t TABLESAMPLE system (1) AS s").code, "42601");
  EXPECT_EQ(ErrorOf("SELECT * FROM t TABLESAMPLE system ()").code, "42601");
  EXPECT_EQ(ErrorOf("SELECT * FROM tablesample").code, "42601");
}

TEST(SelectTest, SetOperationsAndWith) {
  // INTERSECT binds tighter than UNION and EXCEPT, which associate to the left.
  EXPECT_EQ(Dump("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT ALL SELECT 4"),
            "{EXCEPT ALL {UNION {SELECT 1} {INTERSECT {SELECT 2} {SELECT 3}}} {SELECT 4}}");
  EXPECT_EQ(Dump("SELECT 1 UNION DISTINCT SELECT 2"), "{UNION {SELECT 1} {SELECT 2}}");
  EXPECT_EQ(Dump("(SELECT 1 ORDER BY 1 LIMIT 1) UNION ALL (SELECT 2) ORDER BY 1 LIMIT 5"),
            "{UNION ALL {SELECT 1 ORDER BY 1 LIMIT 1} {SELECT 2} ORDER BY 1 LIMIT 5}");
  EXPECT_EQ(Dump("((SELECT 1))"), "{SELECT 1}");
  EXPECT_EQ(Dump("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) "
                 "SELECT sum(n) FROM r"),
            "{WITH RECURSIVE r(n) AS {UNION ALL {SELECT 1} {SELECT (+ n 1) FROM r WHERE "
            "(< n 3)}} SELECT sum(n) FROM r}");
  EXPECT_EQ(Dump("WITH a AS (SELECT 1), b AS NOT MATERIALIZED (SELECT 2) SELECT * FROM a, b"),
            "{WITH a AS {SELECT 1}, b AS {SELECT 2} SELECT * FROM a, b}");
  EXPECT_EQ(Dump("SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) s"),
            "{SELECT * FROM {WITH x AS {SELECT 1} SELECT * FROM x} AS s}");
}

TEST(DmlTest, Insert) {
  EXPECT_EQ(Dump("INSERT INTO s.t AS x (a, b) VALUES (1, DEFAULT), (2, 3) ON CONFLICT (a) "
                 "DO UPDATE SET b = excluded.b, c = DEFAULT WHERE x.b < 10 RETURNING *, a AS z"),
            "INSERT INTO s.t AS x (a, b) {VALUES (1, DEFAULT), (2, 3)} ON CONFLICT (a) DO UPDATE "
            "SET b = excluded.b, c = DEFAULT WHERE (< x.b 10) RETURNING *, a AS z");
  EXPECT_EQ(Dump("INSERT INTO t SELECT * FROM s"), "INSERT INTO t {SELECT * FROM s}");
  EXPECT_EQ(Dump("INSERT INTO t (SELECT * FROM s)"), "INSERT INTO t {SELECT * FROM s}");
  EXPECT_EQ(Dump("INSERT INTO t DEFAULT VALUES"), "INSERT INTO t DEFAULT VALUES");
  EXPECT_EQ(Dump("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING"),
            "INSERT INTO t {VALUES (1)} ON CONFLICT DO NOTHING");
  EXPECT_EQ(Dump("WITH w AS (SELECT 1) INSERT INTO t SELECT * FROM w"),
            "WITH w AS {SELECT 1} INSERT INTO t {SELECT * FROM w}");
  EXPECT_EQ(Dump("INSERT INTO t (values) VALUES (1)"), "INSERT INTO t (values) {VALUES (1)}");
}

TEST(DmlTest, UpdateAndDelete) {
  EXPECT_EQ(Dump("UPDATE t AS x SET a = a + 1, b = DEFAULT FROM s WHERE x.id = s.id "
                 "RETURNING a, b AS bee"),
            "UPDATE t AS x SET a = (+ a 1), b = DEFAULT FROM s WHERE (= x.id s.id) "
            "RETURNING a, b AS bee");
  EXPECT_EQ(Dump("UPDATE t set set = 1"), "UPDATE t SET set = 1");
  EXPECT_EQ(Dump("UPDATE t x SET a = 1"), "UPDATE t AS x SET a = 1");
  EXPECT_EQ(Dump("DELETE FROM t AS x USING s, u WHERE x.id = s.id RETURNING x.*"),
            "DELETE FROM t AS x USING s, u WHERE (= x.id s.id) RETURNING x.*");
  EXPECT_EQ(Dump("DELETE FROM t"), "DELETE FROM t");
}

TEST(DmlTest, Merge) {
  EXPECT_EQ(
      Dump("WITH w AS (SELECT 1 AS id) MERGE INTO ONLY s.t AS x USING w JOIN u ON u.id = w.id "
           "ON x.id = w.id WHEN MATCHED AND x.n > 0 THEN UPDATE SET n = x.n + 1, m = DEFAULT "
           "WHEN MATCHED THEN DELETE WHEN NOT MATCHED AND w.id > 1 THEN INSERT (id, n) "
           "OVERRIDING SYSTEM VALUE VALUES (w.id, DEFAULT) WHEN NOT MATCHED THEN INSERT "
           "DEFAULT VALUES"),
      "WITH w AS {SELECT 1 AS id} MERGE INTO ONLY s.t AS x USING (JOIN w u ON (= u.id w.id)) "
      "ON (= x.id w.id) WHEN MATCHED AND (> x.n 0) THEN UPDATE SET n = (+ x.n 1), "
      "m = DEFAULT WHEN MATCHED THEN DELETE WHEN NOT MATCHED AND (> w.id 1) THEN INSERT "
      "(id, n) OVERRIDING SYSTEM VALUE VALUES (w.id, DEFAULT) WHEN NOT MATCHED THEN INSERT "
      "DEFAULT VALUES");
  EXPECT_EQ(Dump("merge into t using (select 1) s on true when matched then do nothing "
                 "when not matched then do nothing"),
            "MERGE INTO t USING {SELECT 1} AS s ON true WHEN MATCHED THEN DO NOTHING WHEN NOT "
            "MATCHED THEN DO NOTHING");
  EXPECT_EQ(Dump("PREPARE p AS MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN DELETE"),
            "PREPARE p AS MERGE INTO t USING s ON (= t.a s.a) WHEN MATCHED THEN DELETE TEXT 'MERGE "
            "INTO t USING s ON t.a = s.a WHEN MATCHED THEN DELETE'");
  // merge and matched are unreserved: names.
  EXPECT_EQ(Dump("SELECT matched FROM merge AS matched"), "{SELECT matched FROM merge AS matched}");
  EXPECT_EQ(Dump("INSERT INTO t VALUES (1) ON CONFLICT ON CONSTRAINT t_pkey DO UPDATE SET a = 2"),
            "INSERT INTO t {VALUES (1)} ON CONFLICT ON CONSTRAINT t_pkey DO UPDATE SET a = 2");
}

TEST(DdlTest, CreateTable) {
  EXPECT_EQ(Dump("CREATE TEMP TABLE IF NOT EXISTS s.t (id bigint PRIMARY KEY, "
                 "name varchar(20) NOT NULL DEFAULT 'x', price numeric(10,2) CHECK (price > 0), "
                 "ref int REFERENCES other(id) ON DELETE CASCADE, u text UNIQUE NULL, "
                 "ts timestamp with time zone, d double precision, "
                 "CONSTRAINT uq UNIQUE (name, u), CHECK (id > 0), PRIMARY KEY (id), "
                 "FOREIGN KEY (ref) REFERENCES other (id)) WITH (fillfactor=100)"),
            // A column's CHECK becomes a table constraint (it may name other columns).
            "CREATE TEMP TABLE IF NOT EXISTS s.t (id bigint PRIMARY KEY, name varchar(20) NOT "
            "NULL DEFAULT 'x', price numeric(10,2), ref int REFERENCES other, u text UNIQUE, ts "
            "timestamp with time zone, d double precision, CHECK (> price 0), CONSTRAINT uq "
            "UNIQUE (name, u), CHECK (> id 0), PRIMARY KEY (id), FOREIGN KEY (ref) REFERENCES "
            "other (id)) WITH (fillfactor=100)");
  EXPECT_EQ(Dump("create unlogged table pgbench_tellers(tid int not null,bid int,tbalance int,"
                 "filler char(84)) with (fillfactor=100)"),
            "CREATE UNLOGGED TABLE pgbench_tellers (tid int NOT NULL, bid int, tbalance int, "
            "filler char(84)) WITH (fillfactor=100)");
  EXPECT_EQ(Dump("CREATE TABLE tab0(pk INTEGER PRIMARY KEY, col0 INTEGER, col1 FLOAT, col2 TEXT)"),
            "CREATE TABLE tab0 (pk integer PRIMARY KEY, col0 integer, col1 float, col2 text)");
  EXPECT_EQ(Dump("CREATE TABLE t ()"), "CREATE TABLE t ()");
  EXPECT_EQ(Dump("CREATE TABLE t AS SELECT 1 AS a"), "CREATE TABLE t AS {SELECT 1 AS a}");
  EXPECT_EQ(Dump("CREATE TABLE t (x, y) AS SELECT 1, 2 WITH DATA"),
            "CREATE TABLE t (x, y) AS {SELECT 1, 2}");
  EXPECT_EQ(Dump("CREATE TABLE t AS SELECT 1 AS a WITH NO DATA"),
            "CREATE TABLE t AS {SELECT 1 AS a LIMIT 0}");
  EXPECT_EQ(Dump("create table a(aid int not null) partition by hash (aid)"),
            "CREATE TABLE a (aid int NOT NULL) PARTITIONED");
  EXPECT_EQ(Dump("create table a_1\n  partition of a\n  for values with (modulus 2, remainder 0) "
                 "with (fillfactor=100)"),
            "CREATE TABLE a_1 () PARTITIONED");
  EXPECT_EQ(Dump("create unlogged table a_1 partition of a for values from (minvalue) to (5)"),
            "CREATE UNLOGGED TABLE a_1 () PARTITIONED");
}

TEST(DdlTest, Sequences) {
  EXPECT_EQ(Dump("CREATE SEQUENCE s"), "CREATE SEQUENCE s");
  EXPECT_EQ(Dump("create sequence if not exists sch.s as integer increment by -2 minvalue -10 "
                 "no maxvalue start with -3 cache 5 cycle owned by t.c"),
            "CREATE SEQUENCE IF NOT EXISTS sch.s as integer increment -2 minvalue -10 maxvalue "
            "start -3 cache 5 cycle true owned_by t.c");
  EXPECT_EQ(Dump("CREATE SEQUENCE s INCREMENT 3 START 7 NO CYCLE NO MINVALUE OWNED BY NONE"),
            "CREATE SEQUENCE s increment 3 start 7 cycle false minvalue owned_by none");
  EXPECT_EQ(Dump("CREATE SEQUENCE s MAXVALUE +9223372036854775807"),
            "CREATE SEQUENCE s maxvalue 9223372036854775807");
  EXPECT_EQ(Dump("ALTER SEQUENCE IF EXISTS s RESTART"), "ALTER SEQUENCE IF EXISTS s restart");
  EXPECT_EQ(Dump("ALTER SEQUENCE s RESTART WITH 5 INCREMENT 2"),
            "ALTER SEQUENCE s restart 5 increment 2");
  // OWNER TO is ALTER ... OWNER TO (privileges.cpp), not a sequence action.
  EXPECT_EQ(Parse("ALTER SEQUENCE s OWNER TO bob").at(0)->kind, ast::StmtKind::kAlterOwner);
  EXPECT_EQ(Dump("ALTER SEQUENCE s SET LOGGED"), "ALTER SEQUENCE s 'SET LOGGED'");
  EXPECT_EQ(Dump("CREATE TABLE t (a int GENERATED ALWAYS AS IDENTITY, "
                 "b bigint GENERATED BY DEFAULT AS IDENTITY (START 10 SEQUENCE NAME q))"),
            "CREATE TABLE t (a int GENERATED ALWAYS AS IDENTITY, b bigint GENERATED BY DEFAULT "
            "AS IDENTITY (start 10 sequence_name q))");
  EXPECT_EQ(Dump("INSERT INTO t (a) OVERRIDING SYSTEM VALUE VALUES (1)"),
            "INSERT INTO t (a) OVERRIDING SYSTEM VALUE {VALUES (1)}");
  EXPECT_EQ(Dump("INSERT INTO t OVERRIDING USER VALUE SELECT 1"),
            "INSERT INTO t OVERRIDING USER VALUE {SELECT 1}");
  EXPECT_EQ(Dump("TRUNCATE t RESTART IDENTITY"), "TRUNCATE t RESTART IDENTITY");
  // New keywords stay usable as names.
  EXPECT_NO_THROW(
      Parse("CREATE TABLE t (cache int, cycle int, increment int, maxvalue int, "
            "minvalue int, owned int, overriding int, system int, value int)"));
  EXPECT_EQ(Dump("SELECT value, system FROM t"), "{SELECT value, system FROM t}");
  EXPECT_EQ(ErrorOf("CREATE SEQUENCE s SEQUENCE FOO x").code, "42601");
  EXPECT_EQ(ErrorOf("CREATE TABLE t (a int GENERATED ALWAYS AS IDENTITY DEFAULT 1)").message,
            "both default and identity specified for column \"a\" of table \"t\"");
  EXPECT_EQ(ErrorOf("CREATE TABLE t (a int GENERATED ALWAYS AS IDENTITY NULL)").message,
            "conflicting NULL/NOT NULL declarations for column \"a\" of table \"t\"");
}

TEST(DdlTest, OtherDdl) {
  EXPECT_EQ(Dump("DROP TABLE IF EXISTS a, s.b CASCADE"), "DROP TABLE IF EXISTS a, s.b CASCADE");
  EXPECT_EQ(Dump("DROP VIEW v"), "DROP VIEW v");
  EXPECT_EQ(Dump("DROP INDEX CONCURRENTLY IF EXISTS i RESTRICT"), "DROP INDEX IF EXISTS i");
  EXPECT_EQ(Dump("DROP SCHEMA s"), "DROP SCHEMA s");
  EXPECT_EQ(Dump("DROP DATABASE d"), "DROP DATABASE d");
  EXPECT_EQ(Dump("DROP SEQUENCE q"), "DROP SEQUENCE q");
  EXPECT_EQ(Dump("DROP SEQUENCE IF EXISTS a, b CASCADE"), "DROP SEQUENCE IF EXISTS a, b CASCADE");
  EXPECT_EQ(Dump("CREATE SCHEMA IF NOT EXISTS s"), "CREATE SCHEMA IF NOT EXISTS s");
  EXPECT_EQ(Dump("CREATE SCHEMA AUTHORIZATION joe"), "CREATE SCHEMA joe AUTHORIZATION joe");
  EXPECT_EQ(Dump("CREATE SCHEMA s AUTHORIZATION joe"), "CREATE SCHEMA s AUTHORIZATION joe");
  // Schema elements: in PostgreSQL's order (sequences, tables, views, indexes, triggers,
  // grants), unqualified names qualified with the new schema, other schemas kept (42P15 later).
  EXPECT_EQ(Dump("CREATE SCHEMA s GRANT SELECT ON t TO PUBLIC CREATE INDEX i ON t (a) "
                 "CREATE VIEW v AS SELECT a FROM t CREATE TABLE t (a int) CREATE SEQUENCE q "
                 "CREATE TABLE o.u (b int)"),
            "CREATE SCHEMA s {" + Dump("CREATE SEQUENCE s.q") + "} {" +
                Dump("CREATE TABLE s.t (a int)") + "} {" + Dump("CREATE TABLE o.u (b int)") +
                "} {" + Dump("CREATE VIEW s.v AS SELECT a FROM t") + "} {" +
                Dump("CREATE INDEX i ON s.t (a)") + "} {" + Dump("GRANT SELECT ON t TO PUBLIC") +
                "}");
  EXPECT_EQ(ErrorOf("CREATE SCHEMA IF NOT EXISTS s CREATE TABLE t (a int)").code, "0A000");
  EXPECT_EQ(ErrorOf("CREATE SCHEMA s CREATE TABLE t AS SELECT 1").message,
            "syntax error at or near \"AS\"");
  EXPECT_EQ(ErrorOf("CREATE SCHEMA s GRANT r TO u").message, "syntax error at or near \"TO\"");
  EXPECT_EQ(Dump("CREATE DATABASE d WITH TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' "
                 "LC_CTYPE = 'C' CONNECTION LIMIT = 5 OWNER = DEFAULT"),
            "CREATE DATABASE d (template=template0, encoding=UTF8, lc_collate=C, lc_ctype=C, "
            "connection_limit=5, owner=default)");
  EXPECT_EQ(Dump("CREATE UNIQUE INDEX IF NOT EXISTS i ON t USING btree "
                 "(a DESC, (lower(b)), c NULLS FIRST, (d), e text_pattern_ops) WHERE a > 0"),
            "CREATE UNIQUE INDEX IF NOT EXISTS i ON t USING btree (a DESC, lower(b), c, d, e) "
            "WHERE (> a 0)");
  EXPECT_EQ(Dump("CREATE INDEX ON t (lower(a), (a + b))"),
            "CREATE INDEX  ON t (lower(a), (+ a b))");
  EXPECT_EQ(Dump("CREATE UNIQUE INDEX idx_tab1_0 ON tab1 (col0 DESC)"),
            "CREATE UNIQUE INDEX idx_tab1_0 ON tab1 (col0 DESC)");
  EXPECT_EQ(Dump("CREATE OR REPLACE VIEW v (x, y) AS SELECT a, b FROM t  "),
            "CREATE OR REPLACE VIEW v (x, y) AS {SELECT a, b FROM t} TEXT 'SELECT a, b FROM t'");
  EXPECT_EQ(Dump("TRUNCATE TABLE a, b CASCADE"), "TRUNCATE a, b");
  EXPECT_EQ(Dump("truncate pgbench_history"), "TRUNCATE pgbench_history");
  EXPECT_EQ(Dump("ALTER TABLE IF EXISTS t ADD PRIMARY KEY (bid)"),
            "ALTER TABLE t 'ADD PRIMARY KEY (bid)'");
  EXPECT_EQ(Dump("alter table h add constraint h_fk foreign key (bid) references b"),
            "ALTER TABLE h 'add constraint h_fk foreign key (bid) references b'");
}

TEST(DdlTest, Triggers) {
  auto v = Parse(
      "CREATE OR REPLACE TRIGGER trg BEFORE INSERT OR UPDATE OF a, b ON s.t FOR EACH ROW "
      "WHEN (NEW.a > 0) EXECUTE PROCEDURE f('x', 42, ident)");
  ASSERT_EQ(v.size(), 1u);
  ASSERT_EQ(v[0]->kind, ast::StmtKind::kCreateTrigger);
  const auto& c = static_cast<const ast::CreateTriggerStatement&>(*v[0]);
  EXPECT_TRUE(c.or_replace);
  EXPECT_FALSE(c.constraint);
  EXPECT_EQ(c.name, "trg");
  EXPECT_EQ(c.timing, ast::trigger_type::kBefore);
  EXPECT_EQ(c.events, ast::trigger_type::kInsert | ast::trigger_type::kUpdate);
  EXPECT_EQ(c.update_columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c.table.parts, (std::vector<std::string>{"s", "t"}));
  EXPECT_TRUE(c.for_each_row);
  ASSERT_NE(c.when, nullptr);
  EXPECT_EQ(DumpExpr(*c.when), "(> new.a 0)");
  EXPECT_EQ(c.function.name(), "f");
  EXPECT_EQ(c.args, (std::vector<std::string>{"x", "42", "ident"}));

  v = Parse(
      "create trigger t2 instead of delete on v referencing old table as o new table n "
      "for statement execute function g()");
  const auto& d = static_cast<const ast::CreateTriggerStatement&>(*v.at(0));
  EXPECT_EQ(d.timing, ast::trigger_type::kInstead);
  EXPECT_EQ(d.events, ast::trigger_type::kDelete);
  EXPECT_FALSE(d.for_each_row);
  EXPECT_EQ(d.old_table, "o");
  EXPECT_EQ(d.new_table, "n");
  EXPECT_TRUE(d.args.empty());

  v = Parse(
      "CREATE CONSTRAINT TRIGGER c AFTER DELETE ON t DEFERRABLE INITIALLY DEFERRED "
      "FOR EACH ROW EXECUTE FUNCTION g()");
  const auto& k = static_cast<const ast::CreateTriggerStatement&>(*v.at(0));
  EXPECT_TRUE(k.constraint && k.deferrable && k.initially_deferred);

  v = Parse("DROP TRIGGER IF EXISTS trg ON s.t CASCADE");
  const auto& drop = static_cast<const ast::DropTriggerStatement&>(*v.at(0));
  EXPECT_TRUE(drop.if_exists && drop.cascade);
  EXPECT_EQ(drop.name, "trg");
  v = Parse("ALTER TRIGGER trg ON t RENAME TO trg2");
  EXPECT_EQ(static_cast<const ast::AlterTriggerStatement&>(*v.at(0)).new_name, "trg2");
  v = Parse("ALTER TABLE t ENABLE ALWAYS TRIGGER trg, DISABLE TRIGGER ALL, ENABLE TRIGGER USER");
  const auto& alter = static_cast<const ast::AlterTableStatement&>(*v.at(0));
  ASSERT_EQ(alter.actions.size(), 3u);
  EXPECT_EQ(alter.actions[0]->trigger_toggle->enabled, 'A');
  EXPECT_EQ(alter.actions[0]->trigger_toggle->name, "trg");
  EXPECT_EQ(alter.actions[1]->trigger_toggle->enabled, 'D');
  EXPECT_TRUE(alter.actions[1]->trigger_toggle->all);
  EXPECT_EQ(alter.actions[2]->trigger_toggle->enabled, 'O');
  EXPECT_FALSE(alter.actions[2]->trigger_toggle->all);
  EXPECT_TRUE(alter.actions[2]->trigger_toggle->name.empty());

  EXPECT_EQ(ErrorOf("CREATE TRIGGER t DURING INSERT ON t EXECUTE FUNCTION f()").message,
            "syntax error at or near \"DURING\"");
  EXPECT_EQ(ErrorOf("CREATE TRIGGER t AFTER INSERT OR INSERT ON t EXECUTE FUNCTION f()").message,
            "duplicate trigger events specified at or near \"ON\"");
  EXPECT_EQ(ErrorOf("CREATE TRIGGER t AFTER INSERT ON t FOR EACH TUPLE EXECUTE FUNCTION f()").code,
            "42601");
  Failure event = ErrorOf("CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION f()");
  EXPECT_EQ(event.code, "0A000");
  EXPECT_EQ(event.message, "CREATE EVENT TRIGGER is not supported");
}

TEST(UtilityTest, Transactions) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"BEGIN", "BEGIN"},
      {"begin work", "BEGIN"},
      {"BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY",
       "BEGIN ISOLATION LEVEL serializable READ ONLY"},
      {"BEGIN ISOLATION LEVEL REPEATABLE READ READ WRITE",
       "BEGIN ISOLATION LEVEL repeatable read READ WRITE"},
      {"START TRANSACTION ISOLATION LEVEL READ COMMITTED", "BEGIN ISOLATION LEVEL read committed"},
      {"START TRANSACTION ISOLATION LEVEL READ UNCOMMITTED NOT DEFERRABLE",
       "BEGIN ISOLATION LEVEL read uncommitted"},
      {"COMMIT", "COMMIT"},
      {"COMMIT WORK", "COMMIT"},
      {"END", "COMMIT"},
      {"END TRANSACTION", "COMMIT"},
      {"COMMIT AND CHAIN", "COMMIT AND CHAIN"},
      {"COMMIT AND NO CHAIN", "COMMIT"},
      {"ROLLBACK", "ROLLBACK"},
      {"ABORT", "ROLLBACK"},
      {"ROLLBACK AND CHAIN", "ROLLBACK AND CHAIN"},
      {"SAVEPOINT sp1", "SAVEPOINT sp1"},
      {"RELEASE SAVEPOINT sp1", "RELEASE sp1"},
      {"RELEASE sp1", "RELEASE sp1"},
      {"ROLLBACK TO SAVEPOINT sp1", "ROLLBACK TO sp1"},
      {"ROLLBACK WORK TO sp1", "ROLLBACK TO sp1"},
      {"PREPARE TRANSACTION 'gid'", "PREPARE TRANSACTION gid"},
      {"COMMIT PREPARED 'g 1'", "COMMIT PREPARED g 1"},
      {"ROLLBACK PREPARED 'it''s'", "ROLLBACK PREPARED it's"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(Dump(in), want) << in;
}

TEST(UtilityTest, SetShowReset) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"SET DateStyle = 'ISO'", "SET datestyle = 'ISO'"},
      {"SET extra_float_digits = 2", "SET extra_float_digits = '2'"},
      {"SET extra_float_digits TO -3", "SET extra_float_digits = '-3'"},
      {"SET search_path TO MySchema, \"Other\", public",
       "SET search_path = 'myschema', "
       "'Other', 'public'"},
      {"SET SESSION x.y = on", "SET x.y = 'on'"},
      {"SET LOCAL work_mem = '64MB'", "SET LOCAL work_mem = '64MB'"},
      {"SET client_min_messages TO WARNING", "SET client_min_messages = 'warning'"},
      {"SET x TO DEFAULT", "SET x = DEFAULT"},
      {"SET x = 'default'", "SET x = 'default'"},
      {"SET TIME ZONE 'UTC'", "SET timezone = 'UTC'"},
      {"SET TIME ZONE -8", "SET timezone = '-8'"},
      {"SET TIME ZONE LOCAL", "SET timezone = DEFAULT"},
      {"SET TIME ZONE DEFAULT", "SET timezone = DEFAULT"},
      {"SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE",
       "SET default_transaction_isolation = 'serializable'"},
      {"SET TRANSACTION READ ONLY", "SET transaction_read_only = 'on'"},
      {"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
       "SET transaction_isolation = 'repeatable read'"},
      {"SET SCHEMA 'app'", "SET search_path = 'app'"},
      {"SET NAMES 'UTF8'", "SET client_encoding = 'UTF8'"},
      {"SHOW ALL", "SHOW all"},
      {"SHOW TimeZone", "SHOW timezone"},
      {"SHOW TIME ZONE", "SHOW timezone"},
      {"SHOW TRANSACTION ISOLATION LEVEL", "SHOW transaction_isolation"},
      {"show transaction_isolation", "SHOW transaction_isolation"},
      {"SHOW server_version", "SHOW server_version"},
      {"RESET ALL", "RESET all"},
      {"RESET search_path", "RESET search_path"},
      {"RESET TIME ZONE", "RESET timezone"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(Dump(in), want) << in;
}

TEST(UtilityTest, ExplainCopyPrepare) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"EXPLAIN SELECT 1", "EXPLAIN {SELECT 1}"},
      {"EXPLAIN ANALYZE VERBOSE SELECT 1", "EXPLAIN ANALYZE VERBOSE {SELECT 1}"},
      {"EXPLAIN ANALYSE SELECT 1", "EXPLAIN ANALYZE {SELECT 1}"},
      {"EXPLAIN (ANALYZE, COSTS OFF, FORMAT TEXT) SELECT 1", "EXPLAIN ANALYZE {SELECT 1}"},
      {"EXPLAIN (ANALYZE false, VERBOSE) SELECT 1", "EXPLAIN VERBOSE {SELECT 1}"},
      {"EXPLAIN INSERT INTO t VALUES (1)", "EXPLAIN INSERT INTO t {VALUES (1)}"},
      {"EXPLAIN (SELECT 1)", "EXPLAIN {SELECT 1}"},
      {"EXPLAIN EXECUTE p(1)", "EXPLAIN EXECUTE p (1)"},
      {"COPY t (a, b) FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ',', NULL '')",
       "COPY t (a, b) FROM stdin (format=csv, header=true, delimiter=,, null=)"},
      {"COPY t FROM STDIN CSV HEADER DELIMITER AS ';' NULL 'N' QUOTE '\"' ESCAPE '\\'",
       "COPY t FROM stdin (format=csv, header=true, delimiter=;, null=N, quote=\", escape=\\)"},
      {"copy pgbench_accounts from stdin with (freeze on)",
       "COPY pgbench_accounts FROM stdin (freeze=on)"},
      {"COPY t FROM STDIN FREEZE BINARY", "COPY t FROM stdin (freeze=true, format=binary)"},
      {"COPY (SELECT 1) TO STDOUT", "COPY {SELECT 1} TO stdout"},
      {"COPY t TO '/tmp/x.csv' (FORMAT csv, FORCE_QUOTE *)",
       "COPY t TO /tmp/x.csv (format=csv, force_quote=*)"},
      {"PREPARE p (int, text) AS SELECT $1, $2",
       "PREPARE p (int, text) AS {SELECT $1, $2} TEXT 'SELECT $1, $2'"},
      {"PREPARE q AS UPDATE t SET a = $1",
       "PREPARE q AS UPDATE t SET a = $1 TEXT 'UPDATE t SET "
       "a = $1'"},
      {"EXECUTE p (1, 'a')", "EXECUTE p (1, 'a')"},
      {"EXECUTE p", "EXECUTE p"},
      {"DEALLOCATE p", "DEALLOCATE p"},
      {"DEALLOCATE PREPARE ALL", "DEALLOCATE ALL"},
      {"DEALLOCATE \"P_1\"", "DEALLOCATE P_1"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(Dump(in), want) << in;
}

TEST(UtilityTest, NoopCommands) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"VACUUM", "NOOP VACUUM"},
      {"vacuum analyze pgbench_branches", "NOOP VACUUM"},
      {"VACUUM FULL VERBOSE ANALYZE t, u (a)", "NOOP VACUUM"},
      {"VACUUM (VERBOSE, ANALYZE) t", "NOOP VACUUM"},
      {"ANALYZE", "NOOP ANALYZE"},
      {"ANALYZE VERBOSE t", "NOOP ANALYZE"},
      {"CHECKPOINT", "NOOP CHECKPOINT"},
      {"DISCARD ALL", "NOOP DISCARD ALL"},
      {"DISCARD TEMPORARY", "NOOP DISCARD TEMP"},
      {"LISTEN chan", "LISTEN chan"},
      {"LISTEN \"Chan\"", "LISTEN Chan"},
      {"UNLISTEN *", "UNLISTEN *"},
      {"UNLISTEN Chan", "UNLISTEN chan"},
      {"NOTIFY chan, 'payload'", "NOTIFY chan 'payload'"},
      {"NOTIFY chan", "NOTIFY chan ''"},
      {"NOTIFY chan, E'a\\tb'", "NOTIFY chan 'a\tb'"},
      {"NOTIFY chan, $$it's$$", "NOTIFY chan 'it''s'"},
      {"NOTIFY chan, 'a'\n 'b'", "NOTIFY chan 'ab'"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(Dump(in), want) << in;
  // PostgreSQL's checks of the options and targets.
  EXPECT_THROW(Dump("VACUUM t (a)"), Error);  // a column list needs ANALYZE (0A000)
  EXPECT_THROW(Dump("ANALYZE (fast) t"), Error);
  std::vector<ast::StatementPtr> parsed;
  auto analyze = [&](const std::string& sql) -> const ast::UtilityNoopStatement& {
    parsed = Parse(sql);
    return *static_cast<const ast::UtilityNoopStatement*>(parsed.at(0).get());
  };
  const ast::UtilityNoopStatement& a =
      analyze("ANALYZE (VERBOSE, SKIP_LOCKED false) s.t (a, b), u");
  EXPECT_TRUE(a.analyze);
  EXPECT_TRUE(a.verbose);
  EXPECT_FALSE(a.skip_locked);
  ASSERT_EQ(a.targets.size(), 2u);
  EXPECT_EQ(a.targets[0].name.parts, (std::vector<std::string>{"s", "t"}));
  EXPECT_EQ(a.targets[0].columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(a.targets[1].columns.empty());
  EXPECT_TRUE(analyze("VACUUM (ANALYZE) t").analyze);  // `a` is gone from here on
  EXPECT_FALSE(analyze("VACUUM (ANALYZE off) t").analyze);
}

TEST(StatementTest, NonReservedKeywordsAreNames) {
  const std::string cols =
      "name, value, key, text, date, time, timestamp, type, data, action, level, position, "
      "first, last, year, month, day, hour, minute, second, zone, filter, over, interval, "
      "begin, commit, set, show, index, view, schema, database, temp, copy, explain, prepare";
  std::string defs;
  for (size_t start = 0; start < cols.size();) {
    size_t end = cols.find(", ", start);
    std::string c = cols.substr(start, end == std::string::npos ? end : end - start);
    defs += (defs.empty() ? "" : ", ") + c + " int";
    start = end == std::string::npos ? cols.size() : end + 2;
  }
  EXPECT_NO_THROW(Parse("CREATE TABLE t (" + defs + ")"));
  EXPECT_EQ(Dump("SELECT " + cols + " FROM t"), "{SELECT " + cols + " FROM t}");
  EXPECT_EQ(Dump("SELECT t.name FROM data AS t WHERE position = 1 AND key = 'k' "
                 "ORDER BY level"),
            "{SELECT t.name FROM data AS t WHERE (AND (= position 1) (= key 'k')) "
            "ORDER BY level}");
  // Reserved words need quotes, or AS for an output name.
  EXPECT_EQ(Dump("SELECT 1 AS from, 2 AS \"select\""), "{SELECT 1 AS from, 2 AS select}");
  EXPECT_EQ(ErrorOf("SELECT select FROM t").code, "42601");
}

TEST(StatementTest, SelectIntoIsCreateTableAs) {
  std::vector<ast::StatementPtr> v = Parse("SELECT a, b INTO TABLE s.t2 FROM t WHERE a > 1");
  ASSERT_EQ(v.size(), 1u);
  ASSERT_EQ(v[0]->kind, ast::StmtKind::kCreateTable);
  const auto& ct = static_cast<const ast::CreateTableStatement&>(*v[0]);
  EXPECT_EQ(ct.table.name(), "t2");
  ASSERT_NE(ct.as_select, nullptr);
  EXPECT_EQ(ct.as_select->targets.size(), 2u);
  EXPECT_FALSE(ct.temporary);
  v = Parse("SELECT 1 INTO TEMP x UNION SELECT 2");
  EXPECT_TRUE(static_cast<const ast::CreateTableStatement&>(*v.at(0)).temporary);
  // Only the statement's own select may say INTO.
  EXPECT_EQ(ErrorOf("SELECT 1 UNION SELECT 2 INTO x").message,
            "INTO is only allowed on first SELECT of UNION/INTERSECT/EXCEPT");
  for (const char* sql :
       {"SELECT (SELECT 1 INTO x)", "INSERT INTO t SELECT 1 INTO x",
        "WITH w AS (SELECT 1 INTO x) SELECT 1", "SELECT 1 UNION SELECT (SELECT 2 INTO x)"}) {
    Failure f = ErrorOf(sql);
    EXPECT_EQ(f.code, "42601") << sql;
    EXPECT_EQ(f.message, "SELECT ... INTO is not allowed here") << sql;
  }
  EXPECT_EQ(ErrorOf("COPY (SELECT 1 INTO x) TO STDOUT").code, "0A000");
  v = Parse("SELECT * INTO x FROM (WITH a AS (SELECT 1) SELECT * FROM a) s");
  EXPECT_EQ(v.at(0)->kind, ast::StmtKind::kCreateTable);
}

TEST(StatementTest, GroupingSetsAndWithinGroup) {
  EXPECT_EQ(Dump("SELECT 1 FROM t GROUP BY DISTINCT a, ROLLUP (a, (b, c)), CUBE (d), "
                 "GROUPING SETS ((), e, GROUPING SETS (f))"),
            "{SELECT 1 FROM t GROUP BY DISTINCT a, (ROLLUP a (ROW b c)), (CUBE d), "
            "(SETS (EMPTY ) e (SETS f))}");
  EXPECT_EQ(E("grouping(a, b)"), "(GROUPING a b)");
  // CUBE, ROLLUP and SETS stay names; GROUPING is a column name keyword.
  EXPECT_EQ(E("rollup(cube) + sets"), E("(rollup(cube)) + sets"));
  EXPECT_EQ(E("percentile_cont(0.5) WITHIN GROUP (ORDER BY x DESC)"),
            "percentile_cont(0.5n) WITHIN GROUP (ORDER BY x DESC)");
  const std::vector<std::pair<std::string, std::string>> errors = {
      {"SELECT f(a ORDER BY a) WITHIN GROUP (ORDER BY b)",
       "cannot use multiple ORDER BY clauses with WITHIN GROUP"},
      {"SELECT f(DISTINCT a) WITHIN GROUP (ORDER BY b)", "cannot use DISTINCT with WITHIN GROUP"},
  };
  for (const auto& [in, msg] : errors) {
    Failure f = ErrorOf(in);
    EXPECT_EQ(f.code, "42601") << in;
    EXPECT_EQ(f.message, msg) << in;
    EXPECT_EQ(f.position, static_cast<int>(in.find("WITHIN")) + 1) << in;
  }
}

TEST(StatementTest, CommentOnNamesItsObject) {
  using T = ast::CommentStatement::Target;
  auto comment = [](const std::string& sql) {
    std::vector<ast::StatementPtr> v = Parse(sql);
    EXPECT_EQ(v.size(), 1u) << sql;
    EXPECT_EQ(v[0]->kind, ast::StmtKind::kComment) << sql;
    return *static_cast<const ast::CommentStatement*>(v[0].get());
  };
  ast::CommentStatement c = comment("COMMENT ON TABLE s.t IS 'it''s'");
  EXPECT_EQ(c.target, T::kTable);
  EXPECT_EQ(c.relation_kind, "table");
  EXPECT_EQ(c.name.parts, (std::vector<std::string>{"s", "t"}));
  EXPECT_EQ(c.text, std::optional<std::string>("it's"));
  c = comment("COMMENT ON COLUMN t.a IS NULL");
  EXPECT_EQ(c.target, T::kColumn);
  EXPECT_EQ(c.name.parts, (std::vector<std::string>{"t", "a"}));
  EXPECT_FALSE(c.text.has_value());
  c = comment("COMMENT ON MATERIALIZED VIEW m IS 'x'");
  EXPECT_EQ(c.target, T::kTable);
  EXPECT_EQ(c.relation_kind, "materialized view");
  c = comment("COMMENT ON CONSTRAINT c ON DOMAIN d IS 'x'");
  EXPECT_EQ(c.target, T::kDomainConstraint);
  EXPECT_EQ(c.member, "c");
  c = comment("COMMENT ON TRIGGER g ON t IS 'x'");
  EXPECT_EQ(c.target, T::kTrigger);
  EXPECT_EQ(c.member, "g");
  c = comment("COMMENT ON FUNCTION f(integer, text) IS 'x'");
  EXPECT_EQ(c.target, T::kFunction);
  EXPECT_TRUE(c.routine.args_given);
  EXPECT_EQ(c.routine.args.size(), 2u);
  c = comment("COMMENT ON ROLE r IS 'x'");
  EXPECT_EQ(c.target, T::kRole);
  EXPECT_EQ(c.role.name, "r");
  // Another kind of object is parsed whole (0A000 when run), EVENT TRIGGER included.
  c = comment("COMMENT ON EVENT TRIGGER e IS 'x'");
  EXPECT_EQ(c.target, T::kOther);
  EXPECT_EQ(c.other_kind, "EVENT");
  EXPECT_EQ(ErrorOf("COMMENT ON TABLE t IS").code, "42601");
}

TEST(StatementTest, UnsupportedConstructsRaise0A000) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"CREATE AGGREGATE a (int) (sfunc = int4pl, stype = int)",
       "CREATE AGGREGATE is not supported"},
      {"DO LANGUAGE sql 'SELECT 1'", "language \"sql\" does not support inline code execution"},
      {"CREATE FUNCTION f() RETURNS int SET search_path = x AS 'select 1' LANGUAGE sql",
       "SET in a function definition is not supported"},
      // Composite, shell and base types are supported; range types are not (the catch-all
      // alternative, whose parenthesis once reached the composite branch and crashed the
      // server).
      {"CREATE TYPE r AS RANGE (subtype = float8)", "CREATE TYPE is not supported"},
      {"CREATE TYPE r AS RANGE ()", "CREATE TYPE is not supported"},
      {"CREATE TYPE t AS (a int COLLATE \"C\")", "COLLATE is not supported"},
      {"CREATE RULE r AS ON INSERT TO t DO NOTHING", "CREATE RULE is not supported"},
      {"ALTER DATABASE d RENAME TO e", "ALTER DATABASE is not supported"},
      {"DROP AGGREGATE a(int)", "DROP AGGREGATE is not supported"},
      {"SELECT 'a' LIKE ANY (SELECT 'b')", "LIKE ANY/ALL (subquery) is not supported"},
      {"COPY t FROM PROGRAM 'ls'", "COPY ... PROGRAM is not supported"},
      {"EXPLAIN (FORMAT JSON) SELECT 1", "EXPLAIN format \"json\" is not supported"},
      {"SELECT 'a' COLLATE \"de_DE\"", "collation \"de_DE\" is not supported"},
  };
  for (const auto& [in, msg] : cases) {
    Failure f = ErrorOf(in);
    EXPECT_EQ(f.code, "0A000") << in;
    EXPECT_EQ(f.message, msg) << in;
    EXPECT_GT(f.position, 0) << in;
  }
  EXPECT_EQ(E("'a' COLLATE \"C\""), "'a'");
  // OPERATOR(pg_catalog.op) is the operator, at the precedence of any other operator.
  EXPECT_EQ(E("a OPERATOR(pg_catalog.~) 'x' COLLATE pg_catalog.default"), E("a ~ 'x'"));
  EXPECT_EQ(E("1 OPERATOR(pg_catalog.+) 2 * 3"), E("1 OPERATOR(pg_catalog.+) (2 * 3)"));
  EXPECT_EQ(E("1 + 2 OPERATOR(pg_catalog.*) 3"), E("(1 + 2) * 3"));
  // Operators are lexed as PostgreSQL's scanner cuts them: a run of more than one character
  // does not end in + or - unless it holds one of ~ ! @ # ^ & | ` ? %, and stops before a
  // comment; what remains is its own token (<= binds as a comparison, not as an operator).
  EXPECT_EQ(E("1=-1"), E("1 = -1"));
  EXPECT_EQ(E("2*-3"), E("2 * -3"));
  EXPECT_EQ(E("false<=-1 BETWEEN 1 AND 1"), E("false <= (-1 BETWEEN 1 AND 1)"));
  EXPECT_EQ(E("2 !=/**/ 1"), E("2 <> 1"));
  EXPECT_EQ(E("a @- b"), E("a OPERATOR(pg_catalog.@-) b"));
  EXPECT_EQ(E("a === b"), E("a OPERATOR(pg_catalog.===) b"));
}

// ---- errors: texts and positions checked against PostgreSQL 15 -------------------------------

TEST(ErrorTest, MatchesPostgres) {
  struct Case {
    std::string sql, code, message;
    int position;
  };
  const std::vector<Case> cases = {
      {"select (", "42601", "syntax error at end of input", 9},
      {"select 1 +", "42601", "syntax error at end of input", 11},
      {"select 1 +   ", "42601", "syntax error at end of input", 14},
      {"selec 1", "42601", "syntax error at or near \"selec\"", 1},
      {"select 1 2", "42601", "syntax error at or near \"2\"", 10},
      {"SELECT * FROM t WHERE", "42601", "syntax error at end of input", 22},
      {"select 'abc", "42601", "unterminated quoted string at or near \"'abc\"", 8},
      {"SELECT 1 'abc", "42601", "unterminated quoted string at or near \"'abc\"", 10},
      {"select E'ab\\u0000'", "42601", "invalid Unicode escape value at or near \"\\u0000\"", 12},
      {"select E'\\0'", "22021", "invalid byte sequence for encoding \"UTF8\": 0x00", -1},
      {"select é, 'x' 2", "42601", "syntax error at or near \"2\"", 15},
      {"select 'é' 'x'", "42601", "syntax error at or near \"'x'\"", 12},
      {"select 1; selec 2; select 'x", "42601", "syntax error at or near \"selec\"", 11},
      {"select \"abc", "42601", "unterminated quoted identifier at or near \"\"abc\"", 8},
      {"select 1 /* abc", "42601", "unterminated /* comment at or near \"/* abc\"", 10},
      {"select $$abc", "42601", "unterminated dollar-quoted string at or near \"$$abc\"", 8},
      {"select \"\"", "42601", "zero-length delimited identifier at or near \"\"\"\"", 8},
      {"select * from (select 1)", "42601", "subquery in FROM must have an alias", 15},
      {"select * from (values (1))", "42601", "VALUES in FROM must have an alias", 15},
      {"select 1 limit 1,2", "42601", "LIMIT #,# syntax is not supported", 10},
      {"select 1 from t where a = (", "42601", "syntax error at end of input", 28},
      {"create table t (a int not null null)", "42601",
       "conflicting NULL/NOT NULL declarations for column \"a\" of table \"t\"", 32},
      {"create table t (a int default 1 default 2)", "42601",
       "multiple default values specified for column \"a\" of table \"t\"", 33},
      {"select a from t order by a limit 1 limit 2", "42601", "syntax error at or near \"limit\"",
       36},
      {"select * from t limit 1 offset 1 limit 2", "42601", "syntax error at or near \"limit\"",
       34},
      {"values (1), (1, 2)", "42601", "VALUES lists must all be the same length", 14},
      {"select $0", "42P02", "there is no parameter $0", 8},
      {"select a b c from t", "42601", "syntax error at or near \"c\"", 12},
      {"select * from t t1 join t t2", "42601", "syntax error at end of input", 29},
      {"select 1 3 -- comment", "42601", "syntax error at or near \"3\"", 10},
      {"explain (foo) select 1", "42601", "unrecognized EXPLAIN option \"foo\"", 10},
      {"select 1 + 1 day", "42601", "syntax error at or near \"day\"", 14},
      {"select 1 in (1) in (true)", "42601", "syntax error at or near \"in\"", 17},
      {"select 1 < 2 < 3", "42601", "syntax error at or near \"<\"", 14},
      {"select a.b.c.d.e from t", "42601",
       "improper qualified name (too many dotted names): a.b.c.d.e", 8},
      {"insert into t values (1) on conflict do update set a = 1", "42601",
       "ON CONFLICT DO UPDATE requires inference specification or constraint name", 26},
      {"select 1 as \"\", 2", "42601", "zero-length delimited identifier at or near \"\"\"\"", 13},
      {"select 1 \\", "42601", "syntax error at or near \"\\\"", 10},
      {"merge into t using s on true when matched then insert values (1)", "42601",
       "syntax error at or near \"insert\"", 48},
      {"merge into t using s on true when not matched then update set a = 1", "42601",
       "syntax error at or near \"update\"", 52},
      {"merge into t using s on true", "42601", "syntax error at end of input", 29},
      {"with x as (merge into t using s on true when matched then delete) select 1", "0A000",
       "MERGE not supported in WITH query", 6},
  };
  for (const Case& c : cases) {
    Failure f = ErrorOf(c.sql);
    EXPECT_EQ(f.code, c.code) << c.sql;
    EXPECT_EQ(f.message, c.message) << c.sql;
    EXPECT_EQ(f.position, c.position) << c.sql;
  }
}

// ---- statement splitting -------------------------------------------------------------------

TEST(SplitTest, SeveralStatements) {
  const std::string sql =
      "SET DateStyle = 'ISO';SET extra_float_digits = 2;show transaction_isolation";
  std::vector<ast::StatementPtr> v = Parse(sql);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0]->kind, ast::StmtKind::kSet);
  EXPECT_EQ(v[1]->kind, ast::StmtKind::kSet);
  EXPECT_EQ(v[2]->kind, ast::StmtKind::kShow);
  EXPECT_EQ(sql.substr(v[0]->location, v[0]->length), "SET DateStyle = 'ISO'");
  EXPECT_EQ(sql.substr(v[1]->location, v[1]->length), "SET extra_float_digits = 2");
  EXPECT_EQ(sql.substr(v[2]->location, v[2]->length), "show transaction_isolation");

  const std::string s2 = " ; ;BEGIN;\n  UPDATE t SET a = 'é;' WHERE b = 1; -- x\n;;END;  ";
  v = Parse(s2);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(s2.substr(v[0]->location, v[0]->length), "BEGIN");
  EXPECT_EQ(s2.substr(v[1]->location, v[1]->length), "UPDATE t SET a = 'é;' WHERE b = 1");
  EXPECT_EQ(s2.substr(v[2]->location, v[2]->length), "END");

  EXPECT_TRUE(Parse("").empty());
  EXPECT_TRUE(Parse("  ;; -- nothing\n /* at all */ ;").empty());
}

// ---- sqllogictest, pgbench and driver statements ---------------------------------------------

// A representative sample of the SQLite sqllogictest corpus and of what clients send.
const char* const kCorpus[] = {
    "MERGE INTO t USING s ON t.a = s.a WHEN MATCHED AND s.b > 0 THEN UPDATE SET b = s.b "
    "WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT (a, b) VALUES (s.a, s.b)",
    "SELECT - col2 * + 98 AS col1 FROM tab0 WHERE NOT + col0 IS NULL",
    "SELECT DISTINCT - - 55 / - col1 - - CAST( NULL AS INTEGER ) FROM tab2 AS cor0",
    "SELECT ALL * FROM tab0 cor0 CROSS JOIN tab1 AS cor1",
    "SELECT * FROM tab1 WHERE NOT ( - col0 ) NOT BETWEEN + col1 AND NULL",
    "SELECT CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END FROM t1 ORDER BY 1",
    "CREATE UNIQUE INDEX idx_tab1_0 ON tab1 (col0 DESC)",
    "CREATE TABLE t1(a INTEGER, b INTEGER, c INTEGER, d INTEGER, e INTEGER)",
    "INSERT INTO t1(e,c,b,d,a) VALUES(103,102,100,101,104)",
    "SELECT a+b*2+c*3+d*4+e*5, (a+b+c+d+e)/5 FROM t1 ORDER BY 1,2",
    "SELECT a, b, c FROM t1 WHERE c BETWEEN b-2 AND d+2 OR (e>c OR e<d) AND d NOT BETWEEN 110 AND "
    "150 ORDER BY 1,2,3",
    "SELECT (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b), a+b*2 FROM t1 WHERE EXISTS(SELECT 1 "
    "FROM t1 AS x WHERE x.b<t1.b) ORDER BY 1",
    "SELECT CASE a+1 WHEN b THEN 111 WHEN c THEN 222 WHEN d THEN 333 WHEN e THEN 444 ELSE 555 "
    "END FROM t1",
    "SELECT abs(a), coalesce(a,b,c,d,e) FROM t1 WHERE a IS NULL OR b IS NOT NULL",
    "SELECT ALL + 76 AS col2 FROM tab1 AS cor0 WHERE NOT ( NULL ) IS NULL",
    "SELECT - COUNT ( * ) FROM tab2 WHERE NOT col0 IN ( - col1, col0 )",
    "SELECT DISTINCT col1 FROM tab0 WHERE NOT ( col2 + col1 ) NOT IN ( - col0 )",
    "SELECT ALL - 70 * + MAX ( DISTINCT + 59 ) col1, NULLIF ( - 38, + 88 ) * 93",
    "SELECT pk FROM tab0 WHERE col3 < 6 OR col3 < 1 AND col3 = 7",
    "SELECT pk FROM tab0 WHERE (col0 IN (SELECT col3 FROM tab0 WHERE col3 < 10))",
    "SELECT * FROM tab0 cor0 JOIN tab0 cor1 ON NULL IS NULL",
    "SELECT + - col2 + + col2 / + + col1 FROM tab1 AS cor0 GROUP BY col2, col1 HAVING NOT NULL "
    "IS NOT NULL",
    "SELECT DISTINCT - 9 * col0 + + col2 AS col0 FROM tab0 WHERE NULL NOT BETWEEN col1 AND col0",
    "SELECT 56 / + - 13 - - 28 + + COALESCE ( - 96, 13 * - 66 )",
    "SELECT ALL - CAST( - + 4 AS SIGNED ) * + 53 AS col0",
    "CREATE VIEW view_1 AS SELECT pk, col0 FROM tab0 WHERE col0 = 49",
    "DROP VIEW IF EXISTS view_1",
    "DROP TABLE tab0",
    "SELECT pk, col0 FROM tab0 WHERE ((col0 < 5 AND col3 >= 2)) OR col4 BETWEEN 1.5 AND 8.2 "
    "ORDER BY 1 DESC",
    "SELECT * FROM tab2 WHERE col1 > ALL ( SELECT col0 FROM tab2 )",
    "SELECT col2 FROM tab1 UNION SELECT col1 FROM tab2 EXCEPT SELECT - 1 ORDER BY 1",
    // pgbench
    "drop table if exists pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers",
    "create table pgbench_history(tid int,bid int,aid    int,delta int,mtime timestamp,filler "
    "char(22))",
    "insert into pgbench_tellers(tid,bid,tbalance) select tid, (tid - 1) / 10 + 1, 0 from "
    "generate_series(1, 10) as tid",
    "select count(*) from pgbench_branches",
    "select o.n, p.partstrat, pg_catalog.count(i.inhparent) from pg_catalog.pg_class as c join "
    "pg_catalog.pg_namespace as n on (n.oid = c.relnamespace) cross join lateral (select "
    "pg_catalog.array_position(pg_catalog.current_schemas(true), n.nspname)) as o(n) left join "
    "pg_catalog.pg_partitioned_table as p on (p.partrelid = c.oid) left join "
    "pg_catalog.pg_inherits as i on (c.oid = i.inhparent) where c.relname = 'pgbench_accounts' "
    "and o.n is not null group by 1, 2 order by 1 asc limit 1",
    "BEGIN;",
    "UPDATE pgbench_accounts SET abalance = abalance + -1452 WHERE aid = 91248;",
    "SELECT abalance FROM pgbench_accounts WHERE aid = 91248;",
    "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (3, 1, 91248, -1452, "
    "CURRENT_TIMESTAMP);",
    "END;",
    "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2;",
    "SELECT abalance FROM pgbench_accounts WHERE aid = $1;",
    "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, "
    "CURRENT_TIMESTAMP);",
    "copy pgbench_accounts from stdin with (freeze on)",
    // drivers at connect
    "SET DateStyle = 'ISO';SET extra_float_digits = 2;show transaction_isolation",
    "select oid, typbasetype from pg_type where typname = 'lo'",
    "SET application_name = 'PostgreSQL JDBC Driver'",
    "SELECT version()",
};

TEST(CorpusTest, RepresentativeStatementsParseWithoutLlFallback) {
  for (const char* sql : kCorpus) {
    const uint64_t before = internal::LlFallbackCount();
    try {
      EXPECT_FALSE(Parse(sql).empty()) << sql;
    } catch (const Error& e) {
      ADD_FAILURE() << sql << ": " << e.message();
    }
    EXPECT_EQ(internal::LlFallbackCount(), before) << "needed LL: " << sql;
  }
}

// Parses a spread of statements from the sqllogictest files when the corpus is present.
TEST(CorpusTest, SqlLogicTestSample) {
  const std::filesystem::path root = "/work/shared/conformance/sqllogictest/test";
  if (!std::filesystem::exists(root)) GTEST_SKIP() << "no corpus at " << root;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.path().extension() == ".test") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  int parsed = 0;
  const uint64_t before = internal::LlFallbackCount();
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string line, sql;
    bool in_stmt = false, skip = false;
    int taken = 0, seen = 0;
    auto flush = [&]() {
      if (in_stmt && !skip && !sql.empty() && (seen++ % 97 == 0) && taken < 40) {
        ++taken;
        try {
          Parse(sql);
          ++parsed;
        } catch (const Error& e) {
          ADD_FAILURE() << path << ": " << sql << ": " << e.message();
        }
      }
      in_stmt = false;
      skip = false;
      sql.clear();
    };
    while (std::getline(in, line)) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (in_stmt) {
        if (line.empty() || line == "----") {
          flush();
        } else {
          sql += (sql.empty() ? "" : "\n") + line;
        }
        continue;
      }
      if (line.rfind("skipif postgresql", 0) == 0 ||
          (line.rfind("onlyif", 0) == 0 && line.find("postgresql") == std::string::npos)) {
        skip = true;
      } else if (line.rfind("statement ok", 0) == 0 || line.rfind("query", 0) == 0) {
        in_stmt = true;
      } else if (line.empty()) {
        skip = false;
      }
    }
    flush();
  }
  EXPECT_GT(parsed, 500);
  EXPECT_EQ(internal::LlFallbackCount(), before);
  std::cout << "[ corpus   ] parsed " << parsed << " statements from " << files.size()
            << " files\n";
}

// ---- robustness ----------------------------------------------------------------------------

TEST(LimitsTest, DeepNestingIsRefusedNotCrashed) {
  std::string deep(internal::kMaxNesting + 1, '(');
  Failure f = ErrorOf("SELECT " + deep + "1" + std::string(internal::kMaxNesting + 1, ')'));
  EXPECT_EQ(f.code, "54001");
  EXPECT_EQ(f.message, "stack depth limit exceeded");
  // Long flat chains are fine up to the expression depth limit.
  std::string chain = "SELECT 1";
  for (int i = 0; i < 500; ++i) chain += " + 1";
  EXPECT_NO_THROW(Parse(chain));
  std::string too_long = "SELECT 1";
  for (int i = 0; i < internal::kMaxExpressionDepth + 10; ++i) too_long += " OR a";
  EXPECT_EQ(ErrorOf(too_long).code, "54001");
  std::string minus;
  for (int i = 0; i < 200; ++i) minus += "- ";
  EXPECT_EQ(E(minus + "1"), "1");  // 200 negations of a constant fold away
  EXPECT_EQ(E(minus + "a"), "(- " + E(minus.substr(2) + "a") + ")");
}

TEST(LimitsTest, InvalidUtf8IsKeptByteForByte) {
  std::string sql = "SELECT 'a\xff\xfe' AS x";
  auto v = Parse(sql);
  EXPECT_EQ(FirstTarget(v[0]).value_text, "a\xff\xfe");
  EXPECT_EQ(ErrorOf("SELECT \xff\xfe, 1 2").position, 14);  // characters, not bytes
}

TEST(ConcurrencyTest, ParsesFromSeveralThreads) {
  const std::vector<std::string> stmts = {
      "SELECT a, b FROM t WHERE a = $1 AND b IN (1, 2, 3) ORDER BY a",
      "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2",
      "WITH x AS (SELECT 1) SELECT * FROM x UNION SELECT 2",
      "CREATE TABLE t (a int PRIMARY KEY, b text NOT NULL DEFAULT 'x')",
  };
  std::vector<std::string> want;
  for (const std::string& s : stmts) want.push_back(Dump(s));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t]() {
      for (int i = 0; i < 50; ++i) {
        size_t k = static_cast<size_t>(t + i) % stmts.size();
        if (DumpStatement(*Parse(stmts[k])[0]) != want[k]) ++mismatches;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(BenchmarkTest, PgbenchSelect) {
  const std::string sql = "SELECT abalance FROM pgbench_accounts WHERE aid = $1";
  const uint64_t before = internal::LlFallbackCount();
  Parse(sql);  // warm the DFA cache
  constexpr int kIterations = 200;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kIterations; ++i) Parse(sql);
  auto t1 = std::chrono::steady_clock::now();
  EXPECT_EQ(internal::LlFallbackCount(), before);
  std::cout << "[ bench    ] " << sql << ": "
            << std::chrono::duration<double, std::micro>(t1 - t0).count() / kIterations
            << " us per parse (this build)\n";
}

// The process-wide DFA cache is cleared past its limit while other threads parse; every parse
// still gives the same tree.
TEST(ParserTest, DfaCacheClearedPastItsLimitWhileThreadsParse) {
  const uint64_t clears = internal::DfaClearCount();
  internal::SetDfaCacheLimit(1);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &wrong] {
      for (int i = 0; i < 200; ++i) {
        std::string sql = "SELECT a" + std::to_string(t) + ", (b + " + std::to_string(i) +
                          ") * c FROM t WHERE x IN (" +
                          std::string(static_cast<size_t>(i % 7 + 1), '1') + ") ORDER BY 1";
        auto stmts = Parse(sql);
        if (stmts.size() != 1 || stmts[0]->kind != ast::StmtKind::kSelect) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  internal::SetDfaCacheLimit(internal::kDefaultDfaCacheBytes);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(internal::DfaClearCount(), clears);
  EXPECT_EQ(Parse("SELECT 1")[0]->kind, ast::StmtKind::kSelect);
}

}  // namespace
}  // namespace activestore::parser
