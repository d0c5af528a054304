#include "storage/table_store.h"

#include <xxhash.h>

#include <algorithm>
#include <chrono>

#include "cluster/sharding.h"
#include "common/error.h"
#include "common/value_ops.h"
#include "storage/encoding.h"
#include "storage/index_evaluator.h"

namespace activestore::storage {
namespace {

struct IndexEntry {
  uint32_t shard;
  std::string key;
};

std::vector<Value> Project(const Row& row, const std::vector<int>& cols) {
  std::vector<Value> out;
  out.reserve(cols.size());
  for (int c : cols) out.push_back(row.at(c));
  return out;
}

bool AnyNull(const std::vector<Value>& values) {
  for (const Value& v : values) {
    if (v.is_null) return true;
  }
  return false;
}

uint32_t ShardOfKey(const TableInfo& table, std::string_view encoded) {
  return cluster::ShardMap(table.shard_count).ShardForKey(encoded).value;
}

// "(a, b)=(1, x)"
std::string KeyText(const TableInfo& t, const std::vector<int>& cols, const Row& row) {
  std::string names, values;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i > 0) {
      names += ", ";
      values += ", ";
    }
    names += t.columns[cols[i]].name;
    const Value& v = row[cols[i]];
    values += v.is_null ? "null" : FormatValue(v);
  }
  return "(" + names + ")=(" + values + ")";
}

// The same for an index's key of `row`: "(lower(key))=(foo)" (expressions as PostgreSQL's
// pg_get_indexdef_columns shows them).
std::string IndexKeyText(const TableInfo& t, const IndexInfo& index, const Row& row) {
  if (index.plain()) return KeyText(t, index.columns, row);
  std::optional<std::vector<Value>> key = IndexKeyOf(index, row);
  std::string names, values;
  size_t expr = 0;
  for (size_t i = 0; i < index.columns.size(); ++i) {
    if (i > 0) {
      names += ", ";
      values += ", ";
    }
    const int c = index.columns[i];
    if (c == IndexInfo::kExpressionColumn) {
      names += expr < index.expressions_pretty.size() ? index.expressions_pretty[expr] : "?";
      ++expr;
    } else {
      names += t.columns[c].name;
    }
    const Value& v = key ? (*key)[i] : Value::Null(Type::Of(TypeId::kText));
    values += v.is_null ? "null" : FormatValue(v);
  }
  return "(" + names + ")=(" + values + ")";
}

Error WithObject(Error e, const TableInfo& t, const std::string& constraint) {
  e.schema = t.schema;
  e.table = t.name;
  e.constraint = constraint;
  return e;
}

[[noreturn]] void ThrowUniqueViolation(const TableInfo& t, const std::string& constraint,
                                       const std::string& key_text) {
  Error e(SqlState::kUniqueViolation,
          fmt::format("duplicate key value violates unique constraint \"{}\"", constraint));
  e.Detail(fmt::format("Key {} already exists.", key_text));
  throw WithObject(std::move(e), t, constraint);
}

[[noreturn]] void ThrowUniqueViolation(const TableInfo& t, const std::string& constraint,
                                       const std::vector<int>& cols, const Row& row) {
  ThrowUniqueViolation(t, constraint, KeyText(t, cols, row));
}

// The entry of `row` in `index`; nullopt for a unique index when a key column is NULL, and
// for a row outside a partial index.
std::optional<IndexEntry> EntryFor(const TableInfo& t, const IndexInfo& index, const Row& row,
                                   const std::string& row_key) {
  std::vector<Value> values;
  if (index.plain()) {
    values = Project(row, index.columns);
  } else if (auto key = IndexKeyOf(index, row)) {
    values = std::move(*key);
  } else {
    return std::nullopt;
  }
  if (index.unique && !index.nulls_not_distinct && AnyNull(values)) return std::nullopt;
  std::string key = EncodeKey(values);
  uint32_t shard = ShardOfKey(t, key);
  if (!index.unique) key += row_key;
  return IndexEntry{shard, std::move(key)};
}

