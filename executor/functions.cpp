#include "executor/functions.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <thread>
#include <unordered_map>

#include "common/array.h"
#include "common/bit_string.h"
#include "common/bytea.h"
#include "common/datetime.h"
#include "common/error.h"
#include "common/float4.h"
#include "common/formatting.h"
#include "common/money.h"
#include "common/pg_lsn.h"
#include "common/reg_types.h"
#include "common/system_id_types.h"
#include "common/time_bucket.h"
#include "common/time_types.h"
#include "common/user_types.h"
#include "common/utf8.h"
#include "common/uuid.h"
#include "common/value_ops.h"
#include "executor/admin_functions.h"
#include "executor/array_exprs.h"
#include "executor/catalog_functions.h"
#include "executor/composite_exprs.h"
#include "executor/deparse.h"
#include "executor/expression_evaluator.h"
#include "executor/geometry_functions.h"
#include "executor/hypertables.h"
#include "executor/json_functions.h"
#include "executor/ordered_set.h"
#include "executor/reg_resolver.h"
#include "executor/sequences.h"
#include "executor/session_notifications.h"
#include "executor/stat_statements.h"
#include "executor/string_functions.h"
#include "executor/triggers.h"
#include "executor/user_functions.h"
#include "executor/xact_ids.h"
#include "parser/literals.h"
#include "planner/domain_checks.h"
#include "storage/replication.h"

namespace activestore::executor {

using planner::BoundExpr;

namespace {

constexpr int64_t kUsPerSecond = 1000000;
constexpr int64_t kUsPerDay = 86400 * kUsPerSecond;
constexpr int64_t kUnixEpochOffsetDays = 10957;  // 1970-01-01 -> 2000-01-01
constexpr size_t kMaxStringBytes = 1 << 30;

using Args = std::vector<Value>;
using Fn = Value (*)(const Args& a, const BoundExpr& e, ExecState& st);

// One argument of a batch form: its vector, read at row r * stride (stride 0: a constant or a
// parameter, evaluated once into a one-row vector).
struct BatchArg {
  const Vector* v = nullptr;
  size_t stride = 1;

  size_t Row(size_t r) const { return r * stride; }
  bool IsNull(size_t r) const { return v->nulls[r * stride] != 0; }
  bool IsConstant() const { return stride == 0; }
};
using BatchArgs = std::vector<BatchArg>;

// The batch form of a function: computes it over n rows of argument vectors without a Value per
// row. *out arrives as n rows of e.type whose nulls mark the rows not to compute (for a strict
// function, the rows with a NULL argument: a selection by mask); the form fills the other rows
// and may make some of them NULL. Errors are raised for the first failing row in row order, as
// the per-row form raises them. Returns false, having written nothing, for argument types it
// does not handle; the per-row form then runs.
using BatchFn = bool (*)(const BatchArgs& a, size_t n, const BoundExpr& e, ExecState& st,
                         Vector* out);

struct FnInfo {
  Fn fn;
  bool strict;              // NULL in any argument gives NULL without calling fn
  BatchFn batch = nullptr;  // the batch form, if the function has one
};

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

Value Float(double x) { return Value::Float64(x); }
Value Text(std::string s) { return Value::Text(std::move(s)); }
Value Int32(int64_t x) { return Value::Int32(static_cast<int32_t>(x)); }

[[noreturn]] void Overflow() {
  Throw(SqlState::kNumericValueOutOfRange, "value out of range: overflow");
}
[[noreturn]] void Underflow() {
  Throw(SqlState::kNumericValueOutOfRange, "value out of range: underflow");
}

// ---- UTF-8 ----

// Byte offsets of each character start, plus s.size() at the end.
std::vector<size_t> CharStarts(std::string_view s) {
  std::vector<size_t> starts;
  starts.reserve(s.size() + 1);
  for (size_t i = 0; i < s.size();) {
    starts.push_back(i);
    i += std::min(Utf8Len(static_cast<unsigned char>(s[i])), s.size() - i);
  }
  starts.push_back(s.size());
  return starts;
}

int64_t CharCount(std::string_view s) {
  int64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Characters [from, to) (0-based, clamped) of s.
std::string CharSlice(std::string_view s, int64_t from, int64_t to) {
  std::vector<size_t> st = CharStarts(s);
  int64_t n = static_cast<int64_t>(st.size()) - 1;
  from = std::clamp<int64_t>(from, 0, n);
  to = std::clamp<int64_t>(to, 0, n);
  if (to <= from) return "";
  return std::string(s.substr(st[from], st[to] - st[from]));
}

std::vector<std::string_view> Chars(std::string_view s) {
  std::vector<std::string_view> out;
  std::vector<size_t> st = CharStarts(s);
  for (size_t i = 0; i + 1 < st.size(); ++i) out.push_back(s.substr(st[i], st[i + 1] - st[i]));
  return out;
}

// ---- numeric helpers ----

Numeric NumInt(int64_t v) { return Numeric::FromInt64(v); }

// ---- math ----

// abs of an int2/int4/int8 (22003 for the type's minimum).
int64_t IntAbs(int64_t x, TypeId t) {
  const int64_t lim = t == TypeId::kInt16   ? std::numeric_limits<int16_t>::min()
                      : t == TypeId::kInt32 ? std::numeric_limits<int32_t>::min()
                                            : std::numeric_limits<int64_t>::min();
  if (x == lim) ThrowIntegerOutOfRange(t);
  return x < 0 ? -x : x;
}

Value FnAbs(const Args& a, const BoundExpr& e, ExecState&) {
  const Value& x = a[0];
  switch (x.type.id) {
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      return Value::Int(x.type.id, IntAbs(x.i, x.type.id));
    case TypeId::kFloat64:
      return Float(std::fabs(x.f));
    case TypeId::kFloat32:
      return Float4Value(std::fabs(static_cast<float>(x.f)));
    case TypeId::kNumeric:
      return Value::Num(x.num.Abs());
    default:
      Throw(SqlState::kUndefinedFunction, "function abs({}) does not exist", TypeName(x.type));
  }
}

int32_t ScaleArg(const Value& v) { return static_cast<int32_t>(v.i); }

Value FnRound(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].type.id == TypeId::kFloat64) return Float(std::nearbyint(a[0].f));
  Numeric x = CastValue(a[0], Type::Of(TypeId::kNumeric)).num;
  if (x.IsNaN()) return Value::Num(x);
  return Value::Num(x.Round(a.size() > 1 ? ScaleArg(a[1]) : 0));
}

Value FnTrunc(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].type.id == TypeId::kFloat64) return Float(std::trunc(a[0].f));
  Numeric x = CastValue(a[0], Type::Of(TypeId::kNumeric)).num;
  if (x.IsNaN()) return Value::Num(x);
  return Value::Num(x.Trunc(a.size() > 1 ? ScaleArg(a[1]) : 0));
}

Value FnFloor(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].type.id == TypeId::kFloat64) return Float(std::floor(a[0].f));
  return Value::Num(CastValue(a[0], Type::Of(TypeId::kNumeric)).num.Floor());
}

Value FnCeil(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].type.id == TypeId::kFloat64) return Float(std::ceil(a[0].f));
  return Value::Num(CastValue(a[0], Type::Of(TypeId::kNumeric)).num.Ceil());
}

Value FnSign(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].type.id == TypeId::kFloat64) {
    double x = a[0].f;
    return Float(x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0));
  }
  Numeric x = CastValue(a[0], Type::Of(TypeId::kNumeric)).num;
  if (x.IsNaN()) return Value::Num(x);
  return Value::Num(NumInt(x.IsZero() ? 0 : (x.IsNegative() ? -1 : 1)));
}

Value FnSqrt(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].type.id == TypeId::kFloat64) {
    if (a[0].f < 0) {
      Throw(SqlState::kInvalidArgumentForPowerFunction,
            "cannot take square root of a negative number");
    }
    return Float(std::sqrt(a[0].f));
  }
  return Value::Num(CastValue(a[0], Type::Of(TypeId::kNumeric)).num.Sqrt());
}

// dpow: PostgreSQL's explicit NaN and infinity rules, then pow() with its error checks.
double Float8Power(double x, double y) {
  if (std::isnan(x)) return (std::isnan(y) || y != 0.0) ? x : 1.0;
  if (std::isnan(y)) return x != 1.0 ? y : 1.0;
  if (x == 0 && y < 0) {
    Throw(SqlState::kInvalidArgumentForPowerFunction,
          "zero raised to a negative power is undefined");
  }
  if (x < 0 && std::floor(y) != y) {
    Throw(SqlState::kInvalidArgumentForPowerFunction,
          "a negative number raised to a non-integer power yields a complex result");
  }
  if (std::isinf(y)) {
    double ax = std::fabs(x);
    if (ax == 1.0) return 1.0;
    if (y > 0) return ax > 1.0 ? y : 0.0;
    return ax > 1.0 ? 0.0 : -y;
  }
  if (std::isinf(x)) {
    if (y == 0.0) return 1.0;
    if (x > 0) return y > 0 ? x : 0.0;
    double half = y / 2;
    bool odd = std::floor(half) != half;
    if (y > 0) return odd ? x : -x;
    return odd ? -0.0 : 0.0;
  }
  errno = 0;
  double r = std::pow(x, y);
  if (errno == EDOM || std::isnan(r)) {
    if (x == 0.0) return 0.0;
    double ax = std::fabs(x);
    if (ax == 1.0) return 1.0;
    if (y >= 0.0 ? ax > 1.0 : ax < 1.0) Overflow();
    Underflow();
  }
  if (errno == ERANGE) {
    if (r != 0.0) Overflow();
    Underflow();
  }
  if (std::isinf(r)) Overflow();
  if (r == 0.0 && x != 0.0) Underflow();
  return r;
}

Value FnPower(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].type.id == TypeId::kFloat64 && a[1].type.id == TypeId::kFloat64) {
    return Float(Float8Power(a[0].f, a[1].f));
  }
  Numeric x = CastValue(a[0], Type::Of(TypeId::kNumeric)).num;
  Numeric y = CastValue(a[1], Type::Of(TypeId::kNumeric)).num;
  return Value::Num(x.Power(y));
}

Value FnMod(const Args& a, const BoundExpr& e, ExecState&) {
  if (e.type.id == TypeId::kNumeric) {
    Numeric x = CastValue(a[0], Type::Of(TypeId::kNumeric)).num;
    Numeric y = CastValue(a[1], Type::Of(TypeId::kNumeric)).num;
    return Value::Num(x.Mod(y));
  }
  Value r = Arithmetic("%", a[0], a[1]);
  return r.type == e.type ? r : CastValue(r, e.type);
}

// gcd/lcm of int4 or int8 (int4gcd, int8lcm): non-negative; the one result that does not fit
// (gcd of the minimum with 0 or itself, an lcm too large) is out of range.
Value FnGcd(const Args& a, const BoundExpr& e, ExecState&) {
  const TypeId t = e.type.id;
  const int64_t lo = t == TypeId::kInt32 ? std::numeric_limits<int32_t>::min()
                                         : std::numeric_limits<int64_t>::min();
  int64_t x = a[0].i, y = a[1].i;
  if ((x == lo && (y == 0 || y == lo)) || (y == lo && x == 0)) ThrowIntegerOutOfRange(t);
  // Work with non-positive values so that the minimum has no overflow.
  if (x > 0) x = -x;
  if (y > 0) y = -y;
  while (y != 0) {
    int64_t r = y == -1 ? 0 : x % y;  // INT64_MIN % -1 traps on x86
    x = y;
    y = r;
  }
  return Value::Int(t, -x);
}

Value FnLcm(const Args& a, const BoundExpr& e, ExecState& st) {
  const TypeId t = e.type.id;
  if (a[0].i == 0 || a[1].i == 0) return Value::Int(t, 0);
  const int64_t g = FnGcd(a, e, st).i;
  __int128 r = static_cast<__int128>(a[0].i / g) * a[1].i;
  if (r < 0) r = -r;
  const int64_t hi = t == TypeId::kInt32 ? std::numeric_limits<int32_t>::max()
                                         : std::numeric_limits<int64_t>::max();
  if (r > hi) ThrowIntegerOutOfRange(t);
  return Value::Int(t, static_cast<int64_t>(r));
}

Value FnBoolEq(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Bool((a[0].i != 0) == (a[1].i != 0));
}
Value FnBoolNe(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Bool((a[0].i != 0) != (a[1].i != 0));
}

// The integer bit operators (int2and, int4shl, ...). Shifts take the count modulo the width,
// as the C operators PostgreSQL uses do on its platforms; the result wraps to the type.
int64_t WrapTo(TypeId t, int64_t v) {
  if (t == TypeId::kInt16) return static_cast<int16_t>(v);
  if (t == TypeId::kInt32) return static_cast<int32_t>(v);
  return v;
}
int BitWidth(TypeId t) { return t == TypeId::kInt16 ? 32 : t == TypeId::kInt32 ? 32 : 64; }
Value FnIntAnd(const Args& a, const BoundExpr& e, ExecState&) {
  return Value::Int(e.type.id, a[0].i & a[1].i);
}
Value FnIntOr(const Args& a, const BoundExpr& e, ExecState&) {
  return Value::Int(e.type.id, a[0].i | a[1].i);
}
Value FnIntXor(const Args& a, const BoundExpr& e, ExecState&) {
  return Value::Int(e.type.id, a[0].i ^ a[1].i);
}
Value FnIntNot(const Args& a, const BoundExpr& e, ExecState&) {
  return Value::Int(e.type.id, ~a[0].i);
}
Value FnIntShl(const Args& a, const BoundExpr& e, ExecState&) {
  const TypeId t = e.type.id;
  const int width = BitWidth(t);
  const int n = static_cast<int>(((a[1].i % width) + width) % width);
  const uint64_t u = static_cast<uint64_t>(a[0].i) << n;
  return Value::Int(t, WrapTo(t, static_cast<int64_t>(u)));
}
Value FnIntShr(const Args& a, const BoundExpr& e, ExecState&) {
  const TypeId t = e.type.id;
  const int width = BitWidth(t);
  const int n = static_cast<int>(((a[1].i % width) + width) % width);
  return Value::Int(t, WrapTo(t, a[0].i >> n));
}

Value FnExp(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].type.id == TypeId::kNumeric) return Value::Num(a[0].num.Exp());
  double x = a[0].f, r = std::exp(x);
  if (std::isinf(r) && std::isfinite(x)) Overflow();
  if (r == 0 && std::isfinite(x)) Underflow();
  return Float(r);
}

void CheckLogArg(double x) {
  if (x == 0) Throw(SqlState::kInvalidArgumentForLogarithm, "cannot take logarithm of zero");
  if (x < 0) {
    Throw(SqlState::kInvalidArgumentForLogarithm, "cannot take logarithm of a negative number");
  }
}

Value FnLn(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].type.id == TypeId::kNumeric) return Value::Num(a[0].num.Ln());
  CheckLogArg(a[0].f);
  double r = std::log(a[0].f);
  if (std::isinf(r) && !std::isinf(a[0].f)) Overflow();
  if (r == 0.0 && a[0].f != 1.0) Underflow();
  return Float(r);
}

// log(x) / log10(x): base 10; log(b, x) of numerics.
Value FnLog(const Args& a, const BoundExpr&, ExecState&) {
  if (a.size() == 2) return Value::Num(a[0].num.Log(a[1].num));
  if (a[0].type.id == TypeId::kNumeric) {
    // PostgreSQL's log(numeric) is the SQL function `select pg_catalog.log(10, $1)`: its errors
    // say so.
    try {
      return Value::Num(Numeric::FromInt64(10).Log(a[0].num));
    } catch (Error& e) {
      if (!e.context) e.context = "SQL function \"log\" statement 1";
      throw;
    }
  }
  CheckLogArg(a[0].f);
  double r = std::log10(a[0].f);
  if (std::isinf(r) && !std::isinf(a[0].f)) Overflow();
  if (r == 0.0 && a[0].f != 1.0) Underflow();
  return Float(r);
}

// ---- float8 trigonometry and friends (float.c), numeric scale functions (numeric.c) ----

[[noreturn]] void InputOutOfRange() {
  Throw(SqlState::kNumericValueOutOfRange, "input is out of range");
}

// The float8 result check of float.c (check_float8_val).
double CheckFloat8(double r, bool inf_ok, bool zero_ok) {
  if (std::isinf(r) && !inf_ok) Overflow();
  if (r == 0.0 && !zero_ok) Underflow();
  return r;
}

constexpr double kRadiansPerDegree = 0.0174532925199432957692;

