#include "executor/executor.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "executor/executor_test_util.h"

namespace activestore::executor::testing {
namespace {

using K = BoundExprKind;
using planner::AggKind;
using planner::AggregateSpec;
using V = std::vector<std::string>;

class ExecutorTest : public ExecutorFixture {
 protected:
  std::shared_ptr<const storage::TableInfo> MakeT(int n) {
    auto t = MakeTable("t", {{"id", TInt4(), true}, {"v", TInt4()}}, {0});
    std::vector<std::vector<Value>> rows;
    for (int i = 1; i <= n; ++i) {
      rows.push_back({Value::Int32(i), i == n ? Value::Null(TInt4()) : Value::Int32(i * 10)});
    }
    Fill(*t, rows);
    return t;
  }

  static PlanPtr CountStar(PlanPtr child) {
    auto n = Node(PlanKind::kAggregate, {TInt8()}, {std::move(child)});
    AggregateSpec a;
    a.kind = AggKind::kCountStar;
    a.result_type = TInt8();
    n->aggregates = {a};
    return n;
  }

  PlanPtr ResultOf(BoundExprPtr e) {
    auto r = Node(PlanKind::kResult, {e->type});
    r->exprs = {std::move(e)};
    return r;
  }

  // Rows of a VALUES with one int4 column.
  static PlanPtr Ints(const std::vector<std::optional<int>>& xs) {
    std::vector<std::vector<Value>> rows;
    for (auto x : xs) rows.push_back({x ? Value::Int32(*x) : Value::Null(TInt4())});
    return ValuesOf({TInt4()}, rows);
  }
};

TEST_F(ExecutorTest, ScalarSubqueries) {
  EXPECT_EQ(Eval1(Sub(K::kSubquery, TInt4(), Ints({7}), false)), "7");
  EXPECT_EQ(Eval1(Sub(K::kSubquery, TInt4(), Ints({}), false)), "NULL");
  EXPECT_SQLSTATE(Eval1(Sub(K::kSubquery, TInt4(), Ints({1, 2}), false)), "21000",
                  "more than one row returned by a subquery used as an expression");
  // Not evaluated for no outer rows: no error.
  auto over_nothing = Project(Ints({}), {Sub(K::kSubquery, TInt4(), Ints({1, 2}), false)});
  EXPECT_EQ(Rows(*over_nothing), V{});
}

TEST_F(ExecutorTest, CorrelatedSubqueries) {
  auto t = MakeT(5);  // ids 1..5, v = 10..40, NULL
  // SELECT x, (SELECT count(*) FROM t WHERE t.id < x) FROM (VALUES 1, 3, 6) v(x)
  auto inner = CountStar(ScanAll(t, {0}, Cmp("<", Col(0, TInt4()), Outer(1, 0, TInt4()))));
  auto q = Project(Ints({1, 3, 6}), {Col(0, TInt4()), Sub(K::kSubquery, TInt8(), inner, true)});
  EXPECT_EQ(Rows(*q), (V{"1|0", "3|2", "6|5"}));
  // EXISTS (SELECT 1 FROM t WHERE t.v = x * 10) and NOT EXISTS.
  auto pred = Cmp("=", Col(1, TInt4()), Ar("*", Outer(1, 0, TInt4()), I4(10), TInt4()));
  auto exists = Sub(K::kExists, TBool(), ScanAll(t, {0, 1}, pred), true);
  auto not_exists = Sub(K::kExists, TBool(), ScanAll(t, {0, 1}, pred), true, {}, "", true);
  EXPECT_EQ(Rows(*Project(Ints({1, 5, std::nullopt}), {exists, not_exists})),
            (V{"t|f", "f|t", "f|t"}));
  // Two levels: SELECT x, (SELECT (SELECT x + y) FROM (VALUES 100) w(y)) ...
  auto innermost = ResultOf(Ar("+", Outer(2, 0, TInt4()), Outer(1, 0, TInt4()), TInt4()));
  auto middle = Project(Ints({100}), {Sub(K::kSubquery, TInt4(), innermost, true)});
  EXPECT_EQ(Rows(*Project(Ints({1, 2}), {Sub(K::kSubquery, TInt4(), middle, true)})),
            (V{"101", "102"}));
}

TEST_F(ExecutorTest, InSubqueryNullSemantics) {
  auto with_null = Ints({1, 2, std::nullopt});
  auto without_null = Ints({1, 2});
  for (bool correlated : {false, true}) {
    auto in = [&](PlanPtr sub, bool negated) {
      return Sub(K::kInSubquery, TBool(), sub, correlated, {Col(0, TInt4())}, "=", negated);
    };
    auto xs = Ints({1, 3, std::nullopt});
    EXPECT_EQ(Rows(*Project(xs, {in(with_null, false)})), (V{"t", "NULL", "NULL"}));
    EXPECT_EQ(Rows(*Project(xs, {in(without_null, false)})), (V{"t", "f", "NULL"}));
    EXPECT_EQ(Rows(*Project(xs, {in(with_null, true)})), (V{"f", "NULL", "NULL"}));
    EXPECT_EQ(Rows(*Project(xs, {in(without_null, true)})), (V{"f", "t", "NULL"}));
    EXPECT_EQ(Rows(*Project(xs, {in(Ints({}), false)})), (V{"f", "f", "f"}));
    EXPECT_EQ(Rows(*Project(xs, {in(Ints({}), true)})), (V{"t", "t", "t"}));
  }
  // x < ALL (1, 2), x < ANY (1, 2), x > ALL (empty) and with a NULL.
  auto quant = [&](const std::string& op, bool all, PlanPtr sub) {
    auto e = std::const_pointer_cast<BoundExpr>(
        Sub(K::kInSubquery, TBool(), sub, false, {Col(0, TInt4())}, op));
    e->sublink_all = all;
    return Rows(*Project(Ints({0, 1, 5}), {e}));
  };
  EXPECT_EQ(quant("<", true, without_null), (V{"t", "f", "f"}));
  EXPECT_EQ(quant("<", false, without_null), (V{"t", "t", "f"}));
  EXPECT_EQ(quant("<", true, with_null), (V{"NULL", "f", "f"}));
  EXPECT_EQ(quant(">", true, Ints({})), (V{"t", "t", "t"}));
  // Mixed types: int4 IN (SELECT int8 ...).
  auto big = ValuesOf({TInt8()}, {{Value::Int64(3)}});
  EXPECT_EQ(Rows(*Project(Ints({3, 4}),
                          {Sub(K::kInSubquery, TBool(), big, false, {Col(0, TInt4())}, "=")})),
            (V{"t", "f"}));
}

TEST_F(ExecutorTest, InsertReturningAndNotNull) {
  auto t =
      MakeTable("items", {{"id", TInt4(), true}, {"name", TText(), true}, {"qty", TInt8()}}, {0});
  auto ins = Node(PlanKind::kInsert, {TInt4(), TText()},
                  {ValuesOf({TInt4(), TText(), TInt4()},
                            {{Value::Int32(1), Value::Text("a"), Value::Int32(5)},
                             {Value::Int32(2), Value::Text("b"), Value::Null(TInt4())}})});
  ins->table = t;
  ins->returning = {Col(0, TInt4()), Ar("*", Col(2, TInt8()), I8(2), TInt8())};
  int64_t n = 0;
  auto rows = Run(*ins, &n);
  EXPECT_EQ(n, 2);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(ShowRow(rows[0]), "1|10");
  EXPECT_EQ(ShowRow(rows[1]), "2|NULL");
  EXPECT_EQ(Rows(*ScanAll(t, {0, 1, 2}), true), (V{"1|a|5", "2|b|NULL"}));
  EXPECT_EQ(Run(*ScanAll(t, {2}))[0][0].type.id, TypeId::kInt64);

  auto bad = Node(PlanKind::kInsert, {},
                  {ValuesOf({TInt4(), TText(), TInt8()},
                            {{Value::Int32(3), Value::Null(TText()), Value::Null(TInt8())}})});
  bad->table = t;
  try {
    Run(*bad);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(SqlStateCode(e.state()), "23502");
    EXPECT_EQ(e.message(),
              "null value in column \"name\" of relation \"items\" violates not-null constraint");
    EXPECT_EQ(e.detail.value_or(""), "Failing row contains (3, null, null).");
    EXPECT_EQ(e.column.value_or(""), "name");
  }
  auto dup = Node(PlanKind::kInsert, {},
                  {ValuesOf({TInt4(), TText(), TInt8()},
                            {{Value::Int32(1), Value::Text("x"), Value::Null(TInt8())}})});
  dup->table = t;
  EXPECT_SQLSTATE(Run(*dup), "23505", "");
}

TEST_F(ExecutorTest, InsertOnConflictDoNothing) {
  storage::IndexInfo uniq;
  uniq.name = "u_code_key";
  uniq.columns = {1};
  uniq.unique = true;
  auto t = MakeTable("u", {{"id", TInt4(), true}, {"code", TText()}}, {0}, {uniq});
  Fill(*t, {{Value::Int32(1), Value::Text("a")}, {Value::Int32(2), Value::Null(TText())}});
  auto ins = Node(PlanKind::kInsert, {},
                  {ValuesOf({TInt4(), TText()}, {{Value::Int32(1), Value::Text("z")},      // pk
                                                 {Value::Int32(3), Value::Text("a")},      // code
                                                 {Value::Int32(4), Value::Null(TText())},  // ok
                                                 {Value::Int32(5), Value::Text("n")},      // ok
                                                 {Value::Int32(6), Value::Text("n")},      // dup
                                                 {Value::Int32(5), Value::Text("m")}})});  // dup
  ins->table = t;
  ins->on_conflict_do_nothing = true;
  int64_t n = 0;
  Run(*ins, &n);
  EXPECT_EQ(n, 2);
  EXPECT_EQ(Rows(*ScanAll(t, {0, 1}), true), (V{"1|a", "2|NULL", "4|NULL", "5|n"}));
}

TEST_F(ExecutorTest, UpdateWithReturningAndHalloween) {
  auto t = MakeT(50);
  // UPDATE t SET v = v + 1 WHERE id <= 3 RETURNING id, v
  auto upd = Node(PlanKind::kUpdate, {TInt4(), TInt4()},
                  {ScanAll(t, {0, 1}, Cmp("<=", Col(0, TInt4()), I4(3)), true)});
  upd->table = t;
  upd->assignments = {{1, Ar("+", Col(1, TInt4()), I4(1), TInt4())}};
  upd->returning = {Col(0, TInt4()), Col(1, TInt4())};
  int64_t n = 0;
  std::vector<std::string> rows;
  for (const auto& r : Run(*upd, &n)) rows.push_back(ShowRow(r));
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(n, 3);
  EXPECT_EQ(rows, (V{"1|11", "2|21", "3|31"}));
  // UPDATE t SET id = id + 1000: every row moves (possibly to another shard) exactly once.
  auto move = Node(PlanKind::kUpdate, {}, {ScanAll(t, {0, 1}, nullptr, true)});
  move->table = t;
  move->assignments = {{0, Ar("+", Col(0, TInt4()), I4(1000), TInt4())}};
  Run(*move, &n);
  EXPECT_EQ(n, 50);
  auto ids = Run(*ScanAll(t, {0}));
  ASSERT_EQ(ids.size(), 50u);
  for (const auto& r : ids) {
    EXPECT_GT(r[0].i, 1000);
    EXPECT_LE(r[0].i, 1050);
  }
  // SET id = NULL violates NOT NULL.
  auto nul = Node(PlanKind::kUpdate, {}, {ScanAll(t, {0, 1}, nullptr, true)});
  nul->table = t;
  nul->assignments = {{0, Null(TInt4())}};
  EXPECT_SQLSTATE(Run(*nul), "23502",
                  "null value in column \"id\" of relation \"t\" violates not-null constraint");
  // Overflow in the assignment.
  auto ovf = Node(PlanKind::kUpdate, {}, {ScanAll(t, {0, 1}, nullptr, true)});
  ovf->table = t;
  ovf->assignments = {{1, Ar("*", Col(1, TInt4()), I4(1 << 30), TInt4())}};
  EXPECT_SQLSTATE(Run(*ovf), "22003", "integer out of range");
}

TEST_F(ExecutorTest, DeleteWithReturning) {
  auto t = MakeT(20);
  auto del = Node(PlanKind::kDelete, {TInt4()},
                  {ScanAll(t, {0, 1}, Cmp(">", Col(0, TInt4()), I4(17)), true)});
  del->table = t;
  del->returning = {Col(0, TInt4())};
  int64_t n = 0;
  std::vector<std::string> rows;
  for (const auto& r : Run(*del, &n)) rows.push_back(ShowRow(r));
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(n, 3);
  EXPECT_EQ(rows, (V{"18", "19", "20"}));
  EXPECT_EQ(Run(*ScanAll(t, {0})).size(), 17u);
  // Delete through a primary key lookup.
  auto lookup = Node(PlanKind::kPrimaryKeyLookup, {TInt4(), TInt4()});
  lookup->table = t;
  lookup->columns = {0, 1};
  lookup->key_exprs = {I4(5)};
  lookup->emit_row_location = true;
  auto del2 = Node(PlanKind::kDelete, {}, {lookup});
  del2->table = t;
  Run(*del2, &n);
  EXPECT_EQ(n, 1);
  Run(*del2, &n);
  EXPECT_EQ(n, 0);
  EXPECT_EQ(Run(*ScanAll(t, {0})).size(), 16u);
}

TEST_F(ExecutorTest, InsertSelectFromSameTable) {
  auto t = MakeTable("h", {{"x", TInt4()}}, {});
  Fill(*t, {{Value::Int32(1)}, {Value::Int32(2)}, {Value::Int32(3)}});
  auto ins = Node(PlanKind::kInsert, {}, {ScanAll(t, {0})});
  ins->table = t;
  int64_t n = 0;
  Run(*ins, &n);
  EXPECT_EQ(n, 3);
  EXPECT_EQ(Run(*ScanAll(t, {0})).size(), 6u);
}

TEST_F(ExecutorTest, Cancel) {
  auto t = MakeT(10);
  cancel_ = true;
  EXPECT_SQLSTATE(Run(*ScanAll(t, {0})), "57014", "canceling statement due to user request");
  cancel_ = false;
  EXPECT_EQ(Run(*ScanAll(t, {0})).size(), 10u);
}

TEST_F(ExecutorTest, QueryReturnsDeliveredCount) {
  int64_t n = 0;
  Run(*Ints({1, 2, 3}), &n);
  EXPECT_EQ(n, 3);
}

// Prints rows/s for scan + filter + grouped aggregate over generated rows in memory.
TEST_F(ExecutorTest, MicroBenchmarkScanFilterAggregate) {
  // 1M rows; 100k under the sanitizers, where loading 1M rows alone takes minutes.
  // ACTIVESTORE_BENCH_ROWS overrides.
#if defined(__SANITIZE_ADDRESS__)
  int n = 100000;
#else
  int n = 1000000;
#endif
  if (const char* env = std::getenv("ACTIVESTORE_BENCH_ROWS")) n = std::atoi(env);
  auto t = MakeTable("bench", {{"id", TInt8(), true}, {"g", TInt4()}, {"x", TInt8()}}, {0});
  {
    auto txn = engine_->Begin();
    for (int i = 0; i < n; ++i) {
      storage::TableStore::Insert(catalog_.get(), txn.get(), *t,
                                  {Value::Int64(i), Value::Int32(i % 100), Value::Int64(i % 1000)});
    }
    txn->Commit();
  }
  // SELECT g, count(*), sum(x), avg(x) FROM bench WHERE x >= 500 GROUP BY g
  auto agg = Node(PlanKind::kAggregate, {TInt4(), TInt8(), TNum(), TNum()},
                  {ScanAll(t, {1, 2}, Cmp(">=", Col(1, TInt8()), I8(500)))});
  agg->group_exprs = {Col(0, TInt4())};
  AggregateSpec c, s, a;
  c.kind = AggKind::kCountStar;
  c.result_type = TInt8();
  s.kind = AggKind::kSum;
  s.args = {Col(1, TInt8())};
  s.result_type = TNum();
  a.kind = AggKind::kAvg;
  a.args = {Col(1, TInt8())};
  a.result_type = TNum();
  agg->aggregates = {c, s, a};
  auto start = std::chrono::steady_clock::now();
  auto rows = Run(*agg);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(rows.size(), n >= 100 ? 100u : static_cast<size_t>(n));
  int64_t total = 0;
  for (const auto& r : rows) total += r[1].i;
  EXPECT_EQ(total, n / 1000 * 500 + std::max(0, n % 1000 - 500));
  std::printf("[ bench    ] scan+filter+aggregate: %d rows in %.3f s = %.0f rows/s\n", n, secs,
              n / secs);
}

}  // namespace
}  // namespace activestore::executor::testing
