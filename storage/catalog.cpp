#include "storage/catalog.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "common/error.h"

namespace activestore::storage {
namespace {

using json = nlohmann::json;

constexpr char kCatalogTable[] = "sys_catalog";
constexpr char kCatalogKey[] = "catalog";
constexpr int kCatalogFormat = 1;
constexpr uint64_t kRowIdBlock = 1024;

// Fixed oids, as in PostgreSQL 15.
constexpr Oid kPostgresDbOid = 5;
constexpr Oid kPgCatalogOid = 11;
constexpr Oid kPublicOid = 2200;
constexpr Oid kInformationSchemaOid = 13207;

std::string RowIdKey(Oid table) { return "rowid/" + std::to_string(table); }

// How PostgreSQL names an object in messages: qualified unless its schema is on the default
// search path.
std::string Qualified(const std::string& schema, const std::string& name) {
  if (schema == "public" || schema == "pg_catalog") return name;
  return schema + "." + name;
}

// --- JSON ---

json ToJson(const TableInfo& t) {
  json cols = json::array();
  for (const ColumnInfo& c : t.columns) {
    json jc = {{"name", c.name},
               {"type", static_cast<uint32_t>(c.type.id)},
               {"typmod", c.type.typmod},
               {"not_null", c.not_null}};
    if (c.default_sql) jc["default"] = *c.default_sql;
    cols.push_back(std::move(jc));
  }
  json idx = json::array();
  for (const IndexInfo& i : t.indexes) {
    idx.push_back({{"oid", i.oid},
                   {"name", i.name},
                   {"columns", i.columns},
                   {"unique", i.unique},
                   {"primary", i.primary},
                   {"constraint", i.is_constraint}});
  }
  return {{"oid", t.oid},
          {"db", t.database_oid},
          {"schema", t.schema},
          {"name", t.name},
          {"columns", std::move(cols)},
          {"primary_key", t.primary_key},
          {"indexes", std::move(idx)},
          {"shard_count", t.shard_count},
          {"is_view", t.is_view},
          {"view_sql", t.view_sql},
          {"view_columns", t.view_columns}};
}

std::shared_ptr<const TableInfo> TableFromJson(const json& j) {
  auto t = std::make_shared<TableInfo>();
  t->oid = j.at("oid").get<Oid>();
  t->database_oid = j.at("db").get<Oid>();
  t->schema = j.at("schema").get<std::string>();
  t->name = j.at("name").get<std::string>();
  for (const json& jc : j.at("columns")) {
    ColumnInfo c;
    c.name = jc.at("name").get<std::string>();
    c.type =
        Type{static_cast<TypeId>(jc.at("type").get<uint32_t>()), jc.at("typmod").get<int32_t>()};
    c.not_null = jc.at("not_null").get<bool>();
    if (jc.contains("default")) c.default_sql = jc.at("default").get<std::string>();
    t->columns.push_back(std::move(c));
  }
  t->primary_key = j.at("primary_key").get<std::vector<int>>();
  for (const json& ji : j.at("indexes")) {
    IndexInfo i;
    i.oid = ji.at("oid").get<Oid>();
    i.name = ji.at("name").get<std::string>();
    i.columns = ji.at("columns").get<std::vector<int>>();
    i.unique = ji.at("unique").get<bool>();
    i.primary = ji.at("primary").get<bool>();
    i.is_constraint = ji.value("constraint", false);
    t->indexes.push_back(std::move(i));
  }
  t->shard_count = j.at("shard_count").get<uint32_t>();
  t->is_view = j.at("is_view").get<bool>();
  t->view_sql = j.at("view_sql").get<std::string>();
  t->view_columns = j.at("view_columns").get<std::vector<std::string>>();
  return t;
}

// Every storage table that holds data of `t`.
std::vector<std::string> StorageTablesOf(const TableInfo& t) {
  std::vector<std::string> out;
  if (t.is_view) return out;
  for (uint32_t s = 0; s < t.shard_count; ++s) out.push_back(t.ShardTable(s));
  for (const IndexInfo& i : t.indexes) {
    if (i.primary) continue;
    for (uint32_t s = 0; s < t.shard_count; ++s) out.push_back(i.ShardTable(s));
  }
  return out;
}

// Creates every table in `names`; on failure drops the ones created and rethrows.
void CreateStorage(Engine* engine, const std::vector<std::string>& names) {
  size_t done = 0;
  try {
    for (; done < names.size(); ++done) engine->CreateTable(names[done]);
  } catch (...) {
    for (size_t i = 0; i < done; ++i) {
      try {
        engine->DropTable(names[i]);
      } catch (const Error& e) {
        spdlog::warn("catalog: could not drop storage table {}: {}", names[i], e.message());
      }
    }
    throw;
  }
}

// Drops storage tables after their catalog entry is gone; failures leave orphans, which the
// next Open removes.
void DropStorage(Engine* engine, const std::vector<std::string>& names) {
  for (const std::string& n : names) {
    try {
      engine->DropTable(n);
    } catch (const Error& e) {
      spdlog::warn("catalog: could not drop storage table {}: {}", n, e.message());
    }
  }
}

bool RelationExists(const CatalogSnapshot& c, Oid db, const std::string& schema,
                    const std::string& name) {
  return c.FindTable(db, schema, name) != nullptr || c.FindIndexOwner(db, schema, name) != nullptr;
}

[[noreturn]] void ThrowRelationExists(const std::string& name) {
  Throw(SqlState::kDuplicateTable, "relation \"{}\" already exists", name);
}

}  // namespace

// --- TableInfo and CatalogSnapshot ---

int TableInfo::ColumnIndex(const std::string& col) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == col) return static_cast<int>(i);
  }
  return -1;
}

