#include "common/datetime.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

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

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != b[i]) return false;
  }
  return true;
}

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

enum class Special { kNone, kEpoch, kInfinity, kNegInfinity, kNow, kToday, kTomorrow, kYesterday };

// The fields of a date/time string in ISO (or MDY) order.
struct Fields {
  Special special = Special::kNone;
  int64_t year = 0;  // astronomical after ParseFields
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int64_t fsec = 0;  // microseconds
  bool has_tz = false;
  int64_t tz = 0;                        // seconds east of UTC
  std::shared_ptr<const TimeZone> zone;  // a zone named in the literal (then has_tz is false)
};

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr const char* kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

// 1..12 for a month name or its abbreviation ("dec", "December", "sept"), else 0.
int MonthOfWord(std::string_view w) {
  static constexpr const char* kFull[] = {"january",   "february", "march",    "april",
                                          "may",       "june",     "july",     "august",
                                          "september", "october",  "november", "december"};
  std::string l;
  for (char c : w) l += Lower(c);
  for (int i = 0; i < 12; ++i) {
    if (l == kMonthNames[i] || l == kFull[i]) return i + 1;
  }
  if (l == "sept") return 9;
  return 0;
}

bool IsDayName(std::string_view w) {
  static constexpr const char* kFull[] = {"sunday",   "monday", "tuesday", "wednesday",
                                          "thursday", "friday", "saturday"};
  std::string l;
  for (char c : w) l += Lower(c);
  for (int i = 0; i < 7; ++i) {
    if (l == kDayNames[i] || l == kFull[i]) return true;
  }
  return l == "tues" || l == "wednes" || l == "thur" || l == "thurs";
}

class FieldParser {
 public:
  FieldParser(std::string_view text, const char* type_name, DateOrder order)
      : text_(text), type_name_(type_name), order_(order) {}

