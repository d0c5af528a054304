// The WiredTiger back end of storage::Engine: one WT_CONNECTION per data directory, a pool of
// WT_SESSIONs (each with its own cache of open cursors), tables "table:<name>" with
// key_format=u,value_format=u. wiredtiger.h is included only by wt_engine.cpp.
//
// Invariants / concurrency:
// - A WT_SESSION is used by one thread at a time: a Transaction borrows one from the pool for
//   its whole life and gives it back (cursors reset, cached) when it ends.
// - Scan cursors are registered with their transaction; when the transaction ends first, they
//   are detached (Next() then throws) so no WT_CURSOR outlives its session's borrow.
// - DropTable bumps a schema epoch; a pooled session whose epoch is old closes all its cached
//   cursors before reuse, so the drop (retried on EBUSY) eventually finds the table unused.
// - Parallel readers (ParallelReadable, storage/parallel_readers.h) share a snapshot through a
//   WiredTiger named snapshot: the first reader begins an ordinary snapshot transaction and names
//   its snapshot; the other readers, and the leader when it has not read yet and may move its
//   snapshot (a lone statement, READ COMMITTED), begin on that name, which copies the snapshot
//   exactly (snap_min, snap_max, the list of running ids); the name is dropped at once (each
//   transaction pins what it needs itself). A leader that read or wrote before never changes its
//   snapshot (see docs/design/2026-12-05-execution-engine.md, step 5).
// - Every WiredTiger error code is mapped to an Error in one function (WtError in the .cpp):
//   WT_ROLLBACK -> 40001 (retryable; the transaction is rolled back and the session is
//   reusable), WT_DUPLICATE_KEY -> 23505, ENOSPC -> 53100, anything else -> XX000.
//
// Thread safety: WtEngine is thread-safe; a WtTransaction belongs to one thread at a time.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/data_dir.h"
#include "storage/group_commit.h"
#include "storage/parallel_readers.h"
#include "storage/replication.h"
#include "storage/shard_log.h"
#include "storage/storage.h"

struct __wt_connection;
struct __wt_session;

