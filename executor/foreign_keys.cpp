#include "executor/foreign_keys.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "common/error.h"
#include "common/value_ops.h"
#include "executor/deferred_constraints.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/dml_util.h"
#include "executor/table_stats.h"
#include "planner/planner.h"
#include "storage/encoding.h"

namespace activestore::executor {

namespace {

using storage::ForeignKeyInfo;
using storage::Row;
using storage::StoredRow;
using storage::TableInfo;
using Action = ForeignKeyInfo::Action;

bool SameValue(const Value& a, const Value& b) {
  if (a.is_null || b.is_null) return a.is_null == b.is_null;
  return CompareValues(a, b) == 0;
}

// v as a value of type `to`, or nullopt when no value of `to` equals it (a cast that fails or
// changes the value: 1.5 is no integer key, 'abcdef' no varchar(3) key).
std::optional<Value> ExactCast(const Value& v, const Type& to, const FormatOptions& fmt) {
  if (v.is_null) return Value::Null(to);
  if (v.type.id == to.id && (to.typmod < 0 || v.type.typmod == to.typmod)) {
    Value out = v;
    out.type = to;
    return out;
  }
  try {
    Value out = CastValue(v, to, fmt);
    if (CompareValues(out, v) != 0) return std::nullopt;
    return out;
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::vector<Value> Pick(const Row& row, const std::vector<int>& cols) {
  std::vector<Value> out;
  out.reserve(cols.size());
  for (int c : cols) out.push_back(row[c]);
  return out;
}

// "Key (a, b)=(1, 2)" as PostgreSQL's ri_ReportViolation writes it.
std::string KeyText(const TableInfo& table, const std::vector<int>& cols,
                    const std::vector<Value>& values, const FormatOptions& fmt) {
  std::string names;
  std::string vals;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i) {
      names += ", ";
      vals += ", ";
    }
    names += table.columns[cols[i]].name;
    vals += values[i].is_null ? "null" : FormatValue(values[i], fmt);
  }
  return fmt::format("Key ({})=({})", names, vals);
}

Error WithObject(Error e, const TableInfo& table, const std::string& constraint) {
  e.schema = table.schema;
  e.table = table.name;
  e.constraint = constraint;
  return e;
}

class RiRunner {
 public:
  explicit RiRunner(ExecState& st) : st_(st), txn_(st.ctx.txn) {
    view_ = st.ctx.catalog_view ? st.ctx.catalog_view : st.ctx.catalog->Snapshot();
  }

  std::shared_ptr<const TableInfo> Table(storage::Oid oid) {
    auto t = view_->FindRelationByOid(oid);
    if (!t) Throw(SqlState::kInternalError, "table with OID {} of a foreign key is gone", oid);
    return t;
  }

  const std::shared_ptr<const storage::CatalogSnapshot>& view() const { return view_; }

  // --- referencing side ---------------------------------------------------------------

  // Checks the foreign keys of `table` for new_rows (for an update only where the key columns
  // changed from old_rows).
  void CheckReferencing(const TableInfo& table, const std::vector<Row>* old_rows,
                        const std::vector<Row>& new_rows, bool lock) {
    for (const ForeignKeyInfo& fk : table.foreign_keys) {
      auto parent = Table(fk.ref_table);
      const bool deferred = Deferred(fk);
      std::set<std::string> done;
      for (size_t r = 0; r < new_rows.size(); ++r) {
        st_.CheckCancel();
        std::vector<Value> vals = Pick(new_rows[r], fk.columns);
        if (old_rows != nullptr) {
          std::vector<Value> before = Pick((*old_rows)[r], fk.columns);
          bool changed = false;
          for (size_t i = 0; i < vals.size(); ++i) changed |= !SameValue(vals[i], before[i]);
          if (!changed) continue;
        }
        if (deferred) {
          // Checked at COMMIT (or SET CONSTRAINTS ... IMMEDIATE); each key once a statement.
          if (std::all_of(vals.begin(), vals.end(), [](const Value& v) { return v.is_null; }) ||
              !done.insert(storage::EncodeKey(vals)).second) {
            continue;
          }
          st_.ctx.deferred->Queue({DeferredConstraints::Pending::Kind::kReferencing, fk.ref_table,
                                   table.oid, fk.oid, std::move(vals)});
          continue;
        }
        CheckOne(table, fk, *parent, vals, &done, lock);
      }
    }
  }

