#include "executor/expression_evaluator.h"

#include <cmath>
#include <functional>

#include "executor/executor_test_util.h"
#include "executor/functions.h"

namespace activestore::executor::testing {
namespace {

using K = BoundExprKind;

class ExpressionTest : public ExecutorFixture {
 protected:
  // Evaluates expr (over columns of one int4 column x) for each x in xs.
  std::vector<std::string> OverX(BoundExprPtr expr, const std::vector<Value>& xs) {
    std::vector<std::vector<Value>> rows;
    for (const auto& x : xs) rows.push_back({x});
    return Rows(*Project(ValuesOf({xs.empty() ? TInt4() : xs[0].type}, rows), {expr}));
  }
};

TEST_F(ExpressionTest, IntegerArithmeticAndOverflow) {
  EXPECT_EQ(Eval1(Ar("+", I4(2), I4(3), TInt4())), "5");
  EXPECT_EQ(Eval1(Ar("/", I4(-7), I4(2), TInt4())), "-3");
  EXPECT_EQ(Eval1(Ar("%", I4(-7), I4(2), TInt4())), "-1");
  EXPECT_EQ(Eval1(Ar("*", I4(1 << 20), I8(1 << 20), TInt8())), "1099511627776");
  EXPECT_SQLSTATE(Eval1(Ar("+", I4(2147483647), I4(1), TInt4())), "22003", "integer out of range");
  EXPECT_SQLSTATE(Eval1(Ar("*", I8(INT64_MAX), I8(2), TInt8())), "22003", "bigint out of range");
  EXPECT_SQLSTATE(Eval1(Ar("/", I4(1), I4(0), TInt4())), "22012", "division by zero");
  EXPECT_SQLSTATE(Eval1(Ar("/", I4(INT32_MIN), I4(-1), TInt4())), "22003", "integer out of range");
  EXPECT_SQLSTATE(Eval1(E(K::kNegate, TInt4(), {I4(INT32_MIN)})), "22003", "integer out of range");
  EXPECT_EQ(Eval1(Ar("+", I4(1), Null(TInt4()), TInt4())), "NULL");
  // NULL rows never divide.
  EXPECT_EQ(Eval1(Ar("/", Null(TInt4()), I4(0), TInt4())), "NULL");
}

TEST_F(ExpressionTest, FloatAndNumericArithmetic) {
  EXPECT_EQ(Eval1(Ar("/", F8(1), F8(4), TF8())), "0.25");
  EXPECT_SQLSTATE(Eval1(Ar("/", F8(1), F8(0), TF8())), "22012", "division by zero");
  EXPECT_SQLSTATE(Eval1(Ar("*", F8(1e300), F8(1e300), TF8())), "22003",
                  "value out of range: overflow");
  EXPECT_EQ(Eval1(Ar("+", Num("1.50"), I4(2), TNum())), "3.50");
  EXPECT_EQ(Eval1(Ar("/", Num("1"), Num("3"), TNum())), "0.33333333333333333333");
}

TEST_F(ExpressionTest, CastsAndConcat) {
  EXPECT_EQ(Eval1(E(K::kCast, TInt2(), {I4(300)})), "300");
  EXPECT_SQLSTATE(Eval1(E(K::kCast, TInt2(), {I4(40000)})), "22003", "smallint out of range");
  EXPECT_EQ(Eval1(E(K::kCast, TInt4(), {Txt(" 42 ")})), "42");
  EXPECT_EQ(Eval1(E(K::kCast, TF8(), {I4(3)})), "3");
  EXPECT_EQ(Eval1(E(K::kConcat, TText(), {Txt("a"), I4(1)})), "a1");
  EXPECT_EQ(Eval1(E(K::kConcat, TText(), {Txt("a"), Bool(true)})), "at");
  EXPECT_EQ(Eval1(E(K::kConcat, TText(), {Txt("a"), Null(TText())})), "NULL");
}

TEST_F(ExpressionTest, ThreeValuedLogic) {
  auto n = Null(TBool());
  auto t = Bool(true), f = Bool(false);
  EXPECT_EQ(Eval1(E(K::kAnd, TBool(), {t, n})), "NULL");
  EXPECT_EQ(Eval1(E(K::kAnd, TBool(), {f, n})), "f");
  EXPECT_EQ(Eval1(E(K::kAnd, TBool(), {n, f})), "f");
  EXPECT_EQ(Eval1(E(K::kOr, TBool(), {t, n})), "t");
  EXPECT_EQ(Eval1(E(K::kOr, TBool(), {n, f})), "NULL");
  EXPECT_EQ(Eval1(E(K::kNot, TBool(), {n})), "NULL");
  EXPECT_EQ(Eval1(E(K::kNot, TBool(), {f})), "t");
  EXPECT_EQ(Eval1(Cmp("=", I4(1), Null(TInt4()))), "NULL");
  EXPECT_EQ(Eval1(E(K::kIsNull, TBool(), {Null(TInt4())})), "t");
  EXPECT_EQ(Eval1(E(K::kIsNull, TBool(), {I4(1)}, "", true)), "t");
  EXPECT_EQ(Eval1(E(K::kIsDistinct, TBool(), {I4(1), Null(TInt4())})), "t");
  EXPECT_EQ(Eval1(E(K::kIsDistinct, TBool(), {Null(TInt4()), Null(TInt4())})), "f");
  EXPECT_EQ(Eval1(E(K::kIsDistinct, TBool(), {I4(1), I8(1)}, "", true)), "t");
  EXPECT_EQ(Eval1(E(K::kIsBool, TBool(), {n}, "UNKNOWN")), "t");
  EXPECT_EQ(Eval1(E(K::kIsBool, TBool(), {n}, "TRUE", true)), "t");
  EXPECT_EQ(Eval1(E(K::kIsBool, TBool(), {f}, "FALSE")), "t");
  // An untyped NULL where a bool is due.
  auto unknown_null = C(Value::Null());
  EXPECT_EQ(Eval1(E(K::kNot, TBool(), {unknown_null})), "NULL");
  EXPECT_EQ(Eval1(E(K::kOr, TBool(), {unknown_null, t})), "t");
  EXPECT_EQ(Rows(*Filter(ValuesOf({TInt4()}, {{Value::Int32(1)}}), unknown_null)),
            std::vector<std::string>{});
}

TEST_F(ExpressionTest, InListNullSemantics) {
  EXPECT_EQ(Eval1(E(K::kInList, TBool(), {I4(1), I4(1), Null(TInt4())})), "t");
  EXPECT_EQ(Eval1(E(K::kInList, TBool(), {I4(2), I4(1), Null(TInt4())})), "NULL");
  EXPECT_EQ(Eval1(E(K::kInList, TBool(), {I4(2), I4(1), I4(3)})), "f");
  EXPECT_EQ(Eval1(E(K::kInList, TBool(), {I4(2), I4(1), I4(3)}, "", true)), "t");
  EXPECT_EQ(Eval1(E(K::kInList, TBool(), {I4(2), I4(1), Null(TInt4())}, "", true)), "NULL");
  EXPECT_EQ(Eval1(E(K::kInList, TBool(), {Null(TInt4()), I4(1)})), "NULL");
  EXPECT_EQ(Eval1(E(K::kInList, TBool(), {I4(2), Num("2.0")})), "t");
}

TEST_F(ExpressionTest, LazyCaseCoalesceAndAnd) {
  // CASE WHEN x = 0 THEN 0 ELSE 10 / x END never divides by zero.
  auto x = Col(0, TInt4());
  auto cas = E(K::kCase, TInt4(), {Cmp("=", x, I4(0)), I4(0), Ar("/", I4(10), x, TInt4())});
  std::const_pointer_cast<BoundExpr>(cas)->has_else = true;
  EXPECT_EQ(OverX(cas, {Value::Int32(0), Value::Int32(5), Value::Null(TInt4()), Value::Int32(2)}),
            (std::vector<std::string>{"0", "2", "NULL", "5"}));
  // CASE without ELSE gives NULL.
  auto cas2 = E(K::kCase, TText(), {Cmp(">", x, I4(1)), Txt("big")});
  EXPECT_EQ(OverX(cas2, {Value::Int32(0), Value::Int32(5)}),
            (std::vector<std::string>{"NULL", "big"}));
  // x <> 0 AND 10 / x > 1
  auto andx =
      E(K::kAnd, TBool(), {Cmp("<>", x, I4(0)), Cmp(">", Ar("/", I4(10), x, TInt4()), I4(1))});
  EXPECT_EQ(OverX(andx, {Value::Int32(0), Value::Int32(5), Value::Int32(20)}),
            (std::vector<std::string>{"f", "t", "f"}));
  // x = 0 OR 10 / x > 1
  auto orx = E(K::kOr, TBool(), {Cmp("=", x, I4(0)), Cmp(">", Ar("/", I4(10), x, TInt4()), I4(1))});
  EXPECT_EQ(OverX(orx, {Value::Int32(0), Value::Int32(5), Value::Int32(20)}),
            (std::vector<std::string>{"t", "t", "f"}));
  // COALESCE(x, 1 / 0) only evaluates 1/0 where x is NULL.
  auto co = E(K::kCoalesce, TInt4(), {x, Ar("/", I4(1), I4(0), TInt4())});
  EXPECT_EQ(OverX(co, {Value::Int32(3), Value::Int32(4)}), (std::vector<std::string>{"3", "4"}));
  EXPECT_SQLSTATE(OverX(co, {Value::Int32(3), Value::Null(TInt4())}), "22012", "division by zero");
}

TEST_F(ExpressionTest, NullIfGreatestLeast) {
  EXPECT_EQ(Eval1(E(K::kNullIf, TInt4(), {I4(1), I4(1)})), "NULL");
  EXPECT_EQ(Eval1(E(K::kNullIf, TInt4(), {I4(1), I4(2)})), "1");
  EXPECT_EQ(Eval1(E(K::kNullIf, TInt4(), {I4(1), Null(TInt4())})), "1");
  EXPECT_EQ(Eval1(E(K::kGreatest, TInt4(), {I4(1), Null(TInt4()), I4(7), I4(3)})), "7");
  EXPECT_EQ(Eval1(E(K::kLeast, TText(), {Txt("b"), Txt("a"), Null(TText())})), "a");
  EXPECT_EQ(Eval1(E(K::kGreatest, TInt4(), {Null(TInt4()), Null(TInt4())})), "NULL");
}

TEST_F(ExpressionTest, LikeMatching) {
  EXPECT_TRUE(LikeMatch("hello", "h%o", "\\", false));
  EXPECT_TRUE(LikeMatch("hello", "h_llo", "\\", false));
  EXPECT_FALSE(LikeMatch("hello", "h_lo", "\\", false));
  EXPECT_TRUE(LikeMatch("", "%", "\\", false));
  EXPECT_TRUE(LikeMatch("a%b", "a\\%b", "\\", false));
  EXPECT_FALSE(LikeMatch("axb", "a\\%b", "\\", false));
  // bytea: '_' is one byte, not one UTF-8 character.
  EXPECT_FALSE(LikeMatch("\xc3\xa9", "_", "\\", false, true));
  EXPECT_TRUE(LikeMatch("\xc3\xa9", "__", "\\", false, true));
  EXPECT_TRUE(LikeMatch("\xc3\xa9", "_", "\\", false));
  EXPECT_TRUE(LikeMatch("a_b", "a#_b", "#", false));
  EXPECT_TRUE(LikeMatch("a\\b", "a\\b", "", false));
  EXPECT_TRUE(LikeMatch("HeLLo", "hel%", "\\", true));
  EXPECT_TRUE(LikeMatch("héllo", "h_llo", "\\", false));
  EXPECT_TRUE(LikeMatch("abcabcabd", "%abd", "\\", false));
  EXPECT_FALSE(LikeMatch("abc", "%abd%", "\\", false));
  EXPECT_SQLSTATE(LikeMatch("abc", "a\\", "\\", false), "22025",
                  "LIKE pattern must not end with escape character");
  EXPECT_SQLSTATE(LikeMatch("abc", "a%", "xx", false), "22025", "invalid escape string");
  EXPECT_EQ(Eval1(E(K::kLike, TBool(), {Txt("abc"), Txt("a%")}, "LIKE", true)), "f");
  EXPECT_EQ(Eval1(E(K::kLike, TBool(), {Txt("ABC"), Txt("a%")}, "ILIKE")), "t");
  EXPECT_EQ(Eval1(E(K::kLike, TBool(), {Null(TText()), Txt("a%")}, "LIKE")), "NULL");
}

TEST_F(ExpressionTest, ParamsAndErrors) {
  auto res = Node(PlanKind::kResult, {TInt4()});
  res->exprs = {Ar("+", Param(0, TInt4()), I4(1), TInt4())};
  EXPECT_EQ(Rows(*res, false, {Value::Int32(41)}), (std::vector<std::string>{"42"}));
  EXPECT_SQLSTATE(Rows(*res), "42P02", "there is no parameter $1");
}

TEST_F(ExpressionTest, MathFunctions) {
  EXPECT_EQ(Eval1(Fn("abs", TInt4(), {I4(-5)})), "5");
  EXPECT_SQLSTATE(Eval1(Fn("abs", TInt2(), {C(Value::Int(TypeId::kInt16, -32768))})), "22003",
                  "smallint out of range");
  EXPECT_EQ(Eval1(Fn("abs", TNum(), {Num("-2.50")})), "2.50");
  EXPECT_EQ(Eval1(Fn("round", TF8(), {F8(2.5)})), "2");
  EXPECT_EQ(Eval1(Fn("round", TF8(), {F8(-2.5)})), "-2");
  EXPECT_EQ(Eval1(Fn("round", TNum(), {Num("2.5")})), "3");
  EXPECT_EQ(Eval1(Fn("round", TNum(), {Num("2.345"), I4(2)})), "2.35");
  EXPECT_EQ(Eval1(Fn("round", TNum(), {Num("1234.5"), I4(-2)})), "1200");
  EXPECT_EQ(Eval1(Fn("trunc", TNum(), {Num("-2.7")})), "-2");
  EXPECT_EQ(Eval1(Fn("trunc", TNum(), {Num("2.345"), I4(1)})), "2.3");
  EXPECT_EQ(Eval1(Fn("floor", TNum(), {Num("-2.5")})), "-3");
  EXPECT_EQ(Eval1(Fn("ceil", TNum(), {Num("-2.5")})), "-2");
  EXPECT_EQ(Eval1(Fn("ceiling", TNum(), {Num("2.1")})), "3");
  EXPECT_EQ(Eval1(Fn("floor", TF8(), {F8(-2.5)})), "-3");
  EXPECT_EQ(Eval1(Fn("sign", TNum(), {Num("-3.3")})), "-1");
  EXPECT_EQ(Eval1(Fn("sign", TF8(), {F8(0)})), "0");
  EXPECT_EQ(Eval1(Fn("sqrt", TF8(), {F8(2)})), "1.4142135623730951");
  EXPECT_EQ(Eval1(Fn("sqrt", TNum(), {Num("2")})), "1.414213562373095");
  EXPECT_EQ(Eval1(Fn("sqrt", TNum(), {Num("100")})), "10.000000000000000");
  EXPECT_EQ(Eval1(Fn("sqrt", TNum(), {Num("0.0001")})), "0.01000000000000000");
  EXPECT_SQLSTATE(Eval1(Fn("sqrt", TF8(), {F8(-1)})), "2201F",
                  "cannot take square root of a negative number");
  EXPECT_SQLSTATE(Eval1(Fn("sqrt", TNum(), {Num("-1")})), "2201F",
                  "cannot take square root of a negative number");
  EXPECT_EQ(Eval1(Fn("power", TF8(), {F8(2), F8(0.5)})), "1.4142135623730951");
  EXPECT_EQ(Eval1(Fn("power", TNum(), {Num("2"), Num("10")})), "1024.0000000000000000");
  EXPECT_EQ(Eval1(Fn("power", TNum(), {Num("2"), Num("-3")})), "0.1250000000000000");
  EXPECT_EQ(Eval1(Fn("power", TNum(), {Num("1.5"), Num("3")})), "3.3750000000000000");
  EXPECT_SQLSTATE(Eval1(Fn("power", TF8(), {F8(0), F8(-1)})), "2201F",
                  "zero raised to a negative power is undefined");
  EXPECT_SQLSTATE(Eval1(Fn("power", TF8(), {F8(-2), F8(0.5)})), "2201F",
                  "a negative number raised to a non-integer power yields a complex result");
  EXPECT_EQ(Eval1(Fn("mod", TInt4(), {I4(-7), I4(3)})), "-1");
  EXPECT_EQ(Eval1(Fn("mod", TNum(), {Num("-7"), Num("3")})), "-1");
  EXPECT_EQ(Eval1(Fn("exp", TF8(), {F8(1)})), "2.718281828459045");
  EXPECT_SQLSTATE(Eval1(Fn("exp", TF8(), {F8(1000)})), "22003", "value out of range: overflow");
  EXPECT_EQ(Eval1(Fn("ln", TF8(), {F8(10)})), "2.302585092994046");
  EXPECT_EQ(Eval1(Fn("log", TF8(), {F8(100)})), "2");
  EXPECT_SQLSTATE(Eval1(Fn("ln", TF8(), {F8(0)})), "2201E", "cannot take logarithm of zero");
  EXPECT_SQLSTATE(Eval1(Fn("log", TF8(), {F8(-1)})), "2201E",
                  "cannot take logarithm of a negative number");
  EXPECT_EQ(Eval1(Fn("pi", TF8(), {})), "3.141592653589793");
  std::string r = Eval1(Fn("random", TF8(), {}));
  EXPECT_GE(std::stod(r), 0.0);
  EXPECT_LT(std::stod(r), 1.0);
}

TEST_F(ExpressionTest, StringFunctions) {
  EXPECT_EQ(Eval1(Fn("lower", TText(), {Txt("HeLLo")})), "hello");
  EXPECT_EQ(Eval1(Fn("upper", TText(), {Txt("HeLLo")})), "HELLO");
  EXPECT_EQ(Eval1(Fn("initcap", TText(), {Txt("hello wORLD foo_bar 3x")})),
            "Hello World Foo_Bar 3x");
  EXPECT_EQ(Eval1(Fn("length", TInt4(), {Txt("héllo")})), "5");
  EXPECT_EQ(Eval1(Fn("octet_length", TInt4(), {Txt("héllo")})), "6");
  EXPECT_EQ(Eval1(Fn("substr", TText(), {Txt("hello"), I4(2), I4(3)})), "ell");
  EXPECT_EQ(Eval1(Fn("substr", TText(), {Txt("hello"), I4(0), I4(3)})), "he");
  EXPECT_EQ(Eval1(Fn("substr", TText(), {Txt("hello"), I4(-5), I4(3)})), "");
  EXPECT_EQ(Eval1(Fn("substring", TText(), {Txt("hello"), I4(3)})), "llo");
  EXPECT_SQLSTATE(Eval1(Fn("substr", TText(), {Txt("abc"), I4(1), I4(-1)})), "22011",
                  "negative substring length not allowed");
  EXPECT_EQ(Eval1(Fn("btrim", TText(), {Txt("  ab  ")})), "ab");
  EXPECT_EQ(Eval1(Fn("ltrim", TText(), {Txt("xxabx"), Txt("x")})), "abx");
  EXPECT_EQ(Eval1(Fn("rtrim", TText(), {Txt("xxabx"), Txt("x")})), "xxab");
  EXPECT_EQ(Eval1(Fn("replace", TText(), {Txt("abcabc"), Txt("b"), Txt("XY")})), "aXYcaXYc");
  EXPECT_EQ(Eval1(Fn("strpos", TInt4(), {Txt("hello"), Txt("ll")})), "3");
  EXPECT_EQ(Eval1(Fn("strpos", TInt4(), {Txt("hello"), Txt("z")})), "0");
  EXPECT_EQ(Eval1(Fn("left", TText(), {Txt("abcdef"), I4(-2)})), "abcd");
  EXPECT_EQ(Eval1(Fn("right", TText(), {Txt("abcdef"), I4(-2)})), "cdef");
  EXPECT_EQ(Eval1(Fn("left", TText(), {Txt("abcdef"), I4(2)})), "ab");
  EXPECT_EQ(Eval1(Fn("lpad", TText(), {Txt("abc"), I4(5), Txt("")})), "abc");
  EXPECT_EQ(Eval1(Fn("lpad", TText(), {Txt("abcdef"), I4(3)})), "abc");
  EXPECT_EQ(Eval1(Fn("lpad", TText(), {Txt("7"), I4(3), Txt("0")})), "007");
  EXPECT_EQ(Eval1(Fn("rpad", TText(), {Txt("ab"), I4(5), Txt("xy")})), "abxyx");
  EXPECT_EQ(Eval1(Fn("repeat", TText(), {Txt("ab"), I4(3)})), "ababab");
  EXPECT_EQ(Eval1(Fn("repeat", TText(), {Txt("x"), I4(-1)})), "");
  EXPECT_EQ(Eval1(Fn("reverse", TText(), {Txt("abc")})), "cba");
  EXPECT_EQ(Eval1(Fn("md5", TText(), {Txt("abc")})), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Eval1(Fn("concat", TText(), {I4(1), Null(TText()), Bool(true), Num("2.50")})),
            "1t2.50");
  EXPECT_EQ(Eval1(Fn("concat_ws", TText(), {Txt(","), I4(1), Null(TText()), Txt("a")})), "1,a");
  EXPECT_EQ(Eval1(Fn("concat_ws", TText(), {Null(TText()), I4(1)})), "NULL");
  EXPECT_EQ(Eval1(Fn("upper", TText(), {Null(TText())})), "NULL");
}

TEST_F(ExpressionTest, UnknownFunction) {
  try {
    Eval1(Fn("foo", TInt4(), {I4(1), Txt("x")}));
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(SqlStateCode(e.state()), "42883");
    EXPECT_EQ(e.message(), "function foo(integer, text) does not exist");
    EXPECT_EQ(e.hint.value_or(""),
              "No function matches the given name and argument types. You might need to add "
              "explicit type casts.");
  }
}

Value Ts(const std::string& s) { return ParseValue(s, TTs()); }

TEST_F(ExpressionTest, DateTimeFunctions) {
  EXPECT_EQ(DaysFromCivil(2000, 1, 1), 0);
  int64_t y;
  int m, d;
  CivilFromDays(DaysFromCivil(2024, 2, 29), &y, &m, &d);
  EXPECT_EQ(y * 10000 + m * 100 + d, 20240229);
  auto ts = C(Ts("2020-01-01 10:11:12.5"));
  EXPECT_EQ(Eval1(Fn("extract", TNum(), {Txt("second"), ts})), "12.500000");
  EXPECT_EQ(Eval1(Fn("extract", TNum(), {Txt("epoch"), ts})), "1577873472.500000");
  EXPECT_EQ(Eval1(Fn("extract", TNum(), {Txt("milliseconds"), ts})), "12500.000");
  EXPECT_EQ(Eval1(Fn("extract", TNum(), {Txt("YEAR"), ts})), "2020");
  EXPECT_EQ(Eval1(Fn("date_part", TF8(), {Txt("second"), ts})), "12.5");
  EXPECT_EQ(Eval1(Fn("date_part", TF8(), {Txt("hour"), ts})), "10");
  auto date = C(ParseValue("2021-01-01", TDate()));
  EXPECT_EQ(Eval1(Fn("extract", TNum(), {Txt("week"), date})), "53");
  EXPECT_EQ(Eval1(Fn("extract", TNum(), {Txt("isoyear"), date})), "2020");
  EXPECT_EQ(Eval1(Fn("extract", TNum(), {Txt("dow"), date})), "5");
  EXPECT_EQ(Eval1(Fn("extract", TNum(), {Txt("decade"), date})), "202");
  EXPECT_EQ(Eval1(Fn("extract", TNum(), {Txt("epoch"), C(ParseValue("2020-01-01", TDate()))})),
            "1577836800");
  EXPECT_EQ(Eval1(Fn("extract", TNum(), {Txt("century"), C(ParseValue("2000-01-01", TDate()))})),
            "20");
  EXPECT_SQLSTATE(Eval1(Fn("extract", TNum(), {Txt("hour"), date})), "0A000",
                  "unit \"hour\" not supported for type date");
  EXPECT_SQLSTATE(Eval1(Fn("date_part", TF8(), {Txt("foo"), ts})), "22023",
                  "unit \"foo\" not recognized for type timestamp without time zone");
  auto ts2 = C(Ts("2021-05-07 12:34:56"));
  EXPECT_EQ(Eval1(Fn("date_trunc", TTs(), {Txt("week"), C(Ts("2021-01-07 12:34:56"))})),
            "2021-01-04 00:00:00");
  EXPECT_EQ(Eval1(Fn("date_trunc", TTs(), {Txt("quarter"), ts2})), "2021-04-01 00:00:00");
  EXPECT_EQ(Eval1(Fn("date_trunc", TTs(), {Txt("hour"), ts2})), "2021-05-07 12:00:00");
  EXPECT_EQ(Eval1(Fn("date_trunc", TTs(), {Txt("millennium"), ts2})), "2001-01-01 00:00:00");
  EXPECT_EQ(Eval1(Fn("date_trunc", TTs(), {Txt("decade"), ts2})), "2020-01-01 00:00:00");
  EXPECT_SQLSTATE(
      Eval1(Fn("date_trunc", TTsTz(), {Txt("foo"), C(Value::Int(TypeId::kTimestampTz, 0))})),
      "22023", "unit \"foo\" not recognized for type timestamp with time zone");
  // now() is the statement timestamp given in the context (1000 us after 2000-01-01).
  EXPECT_EQ(Eval1(Fn("now", TTsTz(), {})), "2000-01-01 00:00:00.001+00");
  EXPECT_EQ(Eval1(Fn("current_date", TDate(), {})), "2000-01-01");
  EXPECT_EQ(Eval1(Fn("version", TText(), {})),
            "PostgreSQL 15.0 (ActiveStore 0.1.0) on x86_64-pc-linux-gnu, compiled by g++");
  EXPECT_EQ(Eval1(Fn("current_database", TText(), {})), "postgres");
  EXPECT_EQ(Eval1(Fn("current_user", TText(), {})), "postgres");
}

// The batch forms (functions over whole vectors, casts, comparisons with a constant) give, row
// for row, what the per-row forms give for the same values: the values, the NULLs and the first
// error (its SQLSTATE and message).
class BatchFormTest : public ExecutorFixture {
 protected:
  void SetUp() override {
    ExecutorFixture::SetUp();
    ctx_.cancel = &cancel_;
    ctx_.format.timezone = TimeZone::Find("America/New_York");
  }

