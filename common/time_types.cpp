#include "common/time_types.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <optional>

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

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
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

// What a time literal says, before the zone is resolved.
struct TimeFields {
  bool now = false;
  int64_t hour = 0, minute = 0, second = 0, fsec = 0;
  bool has_date = false;
  int64_t year = 0;
  int month = 0, day = 0;
  bool has_offset = false;
  int64_t east = 0;                      // an offset or abbreviation, seconds east
  std::shared_ptr<const TimeZone> zone;  // a full zone name (needs a date)
};

// PostgreSQL's DecodeTimeOnly, for the forms it accepts: an optional leading date
// (y-m-d, m/d/y ... as DateStyle orders it), then a time (h:m, h:m:s[.f], m:s.f, hhmm[ss][.f],
// optionally after 'T'), am/pm, AD/BC (ignored), and one zone (an offset, an abbreviation of
// the Default set, or a full name after a date); or 'allballs' / 'now'.
class TimeParser {
 public:
  TimeParser(std::string_view text, bool with_tz, DateOrder order)
      : text_(text), with_tz_(with_tz), order_(order) {}

  TimeFields Parse() {
    std::string_view s = text_;
    while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
    s_ = s;
    TimeFields f;
    bool have_time = false, have_zone = false, have_ampm = false, have_era = false;
    int ampm = 0;  // 1 am, 2 pm
    // A dynamic abbreviation (MSK) is unsupported; that error wins only if the rest is valid,
    // so '15:36:39 MSK m2' stays PostgreSQL's syntax error.
    std::optional<Error> deferred;
    bool first = true;
    while (true) {
      SkipSpaces();
      if (pos_ >= s_.size()) break;
      char c = s_[pos_];
      if (IsDigit(c)) {
        if (first && LooksLikeDate()) {
          ParseDateToken(&f);
          // The date is followed by white space, then the time.
          if (pos_ < s_.size() && !IsSpace(s_[pos_])) Bad();
        } else {
          if (have_time) Bad();
          ParseTimeToken(&f);
          have_time = true;
        }
      } else if ((c == '+' || c == '-') && have_time) {
        if (have_zone) Bad();
        ++pos_;
        ParseOffset(&f, c == '-');
        have_zone = true;
      } else if (IsAlpha(c)) {
        size_t start = pos_;
        while (pos_ < s_.size() && IsAlpha(s_[pos_])) ++pos_;
        std::string word = LowerCopy(s_.substr(start, pos_ - start));
        if (word == "t" && pos_ < s_.size() && IsDigit(s_[pos_]) && !have_time) {
          ParseTimeToken(&f);
          have_time = true;
        } else if (pos_ < s_.size() && (s_[pos_] == '/' || s_[pos_] == '_' || s_[pos_] == '+' ||
                                        s_[pos_] == '-' || IsDigit(s_[pos_]) || s_[pos_] == '.')) {
          // A full zone name (America/New_York, Etc/GMT+3, PST8PDT).
          if (have_zone) Bad();
          while (pos_ < s_.size() && !IsSpace(s_[pos_])) ++pos_;
          std::string name(s_.substr(start, pos_ - start));
          f.zone = TimeZone::Find(name);
          if (f.zone == nullptr) {
            Throw(SqlState::kInvalidParameterValue, "time zone \"{}\" not recognized",
                  LowerCopy(name));
          }
          have_zone = true;
        } else if (word == "allballs" || word == "now") {
          if (have_time) Bad();
          have_time = true;
          if (word == "now") {
            f.now = true;
          } else if (!have_zone) {  // 'allballs' is 00:00:00 UTC
            have_zone = true;
            f.has_offset = true;
            f.east = 0;
          } else {
            Bad();
          }
        } else if (word == "am" || word == "pm") {
          if (have_ampm) Bad();
          have_ampm = true;
          ampm = word == "am" ? 1 : 2;
        } else if (word == "ad" || word == "bc") {
          if (have_era) Bad();
          have_era = true;
        } else {
          if (have_zone) Bad();
          int64_t east = 0;
          try {
            if (!LookupZoneAbbreviation(word, &east)) Bad();
          } catch (const Error& e) {
            if (e.state() != SqlState::kFeatureNotSupported) throw;
            if (!deferred) deferred = e;
          }
          have_zone = true;
          f.has_offset = true;
          f.east = east;
        }
      } else {
        Bad();
      }
      first = false;
    }
    if (!have_time) Bad();
    // A full zone name needs a date to know its offset.
    if (f.zone != nullptr && !f.has_date) Bad();
    if (deferred) throw *deferred;
    if (ampm != 0) {
      if (f.hour > 12) FieldOverflow();
      if (ampm == 1 && f.hour == 12) f.hour = 0;
      if (ampm == 2 && f.hour != 12) f.hour += 12;
    }
    // time_overflows: each field in range, and the whole at most 24:00:00.
    if (!f.now) {
      if (f.hour < 0 || f.hour > 24 || f.minute < 0 || f.minute > 59 || f.second < 0 ||
          f.second > 60 || f.fsec < 0 || f.fsec > kUsecPerSec ||
          ((f.hour * 60 + f.minute) * 60 + f.second) * kUsecPerSec + f.fsec > kUsecPerDay) {
        FieldOverflow();
      }
    }
    return f;
  }

