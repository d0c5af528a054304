// PostgreSQL 15's date/time input decoder (the algorithm of its datetime.c, our own code): the
// text is split into typed fields (ParseDateTime), then the fields are read as a date and time
// (DecodeDateTime: date, timestamp, timestamptz) or as a time of day (DecodeTimeOnly: time,
// timetz). Every input form PostgreSQL accepts is accepted here with the same meaning under
// each DateStyle field order: '1999-01-08', 'January 8, 99 BC', '08-Jan-1999', '990108',
// '1999.008' (day of year), 'J2451187' (Julian day), 'y1999m01d08', '19970210 173201 -0800',
// 'Feb 10 17:32:01 1997 PST', '2001-02-16 20:38:40 MSK' (an abbreviation whose offset comes from
// its zone's history), 'tomorrow EST', 'allballs', ...
//
// Internal to common/ (datetime.cpp, time_types.cpp). Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/datetime.h"
#include "common/timezone.h"

namespace activestore::dtdecode {

// PostgreSQL's DTERR_* codes (0 is success).
constexpr int kBadFormat = -1;
constexpr int kFieldOverflow = -2;
constexpr int kMdFieldOverflow = -3;  // with the DateStyle hint
constexpr int kIntervalOverflow = -4;
constexpr int kTzDispOverflow = -5;

enum class FieldType { kNumber, kString, kDate, kTime, kTz, kSpecial };
struct Field {
  std::string text;  // lower case for words
  FieldType type;
};

// The size of the input functions' work buffers (PostgreSQL's MAXDATELEN + 1 for date, time and
// timetz, MAXDATELEN + MAXDATEFIELDS for timestamp and timestamptz): longer input is a syntax
// error.
constexpr size_t kDateBufLen = 129;
constexpr size_t kTimestampBufLen = 153;

// Splits the text into at most 25 fields; 0 or kBadFormat.
int ParseDateTime(std::string_view text, size_t buflen, std::vector<Field>* fields);

// What the decoded text is: a date and/or time, or a special value.
enum class DType { kDate, kTime, kEpoch, kLate, kEarly };

struct Tm {
  int64_t year = 0;  // astronomical after decoding (0 = 1 BC)
  int mon = 0, mday = 0;
  int hour = 0, min = 0, sec = 0;
  int64_t fsec = 0;  // microseconds
  int isdst = -1;
  int yday = 0;
  int wday = 0;
};

struct DecodeContext {
  const TimeZone* session;  // the session TimeZone
  DateOrder order;
  int64_t now_usec;  // the current transaction's start (UTC, since 2000-01-01)
};

// DecodeDateTime: *tzp is the zone in seconds WEST of UTC (PostgreSQL's sign), resolved against
// the session zone when the text names none. Returns 0 or a DTERR code; throws 22023 `time zone
// "x" not recognized` for an unknown full zone name.
int DecodeDateTime(std::vector<Field>& fields, const DecodeContext& ctx, DType* dtype, Tm* tm,
                   int* tzp);
// DecodeTimeOnly: the same for a time of day (optionally after a date); *tzp as above.
int DecodeTimeOnly(std::vector<Field>& fields, const DecodeContext& ctx, DType* dtype, Tm* tm,
                   int* tzp);

// DateTimeParseError: 22007 `invalid input syntax for type <type>: "<text>"`, 22008
// `date/time field value out of range: "<text>"` (with the DateStyle hint for kMdFieldOverflow),
// 22015 `interval field value out of range`, 22009 `time zone displacement out of range`.
[[noreturn]] void DateTimeParseError(int dterr, std::string_view text, std::string_view type);

// Julian day numbers (date2j / j2date) and PostgreSQL's IS_VALID_JULIAN range check.
int64_t Date2J(int64_t year, int month, int day);
void J2Date(int64_t jd, int64_t* year, int* month, int* day);
bool IsValidJulian(int64_t year, int month, int day);

// DetermineTimeZoneOffset: the offset (seconds WEST) of the local time tm in the zone.
int DetermineTimeZoneOffset(Tm* tm, const TimeZone& tz);

// DecodeTimezone of a whole text ("+05:30", "-8", "+0530"): *west seconds west; 0 or a DTERR.
int DecodeTimezoneText(const std::string& text, int* west);
// DetermineTimeZoneAbbrevOffset: a dynamic abbreviation's offset (seconds west) at local tm.
int DetermineAbbrevOffsetText(Tm* tm, std::string_view abbrev, const TimeZone& tz);

// tm2timestamp: microseconds since 2000-01-01 of tm (minus the zone tzp, seconds west, when
// given). False if out of the timestamp range.
bool Tm2Timestamp(const Tm& tm, const int* tzp, int64_t* result);

}  // namespace activestore::dtdecode
