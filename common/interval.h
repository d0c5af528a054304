// interval: PostgreSQL's 16-byte time span (microseconds, days, months kept apart, because a
// day is not always 24 hours and a month not always 30 days). Text input in every form
// PostgreSQL 15 accepts, output in every IntervalStyle, the typmod field restrictions
// (`interval hour to minute`, `interval(3)`), arithmetic, justify_*, age, extract/date_part,
// date_trunc, make_interval and timestamp arithmetic. Stateless and thread-safe.
//
// Errors (PostgreSQL's wording): 22007 `invalid input syntax for type interval: "x"`,
// 22015 `interval field value out of range: "x"`, 22008 `interval out of range`,
// 22008 `timestamp out of range`, 22012 `division by zero`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/numeric.h"
#include "common/timezone.h"

namespace activestore {

struct Interval {
  int64_t usec = 0;    // time part
  int32_t days = 0;    // day part
  int32_t months = 0;  // month part

  bool operator==(const Interval& o) const = default;  // bitwise, not interval equality
};

enum class IntervalStyle { kPostgres, kPostgresVerbose, kSqlStandard, kIso8601 };

// The interval typmod as PostgreSQL encodes it: (range mask << 16) | precision. The range bits
// are PostgreSQL's (MONTH 1, YEAR 2, DAY 3, HOUR 10, MINUTE 11, SECOND 12).
inline constexpr int kIntervalMonth = 1 << 1;
inline constexpr int kIntervalYear = 1 << 2;
inline constexpr int kIntervalDay = 1 << 3;
inline constexpr int kIntervalHour = 1 << 10;
inline constexpr int kIntervalMinute = 1 << 11;
inline constexpr int kIntervalSecond = 1 << 12;
inline constexpr int kIntervalFullRange = 0x7fff;
inline constexpr int kIntervalFullPrecision = 0xffff;
inline constexpr int kMaxIntervalPrecision = 6;
inline int32_t IntervalTypmod(int precision, int range) {
  return static_cast<int32_t>((static_cast<uint32_t>(range) << 16) | (precision & 0xffff));
}
inline int IntervalTypmodRange(int32_t typmod) { return (typmod >> 16) & 0x7fff; }
inline int IntervalTypmodPrecision(int32_t typmod) { return typmod & 0xffff; }
// format_type's suffix for an interval typmod: "", "(3)", " hour to minute", " second(2)".
std::string IntervalTypmodSuffix(int32_t typmod);

// interval_in: `style` matters only for sql_standard (a leading '-' applies to every field).
Interval ParseInterval(std::string_view text, int32_t typmod = -1,
                       IntervalStyle style = IntervalStyle::kPostgres);
// interval_out.
std::string FormatInterval(const Interval& v, IntervalStyle style = IntervalStyle::kPostgres);
// interval_scale: drops the fields outside the typmod's range, rounds to its precision.
Interval ApplyIntervalTypmod(const Interval& v, int32_t typmod);

// interval_cmp: compares the spans with 30-day months and 24-hour days (so '1 day' equals
// '24 hours'); IntervalKey is that span in microseconds, for hashing and key encoding.
__int128 IntervalKey(const Interval& v);
int CompareIntervals(const Interval& a, const Interval& b);

Interval IntervalAdd(const Interval& a, const Interval& b);
Interval IntervalSub(const Interval& a, const Interval& b);
Interval IntervalNegate(const Interval& a);
Interval IntervalMul(const Interval& a, double factor);
Interval IntervalDiv(const Interval& a, double divisor);
Interval JustifyHours(const Interval& a);
Interval JustifyDays(const Interval& a);
Interval JustifyInterval(const Interval& a);
// make_interval(years, months, weeks, days, hours, mins, secs).
Interval MakeInterval(int64_t years, int64_t months, int64_t weeks, int64_t days, int64_t hours,
                      int64_t mins, double secs);

// timestamp + interval (tz == nullptr) or timestamptz + interval (months and days are added to
// the local time in `tz`, then the result is placed in the zone again, as PostgreSQL does
// across daylight-saving changes). +-infinity stay. Throws 22008 `timestamp out of range`.
int64_t TimestampPlusInterval(int64_t ts, const Interval& span, const TimeZone* tz);
// timestamp - timestamp (justify_hours of the microsecond difference); 22008 `cannot subtract
// infinite timestamps`.
Interval TimestampDifference(int64_t a, int64_t b);
// age(a, b): the symbolic difference in years, months, days, ...; local times in `tz` when
// not null (timestamptz).
Interval TimestampAge(int64_t a, int64_t b, const TimeZone* tz);

// extract(unit from interval) (numeric) and date_part(unit, interval) (float8). Throws 22023
// `unit "x" not recognized for type interval`, 0A000 `unit "x" not supported for type
// interval`.
Numeric ExtractInterval(std::string_view unit, const Interval& v);
double DatePartInterval(std::string_view unit, const Interval& v);
// date_trunc(unit, interval).
Interval TruncInterval(std::string_view unit, const Interval& v);

}  // namespace activestore