// dsin, dcos, dtan, dcot, dasin, dacos, datan.
template <int kind>
Value FnTrig(const Args& a, const BoundExpr&, ExecState&) {
  const double x = a[0].f;
  if (std::isnan(x)) return Float(x);
  if (kind >= 4 && kind <= 5 && (x < -1.0 || x > 1.0)) InputOutOfRange();
  errno = 0;
  double r = 0;
  switch (kind) {
    case 0:
      r = std::sin(x);
      break;
    case 1:
      r = std::cos(x);
      break;
    case 2:
      r = std::tan(x);
      break;
    case 3:
      r = std::tan(x);
      break;
    case 4:
      return Float(std::asin(x));
    case 5:
      return Float(std::acos(x));
    default:
      return Float(std::atan(x));
  }
  if (errno != 0 || std::isinf(x)) InputOutOfRange();
  if (kind == 3) return Float(1.0 / r);
  if (kind < 2 && std::isinf(r)) Overflow();
  return Float(r);
}

Value FnAtan2(const Args& a, const BoundExpr&, ExecState&) {
  if (std::isnan(a[0].f) || std::isnan(a[1].f)) return Float(std::nan(""));
  return Float(std::atan2(a[0].f, a[1].f));
}

// The constants float.c computes once, so that sind(30) is exactly 0.5.
struct DegreeConstants {
  double sin_30, one_minus_cos_60, asin_0_5, acos_0_5, atan_1_0, tan_45, cot_45;
};
double SindTo30(double x, const DegreeConstants& k) {
  volatile double sin_x = std::sin(x * kRadiansPerDegree);
  return (sin_x / k.sin_30) / 2.0;
}
double CosdTo60(double x, const DegreeConstants& k) {
  volatile double one_minus_cos_x = 1.0 - std::cos(x * kRadiansPerDegree);
  return 1.0 - (one_minus_cos_x / k.one_minus_cos_60) / 2.0;
}
double SindQ1(double x, const DegreeConstants& k) {
  return x <= 30.0 ? SindTo30(x, k) : CosdTo60(90.0 - x, k);
}
double CosdQ1(double x, const DegreeConstants& k) {
  return x <= 60.0 ? CosdTo60(x, k) : SindTo30(90.0 - x, k);
}
const DegreeConstants& Degrees() {
  static const DegreeConstants k = [] {
    DegreeConstants c{};
    c.sin_30 = std::sin(kRadiansPerDegree * 30.0);
    c.one_minus_cos_60 = 1.0 - std::cos(kRadiansPerDegree * 60.0);
    c.asin_0_5 = std::asin(0.5);
    c.acos_0_5 = std::acos(0.5);
    c.atan_1_0 = std::atan(1.0);
    c.tan_45 = SindQ1(45.0, c) / CosdQ1(45.0, c);
    c.cot_45 = CosdQ1(45.0, c) / SindQ1(45.0, c);
    return c;
  }();
  return k;
}
double AsindQ1(double x, const DegreeConstants& k) {
  if (x <= 0.5) {
    volatile double asin_x = std::asin(x);
    return (asin_x / k.asin_0_5) * 30.0;
  }
  volatile double acos_x = std::acos(x);
  return 90.0 - (acos_x / k.acos_0_5) * 60.0;
}
double AcosdQ1(double x, const DegreeConstants& k) {
  if (x <= 0.5) {
    volatile double asin_x = std::asin(x);
    return 90.0 - (asin_x / k.asin_0_5) * 30.0;
  }
  volatile double acos_x = std::acos(x);
  return (acos_x / k.acos_0_5) * 60.0;
}

// dsind (0), dcosd (1), dtand (2), dcotd (3): exact at the multiples of 30 and 45 degrees.
template <int kind>
Value FnTrigDegrees(const Args& a, const BoundExpr&, ExecState&) {
  const DegreeConstants& k = Degrees();
  double x = a[0].f;
  if (std::isnan(x)) return Float(x);
  if (std::isinf(x)) InputOutOfRange();
  double sign = 1.0;
  x = std::fmod(x, 360.0);
  if (x < 0.0) {
    x = -x;
    if (kind != 1) sign = -sign;
  }
  if (x > 180.0) {
    x = 360.0 - x;
    if (kind != 1) sign = -sign;
  }
  if (x > 90.0) {
    x = 180.0 - x;
    if (kind != 0) sign = -sign;
  }
  double r;
  switch (kind) {
    case 0:
      r = sign * SindQ1(x, k);
      break;
    case 1:
      r = sign * CosdQ1(x, k);
      break;
    case 2: {
      volatile double t = SindQ1(x, k) / CosdQ1(x, k);
      r = sign * (t / k.tan_45);
      if (r == 0.0) r = 0.0;
      return Float(r);
    }
    default: {
      volatile double c = CosdQ1(x, k) / SindQ1(x, k);
      r = sign * (c / k.cot_45);
      if (r == 0.0) r = 0.0;
      return Float(r);
    }
  }
  if (std::isinf(r)) Overflow();
  return Float(r);
}

// dasind (0), dacosd (1), datand (2).
template <int kind>
Value FnArcDegrees(const Args& a, const BoundExpr&, ExecState&) {
  const DegreeConstants& k = Degrees();
  const double x = a[0].f;
  if (std::isnan(x)) return Float(x);
  if (kind == 2) {
    volatile double t = std::atan(x);
    return Float((t / k.atan_1_0) * 45.0);
  }
  if (x < -1.0 || x > 1.0) InputOutOfRange();
  double r;
  if (kind == 0) {
    r = x >= 0.0 ? AsindQ1(x, k) : -AsindQ1(-x, k);
  } else {
    r = x >= 0.0 ? AcosdQ1(x, k) : 90.0 + AsindQ1(-x, k);
  }
  if (std::isinf(r)) Overflow();
  return Float(r);
}

Value FnAtan2d(const Args& a, const BoundExpr&, ExecState&) {
  if (std::isnan(a[0].f) || std::isnan(a[1].f)) return Float(std::nan(""));
  volatile double t = std::atan2(a[0].f, a[1].f);
  double r = (t / Degrees().atan_1_0) * 45.0;
  if (std::isinf(r)) Overflow();
  return Float(r);
}

Value FnDegrees(const Args& a, const BoundExpr&, ExecState&) {
  double x = a[0].f;
  return Float(CheckFloat8(x / kRadiansPerDegree, std::isinf(x), x == 0.0));
}

Value FnRadians(const Args& a, const BoundExpr&, ExecState&) {
  double x = a[0].f;
  return Float(CheckFloat8(x * kRadiansPerDegree, std::isinf(x), x == 0.0));
}

// dsinh (0), dcosh (1), dtanh (2), dasinh (3), dacosh (4), datanh (5).
template <int kind>
Value FnHyperbolic(const Args& a, const BoundExpr&, ExecState&) {
  const double x = a[0].f;
  errno = 0;
  switch (kind) {
    case 0: {
      double r = std::sinh(x);
      if (errno == ERANGE) r = x < 0 ? -HUGE_VAL : HUGE_VAL;
      return Float(r);
    }
    case 1: {
      double r = std::cosh(x);
      if (errno == ERANGE) r = HUGE_VAL;
      if (r == 0.0) Underflow();
      return Float(r);
    }
    case 2: {
      double r = std::tanh(x);
      if (std::isinf(r)) Overflow();
      return Float(r);
    }
    case 3:
      return Float(std::asinh(x));
    case 4:
      if (x < 1.0) InputOutOfRange();
      return Float(std::acosh(x));
    default:
      if (x < -1.0 || x > 1.0) InputOutOfRange();
      if (x == -1.0) return Float(-HUGE_VAL);
      if (x == 1.0) return Float(HUGE_VAL);
      return Float(std::atanh(x));
  }
}

Value FnCbrt(const Args& a, const BoundExpr&, ExecState&) {
  double x = a[0].f;
  return Float(CheckFloat8(std::cbrt(x), std::isinf(x), x == 0.0));
}

// float4send / float8send: the big-endian IEEE bytes.
Value FnFloatSend(const Args& a, const BoundExpr&, ExecState&) {
  std::string out;
  if (a[0].type.id == TypeId::kFloat32) {
    uint32_t bits = std::bit_cast<uint32_t>(static_cast<float>(a[0].f));
    for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  } else {
    uint64_t bits = std::bit_cast<uint64_t>(a[0].f);
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  }
  return Value::Text(std::move(out), TypeId::kBytea);
}

// scale (0), min_scale (1): NULL for NaN and the infinities.
template <int kind>
Value FnScale(const Args& a, const BoundExpr&, ExecState&) {
  const Numeric& x = a[0].num;
  if (x.IsSpecial()) return Value::Null(Type::Of(TypeId::kInt32));
  return Int32(kind == 0 ? x.display_scale() : x.MinScale());
}

Value FnNumericInc(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Num(a[0].num.Add(NumInt(1)));
}

Value FnTrimScale(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Num(a[0].num.TrimScale());
}

// numeric_fac.
Value FnFactorial(const Args& a, const BoundExpr&, ExecState&) {
  int64_t n = a[0].i;
  if (n < 0) {
    Throw(SqlState::kNumericValueOutOfRange, "factorial of a negative number is undefined");
  }
  if (n <= 1) return Value::Num(NumInt(1));
  if (n > 32177) Throw(SqlState::kNumericValueOutOfRange, "value overflows numeric format");
  Numeric r = NumInt(n);
  for (int64_t k = n - 1; k > 1; --k) r = r.Mul(NumInt(k));
  return Value::Num(r);
}

// numeric_div_trunc: the quotient truncated toward zero, scale 0.
Value FnDiv(const Args& a, const BoundExpr&, ExecState&) {
  const Numeric& x = a[0].num;
  const Numeric& y = a[1].num;
  if (x.IsSpecial() || y.IsSpecial()) return Value::Num(x.DivScale(y, 0));
  if (y.IsZero()) Throw(SqlState::kDivisionByZero, "division by zero");
  return Value::Num(x.Sub(x.Mod(y)).DivScale(y, 0));
}

// gcd / lcm of numerics (gcd_var): non-negative, scale the larger input scale; NaN if either is
// NaN or infinite.
Numeric NumericGcd(Numeric x, Numeric y) {
  x = x.Abs();
  y = y.Abs();
  while (!y.IsZero()) {
    Numeric r = x.Mod(y);
    x = y;
    y = r;
  }
  return x;
}

Value FnNumericGcdLcm(const Args& a, const BoundExpr& e, ExecState& st) {
  if (e.type.id != TypeId::kNumeric) {
    return e.op == "lcm" ? FnLcm(a, e, st) : FnGcd(a, e, st);
  }
  const Numeric& x = a[0].num;
  const Numeric& y = a[1].num;
  if (x.IsSpecial() || y.IsSpecial()) return Value::Num(Numeric::NaN());
  const int scale = std::max(x.display_scale(), y.display_scale());
  Numeric r;
  if (e.op == "gcd") {
    r = NumericGcd(x, y);
  } else if (!x.IsZero() && !y.IsZero()) {
    Numeric g = NumericGcd(x, y);
    Numeric q = x.DivScale(g, 0);  // exact
    r = y.Mul(q).Abs();
  }
  return Value::Num(r.Round(scale));
}

// width_bucket(numeric, numeric, numeric, int4) and (float8, float8, float8, int4).
// pg_lsn(numeric) (numeric_pg_lsn).
Value FnPgLsn(const Args& a, const BoundExpr&, ExecState&) { return NumericToPgLsn(a[0].num); }

// xid(xid8): the low 32 bits. xid_of_int4: the int4 side of `xid = int4` (xideqint4 takes the
// int4's 32 bits; bound by BindComparison only).
Value FnXid(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].type.id == kXid8Type) return XidValue(static_cast<uint32_t>(Xid8Of(a[0])));
  return XidValue(static_cast<uint32_t>(a[0].i));
}

Value FnWidthBucket(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].type.id == TypeId::kFloat64)
    return Int32(WidthBucketFloat8(a[0].f, a[1].f, a[2].f, a[3].i));
  const int64_t count = a[3].i;
  if (count <= 0) {
    Throw(SqlState::kInvalidArgumentForWidthBucket, "count must be greater than zero");
  }
  int64_t result = 0;
  const Numeric &op = a[0].num, &b1 = a[1].num, &b2 = a[2].num;
  if (op.IsNaN() || b1.IsNaN() || b2.IsNaN()) {
    Throw(SqlState::kInvalidArgumentForWidthBucket,
          "operand, lower bound, and upper bound cannot be NaN");
  }
  if (b1.IsInfinite() || b2.IsInfinite()) {
    Throw(SqlState::kInvalidArgumentForWidthBucket, "lower and upper bounds must be finite");
  }
  int c = b1.Compare(b2);
  if (c == 0) {
    Throw(SqlState::kInvalidArgumentForWidthBucket, "lower bound cannot equal upper bound");
  }
  const bool up = c < 0;
  if (up ? op.Compare(b1) < 0 : op.Compare(b1) > 0) {
    result = 0;
  } else if (up ? op.Compare(b2) >= 0 : op.Compare(b2) <= 0) {
    result = count + 1;
  } else {
    Numeric num = up ? op.Sub(b1) : b1.Sub(op);
    Numeric den = up ? b2.Sub(b1) : b1.Sub(b2);
    Numeric q = num.Mul(NumInt(count));
    q = q.Sub(q.Mod(den)).DivScale(den, 0);  // truncated quotient, exact
    result = q.ToInt64() + 1;
  }
  if (result > std::numeric_limits<int32_t>::max()) ThrowIntegerOutOfRange(TypeId::kInt32);
  return Int32(result);
}

Value FnPi(const Args&, const BoundExpr&, ExecState&) { return Float(M_PI); }

Value FnRandom(const Args&, const BoundExpr&, ExecState&) {
  return Float(static_cast<double>(ExecState::Rng()() >> 11) * (1.0 / 9007199254740992.0));
}

// ---- strings ----

// lower() / upper() of s into *out (ASCII letters only, as PostgreSQL in the C locale).
template <bool kUpper>
void CaseFold(std::string_view s, std::string* out) {
  out->assign(s);
  for (auto& c : *out) {
    if (kUpper ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z')) {
      c = static_cast<char>(kUpper ? c - 'a' + 'A' : c - 'A' + 'a');
    }
  }
}

Value FnLower(const Args& a, const BoundExpr&, ExecState&) {
  std::string s;
  CaseFold<false>(a[0].s, &s);
  return Text(std::move(s));
}

Value FnUpper(const Args& a, const BoundExpr&, ExecState&) {
  std::string s;
  CaseFold<true>(a[0].s, &s);
  return Text(std::move(s));
}

bool IsAlnumByte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

Value FnInitcap(const Args& a, const BoundExpr&, ExecState&) {
  std::string s = a[0].s;
  bool prev_alnum = false;
  for (auto& c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x80) {
      c = static_cast<char>(prev_alnum ? std::tolower(u) : std::toupper(u));
    }
    prev_alnum = IsAlnumByte(u);
  }
  return Text(std::move(s));
}

bool IsBytea(const Value& v) { return v.type.id == TypeId::kBytea; }
Value Bytes(std::string s) { return Value::Text(std::move(s), TypeId::kBytea); }

bool IsBits(const Value& v) { return v.type.id == TypeId::kBit || v.type.id == TypeId::kVarbit; }
Value Bits(std::string s) { return BitValue(std::move(s)); }

Value FnLength(const Args& a, const BoundExpr&, ExecState&) {
  if (IsBits(a[0])) return Int32(static_cast<int64_t>(a[0].s.size()));
  if (IsBytea(a[0])) return Int32(static_cast<int64_t>(a[0].s.size()));
  return Int32(CharCount(a[0].s));
}
Value FnOctetLength(const Args& a, const BoundExpr&, ExecState&) {
  if (IsBits(a[0])) return Int32((static_cast<int64_t>(a[0].s.size()) + 7) / 8);
  return Int32(static_cast<int64_t>(a[0].s.size()));
}

Value FnBitLength(const Args& a, const BoundExpr&, ExecState&) {
  if (IsBits(a[0])) return Int32(static_cast<int64_t>(a[0].s.size()));
  return Int32(static_cast<int64_t>(a[0].s.size()) * 8);
}

Value FnBitCount(const Args& a, const BoundExpr&, ExecState&) {
  if (IsBits(a[0])) return Value::Int64(BitCount(a[0].s));
  int64_t n = 0;
  for (unsigned char c : a[0].s) n += std::popcount(c);
  return Value::Int64(n);
}

Value FnSubstr(const Args& a, const BoundExpr&, ExecState&) {
  if (IsBits(a[0]))
    return Bits(BitSubstring(a[0].s, a[1].i, a.size() > 2 ? a[2].i : 0, a.size() > 2));
  if (IsBytea(a[0])) {
    return Bytes(ByteaSubstring(a[0].s, a[1].i,
                                a.size() > 2 ? std::optional<int64_t>(a[2].i) : std::nullopt));
  }
  int64_t start = a[1].i;
  if (a.size() < 3) return Text(CharSlice(a[0].s, std::max<int64_t>(start, 1) - 1, INT64_MAX / 2));
  int64_t len = a[2].i;
  if (len < 0) Throw(SqlState::kSubstringError, "negative substring length not allowed");
  int64_t end = start + len;  // exclusive, 1-based
  int64_t s1 = std::max<int64_t>(start, 1);
  if (end <= s1) return Text("");
  return Text(CharSlice(a[0].s, s1 - 1, end - 1));
}

