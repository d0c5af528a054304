#include "common/types.h"

#include <gtest/gtest.h>

namespace activestore {
namespace {

TEST(TypesTest, Names) {
  EXPECT_EQ(TypeName(Type::Of(TypeId::kInt32)), "integer");
  EXPECT_EQ(TypeName(Type::Of(TypeId::kInt64)), "bigint");
  EXPECT_EQ(TypeName(Type::Of(TypeId::kInt16)), "smallint");
  EXPECT_EQ(TypeName(Type::Of(TypeId::kFloat64)), "double precision");
  EXPECT_EQ(TypeName(Type{TypeId::kNumeric, (10 << 16) | 2}), "numeric(10,2)");
  EXPECT_EQ(TypeName(Type::Of(TypeId::kNumeric)), "numeric");
  EXPECT_EQ(TypeName(Type::Of(TypeId::kText)), "text");
  EXPECT_EQ(TypeName(Type{TypeId::kVarchar, 10}), "character varying(10)");
  EXPECT_EQ(TypeName(Type::Of(TypeId::kVarchar)), "character varying");
  EXPECT_EQ(TypeName(Type{TypeId::kBpchar, 5}), "character(5)");
  EXPECT_EQ(TypeName(Type::Of(TypeId::kBpchar)), "bpchar");
  EXPECT_EQ(TypeName(Type::Of(TypeId::kBool)), "boolean");
  EXPECT_EQ(TypeName(Type::Of(TypeId::kDate)), "date");
  EXPECT_EQ(TypeName(Type::Of(TypeId::kTimestamp)), "timestamp without time zone");
  EXPECT_EQ(TypeName(Type::Of(TypeId::kTimestampTz)), "timestamp with time zone");
  EXPECT_EQ(TypeName(Type::Of(TypeId::kUnknown)), "unknown");
}

TEST(TypesTest, LengthsAndWireTypmods) {
  EXPECT_EQ(TypeLength(TypeId::kBool), 1);
  EXPECT_EQ(TypeLength(TypeId::kInt16), 2);
  EXPECT_EQ(TypeLength(TypeId::kInt32), 4);
  EXPECT_EQ(TypeLength(TypeId::kInt64), 8);
  EXPECT_EQ(TypeLength(TypeId::kFloat64), 8);
  EXPECT_EQ(TypeLength(TypeId::kDate), 4);
  EXPECT_EQ(TypeLength(TypeId::kTimestampTz), 8);
  EXPECT_EQ(TypeLength(TypeId::kNumeric), -1);
  EXPECT_EQ(TypeLength(TypeId::kText), -1);
  EXPECT_EQ(TypeLength(TypeId::kUnknown), -2);
  EXPECT_EQ(WireTypmod(Type{TypeId::kVarchar, 10}), 14);
  EXPECT_EQ(WireTypmod(Type{TypeId::kBpchar, 1}), 5);
  EXPECT_EQ(WireTypmod(Type{TypeId::kNumeric, (10 << 16) | 2}), ((10 << 16) | 2) + 4);
  EXPECT_EQ(WireTypmod(Type::Of(TypeId::kNumeric)), -1);
  EXPECT_EQ(WireTypmod(Type::Of(TypeId::kInt32)), -1);
}

TEST(TypesTest, Lookup) {
  struct {
    const char* name;
    TypeId id;
  } cases[] = {
      {"int", TypeId::kInt32},
      {"INT4", TypeId::kInt32},
      {"integer", TypeId::kInt32},
      {"int2", TypeId::kInt16},
      {"smallint", TypeId::kInt16},
      {"int8", TypeId::kInt64},
      {"bigint", TypeId::kInt64},
      {"float8", TypeId::kFloat64},
      {"double  precision", TypeId::kFloat64},
      {"float", TypeId::kFloat64},
      {"real", TypeId::kFloat32},
      {"float4", TypeId::kFloat32},
      {"numeric", TypeId::kNumeric},
      {"Decimal", TypeId::kNumeric},
      {"text", TypeId::kText},
      {"varchar", TypeId::kVarchar},
      {"character varying", TypeId::kVarchar},
      {"char", TypeId::kBpchar},
      {"character", TypeId::kBpchar},
      {"bpchar", TypeId::kBpchar},
      {"bool", TypeId::kBool},
      {"boolean", TypeId::kBool},
      {"date", TypeId::kDate},
      {"timestamp", TypeId::kTimestamp},
      {"timestamp without time zone", TypeId::kTimestamp},
      {"timestamptz", TypeId::kTimestampTz},
      {"TIMESTAMP WITH TIME ZONE", TypeId::kTimestampTz},
  };
  for (const auto& c : cases) {
    TypeId id = TypeId::kUnknown;
    EXPECT_TRUE(LookupTypeName(c.name, &id)) << c.name;
    EXPECT_EQ(id, c.id) << c.name;
  }
  TypeId id;
  for (const char* bad : {"serial", "bigserial", "blob", "", "timestamp with", "int 4"}) {
    EXPECT_FALSE(LookupTypeName(bad, &id)) << bad;
  }
  EXPECT_TRUE(IsIntegerType(TypeId::kInt16));
  EXPECT_FALSE(IsIntegerType(TypeId::kNumeric));
  EXPECT_TRUE(IsNumericType(TypeId::kFloat64));
  EXPECT_TRUE(IsStringType(TypeId::kUnknown));
  EXPECT_TRUE(IsDateTimeType(TypeId::kTimestampTz));
  EXPECT_FALSE(IsDateTimeType(TypeId::kInt32));
}

}  // namespace
}  // namespace activestore
