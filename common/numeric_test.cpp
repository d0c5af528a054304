#include "common/numeric.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <string>

#include "common/error.h"

namespace activestore {
namespace {

struct NumericCase {
  const char* a;
  const char* b;
  const char* add;
  const char* sub;
  const char* mul;
  const char* div;
  const char* mod;
  const char* round2;
  const char* trunc1;
  const char* round0;
  const char* cmp;
};

constexpr NumericCase kCases[] = {
#include "common/numeric_cases_test.inc"
};

std::string ErrorState(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return std::string(SqlStateCode(e.state())) + ":" + e.message();
  }
  return "no error";
}

TEST(NumericTest, MatchesPostgresArithmetic) {
  for (const NumericCase& c : kCases) {
    SCOPED_TRACE(std::string(c.a) + " op " + c.b);
    Numeric a = Numeric::Parse(c.a);
    Numeric b = Numeric::Parse(c.b);
    EXPECT_EQ(a.ToString(), c.a);
    EXPECT_EQ(b.ToString(), c.b);
    EXPECT_EQ(a.Add(b).ToString(), c.add);
    EXPECT_EQ(a.Sub(b).ToString(), c.sub);
    EXPECT_EQ(a.Mul(b).ToString(), c.mul);
    if (std::string(c.div) == "DIV0") {
      EXPECT_EQ(ErrorState([&] { a.Div(b); }), "22012:division by zero");
      EXPECT_EQ(ErrorState([&] { a.Mod(b); }), "22012:division by zero");
    } else {
      EXPECT_EQ(a.Div(b).ToString(), c.div);
      EXPECT_EQ(a.Mod(b).ToString(), c.mod);
    }
    EXPECT_EQ(a.Round(2).ToString(), c.round2);
    EXPECT_EQ(a.Trunc(1).ToString(), c.trunc1);
    EXPECT_EQ(a.Round(0).ToString(), c.round0);
    EXPECT_EQ(a.Compare(b), std::stoi(c.cmp));
    EXPECT_EQ(b.Compare(a), -std::stoi(c.cmp));
  }
}

TEST(NumericTest, ParseAndFormat) {
  EXPECT_EQ(Numeric::Parse("  -12.3400 ").ToString(), "-12.3400");
  EXPECT_EQ(Numeric::Parse("1e5").ToString(), "100000");
  EXPECT_EQ(Numeric::Parse(" 1.5e3 ").ToString(), "1500");
  EXPECT_EQ(Numeric::Parse("1e-3").ToString(), "0.001");
  EXPECT_EQ(Numeric::Parse("1.50E-2").ToString(), "0.0150");
  EXPECT_EQ(Numeric::Parse(".5").ToString(), "0.5");
  EXPECT_EQ(Numeric::Parse("5.").ToString(), "5");
  EXPECT_EQ(Numeric::Parse("+007").ToString(), "7");
  EXPECT_EQ(Numeric::Parse("-0").ToString(), "0");
  EXPECT_EQ(Numeric::Parse("-0.000").ToString(), "0.000");
  EXPECT_EQ(Numeric::Parse("0.0").ToString(), "0.0");
  EXPECT_EQ(Numeric::Parse("NaN").ToString(), "NaN");
  EXPECT_EQ(Numeric::Parse(" nan ").ToString(), "NaN");
  EXPECT_EQ(Numeric::Parse("100000000").ToString(), "100000000");
  EXPECT_EQ(Numeric::Parse("12345678.87654321").ToString(), "12345678.87654321");
  EXPECT_EQ(Numeric::Parse("1e131071").ToString().size(), 131072u);
  EXPECT_EQ(Numeric::Parse("1e-16383").display_scale(), 16383);
  for (const char* bad : {"abc", "", " ", "1.2.3", "1e", "1e+", "--1", "1 2", ".", "NaNx", "e5"}) {
    EXPECT_EQ(ErrorState([&] { Numeric::Parse(bad); }),
              std::string("22P02:invalid input syntax for type numeric: \"") + bad + "\"")
        << bad;
  }
  EXPECT_EQ(ErrorState([] { Numeric::Parse("1e131072"); }), "22003:value overflows numeric format");
  EXPECT_EQ(ErrorState([] { Numeric::Parse("1e-16384"); }), "22003:value overflows numeric format");
  EXPECT_EQ(ErrorState([] { Numeric::Parse("1e2147483648"); }),
            "22003:value overflows numeric format");
}

TEST(NumericTest, Infinities) {
  auto p = [](const char* s) { return Numeric::Parse(s); };
  EXPECT_EQ(p("Infinity").ToString(), "Infinity");
  EXPECT_EQ(p(" -inf ").ToString(), "-Infinity");
  EXPECT_EQ(p("+INF").ToString(), "Infinity");
  EXPECT_EQ(ErrorState([] { Numeric::Parse("infinit"); }),
            "22P02:invalid input syntax for type numeric: \"infinit\"");
  EXPECT_EQ(p("inf").Add(p("1")).ToString(), "Infinity");
  EXPECT_EQ(p("inf").Sub(p("inf")).ToString(), "NaN");
  EXPECT_EQ(p("-inf").Mul(p("2")).ToString(), "-Infinity");
  EXPECT_EQ(p("inf").Mul(p("0")).ToString(), "NaN");
  EXPECT_EQ(p("1").Div(p("-inf")).ToString(), "0");
  EXPECT_EQ(p("-5.5").Mod(p("inf")).ToString(), "-5.5");
  EXPECT_EQ(ErrorState([&] { p("inf").Div(p("0")); }), "22012:division by zero");
  EXPECT_EQ(ErrorState([&] { p("inf").ToInt64(); }), "0A000:cannot convert infinity to bigint");
  EXPECT_LT(p("-inf").Compare(p("-1e100")), 0);
  EXPECT_LT(p("1e100").Compare(p("inf")), 0);
  EXPECT_LT(p("inf").Compare(p("nan")), 0);
  EXPECT_EQ(p("inf").Compare(p("Infinity")), 0);
  EXPECT_NE(p("inf").NormalizedKey(), p("-inf").NormalizedKey());
  EXPECT_EQ(Numeric::FromDouble(-HUGE_VAL).ToString(), "-Infinity");
  EXPECT_TRUE(std::isinf(p("inf").ToDouble()));
  EXPECT_EQ(ErrorState([&] { p("inf").ApplyTypmod((3 << 16) | 1); }),
            "22003:numeric field overflow");
}

// Results of numeric.c's functions, from PostgreSQL 15.
TEST(NumericTest, Functions) {
  auto p = [](const char* s) { return Numeric::Parse(s); };
  EXPECT_EQ(p("2").Sqrt().ToString(), "1.414213562373095");
  EXPECT_EQ(p("0.0001").Sqrt().ToString(), "0.01000000000000000");
  EXPECT_EQ(p("10").Ln().ToString(), "2.3025850929940457");
  EXPECT_EQ(p("2.0").Ln().ToString(), "0.6931471805599453");
  EXPECT_EQ(p("10").Log(p("2.5")).ToString(), "0.3979400086720376");
  EXPECT_EQ(p("2").Log(p("1024")).ToString(), "10.0000000000000000");
  EXPECT_EQ(p("1").Exp().ToString(), "2.7182818284590452");
  EXPECT_EQ(p("10.5").Exp().ToString(), "36315.502674246638");
  EXPECT_EQ(p("-100").Exp().ToString(),
            "0.00000000000000000000000000000000000000000003720075976020836");
  EXPECT_EQ(p("3.789").Power(p("21")).ToString(), "1409343026052.8716016316022141");
  EXPECT_EQ(p("0.12").Power(p("-20")).ToString(), "2608405330458882702.5529619561355838");
  EXPECT_EQ(p("32.1").Power(p("9.8")).ToString(), "580429286790711.10");
  EXPECT_EQ(p("2").Power(p("0.5")).ToString(), "1.4142135623730950");
  EXPECT_EQ(p("-2").Power(p("inf")).ToString(), "Infinity");
  EXPECT_EQ(p("-inf").Power(p("3")).ToString(), "-Infinity");
  EXPECT_EQ(ErrorState([&] { p("-2").Power(p("3.3")); }),
            "2201F:a negative number raised to a non-integer power yields a complex result");
  EXPECT_EQ(ErrorState([&] { p("0").Ln(); }), "2201E:cannot take logarithm of zero");
  EXPECT_EQ(ErrorState([&] { p("7000").Exp(); }), "22003:value overflows numeric format");
  EXPECT_EQ(p("1.500").MinScale(), 1);
  EXPECT_EQ(p("120.00").TrimScale().ToString(), "120");
  EXPECT_EQ(p("-1.5").Floor().ToString(), "-2");
  EXPECT_EQ(p("-1.5").Ceil().ToString(), "-1");
}

TEST(NumericTest, NegativeScaleTypmodsAndRoundLimits) {
  auto p = [](const char* s) { return Numeric::Parse(s); };
  auto typmod = [](int precision, int scale) { return (precision << 16) | (scale & 0x7ff); };
  EXPECT_EQ(p("123456").ApplyTypmod(typmod(3, -6)).ToString(), "0");
  EXPECT_EQ(p("987654321").ApplyTypmod(typmod(3, -6)).ToString(), "988000000");
  EXPECT_EQ(p("0.000123456").ApplyTypmod(typmod(3, 6)).ToString(), "0.000123");
  EXPECT_EQ(ErrorState([&] { p("0.001").ApplyTypmod(typmod(3, 6)); }),
            "22003:numeric field overflow");
  EXPECT_EQ(p("4.4e131071").Round(-131071).Compare(p("4e131071")), 0);
  EXPECT_EQ(p("4.5e131071").Round(-131072).ToString(), "0");
  EXPECT_EQ(ErrorState([&] { p("5.5e131071").Round(-131072); }),
            "22003:value overflows numeric format");
  EXPECT_EQ(p("5e-16383").Round(1000000).Compare(p("5e-16383")), 0);
  EXPECT_EQ(p("5e-16383").Round(16382).Compare(p("1e-16382")), 0);
}

TEST(NumericTest, DivisionScales) {
  auto div = [](const char* a, const char* b) {
    return Numeric::Parse(a).Div(Numeric::Parse(b)).ToString();
  };
  EXPECT_EQ(div("1", "3"), "0.33333333333333333333");
  EXPECT_EQ(div("10", "4"), "2.5000000000000000");
  EXPECT_EQ(div("7", "7"), "1.00000000000000000000");
  EXPECT_EQ(div("123.456", "7.1"), "17.3881690140845070");
  EXPECT_EQ(div("1000000", "3"), "333333.333333333333");
  EXPECT_EQ(div("0.000001", "3"), "0.000000333333333333333333");
  EXPECT_EQ(div("1", "1000000"), "0.000001000000000000000000");
  EXPECT_EQ(div("99999", "1"), "99999.000000000000");
  EXPECT_EQ(div("1e-20", "3"), "0.0000000000000000000033333333333333333333");
  EXPECT_EQ(div("2", "3"), "0.66666666666666666667");
  EXPECT_EQ(div("-2", "3"), "-0.66666666666666666667");
  // avg(1, 2, 4) = 7 / 3.
  EXPECT_EQ(div("7", "3"), "2.3333333333333333");
  EXPECT_EQ(Numeric::Parse("NaN").Div(Numeric::Parse("0")).ToString(), "NaN");
  EXPECT_EQ(Numeric::Parse("1").DivScale(Numeric::Parse("8"), 2).ToString(), "0.13");
  EXPECT_EQ(Numeric::Parse("-1").DivScale(Numeric::Parse("8"), 2).ToString(), "-0.13");
}

TEST(NumericTest, RoundTruncAndTypmod) {
  EXPECT_EQ(Numeric::Parse("2.5").Round(0).ToString(), "3");
  EXPECT_EQ(Numeric::Parse("-2.5").Round(0).ToString(), "-3");
  EXPECT_EQ(Numeric::Parse("1.2345").Round(2).ToString(), "1.23");
  EXPECT_EQ(Numeric::Parse("1.5").Round(3).ToString(), "1.500");
  EXPECT_EQ(Numeric::Parse("1234.5").Round(-2).ToString(), "1200");
  EXPECT_EQ(Numeric::Parse("1250").Round(-2).ToString(), "1300");
  EXPECT_EQ(Numeric::Parse("-1.789").Trunc(1).ToString(), "-1.7");
  EXPECT_EQ(Numeric::Parse("1234.5").Trunc(-2).ToString(), "1200");
  EXPECT_EQ(Numeric::Parse("0.4").Round(0).ToString(), "0");
  EXPECT_EQ(Numeric::Parse("9999.9999").Round(2).ToString(), "10000.00");

  const int32_t n52 = (5 << 16) | 2;
  EXPECT_EQ(Numeric::Parse("123.456").ApplyTypmod(n52).ToString(), "123.46");
  EXPECT_EQ(Numeric::Parse("1").ApplyTypmod(n52).ToString(), "1.00");
  EXPECT_EQ(Numeric::Parse("-999.994").ApplyTypmod(n52).ToString(), "-999.99");
  EXPECT_EQ(Numeric::Parse("NaN").ApplyTypmod(n52).ToString(), "NaN");
  EXPECT_EQ(Numeric::Parse("1.5").ApplyTypmod(-1).ToString(), "1.5");
  try {
    Numeric::Parse("12345.678").ApplyTypmod(n52);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(SqlStateCode(e.state()), "22003");
    EXPECT_EQ(e.message(), "numeric field overflow");
    EXPECT_EQ(*e.detail,
              "A field with precision 5, scale 2 must round to an absolute value less than 10^3.");
  }
  EXPECT_EQ(ErrorState([&] { Numeric::Parse("999.995").ApplyTypmod(n52); }).substr(0, 5), "22003");
  try {
    Numeric::Parse("1").ApplyTypmod((2 << 16) | 2);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(*e.detail,
              "A field with precision 2, scale 2 must round to an absolute value less than 1.");
  }
  EXPECT_EQ(Numeric::Parse("0.994").ApplyTypmod((2 << 16) | 2).ToString(), "0.99");
  // numeric(3,-2): PostgreSQL 15's negative scale.
  EXPECT_EQ(Numeric::Parse("12345").ApplyTypmod((3 << 16) | (-2 & 0x7ff)).ToString(), "12300");
}

TEST(NumericTest, Conversions) {
  EXPECT_EQ(Numeric::FromInt64(0).ToString(), "0");
  EXPECT_EQ(Numeric::FromInt64(-9223372036854775807 - 1).ToString(), "-9223372036854775808");
  EXPECT_EQ(Numeric::FromInt64(9223372036854775807).ToString(), "9223372036854775807");
  EXPECT_EQ(Numeric::Parse("2.5").ToInt64(), 3);
  EXPECT_EQ(Numeric::Parse("-2.5").ToInt64(), -3);
  EXPECT_EQ(Numeric::Parse("2.4999").ToInt64(), 2);
  EXPECT_EQ(Numeric::Parse("-9223372036854775808").ToInt64(), INT64_MIN);
  EXPECT_EQ(Numeric::Parse("9223372036854775807.4").ToInt64(), INT64_MAX);
  EXPECT_EQ(ErrorState([] { Numeric::Parse("9223372036854775807.5").ToInt64(); }),
            "22003:bigint out of range");
  EXPECT_EQ(ErrorState([] { Numeric::Parse("-9223372036854775809").ToInt64(); }),
            "22003:bigint out of range");
  EXPECT_EQ(ErrorState([] { Numeric::Parse("1e30").ToInt64(); }), "22003:bigint out of range");
  EXPECT_EQ(ErrorState([] { Numeric::NaN().ToInt64(); }), "0A000:cannot convert NaN to bigint");
  EXPECT_EQ(Numeric::Parse("1.5").ToDouble(), 1.5);
  EXPECT_EQ(Numeric::Parse("0.1").ToDouble(), 0.1);
  EXPECT_TRUE(std::isnan(Numeric::NaN().ToDouble()));
  EXPECT_EQ(Numeric::FromDouble(123456789.123456789).ToString(), "123456789.123457");
  EXPECT_EQ(Numeric::FromDouble(1e100).ToString(), "1" + std::string(100, '0'));
  EXPECT_EQ(Numeric::FromDouble(0.1).ToString(), "0.1");
  EXPECT_EQ(Numeric::FromDouble(-0.0).ToString(), "0");
  EXPECT_TRUE(Numeric::FromDouble(std::nan("")).IsNaN());
}

TEST(NumericTest, CompareAndKeys) {
  Numeric nan = Numeric::NaN();
  EXPECT_EQ(nan.Compare(nan), 0);
  EXPECT_GT(nan.Compare(Numeric::Parse("1e1000")), 0);
  EXPECT_LT(Numeric::Parse("-1e1000").Compare(nan), 0);
  EXPECT_EQ(Numeric::Parse("1.0").Compare(Numeric::Parse("1.00")), 0);
  EXPECT_EQ(Numeric::Parse("1.0").NormalizedKey(), Numeric::Parse("1.00").NormalizedKey());
  EXPECT_EQ(Numeric::Parse("0.000").NormalizedKey(), Numeric::Parse("-0").NormalizedKey());
  EXPECT_NE(Numeric::Parse("1").NormalizedKey(), Numeric::Parse("-1").NormalizedKey());
  EXPECT_NE(Numeric::Parse("10000").NormalizedKey(), Numeric::Parse("1").NormalizedKey());
  EXPECT_NE(nan.NormalizedKey(), Numeric().NormalizedKey());
  EXPECT_EQ(Numeric::Parse("NaN").Add(Numeric::Parse("1")).ToString(), "NaN");
  EXPECT_TRUE(Numeric::Parse("2.000").IsInteger());
  EXPECT_TRUE(Numeric::Parse("1e20").IsInteger());
  EXPECT_TRUE(Numeric::Parse("0").IsInteger());
  EXPECT_FALSE(Numeric::Parse("2.5").IsInteger());
  EXPECT_FALSE(Numeric::Parse("10000.0001").IsInteger());
  EXPECT_FALSE(nan.IsInteger());
  EXPECT_EQ(Numeric::Parse("12345").weight(), 1);
  EXPECT_EQ(Numeric::Parse("0.00001").weight(), -2);
  EXPECT_EQ(Numeric::Parse("NaN").Mod(Numeric::Parse("0")).ToString(), "NaN");
}

// Randomised identities on large operands: (a / b) * b + a % b relations via exact integer
// division at scale 0, and (a + b) - b == a, a * b / b == a when the scale allows.
TEST(NumericTest, RandomIdentities) {
  std::mt19937_64 rng(12345);
  auto random_numeric = [&]() {
    std::string s;
    if (rng() % 2) s.push_back('-');
    int intd = 1 + static_cast<int>(rng() % 40);
    for (int i = 0; i < intd; ++i) s.push_back(static_cast<char>('0' + rng() % 10));
    int frac = static_cast<int>(rng() % 12);
    if (frac) {
      s.push_back('.');
      for (int i = 0; i < frac; ++i) s.push_back(static_cast<char>('0' + rng() % 10));
    }
    return Numeric::Parse(s);
  };
  for (int i = 0; i < 300; ++i) {
    Numeric a = random_numeric();
    Numeric b = random_numeric();
    if (b.IsZero()) continue;
    EXPECT_EQ(a.Add(b).Sub(b).Compare(a), 0);
    Numeric q = a.DivScale(b, 0);
    Numeric r = a.Mod(b);
    // a = trunc(a / b) * b + a % b, where DivScale(.., 0) rounds: fix the rounding up.
    Numeric t = a.Sub(r).DivScale(b, 0);
    EXPECT_EQ(t.Mul(b).Add(r).Compare(a), 0) << a.ToString() << " " << b.ToString();
    EXPECT_LT(r.Abs().Compare(b.Abs()), 0);
    EXPECT_LE(q.Sub(t).Abs().Compare(Numeric::FromInt64(1)), 0);
    EXPECT_EQ(Numeric::Parse(a.ToString()).Compare(a), 0);
  }
}

}  // namespace
}  // namespace activestore
