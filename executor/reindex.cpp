// REINDEX [(VERBOSE | CONCURRENTLY)] {INDEX | TABLE | SCHEMA | DATABASE | SYSTEM}
// [CONCURRENTLY] name: PostgreSQL 15's ReindexIndex / ReindexTable / ReindexMultipleTables.
//
// An index is rebuilt in the statement's transaction: its entries are deleted and made again
// from the table's rows (TableStore::BuildIndex), so a rollback keeps the old ones and a
// unique index that no longer holds fails with 23505 as CREATE INDEX would. The table is held
// in SHARE mode meanwhile (writers wait, readers do not), as PostgreSQL's REINDEX does;
// CONCURRENTLY takes the same locks (it only has to be outside a block). The primary key is
// the rows' own key and has no entries to rebuild. The system catalogs are views over the
// catalog and have no indexes: REINDEX SYSTEM has nothing to do.
#include <fmt/format.h>

#include <chrono>

#include "common/error.h"
#include "executor/hypertables.h"
#include "executor/session.h"
#include "storage/acl.h"
#include "storage/table_store.h"

namespace activestore::executor {
namespace {

// Deletes every entry of `index` (all shards), then makes the entries of the table's rows.
void RebuildIndex(storage::Transaction* txn, const storage::TableInfo& table,
                  const storage::IndexInfo& index) {
  constexpr size_t kBatch = 4096;
  for (uint32_t s = 0; s < table.shard_count; ++s) {
    const std::string shard_table = index.ShardTable(s);
    while (true) {
      std::vector<std::string> keys;
      {
        std::unique_ptr<storage::Cursor> c = txn->Scan(shard_table);
        while (keys.size() < kBatch && c->Next()) keys.emplace_back(c->key());
      }
      for (const std::string& k : keys) txn->Delete(shard_table, k);
      if (keys.size() < kBatch) break;
    }
  }
  storage::TableStore::BuildIndex(txn, table, index);
}

}  // namespace

QueryResult SessionImpl::RunReindex(const ast::UtilityNoopStatement& s) {
  const std::string& kind = s.reindex_kind;  // INDEX, TABLE, SCHEMA, DATABASE, SYSTEM
  const ast::QualifiedName& name = s.targets.at(0).name;
  const bool multi = kind == "SCHEMA" || kind == "DATABASE" || kind == "SYSTEM";
  if (s.concurrently && kind == "SYSTEM") {
    Throw(SqlState::kFeatureNotSupported, "cannot reindex system catalogs concurrently");
  }
  if ((multi || s.concurrently) && (status_ != TxnStatus::kIdle || implicit_multi_)) {
    Throw(SqlState::kActiveSqlTransaction, "REINDEX {} cannot run inside a transaction block",
          multi ? kind : std::string("CONCURRENTLY"));
  }
  if (engine_->in_recovery()) {
    Throw(SqlState::kReadOnlySqlTransaction, "cannot execute REINDEX during recovery");
  }
  storage::Transaction* txn = StatementTxn();
  auto snap = CatalogView();
  const bool super = CurrentIsSuperuser();
  auto owns = [&](storage::Oid owner) {
    return super || storage::HasPrivsOfRole(*snap, user_oid_, owner, DatabaseOwner());
  };
  auto report = [&](const std::string& what, std::chrono::steady_clock::time_point start) {
    if (!s.verbose) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    pending_notices_.push_back(
        Notice{"INFO", "00000", what,
               fmt::format("CPU: user: 0.00 s, system: 0.00 s, elapsed: {:.2f} s", elapsed), ""});
  };
  // The indexes of one table (and of a hypertable's chunks), in creation (oid) order, the
  // primary key's first.
  auto reindex_table = [&](const storage::TableInfo& table) {
    std::vector<std::pair<storage::Oid, const storage::IndexInfo*>> order;
    if (!table.primary_key.empty()) order.emplace_back(table.pkey_index_oid, nullptr);
    for (const storage::IndexInfo& i : table.indexes) order.emplace_back(i.oid, &i);
    std::sort(order.begin(), order.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [oid, index] : order) {
      const auto start = std::chrono::steady_clock::now();
      if (index != nullptr && !index->primary) RebuildIndex(txn, table, *index);
      report(fmt::format("index \"{}\" was reindexed",
                         index != nullptr ? index->name : table.PrimaryKeyName()),
             start);
    }
    if (table.hypertable) {
      for (const auto& chunk : ChunksOf(*snap, table.oid)) {
        txn->LockRelation(chunk->oid, storage::LockMode::kShare);
        for (const storage::IndexInfo& i : chunk->indexes) {
          if (!i.primary) RebuildIndex(txn, *chunk, i);
        }
      }
    }
    return !order.empty();
  };
  // The schemas a possibly qualified name is looked up in: its own, or the search path.
  auto search_schemas = [&]() -> std::vector<std::string> {
    if (name.parts.size() >= 2) return {ResolveSchemaName(name.parts[name.parts.size() - 2])};
    return LookupPath(*snap);
  };
  auto relation_kind_ok = [](const storage::TableInfo& t) {
    return !t.is_view && !t.is_sequence();  // tables and materialized views
  };

  if (kind == "INDEX") {
    std::shared_ptr<const storage::TableInfo> owner;
    for (const std::string& sch : search_schemas()) {
      if ((owner = snap->FindIndexOwner(db_.oid, sch, name.name()))) break;
      if (auto t = snap->FindTable(db_.oid, sch, name.name())) {
        Throw(SqlState::kWrongObjectType, "\"{}\" is not an index", name.name());
      }
    }
    if (!owner) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", name.name());
    if (!owns(owner->owner)) {
      Throw(SqlState::kInsufficientPrivilege, "must be owner of index {}", name.name());
    }
    txn->LockRelation(owner->oid, storage::LockMode::kShare);
    auto table = CatalogView()->FindRelationByOid(owner->oid);
    if (!table) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", name.name());
    const auto start = std::chrono::steady_clock::now();
    for (const storage::IndexInfo& i : table->indexes) {
      if (i.name == name.name() && !i.primary) RebuildIndex(txn, *table, i);
    }
    report(fmt::format("index \"{}\" was reindexed", name.name()), start);
  } else if (kind == "TABLE") {
    std::string schema;
    auto table = FindAndLockTable(name, &schema, storage::LockMode::kShare);
    if (!table) {
      for (const std::string& sch : search_schemas()) {
        if (snap->FindIndexOwner(db_.oid, sch, name.name()) != nullptr) {
          Throw(SqlState::kWrongObjectType, "\"{}\" is not a table or materialized view",
                name.name());
        }
      }
      Error e(SqlState::kUndefinedTable,
              fmt::format("relation \"{}\" does not exist", name.name()));
      if (name.location >= 0) e.Position(name.location + 1);
      throw e;
    }
    if (!relation_kind_ok(*table)) {
      Throw(SqlState::kWrongObjectType, "\"{}\" is not a table or materialized view", table->name);
    }
    if (!owns(table->owner)) CheckTableOwner(*table);
    if (!reindex_table(*table)) {
      pending_notices_.push_back(
          Notice{"NOTICE", "00000",
                 fmt::format("table \"{}\" has no indexes to reindex", table->name), "", ""});
    }
  } else if (kind == "SCHEMA") {
    const std::string schema = ResolveSchemaName(name.name());
    const storage::SchemaInfo* info = snap->FindSchema(db_.oid, schema);
    if (info == nullptr)
      Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", schema);
    if (!owns(info->owner)) {
      Throw(SqlState::kInsufficientPrivilege, "must be owner of schema {}", schema);
    }
    for (const auto& [key, t] : snap->tables) {
      if (std::get<0>(key) != db_.oid || t->schema != schema || !relation_kind_ok(*t)) continue;
      if (t->chunk) continue;  // with its hypertable
      txn->LockRelation(t->oid, storage::LockMode::kShare);
      if (auto now = CatalogView()->FindRelationByOid(t->oid)) reindex_table(*now);
    }
  } else {  // DATABASE, SYSTEM
    if (name.name() != db_.name) {
      Throw(SqlState::kFeatureNotSupported, "can only reindex the currently open database");
    }
    if (!owns(DatabaseOwner())) {
      Throw(SqlState::kInsufficientPrivilege, "must be owner of database {}", db_.name);
    }
    if (kind == "DATABASE") {
      for (const auto& [key, t] : snap->tables) {
        if (std::get<0>(key) != db_.oid || !relation_kind_ok(*t) || t->chunk) continue;
        if (t->schema.starts_with("pg_temp_") && t->schema != TempSchemaName()) continue;
        txn->LockRelation(t->oid, storage::LockMode::kShare);
        if (auto now = CatalogView()->FindRelationByOid(t->oid)) reindex_table(*now);
      }
    }
  }
  FinishStatementTxn(true);  // commits outside a block (errors roll back in Execute)
  return Tagged("REINDEX");
}

}  // namespace activestore::executor
