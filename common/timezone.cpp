#include "common/timezone.h"

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "common/error.h"
#include "common/timezone_abbrevs.h"

namespace activestore {
namespace {

constexpr int64_t kUsecPerSec = 1000000;
constexpr int64_t kSecPerDay = 86400;
// Seconds from 1970-01-01 to 2000-01-01.
constexpr int64_t kEpochShift = int64_t{10957} * kSecPerDay;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Days since 1970-01-01 of Jan 1 of a (proleptic Gregorian) year.
int64_t DaysOfYearStart(int64_t y) {
  --y;  // days before year y, counted from year 1
  int64_t days = y * 365 + FloorDiv(y, 4) - FloorDiv(y, 100) + FloorDiv(y, 400);
  return days - 719162;  // days from 0001-01-01 to 1970-01-01
}

int64_t YearOfDays(int64_t days) {
  int64_t y = 1970 + FloorDiv(days * 400, 146097);
  while (DaysOfYearStart(y) > days) --y;
  while (DaysOfYearStart(y + 1) <= days) ++y;
  return y;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// The system tz files carry explicit transitions up to 2037 only (their POSIX footer rule, which
// PostgreSQL applies after that, is not read by date/tz.h with USE_OS_TZDB). Later instants are
// mapped to the latest year <= 2037 with the same calendar (weekday of January 1 and leap-ness),
// where the same rule gives the same transitions. Returns the shift in seconds to add.
constexpr int64_t kLastExplicitYear = 2037;
int64_t FutureShift(int64_t unix_seconds) {
  static const int64_t kLimit = DaysOfYearStart(kLastExplicitYear + 1) * kSecPerDay;
  if (unix_seconds < kLimit) return 0;
  int64_t days = FloorDiv(unix_seconds, kSecPerDay);
  int64_t y = YearOfDays(days);
  int64_t start = DaysOfYearStart(y);
  int64_t dow = ((start % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday (4)
  for (int64_t c = kLastExplicitYear; c > kLastExplicitYear - 40; --c) {
    int64_t cs = DaysOfYearStart(c);
    if (IsLeap(c) == IsLeap(y) && ((cs % 7) + 7 + 4) % 7 == dow) return (cs - start) * kSecPerDay;
  }
  return 0;  // not reached: every 28 years hold all 14 calendars
}

date::sys_info InfoAt(const date::time_zone* zone, int64_t unix_seconds) {
  return zone->get_info(date::sys_seconds{std::chrono::seconds{unix_seconds}});
}

const date::time_zone* FindZone(std::string_view name) {
  if (name.empty()) return nullptr;
  const date::tzdb& db = date::get_tzdb();
  const date::time_zone* nocase = nullptr;
  for (const auto& z : db.zones) {
    if (z.name() == name) return &z;
    if (nocase == nullptr && EqualsNoCase(z.name(), name)) nocase = &z;
  }
  return nocase;
}

// "[+-]hh[:mm[:ss]]" as POSIX TZ offsets (hours up to 167). Returns the rest or nullopt.
bool ParsePosixOffset(std::string_view& s, int64_t* seconds) {
  int sign = 1;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
  }
  auto num = [&](int max_digits, int64_t* out) {
    size_t n = 0;
    int64_t v = 0;
    while (n < s.size() && n < static_cast<size_t>(max_digits) && std::isdigit(s[n])) {
      v = v * 10 + (s[n] - '0');
      ++n;
    }
    if (n == 0) return false;
    s.remove_prefix(n);
    *out = v;
    return true;
  };
  int64_t h = 0, m = 0, sec = 0;
  if (!num(3, &h) || h > 167) return false;
  if (!s.empty() && s[0] == ':') {
    s.remove_prefix(1);
    if (!num(2, &m) || m > 59) return false;
    if (!s.empty() && s[0] == ':') {
      s.remove_prefix(1);
      if (!num(2, &sec) || sec > 59) return false;
    }
  }
  *seconds = sign * (h * 3600 + m * 60 + sec);
  return true;
}

std::string OffsetText(int64_t abs_seconds) {
  std::string out = fmt::format("{:02}", abs_seconds / 3600);
  if (abs_seconds % 3600 != 0) {
    out += fmt::format(":{:02}", abs_seconds / 60 % 60);
    if (abs_seconds % 60 != 0) out += fmt::format(":{:02}", abs_seconds % 60);
  }
  return out;
}

// A POSIX rule date and time (tzcode's struct rule): "Jn" (1..365, February 29 never
// counted), "n" (0..365, counted), "Mm.w.d" (day d of week w, 5 = last, of month m); at time
// seconds after local midnight (default 02:00, may be negative or past 24 hours).
struct PosixRule {
  char kind = 'M';  // 'J', 'D' (zero-based day) or 'M'
  int day = 0, week = 0, month = 0;
  int64_t time = 2 * 3600;
};

// Digits as a number in [min, max]; false if none or out of range.
bool PosixNumber(std::string_view& s, int min, int max, int* out) {
  size_t n = 0;
  int64_t v = 0;
  while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n]))) {
    v = v * 10 + (s[n] - '0');
    if (v > max) return false;
    ++n;
  }
  if (n == 0 || v < min) return false;
  s.remove_prefix(n);
  *out = static_cast<int>(v);
  return true;
}

