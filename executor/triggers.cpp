#include "executor/triggers.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "common/error.h"
#include "common/stack_depth.h"
#include "common/value_ops.h"
#include "executor/plpgsql.h"
#include "executor/user_functions.h"
#include "parser/parser.h"
#include "planner/planner.h"

namespace activestore::executor {

namespace {

using Trig = storage::TriggerInfo;

// Nesting of trigger firings on this thread (a trigger's statement firing triggers): 54001
// past kMaxCallDepth, as PostgreSQL's stack depth check stops a trigger that recurses.
thread_local int trigger_depth = 0;

struct DepthGuard {
  DepthGuard() {
    CheckStackDepth();
    if (trigger_depth >= kMaxCallDepth) {
      throw Error(SqlState::kStatementTooComplex, "stack depth limit exceeded")
          .Hint(
              "Increase the configuration parameter \"max_stack_depth\" (currently 2048kB), "
              "after ensuring the platform's stack depth limit is adequate.");
    }
    ++trigger_depth;
  }
  ~DepthGuard() { --trigger_depth; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
};

const char* OpName(int16_t event) {
  switch (event) {
    case Trig::kInsert:
      return "INSERT";
    case Trig::kUpdate:
      return "UPDATE";
    case Trig::kDelete:
      return "DELETE";
    default:
      return "TRUNCATE";
  }
}

// The plans of WHEN conditions, by trigger, catalog version and search path.
std::mutex when_mu;
std::unordered_map<std::string, planner::PlanPtr> when_plans;

void ExpandWholeRows(ast::ExprPtr* e, const storage::TableInfo& t) {
  if (*e == nullptr) return;
  ast::Expr& x = **e;
  if (x.kind == ast::ExprKind::kColumnRef && x.names.size() == 1 &&
      (x.names[0] == "new" || x.names[0] == "old")) {
    auto row = std::make_unique<ast::Expr>(ast::ExprKind::kRow, x.location);
    for (const storage::ColumnInfo& c : t.columns) {
      auto col = std::make_unique<ast::Expr>(ast::ExprKind::kColumnRef, x.location);
      col->names = {x.names[0], c.name};
      row->args.push_back(std::move(col));
    }
    *e = std::move(row);
    return;
  }
  for (ast::ExprPtr& a : x.args) ExpandWholeRows(&a, t);
  for (ast::ExprPtr& a : x.when_then) ExpandWholeRows(&a, t);
  ExpandWholeRows(&x.else_expr, t);
}

}  // namespace

int TriggerDepth() { return trigger_depth; }

ast::StatementPtr ParseTriggerWhen(const std::string& when, const storage::TableInfo& table) {
  std::vector<ast::StatementPtr> stmts = parser::Parse("SELECT " + when);
  if (stmts.size() != 1 || stmts[0]->kind != ast::StmtKind::kSelect) {
    Throw(SqlState::kSyntaxError, "WHEN condition \"{}\" is not an expression", when);
  }
  auto& sel = static_cast<ast::SelectStatement&>(*stmts[0]);
  for (ast::ResultTarget& r : sel.select->targets) ExpandWholeRows(&r.expr, table);
  return std::move(stmts[0]);
}

TableTriggers::TableTriggers(const storage::TableInfo& table, int16_t event, ExecContext& ctx,
                             const std::vector<int>& updated_columns, bool statement_triggers)
    : table_(table), event_(event), ctx_(ctx) {
  if (table.triggers.empty()) return;
  std::vector<const Trig*> sorted;
  for (const Trig& t : table.triggers) {
    if ((t.type & event) == 0) continue;
    // Origin mode (session_replication_role = origin): 'O' and 'A' fire, 'R' and 'D' do not.
    if (t.enabled != 'O' && t.enabled != 'A') continue;
    if (!t.row() && !statement_triggers) continue;
    if (event == Trig::kUpdate && !t.columns.empty()) {
      bool hit = false;
      for (int c : t.columns) {
        if (std::find(updated_columns.begin(), updated_columns.end(), c) != updated_columns.end()) {
          hit = true;
        }
      }
      if (!hit) continue;
    }
    sorted.push_back(&t);
  }
  // PostgreSQL fires the triggers of one event and timing in name order (strcmp).
  std::sort(sorted.begin(), sorted.end(),
            [](const Trig* a, const Trig* b) { return a->name < b->name; });
  for (const Trig* t : sorted) {
    Fired f{t, ctx.catalog_view ? ctx.catalog_view->FindFunctionByOid(t->function) : nullptr};
    if (f.function == nullptr) {
      Throw(SqlState::kUndefinedFunction, "cache lookup failed for function {}", t->function);
    }
    std::vector<Fired>* list;
    if (t->instead()) {
      list = &instead_row_;
    } else if (t->before()) {
      list = t->row() ? &before_row_ : &before_stmt_;
    } else {
      list = t->row() ? &after_row_ : &after_stmt_;
    }
    if (!t->instead() && !t->before()) {
      want_old_table_ = want_old_table_ || !t->old_table.empty();
      want_new_table_ = want_new_table_ || !t->new_table.empty();
    }
    list->push_back(std::move(f));
  }
}

bool TableTriggers::WhenHolds(const Trig& t, const storage::Row* old_row,
                              const storage::Row* new_row) {
  if (t.when.empty()) return true;
  planner::PlannerContext pctx = PlannerContextOf(ctx_);
  std::vector<Value> params;
  std::string key = std::to_string(t.oid) + '/' +
                    std::to_string(ctx_.catalog_view ? ctx_.catalog_view->version : 0);
  for (const std::string& s : ctx_.search_path) key += '\x1f' + s;
  if (t.row()) {
    for (const char* which : {"new", "old"}) {
      const storage::Row* row = which[0] == 'n' ? new_row : old_row;
      for (size_t c = 0; c < table_.columns.size(); ++c) {
        pctx.param_names.push_back(std::string(which) + "." + table_.columns[c].name);
        pctx.param_types.push_back(table_.columns[c].type);
        params.push_back(row != nullptr ? (*row)[c] : Value::Null(table_.columns[c].type));
      }
    }
  }
  pctx.fixed_params = true;
  planner::PlanPtr plan;
  {
    std::lock_guard lock(when_mu);
    auto it = when_plans.find(key);
    if (it != when_plans.end()) plan = it->second;
  }
  if (plan == nullptr) {
    plan = planner::PlanStatement(*ParseTriggerWhen(t.when, table_), pctx);
    std::lock_guard lock(when_mu);
    if (when_plans.size() > 1000) when_plans.clear();
    when_plans[key] = plan;
  }
  ExecContext sub = ctx_;
  sub.params = std::move(params);
  bool result = false;
  RunPlan(*plan, sub, [&](std::vector<std::vector<Value>>&& rows) {
    if (rows.empty() || rows[0].empty()) return;
    Value v = rows[0][0];
    if (v.is_null) return;
    if (v.type.id != TypeId::kBool) v = CastValue(v, Type::Of(TypeId::kBool), ctx_.format, true);
    result = v.i != 0;
  });
  return result;
}

std::optional<storage::Row> TableTriggers::Fire(const Fired& f, const storage::Row* old_row,
                                                const storage::Row* new_row, bool* ran) {
  *ran = false;
  if (!WhenHolds(*f.trigger, old_row, new_row)) return std::nullopt;
  *ran = true;
  DepthGuard depth;
  TriggerCall call;
  call.trigger = f.trigger;
  call.table = &table_;
  call.function = f.function;
  call.when = f.trigger->instead() ? "INSTEAD OF" : f.trigger->before() ? "BEFORE" : "AFTER";
  call.row = f.trigger->row();
  call.op = OpName(event_);
  call.old_row = old_row;
  call.new_row = new_row;
  if (!f.trigger->old_table.empty()) call.old_table = &old_table_;
  if (!f.trigger->new_table.empty()) call.new_table = &new_table_;
  return RunPlpgsqlTrigger(call, ctx_);
}

void TableTriggers::BeforeStatement() {
  bool ran;
  for (const Fired& f : before_stmt_) Fire(f, nullptr, nullptr, &ran);
}

bool TableTriggers::RowTriggers(const std::vector<Fired>& list, const storage::Row* old_row,
                                storage::Row* new_row) {
  // DELETE: the function sees OLD; its result only says whether to go on.
  const bool has_new = event_ == Trig::kInsert || event_ == Trig::kUpdate;
  for (const Fired& f : list) {
    if (has_new && &list == &before_row_) {
      // A BEFORE trigger sees the stored generated columns NULL in NEW, whatever an earlier
      // one set: they are computed after (PostgreSQL's PL/pgSQL nulls them for each call).
      for (size_t c = 0; c < table_.columns.size(); ++c) {
        if (table_.columns[c].generated != 0) (*new_row)[c] = Value::Null(table_.columns[c].type);
      }
    }
    bool ran;
    std::optional<storage::Row> out = Fire(f, old_row, has_new ? new_row : nullptr, &ran);
    if (!ran) continue;
    if (!out) return false;
    if (has_new) *new_row = std::move(*out);
  }
  return true;
}

bool TableTriggers::BeforeRow(const storage::Row* old_row, storage::Row* new_row) {
  return RowTriggers(before_row_, old_row, new_row);
}

bool TableTriggers::InsteadRow(const storage::Row* old_row, storage::Row* new_row) {
  return RowTriggers(instead_row_, old_row, new_row);
}

void TableTriggers::AfterRow(const storage::Row* old_row, const storage::Row* new_row) {
  if (want_old_table_ && old_row != nullptr) old_table_.push_back(*old_row);
  if (want_new_table_ && new_row != nullptr) new_table_.push_back(*new_row);
  if (after_row_.empty()) return;
  Queued q;
  if (old_row != nullptr) q.old_row = *old_row;
  if (new_row != nullptr) q.new_row = *new_row;
  queue_.push_back(std::move(q));
}

void TableTriggers::RunQueued(size_t i) {
  if (queue_[i].done) return;
  queue_[i].done = true;
  bool ran;
  for (const Fired& f : after_row_) {
    const Queued& q = queue_[i];
    Fire(f, q.old_row ? &*q.old_row : nullptr, q.new_row ? &*q.new_row : nullptr, &ran);
  }
}

void TableTriggers::AfterStatement() {
  // A trigger's own statement may queue more rows of another TableTriggers, never of this one.
  for (size_t i = 0; i < queue_.size(); ++i) RunQueued(i);
  queue_.clear();
  bool ran;
  for (const Fired& f : after_stmt_) Fire(f, nullptr, nullptr, &ran);
  old_table_.clear();
  new_table_.clear();
}

}  // namespace activestore::executor