const DatabaseInfo* CatalogSnapshot::FindDatabase(const std::string& name) const {
  auto it = databases.find(name);
  return it == databases.end() ? nullptr : &it->second;
}

const SchemaInfo* CatalogSnapshot::FindSchema(Oid db, const std::string& name) const {
  auto it = schemas.find({db, name});
  return it == schemas.end() ? nullptr : &it->second;
}

std::shared_ptr<const TableInfo> CatalogSnapshot::FindTable(Oid db, const std::string& schema,
                                                            const std::string& name) const {
  auto it = tables.find({db, schema, name});
  return it == tables.end() ? nullptr : it->second;
}

std::shared_ptr<const TableInfo> CatalogSnapshot::FindIndexOwner(
    Oid db, const std::string& schema, const std::string& index_name) const {
  for (auto it = tables.lower_bound({db, schema, ""});
       it != tables.end() && std::get<0>(it->first) == db && std::get<1>(it->first) == schema;
       ++it) {
    const TableInfo& t = *it->second;
    if (t.is_view) continue;
    if (!t.primary_key.empty() && t.PrimaryKeyName() == index_name) return it->second;
    for (const IndexInfo& i : t.indexes) {
      if (i.name == index_name) return it->second;
    }
  }
  return nullptr;
}

// --- Catalog ---

Catalog::Catalog(Engine* engine, uint32_t default_shard_count)
    : engine_(engine), default_shard_count_(default_shard_count == 0 ? 1 : default_shard_count) {}

std::unique_ptr<Catalog> Catalog::Open(Engine* engine, uint32_t default_shard_count) {
  std::unique_ptr<Catalog> c(new Catalog(engine, default_shard_count));
  std::lock_guard lock(c->mu_);
  c->Load();
  c->DropOrphanStorage();
  return c;
}

std::shared_ptr<const CatalogSnapshot> Catalog::Snapshot() const {
  std::lock_guard lock(snapshot_mu_);
  return current_;
}

void Catalog::Publish(std::shared_ptr<CatalogSnapshot> next) {
  std::lock_guard lock(snapshot_mu_);
  current_ = std::move(next);
}

