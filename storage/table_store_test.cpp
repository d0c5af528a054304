// TableStore over both back ends: primary keys, unique and plain indexes, updates that move
// rows, hidden row ids, scans by shard.
#include "storage/table_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "storage/index_evaluator.h"
#include "storage/storage_testing.h"

namespace activestore::storage {
namespace {

using testing::MemoryBackend;
using testing::OpenOrDie;
using testing::TempDir;
using testing::WiredTigerBackend;

Error ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  return Error(SqlState::kSuccessfulCompletion, "no error");
}

Row R(int32_t a, std::optional<std::string> b, std::optional<std::string> c = "c") {
  return {Value::Int32(a), b ? Value::Text(*b) : Value::Null(Type::Of(TypeId::kText)),
          c ? Value::Text(*c) : Value::Null(Type::Of(TypeId::kText))};
}

template <typename Backend>
class TableStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenOrDie(Backend::Options(dir_.path()));
    catalog_ = Catalog::Open(engine_.get(), 8);
  }
  // t(a int primary key, b text unique, c text) with a unique index on (b, c)... as asked.
  std::shared_ptr<const TableInfo> MakeTable(bool primary_key, bool unique_bc = false) {
    TableInfo t;
    t.database_oid = 5;
    t.schema = "public";
    t.name = "t";
    t.columns = {{"a", Type::Of(TypeId::kInt32), primary_key},
                 {"b", Type::Of(TypeId::kText)},
                 {"c", Type::Of(TypeId::kText)}};
    if (primary_key) t.primary_key = {0};
    IndexInfo b;
    b.name = "t_b_key";
    b.columns = {1};
    b.unique = true;
    t.indexes.push_back(b);
    if (unique_bc) {
      IndexInfo bc;
      bc.name = "t_b_c_key";
      bc.columns = {1, 2};
      bc.unique = true;
      t.indexes.push_back(bc);
    }
    return catalog_->CreateTable(t);
  }
  std::vector<StoredRow> All(Transaction* txn, const std::shared_ptr<const TableInfo>& t) {
    std::vector<StoredRow> out;
    for (uint32_t s = 0; s < t->shard_count; ++s) {
      ShardScanner sc(txn, t, s);
      while (sc.NextBatch(&out, 7)) {
      }
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Catalog> catalog_;
};

using Backends = ::testing::Types<WiredTigerBackend, MemoryBackend>;
TYPED_TEST_SUITE(TableStoreTest, Backends);

TYPED_TEST(TableStoreTest, PrimaryKeyInsertLookupAndDuplicates) {
  auto t = this->MakeTable(true);
  auto txn = this->engine_->Begin();
  for (int i = 0; i < 50; ++i) {
    TableStore::Insert(this->catalog_.get(), txn.get(), *t, R(i, "b" + std::to_string(i)));
  }
  auto row = TableStore::LookupByPrimaryKey(txn.get(), *t, {Value::Int64(7)});  // int8 key
  ASSERT_TRUE(row);
  EXPECT_EQ(row->row[1].s, "b7");
  EXPECT_EQ(row->shard, TableStore::ShardOf(*t, row->key));
  EXPECT_FALSE(TableStore::LookupByPrimaryKey(txn.get(), *t, {Value::Int32(99)}));
  Error e = ErrorOf([&] { TableStore::Insert(this->catalog_.get(), txn.get(), *t, R(7, "new")); });
  EXPECT_EQ(e.state(), SqlState::kUniqueViolation);
  EXPECT_EQ(e.message(), "duplicate key value violates unique constraint \"t_pkey\"");
  EXPECT_EQ(e.detail, "Key (a)=(7) already exists.");
  EXPECT_EQ(e.constraint, "t_pkey");
  EXPECT_EQ(e.table, "t");
  e = ErrorOf([&] { TableStore::Insert(this->catalog_.get(), txn.get(), *t, R(100, "b3")); });
  EXPECT_EQ(e.message(), "duplicate key value violates unique constraint \"t_b_key\"");
  EXPECT_EQ(e.detail, "Key (b)=(b3) already exists.");
  e = ErrorOf([&] {
    TableStore::Insert(this->catalog_.get(), txn.get(), *t,
                       {Value::Null(Type::Of(TypeId::kInt32)), Value::Text("z"), Value::Text("y")});
  });
  EXPECT_EQ(e.state(), SqlState::kNotNullViolation);
  EXPECT_EQ(e.detail, "Failing row contains (null, z, y).");
  txn->Commit();

  // Rows are spread over the shards and every one is found by a scan.
  auto r = this->engine_->Begin();
  auto rows = this->All(r.get(), t);
  EXPECT_EQ(rows.size(), 50u);
  std::set<uint32_t> shards;
  for (const auto& sr : rows) shards.insert(sr.shard);
  EXPECT_GT(shards.size(), 4u);
}

TYPED_TEST(TableStoreTest, UniqueIndexAllowsNullsAndReportsMultiColumnKeys) {
  auto t = this->MakeTable(true, true);
  auto txn = this->engine_->Begin();
  TableStore::Insert(this->catalog_.get(), txn.get(), *t, R(1, std::nullopt));
  TableStore::Insert(this->catalog_.get(), txn.get(), *t, R(2, std::nullopt));  // NULLs: fine
  TableStore::Insert(this->catalog_.get(), txn.get(), *t, R(3, "x y", std::nullopt));
  TableStore::Insert(this->catalog_.get(), txn.get(), *t, R(4, "p", "q"));
  Error e =
      ErrorOf([&] { TableStore::Insert(this->catalog_.get(), txn.get(), *t, R(5, "p", "q")); });
  // b alone already collides.
  EXPECT_EQ(e.message(), "duplicate key value violates unique constraint \"t_b_key\"");
  txn->Rollback();

  auto t2 = this->engine_->Begin();
  TableInfo only_bc = *t;
  only_bc.indexes.erase(only_bc.indexes.begin());
  TableStore::Insert(this->catalog_.get(), t2.get(), only_bc, R(1, "x y", "1"));
  e = ErrorOf(
      [&] { TableStore::Insert(this->catalog_.get(), t2.get(), only_bc, R(2, "x y", "1")); });
  EXPECT_EQ(e.message(), "duplicate key value violates unique constraint \"t_b_c_key\"");
  EXPECT_EQ(e.detail, "Key (b, c)=(x y, 1) already exists.");
  auto found = TableStore::LookupByIndex(t2.get(), only_bc, only_bc.indexes[0],
                                         {Value::Text("x y"), Value::Text("1")});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].row[0].i, 1);
  EXPECT_TRUE(TableStore::LookupByIndex(t2.get(), only_bc, only_bc.indexes[0],
                                        {Value::Text("x y"), Value::Null(Type::Of(TypeId::kText))})
                  .empty());
}

