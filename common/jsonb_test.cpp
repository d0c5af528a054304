#include "common/jsonb.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

std::string RoundTrip(std::string_view text) { return JsonbToText(JsonbRoot(JsonbFromText(text))); }

TEST(JsonbTest, OutputIsPostgresNormalForm) {
  EXPECT_EQ(RoundTrip(R"({"b":[1,2],"a":1})"), R"({"a": 1, "b": [1, 2]})");
  EXPECT_EQ(RoundTrip(R"({"aa":1,"b":2,"a":3})"), R"({"a": 3, "b": 2, "aa": 1})");
  EXPECT_EQ(RoundTrip(R"({"a":1,"a":2})"), R"({"a": 2})");
  EXPECT_EQ(RoundTrip("1e2"), "100");
  EXPECT_EQ(RoundTrip("1.0"), "1.0");
  EXPECT_EQ(RoundTrip(R"("a\nb\u00e9")"), "\"a\\nb\xc3\xa9\"");
  EXPECT_EQ(RoundTrip("[]"), "[]");
  EXPECT_EQ(RoundTrip(" {} "), "{}");
  EXPECT_EQ(RoundTrip("[null, true, false, {\"x\": []}]"), R"([null, true, false, {"x": []}])");
}

TEST(JsonbTest, PrettyMatchesJsonbPretty) {
  const std::string v = JsonbFromText(R"({"a":{},"b":[1,{"c":2}]})");
  JsonbRef r = JsonbRoot(v);
  EXPECT_EQ(JsonbToText(r, true),
            "{\n    \"a\": {\n    },\n    \"b\": [\n        1,\n        {\n"
            "            \"c\": 2\n        }\n    ]\n}");
}

TEST(JsonbTest, ReadsInPlace) {
  const std::string v = JsonbFromText(R"({"k": [10, "x", {"deep": true}], "a": null})");
  JsonbRef root = JsonbRoot(v);
  ASSERT_EQ(root.kind(), JsonbKind::kObject);
  EXPECT_EQ(root.size(), 2u);
  EXPECT_EQ(root.key(0), "a");
  auto k = root.Find("k");
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(k->size(), 3u);
  EXPECT_EQ(k->element(0).str(), "10");
  EXPECT_EQ(k->element(1).str(), "x");
  EXPECT_EQ(k->element(2).Find("deep")->kind(), JsonbKind::kTrue);
  EXPECT_FALSE(root.Find("zz").has_value());
  EXPECT_EQ(JsonbToText(k->element(2)), R"({"deep": true})");
}

int Cmp(std::string_view a, std::string_view b) {
  return CompareJsonb(JsonbFromText(a), JsonbFromText(b));
}

TEST(JsonbTest, OrderIsPostgres) {
  EXPECT_EQ(Cmp("1.0", "1"), 0);
  EXPECT_EQ(HashJsonb(JsonbFromText("[1.0]")), HashJsonb(JsonbFromText("[1]")));
  EXPECT_LT(Cmp("null", "\"a\""), 0);
  EXPECT_LT(Cmp("\"a\"", "1"), 0);
  EXPECT_LT(Cmp("1", "true"), 0);
  EXPECT_LT(Cmp("false", "true"), 0);
  EXPECT_LT(Cmp("true", "[1]"), 0);  // a raw scalar before an array of one element
  EXPECT_LT(Cmp("[]", "null"), 0);   // fewer elements first
  EXPECT_LT(Cmp("[1, 2]", "{}"), 0);
  EXPECT_LT(Cmp(R"({"a": 1})", R"({"a": 1, "b": 2})"), 0);
  EXPECT_LT(Cmp(R"({"a": 1})", R"({"b": 0})"), 0);
  EXPECT_GT(Cmp("[2]", "[1]"), 0);
}

bool Contains(std::string_view a, std::string_view b) {
  const std::string x = JsonbFromText(a), y = JsonbFromText(b);
  return JsonbContains(JsonbRoot(x), JsonbRoot(y));
}