Value Trim(const Args& a, bool left, bool right) {
  if (IsBytea(a[0])) return Bytes(ByteaTrim(a[0].s, a[1].s, left, right));
  std::string_view chars = a.size() > 1 ? std::string_view(a[1].s) : std::string_view(" ");
  std::vector<std::string_view> set = Chars(chars);
  std::vector<std::string_view> cs = Chars(a[0].s);
  auto in_set = [&](std::string_view c) {
    for (auto x : set) {
      if (x == c) return true;
    }
    return false;
  };
  size_t b = 0, e = cs.size();
  if (left) {
    while (b < e && in_set(cs[b])) ++b;
  }
  if (right) {
    while (e > b && in_set(cs[e - 1])) --e;
  }
  std::string out;
  for (size_t i = b; i < e; ++i) out.append(cs[i]);
  return Text(std::move(out));
}

Value FnBtrim(const Args& a, const BoundExpr&, ExecState&) { return Trim(a, true, true); }
Value FnLtrim(const Args& a, const BoundExpr&, ExecState&) { return Trim(a, true, false); }
Value FnRtrim(const Args& a, const BoundExpr&, ExecState&) { return Trim(a, false, true); }

Value FnReplace(const Args& a, const BoundExpr&, ExecState&) {
  const std::string& s = a[0].s;
  const std::string& from = a[1].s;
  if (from.empty()) return Text(s);
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t f = s.find(from, pos);
    if (f == std::string::npos) break;
    out.append(s, pos, f - pos);
    out.append(a[2].s);
    pos = f + from.size();
  }
  out.append(s, pos, std::string::npos);
  return Text(std::move(out));
}

Value FnStrpos(const Args& a, const BoundExpr&, ExecState&) {
  if (IsBits(a[0])) return Int32(BitPosition(a[0].s, a[1].s));
  if (IsBytea(a[0])) return Int32(ByteaPosition(a[0].s, a[1].s));
  size_t f = a[0].s.find(a[1].s);
  if (f == std::string::npos) return Int32(0);
  return Int32(CharCount(std::string_view(a[0].s).substr(0, f)) + 1);
}

Value FnLeft(const Args& a, const BoundExpr&, ExecState&) {
  int64_t n = a[1].i, len = CharCount(a[0].s);
  return Text(CharSlice(a[0].s, 0, n >= 0 ? n : len + n));
}

Value FnRight(const Args& a, const BoundExpr&, ExecState&) {
  int64_t n = a[1].i, len = CharCount(a[0].s);
  return Text(CharSlice(a[0].s, n >= 0 ? len - n : -n, len));
}

Value Pad(const Args& a, bool left) {
  int64_t len = a[1].i;
  std::string_view fill = a.size() > 2 ? std::string_view(a[2].s) : std::string_view(" ");
  if (len <= 0) return Text("");
  if (static_cast<uint64_t>(len) * 4 > kMaxStringBytes) {
    Throw(SqlState::kProgramLimitExceeded, "requested length too large");
  }
  int64_t n = CharCount(a[0].s);
  if (n >= len || fill.empty()) return Text(CharSlice(a[0].s, 0, len));
  std::vector<std::string_view> fc = Chars(fill);
  std::string pad;
  for (int64_t i = 0; i < len - n; ++i) pad.append(fc[i % fc.size()]);
  return Text(left ? pad + a[0].s : a[0].s + pad);
}

Value FnLpad(const Args& a, const BoundExpr&, ExecState&) { return Pad(a, true); }
Value FnRpad(const Args& a, const BoundExpr&, ExecState&) { return Pad(a, false); }

Value FnRepeat(const Args& a, const BoundExpr&, ExecState&) {
  int64_t n = a[1].i;
  if (n <= 0 || a[0].s.empty()) return Text("");
  if (static_cast<uint64_t>(n) * a[0].s.size() > kMaxStringBytes) {
    Throw(SqlState::kProgramLimitExceeded, "requested length too large");
  }
  std::string out;
  out.reserve(a[0].s.size() * n);
  for (int64_t i = 0; i < n; ++i) out += a[0].s;
  return Text(std::move(out));
}

Value FnReverse(const Args& a, const BoundExpr&, ExecState&) {
  std::vector<std::string_view> cs = Chars(a[0].s);
  std::string out;
  for (auto it = cs.rbegin(); it != cs.rend(); ++it) out.append(*it);
  return Text(std::move(out));
}

Value FnMd5(const Args& a, const BoundExpr&, ExecState&) { return Text(Md5Hex(a[0].s)); }

// ---- bytea and uuid: wrappers of common/bytea.h and common/uuid.h ----

Value FnByteaCat(const Args& a, const BoundExpr&, ExecState&) { return Bytes(a[0].s + a[1].s); }
Value FnOverlay(const Args& a, const BoundExpr&, ExecState&) {
  if (IsBits(a[0])) {
    return Bits(BitOverlay(a[0].s, a[1].s, a[2].i,
                           a.size() > 3 ? a[3].i : static_cast<int64_t>(a[1].s.size())));
  }
  return Bytes(ByteaOverlay(a[0].s, a[1].s, a[2].i,
                            a.size() > 3 ? std::optional<int64_t>(a[3].i) : std::nullopt));
}
// name[i] (raw_array_subscript_handler): a name is a fixed array of NAMEDATALEN (64) "char"s
// with lower bound 0; a position past the text is '\0', one outside 0..63 NULL, and more than
// one subscript NULL.
Value FnNameSubscript(const Args& a, const BoundExpr&, ExecState&) {
  constexpr int64_t kNameDataLen = 64;
  if (a.size() != 2 || a[1].i < 0 || a[1].i >= kNameDataLen) {
    return Value::Null(Type::Of(TypeId::kChar));
  }
  const int64_t i = a[1].i;
  const auto c = i < static_cast<int64_t>(a[0].s.size()) ? static_cast<uint8_t>(a[0].s[i]) : 0;
  return Value::Int(TypeId::kChar, c);
}
Value FnGetByte(const Args& a, const BoundExpr&, ExecState&) {
  return Int32(ByteaGetByte(a[0].s, a[1].i));
}
Value FnSetByte(const Args& a, const BoundExpr&, ExecState&) {
  return Bytes(ByteaSetByte(a[0].s, a[1].i, a[2].i));
}
Value FnGetBit(const Args& a, const BoundExpr&, ExecState&) {
  if (IsBits(a[0])) return Int32(BitGet(a[0].s, a[1].i));
  return Int32(ByteaGetBit(a[0].s, a[1].i));
}
Value FnSetBit(const Args& a, const BoundExpr&, ExecState&) {
  if (IsBits(a[0])) return Bits(BitSet(a[0].s, a[1].i, a[2].i));
  return Bytes(ByteaSetBit(a[0].s, a[1].i, a[2].i));
}
Value FnEncode(const Args& a, const BoundExpr&, ExecState&) {
  return Text(EncodeBytes(a[0].s, a[1].s));
}
Value FnDecode(const Args& a, const BoundExpr&, ExecState&) {
  return Bytes(DecodeBytes(a[0].s, a[1].s));
}
// ---- bit, varbit and money (common/bit_string.h, common/money.h) ----

Value FnBitAnd(const Args& a, const BoundExpr&, ExecState&) { return Bits(BitAnd(a[0].s, a[1].s)); }
Value FnBitOr(const Args& a, const BoundExpr&, ExecState&) { return Bits(BitOr(a[0].s, a[1].s)); }
Value FnBitXor(const Args& a, const BoundExpr&, ExecState&) { return Bits(BitXor(a[0].s, a[1].s)); }
Value FnBitNot(const Args& a, const BoundExpr&, ExecState&) { return Bits(BitNot(a[0].s)); }
Value FnBitShl(const Args& a, const BoundExpr&, ExecState&) {
  return Bits(BitShiftLeft(a[0].s, a[1].i));
}
Value FnBitShr(const Args& a, const BoundExpr&, ExecState&) {
  return Bits(BitShiftRight(a[0].s, a[1].i));
}
Value FnBitCat(const Args& a, const BoundExpr&, ExecState&) {
  return BitValue(a[0].s + a[1].s, TypeId::kVarbit);
}
Value FnCashLarger(const Args& a, const BoundExpr&, ExecState&) {
  return MoneyValue(std::max(a[0].i, a[1].i));
}
Value FnCashSmaller(const Args& a, const BoundExpr&, ExecState&) {
  return MoneyValue(std::min(a[0].i, a[1].i));
}
Value FnCashWords(const Args& a, const BoundExpr&, ExecState&) { return Text(CashWords(a[0].i)); }

// sha224 ... sha512: the digest named like the function.
Value FnSha(const Args& a, const BoundExpr& e, ExecState&) {
  return Bytes(ByteaDigest(a[0].s, e.op));
}
Value FnConvertTo(const Args& a, const BoundExpr&, ExecState&) {
  return Bytes(ConvertTo(a[0].s, a[1].s));
}
Value FnConvertFrom(const Args& a, const BoundExpr&, ExecState&) {
  return Text(ConvertFrom(a[0].s, a[1].s));
}
Value FnGenRandomUuid(const Args&, const BoundExpr&, ExecState&) { return UuidValue(RandomUuid()); }

std::string ArgText(const Value& v, ExecState& st) {
  if (IsStringType(v.type.id)) return v.s;
  return FormatValue(v, st.ctx.format);
}

Value FnConcat(const Args& a, const BoundExpr&, ExecState& st) {
  std::string out;
  for (const auto& v : a) {
    if (!v.is_null) out += ArgText(v, st);
  }
  return Text(std::move(out));
}

Value FnConcatWs(const Args& a, const BoundExpr&, ExecState& st) {
  if (a.empty() || a[0].is_null) return Value::Null(Type::Of(TypeId::kText));
  std::string out;
  bool first = true;
  for (size_t i = 1; i < a.size(); ++i) {
    if (a[i].is_null) continue;
    if (!first) out += a[0].s;
    out += ArgText(a[i], st);
    first = false;
  }
  return Text(std::move(out));
}

// ---- date/time ----

Value FnNow(const Args&, const BoundExpr&, ExecState& st) {
  return Value::Int(TypeId::kTimestampTz, st.ctx.statement_timestamp_us);
}

Value FnClockTimestamp(const Args&, const BoundExpr&, ExecState&) {
  int64_t unix_us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  return Value::Int(TypeId::kTimestampTz, unix_us - kUnixEpochOffsetDays * kUsPerDay);
}

// The session zone's local time of a UTC instant.
int64_t LocalUs(int64_t utc_us, const ExecState& st) {
  return st.ctx.format.tz().UtcToLocal(utc_us);
}

// A zone as timezone(zone, ts) / AT TIME ZONE reads it (PostgreSQL's timestamptz_zone): an
// abbreviation of the Default set first, then a zone name or POSIX spec (POSIX sign: '-8' is
// 8 hours east). 22023 `time zone "x" not recognized`.
std::shared_ptr<const TimeZone> ZoneArg(const std::string& name) {
  ZoneAbbrev abbrev;
  if (FindZoneAbbreviation(name, &abbrev)) {
    return abbrev.dynamic ? abbrev.zone : TimeZone::FixedOffset(abbrev.east);
  }
  std::shared_ptr<const TimeZone> tz = TimeZone::Find(name);
  if (!tz) Throw(SqlState::kInvalidParameterValue, "time zone \"{}\" not recognized", name);
  return tz;
}

// timezone(zone, timestamptz) -> timestamp: the wall-clock time in that zone;
// timezone(zone, timestamp) -> timestamptz: the instant of that wall-clock time in the zone.
Value FnTimezone(const Args& a, const BoundExpr&, ExecState& st) {
  if (a[1].type.id == TypeId::kTimeTz) {
    // timetz_izone / timetz_zone: an interval is a fixed offset east (without months or
    // days); a zone name's offset is the one in effect now.
    int64_t east;
    if (a[0].type.id == TypeId::kInterval) {
      Interval iv = IntervalOf(a[0]);
      if (iv.months != 0 || iv.days != 0) {
        Throw(SqlState::kInvalidParameterValue,
              "interval time zone \"{}\" must not include months or days",
              FormatValue(a[0], st.ctx.format));
      }
      east = iv.usec / kUsPerSecond;
    } else {
      // An abbreviation (a dynamic one with its meaning now), else the zone's offset now.
      ZoneAbbrev abbrev;
      if (FindZoneAbbreviation(a[0].s, &abbrev) && !abbrev.dynamic) {
        east = abbrev.east;
      } else {
        std::string upper;
        for (char c : a[0].s)
          upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        bool is_dst;
        std::shared_ptr<const TimeZone> zone = ZoneArg(a[0].s);
        if (!abbrev.dynamic ||
            !zone->AbbrevOffset(upper, st.ctx.statement_timestamp_us, &east, &is_dst)) {
          east = zone->UtcOffset(st.ctx.statement_timestamp_us);
        }
      }
    }
    return TimeTzValue(TimeTzAtZone(TimeTzOf(a[1]), east));
  }
  ZoneAbbrev abbrev;
  if (FindZoneAbbreviation(a[0].s, &abbrev) && abbrev.dynamic && TimestampIsFinite(a[1].i)) {
    // A dynamic abbreviation means what it meant at that time in its zone (PostgreSQL's
    // DetermineTimeZoneAbbrevOffset[TS]); the zone's own offset if it never used it.
    std::string upper;
    for (char c : a[0].s) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const TimeZone& zone = *abbrev.zone;
    bool is_dst;
    int64_t east;
    if (a[1].type.id == TypeId::kTimestampTz) {
      if (!zone.AbbrevOffset(upper, a[1].i, &east, &is_dst)) east = zone.UtcOffset(a[1].i);
      int64_t r = a[1].i + east * kUsPerSecond;
      if (!IsValidTimestamp(r)) Throw(SqlState::kDatetimeFieldOverflow, "timestamp out of range");
      return Value::Int(TypeId::kTimestamp, r);
    }
    int64_t utc = zone.LocalToUtc(a[1].i);
    if (!zone.AbbrevOffset(upper, utc, &east, &is_dst)) east = zone.LocalOffset(a[1].i);
    int64_t r = a[1].i - east * kUsPerSecond;
    if (!IsValidTimestamp(r)) Throw(SqlState::kDatetimeFieldOverflow, "timestamp out of range");
    return Value::Int(TypeId::kTimestampTz, r);
  }
  std::shared_ptr<const TimeZone> tz = ZoneArg(a[0].s);
  if (a[1].type.id == TypeId::kTimestampTz) {
    return Value::Int(TypeId::kTimestamp, TimestampTzToTimestamp(a[1].i, *tz));
  }
  return Value::Int(TypeId::kTimestampTz, TimestampToTimestampTz(a[1].i, *tz));
}

// ---- data type formatting (common/formatting.h) ----

Value OptionalText(const std::optional<std::string>& s) {
  return s ? Text(*s) : Value::Null(Type::Of(TypeId::kText));
}

Value FnToChar(const Args& a, const BoundExpr&, ExecState& st) {
  const std::string& fmt = a[1].s;
  switch (a[0].type.id) {
    case TypeId::kTimestamp:
      return OptionalText(TimestampToChar(a[0].i, fmt, nullptr));
    case TypeId::kTimestampTz:
      return OptionalText(TimestampToChar(a[0].i, fmt, &st.ctx.format.tz()));
    case TypeId::kInterval:
      return OptionalText(IntervalToChar(IntervalOf(a[0]), fmt));
    case TypeId::kInt32:
      return Text(Int32ToChar(static_cast<int32_t>(a[0].i), fmt));
    case TypeId::kInt64:
      return Text(Int64ToChar(a[0].i, fmt));
    case TypeId::kFloat64:
      return Text(Float64ToChar(a[0].f, fmt));
    case TypeId::kFloat32:
      return Text(Float32ToChar(static_cast<float>(a[0].f), fmt));
    case TypeId::kNumeric:
      return Text(NumericToChar(a[0].num, fmt));
    default:
      Throw(SqlState::kFeatureNotSupported, "to_char of type {} is not supported",
            TypeName(a[0].type));
  }
}

Value FnToNumber(const Args& a, const BoundExpr&, ExecState&) {
  std::optional<Numeric> n = ToNumber(a[0].s, a[1].s);
  return n ? Value::Num(*n) : Value::Null(Type::Of(TypeId::kNumeric));
}

Value FnToDate(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Int(TypeId::kDate, ToDate(a[0].s, a[1].s));
}

