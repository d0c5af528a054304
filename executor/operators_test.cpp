#include "executor/executor_test_util.h"

namespace activestore::executor::testing {
namespace {

using K = BoundExprKind;
using planner::AggKind;
using planner::AggregateSpec;
using planner::JoinType;
using planner::SetOpKind;
using V = std::vector<std::string>;

class OperatorsTest : public ExecutorFixture {
 protected:
  // t(id int4 primary key, grp text, v int8) with ids 1..n, grp 'g' + id % 3, v = id * 10
  // (NULL when id % 7 == 0).
  std::shared_ptr<const storage::TableInfo> MakeT(int n) {
    auto t = MakeTable("t", {{"id", TInt4(), true}, {"grp", TText()}, {"v", TInt8()}}, {0});
    std::vector<std::vector<Value>> rows;
    for (int i = 1; i <= n; ++i) {
      rows.push_back({Value::Int32(i), Value::Text("g" + std::to_string(i % 3)),
                      i % 7 == 0 ? Value::Null(TInt8()) : Value::Int64(i * 10)});
    }
    Fill(*t, rows);
    return t;
  }

  static AggregateSpec Agg(AggKind kind, Type result, std::vector<BoundExprPtr> args = {},
                           bool distinct = false, BoundExprPtr filter = nullptr) {
    AggregateSpec a;
    a.kind = kind;
    a.result_type = result;
    a.args = std::move(args);
    a.distinct = distinct;
    a.filter = std::move(filter);
    return a;
  }

