// A replica (`activestore --replica-of HOST:PORT`): the client side of replication, with libpq
// (docs/design/2026-12-06-shard-log-and-replication.md, "Replicas").
//
// Start-up: TakeBaseCopy fills an empty data directory with the primary's BASE_BACKUP (the files
// of a WiredTiger backup cursor and the copy's LSN) before the engine opens it; the engine
// (EngineOptions::replica) adopts the copy and starts in recovery. ReplicaReceiver then follows
// the primary: START_REPLICATION from the applied LSN, each XLogData applied in one engine
// transaction (storage::ReplicaStorage::ApplyReplicated), the catalog read again after a
// transaction that changed the system tables, standby status updates every second (write and
// apply = applied, flush = applied and synced), and a new connection a second after any error
// (a restarted primary, a cut connection).
//
// Promotion: pg_promote() (ReplicationRegistry::RequestPromotion) or the promote file
// (`activestore promote --data-dir DIR`) ends the stream; the receiver then makes the node a
// primary: the engine leaves recovery, a new epoch begins (storage::BeginEpoch, logged), the
// catalog and sequence states are read again, and the thread ends.
//
// Epochs: before it streams, the receiver compares its epoch history with the primary's
// (IDENTIFY_SYSTEM's timeline, TIMELINE_HISTORY) and refuses to follow a primary whose history
// differs (storage::EpochDivergence); `--resync` takes a new base copy instead.
//
// Thread safety: ReplicaReceiver runs one thread of its own; Start/Stop from one thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "executor/engine.h"

namespace activestore::frontend {

struct ReplicaSettings {
  std::string host;
  uint16_t port = 5432;
  std::string user = "postgres";
  std::string password;
  std::string slot;  // empty: stream without a slot
  std::string application_name = "activestore_replica";
  // The file whose appearance promotes the replica (`activestore promote`); empty: none.
  std::string promote_file;

  // The libpq connection string of a replication connection (the password left out when
  // `with_password` is false, for pg_stat_wal_receiver).
  std::string ConnInfo(bool with_password) const;
};

// "HOST:PORT" (or "HOST", port 5432; "[v6]:PORT"). Throws 22023 for anything else.
ReplicaSettings ParseReplicaOf(const std::string& text);

// When `data_dir` is empty, missing, or holds an unfinished copy: takes a base copy from the
// primary into it (creating the slot first, when one is named, so that the log after the copy
// stays). Otherwise does nothing. Throws Error (08006 when the primary cannot be reached, the
// primary's error for a refused command, 58030 for a local I/O failure).
void TakeBaseCopy(const ReplicaSettings& settings, const std::string& data_dir);

class ReplicaReceiver {
 public:
  ReplicaReceiver(ReplicaSettings settings, executor::NodeEngine* node);
  ~ReplicaReceiver();  // Stop()
  void Start();
  void Stop();

 private:
  void Run();
  // One connection: streams and applies until an error, Stop() or a promotion request. Throws
  // Error.
  void StreamOnce();
  // A promotion was asked for (pg_promote or the promote file, looked at every 100 ms).
  bool PromotionWanted();
  void Promote();

  ReplicaSettings settings_;
  executor::NodeEngine* node_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::chrono::steady_clock::time_point promote_file_checked_{};
  bool diverged_ = false;      // the last StreamOnce refused the primary's history
  bool promote_seen_ = false;  // once asked, the promotion happens (receiver thread only)
};

// Marks the data directory's replica for promotion (the promote file) and waits, up to
// `wait_seconds`, for a running server to act on it. Returns 0 when it did, 1 after the wait
// (the server promotes when it next runs), 2 when the directory is not a replica's.
int PromoteDataDir(const std::string& data_dir, int wait_seconds);
std::string PromoteFile(const std::string& data_dir);
// `--resync`: the next TakeBaseCopy replaces the directory's contents with a new base copy.
void MarkForResync(const std::string& data_dir);

}  // namespace activestore::frontend
