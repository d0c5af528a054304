#include "common/point.h"

#include <bit>
#include <cmath>
#include <string>

#include "common/ascii.h"
#include "common/error.h"
#include "common/float_format.h"
#include "common/type_registry.h"
#include "common/value.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

// geo_decls.h's fuzzy comparisons.
constexpr double kEpsilon = 1.0e-06;
bool FPeq(double a, double b) { return a == b || std::fabs(a - b) <= kEpsilon; }
bool FPlt(double a, double b) { return a + kEpsilon < b; }
bool FPgt(double a, double b) { return a > b + kEpsilon; }
// float8_eq: NaN equals NaN.
bool Float8Eq(double a, double b) { return std::isnan(a) ? std::isnan(b) : a == b; }

// float.h's checked float8 arithmetic.
[[noreturn]] void Overflow() {
  Throw(SqlState::kNumericValueOutOfRange, "value out of range: overflow");
}
[[noreturn]] void Underflow() {
  Throw(SqlState::kNumericValueOutOfRange, "value out of range: underflow");
}
double Pl(double a, double b) {
  const double r = a + b;
  if (std::isinf(r) && !std::isinf(a) && !std::isinf(b)) Overflow();
  return r;
}
double Mi(double a, double b) {
  const double r = a - b;
  if (std::isinf(r) && !std::isinf(a) && !std::isinf(b)) Overflow();
  return r;
}
double Mul(double a, double b) {
  const double r = a * b;
  if (std::isinf(r) && !std::isinf(a) && !std::isinf(b)) Overflow();
  if (r == 0.0 && a != 0.0 && b != 0.0) Underflow();
  return r;
}
double Div(double a, double b) {
  if (b == 0.0 && !std::isnan(a)) Throw(SqlState::kDivisionByZero, "division by zero");
  const double r = a / b;
  if (std::isinf(r) && !std::isinf(a)) Overflow();
  if (r == 0.0 && a != 0.0 && !std::isinf(b)) Underflow();
  return r;
}

// pg_hypot: the hypotenuse without undue overflow or underflow.
double Hypot(double x, double y) {
  if (std::isinf(x) || std::isinf(y)) return HUGE_VAL;
  if (std::isnan(x) || std::isnan(y)) return std::nan("");
  x = std::fabs(x);
  y = std::fabs(y);
  if (x < y) std::swap(x, y);
  if (y == 0.0) return x;
  const double yx = y / x;
  const double r = x * std::sqrt(1.0 + (yx * yx));
  if (std::isinf(r)) Overflow();
  if (r == 0.0) Underflow();
  return r;
}

void PointIn(std::string_view text, const FormatOptions&, Value* out) {
  const Point p = ParsePoint(text);
  out->i = std::bit_cast<int64_t>(p.x);
  out->i2 = std::bit_cast<int64_t>(p.y);
}
std::string PointOut(const Value& v, const FormatOptions& opts) {
  return FormatPoint(PointOf(v), opts.extra_float_digits);
}
// point has no btree operator class: the binder rejects `=`, ordering and grouping of points
// (planner/type_rules.cpp). This order and hash of the bits serve only the engine's own
// bookkeeping (a value held in a hash table or sorted run), never a query's answer.
int PointCompare(int64_t a, int64_t a2, int64_t b, int64_t b2) {
  if (a != b) return a < b ? -1 : 1;
  return a2 < b2 ? -1 : (a2 > b2 ? 1 : 0);
}
uint64_t PointHash(int64_t w, int64_t w2) {
  uint64_t x = static_cast<uint64_t>(w) * 0x9e3779b97f4a7c15ULL ^ static_cast<uint64_t>(w2);
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}
void PointKey(const Value& v, std::string* out) {
  for (const int64_t w : {v.i, v.i2}) {
    const uint64_t u = static_cast<uint64_t>(w) ^ (uint64_t{1} << 63);
    for (int k = 7; k >= 0; --k) out->push_back(static_cast<char>(u >> (8 * k)));
  }
}

}  // namespace

const TypeMethods kPointMethods = {PointIn, PointOut, PointCompare, PointHash, PointKey};

