// The node's client sessions as PostgreSQL's backend status shows them (pg_stat_activity,
// pg_stat_database's numbackends and transaction counts, pg_cancel_backend and
// pg_terminate_backend).
//
// A session with a backend pid (every client connection; not the engine's internal sessions)
// registers a BackendActivity here when the frontend gives it its pid, and unregisters before it
// is destroyed. The session updates its own entry at the start of each statement (state
// `active`, the query text, query_start, xact_start) and when it is ready for the next command
// (`idle`, `idle in transaction`, `idle in transaction (aborted)`): one uncontended lock of the
// entry's own mutex each time, never a node-wide lock. Readers (the views) take the registry's
// lock and copy each entry under its mutex. Transaction counts are per-entry counters written
// only by their session (relaxed), summed with what ended sessions left in their database's
// totals when a view reads them.
//
// Thread safety: ActivityRegistry is thread-safe. A BackendActivity's Set* methods are called
// by its session's thread only; Read() by any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace activestore::executor {

class Session;

// pg_stat_activity.state.
enum class BackendState : uint8_t {
  kIdle,
  kActive,
  kIdleInTransaction,
  kIdleInTransactionAborted,
};
const char* BackendStateName(BackendState s);

// One entry as read (a copy). Times are microseconds since 2000-01-01 UTC; 0 = NULL.
struct BackendActivityRow {
  int32_t pid = 0;
  uint32_t database = 0;
  uint32_t user = 0;  // the role that logged in (usesysid)
  std::string application_name;
  std::string client_addr;  // empty: none
  int32_t client_port = -1;
  int64_t backend_start_us = 0;
  int64_t xact_start_us = 0;
  int64_t query_start_us = 0;
  int64_t state_change_us = 0;
  BackendState state = BackendState::kIdle;
  std::string query;
};

// Counters of one database (pg_stat_database).
struct DatabaseActivity {
  int numbackends = 0;
  int64_t xact_commit = 0;
  int64_t xact_rollback = 0;
  int64_t deadlocks = 0;
  int64_t sessions = 0;
  int64_t sessions_killed = 0;
  // Milliseconds, as PostgreSQL's session_time, active_time and idle_in_transaction_time.
  double session_time_ms = 0;
  double active_time_ms = 0;
  double idle_in_transaction_time_ms = 0;
};

class BackendActivity {
 public:
  BackendActivity(int32_t pid, uint32_t database, uint32_t user, int64_t now_us)
      : pid_(pid), database_(database), user_(user), backend_start_us_(now_us) {
    state_change_us_ = now_us;
  }

  int32_t pid() const { return pid_; }
  uint32_t database() const { return database_; }
  uint32_t user() const { return user_; }

  // "127.0.0.1:54321" (the part after the last ':' is the port).
  void SetClient(std::string_view address);
  void SetApplicationName(std::string name);
  // A statement starts: `active`, its text; a transaction starts with it unless one is open.
  void StatementStarted(std::string_view query, int64_t now_us);
  // The session waits for its client: `state` (not kActive); outside a transaction
  // xact_start goes.
  void Ready(BackendState state, int64_t now_us);
  // Transaction ends and deadlocks, counted by the session (its thread only).
  void CountTransaction(bool committed) {
    std::atomic<int64_t>& c = committed ? xact_commit_ : xact_rollback_;
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  void CountDeadlock() {
    deadlocks_.store(deadlocks_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }

  BackendActivityRow Read() const;
  // What this session adds to its database's counters now (`now_us`: the time of the read,
  // for the session time and the time of the current state).
  void AddTo(DatabaseActivity* db, int64_t now_us) const;

 private:
  const int32_t pid_;
  const uint32_t database_;
  const uint32_t user_;
  const int64_t backend_start_us_;
  std::atomic<int64_t> xact_commit_{0};
  std::atomic<int64_t> xact_rollback_{0};
  std::atomic<int64_t> deadlocks_{0};

  mutable std::mutex mu_;
  std::string application_name_;              // GUARDED_BY(mu_)
  std::string client_addr_;                   // GUARDED_BY(mu_)
  int32_t client_port_ = -1;                  // GUARDED_BY(mu_)
  BackendState state_ = BackendState::kIdle;  // GUARDED_BY(mu_)
  bool in_transaction_ = false;               // GUARDED_BY(mu_)
  int64_t xact_start_us_ = 0;                 // GUARDED_BY(mu_)
  int64_t query_start_us_ = 0;                // GUARDED_BY(mu_)
  int64_t state_change_us_ = 0;               // GUARDED_BY(mu_)
  std::string query_;                         // GUARDED_BY(mu_)
  // Microseconds spent in the states that ended (active, idle in transaction).
  int64_t active_us_ = 0;        // GUARDED_BY(mu_)
  int64_t idle_in_xact_us_ = 0;  // GUARDED_BY(mu_)
};

class ActivityRegistry {
 public:
  // Registers the session's entry under its pid. `terminate` ends the session's connection
  // (FATAL 57P01); `session` is cancelled by Signal. REQUIRES: Unregister(pid) before `session`
  // is destroyed.
  void Register(std::shared_ptr<BackendActivity> entry, Session* session,
                std::function<void()> terminate);
  // The session is gone: its counts go to its database's totals.
  void Unregister(int32_t pid, int64_t now_us);

  // Every registered session, by pid.
  std::vector<BackendActivityRow> Sessions() const;
  // The counters of `database` now (ended sessions and live ones).
  DatabaseActivity Database(uint32_t database, int64_t now_us) const;
  // Whether a session has this pid.
  bool Exists(int32_t pid) const;

  // pg_cancel_backend / pg_terminate_backend: false if no session has the pid. Otherwise
  // `check(user of the target)` runs first (it throws to refuse), then the session's statement
  // is cancelled, or its connection ended.
  bool Signal(int32_t pid, bool terminate, const std::function<void(uint32_t user)>& check);

 private:
  struct Entry {
    std::shared_ptr<BackendActivity> activity;
    Session* session = nullptr;
    std::function<void()> terminate;
    bool killed = false;
  };
  mutable std::mutex mu_;
  std::map<int32_t, Entry> entries_;            // GUARDED_BY(mu_)
  std::map<uint32_t, DatabaseActivity> ended_;  // GUARDED_BY(mu_), per database
};

}  // namespace activestore::executor