TYPED_TEST(TableStoreTest, UpdatesMoveRowsAndKeepIndexesRight) {
  auto t = this->MakeTable(true);
  {
    auto txn = this->engine_->Begin();
    TableStore::Insert(this->catalog_.get(), txn.get(), *t, R(1, "one"));
    TableStore::Insert(this->catalog_.get(), txn.get(), *t, R(2, "two"));
    txn->Commit();
  }
  {
    auto txn = this->engine_->Begin();
    auto old = *TableStore::LookupByPrimaryKey(txn.get(), *t, {Value::Int32(1)});
    TableStore::Update(this->catalog_.get(), txn.get(), *t, old, R(10, "ten"));  // key changes
    EXPECT_FALSE(TableStore::LookupByPrimaryKey(txn.get(), *t, {Value::Int32(1)}));
    auto moved = TableStore::LookupByPrimaryKey(txn.get(), *t, {Value::Int32(10)});
    ASSERT_TRUE(moved);
    EXPECT_EQ(moved->row[1].s, "ten");
    EXPECT_TRUE(
        TableStore::LookupByIndex(txn.get(), *t, t->indexes[0], {Value::Text("one")}).empty());
    auto by_b = TableStore::LookupByIndex(txn.get(), *t, t->indexes[0], {Value::Text("ten")});
    ASSERT_EQ(by_b.size(), 1u);
    EXPECT_EQ(by_b[0].row[0].i, 10);
    // The freed unique value can be reused; same-key update keeps the row in place.
    TableStore::Update(this->catalog_.get(), txn.get(), *t, *moved, R(10, "one"));
    TableStore::Insert(this->catalog_.get(), txn.get(), *t, R(3, "ten"));
    txn->Commit();
  }
  {
    // A violating update throws; rolling back leaves the committed state intact.
    auto txn = this->engine_->Begin();
    auto two = *TableStore::LookupByPrimaryKey(txn.get(), *t, {Value::Int32(2)});
    Error e =
        ErrorOf([&] { TableStore::Update(this->catalog_.get(), txn.get(), *t, two, R(10, "x")); });
    EXPECT_EQ(e.message(), "duplicate key value violates unique constraint \"t_pkey\"");
    EXPECT_EQ(e.detail, "Key (a)=(10) already exists.");
    two = *TableStore::LookupByPrimaryKey(txn.get(), *t, {Value::Int32(2)});
    e = ErrorOf(
        [&] { TableStore::Update(this->catalog_.get(), txn.get(), *t, two, R(20, "one")); });
    EXPECT_EQ(e.message(), "duplicate key value violates unique constraint \"t_b_key\"");
    EXPECT_EQ(e.detail, "Key (b)=(one) already exists.");
    txn->Rollback();
  }
  auto r = this->engine_->Begin();
  auto rows = this->All(r.get(), t);
  std::map<int64_t, std::string> seen;
  for (const auto& sr : rows) seen[sr.row[0].i] = sr.row[1].s;
  EXPECT_EQ(seen, (std::map<int64_t, std::string>{{2, "two"}, {3, "ten"}, {10, "one"}}));
  for (const auto& [a, b] : seen) {
    auto hit = TableStore::LookupByIndex(r.get(), *t, t->indexes[0], {Value::Text(b)});
    ASSERT_EQ(hit.size(), 1u) << b;
    EXPECT_EQ(hit[0].row[0].i, a);
  }
  // Delete removes the index entry too.
  auto two = *TableStore::LookupByPrimaryKey(r.get(), *t, {Value::Int32(2)});
  TableStore::Delete(r.get(), *t, two);
  EXPECT_TRUE(TableStore::LookupByIndex(r.get(), *t, t->indexes[0], {Value::Text("two")}).empty());
  TableStore::Insert(this->catalog_.get(), r.get(), *t, R(2, "two"));
}

