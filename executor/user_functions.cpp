// Runs user-defined SQL functions: the body is planned once per catalog version and search path
// (cached in the call), then each call runs its statements with the arguments as parameters.
#include "executor/user_functions.h"

#include "common/composite.h"
#include "common/error.h"
#include "common/value_ops.h"
#include "executor/executor.h"
#include "executor/expression_evaluator.h"
#include "executor/plpgsql.h"

namespace activestore::executor {

namespace {

// Nesting of SQL function calls on this thread (a body calling functions runs on the caller's
// thread).
thread_local int call_depth = 0;

struct DepthGuard {
  DepthGuard() {
    if (call_depth >= kMaxCallDepth) {
      throw Error(SqlState::kStatementTooComplex, "stack depth limit exceeded")
          .Hint(
              "Increase the configuration parameter \"max_stack_depth\" (currently 2048kB), "
              "after ensuring the platform's stack depth limit is adequate.");
    }
    ++call_depth;
  }
  ~DepthGuard() { --call_depth; }
};

std::string PathKey(const std::vector<std::string>& path) {
  std::string key;
  for (const std::string& s : path) key += s + '\x1f';
  return key;
}

// The body's plans for ctx's catalog and search path.
std::vector<planner::PlanPtr> BodyPlans(const planner::UserFunctionCall& call,
                                        const ExecContext& ctx) {
  const uint64_t version = ctx.catalog_view ? ctx.catalog_view->version : 0;
  const std::string path = PathKey(ctx.search_path);
  {
    std::lock_guard lock(call.mu);
    if (call.plans_version == version && call.plans_path == path && version != 0) return call.plans;
  }
  std::vector<planner::PlanPtr> plans;
  if (call.declared == nullptr) {
    plans = planner::PlanFunctionBody(*call.function, PlannerContextOf(ctx));
  } else {
    // A polymorphic function: its body is planned and checked (check_sql_fn_retval) with the
    // call's types only now.
    try {
      plans = planner::PlanFunctionBody(*call.function, PlannerContextOf(ctx));
      planner::CheckFunctionResult(*call.function, plans, *ctx.catalog_view);
    } catch (Error& e) {
      e.position.reset();
      const std::string where =
          fmt::format("SQL function \"{}\" during startup", call.function->name);
      e.context = e.context ? *e.context + "\n" + where : where;
      throw;
    }
  }
  std::lock_guard lock(call.mu);
  call.plans_version = version;
  call.plans_path = path;
  call.plans = plans;
  return plans;
}

}  // namespace

planner::PlannerContext PlannerContextOf(const ExecContext& ctx) {
  planner::PlannerContext pctx;
  pctx.catalog = ctx.catalog_view;
  pctx.database = ctx.database_oid;
  pctx.search_path = ctx.search_path;
  pctx.temp_schema = ctx.implicit_temp_schema;
  pctx.format = ctx.format;
  return pctx;
}

std::vector<std::vector<Value>> RunUserFunction(const planner::UserFunctionCall& call,
                                                const std::vector<Value>& args, ExecContext& ctx,
                                                size_t max_rows) {
  std::vector<std::vector<Value>> rows;
  if (call.function->strict) {
    for (const Value& a : args) {
      if (a.is_null) return rows;
    }
  }
  DepthGuard depth;
  if (call.function->language == "plpgsql") return RunPlpgsqlFunction(call, args, ctx, max_rows);
  if (call.function->language == "internal") return RunInternalFunction(call, args, ctx);
  std::vector<planner::PlanPtr> plans = BodyPlans(call, ctx);
  ExecContext sub = ctx;
  sub.params = args;
  for (size_t i = 0; i < plans.size(); ++i) {
    const bool last = i + 1 == plans.size();
    rows.clear();
    try {
      RunPlan(*plans[i], sub, [&](std::vector<std::vector<Value>>&& batch) {
        if (!last) return;
        for (auto& r : batch) {
          if (max_rows != 0 && rows.size() >= max_rows) return;
          rows.push_back(std::move(r));
        }
      });
    } catch (Error& e) {
      // PostgreSQL's error context: innermost first, one line per level.
      std::string where =
          fmt::format("SQL function \"{}\" statement {}", call.function->name, i + 1);
      e.context = e.context ? *e.context + "\n" + where : where;
      e.position.reset();
      throw;
    }
  }
  // RETURNS record without OUT parameters and not in FROM (no column definition list): the
  // row as it is.
  if (!call.row_result && call.result.id == kRecordType) return rows;
  const std::vector<Type>& types =
      call.row_result ? call.column_types : std::vector<Type>{call.result};
  // A row function whose last statement returns the row as one value (`SELECT (1, 2.1)`,
  // accepted by CheckFunctionBody): its fields, which must match the result columns.
  if (call.row_result && types.size() != 1) {
    for (auto& r : rows) {
      if (r.size() != 1 || !IsRecordLike(r[0].type.id)) continue;
      if (r[0].is_null) {
        r.assign(types.size(), Value());
        for (size_t k = 0; k < types.size(); ++k) r[k] = Value::Null(types[k]);
        continue;
      }
      std::vector<Value> fields = RecordView(r[0].s).fields();
      CheckReturnedRow(fields, types);
      r = std::move(fields);
    }
  }
  for (auto& r : rows) {
    for (size_t k = 0; k < r.size() && k < types.size(); ++k) {
      if (types[k].id == TypeId::kVoid) {
        r[k] = Value::Null(types[k]);
      } else if (!(r[k].type == types[k])) {
        r[k] = CastValue(r[k], types[k], ctx.format, /*implicit_assignment=*/true);
      }
    }
  }
  return rows;
}

void CheckReturnedRow(const std::vector<Value>& fields, const std::vector<Type>& expected) {
  if (fields.size() != expected.size()) {
    Error err(SqlState::kDatatypeMismatch,
              "function return row and query-specified return row do not match");
    err.Detail(fmt::format("Returned row contains {} attribute{}, but query expects {}.",
                           fields.size(), fields.size() == 1 ? "" : "s", expected.size()));
    throw err;
  }
  for (size_t k = 0; k < fields.size(); ++k) {
    if (fields[k].type.id != expected[k].id) {
      Error err(SqlState::kDatatypeMismatch,
                "function return row and query-specified return row do not match");
      err.Detail(fmt::format("Returned type {} at ordinal position {}, but query expects {}.",
                             TypeName(Type::Of(fields[k].type.id)), k + 1,
                             TypeName(Type::Of(expected[k].id))));
      throw err;
    }
  }
}

namespace {

// A result row of `expr`'s call as one value: a row (composite type, OUT parameters, record)
// as a composite value of expr's type, a scalar as itself.
Value ResultValue(const planner::BoundExpr& expr, std::vector<Value> row) {
  const planner::UserFunctionCall& call = *expr.user_function;
  if (!call.row_result && call.result.id != kRecordType) {
    return row.empty() || expr.type.id == TypeId::kVoid ? Value::Null(expr.type) : row[0];
  }
  // Already a row (PL/pgSQL's RETURN of a record).
  if (!call.row_result && row.size() == 1 && IsRecordLike(row[0].type.id)) return row[0];
  return MakeRecordValue(expr.type, row);
}

}  // namespace

std::vector<Value> EvaluateUserSetFunction(const planner::BoundExpr& expr,
                                           const std::vector<Value>& args, ExecContext& ctx) {
  std::vector<Value> values;
  for (auto& row : RunUserFunction(*expr.user_function, args, ctx, 0)) {
    values.push_back(ResultValue(expr, std::move(row)));
  }
  return values;
}

void EvaluateUserFunction(const planner::BoundExpr& expr, const DataChunk& input, ExecState& state,
                          Vector* out) {
  const planner::UserFunctionCall& call = *expr.user_function;
  const size_t n = input.size;
  std::vector<Vector> argv(expr.children.size());
  for (size_t i = 0; i < expr.children.size(); ++i) {
    EvaluateExpression(*expr.children[i], input, state, &argv[i]);
  }
  out->Init(expr.type, n);
  std::vector<Value> args(expr.children.size());
  for (size_t r = 0; r < n; ++r) {
    for (size_t i = 0; i < argv.size(); ++i) args[i] = argv[i].Get(r);
    std::vector<std::vector<Value>> rows = RunUserFunction(call, args, state.ctx, 1);
    if (rows.empty()) {
      out->SetNull(r);
      continue;
    }
    Value v = ResultValue(expr, std::move(rows[0]));
    if (v.is_null) {
      out->SetNull(r);
    } else {
      out->Set(r, v);
    }
  }
}

}  // namespace activestore::executor
