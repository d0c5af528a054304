#include "common/datetime_decode.h"

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "common/error.h"

namespace activestore::dtdecode {
namespace {

constexpr int64_t kUsecPerSec = 1000000;
constexpr int64_t kUsecPerDay = int64_t{86400} * kUsecPerSec;
constexpr int64_t kEpochJd = 2451545;  // date2j(2000, 1, 1)
constexpr size_t kMaxDateFields = 25;
constexpr size_t kTokMaxLen = 10;

bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(unsigned char c) { return IsDigit(c) || IsAlpha(c); }
bool IsPunct(unsigned char c) { return c > 32 && c < 127 && !IsAlnum(c); }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// The field kinds of PostgreSQL's datetime.h: bit positions of the field masks.
enum TokenType {
  RESERV = 0,
  MONTH = 1,
  YEAR = 2,
  DAY = 3,
  JULIAN = 4,
  TZ = 5,
  DTZ = 6,
  DYNTZ = 7,
  IGNORE_DTF = 8,
  AMPM = 9,
  HOUR = 10,
  MINUTE = 11,
  SECOND = 12,
  MILLISECOND = 13,
  MICROSECOND = 14,
  DOY = 15,
  DOW = 16,
  UNITS = 17,
  ADBC = 18,
  ISOTIME = 23,
  DTZMOD = 28,
  UNKNOWN_FIELD = 31,
};

constexpr int M(int t) { return 1 << t; }
constexpr int kDateMask = M(YEAR) | M(MONTH) | M(DAY);
constexpr int kAllSecsMask = M(SECOND) | M(MILLISECOND) | M(MICROSECOND);
constexpr int kTimeMask = M(HOUR) | M(MINUTE) | kAllSecsMask;

// The values of RESERV and UNITS tokens (PostgreSQL's DTK_*).
enum Dtk {
  DTK_NONE = 0,
  DTK_EPOCH,
  DTK_LATE,
  DTK_EARLY,
  DTK_NOW,
  DTK_YESTERDAY,
  DTK_TODAY,
  DTK_TOMORROW,
  DTK_ZULU,
  DTK_TIME,
  DTK_DAY,
  DTK_DOW,
  DTK_DOY,
  DTK_HOUR,
  DTK_ISODOW,
  DTK_ISOYEAR,
  DTK_JULIAN,
  DTK_MONTH,
  DTK_MINUTE,
  DTK_SECOND,
  DTK_YEAR,
  DTK_TZ,
};

constexpr int AM = 0, PM = 1, HR24 = 2;
constexpr int AD = 0, BC = 1;

struct Token {
  const char* word;
  int type;
  int value;
};

// PostgreSQL's datetktbl (sorted; looked up on the first 10 characters).
constexpr Token kDateTokens[] = {
    {"-infinity", RESERV, DTK_EARLY},
    {"ad", ADBC, AD},
    {"allballs", RESERV, DTK_ZULU},
    {"am", AMPM, AM},
    {"apr", MONTH, 4},
    {"april", MONTH, 4},
    {"at", IGNORE_DTF, 0},
    {"aug", MONTH, 8},
    {"august", MONTH, 8},
    {"bc", ADBC, BC},
    {"d", UNITS, DTK_DAY},
    {"dec", MONTH, 12},
    {"december", MONTH, 12},
    {"dow", UNITS, DTK_DOW},
    {"doy", UNITS, DTK_DOY},
    {"dst", DTZMOD, 3600},
    {"epoch", RESERV, DTK_EPOCH},
    {"feb", MONTH, 2},
    {"february", MONTH, 2},
    {"fri", DOW, 5},
    {"friday", DOW, 5},
    {"h", UNITS, DTK_HOUR},
    {"infinity", RESERV, DTK_LATE},
    {"isodow", UNITS, DTK_ISODOW},
    {"isoyear", UNITS, DTK_ISOYEAR},
    {"j", UNITS, DTK_JULIAN},
    {"jan", MONTH, 1},
    {"january", MONTH, 1},
    {"jd", UNITS, DTK_JULIAN},
    {"jul", MONTH, 7},
    {"julian", UNITS, DTK_JULIAN},
    {"july", MONTH, 7},
    {"jun", MONTH, 6},
    {"june", MONTH, 6},
    {"m", UNITS, DTK_MONTH},
    {"mar", MONTH, 3},
    {"march", MONTH, 3},
    {"may", MONTH, 5},
    {"mm", UNITS, DTK_MINUTE},
    {"mon", DOW, 1},
    {"monday", DOW, 1},
    {"nov", MONTH, 11},
    {"november", MONTH, 11},
    {"now", RESERV, DTK_NOW},
    {"oct", MONTH, 10},
    {"october", MONTH, 10},
    {"on", IGNORE_DTF, 0},
    {"pm", AMPM, PM},
    {"s", UNITS, DTK_SECOND},
    {"sat", DOW, 6},
    {"saturday", DOW, 6},
    {"sep", MONTH, 9},
    {"sept", MONTH, 9},
    {"september", MONTH, 9},
    {"sun", DOW, 0},
    {"sunday", DOW, 0},
    {"t", ISOTIME, DTK_TIME},
    {"thu", DOW, 4},
    {"thur", DOW, 4},
    {"thurs", DOW, 4},
    {"thursday", DOW, 4},
    {"today", RESERV, DTK_TODAY},
    {"tomorrow", RESERV, DTK_TOMORROW},
    {"tue", DOW, 2},
    {"tues", DOW, 2},
    {"tuesday", DOW, 2},
    {"wed", DOW, 3},
    {"wednesday", DOW, 3},
    {"weds", DOW, 3},
    {"y", UNITS, DTK_YEAR},
    {"yesterday", RESERV, DTK_YESTERDAY},
};

const Token* FindDateToken(std::string_view word) {
  std::string_view key = word.substr(0, std::min(word.size(), kTokMaxLen));
  for (const Token& t : kDateTokens) {
    std::string_view w = t.word;
    if (w.substr(0, std::min(w.size(), kTokMaxLen)) == key) return &t;
  }
  return nullptr;
}

// DecodeSpecial: the type of a word of the token table, UNKNOWN_FIELD otherwise.
int DecodeSpecial(std::string_view word, int* val) {
  const Token* t = FindDateToken(word);
  if (t == nullptr) {
    *val = 0;
    return UNKNOWN_FIELD;
  }
  *val = t->value;
  return t->type;
}

// DecodeTimezoneAbbrev: TZ, DTZ or DYNTZ for an abbreviation of the Default set.
int DecodeTimezoneAbbrev(std::string_view word, int* offset, std::shared_ptr<const TimeZone>* tz) {
  ZoneAbbrev a;
  if (word.size() > kTokMaxLen || !FindZoneAbbreviation(word, &a)) {
    *offset = 0;
    return UNKNOWN_FIELD;
  }
  if (a.dynamic) {
    *tz = a.zone;
    *offset = 0;
    return DYNTZ;
  }
  *offset = static_cast<int>(a.east);
  return a.is_dst ? DTZ : TZ;
}

// strtoint: strtol limited to int; *end past the digits; *erange on overflow.
int StrToInt(const char* s, const char** end, bool* erange) {
  errno = 0;
  char* e = nullptr;
  long v = std::strtol(s, &e, 10);
  *end = e;
  *erange = errno == ERANGE || v > INT_MAX || v < INT_MIN;
  if (*erange) return v < 0 ? INT_MIN : INT_MAX;
  return static_cast<int>(v);
}

int ParseFraction(const char* cp, double* frac) {
  if (cp[1] == '\0') {
    *frac = 0;
    return 0;
  }
  errno = 0;
  char* end = nullptr;
  *frac = std::strtod(cp, &end);
  if (*end != '\0' || errno != 0) return kBadFormat;
  return 0;
}

int ParseFractionalSecond(const char* cp, int64_t* fsec) {
  double frac;
  int dterr = ParseFraction(cp, &frac);
  if (dterr) return dterr;
  *fsec = static_cast<int64_t>(std::rint(frac * 1000000));
  return 0;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// The current local date and time in the session zone (GetCurrentDateTime /
// GetCurrentTimeUsec); *tzp (if given) is the zone's offset then, seconds west.
void CurrentTm(const DecodeContext& ctx, Tm* tm, int64_t* fsec, int* tzp) {
  int64_t now = ctx.now_usec;
  int64_t east = ctx.session->UtcOffset(now);
  int64_t local = now + east * kUsecPerSec;
  int64_t days = local / kUsecPerDay;
  if (local % kUsecPerDay < 0) --days;
  int64_t tod = local - days * kUsecPerDay;
  J2Date(days + kEpochJd, &tm->year, &tm->mon, &tm->mday);
  tm->hour = static_cast<int>(tod / (3600 * kUsecPerSec));
  tm->min = static_cast<int>(tod / (60 * kUsecPerSec) % 60);
  tm->sec = static_cast<int>(tod / kUsecPerSec % 60);
  if (fsec != nullptr) *fsec = tod % kUsecPerSec;
  if (tzp != nullptr) *tzp = static_cast<int>(-east);
}

// DecodeTimezone: "+hh", "-hh:mm", "+hhmm", "-hh:mm:ss"; *tzp seconds west.
int DecodeTimezone(const char* str, int* tzp) {
  if (*str != '+' && *str != '-') return kBadFormat;
  const char* cp;
  bool erange;
  int hr = StrToInt(str + 1, &cp, &erange);
  int min = 0, sec = 0;
  if (erange) return kTzDispOverflow;
  if (*cp == ':') {
    min = StrToInt(cp + 1, &cp, &erange);
    if (erange) return kTzDispOverflow;
    if (*cp == ':') {
      sec = StrToInt(cp + 1, &cp, &erange);
      if (erange) return kTzDispOverflow;
    }
  } else if (*cp == '\0' && std::strlen(str) > 3) {
    min = hr % 100;
    hr = hr / 100;
  }
  if (hr < 0 || hr > 15) return kTzDispOverflow;
  if (min < 0 || min >= 60) return kTzDispOverflow;
  if (sec < 0 || sec >= 60) return kTzDispOverflow;
  int tz = (hr * 60 + min) * 60 + sec;
  if (*str == '-') tz = -tz;
  *tzp = -tz;
  if (*cp != '\0') return kBadFormat;
  return 0;
}

// DecodeNumberField: a run of digits with an optional fraction: yymmdd / yyyymmdd (no date
// yet), hhmmss / hhmm. Returns 1 (date), 2 (time) or a DTERR code.
constexpr int kNumberFieldDate = 1;
constexpr int kNumberFieldTime = 2;
int DecodeNumberField(std::string str, int fmask, int* tmask, Tm* tm, int64_t* fsec,
                      bool* is2digits) {
  size_t dot = str.find('.');
  if (dot != std::string::npos) {
    if (dot + 1 == str.size()) {
      *fsec = 0;
    } else {
      errno = 0;
      double frac = std::strtod(str.c_str() + dot, nullptr);
      if (errno != 0) return kBadFormat;
      *fsec = static_cast<int64_t>(std::rint(frac * 1000000));
    }
    str.resize(dot);
  } else if ((fmask & kDateMask) != kDateMask) {
    size_t len = str.size();
    if (len >= 6) {
      *tmask = kDateMask;
      tm->mday = std::atoi(str.c_str() + (len - 2));
      str.resize(len - 2);
      tm->mon = std::atoi(str.c_str() + (len - 4));
      str.resize(len - 4);
      tm->year = std::atoi(str.c_str());
      if (len - 4 == 2) *is2digits = true;
      return kNumberFieldDate;
    }
  }
  size_t len = str.size();
  if ((fmask & kTimeMask) != kTimeMask) {
    if (len == 6) {
      *tmask = kTimeMask;
      tm->sec = std::atoi(str.c_str() + 4);
      str.resize(4);
      tm->min = std::atoi(str.c_str() + 2);
      str.resize(2);
      tm->hour = std::atoi(str.c_str());
      return kNumberFieldTime;
    }
    if (len == 4) {
      *tmask = kTimeMask;
      tm->sec = 0;
      tm->min = std::atoi(str.c_str() + 2);
      str.resize(2);
      tm->hour = std::atoi(str.c_str());
      return kNumberFieldTime;
    }
  }
  return kBadFormat;
}

// DecodeNumber: one numeric field, placed by what is already known and the DateStyle order.
int DecodeNumber(const std::string& str, bool have_text_month, int fmask, int* tmask, Tm* tm,
                 int64_t* fsec, bool* is2digits, DateOrder order) {
  *tmask = 0;
  const char* s = str.c_str();
  const char* cp;
  bool erange;
  int val = StrToInt(s, &cp, &erange);
  if (erange) return kFieldOverflow;
  if (cp == s) return kBadFormat;
  const int flen = static_cast<int>(str.size());
  if (*cp == '.') {
    // More than two digits before the point: a date or a run-together time.
    if (cp - s > 2) {
      int dterr = DecodeNumberField(str, fmask | kDateMask, tmask, tm, fsec, is2digits);
      if (dterr < 0) return dterr;
      return 0;
    }
    int dterr = ParseFractionalSecond(cp, fsec);
    if (dterr) return dterr;
  } else if (*cp != '\0') {
    return kBadFormat;
  }
  // Day of year.
  if (flen == 3 && (fmask & kDateMask) == M(YEAR) && val >= 1 && val <= 366) {
    *tmask = M(DOY) | M(MONTH) | M(DAY);
    tm->yday = val;
    return 0;
  }
  switch (fmask & kDateMask) {
    case 0:
      if (flen >= 3 || order == DateOrder::kYmd) {
        *tmask = M(YEAR);
        tm->year = val;
      } else if (order == DateOrder::kDmy) {
        *tmask = M(DAY);
        tm->mday = val;
      } else {
        *tmask = M(MONTH);
        tm->mon = val;
      }
      break;
    case M(YEAR):
      *tmask = M(MONTH);
      tm->mon = val;
      break;
    case M(MONTH):
      if (have_text_month) {
        if (flen >= 3 || order == DateOrder::kYmd) {
          *tmask = M(YEAR);
          tm->year = val;
        } else {
          *tmask = M(DAY);
          tm->mday = val;
        }
      } else {
        *tmask = M(DAY);
        tm->mday = val;
      }
      break;
    case M(YEAR) | M(MONTH):
      if (have_text_month) {
        if (flen >= 3 && *is2digits) {
          // The first numeric field was the day, not a two-digit year.
          *tmask = M(DAY);
          tm->mday = static_cast<int>(tm->year);
          tm->year = val;
          *is2digits = false;
        } else {
          *tmask = M(DAY);
          tm->mday = val;
        }
      } else {
        *tmask = M(DAY);
        tm->mday = val;
      }
      break;
    case M(DAY):
      *tmask = M(MONTH);
      tm->mon = val;
      break;
    case M(MONTH) | M(DAY):
      *tmask = M(YEAR);
      tm->year = val;
      break;
    case M(YEAR) | M(MONTH) | M(DAY): {
      int dterr = DecodeNumberField(str, fmask, tmask, tm, fsec, is2digits);
      if (dterr < 0) return dterr;
      return 0;
    }
    default:
      return kBadFormat;
  }
  if (*tmask == M(YEAR)) *is2digits = flen <= 2;
  return 0;
}

// DecodeDate: a date field with separators ("1999-01-08", "08-jan-1999", "1999.008").
int DecodeDate(const std::string& str, int fmask, int* tmask, bool* is2digits, Tm* tm,
               DateOrder order) {
  *tmask = 0;
  std::vector<std::string> fields;
  size_t i = 0;
  const size_t n = str.size();
  while (i < n && fields.size() < kMaxDateFields) {
    while (i < n && !IsAlnum(str[i])) ++i;
    if (i >= n) return kBadFormat;  // the string ends after a separator
    size_t start = i;
    if (IsDigit(str[i])) {
      while (i < n && IsDigit(str[i])) ++i;
    } else if (IsAlpha(str[i])) {
      while (i < n && IsAlpha(str[i])) ++i;
    }
    fields.push_back(str.substr(start, i - start));
    if (i < n) ++i;  // the character after the field is dropped (a separator)
  }
  bool have_text_month = false;
  std::vector<bool> done(fields.size(), false);
  // Text fields first: a month name is unambiguous.
  for (size_t k = 0; k < fields.size(); ++k) {
    if (fields[k].empty() || !IsAlpha(fields[k][0])) continue;
    int val;
    int type = DecodeSpecial(fields[k], &val);
    if (type == IGNORE_DTF) continue;
    int dmask = M(type);
    if (type != MONTH) return kBadFormat;
    tm->mon = val;
    have_text_month = true;
    if (fmask & dmask) return kBadFormat;
    fmask |= dmask;
    *tmask |= dmask;
    done[k] = true;
  }
  for (size_t k = 0; k < fields.size(); ++k) {
    if (done[k]) continue;
    if (fields[k].empty()) return kBadFormat;
    int dmask;
    int64_t fsec = 0;
    int dterr =
        DecodeNumber(fields[k], have_text_month, fmask, &dmask, tm, &fsec, is2digits, order);
    if (dterr) return dterr;
    if (fmask & dmask) return kBadFormat;
    fmask |= dmask;
    *tmask |= dmask;
  }
  if ((fmask & ~(M(DOY) | M(TZ))) != kDateMask) return kBadFormat;
  return 0;
}

// DecodeTime: "hh:mm", "hh:mm:ss[.fff]", "mm:ss.fff".
int DecodeTime(const std::string& str, int* tmask, Tm* tm, int64_t* fsec) {
  *tmask = kTimeMask;
  const char* cp;
  bool erange;
  tm->hour = StrToInt(str.c_str(), &cp, &erange);
  if (erange) return kFieldOverflow;
  if (*cp != ':') return kBadFormat;
  tm->min = StrToInt(cp + 1, &cp, &erange);
  if (erange) return kFieldOverflow;
  if (*cp == '\0') {
    tm->sec = 0;
    *fsec = 0;
  } else if (*cp == '.') {
    // mm:ss.sss
    int dterr = ParseFractionalSecond(cp, fsec);
    if (dterr) return dterr;
    tm->sec = tm->min;
    tm->min = tm->hour;
    tm->hour = 0;
  } else if (*cp == ':') {
    tm->sec = StrToInt(cp + 1, &cp, &erange);
    if (erange) return kFieldOverflow;
    if (*cp == '\0') {
      *fsec = 0;
    } else if (*cp == '.') {
      int dterr = ParseFractionalSecond(cp, fsec);
      if (dterr) return dterr;
    } else {
      return kBadFormat;
    }
  } else {
    return kBadFormat;
  }
  if (tm->hour < 0 || tm->min < 0 || tm->min > 59 || tm->sec < 0 || tm->sec > 60 || *fsec < 0 ||
      *fsec > kUsecPerSec) {
    return kFieldOverflow;
  }
  return 0;
}

bool TimeOverflows(int hour, int min, int sec, int64_t fsec) {
  if (hour < 0 || hour > 24 || min < 0 || min >= 60 || sec < 0 || sec > 60 || fsec < 0 ||
      fsec > kUsecPerSec) {
    return true;
  }
  return ((static_cast<int64_t>(hour) * 60 + min) * 60 + sec) * kUsecPerSec + fsec > kUsecPerDay;
}

// ValidateDate: the era and two-digit years, the day of year, and the field ranges.
int ValidateDate(int fmask, bool isjulian, bool is2digits, bool bc, Tm* tm) {
  if (fmask & M(YEAR)) {
    if (isjulian) {
      // the year is right
    } else if (bc) {
      if (tm->year <= 0) return kFieldOverflow;
      tm->year = -(tm->year - 1);
    } else if (is2digits) {
      if (tm->year < 0) return kFieldOverflow;
      if (tm->year < 70) {
        tm->year += 2000;
      } else if (tm->year < 100) {
        tm->year += 1900;
      }
    } else {
      if (tm->year <= 0) return kFieldOverflow;
    }
  }
  if (fmask & M(DOY)) {
    J2Date(Date2J(tm->year, 1, 1) + tm->yday - 1, &tm->year, &tm->mon, &tm->mday);
  }
  if (fmask & M(MONTH)) {
    if (tm->mon < 1 || tm->mon > 12) return kMdFieldOverflow;
  }
  if (fmask & M(DAY)) {
    if (tm->mday < 1 || tm->mday > 31) return kMdFieldOverflow;
  }
  if ((fmask & kDateMask) == kDateMask) {
    if (tm->mday > DaysInMonth(tm->year, tm->mon)) return kFieldOverflow;
  }
  return 0;
}

// The local time in microseconds; false if it does not fit (far beyond the timestamp range).
bool LocalUsecOf(const Tm& tm, int64_t* out) {
  int64_t days = Date2J(tm.year, tm.mon, tm.mday) - kEpochJd;
  int64_t secs = ((days * 24 + tm.hour) * 60 + tm.min) * 60 + tm.sec;
  return !__builtin_mul_overflow(secs, kUsecPerSec, out);
}

// DetermineTimeZoneOffsetInternal: also the UTC instant (*utc) the local time maps to. A date
// out of range is taken as UTC, as PostgreSQL does.
int DetermineOffset(Tm* tm, const TimeZone& tz, int64_t* utc) {
  int64_t local;
  if (!IsValidJulian(tm->year, tm->mon, tm->mday) || !LocalUsecOf(*tm, &local)) {
    tm->isdst = 0;
    *utc = 0;
    return 0;
  }
  int64_t east = tz.LocalOffset(local);
  *utc = local - east * kUsecPerSec;
  return static_cast<int>(-east);
}

// DetermineTimeZoneAbbrevOffset: the meaning of a dynamic abbreviation at the local time tm.
int DetermineAbbrevOffset(Tm* tm, std::string_view abbrev, const TimeZone& tz) {
  int64_t utc;
  int zone_offset = DetermineOffset(tm, tz, &utc);
  std::string upper(abbrev);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  int64_t east;
  bool is_dst;
  if (tz.AbbrevOffset(upper, utc, &east, &is_dst)) {
    tm->isdst = is_dst ? 1 : 0;
    return static_cast<int>(-east);
  }
  return zone_offset;
}

[[noreturn]] void ZoneNotRecognized(const std::string& name) {
  Throw(SqlState::kInvalidParameterValue, "time zone \"{}\" not recognized", name);
}

}  // namespace

int64_t Date2J(int64_t year, int month, int day) {
  return DaysFromCivil(year, month, day) + kEpochJd;
}

void J2Date(int64_t jd, int64_t* year, int* month, int* day) {
  CivilFromDays(jd - kEpochJd, year, month, day);
}

bool IsValidJulian(int64_t y, int m, int /*d*/) {
  return (y > -4713 || (y == -4713 && m >= 11)) && (y < 5874898 || (y == 5874898 && m < 6));
}

int DetermineTimeZoneOffset(Tm* tm, const TimeZone& tz) {
  int64_t utc;
  return DetermineOffset(tm, tz, &utc);
}

int DecodeTimezoneText(const std::string& text, int* west) {
  return DecodeTimezone(text.c_str(), west);
}

int DetermineAbbrevOffsetText(Tm* tm, std::string_view abbrev, const TimeZone& tz) {
  return DetermineAbbrevOffset(tm, abbrev, tz);
}

bool Tm2Timestamp(const Tm& tm, const int* tzp, int64_t* result) {
  *result = 0;
  if (!IsValidJulian(tm.year, tm.mon, tm.mday)) return false;
  int64_t date = Date2J(tm.year, tm.mon, tm.mday) - kEpochJd;
  int64_t time =
      ((static_cast<int64_t>(tm.hour) * 60 + tm.min) * 60 + tm.sec) * kUsecPerSec + tm.fsec;
  int64_t r;
  if (__builtin_mul_overflow(date, kUsecPerDay, &r) || __builtin_add_overflow(r, time, &r)) {
    return false;
  }
  if ((r < 0 && date > 0) || (r > 0 && date < -1)) return false;
  if (tzp != nullptr) {
    if (__builtin_add_overflow(r, static_cast<int64_t>(*tzp) * kUsecPerSec, &r)) return false;
  }
  if (!IsValidTimestamp(r)) return false;
  *result = r;
  return true;
}

int ParseDateTime(std::string_view in, size_t buflen, std::vector<Field>* fields) {
  fields->clear();
  size_t used = 0;  // characters in PostgreSQL's work buffer
  const size_t n = in.size();
  size_t i = 0;
  auto at = [&](size_t k) -> unsigned char {
    return k < n ? static_cast<unsigned char>(in[k]) : '\0';
  };
  std::string buf;
  bool overflow = false;
  auto append = [&](char c) {
    if (used >= buflen - 1) overflow = true;
    ++used;
    buf.push_back(c);
  };
  while (i < n) {
    unsigned char c = at(i);
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    if (fields->size() >= kMaxDateFields) return kBadFormat;
    buf.clear();
    FieldType ft;
    if (IsDigit(c)) {
      append(in[i++]);
      while (IsDigit(at(i))) append(in[i++]);
      if (at(i) == ':') {
        ft = FieldType::kTime;
        append(in[i++]);
        while (IsDigit(at(i)) || at(i) == ':' || at(i) == '.') append(in[i++]);
      } else if (at(i) == '-' || at(i) == '/' || at(i) == '.') {
        char delim = in[i];
        append(in[i++]);
        if (IsDigit(at(i))) {
          ft = delim == '.' ? FieldType::kNumber : FieldType::kDate;
          while (IsDigit(at(i))) append(in[i++]);
          if (at(i) == static_cast<unsigned char>(delim)) {
            ft = FieldType::kDate;
            append(in[i++]);
            while (IsDigit(at(i)) || at(i) == static_cast<unsigned char>(delim)) append(in[i++]);
          }
        } else {
          ft = FieldType::kDate;
          while (IsAlnum(at(i)) || at(i) == static_cast<unsigned char>(delim)) {
            append(Lower(in[i++]));
          }
        }
      } else {
        ft = FieldType::kNumber;
      }
    } else if (c == '.') {
      append(in[i++]);
      while (IsDigit(at(i))) append(in[i++]);
      ft = FieldType::kNumber;
    } else if (IsAlpha(c)) {
      ft = FieldType::kString;
      append(Lower(in[i++]));
      while (IsAlpha(at(i))) append(Lower(in[i++]));
      // A date with embedded separators, or a zone name with '/', '+', '-', '_' or ':' (a
      // word of the token table followed by a digit or '+' is not a zone: "j2451187").
      bool is_date = false;
      if (at(i) == '-' || at(i) == '/' || at(i) == '.') {
        is_date = true;
      } else if (at(i) == '+' || IsDigit(at(i))) {
        if (FindDateToken(buf) == nullptr) is_date = true;
      }
      if (is_date) {
        ft = FieldType::kDate;
        do {
          append(Lower(in[i++]));
        } while (at(i) == '+' || at(i) == '-' || at(i) == '/' || at(i) == '_' || at(i) == '.' ||
                 at(i) == ':' || IsAlnum(at(i)));
      }
    } else if (c == '+' || c == '-') {
      append(in[i++]);
      while (IsSpace(at(i))) ++i;
      if (IsDigit(at(i))) {
        ft = FieldType::kTz;
        append(in[i++]);
        while (IsDigit(at(i)) || at(i) == ':' || at(i) == '.' || at(i) == '-') append(in[i++]);
      } else if (IsAlpha(at(i))) {
        ft = FieldType::kSpecial;
        append(Lower(in[i++]));
        while (IsAlpha(at(i))) append(Lower(in[i++]));
      } else {
        return kBadFormat;
      }
    } else if (IsPunct(c)) {
      ++i;
      continue;
    } else {
      return kBadFormat;
    }
    if (overflow) return kBadFormat;
    ++used;  // the field's terminator
    fields->push_back({buf, ft});
  }
  return 0;
}

namespace {

// What DecodeDateTime and DecodeTimeOnly carry from field to field (the locals the two functions
// of PostgreSQL's datetime.c have in common).
struct DecodeState {
  int fmask = 0;  // the fields seen so far
  int tmask = 0;  // the fields the current one sets
  int ptype = 0;  // the unit prefix of ISO ("y1999m01"), Julian ("J2451187") and "T" forms
  int mer = HR24;
  bool isjulian = false;
  bool is2digits = false;
  bool bc = false;
  std::shared_ptr<const TimeZone> named_tz;   // a full zone name in the text
  std::shared_ptr<const TimeZone> abbrev_tz;  // the zone of a dynamic abbreviation
  std::string abbrev;
};

// A field of the zone type: "+05:30", "-8".
int DecodeTzField(const std::string& f, DecodeState* st, int* tzp) {
  if (tzp == nullptr) return kBadFormat;
  int tz;
  int dterr = DecodeTimezone(f.c_str(), &tz);
  if (dterr) return dterr;
  *tzp = tz;
  st->tmask = M(TZ);
  return 0;
}

// A run-together number with a trailing zone, "hhmmss-zz": the zone into *tzp, the number read
// by DecodeNumberField under number_fmask. Returns DecodeNumberField's kind or a DTERR code.
int DecodeNumberWithZone(const std::string& f, int number_fmask, DecodeState* st, Tm* tm,
                         int* tzp) {
  if ((st->fmask & kTimeMask) == kTimeMask) return kBadFormat;
  size_t dash = f.find('-');
  if (dash == std::string::npos) return kBadFormat;
  int dterr = DecodeTimezone(f.c_str() + dash, tzp);
  if (dterr) return dterr;
  dterr =
      DecodeNumberField(f.substr(0, dash), number_fmask, &st->tmask, tm, &tm->fsec, &st->is2digits);
  if (dterr < 0) return dterr;
  st->tmask |= M(TZ);
  return dterr;
}

// A number after a unit label (st->ptype): "y2001m02d04", "J2451187.5", "T040506".
int DecodeLabeledNumber(const std::string& f, DecodeState* st, Tm* tm) {
  const char* cp;
  bool erange;
  int value = StrToInt(f.c_str(), &cp, &erange);
  if (erange) return kFieldOverflow;
  const int ptype = st->ptype;
  if (*cp == '.') {
    if (ptype != DTK_JULIAN && ptype != DTK_TIME && ptype != DTK_SECOND) return kBadFormat;
  } else if (*cp != '\0') {
    return kBadFormat;
  }
  int dterr;
  int& tmask = st->tmask;
  switch (ptype) {
    case DTK_YEAR:
      tm->year = value;
      tmask = M(YEAR);
      break;
    case DTK_MONTH:
    case DTK_DAY:
    case DTK_HOUR:
    case DTK_MINUTE:
    case DTK_SECOND: {
      // The value as one field of tm; "m" is the minutes once a month and an hour are known.
      struct Slot {
        int ptype;
        int Tm::*field;
        int bit;
      };
      static constexpr Slot kSlots[] = {{DTK_MONTH, &Tm::mon, MONTH},
                                        {DTK_DAY, &Tm::mday, DAY},
                                        {DTK_HOUR, &Tm::hour, HOUR},
                                        {DTK_MINUTE, &Tm::min, MINUTE},
                                        {DTK_SECOND, &Tm::sec, SECOND}};
      int unit = ptype;
      if (unit == DTK_MONTH && (st->fmask & M(MONTH)) != 0 && (st->fmask & M(HOUR)) != 0) {
        unit = DTK_MINUTE;
      }
      for (const Slot& slot : kSlots) {
        if (slot.ptype != unit) continue;
        tm->*slot.field = value;
        tmask = M(slot.bit);
      }
      if (unit == DTK_SECOND && *cp == '.') {
        dterr = ParseFractionalSecond(cp, &tm->fsec);
        if (dterr) return dterr;
        tmask = kAllSecsMask;
      }
      break;
    }
    case DTK_JULIAN: {
      if (value < 0) return kFieldOverflow;
      tmask = kDateMask;
      J2Date(value, &tm->year, &tm->mon, &tm->mday);
      st->isjulian = true;
      if (*cp == '.') {
        double time;
        dterr = ParseFraction(cp, &time);
        if (dterr) return dterr;
        time *= kUsecPerDay;
        int64_t t = static_cast<int64_t>(time);
        tm->hour = static_cast<int>(t / (3600 * kUsecPerSec));
        t -= tm->hour * 3600 * kUsecPerSec;
        tm->min = static_cast<int>(t / (60 * kUsecPerSec));
        t -= tm->min * 60 * kUsecPerSec;
        tm->sec = static_cast<int>(t / kUsecPerSec);
        tm->fsec = t - tm->sec * kUsecPerSec;
        tmask |= kTimeMask;
      }
      break;
    }
    case DTK_TIME:
      // After "t": hhmmss[.fff].
      dterr = DecodeNumberField(f, st->fmask | kDateMask, &tmask, tm, &tm->fsec, &st->is2digits);
      if (dterr < 0) return dterr;
      if (tmask != kTimeMask) return kBadFormat;
      break;
    default:
      return kBadFormat;
  }
  st->ptype = 0;
  return 0;
}

// The word kinds both decoders read alike (type and val from the abbreviation and token
// tables, valtz the zone of a dynamic abbreviation): zone abbreviations and "DST", AM/PM, AD/BC,
// unit labels, "T" before a time, full zone names.
int DecodeCommonWord(const std::vector<Field>& field, int i, int type, int val,
                     const std::shared_ptr<const TimeZone>& valtz, DecodeState* st, Tm* tm,
                     int* tzp) {
  const std::string& f = field[i].text;
  const int nf = static_cast<int>(field.size());
  switch (type) {
    case DTZMOD:
      // "MET DST"
      st->tmask |= M(DTZ);
      tm->isdst = 1;
      if (tzp == nullptr) return kBadFormat;
      *tzp -= val;
      break;
    case DTZ:
      st->tmask |= M(TZ);
      tm->isdst = 1;
      if (tzp == nullptr) return kBadFormat;
      *tzp = -val;
      break;
    case TZ:
      tm->isdst = 0;
      if (tzp == nullptr) return kBadFormat;
      *tzp = -val;
      break;
    case DYNTZ:
      st->tmask |= M(TZ);
      if (tzp == nullptr) return kBadFormat;
      st->abbrev_tz = valtz;
      st->abbrev = f;
      break;
    case AMPM:
      st->mer = val;
      break;
    case ADBC:
      st->bc = val == BC;
      break;
    case UNITS:
      st->tmask = 0;
      if (st->ptype != 0) return kBadFormat;
      st->ptype = val;
      break;
    case ISOTIME:
      // "t" before a time: a time must follow.
      st->tmask = 0;
      if (i >= nf - 1 ||
          (field[i + 1].type != FieldType::kNumber && field[i + 1].type != FieldType::kTime &&
           field[i + 1].type != FieldType::kDate)) {
        return kBadFormat;
      }
      st->ptype = val;
      break;
    case UNKNOWN_FIELD:
      // An all-letters zone name?
      st->named_tz = TimeZone::Find(f);
      if (st->named_tz == nullptr) return kBadFormat;
      st->tmask = M(TZ);
      break;
    default:
      return kBadFormat;
  }
  return 0;
}

// Looks a word up: zone abbreviations take precedence over the token table.
int LookupWord(const std::string& f, int* val, std::shared_ptr<const TimeZone>* valtz) {
  int type = DecodeTimezoneAbbrev(f, val, valtz);
  if (type == UNKNOWN_FIELD) type = DecodeSpecial(f, val);
  return type;
}

// After the last field: the date checks of ValidateDate, then AM/PM applied to the hour.
int FinishDateAndMeridian(const DecodeState& st, Tm* tm) {
  int dterr = ValidateDate(st.fmask, st.isjulian, st.is2digits, st.bc, tm);
  if (dterr) return dterr;
  if (st.mer != HR24 && tm->hour > 12) return kFieldOverflow;
  if (st.mer == AM && tm->hour == 12) {
    tm->hour = 0;
  } else if (st.mer == PM && tm->hour != 12) {
    tm->hour += 12;
  }
  return 0;
}

// Both decoders start from an empty tm, no zone and the given kind.
void StartDecode(DType kind, DType* dtype, Tm* tm, int* tzp) {
  *dtype = kind;
  *tm = Tm{};
  tm->isdst = -1;
  if (tzp != nullptr) *tzp = 0;
}

}  // namespace

int DecodeDateTime(std::vector<Field>& field, const DecodeContext& ctx, DType* dtype, Tm* tm,
                   int* tzp) {
  DecodeState st;
  int& fmask = st.fmask;
  int& tmask = st.tmask;
  int dterr;
  bool have_text_month = false;
  const int nf = static_cast<int>(field.size());

  StartDecode(DType::kDate, dtype, tm, tzp);
  int64_t* fsec = &tm->fsec;

  for (int i = 0; i < nf; i++) {
    std::string& f = field[i].text;
    switch (field[i].type) {
      case FieldType::kDate:
        if (st.ptype == DTK_JULIAN) {
          // A Julian day with an attached zone.
          if (tzp == nullptr) return kBadFormat;
          const char* cp;
          bool erange;
          int v = StrToInt(f.c_str(), &cp, &erange);
          if (erange || v < 0) return kFieldOverflow;
          J2Date(v, &tm->year, &tm->mon, &tm->mday);
          st.isjulian = true;
          dterr = DecodeTimezone(cp, tzp);
          if (dterr) return dterr;
          tmask = kDateMask | kTimeMask | M(TZ);
          st.ptype = 0;
          break;
        } else if (st.ptype != 0 || (fmask & (M(MONTH) | M(DAY))) == (M(MONTH) | M(DAY))) {
          // Month and day known: a zone name with punctuation, or a run-together time with a
          // trailing zone (hhmmss-zz).
          if (tzp == nullptr) return kBadFormat;
          if (IsDigit(f[0]) || st.ptype != 0) {
            if (st.ptype != 0) {
              if (st.ptype != DTK_TIME) return kBadFormat;
              st.ptype = 0;
            }
            dterr = DecodeNumberWithZone(f, fmask, &st, tm, tzp);
            if (dterr < 0) return dterr;
          } else {
            st.named_tz = TimeZone::Find(f);
            if (st.named_tz == nullptr) ZoneNotRecognized(f);
            tmask = M(TZ);
          }
        } else {
          dterr = DecodeDate(f, fmask, &tmask, &st.is2digits, tm, ctx.order);
          if (dterr) return dterr;
        }
        break;

      case FieldType::kTime:
        if (st.ptype != 0) {
          if (st.ptype != DTK_TIME) return kBadFormat;
          st.ptype = 0;
        }
        dterr = DecodeTime(f, &tmask, tm, fsec);
        if (dterr) return dterr;
        if (TimeOverflows(tm->hour, tm->min, tm->sec, *fsec)) return kFieldOverflow;
        break;

      case FieldType::kTz:
        dterr = DecodeTzField(f, &st, tzp);
        if (dterr) return dterr;
        break;

      case FieldType::kNumber:
        if (st.ptype != 0) {
          dterr = DecodeLabeledNumber(f, &st, tm);
          if (dterr) return dterr;
          *dtype = DType::kDate;
        } else {
          const size_t flen = f.size();
          size_t dot = f.find('.');
          if (dot != std::string::npos && !(fmask & kDateMask)) {
            // An embedded point and no date yet: "1999.008".
            dterr = DecodeDate(f, fmask, &tmask, &st.is2digits, tm, ctx.order);
            if (dterr) return dterr;
          } else if (dot != std::string::npos && dot > 2) {
            // Several digits before the point: a run-together date or time.
            dterr = DecodeNumberField(f, fmask, &tmask, tm, fsec, &st.is2digits);
            if (dterr < 0) return dterr;
          } else if (flen >= 6 && (!(fmask & kDateMask) || !(fmask & kTimeMask))) {
            // yymmdd, yyyymmdd, hhmmss
            dterr = DecodeNumberField(f, fmask, &tmask, tm, fsec, &st.is2digits);
            if (dterr < 0) return dterr;
          } else {
            dterr =
                DecodeNumber(f, have_text_month, fmask, &tmask, tm, fsec, &st.is2digits, ctx.order);
            if (dterr) return dterr;
          }
        }
        break;

      case FieldType::kString:
      case FieldType::kSpecial: {
        int val;
        std::shared_ptr<const TimeZone> valtz;
        int type = LookupWord(f, &val, &valtz);
        if (type == IGNORE_DTF) continue;
        tmask = M(type);
        switch (type) {
          case RESERV:
            switch (val) {
              case DTK_NOW:
                tmask = kDateMask | kTimeMask | M(TZ);
                *dtype = DType::kDate;
                CurrentTm(ctx, tm, fsec, tzp);
                break;
              case DTK_YESTERDAY:
              case DTK_TODAY:
              case DTK_TOMORROW: {
                tmask = kDateMask;
                *dtype = DType::kDate;
                Tm cur;
                CurrentTm(ctx, &cur, nullptr, nullptr);
                int delta = val == DTK_YESTERDAY ? -1 : (val == DTK_TOMORROW ? 1 : 0);
                J2Date(Date2J(cur.year, cur.mon, cur.mday) + delta, &tm->year, &tm->mon, &tm->mday);
                break;
              }
              case DTK_ZULU:
                tmask = kTimeMask | M(TZ);
                *dtype = DType::kDate;
                tm->hour = 0;
                tm->min = 0;
                tm->sec = 0;
                if (tzp != nullptr) *tzp = 0;
                break;
              case DTK_EPOCH:
                *dtype = DType::kEpoch;
                break;
              case DTK_LATE:
                *dtype = DType::kLate;
                break;
              case DTK_EARLY:
                *dtype = DType::kEarly;
                break;
              default:
                return kBadFormat;
            }
            break;
          case MONTH:
            // A numeric month already read becomes the day if there is none yet.
            if ((fmask & M(MONTH)) && !have_text_month && !(fmask & M(DAY)) && tm->mon >= 1 &&
                tm->mon <= 31) {
              tm->mday = tm->mon;
              tmask = M(DAY);
            }
            have_text_month = true;
            tm->mon = val;
            break;
          case DOW:
            tm->wday = val;
            break;
          case ISOTIME:
            // "t" before a time also needs a whole date before it.
            if ((fmask & kDateMask) != kDateMask) return kBadFormat;
            [[fallthrough]];
          default:
            dterr = DecodeCommonWord(field, i, type, val, valtz, &st, tm, tzp);
            if (dterr) return dterr;
            break;
        }
        break;
      }

      default:
        return kBadFormat;
    }
    if (tmask & fmask) return kBadFormat;
    fmask |= tmask;
  }

  dterr = FinishDateAndMeridian(st, tm);
  if (dterr) return dterr;

  if (*dtype == DType::kDate) {
    if ((fmask & kDateMask) != kDateMask) return kBadFormat;
    if (st.named_tz != nullptr) {
      if (fmask & M(DTZMOD)) return kBadFormat;
      *tzp = DetermineTimeZoneOffset(tm, *st.named_tz);
    }
    if (st.abbrev_tz != nullptr) {
      if (fmask & M(DTZMOD)) return kBadFormat;
      *tzp = DetermineAbbrevOffset(tm, st.abbrev, *st.abbrev_tz);
    }
    if (tzp != nullptr && !(fmask & M(TZ))) {
      if (fmask & M(DTZMOD)) return kBadFormat;
      *tzp = DetermineTimeZoneOffset(tm, *ctx.session);
    }
  }
  return 0;
}

int DecodeTimeOnly(std::vector<Field>& field, const DecodeContext& ctx, DType* dtype, Tm* tm,
                   int* tzp) {
  DecodeState st;
  int& fmask = st.fmask;
  int& tmask = st.tmask;
  int dterr;
  const int nf = static_cast<int>(field.size());

  StartDecode(DType::kTime, dtype, tm, tzp);
  int64_t* fsec = &tm->fsec;

  for (int i = 0; i < nf; i++) {
    std::string& f = field[i].text;
    switch (field[i].type) {
      case FieldType::kDate:
        if (tzp == nullptr) return kBadFormat;
        // A date only first, and only before a time or with a zone name at the end.
        if (i == 0 && nf >= 2 &&
            (field[nf - 1].type == FieldType::kDate || field[1].type == FieldType::kTime)) {
          dterr = DecodeDate(f, fmask, &tmask, &st.is2digits, tm, ctx.order);
          if (dterr) return dterr;
        } else if (IsDigit(f[0])) {
          // A run-together time with a zone: hhmmss-zz.
          dterr = DecodeNumberWithZone(f, fmask | kDateMask, &st, tm, tzp);
          if (dterr < 0) return dterr;
          field[i].type = dterr == kNumberFieldDate ? FieldType::kDate : FieldType::kTime;
        } else {
          st.named_tz = TimeZone::Find(f);
          if (st.named_tz == nullptr) ZoneNotRecognized(f);
          field[i].type = FieldType::kTz;
          tmask = M(TZ);
        }
        break;

      case FieldType::kTime:
        dterr = DecodeTime(f, &tmask, tm, fsec);
        if (dterr) return dterr;
        break;

      case FieldType::kTz:
        dterr = DecodeTzField(f, &st, tzp);
        if (dterr) return dterr;
        break;

      case FieldType::kNumber:
        if (st.ptype != 0) {
          if ((st.ptype == DTK_JULIAN || st.ptype == DTK_YEAR || st.ptype == DTK_MONTH ||
               st.ptype == DTK_DAY) &&
              tzp == nullptr) {
            return kBadFormat;
          }
          dterr = DecodeLabeledNumber(f, &st, tm);
          if (dterr) return dterr;
          *dtype = DType::kDate;
        } else {
          const size_t flen = f.size();
          size_t dot = f.find('.');
          if (dot != std::string::npos) {
            if (i == 0 && nf >= 2 && field[nf - 1].type == FieldType::kDate) {
              dterr = DecodeDate(f, fmask, &tmask, &st.is2digits, tm, ctx.order);
              if (dterr) return dterr;
            } else if (dot > 2) {
              dterr = DecodeNumberField(f, fmask | kDateMask, &tmask, tm, fsec, &st.is2digits);
              if (dterr < 0) return dterr;
            } else {
              return kBadFormat;
            }
          } else if (flen > 4) {
            dterr = DecodeNumberField(f, fmask | kDateMask, &tmask, tm, fsec, &st.is2digits);
            if (dterr < 0) return dterr;
          } else {
            dterr = DecodeNumber(f, false, fmask | kDateMask, &tmask, tm, fsec, &st.is2digits,
                                 ctx.order);
            if (dterr) return dterr;
          }
        }
        break;

      case FieldType::kString:
      case FieldType::kSpecial: {
        int val;
        std::shared_ptr<const TimeZone> valtz;
        int type = LookupWord(f, &val, &valtz);
        if (type == IGNORE_DTF) continue;
        tmask = M(type);
        switch (type) {
          case RESERV:
            switch (val) {
              case DTK_NOW:
                tmask = kTimeMask;
                *dtype = DType::kTime;
                CurrentTm(ctx, tm, fsec, nullptr);
                break;
              case DTK_ZULU:
                tmask = kTimeMask | M(TZ);
                *dtype = DType::kTime;
                tm->hour = 0;
                tm->min = 0;
                tm->sec = 0;
                tm->isdst = 0;
                break;
              default:
                return kBadFormat;
            }
            break;
          default:
            dterr = DecodeCommonWord(field, i, type, val, valtz, &st, tm, tzp);
            if (dterr) return dterr;
            // A zone word: later fields see a zone here.
            if (type == DTZ || type == TZ || type == DYNTZ) field[i].type = FieldType::kTz;
            break;
        }
        break;
      }

      default:
        return kBadFormat;
    }
    if (tmask & fmask) return kBadFormat;
    fmask |= tmask;
  }

  dterr = FinishDateAndMeridian(st, tm);
  if (dterr) return dterr;

  if (TimeOverflows(tm->hour, tm->min, tm->sec, *fsec)) return kFieldOverflow;
  if ((fmask & kTimeMask) == 0) return kBadFormat;

  if (st.named_tz != nullptr) {
    if (fmask & M(DTZMOD)) return kBadFormat;
    int64_t east;
    if (st.named_tz->FixedOffsetOf(&east)) {
      *tzp = static_cast<int>(-east);
    } else {
      if ((fmask & kDateMask) != kDateMask) return kBadFormat;
      *tzp = DetermineTimeZoneOffset(tm, *st.named_tz);
    }
  }
  if (st.abbrev_tz != nullptr || (tzp != nullptr && !(fmask & M(TZ)))) {
    if (fmask & M(DTZMOD)) return kBadFormat;
    Tm tt;
    if ((fmask & kDateMask) == 0) {
      CurrentTm(ctx, &tt, nullptr, nullptr);
    } else {
      if ((fmask & kDateMask) != kDateMask) return kBadFormat;
      tt.year = tm->year;
      tt.mon = tm->mon;
      tt.mday = tm->mday;
    }
    tt.hour = tm->hour;
    tt.min = tm->min;
    tt.sec = tm->sec;
    *tzp = st.abbrev_tz != nullptr ? DetermineAbbrevOffset(&tt, st.abbrev, *st.abbrev_tz)
                                   : DetermineTimeZoneOffset(&tt, *ctx.session);
    tm->isdst = tt.isdst;
  }
  return 0;
}

void DateTimeParseError(int dterr, std::string_view text, std::string_view type) {
  switch (dterr) {
    case kFieldOverflow:
      Throw(SqlState::kDatetimeFieldOverflow, "date/time field value out of range: \"{}\"", text);
    case kMdFieldOverflow:
      throw Error(SqlState::kDatetimeFieldOverflow,
                  fmt::format("date/time field value out of range: \"{}\"", text))
          .Hint("Perhaps you need a different \"datestyle\" setting.");
    case kIntervalOverflow:
      Throw(SqlState::kIntervalFieldOverflow, "interval field value out of range: \"{}\"", text);
    case kTzDispOverflow:
      Throw(SqlState::kInvalidTimeZoneDisplacementValue,
            "time zone displacement out of range: \"{}\"", text);
    default:
      Throw(SqlState::kInvalidDatetimeFormat, "invalid input syntax for type {}: \"{}\"", type,
            text);
  }
}

}  // namespace activestore::dtdecode
