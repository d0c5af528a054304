#include "common/money.h"

#include <cmath>
#include <limits>

#include "common/ascii.h"
#include "common/error.h"
#include "common/numeric.h"
#include "common/type_registry.h"
#include "common/value.h"

namespace activestore {
namespace {

// lc_monetary = C: PostgreSQL's defaults for an empty lconv.
constexpr char kDecimalPoint = '.';
constexpr char kThousands = ',';
constexpr char kCurrency = '$';
constexpr int kFracDigits = 2;

[[noreturn]] void ThrowMoneyRange() {
  Throw(SqlState::kNumericValueOutOfRange, "money out of range");
}

int64_t CheckedAdd(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) ThrowMoneyRange();
  return r;
}
int64_t CheckedSub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) ThrowMoneyRange();
  return r;
}
int64_t CheckedMul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) ThrowMoneyRange();
  return r;
}

// rint() of a float8 amount, 22003 when it is NaN or beyond int64 (cash_mul_flt8 and friends).
int64_t FloatToCash(double d) {
  const double r = std::rint(d);
  if (std::isnan(r) || !(r >= -9223372036854775808.0 && r < 9223372036854775808.0)) {
    ThrowMoneyRange();
  }
  return static_cast<int64_t>(r);
}

const char* const kSmall[] = {"zero",     "one",      "two",      "three",   "four",    "five",
                              "six",      "seven",    "eight",    "nine",    "ten",     "eleven",
                              "twelve",   "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                              "eighteen", "nineteen", "twenty",   "thirty",  "forty",   "fifty",
                              "sixty",    "seventy",  "eighty",   "ninety"};
// The tens word of 20..90 (big[tu / 10] in PostgreSQL).
const char* Tens(int tu) { return kSmall[18 + tu / 10]; }

// 0..999 in words, as cash.c's num_word.
std::string NumWord(int value) {
  if (value <= 20) return kSmall[value];
  const int tu = value % 100;
  const std::string hundreds = value > 99 ? std::string(kSmall[value / 100]) + " hundred" : "";
  if (tu == 0) return hundreds;
  std::string rest;
  if (value % 10 == 0 && tu > 10) {
    rest = Tens(tu);
  } else if (tu < 20) {
    rest = (value > 99 ? "and " : "") + std::string(kSmall[tu]);
  } else {
    rest = std::string(Tens(tu)) + " " + kSmall[tu % 10];
  }
  return value > 99 ? hundreds + " " + rest : rest;
}

// ---- registry hooks ----

void MoneyIn(std::string_view text, const FormatOptions&, Value* out) { out->i = ParseMoney(text); }
std::string MoneyOut(const Value& v, const FormatOptions&) { return FormatMoney(v.i); }
int MoneyCompare(int64_t a, int64_t, int64_t b, int64_t) { return a < b ? -1 : (a > b ? 1 : 0); }
uint64_t MoneyHash(int64_t w, int64_t) {
  uint64_t x = static_cast<uint64_t>(w) ^ 0x3c6ef372fe94f82aULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}
void MoneyKey(const Value& v, std::string* out) {
  const uint64_t u = static_cast<uint64_t>(v.i) ^ (uint64_t{1} << 63);
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>(u >> (8 * i)));
}

