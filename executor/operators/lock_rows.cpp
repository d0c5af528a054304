// kLockRows: SELECT ... FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE [NOWAIT | SKIP LOCKED].
// Locks the row behind each input row (TableStore::LockForSelect) and passes the row on; a
// row that SKIP LOCKED meets locked is dropped. A row changed by a transaction that committed
// after it was read makes the statement run again (StatementRestart) under READ COMMITTED,
// with the locks taken so far kept, so the rows returned are the newest versions and are
// locked; under snapshot isolation the lock check fails with 40001 instead.
#include <fmt/format.h>

#include "common/error.h"
#include "executor/executor.h"
#include "executor/operators/operator.h"
#include "storage/table_store.h"

namespace activestore::executor {

namespace {

class LockRowsOperator : public Operator {
 public:
  LockRowsOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), st_(st), child_(BuildOperator(*plan.children.at(0), st)) {
    if (!plan.table) Throw(SqlState::kInternalError, "LockRows without a table");
    wait_.select_lock = true;
    if (plan.row_lock_wait != 0) {
      wait_.nowait = plan.row_lock_wait == 2;
      wait_.skip_locked = plan.row_lock_wait == 1;
      wait_.message =
          fmt::format("could not obtain lock on row in relation \"{}\"", plan.table->name);
    }
  }

  bool Next(DataChunk* out) override {
    while (true) {
      if (pos_ >= in_.size) {
        if (!child_->Next(&in_)) {
          out->Clear();
          return false;
        }
        if (in_.locations.size() != in_.size) {
          Throw(SqlState::kInternalError, "FOR UPDATE input rows carry no row location");
        }
        pos_ = 0;
      }
      sel_.clear();
      size_t end = plan_.lock_one_by_one ? pos_ + 1 : in_.size;
      for (; pos_ < end && pos_ < in_.size; ++pos_) {
        st_.CheckCancel();
        const RowLocation& loc = in_.locations[pos_];
        using R = storage::TableStore::LockResult;
        R r = storage::TableStore::LockForSelect(
            st_.ctx.txn, *plan_.table, loc.shard, loc.key, loc.version, loc.key_version,
            static_cast<storage::RowLockMode>(plan_.row_lock_mode), st_.ctx.snapshot_isolation,
            &wait_);
        if (r == R::kChanged) throw StatementRestart{};
        if (r == R::kLocked) sel_.push_back(static_cast<uint32_t>(pos_));
      }
      if (sel_.empty()) continue;
      *out = in_.Select(sel_);
      return true;
    }
  }

 private:
  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr child_;
  storage::RowLockWait wait_;
  DataChunk in_;
  size_t pos_ = 0;
  std::vector<uint32_t> sel_;
};

}  // namespace

OperatorPtr MakeLockRowsOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<LockRowsOperator>(plan, state);
}

}  // namespace activestore::executor