void Catalog::Load() {
  engine_->CreateTable(kCatalogTable);
  std::optional<std::string> doc;
  {
    auto txn = engine_->Begin(Isolation::kSnapshot);
    doc = txn->Get(kCatalogTable, kCatalogKey);
    txn->Commit();
  }
  auto snap = std::make_shared<CatalogSnapshot>();
  if (!doc) {
    snap->version = 1;
    snap->databases["postgres"] = DatabaseInfo{kPostgresDbOid, "postgres"};
    for (auto [oid, name] : {std::pair<Oid, const char*>{kPgCatalogOid, "pg_catalog"},
                             {kPublicOid, "public"},
                             {kInformationSchemaOid, "information_schema"}}) {
      snap->schemas[{kPostgresDbOid, name}] = SchemaInfo{oid, kPostgresDbOid, name};
    }
    Persist(*snap);
    Publish(std::move(snap));
    return;
  }
  try {
    json j = json::parse(*doc);
    if (j.at("format").get<int>() != kCatalogFormat) {
      Throw(SqlState::kDataCorrupted, "catalog format {} is not supported",
            j.at("format").get<int>());
    }
    snap->version = j.at("version").get<uint64_t>();
    next_oid_ = j.at("next_oid").get<Oid>();
    for (const json& d : j.at("databases")) {
      DatabaseInfo info{d.at("oid").get<Oid>(), d.at("name").get<std::string>()};
      snap->databases[info.name] = info;
    }
    for (const json& s : j.at("schemas")) {
      SchemaInfo info{s.at("oid").get<Oid>(), s.at("db").get<Oid>(),
                      s.at("name").get<std::string>()};
      snap->schemas[{info.database_oid, info.name}] = info;
    }
    for (const json& t : j.at("tables")) {
      auto info = TableFromJson(t);
      snap->tables[{info->database_oid, info->schema, info->name}] = info;
    }
  } catch (const json::exception& e) {
    Throw(SqlState::kDataCorrupted, "could not read the catalog: {}", e.what());
  }
  Publish(std::move(snap));
}

void Catalog::Persist(const CatalogSnapshot& next, const std::vector<std::string>& erase_keys) {
  json dbs = json::array(), schemas = json::array(), tables = json::array();
  for (const auto& [name, d] : next.databases) dbs.push_back({{"oid", d.oid}, {"name", d.name}});
  for (const auto& [key, s] : next.schemas) {
    schemas.push_back({{"oid", s.oid}, {"db", s.database_oid}, {"name", s.name}});
  }
  for (const auto& [key, t] : next.tables) tables.push_back(ToJson(*t));
  json doc = {{"format", kCatalogFormat},      {"version", next.version},
              {"next_oid", next_oid_},         {"databases", std::move(dbs)},
              {"schemas", std::move(schemas)}, {"tables", std::move(tables)}};
  auto txn = engine_->Begin(Isolation::kSnapshot);
  txn->Put(kCatalogTable, kCatalogKey, doc.dump());
  for (const std::string& k : erase_keys) txn->Delete(kCatalogTable, k);
  txn->Commit();
}

void Catalog::DropOrphanStorage() {
  std::set<std::string> referenced;
  for (const auto& [key, t] : current_->tables) {
    for (std::string& n : StorageTablesOf(*t)) referenced.insert(std::move(n));
  }
  static const std::regex kOurs("[ti][0-9]+_s[0-9]+");
  for (const std::string& name : engine_->ListTables()) {
    if (std::regex_match(name, kOurs) && !referenced.contains(name)) {
      spdlog::info("catalog: dropping orphaned storage table {}", name);
      DropStorage(engine_, {name});
    }
  }
}

DatabaseInfo Catalog::CreateDatabase(const std::string& name) {
  std::lock_guard lock(mu_);
  if (current_->FindDatabase(name) != nullptr) {
    Throw(SqlState::kDuplicateDatabase, "database \"{}\" already exists", name);
  }
  auto next = std::make_shared<CatalogSnapshot>(*current_);
  next->version++;
  DatabaseInfo db{next_oid_++, name};
  next->databases[name] = db;
  for (auto [oid, schema] : {std::pair<Oid, const char*>{kPgCatalogOid, "pg_catalog"},
                             {kPublicOid, "public"},
                             {kInformationSchemaOid, "information_schema"}}) {
    next->schemas[{db.oid, schema}] = SchemaInfo{oid, db.oid, schema};
  }
  Persist(*next);
  Publish(std::move(next));
  return db;
}

