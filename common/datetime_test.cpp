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
    opts.timezone = TimeZone::FixedOffset(c.tz_offset);
    std::string got;
    try {
      got = FormatValue(ParseValue(c.input, TypeFor(c.type), opts), opts);
    } catch (const Error& e) {
      got = "ERR:" + std::string(SqlStateCode(e.state())) + ":" + e.message();
    }
    EXPECT_EQ(got, c.expected);
  }
}

struct StyleCase {
  const char* datestyle;  // "Postgres, DMY"
  const char* timezone;   // a name TimeZone::Find knows
  const char* input;
  const char* type;
  const char* expected;  // output text, or ERR:<sqlstate>:<message>
};

constexpr StyleCase kStyleCases[] = {
#include "common/datestyle_cases_test.inc"
};

FormatOptions OptionsFor(std::string_view datestyle, std::string_view zone) {
  FormatOptions o;
  std::string_view style = datestyle.substr(0, datestyle.find(','));
  std::string_view order = datestyle.substr(datestyle.find(", ") + 2);
  o.date_style = style == "ISO"        ? DateStyle::kIso
                 : style == "SQL"      ? DateStyle::kSql
                 : style == "Postgres" ? DateStyle::kPostgres
                                       : DateStyle::kGerman;
  o.date_order = order == "MDY"   ? DateOrder::kMdy
                 : order == "DMY" ? DateOrder::kDmy
                                  : DateOrder::kYmd;
  o.timezone = TimeZone::Find(zone);
  return o;
}

// Every DateStyle and field order, named zones with DST (Los Angeles' 2022 gap and overlap,
// Dublin's negative DST), POSIX zones, zones and abbreviations inside the literal.
TEST(DateTimeTest, StylesAndZonesMatchPostgres) {
  for (const StyleCase& c : kStyleCases) {
    SCOPED_TRACE(std::string(c.input) + "::" + c.type + " @" + c.timezone + " / " + c.datestyle);
    FormatOptions opts = OptionsFor(c.datestyle, c.timezone);
    ASSERT_NE(opts.timezone, nullptr);
    std::string got;
    try {
      got = FormatValue(ParseValue(c.input, TypeFor(c.type), opts), opts);
    } catch (const Error& e) {
      got = "ERR:" + std::string(SqlStateCode(e.state())) + ":" + e.message();
    }
    EXPECT_EQ(got, c.expected);
  }
}

