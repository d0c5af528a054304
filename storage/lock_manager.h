// The lock manager: PostgreSQL's heavyweight locks for one node. Table locks in the eight
// modes of PostgreSQL's conflict table, row locks in the four row-lock modes (FOR KEY SHARE,
// FOR SHARE, FOR NO KEY UPDATE, FOR UPDATE), and advisory locks. Locks are held by an owner
// (a transaction, or a session for session-level advisory locks) until released; a request
// that conflicts waits in a FIFO queue, bounded by lock_timeout, statement_timeout and the
// session's cancel flag, and a wait of more than deadlock_timeout looks for a cycle in the
// wait-for graph (the waiter that finds one fails with 40P01).
//
// A waiting thread is marked as blocked in its WorkerPool (common/worker_pool.h), which starts
// another thread, so waiters never starve the lock holders of threads.
//
// Thread safety: thread-safe. One mutex guards the whole table (the server has few cores;
// every critical section is short).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace activestore::storage {

// PostgreSQL's table lock modes, in its order (lock.h).
enum class LockMode : uint8_t {
  kAccessShare = 1,
  kRowShare,
  kRowExclusive,
  kShareUpdateExclusive,
  kShare,
  kShareRowExclusive,
  kExclusive,
  kAccessExclusive,
};
// Row lock modes (FOR KEY SHARE, FOR SHARE, FOR NO KEY UPDATE, FOR UPDATE). UPDATE of non-key
// columns takes kNoKeyUpdate, DELETE and key changes kUpdate.
enum class RowLockMode : uint8_t { kKeyShare = 1, kShare, kNoKeyUpdate, kUpdate };

const char* LockModeName(LockMode m);        // "AccessShareLock", ...
const char* RowLockModeName(RowLockMode m);  // "ForKeyShare", ...
// Parses "access share", "row exclusive", ... (LOCK TABLE's spelling); nullopt if unknown.
std::optional<LockMode> ParseLockMode(std::string_view words);

enum class LockKind : uint8_t { kRelation = 1, kRow, kAdvisory };

struct LockTag {
  LockKind kind = LockKind::kRelation;
  uint32_t database = 0;
  uint32_t relation = 0;  // relation oid (kRelation, kRow)
  uint64_t id = 0;        // kRow: hash of the row's storage key; kAdvisory: the key
  bool operator==(const LockTag& o) const {
    return kind == o.kind && database == o.database && relation == o.relation && id == o.id;
  }
};

struct LockTagHash {
  size_t operator()(const LockTag& t) const;
};

using LockOwner = uint64_t;

// What bounds one wait. Times are absolute; a default time_point means none.
struct WaitPolicy {
  bool nowait = false;                                         // fail at once with 55P03 (NOWAIT)
  bool skip_locked = false;                                    // return false at once (SKIP LOCKED)
  std::chrono::milliseconds lock_timeout{0};                   // per wait; 0 = none
  std::chrono::steady_clock::time_point statement_deadline{};  // statement_timeout
  std::chrono::milliseconds deadlock_timeout{1000};
  const std::atomic<bool>* cancel = nullptr;
  // Message of the 55P03 error for NOWAIT, e.g. `could not obtain lock on relation "t"`.
  std::string nowait_message;
  // A row lock of SELECT ... FOR UPDATE / NO KEY UPDATE: the table is held ROW SHARE, as in
  // PostgreSQL, not ROW EXCLUSIVE as for a row a statement writes.
  bool select_lock = false;
};

// How a single row-lock request meets a conflicting lock, overriding the transaction's
// policy: SELECT ... FOR UPDATE NOWAIT fails with 55P03 `message`, SKIP LOCKED skips the row.
struct RowLockWait {
  bool nowait = false;
  bool skip_locked = false;
  std::string message;
  bool select_lock = false;  // see WaitPolicy::select_lock
};

// One row of pg_locks.
struct LockInfo {
  LockTag tag;
  int pid = 0;
  std::string mode;
  bool granted = false;
};

class LockManager {
 public:
  LockManager() = default;
  LockManager(const LockManager&) = delete;
  LockManager& operator=(const LockManager&) = delete;

  // A new owner, tied to the backend pid that pg_locks and deadlock reports show.
  LockOwner NewOwner(int pid);
  // Releases everything the owner holds and forgets it.
  void ReleaseAll(LockOwner owner);
  // Two-phase commit: a prepared transaction's owner outlives its session. SetPid re-ties an
  // owner to another backend pid (0 for a prepared transaction, as pg_locks shows it);
  // Held lists what the owner holds (tag, mode; in acquisition order); Restore grants a lock
  // without waiting or conflict checks, for re-acquiring a prepared transaction's locks at
  // start-up, before any session runs (they were all held together before the restart).
  void SetPid(LockOwner owner, int pid);
  std::vector<std::pair<LockTag, uint8_t>> Held(LockOwner owner);
  void Restore(LockOwner owner, const LockTag& tag, uint8_t mode);
  // Releases the locks taken since the owner's mark (for ROLLBACK TO SAVEPOINT). `keep`, when
  // given, returns for each such lock (tag, mode) the mode to hold instead: 0 releases it,
  // the same mode keeps it, a weaker mode is granted before the stronger one goes (so no
  // waiter slips in between). Marks stay valid across lock escalation.
  uint64_t Mark(LockOwner owner);
  void ReleaseSince(LockOwner owner, uint64_t mark,
                    const std::function<uint8_t(const LockTag&, uint8_t)>& keep = nullptr);

