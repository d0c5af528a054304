// date, timestamp and timestamptz: calendar math, text input and output with PostgreSQL 15's
// behaviour for every DateStyle (ISO, SQL, Postgres, German with the field orders MDY, DMY, YMD)
// and session time zone. Stateless and thread-safe.
//
// Representation (as value.h): date = days since 2000-01-01; timestamp and timestamptz =
// microseconds since 2000-01-01 00:00:00 (UTC for timestamptz). +-infinity are the extreme
// values of the integer type, as in PostgreSQL.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "common/timezone.h"

namespace activestore {

constexpr int32_t kDateNoBegin = std::numeric_limits<int32_t>::min();  // -infinity
constexpr int32_t kDateNoEnd = std::numeric_limits<int32_t>::max();    // infinity
constexpr int64_t kTimestampNoBegin = std::numeric_limits<int64_t>::min();
constexpr int64_t kTimestampNoEnd = std::numeric_limits<int64_t>::max();
constexpr int64_t kUsecPerDay = int64_t{86400} * 1000000;

// Days since 2000-01-01 of a proleptic Gregorian date; year is astronomical (0 = 1 BC).
int64_t DaysFromCivil(int64_t year, int month, int day);
void CivilFromDays(int64_t days, int64_t* year, int* month, int* day);

bool IsValidDate(int64_t days);       // within 4714-11-24 BC .. 5874897-12-31
bool IsValidTimestamp(int64_t usec);  // within 4714-11-24 BC .. 294276-12-31 23:59:59.999999
inline bool DateIsFinite(int32_t d) { return d != kDateNoBegin && d != kDateNoEnd; }
inline bool TimestampIsFinite(int64_t t) { return t != kTimestampNoBegin && t != kTimestampNoEnd; }

// DateStyle: the output format, and the field order for ambiguous input like 01/02/03.
enum class DateStyle { kIso, kSql, kPostgres, kGerman };
enum class DateOrder { kMdy, kDmy, kYmd };

// Text input. `tz` is the session time zone: it gives the local time for 'now'/'today' and the
// zone of a timestamptz written without one. The literal may name its own zone: an offset
// (+02, -08:00), an abbreviation of PostgreSQL's Default set (PST, CEST, UTC) or an IANA name
// (America/New_York). `order` resolves M/D/Y vs D/M/Y vs Y/M/D.
// Errors: 22007 `invalid input syntax for type date: "x"`, 22008 `date/time field value out of
// range: "x"`, 22008 `date out of range: "x"` / `timestamp out of range: "x"`, 22009 `time zone
// displacement out of range: "x"`, 22023 `time zone "x" not recognized`.
// `now_usec` is the current transaction's start (what 'now', 'today', 'tomorrow' and
// 'yesterday' mean); kCurrentTime reads the system clock.
constexpr int64_t kCurrentTime = std::numeric_limits<int64_t>::min();
int32_t ParseDate(std::string_view text, const TimeZone& tz, DateOrder order = DateOrder::kMdy,
                  int64_t now_usec = kCurrentTime);
int64_t ParseTimestamp(std::string_view text, const TimeZone& tz, DateOrder order = DateOrder::kMdy,
                       int64_t now_usec = kCurrentTime);
int64_t ParseTimestampTz(std::string_view text, const TimeZone& tz,
                         DateOrder order = DateOrder::kMdy, int64_t now_usec = kCurrentTime);

// Text output as PostgreSQL's EncodeDateOnly / EncodeDateTime: ISO "2024-01-31 12:34:56.789",
// SQL "01/31/2024 12:34:56.789 PST", Postgres "Wed Jan 31 12:34:56.789 2024 PST", German
// "31.01.2024 12:34:56.789 PST"; " BC" after BC years; "infinity", "-infinity". timestamptz is
// shown in `tz` (ISO with the numeric offset "-08", the others with the zone abbreviation).
std::string FormatDate(int32_t days, DateStyle style = DateStyle::kIso,
                       DateOrder order = DateOrder::kMdy);
std::string FormatTimestamp(int64_t usec, DateStyle style = DateStyle::kIso,
                            DateOrder order = DateOrder::kMdy);
std::string FormatTimestampTz(int64_t usec, const TimeZone& tz, DateStyle style = DateStyle::kIso,
                              DateOrder order = DateOrder::kMdy);

// The units of extract/date_part/date_trunc and the unit words of interval input.
enum class DateUnit {
  kMicroseconds,
  kMilliseconds,
  kSecond,
  kMinute,
  kHour,
  kDay,
  kWeek,
  kMonth,
  kQuarter,
  kYear,
  kDecade,
  kCentury,
  kMillennium,
  kDow,
  kIsoDow,
  kDoy,
  kIsoYear,
  kEpoch,
  kJulian,
  kTimezone,
  kTimezoneHour,
  kTimezoneMinute,
  kAgo,     // "ago" (interval input)
  kIgnore,  // "@" (interval input)
  kUnknown,
};
// A lower-case unit word as PostgreSQL reads it: the interval unit words ("hours", "mins",
// "y", "millennia", ...) compared on their first 10 characters, then, with `specials`, the
// words of the date token table that name units (epoch, dow, doy, isodow, isoyear, j, jd,
// julian, mm), as extract and date_part look them up.
DateUnit LookupDateUnit(std::string_view word, bool specials);

// timestamp <-> timestamptz in a zone (throw 22008 "timestamp out of range").
int64_t TimestampToTimestampTz(int64_t local_usec, const TimeZone& tz);
int64_t TimestampTzToTimestamp(int64_t utc_usec, const TimeZone& tz);

// make_date(year, month, day) (a negative year is BC): 22008 `date field value out of range:
// 2013-02-30`, `date out of range: ...`.
int32_t MakeDate(int64_t year, int64_t month, int64_t day);
// make_timestamp(year, month, day, hour, min, sec): 22008 `date field value out of range: ...`,
// `time field value out of range: 24:00:2.1`, `timestamp out of range: ...`.
int64_t MakeTimestamp(int64_t year, int64_t month, int64_t day, int64_t hour, int64_t min,
                      double sec);
// The UTC instant of a local timestamp in a zone given as make_timestamptz's and date_trunc's
// text argument (PostgreSQL's parse_sane_timezone): a numeric offset "+05:30" (ISO sign), an
// abbreviation (fixed, or dynamic resolved at that time), or a zone name. 22023 errors.
int64_t LocalToUtcInZoneArg(int64_t local_usec, std::string_view zone);
// date_bin(stride, source, origin) for timestamp and timestamptz: 0A000 for strides with
// months, 22008 `stride must be greater than zero`, `interval out of range`, `origin out of
// range`, `timestamp out of range`. An infinite source is returned as is.
int64_t DateBin(int64_t stride_usec_part, int32_t stride_days, int32_t stride_months,
                int64_t source, int64_t origin);

// Conversions (throw 22008 "date out of range for timestamp" / "timestamp out of range").
int64_t DateToTimestamp(int32_t days);
int32_t TimestampToDate(int64_t usec);
// The current time from the system clock, microseconds since 2000-01-01 UTC.
int64_t CurrentTimestampTz();

}  // namespace activestore