Value FnToTimestamp(const Args& a, const BoundExpr&, ExecState& st) {
  if (a.size() == 1) return Value::Int(TypeId::kTimestampTz, UnixEpochToTimestamp(a[0].f));
  return Value::Int(TypeId::kTimestampTz, ToTimestamp(a[0].s, a[1].s, st.ctx.format.tz()));
}

// The p of current_timestamp(p) / localtimestamp(p): PostgreSQL's anytimestamp_typmod_check
// (above 6 is reduced to 6).
int32_t TimestampPrecisionArg(const Args& a, std::string_view with_tz) {
  if (a[0].i < 0) {
    Throw(SqlState::kInvalidParameterValue, "TIMESTAMP({}){} precision must not be negative",
          a[0].i, with_tz);
  }
  return static_cast<int32_t>(std::min<int64_t>(a[0].i, kMaxTimePrecision));
}

Value FnCurrentDate(const Args&, const BoundExpr&, ExecState& st) {
  return Value::Int(TypeId::kDate, FloorDiv(LocalUs(st.ctx.statement_timestamp_us, st), kUsPerDay));
}

Value FnLocalTimestamp(const Args& a, const BoundExpr&, ExecState& st) {
  Value now = Value::Int(TypeId::kTimestamp, LocalUs(st.ctx.statement_timestamp_us, st));
  if (a.empty()) return now;
  return CastValue(now, Type{TypeId::kTimestamp, TimestampPrecisionArg(a, "")}, st.ctx.format);
}

// current_timestamp(p): the statement's start rounded to p digits.
Value FnCurrentTimestamp(const Args& a, const BoundExpr&, ExecState& st) {
  Value now = Value::Int(TypeId::kTimestampTz, st.ctx.statement_timestamp_us);
  if (a.empty()) return now;
  return CastValue(now, Type{TypeId::kTimestampTz, TimestampPrecisionArg(a, " WITH TIME ZONE")},
                   st.ctx.format);
}

// current_time [(p)] (timetz) and localtime [(p)] (time): the statement's start in the session
// zone, rounded to p digits. PostgreSQL's p above 6 is reduced to 6 (with a warning).
int32_t TimePrecisionArg(const Args& a) {
  if (a.empty()) return -1;
  if (a[0].i < 0) {
    Throw(SqlState::kInvalidParameterValue, "TIME({}) precision must not be negative", a[0].i);
  }
  return static_cast<int32_t>(std::min<int64_t>(a[0].i, kMaxTimePrecision));
}

Value FnCurrentTime(const Args& a, const BoundExpr&, ExecState& st) {
  Value now = Value::Int(TypeId::kTimestampTz, st.ctx.statement_timestamp_us);
  return CastValue(now, Type{TypeId::kTimeTz, TimePrecisionArg(a)}, st.ctx.format);
}

Value FnLocalTime(const Args& a, const BoundExpr&, ExecState& st) {
  Value now = Value::Int(TypeId::kTimestampTz, st.ctx.statement_timestamp_us);
  return CastValue(now, Type{TypeId::kTime, TimePrecisionArg(a)}, st.ctx.format);
}

Value FnMakeTime(const Args& a, const BoundExpr&, ExecState&) {
  return TimeValue(MakeTime(a[0].i, a[1].i, a[2].f));
}

// ---- date/time constructors and functions (PostgreSQL's date.c / timestamp.c) ----

// make_date(year, month, day): a negative year is BC.
Value FnMakeDate(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Int(TypeId::kDate, MakeDate(a[0].i, a[1].i, a[2].i));
}

// make_timestamp(year, month, mday, hour, min, sec).
Value FnMakeTimestamp(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Int(TypeId::kTimestamp,
                    MakeTimestamp(a[0].i, a[1].i, a[2].i, a[3].i, a[4].i, a[5].f));
}

// make_timestamptz(year, month, mday, hour, min, sec [, zone]).
Value FnMakeTimestampTz(const Args& a, const BoundExpr&, ExecState& st) {
  int64_t local = MakeTimestamp(a[0].i, a[1].i, a[2].i, a[3].i, a[4].i, a[5].f);
  if (a.size() < 7) {
    return Value::Int(TypeId::kTimestampTz, TimestampToTimestampTz(local, st.ctx.format.tz()));
  }
  return Value::Int(TypeId::kTimestampTz, LocalToUtcInZoneArg(local, a[6].s));
}

Value FnIsFinite(const Args& a, const BoundExpr&, ExecState&) {
  switch (a[0].type.id) {
    case TypeId::kDate:
      return Value::Bool(DateIsFinite(static_cast<int32_t>(a[0].i)));
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return Value::Bool(TimestampIsFinite(a[0].i));
    default:
      return Value::Bool(true);  // interval (PostgreSQL 15 has no infinite intervals)
  }
}

// date_bin(stride, source, origin).
// timestamp(date, time), timestamptz(date, time[tz]): date + time, as the call's type.
Value FnDateTimeTimestamp(const Args& a, const BoundExpr& call, ExecState& st) {
  Value sum = TimeArithmetic("+", a[0], a[1], st.ctx.format);
  return sum.type.id == call.type.id ? sum : CastValue(sum, call.type, st.ctx.format);
}

// The lower-ranked operand of a date/timestamp/timestamptz comparison as the other's type
// (PostgreSQL's date2timestamp_opt_overflow / timestamp2timestamptz_opt_overflow): a value past
// the range becomes one step inside +/-infinity, beyond every finite value.
Value FnDateTimeCmpPromote(const Args& a, const BoundExpr& call, ExecState& st) {
  try {
    return CastValue(a[0], call.type, st.ctx.format);
  } catch (const Error& e) {
    if (e.state() != SqlState::kDatetimeFieldOverflow) throw;
    const bool high = a[0].i > 0;
    return Value::Int(call.type.id, high ? std::numeric_limits<int64_t>::max() - 1
                                         : std::numeric_limits<int64_t>::min() + 1);
  }
}

Value FnDateBin(const Args& a, const BoundExpr&, ExecState&) {
  Interval stride = IntervalOf(a[0]);
  return Value::Int(a[1].type.id, DateBin(stride.usec, stride.days, stride.months, a[1].i, a[2].i));
}

// ---- TimescaleDB's time_bucket (common/time_bucket.h) ----

// The range of an int2, int4 or int8 type's values, from its width.
void IntegerRange(TypeId t, int64_t* min, int64_t* max) {
  const int bits = t == TypeId::kInt16 ? 16 : t == TypeId::kInt32 ? 32 : 64;
  *min = bits == 64 ? std::numeric_limits<int64_t>::min() : -(int64_t{1} << (bits - 1));
  *max = -(*min + 1);
}

// time_bucket(width, ts [, origin | offset]) for int2/int4/int8 (with an offset of the same
// type), date, timestamp and timestamptz (origin of ts's type, or an interval offset). With an
// offset, as TimescaleDB's definition: time_bucket(width, ts - offset) + offset, the
// arithmetic of ts's type (timestamptz in the session's zone; a date becomes a timestamp and
// the result a date).
Value FnTimeBucket(const Args& a, const BoundExpr&, ExecState& st) {
  const TypeId t = a[1].type.id;
  if (IsIntegerType(t)) {
    int64_t min, max;
    IntegerRange(t, &min, &max);
    return Value::Int(t, TimeBucketInteger(a[0].i, a[1].i, a.size() > 2 ? a[2].i : 0, min, max));
  }
  const Interval width = IntervalOf(a[0]);
  const bool offset = a.size() > 2 && a[2].type.id == TypeId::kInterval;
  if (offset) {
    const Interval off = IntervalOf(a[2]);
    const TimeZone* tz = t == TypeId::kTimestampTz ? &st.ctx.format.tz() : nullptr;
    int64_t ts = t == TypeId::kDate ? DateToTimestamp(static_cast<int32_t>(a[1].i)) : a[1].i;
    ts = TimestampPlusInterval(ts, IntervalNegate(off), tz);
    ts = TimestampPlusInterval(TimeBucketTimestamp(width, ts, std::nullopt), off, tz);
    if (t == TypeId::kDate) return Value::Int(TypeId::kDate, TimestampToDate(ts));
    return Value::Int(t, ts);
  }
  if (t == TypeId::kDate) {
    std::optional<int32_t> origin;
    if (a.size() > 2) origin = static_cast<int32_t>(a[2].i);
    return Value::Int(TypeId::kDate, TimeBucketDate(width, static_cast<int32_t>(a[1].i), origin));
  }
  std::optional<int64_t> origin;
  if (a.size() > 2) origin = a[2].i;
  return Value::Int(t, TimeBucketTimestamp(width, a[1].i, origin));
}

// time_bucket(width, ts timestamptz, timezone [, origin] [, offset]): the arguments after the
// zone may be NULL (left out); NULL width, ts or zone give NULL.
Value FnTimeBucketTz(const Args& a, const BoundExpr& call, ExecState&) {
  if (a[0].is_null || a[1].is_null || a[2].is_null) return Value::Null(call.type);
  std::optional<int64_t> origin;
  if (a.size() > 3 && !a[3].is_null) origin = a[3].i;
  Interval offset;
  const bool has_offset = a.size() > 4 && !a[4].is_null;
  if (has_offset) offset = IntervalOf(a[4]);
  return Value::Int(TypeId::kTimestampTz,
                    TimeBucketInZone(IntervalOf(a[0]), a[1].i, *ZoneArg(a[2].s), origin,
                                     has_offset ? &offset : nullptr));
}

// time_bucket_gapfill(width, ts, start, finish) and (width, ts, timezone, start, finish): the
// bucket of ts as time_bucket's (start and finish matter only to the gap filling of a grouped
// query, planner/bind_timeseries.cpp); NULL width or ts give NULL.
Value FnTimeBucketGapfill(const Args& a, const BoundExpr& call, ExecState& st) {
  if (a[0].is_null || a[1].is_null) return Value::Null(call.type);
  if (a.size() == 5) return FnTimeBucketTz({a[0], a[1], a[2]}, call, st);
  return FnTimeBucket({a[0], a[1]}, call, st);
}

// locf(value, ...) and interpolate(value, ...) outside gap filling: the value.
Value FnGapfillMarker(const Args& a, const BoundExpr&, ExecState&) { return a[0]; }

// overlaps(s1, e1, s2, e2): PostgreSQL's overlaps_timestamp (and its time, timetz and
// timestamptz twins) with its NULL rules; an interval end is first added to its start, as
// PostgreSQL's SQL-language overlaps(timestamp, interval, ...) does.
Value FnOverlaps(const Args& a, const BoundExpr&, ExecState& st) {
  auto end_of = [&](const Value& start, const Value& end) {
    if (end.type.id != TypeId::kInterval) return end;
    if (start.is_null || end.is_null) return Value::Null(start.type);
    return Arithmetic("+", start, end, st.ctx.format);
  };
  Value s1 = a[0], e1 = end_of(a[0], a[1]), s2 = a[2], e2 = end_of(a[2], a[3]);
  // Each period: the non-null endpoint as its start when one is NULL, else the earlier one.
  auto order = [](Value* s, Value* e) {
    if (s->is_null) {
      if (e->is_null) return false;
      std::swap(*s, *e);
    } else if (!e->is_null && CompareValues(*s, *e) > 0) {
      std::swap(*s, *e);
    }
    return true;
  };
  if (!order(&s1, &e1) || !order(&s2, &e2)) return Value::Null(Type::Of(TypeId::kBool));
  const Value unknown = Value::Null(Type::Of(TypeId::kBool));
  int c = CompareValues(s1, s2);
  if (c > 0) {  // s1 < e2 OR e1 < e2
    if (e2.is_null) return unknown;
    if (CompareValues(s1, e2) < 0) return Value::Bool(true);
    return e1.is_null ? unknown : Value::Bool(false);
  }
  if (c < 0) {  // s2 < e1 OR e2 < e1
    if (e1.is_null) return unknown;
    if (CompareValues(s2, e1) < 0) return Value::Bool(true);
    return e2.is_null ? unknown : Value::Bool(false);
  }
  // s1 = s2: true when both ends are known.
  return e1.is_null || e2.is_null ? unknown : Value::Bool(true);
}

// interval_hash: PostgreSQL's hashint8 (Jenkins' lookup3 final mix of the folded 64 bits) of
// the low 64 bits of the interval's comparison span, so equal intervals hash alike and the
// value is PostgreSQL's.
Value FnIntervalHash(const Args& a, const BoundExpr&, ExecState&) {
  const int64_t v = static_cast<int64_t>(IntervalKey(IntervalOf(a[0])));
  uint32_t lo = static_cast<uint32_t>(v);
  const uint32_t hi = static_cast<uint32_t>(static_cast<uint64_t>(v) >> 32);
  lo ^= v >= 0 ? hi : ~hi;
  auto rot = [](uint32_t x, int k) { return (x << k) | (x >> (32 - k)); };
  uint32_t x = 0x9e3779b9u + 4u + 3923095u;
  uint32_t y = x, z = x;
  x += lo;
  z ^= y;
  z -= rot(y, 14);
  x ^= z;
  x -= rot(z, 11);
  y ^= x;
  y -= rot(x, 25);
  z ^= y;
  z -= rot(y, 16);
  x ^= z;
  x -= rot(z, 4);
  y ^= x;
  y -= rot(x, 14);
  z ^= y;
  z -= rot(y, 24);
  return Value::Int(TypeId::kInt32, static_cast<int32_t>(z));
}

// pg_sleep(seconds): waits, giving up at a cancel request or the statement timeout.
Value FnPgSleep(const Args& a, const BoundExpr&, ExecState& st) {
  double secs = a[0].f;
  auto end =
      std::chrono::steady_clock::now() +
      std::chrono::microseconds(static_cast<int64_t>(std::max(0.0, std::min(secs, 1e9)) * 1e6));
  for (;;) {
    st.CheckCancel();
    auto now = std::chrono::steady_clock::now();
    if (now >= end) break;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(end - now, std::chrono::milliseconds(10)));
  }
  Value done = Value::Null(Type::Of(TypeId::kVoid));  // a void value, not NULL, as PostgreSQL's
  done.is_null = false;
  return done;
}

using Unit = DateUnit;

// PostgreSQL's DecodeUnits, then DecodeSpecial: the unit words (first 10 characters), then
// epoch, dow, doy, isodow, isoyear, julian.
Unit ParseUnit(std::string_view text) {
  std::string s;
  for (char c : text) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Unit u = LookupDateUnit(s, true);
  return u == Unit::kAgo || u == Unit::kIgnore ? Unit::kUnknown : u;
}

struct Fields {
  int64_t days = 0;     // since 2000-01-01
  int64_t time_us = 0;  // within the day
  int64_t year = 0;
  int month = 0, day = 0;
  int64_t hour = 0, minute = 0, usec = 0;  // usec: microseconds within the minute
};

Fields SplitTimestamp(int64_t us) {
  Fields f;
  f.days = FloorDiv(us, kUsPerDay);
  f.time_us = us - f.days * kUsPerDay;
  CivilFromDays(f.days, &f.year, &f.month, &f.day);
  f.hour = f.time_us / (3600 * kUsPerSecond);
  f.minute = (f.time_us / (60 * kUsPerSecond)) % 60;
  f.usec = f.time_us % (60 * kUsPerSecond);
  return f;
}

int64_t Dow(int64_t days) { return ((days + 6) % 7 + 7) % 7; }  // 0 = Sunday

// ISO 8601 week-numbering year and week.
void IsoWeek(int64_t days, int64_t* iso_year, int64_t* week) {
  int64_t isodow = Dow(days) == 0 ? 7 : Dow(days);
  int64_t thursday = days - (isodow - 1) + 3;
  int64_t y;
  int m, d;
  CivilFromDays(thursday, &y, &m, &d);
  *iso_year = y;
  *week = (thursday - DaysFromCivil(y, 1, 1)) / 7 + 1;
}

std::string TypeLabel(TypeId t) {
  switch (t) {
    case TypeId::kDate:
      return "date";
    case TypeId::kTimestampTz:
      return "timestamp with time zone";
    default:
      return "timestamp without time zone";
  }
}

[[noreturn]] void UnitNotRecognized(std::string_view unit, TypeId t) {
  std::string u;
  for (char c : unit) u += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Throw(SqlState::kInvalidParameterValue, "unit \"{}\" not recognized for type {}", u,
        TypeLabel(t));
}

[[noreturn]] void UnitNotSupported(std::string_view unit, TypeId t) {
  std::string u;
  for (char c : unit) u += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Throw(SqlState::kFeatureNotSupported, "unit \"{}\" not supported for type {}", u, TypeLabel(t));
}

int64_t DecadeOf(int64_t y) { return y >= 0 ? y / 10 : -((8 - (y - 1)) / 10); }
int64_t CenturyOf(int64_t y) { return y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100); }
int64_t MillenniumOf(int64_t y) { return y > 0 ? (y + 999) / 1000 : -((999 - (y - 1)) / 1000); }

