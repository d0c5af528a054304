// Shared set-up for the micro-benchmarks: a NodeEngine on a throwaway data directory, a session
// that runs SQL, and small builders of bound expressions and tables for the benchmarks that work
// below the session.
#pragma once

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "executor/engine.h"
#include "planner/plan.h"
#include "storage/catalog.h"
#include "storage/storage.h"

namespace activestore::executor {
struct ScanTopN;
}

namespace activestore::bench {

// A new empty directory under /tmp for a data directory (the caller removes it).
inline std::filesystem::path NewTempDir() {
  static int count = 0;
  auto dir = std::filesystem::temp_directory_path() /
             ("activestore_bench_" + std::to_string(::getpid()) + "_" + std::to_string(++count));
  std::filesystem::remove_all(dir);
  return dir;
}

// A NodeEngine on a fresh directory under /tmp (removed at destruction), durable writes off, with
// one session. `engine` is "wiredtiger" or "memory".
class TempEngine {
 public:
  explicit TempEngine(const std::string& engine = "wiredtiger") {
    spdlog::set_level(spdlog::level::warn);
    dir_ = NewTempDir();
    executor::EngineOptions opts;
    opts.storage.engine = engine;
    opts.storage.data_dir = dir_.string();
    opts.storage.cache_size_mb = 256;
    opts.storage.sync_mode = "off";
    opts.storage.log_prealloc = false;
    auto opened = executor::NodeEngine::Open(opts);
    if (!opened.ok()) throw opened.error();
    engine_ = std::move(opened).value();
    session_ = engine_->Connect({{"user", "postgres"}, {"database", "postgres"}});
  }
  ~TempEngine() {
    session_.reset();
    engine_->Shutdown();
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }
  TempEngine(const TempEngine&) = delete;
  TempEngine& operator=(const TempEngine&) = delete;

  executor::Session* session() { return session_.get(); }

  // Runs every statement of `sql` as one simple query; returns the last result.
  executor::QueryResult Run(const std::string& sql) {
    executor::QueryResult last;
    for (auto& st : session_->ParseSimple(sql)) last = session_->Execute(*st, {});
    session_->Sync();
    return last;
  }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<executor::NodeEngine> engine_;
  std::unique_ptr<executor::Session> session_;
};

inline std::shared_ptr<planner::BoundExpr> NewExpr(planner::BoundExprKind kind, Type type,
                                                   std::vector<planner::BoundExprPtr> children = {},
                                                   std::string op = "") {
  auto e = std::make_shared<planner::BoundExpr>();
  e->kind = kind;
  e->type = type;
  e->children = std::move(children);
  e->op = std::move(op);
  return e;
}
// An operator or function call (`op`: "+", ">", "lower", ...) over `children`.
inline planner::BoundExprPtr Expr(planner::BoundExprKind kind, Type type,
                                  std::vector<planner::BoundExprPtr> children, std::string op) {
  return NewExpr(kind, type, std::move(children), std::move(op));
}
inline planner::BoundExprPtr ColumnRef(int index, Type type) {
  auto e = NewExpr(planner::BoundExprKind::kColumn, type);
  e->column_index = index;
  return e;
}
inline planner::BoundExprPtr Constant(Value v) {
  auto e = NewExpr(planner::BoundExprKind::kConstant, v.type);
  e->value = std::move(v);
  return e;
}

// The design note's metrics table: (id int8 PRIMARY KEY, ts timestamptz, device_id int4,
// metric text, value float8), unsharded. Not yet created in any catalog.
inline storage::TableInfo MetricsTable() {
  storage::TableInfo t;
  t.schema = "public";
  t.name = "metrics";
  t.columns = {{"id", Type::Of(TypeId::kInt64), true, std::nullopt},
               {"ts", Type::Of(TypeId::kTimestampTz), false, std::nullopt},
               {"device_id", Type::Of(TypeId::kInt32), false, std::nullopt},
               {"metric", Type::Of(TypeId::kText), false, std::nullopt},
               {"value", Type::Of(TypeId::kFloat64), false, std::nullopt}};
  t.primary_key = {0};
  return t;
}
// Row i of the metrics table: one reading a second from 2026-01-01, 100 devices, 4 metrics.
inline std::vector<Value> MetricsRow(int64_t i) {
  static const char* kMetrics[] = {"cpu_user", "cpu_system", "mem_used", "disk_io"};
  constexpr int64_t kJan2026 = 820540800LL * 1000000;  // microseconds since 2000-01-01
  return {Value::Int64(i), Value::Int(TypeId::kTimestampTz, kJan2026 + i * 1000000),
          Value::Int32(static_cast<int32_t>(i % 100)), Value::Text(kMetrics[i % 4]),
          Value::Float64(static_cast<double>(i % 1000) / 10.0)};
}

// The metrics table with kMetricsStoreRows rows in one shard, in WiredTiger on a temporary
// directory (removed at exit), loaded once per process and shared by the scan and aggregation
// benchmarks, which work below the session: their plans are built by hand and run on the
// operators.
struct MetricsStore {
  std::filesystem::path dir;
  std::unique_ptr<storage::Engine> engine;
  std::unique_ptr<storage::Catalog> catalog;
  std::shared_ptr<const storage::TableInfo> table;
  int64_t rows = 0;
  ~MetricsStore();
  // Runs `plan` (over `table`) in a transaction of its own, pulling its batches as DataChunks
  // (never converted to rows of Values); returns the number of rows it produced.
  // `top_n`: as a parallel worker's state gets it under a top-n sort (ExecState::scan_top_n).
  // `settings`: what the plan's session settings read (parallel fragments need some).
  int64_t Run(const planner::PlanNode& plan, const executor::ScanTopN* top_n = nullptr,
              const std::map<std::string, std::string>* settings = nullptr) const;
};
inline constexpr int64_t kMetricsStoreRows = 1000000;
const MetricsStore& SharedMetricsStore();
// The same table in 8 shards (a Gather of 8 shard scans, as the server's default), made once.
const MetricsStore& SharedShardedMetricsStore();

// A TempEngine (WiredTiger) with a pgbench-like `accounts (aid int PRIMARY KEY, bid int,
// abalance int, filler char(84))` table of kAccounts rows, made once per process.
inline constexpr int kAccounts = 100000;
TempEngine& SharedAccountsEngine();

}  // namespace activestore::bench
