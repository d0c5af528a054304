// Planner tests: SQL text -> parser -> PlanStatement against a hand-built catalog snapshot;
// checks plan shapes, types, output names and errors (SQLSTATE, message, position).
#include "planner/planner.h"

#include <gtest/gtest.h>

#include <functional>

#include "parser/parser.h"
#include "planner/bound_expr_util.h"

namespace activestore::planner {
namespace {

using storage::ColumnInfo;
using storage::TableInfo;

Type Ty(TypeId id, int32_t typmod = -1) { return Type{id, typmod}; }

class PlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cat = std::make_shared<storage::CatalogSnapshot>();
    cat->databases["postgres"] = {1, "postgres"};
    cat->schemas[{1, "public"}] = {2, 1, "public"};
    cat->schemas[{1, "s2"}] = {3, 1, "s2"};
    // t1(a int PK, b text, c numeric(10,2))
    Add(cat.get(), "public", "t1",
        {{"a", Ty(TypeId::kInt32), true},
         {"b", Ty(TypeId::kText)},
         {"c", Ty(TypeId::kNumeric, (10 << 16) | 2)}},
        {0});
    // t2(x int, y bigint, z text, a int): no primary key
    Add(cat.get(), "public", "t2",
        {{"x", Ty(TypeId::kInt32)},
         {"y", Ty(TypeId::kInt64)},
         {"z", Ty(TypeId::kText)},
         {"a", Ty(TypeId::kInt32)}},
        {});
    // t3(k1 int, k2 text, v varchar(5) default 'dflt', d date), PK (k1, k2)
    ColumnInfo v{"v", Ty(TypeId::kVarchar, 5)};
    v.default_sql = "'dflt'";
    Add(cat.get(), "public", "t3",
        {{"k1", Ty(TypeId::kInt32), true},
         {"k2", Ty(TypeId::kText), true},
         v,
         {"d", Ty(TypeId::kDate)}},
        {0, 1});
    Add(cat.get(), "s2", "t4", {{"q", Ty(TypeId::kFloat64)}}, {});
    auto view = std::make_shared<TableInfo>();
    view->oid = 200;
    view->database_oid = 1;
    view->schema = "public";
    view->name = "v1";
    view->is_view = true;
    view->view_sql = "SELECT a, b FROM t1 WHERE a > 1";
    view->view_columns = {"va"};
    cat->tables[{1, "public", "v1"}] = view;
    ctx_.catalog = cat;
    ctx_.database = 1;
  }

  void Add(storage::CatalogSnapshot* cat, const std::string& schema, const std::string& name,
           std::vector<ColumnInfo> cols, std::vector<int> pk) {
    auto t = std::make_shared<TableInfo>();
    t->oid = next_oid_++;
    t->database_oid = 1;
    t->schema = schema;
    t->name = name;
    t->columns = std::move(cols);
    t->primary_key = std::move(pk);
    t->shard_count = 4;
    cat->tables[{1, schema, name}] = t;
  }

  PlanPtr Plan(const std::string& sql, std::vector<Type> params = {}) {
    stmts_ = parser::Parse(sql);
    EXPECT_EQ(stmts_.size(), 1u);
    ctx_.param_types = std::move(params);
    return PlanStatement(*stmts_[0], ctx_);
  }

  Error PlanError(const std::string& sql) {
    try {
      Plan(sql);
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "no error for: " << sql;
    return Error(SqlState::kSuccessfulCompletion, "");
  }

  // The SQLSTATE code of the error planning `sql` raises.
  std::string Code(const std::string& sql) {
    return std::string(SqlStateCode(PlanError(sql).state()));
  }

  PlannerContext ctx_;
  std::vector<ast::StatementPtr> stmts_;
  storage::Oid next_oid_ = 100;
};

// Finds all nodes of a kind in a plan (not inside subqueries).
void Collect(const PlanPtr& p, PlanKind kind, std::vector<PlanPtr>* out) {
  if (p->kind == kind) out->push_back(p);
  for (const auto& c : p->children) Collect(c, kind, out);
}
std::vector<PlanPtr> Find(const PlanPtr& p, PlanKind kind) {
  std::vector<PlanPtr> out;
  Collect(p, kind, &out);
  return out;
}

TEST_F(PlannerTest, SelectStarIsGatherOfShardScans) {
  PlanPtr p = Plan("SELECT * FROM t1");
  ASSERT_EQ(p->kind, PlanKind::kProject);
  EXPECT_EQ(p->output_names, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(p->output_types[2], Ty(TypeId::kNumeric, (10 << 16) | 2));
  const PlanPtr& g = p->children[0];
  ASSERT_EQ(g->kind, PlanKind::kGather);
  ASSERT_EQ(g->children.size(), 4u);
  for (uint32_t i = 0; i < 4; ++i) {
    EXPECT_EQ(g->children[i]->kind, PlanKind::kShardScan);
    EXPECT_EQ(g->children[i]->shard, i);
    EXPECT_EQ(g->children[i]->columns, (std::vector<int>{0, 1, 2}));
    EXPECT_EQ(g->children[i]->predicate, nullptr);
  }
}

TEST_F(PlannerTest, PredicatePushedIntoScansOverProjectedColumns) {
  PlanPtr p = Plan("SELECT b FROM t1 WHERE c > 1");
  auto scans = Find(p, PlanKind::kShardScan);
  ASSERT_EQ(scans.size(), 4u);
  EXPECT_EQ(scans[0]->columns, (std::vector<int>{1, 2}));
  const BoundExprPtr& pred = scans[0]->predicate;
  ASSERT_NE(pred, nullptr);
  EXPECT_EQ(pred->kind, BoundExprKind::kCompare);
  EXPECT_EQ(pred->op, ">");
  EXPECT_EQ(pred->children[0]->kind, BoundExprKind::kColumn);
  EXPECT_EQ(pred->children[0]->column_index, 1);  // c is the second projected column
  // The integer literal was converted to numeric at plan time.
  EXPECT_EQ(pred->children[1]->kind, BoundExprKind::kConstant);
  EXPECT_EQ(pred->children[1]->type.id, TypeId::kNumeric);
  ASSERT_EQ(p->kind, PlanKind::kProject);
  EXPECT_EQ(p->exprs[0]->column_index, 0);
}

// A table with a partial index and an expression index: t5(id int, k text, v int) with
// INDEX (id) WHERE (v = 1) and INDEX (lower(k)).
TEST_F(PlannerTest, IndexLookupsThroughPartialAndExpressionIndexes) {
  auto cat = std::make_shared<storage::CatalogSnapshot>(*ctx_.catalog);
  auto t = std::make_shared<TableInfo>();
  t->oid = 300;
  t->database_oid = 1;
  t->schema = "public";
  t->name = "t5";
  t->columns = {{"id", Ty(TypeId::kInt32)}, {"k", Ty(TypeId::kText)}, {"v", Ty(TypeId::kInt32)}};
  t->shard_count = 4;
  storage::IndexInfo partial;
  partial.oid = 301;
  partial.name = "t5_id_idx";
  partial.columns = {0};
  partial.predicate = "(v = 1)";
  storage::IndexInfo lower;
  lower.oid = 302;
  lower.name = "t5_lower_idx";
  lower.columns = {storage::IndexInfo::kExpressionColumn};
  lower.expressions = {"lower(k)"};
  t->indexes = {partial, lower};
  cat->tables[{1, "public", "t5"}] = t;
  ctx_.catalog = cat;
  auto lookup = [&](const std::string& sql) -> uint32_t {
    PlanPtr p = Plan(sql);
    while (p->kind != PlanKind::kIndexLookup && !p->children.empty()) p = p->children[0];
    return p->kind == PlanKind::kIndexLookup ? p->index_oid : 0;
  };
  EXPECT_EQ(lookup("SELECT * FROM t5 WHERE v = 1 AND id = 10"), 301u);
  EXPECT_EQ(lookup("SELECT * FROM t5 WHERE id = 10 AND 1 = v"), 301u);
  EXPECT_EQ(lookup("SELECT * FROM t5 WHERE id = 10"), 0u);  // predicate not implied
  EXPECT_EQ(lookup("SELECT * FROM t5 WHERE v = 2 AND id = 10"), 0u);
  EXPECT_EQ(lookup("SELECT * FROM t5 WHERE lower(k) = 'x'"), 302u);
  EXPECT_EQ(lookup("SELECT * FROM t5 WHERE upper(k) = 'x'"), 0u);
  EXPECT_EQ(lookup("DELETE FROM t5 WHERE lower(k) = $1"), 302u);
}

// kIndexScan: an equated key prefix, then a range on the next element; PostgreSQL's default
// selectivities decide (a two-sided range or an equality: the index; a one-sided range: a scan).
TEST_F(PlannerTest, IndexScanRanges) {
  auto cat = std::make_shared<storage::CatalogSnapshot>(*ctx_.catalog);
  auto t = std::make_shared<TableInfo>(*cat->tables[{1, "public", "t2"}]);
  storage::IndexInfo xy;
  xy.oid = 310;
  xy.name = "t2_x_y_idx";
  xy.columns = {0, 1};
  storage::IndexInfo lower;
  lower.oid = 311;
  lower.name = "t2_lower_idx";
  lower.columns = {storage::IndexInfo::kExpressionColumn};
  lower.expressions = {"lower(z)"};
  t->indexes = {xy, lower};
  cat->tables[{1, "public", "t2"}] = t;
  ctx_.catalog = cat;
  auto scan_of = [&](const std::string& sql, std::vector<Type> params = {}) -> PlanPtr {
    PlanPtr p = Plan(sql, std::move(params));
    auto scans = Find(p, PlanKind::kIndexScan);
    return scans.empty() ? nullptr : scans[0];
  };

  PlanPtr s = scan_of("SELECT b FROM t1 WHERE a BETWEEN 10 AND 20");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->index_oid, 0u);  // the primary key
  EXPECT_TRUE(s->key_exprs.empty());
  ASSERT_NE(s->range_lower, nullptr);
  ASSERT_NE(s->range_upper, nullptr);
  EXPECT_EQ(s->range_lower->value.i, 10);
  EXPECT_EQ(s->range_upper->value.i, 20);
  EXPECT_TRUE(s->range_lower_inclusive);
  EXPECT_TRUE(s->range_upper_inclusive);
  ASSERT_NE(s->predicate, nullptr);  // every conjunct re-checked
  EXPECT_EQ(s->columns, (std::vector<int>{0, 1}));

  s = scan_of("SELECT * FROM t1 WHERE 20 > a AND a > 10");
  ASSERT_NE(s, nullptr);
  EXPECT_FALSE(s->range_lower_inclusive);
  EXPECT_FALSE(s->range_upper_inclusive);
  EXPECT_EQ(s->range_lower->value.i, 10);
  EXPECT_EQ(s->range_upper->value.i, 20);

  // One-sided ranges are not selective; OR is no range; equality keeps its lookup.
  EXPECT_EQ(scan_of("SELECT * FROM t1 WHERE a > 10"), nullptr);
  EXPECT_EQ(scan_of("SELECT * FROM t1 WHERE a < 10 OR a > 20"), nullptr);
  EXPECT_EQ(scan_of("SELECT * FROM t1 WHERE a = 10 AND a < 20"), nullptr);
  // numeric keys are not ordered.
  EXPECT_EQ(scan_of("SELECT * FROM t1 WHERE c > 1 AND c < 2"), nullptr);

  // A widened key column: int4 against numeric and float8.
  s = scan_of("SELECT * FROM t1 WHERE a > 2.5 AND a < 7.5");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->range_lower->type.id, TypeId::kNumeric);
  s = scan_of("SELECT * FROM t1 WHERE a >= 2.5::float8 AND a <= 7");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->range_lower->type.id, TypeId::kFloat64);

  // Parameters, typed from the key column.
  s = scan_of("SELECT * FROM t1 WHERE a >= $1 AND a < $2");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->range_lower->kind, BoundExprKind::kParam);
  ASSERT_EQ(ctx_.param_types.size(), 2u);
  EXPECT_EQ(ctx_.param_types[1].id, TypeId::kInt32);

  // Composite primary key: equality on k1, range on k2 (text), or k1 alone.
  s = scan_of("SELECT * FROM t3 WHERE k1 = 3 AND k2 >= 'b' AND k2 < 'c'");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->key_exprs.size(), 1u);
  EXPECT_EQ(s->key_types.size(), 2u);
  EXPECT_NE(s->range_lower, nullptr);
  s = scan_of("SELECT * FROM t3 WHERE k1 = 3 AND k2 > 'b'");  // an equality: selective
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->range_upper, nullptr);
  EXPECT_EQ(scan_of("SELECT * FROM t3 WHERE k2 >= 'b' AND k2 < 'c'"), nullptr);  // not leading

  // A secondary index: its leading column, then the next after an equality.
  s = scan_of("SELECT z FROM t2 WHERE x BETWEEN 1 AND 5");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->index_oid, 310u);
  s = scan_of("SELECT z FROM t2 WHERE x = 1 AND y > 5 AND y <= 10");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->key_exprs.size(), 1u);
  EXPECT_EQ(s->key_types[1].id, TypeId::kInt64);
  EXPECT_EQ(scan_of("SELECT z FROM t2 WHERE y > 5 AND y <= 10"), nullptr);
  // Expression indexes are not range-scanned.
  EXPECT_EQ(scan_of("SELECT z FROM t2 WHERE lower(z) > 'a' AND lower(z) < 'b'"), nullptr);
  // UPDATE and DELETE find their rows through it too (with row locations).
  s = scan_of("DELETE FROM t1 WHERE a BETWEEN $1 AND $2");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->emit_row_location);
}

