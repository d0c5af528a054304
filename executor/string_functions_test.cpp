// The regular-expression and string functions of regex_functions.cpp / string_functions.cpp,
// called as the planner binds them (results as PostgreSQL 15 gives them).
#include "executor/executor_test_util.h"
#include "executor/functions.h"

namespace activestore::executor::testing {
namespace {

Type TTextArray() { return Type::Of(kTextArrayType); }

class StringFunctionTest : public ExecutorFixture {
 protected:
  // The rows of FROM call (a kFunctionScan of function_name "call").
  std::vector<std::string> Scan(BoundExprPtr call) {
    auto scan = Node(PlanKind::kFunctionScan, {call->type});
    scan->function_name = "call";
    scan->exprs = {std::move(call)};
    return Rows(*scan);
  }
};

TEST_F(StringFunctionTest, RegexOperatorsAndSubstring) {
  EXPECT_EQ(Eval1(Fn("textregexeq", TBool(), {Txt("abc"), Txt("^a.c$")})), "t");
  EXPECT_EQ(Eval1(Fn("texticregexeq", TBool(), {Txt("ABC"), Txt("b")})), "t");
  EXPECT_EQ(Eval1(Fn("textregexne", TBool(), {Txt("abc"), Txt("b")})), "f");
  EXPECT_EQ(Eval1(Fn("textregexeq", TBool(), {Txt("abc"), Null(TText())})), "NULL");
  EXPECT_SQLSTATE(Eval1(Fn("textregexeq", TBool(), {Txt("abc"), Txt("(a")})), "2201B",
                  "invalid regular expression: parentheses () not balanced");
  EXPECT_EQ(Eval1(Fn("textregexsubstr", TText(), {Txt("abcdefg"), Txt("b(.*)f")})), "cde");
  EXPECT_EQ(
      Eval1(Fn("similar_substring", TText(), {Txt("abcdefg"), Txt("a#\"(b_d)#\"%"), Txt("#")})),
      "bcd");
  EXPECT_EQ(Eval1(Fn("similar_to_escape", TText(), {Txt("a%_")})), "^(?:a.*.)$");
}

TEST_F(StringFunctionTest, RegexpFunctions) {
  EXPECT_EQ(Eval1(Fn("regexp_match", TTextArray(), {Txt("foobarbeque"), Txt("(bar)(beque)")})),
            "{bar,beque}");
  EXPECT_EQ(Eval1(Fn("regexp_replace", TText(),
                     {Txt("1112223333"), Txt("(\\d{3})(\\d{3})(\\d{4})"), Txt("(\\1) \\2-\\3")})),
            "(111) 222-3333");
  EXPECT_EQ(Eval1(Fn("regexp_replace", TText(), {Txt("AAA aaa"), Txt("A+"), Txt("Z"), Txt("gi")})),
            "Z Z");
  EXPECT_EQ(
      Eval1(Fn("regexp_replace", TText(),
               {Txt("A PostgreSQL function"), Txt("a|e|i|o|u"), Txt("X"), I4(1), I4(2), Txt("i")})),
      "A PXstgreSQL function");
  EXPECT_SQLSTATE(Eval1(Fn("regexp_replace", TText(), {Txt("a"), Txt("a"), Txt("X"), Txt("1")})),
                  "22023", "invalid regular expression option: \"1\"");
  EXPECT_EQ(Eval1(Fn("regexp_split_to_array", TTextArray(), {Txt("a b  c"), Txt("\\s+")})),
            "{a,b,c}");
  EXPECT_EQ(Eval1(Fn("regexp_count", TInt4(), {Txt("123123123"), Txt("123"), I4(3)})), "2");
  EXPECT_EQ(Eval1(Fn("regexp_instr", TInt4(), {Txt("abcabcabc"), Txt("a.c"), I4(1), I4(3)})), "7");
  EXPECT_EQ(Eval1(Fn("regexp_like", TBool(), {Txt("Steven"), Txt("^Ste(v|ph)en$")})), "t");
  EXPECT_EQ(Eval1(Fn("regexp_substr", TText(),
                     {Txt("1234567890"), Txt("(123)(4(56)(78))"), I4(1), I4(1), Txt("i"), I4(2)})),
            "45678");
  EXPECT_SQLSTATE(Eval1(Fn("regexp_like", TBool(), {Txt("abc"), Txt("a"), Txt("g")})), "22023",
                  "regexp_like() does not support the \"global\" option");
  EXPECT_SQLSTATE(Eval1(Fn("regexp_count", TInt4(), {Txt("abc"), Txt("a"), I4(0)})), "22023",
                  "invalid value for parameter \"start\": 0");
}

TEST_F(StringFunctionTest, SetReturningFunctions) {
  ASSERT_TRUE(IsSetFunction("regexp_matches"));
  EXPECT_EQ(Scan(Fn("regexp_matches", TTextArray(), {Txt("a1b22"), Txt("[a-z](\\d+)"), Txt("g")})),
            (std::vector<std::string>{"{1}", "{22}"}));
  EXPECT_EQ(Scan(Fn("regexp_split_to_table", TText(), {Txt("a,b"), Txt(",")})),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(Scan(Fn("regexp_split_to_table", TText(), {Txt("a,b"), Null(TText())})).empty());
  EXPECT_EQ(Scan(Fn("upper", TText(), {Txt("x")})), (std::vector<std::string>{"X"}));
}

TEST_F(StringFunctionTest, FormatAndQuoting) {
  EXPECT_EQ(Eval1(Fn("format", TText(), {Txt("%s|%I|%L|%%"), Txt("a b"), Txt("Tab"), I4(10)})),
            "a b|\"Tab\"|'10'|%");
  EXPECT_EQ(Eval1(Fn("format", TText(), {Txt(">>%-5s<<%2$*1$s"), I4(3), Txt("x")})),
            ">>3    <<  x");
  EXPECT_SQLSTATE(Eval1(Fn("format", TText(), {Txt("%s %s"), Txt("a")})), "22023",
                  "too few arguments for format()");
  EXPECT_SQLSTATE(Eval1(Fn("format", TText(), {Txt("%1$"), Txt("a")})), "22023",
                  "unterminated format() type specifier");
  EXPECT_EQ(Eval1(Fn("quote_ident", TText(), {Txt("select")})), "\"select\"");
  EXPECT_EQ(Eval1(Fn("quote_literal", TText(), {Txt("it's \\")})), "E'it''s \\\\'");
  EXPECT_EQ(Eval1(Fn("quote_nullable", TText(), {Null(TText())})), "NULL");
}

TEST_F(StringFunctionTest, MoreStringFunctions) {
  EXPECT_EQ(Eval1(Fn("split_part", TText(), {Txt("a@b@c"), Txt("@"), I4(-1)})), "c");
  EXPECT_SQLSTATE(Eval1(Fn("split_part", TText(), {Txt("a"), Txt("@"), I4(0)})), "22023",
                  "field position must not be zero");
  EXPECT_EQ(Eval1(Fn("chr", TText(), {I4(233)})), "\xC3\xA9");
  EXPECT_SQLSTATE(Eval1(Fn("chr", TText(), {I4(0)})), "54000", "null character not permitted");
  EXPECT_EQ(Eval1(Fn("ascii", TInt4(), {Txt("\xC3\xA9")})), "233");
  EXPECT_EQ(Eval1(Fn("translate", TText(), {Txt("12345"), Txt("143"), Txt("ax")})), "a2x5");
  EXPECT_EQ(Eval1(Fn("to_hex", TText(), {I4(-1)})), "ffffffff");
  EXPECT_EQ(Eval1(Fn("starts_with", TBool(), {Txt("alphabet"), Txt("alph")})), "t");
  EXPECT_EQ(Eval1(Fn("textoverlay", TText(), {Txt("h\xC3\xA9llo"), Txt("E"), I4(2), I4(1)})),
            "hEllo");
  EXPECT_EQ(Eval1(Fn("unistr", TText(), {Txt("d\\u0061t\\+000061")})), "data");
  EXPECT_SQLSTATE(Eval1(Fn("unistr", TText(), {Txt("\\db99")})), "42601",
                  "invalid Unicode surrogate pair");
  EXPECT_EQ(Eval1(Fn("parse_ident", TTextArray(), {Txt("Sch.\"Tab\"")})), "{sch,Tab}");
  EXPECT_SQLSTATE(Eval1(Fn("parse_ident", TTextArray(), {Txt("a.")})), "22023",
                  "string is not a valid identifier: \"a.\"");
}

}  // namespace
}  // namespace activestore::executor::testing
