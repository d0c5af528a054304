// Regular-expression operators, VARIADIC calls of the variadic "any" string functions, and
// functions in FROM (see binder.h).
#include <algorithm>

#include "common/array.h"
#include "common/regex.h"
#include "planner/binder.h"
#include "planner/bound_expr_util.h"

namespace activestore::planner {
namespace {

bool IsTextLike(TypeId t) {
  return t == TypeId::kUnknown || CategoryOf(t) == TypeCategory::kString;
}

[[noreturn]] void NoOperator(int location, const std::string& op, Type l, Type r) {
  Error e(SqlState::kUndefinedFunction, fmt::format("operator does not exist: {} {} {}",
                                                    TypeDisplayName(l), op, TypeDisplayName(r)));
  e.Hint(
      "No operator matches the given name and argument types. You might need to add explicit "
      "type casts.");
  if (location >= 0) e.Position(location + 1);
  throw e;
}

}  // namespace

// x ~ p, x ~* p, x !~ p, x !~* p over text (name, char and varchar arrive as text), and
// x [NOT] SIMILAR TO p [ESCAPE e] as PostgreSQL rewrites it: x ~ similar_to_escape(p[, e]),
// the translation done now when p and e are constants (as PostgreSQL's constant folding).
BoundExprPtr Binder::BindRegexOperator(const ast::Expr& e, const std::string& upper) {
  const bool similar = upper.find("SIMILAR") != std::string::npos;
  const bool negated = similar ? upper.rfind("NOT", 0) == 0 : upper[0] == '!';
  const bool icase = !similar && upper.back() == '*';
  BoundExprPtr l = BindExpr(*e.args[0]);
  BoundExprPtr r = BindExpr(*e.args[1]);
  const std::string shown = similar ? (negated ? "!~" : "~") : e.op;
  if (!IsTextLike(l->type.id) || !IsTextLike(r->type.id))
    NoOperator(e.location, shown, l->type, r->type);
  const Type text = T(TypeId::kText);
  // char(n) is matched with its padding (PostgreSQL's bpcharregexeq reads the stored value).
  if (l->type.id != TypeId::kBpchar) {
    l = Coerce(l, text, CoercionContext::kImplicit, e.args[0]->location);
  }
  r = Coerce(r, text, CoercionContext::kImplicit, e.args[1]->location);
  if (similar) {
    std::vector<BoundExprPtr> args = {r};
    if (e.args.size() > 2) {
      BoundExprPtr esc = BindExpr(*e.args[2]);
      if (!IsTextLike(esc->type.id)) {
        ThrowNoFunction(e.args[2]->location, "similar_to_escape", {r, esc});
      }
      args.push_back(Coerce(esc, text, CoercionContext::kImplicit, e.args[2]->location));
    }
    bool all_const = std::all_of(args.begin(), args.end(), [](const BoundExprPtr& a) {
      return a->kind == BoundExprKind::kConstant;
    });
    r = nullptr;
    if (all_const) {
      if (std::any_of(args.begin(), args.end(),
                      [](const BoundExprPtr& a) { return a->value.is_null; })) {
        r = MakeConst(Value::Null(text));
      } else {
        try {
          r = MakeConst(Value::Text(regex::SimilarToEscape(
              args[0]->value.s, args.size() > 1 ? &args[1]->value.s : nullptr)));
        } catch (const Error&) {
          // Raised at execution, if the row is evaluated at all.
        }
      }
    }
    if (r == nullptr)
      r = MakeExpr(BoundExprKind::kFunction, text, std::move(args), "similar_to_escape");
  }
  const char* fn = icase ? (negated ? "texticregexne" : "texticregexeq")
                         : (negated ? "textregexne" : "textregexeq");
  return MakeExpr(BoundExprKind::kFunction, T(TypeId::kBool), {l, r}, fn);
}

// concat(VARIADIC a), concat_ws(sep, VARIADIC a), format(fmt, VARIADIC a): the array's
// elements are the variadic arguments (executor: "<name>_variadic").
BoundExprPtr Binder::BindVariadicCall(const ast::Expr& e, const std::string& name) {
  std::vector<BoundExprPtr> args;
  for (const auto& a : e.args) args.push_back(BindExpr(*a));
  if (IsJsonFunctionName(name)) {
    std::vector<int> locs;
    for (const auto& a : e.args) locs.push_back(a->location);
    return BindJsonFunction(e, name, std::move(args), locs);
  }
  const size_t fixed = name == "concat" ? 0 : 1;
  if ((name != "concat" && name != "concat_ws" && name != "format") || e.distinct || e.filter ||
      e.star || !e.agg_order_by.empty()) {
    ThrowAt(e.location, SqlState::kFeatureNotSupported, "VARIADIC is not supported for {}()", name);
  }
  const BoundExprPtr& last = args.back();
  if (!IsArrayType(last->type.id)) {
    ThrowAt(e.args.back()->location, SqlState::kDatatypeMismatch,
            "VARIADIC argument must be an array");
  }
  if (args.size() != fixed + 1) ThrowNoFunction(e.location, name, args);
  for (size_t i = 0; i < fixed; ++i) {
    if (!IsTextLike(args[i]->type.id)) ThrowNoFunction(e.location, name, args);
    args[i] = Coerce(args[i], T(TypeId::kText), CoercionContext::kImplicit, e.args[i]->location);
  }
  return MakeExpr(BoundExprKind::kFunction, T(TypeId::kText), std::move(args), name + "_variadic");
}

BoundExprPtr Binder::BindNamedStringCall(const ast::Expr& e, const std::string& name) {
  static const std::vector<std::string> kParams = {"str", "strict"};
  std::vector<const ast::Expr*> slots(kParams.size(), nullptr);
  std::vector<BoundExprPtr> bound;
  std::vector<std::string> shown;
  bool ok = e.args.size() <= kParams.size();
  for (size_t i = 0; i < e.args.size(); ++i) {
    bound.push_back(BindExpr(*e.args[i]));
    std::string t = TypeDisplayName(bound.back()->type);
    shown.push_back(e.arg_names[i].empty() ? t : e.arg_names[i] + " => " + t);
    size_t slot = i;
    if (!e.arg_names[i].empty()) {
      slot = std::find(kParams.begin(), kParams.end(), e.arg_names[i]) - kParams.begin();
    }
    if (slot >= kParams.size() || slots[slot] != nullptr) {
      ok = false;
    } else {
      slots[slot] = e.args[i].get();
    }
  }
  if (!ok || slots[0] == nullptr) ThrowNoFunction(e.location, name, shown);
  std::vector<BoundExprPtr> args;
  std::vector<int> locs;
  for (size_t k = 0; k < slots.size() && slots[k] != nullptr; ++k) {
    for (size_t i = 0; i < e.args.size(); ++i) {
      if (e.args[i].get() == slots[k]) {
        args.push_back(bound[i]);
        locs.push_back(e.args[i]->location);
      }
    }
  }
  return BindScalarFunction(e, name, std::move(args), locs);
}

// FROM f(...): any function. A set-returning call (regexp_matches, ...) gives its rows, another
// call one row with its value, as PostgreSQL's FunctionScan; a row-valued result with known
// fields becomes one column per field, an anonymous record needs a column definition list
// (each value then checked against it when read: executor/operators/function_scan.cpp). The
// arguments see the earlier FROM items (BindFunctionScan); a set-returning call below the top is
// 0A000.
std::shared_ptr<PlanNode> Binder::BindCallScan(const FromFunction& ff) {
  const ast::Expr& f = *ff.call;
  BoundExprPtr call = BindExpr(f);
  if (call->user_function) return BindUserFunctionScan(ff, call);
  VisitExpr(call, [&](const BoundExpr& n, int depth) {
    if (&n != call.get() && depth == 0 && IsSetReturningCall(n)) {
      ThrowAt(f.location, SqlState::kFeatureNotSupported,
              "set-returning functions must appear at top level of FROM");
    }
  });
  if (call->type.id == TypeId::kUnknown) {
    call = Coerce(call, T(TypeId::kText), CoercionContext::kImplicit, f.location);
  }
  auto plan = std::make_shared<PlanNode>();
  plan->kind = PlanKind::kFunctionScan;
  plan->function_name = "call";
  plan->exprs = {call};
  // A function whose rows have named columns (a blessed record, a composite type) gives them
  // as columns, as PostgreSQL's FunctionScan expands a composite result. Another record-typed
  // expression (`coalesce(r)`) is an anonymous record, as for PostgreSQL.
  const bool anonymous = call->type.id == kRecordType && call->kind != BoundExprKind::kFunction;
  const std::vector<CompositeField>* fields = anonymous ? nullptr : FieldsOfType(call->type);
  if (fields != nullptr) {
    if (ff.column_defs != nullptr) {
      ThrowAt(ff.column_defs->front().location, SqlState::kSyntaxError, "{}",
              call->type.id == kRecordType
                  ? "a column definition list is redundant for a function with OUT parameters"
                  : "a column definition list is redundant for a function returning a named "
                    "composite type");
    }
    for (const CompositeField& c : *fields) {
      plan->output_types.push_back(c.type);
      plan->output_names.push_back(c.name);
    }
    return plan;
  }
  if (call->type.id == kRecordType) {
    if (ff.column_defs == nullptr) ThrowColumnDefsRequired(f.location);
    ApplyColumnDefs(*ff.column_defs, plan.get());
    return plan;
  }
  if (ff.column_defs != nullptr) {
    ThrowAt(ff.column_defs->front().location, SqlState::kSyntaxError,
            "a column definition list is only allowed for functions returning \"record\"");
  }
  return ScalarFunctionScan(std::move(plan), call->type, ff);
}

}  // namespace activestore::planner