// ORDER BY ... LIMIT through an index (index_scan_planner.h, OrderedSortInput): the Sort goes,
// the index is read forwards for ASC NULLS LAST and backwards for DESC NULLS FIRST; anything
// else keeps the Sort.
TEST_F(PlannerTest, IndexOrderForLimit) {
  auto cat = std::make_shared<storage::CatalogSnapshot>(*ctx_.catalog);
  auto t = std::make_shared<TableInfo>(*cat->tables[{1, "public", "t2"}]);
  storage::IndexInfo xy;
  xy.oid = 310;
  xy.name = "t2_x_y_idx";
  xy.columns = {0, 1};
  storage::IndexInfo z;
  z.oid = 312;
  z.name = "t2_z_key";
  z.columns = {2};
  z.unique = true;
  t->indexes = {xy, z};
  cat->tables[{1, "public", "t2"}] = t;
  ctx_.catalog = cat;
  auto scan_of = [&](const std::string& sql, std::vector<Type> params = {}) -> PlanPtr {
    PlanPtr p = Plan(sql, std::move(params));
    auto scans = Find(p, PlanKind::kIndexScan);
    return scans.empty() ? nullptr : scans[0];
  };
  auto sorts = [&](const std::string& sql) { return Find(Plan(sql), PlanKind::kSort).size(); };

  // Limit -> Project -> Index Scan Backward on the primary key.
  PlanPtr p = Plan("SELECT b FROM t1 ORDER BY a DESC LIMIT 10");
  ASSERT_EQ(p->kind, PlanKind::kProject);  // the hidden sort column dropped
  ASSERT_EQ(p->children[0]->kind, PlanKind::kLimit);
  ASSERT_EQ(p->children[0]->children[0]->kind, PlanKind::kProject);
  PlanPtr s = p->children[0]->children[0]->children[0];
  ASSERT_EQ(s->kind, PlanKind::kIndexScan);
  EXPECT_EQ(s->index_oid, 0u);
  EXPECT_TRUE(s->scan_backward);
  EXPECT_FALSE(s->range_not_null);
  EXPECT_TRUE(s->key_exprs.empty());
  EXPECT_EQ(s->range_lower, nullptr);
  EXPECT_EQ(s->columns, (std::vector<int>{0, 1}));
  EXPECT_TRUE(Find(p, PlanKind::kSort).empty());
  s = scan_of("SELECT a, b FROM t1 ORDER BY a LIMIT 10 OFFSET 5");
  ASSERT_NE(s, nullptr);
  EXPECT_FALSE(s->scan_backward);
  s = scan_of("SELECT a FROM t1 ORDER BY 1 DESC LIMIT $1", {Ty(TypeId::kInt64)});
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->scan_backward);
  // Other NULLS placements, no LIMIT (a whole scan and sort), DISTINCT, numeric keys: a Sort.
  EXPECT_EQ(sorts("SELECT a FROM t1 ORDER BY a DESC NULLS LAST LIMIT 10"), 1u);
  EXPECT_EQ(sorts("SELECT a FROM t1 ORDER BY a NULLS FIRST LIMIT 10"), 1u);
  EXPECT_EQ(sorts("SELECT a FROM t1 ORDER BY a LIMIT NULL"), 1u);
  EXPECT_EQ(sorts("SELECT a FROM t1 ORDER BY a DESC"), 1u);
  EXPECT_EQ(sorts("SELECT DISTINCT a FROM t1 ORDER BY a LIMIT 3"), 1u);
  EXPECT_EQ(sorts("SELECT a FROM t1 ORDER BY a + 0 LIMIT 3"), 1u);
  EXPECT_EQ(sorts("SELECT a FROM t1 ORDER BY -a LIMIT 3"), 1u);
  // Without a LIMIT, an index range scan already chosen is read in the wanted direction.
  s = scan_of("SELECT b FROM t1 WHERE a BETWEEN 1 AND 100 ORDER BY a DESC");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->scan_backward);
  EXPECT_NE(s->range_lower, nullptr);
  EXPECT_EQ(sorts("SELECT b FROM t1 WHERE a BETWEEN 1 AND 100 ORDER BY a DESC"), 0u);
  EXPECT_EQ(sorts("SELECT b FROM t1 WHERE a BETWEEN 1 AND 100 ORDER BY b"), 1u);

  // A secondary index: its leading columns, or the next after an equality; one direction.
  s = scan_of("SELECT z FROM t2 WHERE x = 3 ORDER BY y DESC LIMIT 5");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->index_oid, 310u);
  EXPECT_EQ(s->key_exprs.size(), 1u);
  EXPECT_TRUE(s->scan_backward);
  s = scan_of("SELECT * FROM t2 WHERE x = $1 ORDER BY x, y LIMIT 5", {Ty(TypeId::kInt32)});
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->key_exprs.size(), 1u);
  s = scan_of("SELECT * FROM t2 ORDER BY x, y LIMIT 5");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->key_exprs.empty());
  s = scan_of("SELECT * FROM t2 ORDER BY x DESC LIMIT 5");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->scan_backward);
  s = scan_of("SELECT * FROM t2 WHERE x > 1 AND x < 9 ORDER BY x DESC, y DESC LIMIT 5");
  ASSERT_NE(s, nullptr);
  EXPECT_NE(s->range_upper, nullptr);
  EXPECT_EQ(sorts("SELECT * FROM t2 ORDER BY x DESC, y LIMIT 5"), 1u);      // mixed
  EXPECT_EQ(sorts("SELECT * FROM t2 ORDER BY y LIMIT 5"), 1u);              // not leading
  EXPECT_EQ(sorts("SELECT * FROM t2 ORDER BY x, y, z LIMIT 5"), 1u);        // past the index
  EXPECT_EQ(sorts("SELECT * FROM t2 WHERE x > 1 ORDER BY y LIMIT 5"), 1u);  // x not equated
  // A non-unique index's entries end with the primary key: equated, it orders by the key.
  {
    auto t1 = std::make_shared<TableInfo>(*cat->tables[{1, "public", "t1"}]);
    storage::IndexInfo b;
    b.oid = 313;
    b.name = "t1_b_idx";
    b.columns = {1};
    t1->indexes = {b};
    cat->tables[{1, "public", "t1"}] = t1;
  }
  s = scan_of("SELECT a FROM t1 WHERE b = 'x' ORDER BY a DESC LIMIT 3");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->index_oid, 313u);
  EXPECT_EQ(s->key_exprs.size(), 1u);
  EXPECT_TRUE(s->scan_backward);
  s = scan_of("SELECT a FROM t1 WHERE b = 'x' AND a > 5 ORDER BY b, a LIMIT 3");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->index_oid, 313u);
  EXPECT_NE(s->range_lower, nullptr);
  EXPECT_EQ(sorts("SELECT a FROM t1 WHERE b = 'x' ORDER BY c LIMIT 3"), 1u);
  // A unique index has no entries for NULL keys: only when the column is compared.
  EXPECT_EQ(sorts("SELECT z FROM t2 ORDER BY z LIMIT 3"), 1u);
  s = scan_of("SELECT z FROM t2 WHERE z > 'a' ORDER BY z LIMIT 3");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->index_oid, 312u);
  // Composite primary key.
  s = scan_of("SELECT * FROM t3 WHERE k1 = 1 ORDER BY k2 DESC LIMIT 3");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->index_oid, 0u);
  EXPECT_EQ(s->key_exprs.size(), 1u);
  EXPECT_TRUE(s->scan_backward);
  s = scan_of("SELECT * FROM t3 WHERE k1 = 1 ORDER BY k1 DESC, k2 DESC LIMIT 3");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->scan_backward);
  // FOR UPDATE: the rows carry their locations to the LockRows.
  s = scan_of("SELECT * FROM t1 ORDER BY a DESC LIMIT 1 FOR UPDATE");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->emit_row_location);
  // In a subquery too.
  s = scan_of("SELECT * FROM (SELECT a FROM t1 ORDER BY a DESC LIMIT 3) s ORDER BY a");
  ASSERT_NE(s, nullptr);

  // min/max: an Aggregate over LIMIT 1 of the ordered read, NULLs left out.
  p = Plan("SELECT max(a) FROM t1");
  auto aggs = Find(p, PlanKind::kAggregate);
  ASSERT_EQ(aggs.size(), 1u);
  ASSERT_EQ(aggs[0]->children[0]->kind, PlanKind::kLimit);
  s = aggs[0]->children[0]->children[0];
  ASSERT_EQ(s->kind, PlanKind::kIndexScan);
  EXPECT_TRUE(s->scan_backward);
  EXPECT_TRUE(s->range_not_null);
  s = scan_of("SELECT min(y) FROM t2 WHERE x = 4");
  ASSERT_NE(s, nullptr);
  EXPECT_FALSE(s->scan_backward);
  EXPECT_TRUE(s->range_not_null);
  EXPECT_EQ(s->key_exprs.size(), 1u);
  s = scan_of("SELECT min(z) FROM t2");  // the unique index: NULL keys are not wanted anyway
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->index_oid, 312u);
  EXPECT_EQ(scan_of("SELECT max(a), min(a) FROM t1"), nullptr);
  EXPECT_EQ(scan_of("SELECT max(a) FROM t1 GROUP BY b"), nullptr);
  EXPECT_EQ(scan_of("SELECT max(c) FROM t1"), nullptr);
  EXPECT_EQ(scan_of("SELECT max(a) FILTER (WHERE b = 'x') FROM t1"), nullptr);
  EXPECT_EQ(scan_of("SELECT max(a + 1) FROM t1"), nullptr);
  EXPECT_EQ(scan_of("SELECT max(y) FROM t2"), nullptr);  // no index leads with y
}

