// TimescaleDB's time_bucket arithmetic: the start of the bucket of a given width that holds a
// value, for integers, timestamps (also timestamptz, bucketed in UTC), dates, and timestamptz
// in a named zone. Stateless and thread-safe.
//
// Buckets are aligned to an origin: for interval widths without months TimescaleDB's default
// origin is 2000-01-03 00:00 (a Monday, so that weekly buckets start on Mondays); month widths
// count whole months from the origin's month (default 2000-01, the day of the month and the
// time of day of the origin are ignored) and start on the 1st at 00:00. Integer buckets are
// aligned to 0 (shifted by the offset).
//
// Errors (TimescaleDB's): 22023 `period must be greater than 0`; 22003 `timestamp out of
// range` (the value cannot be shifted by the origin or offset, or the bucket starts before the
// type's minimum); 0A000 `month intervals cannot have day or time component`; for dates 0A000
// `interval must not have sub-day precision` and `interval must be a multiple of a day`.
#pragma once

#include <cstdint>
#include <optional>

#include "common/interval.h"
#include "common/timezone.h"

namespace activestore {

// 2000-01-03 00:00:00 in timestamp microseconds: the default origin of sub-month widths.
inline constexpr int64_t kTimeBucketDefaultOrigin = int64_t{2} * 86400 * 1000000;

// time_bucket(period, value [, offset]) for int2/int4/int8 values; min and max are the value
// type's range.
int64_t TimeBucketInteger(int64_t period, int64_t value, int64_t offset, int64_t min, int64_t max);

// time_bucket(width, ts [, origin]) for timestamp, and for timestamptz in UTC (the month form
// then starts the bucket at 00:00 UTC). An infinite ts is returned as it is.
int64_t TimeBucketTimestamp(const Interval& width, int64_t ts, std::optional<int64_t> origin);

// time_bucket(width, date [, origin]). An infinite date is returned as it is.
int32_t TimeBucketDate(const Interval& width, int32_t date, std::optional<int32_t> origin);

// time_bucket(width, ts, timezone [, origin] [, offset]) for timestamptz: ts as the wall-clock
// time in `zone`, less the offset, is bucketed (the origin too is read as a wall-clock time in
// the zone), the offset added back, and the result is the instant of that wall-clock time in
// the zone, so buckets follow the zone's days across daylight-saving changes.
int64_t TimeBucketInZone(const Interval& width, int64_t ts, const TimeZone& zone,
                         std::optional<int64_t> origin, const Interval* offset);

}  // namespace activestore
