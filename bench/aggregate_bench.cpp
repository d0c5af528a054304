// Hash aggregation: GROUP BY device_id with count(*), sum(id) (int8, a numeric result) and
// avg(value) (float8).
//  - BM_HashAggregateVectors/groups: 1M rows already in column vectors (batches of kBatchSize),
//    grouped into 100 or 100,000 groups with the aggregation's parts (HashRows, KeyHashTable,
//    AggregateEvaluator), as the Aggregate operator drives them: the cost of aggregating alone.
//  - BM_AggregatePlan: the same aggregate as a plan (Aggregate over the ShardScan of the 1M-row
//    metrics table in WiredTiger, 100 groups), scan and decode included.
//  - BM_AggregateDateBinPlan: GROUP BY date_bin('1 hour', ts, origin), device_id with
//    avg/min/max/count over the same scan (compare.py's date_bin query).
//  - BM_AggregateDateBinParallel/leader: GROUP BY date_bin('2 hours', ...), device_id (13,900
//    groups: as compare.py's 16,700, more than fit a third or half of hash_mem) over a Gather of
//    the 8 shard scans of the same rows, on 2 parallel workers, the leader running fragments too
//    (1) or only gathering (0); work_mem 4MB. Wall time is the figure (the work is on the workers'
//    threads).
#include <benchmark/benchmark.h>

#include <atomic>
#include <map>
#include <string>

#include "bench/bench_util.h"
#include "executor/aggregates.h"

