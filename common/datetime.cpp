#include "common/datetime.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "common/datetime_decode.h"
#include "common/error.h"

namespace activestore {
namespace {

constexpr int64_t kDaysFrom1970To2000 = 10957;
constexpr int64_t kUsecPerSec = 1000000;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr const char* kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

int64_t MinDate() { return DaysFromCivil(-4713, 11, 24); }
int64_t MaxDateExclusive() { return DaysFromCivil(5874898, 1, 1); }
int64_t MaxTimestampExclusive() { return DaysFromCivil(294277, 1, 1) * kUsecPerDay; }

std::string FormatTime(int64_t usec_of_day) {
  int64_t secs = usec_of_day / kUsecPerSec;
  int64_t frac = usec_of_day % kUsecPerSec;
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%02d:%02d:%02d", static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  std::string out = buf;
  if (frac) {
    std::snprintf(buf, sizeof(buf), ".%06d", static_cast<int>(frac));
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out;
}

// The numeric zone offset as EncodeTimezone prints it: "+05:30", "-08", "-07:52:58".
std::string OffsetText(int64_t east_seconds) {
  int64_t off = std::llabs(east_seconds);
  std::string out = fmt::format("{}{:02}", east_seconds < 0 ? '-' : '+', off / 3600);
  if (off % 3600 != 0) {
    out += fmt::format(":{:02}", off / 60 % 60);
    if (off % 60 != 0) out += fmt::format(":{:02}", off % 60);
  }
  return out;
}

// PostgreSQL's EncodeDateTime for a finite local time; `zone` is set for timestamptz (offset
// east and abbreviation).
std::string EncodeDateTime(int64_t usec, DateStyle style, DateOrder order, const int64_t* offset,
                           const std::string* abbrev) {
  int64_t days = FloorDiv(usec, kUsecPerDay);
  int64_t tod = usec - days * kUsecPerDay;
  int64_t y;
  int m, d;
  CivilFromDays(days, &y, &m, &d);
  bool bc = y <= 0;
  long long year = bc ? 1 - y : y;
  std::string out;
  // The zone: ISO prints the numeric offset; the others the abbreviation (PostgreSQL always has
  // one for a session zone, possibly empty as for '+05:30').
  std::string zone;
  if (offset != nullptr) {
    zone = style == DateStyle::kIso ? OffsetText(*offset) : " " + *abbrev;
  }
  switch (style) {
    case DateStyle::kIso:
      out = fmt::format("{:04}-{:02}-{:02} {}{}", year, m, d, FormatTime(tod), zone);
      break;
    case DateStyle::kSql:
      out = order == DateOrder::kDmy ? fmt::format("{:02}/{:02}", d, m)
                                     : fmt::format("{:02}/{:02}", m, d);
      out += fmt::format("/{:04} {}{}", year, FormatTime(tod), zone);
      break;
    case DateStyle::kGerman:
      out = fmt::format("{:02}.{:02}.{:04} {}{}", d, m, year, FormatTime(tod), zone);
      break;
    case DateStyle::kPostgres: {
      const char* dow = kDayNames[((days % 7) + 7 + 6) % 7];  // 2000-01-01 was a Saturday
      std::string mon = kMonthNames[m - 1];
      mon[0] = static_cast<char>(mon[0] - 'a' + 'A');
      std::string dowc = dow;
      dowc[0] = static_cast<char>(dowc[0] - 'a' + 'A');
      out = order == DateOrder::kDmy ? fmt::format("{} {:02} {}", dowc, d, mon)
                                     : fmt::format("{} {} {:02}", dowc, mon, d);
      out += fmt::format(" {} {:04}{}", FormatTime(tod), year, zone);
      break;
    }
  }
  if (bc) out += " BC";
  return out;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, int m, int d) {
  // Howard Hinnant's days_from_civil, shifted to the 2000-01-01 epoch.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468 - kDaysFrom1970To2000;
}

void CivilFromDays(int64_t days, int64_t* year, int* month, int* day) {
  int64_t z = days + kDaysFrom1970To2000 + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = y + (m <= 2);
  *month = m;
  *day = d;
}

bool IsValidDate(int64_t days) { return days >= MinDate() && days < MaxDateExclusive(); }

bool IsValidTimestamp(int64_t usec) {
  return usec >= MinDate() * kUsecPerDay && usec < MaxTimestampExclusive();
}

namespace {

dtdecode::DecodeContext ContextOf(const TimeZone& tz, DateOrder order, int64_t now_usec) {
  return {&tz, order, now_usec == kCurrentTime ? CurrentTimestampTz() : now_usec};
}

// ParseDateTime then DecodeDateTime, for date_in (buflen kDateBufLen) and timestamp_in /
// timestamptz_in (kTimestampBufLen); a decoding error is raised for the type named.
void DecodeText(std::string_view text, size_t buflen, std::string_view type, const TimeZone& tz,
                DateOrder order, int64_t now_usec, dtdecode::DType* dtype, dtdecode::Tm* tm,
                int* tzp) {
  std::vector<dtdecode::Field> fields;
  int dterr = dtdecode::ParseDateTime(text, buflen, &fields);
  if (dterr == 0)
    dterr = dtdecode::DecodeDateTime(fields, ContextOf(tz, order, now_usec), dtype, tm, tzp);
  if (dterr != 0) dtdecode::DateTimeParseError(dterr, text, type);
}

}  // namespace

int32_t ParseDate(std::string_view text, const TimeZone& tz, DateOrder order, int64_t now_usec) {
  using namespace dtdecode;  // NOLINT
  DType dtype;
  Tm tm;
  int tzp;
  DecodeText(text, kDateBufLen, "date", tz, order, now_usec, &dtype, &tm, &tzp);
  switch (dtype) {
    case DType::kDate:
      break;
    case DType::kEpoch:
      tm.year = 1970;
      tm.mon = 1;
      tm.mday = 1;
      break;
    case DType::kLate:
      return kDateNoEnd;
    case DType::kEarly:
      return kDateNoBegin;
    default:
      DateTimeParseError(kBadFormat, text, "date");
  }
  if (!IsValidJulian(tm.year, tm.mon, tm.mday)) {
    Throw(SqlState::kDatetimeFieldOverflow, "date out of range: \"{}\"", text);
  }
  int64_t days = DaysFromCivil(tm.year, tm.mon, tm.mday);
  if (!IsValidDate(days)) {
    Throw(SqlState::kDatetimeFieldOverflow, "date out of range: \"{}\"", text);
  }
  return static_cast<int32_t>(days);
}

namespace {

// The common ISO form `YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]]` (or a 'T' between date and
// time) read without the general decoder: bulk loads (COPY, INSERT ... VALUES) are mostly
// this. Returns false for anything else, including what the decoder rejects or reads
// specially (24:00, leap seconds, more than six fraction digits, a missing zone for
// timestamptz), which it then reads.
bool ParseIsoTimestamp(std::string_view s, bool with_tz, int64_t* out) {
  auto digits = [&](size_t at, size_t n, int* v) {
    if (at + n > s.size()) return false;
    int r = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      r = r * 10 + (s[i] - '0');
    }
    *v = r;
    return true;
  };
  int year, mon, day, hour, min, sec;
  if (s.size() < 19 || !digits(0, 4, &year) || s[4] != '-' || !digits(5, 2, &mon) || s[7] != '-' ||
      !digits(8, 2, &day) || (s[10] != ' ' && s[10] != 'T') || !digits(11, 2, &hour) ||
      s[13] != ':' || !digits(14, 2, &min) || s[16] != ':' || !digits(17, 2, &sec)) {
    return false;
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (year < 1 || mon < 1 || mon > 12 || day < 1 ||
      day > kDays[mon - 1] + (mon == 2 && leap ? 1 : 0) || hour > 23 || min > 59 || sec > 59) {
    return false;
  }
  size_t i = 19;
  int64_t frac = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (++n > 6) return false;
      frac = frac * 10 + (s[i] - '0');
      ++i;
    }
    if (n == 0) return false;
    for (; n < 6; ++n) frac *= 10;
  }
  int64_t offset_sec = 0;
  if (i < s.size()) {
    if (s[i] != '+' && s[i] != '-') return false;
    const int sign = s[i] == '-' ? -1 : 1;
    int oh, om = 0;
    if (!digits(i + 1, 2, &oh)) return false;
    i += 3;
    if (i < s.size()) {
      if (s[i] != ':' || !digits(i + 1, 2, &om) || i + 3 != s.size()) return false;
      i += 3;
    }
    if (oh > 15 || om > 59) return false;
    offset_sec = sign * (oh * 3600 + om * 60);
    if (!with_tz) offset_sec = 0;  // timestamp without time zone ignores a given zone
  } else if (with_tz) {
    return false;  // the session's time zone applies
  }
  *out = DaysFromCivil(year, mon, day) * kUsecPerDay +
         ((hour * 60 + min) * 60 + sec - offset_sec) * kUsecPerSec + frac;
  return true;
}

int64_t ParseTimestampImpl(std::string_view text, const TimeZone& tz, DateOrder order, bool with_tz,
                           int64_t now_usec) {
  if (int64_t fast; ParseIsoTimestamp(text, with_tz, &fast)) return fast;
  using namespace dtdecode;  // NOLINT
  const char* type = with_tz ? "timestamp with time zone" : "timestamp";
  DType dtype;
  Tm tm;
  int tzp;
  DecodeText(text, kTimestampBufLen, type, tz, order, now_usec, &dtype, &tm, &tzp);
  switch (dtype) {
    case DType::kDate: {
      int64_t result;
      if (!Tm2Timestamp(tm, with_tz ? &tzp : nullptr, &result)) {
        Throw(SqlState::kDatetimeFieldOverflow, "timestamp out of range: \"{}\"", text);
      }
      return result;
    }
    case DType::kEpoch:
      return DaysFromCivil(1970, 1, 1) * kUsecPerDay;
    case DType::kLate:
      return kTimestampNoEnd;
    case DType::kEarly:
      return kTimestampNoBegin;
    default:
      DateTimeParseError(kBadFormat, text, type);
  }
}

}  // namespace

int64_t ParseTimestamp(std::string_view text, const TimeZone& tz, DateOrder order,
                       int64_t now_usec) {
  return ParseTimestampImpl(text, tz, order, false, now_usec);
}

int64_t ParseTimestampTz(std::string_view text, const TimeZone& tz, DateOrder order,
                         int64_t now_usec) {
  return ParseTimestampImpl(text, tz, order, true, now_usec);
}

std::string FormatDate(int32_t days, DateStyle style, DateOrder order) {
  if (days == kDateNoEnd) return "infinity";
  if (days == kDateNoBegin) return "-infinity";
  int64_t y;
  int m, d;
  CivilFromDays(days, &y, &m, &d);
  long long year = y <= 0 ? 1 - y : y;
  std::string out;
  switch (style) {
    case DateStyle::kIso:
      out = fmt::format("{:04}-{:02}-{:02}", year, m, d);
      break;
    case DateStyle::kSql:
      out = order == DateOrder::kDmy ? fmt::format("{:02}/{:02}/{:04}", d, m, year)
                                     : fmt::format("{:02}/{:02}/{:04}", m, d, year);
      break;
    case DateStyle::kGerman:
      out = fmt::format("{:02}.{:02}.{:04}", d, m, year);
      break;
    case DateStyle::kPostgres:
      out = order == DateOrder::kDmy ? fmt::format("{:02}-{:02}-{:04}", d, m, year)
                                     : fmt::format("{:02}-{:02}-{:04}", m, d, year);
      break;
  }
  if (y <= 0) out += " BC";
  return out;
}

std::string FormatTimestamp(int64_t usec, DateStyle style, DateOrder order) {
  if (usec == kTimestampNoEnd) return "infinity";
  if (usec == kTimestampNoBegin) return "-infinity";
  return EncodeDateTime(usec, style, order, nullptr, nullptr);
}

std::string FormatTimestampTz(int64_t usec, const TimeZone& tz, DateStyle style, DateOrder order) {
  if (usec == kTimestampNoEnd) return "infinity";
  if (usec == kTimestampNoBegin) return "-infinity";
  std::string abbrev;
  int64_t offset = tz.UtcOffset(usec, &abbrev);
  return EncodeDateTime(usec + offset * kUsecPerSec, style, order, &offset, &abbrev);
}

namespace {

// make_date / make_timestamp's ValidateDate with a negative year as BC.
bool ValidMakeDate(int64_t year, int64_t month, int64_t day, int64_t* astro_year) {
  bool bc = year < 0;
  if (bc) year = -year;
  if (year <= 0) return false;
  if (bc) year = -(year - 1);
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > (month == 2 && leap ? 29 : kDays[month - 1])) return false;
  *astro_year = year;
  return true;
}

std::string SecondsText(double sec) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%02g", sec);
  return buf;
}

}  // namespace

