// PostgreSQL 15's functions over the node's client sessions (executor/activity.h):
// pg_cancel_backend, pg_terminate_backend (signalfuncs.c) and the per-database counters behind
// pg_stat_database (pgstatfuncs.c's pg_stat_get_db_*).
//
// What ActiveStore does not count reads as PostgreSQL reads a counter that never moved: blocks
// (blks_read, blks_hit: no per-database page counts), recovery conflicts, temporary files,
// block I/O times (PostgreSQL's default track_io_timing = off gives 0 too), sessions abandoned
// or ended by a FATAL error: 0; checksum_failures and checksum_last_failure NULL (as PostgreSQL
// without data checksums), stats_reset NULL (no reset of these counters yet). tup_* sum the
// relation counters of executor/table_stats.h over the database's relations that exist now.
#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "common/error.h"
#include "executor/activity.h"
#include "executor/admin_functions.h"
#include "executor/engine.h"
#include "executor/exec_state.h"
#include "executor/executor.h"
#include "executor/table_stats.h"
#include "storage/acl.h"

namespace activestore::executor {

int64_t NowMicrosSince2000();  // engine.cpp

namespace {

using Args = std::vector<Value>;
using planner::BoundExpr;
using storage::Oid;

constexpr Oid kPgSignalBackendOid = 4200;  // the predefined role pg_signal_backend

// PostgreSQL's pg_signal_backend: a WARNING and false for a pid that is no session; 42501 for
// a superuser's session unless the caller is a superuser, and for a session whose role the
// caller has no privileges of, unless it has those of pg_signal_backend.
bool SignalBackend(int32_t pid, bool terminate, ExecState& st) {
  const storage::CatalogSnapshot* snap = st.ctx.catalog_view.get();
  ActivityRegistry* registry = st.ctx.activity;
  bool found =
      registry != nullptr && snap != nullptr && registry->Signal(pid, terminate, [&](Oid target) {
        const Oid me = st.ctx.user_oid;
        if (storage::IsSuperuser(*snap, target) && !storage::IsSuperuser(*snap, me)) {
          throw Error(SqlState::kInsufficientPrivilege,
                      terminate ? "must be a superuser to terminate superuser process"
                                : "must be a superuser to cancel superuser query");
        }
        if (!storage::HasPrivsOfRole(*snap, me, target, st.ctx.database_owner) &&
            !storage::HasPrivsOfRole(*snap, me, kPgSignalBackendOid, st.ctx.database_owner)) {
          throw Error(SqlState::kInsufficientPrivilege,
                      terminate ? "must be a member of the role whose process is being "
                                  "terminated or member of pg_signal_backend"
                                : "must be a member of the role whose query is being "
                                  "canceled or member of pg_signal_backend");
        }
      });
  if (!found && st.ctx.warn) {
    st.ctx.warn(fmt::format("PID {} is not a PostgreSQL backend process", pid));
  }
  return found;
}

Value FnPgCancelBackend(const Args& a, const BoundExpr&, ExecState& st) {
  return Value::Bool(SignalBackend(static_cast<int32_t>(a[0].i), false, st));
}

// pg_terminate_backend(pid, timeout bigint DEFAULT 0): with a timeout (milliseconds), waits
// until the session has ended; false and a WARNING when it has not by then.
Value FnPgTerminateBackend(const Args& a, const BoundExpr&, ExecState& st) {
  const auto pid = static_cast<int32_t>(a[0].i);
  const int64_t timeout = a.size() > 1 ? a[1].i : 0;
  if (timeout < 0) Throw(SqlState::kNumericValueOutOfRange, "\"timeout\" must not be negative");
  if (!SignalBackend(pid, true, st)) return Value::Bool(false);
  if (pid == st.ctx.backend_pid) {
    // Its own session: PostgreSQL's backend ends at the signal's next check, inside this
    // statement, so the FATAL comes before the statement completes (there after the row, here
    // instead of it).
    Error e(SqlState::kAdminShutdown, "terminating connection due to administrator command");
    e.severity = Severity::kFatal;
    throw e;
  }
  if (timeout == 0) return Value::Bool(true);
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout);
  while (st.ctx.activity->Exists(pid)) {
    st.CheckCancel();
    if (std::chrono::steady_clock::now() >= end) {
      if (st.ctx.warn) {
        st.ctx.warn(fmt::format("backend with PID {} did not terminate within {} millisecond{}",
                                pid, timeout, timeout == 1 ? "" : "s"));
      }
      return Value::Bool(false);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return Value::Bool(true);
}

DatabaseActivity DbActivity(const Value& oid, const ExecState& st) {
  if (st.ctx.activity == nullptr) return {};
  return st.ctx.activity->Database(static_cast<uint32_t>(oid.i), NowMicrosSince2000());
}

Value FnDbNumbackends(const Args& a, const BoundExpr&, ExecState& st) {
  return Value::Int32(DbActivity(a[0], st).numbackends);
}

template <int64_t DatabaseActivity::*kField>
Value FnDbCounter(const Args& a, const BoundExpr&, ExecState& st) {
  return Value::Int64(DbActivity(a[0], st).*kField);
}

template <double DatabaseActivity::*kField>
Value FnDbTime(const Args& a, const BoundExpr&, ExecState& st) {
  return Value::Float64(DbActivity(a[0], st).*kField);
}

template <int64_t RelationStats::*kField>
Value FnDbTuples(const Args& a, const BoundExpr&, ExecState& st) {
  if (st.ctx.table_stats == nullptr) return Value::Int64(0);
  return Value::Int64(st.ctx.table_stats->SumDatabase(static_cast<uint32_t>(a[0].i)).*kField);
}

Value FnZeroCount(const Args&, const BoundExpr&, ExecState&) { return Value::Int64(0); }
Value FnZeroTime(const Args&, const BoundExpr&, ExecState&) { return Value::Float64(0); }
Value FnNullCount(const Args&, const BoundExpr&, ExecState&) {
  return Value::Null(Type::Of(TypeId::kInt64));
}
Value FnNullTime(const Args&, const BoundExpr&, ExecState&) {
  return Value::Null(Type::Of(TypeId::kTimestampTz));
}

}  // namespace

const std::vector<StringFunctionEntry>& ActivityFunctionEntries() {
  static const std::vector<StringFunctionEntry> kEntries = {
      {"pg_cancel_backend", FnPgCancelBackend, true},
      {"pg_terminate_backend", FnPgTerminateBackend, true},
      {"pg_stat_get_db_numbackends", FnDbNumbackends, true},
      {"pg_stat_get_db_xact_commit", FnDbCounter<&DatabaseActivity::xact_commit>, true},
      {"pg_stat_get_db_xact_rollback", FnDbCounter<&DatabaseActivity::xact_rollback>, true},
      {"pg_stat_get_db_blocks_fetched", FnZeroCount, true},
      {"pg_stat_get_db_blocks_hit", FnZeroCount, true},
      {"pg_stat_get_db_tuples_returned", FnDbTuples<&RelationStats::tuples_returned>, true},
      {"pg_stat_get_db_tuples_fetched", FnDbTuples<&RelationStats::tuples_fetched>, true},
      {"pg_stat_get_db_tuples_inserted", FnDbTuples<&RelationStats::tuples_inserted>, true},
      {"pg_stat_get_db_tuples_updated", FnDbTuples<&RelationStats::tuples_updated>, true},
      {"pg_stat_get_db_tuples_deleted", FnDbTuples<&RelationStats::tuples_deleted>, true},
      {"pg_stat_get_db_conflict_all", FnZeroCount, true},
      {"pg_stat_get_db_temp_files", FnZeroCount, true},
      {"pg_stat_get_db_temp_bytes", FnZeroCount, true},
      {"pg_stat_get_db_deadlocks", FnDbCounter<&DatabaseActivity::deadlocks>, true},
      {"pg_stat_get_db_checksum_failures", FnNullCount, true},
      {"pg_stat_get_db_checksum_last_failure", FnNullTime, true},
      {"pg_stat_get_db_blk_read_time", FnZeroTime, true},
      {"pg_stat_get_db_blk_write_time", FnZeroTime, true},
      {"pg_stat_get_db_session_time", FnDbTime<&DatabaseActivity::session_time_ms>, true},
      {"pg_stat_get_db_active_time", FnDbTime<&DatabaseActivity::active_time_ms>, true},
      {"pg_stat_get_db_idle_in_transaction_time",
       FnDbTime<&DatabaseActivity::idle_in_transaction_time_ms>, true},
      {"pg_stat_get_db_sessions", FnDbCounter<&DatabaseActivity::sessions>, true},
      {"pg_stat_get_db_sessions_abandoned", FnZeroCount, true},
      {"pg_stat_get_db_sessions_fatal", FnZeroCount, true},
      {"pg_stat_get_db_sessions_killed", FnDbCounter<&DatabaseActivity::sessions_killed>, true},
      {"pg_stat_get_db_stat_reset_time", FnNullTime, true},
  };
  return kEntries;
}

}  // namespace activestore::executor