  using Reference = std::function<Value(const std::vector<Value>&)>;

  // expr_of(args) over a chunk whose column i holds rows[r][i] (the arguments marked constant
  // are the constant rows[0][i] instead), against `reference` of each row, by default
  // expr_of(constants of row r) (for a function: its per-row form).
  void Check(const std::function<BoundExprPtr(std::vector<BoundExprPtr>)>& expr_of,
             const std::vector<Type>& types, const std::vector<std::vector<Value>>& rows,
             const std::vector<bool>& constant = {}, const Reference& reference = nullptr) {
    SCOPED_TRACE(::testing::Message() << "expression " << expr_of({})->op);
    DataChunk chunk;
    chunk.Init(types);
    for (const auto& row : rows) chunk.AppendRow(row);
    std::vector<BoundExprPtr> args;
    for (size_t i = 0; i < types.size(); ++i) {
      const bool is_const = i < constant.size() && constant[i];
      args.push_back(is_const ? C(rows[0][i]) : Col(static_cast<int>(i), types[i]));
    }
    ExecState st(ctx_);
    std::string batch_error;
    Vector out;
    try {
      EvaluateExpression(*expr_of(args), chunk, st, &out);
    } catch (const Error& e) {
      batch_error = std::string(SqlStateCode(e.state())) + " " + e.message();
    }
    for (size_t r = 0; r < rows.size(); ++r) {
      std::vector<BoundExprPtr> consts;
      std::vector<Value> values;
      for (size_t i = 0; i < types.size(); ++i) {
        const bool is_const = i < constant.size() && constant[i];
        values.push_back(is_const ? rows[0][i] : rows[r][i]);
        consts.push_back(C(values.back()));
      }
      std::string row_result;
      try {
        row_result = Show(reference ? reference(values) : EvaluateConstant(*expr_of(consts), st));
      } catch (const Error& e) {
        EXPECT_EQ(batch_error, std::string(SqlStateCode(e.state())) + " " + e.message())
            << "row " << r;
        return;
      }
      if (batch_error.empty()) EXPECT_EQ(Show(out.Get(r)), row_result) << "row " << r;
    }
    EXPECT_EQ(batch_error, "");
  }