// A hypertable's ORDER BY time LIMIT: the chunks in time order (ChunkAppend), each through its
// time index, a compressed one sorted alone.
TEST_F(PlannerTest, ChunkAppendForTimeOrder) {
  auto cat = std::make_shared<storage::CatalogSnapshot>(*ctx_.catalog);
  auto make = [&](const std::string& name, storage::Oid oid) {
    auto t = std::make_shared<TableInfo>();
    t->oid = oid;
    t->database_oid = 1;
    t->schema = "public";
    t->name = name;
    t->columns = {{"ts", Ty(TypeId::kTimestampTz), true},
                  {"dev", Ty(TypeId::kInt32)},
                  {"v", Ty(TypeId::kFloat64)}};
    t->shard_count = 4;
    return t;
  };
  auto ht = make("ht", 400);
  ht->hypertable.emplace();
  ht->hypertable->id = 1;
  ht->hypertable->time_column = 0;
  ht->hypertable->interval = 86'400'000'000;
  cat->tables[{1, "public", "ht"}] = ht;
  std::vector<storage::Oid> index_of_chunk;
  for (int i = 0; i < 3; ++i) {
    auto c = make("_hyper_1_" + std::to_string(i + 1) + "_chunk", 401 + i);
    c->parents = {400};
    c->chunk.emplace();
    c->chunk->hypertable = 400;
    c->chunk->id = i + 1;
    c->chunk->range_start = int64_t{86'400'000'000} * i;
    c->chunk->range_end = int64_t{86'400'000'000} * (i + 1);
    if (i == 1) c->chunk->compressed_table = 999;
    storage::IndexInfo ts;
    ts.oid = 500 + 2 * i;
    ts.name = c->name + "_ht_ts_idx";
    ts.columns = {0};
    ts.options = {storage::IndexInfo::kDescending | storage::IndexInfo::kNullsFirst};
    storage::IndexInfo dev_ts;
    dev_ts.oid = 501 + 2 * i;
    dev_ts.name = c->name + "_ht_dev_ts_idx";
    dev_ts.columns = {1, 0};
    c->indexes = {ts, dev_ts};
    cat->tables[{1, "public", c->name}] = c;
  }
  ctx_.catalog = cat;

  PlanPtr p = Plan("SELECT * FROM ht ORDER BY ts DESC LIMIT 10");
  EXPECT_TRUE(Find(p, PlanKind::kSort).size() == 1u);  // the compressed chunk's only
  auto appends = Find(p, PlanKind::kAppend);
  ASSERT_EQ(appends.size(), 1u);
  PlanPtr a = appends[0];
  EXPECT_EQ(a->chunk_append_of, "ht");
  ASSERT_EQ(a->children.size(), 3u);
  ASSERT_EQ(a->children[0]->kind, PlanKind::kIndexScan);
  EXPECT_EQ(a->children[0]->table->oid, 403u);  // the newest chunk first
  EXPECT_EQ(a->children[0]->index_oid, 504u);
  EXPECT_TRUE(a->children[0]->scan_backward);
  ASSERT_EQ(a->children[1]->kind, PlanKind::kSort);  // compressed: sorted alone
  EXPECT_EQ(a->children[1]->children[0]->kind, PlanKind::kGather);
  ASSERT_EQ(a->children[2]->kind, PlanKind::kIndexScan);
  EXPECT_EQ(a->children[2]->table->oid, 401u);

  p = Plan("SELECT v FROM ht WHERE dev = 5 ORDER BY ts DESC LIMIT 10");
  a = Find(p, PlanKind::kAppend).at(0);
  ASSERT_EQ(a->children.size(), 3u);
  ASSERT_EQ(a->children[0]->kind, PlanKind::kIndexScan);
  EXPECT_EQ(a->children[0]->index_oid, 505u);  // (dev, ts)
  EXPECT_EQ(a->children[0]->key_exprs.size(), 1u);

  p = Plan("SELECT ts FROM ht ORDER BY ts LIMIT 1");
  a = Find(p, PlanKind::kAppend).at(0);
  EXPECT_EQ(a->children[0]->table->oid, 401u);  // the oldest first
  EXPECT_FALSE(a->children[0]->scan_backward);

  // Chunk pruning keeps working below it.
  p = Plan("SELECT ts FROM ht WHERE ts < '2000-01-02 12:00:00+00' ORDER BY ts DESC LIMIT 1");
  a = Find(p, PlanKind::kAppend).at(0);
  EXPECT_EQ(a->children.size(), 2u);

  // Not the time column first, or no LIMIT: a Sort over the Append.
  p = Plan("SELECT * FROM ht ORDER BY dev LIMIT 10");
  ASSERT_EQ(Find(p, PlanKind::kSort).size(), 1u);
  EXPECT_TRUE(Find(p, PlanKind::kAppend).at(0)->chunk_append_of.empty());
  p = Plan("SELECT * FROM ht ORDER BY ts DESC");
  EXPECT_TRUE(Find(p, PlanKind::kAppend).at(0)->chunk_append_of.empty());

  // max(ts): a LIMIT 1 over the ChunkAppend.
  p = Plan("SELECT max(ts) FROM ht");
  auto aggs = Find(p, PlanKind::kAggregate);
  ASSERT_EQ(aggs.size(), 1u);
  ASSERT_EQ(aggs[0]->children[0]->kind, PlanKind::kLimit);
  EXPECT_EQ(aggs[0]->children[0]->children[0]->chunk_append_of, "ht");
}

TEST_F(PlannerTest, PrimaryKeyLookup) {
  PlanPtr p = Plan("SELECT b FROM t1 WHERE a = 5");
  ASSERT_EQ(p->children[0]->kind, PlanKind::kPrimaryKeyLookup);
  PlanPtr l = p->children[0];
  ASSERT_EQ(l->key_exprs.size(), 1u);
  EXPECT_EQ(l->key_exprs[0]->value.i, 5);
  EXPECT_EQ(l->predicate, nullptr);

  p = Plan("SELECT b FROM t1 WHERE 7 = a AND b = 'x'");
  l = p->children[0];
  ASSERT_EQ(l->kind, PlanKind::kPrimaryKeyLookup);
  EXPECT_EQ(l->key_exprs[0]->value.i, 7);
  ASSERT_NE(l->predicate, nullptr);
  EXPECT_EQ(l->predicate->children[1]->type.id, TypeId::kText);

  p = Plan("SELECT * FROM t1 WHERE a = $1");
  EXPECT_EQ(p->children[0]->kind, PlanKind::kPrimaryKeyLookup);
  EXPECT_EQ(p->children[0]->key_exprs[0]->kind, BoundExprKind::kParam);
  ASSERT_EQ(ctx_.param_types.size(), 1u);
  EXPECT_EQ(ctx_.param_types[0].id, TypeId::kInt32);

  // Composite key: both columns needed.
  EXPECT_EQ(Plan("SELECT * FROM t3 WHERE k1 = 1 AND k2 = 'a'")->children[0]->kind,
            PlanKind::kPrimaryKeyLookup);
  // A prefix of it: a range read of the key (IndexScanRanges).
  EXPECT_EQ(Plan("SELECT * FROM t3 WHERE k1 = 1")->children[0]->kind, PlanKind::kIndexScan);
  // Out of the key type's range: no lookup key; a range of the key (empty at run time), no error.
  EXPECT_EQ(Plan("SELECT * FROM t1 WHERE a = 3000000000")->children[0]->kind, PlanKind::kIndexScan);
  // OR is not a key lookup.
  EXPECT_EQ(Plan("SELECT * FROM t1 WHERE a = 1 OR a = 2")->children[0]->kind, PlanKind::kGather);
}

TEST_F(PlannerTest, HashJoinsForCommaJoins) {
  PlanPtr p = Plan("SELECT b, z FROM t1, t2 WHERE t1.a = x AND c > 0");
  auto joins = Find(p, PlanKind::kHashJoin);
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0]->left_keys.size(), 1u);
  EXPECT_EQ(joins[0]->predicate, nullptr);
  EXPECT_TRUE(Find(p, PlanKind::kNestedLoopJoin).empty());
  // c > 0 went into t1's scans.
  auto scans = Find(p, PlanKind::kShardScan);
  ASSERT_EQ(scans.size(), 8u);
  EXPECT_NE(scans[0]->predicate, nullptr);
  EXPECT_EQ(scans[4]->predicate, nullptr);

  // Three tables chained by equalities: two hash joins, whatever the FROM order.
  p = Plan("SELECT * FROM t1, t3, t2 WHERE t1.a = x AND x = k1");
  EXPECT_EQ(Find(p, PlanKind::kHashJoin).size(), 2u);
  EXPECT_TRUE(Find(p, PlanKind::kNestedLoopJoin).empty());
  EXPECT_EQ(p->output_names.size(), 11u);
  EXPECT_EQ(p->output_names[3], "k1");  // FROM order is kept in the output

  p = Plan("SELECT * FROM t1 JOIN t2 ON t1.a = t2.x AND t1.b <> t2.z");
  joins = Find(p, PlanKind::kHashJoin);
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_NE(joins[0]->predicate, nullptr);

  p = Plan("SELECT * FROM t1 CROSS JOIN t2");
  EXPECT_EQ(Find(p, PlanKind::kNestedLoopJoin).size(), 1u);
}

TEST_F(PlannerTest, OuterJoinsAndUsing) {
  PlanPtr p = Plan("SELECT * FROM t1 LEFT JOIN t2 ON t1.a = t2.x WHERE t1.b = 'q'");
  auto joins = Find(p, PlanKind::kHashJoin);
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0]->join_type, JoinType::kLeft);
  // The WHERE on the preserved side is pushed below the join.
  EXPECT_NE(Find(joins[0]->children[0], PlanKind::kShardScan)[0]->predicate, nullptr);

  p = Plan("SELECT * FROM t1 JOIN t2 USING (a)");
  EXPECT_EQ(p->output_names, (std::vector<std::string>{"a", "b", "c", "x", "y", "z"}));
  p = Plan("SELECT a FROM t1 NATURAL FULL JOIN t2");
  EXPECT_EQ(p->exprs[0]->kind, BoundExprKind::kCoalesce);
  EXPECT_EQ(Find(p, PlanKind::kHashJoin)[0]->join_type, JoinType::kFull);
}

