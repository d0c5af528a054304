#include "common/composite.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "common/type_registry.h"
#include "common/user_types.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

// Oids far above what a test catalog hands out.
constexpr uint32_t kPair = 4100001, kPairArray = 4100002;

std::string Sqlstate(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return std::string(SqlStateCode(e.state())) + " " + e.what();
  }
  return "ok";
}

TEST(CompositeTest, OutputQuotesAsRecordOut) {
  // Expected texts from PostgreSQL 15: select row(...)::text.
  const FormatOptions opts;
  auto out = [&](std::vector<Value> fields) {
    return FormatRecord(MakeRecordBlob(Type::Of(kRecordType), fields), opts);
  };
  EXPECT_EQ(out({Value::Int32(1), Value::Text("x")}), "(1,x)");
  EXPECT_EQ(out({Value::Int32(1), Value::Null(Type::Of(TypeId::kText))}), "(1,)");
  EXPECT_EQ(out({Value::Text("")}), "(\"\")");
  EXPECT_EQ(out({Value::Text("a b")}), "(\"a b\")");
  EXPECT_EQ(out({Value::Text("a\"b")}), "(\"a\"\"b\")");
  EXPECT_EQ(out({Value::Text("a\\b")}), "(\"a\\\\b\")");
  EXPECT_EQ(out({Value::Text("(x,y)")}), "(\"(x,y)\")");
  EXPECT_EQ(out({}), "()");
  // A nested row is quoted as any text with parentheses and commas.
  Value inner = MakeRecordValue(Type::Of(kRecordType), {Value::Int32(1), Value::Text("a b")});
  EXPECT_EQ(out({inner, Value::Int32(2)}), "(\"(1,\"\"a b\"\")\",2)");
}

TEST(CompositeTest, ParseLiteralAsRecordIn) {
  using Texts = std::vector<std::optional<std::string>>;
  EXPECT_EQ(ParseRecordLiteral("(1,x)", 2), (Texts{"1", "x"}));
  EXPECT_EQ(ParseRecordLiteral("  (1,)  ", 2), (Texts{"1", std::nullopt}));
  EXPECT_EQ(ParseRecordLiteral("(,\"\")", 2), (Texts{std::nullopt, ""}));
  EXPECT_EQ(ParseRecordLiteral("(\"a\"\"b\",c\\,d)", 2), (Texts{"a\"b", "c,d"}));
  EXPECT_EQ(ParseRecordLiteral("( 1 ,x y)", 2), (Texts{" 1 ", "x y"}));
  EXPECT_EQ(ParseRecordLiteral("(a\"b c\"d,e)", 2), (Texts{"ab cd", "e"}));
  // PostgreSQL 15's messages (select '...'::two_field_type).
  EXPECT_EQ(Sqlstate([] { ParseRecordLiteral("1,x)", 2); }),
            "22P02 malformed record literal: \"1,x)\"");
  EXPECT_EQ(Sqlstate([] { ParseRecordLiteral("(1)", 2); }),
            "22P02 malformed record literal: \"(1)\"");
  EXPECT_EQ(Sqlstate([] { ParseRecordLiteral("(1,2,3)", 2); }),
            "22P02 malformed record literal: \"(1,2,3)\"");
  EXPECT_EQ(Sqlstate([] { ParseRecordLiteral("(1,2) x", 2); }),
            "22P02 malformed record literal: \"(1,2) x\"");
  EXPECT_EQ(Sqlstate([] { ParseRecordLiteral("(1,\"2", 2); }),
            "22P02 malformed record literal: \"(1,\"2\"");
}

TEST(CompositeTest, RegisteredTypeReadsAndWritesText) {
  RegisterCompositeType(kPair, kPairArray, "pair",
                        {{"a", Type::Of(TypeId::kInt32)}, {"b", Type::Of(TypeId::kText)}});
  const TypeInfo* t = FindTypeByOid(kPair);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->category, TypeCategory::kComposite);
  EXPECT_EQ(t->array_oid, kPairArray);
  EXPECT_TRUE(IsCompositeType(static_cast<TypeId>(kPair)));
  const TypeInfo* a = FindTypeByOid(kPairArray);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->elem, kPair);

  const Type pair = Type::Of(static_cast<TypeId>(kPair));
  Value v = ParseValue("(42,\"hello world\")", pair);
  EXPECT_EQ(FormatValue(v), "(42,\"hello world\")");
  RecordView view(v.s);
  ASSERT_EQ(view.size(), 2u);
  EXPECT_EQ(view.field(0).type.id, TypeId::kInt32);
  EXPECT_EQ(view.field(0).i, 42);
  EXPECT_EQ(view.field(1).s, "hello world");
  EXPECT_EQ(RecordFieldNames(view), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Sqlstate([&] { ParseValue("(x,y)", pair); }),
            "22P02 invalid input syntax for type integer: \"x\"");
  EXPECT_EQ(Sqlstate([] { ParseValue("(1,2)", Type::Of(kRecordType)); }),
            "0A000 input of anonymous composite types is not implemented");
}

TEST(CompositeTest, CompareAsRecordCmp) {
  auto rec = [](std::vector<Value> f) { return MakeRecordBlob(Type::Of(kRecordType), f); };
  const Value null_int = Value::Null(Type::Of(TypeId::kInt32));
  EXPECT_EQ(CompareRecords(rec({Value::Int32(1), Value::Int32(2)}),
                           rec({Value::Int32(1), Value::Int32(3)})),
            -1);
  EXPECT_EQ(CompareRecords(rec({Value::Int32(1), null_int}), rec({Value::Int32(1), null_int})), 0);
  // NULL sorts after every value.
  EXPECT_EQ(CompareRecords(rec({null_int}), rec({Value::Int32(5)})), 1);
  EXPECT_EQ(Sqlstate([&] { CompareRecords(rec({Value::Int32(1)}), rec({Value::Text("1")})); }),
            "42804 cannot compare dissimilar column types integer and text at record column 1");
  EXPECT_EQ(Sqlstate([&] {
              CompareRecords(rec({Value::Int32(1)}), rec({Value::Int32(1), Value::Int32(2)}));
            }),
            "42804 cannot compare record types with different numbers of columns");
  // The first difference decides before a count mismatch is seen (as record_cmp).
  EXPECT_EQ(CompareRecords(rec({Value::Int32(1)}), rec({Value::Int32(2), Value::Int32(2)})), -1);
  // Equal rows hash alike.
  EXPECT_EQ(HashRecord(rec({Value::Int32(1), null_int})),
            HashRecord(rec({Value::Int32(1), null_int})));
}

TEST(CompositeTest, BlessedRecordDescriptors) {
  std::vector<CompositeField> f = {{"x", Type::Of(TypeId::kInt16)},
                                   {"n", Type::Of(TypeId::kInt32)}};
  const int32_t t1 = RecordTypmodOf(f);
  EXPECT_EQ(RecordTypmodOf(f), t1);
  ASSERT_NE(RecordDescriptor(t1), nullptr);
  EXPECT_EQ(*RecordDescriptor(t1), f);
  EXPECT_EQ(RecordDescriptor(-1), nullptr);
  Value v =
      MakeRecordValue(Type{kRecordType, t1}, {Value::Int(TypeId::kInt16, 7), Value::Int32(1)});
  EXPECT_EQ(RecordFieldNames(RecordView(v.s)), (std::vector<std::string>{"x", "n"}));
  EXPECT_EQ(FormatValue(v), "(7,1)");
}

}  // namespace
}  // namespace activestore
