#include "common/array.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

std::string RoundTrip(std::string_view text, TypeId array) {
  return FormatValue(ParseValue(text, Type::Of(array)));
}

// Expected outputs from PostgreSQL 15 (select 'x'::T[]).
TEST(ArrayTest, TextRoundTrip) {
  struct Case {
    const char* in;
    TypeId type;
    const char* out;
  } cases[] = {
      {"{1,2,NULL}", kInt32ArrayType, "{1,2,NULL}"},
      {" { 1 , 2 ,  3 } ", kInt32ArrayType, "{1,2,3}"},
      {"{}", kInt32ArrayType, "{}"},
      {"{{1,2},{3,4}}", kInt32ArrayType, "{{1,2},{3,4}}"},
      {"[0:1][2:3]={{1,2},{3,4}}", kInt32ArrayType, "[0:1][2:3]={{1,2},{3,4}}"},
      {"[-1:+1]={1,2,3}", kInt32ArrayType, "[-1:1]={1,2,3}"},
      {"[1]={1}", kInt32ArrayType, "{1}"},
      {"{{{1},{2}},{{3},{4}}}", kInt32ArrayType, "{{{1},{2}},{{3},{4}}}"},
      {R"({"a b","\"q\"",NULL,"NULL","","x\\y","{","n,m"})", kTextArrayType,
       R"({"a b","\"q\"",NULL,"NULL","","x\\y","{","n,m"})"},
      {R"({N\ULL, NULL, null, "NULL", \ a , "b" })", kTextArrayType,
       R"({"NULL",NULL,NULL,"NULL"," a",b})"},
      {"{1 2}", kTextArrayType, "{\"1 2\"}"},
      {"{1.50,2}", kNumericArrayType, "{1.50,2}"},
      {"{2020-01-01 10:00}", kTimestampArrayType, "{\"2020-01-01 10:00:00\"}"},
      {"{t,f}", kBoolArrayType, "{t,f}"},
      {"{1.5,Infinity}", kFloat64ArrayType, "{1.5,Infinity}"},
      {"{1 day,NULL}", kIntervalArrayType, "{\"1 day\",NULL}"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(RoundTrip(c.in, c.type), c.out) << c.in;
  }
}

// PostgreSQL 15's errors for malformed literals (select 'x'::text[]).
TEST(ArrayTest, MalformedLiterals) {
  struct Case {
    const char* in;
    const char* detail;
  } cases[] = {
      {"{1,{2}}", "Unexpected \"{\" character."},
      {"{{1},2}", "Unexpected array element."},
      {"{1,2", "Unexpected end of input."},
      {"1,2", "Array value must start with \"{\" or dimension information."},
      {"{1,2}x", "Junk after closing right brace."},
      {"{{1,2},{3}}", "Multidimensional arrays must have sub-arrays with matching dimensions."},
      {"[0:2]={1,2}", "Specified array dimensions do not match array contents."},
      {"[7]={}", "Specified array dimensions do not match array contents."},
      {"{\"a}", "Unexpected end of input."},
      {"{a\"b}", "Unexpected array element."},
      {"{ a b , \"c\" d}", "Unexpected array element."},
      {"{,}", "Unexpected \",\" character."},
      {"{1,}", "Unexpected \"}\" character."},
      {"[1:1]{1}", "Missing \"=\" after array dimensions."},
      {"[a]={1}", "\"[\" must introduce explicitly-specified array dimensions."},
      {"{{}}", "Unexpected \"}\" character."},
      {"{\"1\" 2}", "Unexpected array element."},
  };
  for (const Case& c : cases) {
    try {
      ParseArrayLiteral(c.in);
      ADD_FAILURE() << c.in;
    } catch (const Error& e) {
      EXPECT_EQ(e.state(), SqlState::kInvalidTextRepresentation) << c.in;
      EXPECT_EQ(e.message(), std::string("malformed array literal: \"") + c.in + "\"");
      EXPECT_EQ(e.detail.value_or(""), c.detail) << c.in;
    }
  }
  try {
    ParseArrayLiteral("{{{{{{{1}}}}}}}");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.state(), SqlState::kProgramLimitExceeded);
    EXPECT_EQ(e.message(), "number of array dimensions (7) exceeds the maximum allowed (6)");
  }
  try {
    ParseArrayLiteral("[1:0]={}");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.state(), SqlState::kArraySubscriptError);
  }
}

TEST(ArrayTest, BlobAndOrdering) {
  Type t = Type::Of(kInt32ArrayType);
  Value a = ParseValue("{1,NULL,3}", t);
  ArrayView v(a.s);
  EXPECT_EQ(v.ndim(), 1);
  EXPECT_EQ(v.size(), 3u);
  EXPECT_TRUE(v.IsNull(1));
  std::vector<Value> e = v.Elements(Type::Of(TypeId::kInt32));
  EXPECT_EQ(e[2].i, 3);
  auto cmp = [&](const char* x, const char* y) {
    return CompareValues(ParseValue(x, t), ParseValue(y, t));
  };
  EXPECT_LT(cmp("{1,2}", "{1,3}"), 0);
  EXPECT_LT(cmp("{1,2}", "{1,2,3}"), 0);
  EXPECT_LT(cmp("{1,2}", "{1,NULL}"), 0);
  EXPECT_EQ(cmp("{1,NULL}", "{1,NULL}"), 0);
  EXPECT_LT(cmp("{1,2}", "{{1,2}}"), 0);
  EXPECT_GT(cmp("{1,2}", "[0:1]={1,2}"), 0);
  EXPECT_EQ(HashValue(ParseValue("{1,NULL}", t)), HashValue(ParseValue("{1,NULL}", t)));
  // numeric elements compare by value: {1.0} = {1.00}, equal hashes.
  Type n = Type::Of(kNumericArrayType);
  EXPECT_EQ(CompareValues(ParseValue("{1.0}", n), ParseValue("{1.00}", n)), 0);
  EXPECT_EQ(HashValue(ParseValue("{1.0}", n)), HashValue(ParseValue("{1.00}", n)));
}

TEST(ArrayTest, Casts) {
  Value a = ParseValue("{1,2}", Type::Of(kTextArrayType));
  Value b = CastValue(a, Type::Of(kInt32ArrayType));
  EXPECT_EQ(FormatValue(b), "{1,2}");
  Value t = CastValue(b, Type::Of(TypeId::kText));
  EXPECT_EQ(t.s, "{1,2}");
  Value v = CastValue(ParseValue("{abcd}", Type::Of(kTextArrayType)), Type{kVarcharArrayType, 2});
  EXPECT_EQ(FormatValue(v), "{ab}");
  EXPECT_EQ(TypeName(Type{kVarcharArrayType, 2}), "character varying(2)[]");
  EXPECT_EQ(TypeName(Type::Of(kInt32ArrayType)), "integer[]");
}

}  // namespace
}  // namespace activestore