int32_t MakeDate(int64_t year, int64_t month, int64_t day) {
  int64_t y;
  if (!ValidMakeDate(year, month, day, &y)) {
    // PostgreSQL shows the year after ValidateDate turned a BC year into an astronomical one.
    int64_t shown = year < 0 ? year + 1 : year;
    Throw(SqlState::kDatetimeFieldOverflow, "date field value out of range: {}-{:02}-{:02}", shown,
          month, day);
  }
  if (!dtdecode::IsValidJulian(y, static_cast<int>(month), static_cast<int>(day))) {
    Throw(SqlState::kDatetimeFieldOverflow, "date out of range: {}-{:02}-{:02}", y, month, day);
  }
  int64_t days = DaysFromCivil(y, static_cast<int>(month), static_cast<int>(day));
  if (!IsValidDate(days)) {
    Throw(SqlState::kDatetimeFieldOverflow, "date out of range: {}-{:02}-{:02}", y, month, day);
  }
  return static_cast<int32_t>(days);
}

int64_t MakeTimestamp(int64_t year, int64_t month, int64_t day, int64_t hour, int64_t min,
                      double sec) {
  int64_t y;
  if (!ValidMakeDate(year, month, day, &y)) {
    Throw(SqlState::kDatetimeFieldOverflow, "date field value out of range: {}-{:02}-{:02}", year,
          month, day);
  }
  if (!dtdecode::IsValidJulian(y, static_cast<int>(month), static_cast<int>(day))) {
    Throw(SqlState::kDatetimeFieldOverflow, "date out of range: {}-{:02}-{:02}", year, month, day);
  }
  int64_t date = DaysFromCivil(y, static_cast<int>(month), static_cast<int>(day));
  // float_time_overflows
  bool bad = hour < 0 || hour > 24 || min < 0 || min >= 60 || std::isnan(sec);
  double usec = bad ? 0 : std::rint(sec * 1e6);
  if (!bad && (usec < 0 || usec > 60e6)) bad = true;
  if (!bad && ((hour * 60 + min) * 60) * kUsecPerSec + static_cast<int64_t>(usec) > kUsecPerDay) {
    bad = true;
  }
  if (bad) {
    Throw(SqlState::kDatetimeFieldOverflow, "time field value out of range: {}:{:02}:{}", hour, min,
          SecondsText(sec));
  }
  int64_t time = ((hour * 60 + min) * 60) * kUsecPerSec + static_cast<int64_t>(usec);
  int64_t result = date * kUsecPerDay + time;
  if ((result < 0 && date > 0) || (result > 0 && date < -1) || !IsValidTimestamp(result)) {
    Throw(SqlState::kDatetimeFieldOverflow, "timestamp out of range: {}-{:02}-{:02} {}:{:02}:{}",
          year, month, day, hour, min, SecondsText(sec));
  }
  return result;
}

