// Unit tests of the geometric type point (common/point.h). Expected values are PostgreSQL 15's
// (sql-tests/types/point.test checks the same over the wire).
#include "common/point.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "common/error.h"
#include "common/type_registry.h"
#include "common/value.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

template <typename F>
void ExpectError(F f, SqlState state, const std::string& message) {
  try {
    f();
    ADD_FAILURE() << "no error, expected: " << message;
  } catch (const Error& e) {
    EXPECT_EQ(e.state(), state) << e.message();
    EXPECT_EQ(e.message(), message);
  }
}

std::string RoundTrip(std::string_view text) { return FormatPoint(ParsePoint(text)); }

TEST(PointTest, Input) {
  EXPECT_EQ(RoundTrip("(1,2)"), "(1,2)");
  EXPECT_EQ(RoundTrip("1,2"), "(1,2)");
  EXPECT_EQ(RoundTrip(" ( 1.5 , -2 ) "), "(1.5,-2)");
  EXPECT_EQ(RoundTrip(" 1 , 2 "), "(1,2)");
  EXPECT_EQ(RoundTrip("(1e300,-1e-300)"), "(1e+300,-1e-300)");
  EXPECT_EQ(RoundTrip("(Inf,1e+300)"), "(Infinity,1e+300)");
  EXPECT_EQ(RoundTrip(" ( Nan , NaN ) "), "(NaN,NaN)");
  EXPECT_EQ(RoundTrip("(-infinity,0.1)"), "(-Infinity,0.1)");
  for (const char* bad : {"asdfasdf", "(10.0 10.0)", "(10.0, 10.0) x", "(10.0,10.0", "1,2)", "",
                          "  ", "(1,2),", "(,1)", "(1,)", "1,2 x"}) {
    ExpectError([&] { ParsePoint(bad); }, SqlState::kInvalidTextRepresentation,
                std::string("invalid input syntax for type point: \"") + bad + "\"");
  }
  ExpectError([] { ParsePoint("(10.0, 1e+500)"); }, SqlState::kNumericValueOutOfRange,
              "\"1e+500\" is out of range for type double precision");
  ExpectError([] { ParsePoint("(1e-500 ,1)"); }, SqlState::kNumericValueOutOfRange,
              "\"1e-500\" is out of range for type double precision");
}

TEST(PointTest, Output) {
  EXPECT_EQ(FormatPoint({0.1 + 0.2, 0.3}), "(0.30000000000000004,0.3)");
  EXPECT_EQ(FormatPoint({0.1 + 0.2, 0.3}, 0), "(0.3,0.3)");
  EXPECT_EQ(FormatPoint({-0.0, 1e15}), "(-0,1e+15)");
}

TEST(PointTest, Arithmetic) {
  const Point a{1, 2}, b{3, 4};
  EXPECT_EQ(FormatPoint(PointAdd(a, b)), "(4,6)");
  EXPECT_EQ(FormatPoint(PointSub(a, b)), "(-2,-2)");
  EXPECT_EQ(FormatPoint(PointMul(a, b)), "(-5,10)");
  EXPECT_EQ(FormatPoint(PointDiv(a, b)), "(0.44,0.08)");
  EXPECT_EQ(FormatPoint(PointDiv(a, {3, 7})), "(0.29310344827586204,-0.017241379310344827)");
  EXPECT_EQ(PointDistance({0, 0}, b), 5);
  EXPECT_EQ(PointDistance({0, 0}, {1, 1}), std::sqrt(2.0));
  EXPECT_TRUE(std::isinf(PointDistance({0, 0}, {HUGE_VAL, 1})));
  EXPECT_TRUE(std::isnan(PointDistance({0, 0}, {std::nan(""), 1})));
  EXPECT_EQ(PointSlope(a, b), 1);
  EXPECT_TRUE(std::isinf(PointSlope(a, {1, 4})));
  EXPECT_EQ(PointSlope(a, {3, 2}), 0);
  ExpectError([&] { PointDiv(a, {0, 0}); }, SqlState::kDivisionByZero, "division by zero");
  ExpectError(
      [] {
        PointMul({1e300, 1e300}, {1e300, 1e300});
      },
      SqlState::kNumericValueOutOfRange, "value out of range: overflow");
  ExpectError(
      [] {
        PointAdd({1.7e308, 0}, {1.7e308, 0});
      },
      SqlState::kNumericValueOutOfRange, "value out of range: overflow");
  ExpectError(
      [] {
        PointMul({1e-300, 0}, {1e-300, 0});
      },
      SqlState::kNumericValueOutOfRange, "value out of range: underflow");
}

TEST(PointTest, FuzzyComparisons) {
  EXPECT_TRUE(PointEq({1, 1}, {1, 1.0000001}));
  EXPECT_FALSE(PointEq({1, 1}, {1, 1.00001}));
  const double nan = std::nan("");
  EXPECT_TRUE(PointEq({nan, 1}, {nan, 1}));
  EXPECT_FALSE(PointEq({nan, 1}, {1, 1}));
  EXPECT_TRUE(PointLeft({1, 2}, {3, 4}));
  EXPECT_FALSE(PointLeft({1, 2}, {1.0000001, 4}));
  EXPECT_FALSE(PointRight({1, 2}, {3, 4}));
  EXPECT_TRUE(PointBelow({1, 2}, {3, 4}));
  EXPECT_FALSE(PointAbove({1, 2}, {3, 4}));
  EXPECT_TRUE(PointHorizontal({1, 2}, {3, 2}));
  EXPECT_TRUE(PointVertical({1, 2}, {1, 4}));
}

TEST(PointTest, RegistryAndValues) {
  const TypeInfo& t = TypeInfoOf(kPointType);
  EXPECT_STREQ(t.typname, "point");
  EXPECT_EQ(t.array_oid, 1017u);
  EXPECT_EQ(t.category, TypeCategory::kGeometric);
  EXPECT_EQ(t.typlen, 16);
  TypeId id;
  ASSERT_TRUE(LookupTypeName("point", &id));
  EXPECT_EQ(id, kPointType);
  EXPECT_EQ(TypeName(Type::Of(kPointArrayType)), "point[]");
  const Value v = ParseValue(" ( 1.5 , -2 ) ", Type::Of(kPointType));
  EXPECT_EQ(FormatValue(v), "(1.5,-2)");
  EXPECT_EQ(PointOf(v).x, 1.5);
  EXPECT_EQ(FormatValue(CastValue(Value::Text("(3,4)"), Type::Of(kPointType))), "(3,4)");
  TypeId result;
  EXPECT_STREQ(PointOperatorFunction("<->", &result), "point_distance");
  EXPECT_EQ(result, TypeId::kFloat64);
  EXPECT_EQ(PointOperatorFunction("=", &result), nullptr);
}

}  // namespace
}  // namespace activestore