TEST(DateTimeTest, TimeZoneLookup) {
  auto la = TimeZone::Find("america/los_angeles");
  ASSERT_NE(la, nullptr);
  EXPECT_EQ(la->name(), "America/Los_Angeles");
  EXPECT_EQ(TimeZone::Find("Foo/Bar"), nullptr);
  EXPECT_EQ(TimeZone::Find("Z"), nullptr);
  // POSIX sign convention: UTC+3 is three hours west, abbreviation UTC.
  auto p = TimeZone::Find("utc+3");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name(), "UTC+3");
  std::string abbrev;
  EXPECT_EQ(p->UtcOffset(0, &abbrev), -3 * 3600);
  EXPECT_EQ(abbrev, "UTC");
  EXPECT_EQ(TimeZone::Find("+05:30")->UtcOffset(0, &abbrev), -(5 * 3600 + 1800));
  EXPECT_EQ(abbrev, "");
  // SET TIME ZONE -8 (SQL sign convention) is PostgreSQL's "<-08>+08".
  auto f = TimeZone::FixedOffset(-8 * 3600);
  EXPECT_EQ(f->name(), "<-08>+08");
  EXPECT_EQ(f->UtcOffset(0, &abbrev), -8 * 3600);
  EXPECT_EQ(abbrev, "-08");
  EXPECT_EQ(TimeZone::FixedOffset(5 * 3600 + 1800)->name(), "<+05:30>-05:30");
  EXPECT_EQ(TimeZone::Find("<-08>+08")->UtcOffset(0), -8 * 3600);
  // POSIX daylight-saving rules; none given: M3.2.0,M11.1.0 (PostgreSQL 15).
  auto posix = TimeZone::Find("EST5EDT4,M3.2.0/2,M11.1.0/2");
  ASSERT_NE(posix, nullptr);
  auto foo = TimeZone::Find("foo5bar");
  ASSERT_NE(foo, nullptr);
  EXPECT_EQ(foo->name(), "FOO5BAR");
  for (const auto& z : {posix, foo}) {
    EXPECT_EQ(z->UtcOffset(ParseTimestamp("2014-07-01 12:00", *z), &abbrev), -4 * 3600);
    EXPECT_EQ(z->UtcOffset(ParseTimestamp("2014-01-01 12:00", *z)), -5 * 3600);
    EXPECT_EQ(FormatTimestampTz(ParseTimestamp("2014-03-09 07:00:00", *TimeZone::Utc()), *z),
              "2014-03-09 03:00:00-04");
    EXPECT_EQ(z->LocalOffset(ParseTimestamp("2014-03-09 02:30", *z)), -5 * 3600);  // the gap
    EXPECT_EQ(z->LocalOffset(ParseTimestamp("2014-11-02 01:30", *z)), -5 * 3600);  // overlap
    EXPECT_EQ(z->LocalOffset(ParseTimestamp("2014-11-02 00:30", *z)), -4 * 3600);
    int64_t east;
    EXPECT_FALSE(z->FixedOffsetOf(&east));
  }
  EXPECT_EQ(abbrev, "BAR");
  // Southern hemisphere (DST across the new year), Julian days, a negative rule time.
  auto south = TimeZone::Find("AAA-10BBB,M10.1.0,M4.1.0/3");
  EXPECT_EQ(south->UtcOffset(ParseTimestamp("2014-01-01", *south)), 11 * 3600);
  EXPECT_EQ(south->UtcOffset(ParseTimestamp("2014-07-01", *south)), 10 * 3600);
  auto julian = TimeZone::Find("AAA5BBB4,J60/1:30,300/-1");
  EXPECT_EQ(julian->UtcOffset(ParseTimestamp("2014-03-01 12:00", *julian)), -4 * 3600);
  EXPECT_EQ(julian->UtcOffset(ParseTimestamp("2014-02-28 12:00", *julian)), -5 * 3600);
  EXPECT_EQ(julian->UtcOffset(ParseTimestamp("2014-10-27 12:00", *julian)), -4 * 3600);
  EXPECT_EQ(julian->UtcOffset(ParseTimestamp("2014-10-28 12:00", *julian)), -5 * 3600);
  EXPECT_EQ(TimeZone::Find("XYZ8XXX,M3.2.0"), nullptr);
  EXPECT_EQ(TimeZone::Find("XYZ8XXX,M13.2.0,M11.1.0"), nullptr);
  EXPECT_EQ(TimeZone::Find("XYZ8XXX,M3.2.0,M11.1.0/200"), nullptr);
  // DST transitions of 2022 in Los Angeles: 02:30 on March 13 does not exist (taken as PST,
  // i.e. 03:30 PDT); 01:30 on November 6 happens twice (taken as the later, PST).
  int64_t gap = ParseTimestamp("2022-03-13 02:30", *la);
  EXPECT_EQ(la->LocalOffset(gap), -8 * 3600);
  EXPECT_EQ(FormatTimestampTz(la->LocalToUtc(gap), *la), "2022-03-13 03:30:00-07");
  int64_t overlap = ParseTimestamp("2022-11-06 01:30", *la);
  EXPECT_EQ(la->LocalOffset(overlap), -8 * 3600);
  EXPECT_EQ(la->LocalOffset(overlap - int64_t{3600} * 1000000), -7 * 3600);  // 00:30 PDT
  // After 2037 (beyond the tz files' explicit transitions) the rules still apply.
  EXPECT_EQ(la->UtcOffset(ParseTimestampTz("2100-07-01 12:00+00", *la)), -7 * 3600);
  EXPECT_EQ(la->UtcOffset(ParseTimestampTz("2100-01-01 12:00+00", *la)), -8 * 3600);
  int64_t east;
  EXPECT_TRUE(LookupZoneAbbreviation("pst", &east));
  EXPECT_EQ(east, -8 * 3600);
  EXPECT_FALSE(LookupZoneAbbreviation("foo", &east));
  EXPECT_THROW(LookupZoneAbbreviation("MSK", &east), Error);
  // The Default set with PostgreSQL's kinds: PDT is daylight-saving time, MSK dynamic.
  ZoneAbbrev a;
  ASSERT_TRUE(FindZoneAbbreviation("pdt", &a));
  EXPECT_FALSE(a.dynamic);
  EXPECT_TRUE(a.is_dst);
  EXPECT_EQ(a.east, -7 * 3600);
  EXPECT_FALSE(FindZoneAbbreviation("foo", &a));
  ASSERT_TRUE(FindZoneAbbreviation("MSK", &a));
  ASSERT_TRUE(a.dynamic);
  EXPECT_EQ(a.zone->name(), "Europe/Moscow");
  // MSK's meaning at a time: the latest period using it that began by then (+3 before
  // 2011-03-27, +4 from then until 2014-10-26, +3 after); MSD was never MSK.
  bool is_dst;
  EXPECT_TRUE(a.zone->AbbrevOffset("MSK", ParseTimestampTz("2011-03-01 00:00+00", *la), &east,
                                   &is_dst));
  EXPECT_EQ(east, 3 * 3600);
  EXPECT_TRUE(a.zone->AbbrevOffset("MSK", ParseTimestampTz("2012-06-01 00:00+00", *la), &east,
                                   &is_dst));
  EXPECT_EQ(east, 4 * 3600);
  EXPECT_TRUE(a.zone->AbbrevOffset("MSD", ParseTimestampTz("2012-06-01 00:00+00", *la), &east,
                                   &is_dst));
  EXPECT_EQ(east, 4 * 3600);
  EXPECT_TRUE(is_dst);
  EXPECT_FALSE(a.zone->AbbrevOffset("PST", 0, &east, &is_dst));
  int64_t fixed;
  EXPECT_TRUE(TimeZone::Find("Etc/GMT+3")->FixedOffsetOf(&fixed));
  EXPECT_EQ(fixed, -3 * 3600);
  EXPECT_FALSE(la->FixedOffsetOf(&fixed));
}