void Catalog::DropDatabase(const std::string& name) {
  std::lock_guard lock(mu_);
  const DatabaseInfo* db = current_->FindDatabase(name);
  if (db == nullptr) Throw(SqlState::kInvalidCatalogName, "database \"{}\" does not exist", name);
  const Oid oid = db->oid;
  auto next = std::make_shared<CatalogSnapshot>(*current_);
  next->version++;
  next->databases.erase(name);
  std::erase_if(next->schemas, [&](const auto& kv) { return kv.first.first == oid; });
  std::vector<std::string> storage, erase_keys;
  std::vector<Oid> dropped;
  for (auto it = next->tables.begin(); it != next->tables.end();) {
    if (std::get<0>(it->first) == oid) {
      for (std::string& n : StorageTablesOf(*it->second)) storage.push_back(std::move(n));
      erase_keys.push_back(RowIdKey(it->second->oid));
      dropped.push_back(it->second->oid);
      it = next->tables.erase(it);
    } else {
      ++it;
    }
  }
  Persist(*next, erase_keys);
  Publish(std::move(next));
  {
    std::lock_guard rl(rowid_mu_);
    for (Oid t : dropped) rowid_blocks_.erase(t);
  }
  DropStorage(engine_, storage);
}

SchemaInfo Catalog::CreateSchema(Oid db, const std::string& name) {
  std::lock_guard lock(mu_);
  if (current_->FindSchema(db, name) != nullptr) {
    Throw(SqlState::kDuplicateSchema, "schema \"{}\" already exists", name);
  }
  auto next = std::make_shared<CatalogSnapshot>(*current_);
  next->version++;
  SchemaInfo s{next_oid_++, db, name};
  next->schemas[{db, name}] = s;
  Persist(*next);
  Publish(std::move(next));
  return s;
}

void Catalog::DropSchema(Oid db, const std::string& name, bool cascade) {
  std::lock_guard lock(mu_);
  if (current_->FindSchema(db, name) == nullptr) {
    Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", name);
  }
  if (name == "pg_catalog") {
    Throw(SqlState::kUndefinedObjectDependent,
          "cannot drop schema {} because it is required by the database system", name);
  }
  std::vector<std::shared_ptr<const TableInfo>> dependents;
  for (const auto& [key, t] : current_->tables) {
    if (std::get<0>(key) == db && std::get<1>(key) == name) dependents.push_back(t);
  }
  std::sort(dependents.begin(), dependents.end(),
            [](const auto& a, const auto& b) { return a->oid < b->oid; });
  if (!dependents.empty() && !cascade) {
    std::string detail;
    for (const auto& t : dependents) {
      if (!detail.empty()) detail += "\n";
      detail += fmt::format("{} {} depends on schema {}", t->is_view ? "view" : "table",
                            Qualified(t->schema, t->name), name);
    }
    throw std::move(
        Error(SqlState::kUndefinedObjectDependent,
              fmt::format("cannot drop schema {} because other objects depend on it", name))
            .Detail(detail)
            .Hint("Use DROP ... CASCADE to drop the dependent objects too."));
  }
  auto next = std::make_shared<CatalogSnapshot>(*current_);
  next->version++;
  next->schemas.erase({db, name});
  std::vector<std::string> storage, erase_keys;
  for (const auto& t : dependents) {
    next->tables.erase({db, name, t->name});
    for (std::string& n : StorageTablesOf(*t)) storage.push_back(std::move(n));
    erase_keys.push_back(RowIdKey(t->oid));
  }
  Persist(*next, erase_keys);
  Publish(std::move(next));
  {
    std::lock_guard rl(rowid_mu_);
    for (const auto& t : dependents) rowid_blocks_.erase(t->oid);
  }
  DropStorage(engine_, storage);
}