std::string PrimaryKeyOf(const TableInfo& t, const Row& row) {
  std::string key;
  for (int c : t.primary_key) {
    const Value& v = row.at(c);
    if (v.is_null) {
      std::string values;
      for (size_t i = 0; i < row.size(); ++i) {
        if (i > 0) values += ", ";
        values += row[i].is_null ? "null" : FormatValue(row[i]);
      }
      Error e(SqlState::kNotNullViolation,
              fmt::format("null value in column \"{}\" of relation \"{}\" violates not-null "
                          "constraint",
                          t.columns[c].name, t.name));
      e.Detail(fmt::format("Failing row contains ({}).", values));
      e.column = t.columns[c].name;
      throw WithObject(std::move(e), t, "");
    }
    AppendKeyValue(v, &key);
  }
  return key;
}

// The writes of one row operation, so that a unique violation can undo them before the
// error propagates: a failed Insert or Update then leaves the transaction as it was.
class UndoLog {
 public:
  explicit UndoLog(Transaction* txn) : txn_(txn) {}
  // Inserts; throws the engine's 23505 unchanged.
  void Insert(const std::string& table, const std::string& key, std::string_view value) {
    txn_->Insert(table, key, value);
    undo_.push_back({table, key, std::nullopt});
  }
  void Put(const std::string& table, const std::string& key, std::string_view value,
           std::string previous) {
    txn_->Put(table, key, value);
    undo_.push_back({table, key, std::move(previous)});
  }
  void Delete(const std::string& table, const std::string& key, std::string previous) {
    if (txn_->Delete(table, key)) undo_.push_back({table, key, std::move(previous)});
  }
  // Reverts every write, newest first. Failures are ignored: the caller is already throwing
  // and rolls the transaction back if the undo could not complete.
  void Undo() noexcept {
    for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) {
      try {
        if (it->previous) {
          txn_->Put(it->table, it->key, *it->previous);
        } else {
          txn_->Delete(it->table, it->key);
        }
      } catch (const Error&) {
        return;
      }
    }
    undo_.clear();
  }

 private:
  struct Entry {
    std::string table, key;
    std::optional<std::string> previous;  // nullopt: the key did not exist
  };
  Transaction* txn_;
  std::vector<Entry> undo_;
};

// Locks the entry of a unique index (so that a second inserter of the same key waits for the
// first); entries of other indexes contain the row key, which the row lock covers.
void LockIndexEntry(Transaction* txn, const TableInfo& t, const IndexInfo& index,
                    const IndexEntry& entry) {
  if (!index.unique) return;
  std::string k = "\x02" + std::to_string(index.oid) + "/" + entry.key;
  txn->LockRow(t.oid, k, RowLockMode::kUpdate);
}

bool DeleteIfExpired(Transaction* txn, const TableInfo& t, const std::string& row_key, bool lock);

void InsertIndexEntry(Transaction* txn, UndoLog* log, const TableInfo& t, const IndexInfo& index,
                      const IndexEntry& entry, const std::string& row_key, const Row& row) {
  for (int attempt = 0;; ++attempt) {
    try {
      log->Insert(index.ShardTable(entry.shard), entry.key, row_key);
      return;
    } catch (const Error& e) {
      if (e.state() != SqlState::kUniqueViolation) throw;
      // The entry of a row that has expired but is not yet reaped: that row goes first.
      if (attempt == 0 && t.expiry.active()) {
        std::optional<std::string> holder = txn->Get(index.ShardTable(entry.shard), entry.key);
        if (holder && *holder != row_key && DeleteIfExpired(txn, t, *holder, true)) continue;
      }
      log->Undo();
      ThrowUniqueViolation(t, index.name, IndexKeyText(t, index, row));
    }
  }
}

// The stored form of a row: stamped with the write time in a table with a ttl.
void AppendStored(const Row& row, const TableInfo& t, std::string* out) {
  if (t.expiry.ttl_usec > 0) {
    AppendStampedRow(row, t, ExpiryClockNow(), out);
  } else {
    AppendRow(row, t, out);
  }
}
std::string EncodeStored(const Row& row, const TableInfo& t) {
  std::string out;
  AppendStored(row, t, &out);
  return out;
}

bool StoredExpired(const TableInfo& t, std::string_view bytes) {
  if (!t.expiry.active()) return false;
  ExpiryCheck check(t);
  return check.Expired(bytes, ExpiryClockNow());
}