  bool Deferred(const ForeignKeyInfo& fk) const {
    return fk.deferrable && st_.ctx.deferred != nullptr && st_.ctx.deferred->IsDeferred(fk);
  }

  // A deferred check, when it runs: whether a row of `table` still holds `vals` in the
  // constraint's columns (else the row that was queued has since gone or changed, and
  // PostgreSQL skips its event).
  bool StillHeld(const TableInfo& table, const ForeignKeyInfo& fk, const std::vector<Value>& vals) {
    return !Referencing(table, fk, vals).empty();
  }

  // recheck: a deferred check, which passes when no row holds `vals` any more.
  void CheckOne(const TableInfo& table, const ForeignKeyInfo& fk, const TableInfo& parent,
                const std::vector<Value>& vals, std::set<std::string>* done, bool lock,
                bool recheck = false) {
    size_t nulls = 0;
    for (const Value& v : vals) nulls += v.is_null ? 1 : 0;
    if (nulls == vals.size()) return;
    if (nulls > 0) {
      if (!fk.match_full) return;
      if (recheck && !StillHeld(table, fk, vals)) return;
      throw WithObject(
          Error(SqlState::kForeignKeyViolation,
                fmt::format("insert or update on table \"{}\" violates foreign key constraint "
                            "\"{}\"",
                            table.name, fk.name))
              .Detail("MATCH FULL does not allow mixing of null and nonnull key values."),
          table, fk.name);
    }
    std::vector<Value> key;
    bool castable = true;
    for (size_t i = 0; i < vals.size(); ++i) {
      auto v = ExactCast(vals[i], parent.columns[fk.ref_columns[i]].type, st_.ctx.format);
      if (!v) {
        castable = false;
        break;
      }
      key.push_back(*v);
    }
    if (castable) {
      std::string enc = storage::EncodeKey(key);
      if (done->count(enc)) return;
      if (LockReferenced(parent, fk.ref_columns, key, lock)) {
        done->insert(enc);
        return;
      }
    }
    if (recheck && !StillHeld(table, fk, vals)) return;
    throw WithObject(
        Error(SqlState::kForeignKeyViolation,
              fmt::format("insert or update on table \"{}\" violates foreign key constraint \"{}\"",
                          table.name, fk.name))
            .Detail(fmt::format("{} is not present in table \"{}\".",
                                KeyText(table, fk.columns, vals, st_.ctx.format), parent.name)),
        table, fk.name);
  }

  // The row of `parent` whose `cols` equal `key` (values of those columns' types), as this
  // transaction sees it now.
  std::optional<StoredRow> FindByUnique(const TableInfo& parent, const std::vector<int>& cols,
                                        const std::vector<Value>& key) {
    std::optional<UniqueAccess> access = FindUniqueAccess(parent, cols);
    if (!access) {
      Throw(SqlState::kInternalError, "no unique index on the referenced columns of \"{}\"",
            parent.name);
    }
    std::vector<Value> ordered;
    for (int pos : access->order) ordered.push_back(key[pos]);
    if (access->index == nullptr) {
      return storage::TableStore::LookupByPrimaryKey(txn_, parent, ordered);
    }
    std::vector<StoredRow> found =
        storage::TableStore::LookupByIndex(txn_, parent, *access->index, ordered);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }

  // A row that expired since it was found (row expiry) is gone for the checks.
  static bool Expired(const TableInfo& t, std::string_view bytes) {
    return t.expiry.active() && storage::ExpiryCheck(t).Expired(bytes, storage::ExpiryClockNow());
  }

  // Finds the referenced row and locks it FOR KEY SHARE (PostgreSQL's
  // `SELECT 1 FROM p WHERE id = $1 FOR KEY SHARE`): false if there is none. A row deleted or
  // re-keyed by a transaction we waited for is looked up again.
  bool LockReferenced(const TableInfo& parent, const std::vector<int>& cols,
                      const std::vector<Value>& key, bool lock) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      std::optional<StoredRow> found = FindByUnique(parent, cols, key);
      if (!found) return false;
      if (!lock) return true;
      txn_->LockRow(parent.oid, found->key, storage::RowLockMode::kKeyShare);
      std::optional<std::string> bytes = txn_->Get(parent.ShardTable(found->shard), found->key);
      if (!bytes || Expired(parent, *bytes)) continue;
      Row now = storage::DecodeRow(*bytes, parent);
      bool same = true;
      for (size_t i = 0; i < cols.size(); ++i) same &= SameValue(now[cols[i]], key[i]);
      if (!same) continue;
      if (st_.ctx.snapshot_isolation) CheckStillThere(parent, *found, cols, key);
      return true;
    }
    Throw(SqlState::kSerializationFailure, "could not serialize access due to concurrent update");
  }

