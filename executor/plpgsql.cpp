// The PL/pgSQL interpreter (executor/plpgsql.h): walks the statement tree of parser/plpgsql.h
// with the function's variables, running the SQL inside through the planner and executor.
#include "executor/plpgsql.h"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "common/array.h"
#include "common/composite.h"
#include "common/error.h"
#include "common/value_ops.h"
#include "executor/expression_evaluator.h"
#include "executor/table_stats.h"
#include "executor/user_functions.h"
#include "parser/ast_function.h"
#include "parser/parser.h"
#include "parser/plpgsql.h"
#include "planner/binder.h"
#include "planner/planner.h"
#include "storage/catalog.h"
#include "storage/user_txn.h"

namespace activestore::executor {

namespace {

using plpgsql::SqlText;
using plpgsql::Stmt;
using plpgsql::StmtKind;
using plpgsql::StmtList;
using plpgsql::Target;

constexpr TypeId kRecordType = TypeId{2249};

struct Condition {
  const char* name;
  const char* code;
};
constexpr Condition kConditions[] = {
#include "executor/plpgsql_conditions.inc"
};

// The SQLSTATE of a condition name, or "" if there is none.
std::string ConditionCode(const std::string& name) {
  for (const Condition& c : kConditions) {
    if (name == c.name) return c.code;
  }
  return "";
}

// A parsed body with its plans, shared by every call of the same text.
struct Compiled {
  std::shared_ptr<const plpgsql::Function> fn;
  std::mutex mu;
  // Per SqlText id: the plans by key (catalog version, search path, parameters).
  std::vector<std::unordered_map<std::string, planner::PlanPtr>> plans;
  // Plans of the interpreter's own queries (domain checks), by key.
  std::unordered_map<std::string, planner::PlanPtr> own_plans;
};

std::shared_ptr<Compiled> CompiledFor(const std::string& body) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<Compiled>> cache;
  {
    std::lock_guard lock(mu);
    auto it = cache.find(body);
    if (it != cache.end()) return it->second;
  }
  auto c = std::make_shared<Compiled>();
  c->fn = plpgsql::ParsePlpgsql(body);
  c->plans.resize(static_cast<size_t>(c->fn->sql_count));
  std::lock_guard lock(mu);
  if (cache.size() > 1000) cache.clear();
  cache[body] = c;
  return c;
}

struct Var {
  std::string name;
  Type type = Type::Of(TypeId::kUnknown);
  Value value;
  bool constant = false;
  bool not_null = false;
  // A record or %ROWTYPE variable: its fields once known (a record's from its last row).
  bool is_record = false;
  bool row_known = false;
  bool row_assigned = false;
  bool fixed_shape = false;  // %ROWTYPE: the table's columns, assigned by position
  std::string domain;        // a domain's name as written: assignments are checked against it
  std::vector<std::string> field_names;
  std::vector<Type> field_types;
  std::vector<Value> fields;
};

struct Frame {
  std::string label;
  std::vector<std::pair<std::string, size_t>> names;  // name -> variable
};

// The variables in scope as statement parameters.
struct Slots {
  std::vector<std::string> names;
  std::vector<Type> types;
  std::vector<Value> values;
  std::string key;
};

enum class Flow { kNormal, kExit, kContinue, kReturn };

struct Rows {
  std::vector<std::vector<Value>> rows;
  std::vector<std::string> names;
  std::vector<Type> types;
  int64_t processed = 0;
  bool dml = false;
};

std::string PathKey(const ExecContext& ctx) {
  std::string key = std::to_string(ctx.catalog_view ? ctx.catalog_view->version : 0);
  for (const std::string& s : ctx.search_path) key += '\x1f' + s;
  return key;
}

[[noreturn]] void ThrowCode(const std::string& code, const std::string& message) {
  throw Error(SqlStateFromCode(code), message);
}

class Interpreter {
 public:
  Interpreter(Compiled* compiled, ExecContext& ctx, const planner::UserFunctionCall* call,
              const TriggerCall* trigger = nullptr)
      : compiled_(compiled), ctx_(ctx), call_(call), trigger_(trigger) {
    if (trigger_ != nullptr) {
      function_name_ = trigger_->function->name;
      where_ = fmt::format("PL/pgSQL function {}()", function_name_);
    } else if (call_ != nullptr) {
      // PostgreSQL names a polymorphic function by its declared types.
      const storage::FunctionInfo& f = call_->declared ? *call_->declared : *call_->function;
      function_name_ = f.name;
      std::string args;
      for (const storage::FunctionParam& p : f.params) {
        if (!p.is_input()) continue;
        std::string name;
        if (p.domain != 0 && ctx_.catalog_view != nullptr) {
          if (auto d = ctx_.catalog_view->FindTypeByOid(p.domain)) name = d->name;
        }
        args += (args.empty() ? "" : ",") + (name.empty() ? TypeName(p.type) : name);
      }
      where_ = fmt::format("PL/pgSQL function {}({})", f.name, args);
    } else {
      where_ = "PL/pgSQL function inline_code_block";
    }
  }

  std::vector<std::vector<Value>> Run(const std::vector<Value>& args, size_t max_rows) {
    frames_.push_back(Frame{function_name_, {}});
    if (call_ != nullptr) {
      size_t k = 0;
      for (const storage::FunctionParam& p : call_->function->params) {
        Var v;
        v.name = p.name;
        v.type = p.type;
        if (p.domain != 0 && ctx_.catalog_view != nullptr) {
          if (auto d = ctx_.catalog_view->FindTypeByOid(p.domain)) {
            v.domain = "\"" + d->schema + "\".\"" + d->name + "\"";
          }
        }
        if (p.is_input()) {
          v.value = k < args.size() ? args[k] : Value::Null(p.type);
          ++k;
        } else {
          v.value = Value::Null(p.type);
        }
        const size_t idx = AddVar(std::move(v));
        if (p.is_input()) input_vars_.push_back(idx);
        if (p.is_output()) output_vars_.push_back(idx);
      }
    }
    if (trigger_ != nullptr) AddTriggerVars();
    Var found;
    found.name = "found";
    found.type = Type::Of(TypeId::kBool);
    found.value = Value::Bool(false);
    found_var_ = AddVar(std::move(found));
    const Stmt& top = *compiled_->fn->block;
    Flow f = Exec(top);
    if (f == Flow::kExit || f == Flow::kContinue) {
      // Only a labelled EXIT can get here (checked by Exec).
    }
    std::vector<std::vector<Value>> out;
    if (call_ == nullptr) return out;
    const storage::FunctionInfo& fn = *call_->function;
    if (fn.returns_set) {
      out = std::move(set_rows_);
      if (max_rows != 0 && out.size() > max_rows) out.resize(max_rows);
      return out;
    }
    if (f != Flow::kReturn && fn.kind != 'p' && output_vars_.empty() &&
        call_->result.id != TypeId::kVoid) {
      AddContext("at END", top.line, true);
      ThrowCode("2F005", "control reached end of function without RETURN");
    }
    if (!output_vars_.empty()) {
      std::vector<Value> row;
      for (size_t v : output_vars_) row.push_back(vars_[v].value);
      if (!call_->row_result) row.resize(1);
      out.push_back(CastRow(std::move(row)));
      return out;
    }
    if (call_->row_result) {
      if (!has_result_row_) {
        out.push_back(CastRow(std::vector<Value>(call_->column_types.size())));
      } else {
        out.push_back(CastRow(result_row_));
      }
      return out;
    }
    out.push_back({result_.is_null || call_->result.id == TypeId::kVoid
                       ? Value::Null(call_->result)
                       : Cast(result_, call_->result)});
    return out;
  }

 private:
  Compiled* compiled_;
  ExecContext& ctx_;
  const planner::UserFunctionCall* call_;
  const TriggerCall* trigger_;
  // A trigger function's RETURN: the row (nullopt for NULL), and whether it returned.
  std::optional<std::vector<Value>> trigger_result_;
  bool trigger_returned_ = false;
  std::string function_name_;
  std::string where_;
  std::vector<Var> vars_;
  std::vector<Frame> frames_;
  std::vector<size_t> input_vars_, output_vars_;
  size_t found_var_ = 0;
  int64_t row_count_ = 0;
  Value result_;
  std::vector<Value> result_row_;
  bool has_result_row_ = false;
  std::vector<std::vector<Value>> set_rows_;
  std::string exit_label_;
  bool context_added_ = false;
  const Stmt* assigning_ = nullptr;  // the assignment whose expression runs
  bool performing_ = false;          // PERFORM's query runs
  std::vector<Error> caught_;        // the errors of the handlers running, innermost last

