// The row reaper: deletes rows that have expired (TableInfo::expiry;
// docs/design/2026-12-06-row-expiry.md) in the background, in small transactions.
//
// Every period it visits each table with row expiry, a few shards at a time, resuming each
// shard's scan where the last visit stopped; one transaction examines at most `batch_rows`
// rows and deletes the expired ones among them, so no transaction is long and the deletes of
// a mass expiry are spread over several periods (at most `max_deletes_per_period` a period).
// It takes the table's ROW EXCLUSIVE lock with a short timeout and skips rows another
// transaction has locked, so writers are never blocked for long and DDL waits at most one
// batch. Expired rows are invisible to every read whether reaped or not. Not on a replica
// (its rows go when the primary's deletes arrive).
//
// Thread safety: Start/Stop from the engine's owner thread; rows_expired() from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "storage/catalog.h"
#include "storage/lock_manager.h"
#include "storage/serializable.h"
#include "storage/storage.h"

namespace activestore::executor {

class RowReaper {
 public:
  struct Options {
    std::chrono::milliseconds period{1000};
    size_t batch_rows = 1000;               // rows examined by one transaction
    size_t max_deletes_per_period = 50000;  // across all tables
  };
  RowReaper(storage::Engine* storage, storage::Catalog* catalog, storage::LockManager* locks,
            storage::SerializableValidator* validator, std::function<bool()> in_recovery,
            Options options);
  ~RowReaper();
  RowReaper(const RowReaper&) = delete;
  RowReaper& operator=(const RowReaper&) = delete;

  void Start();
  void Stop();
  // One pass over every table (what the thread does each period); returns rows deleted.
  size_t RunOnce();
  uint64_t rows_expired() const { return rows_expired_.load(std::memory_order_relaxed); }

 private:
  void Loop();
  // One transaction over shard `shard` of `table` from its resume key; returns rows deleted
  // and sets *done when the scan reached the shard's end.
  size_t ReapBatch(const storage::TableInfo& table, uint32_t shard, size_t max_deletes, bool* done);

  storage::Engine* storage_;
  storage::Catalog* catalog_;
  storage::LockManager* locks_;
  storage::SerializableValidator* validator_;
  std::function<bool()> in_recovery_;
  Options options_;
  storage::WaitPolicy policy_;
  std::map<std::pair<storage::Oid, uint32_t>, std::string> resume_;  // next key per shard
  uint64_t cycle_ = 0;
  std::atomic<uint64_t> rows_expired_{0};
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace activestore::executor
