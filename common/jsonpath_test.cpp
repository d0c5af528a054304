#include "common/jsonpath.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "common/jsonb.h"
#include "common/jsonpath_datetime.h"
#include "common/jsonpath_exec.h"
#include "common/timezone.h"

namespace activestore {
namespace {

std::string Canon(std::string_view text) { return JsonPathToText(JsonPathFromText(text)); }

// The error a jsonpath input raises: "SQLSTATE message".
std::string InputError(std::string_view text) {
  try {
    JsonPathFromText(text);
  } catch (const Error& e) {
    return std::string(SqlStateCode(e.state())) + " " + e.what();
  }
  return "no error";
}

TEST(JsonPathParseTest, CanonicalOutputAsPostgres) {
  EXPECT_EQ(Canon("$"), "$");
  EXPECT_EQ(Canon("lax $"), "$");
  EXPECT_EQ(Canon("strict $.a"), "strict $.\"a\"");
  EXPECT_EQ(Canon("$.a.**{2 to 2}.b"), "$.\"a\".**{2}.\"b\"");
  EXPECT_EQ(Canon("$.a.**{last to 5}"), "$.\"a\".**{last to 5}");
  EXPECT_EQ(Canon("$.a.**{0 to last}"), "$.\"a\".**");
  EXPECT_EQ(Canon("$--+1"), "($ - -1)");
  EXPECT_EQ(Canon("1 * 2 + 4 % -3 != false"), "(1 * 2 + 4 % -3 != false)");
  EXPECT_EQ(Canon("$.g ? (+@.x >= +-(+@.a + 2))"), "$.\"g\"?(+@.\"x\" >= +(-(+@.\"a\" + 2)))");
  EXPECT_EQ(Canon("$.a[$a + 1, ($b[*]) to -($[0] * 2)]"),
            "$.\"a\"[$\"a\" + 1,$\"b\"[*] to -($[0] * 2)]");
  EXPECT_EQ(Canon("((($ + 1)).a + ((2)).b ? ((((@ > 1)) || (exists(@.c)))))"),
            "(($ + 1).\"a\" + (2).\"b\"?(@ > 1 || exists (@.\"c\")))");
  EXPECT_EQ(Canon("$ ? (@ like_regex \"p\" flag \"smixq\")"),
            "$?(@ like_regex \"p\" flag \"ismxq\")");
  EXPECT_EQ(Canon("1.2.e3"), "(1.2).\"e3\"");
  EXPECT_EQ(Canon("1..e"), "(1).\"e\"");
  EXPECT_EQ(Canon("0.0010e-1"), "0.00010");
  EXPECT_EQ(Canon("$[last]"), "$[last]");
  EXPECT_EQ(Canon("$.datetime(\"HH24\")"), "$.datetime(\"HH24\")");
  EXPECT_EQ(Canon("\"\\b\\f\\r\\n\\t\\v\\\"'\\\\\""), "\"\\b\\f\\r\\n\\t\\u000b\\\"'\\\\\"");
  EXPECT_EQ(Canon("\"\\x50\\u0067\\u{53}\\u{051}\\u{00004C}\""), "\"PgSQL\"");
  EXPECT_EQ(Canon("$.foo\\x50\\u0067\\t\\\"bar"), "$.\"fooPg\\t\\\"bar\"");
  EXPECT_EQ(Canon("$a"), "$\"a\"");
  EXPECT_EQ(Canon("$.last.type()"), "$.\"last\".type()");
}

TEST(JsonPathParseTest, ErrorsAsPostgres) {
  EXPECT_EQ(InputError(""), "22P02 invalid input syntax for type jsonpath: \"\"");
  EXPECT_EQ(InputError("1a"),
            "42601 trailing junk after numeric literal at or near \"1a\" of "
            "jsonpath input");
  EXPECT_EQ(InputError("1.type()"),
            "42601 trailing junk after numeric literal at or near \"1.t\" of jsonpath input");
  EXPECT_EQ(InputError("1e+"),
            "42601 invalid numeric literal at or near \"1e+\" of jsonpath input");
  EXPECT_EQ(InputError("$ = 1"), "42601 syntax error at or near \"=\" of jsonpath input");
  EXPECT_EQ(InputError("$.a b c"), "42601 syntax error at or near \" \" of jsonpath input");
  EXPECT_EQ(InputError("$.a b"), "42601 syntax error at end of jsonpath input");
  EXPECT_EQ(InputError("$ ? (@ + 1)"), "42601 syntax error at or near \")\" of jsonpath input");
  EXPECT_EQ(InputError("strict"), "42601 syntax error at end of jsonpath input");
  EXPECT_EQ(InputError("@ + 1"), "42601 @ is not allowed in root expressions");
  EXPECT_EQ(InputError("last"), "42601 LAST is allowed only in array subscripts");
  EXPECT_EQ(InputError("\"abc"), "42601 unexpected end of quoted string at end of jsonpath input");
  EXPECT_EQ(InputError("\"\\u00\""),
            "42601 invalid unicode sequence at or near \"\\u00\" of jsonpath input");
  EXPECT_EQ(InputError("\"\\x4\""),
            "42601 invalid hex character sequence at or near \"\\x4\" of jsonpath input");
  EXPECT_EQ(InputError("\"\\u0000\""), "22P05 unsupported Unicode escape sequence");
  EXPECT_EQ(InputError("\"\\ud83d\\ud83d\""), "22P02 invalid input syntax for type jsonpath");
  EXPECT_EQ(InputError("$ ? (@ like_regex \"x\" flag \"a\")"),
            "42601 invalid input syntax for type jsonpath");
  EXPECT_EQ(InputError("$ ? (@ like_regex \"x\" flag \"x\")"),
            "0A000 XQuery \"x\" flag (expanded regular expressions) is not implemented");
  EXPECT_EQ(InputError("$.a/* x"), "42601 unexpected end of comment at end of jsonpath input");
  // Nesting the parser cannot take is 54001, not a crash.
  EXPECT_EQ(InputError(std::string(5000, '(') + "$" + std::string(5000, ')')),
            "54001 stack depth limit exceeded");
  EXPECT_EQ(InputError(std::string(5000, '-') + "$"), "54001 stack depth limit exceeded");
  EXPECT_EQ(Canon(std::string(500, '(') + "$" + std::string(500, ')')), "$");
}

// The items of `path` over `json` as text, joined by "|"; "error" for a silent error.
std::string Query(std::string_view json, std::string_view path, std::string_view vars = "{}",
                  bool silent = false) {
  const std::string p = JsonPathFromText(path);
  const std::string j = JsonbFromText(json);
  const std::string v = JsonbFromText(vars);
  std::vector<std::string> out;
  if (ExecuteJsonPath(p, j, v, !silent, false, &out) == JsonPathStatus::kError) return "error";
  std::string s;
  for (const std::string& o : out) {
    if (!s.empty()) s += "|";
    s += JsonbToText(JsonbRoot(o));
  }
  return s;
}

std::string QueryError(std::string_view json, std::string_view path) {
  try {
    Query(json, path);
  } catch (const Error& e) {
    return std::string(SqlStateCode(e.state())) + " " + e.what();
  }
  return "no error";
}

TEST(JsonPathExecTest, Accessors) {
  EXPECT_EQ(Query(R"({"a": {"b": 1}})", "$.a.b"), "1");
  EXPECT_EQ(Query(R"({"a": [1, 2, 3]})", "$.a[*]"), "1|2|3");
  EXPECT_EQ(Query(R"({"a": [1, 2, 3]})", "$.a[1 to last]"), "2|3");
  EXPECT_EQ(Query(R"({"a": [1, 2, 3]})", "$.a[last - 1, 0]"), "2|1");
  EXPECT_EQ(Query(R"({"a": 1, "b": 2})", "$.*"), "1|2");
  EXPECT_EQ(Query(R"([{"a": 1}, {"a": 2}])", "$.a"), "1|2");  // lax unwraps
  EXPECT_EQ(Query(R"({"a": 1})", "$[0]"), "{\"a\": 1}");      // lax wraps
  EXPECT_EQ(Query(R"({"a": {"b": {"c": 1}}})", "$.**{2}"), "{\"c\": 1}");
  // Lax mode finds c both in the object and through the unwrapped array, as PostgreSQL does.
  EXPECT_EQ(Query(R"({"a": [1, {"c": 2}]})", "$.**.c"), "2|2");
  EXPECT_EQ(Query(R"({"a": [1, {"c": 2}]})", "strict $.**.c"), "2");
  EXPECT_EQ(Query(R"({"a": 1})", "lax $.b"), "");
  EXPECT_EQ(Query("[1]", "strict $[1]", "{}", true), "error");
  EXPECT_EQ(QueryError("[1]", "strict $[1]"), "22033 jsonpath array subscript is out of bounds");
  EXPECT_EQ(QueryError(R"({"a": 1})", "strict $.b"),
            "2203A JSON object does not contain key \"b\"");
  EXPECT_EQ(QueryError("1", "strict $.*"),
            "2203C jsonpath wildcard member accessor can only be applied to an object");
  EXPECT_EQ(QueryError("1", "strict $[*]"),
            "22039 jsonpath wildcard array accessor can only be applied to an array");
}

TEST(JsonPathExecTest, FiltersAndPredicates) {
  EXPECT_EQ(Query("[1, 2, 3, \"x\"]", "$[*] ? (@ > 1)"), "2|3");
  EXPECT_EQ(Query("[1, 2, 3]", "$[*] ? (@ > $min)", R"({"min": 2})"), "3");
  EXPECT_EQ(Query("[1, null, \"a\"]", "$[*] ? (@ != null)"), "1|\"a\"");
  EXPECT_EQ(Query("[\"abc\", \"xbc\"]", "$[*] ? (@ starts with \"a\")"), "\"abc\"");
  EXPECT_EQ(Query("[\"Abc\", \"xbc\"]", "$[*] ? (@ like_regex \"^a\" flag \"i\")"), "\"Abc\"");
  EXPECT_EQ(Query("[1, \"a\"]", "$[*] ? ((@ > 0) is unknown)"), "\"a\"");
  EXPECT_EQ(Query(R"([{"a": 1}, {"b": 2}])", "$[*] ? (exists (@.a))"), "{\"a\": 1}");
  EXPECT_EQ(Query("[1, 2]", "$[*] ? (!(@ == 1))"), "2");
  EXPECT_EQ(Query("{\"a\": [1, 2]}", "$.a[*] > 1"), "true");
  EXPECT_EQ(Query("{\"a\": [1, \"x\"]}", "strict $.a[*] > 1"), "null");  // an error: unknown
  EXPECT_EQ(Query("{\"a\": [1, \"x\"]}", "lax $.a[*] > 0"), "true");
}

TEST(JsonPathExecTest, ArithmeticAndMethods) {
  EXPECT_EQ(Query("{\"a\": 2}", "$.a * 3 + 1"), "7");
  EXPECT_EQ(Query("[1, 2]", "-$[*]"), "-1|-2");
  EXPECT_EQ(Query("[1, -2.5]", "$[*].abs().ceiling()"), "1|3");
  EXPECT_EQ(Query("[1, [2, 3], {}]", "$.size()"), "3");
  EXPECT_EQ(Query("[1, [2, 3], {}]", "$[*].size()"), "1|2|1");
  EXPECT_EQ(Query("[\"1.5\", 2]", "$[*].double()"), "1.5|2");
  EXPECT_EQ(Query("[null, true, 1, \"s\", [], {}]", "$[*].type()"),
            "\"null\"|\"boolean\"|\"number\"|\"string\"|\"array\"|\"object\"");
  EXPECT_EQ(Query(R"([{"a": 1, "b": [1, 2]}, {"c": {"a": "bbb"}}])", "$[*].keyvalue()"),
            R"({"id": 12, "key": "a", "value": 1}|{"id": 12, "key": "b", "value": [1, 2]}|)"
            R"({"id": 72, "key": "c", "value": {"a": "bbb"}})");
  EXPECT_EQ(QueryError("0", "1 / $"), "22012 division by zero");
  EXPECT_EQ(Query("0", "1 / $", "{}", true), "error");
  EXPECT_EQ(QueryError("[1, 2]", "$[*] + 1"),
            "22038 left operand of jsonpath operator + is not a single numeric value");
  EXPECT_EQ(QueryError("\"a\"", "-$"),
            "2203B operand of unary jsonpath operator - is not a numeric value");
  EXPECT_EQ(QueryError("\"x\"", "$.double()"),
            "22036 string argument of jsonpath item method .double() is not a valid "
            "representation of a double precision number");
  EXPECT_EQ(QueryError("1", "$x"), "42704 could not find jsonpath variable \"x\"");
}

std::string Dt(std::string_view text, std::optional<std::string_view> tmpl = std::nullopt) {
  try {
    const JsonPathDatetime d = ParseJsonPathDatetime(text, tmpl);
    return std::string(JsonPathDatetimeTypeName(d.type)) + " " + JsonPathDatetimeText(d);
  } catch (const Error& e) {
    return std::string(SqlStateCode(e.state())) + " " + e.what();
  }
}

TEST(JsonPathDatetimeTest, StrictTemplates) {
  EXPECT_EQ(Dt("10-03-2017", "dd-mm-yyyy"), "date 2017-03-10");
  EXPECT_EQ(Dt("10-03-2017 12:34 -05:20", "dd-mm-yyyy HH24:MI TZH:TZM"),
            "timestamp with time zone 2017-03-10T12:34:00-05:20");
  EXPECT_EQ(Dt("12:34 pm", "HH:MI am"), "time without time zone 12:34:00");
  EXPECT_EQ(Dt("12:34 +05", "HH24:MI TZH"), "time with time zone 12:34:00+05:00");
  EXPECT_EQ(Dt("10-03-2017 12:34", "dd-mm-yyyy"),
            "22007 trailing characters remain in input string after datetime format");
  EXPECT_EQ(Dt("12:34", "HH24:MI TZH"), "22007 input string is too short for datetime format");
  EXPECT_EQ(Dt("10-03-2017t12:34:56", "dd-mm-yyyy\"T\"HH24:MI:SS"),
            "22007 unmatched format character \"T\"");
  EXPECT_EQ(Dt("12:34", "aaa"), "22007 invalid datetime format separator: \"a\"");
  EXPECT_EQ(Dt("aaaa", "HH24"), "22007 invalid value \"aa\" for \"HH24\"");
  EXPECT_EQ(Dt("1", "TZH"), "22007 datetime format is not dated and not timed");
  EXPECT_EQ(Dt("Mar 10", "Mon DD"),
            "0A000 datetime format pattern \"Mon\" is not supported in jsonpath yet");
  EXPECT_EQ(Dt("1234", "SSSS"),
            "0A000 datetime format pattern \"SSSS\" is not supported in jsonpath yet");
  EXPECT_EQ(Dt("2017 069", "YYYY DDD"), "date 2017-03-10");
  EXPECT_EQ(Dt("17-03-10", "YY-MM-DD"), "date 2017-03-10");
  EXPECT_EQ(Dt("12:34:56.1234", "HH24:MI:SS.FF3"), "time without time zone 12:34:56.123");
  EXPECT_EQ(Dt("12:34:56.5", "HH24:MI:SS.MS"), "time without time zone 12:34:56.5");
  EXPECT_EQ(Dt("10-03-2017 25:00", "dd-mm-yyyy HH24:MI"),
            "22008 date/time field value out of range: \"10-03-2017 25:00\"");
}

TEST(JsonPathDatetimeTest, IsoFormatsAndComparisons) {
  EXPECT_EQ(Dt("2017-03-10"), "date 2017-03-10");
  EXPECT_EQ(Dt("2017-03-10T12:34:56.789+3:10"),
            "timestamp with time zone 2017-03-10T12:34:56.789+03:10");
  EXPECT_EQ(Dt("12:34:56+3"), "time with time zone 12:34:56+03:00");
  EXPECT_EQ(Dt("2017-03-10t12:34:56"),
            "22031 datetime format is not recognized: \"2017-03-10t12:34:56\"");
  const TimeZone& utc = *TimeZone::Utc();
  const JsonPathDatetime date = ParseJsonPathDatetime("2017-03-10", std::nullopt);
  const JsonPathDatetime ts = ParseJsonPathDatetime("2017-03-10 00:00:00", std::nullopt);
  const JsonPathDatetime tstz = ParseJsonPathDatetime("2017-03-10 03:00:00+03", std::nullopt);
  const JsonPathDatetime time = ParseJsonPathDatetime("12:00:00", std::nullopt);
  EXPECT_EQ(CompareJsonPathDatetimes(date, ts, false, utc), 0);
  EXPECT_EQ(CompareJsonPathDatetimes(date, tstz, true, utc), 0);
  EXPECT_FALSE(CompareJsonPathDatetimes(date, time, false, utc).has_value());
  EXPECT_THROW(CompareJsonPathDatetimes(date, tstz, false, utc), Error);
  const JsonPathDatetime far = ParseJsonPathDatetime("1000000-01-01", std::nullopt);
  EXPECT_EQ(CompareJsonPathDatetimes(far, ts, false, utc), 1);
}

}  // namespace
}  // namespace activestore