// Joins nested without parentheses: each ON sees only the two sides of its own join.
TEST_F(PlannerTest, NestedJoinsScopeTheirConditions) {
  PlanPtr p = Plan("SELECT * FROM t1 LEFT JOIN t2 JOIN t3 ON t2.x = t3.k1 ON t1.a = t2.a");
  auto joins = Find(p, PlanKind::kHashJoin);
  ASSERT_EQ(joins.size(), 2u);
  EXPECT_EQ(joins[0]->join_type, JoinType::kLeft);
  EXPECT_EQ(joins[1]->join_type, JoinType::kInner);  // t2 JOIN t3, the left join's right side
  EXPECT_EQ(p->output_names.size(), 11u);
  p = Plan("SELECT * FROM t2 JOIN t1 JOIN t2 AS u USING (a) USING (a)");
  EXPECT_EQ(Find(p, PlanKind::kHashJoin).size(), 2u);
  EXPECT_EQ(p->output_names,
            (std::vector<std::string>{"a", "x", "y", "z", "b", "c", "x", "y", "z"}));
  Error e = PlanError("SELECT 1 FROM t1 JOIN t2 JOIN t3 ON t1.a = t3.k1 ON true");
  EXPECT_EQ(e.state(), SqlState::kUndefinedTable);
  EXPECT_EQ(e.message(), "invalid reference to FROM-clause entry for table \"t1\"");
  e = PlanError("SELECT 1 FROM t1 JOIN t2 JOIN t3 ON c = k1 ON true");
  EXPECT_EQ(e.state(), SqlState::kUndefinedColumn);
  EXPECT_EQ(e.hint,
            "There is a column named \"c\" in table \"t1\", but it cannot be referenced from "
            "this part of the query.");
}

// TABLESAMPLE: every shard scan of the table carries the sample, and no key lookup skips it.
TEST_F(PlannerTest, TableSample) {
  PlanPtr p = Plan("SELECT b FROM t1 TABLESAMPLE BERNOULLI (10) REPEATABLE (1) WHERE a = 5");
  auto scans = Find(p, PlanKind::kShardScan);
  ASSERT_EQ(scans.size(), 4u);
  EXPECT_TRUE(Find(p, PlanKind::kPrimaryKeyLookup).empty());
  for (const PlanPtr& s : scans) {
    ASSERT_NE(s->sample, nullptr);
    EXPECT_EQ(s->sample->method, SampleMethod::kBernoulli);
    EXPECT_EQ(s->sample->percent->type.id, TypeId::kFloat32);
    ASSERT_NE(s->sample->seed, nullptr);
    EXPECT_EQ(s->sample->seed->type.id, TypeId::kFloat64);
    EXPECT_NE(s->predicate, nullptr);
  }
  p = Plan("SELECT * FROM t1 x TABLESAMPLE pg_catalog.system ($1), t2");
  scans = Find(p, PlanKind::kShardScan);
  ASSERT_EQ(scans.size(), 8u);
  EXPECT_EQ(scans[0]->sample->method, SampleMethod::kSystem);
  EXPECT_EQ(scans[0]->sample->seed, nullptr);
  EXPECT_EQ(scans[0]->sample->percent->type.id, TypeId::kFloat32);
  EXPECT_EQ(scans[4]->sample, nullptr);
  ASSERT_EQ(ctx_.param_types.size(), 1u);
  EXPECT_EQ(ctx_.param_types[0].id, TypeId::kFloat32);

  Error e = PlanError("SELECT * FROM t1 TABLESAMPLE foo (1)");
  EXPECT_EQ(e.state(), SqlState::kUndefinedObject);
  EXPECT_EQ(e.message(), "tablesample method foo does not exist");
  EXPECT_EQ(e.position, 30);
  EXPECT_EQ(PlanError("SELECT * FROM t1 TABLESAMPLE s2.bernoulli (1)").message(),
            "tablesample method s2.bernoulli does not exist");
  e = PlanError("SELECT * FROM t1 TABLESAMPLE system (1, 2)");
  EXPECT_EQ(e.state(), SqlState::kInvalidTablesampleArgument);
  EXPECT_EQ(e.message(), "tablesample method system requires 1 argument, not 2");
  e = PlanError("SELECT * FROM t1 TABLESAMPLE system ('1'::text)");
  EXPECT_EQ(e.state(), SqlState::kDatatypeMismatch);
  EXPECT_EQ(e.message(), "argument of TABLESAMPLE must be type real, not type text");
  EXPECT_EQ(PlanError("SELECT * FROM t1 TABLESAMPLE system (1) REPEATABLE (now())").message(),
            "argument of REPEATABLE must be type double precision, not type timestamp with time "
            "zone");
  e = PlanError("SELECT * FROM t1 TABLESAMPLE system (a)");
  EXPECT_EQ(e.state(), SqlState::kUndefinedColumn);
  EXPECT_EQ(e.hint,
            "There is a column named \"a\" in table \"t1\", but it cannot be referenced from "
            "this part of the query.");
  EXPECT_EQ(Code("SELECT * FROM t2, t1 TABLESAMPLE system (t2.x)"), "42P01");
  e = PlanError("SELECT * FROM v1 TABLESAMPLE system (1)");
  EXPECT_EQ(e.state(), SqlState::kFeatureNotSupported);
  EXPECT_EQ(e.message(), "TABLESAMPLE clause can only be applied to tables and materialized views");
  EXPECT_EQ(Code("WITH w AS (SELECT 1) SELECT * FROM w TABLESAMPLE system (1)"), "0A000");
  EXPECT_EQ(Code("SELECT (SELECT count(*) FROM t2 TABLESAMPLE system (t1.a)) FROM t1"), "0A000");
  // A catalog relation: a sampling Filter right over its rows (no scan key below it).
  p = Plan("SELECT relname FROM pg_class TABLESAMPLE BERNOULLI (5) WHERE oid = 1259");
  auto filters = Find(p, PlanKind::kFilter);
  ASSERT_FALSE(filters.empty());
  const PlanPtr& sampled = filters.back();
  ASSERT_NE(sampled->sample, nullptr);
  ASSERT_EQ(sampled->children.size(), 1u);
  EXPECT_EQ(sampled->children[0]->kind, PlanKind::kSystemView);
  EXPECT_EQ(sampled->children[0]->scan_key_value, nullptr);
}

TEST_F(PlannerTest, LiteralAndResultTypes) {
  auto type_of = [&](const std::string& sql) { return Plan(sql)->output_types[0]; };
  EXPECT_EQ(type_of("SELECT 1").id, TypeId::kInt32);
  EXPECT_EQ(type_of("SELECT 2147483648").id, TypeId::kInt64);
  EXPECT_EQ(type_of("SELECT -2147483648").id, TypeId::kInt32);
  EXPECT_EQ(type_of("SELECT 9223372036854775808").id, TypeId::kNumeric);
  EXPECT_EQ(type_of("SELECT 1.5e3").id, TypeId::kNumeric);
  EXPECT_EQ(type_of("SELECT 1 + 2.5").id, TypeId::kNumeric);
  EXPECT_EQ(type_of("SELECT 'x'").id, TypeId::kText);
  EXPECT_EQ(type_of("SELECT NULL").id, TypeId::kText);
  EXPECT_EQ(type_of("SELECT t1.a + y FROM t1, t2").id, TypeId::kInt64);
  EXPECT_EQ(type_of("SELECT sum(a) FROM t1").id, TypeId::kInt64);
  EXPECT_EQ(type_of("SELECT sum(y) FROM t2").id, TypeId::kNumeric);
  EXPECT_EQ(type_of("SELECT avg(a) FROM t1").id, TypeId::kNumeric);
  EXPECT_EQ(type_of("SELECT avg(q) FROM s2.t4").id, TypeId::kFloat64);
  EXPECT_EQ(type_of("SELECT count(*) FROM t1").id, TypeId::kInt64);
  EXPECT_EQ(type_of("SELECT max(b) FROM t1").id, TypeId::kText);
  EXPECT_EQ(type_of("SELECT 2 ^ 3").id, TypeId::kFloat64);
  EXPECT_EQ(type_of("SELECT round(2)").id, TypeId::kFloat64);  // preferred type float8
  EXPECT_EQ(type_of("SELECT round(2.5)").id, TypeId::kNumeric);
  EXPECT_EQ(type_of("SELECT round(c, 1) FROM t1").id, TypeId::kNumeric);
  EXPECT_EQ(type_of("SELECT mod(t1.a, y) FROM t1, t2").id, TypeId::kInt64);
  EXPECT_EQ(type_of("SELECT length(b) FROM t1").id, TypeId::kInt32);
  EXPECT_EQ(type_of("SELECT b || 1 FROM t1").id, TypeId::kText);
  EXPECT_EQ(type_of("SELECT CASE WHEN true THEN 1 ELSE 2.5 END").id, TypeId::kNumeric);
  EXPECT_EQ(type_of("SELECT COALESCE(y, t1.a) FROM t1, t2").id, TypeId::kInt64);
  EXPECT_EQ(type_of("SELECT DATE '2024-01-02'").id, TypeId::kDate);
  EXPECT_EQ(type_of("SELECT now()").id, TypeId::kTimestampTz);
  EXPECT_EQ(type_of("SELECT CAST(a AS varchar(3)) FROM t1"), Ty(TypeId::kVarchar, 3));
  EXPECT_EQ(type_of("SELECT '1'::numeric(5,1)"), Ty(TypeId::kNumeric, (5 << 16) | 1));
  // Constant folding of casts and arithmetic.
  PlanPtr p = Plan("SELECT 1 + 2");
  ASSERT_EQ(p->kind, PlanKind::kResult);
  ASSERT_EQ(p->exprs[0]->kind, BoundExprKind::kConstant);
  EXPECT_EQ(p->exprs[0]->value.i, 3);
  // A failing constant expression is left for execution.
  p = Plan("SELECT 1 / 0");
  EXPECT_EQ(p->exprs[0]->kind, BoundExprKind::kArith);
}

TEST_F(PlannerTest, OutputNames) {
  PlanPtr p = Plan(
      "SELECT a, a AS alias, count(*), sum(a), a::text, 1::int, '1'::int, CASE WHEN true THEN 1 "
      "END, COALESCE(a, 1), a + 1, (SELECT x FROM t2 LIMIT 1), EXISTS (SELECT 1), max(c) "
      "FROM t1 GROUP BY a");
  EXPECT_EQ(p->output_names,
            (std::vector<std::string>{"a", "alias", "count", "sum", "a", "int4", "int4", "case",
                                      "coalesce", "?column?", "x", "exists", "max"}));
}