Point ParsePoint(std::string_view text) {
  auto bad = [&]() {
    Throw(SqlState::kInvalidTextRepresentation, "invalid input syntax for type point: \"{}\"",
          text);
  };
  // pair_decode: [ws] ['('] x ',' y [')' [ws]], each number with the white space around it.
  size_t p = 0;
  while (p < text.size() && IsSpace(text[p])) ++p;
  const bool delim = p < text.size() && text[p] == '(';
  if (delim) ++p;
  Point pt;
  pt.x = ParseFloat8Prefix(text, &p, "point", text);
  if (p >= text.size() || text[p] != ',') bad();
  ++p;
  pt.y = ParseFloat8Prefix(text, &p, "point", text);
  if (delim) {
    if (p >= text.size() || text[p] != ')') bad();
    ++p;
    while (p < text.size() && IsSpace(text[p])) ++p;
  }
  if (p != text.size()) bad();
  return pt;
}

std::string FormatPoint(const Point& p, int extra_float_digits) {
  return "(" + FormatFloat8(p.x, extra_float_digits) + "," + FormatFloat8(p.y, extra_float_digits) +
         ")";
}

Value PointValue(const Point& p) {
  Value v;
  v.type = Type::Of(kPointType);
  v.is_null = false;
  v.i = std::bit_cast<int64_t>(p.x);
  v.i2 = std::bit_cast<int64_t>(p.y);
  return v;
}

Point PointOf(const Value& v) {
  return Point{std::bit_cast<double>(v.i), std::bit_cast<double>(v.i2)};
}

Point PointAdd(const Point& a, const Point& b) { return {Pl(a.x, b.x), Pl(a.y, b.y)}; }
Point PointSub(const Point& a, const Point& b) { return {Mi(a.x, b.x), Mi(a.y, b.y)}; }
Point PointMul(const Point& a, const Point& b) {
  return {Mi(Mul(a.x, b.x), Mul(a.y, b.y)), Pl(Mul(a.x, b.y), Mul(a.y, b.x))};
}
Point PointDiv(const Point& a, const Point& b) {
  const double div = Pl(Mul(b.x, b.x), Mul(b.y, b.y));
  const double x = Div(Pl(Mul(a.x, b.x), Mul(a.y, b.y)), div);
  const double y = Div(Mi(Mul(a.y, b.x), Mul(a.x, b.y)), div);
  return {x, y};
}
double PointDistance(const Point& a, const Point& b) { return Hypot(Mi(a.x, b.x), Mi(a.y, b.y)); }
double PointSlope(const Point& a, const Point& b) {
  if (FPeq(a.x, b.x)) return HUGE_VAL;
  if (FPeq(a.y, b.y)) return 0.0;
  return Div(Mi(a.y, b.y), Mi(a.x, b.x));
}
bool PointEq(const Point& a, const Point& b) {
  if (std::isnan(a.x) || std::isnan(a.y) || std::isnan(b.x) || std::isnan(b.y)) {
    return Float8Eq(a.x, b.x) && Float8Eq(a.y, b.y);
  }
  return FPeq(a.x, b.x) && FPeq(a.y, b.y);
}
bool PointLeft(const Point& a, const Point& b) { return FPlt(a.x, b.x); }
bool PointRight(const Point& a, const Point& b) { return FPgt(a.x, b.x); }
bool PointAbove(const Point& a, const Point& b) { return FPgt(a.y, b.y); }
bool PointBelow(const Point& a, const Point& b) { return FPlt(a.y, b.y); }
bool PointVertical(const Point& a, const Point& b) { return FPeq(a.x, b.x); }
bool PointHorizontal(const Point& a, const Point& b) { return FPeq(a.y, b.y); }

const char* PointOperatorFunction(std::string_view op, TypeId* result) {
  struct Row {
    std::string_view op;
    const char* fn;
    TypeId result;
  };
  // pg_operator's rows with point on both sides (PostgreSQL 15).
  static constexpr Row kRows[] = {
      {"+", "point_add", kPointType},
      {"-", "point_sub", kPointType},
      {"*", "point_mul", kPointType},
      {"/", "point_div", kPointType},
      {"<->", "point_distance", TypeId::kFloat64},
      {"~=", "point_eq", TypeId::kBool},
      {"<>", "point_ne", TypeId::kBool},
      {"<<", "point_left", TypeId::kBool},
      {">>", "point_right", TypeId::kBool},
      {">^", "point_above", TypeId::kBool},
      {"|>>", "point_above", TypeId::kBool},
      {"<^", "point_below", TypeId::kBool},
      {"<<|", "point_below", TypeId::kBool},
      {"?-", "point_horiz", TypeId::kBool},
      {"?|", "point_vert", TypeId::kBool},
  };
  for (const Row& r : kRows) {
    if (r.op == op) {
      *result = r.result;
      return r.fn;
    }
  }
  return nullptr;
}

}  // namespace activestore
