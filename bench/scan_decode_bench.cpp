// Scan decode: stored rows (storage::EncodeRow's bytes) into column vectors.
//  - BM_DecodeFields/n: storage::DecodeFields of the first n columns of 1024 encoded rows of the
//    metrics table (no vectors: the cost of reading the row format).
//  - BM_ScanToVectors/cols: the ShardScan operator over the 1M-row metrics table (WiredTiger),
//    projecting one column (id, the first; value, the last, which decodes the whole row) or all
//    five, pulled batch by batch as DataChunks (what every plain SELECT's scan does).
#include <benchmark/benchmark.h>

#include "bench/bench_util.h"
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

void BM_ScanToVectors(benchmark::State& state) {
  const MetricsStore& store = SharedMetricsStore();
  auto scan = std::make_shared<planner::PlanNode>();
  scan->kind = planner::PlanKind::kShardScan;
  scan->table = store.table;
  scan->shard = 0;
  switch (state.range(0)) {
    case 0:
      scan->columns = {0};
      state.SetLabel("id");
      break;
    case 1:
      scan->columns = {4};
      state.SetLabel("value");
      break;
    default:
      scan->columns = {0, 1, 2, 3, 4};
      state.SetLabel("all 5 columns");
  }
  for (int c : scan->columns) scan->output_types.push_back(store.table->columns[c].type);
  int64_t rows = 0;
  for (auto _ : state) rows += store.Run(*scan);
  state.SetItemsProcessed(rows);
}
BENCHMARK(BM_ScanToVectors)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace activestore::bench