// Deletes the stored row under row_key, with its index entries, if it has expired (an insert
// meeting it); true if it did. `lock`: take the row's lock first (false when the caller holds
// it: the key it is inserting).
bool DeleteIfExpired(Transaction* txn, const TableInfo& t, const std::string& row_key, bool lock) {
  if (!t.expiry.active()) return false;
  const uint32_t shard = TableStore::ShardOf(t, row_key);
  if (lock) txn->LockRow(t.oid, row_key, RowLockMode::kUpdate);
  std::optional<std::string> bytes = txn->Get(t.ShardTable(shard), row_key);
  if (!bytes || !StoredExpired(t, *bytes)) return false;
  const Row old = DecodeRow(*bytes, t);
  txn->Delete(t.ShardTable(shard), row_key);
  for (const IndexInfo& index : t.indexes) {
    if (index.primary) continue;
    if (auto entry = EntryFor(t, index, old, row_key)) {
      txn->Delete(index.ShardTable(entry->shard), entry->key);
    }
  }
  return true;
}

// A row by key; nullopt if absent or expired, *expired telling which.
std::optional<StoredRow> FetchRow(Transaction* txn, const TableInfo& t, std::string row_key,
                                  bool* expired = nullptr) {
  uint32_t shard = TableStore::ShardOf(t, row_key);
  std::optional<std::string> bytes = txn->Get(t.ShardTable(shard), row_key);
  if (expired != nullptr) *expired = false;
  if (!bytes) return std::nullopt;
  if (StoredExpired(t, *bytes)) {
    if (expired != nullptr) *expired = true;
    return std::nullopt;
  }
  StoredRow out{shard, std::move(row_key), DecodeRow(*bytes, t), RowVersion(*bytes)};
  out.key_version = RowKeyVersion(t, out.row);
  return out;
}

}  // namespace

std::string TableStore::RowKey(Catalog* catalog, const TableInfo& table, const Row& row) {
  if (!table.primary_key.empty()) return PrimaryKeyOf(table, row);
  return EncodeKey({Value::Int64(static_cast<int64_t>(catalog->NextRowId(table.oid)))});
}

uint32_t TableStore::ShardOf(const TableInfo& table, std::string_view row_key) {
  return ShardOfKey(table, row_key);
}

void TableStore::Insert(Catalog* catalog, Transaction* txn, const TableInfo& table, const Row& row,
                        bool lock_rows) {
  std::string key, bytes;
  const uint32_t shard = PrepareInsert(catalog, txn, table, row, &key, &bytes, lock_rows);
  ApplyInsert(txn, table, shard, table.ShardTable(shard), key, bytes, &row);
}

uint32_t TableStore::PrepareInsert(Catalog* catalog, Transaction* txn, const TableInfo& table,
                                   const Row& row, std::string* key, std::string* bytes,
                                   bool lock_rows) {
  *key = RowKey(catalog, table, row);
  const uint32_t shard = ShardOf(table, *key);
  // A row id is new to everyone: no other transaction can wait for it or write it, so only a
  // primary key needs the lock (and the lock table stays small under a bulk load).
  if (lock_rows && !table.primary_key.empty()) {
    txn->LockRow(table.oid, *key, RowLockMode::kUpdate);
  }
  for (const IndexInfo& index : table.indexes) {
    if (!lock_rows || index.primary || !index.unique) continue;
    if (auto entry = EntryFor(table, index, row, *key)) LockIndexEntry(txn, table, index, *entry);
  }
  bytes->clear();
  AppendStored(row, table, bytes);
  return shard;
}

void TableStore::ApplyInsert(Transaction* txn, const TableInfo& table, uint32_t shard,
                             std::string_view shard_table, std::string_view key,
                             std::string_view bytes, const Row* row) {
  // Only the entries of secondary indexes can fail after the row is written: without any,
  // there is nothing to undo.
  const bool secondary = std::any_of(table.indexes.begin(), table.indexes.end(),
                                     [](const IndexInfo& i) { return !i.primary; });
  std::optional<Row> decoded;
  auto the_row = [&]() -> const Row& {
    if (row != nullptr) return *row;
    if (!decoded) decoded = DecodeRow(bytes, table);
    return *decoded;
  };
  UndoLog log(txn);
  try {
    try {
      if (secondary) {
        log.Insert(std::string(shard_table), std::string(key), bytes);
      } else {
        txn->Insert(shard_table, key, bytes);
      }
    } catch (const Error& e) {
      // A row that has expired but is not yet reaped holds the key: it goes first.
      if (e.state() != SqlState::kUniqueViolation ||
          !DeleteIfExpired(txn, table, std::string(key), false)) {
        throw;
      }
      if (secondary) {
        log.Insert(std::string(shard_table), std::string(key), bytes);
      } else {
        txn->Insert(shard_table, key, bytes);
      }
    }
  } catch (const Error& e) {
    // Under a snapshot, a key committed after the snapshot is a conflict to the engine; it is
    // a duplicate to PostgreSQL, which checks uniqueness against the newest committed rows.
    if (IsWriteConflict(e) && !table.primary_key.empty() &&
        txn->GetCommitted(table.ShardTable(shard), key).has_value()) {
      ThrowUniqueViolation(table, table.PrimaryKeyName(), table.primary_key, the_row());
    }
    if (e.state() != SqlState::kUniqueViolation) throw;
    ThrowUniqueViolation(table, table.PrimaryKeyName(), table.primary_key, the_row());
  }
  if (!secondary) return;
  const std::string row_key(key);
  for (const IndexInfo& index : table.indexes) {
    if (index.primary) continue;
    if (auto entry = EntryFor(table, index, the_row(), row_key)) {
      InsertIndexEntry(txn, &log, table, index, *entry, row_key, the_row());
    }
  }
}

