// Catalog DDL, PostgreSQL's errors, and persistence across reopen (WiredTiger).
#include "storage/catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
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

// RENAME TO: UpdateRelation with a new name in the same schema finds the relation by its oid;
// the old name is free afterwards, a taken one is 42P07, the row ids go on, a rollback keeps
// the old name.
TEST_F(CatalogTest, UpdateRelationRenames) {
  auto t = catalog_->CreateTable(MakeTable(Postgres(), "public", "t"));
  catalog_->CreateTable(MakeTable(Postgres(), "public", "other"));
  uint64_t id = catalog_->NextRowId(t->oid);
  {
    auto txn = catalog_->Begin();
    TableInfo next = *t;
    next.name = "other";
    EXPECT_EQ(ErrorOf([&] { catalog_->UpdateRelation(txn.get(), next); }).state(),
              SqlState::kDuplicateTable);
    txn->Rollback();
  }
  {
    auto txn = catalog_->Begin();
    TableInfo next = *t;
    next.name = "u";
    catalog_->UpdateRelation(txn.get(), next);
    txn->Rollback();
  }
  EXPECT_EQ(catalog_->Snapshot()->FindTable(Postgres(), "public", "t"), t);
  {
    auto txn = catalog_->Begin();
    TableInfo next = *t;
    next.name = "u";
    catalog_->UpdateRelation(txn.get(), next);
    EXPECT_EQ(txn->Snapshot()->FindTable(Postgres(), "public", "t"), nullptr);
    txn->Commit();
  }
  EXPECT_GT(catalog_->NextRowId(t->oid), id);
  Open();
  auto snap = catalog_->Snapshot();
  EXPECT_EQ(snap->FindTable(Postgres(), "public", "t"), nullptr);
  ASSERT_NE(snap->FindTable(Postgres(), "public", "u"), nullptr);
  EXPECT_EQ(snap->FindTable(Postgres(), "public", "u")->oid, t->oid);
  EXPECT_EQ(snap->FindIndexOwner(Postgres(), "public", "t_b_key")->oid, t->oid);
  EXPECT_EQ(snap->FindIndexOwner(Postgres(), "public", "t_pkey"), nullptr);
  TableInfo again = MakeTable(Postgres(), "public", "t");  // the old name is free
  again.indexes.clear();
  EXPECT_NE(catalog_->CreateTable(again)->oid, t->oid);
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
  // New storage (a new generation); the old storage is dropped after the commit.
  auto now = catalog_->Snapshot()->FindTable(Postgres(), "public", "t");
  EXPECT_EQ(now->oid, t->oid);
  EXPECT_NE(now->ShardTable(0), t->ShardTable(0));
  EXPECT_THAT(engine_->ListTables(), Not(Contains(t->ShardTable(0))));
  EXPECT_THAT(engine_->ListTables(), Not(Contains(t->indexes[0].ShardTable(1))));
  auto txn = engine_->Begin();
  for (uint32_t s = 0; s < now->shard_count; ++s)
    EXPECT_EQ(txn->Get(now->ShardTable(s), "k"), std::nullopt);
  EXPECT_EQ(txn->Get(now->indexes[0].ShardTable(1), "k"), std::nullopt);
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
  catalog_->TruncateTable(db.oid, "s", "t");  // a new storage generation
  auto truncated = catalog_->Snapshot()->FindTable(db.oid, "s", "t");

  Open();
  auto snap = catalog_->Snapshot();
  ASSERT_NE(snap->FindDatabase("app"), nullptr);
  EXPECT_EQ(snap->FindDatabase("app")->oid, db.oid);
  ASSERT_NE(snap->FindSchema(db.oid, "s"), nullptr);
  auto t2 = snap->FindTable(db.oid, "s", "t");
  ASSERT_NE(t2, nullptr);
  EXPECT_EQ(t2->oid, t->oid);
  EXPECT_EQ(t2->ShardTable(1), truncated->ShardTable(1));
  EXPECT_EQ(t2->indexes[1].ShardTable(2), truncated->indexes[1].ShardTable(2));
  EXPECT_THAT(engine_->ListTables(), Contains(t2->indexes[1].ShardTable(2)));
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

TEST_F(CatalogTest, TriggersSurviveReopenAndGoWithTheirTable) {
  auto t = catalog_->CreateTable(MakeTable(Postgres(), "public", "t"));
  TableInfo next = *t;
  TriggerInfo g;
  g.name = "t_audit";
  g.function = 12345;
  g.type = TriggerInfo::kRow | TriggerInfo::kBefore | TriggerInfo::kUpdate;
  g.enabled = 'D';
  g.columns = {1};
  g.args = {"x", ""};
  g.when = "(old.b IS DISTINCT FROM new.b)";
  TriggerInfo h;
  h.name = "t_stmt";
  h.function = 12346;
  h.type = TriggerInfo::kInsert;
  h.new_table = "newrows";
  next.triggers = {g, h};
  catalog_->UpdateRelation(catalog_->Begin().get(), next);  // rolled back: not committed
  EXPECT_TRUE(catalog_->Snapshot()->FindTable(Postgres(), "public", "t")->triggers.empty());
  {
    auto txn = catalog_->Begin();
    catalog_->UpdateRelation(txn.get(), next);
    txn->Commit();
  }
  Open();
  auto t2 = catalog_->Snapshot()->FindTable(Postgres(), "public", "t");
  ASSERT_EQ(t2->triggers.size(), 2u);
  const TriggerInfo& g2 = t2->triggers[0];
  EXPECT_NE(g2.oid, 0u);
  EXPECT_NE(g2.oid, t2->triggers[1].oid);
  EXPECT_EQ(g2.name, "t_audit");
  EXPECT_EQ(g2.function, 12345u);
  EXPECT_TRUE(g2.row() && g2.before() && !g2.after());
  EXPECT_EQ(g2.enabled, 'D');
  EXPECT_EQ(g2.columns, std::vector<int>{1});
  EXPECT_EQ(g2.args, (std::vector<std::string>{"x", ""}));
  EXPECT_EQ(g2.when, "(old.b IS DISTINCT FROM new.b)");
  EXPECT_TRUE(t2->triggers[1].after());
  EXPECT_EQ(t2->triggers[1].new_table, "newrows");
  EXPECT_EQ(t2->triggers[1].old_table, "");
  catalog_->DropTable(Postgres(), "public", "t");
  auto t3 = catalog_->CreateTable(MakeTable(Postgres(), "public", "t"));
  EXPECT_TRUE(t3->triggers.empty());
}

// Chunk compression (docs/design/2026-12-06-chunk-compression.md): the hypertable's settings
// and policy, and a compressed chunk's table and sizes, are part of the relations' rows.
TEST_F(CatalogTest, CompressionSettingsAndCompressedChunksSurviveReopen) {
  TableInfo h = MakeTable(Postgres(), "public", "ht");
  HypertableInfo hi;
  hi.id = 1;
  hi.time_column = 0;
  hi.interval = 86'400'000'000;
  hi.compress = true;
  hi.segmentby = {1};
  hi.orderby = {0};
  hi.orderby_desc = {true};
  hi.orderby_nulls_first = {false};
  hi.compression_job_id = 1001;
  hi.compress_after = 7 * hi.interval;
  hi.compress_after_text = "7 days";
  hi.compression_schedule_usec = 43'200'000'000;
  h.hypertable = hi;
  auto ht = catalog_->CreateTable(h);
  TableInfo c = MakeTable(Postgres(), "public", "chunk");
  c.indexes.clear();
  c.chunk = ChunkInfo{ht->oid, 3, 0, hi.interval};
  c.chunk->compressed_table = 4242;
  c.chunk->before_table_bytes = 1000;
  c.chunk->before_index_bytes = 500;
  c.chunk->after_table_bytes = 70;
  c.chunk->rows_pre = 10;
  c.chunk->rows_post = 1;
  catalog_->CreateTable(c);
  Open();
  auto snap = catalog_->Snapshot();
  auto ht2 = snap->FindTable(Postgres(), "public", "ht");
  ASSERT_TRUE(ht2 && ht2->hypertable);
  const HypertableInfo& h2 = *ht2->hypertable;
  EXPECT_TRUE(h2.compress);
  EXPECT_EQ(h2.segmentby, std::vector<int>{1});
  EXPECT_EQ(h2.orderby, std::vector<int>{0});
  EXPECT_EQ(h2.orderby_desc, std::vector<bool>{true});
  EXPECT_EQ(h2.orderby_nulls_first, std::vector<bool>{false});
  EXPECT_EQ(h2.compression_job_id, 1001);
  EXPECT_EQ(h2.compress_after, 7 * hi.interval);
  EXPECT_EQ(h2.compress_after_text, "7 days");
  EXPECT_EQ(h2.compression_schedule_usec, 43'200'000'000);
  auto c2 = snap->FindTable(Postgres(), "public", "chunk");
  ASSERT_TRUE(c2 && c2->chunk);
  EXPECT_EQ(c2->chunk->compressed_table, 4242u);
  EXPECT_EQ(c2->chunk->before_table_bytes, 1000);
  EXPECT_EQ(c2->chunk->before_index_bytes, 500);
  EXPECT_EQ(c2->chunk->after_table_bytes, 70);
  EXPECT_EQ(c2->chunk->rows_pre, 10);
  EXPECT_EQ(c2->chunk->rows_post, 1);
}

TEST_F(CatalogTest, OrphanedStorageIsDroppedAtOpen) {
  engine_->CreateTable("t99999_s0");
  engine_->CreateTable("i99998_99997_s3");
  engine_->CreateTable("keepme");
  Open();
  EXPECT_THAT(engine_->ListTables(), Not(Contains("t99999_s0")));
  EXPECT_THAT(engine_->ListTables(), Not(Contains("i99998_99997_s3")));
  EXPECT_THAT(engine_->ListTables(), Contains("keepme"));
}

// Keys of sys_catalog that start with `prefix`.
std::vector<std::string> CatalogKeys(Engine* engine, const std::string& prefix) {
  std::vector<std::string> out;
  auto txn = engine->Begin();
  auto c = txn->Scan("sys_catalog");
  while (c->Next()) {
    if (c->key().starts_with(prefix)) out.emplace_back(c->key());
  }
  return out;
}

TEST_F(CatalogTest, DdlInATransactionIsInvisibleToOthersUntilCommit) {
  auto before = catalog_->Snapshot();
  auto txn = catalog_->Begin();
  auto other = catalog_->Begin();
  SchemaInfo s = catalog_->CreateSchema(txn.get(), Postgres(), "s");
  auto t = catalog_->CreateTable(txn.get(), MakeTable(Postgres(), "s", "t"));
  txn->Put(t->ShardTable(0), "k", "v");
  // The transaction sees its changes, in a private view.
  auto mine = txn->Snapshot();
  EXPECT_EQ(mine->FindTable(Postgres(), "s", "t"), t);
  EXPECT_NE(mine->version & CatalogSnapshot::kPrivateVersionBit, 0u);
  EXPECT_EQ(txn->Snapshot(), mine);  // cached while nothing changes
  // Nobody else does.
  EXPECT_EQ(catalog_->Snapshot(), before);
  EXPECT_EQ(other->Snapshot()->FindSchema(Postgres(), "s"), nullptr);
  EXPECT_EQ(other->Snapshot()->FindTable(Postgres(), "s", "t"), nullptr);
  // Another transaction on a different object commits meanwhile: the first rebases onto it.
  auto u = catalog_->CreateTable(other.get(), MakeTable(Postgres(), "public", "u"));
  other->Commit();
  EXPECT_EQ(catalog_->Snapshot()->version, before->version + 1);
  EXPECT_NE(txn->Snapshot()->FindTable(Postgres(), "public", "u"), nullptr);
  EXPECT_NE(txn->Snapshot()->version, mine->version);
  txn->Commit();
  auto after = catalog_->Snapshot();
  EXPECT_EQ(after->version, before->version + 2);
  EXPECT_EQ(after->FindSchema(Postgres(), "s")->oid, s.oid);
  EXPECT_EQ(after->FindTable(Postgres(), "s", "t"), t);
  EXPECT_EQ(after->FindTable(Postgres(), "public", "u"), u);
  auto read = engine_->Begin();
  EXPECT_EQ(read->Get(t->ShardTable(0), "k"), "v");
}

TEST_F(CatalogTest, RollbackLeavesNoTrace) {
  auto base = catalog_->CreateTable(MakeTable(Postgres(), "public", "base"));
  auto keys_before = CatalogKeys(engine_.get(), "");
  auto tables_before = engine_->ListTables();
  auto version = catalog_->Snapshot()->version;
  {
    auto txn = catalog_->Begin();
    catalog_->CreateSchema(txn.get(), Postgres(), "s");
    auto t = catalog_->CreateTable(txn.get(), MakeTable(Postgres(), "s", "t"));
    IndexInfo idx;
    idx.columns = {1};
    catalog_->AddIndex(txn.get(), Postgres(), "public", "base", idx);
    catalog_->TruncateTable(txn.get(), Postgres(), "public", "base");
    catalog_->DropTable(txn.get(), Postgres(), "public", "base");
    EXPECT_GT(engine_->ListTables().size(), tables_before.size());
    txn->Rollback();
  }
  EXPECT_EQ(catalog_->Snapshot()->version, version);
  EXPECT_EQ(catalog_->Snapshot()->FindTable(Postgres(), "public", "base"), base);
  EXPECT_EQ(CatalogKeys(engine_.get(), ""), keys_before);
  auto tables_after = engine_->ListTables();
  std::sort(tables_before.begin(), tables_before.end());
  std::sort(tables_after.begin(), tables_after.end());
  EXPECT_EQ(tables_after, tables_before);
  // Destroying an open transaction rolls it back too.
  {
    auto txn = catalog_->Begin();
    catalog_->CreateTable(txn.get(), MakeTable(Postgres(), "public", "gone"));
  }
  EXPECT_EQ(catalog_->Snapshot()->FindTable(Postgres(), "public", "gone"), nullptr);
  EXPECT_THAT(CatalogKeys(engine_.get(), "name/"), Not(Contains(::testing::HasSubstr("gone"))));
  tables_after = engine_->ListTables();
  std::sort(tables_after.begin(), tables_after.end());
  EXPECT_EQ(tables_after, tables_before);
}

TEST_F(CatalogTest, SameNameInTwoTransactionsNeverCommitsTwice) {
  auto a = catalog_->Begin();
  auto b = catalog_->Begin();
  catalog_->CreateTable(a.get(), MakeTable(Postgres(), "public", "t"));
  // b does not see a's table, but writes the same name row: a storage conflict.
  Error e = ErrorOf([&] { catalog_->CreateTable(b.get(), MakeTable(Postgres(), "public", "t")); });
  EXPECT_EQ(e.state(), SqlState::kSerializationFailure);
  b->Rollback();
  a->Commit();
  EXPECT_NE(catalog_->Snapshot()->FindTable(Postgres(), "public", "t"), nullptr);
  // After the commit, a new transaction sees the name taken.
  auto c = catalog_->Begin();
  EXPECT_EQ(ErrorOf([&] {
              catalog_->CreateTable(c.get(), MakeTable(Postgres(), "public", "t"));
            }).state(),
            SqlState::kDuplicateTable);
}

TEST_F(CatalogTest, CommitFailsWhenAConcurrentDropRemovedTheSchema) {
  catalog_->CreateSchema(Postgres(), "s");
  auto a = catalog_->Begin();
  auto t = catalog_->CreateTable(a.get(), MakeTable(Postgres(), "s", "t"));
  catalog_->DropSchema(Postgres(), "s", false);  // commits: it cannot see a's table
  Error e = ErrorOf([&] { a->Commit(); });
  EXPECT_EQ(e.state(), SqlState::kSerializationFailure);
  EXPECT_EQ(catalog_->Snapshot()->FindTable(Postgres(), "s", "t"), nullptr);
  EXPECT_THAT(engine_->ListTables(), Not(Contains(t->ShardTable(0))));
}

TEST_F(CatalogTest, RollbackToAMarkUndoesLaterChanges) {
  auto txn = catalog_->Begin();
  catalog_->CreateTable(txn.get(), MakeTable(Postgres(), "public", "t1"));
  size_t mark = txn->Mark();
  auto t2 = catalog_->CreateTable(txn.get(), MakeTable(Postgres(), "public", "t2"));
  catalog_->DropTable(txn.get(), Postgres(), "public", "t1");
  EXPECT_EQ(txn->Snapshot()->FindTable(Postgres(), "public", "t1"), nullptr);
  txn->RollbackTo(mark);
  EXPECT_NE(txn->Snapshot()->FindTable(Postgres(), "public", "t1"), nullptr);
  EXPECT_EQ(txn->Snapshot()->FindTable(Postgres(), "public", "t2"), nullptr);
  txn->Commit();
  EXPECT_THAT(engine_->ListTables(), Not(Contains(t2->ShardTable(0))));
  Open();
  auto snap = catalog_->Snapshot();
  EXPECT_NE(snap->FindTable(Postgres(), "public", "t1"), nullptr);
  EXPECT_EQ(snap->FindTable(Postgres(), "public", "t2"), nullptr);
}

TEST_F(CatalogTest, RenameSchemaMovesItsObjectsAndSurvivesReopen) {
  catalog_->CreateSchema(Postgres(), "s");
  auto t = catalog_->CreateTable(MakeTable(Postgres(), "s", "t"));
  TypeDefInfo e;
  e.database_oid = Postgres();
  e.schema = "s";
  e.name = "mood";
  {
    auto txn = catalog_->Begin();
    catalog_->CreateType(txn.get(), e);
    txn->Commit();
  }
  EXPECT_EQ(ErrorOf([&] {
              auto txn = catalog_->Begin();
              catalog_->RenameSchema(txn.get(), Postgres(), "nosuch", "x");
            }).state(),
            SqlState::kInvalidSchemaName);
  EXPECT_EQ(ErrorOf([&] {
              auto txn = catalog_->Begin();
              catalog_->RenameSchema(txn.get(), Postgres(), "s", "public");
            }).state(),
            SqlState::kDuplicateSchema);
  {
    auto txn = catalog_->Begin();
    catalog_->RenameSchema(txn.get(), Postgres(), "s", "s2");
    auto view = txn->Snapshot();
    EXPECT_EQ(view->FindSchema(Postgres(), "s"), nullptr);
    ASSERT_NE(view->FindTable(Postgres(), "s2", "t"), nullptr);
    EXPECT_EQ(view->FindTable(Postgres(), "s2", "t")->oid, t->oid);
    EXPECT_NE(view->FindIndexOwner(Postgres(), "s2", "t_b_key"), nullptr);
    EXPECT_NE(view->FindType(Postgres(), "s2", "mood"), nullptr);
    // Others see the old names until the commit.
    EXPECT_NE(catalog_->Snapshot()->FindTable(Postgres(), "s", "t"), nullptr);
    txn->Commit();
  }
  Open();
  auto snap = catalog_->Snapshot();
  EXPECT_EQ(snap->FindSchema(Postgres(), "s"), nullptr);
  ASSERT_NE(snap->FindTable(Postgres(), "s2", "t"), nullptr);
  EXPECT_EQ(snap->FindTable(Postgres(), "s2", "t")->oid, t->oid);
  EXPECT_NE(snap->FindType(Postgres(), "s2", "mood"), nullptr);
  EXPECT_THAT(engine_->ListTables(), Contains(t->ShardTable(0)));
}

TEST_F(CatalogTest, RollbackToAMarkPutsARenamedSchemaBack) {
  catalog_->CreateSchema(Postgres(), "s");
  auto t = catalog_->CreateTable(MakeTable(Postgres(), "s", "t"));
  auto txn = catalog_->Begin();
  size_t mark = txn->Mark();
  catalog_->RenameSchema(txn.get(), Postgres(), "s", "s2");
  txn->RollbackTo(mark);
  EXPECT_NE(txn->Snapshot()->FindTable(Postgres(), "s", "t"), nullptr);
  EXPECT_EQ(txn->Snapshot()->FindSchema(Postgres(), "s2"), nullptr);
  txn->Commit();
  // The rows as they were at the mark are what is stored.
  Open();
  auto snap = catalog_->Snapshot();
  ASSERT_NE(snap->FindTable(Postgres(), "s", "t"), nullptr);
  EXPECT_EQ(snap->FindTable(Postgres(), "s", "t")->oid, t->oid);
  EXPECT_EQ(snap->FindSchema(Postgres(), "s2"), nullptr);
}

TEST_F(CatalogTest, ReopenAfterCommittedAndUncommittedDdl) {
  auto committed = catalog_->CreateTable(MakeTable(Postgres(), "public", "kept"));
  std::vector<std::string> orphans;
  {
    auto txn = catalog_->Begin();
    auto t = catalog_->CreateTable(txn.get(), MakeTable(Postgres(), "public", "lost"));
    for (uint32_t s = 0; s < t->shard_count; ++s) orphans.push_back(t->ShardTable(s));
    catalog_->DropTable(txn.get(), Postgres(), "public", "kept");
    txn->Rollback();
  }
  // A crash after the storage create and before the rollback's drop leaves the storage behind.
  for (const std::string& n : orphans) engine_->CreateTable(n);
  Open();
  auto snap = catalog_->Snapshot();
  ASSERT_NE(snap->FindTable(Postgres(), "public", "kept"), nullptr);
  EXPECT_EQ(snap->FindTable(Postgres(), "public", "kept")->oid, committed->oid);
  EXPECT_EQ(snap->FindTable(Postgres(), "public", "lost"), nullptr);
  for (const std::string& n : orphans) EXPECT_THAT(engine_->ListTables(), Not(Contains(n)));
  EXPECT_THAT(engine_->ListTables(), Contains(committed->ShardTable(0)));
  // The oids of the rolled-back table are not handed out again.
  auto next = catalog_->CreateTable(MakeTable(Postgres(), "public", "next"));
  EXPECT_GT(next->oid, committed->indexes[0].oid + 2);
}

// kill -9 while a transaction with DDL is open: the next open has the old schema and no
// storage of the uncommitted tables.
TEST(CatalogCrashTest, Kill9WithUncommittedDdlLeavesTheOldSchema) {
  TempDir dir;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    auto engine = OpenOrDie(SmallWtOptions(dir.path()));
    auto catalog = Catalog::Open(engine.get(), 2);
    auto kept = catalog->CreateTable(MakeTable(5, "public", "kept"));
    {
      auto w = engine->Begin();
      w->Put(kept->ShardTable(0), "k", "v");
      w->Commit();
    }
    auto txn = catalog->Begin();
    auto lost = catalog->CreateTable(txn.get(), MakeTable(5, "public", "lost"));
    txn->Put(lost->ShardTable(1), "k", "v");
    catalog->TruncateTable(txn.get(), 5, "public", "kept");
    catalog->DropTable(txn.get(), 5, "public", "kept");
    catalog->CreateSchema(txn.get(), 5, "s");
    engine->Checkpoint();  // the storage tables of the open transaction are on disk
    uint32_t oids[2] = {kept->oid, lost->oid};
    if (::write(fds[1], oids, sizeof(oids)) != sizeof(oids)) ::_exit(1);
    for (;;) ::pause();
  }
  ::close(fds[1]);
  uint32_t oids[2] = {0, 0};
  ssize_t got = ::read(fds[0], oids, sizeof(oids));
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(fds[0]);
  ASSERT_EQ(got, static_cast<ssize_t>(sizeof(oids)));
  auto engine = OpenOrDie(SmallWtOptions(dir.path()));
  auto catalog = Catalog::Open(engine.get(), 2);
  auto snap = catalog->Snapshot();
  auto kept = snap->FindTable(5, "public", "kept");
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->oid, oids[0]);
  EXPECT_EQ(snap->FindTable(5, "public", "lost"), nullptr);
  EXPECT_EQ(snap->FindSchema(5, "s"), nullptr);
  auto r = engine->Begin();
  EXPECT_EQ(r->Get(kept->ShardTable(0), "k"), "v");
  // Only the committed generation of "kept" is left; nothing of "lost" or of the truncate.
  std::vector<std::string> ours;
  for (const std::string& n : engine->ListTables()) {
    if (n.starts_with("t") || n.starts_with("i")) ours.push_back(n);
  }
  std::sort(ours.begin(), ours.end());
  std::vector<std::string> expected;
  for (uint32_t s = 0; s < kept->shard_count; ++s) expected.push_back(kept->ShardTable(s));
  for (uint32_t s = 0; s < kept->shard_count; ++s) {
    expected.push_back(kept->indexes[0].ShardTable(s));
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ours, expected);
  EXPECT_NE(oids[1], 0u);
}

