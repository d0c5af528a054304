// kMerge: reads every row of the join of target and source first (a matched row carries the
// target row's location; an unmatched one none) and gives each the first WHEN clause of its
// kind whose condition holds, computing the new row of an UPDATE or INSERT then (so that no
// action sees the statement's own writes); conditions of later clauses are evaluated only for
// the rows still undecided, in clause order, as PostgreSQL's ExecMergeMatched does.
//
// Then, as UPDATE and DELETE do, every target row an UPDATE or DELETE changes is locked before
// anything is written (a row changed concurrently restarts the statement with the newest data,
// where its WHEN clauses are evaluated again: PostgreSQL's EvalPlanQual recheck), and the
// actions are applied in the join's order with INSERT's and UPDATE's checks, triggers and
// foreign keys. A target row that an earlier source row updated or deleted and a later one
// would change again is 21000 `MERGE command cannot affect row a second time`.
#include <set>

#include "common/error.h"
#include "executor/expression_evaluator.h"
#include "executor/foreign_keys.h"
#include "executor/operators/dml_util.h"
#include "executor/table_stats.h"
#include "executor/triggers.h"

namespace activestore::executor {

namespace {

using planner::MergeActionPlan;

class MergeOperator : public DmlOperatorBase {
 public:
  using DmlOperatorBase::DmlOperatorBase;

 protected:
  void Run() override {
    CollectSteps();
    const auto& actions = plan_.merge_actions;
    auto has = [&](MergeActionPlan::Kind k) {
      return std::any_of(actions.begin(), actions.end(),
                         [k](const MergeActionPlan& a) { return a.kind == k; });
    };
    // Lock the target rows to change (in the join's order) before writing any.
    for (Step& s : steps_) {
      st_.CheckCancel();
      const MergeActionPlan::Kind kind = actions[s.action].kind;
      if (kind != MergeActionPlan::Kind::kUpdate && kind != MergeActionPlan::Kind::kDelete) {
        continue;
      }
      storage::RowLockMode mode = storage::RowLockMode::kUpdate;
      if (kind == MergeActionPlan::Kind::kUpdate) {
        ConformRow(table_, &s.row, st_);
        mode = UpdateLockMode(table_, s.old.row, s.row);
      }
      if (!storage::TableStore::LockForWrite(st_.ctx.txn, table_, s.old, mode)) {
        throw StatementRestart{};
      }
    }
    std::vector<int> assigned;
    for (const MergeActionPlan& a : actions) {
      for (const auto& [col, e] : a.assignments) {
        if (std::find(assigned.begin(), assigned.end(), col) == assigned.end()) {
          assigned.push_back(col);
        }
      }
    }
    // PostgreSQL's order of the statement triggers: BEFORE INSERT, UPDATE, DELETE; AFTER
    // DELETE, UPDATE, INSERT (of the actions the statement has).
    if (has(MergeActionPlan::Kind::kInsert)) {
      insert_triggers_.emplace(table_, storage::TriggerInfo::kInsert, st_.ctx);
      fk_insert_ = HasForeignKeyWork(st_, table_, RowEvent::kInsert);
    }
    if (has(MergeActionPlan::Kind::kUpdate)) {
      update_triggers_.emplace(table_, storage::TriggerInfo::kUpdate, st_.ctx, assigned);
      fk_update_ = HasForeignKeyWork(st_, table_, RowEvent::kUpdate);
    }
    if (has(MergeActionPlan::Kind::kDelete)) {
      delete_triggers_.emplace(table_, storage::TriggerInfo::kDelete, st_.ctx);
      fk_delete_ = HasForeignKeyWork(st_, table_, RowEvent::kDelete);
    }
    if (insert_triggers_) insert_triggers_->BeforeStatement();
    if (update_triggers_) update_triggers_->BeforeStatement();
    if (delete_triggers_) delete_triggers_->BeforeStatement();
    for (Step& s : steps_) {
      st_.CheckCancel();
      switch (actions[s.action].kind) {
        case MergeActionPlan::Kind::kUpdate:
          Update(s);
          break;
        case MergeActionPlan::Kind::kDelete:
          Delete(s);
          break;
        case MergeActionPlan::Kind::kInsert:
          Insert(s);
          break;
        case MergeActionPlan::Kind::kNothing:
          break;
      }
    }
    // The foreign key checks and actions at the end of the statement (RI triggers).
    if (!deleted_.empty()) AfterRowWrites(st_, table_, RowEvent::kDelete, deleted_, {});
    if (!updated_old_.empty()) {
      AfterRowWrites(st_, table_, RowEvent::kUpdate, updated_old_, updated_new_);
    }
    if (!inserted_.empty()) AfterRowWrites(st_, table_, RowEvent::kInsert, {}, inserted_);
    // The AFTER ROW triggers in the order of their rows, before every AFTER STATEMENT one
    // (PostgreSQL queues them all in one list).
    for (const auto& [triggers, i] : after_rows_) triggers->RunQueued(i);
    if (delete_triggers_) delete_triggers_->AfterStatement();
    if (update_triggers_) update_triggers_->AfterStatement();
    if (insert_triggers_) insert_triggers_->AfterStatement();
    inserted_rows_.Flush();  // into the transaction's counts now, not when the plan goes
    updated_rows_.Flush();
    deleted_rows_.Flush();
  }

