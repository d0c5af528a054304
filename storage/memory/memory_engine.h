// An in-memory storage::Engine (engine = "memory") with the WiredTiger back end's semantics:
// snapshot reads through multi-version rows, write-write conflicts detected at write time
// (a key written by another open transaction, or committed after our snapshot -> 40001, the
// transaction is rolled back), duplicate keys on Insert -> 23505. Nothing is persisted.
//
// Invariants / concurrency:
// - Every row key holds its committed versions in commit-sequence order plus at most one
//   uncommitted writer (a transaction id). A transaction's own writes live in its write set
//   and are applied with one new sequence number at commit, so commits are atomic.
// - Snapshot transactions read the newest version with seq <= their snapshot; read-committed
//   ones take the latest committed sequence at each operation.
// - Versions no open snapshot can see are pruned when a key is written.
// - One mutex guards all tables; a Transaction belongs to one thread at a time.
//
// Thread safety: MemoryEngine is thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "storage/storage.h"

namespace activestore::storage::memory {

class MemTransaction;
class MemCursor;

class MemoryEngine final : public Engine {
 public:
  MemoryEngine() = default;

  void CreateTable(std::string_view name) override;
  void DropTable(std::string_view name) override;
  std::vector<std::string> ListTables() override;
  std::unique_ptr<Transaction> Begin(Isolation isolation) override;
  void Checkpoint() override {}
  StorageStats Stats() override;

 private:
  friend class MemTransaction;
  friend class MemCursor;

  struct Version {
    uint64_t seq;
    std::optional<std::string> value;  // nullopt: deleted
  };
  struct KeyState {
    std::vector<Version> versions;  // ascending seq
    uint64_t writer = 0;            // id of the open transaction that wrote this key, or 0
  };
  using Rows = std::map<std::string, KeyState, std::less<>>;
  struct Table {
    Rows rows;
  };

  // REQUIRES: mu_ held. Throws XX000 if the table does not exist.
  Table* FindTable(std::string_view name);
  // Drops versions of `key` no snapshot can see; erases the key if nothing is left.
  void Prune(Table* t, Rows::iterator it);
  uint64_t OldestSnapshot() const;

  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Table>, std::less<>> tables_;  // GUARDED_BY(mu_)
  uint64_t committed_seq_ = 0;                                         // GUARDED_BY(mu_)
  uint64_t next_txn_id_ = 1;                                           // GUARDED_BY(mu_)
  std::multiset<uint64_t> active_snapshots_;                           // GUARDED_BY(mu_)
};

}  // namespace activestore::storage::memory