// tzcode's getrule.
bool ParsePosixRule(std::string_view& s, PosixRule* r) {
  if (s.empty()) return false;
  if (s[0] == 'J') {
    s.remove_prefix(1);
    r->kind = 'J';
    if (!PosixNumber(s, 1, 365, &r->day)) return false;
  } else if (s[0] == 'M') {
    s.remove_prefix(1);
    r->kind = 'M';
    if (!PosixNumber(s, 1, 12, &r->month) || s.empty() || s[0] != '.') return false;
    s.remove_prefix(1);
    if (!PosixNumber(s, 1, 5, &r->week) || s.empty() || s[0] != '.') return false;
    s.remove_prefix(1);
    if (!PosixNumber(s, 0, 6, &r->day)) return false;
  } else if (std::isdigit(static_cast<unsigned char>(s[0]))) {
    r->kind = 'D';
    if (!PosixNumber(s, 0, 365, &r->day)) return false;
  } else {
    return false;
  }
  if (!s.empty() && s[0] == '/') {
    s.remove_prefix(1);
    return ParsePosixOffset(s, &r->time);
  }
  return true;
}

// Seconds from the start of the year to the rule's local time in that year (tzcode's
// transtime).
int64_t RuleSecondsInYear(int64_t year, const PosixRule& r) {
  int64_t day;  // zero-based day of the year
  if (r.kind == 'J') {
    day = r.day - 1 + (IsLeap(year) && r.day >= 60 ? 1 : 0);
  } else if (r.kind == 'D') {
    day = r.day;
  } else {
    static constexpr int kCum[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    static constexpr int kLen[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int leap = IsLeap(year) && r.month > 2 ? 1 : 0;
    const int64_t first = kCum[r.month - 1] + leap;  // the month's first day
    const int64_t wday_first = ((DaysOfYearStart(year) + first) % 7 + 7 + 4) % 7;
    int64_t d = (r.day - wday_first + 7) % 7 + 7 * (r.week - 1);
    const int len = kLen[r.month - 1] + (IsLeap(year) && r.month == 2 ? 1 : 0);
    while (d >= len) d -= 7;
    day = first + d;
  }
  return day * kSecPerDay + r.time;
}

}  // namespace

// The daylight-saving part of a POSIX spec: its offset and abbreviation, and when it starts
// (local standard time) and ends (local daylight-saving time) each year.
struct PosixDst {
  int64_t east = 0;
  std::string abbrev;
  PosixRule start, end;
};

struct TimeZone::Period {
  int64_t begin = std::numeric_limits<int64_t>::min();  // Unix seconds
  int64_t end = std::numeric_limits<int64_t>::max();    // exclusive; max: no later change
  int64_t offset = 0;                                   // east of UTC, seconds
  bool is_dst = false;
  std::string abbrev;
};

TimeZone::Period TimeZone::PeriodAt(int64_t unix_seconds) const {
  Period p;
  if (dst_ == nullptr) {
    date::sys_info info = InfoAt(zone_, unix_seconds);
    if (info.begin != date::sys_seconds::min()) p.begin = info.begin.time_since_epoch().count();
    if (info.end != date::sys_seconds::max()) p.end = info.end.time_since_epoch().count();
    p.offset = info.offset.count();
    p.is_dst = info.save.count() != 0;
    p.abbrev = info.abbrev;
    return p;
  }
  // The changes of the years around the instant, in order; the period is between two of them.
  struct Change {
    int64_t at;
    bool to_dst;
  };
  std::vector<Change> changes;
  const int64_t year = YearOfDays(FloorDiv(unix_seconds + fixed_offset_, kSecPerDay));
  for (int64_t y = year - 1; y <= year + 1; ++y) {
    const int64_t start = DaysOfYearStart(y) * kSecPerDay;
    changes.push_back({start + RuleSecondsInYear(y, dst_->start) - fixed_offset_, true});
    changes.push_back({start + RuleSecondsInYear(y, dst_->end) - dst_->east, false});
  }
  std::sort(changes.begin(), changes.end(),
            [](const Change& a, const Change& b) { return a.at < b.at; });
  size_t k = 0;  // the first change after the instant
  while (k < changes.size() && changes[k].at <= unix_seconds) ++k;
  const bool dst = k > 0 ? changes[k - 1].to_dst : !changes[0].to_dst;
  p.begin = k > 0 ? changes[k - 1].at : p.begin;
  p.end = k < changes.size() ? changes[k].at : p.end;
  p.offset = dst ? dst_->east : fixed_offset_;
  p.is_dst = dst;
  p.abbrev = dst ? dst_->abbrev : fixed_abbrev_;
  return p;
}

std::shared_ptr<const TimeZone> TimeZone::Find(std::string_view name) {
  if (const date::time_zone* z = FindZone(name)) {
    return std::make_shared<TimeZone>(z->name(), z, 0, "");
  }
  // The tz database's "posix/" tree repeats every zone (date/tz.h lists each once), and its
  // "Factory" zone is the fixed offset 0 named "-00" (date/tz.h leaves it out).
  constexpr std::string_view kPosix = "posix/";
  if (name.size() > kPosix.size() && EqualsNoCase(name.substr(0, kPosix.size()), kPosix)) {
    if (const date::time_zone* z = FindZone(name.substr(kPosix.size()))) {
      return std::make_shared<TimeZone>(std::string(kPosix) + std::string(z->name()), z, 0, "");
    }
  }
  if (EqualsNoCase(name, "Factory"))
    return std::make_shared<TimeZone>("Factory", nullptr, 0, "-00");
  // POSIX "STDoffset[DST...]": STD is <...> or letters (PostgreSQL allows it empty).
  std::string_view s = name;
  std::string abbrev;
  if (!s.empty() && s[0] == '<') {
    size_t end = s.find('>');
    if (end == std::string_view::npos) return nullptr;
    abbrev = std::string(s.substr(1, end - 1));
    s.remove_prefix(end + 1);
  } else {
    size_t n = 0;
    while (n < s.size() && !std::isdigit(static_cast<unsigned char>(s[n])) && s[n] != ',' &&
           s[n] != '-' && s[n] != '+') {
      ++n;
    }
    abbrev = Upper(s.substr(0, n));
    s.remove_prefix(n);
  }
  if (s.empty() || name[0] == ':') return nullptr;
  int64_t posix_offset;
  if (!ParsePosixOffset(s, &posix_offset)) return nullptr;
  if (s.empty()) return std::make_shared<TimeZone>(Upper(name), nullptr, -posix_offset, abbrev);
  // The daylight-saving part (tzcode's tzparse): a name, an optional offset (default an hour
  // east of standard time), then the rules.
  auto dst = std::make_shared<PosixDst>();
  if (s[0] == '<') {
    size_t end = s.find('>');
    if (end == std::string_view::npos || end == 1) return nullptr;
    dst->abbrev = std::string(s.substr(1, end - 1));
    s.remove_prefix(end + 1);
  } else {
    size_t n = 0;
    while (n < s.size() && std::isalpha(static_cast<unsigned char>(s[n]))) ++n;
    if (n == 0) return nullptr;
    dst->abbrev = Upper(s.substr(0, n));
    s.remove_prefix(n);
  }
  dst->east = -posix_offset + 3600;
  if (!s.empty() && s[0] != ',' && s[0] != ';') {
    int64_t dst_offset;
    if (!ParsePosixOffset(s, &dst_offset)) return nullptr;
    dst->east = -dst_offset;
  }
  if (s.empty()) s = ",M3.2.0,M11.1.0";  // PostgreSQL's rules when the spec gives none
  if (s[0] != ',' && s[0] != ';') return nullptr;
  s.remove_prefix(1);
  if (!ParsePosixRule(s, &dst->start) || s.empty() || s[0] != ',') return nullptr;
  s.remove_prefix(1);
  if (!ParsePosixRule(s, &dst->end) || !s.empty()) return nullptr;
  return std::make_shared<TimeZone>(Upper(name), nullptr, -posix_offset, abbrev, std::move(dst));
}

std::shared_ptr<const TimeZone> TimeZone::FixedOffset(int64_t east_seconds) {
  int64_t abs = std::llabs(east_seconds);
  if (abs >= 168 * 3600) return nullptr;
  std::string off = OffsetText(abs);
  // PostgreSQL names it as a POSIX spec: "<-08>+08" is 8 hours west.
  std::string name = east_seconds < 0 ? "<-" + off + ">+" + off : "<+" + off + ">-" + off;
  std::string abbrev = (east_seconds < 0 ? "-" : "+") + off;
  return std::make_shared<TimeZone>(name, nullptr, east_seconds, abbrev);
}

const std::shared_ptr<const TimeZone>& TimeZone::Utc() {
  static const std::shared_ptr<const TimeZone> kUtc = [] {
    const date::time_zone* z = FindZone("UTC");
    return std::make_shared<const TimeZone>("UTC", z, 0, "UTC");
  }();
  return kUtc;
}

int64_t TimeZone::UtcOffset(int64_t utc_usec, std::string* abbrev) const {
  if (zone_ == nullptr && dst_ == nullptr) {
    if (abbrev) *abbrev = fixed_abbrev_;
    return fixed_offset_;
  }
  int64_t unix_seconds = FloorDiv(utc_usec, kUsecPerSec) + kEpochShift;
  if (zone_ != nullptr) unix_seconds += FutureShift(unix_seconds);
  Period p = PeriodAt(unix_seconds);
  if (abbrev) *abbrev = p.abbrev;
  return p.offset;
}

int64_t TimeZone::LocalOffset(int64_t local_usec) const {
  if (zone_ == nullptr && dst_ == nullptr) return fixed_offset_;
  // PostgreSQL's DetermineTimeZoneOffset: find the first transition after (local time read as
  // UTC) minus a day; compare both candidate UTC times against it.
  int64_t t = FloorDiv(local_usec, kUsecPerSec) + kEpochShift;
  if (zone_ != nullptr) t += FutureShift(t);
  Period before = PeriodAt(t - kSecPerDay);
  int64_t before_off = before.offset;
  if (before.end == std::numeric_limits<int64_t>::max()) return before_off;
  int64_t boundary = before.end;
  int64_t after_off = PeriodAt(boundary).offset;
  int64_t before_time = t - before_off;
  int64_t after_time = t - after_off;
  if (before_time < boundary && after_time < boundary) return before_off;
  if (before_time >= boundary && after_time >= boundary) return after_off;
  // In the gap (spring forward) take the offset before it, in the overlap the one after.
  return before_time > after_time ? before_off : after_off;
}

int64_t TimeZone::LocalToUtc(int64_t local_usec) const {
  if (local_usec == std::numeric_limits<int64_t>::min() ||
      local_usec == std::numeric_limits<int64_t>::max()) {
    return local_usec;
  }
  return local_usec - LocalOffset(local_usec) * kUsecPerSec;
}

int64_t TimeZone::UtcToLocal(int64_t utc_usec) const {
  if (utc_usec == std::numeric_limits<int64_t>::min() ||
      utc_usec == std::numeric_limits<int64_t>::max()) {
    return utc_usec;
  }
  return utc_usec + UtcOffset(utc_usec) * kUsecPerSec;
}

namespace {

// The Default set: abbreviation -> "-28800 D" (offset east, daylight-saving flag) or a zone
// name.
const std::unordered_map<std::string, std::string>& DefaultAbbrevTable() {
  // PostgreSQL 15's "Default" timezone_abbreviations: abbreviation and offset east of UTC in
  // seconds, or the zone whose rules give the offset (not supported here).
  static const std::unordered_map<std::string, std::string> kTable = [] {
    static constexpr const char* kDefault =
        "EAT 10800|SAST 7200|WAT 3600|ACT -18000|AKDT -28800 D|AKST -32400|"
        "ART America/Argentina/Buenos_Aires|ARST America/Argentina/Buenos_Aires|BOT -14400|"
        "BRA -10800|BRST -7200 D|BRT -10800|COT -18000|CDT -18000 D|CLST -10800 D|"
        "CLT America/Santiago|CST -21600|EDT -14400 D|EGST 0 D|EGT -3600|EST -18000|FNT -7200|"
        "FNST -3600 D|GFT -10800|GYT America/Guyana|MDT -21600 D|MST -25200|NDT -9000 D|"
        "NFT -12600|NST -12600|PET -18000|PDT -25200 D|PMDT -7200 D|PMST -10800|PST -28800|"
        "PYST -10800 D|PYT America/Asuncion|UYST -7200 D|UYT -10800|VET America/Caracas|"
        "WGST -7200 D|WGT -10800|DAVT Antarctica/Davis|DDUT 36000|MAWT Antarctica/Mawson|"
        "AFT 16200|ALMT 21600|ALMST 25200 D|AMST Asia/Yerevan|AMT -14400|ANAST Asia/Anadyr|"
        "ANAT Asia/Anadyr|AZST Asia/Baku|AZT Asia/Baku|BDT 21600|BNT 28800|BORT 28800|BTT 21600|"
        "CCT 28800|GEST Asia/Tbilisi|GET Asia/Tbilisi|HKT 28800|ICT 25200|IDT 10800 D|"
        "IRKST Asia/Irkutsk|IRKT Asia/Irkutsk|IRT 12600|IST 7200|JAYT 32400|JST 32400|"
        "KDT 36000 D|KGST 21600 D|KGT Asia/Bishkek|KRAST Asia/Krasnoyarsk|KRAT Asia/Krasnoyarsk|"
        "KST 32400|LKT Asia/Colombo|MAGST Asia/Magadan|MAGT Asia/Magadan|MMT 23400|MYT 28800|"
        "NOVST Asia/Novosibirsk|NOVT Asia/Novosibirsk|NPT 20700|OMSST Asia/Omsk|OMST Asia/Omsk|"
        "PETST Asia/Kamchatka|PETT Asia/Kamchatka|PHT 28800|PKT 18000|PKST 21600 D|"
        "SGT Asia/Singapore|TJT 18000|TMT Asia/Ashgabat|ULAST 32400 D|ULAT Asia/Ulaanbaatar|"
        "UZST 21600 D|UZT 18000|VLAST Asia/Vladivostok|VLAT Asia/Vladivostok|XJT 21600|"
        "YAKST Asia/Yakutsk|YAKT Asia/Yakutsk|YEKST 21600 D|YEKT Asia/Yekaterinburg|ADT -10800 D|"
        "AST -14400|AZOST 0 D|AZOT -3600|FKST Atlantic/Stanley|FKT Atlantic/Stanley|"
        "ACSST 37800 D|ACDT 37800 D|ACST 34200|ACWST 31500|AESST 39600 D|AEDT 39600 D|AEST 36000|"
        "AWSST 32400 D|AWST 28800|CADT 37800 D|CAST 34200|LHDT Australia/Lord_Howe|LHST 37800|"
        "LIGT 36000|NZT 43200|SADT 37800 D|WADT 28800 D|WAST 25200|WDT 32400 D|GMT 0|UCT 0|UT 0|"
        "UTC 0|Z 0|ZULU 0|BST 3600 D|BDST 7200 D|CEST 7200 D|CET 3600|CETDST 7200 D|EEST 10800 D|"
        "EET 7200|EETDST 10800 D|FET 10800|MEST 7200 D|MESZ 7200 D|MET 3600|METDST 7200 D|"
        "MEZ 3600|MSD 14400 D|MSK Europe/Moscow|VOLT Europe/Volgograd|WET 0|WETDST 3600 D|"
        "CXT 25200|IOT Indian/Chagos|MUT 14400|MUST 18000 D|MVT 18000|RET 14400|SCT 14400|"
        "TFT 18000|CHADT 49500 D|CHAST 45900|CHUT 36000|CKT Pacific/Rarotonga|"
        "EASST Pacific/Easter|EAST Pacific/Easter|FJST 46800 D|FJT 43200|GALT -21600|GAMT -32400|"
        "GILT 43200|HST -36000|KOST Pacific/Kosrae|LINT Pacific/Kiritimati|MART -34200|MHT 43200|"
        "MPT 36000|NUT Pacific/Niue|NZDT 46800 D|NZST 43200|PGT 36000|PONT 39600|PWT 32400|"
        "TAHT -36000|TKT Pacific/Fakaofo|TOT 46800|TRUT 36000|TVT 43200|VUT 39600|WAKT 43200|"
        "WFT 43200|YAPT 36000|";
    std::unordered_map<std::string, std::string> m;
    std::string_view all = kDefault;
    while (!all.empty()) {
      size_t bar = all.find('|');
      std::string_view entry = all.substr(0, bar);
      all.remove_prefix(bar == std::string_view::npos ? all.size() : bar + 1);
      size_t sp = entry.find(' ');
      if (sp == std::string_view::npos) continue;
      m.emplace(std::string(entry.substr(0, sp)), std::string(entry.substr(sp + 1)));
    }
    return m;
  }();
  return kTable;
}

// The abbreviation's entry in the Default set; nullptr if absent.
const std::string* DefaultAbbrevEntry(std::string_view word) {
  const auto& table = DefaultAbbrevTable();
  auto it = table.find(Upper(word));
  return it == table.end() ? nullptr : &it->second;
}

bool IsOffsetEntry(const std::string& v) {
  return !v.empty() && (std::isdigit(static_cast<unsigned char>(v[0])) || v[0] == '-');
}

}  // namespace

bool FindZoneAbbreviation(std::string_view word, ZoneAbbrev* out) {
  const std::string* v = DefaultAbbrevEntry(word);
  if (v == nullptr) return false;
  *out = ZoneAbbrev{};
  if (IsOffsetEntry(*v)) {
    out->east = std::stoll(*v);
    out->is_dst = v->size() > 2 && v->compare(v->size() - 2, 2, " D") == 0;
    return true;
  }
  out->dynamic = true;
  out->zone = TimeZone::Find(*v);
  return out->zone != nullptr;
}

std::vector<std::string> ZoneAbbreviationNames() {
  std::vector<std::string> names;
  for (const auto& [name, entry] : DefaultAbbrevTable()) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

bool LookupZoneAbbreviation(std::string_view word, int64_t* east_seconds) {
  const std::string* v = DefaultAbbrevEntry(word);
  if (v == nullptr) return false;
  if (IsOffsetEntry(*v)) {
    *east_seconds = std::stoll(*v);
    return true;
  }
  Throw(SqlState::kFeatureNotSupported,
        "time zone abbreviation \"{}\" is not supported: its offset depends on the date ({})", word,
        *v);
}

bool TimeZone::FixedOffsetOf(int64_t* east_seconds) const {
  if (dst_ != nullptr) return false;
  if (zone_ == nullptr) {
    *east_seconds = fixed_offset_;
    return true;
  }
  // Every period from the earliest date PostgreSQL represents on.
  int64_t t = -int64_t{210866803200};  // 4714-11-24 BC in Unix seconds
  date::sys_info info = InfoAt(zone_, t);
  const int64_t first = info.offset.count();
  while (info.end != date::sys_seconds::max() &&
         info.end.time_since_epoch().count() < int64_t{300000000000}) {
    info = InfoAt(zone_, info.end.time_since_epoch().count());
    if (info.offset.count() != first) return false;
  }
  *east_seconds = first;
  return true;
}

bool TimeZone::AbbrevOffset(std::string_view abbrev, int64_t utc_usec, int64_t* east_seconds,
                            bool* is_dst) const {
  if (dst_ != nullptr && EqualsNoCase(abbrev, dst_->abbrev)) {
    *east_seconds = dst_->east;
    *is_dst = true;
    return true;
  }
  if (zone_ == nullptr) {
    if (!EqualsNoCase(abbrev, fixed_abbrev_)) return false;
    *east_seconds = fixed_offset_;
    *is_dst = false;
    return true;
  }
  auto matches = [&](const date::sys_info& info) {
    if (!EqualsNoCase(info.abbrev, abbrev)) return false;
    *east_seconds = info.offset.count();
    *is_dst = info.save.count() != 0;
    return true;
  };
  int64_t t = FloorDiv(utc_usec, kUsecPerSec) + kEpochShift;
  // Backwards from the period holding t (pg_interpret_timezone_abbrev scans the transitions
  // at or before t, latest first), then forwards.
  date::sys_info info = InfoAt(zone_, t);
  const date::sys_info at = info;
  for (;;) {
    if (matches(info)) return true;
    // The first period (local mean time) begins at date.h's minimum, far before any date.
    if (info.begin.time_since_epoch().count() < -int64_t{300000000000}) break;
    info = InfoAt(zone_, info.begin.time_since_epoch().count() - 1);
  }
  info = at;
  while (info.end != date::sys_seconds::max() &&
         info.end.time_since_epoch().count() < int64_t{300000000000}) {
    info = InfoAt(zone_, info.end.time_since_epoch().count());
    if (matches(info)) return true;
  }
  return false;
}

}  // namespace activestore
