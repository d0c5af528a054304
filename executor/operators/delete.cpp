// kDelete: reads every target row with its location first, then deletes each once with
// TableStore::Delete (a row reached twice through the join of DELETE ... USING, once);
// RETURNING sees the old rows and the USING items' columns.
#include <set>

#include "common/error.h"
#include "executor/foreign_keys.h"
#include "executor/operators/dml_util.h"
#include "executor/table_stats.h"
#include "executor/triggers.h"

namespace activestore::executor {

namespace {

class DeleteOperator : public DmlOperatorBase {
 public:
  using DmlOperatorBase::DmlOperatorBase;

 protected:
  void Run() override {
    if (table_.is_view) {
      RunOnView();
      return;
    }
    std::vector<storage::StoredRow> targets;
    std::vector<std::vector<Value>> extras;  // per target: the USING items' columns RETURNING reads
    std::set<std::pair<uint32_t, std::string>> seen;
    size_t ncols = table_.columns.size();
    DataChunk c;
    while (child_->Next(&c)) {
      st_.CheckCancel();
      if (c.locations.size() != c.size) {
        Throw(SqlState::kInternalError, "DELETE input rows carry no row location");
      }
      if (c.columns.size() < ncols) {
        Throw(SqlState::kInternalError, "DELETE input has {} columns, table has {}",
              c.columns.size(), ncols);
      }
      for (size_t r = 0; r < c.size; ++r) {
        if (!seen.insert({c.locations[r].shard, c.locations[r].key}).second) continue;
        storage::StoredRow t;
        t.shard = c.locations[r].shard;
        t.key = c.locations[r].key;
        for (size_t k = 0; k < ncols; ++k) t.row.push_back(c.columns[k].Get(r));
        targets.push_back(std::move(t));
        extras.emplace_back();
        for (size_t k = 0; k < returning_.extra_columns(); ++k) {
          extras.back().push_back(c.columns[ncols + k].Get(r));
        }
      }
    }
    for (const auto& t : targets) {
      st_.CheckCancel();
      if (!storage::TableStore::LockForWrite(st_.ctx.txn, table_, t,
                                             storage::RowLockMode::kUpdate)) {
        throw StatementRestart{};
      }
    }
    TableTriggers triggers(table_, storage::TriggerInfo::kDelete, st_.ctx, {},
                           !inheritance_member_);
    triggers.BeforeStatement();
    const bool fk = HasForeignKeyWork(st_, table_, RowEvent::kDelete);
    std::vector<storage::Row> olds;
    RowChangeCounter deleted(st_.ctx.xact_counts, RowChangeCounter::Kind::kDelete);
    for (size_t i = 0; i < targets.size(); ++i) {
      auto& t = targets[i];
      st_.CheckCancel();
      if (triggers.has_before_row() && !triggers.BeforeRow(&t.row, nullptr)) continue;
      storage::TableStore::Delete(st_.ctx.txn, table_, t);
      deleted.Count(table_.oid);
      returning_.Add(t.row, extras[i]);
      ++affected_;
      triggers.AfterRow(&t.row, nullptr);
      if (fk) olds.push_back(std::move(t.row));
    }
    // ON DELETE actions and checks, at the end of the statement (RI triggers).
    if (fk) AfterRowWrites(st_, table_, RowEvent::kDelete, olds, {});
    triggers.AfterStatement();
  }

  // A view with INSTEAD OF DELETE triggers: its rows (without locations) go to the triggers;
  // a row counts, and is returned, when they return it.
  void RunOnView() {
    TableTriggers triggers(table_, storage::TriggerInfo::kDelete, st_.ctx);
    const size_t ncols = table_.columns.size();
    std::vector<storage::Row> targets;
    std::vector<std::vector<Value>> extras;
    DataChunk c;
    while (child_->Next(&c)) {
      st_.CheckCancel();
      for (size_t r = 0; r < c.size; ++r) {
        storage::Row old;
        for (size_t k = 0; k < ncols; ++k) old.push_back(c.columns[k].Get(r));
        targets.push_back(std::move(old));
        extras.emplace_back();
        for (size_t k = 0; k < returning_.extra_columns(); ++k) {
          extras.back().push_back(c.columns[ncols + k].Get(r));
        }
      }
    }
    triggers.BeforeStatement();
    for (size_t i = 0; i < targets.size(); ++i) {
      st_.CheckCancel();
      if (!triggers.InsteadRow(&targets[i], nullptr)) continue;
      returning_.Add(targets[i], extras[i]);
      ++affected_;
    }
    triggers.AfterStatement();
  }
};

}  // namespace

OperatorPtr MakeDeleteOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<DeleteOperator>(plan, state);
}

}  // namespace activestore::executor
