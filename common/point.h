// point (600, `point[]` 1017): PostgreSQL's geometric point, two float8 coordinates. Input as
// point_in (pair_decode: `(x,y)` or `x,y` with white space anywhere between the parts, each
// number read as float8in reads it), output as point_out (`(x,y)`, each coordinate as float8out
// under extra_float_digits), and the point operators of geo_ops.c with their fuzzy comparisons
// (EPSILON 1e-6: `~=`, `<>`, `<<`, `>>`, `<^`, `>^`, `?-`, `?|`) and float8 arithmetic with
// PostgreSQL's overflow, underflow and division-by-zero errors. Category G (geometric): no btree
// operator class, so no `=`, `<`, ordering, grouping or keys, as in PostgreSQL 15.
// Stateless and thread-safe.
//
// Representation: ValueLayout::kInt64Pair, Value::i = the bits of x and Value::i2 = the bits of y.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/types.h"

namespace activestore {

struct TypeMethods;
struct Value;

inline constexpr TypeId kPointType = TypeId{600};
inline constexpr TypeId kPointArrayType = TypeId{1017};

struct Point {
  double x = 0;
  double y = 0;
};

// point_in: 22P02 `invalid input syntax for type point: "x"`, 22003 for a coordinate out of range.
Point ParsePoint(std::string_view text);
// point_out: "(x,y)".
std::string FormatPoint(const Point& p, int extra_float_digits = 1);
Value PointValue(const Point& p);
Point PointOf(const Value& v);  // REQUIRES: v is a non-NULL point

// geo_ops.c's point functions (the operators' oprcode).
Point PointAdd(const Point& a, const Point& b);        // +
Point PointSub(const Point& a, const Point& b);        // -
Point PointMul(const Point& a, const Point& b);        // * (complex multiplication)
Point PointDiv(const Point& a, const Point& b);        // / (complex division; 22012 by (0,0))
double PointDistance(const Point& a, const Point& b);  // <-> (pg_hypot)
double PointSlope(const Point& a, const Point& b);     // slope(): Infinity when vertical
bool PointEq(const Point& a, const Point& b);          // ~= (exact when a NaN is involved)
bool PointLeft(const Point& a, const Point& b);        // <<
bool PointRight(const Point& a, const Point& b);       // >>
bool PointAbove(const Point& a, const Point& b);       // >^ and |>>
bool PointBelow(const Point& a, const Point& b);       // <^ and <<|
bool PointVertical(const Point& a, const Point& b);    // ?| (isvertical)
bool PointHorizontal(const Point& a, const Point& b);  // ?- (ishorizontal)

// The operator text's function (point_add, point_distance, point_eq, point_left, ...) for the
// point op point operators of PostgreSQL 15, or null if there is none; *result is its type.
const char* PointOperatorFunction(std::string_view op, TypeId* result);

extern const TypeMethods kPointMethods;

}  // namespace activestore