void TableStore::InsertEncoded(Transaction* txn, const TableInfo& table,
                               std::vector<EncodedRow>* rows) {
  struct Item {
    uint32_t shard;
    const EncodedRow* row;
  };
  std::vector<Item> order;
  order.reserve(rows->size());
  for (const EncodedRow& r : *rows) order.push_back(Item{ShardOf(table, r.key), &r});
  std::sort(order.begin(), order.end(), [](const Item& a, const Item& b) {
    return a.shard != b.shard ? a.shard < b.shard : a.row->key < b.row->key;
  });
  std::string shard_table;
  for (size_t i = 0; i < order.size(); ++i) {
    const Item& it = order[i];
    if (i == 0 || it.shard != order[i - 1].shard) shard_table = table.ShardTable(it.shard);
    bool duplicate =
        i > 0 && it.shard == order[i - 1].shard && it.row->key == order[i - 1].row->key;
    if (!duplicate) {
      try {
        txn->Insert(shard_table, it.row->key, it.row->bytes);
      } catch (const Error& e) {
        if (e.state() != SqlState::kUniqueViolation) throw;
        duplicate = true;
      }
    }
    if (duplicate) {
      ThrowUniqueViolation(table, table.PrimaryKeyName(), table.primary_key,
                           DecodeRow(it.row->bytes, table));
    }
  }
  rows->clear();
}

void TableStore::CheckArbiterKey(Transaction* txn, const TableInfo& table, const IndexInfo* index,
                                 const Row& row) {
  if (index == nullptr) {
    const std::string key = PrimaryKeyOf(table, row);
    txn->LockRow(table.oid, key, RowLockMode::kUpdate);
    txn->Reserve(table.ShardTable(ShardOf(table, key)), key);
    return;
  }
  if (auto entry = EntryFor(table, *index, row, {})) {
    LockIndexEntry(txn, table, *index, *entry);
    txn->Reserve(index->ShardTable(entry->shard), entry->key);
  }
}

void TableStore::Update(Catalog* catalog, Transaction* txn, const TableInfo& table,
                        const StoredRow& old, const Row& new_row) {
  const std::string new_key = table.primary_key.empty() ? old.key : PrimaryKeyOf(table, new_row);
  std::string old_bytes;
  if (table.expiry.ttl_usec > 0) {
    // The stored bytes carry the write stamp, which an undo must restore.
    std::optional<std::string> stored = txn->Get(table.ShardTable(old.shard), old.key);
    old_bytes = stored ? std::move(*stored) : EncodeRow(old.row, table);
  } else {
    old_bytes = EncodeRow(old.row, table);
  }
  txn->LockRow(table.oid, old.key,
               new_key == old.key ? RowLockMode::kNoKeyUpdate : RowLockMode::kUpdate);
  if (new_key != old.key) txn->LockRow(table.oid, new_key, RowLockMode::kUpdate);
  for (const IndexInfo& index : table.indexes) {
    if (index.primary || !index.unique) continue;
    // The new entry, and the old one (a concurrent inserter of the old value waits until it
    // is known whether this transaction really frees it).
    for (const Row* r : {&new_row, &old.row}) {
      if (auto entry = EntryFor(table, index, *r, r == &new_row ? new_key : old.key)) {
        LockIndexEntry(txn, table, index, *entry);
      }
    }
  }
  UndoLog log(txn);
  // Old index entries go first, so that entries moving between rows do not collide.
  std::vector<std::pair<const IndexInfo*, IndexEntry>> to_insert;
  for (const IndexInfo& index : table.indexes) {
    if (index.primary) continue;
    auto before = EntryFor(table, index, old.row, old.key);
    auto after = EntryFor(table, index, new_row, new_key);
    if (before && after && before->key == after->key && old.key == new_key) continue;
    if (before) log.Delete(index.ShardTable(before->shard), before->key, old.key);
    if (after) to_insert.emplace_back(&index, std::move(*after));
  }
  if (new_key == old.key) {
    log.Put(table.ShardTable(old.shard), old.key, EncodeStored(new_row, table), old_bytes);
  } else {
    log.Delete(table.ShardTable(old.shard), old.key, old_bytes);
    try {
      log.Insert(table.ShardTable(ShardOf(table, new_key)), new_key, EncodeStored(new_row, table));
    } catch (const Error& e) {
      if (e.state() != SqlState::kUniqueViolation) throw;
      log.Undo();
      ThrowUniqueViolation(table, table.PrimaryKeyName(), table.primary_key, new_row);
    }
  }
  for (const auto& [index, entry] : to_insert) {
    InsertIndexEntry(txn, &log, table, *index, entry, new_key, new_row);
  }
}

