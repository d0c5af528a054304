#include "common/interval.h"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/datetime.h"
#include "common/error.h"

namespace activestore {
namespace {

constexpr int64_t kUsecPerSec = 1000000;
constexpr int64_t kUsecPerMinute = 60 * kUsecPerSec;
constexpr int64_t kUsecPerHour = 60 * kUsecPerMinute;
constexpr int64_t kUsecPerDay64 = 24 * kUsecPerHour;
constexpr int kDaysPerMonth = 30;
constexpr int kMonthsPerYear = 12;
constexpr double kSecsPerDay = 86400.0;

[[noreturn]] void ThrowIntervalRange() {
  Throw(SqlState::kDatetimeFieldOverflow, "interval out of range");
}
[[noreturn]] void ThrowTimestampRange() {
  Throw(SqlState::kDatetimeFieldOverflow, "timestamp out of range");
}

bool FitsInt32(double x) { return x >= -2147483648.0 && x < 2147483648.0; }
bool FitsInt64(double x) { return x >= -9223372036854775808.0 && x < 9223372036854775808.0; }

int32_t AddMonthsOrThrow(int32_t a, int64_t b) {
  int32_t r;
  if (b < INT32_MIN || b > INT32_MAX || __builtin_add_overflow(a, static_cast<int32_t>(b), &r)) {
    ThrowIntervalRange();
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Input

enum class Err { kOk, kBadFormat, kFieldOverflow };

// The fields of an interval while it is decoded (PostgreSQL's pg_itm_in).
struct Parts {
  int64_t usec = 0;
  int32_t days = 0;
  int32_t months = 0;
  int32_t years = 0;
};

enum class Tok { kNumber, kString, kDate, kTime, kSigned, kSpecial };
struct Token {
  std::string text;
  Tok kind;
};

using U = DateUnit;

// Words of PostgreSQL's date token table: a word followed by a digit that is one of these
// ends there; any other such word starts a date-like token ("p1y2m").
bool IsDateTableWord(std::string_view w) {
  static const char* const kWords[] = {
      "ad",      "allballs", "am",        "apr",      "april",     "at",        "aug",    "august",
      "bc",      "d",        "dec",       "december", "dow",       "doy",       "dst",    "epoch",
      "feb",     "february", "fri",       "friday",   "h",         "infinity",  "isodow", "isoyear",
      "j",       "jan",      "january",   "jd",       "jul",       "julian",    "july",   "jun",
      "june",    "m",        "mar",       "march",    "may",       "mm",        "mon",    "monday",
      "nov",     "november", "now",       "oct",      "october",   "on",        "pm",     "s",
      "sat",     "saturday", "sep",       "sept",     "september", "sun",       "sunday", "t",
      "thu",     "thur",     "thurs",     "thursday", "today",     "tomorrow",  "tue",    "tues",
      "tuesday", "wed",      "wednesday", "weds",     "y",         "yesterday", "z",      "zulu"};
  for (const char* k : kWords) {
    if (w == k) return true;
  }
  return false;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// PostgreSQL's ParseDateTime: splits the input into typed fields.
Err Tokenize(std::string_view s, std::vector<Token>* out) {
  size_t p = 0, used = 0;
  const size_t n = s.size();
  auto at = [&](size_t i) { return i < n ? s[i] : '\0'; };
  while (p < n) {
    char c = s[p];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++p;
      continue;
    }
    Token t;
    if (IsDigit(c)) {
      while (IsDigit(at(p))) t.text.push_back(s[p++]);
      if (at(p) == ':') {
        t.kind = Tok::kTime;
        t.text.push_back(s[p++]);
        while (IsDigit(at(p)) || at(p) == ':' || at(p) == '.') t.text.push_back(s[p++]);
      } else if (at(p) == '-' || at(p) == '/' || at(p) == '.') {
        char delim = s[p];
        t.text.push_back(s[p++]);
        if (IsDigit(at(p))) {
          t.kind = delim == '.' ? Tok::kNumber : Tok::kDate;
          while (IsDigit(at(p))) t.text.push_back(s[p++]);
          if (at(p) == delim) {
            t.kind = Tok::kDate;
            t.text.push_back(s[p++]);
            while (IsDigit(at(p)) || at(p) == delim) t.text.push_back(s[p++]);
          }
        } else {
          t.kind = Tok::kDate;
          while (IsAlnum(at(p)) || at(p) == delim) t.text.push_back(Lower(s[p++]));
        }
      } else {
        t.kind = Tok::kNumber;
      }
    } else if (c == '.') {
      t.text.push_back(s[p++]);
      while (IsDigit(at(p))) t.text.push_back(s[p++]);
      t.kind = Tok::kNumber;
    } else if (IsAlpha(c)) {
      t.kind = Tok::kString;
      while (IsAlpha(at(p))) t.text.push_back(Lower(s[p++]));
      bool is_date = false;
      char d = at(p);
      if (d == '-' || d == '/' || d == '.') {
        is_date = true;
      } else if (d == '+' || IsDigit(d)) {
        is_date = !IsDateTableWord(t.text);
      }
      if (is_date) {
        t.kind = Tok::kDate;
        while (p < n && (s[p] == '+' || s[p] == '-' || s[p] == '/' || s[p] == '_' || s[p] == '.' ||
                         s[p] == ':' || IsAlnum(s[p]))) {
          t.text.push_back(Lower(s[p++]));
        }
      }
    } else if (c == '+' || c == '-') {
      t.text.push_back(s[p++]);
      while (p < n && std::isspace(static_cast<unsigned char>(s[p]))) ++p;
      if (IsDigit(at(p))) {
        t.kind = Tok::kSigned;
        t.text.push_back(s[p++]);
        while (IsDigit(at(p)) || at(p) == ':' || at(p) == '.' || at(p) == '-') {
          t.text.push_back(s[p++]);
        }
      } else if (IsAlpha(at(p))) {
        t.kind = Tok::kSpecial;
        while (IsAlpha(at(p))) t.text.push_back(Lower(s[p++]));
      } else {
        return Err::kBadFormat;
      }
    } else if (std::ispunct(static_cast<unsigned char>(c))) {
      ++p;
      continue;
    } else {
      return Err::kBadFormat;
    }
    used += t.text.size() + 1;
    if (out->size() >= 25 || used > 256) return Err::kBadFormat;
    out->push_back(std::move(t));
  }
  return Err::kOk;
}

// strtol-like: optional spaces and sign, then digits. *end is the first byte not used (the
// start when there are no digits). Returns false on overflow.
bool StrToI64(const char* s, const char** end, int64_t* out) {
  errno = 0;
  char* e = nullptr;
  long long v = std::strtoll(s, &e, 10);
  *end = e;
  *out = v;
  return errno != ERANGE;
}

Err ParseFraction(const char* cp, double* frac) {
  if (cp[1] == '\0') {
    *frac = 0;
    return Err::kOk;
  }
  errno = 0;
  char* e = nullptr;
  *frac = std::strtod(cp, &e);
  if (*e != '\0' || errno != 0) return Err::kBadFormat;
  return Err::kOk;
}

Err ParseFractionalSecond(const char* cp, int64_t* usec) {
  errno = 0;
  char* e = nullptr;
  double frac = std::strtod(cp, &e);
  if (*e != '\0' || errno != 0) return Err::kBadFormat;
  *usec = static_cast<int64_t>(std::rint(frac * 1000000));
  return Err::kOk;
}

bool AddUsec(Parts* p, int64_t x) { return !__builtin_add_overflow(p->usec, x, &p->usec); }

bool AdjustFractMicroseconds(double frac, int64_t scale, Parts* p) {
  if (frac == 0) return true;
  frac *= static_cast<double>(scale);
  if (!FitsInt64(frac)) return false;
  int64_t usec = static_cast<int64_t>(frac);
  frac -= static_cast<double>(usec);
  if (frac > 0.5) {
    ++usec;
  } else if (frac < -0.5) {
    --usec;
  }
  return AddUsec(p, usec);
}

bool AdjustFractDays(double frac, int scale, Parts* p) {
  if (frac == 0) return true;
  frac *= scale;
  if (!FitsInt32(frac)) return false;
  int extra = static_cast<int>(frac);
  if (__builtin_add_overflow(p->days, extra, &p->days)) return false;
  frac -= extra;
  return AdjustFractMicroseconds(frac, kUsecPerDay64, p);
}

bool AdjustFractYears(double frac, int scale, Parts* p) {
  double m = std::rint(frac * scale * kMonthsPerYear);
  if (!FitsInt32(m)) return false;
  return !__builtin_add_overflow(p->months, static_cast<int32_t>(m), &p->months);
}

bool AdjustMicroseconds(int64_t val, double fval, int64_t scale, Parts* p) {
  int64_t usec;
  if (__builtin_mul_overflow(val, scale, &usec)) return false;
  if (!AddUsec(p, usec)) return false;
  return AdjustFractMicroseconds(fval, scale, p);
}

bool AdjustDays(int64_t val, int scale, Parts* p) {
  if (val < INT32_MIN || val > INT32_MAX) return false;
  int32_t d;
  return !__builtin_mul_overflow(static_cast<int32_t>(val), scale, &d) &&
         !__builtin_add_overflow(p->days, d, &p->days);
}

bool AdjustMonths(int64_t val, Parts* p) {
  if (val < INT32_MIN || val > INT32_MAX) return false;
  return !__builtin_add_overflow(p->months, static_cast<int32_t>(val), &p->months);
}

bool AdjustYears(int64_t val, int scale, Parts* p) {
  if (val < INT32_MIN || val > INT32_MAX) return false;
  int32_t y;
  return !__builtin_mul_overflow(static_cast<int32_t>(val), scale, &y) &&
         !__builtin_add_overflow(p->years, y, &p->years);
}

// Field bits for detecting a unit given twice.
enum : int {
  kMMonth = 1 << 0,
  kMYear = 1 << 1,
  kMDay = 1 << 2,
  kMHour = 1 << 3,
  kMMinute = 1 << 4,
  kMSecond = 1 << 5,
  kMMillisec = 1 << 6,
  kMMicrosec = 1 << 7,
  kMWeek = 1 << 8,
  kMDecade = 1 << 9,
  kMCentury = 1 << 10,
  kMMillennium = 1 << 11,
};
constexpr int kMAllSecs = kMSecond | kMMillisec | kMMicrosec;
constexpr int kMTime = kMHour | kMMinute | kMAllSecs;

// Adds val (plus the fraction fval) of `unit` to p, cascading fractions down as PostgreSQL
// does (fractional months to days to microseconds, fractional years to months). False on
// overflow.
bool AddUnit(U unit, int64_t val, double fval, Parts* p) {
  switch (unit) {
    case U::kMicroseconds:
      return AdjustMicroseconds(val, fval, 1, p);
    case U::kMilliseconds:
      return AdjustMicroseconds(val, fval, 1000, p);
    case U::kSecond:
      return AdjustMicroseconds(val, fval, kUsecPerSec, p);
    case U::kMinute:
      return AdjustMicroseconds(val, fval, kUsecPerMinute, p);
    case U::kHour:
      return AdjustMicroseconds(val, fval, kUsecPerHour, p);
    case U::kDay:
      return AdjustDays(val, 1, p) && AdjustFractMicroseconds(fval, kUsecPerDay64, p);
    case U::kWeek:
      return AdjustDays(val, 7, p) && AdjustFractDays(fval, 7, p);
    case U::kMonth:
      return AdjustMonths(val, p) && AdjustFractDays(fval, kDaysPerMonth, p);
    case U::kYear:
      return AdjustYears(val, 1, p) && AdjustFractYears(fval, 1, p);
    case U::kDecade:
      return AdjustYears(val, 10, p) && AdjustFractYears(fval, 10, p);
    case U::kCentury:
      return AdjustYears(val, 100, p) && AdjustFractYears(fval, 100, p);
    case U::kMillennium:
      return AdjustYears(val, 1000, p) && AdjustFractYears(fval, 1000, p);
    default:
      return false;
  }
}

// The field bit a number with `unit` takes (0: the unit cannot take a number).
int UnitMask(U unit, double fval) {
  switch (unit) {
    case U::kMicroseconds:
      return kMMicrosec;
    case U::kMilliseconds:
      return kMMillisec;
    case U::kSecond:
      return fval == 0 ? kMSecond : kMAllSecs;
    case U::kMinute:
      return kMMinute;
    case U::kHour:
      return kMHour;
    case U::kDay:
      return kMDay;
    case U::kWeek:
      return kMWeek;
    case U::kMonth:
      return kMMonth;
    case U::kYear:
      return kMYear;
    case U::kDecade:
      return kMDecade;
    case U::kCentury:
      return kMCentury;
    case U::kMillennium:
      return kMMillennium;
    default:
      return 0;
  }
}

// hh:mm[:ss[.fff]] or mm:ss.fff of an interval (PostgreSQL's DecodeTimeCommon + the interval
// wrapper): sets p->usec (replacing what was there, as PostgreSQL does).
Err DecodeTime(const std::string& str, int range, Parts* p) {
  const char* cp;
  int64_t hour, min, sec = 0, usec = 0;
  if (!StrToI64(str.c_str(), &cp, &hour)) return Err::kFieldOverflow;
  if (*cp != ':') return Err::kBadFormat;
  if (!StrToI64(cp + 1, &cp, &min) || min < INT32_MIN || min > INT32_MAX) {
    return Err::kFieldOverflow;
  }
  if (*cp == '\0') {
    if (range == (kIntervalMinute | kIntervalSecond)) {
      if (hour > INT32_MAX || hour < INT32_MIN) return Err::kFieldOverflow;
      sec = min;
      min = hour;
      hour = 0;
    }
  } else if (*cp == '.') {
    Err e = ParseFractionalSecond(cp, &usec);
    if (e != Err::kOk) return e;
    if (hour > INT32_MAX || hour < INT32_MIN) return Err::kFieldOverflow;
    sec = min;
    min = hour;
    hour = 0;
  } else if (*cp == ':') {
    if (!StrToI64(cp + 1, &cp, &sec) || sec < INT32_MIN || sec > INT32_MAX) {
      return Err::kFieldOverflow;
    }
    if (*cp == '.') {
      Err e = ParseFractionalSecond(cp, &usec);
      if (e != Err::kOk) return e;
    } else if (*cp != '\0') {
      return Err::kBadFormat;
    }
  } else {
    return Err::kBadFormat;
  }
  if (hour < 0 || min < 0 || min > 59 || sec < 0 || sec > 60 || usec < 0 || usec > kUsecPerSec) {
    return Err::kFieldOverflow;
  }
  int64_t total = usec, x;
  if (__builtin_mul_overflow(hour, kUsecPerHour, &x) || __builtin_add_overflow(total, x, &total) ||
      __builtin_mul_overflow(min, kUsecPerMinute, &x) || __builtin_add_overflow(total, x, &total) ||
      __builtin_mul_overflow(sec, kUsecPerSec, &x) || __builtin_add_overflow(total, x, &total)) {
    return Err::kFieldOverflow;
  }
  p->usec = total;
  return Err::kOk;
}

// PostgreSQL's DecodeInterval: the fields are read right to left, so that a unit word is seen
// before its number.
Err DecodeFields(const std::vector<Token>& f, int range, IntervalStyle style, Parts* p) {
  bool force_negative = false;
  if (style == IntervalStyle::kSqlStandard && !f.empty() && f[0].text[0] == '-') {
    force_negative = true;
    for (size_t i = 1; i < f.size(); ++i) {
      if (f[i].text[0] == '-' || f[i].text[0] == '+') {
        force_negative = false;
        break;
      }
    }
  }
  bool is_before = false;
  int fmask = 0;
  U type = U::kIgnore;  // kIgnore: no unit seen yet
  for (size_t k = f.size(); k-- > 0;) {
    const Token& t = f[k];
    int tmask = 0;
    bool number = false;
    switch (t.kind) {
      case Tok::kTime: {
        Err e = DecodeTime(t.text, range, p);
        if (e != Err::kOk) return e;
        if (force_negative && p->usec > 0) p->usec = -p->usec;
        tmask = kMTime;
        type = U::kDay;
        break;
      }
      case Tok::kSigned:
        if (t.text.find(':', 1) != std::string::npos) {
          Parts saved = *p;
          if (DecodeTime(t.text.substr(1), range, p) == Err::kOk) {
            if (t.text[0] == '-') {
              if (p->usec == INT64_MIN) return Err::kFieldOverflow;
              p->usec = -p->usec;
            }
            if (force_negative && p->usec > 0) p->usec = -p->usec;
            tmask = kMTime;
            type = U::kDay;
            break;
          }
          *p = saved;
        }
        number = true;
        break;
      case Tok::kDate:
      case Tok::kNumber:
        number = true;
        break;
      case Tok::kString:
      case Tok::kSpecial: {
        U u = LookupDateUnit(t.text, false);
        if (u == U::kIgnore) continue;
        if (u == U::kAgo) {
          is_before = true;
          type = U::kUnknown;
        } else if (u == U::kUnknown) {
          return Err::kBadFormat;
        } else {
          type = u;
        }
        break;
      }
    }
    if (number) {
      if (type == U::kIgnore) {
        // The typmod tells what a bare number is.
        switch (range) {
          case kIntervalYear:
            type = U::kYear;
            break;
          case kIntervalMonth:
          case kIntervalYear | kIntervalMonth:
            type = U::kMonth;
            break;
          case kIntervalDay:
            type = U::kDay;
            break;
          case kIntervalHour:
          case kIntervalDay | kIntervalHour:
            type = U::kHour;
            break;
          case kIntervalMinute:
          case kIntervalHour | kIntervalMinute:
          case kIntervalDay | kIntervalHour | kIntervalMinute:
            type = U::kMinute;
            break;
          default:
            type = U::kSecond;
            break;
        }
      }
      const char* start = t.text.c_str();
      const char* cp;
      int64_t val;
      double fval = 0;
      if (!StrToI64(start, &cp, &val)) return Err::kFieldOverflow;
      if (*cp == '-') {  // SQL "years-months"
        int64_t val2;
        if (!StrToI64(cp + 1, &cp, &val2) || val2 < 0 || val2 >= kMonthsPerYear) {
          return Err::kFieldOverflow;
        }
        if (*cp != '\0') return Err::kBadFormat;
        type = U::kMonth;
        if (*start == '-') val2 = -val2;
        if (__builtin_mul_overflow(val, int64_t{kMonthsPerYear}, &val) ||
            __builtin_add_overflow(val, val2, &val)) {
          return Err::kFieldOverflow;
        }
      } else if (*cp == '.') {
        Err e = ParseFraction(cp, &fval);
        if (e != Err::kOk) return e;
        if (*start == '-') fval = -fval;
      } else if (*cp != '\0') {
        return Err::kBadFormat;
      }
      if (force_negative) {
        if (val > 0) val = -val;
        if (fval > 0) fval = -fval;
      }
      tmask = UnitMask(type, fval);
      if (tmask == 0) return Err::kBadFormat;
      if (!AddUnit(type, val, fval, p)) return Err::kFieldOverflow;
      if (type == U::kHour) type = U::kDay;  // a bare number before "1 hour" is days
    }
    if (tmask & fmask) return Err::kBadFormat;
    fmask |= tmask;
  }
  if (fmask == 0) return Err::kBadFormat;
  if (is_before) {
    if (p->usec == INT64_MIN || p->days == INT32_MIN || p->months == INT32_MIN ||
        p->years == INT32_MIN) {
      return Err::kFieldOverflow;
    }
    p->usec = -p->usec;
    p->days = -p->days;
    p->months = -p->months;
    p->years = -p->years;
  }
  return Err::kOk;
}

// A number of an ISO 8601 duration, as PostgreSQL 15 reads it: whatever strtod takes (so
// "10.5e4" too), at most 1e15 in magnitude, split into integer and fraction.
Err ParseIsoNumber(const char** str, int64_t* ipart, double* fpart) {
  const char* s = *str;
  if (!(IsDigit(*s) || *s == '-' || *s == '.')) return Err::kBadFormat;
  errno = 0;
  char* end = nullptr;
  double val = std::strtod(s, &end);
  if (end == s || errno != 0) return Err::kBadFormat;
  *str = end;
  if (std::isnan(val) || val < -1.0e15 || val > 1.0e15) return Err::kFieldOverflow;
  *ipart =
      val >= 0 ? static_cast<int64_t>(std::floor(val)) : -static_cast<int64_t>(std::floor(-val));
  *fpart = val - static_cast<double>(*ipart);
  return Err::kOk;
}

int IsoIntegerWidth(const char* s) {
  if (*s == '-') ++s;
  int n = 0;
  while (IsDigit(s[n])) ++n;
  return n;
}

// The "alternative format" fields after a leading number (P0001-02-03T04:05:06): the
// remaining `units` separated by `sep`, each a number. Returns kOk at the end of the input,
// and sets *at_t when a 'T' ends the date part.
Err DecodeIsoAlternative(const char** str, const U* units, int n, char sep, Parts* p, bool* at_t) {
  for (int i = 0; i < n; ++i) {
    int64_t val;
    double fval;
    Err e = ParseIsoNumber(str, &val, &fval);
    if (e != Err::kOk) return e;
    if (!AddUnit(units[i], val, fval, p)) return Err::kFieldOverflow;
    if (**str == '\0') return Err::kOk;
    if (sep == '-' && **str == 'T') {
      *at_t = true;
      return Err::kOk;
    }
    if (i + 1 == n || **str != sep) return Err::kBadFormat;
    ++*str;
  }
  return Err::kBadFormat;
}

// PostgreSQL's DecodeISO8601Interval: P1Y2M3DT4H5M6S, P0001-02-03T04:05:06, P00010203T040506.
Err DecodeIso8601(const std::string& in, Parts* p) {
  *p = Parts{};
  if (in.size() < 2 || in[0] != 'P') return Err::kBadFormat;
  const char* str = in.c_str() + 1;
  bool datepart = true, havefield = false;
  auto start_time_part = [&]() {
    datepart = false;
    havefield = false;
  };
  while (*str) {
    if (*str == 'T') {
      start_time_part();
      ++str;
      continue;
    }
    const char* fieldstart = str;
    int64_t val;
    double fval;
    Err e = ParseIsoNumber(&str, &val, &fval);
    if (e != Err::kOk) return e;
    char unit = *str;
    if (unit != '\0') ++str;
    U u = U::kUnknown;
    if (datepart) {
      u = unit == 'Y'   ? U::kYear
          : unit == 'M' ? U::kMonth
          : unit == 'W' ? U::kWeek
          : unit == 'D' ? U::kDay
                        : U::kUnknown;
    } else {
      u = unit == 'H'   ? U::kHour
          : unit == 'M' ? U::kMinute
          : unit == 'S' ? U::kSecond
                        : U::kUnknown;
    }
    if (u != U::kUnknown) {
      if (!AddUnit(u, val, fval, p)) return Err::kFieldOverflow;
      havefield = true;
      continue;
    }
    if (datepart) {
      if (unit != 'T' && unit != '\0' && unit != '-') return Err::kBadFormat;
      if (unit != '-' && IsoIntegerWidth(fieldstart) == 8 && !havefield) {  // YYYYMMDD
        if (!AdjustYears(val / 10000, 1, p) || !AdjustMonths((val / 100) % 100, p) ||
            !AdjustDays(val % 100, 1, p) || !AdjustFractMicroseconds(fval, kUsecPerDay64, p)) {
          return Err::kFieldOverflow;
        }
        if (unit == '\0') return Err::kOk;
        start_time_part();
        continue;
      }
      // YYYY-MM-DD, extended.
      if (havefield) return Err::kBadFormat;
      if (!AddUnit(U::kYear, val, fval, p)) return Err::kFieldOverflow;
      if (unit == '\0') return Err::kOk;
      if (unit == 'T') {
        start_time_part();
        continue;
      }
      static const U kMonthDay[] = {U::kMonth, U::kDay};
      bool at_t = false;
      e = DecodeIsoAlternative(&str, kMonthDay, 2, '-', p, &at_t);
      if (e != Err::kOk || !at_t) return e;
      ++str;
      start_time_part();
      continue;
    }
    if (unit != '\0' && unit != ':') return Err::kBadFormat;
    if (unit == '\0' && IsoIntegerWidth(fieldstart) == 6 && !havefield) {  // HHMMSS
      if (!AdjustMicroseconds(val / 10000, 0, kUsecPerHour, p) ||
          !AdjustMicroseconds((val / 100) % 100, 0, kUsecPerMinute, p) ||
          !AdjustMicroseconds(val % 100, 0, kUsecPerSec, p) ||
          !AdjustFractMicroseconds(fval, 1, p)) {
        return Err::kFieldOverflow;
      }
      return Err::kOk;
    }
    // HH:MM:SS, extended.
    if (havefield) return Err::kBadFormat;
    if (!AddUnit(U::kHour, val, fval, p)) return Err::kFieldOverflow;
    if (unit == '\0') return Err::kOk;
    static const U kMinuteSecond[] = {U::kMinute, U::kSecond};
    bool at_t = false;
    return DecodeIsoAlternative(&str, kMinuteSecond, 2, ':', p, &at_t);
  }
  return Err::kOk;
}

// ---------------------------------------------------------------------------------------------
// Output

// The broken-down fields of an interval (PostgreSQL's pg_itm).
struct Itm {
  int64_t hour = 0;
  int64_t mday = 0;
  int year = 0, mon = 0, min = 0, sec = 0, usec = 0;
};

Itm Split(const Interval& v) {
  Itm t;
  t.year = v.months / kMonthsPerYear;
  t.mon = v.months % kMonthsPerYear;
  t.mday = v.days;
  int64_t time = v.usec;
  t.hour = time / kUsecPerHour;
  time -= t.hour * kUsecPerHour;
  t.min = static_cast<int>(time / kUsecPerMinute);
  time -= t.min * kUsecPerMinute;
  t.sec = static_cast<int>(time / kUsecPerSec);
  t.usec = static_cast<int>(time - t.sec * kUsecPerSec);
  return t;
}

Interval Join(const Itm& t) {
  Interval v;
  int64_t months = static_cast<int64_t>(t.year) * kMonthsPerYear + t.mon;
  if (months < INT32_MIN || months > INT32_MAX) ThrowIntervalRange();
  v.months = static_cast<int32_t>(months);
  if (t.mday < INT32_MIN || t.mday > INT32_MAX) ThrowIntervalRange();
  v.days = static_cast<int32_t>(t.mday);
  __int128 usec = static_cast<__int128>(t.hour) * kUsecPerHour +
                  static_cast<__int128>(t.min) * kUsecPerMinute +
                  static_cast<__int128>(t.sec) * kUsecPerSec + t.usec;
  if (usec < INT64_MIN || usec > INT64_MAX) ThrowIntervalRange();
  v.usec = static_cast<int64_t>(usec);
  return v;
}

// Seconds with an optional fraction without trailing zeros (PostgreSQL's AppendSeconds).
void AppendSeconds(std::string* out, int sec, int usec, bool fill) {
  int s = std::abs(sec);
  if (fill && s < 10) out->push_back('0');
  *out += std::to_string(s);
  if (usec != 0) {
    std::string frac = fmt::format("{:06d}", std::abs(usec));
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    out->push_back('.');
    *out += frac;
  }
}

void AddPostgresPart(std::string* out, int64_t value, const char* units, bool* is_zero,
                     bool* is_before) {
  if (value == 0) return;
  *out += fmt::format("{}{}{} {}{}", *is_zero ? "" : " ", (*is_before && value > 0) ? "+" : "",
                      value, units, value != 1 ? "s" : "");
  *is_before = value < 0;
  *is_zero = false;
}

void AddVerbosePart(std::string* out, int64_t value, const char* units, bool* is_zero,
                    bool* is_before) {
  if (value == 0) return;
  if (*is_zero) {
    *is_before = value < 0;
    value = value < 0 ? -value : value;
  } else if (*is_before) {
    value = -value;
  }
  *out += fmt::format(" {} {}{}", value, units, value == 1 ? "" : "s");
  *is_zero = false;
}

void AddIsoPart(std::string* out, int64_t value, char unit) {
  if (value == 0) return;
  *out += std::to_string(value);
  out->push_back(unit);
}

// Units of extract / date_part (`special`: also "epoch", "dow", ... as PostgreSQL looks them
// up in its date token table next) and of date_trunc (the interval words only).
U UnitOf(std::string_view text, std::string* lower, bool special = false) {
  lower->clear();
  for (char c : text) lower->push_back(Lower(c));
  U u = LookupDateUnit(*lower, special);
  return u == U::kIgnore || u == U::kAgo ? U::kUnknown : u;
}

[[noreturn]] void UnitNotRecognized(const std::string& unit) {
  Throw(SqlState::kInvalidParameterValue, "unit \"{}\" not recognized for type interval", unit);
}
[[noreturn]] void UnitNotSupported(const std::string& unit) {
  Throw(SqlState::kFeatureNotSupported, "unit \"{}\" not supported for type interval", unit);
}

// The seconds of the month and day parts for epoch: 365.25-day years, 30-day months.
int64_t EpochDaySeconds(const Interval& v) {
  return int64_t{31557600} * (v.months / kMonthsPerYear) +
         int64_t{30} * 86400 * (v.months % kMonthsPerYear) + int64_t{86400} * v.days;
}

// Splits a timestamp (microseconds since 2000-01-01) into a civil date and the time of day.
void SplitTs(int64_t ts, int64_t* year, int* month, int* day, int64_t* tod) {
  int64_t days = ts / kUsecPerDay64;
  int64_t rem = ts % kUsecPerDay64;
  if (rem < 0) {
    rem += kUsecPerDay64;
    --days;
  }
  CivilFromDays(days, year, month, day);
  *tod = rem;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int DaysInMonth(int64_t y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

int64_t JoinTs(int64_t year, int month, int day, int64_t tod) {
  if (!IsValidDate(DaysFromCivil(year, month, day))) ThrowTimestampRange();
  __int128 r = static_cast<__int128>(DaysFromCivil(year, month, day)) * kUsecPerDay64 + tod;
  if (r < INT64_MIN || r > INT64_MAX) ThrowTimestampRange();
  return static_cast<int64_t>(r);
}

}  // namespace

// ---------------------------------------------------------------------------------------------

std::string IntervalTypmodSuffix(int32_t typmod) {
  if (typmod < 0) return "";
  int range = IntervalTypmodRange(typmod);
  int precision = IntervalTypmodPrecision(typmod);
  const char* fields = "";
  switch (range) {
    case kIntervalYear:
      fields = " year";
      break;
    case kIntervalMonth:
      fields = " month";
      break;
    case kIntervalDay:
      fields = " day";
      break;
    case kIntervalHour:
      fields = " hour";
      break;
    case kIntervalMinute:
      fields = " minute";
      break;
    case kIntervalSecond:
      fields = " second";
      break;
    case kIntervalYear | kIntervalMonth:
      fields = " year to month";
      break;
    case kIntervalDay | kIntervalHour:
      fields = " day to hour";
      break;
    case kIntervalDay | kIntervalHour | kIntervalMinute:
      fields = " day to minute";
      break;
    case kIntervalDay | kIntervalHour | kIntervalMinute | kIntervalSecond:
      fields = " day to second";
      break;
    case kIntervalHour | kIntervalMinute:
      fields = " hour to minute";
      break;
    case kIntervalHour | kIntervalMinute | kIntervalSecond:
      fields = " hour to second";
      break;
    case kIntervalMinute | kIntervalSecond:
      fields = " minute to second";
      break;
    default:
      break;
  }
  if (precision != kIntervalFullPrecision) return fmt::format("{}({})", fields, precision);
  return fields;
}

Interval ParseInterval(std::string_view text, int32_t typmod, IntervalStyle style) {
  const int range = typmod >= 0 ? IntervalTypmodRange(typmod) : kIntervalFullRange;
  std::vector<Token> fields;
  Parts p;
  Err e = Tokenize(text, &fields);
  if (e == Err::kOk) e = DecodeFields(fields, range, style, &p);
  if (e == Err::kBadFormat) e = DecodeIso8601(std::string(text), &p);
  if (e == Err::kFieldOverflow) {
    Throw(SqlState::kIntervalFieldOverflow, "interval field value out of range: \"{}\"", text);
  }
  if (e != Err::kOk) {
    Throw(SqlState::kInvalidDatetimeFormat, "invalid input syntax for type interval: \"{}\"", text);
  }
  Interval v;
  int64_t months = static_cast<int64_t>(p.years) * kMonthsPerYear + p.months;
  if (months < INT32_MIN || months > INT32_MAX) ThrowIntervalRange();
  v.months = static_cast<int32_t>(months);
  v.days = p.days;
  v.usec = p.usec;
  return ApplyIntervalTypmod(v, typmod);
}

Interval ApplyIntervalTypmod(const Interval& in, int32_t typmod) {
  if (typmod < 0) return in;
  static const int64_t kScales[] = {1000000, 100000, 10000, 1000, 100, 10, 1};
  static const int64_t kOffsets[] = {500000, 50000, 5000, 500, 50, 5, 0};
  Interval v = in;
  const int range = IntervalTypmodRange(typmod);
  const int precision = IntervalTypmodPrecision(typmod);
  auto trunc_time = [&](int64_t unit) { v.usec = (v.usec / unit) * unit; };
  switch (range) {
    case kIntervalFullRange:
    case kIntervalSecond:
    case kIntervalDay | kIntervalHour | kIntervalMinute | kIntervalSecond:
    case kIntervalHour | kIntervalMinute | kIntervalSecond:
    case kIntervalMinute | kIntervalSecond:
      break;
    case kIntervalYear:
      v.months = (v.months / kMonthsPerYear) * kMonthsPerYear;
      v.days = 0;
      v.usec = 0;
      break;
    case kIntervalMonth:
    case kIntervalYear | kIntervalMonth:
      v.days = 0;
      v.usec = 0;
      break;
    case kIntervalDay:
      v.usec = 0;
      break;
    case kIntervalHour:
    case kIntervalDay | kIntervalHour:
      trunc_time(kUsecPerHour);
      break;
    case kIntervalMinute:
    case kIntervalDay | kIntervalHour | kIntervalMinute:
    case kIntervalHour | kIntervalMinute:
      trunc_time(kUsecPerMinute);
      break;
    default:
      Throw(SqlState::kInternalError, "unrecognized interval typmod: {}", typmod);
  }
  if (precision != kIntervalFullPrecision) {
    if (precision < 0 || precision > kMaxIntervalPrecision) {
      Throw(SqlState::kInvalidParameterValue, "interval({}) precision must be between 0 and 6",
            precision);
    }
    int64_t t;
    if (v.usec >= 0) {
      if (__builtin_add_overflow(v.usec, kOffsets[precision], &t)) ThrowIntervalRange();
    } else {
      if (__builtin_sub_overflow(v.usec, kOffsets[precision], &t)) ThrowIntervalRange();
    }
    v.usec = t - t % kScales[precision];
  }
  return v;
}

std::string FormatInterval(const Interval& v, IntervalStyle style) {
  Itm t = Split(v);
  int year = t.year, mon = t.mon, min = t.min, sec = t.sec, fsec = t.usec;
  int64_t mday = t.mday, hour = t.hour;
  std::string out;
  bool is_before = false, is_zero = true;
  switch (style) {
    case IntervalStyle::kSqlStandard: {
      bool has_negative =
          year < 0 || mon < 0 || mday < 0 || hour < 0 || min < 0 || sec < 0 || fsec < 0;
      bool has_positive =
          year > 0 || mon > 0 || mday > 0 || hour > 0 || min > 0 || sec > 0 || fsec > 0;
      bool has_year_month = year != 0 || mon != 0;
      bool has_day_time = mday != 0 || hour != 0 || min != 0 || sec != 0 || fsec != 0;
      bool has_day = mday != 0;
      bool standard = !(has_negative && has_positive) && !(has_year_month && has_day_time);
      if (has_negative && standard) {
        out.push_back('-');
        year = -year;
        mon = -mon;
        mday = -mday;
        hour = -hour;
        min = -min;
        sec = -sec;
        fsec = -fsec;
      }
      if (!has_negative && !has_positive) {
        out += "0";
      } else if (!standard) {
        char year_sign = (year < 0 || mon < 0) ? '-' : '+';
        char day_sign = mday < 0 ? '-' : '+';
        char sec_sign = (hour < 0 || min < 0 || sec < 0 || fsec < 0) ? '-' : '+';
        out += fmt::format("{}{}-{} {}{} {}{}:{:02d}:", year_sign, std::abs(year), std::abs(mon),
                           day_sign, mday < 0 ? -mday : mday, sec_sign, hour < 0 ? -hour : hour,
                           std::abs(min));
        AppendSeconds(&out, sec, fsec, true);
      } else if (has_year_month) {
        out += fmt::format("{}-{}", year, mon);
      } else if (has_day) {
        out += fmt::format("{} {}:{:02d}:", mday, hour, min);
        AppendSeconds(&out, sec, fsec, true);
      } else {
        out += fmt::format("{}:{:02d}:", hour, min);
        AppendSeconds(&out, sec, fsec, true);
      }
      break;
    }
    case IntervalStyle::kIso8601:
      if (year == 0 && mon == 0 && mday == 0 && hour == 0 && min == 0 && sec == 0 && fsec == 0) {
        return "PT0S";
      }
      out.push_back('P');
      AddIsoPart(&out, year, 'Y');
      AddIsoPart(&out, mon, 'M');
      AddIsoPart(&out, mday, 'D');
      if (hour != 0 || min != 0 || sec != 0 || fsec != 0) out.push_back('T');
      AddIsoPart(&out, hour, 'H');
      AddIsoPart(&out, min, 'M');
      if (sec != 0 || fsec != 0) {
        if (sec < 0 || fsec < 0) out.push_back('-');
        AppendSeconds(&out, sec, fsec, false);
        out.push_back('S');
      }
      break;
    case IntervalStyle::kPostgres:
      AddPostgresPart(&out, year, "year", &is_zero, &is_before);
      AddPostgresPart(&out, mon, "mon", &is_zero, &is_before);
      AddPostgresPart(&out, mday, "day", &is_zero, &is_before);
      if (is_zero || hour != 0 || min != 0 || sec != 0 || fsec != 0) {
        bool minus = hour < 0 || min < 0 || sec < 0 || fsec < 0;
        out += fmt::format("{}{}{:02d}:{:02d}:", is_zero ? "" : " ",
                           minus ? "-" : (is_before ? "+" : ""), hour < 0 ? -hour : hour,
                           std::abs(min));
        AppendSeconds(&out, sec, fsec, true);
      }
      break;
    case IntervalStyle::kPostgresVerbose:
      out = "@";
      AddVerbosePart(&out, year, "year", &is_zero, &is_before);
      AddVerbosePart(&out, mon, "mon", &is_zero, &is_before);
      AddVerbosePart(&out, mday, "day", &is_zero, &is_before);
      AddVerbosePart(&out, hour, "hour", &is_zero, &is_before);
      AddVerbosePart(&out, min, "min", &is_zero, &is_before);
      if (sec != 0 || fsec != 0) {
        out.push_back(' ');
        if (sec < 0 || (sec == 0 && fsec < 0)) {
          if (is_zero) {
            is_before = true;
          } else if (!is_before) {
            out.push_back('-');
          }
        } else if (is_before) {
          out.push_back('-');
        }
        AppendSeconds(&out, sec, fsec, false);
        out += fmt::format(" sec{}", (std::abs(sec) != 1 || fsec != 0) ? "s" : "");
        is_zero = false;
      }
      if (is_zero) out += " 0";
      if (is_before) out += " ago";
      break;
  }
  return out;
}

__int128 IntervalKey(const Interval& v) {
  int64_t days = static_cast<int64_t>(v.months) * 30 + v.days;
  return static_cast<__int128>(v.usec) + static_cast<__int128>(days) * kUsecPerDay64;
}

int CompareIntervals(const Interval& a, const Interval& b) {
  __int128 x = IntervalKey(a), y = IntervalKey(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

Interval IntervalAdd(const Interval& a, const Interval& b) {
  Interval r;
  if (__builtin_add_overflow(a.months, b.months, &r.months) ||
      __builtin_add_overflow(a.days, b.days, &r.days) ||
      __builtin_add_overflow(a.usec, b.usec, &r.usec)) {
    ThrowIntervalRange();
  }
  return r;
}

Interval IntervalSub(const Interval& a, const Interval& b) {
  Interval r;
  if (__builtin_sub_overflow(a.months, b.months, &r.months) ||
      __builtin_sub_overflow(a.days, b.days, &r.days) ||
      __builtin_sub_overflow(a.usec, b.usec, &r.usec)) {
    ThrowIntervalRange();
  }
  return r;
}

Interval IntervalNegate(const Interval& a) { return IntervalSub(Interval{}, a); }

namespace {

double TsRound(double x) { return std::rint(x * 1000000.0) / 1000000.0; }

// interval_mul / interval_div: whole months and days scale in place; their fractions cascade
// down (30-day months, 86400-second days), never up.
Interval ScaleInterval(const Interval& span, double factor, bool divide) {
  auto apply = [&](double x) { return divide ? x / factor : x * factor; };
  Interval r;
  double d = apply(static_cast<double>(span.months));
  if (std::isnan(d) || !FitsInt32(d)) ThrowIntervalRange();
  r.months = static_cast<int32_t>(d);
  d = apply(static_cast<double>(span.days));
  if (std::isnan(d) || !FitsInt32(d)) ThrowIntervalRange();
  r.days = static_cast<int32_t>(d);
  double month_remainder_days = (apply(static_cast<double>(span.months)) - r.months) * 30.0;
  month_remainder_days = TsRound(month_remainder_days);
  double sec_remainder = (apply(static_cast<double>(span.days)) - r.days + month_remainder_days -
                          static_cast<int>(month_remainder_days)) *
                         kSecsPerDay;
  sec_remainder = TsRound(sec_remainder);
  if (std::fabs(sec_remainder) >= kSecsPerDay) {
    int extra = static_cast<int>(sec_remainder / kSecsPerDay);
    if (__builtin_add_overflow(r.days, extra, &r.days)) ThrowIntervalRange();
    sec_remainder -= extra * kSecsPerDay;
  }
  if (__builtin_add_overflow(r.days, static_cast<int32_t>(month_remainder_days), &r.days)) {
    ThrowIntervalRange();
  }
  d = std::rint(apply(static_cast<double>(span.usec)) + sec_remainder * 1000000.0);
  if (std::isnan(d) || !FitsInt64(d)) ThrowIntervalRange();
  r.usec = static_cast<int64_t>(d);
  return r;
}

}  // namespace

Interval IntervalMul(const Interval& a, double factor) { return ScaleInterval(a, factor, false); }

Interval IntervalDiv(const Interval& a, double divisor) {
  if (divisor == 0.0) Throw(SqlState::kDivisionByZero, "division by zero");
  return ScaleInterval(a, divisor, true);
}

namespace {

// Moves whole 24-hour days of the time part into the day part.
void CarryUsecIntoDays(Interval* r) {
  int64_t wholeday = r->usec / kUsecPerDay64;
  r->usec -= wholeday * kUsecPerDay64;
  if (wholeday < INT32_MIN || wholeday > INT32_MAX ||
      __builtin_add_overflow(r->days, static_cast<int32_t>(wholeday), &r->days)) {
    ThrowIntervalRange();
  }
}

// Moves whole 30-day months of the day part into the month part.
void CarryDaysIntoMonths(Interval* r) {
  int32_t wholemonth = r->days / kDaysPerMonth;
  r->days -= wholemonth * kDaysPerMonth;
  if (__builtin_add_overflow(r->months, wholemonth, &r->months)) ThrowIntervalRange();
}

// Gives `small` the sign of `big` by borrowing one `unit` from `big` when they differ.
template <typename Small>
void AlignSign(int32_t* big, Small* small, Small unit) {
  if (*big > 0 && *small < 0) {
    *small += unit;
    --*big;
  } else if (*big < 0 && *small > 0) {
    *small -= unit;
    ++*big;
  }
}

}  // namespace

Interval JustifyHours(const Interval& a) {
  Interval r = a;
  CarryUsecIntoDays(&r);
  AlignSign(&r.days, &r.usec, kUsecPerDay64);
  return r;
}

Interval JustifyDays(const Interval& a) {
  Interval r = a;
  CarryDaysIntoMonths(&r);
  AlignSign(&r.months, &r.days, kDaysPerMonth);
  return r;
}

Interval JustifyInterval(const Interval& a) {
  Interval r = a;
  // Days first when they and the time agree in sign, so that the carry cannot overflow.
  if ((r.days > 0 && r.usec > 0) || (r.days < 0 && r.usec < 0)) CarryDaysIntoMonths(&r);
  CarryUsecIntoDays(&r);
  CarryDaysIntoMonths(&r);
  if (r.months > 0 && (r.days < 0 || (r.days == 0 && r.usec < 0))) {
    r.days += kDaysPerMonth;
    r.months--;
  } else if (r.months < 0 && (r.days > 0 || (r.days == 0 && r.usec > 0))) {
    r.days -= kDaysPerMonth;
    r.months++;
  }
  AlignSign(&r.days, &r.usec, kUsecPerDay64);
  return r;
}

Interval MakeInterval(int64_t years, int64_t months, int64_t weeks, int64_t days, int64_t hours,
                      int64_t mins, double secs) {
  if (std::isinf(secs) || std::isnan(secs)) ThrowIntervalRange();
  Interval r;
  int64_t m, d;
  if (__builtin_mul_overflow(years, int64_t{12}, &m) || __builtin_add_overflow(m, months, &m) ||
      m < INT32_MIN || m > INT32_MAX) {
    ThrowIntervalRange();
  }
  if (__builtin_mul_overflow(weeks, int64_t{7}, &d) || __builtin_add_overflow(d, days, &d) ||
      d < INT32_MIN || d > INT32_MAX) {
    ThrowIntervalRange();
  }
  r.months = static_cast<int32_t>(m);
  r.days = static_cast<int32_t>(d);
  double s = std::rint(secs * 1000000.0);
  if (!FitsInt64(s)) ThrowIntervalRange();
  int64_t t, x;
  if (__builtin_mul_overflow(hours, kUsecPerHour, &t) ||
      __builtin_mul_overflow(mins, kUsecPerMinute, &x) || __builtin_add_overflow(t, x, &t) ||
      __builtin_add_overflow(t, static_cast<int64_t>(s), &t)) {
    ThrowIntervalRange();
  }
  r.usec = t;
  return r;
}

int64_t TimestampPlusInterval(int64_t ts, const Interval& span, const TimeZone* tz) {
  if (!TimestampIsFinite(ts)) return ts;
  int64_t year, tod;
  int month, day;
  if (span.months != 0) {
    int64_t local = tz != nullptr ? tz->UtcToLocal(ts) : ts;
    SplitTs(local, &year, &month, &day, &tod);
    int64_t m = year * 12 + (month - 1) + span.months;
    year = m >= 0 ? m / 12 : -((-m + 11) / 12);
    month = static_cast<int>(m - year * 12) + 1;
    day = std::min(day, DaysInMonth(year, month));
    local = JoinTs(year, month, day, tod);
    ts = tz != nullptr ? tz->LocalToUtc(local) : local;
  }
  if (span.days != 0) {
    int64_t local = tz != nullptr ? tz->UtcToLocal(ts) : ts;
    SplitTs(local, &year, &month, &day, &tod);
    int64_t days = DaysFromCivil(year, month, day) + span.days;
    if (!IsValidDate(days)) ThrowTimestampRange();
    CivilFromDays(days, &year, &month, &day);
    local = JoinTs(year, month, day, tod);
    ts = tz != nullptr ? tz->LocalToUtc(local) : local;
  }
  if (__builtin_add_overflow(ts, span.usec, &ts) || !IsValidTimestamp(ts)) ThrowTimestampRange();
  return ts;
}

Interval TimestampDifference(int64_t a, int64_t b) {
  if (!TimestampIsFinite(a) || !TimestampIsFinite(b)) {
    Throw(SqlState::kDatetimeFieldOverflow, "cannot subtract infinite timestamps");
  }
  Interval r;
  if (__builtin_sub_overflow(a, b, &r.usec)) ThrowIntervalRange();
  return JustifyHours(r);
}

Interval TimestampAge(int64_t a, int64_t b, const TimeZone* tz) {
  if (!TimestampIsFinite(a) || !TimestampIsFinite(b)) ThrowTimestampRange();
  int64_t la = tz != nullptr ? tz->UtcToLocal(a) : a;
  int64_t lb = tz != nullptr ? tz->UtcToLocal(b) : b;
  int64_t y1, y2, t1, t2;
  int m1, m2, d1, d2;
  SplitTs(la, &y1, &m1, &d1, &t1);
  SplitTs(lb, &y2, &m2, &d2, &t2);
  auto parts = [](int64_t tod, int64_t* h, int64_t* mi, int64_t* s, int64_t* us) {
    *h = tod / kUsecPerHour;
    *mi = (tod / kUsecPerMinute) % 60;
    *s = (tod / kUsecPerSec) % 60;
    *us = tod % kUsecPerSec;
  };
  int64_t h1, mi1, s1, us1, h2, mi2, s2, us2;
  parts(t1, &h1, &mi1, &s1, &us1);
  parts(t2, &h2, &mi2, &s2, &us2);
  int64_t fsec = us1 - us2, sec = s1 - s2, min = mi1 - mi2, hour = h1 - h2, mday = d1 - d2,
          mon = m1 - m2, year = y1 - y2;
  const bool flip = a < b;
  auto negate_all = [&]() {
    fsec = -fsec;
    sec = -sec;
    min = -min;
    hour = -hour;
    mday = -mday;
    mon = -mon;
    year = -year;
  };
  if (flip) negate_all();
  while (fsec < 0) {
    fsec += kUsecPerSec;
    sec--;
  }
  while (sec < 0) {
    sec += 60;
    min--;
  }
  while (min < 0) {
    min += 60;
    hour--;
  }
  while (hour < 0) {
    hour += 24;
    mday--;
  }
  while (mday < 0) {
    if (flip) {
      mday += DaysInMonth(y1, m1);
    } else {
      mday += DaysInMonth(y2, m2);
    }
    mon--;
  }
  while (mon < 0) {
    mon += 12;
    year--;
  }
  if (flip) negate_all();
  Itm t;
  if (year < INT32_MIN || year > INT32_MAX) ThrowIntervalRange();
  t.year = static_cast<int>(year);
  t.mon = static_cast<int>(mon);
  t.mday = mday;
  t.hour = hour;
  t.min = static_cast<int>(min);
  t.sec = static_cast<int>(sec);
  t.usec = static_cast<int>(fsec);
  return Join(t);
}

Numeric ExtractInterval(std::string_view unit_text, const Interval& v) {
  std::string unit;
  U u = UnitOf(unit_text, &unit, true);
  Itm t = Split(v);
  auto num = [](int64_t x) { return Numeric::FromInt64(x); };
  switch (u) {
    case U::kMicroseconds:
      return num(int64_t{t.sec} * kUsecPerSec + t.usec);
    case U::kMilliseconds:
      return num(int64_t{t.sec} * kUsecPerSec + t.usec).DivScale(num(1000), 3);
    case U::kSecond:
      return num(int64_t{t.sec} * kUsecPerSec + t.usec).DivScale(num(kUsecPerSec), 6);
    case U::kMinute:
      return num(t.min);
    case U::kHour:
      return num(t.hour);
    case U::kDay:
      return num(t.mday);
    case U::kMonth:
      return num(t.mon);
    case U::kQuarter:
      return num(t.mon / 3 + 1);
    case U::kYear:
      return num(t.year);
    case U::kDecade:
      return num(t.year / 10);
    case U::kCentury:
      return num(t.year / 100);
    case U::kMillennium:
      return num(t.year / 1000);
    case U::kEpoch:
      return num(v.usec).DivScale(num(kUsecPerSec), 6).Add(num(EpochDaySeconds(v)));
    case U::kUnknown:
      UnitNotRecognized(unit);
    default:
      UnitNotSupported(unit);
  }
}

double DatePartInterval(std::string_view unit_text, const Interval& v) {
  std::string unit;
  U u = UnitOf(unit_text, &unit, true);
  Itm t = Split(v);
  switch (u) {
    case U::kMicroseconds:
      return t.sec * 1000000.0 + t.usec;
    case U::kMilliseconds:
      return t.sec * 1000.0 + t.usec / 1000.0;
    case U::kSecond:
      return t.sec + t.usec / 1000000.0;
    case U::kEpoch: {
      double r = static_cast<double>(v.usec) / 1000000.0;
      r += 365.25 * 86400.0 * (v.months / kMonthsPerYear);
      r += 30.0 * 86400.0 * (v.months % kMonthsPerYear);
      r += 86400.0 * v.days;
      return r;
    }
    default:
      return ExtractInterval(unit_text, v).ToDouble();
  }
}

Interval TruncInterval(std::string_view unit_text, const Interval& v) {
  std::string unit;
  U u = UnitOf(unit_text, &unit);
  Itm t = Split(v);
  switch (u) {
    case U::kMillennium:
      t.year = (t.year / 1000) * 1000;
      [[fallthrough]];
    case U::kCentury:
      t.year = (t.year / 100) * 100;
      [[fallthrough]];
    case U::kDecade:
      t.year = (t.year / 10) * 10;
      [[fallthrough]];
    case U::kYear:
      t.mon = 0;
      [[fallthrough]];
    case U::kQuarter:
      t.mon = 3 * (t.mon / 3);
      [[fallthrough]];
    case U::kMonth:
      t.mday = 0;
      [[fallthrough]];
    case U::kDay:
      t.hour = 0;
      [[fallthrough]];
    case U::kHour:
      t.min = 0;
      [[fallthrough]];
    case U::kMinute:
      t.sec = 0;
      [[fallthrough]];
    case U::kSecond:
      t.usec = 0;
      break;
    case U::kMilliseconds:
      t.usec = (t.usec / 1000) * 1000;
      break;
    case U::kMicroseconds:
      break;
    case U::kUnknown:
      UnitNotRecognized(unit);
    case U::kWeek:
      throw Error(SqlState::kFeatureNotSupported,
                  fmt::format("unit \"{}\" not supported for type interval", unit))
          .Detail("Months usually have fractional weeks.");
    default:
      UnitNotSupported(unit);
  }
  return Join(t);
}

// Words are compared on their first 10 characters, as PostgreSQL does ("microseconds" is
// "microsecon").
DateUnit LookupDateUnit(std::string_view word, bool specials) {
  using U = DateUnit;
  static const std::unordered_map<std::string, U> kUnits = {
      {"@", U::kIgnore},
      {"ago", U::kAgo},
      {"c", U::kCentury},
      {"cent", U::kCentury},
      {"centuries", U::kCentury},
      {"century", U::kCentury},
      {"d", U::kDay},
      {"day", U::kDay},
      {"days", U::kDay},
      {"dec", U::kDecade},
      {"decade", U::kDecade},
      {"decades", U::kDecade},
      {"decs", U::kDecade},
      {"h", U::kHour},
      {"hour", U::kHour},
      {"hours", U::kHour},
      {"hr", U::kHour},
      {"hrs", U::kHour},
      {"m", U::kMinute},
      {"microsecon", U::kMicroseconds},
      {"mil", U::kMillennium},
      {"millennia", U::kMillennium},
      {"millennium", U::kMillennium},
      {"millisecon", U::kMilliseconds},
      {"mils", U::kMillennium},
      {"min", U::kMinute},
      {"mins", U::kMinute},
      {"minute", U::kMinute},
      {"minutes", U::kMinute},
      {"mon", U::kMonth},
      {"mons", U::kMonth},
      {"month", U::kMonth},
      {"months", U::kMonth},
      {"ms", U::kMilliseconds},
      {"msec", U::kMilliseconds},
      {"msecs", U::kMilliseconds},
      {"mseconds", U::kMilliseconds},
      {"millisecond", U::kMilliseconds},
      {"qtr", U::kQuarter},
      {"quarter", U::kQuarter},
      {"s", U::kSecond},
      {"sec", U::kSecond},
      {"second", U::kSecond},
      {"seconds", U::kSecond},
      {"secs", U::kSecond},
      {"timezone", U::kTimezone},
      {"timezone_h", U::kTimezoneHour},
      {"timezone_m", U::kTimezoneMinute},
      {"us", U::kMicroseconds},
      {"usec", U::kMicroseconds},
      {"microsecond", U::kMicroseconds},
      {"useconds", U::kMicroseconds},
      {"usecs", U::kMicroseconds},
      {"w", U::kWeek},
      {"week", U::kWeek},
      {"weeks", U::kWeek},
      {"y", U::kYear},
      {"year", U::kYear},
      {"years", U::kYear},
      {"yr", U::kYear},
      {"yrs", U::kYear},
  };
  std::string key(word.substr(0, 10));
  auto it = kUnits.find(key);
  if (it != kUnits.end()) return it->second;
  if (key.size() == 10) {  // entries longer than 10 characters match by their first 10
    for (const auto& [k, u] : kUnits) {
      if (k.size() > 10 && k.compare(0, 10, key) == 0) return u;
    }
  }
  if (specials) {
    static const std::unordered_map<std::string_view, U> kSpecial = {
        {"epoch", U::kEpoch}, {"dow", U::kDow},         {"isodow", U::kIsoDow},
        {"doy", U::kDoy},     {"isoyear", U::kIsoYear}, {"j", U::kJulian},
        {"jd", U::kJulian},   {"julian", U::kJulian},   {"mm", U::kMinute}};
    auto sp = kSpecial.find(word);
    if (sp != kSpecial.end()) return sp->second;
  }
  return U::kUnknown;
}

}  // namespace activestore
