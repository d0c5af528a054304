// SERIALIZABLE by Serializable Snapshot Isolation, as PostgreSQL does it (Cahill's SSI with
// PostgreSQL's refinements; see docs/design/2026-12-04-transactions-and-locks.md).
//
// Every SERIALIZABLE transaction runs on one snapshot (as REPEATABLE READ) and registers here.
// It records what it read (keys, and the key ranges it scanned, so phantoms count: the
// equivalent of PostgreSQL's SIREAD locks) and what it wrote. From these the validator
// finds rw-antidependencies between concurrent serializable transactions: R -rw-> W when R
// read a key (or scanned a range holding a key) that W wrote and R's snapshot does not show
// W's write. An edge is found when the second of the two events happens: at W's write (R
// read first) or at R's read (W wrote first). Each new edge is checked for PostgreSQL's
// "dangerous structure" T0 -rw-> T1 -rw-> T2 in which T2 commits first (with the read-only
// and commit-order exceptions of PostgreSQL's OnConflict_CheckForSerializationFailure), and
// each commit runs PostgreSQL's PreCommit_CheckForSerializationFailure. A transaction to be
// cancelled is either the caller (40001 at once) or another one, which is marked doomed and
// fails with 40001 at its next read, write or commit.
//
// A committed transaction's read and write sets are kept while a running serializable
// transaction is concurrent with it. Transactions at other isolation levels do not take
// part (as in PostgreSQL).
//
// Thread safety: SerializableValidator is thread-safe; a ReadWriteSet is not.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "storage/lock_manager.h"

namespace activestore::storage {

class ReadWriteSet {
 public:
  void AddKey(std::string_view table, std::string_view key);
  // [lower, upper); an empty upper is unbounded.
  void AddRange(std::string_view table, std::string_view lower, std::string_view upper);
  bool empty() const { return tables_.empty(); }
  void Clear() { tables_.clear(); }
  // Whether this (read) set holds `key` or a range around it.
  bool Covers(std::string_view table, std::string_view key) const;
  // Whether this (write) set holds a key inside [lower, upper) (empty upper: unbounded).
  bool HasKeyIn(std::string_view table, std::string_view lower, std::string_view upper) const;

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
  SerializableValidator();
  ~SerializableValidator();

  // A transaction starts. Returns its handle for the calls below, 0 when it is not
  // SERIALIZABLE (the calls then do nothing). `read_only` is READ ONLY as declared. Call it
  // before the storage transaction takes its snapshot: a commit that finishes after Begin
  // counts as concurrent, one that finished before must be in the snapshot.
  uint64_t Begin(bool serializable, bool read_only = false, int pid = 0);
  // SERIALIZABLE READ ONLY DEFERRABLE (PostgreSQL's GetSafeSnapshot): waits until a snapshot
  // taken now is safe, i.e. no read-write serializable transaction running now can still
  // commit with a conflict out to a transaction that committed before it; if one does, waits
  // again with a newer snapshot. A transaction on a safe snapshot cannot take part in an
  // anomaly and is not tracked. Honours `policy`'s cancel flag and statement deadline.
  // `pid` is the waiting backend (for SafeSnapshotBlockers).
  void WaitForSafeSnapshot(const WaitPolicy& policy, int pid);
  // The backends whose transactions backend `pid` waits for in WaitForSafeSnapshot.
  std::vector<int> SafeSnapshotBlockers(int pid);
  // A read of `key`, or a scan of [lower, upper). Throws 40001 if this transaction is doomed
  // or must be cancelled for the rw-antidependency the read reveals.
  void OnRead(uint64_t id, std::string_view table, std::string_view key);
  void OnScan(uint64_t id, std::string_view table, std::string_view lower, std::string_view upper);
  // Before a write of `key`. Throws 40001 as OnRead.
  void OnWrite(uint64_t id, std::string_view table, std::string_view key);
  // Called before the storage commit (or at PREPARE TRANSACTION). Throws 40001 if the
  // transaction is doomed or is the last one to commit in a dangerous structure; otherwise
  // the transaction is prepared: from now on it counts as committing.
  void PrepareCommit(uint64_t id);
  // After the storage commit (or its failure, or the end of a prepared transaction).
  void FinishCommit(uint64_t id, bool committed);
  // The client's transaction object ended (after FinishCommit, or without committing). A
  // prepared transaction stays until FinishCommit.
  void End(uint64_t id);
  // A prepared SERIALIZABLE transaction found at startup: its writes are known, its reads and
  // conflicts are not, so it is assumed to have conflicts both in and out (as PostgreSQL
  // recovers one).
  uint64_t RecoverPrepared(const std::vector<std::pair<std::string, std::string>>& writes);

  // Transactions tracked (running or kept for concurrent ones); for tests.
  size_t tracked();

 private:
  struct Xact;
  Xact* FindLocked(uint64_t id);
  // OnRead (key = lo) and OnScan ([lo, hi)).
  void CheckRead(uint64_t id, std::string_view table, std::string_view lo, std::string_view hi,
                 bool range);
  bool Concurrent(const Xact& a, const Xact& b) const;
  // Whether the version of `key` that `reader` read was already overwritten by a transaction
  // X that committed before `writer` took its snapshot, with reader -rw-> X recorded. Then
  // `writer` overwrites a newer version than the one read, and reader -rw-> writer is implied by
  // reader -rw-> X and X's commit before writer (PostgreSQL keeps a SIREAD lock on the row
  // version read, so a later update of the newer version does not meet it; a cycle through
  // writer still passes through X, where the dangerous structure is found).
  static bool ReadWasOverwritten(const Xact& reader, const Xact& writer, std::string_view table,
                                 std::string_view key);
  // Records R -rw-> W after checking that it creates no dangerous structure; `me` is the
  // caller's transaction, `when` names the check for the error's DETAIL.
  void FlagConflictLocked(Xact* reader, Xact* writer, Xact* me, const char* when);
  void ThrowIfDoomed(const Xact& me, const char* when);
  void RemoveLocked(Xact* x);
  void PruneLocked();

  std::mutex mu_;
  // PostgreSQL's LastSxactCommitSeqNo: bumped at each PrepareCommit and each commit.
  uint64_t last_seq_ = 0;                                      // GUARDED_BY(mu_)
  uint64_t next_id_ = 1;                                       // GUARDED_BY(mu_)
  std::unordered_map<uint64_t, std::unique_ptr<Xact>> xacts_;  // GUARDED_BY(mu_)
  struct SafeWaiter {
    int pid = 0;
    uint64_t snapshot = 0;
    std::set<uint64_t> pending;  // read-write transactions running at the snapshot
    bool unsafe = false;
  };
  std::vector<SafeWaiter*> safe_waiters_;  // GUARDED_BY(mu_)
  std::condition_variable safe_cv_;
};

}  // namespace activestore::storage