  // NEW, OLD and the TG_* variables of a trigger function (PostgreSQL's plpgsql_compile for
  // a trigger): NEW and OLD are records of the table's shape, NULL where the event has none.
  void AddTriggerVars() {
    const TriggerCall& t = *trigger_;
    auto row_var = [&](const char* name, const std::vector<Value>* row) {
      Var v;
      v.name = name;
      v.is_record = true;
      v.fixed_shape = true;
      v.row_known = true;
      for (const storage::ColumnInfo& c : t.table->columns) {
        v.field_names.push_back(c.name);
        v.field_types.push_back(c.type);
      }
      AddVar(std::move(v));
      AssignRecord(vars_.back(), row, vars_.back().field_names, vars_.back().field_types);
    };
    row_var("new", t.new_row);
    row_var("old", t.old_row);
    auto scalar = [&](const char* name, Value value) {
      Var v;
      v.name = name;
      v.type = value.type;
      v.value = std::move(value);
      AddVar(std::move(v));
    };
    scalar("tg_name", Value::Text(t.trigger->name, TypeId::kName));
    scalar("tg_when", Value::Text(t.when));
    scalar("tg_level", Value::Text(t.row ? "ROW" : "STATEMENT"));
    scalar("tg_op", Value::Text(t.op));
    scalar("tg_relid", Value::Int(TypeId::kOid, t.table->oid));
    scalar("tg_relname", Value::Text(t.table->name, TypeId::kName));
    scalar("tg_table_name", Value::Text(t.table->name, TypeId::kName));
    scalar("tg_table_schema", Value::Text(t.table->schema, TypeId::kName));
    scalar("tg_nargs", Value::Int32(static_cast<int32_t>(t.trigger->args.size())));
    // TG_ARGV counts from 0 (text[] with lower bound 0), as PostgreSQL's.
    Value argv = Value::Null(Type::Of(kTextArrayType));
    if (!t.trigger->args.empty()) {
      ArrayBuilder b(TypeId::kText);
      for (const std::string& a : t.trigger->args) b.Append(Value::Text(a));
      argv.is_null = false;
      argv.s = b.Finish({static_cast<int>(t.trigger->args.size())}, {0});
    }
    scalar("tg_argv", std::move(argv));
  }

 public:
  // After Run() of a trigger function: the row it returned (nullopt: NULL).
  std::optional<std::vector<Value>> TriggerResult() {
    if (!trigger_returned_) {
      ThrowCode("2F005", "control reached end of trigger procedure without RETURN");
    }
    return std::move(trigger_result_);
  }

 private:
  // RETURN in a trigger function: NULL, or a record of the table's shape.
  Flow TriggerReturn(const Stmt& s) {
    trigger_returned_ = true;
    trigger_result_.reset();
    if (s.exprs.empty()) {
      Throw(SqlState::kDatatypeMismatch, "missing expression at or near \";\"");
    }
    size_t idx;
    if (IsRecordVar(s.exprs[0], &idx)) {
      const Var& v = vars_[idx];
      if (!v.row_assigned) return Flow::kReturn;  // NEW of a DELETE, OLD of an INSERT: NULL
      const std::vector<storage::ColumnInfo>& cols = trigger_->table->columns;
      if (v.fields.size() != cols.size()) {
        throw Error(SqlState::kDatatypeMismatch,
                    "returned row structure does not match the structure of the triggering "
                    "table")
            .Detail("Number of returned columns does not match expected column count.");
      }
      std::vector<Value> row;
      for (size_t i = 0; i < cols.size(); ++i) row.push_back(Cast(v.fields[i], cols[i].type));
      trigger_result_ = std::move(row);
      return Flow::kReturn;
    }
    Value v = Eval(s.exprs[0]);
    if (!v.is_null) {
      Throw(SqlState::kDatatypeMismatch,
            "cannot return non-composite value from function returning composite type");
    }
    return Flow::kReturn;
  }

  size_t AddVar(Var v) {
    vars_.push_back(std::move(v));
    const size_t idx = vars_.size() - 1;
    if (!vars_[idx].name.empty()) frames_.back().names.emplace_back(vars_[idx].name, idx);
    return idx;
  }

  void SetFound(bool b) { vars_[found_var_].value = Value::Bool(b); }

  Value Cast(const Value& v, Type t) {
    if (v.is_null) return Value::Null(t);
    if (v.type == t || t.id == TypeId::kUnknown) return v;
    return CastValue(v, t, ctx_.format, /*implicit_assignment=*/true);
  }

  std::vector<Value> CastRow(std::vector<Value> row) {
    const std::vector<Type>& types =
        call_->row_result ? call_->column_types : std::vector<Type>{call_->result};
    row.resize(types.size());
    for (size_t i = 0; i < types.size(); ++i) {
      row[i] = types[i].id == TypeId::kVoid ? Value::Null(types[i]) : Cast(row[i], types[i]);
    }
    return row;
  }

  // ---- Names

  // The variable `name` denotes (innermost scope first), or nullopt.
  std::optional<size_t> Lookup(const std::string& name) const {
    for (auto f = frames_.rbegin(); f != frames_.rend(); ++f) {
      for (auto n = f->names.rbegin(); n != f->names.rend(); ++n) {
        if (n->first == name) return n->second;
      }
    }
    return std::nullopt;
  }

  std::optional<size_t> LookupLabelled(const std::string& label, const std::string& name) const {
    for (auto f = frames_.rbegin(); f != frames_.rend(); ++f) {
      if (f->label != label) continue;
      for (auto n = f->names.rbegin(); n != f->names.rend(); ++n) {
        if (n->first == name) return n->second;
      }
    }
    return std::nullopt;
  }

  Slots MakeSlots() const {
    Slots s;
    std::map<std::string, size_t> visible;
    for (const Frame& f : frames_) {
      for (const auto& [name, idx] : f.names) visible[name] = idx;
    }
    auto add = [&](const std::string& name, Type type, const Value& value) {
      s.names.push_back(name);
      Type t = type.id == TypeId::kUnknown ? Type::Of(TypeId::kText) : type;
      s.types.push_back(t);
      s.values.push_back(value.is_null ? Value::Null(t) : value);
      s.key += name + ':' + std::to_string(static_cast<uint32_t>(t.id)) + '/' +
               std::to_string(t.typmod) + ';';
    };
    // $1..$n: the inputs, named while no inner variable hides them.
    for (size_t idx : input_vars_) {
      const Var& v = vars_[idx];
      auto it = visible.find(v.name);
      add(it != visible.end() && it->second == idx ? v.name : "", v.type, v.value);
    }
    for (const auto& [name, idx] : visible) {
      const Var& v = vars_[idx];
      if (std::find(input_vars_.begin(), input_vars_.end(), idx) != input_vars_.end() &&
          name == v.name) {
        continue;
      }
      if (v.is_record) {
        if (!v.row_known) continue;
        for (size_t i = 0; i < v.field_names.size(); ++i) {
          add(name + "." + v.field_names[i], v.field_types[i], v.fields[i]);
        }
        continue;
      }
      add(name, v.type, v.value);
    }
    for (const Frame& f : frames_) {
      if (f.label.empty()) continue;
      for (const auto& [name, idx] : f.names) {
        if (!vars_[idx].is_record) add(f.label + "." + name, vars_[idx].type, vars_[idx].value);
      }
    }
    return s;
  }

  // ---- SQL

  // A trigger's transition tables, visible to its statements as relations (planner.h).
  bool HasTransitionTables() const {
    return trigger_ != nullptr &&
           (!trigger_->trigger->old_table.empty() || !trigger_->trigger->new_table.empty());
  }
  void AddTransitionTables(planner::PlannerContext* pctx) const {
    if (!HasTransitionTables()) return;
    auto add = [&](const std::string& name, const std::vector<std::vector<Value>>* rows) {
      if (name.empty()) return;
      planner::PlannerContext::TransitionTable t;
      for (const storage::ColumnInfo& c : trigger_->table->columns) {
        t.names.push_back(c.name);
        t.types.push_back(c.type);
      }
      t.rows = rows;
      pctx->transition_tables[name] = std::move(t);
    };
    add(trigger_->trigger->old_table, trigger_->old_table);
    add(trigger_->trigger->new_table, trigger_->new_table);
  }

  planner::PlannerContext PlannerContextFor(const Slots& s) const {
    planner::PlannerContext pctx = PlannerContextOf(ctx_);
    AddTransitionTables(&pctx);
    pctx.param_types = s.types;
    pctx.param_names = s.names;
    pctx.function_name = function_name_;
    pctx.fixed_params = true;
    return pctx;
  }

  // Planned here: queries, DML and CALL (not DO, which is a CallStatement with code).
  static bool Plannable(const ast::Statement& st) {
    const ast::StmtKind k = st.kind;
    if (k == ast::StmtKind::kCall) {
      return !static_cast<const ast::CallStatement&>(st).inline_code.has_value();
    }
    return k == ast::StmtKind::kSelect || k == ast::StmtKind::kInsert ||
           k == ast::StmtKind::kUpdate || k == ast::StmtKind::kDelete || k == ast::StmtKind::kMerge;
  }

