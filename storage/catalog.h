// The catalog: databases, schemas, tables (with columns, primary key, indexes) and views,
// persisted in the storage table "sys_catalog" and cached in memory as immutable snapshots.
//
// Thread safety: Catalog is thread-safe. DDL methods serialise on one mutex, write the change
// in their own storage transaction (committed before they return: DDL is not transactional
// yet), then publish a new snapshot with version + 1. Readers take Snapshot() once per
// statement and never see a half-applied change.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cluster/sharding.h"
#include "common/types.h"
#include "storage/storage.h"

namespace activestore::storage {

using Oid = uint32_t;

struct ColumnInfo {
  std::string name;
  Type type;
  bool not_null = false;
  std::optional<std::string> default_sql;  // the DEFAULT expression's SQL text, re-parsed when used
};

struct IndexInfo {
  Oid oid = 0;
  std::string name;          // e.g. "t_pkey", "t_a_key", or the CREATE INDEX name
  std::vector<int> columns;  // column ordinals in the table
  bool unique = false;
  bool primary = false;  // the primary key: no separate storage, the row key itself
  // Made by a UNIQUE (or PRIMARY KEY) constraint rather than CREATE INDEX: DROP INDEX refuses
  // it (2BP01), as PostgreSQL does.
  bool is_constraint = false;
  // Storage table of shard s: StorageName() + "_s" + s. An entry lives in the shard of
  // ShardForKey(encoded column values). Entries: for unique indexes key = encoded column
  // values (rows with a NULL in them get no entry), value = row key; for non-unique ones
  // key = encoded values + row key, value = row key.
  std::string StorageName() const { return "i" + std::to_string(oid); }
  std::string ShardTable(uint32_t shard) const {
    return StorageName() + "_s" + std::to_string(shard);
  }
};

struct TableInfo {
  Oid oid = 0;
  Oid database_oid = 0;
  std::string schema;
  std::string name;
  std::vector<ColumnInfo> columns;
  // Ordinals of the primary key columns; empty means the table has none and rows are keyed
  // by a hidden 64-bit row id.
  std::vector<int> primary_key;
  std::vector<IndexInfo> indexes;  // secondary indexes (unique or not); not the primary key
  uint32_t shard_count = 1;        // shards this table's rows are spread over
  bool is_view = false;
  std::string view_sql;                   // a view's SELECT text
  std::vector<std::string> view_columns;  // a view's column aliases, if given

  // Storage table that holds the rows of shard s: "t<oid>_s<s>".
  std::string ShardTable(uint32_t shard) const {
    return "t" + std::to_string(oid) + "_s" + std::to_string(shard);
  }
  std::string PrimaryKeyName() const { return name + "_pkey"; }
  int ColumnIndex(const std::string& col) const;  // -1 if absent
};

struct SchemaInfo {
  Oid oid = 0;
  Oid database_oid = 0;
  std::string name;
};

struct DatabaseInfo {
  Oid oid = 0;
  std::string name;
};

// An immutable view of the whole catalog at one version.
struct CatalogSnapshot {
  uint64_t version = 0;
  std::map<std::string, DatabaseInfo> databases;              // by name
  std::map<std::pair<Oid, std::string>, SchemaInfo> schemas;  // by (database, name)
  std::map<std::tuple<Oid, std::string, std::string>, std::shared_ptr<const TableInfo>>
      tables;  // (database, schema, name)

  const DatabaseInfo* FindDatabase(const std::string& name) const;
  const SchemaInfo* FindSchema(Oid db, const std::string& name) const;
  // Tables and views.
  std::shared_ptr<const TableInfo> FindTable(Oid db, const std::string& schema,
                                             const std::string& name) const;
  // The table that owns the index named `name` in schema, or nullptr.
  std::shared_ptr<const TableInfo> FindIndexOwner(Oid db, const std::string& schema,
                                                  const std::string& index_name) const;
};

class Catalog {
 public:
  // Loads the catalog from `engine`; on a new data directory creates the database
  // "postgres" (oid 5) with schemas "pg_catalog" (11), "public" (2200) and
  // "information_schema". Throws Error (XX001 if the stored catalog cannot be read).
  // REQUIRES: engine outlives the catalog.
  static std::unique_ptr<Catalog> Open(Engine* engine, uint32_t default_shard_count);

  std::shared_ptr<const CatalogSnapshot> Snapshot() const;

  // DDL. Each throws Error with PostgreSQL's SQLSTATE: 42P04 database "x" already exists,
  // 3D000 database "x" does not exist, 42P06 schema "x" already exists, 3F000 schema "x" does
  // not exist, 42P07 relation "x" already exists, 42P01 table "x" does not exist (DropTable;
  // AddIndex and TruncateTable say relation "x"), 42704 index "x" does not exist,
  // 42701 column "a" specified more than once, 2BP01 when a schema is not empty and cascade
  // is false (detail lists the dependents, as PostgreSQL), when dropping pg_catalog, or when
  // dropping an index that a constraint owns. CreateDatabase also creates the database's
  // schemas "pg_catalog", "public" and "information_schema". AddIndex with an empty
  // index.name picks PostgreSQL's default name (<table>_<cols>_idx, then ...idx1, ...).
  DatabaseInfo CreateDatabase(const std::string& name);
  void DropDatabase(const std::string& name);  // drops its tables' storage too
  SchemaInfo CreateSchema(Oid db, const std::string& name);
  void DropSchema(Oid db, const std::string& name, bool cascade);
  // Assigns the oid and shard_count, creates the storage tables of every shard and of every
  // index in `info.indexes`. Fills in index oids.
  std::shared_ptr<const TableInfo> CreateTable(TableInfo info);
  void DropTable(Oid db, const std::string& schema, const std::string& name);
  // Adds a secondary index. The caller (executor) fills it from existing rows afterwards,
  // inside its own transaction.
  // Returns the table as updated.
  std::shared_ptr<const TableInfo> AddIndex(Oid db, const std::string& schema,
                                            const std::string& table, IndexInfo index);
  void DropIndex(Oid db, const std::string& schema, const std::string& index_name);
  // Removes every row of the table (TRUNCATE): drops and recreates its storage tables.
  void TruncateTable(Oid db, const std::string& schema, const std::string& name);

  // A new hidden row id for a table without a primary key: unique across restarts
  // (ids are reserved in persisted blocks), increasing within one run.
  uint64_t NextRowId(Oid table_oid);

  Engine* engine() const { return engine_; }

 private:
  Catalog(Engine* engine, uint32_t default_shard_count);
  // ... implementation details private to storage/catalog.cpp
  void Load();
  // Writes `next` (and erases `erase_keys`) in one committed storage transaction.
  void Persist(const CatalogSnapshot& next, const std::vector<std::string>& erase_keys = {});
  void Publish(std::shared_ptr<CatalogSnapshot> next);
  // Drops storage tables named like ours ("t<oid>_s<n>", "i<oid>_s<n>") that the catalog
  // does not reference (left over by a crash between a catalog write and the drop).
  void DropOrphanStorage();

  Engine* engine_;
  uint32_t default_shard_count_;
  mutable std::mutex mu_;                           // serialises DDL
  mutable std::mutex snapshot_mu_;                  // guards current_ only
  std::shared_ptr<const CatalogSnapshot> current_;  // GUARDED_BY(snapshot_mu_)
  Oid next_oid_ = 16384;                            // GUARDED_BY(mu_)
  std::mutex rowid_mu_;
  std::map<Oid, std::pair<uint64_t, uint64_t>> rowid_blocks_;  // next, limit; GUARDED_BY(rowid_mu_)
};

}  // namespace activestore::storage
