// time_bucket arithmetic against TimescaleDB's documented behaviour; the expected values are
// worked out by hand from its definition (TimescaleDB is not installed here).
#include "common/time_bucket.h"

#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <string>

#include "common/datetime.h"
#include "common/error.h"

namespace activestore {
namespace {

int64_t Ts(const char* text) { return ParseTimestamp(text, *TimeZone::Utc()); }
std::string Show(int64_t ts) { return FormatTimestamp(ts); }
Interval Iv(const char* text) { return ParseInterval(text); }

SqlState StateOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.state();
  }
  return SqlState::kSuccessfulCompletion;
}

TEST(TimeBucketTest, Integers) {
  constexpr int64_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  EXPECT_EQ(TimeBucketInteger(10, 25, 0, kMin, kMax), 20);
  EXPECT_EQ(TimeBucketInteger(10, -25, 0, kMin, kMax), -30);
  EXPECT_EQ(TimeBucketInteger(10, -20, 0, kMin, kMax), -20);
  EXPECT_EQ(TimeBucketInteger(10, 25, 3, kMin, kMax), 23);
  EXPECT_EQ(TimeBucketInteger(10, 22, 3, kMin, kMax), 13);
  EXPECT_EQ(TimeBucketInteger(10, 22, 13, kMin, kMax), 13);  // the offset modulo the period
  EXPECT_EQ(StateOf([] { TimeBucketInteger(0, 1, 0, 0, 10); }), SqlState::kInvalidParameterValue);
  EXPECT_EQ(StateOf([] { TimeBucketInteger(10, kMin + 5, 0, kMin, kMax); }),
            SqlState::kNumericValueOutOfRange);
}

TEST(TimeBucketTest, SubMonthWidthsFromMonday20000103) {
  EXPECT_EQ(Show(TimeBucketTimestamp(Iv("5 minutes"), Ts("2020-01-01 12:34:56"), {})),
            "2020-01-01 12:30:00");
  // 2020-01-01 is a Wednesday: weekly buckets start on Monday 2019-12-30.
  EXPECT_EQ(Show(TimeBucketTimestamp(Iv("1 week"), Ts("2020-01-01 12:00"), {})),
            "2019-12-30 00:00:00");
  EXPECT_EQ(Show(TimeBucketTimestamp(Iv("1 week"), Ts("2020-01-01 12:00"), Ts("2000-01-01"))),
            "2019-12-28 00:00:00");
  EXPECT_EQ(Show(TimeBucketTimestamp(Iv("2 days"), Ts("1999-12-31 23:00"), {})),
            "1999-12-30 00:00:00");
  EXPECT_EQ(TimeBucketTimestamp(Iv("1 hour"), kTimestampNoEnd, {}), kTimestampNoEnd);
}

TEST(TimeBucketTest, Months) {
  EXPECT_EQ(Show(TimeBucketTimestamp(Iv("1 month"), Ts("2020-02-29 10:00"), {})),
            "2020-02-01 00:00:00");
  EXPECT_EQ(Show(TimeBucketTimestamp(Iv("3 months"), Ts("2020-05-17"), {})), "2020-04-01 00:00:00");
  EXPECT_EQ(Show(TimeBucketTimestamp(Iv("1 year"), Ts("2021-07-01"), {})), "2021-01-01 00:00:00");
  // Counted from the origin's month; its day is ignored.
  EXPECT_EQ(Show(TimeBucketTimestamp(Iv("3 months"), Ts("2020-05-17"), Ts("2000-02-15"))),
            "2020-05-01 00:00:00");
  EXPECT_EQ(Show(TimeBucketTimestamp(Iv("5 months"), Ts("1999-02-01"), {})), "1998-10-01 00:00:00");
  EXPECT_EQ(StateOf([] { TimeBucketTimestamp(Iv("1 month 1 day"), 0, {}); }),
            SqlState::kFeatureNotSupported);
  EXPECT_EQ(StateOf([] { TimeBucketTimestamp(Iv("-1 month"), 0, {}); }),
            SqlState::kInvalidParameterValue);
}

TEST(TimeBucketTest, Dates) {
  const TimeZone& utc = *TimeZone::Utc();
  auto date = [&](const char* text) { return ParseDate(text, utc); };
  EXPECT_EQ(FormatDate(TimeBucketDate(Iv("1 week"), date("2020-01-01"), {})), "2019-12-30");
  EXPECT_EQ(FormatDate(TimeBucketDate(Iv("1 month"), date("2020-01-31"), {})), "2020-01-01");
  EXPECT_EQ(FormatDate(TimeBucketDate(Iv("7 days"), date("2020-01-01"), date("2020-01-01"))),
            "2020-01-01");
  EXPECT_EQ(StateOf([&] { TimeBucketDate(Iv("1 hour"), date("2020-01-01"), {}); }),
            SqlState::kFeatureNotSupported);
  EXPECT_EQ(StateOf([&] { TimeBucketDate(Iv("1 day 1 hour"), date("2020-01-01"), {}); }),
            SqlState::kFeatureNotSupported);
}

TEST(TimeBucketTest, ZoneAcrossDaylightSaving) {
  auto berlin = TimeZone::Find("Europe/Berlin");
  ASSERT_TRUE(berlin);
  auto tstz = [&](const char* text) { return ParseTimestampTz(text, *TimeZone::Utc()); };
  // 2021-03-28: Berlin goes from +01 to +02 at 01:00 UTC. The day bucket of 12:00 UTC starts
  // at local midnight, 2021-03-27 23:00 UTC; the next day's at 2021-03-28 22:00 UTC.
  EXPECT_EQ(FormatTimestampTz(
                TimeBucketInZone(Iv("1 day"), tstz("2021-03-28 12:00+00"), *berlin, {}, nullptr),
                *TimeZone::Utc()),
            "2021-03-27 23:00:00+00");
  EXPECT_EQ(FormatTimestampTz(
                TimeBucketInZone(Iv("1 day"), tstz("2021-03-29 12:00+00"), *berlin, {}, nullptr),
                *TimeZone::Utc()),
            "2021-03-28 22:00:00+00");
  const Interval offset = Iv("6 hours");
  EXPECT_EQ(FormatTimestampTz(
                TimeBucketInZone(Iv("1 day"), tstz("2021-03-28 03:00+00"), *berlin, {}, &offset),
                *TimeZone::Utc()),
            "2021-03-27 05:00:00+00");
}

}  // namespace
}  // namespace activestore
