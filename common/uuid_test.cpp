#include "common/uuid.h"

#include <gtest/gtest.h>

#include <set>

#include "common/error.h"
#include "common/type_registry.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

constexpr const char* kU = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";

TEST(UuidTest, InputForms) {
  for (const char* text :
       {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
        "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "a0eebc999c0b4ef8bb6d6bb9bd380a11",
        "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", "{a0eebc999c0b4ef8bb6d6bb9bd380a11}",
        "a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11"}) {
    EXPECT_EQ(FormatUuid(ParseUuid(text)), kU) << text;
  }
}

TEST(UuidTest, BadInput) {
  for (const char* text :
       {"", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111",
        " a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11 ",
        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11",
        "a0e-ebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        "-a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}) {
    try {
      ParseUuid(text);
      ADD_FAILURE() << "accepted " << text;
    } catch (const Error& e) {
      EXPECT_EQ(e.state(), SqlState::kInvalidTextRepresentation);
      EXPECT_EQ(e.message(), std::string("invalid input syntax for type uuid: \"") + text + "\"");
    }
  }
}

TEST(UuidTest, ValueWordsOrderAndHash) {
  const Type uuid = Type::Of(TypeId::kUuid);
  Value a = ParseValue("00000000-0000-0000-0000-000000000001", uuid);
  Value b = ParseValue("80000000-0000-0000-0000-000000000000", uuid);
  Value c = ParseValue("00000000-0000-0000-8000-000000000000", uuid);
  Value d = ParseValue("00000000-0000-0000-7fff-ffffffffffff", uuid);
  EXPECT_LT(CompareValues(a, b), 0);  // unsigned: 0x80... is after 0x00...
  EXPECT_GT(CompareValues(c, d), 0);
  EXPECT_EQ(CompareValues(a, ParseValue("{00000000000000000000000000000001}", uuid)), 0);
  EXPECT_EQ(HashValue(a), HashValue(ParseValue("00000000000000000000000000000001", uuid)));
  EXPECT_NE(HashValue(a), HashValue(b));
  EXPECT_EQ(FormatValue(ParseValue(kU, uuid)), kU);
  EXPECT_EQ(CastValue(ParseValue(kU, uuid), Type::Of(TypeId::kText)).s, kU);
  EXPECT_EQ(FormatValue(CastValue(Value::Text(kU), uuid)), kU);
  EXPECT_EQ(UuidOf(b.i, b.i2)[0], 0x80);
  EXPECT_EQ(FormatUuid(UuidOf(UuidValue(ParseUuid(kU)).i, UuidValue(ParseUuid(kU)).i2)), kU);
  const TypeInfo& info = TypeInfoOf(TypeId::kUuid);
  EXPECT_EQ(info.layout, ValueLayout::kInt64Pair);
  EXPECT_EQ(info.array_oid, 2951u);
  std::string key;
  info.methods->key(b, &key);
  EXPECT_EQ(key, std::string("\x80") + std::string(15, '\0'));
}

TEST(UuidTest, RandomIsVersion4AndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string s = FormatUuid(RandomUuid());
    EXPECT_EQ(s[14], '4');
    EXPECT_NE(std::string("89ab").find(s[19]), std::string::npos) << s;
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace activestore
