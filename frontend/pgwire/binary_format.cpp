#include "frontend/pgwire/binary_format.h"

#include <fmt/format.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "common/base10000.h"
#include "common/char_type.h"
#include "common/error.h"
#include "common/interval.h"
#include "common/money.h"
#include "common/point.h"
#include "common/time_types.h"
#include "common/user_types.h"
#include "frontend/pgwire/binary_array.h"
#include "frontend/pgwire/binary_record.h"

namespace activestore::frontend::pgwire {

// cstring (common/cstring_type.h), not in binary_format.h's list.
constexpr uint32_t kCstringOid = 2275;
namespace {

// PostgreSQL epoch (2000-01-01) as days since 1970-01-01.
constexpr int64_t kPgEpochDays = 10957;
constexpr int64_t kUsPerDay = 86400LL * 1000000;

void PutBig(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>(v >> (8 * i)));
}

uint64_t GetBig(std::string_view d) {
  uint64_t v = 0;
  for (char c : d) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

template <typename T>
std::optional<T> ParseInt(std::string_view s) {
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> ParseFloat(std::string_view s) {
  if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (s == "Infinity") return std::numeric_limits<double>::infinity();
  if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string FormatFloat(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return fmt::format("{}", v);
}

std::string FormatFloat(float v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return fmt::format("{}", v);
}

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, astronomical years).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

// Parses "YYYY-MM-DD" at the front of `s`, advancing it. Returns days since the PG epoch
// (without the BC adjustment, which the caller applies from the suffix).
std::optional<int64_t> ParseDatePart(std::string_view& s, bool bc) {
  size_t dash1 = s.find('-');
  if (dash1 == std::string_view::npos || dash1 == 0) return std::nullopt;
  auto year = ParseInt<int64_t>(s.substr(0, dash1));
  if (!year || s.size() < dash1 + 6 || s[dash1 + 3] != '-') return std::nullopt;
  auto month = ParseInt<unsigned>(s.substr(dash1 + 1, 2));
  auto day = ParseInt<unsigned>(s.substr(dash1 + 4, 2));
  if (!month || !day || *month < 1 || *month > 12 || *day < 1 || *day > 31) return std::nullopt;
  s.remove_prefix(dash1 + 6);
  int64_t y = bc ? 1 - *year : *year;
  return DaysFromCivil(y, *month, *day) - kPgEpochDays;
}

bool StripBc(std::string_view& s) {
  if (s.size() > 3 && s.substr(s.size() - 3) == " BC") {
    s.remove_suffix(3);
    return true;
  }
  return false;
}

// "HH:MM:SS[.ffffff]" at the front of `s`, advancing it; microseconds.
std::optional<int64_t> ParseTimePart(std::string_view& s) {
  if (s.size() < 8 || s[2] != ':' || s[5] != ':') return std::nullopt;
  auto h = ParseInt<int64_t>(s.substr(0, 2));
  auto mi = ParseInt<int64_t>(s.substr(3, 2));
  auto se = ParseInt<int64_t>(s.substr(6, 2));
  if (!h || !mi || !se) return std::nullopt;
  s.remove_prefix(8);
  int64_t frac = 0;
  if (!s.empty() && s[0] == '.') {
    size_t n = 1;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
    std::string digits(s.substr(1, n - 1));
    if (digits.empty() || digits.size() > 6) return std::nullopt;
    digits.resize(6, '0');
    frac = *ParseInt<int64_t>(digits);
    s.remove_prefix(n);
  }
  return ((*h * 60 + *mi) * 60 + *se) * 1000000 + frac;
}

// "+HH[:MM[:SS]]" or "-..." : offset east of UTC in seconds.
std::optional<int64_t> ParseOffset(std::string_view s) {
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  int sign = s[0] == '-' ? -1 : 1;
  s.remove_prefix(1);
  int64_t total = 0;
  int parts = 0;
  while (!s.empty()) {
    if (parts > 0) {
      if (s[0] != ':') return std::nullopt;
      s.remove_prefix(1);
    }
    if (s.size() < 2 || parts == 3) return std::nullopt;
    auto v = ParseInt<int64_t>(s.substr(0, 2));
    if (!v) return std::nullopt;
    total = total * 60 + *v;
    s.remove_prefix(2);
    ++parts;
  }
  for (int i = parts; i < 3; ++i) total *= 60;
  return sign * total;
}

std::optional<int64_t> ParseTimestamp(std::string_view s, bool with_tz) {
  bool bc = StripBc(s);
  auto days = ParseDatePart(s, bc);
  if (!days || s.empty() || s[0] != ' ') return std::nullopt;
  s.remove_prefix(1);
  auto us = ParseTimePart(s);
  if (!us) return std::nullopt;
  int64_t value = *days * kUsPerDay + *us;
  if (with_tz) {
    auto off = ParseOffset(s);
    if (!off) return std::nullopt;
    value -= *off * 1000000;
  } else if (!s.empty()) {
    return std::nullopt;
  }
  return value;
}

std::string FormatTimestamp(int64_t us, bool with_tz) {
  int64_t days = us >= 0 ? us / kUsPerDay : -((-us + kUsPerDay - 1) / kUsPerDay);
  int64_t rem = us - days * kUsPerDay;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days + kPgEpochDays, y, m, d);
  bool bc = y <= 0;
  int64_t secs = rem / 1000000;
  int64_t frac = rem % 1000000;
  std::string out = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", bc ? 1 - y : y, m, d,
                                secs / 3600, secs / 60 % 60, secs % 60);
  if (frac != 0) {
    std::string f = fmt::format("{:06}", frac);
    while (f.back() == '0') f.pop_back();
    out += "." + f;
  }
  if (with_tz) out += "+00";
  if (bc) out += " BC";
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool BinaryFormatSupported(uint32_t type_oid) {
  if (BinaryArrayElement(type_oid)) return true;
  switch (type_oid) {
    case oid::kBool:
    case oid::kBytea:
    case oid::kName:
    case oid::kInt8:
    case oid::kInt2:
    case oid::kInt4:
    case oid::kText:
    case kCstringOid:  // cstring_send / cstring_recv: the text
    case oid::kOid:
    case oid::kRegClass:
    case oid::kRegType:
    case oid::kRegNamespace:
    case oid::kRegRole:
    case oid::kJson:
    case oid::kJsonb:
    case oid::kJsonpath:
    case oid::kFloat4:
    case oid::kFloat8:
    case oid::kUnknown:
    case oid::kBpchar:
    case oid::kVarchar:
    case oid::kDate:
    case oid::kTimestamp:
    case oid::kTimestampTz:
    case oid::kInterval:
    case oid::kNumeric:
    case oid::kUuid:
    case oid::kTime:
    case oid::kTimeTz:
    case oid::kVoid:
    case oid::kChar:
    case oid::kMoney:
    case oid::kBit:
    case oid::kVarbit:
    case oid::kPoint:
      return true;
    default:
      // enum_send: the label's bytes; record_send (binary_record.h).
      return IsEnumType(static_cast<TypeId>(type_oid)) || BinaryRecordSupported(type_oid);
  }
}

std::optional<size_t> BinaryFixedSize(uint32_t type_oid) {
  switch (type_oid) {
    case oid::kBool:
    case oid::kChar:
      return 1;
    case oid::kInt2:
      return 2;
    case oid::kInt4:
    case oid::kOid:
    case oid::kRegClass:
    case oid::kRegType:
    case oid::kRegNamespace:
    case oid::kRegRole:
    case oid::kFloat4:
    case oid::kDate:
      return 4;
    case oid::kInt8:
    case oid::kFloat8:
    case oid::kTimestamp:
    case oid::kTimestampTz:
    case oid::kTime:
    case oid::kMoney:
      return 8;
    case oid::kTimeTz:
      return 12;
    case oid::kUuid:
    case oid::kInterval:
    case oid::kPoint:
      return 16;
    default:
      return std::nullopt;
  }
}

namespace {

constexpr uint16_t kNumericPos = 0x0000;
constexpr uint16_t kNumericNeg = 0x4000;
constexpr uint16_t kNumericNaN = 0xC000;
constexpr uint16_t kNumericPosInf = 0xD000;
constexpr uint16_t kNumericNegInf = 0xF000;
constexpr uint16_t kNumericMaxDscale = 0x3FFF;

void PutNumericHeader(std::string& out, size_t ndigits, int weight, uint16_t sign, size_t dscale) {
  PutBig(out, ndigits, 2);
  PutBig(out, static_cast<uint16_t>(weight), 2);
  PutBig(out, sign, 2);
  PutBig(out, dscale, 2);
}

}  // namespace

std::optional<std::string> NumericTextToBinary(std::string_view text) {
  std::string out;
  if (text == "NaN" || text == "Infinity" || text == "-Infinity") {
    // PostgreSQL 15 sends dscale 32 for the infinities (what its header bits read as).
    PutNumericHeader(out, 0, 0,
                     text == "NaN"        ? kNumericNaN
                     : text == "Infinity" ? kNumericPosInf
                                          : kNumericNegInf,
                     text == "NaN" ? 0 : 32);
    return out;
  }
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  const size_t point = text.find('.');
  std::string_view int_part = text.substr(0, point);
  std::string_view frac_part =
      point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  if (int_part.empty() || frac_part.size() > kNumericMaxDscale) return std::nullopt;
  for (std::string_view part : {int_part, frac_part}) {
    for (char c : part) {
      if (c < '0' || c > '9') return std::nullopt;
    }
  }
  const Base10000Digits n = ToBase10000(int_part, frac_part);
  if (n.weight > 0x7FFF || n.weight < -0x8000) return std::nullopt;
  PutNumericHeader(out, n.digits.size(), n.weight,
                   negative && !n.digits.empty() ? kNumericNeg : kNumericPos, frac_part.size());
  for (uint16_t d : n.digits) PutBig(out, d, 2);
  return out;
}

std::optional<std::string> NumericBinaryToText(std::string_view data) {
  if (data.size() < 8) return std::nullopt;
  const size_t ndigits = GetBig(data.substr(0, 2));
  const int weight = static_cast<int16_t>(GetBig(data.substr(2, 2)));
  const uint16_t sign = static_cast<uint16_t>(GetBig(data.substr(4, 2)));
  const size_t dscale = GetBig(data.substr(6, 2));
  if (data.size() != 8 + 2 * ndigits) return std::nullopt;
  switch (sign) {
    case kNumericNaN:
      return std::string("NaN");
    case kNumericPosInf:
      return std::string("Infinity");
    case kNumericNegInf:
      return std::string("-Infinity");
    case kNumericPos:
    case kNumericNeg:
      break;
    default:
      return std::nullopt;
  }
  if (dscale > kNumericMaxDscale) return std::nullopt;
  std::vector<uint16_t> digits(ndigits);
  for (size_t i = 0; i < ndigits; ++i) {
    digits[i] = static_cast<uint16_t>(GetBig(data.substr(8 + 2 * i, 2)));
    if (digits[i] > 9999) return std::nullopt;
  }
  auto digit_at = [&](int w) -> uint16_t {  // the base-10000 digit of weight w
    int i = weight - w;
    return i >= 0 && static_cast<size_t>(i) < ndigits ? digits[static_cast<size_t>(i)] : 0;
  };
  std::string out = sign == kNumericNeg ? "-" : "";
  std::string int_part;
  for (int w = std::max(weight, 0); w >= 0; --w) {
    int_part +=
        int_part.empty() ? fmt::format("{}", digit_at(w)) : fmt::format("{:04}", digit_at(w));
  }
  out += int_part;
  if (dscale > 0) {
    std::string frac;
    for (int w = -1; frac.size() < dscale; --w) frac += fmt::format("{:04}", digit_at(w));
    out += "." + frac.substr(0, dscale);
  }
  return out;
}

std::optional<std::string> TextToBinary(uint32_t type_oid, std::string_view text) {
  if (std::optional<uint32_t> elem = BinaryArrayElement(type_oid)) {
    return ArrayTextToBinary(*elem, text);
  }
  std::string out;
  switch (type_oid) {
    case oid::kNumeric:
      return NumericTextToBinary(text);
    case oid::kVoid:  // void_send: no bytes
      return out;
    case oid::kJsonb:
    case oid::kJsonpath:
      return std::string(1, '\1') + std::string(text);
    case oid::kName:
    case oid::kText:
    case kCstringOid:  // cstring_send / cstring_recv: the text
    case oid::kJson:
    case oid::kUnknown:
    case oid::kBpchar:
    case oid::kVarchar:
      return std::string(text);
    case oid::kBool:
      if (text == "t" || text == "true") return std::string(1, '\1');
      if (text == "f" || text == "false") return std::string(1, '\0');
      return std::nullopt;
    case oid::kInt2: {
      auto v = ParseInt<int16_t>(text);
      if (!v) return std::nullopt;
      PutBig(out, static_cast<uint16_t>(*v), 2);
      return out;
    }
    case oid::kInt4: {
      auto v = ParseInt<int32_t>(text);
      if (!v) return std::nullopt;
      PutBig(out, static_cast<uint32_t>(*v), 4);
      return out;
    }
    case oid::kOid:
    case oid::kRegClass:
    case oid::kRegType:
    case oid::kRegNamespace:
    case oid::kRegRole: {
      auto v = ParseInt<uint32_t>(text);
      if (!v) return std::nullopt;
      PutBig(out, *v, 4);
      return out;
    }
    case oid::kInt8: {
      auto v = ParseInt<int64_t>(text);
      if (!v) return std::nullopt;
      PutBig(out, static_cast<uint64_t>(*v), 8);
      return out;
    }
    case oid::kFloat4: {
      auto v = ParseFloat(text);
      if (!v) return std::nullopt;
      float f = static_cast<float>(*v);
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      PutBig(out, bits, 4);
      return out;
    }
    case oid::kFloat8: {
      auto v = ParseFloat(text);
      if (!v) return std::nullopt;
      uint64_t bits;
      std::memcpy(&bits, &*v, 8);
      PutBig(out, bits, 8);
      return out;
    }
    case oid::kBytea: {
      if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) {
        return std::nullopt;
      }
      for (size_t i = 2; i < text.size(); i += 2) {
        int hi = HexValue(text[i]);
        int lo = HexValue(text[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<char>(hi * 16 + lo));
      }
      return out;
    }
    case oid::kUuid: {
      for (char c : text) {
        if (c == '-') continue;
        if (HexValue(c) < 0) return std::nullopt;
      }
      std::string hex;
      for (char c : text) {
        if (c != '-') hex.push_back(c);
      }
      if (hex.size() != 32) return std::nullopt;
      for (size_t i = 0; i < 32; i += 2) {
        out.push_back(static_cast<char>(HexValue(hex[i]) * 16 + HexValue(hex[i + 1])));
      }
      return out;
    }
    case oid::kDate: {
      int32_t v;
      if (text == "infinity") {
        v = std::numeric_limits<int32_t>::max();
      } else if (text == "-infinity") {
        v = std::numeric_limits<int32_t>::min();
      } else {
        std::string_view s = text;
        bool bc = StripBc(s);
        auto days = ParseDatePart(s, bc);
        if (!days || !s.empty()) return std::nullopt;
        v = static_cast<int32_t>(*days);
      }
      PutBig(out, static_cast<uint32_t>(v), 4);
      return out;
    }
    case oid::kTimestamp:
    case oid::kTimestampTz: {
      int64_t v;
      if (text == "infinity") {
        v = std::numeric_limits<int64_t>::max();
      } else if (text == "-infinity") {
        v = std::numeric_limits<int64_t>::min();
      } else {
        auto parsed = ParseTimestamp(text, type_oid == oid::kTimestampTz);
        if (!parsed) return std::nullopt;
        v = *parsed;
      }
      PutBig(out, static_cast<uint64_t>(v), 8);
      return out;
    }
    case oid::kTime:      // time_send: int64 microseconds since midnight
    case oid::kTimeTz: {  // timetz_send: int64 microseconds, int32 zone (seconds west)
      try {
        if (type_oid == oid::kTime) {
          PutBig(out, static_cast<uint64_t>(ParseTime(text, -1, *TimeZone::Utc())), 8);
        } else {
          TimeTz t = ParseTimeTz(text, -1, *TimeZone::Utc());
          PutBig(out, static_cast<uint64_t>(t.usec), 8);
          PutBig(out, static_cast<uint32_t>(t.zone), 4);
        }
      } catch (const Error&) {
        return std::nullopt;
      }
      return out;
    }
    case oid::kInterval: {  // interval_send: int64 usec, int32 days, int32 months
      Interval v;
      try {
        v = ParseInterval(text);
      } catch (const Error&) {
        return std::nullopt;
      }
      PutBig(out, static_cast<uint64_t>(v.usec), 8);
      PutBig(out, static_cast<uint32_t>(v.days), 4);
      PutBig(out, static_cast<uint32_t>(v.months), 4);
      return out;
    }
    case oid::kPoint: {  // point_send: x and y as float8
      try {
        const Point p = ParsePoint(text);
        PutBig(out, std::bit_cast<uint64_t>(p.x), 8);
        PutBig(out, std::bit_cast<uint64_t>(p.y), 8);
      } catch (const Error&) {
        return std::nullopt;
      }
      return out;
    }
    case oid::kChar:  // char_send: the byte
      return std::string(1, static_cast<char>(ParseChar(text)));
    case oid::kMoney: {  // cash_send: int64 cents
      try {
        PutBig(out, static_cast<uint64_t>(ParseMoney(text)), 8);
      } catch (const Error&) {
        return std::nullopt;
      }
      return out;
    }
    case oid::kBit:
    case oid::kVarbit: {  // bit_send: int32 bit length, then the bits packed, first bit high
      for (char c : text) {
        if (c != '0' && c != '1') return std::nullopt;
      }
      PutBig(out, static_cast<uint32_t>(text.size()), 4);
      for (size_t i = 0; i < text.size(); i += 8) {
        uint8_t byte = 0;
        for (size_t b = 0; b < 8; ++b) {
          if (i + b < text.size() && text[i + b] == '1') byte |= static_cast<uint8_t>(0x80 >> b);
        }
        out.push_back(static_cast<char>(byte));
      }
      return out;
    }
    default:
      if (IsEnumType(static_cast<TypeId>(type_oid))) return std::string(text);  // enum_send
      return RecordTextToBinary(type_oid, text);
  }
}

std::optional<std::string> BinaryToText(uint32_t type_oid, std::string_view data) {
  if (std::optional<uint32_t> elem = BinaryArrayElement(type_oid)) {
    return ArrayBinaryToText(*elem, data);
  }
  switch (type_oid) {
    case oid::kNumeric:
      return NumericBinaryToText(data);
    case oid::kVoid:
      return std::string();
    case oid::kJsonb:  // jsonb_recv, jsonpath_recv: only version 1
    case oid::kJsonpath:
      if (data.empty() || data[0] != 1) return std::nullopt;
      return std::string(data.substr(1));
    case oid::kName:
    case oid::kText:
    case kCstringOid:  // cstring_send / cstring_recv: the text
    case oid::kJson:
    case oid::kUnknown:
    case oid::kBpchar:
    case oid::kVarchar:
      return std::string(data);
    case oid::kBool:
      if (data.size() != 1) return std::nullopt;
      return std::string(data[0] != 0 ? "t" : "f");
    case oid::kInt2:
      if (data.size() != 2) return std::nullopt;
      return std::to_string(static_cast<int16_t>(GetBig(data)));
    case oid::kInt4:
      if (data.size() != 4) return std::nullopt;
      return std::to_string(static_cast<int32_t>(GetBig(data)));
    case oid::kOid:
    case oid::kRegClass:
    case oid::kRegType:
    case oid::kRegNamespace:
    case oid::kRegRole:
      if (data.size() != 4) return std::nullopt;
      return std::to_string(static_cast<uint32_t>(GetBig(data)));
    case oid::kInt8:
      if (data.size() != 8) return std::nullopt;
      return std::to_string(static_cast<int64_t>(GetBig(data)));
    case oid::kFloat4: {
      if (data.size() != 4) return std::nullopt;
      uint32_t bits = static_cast<uint32_t>(GetBig(data));
      float f;
      std::memcpy(&f, &bits, 4);
      return FormatFloat(f);
    }
    case oid::kFloat8: {
      if (data.size() != 8) return std::nullopt;
      uint64_t bits = GetBig(data);
      double d;
      std::memcpy(&d, &bits, 8);
      return FormatFloat(d);
    }
    case oid::kBytea: {
      static constexpr char kHex[] = "0123456789abcdef";
      std::string out = "\\x";
      for (char c : data) {
        out.push_back(kHex[static_cast<uint8_t>(c) >> 4]);
        out.push_back(kHex[static_cast<uint8_t>(c) & 15]);
      }
      return out;
    }
    case oid::kUuid: {
      if (data.size() != 16) return std::nullopt;
      static constexpr char kHex[] = "0123456789abcdef";
      std::string out;
      for (size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(kHex[static_cast<uint8_t>(data[i]) >> 4]);
        out.push_back(kHex[static_cast<uint8_t>(data[i]) & 15]);
      }
      return out;
    }
    case oid::kDate: {
      if (data.size() != 4) return std::nullopt;
      int32_t v = static_cast<int32_t>(GetBig(data));
      if (v == std::numeric_limits<int32_t>::max()) return std::string("infinity");
      if (v == std::numeric_limits<int32_t>::min()) return std::string("-infinity");
      int64_t y;
      unsigned m, d;
      CivilFromDays(v + kPgEpochDays, y, m, d);
      std::string out = fmt::format("{:04}-{:02}-{:02}", y <= 0 ? 1 - y : y, m, d);
      if (y <= 0) out += " BC";
      return out;
    }
    case oid::kTimestamp:
    case oid::kTimestampTz: {
      if (data.size() != 8) return std::nullopt;
      int64_t v = static_cast<int64_t>(GetBig(data));
      if (v == std::numeric_limits<int64_t>::max()) return std::string("infinity");
      if (v == std::numeric_limits<int64_t>::min()) return std::string("-infinity");
      return FormatTimestamp(v, type_oid == oid::kTimestampTz);
    }
    case oid::kTime: {  // time_recv: PostgreSQL rejects values outside 00:00 .. 24:00
      if (data.size() != 8) return std::nullopt;
      auto usec = static_cast<int64_t>(GetBig(data));
      if (usec < 0 || usec > kUsPerDay) return std::nullopt;
      return FormatTimeOfDay(usec);
    }
    case oid::kTimeTz: {  // timetz_recv: also the zone within +-15:59:59
      if (data.size() != 12) return std::nullopt;
      auto usec = static_cast<int64_t>(GetBig(data.substr(0, 8)));
      auto zone = static_cast<int32_t>(GetBig(data.substr(8, 4)));
      if (usec < 0 || usec > kUsPerDay || zone < -(15 * 3600 + 59 * 60 + 59) ||
          zone > 15 * 3600 + 59 * 60 + 59) {
        return std::nullopt;
      }
      return FormatTimeTz(TimeTz{usec, zone});
    }
    case oid::kInterval: {
      if (data.size() != 16) return std::nullopt;
      Interval v;
      v.usec = static_cast<int64_t>(GetBig(data.substr(0, 8)));
      v.days = static_cast<int32_t>(GetBig(data.substr(8, 4)));
      v.months = static_cast<int32_t>(GetBig(data.substr(12, 4)));
      // ISO 8601 reads back the same in every IntervalStyle.
      return FormatInterval(v, IntervalStyle::kIso8601);
    }
    case oid::kPoint: {  // point_recv: any two float8s
      if (data.size() != 16) return std::nullopt;
      return FormatPoint({std::bit_cast<double>(GetBig(data.substr(0, 8))),
                          std::bit_cast<double>(GetBig(data.substr(8, 8)))});
    }
    case oid::kChar:
      if (data.size() != 1) return std::nullopt;
      return FormatChar(static_cast<uint8_t>(data[0]));
    case oid::kMoney:
      if (data.size() != 8) return std::nullopt;
      return FormatMoney(static_cast<int64_t>(GetBig(data)));
    case oid::kBit:
    case oid::kVarbit: {  // bit_recv: the length must fit the bytes that follow
      if (data.size() < 4) return std::nullopt;
      const auto len = static_cast<int32_t>(GetBig(data.substr(0, 4)));
      if (len < 0 || static_cast<size_t>((static_cast<int64_t>(len) + 7) / 8) != data.size() - 4) {
        return std::nullopt;
      }
      std::string bits;
      for (int32_t i = 0; i < len; ++i) {
        const auto byte = static_cast<uint8_t>(data[4 + static_cast<size_t>(i / 8)]);
        bits.push_back((byte & (0x80 >> (i % 8))) != 0 ? '1' : '0');
      }
      return bits;
    }
    default:
      if (IsEnumType(static_cast<TypeId>(type_oid))) return std::string(data);  // enum_recv
      return RecordBinaryToText(type_oid, data);
  }
}

}  // namespace activestore::frontend::pgwire