// numeric/int4/int8 -> money (numeric_cash rounds to cents; int*_cash multiply, 22003 `bigint
// out of range` as int8mul) and money -> numeric (cash_numeric, scale 2).
bool MoneyCast(const Value& v, Type to, const FormatOptions&, Value* out) {
  const TypeId from = v.type.id;
  if (to.id == TypeId::kMoney) {
    if (from == TypeId::kInt32 || from == TypeId::kInt64) {
      int64_t r;
      if (__builtin_mul_overflow(v.i, int64_t{100}, &r)) {
        Throw(SqlState::kNumericValueOutOfRange, "bigint out of range");
      }
      *out = MoneyValue(r);
      return true;
    }
    if (from == TypeId::kNumeric) {
      Numeric cents = v.num.Mul(Numeric::FromInt64(100));
      if (cents.IsNaN()) {
        Throw(SqlState::kFeatureNotSupported, "cannot convert NaN to bigint");
      }
      Numeric rounded = cents.Round(0);
      int64_t r;
      try {
        r = rounded.ToInt64();
      } catch (const Error&) {
        Throw(SqlState::kNumericValueOutOfRange, "bigint out of range");
      }
      *out = MoneyValue(r);
      return true;
    }
    return false;
  }
  if (from == TypeId::kMoney && to.id == TypeId::kNumeric) {
    // The decimal text of the cents with the point moved (exact, also for INT64_MIN).
    std::string digits = FormatMoney(v.i);
    std::string plain;
    for (char c : digits) {
      if (c != kCurrency && c != kThousands) plain.push_back(c);
    }
    *out = Value::Num(Numeric::Parse(plain).ApplyTypmod(to.typmod));
    return true;
  }
  return false;
}

}  // namespace

const TypeMethods kMoneyMethods = {MoneyIn, MoneyOut, MoneyCompare, MoneyHash, MoneyKey, MoneyCast};

int64_t ParseMoney(std::string_view text) {
  auto range = [&]() {
    Throw(SqlState::kNumericValueOutOfRange, "value \"{}\" is out of range for type money", text);
  };
  size_t p = 0;
  const size_t n = text.size();
  auto at = [&](size_t i) { return i < n ? text[i] : '\0'; };
  auto skip_spaces = [&]() {
    while (p < n && IsSpace(text[p])) ++p;
  };
  skip_spaces();
  if (at(p) == kCurrency) ++p;
  skip_spaces();
  int sign = 1;
  if (at(p) == '-') {
    sign = -1;
    ++p;
  } else if (at(p) == '(') {
    sign = -1;
    ++p;
  } else if (at(p) == '+') {
    ++p;
  }
  skip_spaces();
  if (at(p) == kCurrency) ++p;
  skip_spaces();
  // The amount is built negative, so the most negative one fits.
  int64_t value = 0;
  int dec = 0;
  bool seen_dot = false;
  for (; p < n; ++p) {
    const char c = text[p];
    if (IsDigit(c) && (!seen_dot || dec < kFracDigits)) {
      if (__builtin_mul_overflow(value, int64_t{10}, &value) ||
          __builtin_sub_overflow(value, int64_t{c - '0'}, &value)) {
        range();
      }
      if (seen_dot) ++dec;
    } else if (c == kDecimalPoint && !seen_dot) {
      seen_dot = true;
    } else if (c == kThousands) {
      // thousands separators are ignored
    } else {
      break;
    }
  }
  // Round half up on the first digit beyond the cents.
  if (IsDigit(at(p)) && at(p) >= '5') {
    if (__builtin_sub_overflow(value, int64_t{1}, &value)) range();
  }
  for (; dec < kFracDigits; ++dec) {
    if (__builtin_mul_overflow(value, int64_t{10}, &value)) range();
  }
  while (IsDigit(at(p))) ++p;
  while (p < n) {
    const char c = text[p];
    if (IsSpace(c) || c == ')') {
      ++p;
    } else if (c == '-') {
      sign = -1;
      ++p;
    } else if (c == '+' || c == kCurrency) {
      ++p;
    } else {
      Throw(SqlState::kInvalidTextRepresentation, "invalid input syntax for type money: \"{}\"",
            text);
    }
  }
  if (sign > 0) {
    if (value == std::numeric_limits<int64_t>::min()) range();
    return -value;
  }
  return value;
}

std::string FormatMoney(int64_t cents) {
  const bool neg = cents < 0;
  uint64_t u = neg ? 0 - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  // Digits from the right: the cents, the point, then groups of three with separators.
  std::string rev;
  int digits = 0;
  do {
    if (digits == kFracDigits) rev.push_back(kDecimalPoint);
    if (digits > kFracDigits && (digits - kFracDigits) % 3 == 0) rev.push_back(kThousands);
    rev.push_back(static_cast<char>('0' + u % 10));
    u /= 10;
    ++digits;
  } while (u != 0 || digits <= kFracDigits);
  std::string out = neg ? "-" : "";
  out.push_back(kCurrency);
  out.append(rev.rbegin(), rev.rend());
  return out;
}