  // Takes the lock, waiting as the policy allows. Returns false only with skip_locked when the
  // lock is taken by another owner. Throws Error: 55P03 (nowait, lock_timeout), 57014 (cancel,
  // statement_timeout), 40P01 (deadlock).
  bool LockTable(LockOwner owner, uint32_t database, uint32_t relation, LockMode mode,
                 const WaitPolicy& policy);
  bool LockRow(LockOwner owner, uint32_t relation, std::string_view storage_key, RowLockMode mode,
               const WaitPolicy& policy);
  // LockTag::id of a row lock on `storage_key`.
  static uint64_t RowLockId(std::string_view storage_key);
  // `field` tells the two key spaces apart as PostgreSQL's objsubid does: 1 for one bigint
  // key, 2 for a pair of integer keys (key = k1 << 32 | k2).
  bool LockAdvisory(LockOwner owner, uint32_t database, uint64_t key, bool shared,
                    const WaitPolicy& policy, uint32_t field = 1);
  // Releases one hold of an advisory lock; false if the owner does not hold it in that mode.
  bool UnlockAdvisory(LockOwner owner, uint32_t database, uint64_t key, bool shared,
                      uint32_t field = 1);
  // Whether `owner` holds `relation` in a mode at least as strong as... (any mode) mode.
  bool HoldsTable(LockOwner owner, uint32_t database, uint32_t relation, LockMode mode);

  // Pids of the owners that block the waiting request of `pid` (pg_blocking_pids).
  std::vector<int> BlockingPids(int pid);
  std::vector<LockInfo> Locks();  // pg_locks
  // The backends waiting for a lock now, with the kind of lock (pg_stat_activity.wait_event).
  std::vector<std::pair<int, LockKind>> Waits();

 private:
  struct Waiter;
  struct Holder {
    LockOwner owner;
    uint32_t counts[9] = {0};  // holds per mode (index = mode value); advisory locks count
    uint16_t mask() const;
  };
  struct Lock {
    std::vector<Holder> holders;
    std::deque<Waiter*> waiters;
  };
  struct Waiter {
    LockOwner owner;
    uint8_t mode;
    bool granted = false;
    std::condition_variable cv;
  };
  struct HeldLock {
    LockTag tag;
    uint8_t mode;
    uint64_t seq;  // grant number of the owner (Mark/ReleaseSince)
  };
  struct OwnerState {
    int pid = 0;
    std::vector<HeldLock> held;  // in acquisition order
    uint64_t grants = 0;         // locks granted so far
    std::optional<LockTag> waiting_tag;
    Waiter* waiting = nullptr;
    std::unordered_map<uint32_t, size_t> row_counts;  // row locks taken per relation
  };

  bool Acquire(LockOwner owner, const LockTag& tag, uint8_t mode, const WaitPolicy& policy);
  // REQUIRES: mu_ held.
  bool Grantable(const Lock& lock, LockOwner owner, uint8_t mode, const LockTag& tag,
                 const Waiter* upto) const;
  void GrantLocked(Lock& lock, LockOwner owner, uint8_t mode, const LockTag& tag);
  void ReleaseOneLocked(LockOwner owner, const LockTag& tag, uint8_t mode);
  void WakeLocked(Lock& lock, const LockTag& tag);
  void RemoveWaiterLocked(LockOwner owner, const LockTag& tag, Waiter* w);
  // REQUIRES: mu_ held. Whether two owners belong to one backend (same non-zero pid).
  bool SameProcessLocked(LockOwner a, LockOwner b) const;
  // REQUIRES: mu_ held. The owner of `owner`'s backend that is waiting, else `owner`.
  LockOwner WaitingOwnerOfProcessLocked(LockOwner owner) const;
  // Owners that `owner`'s current wait is blocked by.
  std::vector<LockOwner> BlockersLocked(LockOwner owner) const;
  // A cycle through `owner` in the wait-for graph, as the list of owners on it.
  std::vector<LockOwner> FindCycleLocked(LockOwner owner) const;
  // Breaks `cycle` at a soft edge (a waiter queued behind a conflicting waiter while its
  // request is compatible with the holders) by moving that waiter ahead and granting it.
  // Returns false if the cycle has no such edge (a real deadlock).
  bool ResolveSoftEdgeLocked(const std::vector<LockOwner>& cycle);
  std::string DescribeWaitLocked(LockOwner owner) const;

  std::mutex mu_;
  std::unordered_map<LockTag, Lock, LockTagHash> locks_;  // GUARDED_BY(mu_)
  std::unordered_map<LockOwner, OwnerState> owners_;      // GUARDED_BY(mu_)
  LockOwner next_owner_ = 1;                              // GUARDED_BY(mu_)
};

}  // namespace activestore::storage
