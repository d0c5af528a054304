// Scan decode: stored rows (storage::EncodeRow's bytes) into column vectors.
//  - BM_DecodeFields/n: storage::DecodeFields of the first n columns of 1024 encoded rows of the
//    metrics table (no vectors: the cost of reading the row format).
//  - BM_ScanToVectors/cols: the ShardScan operator over the 1M-row metrics table (WiredTiger),
//    projecting one column (id, the first; value, the last, which decodes the whole row) or all
//    five, pulled batch by batch as DataChunks (what every plain SELECT's scan does).
//  - BM_ScanFiltered: the same scan of (ts, device_id, value) with the predicate
//    `device_id = 42 AND ts >= $lo AND ts < $hi` (compare.py's range scan: 1 device, 1 hour):
//    the conjuncts are tested on the decoded fields, and only the 36 rows that pass are appended.
//  - BM_ScanTopN: all five columns under a top-10 `ORDER BY value DESC` (ExecState::scan_top_n,
//    as a parallel worker's scans get it): rows worse than the 10th best value read so far are
//    dropped before they are appended (here 1,000 rows tie for the best value, so ~1,000 pass).
#include <benchmark/benchmark.h>

#include "bench/bench_util.h"
#include "executor/exec_state.h"
#include "storage/encoding.h"

namespace activestore::bench {
namespace {

void BM_DecodeFields(benchmark::State& state) {
  storage::TableInfo table = MetricsTable();
  std::vector<std::string> rows;
  for (int64_t i = 0; i < 1024; ++i) rows.push_back(storage::EncodeRow(MetricsRow(i), table));
  std::vector<storage::FieldCodec> codecs = storage::RowFieldCodecs(table);
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<storage::Field> fields(codecs.size());
  for (auto _ : state) {
    for (const std::string& r : rows) {
      storage::DecodeFields(r, codecs, n, fields.data());
      benchmark::DoNotOptimize(fields.data());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows.size()));
}
BENCHMARK(BM_DecodeFields)->Arg(1)->Arg(5);

// A ShardScan of the metrics table's shard 0 projecting `columns`.
std::shared_ptr<planner::PlanNode> MetricsScan(const MetricsStore& store,
                                               std::vector<int> columns) {
  auto scan = std::make_shared<planner::PlanNode>();
  scan->kind = planner::PlanKind::kShardScan;
  scan->table = store.table;
  scan->shard = 0;
  scan->columns = std::move(columns);
  for (int c : scan->columns) scan->output_types.push_back(store.table->columns[c].type);
  return scan;
}

void BM_ScanToVectors(benchmark::State& state) {
  const MetricsStore& store = SharedMetricsStore();
  std::shared_ptr<planner::PlanNode> scan;
  switch (state.range(0)) {
    case 0:
      scan = MetricsScan(store, {0});
      state.SetLabel("id");
      break;
    case 1:
      scan = MetricsScan(store, {4});
      state.SetLabel("value");
      break;
    default:
      scan = MetricsScan(store, {0, 1, 2, 3, 4});
      state.SetLabel("all 5 columns");
  }
  int64_t rows = 0;
  for (auto _ : state) rows += store.Run(*scan);
  state.SetItemsProcessed(rows);
}
BENCHMARK(BM_ScanToVectors)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);

std::shared_ptr<planner::BoundExpr> Expr(planner::BoundExprKind kind, Type type) {
  auto e = std::make_shared<planner::BoundExpr>();
  e->kind = kind;
  e->type = type;
  return e;
}

std::shared_ptr<planner::BoundExpr> ColumnRef(int index, Type type) {
  auto e = Expr(planner::BoundExprKind::kColumn, type);
  e->column_index = index;
  return e;
}

planner::BoundExprPtr Compare(const char* op, planner::BoundExprPtr a, const Value& v) {
  auto c = Expr(planner::BoundExprKind::kConstant, v.type);
  c->value = v;
  auto e = Expr(planner::BoundExprKind::kCompare, Type::Of(TypeId::kBool));
  e->op = op;
  e->children = {std::move(a), std::move(c)};
  return e;
}

void BM_ScanFiltered(benchmark::State& state) {
  const MetricsStore& store = SharedMetricsStore();
  std::shared_ptr<planner::PlanNode> scan = MetricsScan(store, {1, 2, 4});
  const Type ts = Type::Of(TypeId::kTimestampTz), i4 = Type::Of(TypeId::kInt32);
  const int64_t lo = MetricsRow(500000)[1].i, hi = MetricsRow(503600)[1].i;
  auto conj = Expr(planner::BoundExprKind::kAnd, Type::Of(TypeId::kBool));
  conj->children = {Compare("=", ColumnRef(1, i4), Value::Int32(42)),
                    Compare(">=", ColumnRef(0, ts), Value::Int(TypeId::kTimestampTz, lo)),
                    Compare("<", ColumnRef(0, ts), Value::Int(TypeId::kTimestampTz, hi))};
  scan->predicate = conj;
  int64_t rows = 0;
  for (auto _ : state) {
    if (store.Run(*scan) != 36) state.SkipWithError("wrong row count");
    rows += store.rows;
  }
  state.SetItemsProcessed(rows);
}
BENCHMARK(BM_ScanFiltered)->Unit(benchmark::kMillisecond);

void BM_ScanTopN(benchmark::State& state) {
  const MetricsStore& store = SharedMetricsStore();
  std::shared_ptr<planner::PlanNode> scan = MetricsScan(store, {0, 1, 2, 3, 4});
  executor::ScanTopN top_n{4, /*descending=*/true, /*nulls_first=*/true, 10};
  int64_t rows = 0, passed = 0;
  for (auto _ : state) {
    passed = store.Run(*scan, &top_n);
    rows += store.rows;
  }
  state.counters["passed"] = static_cast<double>(passed);
  state.SetItemsProcessed(rows);
}
BENCHMARK(BM_ScanTopN)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace activestore::bench
