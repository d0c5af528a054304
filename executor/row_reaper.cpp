// The row reaper (row_reaper.h).
#include "executor/row_reaper.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "common/error.h"
#include "common/metrics.h"
#include "storage/encoding.h"
#include "storage/replication.h"
#include "storage/table_store.h"
#include "storage/user_txn.h"

namespace activestore::executor {

RowReaper::RowReaper(storage::Engine* storage, storage::Catalog* catalog,
                     storage::LockManager* locks, storage::SerializableValidator* validator,
                     std::function<bool()> in_recovery, Options options)
    : storage_(storage),
      catalog_(catalog),
      locks_(locks),
      validator_(validator),
      in_recovery_(std::move(in_recovery)),
      options_(options) {
  // A locked row is skipped (and met again next time); a table lock is waited for briefly.
  policy_.lock_timeout = std::chrono::milliseconds(200);
}

RowReaper::~RowReaper() { Stop(); }

void RowReaper::Start() {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void RowReaper::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RowReaper::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, options_.period, [this] { return stop_; });
    if (stop_) break;
    lock.unlock();
    try {
      if (!in_recovery_()) RunOnce();
    } catch (const std::exception& e) {
      spdlog::warn("row reaper: {}", e.what());
    }
    lock.lock();
  }
}

size_t RowReaper::RunOnce() {
  std::vector<std::shared_ptr<const storage::TableInfo>> tables;
  {
    auto snap = catalog_->Snapshot();
    for (const auto& [name, t] : snap->tables) {
      if (t && !t->is_view && !t->is_sequence() && t->expiry.active()) tables.push_back(t);
    }
  }
  size_t budget = options_.max_deletes_per_period;
  size_t deleted = 0;
  ++cycle_;
  for (const auto& t : tables) {
    // Shards are visited starting at a different one each period, so that when the budget
    // runs out the same shards are not always the ones left behind.
    for (uint32_t i = 0; i < t->shard_count && budget > 0; ++i) {
      const uint32_t shard = static_cast<uint32_t>((cycle_ + i) % t->shard_count);
      bool done = false;
      // A shard is scanned to its end at most once a period, batch by batch.
      while (!done && budget > 0) {
        size_t n = 0;
        try {
          n = ReapBatch(*t, shard, budget, &done);
        } catch (const Error& e) {
          // A lock timeout (DDL on the table), a conflict with a writer, a dropped table:
          // try again next period.
          spdlog::debug("row reaper: table {} shard {}: {}", t->name, shard, e.message());
          break;
        }
        deleted += n;
        budget -= std::min(budget, n);
        {
          std::lock_guard<std::mutex> lock(mu_);
          if (stop_) return deleted;
        }
      }
    }
  }
  // Forget the positions of tables that are gone.
  for (auto it = resume_.begin(); it != resume_.end();) {
    const bool live = std::any_of(tables.begin(), tables.end(),
                                  [&](const auto& t) { return t->oid == it->first.first; });
    it = live ? std::next(it) : resume_.erase(it);
  }
  rows_expired_.fetch_add(deleted, std::memory_order_relaxed);
  metrics::ProcessMetrics().rows_expired.Add(deleted);
  return deleted;
}

size_t RowReaper::ReapBatch(const storage::TableInfo& table, uint32_t shard, size_t max_deletes,
                            bool* done) {
  *done = false;
  std::unique_ptr<storage::Transaction> inner = storage_->Begin(storage::Isolation::kReadCommitted);
  storage::UserTransaction txn(std::move(inner), locks_, locks_->NewOwner(0), &policy_, validator_,
                               /*serializable=*/false);
  txn.LockRelation(table.oid, storage::LockMode::kRowExclusive);
  // The table as it is now that it is locked (a concurrent ALTER may have changed it).
  std::shared_ptr<const storage::TableInfo> current =
      catalog_->Snapshot()->FindRelationByOid(table.oid);
  if (!current || !current->expiry.active() || current->storage_gen != table.storage_gen) {
    txn.Rollback();
    *done = true;
    return 0;
  }
  const std::string shard_table = current->ShardTable(shard);
  std::string& resume = resume_[{current->oid, shard}];
  storage::ExpiryCheck check(*current);
  const int64_t now = storage::ExpiryClockNow();
  std::vector<std::string> expired;
  size_t examined = 0;
  {
    std::unique_ptr<storage::Cursor> cursor = txn.Scan(shard_table, resume, {});
    bool more = false;
    while (cursor->Next()) {
      if (examined == options_.batch_rows || expired.size() == max_deletes) {
        resume = std::string(cursor->key());  // the next visit starts here
        more = true;
        break;
      }
      ++examined;
      if (check.Expired(cursor->value(), now)) expired.emplace_back(cursor->key());
    }
    if (!more) {
      resume.clear();
      *done = true;
    }
  }
  storage::RowLockWait skip;
  skip.skip_locked = true;
  size_t deleted = 0;
  for (const std::string& key : expired) {
    if (!txn.LockRow(current->oid, key, storage::RowLockMode::kUpdate, &skip)) continue;
    // Checked again under the lock: a concurrent upsert may have renewed the row.
    std::optional<std::string> bytes = txn.Get(shard_table, key);
    if (!bytes || !check.Expired(*bytes, storage::ExpiryClockNow())) continue;
    storage::TableStore::Delete(
        &txn, *current, storage::StoredRow{shard, key, storage::DecodeRow(*bytes, *current)});
    ++deleted;
  }
  txn.Commit();
  // Not waited for by synchronous replicas: the rows were invisible already.
  (void)storage::TakeThreadCommitLsn();
  return deleted;
}

}  // namespace activestore::executor
