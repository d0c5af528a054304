// Group commit: many concurrent commits share one log flush, and no client sees what a commit
// not yet durable wrote (docs/design/2026-12-07-group-commit.md).
//
// A commit that is made visible before its log is flushed (WiredTiger's commit_transaction with
// sync=off) first registers its write set here and takes a ticket (Begin), commits, leaves the
// in-flight set (End), then waits for its ticket to be durable (WaitDurable): one waiter at a
// time flushes the log for every commit that finished before the flush began (the leader), the
// others wait for it (the followers). Readers ask whether a key or a table they read has a
// commit pending (PendingKey, PendingTable) and record the ticket in their session's ReadFence,
// which the session waits for before it sends anything to its client.
//
// Thread safety: GroupCommit and ReadFence are thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace activestore::storage {

// What one session's reads met of commits not yet durable: the newest such commit's ticket.
class ReadFence {
 public:
  void Observe(uint64_t ticket) {
    uint64_t seen = ticket_.load(std::memory_order_relaxed);
    while (ticket > seen && !ticket_.compare_exchange_weak(seen, ticket)) {
    }
  }
  // The ticket to wait for before the reads' results leave (0: none), and forgets it.
  uint64_t Take() { return ticket_.load(std::memory_order_relaxed) == 0 ? 0 : ticket_.exchange(0); }

 private:
  std::atomic<uint64_t> ticket_{0};
};

// The keys one commit wrote, per table. Past kMaxKeysPerTable keys of one table the table is
// registered whole (a bulk load does not copy its keys).
class WriteSet {
 public:
  static constexpr size_t kMaxKeysPerTable = 256;
  void Add(std::string_view table, std::string_view key);
  bool empty() const { return tables_.empty(); }

 private:
  friend class GroupCommit;
  struct Table {
    std::string name;
    std::vector<std::string> keys;
    bool whole = false;
  };
  std::vector<Table> tables_;
  size_t last_ = 0;  // the table Add found last
};

class GroupCommit {
 public:
  // `flush` makes every log record written so far durable; it returns 0 or an error code.
  explicit GroupCommit(std::function<int()> flush);

  // Before the commit is made visible: registers `writes` and returns the commit's ticket,
  // in flight until End.
  uint64_t Begin(WriteSet writes);
  // After the engine's commit (or rollback) of the ticket returned.
  void End(uint64_t ticket);
  // Returns once every ticket up to `ticket` is durable, flushing the log if no other thread
  // is; 0, or the flush's error code (the caller panics: the commits are visible).
  int WaitDurable(uint64_t ticket);

  // Readers. Cheap when nothing is pending (one atomic load).
  bool AnyPending() const { return pending_.load(std::memory_order_acquire) != 0; }
  // The last ticket handed out: a scan looks again when it changed.
  uint64_t last_ticket() const { return last_ticket_atomic_.load(std::memory_order_acquire); }
  // The newest pending commit that wrote `key` of `table`, or all of `table` (0: none).
  uint64_t PendingKey(std::string_view table, std::string_view key) const;
  // The newest pending commit that wrote anything of `table` (0: none).
  uint64_t PendingTable(std::string_view table) const;
  uint64_t durable() const { return durable_atomic_.load(std::memory_order_acquire); }

  struct Stats {
    uint64_t commits = 0;  // Begin calls
    uint64_t flushes = 0;  // log flushes by leaders
    uint64_t waits = 0;    // WaitDurable calls that had to wait
  };
  Stats stats() const;
  // Tests: while held, no flush starts (commits stay visible and not durable).
  void HoldFlushesForTesting(bool hold);

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using KeyMap = std::unordered_map<std::string, uint64_t, StringHash, std::equal_to<>>;
  struct TableEntry {
    uint64_t newest = 0;  // any write
    uint64_t whole = 0;   // the table registered whole
    KeyMap keys;
  };
  struct Pending {
    uint64_t ticket;
    WriteSet writes;
  };
  // Makes `durable` the durable ticket and drops the registrations at or below it.
  void Publish(uint64_t durable);  // REQUIRES: mu_ held

  std::function<int()> flush_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint64_t last_ticket_ = 0;          // GUARDED_BY(mu_)
  uint64_t durable_ = 0;              // GUARDED_BY(mu_)
  bool flushing_ = false;             // GUARDED_BY(mu_)
  bool hold_ = false;                 // GUARDED_BY(mu_): HoldFlushesForTesting
  std::set<uint64_t> in_flight_;      // GUARDED_BY(mu_)
  std::deque<Pending> pending_list_;  // GUARDED_BY(mu_)
  std::unordered_map<std::string, TableEntry, StringHash, std::equal_to<>> tables_;  // mu_
  std::atomic<uint64_t> pending_{0};  // pending_list_.size()
  std::atomic<uint64_t> last_ticket_atomic_{0};
  std::atomic<uint64_t> durable_atomic_{0};
  Stats stats_;  // GUARDED_BY(mu_)
};

}  // namespace activestore::storage
