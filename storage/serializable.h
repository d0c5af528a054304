// SERIALIZABLE by commit-time validation of reads (backward validation, as in optimistic
// concurrency control; see docs/design/2026-12-04-transactions-and-locks.md).
//
// Every transaction that writes publishes its write set (storage keys, by storage table) when
// it commits. A SERIALIZABLE transaction records what it read: keys, and the key ranges it
// scanned (a scan's range covers rows that did not exist yet, so phantoms count). At commit it
// fails with 40001 if any transaction that committed after it began wrote a key it read or a
// key inside a range it scanned. The serial order is then the commit order: each committed
// serializable transaction saw exactly the writes of the transactions committed before it.
//
// Thread safety: SerializableValidator is thread-safe; a ReadWriteSet belongs to one
// transaction.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace activestore::storage {

class ReadWriteSet {
 public:
  void AddKey(std::string_view table, std::string_view key);
  // [lower, upper); an empty upper is unbounded.
  void AddRange(std::string_view table, std::string_view lower, std::string_view upper);
  bool empty() const { return tables_.empty(); }
  void Clear() { tables_.clear(); }
  // Whether any key of `writes` is a key or inside a range of this (read) set.
  bool Intersects(const ReadWriteSet& writes) const;

 private:
  struct PerTable {
    std::unordered_set<std::string> keys;
    std::vector<std::pair<std::string, std::string>> ranges;
    bool whole = false;  // escalated: too many keys to keep one by one
  };
  std::unordered_map<std::string, PerTable> tables_;
};

class SerializableValidator {
 public:
  // A transaction starts. Every transaction whose commit sequence is >= the returned value is
  // concurrent with it.
  uint64_t Begin(bool serializable);
  // Throws 40001 if a transaction that committed after start_seq wrote something in `reads`.
  // A SERIALIZABLE transaction checks at each write, so that a doomed one fails early (as
  // PostgreSQL's SSI fails the pivot's write), and again at commit.
  void Validate(uint64_t start_seq, const ReadWriteSet& reads);
  // Called before the storage commit. For a serializable transaction, checks its reads
  // against the writes of concurrent commits and throws 40001 on a conflict; then registers
  // `writes` as a commit in flight. Returns the commit's sequence. `always_record` keeps the
  // writes even when no serializable transaction runs now: a prepared transaction stays in
  // flight until COMMIT PREPARED, and serializable transactions that start meanwhile must
  // count it as concurrent.
  uint64_t PrepareCommit(uint64_t start_seq, bool serializable, const ReadWriteSet* reads,
                         ReadWriteSet&& writes, bool always_record = false);
  // After the storage commit (or its failure: the writes are withdrawn).
  void FinishCommit(uint64_t seq, bool committed);
  // The transaction ended (after FinishCommit, or without committing).
  void End(uint64_t start_seq, bool serializable);

  size_t tracked_commits();

 private:
  void PruneLocked();
  void ValidateLocked(uint64_t start_seq, const ReadWriteSet& reads, const char* when);

  struct Commit {
    ReadWriteSet writes;
    bool in_flight = true;
  };
  std::mutex mu_;
  uint64_t next_seq_ = 1;                  // GUARDED_BY(mu_)
  std::map<uint64_t, Commit> commits_;     // GUARDED_BY(mu_)
  std::multiset<uint64_t> active_starts_;  // start seqs of running serializable txns
};

}  // namespace activestore::storage