TEST_F(PlannerTest, NameResolutionErrors) {
  Error e = PlanError("SELECT * FROM nosuch");
  EXPECT_EQ(e.state(), SqlState::kUndefinedTable);
  EXPECT_EQ(e.message(), "relation \"nosuch\" does not exist");
  EXPECT_EQ(e.position, 15);
  e = PlanError("SELECT x FROM t1");
  EXPECT_EQ(e.state(), SqlState::kUndefinedColumn);
  EXPECT_EQ(e.message(), "column \"x\" does not exist");
  EXPECT_EQ(e.position, 8);
  e = PlanError("SELECT t1.x FROM t1");
  EXPECT_EQ(e.message(), "column t1.x does not exist");
  e = PlanError("SELECT a FROM t1, t2");
  EXPECT_EQ(e.state(), SqlState::kAmbiguousColumn);
  EXPECT_EQ(e.message(), "column reference \"a\" is ambiguous");
  e = PlanError("SELECT zz.a FROM t1");
  EXPECT_EQ(e.state(), SqlState::kUndefinedTable);
  EXPECT_EQ(e.message(), "missing FROM-clause entry for table \"zz\"");
  EXPECT_EQ(Code("SELECT * FROM t1 x, t2 x"), "42712");
  EXPECT_EQ(Code("SELECT * FROM t4"), "42P01");  // not on the search_path
  EXPECT_EQ(Plan("SELECT q FROM s2.t4")->output_types[0].id, TypeId::kFloat64);
  EXPECT_EQ(Plan("SELECT public.t1.a FROM t1")->output_names[0], "a");
  EXPECT_EQ(Plan("SELECT x.a FROM t1 x")->output_names[0], "a");
  EXPECT_EQ(Code("SELECT t1.a FROM t1 x"), "42P01");
  e = PlanError("SELECT t1.a FROM t1 x");
  EXPECT_EQ(e.message(), "invalid reference to FROM-clause entry for table \"t1\"");
  EXPECT_EQ(e.hint, "Perhaps you meant to reference the table alias \"x\".");
  e = PlanError("SELECT * FROM t1 WHERE t1.a IN (SELECT t2.x FROM t2 WHERE nope = 1)");
  EXPECT_EQ(e.message(), "column \"nope\" does not exist");
}

TEST_F(PlannerTest, TypeErrors) {
  Error e = PlanError("SELECT 1 WHERE 1");
  EXPECT_EQ(e.state(), SqlState::kDatatypeMismatch);
  EXPECT_EQ(e.message(), "argument of WHERE must be type boolean, not type integer");
  EXPECT_EQ(e.position, 16);
  e = PlanError("SELECT 1 WHERE 1 AND true");
  EXPECT_EQ(e.message(), "argument of AND must be type boolean, not type integer");
  e = PlanError("SELECT CASE WHEN true THEN 1 ELSE 'x'::text END");
  EXPECT_EQ(e.message(), "CASE types text and integer cannot be matched");
  e = PlanError("SELECT * FROM t1 WHERE a = 'x'");
  EXPECT_EQ(e.state(), SqlState::kInvalidTextRepresentation);
  EXPECT_EQ(e.position, 28);
  e = PlanError("SELECT 1 + 'x'::text");
  EXPECT_EQ(e.state(), SqlState::kUndefinedFunction);
  EXPECT_EQ(e.message(), "operator does not exist: integer + text");
  e = PlanError("SELECT foo(1)");
  EXPECT_EQ(e.message(), "function foo(integer) does not exist");
  EXPECT_TRUE(e.hint.has_value());
  EXPECT_EQ(PlanError("SELECT lower(1)").message(), "function lower(integer) does not exist");
  EXPECT_EQ(PlanError("SELECT b FROM t1 WHERE b IN (1, 2)").message(),
            "operator does not exist: text = integer");
  EXPECT_EQ(Code("SELECT 1 || 1"), "42883");
  EXPECT_EQ(Code("SELECT 'a'::int"), "22P02");
  EXPECT_EQ(Code("SELECT d::int FROM t3"), "42846");
  EXPECT_EQ(Code("SELECT (SELECT 1, 2)"), "42601");
  EXPECT_EQ(Code("SELECT sum('1')"), "42725");
  EXPECT_EQ(Code("SELECT CAST(1 AS nosuchtype)"), "42704");
  EXPECT_EQ(Code("SELECT CAST(1 AS int[])"), "42846");  // cannot cast type integer to integer[]
  EXPECT_EQ(Code("SELECT CAST(1 AS void[])"), "42704");
  EXPECT_EQ(Code("SELECT count(DISTINCT a) OVER () FROM t1"), "0A000");
}

TEST_F(PlannerTest, GroupingRules) {
  Error e = PlanError("SELECT y FROM t2 GROUP BY x");
  EXPECT_EQ(e.state(), SqlState::kGroupingError);
  EXPECT_EQ(e.message(),
            "column \"t2.y\" must appear in the GROUP BY clause or be used in an aggregate "
            "function");
  e = PlanError("SELECT z FROM t2 GROUP BY x");
  EXPECT_EQ(e.message(),
            "column \"t2.z\" must appear in the GROUP BY clause or be used in an aggregate "
            "function");
  e = PlanError("SELECT a FROM t1 WHERE count(*) > 1");
  EXPECT_EQ(e.message(), "aggregate functions are not allowed in WHERE");
  EXPECT_EQ(e.position, 24);
  EXPECT_EQ(PlanError("SELECT sum(sum(a)) FROM t1").message(),
            "aggregate function calls cannot be nested");
  EXPECT_EQ(PlanError("SELECT a FROM t1 GROUP BY 3").message(),
            "GROUP BY position 3 is not in select list");
  // Functional dependency on the primary key.
  PlanPtr p = Plan("SELECT b, count(*) FROM t1 GROUP BY a");
  auto aggs = Find(p, PlanKind::kAggregate);
  ASSERT_EQ(aggs.size(), 1u);
  EXPECT_EQ(aggs[0]->group_exprs.size(), 2u);
  // GROUP BY ordinal, alias and expression.
  p = Plan("SELECT x + 1 AS k, sum(y) FROM t2 GROUP BY 1");
  EXPECT_EQ(Find(p, PlanKind::kAggregate)[0]->group_exprs[0]->kind, BoundExprKind::kArith);
  p = Plan("SELECT x + 1 AS k, sum(y) FROM t2 GROUP BY k HAVING sum(y) > 2");
  EXPECT_EQ(Find(p, PlanKind::kFilter).size(), 1u);
  p = Plan("SELECT x + 1, count(DISTINCT z) FILTER (WHERE y > 0) FROM t2 GROUP BY x + 1");
  PlanPtr agg = Find(p, PlanKind::kAggregate)[0];
  ASSERT_EQ(agg->aggregates.size(), 1u);
  EXPECT_TRUE(agg->aggregates[0].distinct);
  EXPECT_EQ(agg->aggregates[0].kind, AggKind::kCount);
  EXPECT_NE(agg->aggregates[0].filter, nullptr);
  // No GROUP BY: one row aggregate, the project reads aggregate slot 0.
  p = Plan("SELECT count(*) + 1 FROM t1");
  EXPECT_EQ(p->exprs[0]->children[0]->column_index, 0);
  EXPECT_EQ(Code("SELECT count(*) FILTER (WHERE a) FROM t1"), "42804");
}

TEST_F(PlannerTest, OrderByDistinctLimit) {
  PlanPtr p = Plan("SELECT b FROM t1 ORDER BY c DESC");
  // Hidden sort column projected away on top.
  ASSERT_EQ(p->kind, PlanKind::kProject);
  EXPECT_EQ(p->output_types.size(), 1u);
  const PlanPtr& sort = p->children[0];
  ASSERT_EQ(sort->kind, PlanKind::kSort);
  EXPECT_TRUE(sort->sort_keys[0].descending);
  EXPECT_TRUE(sort->sort_keys[0].nulls_first);
  EXPECT_EQ(sort->sort_keys[0].expr->column_index, 1);

  p = Plan("SELECT a AS k, b FROM t1 ORDER BY k, 2 NULLS FIRST LIMIT 10 OFFSET $1");
  ASSERT_EQ(p->kind, PlanKind::kLimit);
  EXPECT_EQ(p->limit->type.id, TypeId::kInt64);
  EXPECT_EQ(ctx_.param_types[0].id, TypeId::kInt64);
  const auto& keys = p->children[0]->sort_keys;
  EXPECT_EQ(keys[0].expr->column_index, 0);
  EXPECT_FALSE(keys[0].nulls_first);
  EXPECT_EQ(keys[1].expr->column_index, 1);
  EXPECT_TRUE(keys[1].nulls_first);

  EXPECT_EQ(PlanError("SELECT a FROM t1 ORDER BY 5").message(),
            "ORDER BY position 5 is not in select list");
  EXPECT_EQ(PlanError("SELECT DISTINCT a FROM t1 ORDER BY b").message(),
            "for SELECT DISTINCT, ORDER BY expressions must appear in select list");
  p = Plan("SELECT DISTINCT a, b FROM t1 ORDER BY b");
  EXPECT_EQ(p->kind, PlanKind::kSort);
  EXPECT_EQ(p->children[0]->kind, PlanKind::kDistinct);
  p = Plan("SELECT x + 1 FROM t2 ORDER BY x + 1");
  EXPECT_EQ(p->kind, PlanKind::kSort);  // matches the target: no hidden column
}

TEST_F(PlannerTest, SetOperationsAndValues) {
  PlanPtr p = Plan("SELECT 1 UNION SELECT NULL");
  ASSERT_EQ(p->kind, PlanKind::kSetOp);
  EXPECT_EQ(p->output_types[0].id, TypeId::kInt32);
  EXPECT_EQ(p->children[1]->output_types[0].id, TypeId::kInt32);
  p = Plan("SELECT a FROM t1 UNION ALL SELECT y FROM t2 ORDER BY 1 LIMIT 3");
  ASSERT_EQ(p->kind, PlanKind::kLimit);
  const PlanPtr& setop = p->children[0]->children[0];
  EXPECT_TRUE(setop->set_all);
  EXPECT_EQ(setop->output_types[0].id, TypeId::kInt64);
  EXPECT_EQ(setop->children[0]->output_types[0].id, TypeId::kInt64);
  EXPECT_EQ(Plan("SELECT 'a' UNION SELECT 'b'")->output_types[0].id, TypeId::kText);
  Error e = PlanError("SELECT 1 UNION SELECT 1, 2");
  EXPECT_EQ(e.message(), "each UNION query must have the same number of columns");
  EXPECT_EQ(Code("SELECT 1 UNION SELECT 'a'"), "22P02");
  EXPECT_EQ(Code("SELECT a FROM t1 UNION SELECT a FROM t2 ORDER BY a + 1"), "0A000");
  EXPECT_EQ(Plan("SELECT a FROM t1 INTERSECT SELECT x FROM t2")->set_op, SetOpKind::kIntersect);

  p = Plan("VALUES (1, 'a'), (2.5, NULL)");
  ASSERT_EQ(p->kind, PlanKind::kValues);
  EXPECT_EQ(p->output_names, (std::vector<std::string>{"column1", "column2"}));
  EXPECT_EQ(p->output_types[0].id, TypeId::kNumeric);
  EXPECT_EQ(p->output_types[1].id, TypeId::kText);
  EXPECT_EQ(p->values_rows[0][0]->type.id, TypeId::kNumeric);
  p = Plan("SELECT v.n FROM (VALUES (1), (2)) AS v(n) WHERE v.n > 1");
  EXPECT_EQ(p->output_types[0].id, TypeId::kInt32);
  EXPECT_EQ(Code("SELECT * FROM (SELECT 1) x(a, b)"), "42P10");
}

