#include "common/value_ops.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <string>

#include "common/datetime.h"
#include "common/error.h"

namespace activestore {
namespace {

// "numeric(5,2)", "varchar(3)", "char(3)", "int4", ... as a Type.
Type TypeFromName(std::string_view name) {
  size_t paren = name.find('(');
  TypeId id;
  std::string_view base = name.substr(0, paren);
  if (!LookupTypeName(base, &id)) ADD_FAILURE() << "unknown type " << name;
  Type t = Type::Of(id);
  if (paren != std::string_view::npos) {
    std::string mods(name.substr(paren + 1, name.size() - paren - 2));
    size_t comma = mods.find(',');
    if (comma == std::string::npos) {
      t.typmod = std::stoi(mods);
      if (id == TypeId::kNumeric) t.typmod <<= 16;
    } else {
      t.typmod =
          (std::stoi(mods.substr(0, comma)) << 16) | (std::stoi(mods.substr(comma + 1)) & 0x7ff);
    }
  }
  return t;
}

std::string Describe(const std::function<std::string()>& f) {
  try {
    return f();
  } catch (const Error& e) {
    return "ERR:" + std::string(SqlStateCode(e.state())) + ":" + e.message();
  }
}

// Results PostgreSQL 15 has and ActiveStore deliberately does not (yet): numeric Infinity
// raises 0A000 instead.
bool KnownUnsupported(const std::string& got) {
  return got == "ERR:0A000:numeric Infinity is not supported";
}

struct CastCase {
  const char* literal;
  const char* from;
  const char* to;
  int64_t tz_offset;
  const char* expected;
};

constexpr CastCase kCastCases[] = {
#include "common/cast_cases_test.inc"
};

TEST(ValueOpsTest, CastsMatchPostgres) {
  for (const CastCase& c : kCastCases) {
    SCOPED_TRACE(std::string(c.literal) + "::" + c.from + "::" + c.to + " @" +
                 std::to_string(c.tz_offset));
    FormatOptions opts;
    opts.timezone = TimeZone::FixedOffset(c.tz_offset);
    std::string got = Describe([&] {
      Value v = ParseValue(c.literal, TypeFromName(c.from), opts);
      Value r = CastValue(v, TypeFromName(c.to), opts);
      EXPECT_EQ(r.type, TypeFromName(c.to));
      return FormatValue(r, opts);
    });
    if (KnownUnsupported(got)) continue;
    EXPECT_EQ(got, c.expected);
  }
}

struct ArithCase {
  const char* a;
  const char* ta;
  const char* op;
  const char* b;
  const char* tb;
  const char* expected;
};

constexpr ArithCase kArithCases[] = {
#include "common/arith_cases_test.inc"
};

TEST(ValueOpsTest, ArithmeticMatchesPostgres) {
  for (const ArithCase& c : kArithCases) {
    SCOPED_TRACE(std::string(c.a) + "::" + c.ta + " " + c.op + " " + c.b + "::" + c.tb);
    std::string got = Describe([&] {
      Value a = ParseValue(c.a, TypeFromName(c.ta));
      Value b = ParseValue(c.b, TypeFromName(c.tb));
      Type rt = ArithmeticResultType(c.op, a.type, b.type);
      Value r = Arithmetic(c.op, a, b);
      EXPECT_EQ(r.type, rt);
      return TypeName(r.type) + "|" + FormatValue(r);
    });
    if (KnownUnsupported(got)) {
      EXPECT_TRUE(std::string_view(c.expected).find("infinite") != std::string_view::npos)
          << c.expected;
      continue;
    }
    EXPECT_EQ(got, c.expected);
  }
}

TEST(ValueOpsTest, IntegerInput) {
  auto in = [](std::string_view s, TypeId t) {
    return Describe([&] { return FormatValue(ParseValue(s, Type::Of(t))); });
  };
  EXPECT_EQ(in("  12  ", TypeId::kInt32), "12");
  EXPECT_EQ(in("+5", TypeId::kInt32), "5");
  EXPECT_EQ(in("-0", TypeId::kInt16), "0");
  EXPECT_EQ(in("-32768", TypeId::kInt16), "-32768");
  EXPECT_EQ(in("-9223372036854775808", TypeId::kInt64), "-9223372036854775808");
  EXPECT_EQ(in("99999999999", TypeId::kInt32),
            "ERR:22003:value \"99999999999\" is out of range for type integer");
  EXPECT_EQ(in("40000", TypeId::kInt16),
            "ERR:22003:value \"40000\" is out of range for type smallint");
  EXPECT_EQ(in("9223372036854775808", TypeId::kInt64),
            "ERR:22003:value \"9223372036854775808\" is out of range for type bigint");
  EXPECT_EQ(in("abc", TypeId::kInt32), "ERR:22P02:invalid input syntax for type integer: \"abc\"");
  EXPECT_EQ(in(" ", TypeId::kInt32), "ERR:22P02:invalid input syntax for type integer: \" \"");
  EXPECT_EQ(in("1.5", TypeId::kInt16), "ERR:22P02:invalid input syntax for type smallint: \"1.5\"");
  EXPECT_EQ(in("12 3", TypeId::kInt64), "ERR:22P02:invalid input syntax for type bigint: \"12 3\"");
  EXPECT_EQ(in("", TypeId::kInt64), "ERR:22P02:invalid input syntax for type bigint: \"\"");
}

TEST(ValueOpsTest, BoolInput) {
  auto in = [](std::string_view s) {
    return Describe([&] { return FormatValue(ParseValue(s, Type::Of(TypeId::kBool))); });
  };
  for (const char* t : {"t", "true", "TRUE", "tr", "yes", "y", "on", "1", " TR ", "Yes"}) {
    EXPECT_EQ(in(t), "t") << t;
  }
  for (const char* f : {"f", "false", "fa", "no", "n", "off", "of", "0", " OFF "}) {
    EXPECT_EQ(in(f), "f") << f;
  }
  for (const char* bad : {"o", "", "2", "truex", "yess", "10", "nope"}) {
    EXPECT_EQ(in(bad),
              std::string("ERR:22P02:invalid input syntax for type boolean: \"") + bad + "\"")
        << bad;
  }
}

TEST(ValueOpsTest, Strings) {
  Type v3{TypeId::kVarchar, 3};
  Type c3{TypeId::kBpchar, 3};
  EXPECT_EQ(ParseValue("abc   ", v3).s, "abc");
  EXPECT_EQ(Describe([&] { return ParseValue("abcd", v3).s; }),
            "ERR:22001:value too long for type character varying(3)");
  EXPECT_EQ(Describe([&] { return ParseValue("abcd", c3).s; }),
            "ERR:22001:value too long for type character(3)");
  EXPECT_EQ(FormatValue(ParseValue("a", c3)), "a  ");
  // Lengths count characters, not bytes.
  EXPECT_EQ(ParseValue("üüü", v3).s, "üüü");
  EXPECT_EQ(CastValue(Value::Text("üüüü"), v3).s, "üüü");
  EXPECT_EQ(FormatValue(ParseValue("ü", c3)), "ü  ");
  // Explicit casts truncate; assignment casts raise unless the excess is spaces.
  EXPECT_EQ(CastValue(Value::Text("abcdef"), v3).s, "abc");
  EXPECT_EQ(Describe([&] { return CastValue(Value::Text("abcdef"), v3, {}, true).s; }),
            "ERR:22001:value too long for type character varying(3)");
  EXPECT_EQ(CastValue(Value::Text("abc  "), v3, {}, true).s, "abc");
  EXPECT_EQ(Describe([&] { return CastValue(Value::Int32(12345), v3, {}, true).s; }),
            "ERR:22001:value too long for type character varying(3)");
  EXPECT_EQ(Describe([&] { return CastValue(Value::Text("abcd"), c3, {}, true).s; }),
            "ERR:22001:value too long for type character(3)");
  EXPECT_EQ(CastValue(Value::Text("ab"), c3, {}, true).s, "ab ");
  // char(n) compares and hashes without trailing spaces; text does not.
  Value ab_c = ParseValue("ab", Type{TypeId::kBpchar, 4});
  EXPECT_EQ(CompareValues(ab_c, Value::Text("ab")), 0);
  EXPECT_EQ(HashValue(ab_c), HashValue(Value::Text("ab")));
  EXPECT_EQ(CompareValues(ab_c, ParseValue("ab", Type{TypeId::kBpchar, 2})), 0);
  EXPECT_NE(CompareValues(Value::Text("ab "), Value::Text("ab")), 0);
  EXPECT_LT(CompareValues(Value::Text("Z"), Value::Text("a")), 0);         // C collation
  EXPECT_GT(CompareValues(Value::Text("\xc3\xbc"), Value::Text("z")), 0);  // bytewise, unsigned
  EXPECT_LT(CompareValues(Value::Text("ab"), Value::Text("abc")), 0);
  EXPECT_EQ(CastValue(ab_c, Type::Of(TypeId::kText)).s, "ab");
}

TEST(ValueOpsTest, CompareAcrossNumberFamilies) {
  Value i1 = Value::Int32(1);
  Value l1 = Value::Int64(1);
  Value n1 = Value::Num(Numeric::Parse("1.00"));
  Value f1 = Value::Float64(1.0);
  for (const Value* a : {&i1, &l1, &n1, &f1}) {
    for (const Value* b : {&i1, &l1, &n1, &f1}) {
      EXPECT_EQ(CompareValues(*a, *b), 0);
      EXPECT_EQ(HashValue(*a), HashValue(*b));
    }
  }
  Value s1 = Value::Int(TypeId::kInt16, 1);
  EXPECT_EQ(HashValue(s1), HashValue(n1));
  // int vs numeric is exact; numeric vs float8 compares as float8.
  Value big = Value::Int64(9007199254740993);
  EXPECT_LT(CompareValues(Value::Num(Numeric::Parse("9007199254740992.5")), big), 0);
  EXPECT_EQ(CompareValues(big, Value::Float64(9007199254740992.0)), 0);
  EXPECT_EQ(HashValue(big), HashValue(Value::Float64(9007199254740992.0)));
  EXPECT_EQ(CompareValues(Value::Num(Numeric::Parse("0.1")), Value::Float64(0.1)), 0);
  EXPECT_EQ(HashValue(Value::Num(Numeric::Parse("0.10"))), HashValue(Value::Float64(0.1)));
  EXPECT_LT(CompareValues(Value::Int32(-5), Value::Num(Numeric::Parse("-4.99"))), 0);
  EXPECT_GT(CompareValues(Value::Int64(INT64_MAX), Value::Num(Numeric::Parse("9.2e18"))), 0);
  // NaN is equal to itself and above everything.
  Value fnan = Value::Float64(NAN);
  EXPECT_EQ(CompareValues(fnan, Value::Float64(NAN)), 0);
  EXPECT_GT(CompareValues(fnan, Value::Float64(INFINITY)), 0);
  EXPECT_LT(CompareValues(Value::Int32(5), fnan), 0);
  EXPECT_EQ(HashValue(fnan), HashValue(Value::Num(Numeric::NaN())));
  EXPECT_EQ(CompareValues(Value::Float64(-0.0), Value::Float64(0.0)), 0);
  EXPECT_EQ(HashValue(Value::Float64(-0.0)), HashValue(Value::Int32(0)));
  EXPECT_NE(HashValue(Value::Int32(1)), HashValue(Value::Int32(2)));
  EXPECT_NE(HashValue(Value::Num(Numeric::Parse("1e400"))), 0u);  // does not throw
  EXPECT_EQ(HashValue(Value::Num(Numeric::Parse("1e30"))), HashValue(Value::Float64(1e30)));
  EXPECT_EQ(
      Describe([] { return std::to_string(CompareValues(Value::Int32(1), Value::Text("1"))); }),
      "ERR:42883:operator does not exist: integer = text");
}

TEST(ValueOpsTest, HashRandomisedConsistency) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 5000; ++i) {
    int64_t x = static_cast<int64_t>(rng()) >> (rng() % 63);
    Value a = Value::Int64(x);
    Value n = Value::Num(Numeric::FromInt64(x).Round(static_cast<int>(rng() % 4)));
    ASSERT_EQ(CompareValues(a, n), 0);
    ASSERT_EQ(HashValue(a), HashValue(n)) << x;
    Value f = Value::Float64(static_cast<double>(x));
    if (CompareValues(a, f) == 0) {
      ASSERT_EQ(HashValue(a), HashValue(f)) << x;
    }
    if (x >= INT32_MIN && x <= INT32_MAX) {
      ASSERT_EQ(HashValue(Value::Int32(static_cast<int32_t>(x))), HashValue(a));
    }
  }
}

