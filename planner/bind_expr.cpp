// Expression binding: names, literals, operators, functions, aggregates, subqueries, with
// PostgreSQL's typing rules (parse_expr.c, parse_oper.c, parse_func.c, parse_coerce.c).
#include <algorithm>
#include <charconv>
#include <limits>
#include <set>

#include "common/aclitem.h"
#include "common/array.h"
#include "common/composite.h"
#include "common/cstring_type.h"
#include "common/json.h"
#include "common/jsonpath.h"
#include "common/pg_lsn.h"
#include "common/point.h"
#include "common/reg_types.h"
#include "common/stack_depth.h"
#include "common/system_id_types.h"
#include "common/user_types.h"
#include "common/value_ops.h"
#include "planner/binder.h"
#include "planner/sql_quote.h"
#include "planner/support_functions.h"
#include "planner/user_functions.h"

namespace activestore::planner {

namespace {

const char* kOperatorHint =
    "No operator matches the given name and argument types. You might need to add explicit "
    "type casts.";
// A prefix operator's (op_error for a one-argument operator).
const char* kPrefixOperatorHint =
    "No operator matches the given name and argument type. You might need to add an explicit "
    "type cast.";
const char* kFunctionHint =
    "No function matches the given name and argument types. You might need to add explicit "
    "type casts.";

// corr, covar_*, regr_*: two float8 arguments (Y, X).
std::optional<AggKind> RegressionAggregate(const std::string& n) {
  static const std::pair<const char*, AggKind> kNames[] = {
      {"corr", AggKind::kCorr},
      {"covar_pop", AggKind::kCovarPop},
      {"covar_samp", AggKind::kCovarSamp},
      {"regr_avgx", AggKind::kRegrAvgX},
      {"regr_avgy", AggKind::kRegrAvgY},
      {"regr_count", AggKind::kRegrCount},
      {"regr_intercept", AggKind::kRegrIntercept},
      {"regr_r2", AggKind::kRegrR2},
      {"regr_slope", AggKind::kRegrSlope},
      {"regr_sxx", AggKind::kRegrSxx},
      {"regr_sxy", AggKind::kRegrSxy},
      {"regr_syy", AggKind::kRegrSyy},
  };
  for (const auto& [name, kind] : kNames)
    if (n == name) return kind;
  return std::nullopt;
}

bool IsAggregateName(const std::string& n) {
  return n == "count" || n == "sum" || n == "avg" || n == "min" || n == "max" || n == "bool_and" ||
         n == "bool_or" || n == "every" || n == "string_agg" || n == "array_agg" ||
         n == "variance" || n == "var_samp" || n == "var_pop" || n == "stddev" ||
         n == "stddev_samp" || n == "stddev_pop" || n == "bit_and" || n == "bit_or" ||
         n == "bit_xor" || n == "first" || n == "last" || n == "histogram" ||
         RegressionAggregate(n).has_value() || IsJsonAggregateName(n);
}

// Functions written without parentheses in SQL (parsed as column references or calls).
bool IsSqlValueFunction(const std::string& n) {
  return n == "current_date" || n == "current_timestamp" || n == "localtimestamp" ||
         n == "current_time" || n == "localtime" || n == "current_user" || n == "session_user" ||
         n == "user" || n == "current_schema" || n == "current_catalog" || n == "current_role";
}

// Attaches a position to errors raised while evaluating at plan time (literal input).
template <typename F>
auto WithPosition(int location, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (Error& e) {
    if (!e.position && location >= 0) e.Position(location + 1);
    throw;
  }
}

bool IsStringish(TypeId id) { return CategoryOf(id) == TypeCategory::kString; }

bool IsTimeOfDay(TypeId id) { return id == TypeId::kTime || id == TypeId::kTimeTz; }

// oid, money, "char": registry types with hooks whose operators are their own (oid and money
// are category N in pg_type, but not numbers of the number paths).
// PostgreSQL's system columns other than tableoid: pg_attribute lists them (attnum -1 .. -5),
// but a table here has no heap tuple to take them from, so a reference to one is 0A000 (not
// 42703: the column exists, as in PostgreSQL).
void ThrowIfUnsupportedSystemColumn(int location, const std::string& name) {
  if (name == "ctid" || name == "xmin" || name == "cmin" || name == "xmax" || name == "cmax") {
    ThrowAt(location, SqlState::kFeatureNotSupported, "system column \"{}\" is not supported",
            name);
  }
}

// A table's range (not a view's, a subquery's or a function's).
bool HasSystemColumns(const RangeEntry& r) { return r.table != nullptr && !r.table->is_view; }

bool IsSystemIdType(TypeId id) {
  return id == kXidType || id == kCidType || id == kTidType || id == kXid8Type ||
         id == kAclItemType;
}

bool HasOwnOperators(TypeId id) {
  return id == TypeId::kOid || id == TypeId::kMoney || id == TypeId::kChar || IsRegType(id);
}

}  // namespace

[[noreturn]] void ThrowSubscriptAssignmentType(int location, const std::string& name, Type want,
                                               Type got) {
  throw Error(SqlState::kDatatypeMismatch,
              fmt::format("subscripted assignment to \"{}\" requires type {} but expression is of "
                          "type {}",
                          name, TypeDisplayName(want), TypeDisplayName(got)))
      .Hint("You will need to rewrite or cast the expression.")
      .Position(location + 1);
}

[[noreturn]] void ThrowUnknownOperatorNotUnique(int location, const std::string& op) {
  Error err(SqlState::kAmbiguousFunction,
            fmt::format("operator is not unique: unknown {} unknown", op));
  err.Hint(
      "Could not choose a best candidate operator. You might need to add explicit type casts.");
  if (location >= 0) err.Position(location + 1);
  throw err;
}

[[noreturn]] void ThrowNoOperator(int location, const std::string& op, Type l, Type r) {
  Error e(SqlState::kUndefinedFunction, fmt::format("operator does not exist: {} {} {}",
                                                    TypeDisplayName(l), op, TypeDisplayName(r)));
  e.Hint(kOperatorHint);
  if (location >= 0) e.Position(location + 1);
  throw e;
}

const char* ClauseName(Clause c) {
  switch (c) {
    case Clause::kWhere:
      return "WHERE";
    case Clause::kJoinOn:
      return "JOIN conditions";
    case Clause::kGroupBy:
      return "GROUP BY";
    case Clause::kHaving:
      return "HAVING";
    case Clause::kLimit:
      return "LIMIT";
    case Clause::kOffset:
      return "OFFSET";
    case Clause::kValues:
      return "VALUES";
    case Clause::kReturning:
      return "RETURNING";
    case Clause::kDefault:
      return "DEFAULT expressions";
    case Clause::kUpdateSet:
      return "UPDATE";
    case Clause::kFromFunction:
      return "functions in FROM";
    case Clause::kFilter:
      return "FILTER";
    case Clause::kCheck:
      return "check constraints";
    case Clause::kIndexExpression:
      return "index expressions";
    case Clause::kIndexPredicate:
      return "index predicates";
    case Clause::kMergeWhen:
      return "MERGE WHEN conditions";
    case Clause::kGenerated:
      return "column generation expressions";
    default:
      return "this context";
  }
}

// A type's name without its modifier, as PostgreSQL's error messages show it.
std::string TypeDisplayName(Type t) { return TypeName(Type::Of(t.id)); }

void ThrowNoFunction(int location, const std::string& name, const std::vector<BoundExprPtr>& args) {
  std::vector<std::string> tn;
  for (const auto& a : args) tn.push_back(TypeDisplayName(a->type));
  ThrowNoFunction(location, name, tn);
}

void ThrowNoFunction(int location, const std::string& name, const std::vector<std::string>& shown) {
  Error err(SqlState::kUndefinedFunction,
            fmt::format("function {}({}) does not exist", name, fmt::join(shown, ", ")));
  err.Hint(kFunctionHint);
  if (location >= 0) err.Position(location + 1);
  throw err;
}

Binder::Binder(PlannerContext* ctx, Binder* parent, Binder* lexical, Binder* derived_of)
    : ctx_(ctx), parent_(parent), lexical_(lexical), derived_of_(derived_of) {}

// ---------------------------------------------------------------------------------------------
// Coercion

BoundExprPtr Binder::Fold(BoundExprPtr e) {
  for (const auto& c : e->children)
    if (!IsConst(c)) return e;
  // Time zone dependent conversions are left to execution (the session's TimeZone).
  for (const auto& c : e->children) {
    if (c->type.id == TypeId::kTimestampTz && e->type.id != TypeId::kTimestampTz) return e;
  }
  if (e->type.id == TypeId::kTimestampTz && !e->children.empty() &&
      e->children[0]->type.id != TypeId::kTimestampTz) {
    return e;
  }
  // time -> timetz takes the session zone's offset on the current date.
  if (e->type.id == TypeId::kTimeTz && !e->children.empty() &&
      e->children[0]->type.id != TypeId::kTimeTz) {
    return e;
  }
  // timestamptz +- interval adds days and months in the session's TimeZone.
  if (e->type.id == TypeId::kTimestampTz) {
    for (const auto& c : e->children) {
      if (c->type.id == TypeId::kInterval) return e;
    }
  }
  try {
    switch (e->kind) {
      case BoundExprKind::kCast: {
        const BoundExpr& arg = *e->children[0];
        Value v = CastValue(arg.value, e->type, ctx_->format, e->assignment_cast);
        v.type = e->type;
        BoundExprPtr folded = MakeConst(std::move(v));
        // A typed constant cast to another type: ruleutils prints PostgreSQL's unfolded form,
        // "(0)::numeric" (planner/bind_index.cpp), from the original constant's text kept here.
        if (arg.type.id == TypeId::kUnknown || arg.type.id == e->type.id) return folded;
        auto marked = std::make_shared<BoundExpr>(*folded);
        marked->op =
            std::string(kFoldedCastPrefix) + ConstantSqlText(arg.value, arg.type, ctx_->format);
        return marked;
      }
      case BoundExprKind::kArith: {
        Value v = Arithmetic(e->op, e->children[0]->value, e->children[1]->value);
        if (v.type.id != e->type.id) return e;
        return MakeConst(std::move(v));
      }
      case BoundExprKind::kNegate:
        return MakeConst(Negate(e->children[0]->value));
      default:
        return e;
    }
  } catch (const Error&) {
    return e;  // raised at execution, if the expression is evaluated at all
  }
}

namespace {

// Shared by Coerce and Cast: the conversion node for a non-literal.
BoundExprPtr MakeCastNode(BoundExprPtr e, Type to, bool assignment) {
  auto c = std::make_shared<BoundExpr>();
  c->kind = BoundExprKind::kCast;
  c->type = to;
  c->children = {std::move(e)};
  c->assignment_cast = assignment;
  return c;
}

// A date/time literal whose value depends on the current time.
bool IsDateTimeInputOfNow(TypeId to, std::string_view text) {
  switch (to) {
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimeTz:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      break;
    default:
      return false;
  }
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* w : {"now", "today", "tomorrow", "yesterday"}) {
    if (lower.find(w) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

BoundExprPtr Binder::Coerce(BoundExprPtr e, Type to, CoercionContext context, int location) {
  if (to.id == TypeId::kUnknown) return e;
  if (e->type.id == to.id && (to.typmod < 0 || e->type.typmod == to.typmod)) return e;
  if (e->kind == BoundExprKind::kConstant && e->type.id == TypeId::kUnknown) {
    if (e->value.is_null) return MakeConst(Value::Null(to));
    // As PostgreSQL's coerce_type: the literal is read without the typmod (interval_in reads
    // it with its typmod's fields), then the typmod is applied with the context's rules
    // (an explicit varchar(n) truncates, an assignment raises) — outside the literal's error
    // position, as PostgreSQL's length coercion runs as a function.
    const bool later_typmod = to.typmod >= 0 && to.id != TypeId::kInterval;
    Value v = WithPosition(location, [&] {
      return ParseValue(e->value.s, later_typmod ? Type::Of(to.id) : to, ctx_->format);
    });
    if (later_typmod) {
      v = CastValue(v, to, ctx_->format, context != CoercionContext::kExplicit);
    }
    v.type = to;
    // 'now', 'today', 'tomorrow', 'yesterday' mean the transaction's time: read again when the
    // (cached) plan runs.
    if (IsDateTimeInputOfNow(to.id, e->value.s)) {
      return MakeCastNode(MakeConst(Value::Text(e->value.s)), to, false);
    }
    return MakeConst(std::move(v));
  }
  if (e->kind == BoundExprKind::kParam && e->type.id == TypeId::kUnknown) {
    auto& types = ctx_->param_types;
    Type& slot = types[e->param_index];
    if (slot.id == TypeId::kUnknown) slot = Type::Of(to.id);
    auto p = std::make_shared<BoundExpr>(*e);
    p->type = slot;
    return Coerce(p, to, context, location);
  }
  if (auto row = CoerceRow(e, to, context, location)) return *row;
  TypeId from = e->type.id == TypeId::kUnknown ? TypeId::kText : e->type.id;
  if (auto cast = CoerceByUserCast(e, from, to, context, location)) return cast;
  if (!CanCoerce(from, to.id, context)) {
    ThrowAt(location, SqlState::kCannotCoerce, "cannot cast type {} to {}",
            TypeDisplayName(e->type), TypeDisplayName(to));
  }
  return Fold(MakeCastNode(std::move(e), to, context == CoercionContext::kAssignment));
}

// find_coercion_pathway's pg_cast lookup for the casts CREATE CAST made: a binary coercion
// (the executor's CastValue reinterprets the datum, common/user_types.h), an I/O conversion
// through text, or a call of the cast function; null when no such cast exists. A cast whose
// context is stricter than `context` is no pathway (42846).
BoundExprPtr Binder::CoerceByUserCast(BoundExprPtr e, TypeId from, Type to, CoercionContext context,
                                      int location) {
  constexpr uint32_t kFirstUserOid = 16384;
  if (ctx_->catalog == nullptr || (static_cast<uint32_t>(from) < kFirstUserOid &&
                                   static_cast<uint32_t>(to.id) < kFirstUserOid)) {
    return nullptr;
  }
  const storage::UserCastInfo* c =
      FindUserCast(*ctx_->catalog, static_cast<uint32_t>(from), static_cast<uint32_t>(to.id));
  if (c == nullptr) return nullptr;
  const bool allowed = context == CoercionContext::kExplicit || c->context == 'i' ||
                       (context == CoercionContext::kAssignment && c->context == 'a');
  if (!allowed) {
    ThrowAt(location, SqlState::kCannotCoerce, "cannot cast type {} to {}",
            TypeDisplayName(e->type), TypeDisplayName(to));
  }
  const bool assignment = context == CoercionContext::kAssignment;
  if (c->method == 'b') return MakeCastNode(std::move(e), to, assignment);
  if (c->method == 'i') {
    return MakeCastNode(MakeCastNode(std::move(e), Type::Of(TypeId::kText), assignment), to,
                        assignment);
  }
  auto fn = ctx_->catalog->FindFunctionByOid(c->function);
  if (fn == nullptr) {
    ThrowAt(location, SqlState::kUndefinedFunction, "cache lookup failed for function {}",
            c->function);
  }
  auto call = std::make_shared<UserFunctionCall>();
  call->function = fn;
  call->result = fn->return_type;
  auto n = std::make_shared<BoundExpr>();
  n->kind = BoundExprKind::kFunction;
  n->type = fn->return_type;
  n->op = fn->name;
  n->children.push_back(std::move(e));
  n->user_function = std::move(call);
  return n;
}

bool Binder::HasUserCast(TypeId from, TypeId to, CoercionContext context) const {
  if (ctx_->catalog == nullptr) return false;
  const storage::UserCastInfo* c =
      FindUserCast(*ctx_->catalog, static_cast<uint32_t>(from), static_cast<uint32_t>(to));
  return c != nullptr && (context == CoercionContext::kExplicit || c->context == 'i' ||
                          (context == CoercionContext::kAssignment && c->context == 'a'));
}

BoundExprPtr Binder::Cast(BoundExprPtr e, Type to, int location) {
  return Coerce(std::move(e), to, CoercionContext::kExplicit, location);
}

BoundExprPtr Binder::ResolveUnknown(BoundExprPtr e, int location) {
  if (e->type.id != TypeId::kUnknown) return e;
  return Coerce(std::move(e), Type::Of(TypeId::kText), CoercionContext::kImplicit, location);
}

Type Binder::CommonType(std::vector<BoundExprPtr>* exprs, const std::vector<int>& locations,
                        const char* context) {
  Type ptype = Type::Of(TypeId::kUnknown);
  for (size_t i = 0; i < exprs->size(); ++i) {
    Type t = (*exprs)[i]->type;
    if (t.id == TypeId::kUnknown) continue;
    if (ptype.id == TypeId::kUnknown) {
      ptype = t;
      continue;
    }
    if (t.id == ptype.id) {
      if (t.typmod != ptype.typmod) ptype.typmod = -1;
      continue;
    }
    if (CategoryOf(t.id) != CategoryOf(ptype.id)) {
      ThrowAt(i < locations.size() ? locations[i] : -1, SqlState::kDatatypeMismatch,
              "{} types {} and {} cannot be matched", context, TypeDisplayName(ptype),
              TypeDisplayName(t));
    }
    if (!IsPreferredType(ptype.id) && CanCoerce(ptype.id, t.id, CoercionContext::kImplicit) &&
        !CanCoerce(t.id, ptype.id, CoercionContext::kImplicit)) {
      ptype = Type::Of(t.id);
    }
  }
  if (ptype.id == TypeId::kUnknown) ptype = Type::Of(TypeId::kText);
  for (size_t i = 0; i < exprs->size(); ++i) {
    (*exprs)[i] = Coerce((*exprs)[i], ptype, CoercionContext::kImplicit,
                         i < locations.size() ? locations[i] : -1);
  }
  return ptype;
}

BoundExprPtr Binder::RequireBool(BoundExprPtr e, const char* what, int location) {
  if (e->type.id == TypeId::kUnknown) {
    return Coerce(std::move(e), Type::Of(TypeId::kBool), CoercionContext::kImplicit, location);
  }
  if (e->type.id != TypeId::kBool) {
    ThrowAt(location, SqlState::kDatatypeMismatch,
            "argument of {} must be type boolean, not type {}", what, TypeDisplayName(e->type));
  }
  return e;
}

BoundExprPtr Binder::BindCondition(const ast::Expr& e, const char* what) {
  return RequireBool(BindExpr(e), what, e.location);
}

// ---------------------------------------------------------------------------------------------
// Dispatch

BoundExprPtr Binder::BindExpr(const ast::Expr& e) {
  CheckStackDepth();
  if (BoundExprPtr p = PreboundExpr(e)) return p;
  using K = ast::ExprKind;
  if (IsRowPredicate(e)) return BindRowPredicate(e);
  switch (e.kind) {
    case K::kConstant:
      return BindConstant(e);
    case K::kColumnRef:
      return BindColumnRef(e);
    case K::kParam:
      return BindParam(e);
    case K::kUnaryOp: {
      if (e.op == "NOT") {
        auto arg = RequireBool(BindExpr(*e.args[0]), "NOT", e.args[0]->location);
        return MakeExpr(BoundExprKind::kNot, T(TypeId::kBool), {arg});
      }
      if (auto u = TryBindUserOperator(e)) return *u;
      if (e.op == "-" || e.op == "+") {
        const ast::Expr& a = *e.args[0];
        if (a.kind == K::kConstant && (a.const_kind == ast::ConstKind::kInteger ||
                                       a.const_kind == ast::ConstKind::kNumeric)) {
          ast::Expr lit(K::kConstant, e.location);
          lit.const_kind = a.const_kind;
          lit.value_text = (e.op == "-" ? "-" : "") + a.value_text;
          return BindConstant(lit);
        }
        auto arg = BindExpr(a);
        if (arg->type.id == TypeId::kTime && e.op == "-") {  // - time is - (time::interval)
          arg = Coerce(arg, T(TypeId::kInterval), CoercionContext::kImplicit, a.location);
        }
        const bool interval_minus = arg->type.id == TypeId::kInterval && e.op == "-";
        if (!IsNumericType(arg->type.id) && !interval_minus) {
          Error err(SqlState::kUndefinedFunction, fmt::format("operator does not exist: {} {}",
                                                              e.op, TypeDisplayName(arg->type)));
          err.Hint(kPrefixOperatorHint);
          if (e.location >= 0) err.Position(e.location + 1);
          throw err;
        }
        if (e.op == "+") return arg;
        return Fold(MakeExpr(BoundExprKind::kNegate, arg->type, {arg}, "-"));
      }
      if (e.op == "@" || e.op == "|/" || e.op == "||/") {  // abs, square root, cube root
        const ast::Expr& a = *e.args[0];
        auto arg = BindExpr(a);
        if (CategoryOf(arg->type.id) != TypeCategory::kNumeric) {
          Error err(SqlState::kUndefinedFunction, fmt::format("operator does not exist: {} {}",
                                                              e.op, TypeDisplayName(arg->type)));
          err.Hint(kPrefixOperatorHint);
          if (e.location >= 0) err.Position(e.location + 1);
          throw err;
        }
        if (e.op != "@")
          arg = Coerce(arg, T(TypeId::kFloat64), CoercionContext::kImplicit, a.location);
        const char* fn = e.op == "@" ? "abs" : (e.op == "|/" ? "sqrt" : "cbrt");
        return BindScalarFunction(e, fn, {arg}, {a.location});
      }
      if (e.op == "~") {  // integer bitwise not
        auto arg = BindExpr(*e.args[0]);
        if (CategoryOf(arg->type.id) == TypeCategory::kBitString) {  // bitnot (varbit -> bit)
          arg = Coerce(arg, T(TypeId::kBit), CoercionContext::kImplicit, e.location);
          return Fold(MakeExpr(BoundExprKind::kFunction, T(TypeId::kBit), {arg}, "bitnot"));
        }
        if (!IsIntegerType(arg->type.id)) {
          Error err(SqlState::kUndefinedFunction,
                    fmt::format("operator does not exist: ~ {}", TypeDisplayName(arg->type)));
          err.Hint(kPrefixOperatorHint);
          if (e.location >= 0) err.Position(e.location + 1);
          throw err;
        }
        return Fold(MakeExpr(BoundExprKind::kFunction, arg->type, {arg}, "int_not"));
      }
      ThrowAt(e.location, SqlState::kFeatureNotSupported, "operator {} is not supported", e.op);
    }
    case K::kBinaryOp:
      return BindBinary(e);
    case K::kIsNull: {
      auto arg = BindExpr(*e.args[0]);
      if (IsRecordLike(arg->type.id)) {
        // A row value is NULL when every field is, NOT NULL when none is (ExecEvalRowNull).
        return MakeExpr(BoundExprKind::kFunction, T(TypeId::kBool), {arg},
                        e.negated ? "record_is_not_null" : "record_is_null");
      }
      auto n = MakeExpr(BoundExprKind::kIsNull, T(TypeId::kBool), {arg});
      std::const_pointer_cast<BoundExpr>(n)->negated = e.negated;
      return n;
    }
    case K::kIsBool: {
      std::string what = "IS " + std::string(e.negated ? "NOT " : "") + e.op;
      auto arg = BindExpr(*e.args[0]);
      arg = RequireBool(arg, what.c_str(), e.args[0]->location);
      auto n = std::make_shared<BoundExpr>();
      n->kind = BoundExprKind::kIsBool;
      n->type = T(TypeId::kBool);
      n->op = e.op;
      n->negated = e.negated;
      n->children = {arg};
      return n;
    }
    case K::kIsDistinct: {
      auto cmp = BindComparison("=", BindExpr(*e.args[0]), BindExpr(*e.args[1]), e.location,
                                e.args[0]->location, e.args[1]->location);
      auto n = std::make_shared<BoundExpr>(*cmp);
      n->kind = BoundExprKind::kIsDistinct;
      n->op.clear();
      n->negated = e.negated;
      return n;
    }
    case K::kBetween: {
      auto x = BindExpr(*e.args[0]);
      auto lo = BindExpr(*e.args[1]);
      auto hi = BindExpr(*e.args[2]);
      int xl = e.args[0]->location;
      auto range = [&](const BoundExprPtr& a, const BoundExprPtr& b) {
        int al = a == lo ? e.args[1]->location : e.args[2]->location;
        int bl = b == hi ? e.args[2]->location : e.args[1]->location;
        if (e.negated) {
          return MakeExpr(BoundExprKind::kOr, T(TypeId::kBool),
                          {BindComparison("<", x, a, e.location, xl, al),
                           BindComparison(">", x, b, e.location, xl, bl)});
        }
        return MakeExpr(BoundExprKind::kAnd, T(TypeId::kBool),
                        {BindComparison(">=", x, a, e.location, xl, al),
                         BindComparison("<=", x, b, e.location, xl, bl)});
      };
      if (!e.symmetric) return range(lo, hi);
      return MakeExpr(e.negated ? BoundExprKind::kAnd : BoundExprKind::kOr, T(TypeId::kBool),
                      {range(lo, hi), range(hi, lo)});
    }
    case K::kInList:
      return BindInList(e);
    case K::kInSubquery:
    case K::kExists:
    case K::kSubquery:
    case K::kAnyAll:
      return BindSubqueryExpr(e);
    case K::kCase:
      return BindCase(e);
    case K::kCast: {
      uint32_t domain = 0;
      Type to = ResolveTypeName(*e.type, ctx_, &domain);
      const ast::Expr& arg = *e.args[0];
      if (arg.kind == K::kArray && arg.args.empty() && !arg.subquery) {
        return DomainCheck(BindEmptyArrayCast(arg, to), domain);
      }
      if (arg.kind == K::kArray && !arg.subquery && IsArrayType(to.id)) {
        return BindArrayConstructorAs(arg, to);
      }
      // An unknown literal is read by the type's input function: its errors point at the
      // literal, as PostgreSQL's (other cast errors at the cast).
      BoundExprPtr bound = BindExpr(arg);
      const bool literal = bound->kind == BoundExprKind::kConstant &&
                           bound->type.id == TypeId::kUnknown && arg.location >= 0;
      // A cast to the value's own type without a typmod drops the typmod (coerce_type_typmod's
      // RelabelType): numeric(18,3)::numeric is numeric, as a view's column shows. Not for
      // character(n), whose values are padded by their typmod when they are output.
      if (domain == 0 && bound->type.id == to.id && to.typmod < 0 && bound->type.typmod >= 0 &&
          to.id != TypeId::kBpchar) {
        return MakeCastNode(std::move(bound), to, false);
      }
      return DomainCheck(Cast(std::move(bound), to, literal ? arg.location : e.location), domain);
    }
    case K::kTypedLiteral: {
      uint32_t domain = 0;
      Type to = ResolveTypeName(*e.type, ctx_, &domain);
      ast::Expr lit(K::kConstant, e.location);
      lit.const_kind = ast::ConstKind::kString;
      lit.value_text = e.value_text;
      return DomainCheck(Cast(BindConstant(lit), to, e.location), domain);
    }
    case K::kFuncCall:
      return BindFuncCall(e);
    case K::kCoalesce:
      return BindVariadic(e, BoundExprKind::kCoalesce, "COALESCE");
    case K::kGreatest:
      return BindVariadic(e, BoundExprKind::kGreatest, "GREATEST");
    case K::kLeast:
      return BindVariadic(e, BoundExprKind::kLeast, "LEAST");
    case K::kNullIf: {
      std::vector<BoundExprPtr> args = {BindExpr(*e.args[0]), BindExpr(*e.args[1])};
      Type t = CommonType(&args, {e.args[0]->location, e.args[1]->location}, "NULLIF");
      // NULLIF applies `=` (json and point have none).
      if (CategoryOf(t.id) != TypeCategory::kArray && !HasBtreeOperators(t.id)) {
        ThrowNoOperator(e.location, "=", t, t);
      }
      return MakeExpr(BoundExprKind::kNullIf, t, std::move(args));
    }
    case K::kRow:
      return BindRowValue(e);
    case K::kFieldSelect:
      return BindFieldSelect(e);
    case K::kArray:
      return BindArrayConstructor(e);
    case K::kSubscript:
      return BindSubscript(e);
    case K::kDefault:
      ThrowAt(e.location, SqlState::kSyntaxError, "DEFAULT is not allowed in this context");
    case K::kGroupingFunc:
      return BindGrouping(e);
    case K::kGroupingSet:
      break;
  }
  ThrowAt(e.location, SqlState::kInternalError, "unrecognized expression kind");
}

// ---------------------------------------------------------------------------------------------
// Leaves

BoundExprPtr Binder::BindConstant(const ast::Expr& e) {
  switch (e.const_kind) {
    case ast::ConstKind::kInteger: {
      int64_t v = 0;
      const char* b = e.value_text.data();
      const char* end = b + e.value_text.size();
      auto [p, ec] = std::from_chars(b, end, v);
      if (ec == std::errc() && p == end) {
        if (v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()) {
          return MakeConst(Value::Int32(static_cast<int32_t>(v)));
        }
        return MakeConst(Value::Int64(v));
      }
      return MakeConst(
          WithPosition(e.location, [&] { return Value::Num(Numeric::Parse(e.value_text)); }));
    }
    case ast::ConstKind::kNumeric:
      return MakeConst(
          WithPosition(e.location, [&] { return Value::Num(Numeric::Parse(e.value_text)); }));
    case ast::ConstKind::kString:
      return MakeConst(Value::Text(e.value_text, TypeId::kUnknown));
    case ast::ConstKind::kBool: {
      std::string t = e.value_text;
      std::transform(t.begin(), t.end(), t.begin(), ::tolower);
      return MakeConst(Value::Bool(t == "true" || t == "t"));
    }
    case ast::ConstKind::kNull:
      return MakeConst(Value::Null());
  }
  return MakeConst(Value::Null());
}

BoundExprPtr Binder::BindParam(const ast::Expr& e) {
  if (e.param_index < 1)
    ThrowAt(e.location, SqlState::kUndefinedParameter, "there is no parameter ${}", e.param_index);
  if (auto inl = InlineParam(e.param_index, e.location)) return *inl;
  auto& types = ctx_->param_types;
  if (ctx_->fixed_params && types.size() < static_cast<size_t>(e.param_index)) {
    ThrowAt(e.location, SqlState::kUndefinedParameter, "there is no parameter ${}", e.param_index);
  }
  if (types.size() < static_cast<size_t>(e.param_index)) {
    types.resize(e.param_index, Type::Of(TypeId::kUnknown));
  }
  auto p = std::make_shared<BoundExpr>();
  p->kind = BoundExprKind::kParam;
  p->param_index = e.param_index - 1;
  p->type = types[e.param_index - 1];
  if (p->type.id != TypeId::kUnknown) p->type.typmod = -1;
  return p;
}

std::optional<BoundExprPtr> Binder::ResolveColumnLocal(const ast::Expr& e, bool* table_found) {
  const Scope& scope = *active_scope_;
  const auto& names = e.names;
  if (names.size() == 1) {
    const BoundExprPtr* found = nullptr;
    for (const auto& v : scope.visible) {
      if (v.name != names[0]) continue;
      if (found) {
        ThrowAt(e.location, SqlState::kAmbiguousColumn, "column reference \"{}\" is ambiguous",
                names[0]);
      }
      found = &v.expr;
    }
    if (found) return *found;
    // A hidden system column (tableoid) of one of the tables in scope.
    std::optional<BoundExprPtr> hidden;
    for (int idx : scope.ranges) {
      const RangeEntry& r = ranges_[idx];
      for (size_t i = r.columns.size() - r.hidden; i < r.columns.size(); ++i) {
        if (r.columns[i] != names[0]) continue;
        if (hidden) {
          ThrowAt(e.location, SqlState::kAmbiguousColumn, "column reference \"{}\" is ambiguous",
                  names[0]);
        }
        hidden = MakeColumn(r.first + static_cast<int>(i), r.types[i]);
      }
    }
    if (!hidden) {
      for (int idx : scope.ranges) {
        if (HasSystemColumns(ranges_[idx])) ThrowIfUnsupportedSystemColumn(e.location, names[0]);
      }
    }
    return hidden;
  }
  const std::string& table = names[names.size() - 2];
  const std::string* schema = names.size() >= 3 ? &names[names.size() - 3] : nullptr;
  const RangeEntry* range = nullptr;
  for (int idx : scope.ranges) {
    const RangeEntry& r = ranges_[idx];
    if (r.alias != table) continue;
    if (schema && r.schema != *schema) continue;
    if (range) {
      ThrowAt(e.location, SqlState::kAmbiguousAlias, "table reference \"{}\" is ambiguous", table);
    }
    range = &r;
  }
  if (!range) return std::nullopt;
  *table_found = true;
  const std::string& col = names.back();
  std::optional<BoundExprPtr> found;
  for (size_t i = 0; i < range->columns.size(); ++i) {
    if (range->columns[i] != col) continue;
    // Two columns of one name (a join alias, a subquery's duplicate output names).
    if (found) {
      ThrowAt(e.location, SqlState::kAmbiguousColumn, "column reference \"{}\" is ambiguous", col);
    }
    found = range->Column(i);
  }
  if (found) return found;
  if (HasSystemColumns(*range)) ThrowIfUnsupportedSystemColumn(e.location, col);
  ThrowAt(e.location, SqlState::kUndefinedColumn, "column {}.{} does not exist", table, col);
}

BoundExprPtr Binder::BindColumnRef(const ast::Expr& e) {
  // A FROM item's name as a value (t, or t.* where no list is expanded): its whole row, of the
  // table's row type or, for another FROM item, a record whose fields carry the item's column
  // names (PostgreSQL's whole-row Var, its tuple descriptor "blessed"), so that row_to_json(t)
  // and json_agg(t) over a subquery name their keys.
  auto whole_row = [&](const std::string& alias) -> BoundExprPtr {
    for (const RangeEntry& r : ranges_) {
      if (r.alias != alias) continue;
      const size_t n = r.columns.size() - static_cast<size_t>(r.hidden);
      std::vector<BoundExprPtr> cols;
      std::vector<CompositeField> desc;
      cols.reserve(n);
      desc.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        cols.push_back(r.Column(i));
        desc.push_back({r.columns[i], r.types[i]});
      }
      Type t = Type{kRecordType, RecordTypmodOf(desc)};
      if (r.table && r.table->row_type_oid != 0) {
        const auto row_type = static_cast<TypeId>(r.table->row_type_oid);
        if (auto fields = CompositeFieldsOf(row_type); fields && fields->size() == n) {
          t = Type::Of(row_type);
        }
      }
      return MakeExpr(BoundExprKind::kFunction, t, std::move(cols), "row");
    }
    return nullptr;
  };
  // A PL/pgSQL record variable as a whole (rec.* or rec; executor/plpgsql.cpp passes its
  // fields as parameters named rec.field): ROW(rec.a, rec.b, ...) with the fields' names.
  auto record_param = [&](const std::string& name) -> BoundExprPtr {
    if (inline_names_ != nullptr) return nullptr;
    const std::string prefix = name + ".";
    std::vector<BoundExprPtr> fields;
    std::vector<CompositeField> desc;
    for (size_t i = 0; i < ctx_->param_names.size(); ++i) {
      const std::string& n = ctx_->param_names[i];
      if (n.size() <= prefix.size() || n.compare(0, prefix.size(), prefix) != 0 ||
          n.find('.', prefix.size()) != std::string::npos) {
        continue;
      }
      auto p = std::make_shared<BoundExpr>();
      p->kind = BoundExprKind::kParam;
      p->param_index = static_cast<int>(i);
      p->type = ctx_->param_types.at(i);
      p->type.typmod = -1;
      desc.push_back({n.substr(prefix.size()), p->type});
      fields.push_back(std::move(p));
    }
    if (fields.empty()) return nullptr;
    return MakeExpr(BoundExprKind::kFunction, Type{kRecordType, RecordTypmodOf(desc)},
                    std::move(fields), "row");
  };
  if (e.star) {
    if (e.names.size() == 1) {
      if (auto row = whole_row(e.names[0])) return row;
      if (auto row = record_param(e.names[0])) return row;
    }
    ThrowAt(e.location, SqlState::kFeatureNotSupported,
            "row expansion via \"*\" is not supported here");
  }
  if (e.names.size() > 4) {
    ThrowAt(e.location, SqlState::kSyntaxError, "improper qualified name (too many dotted names)");
  }
  int level = 0;
  for (Binder* b = this; b; b = b->parent_, ++level) {
    bool table_found = false;
    std::optional<BoundExprPtr> r = b->ResolveColumnLocal(e, &table_found);
    if (!r) continue;
    // Where an ungrouped column is reported (the first reference outside an aggregate).
    if (!b->in_aggregate_ && (*r)->kind == BoundExprKind::kColumn &&
        (b->clause_ == Clause::kSelectList || b->clause_ == Clause::kHaving ||
         b->clause_ == Clause::kOrderBy)) {
      b->column_locations_.emplace((*r)->column_index, e.location);
    }
    if (level == 0) return *r;
    // An outer reference: mark every level between here and there as correlated.
    Binder* x = this;
    for (int i = 0; i < level; ++i, x = x->parent_) {
      Binder* owner = x;
      while (owner->derived_of_) owner = owner->derived_of_;
      owner->has_outer_refs_ = true;
      x->has_outer_refs_ = true;
    }
    return RewriteExpr(
        *r,
        [level](const BoundExpr& n, int depth) -> BoundExprPtr {
          if (depth != 0 || n.kind != BoundExprKind::kColumn) return nullptr;
          auto o = std::make_shared<BoundExpr>(n);
          o->kind = BoundExprKind::kOuterColumn;
          o->outer_depth = level;
          return o;
        },
        false);
  }
  if (auto p = BindFunctionParamName(e)) return *p;
  if (e.names.size() == 1) {
    if (auto row = whole_row(e.names[0])) return row;
    if (auto row = record_param(e.names[0])) return row;
  }
  // PostgreSQL's errorMissingRTE / errorMissingColumn: an item of the query text that is not
  // visible here (an earlier FROM item seen from a subquery not marked LATERAL).
  const std::string& column = e.names.back();
  const std::string* table = e.names.size() >= 2 ? &e.names[e.names.size() - 2] : nullptr;
  const RangeEntry* hidden = nullptr;
  for (Binder* b = this; b && !hidden; b = b->lexical_) {
    for (const RangeEntry& r : b->ranges_) {
      const bool match =
          table ? r.alias == *table
                : std::find(r.columns.begin(), r.columns.end(), column) != r.columns.end();
      if (match && !r.alias.empty()) {
        hidden = &r;
        break;
      }
    }
  }
  if (e.names.size() == 1) {
    if (IsSqlValueFunction(e.names[0])) {
      return BindScalarFunction(e, e.names[0], {}, {});
    }
    Error err(SqlState::kUndefinedColumn, fmt::format("column \"{}\" does not exist", e.names[0]));
    if (hidden) {
      err.Hint(
          fmt::format("There is a column named \"{}\" in table \"{}\", but it cannot be "
                      "referenced from this part of the query.",
                      column, hidden->alias));
    }
    if (e.location >= 0) err.Position(e.location + 1);
    throw err;
  }
  if (hidden) {
    Error err(SqlState::kUndefinedTable,
              fmt::format("invalid reference to FROM-clause entry for table \"{}\"", *table));
    err.Hint(fmt::format(
        "There is an entry for table \"{}\", but it cannot be referenced from this part of the "
        "query.",
        *table));
    if (e.location >= 0) err.Position(e.location + 1);
    throw err;
  }
  // A table named by its name where the query gave it an alias (`SELECT t.x FROM t AS s`).
  const RangeEntry* aliased = nullptr;
  for (Binder* b = this; b && !aliased && e.names.size() == 2; b = b->lexical_) {
    for (const RangeEntry& r : b->ranges_) {
      if (r.table && r.table->name == *table && r.alias != *table) {
        aliased = &r;
        break;
      }
    }
  }
  if (aliased) {
    Error err(SqlState::kUndefinedTable,
              fmt::format("invalid reference to FROM-clause entry for table \"{}\"", *table));
    err.Hint(fmt::format("Perhaps you meant to reference the table alias \"{}\".", aliased->alias));
    if (e.location >= 0) err.Position(e.location + 1);
    throw err;
  }
  ThrowAt(e.location, SqlState::kUndefinedTable, "missing FROM-clause entry for table \"{}\"",
          e.names[e.names.size() - 2]);
}

// ---------------------------------------------------------------------------------------------
// Operators

BoundExprPtr Binder::BindComparison(const std::string& op_in, BoundExprPtr l, BoundExprPtr r,
                                    int location, int lloc, int rloc) {
  std::string op = op_in == "!=" ? "<>" : op_in;
  Type lt = l->type, rt = r->type;
  // point has `<>` (point_ne) but no `=`, `<`, ... (no btree operator class).
  if (CategoryOf(lt.id) == TypeCategory::kGeometric ||
      CategoryOf(rt.id) == TypeCategory::kGeometric) {
    if (op == "<>") {
      return BindGeometricOperator(op, std::move(l), std::move(r), location, lloc, rloc);
    }
    ThrowNoOperator(location, op, lt, rt);
  }
  // Arrays of them compare element by element, with the element type's missing operator.
  if (CategoryOf(lt.id) == TypeCategory::kArray && lt.id == rt.id &&
      CategoryOf(ArrayElementType(lt.id)) == TypeCategory::kGeometric) {
    Throw(SqlState::kUndefinedFunction, "could not identify {} for type {}",
          op == "=" || op == "<>" ? "an equality operator" : "a comparison function",
          TypeName(Type::Of(ArrayElementType(lt.id))));
  }
  // json, jsonpath and cstring have no comparison operators.
  if (lt.id == kJsonType || rt.id == kJsonType || lt.id == kJsonpathType ||
      rt.id == kJsonpathType || lt.id == kCstringType || rt.id == kCstringType) {
    ThrowNoOperator(location, op, lt, rt);
  }
  TypeId li = lt.id, ri = rt.id;
  TypeId target_l = li, target_r = ri;
  // xid, cid and aclitem have only equality (xid also `<>`, and both with int4: xideqint4, whose
  // int4 is taken as its 32 bits); tid and xid8 have the six comparisons, each with itself.
  if (IsSystemIdType(li) || IsSystemIdType(ri)) {
    const TypeId sys = IsSystemIdType(li) ? li : ri;
    const TypeId other = sys == li ? ri : li;
    const bool eq_only = sys == kXidType || sys == kCidType || sys == kAclItemType;
    const bool ne_ok = sys != kCidType && sys != kAclItemType;
    if (eq_only && op != "=" && !(op == "<>" && ne_ok)) ThrowNoOperator(location, op, lt, rt);
    if (other == TypeId::kUnknown || other == sys) {
      target_l = target_r = sys;
    } else if (sys == kXidType && (other == TypeId::kInt32 || other == TypeId::kInt16)) {
      auto as_xid = [](BoundExprPtr x) {
        return MakeExpr(BoundExprKind::kFunction, Type::Of(kXidType), {std::move(x)},
                        "xid_of_int4");
      };
      if (li != sys) l = as_xid(std::move(l));
      if (ri != sys) r = as_xid(std::move(r));
      return MakeExpr(BoundExprKind::kCompare, T(TypeId::kBool), {l, r}, op);
    } else {
      ThrowNoOperator(location, op, lt, rt);
    }
    if (target_l != li) {
      l = Coerce(l, Type::Of(target_l), CoercionContext::kImplicit, lloc >= 0 ? lloc : location);
    }
    if (target_r != ri) {
      r = Coerce(r, Type::Of(target_r), CoercionContext::kImplicit, rloc >= 0 ? rloc : location);
    }
    return MakeExpr(BoundExprKind::kCompare, T(TypeId::kBool), {l, r}, op);
  }
  if (li == TypeId::kUnknown && ri == TypeId::kUnknown) {
    target_l = target_r = TypeId::kText;
  } else if ((li == TypeId::kUnknown && IsRecordLike(ri)) ||
             (ri == TypeId::kUnknown && IsRecordLike(li))) {
    // The operator is record's: the literal is read as a record, whose input is 0A000 (as
    // PostgreSQL's record_in of an anonymous record).
    target_l = target_r = kRecordType;
    if (li != TypeId::kUnknown) target_l = li;
    if (ri != TypeId::kUnknown) target_r = ri;
  } else if (li == TypeId::kUnknown) {
    target_l = ri;
  } else if (ri == TypeId::kUnknown) {
    target_r = li;
  } else if (IsTimeOfDay(li) || IsTimeOfDay(ri)) {
    // time compares with time, timetz (as timetz) and interval (as interval), through
    // PostgreSQL's implicit casts time -> timetz and time -> interval.
    TypeId other = li == TypeId::kTime ? ri : li;
    if (li == ri) {
    } else if ((li == TypeId::kTime || ri == TypeId::kTime) &&
               (other == TypeId::kTimeTz || other == TypeId::kInterval)) {
      target_l = target_r = other;
    } else {
      ThrowNoOperator(location, op, lt, rt);
    }
  } else if (HasOwnOperators(li) || HasOwnOperators(ri)) {
    // oid, money, "char": each compares with itself; oid also with an integer, as oid
    // (PostgreSQL's implicit int -> oid casts and oid's preferred-type status).
    // regclass and the other reg* types compare as oid with oid, an integer or another reg*
    // type (their implicit casts to oid; they have no operators of their own).
    // "char" with a string type compares as text (PostgreSQL's implicit casts "char" -> text
    // and bpchar, varchar, name -> text: `contype = 'f'::char`).
    auto oidish = [](TypeId t) { return t == TypeId::kOid || IsRegType(t); };
    if (li == ri) {
    } else if ((li == TypeId::kChar && IsStringish(ri)) ||
               (ri == TypeId::kChar && IsStringish(li))) {
      target_l = target_r = TypeId::kText;
    } else if (li == TypeId::kOid && IsIntegerType(ri)) {
      target_r = TypeId::kOid;
    } else if (ri == TypeId::kOid && IsIntegerType(li)) {
      target_l = TypeId::kOid;
    } else if ((oidish(li) && (oidish(ri) || IsIntegerType(ri))) ||
               (oidish(ri) && IsIntegerType(li))) {
      target_l = target_r = TypeId::kOid;
    } else {
      ThrowNoOperator(location, op, lt, rt);
    }
  } else if (IsRecordLike(li) || IsRecordLike(ri)) {
    // record_eq / record_cmp (record op record): any two row values; their fields must match
    // at run time (common/composite.h).
    if (!IsRecordLike(li) || !IsRecordLike(ri)) ThrowNoOperator(location, op, lt, rt);
    return MakeExpr(BoundExprKind::kCompare, T(TypeId::kBool), {l, r}, op);
  } else if (CategoryOf(li) != CategoryOf(ri)) {
    ThrowNoOperator(location, op, lt, rt);
  } else {
    switch (CategoryOf(li)) {
      case TypeCategory::kBitString:  // bit with varbit: as varbit (bit_cmp either way)
        if (li != ri) target_l = target_r = TypeId::kVarbit;
        break;
      case TypeCategory::kNumeric:
        // float4 with anything but float4 compares as float8 (float48eq and friends).
        if (li == TypeId::kFloat64 || ri == TypeId::kFloat64 ||
            ((li == TypeId::kFloat32) != (ri == TypeId::kFloat32))) {
          target_l = target_r = TypeId::kFloat64;
        } else if (li == TypeId::kNumeric || ri == TypeId::kNumeric) {
          target_l = target_r = TypeId::kNumeric;
        }
        break;
      case TypeCategory::kString:
        if ((li == TypeId::kBpchar) != (ri == TypeId::kBpchar)) target_l = target_r = TypeId::kText;
        break;
      case TypeCategory::kDateTime:
        target_l = target_r = DateTimeRank(li) > DateTimeRank(ri) ? li : ri;
        // date with timestamp[tz], timestamp with timestamptz: PostgreSQL's cross-type
        // comparisons (date_cmp_timestamp, ...) promote without failing, a value past the
        // range comparing beyond every finite one (datetime_cmp_promote).
        if (li != ri) {
          auto promote = [](BoundExprPtr x, TypeId to) {
            return MakeExpr(BoundExprKind::kFunction, Type::Of(to), {std::move(x)},
                            "datetime_cmp_promote");
          };
          if (target_l != li) l = promote(std::move(l), target_l);
          if (target_r != ri) r = promote(std::move(r), target_r);
          return MakeExpr(BoundExprKind::kCompare, T(TypeId::kBool), {l, r}, op);
        }
        break;
      case TypeCategory::kUserDefined:  // bytea, uuid: each compares only with itself
      case TypeCategory::kEnum:         // an enum only with the same enum
      case TypeCategory::kArray:
        // anyarray = anyarray: PostgreSQL wants the same array type on both sides.
        if (li != ri) ThrowNoOperator(location, op, lt, rt);
        break;
      default:
        break;
    }
  }
  if (target_l != li) {
    l = Coerce(l, Type::Of(target_l), CoercionContext::kImplicit, lloc >= 0 ? lloc : location);
  }
  if (target_r != ri) {
    r = Coerce(r, Type::Of(target_r), CoercionContext::kImplicit, rloc >= 0 ? rloc : location);
  }
  return MakeExpr(BoundExprKind::kCompare, T(TypeId::kBool), {l, r}, op);
}

BoundExprPtr Binder::BindArith(const std::string& op, BoundExprPtr l, BoundExprPtr r,
                               int location) {
  if (l->type.id == TypeId::kUnknown && r->type.id == TypeId::kUnknown) {
    ThrowUnknownOperatorNotUnique(location, op);
  }
  const bool l_iv = l->type.id == TypeId::kInterval;
  if (l->type.id == TypeId::kUnknown) {
    // '2 days' * interval... : an unknown beside an interval in * is the float8 factor.
    TypeId to = (r->type.id == TypeId::kInterval && op == "*") ? TypeId::kFloat64 : r->type.id;
    l = Coerce(l, Type::Of(to), CoercionContext::kImplicit, location);
  }
  if (r->type.id == TypeId::kUnknown) {
    // date - 'yyyy-mm-dd' is date - date; date + '1' is date + integer; timestamp + '1 hour'
    // is timestamp + interval; interval * '2' is interval * float8.
    TypeId li = l->type.id;
    TypeId to = li;
    if (li == TypeId::kDate && op == "+") {
      to = TypeId::kInt32;
    } else if ((li == TypeId::kTimestamp || li == TypeId::kTimestampTz) && op == "+") {
      to = TypeId::kInterval;
    } else if (li == TypeId::kTime && op == "+") {  // time + '1 hour'; time - '1:00' is time - time
      to = TypeId::kInterval;
    } else if (li == TypeId::kTimeTz && op == "-") {  // the one timetz - x: timetz - interval
      to = TypeId::kInterval;
    } else if (li == TypeId::kTimeTz && op == "+") {  // timetz + interval or + date
      Error err(SqlState::kAmbiguousFunction,
                fmt::format("operator is not unique: {} + unknown", TypeDisplayName(l->type)));
      err.Hint(
          "Could not choose a best candidate operator. You might need to add explicit type "
          "casts.");
      if (location >= 0) err.Position(location + 1);
      throw err;
    } else if (l_iv && (op == "*" || op == "/")) {
      to = TypeId::kFloat64;
    } else if (li == TypeId::kMoney && op == "*") {  // money * '2': the float8 factor
      to = TypeId::kFloat64;
    }
    r = Coerce(r, Type::Of(to), CoercionContext::kImplicit, location);
  }
  if (op == "+" && l->type.id == TypeId::kTime && r->type.id == TypeId::kTime) {
    // time + interval and interval + time both take a time (time -> interval is implicit).
    Error err(SqlState::kAmbiguousFunction,
              "operator is not unique: time without time zone + time without time zone");
    err.Hint(
        "Could not choose a best candidate operator. You might need to add explicit type casts.");
    if (location >= 0) err.Position(location + 1);
    throw err;
  }
  {
    // date - time, timestamp ± time, time * number, ...: no such operator, but one on interval
    // through PostgreSQL's implicit time -> interval cast.
    auto exists = [&](TypeId a, TypeId b) {
      auto num = [&](TypeId x) {
        return CategoryOf(x) == TypeCategory::kNumeric && (op == "*" || op == "/")
                   ? TypeId::kFloat64
                   : x;
      };
      try {
        ArithmeticResultType(op, Type::Of(num(a)), Type::Of(num(b)));
        return true;
      } catch (const Error&) {
        return false;
      }
    };
    const TypeId li = l->type.id, ri = r->type.id;
    const Type iv = Type::Of(TypeId::kInterval);
    if ((li == TypeId::kTime || ri == TypeId::kTime) && !exists(li, ri)) {
      if (li == TypeId::kTime && exists(TypeId::kInterval, ri)) {
        l = Coerce(l, iv, CoercionContext::kImplicit, location);
      } else if (ri == TypeId::kTime && exists(li, TypeId::kInterval)) {
        r = Coerce(r, iv, CoercionContext::kImplicit, location);
      }
    }
  }
  {
    // interval * number, number * interval, interval / number: the number is float8.
    TypeId li = l->type.id, ri = r->type.id;
    const Type f8 = Type::Of(TypeId::kFloat64);
    if (li == TypeId::kInterval && CategoryOf(ri) == TypeCategory::kNumeric &&
        (op == "*" || op == "/")) {
      r = Coerce(r, f8, CoercionContext::kImplicit, location);
    } else if (ri == TypeId::kInterval && CategoryOf(li) == TypeCategory::kNumeric && op == "*") {
      l = Coerce(l, f8, CoercionContext::kImplicit, location);
    } else if (op == "-" && DateTimeRank(li) >= 0 && DateTimeRank(ri) >= 0 && li != ri) {
      // timestamp - date, timestamptz - timestamp: both become the later type.
      const Type to = Type::Of(DateTimeRank(li) > DateTimeRank(ri) ? li : ri);
      if (to.id != TypeId::kDate) {
        l = Coerce(l, to, CoercionContext::kImplicit, location);
        r = Coerce(r, to, CoercionContext::kImplicit, location);
      }
    }
  }
  {
    // money * / numeric: the numeric becomes float8 (no money-numeric operator; numeric ->
    // float8 is implicit).
    const Type f8 = Type::Of(TypeId::kFloat64);
    if (l->type.id == TypeId::kMoney && r->type.id == TypeId::kNumeric &&
        (op == "*" || op == "/")) {
      r = Coerce(r, f8, CoercionContext::kImplicit, location);
    } else if (r->type.id == TypeId::kMoney && l->type.id == TypeId::kNumeric && op == "*") {
      l = Coerce(l, f8, CoercionContext::kImplicit, location);
    }
  }
  if (op == "^") {
    bool num = l->type.id == TypeId::kNumeric || r->type.id == TypeId::kNumeric;
    if (!IsNumericType(l->type.id) || !IsNumericType(r->type.id)) {
      ThrowNoOperator(location, op, l->type, r->type);
    }
    Type t = T(num ? TypeId::kNumeric : TypeId::kFloat64);
    l = Coerce(l, t, CoercionContext::kImplicit, location);
    r = Coerce(r, t, CoercionContext::kImplicit, location);
    return MakeExpr(BoundExprKind::kFunction, t, {l, r}, "power");
  }
  Type result;
  try {
    result = ArithmeticResultType(op, Type::Of(l->type.id), Type::Of(r->type.id));
  } catch (Error& err) {
    if (err.state() == SqlState::kUndefinedFunction)
      ThrowNoOperator(location, op, l->type, r->type);
    throw;
  }
  return Fold(MakeExpr(BoundExprKind::kArith, result, {l, r}, op));
}

BoundExprPtr Binder::BindBoolOp(BoundExprKind kind, const ast::Expr& e) {
  const char* what = kind == BoundExprKind::kAnd ? "AND" : "OR";
  std::vector<BoundExprPtr> children;
  for (const auto& a : e.args) {
    auto c = RequireBool(BindExpr(*a), what, a->location);
    if (c->kind == kind) {
      children.insert(children.end(), c->children.begin(), c->children.end());
    } else {
      children.push_back(c);
    }
  }
  return MakeExpr(kind, T(TypeId::kBool), std::move(children));
}

// The integer bit operators (int2/int4/int8 and, or, xor; shifts by an int4): both sides of
// and/or/xor promote to the wider integer type; a shift keeps the left side's type.
BoundExprPtr Binder::BindIntegerBitOp(const std::string& op, BoundExprPtr l, BoundExprPtr r,
                                      int location) {
  if (CategoryOf(l->type.id) == TypeCategory::kBitString ||
      (CategoryOf(r->type.id) == TypeCategory::kBitString && op != "<<" && op != ">>")) {
    // bit & | # bit (varbit through the implicit varbit -> bit cast), bit << >> int4.
    const bool shift = op == "<<" || op == ">>";
    const Type bit = T(TypeId::kBit);
    const Type rt = shift ? T(TypeId::kInt32) : bit;
    if (CategoryOf(l->type.id) != TypeCategory::kBitString && l->type.id != TypeId::kUnknown) {
      ThrowNoOperator(location, op, l->type, r->type);
    }
    if (!CanCoerce(r->type.id, rt.id, CoercionContext::kImplicit)) {
      ThrowNoOperator(location, op, l->type, r->type);
    }
    const char* fn = op == "&"    ? "bitand"
                     : op == "|"  ? "bitor"
                     : op == "#"  ? "bitxor"
                     : op == "<<" ? "bitshiftleft"
                                  : "bitshiftright";
    return Fold(MakeExpr(BoundExprKind::kFunction, bit,
                         {Coerce(l, bit, CoercionContext::kImplicit, location),
                          Coerce(r, rt, CoercionContext::kImplicit, location)},
                         fn));
  }
  auto integer_or_unknown = [](TypeId t) { return IsIntegerType(t) || t == TypeId::kUnknown; };
  if (!integer_or_unknown(l->type.id) || !integer_or_unknown(r->type.id) ||
      (l->type.id == TypeId::kUnknown && r->type.id == TypeId::kUnknown)) {
    ThrowNoOperator(location, op, l->type, r->type);
  }
  const bool shift = op == "<<" || op == ">>";
  Type lt = l->type.id == TypeId::kUnknown ? r->type : l->type;
  Type rt = shift ? T(TypeId::kInt32) : (r->type.id == TypeId::kUnknown ? lt : r->type);
  if (!shift && NumericRank(rt.id) > NumericRank(lt.id)) lt = rt;
  if (!shift) rt = lt;
  const char* fn = op == "&"    ? "int_and"
                   : op == "|"  ? "int_or"
                   : op == "#"  ? "int_xor"
                   : op == "<<" ? "int_shl"
                                : "int_shr";
  return Fold(MakeExpr(BoundExprKind::kFunction, lt,
                       {Coerce(l, lt, CoercionContext::kImplicit, location),
                        Coerce(r, rt, CoercionContext::kImplicit, location)},
                       fn));
}

BoundExprPtr Binder::BindBinary(const ast::Expr& e) {
  std::string op = e.op;
  std::string upper = op;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  if (upper == "AND") return BindBoolOp(BoundExprKind::kAnd, e);
  if (upper == "OR") return BindBoolOp(BoundExprKind::kOr, e);
  if (auto u = TryBindUserOperator(e)) return *u;
  if (op == "?|") {  // point ?| point (point_vert) or jsonb ?| text[]
    auto l = BindExpr(*e.args[0]);
    auto r = BindExpr(*e.args[1]);
    if (auto g =
            BindGeometricOperator(op, l, r, e.location, e.args[0]->location, e.args[1]->location)) {
      return g;
    }
    return BindJsonOperator(op, std::move(l), std::move(r), e.location);
  }
  if (op == "->" || op == "->>" || op == "#>" || op == "#>>" || op == "?" || op == "?&" ||
      op == "#-") {
    return BindJsonOperator(op, BindExpr(*e.args[0]), BindExpr(*e.args[1]), e.location);
  }
  if (op == "<->" || op == "~=" || op == "<^" || op == ">^" || op == "<<|" || op == "|>>" ||
      op == "?-") {
    return BindGeometricOperator(op, BindExpr(*e.args[0]), BindExpr(*e.args[1]), e.location,
                                 e.args[0]->location, e.args[1]->location);
  }
  if (op == "@?" || op == "@@") {
    if (auto j = BindJsonOperator(op, BindExpr(*e.args[0]), BindExpr(*e.args[1]), e.location)) {
      return j;
    }
    ThrowAt(e.location, SqlState::kFeatureNotSupported, "operator {} is not supported", op);
  }
  if (op == "=" || op == "<>" || op == "!=" || op == "<" || op == ">" || op == "<=" || op == ">=") {
    return BindComparison(op, BindExpr(*e.args[0]), BindExpr(*e.args[1]), e.location,
                          e.args[0]->location, e.args[1]->location);
  }
  if (op == "+" || op == "-" || op == "*" || op == "/" || op == "%" || op == "^") {
    auto l = BindExpr(*e.args[0]);
    auto r = BindExpr(*e.args[1]);
    if (op == "-") {
      if (auto j = BindJsonOperator(op, l, r, e.location)) return j;
    }
    if (auto g =
            BindGeometricOperator(op, l, r, e.location, e.args[0]->location, e.args[1]->location)) {
      return g;
    }
    return BindArith(op, std::move(l), std::move(r), e.location);
  }
  if (op == "&" || op == "|" || op == "#" || op == "<<" || op == ">>") {
    auto l = BindExpr(*e.args[0]);
    auto r = BindExpr(*e.args[1]);
    if (op == "<<" || op == ">>") {
      if (auto g = BindGeometricOperator(op, l, r, e.location, e.args[0]->location,
                                         e.args[1]->location)) {
        return g;
      }
    }
    return BindIntegerBitOp(op, std::move(l), std::move(r), e.location);
  }
  if (op == "~" || op == "~*" || op == "!~" || op == "!~*" || upper == "SIMILAR TO" ||
      upper == "NOT SIMILAR TO") {
    return BindRegexOperator(e, upper);
  }
  if (op == "@>" || op == "<@" || op == "&&") {
    auto l = BindExpr(*e.args[0]);
    auto r = BindExpr(*e.args[1]);
    if (auto a = BindArrayOperator(op, l, r, e.location)) return a;
    if (op != "&&") {
      if (auto j = BindJsonOperator(op, l, r, e.location)) return j;
    }
    ThrowNoOperator(e.location, op, l->type, r->type);
  }
  if (op == "||") {
    auto l = BindExpr(*e.args[0]);
    auto r = BindExpr(*e.args[1]);
    if (auto a = BindArrayOperator(op, l, r, e.location)) return a;
    if (auto j = BindJsonOperator(op, l, r, e.location)) return j;
    const auto bits_or_unknown = [](TypeId t) {
      return CategoryOf(t) == TypeCategory::kBitString || t == TypeId::kUnknown;
    };
    if (bits_or_unknown(l->type.id) && bits_or_unknown(r->type.id) &&
        (l->type.id != TypeId::kUnknown || r->type.id != TypeId::kUnknown)) {  // bitcat
      const Type t = T(TypeId::kVarbit);
      return Fold(MakeExpr(BoundExprKind::kFunction, t,
                           {Coerce(l, t, CoercionContext::kImplicit, e.location),
                            Coerce(r, t, CoercionContext::kImplicit, e.location)},
                           "bitcat"));
    }
    const TypeId bytea = TypeId::kBytea;
    if ((l->type.id == bytea || r->type.id == bytea) &&
        (l->type.id == bytea || l->type.id == TypeId::kUnknown) &&
        (r->type.id == bytea || r->type.id == TypeId::kUnknown)) {  // byteacat
      const Type t = T(bytea);
      return Fold(MakeExpr(BoundExprKind::kFunction, t,
                           {Coerce(l, t, CoercionContext::kImplicit, e.location),
                            Coerce(r, t, CoercionContext::kImplicit, e.location)},
                           "byteacat"));
    }
    bool ls = IsStringish(l->type.id) || l->type.id == TypeId::kUnknown;
    bool rs = IsStringish(r->type.id) || r->type.id == TypeId::kUnknown;
    if (!ls && !rs) ThrowNoOperator(e.location, "||", l->type, r->type);
    Type text = T(TypeId::kText);
    // Non-string operands are converted by their output functions (anytextcat).
    auto to_text = [&](BoundExprPtr x) {
      if (x->type.id == TypeId::kText) return x;
      return Coerce(x, text, CoercionContext::kExplicit, e.location);
    };
    return MakeExpr(BoundExprKind::kConcat, text, {to_text(l), to_text(r)});
  }
  bool like = upper == "LIKE" || upper == "NOT LIKE" || upper == "~~" || upper == "!~~";
  bool ilike = upper == "ILIKE" || upper == "NOT ILIKE" || upper == "~~*" || upper == "!~~*";
  if (like || ilike) {
    bool negated = upper.rfind("NOT", 0) == 0 || upper[0] == '!';
    std::vector<BoundExprPtr> children;
    for (const auto& a : e.args) children.push_back(BindExpr(*a));
    // bytea LIKE bytea matches bytes (byteaLIKE); there is no bytea ILIKE.
    bool bytes = false;
    for (const auto& c : children) bytes |= c->type.id == TypeId::kBytea && like;
    for (auto& c : children) {
      const TypeId t = c->type.id;
      if (bytes ? (t != TypeId::kBytea && t != TypeId::kUnknown)
                : (!IsStringish(t) && t != TypeId::kUnknown)) {
        ThrowNoOperator(e.location, ilike ? "~~*" : "~~", children[0]->type, children[1]->type);
      }
      // bpchar LIKE text (bpcharlike) matches the blank-padded value.
      if (&c == &children[0] && t == TypeId::kBpchar) continue;
      c = Coerce(c, T(bytes ? TypeId::kBytea : TypeId::kText), CoercionContext::kImplicit,
                 e.location);
    }
    auto n = MakeExpr(BoundExprKind::kLike, T(TypeId::kBool), std::move(children),
                      ilike ? "ILIKE" : "LIKE");
    std::const_pointer_cast<BoundExpr>(n)->negated = negated;
    return n;
  }
  ThrowAt(e.location, SqlState::kFeatureNotSupported, "operator {} is not supported", op);
}

BoundExprPtr Binder::BindInList(const ast::Expr& e) {
  std::vector<BoundExprPtr> all;
  std::vector<int> locs;
  for (const auto& a : e.args) {
    all.push_back(BindExpr(*a));
    locs.push_back(a->location);
  }
  if (IsRecordLike(all[0]->type.id)) {
    // A row value IN (...): x = a OR x = b (NOT IN: x <> a AND ...) with record_eq; unknown
    // literals read as the first composite type among the operands (select_common_type).
    Type target = all[0]->type;
    for (const auto& x : all) {
      if (IsCompositeType(target.id)) break;
      if (IsCompositeType(x->type.id)) target = x->type;
    }
    std::vector<BoundExprPtr> parts;
    for (size_t i = 1; i < all.size(); ++i) {
      BoundExprPtr item = all[i];
      if (item->type.id == TypeId::kUnknown && IsCompositeType(target.id)) {
        item = Coerce(item, target, CoercionContext::kImplicit, locs[i]);
      }
      parts.push_back(
          BindComparison(e.negated ? "<>" : "=", all[0], item, e.location, locs[0], locs[i]));
    }
    if (parts.size() == 1) return parts[0];
    return MakeExpr(e.negated ? BoundExprKind::kAnd : BoundExprKind::kOr, T(TypeId::kBool),
                    std::move(parts));
  }
  // PostgreSQL's transformAExprIn: the items that read no column of this level go into one
  // `= ANY (array)` when there are two or more of them; the other items (every item otherwise)
  // are compared one by one after it, ORed (ANDed for NOT IN), so that a qual stops at the first
  // of them that decides the row.
  std::vector<size_t> vars, nonvars;
  for (size_t i = 1; i < all.size(); ++i) {
    std::set<int> cols;
    CollectColumns(all[i], &cols);
    (cols.empty() ? nonvars : vars).push_back(i);
  }
  if (!vars.empty()) {
    std::vector<BoundExprPtr> parts;
    std::vector<size_t> singles;
    if (nonvars.size() > 1) {
      std::vector<BoundExprPtr> list = {all[0]};
      std::vector<int> list_locs = {locs[0]};
      for (size_t i : nonvars) {
        list.push_back(all[i]);
        list_locs.push_back(locs[i]);
      }
      parts.push_back(BindInListOfValues(e, std::move(list), list_locs));
      singles = vars;
    } else {
      for (size_t i = 1; i < all.size(); ++i) singles.push_back(i);
    }
    for (size_t i : singles) {
      parts.push_back(
          BindComparison(e.negated ? "<>" : "=", all[0], all[i], e.location, locs[0], locs[i]));
    }
    if (parts.size() == 1) return parts[0];
    return MakeExpr(e.negated ? BoundExprKind::kAnd : BoundExprKind::kOr, T(TypeId::kBool),
                    std::move(parts));
  }
  return BindInListOfValues(e, std::move(all), locs);
}

BoundExprPtr Binder::BindInListOfValues(const ast::Expr& e, std::vector<BoundExprPtr> all,
                                        const std::vector<int>& locs) {
  // select_common_type; where it fails PostgreSQL reports the failing `=` operator.
  Type ptype = Type::Of(TypeId::kUnknown);
  for (const auto& x : all) {
    if (x->type.id == TypeId::kUnknown) continue;
    if (ptype.id == TypeId::kUnknown) {
      ptype = x->type;
    } else if (CategoryOf(x->type.id) != CategoryOf(ptype.id)) {
      ThrowNoOperator(e.location, "=", all[0]->type.id == TypeId::kUnknown ? ptype : all[0]->type,
                      x->type);
    }
  }
  if (CategoryOf(ptype.id) == TypeCategory::kGeometric) {
    // No `=` for point: one item is `x = item` as written, several `x = ANY (array)`.
    const bool one = all.size() == 2;
    ThrowNoOperator(e.location, "=", one ? all[0]->type : ptype, one ? all[1]->type : ptype);
  }
  CommonType(&all, locs, "IN");
  auto n = MakeExpr(BoundExprKind::kInList, T(TypeId::kBool), std::move(all));
  std::const_pointer_cast<BoundExpr>(n)->negated = e.negated;
  return n;
}

void Binder::CheckNoSrfSince(int count_before, const char* what) const {
  if (srf_count_ == count_before) return;
  Error err(SqlState::kFeatureNotSupported,
            fmt::format("set-returning functions are not allowed in {}", what));
  err.Hint("You might be able to move the set-returning function into a LATERAL FROM item.");
  if (last_srf_location_ >= 0) err.Position(last_srf_location_ + 1);
  throw err;
}

BoundExprPtr Binder::BindCase(const ast::Expr& e) {
  const int srfs_before = srf_count_;
  BoundExprPtr n = BindCaseArms(e);
  CheckNoSrfSince(srfs_before, "CASE");
  return n;
}

BoundExprPtr Binder::BindCaseArms(const ast::Expr& e) {
  BoundExprPtr arg;
  if (e.has_case_arg) arg = BindExpr(*e.args[0]);
  std::vector<BoundExprPtr> conds, results;
  std::vector<int> result_locs;
  // PostgreSQL resolves the ELSE result first: "CASE types text and integer".
  if (e.else_expr) {
    results.push_back(BindExpr(*e.else_expr));
    result_locs.push_back(e.else_expr->location);
  }
  for (size_t i = 0; i + 1 < e.when_then.size(); i += 2) {
    const ast::Expr& w = *e.when_then[i];
    if (arg) {
      conds.push_back(
          BindComparison("=", arg, BindExpr(w), w.location, e.args[0]->location, w.location));
    } else {
      conds.push_back(BindCondition(w, "CASE/WHEN"));
    }
    results.push_back(BindExpr(*e.when_then[i + 1]));
    result_locs.push_back(e.when_then[i + 1]->location);
  }
  Type t = CommonType(&results, result_locs, "CASE");
  std::vector<BoundExprPtr> children;
  size_t first_then = e.else_expr ? 1 : 0;
  for (size_t i = 0; i < conds.size(); ++i) {
    children.push_back(conds[i]);
    children.push_back(results[first_then + i]);
  }
  if (e.else_expr) children.push_back(results[0]);
  auto n = MakeExpr(BoundExprKind::kCase, t, std::move(children));
  std::const_pointer_cast<BoundExpr>(n)->has_else = e.else_expr != nullptr;
  return n;
}

BoundExprPtr Binder::BindVariadic(const ast::Expr& e, BoundExprKind kind, const char* what) {
  std::vector<BoundExprPtr> args;
  std::vector<int> locs;
  const int srfs_before = srf_count_;
  for (const auto& a : e.args) {
    args.push_back(BindExpr(*a));
    locs.push_back(a->location);
  }
  if (kind == BoundExprKind::kCoalesce) CheckNoSrfSince(srfs_before, "COALESCE");
  Type t = CommonType(&args, locs, what);
  if (kind != BoundExprKind::kCoalesce && !HasBtreeOperators(t.id)) {
    // greatest/least need the type's btree comparison function.
    Throw(SqlState::kUndefinedFunction, "could not identify a comparison function for type {}",
          TypeName(Type::Of(t.id)));
  }
  return MakeExpr(kind, t, std::move(args));
}

// ---------------------------------------------------------------------------------------------
// Subqueries

PlanPtr Binder::PlanSubquery(const ast::SelectStmt& s, bool* correlated) {
  Binder sub(ctx_, this, this);
  PlanPtr plan = sub.PlanSelect(s);
  *correlated = sub.has_outer_refs_;
  return plan;
}

BoundExprPtr Binder::BindSubqueryExpr(const ast::Expr& e) {
  using K = ast::ExprKind;
  if (!e.subquery) return BindArrayAnyAll(e);
  bool correlated = false;
  PlanPtr plan = PlanSubquery(*e.subquery, &correlated);
  auto n = std::make_shared<BoundExpr>();
  n->subquery = plan;
  n->correlated = correlated;
  n->negated = e.negated;
  if (e.kind == K::kExists) {
    n->kind = BoundExprKind::kExists;
    n->type = T(TypeId::kBool);
    exists_sources_[n.get()] = e.subquery.get();
    return n;
  }
  if (e.kind == K::kSubquery) {
    if (plan->output_types.size() != 1) {
      ThrowAt(e.location, SqlState::kSyntaxError, "subquery must return only one column");
    }
    n->kind = BoundExprKind::kSubquery;
    n->type = plan->output_types[0];
    return n;
  }
  // IN / op ANY / op ALL
  if (plan->output_types.size() != 1) {
    if (plan->output_types.size() > 1) {
      ThrowAt(e.location, SqlState::kSyntaxError, "subquery has too many columns");
    }
    ThrowAt(e.location, SqlState::kSyntaxError, "subquery has too few columns");
  }
  std::string op = e.kind == K::kInSubquery ? "=" : e.op;
  if (op == "!=") op = "<>";
  if (op != "=" && op != "<>" && op != "<" && op != ">" && op != "<=" && op != ">=") {
    ThrowAt(e.location, SqlState::kFeatureNotSupported, "operator {} is not supported with ANY/ALL",
            op);
  }
  auto lhs = BindExpr(*e.args[0]);
  // Type the comparison as if against a column of the subquery's type.
  auto probe = MakeColumn(0, plan->output_types[0]);
  auto cmp = BindComparison(op, lhs, probe, e.location);
  BoundExprPtr rhs = cmp->children[1];
  if (rhs->type != plan->output_types[0]) {
    plan =
        MakeProject(plan, {rhs}, {plan->output_names.empty() ? "?column?" : plan->output_names[0]});
  }
  n->kind = BoundExprKind::kInSubquery;
  n->type = T(TypeId::kBool);
  n->op = op;
  n->sublink_all = e.kind == K::kAnyAll && e.sublink_all;
  n->children = {cmp->children[0]};
  n->subquery = plan;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Functions and aggregates

// f(name => x): the functions whose parameters have names and defaults (pg_proc's
// proargnames/proargdefaults). Only make_interval has them so far; the call becomes a
// positional one with the defaults filled in.
BoundExprPtr Binder::BindNamedArgCall(const ast::Expr& e, const std::string& name) {
  size_t first_named = 0;
  while (e.arg_names[first_named].empty()) ++first_named;
  if (name == "parse_ident") return BindNamedStringCall(e, name);
  if (IsJsonFunctionName(name)) {
    std::vector<BoundExprPtr> args;
    std::vector<int> locs;
    for (const auto& a : e.args) {
      args.push_back(BindExpr(*a));
      locs.push_back(a->location);
    }
    return BindJsonFunction(e, name, std::move(args), locs);
  }
  if (name != "make_interval") {
    ThrowAt(e.args[first_named]->location, SqlState::kFeatureNotSupported,
            "named function arguments are not supported");
  }
  static const char* const kParams[] = {"years", "months", "weeks", "days",
                                        "hours", "mins",   "secs"};
  std::vector<int> slots(7, -1);
  bool unknown_name = false;
  for (size_t i = 0; i < e.args.size(); ++i) {
    size_t slot = i;
    if (!e.arg_names[i].empty()) {
      for (size_t j = i + 1; j < e.args.size(); ++j) {
        if (e.arg_names[j] == e.arg_names[i]) {
          ThrowAt(e.args[j]->location, SqlState::kSyntaxError,
                  "argument name \"{}\" used more than once", e.arg_names[i]);
        }
      }
      slot =
          std::find(std::begin(kParams), std::end(kParams), e.arg_names[i]) - std::begin(kParams);
    }
    if (slot >= 7 || slots[slot] >= 0) {
      unknown_name = true;
      break;
    }
    slots[slot] = static_cast<int>(i);
  }
  std::vector<BoundExprPtr> bound, args;
  std::vector<std::string> shown;
  for (size_t i = 0; i < e.args.size(); ++i) {
    bound.push_back(BindExpr(*e.args[i]));
    std::string t = TypeDisplayName(bound.back()->type);
    shown.push_back(e.arg_names[i].empty() ? t : e.arg_names[i] + " => " + t);
  }
  if (unknown_name) ThrowNoFunction(e.location, name, shown);
  for (size_t k = 0; k < 7; ++k) {
    BoundExprPtr a;
    Type want = Type::Of(k == 6 ? TypeId::kFloat64 : TypeId::kInt32);
    if (slots[k] < 0) {
      a = MakeConst(k == 6 ? Value::Float64(0) : Value::Int32(0));
    } else {
      a = Coerce(bound[slots[k]], want, CoercionContext::kImplicit, e.args[slots[k]]->location);
    }
    args.push_back(a);
  }
  return MakeExpr(BoundExprKind::kFunction, Type::Of(TypeId::kInterval), std::move(args),
                  "make_interval");
}

namespace {

// Built-in set-returning functions whose rows have named columns (their pg_proc OUT
// parameters): each row is a blessed record, expanded into columns in FROM (BindCallScan).
struct RecordSetFunction {
  const char* name;
  std::vector<Type> params;
  std::vector<CompositeField> columns;
};

const std::vector<RecordSetFunction>& RecordSetFunctions() {
  static const std::vector<RecordSetFunction> kFunctions = {
      {"pg_options_to_table",
       {T(kTextArrayType)},
       {{"option_name", T(TypeId::kText)}, {"option_value", T(TypeId::kText)}}},
      {"aclexplode",
       {T(kAclItemArrayType)},
       {{"grantor", T(TypeId::kOid)},
        {"grantee", T(TypeId::kOid)},
        {"privilege_type", T(TypeId::kText)},
        {"is_grantable", T(TypeId::kBool)}}},
      {"pg_get_keywords",
       {},
       {{"word", T(TypeId::kText)},
        {"catcode", T(TypeId::kChar)},
        {"barelabel", T(TypeId::kBool)},
        {"catdesc", T(TypeId::kText)},
        {"baredesc", T(TypeId::kText)}}},
  };
  return kFunctions;
}

}  // namespace

BoundExprPtr Binder::BindFuncCall(const ast::Expr& e) {
  if (auto u = TryBindUserFunction(e)) return *u;
  return BindFuncCallBuiltin(e);
}

BoundExprPtr Binder::BindFuncCallBuiltin(const ast::Expr& e) {
  std::string name = e.names.empty() ? "" : e.names.back();
  std::transform(name.begin(), name.end(), name.begin(), ::tolower);
  if (e.names.size() == 2 && e.names[0] == "information_schema" && name == "_pg_expandarray") {
    // _pg_expandarray(anyarray) returns setof (x anyelement, n int): pgjdbc's getPrimaryKeys
    // reads (information_schema._pg_expandarray(i.indkey)).n.
    CheckSetReturningPlace(e.location);
    if (e.args.size() != 1)
      ThrowAt(e.location, SqlState::kUndefinedFunction, "function {}() does not exist",
              fmt::join(e.names, "."));
    BoundExprPtr arr = BindExpr(*e.args[0]);
    if (!IsArrayType(arr->type.id)) {
      ThrowAt(e.location, SqlState::kUndefinedFunction,
              "function information_schema._pg_expandarray({}) does not exist",
              TypeDisplayName(arr->type));
    }
    ++srf_count_;
    last_srf_location_ = e.location;
    const Type row{kRecordType,
                   RecordTypmodOf({{"x", ElementTypeOf(arr->type)}, {"n", T(TypeId::kInt32)}})};
    return MakeExpr(BoundExprKind::kFunction, row, {std::move(arr)}, "_pg_expandarray");
  }
  if (e.names.size() > 1 && e.names[0] != "pg_catalog") {
    ThrowAt(e.location, SqlState::kUndefinedFunction, "function {}() does not exist",
            fmt::join(e.names, "."));
  }
  // pg_options_to_table(text[]), pg_get_keywords(): rows of named columns.
  for (const RecordSetFunction& f : RecordSetFunctions()) {
    if (name != f.name || e.star || e.distinct || !e.arg_names.empty()) continue;
    std::vector<BoundExprPtr> args;
    for (const auto& a : e.args) args.push_back(BindExpr(*a));
    if (args.size() != f.params.size()) ThrowNoFunction(e.location, name, args);
    for (size_t i = 0; i < args.size(); ++i) {
      if (args[i]->type.id != f.params[i].id &&
          !CanCoerce(args[i]->type.id, f.params[i].id, CoercionContext::kImplicit)) {
        ThrowNoFunction(e.location, name, args);
      }
      args[i] = Coerce(args[i], f.params[i], CoercionContext::kImplicit, e.args[i]->location);
    }
    CheckSetReturningPlace(e.location);
    ++srf_count_;
    last_srf_location_ = e.location;
    return MakeExpr(BoundExprKind::kFunction, Type{kRecordType, RecordTypmodOf(f.columns)},
                    std::move(args), name);
  }
  // rank() ... cume_dist() without arguments are the window functions; percentile_* and mode
  // without WITHIN GROUP do not exist (42883, BindPlainCall).
  if (e.within_group ||
      (IsOrderedSetAggregateName(name) && IsWindowFunctionName(name) && !e.args.empty())) {
    return BindWithinGroupCall(e, name);
  }
  if (e.has_over && (IsAggregateName(name) || IsWindowFunctionName(name))) {
    return BindWindowCall(e, name);
  }
  if (!e.has_over && IsWindowFunctionName(name)) {
    ThrowAt(e.location, SqlState::kWrongObjectType, "window function {} requires an OVER clause",
            name);
  }
  if (e.has_over) {
    // PostgreSQL resolves the function first (42883 for an unknown one), then refuses OVER.
    BindPlainCall(e, name);
    ThrowAt(e.location, SqlState::kWrongObjectType,
            "OVER specified, but {} is not a window function nor an aggregate function", name);
  }
  if (name == "pg_create_physical_replication_slot" ||
      name == "pg_create_logical_replication_slot") {
    // They return a record, which the function table cannot type yet.
    Error err(SqlState::kFeatureNotSupported,
              fmt::format("function {} is not supported yet", name));
    if (e.location >= 0) err.Position(e.location + 1);
    err.Hint(
        "Create a physical slot with CREATE_REPLICATION_SLOT name PHYSICAL on a replication "
        "connection.");
    throw err;
  }
  return BindPlainCall(e, name);
}

// A call with WITHIN GROUP, or a hypothetical-set aggregate's name with arguments and without
// OVER (rank(3): PostgreSQL's VARIADIC "any" signature matches, then wants WITHIN GROUP).
BoundExprPtr Binder::BindWithinGroupCall(const ast::Expr& e, const std::string& name) {
  if (IsOrderedSetAggregateName(name)) {
    if (e.has_over) {
      ThrowAt(e.location, SqlState::kFeatureNotSupported,
              "OVER is not supported for ordered-set aggregate {}", name);
    }
    if (!e.within_group) {
      ThrowAt(e.location, SqlState::kWrongObjectType,
              "WITHIN GROUP is required for ordered-set aggregate {}", name);
    }
    return BindOrderedSetAggregate(e, name);
  }
  // No other function takes WITHIN GROUP: PostgreSQL finds none for the direct and ordering
  // arguments together.
  std::vector<BoundExprPtr> args;
  for (const auto& a : e.args) args.push_back(BindExpr(*a));
  for (const ast::SortItem& item : e.agg_order_by) args.push_back(BindExpr(*item.expr));
  ThrowNoFunction(e.location, name, args);
}

// TimescaleDB's hypertable functions, bound by BindTimeSeriesCall (bind_timeseries.cpp).
bool IsHypertableFunctionName(const std::string& name);

BoundExprPtr Binder::BindPlainCall(const ast::Expr& e, std::string name) {
  if ((name == "time_bucket" || name == "time_bucket_gapfill" || name == "locf" ||
       name == "interpolate" || IsHypertableFunctionName(name)) &&
      !e.variadic && !e.distinct && !e.filter && e.agg_order_by.empty() && !e.star) {
    return BindTimeSeriesCall(e, name);
  }
  if (!e.arg_names.empty()) return BindNamedArgCall(e, name);
  if (e.variadic) return BindVariadicCall(e, name);
  if (IsAggregateName(name)) return BindAggregate(e, name);
  if ((name == "nextval" || name == "currval" || name == "setval") && !e.args.empty() &&
      !e.distinct && !e.filter && e.agg_order_by.empty() && !e.star) {
    return BindSequenceFunction(e, name);
  }
  if (e.distinct || e.filter || !e.agg_order_by.empty() || e.star) {
    ThrowAt(e.location, SqlState::kWrongObjectType,
            "{} specified, but {} is not an aggregate function",
            e.distinct ? "DISTINCT"
            : e.filter ? "FILTER"
            : e.star   ? "*"
                       : "ORDER BY",
            name);
  }
  if (name == "generate_series") return BindSelectListGenerateSeries(e);
  std::vector<BoundExprPtr> args;
  std::vector<int> locs;
  for (size_t i = 0; i < e.args.size(); ++i) {
    const ast::Expr& a = *e.args[i];
    // (EXTRACT(field FROM x) arrives with the field as a string constant: a column named like
    // a unit is a column here, as in PostgreSQL.)
    args.push_back(BindExpr(a));
    locs.push_back(a.location);
  }
  if (name == "position" && args.size() == 2) {
    std::swap(args[0], args[1]);
    std::swap(locs[0], locs[1]);
    name = "strpos";
  }
  if (name == "current_catalog") name = "current_database";
  if (name == "current_role") name = "current_user";
  if (name == "unnest") return BindSelectListUnnest(e, std::move(args));
  if (name == "enum_first" || name == "enum_last" || name == "enum_range") {
    return BindEnumFunction(e, name, std::move(args), locs);
  }
  if (IsArrayFunctionName(name, args.size()))
    return BindArrayFunction(e, name, std::move(args), locs);
  if (IsJsonFunctionName(name)) return BindJsonFunction(e, name, std::move(args), locs);
  return BindScalarFunction(e, name, std::move(args), locs);
}

// enum_first(anyenum), enum_last(anyenum) -> anyenum; enum_range(anyenum) and
// enum_range(anyenum, anyenum) -> anyarray (executor/functions.cpp).
BoundExprPtr Binder::BindEnumFunction(const ast::Expr& e, const std::string& name,
                                      std::vector<BoundExprPtr> args,
                                      const std::vector<int>& locs) {
  const size_t max_args = name == "enum_range" ? 2 : 1;
  if (args.empty() || args.size() > max_args) ThrowNoFunction(e.location, name, args);
  TypeId t = TypeId::kUnknown;
  for (const auto& a : args) {
    if (a->type.id == TypeId::kUnknown) continue;
    if (t != TypeId::kUnknown && a->type.id != t) ThrowNoFunction(e.location, name, args);
    t = a->type.id;
  }
  if (t != TypeId::kUnknown && CategoryOf(t) != TypeCategory::kEnum) {
    ThrowNoFunction(e.location, name, args);
  }
  if (t == TypeId::kUnknown) ThrowNoFunction(e.location, name, args);
  for (size_t i = 0; i < args.size(); ++i) {
    args[i] = Coerce(args[i], T(t), CoercionContext::kImplicit, locs[i]);
  }
  Type result = T(t);
  if (name == "enum_range") result = T(static_cast<TypeId>(TypeInfoOf(t).array_oid));
  return MakeExpr(BoundExprKind::kFunction, result, std::move(args), name);
}

BoundExprPtr Binder::BindScalarFunction(const ast::Expr& e, const std::string& name_in,
                                        std::vector<BoundExprPtr> args,
                                        const std::vector<int>& locations) {
  std::string name = name_in;
  if (name == "current_catalog") name = "current_database";
  if (name == "current_role") name = "current_user";
  std::vector<Type> types;
  for (const auto& a : args) types.push_back(a->type);
  // An unknown literal fits to_char's timestamp, interval and number candidates, which are in
  // different type categories, so PostgreSQL cannot choose (func_select_candidate).
  if (name == "to_char" && types.size() == 2 && types[0].id == TypeId::kUnknown) {
    std::vector<std::string> tn;
    for (const auto& t : types) tn.push_back(TypeDisplayName(t));
    Error err(SqlState::kAmbiguousFunction,
              fmt::format("function {}({}) is not unique", name, fmt::join(tn, ", ")));
    err.Hint(
        "Could not choose a best candidate function. You might need to add explicit type "
        "casts.");
    if (e.location >= 0) err.Position(e.location + 1);
    throw err;
  }
  // typename('literal') is always a coercion, before any function of that name
  // (func_get_detail): point('(1,2)'), uuid('...'), pg_lsn('0/1').
  if (TypeId cast_to; args.size() == 1 && types[0].id == TypeId::kUnknown &&
                      args[0]->kind == BoundExprKind::kConstant && e.arg_names.empty() &&
                      name.find(' ') == std::string::npos && LookupTypeName(name, &cast_to)) {
    return Coerce(args[0], Type::Of(cast_to), CoercionContext::kExplicit,
                  !locations.empty() ? locations[0] : e.location);
  }
  FunctionMatch match;
  bool known = false;
  if (!LookupFunction(name, types, &match, &known)) {
    // A function-style cast: a one-argument call named like a type with a cast from the
    // argument (PostgreSQL's func_get_detail FUNCDETAIL_COERCION): float8(x), int4(x), text(x).
    TypeId cast_to;
    if (args.size() == 1 && !IsArrayType(types[0].id) && LookupTypeName(name, &cast_to) &&
        name.find(' ') == std::string::npos && types[0].id != TypeId::kUnknown &&
        CanCoerce(types[0].id, cast_to, CoercionContext::kExplicit)) {
      return Coerce(args[0], Type::Of(cast_to), CoercionContext::kExplicit, e.location);
    }
    // int4pl(1, 2), date_pli(d, 3): an operator's or a cast's implementation function.
    if (auto s = BindSupportFunctionCall(this, e, name, args, locations)) return *s;
    // Transaction ids beyond the current transaction's (executor/xact_ids.h): ActiveStore keeps
    // no outcome of past transactions and no list of running ones by id, and has no xid8 or
    // snapshot types.
    static const std::set<std::string> kXactIdFunctions = {
        "txid_status",         "pg_xact_status",           "txid_current_snapshot",
        "pg_current_snapshot", "txid_snapshot_xmin",       "txid_snapshot_xmax",
        "txid_snapshot_xip",   "txid_visible_in_snapshot", "pg_snapshot_xmin",
        "pg_snapshot_xmax",    "pg_snapshot_xip",          "pg_visible_in_snapshot"};
    if (kXactIdFunctions.count(name) > 0) {
      ThrowAt(e.location, SqlState::kFeatureNotSupported, "{}() is not supported", name);
    }
    std::vector<std::string> tn;
    for (const auto& t : types) tn.push_back(TypeDisplayName(t));
    Error err(SqlState::kUndefinedFunction,
              fmt::format("function {}({}) does not exist", name, fmt::join(tn, ", ")));
    err.Hint(kFunctionHint);
    if (e.location >= 0) err.Position(e.location + 1);
    throw err;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    // pg_typeof("any") reports an untyped literal as unknown, as PostgreSQL.
    if (name == "pg_typeof" && args[i]->type.id == TypeId::kUnknown) continue;
    args[i] = Coerce(args[i], match.params[i], CoercionContext::kImplicit,
                     i < locations.size() ? locations[i] : e.location);
  }
  if (IsSetReturningFunction(match.impl)) CheckSetReturningPlace(e.location);
  return MakeExpr(BoundExprKind::kFunction, match.result, std::move(args), match.impl);
}

void Binder::CheckSetReturningPlace(int location) {
  // Counted for the checks of CASE/COALESCE arguments (no set-returning call inside).
  ++srf_count_;
  last_srf_location_ = location;
  // A set-returning call in FROM is checked by BindCallScan (only at the top).
  if (clause_ == Clause::kFromFunction) return;
  if (in_aggregate_) {
    ThrowAt(location, SqlState::kFeatureNotSupported,
            "aggregate function calls cannot contain set-returning function calls");
  }
  if (clause_ != Clause::kSelectList) {
    ThrowAt(location, SqlState::kFeatureNotSupported,
            "set-returning functions are not allowed in {}", ClauseName(clause_));
  }
}

// generate_series(...) as a select-list item (kProjectSet runs it).
BoundExprPtr Binder::BindSelectListGenerateSeries(const ast::Expr& e) {
  std::vector<BoundExprPtr> args;
  Type result = BindGenerateSeriesArgs(e, &args);
  CheckSetReturningPlace(e.location);
  return MakeExpr(BoundExprKind::kFunction, result, std::move(args), "generate_series");
}

BoundExprPtr Binder::BindSequenceFunction(const ast::Expr& e, const std::string& name) {
  const ast::Expr& a0 = *e.args[0];
  auto is_string_const = [](const ast::Expr& x) {
    return x.kind == ast::ExprKind::kConstant && x.const_kind == ast::ConstKind::kString;
  };
  auto is_regclass_cast = [](const ast::Expr& x) {
    return x.kind == ast::ExprKind::kCast && x.type && x.type->name == "regclass" &&
           x.type->array_bounds == 0 && x.args.size() == 1;
  };
  std::shared_ptr<const storage::TableInfo> relation;
  BoundExprPtr first;
  std::string first_type = "regclass";
  if (is_string_const(a0) || (is_regclass_cast(a0) && is_string_const(*a0.args[0]))) {
    // An unknown literal (or a regclass cast of one) is regclass input, read now.
    const ast::Expr& lit = is_string_const(a0) ? a0 : *a0.args[0];
    relation = LookupRelationText(lit.value_text, lit.location);
    first = MakeConst(Value::Int64(relation->oid));
  } else {
    first = BindExpr(is_regclass_cast(a0) ? *a0.args[0] : a0);
    TypeId t = first->type.id;
    if (t == TypeId::kUnknown || IsStringish(t)) {
      first = Coerce(first, Type::Of(TypeId::kText), CoercionContext::kImplicit, a0.location);
    } else if (IsIntegerType(t)) {
      // An oid (integer -> regclass is an implicit cast in PostgreSQL).
      first = Coerce(first, Type::Of(TypeId::kInt64), CoercionContext::kImplicit, a0.location);
    } else if (t == kRegClassType || t == TypeId::kOid) {
      // A regclass (or oid) value: its oid.
      first = Coerce(first, Type::Of(TypeId::kInt64), CoercionContext::kAssignment, a0.location);
    } else {
      first_type = TypeDisplayName(first->type);
      first = nullptr;
    }
  }
  std::vector<BoundExprPtr> args;
  std::vector<std::string> shown = {first_type};
  bool ok = first != nullptr;
  args.push_back(first);
  for (size_t i = 1; i < e.args.size(); ++i) {
    BoundExprPtr b = BindExpr(*e.args[i]);
    shown.push_back(TypeDisplayName(b->type));
    args.push_back(std::move(b));
  }
  size_t n = e.args.size();
  ok = ok && (name == "setval" ? (n == 2 || n == 3) : n == 1);
  if (ok && n >= 2) ok = CanCoerce(args[1]->type.id, TypeId::kInt64, CoercionContext::kImplicit);
  if (ok && n == 3) ok = CanCoerce(args[2]->type.id, TypeId::kBool, CoercionContext::kImplicit);
  if (!ok) {
    Error err(SqlState::kUndefinedFunction,
              fmt::format("function {}({}) does not exist", name, fmt::join(shown, ", ")));
    err.Hint(kFunctionHint);
    if (e.location >= 0) err.Position(e.location + 1);
    throw err;
  }
  if (n >= 2) {
    args[1] =
        Coerce(args[1], Type::Of(TypeId::kInt64), CoercionContext::kImplicit, e.args[1]->location);
  }
  if (n == 3) {
    args[2] =
        Coerce(args[2], Type::Of(TypeId::kBool), CoercionContext::kImplicit, e.args[2]->location);
  }
  auto fn = std::make_shared<BoundExpr>();
  fn->kind = BoundExprKind::kFunction;
  fn->type = Type::Of(TypeId::kInt64);
  fn->op = name;
  fn->children = std::move(args);
  fn->relation = std::move(relation);
  return fn;
}

void Binder::CheckAggregatePlace(int location) const {
  if (clause_ != Clause::kSelectList && clause_ != Clause::kHaving && clause_ != Clause::kOrderBy) {
    ThrowAt(location, SqlState::kGroupingError, "aggregate functions are not allowed in {}",
            ClauseName(clause_));
  }
  if (in_aggregate_) {
    ThrowAt(location, SqlState::kGroupingError, "aggregate function calls cannot be nested");
  }
}

BoundExprPtr Binder::AddAggregate(AggregateSpec spec) {
  aggregates_.push_back(std::move(spec));
  auto placeholder = std::make_shared<BoundExpr>();
  placeholder->kind = BoundExprKind::kAggregate;
  placeholder->type = aggregates_.back().result_type;
  placeholder->column_index = static_cast<int>(aggregates_.size()) - 1;
  return placeholder;
}

BoundExprPtr Binder::BindAggregate(const ast::Expr& e, const std::string& name) {
  AggregateSpec spec = BindAggregateSpec(e, name, /*window=*/false);
  // An aggregate over only an enclosing query's columns belongs to that query (PostgreSQL's
  // agglevelsup: the nearest level whose columns its arguments or FILTER read); inside one of
  // its aggregate's arguments it is nested there.
  bool local = false;
  int level = 0;  // the nearest enclosing level whose columns the arguments read
  auto visit = [&](const BoundExprPtr& a) {
    VisitExpr(a, [&](const BoundExpr& n, int depth) {
      local |= (n.kind == BoundExprKind::kColumn ||
                (n.kind == BoundExprKind::kAggregate && n.outer_depth == 0)) &&
               depth == 0;
      if ((n.kind == BoundExprKind::kOuterColumn || n.kind == BoundExprKind::kAggregate) &&
          n.outer_depth > depth) {
        const int l = n.outer_depth - depth;
        level = level == 0 ? l : std::min(level, l);
      }
    });
  };
  for (const auto& a : spec.args) visit(a);
  visit(spec.filter);
  // In a LATERAL item, over columns of the query the item is in only: that query's aggregate.
  if (lateral_item_ && !local && level == 1) {
    ThrowAt(e.location, SqlState::kGroupingError,
            "aggregate functions are not allowed in FROM clause of their own query level");
  }
  Binder* owner = this;
  if (!local && level > 0) {
    for (int i = 0; i < level && owner != nullptr; ++i) owner = owner->parent_;
    if (owner == nullptr) Throw(SqlState::kInternalError, "aggregate of an unknown query level");
  } else {
    level = 0;
  }
  // Where the aggregate may be is the owning query's clause.
  owner->CheckAggregatePlace(e.location);
  const bool json_containers = IsJsonAggregateName(name) && JsonAggregateOfContainers(spec);
  BoundExprPtr result;
  if (level == 0) {
    result = AddAggregate(std::move(spec));
  } else {
    // The arguments move to the owning query's row: its columns (outer references `level`
    // levels out) become its own, references further out come `level` levels nearer.
    auto onto_owner = [level](const BoundExpr& n, int depth) -> BoundExprPtr {
      if ((n.kind != BoundExprKind::kOuterColumn && n.kind != BoundExprKind::kAggregate) ||
          n.outer_depth < depth + level) {
        return nullptr;
      }
      auto c = std::make_shared<BoundExpr>(n);
      c->outer_depth -= level;
      if (c->kind == BoundExprKind::kOuterColumn && c->outer_depth == 0) {
        c->kind = BoundExprKind::kColumn;
      }
      return c;
    };
    for (auto& a : spec.args) a = RewriteExpr(a, onto_owner, /*descend_all_subqueries=*/false);
    if (spec.filter) spec.filter = RewriteExpr(spec.filter, onto_owner, false);
    auto placeholder = std::make_shared<BoundExpr>(*owner->AddAggregate(std::move(spec)));
    placeholder->outer_depth = level;  // the owner's aggregate, read as an outer reference
    result = placeholder;
  }
  if (IsJsonAggregateName(name)) return FinishJsonAggregate(name, result, json_containers);
  return result;
}

AggregateSpec Binder::BindAggregateSpec(const ast::Expr& e, const std::string& name, bool window) {
  // The arguments of a window aggregate are over the grouped rows: aggregates may appear there.
  const bool saved_in_aggregate = in_aggregate_;
  const Clause saved_clause = clause_;
  in_aggregate_ = !window;
  std::vector<BoundExprPtr> args;
  std::vector<int> locs;
  BoundExprPtr filter;
  try {
    for (const auto& a : e.args) {
      args.push_back(BindExpr(*a));
      locs.push_back(a->location);
    }
    if (e.filter) {
      if (window) clause_ = Clause::kFilter;
      filter = BindCondition(*e.filter, "FILTER");
    }
  } catch (...) {
    in_aggregate_ = saved_in_aggregate;
    clause_ = saved_clause;
    throw;
  }
  in_aggregate_ = saved_in_aggregate;
  clause_ = saved_clause;

  auto no_function = [&]() { ThrowNoFunction(e.location, name, args); };
  auto not_unique = [&]() {
    Error err(SqlState::kAmbiguousFunction,
              fmt::format("function {}(unknown) is not unique", name));
    err.Hint(
        "Could not choose a best candidate function. You might need to add explicit type "
        "casts.");
    if (e.location >= 0) err.Position(e.location + 1);
    throw err;
  };

  AggregateSpec spec;
  spec.distinct = e.distinct;
  spec.filter = filter;
  if (name == "count") {
    if (!e.star && args.empty()) {
      ThrowAt(e.location, SqlState::kWrongObjectType,
              "count(*) must be used to call a parameterless aggregate function");
    }
    if (e.star) {
      spec.kind = AggKind::kCountStar;
      args.clear();
    } else {
      if (args.size() != 1) no_function();
      spec.kind = AggKind::kCount;
      args[0] = ResolveUnknown(args[0], locs[0]);
    }
    spec.result_type = T(TypeId::kInt64);
  } else if (name == "string_agg") {
    if (args.size() != 2) no_function();
    // string_agg(text, text) or string_agg(bytea, bytea).
    const bool bytes = args[0]->type.id == TypeId::kBytea || args[1]->type.id == TypeId::kBytea;
    const Type t = T(bytes ? TypeId::kBytea : TypeId::kText);
    for (size_t i = 0; i < 2; ++i) {
      TypeId a = args[i]->type.id;
      if (bytes ? (a != TypeId::kBytea && a != TypeId::kUnknown)
                : (!IsStringish(a) && a != TypeId::kUnknown)) {
        no_function();
      }
      args[i] = Coerce(args[i], t, CoercionContext::kImplicit, locs[i]);
    }
    spec.kind = AggKind::kStringAgg;
    spec.result_type = t;
  } else if (std::optional<AggKind> regression = RegressionAggregate(name)) {
    if (args.size() != 2 || e.star) no_function();
    for (size_t i = 0; i < 2; ++i) {
      const TypeId t = args[i]->type.id;
      if (t != TypeId::kUnknown && t != TypeId::kFloat64 &&
          !CanCoerce(t, TypeId::kFloat64, CoercionContext::kImplicit)) {
        no_function();
      }
    }
    for (size_t i = 0; i < 2; ++i) {
      args[i] = Coerce(args[i], T(TypeId::kFloat64), CoercionContext::kImplicit, locs[i]);
    }
    spec.kind = *regression;
    spec.result_type = T(spec.kind == AggKind::kRegrCount ? TypeId::kInt64 : TypeId::kFloat64);
  } else if (name == "bit_and" || name == "bit_or" || name == "bit_xor") {
    if (args.size() != 1 || e.star) no_function();
    const TypeId t = args[0]->type.id;
    if (t == TypeId::kUnknown) not_unique();
    const bool bits = CategoryOf(t) == TypeCategory::kBitString;  // bit_and(bit) -> bit
    if (t != TypeId::kInt16 && t != TypeId::kInt32 && t != TypeId::kInt64 && !bits) no_function();
    spec.kind = name == "bit_and"  ? AggKind::kBitAnd
                : name == "bit_or" ? AggKind::kBitOr
                                   : AggKind::kBitXor;
    if (bits) args[0] = Coerce(args[0], T(TypeId::kBit), CoercionContext::kImplicit, locs[0]);
    spec.result_type = bits ? T(TypeId::kBit) : args[0]->type;
  } else if (name == "first" || name == "last") {
    // TimescaleDB's first(value anyelement, time "any"): the time needs an ordering.
    if (args.size() != 2 || e.star) no_function();
    args[0] = ResolveUnknown(args[0], locs[0]);
    args[1] = ResolveUnknown(args[1], locs[1]);
    RequireSortGroupOperator(args[1]->type, true, e.location);
    spec.kind = name == "first" ? AggKind::kFirst : AggKind::kLast;
    spec.result_type = args[0]->type;
  } else if (name == "histogram") {
    // TimescaleDB's histogram(double precision, double precision, double precision, integer).
    if (args.size() != 4 || e.star) no_function();
    for (size_t i = 0; i < 4; ++i) {
      const TypeId want = i == 3 ? TypeId::kInt32 : TypeId::kFloat64;
      if (args[i]->type.id != TypeId::kUnknown && args[i]->type.id != want &&
          !CanCoerce(args[i]->type.id, want, CoercionContext::kImplicit)) {
        no_function();
      }
      args[i] = Coerce(args[i], T(want), CoercionContext::kImplicit, locs[i]);
    }
    spec.kind = AggKind::kHistogram;
    spec.result_type = T(*ArrayTypeOf(TypeId::kInt32));
  } else if (IsJsonAggregateName(name)) {
    if (e.star) no_function();
    BindJsonAggregateSpec(e, name, &args, locs, &spec);
  } else if (name == "array_agg") {
    if (args.size() != 1 || e.star) no_function();
    if (args[0]->type.id == TypeId::kUnknown) not_unique();
    spec.kind = AggKind::kArrayAgg;
    Type t = args[0]->type;
    if (IsArrayType(t.id)) {
      spec.result_type = t;
    } else if (std::optional<TypeId> a = ArrayTypeOf(t.id)) {
      spec.result_type = Type{*a, t.typmod};
    } else {
      no_function();
    }
  } else {
    if (args.size() != 1 || e.star) no_function();
    TypeId t = args[0]->type.id;
    if ((name == "sum" || name == "avg") && t == TypeId::kTime) {
      // sum(interval) / avg(interval) through the implicit time -> interval cast.
      args[0] = Coerce(args[0], T(TypeId::kInterval), CoercionContext::kImplicit, e.location);
      t = TypeId::kInterval;
    }
    if (name == "sum" && t == TypeId::kMoney) {  // sum(money) -> money; no avg(money)
      spec.kind = AggKind::kSum;
      spec.result_type = T(TypeId::kMoney);
    } else if (name == "sum" || name == "avg") {
      if (t == TypeId::kUnknown) not_unique();
      if (HasOwnOperators(t)) no_function();
      if (CategoryOf(t) != TypeCategory::kNumeric && t != TypeId::kInterval) no_function();
      spec.kind = name == "sum" ? AggKind::kSum : AggKind::kAvg;
      if (t == TypeId::kInterval) {
        spec.result_type = T(TypeId::kInterval);
      } else if (name == "sum") {
        spec.result_type = T(t == TypeId::kInt16 || t == TypeId::kInt32       ? TypeId::kInt64
                             : t == TypeId::kFloat64 || t == TypeId::kFloat32 ? t
                                                                              : TypeId::kNumeric);
      } else {
        // avg(float4) accumulates in float8, as float4_accum.
        spec.result_type =
            T(t == TypeId::kFloat64 || t == TypeId::kFloat32 ? TypeId::kFloat64 : TypeId::kNumeric);
      }
    } else if (name == "variance" || name == "var_samp" || name == "var_pop" || name == "stddev" ||
               name == "stddev_samp" || name == "stddev_pop") {
      if (t == TypeId::kUnknown) not_unique();
      if (CategoryOf(t) != TypeCategory::kNumeric) no_function();
      spec.kind = name == "var_pop"                           ? AggKind::kVarPop
                  : name == "stddev_pop"                      ? AggKind::kStddevPop
                  : name == "stddev" || name == "stddev_samp" ? AggKind::kStddevSamp
                                                              : AggKind::kVarSamp;
      spec.result_type =
          T(t == TypeId::kFloat64 || t == TypeId::kFloat32 ? TypeId::kFloat64 : TypeId::kNumeric);
    } else if (name == "min" || name == "max") {
      // PostgreSQL 15 has no min/max of bool, bytea or uuid.
      // (pg_lsn, of category U, has them.)
      if (t == TypeId::kBool || (CategoryOf(t) == TypeCategory::kUserDefined && t != kPgLsnType) ||
          CategoryOf(t) == TypeCategory::kBitString || CategoryOf(t) == TypeCategory::kGeometric) {
        no_function();
      }
      args[0] = ResolveUnknown(args[0], locs[0]);
      spec.kind = name == "min" ? AggKind::kMin : AggKind::kMax;
      spec.result_type = args[0]->type;
      // A bpchar/varchar result keeps its type; the typmod is dropped as PostgreSQL does.
      spec.result_type.typmod = -1;
    } else {  // bool_and, bool_or, every
      if (t != TypeId::kBool && t != TypeId::kUnknown) no_function();
      args[0] = Coerce(args[0], T(TypeId::kBool), CoercionContext::kImplicit, locs[0]);
      spec.kind = name == "bool_or" ? AggKind::kBoolOr : AggKind::kBoolAnd;
      spec.result_type = T(TypeId::kBool);
    }
  }
  spec.args = std::move(args);
  BindAggregateOrder(e, &spec);
  return spec;
}

void Binder::BindAggregateOrder(const ast::Expr& e, AggregateSpec* spec) {
  const size_t nargs = spec->args.size();
  if (e.distinct) {  // DISTINCT compares the arguments
    for (size_t i = 0; i < nargs && i < e.args.size(); ++i) {
      RequireSortGroupOperator(spec->args[i]->type, false, e.args[i]->location);
    }
  }
  // ORDER BY keys travel as extra arguments, evaluated over the same input rows.
  for (const ast::SortItem& item : e.agg_order_by) {
    const bool saved = in_aggregate_;
    in_aggregate_ = true;
    BoundExprPtr key;
    try {
      key = ResolveUnknown(BindExpr(*item.expr), item.expr->location);
    } catch (...) {
      in_aggregate_ = saved;
      throw;
    }
    in_aggregate_ = saved;
    RequireSortGroupOperator(key->type, true, item.expr->location);
    if (e.distinct) {
      // PostgreSQL matches the key against the arguments without their implicit coercions.
      bool found = false;
      for (size_t i = 0; i < nargs && !found; ++i) {
        const BoundExprPtr& a = spec->args[i];
        found = ExprEquals(a, key) ||
                (a->kind == BoundExprKind::kCast && ExprEquals(a->children[0], key));
      }
      if (!found) {
        ThrowAt(item.expr->location, SqlState::kInvalidColumnReference,
                "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument "
                "list");
      }
    }
    spec->args.push_back(key);
    spec->order_descending.push_back(item.descending);
    spec->order_nulls_first.push_back(item.nulls_first.value_or(item.descending));
  }
  // DISTINCT sorts its input by the arguments (PostgreSQL's sort-based DISTINCT aggregate):
  // observable where the order is.
  if (e.distinct && e.agg_order_by.empty() &&
      (spec->kind == AggKind::kArrayAgg || spec->kind == AggKind::kStringAgg)) {
    for (size_t i = 0; i < nargs; ++i) {
      spec->args.push_back(spec->args[i]);
      spec->order_descending.push_back(false);
      spec->order_nulls_first.push_back(false);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Column names

namespace {

std::pair<std::string, int> FigureColnameInternal(const ast::Expr& e) {
  using K = ast::ExprKind;
  switch (e.kind) {
    case K::kColumnRef:
      if (e.star || e.names.empty()) return {"?column?", 0};
      return {e.names.back(), 2};
    case K::kFuncCall:
      if (e.names.empty()) return {"?column?", 0};
      return {e.names.back(), 2};
    case K::kCast: {
      auto inner = FigureColnameInternal(*e.args[0]);
      if (inner.second > 1) return inner;
      [[fallthrough]];
    }
    case K::kTypedLiteral: {
      try {
        // int[] is named after its element ("int4"), as PostgreSQL names a cast by the last
        // part of the type name as written.
        ast::TypeName t = *e.type;
        t.array_bounds = 0;
        return {InternalTypeName(ResolveTypeName(t).id), 1};
      } catch (const Error&) {  // a user-defined type: the last part of its name as written
        const std::string& n = e.type->name;
        return {n.substr(n.rfind('.') == std::string::npos ? 0 : n.rfind('.') + 1), 1};
      }
    }
    case K::kCase:
      return {"case", 1};
    case K::kCoalesce:
      return {"coalesce", 2};
    case K::kGroupingFunc:
      return {"grouping", 2};
    case K::kNullIf:
      return {"nullif", 2};
    case K::kGreatest:
      return {"greatest", 2};
    case K::kLeast:
      return {"least", 2};
    case K::kExists:
      return {"exists", 2};
    case K::kArray:
      return {"array", 2};
    case K::kSubscript:
      return FigureColnameInternal(*e.args[0]);
    case K::kRow:
      return {"row", 2};
    case K::kFieldSelect:
      if (e.star) return {"?column?", 0};
      return {e.names[0], 2};
    case K::kSubquery: {
      const ast::SelectStmt* s = e.subquery.get();
      while (s && s->set_op != ast::SetOpType::kNone) s = s->larg.get();
      if (s && !s->targets.empty()) {
        const ast::ResultTarget& t = s->targets[0];
        if (t.alias) return {*t.alias, 2};
        auto inner = FigureColnameInternal(*t.expr);
        if (inner.second > 0) return inner;
      }
      return {"?column?", 0};
    }
    default:
      return {"?column?", 0};
  }
}

}  // namespace

std::string Binder::FigureColname(const ast::Expr& e) { return FigureColnameInternal(e).first; }

}  // namespace activestore::planner
