#include "common/float4.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "common/ascii.h"
#include "common/error.h"
#include "common/float_format.h"
#include "common/value.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

[[noreturn]] void ThrowOverflow() {
  Throw(SqlState::kNumericValueOutOfRange, "value out of range: overflow");
}
[[noreturn]] void ThrowUnderflow() {
  Throw(SqlState::kNumericValueOutOfRange, "value out of range: underflow");
}

// float4_int2 / float4_int4 / float4_int8: rint, then the FLOAT4_FITS_IN_INTn range check.
int64_t Float4ToInt(float f, TypeId to) {
  const float r = std::rint(f);
  const char* what = "bigint";
  float lo = -9223372036854775808.0f;
  if (to == TypeId::kInt16) {
    what = "smallint";
    lo = -32768.0f;
  } else if (to == TypeId::kInt32) {
    what = "integer";
    lo = -2147483648.0f;
  }
  if (std::isnan(r) || !(r >= lo && r < -lo)) {
    Throw(SqlState::kNumericValueOutOfRange, "{} out of range", what);
  }
  return static_cast<int64_t>(r);
}

void Float4In(std::string_view text, const FormatOptions&, Value* out) {
  out->f = ParseFloat4(text);
}

std::string Float4Out(const Value& v, const FormatOptions& opts) {
  return FormatFloat4(static_cast<float>(v.f), opts.extra_float_digits);
}

// pg_cast rows with float4 on one side (text casts go through in/out before this is asked).
bool Float4Cast(const Value& v, Type to, const FormatOptions& opts, Value* out) {
  const TypeId from = v.type.id;
  out->type = to;
  out->is_null = false;
  if (to.id == TypeId::kFloat32) {
    switch (from) {
      case TypeId::kFloat32:
        out->f = v.f;
        return true;
      case TypeId::kInt16:
      case TypeId::kInt32:
      case TypeId::kInt64:
        out->f = static_cast<float>(v.i);  // one rounding, as (float4) int64
        return true;
      case TypeId::kFloat64:
        out->f = Float8ToFloat4(v.f);
        return true;
      case TypeId::kNumeric:
        // numeric_float4: the numeric's text through float4in.
        if (v.num.IsNaN()) {
          out->f = std::numeric_limits<float>::quiet_NaN();
        } else if (v.num.IsInfinite()) {
          out->f = v.num.IsNegative() ? -INFINITY : INFINITY;
        } else {
          out->f = ParseFloat4(v.num.ToString());
        }
        return true;
      default:
        return false;
    }
  }
  if (from != TypeId::kFloat32) return false;
  const float f = static_cast<float>(v.f);
  switch (to.id) {
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      out->i = Float4ToInt(f, to.id);
      return true;
    case TypeId::kFloat64:
      out->f = v.f;
      return true;
    case TypeId::kNumeric: {
      // float4_numeric: FLT_DIG significant digits.
      if (std::isnan(f)) {
        out->num = Numeric::NaN();
      } else if (std::isinf(f)) {
        out->num = f > 0 ? Numeric::Infinity() : Numeric::Infinity().Neg();
      } else {
        char buf[64];
        std::snprintf(buf, sizeof(buf), "%.*g", std::numeric_limits<float>::digits10, f);
        out->num = Numeric::Parse(buf).ApplyTypmod(to.typmod);
      }
      return true;
    }
    default:
      (void)opts;
      return false;
  }
}

}  // namespace

float ParseFloat4(std::string_view text) { return ParseFloatText<float>(text, "real"); }

std::string FormatFloat4(float v, int extra_float_digits) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (extra_float_digits <= 0) {
    char buf[64];
    int digits = std::max(1, std::numeric_limits<float>::digits10 + extra_float_digits);
    std::snprintf(buf, sizeof(buf), "%.*g", digits, static_cast<double>(v));
    return buf;
  }
  return LayoutShortestFloat(ShortestScientific(v), 6);
}

float Float4Arithmetic(char op, float x, float y) {
  float r = 0;
  switch (op) {
    case '+':
      r = x + y;
      if (std::isinf(r) && !std::isinf(x) && !std::isinf(y)) ThrowOverflow();
      break;
    case '-':
      r = x - y;
      if (std::isinf(r) && !std::isinf(x) && !std::isinf(y)) ThrowOverflow();
      break;
    case '*':
      r = x * y;
      if (std::isinf(r) && !std::isinf(x) && !std::isinf(y)) ThrowOverflow();
      if (r == 0.0f && x != 0.0f && y != 0.0f) ThrowUnderflow();
      break;
    case '/':
      if (y == 0.0f && !std::isnan(x)) Throw(SqlState::kDivisionByZero, "division by zero");
      r = x / y;
      if (std::isinf(r) && !std::isinf(x)) ThrowOverflow();
      if (r == 0.0f && x != 0.0f && !std::isinf(y)) ThrowUnderflow();
      break;
    default:
      Throw(SqlState::kInternalError, "unknown float4 operator {}", op);
  }
  return r;
}

float Float8ToFloat4(double v) {
  const float r = static_cast<float>(v);
  if (std::isinf(r) && !std::isinf(v)) ThrowOverflow();
  if (r == 0.0f && v != 0.0) ThrowUnderflow();
  return r;
}

Value Float4Value(float f) {
  Value v;
  v.type = Type::Of(TypeId::kFloat32);
  v.is_null = false;
  v.f = f;
  return v;
}

const TypeMethods kFloat4Methods = {Float4In, Float4Out, nullptr, nullptr, nullptr, Float4Cast};

}  // namespace activestore
