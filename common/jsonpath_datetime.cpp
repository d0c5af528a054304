// jsonpath's .datetime(): strict template matching as PostgreSQL 15's parse_datetime does it
// with std = true (every separator, space and quoted character of the template must match the
// input exactly, a field is read greedily when a non-digit follows it in the template and with
// its fixed width otherwise, nothing may be left over), the type chosen by the fields present,
// and the comparisons and JSON text of the resulting items. Our own code.
#include "common/jsonpath_datetime.h"

#include <fmt/format.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/datetime.h"
#include "common/error.h"
#include "common/timezone.h"

namespace activestore {
namespace {

enum class F : uint8_t {
  kHH24,
  kHH12,
  kMI,
  kSS,
  kMS,
  kUS,
  kFF,
  kYYYY,
  kYYY,
  kYY,
  kY,
  kMM,
  kDDD,
  kDD,
  kTZH,
  kTZM,
  kAmPm,     // AM PM am pm
  kAmPmDot,  // A.M. P.M. a.m. p.m.
};

struct Keyword {
  const char* text;
  F field;
  int len;  // the fixed width of the field (FF1..FF6: their digit count)
  bool digit;
};

// Longest first where one is a prefix of another.
constexpr Keyword kKeywords[] = {
    {"HH24", F::kHH24, 2, true}, {"HH12", F::kHH12, 2, true},     {"HH", F::kHH12, 2, true},
    {"MI", F::kMI, 2, true},     {"MS", F::kMS, 3, true},         {"MM", F::kMM, 2, true},
    {"SS", F::kSS, 2, true},     {"US", F::kUS, 6, true},         {"FF1", F::kFF, 1, true},
    {"FF2", F::kFF, 2, true},    {"FF3", F::kFF, 3, true},        {"FF4", F::kFF, 4, true},
    {"FF5", F::kFF, 5, true},    {"FF6", F::kFF, 6, true},        {"YYYY", F::kYYYY, 4, true},
    {"YYY", F::kYYY, 3, true},   {"YY", F::kYY, 2, true},         {"Y", F::kY, 1, true},
    {"DDD", F::kDDD, 3, true},   {"DD", F::kDD, 2, true},         {"TZH", F::kTZH, 2, false},
    {"TZM", F::kTZM, 2, true},   {"A.M.", F::kAmPmDot, 4, false}, {"P.M.", F::kAmPmDot, 4, false},
    {"AM", F::kAmPm, 2, false},  {"PM", F::kAmPm, 2, false},
};

// formatting.c's other patterns: recognised so that a template using one is 0A000, not read
// as separators.
constexpr const char* kUnsupported[] = {
    "A.D.", "AD", "B.C.", "BC",   "CC",    "D",   "DAY",  "DY", "FM",    "FX",
    "I",    "ID", "IDDD", "IW",   "IY",    "IYY", "IYYY", "J",  "MONTH", "MON",
    "OF",   "Q",  "RM",   "SSSS", "SSSSS", "TH",  "TZ",   "W",  "WW",    "Y,YYY",
};

struct Node {
  enum class T : uint8_t { kField, kSpace, kSeparator, kChar, kEnd } type = T::kEnd;
  const Keyword* key = nullptr;
  std::string name;  // the field as written
  std::string ch;    // kSpace, kSeparator, kChar: the character
};

[[noreturn]] void Bad(SqlState s, std::string msg) { throw Error(s, std::move(msg)); }

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

size_t CharLen(std::string_view s, size_t at) {
  const auto u = static_cast<unsigned char>(s[at]);
  size_t n = u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : u >= 0xC0 ? 2 : 1;
  return std::min(n, s.size() - at);
}

std::vector<Node> ParseTemplate(std::string_view t) {
  std::vector<Node> nodes;
  size_t i = 0;
  while (i < t.size()) {
    if (t[i] == '"') {
      ++i;
      while (i < t.size() && t[i] != '"') {
        if (t[i] == '\\' && i + 1 < t.size()) ++i;
        Node n;
        n.type = Node::T::kChar;
        const size_t len = CharLen(t, i);
        n.ch.assign(t.substr(i, len));
        nodes.push_back(std::move(n));
        i += len;
      }
      if (i < t.size()) ++i;
      continue;
    }
    const Keyword* match = nullptr;
    for (const Keyword& k : kKeywords) {
      const size_t len = std::strlen(k.text);
      if (i + len <= t.size() && strncasecmp(t.data() + i, k.text, len) == 0) {
        match = &k;
        break;
      }
    }
    for (const char* u : kUnsupported) {
      const size_t len = std::strlen(u);
      if (i + len <= t.size() && strncasecmp(t.data() + i, u, len) == 0 &&
          (match == nullptr || len > std::strlen(match->text))) {
        Bad(SqlState::kFeatureNotSupported,
            fmt::format("datetime format pattern \"{}\" is not supported in jsonpath yet",
                        std::string(t.substr(i, len))));
      }
    }
    Node n;
    if (match != nullptr) {
      n.type = Node::T::kField;
      n.key = match;
      n.name.assign(t.substr(i, std::strlen(match->text)));
      i += n.name.size();
      nodes.push_back(std::move(n));
      continue;
    }
    if (t[i] == '\\' && i + 1 < t.size() && t[i + 1] == '"') ++i;
    const size_t len = CharLen(t, i);
    n.ch.assign(t.substr(i, len));
    if (IsSpace(t[i])) {
      n.type = Node::T::kSpace;
    } else if (len == 1 && std::strchr("-./,':;", t[i]) != nullptr) {
      n.type = Node::T::kSeparator;
    } else {
      Bad(SqlState::kInvalidDatetimeFormat,
          fmt::format("invalid datetime format separator: \"{}\"", n.ch));
    }
    nodes.push_back(std::move(n));
    i += len;
  }
  nodes.push_back(Node{});
  return nodes;
}

// is_next_separator: a non-digit (or the end) follows the field in the template.
bool NextIsSeparator(const std::vector<Node>& nodes, size_t i) {
  const Node& next = nodes[i + 1];
  if (next.type == Node::T::kEnd) return true;
  if (next.type == Node::T::kField) return !next.key->digit;
  return !(next.ch.size() == 1 && next.ch[0] >= '0' && next.ch[0] <= '9');
}

struct Fields {
  int hh = 0, mi = 0, ss = 0, year = 0, mm = 0, dd = 0, ddd = 0, tzh = 0, tzm = 0, tzsign = 0;
  int64_t us = 0;
  bool pm = false, clock12 = false, has_year = false;
  int yysz = 0;
  int ff = 0;  // FFn: the precision the result is rounded to
};

class Reader {
 public:
  Reader(std::string_view text, const std::vector<Node>& nodes) : in_(text), nodes_(nodes) {}