  PlanPtr AggOver(PlanPtr child, std::vector<BoundExprPtr> groups,
                  std::vector<AggregateSpec> aggs) {
    std::vector<Type> types;
    for (const auto& g : groups) types.push_back(g->type);
    for (const auto& a : aggs) types.push_back(a.result_type);
    auto n = Node(PlanKind::kAggregate, types, {std::move(child)});
    n->group_exprs = std::move(groups);
    n->aggregates = std::move(aggs);
    return n;
  }
};

TEST_F(OperatorsTest, ScanWithPredicateAcrossShards) {
  auto t = MakeT(100);
  ASSERT_GT(t->shard_count, 1u);
  // id % 10 = 3
  auto pred = Cmp("=", Ar("%", Col(0, TInt4()), I4(10), TInt4()), I4(3));
  auto rows = Rows(*ScanAll(t, {0, 2}, pred), true);
  EXPECT_EQ(rows, (V{"13|130", "23|230", "33|330", "3|30", "43|430", "53|530", "63|NULL", "73|730",
                     "83|830", "93|930"}));
  // The rows are spread over several shards.
  int shards_with_rows = 0;
  for (uint32_t s = 0; s < t->shard_count; ++s) {
    auto scan = Node(PlanKind::kShardScan, {TInt4()});
    scan->table = t;
    scan->shard = s;
    scan->columns = {0};
    shards_with_rows += !Run(*scan).empty();
  }
  EXPECT_GT(shards_with_rows, 1);
  // All 100 rows over the gather, projected columns in the asked order.
  auto all = Run(*ScanAll(t, {2, 0}));
  EXPECT_EQ(all.size(), 100u);
  EXPECT_EQ(all[0][0].type.id, TypeId::kInt64);
}

TEST_F(OperatorsTest, PrimaryKeyLookup) {
  auto t = MakeT(20);
  auto lookup = std::make_shared<PlanNode>();
  lookup->kind = PlanKind::kPrimaryKeyLookup;
  lookup->output_types = {TInt4(), TText()};
  lookup->table = t;
  lookup->columns = {0, 1};
  lookup->key_exprs = {Param(0, TInt8())};
  EXPECT_EQ(Rows(*lookup, false, {Value::Int64(5)}), (V{"5|g2"}));
  EXPECT_EQ(Rows(*lookup, false, {Value::Int64(50)}), V{});
  EXPECT_EQ(Rows(*lookup, false, {Value::Int64(3000000000LL)}), V{});
  EXPECT_EQ(Rows(*lookup, false, {Value::Null(TInt8())}), V{});
  lookup->predicate = Cmp("=", Col(1, TText()), Txt("g0"));
  EXPECT_EQ(Rows(*lookup, false, {Value::Int64(5)}), V{});
  EXPECT_EQ(Rows(*lookup, false, {Value::Int64(6)}), (V{"6|g0"}));
}

// kIndexScan over the primary key and a secondary index: rows in key order across shards,
// inclusive and exclusive ends, an equality prefix, NULL and widened bounds, parameters.
TEST_F(OperatorsTest, IndexScanRanges) {
  storage::IndexInfo by_v;
  by_v.name = "t_v_idx";
  by_v.columns = {2};
  auto t = MakeTable("t", {{"id", TInt4(), true}, {"grp", TText()}, {"v", TInt8()}}, {0}, {by_v});
  std::vector<std::vector<Value>> rows;
  for (int i = 1; i <= 100; ++i) {
    rows.push_back({Value::Int32(i), Value::Text("g" + std::to_string(i % 3)),
                    i % 7 == 0 ? Value::Null(TInt8()) : Value::Int64(1000 - i * 10)});
  }
  Fill(*t, rows);
  ASSERT_EQ(t->indexes.size(), 1u);
  auto scan = [&](BoundExprPtr lo, bool lo_in, BoundExprPtr hi, bool hi_in, uint32_t index = 0) {
    auto n = Node(PlanKind::kIndexScan, {TInt4(), TInt8()});
    n->table = t;
    n->columns = {0, 2};
    n->index_oid = index;
    n->key_types = {index == 0 ? TInt4() : TInt8()};
    n->range_lower = std::move(lo);
    n->range_lower_inclusive = lo_in;
    n->range_upper = std::move(hi);
    n->range_upper_inclusive = hi_in;
    return n;
  };
  EXPECT_EQ(Rows(*scan(I4(5), true, I4(8), true)), (V{"5|950", "6|940", "7|NULL", "8|920"}));
  EXPECT_EQ(Rows(*scan(I4(5), false, I4(8), false)), (V{"6|940", "7|NULL"}));
  EXPECT_EQ(Rows(*scan(I4(98), false, nullptr, false)), (V{"99|10", "100|0"}));
  EXPECT_EQ(Rows(*scan(nullptr, false, I4(2), true)), (V{"1|990", "2|980"}));
  EXPECT_EQ(Rows(*scan(I4(8), true, I4(5), true)), V{});
  EXPECT_EQ(Rows(*scan(Null(TInt4()), true, I4(5), true)), V{});
  // Widened bounds: the range is loose, the predicate exact (here none: the loose rows show).
  EXPECT_EQ(Rows(*scan(Num("2.5"), false, Num("3.5"), false)),
            (V{"2|980", "3|970", "4|960", "5|950"}));
  EXPECT_EQ(Rows(*scan(Num("NaN"), false, nullptr, false)), V{});
  EXPECT_EQ(Rows(*scan(F8(1e300), true, nullptr, false)), V{});
  EXPECT_EQ(Rows(*scan(nullptr, false, F8(-1e300), false)), V{});
  EXPECT_EQ(Rows(*scan(nullptr, false, Num("NaN"), false)).size(), 100u);
  // Parameters.
  EXPECT_EQ(Rows(*scan(Param(0, TInt4()), true, Param(1, TInt4()), false), false,
                 {Value::Int32(10), Value::Int32(12)}),
            (V{"10|900", "11|890"}));
  // The secondary index, in its key order (v descending as id grows), NULLs never in a range.
  auto by_index = scan(I8(900), true, I8(930), true, t->indexes[0].oid);
  EXPECT_EQ(Rows(*by_index), (V{"10|900", "9|910", "8|920"}));
  by_index->predicate = Cmp("<>", Col(0, TInt4()), I4(9));
  EXPECT_EQ(Rows(*by_index), (V{"10|900", "8|920"}));
  // An equality prefix on a two-column key.
  auto m = MakeTable("m", {{"a", TInt4(), true}, {"b", TText(), true}}, {0, 1});
  Fill(*m, {{Value::Int32(1), Value::Text("a")},
            {Value::Int32(1), Value::Text("b")},
            {Value::Int32(1), Value::Text("bb")},
            {Value::Int32(1), Value::Text("c")},
            {Value::Int32(2), Value::Text("b")}});
  auto pm = Node(PlanKind::kIndexScan, {TInt4(), TText()});
  pm->table = m;
  pm->columns = {0, 1};
  pm->key_exprs = {I4(1)};
  pm->key_types = {TInt4(), TText()};
  pm->range_lower = Txt("b");
  pm->range_lower_inclusive = true;
  pm->range_upper = Txt("c");
  EXPECT_EQ(Rows(*pm), (V{"1|b", "1|bb"}));
  pm->range_lower_inclusive = false;
  pm->range_upper_inclusive = true;
  EXPECT_EQ(Rows(*pm), (V{"1|bb", "1|c"}));
  pm->range_lower = nullptr;
  pm->range_upper = nullptr;
  pm->key_types = {TInt4()};
  EXPECT_EQ(Rows(*pm), (V{"1|a", "1|b", "1|bb", "1|c"}));
}

// kIndexScan read backwards (ORDER BY ... DESC): descending key order across shards, with an
// equality prefix and a range, NULLs first (the secondary index) unless range_not_null; a
// LIMIT's bound makes the first batches small, so a LIMIT 10 stops after about ten rows.
TEST_F(OperatorsTest, IndexScanBackwardAndBounded) {
  storage::IndexInfo by_v;
  by_v.name = "t_v_idx";
  by_v.columns = {2};
  auto t = MakeTable("t", {{"id", TInt4(), true}, {"grp", TText()}, {"v", TInt8()}}, {0}, {by_v});
  std::vector<std::vector<Value>> rows;
  for (int i = 1; i <= 100; ++i) {
    rows.push_back({Value::Int32(i), Value::Text("g" + std::to_string(i % 3)),
                    i % 7 == 0 ? Value::Null(TInt8()) : Value::Int64(1000 - i * 10)});
  }
  Fill(*t, rows);
  auto scan = [&](uint32_t index) {
    auto n = Node(PlanKind::kIndexScan, {TInt4(), TInt8()});
    n->table = t;
    n->columns = {0, 2};
    n->index_oid = index;
    n->scan_backward = true;
    return n;
  };
  auto pk = scan(0);
  auto all = Rows(*pk);
  ASSERT_EQ(all.size(), 100u);
  EXPECT_EQ(all[0], "100|0");
  EXPECT_EQ(all[1], "99|10");
  EXPECT_EQ(all[99], "1|990");
  pk->key_types = {TInt4()};
  pk->range_lower = I4(5);
  pk->range_lower_inclusive = false;
  pk->range_upper = I4(8);
  pk->range_upper_inclusive = true;
  EXPECT_EQ(Rows(*pk), (V{"8|920", "7|NULL", "6|940"}));
  // The secondary index backwards: its NULLs first (DESC NULLS FIRST), then v descending.
  auto by_index = scan(t->indexes[0].oid);
  all = Rows(*by_index);
  ASSERT_EQ(all.size(), 100u);
  for (size_t i = 0; i < 14; ++i) EXPECT_EQ(all[i].substr(all[i].find('|')), "|NULL");
  EXPECT_EQ(all[14], "1|990");
  EXPECT_EQ(all[99], "100|0");
  // range_not_null leaves the NULLs out (max(v)), forwards (min(v)) too.
  by_index->range_not_null = true;
  all = Rows(*by_index);
  ASSERT_EQ(all.size(), 86u);
  EXPECT_EQ(all[0], "1|990");
  by_index->scan_backward = false;
  all = Rows(*by_index);
  ASSERT_EQ(all.size(), 86u);
  EXPECT_EQ(all[0], "100|0");
  EXPECT_EQ(all[85], "1|990");
  // An equality prefix read backwards.
  auto m = MakeTable("m", {{"a", TInt4(), true}, {"b", TText(), true}}, {0, 1});
  Fill(*m, {{Value::Int32(1), Value::Text("a")},
            {Value::Int32(1), Value::Text("b")},
            {Value::Int32(1), Value::Text("bb")},
            {Value::Int32(1), Value::Text("c")},
            {Value::Int32(2), Value::Text("b")},
            {Value::Int32(0), Value::Text("z")}});
  auto pm = Node(PlanKind::kIndexScan, {TInt4(), TText()});
  pm->table = m;
  pm->columns = {0, 1};
  pm->key_exprs = {I4(1)};
  pm->key_types = {TInt4()};
  pm->scan_backward = true;
  EXPECT_EQ(Rows(*pm), (V{"1|c", "1|bb", "1|b", "1|a"}));
  pm->key_types = {TInt4(), TText()};
  pm->range_upper = Txt("bb");
  pm->range_upper_inclusive = false;
  EXPECT_EQ(Rows(*pm), (V{"1|b", "1|a"}));
  // LIMIT 10 over the primary key backwards: a predicate that fails at id 50 is never reached,
  // as only the first few batches (10, then 20 rows) are read.
  auto lazy = scan(0);
  lazy->predicate =
      Cmp(">", Ar("/", I4(1000), Ar("-", Col(0, TInt4()), I4(50), TInt4()), TInt4()), I4(-100000));
  auto limit = Node(PlanKind::kLimit, {TInt4(), TInt8()}, {lazy});
  limit->limit = I8(10);
  all = Rows(*limit);
  ASSERT_EQ(all.size(), 10u);
  EXPECT_EQ(all[0], "100|0");
  EXPECT_EQ(all[9], "91|NULL");  // 91 % 7 == 0
  // Without the bound the first batch reaches id 50.
  EXPECT_SQLSTATE(Rows(*lazy), "22012", "division by zero");
}

// An Append passes a LIMIT's bound to each child (an ordered ChunkAppend's chunk sorts keep
// that many rows) and reads the children in order, stopping when the LIMIT is met.
TEST_F(OperatorsTest, AppendPassesTheRowBound) {
  auto t = MakeT(100);
  auto sorted = [&](bool desc) {
    auto sort = Node(PlanKind::kSort, {TInt4()}, {ScanAll(t, {0})});
    sort->sort_keys = {{Col(0, TInt4()), desc, desc}};
    return sort;
  };
  auto append = Node(PlanKind::kAppend, {TInt4()}, {sorted(true), sorted(false)});
  auto limit = Node(PlanKind::kLimit, {TInt4()}, {append});
  limit->limit = I8(3);
  EXPECT_EQ(Rows(*limit), (V{"100", "99", "98"}));
  limit->limit = I8(2);
  limit->offset = I8(99);
  EXPECT_EQ(Rows(*limit), (V{"1", "1"}));
}

TEST_F(OperatorsTest, AggregatesGrouped) {
  auto t = MakeT(10);
  // SELECT grp, count(*), count(v), sum(v), avg(v), min(v), max(id), string_agg ... GROUP BY grp
  auto plan = AggOver(
      ScanAll(t, {0, 1, 2}), {Col(1, TText())},
      {Agg(AggKind::kCountStar, TInt8()), Agg(AggKind::kCount, TInt8(), {Col(2, TInt8())}),
       Agg(AggKind::kSum, TNum(), {Col(2, TInt8())}), Agg(AggKind::kAvg, TNum(), {Col(2, TInt8())}),
       Agg(AggKind::kMin, TInt8(), {Col(2, TInt8())}),
       Agg(AggKind::kMax, TInt4(), {Col(0, TInt4())})});
  EXPECT_EQ(Rows(*plan, true),
            (V{"g0|3|3|180|60.0000000000000000|30|9", "g1|4|3|150|50.0000000000000000|10|10",
               "g2|3|3|150|50.0000000000000000|20|8"}));
}

TEST_F(OperatorsTest, AggregateResultTypesAndValues) {
  auto vals = ValuesOf({TInt4(), TF8(), TNum(), TBool(), TText()},
                       {{Value::Int32(1), Value::Float64(1.5), Value::Num(Numeric::Parse("1.5")),
                         Value::Bool(true), Value::Text("a")},
                        {Value::Int32(2), Value::Float64(2), Value::Num(Numeric::Parse("2.25")),
                         Value::Null(TBool()), Value::Text("b")},
                        {Value::Null(TInt4()), Value::Null(TF8()), Value::Null(TNum()),
                         Value::Bool(false), Value::Null(TText())}});
  auto plan = AggOver(
      vals, {},
      {Agg(AggKind::kSum, TInt8(), {Col(0, TInt4())}),
       Agg(AggKind::kAvg, TNum(), {Col(0, TInt4())}), Agg(AggKind::kSum, TF8(), {Col(1, TF8())}),
       Agg(AggKind::kAvg, TF8(), {Col(1, TF8())}), Agg(AggKind::kSum, TNum(), {Col(2, TNum())}),
       Agg(AggKind::kAvg, TNum(), {Col(2, TNum())}),
       Agg(AggKind::kBoolAnd, TBool(), {Col(3, TBool())}),
       Agg(AggKind::kBoolOr, TBool(), {Col(3, TBool())}),
       Agg(AggKind::kStringAgg, TText(), {Col(4, TText()), Txt("-")}),
       Agg(AggKind::kMin, TText(), {Col(4, TText())}),
       Agg(AggKind::kMax, TText(), {Col(4, TText())})});
  auto rows = Run(*plan);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(ShowRow(rows[0]), "3|1.5000000000000000|3.5|1.75|3.75|1.8750000000000000|f|t|a-b|a|b");
  EXPECT_EQ(rows[0][0].type.id, TypeId::kInt64);
  EXPECT_EQ(rows[0][1].type.id, TypeId::kNumeric);
}

TEST_F(OperatorsTest, AggregateEmptyInputDistinctFilterAndNullGroups) {
  auto empty = ValuesOf({TInt4()}, {});
  auto plan =
      AggOver(empty, {},
              {Agg(AggKind::kCountStar, TInt8()), Agg(AggKind::kSum, TInt8(), {Col(0, TInt4())}),
               Agg(AggKind::kMax, TInt4(), {Col(0, TInt4())})});
  EXPECT_EQ(Rows(*plan), (V{"0|NULL|NULL"}));
  // With GROUP BY and no rows: no groups.
  EXPECT_EQ(Rows(*AggOver(empty, {Col(0, TInt4())}, {Agg(AggKind::kCountStar, TInt8())})), V{});
  auto vals = ValuesOf({TInt4(), TInt4()}, {{Value::Null(TInt4()), Value::Int32(1)},
                                            {Value::Int32(1), Value::Int32(1)},
                                            {Value::Null(TInt4()), Value::Int32(2)},
                                            {Value::Int32(1), Value::Int32(3)},
                                            {Value::Int32(2), Value::Null(TInt4())}});
  auto grouped = AggOver(
      vals, {Col(0, TInt4())},
      {Agg(AggKind::kCountStar, TInt8()),
       Agg(AggKind::kCount, TInt8(), {Col(1, TInt4())}, /*distinct=*/true),
       Agg(AggKind::kSum, TInt8(), {Col(1, TInt4())}, false, Cmp(">", Col(1, TInt4()), I4(1))),
       Agg(AggKind::kCountStar, TInt8(), {}, false, Cmp(">", Col(1, TInt4()), I4(1)))});
  EXPECT_EQ(Rows(*grouped, true), (V{"1|2|2|3|1", "2|1|0|NULL|0", "NULL|2|2|2|1"}));
  auto dsum =
      AggOver(ValuesOf({TInt4()}, {{Value::Int32(2)}, {Value::Int32(2)}, {Value::Int32(3)}}), {},
              {Agg(AggKind::kSum, TInt8(), {Col(0, TInt4())}, true),
               Agg(AggKind::kAvg, TNum(), {Col(0, TInt4())}, true)});
  EXPECT_EQ(Rows(*dsum), (V{"5|2.5000000000000000"}));
}

TEST_F(OperatorsTest, SumOverflowAndBigSums) {
  auto vals = ValuesOf({TInt8()}, {{Value::Int64(INT64_MAX)}, {Value::Int64(INT64_MAX)}});
  EXPECT_EQ(Rows(*AggOver(vals, {}, {Agg(AggKind::kSum, TNum(), {Col(0, TInt8())})})),
            (V{"18446744073709551614"}));
  auto floats = ValuesOf({TF8()}, {{Value::Float64(1e308)}, {Value::Float64(1e308)}});
  EXPECT_SQLSTATE(Rows(*AggOver(floats, {}, {Agg(AggKind::kSum, TF8(), {Col(0, TF8())})})), "22003",
                  "value out of range: overflow");
}

TEST_F(OperatorsTest, SortMultipleKeysNullsAndStability) {
  auto vals = ValuesOf({TInt4(), TText()}, {{Value::Int32(2), Value::Text("a")},
                                            {Value::Null(TInt4()), Value::Text("b")},
                                            {Value::Int32(1), Value::Text("c")},
                                            {Value::Int32(2), Value::Text("d")},
                                            {Value::Int32(1), Value::Null(TText())}});
  auto sort = Node(PlanKind::kSort, vals->output_types, {vals});
  sort->sort_keys = {{Col(0, TInt4()), false, false}};
  EXPECT_EQ(Rows(*sort), (V{"1|c", "1|NULL", "2|a", "2|d", "NULL|b"}));
  sort->sort_keys = {{Col(0, TInt4()), true, true}, {Col(1, TText()), true, false}};
  EXPECT_EQ(Rows(*sort), (V{"NULL|b", "2|d", "2|a", "1|c", "1|NULL"}));
  sort->sort_keys = {{Col(0, TInt4()), false, true}, {Col(1, TText()), false, true}};
  EXPECT_EQ(Rows(*sort), (V{"NULL|b", "1|NULL", "1|c", "2|a", "2|d"}));
  auto floats = ValuesOf(
      {TF8()}, {{Value::Float64(std::nan(""))}, {Value::Float64(-1)}, {Value::Float64(INFINITY)}});
  auto fs = Node(PlanKind::kSort, {TF8()}, {floats});
  fs->sort_keys = {{Col(0, TF8()), false, false}};
  EXPECT_EQ(Rows(*fs), (V{"-1", "Infinity", "NaN"}));
}

TEST_F(OperatorsTest, SortLargeInputAcrossBatches) {
  auto t = MakeT(3000);
  auto sort = Node(PlanKind::kSort, {TInt4()}, {ScanAll(t, {0})});
  sort->sort_keys = {{Col(0, TInt4()), true, false}};
  auto rows = Run(*sort);
  ASSERT_EQ(rows.size(), 3000u);
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i][0].i, 3000 - static_cast<int64_t>(i));
}

