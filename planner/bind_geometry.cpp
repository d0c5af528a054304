// The geometric type point in the binder: its operators resolved to the functions PostgreSQL
// 15's pg_operator rows name (point + point is point_add, <-> point_distance, ~= point_eq, ...),
// its subscripts p[0] and p[1] (raw_array_subscript_handler: a fixed-length array of two
// float8s) and their assignment. The executor's side is executor/geometry_functions.cpp; the
// type itself is common/point.h.
#include <string>

#include "common/point.h"
#include "planner/binder.h"
#include "planner/bound_expr_util.h"

namespace activestore::planner {
namespace {

bool IsGeometric(TypeId t) { return CategoryOf(t) == TypeCategory::kGeometric; }

// Operators that only the geometric types have (so two non-geometric operands have none).
bool GeometricOnly(const std::string& op) {
  return op == "<->" || op == "~=" || op == "<^" || op == ">^" || op == "<<|" || op == "|>>" ||
         op == "?-";
}

}  // namespace

BoundExprPtr Binder::BindGeometricOperator(const std::string& op, BoundExprPtr l, BoundExprPtr r,
                                           int location, int lloc, int rloc) {
  const TypeId li = l->type.id, ri = r->type.id;
  if (!IsGeometric(li) && !IsGeometric(ri) && !GeometricOnly(op)) return nullptr;
  const bool lu = li == TypeId::kUnknown, ru = ri == TypeId::kUnknown;
  if (lu && ru && op != "?-") {
    // PostgreSQL has the operator for several geometric types (point, box, lseg, ...): two
    // unknown operands match them all. `?-` has one binary form, point ?- point.
    ThrowUnknownOperatorNotUnique(location, op);
  }
  TypeId result;
  const char* fn = PointOperatorFunction(op, &result);
  if (fn == nullptr || (!IsGeometric(li) && !lu) || (!IsGeometric(ri) && !ru)) {
    ThrowNoOperator(location, op, l->type, r->type);
  }
  const Type point = T(kPointType);
  return Fold(MakeExpr(BoundExprKind::kFunction, T(result),
                       {Coerce(l, point, CoercionContext::kImplicit, lloc >= 0 ? lloc : location),
                        Coerce(r, point, CoercionContext::kImplicit, rloc >= 0 ? rloc : location)},
                       fn));
}

BoundExprPtr Binder::BindPointSubscript(const ast::Expr& e, BoundExprPtr base) {
  for (bool slice : e.subscript_slices) {
    if (slice) {  // (raw_array_subscript_handler's error carries no position)
      Throw(SqlState::kFeatureNotSupported, "slices of fixed-length arrays not implemented");
    }
  }
  std::vector<BoundExprPtr> children = {std::move(base)};
  for (size_t k = 0; k < e.subscript_slices.size(); ++k) {
    const ast::ExprPtr& x = e.args[1 + 2 * k] ? e.args[1 + 2 * k] : e.args[2 + 2 * k];
    BoundExprPtr b = BindExpr(*x);
    if (b->type.id != TypeId::kUnknown &&
        !CanCoerce(b->type.id, TypeId::kInt32, CoercionContext::kAssignment)) {
      ThrowAt(x->location, SqlState::kDatatypeMismatch, "array subscript must have type integer");
    }
    children.push_back(Coerce(b, T(TypeId::kInt32), CoercionContext::kAssignment, x->location));
  }
  // More than one subscript of a fixed-length array reads NULL (array_get_element).
  return MakeExpr(BoundExprKind::kFunction, T(TypeId::kFloat64), std::move(children),
                  "point_subscript");
}

BoundExprPtr Binder::BindPointAssignment(const ast::Expr& e, BoundExprPtr base,
                                         const std::string& name, BoundExprPtr value,
                                         int value_location) {
  for (bool slice : e.subscript_slices) {
    if (slice) {
      ThrowAt(e.location, SqlState::kFeatureNotSupported,
              "slices of fixed-length arrays not implemented");
    }
  }
  const Type f8 = T(TypeId::kFloat64);
  if (!value) {
    value = BindExpr(*e.args[0]);
    value_location = e.args[0]->location;
  }
  if (value->type.id != TypeId::kUnknown &&
      !CanCoerce(value->type.id, TypeId::kFloat64, CoercionContext::kAssignment)) {
    ThrowSubscriptAssignmentType(e.location, name, f8, value->type);
  }
  std::vector<BoundExprPtr> children = {
      std::move(base), Coerce(value, f8, CoercionContext::kAssignment, value_location)};
  for (size_t k = 0; k < e.subscript_slices.size(); ++k) {
    const ast::ExprPtr& x = e.args[1 + 2 * k] ? e.args[1 + 2 * k] : e.args[2 + 2 * k];
    children.push_back(
        Coerce(BindExpr(*x), T(TypeId::kInt32), CoercionContext::kAssignment, x->location));
  }
  return MakeExpr(BoundExprKind::kFunction, T(kPointType), std::move(children),
                  "point_set_element");
}

}  // namespace activestore::planner
