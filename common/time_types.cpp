#include "common/time_types.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <optional>

#include "common/datetime_decode.h"
#include "common/error.h"
#include "common/interval.h"
#include "common/type_registry.h"
#include "common/value.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

constexpr int64_t kUsecPerSec = 1000000;
constexpr int64_t kUsecPerHour = 3600 * kUsecPerSec;
constexpr int64_t kUsecPerMinute = 60 * kUsecPerSec;

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
std::string LowerCopy(std::string_view s) {
  std::string out;
  for (char c : s) out.push_back(Lower(c));
  return out;
}

int64_t FloorMod(int64_t a, int64_t b) {
  int64_t r = a % b;
  return r < 0 ? r + b : r;
}

// Today in the session zone, days since 2000-01-01.
int64_t LocalToday(const TimeZone& tz) {
  int64_t local = tz.UtcToLocal(CurrentTimestampTz());
  int64_t days = local / kUsecPerDay;
  if (local % kUsecPerDay < 0) --days;
  return days;
}

// time_pl_interval's wrap-around into [0, 24h).
int64_t WrapTime(int64_t usec) { return FloorMod(usec, kUsecPerDay); }

// ---- registry hooks ----

void TimeIn(std::string_view text, const FormatOptions& opts, Value* out) {
  out->i = ParseTime(text, out->type.typmod, opts.tz(), opts.date_order, opts.now_usec);
}
std::string TimeOut(const Value& v, const FormatOptions&) { return FormatTimeOfDay(v.i); }
int TimeCompare(int64_t a, int64_t, int64_t b, int64_t) { return a < b ? -1 : (a > b ? 1 : 0); }

uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

uint64_t TimeHash(int64_t w, int64_t) { return Mix(static_cast<uint64_t>(w) ^ 0x6a09e667f3bcc908); }

void AppendOrdered(int64_t v, std::string* out) {
  uint64_t u = static_cast<uint64_t>(v) ^ (uint64_t{1} << 63);
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>(u >> (8 * i)));
}

void TimeKey(const Value& v, std::string* out) { AppendOrdered(v.i, out); }

void TimeTzIn(std::string_view text, const FormatOptions& opts, Value* out) {
  TimeTz t = ParseTimeTz(text, out->type.typmod, opts.tz(), opts.date_order, opts.now_usec);
  out->i = t.usec;
  out->i2 = t.zone;
}
std::string TimeTzOut(const Value& v, const FormatOptions&) { return FormatTimeTz(TimeTzOf(v)); }
int TimeTzCompare(int64_t a, int64_t a2, int64_t b, int64_t b2) {
  return CompareTimeTz(TimeTzOf(a, a2), TimeTzOf(b, b2));
}
uint64_t TimeTzHash(int64_t w, int64_t w2) {
  return Mix(static_cast<uint64_t>(w) * 0x9e3779b97f4a7c15ULL ^ static_cast<uint64_t>(w2));
}
// The UTC-equivalent time, then the zone: timetz_cmp_internal's order.
void TimeTzKey(const Value& v, std::string* out) {
  AppendOrdered(v.i + v.i2 * kUsecPerSec, out);
  AppendOrdered(v.i2, out);
}

// The casts with a time or timetz side other than through text (pg_cast): timestamp ->
// time, timestamptz -> time/timetz, interval <-> time, time <-> timetz, and each type to
// itself with a new typmod. An infinite timestamp gives NULL, as PostgreSQL's timestamp_time.
bool TimeCast(const Value& v, Type to, const FormatOptions& opts, Value* out) {
  const TypeId from = v.type.id;
  *out = Value{};
  out->type = to;
  out->is_null = false;
  auto infinite = [&]() {
    *out = Value::Null(to);
    return true;
  };
  if (to.id == TypeId::kTime) {
    switch (from) {
      case TypeId::kTime:
      case TypeId::kTimeTz:
        out->i = v.i;
        break;
      case TypeId::kTimestamp:
        if (!TimestampIsFinite(v.i)) return infinite();
        out->i = FloorMod(v.i, kUsecPerDay);
        break;
      case TypeId::kTimestampTz:
        if (!TimestampIsFinite(v.i)) return infinite();
        out->i = FloorMod(opts.tz().UtcToLocal(v.i), kUsecPerDay);
        break;
      case TypeId::kInterval:
        out->i = FloorMod(v.i, kUsecPerDay);
        break;
      default:
        return false;
    }
    out->i = AdjustTimeForTypmod(out->i, to.typmod);
    return true;
  }
  if (to.id == TypeId::kTimeTz) {
    switch (from) {
      case TypeId::kTimeTz:
        out->i = v.i;
        out->i2 = v.i2;
        break;
      case TypeId::kTime:
        out->i = v.i;
        out->i2 = CurrentZoneOfLocalTime(v.i, opts.tz());
        break;
      case TypeId::kTimestampTz: {
        if (!TimestampIsFinite(v.i)) return infinite();
        int64_t east = opts.tz().UtcOffset(v.i);
        out->i = FloorMod(v.i + east * kUsecPerSec, kUsecPerDay);
        out->i2 = -east;
        break;
      }
      default:
        return false;
    }
    out->i = AdjustTimeForTypmod(out->i, to.typmod);
    return true;
  }
  if (to.id == TypeId::kInterval && from == TypeId::kTime) {
    *out = Value::Interval(ApplyIntervalTypmod(Interval{v.i, 0, 0}, to.typmod));
    return true;
  }
  return false;
}

}  // namespace

