// Arbitrary-precision decimal with PostgreSQL's numeric semantics: base-10000 digits, a weight,
// a display scale, and NaN. Results (including the scale chosen for division, sqrt and the
// like) match PostgreSQL's numeric.c behaviour, so text output is identical.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace activestore {

class Numeric {
 public:
  Numeric() = default;  // zero, scale 0

  // Parses PostgreSQL's numeric input syntax ("  -12.3400", "1e5", "NaN").
  // Throws Error 22P02 on bad input.
  static Numeric Parse(std::string_view text);
  static Numeric FromInt64(int64_t v);
  // Exact conversion of a double as PostgreSQL's float8 -> numeric cast does
  // (via the shortest round-trip text, 15 significant digits as PostgreSQL's float8_numeric).
  static Numeric FromDouble(double v);
  static Numeric NaN();
  static Numeric Infinity();  // +Infinity; Neg() gives -Infinity

  // PostgreSQL's text output ("12.3400", "NaN", "Infinity", "-Infinity").
  std::string ToString() const;
  // Rounds to int64 (half away from zero); throws 22003 "bigint out of range" if it does not fit.
  int64_t ToInt64() const;
  double ToDouble() const;

  bool IsNaN() const { return sign_ == kNaN; }
  bool IsInfinite() const { return sign_ == kPInf || sign_ == kNInf; }
  // NaN or an infinity (PostgreSQL's NUMERIC_IS_SPECIAL).
  bool IsSpecial() const { return sign_ >= kNaN; }
  bool IsZero() const { return digits_.empty() && sign_ <= kNeg; }
  bool IsNegative() const { return sign_ == kNeg || sign_ == kNInf; }
  int display_scale() const { return dscale_; }
  // True for finite values without a fractional part (2.000 is an integer).
  bool IsInteger() const {
    return sign_ <= kNeg && static_cast<int>(digits_.size()) <= weight_ + 1;
  }
  // Weight of the first base-10000 digit (0 for zero and NaN).
  int weight() const { return digits_.empty() ? 0 : weight_; }

  // Arithmetic with PostgreSQL's result scales. Division by zero throws 22012.
  Numeric Add(const Numeric& o) const;
  Numeric Sub(const Numeric& o) const;
  Numeric Mul(const Numeric& o) const;
  Numeric Div(const Numeric& o) const;  // numeric_div: select_div_scale rules
  Numeric Mod(const Numeric& o) const;
  Numeric Neg() const;
  Numeric Abs() const;
  // Division with an explicit result scale (used by avg: numeric_avg -> div with its rules).
  Numeric DivScale(const Numeric& o, int rscale) const;
  // Rounds to `scale` digits after the point (half away from zero), as round(x, s).
  Numeric Round(int scale) const;
  Numeric Trunc(int scale) const;
  // numeric_ceil / numeric_floor (specials unchanged).
  Numeric Ceil() const;
  Numeric Floor() const;
  // The functions of numeric.c with PostgreSQL's result scales and errors (specials as
  // PostgreSQL 15): sqrt, ln, log(base, x) (this is the base), exp, power with any exponent.
  Numeric Sqrt() const;
  Numeric Ln() const;
  Numeric Log(const Numeric& x) const;
  Numeric Exp() const;
  Numeric Power(const Numeric& exponent) const;
  // min_scale: the smallest scale that represents the value exactly; trim_scale: the value at
  // that scale. REQUIRES: finite.
  int MinScale() const;
  Numeric TrimScale() const;
  // Applies a numeric(p,s) typmod: rounds to s, throws 22003 "numeric field overflow" if it
  // needs more than p - s integer digits. typmod < 0 returns *this.
  Numeric ApplyTypmod(int32_t typmod) const;

  // Total order as PostgreSQL's cmp_numerics: -Infinity < finite values < Infinity < NaN,
  // 1.0 == 1.00.
  int Compare(const Numeric& o) const;
  bool operator==(const Numeric& o) const { return Compare(o) == 0; }
  bool operator<(const Numeric& o) const { return Compare(o) < 0; }

  // Bytes equal for equal values (1.0 and 1.00 give the same bytes), used for hashing and
  // keys. Not order-preserving.
  std::string NormalizedKey() const;

 private:
  enum Sign : uint8_t { kPos = 0, kNeg = 1, kNaN = 2, kPInf = 3, kNInf = 4 };
  Sign sign_ = kPos;
  int16_t weight_ = 0;           // weight of digits_[0] in base 10000
  int16_t dscale_ = 0;           // display scale: digits after the decimal point
  std::vector<int16_t> digits_;  // base-10000 digits, no leading or trailing zero digits
  friend class NumericInternals;
};

}  // namespace activestore