  // REPEATABLE READ / SERIALIZABLE: the locked row must still hold the key in the newest
  // committed data, else a transaction that committed after our snapshot deleted or re-keyed
  // it (PostgreSQL fails the lock with 40001). A difference this transaction made itself
  // (a row it inserted or re-keyed) passes Reserve, which fails only for other transactions'.
  void CheckStillThere(const TableInfo& parent, const StoredRow& row, const std::vector<int>& cols,
                       const std::vector<Value>& key) {
    auto fresh = st_.ctx.catalog->engine()->Begin(storage::Isolation::kReadCommitted);
    std::optional<std::string> bytes = fresh->Get(parent.ShardTable(row.shard), row.key);
    fresh->Rollback();
    bool same = bytes.has_value();
    if (same) {
      Row now = storage::DecodeRow(*bytes, parent);
      for (size_t i = 0; i < cols.size(); ++i) same &= SameValue(now[cols[i]], key[i]);
    }
    if (!same) txn_->Reserve(parent.ShardTable(row.shard), row.key);
  }

  // --- referenced side ----------------------------------------------------------------

  void ReferencedChanged(const TableInfo& table, RowEvent event, const std::vector<Row>& old_rows,
                         const std::vector<Row>& new_rows) {
    auto refs = view_->ReferencingForeignKeys(table.oid);
    for (const auto& [child, index] : refs) {
      const ForeignKeyInfo& fk = child->foreign_keys[index];
      Action action = event == RowEvent::kDelete ? fk.on_delete : fk.on_update;
      std::set<std::string> done;
      for (size_t r = 0; r < old_rows.size(); ++r) {
        st_.CheckCancel();
        std::vector<Value> old_key = Pick(old_rows[r], fk.ref_columns);
        bool any_null = false;
        for (const Value& v : old_key) any_null |= v.is_null;
        if (any_null) continue;
        const Row* new_row = event == RowEvent::kUpdate ? &new_rows[r] : nullptr;
        if (new_row != nullptr) {
          bool changed = false;
          for (size_t i = 0; i < fk.ref_columns.size(); ++i) {
            changed |= !SameValue(old_key[i], (*new_row)[fk.ref_columns[i]]);
          }
          if (!changed) continue;
        }
        if (!done.insert(storage::EncodeKey(old_key)).second) continue;
        if (action == Action::kNoAction && Deferred(fk)) {
          st_.ctx.deferred->Queue({DeferredConstraints::Pending::Kind::kReferenced, table.oid,
                                   child->oid, fk.oid, std::move(old_key)});
          continue;
        }
        // NO ACTION lets another row with the same key take over (ri_Check_Pk_Match).
        if (action == Action::kNoAction && FindByUnique(table, fk.ref_columns, old_key)) continue;
        ApplyAction(table, *child, fk, action, old_key, new_row);
      }
    }
  }

  // The rows of `child` referencing `key` (values of the referenced columns), as this
  // transaction sees them.
  std::vector<StoredRow> Referencing(const TableInfo& child, const ForeignKeyInfo& fk,
                                     const std::vector<Value>& key) {
    std::vector<StoredRow> out;
    std::vector<Value> child_key;
    for (size_t i = 0; i < key.size(); ++i) {
      auto v = ExactCast(key[i], child.columns[fk.columns[i]].type, st_.ctx.format);
      if (!v) return out;
      child_key.push_back(*v);
    }
    if (std::optional<UniqueAccess> u = FindUniqueAccess(child, fk.columns)) {
      if (auto row = FindByUnique(child, fk.columns, child_key)) out.push_back(std::move(*row));
      return out;
    }
    for (const storage::IndexInfo& idx : child.indexes) {
      if (!idx.plain() || idx.columns != fk.columns) continue;
      return storage::TableStore::LookupByIndex(txn_, child, idx, child_key);
    }
    auto shared = Table(child.oid);
    std::vector<StoredRow> batch;
    for (uint32_t shard = 0; shard < child.shard_count; ++shard) {
      storage::ShardScanner scanner(txn_, shared, shard);
      while (true) {
        batch.clear();
        if (!scanner.NextBatch(&batch, 1024)) break;
        st_.CheckCancel();
        for (StoredRow& r : batch) {
          if (References(r.row, fk, key)) out.push_back(std::move(r));
        }
      }
    }
    return out;
  }