  // The plan of a statement (CALL as a one-row plan of the procedure's call).
  planner::PlanPtr PlanOne(const ast::Statement& st, planner::PlannerContext& pctx) {
    if (st.kind == ast::StmtKind::kCall) {
      planner::Binder b(&pctx, nullptr, nullptr);
      planner::BoundExprPtr call =
          b.BindProcedureCall(*static_cast<const ast::CallStatement&>(st).call);
      auto node = std::make_shared<planner::PlanNode>();
      node->kind = planner::PlanKind::kResult;
      node->exprs = {call};
      node->output_types = {call->type};
      node->output_names = {"call"};
      return node;
    }
    return planner::PlanStatement(st, pctx);
  }

  // The cached plan of t (an expression: `SELECT t`), or null for a utility statement.
  planner::PlanPtr Plan(const SqlText& t, bool expression, const Slots& s) {
    const std::string key = PathKey(ctx_) + '\x1e' + s.key + (expression ? "e" : "s");
    if (!HasTransitionTables()) {
      std::lock_guard lock(compiled_->mu);
      auto& m = compiled_->plans[static_cast<size_t>(t.id)];
      auto it = m.find(key);
      if (it != m.end()) return it->second;
    }
    const std::string sql = expression ? "SELECT " + t.text : t.text;
    std::vector<ast::StatementPtr> stmts = parser::Parse(sql);
    if (stmts.size() != 1) {
      Throw(SqlState::kSyntaxError, "cannot insert multiple commands into a prepared statement");
    }
    if (!Plannable(*stmts[0])) return nullptr;
    planner::PlannerContext pctx = PlannerContextFor(s);
    planner::PlanPtr plan = PlanOne(*stmts[0], pctx);
    // A plan that may read transition tables holds this firing's rows: not kept.
    if (HasTransitionTables()) return plan;
    std::lock_guard lock(compiled_->mu);
    compiled_->plans[static_cast<size_t>(t.id)][key] = plan;
    return plan;
  }

  Rows RunPlanned(const planner::PlanNode& plan, const std::vector<Value>& params,
                  size_t max_rows) {
    Rows r;
    r.names = plan.output_names;
    r.types = plan.output_types;
    r.dml = planner::IsDataModifying(plan.kind);
    ExecContext sub = ctx_;
    sub.params = params;
    const int64_t n = RunPlan(plan, sub, [&](std::vector<std::vector<Value>>&& batch) {
      for (auto& row : batch) {
        if (max_rows != 0 && r.rows.size() >= max_rows) return;
        r.rows.push_back(std::move(row));
      }
    });
    r.processed = r.dml ? n : static_cast<int64_t>(r.rows.size());
    return r;
  }

  // Runs SQL text with the variables; a statement without a plan goes to run_utility.
  Rows RunSql(const SqlText& t, bool expression, size_t max_rows = 0) {
    const Slots s = MakeSlots();
    planner::PlanPtr plan;
    try {
      plan = Plan(t, expression, s);
      if (plan == nullptr) {
        if (!ctx_.run_utility) {
          Throw(SqlState::kFeatureNotSupported,
                "this statement is not supported in PL/pgSQL functions yet");
        }
        ctx_.run_utility(t.text, &ctx_);
        return Rows{};
      }
      return RunPlanned(*plan, s.values, max_rows);
    } catch (Error& e) {
      UnassignedRecord(e);
      AddSqlContext(e, t, expression);
      throw;
    }
  }

  // A field of a record that has no row yet reads as a table missing from FROM: PostgreSQL's
  // 55000 instead.
  void UnassignedRecord(Error& e) {
    static const std::string kMissing = "missing FROM-clause entry for table \"";
    if (e.state() != SqlState::kUndefinedTable || e.message().rfind(kMissing, 0) != 0) return;
    const std::string name =
        e.message().substr(kMissing.size(), e.message().size() - kMissing.size() - 1);
    auto idx = Lookup(name);
    if (!idx || !vars_[*idx].is_record || vars_[*idx].row_known) return;
    Error out(SqlState::kObjectNotInPrerequisiteState,
              fmt::format("record \"{}\" is not assigned yet", name));
    out.Detail("The tuple structure of a not-yet-assigned record is indeterminate.");
    e = out;
  }

  // PostgreSQL's _SPI_error_callback line: the assignment, expression or statement.
  void AddSqlContext(Error& e, const SqlText& t, bool expression) {
    if (context_added_) return;
    e.position.reset();
    std::string line;
    if (assigning_ != nullptr && expression) {
      line = fmt::format("PL/pgSQL assignment \"{} := {}\"", assigning_->targets[0].text, t.text);
    } else if (performing_) {
      line = fmt::format("SQL statement \"SELECT {}\"", t.text);
    } else if (expression) {
      line = fmt::format("SQL expression \"{}\"", t.text);
    } else {
      line = fmt::format("SQL statement \"{}\"", t.text);
    }
    e.context = e.context ? *e.context + "\n" + line : line;
  }

  // Dynamic SQL (EXECUTE): planned each time, the USING values as $1..$n.
  Rows RunDynamic(const SqlText& query, const std::vector<SqlText>& using_exprs, size_t max_rows,
                  bool allow_utility) {
    Value q = Eval(query);
    if (q.is_null) {
      Throw(SqlState::kNullValueNotAllowed, "query string argument of EXECUTE is null");
    }
    const std::string sql = q.type.id == TypeId::kText ? q.s : FormatValue(q, ctx_.format);
    std::vector<Value> params;
    std::vector<Type> types;
    for (const SqlText& u : using_exprs) {
      Type t;
      params.push_back(Eval(u, &t));
      types.push_back(t.id == TypeId::kUnknown ? Type::Of(TypeId::kText) : t);
      if (params.back().is_null) params.back() = Value::Null(types.back());
    }
    try {
      std::vector<ast::StatementPtr> stmts = parser::Parse(sql);
      Rows last;
      for (const ast::StatementPtr& st : stmts) {
        if (!Plannable(*st)) {
          if (!allow_utility || !ctx_.run_utility || !params.empty()) {
            Throw(SqlState::kFeatureNotSupported, "this statement is not supported in EXECUTE yet");
          }
          ctx_.run_utility(sql, &ctx_);
          return Rows{};
        }
        planner::PlannerContext pctx = PlannerContextOf(ctx_);
        AddTransitionTables(&pctx);
        pctx.param_types = types;
        pctx.fixed_params = true;
        planner::PlanPtr plan = PlanOne(*st, pctx);
        last = RunPlanned(*plan, params, max_rows);
      }
      return last;
    } catch (Error& e) {
      if (!context_added_) {
        e.position.reset();
        const std::string line = fmt::format("SQL statement \"{}\"", sql);
        e.context = e.context ? *e.context + "\n" + line : line;
      }
      throw;
    }
  }

  // One value of an expression; *type gets its type.
  Value Eval(const SqlText& t, Type* type = nullptr) {
    Rows r = RunSql(t, true, 2);
    if (r.types.size() != 1) {
      throw Error(SqlState::kSyntaxError,
                  fmt::format("query \"SELECT {}\" returned {} columns", t.text, r.types.size()));
    }
    if (r.rows.size() > 1) {
      throw Error(SqlState::kCardinalityViolation,
                  fmt::format("query \"SELECT {}\" returned more than one row", t.text));
    }
    if (type != nullptr) *type = r.types[0];
    if (r.rows.empty()) return Value::Null(r.types[0]);
    return r.rows[0][0];
  }

  // A condition: NULL is false.
  bool EvalBool(const SqlText& t) {
    Type type;
    Value v = Eval(t, &type);
    if (v.is_null) return false;
    if (v.type.id != TypeId::kBool) v = CastValue(v, Type::Of(TypeId::kBool), ctx_.format, true);
    return v.i != 0;
  }

  // ---- Assignment

  Var& TargetVar(const Target& t, std::string* field) {
    std::optional<size_t> idx = Lookup(t.names[0]);
    size_t used = 1;
    if (t.names.size() >= 2) {
      if (auto l = LookupLabelled(t.names[0], t.names[1])) {
        idx = l;
        used = 2;
      }
    }
    if (!idx) {
      throw Error(SqlState::kSyntaxError, fmt::format("\"{}\" is not a known variable", t.text));
    }
    Var& v = vars_[*idx];
    if (t.names.size() > used) {
      if (!v.is_record || t.names.size() > used + 1) {
        Throw(SqlState::kFeatureNotSupported, "assignment to \"{}\" is not supported yet", t.text);
      }
      *field = t.names[used];
    }
    if (!t.subscripts.empty() && t.names.size() > used) {
      Throw(SqlState::kFeatureNotSupported,
            "assignment to an array element of a field (\"{}\") is not supported yet", t.text);
    }
    if (v.constant) {
      Throw(SqlStateFromCode("22005"), "variable \"{}\" is declared CONSTANT", v.name);
    }
    return v;
  }

