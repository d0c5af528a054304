#include "executor/geometry_functions.h"

#include "common/error.h"
#include "common/point.h"

namespace activestore::executor {
namespace {

using Args = std::vector<Value>;
using planner::BoundExpr;

template <Point (*F)(const Point&, const Point&)>
Value PointOp(const Args& a, const BoundExpr&, ExecState&) {
  return PointValue(F(PointOf(a[0]), PointOf(a[1])));
}
template <bool (*F)(const Point&, const Point&)>
Value PointTest(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Bool(F(PointOf(a[0]), PointOf(a[1])));
}
template <double (*F)(const Point&, const Point&)>
Value PointMeasure(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Float64(F(PointOf(a[0]), PointOf(a[1])));
}
bool PointNe(const Point& a, const Point& b) { return !PointEq(a, b); }

// point(float8, float8) (construct_point).
Value FnPoint(const Args& a, const BoundExpr&, ExecState&) { return PointValue({a[0].f, a[1].f}); }

// p[i]: a point is a fixed-length array of two float8s with lower bound 0; any other subscript,
// or more than one, reads NULL (array_get_element).
Value FnPointSubscript(const Args& a, const BoundExpr&, ExecState&) {
  if (a.size() != 2 || a[1].i < 0 || a[1].i > 1) return Value::Null(Type::Of(TypeId::kFloat64));
  const Point p = PointOf(a[0]);
  return Value::Float64(a[1].i == 0 ? p.x : p.y);
}

// p[i] = x (array_subscript_assign on a fixed-length array): a NULL point or value leaves the
// point as it was; a NULL subscript, more than one, or one outside 0..1 is an error.
// args: the point, the value, the subscripts.
Value FnPointSetElement(const Args& a, const BoundExpr&, ExecState&) {
  for (size_t k = 2; k < a.size(); ++k) {
    if (a[k].is_null) {
      Throw(SqlState::kNullValueNotAllowed, "array subscript in assignment must not be null");
    }
  }
  if (a[0].is_null || a[1].is_null) return a[0];
  if (a.size() != 3) Throw(SqlState::kArraySubscriptError, "wrong number of array subscripts");
  if (a[2].i < 0 || a[2].i > 1)
    Throw(SqlState::kArraySubscriptError, "array subscript out of range");
  Point p = PointOf(a[0]);
  (a[2].i == 0 ? p.x : p.y) = a[1].f;
  return PointValue(p);
}

}  // namespace

const std::vector<StringFunctionEntry>& GeometryFunctionEntries() {
  static const std::vector<StringFunctionEntry> kEntries = {
      {"point", FnPoint, true},
      {"point_add", PointOp<PointAdd>, true},
      {"point_sub", PointOp<PointSub>, true},
      {"point_mul", PointOp<PointMul>, true},
      {"point_div", PointOp<PointDiv>, true},
      {"point_distance", PointMeasure<PointDistance>, true},
      {"slope", PointMeasure<PointSlope>, true},
      {"point_eq", PointTest<PointEq>, true},
      {"point_ne", PointTest<PointNe>, true},
      {"point_left", PointTest<PointLeft>, true},
      {"point_right", PointTest<PointRight>, true},
      {"point_above", PointTest<PointAbove>, true},
      {"point_below", PointTest<PointBelow>, true},
      {"point_vert", PointTest<PointVertical>, true},
      {"point_horiz", PointTest<PointHorizontal>, true},
      {"point_subscript", FnPointSubscript, true},
      {"point_set_element", FnPointSetElement, false},
  };
  return kEntries;
}

}  // namespace activestore::executor
