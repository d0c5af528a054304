#include "executor/column_statistics.h"

#include <gtest/gtest.h>

#include <vector>

#include "common/array.h"
#include "common/json.h"
#include "common/value_ops.h"

namespace activestore::executor {
namespace {

using enum TypeId;

std::vector<Value> Ints(const std::vector<int>& xs) {
  std::vector<Value> out;
  for (int x : xs) out.push_back(Value::Int(kInt32, x));
  return out;
}

ColumnSampleInfo IntInfo(double total_rows, int target = 100) {
  return ColumnSampleInfo{Type::Of(kInt32), true, target, total_rows};
}

std::string Text(const std::string& blob, TypeId array_type) {
  return FormatValue(Value::Text(blob, array_type));
}

TEST(ColumnStatisticsTest, UniqueColumnHasHistogramAndNoCommonValues) {
  std::vector<int> xs;
  for (int i = 1; i <= 10; ++i) xs.push_back(i);
  storage::ColumnStats st = ComputeColumnStats(Ints(xs), IntInfo(10));
  EXPECT_EQ(st.null_frac, 0.0f);
  EXPECT_EQ(st.width, 4);
  EXPECT_EQ(st.n_distinct, -1.0f);
  EXPECT_TRUE(st.mcv_values.empty());
  EXPECT_EQ(Text(st.histogram, kInt32ArrayType), "{1,2,3,4,5,6,7,8,9,10}");
  ASSERT_TRUE(st.correlation.has_value());
  EXPECT_FLOAT_EQ(*st.correlation, 1.0f);
}

TEST(ColumnStatisticsTest, RepeatedValuesAreAllCommonWhenTheSampleIsTheTable) {
  // 3 x 1, 2 x 2, 1 x 3 (in descending order: correlation -1 for distinct positions).
  storage::ColumnStats st = ComputeColumnStats(Ints({3, 2, 2, 1, 1, 1}), IntInfo(6));
  EXPECT_EQ(st.n_distinct, -0.5f);  // 3 distinct of 6 rows: more than 10%, a fraction
  EXPECT_EQ(Text(st.mcv_values, kInt32ArrayType), "{1,2}");  // 3 is seen once: not tracked
  ASSERT_EQ(st.mcv_freqs.size(), 2u);
  EXPECT_FLOAT_EQ(st.mcv_freqs[0], 0.5f);
  EXPECT_FLOAT_EQ(st.mcv_freqs[1], 1.0f / 3);
  EXPECT_TRUE(st.histogram.empty());  // one value left: no histogram
  EXPECT_LT(*st.correlation, 0.0f);
}

TEST(ColumnStatisticsTest, NullsCountAndAllNullColumns) {
  std::vector<Value> v = Ints({1, 1});
  v.push_back(Value::Null(Type::Of(kInt32)));
  v.push_back(Value::Null(Type::Of(kInt32)));
  storage::ColumnStats st = ComputeColumnStats(v, IntInfo(4));
  EXPECT_FLOAT_EQ(st.null_frac, 0.5f);
  EXPECT_EQ(st.n_distinct, -0.25f);  // 1 distinct value in 4 rows: more than 10%, a fraction
  std::vector<Value> nulls(3, Value::Null(Type::Of(kText)));
  st = ComputeColumnStats(nulls, ColumnSampleInfo{Type::Of(kText), true, 100, 3});
  EXPECT_EQ(st.null_frac, 1.0f);
  EXPECT_EQ(st.width, 0);  // variable width: unknown
  EXPECT_EQ(st.n_distinct, 0.0f);
  EXPECT_TRUE(st.mcv_values.empty());
  EXPECT_FALSE(st.correlation.has_value());
}

TEST(ColumnStatisticsTest, SampledDistinctCountIsEstimated) {
  // A 1,000-row sample of a 1,000,000-row table: 500 values seen twice: every value appears
  // more than once, so the column is assumed to have just these.
  std::vector<int> xs;
  for (int i = 0; i < 1000; ++i) xs.push_back(i / 2);
  storage::ColumnStats st = ComputeColumnStats(Ints(xs), IntInfo(1'000'000));
  EXPECT_EQ(st.n_distinct, 500.0f);
  // Half the values seen once: Haas and Stokes' estimate, above the 500 seen.
  xs.clear();
  for (int i = 0; i < 500; ++i) xs.push_back(i / 2);
  for (int i = 0; i < 500; ++i) xs.push_back(10'000 + i);
  st = ComputeColumnStats(Ints(xs), IntInfo(1'000'000));
  EXPECT_GT(st.n_distinct, 750.0f);
  EXPECT_LT(st.n_distinct, 0.0f + 1'000'000);
  // No value stands out from a sample this small of a big table: no common values list.
  EXPECT_TRUE(st.mcv_values.empty());
  EXPECT_FALSE(st.histogram.empty());
}

TEST(ColumnStatisticsTest, UnorderedTypesGetTrivialStatistics) {
  std::vector<Value> v = {Value::Text("{}", kJsonType), Value::Text("{}", kJsonType)};
  storage::ColumnStats st =
      ComputeColumnStats(v, ColumnSampleInfo{Type::Of(kJsonType), false, 100, 2});
  EXPECT_EQ(st.n_distinct, 0.0f);
  EXPECT_EQ(st.width, 3);  // 2 bytes and a 1-byte header
  EXPECT_TRUE(st.mcv_values.empty());
  EXPECT_FALSE(st.correlation.has_value());
}

TEST(ColumnStatisticsTest, StoredWidthsArePostgresql) {
  EXPECT_EQ(StoredWidth(Value::Text("abc")), 4);
  EXPECT_EQ(StoredWidth(Value::Text(std::string(200, 'x'))), 204);
  EXPECT_EQ(StoredWidth(Value::Int(kInt64, 1)), 8);
  auto num = [](const char* s) { return ParseValue(s, Type::Of(kNumeric)); };
  EXPECT_EQ(StoredWidth(num("0")), 3);        // header only
  EXPECT_EQ(StoredWidth(num("1.5")), 7);      // digits 1 and 5000
  EXPECT_EQ(StoredWidth(num("10000")), 5);    // one digit, weight 1
  EXPECT_EQ(StoredWidth(num("-0.0001")), 5);  // one digit, weight -1
  // int4[] {0,1}: a 24-byte header and two 4-byte elements, stored with a short header.
  EXPECT_EQ(StoredWidth(ParseValue("{0,1}", Type::Of(kInt32ArrayType))), 29);
  // text[] with a NULL: 32 bytes of header and bitmap, three 6-byte elements padded to 8.
  EXPECT_EQ(StoredWidth(ParseValue("{a0,b0,NULL,a0}", Type::Of(kTextArrayType))), 53);
}

TEST(ColumnStatisticsTest, ArrayElementStatistics) {
  std::vector<Value> v;
  for (const char* a : {"{1,2,2}", "{1,3}", "{1,NULL}", "{}"}) {
    v.push_back(ParseValue(a, Type::Of(kInt32ArrayType)));
  }
  v.push_back(Value::Null(Type::Of(kInt32ArrayType)));
  ColumnSampleInfo info{Type::Of(kInt32ArrayType), true, 100, 5};
  info.element_stats = true;
  storage::ColumnStats st = ComputeColumnStats(v, info);
  EXPECT_EQ(Text(st.mcelem_values, kInt32ArrayType), "{1,2,3}");
  // Per non-NULL array: 1 in three of four, 2 (counted once) and 3 in one; then the least and
  // greatest of those and the share of arrays with a NULL element.
  std::vector<float> want = {0.75f, 0.25f, 0.25f, 0.25f, 0.75f, 0.25f};
  EXPECT_EQ(st.mcelem_freqs, want);
  // Distinct non-NULL elements per array: 2, 2, 1, 0; 100 evenly spaced, then the average.
  ASSERT_EQ(st.dec_histogram.size(), 101u);
  EXPECT_EQ(st.dec_histogram.front(), 0.0f);
  EXPECT_EQ(st.dec_histogram[99], 2.0f);
  EXPECT_FLOAT_EQ(st.dec_histogram[100], 5.0f / 4);
}

}  // namespace
}  // namespace activestore::executor
