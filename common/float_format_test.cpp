#include "common/float_format.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <random>
#include <string>

#include "common/error.h"
#include "common/numeric.h"

namespace activestore {
namespace {

struct FloatCase {
  const char* input;
  const char* out;
  const char* as_numeric;
  const char* as_int8;
};

constexpr FloatCase kCases[] = {
#include "common/float_cases_test.inc"
};

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return std::string(SqlStateCode(e.state())) + ":" + e.message();
  }
  return "no error";
}

TEST(FloatFormatTest, MatchesPostgres) {
  for (const FloatCase& c : kCases) {
    SCOPED_TRACE(c.input);
    double v = ParseFloat8(c.input);
    EXPECT_EQ(FormatFloat8(v), c.out);
    if (std::string(c.as_numeric) != "ERR") {
      EXPECT_EQ(Numeric::FromDouble(v).ToString(), c.as_numeric);
    }
  }
}

// A shortest form exactly on the boundary of the rounding interval is not PostgreSQL's (its Ryu
// never accepts the bounds): float4/float8 regression outputs of these bit patterns.
TEST(FloatFormatTest, NoBoundaryShortestForm) {
  EXPECT_EQ(FormatFloat8(std::bit_cast<double>(uint64_t{0x44b52d02c7e14af6})),
            "9.999999999999999e+22");
  EXPECT_EQ(FormatFloat8(std::bit_cast<double>(uint64_t{0x4350000000000002})),
            "1.8014398509481992e+16");
  EXPECT_EQ(FormatFloat8(std::bit_cast<double>(uint64_t{0xc35f000000000020})),
            "-3.4902897112121472e+16");
  EXPECT_EQ(ShortestScientific(std::bit_cast<float>(uint32_t{0x50061c46})), "8.999999e+09");
  EXPECT_EQ(ShortestScientific(std::bit_cast<float>(uint32_t{0x4c000004})), "3.3554448e+07");
  EXPECT_EQ(ShortestScientific(1.0f), "1e+00");
  // Not on a boundary, only within a double's rounding of one: the shortest form.
  EXPECT_EQ(ShortestScientific(std::bit_cast<float>(uint32_t{0x15ae43fd})), "7.038531e-26");
  EXPECT_EQ(ShortestScientific(0.5), "5e-01");
}

TEST(FloatFormatTest, SpecialValues) {
  EXPECT_EQ(FormatFloat8(0.1), "0.1");
  EXPECT_EQ(FormatFloat8(1e100), "1e+100");
  EXPECT_EQ(FormatFloat8(1.5e-5), "1.5e-05");
  EXPECT_EQ(FormatFloat8(123456789012345680.0), "1.2345678901234568e+17");
  EXPECT_EQ(FormatFloat8(1e20), "1e+20");
  EXPECT_EQ(FormatFloat8(1e15), "1e+15");
  EXPECT_EQ(FormatFloat8(1e15 - 1), "999999999999999");
  EXPECT_EQ(FormatFloat8(123456.789), "123456.789");
  EXPECT_EQ(FormatFloat8(0.0001), "0.0001");
  EXPECT_EQ(FormatFloat8(INFINITY), "Infinity");
  EXPECT_EQ(FormatFloat8(-INFINITY), "-Infinity");
  EXPECT_EQ(FormatFloat8(NAN), "NaN");
  EXPECT_EQ(FormatFloat8(-0.0), "-0");
  EXPECT_EQ(FormatFloat8(0.0), "0");
  EXPECT_EQ(FormatFloat8(0.1 + 0.2), "0.30000000000000004");
  // extra_float_digits = 0: %.15g.
  EXPECT_EQ(FormatFloat8(0.1 + 0.2, 0), "0.3");
  EXPECT_EQ(FormatFloat8(1e100, 0), "1e+100");
}

TEST(FloatFormatTest, Parse) {
  EXPECT_EQ(ParseFloat8("1.5"), 1.5);
  EXPECT_EQ(ParseFloat8(" 1e3 "), 1000.0);
  EXPECT_EQ(ParseFloat8("Infinity"), INFINITY);
  EXPECT_EQ(ParseFloat8("-inf"), -INFINITY);
  EXPECT_EQ(ParseFloat8("  -Infinity"), -INFINITY);
  EXPECT_TRUE(std::isnan(ParseFloat8("NaN")));
  EXPECT_TRUE(std::isnan(ParseFloat8(" nan ")));
  EXPECT_TRUE(std::signbit(ParseFloat8("-0")));
  EXPECT_EQ(ParseFloat8("5e-324"), 5e-324);
  EXPECT_EQ(ParseFloat8("1e-310"), 1e-310);  // denormal: accepted
  for (const char* bad : {"x", "", "  ", "1.5x", "1 2", "--1", "e5"}) {
    EXPECT_EQ(ErrorOf([&] { ParseFloat8(bad); }),
              std::string("22P02:invalid input syntax for type double precision: \"") + bad + "\"");
  }
  EXPECT_EQ(ErrorOf([] { ParseFloat8("1e400"); }),
            "22003:\"1e400\" is out of range for type double precision");
  EXPECT_EQ(ErrorOf([] { ParseFloat8("-1e400"); }),
            "22003:\"-1e400\" is out of range for type double precision");
  EXPECT_EQ(ErrorOf([] { ParseFloat8("1e-400"); }),
            "22003:\"1e-400\" is out of range for type double precision");
}

TEST(FloatFormatTest, RandomRoundTrip) {
  std::mt19937_64 rng(2024);
  for (int i = 0; i < 100000; ++i) {
    uint64_t bits = rng();
    double v;
    std::memcpy(&v, &bits, sizeof(v));
    if (std::isnan(v)) continue;
    std::string s = FormatFloat8(v);
    double back = ParseFloat8(s);
    ASSERT_EQ(std::memcmp(&back, &v, sizeof(v)), 0) << s;
  }
  std::uniform_real_distribution<double> dist(-1e6, 1e6);
  for (int i = 0; i < 20000; ++i) {
    double v = dist(rng);
    ASSERT_EQ(ParseFloat8(FormatFloat8(v)), v);
  }
}

}  // namespace
}  // namespace activestore