  // from_char_parse_int_len; returns the number of characters read.
  int ParseInt(size_t node, int len, int* out) {
    const Node& n = nodes_[node];
    const size_t init = s_;
    size_t p = s_;
    while (p < in_.size() && IsSpace(in_[p])) ++p;
    const std::string copy(in_.substr(p, static_cast<size_t>(len)));
    long result;
    int used;
    errno = 0;
    if (NextIsSeparator(nodes_, node)) {
      const std::string rest(in_.substr(init));
      char* end = nullptr;
      result = std::strtol(rest.c_str(), &end, 10);
      used = static_cast<int>(end - rest.c_str());
      s_ = init + static_cast<size_t>(used);
    } else {
      if (static_cast<int>(copy.size()) < len) {
        throw Error(SqlState::kInvalidDatetimeFormat,
                    fmt::format("source string too short for \"{}\" formatting field", n.name))
            .Detail(
                fmt::format("Field requires {} characters, but only {} remain.", len, copy.size()))
            .Hint("If your source string is not fixed-width, try using the \"FM\" modifier.");
      }
      char* end = nullptr;
      result = std::strtol(copy.c_str(), &end, 10);
      used = static_cast<int>(end - copy.c_str());
      if (used > 0 && used < len) {
        throw Error(SqlState::kInvalidDatetimeFormat,
                    fmt::format("invalid value \"{}\" for \"{}\"", copy, n.name))
            .Detail(fmt::format("Field requires {} characters, but only {} could be parsed.", len,
                                used))
            .Hint("If your source string is not fixed-width, try using the \"FM\" modifier.");
      }
      s_ = p + static_cast<size_t>(used);
    }
    if (s_ == init) {
      throw Error(SqlState::kInvalidDatetimeFormat,
                  fmt::format("invalid value \"{}\" for \"{}\"", copy, n.name))
          .Detail("Value must be an integer.");
    }
    if (errno == ERANGE || result < INT_MIN || result > INT_MAX) {
      throw Error(SqlState::kInvalidDatetimeFormat,
                  fmt::format("value for \"{}\" in source string is out of range", n.name))
          .Detail(fmt::format("Value must be in the range {} to {}.", INT_MIN, INT_MAX));
    }
    *out = static_cast<int>(result);
    return static_cast<int>(s_ - p);
  }

