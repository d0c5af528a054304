// The catalog functions about user-defined functions, as PostgreSQL 15's ruleutils prints them:
// pg_get_functiondef (what psql's \sf shows), pg_get_function_arguments,
// pg_get_function_identity_arguments, pg_get_function_result (psql's \df), and
// pg_get_function_arg_default and pg_function_is_visible. Each gives NULL for an oid that names no
// user function.
#include <fmt/format.h>

#include "executor/reg_resolver.h"
#include "executor/user_functions.h"
#include "planner/sql_quote.h"

namespace activestore::executor {
namespace {

using Args = std::vector<Value>;
using planner::BoundExpr;
using planner::QuoteSqlIdentifier;

std::shared_ptr<const storage::FunctionInfo> FunctionOf(const Value& oid, const ExecContext& c) {
  if (oid.is_null || !c.catalog_view) return nullptr;
  auto fn = c.catalog_view->FindFunctionByOid(static_cast<uint32_t>(oid.i));
  if (fn == nullptr || fn->database_oid != c.database_oid) return nullptr;
  return fn;
}

std::string TypeText(const ExecContext& c, const storage::FunctionParam& p) {
  const uint32_t oid = p.domain != 0 ? p.domain : static_cast<uint32_t>(p.type.id);
  if (oid == 2249) return "record";
  return c.names ? c.names->FormatType(oid, CatalogRegResolver::kNoTypmod)
                 : TypeName(Type::Of(p.type.id));
}

// ruleutils' print_function_arguments: [mode ][name ]type[ DEFAULT expr], TABLE columns only
// with `table_args`.
std::string Arguments(const storage::FunctionInfo& fn, const ExecContext& c, bool table_args,
                      bool defaults, bool identity) {
  std::string out;
  planner::PlannerContext pctx = PlannerContextOf(c);
  for (const storage::FunctionParam& p : fn.params) {
    if ((p.mode == 't') != table_args) continue;
    if (identity && !p.is_input()) continue;
    std::string a;
    switch (p.mode) {
      case 'o':
        a = "OUT ";
        break;
      case 'b':
        a = "INOUT ";
        break;
      case 'v':
        a = "VARIADIC ";
        break;
      default:
        // Procedures mark every mode, so as not to be read as DROP PROCEDURE's syntax.
        if (fn.kind == 'p') a = "IN ";
        break;
    }
    if (!p.name.empty()) a += QuoteSqlIdentifier(p.name) + " ";
    a += TypeText(c, p);
    if (defaults && p.default_sql) a += " DEFAULT " + planner::DeparseParamDefault(p, pctx);
    out += (out.empty() ? "" : ", ") + a;
  }
  return out;
}

// ruleutils' print_function_rettype.
std::string Result(const storage::FunctionInfo& fn, const ExecContext& c) {
  bool table = false;
  for (const storage::FunctionParam& p : fn.params) table = table || p.mode == 't';
  if (table) return "TABLE(" + Arguments(fn, c, true, false, false) + ")";
  storage::FunctionParam r;
  r.type = fn.return_type;
  std::string out = fn.returns_set ? "SETOF " : "";
  return out + TypeText(c, r);
}

Value FnGetFunctionArguments(const Args& a, const BoundExpr&, ExecState& st) {
  auto fn = FunctionOf(a[0], st.ctx);
  if (fn == nullptr) return Value::Null(Type::Of(TypeId::kText));
  return Value::Text(Arguments(*fn, st.ctx, false, true, false));
}

Value FnGetFunctionIdentityArguments(const Args& a, const BoundExpr&, ExecState& st) {
  auto fn = FunctionOf(a[0], st.ctx);
  if (fn == nullptr) return Value::Null(Type::Of(TypeId::kText));
  return Value::Text(Arguments(*fn, st.ctx, false, false, true));
}

Value FnGetFunctionResult(const Args& a, const BoundExpr&, ExecState& st) {
  auto fn = FunctionOf(a[0], st.ctx);
  if (fn == nullptr || fn->kind == 'p') return Value::Null(Type::Of(TypeId::kText));
  return Value::Text(Result(*fn, st.ctx));
}

// pg_get_function_sqlbody(oid): the SQL-standard body (RETURN expr, BEGIN ATOMIC ... END) as
// written (PostgreSQL prints its stored tree); NULL for a function with an AS '...' body.
Value FnGetFunctionSqlBody(const Args& a, const BoundExpr&, ExecState& st) {
  auto fn = FunctionOf(a[0], st.ctx);
  if (fn == nullptr || !fn->sql_body) return Value::Null(Type::Of(TypeId::kText));
  return Value::Text(fn->body);
}

// pg_get_function_arg_default(oid, n): the DEFAULT expression of the function's n-th argument
// (counting every argument, 1-based, as proallargtypes), NULL when it is not an input argument
// or has none.
Value FnGetFunctionArgDefault(const Args& a, const BoundExpr&, ExecState& st) {
  auto fn = FunctionOf(a[0], st.ctx);
  const int64_t n = a[1].i;
  if (fn == nullptr || n < 1 || n > static_cast<int64_t>(fn->params.size())) {
    return Value::Null(Type::Of(TypeId::kText));
  }
  const storage::FunctionParam& p = fn->params[n - 1];
  if (!p.is_input() || !p.default_sql) return Value::Null(Type::Of(TypeId::kText));
  planner::PlannerContext pctx = PlannerContextOf(st.ctx);
  return Value::Text(planner::DeparseParamDefault(p, pctx));
}

Value FnFunctionIsVisible(const Args& a, const BoundExpr&, ExecState& st) {
  if (!st.ctx.names) return Value::Null(Type::Of(TypeId::kBool));
  std::optional<bool> v = st.ctx.names->FunctionVisible(static_cast<uint32_t>(a[0].i));
  return v ? Value::Bool(*v) : Value::Null(Type::Of(TypeId::kBool));
}

// %g of printf, as ruleutils prints COST and ROWS.
std::string G(double d) { return fmt::format("{}", d); }

Value FnGetFunctionDef(const Args& a, const BoundExpr&, ExecState& st) {
  auto fn = FunctionOf(a[0], st.ctx);
  if (fn == nullptr) return Value::Null(Type::Of(TypeId::kText));
  const bool function = fn->kind != 'p';
  std::string out =
      fmt::format("CREATE OR REPLACE {} {}.{}({})\n", function ? "FUNCTION" : "PROCEDURE",
                  QuoteSqlIdentifier(fn->schema), QuoteSqlIdentifier(fn->name),
                  Arguments(*fn, st.ctx, false, true, false));
  if (function) out += " RETURNS " + Result(*fn, st.ctx) + "\n";
  out += " LANGUAGE " + QuoteSqlIdentifier(fn->language) + "\n";
  std::string misc;
  if (fn->volatility == 'i') misc += " IMMUTABLE";
  if (fn->volatility == 's') misc += " STABLE";
  if (fn->parallel == 's') misc += " PARALLEL SAFE";
  if (fn->parallel == 'r') misc += " PARALLEL RESTRICTED";
  if (fn->strict) misc += " STRICT";
  if (fn->security_definer) misc += " SECURITY DEFINER";
  if (fn->leakproof) misc += " LEAKPROOF";
  if (fn->cost != 100) misc += " COST " + G(fn->cost);
  if (fn->rows > 0 && fn->rows != 1000) misc += " ROWS " + G(fn->rows);
  if (!misc.empty()) out += misc + "\n";
  if (fn->sql_body) {
    out += fn->body;
  } else {
    std::string delim = function ? "$function" : "$procedure";
    while (fn->body.find(delim) != std::string::npos) delim += "x";
    delim += "$";
    out += "AS " + delim + fn->body + delim;
  }
  out += "\n";
  return Value::Text(std::move(out));
}

}  // namespace

const std::vector<StringFunctionEntry>& UserFunctionCatalogEntries() {
  static const std::vector<StringFunctionEntry> kEntries = {
      {"pg_get_functiondef", FnGetFunctionDef, true},
      {"pg_get_function_arguments", FnGetFunctionArguments, true},
      {"pg_get_function_identity_arguments", FnGetFunctionIdentityArguments, true},
      {"pg_get_function_result", FnGetFunctionResult, true},
      {"pg_get_function_sqlbody", FnGetFunctionSqlBody, true},
      {"pg_get_function_arg_default", FnGetFunctionArgDefault, true},
      {"pg_function_is_visible", FnFunctionIsVisible, true},
  };
  return kEntries;
}

}  // namespace activestore::executor
