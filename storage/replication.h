// Replication on the primary (docs/design/2026-12-06-shard-log-and-replication.md, "Replicas"):
// physical replication slots, the registry of connected senders (pg_stat_replication), and the
// bytes of the streaming protocol's messages.
//
// Slots: one row per slot in the system table `sys_replication_slots` (key 's' + name; value:
// format 1, has-restart flag, restart LSN 8 bytes BE), plus the node's system identifier under
// key 'i' (IDENTIFY_SYSTEM). The table is not logged (LogTableFor: a slot belongs to its node,
// as in PostgreSQL, and its updates must not feed the stream they acknowledge). A slot's restart
// LSN is the newest LSN its consumer has flushed: the log keeps every entry above the smallest
// one (RetainedLogFloor), whatever log_keep_seconds says. A slot created without reserving has no
// restart LSN and keeps nothing until its first acknowledgement.
//
// Senders: each replication connection streaming from a slot registers itself; the positions it
// sent and the standby acknowledged, with lag samples (LagTracker), are what pg_stat_replication
// shows.
//
// Thread safety: ReplicationRegistry is thread-safe; the free functions are stateless.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/shard_log.h"
#include "storage/storage.h"

namespace activestore::storage {

struct ReplicationSlotInfo {
  std::string name;
  std::optional<uint64_t> restart_lsn;  // nullopt: reserves nothing yet
  int32_t active_pid = 0;               // the sender streaming from it; 0: inactive
};

// Standby positions as pg_stat_replication shows them; 0 = none yet.
struct SenderInfo {
  int32_t pid = 0;
  std::string user;
  std::string application_name;
  std::string client_addr;
  int32_t client_port = -1;
  int64_t backend_start_us = 0;  // microseconds since 2000-01-01 UTC
  std::string state = "startup";
  std::string slot;
  uint64_t sent_lsn = 0, write_lsn = 0, flush_lsn = 0, replay_lsn = 0;
  // Lags in microseconds (nullopt: no sample yet), as PostgreSQL's LagTracker: the time from the
  // sending of an LSN to the standby's acknowledgement of it.
  std::optional<int64_t> write_lag_us, flush_lag_us, replay_lag_us;
  int64_t reply_time_us = 0;  // 0: no reply yet
  // pg_stat_replication.sync_state, set by Senders(): "sync" for the first
  // synchronous_replicas senders in connection order, "potential" for the others while
  // synchronous_replicas > 0, "async" otherwise.
  std::string sync_state = "async";
  uint64_t order = 0;  // connection order (RegisterSender)
};

// What a commit waits for (synchronous_commit): the standbys' written, flushed or applied
// position (remote_write, on, remote_apply).
enum class SyncLevel : uint8_t { kWrite = 0, kFlush = 1, kApply = 2 };

// The time from sending an LSN to its acknowledgement, per position kind (write, flush, apply).
// A replica's receiver as pg_stat_wal_receiver shows it; LSNs 0 = none yet.
struct ReceiverInfo {
  int32_t pid = 0;
  std::string status = "starting";  // starting, streaming, waiting (reconnecting)
  uint64_t receive_start_lsn = 0;
  uint64_t written_lsn = 0;  // received and applied (committed, maybe not synced)
  uint64_t flushed_lsn = 0;  // applied and synced
  int64_t last_msg_send_time_us = 0, last_msg_receipt_time_us = 0;  // since 2000-01-01 UTC
  uint64_t latest_end_lsn = 0;  // the primary's DurableLsn() it last reported
  int64_t latest_end_time_us = 0;
  std::string slot_name, sender_host;
  int32_t sender_port = 0;
  std::string conninfo;  // without the password
};

class LagTracker {
 public:
  using Clock = std::chrono::steady_clock;
  void Sent(uint64_t lsn, Clock::time_point when);
  // The lag of `kind` (0 write, 1 flush, 2 apply) for an acknowledgement of `lsn` at `now`:
  // now minus the sending time of the newest sample <= lsn not yet acknowledged for that kind;
  // nullopt when no new sample was reached.
  std::optional<int64_t> Acknowledged(int kind, uint64_t lsn, Clock::time_point now);

 private:
  static constexpr size_t kMaxSamples = 4096;
  std::deque<std::pair<uint64_t, Clock::time_point>> samples_;
  size_t read_[3] = {0, 0, 0};  // per kind: samples_ before this index are acknowledged
};

class ReplicationRegistry {
 public:
  static constexpr char kTable[] = "sys_replication_slots";