TEST(ValueOpsTest, DateTimeCompareAndHash) {
  FormatOptions utc;
  Value d = ParseValue("2024-01-31", Type::Of(TypeId::kDate));
  Value ts = ParseValue("2024-01-31 00:00:00", Type::Of(TypeId::kTimestamp));
  Value tsz = ParseValue("2024-01-31 00:00:00+00", Type::Of(TypeId::kTimestampTz));
  Value later = ParseValue("2024-01-31 00:00:01", Type::Of(TypeId::kTimestamp));
  EXPECT_EQ(CompareValues(d, ts), 0);
  EXPECT_EQ(CompareValues(d, tsz), 0);
  EXPECT_EQ(HashValue(d), HashValue(ts));
  EXPECT_LT(CompareValues(d, later), 0);
  EXPECT_GT(CompareValues(ParseValue("infinity", Type::Of(TypeId::kDate)), later), 0);
  EXPECT_LT(CompareValues(ParseValue("-infinity", Type::Of(TypeId::kDate)),
                          ParseValue("4714-11-24 BC", Type::Of(TypeId::kTimestamp))),
            0);
  EXPECT_EQ(CompareValues(Value::Bool(true), Value::Bool(true)), 0);
  EXPECT_LT(CompareValues(Value::Bool(false), Value::Bool(true)), 0);
}

