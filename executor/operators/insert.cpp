// kInsert: reads all input rows first (so INSERT ... SELECT from the same table never sees
// its own rows), then casts each to the column types, checks NOT NULL and inserts it with
// TableStore::Insert (23505 from storage).
//
// ON CONFLICT: a row whose key is taken in the arbiter index (any unique index for DO NOTHING
// without a target) is skipped (DO NOTHING) or turns into an update of the existing row (DO
// UPDATE). Atomic under concurrency as in PostgreSQL: TableStore::Insert locks the new keys
// first, so a concurrent inserter of the same key is waited for; its committed row then makes
// the insert fail with 23505, a new look-up finds it, and the row is skipped or updated. DO
// UPDATE locks the existing row and reads it again; if it changed or went away meanwhile the
// row is tried again from the start.
#include <algorithm>
#include <set>

#include "common/error.h"
#include "executor/continuous_aggs.h"
#include "executor/expression_evaluator.h"
#include "executor/foreign_keys.h"
#include "executor/hypertables.h"
#include "executor/operators/dml_util.h"
#include "executor/table_stats.h"
#include "executor/triggers.h"
#include "storage/encoding.h"
#include "storage/index_evaluator.h"

namespace activestore::executor {

namespace {

class InsertOperator : public DmlOperatorBase {
 public:
  using DmlOperatorBase::DmlOperatorBase;

 protected:
  void Run() override {
    std::vector<storage::Row> rows;
    DataChunk c;
    while (child_->Next(&c)) {
      st_.CheckCancel();
      for (size_t r = 0; r < c.size; ++r) rows.push_back(c.GetRow(r));
    }
    const bool on_conflict = plan_.on_conflict_do_nothing || plan_.on_conflict_do_update;
    if (table_.hypertable) {
      // A hypertable's rows go to its chunks (executor/hypertables.h).
      if (on_conflict) {
        Throw(SqlState::kFeatureNotSupported,
              "INSERT ... ON CONFLICT into a hypertable is not supported yet");
      }
      router_ = std::make_unique<ChunkRouter>(st_.ctx.catalog, st_.ctx.txn,
                                              std::make_shared<storage::TableInfo>(table_));
    }
    std::vector<int> assigned;
    for (const auto& a : plan_.assignments) assigned.push_back(a.first);
    for (const auto& g :
         HasBeforeRowUpdateTriggers(table_) ? plan_.generated : plan_.conflict_generated) {
      assigned.push_back(g.first);
    }
    insert_triggers_.emplace(table_, storage::TriggerInfo::kInsert, st_.ctx);
    if (plan_.on_conflict_do_update) {
      update_triggers_.emplace(table_, storage::TriggerInfo::kUpdate, st_.ctx, assigned);
    }
    // PostgreSQL's order: BEFORE INSERT, then BEFORE UPDATE statement triggers (ON CONFLICT DO
    // UPDATE), and the AFTER ones the other way round.
    insert_triggers_->BeforeStatement();
    if (update_triggers_) update_triggers_->BeforeStatement();
    if (on_conflict) FindArbiters();
    fk_insert_ = HasForeignKeyWork(st_, table_, RowEvent::kInsert);
    fk_update_ = plan_.on_conflict_do_update && HasForeignKeyWork(st_, table_, RowEvent::kUpdate);
    for (auto& row : rows) {
      st_.CheckCancel();
      ConformRow(table_, &row, st_);
      if (table_.is_view) {
        // A view: its INSTEAD OF triggers do the insert; a NULL result does not count.
        if (!insert_triggers_->InsteadRow(nullptr, &row)) continue;
        returning_.Add(row);
        ++affected_;
        continue;
      }
      if (insert_triggers_->has_before_row()) {
        if (!insert_triggers_->BeforeRow(nullptr, &row)) continue;
        ConformRow(table_, &row, st_);
      }
      ComputeGenerated(plan_.generated, table_, &row, st_);
      CheckDomainConstraints(plan_.checks, plan_.check_names, table_, row, st_);
      CheckNotNull(table_, row, st_);
      CheckConstraints(plan_.checks, plan_.check_names, table_, row, st_);
      if (on_conflict) {
        InsertOrResolve(row);
        continue;
      }
      const storage::TableInfo& target = router_ ? router_->ChunkFor(row) : table_;
      storage::TableStore::Insert(st_.ctx.catalog, st_.ctx.txn, target, row);
      inserted_rows_.Count(target.oid);
      CheckViewOptions(plan_, table_, row, st_);
      returning_.Add(row);
      ++affected_;
      if (fk_insert_) inserted_.push_back(row);
      insert_triggers_->AfterRow(nullptr, &row);
    }
    // The foreign key checks (and, for rows ON CONFLICT updated, actions) at the end of the
    // statement, as PostgreSQL's RI triggers.
    if (!inserted_.empty()) AfterRowWrites(st_, table_, RowEvent::kInsert, {}, inserted_);
    if (!updated_old_.empty()) {
      AfterRowWrites(st_, table_, RowEvent::kUpdate, updated_old_, updated_new_);
    }
    if (update_triggers_) update_triggers_->AfterStatement();
    insert_triggers_->AfterStatement();
    if (router_ && router_->lowest() <= router_->highest()) {
      LogInvalidation(st_.ctx.catalog, st_.ctx.txn, router_->hypertable_oid(), router_->lowest(),
                      router_->highest() + 1);
    }
    inserted_rows_.Flush();  // into the transaction's counts now, not when the plan goes
    updated_rows_.Flush();
  }