  // Creates the table (and the system identifier) if needed and loads the slots. `enabled`:
  // the shard log is on; otherwise every slot operation fails with 55000.
  ReplicationRegistry(Engine* engine, bool enabled);

  uint64_t system_identifier() const { return system_identifier_; }
  bool enabled() const { return enabled_; }

  // Errors as PostgreSQL's: 55000 when the log is off; 42602/42622 for a bad name
  // (ValidateSlotName); 42710 `replication slot "s" already exists`. `reserve`: the restart LSN
  // is the engine's DurableLsn() now.
  ReplicationSlotInfo Create(std::string_view name, bool reserve);
  // 42704 `replication slot "s" does not exist`; 55006 `replication slot "s" is active for PID n`.
  void Drop(std::string_view name);
  // Marks the slot in use by `pid` (42704, 55006 as Drop).
  ReplicationSlotInfo Acquire(std::string_view name, int32_t pid);
  void Release(std::string_view name, int32_t pid);
  // The consumer flushed everything up to `lsn`: a newer restart LSN is stored durably.
  void Advance(std::string_view name, uint64_t lsn);
  std::vector<ReplicationSlotInfo> Slots() const;

  // pg_stat_replication. Register returns a handle for Update/Unregister.
  void RegisterSender(const SenderInfo& info);
  void UpdateSender(int32_t pid, const std::function<void(SenderInfo&)>& update);
  void UnregisterSender(int32_t pid);
  std::vector<SenderInfo> Senders() const;

  // Synchronous commit (synchronous_replicas = N, 0 = asynchronous): the first N streaming
  // senders in connection order are the synchronous standbys. A commit at `lsn` is acknowledged
  // once there are N of them and each reported `lsn` at `level` (as PostgreSQL's
  // synchronous_standby_names = 'FIRST N (*)'). AddSyncWaiter returns 0 when that already holds;
  // otherwise `wake` is called once (from the thread whose status update or disconnection
  // satisfied it, or set_synchronous_replicas) and the waiter is gone. RemoveSyncWaiter forgets
  // a waiter that stopped waiting (timeout, cancel); harmless after the wake.
  void set_synchronous_replicas(int n);
  int synchronous_replicas() const { return synchronous_replicas_.load(); }
  // synchronous_commit_timeout: how long a commit waits for the synchronous replicas before it
  // gives up with a WARNING (its commit stays, as after a cancel); 0 = forever (PostgreSQL).
  void set_synchronous_commit_timeout_ms(int64_t ms) { sync_timeout_ms_.store(ms); }
  int64_t synchronous_commit_timeout_ms() const { return sync_timeout_ms_.load(); }
  bool SyncSatisfied(uint64_t lsn, SyncLevel level) const;
  uint64_t AddSyncWaiter(uint64_t lsn, SyncLevel level, std::function<void()> wake);
  void RemoveSyncWaiter(uint64_t id);
  // Whether some commit waits: the senders then ask their standbys for an immediate reply
  // after what they send (otherwise a standby syncs and replies about once a second).
  bool has_sync_waiters() const { return sync_waiter_count_.load() > 0; }

  // New commits for the senders: a sender registers `wake` while it waits for the log to grow;
  // NotifyCommit (after a commit with an LSN) calls every registered waker once and forgets it.
  uint64_t AddLogWaiter(std::function<void()> wake);
  void RemoveLogWaiter(uint64_t id);
  void NotifyCommit();

  // Promotion (pg_promote, `activestore promote`): a request the replica's receiver acts on.
  void RequestPromotion() { promote_requested_.store(true); }
  bool promotion_requested() const { return promote_requested_.load(); }

  // A replica: in recovery (pg_is_in_recovery()) while it follows its primary, and the state of
  // its receiver (none before it first started).
  void set_in_recovery(bool on) { in_recovery_.store(on); }
  bool in_recovery() const { return in_recovery_.load(); }
  void UpdateReceiver(const std::function<void(ReceiverInfo&)>& update);
  std::optional<ReceiverInfo> Receiver() const;
  void ClearReceiver();  // promoted: no receiver any more

  // 42602 `replication slot name "" is too short`, 42622 `... is too long`, 42602 `... contains
  // invalid character` (lower case letters, digits, underscore only).
  static void ValidateSlotName(std::string_view name);

