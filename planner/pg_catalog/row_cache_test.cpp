// CachedRows: the rows of a whole scan are made once per catalog snapshot, database and set of
// columns, and a changed catalog (a new snapshot) gets its own.
#include <gtest/gtest.h>

#include "planner/pg_catalog/system_relation.h"

namespace activestore::planner::pg_catalog {
namespace {

std::shared_ptr<storage::CatalogSnapshot> SnapshotWith(const std::vector<std::string>& tables) {
  auto cat = std::make_shared<storage::CatalogSnapshot>();
  cat->databases["postgres"] = {1, "postgres"};
  cat->schemas[{1, "public"}] = {kPublicNamespaceOid, 1, "public"};
  Oid oid = kFirstNormalObjectId;
  for (const std::string& name : tables) {
    auto t = std::make_shared<storage::TableInfo>();
    t->oid = oid++;
    t->database_oid = 1;
    t->schema = "public";
    t->name = name;
    t->columns = {{"a", Type::Of(TypeId::kInt32)}};
    cat->tables[{1, "public", name}] = t;
  }
  return cat;
}

// The user tables' names (t1, t2, ...) in rows of pg_class whose first column is relname.
std::vector<std::string> UserRelnames(const CatalogRows& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) {
    const std::string& name = r.at(0).s;
    if (name.size() == 2 && name[0] == 't') out.push_back(name);
  }
  return out;
}

TEST(RowCacheTest, SharedPerSnapshotAndColumns) {
  const SystemRelation* pg_class = FindSystemRelation("pg_class");
  ASSERT_NE(pg_class, nullptr);
  std::shared_ptr<const storage::CatalogSnapshot> snap = SnapshotWith({"t1", "t2"});
  std::vector<int> slots(pg_class->columns.size(), -1);
  slots[static_cast<size_t>(pg_class->ColumnIndex("relname"))] = 0;
  CatalogReadContext ctx;
  ctx.catalog = snap.get();
  ctx.database_oid = 1;
  ctx.slots = &slots;
  auto first = CachedRows(*pg_class, snap, ctx);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(UserRelnames(*first), (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(CachedRows(*pg_class, snap, ctx), first);  // the same rows, not made again

  // Another set of columns, another database: rows of their own.
  std::vector<int> two = slots;
  two[0] = 1;
  ctx.slots = &two;
  auto wider = CachedRows(*pg_class, snap, ctx);
  EXPECT_NE(wider, first);
  EXPECT_EQ(wider->at(0).size(), 2u);
  ctx.slots = &slots;
  ctx.database_oid = 2;
  EXPECT_TRUE(UserRelnames(*CachedRows(*pg_class, snap, ctx)).empty());
  ctx.database_oid = 1;

  // A changed catalog is a new snapshot: its rows show the change.
  std::shared_ptr<const storage::CatalogSnapshot> next = SnapshotWith({"t1", "t2", "t3"});
  ctx.catalog = next.get();
  EXPECT_EQ(UserRelnames(*CachedRows(*pg_class, next, ctx)),
            (std::vector<std::string>{"t1", "t2", "t3"}));
  ctx.catalog = snap.get();
  EXPECT_EQ(CachedRows(*pg_class, snap, ctx), first);
}

TEST(RowCacheTest, NotForFiltersOrReaderDependentRelations) {
  std::shared_ptr<const storage::CatalogSnapshot> snap = SnapshotWith({"t1"});
  CatalogReadContext ctx;
  ctx.catalog = snap.get();
  ctx.database_oid = 1;
  ctx.name_filter_column = 1;
  ctx.name_filter = [](std::string_view) { return true; };
  EXPECT_EQ(CachedRows(*FindSystemRelation("pg_class"), snap, ctx), nullptr);
  ctx.name_filter = nullptr;
  ctx.name_filter_column = -1;
  // pg_authid's rolpassword depends on the reader.
  EXPECT_EQ(CachedRows(*FindSystemRelation("pg_authid"), snap, ctx), nullptr);
  // A context over another snapshot than the one named.
  auto other = SnapshotWith({"t1"});
  EXPECT_EQ(CachedRows(*FindSystemRelation("pg_class"), other, ctx), nullptr);
}

}  // namespace
}  // namespace activestore::planner::pg_catalog