  static bool References(const Row& row, const ForeignKeyInfo& fk, const std::vector<Value>& key) {
    for (size_t i = 0; i < key.size(); ++i) {
      const Value& v = row[fk.columns[i]];
      if (v.is_null || CompareValues(v, key[i]) != 0) return false;
    }
    return true;
  }

  // Re-reads a referencing row after locking it: nullopt if it is gone or no longer refers
  // to `key`.
  std::optional<Row> Reread(const TableInfo& child, const ForeignKeyInfo& fk, const StoredRow& r,
                            const std::vector<Value>& key) {
    std::optional<std::string> bytes = txn_->Get(child.ShardTable(r.shard), r.key);
    if (!bytes || Expired(child, *bytes)) return std::nullopt;
    Row now = storage::DecodeRow(*bytes, child);
    if (!References(now, fk, key)) return std::nullopt;
    return now;
  }

  [[noreturn]] void StillReferenced(const TableInfo& parent, const TableInfo& child,
                                    const ForeignKeyInfo& fk, const std::vector<Value>& key) {
    throw WithObject(
        Error(SqlState::kForeignKeyViolation,
              fmt::format("update or delete on table \"{}\" violates foreign key constraint "
                          "\"{}\" on table \"{}\"",
                          parent.name, fk.name, child.name))
            .Detail(fmt::format("{} is still referenced from table \"{}\".",
                                KeyText(parent, fk.ref_columns, key, st_.ctx.format), child.name)),
        child, fk.name);
  }

  void ApplyAction(const TableInfo& parent, const TableInfo& child, const ForeignKeyInfo& fk,
                   Action action, const std::vector<Value>& key, const Row* new_parent) {
    std::vector<StoredRow> rows = Referencing(child, fk, key);
    if (st_.ctx.snapshot_isolation) CheckNoNewerReferences(child, fk, key, rows);
    if (rows.empty()) return;
    if (action == Action::kNoAction || action == Action::kRestrict) {
      // SELECT 1 FROM c WHERE fk = $1 FOR KEY SHARE OF c: the first row still referring.
      for (const StoredRow& r : rows) {
        txn_->LockRow(child.oid, r.key, storage::RowLockMode::kKeyShare);
        if (Reread(child, fk, r, key)) StillReferenced(parent, child, fk, key);
      }
      return;
    }
    txn_->LockRelation(child.oid, storage::LockMode::kRowExclusive);
    std::vector<Row> olds;
    std::vector<Row> news;
    for (const StoredRow& found : rows) {
      StoredRow r = found;
      // Lock; a row changed meanwhile is taken as it is now, if it still refers to the key.
      for (int attempt = 0;; ++attempt) {
        if (attempt > 100) {
          Throw(SqlState::kSerializationFailure,
                "could not serialize access due to concurrent update");
        }
        Row next = r.row;
        storage::RowLockMode mode = storage::RowLockMode::kUpdate;
        if (action != Action::kCascade || new_parent != nullptr) {
          SetKey(child, fk, action, new_parent, &next);
          mode = UpdateLockMode(child, r.row, next);
        }
        if (storage::TableStore::LockForWrite(txn_, child, r, mode)) break;
        std::optional<Row> now = Reread(child, fk, r, key);
        if (!now) {
          r.row.clear();
          break;
        }
        r.row = std::move(*now);
      }
      if (r.row.empty()) continue;
      if (action == Action::kCascade && new_parent == nullptr) {
        storage::TableStore::Delete(txn_, child, r);
        if (st_.ctx.xact_counts != nullptr) st_.ctx.xact_counts->Deleted(child.oid, 1);
        olds.push_back(std::move(r.row));
        continue;
      }
      Row next = r.row;
      SetKey(child, fk, action, new_parent, &next);
      ConformRow(child, &next, st_);
      CheckNotNull(child, next, st_);
      if (!child.checks.empty()) {
        const auto& [checks, names] = ChildChecks(child);
        CheckConstraints(checks, names, child, next, st_);
      }
      storage::TableStore::Update(st_.ctx.catalog, txn_, child, r, next);
      if (st_.ctx.xact_counts != nullptr) st_.ctx.xact_counts->Updated(child.oid, 1);
      olds.push_back(std::move(r.row));
      news.push_back(std::move(next));
    }
    if (olds.empty()) return;
    if (++depth_ > 1000) {
      Throw(SqlState::kProgramLimitExceeded, "stack depth limit exceeded");
    }
    Run(child, news.empty() ? RowEvent::kDelete : RowEvent::kUpdate, olds, news);
    --depth_;
  }

