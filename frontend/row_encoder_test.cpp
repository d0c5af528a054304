// RowEncoder: DataRows from column vectors. The oracle for every value is what the frontend
// sent before (the engine's text, and for binary columns pgwire::TextToBinary of the ISO text).
#include "frontend/row_encoder.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "common/value_ops.h"
#include "frontend/pgwire/binary_format.h"

namespace activestore::frontend {
namespace {

using executor::DataChunk;
using executor::ResultBatch;

// The values of each DataRow in `wire` (nullopt for NULL).
std::vector<std::vector<std::optional<std::string>>> DecodeRows(const std::string& wire) {
  auto be = [&](size_t at, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<uint8_t>(wire[at + i]);
    return v;
  };
  std::vector<std::vector<std::optional<std::string>>> rows;
  size_t pos = 0;
  while (pos < wire.size()) {
    EXPECT_EQ(wire[pos], 'D');
    size_t len = be(pos + 1, 4);
    size_t end = pos + 1 + len;
    size_t n = be(pos + 5, 2);
    size_t p = pos + 7;
    std::vector<std::optional<std::string>> row;
    for (size_t c = 0; c < n; ++c) {
      uint32_t vlen = static_cast<uint32_t>(be(p, 4));
      p += 4;
      if (vlen == 0xFFFFFFFFu) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(wire.substr(p, vlen));
        p += vlen;
      }
    }
    EXPECT_EQ(p, end);
    rows.push_back(std::move(row));
    pos = end;
  }
  return rows;
}

class RowEncoderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    types_ = {Type::Of(TypeId::kBool),  Type::Of(TypeId::kInt16),       Type::Of(TypeId::kInt32),
              Type::Of(TypeId::kInt64), Type::Of(TypeId::kFloat32),     Type::Of(TypeId::kFloat64),
              Type::Of(TypeId::kText),  Type::Of(TypeId::kVarchar),     Type::Of(TypeId::kNumeric),
              Type::Of(TypeId::kDate),  Type::Of(TypeId::kTimestampTz), Type::Of(TypeId::kBytea),
              Type::Of(TypeId::kOid),   Type::Of(TypeId::kInterval)};
    const char* rows[][14] = {
        {"t", "-32768", "2147483647", "-9223372036854775808", "1.5", "0.1", "héllo", "", "-12.340",
         "2024-02-29", "2024-02-29 12:34:56.5+00", "\\x00ff41", "4294967295", "1 day 02:03:04"},
        {"f", "7", "-1", "42", "-Infinity", "NaN", "a\tb", "x", "NaN", "infinity",
         "1999-12-31 23:59:59+00", "\\x", "0", "-3 mons"},
        {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
         nullptr, nullptr, nullptr, nullptr},
    };
    chunk_.Init(types_);
    for (const auto& r : rows) {
      std::vector<Value> values;
      for (size_t c = 0; c < types_.size(); ++c) {
        values.push_back(r[c] ? ParseValue(r[c], types_[c]) : Value::Null(types_[c]));
      }
      chunk_.AppendRow(values);
      values_.push_back(std::move(values));
    }
    for (const Type& t : types_) oids_.push_back(static_cast<uint32_t>(t.id));
  }

  std::vector<Type> types_;
  std::vector<uint32_t> oids_;
  DataChunk chunk_;
  std::vector<std::vector<Value>> values_;
};

TEST_F(RowEncoderTest, TextColumnsAreTheEngineText) {
  FormatOptions session;
  session.extra_float_digits = 0;
  session.date_style = DateStyle::kPostgres;
  ResultBatch batch;
  batch.Reset(&chunk_, 0, chunk_.size, &session);
  std::string wire;
  RowEncoder({}, oids_).Encode(batch, &wire);
  auto rows = DecodeRows(wire);
  ASSERT_EQ(rows.size(), values_.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    ASSERT_EQ(rows[r].size(), types_.size());
    for (size_t c = 0; c < types_.size(); ++c) {
      const Value& v = values_[r][c];
      if (v.is_null) {
        EXPECT_FALSE(rows[r][c]) << r << "," << c;
      } else {
        EXPECT_EQ(rows[r][c].value_or("<null>"), FormatValue(v, session)) << r << "," << c;
      }
    }
  }
}

TEST_F(RowEncoderTest, BinaryColumnsMatchTheTextConversion) {
  FormatOptions session;
  session.date_style = DateStyle::kGerman;  // binary never depends on it
  // Rows 1..2 only (a batch that starts inside its chunk), every column binary.
  ResultBatch batch;
  batch.Reset(&chunk_, 1, chunk_.size, &session);
  std::string wire;
  RowEncoder({1}, oids_).Encode(batch, &wire);
  auto rows = DecodeRows(wire);
  ASSERT_EQ(rows.size(), 2u);
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < types_.size(); ++c) {
      const Value& v = values_[r + 1][c];
      if (v.is_null) {
        EXPECT_FALSE(rows[r][c]) << r << "," << c;
        continue;
      }
      auto expected = pgwire::TextToBinary(oids_[c], FormatValue(v, FormatOptions{}));
      ASSERT_TRUE(expected) << c;
      EXPECT_EQ(rows[r][c].value_or("<null>"), *expected) << r << "," << c;
    }
  }
  // Mixed formats: one format per column.
  std::vector<int16_t> formats(types_.size(), 0);
  formats[2] = 1;
  wire.clear();
  batch.Reset(&chunk_, 0, 1, &session);
  RowEncoder(formats, oids_).Encode(batch, &wire);
  rows = DecodeRows(wire);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][1].value_or(""), "-32768");
  EXPECT_EQ(rows[0][2].value_or(""), std::string("\x7f\xff\xff\xff", 4));
}

}  // namespace
}  // namespace activestore::frontend