TYPED_TEST(TableStoreTest, HiddenRowIdsAndBuildIndex) {
  auto t = this->MakeTable(false);
  auto plain = this->catalog_->AddIndex(5, "public", "t", IndexInfo{0, "t_c", {2}, false});
  auto txn = this->engine_->Begin();
  for (int i = 0; i < 30; ++i) {
    TableStore::Insert(this->catalog_.get(), txn.get(), *plain,
                       R(i % 5, std::nullopt, i % 2 ? "odd" : "even"));
  }
  auto rows = this->All(txn.get(), plain);
  EXPECT_EQ(rows.size(), 30u);
  std::set<std::string> keys;
  for (const auto& r : rows) keys.insert(r.key);
  EXPECT_EQ(keys.size(), 30u);
  EXPECT_EQ(
      TableStore::LookupByIndex(txn.get(), *plain, plain->indexes[1], {Value::Text("odd")}).size(),
      15u);
  // A row id table keeps its key when updated.
  StoredRow first = rows[0];
  TableStore::Update(this->catalog_.get(), txn.get(), *plain, first, R(99, std::nullopt, "odd"));
  EXPECT_EQ(
      TableStore::LookupByIndex(txn.get(), *plain, plain->indexes[1], {Value::Text("odd")}).size(),
      first.row[2].s == "odd" ? 15u : 16u);
  txn->Commit();

  // A unique index over duplicated values cannot be built.
  auto with_a = this->catalog_->AddIndex(5, "public", "t", IndexInfo{0, "t_a", {0}, true});
  auto b = this->engine_->Begin();
  Error e = ErrorOf([&] { TableStore::BuildIndex(b.get(), *with_a, with_a->indexes.back()); });
  EXPECT_EQ(e.state(), SqlState::kUniqueViolation);
  EXPECT_EQ(e.message(), "could not create unique index \"t_a\"");
  EXPECT_THAT(*e.detail, ::testing::MatchesRegex("Key \\(a\\)=\\([0-4]\\) is duplicated\\."));
  b->Rollback();
  // A non-unique one can, and finds the rows.
  auto with_b = this->catalog_->AddIndex(5, "public", "t", IndexInfo{0, "", {0}, false});
  auto c = this->engine_->Begin();
  TableStore::BuildIndex(c.get(), *with_b, with_b->indexes.back());
  EXPECT_EQ(with_b->indexes.back().name, "t_a_idx");
  auto hits =
      TableStore::LookupByIndex(c.get(), *with_b, with_b->indexes.back(), {Value::Int32(3)});
  EXPECT_EQ(hits.size(), 6u);
  for (const auto& h : hits) EXPECT_EQ(h.row[0].i, 3);
}