void TableStore::Delete(Transaction* txn, const TableInfo& table, const StoredRow& old) {
  txn->LockRow(table.oid, old.key, RowLockMode::kUpdate);
  txn->Delete(table.ShardTable(old.shard), old.key);
  for (const IndexInfo& index : table.indexes) {
    if (index.primary) continue;
    if (auto entry = EntryFor(table, index, old.row, old.key)) {
      txn->Delete(index.ShardTable(entry->shard), entry->key);
    }
  }
}

uint64_t RowVersion(std::string_view stored_bytes) {
  return XXH3_64bits(stored_bytes.data(), stored_bytes.size());
}

uint64_t RowKeyVersion(const TableInfo& table, const Row& row) {
  uint64_t h = 0;
  for (const IndexInfo& index : table.indexes) {
    // As PostgreSQL's key columns (RelationGetIndexAttrBitmap): unique indexes without
    // expressions or a predicate.
    if (!index.unique || index.primary || !index.plain()) continue;
    for (int c : index.columns) {
      const Value& v = row[static_cast<size_t>(c)];
      h = h * 0x9E3779B97F4A7C15ULL + (v.is_null ? 0x5bd1e995ULL : HashValue(v) + 1);
    }
  }
  return h;
}

TableStore::LockResult TableStore::LockForSelect(Transaction* txn, const TableInfo& table,
                                                 uint32_t shard, std::string_view key,
                                                 uint64_t version, uint64_t key_version,
                                                 RowLockMode mode, bool snapshot,
                                                 const RowLockWait* wait) {
  if (!txn->LockRow(table.oid, key, mode, wait)) return LockResult::kSkipped;
  const std::string shard_table = table.ShardTable(shard);
  std::optional<std::string> bytes = txn->Get(shard_table, key);
  if (!bytes || StoredExpired(table, *bytes)) return LockResult::kChanged;
  if (mode == RowLockMode::kKeyShare) {
    // FOR KEY SHARE conflicts only with deletes and key updates (PostgreSQL's
    // heap_lock_tuple): a committed update that kept the key leaves the lock granted on the
    // row as read, and an uncommitted "no key" update (its NO KEY UPDATE lock is compatible
    // with ours) is not waited for.
    if (!snapshot) {
      bool same_key = RowVersion(*bytes) == version ||
                      RowKeyVersion(table, DecodeRow(*bytes, table)) == key_version;
      return same_key ? LockResult::kLocked : LockResult::kChanged;
    }
    std::optional<std::string> latest = txn->GetCommitted(shard_table, key);
    if (latest && RowKeyVersion(table, DecodeRow(*latest, table)) == key_version) {
      return LockResult::kLocked;
    }
    // Deleted or re-keyed since the snapshot (40001 from the engine), or a row this
    // transaction wrote itself (no conflict).
  } else if (RowVersion(*bytes) != version) {
    return LockResult::kChanged;
  }
  txn->Reserve(shard_table, key);
  return LockResult::kLocked;
}

