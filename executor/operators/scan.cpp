// kShardScan: the rows of one shard through storage::ShardScanner, projected to `columns`,
// filtered by `predicate` (over the projected columns), with row locations when asked.
#include "common/error.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"
#include "storage/table_store.h"

namespace activestore::executor {

namespace {

class ScanOperator : public Operator {
 public:
  ScanOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {
    if (!plan.table) Throw(SqlState::kInternalError, "shard scan without a table");
    if (!st.ctx.txn) Throw(SqlState::kInternalError, "shard scan without a transaction");
    for (int c : plan.columns) {
      if (c < 0 || static_cast<size_t>(c) >= plan.table->columns.size()) {
        Throw(SqlState::kInternalError, "scan column {} out of range", c);
      }
      types_.push_back(plan.table->columns[c].type);
    }
    scanner_ = std::make_unique<storage::ShardScanner>(st.ctx.txn, plan.table, plan.shard,
                                                       plan.emit_row_location);
  }

  bool Next(DataChunk* out) override {
    while (!done_) {
      st_.CheckCancel();
      rows_.clear();
      if (!scanner_->NextBatch(&rows_, kBatchSize) || rows_.empty()) {
        done_ = true;
        break;
      }
      out->Init(types_);
      for (auto& c : out->columns) c.Reserve(rows_.size());
      if (plan_.emit_row_location || plan_.key_order) out->locations.reserve(rows_.size());
      for (auto& row : rows_) {
        for (size_t k = 0; k < plan_.columns.size(); ++k) {
          out->columns[k].Append(row.row[plan_.columns[k]]);
        }
        if (plan_.emit_row_location || plan_.key_order) {
          out->locations.push_back({row.shard, std::move(row.key), row.version, row.key_version});
        }
      }
      out->size = rows_.size();
      if (plan_.predicate) {
        EvaluatePredicate(*plan_.predicate, *out, st_, &sel_);
        if (sel_.size() != out->size) *out = out->Select(sel_);
      }
      if (out->size > 0) return true;
    }
    out->Clear();
    return false;
  }

 private:
  const planner::PlanNode& plan_;
  ExecState& st_;
  std::vector<Type> types_;
  std::unique_ptr<storage::ShardScanner> scanner_;
  std::vector<storage::StoredRow> rows_;
  std::vector<uint32_t> sel_;
  bool done_ = false;
};

}  // namespace

OperatorPtr MakeScanOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<ScanOperator>(plan, state);
}

}  // namespace activestore::executor