  void AssignScalar(Var& v, const Value& value) {
    if (value.is_null && v.not_null) {
      Throw(SqlState::kNullValueNotAllowed,
            "null value cannot be assigned to variable \"{}\" declared NOT NULL", v.name);
    }
    v.value = Cast(value, v.type);
    if (!v.domain.empty()) v.value = CheckDomain(v, v.value);
  }

  // The value cast to the variable's domain (its constraints checked), through
  // `SELECT $1::domain`.
  Value CheckDomain(const Var& v, const Value& value) {
    const std::string key = PathKey(ctx_) + '\x1e' + v.domain + '\x1e' +
                            std::to_string(static_cast<uint32_t>(v.type.id)) + '/' +
                            std::to_string(v.type.typmod);
    planner::PlanPtr plan;
    {
      std::lock_guard lock(compiled_->mu);
      auto it = compiled_->own_plans.find(key);
      if (it != compiled_->own_plans.end()) plan = it->second;
    }
    if (plan == nullptr) {
      planner::PlannerContext pctx = PlannerContextOf(ctx_);
      pctx.param_types = {v.type};
      pctx.fixed_params = true;
      std::vector<ast::StatementPtr> stmts = parser::Parse("SELECT $1::" + v.domain);
      plan = planner::PlanStatement(*stmts.at(0), pctx);
      std::lock_guard lock(compiled_->mu);
      compiled_->own_plans[key] = plan;
    }
    Rows r = RunPlanned(*plan, {value.is_null ? Value::Null(v.type) : value}, 1);
    return Cast(r.rows.at(0).at(0), v.type);
  }

  // x[i] := value on a one-dimensional array (a NULL or empty one becomes [i:i]; assigning
  // past either end fills the gap with NULLs, as PostgreSQL's array_set_element).
  void AssignElement(Var& v, const Target& t, const Value& value) {
    if (t.subscripts.size() != 1) {
      Throw(SqlState::kFeatureNotSupported,
            "assignment to an element of a multidimensional array is not supported yet");
    }
    if (!IsArrayType(v.type.id)) {
      Throw(SqlState::kDatatypeMismatch,
            "cannot subscript type {} because it does not support subscripting", TypeName(v.type));
    }
    Value index = Eval(t.subscripts[0]);
    if (index.is_null) {
      Throw(SqlState::kNullValueNotAllowed, "array subscript in assignment must not be null");
    }
    const int64_t i = CastValue(index, Type::Of(TypeId::kInt32), ctx_.format, true).i;
    const Type elem = ElementTypeOf(v.type);
    const Value e = Cast(value, elem);
    std::vector<Value> elems;
    int64_t lb = 1;
    if (!v.value.is_null) {
      ArrayView view(v.value.s);
      if (view.ndim() > 1) {
        Throw(SqlState::kFeatureNotSupported,
              "assignment to an element of a multidimensional array is not supported yet");
      }
      if (view.ndim() == 1) {
        elems = view.Elements(elem);
        lb = view.lower_bound(0);
      }
    }
    // PostgreSQL's MaxArraySize, checked before the array grows: a[2147483647] := x on a short
    // array must fail with 54000, not allocate billions of elements.
    constexpr int64_t kMaxArraySize = 134217727;
    if (!elems.empty()) {
      const int64_t hi = lb + static_cast<int64_t>(elems.size()) - 1;
      if (std::max(hi, i) - std::min(lb, i) + 1 > kMaxArraySize) {
        Throw(SqlState::kProgramLimitExceeded, "array size exceeds the maximum allowed ({})",
              kMaxArraySize);
      }
    }
    if (elems.empty()) {
      lb = i;
      elems = {e};
    } else if (i < lb) {
      elems.insert(elems.begin(), static_cast<size_t>(lb - i), Value::Null(elem));
      elems[0] = e;
      lb = i;
    } else if (i >= lb + static_cast<int64_t>(elems.size())) {
      elems.resize(static_cast<size_t>(i - lb + 1), Value::Null(elem));
      elems.back() = e;
    } else {
      elems[static_cast<size_t>(i - lb)] = e;
    }
    ArrayBuilder b(elem.id);
    for (const Value& x : elems) b.Append(x);
    Value out;
    out.type = v.type;
    out.is_null = false;
    out.s = b.Finish({static_cast<int>(elems.size())}, {static_cast<int>(lb)});
    AssignScalar(v, out);
  }

  void Assign(const Target& t, const Value& value) {
    std::string field;
    Var& v = TargetVar(t, &field);
    if (!t.subscripts.empty() && field.empty()) {
      AssignElement(v, t, value);
      return;
    }
    if (!field.empty()) {
      if (!v.row_known) {
        Throw(SqlState::kObjectNotInPrerequisiteState, "record \"{}\" is not assigned yet", v.name);
      }
      for (size_t i = 0; i < v.field_names.size(); ++i) {
        if (v.field_names[i] != field) continue;
        v.fields[i] = Cast(value, v.field_types[i]);
        v.row_assigned = true;
        return;
      }
      Throw(SqlState::kUndefinedColumn, "record \"{}\" has no field \"{}\"", v.name, field);
    }
    if (v.is_record) {
      Throw(SqlState::kFeatureNotSupported,
            "assigning a value to record variable \"{}\" is not supported yet", v.name);
    }
    AssignScalar(v, value);
  }

  void AssignRecord(Var& v, const std::vector<Value>* row, const std::vector<std::string>& names,
                    const std::vector<Type>& types) {
    if (!v.fixed_shape) {
      // A record takes the row's shape.
      v.field_names = names;
      v.field_types = types;
      v.row_known = true;
    }
    v.fields.assign(v.field_names.size(), Value());
    for (size_t i = 0; i < v.field_names.size(); ++i) {
      v.fields[i] = row != nullptr && i < row->size() ? Cast((*row)[i], v.field_types[i])
                                                      : Value::Null(v.field_types[i]);
    }
    v.row_assigned = row != nullptr;
  }

  // INTO targets (or FOR loop targets) from one row (null: no row, all NULL).
  void AssignRow(const std::vector<Target>& targets, const std::vector<Value>* row,
                 const std::vector<std::string>& names, const std::vector<Type>& types) {
    if (targets.size() == 1) {
      std::string field;
      Var& v = TargetVar(targets[0], &field);
      if (v.is_record && field.empty()) {
        AssignRecord(v, row, names, types);
        return;
      }
    }
    for (size_t i = 0; i < targets.size(); ++i) {
      Value value = row != nullptr && i < row->size()
                        ? (*row)[i]
                        : Value::Null(i < types.size() ? types[i] : Type{});
      Assign(targets[i], value);
    }
  }

  // ---- Declarations

  void Declare(const plpgsql::Decl& d) {
    if (d.cursor) {
      Throw(SqlState::kFeatureNotSupported, "cursor variables are not supported in PL/pgSQL yet");
    }
    if (!d.alias_of.empty()) {
      std::optional<size_t> idx;
      if (d.alias_of[0] == '$') {
        const size_t n = std::stoul(d.alias_of.substr(1));
        if (n >= 1 && n <= input_vars_.size()) idx = input_vars_[n - 1];
      } else {
        idx = Lookup(d.alias_of);
      }
      if (!idx) Throw(SqlState::kUndefinedObject, "variable \"{}\" does not exist", d.alias_of);
      frames_.back().names.emplace_back(d.name, *idx);
      return;
    }
    Var v;
    v.name = d.name;
    v.constant = d.constant;
    v.not_null = d.not_null;
    ResolveType(d.type, &v);
    if (v.not_null && !d.default_value) {
      Throw(SqlState::kNullValueNotAllowed,
            "variable \"{}\" must have a default value, since it's declared NOT NULL", d.name);
    }
    v.value = Value::Null(v.type);
    if (!v.domain.empty() && !d.default_value) v.value = CheckDomain(v, v.value);
    if (d.default_value) {
      if (v.is_record) {
        Throw(SqlState::kFeatureNotSupported,
              "a default value for record variable \"{}\" is not supported yet", d.name);
      }
      Value init = Eval(*d.default_value);
      if (init.is_null && v.not_null) {
        Throw(SqlState::kNullValueNotAllowed,
              "null value cannot be assigned to variable \"{}\" declared NOT NULL", d.name);
      }
      v.value = Cast(init, v.type);
      if (!v.domain.empty()) v.value = CheckDomain(v, v.value);
    }
    AddVar(std::move(v));
  }

  static std::string Lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  static bool EndsWith(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
  }

