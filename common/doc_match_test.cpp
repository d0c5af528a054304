#include "common/doc_match.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace activestore {
namespace {

bool Match(std::string_view doc, std::string_view filter) {
  return DocMatch(JsonbFromText(doc), JsonbFromText(filter));
}

SqlState ErrorOf(std::string_view filter) {
  try {
    DocFilter::Compile(JsonbFromText(filter));
  } catch (const Error& e) {
    return e.state();
  }
  return SqlState::kSuccessfulCompletion;
}

TEST(DocMatchTest, ImplicitEqualityAndPaths) {
  EXPECT_TRUE(Match(R"({"a": 1})", R"({"a": 1.0})"));
  EXPECT_FALSE(Match(R"({"a": "1"})", R"({"a": 1})"));
  EXPECT_TRUE(Match(R"({"a": {"b": {"c": 3}}})", R"({"a.b.c": 3})"));
  EXPECT_TRUE(Match(R"({"a": [{"b": 1}, {"b": 2}]})", R"({"a.b": 2})"));
  EXPECT_TRUE(Match(R"({"a": [{"b": 1}, {"b": 2}]})", R"({"a.1.b": 2})"));
  EXPECT_FALSE(Match(R"({"a": [{"b": 1}, {"b": 2}]})", R"({"a.0.b": 2})"));
  EXPECT_TRUE(Match("{}", "{}"));
  EXPECT_TRUE(Match("[1]", "{}"));  // not an object: every field is missing
  EXPECT_TRUE(Match("[1]", R"({"a": null})"));
}

TEST(DocMatchTest, ArraysMatchByElementOrWhole) {
  EXPECT_TRUE(Match(R"({"a": [1, 2]})", R"({"a": 2})"));
  EXPECT_TRUE(Match(R"({"a": [1, 2]})", R"({"a": [1, 2]})"));
  EXPECT_FALSE(Match(R"({"a": [[1, 2]]})", R"({"a": 1})"));
  EXPECT_TRUE(Match(R"({"a": [[1, 2]]})", R"({"a": [1, 2]})"));
  EXPECT_FALSE(Match(R"({"a": [1, 2]})", R"({"a": {"$ne": 1}})"));
}

TEST(DocMatchTest, TypeBracketingAndNull) {
  EXPECT_FALSE(Match(R"({"a": "b"})", R"({"a": {"$gt": 1}})"));
  EXPECT_TRUE(Match(R"({"a": 10})", R"({"a": {"$gt": 9.5}})"));
  EXPECT_TRUE(Match("{}", R"({"a": null})"));
  EXPECT_TRUE(Match("{}", R"({"a": {"$gte": null}})"));
  EXPECT_FALSE(Match("{}", R"({"a": {"$gt": null}})"));
  EXPECT_FALSE(Match("{}", R"({"a": {"$ne": null}})"));
  EXPECT_TRUE(Match(R"({"a": true})", R"({"a": {"$gt": false}})"));
}

TEST(DocMatchTest, Operators) {
  EXPECT_TRUE(Match(R"({"a": [3, 9]})", R"({"a": {"$elemMatch": {"$gt": 2, "$lt": 4}}})"));
  EXPECT_FALSE(Match(R"({"a": [1, 9]})", R"({"a": {"$elemMatch": {"$gt": 2, "$lt": 4}}})"));
  EXPECT_TRUE(Match(R"({"a": [1, 9]})", R"({"a": {"$gt": 2, "$lt": 4}})"));
  EXPECT_TRUE(Match(R"({"t": ["x", "y", "z"]})", R"({"t": {"$all": ["z", "x"], "$size": 3}})"));
  EXPECT_TRUE(Match(R"({"s": "Hello"})", R"({"s": {"$regex": "^hel", "$options": "i"}})"));
  EXPECT_FALSE(Match(R"({"s": "a\nb"})", R"({"s": {"$regex": "a.b"}})"));
  EXPECT_TRUE(Match(R"({"s": "a\nb"})", R"({"s": {"$regex": "a.b", "$options": "s"}})"));
  EXPECT_TRUE(Match(R"({"n": 7})", R"({"n": {"$mod": [4, 3]}})"));
  EXPECT_TRUE(Match(R"({"n": 7})", R"({"n": {"$type": "int"}})"));
  EXPECT_TRUE(Match(R"({"n": 7.5})", R"({"n": {"$type": "double"}})"));
  EXPECT_TRUE(Match(R"({"n": 1})", R"({"$nor": [{"n": 2}, {"m": {"$exists": true}}]})"));
  EXPECT_TRUE(Match(R"({"n": 1})", R"({"n": {"$not": {"$in": [2, 3]}}})"));
}

TEST(DocMatchTest, Errors) {
  EXPECT_EQ(ErrorOf(R"({"a": {"$bogus": 1}})"), SqlState::kInvalidParameterValue);
  EXPECT_EQ(ErrorOf(R"({"$bogus": 1})"), SqlState::kInvalidParameterValue);
  EXPECT_EQ(ErrorOf(R"({"$where": "1"})"), SqlState::kFeatureNotSupported);
  EXPECT_EQ(ErrorOf(R"({"a": {"$bitsAllSet": 1}})"), SqlState::kFeatureNotSupported);
  EXPECT_EQ(ErrorOf(R"({"a": {"$regex": "["}})"), SqlState::kInvalidRegularExpression);
  EXPECT_EQ(ErrorOf("[]"), SqlState::kInvalidParameterValue);
  EXPECT_EQ(ErrorOf(R"({"a": {"$in": 1}})"), SqlState::kInvalidParameterValue);
  EXPECT_EQ(ErrorOf(R"({"a": {"$gt": 1}, "$comment": "x"})"), SqlState::kSuccessfulCompletion);
}

}  // namespace
}  // namespace activestore