// The integer-valued fields of a local time f (microseconds within the minute, minute, hour,
// day, month, quarter, year, decade, century, millennium, dow, isodow, doy, week, isoyear): true
// and *v; false for the other units.
bool IntegerField(Unit unit, const Fields& f, int64_t* v) {
  switch (unit) {
    case Unit::kMicroseconds:
      *v = f.usec;
      return true;
    case Unit::kMinute:
      *v = f.minute;
      return true;
    case Unit::kHour:
      *v = f.hour;
      return true;
    case Unit::kDay:
      *v = f.day;
      return true;
    case Unit::kMonth:
      *v = f.month;
      return true;
    case Unit::kQuarter:
      *v = (f.month - 1) / 3 + 1;
      return true;
    case Unit::kYear:
      *v = f.year > 0 ? f.year : f.year - 1;
      return true;
    case Unit::kDecade:
      *v = DecadeOf(f.year);
      return true;
    case Unit::kCentury:
      *v = CenturyOf(f.year);
      return true;
    case Unit::kMillennium:
      *v = MillenniumOf(f.year);
      return true;
    case Unit::kDow:
      *v = Dow(f.days);
      return true;
    case Unit::kIsoDow:
      *v = Dow(f.days) == 0 ? 7 : Dow(f.days);
      return true;
    case Unit::kDoy:
      *v = f.days - DaysFromCivil(f.year, 1, 1) + 1;
      return true;
    case Unit::kWeek:
    case Unit::kIsoYear: {
      int64_t iy, wk;
      IsoWeek(f.days, &iy, &wk);
      // BC ISO years count without a year zero.
      if (unit == Unit::kIsoYear && iy <= 0) iy -= 1;
      *v = unit == Unit::kWeek ? wk : iy;
      return true;
    }
    default:
      return false;
  }
}

// A date/time field of a date, timestamp or timestamptz: NULL, +-infinity or a number.
struct FieldValue {
  bool is_null = false;
  int infinite = 0;  // +1 / -1
  Numeric value;
};

// PostgreSQL's extract_date / timestamp_part_common / timestamptz_part_common. `arg` is date,
// timestamp or timestamptz.
FieldValue ExtractField(std::string_view unit_text, const Value& arg, ExecState& st) {
  Unit unit = ParseUnit(unit_text);
  TypeId t = arg.type.id;
  if (unit == Unit::kUnknown) UnitNotRecognized(unit_text, t);
  const bool finite =
      t == TypeId::kDate ? DateIsFinite(static_cast<int32_t>(arg.i)) : TimestampIsFinite(arg.i);
  const bool negative = t == TypeId::kDate ? arg.i == kDateNoBegin : arg.i == kTimestampNoBegin;
  FieldValue r;
  if (!finite) {
    // NonFiniteTimestampTzPart: oscillating units are NULL, growing ones +-infinity.
    switch (unit) {
      case Unit::kMicroseconds:
      case Unit::kMilliseconds:
      case Unit::kSecond:
      case Unit::kMinute:
      case Unit::kHour:
      case Unit::kTimezone:
      case Unit::kTimezoneHour:
      case Unit::kTimezoneMinute:
        if (t == TypeId::kDate) UnitNotSupported(unit_text, t);
        [[fallthrough]];
      case Unit::kDay:
      case Unit::kMonth:
      case Unit::kQuarter:
      case Unit::kWeek:
      case Unit::kDow:
      case Unit::kIsoDow:
      case Unit::kDoy:
        r.is_null = true;
        return r;
      case Unit::kYear:
      case Unit::kDecade:
      case Unit::kCentury:
      case Unit::kMillennium:
      case Unit::kJulian:
      case Unit::kIsoYear:
      case Unit::kEpoch:
        r.infinite = negative ? -1 : 1;
        return r;
      default:
        UnitNotSupported(unit_text, t);
    }
  }
  int64_t us;
  if (t == TypeId::kDate) {
    switch (unit) {
      case Unit::kMicroseconds:
      case Unit::kMilliseconds:
      case Unit::kSecond:
      case Unit::kMinute:
      case Unit::kHour:
      case Unit::kTimezone:
      case Unit::kTimezoneHour:
      case Unit::kTimezoneMinute:
        UnitNotSupported(unit_text, t);
      default:
        break;
    }
    us = arg.i * kUsPerDay;
  } else {
    us = t == TypeId::kTimestampTz ? LocalUs(arg.i, st) : arg.i;
  }
  if (t != TypeId::kTimestampTz &&
      (unit == Unit::kTimezone || unit == Unit::kTimezoneHour || unit == Unit::kTimezoneMinute)) {
    UnitNotSupported(unit_text, t);
  }
  Fields f = SplitTimestamp(us);
  int64_t iv;
  if (IntegerField(unit, f, &iv)) {
    r.value = NumInt(iv);
    return r;
  }
  switch (unit) {
    case Unit::kMilliseconds:
      r.value = NumInt(f.usec).DivScale(NumInt(1000), 3);
      break;
    case Unit::kSecond:
      r.value = NumInt(f.usec).DivScale(NumInt(kUsPerSecond), 6);
      break;
    case Unit::kEpoch:
      if (t == TypeId::kDate) {
        r.value = NumInt((arg.i + kUnixEpochOffsetDays) * 86400);
      } else {
        // (ts - epoch) / 1e6 without overflowing near the end of the range.
        r.value = NumInt(arg.i)
                      .Add(NumInt(kUnixEpochOffsetDays * kUsPerDay))
                      .DivScale(NumInt(kUsPerSecond), 6);
      }
      break;
    case Unit::kJulian: {
      Numeric jd = NumInt(f.days + 2451545);
      r.value = t == TypeId::kDate ? jd : jd.Add(NumInt(f.time_us).Div(NumInt(kUsPerDay)));
      break;
    }
    case Unit::kTimezone:
      r.value = NumInt(st.ctx.format.tz().UtcOffset(arg.i));
      break;
    case Unit::kTimezoneHour:
      r.value = NumInt(st.ctx.format.tz().UtcOffset(arg.i) / 3600);
      break;
    case Unit::kTimezoneMinute:
      r.value = NumInt((st.ctx.format.tz().UtcOffset(arg.i) / 60) % 60);
      break;
    default:
      UnitNotRecognized(unit_text, t);
  }
  return r;
}

Value FnExtract(const Args& a, const BoundExpr&, ExecState& st) {
  if (a[1].type.id == TypeId::kTime || a[1].type.id == TypeId::kTimeTz) {
    return Value::Num(ExtractTime(a[0].s, a[1]));
  }
  if (a[1].type.id == TypeId::kInterval)
    return Value::Num(ExtractInterval(a[0].s, IntervalOf(a[1])));
  FieldValue r = ExtractField(a[0].s, a[1], st);
  if (r.is_null) return Value::Null(Type::Of(TypeId::kNumeric));
  if (r.infinite != 0) {
    // The monotonic fields of an infinite date/timestamp are numeric +/-Infinity.
    return Value::Num(r.infinite < 0 ? Numeric::Infinity().Neg() : Numeric::Infinity());
  }
  return Value::Num(r.value);
}

// ---- interval functions ----

Value FnJustifyHours(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Interval(JustifyHours(IntervalOf(a[0])));
}
Value FnJustifyDays(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Interval(JustifyDays(IntervalOf(a[0])));
}
Value FnJustifyInterval(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Interval(JustifyInterval(IntervalOf(a[0])));
}

// age(ts, ts) / age(ts): the symbolic difference; with one argument from midnight today
// (PostgreSQL's current_date cast to the argument's type).
Value FnAge(const Args& a, const BoundExpr&, ExecState& st) {
  const bool tz = a[0].type.id == TypeId::kTimestampTz;
  const TimeZone* zone = tz ? &st.ctx.format.tz() : nullptr;
  if (a.size() == 2) return Value::Interval(TimestampAge(a[0].i, a[1].i, zone));
  Value today =
      Value::Int(TypeId::kDate, FloorDiv(LocalUs(st.ctx.statement_timestamp_us, st), kUsPerDay));
  Value start = CastValue(today, a[0].type, st.ctx.format);
  return Value::Interval(TimestampAge(start.i, a[0].i, zone));
}

Value FnMakeInterval(const Args& a, const BoundExpr&, ExecState&) {
  int64_t f[6] = {0, 0, 0, 0, 0, 0};
  double secs = 0;
  for (size_t i = 0; i < a.size() && i < 6; ++i) f[i] = a[i].i;
  if (a.size() == 7) secs = a[6].f;
  return Value::Interval(MakeInterval(f[0], f[1], f[2], f[3], f[4], f[5], secs));
}

Value FnDatePart(const Args& a, const BoundExpr&, ExecState& st) {
  if (a[1].type.id == TypeId::kTime || a[1].type.id == TypeId::kTimeTz) {
    return Float(DatePartTime(a[0].s, a[1]));
  }
  if (a[1].type.id == TypeId::kInterval) return Float(DatePartInterval(a[0].s, IntervalOf(a[1])));
  Value arg = a[1];
  if (arg.type.id == TypeId::kDate) {
    // date_part(text, date) is date_part(text, date::timestamp).
    arg = Value::Int(TypeId::kTimestamp, DateToTimestamp(static_cast<int32_t>(arg.i)));
  }
  FieldValue r = ExtractField(a[0].s, arg, st);
  if (r.is_null) return Value::Null(Type::Of(TypeId::kFloat64));
  if (r.infinite != 0) return Float(r.infinite * std::numeric_limits<double>::infinity());
  if (ParseUnit(a[0].s) == Unit::kEpoch) {
    // float8 arithmetic, as timestamp_part's epoch
    const int64_t shift = kUnixEpochOffsetDays * kUsPerDay;
    if (arg.i < std::numeric_limits<int64_t>::max() - shift) {
      return Float(static_cast<double>(arg.i + shift) / 1000000.0);
    }
    return Float((static_cast<double>(arg.i) + shift) / 1000000.0);
  }
  return Float(r.value.ToDouble());
}

int64_t TruncTimestamp(Unit unit, std::string_view unit_text, TypeId t, const TimeZone& tz,
                       int64_t v);

Value FnDateTrunc(const Args& a, const BoundExpr&, ExecState& st) {
  if (a[1].type.id == TypeId::kInterval)
    return Value::Interval(TruncInterval(a[0].s, IntervalOf(a[1])));
  Value arg = a[1];
  TypeId t = arg.type.id;
  if (t == TypeId::kDate) {
    t = TypeId::kTimestampTz;
    arg = CastValue(arg, Type::Of(t), st.ctx.format);
  }
  Unit unit = ParseUnit(a[0].s);
  if (unit == Unit::kUnknown) UnitNotRecognized(a[0].s, t);
  // date_trunc(unit, timestamptz, zone) truncates the local time in that zone.
  std::shared_ptr<const TimeZone> zone_arg = a.size() > 2 ? ZoneArg(a[2].s) : nullptr;
  const TimeZone& tz = zone_arg ? *zone_arg : st.ctx.format.tz();
  if (!TimestampIsFinite(arg.i)) return arg;
  return Value::Int(t, TruncTimestamp(unit, a[0].s, t, tz, arg.i));
}

// date_trunc of a finite timestamp (t) or timestamptz v (in zone tz). REQUIRES: unit is not
// kUnknown. Throws 0A000 for a unit it does not truncate to.
int64_t TruncTimestamp(Unit unit, std::string_view unit_text, TypeId t, const TimeZone& tz,
                       int64_t v) {
  int64_t us = t == TypeId::kTimestampTz ? tz.UtcToLocal(v) : v;
  Fields f = SplitTimestamp(us);
  int64_t days = f.days, time_us = f.time_us;
  switch (unit) {
    case Unit::kMicroseconds:
      break;
    case Unit::kMilliseconds:
      time_us -= time_us % 1000;
      break;
    case Unit::kSecond:
      time_us -= time_us % kUsPerSecond;
      break;
    case Unit::kMinute:
      time_us -= time_us % (60 * kUsPerSecond);
      break;
    case Unit::kHour:
      time_us -= time_us % (3600 * kUsPerSecond);
      break;
    case Unit::kDay:
      time_us = 0;
      break;
    case Unit::kWeek:
      time_us = 0;
      days -= (Dow(days) + 6) % 7;
      break;
    case Unit::kMonth:
      time_us = 0;
      days = DaysFromCivil(f.year, f.month, 1);
      break;
    case Unit::kQuarter:
      time_us = 0;
      days = DaysFromCivil(f.year, ((f.month - 1) / 3) * 3 + 1, 1);
      break;
    case Unit::kYear:
      time_us = 0;
      days = DaysFromCivil(f.year, 1, 1);
      break;
    case Unit::kDecade:
      time_us = 0;
      days = DaysFromCivil(f.year > 0 ? (f.year / 10) * 10 : -((8 - (f.year - 1)) / 10) * 10, 1, 1);
      break;
    case Unit::kCentury:
      time_us = 0;
      days = DaysFromCivil(
          f.year > 0 ? ((f.year + 99) / 100) * 100 - 99 : -((99 - (f.year - 1)) / 100) * 100 + 1, 1,
          1);
      break;
    case Unit::kMillennium:
      time_us = 0;
      days = DaysFromCivil(f.year > 0 ? ((f.year + 999) / 1000) * 1000 - 999
                                      : -((999 - (f.year - 1)) / 1000) * 1000 + 1,
                           1, 1);
      break;
    default:
      UnitNotSupported(unit_text, t);
  }
  int64_t local = days * kUsPerDay + time_us;
  if (t == TypeId::kTimestampTz) {
    // As PostgreSQL: units below a day keep the instant's own offset; a day or more finds the
    // offset of the truncated local time anew.
    bool redo = unit != Unit::kMicroseconds && unit != Unit::kMilliseconds &&
                unit != Unit::kSecond && unit != Unit::kMinute && unit != Unit::kHour;
    local = redo ? tz.LocalToUtc(local) : local - tz.UtcOffset(v) * kUsPerSecond;
  }
  return local;
}

// ---- enums (docs/design/2026-12-05-user-defined-types.md) ----

// enum_first(anyenum) / enum_last(anyenum): the first or last label of the argument's type
// (the argument's value, NULL or not, is ignored).
template <bool kLast>
Value FnEnumEdge(const Args&, const BoundExpr& e, ExecState&) {
  TypeId t = e.children[0]->type.id;
  auto labels = EnumLabelsOf(t);
  if (labels == nullptr || labels->empty()) {
    Throw(SqlState::kObjectNotInPrerequisiteState, "enum {} contains no values",
          TypeName(Type::Of(t)));
  }
  const EnumLabel& l = kLast ? labels->back() : labels->front();
  return Value::Int(t, EnumPayload(l.sort_order));
}

// enum_range(anyenum): every label in order; enum_range(lo, hi): the labels from lo to hi
// (a NULL bound is open; empty if lo is after hi).
Value FnEnumRange(const Args& a, const BoundExpr& e, ExecState&) {
  TypeId t = e.children[0]->type.id;
  auto labels = EnumLabelsOf(t);
  std::vector<Value> out;
  const bool bounded = a.size() == 2;
  for (const EnumLabel& l : labels ? *labels : std::vector<EnumLabel>{}) {
    int64_t p = EnumPayload(l.sort_order);
    if (bounded && !a[0].is_null && p < a[0].i) continue;
    if (bounded && !a[1].is_null && p > a[1].i) continue;
    out.push_back(Value::Int(t, p));
  }
  return MakeArrayValue(e.type, out);
}

// domain_check(value, name1, check1, name2, check2, ...): a value cast to a domain
// (planner/bind_domain.cpp). Each name is planner::DomainCheckName's; a false check raises
// PostgreSQL's error (the domain's NOT NULL: 23502; a CHECK: 23514). Returns the value.
Value FnDomainCheck(const Args& a, const BoundExpr&, ExecState&) {
  for (size_t k = 1; k + 1 < a.size(); k += 2) {
    const Value& ok = a[k + 1];
    if (ok.is_null || ok.i != 0) continue;
    std::string domain, constraint;
    planner::ParseDomainCheckName(a[k].s, &domain, &constraint);
    if (constraint.empty()) {
      Throw(SqlState::kNotNullViolation, "domain {} does not allow null values", domain);
    }
    Error err(
        SqlState::kCheckViolation,
        fmt::format("value for domain {} violates check constraint \"{}\"", domain, constraint));
    err.constraint = constraint;
    throw err;
  }
  return a[0];
}

// ---- session information ----

// pg_typeof(x): the argument's type as format_type prints it (PostgreSQL returns regtype,
// whose text form is the same).
Value FnPgTypeof(const Args&, const BoundExpr& e, ExecState&) {
  if (e.children.size() != 1) {
    Throw(SqlState::kUndefinedFunction, "function pg_typeof() requires exactly one argument");
  }
  // The expression's type as a regtype (printed through format_type, as PostgreSQL's).
  return Value::Int(kRegTypeType, static_cast<int64_t>(e.children[0]->type.id));
}