 private:
  // The arbiters: the target's index (or primary key), or, with no target (DO NOTHING),
  // the primary key and every unique index. A null index stands for the primary key.
  void FindArbiters() {
    const std::vector<uint32_t>& oids = plan_.conflict_index_oids;
    bool any = oids.empty() && !plan_.conflict_on_primary_key;
    if (!table_.primary_key.empty() && (any || plan_.conflict_on_primary_key)) {
      arbiters_.push_back(nullptr);
    }
    for (const auto& index : table_.indexes) {
      if (!index.unique || index.primary) continue;
      if (any || std::find(oids.begin(), oids.end(), index.oid) != oids.end()) {
        arbiters_.push_back(&index);
      }
    }
  }

  // Whether the constraint named in a unique violation is one of the arbiters.
  bool IsArbiterConstraint(const std::optional<std::string>& name) const {
    if (!name) return false;
    for (const storage::IndexInfo* index : arbiters_) {
      if (index == nullptr ? *name == table_.PrimaryKeyName() : *name == index->name) return true;
    }
    return false;
  }

  // The key of `row` in an arbiter (a null index: the primary key); nullopt when the row is
  // outside a partial index, which then cannot conflict in it.
  std::optional<std::vector<Value>> ArbiterKey(const storage::IndexInfo* index,
                                               const storage::Row& row) const {
    if (index != nullptr) return storage::IndexKeyOf(*index, row);
    std::vector<Value> key;
    for (int col : table_.primary_key) key.push_back(row[col]);
    return key;
  }

  // The existing row holding one of row's arbiter keys, as this transaction sees it now.
  std::optional<storage::StoredRow> Conflicting(const storage::Row& row) {
    for (const storage::IndexInfo* index : arbiters_) {
      std::optional<std::vector<Value>> found_key = ArbiterKey(index, row);
      if (!found_key) continue;
      std::vector<Value>& key = *found_key;
      if (index == nullptr) {
        if (auto found = storage::TableStore::LookupByPrimaryKey(st_.ctx.txn, table_, key)) {
          return found;
        }
        continue;
      }
      std::vector<storage::StoredRow> found =
          storage::TableStore::LookupByIndex(st_.ctx.txn, table_, *index, key, false, true);
      if (!found.empty()) return std::move(found.front());
    }
    return std::nullopt;
  }

  void InsertOrResolve(const storage::Row& row) {
    for (int attempt = 0;; ++attempt) {
      if (attempt > 1000) {
        Throw(SqlState::kSerializationFailure,
              "could not serialize access due to concurrent update");
      }
      std::optional<storage::StoredRow> existing = Conflicting(row);
      if (!existing && st_.ctx.snapshot_isolation) {
        for (const storage::IndexInfo* index : arbiters_) {
          storage::TableStore::CheckArbiterKey(st_.ctx.txn, table_, index, row);
        }
      }
      if (!existing) {
        try {
          storage::TableStore::Insert(st_.ctx.catalog, st_.ctx.txn, table_, row);
          inserted_rows_.Count(table_.oid);
          CheckViewOptions(plan_, table_, row, st_);
        } catch (const Error& e) {
          // A key taken meanwhile (the insert waited for its inserter): resolve against it if
          // it is an arbiter's; any other unique violation stands.
          if (e.state() != SqlState::kUniqueViolation) throw;
          // Under a snapshot, an arbiter key the look-up did not see was committed after the
          // snapshot (and the engine may have ended the transaction): PostgreSQL's ON
          // CONFLICT fails with 40001 there.
          if (st_.ctx.snapshot_isolation && IsArbiterConstraint(e.constraint)) {
            throw storage::WriteConflictError();
          }
          if (!Conflicting(row)) throw;
          continue;
        }
        Touch(row);
        returning_.Add(row);
        ++affected_;
        if (fk_insert_) inserted_.push_back(row);
        insert_triggers_->AfterRow(nullptr, &row);
        return;
      }
      if (plan_.on_conflict_do_nothing) return;
      if (Touched(existing->row)) {
        Error err(SqlState::kCardinalityViolation,
                  "ON CONFLICT DO UPDATE command cannot affect row a second time");
        err.Hint(
            "Ensure that no rows proposed for insertion within the same command have "
            "duplicate constrained values.");
        throw err;
      }
      if (!storage::TableStore::LockForWrite(st_.ctx.txn, table_, *existing,
                                             storage::RowLockMode::kUpdate)) {
        continue;  // changed or deleted since the look-up: start over with the newest row
      }
      UpdateExisting(*existing, row);
      return;
    }
  }

