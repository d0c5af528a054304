// PostgreSQL 15's data type formatting functions (docs chapter 9.8, formatting.c's behaviour):
// to_char of timestamps, intervals and numbers, to_number, to_date and to_timestamp, with the
// template patterns and modifiers of the C locale (TM is accepted and changes nothing).
// Stateless and thread-safe.
//
// Errors (PostgreSQL's wording): 22007 `invalid value "x" for "MON"`, `source string too short
// for "DD" formatting field`, `conflicting values for "MM" field in formatting string`,
// `invalid format specification for an interval value`, `hour "13" is invalid for the 12-hour
// clock`; 22008 `date/time field value out of range: "x"`, `timestamp out of range`; 42601 for
// malformed number templates (`multiple decimal points`, `"EEEE" must be the last pattern
// used`); 0A000 for what PostgreSQL 15 cannot read back (`"RN" not supported for input`,
// `formatting field "TZ" is only supported in to_char`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/interval.h"
#include "common/numeric.h"
#include "common/timezone.h"

namespace activestore {

// to_char(timestamp, fmt) when tz is null, else to_char(timestamptz, fmt) shown in tz (TZ, tz,
// TZH, TZM and OF describe tz at that instant). nullopt (SQL NULL) for an empty template or an
// infinite timestamp, as PostgreSQL.
std::optional<std::string> TimestampToChar(int64_t usec, std::string_view fmt, const TimeZone* tz);
// to_char(interval, fmt): the fields of the interval as written (months split into years and
// months, the time into hours, minutes, seconds). nullopt for an empty template.
std::optional<std::string> IntervalToChar(const Interval& v, std::string_view fmt);

// to_char(numeric|int4|int8|float8, fmt). An empty template gives "".
std::string NumericToChar(const Numeric& v, std::string_view fmt);
std::string Int32ToChar(int32_t v, std::string_view fmt);
std::string Int64ToChar(int64_t v, std::string_view fmt);
std::string Float64ToChar(double v, std::string_view fmt);
// to_char(real, fmt): as float8's, with float4's FLT_DIG (6) significant digits.
std::string Float32ToChar(float v, std::string_view fmt);

// to_number(text, fmt); nullopt for an empty template.
std::optional<Numeric> ToNumber(std::string_view text, std::string_view fmt);

// to_date(text, fmt): days since 2000-01-01.
int32_t ToDate(std::string_view text, std::string_view fmt);
// to_timestamp(text, fmt): microseconds since 2000-01-01 UTC. Fields are local time in `tz`
// unless the text gives TZH/TZM.
int64_t ToTimestamp(std::string_view text, std::string_view fmt, const TimeZone& tz);
// to_timestamp(double precision): seconds since 1970-01-01 UTC; +-Infinity give +-infinity.
// 22008 `timestamp cannot be NaN`, `timestamp out of range: "1e+20"`.
int64_t UnixEpochToTimestamp(double seconds);

}  // namespace activestore
