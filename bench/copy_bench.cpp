// COPY FROM STDIN through a whole in-process session (no wire protocol), into compare.py's
// ingest table `(id bigint PRIMARY KEY, ts timestamptz NOT NULL, device_id int NOT NULL,
// metric text NOT NULL, value double precision)` on WiredTiger (log sync off, 8 shards):
//  - BM_CopyInCsv/N: one COPY ... WITH (FORMAT csv) of N rows fed in 64 KiB pieces, then
//    Finish (the commit). The table is dropped and created again between iterations, untimed.
// Wall time is the figure: the rows are parsed on the calling thread and written into the
// engine on a second one (executor/copy.cpp, CopyWriter).
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>

#include "bench/bench_util.h"

namespace activestore::bench {
namespace {

// compare.py's time series (TsData): 100 devices, one row per device per second.
std::string MetricsCsv(int64_t rows) {
  static const char* kMetrics[] = {"cpu", "mem", "disk", "net"};
  std::string out;
  out.reserve(static_cast<size_t>(rows) * 48);
  for (int64_t i = 0; i < rows; ++i) {
    const int64_t sec = i / 100, dev = i % 100;
    const int64_t t = 1704067200 + sec;
    char ts[32];
    time_t tt = static_cast<time_t>(t);
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S+00", &tm);
    const double v = std::round((50.0 + 40.0 * std::sin(sec / 300.0 + dev)) * 1e4) / 1e4;
    out += fmt::format("{},{},{},{},{}\n", i + 1, ts, dev, kMetrics[sec % 4], v);
  }
  return out;
}

void BM_CopyInCsv(benchmark::State& state) {
  static TempEngine* db = new TempEngine();  // kept for the process, as the shared tables
  const int64_t rows = state.range(0);
  const std::string csv = MetricsCsv(rows);
  for (auto _ : state) {
    state.PauseTiming();
    db->Run("DROP TABLE IF EXISTS copy_bench");
    db->Run(
        "CREATE TABLE copy_bench (id bigint PRIMARY KEY, ts timestamptz NOT NULL, device_id int "
        "NOT NULL, metric text NOT NULL, value double precision)");
    state.ResumeTiming();
    executor::Session* session = db->session();
    executor::QueryResult r = session->Execute(
        *session->ParseSimple("COPY copy_bench FROM STDIN WITH (FORMAT csv)").at(0), {});
    constexpr size_t kPiece = 65536;
    for (size_t i = 0; i < csv.size(); i += kPiece) {
      r.copy_in->Feed(std::string_view(csv).substr(i, kPiece));
    }
    executor::QueryResult done = r.copy_in->Finish();
    session->Sync();
    if (done.command_tag != "COPY " + std::to_string(rows)) state.SkipWithError("wrong count");
  }
  state.SetItemsProcessed(state.iterations() * rows);
}
BENCHMARK(BM_CopyInCsv)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace activestore::bench