TEST_F(PlannerTest, SubqueriesAndCorrelation) {
  // EXISTS / NOT EXISTS linked by an equality: a hash semi / anti join (bind_sublink.cpp) that
  // emits only the query's side, t2's condition pushed into t2's scans.
  PlanPtr p = Plan("SELECT b FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.x = t1.a AND y > 0)");
  auto joins = Find(p, PlanKind::kHashJoin);
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0]->join_type, JoinType::kSemi);
  EXPECT_EQ(joins[0]->output_types.size(), joins[0]->children[0]->output_types.size());
  EXPECT_EQ(joins[0]->predicate, nullptr);
  EXPECT_NE(Find(joins[0]->children[1], PlanKind::kShardScan)[0]->predicate, nullptr);
  p = Plan("SELECT b FROM t1 WHERE NOT EXISTS (SELECT 1 FROM t2 WHERE t2.x = t1.a AND t1.a > 0)");
  joins = Find(p, PlanKind::kHashJoin);
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0]->join_type, JoinType::kAnti);
  EXPECT_NE(joins[0]->predicate, nullptr);  // t1.a > 0 decides a match, not t1's rows

  // Without an equality it stays a subquery run per row, pushed into t1's scans; there the
  // row is (a, b).
  p = Plan("SELECT b FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.x > t1.a)");
  auto scans = Find(p, PlanKind::kShardScan);
  ASSERT_EQ(scans.size(), 4u);
  EXPECT_EQ(scans[0]->columns, (std::vector<int>{0, 1}));
  const BoundExprPtr& ex = scans[0]->predicate;
  ASSERT_EQ(ex->kind, BoundExprKind::kExists);
  EXPECT_TRUE(ex->correlated);
  // Inside: t2's scans compare x (column 0 of t2's projection) with the outer a (index 0).
  auto inner = Find(ex->subquery, PlanKind::kShardScan);
  ASSERT_FALSE(inner.empty());
  const BoundExprPtr& cmp = inner[0]->predicate;
  ASSERT_EQ(cmp->kind, BoundExprKind::kCompare);
  EXPECT_EQ(cmp->children[1]->kind, BoundExprKind::kOuterColumn);
  EXPECT_EQ(cmp->children[1]->outer_depth, 1);
  EXPECT_EQ(cmp->children[1]->column_index, 0);

  // Outer reference to the second column of the outer scan.
  p = Plan("SELECT a FROM t1 WHERE c > (SELECT max(y) FROM t2 WHERE t2.z = t1.b)");
  scans = Find(p, PlanKind::kShardScan);
  EXPECT_EQ(scans[0]->columns, (std::vector<int>{0, 1, 2}));
  const BoundExprPtr& sub = scans[0]->predicate->children[1]->kind == BoundExprKind::kSubquery
                                ? scans[0]->predicate->children[1]
                                : scans[0]->predicate->children[1]->children[0];
  ASSERT_EQ(sub->kind, BoundExprKind::kSubquery);
  auto inner_scans = Find(sub->subquery, PlanKind::kShardScan);
  EXPECT_EQ(inner_scans[0]->predicate->children[1]->column_index, 1);

  p = Plan("SELECT a FROM t1 WHERE a IN (SELECT y FROM t2)");
  const BoundExprPtr& in = Find(p, PlanKind::kShardScan)[0]->predicate;
  ASSERT_EQ(in->kind, BoundExprKind::kInSubquery);
  EXPECT_FALSE(in->correlated);
  EXPECT_EQ(in->op, "=");
  p = Plan("SELECT a FROM t1 WHERE a < ALL (SELECT x FROM t2)");
  EXPECT_TRUE(Find(p, PlanKind::kShardScan)[0]->predicate->sublink_all);

  // A CTE used twice runs once: two CTE scans share one query; one used once is folded in.
  p = Plan("WITH w AS (SELECT x FROM t2 WHERE x > 0) SELECT count(*) FROM w, w AS w2");
  EXPECT_EQ(Find(p, PlanKind::kGather).size(), 0u);
  ASSERT_EQ(Find(p, PlanKind::kCteScan).size(), 2u);
  EXPECT_EQ(Find(p, PlanKind::kCteScan)[0]->cte_plan, Find(p, PlanKind::kCteScan)[1]->cte_plan);
  p = Plan("WITH w AS (SELECT x FROM t2 WHERE x > 0) SELECT count(*) FROM w");
  EXPECT_EQ(Find(p, PlanKind::kCteScan).size(), 0u);
  EXPECT_EQ(Find(p, PlanKind::kGather).size(), 1u);
  p = Plan("WITH RECURSIVE r AS (SELECT 1 UNION ALL SELECT 1 FROM r) SELECT * FROM r");
  ASSERT_EQ(Find(p, PlanKind::kCteScan).size(), 1u);
  EXPECT_EQ(Find(p, PlanKind::kCteScan)[0]->cte_plan->kind, PlanKind::kRecursiveUnion);
  EXPECT_EQ(Plan("WITH RECURSIVE r AS (SELECT 1 AS n) SELECT n FROM r")->output_names[0], "n");

  // A correlated subquery after GROUP BY refers to the grouped column's slot.
  p = Plan("SELECT a, (SELECT count(*) FROM t2 WHERE t2.x = t1.a) FROM t1 GROUP BY a");
  ASSERT_EQ(p->kind, PlanKind::kProject);
  EXPECT_EQ(p->children[0]->kind, PlanKind::kAggregate);
  EXPECT_EQ(PlanError("SELECT (SELECT t1.b FROM t2) FROM t1 GROUP BY c").message(),
            "subquery uses ungrouped column \"t1.b\" from outer query");
}

TEST_F(PlannerTest, WindowFunctionsRunInOneWindowAggPerWindow) {
  // Two functions over one window share a WindowAgg and its Sort; a window whose order the rows
  // already have needs no second Sort.
  PlanPtr p = Plan(
      "SELECT a, rank() OVER w, sum(a) OVER w, row_number() OVER (PARTITION BY b) "
      "FROM t1 WINDOW w AS (PARTITION BY b ORDER BY a)");
  auto aggs = Find(p, PlanKind::kWindowAgg);
  ASSERT_EQ(aggs.size(), 2u);
  EXPECT_EQ(Find(p, PlanKind::kSort).size(), 1u);
  EXPECT_EQ(aggs[0]->window->funcs.size() + aggs[1]->window->funcs.size(), 3u);
  // Over grouped rows: the WindowAgg is above the Aggregate.
  p = Plan("SELECT b, sum(sum(a)) OVER (ORDER BY b) FROM t1 GROUP BY b");
  aggs = Find(p, PlanKind::kWindowAgg);
  ASSERT_EQ(aggs.size(), 1u);
  EXPECT_EQ(aggs[0]->children[0]->kind, PlanKind::kSort);
  EXPECT_EQ(aggs[0]->children[0]->children[0]->kind, PlanKind::kAggregate);
  EXPECT_EQ(PlanError("SELECT a FROM t1 WHERE rank() OVER () > 1").message(),
            "window functions are not allowed in WHERE");
}

TEST_F(PlannerTest, Views) {
  PlanPtr p = Plan("SELECT va, b FROM v1 WHERE b = 'x'");
  EXPECT_EQ(p->output_names, (std::vector<std::string>{"va", "b"}));
  auto scans = Find(p, PlanKind::kShardScan);
  ASSERT_EQ(scans.size(), 4u);
  EXPECT_NE(scans[0]->predicate, nullptr);  // the view's own WHERE
  EXPECT_EQ(Find(p, PlanKind::kFilter).size(), 1u);
}

TEST_F(PlannerTest, Insert) {
  PlanPtr p = Plan("INSERT INTO t1 VALUES (1, 'x', 2.5), (2, NULL, 3)");
  ASSERT_EQ(p->kind, PlanKind::kInsert);
  EXPECT_TRUE(p->output_types.empty());
  const PlanPtr& v = p->children[0];
  ASSERT_EQ(v->kind, PlanKind::kValues);
  ASSERT_EQ(v->values_rows.size(), 2u);
  EXPECT_EQ(v->values_rows[0][2]->type, Ty(TypeId::kNumeric, (10 << 16) | 2));
  EXPECT_EQ(v->values_rows[1][1]->type.id, TypeId::kText);
  EXPECT_TRUE(v->values_rows[1][1]->value.is_null);

  p = Plan("INSERT INTO t3 (k2, k1) VALUES ('a', 1) RETURNING *, k1 + 1 AS next");
  const auto& row = p->children[0]->values_rows[0];
  EXPECT_EQ(row[0]->value.i, 1);
  EXPECT_EQ(row[1]->value.s, "a");
  EXPECT_EQ(row[2]->value.s, "dflt");  // DEFAULT 'dflt'
  EXPECT_TRUE(row[3]->value.is_null);
  EXPECT_EQ(p->output_names, (std::vector<std::string>{"k1", "k2", "v", "d", "next"}));
  p = Plan("INSERT INTO t3 VALUES (1, 'a', DEFAULT, '2024-01-02') ON CONFLICT DO NOTHING");
  EXPECT_TRUE(p->on_conflict_do_nothing);
  EXPECT_EQ(p->children[0]->values_rows[0][3]->type.id, TypeId::kDate);

  // INSERT ... SELECT: a projection in table order with assignment casts and defaults.
  p = Plan("INSERT INTO t3 (k1, k2) SELECT y, z FROM t2");
  const PlanPtr& proj = p->children[0];
  ASSERT_EQ(proj->kind, PlanKind::kProject);
  ASSERT_EQ(proj->exprs.size(), 4u);
  EXPECT_EQ(proj->output_types[0].id, TypeId::kInt32);
  EXPECT_EQ(proj->exprs[2]->value.s, "dflt");
  p = Plan("INSERT INTO t2 (x) SELECT '1'");
  EXPECT_EQ(p->children[0]->output_types[0].id, TypeId::kInt32);
  // varchar(5) assignment: a cast with assignment semantics.
  p = Plan("INSERT INTO t3 (k1, k2, v) SELECT x, z, z FROM t2");
  auto casts = Find(p, PlanKind::kProject);
  bool found_assignment = false;
  for (const auto& node : casts)
    for (const auto& e : node->exprs)
      if (e->kind == BoundExprKind::kCast && e->assignment_cast) found_assignment = true;
  EXPECT_TRUE(found_assignment);

  EXPECT_EQ(PlanError("INSERT INTO t1 VALUES (1, 'x', 1, 4)").message(),
            "INSERT has more expressions than target columns");
  EXPECT_EQ(PlanError("INSERT INTO t1 (a, b) VALUES (1)").message(),
            "INSERT has more target columns than expressions");
  EXPECT_EQ(PlanError("INSERT INTO t1 (zz) VALUES (1)").message(),
            "column \"zz\" of relation \"t1\" does not exist");
  EXPECT_EQ(Code("INSERT INTO t1 (a, a) VALUES (1, 1)"), "42701");
  Error e = PlanError("INSERT INTO t2 (x) VALUES ('1'::text)");
  EXPECT_EQ(e.message(), "column \"x\" is of type integer but expression is of type text");
  EXPECT_EQ(Code("INSERT INTO t3 (k1, v) VALUES (1, 'toolong')"), "22001");
  auto up = Plan("INSERT INTO t1 VALUES (1) ON CONFLICT (a) DO UPDATE SET b = excluded.b");
  EXPECT_TRUE(up->on_conflict_do_update);
  EXPECT_TRUE(up->conflict_on_primary_key);
  ASSERT_EQ(up->assignments.size(), 1u);
  EXPECT_EQ(Code("INSERT INTO t1 VALUES (1) ON CONFLICT (b) DO UPDATE SET b = 'x'"), "42P10");
}

