// Key encoding order against CompareValues, and row encoding round trips.
#include "storage/encoding.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "common/error.h"
#include "common/value_ops.h"
#include "storage/catalog.h"

namespace activestore::storage {
namespace {

int Sign(int x) { return (x > 0) - (x < 0); }

int MemcmpSign(const std::string& a, const std::string& b) { return Sign(a.compare(b)); }

// For every pair: sign(memcmp(enc(a), enc(b))) == sign(CompareValues(a, b)).
void ExpectOrderPreserved(const std::vector<Value>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    std::string ka = EncodeKey({values[i]});
    EXPECT_EQ(KeyValueLength(ka), ka.size());
    for (size_t j = 0; j < values.size(); ++j) {
      std::string kb = EncodeKey({values[j]});
      ASSERT_EQ(MemcmpSign(ka, kb), Sign(CompareValues(values[i], values[j])))
          << FormatValue(values[i]) << " vs " << FormatValue(values[j]);
    }
  }
}

TEST(EncodingTest, IntegersOfAllWidthsKeepOrder) {
  std::mt19937_64 rng(42);
  std::vector<Value> v;
  const TypeId types[] = {TypeId::kInt16, TypeId::kInt32, TypeId::kInt64};
  for (int64_t x : {int64_t{0}, int64_t{1}, int64_t{-1}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max()}) {
    v.push_back(Value::Int64(x));
  }
  for (int i = 0; i < 150; ++i) {
    TypeId t = types[rng() % 3];
    int64_t x = static_cast<int64_t>(rng());
    if (t == TypeId::kInt16) x = static_cast<int16_t>(x);
    if (t == TypeId::kInt32) x = static_cast<int32_t>(x % 1000);
    v.push_back(Value::Int(t, x));
  }
  ExpectOrderPreserved(v);
  EXPECT_EQ(EncodeKey({Value::Int32(7)}), EncodeKey({Value::Int64(7)}));
  EXPECT_EQ(EncodeKey({Value::Int(TypeId::kInt16, -7)}), EncodeKey({Value::Int64(-7)}));
}

TEST(EncodingTest, FloatsKeepOrderWithZeroInfinitiesAndNaN) {
  std::mt19937_64 rng(7);
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<Value> v;
  for (double d : {0.0, -0.0, 1.0, -1.0, inf, -inf, std::nan(""), -std::nan(""),
                   std::numeric_limits<double>::denorm_min(), -std::numeric_limits<double>::max(),
                   std::numeric_limits<double>::max(), 1e-300, -1e-300}) {
    v.push_back(Value::Float64(d));
  }
  std::uniform_real_distribution<double> small(-1e6, 1e6);
  for (int i = 0; i < 120; ++i) {
    double d = (i % 2) ? small(rng) : std::ldexp(small(rng), static_cast<int>(rng() % 600) - 300);
    v.push_back(Value::Float64(d));
  }
  ExpectOrderPreserved(v);
  EXPECT_EQ(EncodeKey({Value::Float64(-0.0)}), EncodeKey({Value::Float64(0.0)}));
  EXPECT_GT(EncodeKey({Value::Float64(std::nan(""))}), EncodeKey({Value::Float64(inf)}));
}

TEST(EncodingTest, TextKeepsOrderIncludingPrefixes) {
  std::mt19937_64 rng(3);
  std::vector<Value> v;
  for (const char* s : {"", "a", "ab", "abc", "b", "a b", "\x7f", "\xc3\xa9", "\xff"}) {
    v.push_back(Value::Text(s));
  }
  const char alphabet[] = {'a', 'b', ' ', '\x01', '\xff', 'z'};
  for (int i = 0; i < 150; ++i) {
    std::string s;
    for (size_t n = rng() % 6; n > 0; --n) s.push_back(alphabet[rng() % sizeof(alphabet)]);
    v.push_back(Value::Text(s, i % 2 ? TypeId::kText : TypeId::kVarchar));
  }
  ExpectOrderPreserved(v);
  // Embedded NUL bytes still order correctly against prefixes.
  EXPECT_LT(EncodeKey({Value::Text("a")}), EncodeKey({Value::Text(std::string("a\0", 2))}));
  EXPECT_LT(EncodeKey({Value::Text(std::string("a\0", 2))}), EncodeKey({Value::Text("a\x01")}));
  // bpchar ignores trailing spaces.
  EXPECT_EQ(EncodeKey({Value::Text("ab   ", TypeId::kBpchar)}),
            EncodeKey({Value::Text("ab", TypeId::kBpchar)}));
}

TEST(EncodingTest, BoolsDatesTimestampsKeepOrder) {
  std::mt19937_64 rng(11);
  std::vector<Value> dates, stamps;
  for (int i = 0; i < 80; ++i) {
    dates.push_back(Value::Int(TypeId::kDate, static_cast<int32_t>(rng() % 200000) - 100000));
    stamps.push_back(
        Value::Int(TypeId::kTimestamp, static_cast<int64_t>(rng() >> 8) - (int64_t{1} << 54)));
  }
  ExpectOrderPreserved(dates);
  ExpectOrderPreserved(stamps);
  ExpectOrderPreserved({Value::Bool(false), Value::Bool(true)});
}

TEST(EncodingTest, TuplesCompareLexicographicallyAndNullsSortLast) {
  auto key = [](std::vector<Value> v) { return EncodeKey(v); };
  EXPECT_LT(key({Value::Int32(1), Value::Text("z")}), key({Value::Int32(2), Value::Text("a")}));
  EXPECT_LT(key({Value::Text("a"), Value::Int32(9)}), key({Value::Text("ab"), Value::Int32(0)}));
  EXPECT_LT(key({Value::Int64(std::numeric_limits<int64_t>::max())}),
            key({Value::Null(Type::Of(TypeId::kInt64))}));
  EXPECT_LT(key({Value::Text("\xff\xff")}), key({Value::Null(Type::Of(TypeId::kText))}));
  EXPECT_LT(key({Value::Int32(1), Value::Int32(5)}),
            key({Value::Int32(1), Value::Null(Type::Of(TypeId::kInt32))}));
  // A prefix of values encodes to a byte prefix.
  std::string full = key({Value::Text("x"), Value::Int32(3)});
  std::string prefix = key({Value::Text("x")});
  EXPECT_EQ(full.substr(0, prefix.size()), prefix);
  EXPECT_EQ(KeyValueLength(full), prefix.size());
  EXPECT_LT(full, PrefixSuccessor(prefix));
  EXPECT_GT(key({Value::Text("x\xff")}), PrefixSuccessor(prefix));  // another value
  EXPECT_EQ(PrefixSuccessor("a\xff\xff"), "b");
  EXPECT_EQ(PrefixSuccessor("\xff"), "");
}

TEST(EncodingTest, NumericKeysAreEqualForEqualValues) {
  EXPECT_EQ(EncodeKey({Value::Num(Numeric::Parse("1.0"))}),
            EncodeKey({Value::Num(Numeric::Parse("1.00"))}));
  EXPECT_NE(EncodeKey({Value::Num(Numeric::Parse("1.0"))}),
            EncodeKey({Value::Num(Numeric::Parse("1.01"))}));
  std::string k = EncodeKey({Value::Num(Numeric::Parse("-123.456")), Value::Int32(1)});
  EXPECT_EQ(KeyValueLength(k), k.size() - 9);
}

TableInfo AllTypesTable() {
  TableInfo t;
  t.name = "all";
  auto col = [&](const char* name, TypeId id, int32_t typmod = -1) {
    t.columns.push_back(ColumnInfo{name, Type{id, typmod}});
  };
  col("b", TypeId::kBool);
  col("s", TypeId::kInt16);
  col("i", TypeId::kInt32);
  col("l", TypeId::kInt64);
  col("f", TypeId::kFloat64);
  col("n", TypeId::kNumeric, (10 << 16) | 3);
  col("t", TypeId::kText);
  col("v", TypeId::kVarchar, 5);
  col("c", TypeId::kBpchar, 3);
  col("d", TypeId::kDate);
  col("ts", TypeId::kTimestamp);
  col("tz", TypeId::kTimestampTz);
  return t;
}

TEST(EncodingTest, RowsRoundTrip) {
  TableInfo t = AllTypesTable();
  Row row = {Value::Bool(true),
             Value::Int(TypeId::kInt16, -32768),
             Value::Int32(std::numeric_limits<int32_t>::min()),
             Value::Int64(std::numeric_limits<int64_t>::max()),
             Value::Float64(-0.1),
             Value::Num(Numeric::Parse("-12.340")),
             Value::Text(std::string("x\0y", 3)),
             Value::Text("abc", TypeId::kVarchar),
             Value::Text("ab ", TypeId::kBpchar),
             Value::Int(TypeId::kDate, -1000),
             Value::Int(TypeId::kTimestamp, 1234567890123),
             Value::Int(TypeId::kTimestampTz, -5)};
  std::string bytes = EncodeRow(row, t);
  EXPECT_EQ(static_cast<uint8_t>(bytes[0]), kRowFormatVersion);
  Row back = DecodeRow(bytes, t);
  ASSERT_EQ(back.size(), row.size());
  for (size_t i = 0; i < row.size(); ++i) {
    EXPECT_FALSE(back[i].is_null);
    EXPECT_EQ(back[i].type, t.columns[i].type) << i;
    EXPECT_EQ(CompareValues(back[i], row[i]), 0) << i;
  }
  EXPECT_EQ(back[5].num.ToString(), "-12.340");
  EXPECT_EQ(back[6].s, std::string("x\0y", 3));
  EXPECT_EQ(back[8].s, "ab ");

  Row nulls;
  for (const ColumnInfo& c : t.columns) nulls.push_back(Value::Null(c.type));
  nulls[3] = Value::Int32(5);  // int4 value into an int8 column
  Row nb = DecodeRow(EncodeRow(nulls, t), t);
  for (size_t i = 0; i < nb.size(); ++i) EXPECT_EQ(nb[i].is_null, i != 3) << i;
  EXPECT_EQ(nb[3].i, 5);
  EXPECT_EQ(nb[3].type.id, TypeId::kInt64);
}

TEST(EncodingTest, FieldsDecodeAPrefixOfTheColumnsWithoutValues) {
  TableInfo t = AllTypesTable();
  Row row = {Value::Bool(false),
             Value::Int(TypeId::kInt16, -7),
             Value::Null(Type::Of(TypeId::kInt32)),
             Value::Int64(-3),
             Value::Float64(2.5),
             Value::Num(Numeric::Parse("1.50")),
             Value::Text("text"),
             Value::Text("vc", TypeId::kVarchar),
             Value::Text("b  ", TypeId::kBpchar),
             Value::Int(TypeId::kDate, -1000),
             Value::Int(TypeId::kTimestamp, 42),
             Value::Null(Type::Of(TypeId::kTimestampTz))};
  const std::string bytes = EncodeRow(row, t);
  const std::vector<FieldCodec> codecs = RowFieldCodecs(t);
  std::vector<Field> f(t.columns.size());
  DecodeFields(bytes, codecs, f.size(), f.data());
  EXPECT_EQ(f[0].i, 0);
  EXPECT_EQ(f[1].i, -7);  // sign-extended from 2 bytes
  EXPECT_TRUE(f[2].null);
  EXPECT_EQ(f[3].i, -3);
  EXPECT_EQ(f[4].f, 2.5);
  EXPECT_EQ(f[5].bytes, "1.50");  // numeric as its text
  EXPECT_EQ(f[6].bytes, "text");
  EXPECT_EQ(f[8].bytes, "b  ");
  EXPECT_EQ(f[9].i, -1000);  // date: 4 bytes, sign-extended
  EXPECT_EQ(f[10].i, 42);
  EXPECT_TRUE(f[11].null);
  // A prefix: the columns after the last one asked for are not read.
  std::vector<Field> two(2);
  DecodeFields(bytes, codecs, 2, two.data());
  EXPECT_FALSE(two[0].null);
  EXPECT_EQ(two[1].i, -7);
  // A row written before columns were added: the missing ones are NULL.
  TableInfo narrow = t;
  narrow.columns.resize(3);
  Row old_row(row.begin(), row.begin() + 3);
  DecodeFields(EncodeRow(old_row, narrow), codecs, f.size(), f.data());
  EXPECT_EQ(f[1].i, -7);
  for (size_t c = 2; c < f.size(); ++c) EXPECT_TRUE(f[c].null) << c;
  // A row of a wider definition than the table's is corrupt.
  EXPECT_THROW(DecodeFields(bytes, RowFieldCodecs(narrow), 3, f.data()), Error);
}

TEST(EncodingTest, RowEncodingIsStable) {
  // The on-disk format: a change here breaks existing data directories.
  TableInfo t;
  t.columns = {{"a", Type::Of(TypeId::kInt32)},
               {"b", Type::Of(TypeId::kText)},
               {"c", Type::Of(TypeId::kBool)}};
  std::string bytes = EncodeRow({Value::Int32(258), Value::Text("hi"), Value::Null()}, t);
  EXPECT_EQ(bytes, std::string("\x01\x03\x04\x02\x01\x00\x00\x02hi", 10));
}

TEST(EncodingTest, StampedRowsCarryTheirWriteTime) {
  // Version 2 (row expiry's ttl): the stamp after the version byte, then version 1's layout.
  TableInfo t;
  t.columns = {{"a", Type::Of(TypeId::kInt32)},
               {"b", Type::Of(TypeId::kText)},
               {"c", Type::Of(TypeId::kBool)}};
  const Row row = {Value::Int32(258), Value::Text("hi"), Value::Null()};
  std::string bytes;
  AppendStampedRow(row, t, 0x0102030405060708LL, &bytes);
  EXPECT_EQ(bytes, std::string("\x02\x08\x07\x06\x05\x04\x03\x02\x01"
                               "\x03\x04\x02\x01\x00\x00\x02hi",
                               18));
  EXPECT_EQ(RowWriteStamp(bytes), 0x0102030405060708LL);
  EXPECT_EQ(RowWriteStamp(EncodeRow(row, t)), std::nullopt);
  Row back = DecodeRow(bytes, t);
  EXPECT_EQ(back[0].i, 258);
  EXPECT_EQ(back[1].s, "hi");
  EXPECT_TRUE(back[2].is_null);
  std::string negative;
  AppendStampedRow(row, t, -5, &negative);
  EXPECT_EQ(RowWriteStamp(negative), -5);
  EXPECT_THROW(DecodeRow(bytes.substr(0, 8), t), Error);
}

TEST(EncodingTest, BadRowsAreRejected) {
  TableInfo t = AllTypesTable();
  EXPECT_THROW(DecodeRow("", t), Error);
  EXPECT_THROW(DecodeRow("\x02", t), Error);
  Row row;
  for (const ColumnInfo& c : t.columns) row.push_back(Value::Null(c.type));
  row[2] = Value::Int32(1);
  std::string bytes = EncodeRow(row, t);
  try {
    DecodeRow(bytes.substr(0, bytes.size() - 1), t);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.state(), SqlState::kDataCorrupted);
    EXPECT_EQ(e.message(), "invalid row encoding");
  }
  // A column added later reads as NULL in older rows.
  TableInfo wider = t;
  wider.columns.push_back(ColumnInfo{"extra", Type::Of(TypeId::kInt32)});
  Row w = DecodeRow(bytes, wider);
  EXPECT_TRUE(w.back().is_null);
  EXPECT_EQ(w[2].i, 1);
  // Wrong value type or width for the column.
  row[2] = Value::Text("x");
  EXPECT_THROW(EncodeRow(row, t), Error);
  row[2] = Value::Int64(int64_t{1} << 40);
  EXPECT_THROW(EncodeRow(row, t), Error);
}

}  // namespace
}  // namespace activestore::storage