TEST_F(OperatorsTest, LimitOffset) {
  auto t = MakeT(3000);
  auto sort = Node(PlanKind::kSort, {TInt4()}, {ScanAll(t, {0})});
  sort->sort_keys = {{Col(0, TInt4()), false, false}};
  auto limit = Node(PlanKind::kLimit, {TInt4()}, {sort});
  limit->limit = I8(3);
  limit->offset = I8(1500);
  EXPECT_EQ(Rows(*limit), (V{"1501", "1502", "1503"}));
  limit->limit = Null(TInt8());
  limit->offset = I8(2998);
  EXPECT_EQ(Rows(*limit), (V{"2999", "3000"}));
  limit->limit = I8(0);
  EXPECT_EQ(Rows(*limit), V{});
  limit->limit = Param(0, TInt8());
  limit->offset = nullptr;
  EXPECT_EQ(Rows(*limit, false, {Value::Int64(2)}), (V{"1", "2"}));
  limit->limit = I8(-1);
  EXPECT_SQLSTATE(Rows(*limit), "2201W", "LIMIT must not be negative");
  limit->limit = nullptr;
  limit->offset = I8(-1);
  EXPECT_SQLSTATE(Rows(*limit), "2201X", "OFFSET must not be negative");
}

TEST_F(OperatorsTest, TopNUnderLimitEqualsTheFullSort) {
  // v has NULLs (every 7th) and duplicates (v % 100 via grp order below); a LIMIT makes the sort
  // keep only the best rows (SetRowBound): the result must be the full sort's prefix, ties in
  // arrival order.
  auto t = MakeT(5000);
  for (bool desc : {false, true}) {
    for (bool nulls_first : {false, true}) {
      auto make_sort = [&] {
        auto sort = Node(PlanKind::kSort, {TInt4(), TText(), TInt8()}, {ScanAll(t, {0, 1, 2})});
        sort->sort_keys = {{Col(1, TText()), desc, nulls_first},
                           {Col(2, TInt8()), !desc, nulls_first}};
        return sort;
      };
      std::vector<std::string> full = Rows(*make_sort());
      ASSERT_EQ(full.size(), 5000u);
      for (int64_t n : {1, 7, 1500, 4999, 6000}) {
        auto limit = Node(PlanKind::kLimit, {TInt4(), TText(), TInt8()}, {make_sort()});
        limit->limit = I8(n);
        limit->offset = I8(3);
        std::vector<std::string> want(full.begin() + 3,
                                      full.begin() + std::min<int64_t>(5000, 3 + n));
        EXPECT_EQ(Rows(*limit), want) << desc << nulls_first << n;
      }
    }
  }
}