TEST_F(PlannerTest, UpdateAndDelete) {
  PlanPtr p = Plan("UPDATE t1 SET b = 'y', c = c + 1 WHERE a = 1 RETURNING a");
  ASSERT_EQ(p->kind, PlanKind::kUpdate);
  const PlanPtr& lookup = p->children[0];
  ASSERT_EQ(lookup->kind, PlanKind::kPrimaryKeyLookup);
  EXPECT_TRUE(lookup->emit_row_location);
  EXPECT_EQ(lookup->columns, (std::vector<int>{0, 1, 2}));
  ASSERT_EQ(p->assignments.size(), 2u);
  EXPECT_EQ(p->assignments[0].first, 1);
  EXPECT_EQ(p->assignments[0].second->value.s, "y");
  EXPECT_EQ(p->assignments[1].first, 2);
  EXPECT_EQ(p->assignments[1].second->type, Ty(TypeId::kNumeric, (10 << 16) | 2));
  EXPECT_EQ(p->output_names, (std::vector<std::string>{"a"}));

  p = Plan("UPDATE t3 SET v = DEFAULT WHERE d IS NULL");
  auto scans = Find(p, PlanKind::kShardScan);
  ASSERT_EQ(scans.size(), 4u);
  EXPECT_TRUE(scans[0]->emit_row_location);
  EXPECT_EQ(p->assignments[0].second->value.s, "dflt");
  EXPECT_EQ(PlanError("UPDATE t1 SET zz = 1").message(),
            "column \"zz\" of relation \"t1\" does not exist");
  EXPECT_EQ(PlanError("UPDATE t1 SET a = 1, a = 2").message(),
            "multiple assignments to same column \"a\"");
  // UPDATE ... FROM: the target joined first, with its row locations and all its columns; an
  // assignment reads the FROM item's column after the target's.
  p = Plan("UPDATE t1 SET b = t2.z FROM t2 WHERE t2.x = t1.a RETURNING t2.y");
  ASSERT_EQ(p->kind, PlanKind::kUpdate);
  auto joins = Find(p, PlanKind::kHashJoin);
  ASSERT_EQ(joins.size(), 1u);
  auto target = Find(joins[0]->children[0], PlanKind::kShardScan);
  ASSERT_EQ(target.size(), 4u);
  EXPECT_EQ(target[0]->table->name, "t1");
  EXPECT_TRUE(target[0]->emit_row_location);
  EXPECT_EQ(target[0]->columns, (std::vector<int>{0, 1, 2}));
  ASSERT_EQ(p->assignments.size(), 1u);
  EXPECT_EQ(p->assignments[0].second->kind, BoundExprKind::kColumn);
  EXPECT_GE(p->assignments[0].second->column_index, 3);
  EXPECT_EQ(p->output_types, (std::vector<Type>{Ty(TypeId::kInt64)}));
  EXPECT_EQ(Code("UPDATE t1 SET b = 'x' FROM t1"), "42712");
  EXPECT_EQ(Code("UPDATE t1 SET b = 'x' FROM t2 WHERE a = 1"), "42702");

  p = Plan("DELETE FROM t2 WHERE x = 1 RETURNING *");
  ASSERT_EQ(p->kind, PlanKind::kDelete);
  scans = Find(p, PlanKind::kShardScan);
  ASSERT_EQ(scans.size(), 4u);
  EXPECT_TRUE(scans[0]->emit_row_location);
  EXPECT_NE(scans[0]->predicate, nullptr);
  EXPECT_EQ(p->output_types.size(), 4u);
  EXPECT_EQ(Plan("DELETE FROM t1 WHERE a = $1")->children[0]->kind, PlanKind::kPrimaryKeyLookup);
}

TEST_F(PlannerTest, Parameters) {
  PlanPtr p = Plan("SELECT $1");
  EXPECT_EQ(p->output_types[0].id, TypeId::kText);
  EXPECT_EQ(ctx_.param_types[0].id, TypeId::kText);
  p = Plan("SELECT $1 + 1, $2 IS NULL");
  EXPECT_EQ(ctx_.param_types[0].id, TypeId::kInt32);
  EXPECT_EQ(ctx_.param_types[1].id, TypeId::kText);
  p = Plan("SELECT * FROM t2 WHERE y = $1", {Ty(TypeId::kInt32)});
  EXPECT_EQ(ctx_.param_types[0].id, TypeId::kInt32);  // given types are kept
  p = Plan("INSERT INTO t3 VALUES ($1, $2, $3, $4)");
  EXPECT_EQ(ctx_.param_types[2].id, TypeId::kVarchar);
  EXPECT_EQ(ctx_.param_types[3].id, TypeId::kDate);
}

TEST_F(PlannerTest, FunctionsAndMisc) {
  PlanPtr p = Plan("SELECT lower(b), substr(b, 2), concat(a, 'x', NULL), now() FROM t1");
  EXPECT_EQ(p->exprs[0]->kind, BoundExprKind::kFunction);
  EXPECT_EQ(p->exprs[0]->op, "lower");
  EXPECT_EQ(p->exprs[2]->op, "concat");
  EXPECT_EQ(p->exprs[2]->children.size(), 3u);
  p = Plan("SELECT b LIKE 'a%', b NOT ILIKE 'B', a BETWEEN 1 AND 3, a IN (1, 2) FROM t1");
  EXPECT_EQ(p->exprs[0]->kind, BoundExprKind::kLike);
  EXPECT_TRUE(p->exprs[1]->negated);
  EXPECT_EQ(p->exprs[1]->op, "ILIKE");
  EXPECT_EQ(p->exprs[2]->kind, BoundExprKind::kAnd);
  EXPECT_EQ(p->exprs[3]->kind, BoundExprKind::kInList);
  p = Plan("SELECT d < now(), d = '2024-01-01' FROM t3");
  EXPECT_EQ(p->exprs[0]->children[0]->type.id, TypeId::kTimestampTz);
  EXPECT_EQ(p->exprs[1]->children[1]->type.id, TypeId::kDate);
  EXPECT_EQ(Plan("SELECT current_date")->output_types[0].id, TypeId::kDate);
  EXPECT_EQ(Plan("SELECT extract(year FROM d) FROM t3")->output_types[0].id, TypeId::kNumeric);
  // FOR UPDATE over a join: every table's row found again by its primary key, from its
  // columns carried as hidden outputs to the LockRows (then projected away).
  p = Plan("SELECT * FROM t1, t3 ORDER BY 1 FOR UPDATE OF t1 FOR SHARE OF t3 NOWAIT");
  ASSERT_EQ(p->kind, PlanKind::kProject);
  EXPECT_EQ(p->output_types.size(), 7u);
  ASSERT_EQ(p->children[0]->kind, PlanKind::kLockRows);
  const PlanNode& lock = *p->children[0];
  EXPECT_EQ(lock.table, nullptr);
  ASSERT_EQ(lock.lock_targets.size(), 2u);
  EXPECT_EQ(lock.lock_targets[0].table->name, "t1");
  EXPECT_EQ(lock.lock_targets[0].row_columns, (std::vector<int>{7, 8, 9}));
  EXPECT_EQ(lock.lock_targets[0].mode, 4);
  EXPECT_EQ(lock.lock_targets[0].wait, 0);
  EXPECT_EQ(lock.lock_targets[1].table->name, "t3");
  EXPECT_EQ(lock.lock_targets[1].row_columns, (std::vector<int>{10, 11, 12, 13}));
  EXPECT_EQ(lock.lock_targets[1].mode, 2);
  EXPECT_EQ(lock.lock_targets[1].wait, 2);
  EXPECT_EQ(Code("SELECT * FROM t1, t2 FOR UPDATE"), "0A000");  // t2 has no primary key
  EXPECT_EQ(Code("SELECT * FROM t1 LEFT JOIN t3 ON true FOR UPDATE"), "0A000");
  EXPECT_EQ(Plan("SELECT * FROM t1 LEFT JOIN t3 ON true FOR UPDATE OF t1")->children[0]->kind,
            PlanKind::kLockRows);
  EXPECT_EQ(Code("SELECT * FROM v1 FOR UPDATE"), "0A000");
  EXPECT_EQ(Code("SELECT * FROM t1 FOR UPDATE OF public.t1"), "42601");
  // FOR UPDATE: LockRows under the LIMIT, over row-locating scans.
  p = Plan("SELECT * FROM t1 ORDER BY 1 LIMIT 1 FOR UPDATE SKIP LOCKED");
  ASSERT_EQ(p->kind, PlanKind::kLimit);
  ASSERT_EQ(p->children[0]->kind, PlanKind::kLockRows);
  EXPECT_TRUE(p->children[0]->lock_one_by_one);
  EXPECT_EQ(p->children[0]->row_lock_mode, 4);
  EXPECT_EQ(p->children[0]->row_lock_wait, 1);
  Error e = PlanError("CREATE TABLE zz (a int)");
  EXPECT_EQ(e.state(), SqlState::kInternalError);
}

TEST_F(PlannerTest, DistinctOnSortsByItsExpressionsFirst) {
  // Sort by b (DISTINCT ON, from ORDER BY) then c, keep the first row per b, drop hidden c.
  PlanPtr p = Plan("SELECT DISTINCT ON (b) a FROM t1 ORDER BY b, c DESC");
  ASSERT_EQ(p->kind, PlanKind::kProject);
  const PlanPtr& d = p->children[0];
  ASSERT_EQ(d->kind, PlanKind::kDistinct);
  EXPECT_EQ(d->columns, std::vector<int>{1});
  const PlanPtr& sort = d->children[0];
  ASSERT_EQ(sort->kind, PlanKind::kSort);
  ASSERT_EQ(sort->sort_keys.size(), 2u);
  EXPECT_EQ(sort->sort_keys[0].expr->column_index, 1);
  EXPECT_EQ(sort->sort_keys[1].expr->column_index, 2);
  EXPECT_TRUE(sort->sort_keys[1].descending);
  // Without ORDER BY the DISTINCT ON expressions are the sort keys.
  p = Plan("SELECT DISTINCT ON (c, 1) a, b FROM t1");
  ASSERT_EQ(p->children[0]->kind, PlanKind::kDistinct);
  EXPECT_EQ(p->children[0]->columns, (std::vector<int>{2, 0}));
  Error e = PlanError("SELECT DISTINCT ON (a, b) a, b FROM t1 ORDER BY a, c, b");
  EXPECT_EQ(e.state(), SqlState::kInvalidColumnReference);
  EXPECT_EQ(e.position, 24);  // at b in DISTINCT ON
  EXPECT_EQ(Code("SELECT a FROM t1 FETCH FIRST 1 ROW WITH TIES"), "42601");
  p = Plan("SELECT a FROM t1 ORDER BY b FETCH FIRST 2 ROWS WITH TIES");
  auto limits = Find(p, PlanKind::kLimit);
  ASSERT_EQ(limits.size(), 1u);
  EXPECT_TRUE(limits[0]->with_ties);
  ASSERT_EQ(limits[0]->sort_keys.size(), 1u);
}