 private:
  // A join row that took an action other than DO NOTHING: the target row (matched) and the
  // new row (UPDATE, INSERT).
  struct Step {
    size_t action = 0;
    storage::StoredRow old;
    storage::Row row;
  };

  // Reads the join and decides each row's action (steps_, in the join's order).
  void CollectSteps() {
    const size_t ncols = table_.columns.size();
    const auto& actions = plan_.merge_actions;
    DataChunk c;
    while (child_->Next(&c)) {
      st_.CheckCancel();
      if (c.columns.size() < ncols) {
        Throw(SqlState::kInternalError, "MERGE input has {} columns, table has {}",
              c.columns.size(), ncols);
      }
      // The undecided rows of each kind (a matched row has its target row's location).
      std::vector<uint32_t> undecided[2];
      for (size_t r = 0; r < c.size; ++r) {
        const bool matched = r < c.locations.size() && !c.locations[r].key.empty();
        undecided[matched ? 1 : 0].push_back(static_cast<uint32_t>(r));
      }
      std::vector<std::optional<Step>> decided(c.size);
      for (size_t k = 0; k < actions.size(); ++k) {
        const MergeActionPlan& a = actions[k];
        std::vector<uint32_t>& pending = undecided[a.matched ? 1 : 0];
        if (pending.empty()) continue;
        std::vector<uint32_t> take;
        if (a.condition) {
          std::vector<uint32_t> sel;
          EvaluatePredicate(*a.condition, c.Select(pending), st_, &sel);
          std::vector<uint32_t> rest;
          size_t next = 0;
          for (size_t i = 0; i < pending.size(); ++i) {
            if (next < sel.size() && sel[next] == i) {
              take.push_back(pending[i]);
              ++next;
            } else {
              rest.push_back(pending[i]);
            }
          }
          pending = std::move(rest);
        } else {
          take = std::move(pending);
          pending.clear();
        }
        if (take.empty() || a.kind == MergeActionPlan::Kind::kNothing) continue;
        const DataChunk rows = c.Select(take);
        std::vector<Vector> values;
        if (a.kind == MergeActionPlan::Kind::kUpdate) {
          values.resize(a.assignments.size());
          for (size_t i = 0; i < a.assignments.size(); ++i) {
            EvaluateExpression(*a.assignments[i].second, rows, st_, &values[i]);
          }
        } else if (a.kind == MergeActionPlan::Kind::kInsert) {
          values.resize(a.insert_row.size());
          for (size_t i = 0; i < a.insert_row.size(); ++i) {
            EvaluateExpression(*a.insert_row[i], rows, st_, &values[i]);
          }
        }
        for (size_t i = 0; i < take.size(); ++i) {
          Step s;
          s.action = k;
          if (a.matched) {
            s.old.shard = rows.locations[i].shard;
            s.old.key = rows.locations[i].key;
            for (size_t col = 0; col < ncols; ++col) s.old.row.push_back(rows.columns[col].Get(i));
          }
          if (a.kind == MergeActionPlan::Kind::kUpdate) {
            s.row = s.old.row;
            for (size_t v = 0; v < values.size(); ++v) {
              s.row[a.assignments[v].first] = values[v].Get(i);
            }
          } else if (a.kind == MergeActionPlan::Kind::kInsert) {
            for (const Vector& v : values) s.row.push_back(v.Get(i));
          }
          decided[take[i]] = std::move(s);
        }
      }
      for (auto& d : decided) {
        if (d) steps_.push_back(std::move(*d));
      }
    }
  }