namespace activestore::bench {
namespace {

using planner::AggKind;

std::vector<planner::AggregateSpec> Aggregates(int id_column, int value_column) {
  planner::AggregateSpec count, sum, avg;
  count.kind = AggKind::kCountStar;
  count.result_type = Type::Of(TypeId::kInt64);
  sum.kind = AggKind::kSum;
  sum.args = {ColumnRef(id_column, Type::Of(TypeId::kInt64))};
  sum.result_type = Type::Of(TypeId::kNumeric);
  avg.kind = AggKind::kAvg;
  avg.args = {ColumnRef(value_column, Type::Of(TypeId::kFloat64))};
  avg.result_type = Type::Of(TypeId::kFloat64);
  return {count, sum, avg};
}

void BM_HashAggregateVectors(benchmark::State& state) {
  const int64_t groups = state.range(0);
  constexpr int64_t kRows = 1000000;
  // Columns: device_id int4 (the key), id int8, value float8.
  std::vector<executor::DataChunk> chunks;
  for (int64_t i = 0; i < kRows; ++i) {
    if (chunks.empty() || chunks.back().size == executor::kBatchSize) {
      chunks.emplace_back().Init(
          {Type::Of(TypeId::kInt32), Type::Of(TypeId::kInt64), Type::Of(TypeId::kFloat64)});
    }
    chunks.back().AppendRow({Value::Int32(static_cast<int32_t>(i % groups)), Value::Int64(i),
                             Value::Float64(static_cast<double>(i % 1000) / 10.0)});
  }
  const std::vector<planner::AggregateSpec> specs = Aggregates(1, 2);
  std::atomic<bool> cancel{false};
  executor::ExecContext ctx;
  ctx.cancel = &cancel;
  executor::ExecState st(ctx);
  for (auto _ : state) {
    std::vector<std::unique_ptr<executor::AggregateEvaluator>> aggs;
    for (const auto& spec : specs)
      aggs.push_back(std::make_unique<executor::AggregateEvaluator>(spec));
    std::vector<std::vector<executor::AggState>> states(aggs.size());
    executor::KeyHashTable table({Type::Of(TypeId::kInt32)});
    std::vector<uint64_t> hashes;
    std::vector<uint32_t> group_ids;
    for (const executor::DataChunk& in : chunks) {
      std::vector<const executor::Vector*> keys = {&in.columns[0]};
      executor::HashRows(keys, in.size, &hashes);
      group_ids.resize(in.size);
      for (size_t r = 0; r < in.size; ++r) {
        bool inserted;
        group_ids[r] = static_cast<uint32_t>(table.FindOrInsert(keys, r, hashes[r], &inserted));
        if (inserted) {
          for (auto& s : states) s.emplace_back();
        }
      }
      for (size_t a = 0; a < aggs.size(); ++a) aggs[a]->Update(in, group_ids, st, &states[a]);
    }
    for (size_t g = 0; g < table.size(); ++g) {
      for (size_t a = 0; a < aggs.size(); ++a)
        benchmark::DoNotOptimize(aggs[a]->Finalize(states[a][g]));
    }
    if (static_cast<int64_t>(table.size()) != groups) state.SkipWithError("wrong group count");
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_HashAggregateVectors)->Arg(100)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_AggregatePlan(benchmark::State& state) {
  const MetricsStore& store = SharedMetricsStore();
  // SELECT device_id, count(*), sum(id), avg(value) FROM metrics GROUP BY device_id
  auto scan = std::make_shared<planner::PlanNode>();
  scan->kind = planner::PlanKind::kShardScan;
  scan->table = store.table;
  scan->columns = {0, 2, 4};
  for (int c : scan->columns) scan->output_types.push_back(store.table->columns[c].type);
  auto agg = std::make_shared<planner::PlanNode>();
  agg->kind = planner::PlanKind::kAggregate;
  agg->children = {scan};
  agg->group_exprs = {ColumnRef(1, Type::Of(TypeId::kInt32))};
  agg->aggregates = Aggregates(0, 2);
  agg->output_types = {Type::Of(TypeId::kInt32)};
  for (const auto& a : agg->aggregates) agg->output_types.push_back(a.result_type);
  for (auto _ : state) {
    if (store.Run(*agg) != 100) state.SkipWithError("wrong group count");
  }
  state.SetItemsProcessed(state.iterations() * store.rows);
}
BENCHMARK(BM_AggregatePlan)->Unit(benchmark::kMillisecond);

// Aggregate over `input` (columns ts, device_id, value): GROUP BY date_bin(bucket_seconds, ts,
// origin), device_id with avg/min/max(value) and count(*).
std::shared_ptr<planner::PlanNode> DateBinAggregate(std::shared_ptr<planner::PlanNode> input,
                                                    int64_t bucket_seconds) {
  const Type tstz = Type::Of(TypeId::kTimestampTz), f8 = Type::Of(TypeId::kFloat64);
  auto agg = std::make_shared<planner::PlanNode>();
  agg->kind = planner::PlanKind::kAggregate;
  agg->children = {std::move(input)};
  agg->group_exprs = {Expr(planner::BoundExprKind::kFunction, tstz,
                           {Constant(Value::Interval(Interval{bucket_seconds * 1000000, 0, 0})),
                            ColumnRef(0, tstz), Constant(MetricsRow(0)[1])},
                           "date_bin"),
                      ColumnRef(1, Type::Of(TypeId::kInt32))};
  std::vector<planner::AggregateSpec> specs(4);
  const AggKind kinds[] = {AggKind::kAvg, AggKind::kMin, AggKind::kMax, AggKind::kCountStar};
  for (size_t i = 0; i < specs.size(); ++i) {
    specs[i].kind = kinds[i];
    if (kinds[i] != AggKind::kCountStar) specs[i].args = {ColumnRef(2, f8)};
    specs[i].result_type = kinds[i] == AggKind::kCountStar ? Type::Of(TypeId::kInt64) : f8;
  }
  agg->aggregates = specs;
  agg->output_types = {tstz, Type::Of(TypeId::kInt32)};
  for (const auto& a : agg->aggregates) agg->output_types.push_back(a.result_type);
  return agg;
}

// The scan of columns ts, device_id, value of one shard of the metrics table.
std::shared_ptr<planner::PlanNode> TsDeviceValueScan(const MetricsStore& store, uint32_t shard) {
  auto scan = std::make_shared<planner::PlanNode>();
  scan->kind = planner::PlanKind::kShardScan;
  scan->table = store.table;
  scan->shard = shard;
  scan->columns = {1, 2, 4};
  for (int c : scan->columns) scan->output_types.push_back(store.table->columns[c].type);
  return scan;
}

// SELECT date_bin('1 hour', ts, origin), device_id, avg(value), min(value), max(value), count(*)
// FROM metrics GROUP BY 1, 2: compare.py's date_bin query (27,800 groups of 36 rows).
void BM_AggregateDateBinPlan(benchmark::State& state) {
  const MetricsStore& store = SharedMetricsStore();
  auto agg = DateBinAggregate(TsDeviceValueScan(store, 0), 3600);
  const int64_t groups = (store.rows + 3599) / 3600 * 100;
  for (auto _ : state) {
    if (store.Run(*agg) != groups) state.SkipWithError("wrong group count");
  }
  state.SetItemsProcessed(state.iterations() * store.rows);
}
BENCHMARK(BM_AggregateDateBinPlan)->Unit(benchmark::kMillisecond);

void BM_AggregateDateBinParallel(benchmark::State& state) {
  const MetricsStore& store = SharedShardedMetricsStore();
  auto gather = std::make_shared<planner::PlanNode>();
  gather->kind = planner::PlanKind::kGather;
  for (uint32_t shard = 0; shard < store.table->shard_count; ++shard) {
    gather->children.push_back(TsDeviceValueScan(store, shard));
    gather->output_types = gather->children.back()->output_types;
  }
  auto agg = DateBinAggregate(gather, 7200);
  const std::map<std::string, std::string> settings = {
      {"max_parallel_workers_per_gather", "2"},
      {"min_parallel_table_scan_size", "0"},
      {"transaction_isolation", "read committed"},
      {"parallel_leader_participation", state.range(0) != 0 ? "on" : "off"},
      {"work_mem", "4MB"},
      {"hash_mem_multiplier", "2"}};
  const int64_t groups = (store.rows + 7199) / 7200 * 100;
  for (auto _ : state) {
    if (store.Run(*agg, nullptr, &settings) != groups) state.SkipWithError("wrong group count");
  }
  state.SetItemsProcessed(state.iterations() * store.rows);
}
BENCHMARK(BM_AggregateDateBinParallel)
    ->Arg(1)
    ->Arg(0)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace activestore::bench
