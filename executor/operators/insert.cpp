// kInsert: reads all input rows first (so INSERT ... SELECT from the same table never sees
// its own rows), then casts each to the column types, checks NOT NULL and inserts it with
// TableStore::Insert (23505 from storage). ON CONFLICT DO NOTHING checks for a conflict
// before writing (the primary key by lookup, unique indexes against the set of existing
// keys read once), so a failed write never has to be recovered from.
#include "common/error.h"
#include "executor/operators/dml_util.h"

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
    for (auto& row : rows) {
      st_.CheckCancel();
      ConformRow(table_, &row, st_);
      CheckNotNull(table_, row, st_);
      if (plan_.on_conflict_do_nothing && Conflicts(row)) continue;
      storage::TableStore::Insert(st_.ctx.catalog, st_.ctx.txn, table_, row);
      if (plan_.on_conflict_do_nothing) RememberUniqueKeys(row);
      returning_.Add(row);
      ++affected_;
    }
  }

 private:
  struct UniqueSet {
    const storage::IndexInfo* index;
    std::unique_ptr<KeyHashTable> keys;
  };

  // The index's key of row as one-row vectors; false if a key column is NULL (no conflict).
  static bool KeyOf(const storage::IndexInfo& index, const storage::Row& row,
                    const storage::TableInfo& table, std::vector<Vector>* key) {
    key->clear();
    for (int col : index.columns) {
      if (row[col].is_null) return false;
      Vector v(table.columns[col].type, 0);
      v.Append(row[col]);
      key->push_back(std::move(v));
    }
    return true;
  }

  void LoadUniqueSets() {
    loaded_ = true;
    for (const auto& index : table_.indexes) {
      if (!index.unique || index.primary) continue;
      std::vector<Type> types;
      for (int col : index.columns) types.push_back(table_.columns[col].type);
      unique_.push_back({&index, std::make_unique<KeyHashTable>(types)});
    }
    if (unique_.empty()) return;
    auto table = plan_.table;
    for (uint32_t shard = 0; shard < table_.shard_count; ++shard) {
      storage::ShardScanner scanner(st_.ctx.txn, table, shard);
      std::vector<storage::StoredRow> batch;
      while (true) {
        batch.clear();
        if (!scanner.NextBatch(&batch, kBatchSize) || batch.empty()) break;
        for (const auto& stored : batch) RememberUniqueKeys(stored.row);
      }
    }
  }

  void RememberUniqueKeys(const storage::Row& row) {
    std::vector<Vector> key;
    for (auto& u : unique_) {
      if (!KeyOf(*u.index, row, table_, &key)) continue;
      std::vector<const Vector*> ptrs;
      for (const auto& v : key) ptrs.push_back(&v);
      std::vector<uint64_t> h;
      HashRows(ptrs, 1, &h);
      bool inserted;
      u.keys->FindOrInsert(ptrs, 0, h[0], &inserted);
    }
  }

  bool Conflicts(const storage::Row& row) {
    if (!table_.primary_key.empty()) {
      std::vector<Value> key;
      for (int col : table_.primary_key) key.push_back(row[col]);
      if (storage::TableStore::LookupByPrimaryKey(st_.ctx.txn, table_, key)) return true;
    }
    if (!loaded_) LoadUniqueSets();
    std::vector<Vector> key;
    for (auto& u : unique_) {
      if (!KeyOf(*u.index, row, table_, &key)) continue;
      std::vector<const Vector*> ptrs;
      for (const auto& v : key) ptrs.push_back(&v);
      std::vector<uint64_t> h;
      HashRows(ptrs, 1, &h);
      if (u.keys->Find(ptrs, 0, h[0]) >= 0) return true;
    }
    return false;
  }

  bool loaded_ = false;
  std::vector<UniqueSet> unique_;
};

}  // namespace

OperatorPtr MakeInsertOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<InsertOperator>(plan, state);
}

}  // namespace activestore::executor