const TypeMethods kTimeMethods = {TimeIn, TimeOut, TimeCompare, TimeHash, TimeKey, TimeCast};
const TypeMethods kTimeTzMethods = {TimeTzIn,   TimeTzOut, TimeTzCompare,
                                    TimeTzHash, TimeTzKey, TimeCast};

int64_t AdjustTimeForTypmod(int64_t usec, int32_t typmod) {
  if (typmod < 0 || typmod >= kMaxTimePrecision) return usec;
  int64_t scale = 1;
  for (int i = typmod; i < kMaxTimePrecision; ++i) scale *= 10;
  // Round half up (the value is never negative), as PostgreSQL's TimeOffsets/TimeScales.
  return (usec + scale / 2) / scale * scale;
}

namespace {

// time_in / timetz_in: DecodeTimeOnly, then the time of day and the zone (seconds west).
int64_t DecodeTimeText(std::string_view text, bool with_tz, const TimeZone& tz, DateOrder order,
                       int64_t now_usec, int* zone) {
  using namespace dtdecode;  // NOLINT
  const char* type = with_tz ? "time with time zone" : "time";
  std::vector<Field> fields;
  DType dtype;
  Tm tm;
  DecodeContext ctx{&tz, order, now_usec == kCurrentTime ? CurrentTimestampTz() : now_usec};
  int dterr = ParseDateTime(text, kDateBufLen, &fields);
  if (dterr == 0) dterr = DecodeTimeOnly(fields, ctx, &dtype, &tm, zone);
  if (dterr != 0) DateTimeParseError(dterr, text, type);
  return ((static_cast<int64_t>(tm.hour) * 60 + tm.min) * 60 + tm.sec) * kUsecPerSec + tm.fsec;
}

}  // namespace

int64_t ParseTime(std::string_view text, int32_t typmod, const TimeZone& tz, DateOrder order,
                  int64_t now_usec) {
  int zone;
  return AdjustTimeForTypmod(DecodeTimeText(text, false, tz, order, now_usec, &zone), typmod);
}

TimeTz ParseTimeTz(std::string_view text, int32_t typmod, const TimeZone& tz, DateOrder order,
                   int64_t now_usec) {
  int zone;
  TimeTz out;
  out.usec = AdjustTimeForTypmod(DecodeTimeText(text, true, tz, order, now_usec, &zone), typmod);
  out.zone = zone;
  return out;
}