TEST_F(OperatorsTest, DistinctAndSetOps) {
  auto a = ValuesOf({TInt4()}, {{Value::Int32(1)},
                                {Value::Int32(1)},
                                {Value::Int32(2)},
                                {Value::Null(TInt4())},
                                {Value::Null(TInt4())},
                                {Value::Int32(3)}});
  auto b = ValuesOf({TInt4()}, {{Value::Int32(1)},
                                {Value::Int32(3)},
                                {Value::Int32(3)},
                                {Value::Null(TInt4())},
                                {Value::Int32(4)}});
  auto distinct = Node(PlanKind::kDistinct, {TInt4()}, {a});
  EXPECT_EQ(Rows(*distinct, true), (V{"1", "2", "3", "NULL"}));
  auto setop = [&](SetOpKind k, bool all) {
    auto n = Node(PlanKind::kSetOp, {TInt4()}, {a, b});
    n->set_op = k;
    n->set_all = all;
    return Rows(*n, true);
  };
  EXPECT_EQ(setop(SetOpKind::kUnion, false), (V{"1", "2", "3", "4", "NULL"}));
  EXPECT_EQ(setop(SetOpKind::kUnion, true).size(), 11u);
  EXPECT_EQ(setop(SetOpKind::kIntersect, false), (V{"1", "3", "NULL"}));
  EXPECT_EQ(setop(SetOpKind::kIntersect, true), (V{"1", "3", "NULL"}));
  EXPECT_EQ(setop(SetOpKind::kExcept, false), (V{"2"}));
  EXPECT_EQ(setop(SetOpKind::kExcept, true), (V{"1", "2", "NULL"}));
  // Mixed input types are converted to the output type.
  auto c = ValuesOf({TInt8()}, {{Value::Int64(1)}, {Value::Int64(9)}});
  auto u = Node(PlanKind::kSetOp, {TInt8()}, {a, c});
  u->set_op = SetOpKind::kUnion;
  auto rows = Run(*u);
  EXPECT_EQ(rows.size(), 5u);
  for (const auto& r : rows) EXPECT_EQ(r[0].type.id, TypeId::kInt64);
}

