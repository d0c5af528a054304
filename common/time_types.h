// time and timetz (time with time zone): PostgreSQL 15's time-of-day types. Text input in
// DecodeTimeOnly's forms ('13:45', '1:45 PM', '040506', 'T04:05:06', 'allballs', 'now', a
// zone abbreviation or offset, a date followed by a time and a full zone name), output, the
// typmod (precision 0..6, rounded), casts, arithmetic, extract/date_part and make_time, and
// the registry hooks of both types (common/type_registry.h). Stateless and thread-safe.
//
// Representation: time is ValueLayout::kInt64, microseconds since midnight (0 .. 24:00:00
// inclusive) in Value::i. timetz is ValueLayout::kInt64Pair: Value::i the local time of day,
// Value::i2 the zone as PostgreSQL stores it, in seconds WEST of UTC (-08 is 28800).
//
// Errors (PostgreSQL's wording): 22007 `invalid input syntax for type time: "x"`, 22008
// `date/time field value out of range: "x"`, 22009 `time zone displacement out of range: "x"`,
// 22008 `time out of range`, 22023 `unit "x" not recognized for type time without time zone`,
// 0A000 `unit "x" not supported for type ...`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/datetime.h"
#include "common/numeric.h"
#include "common/types.h"

namespace activestore {

struct FormatOptions;
struct TypeMethods;
struct Value;

constexpr int32_t kMaxTimePrecision = 6;

struct TimeTz {
  int64_t usec = 0;  // local time of day
  int32_t zone = 0;  // seconds west of UTC
};

// time_in / timetz_in with the typmod's rounding (-1: none). `tz` gives the zone of a timetz
// written without one (its offset on the literal's date, or today's) and the current time of
// 'now'.
int64_t ParseTime(std::string_view text, int32_t typmod, const TimeZone& tz,
                  DateOrder order = DateOrder::kMdy, int64_t now_usec = kCurrentTime);
TimeTz ParseTimeTz(std::string_view text, int32_t typmod, const TimeZone& tz,
                   DateOrder order = DateOrder::kMdy, int64_t now_usec = kCurrentTime);

// time_out "04:05:06.5"; timetz_out "04:05:06.5-08" (any DateStyle).
std::string FormatTimeOfDay(int64_t usec);
std::string FormatTimeTz(const TimeTz& t);

// AdjustTimeForTypmod: rounds to `typmod` fractional digits (-1 or 6: unchanged).
int64_t AdjustTimeForTypmod(int64_t usec, int32_t typmod);
// format_type with a typmod: "time(2) without time zone", "time(3) with time zone".
std::string TimeTypmodName(int32_t typmod);
std::string TimeTzTypmodName(int32_t typmod);

Value TimeValue(int64_t usec);
Value TimeTzValue(const TimeTz& t);
TimeTz TimeTzOf(int64_t usec, int64_t zone);
TimeTz TimeTzOf(const Value& v);
// timetz_cmp_internal: by the UTC-equivalent time, then by zone.
int CompareTimeTz(const TimeTz& a, const TimeTz& b);

// The offset of a local time of day in a zone as PostgreSQL's time_timetz finds it: on the
// session's current date. Returned as seconds west.
int32_t CurrentZoneOfLocalTime(int64_t usec, const TimeZone& tz);

// Operators with a time or timetz operand: time ± interval, interval + time, time - time,
// timetz ± interval, interval + timetz, date + time(tz), time(tz) + date. Sets *result and
// returns true if (op, a, b) is one of them.
bool TimeArithmeticResultType(std::string_view op, TypeId a, TypeId b, TypeId* result);
// REQUIRES: TimeArithmeticResultType(op, a.type.id, b.type.id) and neither is NULL.
Value TimeArithmetic(std::string_view op, const Value& a, const Value& b,
                     const FormatOptions& opts);

// extract(unit from time/timetz) (numeric) and date_part (float8).
Numeric ExtractTime(std::string_view unit, const Value& v);
double DatePartTime(std::string_view unit, const Value& v);

// make_time(hour, min, sec): 22008 `time field value out of range: h:m:s`.
int64_t MakeTime(int64_t hour, int64_t min, double sec);

// timezone(zone, timetz) (AT TIME ZONE): the same instant shown in another zone. `east` is
// the zone's offset east of UTC in seconds.
TimeTz TimeTzAtZone(const TimeTz& t, int64_t east);

extern const TypeMethods kTimeMethods;
extern const TypeMethods kTimeTzMethods;

}  // namespace activestore
