// The formatting engine against PostgreSQL 15: every expected value below is what PostgreSQL 15
// returned for the same call (C locale, TimeZone as named in the test).
#include "common/formatting.h"

#include <gtest/gtest.h>

#include <string>

#include "common/datetime.h"
#include "common/error.h"
#include "common/interval.h"

namespace activestore {
namespace {

std::string Ts(std::string_view ts, std::string_view fmt) {
  auto r = TimestampToChar(ParseTimestamp(ts, *TimeZone::Utc()), fmt, nullptr);
  return r ? *r : "<null>";
}

std::string Tstz(std::string_view ts, std::string_view fmt, std::string_view zone) {
  auto tz = TimeZone::Find(zone);
  auto r = TimestampToChar(ParseTimestampTz(ts, *tz), fmt, tz.get());
  return r ? *r : "<null>";
}

std::string Iv(std::string_view iv, std::string_view fmt) {
  auto r = IntervalToChar(ParseInterval(iv), fmt);
  return r ? *r : "<null>";
}

std::string Num(std::string_view n, std::string_view fmt) {
  return NumericToChar(Numeric::Parse(n), fmt);
}

std::string ToNum(std::string_view text, std::string_view fmt) {
  auto r = ToNumber(text, fmt);
  return r ? r->ToString() : "<null>";
}

std::string Date(std::string_view text, std::string_view fmt) {
  return FormatDate(ToDate(text, fmt));
}

std::string Stamp(std::string_view text, std::string_view fmt, std::string_view zone = "UTC") {
  auto tz = TimeZone::Find(zone);
  return FormatTimestampTz(ToTimestamp(text, fmt, *tz), *tz);
}

// The SQLSTATE and message of the error `f` throws ("" if none).
template <typename F>
std::string ErrorOf(F f) {
  try {
    f();
  } catch (const Error& e) {
    return std::string(SqlStateCode(e.state())) + " " + e.what();
  }
  return "";
}

TEST(TimestampToChar, Fields) {
  const char* ts = "2024-03-05 14:07:09.123456";
  EXPECT_EQ(Ts(ts, "YYYY-MM-DD HH24:MI:SS.US HH12 AM am A.M. p.m. MS FF1 FF6 SSSS"),
            "2024-03-05 14:07:09.123456 02 PM pm P.M. p.m. 123 1 123456 50829");
  EXPECT_EQ(Ts(ts, "Y,YYY YYYY YYY YY Y IYYY IYY IY I BC a.d."),
            "2,024 2024 024 24 4 2024 024 24 4 AD a.d.");
  EXPECT_EQ(Ts(ts, "MONTH|Month|month|MON|Mon|mon|MM"),
            "MARCH    |March    |march    |MAR|Mar|mar|03");
  EXPECT_EQ(Ts(ts, "DAY|Day|day|DY|Dy|dy"), "TUESDAY  |Tuesday  |tuesday  |TUE|Tue|tue");
  EXPECT_EQ(Ts(ts, "DDD IDDD DD D ID W WW IW CC J Q RM rm"),
            "065 065 05 3 2 1 10 10 21 2460375 1 III  iii ");
}

TEST(TimestampToChar, Modifiers) {
  EXPECT_EQ(Ts("2024-03-05 04:07:09", "FMMonth FMDay FMDD FMMM FMHH12 DDth DDTH FMDDth Jth"),
            "March Tuesday 5 3 4 05th 05TH 5th 2460375th");
  EXPECT_EQ(Ts("2024-01-11", "DDth"), "11th");
  EXPECT_EQ(Ts("2024-01-22", "DDth"), "22nd");
  EXPECT_EQ(Ts("2024-01-23", "ddth"), "23rd");
  // TM prints the C locale's names, unpadded; SP and FX print nothing.
  EXPECT_EQ(Ts("2024-03-05", "FMYYYYSP TMMonth TMDay FX"), "2024 March Tuesday ");
  EXPECT_EQ(Ts("2024-03-05", R"("quoted YYYY" \"YYYY\" YYYY "a\"b")"),
            "quoted YYYY \"2024\" 2024 a\"b");
  EXPECT_EQ(Ts("0044-03-15 12:00:00 BC", "YYYY BC B.C. CC Y,YYY IYYY"),
            "0044 BC B.C. -01 0,044 0044");
  EXPECT_EQ(Ts("2021-01-01", "IYYY IW IDDD ID WW DDDth"), "2020 53 369 5 01 001st");
  EXPECT_EQ(Ts("2024-03-05", ""), "<null>");
  EXPECT_EQ(Ts("infinity", "YYYY"), "<null>");
}

TEST(TimestampToChar, Zones) {
  EXPECT_EQ(
      Tstz("2024-07-01 12:00:00+00", "YYYY-MM-DD HH24:MI TZ tz TZH:TZM OF", "America/Los_Angeles"),
      "2024-07-01 05:00 PDT pdt -07:00 -07");
  EXPECT_EQ(Tstz("2024-07-01 12:00:00+00", "HH24:MI TZ OF TZH TZM", "Asia/Kolkata"),
            "17:30 IST +05:30 +05 30");
  // A timestamp without time zone has no zone: TZ is empty, the offset zero.
  EXPECT_EQ(Ts("2024-07-01 12:00:00", "TZ|TZH|TZM|OF"), "|+00|00|+00");
}

TEST(IntervalToChar, Fields) {
  EXPECT_EQ(Iv("1 year 2 months 3 days 04:05:06.789",
               "YYYY MM DD HH24 MI SS MS US HH12 DDD WW J CC Y,YYY RM"),
            "0001 02 03 04 05 06 789 789000 04 423 61 1721459 00 0,001 II  ");
  EXPECT_EQ(Iv("-1 year -2 months -3 days -04:05:06.789", "YYYY MM DD HH24 MI SS MS US HH DDD RM"),
            "-0001 -02 -3 -04 -05 -06 -789 -789000 -04 -423 XI  ");
  EXPECT_EQ(Iv("15 hours", "HH HH12 HH24 AM"), "03 03 15 PM");
  EXPECT_EQ(Iv("2 years", "RM"), "XII ");
  EXPECT_EQ(ErrorOf([] { Iv("1 day", "Mon"); }),
            "22007 invalid format specification for an interval value");
}

TEST(NumberToChar, Patterns) {
  EXPECT_EQ(Num("12345.678", "99999.99"), " 12345.68");
  EXPECT_EQ(Num("-12345.678", "FM99999.99"), "-12345.68");
  EXPECT_EQ(Num("12345.678", "00000.000"), " 12345.678");
  EXPECT_EQ(Num("12345.678", "9,999.9"), " #,###.#");
  EXPECT_EQ(Num("-12345.678", "S99999.9"), "-12345.7");
  EXPECT_EQ(Num("-12345.678", "99999.9S"), "12345.7-");
  EXPECT_EQ(Num("12345.678", "99999.9MI"), "12345.7 ");
  EXPECT_EQ(Num("12345.678", "99999.9PL"), " 12345.7+");
  EXPECT_EQ(Num("-12345.678", "99999SG"), "12346-");
  EXPECT_EQ(Num("-12345.678", "99999PR"), "<12346>");
  EXPECT_EQ(Num("0.5", "9.9"), "  .5");
  EXPECT_EQ(Num("0.5", "0.9"), " 0.5");
  EXPECT_EQ(Num("0", "FM9.9"), "0.");
  EXPECT_EQ(Num("5", "FM990.990"), "5.000");
  EXPECT_EQ(Num("12345", "9.99EEEE"), " 1.23e+04");
  EXPECT_EQ(Num("99999", "9.9EEEE"), " 10.0e+04");
  EXPECT_EQ(Num("12.45", "99V99"), " 1245");
  EXPECT_EQ(Num("NaN", "9999"), "  NaN");
  EXPECT_EQ(Int32ToChar(485, "999th"), " 485th");
  EXPECT_EQ(Int32ToChar(485, "RN"), "        CDLXXXV");
  EXPECT_EQ(Int32ToChar(1994, "FMrn"), "mcmxciv");
  EXPECT_EQ(Int32ToChar(4000, "RN"), "###############");
  EXPECT_EQ(Int32ToChar(485, "9G999D99 L999"), "   485.00  000");
  EXPECT_EQ(Int32ToChar(123456789, "999"), " ###");
  EXPECT_EQ(Int64ToChar(12, "99V999"), " 12000");
  EXPECT_EQ(Float64ToChar(1234.5, "9.99EEEE"), " 1.23e+03");
  EXPECT_EQ(Float64ToChar(-0.0, "9.9"), " -.0");
  EXPECT_EQ(Float64ToChar(0.0 / 0.0, "999"), " NaN");
  EXPECT_EQ(Int32ToChar(7, ""), "");
  EXPECT_EQ(ErrorOf([] { Int32ToChar(1, "9.9.9"); }), "42601 multiple decimal points");
  EXPECT_EQ(ErrorOf([] { Int32ToChar(1, "9EEEE9"); }),
            "42601 \"EEEE\" must be the last pattern used");
}

TEST(ToNumber, Reads) {
  EXPECT_EQ(ToNum("12,454.8-", "99G999D9S"), "-12454.8");
  EXPECT_EQ(ToNum("<564646.654564>", "999999.999999PR"), "-564646.654564");
  EXPECT_EQ(ToNum("5.01-", "FM9.999999MI"), "-5.01");
  EXPECT_EQ(ToNum("$1234.56", "L9,999.99"), "1234.56");
  EXPECT_EQ(ToNum("123", "99"), "12");
  EXPECT_EQ(ToNum("12", "9V9"), "1.2000000000000000");
  EXPECT_EQ(ToNum("x", ""), "<null>");
  EXPECT_EQ(ErrorOf([] { ToNum("abc", "999"); }),
            "22P02 invalid input syntax for type numeric: \" \"");
  EXPECT_EQ(ErrorOf([] { ToNum("XII", "RN"); }), "0A000 \"RN\" not supported for input");
}

TEST(ToDate, Reads) {
  EXPECT_EQ(Date("05 Mar 2024", "DD Mon YYYY"), "2024-03-05");
  EXPECT_EQ(Date("24-3-5", "YY-MM-DD"), "2024-03-05");
  EXPECT_EQ(Date("2458872", "J"), "2020-01-23");
  EXPECT_EQ(Date("2020 53 7", "IYYY IW ID"), "2021-01-03");
  EXPECT_EQ(Date("44 BC", "YYYY BC"), "0044-01-01 BC");
  EXPECT_EQ(Date("3 4 21 01", "W MM CC YY"), "2001-04-15");
  EXPECT_EQ(ErrorOf([] { Date("2024-02-30", "YYYY-MM-DD"); }),
            "22008 date/time field value out of range: \"2024-02-30\"");
  EXPECT_EQ(ErrorOf([] { Date("2024 Foo 01", "YYYY Mon DD"); }),
            "22007 invalid value \"Foo\" for \"Mon\"");
  EXPECT_EQ(ErrorOf([] { Date("12-2024", "MM-IYYY"); }),
            "22007 invalid combination of date conventions");
  EXPECT_EQ(ErrorOf([] { Date("2024030", "YYYYMMDDHH24"); }),
            "22007 source string too short for \"DD\" formatting field");
}

TEST(ToTimestamp, Reads) {
  EXPECT_EQ(Stamp("2024-03-05 02:07 PM", "YYYY-MM-DD HH:MI AM"), "2024-03-05 14:07:00+00");
  EXPECT_EQ(Stamp("2024-03-05 14:07:09 +05:30", "YYYY-MM-DD HH24:MI:SS TZH:TZM"),
            "2024-03-05 08:37:09+00");
  EXPECT_EQ(Stamp("2024-03-05 14:07:09.123456", "YYYY-MM-DD HH24:MI:SS.FF3"),
            "2024-03-05 14:07:09.123+00");
  EXPECT_EQ(Stamp("10:20", "HH24:MI"), "0001-01-01 10:20:00+00 BC");
  EXPECT_EQ(Stamp("2024-07-01 12:00", "YYYY-MM-DD HH24:MI", "America/New_York"),
            "2024-07-01 12:00:00-04");
  EXPECT_EQ(Stamp("97/2/16 8:14:30", "FMYYYY/FMMM/FMDD FMHH:FMMI:FMSS"), "0097-02-16 08:14:30+00");
  EXPECT_EQ(ErrorOf([] { Stamp("2024-03-05 13:07 PM", "YYYY-MM-DD HH:MI AM"); }),
            "22007 hour \"13\" is invalid for the 12-hour clock");
  EXPECT_EQ(ErrorOf([] { Stamp("2011-12-18 PST", "YYYY-MM-DD TZ"); }),
            "0A000 formatting field \"TZ\" is only supported in to_char");
  EXPECT_EQ(UnixEpochToTimestamp(0), int64_t{-946684800} * 1000000);
  EXPECT_EQ(UnixEpochToTimestamp(1.0 / 0.0), kTimestampNoEnd);
  EXPECT_EQ(ErrorOf([] { UnixEpochToTimestamp(1e20); }), "22008 timestamp out of range: \"1e+20\"");
}

}  // namespace
}  // namespace activestore
