// Numeric: PostgreSQL-compatible arbitrary-precision decimal.
//
// Every operation converts its operands into a scaled natural number (a magnitude in base
// 10000 and a count of decimal digits after the point), computes exactly, rounds once at the
// result scale PostgreSQL's numeric.c would choose, and converts back into the stored form
// (sign, weight, display scale, base-10000 digits with no leading or trailing zero digit).
// Because the arithmetic is exact and rounding happens once, results equal PostgreSQL's, whose
// add/sub/mul/div_var are exact too.
#include "common/numeric.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "common/ascii.h"
#include "common/error.h"

namespace activestore {
namespace {

constexpr uint32_t kBase = 10000;
constexpr int kDecDigits = 4;
constexpr int kMaxWeight = 32767;       // NUMERIC_WEIGHT_MAX
constexpr int kMaxDscale = 16383;       // NUMERIC_DSCALE_MAX
constexpr int kMinSigDigits = 16;       // NUMERIC_MIN_SIG_DIGITS
constexpr int kMaxDisplayScale = 1000;  // NUMERIC_MAX_DISPLAY_SCALE
constexpr int kMaxResultScale = 2000;   // NUMERIC_MAX_RESULT_SCALE
constexpr uint32_t kPow10[] = {1, 10, 100, 1000, 10000};

// A natural number in base 10000, least significant limb first, no high zero limbs
// (zero is the empty vector).
using BigNat = std::vector<uint32_t>;

void Trim(BigNat& a) {
  while (!a.empty() && a.back() == 0) a.pop_back();
}

int CmpNat(const BigNat& a, const BigNat& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  for (size_t i = a.size(); i-- > 0;) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

BigNat AddNat(const BigNat& a, const BigNat& b) {
  BigNat r(std::max(a.size(), b.size()) + 1, 0);
  uint32_t carry = 0;
  for (size_t i = 0; i < r.size(); ++i) {
    uint32_t s = carry + (i < a.size() ? a[i] : 0) + (i < b.size() ? b[i] : 0);
    r[i] = s % kBase;
    carry = s / kBase;
  }
  Trim(r);
  return r;
}

// REQUIRES: a >= b.
BigNat SubNat(const BigNat& a, const BigNat& b) {
  BigNat r(a.size(), 0);
  int32_t borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    int32_t d = static_cast<int32_t>(a[i]) - borrow - static_cast<int32_t>(i < b.size() ? b[i] : 0);
    borrow = d < 0 ? 1 : 0;
    r[i] = static_cast<uint32_t>(d + borrow * static_cast<int32_t>(kBase));
  }
  Trim(r);
  return r;
}

BigNat MulNat(const BigNat& a, const BigNat& b) {
  if (a.empty() || b.empty()) return {};
  std::vector<uint64_t> acc(a.size() + b.size() + 1, 0);
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == 0) continue;
    for (size_t j = 0; j < b.size(); ++j) acc[i + j] += static_cast<uint64_t>(a[i]) * b[j];
    // Keep the accumulators far below overflow by normalising each row.
    if ((i & 1023) == 1023) {
      for (size_t k = 0; k + 1 < acc.size(); ++k) {
        acc[k + 1] += acc[k] / kBase;
        acc[k] %= kBase;
      }
    }
  }
  BigNat r(acc.size(), 0);
  uint64_t carry = 0;
  for (size_t k = 0; k < acc.size(); ++k) {
    uint64_t v = acc[k] + carry;
    r[k] = static_cast<uint32_t>(v % kBase);
    carry = v / kBase;
  }
  Trim(r);
  return r;
}

void MulSmallInPlace(BigNat& a, uint32_t m) {
  uint64_t carry = 0;
  for (auto& limb : a) {
    uint64_t v = static_cast<uint64_t>(limb) * m + carry;
    limb = static_cast<uint32_t>(v % kBase);
    carry = v / kBase;
  }
  while (carry) {
    a.push_back(static_cast<uint32_t>(carry % kBase));
    carry /= kBase;
  }
  Trim(a);
}

// a * 10^k, k >= 0.
BigNat MulPow10(BigNat a, int k) {
  if (a.empty() || k == 0) return a;
  MulSmallInPlace(a, kPow10[k % kDecDigits]);
  a.insert(a.begin(), static_cast<size_t>(k / kDecDigits), 0);
  return a;
}

BigNat Pow10(int k) { return MulPow10(BigNat{1}, k); }

// Quotient and remainder of a / b. REQUIRES: b != 0.
void DivModNat(const BigNat& a, const BigNat& b, BigNat* q, BigNat* r) {
  if (CmpNat(a, b) < 0) {
    if (q) q->clear();
    if (r) *r = a;
    return;
  }
  if (b.size() == 1) {
    BigNat quo(a.size(), 0);
    uint64_t rem = 0;
    for (size_t i = a.size(); i-- > 0;) {
      uint64_t cur = rem * kBase + a[i];
      quo[i] = static_cast<uint32_t>(cur / b[0]);
      rem = cur % b[0];
    }
    Trim(quo);
    if (q) *q = std::move(quo);
    if (r) {
      r->clear();
      if (rem) r->push_back(static_cast<uint32_t>(rem));
    }
    return;
  }
  // Schoolbook long division, one base-10000 digit at a time. The trial digit comes from the
  // leading limbs and is corrected until 0 <= rem < b.
  BigNat quo(a.size(), 0);
  BigNat rem;
  const size_t n = b.size();
  // Approximate value of x / 10000^(n-2) from its limbs at n and below.
  auto top = [n](const BigNat& x) {
    double v = 0;
    for (int k = static_cast<int>(n); k >= std::max(0, static_cast<int>(n) - 3); --k) {
      if (k < static_cast<int>(x.size())) {
        v += x[k] * std::pow(static_cast<double>(kBase), k - static_cast<int>(n) + 2);
      }
    }
    return v;
  };
  const double btop = top(b);
  for (size_t i = a.size(); i-- > 0;) {
    rem.insert(rem.begin(), a[i]);
    Trim(rem);
    if (CmpNat(rem, b) < 0) continue;
    double est = top(rem) / btop;
    int64_t qd = static_cast<int64_t>(est);
    qd = std::clamp<int64_t>(qd, 0, kBase - 1);
    BigNat prod = b;
    MulSmallInPlace(prod, static_cast<uint32_t>(qd));
    while (CmpNat(prod, rem) > 0) {
      --qd;
      prod = SubNat(prod, b);
    }
    BigNat diff = SubNat(rem, prod);
    while (CmpNat(diff, b) >= 0) {
      ++qd;
      diff = SubNat(diff, b);
    }
    quo[i] = static_cast<uint32_t>(qd);
    rem = std::move(diff);
  }
  Trim(quo);
  if (q) *q = std::move(quo);
  if (r) *r = std::move(rem);
}