  Fields Parse() {
    std::string_view s = text_;
    while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
    Fields f;
    static constexpr std::pair<const char*, Special> kSpecials[] = {
        {"epoch", Special::kEpoch},           {"infinity", Special::kInfinity},
        {"-infinity", Special::kNegInfinity}, {"now", Special::kNow},
        {"today", Special::kToday},           {"tomorrow", Special::kTomorrow},
        {"yesterday", Special::kYesterday},
    };
    for (const auto& [name, sp] : kSpecials) {
      if (EqualsNoCase(s, name)) {
        f.special = sp;
        return f;
      }
    }
    s_ = s;
    pos_ = 0;
    ParseDatePart(f);
    // Time, year (after a textual month), zone and era, separated by white space ('T' before
    // the time).
    bool have_time = false;
    bool have_era = false;
    bool have_ampm = false;
    bool bc = false;
    auto have_tz = [&] { return f.has_tz || f.zone != nullptr; };
    while (pos_ < s_.size()) {
      size_t before = pos_;
      SkipSpaces();
      bool had_space = pos_ > before;
      if (pos_ >= s_.size()) break;
      char c = s_[pos_];
      if (!have_time && !have_tz() && !have_era && (Lower(c) == 't') && pos_ + 1 < s_.size() &&
          IsDigit(s_[pos_ + 1]) && !had_space) {
        ++pos_;
        ParseTime(f);
        have_time = true;
      } else if (need_year_ && IsDigit(c) && had_space && !DigitsBeforeColon()) {
        f.year = ToInt(Digits());
        need_year_ = false;
      } else if (!have_time && !have_tz() && !have_era && IsDigit(c) && had_space) {
        ParseTime(f);
        have_time = true;
      } else if (!have_tz() && !have_era && (c == '+' || c == '-')) {
        ++pos_;
        ParseOffset(f, c == '-');
      } else if (IsAlpha(c)) {
        std::string_view word = Word();
        if (have_time && !have_ampm && (EqualsNoCase(word, "am") || EqualsNoCase(word, "pm"))) {
          // 12-hour clock, as PostgreSQL: hours 0..12; 12 am is midnight, 12 pm noon.
          have_ampm = true;
          if (f.hour > 12) FieldOverflow();
          if (EqualsNoCase(word, "am") && f.hour == 12) f.hour = 0;
          if (EqualsNoCase(word, "pm") && f.hour != 12) f.hour += 12;
          continue;
        }
        if (!have_era && (EqualsNoCase(word, "bc") || EqualsNoCase(word, "ad"))) {
          have_era = true;
          bc = EqualsNoCase(word, "bc");
          continue;
        }
        if (have_tz() || have_era) Bad();
        if (pos_ < s_.size() && (s_[pos_] == '/' || s_[pos_] == '-' || s_[pos_] == '.' ||
                                 s_[pos_] == '+' || s_[pos_] == '_' || IsDigit(s_[pos_]))) {
          // A full zone name (America/New_York, Etc/GMT+3, UTC+3).
          size_t start = pos_ - word.size();
          while (pos_ < s_.size() &&
                 (IsAlpha(s_[pos_]) || IsDigit(s_[pos_]) ||
                  std::string_view("+-/_.:").find(s_[pos_]) != std::string_view::npos)) {
            ++pos_;
          }
          std::string name(s_.substr(start, pos_ - start));
          f.zone = TimeZone::Find(name);
          if (f.zone == nullptr) {
            for (auto& ch : name) ch = Lower(ch);
            Throw(SqlState::kInvalidParameterValue, "time zone \"{}\" not recognized", name);
          }
          continue;
        }
        int64_t off;
        if (LookupZoneAbbreviation(word, &off)) {
          f.has_tz = true;
          f.tz = off;
        } else {
          Bad();
        }
      } else {
        Bad();
      }
    }
    if (need_year_) Bad();
    // Field ranges, as PostgreSQL's DecodeDateTime and ValidateDate check them.
    if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > 31) {
      throw Error(SqlState::kDatetimeFieldOverflow,
                  fmt::format("date/time field value out of range: \"{}\"", text_))
          .Hint("Perhaps you need a different \"datestyle\" setting.");
    }
    if (f.year == 0) FieldOverflow();
    if (bc) f.year = 1 - f.year;
    if (f.year < -10000000 || f.year > 10000000) OutOfRange();
    if (f.day > DaysInMonth(f.year, f.month)) FieldOverflow();
    if (f.hour > 24 || f.minute > 59 || f.second > 60 ||
        (f.hour == 24 && (f.minute > 0 || f.second > 0 || f.fsec > 0))) {
      FieldOverflow();
    }
    return f;
  }

  [[noreturn]] void Bad() const {
    Throw(SqlState::kInvalidDatetimeFormat, "invalid input syntax for type {}: \"{}\"", type_name_,
          text_);
  }
  [[noreturn]] void FieldOverflow() const {
    Throw(SqlState::kDatetimeFieldOverflow, "date/time field value out of range: \"{}\"", text_);
  }
  [[noreturn]] void OutOfRange() const {
    Throw(SqlState::kDatetimeFieldOverflow, "{} out of range: \"{}\"",
          std::string_view(type_name_).substr(0, std::string_view(type_name_).find(' ')), text_);
  }

 private:
  static bool IsAlpha(char c) { return (Lower(c) >= 'a' && Lower(c) <= 'z'); }

  void SkipSpaces() {
    while (pos_ < s_.size() && IsSpace(s_[pos_])) ++pos_;
  }

  std::string_view Word() {
    size_t start = pos_;
    while (pos_ < s_.size() && IsAlpha(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  // Reads a run of digits; returns its text.
  std::string_view Digits() {
    size_t start = pos_;
    while (pos_ < s_.size() && IsDigit(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  int64_t ToInt(std::string_view d) {
    if (d.empty()) Bad();
    if (d.size() > 9) OutOfRange();
    int64_t v = 0;
    for (char c : d) v = v * 10 + (c - '0');
    return v;
  }

  // True if the digits at pos_ are followed by ':' (a time, not a year).
  bool DigitsBeforeColon() const {
    size_t p = pos_;
    while (p < s_.size() && IsDigit(s_[p])) ++p;
    return p < s_.size() && s_[p] == ':';
  }

  static int64_t TwoDigitYear(int64_t y) { return y + (y < 70 ? 2000 : 1900); }

  // "Wed Dec 17", "Dec 17", "17 Dec", "Wed 17 Dec" (the year follows later, after the time).
  void ParseTextualDate(Fields& f) {
    std::string_view w = Word();
    if (IsDayName(w)) {
      if (pos_ < s_.size() && s_[pos_] == ',') ++pos_;
      SkipSpaces();
      if (pos_ < s_.size() && IsAlpha(s_[pos_])) {
        w = Word();
      } else {
        w = {};
      }
    }
    if (!w.empty()) {  // Mon DD
      f.month = MonthOfWord(w);
      if (f.month == 0) Bad();
      SkipSpaces();
      std::string_view d = Digits();
      if (d.empty() || d.size() > 2) Bad();
      f.day = static_cast<int>(ToInt(d));
    } else {  // DD Mon
      std::string_view d = Digits();
      if (d.empty() || d.size() > 2) Bad();
      f.day = static_cast<int>(ToInt(d));
      SkipSpaces();
      f.month = MonthOfWord(Word());
      if (f.month == 0) Bad();
    }
    if (pos_ < s_.size() && s_[pos_] == ',') ++pos_;
    need_year_ = true;
  }

  void ParseDatePart(Fields& f) {
    if (pos_ < s_.size() && IsAlpha(s_[pos_])) {
      ParseTextualDate(f);
      return;
    }
    std::string_view d1 = Digits();
    if (d1.empty()) Bad();
    if (pos_ < s_.size() && (s_[pos_] == '-' || s_[pos_] == '/' || s_[pos_] == '.')) {
      char sep = s_[pos_++];
      std::string_view d2 = Digits();
      if (d2.empty() || d2.size() > 2 || pos_ >= s_.size() || s_[pos_] != sep) Bad();
      ++pos_;
      std::string_view d3 = Digits();
      if (d3.empty()) Bad();
      if (d1.size() >= 3 || order_ == DateOrder::kYmd) {  // Y-M-D
        if (d3.size() > 2 && d1.size() >= 3) Bad();
        if (d3.size() > 9) OutOfRange();
        f.year = ToInt(d1);
        if (d1.size() <= 2) f.year = TwoDigitYear(f.year);
        f.month = static_cast<int>(ToInt(d2));
        f.day = static_cast<int>(ToInt(d3));
      } else {  // M-D-Y or D-M-Y, as DateStyle says
        int a = static_cast<int>(ToInt(d1));
        int b = static_cast<int>(ToInt(d2));
        f.month = order_ == DateOrder::kDmy ? b : a;
        f.day = order_ == DateOrder::kDmy ? a : b;
        f.year = ToInt(d3);
        if (d3.size() <= 2) f.year = TwoDigitYear(f.year);
      }
    } else if (d1.size() == 8) {  // YYYYMMDD
      f.year = ToInt(d1.substr(0, 4));
      f.month = static_cast<int>(ToInt(d1.substr(4, 2)));
      f.day = static_cast<int>(ToInt(d1.substr(6, 2)));
    } else {
      Bad();
    }
  }

  void ParseTime(Fields& f) {
    std::string_view h = Digits();
    if (h.empty() || h.size() > 2 || pos_ >= s_.size() || s_[pos_] != ':') Bad();
    ++pos_;
    std::string_view m = Digits();
    if (m.empty() || m.size() > 2) Bad();
    f.hour = static_cast<int>(ToInt(h));
    f.minute = static_cast<int>(ToInt(m));
    if (pos_ < s_.size() && s_[pos_] == ':') {
      ++pos_;
      std::string_view sec = Digits();
      if (sec.empty() || sec.size() > 2) Bad();
      f.second = static_cast<int>(ToInt(sec));
      if (pos_ < s_.size() && s_[pos_] == '.') {
        ++pos_;
        std::string_view frac = Digits();
        std::string num = "0." + std::string(frac);
        f.fsec = static_cast<int64_t>(std::nearbyint(std::strtod(num.c_str(), nullptr) * 1e6));
      }
    }
  }

  // [+-]H, HH, HH:MM, HH:MM:SS, HHMM, HHMMSS (the sign already consumed).
  void ParseOffset(Fields& f, bool negative) {
    std::string_view d = Digits();
    int64_t hr = 0, mn = 0, sc = 0;
    if (d.empty()) Bad();
    if (pos_ < s_.size() && s_[pos_] == ':') {
      if (d.size() > 2) Bad();
      hr = ToInt(d);
      ++pos_;
      std::string_view m = Digits();
      if (m.size() != 2) Bad();
      mn = ToInt(m);
      if (pos_ < s_.size() && s_[pos_] == ':') {
        ++pos_;
        std::string_view sec = Digits();
        if (sec.size() != 2) Bad();
        sc = ToInt(sec);
      }
    } else if (d.size() <= 2) {
      hr = ToInt(d);
    } else if (d.size() == 4) {
      hr = ToInt(d.substr(0, 2));
      mn = ToInt(d.substr(2, 2));
    } else if (d.size() == 6) {
      hr = ToInt(d.substr(0, 2));
      mn = ToInt(d.substr(2, 2));
      sc = ToInt(d.substr(4, 2));
    } else {
      Bad();
    }
    if (hr > 15 || mn >= 60 || sc >= 60) {
      Throw(SqlState::kInvalidTimeZoneDisplacementValue,
            "time zone displacement out of range: \"{}\"", text_);
    }
    f.has_tz = true;
    f.tz = (hr * 3600 + mn * 60 + sc) * (negative ? -1 : 1);
  }

  std::string_view text_;
  const char* type_name_;
  DateOrder order_;
  bool need_year_ = false;
  std::string_view s_;
  size_t pos_ = 0;
};

int64_t MinDate() { return DaysFromCivil(-4713, 11, 24); }
int64_t MaxDateExclusive() { return DaysFromCivil(5874898, 1, 1); }
int64_t MaxTimestampExclusive() { return DaysFromCivil(294277, 1, 1) * kUsecPerDay; }

int64_t LocalToday(const TimeZone& tz) {
  return FloorDiv(tz.UtcToLocal(CurrentTimestampTz()), kUsecPerDay);
}

// Local time (microseconds) of a parsed non-special value, without zone adjustment.
int64_t LocalUsec(const Fields& f) {
  int64_t days = DaysFromCivil(f.year, f.month, f.day);
  return (days * 86400 + f.hour * 3600 + f.minute * 60 + f.second) * kUsecPerSec + f.fsec;
}

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

int32_t ParseDate(std::string_view text, const TimeZone& tz, DateOrder order) {
  FieldParser parser(text, "date", order);
  Fields f = parser.Parse();
  switch (f.special) {
    case Special::kEpoch:
      return static_cast<int32_t>(DaysFromCivil(1970, 1, 1));
    case Special::kInfinity:
      return kDateNoEnd;
    case Special::kNegInfinity:
      return kDateNoBegin;
    case Special::kNow:
    case Special::kToday:
      return static_cast<int32_t>(LocalToday(tz));
    case Special::kTomorrow:
      return static_cast<int32_t>(LocalToday(tz) + 1);
    case Special::kYesterday:
      return static_cast<int32_t>(LocalToday(tz) - 1);
    case Special::kNone:
      break;
  }
  int64_t days = DaysFromCivil(f.year, f.month, f.day);
  if (!IsValidDate(days)) parser.OutOfRange();
  return static_cast<int32_t>(days);
}

namespace {

int64_t ParseTimestampImpl(std::string_view text, const TimeZone& tz, DateOrder order,
                           bool with_tz) {
  FieldParser parser(text, with_tz ? "timestamp with time zone" : "timestamp", order);
  Fields f = parser.Parse();
  // Local midnight of a day, as the type stores it.
  auto midnight = [&](int64_t local_days) {
    int64_t usec = local_days * kUsecPerDay;
    return with_tz ? tz.LocalToUtc(usec) : usec;
  };
  switch (f.special) {
    case Special::kEpoch:
      return DaysFromCivil(1970, 1, 1) * kUsecPerDay;
    case Special::kInfinity:
      return kTimestampNoEnd;
    case Special::kNegInfinity:
      return kTimestampNoBegin;
    case Special::kNow: {
      int64_t now = CurrentTimestampTz();
      return with_tz ? now : tz.UtcToLocal(now);
    }
    case Special::kToday:
      return midnight(LocalToday(tz));
    case Special::kTomorrow:
      return midnight(LocalToday(tz) + 1);
    case Special::kYesterday:
      return midnight(LocalToday(tz) - 1);
    case Special::kNone:
      break;
  }
  int64_t days = DaysFromCivil(f.year, f.month, f.day);
  if (!IsValidDate(days) || days > MaxTimestampExclusive() / kUsecPerDay + 1) {
    Throw(SqlState::kDatetimeFieldOverflow, "timestamp out of range: \"{}\"", text);
  }
  int64_t usec = LocalUsec(f);
  if (with_tz) {
    if (f.has_tz) {
      usec -= f.tz * kUsecPerSec;
    } else {
      usec = (f.zone != nullptr ? *f.zone : tz).LocalToUtc(usec);
    }
  }
  if (!IsValidTimestamp(usec)) {
    Throw(SqlState::kDatetimeFieldOverflow, "timestamp out of range: \"{}\"", text);
  }
  return usec;
}

}  // namespace

int64_t ParseTimestamp(std::string_view text, const TimeZone& tz, DateOrder order) {
  return ParseTimestampImpl(text, tz, order, false);
}

int64_t ParseTimestampTz(std::string_view text, const TimeZone& tz, DateOrder order) {
  return ParseTimestampImpl(text, tz, order, true);
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
