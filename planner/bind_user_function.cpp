// Calls of user-defined SQL functions and procedures (planner/user_functions.h): candidate
// selection among the overloads, DEFAULT arguments, named arguments, inlining of simple bodies,
// FROM f(...) of a set-returning or row-returning function, and planning and checking a body.
#include <algorithm>
#include <cctype>
#include <limits>

#include "common/composite.h"
#include "common/error.h"
#include "parser/ast_function.h"
#include "parser/parser.h"
#include "planner/bind_composite.h"
#include "planner/binder.h"
#include "planner/polymorphic.h"
#include "planner/user_functions.h"

namespace activestore::planner {

namespace {

constexpr TypeId kRecordType = TypeId{2249};

const char* kFunctionHint =
    "No function matches the given name and argument types. You might need to add explicit "
    "type casts.";

struct Candidate {
  std::shared_ptr<const storage::FunctionInfo> fn;
  std::vector<const storage::FunctionParam*> inputs;
  std::vector<int> arg_of_input;  // per input parameter: the call argument, or -1 (DEFAULT)
  int exact = 0;
  int preferred = 0;
  int unknown_string = 0;
  int unknown_preferred = 0;
};

}  // namespace

std::string FunctionBodySql(const storage::FunctionInfo& fn) {
  if (!fn.sql_body) return fn.body;
  std::string out;
  for (const std::string& s : fn.sql_body_statements) out += (out.empty() ? "" : ";\n") + s;
  return out;
}

Type FunctionScalarResult(const storage::FunctionInfo& fn) {
  const storage::FunctionParam* out = nullptr;
  int outs = 0;
  for (const storage::FunctionParam& p : fn.params) {
    if (p.mode == 'o' || p.mode == 'b') {
      out = &p;
      ++outs;
    }
  }
  if (outs == 1) return out->type;
  return fn.return_type;
}

bool FunctionResultColumns(const storage::FunctionInfo& fn, const storage::CatalogSnapshot& snap,
                           std::vector<std::string>* names, std::vector<Type>* types) {
  if (fn.return_relation != 0) {
    auto rel = snap.FindRelationByOid(fn.return_relation);
    if (rel == nullptr) {
      Throw(SqlState::kUndefinedTable, "relation with OID {} does not exist", fn.return_relation);
    }
    for (const storage::ColumnInfo& c : rel->columns) {
      names->push_back(c.name);
      types->push_back(c.type);
    }
    return true;
  }
  int outs = 0;
  for (const storage::FunctionParam& p : fn.params) outs += p.is_output() ? 1 : 0;
  if (outs == 0 && IsCompositeType(fn.return_type.id)) {
    // RETURNS [SETOF] t of a composite type (CREATE TYPE t AS (...)): its attributes.
    if (const std::vector<CompositeField>* fields = FieldsOfType(fn.return_type)) {
      for (const CompositeField& f : *fields) {
        names->push_back(f.name);
        types->push_back(f.type);
      }
      return true;
    }
  }
  if (outs < 2 && !(outs == 1 && fn.params.back().mode == 't')) return false;
  int k = 0;  // the output column's position (PostgreSQL names an unnamed one column<k>)
  for (const storage::FunctionParam& p : fn.params) {
    if (!p.is_output()) continue;
    ++k;
    names->push_back(p.name.empty() ? "column" + std::to_string(k) : p.name);
    types->push_back(p.type);
  }
  return true;
}

bool IsSetReturningCall(const BoundExpr& n) {
  if (n.kind != BoundExprKind::kFunction) return false;
  if (n.user_function) return n.user_function->function->returns_set;
  return n.op == "unnest" || IsSetReturningFunction(n.op);
}

std::vector<std::shared_ptr<const storage::FunctionInfo>> FindUserFunctions(
    const std::vector<std::string>& names, const PlannerContext& ctx) {
  std::vector<std::shared_ptr<const storage::FunctionInfo>> out;
  const storage::CatalogSnapshot& snap = *ctx.catalog;
  if (snap.functions.empty() || names.empty()) return out;
  if (names.size() >= 2) {
    std::string schema = names[names.size() - 2];
    if (schema == "pg_temp" && !ctx.temp_schema.empty()) schema = ctx.temp_schema;
    return snap.FindFunctions(ctx.database, schema, names.back());
  }
  for (const std::string& s : ctx.search_path) {
    for (auto& f : snap.FindFunctions(ctx.database, s, names.back())) out.push_back(std::move(f));
  }
  return out;
}

std::vector<PlanPtr> PlanFunctionBody(const storage::FunctionInfo& fn, const PlannerContext& base) {
  std::vector<ast::StatementPtr> stmts = parser::Parse(FunctionBodySql(fn));
  std::vector<PlanPtr> plans;
  for (const ast::StatementPtr& st : stmts) {
    if (st->kind != ast::StmtKind::kSelect && st->kind != ast::StmtKind::kInsert &&
        st->kind != ast::StmtKind::kUpdate && st->kind != ast::StmtKind::kDelete &&
        st->kind != ast::StmtKind::kMerge && st->kind != ast::StmtKind::kCall) {
      Throw(SqlState::kFeatureNotSupported,
            "only SELECT, INSERT, UPDATE, DELETE and CALL are supported in SQL functions");
    }
    PlannerContext ctx;
    ctx.catalog = base.catalog;
    ctx.database = base.database;
    ctx.search_path = base.search_path;
    ctx.temp_schema = base.temp_schema;
    ctx.format = base.format;
    ctx.check_as = base.check_as;
    for (const storage::FunctionParam& p : fn.params) {
      if (!p.is_input()) continue;
      ctx.param_types.push_back(p.type);
      ctx.param_names.push_back(p.name);
    }
    ctx.function_name = fn.name;
    ctx.fixed_params = true;
    if (st->kind == ast::StmtKind::kCall) {
      // CALL p(...) in a body: a one-row plan whose value is the procedure's call.
      Binder b(&ctx, nullptr, nullptr);
      BoundExprPtr call = b.BindProcedureCall(*static_cast<const ast::CallStatement&>(*st).call);
      auto node = std::make_shared<PlanNode>();
      node->kind = PlanKind::kResult;
      node->exprs = {call};
      node->output_types = {call->type};
      node->output_names = {fn.name};
      plans.push_back(std::move(node));
      continue;
    }
    plans.push_back(PlanStatement(*st, ctx));
  }
  return plans;
}

void CheckFunctionBody(const storage::FunctionInfo& fn, const PlannerContext& base) {
  CheckFunctionResult(fn, PlanFunctionBody(fn, base), *base.catalog);
}

void CheckFunctionResult(const storage::FunctionInfo& fn, const std::vector<PlanPtr>& plans,
                         const storage::CatalogSnapshot& snap) {
  std::vector<std::string> names;
  std::vector<Type> want;
  const bool row = FunctionResultColumns(fn, snap, &names, &want);
  const Type scalar = FunctionScalarResult(fn);
  if (!row && (scalar.id == TypeId::kVoid)) return;
  std::string declared = "record";
  if (fn.return_relation != 0) {
    if (auto rel = snap.FindRelationByOid(fn.return_relation)) declared = rel->name;
  } else if (!row || fn.return_type.id != kRecordType) {
    declared = TypeName(Type::Of(fn.return_type.id));
  }
  auto mismatch = [&](const std::string& detail) {
    throw Error(SqlState::kInvalidFunctionDefinition,
                fmt::format("return type mismatch in function declared to return {}",
                            fn.kind == 'p' ? "record" : declared))
        .Detail(detail);
  };
  const PlanNode* last = plans.empty() ? nullptr : plans.back().get();
  const bool returns_rows =
      last != nullptr && (!IsDataModifying(last->kind) || !last->returning.empty());
  if (!returns_rows) {
    mismatch("Function's final statement must be SELECT or INSERT/UPDATE/DELETE RETURNING.");
  }
  const std::vector<Type>& got = last->output_types;
  // RETURNS record without OUT parameters: the columns are the caller's column definition list
  // (checked when called in FROM).
  if (!row && scalar.id == kRecordType) return;
  if (!row) {
    if (got.size() != 1) mismatch("Final statement must return exactly one column.");
    if (got[0].id != scalar.id && got[0].id != TypeId::kUnknown &&
        !CanCoerce(got[0].id, scalar.id, CoercionContext::kAssignment)) {
      mismatch(fmt::format("Actual return type is {}.", TypeName(Type::Of(got[0].id))));
    }
    return;
  }
  // The row as one value of a row type (`SELECT (1, 2.1)`): its fields are checked when it
  // runs (executor/user_functions.cpp).
  if (got.size() == 1 && want.size() != 1 && IsRecordLike(got[0].id)) return;
  if (got.size() > want.size()) mismatch("Final statement returns too many columns.");
  if (got.size() < want.size()) mismatch("Final statement returns too few columns.");
  for (size_t i = 0; i < got.size(); ++i) {
    if (got[i].id != want[i].id && got[i].id != TypeId::kUnknown &&
        !CanCoerce(got[i].id, want[i].id, CoercionContext::kAssignment)) {
      mismatch(fmt::format("Final statement returns {} instead of {} at column {}.",
                           TypeName(Type::Of(got[i].id)), TypeName(Type::Of(want[i].id)), i + 1));
    }
  }
}

std::string DeparseParamDefault(const storage::FunctionParam& p, const PlannerContext& base) {
  PlannerContext ctx = base;
  try {
    auto query = ParseSelect("SELECT " + *p.default_sql);
    Binder b(&ctx, nullptr, nullptr);
    BoundExprPtr e =
        b.Coerce(b.BindExpr(*query->targets.at(0).expr), p.type, CoercionContext::kAssignment, -1);
    storage::TableInfo none;
    return DeparseIndexExpr(*e, none, false);
  } catch (const Error&) {
    return *p.default_sql;
  }
}

// ---------------------------------------------------------------------------------------------
// Binding a call

namespace {

// The functions whose bodies this thread is inlining or checking (inline_function's
// active_fns): a body that calls its own function is not expanded again.
thread_local std::vector<storage::Oid> expanding;

bool IsExpanding(storage::Oid fn) {
  return std::find(expanding.begin(), expanding.end(), fn) != expanding.end();
}

struct ExpandingGuard {
  explicit ExpandingGuard(storage::Oid fn) { expanding.push_back(fn); }
  ~ExpandingGuard() { expanding.pop_back(); }
  ExpandingGuard(const ExpandingGuard&) = delete;
  ExpandingGuard& operator=(const ExpandingGuard&) = delete;
};

// A call of a polymorphic function whose body PostgreSQL's planner would try to inline
// (inline_function: one statement, a plain scalar result): the body planned with the call's
// types and its result checked now, errors named as "during inlining". Other bodies are
// planned and checked when first run (executor/user_functions.cpp, "during startup").
void CheckPolymorphicBody(const storage::FunctionInfo& fn, const PlannerContext& ctx) {
  if (fn.language != "sql" || fn.kind != 'f' || fn.security_definer || fn.returns_set ||
      fn.return_type.id == kRecordType || fn.return_type.id == TypeId::kVoid) {
    return;
  }
  // A body that calls its own function is checked once.
  if (IsExpanding(fn.oid)) return;
  ExpandingGuard guard(fn.oid);
  try {
    if (parser::Parse(FunctionBodySql(fn)).size() != 1) return;
    CheckFunctionResult(fn, PlanFunctionBody(fn, ctx), *ctx.catalog);
  } catch (Error& e) {
    e.position.reset();
    const std::string where = fmt::format("SQL function \"{}\" during inlining", fn.name);
    e.context = e.context ? *e.context + "\n" + where : where;
    throw;
  }
}

}  // namespace

std::optional<BoundExprPtr> Binder::TryBindUserFunction(const ast::Expr& e) {
  if (ctx_->catalog == nullptr || ctx_->catalog->functions.empty()) return std::nullopt;
  if (e.has_over || e.distinct || e.star || e.filter || !e.agg_order_by.empty()) {
    return std::nullopt;
  }
  const std::vector<std::string>& names = e.names;
  if (names.size() >= 2 && names[names.size() - 2] == "pg_catalog") return std::nullopt;
  auto found = FindUserFunctions(names, *ctx_);
  if (found.empty()) return std::nullopt;
  if (names.size() == 1) {
    // A built-in of that name (pg_catalog is searched first) wins when it matches.
    try {
      return BindFuncCallBuiltin(e);
    } catch (const Error& err) {
      // No such built-in; or one without named parameters called with them.
      if (err.state() != SqlState::kUndefinedFunction &&
          !(err.state() == SqlState::kFeatureNotSupported && !e.arg_names.empty())) {
        throw;
      }
    }
  }
  return BindUserFunctionCall(e, found, 'f');
}

BoundExprPtr Binder::BindProcedureCall(const ast::Expr& e) {
  auto found = FindUserFunctions(e.names, *ctx_);
  try {
    return BindUserFunctionCall(e, found, 'p');
  } catch (const Error& err) {
    if (err.state() != SqlState::kUndefinedFunction) throw;
    // A built-in function of that name: 42809 rather than "procedure does not exist".
    BoundExprPtr builtin;
    try {
      builtin = BindFuncCallBuiltin(e);
    } catch (const Error&) {
      throw err;
    }
    std::vector<std::string> shown;
    for (const auto& a : e.args) shown.push_back(TypeDisplayName(BindExpr(*a)->type));
    std::string name;
    for (size_t i = 0; i < e.names.size(); ++i) name += (i ? "." : "") + e.names[i];
    Error wrong(SqlState::kWrongObjectType,
                fmt::format("{}({}) is not a procedure", name, fmt::join(shown, ", ")));
    wrong.Hint("To call a function, use SELECT.");
    if (e.location >= 0) wrong.Position(e.location + 1);
    throw wrong;
  }
}

BoundExprPtr Binder::BindUserFunctionCall(
    const ast::Expr& e, const std::vector<std::shared_ptr<const storage::FunctionInfo>>& found,
    char kind) {
  std::string shown_name;
  for (size_t i = 0; i < e.names.size(); ++i) shown_name += (i ? "." : "") + e.names[i];
  std::vector<BoundExprPtr> args;
  std::vector<std::string> shown;
  size_t first_named = e.args.size();
  for (size_t i = 0; i < e.args.size(); ++i) {
    args.push_back(BindExpr(*e.args[i]));
    std::string t = TypeDisplayName(args.back()->type);
    const bool named = i < e.arg_names.size() && !e.arg_names[i].empty();
    if (named && first_named == e.args.size()) first_named = i;
    shown.push_back(named ? e.arg_names[i] + " => " + t : t);
  }
  auto no_function = [&]() {
    Error err(SqlState::kUndefinedFunction,
              fmt::format("{} {}({}) does not exist", kind == 'p' ? "procedure" : "function",
                          shown_name, fmt::join(shown, ", ")));
    err.Hint(kind == 'p' ? "No procedure matches the given name and argument types. You might "
                           "need to add explicit type casts."
                         : kFunctionHint);
    if (e.location >= 0) err.Position(e.location + 1);
    throw err;
  };
  std::vector<Candidate> cands;
  bool wrong_kind = false;
  for (const auto& fn : found) {
    Candidate c;
    c.fn = fn;
    for (const storage::FunctionParam& p : fn->params) {
      if (p.is_input()) c.inputs.push_back(&p);
    }
    if (args.size() > c.inputs.size()) continue;
    c.arg_of_input.assign(c.inputs.size(), -1);
    bool ok = true;
    for (size_t i = 0; i < args.size() && ok; ++i) {
      size_t slot = i;
      if (i >= first_named) {
        slot = c.inputs.size();
        for (size_t k = 0; k < c.inputs.size(); ++k) {
          if (c.inputs[k]->name == e.arg_names[i]) slot = k;
        }
        if (slot == c.inputs.size() || c.arg_of_input[slot] >= 0) ok = false;
      }
      if (ok) c.arg_of_input[slot] = static_cast<int>(i);
    }
    std::vector<TypeId> poly_actual, poly_declared;
    for (size_t k = 0; k < c.inputs.size() && ok; ++k) {
      if (c.arg_of_input[k] < 0 && !c.inputs[k]->default_sql) ok = false;
      if (c.arg_of_input[k] < 0) continue;
      TypeId from = args[c.arg_of_input[k]]->type.id;
      TypeId to = c.inputs[k]->type.id;
      if (IsPolymorphicType(to)) {
        // Checked together below (can_coerce_type's check_generic_type_consistency); never an
        // exact or preferred match.
        poly_actual.push_back(from);
        poly_declared.push_back(to);
        continue;
      }
      if (from == to) {
        ++c.exact;
        continue;
      }
      if (from == TypeId::kUnknown) {
        if (CategoryOf(to) == TypeCategory::kString) ++c.unknown_string;
        if (IsPreferredType(to)) ++c.unknown_preferred;
        continue;
      }
      if (!CanCoerce(from, to, CoercionContext::kImplicit)) ok = false;
      if (IsPreferredType(to)) ++c.preferred;
    }
    if (ok && !poly_declared.empty()) ok = PolymorphicArgsFit(poly_actual, poly_declared);
    if (!ok) continue;
    if (fn->kind != kind) {
      wrong_kind = true;
      continue;
    }
    cands.push_back(std::move(c));
  }
  if (cands.empty()) {
    if (wrong_kind) {
      std::string sig = fmt::format("{}({})", shown_name, fmt::join(shown, ", "));
      Error err(SqlState::kWrongObjectType, kind == 'p' ? fmt::format("{} is not a procedure", sig)
                                                        : fmt::format("{} is a procedure", sig));
      err.Hint(kind == 'p' ? "To call a function, use SELECT." : "To call a procedure, use CALL.");
      if (e.location >= 0) err.Position(e.location + 1);
      throw err;
    }
    no_function();
  }
  auto keep_best = [&](auto score) {
    // Scores may be negative (the count of defaulted parameters, negated).
    int best = std::numeric_limits<int>::min();
    for (const Candidate& c : cands) best = std::max(best, score(c));
    std::erase_if(cands, [&](const Candidate& c) { return score(c) != best; });
  };
  if (cands.size() > 1) keep_best([](const Candidate& c) { return c.exact; });
  if (cands.size() > 1) keep_best([](const Candidate& c) { return c.preferred; });
  if (cands.size() > 1) keep_best([](const Candidate& c) { return c.unknown_string; });
  if (cands.size() > 1) keep_best([](const Candidate& c) { return c.unknown_preferred; });
  if (cands.size() > 1) {
    // Fewer defaulted parameters first, as PostgreSQL prefers the candidate the call fills.
    keep_best([](const Candidate& c) {
      return -static_cast<int>(std::count(c.arg_of_input.begin(), c.arg_of_input.end(), -1));
    });
  }
  if (cands.size() > 1) {
    Error err(SqlState::kAmbiguousFunction,
              fmt::format("{} {}({}) is not unique", kind == 'p' ? "procedure" : "function",
                          shown_name, fmt::join(shown, ", ")));
    err.Hint(
        "Could not choose a best candidate function. You might need to add explicit type "
        "casts.");
    if (e.location >= 0) err.Position(e.location + 1);
    throw err;
  }
  const Candidate& c = cands[0];
  // The DEFAULT expressions of the parameters the call leaves out, bound.
  std::vector<BoundExprPtr> defaults(c.inputs.size());
  for (size_t k = 0; k < c.inputs.size(); ++k) {
    if (c.arg_of_input[k] >= 0) continue;
    auto query = ParseSelect("SELECT " + *c.inputs[k]->default_sql);
    Binder b(ctx_, nullptr, nullptr);
    defaults[k] = b.BindExpr(*query->targets.at(0).expr);
  }
  // A polymorphic function: the function with the actual types of this call
  // (enforce_generic_type_consistency, defaults included as PostgreSQL's ParseFuncOrColumn).
  std::shared_ptr<const storage::FunctionInfo> fnp = c.fn;
  std::vector<const storage::FunctionParam*> inputs = c.inputs;
  if (IsPolymorphicFunction(*c.fn)) {
    std::vector<TypeId> actual;
    for (size_t k = 0; k < c.inputs.size(); ++k) {
      actual.push_back(c.arg_of_input[k] >= 0 ? args[c.arg_of_input[k]]->type.id
                                              : defaults[k]->type.id);
    }
    fnp = SpecializeFunction(*c.fn, actual);
    inputs.clear();
    for (const storage::FunctionParam& p : fnp->params) {
      if (p.is_input()) inputs.push_back(&p);
    }
  }
  const storage::FunctionInfo& fn = *fnp;
  std::vector<BoundExprPtr> call_args;
  for (size_t k = 0; k < inputs.size(); ++k) {
    const storage::FunctionParam& p = *inputs[k];
    BoundExprPtr a;
    if (c.arg_of_input[k] >= 0) {
      int i = c.arg_of_input[k];
      a = Coerce(args[i], p.type, CoercionContext::kImplicit, e.args[i]->location);
    } else {
      a = Coerce(defaults[k], p.type, CoercionContext::kAssignment, -1);
    }
    if (p.domain != 0) a = DomainCheck(a, p.domain);
    call_args.push_back(std::move(a));
  }
  auto call = std::make_shared<UserFunctionCall>();
  call->function = fnp;
  if (fnp != c.fn) {
    call->declared = c.fn;
    CheckPolymorphicBody(fn, *ctx_);
  }
  call->row_result =
      FunctionResultColumns(fn, *ctx_->catalog, &call->column_names, &call->column_types);
  call->result = call->row_result ? Type::Of(kRecordType) : FunctionScalarResult(fn);
  if (kind == 'f' && fn.returns_set) {
    // A select-list item (kProjectSet) or FROM.
    CheckSetReturningPlace(e.location);
  } else if (kind == 'f' && clause_ != Clause::kFromFunction && !call->row_result &&
             call->result.id != kRecordType) {
    if (BoundExprPtr inlined = InlineUserFunction(fn, call_args, call->result)) return inlined;
  }
  auto n = std::make_shared<BoundExpr>();
  n->kind = BoundExprKind::kFunction;
  n->type = call->result;
  if (call->row_result) {
    // A row as one value (outside FROM): of the composite type, or a record whose fields are
    // the OUT parameters (executor/user_functions.cpp EvaluateUserFunction).
    if (IsCompositeType(fn.return_type.id)) {
      n->type = Type::Of(fn.return_type.id);
    } else {
      std::vector<CompositeField> desc;
      for (size_t i = 0; i < call->column_names.size(); ++i) {
        desc.push_back({call->column_names[i], call->column_types[i]});
      }
      n->type = Type{kRecordType, RecordTypmodOf(desc)};
    }
  }
  n->op = fn.name;
  n->children = std::move(call_args);
  n->user_function = std::move(call);
  return n;
}

// PostgreSQL's inline_function, in its simplest case: a non-strict IMMUTABLE or STABLE
// function whose body is `SELECT expr` (no FROM, WHERE, GROUP BY, ..., no subquery), each
// parameter used at most once unless its argument is a constant, parameter or column. Null when
// the body is not inlined.
BoundExprPtr Binder::InlineUserFunction(const storage::FunctionInfo& fn,
                                        const std::vector<BoundExprPtr>& args, Type result) {
  if (fn.volatility == 'v' || fn.strict || fn.security_definer || fn.returns_set ||
      fn.language != "sql" || IsExpanding(fn.oid)) {
    return nullptr;
  }
  ExpandingGuard guard(fn.oid);
  std::vector<ast::StatementPtr> stmts;
  try {
    stmts = parser::Parse(FunctionBodySql(fn));
  } catch (const Error&) {
    return nullptr;
  }
  if (stmts.size() != 1 || stmts[0]->kind != ast::StmtKind::kSelect) return nullptr;
  const ast::SelectStmt& s = *static_cast<const ast::SelectStatement&>(*stmts[0]).select;
  if (s.set_op != ast::SetOpType::kNone || !s.values_rows.empty() || s.distinct ||
      s.targets.size() != 1 || !s.from.empty() || s.where || !s.group_by.empty() || s.having ||
      !s.windows.empty() || !s.order_by.empty() || s.limit || s.offset || s.with ||
      !s.locking.empty() || s.targets[0].expr == nullptr ||
      FindSubquery(*s.targets[0].expr) != nullptr) {
    return nullptr;
  }
  std::vector<std::string> names;
  for (const storage::FunctionParam& p : fn.params) {
    if (p.is_input()) names.push_back(p.name);
  }
  Binder b(ctx_, nullptr, nullptr);
  b.inline_args_ = &args;
  b.inline_names_ = &names;
  b.inline_function_ = fn.name;
  std::vector<int> uses(args.size(), 0);
  b.inline_uses_ = &uses;
  BoundExprPtr body;
  try {
    body = b.BindExpr(*s.targets[0].expr);
    body = b.Coerce(body, result, CoercionContext::kAssignment, -1);
  } catch (const Error&) {
    return nullptr;  // planned per call instead, where the error appears as PostgreSQL's would
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const BoundExprKind k = args[i]->kind;
    if (uses[i] > 1 && k != BoundExprKind::kConstant && k != BoundExprKind::kParam &&
        k != BoundExprKind::kColumn && k != BoundExprKind::kOuterColumn) {
      return nullptr;
    }
  }
  bool aggregate = false;
  VisitExpr(body, [&](const BoundExpr& n, int) {
    if (n.kind == BoundExprKind::kAggregate || n.kind == BoundExprKind::kWindowFunc ||
        n.kind == BoundExprKind::kSubquery || n.kind == BoundExprKind::kExists ||
        n.kind == BoundExprKind::kInSubquery) {
      aggregate = true;
    }
  });
  if (aggregate || !b.aggregates_.empty() || b.srf_count_ > 0) return nullptr;
  return body;
}

std::optional<BoundExprPtr> Binder::InlineParam(int index, int location) {
  if (inline_args_ == nullptr) return std::nullopt;
  if (index < 1 || static_cast<size_t>(index) > inline_args_->size()) {
    ThrowAt(location, SqlState::kUndefinedParameter, "there is no parameter ${}", index);
  }
  ++(*inline_uses_)[index - 1];
  return (*inline_args_)[index - 1];
}

std::optional<BoundExprPtr> Binder::BindFunctionParamName(const ast::Expr& e) {
  const std::vector<std::string>* names =
      inline_names_ != nullptr ? inline_names_ : &ctx_->param_names;
  const std::string& fname = inline_names_ != nullptr ? inline_function_ : ctx_->function_name;
  if (names->empty()) return std::nullopt;
  std::string param;
  if (e.names.size() == 1) {
    param = e.names[0];
  } else if (e.names.size() == 2 && e.names[0] == fname) {
    param = e.names[1];
  } else if (e.names.size() == 2 && inline_names_ == nullptr) {
    // A PL/pgSQL record field or label-qualified variable (executor/plpgsql.cpp names them so).
    param = e.names[0] + "." + e.names[1];
  } else if (e.names.size() != 2) {
    return std::nullopt;
  }
  // Parameter i: its argument while inlining, else $i.
  auto param_expr = [&](size_t i) -> BoundExprPtr {
    if (auto inl = InlineParam(static_cast<int>(i) + 1, e.location)) return *inl;
    auto p = std::make_shared<BoundExpr>();
    p->kind = BoundExprKind::kParam;
    p->param_index = static_cast<int>(i);
    p->type = ctx_->param_types.at(i);
    p->type.typmod = -1;
    return p;
  };
  for (size_t i = 0; i < names->size(); ++i) {
    if ((*names)[i].empty() || (*names)[i] != param) continue;
    return param_expr(i);
  }
  // `t.f` of a parameter t of a row type: the field (PostgreSQL's ParseFuncOrColumn).
  if (e.names.size() == 2) {
    for (size_t i = 0; i < names->size(); ++i) {
      if ((*names)[i].empty() || (*names)[i] != e.names[0]) continue;
      BoundExprPtr base = param_expr(i);
      std::vector<CompositeField> fields;
      if (!IsCompositeType(base->type.id) || !RowValueFields(*base, &fields)) {
        return std::nullopt;
      }
      for (size_t k = 0; k < fields.size(); ++k) {
        if (fields[k].name == e.names[1]) return RowValueField(base, k, fields[k].type);
      }
      ThrowAt(e.location, SqlState::kUndefinedColumn, "column \"{}\" not found in data type {}",
              e.names[1], TypeName(base->type));
    }
  }
  return std::nullopt;
}

std::shared_ptr<PlanNode> Binder::BindUserFunctionScan(const FromFunction& f, BoundExprPtr call) {
  const UserFunctionCall& uf = *call->user_function;
  auto plan = std::make_shared<PlanNode>();
  plan->kind = PlanKind::kFunctionScan;
  plan->function_name = "call";
  plan->exprs = {call};
  if (uf.row_result) {
    if (f.column_defs != nullptr) {
      ThrowAt(f.column_defs->front().location, SqlState::kSyntaxError, "{}",
              uf.function->return_type.id != kRecordType
                  ? "a column definition list is redundant for a function returning a named "
                    "composite type"
                  : "a column definition list is redundant for a function with OUT parameters");
    }
    plan->output_types = uf.column_types;
    plan->output_names = uf.column_names;
  } else if (uf.result.id == kRecordType) {
    // RETURNS record / SETOF record: the columns the query defines, the function's rows cast
    // to them (PostgreSQL's coercion of a SQL function's result to the column definition list).
    if (f.column_defs == nullptr) ThrowColumnDefsRequired(f.call->location);
    ApplyColumnDefs(*f.column_defs, plan.get());
    auto typed = std::make_shared<UserFunctionCall>();
    typed->function = uf.function;
    typed->declared = uf.declared;
    typed->result = uf.result;
    typed->row_result = true;
    typed->column_names = plan->output_names;
    typed->column_types = plan->output_types;
    auto n = std::make_shared<BoundExpr>(*call);
    n->user_function = std::move(typed);
    plan->exprs = {n};
  } else {
    if (f.column_defs != nullptr) {
      ThrowAt(f.column_defs->front().location, SqlState::kSyntaxError,
              "a column definition list is only allowed for functions returning \"record\"");
    }
    plan->output_types = {uf.result};
    // A function with one OUT parameter names its column after it; others after the alias.
    std::string col = f.scalar_name;
    for (const storage::FunctionParam& p : uf.function->params) {
      if ((p.mode == 'o' || p.mode == 'b' || p.mode == 't') && !p.name.empty()) col = p.name;
    }
    plan->output_names = {col};
  }
  return plan;
}

}  // namespace activestore::planner