  // The output names and types of a query without parameters.
  void QueryShape(const std::string& sql, std::vector<std::string>* names,
                  std::vector<Type>* types) {
    std::vector<ast::StatementPtr> stmts = parser::Parse(sql);
    planner::PlannerContext pctx = PlannerContextOf(ctx_);
    planner::PlanPtr plan = planner::PlanStatement(*stmts.at(0), pctx);
    *names = plan->output_names;
    *types = plan->output_types;
  }

  void ResolveType(const std::string& written, Var* v) {
    std::string text = written;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    const std::string lower = Lower(text);
    if (lower == "record") {
      v->is_record = true;
      v->type = Type::Of(kRecordType);
      return;
    }
    if (EndsWith(lower, "%rowtype")) {
      const std::string table = text.substr(0, text.size() - 8);
      v->is_record = true;
      v->type = Type::Of(kRecordType);
      QueryShape("SELECT * FROM " + table, &v->field_names, &v->field_types);
      v->row_known = true;
      v->fixed_shape = true;
      v->fields.clear();
      for (const Type& t : v->field_types) v->fields.push_back(Value::Null(t));
      return;
    }
    if (EndsWith(lower, "%type")) {
      std::string ref = text.substr(0, text.size() - 5);
      while (!ref.empty() && std::isspace(static_cast<unsigned char>(ref.back()))) ref.pop_back();
      if (auto idx = Lookup(Lower(ref))) {
        const Var& from = vars_[*idx];
        v->type = from.type;
        v->is_record = from.is_record;
        v->row_known = from.row_known;
        v->fixed_shape = from.fixed_shape;
        v->field_names = from.field_names;
        v->field_types = from.field_types;
        for (const Type& t : v->field_types) v->fields.push_back(Value::Null(t));
        return;
      }
      const size_t dot = ref.rfind('.');
      if (dot == std::string::npos) {
        Throw(SqlState::kUndefinedObject, "type \"{}\" does not exist", text);
      }
      std::vector<std::string> names;
      std::vector<Type> types;
      QueryShape("SELECT " + ref.substr(dot + 1) + " FROM " + ref.substr(0, dot), &names, &types);
      v->type = types.at(0);
      return;
    }
    std::unique_ptr<ast::SelectStmt> q = planner::ParseSelect("SELECT NULL::" + text);
    const ast::Expr& cast = *q->targets.at(0).expr;
    if (!cast.type) Throw(SqlState::kSyntaxError, "syntax error at or near \"{}\"", text);
    planner::PlannerContext pctx = PlannerContextOf(ctx_);
    uint32_t domain = 0;
    v->type = planner::ResolveTypeName(*cast.type, &pctx, &domain);
    if (domain != 0) v->domain = text;
    if (static_cast<uint32_t>(v->type.id) >= 16384 && domain == 0 && cast.type->array_bounds == 0) {
      for (const auto& [key, rel] : pctx.catalog->tables) {
        if (rel->row_type_oid != static_cast<uint32_t>(v->type.id)) continue;
        ResolveType(text + "%rowtype", v);
        return;
      }
    }
  }

  // ---- Statements

  void AddContext(const std::string& at, int line, bool force = false) {
    (void)at;
    (void)line;
    (void)force;
  }

  Flow ExecList(const StmtList& list) {
    for (const auto& s : list) {
      Flow f = Exec(*s);
      if (f != Flow::kNormal) return f;
    }
    return Flow::kNormal;
  }

  Flow Exec(const Stmt& s) {
    if (ctx_.cancel != nullptr && ctx_.cancel->load()) {
      throw Error(SqlState::kQueryCanceled, "canceling statement due to user request");
    }
    try {
      return ExecInner(s);
    } catch (Error& e) {
      if (!context_added_) {
        // A position would point into the SQL the interpreter made, not the statement.
        e.position.reset();
        context_added_ = true;
        const std::string line =
            fmt::format("{} line {} at {}", where_, s.line, plpgsql::StmtKindName(s));
        e.context = e.context ? *e.context + "\n" + line : line;
      }
      throw;
    }
  }

  // A loop body's flow: whether the loop goes on, and the flow it returns.
  bool LoopFlow(const Stmt& loop, Flow f, Flow* out) {
    *out = Flow::kNormal;
    if (f == Flow::kNormal) return true;
    if (f == Flow::kReturn) {
      *out = f;
      return false;
    }
    const bool mine = exit_label_.empty() || exit_label_ == loop.label;
    if (!mine) {
      *out = f;
      return false;
    }
    exit_label_.clear();
    return f == Flow::kContinue;
  }

  Flow ExecInner(const Stmt& s) {
    switch (s.kind) {
      case StmtKind::kBlock:
        return Block(s);
      case StmtKind::kAssign: {
        assigning_ = &s;
        Value v;
        try {
          v = Eval(s.exprs[0]);
        } catch (...) {
          assigning_ = nullptr;
          throw;
        }
        assigning_ = nullptr;
        Assign(s.targets[0], v);
        return Flow::kNormal;
      }
      case StmtKind::kIf:
        for (size_t i = 0; i < s.exprs.size(); ++i) {
          if (EvalBool(s.exprs[i])) return ExecList(s.branches[i]);
        }
        if (s.has_else) return ExecList(s.else_body);
        return Flow::kNormal;
      case StmtKind::kCase:
        return Case(s);
      case StmtKind::kLoop:
        for (;;) {
          Flow out;
          if (!LoopFlow(s, ExecList(s.body), &out)) return out;
        }
      case StmtKind::kWhile:
        while (EvalBool(s.exprs[0])) {
          Flow out;
          if (!LoopFlow(s, ExecList(s.body), &out)) return out;
        }
        return Flow::kNormal;
      case StmtKind::kForInt:
        return ForInt(s);
      case StmtKind::kForQuery:
      case StmtKind::kForExecute:
        return ForQuery(s);
      case StmtKind::kForeach:
        return Foreach(s);
      case StmtKind::kExit:
      case StmtKind::kContinue:
        if (!s.exprs.empty() && !EvalBool(s.exprs[0])) return Flow::kNormal;
        exit_label_ = s.name;
        return s.kind == StmtKind::kExit ? Flow::kExit : Flow::kContinue;
      case StmtKind::kReturn:
        return Return(s);
      case StmtKind::kReturnNext:
        ReturnNext(s);
        return Flow::kNormal;
      case StmtKind::kReturnQuery:
        ReturnQuery(s);
        return Flow::kNormal;
      case StmtKind::kPerform: {
        performing_ = true;
        Rows r;
        try {
          r = RunSql(*s.sql, true);
        } catch (...) {
          performing_ = false;
          throw;
        }
        performing_ = false;
        row_count_ = r.processed;
        SetFound(r.processed > 0);
        return Flow::kNormal;
      }
      case StmtKind::kRaise:
        Raise(s);
        return Flow::kNormal;
      case StmtKind::kAssert:
        if (!EvalBool(s.exprs[0])) {
          std::string message = "assertion failed";
          if (s.exprs.size() > 1) {
            Value m = Eval(s.exprs[1]);
            message = m.is_null ? "assertion failed" : FormatValue(m, ctx_.format);
          }
          throw Error(SqlState::kAssertFailure, message);
        }
        return Flow::kNormal;
      case StmtKind::kGetDiag:
        GetDiagnostics(s);
        return Flow::kNormal;
      case StmtKind::kExecute: {
        Rows r = RunDynamic(s.exprs[0], s.using_exprs, s.has_into ? 2 : 0, true);
        row_count_ = r.processed;
        if (s.has_into) Into(s, r);
        return Flow::kNormal;
      }
      case StmtKind::kNull:
        return Flow::kNormal;
      case StmtKind::kSql: {
        Rows r = RunSql(*s.sql, false, s.has_into ? 2 : 0);
        row_count_ = r.processed;
        if (s.has_into) {
          Into(s, r);
        } else {
          std::string first = s.sql->text.substr(0, 4);
          if (!r.dml && !r.types.empty() && Lower(first) != "call") {
            throw Error(SqlState::kSyntaxError, "query has no destination for result data")
                .Hint("If you want to discard the results of a SELECT, use PERFORM instead.");
          }
          SetFound(r.processed > 0);
        }
        return Flow::kNormal;
      }
      case StmtKind::kUnsupported:
        Throw(SqlState::kFeatureNotSupported, "PL/pgSQL statement {} is not supported yet", s.name);
    }
    return Flow::kNormal;
  }

  void Into(const Stmt& s, const Rows& r) {
    if (r.rows.empty() && s.strict) {
      throw Error(SqlState::kNoDataFound, "query returned no rows");
    }
    if (r.rows.size() > 1 && (s.strict || (r.dml && s.kind == StmtKind::kSql))) {
      Error e(SqlState::kTooManyRows, "query returned more than one row");
      if (s.kind == StmtKind::kSql)
        e.Hint("Make sure the query returns a single row, or use LIMIT 1.");
      throw e;
    }
    if (r.types.empty() && !s.targets.empty()) {
      Throw(SqlState::kSyntaxError, "INTO used with a command that cannot return data");
    }
    AssignRow(s.targets, r.rows.empty() ? nullptr : &r.rows[0], r.names, r.types);
    SetFound(!r.rows.empty());
    row_count_ = static_cast<int64_t>(r.rows.size());
  }

