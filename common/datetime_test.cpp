#include "common/datetime.h"

#include <date/date.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "common/error.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

struct DateTimeCase {
  const char* input;
  const char* type;
  int64_t tz_offset;
  const char* expected;  // output text, or ERR:<sqlstate>:<message>
};

constexpr DateTimeCase kCases[] = {
#include "common/datetime_cases_test.inc"
};

Type TypeFor(std::string_view name) {
  if (name == "date") return Type::Of(TypeId::kDate);
  if (name == "timestamp") return Type::Of(TypeId::kTimestamp);
  return Type::Of(TypeId::kTimestampTz);
}

TEST(DateTimeTest, MatchesPostgres) {
  for (const DateTimeCase& c : kCases) {
    SCOPED_TRACE(std::string(c.input) + "::" + c.type + " @" + std::to_string(c.tz_offset));
    FormatOptions opts;
    opts.tz_offset_seconds = c.tz_offset;
    std::string got;
    try {
      got = FormatValue(ParseValue(c.input, TypeFor(c.type), opts), opts);
    } catch (const Error& e) {
      got = "ERR:" + std::string(SqlStateCode(e.state())) + ":" + e.message();
    }
    EXPECT_EQ(got, c.expected);
  }
}

TEST(DateTimeTest, CivilConversionsAgreeWithDateLibrary) {
  using namespace date;  // NOLINT
  std::mt19937 rng(99);
  std::uniform_int_distribution<int64_t> dist(-2451545, 10000000);
  const sys_days epoch2000 = sys_days(year(2000) / 1 / 1);
  for (int i = 0; i < 100000; ++i) {
    int64_t d = dist(rng);
    year_month_day ymd{epoch2000 + days(d)};
    int64_t y;
    int m, dd;
    CivilFromDays(d, &y, &m, &dd);
    ASSERT_EQ(y, static_cast<int>(ymd.year()));
    ASSERT_EQ(m, static_cast<int>(static_cast<unsigned>(ymd.month())));
    ASSERT_EQ(dd, static_cast<int>(static_cast<unsigned>(ymd.day())));
    ASSERT_EQ(DaysFromCivil(y, m, dd), d);
  }
}

TEST(DateTimeTest, RandomRoundTrips) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> days(-2451545, 106000000);
  std::uniform_int_distribution<int64_t> usec(-2451545 * kUsecPerDay,
                                              DaysFromCivil(294276, 12, 31) * kUsecPerDay);
  std::uniform_int_distribution<int64_t> offset(-15 * 3600, 15 * 3600);
  for (int i = 0; i < 20000; ++i) {
    int32_t d = static_cast<int32_t>(days(rng));
    ASSERT_EQ(ParseDate(FormatDate(d), 0), d) << FormatDate(d);
    int64_t t = usec(rng);
    ASSERT_EQ(ParseTimestamp(FormatTimestamp(t), 0), t) << FormatTimestamp(t);
    int64_t off = offset(rng) / 60 * 60;
    int64_t tz = t - 16 * 3600 * int64_t{1000000};
    if (IsValidTimestamp(tz)) {
      ASSERT_EQ(ParseTimestampTz(FormatTimestampTz(tz, off), 0), tz) << FormatTimestampTz(tz, off);
    }
  }
}

TEST(DateTimeTest, SpecialsAndConversions) {
  EXPECT_EQ(FormatDate(0), "2000-01-01");
  EXPECT_EQ(FormatTimestamp(0), "2000-01-01 00:00:00");
  EXPECT_EQ(FormatTimestampTz(0, 5 * 3600 + 1800), "2000-01-01 05:30:00+05:30");
  EXPECT_EQ(FormatTimestampTz(0, -8 * 3600), "1999-12-31 16:00:00-08");
  EXPECT_EQ(FormatTimestampTz(0, 3600 + 61), "2000-01-01 01:01:01+01:01:01");
  EXPECT_EQ(FormatTimestamp(-1), "1999-12-31 23:59:59.999999");
  EXPECT_EQ(DateToTimestamp(kDateNoEnd), kTimestampNoEnd);
  EXPECT_EQ(TimestampToDate(kTimestampNoBegin), kDateNoBegin);
  EXPECT_EQ(TimestampToDate(-1), -1);
  EXPECT_EQ(TimestampToDate(kUsecPerDay - 1), 0);
  try {
    DateToTimestamp(static_cast<int32_t>(DaysFromCivil(5874897, 12, 31)));
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), "date out of range for timestamp");
  }
  // 'now', 'today', 'tomorrow', 'yesterday' follow the clock and the session offset.
  int64_t before = CurrentTimestampTz();
  int64_t now = ParseTimestampTz("now", 0);
  EXPECT_GE(now, before);
  EXPECT_LE(now - before, int64_t{60} * 1000000);
  int32_t today = ParseDate("today", 0);
  EXPECT_EQ(today, TimestampToDate(now));
  EXPECT_EQ(ParseDate("tomorrow", 0), today + 1);
  EXPECT_EQ(ParseDate("YESTERDAY", 0), today - 1);
  EXPECT_EQ(ParseTimestamp("today", 0), int64_t{today} * kUsecPerDay);
  // Local midnight in +10 is 14:00 UTC the day before.
  int64_t local_today = TimestampToDate(CurrentTimestampTz() + int64_t{10} * 3600 * 1000000);
  EXPECT_EQ(ParseTimestampTz("today", 10 * 3600),
            local_today * kUsecPerDay - int64_t{10} * 3600 * 1000000);
}

}  // namespace
}  // namespace activestore
