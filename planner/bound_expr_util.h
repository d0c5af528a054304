// Helpers over bound expressions and plans: constructors, structural equality, column
// collection, and the rewriting machinery that moves an expression from one row layout to
// another (including the correlated references inside its subqueries).
//
// Everything here is pure: inputs are immutable and results are new trees sharing unchanged
// subtrees. Thread-compatible.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"
#include "planner/plan.h"

namespace activestore::planner {

BoundExprPtr MakeConst(Value v);
BoundExprPtr MakeColumn(int index, Type type);
BoundExprPtr MakeExpr(BoundExprKind kind, Type type, std::vector<BoundExprPtr> children,
                      std::string op = "");
inline Type T(TypeId id) { return Type::Of(id); }

bool IsConst(const BoundExprPtr& e);
bool IsNullConst(const BoundExprPtr& e);

// Whether e itself calls a VOLATILE function (random(), nextval(), a user function declared
// VOLATILE, ...); ContainsVolatile: anywhere in e, subqueries included.
bool IsVolatileCall(const BoundExpr& e);
bool ContainsVolatile(const BoundExprPtr& e);

// Structural equality (subqueries compare by identity). Used to match GROUP BY expressions.
bool ExprEquals(const BoundExprPtr& a, const BoundExprPtr& b);

// Calls fn(expr, depth) for every node of the tree, descending into subquery plans with
// depth + 1 (depth 0 = the expression's own level).
void VisitExpr(const BoundExprPtr& e, const std::function<void(const BoundExpr&, int)>& fn,
               int depth = 0);
void VisitPlan(const PlanPtr& p, const std::function<void(const BoundExpr&, int)>& fn, int depth);

// Rewriter: fn returns a replacement for a node or nullptr to keep it and descend.
// `descend_all_subqueries` = false only walks into correlated subqueries.
using ExprRewriteFn = std::function<BoundExprPtr(const BoundExpr&, int depth)>;
BoundExprPtr RewriteExpr(const BoundExprPtr& e, const ExprRewriteFn& fn,
                         bool descend_all_subqueries, int depth = 0);
PlanPtr RewritePlan(const PlanPtr& p, const ExprRewriteFn& fn, bool descend_all_subqueries,
                    int depth);

// Moves an expression to a new row layout: every reference to column c of this level (kColumn
// at depth 0, kOuterColumn with outer_depth == depth inside subqueries) becomes map(c).
// map returns -1 for a column that is not available: XX000.
BoundExprPtr RemapColumns(const BoundExprPtr& e, const std::function<int(int)>& map);
// Moves an expression one query level deeper (into a plan that runs below its own, as a
// LATERAL item's does): every reference to an enclosing query (kOuterColumn with outer_depth
// > depth) gets one level further out. Its own level's columns stay.
BoundExprPtr DeepenOuterReferences(const BoundExprPtr& e);

// The columns of this level referenced by e (kColumn, and matching kOuterColumn inside
// correlated subqueries).
void CollectColumns(const BoundExprPtr& e, std::set<int>* out);
// True if e contains no column of this level, no subquery, no volatile function: a value
// computable before reading any row (constants, params, outer columns, casts/arith of those).
bool IsRowIndependent(const BoundExprPtr& e);
bool ContainsSubquery(const BoundExprPtr& e);

// Splits an AND tree into conjuncts.
void SplitConjuncts(const BoundExprPtr& e, std::vector<BoundExprPtr>* out);
BoundExprPtr MakeAnd(std::vector<BoundExprPtr> conjuncts);  // null when empty

// Throws Error with Position(location + 1) when location >= 0.
template <typename... Args>
[[noreturn]] void ThrowAt(int location, SqlState state, fmt::format_string<Args...> f,
                          Args&&... args) {
  Error e(state, fmt::format(f, std::forward<Args>(args)...));
  if (location >= 0) e.Position(location + 1);
  throw e;
}

}  // namespace activestore::planner