// A partial unique index on an expression: entries only for rows with a > 0, keyed by b in
// lower case; updates move rows in and out; the definition survives a reopen.
class LowerBWherePositiveA : public IndexEvaluator {
 public:
  bool Includes(const Row& row) const override { return !row[0].is_null && row[0].i > 0; }
  std::vector<Value> Key(const Row& row) const override {
    if (row[1].is_null) return {row[1]};
    std::string s = row[1].s;
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return {Value::Text(s)};
  }
};

TYPED_TEST(TableStoreTest, PartialExpressionIndex) {
  SetIndexCompiler(
      [](const TableInfo&, const IndexInfo&) { return std::make_shared<LowerBWherePositiveA>(); });
  this->MakeTable(false);
  IndexInfo idx;
  idx.name = "t_lower_idx";
  idx.columns = {IndexInfo::kExpressionColumn};
  idx.unique = true;
  idx.expressions = {"lower(b)"};
  idx.expressions_pretty = {"lower(b)"};
  idx.predicate = "(a > 0)";
  idx.predicate_pretty = "a > 0";
  auto t = this->catalog_->AddIndex(5, "public", "t", idx);
  const IndexInfo& index = t->indexes.back();
  ASSERT_NE(index.evaluator, nullptr);
  auto txn = this->engine_->Begin();
  TableStore::Insert(this->catalog_.get(), txn.get(), *t, R(1, "Foo"));
  TableStore::Insert(this->catalog_.get(), txn.get(), *t, R(-1, "FOO"));  // outside: no entry
  Error e = ErrorOf([&] { TableStore::Insert(this->catalog_.get(), txn.get(), *t, R(2, "fOO")); });
  EXPECT_EQ(e.state(), SqlState::kUniqueViolation);
  EXPECT_EQ(*e.detail, "Key (lower(b))=(foo) already exists.");
  EXPECT_EQ(TableStore::LookupByIndex(txn.get(), *t, index, {Value::Text("foo")}).size(), 1u);
  // Moving the indexed row out of the predicate frees the key; moving it back takes it.
  auto rows = this->All(txn.get(), t);
  const StoredRow* in = nullptr;
  for (const auto& r : rows) {
    if (r.row[0].i == 1) in = &r;
  }
  ASSERT_NE(in, nullptr);
  TableStore::Update(this->catalog_.get(), txn.get(), *t, *in, R(0, "Foo"));
  EXPECT_TRUE(TableStore::LookupByIndex(txn.get(), *t, index, {Value::Text("foo")}).empty());
  TableStore::Insert(this->catalog_.get(), txn.get(), *t, R(3, "foo"));
  EXPECT_EQ(TableStore::LookupByIndex(txn.get(), *t, index, {Value::Text("foo")}).size(), 1u);
  txn->Commit();

  this->catalog_.reset();
  this->catalog_ = Catalog::Open(this->engine_.get(), 8);
  auto again = this->catalog_->Snapshot()->FindTable(5, "public", "t");
  ASSERT_NE(again, nullptr);
  const IndexInfo& back = again->indexes.back();
  EXPECT_EQ(back.columns, std::vector<int>{IndexInfo::kExpressionColumn});
  EXPECT_EQ(back.expressions, std::vector<std::string>{"lower(b)"});
  EXPECT_EQ(back.predicate, "(a > 0)");
  EXPECT_EQ(back.predicate_pretty, "a > 0");
  ASSERT_NE(back.evaluator, nullptr);
  EXPECT_FALSE(IndexKeyOf(back, R(-5, "x")).has_value());
  EXPECT_EQ(IndexKeyOf(back, R(5, "X"))->at(0).s, "x");
  SetIndexCompiler(nullptr);
}

TYPED_TEST(TableStoreTest, ScannerReturnsBatches) {
  auto t = this->MakeTable(true);
  auto txn = this->engine_->Begin();
  for (int i = 0; i < 300; ++i) {
    TableStore::Insert(this->catalog_.get(), txn.get(), *t, R(i, std::nullopt));
  }
  size_t total = 0;
  for (uint32_t s = 0; s < t->shard_count; ++s) {
    ShardScanner sc(txn.get(), t, s);
    std::vector<StoredRow> batch;
    std::string last;
    while (sc.NextBatch(&batch, 10)) {
      EXPECT_LE(batch.size(), 10u);
      for (const auto& r : batch) {
        EXPECT_EQ(r.shard, s);
        EXPECT_GT(r.key, last);  // key order within a shard
        last = r.key;
      }
      total += batch.size();
      batch.clear();
    }
    EXPECT_FALSE(sc.NextBatch(&batch, 10));
  }
  EXPECT_EQ(total, 300u);
}

}  // namespace
}  // namespace activestore::storage