TEST_F(PlannerTest, LateralJoinRunsTheRightSidePerLeftRow) {
  PlanPtr p = Plan("SELECT t1.b, s.z FROM t1, LATERAL (SELECT z FROM t2 WHERE t2.a = t1.a) s");
  auto joins = Find(p, PlanKind::kNestedLoopJoin);
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_TRUE(joins[0]->lateral);
  // The right side reads t1.a as an outer column: its position in the left side's output.
  const PlanPtr& left = joins[0]->children[0];
  int a_pos = -1;
  for (size_t i = 0; i < left->output_names.size(); ++i)
    if (left->output_names[i] == "a") a_pos = static_cast<int>(i);
  ASSERT_GE(a_pos, 0);
  std::set<int> outer;  // (the predicate is pushed into each shard's scan)
  VisitPlan(
      joins[0]->children[1],
      [&](const BoundExpr& n, int depth) {
        if (n.kind == BoundExprKind::kOuterColumn && n.outer_depth == depth) {
          outer.insert(n.column_index);
        }
      },
      1);
  EXPECT_EQ(outer, std::set<int>{a_pos});
  // A LATERAL item that reads nothing before it is an ordinary derived table.
  p = Plan("SELECT * FROM t1, LATERAL (SELECT 1 AS one) s");
  for (const PlanPtr& j : Find(p, PlanKind::kNestedLoopJoin)) EXPECT_FALSE(j->lateral);
  // A function in FROM reads earlier items: LEFT JOIN LATERAL keeps unmatched rows.
  p = Plan("SELECT * FROM t1 LEFT JOIN LATERAL generate_series(1, t1.a) g ON true");
  joins = Find(p, PlanKind::kNestedLoopJoin);
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_TRUE(joins[0]->lateral);
  EXPECT_EQ(joins[0]->join_type, JoinType::kLeft);
  EXPECT_EQ(Code("SELECT * FROM t1 FULL JOIN LATERAL (SELECT t1.a) s ON true"), "42P10");
}

TEST_F(PlannerTest, RowComparisonsExpandPairwise) {
  PlanPtr p = Plan("SELECT (a, b) = (1, 'x'), (a, b) < (2, 'y') FROM t1");
  ASSERT_EQ(p->exprs.size(), 2u);
  EXPECT_EQ(p->exprs[0]->kind, BoundExprKind::kAnd);
  // a < 2 OR (a = 2 AND b < 'y')
  ASSERT_EQ(p->exprs[1]->kind, BoundExprKind::kOr);
  EXPECT_EQ(p->exprs[1]->children[0]->op, "<");
  EXPECT_EQ(p->exprs[1]->children[1]->kind, BoundExprKind::kAnd);
  p = Plan("SELECT a FROM t1 WHERE (a, b) IN (SELECT x, z FROM t2)");
  std::vector<const BoundExpr*> subs;
  VisitPlan(
      p,
      [&](const BoundExpr& n, int depth) {
        if (depth == 0 && n.kind == BoundExprKind::kInSubquery) subs.push_back(&n);
      },
      0);
  ASSERT_EQ(subs.size(), 4u);  // the predicate of each shard's scan
  EXPECT_EQ(subs[0]->children.size(), 2u);
  EXPECT_FALSE(subs[0]->row_compare);
  EXPECT_EQ(Code("SELECT (1, 2) = (1, 2, 3)"), "42601");
  EXPECT_EQ(Code("SELECT (1, 2) IN (SELECT x FROM t2)"), "42601");
}

TEST_F(PlannerTest, ResolveTypeNames) {
  auto rt = [](const std::string& n, std::vector<int32_t> mods = {}) {
    ast::TypeName t;
    t.name = n;
    t.modifiers = std::move(mods);
    return ResolveTypeName(t);
  };
  EXPECT_EQ(rt("int"), Ty(TypeId::kInt32));
  EXPECT_EQ(rt("character varying", {10}), Ty(TypeId::kVarchar, 10));
  EXPECT_EQ(rt("numeric", {10, 2}), Ty(TypeId::kNumeric, (10 << 16) | 2));
  EXPECT_EQ(rt("numeric", {7}), Ty(TypeId::kNumeric, 7 << 16));
  EXPECT_THROW(rt("serial"), Error);
  EXPECT_THROW(rt("nosuch"), Error);
  EXPECT_THROW(rt("numeric", {2000}), Error);
}

TEST(BoundExprUtilTest, RemapFollowsCorrelatedSubqueries) {
  // An expression over row (c0, c1, c2) whose subquery refers to outer column 2.
  auto inner = std::make_shared<PlanNode>();
  inner->kind = PlanKind::kResult;
  auto outer_ref = std::make_shared<BoundExpr>();
  outer_ref->kind = BoundExprKind::kOuterColumn;
  outer_ref->outer_depth = 1;
  outer_ref->column_index = 2;
  inner->exprs = {outer_ref};
  auto sub = std::make_shared<BoundExpr>();
  sub->kind = BoundExprKind::kSubquery;
  sub->subquery = inner;
  sub->correlated = true;
  auto e = MakeExpr(BoundExprKind::kArith, Ty(TypeId::kInt32),
                    {MakeColumn(0, Ty(TypeId::kInt32)), sub}, "+");
  auto moved = RemapColumns(e, [](int c) { return c == 0 ? 5 : c == 2 ? 7 : -1; });
  EXPECT_EQ(moved->children[0]->column_index, 5);
  EXPECT_EQ(moved->children[1]->subquery->exprs[0]->column_index, 7);
  // The original is unchanged.
  EXPECT_EQ(e->children[1]->subquery->exprs[0]->column_index, 2);
  std::set<int> cols;
  CollectColumns(e, &cols);
  EXPECT_EQ(cols, (std::set<int>{0, 2}));
  EXPECT_THROW(RemapColumns(e, [](int) { return -1; }), Error);
}

// Sequences: nextval('s') binds the sequence while planning; SELECT * FROM s is a SequenceScan;
// serial defaults and identity columns as the executor's DDL stores them.
TEST_F(PlannerTest, Sequences) {
  auto cat = std::make_shared<storage::CatalogSnapshot>(*ctx_.catalog);
  auto seq = std::make_shared<TableInfo>();
  seq->oid = 300;
  seq->database_oid = 1;
  seq->schema = "public";
  seq->name = "sq";
  seq->columns = {{"last_value", Ty(TypeId::kInt64), true},
                  {"log_cnt", Ty(TypeId::kInt64), true},
                  {"is_called", Ty(TypeId::kBool), true}};
  seq->sequence = storage::SequenceInfo{};
  cat->tables[{1, "public", "sq"}] = seq;
  ColumnInfo id{"id", Ty(TypeId::kInt64), true};
  id.default_sql = "nextval('public.sq'::regclass)";
  id.identity = 'a';
  Add(cat.get(), "public", "ident", {id, {"v", Ty(TypeId::kText)}}, {0});
  ctx_.catalog = cat;

  PlanPtr p = Plan("SELECT nextval('sq'), currval('sq'::regclass), setval('public.sq', 5, false)");
  ASSERT_EQ(p->kind, PlanKind::kResult);
  for (const auto& e : p->exprs) {
    EXPECT_EQ(e->kind, BoundExprKind::kFunction);
    EXPECT_EQ(e->relation, seq);
    EXPECT_EQ(e->type, Ty(TypeId::kInt64));
  }
  // Text is resolved when called; two nextvals are never "the same expression".
  p = Plan("SELECT nextval('sq'::text)");
  EXPECT_EQ(p->exprs[0]->relation, nullptr);
  EXPECT_FALSE(
      ExprEquals(Plan("SELECT nextval('sq')")->exprs[0], Plan("SELECT nextval('sq')")->exprs[0]));
  Error e = PlanError("SELECT nextval('nosuch')");
  EXPECT_EQ(e.state(), SqlState::kUndefinedTable);
  EXPECT_EQ(e.message(), "relation \"nosuch\" does not exist");
  EXPECT_EQ(e.position, 16);
  EXPECT_EQ(Code("SELECT nextval('nosuch.sq')"), "3F000");
  EXPECT_EQ(Code("SELECT nextval(1.5)"), "42883");
  EXPECT_EQ(Code("SELECT setval('sq')"), "42883");

  p = Plan("SELECT last_value, is_called FROM sq");
  ASSERT_EQ(Find(p, PlanKind::kSequenceScan).size(), 1u);
  EXPECT_EQ(Find(p, PlanKind::kSequenceScan)[0]->table, seq);
  EXPECT_EQ(Code("INSERT INTO sq VALUES (1, 0, true)"), "42809");
  EXPECT_EQ(Code("DELETE FROM sq"), "42809");

  // The identity column's default is nextval of its sequence; ALWAYS refuses a value.
  p = Plan("INSERT INTO ident (v) VALUES ('a')");
  auto values = Find(p, PlanKind::kValues);
  ASSERT_EQ(values.size(), 1u);
  EXPECT_EQ(values[0]->values_rows[0][0]->relation, seq);
  EXPECT_EQ(Code("INSERT INTO ident VALUES (1, 'a')"), "428C9");
  EXPECT_NO_THROW(Plan("INSERT INTO ident OVERRIDING SYSTEM VALUE VALUES (1, 'a')"));
  p = Plan("INSERT INTO ident OVERRIDING USER VALUE VALUES (1, 'a')");
  EXPECT_EQ(Find(p, PlanKind::kValues)[0]->values_rows[0][0]->relation, seq);
  EXPECT_EQ(Code("UPDATE ident SET id = 2"), "428C9");
  EXPECT_NO_THROW(Plan("UPDATE ident SET id = DEFAULT"));
}

// An operator's implementation function called by name binds as the operator (int4pl is `+`
// on integers), a cast's as the cast; arguments that fit no listed signature stay 42883.
TEST_F(PlannerTest, SupportFunctionBindsAsItsOperator) {
  PlanPtr p = Plan("SELECT int4pl(a, 1), texteq(b, 'x'), date_pli(d, k1), float8(k1) FROM t3, t1");
  EXPECT_EQ(p->output_names, (std::vector<std::string>{"int4pl", "texteq", "date_pli", "float8"}));
  EXPECT_EQ(p->output_types, (std::vector<Type>{Ty(TypeId::kInt32), Ty(TypeId::kBool),
                                                Ty(TypeId::kDate), Ty(TypeId::kFloat64)}));
  EXPECT_EQ(Code("SELECT int4pl(1.5, 2)"), "42883");
  EXPECT_EQ(Code("SELECT int4pl(1)"), "42883");
  EXPECT_EQ(PlanError("SELECT date_pli(1, 2)").message(),
            "function date_pli(integer, integer) does not exist");
}

}  // namespace
}  // namespace activestore::planner