 private:
  void CheckEnabled() const;
  void Store(const ReplicationSlotInfo& slot);

  Engine* engine_;
  const bool enabled_;
  uint64_t system_identifier_ = 0;
  mutable std::mutex mu_;
  std::map<std::string, ReplicationSlotInfo, std::less<>> slots_;  // GUARDED_BY(mu_)
  std::map<int32_t, SenderInfo> senders_;                          // GUARDED_BY(mu_)
  std::optional<ReceiverInfo> receiver_;                           // GUARDED_BY(mu_)
  std::atomic<bool> in_recovery_{false};
  std::atomic<bool> promote_requested_{false};
  std::atomic<int> synchronous_replicas_{0};
  std::atomic<int64_t> sync_timeout_ms_{0};
  uint64_t sender_order_ = 0;  // GUARDED_BY(mu_)
  struct SyncWaiter {
    uint64_t lsn;
    SyncLevel level;
    std::function<void()> wake;
  };
  uint64_t next_waiter_ = 1;                               // GUARDED_BY(mu_)
  std::map<uint64_t, SyncWaiter> sync_waiters_;            // GUARDED_BY(mu_)
  std::atomic<size_t> sync_waiter_count_{0};               // sync_waiters_.size()
  std::map<uint64_t, std::function<void()>> log_waiters_;  // GUARDED_BY(log_mu_)
  uint64_t next_log_waiter_ = 1;                           // GUARDED_BY(log_mu_)
  std::mutex log_mu_;
  std::atomic<bool> log_waiting_{false};