class JoinTest : public OperatorsTest {
 protected:
  void SetUp() override {
    OperatorsTest::SetUp();
    left_ = ValuesOf({TInt4(), TText()}, {{Value::Int32(1), Value::Text("l1")},
                                          {Value::Int32(2), Value::Text("l2")},
                                          {Value::Int32(2), Value::Text("l2b")},
                                          {Value::Null(TInt4()), Value::Text("lnull")},
                                          {Value::Int32(5), Value::Text("l5")}});
    right_ = ValuesOf({TInt8(), TText()}, {{Value::Int64(2), Value::Text("r2")},
                                           {Value::Int64(1), Value::Text("r1")},
                                           {Value::Int64(2), Value::Text("r2b")},
                                           {Value::Null(TInt8()), Value::Text("rnull")},
                                           {Value::Int64(7), Value::Text("r7")}});
  }

  V HashJoin(JoinType type, BoundExprPtr residual = nullptr) {
    std::vector<Type> types = {TInt4(), TText()};
    if (type != JoinType::kSemi && type != JoinType::kAnti) {
      types.push_back(TInt8());
      types.push_back(TText());
    }
    auto j = Node(PlanKind::kHashJoin, types, {left_, right_});
    j->join_type = type;
    j->left_keys = {Col(0, TInt4())};
    j->right_keys = {Col(0, TInt8())};
    j->predicate = std::move(residual);
    return Rows(*j, true);
  }

