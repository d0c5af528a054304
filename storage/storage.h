// The storage interface: ordered key-value tables with snapshot transactions. Only
// storage/wiredtiger/ includes wiredtiger.h; everything above sees this interface, which is
// also the plug-in point for other back ends (storage/memory/ is an in-memory one).
//
// Keys and values are byte strings; keys compare bytewise (memcmp order). Rows are encoded
// by storage/encoding.h.
//
// Thread safety: an Engine is thread-safe. A Transaction and its Cursors belong to one thread
// at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "storage/lock_manager.h"

namespace activestore::storage {

class ReadFence;  // storage/group_commit.h

// Encryption at rest (storage/encryption.h, docs/design/2026-12-06-encryption-at-rest.md):
// chosen when the data directory is created and fixed for its life.
struct EncryptionOptions {
  std::string algorithm = "none";  // "none" or "aes256" (AES-256-GCM)
  // Where the keys come from: a file (relative to the data directory), or a shell command whose
  // standard output has the key file's format. One of the two when algorithm is aes256.
  std::string key_file;
  std::string key_command;
};

struct StorageOptions {
  std::string engine = "wiredtiger";  // "wiredtiger" or "memory"
  std::string data_dir = "./data";
  uint64_t cache_size_mb = 512;  // WiredTiger cache: the buffer cache
  // How far the cache may grow while running transactions' changes fill it (WiredTiger 3.2
  // cannot evict uncommitted changes); it shrinks back once they are committed and written.
  // 0: half of the physical memory. Never below cache_size_mb.
  uint64_t cache_grow_max_mb = 0;
  // Durability: "fsync" syncs the log at every commit (group commit), "periodic" syncs it
  // every `sync_period_ms` (a crash can lose the commits since the last sync), "off" leaves it
  // to the OS.
  std::string sync_mode = "fsync";
  uint32_t sync_period_ms = 100;
  uint32_t log_file_max_mb = 100;
  bool log_prealloc = true;
  // The shard log (storage/shard_log.h): every commit also writes its changes, in the same
  // transaction, to the log of each shard it touched. Off: no log, no LSNs (no replicas, no
  // point-in-time restore). Entries older than `log_keep_seconds` are removed in the
  // background while no consumer needs them.
  bool shard_log = true;
  uint32_t log_keep_seconds = 60;
  // Disk space: while the data directory's file system has less than `disk_reserve_mb` free,
  // writes and commits that wrote fail with 53100 (reads go on), so that the engine itself
  // never meets a full disk in the middle of a log write or a checkpoint; they resume when
  // space returns. A file of `disk_reserve_mb / 2` MB (at most 64) is kept in the data directory
  // and deleted at start-up when space is short, so recovery has room. 0 turns both off.
  uint64_t disk_reserve_mb = 64;
  // Free bytes of the data directory's file system (tests replace statvfs with this).
  std::function<uint64_t()> free_space_probe;
  EncryptionOptions encryption;
};

// The engines' error for a write that met a version newer than the snapshot, or one being
// written by another transaction (40001). Unlike SERIALIZABLE's own failures it means
// "somebody else wrote this key".
inline Error WriteConflictError() {
  Error e(SqlState::kSerializationFailure, "could not serialize access due to concurrent update");
  e.retryable = true;
  return e;
}
inline bool IsWriteConflict(const Error& e) {
  return e.state() == SqlState::kSerializationFailure &&
         e.message() == "could not serialize access due to concurrent update";
}

enum class Isolation { kSnapshot, kReadCommitted };

// Iterates the rows of one table in key order within [lower, upper).
class Cursor {
 public:
  virtual ~Cursor() = default;
  // Moves to the next row; false at the end. The first call moves to the first row.
  // Throws Error (40001 on a conflict, XX000 on an engine failure).
  virtual bool Next() = 0;
  // Valid until the next call to Next() or the cursor's destruction.
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
};

// A snapshot transaction. Destroying it without Commit() rolls it back.
class Transaction {
 public:
  virtual ~Transaction() = default;
  // The value stored under key, or nullopt.
  virtual std::optional<std::string> Get(std::string_view table, std::string_view key) = 0;
  // Inserts; throws Error 23505 if the key exists (the caller adds the constraint detail).
  virtual void Insert(std::string_view table, std::string_view key, std::string_view value) = 0;
  // Inserts or overwrites.
  virtual void Put(std::string_view table, std::string_view key, std::string_view value) = 0;
  // Removes the key; returns false if it was not there.
  virtual bool Delete(std::string_view table, std::string_view key) = 0;
  // Rows with lower <= key < upper; an empty upper means no upper bound.
  virtual std::unique_ptr<Cursor> Scan(std::string_view table, std::string_view lower = {},
                                       std::string_view upper = {}) = 0;
  // The same rows in descending key order (an index read backwards: ORDER BY ... DESC).
  virtual std::unique_ptr<Cursor> ScanBackward(std::string_view table, std::string_view lower = {},
                                               std::string_view upper = {}) = 0;
  // Locks a row (or a unique key) of `relation` before it is written, as PostgreSQL's tuple
  // locks do: waits while another transaction holds a conflicting lock on the same key. A
  // plain engine transaction locks nothing; a UserTransaction (storage/user_txn.h) does.
  // Returns false only under SKIP LOCKED. Throws 55P03, 57014, 40P01 (lock_manager.h).
  // `wait`, when given, overrides how a conflicting lock is met (SELECT ... NOWAIT / SKIP
  // LOCKED); otherwise the transaction's own wait policy applies.
  virtual bool LockRow(uint32_t relation, std::string_view key, RowLockMode mode,
                       const RowLockWait* wait = nullptr) {
    (void)relation;
    (void)key;
    (void)mode;
    (void)wait;
    return true;
  }
  // Fails with 40001 `could not serialize access due to concurrent update` if the key was
  // changed by a transaction that committed after this transaction's snapshot (or is being
  // changed by one still running), without writing anything: what SELECT ... FOR UPDATE needs
  // under REPEATABLE READ and SERIALIZABLE. A no-op for read-committed transactions, which
  // always read the newest committed version. Returns whether it left a reservation in the
  // engine (one that stays until the transaction ends, savepoint rollbacks notwithstanding).
  virtual bool Reserve(std::string_view table, std::string_view key) {
    (void)table;
    (void)key;
    return false;
  }
  // The value of `key` in the newest committed state, whatever this transaction's snapshot
  // and writes (read in a transaction of its own). For the error of an insert that met a
  // newer version (a key another transaction committed is a unique violation, as in
  // PostgreSQL, not a serialization failure) and for FOR KEY SHARE under a snapshot (a
  // committed update that kept the key does not conflict). Usable after this transaction was
  // rolled back by a conflict.
  virtual std::optional<std::string> GetCommitted(std::string_view table, std::string_view key) {
    (void)table;
    (void)key;
    return std::nullopt;
  }
  // Locks a relation in a table lock mode until the transaction ends, waiting for conflicting
  // holders. With `nowait_name`, fails at once with 55P03 `could not obtain lock on relation
  // "<name>"` instead of waiting. A plain engine transaction locks nothing.
  virtual void LockRelation(uint32_t relation, LockMode mode, const char* nowait_name = nullptr) {
    (void)relation;
    (void)mode;
    (void)nowait_name;
  }
  // The lock manager owner of this transaction's locks (0: it takes none): what
  // transaction-level advisory locks are taken for.
  virtual LockOwner lock_owner() const { return 0; }
  // Where this transaction's reads record the commits they met that are not durable yet
  // (storage/group_commit.h); the session waits for them before its client hears of the reads.
  // Null (the default): nothing is recorded.
  virtual void SetReadFence(ReadFence* fence) { (void)fence; }
  // Makes the writes durable per the sync mode. Throws 40001 if the transaction conflicted;
  // the transaction is then rolled back.
  virtual void Commit() = 0;
  virtual void Rollback() = 0;
};

// Counters for metrics and pg_statio-style views (cumulative since the engine opened, except
// the cache sizes). An engine without a cache or a log leaves those at 0.
struct StorageStats {
  uint64_t cache_bytes = 0;
  uint64_t cache_max_bytes = 0;
  uint64_t cache_dirty_bytes = 0;
  uint64_t pages_read_into_cache = 0;  // misses
  uint64_t pages_requested = 0;        // hits + misses
  uint64_t pages_evicted_clean = 0;
  uint64_t pages_evicted_dirty = 0;  // written out before eviction
  uint64_t log_syncs = 0;            // fsyncs of the log (the durable part of commits)
  // Group commit (storage/group_commit.h): commits that shared log flushes, the flushes their
  // leaders made, and the waits of sessions for reads of commits not yet durable.
  uint64_t group_commits = 0;
  uint64_t group_flushes = 0;
  uint64_t read_fence_waits = 0;
};

class Engine {
 public:
  virtual ~Engine() = default;
  // Opens (creating if needed) the storage under options.data_dir.
  // Errors: the directory is locked by another running process, or holds data of an
  // incompatible format version (both with a clear message); an I/O failure.
  static Result<std::unique_ptr<Engine>> Open(const StorageOptions& options);

