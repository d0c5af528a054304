// Unit tests of cstring (common/cstring_type.h): its registry entry and pg_type facts, the
// identity input/output, the I/O conversions with text, and which types cannot be a column's.
#include "common/cstring_type.h"

#include <gtest/gtest.h>

#include "common/array.h"
#include "common/type_registry.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

TEST(CstringTest, RegistryEntry) {
  const TypeInfo& t = TypeInfoOf(kCstringType);
  EXPECT_STREQ(t.typname, "cstring");
  EXPECT_EQ(t.category, TypeCategory::kPseudo);
  EXPECT_EQ(t.typlen, -2);
  EXPECT_EQ(t.array_oid, static_cast<uint32_t>(kCstringArrayType));
  EXPECT_EQ(TypeName(Type::Of(kCstringArrayType)), "cstring[]");
  TypeId id;
  ASSERT_TRUE(LookupTypeName("cstring", &id));
  EXPECT_EQ(id, kCstringType);
  ASSERT_TRUE(LookupTypeName("_cstring", &id));
  EXPECT_EQ(id, kCstringArrayType);
}

TEST(CstringTest, InputOutputAndCasts) {
  Value v = ParseValue(" a b ", Type::Of(kCstringType));
  EXPECT_EQ(v.type.id, kCstringType);
  EXPECT_EQ(v.s, " a b ");
  EXPECT_EQ(FormatValue(v), " a b ");
  EXPECT_EQ(CastValue(v, Type::Of(TypeId::kText)).s, " a b ");
  EXPECT_EQ(CastValue(Value::Text("xy"), Type::Of(kCstringType)).s, "xy");
  // Explicitly to varchar(1): truncated.
  EXPECT_EQ(CastValue(v, Type{TypeId::kVarchar, 1}).s, " ");
  Value arr = ParseValue("{a,\"b c\"}", Type::Of(kCstringArrayType));
  EXPECT_EQ(FormatValue(arr), "{a,\"b c\"}");
}

TEST(CstringTest, PseudoColumnTypeName) {
  EXPECT_EQ(PseudoColumnTypeName(Type::Of(kCstringType)), "cstring");
  EXPECT_EQ(PseudoColumnTypeName(Type::Of(kCstringArrayType)), "cstring");
  EXPECT_EQ(PseudoColumnTypeName(Type::Of(kRecordType)), "record");
  EXPECT_EQ(PseudoColumnTypeName(Type::Of(TypeId::kVoid)), "void");
  EXPECT_EQ(PseudoColumnTypeName(Type::Of(TypeId::kText)), std::nullopt);
  EXPECT_EQ(PseudoColumnTypeName(Type::Of(kTextArrayType)), std::nullopt);
}

}  // namespace
}  // namespace activestore