Value MoneyValue(int64_t cents) { return Value::Int(TypeId::kMoney, cents); }

bool MoneyArithmeticResultType(std::string_view op, TypeId a, TypeId b, TypeId* result) {
  const bool am = a == TypeId::kMoney, bm = b == TypeId::kMoney;
  if (!am && !bm) return false;
  auto factor = [](TypeId t) {
    return t == TypeId::kInt16 || t == TypeId::kInt32 || t == TypeId::kInt64 ||
           t == TypeId::kFloat32 || t == TypeId::kFloat64;
  };
  if ((op == "+" || op == "-") && am && bm) {
    *result = TypeId::kMoney;
  } else if (op == "*" && ((am && factor(b)) || (bm && factor(a)))) {
    *result = TypeId::kMoney;
  } else if (op == "/" && am && factor(b)) {
    *result = TypeId::kMoney;
  } else if (op == "/" && am && bm) {
    *result = TypeId::kFloat64;
  } else {
    return false;
  }
  return true;
}

Value MoneyArithmetic(std::string_view op, const Value& a, const Value& b) {
  const bool am = a.type.id == TypeId::kMoney, bm = b.type.id == TypeId::kMoney;
  if (am && bm) {
    if (op == "+") return MoneyValue(CheckedAdd(a.i, b.i));
    if (op == "-") return MoneyValue(CheckedSub(a.i, b.i));
    if (b.i == 0) Throw(SqlState::kDivisionByZero, "division by zero");
    return Value::Float64(static_cast<double>(a.i) / static_cast<double>(b.i));
  }
  const Value& m = am ? a : b;
  const Value& x = am ? b : a;
  // A real factor is held as the double equal to it (common/float4.h): cash_mul_flt4 and
  // cash_div_flt4 compute in double precision too.
  const bool is_float = x.type.id == TypeId::kFloat64 || x.type.id == TypeId::kFloat32;
  if (op == "*") {
    if (is_float)
      return MoneyValue(FloatToCash(static_cast<double>(m.i) * x.f));
    return MoneyValue(CheckedMul(m.i, x.i));
  }
  // money / x
  if (is_float) {
    if (x.f == 0.0) Throw(SqlState::kDivisionByZero, "division by zero");
    return MoneyValue(FloatToCash(static_cast<double>(m.i) / x.f));
  }
  if (x.i == 0) Throw(SqlState::kDivisionByZero, "division by zero");
  if (x.i == -1) return MoneyValue(CheckedSub(0, m.i));
  return MoneyValue(m.i / x.i);
}

std::string CashWords(int64_t cents) {
  std::string out;
  uint64_t val;
  if (cents < 0) {
    out = "minus ";
    val = 0 - static_cast<uint64_t>(cents);
  } else {
    val = static_cast<uint64_t>(cents);
  }
  const size_t start = out.size();
  const uint64_t dollars = val / 100;
  const int m0 = static_cast<int>(val % 100);
  static const struct {
    uint64_t div;
    const char* word;
  } kGroups[] = {{100000000000000000ULL, " quadrillion "},
                 {100000000000000ULL, " trillion "},
                 {100000000000ULL, " billion "},
                 {100000000ULL, " million "},
                 {100000ULL, " thousand "}};
  for (const auto& g : kGroups) {
    const int m = static_cast<int>((val / g.div) % 1000);
    if (m != 0) {
      out += NumWord(m);
      out += g.word;
    }
  }
  const int m1 = static_cast<int>((val / 100) % 1000);
  if (m1 != 0) out += NumWord(m1);
  if (out.size() == start) out += "zero";
  out += dollars == 1 ? " dollar and " : " dollars and ";
  out += NumWord(m0);
  out += m0 == 1 ? " cent" : " cents";
  out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

}  // namespace activestore
