#include "executor/hypertables.h"

#include <gtest/gtest.h>

#include <limits>

#include "common/datetime.h"

namespace activestore::executor {
namespace {

constexpr int64_t kDay = 86'400'000'000;
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

int64_t Tstz(const char* text) { return ParseTimestampTz(text, *TimeZone::Utc()); }

TEST(HypertableChunks, RangeIsTheIntervalMultipleBelowTheValue) {
  // 1-day chunks of timestamptz: midnight to midnight UTC.
  auto [start, end] = ChunkRangeOf(Tstz("2024-01-02 13:45:00+00"), kDay, kUnixEpochUnit);
  EXPECT_EQ(start, Tstz("2024-01-02 00:00:00+00"));
  EXPECT_EQ(end, Tstz("2024-01-03 00:00:00+00"));
  // The bound belongs to the chunk it starts, the microsecond before to the previous one.
  EXPECT_EQ(ChunkRangeOf(Tstz("2024-01-03 00:00:00+00"), kDay, kUnixEpochUnit).first,
            Tstz("2024-01-03 00:00:00+00"));
  EXPECT_EQ(ChunkRangeOf(Tstz("2024-01-03 00:00:00+00") - 1, kDay, kUnixEpochUnit).first,
            Tstz("2024-01-02 00:00:00+00"));
}

TEST(HypertableChunks, WeekChunksStartOnThursdaysAsTimescaleDBs) {
  // Aligned to the Unix epoch (a Thursday), as TimescaleDB aligns them.
  const int64_t week = 7 * kDay;
  EXPECT_EQ(ChunkRangeOf(Tstz("2024-05-01 00:00:00+00"), week, ChunkOrigin(TypeId::kTimestampTz)),
            (std::pair<int64_t, int64_t>{Tstz("2024-04-25 00:00:00+00"),
                                         Tstz("2024-05-02 00:00:00+00")}));
  EXPECT_EQ(ChunkOrigin(TypeId::kInt64), 0);
  EXPECT_EQ(kUnixEpochUnit, Tstz("1970-01-01 00:00:00+00"));
}

TEST(HypertableChunks, NegativeValuesFloor) {
  // Before 2000-01-01 (negative units) and negative integers round down, not toward zero.
  EXPECT_EQ(ChunkRangeOf(-1, 10, 0), (std::pair<int64_t, int64_t>{-10, 0}));
  EXPECT_EQ(ChunkRangeOf(-10, 10, 0), (std::pair<int64_t, int64_t>{-10, 0}));
  EXPECT_EQ(ChunkRangeOf(-11, 10, 0), (std::pair<int64_t, int64_t>{-20, -10}));
  EXPECT_EQ(ChunkRangeOf(Tstz("1999-12-31 23:00:00+00"), kDay, kUnixEpochUnit).first,
            Tstz("1999-12-31 00:00:00+00"));
}

TEST(HypertableChunks, RangeEndClampsAtTheInt64Limit) {
  auto [start, end] = ChunkRangeOf(kMax - 3, 10, 0);
  EXPECT_LE(start, kMax - 3);
  EXPECT_EQ(end, kMax);
  auto [lo, hi] = ChunkRangeOf(kMin, 10, 0);
  EXPECT_LE(lo, kMin + 10);
  EXPECT_GT(hi, kMin);
}

TEST(HypertableChunks, TimeUnits) {
  // date: days as microseconds, so date and timestamp chunks of the same interval align.
  Value d = Value::Int(TypeId::kDate, 3);
  EXPECT_EQ(TimeUnitValue(d), 3 * kDay);
  EXPECT_EQ(TimeUnitToValue(3 * kDay, Type::Of(TypeId::kDate)).i, 3);
  EXPECT_EQ(TimeUnitToValue(-1, Type::Of(TypeId::kDate)).i, -1);
  EXPECT_EQ(TimeUnitValue(Value::Int32(42)), 42);
  EXPECT_TRUE(IsHypertableTimeType(TypeId::kTimestampTz));
  EXPECT_TRUE(IsHypertableTimeType(TypeId::kInt16));
  EXPECT_FALSE(IsHypertableTimeType(TypeId::kText));
  EXPECT_FALSE(IsHypertableTimeType(TypeId::kFloat64));
}

TEST(HypertableChunks, CheckExpressionAndName) {
  EXPECT_EQ(ChunkTableName(1, 12), "_hyper_1_12_chunk");
  EXPECT_EQ(ChunkCheckExpr("Time", Type::Of(TypeId::kTimestampTz), Tstz("2024-01-01 00:00+00"),
                           Tstz("2024-01-02 00:00+00")),
            "((\"Time\" >= '2024-01-01 00:00:00+00'::timestamp with time zone) AND "
            "(\"Time\" < '2024-01-02 00:00:00+00'::timestamp with time zone))");
  EXPECT_EQ(ChunkCheckExpr("ts", Type::Of(TypeId::kTimestamp), 0, kDay),
            "((ts >= '2000-01-01 00:00:00'::timestamp without time zone) AND "
            "(ts < '2000-01-02 00:00:00'::timestamp without time zone))");
  EXPECT_EQ(ChunkCheckExpr("d", Type::Of(TypeId::kDate), 0, 7 * kDay),
            "((d >= '2000-01-01'::date) AND (d < '2000-01-08'::date))");
  EXPECT_EQ(ChunkCheckExpr("n", Type::Of(TypeId::kInt32), -10, 0), "((n >= -10) AND (n < 0))");
  // A range reaching the type's limit has no bound on that side.
  EXPECT_EQ(ChunkCheckExpr("n", Type::Of(TypeId::kInt64), 10, kMax), "(n >= 10)");
}

}  // namespace
}  // namespace activestore::executor