TEST_F(CatalogTest, ConvertsTheSingleDocumentFormat) {
  catalog_.reset();
  {
    auto txn = engine_->Begin();
    auto c = txn->Scan("sys_catalog");
    std::vector<std::string> keys;
    while (c->Next()) keys.emplace_back(c->key());
    c.reset();
    for (const auto& k : keys) txn->Delete("sys_catalog", k);
    txn->Put(
        "sys_catalog", "catalog",
        R"({"format":1,"version":7,"next_oid":20000,)"
        R"("databases":[{"oid":5,"name":"postgres"}],)"
        R"("schemas":[{"oid":2200,"db":5,"name":"public"},{"oid":11,"db":5,"name":"pg_catalog"}],)"
        R"("tables":[{"oid":16384,"db":5,"schema":"public","name":"old","columns":)"
        R"([{"name":"a","type":23,"typmod":-1,"not_null":true}],"primary_key":[0],)"
        R"("indexes":[],"shard_count":1,"is_view":false,"view_sql":"","view_columns":[]}]})");
    txn->Commit();
  }
  engine_->CreateTable("t16384_s0");
  catalog_ = Catalog::Open(engine_.get(), 4);
  auto t = catalog_->Snapshot()->FindTable(5, "public", "old");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->ShardTable(0), "t16384_s0");
  EXPECT_THAT(engine_->ListTables(), Contains("t16384_s0"));
  EXPECT_THAT(CatalogKeys(engine_.get(), "catalog"), ::testing::IsEmpty());
  EXPECT_THAT(CatalogKeys(engine_.get(), "rel/"), Contains("rel/16384"));
  EXPECT_GE(catalog_->CreateSchema(5, "s").oid, 20000u);
  Open();
  EXPECT_NE(catalog_->Snapshot()->FindTable(5, "public", "old"), nullptr);
  EXPECT_NE(catalog_->Snapshot()->FindSchema(5, "s"), nullptr);
}

}  // namespace
}  // namespace activestore::storage