// 'now', 'today', 'tomorrow', 'yesterday' read the given transaction start, in the session zone.
TEST(DateTimeTest, NowWordsUseTheTransactionStart) {
  auto la = TimeZone::Find("America/Los_Angeles");
  const int64_t start = ParseTimestampTz("2024-03-10 07:30:00+00", *la);  // 23:30 PST on the 9th
  EXPECT_EQ(ParseTimestampTz("now", *la, DateOrder::kMdy, start), start);
  EXPECT_EQ(FormatTimestamp(ParseTimestamp("now", *la, DateOrder::kMdy, start)),
            "2024-03-09 23:30:00");
  EXPECT_EQ(FormatDate(ParseDate("today", *la, DateOrder::kMdy, start)), "2024-03-09");
  EXPECT_EQ(FormatDate(ParseDate("tomorrow", *la, DateOrder::kMdy, start)), "2024-03-10");
  EXPECT_EQ(FormatTimestampTz(ParseTimestampTz("tomorrow 03:00", *la, DateOrder::kMdy, start), *la),
            "2024-03-10 03:00:00-07");  // in the gap after the spring-forward
  EXPECT_EQ(FormatTimestamp(ParseTimestamp("yesterday EST", *la, DateOrder::kMdy, start)),
            "2024-03-08 00:00:00");
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
  const TimeZone& utc = *TimeZone::Utc();
  auto la = TimeZone::Find("America/Los_Angeles");
  const DateStyle kStyles[] = {DateStyle::kIso, DateStyle::kSql, DateStyle::kPostgres,
                               DateStyle::kGerman};
  for (int i = 0; i < 20000; ++i) {
    // Every style reads back in its own field order (German is D.M.Y).
    DateStyle style = kStyles[i % 4];
    DateOrder order = style == DateStyle::kGerman || i % 8 >= 4 ? DateOrder::kDmy : DateOrder::kMdy;
    int32_t d = static_cast<int32_t>(days(rng));
    ASSERT_EQ(ParseDate(FormatDate(d, style, order), utc, order), d) << FormatDate(d, style, order);
    int64_t t = usec(rng);
    ASSERT_EQ(ParseTimestamp(FormatTimestamp(t, style, order), utc, order), t)
        << FormatTimestamp(t, style, order);
    int64_t off = offset(rng) / 60 * 60;
    auto fixed = TimeZone::FixedOffset(off);
    int64_t tz = t - 16 * 3600 * int64_t{1000000};
    if (IsValidTimestamp(tz)) {
      std::string text = FormatTimestampTz(tz, *fixed, style, order);
      ASSERT_EQ(ParseTimestampTz(text, utc, order), tz) << text;
      // Named zone: ISO prints the numeric offset, which always reads back.
      text = FormatTimestampTz(tz, *la);
      ASSERT_EQ(ParseTimestampTz(text, utc), tz) << text;
    }
  }
}