Value FnVersion(const Args&, const BoundExpr&, ExecState&) {
  return Text("PostgreSQL 15.0 (ActiveStore 0.1.0) on x86_64-pc-linux-gnu, compiled by g++");
}
Value FnUtf8Encoding(const Args&, const BoundExpr&, ExecState&) {
  return Value::Text("UTF8", TypeId::kName);
}
// These return name, as PostgreSQL's (clients size their columns by it).
Value FnCurrentDatabase(const Args&, const BoundExpr&, ExecState& st) {
  return Value::Text(st.ctx.database, TypeId::kName);
}
Value FnCurrentSchema(const Args&, const BoundExpr&, ExecState& st) {
  return Value::Text(st.ctx.current_schema, TypeId::kName);
}
// current_schemas(include_implicit): the schemas of the search path that exist, in order;
// with true also the implicitly searched ones (the temporary schema, then pg_catalog, unless
// search_path places them).
Value FnCurrentSchemas(const Args& a, const BoundExpr& e, ExecState& st) {
  const ExecContext& c = st.ctx;
  bool implicit = a[0].i != 0;
  std::vector<Value> out;
  auto exists = [&](const std::string& s) {
    return c.catalog_view == nullptr || c.catalog_view->FindSchema(c.database_oid, s) != nullptr;
  };
  bool catalog_listed =
      std::find(c.search_path.begin(), c.search_path.end(), "pg_catalog") != c.search_path.end();
  if (implicit) {
    if (!c.implicit_temp_schema.empty())
      out.push_back(Value::Text(c.implicit_temp_schema, TypeId::kName));
    if (!catalog_listed) out.push_back(Value::Text("pg_catalog", TypeId::kName));
  }
  for (const std::string& s : c.search_path) {
    if (s == c.implicit_temp_schema || !exists(s)) continue;
    out.push_back(Value::Text(s, TypeId::kName));
  }
  return MakeArrayValue(e.type, out);
}

Value FnCurrentUser(const Args&, const BoundExpr&, ExecState& st) {
  return Value::Text(st.ctx.user, TypeId::kName);
}
Value FnSessionUser(const Args&, const BoundExpr&, ExecState& st) {
  return Value::Text(st.ctx.session_user, TypeId::kName);
}

Value FnCurrentSetting(const Args& a, const BoundExpr&, ExecState& st) {
  if (a[0].is_null) return Value::Null(Type::Of(TypeId::kText));
  bool missing_ok = a.size() > 1 && !a[1].is_null && a[1].i != 0;
  std::optional<std::string> v;
  if (st.ctx.get_setting) v = st.ctx.get_setting(a[0].s);
  if (!v) {
    if (missing_ok) return Value::Null(Type::Of(TypeId::kText));
    Throw(SqlState::kUndefinedObject, "unrecognized configuration parameter \"{}\"", a[0].s);
  }
  return Text(*v);
}

Value FnSetConfig(const Args& a, const BoundExpr&, ExecState& st) {
  if (!st.ctx.set_setting) {
    Throw(SqlState::kFeatureNotSupported, "set_config is not available here");
  }
  return Text(st.ctx.set_setting(a[0].s, a[1].s, a[2].i != 0));
}

// ---- advisory locks ----

struct AdvisoryKey {
  uint64_t key;
  uint32_t field;  // 1: one bigint key; 2: two integer keys (PostgreSQL's objsubid)
};

AdvisoryKey AdvisoryKeyOf(const Args& a) {
  if (a.size() == 1) return {static_cast<uint64_t>(a[0].i), 1};
  return {
      (static_cast<uint64_t>(static_cast<uint32_t>(a[0].i)) << 32) | static_cast<uint32_t>(a[1].i),
      2};
}

Value VoidValue() {
  Value v;
  v.type = Type::Of(TypeId::kVoid);
  v.is_null = false;
  return v;
}

void RequireLocks(const ExecContext& c) {
  if (c.locks == nullptr || c.txn == nullptr || c.wait_policy == nullptr || !c.session_lock_owner) {
    Throw(SqlState::kFeatureNotSupported, "advisory locks are not available here");
  }
}

// pg_[try_]advisory_[xact_]lock[_shared]: a session-level lock lasts until unlocked or the
// session ends, a transaction-level one until the transaction ends; the try forms return
// false instead of waiting.
template <bool kXact, bool kShared, bool kTry>
Value FnAdvisoryLock(const Args& a, const BoundExpr&, ExecState& st) {
  ExecContext& c = st.ctx;
  RequireLocks(c);
  storage::LockOwner owner = kXact ? c.txn->lock_owner() : c.session_lock_owner();
  if (owner == 0) Throw(SqlState::kInternalError, "transaction takes no locks");
  storage::WaitPolicy policy = *c.wait_policy;
  policy.skip_locked = kTry;
  AdvisoryKey k = AdvisoryKeyOf(a);
  bool got = c.locks->LockAdvisory(owner, c.database_oid, k.key, kShared, policy, k.field);
  return kTry ? Value::Bool(got) : VoidValue();
}

// pg_advisory_unlock[_shared]: releases one hold of a session-level lock; false, with
// PostgreSQL's warning, if the session holds none.
template <bool kShared>
Value FnAdvisoryUnlock(const Args& a, const BoundExpr&, ExecState& st) {
  ExecContext& c = st.ctx;
  RequireLocks(c);
  AdvisoryKey k = AdvisoryKeyOf(a);
  bool ok =
      c.locks->UnlockAdvisory(c.session_lock_owner(), c.database_oid, k.key, kShared, k.field);
  if (!ok && c.warn) {
    c.warn(kShared ? "you don't own a lock of type ShareLock"
                   : "you don't own a lock of type ExclusiveLock");
  }
  return Value::Bool(ok);
}

Value FnAdvisoryUnlockAll(const Args&, const BoundExpr&, ExecState& st) {
  RequireLocks(st.ctx);
  st.ctx.release_session_locks();
  return VoidValue();
}

// pg_stat_statements_reset(userid oid DEFAULT 0, dbid oid DEFAULT 0, queryid bigint DEFAULT 0).
Value FnStatStatementsReset(const Args& a, const BoundExpr&, ExecState& st) {
  if (st.ctx.stat_statements == nullptr) {
    Throw(SqlState::kObjectNotInPrerequisiteState,
          "pg_stat_statements must be loaded via "
          "shared_preload_libraries");
  }
  auto arg = [&](size_t i) -> int64_t { return i < a.size() ? a[i].i : 0; };
  st.ctx.stat_statements->Reset(static_cast<uint32_t>(arg(0)), static_cast<uint32_t>(arg(1)),
                                arg(2));
  return VoidValue();
}

Value FnPgBackendPid(const Args&, const BoundExpr&, ExecState& st) {
  return Int32(st.ctx.backend_pid);
}

// pg_trigger_depth(): how many triggers are running on this thread (executor/triggers.h).
Value FnPgTriggerDepth(const Args&, const BoundExpr&, ExecState&) { return Int32(TriggerDepth()); }

// The shard log's position (storage/shard_log.h): the LSN below which every commit is complete
// (pg_current_wal_lsn, _flush_lsn), or the last one handed out (_insert_lsn).
template <bool kInsert>
Value FnPgCurrentWalLsn(const Args&, const BoundExpr&, ExecState& st) {
  if (st.ctx.replication != nullptr && st.ctx.replication->in_recovery()) {
    throw std::move(Error(SqlState::kObjectNotInPrerequisiteState, "recovery is in progress")
                        .Hint("WAL control functions cannot be executed during recovery."));
  }
  storage::Engine* e = st.ctx.storage_engine;
  if (e == nullptr) return PgLsnValue(0);
  return PgLsnValue(kInsert ? e->LastLsn() : e->DurableLsn());
}

// A replica is in recovery while it follows its primary (storage/replication.h).
Value FnPgIsInRecovery(const Args&, const BoundExpr&, ExecState& st) {
  return Value::Bool(st.ctx.replication != nullptr && st.ctx.replication->in_recovery());
}

// pg_last_wal_receive_lsn(): what the replica received and synced; pg_last_wal_replay_lsn():
// what it applied. NULL on a node that is not a replica (as on a primary), and before the first
// transaction arrived.
template <bool kReplay>
Value FnPgLastWalLsn(const Args&, const BoundExpr&, ExecState& st) {
  if (st.ctx.replication == nullptr || !st.ctx.replication->in_recovery()) {
    return Value::Null(Type::Of(kPgLsnType));
  }
  std::optional<storage::ReceiverInfo> r = st.ctx.replication->Receiver();
  const uint64_t lsn = !r ? 0 : kReplay ? r->written_lsn : r->flushed_lsn;
  if (lsn == 0) return Value::Null(Type::Of(kPgLsnType));
  return PgLsnValue(lsn);
}

// pg_drop_replication_slot(name): as PostgreSQL, for superusers and REPLICATION roles only
// (storage/replication.h has the slot errors).
Value FnPgDropReplicationSlot(const Args& a, const BoundExpr&, ExecState& st) {
  const storage::RoleInfo* role =
      st.ctx.catalog_view ? st.ctx.catalog_view->FindRoleByOid(st.ctx.user_oid) : nullptr;
  if (role == nullptr || !(role->superuser || role->replication)) {
    Throw(SqlState::kInsufficientPrivilege,
          "must be superuser or replication role to use replication slots");
  }
  if (st.ctx.replication == nullptr) {
    Throw(SqlState::kObjectNotInPrerequisiteState,
          "replication slots can only be used if shard_log = on");
  }
  st.ctx.replication->Drop(a[0].s);
  return VoidValue();
}