int64_t LocalToUtcInZoneArg(int64_t local_usec, std::string_view zone) {
  std::string name(zone);
  if (!name.empty() && name[0] >= '0' && name[0] <= '9') {
    throw Error(SqlState::kInvalidParameterValue,
                fmt::format("invalid input syntax for type numeric time zone: \"{}\"", name))
        .Hint("Numeric time zones must have \"-\" or \"+\" as first character.");
  }
  if (!TimestampIsFinite(local_usec)) return local_usec;
  dtdecode::Tm tm;
  {
    int64_t days = FloorDiv(local_usec, kUsecPerDay);
    int64_t tod = local_usec - days * kUsecPerDay;
    CivilFromDays(days, &tm.year, &tm.mon, &tm.mday);
    tm.hour = static_cast<int>(tod / (3600 * kUsecPerSec));
    tm.min = static_cast<int>(tod / (60 * kUsecPerSec) % 60);
    tm.sec = static_cast<int>(tod / kUsecPerSec % 60);
  }
  int64_t west;  // PostgreSQL's sign
  std::vector<dtdecode::Field> fields;
  // A numeric offset: DecodeTimezone (east positive, as ISO 8601).
  int off_west = 0;
  int dterr = dtdecode::kBadFormat;
  if (!name.empty() && (name[0] == '+' || name[0] == '-')) {
    dterr = dtdecode::DecodeTimezoneText(name, &off_west);
  }
  if (dterr == 0) {
    west = off_west;
  } else if (dterr == dtdecode::kTzDispOverflow) {
    Throw(SqlState::kInvalidParameterValue, "numeric time zone \"{}\" out of range", name);
  } else if (dterr != dtdecode::kBadFormat) {
    Throw(SqlState::kInvalidParameterValue, "time zone \"{}\" not recognized", name);
  } else {
    ZoneAbbrev abbrev;
    std::shared_ptr<const TimeZone> tz;
    if (FindZoneAbbreviation(name, &abbrev)) {
      if (!abbrev.dynamic) {
        west = -abbrev.east;
      } else {
        west = dtdecode::DetermineAbbrevOffsetText(&tm, name, *abbrev.zone);
      }
    } else if ((tz = TimeZone::Find(name)) != nullptr) {
      west = dtdecode::DetermineTimeZoneOffset(&tm, *tz);
    } else {
      Throw(SqlState::kInvalidParameterValue, "time zone \"{}\" not recognized", name);
    }
  }
  int64_t r = local_usec + west * kUsecPerSec;
  if (!IsValidTimestamp(r)) Throw(SqlState::kDatetimeFieldOverflow, "timestamp out of range");
  return r;
}

