// The plan cache's hit path: a statement the session has already parsed and planned, asked for
// again by its text, through the extended protocol's Parse (Session::Prepare, which also checks
// the plan against the catalog version) and the simple protocol (Session::ParseSimple).
#include <benchmark/benchmark.h>

#include "bench/bench_util.h"

namespace activestore::bench {
namespace {

constexpr const char* kSelect = "SELECT abalance FROM accounts WHERE aid = $1";
constexpr const char* kSimpleSelect = "SELECT abalance FROM accounts WHERE aid = 42";

void BM_PlanCacheHitPrepare(benchmark::State& state) {
  TempEngine& db = SharedAccountsEngine();
  db.session()->Prepare(kSelect, {});
  for (auto _ : state) benchmark::DoNotOptimize(db.session()->Prepare(kSelect, {}));
}
BENCHMARK(BM_PlanCacheHitPrepare)->Unit(benchmark::kMicrosecond);

void BM_PlanCacheHitSimple(benchmark::State& state) {
  TempEngine& db = SharedAccountsEngine();
  db.session()->ParseSimple(kSimpleSelect);
  for (auto _ : state) {
    benchmark::DoNotOptimize(db.session()->ParseSimple(kSimpleSelect));
    db.session()->Sync();
  }
}
BENCHMARK(BM_PlanCacheHitSimple)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace activestore::bench