  Flow Block(const Stmt& s) {
    frames_.push_back(Frame{s.label, {}});
    struct Pop {
      std::vector<Frame>* f;
      ~Pop() { f->pop_back(); }
    } pop{&frames_};
    try {
      for (const plpgsql::Decl& d : s.decls) Declare(d);
    } catch (Error& e) {
      if (!context_added_) {
        e.position.reset();
        context_added_ = true;
        const std::string line = fmt::format(
            "{} line {} during statement block local variable initialization", where_, s.line);
        e.context = e.context ? *e.context + "\n" + line : line;
      }
      throw;
    }
    Flow f;
    if (s.handlers.empty()) {
      f = ExecList(s.body);
    } else {
      auto* ctxn = dynamic_cast<storage::CatalogTxn*>(ctx_.txn);
      auto* utxn =
          ctxn != nullptr ? dynamic_cast<storage::UserTransaction*>(ctxn->inner()) : nullptr;
      if (utxn == nullptr) {
        Throw(SqlState::kFeatureNotSupported, "EXCEPTION blocks are not supported in this context");
      }
      const size_t data_mark = utxn->Savepoint();
      const size_t catalog_mark = ctxn->Mark();
      TransactionTableCounts* counts = ctx_.xact_counts;
      const size_t stats_mark = counts != nullptr ? counts->Savepoint() : 0;
      auto roll_back = [&] {
        utxn->RollbackTo(data_mark);
        utxn->Release(data_mark);
        ctxn->RollbackTo(catalog_mark);
        if (counts != nullptr) {
          counts->RollbackTo(stats_mark);
          counts->Release(stats_mark);
        }
      };
      const auto catalog_view = ctx_.catalog_view;
      const size_t frames = frames_.size();
      const int64_t saved_row_count = row_count_;
      std::optional<Error> error;
      try {
        f = ExecList(s.body);
        utxn->Release(data_mark);
        if (counts != nullptr) counts->Release(stats_mark);
      } catch (Error& e) {
        roll_back();
        ctx_.catalog_view = catalog_view;
        error = e;
      } catch (...) {
        roll_back();
        throw;
      }
      if (error) {
        frames_.resize(frames);
        (void)saved_row_count;
        const plpgsql::Handler* handler = nullptr;
        for (const plpgsql::Handler& h : s.handlers) {
          for (const std::string& c : h.conditions) {
            if (Matches(c, error->state())) {
              handler = &h;
              break;
            }
          }
          if (handler != nullptr) break;
        }
        if (handler == nullptr) throw *error;
        context_added_ = false;
        exit_label_.clear();
        frames_.push_back(Frame{"", {}});
        struct PopHandler {
          std::vector<Frame>* f;
          std::vector<Error>* caught;
          ~PopHandler() {
            f->pop_back();
            caught->pop_back();
          }
        } pop_handler{&frames_, &caught_};
        caught_.push_back(*error);
        Var code;
        code.name = "sqlstate";
        code.type = Type::Of(TypeId::kText);
        code.value = Value::Text(std::string(SqlStateCode(error->state())));
        AddVar(std::move(code));
        Var message;
        message.name = "sqlerrm";
        message.type = Type::Of(TypeId::kText);
        message.value = Value::Text(error->message());
        AddVar(std::move(message));
        f = ExecList(handler->body);
      }
    }
    if (f == Flow::kExit && !exit_label_.empty() && exit_label_ == s.label) {
      exit_label_.clear();
      return Flow::kNormal;
    }
    if ((f == Flow::kExit || f == Flow::kContinue) && frames_.size() == 2 &&
        (exit_label_.empty() || exit_label_ != s.label)) {
      // Out of the outermost block: EXIT/CONTINUE without a loop or label to leave.
      if (exit_label_.empty()) {
        Throw(SqlState::kSyntaxError, "{} cannot be used outside a loop, unless it has a label",
              f == Flow::kExit ? "EXIT" : "CONTINUE");
      }
      Throw(SqlState::kSyntaxError,
            "there is no label \"{}\" attached to any block or loop "
            "enclosing this statement",
            exit_label_);
    }
    return f;
  }

  bool Matches(const std::string& condition, SqlState state) {
    const std::string code(SqlStateCode(state));
    if (condition == "others") {
      return state != SqlState::kQueryCanceled && state != SqlState::kAssertFailure;
    }
    std::string want;
    if (condition.rfind("sqlstate:", 0) == 0) {
      want = condition.substr(9);
    } else {
      want = ConditionCode(condition);
      if (want.empty()) {
        Throw(SqlState::kUndefinedObject, "unrecognized exception condition \"{}\"", condition);
      }
      if (condition == "string_data_right_truncation" && code == "22001") return true;
    }
    if (want == code) return true;
    // A class's code (ending in 000) matches every code of the class.
    return want.substr(2) == "000" && want.substr(0, 2) == code.substr(0, 2);
  }

  Flow Case(const Stmt& s) {
    std::optional<Value> selector;
    Type selector_type;
    if (s.has_selector) selector = Eval(s.exprs[0], &selector_type);
    for (size_t i = 0; i < s.when_exprs.size(); ++i) {
      bool hit = false;
      if (selector) {
        // `selector IN (list)`, the selector as a variable of its own.
        frames_.push_back(Frame{"", {}});
        Var v;
        v.name = "__case__";
        v.type = selector_type;
        v.value = *selector;
        AddVar(std::move(v));
        SqlText t = s.when_exprs[i];
        t.text = "__case__ IN (" + t.text + ")";
        try {
          hit = EvalBool(t);
        } catch (...) {
          frames_.pop_back();
          throw;
        }
        frames_.pop_back();
      } else {
        hit = EvalBool(s.when_exprs[i]);
      }
      if (hit) return ExecList(s.branches[i]);
    }
    if (s.has_else) return ExecList(s.else_body);
    throw Error(SqlStateFromCode("20000"), "case not found")
        .Hint("CASE statement is missing ELSE part.");
  }

  Flow ForInt(const Stmt& s) {
    Value lo = Eval(s.exprs[0]);
    Value hi = Eval(s.exprs[1]);
    if (lo.is_null) Throw(SqlState::kNullValueNotAllowed, "lower bound of FOR loop cannot be null");
    if (hi.is_null) Throw(SqlState::kNullValueNotAllowed, "upper bound of FOR loop cannot be null");
    int64_t step = 1;
    if (s.has_by) {
      Value by = Eval(s.exprs[2]);
      if (by.is_null) Throw(SqlState::kNullValueNotAllowed, "BY value of FOR loop cannot be null");
      step = CastValue(by, Type::Of(TypeId::kInt32), ctx_.format, true).i;
      if (step <= 0) {
        Throw(SqlState::kInvalidParameterValue, "BY value of FOR loop must be greater than zero");
      }
    }
    int64_t from = CastValue(lo, Type::Of(TypeId::kInt32), ctx_.format, true).i;
    const int64_t to = CastValue(hi, Type::Of(TypeId::kInt32), ctx_.format, true).i;
    frames_.push_back(Frame{s.label, {}});
    struct Pop {
      std::vector<Frame>* f;
      ~Pop() { f->pop_back(); }
    } pop{&frames_};
    Var v;
    v.name = s.targets[0].names[0];
    v.type = Type::Of(TypeId::kInt32);
    const size_t idx = AddVar(std::move(v));
    bool any = false;
    Flow out = Flow::kNormal;
    for (int64_t i = from; s.reverse ? i >= to : i <= to; i += s.reverse ? -step : step) {
      any = true;
      vars_[idx].value = Value::Int32(static_cast<int32_t>(i));
      if (!LoopFlow(s, ExecList(s.body), &out)) break;
      if ((!s.reverse && i > INT32_MAX - step) || (s.reverse && i < INT32_MIN + step)) break;
    }
    SetFound(any);
    return out;
  }

  Flow ForQuery(const Stmt& s) {
    Rows r = s.kind == StmtKind::kForExecute ? RunDynamic(s.exprs[0], s.using_exprs, 0, false)
                                             : RunSql(*s.sql, false);
    if (s.targets.size() == 1) {
      std::string field;
      if (!Lookup(s.targets[0].names[0])) {
        throw Error(SqlState::kSyntaxError,
                    "loop variable of loop over rows must be a record variable or list of "
                    "scalar variables");
      }
    }
    frames_.push_back(Frame{s.label, {}});
    struct Pop {
      std::vector<Frame>* f;
      ~Pop() { f->pop_back(); }
    } pop{&frames_};
    Flow out = Flow::kNormal;
    for (const std::vector<Value>& row : r.rows) {
      AssignRow(s.targets, &row, r.names, r.types);
      if (!LoopFlow(s, ExecList(s.body), &out)) break;
    }
    SetFound(!r.rows.empty());
    return out;
  }

