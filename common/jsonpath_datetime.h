// The jsonpath .datetime([template]) method: PostgreSQL 15's parse_datetime in its strict
// ("std") template mode, the ISO formats tried without a template, the SQL/JSON datetime
// items' comparisons (with and without time zone use, as the *_tz functions differ) and their
// JSON text (JsonEncodeDateTime). docs/design/2026-12-06-jsonpath.md.
//
// Thread safety: stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/types.h"

namespace activestore {

class TimeZone;

struct JsonPathDatetime {
  TypeId type = TypeId::kDate;  // kDate, kTime, kTimeTz, kTimestamp, kTimestampTz
  // kDate: days since 2000-01-01; kTime, kTimeTz: microseconds of the day (local);
  // kTimestamp: local microseconds since 2000-01-01; kTimestampTz: UTC microseconds.
  int64_t value = 0;
  int32_t tz_east = 0;  // kTimeTz, kTimestampTz: the offset (seconds east of UTC) it was read with
};

// Parses `text` with `tmpl` (strict template matching); without a template tries PostgreSQL's
// ISO formats in order. Errors (22007, 22008, 22031 as PostgreSQL 15): thrown. The caller turns
// them into an error result when silent.
JsonPathDatetime ParseJsonPathDatetime(std::string_view text, std::optional<std::string_view> tmpl);

// SQL/JSON comparison of two datetime items: nullopt when not comparable (date with time, ...).
// Casts that need a time zone (date or timestamp to timestamptz, time to timetz) raise 22031
// `cannot convert value from date to timestamptz without time zone usage` unless `use_tz`, in
// which case they use `session`.
std::optional<int> CompareJsonPathDatetimes(const JsonPathDatetime& a, const JsonPathDatetime& b,
                                            bool use_tz, const TimeZone& session);

// The item as JSON text (without quotes): "2017-03-10", "12:34:56+03:00",
// "2017-03-10T12:34:56.789+03:10".
std::string JsonPathDatetimeText(const JsonPathDatetime& d);

// .type(): "date", "time without time zone", ..., "timestamp with time zone".
const char* JsonPathDatetimeTypeName(TypeId t);

}  // namespace activestore
