#include "common/float4.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "common/error.h"
#include "common/value.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

std::string ErrorState(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return std::string(SqlStateCode(e.state())) + ":" + e.message();
  }
  return "no error";
}

// Expected values from PostgreSQL 15.
TEST(Float4Test, Input) {
  EXPECT_EQ(ParseFloat4("    0.0"), 0.0f);
  EXPECT_EQ(ParseFloat4("1004.30   "), 1004.3f);
  EXPECT_TRUE(std::isnan(ParseFloat4("   NAN  ")));
  EXPECT_EQ(ParseFloat4("          -INFINiTY   "), -INFINITY);
  EXPECT_EQ(ParseFloat4("-inf"), -INFINITY);
  EXPECT_GT(ParseFloat4("1e-40"), 0.0f);  // subnormal: accepted
  EXPECT_EQ(ErrorState([] { ParseFloat4("10e70"); }),
            "22003:\"10e70\" is out of range for type real");
  EXPECT_EQ(ErrorState([] { ParseFloat4("-10e-70"); }),
            "22003:\"-10e-70\" is out of range for type real");
  for (const char* bad : {"", "       ", "xyz", "5.0.0", "5 . 0", "     - 3.0", "NaN x"}) {
    EXPECT_EQ(ErrorState([&] { ParseFloat4(bad); }),
              std::string("22P02:invalid input syntax for type real: \"") + bad + "\"")
        << bad;
  }
}

TEST(Float4Test, Output) {
  EXPECT_EQ(FormatFloat4(1234567.0f), "1.234567e+06");
  EXPECT_EQ(FormatFloat4(123456.0f), "123456");
  EXPECT_EQ(FormatFloat4(0.0001f), "0.0001");
  EXPECT_EQ(FormatFloat4(0.00001234f), "1.234e-05");
  EXPECT_EQ(FormatFloat4(1e20f), "1e+20");
  EXPECT_EQ(FormatFloat4(16777216.0f), "1.6777216e+07");
  EXPECT_EQ(FormatFloat4(1.1f), "1.1");
  EXPECT_EQ(FormatFloat4(-0.0f), "-0");
  EXPECT_EQ(FormatFloat4(1.2345678901234e+20f), "1.2345679e+20");
  EXPECT_EQ(FormatFloat4(1.4e-45f), "1e-45");
  EXPECT_EQ(FormatFloat4(NAN), "NaN");
  EXPECT_EQ(FormatFloat4(-INFINITY), "-Infinity");
  EXPECT_EQ(FormatFloat4(3.14159265f, 0), "3.14159");
  EXPECT_EQ(FormatFloat4(1234567.0f, 0), "1.23457e+06");
}

TEST(Float4Test, Arithmetic) {
  EXPECT_EQ(FormatFloat4(Float4Arithmetic('+', 1.1f, 2.2f)), "3.3000002");
  EXPECT_EQ(FormatFloat4(Float4Arithmetic('/', 1.0f, 3.0f)), "0.33333334");
  EXPECT_EQ(ErrorState([] { Float4Arithmetic('*', 3e38f, 10.0f); }),
            "22003:value out of range: overflow");
  EXPECT_EQ(ErrorState([] { Float4Arithmetic('*', 1e-30f, 1e-30f); }),
            "22003:value out of range: underflow");
  EXPECT_EQ(ErrorState([] { Float4Arithmetic('/', 1.0f, 0.0f); }), "22012:division by zero");
  EXPECT_TRUE(std::isnan(Float4Arithmetic('/', NAN, 0.0f)));
  EXPECT_EQ(ErrorState([] { Float8ToFloat4(1e39); }), "22003:value out of range: overflow");
  EXPECT_EQ(ErrorState([] { Float8ToFloat4(1e-50); }), "22003:value out of range: underflow");
}

TEST(Float4Test, ValuesAndCasts) {
  const Type real = Type::Of(TypeId::kFloat32);
  Value v = ParseValue("1.1", real);
  EXPECT_EQ(v.type, real);
  EXPECT_EQ(FormatValue(v), "1.1");
  EXPECT_EQ(FormatValue(CastValue(v, Type::Of(TypeId::kFloat64))), "1.100000023841858");
  EXPECT_EQ(FormatValue(CastValue(v, Type::Of(TypeId::kNumeric))), "1.1");
  EXPECT_EQ(FormatValue(CastValue(ParseValue("123456789", real), Type::Of(TypeId::kNumeric))),
            "123457000");
  EXPECT_EQ(FormatValue(CastValue(ParseValue("2.5", real), Type::Of(TypeId::kInt32))), "2");
  EXPECT_EQ(ErrorState([&] { CastValue(ParseValue("32767.6", real), Type::Of(TypeId::kInt16)); }),
            "22003:smallint out of range");
  EXPECT_EQ(FormatValue(CastValue(Value::Int64(9223372036854775807), real)), "9.223372e+18");
  EXPECT_EQ(
      ErrorState([] { CastValue(Value::Num(Numeric::Parse("1e39")), Type::Of(TypeId::kFloat32)); }),
      "22003:\"1000000000000000000000000000000000000000\" is out of range for type real");
  // float4 op float4 stays float4; with a float8 it is float8, compared as doubles.
  Value sum = Arithmetic("+", v, ParseValue("2.2", real));
  EXPECT_EQ(sum.type, real);
  EXPECT_EQ(FormatValue(sum), "3.3000002");
  Value mixed = Arithmetic("+", v, Value::Float64(2.2));
  EXPECT_EQ(mixed.type.id, TypeId::kFloat64);
  EXPECT_NE(CompareValues(v, Value::Float64(1.1)), 0);
  EXPECT_EQ(CompareValues(v, ParseValue("1.1", real)), 0);
  EXPECT_EQ(HashValue(ParseValue("2", real)), HashValue(Value::Int32(2)));
  EXPECT_EQ(FormatValue(Negate(v)), "-1.1");
}

}  // namespace
}  // namespace activestore