  void AmPm(size_t node, bool dotted, Fields* f) {
    const std::string_view rest = in_.substr(s_);
    const char* options[2] = {dotted ? "a.m." : "am", dotted ? "p.m." : "pm"};
    for (int k = 0; k < 2; ++k) {
      const size_t len = std::strlen(options[k]);
      if (rest.size() >= len && strncasecmp(rest.data(), options[k], len) == 0) {
        f->pm = k == 1;
        f->clock12 = true;
        s_ += len;
        return;
      }
    }
    throw Error(
        SqlState::kInvalidDatetimeFormat,
        fmt::format("invalid value \"{}\" for \"{}\"",
                    std::string(rest.substr(0, std::strlen(options[0]))), nodes_[node].name))
        .Detail("The given value did not match any of the allowed values for this field.");
  }

  Fields Read() {
    Fields f;
    size_t i = 0;
    for (; nodes_[i].type != Node::T::kEnd && s_ < in_.size(); ++i) {
      const Node& n = nodes_[i];
      if (n.type == Node::T::kSpace || n.type == Node::T::kSeparator) {
        if (in_[s_] != n.ch[0]) {
          Bad(SqlState::kInvalidDatetimeFormat,
              fmt::format("unmatched format separator \"{}\"", n.ch));
        }
        ++s_;
        continue;
      }
      if (n.type == Node::T::kChar) {
        const size_t len = CharLen(in_, s_);
        if (in_.substr(s_, len) != n.ch) {
          Bad(SqlState::kInvalidDatetimeFormat,
              fmt::format("unmatched format character \"{}\"", n.ch));
        }
        s_ += len;
        continue;
      }
      int v = 0;
      switch (n.key->field) {
        case F::kHH24:
          ParseInt(i, 2, &f.hh);
          break;
        case F::kHH12:
          ParseInt(i, 2, &f.hh);
          f.clock12 = true;
          break;
        case F::kMI:
          ParseInt(i, 2, &f.mi);
          break;
        case F::kSS:
          ParseInt(i, 2, &f.ss);
          break;
        case F::kMS: {
          const int len = ParseInt(i, 3, &v);
          f.us += int64_t{v} * (len == 1 ? 100 : len == 2 ? 10 : 1) * 1000;
          break;
        }
        case F::kUS:
        case F::kFF: {
          if (n.key->field == F::kFF) f.ff = n.key->len;
          const int len = ParseInt(i, n.key->len, &v);
          static const int kScale[] = {1, 100000, 10000, 1000, 100, 10, 1};
          f.us += int64_t{v} * kScale[std::min(std::max(len, 0), 6)];
          break;
        }
        case F::kYYYY:
          ParseInt(i, 4, &f.year);
          f.has_year = true;
          f.yysz = 4;
          break;
        case F::kYYY:
        case F::kYY:
        case F::kY: {
          const int len = ParseInt(i, n.key->len, &v);
          // adjust_partial_year_to_2020
          if (len < 4) {
            if (v < 70) {
              v += 2000;
            } else if (v < 100) {
              v += 1900;
            } else if (v < 520) {
              v += 2000;
            } else if (v < 1000) {
              v += 1000;
            }
          }
          f.year = v;
          f.has_year = true;
          f.yysz = n.key->len;
          break;
        }
        case F::kMM:
          ParseInt(i, 2, &f.mm);
          break;
        case F::kDD:
          ParseInt(i, 2, &f.dd);
          break;
        case F::kDDD:
          ParseInt(i, 3, &f.ddd);
          break;
        case F::kTZH:
          if (in_[s_] == '+' || in_[s_] == '-' || in_[s_] == ' ') {
            f.tzsign = in_[s_] == '-' ? -1 : 1;
            ++s_;
          } else {
            f.tzsign = 1;
          }
          ParseInt(i, 2, &f.tzh);
          break;
        case F::kTZM:
          if (f.tzsign == 0) f.tzsign = 1;
          ParseInt(i, 2, &f.tzm);
          break;
        case F::kAmPm:
          AmPm(i, false, &f);
          break;
        case F::kAmPmDot:
          AmPm(i, true, &f);
          break;
      }
    }
    if (nodes_[i].type != Node::T::kEnd) {
      Bad(SqlState::kInvalidDatetimeFormat, "input string is too short for datetime format");
    }
    while (s_ < in_.size() && IsSpace(in_[s_])) ++s_;
    if (s_ < in_.size()) {
      Bad(SqlState::kInvalidDatetimeFormat,
          "trailing characters remain in input string after datetime format");
    }
    return f;
  }