std::shared_ptr<const TableInfo> Catalog::CreateTable(TableInfo info) {
  std::lock_guard lock(mu_);
  const CatalogSnapshot& cur = *current_;
  bool db_found = false;
  for (const auto& [n, d] : cur.databases) db_found = db_found || d.oid == info.database_oid;
  if (!db_found) {
    Throw(SqlState::kInvalidCatalogName, "database with OID {} does not exist", info.database_oid);
  }
  if (cur.FindSchema(info.database_oid, info.schema) == nullptr) {
    Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", info.schema);
  }
  if (RelationExists(cur, info.database_oid, info.schema, info.name)) {
    ThrowRelationExists(info.name);
  }
  std::set<std::string> names;
  for (const ColumnInfo& c : info.columns) {
    if (!names.insert(c.name).second) {
      Throw(SqlState::kDuplicateColumn, "column \"{}\" specified more than once", c.name);
    }
  }
  for (int col : info.primary_key) {
    if (col < 0 || col >= static_cast<int>(info.columns.size())) {
      Throw(SqlState::kInternalError, "primary key column {} out of range", col);
    }
  }
  // Index names share the relation namespace of the schema.
  std::set<std::string> index_names{info.name};
  auto claim = [&](const std::string& n) {
    if (!index_names.insert(n).second || RelationExists(cur, info.database_oid, info.schema, n)) {
      ThrowRelationExists(n);
    }
  };
  if (!info.is_view && !info.primary_key.empty()) claim(info.PrimaryKeyName());
  for (const IndexInfo& i : info.indexes) {
    if (i.primary) continue;
    claim(i.name);
    for (int col : i.columns) {
      if (col < 0 || col >= static_cast<int>(info.columns.size())) {
        Throw(SqlState::kInternalError, "index column {} out of range", col);
      }
    }
  }
  info.oid = next_oid_++;
  info.shard_count = info.is_view ? 0 : default_shard_count_;
  for (IndexInfo& i : info.indexes) i.oid = next_oid_++;
  auto table = std::make_shared<const TableInfo>(std::move(info));
  std::vector<std::string> storage = StorageTablesOf(*table);
  CreateStorage(engine_, storage);
  auto next = std::make_shared<CatalogSnapshot>(cur);
  next->version++;
  next->tables[{table->database_oid, table->schema, table->name}] = table;
  try {
    Persist(*next);
  } catch (...) {
    DropStorage(engine_, storage);
    throw;
  }
  Publish(std::move(next));
  return table;
}

void Catalog::DropTable(Oid db, const std::string& schema, const std::string& name) {
  std::lock_guard lock(mu_);
  auto table = current_->FindTable(db, schema, name);
  if (table == nullptr) Throw(SqlState::kUndefinedTable, "table \"{}\" does not exist", name);
  auto next = std::make_shared<CatalogSnapshot>(*current_);
  next->version++;
  next->tables.erase({db, schema, name});
  Persist(*next, {RowIdKey(table->oid)});
  Publish(std::move(next));
  {
    std::lock_guard rl(rowid_mu_);
    rowid_blocks_.erase(table->oid);
  }
  DropStorage(engine_, StorageTablesOf(*table));
}

