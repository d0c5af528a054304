#include "common/float_format.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <type_traits>

#include "common/ascii.h"
#include "common/error.h"

namespace activestore {
std::string FormatFloat8(double v, int extra_float_digits) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (extra_float_digits <= 0) {
    char buf[64];
    int digits = std::max(1, 15 + extra_float_digits);
    std::snprintf(buf, sizeof(buf), "%.*g", digits, v);
    return buf;
  }
  return LayoutShortestFloat(ShortestScientific(v), 15);
}

namespace {

// F: float or double; W: a type that holds the midpoint between two adjacent F exactly.
template <typename F, typename W>
std::string ShortestScientificOf(F v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string s(buf, res.ptr);
  // Whether decimal `t` is exactly a midpoint between v and a neighbour: compared digit by
  // digit with the midpoint's exact expansion (glibc prints binary fractions exactly).
  auto normalized = [](std::string_view sci) {
    std::string digits;
    const size_t e = sci.find('e');
    for (char c : sci.substr(0, e)) {
      if (c == '-' || (c >= '0' && c <= '9')) digits.push_back(c);
    }
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    return digits + "e" + std::to_string(std::atoi(std::string(sci.substr(e + 1)).c_str()));
  };
  auto on_bound = [&](const std::string& t) {
    // A midpoint with a fraction ends in 5; otherwise it is an integer. Anything else is not
    // one (the common case, decided without the exact expansion).
    const size_t e = t.find('e');
    size_t last = e;
    while (last > 0 && (t[last - 1] == '0' || t[last - 1] == '.')) --last;
    int nd = 0;
    for (size_t i = 0; i < last; ++i) nd += t[i] >= '0' && t[i] <= '9' ? 1 : 0;
    if (last == 0 || (t[last - 1] != '5' && std::atoi(t.c_str() + e + 1) < nd - 1)) {
      return false;
    }
    const std::string want = normalized(t);
    const W w = static_cast<W>(v);
    for (F next : {std::nextafter(v, std::numeric_limits<F>::infinity()),
                   std::nextafter(v, -std::numeric_limits<F>::infinity())}) {
      if (std::isinf(next)) continue;
      const W mid = (w + static_cast<W>(next)) / 2;
      char exact[128];
      std::snprintf(exact, sizeof(exact), "%.60Le", static_cast<long double>(mid));
      if (normalized(exact) == want) return true;
    }
    return false;
  };
  if (v == 0 || !on_bound(s)) return s;
  int digits = 0;
  for (char c : s.substr(0, s.find('e'))) digits += c >= '0' && c <= '9' ? 1 : 0;
  for (int decimals = digits; decimals < std::numeric_limits<F>::max_digits10; ++decimals) {
    res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific, decimals);
    std::string t(buf, res.ptr);
    F back{};
    std::from_chars(t.data(), t.data() + t.size(), back);
    if (back != v || on_bound(t)) continue;
    // Trailing zeros of the mantissa are not digits of the shortest form.
    size_t e = t.find('e');
    size_t end = e;
    while (end > 0 && t[end - 1] == '0') --end;
    if (end > 0 && t[end - 1] == '.') --end;
    return t.substr(0, end) + t.substr(e);
  }
  return s;
}

}  // namespace

std::string ShortestScientific(double v) { return ShortestScientificOf<double, long double>(v); }
std::string ShortestScientific(float v) { return ShortestScientificOf<float, long double>(v); }

std::string LayoutShortestFloat(std::string_view sci, int max_fixed_exponent) {
  // Shortest round-trip digits and decimal exponent, from scientific notation.
  bool neg = false;
  if (!sci.empty() && sci[0] == '-') {
    neg = true;
    sci.remove_prefix(1);
  }
  size_t epos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, epos)) {
    if (c != '.') digits.push_back(c);
  }
  int exp = std::atoi(std::string(sci.substr(epos + 1)).c_str());
  std::string out;
  if (neg) out.push_back('-');
  const int nd = static_cast<int>(digits.size());
  if (exp >= -4 && exp < max_fixed_exponent) {
    if (exp >= 0) {
      if (nd <= exp + 1) {
        out += digits;
        out.append(static_cast<size_t>(exp + 1 - nd), '0');
      } else {
        out.append(digits, 0, static_cast<size_t>(exp + 1));
        out.push_back('.');
        out.append(digits, static_cast<size_t>(exp + 1));
      }
    } else {
      out += "0.";
      out.append(static_cast<size_t>(-exp - 1), '0');
      out += digits;
    }
  } else {
    out.push_back(digits[0]);
    if (nd > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    char ebuf[16];
    std::snprintf(ebuf, sizeof(ebuf), "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    out += ebuf;
  }
  return out;
}

template <typename F>
F ParseFloatText(std::string_view text, const char* type_name) {
  auto bad = [&]() {
    Throw(SqlState::kInvalidTextRepresentation, "invalid input syntax for type {}: \"{}\"",
          type_name, text);
  };
  size_t p = 0;
  while (p < text.size() && IsSpace(text[p])) ++p;
  if (p == text.size()) bad();
  std::string buf(text.substr(p));
  if (buf.find('\0') != std::string::npos) bad();
  errno = 0;
  char* end = nullptr;
  F v;
  if constexpr (std::is_same_v<F, float>) {
    v = std::strtof(buf.c_str(), &end);
  } else {
    v = std::strtod(buf.c_str(), &end);
  }
  if (end == buf.c_str()) bad();
  // glibc reports ERANGE for subnormal results too; only zero and infinity are out of range.
  if (errno == ERANGE && (v == 0 || std::isinf(v))) {
    Throw(SqlState::kNumericValueOutOfRange, "\"{}\" is out of range for type {}", text, type_name);
  }
  for (const char* q = end; *q; ++q) {
    if (!IsSpace(*q)) bad();
  }
  return v;
}

template float ParseFloatText<float>(std::string_view, const char*);
template double ParseFloatText<double>(std::string_view, const char*);

double ParseFloat8Prefix(std::string_view text, size_t* pos, const char* type_name,
                         std::string_view orig) {
  size_t p = *pos;
  while (p < text.size() && IsSpace(text[p])) ++p;
  auto bad = [&]() {
    Throw(SqlState::kInvalidTextRepresentation, "invalid input syntax for type {}: \"{}\"",
          type_name, orig);
  };
  if (p == text.size()) bad();
  // strtod needs a terminated string; a NUL inside the text ends the number as in PostgreSQL.
  const std::string buf(text.substr(p));
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(buf.c_str(), &end);
  if (end == buf.c_str()) bad();
  // glibc reports ERANGE for subnormal results too; only zero and infinity are out of range.
  if (errno == ERANGE && (v == 0 || std::isinf(v))) {
    Throw(SqlState::kNumericValueOutOfRange, "\"{}\" is out of range for type double precision",
          std::string_view(buf.c_str(), static_cast<size_t>(end - buf.c_str())));
  }
  p += static_cast<size_t>(end - buf.c_str());
  while (p < text.size() && IsSpace(text[p])) ++p;
  *pos = p;
  return v;
}

double ParseFloat8(std::string_view text) {
  return ParseFloatText<double>(text, "double precision");
}

}  // namespace activestore