TEST(ValueOpsTest, NullsAndNegate) {
  Value r = Arithmetic("+", Value::Null(Type::Of(TypeId::kInt32)), Value::Int64(1));
  EXPECT_TRUE(r.is_null);
  EXPECT_EQ(r.type.id, TypeId::kInt64);
  EXPECT_EQ(
      Describe([] {
        return FormatValue(Arithmetic("+", Value::Null(Type::Of(TypeId::kText)), Value::Int32(1)));
      }),
      "ERR:42883:operator does not exist: text + integer");
  Value c = CastValue(Value::Null(Type::Of(TypeId::kText)), Type::Of(TypeId::kDate));
  EXPECT_TRUE(c.is_null);
  EXPECT_EQ(c.type.id, TypeId::kDate);
  EXPECT_EQ(FormatValue(Negate(Value::Int32(5))), "-5");
  EXPECT_EQ(FormatValue(Negate(Value::Float64(0.0))), "-0");
  EXPECT_EQ(FormatValue(Negate(Value::Num(Numeric::Parse("1.50")))), "-1.50");
  EXPECT_EQ(Describe([] { return FormatValue(Negate(Value::Int(TypeId::kInt16, -32768))); }),
            "ERR:22003:smallint out of range");
  EXPECT_EQ(Describe([] { return FormatValue(Negate(Value::Int32(INT32_MIN))); }),
            "ERR:22003:integer out of range");
  EXPECT_EQ(Describe([] { return FormatValue(Negate(Value::Int64(INT64_MIN))); }),
            "ERR:22003:bigint out of range");
  EXPECT_EQ(Describe([] { return FormatValue(Negate(Value::Text("a"))); }),
            "ERR:42883:operator does not exist: - text");
  EXPECT_TRUE(Negate(Value::Null(Type::Of(TypeId::kInt32))).is_null);
  EXPECT_EQ(TypeName(ArithmeticResultType("-", Type::Of(TypeId::kTimestamp),
                                          Type::Of(TypeId::kTimestamp))),
            "interval");
  try {
    ArithmeticResultType("+", Type::Of(TypeId::kText), Type::Of(TypeId::kInt32));
    ADD_FAILURE();
  } catch (const Error& e) {
    ASSERT_TRUE(e.hint.has_value());
  }
}