int64_t DateBin(int64_t stride_usec_part, int32_t stride_days, int32_t stride_months,
                int64_t source, int64_t origin) {
  if (!TimestampIsFinite(source)) return source;
  if (!TimestampIsFinite(origin)) Throw(SqlState::kDatetimeFieldOverflow, "origin out of range");
  if (stride_months != 0) {
    Throw(SqlState::kFeatureNotSupported,
          "timestamps cannot be binned into intervals containing months or years");
  }
  int64_t stride;
  if (__builtin_mul_overflow(static_cast<int64_t>(stride_days), kUsecPerDay, &stride) ||
      __builtin_add_overflow(stride, stride_usec_part, &stride)) {
    Throw(SqlState::kDatetimeFieldOverflow, "interval out of range");
  }
  if (stride <= 0) Throw(SqlState::kDatetimeFieldOverflow, "stride must be greater than zero");
  int64_t diff;
  if (__builtin_sub_overflow(source, origin, &diff)) {
    Throw(SqlState::kDatetimeFieldOverflow, "interval out of range");
  }
  int64_t modulo = diff % stride;
  int64_t result = origin + (diff - modulo);
  if (modulo < 0) {
    if (__builtin_sub_overflow(result, stride, &result) || !IsValidTimestamp(result)) {
      Throw(SqlState::kDatetimeFieldOverflow, "timestamp out of range");
    }
  }
  return result;
}