 private:
  std::string_view in_;
  const std::vector<Node>& nodes_;
  size_t s_ = 0;
};

bool IsLeap(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

[[noreturn]] void FieldOverflow(std::string_view text) {
  Bad(SqlState::kDatetimeFieldOverflow,
      fmt::format("date/time field value out of range: \"{}\"", text));
}

JsonPathDatetime ParseWith(std::string_view text, std::string_view tmpl) {
  const std::vector<Node> nodes = ParseTemplate(tmpl);
  bool dated = false, timed = false, zoned = false;
  for (const Node& n : nodes) {
    if (n.type != Node::T::kField) continue;
    switch (n.key->field) {
      case F::kYYYY:
      case F::kYYY:
      case F::kYY:
      case F::kY:
      case F::kMM:
      case F::kDD:
      case F::kDDD:
        dated = true;
        break;
      case F::kTZH:
      case F::kTZM:
        zoned = true;
        break;
      default:
        timed = true;
        break;
    }
  }
  Reader reader(text, nodes);
  Fields f = reader.Read();
  int hour = f.hh;
  if (f.clock12) {
    if (hour < 1 || hour > 12) {
      throw Error(SqlState::kInvalidDatetimeFormat,
                  fmt::format("hour \"{}\" is invalid for the 12-hour clock", hour))
          .Hint("Use the 24-hour clock, or give an hour between 1 and 12.");
    }
    if (f.pm && hour < 12) {
      hour += 12;
    } else if (!f.pm && hour == 12) {
      hour = 0;
    }
  }
  int64_t year = f.has_year ? f.year : 0;
  int month = f.mm != 0 ? f.mm : 1;
  int day = f.dd != 0 ? f.dd : 1;
  if (f.ddd != 0 && f.mm == 0 && f.dd == 0) {
    static const int kYsum[2][13] = {{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
                                     {0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366}};
    const int* y = kYsum[IsLeap(year) ? 1 : 0];
    int m = 1;
    while (m <= 12 && f.ddd > y[m]) ++m;
    if (m > 12 || f.ddd < 1) FieldOverflow(text);
    month = m;
    day = f.ddd - y[m - 1];
  }
  if (dated) {
    static const int kDaysIn[2][12] = {{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
                                       {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}};
    if (month < 1 || month > 12 || day < 1 || day > kDaysIn[IsLeap(year) ? 1 : 0][month - 1]) {
      FieldOverflow(text);
    }
  }
  if (hour < 0 || hour >= 24 || f.mi < 0 || f.mi >= 60 || f.ss < 0 || f.ss >= 60 || f.us < 0 ||
      f.us >= 1000000) {
    FieldOverflow(text);
  }
  int32_t tz_east = 0;
  if (f.tzsign != 0) {
    if (f.tzh < 0 || f.tzh > 15) {
      Bad(SqlState::kInvalidTimeZoneDisplacementValue,
          fmt::format("time zone displacement out of range: \"{}\"", text));
    }
    tz_east = f.tzsign * (f.tzh * 3600 + f.tzm * 60);
  }
  int64_t tod = ((int64_t{hour} * 60 + f.mi) * 60 + f.ss) * 1000000 + f.us;
  if (f.ff > 0 && f.ff < 6) {
    // The precision of FFn, as a typmod rounds (AdjustTimeForTypmod, half up).
    static const int64_t kUnit[] = {1000000, 100000, 10000, 1000, 100, 10};
    const int64_t unit = kUnit[f.ff];
    tod = (tod + unit / 2) / unit * unit;
  }
  JsonPathDatetime d;
  if (dated) {
    if (zoned && !timed) {
      Bad(SqlState::kInvalidDatetimeFormat, "datetime format is zoned but not timed");
    }
    const int64_t days = DaysFromCivil(year, month, day);
    if (!timed) {
      if (!IsValidDate(days))
        Bad(SqlState::kDatetimeFieldOverflow, fmt::format("date out of range: \"{}\"", text));
      d.type = TypeId::kDate;
      d.value = days;
      return d;
    }
    const __int128 local = static_cast<__int128>(days) * kUsecPerDay + tod;
    const __int128 utc = zoned ? local - static_cast<__int128>(tz_east) * 1000000 : local;
    if (utc > INT64_MAX || utc < INT64_MIN || !IsValidTimestamp(static_cast<int64_t>(utc))) {
      Bad(SqlState::kDatetimeFieldOverflow, fmt::format("timestamp out of range: \"{}\"", text));
    }
    d.type = zoned ? TypeId::kTimestampTz : TypeId::kTimestamp;
    d.value = static_cast<int64_t>(utc);
    d.tz_east = tz_east;
    return d;
  }
  if (!timed) Bad(SqlState::kInvalidDatetimeFormat, "datetime format is not dated and not timed");
  d.type = zoned ? TypeId::kTimeTz : TypeId::kTime;
  d.value = tod;
  d.tz_east = tz_east;
  return d;
}

// The ISO formats tried without a template (date, timetz, time, timestamptz, timestamp; also
// with "T", as to_json writes timestamps).
constexpr const char* kIsoFormats[] = {
    "yyyy-mm-dd",
    "HH24:MI:SS.USTZH:TZM",
    "HH24:MI:SS.USTZH",
    "HH24:MI:SSTZH:TZM",
    "HH24:MI:SSTZH",
    "HH24:MI:SS.US",
    "HH24:MI:SS",
    "yyyy-mm-dd HH24:MI:SS.USTZH:TZM",
    "yyyy-mm-dd HH24:MI:SS.USTZH",
    "yyyy-mm-dd HH24:MI:SSTZH:TZM",
    "yyyy-mm-dd HH24:MI:SSTZH",
    "yyyy-mm-dd\"T\"HH24:MI:SS.USTZH:TZM",
    "yyyy-mm-dd\"T\"HH24:MI:SS.USTZH",
    "yyyy-mm-dd\"T\"HH24:MI:SSTZH:TZM",
    "yyyy-mm-dd\"T\"HH24:MI:SSTZH",
    "yyyy-mm-dd HH24:MI:SS.US",
    "yyyy-mm-dd HH24:MI:SS",
    "yyyy-mm-dd\"T\"HH24:MI:SS.US",
    "yyyy-mm-dd\"T\"HH24:MI:SS",
};

void AppendTz(int32_t tz_east, std::string* out) {
  const int32_t a = tz_east < 0 ? -tz_east : tz_east;
  out->push_back(tz_east < 0 ? '-' : '+');
  out->append(fmt::format("{:02}:{:02}", a / 3600, a / 60 % 60));
  if (a % 60 != 0) out->append(fmt::format(":{:02}", a % 60));
}

void AppendTime(int64_t tod, std::string* out) {
  const int64_t sec = tod / 1000000;
  out->append(fmt::format("{:02}:{:02}:{:02}", sec / 3600, sec / 60 % 60, sec % 60));
  int64_t frac = tod % 1000000;
  if (frac != 0) {
    std::string f = fmt::format(".{:06}", frac);
    while (f.back() == '0') f.pop_back();
    out->append(f);
  }
}

void AppendDate(int64_t days, std::string* out) {
  int64_t year;
  int month, day;
  CivilFromDays(days, &year, &month, &day);
  const bool bc = year <= 0;
  out->append(fmt::format("{:04}-{:02}-{:02}", bc ? 1 - year : year, month, day));
  if (bc) out->append(" BC");
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

[[noreturn]] void NeedsTz(const char* from, const char* to) {
  // PostgreSQL raises this one as 0A000.
  throw Error(SqlState::kFeatureNotSupported,
              fmt::format("cannot convert value from {} to {} without time zone usage", from, to))
      .Hint("Use *_tz() function for time zone support.");
}

int Cmp128(__int128 a, __int128 b) { return a < b ? -1 : a > b ? 1 : 0; }

// A local time (microseconds since 2000-01-01, possibly beyond the timestamp range) as UTC in
// the session zone.
__int128 LocalToUtc(__int128 local, const TimeZone& tz) {
  if (local > INT64_MAX / 2 || local < INT64_MIN / 2) return local;
  return local - static_cast<__int128>(tz.LocalOffset(static_cast<int64_t>(local))) * 1000000;
}

// The zone offset of a time of day cast to timetz: the session zone's offset now.
int32_t SessionOffsetNow(const TimeZone& tz) {
  return static_cast<int32_t>(tz.UtcOffset(CurrentTimestampTz()));
}

int CmpTimeTz(int64_t t1, int32_t east1, int64_t t2, int32_t east2) {
  // timetz_cmp: by the UTC time of day, then by zone (seconds west).
  const int64_t u1 = t1 - int64_t{east1} * 1000000;
  const int64_t u2 = t2 - int64_t{east2} * 1000000;
  if (u1 != u2) return u1 < u2 ? -1 : 1;
  const int32_t w1 = -east1, w2 = -east2;
  return w1 < w2 ? -1 : w1 > w2 ? 1 : 0;
}

}  // namespace

JsonPathDatetime ParseJsonPathDatetime(std::string_view text,
                                       std::optional<std::string_view> tmpl) {
  if (tmpl) return ParseWith(text, *tmpl);
  for (const char* f : kIsoFormats) {
    try {
      return ParseWith(text, f);
    } catch (const Error&) {
    }
  }
  throw Error(SqlState::kInvalidJsonDatetimeArgument,
              fmt::format("datetime format is not recognized: \"{}\"", text))
      .Hint("Use a datetime template argument to specify the input data format.");
}

std::optional<int> CompareJsonPathDatetimes(const JsonPathDatetime& a, const JsonPathDatetime& b,
                                            bool use_tz, const TimeZone& session) {
  using T = TypeId;
  const T ta = a.type, tb = b.type;
  auto is_time = [](T t) { return t == T::kTime || t == T::kTimeTz; };
  if (is_time(ta) != is_time(tb)) return std::nullopt;
  if (is_time(ta)) {
    if (ta == T::kTime && tb == T::kTime) return Cmp128(a.value, b.value);
    if (ta == T::kTime || tb == T::kTime) {
      if (!use_tz) NeedsTz("time", "timetz");
      const int32_t off = SessionOffsetNow(session);
      const int32_t ea = ta == T::kTime ? off : a.tz_east;
      const int32_t eb = tb == T::kTime ? off : b.tz_east;
      return CmpTimeTz(a.value, ea, b.value, eb);
    }
    return CmpTimeTz(a.value, a.tz_east, b.value, b.tz_east);
  }
  // date, timestamp, timestamptz: compare as microseconds (date: its midnight), in UTC when
  // either side is timestamptz.
  auto local = [](const JsonPathDatetime& d) -> __int128 {
    return d.type == T::kDate ? static_cast<__int128>(d.value) * kUsecPerDay : d.value;
  };
  if (ta == tb) return Cmp128(a.value, b.value);
  if (ta != T::kTimestampTz && tb != T::kTimestampTz) return Cmp128(local(a), local(b));
  const JsonPathDatetime& other = ta == T::kTimestampTz ? b : a;
  if (!use_tz) NeedsTz(other.type == T::kDate ? "date" : "timestamp", "timestamptz");
  const __int128 ua = ta == T::kTimestampTz ? a.value : LocalToUtc(local(a), session);
  const __int128 ub = tb == T::kTimestampTz ? b.value : LocalToUtc(local(b), session);
  return Cmp128(ua, ub);
}

std::string JsonPathDatetimeText(const JsonPathDatetime& d) {
  std::string out;
  switch (d.type) {
    case TypeId::kDate:
      AppendDate(d.value, &out);
      break;
    case TypeId::kTime:
      AppendTime(d.value, &out);
      break;
    case TypeId::kTimeTz:
      AppendTime(d.value, &out);
      AppendTz(d.tz_east, &out);
      break;
    default: {
      const int64_t local =
          d.type == TypeId::kTimestampTz ? d.value + int64_t{d.tz_east} * 1000000 : d.value;
      const int64_t days = FloorDiv(local, kUsecPerDay);
      std::string date;
      AppendDate(days, &date);
      const bool bc = date.size() > 3 && date.compare(date.size() - 3, 3, " BC") == 0;
      if (bc) date.resize(date.size() - 3);
      out = date + "T";
      AppendTime(local - days * kUsecPerDay, &out);
      if (d.type == TypeId::kTimestampTz) AppendTz(d.tz_east, &out);
      if (bc) out.append(" BC");
      break;
    }
  }
  return out;
}

const char* JsonPathDatetimeTypeName(TypeId t) {
  switch (t) {
    case TypeId::kDate:
      return "date";
    case TypeId::kTime:
      return "time without time zone";
    case TypeId::kTimeTz:
      return "time with time zone";
    case TypeId::kTimestamp:
      return "timestamp without time zone";
    default:
      return "timestamp with time zone";
  }
}

}  // namespace activestore