  void UpdateExisting(const storage::StoredRow& existing, const storage::Row& proposed) {
    const size_t n = table_.columns.size();
    DataChunk both;
    std::vector<Type> types = TableTypes(table_);
    std::vector<Type> all = types;
    all.insert(all.end(), types.begin(), types.end());
    both.Init(all);
    for (size_t c = 0; c < n; ++c) both.columns[c].Append(existing.row[c]);
    for (size_t c = 0; c < n; ++c) both.columns[n + c].Append(proposed[c]);
    both.size = 1;
    if (plan_.predicate) {
      EvaluatePredicate(*plan_.predicate, both, st_, &sel_);
      if (sel_.empty()) {
        // Not updated, but locked and seen: a later row of this statement with the same key
        // still may not update it (PostgreSQL raises the same error then).
        Touch(existing.row);
        return;
      }
    }
    storage::Row updated = existing.row;
    Vector value;
    for (const auto& [col, expr] : plan_.assignments) {
      EvaluateExpression(*expr, both, st_, &value);
      updated[col] = value.Get(0);
    }
    ConformRow(table_, &updated, st_);
    if (update_triggers_->has_before_row()) {
      // NEW has the generated columns NULL; all are computed after (PostgreSQL 15).
      NullGenerated(plan_.generated, table_, &updated);
      if (!update_triggers_->BeforeRow(&existing.row, &updated)) {
        Touch(existing.row);
        return;
      }
      ConformRow(table_, &updated, st_);
      ComputeGenerated(plan_.generated, table_, &updated, st_);
    } else {
      ComputeGenerated(plan_.conflict_generated, table_, &updated, st_);
    }
    CheckDomainConstraints(plan_.checks, plan_.check_names, table_, updated, st_);
    CheckNotNull(table_, updated, st_);
    CheckConstraints(plan_.checks, plan_.check_names, table_, updated, st_);
    storage::TableStore::Update(st_.ctx.catalog, st_.ctx.txn, table_, existing, updated);
    updated_rows_.Count(table_.oid);
    CheckViewOptions(plan_, table_, updated, st_);
    Touch(updated);
    returning_.Add(updated);
    ++affected_;
    if (fk_update_) {
      updated_old_.push_back(existing.row);
      updated_new_.push_back(updated);
    }
    update_triggers_->AfterRow(&existing.row, &updated);
  }

  // The arbiter keys of a row this statement inserted, updated or declined to update: DO
  // UPDATE may not reach it again (PostgreSQL's "cannot affect row a second time").
  std::vector<std::string> ArbiterKeys(const storage::Row& row) const {
    std::vector<std::string> out;
    for (const storage::IndexInfo* index : arbiters_) {
      std::optional<std::vector<Value>> key = ArbiterKey(index, row);
      if (!key) continue;
      out.push_back(std::to_string(index == nullptr ? 0 : index->oid) + "/" +
                    storage::EncodeKey(*key));
    }
    return out;
  }
  void Touch(const storage::Row& row) {
    if (!plan_.on_conflict_do_update) return;
    for (auto& k : ArbiterKeys(row)) touched_.insert(std::move(k));
  }
  bool Touched(const storage::Row& row) const {
    for (const auto& k : ArbiterKeys(row)) {
      if (touched_.count(k) != 0) return true;
    }
    return false;
  }

  // The table's INSERT triggers, and its UPDATE triggers for ON CONFLICT DO UPDATE.
  std::optional<TableTriggers> insert_triggers_;
  std::optional<TableTriggers> update_triggers_;
  std::vector<const storage::IndexInfo*> arbiters_;
  std::unique_ptr<ChunkRouter> router_;  // set for a hypertable
  std::set<std::string> touched_;
  // Rows kept for the foreign key work at the end of the statement.
  bool fk_insert_ = false;
  bool fk_update_ = false;
  std::vector<storage::Row> inserted_;
  std::vector<storage::Row> updated_old_;
  std::vector<storage::Row> updated_new_;
  std::vector<uint32_t> sel_;
  RowChangeCounter inserted_rows_{st_.ctx.xact_counts, RowChangeCounter::Kind::kInsert};
  RowChangeCounter updated_rows_{st_.ctx.xact_counts, RowChangeCounter::Kind::kUpdate};
};

}  // namespace

OperatorPtr MakeInsertOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<InsertOperator>(plan, state);
}

}  // namespace activestore::executor