int64_t TimestampToTimestampTz(int64_t local_usec, const TimeZone& tz) {
  if (!TimestampIsFinite(local_usec)) return local_usec;
  int64_t r = tz.LocalToUtc(local_usec);
  if (!IsValidTimestamp(r)) Throw(SqlState::kDatetimeFieldOverflow, "timestamp out of range");
  return r;
}

int64_t TimestampTzToTimestamp(int64_t utc_usec, const TimeZone& tz) {
  if (!TimestampIsFinite(utc_usec)) return utc_usec;
  int64_t r = tz.UtcToLocal(utc_usec);
  if (!IsValidTimestamp(r)) Throw(SqlState::kDatetimeFieldOverflow, "timestamp out of range");
  return r;
}

int64_t DateToTimestamp(int32_t days) {
  if (days == kDateNoBegin) return kTimestampNoBegin;
  if (days == kDateNoEnd) return kTimestampNoEnd;
  if (days < MinDate() || days >= MaxTimestampExclusive() / kUsecPerDay) {
    Throw(SqlState::kDatetimeFieldOverflow, "date out of range for timestamp");
  }
  int64_t usec = static_cast<int64_t>(days) * kUsecPerDay;
  if (!IsValidTimestamp(usec)) {
    Throw(SqlState::kDatetimeFieldOverflow, "date out of range for timestamp");
  }
  return usec;
}

int32_t TimestampToDate(int64_t usec) {
  if (usec == kTimestampNoBegin) return kDateNoBegin;
  if (usec == kTimestampNoEnd) return kDateNoEnd;
  return static_cast<int32_t>(FloorDiv(usec, kUsecPerDay));
}

int64_t CurrentTimestampTz() {
  auto now = std::chrono::system_clock::now();
  int64_t unix_usec =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  return unix_usec - kDaysFrom1970To2000 * kUsecPerDay;
}

}  // namespace activestore