  static std::function<BoundExprPtr(std::vector<BoundExprPtr>)> Call(std::string name, Type t) {
    return [name, t](std::vector<BoundExprPtr> a) { return Fn(name, t, std::move(a)); };
  }
  static std::function<BoundExprPtr(std::vector<BoundExprPtr>)> CastTo(Type t) {
    return [t](std::vector<BoundExprPtr> a) { return E(K::kCast, t, std::move(a)); };
  }
  static std::function<BoundExprPtr(std::vector<BoundExprPtr>)> Compare(std::string op) {
    return [op](std::vector<BoundExprPtr> a) {
      return a.empty() ? E(K::kCompare, TBool(), {}, op) : Cmp(op, a[0], a[1]);
    };
  }
  // CastValue, one value at a time.
  Reference CastRef(Type t) {
    return [this, t](const std::vector<Value>& v) { return CastValue(v[0], t, ctx_.format); };
  }
  // CompareValues, one pair at a time.
  static Reference CompareRef(std::string op) {
    return [op](const std::vector<Value>& v) {
      if (v[0].is_null || v[1].is_null) return Value::Null(TBool());
      const int c = CompareValues(v[0], v[1]);
      const bool b = op == "="    ? c == 0
                     : op == "<>" ? c != 0
                     : op == "<"  ? c < 0
                     : op == ">"  ? c > 0
                     : op == "<=" ? c <= 0
                                  : c >= 0;
      return Value::Bool(b);
    };
  }