std::string FormatTimeOfDay(int64_t usec) {
  int64_t secs = usec / kUsecPerSec;
  int64_t frac = usec % kUsecPerSec;
  std::string out = fmt::format("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
  if (frac != 0) {
    std::string f = fmt::format(".{:06}", frac);
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out;
}

std::string FormatTimeTz(const TimeTz& t) {
  // EncodeTimezone: the offset east, "+05:30", "-08", "-07:52:58".
  int64_t east = -static_cast<int64_t>(t.zone);
  int64_t off = std::llabs(east);
  std::string out = FormatTimeOfDay(t.usec);
  out += fmt::format("{}{:02}", east < 0 ? '-' : '+', off / 3600);
  if (off % 3600 != 0) {
    out += fmt::format(":{:02}", off / 60 % 60);
    if (off % 60 != 0) out += fmt::format(":{:02}", off % 60);
  }
  return out;
}

std::string TimeTypmodName(int32_t typmod) {
  return fmt::format("time({}) without time zone", typmod);
}
std::string TimeTzTypmodName(int32_t typmod) {
  return fmt::format("time({}) with time zone", typmod);
}

Value TimeValue(int64_t usec) { return Value::Int(TypeId::kTime, usec); }

Value TimeTzValue(const TimeTz& t) {
  Value v;
  v.type = Type::Of(TypeId::kTimeTz);
  v.is_null = false;
  v.i = t.usec;
  v.i2 = t.zone;
  return v;
}

TimeTz TimeTzOf(int64_t usec, int64_t zone) { return TimeTz{usec, static_cast<int32_t>(zone)}; }
TimeTz TimeTzOf(const Value& v) { return TimeTzOf(v.i, v.i2); }

int CompareTimeTz(const TimeTz& a, const TimeTz& b) {
  int64_t x = a.usec + int64_t{a.zone} * kUsecPerSec;
  int64_t y = b.usec + int64_t{b.zone} * kUsecPerSec;
  if (x != y) return x < y ? -1 : 1;
  if (a.zone != b.zone) return a.zone < b.zone ? -1 : 1;
  return 0;
}

int32_t CurrentZoneOfLocalTime(int64_t usec, const TimeZone& tz) {
  return static_cast<int32_t>(-tz.LocalOffset(LocalToday(tz) * kUsecPerDay + usec));
}

bool TimeArithmeticResultType(std::string_view op, TypeId a, TypeId b, TypeId* result) {
  using enum TypeId;
  const bool plus = op == "+", minus = op == "-";
  auto is = [&](TypeId x, TypeId y) { return a == x && b == y; };
  if ((plus && (is(kTime, kInterval) || is(kInterval, kTime))) || (minus && is(kTime, kInterval))) {
    *result = kTime;
  } else if ((plus && (is(kTimeTz, kInterval) || is(kInterval, kTimeTz))) ||
             (minus && is(kTimeTz, kInterval))) {
    *result = kTimeTz;
  } else if (minus && is(kTime, kTime)) {
    *result = kInterval;
  } else if (plus && (is(kDate, kTime) || is(kTime, kDate))) {
    *result = kTimestamp;
  } else if (plus && (is(kDate, kTimeTz) || is(kTimeTz, kDate))) {
    *result = kTimestampTz;
  } else {
    return false;
  }
  return true;
}

Value TimeArithmetic(std::string_view op, const Value& a, const Value& b, const FormatOptions&) {
  using enum TypeId;
  const TypeId ta = a.type.id, tb = b.type.id;
  const bool minus = op == "-";
  if (ta == kTime && tb == kTime) return Value::Interval(Interval{a.i - b.i, 0, 0});
  if (ta == kInterval || tb == kInterval) {
    const Value& t = ta == kInterval ? b : a;
    int64_t span = (ta == kInterval ? a : b).i;
    int64_t usec = WrapTime(t.i + (minus ? -(span % kUsecPerDay) : span % kUsecPerDay));
    if (t.type.id == kTime) return TimeValue(usec);
    return TimeTzValue(TimeTz{usec, static_cast<int32_t>(t.i2)});
  }
  // date + time(tz): datetime_timestamp / datetimetz_timestamptz.
  const Value& d = ta == kDate ? a : b;
  const Value& t = ta == kDate ? b : a;
  const auto days = static_cast<int32_t>(d.i);
  const bool tz = t.type.id == kTimeTz;
  if (!DateIsFinite(days)) {
    return Value::Int(tz ? kTimestampTz : kTimestamp,
                      days == kDateNoEnd ? kTimestampNoEnd : kTimestampNoBegin);
  }
  int64_t r = int64_t{days} * kUsecPerDay + t.i + (tz ? t.i2 * kUsecPerSec : 0);
  if (!IsValidTimestamp(r)) Throw(SqlState::kDatetimeFieldOverflow, "timestamp out of range");
  return Value::Int(tz ? kTimestampTz : kTimestamp, r);
}

namespace {

// The fields of time_part_common / timetz_part_common. Returns the value as a scaled integer
// (value = *num / 10^*scale).
void TimePart(std::string_view unit_text, const Value& v, int64_t* num, int* scale) {
  const bool tz = v.type.id == TypeId::kTimeTz;
  const char* type_name = tz ? "time with time zone" : "time without time zone";
  std::string lower = LowerCopy(unit_text);
  DateUnit unit = LookupDateUnit(lower, true);
  const int64_t usec = v.i;
  const int64_t sec_usec = usec % kUsecPerMinute;  // seconds and fraction within the minute
  const int64_t zone = tz ? v.i2 : 0;
  *scale = 0;
  switch (unit) {
    case DateUnit::kMicroseconds:
      *num = sec_usec;
      return;
    case DateUnit::kMilliseconds:
      *num = sec_usec;
      *scale = 3;
      return;
    case DateUnit::kSecond:
      *num = sec_usec;
      *scale = 6;
      return;
    case DateUnit::kMinute:
      *num = usec / kUsecPerMinute % 60;
      return;
    case DateUnit::kHour:
      *num = usec / kUsecPerHour;
      return;
    case DateUnit::kEpoch:
      *num = usec + zone * kUsecPerSec;
      *scale = 6;
      return;
    case DateUnit::kTimezone:
    case DateUnit::kTimezoneHour:
    case DateUnit::kTimezoneMinute:
      if (!tz) break;
      if (unit == DateUnit::kTimezone) {
        *num = -zone;
      } else if (unit == DateUnit::kTimezoneHour) {
        *num = -zone / 3600;
      } else {
        *num = (-zone / 60) % 60;
      }
      return;
    case DateUnit::kUnknown:
    case DateUnit::kAgo:
    case DateUnit::kIgnore:
      Throw(SqlState::kInvalidParameterValue, "unit \"{}\" not recognized for type {}", lower,
            type_name);
    default:
      break;
  }
  Throw(SqlState::kFeatureNotSupported, "unit \"{}\" not supported for type {}", lower, type_name);
}

}  // namespace

Numeric ExtractTime(std::string_view unit, const Value& v) {
  int64_t num;
  int scale;
  TimePart(unit, v, &num, &scale);
  if (scale == 0) return Numeric::FromInt64(num);
  int64_t div = 1;
  for (int i = 0; i < scale; ++i) div *= 10;
  // num is in microseconds: / 1000 with 3 digits (ms), / 10^6 with 6 (seconds, epoch).
  return Numeric::FromInt64(num).DivScale(Numeric::FromInt64(div), scale);
}

double DatePartTime(std::string_view unit, const Value& v) {
  int64_t num;
  int scale;
  TimePart(unit, v, &num, &scale);
  const std::string lower = LowerCopy(unit);
  // date_part computes in float8 from the parts, as PostgreSQL does.
  switch (scale) {
    case 3:  // milliseconds: tm_sec * 1000.0 + fsec / 1000.0
      return static_cast<double>(num / kUsecPerSec) * 1000.0 +
             static_cast<double>(num % kUsecPerSec) / 1000.0;
    case 6:
      if (LookupDateUnit(lower, true) == DateUnit::kEpoch) {
        const int64_t zone = v.type.id == TypeId::kTimeTz ? v.i2 : 0;
        return static_cast<double>(v.i) / 1000000.0 + static_cast<double>(zone);
      }
      return static_cast<double>(num / kUsecPerSec) +
             static_cast<double>(num % kUsecPerSec) / 1000000.0;
    default:
      return static_cast<double>(num);
  }
}

int64_t MakeTime(int64_t hour, int64_t min, double sec) {
  // float_time_overflows, then the sum rounded to microseconds as make_time does.
  auto bad = [&]() {
    Throw(SqlState::kDatetimeFieldOverflow, "time field value out of range: {}:{:02}:{:02}", hour,
          min, sec);
  };
  if (hour < 0 || hour > 24 || min < 0 || min >= 60 || !(sec >= 0.0) || sec > 60.0) bad();
  double usec = std::rint(sec * 1e6);
  if (!std::isfinite(usec)) bad();
  int64_t total = (hour * 60 + min) * 60 * kUsecPerSec + static_cast<int64_t>(usec);
  if (total > kUsecPerDay) bad();
  return total;
}

TimeTz TimeTzAtZone(const TimeTz& t, int64_t east) {
  const int64_t west = -east;
  TimeTz out;
  out.usec = FloorMod(t.usec + (t.zone - west) * kUsecPerSec, kUsecPerDay);
  out.zone = static_cast<int32_t>(west);
  return out;
}

}  // namespace activestore