bool TableStore::LockForWrite(Transaction* txn, const TableInfo& table, const StoredRow& old,
                              RowLockMode mode) {
  txn->LockRow(table.oid, old.key, mode);
  std::optional<std::string> bytes = txn->Get(table.ShardTable(old.shard), old.key);
  if (!bytes || StoredExpired(table, *bytes)) return false;
  Row now = DecodeRow(*bytes, table);
  if (now.size() != old.row.size()) return false;
  for (size_t i = 0; i < now.size(); ++i) {
    if (now[i].is_null != old.row[i].is_null) return false;
    if (!now[i].is_null && CompareValues(now[i], old.row[i]) != 0) return false;
  }
  return true;
}

std::optional<StoredRow> TableStore::LookupByPrimaryKey(Transaction* txn, const TableInfo& table,
                                                        const std::vector<Value>& key_values) {
  if (table.primary_key.empty() || key_values.size() != table.primary_key.size()) {
    Throw(SqlState::kInternalError, "primary key lookup on \"{}\" with {} values", table.name,
          key_values.size());
  }
  if (AnyNull(key_values)) return std::nullopt;
  return FetchRow(txn, table, EncodeKey(key_values));
}

std::vector<StoredRow> TableStore::LookupByIndex(Transaction* txn, const TableInfo& table,
                                                 const IndexInfo& index,
                                                 const std::vector<Value>& values,
                                                 bool skip_missing, bool match_nulls) {
  std::vector<StoredRow> out;
  if (values.size() != index.columns.size()) {
    Throw(SqlState::kInternalError, "index lookup on \"{}\" with {} values", index.name,
          values.size());
  }
  if (AnyNull(values) && !(match_nulls && index.unique && index.nulls_not_distinct)) return out;
  if (index.primary) {
    if (auto row = LookupByPrimaryKey(txn, table, values)) out.push_back(std::move(*row));
    return out;
  }
  const std::string key = EncodeKey(values);
  const std::string index_table = index.ShardTable(ShardOfKey(table, key));
  std::vector<std::string> row_keys;
  if (index.unique) {
    if (auto rk = txn->Get(index_table, key)) row_keys.push_back(std::move(*rk));
  } else {
    auto cursor = txn->Scan(index_table, key, PrefixSuccessor(key));
    while (cursor->Next()) row_keys.emplace_back(cursor->value());
  }
  for (std::string& rk : row_keys) {
    bool expired = false;
    auto row = FetchRow(txn, table, std::move(rk), &expired);
    if (!row && (skip_missing || expired)) continue;
    if (!row) Throw(SqlState::kDataCorrupted, "index \"{}\" points to a missing row", index.name);
    out.push_back(std::move(*row));
  }
  return out;
}

uint64_t TableStore::BuildIndex(Transaction* txn, const TableInfo& table, const IndexInfo& index) {
  if (index.primary) return 0;
  uint64_t rows = 0;
  auto shared = std::make_shared<const TableInfo>(table);
  for (uint32_t s = 0; s < table.shard_count; ++s) {
    ShardScanner scanner(txn, shared, s);
    std::vector<StoredRow> batch;
    while (scanner.NextBatch(&batch, 1024)) {
      rows += batch.size();
      for (const StoredRow& r : batch) {
        auto entry = EntryFor(table, index, r.row, r.key);
        if (!entry) continue;
        try {
          txn->Insert(index.ShardTable(entry->shard), entry->key, r.key);
        } catch (const Error& e) {
          if (e.state() != SqlState::kUniqueViolation) throw;
          Error dup(SqlState::kUniqueViolation,
                    fmt::format("could not create unique index \"{}\"", index.name));
          dup.Detail(fmt::format("Key {} is duplicated.", IndexKeyText(table, index, r.row)));
          throw WithObject(std::move(dup), table, index.name);
        }
      }
      batch.clear();
    }
  }
  return rows;
}

ShardScanner::ShardScanner(Transaction* txn, std::shared_ptr<const TableInfo> table, uint32_t shard,
                           bool with_versions, bool include_expired)
    : table_(std::move(table)),
      shard_(shard),
      cursor_(txn->Scan(table_->ShardTable(shard))),
      with_versions_(with_versions) {
  if (table_->expiry.active() && !include_expired) expiry_.emplace(*table_);
}

bool ShardScanner::Skip(std::string_view bytes) {
  // The clock is read for each row: a row is returned only if it had not expired when read.
  return expiry_ && expiry_->Expired(bytes, ExpiryClockNow());
}