TEST(DateTimeTest, SpecialsAndConversions) {
  EXPECT_EQ(FormatDate(0), "2000-01-01");
  EXPECT_EQ(FormatTimestamp(0), "2000-01-01 00:00:00");
  EXPECT_EQ(FormatTimestampTz(0, *TimeZone::FixedOffset(5 * 3600 + 1800)),
            "2000-01-01 05:30:00+05:30");
  EXPECT_EQ(FormatTimestampTz(0, *TimeZone::FixedOffset(-8 * 3600)), "1999-12-31 16:00:00-08");
  EXPECT_EQ(FormatTimestampTz(0, *TimeZone::FixedOffset(3600 + 61)),
            "2000-01-01 01:01:01+01:01:01");
  EXPECT_EQ(FormatTimestampTz(0, *TimeZone::FixedOffset(3600 + 61), DateStyle::kPostgres),
            "Sat Jan 01 01:01:01 2000 +01:01:01");
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
  int64_t now = ParseTimestampTz("now", *TimeZone::Utc());
  EXPECT_GE(now, before);
  EXPECT_LE(now - before, int64_t{60} * 1000000);
  int32_t today = ParseDate("today", *TimeZone::Utc());
  EXPECT_EQ(today, TimestampToDate(now));
  EXPECT_EQ(ParseDate("tomorrow", *TimeZone::Utc()), today + 1);
  EXPECT_EQ(ParseDate("YESTERDAY", *TimeZone::Utc()), today - 1);
  EXPECT_EQ(ParseTimestamp("today", *TimeZone::Utc()), int64_t{today} * kUsecPerDay);
  // Local midnight in +10 is 14:00 UTC the day before.
  int64_t local_today = TimestampToDate(CurrentTimestampTz() + int64_t{10} * 3600 * 1000000);
  EXPECT_EQ(ParseTimestampTz("today", *TimeZone::FixedOffset(10 * 3600)),
            local_today * kUsecPerDay - int64_t{10} * 3600 * 1000000);
}

// The ISO fast path (ParseIsoTimestamp) agrees with the general decoder, which reads the same
// text with a leading space; what it does not take is left to the decoder.
TEST(DateTimeTest, IsoFastPathAgreesWithTheDecoder) {
  auto la = TimeZone::Find("america/los_angeles");
  ASSERT_NE(la, nullptr);
  const char* cases[] = {
      "2024-01-01 00:00:00+00",      "2024-01-01 00:00:00",      "2024-02-29 23:59:59.999999-08",
      "1999-12-31T12:34:56.5+05:30", "0001-01-01 00:00:00+00",   "2024-07-01 02:30:00-03:30",
      "2100-03-01 10:00:00.123+15",  "2024-13-01 00:00:00+00",   "2023-02-29 00:00:00+00",
      "2024-01-01 24:00:00+00",      "2024-01-01 23:59:60+00",   "2024-01-01 00:00:00.1234567+00",
      "2024-01-01 00:00:00+16",      "2024-01-01 00:00:00+0530", "2024-01-01 00:00:00Z",
      "2024-01-01 00:00:00.+00",     "2024-1-01 00:00:00+00",    "2024-01-01 00:00:00 +00"};
  for (const char* c : cases) {
    for (bool with_tz : {true, false}) {
      auto parse = [&](const std::string& text, const TimeZone& tz) -> std::string {
        try {
          return std::to_string(with_tz ? ParseTimestampTz(text, tz) : ParseTimestamp(text, tz));
        } catch (const Error& e) {
          return std::string(SqlStateCode(e.state()));  // messages quote the text
        }
      };
      for (const TimeZone* tz : {TimeZone::Utc().get(), la.get()}) {
        SCOPED_TRACE(std::string(c) + (with_tz ? " tz" : ""));
        std::string fast = parse(c, *tz);
        std::string slow = parse(std::string(" ") + c, *tz);
        EXPECT_EQ(fast, slow);
      }
    }
  }
  EXPECT_EQ(ParseTimestampTz("2000-01-01 00:00:00+00", *TimeZone::Utc()), 0);
  EXPECT_EQ(ParseTimestampTz("2000-01-01 01:00:00+01", *TimeZone::Utc()), 0);
  EXPECT_EQ(ParseTimestamp("2000-01-01 00:00:01.5+07", *TimeZone::Utc()), 1500000);
}

}  // namespace
}  // namespace activestore