  ExecContext ctx_;
};

TEST_F(BatchFormTest, DateTimeFunctions) {
  const Type tz = TTsTz();
  std::vector<Value> stamps;
  for (const char* s :
       {"2024-03-10 06:59:59.5+00", "2024-03-10 07:00:00+00", "1999-12-31 23:59:59+00",
        "0044-03-15 12:00:00+00", "infinity", "-infinity", "2024-11-03 05:30:00+00"}) {
    stamps.push_back(ParseValue(s, tz));
  }
  stamps.push_back(Value::Null(tz));
  auto interval = [](const char* s) { return ParseValue(s, Type::Of(TypeId::kInterval)); };
  const Value origin = ParseValue("2024-01-01 00:00:00+00", tz);
  for (const char* stride : {"15 minutes", "1 day 2 hours", "1 month", "0 seconds"}) {
    std::vector<std::vector<Value>> rows;
    for (const Value& v : stamps) rows.push_back({interval(stride), v, origin});
    Check(Call("date_bin", tz), {Type::Of(TypeId::kInterval), tz, tz}, rows, {true, false, true});
  }
  for (Type t : {tz, TTs()}) {
    for (const char* unit :
         {"hour", "day", "week", "month", "quarter", "millennium", "foo", "timezone", "dow",
          "isoyear", "epoch", "second", "doy", "microseconds"}) {
      std::vector<std::vector<Value>> rows;
      for (const Value& v : stamps) {
        rows.push_back(
            {Value::Text(unit), v.is_null ? Value::Null(t) : CastValue(v, t, ctx_.format)});
      }
      Check(Call("date_part", TF8()), {TText(), t}, rows, {true, false});
      Check(Call("extract", TNum()), {TText(), t}, rows, {true, false});
      if (std::string(unit) != "dow" && std::string(unit) != "epoch") {
        Check(Call("date_trunc", t), {TText(), t}, rows, {true, false});
      }
    }
  }
  // A NULL unit, and a unit that varies by row: the per-row form.
  Check(Call("date_trunc", tz), {TText(), tz}, {{Value::Null(TText()), stamps[0]}}, {true, false});
  Check(Call("date_trunc", tz), {TText(), tz},
        {{Value::Text("day"), stamps[0]}, {Value::Text("year"), stamps[1]}});
  // date_trunc in a named zone.
  std::vector<std::vector<Value>> rows;
  for (const Value& v : stamps)
    rows.push_back({Value::Text("day"), v, Value::Text("Asia/Kolkata")});
  Check(Call("date_trunc", tz), {TText(), tz, TText()}, rows, {true, false, true});
}

TEST_F(BatchFormTest, StringAndMathFunctions) {
  std::vector<std::vector<Value>> texts;
  for (const char* s : {"Hello, World", "ÄRGER über", "", "abcXYZ0129"}) {
    texts.push_back({Value::Text(s)});
  }
  texts.push_back({Value::Null(TText())});
  Check(Call("lower", TText()), {TText()}, texts);
  Check(Call("upper", TText()), {TText()}, texts);
  Check(Call("length", TInt4()), {TText()}, texts);
  Check(Call("char_length", TInt4()), {TText()}, texts);
  Check(Call("length", TInt4()), {Type::Of(TypeId::kBytea)},
        {{Value::Text("\x01\xff", TypeId::kBytea)}, {Value::Null(Type::Of(TypeId::kBytea))}});
  Check(Call("abs", TInt4()), {TInt4()},
        {{Value::Int32(-5)}, {Value::Null(TInt4())}, {Value::Int32(7)}, {Value::Int32(INT32_MIN)}});
  Check(Call("abs", TInt8()), {TInt8()},
        {{Value::Int64(INT64_MIN + 1)}, {Value::Int64(INT64_MIN)}});
  Check(Call("abs", TF8()), {TF8()},
        {{Value::Float64(-0.0)}, {Value::Float64(-2.5)}, {Value::Null(TF8())}});
}

TEST_F(BatchFormTest, CastsAndComparisons) {
  Check(CastTo(TInt4()), {TF8()},
        {{Value::Float64(2.5)},
         {Value::Float64(3.5)},
         {Value::Float64(-2.5)},
         {Value::Null(TF8())},
         {Value::Float64(2147483647.4)},
         {Value::Float64(2147483647.5)}},
        {}, CastRef(TInt4()));
  Check(CastTo(TInt2()), {TF8()}, {{Value::Float64(-32768.4)}, {Value::Float64(NAN)}}, {},
        CastRef(TInt2()));
  Check(CastTo(TInt8()), {TF8()}, {{Value::Float64(9.3e18)}}, {}, CastRef(TInt8()));
  Check(CastTo(TText()), {TInt8()},
        {{Value::Int64(INT64_MIN)}, {Value::Int64(0)}, {Value::Null(TInt8())}, {Value::Int64(42)}},
        {}, CastRef(TText()));
  Check(CastTo(TNum()), {TInt4()}, {{Value::Int32(-7)}, {Value::Null(TInt4())}}, {},
        CastRef(TNum()));
  Check(CastTo(TF8()), {TNum()},
        {{Value::Num(Numeric::Parse("0.1"))}, {Value::Num(Numeric::NaN())}, {Value::Null(TNum())}},
        {}, CastRef(TF8()));
  Check(CastTo(TInt4()), {TText()},
        {{Value::Text(" 42 ")}, {Value::Null(TText())}, {Value::Text("4x")}}, {}, CastRef(TInt4()));
  Check(CastTo(TDate()), {TText()}, {{Value::Text("2024-02-29")}, {Value::Text("2023-02-29")}}, {},
        CastRef(TDate()));
  const std::vector<Value> floats = {Value::Float64(NAN),  Value::Float64(1),
                                     Value::Float64(-0.0), Value::Float64(0),
                                     Value::Null(TF8()),   Value::Float64(INFINITY)};
  for (const char* op : {"=", "<>", "<", ">", "<=", ">="}) {
    for (const Value& k : floats) {
      std::vector<std::vector<Value>> rows;
      for (const Value& v : floats) rows.push_back({v, k});
      Check(Compare(op), {TF8(), TF8()}, rows, {false, true}, CompareRef(op));
      Check(Compare(op), {TF8(), TF8()}, rows, {}, CompareRef(op));
    }
    Check(Compare(op), {TInt8(), TInt4()},
          {{Value::Int64(5), Value::Int32(5)},
           {Value::Int64(-1), Value::Int32(5)},
           {Value::Null(TInt8()), Value::Int32(5)}},
          {false, true}, CompareRef(op));
    Check(Compare(op), {TText(), TText()},
          {{Value::Text("b"), Value::Text("b")}, {Value::Text("a"), Value::Text("b")}},
          {false, true}, CompareRef(op));
  }
}

}  // namespace
}  // namespace activestore::executor::testing
