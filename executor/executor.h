// Runs physical plans (planner/plan.h). Operators pass batches of columns (executor/vector.h)
// of up to kBatchSize rows; the boundary to the session is rows of Values.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/value.h"
#include "common/value_ops.h"
#include "planner/plan.h"
#include "storage/catalog.h"
#include "storage/serializable.h"
#include "storage/storage.h"

namespace activestore::storage {
class ReplicationRegistry;
}  // namespace activestore::storage

namespace activestore::executor {

inline constexpr size_t kBatchSize = 1024;

class ActivityRegistry;
class CatalogRegResolver;
class DeferredConstraints;
class JobScheduler;
class SessionNotifications;
class SessionSequences;
class StatStatements;
class TableStatistics;
class TransactionTableCounts;

struct ExecContext {
  storage::Transaction* txn = nullptr;        // the statement's transaction
  storage::Catalog* catalog = nullptr;        // for hidden row ids
  std::vector<Value> params;                  // $1..$n, already of the planned param types
  FormatOptions format;                       // session settings for casts and now()
  const std::atomic<bool>* cancel = nullptr;  // set: throw 57014 at the next batch
  int64_t statement_timestamp_us = 0;         // now(): microseconds since 2000-01-01 UTC
  // statement_timeout: past this point the statement fails with 57014 (none if default).
  std::chrono::steady_clock::time_point deadline{};
  // The node's lock manager and this session's backend pid (lock functions, pg_locks).
  storage::LockManager* locks = nullptr;
  // SERIALIZABLE's validator (backends waiting for a safe snapshot count as blocked).
  storage::SerializableValidator* validator = nullptr;
  // pg_stat_statements_reset().
  StatStatements* stat_statements = nullptr;
  // The node's per-table and per-index activity counters (executor/table_stats.h): scans count
  // into it when their operator ends; the DML operators count row changes into the
  // transaction's `xact_counts`, which the session folds into it when the transaction ends.
  // Either null: nothing is counted.
  TableStatistics* table_stats = nullptr;
  TransactionTableCounts* xact_counts = nullptr;
  int32_t backend_pid = 0;
  uint32_t database_oid = 0;
  // The node's client sessions (pg_cancel_backend, pg_terminate_backend, pg_stat_get_db_*);
  // null where there are none.
  ActivityRegistry* activity = nullptr;
  // The node's storage engine (the shard log's position for pg_current_wal_lsn()).
  storage::Engine* storage_engine = nullptr;
  // Replication slots (pg_drop_replication_slot); null without them.
  storage::ReplicationRegistry* replication = nullptr;
  // Where operators that outgrow work_mem write their temporary files (executor/spill.h);
  // empty: the system's temporary directory.
  std::string spill_dir;
  // How lock waits are bounded (statement_timeout, lock_timeout, cancel).
  const storage::WaitPolicy* wait_policy = nullptr;
  // Session-level advisory locks: the session's lock owner (made on first use) and a release
  // of everything it holds (pg_advisory_unlock_all); warnings go to the client.
  std::function<storage::LockOwner()> session_lock_owner;
  std::function<void()> release_session_locks;
  std::function<void(const std::string& message)> warn;
  // A message to the client (PL/pgSQL's RAISE): severity NOTICE, WARNING, INFO, LOG or DEBUG;
  // the session drops it below client_min_messages.
  std::function<void(const std::string& severity, SqlState state, const std::string& message,
                     const std::string& detail, const std::string& hint)>
      notice;
  // Runs a statement that has no plan (DDL and other utility commands in a PL/pgSQL body) in
  // the statement's transaction, then refreshes ctx's catalog_view; null where not available.
  std::function<void(const std::string& sql, ExecContext* ctx)> run_utility;
  // Session settings for current_setting() and set_config(): get returns nullopt for an
  // unknown name; set applies (is_local: until the transaction ends) and returns the new value.
  std::function<std::optional<std::string>(const std::string& name)> get_setting;
  std::function<std::string(const std::string& name, const std::string& value, bool is_local)>
      set_setting;
  // The rows of a system view (planner::PlanKind::kSystemView), in its column types.
  std::function<std::vector<std::vector<Value>>(const std::string& view)> system_view_rows;
  // Sequence functions (nextval, currval, setval, lastval, pg_get_serial_sequence): the
  // session's sequence state, the catalog as this transaction sees it, the search_path (with
  // database_oid) for names given as text, and whether the transaction is read-only (25006).
  SessionSequences* sequences = nullptr;
  // LISTEN/NOTIFY state of the session: pg_notify(), pg_listening_channels(),
  // pg_notification_queue_usage() (null: not available).
  SessionNotifications* notifications = nullptr;
  // The transaction's deferred foreign key checks (executor/deferred_constraints.h); null:
  // every check is immediate.
  DeferredConstraints* deferred = nullptr;
  // The node's background job scheduler (retention policies, timescaledb_information.jobs and
  // job_stats; executor/hypertables.h); null where there is none.
  JobScheduler* jobs = nullptr;
  // in_transaction_block: the statement runs in BEGIN ... COMMIT (refresh_continuous_aggregate
  // refuses to, 25001).
  bool in_transaction_block = false;
  std::shared_ptr<const storage::CatalogSnapshot> catalog_view;
  // Names over catalog_view as the session resolves them (the reg* types, format_type,
  // pg_table_is_visible); also format.reg.
  std::shared_ptr<const CatalogRegResolver> names;
  std::vector<std::string> search_path;
  bool read_only = false;
  // REPEATABLE READ or SERIALIZABLE: reads see one snapshot, so the foreign key checks also
  // look at the newest committed data (executor/foreign_keys.h).
  bool snapshot_isolation = false;
  // Session information for current_database(), current_user, current_schema.
  std::string database = "postgres";
  std::string user = "postgres";
  std::string session_user = "postgres";
  // The roles behind them, and the database's owner (pg_database_owner), for the privilege
  // inquiry functions (has_table_privilege, pg_has_role, ...).
  uint32_t user_oid = 10;
  uint32_t database_owner = 10;
  std::string current_schema = "public";
  // current_schemas(true): the session's temporary schema when it exists and search_path does
  // not name pg_temp (then it is searched first, implicitly).
  std::string implicit_temp_schema;
};

// Thrown by UPDATE and DELETE under READ COMMITTED when a row they are about to change was
// changed by a transaction that committed after the statement read it: the session runs the
// statement again (it has written nothing yet), now seeing the new version, while keeping the
// row locks it took. PostgreSQL re-checks the single row instead (EvalPlanQual); re-running
// the statement gives the same result for the usual single-table UPDATE/DELETE.
struct StatementRestart {};

using RowSink = std::function<void(std::vector<std::vector<Value>>&& rows)>;

struct DataChunk;
class ExecState;
class Operator;

// One execution of a plan, a batch at a time: the operator tree and its per-run state. What a
// portal holds between fetches; RunPlan reads one to its end.
//
// Thread safety: used by one thread at a time.
class PlanRun {
 public:
  // Builds the operator tree (XX000 for a malformed plan; 57014 if already cancelled).
  // REQUIRES: plan and ctx outlive the PlanRun; ctx.txn stays open while it exists.
  PlanRun(const planner::PlanNode& plan, ExecContext& ctx);
  ~PlanRun();
  PlanRun(const PlanRun&) = delete;
  PlanRun& operator=(const PlanRun&) = delete;

  // Replaces *out with the next batch (at least one row), its columns of the plan's
  // output_types (values of another type are cast, a NULL takes the column's type); false at
  // the end. Checks cancel and statement_timeout (57014) after each batch. Throws Error.
  bool Next(DataChunk* out);
  // DML plans: the number of rows affected, once Next() has returned false.
  int64_t affected() const;

 private:
  const planner::PlanNode& plan_;
  std::unique_ptr<ExecState> state_;
  std::unique_ptr<Operator> op_;
};

// Runs `plan` to completion. Query plans deliver their rows to `sink` in batches. DML plans
// (kInsert/kUpdate/kDelete) deliver their RETURNING rows, if any, and return the number of
// rows affected; query plans return the number of rows delivered.
// Throws Error (SQLSTATE as raised by the operators and storage).
int64_t RunPlan(const planner::PlanNode& plan, ExecContext& ctx, const RowSink& sink);

}  // namespace activestore::executor
