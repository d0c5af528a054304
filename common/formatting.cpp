#include "common/formatting.h"

#include <algorithm>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/ascii.h"
#include "common/datetime.h"
#include "common/error.h"
#include "common/utf8.h"

namespace activestore {
namespace {

constexpr int64_t kUsecPerSec = 1000000;
constexpr int64_t kUsecPerHour = int64_t{3600} * kUsecPerSec;
constexpr int64_t kUsecPerMinute = 60 * kUsecPerSec;
constexpr int kPostgresEpochJdate = 2451545;  // Julian day of 2000-01-01
constexpr int kUnixEpochJdate = 2440588;      // Julian day of 1970-01-01

// ---- the Julian-day calendar as PostgreSQL computes it ----
//
// Templates apply these to interval fields too (month 0, day 40...), so they must follow
// PostgreSQL's arithmetic for any input, not only for valid dates.

// Two's-complement int arithmetic, as PostgreSQL's int computations wrap.
int32_t Wrap(int64_t x) { return static_cast<int32_t>(static_cast<uint32_t>(x)); }

int Date2J(int64_t year_in, int64_t month_in, int64_t day_in) {
  int32_t year = Wrap(year_in), month = Wrap(month_in), day = Wrap(day_in);
  if (month > 2) {
    month += 1;
    year = Wrap(int64_t{year} + 4800);
  } else {
    month += 13;
    year = Wrap(int64_t{year} + 4799);
  }
  int32_t century = year / 100;
  int32_t julian = Wrap(int64_t{year} * 365 - 32167);
  julian = Wrap(int64_t{julian} + (year / 4 - century + century / 4));
  julian = Wrap(int64_t{julian} + 7834 * int64_t{month} / 256 + day);
  return julian;
}

void J2Date(int jd, int* year, int* month, int* day) {
  unsigned julian = static_cast<unsigned>(jd) + 32044;
  unsigned quad = julian / 146097;
  unsigned extra = (julian - quad * 146097) * 4 + 3;
  julian += 60 + quad * 3 + extra / 146097;
  quad = julian / 1461;
  julian -= quad * 1461;
  int y = static_cast<int>(julian * 4 / 1461);
  julian = ((y != 0) ? ((julian + 305) % 365) : ((julian + 306) % 366)) + 123;
  y += static_cast<int>(quad * 4);
  *year = y - 4800;
  quad = julian * 2141 / 65536;
  *day = static_cast<int>(julian - 7834 * quad / 256);
  *month = static_cast<int>((quad + 10) % 12 + 1);
}

int J2Day(int jd) {
  int d = (jd + 1) % 7;
  return d < 0 ? d + 7 : d;
}

// The Julian day of the Monday of ISO week `week` of ISO year `year`.
int IsoWeek2J(int year, int week) {
  int day4 = Date2J(year, 1, 4);
  int day0 = J2Day(day4 - 1);
  return (week - 1) * 7 + (day4 - day0);
}

int Date2IsoWeek(int year, int mon, int mday) {
  int dayn = Date2J(year, mon, mday);
  int day4 = Date2J(year, 1, 4);
  int day0 = J2Day(day4 - 1);
  if (dayn < day4 - day0) {
    day4 = Date2J(year - 1, 1, 4);
    day0 = J2Day(day4 - 1);
  }
  int result = (dayn - (day4 - day0)) / 7 + 1;
  if (result >= 52) {
    day4 = Date2J(year + 1, 1, 4);
    day0 = J2Day(day4 - 1);
    if (dayn >= day4 - day0) result = (dayn - (day4 - day0)) / 7 + 1;
  }
  return result;
}

int Date2IsoYear(int year, int mon, int mday) {
  int dayn = Date2J(year, mon, mday);
  int day4 = Date2J(year, 1, 4);
  int day0 = J2Day(day4 - 1);
  if (dayn < day4 - day0) {
    day4 = Date2J(year - 1, 1, 4);
    day0 = J2Day(day4 - 1);
    --year;
  }
  int result = (dayn - (day4 - day0)) / 7 + 1;
  if (result >= 52) {
    day4 = Date2J(year + 1, 1, 4);
    day0 = J2Day(day4 - 1);
    if (dayn >= day4 - day0) ++year;
  }
  return year;
}

int Date2IsoYearDay(int year, int mon, int mday) {
  return Date2J(year, mon, mday) - IsoWeek2J(Date2IsoYear(year, mon, mday), 1) + 1;
}

bool IsLeap(int y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

// ---- small text helpers ----

// C's "%0*d": zero padding to `width` characters including the sign.
std::string Pad(int64_t v, int width) {
  std::string digits = std::to_string(v);
  std::string out;
  if (v < 0) {
    out = "-";
    digits.erase(0, 1);
  }
  int n = static_cast<int>(digits.size() + out.size());
  if (n < width) out.append(width - n, '0');
  return out + digits;
}

// C's "%-*s".
std::string PadRight(std::string s, int width) {
  if (static_cast<int>(s.size()) < width) s.append(width - s.size(), ' ');
  return s;
}

std::string Upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}
std::string Lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// The length of the character at p (0 at the terminating NUL), never past the NUL.
size_t CharLen(const char* p) {
  if (*p == '\0') return 0;
  size_t n = Utf8Len(static_cast<unsigned char>(*p));
  for (size_t i = 1; i < n; ++i)
    if (p[i] == '\0') return i;
  return n;
}

// Printable ASCII that is neither a letter nor a digit: a separator in a date template.
bool IsSeparatorChar(const char* p) {
  char c = *p;
  return c > 0x20 && c < 0x7F && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') && !IsDigit(c);
}

const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",  "Jul",
                               "Aug", "Sep", "Oct", "Nov", "Dec", nullptr};
const char* const kMonthsFull[] = {"January",  "February", "March",  "April",     "May",
                                   "June",     "July",     "August", "September", "October",
                                   "November", "December", nullptr};
const char* const kDays[] = {"Sunday",   "Monday", "Tuesday",  "Wednesday",
                             "Thursday", "Friday", "Saturday", nullptr};
const char* const kDaysShort[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", nullptr};
// December first, so that a longer numeral is tried before its prefix.
const char* const kRomanMonthsUpper[] = {"XII", "XI", "X",   "IX", "VIII", "VII",  "VI",
                                         "V",   "IV", "III", "II", "I",    nullptr};
const char* const kRomanMonthsLower[] = {"xii", "xi", "x",   "ix", "viii", "vii",  "vi",
                                         "v",   "iv", "iii", "ii", "i",    nullptr};
const char* const kAmPm[] = {"am", "pm", "AM", "PM", nullptr};
const char* const kAmPmLong[] = {"a.m.", "p.m.", "A.M.", "P.M.", nullptr};
const char* const kAdBc[] = {"ad", "bc", "AD", "BC", nullptr};
const char* const kAdBcLong[] = {"a.d.", "b.c.", "A.D.", "B.C.", nullptr};

// ---- templates ----

enum class Key {
  // date/time
  kA_D,
  kA_M,
  kAD,
  kAM,
  kB_C,
  kBC,
  kCC,
  kDAY,
  kDDD,
  kDD,
  kDY,
  kDay,
  kDy,
  kD,
  kFF1,
  kFF2,
  kFF3,
  kFF4,
  kFF5,
  kFF6,
  kFX,
  kHH24,
  kHH12,
  kHH,
  kIDDD,
  kID,
  kIW,
  kIYYY,
  kIYY,
  kIY,
  kI,
  kJ,
  kMI,
  kMM,
  kMONTH,
  kMON,
  kMS,
  kMonth,
  kMon,
  kOF,
  kP_M,
  kPM,
  kQ,
  kRM,
  kSSSS,
  kSS,
  kTZH,
  kTZM,
  kTZ,
  kUS,
  kWW,
  kW,
  kY_YYY,
  kYYYY,
  kYYY,
  kYY,
  kY,
  ka_d,
  ka_m,
  kad,
  kam,
  kb_c,
  kbc,
  kday,
  kdy,
  kmonth,
  kmon,
  kp_m,
  kpm,
  krm,
  ktz,
  // numbers
  kNComma,
  kNDec,
  kN0,
  kN9,
  kNB,
  kNC,
  kND,
  kNE,
  kNFM,
  kNG,
  kNL,
  kNMI,
  kNPL,
  kNPR,
  kNRN,
  kNSG,
  kNSP,
  kNS,
  kNTH,
  kNV,
  kNrn,
  kNth,
};

// Which calendar a to_date field belongs to; mixing the Gregorian and ISO week ones is an error.
enum class DateMode { kNone, kGregorian, kIsoWeek };

struct KeyWord {
  const char* name;
  Key id;
  bool is_digit;  // the field is numeric (decides fixed-width reading in to_date)
  DateMode mode;
};

constexpr DateMode kNo = DateMode::kNone, kGr = DateMode::kGregorian, kIso = DateMode::kIsoWeek;

// Sorted by first character, longer names before their prefixes: the first entry that is a
// prefix of the template wins, as in PostgreSQL.
const KeyWord kDateKeywords[] = {
    {"A.D.", Key::kA_D, false, kNo},    {"A.M.", Key::kA_M, false, kNo},
    {"AD", Key::kAD, false, kNo},       {"AM", Key::kAM, false, kNo},
    {"B.C.", Key::kB_C, false, kNo},    {"BC", Key::kBC, false, kNo},
    {"CC", Key::kCC, true, kNo},        {"DAY", Key::kDAY, false, kNo},
    {"DDD", Key::kDDD, true, kGr},      {"DD", Key::kDD, true, kGr},
    {"DY", Key::kDY, false, kNo},       {"Day", Key::kDay, false, kNo},
    {"Dy", Key::kDy, false, kNo},       {"D", Key::kD, true, kGr},
    {"FF1", Key::kFF1, true, kNo},      {"FF2", Key::kFF2, true, kNo},
    {"FF3", Key::kFF3, true, kNo},      {"FF4", Key::kFF4, true, kNo},
    {"FF5", Key::kFF5, true, kNo},      {"FF6", Key::kFF6, true, kNo},
    {"FX", Key::kFX, false, kNo},       {"HH24", Key::kHH24, true, kNo},
    {"HH12", Key::kHH12, true, kNo},    {"HH", Key::kHH, true, kNo},
    {"IDDD", Key::kIDDD, true, kIso},   {"ID", Key::kID, true, kIso},
    {"IW", Key::kIW, true, kIso},       {"IYYY", Key::kIYYY, true, kIso},
    {"IYY", Key::kIYY, true, kIso},     {"IY", Key::kIY, true, kIso},
    {"I", Key::kI, true, kIso},         {"J", Key::kJ, true, kNo},
    {"MI", Key::kMI, true, kNo},        {"MM", Key::kMM, true, kGr},
    {"MONTH", Key::kMONTH, false, kGr}, {"MON", Key::kMON, false, kGr},
    {"MS", Key::kMS, true, kNo},        {"Month", Key::kMonth, false, kGr},
    {"Mon", Key::kMon, false, kGr},     {"OF", Key::kOF, false, kNo},
    {"P.M.", Key::kP_M, false, kNo},    {"PM", Key::kPM, false, kNo},
    {"Q", Key::kQ, true, kNo},          {"RM", Key::kRM, false, kGr},
    {"SSSSS", Key::kSSSS, true, kNo},   {"SSSS", Key::kSSSS, true, kNo},
    {"SS", Key::kSS, true, kNo},        {"TZH", Key::kTZH, false, kNo},
    {"TZM", Key::kTZM, true, kNo},      {"TZ", Key::kTZ, false, kNo},
    {"US", Key::kUS, true, kNo},        {"WW", Key::kWW, true, kGr},
    {"W", Key::kW, true, kGr},          {"Y,YYY", Key::kY_YYY, true, kGr},
    {"YYYY", Key::kYYYY, true, kGr},    {"YYY", Key::kYYY, true, kGr},
    {"YY", Key::kYY, true, kGr},        {"Y", Key::kY, true, kGr},
    {"a.d.", Key::ka_d, false, kNo},    {"a.m.", Key::ka_m, false, kNo},
    {"ad", Key::kad, false, kNo},       {"am", Key::kam, false, kNo},
    {"b.c.", Key::kb_c, false, kNo},    {"bc", Key::kbc, false, kNo},
    {"cc", Key::kCC, true, kNo},        {"day", Key::kday, false, kNo},
    {"ddd", Key::kDDD, true, kGr},      {"dd", Key::kDD, true, kGr},
    {"dy", Key::kdy, false, kNo},       {"d", Key::kD, true, kGr},
    {"ff1", Key::kFF1, true, kNo},      {"ff2", Key::kFF2, true, kNo},
    {"ff3", Key::kFF3, true, kNo},      {"ff4", Key::kFF4, true, kNo},
    {"ff5", Key::kFF5, true, kNo},      {"ff6", Key::kFF6, true, kNo},
    {"fx", Key::kFX, false, kNo},       {"hh24", Key::kHH24, true, kNo},
    {"hh12", Key::kHH12, true, kNo},    {"hh", Key::kHH, true, kNo},
    {"iddd", Key::kIDDD, true, kIso},   {"id", Key::kID, true, kIso},
    {"iw", Key::kIW, true, kIso},       {"iyyy", Key::kIYYY, true, kIso},
    {"iyy", Key::kIYY, true, kIso},     {"iy", Key::kIY, true, kIso},
    {"i", Key::kI, true, kIso},         {"j", Key::kJ, true, kNo},
    {"mi", Key::kMI, true, kNo},        {"mm", Key::kMM, true, kGr},
    {"month", Key::kmonth, false, kGr}, {"mon", Key::kmon, false, kGr},
    {"ms", Key::kMS, true, kNo},        {"of", Key::kOF, false, kNo},
    {"p.m.", Key::kp_m, false, kNo},    {"pm", Key::kpm, false, kNo},
    {"q", Key::kQ, true, kNo},          {"rm", Key::krm, false, kGr},
    {"sssss", Key::kSSSS, true, kNo},   {"ssss", Key::kSSSS, true, kNo},
    {"ss", Key::kSS, true, kNo},        {"tzh", Key::kTZH, false, kNo},
    {"tzm", Key::kTZM, true, kNo},      {"tz", Key::ktz, false, kNo},
    {"us", Key::kUS, true, kNo},        {"ww", Key::kWW, true, kGr},
    {"w", Key::kW, true, kGr},          {"y,yyy", Key::kY_YYY, true, kGr},
    {"yyyy", Key::kYYYY, true, kGr},    {"yyy", Key::kYYY, true, kGr},
    {"yy", Key::kYY, true, kGr},        {"y", Key::kY, true, kGr},
};

const KeyWord kNumKeywords[] = {
    {",", Key::kNComma, false, kNo}, {".", Key::kNDec, false, kNo},  {"0", Key::kN0, false, kNo},
    {"9", Key::kN9, false, kNo},     {"B", Key::kNB, false, kNo},    {"C", Key::kNC, false, kNo},
    {"D", Key::kND, false, kNo},     {"EEEE", Key::kNE, false, kNo}, {"FM", Key::kNFM, false, kNo},
    {"G", Key::kNG, false, kNo},     {"L", Key::kNL, false, kNo},    {"MI", Key::kNMI, false, kNo},
    {"PL", Key::kNPL, false, kNo},   {"PR", Key::kNPR, false, kNo},  {"RN", Key::kNRN, false, kNo},
    {"SG", Key::kNSG, false, kNo},   {"SP", Key::kNSP, false, kNo},  {"S", Key::kNS, false, kNo},
    {"TH", Key::kNTH, false, kNo},   {"V", Key::kNV, false, kNo},    {"b", Key::kNB, false, kNo},
    {"c", Key::kNC, false, kNo},     {"d", Key::kND, false, kNo},    {"eeee", Key::kNE, false, kNo},
    {"fm", Key::kNFM, false, kNo},   {"g", Key::kNG, false, kNo},    {"l", Key::kNL, false, kNo},
    {"mi", Key::kNMI, false, kNo},   {"pl", Key::kNPL, false, kNo},  {"pr", Key::kNPR, false, kNo},
    {"rn", Key::kNrn, false, kNo},   {"sg", Key::kNSG, false, kNo},  {"sp", Key::kNSP, false, kNo},
    {"s", Key::kNS, false, kNo},     {"th", Key::kNth, false, kNo},  {"v", Key::kNV, false, kNo},
};

// Modifiers of a date/time field.
constexpr int kSuffixFM = 0x01;  // fill mode: no padding
constexpr int kSuffixTH = 0x02;  // upper-case ordinal suffix
constexpr int kSuffixth = 0x04;  // lower-case ordinal suffix
constexpr int kSuffixSP = 0x08;  // spell mode: accepted, does nothing (as PostgreSQL)
constexpr int kSuffixTM = 0x10;  // translation mode: the C locale's names anyway

struct Suffix {
  const char* name;
  int id;
  bool prefix;
};
const Suffix kSuffixes[] = {
    {"FM", kSuffixFM, true},  {"fm", kSuffixFM, true},  {"TM", kSuffixTM, true},
    {"tm", kSuffixTM, true},  {"TH", kSuffixTH, false}, {"th", kSuffixth, false},
    {"SP", kSuffixSP, false},
};

enum class NodeType { kAction, kChar, kSeparator, kSpace };

struct Node {
  NodeType type;
  const KeyWord* key = nullptr;
  int suffix = 0;
  std::string chars;  // kChar / kSeparator / kSpace: the template character
};

bool StartsWith(const char* s, const char* prefix) {
  return std::strncmp(s, prefix, std::strlen(prefix)) == 0;
}

template <size_t N>
const KeyWord* FindKeyword(const char* s, const KeyWord (&table)[N]) {
  unsigned char c = static_cast<unsigned char>(*s);
  if (c <= ' ' || c >= '~') return nullptr;
  for (const KeyWord& k : table)
    if (StartsWith(s, k.name)) return &k;
  return nullptr;
}

const Suffix* FindSuffix(const char* s, bool prefix) {
  for (const Suffix& x : kSuffixes)
    if (x.prefix == prefix && StartsWith(s, x.name)) return &x;
  return nullptr;
}

// The template as a list of fields and literal characters (PostgreSQL's parse_format):
// "..." quotes literal text (\ escapes the next character inside it), \" outside is a quote.
std::vector<Node> ParseTemplate(const std::string& fmt, bool date) {
  std::vector<Node> nodes;
  const char* s = fmt.c_str();
  while (*s) {
    int suffix = 0;
    if (date) {
      if (const Suffix* x = FindSuffix(s, true)) {
        suffix |= x->id;
        s += std::strlen(x->name);
      }
    }
    const KeyWord* key =
        *s ? (date ? FindKeyword(s, kDateKeywords) : FindKeyword(s, kNumKeywords)) : nullptr;
    if (key != nullptr) {
      Node n{NodeType::kAction, key, suffix, {}};
      s += std::strlen(key->name);
      if (date && *s) {
        if (const Suffix* x = FindSuffix(s, false)) {
          n.suffix |= x->id;
          s += std::strlen(x->name);
        }
      }
      nodes.push_back(std::move(n));
    } else if (*s) {
      if (*s == '"') {
        ++s;
        while (*s) {
          if (*s == '"') {
            ++s;
            break;
          }
          if (*s == '\\' && s[1]) ++s;
          size_t len = CharLen(s);
          nodes.push_back({NodeType::kChar, nullptr, 0, std::string(s, len)});
          s += len;
        }
      } else {
        if (*s == '\\' && s[1] == '"') ++s;
        size_t len = CharLen(s);
        NodeType t = date && IsSeparatorChar(s) ? NodeType::kSeparator
                     : IsSpace(*s)              ? NodeType::kSpace
                                                : NodeType::kChar;
        nodes.push_back({t, nullptr, 0, std::string(s, len)});
        s += len;
      }
    }
  }
  return nodes;
}

// ---- to_char for timestamps and intervals ----

// The broken-down value a date/time template prints (PostgreSQL's pg_tm plus fsec and zone).
struct TmValue {
  int64_t year = 0;  // astronomical for timestamps (0 = 1 BC); months / 12 for intervals
  int64_t mon = 0, mday = 0, hour = 0, min = 0, sec = 0, fsec = 0;
  int64_t wday = 0, yday = 0;
  int64_t gmtoff = 0;  // seconds east of UTC
  const std::string* tzn = nullptr;
};

// "st", "nd", "rd", "th" for the number ending `num`.
std::string OrdinalSuffix(const std::string& num, bool upper) {
  if (num.empty() || !IsDigit(num.back())) {
    Throw(SqlState::kInvalidTextRepresentation, "\"{}\" is not a number", num);
  }
  char last = num.back();
  if (num.size() > 1 && num[num.size() - 2] == '1') last = '0';  // the teens take "th"
  const char* s = last == '1' ? "st" : last == '2' ? "nd" : last == '3' ? "rd" : "th";
  return upper ? Upper(s) : s;
}

int64_t AdjustYear(int64_t year, bool is_interval) {
  return is_interval ? year : (year <= 0 ? -(year - 1) : year);
}

[[noreturn]] void InvalidForInterval() {
  throw Error(SqlState::kInvalidDatetimeFormat,
              "invalid format specification for an interval value")
      .Hint("Intervals are not tied to specific calendar dates.");
}

std::string DateToChar(const std::vector<Node>& nodes, const TmValue& tm, bool is_interval) {
  std::string out;
  for (const Node& n : nodes) {
    if (n.type != NodeType::kAction) {
      out += n.chars;
      continue;
    }
    const bool fm = n.suffix & kSuffixFM;
    const int th = n.suffix & (kSuffixTH | kSuffixth);
    std::string s;         // the field's text
    bool numeric = false;  // takes TH/th
    auto width = [&](int w, int64_t v) { return fm ? 0 : (v >= 0 ? w : w + 1); };
    switch (n.key->id) {
      case Key::kA_M:
      case Key::kP_M:
        s = tm.hour % 24 >= 12 ? "P.M." : "A.M.";
        break;
      case Key::kAM:
      case Key::kPM:
        s = tm.hour % 24 >= 12 ? "PM" : "AM";
        break;
      case Key::ka_m:
      case Key::kp_m:
        s = tm.hour % 24 >= 12 ? "p.m." : "a.m.";
        break;
      case Key::kam:
      case Key::kpm:
        s = tm.hour % 24 >= 12 ? "pm" : "am";
        break;
      case Key::kHH:
      case Key::kHH12:
        // The 12-hour clock, even for intervals.
        s = Pad(tm.hour % 12 == 0 ? 12 : tm.hour % 12, width(2, tm.hour));
        numeric = true;
        break;
      case Key::kHH24:
        s = Pad(tm.hour, width(2, tm.hour));
        numeric = true;
        break;
      case Key::kMI:
        s = Pad(tm.min, width(2, tm.min));
        numeric = true;
        break;
      case Key::kSS:
        s = Pad(tm.sec, width(2, tm.sec));
        numeric = true;
        break;
      case Key::kFF1:
        s = Pad(tm.fsec / 100000, 1);
        numeric = true;
        break;
      case Key::kFF2:
        s = Pad(tm.fsec / 10000, 2);
        numeric = true;
        break;
      case Key::kFF3:
      case Key::kMS:
        s = Pad(tm.fsec / 1000, 3);
        numeric = true;
        break;
      case Key::kFF4:
        s = Pad(tm.fsec / 100, 4);
        numeric = true;
        break;
      case Key::kFF5:
        s = Pad(tm.fsec / 10, 5);
        numeric = true;
        break;
      case Key::kFF6:
      case Key::kUS:
        s = Pad(tm.fsec, 6);
        numeric = true;
        break;
      case Key::kSSSS:
        s = std::to_string(tm.hour * 3600 + tm.min * 60 + tm.sec);
        numeric = true;
        break;
      case Key::ktz:
        if (is_interval) InvalidForInterval();
        if (tm.tzn) s = Lower(*tm.tzn);
        break;
      case Key::kTZ:
        if (is_interval) InvalidForInterval();
        if (tm.tzn) s = *tm.tzn;
        break;
      case Key::kTZH:
        if (is_interval) InvalidForInterval();
        s = (tm.gmtoff >= 0 ? "+" : "-") + Pad(std::abs(tm.gmtoff) / 3600, 2);
        break;
      case Key::kTZM:
        if (is_interval) InvalidForInterval();
        s = Pad(std::abs(tm.gmtoff) % 3600 / 60, 2);
        break;
      case Key::kOF:
        if (is_interval) InvalidForInterval();
        s = (tm.gmtoff >= 0 ? "+" : "-") + Pad(std::abs(tm.gmtoff) / 3600, fm ? 0 : 2);
        if (std::abs(tm.gmtoff) % 3600 != 0) s += ":" + Pad(std::abs(tm.gmtoff) % 3600 / 60, 2);
        break;
      case Key::kA_D:
      case Key::kB_C:
        if (is_interval) InvalidForInterval();
        s = tm.year <= 0 ? "B.C." : "A.D.";
        break;
      case Key::kAD:
      case Key::kBC:
        if (is_interval) InvalidForInterval();
        s = tm.year <= 0 ? "BC" : "AD";
        break;
      case Key::ka_d:
      case Key::kb_c:
        if (is_interval) InvalidForInterval();
        s = tm.year <= 0 ? "b.c." : "a.d.";
        break;
      case Key::kad:
      case Key::kbc:
        if (is_interval) InvalidForInterval();
        s = tm.year <= 0 ? "bc" : "ad";
        break;
      case Key::kMONTH:
      case Key::kMonth:
      case Key::kmonth: {
        if (is_interval) InvalidForInterval();
        if (!tm.mon) break;
        std::string name = kMonthsFull[tm.mon - 1];
        if (n.key->id == Key::kMONTH) name = Upper(name);
        if (n.key->id == Key::kmonth) name = Lower(name);
        s = fm || (n.suffix & kSuffixTM) ? name : PadRight(name, 9);  // TM does not pad
        break;
      }
      case Key::kMON:
      case Key::kMon:
      case Key::kmon: {
        if (is_interval) InvalidForInterval();
        if (!tm.mon) break;
        s = kMonths[tm.mon - 1];
        if (n.key->id == Key::kMON) s = Upper(s);
        if (n.key->id == Key::kmon) s = Lower(s);
        break;
      }
      case Key::kMM:
        s = Pad(tm.mon, width(2, tm.mon));
        numeric = true;
        break;
      case Key::kDAY:
      case Key::kDay:
      case Key::kday: {
        if (is_interval) InvalidForInterval();
        std::string name = kDays[tm.wday];
        if (n.key->id == Key::kDAY) name = Upper(name);
        if (n.key->id == Key::kday) name = Lower(name);
        s = fm || (n.suffix & kSuffixTM) ? name : PadRight(name, 9);  // TM does not pad
        break;
      }
      case Key::kDY:
      case Key::kDy:
      case Key::kdy:
        if (is_interval) InvalidForInterval();
        s = kDaysShort[tm.wday];
        if (n.key->id == Key::kDY) s = Upper(s);
        if (n.key->id == Key::kdy) s = Lower(s);
        break;
      case Key::kDDD:
        s = Pad(tm.yday, fm ? 0 : 3);
        numeric = true;
        break;
      case Key::kIDDD:
        s = Pad(Date2IsoYearDay(static_cast<int>(tm.year), static_cast<int>(tm.mon),
                                static_cast<int>(tm.mday)),
                fm ? 0 : 3);
        numeric = true;
        break;
      case Key::kDD:
        s = Pad(tm.mday, fm ? 0 : 2);
        numeric = true;
        break;
      case Key::kD:
        if (is_interval) InvalidForInterval();
        s = std::to_string(tm.wday + 1);
        numeric = true;
        break;
      case Key::kID:
        if (is_interval) InvalidForInterval();
        s = std::to_string(tm.wday == 0 ? 7 : tm.wday);
        numeric = true;
        break;
      case Key::kWW:
        s = Pad((tm.yday - 1) / 7 + 1, fm ? 0 : 2);
        numeric = true;
        break;
      case Key::kIW:
        s = Pad(Date2IsoWeek(static_cast<int>(tm.year), static_cast<int>(tm.mon),
                             static_cast<int>(tm.mday)),
                fm ? 0 : 2);
        numeric = true;
        break;
      case Key::kQ:
        if (!tm.mon) break;
        s = std::to_string((tm.mon - 1) / 3 + 1);
        numeric = true;
        break;
      case Key::kCC: {
        int64_t i;
        if (is_interval)
          i = tm.year / 100;
        else if (tm.year > 0)
          i = (tm.year - 1) / 100 + 1;  // century 20 is 1901 - 2000
        else
          i = tm.year / 100 - 1;  // century 6 BC is 600 BC - 501 BC
        s = i <= 99 && i >= -99 ? Pad(i, width(2, i)) : std::to_string(i);
        numeric = true;
        break;
      }
      case Key::kY_YYY: {
        int64_t y = AdjustYear(tm.year, is_interval);
        int64_t i = y / 1000;
        s = std::to_string(i) + "," + Pad(y - i * 1000, 3);
        numeric = true;
        break;
      }
      case Key::kYYYY:
      case Key::kIYYY:
      case Key::kYYY:
      case Key::kIYY:
      case Key::kYY:
      case Key::kIY:
      case Key::kY:
      case Key::kI: {
        Key id = n.key->id;
        bool iso = id == Key::kIYYY || id == Key::kIYY || id == Key::kIY || id == Key::kI;
        int64_t adj = AdjustYear(tm.year, is_interval);
        int64_t y =
            iso ? AdjustYear(Date2IsoYear(static_cast<int>(tm.year), static_cast<int>(tm.mon),
                                          static_cast<int>(tm.mday)),
                             is_interval)
                : adj;
        if (id == Key::kYYYY || id == Key::kIYYY)
          s = Pad(y, fm ? 0 : (adj >= 0 ? 4 : 5));
        else if (id == Key::kYYY || id == Key::kIYY)
          s = Pad(y % 1000, fm ? 0 : (adj >= 0 ? 3 : 4));
        else if (id == Key::kYY || id == Key::kIY)
          s = Pad(y % 100, fm ? 0 : (adj >= 0 ? 2 : 3));
        else
          s = Pad(y % 10, 1);
        numeric = true;
        break;
      }
      case Key::kRM:
      case Key::krm: {
        // Intervals of whole years have month 0 and still print a numeral.
        if (!tm.mon && !tm.year) break;
        const char* const* names = n.key->id == Key::kRM ? kRomanMonthsUpper : kRomanMonthsLower;
        int64_t pos;
        if (tm.mon == 0)
          pos = tm.year >= 0 ? 0 : 11;
        else if (tm.mon < 0)
          pos = -(tm.mon + 1);  // -1 is December
        else
          pos = 12 - tm.mon;
        s = fm ? names[pos] : PadRight(names[pos], 4);
        break;
      }
      case Key::kW:
        s = std::to_string((tm.mday - 1) / 7 + 1);
        numeric = true;
        break;
      case Key::kJ:
        s = std::to_string(Date2J(tm.year, tm.mon, tm.mday));
        numeric = true;
        break;
      default:  // FX and the like print nothing
        break;
    }
    if (numeric && th) s += OrdinalSuffix(s, th & kSuffixTH);
    out += s;
  }
  return out;
}

// ---- to_date / to_timestamp ----

// The fields read from the text (PostgreSQL's TmFromChar); 0 means "not given".
struct FromChar {
  DateMode mode = DateMode::kNone;
  int hh = 0, pm = 0, mi = 0, ss = 0, ssss = 0, d = 0, dd = 0, ddd = 0, mm = 0, ms = 0;
  int year = 0, bc = 0, ww = 0, w = 0, cc = 0, j = 0, us = 0, yysz = 0, tzsign = 0, tzh = 0,
      tzm = 0, ff = 0;
  bool clock12 = false;
};

void SetMode(FromChar* out, DateMode mode) {
  if (mode == DateMode::kNone) return;
  if (out->mode == DateMode::kNone) {
    out->mode = mode;
  } else if (out->mode != mode) {
    throw Error(SqlState::kInvalidDatetimeFormat, "invalid combination of date conventions")
        .Hint("Do not mix Gregorian and ISO week date conventions in a formatting template.");
  }
}

void SetInt(int* dest, int value, const Node& n) {
  if (*dest != 0 && *dest != value) {
    throw Error(
        SqlState::kInvalidDatetimeFormat,
        fmt::format("conflicting values for \"{}\" field in formatting string", n.key->name))
        .Detail("This value contradicts a previous setting for the same field type.");
  }
  *dest = value;
}

// C's strtol: optional spaces and sign, then digits. Returns the characters used (0 if there
// are no digits); *overflow when the value leaves the long range.
size_t StrToLong(const char* s, long* value, bool* overflow) {
  const char* p = s;
  while (IsSpace(*p)) ++p;
  bool neg = false;
  if (*p == '+' || *p == '-') neg = *p++ == '-';
  if (!IsDigit(*p)) {
    *value = 0;
    return 0;
  }
  __int128 v = 0;
  *overflow = false;
  while (IsDigit(*p)) {
    if (v < (__int128{1} << 70)) v = v * 10 + (*p - '0');
    ++p;
  }
  if (neg) v = -v;
  if (v > LONG_MAX || v < LONG_MIN) *overflow = true;
  *value = static_cast<long>(v > LONG_MAX ? LONG_MAX : v < LONG_MIN ? LONG_MIN : v);
  return static_cast<size_t>(p - s);
}

// Whether the field after node i cannot start with a digit, so node i may read any number of
// digits.
bool IsNextSeparator(const std::vector<Node>& nodes, size_t i) {
  const Node& n = nodes[i];
  if (n.type == NodeType::kAction && (n.suffix & (kSuffixTH | kSuffixth))) return true;
  if (i + 1 >= nodes.size()) return true;
  const Node& next = nodes[i + 1];
  if (next.type == NodeType::kAction) return !next.key->is_digit;
  if (next.chars.size() == 1 && IsDigit(next.chars[0])) return false;
  return true;
}

// Reads an integer field of `len` characters (any length in FM mode or before a non-digit);
// returns the characters consumed.
int ParseIntField(int* dest, const char** src, int len, const std::vector<Node>& nodes, size_t i) {
  const Node& n = nodes[i];
  const char* init = *src;
  while (IsSpace(**src)) ++*src;
  std::string copy;
  for (const char* p = *src; *p && static_cast<int>(copy.size()) < len; ++p) copy += *p;
  long result = 0;
  bool overflow = false;
  if ((n.suffix & kSuffixFM) || IsNextSeparator(nodes, i)) {
    *src = init + StrToLong(init, &result, &overflow);
  } else {
    int used = static_cast<int>(copy.size());
    if (used < len) {
      throw Error(SqlState::kInvalidDatetimeFormat,
                  fmt::format("source string too short for \"{}\" formatting field", n.key->name))
          .Detail(fmt::format("Field requires {} characters, but only {} remain.", len, used))
          .Hint("If your source string is not fixed-width, try using the \"FM\" modifier.");
    }
    used = static_cast<int>(StrToLong(copy.c_str(), &result, &overflow));
    if (used > 0 && used < len) {
      throw Error(SqlState::kInvalidDatetimeFormat,
                  fmt::format("invalid value \"{}\" for \"{}\"", copy, n.key->name))
          .Detail(
              fmt::format("Field requires {} characters, but only {} could be parsed.", len, used))
          .Hint("If your source string is not fixed-width, try using the \"FM\" modifier.");
    }
    *src += used;
  }
  if (*src == init) {
    throw Error(SqlState::kInvalidDatetimeFormat,
                fmt::format("invalid value \"{}\" for \"{}\"", copy, n.key->name))
        .Detail("Value must be an integer.");
  }
  if (overflow || result < INT_MIN || result > INT_MAX) {
    throw Error(SqlState::kDatetimeFieldOverflow,
                fmt::format("value for \"{}\" in source string is out of range", n.key->name))
        .Detail(fmt::format("Value must be in the range {} to {}.", INT_MIN, INT_MAX));
  }
  if (dest != nullptr) SetInt(dest, static_cast<int>(result), n);
  return static_cast<int>(*src - init);
}

int ParseIntField(int* dest, const char** src, const std::vector<Node>& nodes, size_t i) {
  return ParseIntField(dest, src, static_cast<int>(std::strlen(nodes[i].key->name)), nodes, i);
}

// Matches one of `names` case-insensitively at *src; returns its index.
int MatchName(const char** src, const char* const* names, const Node& n) {
  for (int i = 0; names[i]; ++i) {
    size_t len = std::strlen(names[i]);
    bool ok = true;
    for (size_t k = 0; k < len && ok; ++k) {
      char a = (*src)[k];
      if (a == '\0') ok = false;
      char la = a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a;
      char b = names[i][k];
      char lb = b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b;
      if (la != lb) ok = false;
    }
    if (ok) {
      *src += len;
      return i;
    }
  }
  // The error shows the text up to the next space.
  std::string copy;
  for (const char* p = *src; *p && !IsSpace(*p); ++p) copy += *p;
  throw Error(SqlState::kInvalidDatetimeFormat,
              fmt::format("invalid value \"{}\" for \"{}\"", copy, n.key->name))
      .Detail("The given value did not match any of the allowed values for this field.");
}

void SkipTh(const char** s, int suffix) {
  if (suffix & (kSuffixTH | kSuffixth)) {
    for (int k = 0; k < 2; ++k)
      if (**s) *s += CharLen(*s);
  }
}

int AdjustPartialYear(int year) {
  // Toward 2020: '70' is 1970, '69' is 2069.
  if (year < 70) return year + 2000;
  if (year < 100) return year + 1900;
  if (year < 520) return year + 2000;
  if (year < 1000) return year + 1000;
  return year;
}

void ParseFields(const std::vector<Node>& nodes, const char* in, FromChar* out) {
  bool fx = false;
  int extra_skip = 0;
  const char* s = in;
  for (size_t i = 0; i < nodes.size() && *s; ++i) {
    const Node& n = nodes[i];
    // Spaces at the start of the text and before fields are skipped outside FX mode.
    if (!fx && (n.type != NodeType::kAction || n.key->id != Key::kFX) &&
        (n.type == NodeType::kAction || i == 0)) {
      while (*s && IsSpace(*s)) {
        ++s;
        ++extra_skip;
      }
    }
    if (n.type == NodeType::kSpace || n.type == NodeType::kSeparator) {
      if (!fx) {
        // A template space or separator matches one space or separator of the text, or
        // nothing.
        --extra_skip;
        if (IsSpace(*s) || IsSeparatorChar(s)) {
          ++s;
          ++extra_skip;
        }
      } else {
        s += CharLen(s);  // FX: exactly one character, whatever it is
      }
      continue;
    }
    if (n.type != NodeType::kAction) {
      // Literal text consumes one character without comparing it, unless spaces skipped
      // before may have stood for it.
      if (!fx && extra_skip > 0)
        --extra_skip;
      else
        s += CharLen(s);
      continue;
    }
    SetMode(out, n.key->mode);
    int value = 0;
    int len;
    switch (n.key->id) {
      case Key::kFX:
        fx = true;
        break;
      case Key::kA_M:
      case Key::kP_M:
      case Key::ka_m:
      case Key::kp_m:
        value = MatchName(&s, kAmPmLong, n);
        SetInt(&out->pm, value % 2, n);
        out->clock12 = true;
        break;
      case Key::kAM:
      case Key::kPM:
      case Key::kam:
      case Key::kpm:
        value = MatchName(&s, kAmPm, n);
        SetInt(&out->pm, value % 2, n);
        out->clock12 = true;
        break;
      case Key::kHH:
      case Key::kHH12:
        ParseIntField(&out->hh, &s, 2, nodes, i);
        out->clock12 = true;
        SkipTh(&s, n.suffix);
        break;
      case Key::kHH24:
        ParseIntField(&out->hh, &s, 2, nodes, i);
        SkipTh(&s, n.suffix);
        break;
      case Key::kMI:
        ParseIntField(&out->mi, &s, nodes, i);
        SkipTh(&s, n.suffix);
        break;
      case Key::kSS:
        ParseIntField(&out->ss, &s, nodes, i);
        SkipTh(&s, n.suffix);
        break;
      case Key::kMS:
        len = ParseIntField(&out->ms, &s, 3, nodes, i);
        // "25" is 0.25 s, as "250"; "025" is 0.025 s.
        out->ms *= len == 1 ? 100 : len == 2 ? 10 : 1;
        SkipTh(&s, n.suffix);
        break;
      case Key::kFF1:
      case Key::kFF2:
      case Key::kFF3:
      case Key::kFF4:
      case Key::kFF5:
      case Key::kFF6:
      case Key::kUS: {
        if (n.key->id != Key::kUS)
          out->ff = static_cast<int>(n.key->id) - static_cast<int>(Key::kFF1) + 1;
        len = ParseIntField(&out->us, &s, n.key->id == Key::kUS ? 6 : out->ff, nodes, i);
        static const int kScale[] = {1, 100000, 10000, 1000, 100, 10, 1};
        out->us *= len >= 1 && len <= 6 ? kScale[len] : 1;
        SkipTh(&s, n.suffix);
        break;
      }
      case Key::kSSSS:
        ParseIntField(&out->ssss, &s, nodes, i);
        SkipTh(&s, n.suffix);
        break;
      case Key::ktz:
      case Key::kTZ:
      case Key::kOF:
        Throw(SqlState::kFeatureNotSupported,
              "formatting field \"{}\" is only supported in to_char", n.key->name);
      case Key::kTZH:
        // The sign may have been skipped as a separator; take a skipped '-' back.
        if (*s == '+' || *s == '-' || *s == ' ') {
          out->tzsign = *s == '-' ? -1 : 1;
          ++s;
        } else {
          out->tzsign = extra_skip > 0 && s > in && s[-1] == '-' ? -1 : 1;
        }
        ParseIntField(&out->tzh, &s, 2, nodes, i);
        break;
      case Key::kTZM:
        if (!out->tzsign) out->tzsign = 1;
        ParseIntField(&out->tzm, &s, 2, nodes, i);
        break;
      case Key::kA_D:
      case Key::kB_C:
      case Key::ka_d:
      case Key::kb_c:
        value = MatchName(&s, kAdBcLong, n);
        SetInt(&out->bc, value % 2, n);
        break;
      case Key::kAD:
      case Key::kBC:
      case Key::kad:
      case Key::kbc:
        value = MatchName(&s, kAdBc, n);
        SetInt(&out->bc, value % 2, n);
        break;
      case Key::kMONTH:
      case Key::kMonth:
      case Key::kmonth:
        value = MatchName(&s, kMonthsFull, n);
        SetInt(&out->mm, value + 1, n);
        break;
      case Key::kMON:
      case Key::kMon:
      case Key::kmon:
        value = MatchName(&s, kMonths, n);
        SetInt(&out->mm, value + 1, n);
        break;
      case Key::kMM:
        ParseIntField(&out->mm, &s, nodes, i);
        SkipTh(&s, n.suffix);
        break;
      case Key::kDAY:
      case Key::kDay:
      case Key::kday:
        value = MatchName(&s, kDays, n);
        SetInt(&out->d, value, n);
        out->d++;
        break;
      case Key::kDY:
      case Key::kDy:
      case Key::kdy:
        value = MatchName(&s, kDaysShort, n);
        SetInt(&out->d, value, n);
        out->d++;
        break;
      case Key::kDDD:
        ParseIntField(&out->ddd, &s, nodes, i);
        SkipTh(&s, n.suffix);
        break;
      case Key::kIDDD:
        ParseIntField(&out->ddd, &s, 3, nodes, i);
        SkipTh(&s, n.suffix);
        break;
      case Key::kDD:
        ParseIntField(&out->dd, &s, nodes, i);
        SkipTh(&s, n.suffix);
        break;
      case Key::kD:
        ParseIntField(&out->d, &s, nodes, i);
        SkipTh(&s, n.suffix);
        break;
      case Key::kID:
        ParseIntField(&out->d, &s, 1, nodes, i);
        // ISO Monday 1 .. Sunday 7 -> Sunday 1 .. Saturday 7.
        if (++out->d > 7) out->d = 1;
        SkipTh(&s, n.suffix);
        break;
      case Key::kWW:
      case Key::kIW:
        ParseIntField(&out->ww, &s, nodes, i);
        SkipTh(&s, n.suffix);
        break;
      case Key::kQ:
        // Read and ignored: which date of the quarter would it be?
        ParseIntField(nullptr, &s, nodes, i);
        SkipTh(&s, n.suffix);
        break;
      case Key::kCC:
        ParseIntField(&out->cc, &s, nodes, i);
        SkipTh(&s, n.suffix);
        break;
      case Key::kY_YYY: {
        // "%d,%03d": thousands, a comma, then up to three digits.
        long millennia = 0, years = 0;
        bool overflow = false;
        size_t a = StrToLong(s, &millennia, &overflow);
        size_t b = 0;
        if (a > 0 && s[a] == ',') {
          std::string three;
          const char* p = s + a + 1;
          while (IsSpace(*p)) three += *p++;
          int width = 3;  // "%03d": the sign counts toward the three characters
          if (*p == '+' || *p == '-') {
            three += *p++;
            --width;
          }
          for (int k = 0; k < width && IsDigit(*p); ++k) three += *p++;
          b = StrToLong(three.c_str(), &years, &overflow);
          if (b > 0) b = three.size();
        }
        if (a == 0 || b == 0) {
          Throw(SqlState::kInvalidDatetimeFormat, "invalid input string for \"Y,YYY\"");
        }
        SetInt(&out->year, static_cast<int>(years + millennia * 1000), n);
        out->yysz = 4;
        s += a + 1 + b;
        SkipTh(&s, n.suffix);
        break;
      }
      case Key::kYYYY:
      case Key::kIYYY:
        ParseIntField(&out->year, &s, nodes, i);
        out->yysz = 4;
        SkipTh(&s, n.suffix);
        break;
      case Key::kYYY:
      case Key::kIYY:
      case Key::kYY:
      case Key::kIY:
      case Key::kY:
      case Key::kI: {
        len = ParseIntField(&out->year, &s, nodes, i);
        if (len < 4) out->year = AdjustPartialYear(out->year);
        Key id = n.key->id;
        out->yysz = id == Key::kYYY || id == Key::kIYY ? 3
                    : id == Key::kYY || id == Key::kIY ? 2
                                                       : 1;
        SkipTh(&s, n.suffix);
        break;
      }
      case Key::kRM:
      case Key::krm:
        value = MatchName(&s, kRomanMonthsLower, n);
        SetInt(&out->mm, 12 - value, n);
        break;
      case Key::kW:
        ParseIntField(&out->w, &s, nodes, i);
        SkipTh(&s, n.suffix);
        break;
      case Key::kJ:
        ParseIntField(&out->j, &s, nodes, i);
        SkipTh(&s, n.suffix);
        break;
      default:
        break;
    }
    // Spaces after a field are skipped outside FX mode.
    if (!fx) {
      extra_skip = 0;
      while (*s && IsSpace(*s)) {
        ++s;
        ++extra_skip;
      }
    }
  }
}

struct ParsedTime {
  int year = 0, mon = 1, mday = 1, hour = 0, min = 0, sec = 0;
  int64_t fsec = 0;
  bool has_tz = false;
  int64_t tz_east = 0;
  int fprec = 0;
};

[[noreturn]] void FieldOverflow(const std::string& text) {
  Throw(SqlState::kDatetimeFieldOverflow, "date/time field value out of range: \"{}\"", text);
}

// PostgreSQL's do_to_timestamp: the fields of the text combined into a date and time.
ParsedTime DoToTimestamp(const std::string& text, std::string_view fmt) {
  FromChar f;
  if (!fmt.empty()) ParseFields(ParseTemplate(std::string(fmt), true), text.c_str(), &f);
  ParsedTime tm;
  constexpr int kYear = 1, kMonth = 2, kDay = 4, kDateMask = 7;
  int fmask = 0;
  if (f.ssss) {
    int x = f.ssss;
    tm.hour = x / 3600;
    x %= 3600;
    tm.min = x / 60;
    tm.sec = x % 60;
  }
  if (f.ss) tm.sec = f.ss;
  if (f.mi) tm.min = f.mi;
  if (f.hh) tm.hour = f.hh;
  if (f.clock12) {
    if (tm.hour < 1 || tm.hour > 12) {
      throw Error(SqlState::kInvalidDatetimeFormat,
                  fmt::format("hour \"{}\" is invalid for the 12-hour clock", tm.hour))
          .Hint("Use the 24-hour clock, or give an hour between 1 and 12.");
    }
    if (f.pm && tm.hour < 12)
      tm.hour += 12;
    else if (!f.pm && tm.hour == 12)
      tm.hour = 0;
  }
  if (f.year) {
    if (f.cc && f.yysz <= 2) {
      // YY within the century CC; the 21st century is 2001-2100, the 6th BC 600-501 BC.
      if (f.bc) f.cc = -f.cc;
      tm.year = f.year % 100;
      if (tm.year) {
        if (f.cc >= 0)
          tm.year += (f.cc - 1) * 100;
        else
          tm.year = (f.cc + 1) * 100 - tm.year + 1;
      } else {
        tm.year = f.cc * 100 + (f.cc >= 0 ? 0 : 1);
      }
    } else {
      tm.year = f.year;
      if (f.bc) tm.year = -tm.year;
      if (tm.year < 0) tm.year++;  // astronomical numbering: 1 BC is year 0
    }
    fmask |= kYear;
  } else if (f.cc) {
    if (f.bc) f.cc = -f.cc;
    tm.year = f.cc >= 0 ? (f.cc - 1) * 100 + 1 : f.cc * 100 + 1;
    fmask |= kYear;
  }
  if (f.j) {
    J2Date(f.j, &tm.year, &tm.mon, &tm.mday);
    fmask |= kDateMask;
  }
  if (f.ww) {
    if (f.mode == DateMode::kIsoWeek) {
      int jday = IsoWeek2J(tm.year, f.ww);
      if (f.d) jday += f.d > 1 ? f.d - 2 : 6;  // Sunday-based day to ISO Monday-based
      J2Date(jday, &tm.year, &tm.mon, &tm.mday);
      fmask |= kDateMask;
    } else {
      f.ddd = (f.ww - 1) * 7 + 1;
    }
  }
  if (f.w) f.dd = (f.w - 1) * 7 + 1;
  if (f.dd) {
    tm.mday = f.dd;
    fmask |= kDay;
  }
  if (f.mm) {
    tm.mon = f.mm;
    fmask |= kMonth;
  }
  if (f.ddd && (tm.mon <= 1 || tm.mday <= 1)) {
    if (!tm.year && !f.bc) {
      Throw(SqlState::kInvalidDatetimeFormat,
            "cannot calculate day of year without year information");
    }
    if (f.mode == DateMode::kIsoWeek) {
      int j0 = IsoWeek2J(tm.year, 1) - 1;
      J2Date(j0 + f.ddd, &tm.year, &tm.mon, &tm.mday);
      fmask |= kDateMask;
    } else {
      static const int kYsum[2][13] = {
          {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
          {0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366}};
      const int* y = kYsum[IsLeap(tm.year) ? 1 : 0];
      int i = 1;
      for (; i <= 12; ++i)
        if (f.ddd <= y[i]) break;
      if (tm.mon <= 1) tm.mon = i;
      if (tm.mday <= 1) tm.mday = f.ddd - y[i - 1];
      fmask |= kMonth | kDay;
    }
  }
  if (f.ms) tm.fsec += int64_t{f.ms} * 1000;
  if (f.us) tm.fsec += f.us;
  tm.fprec = f.ff;
  if (fmask != 0) {
    static const int kDaysIn[2][12] = {{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
                                       {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}};
    if ((fmask & kMonth) && (tm.mon < 1 || tm.mon > 12)) FieldOverflow(text);
    if ((fmask & kDay) && (tm.mday < 1 || tm.mday > 31)) FieldOverflow(text);
    if ((fmask & kDateMask) == kDateMask &&
        tm.mday > kDaysIn[IsLeap(tm.year) ? 1 : 0][tm.mon - 1]) {
      FieldOverflow(text);
    }
  }
  if (tm.hour < 0 || tm.hour >= 24 || tm.min < 0 || tm.min >= 60 || tm.sec < 0 || tm.sec >= 60 ||
      tm.fsec < 0 || tm.fsec >= kUsecPerSec) {
    FieldOverflow(text);
  }
  if (f.tzsign) {
    if (f.tzh < 0 || f.tzh > 15 || f.tzm < 0 || f.tzm >= 60) {
      Throw(SqlState::kInvalidTimeZoneDisplacementValue,
            "time zone displacement out of range: \"{}\"", text);
    }
    tm.has_tz = true;
    tm.tz_east = f.tzsign * (int64_t{f.tzh} * 3600 + int64_t{f.tzm} * 60);
  }
  return tm;
}

// PostgreSQL's IS_VALID_JULIAN: 4713-11-01 BC .. 5874898-06-01 (exclusive).
bool IsValidJulian(int y, int m) {
  return (y > -4713 || (y == -4713 && m >= 11)) && (y < 5874898 || (y == 5874898 && m < 6));
}

// ---- numbers ----

constexpr int kNumDecimal = 1 << 0;   // "." or D seen
constexpr int kNumLDecimal = 1 << 1;  // D
constexpr int kNumZero = 1 << 2;
constexpr int kNumBlank = 1 << 3;
constexpr int kNumFillMode = 1 << 4;
constexpr int kNumLSign = 1 << 5;  // S
constexpr int kNumBracket = 1 << 6;
constexpr int kNumMinus = 1 << 7;
constexpr int kNumPlus = 1 << 8;
constexpr int kNumRoman = 1 << 9;
constexpr int kNumMulti = 1 << 10;  // V
constexpr int kNumPlusPost = 1 << 11;
constexpr int kNumMinusPost = 1 << 12;
constexpr int kNumEEEE = 1 << 13;

enum class LSign { kNone, kPre, kPost };

// What a number template asks for (PostgreSQL's NUMDesc).
struct NumDesc {
  int pre = 0;   // digit positions before the decimal point
  int post = 0;  // after it
  LSign lsign = LSign::kNone;
  int pre_lsign_num = 0;
  int flag = 0;
  int zero_start = 0, zero_end = 0;
  int multi = 0;  // 9s after V
  bool Has(int f) const { return (flag & f) != 0; }
};

[[noreturn]] void NumSyntax(const std::string& msg) { throw Error(SqlState::kSyntaxError, msg); }

void PrepareNum(NumDesc* num, const Node& n) {
  if (n.type != NodeType::kAction) return;
  Key id = n.key->id;
  if (num->Has(kNumEEEE) && id != Key::kNE) NumSyntax("\"EEEE\" must be the last pattern used");
  switch (id) {
    case Key::kN9:
      if (num->Has(kNumBracket)) NumSyntax("\"9\" must be ahead of \"PR\"");
      if (num->Has(kNumMulti)) {
        ++num->multi;
        break;
      }
      if (num->Has(kNumDecimal))
        ++num->post;
      else
        ++num->pre;
      break;
    case Key::kN0:
      if (num->Has(kNumBracket)) NumSyntax("\"0\" must be ahead of \"PR\"");
      if (!num->Has(kNumZero) && !num->Has(kNumDecimal)) {
        num->flag |= kNumZero;
        num->zero_start = num->pre + 1;
      }
      if (!num->Has(kNumDecimal))
        ++num->pre;
      else
        ++num->post;
      num->zero_end = num->pre + num->post;
      break;
    case Key::kNB:
      if (num->pre == 0 && num->post == 0 && !num->Has(kNumZero)) num->flag |= kNumBlank;
      break;
    case Key::kND:
      num->flag |= kNumLDecimal;
      [[fallthrough]];
    case Key::kNDec:
      if (num->Has(kNumDecimal)) NumSyntax("multiple decimal points");
      if (num->Has(kNumMulti)) NumSyntax("cannot use \"V\" and decimal point together");
      num->flag |= kNumDecimal;
      break;
    case Key::kNFM:
      num->flag |= kNumFillMode;
      break;
    case Key::kNS:
      if (num->Has(kNumLSign)) NumSyntax("cannot use \"S\" twice");
      if (num->Has(kNumPlus) || num->Has(kNumMinus) || num->Has(kNumBracket)) {
        NumSyntax("cannot use \"S\" and \"PL\"/\"MI\"/\"SG\"/\"PR\" together");
      }
      if (!num->Has(kNumDecimal)) {
        num->lsign = LSign::kPre;
        num->pre_lsign_num = num->pre;
        num->flag |= kNumLSign;
      } else if (num->lsign == LSign::kNone) {
        num->lsign = LSign::kPost;
        num->flag |= kNumLSign;
      }
      break;
    case Key::kNMI:
      if (num->Has(kNumLSign)) NumSyntax("cannot use \"S\" and \"MI\" together");
      num->flag |= kNumMinus;
      if (num->Has(kNumDecimal)) num->flag |= kNumMinusPost;
      break;
    case Key::kNPL:
      if (num->Has(kNumLSign)) NumSyntax("cannot use \"S\" and \"PL\" together");
      num->flag |= kNumPlus;
      if (num->Has(kNumDecimal)) num->flag |= kNumPlusPost;
      break;
    case Key::kNSG:
      if (num->Has(kNumLSign)) NumSyntax("cannot use \"S\" and \"SG\" together");
      num->flag |= kNumMinus | kNumPlus;
      break;
    case Key::kNPR:
      if (num->Has(kNumLSign) || num->Has(kNumPlus) || num->Has(kNumMinus)) {
        NumSyntax("cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together");
      }
      num->flag |= kNumBracket;
      break;
    case Key::kNRN:
    case Key::kNrn:
      num->flag |= kNumRoman;
      break;
    case Key::kNV:
      if (num->Has(kNumDecimal)) NumSyntax("cannot use \"V\" and decimal point together");
      num->flag |= kNumMulti;
      break;
    case Key::kNE:
      if (num->Has(kNumEEEE)) NumSyntax("cannot use \"EEEE\" twice");
      if (num->Has(kNumBlank) || num->Has(kNumFillMode) || num->Has(kNumLSign) ||
          num->Has(kNumBracket) || num->Has(kNumMinus) || num->Has(kNumPlus) ||
          num->Has(kNumRoman) || num->Has(kNumMulti)) {
        throw Error(SqlState::kSyntaxError, "\"EEEE\" is incompatible with other formats")
            .Detail("\"EEEE\" may only be used together with digit and decimal point patterns.");
      }
      num->flag |= kNumEEEE;
      break;
    default:
      break;
  }
}

struct NumTemplate {
  std::vector<Node> nodes;
  NumDesc desc;
};

NumTemplate ParseNumTemplate(std::string_view fmt) {
  NumTemplate t;
  t.nodes = ParseTemplate(std::string(fmt), false);
  for (const Node& n : t.nodes) PrepareNum(&t.desc, n);
  return t;
}

// The C locale's symbols, as PostgreSQL falls back to them.
constexpr char kThousandsSep = ',';
constexpr char kCurrency = ' ';

// to_char's number writer (PostgreSQL's NUM_processor in to_char mode): `number` is the
// digits with an optional '.', without sign; `sign` is '+' or '-' (0 for RN).
class NumWriter {
 public:
  NumWriter(const std::vector<Node>& nodes, NumDesc num, std::string number, int out_pre_spaces,
            char sign)
      : nodes_(nodes), num_(num), number_(std::move(number)), sign_(sign) {
    if (num_.zero_start) --num_.zero_start;
    out_pre_spaces_ = out_pre_spaces;
    if (num_.Has(kNumRoman)) {
      num_.lsign = LSign::kNone;
      num_.pre_lsign_num = num_.post = num_.pre = out_pre_spaces_ = 0;
      sign_ = 0;
      num_.flag = (num_.Has(kNumFillMode) ? kNumFillMode : 0) | kNumRoman;
    }
    if (num_.Has(kNumPlus) || num_.Has(kNumMinus)) {
      // MI/PL/SG write the sign themselves.
      sign_wrote_ = !(num_.Has(kNumPlus) && !num_.Has(kNumMinus));
    } else {
      if (sign_ != '-' && num_.Has(kNumFillMode)) num_.flag &= ~kNumBracket;
      sign_wrote_ = sign_ == '+' && num_.Has(kNumFillMode) && !num_.Has(kNumLSign);
      if (num_.lsign == LSign::kPre && num_.pre == num_.pre_lsign_num) num_.lsign = LSign::kPost;
    }
    num_count_ = num_.post + num_.pre - 1;
    if (num_.Has(kNumFillMode) && num_.Has(kNumDecimal)) {
      last_relevant_ = LastRelevantDecimal();
      // Keep the digits that '0' positions ask for.
      if (last_relevant_ >= 0 && num_.zero_end > out_pre_spaces_) {
        int last_zero =
            std::min(static_cast<int>(number_.size()) - 1, num_.zero_end - out_pre_spaces_);
        if (last_relevant_ < last_zero) last_relevant_ = last_zero;
      }
    }
    if (!sign_wrote_ && out_pre_spaces_ == 0) ++num_count_;
  }

  std::string Run() {
    for (const Node& n : nodes_) {
      if (n.type != NodeType::kAction) {
        out_ += n.chars;
        continue;
      }
      switch (n.key->id) {
        case Key::kN9:
        case Key::kN0:
        case Key::kNDec:
        case Key::kND:
          NumPart(n.key->id);
          break;
        case Key::kNComma:
          if (!num_in_) {
            if (num_.Has(kNumFillMode)) break;
            out_ += ' ';
          } else {
            out_ += kThousandsSep;
          }
          break;
        case Key::kNG:
          if (!num_in_) {
            if (num_.Has(kNumFillMode)) break;
            out_ += ' ';
          } else {
            out_ += kThousandsSep;
          }
          break;
        case Key::kNL:
          out_ += kCurrency;
          break;
        case Key::kNRN:
          out_ += num_.Has(kNumFillMode) ? number_ : fmt::format("{:>15}", number_);
          break;
        case Key::kNrn:
          out_ += num_.Has(kNumFillMode) ? Lower(number_) : fmt::format("{:>15}", Lower(number_));
          break;
        case Key::kNth:
        case Key::kNTH:
          if (num_.Has(kNumRoman) || (!number_.empty() && number_[0] == '#') || sign_ == '-' ||
              num_.Has(kNumDecimal)) {
            break;
          }
          out_ += OrdinalSuffix(number_, n.key->id == Key::kNTH);
          break;
        case Key::kNMI:
          if (sign_ == '-')
            out_ += '-';
          else if (!num_.Has(kNumFillMode))
            out_ += ' ';
          break;
        case Key::kNPL:
          if (sign_ == '+')
            out_ += '+';
          else if (!num_.Has(kNumFillMode))
            out_ += ' ';
          break;
        case Key::kNSG:
          if (sign_)
            out_ += sign_;
          else if (cut_ == std::string::npos)
            cut_ = out_.size();
          break;
        default:
          break;
      }
    }
    if (cut_ != std::string::npos) out_.resize(cut_);
    return out_;
  }

 private:
  char At(int i) const { return i >= 0 && i < static_cast<int>(number_.size()) ? number_[i] : 0; }

  // The position of the last non-zero digit after the point (or of the point), -1 without one.
  int LastRelevantDecimal() const {
    size_t p = number_.find('.');
    if (p == std::string::npos) return -1;
    int result = static_cast<int>(p);
    for (size_t k = p + 1; k < number_.size(); ++k)
      if (number_[k] != '0') result = static_cast<int>(k);
    return result;
  }

  // A leading zero digit that "9.9" prints as a space: "0.1" -> " .1".
  bool PredecSpace() const {
    return !num_.Has(kNumZero) && number_p_ == 0 && At(0) == '0' && num_.post != 0;
  }

  void WriteSign(bool negative_sign) { out_ += negative_sign ? '-' : '+'; }

  void NumPart(Key id) {
    if (num_.Has(kNumRoman)) return;
    num_in_ = false;
    if (!sign_wrote_ &&
        (num_curr_ >= out_pre_spaces_ || (num_.Has(kNumZero) && num_.zero_start == num_curr_)) &&
        (!PredecSpace() || (last_relevant_ >= 0 && At(last_relevant_) == '.'))) {
      if (num_.Has(kNumLSign)) {
        if (num_.lsign == LSign::kPre) {
          WriteSign(sign_ == '-');
          sign_wrote_ = true;
        }
      } else if (num_.Has(kNumBracket)) {
        out_ += sign_ == '+' ? ' ' : '<';
        sign_wrote_ = true;
      } else if (sign_ == '+') {
        if (!num_.Has(kNumFillMode)) out_ += ' ';
        sign_wrote_ = true;
      } else if (sign_ == '-') {
        out_ += '-';
        sign_wrote_ = true;
      }
    }
    if (num_curr_ < out_pre_spaces_ && (num_.zero_start > num_curr_ || !num_.Has(kNumZero))) {
      if (!num_.Has(kNumFillMode)) out_ += ' ';
    } else if (num_.Has(kNumZero) && num_curr_ < out_pre_spaces_ && num_.zero_start <= num_curr_) {
      out_ += '0';
      num_in_ = true;
    } else {
      if (At(number_p_) == '.') {
        if (last_relevant_ < 0 || At(last_relevant_) != '.') {
          out_ += '.';
        } else if (num_.Has(kNumFillMode) && At(last_relevant_) == '.') {
          out_ += '.';  // FM9.9 prints 5 as "5."
        }
      } else {
        if (last_relevant_ >= 0 && number_p_ > last_relevant_ && id != Key::kN0) {
          // FM drops trailing zeros
        } else if (PredecSpace()) {
          if (!num_.Has(kNumFillMode)) {
            out_ += ' ';
          } else if (last_relevant_ >= 0 && At(last_relevant_) == '.') {
            out_ += '0';  // FM9.9 prints 0 as "0."
          }
        } else {
          // Past the end of the digits PostgreSQL writes a NUL, which ends its result there.
          if (At(number_p_))
            out_ += At(number_p_);
          else if (cut_ == std::string::npos)
            cut_ = out_.size();
          num_in_ = true;
        }
      }
      if (At(number_p_)) ++number_p_;
    }
    int end = num_count_ + (out_pre_spaces_ ? 1 : 0) + (num_.Has(kNumDecimal) ? 1 : 0);
    if (last_relevant_ >= 0 && last_relevant_ == number_p_) end = num_curr_;
    if (num_curr_ + 1 == end) {
      if (sign_wrote_ && num_.Has(kNumBracket)) {
        out_ += sign_ == '+' ? ' ' : '>';
      } else if (num_.Has(kNumLSign) && num_.lsign == LSign::kPost) {
        WriteSign(sign_ == '-');
      }
    }
    ++num_curr_;
  }

  const std::vector<Node>& nodes_;
  NumDesc num_;
  std::string number_;
  char sign_;
  int out_pre_spaces_ = 0;
  bool sign_wrote_ = false;
  int num_count_ = 0;
  int num_curr_ = 0;
  bool num_in_ = false;
  int number_p_ = 0;
  int last_relevant_ = -1;
  std::string out_;
  size_t cut_ = std::string::npos;
};

std::string IntToRoman(int64_t number) {
  if (number > 3999 || number < 1) return std::string(15, '#');
  static const char* const kM[] = {"", "M", "MM", "MMM"};
  static const char* const kC[] = {"", "C", "CC", "CCC", "CD", "D", "DC", "DCC", "DCCC", "CM"};
  static const char* const kX[] = {"", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"};
  static const char* const kI[] = {"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"};
  return std::string(kM[number / 1000]) + kC[number / 100 % 10] + kX[number / 10 % 10] +
         kI[number % 10];
}

// A '#' filler of the template's width with its decimal point: the value does not fit.
std::string Overflowed(const NumDesc& num) {
  std::string s(num.pre + num.post + 1, '#');
  s[num.pre] = '.';
  return s;
}

// numeric_out_sci: the significand rounded to `scale` digits and a two-digit signed exponent.
std::string NumericSci(const Numeric& v, int scale) {
  if (v.IsNaN()) return "NaN";
  int exponent = 0;
  if (!v.IsZero()) {
    std::string s = v.Abs().ToString();
    size_t dot = s.find('.');
    std::string ip = s.substr(0, dot);
    if (ip != "0") {
      exponent = static_cast<int>(ip.size()) - 1;
    } else {
      size_t k = dot + 1;
      while (k < s.size() && s[k] == '0') ++k;
      exponent = -static_cast<int>(k - dot);
    }
  }
  Numeric sig = v.DivScale(Numeric::Parse("1e" + std::to_string(exponent)), scale);
  return fmt::format("{}e{}{:02}", sig.ToString(), exponent < 0 ? '-' : '+', std::abs(exponent));
}

std::string Finish(const NumTemplate& t, const NumDesc& num, std::string number, int out_pre_spaces,
                   char sign) {
  if (num.Has(kNumEEEE)) return number;  // the template's other characters are not printed
  return NumWriter(t.nodes, num, std::move(number), out_pre_spaces, sign).Run();
}

// The digits of a non-negative integer text padded with `post` zeros, or the overflow filler.
std::string IntDigits(std::string digits, NumDesc* num, int* out_pre_spaces) {
  int pre_len = static_cast<int>(digits.size());
  if (num->post) digits += "." + std::string(num->post, '0');
  if (pre_len < num->pre)
    *out_pre_spaces = num->pre - pre_len;
  else if (pre_len > num->pre)
    digits = Overflowed(*num);
  return digits;
}

std::string SciFromNumeric(const Numeric& v, const NumDesc& num) {
  std::string s = v.IsSpecial() ? "NaN" : NumericSci(v, num.post);
  if (s == "NaN") {  // NaN and the infinities: the '#' filler
    std::string r(num.pre + num.post + 6, '#');
    r[0] = ' ';
    r[num.pre + 1] = '.';
    return r;
  }
  return s[0] == '-' ? s : " " + s;
}

}  // namespace

// ---- public entry points ----

std::optional<std::string> TimestampToChar(int64_t usec, std::string_view fmt, const TimeZone* tz) {
  if (fmt.empty() || !TimestampIsFinite(usec)) return std::nullopt;
  TmValue tm;
  std::string abbrev;
  int64_t local = usec;
  if (tz != nullptr) {
    tm.gmtoff = tz->UtcOffset(usec, &abbrev);
    local = usec + tm.gmtoff * kUsecPerSec;
    tm.tzn = &abbrev;
  }
  int64_t days = local / kUsecPerDay;
  int64_t time = local % kUsecPerDay;
  if (time < 0) {
    time += kUsecPerDay;
    --days;
  }
  int y, m, d;
  int jd = static_cast<int>(days + kPostgresEpochJdate);
  J2Date(jd, &y, &m, &d);
  tm.year = y;
  tm.mon = m;
  tm.mday = d;
  tm.hour = time / kUsecPerHour;
  time -= tm.hour * kUsecPerHour;
  tm.min = time / kUsecPerMinute;
  time -= tm.min * kUsecPerMinute;
  tm.sec = time / kUsecPerSec;
  tm.fsec = time - tm.sec * kUsecPerSec;
  tm.wday = (jd + 1) % 7;
  tm.yday = jd - Date2J(y, 1, 1) + 1;
  return DateToChar(ParseTemplate(std::string(fmt), true), tm, false);
}

std::optional<std::string> IntervalToChar(const Interval& v, std::string_view fmt) {
  if (fmt.empty()) return std::nullopt;
  TmValue tm;
  tm.year = v.months / 12;
  tm.mon = v.months % 12;
  tm.mday = v.days;
  int64_t time = v.usec;
  tm.hour = time / kUsecPerHour;
  time -= tm.hour * kUsecPerHour;
  tm.min = time / kUsecPerMinute;
  time -= tm.min * kUsecPerMinute;
  tm.sec = time / kUsecPerSec;
  tm.fsec = time - tm.sec * kUsecPerSec;
  // No weekday; the day of year approximates the whole span in days.
  // PostgreSQL computes it in int, which wraps around beyond about 6 million years.
  tm.yday = static_cast<int32_t>(static_cast<uint32_t>((tm.year * 12 + tm.mon) * 30 + tm.mday));
  return DateToChar(ParseTemplate(std::string(fmt), true), tm, true);
}

std::string NumericToChar(const Numeric& v, std::string_view fmt) {
  if (fmt.empty()) return "";
  NumTemplate t = ParseNumTemplate(fmt);
  NumDesc num = t.desc;
  int out_pre_spaces = 0;
  char sign = '+';
  std::string numstr;
  if (num.Has(kNumRoman)) {
    Numeric r = v.Round(0);
    if (r.IsNaN() || r.Compare(Numeric::FromInt64(INT32_MAX)) > 0 ||
        r.Compare(Numeric::FromInt64(INT32_MIN)) < 0) {
      Throw(SqlState::kNumericValueOutOfRange, "integer out of range");
    }
    numstr = IntToRoman(r.ToInt64());
  } else if (num.Has(kNumEEEE)) {
    numstr = SciFromNumeric(v, num);
  } else {
    Numeric val = v;
    if (num.Has(kNumMulti)) {
      val = val.Mul(Numeric::Parse("1e" + std::to_string(num.multi)));
      num.pre += num.multi;
    }
    std::string org = val.Round(num.post).ToString();
    if (!org.empty() && org[0] == '-') {
      sign = '-';
      numstr = org.substr(1);
    } else {
      numstr = org;
    }
    size_t dot = numstr.find('.');
    int pre_len = static_cast<int>(dot == std::string::npos ? numstr.size() : dot);
    if (pre_len < num.pre)
      out_pre_spaces = num.pre - pre_len;
    else if (pre_len > num.pre)
      numstr = Overflowed(num);
  }
  return Finish(t, num, std::move(numstr), out_pre_spaces, sign);
}

std::string Int32ToChar(int32_t v, std::string_view fmt) {
  if (fmt.empty()) return "";
  NumTemplate t = ParseNumTemplate(fmt);
  NumDesc num = t.desc;
  int out_pre_spaces = 0;
  char sign = '+';
  std::string numstr;
  if (num.Has(kNumRoman)) {
    numstr = IntToRoman(v);
  } else if (num.Has(kNumEEEE)) {
    char buf[512];
    std::snprintf(buf, sizeof(buf), "%+.*e", num.post, static_cast<double>(v));
    numstr = buf;
    if (numstr[0] == '+') numstr[0] = ' ';
  } else {
    int64_t x = v;
    if (num.Has(kNumMulti)) {
      // int4 arithmetic as PostgreSQL does it: wraps around on overflow.
      auto factor = static_cast<int32_t>(std::pow(10.0, num.multi));
      x = static_cast<int32_t>(static_cast<uint32_t>(v) * static_cast<uint32_t>(factor));
      num.pre += num.multi;
    }
    if (x < 0) sign = '-';
    std::string digits = std::to_string(x < 0 ? -x : x);
    numstr = IntDigits(digits, &num, &out_pre_spaces);
  }
  return Finish(t, num, std::move(numstr), out_pre_spaces, sign);
}

std::string Int64ToChar(int64_t v, std::string_view fmt) {
  if (fmt.empty()) return "";
  NumTemplate t = ParseNumTemplate(fmt);
  NumDesc num = t.desc;
  int out_pre_spaces = 0;
  char sign = '+';
  std::string numstr;
  if (num.Has(kNumRoman)) {
    if (v > INT32_MAX || v < INT32_MIN) {
      Throw(SqlState::kNumericValueOutOfRange, "integer out of range");
    }
    numstr = IntToRoman(v);
  } else if (num.Has(kNumEEEE)) {
    numstr = SciFromNumeric(Numeric::FromInt64(v), num);
  } else {
    int64_t x = v;
    if (num.Has(kNumMulti)) {
      double factor = std::pow(10.0, num.multi);
      if (factor >= 9.2233720368547758e18) {
        Throw(SqlState::kNumericValueOutOfRange, "bigint out of range");
      }
      if (__builtin_mul_overflow(v, static_cast<int64_t>(factor), &x)) {
        Throw(SqlState::kNumericValueOutOfRange, "bigint out of range");
      }
      num.pre += num.multi;
    }
    if (x < 0) sign = '-';
    std::string digits = std::to_string(x);
    if (x < 0) digits = digits.substr(1);
    numstr = IntDigits(digits, &num, &out_pre_spaces);
  }
  return Finish(t, num, std::move(numstr), out_pre_spaces, sign);
}

namespace {
std::string FloatToChar(double v, std::string_view fmt, int max_digits);
}  // namespace

std::string Float64ToChar(double v, std::string_view fmt) { return FloatToChar(v, fmt, DBL_DIG); }

std::string Float32ToChar(float v, std::string_view fmt) { return FloatToChar(v, fmt, FLT_DIG); }

namespace {

// float8_to_char / float4_to_char: at most `max_digits` significant digits are shown.
std::string FloatToChar(double v, std::string_view fmt, int max_digits) {
  if (fmt.empty()) return "";
  NumTemplate t = ParseNumTemplate(fmt);
  NumDesc num = t.desc;
  int out_pre_spaces = 0;
  char sign = '+';
  std::string numstr;
  if (num.Has(kNumRoman)) {
    double r = std::rint(v);
    numstr = r >= 1 && r <= 3999 ? IntToRoman(static_cast<int64_t>(r)) : std::string(15, '#');
  } else if (num.Has(kNumEEEE)) {
    if (std::isnan(v) || std::isinf(v)) {
      numstr = std::string(num.pre + num.post + 6, '#');
      numstr[0] = ' ';
      numstr[num.pre + 1] = '.';
    } else {
      char buf[512];
      std::snprintf(buf, sizeof(buf), "%+.*e", num.post, v);
      numstr = buf;
      if (numstr[0] == '+') numstr[0] = ' ';
    }
  } else {
    double val = v;
    if (num.Has(kNumMulti)) {
      val = v * std::pow(10.0, num.multi);
      num.pre += num.multi;
    }
    // At most max_digits significant digits are shown; the rest would be noise.
    // PostgreSQL's own snprintf spells the special values "NaN" and "Infinity".
    auto print = [](int digits, double x) -> std::string {
      if (std::isnan(x)) return "NaN";
      if (std::isinf(x)) return x < 0 ? "-Infinity" : "Infinity";
      std::vector<char> buf(400 + digits);
      std::snprintf(buf.data(), buf.size(), "%.*f", digits, x);
      return buf.data();
    };
    std::string whole = print(0, std::fabs(val));
    int pre_len = static_cast<int>(whole.size());
    if (pre_len >= max_digits)
      num.post = 0;
    else if (pre_len + num.post > max_digits)
      num.post = max_digits - pre_len;
    std::string org = print(num.post, val);
    if (org[0] == '-') {
      sign = '-';
      numstr = org.substr(1);
    } else {
      numstr = org;
    }
    size_t dot = numstr.find('.');
    pre_len = static_cast<int>(dot == std::string::npos ? numstr.size() : dot);
    if (pre_len < num.pre)
      out_pre_spaces = num.pre - pre_len;
    else if (pre_len > num.pre)
      numstr = Overflowed(num);
  }
  return Finish(t, num, std::move(numstr), out_pre_spaces, sign);
}

}  // namespace

std::optional<Numeric> ToNumber(std::string_view text, std::string_view fmt) {
  if (fmt.empty()) return std::nullopt;
  NumTemplate t = ParseNumTemplate(fmt);
  NumDesc num = t.desc;
  if (num.Has(kNumEEEE)) Throw(SqlState::kFeatureNotSupported, "\"EEEE\" not supported for input");
  if (num.Has(kNumRoman)) Throw(SqlState::kFeatureNotSupported, "\"RN\" not supported for input");
  if (num.zero_start) --num.zero_start;
  const std::string input(text);
  const char* const begin = input.c_str();
  const char* const end = begin + input.size();
  const char* p = begin;
  // number[0] is the sign, then the digits and point read.
  std::string number = " ";
  int read_pre = 0, read_post = 0;
  bool read_dec = false;
  auto overload = [&] { return p >= end; };
  auto amount = [&](size_t n) { return p + n <= end; };
  auto eat_non_data = [&](int n) {
    while (n-- > 0) {
      if (overload()) break;
      if (std::strchr("0123456789.,+-", *p) != nullptr) break;
      p += std::max<size_t>(1, CharLen(p));
    }
  };
  // PostgreSQL's NUM_numpart_from_char: a sign, digit or decimal point at p.
  auto read_number_part = [&](Key id) {
    bool isread = false;
    if (overload()) return;
    if (*p == ' ') ++p;
    if (overload()) return;
    // A sign before the first digit.
    if (number[0] == ' ' && (id == Key::kN0 || id == Key::kN9) && read_pre + read_post == 0) {
      if (num.Has(kNumLSign) && num.lsign == LSign::kPre) {
        if (amount(1) && *p == '-') {
          ++p;
          number[0] = '-';
        } else if (amount(1) && *p == '+') {
          ++p;
          number[0] = '+';
        }
      } else if (*p == '-' || (num.Has(kNumBracket) && *p == '<')) {
        number[0] = '-';
        ++p;
      } else if (*p == '+') {
        number[0] = '+';
        ++p;
      }
    }
    if (overload()) return;
    if (IsDigit(*p)) {
      if (read_dec && read_post == num.post) return;
      number += *p;
      if (read_dec)
        ++read_post;
      else
        ++read_pre;
      isread = true;
    } else if (num.Has(kNumDecimal) && !read_dec) {
      if (amount(1) && *p == '.') {
        number += '.';
        read_dec = true;
        isread = true;
      }
    }
    if (overload()) return;
    // A sign after the last digit ("FM9.999999MI" reads "5.01-").
    if (number[0] == ' ' && read_pre + read_post > 0) {
      if (num.Has(kNumLSign) && isread && p + 1 < end && !IsDigit(p[1])) {
        const char* tmp = p++;
        if (amount(1) && *p == '-') {
          number[0] = '-';
        } else if (amount(1) && *p == '+') {
          number[0] = '+';
        }
        if (number[0] == ' ') p = tmp;
      } else if (!isread && !num.Has(kNumLSign) && (num.Has(kNumPlus) || num.Has(kNumMinus))) {
        if (*p == '-' || *p == '+') number[0] = *p;
      }
    }
  };
  for (const Node& n : t.nodes) {
    if (overload()) break;
    if (n.type != NodeType::kAction) {
      // Each literal template character skips one input character, matching or not.
      p += std::max<size_t>(1, CharLen(p));
      continue;
    }
    switch (n.key->id) {
      case Key::kN9:
      case Key::kN0:
      case Key::kNDec:
      case Key::kND:
        read_number_part(n.key->id);
        ++p;  // as PostgreSQL: past the character just looked at
        break;
      case Key::kNComma:
        // PostgreSQL never marks digits as read here, so FM skips the separators entirely.
        if (num.Has(kNumFillMode)) break;
        if (*p != ',') break;
        ++p;
        break;
      case Key::kNG:
        if (num.Has(kNumFillMode)) break;
        if (amount(1) && *p == kThousandsSep) ++p;
        break;
      case Key::kNL:
        eat_non_data(1);
        break;
      case Key::kNth:
      case Key::kNTH:
        if (num.Has(kNumDecimal)) break;
        eat_non_data(2);
        break;
      case Key::kNMI:
        if (*p == '-') {
          number[0] = '-';
          ++p;
        } else {
          eat_non_data(1);
        }
        break;
      case Key::kNPL:
        if (*p == '+') {
          number[0] = '+';
          ++p;
        } else {
          eat_non_data(1);
        }
        break;
      case Key::kNSG:
        if (*p == '-' || *p == '+') {
          number[0] = *p;
          ++p;
        } else {
          eat_non_data(1);
        }
        break;
      default:
        break;
    }
  }
  if (number.size() > 1 && number.back() == '.') number.pop_back();
  int scale = read_post;
  int precision = num.pre + num.multi + scale;
  Numeric result;
  try {
    result = Numeric::Parse(number);
  } catch (const Error&) {
    Throw(SqlState::kInvalidTextRepresentation, "invalid input syntax for type numeric: \"{}\"",
          number);
  }
  result = result.ApplyTypmod((precision << 16) | scale);
  if (num.Has(kNumMulti)) {
    // PostgreSQL multiplies by power(10, -n), which carries 16 decimal places.
    result = result.Mul(
        Numeric::Parse("1e-" + std::to_string(num.multi)).Round(std::max(16, num.multi)));
  }
  return result;
}

int32_t ToDate(std::string_view text, std::string_view fmt) {
  std::string s(text);
  ParsedTime tm = DoToTimestamp(s, fmt);
  if (!IsValidJulian(tm.year, tm.mon)) {
    Throw(SqlState::kDatetimeFieldOverflow, "date out of range: \"{}\"", s);
  }
  int64_t days = int64_t{Date2J(tm.year, tm.mon, tm.mday)} - kPostgresEpochJdate;
  if (!IsValidDate(days)) Throw(SqlState::kDatetimeFieldOverflow, "date out of range: \"{}\"", s);
  return static_cast<int32_t>(days);
}

int64_t ToTimestamp(std::string_view text, std::string_view fmt, const TimeZone& tz) {
  std::string s(text);
  ParsedTime tm = DoToTimestamp(s, fmt);
  if (!IsValidJulian(tm.year, tm.mon)) {
    Throw(SqlState::kDatetimeFieldOverflow, "timestamp out of range");
  }
  int64_t days = int64_t{Date2J(tm.year, tm.mon, tm.mday)} - kPostgresEpochJdate;
  __int128 local = static_cast<__int128>(days) * kUsecPerDay +
                   ((int64_t{tm.hour} * 60 + tm.min) * 60 + tm.sec) * kUsecPerSec + tm.fsec;
  if (local > INT64_MAX / 2 || local < INT64_MIN / 2) {
    Throw(SqlState::kDatetimeFieldOverflow, "timestamp out of range");
  }
  auto l = static_cast<int64_t>(local);
  int64_t east = tm.has_tz ? tm.tz_east : tz.LocalOffset(l);
  int64_t result = l - east * kUsecPerSec;
  if (!IsValidTimestamp(result)) Throw(SqlState::kDatetimeFieldOverflow, "timestamp out of range");
  if (tm.fprec > 0 && tm.fprec < 6) {
    // Rounded to the FFn precision, half away from zero.
    static const int64_t kScale[] = {1000000, 100000, 10000, 1000, 100, 10, 1};
    int64_t scale = kScale[tm.fprec];
    int64_t half = scale / 2;
    result = result >= 0 ? (result + half) / scale * scale : -((-result + half) / scale * scale);
  }
  return result;
}

int64_t UnixEpochToTimestamp(double seconds) {
  if (std::isnan(seconds)) Throw(SqlState::kDatetimeFieldOverflow, "timestamp cannot be NaN");
  if (std::isinf(seconds)) return seconds < 0 ? kTimestampNoBegin : kTimestampNoEnd;
  constexpr double kMin = 86400.0 * (0 - kUnixEpochJdate);
  constexpr double kEnd = 86400.0 * (109203528.0 - kUnixEpochJdate);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%g", seconds);
  if (seconds < kMin || seconds >= kEnd) {
    Throw(SqlState::kDatetimeFieldOverflow, "timestamp out of range: \"{}\"", buf);
  }
  double us =
      std::rint((seconds - double{kPostgresEpochJdate - kUnixEpochJdate} * 86400) * kUsecPerSec);
  auto result = static_cast<int64_t>(us);
  if (!IsValidTimestamp(result)) {
    Throw(SqlState::kDatetimeFieldOverflow, "timestamp out of range: \"{}\"", buf);
  }
  return result;
}

}  // namespace activestore
