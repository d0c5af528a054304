// PostgreSQL's internal support functions called by name: int4pl(1, 2), date_pli(d, 3),
// texteq(a, b), float8(x) — the implementation functions of the built-in operators
// (pg_operator.oprcode) and casts (pg_cast.castfunc) that pg_proc lists
// (common/builtin_catalog.h). A call of one binds as its operator or cast, chosen from the
// catalog rows (bind_support_function.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "planner/binder.h"

namespace activestore::planner {

// f(args) as the operator or cast that the listed built-in function f (the candidate the
// arguments' types select, by PostgreSQL's func_select_candidate rules as far as they apply
// here) implements: the operator applied to the arguments coerced to its declared types, or
// the explicit cast. nullopt when no listed support function named `name` takes the arguments
// or ActiveStore lacks its operator (the caller raises 42883); 42725 when several fit equally.
// `args` are bound; `locations` their offsets.
std::optional<BoundExprPtr> BindSupportFunctionCall(Binder* binder, const ast::Expr& call,
                                                    const std::string& name,
                                                    const std::vector<BoundExprPtr>& args,
                                                    const std::vector<int>& locations);

// For Binder::BindExpr: the bound expression a placeholder node that BindSupportFunctionCall
// builds stands for (its operator's operands, bound once); null for any other node.
BoundExprPtr PreboundExpr(const ast::Expr& e);

// Registers placeholder nodes for operands bound once (PreboundExpr answers them) while an
// expression built over them is bound; they are forgotten when the scope ends.
class PreboundScope {
 public:
  PreboundScope();
  ~PreboundScope();
  PreboundScope(const PreboundScope&) = delete;
  PreboundScope& operator=(const PreboundScope&) = delete;
  ast::ExprPtr Add(BoundExprPtr e, int location);

 private:
  size_t size_;
};

}  // namespace activestore::planner