  // Tables are named by [a-z0-9_] strings. Creating an existing table is a no-op.
  // Not transactional: callers record tables in the catalog and clean up on failure.
  virtual void CreateTable(std::string_view name) = 0;
  // Drops the table and its data; a missing table is a no-op.
  virtual void DropTable(std::string_view name) = 0;
  virtual std::vector<std::string> ListTables() = 0;

  virtual std::unique_ptr<Transaction> Begin(Isolation isolation = Isolation::kSnapshot) = 0;
  // A short snapshot transaction of the engine's own bookkeeping (blocks of row ids): never
  // throttled by a cache full of other transactions' changes (a bulk load must be able to
  // allocate the ids of its next rows), and committed without waiting for the log sync. It is
  // durable no later than the first synced commit after it, which any commit that uses what
  // it allocated is.
  virtual std::unique_ptr<Transaction> BeginBookkeeping() { return Begin(Isolation::kSnapshot); }
  // Makes everything committed so far durable (CHECKPOINT).
  virtual void Checkpoint() = 0;
  virtual StorageStats Stats() = 0;
  // The shard log (storage/shard_log.h): every commit with an LSN <= DurableLsn() is complete,
  // so a log reader never reads past it; LastLsn() is the newest LSN handed out. An engine
  // without a log returns 0 for both.
  virtual uint64_t DurableLsn() { return 0; }
  virtual uint64_t LastLsn() { return 0; }
  // Returns once the commit with group-commit `ticket` (a ReadFence's) is durable; 0 or an
  // engine without group commit: at once.
  virtual void AwaitDurable(uint64_t ticket) { (void)ticket; }
};

}  // namespace activestore::storage
