#include "common/time_bucket.h"

#include "common/datetime.h"
#include "common/error.h"

namespace activestore {
namespace {

[[noreturn]] void OutOfRange() {
  Throw(SqlState::kNumericValueOutOfRange, "timestamp out of range");
}

void CheckPeriod(int64_t period) {
  if (period <= 0) Throw(SqlState::kInvalidParameterValue, "period must be greater than 0");
}

// The bucket of `value` for a period and a shift (the origin or offset), as TimescaleDB's
// TIME_BUCKET_TS: the shift is reduced modulo the period, the value shifted, floored to a
// multiple of the period and shifted back. lo and hi bound the shifted value.
int64_t Bucket(int64_t period, int64_t value, int64_t shift, int64_t lo, int64_t hi) {
  CheckPeriod(period);
  shift %= period;
  if ((shift > 0 && value < lo + shift) || (shift < 0 && value > hi + shift)) OutOfRange();
  value -= shift;
  int64_t q = value / period;
  int64_t result;
  if (__builtin_mul_overflow(q, period, &result)) OutOfRange();
  if (value % period < 0 && __builtin_sub_overflow(result, period, &result)) OutOfRange();
  if (__builtin_add_overflow(result, shift, &result)) OutOfRange();
  return result;
}

// Months since year 0 of a date (days since 2000-01-01).
int64_t MonthIndex(int32_t date) {
  int64_t year;
  int month, day;
  CivilFromDays(date, &year, &month, &day);
  return year * 12 + month - 1;
}

void CheckMonthWidth(const Interval& width) {
  if (width.days != 0 || width.usec != 0) {
    Throw(SqlState::kFeatureNotSupported, "month intervals cannot have day or time component");
  }
}

// The first day of the bucket of `width.months` months that holds `date`, counted from the
// month of `origin` (TimescaleDB's bucket_month).
int32_t BucketMonth(int32_t months, int32_t date, int32_t origin) {
  CheckPeriod(months);
  const int64_t m = MonthIndex(date);
  int64_t shift = MonthIndex(origin) % months;
  int64_t start = m - shift;
  int64_t q = start / months;
  if (start % months < 0) --q;
  const int64_t result = q * months + shift;
  const int64_t year = result >= 0 ? result / 12 : -((-result + 11) / 12);
  const int month = static_cast<int>(result - year * 12) + 1;
  const int64_t days = DaysFromCivil(year, month, 1);
  if (!IsValidDate(days)) OutOfRange();
  return static_cast<int32_t>(days);
}

// The date of a timestamp (floor to the day, as timestamp_date).
int32_t DateOf(int64_t ts) {
  int64_t d = ts / kUsecPerDay;
  if (ts % kUsecPerDay < 0) --d;
  return static_cast<int32_t>(d);
}

}  // namespace

int64_t TimeBucketInteger(int64_t period, int64_t value, int64_t offset, int64_t min, int64_t max) {
  CheckPeriod(period);
  if (offset != 0) {
    offset %= period;
    if ((offset > 0 && value < min + offset) || (offset < 0 && value > max + offset)) {
      OutOfRange();
    }
    value -= offset;
  }
  int64_t result = (value / period) * period;
  if (value < 0 && value % period != 0) {
    if (result < min + period) OutOfRange();
    result -= period;
  }
  return result + offset;
}

int64_t TimeBucketTimestamp(const Interval& width, int64_t ts, std::optional<int64_t> origin) {
  if (!TimestampIsFinite(ts)) return ts;
  if (width.months != 0) {
    CheckMonthWidth(width);
    // A given origin counts by its month; the default origin's month is 2000-01.
    const int32_t origin_date = origin && *origin != kTimeBucketDefaultOrigin ? DateOf(*origin) : 0;
    return int64_t{BucketMonth(width.months, DateOf(ts), origin_date)} * kUsecPerDay;
  }
  int64_t period;
  if (__builtin_mul_overflow(int64_t{width.days}, kUsecPerDay, &period) ||
      __builtin_add_overflow(period, width.usec, &period)) {
    Throw(SqlState::kDatetimeFieldOverflow, "interval out of range");
  }
  return Bucket(period, ts, origin.value_or(kTimeBucketDefaultOrigin), kTimestampNoBegin,
                kTimestampNoEnd);
}

int32_t TimeBucketDate(const Interval& width, int32_t date, std::optional<int32_t> origin) {
  if (!DateIsFinite(date)) return date;
  if (width.months != 0) {
    CheckMonthWidth(width);
    return BucketMonth(width.months, date, origin.value_or(0));
  }
  int64_t period;
  if (__builtin_mul_overflow(int64_t{width.days}, kUsecPerDay, &period) ||
      __builtin_add_overflow(period, width.usec, &period)) {
    Throw(SqlState::kDatetimeFieldOverflow, "interval out of range");
  }
  if (period < kUsecPerDay) {
    Throw(SqlState::kFeatureNotSupported, "interval must not have sub-day precision");
  }
  if (period % kUsecPerDay != 0) {
    Throw(SqlState::kFeatureNotSupported, "interval must be a multiple of a day");
  }
  const int64_t shift = origin ? int64_t{*origin} * kUsecPerDay : kTimeBucketDefaultOrigin;
  const int64_t bucket =
      Bucket(period, int64_t{date} * kUsecPerDay, shift, kTimestampNoBegin, kTimestampNoEnd);
  return DateOf(bucket);
}

int64_t TimeBucketInZone(const Interval& width, int64_t ts, const TimeZone& zone,
                         std::optional<int64_t> origin, const Interval* offset) {
  if (!TimestampIsFinite(ts)) return ts;
  int64_t local = TimestampTzToTimestamp(ts, zone);
  if (offset) local = TimestampPlusInterval(local, IntervalNegate(*offset), nullptr);
  std::optional<int64_t> local_origin;
  if (origin) local_origin = TimestampTzToTimestamp(*origin, zone);
  int64_t bucket = TimeBucketTimestamp(width, local, local_origin);
  if (offset) bucket = TimestampPlusInterval(bucket, *offset, nullptr);
  return TimestampToTimestampTz(bucket, zone);
}

}  // namespace activestore