TEST(JsonbTest, Containment) {
  EXPECT_TRUE(Contains(R"({"a": 1, "b": [1, 2, {"c": 3}]})", R"({"b": [{"c": 3}, 1]})"));
  EXPECT_FALSE(Contains(R"({"a": 1})", R"({"a": 1.5})"));
  EXPECT_TRUE(Contains("[1, 2]", "1"));
  EXPECT_FALSE(Contains("1", "[1]"));
  EXPECT_TRUE(Contains("[1, [2]]", "[[2]]"));
  EXPECT_FALSE(Contains("[1, [2]]", "[2]"));
  EXPECT_FALSE(Contains(R"({"a": 1})", "[]"));
}

void ExpectError(std::string_view text, SqlState state, const std::string& detail,
                 const std::string& context) {
  try {
    (void)JsonbFromText(text);
    ADD_FAILURE() << text;
  } catch (const Error& e) {
    EXPECT_EQ(e.state(), state) << text;
    EXPECT_EQ(e.detail.value_or(""), detail) << text;
    EXPECT_EQ(e.context.value_or(""), context) << text;
  }
}

TEST(JsonTest, ErrorsArePostgres) {
  const auto bad = SqlState::kInvalidTextRepresentation;
  ExpectError("{\"a\":1, b}", bad, "Token \"b\" is invalid.", "JSON data, line 1: {\"a\":1, b...");
  ExpectError("[1,2", bad, "The input string ended unexpectedly.", "JSON data, line 1: [1,2");
  ExpectError("{\"a\" 1}", bad, "Expected \":\", but found \"1\".",
              "JSON data, line 1: {\"a\" 1...");
  ExpectError("\"\\v\"", bad, "Escape sequence \"\\v\" is invalid.", "JSON data, line 1: \"\\v...");
  ExpectError("\"\\u0000\"", SqlState::kUntranslatableCharacter,
              "\\u0000 cannot be converted to text.", "JSON data, line 1: \"\\u0000...");
  ExpectError("[1,\n2,\nx]", bad, "Token \"x\" is invalid.", "JSON data, line 3: x...");
  ExpectError("", bad, "The input string ended unexpectedly.", "JSON data, line 1: ");
  ExpectError("01", bad, "Token \"01\" is invalid.", "JSON data, line 1: 01");
  ExpectError("[1] 2", bad, "Expected end of input, but found \"2\".", "JSON data, line 1: [1] 2");
}

TEST(JsonTest, JsonKeepsText) {
  EXPECT_NO_THROW(ValidateJson(R"({"a":1,"a":2})"));
  EXPECT_NO_THROW(ValidateJson(R"("\u0000")"));  // json_in does not unescape
  JsonNode n = ParseJson(R"({"a": [1,  2], "a": 3})", false);
  ASSERT_EQ(n.keys.size(), 2u);
  EXPECT_EQ(n.items[0].end - n.items[0].begin, 7u);
}

}  // namespace
}  // namespace activestore

namespace activestore {
namespace {

TEST(JsonbTest, Casts) {
  Value j = ParseValue("{\"b\": 1, \"a\": [1.50]}", Type::Of(kJsonbType));
  EXPECT_EQ(CastValue(j, Type::Of(kJsonType)).s, R"({"a": [1.50], "b": 1})");
  Value n = ParseValue("12.5", Type::Of(kJsonbType));
  EXPECT_EQ(CastValue(n, Type::Of(TypeId::kInt32)).i, 13);
  EXPECT_EQ(CastValue(ParseValue("true", Type::Of(kJsonbType)), Type::Of(TypeId::kBool)).i, 1);
  Value back = CastValue(ParseValue("[1,  2]", Type::Of(kJsonType)), Type::Of(kJsonbType));
  EXPECT_EQ(FormatValue(back), "[1, 2]");
}

}  // namespace
}  // namespace activestore