  [[noreturn]] void Bad() const {
    Throw(SqlState::kInvalidDatetimeFormat, "invalid input syntax for type {}: \"{}\"",
          with_tz_ ? "time with time zone" : "time", text_);
  }
  [[noreturn]] void FieldOverflow() const {
    Throw(SqlState::kDatetimeFieldOverflow, "date/time field value out of range: \"{}\"", text_);
  }

 private:
  void SkipSpaces() {
    while (pos_ < s_.size() && IsSpace(s_[pos_])) ++pos_;
  }

  std::string_view Digits() {
    size_t start = pos_;
    while (pos_ < s_.size() && IsDigit(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  int64_t ToInt(std::string_view d) const {
    if (d.empty()) Bad();
    if (d.size() > 9) FieldOverflow();
    int64_t v = 0;
    for (char c : d) v = v * 10 + (c - '0');
    return v;
  }

  // ".ddd" at pos_ (the dot included) as microseconds, rounded as PostgreSQL's
  // ParseFractionalSecond (strtod, then rint).
  int64_t Fraction() {
    ++pos_;  // '.'
    std::string_view frac = Digits();
    std::string num = "0." + std::string(frac);
    return static_cast<int64_t>(std::nearbyint(std::strtod(num.c_str(), nullptr) * 1e6));
  }

  // Digits, then '-' or '/' or '.' and a digit: a date.
  bool LooksLikeDate() const {
    size_t p = pos_;
    while (p < s_.size() && IsDigit(s_[p])) ++p;
    return p + 1 < s_.size() && (s_[p] == '-' || s_[p] == '/') && IsDigit(s_[p + 1]);
  }

  void ParseDateToken(TimeFields* f) {
    std::string_view d1 = Digits();
    char sep = s_[pos_++];
    std::string_view d2 = Digits();
    if (d2.empty() || pos_ >= s_.size() || s_[pos_] != sep) Bad();
    ++pos_;
    std::string_view d3 = Digits();
    if (d3.empty()) Bad();
    auto two_digit = [](int64_t y) { return y + (y < 70 ? 2000 : 1900); };
    if (d1.size() >= 3 || order_ == DateOrder::kYmd) {
      f->year = ToInt(d1);
      if (d1.size() <= 2) f->year = two_digit(f->year);
      f->month = static_cast<int>(ToInt(d2));
      f->day = static_cast<int>(ToInt(d3));
    } else {
      int64_t a = ToInt(d1), b = ToInt(d2);
      f->month = static_cast<int>(order_ == DateOrder::kDmy ? b : a);
      f->day = static_cast<int>(order_ == DateOrder::kDmy ? a : b);
      f->year = ToInt(d3);
      if (d3.size() <= 2) f->year = two_digit(f->year);
    }
    if (f->month < 1 || f->month > 12 || f->day < 1 || f->day > 31) FieldOverflow();
    // The day must exist in that month (Feb 30 is out of range).
    int64_t y;
    int m, d;
    CivilFromDays(DaysFromCivil(f->year, f->month, f->day), &y, &m, &d);
    if (m != f->month || d != f->day) FieldOverflow();
    f->has_date = true;
  }

  // h:m, h:m:s, h:m:s.f, m:s.f, or the concatenated hhmm, hhmmss[.f].
  void ParseTimeToken(TimeFields* f) {
    std::string_view a = Digits();
    if (pos_ < s_.size() && s_[pos_] == ':') {
      ++pos_;
      std::string_view b = Digits();
      if (b.empty()) Bad();
      f->hour = ToInt(a);
      f->minute = ToInt(b);
      if (pos_ < s_.size() && s_[pos_] == ':') {
        ++pos_;
        std::string_view c = Digits();
        if (c.empty()) Bad();
        f->second = ToInt(c);
        if (pos_ < s_.size() && s_[pos_] == '.') f->fsec = Fraction();
      } else if (pos_ < s_.size() && s_[pos_] == '.') {
        // mm:ss.fff, as DecodeTime reads two fields with a fraction.
        f->fsec = Fraction();
        f->second = f->minute;
        f->minute = f->hour;
        f->hour = 0;
      }
    } else if (a.size() == 4 || a.size() == 6) {
      f->hour = ToInt(a.substr(0, 2));
      f->minute = ToInt(a.substr(2, 2));
      if (a.size() == 6) f->second = ToInt(a.substr(4, 2));
      if (pos_ < s_.size() && s_[pos_] == '.') f->fsec = Fraction();
    } else {
      Bad();
    }
    // The time ends at white space, a zone sign or a letter (a zone or am/pm).
    if (pos_ < s_.size() && !IsSpace(s_[pos_]) && s_[pos_] != '+' && s_[pos_] != '-' &&
        !IsAlpha(s_[pos_])) {
      Bad();
    }
  }

  // DecodeTimezone (the sign already consumed): H[:M[:S]] with any number of digits per
  // field, or run together as HMM / HHMM (the last two digits are minutes).
  void ParseOffset(TimeFields* f, bool negative) {
    std::string_view d = Digits();
    int64_t hr = ToInt(d), mn = 0, sc = 0;
    if (pos_ < s_.size() && s_[pos_] == ':') {
      ++pos_;
      mn = ToInt(Digits());
      if (pos_ < s_.size() && s_[pos_] == ':') {
        ++pos_;
        sc = ToInt(Digits());
      }
    } else if (d.size() > 2) {
      mn = hr % 100;
      hr /= 100;
    }
    if (pos_ < s_.size() && !IsSpace(s_[pos_]) && !IsAlpha(s_[pos_])) Bad();
    if (hr > 15 || mn >= 60 || sc >= 60) {
      Throw(SqlState::kInvalidTimeZoneDisplacementValue,
            "time zone displacement out of range: \"{}\"", text_);
    }
    f->has_offset = true;
    f->east = (hr * 3600 + mn * 60 + sc) * (negative ? -1 : 1);
  }

  std::string_view text_;
  bool with_tz_;
  DateOrder order_;
  std::string_view s_;
  size_t pos_ = 0;
};

int64_t FieldsUsec(const TimeFields& f) {
  return ((f.hour * 60 + f.minute) * 60 + f.second) * kUsecPerSec + f.fsec;
}

// Today in the session zone, days since 2000-01-01.
int64_t LocalToday(const TimeZone& tz) {
  int64_t local = tz.UtcToLocal(CurrentTimestampTz());
  int64_t days = local / kUsecPerDay;
  if (local % kUsecPerDay < 0) --days;
  return days;
}

// The local time of day now in the session zone.
int64_t NowTimeOfDay(const TimeZone& tz) {
  return FloorMod(tz.UtcToLocal(CurrentTimestampTz()), kUsecPerDay);
}

// time_pl_interval's wrap-around into [0, 24h).
int64_t WrapTime(int64_t usec) { return FloorMod(usec, kUsecPerDay); }

// ---- registry hooks ----

void TimeIn(std::string_view text, const FormatOptions& opts, Value* out) {
  out->i = ParseTime(text, out->type.typmod, opts.tz(), opts.date_order);
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
  TimeTz t = ParseTimeTz(text, out->type.typmod, opts.tz(), opts.date_order);
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

int64_t ParseTime(std::string_view text, int32_t typmod, const TimeZone& tz, DateOrder order) {
  TimeParser parser(text, false, order);
  TimeFields f = parser.Parse();
  int64_t usec = f.now ? NowTimeOfDay(tz) : FieldsUsec(f);
  return AdjustTimeForTypmod(usec, typmod);
}

TimeTz ParseTimeTz(std::string_view text, int32_t typmod, const TimeZone& tz, DateOrder order) {
  TimeParser parser(text, true, order);
  TimeFields f = parser.Parse();
  TimeTz out;
  if (f.now) {
    int64_t now = CurrentTimestampTz();
    int64_t east = f.has_offset ? f.east : tz.UtcOffset(now);
    out.usec = FloorMod(now + east * kUsecPerSec, kUsecPerDay);
    out.zone = static_cast<int32_t>(-east);
  } else {
    out.usec = FieldsUsec(f);
    if (f.has_offset) {
      out.zone = static_cast<int32_t>(-f.east);
    } else {
      // The zone's offset at that local time on the literal's date, or today.
      int64_t days = f.has_date ? DaysFromCivil(f.year, f.month, f.day) : LocalToday(tz);
      const TimeZone& z = f.zone != nullptr ? *f.zone : tz;
      out.zone = static_cast<int32_t>(-z.LocalOffset(days * kUsecPerDay + out.usec));
    }
  }
  out.usec = AdjustTimeForTypmod(out.usec, typmod);
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