  V LoopJoin(JoinType type, BoundExprPtr pred) {
    std::vector<Type> types = {TInt4(), TText()};
    if (type != JoinType::kSemi && type != JoinType::kAnti) {
      types.push_back(TInt8());
      types.push_back(TText());
    }
    auto j = Node(PlanKind::kNestedLoopJoin, types, {left_, right_});
    j->join_type = type;
    j->predicate = std::move(pred);
    return Rows(*j, true);
  }

  PlanPtr left_, right_;
};

TEST_F(JoinTest, HashJoinTypes) {
  EXPECT_EQ(HashJoin(JoinType::kInner),
            (V{"1|l1|1|r1", "2|l2b|2|r2", "2|l2b|2|r2b", "2|l2|2|r2", "2|l2|2|r2b"}));
  EXPECT_EQ(HashJoin(JoinType::kLeft), (V{"1|l1|1|r1", "2|l2b|2|r2", "2|l2b|2|r2b", "2|l2|2|r2",
                                          "2|l2|2|r2b", "5|l5|NULL|NULL", "NULL|lnull|NULL|NULL"}));
  EXPECT_EQ(HashJoin(JoinType::kRight),
            (V{"1|l1|1|r1", "2|l2b|2|r2", "2|l2b|2|r2b", "2|l2|2|r2", "2|l2|2|r2b",
               "NULL|NULL|7|r7", "NULL|NULL|NULL|rnull"}));
  EXPECT_EQ(HashJoin(JoinType::kFull).size(), 9u);
  EXPECT_EQ(HashJoin(JoinType::kSemi), (V{"1|l1", "2|l2", "2|l2b"}));
  EXPECT_EQ(HashJoin(JoinType::kAnti), (V{"5|l5", "NULL|lnull"}));
  // Residual over the combined row: right text <> 'r2b'.
  auto residual = Cmp("<>", Col(3, TText()), Txt("r2b"));
  EXPECT_EQ(HashJoin(JoinType::kInner, residual), (V{"1|l1|1|r1", "2|l2b|2|r2", "2|l2|2|r2"}));
  auto only_r1 = Cmp("=", Col(3, TText()), Txt("r1"));
  EXPECT_EQ(HashJoin(JoinType::kLeft, only_r1), (V{"1|l1|1|r1", "2|l2b|NULL|NULL", "2|l2|NULL|NULL",
                                                   "5|l5|NULL|NULL", "NULL|lnull|NULL|NULL"}));
  EXPECT_EQ(HashJoin(JoinType::kAnti, only_r1), (V{"2|l2", "2|l2b", "5|l5", "NULL|lnull"}));
}

