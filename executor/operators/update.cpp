// kUpdate: reads every target row (with its location) and computes its new values first, so
// the update never sees its own writes (the Halloween problem); then checks NOT NULL and
// writes each with TableStore::Update. A row reached twice (through the join of UPDATE ...
// FROM) is updated once, with the first FROM row it met, as PostgreSQL updates it once.
#include <set>

#include "common/error.h"
#include "executor/expression_evaluator.h"
#include "executor/foreign_keys.h"
#include "executor/operators/dml_util.h"
#include "executor/table_stats.h"
#include "executor/triggers.h"

namespace activestore::executor {

namespace {

class UpdateOperator : public DmlOperatorBase {
 public:
  using DmlOperatorBase::DmlOperatorBase;

 protected:
  void Run() override {
    if (table_.is_view) {
      RunOnView();
      return;
    }
    struct Target {
      storage::StoredRow old;
      storage::Row row;
      std::vector<Value> extra;  // the FROM items' columns RETURNING reads
    };
    std::vector<Target> targets;
    std::set<std::pair<uint32_t, std::string>> seen;
    size_t ncols = table_.columns.size();
    DataChunk c;
    std::vector<Vector> values(plan_.assignments.size());
    while (child_->Next(&c)) {
      st_.CheckCancel();
      if (c.locations.size() != c.size) {
        Throw(SqlState::kInternalError, "UPDATE input rows carry no row location");
      }
      if (c.columns.size() < ncols) {
        Throw(SqlState::kInternalError, "UPDATE input has {} columns, table has {}",
              c.columns.size(), ncols);
      }
      for (size_t a = 0; a < plan_.assignments.size(); ++a) {
        EvaluateExpression(*plan_.assignments[a].second, c, st_, &values[a]);
      }
      for (size_t r = 0; r < c.size; ++r) {
        if (!seen.insert({c.locations[r].shard, c.locations[r].key}).second) continue;
        Target t;
        t.old.shard = c.locations[r].shard;
        t.old.key = c.locations[r].key;
        for (size_t k = 0; k < ncols; ++k) t.old.row.push_back(c.columns[k].Get(r));
        t.row = t.old.row;
        for (size_t a = 0; a < plan_.assignments.size(); ++a) {
          int col = plan_.assignments[a].first;
          if (col < 0 || static_cast<size_t>(col) >= ncols) {
            Throw(SqlState::kInternalError, "UPDATE assignment to column {} out of range", col);
          }
          t.row[col] = values[a].Get(r);
        }
        for (size_t k = 0; k < returning_.extra_columns(); ++k) {
          t.extra.push_back(c.columns[ncols + k].Get(r));
        }
        targets.push_back(std::move(t));
      }
    }
    // Lock every target before writing any (so a restart has nothing to undo). PostgreSQL
    // takes FOR UPDATE strength when a key column (of the primary key or a unique index)
    // changes value, else FOR NO KEY UPDATE, which does not conflict with FOR KEY SHARE (the
    // lock of a foreign key check).
    for (auto& t : targets) {
      st_.CheckCancel();
      ConformRow(table_, &t.row, st_);
      storage::RowLockMode mode = UpdateLockMode(table_, t.old.row, t.row);
      if (!storage::TableStore::LockForWrite(st_.ctx.txn, table_, t.old, mode)) {
        throw StatementRestart{};
      }
    }
    std::vector<int> assigned;
    for (const auto& a : plan_.assignments) assigned.push_back(a.first);
    // A generated column reading an assigned one is updated too (UPDATE OF triggers); all of
    // them are when BEFORE ROW UPDATE triggers may change any column.
    for (const auto& g :
         HasBeforeRowUpdateTriggers(table_) ? plan_.conflict_generated : plan_.generated) {
      assigned.push_back(g.first);
    }
    TableTriggers triggers(table_, storage::TriggerInfo::kUpdate, st_.ctx, assigned,
                           !inheritance_member_);
    triggers.BeforeStatement();
    const bool fk = HasForeignKeyWork(st_, table_, RowEvent::kUpdate);
    std::vector<storage::Row> olds;
    std::vector<storage::Row> news;
    RowChangeCounter updated(st_.ctx.xact_counts, RowChangeCounter::Kind::kUpdate);
    for (auto& t : targets) {
      st_.CheckCancel();
      if (triggers.has_before_row()) {
        // NEW has the generated columns NULL; all are computed after (PostgreSQL 15).
        NullGenerated(plan_.conflict_generated, table_, &t.row);
        if (!triggers.BeforeRow(&t.old.row, &t.row)) continue;
        ConformRow(table_, &t.row, st_);
        ComputeGenerated(plan_.conflict_generated, table_, &t.row, st_);
      } else {
        ComputeGenerated(plan_.generated, table_, &t.row, st_);
      }
      CheckDomainConstraints(plan_.checks, plan_.check_names, table_, t.row, st_);
      CheckNotNull(table_, t.row, st_);
      CheckConstraints(plan_.checks, plan_.check_names, table_, t.row, st_);
      storage::TableStore::Update(st_.ctx.catalog, st_.ctx.txn, table_, t.old, t.row);
      updated.Count(table_.oid);
      CheckViewOptions(plan_, table_, t.row, st_);
      returning_.Add(t.row, t.extra);
      ++affected_;
      triggers.AfterRow(&t.old.row, &t.row);
      if (fk) {
        olds.push_back(std::move(t.old.row));
        news.push_back(std::move(t.row));
      }
    }
    // The foreign key checks and actions, at the end of the statement (RI triggers).
    if (fk) AfterRowWrites(st_, table_, RowEvent::kUpdate, olds, news);
    triggers.AfterStatement();
  }

  // A view with INSTEAD OF UPDATE triggers: its rows (without locations) go to the triggers;
  // a row counts, and is returned, when they return it.
  void RunOnView() {
    std::vector<int> assigned;
    for (const auto& a : plan_.assignments) assigned.push_back(a.first);
    TableTriggers triggers(table_, storage::TriggerInfo::kUpdate, st_.ctx, assigned);
    const size_t ncols = table_.columns.size();
    std::vector<std::pair<storage::Row, storage::Row>> targets;
    std::vector<std::vector<Value>> extras;
    DataChunk c;
    std::vector<Vector> values(plan_.assignments.size());
    while (child_->Next(&c)) {
      st_.CheckCancel();
      for (size_t a = 0; a < plan_.assignments.size(); ++a) {
        EvaluateExpression(*plan_.assignments[a].second, c, st_, &values[a]);
      }
      for (size_t r = 0; r < c.size; ++r) {
        storage::Row old;
        for (size_t k = 0; k < ncols; ++k) old.push_back(c.columns[k].Get(r));
        storage::Row row = old;
        for (size_t a = 0; a < plan_.assignments.size(); ++a) {
          row[plan_.assignments[a].first] = values[a].Get(r);
        }
        extras.emplace_back();
        for (size_t k = 0; k < returning_.extra_columns(); ++k) {
          extras.back().push_back(c.columns[ncols + k].Get(r));
        }
        targets.emplace_back(std::move(old), std::move(row));
      }
    }
    triggers.BeforeStatement();
    for (size_t i = 0; i < targets.size(); ++i) {
      st_.CheckCancel();
      auto& [old, row] = targets[i];
      ConformRow(table_, &row, st_);
      if (!triggers.InsteadRow(&old, &row)) continue;
      returning_.Add(row, extras[i]);
      ++affected_;
    }
    triggers.AfterStatement();
  }
};

}  // namespace

OperatorPtr MakeUpdateOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<UpdateOperator>(plan, state);
}

}  // namespace activestore::executor