// value = mag * 10^-scale, with a sign.
struct Scaled {
  bool neg = false;
  BigNat mag;
  int scale = 0;
};

// Brings a to `scale` digits after the point. REQUIRES: scale >= a.scale.
void Rescale(Scaled& a, int scale) {
  a.mag = MulPow10(std::move(a.mag), scale - a.scale);
  a.scale = scale;
}

// Drops digits beyond `scale` (which may be negative), rounding half away from zero or
// truncating. The result has scale max(scale, 0).
void RoundScaled(Scaled& a, int scale, bool round) {
  if (a.scale <= scale) {
    if (scale > a.scale && scale > 0) Rescale(a, scale);
    return;
  }
  int drop = a.scale - scale;
  BigNat q, r;
  DivModNat(a.mag, Pow10(drop), &q, &r);
  if (round) {
    BigNat half = MulPow10(BigNat{5}, drop - 1);
    if (CmpNat(r, half) >= 0) q = AddNat(q, BigNat{1});
  }
  a.mag = std::move(q);
  a.scale = scale;
  if (a.scale < 0) {
    a.mag = MulPow10(std::move(a.mag), -a.scale);
    a.scale = 0;
  }
}

[[noreturn]] void ThrowOverflow() {
  Throw(SqlState::kNumericValueOutOfRange, "value overflows numeric format");
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

// Conversions between the stored form and Scaled; a friend of Numeric.
class NumericInternals {
 public:
  static Scaled ToScaled(const Numeric& n) {
    Scaled s;
    s.neg = n.sign_ == Numeric::kNeg;
    int nd = static_cast<int>(n.digits_.size());
    s.mag.reserve(nd);
    for (int i = nd; i-- > 0;) s.mag.push_back(static_cast<uint32_t>(n.digits_[i]));
    int scale4 = nd - 1 - n.weight_;
    if (nd == 0) scale4 = 0;
    if (scale4 < 0) {
      s.mag.insert(s.mag.begin(), static_cast<size_t>(-scale4), 0);
      scale4 = 0;
    }
    s.scale = scale4 * kDecDigits;
    return s;
  }

  // REQUIRES: s has no more than dscale digits after the point (or is rounded by the caller).
  static Numeric FromScaled(Scaled s, int dscale) {
    if (dscale > kMaxDscale) ThrowOverflow();
    Numeric n;
    n.dscale_ = static_cast<int16_t>(std::max(dscale, 0));
    if (s.mag.empty()) return n;
    if (s.scale < 0) Rescale(s, 0);
    int pad = (kDecDigits - s.scale % kDecDigits) % kDecDigits;
    if (pad) Rescale(s, s.scale + pad);
    int weight = static_cast<int>(s.mag.size()) - 1 - s.scale / kDecDigits;
    if (weight > kMaxWeight) ThrowOverflow();
    size_t low = 0;
    while (low < s.mag.size() && s.mag[low] == 0) ++low;
    n.digits_.reserve(s.mag.size() - low);
    for (size_t i = s.mag.size(); i-- > low;) n.digits_.push_back(static_cast<int16_t>(s.mag[i]));
    n.weight_ = static_cast<int16_t>(weight);
    n.sign_ = s.neg ? Numeric::kNeg : Numeric::kPos;
    return n;
  }

  // PostgreSQL's select_div_scale.
  static int SelectDivScale(const Numeric& a, const Numeric& b) {
    int w1 = a.digits_.empty() ? 0 : a.weight_;
    int w2 = b.digits_.empty() ? 0 : b.weight_;
    int f1 = a.digits_.empty() ? 0 : a.digits_[0];
    int f2 = b.digits_.empty() ? 0 : b.digits_[0];
    int qweight = w1 - w2;
    if (f1 <= f2) --qweight;
    int rscale = kMinSigDigits - qweight * kDecDigits;
    rscale = std::max<int>(rscale, a.dscale_);
    rscale = std::max<int>(rscale, b.dscale_);
    rscale = std::max(rscale, 0);
    rscale = std::min(rscale, kMaxDisplayScale);
    return rscale;
  }

  // e with 10^e <= |n| < 10^(e+1); 0 for zero.
  static int DecWeight(const Numeric& n) {
    if (n.digits_.empty()) return 0;
    int d = n.digits_[0], k = 0;
    while (d >= 10) {
      d /= 10;
      ++k;
    }
    return n.weight_ * kDecDigits + k;
  }

  // PostgreSQL's estimate_ln_dweight: the decimal weight of ln(n), for n > 0.
  static int EstimateLnDweight(const Numeric& n) {
    if (n.sign_ != Numeric::kPos) return 0;
    static const Numeric kLo = Numeric::Parse("0.9"), kHi = Numeric::Parse("1.1");
    if (n.Compare(kLo) >= 0 && n.Compare(kHi) <= 0) {
      Numeric x = n.Sub(Numeric::FromInt64(1));
      if (x.digits_.empty()) return 0;
      return x.weight_ * kDecDigits + static_cast<int>(std::log10(x.digits_[0]));
    }
    if (n.digits_.empty()) return 0;
    int digits = n.digits_[0];
    int dweight = n.weight_ * kDecDigits;
    if (n.digits_.size() > 1) {
      digits = digits * static_cast<int>(kBase) + n.digits_[1];
      dweight -= kDecDigits;
    }
    double ln = std::log(static_cast<double>(digits)) + dweight * 2.302585092994046;
    return static_cast<int>(std::log10(std::fabs(ln)));
  }

  // sqrt(|n|) rounded (half up) to rscale >= 0 digits after the point.
  static Numeric SqrtScaled(const Numeric& n, int rscale) {
    Scaled s = ToScaled(n);
    int e = 2 * rscale + 2 - s.scale;
    BigNat big;
    if (e >= 0) {
      big = MulPow10(std::move(s.mag), e);
    } else {  // floor(sqrt(floor(x))) == floor(sqrt(x))
      DivModNat(s.mag, Pow10(-e), &big, nullptr);
    }
    Scaled r;
    r.mag = ISqrt(big);
    r.scale = rscale + 1;
    RoundScaled(r, rscale, true);
    return FromScaled(std::move(r), rscale);
  }

  // floor(sqrt(a)).
  static BigNat ISqrt(const BigNat& a) {
    if (a.empty()) return {};
    int top = static_cast<int>(a.back()), topd = 0;
    while (top > 0) {
      top /= 10;
      ++topd;
    }
    int digits = static_cast<int>(a.size() - 1) * kDecDigits + topd;
    BigNat x = Pow10((digits + 1) / 2);  // >= sqrt(a)
    for (;;) {
      BigNat q, y;
      DivModNat(a, x, &q, nullptr);
      DivModNat(AddNat(x, q), BigNat{2}, &y, nullptr);
      if (CmpNat(y, x) >= 0) return x;
      x = std::move(y);
    }
  }

  // n * 10^k, exactly.
  static Numeric Shift(const Numeric& n, int k) {
    Scaled s = ToScaled(n);
    s.scale -= k;
    size_t zero_limbs = 0;  // drop trailing zero limbs so that the scale stays small
    while (s.scale - 4 * static_cast<int>(zero_limbs) >= 4 && zero_limbs < s.mag.size() &&
           s.mag[zero_limbs] == 0) {
      ++zero_limbs;
    }
    s.mag.erase(s.mag.begin(), s.mag.begin() + static_cast<std::ptrdiff_t>(zero_limbs));
    s.scale -= 4 * static_cast<int>(zero_limbs);
    int dscale = std::max(s.scale, 0);
    if (s.scale < 0) Rescale(s, 0);
    return FromScaled(std::move(s), dscale);
  }

  // Round(scale) without round()'s clamp of the scale to +-2000 (for working precisions).
  static Numeric RoundExact(const Numeric& n, int scale) {
    if (n.IsSpecial()) return n;
    Scaled s = ToScaled(n);
    RoundScaled(s, scale, true);
    if (s.mag.empty()) s.neg = false;
    return FromScaled(std::move(s), std::max(scale, 0));
  }
};

Numeric Numeric::NaN() {
  Numeric n;
  n.sign_ = kNaN;
  return n;
}

Numeric Numeric::Infinity() {
  Numeric n;
  n.sign_ = kPInf;
  return n;
}

Numeric Numeric::Parse(std::string_view text) {
  auto bad = [&]() -> Numeric {
    Throw(SqlState::kInvalidTextRepresentation, "invalid input syntax for type numeric: \"{}\"",
          text);
  };
  size_t p = 0;
  while (p < text.size() && IsSpace(text[p])) ++p;
  auto rest_is_space = [&](size_t from) {
    for (size_t k = from; k < text.size(); ++k) {
      if (!IsSpace(text[k])) return false;
    }
    return true;
  };
  std::string_view rest = text.substr(p);
  if (StartsWithNoCase(rest, "nan")) {
    if (!rest_is_space(p + 3)) bad();
    return NaN();
  }
  // numeric_in's special words, in its order: Infinity, +Infinity, -Infinity, inf, +inf, -inf.
  static constexpr std::string_view kInfWords[] = {"infinity", "+infinity", "-infinity",
                                                   "inf",      "+inf",      "-inf"};
  for (std::string_view w : kInfWords) {
    if (StartsWithNoCase(rest, w)) {
      if (!rest_is_space(p + w.size())) bad();
      return w[0] == '-' ? Infinity().Neg() : Infinity();
    }
  }
  bool neg = false;
  if (p < text.size() && (text[p] == '+' || text[p] == '-')) {
    neg = text[p] == '-';
    ++p;
  }
  std::string digits;
  bool seen_point = false;
  bool any_digit = false;
  int64_t frac_digits = 0;
  for (; p < text.size(); ++p) {
    char c = text[p];
    if (c >= '0' && c <= '9') {
      any_digit = true;
      if (!(digits.empty() && c == '0')) digits.push_back(c);
      if (seen_point) ++frac_digits;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!any_digit) bad();
  int64_t exponent = 0;
  if (p < text.size() && (text[p] == 'e' || text[p] == 'E')) {
    ++p;
    bool eneg = false;
    if (p < text.size() && (text[p] == '+' || text[p] == '-')) {
      eneg = text[p] == '-';
      ++p;
    }
    if (p >= text.size() || text[p] < '0' || text[p] > '9') bad();
    for (; p < text.size() && text[p] >= '0' && text[p] <= '9'; ++p) {
      if (exponent < 100000000) exponent = exponent * 10 + (text[p] - '0');
    }
    if (eneg) exponent = -exponent;
  }
  if (!rest_is_space(p)) bad();
  if (exponent > 1000000 || exponent < -1000000) ThrowOverflow();
  int64_t scale = frac_digits - exponent;
  int64_t dscale = std::max<int64_t>(scale, 0);
  if (dscale > kMaxDscale) ThrowOverflow();
  // Integer digits of the value: too many means the weight overflows.
  if (static_cast<int64_t>(digits.size()) - scale > static_cast<int64_t>(kMaxWeight + 1) * 4) {
    ThrowOverflow();
  }
  Scaled s;
  s.neg = neg;
  for (int64_t end = static_cast<int64_t>(digits.size()); end > 0; end -= kDecDigits) {
    int64_t begin = std::max<int64_t>(0, end - kDecDigits);
    uint32_t limb = 0;
    for (int64_t k = begin; k < end; ++k) limb = limb * 10 + (digits[k] - '0');
    s.mag.push_back(limb);
  }
  Trim(s.mag);
  s.scale = static_cast<int>(scale);
  if (s.scale < 0) Rescale(s, 0);
  if (s.mag.empty()) s.neg = false;
  return NumericInternals::FromScaled(std::move(s), static_cast<int>(dscale));
}

Numeric Numeric::FromInt64(int64_t v) {
  Scaled s;
  s.neg = v < 0;
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  while (u) {
    s.mag.push_back(static_cast<uint32_t>(u % kBase));
    u /= kBase;
  }
  return NumericInternals::FromScaled(std::move(s), 0);
}

Numeric Numeric::FromDouble(double v) {
  if (std::isnan(v)) return NaN();
  if (std::isinf(v)) return v > 0 ? Infinity() : Infinity().Neg();
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*g", std::numeric_limits<double>::digits10, v);
  return Parse(buf);
}

std::string Numeric::ToString() const {
  if (IsNaN()) return "NaN";
  if (sign_ == kPInf) return "Infinity";
  if (sign_ == kNInf) return "-Infinity";
  std::string out;
  if (sign_ == kNeg && !digits_.empty()) out.push_back('-');
  // Integer part.
  if (weight_ < 0 || digits_.empty()) {
    out.push_back('0');
  } else {
    for (int w = weight_, i = 0; w >= 0; --w, ++i) {
      int d = i < static_cast<int>(digits_.size()) ? digits_[i] : 0;
      char buf[8];
      if (i == 0) {
        std::snprintf(buf, sizeof(buf), "%d", d);
      } else {
        std::snprintf(buf, sizeof(buf), "%04d", d);
      }
      out += buf;
    }
  }
  if (dscale_ > 0) {
    out.push_back('.');
    // Fractional digits: base-10000 digit at weight -1, -2, ...
    int written = 0;
    for (int w = -1; written < dscale_; --w) {
      int idx = weight_ - w;  // index into digits_ of weight w
      int d = (idx >= 0 && idx < static_cast<int>(digits_.size()) && !digits_.empty())
                  ? digits_[idx]
                  : 0;
      char buf[8];
      std::snprintf(buf, sizeof(buf), "%04d", d);
      for (int k = 0; k < 4 && written < dscale_; ++k, ++written) out.push_back(buf[k]);
    }
  }
  return out;
}

int64_t Numeric::ToInt64() const {
  if (IsNaN()) Throw(SqlState::kFeatureNotSupported, "cannot convert NaN to bigint");
  if (IsInfinite()) Throw(SqlState::kFeatureNotSupported, "cannot convert infinity to bigint");
  Scaled s = NumericInternals::ToScaled(*this);
  RoundScaled(s, 0, true);
  // Integer value of the magnitude, checked against the int64 range.
  unsigned __int128 acc = 0;
  for (size_t i = s.mag.size(); i-- > 0;) {
    acc = acc * kBase + s.mag[i];
    if (acc > static_cast<unsigned __int128>(1) << 64) {
      Throw(SqlState::kNumericValueOutOfRange, "bigint out of range");
    }
  }
  const unsigned __int128 limit = static_cast<unsigned __int128>(1) << 63;
  if (s.neg) {
    if (acc > limit) Throw(SqlState::kNumericValueOutOfRange, "bigint out of range");
    return static_cast<int64_t>(0 - static_cast<uint64_t>(acc));
  }
  if (acc >= limit) Throw(SqlState::kNumericValueOutOfRange, "bigint out of range");
  return static_cast<int64_t>(acc);
}

double Numeric::ToDouble() const {
  if (IsNaN()) return std::numeric_limits<double>::quiet_NaN();
  if (IsInfinite()) return sign_ == kPInf ? HUGE_VAL : -HUGE_VAL;
  std::string s = ToString();
  errno = 0;
  double d = std::strtod(s.c_str(), nullptr);
  if (errno == ERANGE && std::isinf(d)) {
    Throw(SqlState::kNumericValueOutOfRange, "\"{}\" is out of range for type double precision", s);
  }
  return d;
}

Numeric Numeric::Add(const Numeric& o) const {
  if (IsSpecial() || o.IsSpecial()) {
    if (IsNaN() || o.IsNaN()) return NaN();
    if (IsInfinite() && o.IsInfinite()) return sign_ == o.sign_ ? *this : NaN();
    return IsInfinite() ? *this : o;
  }
  Scaled a = NumericInternals::ToScaled(*this);
  Scaled b = NumericInternals::ToScaled(o);
  int scale = std::max(a.scale, b.scale);
  Rescale(a, scale);
  Rescale(b, scale);
  Scaled r;
  r.scale = scale;
  if (a.neg == b.neg) {
    r.mag = AddNat(a.mag, b.mag);
    r.neg = a.neg;
  } else if (CmpNat(a.mag, b.mag) >= 0) {
    r.mag = SubNat(a.mag, b.mag);
    r.neg = a.neg;
  } else {
    r.mag = SubNat(b.mag, a.mag);
    r.neg = b.neg;
  }
  if (r.mag.empty()) r.neg = false;
  return NumericInternals::FromScaled(std::move(r), std::max(dscale_, o.dscale_));
}

Numeric Numeric::Sub(const Numeric& o) const { return Add(o.Neg()); }

Numeric Numeric::Mul(const Numeric& o) const {
  if (IsSpecial() || o.IsSpecial()) {
    if (IsNaN() || o.IsNaN()) return NaN();
    // Infinity times zero is NaN; otherwise an infinity with the product's sign.
    if (IsZero() || o.IsZero()) return NaN();
    return IsNegative() != o.IsNegative() ? Infinity().Neg() : Infinity();
  }
  Scaled a = NumericInternals::ToScaled(*this);
  Scaled b = NumericInternals::ToScaled(o);
  Scaled r;
  r.mag = MulNat(a.mag, b.mag);
  r.scale = a.scale + b.scale;
  r.neg = !r.mag.empty() && (a.neg != b.neg);
  int dscale = dscale_ + o.dscale_;
  if (dscale > kMaxDscale) dscale = kMaxDscale;
  RoundScaled(r, dscale, true);
  if (r.mag.empty()) r.neg = false;
  return NumericInternals::FromScaled(std::move(r), dscale);
}

Numeric Numeric::Div(const Numeric& o) const {
  if (IsSpecial() || o.IsSpecial()) return DivScale(o, 0);
  if (o.IsZero()) Throw(SqlState::kDivisionByZero, "division by zero");
  return DivScale(o, NumericInternals::SelectDivScale(*this, o));
}

Numeric Numeric::DivScale(const Numeric& o, int rscale) const {
  if (IsSpecial() || o.IsSpecial()) {
    if (IsNaN() || o.IsNaN()) return NaN();
    if (IsInfinite()) {
      if (o.IsInfinite()) return NaN();
      if (o.IsZero()) Throw(SqlState::kDivisionByZero, "division by zero");
      return IsNegative() != o.IsNegative() ? Infinity().Neg() : Infinity();
    }
    return Numeric();  // finite / infinity
  }
  if (o.IsZero()) Throw(SqlState::kDivisionByZero, "division by zero");
  Scaled a = NumericInternals::ToScaled(*this);
  Scaled b = NumericInternals::ToScaled(o);
  // |a| / |b| * 10^(rscale + 1) = A * 10^(sb - sa + rscale + 1) / B.
  int e = b.scale - a.scale + rscale + 1;
  BigNat num = a.mag;
  BigNat den = b.mag;
  if (e >= 0) {
    num = MulPow10(std::move(num), e);
  } else {
    den = MulPow10(std::move(den), -e);
  }
  Scaled r;
  DivModNat(num, den, &r.mag, nullptr);
  r.scale = rscale + 1;
  r.neg = a.neg != b.neg;
  RoundScaled(r, rscale, true);
  if (r.mag.empty()) r.neg = false;
  return NumericInternals::FromScaled(std::move(r), rscale);
}

Numeric Numeric::Mod(const Numeric& o) const {
  if (IsSpecial() || o.IsSpecial()) {
    if (IsNaN() || o.IsNaN()) return NaN();
    if (IsInfinite()) {
      if (o.IsZero()) Throw(SqlState::kDivisionByZero, "division by zero");
      return NaN();
    }
    return *this;  // finite % infinity
  }
  if (o.IsZero()) Throw(SqlState::kDivisionByZero, "division by zero");
  Scaled a = NumericInternals::ToScaled(*this);
  Scaled b = NumericInternals::ToScaled(o);
  int scale = std::max(a.scale, b.scale);
  Rescale(a, scale);
  Rescale(b, scale);
  Scaled r;
  DivModNat(a.mag, b.mag, nullptr, &r.mag);
  r.scale = scale;
  r.neg = !r.mag.empty() && a.neg;
  return NumericInternals::FromScaled(std::move(r), std::max(dscale_, o.dscale_));
}

Numeric Numeric::Neg() const {
  Numeric n = *this;
  if (n.sign_ == kPos && !n.digits_.empty()) {
    n.sign_ = kNeg;
  } else if (n.sign_ == kNeg) {
    n.sign_ = kPos;
  } else if (n.sign_ == kPInf) {
    n.sign_ = kNInf;
  } else if (n.sign_ == kNInf) {
    n.sign_ = kPInf;
  }
  return n;
}

Numeric Numeric::Abs() const {
  Numeric n = *this;
  if (n.sign_ == kNeg) n.sign_ = kPos;
  if (n.sign_ == kNInf) n.sign_ = kPInf;
  return n;
}

Numeric Numeric::Round(int scale) const {
  if (IsSpecial()) return *this;
  scale = std::clamp(scale, -(kMaxWeight + 1) * kDecDigits - 1, kMaxDscale);  // numeric_round
  Scaled s = NumericInternals::ToScaled(*this);
  RoundScaled(s, scale, true);
  if (s.mag.empty()) s.neg = false;
  return NumericInternals::FromScaled(std::move(s), std::max(scale, 0));
}

Numeric Numeric::Trunc(int scale) const {
  if (IsSpecial()) return *this;
  scale = std::clamp(scale, -(kMaxWeight + 1) * kDecDigits - 1, kMaxDscale);  // numeric_round
  Scaled s = NumericInternals::ToScaled(*this);
  RoundScaled(s, scale, false);
  if (s.mag.empty()) s.neg = false;
  return NumericInternals::FromScaled(std::move(s), std::max(scale, 0));
}

Numeric Numeric::ApplyTypmod(int32_t typmod) const {
  if (typmod < 0 || IsNaN()) return *this;
  int precision = (typmod >> 16) & 0xffff;
  int scale = typmod & 0x7ff;
  if (scale & 0x400) scale -= 0x800;  // an 11-bit signed scale, as PostgreSQL 15
  if (IsInfinite()) {
    throw Error(SqlState::kNumericValueOutOfRange, "numeric field overflow")
        .Detail(fmt::format("A field with precision {}, scale {} cannot hold an infinite value.",
                            precision, scale));
  }
  Numeric r = Round(scale);
  int maxdigits = precision - scale;
  // Decimal digits before the point, negative for leading zeros after it (a negative scale can
  // make maxdigits negative: numeric(3,6) holds values below 10^-3).
  if (!r.IsZero() && NumericInternals::DecWeight(r) + 1 > maxdigits) {
    throw Error(SqlState::kNumericValueOutOfRange, "numeric field overflow")
        .Detail(fmt::format(
            "A field with precision {}, scale {} must round to an absolute value less than {}{}.",
            precision, scale, maxdigits ? "10^" : "", maxdigits ? maxdigits : 1));
  }
  return r;
}

int Numeric::Compare(const Numeric& o) const {
  if (IsNaN()) return o.IsNaN() ? 0 : 1;
  if (o.IsNaN()) return -1;
  if (IsInfinite() || o.IsInfinite()) {
    auto rank = [](const Numeric& x) { return x.sign_ == kPInf ? 1 : (x.sign_ == kNInf ? -1 : 0); };
    int ra = rank(*this), rb = rank(o);
    return ra < rb ? -1 : (ra > rb ? 1 : 0);
  }
  int sa = IsZero() ? 0 : (IsNegative() ? -1 : 1);
  int sb = o.IsZero() ? 0 : (o.IsNegative() ? -1 : 1);
  if (sa != sb) return sa < sb ? -1 : 1;
  if (sa == 0) return 0;
  int mag;
  if (weight_ != o.weight_) {
    mag = weight_ < o.weight_ ? -1 : 1;
  } else {
    mag = 0;
    size_t n = std::max(digits_.size(), o.digits_.size());
    for (size_t i = 0; i < n && mag == 0; ++i) {
      int x = i < digits_.size() ? digits_[i] : 0;
      int y = i < o.digits_.size() ? o.digits_[i] : 0;
      if (x != y) mag = x < y ? -1 : 1;
    }
  }
  return sa < 0 ? -mag : mag;
}

std::string Numeric::NormalizedKey() const {
  std::string key;
  if (IsNaN()) return std::string(1, '\x02');
  if (sign_ == kPInf) return std::string(1, '\x04');
  if (sign_ == kNInf) return std::string(1, '\x05');
  if (IsZero()) return std::string(1, '\x00');
  key.push_back(sign_ == kNeg ? '\x01' : '\x03');
  key.push_back(static_cast<char>(weight_ >> 8));
  key.push_back(static_cast<char>(weight_ & 0xff));
  for (int16_t d : digits_) {
    key.push_back(static_cast<char>(d >> 8));
    key.push_back(static_cast<char>(d & 0xff));
  }
  return key;
}

// ---- ceil, floor, scales, and the transcendental functions (numeric.c's numeric_sqrt,
// numeric_ln, numeric_log, numeric_exp, numeric_power, with their result scales) ----

Numeric Numeric::Ceil() const {
  if (IsSpecial()) return *this;
  Numeric t = Trunc(0);
  if (t.Compare(*this) == 0 || IsNegative()) return t;
  return t.Add(FromInt64(1));
}

Numeric Numeric::Floor() const {
  if (IsSpecial()) return *this;
  Numeric t = Trunc(0);
  if (t.Compare(*this) == 0 || !IsNegative()) return t;
  return t.Sub(FromInt64(1));
}

int Numeric::MinScale() const {
  if (digits_.empty()) return 0;
  int last = static_cast<int>(digits_.size()) - 1;
  int last_weight = weight_ - last;
  if (last_weight >= 0) return 0;
  int scale = -last_weight * kDecDigits;
  int d = digits_[last];
  while (d % 10 == 0) {
    d /= 10;
    --scale;
  }
  return scale;
}

Numeric Numeric::TrimScale() const {
  if (IsSpecial()) return *this;
  Numeric r = *this;
  r.dscale_ = static_cast<int16_t>(MinScale());
  return r;
}

namespace {

Numeric RoundW(const Numeric& x, int scale) { return NumericInternals::RoundExact(x, scale); }

}  // namespace

namespace {

[[noreturn]] void ThrowLogZero() {
  Throw(SqlState::kInvalidArgumentForLogarithm, "cannot take logarithm of zero");
}
[[noreturn]] void ThrowLogNegative() {
  Throw(SqlState::kInvalidArgumentForLogarithm, "cannot take logarithm of a negative number");
}

Numeric Pow10Numeric(int k) { return Numeric::Parse("1e" + std::to_string(k)); }

// x rounded to `sig` significant digits.
Numeric RoundSig(const Numeric& x, int sig) {
  if (x.IsZero()) return x;
  return RoundW(x, sig - NumericInternals::DecWeight(x) - 1);
}

// ln(a) for a > 0 with an absolute error well below 10^-w: square roots bring a near 1, then
// ln(a) = 2 atanh((a - 1) / (a + 1)) by its series.
Numeric LnNearOne(Numeric a, int w) {
  const Numeric one = Numeric::FromInt64(1);
  static const Numeric kLo = Numeric::Parse("0.99"), kHi = Numeric::Parse("1.01");
  int halvings = 0;
  const int ws = w + 12;
  while (a.Compare(kLo) < 0 || a.Compare(kHi) > 0) {
    a = NumericInternals::SqrtScaled(a, ws);
    ++halvings;
  }
  Numeric z = a.Sub(one).DivScale(a.Add(one), ws);
  Numeric z2 = RoundW(z.Mul(z), ws);
  Numeric term = z, sum = z;
  const Numeric eps = Pow10Numeric(-ws);
  for (int64_t k = 3;; k += 2) {
    term = RoundW(term.Mul(z2), ws);
    if (term.IsZero()) break;
    Numeric t = term.DivScale(Numeric::FromInt64(k), ws);
    if (t.Abs().Compare(eps) < 0) break;
    sum = sum.Add(t);
  }
  // 2 * sum * 2^halvings
  Numeric factor = Numeric::FromInt64(int64_t{2} << halvings);
  return sum.Mul(factor);
}

// ln(x) for finite x > 0, rounded to rscale (which may be negative).
Numeric LnScaled(const Numeric& x, int rscale) {
  const int w = std::max(rscale, 0) + 8;
  int k = NumericInternals::DecWeight(x);
  Numeric r;
  if (k == 0) {
    r = LnNearOne(x, w);
  } else {
    Numeric a = NumericInternals::Shift(x, -k);  // exact, in [1, 10)
    int kd = static_cast<int>(std::to_string(std::abs(k)).size());
    Numeric ln10 = LnNearOne(Numeric::FromInt64(10), w + kd + 2);
    r = LnNearOne(a, w).Add(ln10.Mul(Numeric::FromInt64(k)));
  }
  return RoundW(r, rscale);
}

// exp(x) for finite x, rounded to rscale; x must be below 6000 in magnitude.
Numeric ExpScaled(const Numeric& x, int rscale) {
  if (x.IsNegative()) {
    // 1 / exp(|x|), with exp(|x|) to enough significant digits for rscale.
    const int val = static_cast<int>(x.Neg().ToDouble() * 0.434294481903252);
    const int sig = rscale - val + 10;
    if (sig <= 0) return RoundW(Numeric(), rscale);
    Numeric big = ExpScaled(x.Neg(), sig - val);
    return Numeric::FromInt64(1).DivScale(big, rscale);
  }
  const double val = x.ToDouble();
  const int dweight = static_cast<int>(val * 0.434294481903252);
  // Halve x until it is below 0.01, sum the series, square back.
  int n = 0;
  double v = val;
  while (v > 0.01) {
    v /= 2;
    ++n;
  }
  const int sig = rscale + std::max(dweight, 0) + 12 + n;
  Numeric r = n == 0 ? x : x.DivScale(Numeric::FromInt64(int64_t{1} << n), sig);
  Numeric sum = Numeric::FromInt64(1), term = Numeric::FromInt64(1);
  const Numeric eps = Pow10Numeric(-sig);
  for (int64_t k = 1;; ++k) {
    term = term.Mul(r).DivScale(Numeric::FromInt64(k), sig);
    if (term.Abs().Compare(eps) < 0) break;
    sum = sum.Add(term);
  }
  for (int i = 0; i < n; ++i) sum = RoundSig(sum.Mul(sum), sig);
  return RoundW(sum, rscale);
}

int ClampScale(int rscale) { return std::clamp(rscale, 0, kMaxDisplayScale); }

// power_var_int: base ^ exp for an int32 exponent, rounded to rscale (PostgreSQL 15 chooses
// max(16, the base's dscale) for an integer exponent).
Numeric PowerInt(const Numeric& base, int exp, int rscale) {
  switch (exp) {
    case 0:
      return RoundW(Numeric::FromInt64(1), rscale);
    case 1:
      return RoundW(base, rscale);
    case -1:
      return Numeric::FromInt64(1).DivScale(base, rscale);
    case 2:
      return RoundW(base.Mul(base), rscale);
    default:
      break;
  }
  if (base.IsZero()) {
    if (exp < 0) Throw(SqlState::kDivisionByZero, "division by zero");
    return RoundW(Numeric(), rscale);
  }
  double f = 0;
  {
    int dw = NumericInternals::DecWeight(base);
    // base ~= m * 10^dw with m in [1, 10)
    double m = RoundW(NumericInternals::Shift(base.Abs(), -dw), 15).ToDouble();
    f = exp * (std::log10(m) + dw);
  }
  if (f > 3.0 * 32767 * kDecDigits) ThrowOverflow();
  if (f + 1 < -rscale || f + 1 < -kMaxDisplayScale) return RoundW(Numeric(), rscale);
  int sig_digits = 1 + rscale + static_cast<int>(f);
  sig_digits += static_cast<int>(std::log(std::fabs(static_cast<double>(exp)))) + 8;
  bool neg = exp < 0;
  uint32_t mask =
      exp < 0 ? static_cast<uint32_t>(-(static_cast<int64_t>(exp))) : static_cast<uint32_t>(exp);
  Numeric base_prod = base;
  Numeric result = (mask & 1) ? base : Numeric::FromInt64(1);
  auto weight = [](const Numeric& x) { return x.weight(); };
  while ((mask >>= 1) > 0) {
    int local = sig_digits - 2 * weight(base_prod) * kDecDigits;
    local = std::min(local, 2 * static_cast<int>(base_prod.display_scale()));
    local = std::max(local, 0);
    // A product beyond the numeric range is an overflow, or zero for a negative exponent.
    bool too_big = false;
    try {
      base_prod = RoundW(base_prod.Mul(base_prod), local);
      if (mask & 1) {
        local = sig_digits - (weight(base_prod) + weight(result)) * kDecDigits;
        local = std::min(local, base_prod.display_scale() + result.display_scale());
        local = std::max(local, 0);
        result = RoundW(base_prod.Mul(result), local);
      }
    } catch (const Error&) {
      too_big = true;
    }
    if (too_big || weight(base_prod) > 32767 || weight(result) > 32767) {
      if (!neg) ThrowOverflow();
      result = Numeric();
      neg = false;
      break;
    }
  }
  if (neg) return Numeric::FromInt64(1).DivScale(result, rscale);
  return RoundW(result, rscale);
}

}  // namespace

Numeric Numeric::Sqrt() const {
  if (IsNaN() || sign_ == kPInf) return *this;
  if (IsNegative()) {
    Throw(SqlState::kInvalidArgumentForPowerFunction,
          "cannot take square root of a negative number");
  }
  int w = digits_.empty() ? 0 : weight_;
  int sweight = (w + 1) * kDecDigits / 2 - 1;
  int rscale = ClampScale(std::max(kMinSigDigits - sweight, static_cast<int>(dscale_)));
  if (IsZero()) return RoundW(Numeric(), rscale);
  return NumericInternals::SqrtScaled(*this, rscale);
}

Numeric Numeric::Ln() const {
  if (IsNaN() || sign_ == kPInf) return *this;
  if (sign_ == kNInf) ThrowLogNegative();
  if (IsZero()) ThrowLogZero();
  if (IsNegative()) ThrowLogNegative();
  int rscale = ClampScale(
      std::max(kMinSigDigits - NumericInternals::EstimateLnDweight(*this), int{dscale_}));
  return LnScaled(*this, rscale);
}

Numeric Numeric::Log(const Numeric& x) const {
  const Numeric& base = *this;
  if (base.IsSpecial() || x.IsSpecial()) {
    if (base.IsNaN() || x.IsNaN()) return NaN();
    if (base.IsNegative() || x.IsNegative()) ThrowLogNegative();
    if (base.IsZero() || x.IsZero()) ThrowLogZero();
    if (base.sign_ == kPInf) return x.sign_ == kPInf ? NaN() : Numeric();
    return Infinity();
  }
  for (const Numeric* v : {&base, &x}) {
    if (v->IsZero()) ThrowLogZero();
    if (v->IsNegative()) ThrowLogNegative();
  }
  int ln_base_dweight = NumericInternals::EstimateLnDweight(base);
  int ln_num_dweight = NumericInternals::EstimateLnDweight(x);
  int result_dweight = ln_num_dweight - ln_base_dweight;
  int rscale = kMinSigDigits - result_dweight;
  rscale = std::max({rscale, int{base.dscale_}, int{x.dscale_}});
  rscale = ClampScale(rscale);
  int ln_base_rscale = std::max(rscale + result_dweight - ln_base_dweight + 8, 0);
  int ln_num_rscale = std::max(rscale + result_dweight - ln_num_dweight + 8, 0);
  Numeric ln_base = LnScaled(base, ln_base_rscale);
  Numeric ln_num = LnScaled(x, ln_num_rscale);
  if (ln_base.IsZero()) Throw(SqlState::kDivisionByZero, "division by zero");
  return ln_num.DivScale(ln_base, rscale);
}

Numeric Numeric::Exp() const {
  if (IsNaN() || sign_ == kPInf) return *this;
  if (sign_ == kNInf) return Numeric();
  double val = ToDouble() * 0.434294481903252;
  val = std::clamp(val, -double{kMaxResultScale}, double{kMaxResultScale});
  int rscale = kMinSigDigits - static_cast<int>(val);
  rscale = ClampScale(std::max(rscale, int{dscale_}));
  double x = ToDouble();
  if (std::fabs(x) >= kMaxResultScale * 3) {
    if (x > 0) ThrowOverflow();
    return RoundW(Numeric(), rscale);
  }
  return ExpScaled(*this, rscale);
}

Numeric Numeric::Power(const Numeric& exponent) const {
  const Numeric& base = *this;
  const Numeric one = FromInt64(1);
  if (base.IsNaN()) {
    if (!exponent.IsSpecial() && exponent.IsZero()) return one;
    return NaN();
  }
  if (exponent.IsNaN()) {
    if (!base.IsSpecial() && base.Compare(one) == 0) return one;
    return NaN();
  }
  const int sign1 = base.IsZero() ? 0 : (base.IsNegative() ? -1 : 1);
  const int sign2 = exponent.IsZero() ? 0 : (exponent.IsNegative() ? -1 : 1);
  // numeric_is_integral: an infinity counts as integral.
  const bool exp_integral = exponent.IsInfinite() || exponent.IsInteger();
  if (sign1 == 0 && sign2 < 0) {
    Throw(SqlState::kInvalidArgumentForPowerFunction,
          "zero raised to a negative power is undefined");
  }
  if (sign1 < 0 && !exp_integral) {
    Throw(SqlState::kInvalidArgumentForPowerFunction,
          "a negative number raised to a non-integer power yields a complex result");
  }
  if (base.IsInfinite() || exponent.IsInfinite()) {
    if (!base.IsInfinite() && base.Compare(one) == 0) return one;
    if (sign2 == 0) return one;
    if (exponent.IsInfinite()) {
      if (sign1 == 0) return Numeric();  // 0 ^ Inf
      int cmp = base.IsInfinite() ? 1 : base.Abs().Compare(one);
      if (cmp == 0) return one;  // (-1) ^ [-]Inf
      bool big = (cmp > 0) == (sign2 > 0);
      return big ? Infinity() : Numeric();
    }
    // base is [-]Infinity, exponent finite and non-zero.
    if (sign2 < 0) return Numeric();
    if (base.sign_ == kNInf) {
      // odd integer exponent: -Infinity
      Numeric half = exponent.Mod(FromInt64(2));
      return half.IsZero() ? Infinity() : Infinity().Neg();
    }
    return Infinity();
  }
  // Finite: an int32 exponent by repeated multiplication.
  if (exponent.IsInteger() && exponent.Compare(FromInt64(INT32_MAX)) <= 0 &&
      exponent.Compare(FromInt64(INT32_MIN)) >= 0) {
    int rscale = ClampScale(std::max(kMinSigDigits, int{base.dscale_}));
    return PowerInt(base, static_cast<int>(exponent.ToInt64()), rscale);
  }
  if (base.IsZero()) return RoundW(Numeric(), kMinSigDigits);
  bool negate = false;
  Numeric b = base;
  if (sign1 < 0) {
    // An integer exponent beyond int32: the sign follows its parity.
    negate = !exponent.Mod(FromInt64(2)).IsZero();
    b = base.Abs();
  }
  int ln_dweight = NumericInternals::EstimateLnDweight(b);
  int local_rscale = std::max(8 - ln_dweight, 0);
  Numeric ln_base = LnScaled(b, local_rscale);
  Numeric ln_num = RoundW(ln_base.Mul(exponent), local_rscale);
  double val = ln_num.ToDouble();
  if (std::fabs(val) > kMaxResultScale * 3.01) {
    if (val > 0) ThrowOverflow();
    return RoundW(Numeric(), kMaxDisplayScale);
  }
  val *= 0.434294481903252;
  int rscale = kMinSigDigits - static_cast<int>(val);
  rscale = std::max({rscale, int{b.dscale_}, int{exponent.dscale_}});
  rscale = ClampScale(rscale);
  int sig_digits = std::max(rscale + static_cast<int>(val), 0);
  local_rscale = std::max(sig_digits - ln_dweight + 8, 0);
  int exp_digits = std::max(NumericInternals::DecWeight(exponent) + 1, 0);
  ln_base = LnScaled(b, local_rscale + exp_digits);
  ln_num = RoundW(ln_base.Mul(exponent), local_rscale);
  double x = ln_num.ToDouble();
  if (std::fabs(x) >= kMaxResultScale * 3) {
    if (x > 0) ThrowOverflow();
    return RoundW(Numeric(), rscale);
  }
  Numeric r = ExpScaled(ln_num, rscale);
  return negate ? r.Neg() : r;
}

}  // namespace activestore