TEST_F(JoinTest, HashJoinNumericKeysMatchByValue) {
  auto l = ValuesOf({TNum()},
                    {{Value::Num(Numeric::Parse("1.0"))}, {Value::Num(Numeric::Parse("2.5"))}});
  auto r = ValuesOf({TInt4()}, {{Value::Int32(1)}, {Value::Int32(2)}});
  auto j = Node(PlanKind::kHashJoin, {TNum(), TInt4()}, {l, r});
  j->left_keys = {Col(0, TNum())};
  j->right_keys = {Col(0, TInt4())};
  EXPECT_EQ(Rows(*j), (V{"1.0|1"}));
}

TEST_F(JoinTest, NestedLoopJoinTypes) {
  // l.id < r.id
  auto lt = Cmp("<", Col(0, TInt4()), Col(2, TInt8()));
  EXPECT_EQ(LoopJoin(JoinType::kInner, lt),
            (V{"1|l1|2|r2", "1|l1|2|r2b", "1|l1|7|r7", "2|l2b|7|r7", "2|l2|7|r7", "5|l5|7|r7"}));
  EXPECT_EQ(LoopJoin(JoinType::kLeft, lt).size(), 7u);
  EXPECT_EQ(LoopJoin(JoinType::kRight, lt).size(), 8u);  // + r1, rnull
  EXPECT_EQ(LoopJoin(JoinType::kFull, lt).size(), 9u);
  EXPECT_EQ(LoopJoin(JoinType::kSemi, lt), (V{"1|l1", "2|l2", "2|l2b", "5|l5"}));
  EXPECT_EQ(LoopJoin(JoinType::kAnti, lt), (V{"NULL|lnull"}));
  EXPECT_EQ(LoopJoin(JoinType::kInner, nullptr).size(), 25u);
}

TEST_F(JoinTest, LargeJoinAcrossBatches) {
  auto t = MakeT(3000);
  auto u = MakeTable("u", {{"id", TInt8(), true}}, {0});
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 500; ++i) rows.push_back({Value::Int64(i * 2)});
  Fill(*u, rows);
  auto j = Node(PlanKind::kHashJoin, {TInt4(), TInt8()}, {ScanAll(t, {0}), ScanAll(u, {0})});
  j->left_keys = {Col(0, TInt4())};
  j->right_keys = {Col(0, TInt8())};
  EXPECT_EQ(Run(*j).size(), 499u);
  auto nl = Node(PlanKind::kNestedLoopJoin, {TInt4(), TInt8()}, {ScanAll(t, {0}), ScanAll(u, {0})});
  nl->predicate = Cmp("=", Col(0, TInt4()), Col(1, TInt8()));
  nl->join_type = JoinType::kLeft;
  EXPECT_EQ(Run(*nl).size(), 3000u);
}

}  // namespace
}  // namespace activestore::executor::testing