std::shared_ptr<const TableInfo> Catalog::AddIndex(Oid db, const std::string& schema,
                                                   const std::string& table, IndexInfo index) {
  std::lock_guard lock(mu_);
  const CatalogSnapshot& cur = *current_;
  auto owner = cur.FindTable(db, schema, table);
  if (owner == nullptr) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", table);
  if (owner->is_view) {
    Throw(SqlState::kWrongObjectType, "cannot create index on relation \"{}\"", table);
  }
  if (index.columns.empty()) Throw(SqlState::kInternalError, "index without columns");
  for (int col : index.columns) {
    if (col < 0 || col >= static_cast<int>(owner->columns.size())) {
      Throw(SqlState::kInternalError, "index column {} out of range", col);
    }
  }
  if (index.name.empty()) {
    std::string base = table;
    for (int col : index.columns) base += "_" + owner->columns[col].name;
    base += "_idx";
    index.name = base;
    for (int n = 1; RelationExists(cur, db, schema, index.name); ++n) {
      index.name = base + std::to_string(n);
    }
  } else if (RelationExists(cur, db, schema, index.name)) {
    ThrowRelationExists(index.name);
  }
  index.primary = false;
  index.oid = next_oid_++;
  std::vector<std::string> storage;
  for (uint32_t s = 0; s < owner->shard_count; ++s) storage.push_back(index.ShardTable(s));
  CreateStorage(engine_, storage);
  auto updated = std::make_shared<TableInfo>(*owner);
  updated->indexes.push_back(std::move(index));
  auto next = std::make_shared<CatalogSnapshot>(cur);
  next->version++;
  next->tables[{db, schema, table}] = updated;
  try {
    Persist(*next);
  } catch (...) {
    DropStorage(engine_, storage);
    throw;
  }
  Publish(std::move(next));
  return updated;
}

void Catalog::DropIndex(Oid db, const std::string& schema, const std::string& index_name) {
  std::lock_guard lock(mu_);
  auto owner = current_->FindIndexOwner(db, schema, index_name);
  if (owner == nullptr) {
    Throw(SqlState::kUndefinedObject, "index \"{}\" does not exist", index_name);
  }
  auto it = std::find_if(owner->indexes.begin(), owner->indexes.end(),
                         [&](const IndexInfo& i) { return i.name == index_name; });
  if (it == owner->indexes.end() || it->primary || it->is_constraint) {
    throw std::move(
        Error(
            SqlState::kUndefinedObjectDependent,
            fmt::format("cannot drop index {} because constraint {} on table {} requires it",
                        Qualified(schema, index_name), index_name, Qualified(schema, owner->name)))
            .Hint(fmt::format("You can drop constraint {} on table {} instead.", index_name,
                              Qualified(schema, owner->name))));
  }
  IndexInfo dropped = *it;
  auto updated = std::make_shared<TableInfo>(*owner);
  std::erase_if(updated->indexes, [&](const IndexInfo& i) { return i.name == index_name; });
  auto next = std::make_shared<CatalogSnapshot>(*current_);
  next->version++;
  next->tables[{db, schema, owner->name}] = updated;
  Persist(*next);
  Publish(std::move(next));
  std::vector<std::string> storage;
  for (uint32_t s = 0; s < owner->shard_count; ++s) storage.push_back(dropped.ShardTable(s));
  DropStorage(engine_, storage);
}

void Catalog::TruncateTable(Oid db, const std::string& schema, const std::string& name) {
  std::lock_guard lock(mu_);
  auto table = current_->FindTable(db, schema, name);
  if (table == nullptr) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", name);
  if (table->is_view) {
    Throw(SqlState::kWrongObjectType, "\"{}\" is not a table", name);
  }
  for (const std::string& n : StorageTablesOf(*table)) {
    engine_->DropTable(n);
    engine_->CreateTable(n);
  }
}

uint64_t Catalog::NextRowId(Oid table_oid) {
  std::lock_guard lock(rowid_mu_);
  auto& [next, limit] = rowid_blocks_[table_oid];
  if (next >= limit) {
    auto txn = engine_->Begin(Isolation::kSnapshot);
    uint64_t start = limit;
    if (auto stored = txn->Get(kCatalogTable, RowIdKey(table_oid))) {
      start = std::max<uint64_t>(start, std::stoull(*stored));
    }
    if (start == 0) start = 1;
    txn->Put(kCatalogTable, RowIdKey(table_oid), std::to_string(start + kRowIdBlock));
    txn->Commit();
    next = start;
    limit = start + kRowIdBlock;
  }
  return next++;
}

}  // namespace activestore::storage