  // The referencing row's new key columns for ON UPDATE CASCADE, SET NULL or SET DEFAULT.
  void SetKey(const TableInfo& child, const ForeignKeyInfo& fk, Action action,
              const Row* new_parent, Row* row) {
    for (size_t i = 0; i < fk.columns.size(); ++i) {
      int c = fk.columns[i];
      if (action == Action::kCascade) {
        (*row)[c] = (*new_parent)[fk.ref_columns[i]];
      } else if (action == Action::kSetNull) {
        (*row)[c] = Value::Null(child.columns[c].type);
      } else {
        (*row)[c] = ColumnDefault(child, c);
      }
    }
  }

  // For binding expressions stored with `table` (defaults, CHECK constraints).
  planner::PlannerContext PlannerContextFor(const TableInfo& table) const {
    planner::PlannerContext pc;
    pc.catalog = view_;
    pc.database = table.database_oid;
    pc.search_path = st_.ctx.search_path;
    pc.format = st_.ctx.format;
    return pc;
  }

  // The CHECK constraints of a table whose rows a cascade changes, bound once.
  const std::pair<std::vector<planner::BoundExprPtr>, std::vector<std::string>>& ChildChecks(
      const TableInfo& table) {
    auto it = checks_.find(table.oid);
    if (it == checks_.end()) {
      planner::PlannerContext pc = PlannerContextFor(table);
      std::pair<std::vector<planner::BoundExprPtr>, std::vector<std::string>> bound;
      planner::BindTableChecks(table, pc, &bound.first, &bound.second);
      it = checks_.emplace(table.oid, std::move(bound)).first;
    }
    return it->second;
  }

  Value ColumnDefault(const TableInfo& table, int column) {
    auto key = std::make_pair(table.oid, column);
    auto it = defaults_.find(key);
    if (it == defaults_.end()) {
      planner::PlannerContext pc = PlannerContextFor(table);
      planner::BoundExprPtr e = planner::BindColumnDefault(table, column, pc);
      it = defaults_.emplace(key, EvaluateStandaloneExpr(*e, st_.ctx)).first;
    }
    return it->second;
  }

  // REPEATABLE READ / SERIALIZABLE: a referencing row that another transaction committed
  // after our snapshot (not among `seen`) fails with 40001, as PostgreSQL's crosscheck
  // snapshot does; rows this transaction changed itself are fine.
  void CheckNoNewerReferences(const TableInfo& child, const ForeignKeyInfo& fk,
                              const std::vector<Value>& key, const std::vector<StoredRow>& seen) {
    std::unique_ptr<storage::Transaction> fresh =
        st_.ctx.catalog->engine()->Begin(storage::Isolation::kReadCommitted);
    storage::Transaction* mine = txn_;
    txn_ = fresh.get();
    std::vector<StoredRow> committed;
    try {
      committed = Referencing(child, fk, key);
    } catch (...) {
      txn_ = mine;
      throw;
    }
    txn_ = mine;
    fresh->Rollback();
    for (const StoredRow& r : committed) {
      bool known =
          std::any_of(seen.begin(), seen.end(), [&](const StoredRow& s) { return s.key == r.key; });
      if (known) continue;
      txn_->LockRow(child.oid, r.key, storage::RowLockMode::kKeyShare);
      txn_->Reserve(child.ShardTable(r.shard), r.key);
    }
  }

  // Runs a deferred check (DeferredConstraints): of a constraint or table dropped since, none.
  void RunDeferred(const DeferredConstraints::Pending& p) {
    st_.CheckCancel();
    auto child = view_->FindRelationByOid(p.child);
    auto parent = view_->FindRelationByOid(p.parent);
    if (!child || !parent) return;
    auto it = std::find_if(child->foreign_keys.begin(), child->foreign_keys.end(),
                           [&](const ForeignKeyInfo& f) { return f.oid == p.constraint; });
    if (it == child->foreign_keys.end() || it->ref_table != parent->oid) return;
    const ForeignKeyInfo& fk = *it;
    if (p.kind == DeferredConstraints::Pending::Kind::kReferencing) {
      std::set<std::string> done;
      CheckOne(*child, fk, *parent, p.values, &done, /*lock=*/true, /*recheck=*/true);
      return;
    }
    if (FindByUnique(*parent, fk.ref_columns, p.values)) return;  // the key is back
    ApplyAction(*parent, *child, fk, Action::kNoAction, p.values, nullptr);
  }