  // The position every synchronous standby reached at `level` (0 with fewer than N), and the
  // wakers of the waiters it satisfies, taken out of sync_waiters_. REQUIRES: mu_ held.
  uint64_t SyncPositionLocked(SyncLevel level) const;
  std::vector<std::function<void()>> TakeSatisfiedLocked();
};

// The LSN of the newest commit this thread made with a client transaction (0: none) since the
// last call, which resets it: a session reads it right after its COMMIT to know what the
// synchronous replicas must acknowledge. NoteThreadCommitLsn is the storage engine's side.
uint64_t TakeThreadCommitLsn();
void NoteThreadCommitLsn(uint64_t lsn);

// ---- Epochs (timelines) ----
//
// Every promotion starts a new epoch. The history is the logged system table `sys_epochs`
// (so that it reaches every replica through the log): key 'e' + epoch (8 bytes BE), value:
// format 1, the fork LSN (8 bytes BE: the last LSN of the previous epoch on the promoted node)
// and the epoch's id (8 bytes BE, random, drawn at the promotion: two nodes promoted from the
// same epoch have different ids). Epoch 1 (id 0, fork 0) is implicit: a node never promoted
// has no table.
struct EpochInfo {
  uint64_t epoch = 1;
  uint64_t fork_lsn = 0;
  uint64_t id = 0;
};
inline constexpr char kEpochTable[] = "sys_epochs";
// Oldest first; always starts with epoch 1.
std::vector<EpochInfo> ReadEpochHistory(Engine* engine);
// Begins epoch (current + 1) with `fork_lsn` in a transaction of its own (logged: its commit
// entry is the first of the new epoch), which also forgets the applied LSN (ReadAppliedLsn:
// the node's position is now its own log's head). REQUIRES: the engine accepts writes (not in
// recovery).
EpochInfo BeginEpoch(Engine* engine, uint64_t fork_lsn);
// TIMELINE_HISTORY's text: one line per epoch after the first, "epoch<TAB>fork X/Y<TAB>id hex".
std::string EpochHistoryText(const std::vector<EpochInfo>& history);
// 08P01 on text it cannot read.
std::vector<EpochInfo> ParseEpochHistoryText(std::string_view text);
// Whether a node whose history is `mine` and which applied everything up to `applied` can
// follow a node whose history is `theirs`: nullopt if it can, else why not (the error's
// message). It cannot when its current epoch is missing from theirs or has another id there,
// or when their history left that epoch (the next epoch's fork) before `applied`.
std::optional<std::string> EpochDivergence(const std::vector<EpochInfo>& mine,
                                           const std::vector<EpochInfo>& theirs, uint64_t applied);

// The smallest restart LSN of the slots stored in `engine` (read from the table, so the log's
// maintenance needs no registry); nullopt when no slot reserves anything.
std::optional<uint64_t> RetainedLogFloor(Engine* engine);

// ---- Replicas ----

// What a replica needs of its storage engine (WtEngine implements it; found by dynamic_cast).
class ReplicaStorage {
 public:
  virtual ~ReplicaStorage() = default;
  // In recovery every transaction but ApplyReplicated's is read-only: a write fails with 25006
  // (the SQL layer refuses writes first, with PostgreSQL's messages; this is the backstop).
  virtual void SetRecovery(bool on) = 0;
  virtual bool InRecovery() const = 0;
  // Applies one primary transaction in one engine transaction: its writes, the same log
  // entries (its LSN and txn id, so that this node can be followed in turn), and the applied
  // LSN (AppliedLsn). A commit already there (the base copy and the stream overlap) is not
  // applied again; the applied LSN still moves. Create/drop records create/drop the storage
  // table. Returns whether it wrote a system table (the catalog must be read again).
  // REQUIRES: one caller at a time, in LSN order.
  virtual bool ApplyReplicated(const LoggedTransaction& t) = 0;
};

// The LSN up to which a replica has applied every transaction of its primary (kept in
// ReplicationRegistry::kTable under 'a'); nullopt on a node that never was a replica.
std::optional<uint64_t> ReadAppliedLsn(Engine* engine);
// Writes it in `t` (ApplyReplicated) or in a transaction of its own (t null).
void WriteAppliedLsn(Engine* engine, Transaction* t, uint64_t lsn);
// A data directory that just received a base copy (the file ReplicaBaseLsnFile names exists):
// forgets the primary's slots, stores the copy's LSN as the applied LSN, removes the file.
// Called once the engine is open, before the ReplicationRegistry loads.
void AdoptBaseCopy(Engine* engine, const std::string& data_dir);
std::string ReplicaBaseLsnFile(const std::string& data_dir);

// A base copy (BASE_BACKUP): WiredTiger's backup cursor (WtEngine implements it).
class BackupSource {
 public:
  struct Backup {
    virtual ~Backup() = default;  // closes the backup cursor
    std::string directory;        // where the files are (WiredTiger's home)
    std::vector<std::string> files;
    // DurableLsn() before the cursor opened: every commit at or below it is in the files.
    uint64_t lsn = 0;
  };
  virtual ~BackupSource() = default;
  virtual std::unique_ptr<Backup> BeginBackup() = 0;
};

// The CopyData messages of BASE_BACKUP (our format, documented in the design note): each starts
// with a type byte.
//   'f' file:     name (varint length + bytes, relative to the data directory), size 8 bytes BE
//   'd' data:     the next bytes of the current file
//   'm' manifest: format 1, LSN 8 bytes BE, system identifier 8 bytes BE, file count 8 bytes BE
struct BackupMessage {
  char type = 0;
  std::string name;                                    // 'f'
  uint64_t size = 0;                                   // 'f'
  std::string_view data;                               // 'd' (into the decoded message)
  uint64_t lsn = 0, system_identifier = 0, files = 0;  // 'm'
};
std::string BackupFileMessage(std::string_view name, uint64_t size);
std::string BackupManifestMessage(uint64_t lsn, uint64_t system_identifier, uint64_t files);
// 08P01 on a message it cannot read.
BackupMessage DecodeBackupMessage(std::string_view message);

// ---- The streaming protocol (PostgreSQL's CopyBoth sub-protocol, our payloads) ----

// Microseconds since 2000-01-01 UTC (PostgreSQL's TimestampTz) of the wall clock now.
int64_t ReplicationNowUs();

// XLogData ('w'): start LSN, end LSN (the sender's DurableLsn), send time, then the payload: one
// transaction in EncodeTransactionMessage's format (storage/shard_log.h).
std::string XLogDataMessage(uint64_t start, uint64_t end, int64_t now_us, std::string_view data);
// Primary keepalive ('k'): end LSN, send time, reply requested.
std::string KeepaliveMessage(uint64_t end, int64_t now_us, bool reply_requested);

struct StandbyStatus {
  uint64_t write = 0, flush = 0, apply = 0;
  int64_t time_us = 0;
  bool reply_requested = false;
};
// Standby status update ('r'); nullopt for any other message. 08P01 for a truncated one.
std::optional<StandbyStatus> DecodeStandbyStatus(std::string_view message);

}  // namespace activestore::storage
