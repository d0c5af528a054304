// kLockRows: SELECT ... FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE [NOWAIT | SKIP LOCKED].
// Locks the row behind each input row (TableStore::LockForSelect) and passes the row on; a
// row that SKIP LOCKED meets locked is dropped. A row changed by a transaction that committed
// after it was read makes the statement run again (StatementRestart) under READ COMMITTED,
// with the locks taken so far kept, so the rows returned are the newest versions and are
// locked; under snapshot isolation the lock check fails with 40001 instead.
//
// Over joins (lock_targets), each locked table's row is found again by its primary key's
// values in the input row and locked in its newest committed version; when that version's
// values are not the ones the input row carries (a transaction that committed after the read
// changed or deleted the row), the statement runs again the same way.
#include <fmt/format.h>

#include "common/error.h"
#include "common/value_ops.h"
#include "executor/executor.h"
#include "executor/operators/operator.h"
#include "storage/table_store.h"

namespace activestore::executor {

namespace {

class LockRowsOperator : public Operator {
 public:
  LockRowsOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), st_(st), child_(BuildOperator(*plan.children.at(0), st)) {
    if (!plan.table && plan.lock_targets.empty()) {
      Throw(SqlState::kInternalError, "LockRows without a table");
    }
    if (plan.table) wait_ = WaitOf(*plan.table, plan.row_lock_wait);
    for (const auto& t : plan.lock_targets) target_waits_.push_back(WaitOf(*t.table, t.wait));
  }

  bool Next(DataChunk* out) override {
    while (true) {
      if (pos_ >= in_.size) {
        if (!child_->Next(&in_)) {
          out->Clear();
          return false;
        }
        if (plan_.table && in_.locations.size() != in_.size) {
          Throw(SqlState::kInternalError, "FOR UPDATE input rows carry no row location");
        }
        pos_ = 0;
      }
      sel_.clear();
      size_t end = plan_.lock_one_by_one ? pos_ + 1 : in_.size;
      for (; pos_ < end && pos_ < in_.size; ++pos_) {
        st_.CheckCancel();
        using R = storage::TableStore::LockResult;
        R r = R::kLocked;
        if (plan_.table) {
          const RowLocation& loc = in_.locations[pos_];
          r = storage::TableStore::LockForSelect(
              st_.ctx.txn, *plan_.table, loc.shard, loc.key, loc.version, loc.key_version,
              static_cast<storage::RowLockMode>(plan_.row_lock_mode), st_.ctx.snapshot_isolation,
              &wait_);
        }
        for (size_t t = 0; t < plan_.lock_targets.size() && r == R::kLocked; ++t) {
          r = LockByKey(plan_.lock_targets[t], target_waits_[t], pos_);
        }
        if (r == R::kChanged) throw StatementRestart{};
        if (r == R::kLocked) sel_.push_back(static_cast<uint32_t>(pos_));
      }
      if (sel_.empty()) continue;
      *out = in_.Select(sel_);
      return true;
    }
  }

 private:
  static storage::RowLockWait WaitOf(const storage::TableInfo& table, uint8_t policy) {
    storage::RowLockWait w;
    w.select_lock = true;
    if (policy != 0) {
      w.nowait = policy == 2;
      w.skip_locked = policy == 1;
      w.message = fmt::format("could not obtain lock on row in relation \"{}\"", table.name);
    }
    return w;
  }

  // The same value as the input row carries: equal and printed alike (1.0 and 1.00 differ).
  static bool SameValue(const Value& a, const Value& b) {
    if (a.is_null || b.is_null) return a.is_null == b.is_null;
    return CompareValues(a, b) == 0 && FormatValue(a) == FormatValue(b);
  }

  // Locks the row of `t` that row r of the input shows, found by its primary key.
  storage::TableStore::LockResult LockByKey(const planner::PlanNode::RowLockTarget& t,
                                            const storage::RowLockWait& wait, size_t r) {
    using R = storage::TableStore::LockResult;
    const storage::TableInfo& table = *t.table;
    std::vector<Value> key;
    key.reserve(table.primary_key.size());
    for (int k : table.primary_key) key.push_back(in_.columns[t.row_columns[k]].Get(r));
    std::optional<storage::StoredRow> row =
        storage::TableStore::LookupByPrimaryKey(st_.ctx.txn, table, key);
    if (!row) return R::kChanged;  // deleted, or its key changed, since it was read
    R res = storage::TableStore::LockForSelect(
        st_.ctx.txn, table, row->shard, row->key, row->version, row->key_version,
        static_cast<storage::RowLockMode>(t.mode), st_.ctx.snapshot_isolation, &wait);
    if (res != R::kLocked) return res;
    // The version locked may be newer than the one the join read (each read sees what is
    // committed when it runs): the row must still be the one returned.
    for (size_t c = 0; c < t.row_columns.size(); ++c) {
      if (!SameValue(in_.columns[t.row_columns[c]].Get(r), row->row[c])) return R::kChanged;
    }
    return R::kLocked;
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr child_;
  storage::RowLockWait wait_;
  std::vector<storage::RowLockWait> target_waits_;
  DataChunk in_;
  size_t pos_ = 0;
  std::vector<uint32_t> sel_;
};

}  // namespace

OperatorPtr MakeLockRowsOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<LockRowsOperator>(plan, state);
}

}  // namespace activestore::executor
