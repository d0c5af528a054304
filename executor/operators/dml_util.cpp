#include "executor/operators/dml_util.h"

#include <algorithm>

#include "common/error.h"
#include "common/value_ops.h"
#include "executor/continuous_aggs.h"
#include "executor/expression_evaluator.h"
#include "planner/domain_checks.h"

namespace activestore::executor {

std::vector<Type> TableTypes(const storage::TableInfo& table) {
  std::vector<Type> types;
  for (const auto& c : table.columns) types.push_back(c.type);
  return types;
}

void ConformRow(const storage::TableInfo& table, storage::Row* row, ExecState& st) {
  if (row->size() != table.columns.size()) {
    Throw(SqlState::kInternalError, "row has {} values for {} columns of \"{}\"", row->size(),
          table.columns.size(), table.name);
  }
  for (size_t c = 0; c < row->size(); ++c) {
    Value& v = (*row)[c];
    const Type& t = table.columns[c].type;
    if (v.is_null) {
      v.type = t;
      continue;
    }
    if (v.type == t) continue;
    bool needs_check = v.type.id != t.id || (t.typmod >= 0 && v.type.typmod != t.typmod);
    if (needs_check) {
      v = CastValue(v, t, st.ctx.format, /*implicit_assignment=*/true);
    } else {
      v.type = t;
    }
  }
}

void ComputeGenerated(const std::vector<std::pair<int, planner::BoundExprPtr>>& generated,
                      const storage::TableInfo& table, storage::Row* row, ExecState& st) {
  if (generated.empty()) return;
  DataChunk one;
  one.Init(TableTypes(table));
  one.AppendRow(*row);
  // Every expression reads the row as it was before any of them (none reads another).
  Vector value;
  for (const auto& [col, expr] : generated) {
    EvaluateExpression(*expr, one, st, &value);
    (*row)[col] = value.Get(0);
  }
}

bool HasBeforeRowUpdateTriggers(const storage::TableInfo& table) {
  return std::any_of(table.triggers.begin(), table.triggers.end(), [](const auto& g) {
    return g.before() && g.row() && (g.type & storage::TriggerInfo::kUpdate) != 0;
  });
}

void NullGenerated(const std::vector<std::pair<int, planner::BoundExprPtr>>& generated,
                   const storage::TableInfo& table, storage::Row* row) {
  for (const auto& g : generated) (*row)[g.first] = Value::Null(table.columns[g.first].type);
}

void CheckNotNull(const storage::TableInfo& table, const storage::Row& row, ExecState& st) {
  for (size_t c = 0; c < table.columns.size(); ++c) {
    bool required =
        table.columns[c].not_null || std::find(table.primary_key.begin(), table.primary_key.end(),
                                               static_cast<int>(c)) != table.primary_key.end();
    if (!required || !row[c].is_null) continue;
    std::string detail = FailingRowDetail(row, st);
    Error err(SqlState::kNotNullViolation,
              fmt::format("null value in column \"{}\" of relation \"{}\" violates not-null "
                          "constraint",
                          table.columns[c].name, table.name));
    err.Detail(detail);
    err.schema = table.schema;
    err.table = table.name;
    err.column = table.columns[c].name;
    throw err;
  }
}

std::string FailingRowDetail(const storage::Row& row, ExecState& st) {
  std::string detail = "Failing row contains (";
  for (size_t k = 0; k < row.size(); ++k) {
    if (k) detail += ", ";
    detail += row[k].is_null ? "null" : FormatValue(row[k], st.ctx.format);
  }
  detail += ").";
  return detail;
}

void CheckDomainConstraints(const std::vector<planner::BoundExprPtr>& checks,
                            const std::vector<std::string>& names, const storage::TableInfo& table,
                            const storage::Row& row, ExecState& st) {
  std::string domain, constraint;
  if (checks.empty() || !planner::ParseDomainCheckName(names[0], &domain, &constraint)) return;
  DataChunk one;
  one.Init(TableTypes(table));
  one.AppendRow(row);
  for (size_t i = 0; i < checks.size(); ++i) {
    if (!planner::ParseDomainCheckName(names[i], &domain, &constraint)) break;
    Vector result;
    EvaluateExpression(*checks[i], one, st, &result);
    Value v = result.Get(0);
    if (v.is_null || v.i != 0) continue;
    if (constraint.empty()) {
      Throw(SqlState::kNotNullViolation, "domain {} does not allow null values", domain);
    }
    Error err(
        SqlState::kCheckViolation,
        fmt::format("value for domain {} violates check constraint \"{}\"", domain, constraint));
    err.constraint = constraint;
    throw err;
  }
}

void CheckConstraints(const std::vector<planner::BoundExprPtr>& checks,
                      const std::vector<std::string>& names, const storage::TableInfo& table,
                      const storage::Row& row, ExecState& st) {
  if (checks.empty()) return;
  DataChunk one;
  one.Init(TableTypes(table));
  one.AppendRow(row);
  for (size_t i = 0; i < checks.size(); ++i) {
    std::string domain, constraint;
    if (planner::ParseDomainCheckName(names[i], &domain, &constraint)) continue;  // done before
    Vector result;
    EvaluateExpression(*checks[i], one, st, &result);
    Value v = result.Get(0);
    if (v.is_null || v.i != 0) continue;
    Error err(SqlState::kCheckViolation,
              fmt::format("new row for relation \"{}\" violates check constraint \"{}\"",
                          table.name, names[i]));
    err.Detail(FailingRowDetail(row, st));
    err.schema = table.schema;
    err.table = table.name;
    err.constraint = names[i];
    throw err;
  }
}

void CheckViewOptions(const planner::PlanNode& plan, const storage::TableInfo& table,
                      const storage::Row& row, ExecState& st) {
  if (plan.view_checks.empty()) return;
  DataChunk one;
  one.Init(TableTypes(table));
  one.AppendRow(row);
  for (size_t i = 0; i < plan.view_checks.size(); ++i) {
    Vector result;
    EvaluateExpression(*plan.view_checks[i], one, st, &result);
    Value v = result.Get(0);
    if (!v.is_null && v.i != 0) continue;  // NULL fails, as ExecQual's answer
    Error err(
        SqlState::kWithCheckOptionViolation,
        fmt::format("new row violates check option for view \"{}\"", plan.view_check_names[i]));
    err.Detail(FailingRowDetail(row, st));
    throw err;
  }
}

ReturningBuffer::ReturningBuffer(const planner::PlanNode& plan, ExecState& st)
    : plan_(plan), st_(st) {
  if (!plan.table) return;
  std::vector<Type> types = TableTypes(*plan.table);
  if (active() && plan.kind != planner::PlanKind::kInsert && !plan.children.empty()) {
    const std::vector<Type>& input = plan.children[0]->output_types;
    for (size_t k = types.size(); k < input.size(); ++k) types.push_back(input[k]);
    extra_columns_ = types.size() - plan.table->columns.size();
  }
  rows_.Init(types);
}

void ReturningBuffer::Add(const storage::Row& row, const std::vector<Value>& extra) {
  if (!active()) return;
  if (extra_columns_ == 0) {
    rows_.AppendRow(row);
    return;
  }
  if (extra.size() != extra_columns_) {
    Throw(SqlState::kInternalError, "RETURNING row has {} input values, expected {}", extra.size(),
          extra_columns_);
  }
  storage::Row full = row;
  full.insert(full.end(), extra.begin(), extra.end());
  rows_.AppendRow(full);
}

bool ReturningBuffer::Next(DataChunk* out) {
  out->Clear();
  if (!active() || next_ >= rows_.size) return false;
  size_t end = std::min(rows_.size, next_ + kBatchSize);
  std::vector<uint32_t> sel;
  for (size_t r = next_; r < end; ++r) sel.push_back(static_cast<uint32_t>(r));
  next_ = end;
  DataChunk in = rows_.Select(sel);
  out->columns.resize(plan_.returning.size());
  for (size_t i = 0; i < plan_.returning.size(); ++i) {
    EvaluateExpression(*plan_.returning[i], in, st_, &out->columns[i]);
  }
  out->size = in.size;
  return true;
}

DmlOperatorBase::DmlOperatorBase(const planner::PlanNode& plan, ExecState& st)
    : plan_(plan),
      st_(st),
      table_([&]() -> const storage::TableInfo& {
        if (!plan.table) Throw(SqlState::kInternalError, "DML plan without a table");
        return *plan.table;
      }()),
      returning_(plan, st) {
  if (plan.children.empty()) Throw(SqlState::kInternalError, "DML plan without an input");
  if (!st.ctx.txn) Throw(SqlState::kInternalError, "DML without a transaction");
  // The batches of a compressed chunk that the statement may change become rows first, before
  // its scan is built (TimescaleDB 2.11+).
  if ((plan.kind == planner::PlanKind::kUpdate || plan.kind == planner::PlanKind::kDelete) &&
      table_.chunk) {
    DecompressTargetBatches(*plan.children[0], table_, st);
  }
  child_ = BuildOperator(*plan.children[0], st);
}

bool DmlOperatorBase::Next(DataChunk* out) {
  if (!ran_) {
    ran_ = true;
    Run();
    // A write into a hypertable's chunk invalidates its range for the continuous aggregates
    // on the hypertable (executor/continuous_aggs.h); an INSERT into the hypertable itself
    // reports the rows' own time values (insert.cpp).
    if (table_.chunk && affected_ > 0) {
      LogInvalidation(st_.ctx.catalog, st_.ctx.txn, table_.chunk->hypertable,
                      table_.chunk->range_start, table_.chunk->range_end);
    }
  }
  if (returning_.Next(out)) return true;
  // Then the same statement on each inheritance descendant (planner/plan.h).
  while (member_ || next_member_ < plan_.inheritance_members.size()) {
    if (!member_) {
      member_ = BuildOperator(*plan_.inheritance_members[next_member_++], st_);
      static_cast<DmlOperatorBase*>(member_.get())->inheritance_member_ = true;
    }
    if (member_->Next(out)) return true;
    affected_ += static_cast<DmlOperator*>(member_.get())->affected();
    member_.reset();
  }
  return false;
}

}  // namespace activestore::executor
