#include "bench/bench_util.h"

#include <atomic>

#include "executor/operators/operator.h"
#include "storage/table_store.h"

namespace activestore::bench {

MetricsStore::~MetricsStore() {
  table.reset();
  catalog.reset();
  engine.reset();
  std::filesystem::remove_all(dir);
}

int64_t MetricsStore::Run(const planner::PlanNode& plan, const executor::ScanTopN* top_n,
                          const std::map<std::string, std::string>* settings) const {
  std::atomic<bool> cancel{false};
  auto txn = engine->Begin();
  executor::ExecContext ctx;
  ctx.txn = txn.get();
  ctx.catalog = catalog.get();
  ctx.cancel = &cancel;
  if (settings != nullptr) {
    ctx.get_setting = [settings](const std::string& name) -> std::optional<std::string> {
      auto it = settings->find(name);
      if (it == settings->end()) return std::nullopt;
      return it->second;
    };
  }
  executor::ExecState st(ctx);
  st.scan_top_n = top_n;
  executor::OperatorPtr op = executor::BuildOperator(plan, st);
  executor::DataChunk chunk;
  int64_t rows = 0;
  while (op->Next(&chunk)) rows += static_cast<int64_t>(chunk.size);
  txn->Commit();
  return rows;
}

namespace {

std::unique_ptr<MetricsStore> MakeMetricsStore(uint32_t shards) {
  spdlog::set_level(spdlog::level::warn);
  auto s = std::make_unique<MetricsStore>();
  s->dir = NewTempDir();
  storage::StorageOptions o;
  o.data_dir = s->dir.string();
  o.cache_size_mb = 512;
  o.sync_mode = "off";
  o.log_prealloc = false;
  s->engine = storage::Engine::Open(o).value();
  s->catalog = storage::Catalog::Open(s->engine.get(), shards);
  storage::TableInfo info = MetricsTable();
  info.database_oid = s->catalog->Snapshot()->FindDatabase("postgres")->oid;
  s->table = s->catalog->CreateTable(std::move(info));
  constexpr int64_t kPerTxn = 50000;
  for (int64_t i = 0; i < kMetricsStoreRows; i += kPerTxn) {
    auto txn = s->engine->Begin();
    for (int64_t j = i; j < std::min(i + kPerTxn, kMetricsStoreRows); ++j) {
      storage::TableStore::Insert(s->catalog.get(), txn.get(), *s->table, MetricsRow(j));
    }
    txn->Commit();
  }
  s->engine->Checkpoint();
  s->rows = kMetricsStoreRows;
  return s;
}

}  // namespace

const MetricsStore& SharedMetricsStore() {
  static const std::unique_ptr<MetricsStore> store = MakeMetricsStore(1);
  return *store;
}

const MetricsStore& SharedShardedMetricsStore() {
  static const std::unique_ptr<MetricsStore> store = MakeMetricsStore(8);
  return *store;
}

TempEngine& SharedAccountsEngine() {
  static const std::unique_ptr<TempEngine> db = [] {
    auto e = std::make_unique<TempEngine>();
    e->Run("CREATE TABLE accounts (aid int PRIMARY KEY, bid int, abalance int, filler char(84))");
    e->Run("INSERT INTO accounts SELECT g, 1 + g / 10000, 0, '' FROM generate_series(1, " +
           std::to_string(kAccounts) + ") AS g");
    return e;
  }();
  return *db;
}

}  // namespace activestore::bench