  Flow Foreach(const Stmt& s) {
    if (s.slice != 0) {
      Throw(SqlState::kFeatureNotSupported, "FOREACH with SLICE is not supported yet");
    }
    Type type;
    Value array = Eval(s.exprs[0], &type);
    if (array.is_null) {
      Throw(SqlState::kNullValueNotAllowed, "FOREACH expression must not be null");
    }
    // The elements, through unnest($1).
    planner::PlannerContext pctx = PlannerContextOf(ctx_);
    pctx.param_types = {type};
    pctx.fixed_params = true;
    std::vector<ast::StatementPtr> stmts = parser::Parse("SELECT unnest($1)");
    planner::PlanPtr plan;
    try {
      plan = planner::PlanStatement(*stmts[0], pctx);
    } catch (const Error&) {
      Throw(SqlState::kDatatypeMismatch, "FOREACH expression must yield an array, not type {}",
            TypeName(type));
    }
    Rows r = RunPlanned(*plan, {array}, 0);
    Flow out = Flow::kNormal;
    for (const std::vector<Value>& row : r.rows) {
      AssignRow(s.targets, &row, r.names, r.types);
      if (!LoopFlow(s, ExecList(s.body), &out)) break;
    }
    return out;
  }

  bool IsRecordVar(const SqlText& t, size_t* idx) {
    std::string name = Lower(t.text);
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.pop_back();
    auto v = Lookup(name);
    if (!v || !vars_[*v].is_record) return false;
    *idx = *v;
    return true;
  }

  Flow Return(const Stmt& s) {
    if (trigger_ != nullptr) return TriggerReturn(s);
    if (call_ == nullptr || call_->function->kind == 'p') {
      if (!s.exprs.empty()) {
        Throw(SqlState::kDatatypeMismatch, "RETURN cannot have a parameter in {}",
              call_ == nullptr ? "function returning void" : "a procedure");
      }
      return Flow::kReturn;
    }
    const storage::FunctionInfo& fn = *call_->function;
    if (fn.returns_set) {
      if (!s.exprs.empty()) {
        throw Error(SqlState::kDatatypeMismatch,
                    "RETURN cannot have a parameter in function returning set")
            .Hint("Use RETURN NEXT or RETURN QUERY.");
      }
      return Flow::kReturn;
    }
    if (!output_vars_.empty()) {
      if (!s.exprs.empty()) {
        Throw(SqlState::kDatatypeMismatch,
              "RETURN cannot have a parameter in function with OUT parameters");
      }
      return Flow::kReturn;
    }
    if (s.exprs.empty()) {
      if (call_->result.id != TypeId::kVoid) {
        Throw(SqlState::kDatatypeMismatch, "missing expression at or near \";\"");
      }
      return Flow::kReturn;
    }
    if (call_->row_result) {
      size_t idx;
      if (!IsRecordVar(s.exprs[0], &idx)) {
        result_row_ = RowOfValue(Eval(s.exprs[0]), "RETURN");
        has_result_row_ = true;
        return Flow::kReturn;
      }
      result_row_ = vars_[idx].fields;
      has_result_row_ = vars_[idx].row_assigned;
      return Flow::kReturn;
    }
    result_ = Eval(s.exprs[0]);
    return Flow::kReturn;
  }

  void CheckSetReturning(const char* what) {
    if (call_ == nullptr || !call_->function->returns_set) {
      throw Error(SqlState::kSyntaxError,
                  fmt::format("cannot use {} in a non-SETOF function", what));
    }
  }

  // The fields of a row value (`RETURN NEXT (i, x)`, a composite expression) for a function
  // returning a row; NULL is a row of NULLs. 0A000 for a value that is not a row.
  std::vector<Value> RowOfValue(const Value& v, const char* what) {
    if (!IsRecordLike(v.type.id)) {
      Throw(SqlState::kFeatureNotSupported, "{} of a value other than a row is not supported yet",
            what);
    }
    const size_t want = call_->column_types.size();
    if (v.is_null) return std::vector<Value>(want);
    std::vector<Value> fields = RecordView(v.s).fields();
    if (fields.size() != want) {
      throw Error(SqlState::kDatatypeMismatch,
                  fmt::format("wrong record type supplied in {}", what))
          .Detail(fmt::format("Number of returned columns ({}) does not match expected column "
                              "count ({}).",
                              fields.size(), want));
    }
    return fields;
  }

  void ReturnNext(const Stmt& s) {
    CheckSetReturning("RETURN NEXT");
    if (s.exprs.empty()) {
      if (output_vars_.empty()) {
        Throw(SqlState::kSyntaxError, "RETURN NEXT must have a parameter");
      }
      std::vector<Value> row;
      for (size_t v : output_vars_) row.push_back(vars_[v].value);
      if (!call_->row_result) row.resize(1);
      set_rows_.push_back(CastRow(std::move(row)));
      return;
    }
    if (!output_vars_.empty()) {
      Throw(SqlState::kDatatypeMismatch,
            "RETURN NEXT cannot have a parameter in function with OUT parameters");
    }
    size_t idx;
    if (call_->row_result && IsRecordVar(s.exprs[0], &idx)) {
      if (!vars_[idx].row_known) {
        Throw(SqlState::kObjectNotInPrerequisiteState, "record \"{}\" is not assigned yet",
              vars_[idx].name);
      }
      if (vars_[idx].fields.size() != call_->column_types.size()) {
        throw Error(SqlState::kDatatypeMismatch, "wrong record type supplied in RETURN NEXT")
            .Detail(fmt::format("Number of returned columns ({}) does not match expected "
                                "column count ({}).",
                                vars_[idx].fields.size(), call_->column_types.size()));
      }
      set_rows_.push_back(CastRow(vars_[idx].fields));
      return;
    }
    if (call_->row_result) {
      set_rows_.push_back(CastRow(RowOfValue(Eval(s.exprs[0]), "RETURN NEXT")));
      return;
    }
    set_rows_.push_back(CastRow({Eval(s.exprs[0])}));
  }

  void ReturnQuery(const Stmt& s) {
    CheckSetReturning("RETURN QUERY");
    Rows r = s.sql ? RunSql(*s.sql, false) : RunDynamic(s.exprs[0], s.using_exprs, 0, false);
    const size_t want = call_->row_result ? call_->column_types.size() : 1;
    if (r.types.size() != want) {
      throw Error(SqlState::kDatatypeMismatch,
                  "structure of query does not match function result type")
          .Detail(fmt::format("Number of returned columns ({}) does not match expected column "
                              "count ({}).",
                              r.types.size(), want));
    }
    for (auto& row : r.rows) set_rows_.push_back(CastRow(std::move(row)));
    row_count_ = static_cast<int64_t>(r.rows.size());
    SetFound(!r.rows.empty());
  }

  std::string Text(const SqlText& t) {
    Value v = Eval(t);
    return v.is_null ? "" : FormatValue(v, ctx_.format);
  }

