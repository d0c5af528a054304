// kIndexLookup: evaluates key_exprs (constants/params), casts them to the key types, reads the
// rows with TableStore::LookupByIndex, projects them and filters them with the predicate (which
// repeats the key conditions, so a row changed between the index read and the row read under
// READ COMMITTED is still checked).
#include "common/error.h"
#include "common/value_ops.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"
#include "storage/table_store.h"

namespace activestore::executor {

namespace {

class IndexLookupOperator : public Operator {
 public:
  IndexLookupOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {
    if (!plan.table) Throw(SqlState::kInternalError, "index lookup without a table");
    for (const auto& i : plan.table->indexes) {
      if (i.oid == plan.index_oid) index_ = &i;
    }
    if (index_ == nullptr || plan.key_exprs.size() != index_->columns.size() ||
        plan.key_types.size() != plan.key_exprs.size()) {
      Throw(SqlState::kInternalError, "index lookup on a missing index or with a bad key");
    }
  }

  bool Next(DataChunk* out) override {
    out->Clear();
    if (done_) return false;
    done_ = true;
    st_.CheckCancel();
    if (!st_.ctx.txn) Throw(SqlState::kInternalError, "index lookup without a transaction");
    const storage::TableInfo& table = *plan_.table;
    std::vector<Value> key(plan_.key_exprs.size());
    for (size_t i = 0; i < plan_.key_exprs.size(); ++i) {
      if (!EvaluateLookupKey(*plan_.key_exprs[i], plan_.key_types[i], st_, &key[i])) return false;
    }
    std::vector<storage::StoredRow> rows =
        storage::TableStore::LookupByIndex(st_.ctx.txn, table, *index_, key, true);
    CountIndexScan(st_, index_->oid, static_cast<int64_t>(rows.size()));
    if (rows.empty()) return false;
    std::vector<Type> types;
    for (int c : plan_.columns) types.push_back(table.columns[c].type);
    out->Init(types);
    for (const storage::StoredRow& row : rows) {
      for (size_t k = 0; k < plan_.columns.size(); ++k)
        out->columns[k].Append(row.row[plan_.columns[k]]);
      if (plan_.emit_row_location) {
        out->locations.push_back({row.shard, row.key, row.version, row.key_version});
      }
    }
    out->size = rows.size();
    if (plan_.predicate) {
      std::vector<uint32_t> sel;
      EvaluatePredicate(*plan_.predicate, *out, st_, &sel);
      if (sel.size() != out->size) *out = out->Select(sel);
      if (out->size == 0) return false;
    }
    return true;
  }

 private:
  const planner::PlanNode& plan_;
  ExecState& st_;
  const storage::IndexInfo* index_ = nullptr;
  bool done_ = false;
};

}  // namespace

OperatorPtr MakeIndexLookupOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<IndexLookupOperator>(plan, state);
}

}  // namespace activestore::executor
