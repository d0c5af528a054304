// Point reads through a whole in-process session (parse or plan-cache lookup, plan, executor,
// storage, text formatting; no wire protocol), on a 100,000-row pgbench-like accounts table in
// WiredTiger on a temporary data directory (log sync off):
//  - BM_PointReadPrepared: Execute of a prepared `SELECT abalance FROM accounts WHERE aid = $1`
//    with a new aid each time, then Sync (pgbench -M prepared -S).
//  - BM_PointReadSimple: ParseSimple + Execute + Sync of the same query with the aid as a
//    literal, a different text each time (pgbench -M simple -S).
#include <benchmark/benchmark.h>

#include <string>

#include "bench/bench_util.h"

namespace activestore::bench {
namespace {

void BM_PointReadPrepared(benchmark::State& state) {
  TempEngine& db = SharedAccountsEngine();
  auto stmt = db.session()->Prepare("SELECT abalance FROM accounts WHERE aid = $1", {});
  int64_t aid = 0;
  for (auto _ : state) {
    aid = (aid * 7919 + 13) % kAccounts;
    executor::QueryResult r = db.session()->Execute(*stmt, {std::to_string(aid + 1)});
    db.session()->Sync();
    if (r.rows.size() != 1) state.SkipWithError("no row");
  }
}
BENCHMARK(BM_PointReadPrepared)->Unit(benchmark::kMicrosecond);

void BM_PointReadSimple(benchmark::State& state) {
  TempEngine& db = SharedAccountsEngine();
  int64_t aid = 0;
  for (auto _ : state) {
    aid = (aid * 7919 + 13) % kAccounts;
    executor::QueryResult r =
        db.Run("SELECT abalance FROM accounts WHERE aid = " + std::to_string(aid + 1));
    if (r.rows.size() != 1) state.SkipWithError("no row");
  }
}
BENCHMARK(BM_PointReadSimple)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace activestore::bench
