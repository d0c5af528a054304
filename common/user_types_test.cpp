#include "common/user_types.h"

#include <gtest/gtest.h>

#include <limits>
#include <thread>

#include "common/array.h"
#include "common/error.h"
#include "common/type_registry.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

// Oids far above what a test catalog hands out, one pair per test.
constexpr uint32_t kColors = 4000001, kColorsArray = 4000002;

TEST(UserTypesTest, PayloadOrderIsSortOrder) {
  const double orders[] = {-1e300, -3.5, -1, -0.25, 0, 0.25, 1, 1.5, 1.75, 2, 3, 1e300};
  for (size_t i = 0; i + 1 < std::size(orders); ++i) {
    EXPECT_LT(EnumPayload(orders[i]), EnumPayload(orders[i + 1])) << orders[i];
    EXPECT_EQ(EnumSortOrder(EnumPayload(orders[i])), orders[i]);
  }
  EXPECT_EQ(EnumPayload(-0.0), EnumPayload(0.0));
}

TEST(UserTypesTest, RegisterAndLookUp) {
  RegisterEnumType(kColors, kColorsArray, "colors", {{1, "red"}, {1.5, "orange"}, {2, "green"}});
  const TypeInfo* t = FindTypeByOid(kColors);
  ASSERT_NE(t, nullptr);
  EXPECT_STREQ(t->typname, "colors");
  EXPECT_EQ(t->category, TypeCategory::kEnum);
  EXPECT_EQ(t->array_oid, kColorsArray);
  EXPECT_EQ(t->layout, ValueLayout::kInt64);
  EXPECT_TRUE(IsEnumType(static_cast<TypeId>(kColors)));
  EXPECT_FALSE(IsEnumType(TypeId::kInt32));
  EXPECT_EQ(TypeName(Type::Of(static_cast<TypeId>(kColors))), "colors");

  const TypeInfo* a = FindTypeByOid(kColorsArray);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->elem, kColors);
  EXPECT_TRUE(IsArrayType(static_cast<TypeId>(kColorsArray)));
  EXPECT_EQ(ArrayTypeOf(static_cast<TypeId>(kColors)), static_cast<TypeId>(kColorsArray));
  EXPECT_EQ(TypeName(Type::Of(static_cast<TypeId>(kColorsArray))), "colors[]");
  EXPECT_EQ(FindTypeByOid(4000999), nullptr);
}

TEST(UserTypesTest, InputOutputOrder) {
  RegisterEnumType(kColors, kColorsArray, "colors", {{1, "red"}, {1.5, "orange"}, {2, "green"}});
  Type colors = Type::Of(static_cast<TypeId>(kColors));
  Value red = ParseValue("red", colors);
  Value orange = ParseValue("orange", colors);
  Value green = ParseValue("green", colors);
  EXPECT_EQ(FormatValue(orange), "orange");
  EXPECT_LT(CompareValues(red, orange), 0);
  EXPECT_LT(CompareValues(orange, green), 0);
  EXPECT_EQ(CompareValues(green, ParseValue("green", colors)), 0);
  EXPECT_EQ(HashValue(red), HashValue(ParseValue("red", colors)));
  // Text casts go through the label.
  EXPECT_EQ(CastValue(orange, Type::Of(TypeId::kText), {}).s, "orange");
  EXPECT_EQ(CompareValues(CastValue(Value::Text("green"), colors, {}), green), 0);
  try {
    ParseValue("mauve", colors);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.state(), SqlState::kInvalidTextRepresentation);
    EXPECT_EQ(e.message(), "invalid input value for enum colors: \"mauve\"");
  }
  // Arrays of the enum.
  Value arr = ParseValue("{green,red}", Type::Of(static_cast<TypeId>(kColorsArray)));
  EXPECT_EQ(FormatValue(arr), "{green,red}");
}

TEST(UserTypesTest, NewDefinitionKeepsStoredValues) {
  constexpr uint32_t kT = 4000011, kTArray = 4000012;
  RegisterEnumType(kT, kTArray, "moods", {{1, "sad"}, {2, "happy"}});
  Type moods = Type::Of(static_cast<TypeId>(kT));
  Value happy = ParseValue("happy", moods);
  const TypeInfo& before = TypeInfoOf(static_cast<TypeId>(kT));
  // ADD VALUE 'ok' BEFORE 'happy', then RENAME VALUE 'sad' TO 'blue', then RENAME TO.
  RegisterEnumType(kT, kTArray, "moods", {{1, "sad"}, {1.5, "ok"}, {2, "happy"}});
  RegisterEnumType(kT, kTArray, "feelings", {{1, "blue"}, {1.5, "ok"}, {2, "happy"}});
  EXPECT_STREQ(before.typname, "moods");  // an old entry stays valid
  EXPECT_STREQ(TypeInfoOf(static_cast<TypeId>(kT)).typname, "feelings");
  EXPECT_EQ(FormatValue(happy), "happy");
  EXPECT_LT(CompareValues(ParseValue("ok", moods), happy), 0);
  EXPECT_LT(CompareValues(ParseValue("blue", moods), ParseValue("ok", moods)), 0);
  EXPECT_THROW(ParseValue("sad", moods), Error);
  auto labels = EnumLabelsOf(static_cast<TypeId>(kT));
  ASSERT_NE(labels, nullptr);
  ASSERT_EQ(labels->size(), 3u);
  EXPECT_EQ((*labels)[1].label, "ok");
}

TEST(UserTypesTest, ConcurrentReadersAndWriters) {
  constexpr uint32_t kT = 4000021, kTArray = 4000022;
  RegisterEnumType(kT, kTArray, "busy", {{1, "a"}});
  Type busy = Type::Of(static_cast<TypeId>(kT));
  std::thread writer([&] {
    std::vector<EnumLabel> labels{{1, "a"}};
    for (int i = 2; i < 200; ++i) {
      labels.push_back({static_cast<double>(i), "l" + std::to_string(i)});
      RegisterEnumType(kT, kTArray, "busy", labels);
    }
  });
  for (int i = 0; i < 2000; ++i) {
    Value a = ParseValue("a", busy);
    EXPECT_EQ(FormatValue(a), "a");
  }
  writer.join();
  EXPECT_EQ(EnumLabelsOf(static_cast<TypeId>(kT))->size(), 199u);
}

}  // namespace
}  // namespace activestore