bool ShardScanner::NextBatch(std::vector<StoredRow>* out, size_t max_rows) {
  size_t n = 0;
  while (n < max_rows && cursor_->Next()) {
    std::string_view bytes = cursor_->value();
    if (Skip(bytes)) continue;
    out->push_back(StoredRow{shard_, std::string(cursor_->key()), DecodeRow(bytes, *table_),
                             with_versions_ ? RowVersion(bytes) : 0});
    if (with_versions_) out->back().key_version = RowKeyVersion(*table_, out->back().row);
    ++n;
  }
  return n > 0;
}

bool ShardScanner::NextRaw(std::string_view* key, std::string_view* bytes) {
  do {
    if (!cursor_->Next()) return false;
    *key = cursor_->key();
    *bytes = cursor_->value();
  } while (Skip(*bytes));
  return true;
}

IndexRangeReader::IndexRangeReader(Transaction* txn, std::shared_ptr<const TableInfo> table,
                                   const IndexInfo* index, std::string lower, std::string upper,
                                   bool with_versions, bool backward)
    : txn_(txn),
      table_(std::move(table)),
      index_(index),
      with_versions_(with_versions),
      backward_(backward) {
  if (table_->expiry.active()) expiry_.emplace(*table_);
  if (!upper.empty() && lower >= upper) return;
  const uint32_t shards = std::max<uint32_t>(1, table_->shard_count);
  for (uint32_t s = 0; s < shards; ++s) {
    const std::string name = index_ == nullptr ? table_->ShardTable(s) : index_->ShardTable(s);
    Source src;
    src.cursor =
        backward_ ? txn_->ScanBackward(name, lower, upper) : txn_->Scan(name, lower, upper);
    Advance(&src);
    if (src.valid) sources_.push_back(std::move(src));
  }
}

void IndexRangeReader::Advance(Source* s) { s->valid = s->cursor->Next(); }

bool IndexRangeReader::Next(StoredRow* out) {
  for (;;) {
    Source* best = nullptr;
    for (Source& s : sources_) {
      if (!s.valid) continue;
      if (best == nullptr || (backward_ ? s.cursor->key() > best->cursor->key()
                                        : s.cursor->key() < best->cursor->key())) {
        best = &s;
      }
    }
    if (best == nullptr) return false;
    if (index_ == nullptr) {
      std::string_view bytes = best->cursor->value();
      const bool expired = expiry_ && expiry_->Expired(bytes, ExpiryClockNow());
      if (!expired) {
        out->key.assign(best->cursor->key());
        out->shard = TableStore::ShardOf(*table_, out->key);
        out->row = DecodeRow(bytes, *table_);
        out->version = with_versions_ ? RowVersion(bytes) : 0;
        out->key_version = with_versions_ ? RowKeyVersion(*table_, out->row) : 0;
      }
      Advance(best);
      if (!expired) return true;
      continue;
    }
    std::string row_key(best->cursor->value());
    Advance(best);
    if (auto row = FetchRow(txn_, *table_, std::move(row_key))) {
      *out = std::move(*row);
      return true;
    }
  }
}

int64_t ExpiryClockNow() {
  using namespace std::chrono;
  constexpr int64_t kUnixTo2000Us = 946684800LL * 1000000LL;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count() -
         kUnixTo2000Us;
}

ExpiryCheck::ExpiryCheck(const TableInfo& table) : table_(&table) {
  if (table.expiry.ttl_column >= 0) {
    codecs_ = RowFieldCodecs(table);
    fields_.resize(static_cast<size_t>(table.expiry.ttl_column) + 1);
  }
}

std::optional<int64_t> ExpiryCheck::ExpiresAt(std::string_view bytes) {
  const RowExpiry& e = table_->expiry;
  if (e.ttl_usec > 0) {
    const std::optional<int64_t> stamp = RowWriteStamp(bytes);
    return (stamp ? *stamp : e.since_usec) + e.ttl_usec;
  }
  if (e.ttl_column >= 0 && static_cast<size_t>(e.ttl_column) < codecs_.size()) {
    FieldDecoder d(codecs_);
    d.Begin(bytes);
    d.DecodeTo(fields_.size(), fields_.data());
    const Field& f = fields_.back();
    if (f.null) return std::nullopt;
    return f.i;
  }
  return std::nullopt;
}

bool ExpiryCheck::Expired(std::string_view bytes, int64_t now) {
  const std::optional<int64_t> at = ExpiresAt(bytes);
  return at && *at <= now;
}

}  // namespace activestore::storage