  void Run(const TableInfo& table, RowEvent event, const std::vector<Row>& old_rows,
           const std::vector<Row>& new_rows) {
    if (event != RowEvent::kInsert) ReferencedChanged(table, event, old_rows, new_rows);
    if (event != RowEvent::kDelete && !table.foreign_keys.empty()) {
      CheckReferencing(table, event == RowEvent::kUpdate ? &old_rows : nullptr, new_rows, true);
    }
  }

 private:
  ExecState& st_;
  storage::Transaction* txn_;
  std::shared_ptr<const storage::CatalogSnapshot> view_;
  std::map<std::pair<storage::Oid, int>, Value> defaults_;
  std::map<storage::Oid, std::pair<std::vector<planner::BoundExprPtr>, std::vector<std::string>>>
      checks_;
  int depth_ = 0;
};

}  // namespace

std::optional<UniqueAccess> FindUniqueAccess(const TableInfo& table,
                                             const std::vector<int>& columns) {
  auto match = [&](const std::vector<int>& index_cols) -> std::optional<std::vector<int>> {
    if (index_cols.size() != columns.size()) return std::nullopt;
    std::vector<int> order;
    for (int c : index_cols) {
      auto it = std::find(columns.begin(), columns.end(), c);
      if (it == columns.end()) return std::nullopt;
      order.push_back(static_cast<int>(it - columns.begin()));
    }
    return order;
  };
  if (!table.primary_key.empty()) {
    if (auto order = match(table.primary_key)) return UniqueAccess{nullptr, *order};
  }
  for (const storage::IndexInfo& idx : table.indexes) {
    if (!idx.unique || !idx.plain()) continue;
    if (auto order = match(idx.columns)) return UniqueAccess{&idx, *order};
  }
  return std::nullopt;
}

storage::RowLockMode UpdateLockMode(const TableInfo& table, const Row& old_row,
                                    const Row& new_row) {
  auto changed = [&](const std::vector<int>& cols) {
    for (int c : cols) {
      if (!SameValue(old_row[c], new_row[c])) return true;
    }
    return false;
  };
  if (changed(table.primary_key)) return storage::RowLockMode::kUpdate;
  for (const storage::IndexInfo& idx : table.indexes) {
    if (idx.unique && idx.plain() && changed(idx.columns)) return storage::RowLockMode::kUpdate;
  }
  return storage::RowLockMode::kNoKeyUpdate;
}

bool HasForeignKeyWork(ExecState& st, const TableInfo& table, RowEvent event) {
  if (event != RowEvent::kDelete && !table.foreign_keys.empty()) return true;
  if (event == RowEvent::kInsert) return false;
  auto view = st.ctx.catalog_view ? st.ctx.catalog_view : st.ctx.catalog->Snapshot();
  return !view->ReferencingForeignKeys(table.oid).empty();
}

void AfterRowWrites(ExecState& st, const TableInfo& table, RowEvent event,
                    const std::vector<Row>& old_rows, const std::vector<Row>& new_rows) {
  if (old_rows.empty() && new_rows.empty()) return;
  RiRunner ri(st);
  ri.Run(table, event, old_rows, new_rows);
}

void CheckDeferredForeignKeys(ExecState& st, const std::set<storage::Oid>* constraints) {
  if (st.ctx.deferred == nullptr || !st.ctx.deferred->HasPending()) return;
  std::vector<DeferredConstraints::Pending> pending = st.ctx.deferred->Take(constraints);
  RiRunner ri(st);
  for (const DeferredConstraints::Pending& p : pending) ri.RunDeferred(p);
}

void ValidateForeignKey(ExecState& st, const TableInfo& table, const ForeignKeyInfo& fk) {
  RiRunner ri(st);
  auto parent = ri.Table(fk.ref_table);
  auto shared = ri.Table(table.oid);
  std::set<std::string> done;
  std::vector<StoredRow> batch;
  for (uint32_t shard = 0; shard < table.shard_count; ++shard) {
    storage::ShardScanner scanner(st.ctx.txn, shared, shard);
    while (true) {
      batch.clear();
      if (!scanner.NextBatch(&batch, 1024)) break;
      st.CheckCancel();
      for (const StoredRow& r : batch) {
        ri.CheckOne(table, fk, *parent, Pick(r.row, fk.columns), &done, /*lock=*/false);
      }
    }
  }
}

}  // namespace activestore::executor