TEST(ValueOpsTest, FormatAndParseMisc) {
  FormatOptions opts;
  EXPECT_EQ(FormatValue(Value::Bool(true)), "t");
  EXPECT_EQ(FormatValue(Value::Bool(false)), "f");
  EXPECT_EQ(FormatValue(Value::Float64(1e100)), "1e+100");
  opts.extra_float_digits = 0;
  EXPECT_EQ(FormatValue(Value::Float64(0.1 + 0.2), opts), "0.3");
  EXPECT_EQ(FormatValue(ParseValue("12.3456", Type{TypeId::kNumeric, (6 << 16) | 2})), "12.35");
  EXPECT_EQ(Describe([] {
              return FormatValue(ParseValue("12345.6", Type{TypeId::kNumeric, (6 << 16) | 2}));
            }),
            "ERR:22003:numeric field overflow");
  FormatOptions ist;
  ist.timezone = TimeZone::FixedOffset(5 * 3600 + 1800);
  Value t = ParseValue("2024-01-31 12:00", Type::Of(TypeId::kTimestampTz), ist);
  EXPECT_EQ(FormatValue(t, ist), "2024-01-31 12:00:00+05:30");
  EXPECT_EQ(FormatValue(t), "2024-01-31 06:30:00+00");
  EXPECT_EQ(FormatValue(Value::Text("x", TypeId::kUnknown)), "x");
}

}  // namespace
}  // namespace activestore
