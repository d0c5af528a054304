// Catalog DDL, PostgreSQL's errors, and persistence across reopen (WiredTiger).
#include "storage/catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "storage/storage_testing.h"

namespace activestore::storage {
namespace {

using ::testing::Contains;
using ::testing::Not;
using testing::OpenOrDie;
using testing::SmallWtOptions;
using testing::TempDir;

Error ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  return Error(SqlState::kSuccessfulCompletion, "no error");
}

TableInfo MakeTable(Oid db, std::string schema, std::string name) {
  TableInfo t;
  t.database_oid = db;
  t.schema = std::move(schema);
  t.name = std::move(name);
  t.columns = {{"a", Type::Of(TypeId::kInt32), true}, {"b", Type::Of(TypeId::kText)}};
  t.primary_key = {0};
  IndexInfo u;
  u.name = t.name + "_b_key";
  u.columns = {1};
  u.unique = true;
  u.is_constraint = true;
  t.indexes.push_back(u);
  return t;
}

class CatalogTest : public ::testing::Test {
 protected:
  void Open() {
    catalog_.reset();
    engine_.reset();
    engine_ = OpenOrDie(SmallWtOptions(dir_.path()));
    catalog_ = Catalog::Open(engine_.get(), 4);
  }
  void SetUp() override { Open(); }
  Oid Postgres() { return catalog_->Snapshot()->FindDatabase("postgres")->oid; }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Catalog> catalog_;
};

TEST_F(CatalogTest, NewDataDirectoryHasPostgresAndItsSchemas) {
  auto snap = catalog_->Snapshot();
  ASSERT_NE(snap->FindDatabase("postgres"), nullptr);
  EXPECT_EQ(snap->FindDatabase("postgres")->oid, 5u);
  EXPECT_EQ(snap->FindSchema(5, "public")->oid, 2200u);
  EXPECT_EQ(snap->FindSchema(5, "pg_catalog")->oid, 11u);
  EXPECT_NE(snap->FindSchema(5, "information_schema"), nullptr);
  EXPECT_EQ(snap->FindSchema(5, "nope"), nullptr);
  EXPECT_THAT(engine_->ListTables(), Contains("sys_catalog"));
}

TEST_F(CatalogTest, DatabasesAndSchemas) {
  DatabaseInfo db = catalog_->CreateDatabase("app");
  EXPECT_GE(db.oid, 16384u);
  EXPECT_NE(catalog_->Snapshot()->FindSchema(db.oid, "public"), nullptr);
  Error e = ErrorOf([&] { catalog_->CreateDatabase("app"); });
  EXPECT_EQ(e.state(), SqlState::kDuplicateDatabase);
  EXPECT_EQ(e.message(), "database \"app\" already exists");
  e = ErrorOf([&] { catalog_->DropDatabase("nope"); });
  EXPECT_EQ(e.state(), SqlState::kInvalidCatalogName);
  EXPECT_EQ(e.message(), "database \"nope\" does not exist");

  SchemaInfo s = catalog_->CreateSchema(db.oid, "s");
  EXPECT_GT(s.oid, db.oid);
  e = ErrorOf([&] { catalog_->CreateSchema(db.oid, "s"); });
  EXPECT_EQ(e.state(), SqlState::kDuplicateSchema);
  EXPECT_EQ(e.message(), "schema \"s\" already exists");
  catalog_->CreateSchema(Postgres(), "s");  // same name in another database
  e = ErrorOf([&] { catalog_->DropSchema(db.oid, "nope", false); });
  EXPECT_EQ(e.state(), SqlState::kInvalidSchemaName);
  EXPECT_EQ(e.message(), "schema \"nope\" does not exist");
  e = ErrorOf([&] { catalog_->DropSchema(db.oid, "pg_catalog", true); });
  EXPECT_EQ(e.state(), SqlState::kUndefinedObjectDependent);
  EXPECT_EQ(e.message(),
            "cannot drop schema pg_catalog because it is required by the database system");

  auto t = catalog_->CreateTable(MakeTable(db.oid, "s", "t"));
  catalog_->DropSchema(Postgres(), "s", false);  // empty: fine
  catalog_->DropDatabase("app");
  auto snap = catalog_->Snapshot();
  EXPECT_EQ(snap->FindDatabase("app"), nullptr);
  EXPECT_EQ(snap->FindSchema(db.oid, "s"), nullptr);
  EXPECT_EQ(snap->FindTable(db.oid, "s", "t"), nullptr);
  EXPECT_THAT(engine_->ListTables(), Not(Contains(t->ShardTable(0))));
  EXPECT_THAT(engine_->ListTables(), Not(Contains(t->indexes[0].ShardTable(0))));
}

TEST_F(CatalogTest, CreateTableAssignsOidsShardsAndStorage) {
  auto before = catalog_->Snapshot();
  auto t = catalog_->CreateTable(MakeTable(Postgres(), "public", "t"));
  EXPECT_GE(t->oid, 16384u);
  EXPECT_EQ(t->shard_count, 4u);
  ASSERT_EQ(t->indexes.size(), 1u);
  EXPECT_GT(t->indexes[0].oid, t->oid);
  auto tables = engine_->ListTables();
  for (uint32_t s = 0; s < 4; ++s) {
    EXPECT_THAT(tables, Contains(t->ShardTable(s)));
    EXPECT_THAT(tables, Contains(t->indexes[0].ShardTable(s)));
  }
  auto after = catalog_->Snapshot();
  EXPECT_EQ(after->version, before->version + 1);
  EXPECT_EQ(before->FindTable(Postgres(), "public", "t"), nullptr);  // snapshots are immutable
  EXPECT_EQ(after->FindTable(Postgres(), "public", "t"), t);
  EXPECT_EQ(after->FindIndexOwner(Postgres(), "public", "t_pkey"), t);
  EXPECT_EQ(after->FindIndexOwner(Postgres(), "public", "t_b_key"), t);
  EXPECT_EQ(t->ColumnIndex("b"), 1);
  EXPECT_EQ(t->ColumnIndex("zz"), -1);
}

TEST_F(CatalogTest, RelationNamesAreUniquePerSchema) {
  catalog_->CreateTable(MakeTable(Postgres(), "public", "t"));
  for (const char* name : {"t", "t_pkey", "t_b_key"}) {
    TableInfo other = MakeTable(Postgres(), "public", name);
    other.indexes.clear();
    other.primary_key.clear();
    Error e = ErrorOf([&] { catalog_->CreateTable(other); });
    EXPECT_EQ(e.state(), SqlState::kDuplicateTable) << name;
    EXPECT_EQ(e.message(), fmt::format("relation \"{}\" already exists", name));
  }
  IndexInfo idx;
  idx.name = "t_pkey";
  idx.columns = {1};
  EXPECT_EQ(ErrorOf([&] { catalog_->AddIndex(Postgres(), "public", "t", idx); }).state(),
            SqlState::kDuplicateTable);
  TableInfo dup_cols = MakeTable(Postgres(), "public", "d");
  dup_cols.columns[1].name = "a";
  Error e = ErrorOf([&] { catalog_->CreateTable(dup_cols); });
  EXPECT_EQ(e.state(), SqlState::kDuplicateColumn);
  EXPECT_EQ(e.message(), "column \"a\" specified more than once");
  e = ErrorOf([&] { catalog_->CreateTable(MakeTable(Postgres(), "nope", "x")); });
  EXPECT_EQ(e.message(), "schema \"nope\" does not exist");
}

TEST_F(CatalogTest, DropsAndTheirErrors) {
  Error e = ErrorOf([&] { catalog_->DropTable(Postgres(), "public", "nope"); });
  EXPECT_EQ(e.state(), SqlState::kUndefinedTable);
  EXPECT_EQ(e.message(), "table \"nope\" does not exist");
  e = ErrorOf([&] { catalog_->DropIndex(Postgres(), "public", "nope"); });
  EXPECT_EQ(e.state(), SqlState::kUndefinedObject);
  EXPECT_EQ(e.message(), "index \"nope\" does not exist");

  catalog_->CreateSchema(Postgres(), "s");
  auto t = catalog_->CreateTable(MakeTable(Postgres(), "s", "t"));
  TableInfo v;
  v.database_oid = Postgres();
  v.schema = "s";
  v.name = "v";
  v.is_view = true;
  v.view_sql = "SELECT 1";
  catalog_->CreateTable(v);
  e = ErrorOf([&] { catalog_->DropIndex(Postgres(), "s", "t_pkey"); });
  EXPECT_EQ(e.state(), SqlState::kUndefinedObjectDependent);
  EXPECT_EQ(e.message(),
            "cannot drop index s.t_pkey because constraint t_pkey on table s.t requires it");
  EXPECT_EQ(e.hint, "You can drop constraint t_pkey on table s.t instead.");

  e = ErrorOf([&] { catalog_->DropSchema(Postgres(), "s", false); });
  EXPECT_EQ(e.state(), SqlState::kUndefinedObjectDependent);
  EXPECT_EQ(e.message(), "cannot drop schema s because other objects depend on it");
  EXPECT_EQ(e.detail, "table s.t depends on schema s\nview s.v depends on schema s");
  EXPECT_EQ(e.hint, "Use DROP ... CASCADE to drop the dependent objects too.");

  IndexInfo idx;
  idx.columns = {1};
  auto updated = catalog_->AddIndex(Postgres(), "s", "t", idx);
  ASSERT_EQ(updated->indexes.size(), 2u);
  EXPECT_EQ(updated->indexes[1].name, "t_b_idx");
  EXPECT_EQ(catalog_->AddIndex(Postgres(), "s", "t", idx)->indexes[2].name, "t_b_idx1");
  EXPECT_THAT(engine_->ListTables(), Contains(updated->indexes[1].ShardTable(3)));
  catalog_->DropIndex(Postgres(), "s", "t_b_idx");
  EXPECT_THAT(engine_->ListTables(), Not(Contains(updated->indexes[1].ShardTable(3))));
  EXPECT_EQ(catalog_->Snapshot()->FindTable(Postgres(), "s", "t")->indexes.size(), 2u);

  catalog_->DropSchema(Postgres(), "s", true);
  EXPECT_EQ(catalog_->Snapshot()->FindTable(Postgres(), "s", "t"), nullptr);
  EXPECT_THAT(engine_->ListTables(), Not(Contains(t->ShardTable(0))));
}

TEST_F(CatalogTest, TruncateEmptiesEveryShard) {
  auto t = catalog_->CreateTable(MakeTable(Postgres(), "public", "t"));
  {
    auto txn = engine_->Begin();
    for (uint32_t s = 0; s < t->shard_count; ++s) txn->Put(t->ShardTable(s), "k", "v");
    txn->Put(t->indexes[0].ShardTable(1), "k", "v");
    txn->Commit();
  }
  catalog_->TruncateTable(Postgres(), "public", "t");
  auto txn = engine_->Begin();
  for (uint32_t s = 0; s < t->shard_count; ++s)
    EXPECT_EQ(txn->Get(t->ShardTable(s), "k"), std::nullopt);
  EXPECT_EQ(txn->Get(t->indexes[0].ShardTable(1), "k"), std::nullopt);
  EXPECT_EQ(ErrorOf([&] { catalog_->TruncateTable(Postgres(), "public", "nope"); }).message(),
            "relation \"nope\" does not exist");
}

TEST_F(CatalogTest, EverythingSurvivesReopen) {
  DatabaseInfo db = catalog_->CreateDatabase("app");
  catalog_->CreateSchema(db.oid, "s");
  TableInfo info = MakeTable(db.oid, "s", "t");
  info.columns[1].type = Type{TypeId::kVarchar, 20};
  info.columns[1].default_sql = "'x'";
  auto t = catalog_->CreateTable(info);
  IndexInfo idx;
  idx.name = "t_b";
  idx.columns = {1};
  catalog_->AddIndex(db.oid, "s", "t", idx);
  TableInfo v;
  v.database_oid = db.oid;
  v.schema = "s";
  v.name = "v";
  v.is_view = true;
  v.view_sql = "SELECT a FROM s.t";
  v.view_columns = {"x"};
  catalog_->CreateTable(v);
  std::set<uint64_t> ids;
  for (int i = 0; i < 10; ++i) ids.insert(catalog_->NextRowId(t->oid));
  EXPECT_EQ(ids.size(), 10u);
  uint64_t version = catalog_->Snapshot()->version;

  Open();
  auto snap = catalog_->Snapshot();
  EXPECT_EQ(snap->version, version);
  ASSERT_NE(snap->FindDatabase("app"), nullptr);
  EXPECT_EQ(snap->FindDatabase("app")->oid, db.oid);
  ASSERT_NE(snap->FindSchema(db.oid, "s"), nullptr);
  auto t2 = snap->FindTable(db.oid, "s", "t");
  ASSERT_NE(t2, nullptr);
  EXPECT_EQ(t2->oid, t->oid);
  EXPECT_EQ(t2->shard_count, 4u);
  EXPECT_EQ(t2->primary_key, std::vector<int>{0});
  ASSERT_EQ(t2->columns.size(), 2u);
  EXPECT_EQ(t2->columns[1].type, (Type{TypeId::kVarchar, 20}));
  EXPECT_EQ(t2->columns[1].default_sql, "'x'");
  EXPECT_TRUE(t2->columns[0].not_null);
  ASSERT_EQ(t2->indexes.size(), 2u);
  EXPECT_EQ(t2->indexes[0].oid, t->indexes[0].oid);
  EXPECT_TRUE(t2->indexes[0].unique);
  EXPECT_TRUE(t2->indexes[0].is_constraint);
  EXPECT_EQ(t2->indexes[1].name, "t_b");
  auto v2 = snap->FindTable(db.oid, "s", "v");
  ASSERT_NE(v2, nullptr);
  EXPECT_TRUE(v2->is_view);
  EXPECT_EQ(v2->view_sql, "SELECT a FROM s.t");
  EXPECT_EQ(v2->view_columns, std::vector<std::string>{"x"});
  // Oids continue after the last one handed out; row ids are never reused.
  auto t3 = catalog_->CreateTable(MakeTable(db.oid, "s", "t3"));
  EXPECT_GT(t3->oid, t2->indexes[1].oid);
  for (int i = 0; i < 2000; ++i) {
    uint64_t id = catalog_->NextRowId(t->oid);
    EXPECT_GT(id, *ids.rbegin());
    EXPECT_TRUE(ids.insert(id).second);
  }
  Open();
  EXPECT_GT(catalog_->NextRowId(t->oid), *ids.rbegin());
}

TEST_F(CatalogTest, OrphanedStorageIsDroppedAtOpen) {
  engine_->CreateTable("t99999_s0");
  engine_->CreateTable("keepme");
  Open();
  EXPECT_THAT(engine_->ListTables(), Not(Contains("t99999_s0")));
  EXPECT_THAT(engine_->ListTables(), Contains("keepme"));
}

}  // namespace
}  // namespace activestore::storage