  // 21000 when this statement already updated or deleted the target row.
  void CheckNotChanged(const storage::StoredRow& old) const {
    if (changed_.count({old.shard, old.key}) != 0) {
      Error err(SqlState::kCardinalityViolation, "MERGE command cannot affect row a second time");
      err.Hint("Ensure that not more than one source row matches any one target row.");
      throw err;
    }
  }

  void Update(Step& s) {
    CheckNotChanged(s.old);
    if (update_triggers_->has_before_row()) {
      NullGenerated(plan_.generated, table_, &s.row);  // computed after, all of them
      if (!update_triggers_->BeforeRow(&s.old.row, &s.row)) return;
      ConformRow(table_, &s.row, st_);
      ComputeGenerated(plan_.generated, table_, &s.row, st_);
    } else {
      ComputeGenerated(plan_.conflict_generated, table_, &s.row, st_);
    }
    CheckDomainConstraints(plan_.checks, plan_.check_names, table_, s.row, st_);
    CheckNotNull(table_, s.row, st_);
    CheckConstraints(plan_.checks, plan_.check_names, table_, s.row, st_);
    storage::TableStore::Update(st_.ctx.catalog, st_.ctx.txn, table_, s.old, s.row);
    updated_rows_.Count(table_.oid);
    changed_.insert({s.old.shard, s.old.key});
    ++affected_;
    AfterRow(&*update_triggers_, &s.old.row, &s.row);
    if (fk_update_) {
      updated_old_.push_back(s.old.row);
      updated_new_.push_back(s.row);
    }
  }

  void Delete(Step& s) {
    CheckNotChanged(s.old);
    if (delete_triggers_->has_before_row() && !delete_triggers_->BeforeRow(&s.old.row, nullptr)) {
      return;
    }
    storage::TableStore::Delete(st_.ctx.txn, table_, s.old);
    deleted_rows_.Count(table_.oid);
    changed_.insert({s.old.shard, s.old.key});
    ++affected_;
    AfterRow(&*delete_triggers_, &s.old.row, nullptr);
    if (fk_delete_) deleted_.push_back(s.old.row);
  }

  void Insert(Step& s) {
    ConformRow(table_, &s.row, st_);
    if (insert_triggers_->has_before_row()) {
      if (!insert_triggers_->BeforeRow(nullptr, &s.row)) return;
      ConformRow(table_, &s.row, st_);
    }
    ComputeGenerated(plan_.generated, table_, &s.row, st_);
    CheckDomainConstraints(plan_.checks, plan_.check_names, table_, s.row, st_);
    CheckNotNull(table_, s.row, st_);
    CheckConstraints(plan_.checks, plan_.check_names, table_, s.row, st_);
    storage::TableStore::Insert(st_.ctx.catalog, st_.ctx.txn, table_, s.row);
    inserted_rows_.Count(table_.oid);
    ++affected_;
    AfterRow(&*insert_triggers_, nullptr, &s.row);
    if (fk_insert_) inserted_.push_back(s.row);
  }

  // Queues a written row's AFTER ROW triggers, noting where (after_rows_).
  void AfterRow(TableTriggers* triggers, const storage::Row* old_row, const storage::Row* new_row) {
    const size_t before = triggers->queued();
    triggers->AfterRow(old_row, new_row);
    if (triggers->queued() > before) after_rows_.emplace_back(triggers, before);
  }

  std::vector<Step> steps_;
  std::vector<std::pair<TableTriggers*, size_t>> after_rows_;  // queued rows, in order
  std::set<std::pair<uint32_t, std::string>> changed_;         // target rows updated or deleted
  std::optional<TableTriggers> insert_triggers_;
  std::optional<TableTriggers> update_triggers_;
  std::optional<TableTriggers> delete_triggers_;
  // Rows kept for the foreign key work at the end of the statement.
  bool fk_insert_ = false;
  bool fk_update_ = false;
  bool fk_delete_ = false;
  std::vector<storage::Row> inserted_;
  std::vector<storage::Row> updated_old_;
  std::vector<storage::Row> updated_new_;
  std::vector<storage::Row> deleted_;
  RowChangeCounter inserted_rows_{st_.ctx.xact_counts, RowChangeCounter::Kind::kInsert};
  RowChangeCounter updated_rows_{st_.ctx.xact_counts, RowChangeCounter::Kind::kUpdate};
  RowChangeCounter deleted_rows_{st_.ctx.xact_counts, RowChangeCounter::Kind::kDelete};
};

}  // namespace

OperatorPtr MakeMergeOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<MergeOperator>(plan, state);
}

}  // namespace activestore::executor