  void Raise(const Stmt& s) {
    const bool rethrow =
        s.condition.empty() && s.sqlstate.empty() && !s.format && s.option_names.empty();
    if (rethrow && s.level == "exception") {
      if (caught_.empty()) {
        Throw(SqlStateFromCode("0Z002"),
              "RAISE without parameters cannot be used outside an exception handler");
      }
      Error e = caught_.back();
      context_added_ = true;  // it keeps its own context
      throw e;
    }
    std::string code = "P0001";
    std::string message;
    bool have_message = false;
    if (!s.condition.empty()) {
      code = ConditionCode(s.condition);
      if (code.empty()) {
        Throw(SqlState::kUndefinedObject, "unrecognized exception condition \"{}\"", s.condition);
      }
      message = s.condition;
    }
    if (!s.sqlstate.empty()) {
      code = s.sqlstate;
      message = s.sqlstate;
    }
    if (s.format) {
      const std::string& f = *s.format;
      size_t arg = 0;
      message.clear();
      for (size_t i = 0; i < f.size(); ++i) {
        if (f[i] == '%') {
          if (i + 1 < f.size() && f[i + 1] == '%') {
            message.push_back('%');
            ++i;
            continue;
          }
          Value v = Eval(s.exprs[arg++]);
          message += v.is_null ? "<NULL>" : FormatValue(v, ctx_.format);
          continue;
        }
        message.push_back(f[i]);
      }
      have_message = true;
    }
    std::string detail, hint;
    for (size_t i = 0; i < s.option_names.size(); ++i) {
      const std::string& name = s.option_names[i];
      auto dup = [&](bool already) {
        if (already) {
          std::string upper = name;
          for (char& ch : upper)
            ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
          Throw(SqlState::kSyntaxError, "RAISE option already specified: {}", upper);
        }
      };
      Value v = Eval(s.option_exprs[i]);
      if (v.is_null) {
        Throw(SqlState::kNullValueNotAllowed, "RAISE statement option cannot be null");
      }
      const std::string text = FormatValue(v, ctx_.format);
      if (name == "errcode") {
        dup(!s.condition.empty() || !s.sqlstate.empty());
        bool is_code = text.size() == 5;
        for (char ch : text)
          is_code =
              is_code && (std::isdigit(static_cast<unsigned char>(ch)) || (ch >= 'A' && ch <= 'Z'));
        if (is_code) {
          code = text;
        } else {
          code = ConditionCode(text);
          if (code.empty()) {
            Throw(SqlState::kUndefinedObject, "unrecognized exception condition \"{}\"", text);
          }
        }
        if (!have_message && message.empty()) message = text;
      } else if (name == "message") {
        dup(have_message);
        message = text;
        have_message = true;
      } else if (name == "detail") {
        detail = text;
      } else if (name == "hint") {
        hint = text;
      } else {
        Throw(SqlState::kFeatureNotSupported, "RAISE option {} is not supported yet", name);
      }
    }
    if (message.empty() && !have_message) message = code == "P0001" ? "" : code;
    if (s.level == "exception") {
      Error e(SqlStateFromCode(code), message);
      if (!detail.empty()) e.Detail(detail);
      if (!hint.empty()) e.Hint(hint);
      throw e;
    }
    if (ctx_.notice) {
      std::string severity = s.level;
      for (char& ch : severity)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      ctx_.notice(severity,
                  SqlStateFromCode(s.level == "warning" && code == "P0001" ? "01000"
                                   : code == "P0001"                       ? "00000"
                                                                           : code),
                  message, detail, hint);
    }
  }

  void GetDiagnostics(const Stmt& s) {
    for (size_t i = 0; i < s.items.size(); ++i) {
      const std::string& item = s.items[i];
      Value v;
      if (!s.stacked) {
        if (item == "row_count") {
          v = Value::Int64(row_count_);
        } else {
          Throw(SqlState::kFeatureNotSupported, "GET DIAGNOSTICS {} is not supported yet", item);
        }
      } else {
        if (caught_.empty()) {
          Throw(SqlStateFromCode("0Z002"),
                "GET STACKED DIAGNOSTICS cannot be used outside an exception handler");
        }
        const Error& e = caught_.back();
        std::string text;
        if (item == "returned_sqlstate") {
          text = std::string(SqlStateCode(e.state()));
        } else if (item == "message_text") {
          text = e.message();
        } else if (item == "pg_exception_detail") {
          text = e.detail.value_or("");
        } else if (item == "pg_exception_hint") {
          text = e.hint.value_or("");
        } else if (item == "pg_exception_context") {
          text = e.context.value_or("");
        } else if (item == "column_name") {
          text = e.column.value_or("");
        } else if (item == "constraint_name") {
          text = e.constraint.value_or("");
        } else if (item == "table_name") {
          text = e.table.value_or("");
        } else if (item == "schema_name") {
          text = e.schema.value_or("");
        } else if (item == "pg_datatype_name") {
          text = "";
        } else {
          Throw(SqlState::kSyntaxError, "unrecognized GET STACKED DIAGNOSTICS item \"{}\"", item);
        }
        v = Value::Text(text);
      }
      Assign(s.targets[i], v);
    }
  }
};

// plpgsql_compile's checks of assignment targets: every target names a variable in scope
// (42601 `"x" is not a known variable`) that is not CONSTANT (22005), with the position of
// the target in the body.
class TargetChecker {
 public:
  TargetChecker(const std::vector<std::string>& params, const std::string& function) {
    scopes_.push_back({});
    for (const std::string& p : params) {
      if (!p.empty()) scopes_.back().names.push_back({p, false});
    }
    scopes_.back().label = function;
    scopes_.back().names.push_back({"found", false});
  }

  void Stmt(const plpgsql::Stmt& s) {
    switch (s.kind) {
      case StmtKind::kBlock: {
        Push(s.label);
        for (const plpgsql::Decl& d : s.decls) {
          bool constant = d.constant;
          if (!d.alias_of.empty()) {
            if (const Name* n = Find(d.alias_of)) constant = n->constant;
          }
          scopes_.back().names.push_back({d.name, constant});
        }
        List(s.body);
        for (const plpgsql::Handler& h : s.handlers) {
          Push("");
          scopes_.back().names.push_back({"sqlstate", false});
          scopes_.back().names.push_back({"sqlerrm", false});
          List(h.body);
          scopes_.pop_back();
        }
        scopes_.pop_back();
        return;
      }
      case StmtKind::kForInt:
        Push(s.label);
        scopes_.back().names.push_back({s.targets[0].names[0], false});
        List(s.body);
        scopes_.pop_back();
        return;
      case StmtKind::kForQuery:
      case StmtKind::kForExecute:
      case StmtKind::kForeach:
        Targets(s.targets);
        Push(s.label);
        List(s.body);
        scopes_.pop_back();
        return;
      case StmtKind::kAssign:
      case StmtKind::kGetDiag:
      case StmtKind::kSql:
      case StmtKind::kExecute:
        Targets(s.targets);
        break;
      default:
        break;
    }
    for (const StmtList& b : s.branches) List(b);
    List(s.else_body);
    Push(s.label);
    List(s.body);
    scopes_.pop_back();
  }

 private:
  struct Name {
    std::string name;
    bool constant;
  };
  struct Scope {
    std::string label;
    std::vector<Name> names;
  };
  std::vector<Scope> scopes_;

  void Push(const std::string& label) { scopes_.push_back(Scope{label, {}}); }

  void List(const StmtList& list) {
    for (const auto& s : list) Stmt(*s);
  }

  const Name* Find(const std::string& name, const std::string* label = nullptr) const {
    for (auto sc = scopes_.rbegin(); sc != scopes_.rend(); ++sc) {
      if (label != nullptr && sc->label != *label) continue;
      for (auto n = sc->names.rbegin(); n != sc->names.rend(); ++n) {
        if (n->name == name) return &*n;
      }
    }
    return nullptr;
  }

  void Targets(const std::vector<Target>& targets) {
    for (const Target& t : targets) {
      const Name* n = Find(t.names[0]);
      if (n == nullptr && t.names.size() >= 2) n = Find(t.names[1], &t.names[0]);
      if (n == nullptr) {
        throw Error(SqlState::kSyntaxError, fmt::format("\"{}\" is not a known variable", t.text))
            .Position(t.offset + 1);
      }
      if (n->constant) {
        throw Error(SqlStateFromCode("22005"),
                    fmt::format("variable \"{}\" is declared CONSTANT", n->name))
            .Position(t.offset + 1);
      }
    }
  }
};

void CheckTargets(const plpgsql::Function& fn, const std::vector<std::string>& params,
                  const std::string& function) {
  TargetChecker(params, function).Stmt(*fn.block);
}

}  // namespace

std::vector<std::vector<Value>> RunPlpgsqlFunction(const planner::UserFunctionCall& call,
                                                   const std::vector<Value>& args, ExecContext& ctx,
                                                   size_t max_rows) {
  if (call.function->return_type.id == kTriggerType) {
    Throw(SqlState::kFeatureNotSupported, "trigger functions can only be called as triggers");
  }
  std::shared_ptr<Compiled> c = CompiledFor(call.function->body);
  Interpreter in(c.get(), ctx, &call);
  return in.Run(args, max_rows);
}

std::optional<std::vector<Value>> RunPlpgsqlTrigger(const TriggerCall& call, ExecContext& ctx) {
  std::shared_ptr<Compiled> c = CompiledFor(call.function->body);
  Interpreter in(c.get(), ctx, nullptr, &call);
  in.Run({}, 0);
  return in.TriggerResult();
}

void RunPlpgsqlInline(const std::string& code, ExecContext& ctx) {
  std::shared_ptr<Compiled> c = CompiledFor(code);
  CheckTargets(*c->fn, {}, "");
  Interpreter in(c.get(), ctx, nullptr);
  in.Run({}, 0);
}

void CheckPlpgsqlBody(const storage::FunctionInfo& fn) {
  std::shared_ptr<Compiled> c = CompiledFor(fn.body);
  std::vector<std::string> params;
  for (const storage::FunctionParam& p : fn.params) params.push_back(p.name);
  if (fn.return_type.id == kTriggerType) {
    for (const char* v :
         {"new", "old", "tg_name", "tg_when", "tg_level", "tg_op", "tg_relid", "tg_relname",
          "tg_table_name", "tg_table_schema", "tg_nargs", "tg_argv"}) {
      params.emplace_back(v);
    }
  }
  CheckTargets(*c->fn, params, fn.name);
}

}  // namespace activestore::executor