namespace activestore::storage::wiredtiger {

// The process's exit code after a storage panic (WiredTiger's WT_PANIC: a failed write or
// fsync, a corrupt file): the server stops at once and a supervisor restarts it.
inline constexpr int kPanicExitCode = 70;

class WtTransaction;
class WtCursor;
struct PooledSession;

class WtEngine final : public Engine,
                       public SizeEstimator,
                       public ReplicaStorage,
                       public BackupSource {
 public:
  // Opens (creating if needed) the data directory and WiredTiger in <data_dir>/wt.
  // Throws Error as DataDir::Open, 22023 for a bad sync_mode, XX000/58030 if WiredTiger fails.
  static std::unique_ptr<WtEngine> Open(const StorageOptions& options);
  ~WtEngine() override;  // REQUIRES: no transaction is open

  void CreateTable(std::string_view name) override;
  // Throws 55006 if the table stays in use (open cursors in running transactions) for seconds.
  void DropTable(std::string_view name) override;
  std::vector<std::string> ListTables() override;
  std::unique_ptr<Transaction> Begin(Isolation isolation) override;
  std::unique_ptr<Transaction> BeginBookkeeping() override;
  // max(file size, bytes in the cache) from the table's fast statistics.
  uint64_t ApproximateBytes(std::string_view table) override;
  TableCachePages CachePages(std::string_view table) override;
  // Makes everything committed durable, then recompacts the tables written since (see
  // RecompactPages).
  void Checkpoint() override;
  StorageStats Stats() override;
  // How many tables RecompactPages has reloaded since the engine opened.
  uint64_t tables_recompacted() const { return tables_recompacted_.load(); }

  // The shard log (storage/shard_log.h): the LSN below which no commit is in flight, and the
  // last LSN handed out.
  uint64_t DurableLsn() override;
  uint64_t LastLsn() override { return clock_.Last(); }
  // Group commit (sync_mode fsync; docs/design/2026-12-07-group-commit.md).
  void AwaitDurable(uint64_t ticket) override;
  GroupCommit* group_commit_for_testing() { return group_.get(); }
  // The epoch written in this node's commit entries (storage/replication.h, "Epochs").
  void set_epoch(uint64_t epoch) { epoch_.store(epoch); }
  // The newest commit entry's LSN in any log when the engine opened: how far a node that
  // committed on its own (a former primary) got, when it starts to follow another.
  uint64_t newest_logged_at_open() const { return newest_logged_at_open_; }

  // Replicas (storage/replication.h). ApplyReplicated commits without waiting for the log
  // sync; SyncLog() makes every applied transaction before it durable.
  void SetRecovery(bool on) override { recovery_.store(on); }
  bool InRecovery() const override { return recovery_.load(); }
  bool ApplyReplicated(const LoggedTransaction& t) override;
  void SyncLog();
  // A backup cursor ("backup:"): 55006 while another base copy is being taken.
  std::unique_ptr<Backup> BeginBackup() override;

  // The WiredTiger configuration string Open uses (for tests and the `wt` tool).
  static std::string ConfigString(const StorageOptions& options);

 private:
  friend class WtTransaction;
  friend class WtCursor;
  WtEngine() = default;

  PooledSession* Acquire();
  void Release(PooledSession* s);
  // A transaction for a parallel reader, begun with the begin_transaction `config`.
  std::unique_ptr<WtTransaction> BeginReader(const std::string& config);
  void SyncLoop(uint32_t period_ms);
  // The leader's flush of group commit: log_flush(sync=on) through flush_session_.
  int FlushLog();
  // Returns once `ticket` is durable; exits the process (kPanicExitCode) if the flush fails.
  void WaitGroupDurable(uint64_t ticket);
  // Every 100 ms: grows the cache while uncommitted changes fill it, and shrinks it back to
  // cache_size once they are gone (see StorageOptions::cache_grow_max_mb).
  void CacheLoop();
  // A connection statistic (WT_STAT_CONN_*), read through `session`.
  static int64_t ReadStat(__wt_session* session, int key);
  // The shard log. At Open: creates the log of every shard table that has none (and log_sys),
  // and sets the clock past every LSN in them.
  void OpenLogs();
  // A commit takes its LSN with BeginCommitLsn() before it writes its commit entries and
  // gives it back with EndCommitLsn() once WiredTiger committed or rolled it back; DurableLsn()
  // stays below every LSN in between, so a log reader never skips a commit that is still on
  // its way (WiredTiger 3.2's all_durable would need commit timestamps, which it allows only
  // at snapshot isolation, and READ COMMITTED transactions write).
  uint64_t BeginCommitLsn();
  void EndCommitLsn(uint64_t lsn);
  // A commit entry of its own in log_sys for a storage table created or dropped, with a new
  // LSN, or with `lsn` when not 0 (a replica applying its primary's record).
  void LogSchemaChange(LogCommitKind kind, std::string_view table, uint64_t lsn = 0);
  // CreateTable and DropTable. `log`: record the change in log_sys (with `lsn` as above).
  void CreateStorage(std::string_view name, bool log, uint64_t lsn);
  // A transaction applying the primary's commit `c` (ApplyReplicated).
  std::unique_ptr<WtTransaction> BeginApply(const LogCommit& c);
  void DropStorage(std::string_view name, bool log, uint64_t lsn);
  // Every 100 ms: compares the free space with the reserve (below_reserve_); every ten
  // seconds: removes log entries older than log_keep_seconds and not needed by a replication
  // slot (RetainedLogFloor).
  void MaintenanceLoop();
  // A committed transaction inserted these numbers of rows into these shard tables.
  void NoteInserted(const std::vector<std::pair<std::string, uint64_t>>& rows);
  // WiredTiger keeps the rows a transaction inserts in the in-memory form they were written
  // in: a skip list of inserts with an update per row, two allocations each. A checkpoint
  // writes the pages but leaves that form in memory, and a clean page is only evicted when the
  // cache needs room, so a freshly loaded table scans 3-4x slower (two dependent pointer
  // loads per row) than after a restart, which reads the compact page images back. For each
  // table with at least 10,000 rows inserted since the last pass (NoteInserted), enough to be
  // a good part of its bytes in the cache, and no changes left to write, this closes the
  // table's WiredTiger data handle (WT_SESSION::upgrade, an exclusive-handle operation that
  // changes nothing else), which drops its pages; the next read brings the compact images. A
  // table in use by a transaction (EBUSY), or with changes not written yet, waits for a later
  // pass.
  // Runs after each Checkpoint() and every ten seconds (after WiredTiger's own checkpoints).
  void RecompactPages();
  // Free bytes of the data directory's file system.
  uint64_t FreeBytes() const;
  void CheckFreeSpace();

  // WiredTiger's count of transactions it rolled back to relieve a stuck cache.
  int64_t CacheRollbacks();
  // Whether that count grew since the last call: called on a WT_ROLLBACK, to tell a
  // transaction too large for the cache (53200) from a write conflict (40001).
  bool CacheRollbackSeen();

  std::unique_ptr<DataDir> dir_;
  __wt_connection* conn_ = nullptr;
  std::atomic<uint64_t> schema_epoch_{0};
  std::atomic<int64_t> cache_rollbacks_seen_{0};
  std::atomic<uint64_t> snapshot_names_{0};  // named snapshots of parallel readers
  std::mutex pool_mu_;
  std::vector<PooledSession*> free_;                 // GUARDED_BY(pool_mu_)
  std::vector<std::unique_ptr<PooledSession>> all_;  // GUARDED_BY(pool_mu_)
  std::mutex sync_mu_;
  std::condition_variable sync_cv_;
  bool stopping_ = false;  // GUARDED_BY(sync_mu_)
  std::thread sync_thread_;
  // Group commit under sync_mode fsync (null otherwise), and the session its leaders flush the
  // log through (one leader at a time).
  std::unique_ptr<GroupCommit> group_;
  __wt_session* flush_session_ = nullptr;
  std::atomic<uint64_t> read_fence_waits_{0};  // AwaitDurable calls that waited
  uint64_t cache_base_mb_ = 0;                 // cache_size_mb
  uint64_t cache_max_mb_ = 0;                  // the most CacheLoop grows the cache to
  std::mutex cache_mu_;
  std::condition_variable cache_cv_;
  bool cache_stopping_ = false;  // GUARDED_BY(cache_mu_)
  std::thread cache_thread_;
  bool shard_log_ = false;
  uint32_t log_keep_seconds_ = 60;
  CommitClock clock_;
  std::atomic<uint64_t> epoch_{1};
  uint64_t newest_logged_at_open_ = 0;  // set by OpenLogs
  std::mutex lsn_mu_;
  std::set<uint64_t> in_flight_;  // GUARDED_BY(lsn_mu_): LSNs of commits under way
  std::mutex log_mu_;
  std::condition_variable log_cv_;
  bool log_stopping_ = false;  // GUARDED_BY(log_mu_)
  std::thread log_thread_;     // MaintenanceLoop
  // Disk space (StorageOptions::disk_reserve_mb): writes are refused with 53100 while set.
  uint64_t disk_reserve_bytes_ = 0;
  std::function<uint64_t()> free_space_probe_;
  std::atomic<bool> below_reserve_{false};
  // A replica (ReplicaStorage): only ApplyReplicated writes.
  std::atomic<bool> recovery_{false};
  // Rows inserted into shard tables by committed transactions since RecompactPages last
  // looked at the table (DropStorage forgets a table).
  std::mutex inserted_mu_;
  std::map<std::string, uint64_t, std::less<>> inserted_;  // GUARDED_BY(inserted_mu_)
  std::mutex recompact_mu_;                                // one RecompactPages at a time
  std::atomic<uint64_t> tables_recompacted_{0};
  // The tables ApplyReplicated knows to exist (its one caller's thread only).
  std::set<std::string, std::less<>> applied_tables_;
};

}  // namespace activestore::storage::wiredtiger