// pg_promote(wait boolean DEFAULT true, wait_seconds integer DEFAULT 60): as PostgreSQL, for
// superusers; asks the replica's receiver to promote the node (frontend/replica.h) and, with
// wait, waits for the end of recovery: true once it ended, false (and a WARNING) after
// wait_seconds.
Value FnPgPromote(const Args& a, const BoundExpr&, ExecState& st) {
  const storage::RoleInfo* role =
      st.ctx.catalog_view ? st.ctx.catalog_view->FindRoleByOid(st.ctx.user_oid) : nullptr;
  if (role == nullptr || !role->superuser) {
    Throw(SqlState::kInsufficientPrivilege, "permission denied for function pg_promote");
  }
  const bool wait = a.empty() || a[0].i != 0;
  const int64_t wait_seconds = a.size() > 1 ? a[1].i : 60;
  if (wait_seconds <= 0) {
    Throw(SqlState::kInvalidParameterValue, "\"wait_seconds\" must not be negative or zero");
  }
  storage::ReplicationRegistry* r = st.ctx.replication;
  if (r == nullptr || !r->in_recovery()) {
    throw std::move(Error(SqlState::kObjectNotInPrerequisiteState, "recovery is not in progress")
                        .Hint("Recovery control functions can only be executed during recovery."));
  }
  r->RequestPromotion();
  if (!wait) return Value::Bool(true);
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  while (r->in_recovery()) {
    st.CheckCancel();
    if (std::chrono::steady_clock::now() >= end) {
      if (st.ctx.warn) {
        st.ctx.warn(fmt::format("server did not promote within {} second{}", wait_seconds,
                                wait_seconds == 1 ? "" : "s"));
      }
      return Value::Bool(false);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return Value::Bool(true);
}

// ---- LISTEN/NOTIFY (executor/session_notifications.h) ----

SessionNotifications& NotificationsOf(ExecState& st) {
  if (st.ctx.notifications == nullptr) {
    Throw(SqlState::kFeatureNotSupported, "notifications are not available here");
  }
  return *st.ctx.notifications;
}

// pg_notify(channel, payload): NOTIFY with computed values; not strict (a NULL channel is an
// empty one, a NULL payload an empty payload).
Value FnPgNotify(const Args& a, const BoundExpr&, ExecState& st) {
  NotificationsOf(st).Notify(a[0].is_null ? std::string() : a[0].s,
                             a[1].is_null ? std::string() : a[1].s);
  return VoidValue();
}

Value FnPgNotificationQueueUsage(const Args&, const BoundExpr&, ExecState& st) {
  return Float(NotificationsOf(st).QueueUsage());
}

}  // namespace

std::vector<Value> PgListeningChannels(const std::vector<Value>&, const BoundExpr&, ExecState& st) {
  std::vector<Value> out;
  for (const std::string& c : NotificationsOf(st).channels()) out.push_back(Text(c));
  return out;
}

namespace {

// The backends that `pid`'s current lock wait is blocked by (PostgreSQL's pg_blocking_pids):
// holders of conflicting locks and conflicting waiters ahead of it, and, for a SERIALIZABLE
// READ ONLY DEFERRABLE transaction waiting for a safe snapshot, the transactions it waits for.
std::vector<int> BlockingPids(int pid, ExecState& st) {
  std::vector<int> out;
  if (st.ctx.locks != nullptr) out = st.ctx.locks->BlockingPids(pid);
  if (st.ctx.validator != nullptr) {
    for (int p : st.ctx.validator->SafeSnapshotBlockers(pid)) out.push_back(p);
  }
  return out;
}

Value FnPgBlockingPids(const Args& a, const BoundExpr& e, ExecState& st) {
  std::vector<Value> pids;
  for (int p : BlockingPids(static_cast<int>(a[0].i), st)) pids.push_back(Int32(p));
  return MakeArrayValue(e.type, pids);
}

// Whether backend `pid` is blocked by one of the listed backends (PostgreSQL's
// pg_isolation_test_session_is_blocked, which isolationtester calls).
Value FnIsolationTestSessionIsBlocked(const Args& a, const BoundExpr&, ExecState& st) {
  std::vector<int> blockers = BlockingPids(static_cast<int>(a[0].i), st);
  bool blocked = false;
  ArrayView(a[1].s).ForEach(Type::Of(TypeId::kInt32), [&](size_t, const Value& v) {
    if (!v.is_null && std::find(blockers.begin(), blockers.end(), v.i) != blockers.end()) {
      blocked = true;
    }
  });
  return Value::Bool(blocked);
}

// ---- sequences ----

// The relation a name given as text denotes, as regclass input resolves it (search_path for an
// unqualified name): a table, view or sequence; nullptr for an index or a pg_catalog relation.
// 42P01 if there is none, 3F000 for a missing schema.
std::shared_ptr<const storage::TableInfo> RelationFromText(const std::string& text, ExecState& st) {
  const ExecContext& c = st.ctx;
  if (!c.catalog_view || !c.names) {
    Throw(SqlState::kInternalError, "no catalog for a relation name");
  }
  const uint32_t oid = *c.names->Lookup(kRegClassType, text, /*missing_ok=*/false);
  return c.catalog_view->FindRelationByOid(oid);
}

// The sequence argument of nextval, currval and setval: resolved when planned (a regclass
// constant) or now, from text or an oid; then locked as PostgreSQL's sequence functions do.
std::shared_ptr<const storage::TableInfo> SequenceArg(const Value& arg, const BoundExpr& e,
                                                      ExecState& st) {
  if (!st.ctx.sequences) {
    Throw(SqlState::kFeatureNotSupported, "sequence functions are not available here");
  }
  std::shared_ptr<const storage::TableInfo> rel = e.relation;
  if (!rel) {
    if (e.children[0]->type.id == TypeId::kInt64) {
      if (st.ctx.catalog_view)
        rel = st.ctx.catalog_view->FindRelationByOid(static_cast<uint32_t>(arg.i));
      if (!rel) Throw(SqlState::kUndefinedTable, "could not open relation with OID {}", arg.i);
    } else {
      rel = RelationFromText(arg.s, st);
      if (!rel) Throw(SqlState::kWrongObjectType, "\"{}\" is not a sequence", arg.s);
    }
    // Plan-bound sequences are locked with the plan's relations (session.cpp).
    if (st.ctx.txn) st.ctx.txn->LockRelation(rel->oid, storage::LockMode::kRowExclusive);
  }
  RequireSequence(*rel);
  return rel;
}

void PreventIfReadOnly(ExecState& st, const char* what) {
  if (st.ctx.read_only) {
    Throw(SqlState::kReadOnlySqlTransaction, "cannot execute {} in a read-only transaction", what);
  }
}

Value FnNextval(const Args& a, const BoundExpr& e, ExecState& st) {
  auto seq = SequenceArg(a[0], e, st);
  PreventIfReadOnly(st, "nextval()");
  return Value::Int64(st.ctx.sequences->NextVal(*seq));
}

Value FnCurrval(const Args& a, const BoundExpr& e, ExecState& st) {
  auto seq = SequenceArg(a[0], e, st);
  return Value::Int64(st.ctx.sequences->CurrVal(*seq));
}

// pg_sequence_last_value(regclass): the sequence's last value if nextval or setval has been
// called on it, else NULL (what pg_sequences shows); 42809 for a relation of another kind.
Value FnPgSequenceLastValue(const Args& a, const BoundExpr&, ExecState& st) {
  std::shared_ptr<const storage::TableInfo> rel;
  if (st.ctx.catalog_view)
    rel = st.ctx.catalog_view->FindRelationByOid(static_cast<uint32_t>(a[0].i));
  if (!rel) Throw(SqlState::kUndefinedTable, "could not open relation with OID {}", a[0].i);
  RequireSequence(*rel);
  if (!st.ctx.sequences) {
    Throw(SqlState::kFeatureNotSupported, "sequence functions are not available here");
  }
  const storage::SequenceData d = st.ctx.sequences->Read(*rel);
  return d.is_called ? Value::Int64(d.last_value) : Value::Null(Type::Of(TypeId::kInt64));
}

Value FnSetval(const Args& a, const BoundExpr& e, ExecState& st) {
  auto seq = SequenceArg(a[0], e, st);
  PreventIfReadOnly(st, "setval()");
  bool is_called = a.size() < 3 || a[2].i != 0;
  return Value::Int64(st.ctx.sequences->SetVal(*seq, a[1].i, is_called));
}

Value FnLastval(const Args&, const BoundExpr&, ExecState& st) {
  if (!st.ctx.sequences) {
    Throw(SqlState::kObjectNotInPrerequisiteState, "lastval is not yet defined in this session");
  }
  return Value::Int64(st.ctx.sequences->LastVal([&](storage::Oid oid) {
    return st.ctx.catalog_view ? st.ctx.catalog_view->FindRelationByOid(oid) : nullptr;
  }));
}

// pg_get_serial_sequence(table, column): the sequence a serial or identity column owns, as
// schema.name, or NULL. The table name is read like regclass input; the column name as is.
Value FnPgGetSerialSequence(const Args& a, const BoundExpr&, ExecState& st) {
  auto rel = RelationFromText(a[0].s, st);
  if (!rel) return Value::Null(Type::Of(TypeId::kText));  // an index or a system relation
  int ord = rel->ColumnIndex(a[1].s);
  if (ord < 0) {
    Throw(SqlState::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", a[1].s,
          rel->name);
  }
  for (const auto& [key, t] : st.ctx.catalog_view->tables) {
    if (t->is_sequence() && t->sequence->owner_table == rel->oid &&
        t->sequence->owner_column == ord) {
      return Text(QuoteIdent(t->schema) + "." + QuoteIdent(t->name));
    }
  }
  return Value::Null(Type::Of(TypeId::kText));
}

// ---- batch forms (see BatchFn) ----

// date_bin(stride, source, origin) over timestamp or timestamptz vectors.
bool BatchDateBin(const BatchArgs& a, size_t n, const BoundExpr&, ExecState&, Vector* out) {
  if (a.size() != 3 || a[0].v->phys != PhysClass::kWide || a[1].v->phys != PhysClass::kInt ||
      a[2].v->phys != PhysClass::kInt || out->phys != PhysClass::kInt) {
    return false;
  }
  const Vector& stride = *a[0].v;
  const int64_t* src = a[1].v->ints.data();
  const int64_t* origin = a[2].v->ints.data();
  const size_t s0 = a[0].stride, s1 = a[1].stride, s2 = a[2].stride;
  for (size_t r = 0; r < n; ++r) {
    if (out->nulls[r]) continue;
    const Interval iv = IntervalOf(stride.ints[r * s0], stride.ints2[r * s0]);
    out->ints[r] = DateBin(iv.usec, iv.days, iv.months, src[r * s1], origin[r * s2]);
  }
  return true;
}

// time_bucket(width, ts) over timestamp, timestamptz or integer vectors (no origin or
// offset): the sub-month interval of a constant width is converted once.
bool BatchTimeBucket(const BatchArgs& a, size_t n, const BoundExpr&, ExecState&, Vector* out) {
  if (a.size() != 2 || a[1].v->phys != PhysClass::kInt || out->phys != PhysClass::kInt) {
    return false;
  }
  const TypeId t = a[1].v->type.id;
  const int64_t* src = a[1].v->ints.data();
  const size_t s0 = a[0].stride, s1 = a[1].stride;
  if (IsIntegerType(t)) {
    int64_t min, max;
    IntegerRange(t, &min, &max);
    for (size_t r = 0; r < n; ++r) {
      if (out->nulls[r]) continue;
      out->ints[r] = TimeBucketInteger(a[0].v->ints[r * s0], src[r * s1], 0, min, max);
    }
    return true;
  }
  if ((t != TypeId::kTimestamp && t != TypeId::kTimestampTz) || a[0].v->phys != PhysClass::kWide) {
    return false;
  }
  const Vector& width = *a[0].v;
  for (size_t r = 0; r < n; ++r) {
    if (out->nulls[r]) continue;
    const Interval iv = IntervalOf(width.ints[r * s0], width.ints2[r * s0]);
    out->ints[r] = TimeBucketTimestamp(iv, src[r * s1], std::nullopt);
  }
  return true;
}

// The first row to compute, or n.
size_t FirstLiveRow(const Vector& out, size_t n) {
  size_t r = 0;
  while (r < n && out.nulls[r]) ++r;
  return r;
}

// date_trunc(unit, timestamp[tz] [, zone]) with a constant unit and zone.
bool BatchDateTrunc(const BatchArgs& a, size_t n, const BoundExpr&, ExecState& st, Vector* out) {
  const TypeId t = a[1].v->type.id;
  if (!a[0].IsConstant() || a[0].v->phys != PhysClass::kString ||
      (a.size() > 2 && (!a[2].IsConstant() || a[2].v->phys != PhysClass::kString)) ||
      (t != TypeId::kTimestamp && t != TypeId::kTimestampTz) || out->type.id != t) {
    return false;
  }
  if (FirstLiveRow(*out, n) == n) return true;
  const std::string& unit_text = a[0].v->strs[0];
  const Unit unit = ParseUnit(unit_text);
  if (unit == Unit::kUnknown) UnitNotRecognized(unit_text, t);
  std::shared_ptr<const TimeZone> zone_arg = a.size() > 2 ? ZoneArg(a[2].v->strs[0]) : nullptr;
  const TimeZone& tz = zone_arg ? *zone_arg : st.ctx.format.tz();
  const int64_t* src = a[1].v->ints.data();
  const size_t s1 = a[1].stride;
  for (size_t r = 0; r < n; ++r) {
    if (out->nulls[r]) continue;
    const int64_t v = src[r * s1];
    out->ints[r] = TimestampIsFinite(v) ? TruncTimestamp(unit, unit_text, t, tz, v) : v;
  }
  return true;
}

// extract / date_part of a timestamp[tz] with a constant unit: integer-valued fields of finite
// values directly, every other row through the per-row form `fn`.
template <bool kFloat>
bool BatchDateField(const BatchArgs& a, size_t n, const BoundExpr& e, ExecState& st, Vector* out,
                    Fn fn) {
  const TypeId t = a[1].v->type.id;
  if (a.size() != 2 || !a[0].IsConstant() || a[0].v->phys != PhysClass::kString ||
      (t != TypeId::kTimestamp && t != TypeId::kTimestampTz) ||
      out->phys != (kFloat ? PhysClass::kFloat : PhysClass::kNumeric)) {
    return false;
  }
  const Unit unit = ParseUnit(a[0].v->strs[0]);
  Args row(2);
  row[0] = a[0].v->Get(0);
  const int64_t* src = a[1].v->ints.data();
  const size_t s1 = a[1].stride;
  for (size_t r = 0; r < n; ++r) {
    if (out->nulls[r]) continue;
    const int64_t v = src[r * s1];
    int64_t field;
    if (TimestampIsFinite(v) &&
        IntegerField(unit, SplitTimestamp(t == TypeId::kTimestampTz ? LocalUs(v, st) : v),
                     &field)) {
      if constexpr (kFloat) {
        out->floats[r] = static_cast<double>(field);
      } else {
        out->nums[r] = NumInt(field);
      }
      continue;
    }
    a[1].v->Load(r * s1, &row[1]);
    out->Set(r, fn(row, e, st));
  }
  return true;
}

bool BatchExtract(const BatchArgs& a, size_t n, const BoundExpr& e, ExecState& st, Vector* out) {
  return BatchDateField<false>(a, n, e, st, out, FnExtract);
}

bool BatchDatePart(const BatchArgs& a, size_t n, const BoundExpr& e, ExecState& st, Vector* out) {
  return BatchDateField<true>(a, n, e, st, out, FnDatePart);
}

template <bool kUpper>
bool BatchCaseFold(const BatchArgs& a, size_t n, const BoundExpr&, ExecState&, Vector* out) {
  if (a[0].v->phys != PhysClass::kString || out->phys != PhysClass::kString) return false;
  for (size_t r = 0; r < n; ++r) {
    if (!out->nulls[r]) CaseFold<kUpper>(a[0].v->strs[a[0].Row(r)], &out->strs[r]);
  }
  return true;
}

// length / char_length of text (characters), bytea (bytes), bit strings (bits).
bool BatchLength(const BatchArgs& a, size_t n, const BoundExpr&, ExecState&, Vector* out) {
  const Vector& s = *a[0].v;
  if (s.phys != PhysClass::kString || out->phys != PhysClass::kInt) return false;
  const TypeId t = s.type.id;
  const bool bytes = t == TypeId::kBytea || t == TypeId::kBit || t == TypeId::kVarbit;
  for (size_t r = 0; r < n; ++r) {
    if (out->nulls[r]) continue;
    const std::string& x = s.strs[a[0].Row(r)];
    out->ints[r] = bytes ? static_cast<int64_t>(x.size()) : CharCount(x);
  }
  return true;
}

bool BatchAbs(const BatchArgs& a, size_t n, const BoundExpr&, ExecState&, Vector* out) {
  const Vector& x = *a[0].v;
  const TypeId t = x.type.id;
  if (IsIntegerType(t) && out->phys == PhysClass::kInt) {
    for (size_t r = 0; r < n; ++r) {
      if (!out->nulls[r]) out->ints[r] = IntAbs(x.ints[a[0].Row(r)], t);
    }
    return true;
  }
  if (t == TypeId::kFloat64 && out->type.id == TypeId::kFloat64) {
    for (size_t r = 0; r < n; ++r) {
      if (!out->nulls[r]) out->floats[r] = std::fabs(x.floats[a[0].Row(r)]);
    }
    return true;
  }
  return false;
}

const std::unordered_map<std::string, FnInfo>& ScalarRegistry() {
  static const std::unordered_map<std::string, FnInfo> kFns = {
      {"abs", {FnAbs, true}},
      {"round", {FnRound, true}},
      {"trunc", {FnTrunc, true}},
      {"floor", {FnFloor, true}},
      {"ceil", {FnCeil, true}},
      {"ceiling", {FnCeil, true}},
      {"sign", {FnSign, true}},
      {"sqrt", {FnSqrt, true}},
      {"power", {FnPower, true}},
      {"pow", {FnPower, true}},
      {"mod", {FnMod, true}},
      {"gcd", {FnNumericGcdLcm, true}},
      {"lcm", {FnNumericGcdLcm, true}},
      {"booleq", {FnBoolEq, true}},
      {"boolne", {FnBoolNe, true}},
      {"int_and", {FnIntAnd, true}},
      {"int_or", {FnIntOr, true}},
      {"int_xor", {FnIntXor, true}},
      {"int_not", {FnIntNot, true}},
      {"int_shl", {FnIntShl, true}},
      {"int_shr", {FnIntShr, true}},
      {"exp", {FnExp, true}},
      {"ln", {FnLn, true}},
      // float.c and numeric.c functions (branch numeric-float).
      {"sin", {FnTrig<0>, true}},
      {"cos", {FnTrig<1>, true}},
      {"tan", {FnTrig<2>, true}},
      {"cot", {FnTrig<3>, true}},
      {"asin", {FnTrig<4>, true}},
      {"acos", {FnTrig<5>, true}},
      {"atan", {FnTrig<6>, true}},
      {"atan2", {FnAtan2, true}},
      {"sind", {FnTrigDegrees<0>, true}},
      {"cosd", {FnTrigDegrees<1>, true}},
      {"tand", {FnTrigDegrees<2>, true}},
      {"cotd", {FnTrigDegrees<3>, true}},
      {"asind", {FnArcDegrees<0>, true}},
      {"acosd", {FnArcDegrees<1>, true}},
      {"atand", {FnArcDegrees<2>, true}},
      {"atan2d", {FnAtan2d, true}},
      {"degrees", {FnDegrees, true}},
      {"radians", {FnRadians, true}},
      {"sinh", {FnHyperbolic<0>, true}},
      {"cosh", {FnHyperbolic<1>, true}},
      {"tanh", {FnHyperbolic<2>, true}},
      {"asinh", {FnHyperbolic<3>, true}},
      {"acosh", {FnHyperbolic<4>, true}},
      {"atanh", {FnHyperbolic<5>, true}},
      {"cbrt", {FnCbrt, true}},
      {"float4send", {FnFloatSend, true}},
      {"float8send", {FnFloatSend, true}},
      {"scale", {FnScale<0>, true}},
      {"min_scale", {FnScale<1>, true}},
      {"trim_scale", {FnTrimScale, true}},
      {"numeric_inc", {FnNumericInc, true}},
      {"factorial", {FnFactorial, true}},
      {"div", {FnDiv, true}},
      {"width_bucket", {FnWidthBucket, true}},
      {"pg_lsn", {FnPgLsn, true}},
      {"xid", {FnXid, true}},
      {"xid_of_int4", {FnXid, true}},
      {"log", {FnLog, true}},
      {"log10", {FnLog, true}},
      {"pi", {FnPi, true}},
      {"random", {FnRandom, true}},
      {"lower", {FnLower, true}},
      {"upper", {FnUpper, true}},
      {"initcap", {FnInitcap, true}},
      {"length", {FnLength, true}},
      {"char_length", {FnLength, true}},
      {"character_length", {FnLength, true}},
      {"octet_length", {FnOctetLength, true}},
      {"bit_length", {FnBitLength, true}},
      {"bit_count", {FnBitCount, true}},
      {"substr", {FnSubstr, true}},
      {"substring", {FnSubstr, true}},
      {"btrim", {FnBtrim, true}},
      {"ltrim", {FnLtrim, true}},
      {"rtrim", {FnRtrim, true}},
      {"replace", {FnReplace, true}},
      {"strpos", {FnStrpos, true}},
      {"left", {FnLeft, true}},
      {"right", {FnRight, true}},
      {"lpad", {FnLpad, true}},
      {"rpad", {FnRpad, true}},
      {"repeat", {FnRepeat, true}},
      {"reverse", {FnReverse, true}},
      {"md5", {FnMd5, true}},
      {"byteacat", {FnByteaCat, true}},
      // bit, varbit, money
      {"bitand", {FnBitAnd, true}},
      {"bitor", {FnBitOr, true}},
      {"bitxor", {FnBitXor, true}},
      {"bitnot", {FnBitNot, true}},
      {"bitshiftleft", {FnBitShl, true}},
      {"bitshiftright", {FnBitShr, true}},
      {"bitcat", {FnBitCat, true}},
      {"cashlarger", {FnCashLarger, true}},
      {"cashsmaller", {FnCashSmaller, true}},
      {"cash_words", {FnCashWords, true}},
      {"overlay", {FnOverlay, true}},
      {"get_byte", {FnGetByte, true}},
      {"name_subscript", {FnNameSubscript, true}},
      {"set_byte", {FnSetByte, true}},
      {"get_bit", {FnGetBit, true}},
      {"set_bit", {FnSetBit, true}},
      {"encode", {FnEncode, true}},
      {"decode", {FnDecode, true}},
      {"sha224", {FnSha, true}},
      {"sha256", {FnSha, true}},
      {"sha384", {FnSha, true}},
      {"sha512", {FnSha, true}},
      {"convert_to", {FnConvertTo, true}},
      {"convert_from", {FnConvertFrom, true}},
      {"gen_random_uuid", {FnGenRandomUuid, true}},
      // enums
      {"enum_first", {FnEnumEdge<false>, false}},
      {"enum_last", {FnEnumEdge<true>, false}},
      {"enum_range", {FnEnumRange, false}},
      {"domain_check", {FnDomainCheck, false}},
      {"concat", {FnConcat, false}},
      {"concat_ws", {FnConcatWs, false}},
      {"now", {FnNow, true}},
      {"current_timestamp", {FnCurrentTimestamp, true}},
      {"transaction_timestamp", {FnNow, true}},
      {"statement_timestamp", {FnNow, true}},
      {"clock_timestamp", {FnClockTimestamp, true}},
      {"current_date", {FnCurrentDate, true}},
      {"localtimestamp", {FnLocalTimestamp, true}},
      {"current_time", {FnCurrentTime, true}},
      {"localtime", {FnLocalTime, true}},
      {"make_time", {FnMakeTime, true}},
      {"make_date", {FnMakeDate, true}},
      {"make_timestamp", {FnMakeTimestamp, true}},
      {"make_timestamptz", {FnMakeTimestampTz, true}},
      {"isfinite", {FnIsFinite, true}},
      {"date_bin", {FnDateBin, true}},
      {"time_bucket", {FnTimeBucket, true}},
      {"time_bucket_tz", {FnTimeBucketTz, false}},
      {"time_bucket_gapfill", {FnTimeBucketGapfill, false}},
      {"locf", {FnGapfillMarker, false}},
      {"interpolate", {FnGapfillMarker, false}},
      {"overlaps", {FnOverlaps, false}},
      {"date_time_timestamp", {FnDateTimeTimestamp, true}},
      {"datetime_cmp_promote", {FnDateTimeCmpPromote, true}},
      {"pg_sleep", {FnPgSleep, true}},
      {"interval_hash", {FnIntervalHash, true}},
      {"date_part", {FnDatePart, true}},
      {"extract", {FnExtract, true}},
      {"date_trunc", {FnDateTrunc, true}},
      {"justify_hours", {FnJustifyHours, true}},
      {"justify_days", {FnJustifyDays, true}},
      {"justify_interval", {FnJustifyInterval, true}},
      {"age", {FnAge, true}},
      {"make_interval", {FnMakeInterval, true}},
      {"timezone", {FnTimezone, true}},
      {"to_char", {FnToChar, true}},
      {"to_number", {FnToNumber, true}},
      {"to_date", {FnToDate, true}},
      {"to_timestamp", {FnToTimestamp, true}},
      {"version", {FnVersion, true}},
      {"getdatabaseencoding", {FnUtf8Encoding, true}},
      {"pg_client_encoding", {FnUtf8Encoding, true}},
      {"pg_typeof", {FnPgTypeof, false}},
      {"current_database", {FnCurrentDatabase, true}},
      {"pg_backend_pid", {FnPgBackendPid, true}},
      {"pg_trigger_depth", {FnPgTriggerDepth, true}},
      {"pg_current_wal_lsn", {FnPgCurrentWalLsn<false>, true}},
      {"pg_current_wal_flush_lsn", {FnPgCurrentWalLsn<false>, true}},
      {"pg_current_wal_insert_lsn", {FnPgCurrentWalLsn<true>, true}},
      {"pg_is_in_recovery", {FnPgIsInRecovery, true}},
      {"pg_notify", {FnPgNotify, false}},
      {"pg_drop_replication_slot", {FnPgDropReplicationSlot, true}},
      {"pg_promote", {FnPgPromote, true}},
      {"pg_last_wal_receive_lsn", {FnPgLastWalLsn<false>, true}},
      {"pg_last_wal_replay_lsn", {FnPgLastWalLsn<true>, true}},
      {"pg_notification_queue_usage", {FnPgNotificationQueueUsage, true}},
      {"pg_advisory_lock", {FnAdvisoryLock<false, false, false>, true}},
      {"pg_advisory_lock_shared", {FnAdvisoryLock<false, true, false>, true}},
      {"pg_advisory_xact_lock", {FnAdvisoryLock<true, false, false>, true}},
      {"pg_advisory_xact_lock_shared", {FnAdvisoryLock<true, true, false>, true}},
      {"pg_try_advisory_lock", {FnAdvisoryLock<false, false, true>, true}},
      {"pg_try_advisory_lock_shared", {FnAdvisoryLock<false, true, true>, true}},
      {"pg_try_advisory_xact_lock", {FnAdvisoryLock<true, false, true>, true}},
      {"pg_try_advisory_xact_lock_shared", {FnAdvisoryLock<true, true, true>, true}},
      {"pg_advisory_unlock", {FnAdvisoryUnlock<false>, true}},
      {"pg_advisory_unlock_shared", {FnAdvisoryUnlock<true>, true}},
      {"pg_advisory_unlock_all", {FnAdvisoryUnlockAll, false}},
      {"pg_stat_statements_reset", {FnStatStatementsReset, true}},
      {"current_setting", {FnCurrentSetting, false}},
      {"set_config", {FnSetConfig, true}},
      {"pg_isolation_test_session_is_blocked", {FnIsolationTestSessionIsBlocked, true}},
      {"pg_blocking_pids", {FnPgBlockingPids, true}},
      {"nextval", {FnNextval, true}},
      {"currval", {FnCurrval, true}},
      {"setval", {FnSetval, true}},
      {"pg_sequence_last_value", {FnPgSequenceLastValue, true}},
      {"lastval", {FnLastval, true}},
      {"pg_get_serial_sequence", {FnPgGetSerialSequence, true}},
      {"current_schema", {FnCurrentSchema, true}},
      {"current_schemas", {FnCurrentSchemas, true}},
      {"current_user", {FnCurrentUser, true}},
      {"session_user", {FnSessionUser, true}},
      {"user", {FnCurrentUser, true}},
  };
  return kFns;
}

// The scalar functions above and the array functions (executor/array_exprs.h).
const std::unordered_map<std::string, FnInfo>& Registry() {
  static const std::unordered_map<std::string, FnInfo> kFns = [] {
    std::unordered_map<std::string, FnInfo> fns = ScalarRegistry();
    for (const ArrayFunctionEntry& f : ArrayFunctionEntries()) fns[f.name] = {f.fn, f.strict};
    for (const ArrayFunctionEntry& f : OrderedSetFunctionEntries()) fns[f.name] = {f.fn, f.strict};
    // Regular expressions and more string functions (executor/string_functions.h).
    for (const StringFunctionEntry& f : RegexFunctionEntries()) fns[f.name] = {f.fn, f.strict};
    for (const StringFunctionEntry& f : StringFunctionEntries()) fns[f.name] = {f.fn, f.strict};
    for (const StringFunctionEntry& f : JsonFunctionEntries()) fns[f.name] = {f.fn, f.strict};
    for (const StringFunctionEntry& f : GeometryFunctionEntries()) fns[f.name] = {f.fn, f.strict};
    for (const StringFunctionEntry& f : CompositeFunctionEntries()) {
      fns[f.name] = {f.fn, f.strict};
    }
    for (const StringFunctionEntry& f : CatalogFunctionEntries()) fns[f.name] = {f.fn, f.strict};
    for (const StringFunctionEntry& f : BuiltinSupportFunctionEntries()) {
      fns[f.name] = {f.fn, f.strict};
    }
    for (const StringFunctionEntry& f : XactIdFunctionEntries()) fns[f.name] = {f.fn, f.strict};
    for (const StringFunctionEntry& f : AdminFunctionEntries()) fns[f.name] = {f.fn, f.strict};
    for (const StringFunctionEntry& f : TableStatFunctionEntries()) fns[f.name] = {f.fn, f.strict};
    for (const StringFunctionEntry& f : ActivityFunctionEntries()) fns[f.name] = {f.fn, f.strict};
    for (const StringFunctionEntry& f : HypertableFunctionEntries()) fns[f.name] = {f.fn, f.strict};
    for (const StringFunctionEntry& f : UserFunctionCatalogEntries()) {
      fns[f.name] = {f.fn, f.strict};
    }
    const std::pair<const char*, BatchFn> batch[] = {
        {"date_bin", BatchDateBin},
        {"date_trunc", BatchDateTrunc},
        {"time_bucket", BatchTimeBucket},
        {"extract", BatchExtract},
        {"date_part", BatchDatePart},
        {"lower", BatchCaseFold<false>},
        {"upper", BatchCaseFold<true>},
        {"length", BatchLength},
        {"char_length", BatchLength},
        {"character_length", BatchLength},
        {"abs", BatchAbs},
    };
    for (const auto& [name, fn] : batch) fns.at(name).batch = fn;
    return fns;
  }();
  return kFns;
}

// ---- MD5 (RFC 1321) ----

struct Md5 {
  uint32_t a = 0x67452301, b = 0xefcdab89, c = 0x98badcfe, d = 0x10325476;

  static uint32_t Rotl(uint32_t x, int s) { return (x << s) | (x >> (32 - s)); }

  void Block(const unsigned char* p) {
    static const uint32_t kK[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
        0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
        0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
        0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
        0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
        0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
        0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
        0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
        0xeb86d391};
    static const int kS[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                               5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                               4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                               6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
    uint32_t m[16];
    for (int i = 0; i < 16; ++i) {
      m[i] = static_cast<uint32_t>(p[i * 4]) | (static_cast<uint32_t>(p[i * 4 + 1]) << 8) |
             (static_cast<uint32_t>(p[i * 4 + 2]) << 16) |
             (static_cast<uint32_t>(p[i * 4 + 3]) << 24);
    }
    uint32_t A = a, B = b, C = c, D = d;
    for (int i = 0; i < 64; ++i) {
      uint32_t f;
      int g;
      if (i < 16) {
        f = (B & C) | (~B & D);
        g = i;
      } else if (i < 32) {
        f = (D & B) | (~D & C);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = B ^ C ^ D;
        g = (3 * i + 5) % 16;
      } else {
        f = C ^ (B | ~D);
        g = (7 * i) % 16;
      }
      uint32_t tmp = D;
      D = C;
      C = B;
      B = B + Rotl(A + f + kK[i] + m[g], kS[i]);
      A = tmp;
    }
    a += A;
    b += B;
    c += C;
    d += D;
  }
};

}  // namespace

std::string Md5Hex(std::string_view data) {
  Md5 md;
  std::string buf(data);
  uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  buf.push_back(static_cast<char>(0x80));
  while (buf.size() % 64 != 56) buf.push_back(0);
  for (int i = 0; i < 8; ++i) buf.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  for (size_t off = 0; off < buf.size(); off += 64) {
    md.Block(reinterpret_cast<const unsigned char*>(buf.data() + off));
  }
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (uint32_t w : {md.a, md.b, md.c, md.d}) {
    for (int i = 0; i < 4; ++i) {
      unsigned byte = (w >> (8 * i)) & 0xff;
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    }
  }
  return out;
}

std::shared_ptr<const TimeZone> TimeZoneArg(const std::string& name) { return ZoneArg(name); }

int32_t WidthBucketFloat8(double op, double b1, double b2, int64_t count) {
  if (count <= 0) {
    Throw(SqlState::kInvalidArgumentForWidthBucket, "count must be greater than zero");
  }
  if (std::isnan(op) || std::isnan(b1) || std::isnan(b2)) {
    Throw(SqlState::kInvalidArgumentForWidthBucket,
          "operand, lower bound, and upper bound cannot be NaN");
  }
  if (std::isinf(b1) || std::isinf(b2)) {
    Throw(SqlState::kInvalidArgumentForWidthBucket, "lower and upper bounds must be finite");
  }
  if (b1 == b2) {
    Throw(SqlState::kInvalidArgumentForWidthBucket, "lower bound cannot equal upper bound");
  }
  int64_t result;
  const bool up = b1 < b2;
  if (up ? op < b1 : op > b1) {
    result = 0;
  } else if (up ? op >= b2 : op <= b2) {
    result = count + 1;
  } else {
    double lo = up ? b1 : b2, hi = up ? b2 : b1;
    double num = up ? op - b1 : b1 - op, den = hi - lo;
    double q;
    if (!std::isinf(den)) {
      q = static_cast<double>(count) * (num / den);
    } else {
      double n2 = up ? op / 2 - b1 / 2 : b1 / 2 - op / 2;
      q = static_cast<double>(count) * (n2 / (hi / 2 - lo / 2));
    }
    result = static_cast<int64_t>(q);
    if (result >= count) result = count - 1;
    ++result;
  }
  if (result > std::numeric_limits<int32_t>::max()) ThrowIntegerOutOfRange(TypeId::kInt32);
  return static_cast<int32_t>(result);
}

bool IsKnownFunction(const std::string& name) { return Registry().count(name) > 0; }

bool IsSetFunction(const std::string& name) {
  for (const auto* entries : {&SetFunctionEntries(), &JsonSetFunctionEntries(),
                              &CompositeSetFunctionEntries(), &HypertableSetFunctionEntries()}) {
    for (const SetFunctionEntry& f : *entries) {
      if (name == f.name) return true;
    }
  }
  return false;
}

std::vector<Value> EvaluateSetFunction(const BoundExpr& call, const std::vector<Value>& args,
                                       ExecState& st) {
  // Every set function by name, built once.
  static const std::vector<SetFunctionEntry> all = [] {
    std::vector<SetFunctionEntry> v = SetFunctionEntries();
    for (const auto* more : {&JsonSetFunctionEntries(), &CompositeSetFunctionEntries(),
                             &HypertableSetFunctionEntries()}) {
      v.insert(v.end(), more->begin(), more->end());
    }
    return v;
  }();
  for (const SetFunctionEntry& f : all) {
    if (call.op != f.name) continue;
    if (f.strict) {
      for (const Value& v : args) {
        if (v.is_null) return {};
      }
    }
    std::vector<Value> rows = f.fn(args, call, st);
    for (Value& v : rows) {
      if (v.is_null) {
        v = Value::Null(call.type);
      } else if (PhysClassOf(v.type.id) == PhysClassOf(call.type.id)) {
        v.type = call.type;
      } else {
        v = CastValue(v, call.type);
      }
    }
    return rows;
  }
  Throw(SqlState::kUndefinedFunction, "function {} does not exist", call.op);
}

bool EvaluateFunctionOfConstants(const BoundExpr& e, ExecState& st, Value* out) {
  Args args;
  args.reserve(e.children.size());
  bool any_null = false;
  for (const auto& c : e.children) {
    if (c->kind != planner::BoundExprKind::kConstant ||
        (!c->value.is_null && PhysClassOf(c->value.type.id) != PhysClassOf(c->type.id))) {
      return false;
    }
    args.push_back(c->value);
    args.back().type = c->type;
    any_null |= c->value.is_null;
  }
  const auto& reg = Registry();
  auto it = reg.find(e.op);
  if (it == reg.end()) return false;  // EvaluateFunction reports it
  Value v = it->second.strict && any_null ? Value::Null(e.type) : it->second.fn(args, e, st);
  if (v.is_null) {
    *out = Value::Null(e.type);
    return true;
  }
  // As a round trip through a Vector of e.type would give it.
  if (PhysClassOf(v.type.id) != PhysClassOf(e.type.id)) v = CastValue(v, e.type);
  v.type = e.type;
  *out = std::move(v);
  return true;
}

void EvaluateFunction(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  const auto& reg = Registry();
  auto it = reg.find(e.op);
  if (it == reg.end()) {
    std::string types;
    for (size_t i = 0; i < e.children.size(); ++i) {
      if (i) types += ", ";
      types += TypeName(e.children[i]->type);
    }
    throw Error(SqlState::kUndefinedFunction,
                fmt::format("function {}({}) does not exist", e.op, types))
        .Hint(
            "No function matches the given name and argument types. You might need to add "
            "explicit type casts.");
  }
  const FnInfo& info = it->second;
  size_t n = in.size;
  // Arguments that are the same for every row (constants, parameters) are evaluated once; a
  // column argument is read in place.
  const size_t nargs = e.children.size();
  std::vector<Vector> scratch(nargs);
  std::vector<const Vector*> argv(nargs, nullptr);
  Args args(nargs);
  for (size_t i = 0; i < nargs; ++i) {
    const BoundExpr& c = *e.children[i];
    if (c.kind == planner::BoundExprKind::kConstant || c.kind == planner::BoundExprKind::kParam) {
      args[i] = EvaluateConstant(c, st);
    } else {
      argv[i] = &EvaluateExpressionRef(c, in, st, &scratch[i]);
    }
  }
  if (info.batch != nullptr && n > 0) {
    BatchArgs bargs(nargs);
    for (size_t i = 0; i < nargs; ++i) {
      if (argv[i] != nullptr) {
        bargs[i] = {argv[i], 1};
      } else {
        scratch[i] = Vector::Constant(args[i], args[i].type, 1);
        bargs[i] = {&scratch[i], 0};
      }
    }
    out->Init(e.type, n);
    if (info.strict) {
      for (const BatchArg& b : bargs) {
        for (size_t r = 0; r < n; ++r) out->nulls[r] |= b.v->nulls[b.Row(r)];
      }
    }
    if (info.batch(bargs, n, e, st, out)) return;
  }
  out->Init(e.type, n);
  for (size_t r = 0; r < n; ++r) {
    bool any_null = false;
    for (size_t i = 0; i < nargs; ++i) {
      if (argv[i] != nullptr) argv[i]->Load(r, &args[i]);
      any_null |= args[i].is_null;
    }
    if (info.strict && any_null) {
      out->nulls[r] = 1;
      continue;
    }
    out->Set(r, info.fn(args, e, st));
  }
}

}  // namespace activestore::executor
