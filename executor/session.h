// The implementation of executor/engine.h: NodeEngineImpl (one per process: storage, catalog,
// plan cache) and SessionImpl (one per connection: settings, transaction state, prepared
// statements).
//
// Transactions: outside a block every statement runs in its own storage transaction, which
// commits when the statement succeeds. BEGIN opens a block whose storage transaction spans
// its statements; an error fails the block (25P02 for everything but COMMIT/ROLLBACK until
// it ends). Every storage transaction is a storage::CatalogTxn around a storage::UserTransaction
// (row locks, savepoints, SERIALIZABLE; SessionImpl::NewTxn), so DDL is transactional too: a
// statement binds against CatalogView(), the committed catalog plus the changes of its own open
// transaction; other sessions see DDL when it commits.
//
// Thread safety: NodeEngineImpl is thread-safe; a SessionImpl is used by one thread at a time
// except Cancel().
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "executor/activity.h"
#include "executor/deferred_constraints.h"
#include "executor/dependencies.h"
#include "executor/engine.h"
#include "executor/executor.h"
#include "executor/notification_queue.h"
#include "executor/row_reaper.h"
#include "executor/sequences.h"
#include "executor/session_notifications.h"
#include "executor/settings.h"
#include "executor/stat_statements.h"
#include "executor/table_stats.h"
#include "parser/ast.h"
#include "parser/normalize.h"
#include "planner/plan.h"
#include "planner/planner.h"
#include "storage/catalog.h"
#include "storage/group_commit.h"
#include "storage/lock_manager.h"
#include "storage/replication.h"
#include "storage/serializable.h"
#include "storage/storage.h"
#include "storage/two_phase.h"
#include "storage/user_txn.h"

namespace activestore::ast {
// parser/ast_function.h
struct CreateFunctionStatement;
struct CreateCastStatement;
struct DropCastStatement;
struct CreateOperatorStatement;
struct OperatorSignature;
struct DropOperatorStatement;
struct DropFunctionStatement;
struct AlterFunctionStatement;
struct CreateTriggerStatement;
struct DropTriggerStatement;
struct AlterTriggerStatement;
struct CallStatement;
struct RoutineSignature;
struct CommentStatement;  // parser/ast_comment.h
}  // namespace activestore::ast

namespace activestore::metrics {
class StatementMeter;  // common/metrics.h
}  // namespace activestore::metrics

namespace activestore::executor {

class NodeEngineImpl;
class QueryStream;

// A parsed statement and, for queries and DML, its plan for one catalog version.
class StatementImpl : public PreparedStatement {
 public:
  const std::vector<uint32_t>& param_types() const override { return param_oids_; }
  bool returns_rows() const override { return returns_rows_; }
  const std::vector<ColumnDesc>& result_columns() const override { return columns_; }
  const std::string& sql() const override { return sql_; }

  bool IsQuery() const;  // SELECT/INSERT/UPDATE/DELETE: planned by planner/

  std::string sql_;
  std::shared_ptr<const ast::Statement> ast_;  // null for an empty statement
  std::vector<uint32_t> param_oids_;           // after planning: every parameter's type
  std::vector<Type> given_param_types_;        // as given at Parse (kUnknown = infer)
  bool returns_rows_ = false;
  bool described_ = false;  // param_oids_/columns_ are final
  std::vector<ColumnDesc> columns_;

  // The plan and the catalog version, database and search path it was made for.
  mutable std::mutex mu_;
  mutable planner::PlanPtr plan_;
  mutable std::vector<Type> planned_param_types_;
  mutable uint64_t catalog_version_ = 0;
  mutable storage::Oid database_ = 0;
  mutable std::string search_path_key_;
  // The inheritance parents the plan expands and the children it appends; those of them whose
  // children were pinned by the session and differ from the catalog's (planner.h).
  mutable std::map<storage::Oid, std::vector<storage::Oid>> inheritance_used_;
  mutable std::map<storage::Oid, std::vector<storage::Oid>> inheritance_pinned_;

  // ParseSimple's statements whose numbers were lifted (parser/normalize.h): the shared
  // statement of their shape, which holds the plan, and the numbers as its parameters.
  std::shared_ptr<const StatementImpl> shape_;
  Params lifted_params_;
  // Per lifted parameter, the 1-based character position of a lifted string in sql_ (0 for
  // the others): where an error in reading it points, as it would for the literal.
  std::vector<int> lifted_positions_;
  // A shape that could not be parsed or planned with placeholders at catalog_version_: its
  // statements are read as written until the catalog changes.
  bool unliftable_ = false;

  // pg_stat_statements' text for a statement prepared by PREPARE: the whole PREPARE text.
  std::string stats_text_;
  // How pg_stat_statements groups this statement, computed on first use from `text` if given
  // (a shape's first statement as written), else from stats_text_ or sql_. Thread-safe.
  std::shared_ptr<const parser::StatementFingerprint> Fingerprint(std::string_view text = {}) const;

 private:
  mutable std::once_flag fingerprint_once_;
  mutable std::shared_ptr<const parser::StatementFingerprint> fingerprint_;
};

class SessionImpl : public Session {
 public:
  std::vector<Notice> TakeFailedNotices() override {
    std::vector<Notice> out;
    out.swap(pending_notices_);
    return out;
  }
  SessionImpl(NodeEngineImpl* engine, storage::DatabaseInfo db, std::string user);
  ~SessionImpl() override;

  std::vector<std::shared_ptr<PreparedStatement>> ParseSimple(std::string_view sql) override;
  std::shared_ptr<PreparedStatement> Prepare(std::string_view sql,
                                             const std::vector<uint32_t>& param_type_oids) override;
  QueryResult Execute(const PreparedStatement& stmt, const Params& params) override;
  QueryResult ExecuteStreaming(const PreparedStatement& stmt, const Params& params) override;
  void SetBinaryResultFormats(std::vector<int16_t> formats) override {
    binary_formats_ = std::move(formats);
  }
  void Sync() override;
  bool SyncHasWork() const override { return stmt_txn_ != nullptr || notifications_.HasPending(); }
  TxnStatus txn_status() const override { return status_; }
  int64_t IdleInTransactionTimeoutMs() override {
    return settings_.Millis("idle_in_transaction_session_timeout");
  }
  std::vector<std::pair<std::string, std::string>> ReportedParameters() const override {
    return settings_.Reported();
  }
  std::vector<std::pair<std::string, std::string>> TakeChangedParameters() override {
    return settings_.TakeChanged();
  }
  void Cancel() override { cancel_.store(true); }
  bool TakeCancel() override { return cancel_.exchange(false); }
  bool HasCommitWait() const override { return commit_wait_.has_value(); }
  std::optional<CommitWait> TakeCommitWait() override { return std::exchange(commit_wait_, {}); }
  storage::ReadFence* read_fence() override { return &read_fence_; }
  void set_terminator(std::function<void()> terminate) override {
    terminator_ = std::move(terminate);
  }
  // Also registers the session in the node's ActivityRegistry (pg_stat_activity).
  void set_backend_pid(int32_t pid) override;
  void SetNotificationWaker(std::function<void()> wake) override {
    notifications_.SetWaker(std::move(wake));
  }
  std::vector<Notification> TakeNotifications(size_t max_bytes, bool* more) override;
  std::optional<std::vector<ColumnDesc>> DescribeCursor(const std::string& name) override;
  void DeferCommitToSync() override { defer_commit_ = true; }
  void set_client_address(std::string address) override;
  int32_t backend_pid() const { return pid_; }

  Settings& settings() { return settings_; }
  // At start-up: drops every pg_temp_N schema of the database with its contents (their sessions
  // ended with the previous server process).
  void DropAllTempSchemas();

  // --- used by the COPY sink (copy.cpp) ---
  // The transaction a statement writes in: the block's, or a new one that the caller commits
  // with FinishStatementTxn.
  // `snapshot_reads`: outside a block under READ COMMITTED, a statement that only reads gets a
  // snapshot transaction (one consistent snapshot); writers get a read-committed one, so that
  // after waiting for a row lock they see the committed row.
  storage::Transaction* StatementTxn(bool snapshot_reads = false);
  void FinishStatementTxn(bool success);
  // COMMIT / ROLLBACK outside a block: ends the implicit transaction of a multi-statement
  // query (or of the statements before Sync) now.
  void EndImplicitTxn(bool commit);
  void MarkFailed();
  ExecContext MakeExecContext(storage::Transaction* txn, std::vector<Value> params);
  NodeEngineImpl* engine() { return engine_; }
  // The open transaction's row changes per table (COPY counts its rows there).
  TransactionTableCounts* xact_counts() { return &xact_counts_; }
  const storage::DatabaseInfo& database() const { return db_; }
  planner::PlannerContext MakePlannerContext(std::vector<Type> param_types = {});
  // The catalog as this session sees it: the open (block or statement) transaction's view,
  // with its own uncommitted DDL, or the committed catalog (ddl.cpp).
  std::shared_ptr<const storage::CatalogSnapshot> CatalogView();
  // Cached by the settings' generation and the catalog view's version.
  const std::string& PlanSettingsKey();
  // parser::Parse with the session's standard_conforming_strings / escape_string_warning; its
  // warnings go to parse_notices_ (sent with the next statement's result).
  std::vector<ast::StatementPtr> ParseText(std::string_view sql, bool warn = true);
  // ParseSimple's path for a statement whose numbers can be lifted: the statement bound to
  // the cached shape (parsed and planned on first use), or null to read it as written.
  std::shared_ptr<StatementImpl> ParseLifted(std::string_view sql);
  bool StandardStrings();
  // Runs a SELECT given as text (no parameters) and returns its rows (for COPY defaults etc.).
  std::vector<std::vector<Value>> RunInternalQuery(const std::string& sql,
                                                   storage::Transaction* txn);

 private:
  friend class QueryStream;

  // Runs f, a statement's work; on an exception the statement fails (MarkFailed) and the
  // exception is rethrown as an Error (53200 for bad_alloc, XX000 for another exception).
  template <typename F>
  auto FailStatementOnError(F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (const Error& e) {
      if (activity_ && e.state() == SqlState::kDeadlockDetected) activity_->CountDeadlock();
      MarkFailed();
      throw;
    } catch (const std::bad_alloc&) {
      MarkFailed();
      Throw(SqlState::kOutOfMemory, "out of memory");
    } catch (const std::exception& e) {
      MarkFailed();
      LogInternalError(e.what());
      Throw(SqlState::kInternalError, "internal error: {}", e.what());
    }
  }
  static void LogInternalError(const char* what);
  // The statement whose pg_stat_statements entry counts `st`, or nullptr when it is not
  // tracked (pg_stat_statements.track, .track_utility; PREPARE and DEALLOCATE).
  const StatementImpl* TrackedStatement(const StatementImpl& st) const;
  // Closes the open result streams (QueryStream) whose transaction is ending: all of them, or
  // with `min_depth` those started while at least that many savepoints were open.
  void CloseStreams(ResultStream::State why, size_t min_depth = 0);

  QueryResult ExecuteInner(const StatementImpl& st, const Params& params);
  // Execute's part after the checks: ExecuteInner under FailStatementOnError, metered.
  QueryResult ExecuteAudited(const StatementImpl& st, const Params& params,
                             std::unique_ptr<metrics::StatementMeter> meter);
  // `positions`, when given, are the statement text's positions of the parameters (0: none),
  // which an error in reading a parameter's text reports.
  QueryResult RunQuery(const StatementImpl& st, const Params& params,
                       const std::vector<int>* positions = nullptr);
  // Table inheritance while a statement takes its locks (docs/design/2026-12-06-inheritance.md):
  // the parents its plan expands, and for each one locked so far, the children the catalog
  // gave right after the lock (PostgreSQL's find_all_inheritors order: the parent is locked,
  // then its children are found, then locked; a child dropped meanwhile is skipped).
  struct InheritanceLocks {
    std::set<storage::Oid> parents;
    std::map<storage::Oid, std::vector<storage::Oid>> pinned;
  };
  // The statement's plan for the current catalog view (cached in `st`); with `inh`, its pinned
  // children are used, and inh->parents is set to the plan's parents.
  planner::PlanPtr PlanFor(const StatementImpl& st, std::vector<Type>* param_types,
                           InheritanceLocks* inh = nullptr);
  QueryResult RunTransaction(const ast::TransactionStatement& s);
  QueryResult RunSet(const ast::SetStatement& s);
  QueryResult RunShow(const ast::ShowStatement& s);
  QueryResult RunExplain(const ast::ExplainStatement& s, const Params& params);
  // LISTEN, UNLISTEN, NOTIFY: recorded for the transaction's commit (notifications_).
  QueryResult RunNotify(const ast::NotifyStatement& s);
  QueryResult RunPrepare(const ast::PrepareStatement& s);
  QueryResult RunExecute(const ast::ExecuteStatement& s);
  QueryResult RunDeallocate(const ast::DeallocateStatement& s);
  // The named prepared statement `name` (PREPARE or Parse), null if none.
  std::shared_ptr<StatementImpl> NamedImpl(const std::string& name) const;
  // Cursors (executor/cursors.cpp).
  QueryResult RunDeclareCursor(const StatementImpl& st, const ast::DeclareCursorStatement& s,
                               const Params& params);
  QueryResult RunFetch(const ast::FetchStatement& s);
  QueryResult RunCloseCursor(const ast::CloseCursorStatement& s);
  // Before a block commits: WITH HOLD cursors read their remaining rows.
  void CursorsBeforeCommit();
  // The block (or implicit transaction) ended: cursors without HOLD close; a rollback also
  // closes the WITH HOLD cursors it declared.
  void CursorsAtEnd(bool committed);
  // ROLLBACK TO the savepoint at `index`: cursors declared after it close.
  void CursorsAtRollbackTo(size_t index);
  // pg_cursors' rows (name, statement, is_holdable, is_binary, is_scrollable, creation_time).
  std::vector<std::vector<Value>> CursorRows() const;
  QueryResult RunCopy(const ast::CopyStatement& s);
  // privileges.cpp (docs/design/2026-12-05-roles-and-privileges.md)
  QueryResult RunRoleStatement(const ast::Statement& s);
  QueryResult CreateRole(const ast::RoleStatement& s);
  QueryResult AlterRole(const ast::RoleStatement& s);
  QueryResult DropRoles(const ast::DropRoleStatement& s);
  QueryResult GrantRoles(const ast::GrantStatement& s);
  QueryResult GrantPrivileges(const ast::GrantStatement& s);
  QueryResult AlterOwner(const ast::AlterOwnerStatement& s);
  QueryResult Comment(const ast::CommentStatement& s);  // ddl_comment.cpp
  void ApplyRoleOptions(const ast::RoleStatement& s, storage::RoleInfo* r);
  // 42501 `action` unless the current user is a superuser or has CREATEROLE.
  void CheckCanManageRoles(const char* action);
  // 42501 unless the current user may grant membership in `role` (0LP01 pg_database_owner).
  void CheckCanGrantRole(storage::Oid role);
  // What stops DROP ROLE: "owner of table t", "privileges for schema s", ... (PostgreSQL's
  // shared dependency report).
  std::vector<std::string> RoleDependents(storage::Oid role);
  // SET ROLE name | NONE: 42704, 42501 `permission denied to set role "x"`.
  QueryResult SetRole(const std::string& name);
  // SET SESSION AUTHORIZATION name | DEFAULT (nullopt): only for a superuser login (42501).
  QueryResult SetSessionAuthorization(const std::optional<std::string>& name);
  void BecomeUser(storage::Oid user, bool role_set);
  // The session user and current user the settings session_authorization and role name now
  // (after ROLLBACK restored them); a role that no longer exists counts as none.
  void ReapplyIdentity();
  // The oid a role specification names (CURRENT_USER, SESSION_USER, PUBLIC = 0 when
  // allow_public): 42704 `role "x" does not exist`.
  storage::Oid ResolveRole(const ast::RoleSpec& r, bool allow_public = false);
  std::string RoleNameOf(storage::Oid oid);
  bool CurrentIsSuperuser();
  // The audit log's class of a statement (executor/audit.cpp): "role", "ddl", "copy",
  // "superuser", or null for statements it does not record.
  static const char* AuditClass(const ast::Statement& s);
  // The audit event of `st` (of class `kind`) as it starts: who runs it (before a SET ROLE
  // changes that), from where, its text. AuditEnd adds the outcome (`error` or success) and
  // writes it.
  AuditEvent AuditBegin(const char* kind, const StatementImpl& st) const;
  void AuditEnd(AuditEvent& event, const QueryResult* result, const Error* error);
  storage::Oid DatabaseOwner();
  // Which of `privs` `role` holds on relation `t` (pg_read_all_data / pg_write_all_data too).
  storage::AclMode RelationPrivileges(const storage::TableInfo& t, storage::AclMode privs,
                                      storage::Oid role);

 public:
  // 42501 `permission denied for table t` (view, sequence) unless the current user (or `as`)
  // holds `privs` on t.
  void CheckTablePrivilege(const storage::TableInfo& t, storage::AclMode privs,
                           storage::Oid as = 0);
  // The privileges a plan's root lists (planner::RelationPermission), before its locks.
  void CheckPlanPrivileges(const planner::PlanNode& plan);
  // 42501 `must be owner of table t` unless the current user has the owner's privileges.
  void CheckTableOwner(const storage::TableInfo& t);
  // 42501 `permission denied for schema s`.
  void CheckSchemaPrivilege(const std::string& schema, storage::AclMode privs);
  // The ownership and privilege checks PostgreSQL makes before a DDL statement takes its locks.
  void CheckDdlPrivileges(const ast::Statement& s);
  // COPY from/to a server file or program: superusers and members of pg_read_server_files,
  // pg_write_server_files, pg_execute_server_program only (42501).
  void CheckServerFileAccess(bool from, bool program);
  storage::Oid user_oid() const { return user_oid_; }

 private:
  // ddl.cpp
  // StatementTxn() as the CatalogTxn that DDL writes in.
  storage::CatalogTxn* CatalogStatementTxn();
  QueryResult RunDdl(const ast::Statement& s);
  QueryResult RunDdlInner(const ast::Statement& s);
  // CREATE SCHEMA and its schema elements, run in the statement's transaction with the new
  // schema first in the search path (42P15 for an element naming another schema).
  QueryResult CreateSchema(const ast::CreateSchemaStatement& s);
  QueryResult CreateTable(const ast::CreateTableStatement& s);
  QueryResult CreateTableAs(const ast::CreateTableStatement& s);
  QueryResult CreateIndex(const ast::CreateIndexStatement& s);
  QueryResult CreateView(const ast::CreateViewStatement& s);
  // ddl_matview.cpp: materialized views (and, WITH (timescaledb.continuous), continuous
  // aggregates: executor/continuous_aggs.h).
  QueryResult CreateMatview(const ast::CreateTableStatement& s);
  QueryResult RefreshMatview(const ast::RefreshMatviewStatement& s);
  // CALL refresh_continuous_aggregate(cagg, window_start, window_end) (TimescaleDB's
  // procedure); false if `s` calls something else.
  bool CallRefreshContinuousAggregate(const ast::CallStatement& s);
  // Fills a materialized view's storage with its query's rows (in the statement's transaction).
  int64_t FillMatview(const storage::TableInfo& mv);
  // CREATE TABLE AS and CREATE MATERIALIZED VIEW: the columns of a query's output (named by
  // `names` first; 42601, 42701, 42P16 as PostgreSQL), and the insert of its rows.
  std::vector<storage::ColumnInfo> QueryColumns(const planner::PlanNode& query,
                                                const std::vector<ast::ColumnDef>& names);
  int64_t InsertQueryRows(std::shared_ptr<const storage::TableInfo> table, planner::PlanPtr query);
  // ALTER MATERIALIZED VIEW: 42809 unless the relation is one (or a continuous aggregate); a
  // continuous aggregate's SET (timescaledb.*) is done here (true, *out its result); the other
  // actions are ALTER TABLE's (false).
  bool AlterMatview(const ast::AlterTableStatement& s, QueryResult* out);
  QueryResult Drop(const ast::DropStatement& s);
  QueryResult Truncate(const ast::TruncateStatement& s);
  QueryResult LockTables(const ast::LockStatement& s);
  QueryResult AlterTable(const ast::AlterTableStatement& s);
  // ddl_inherit.cpp (docs/design/2026-12-06-inheritance.md)
  // CREATE TABLE ... INHERITS: locks the parents (SHARE UPDATE EXCLUSIVE), puts their columns
  // first (merging same names: NOTICE, 42804 on a type conflict), merges the table's own
  // columns into them, inherits NOT NULL, defaults and CHECK constraints; 42P01, 42809, 42P07,
  // 42611 as PostgreSQL's MergeAttributes.
  void MergeInheritance(const ast::CreateTableStatement& s, storage::TableInfo* info);
  // A CHECK of the table's own merged into an inherited one of the same name (NOTICE), or
  // added; 42710 when the expressions differ.
  void MergeLocalCheck(storage::TableInfo* info, storage::CheckConstraintInfo check);
  // The table of an ALTER TABLE, locked in `mode`: null (after the NOTICE) when it does not
  // exist and IF EXISTS was given, else 42P01; 42809 for a view or sequence (`action` names the
  // ALTER action in the message).
  std::shared_ptr<const storage::TableInfo> LockAlterTarget(const ast::AlterTableStatement& s,
                                                            const char* action,
                                                            storage::LockMode mode,
                                                            std::string* schema);
  // ALTER TABLE c [NO] INHERIT p.
  QueryResult AlterInherit(const ast::AlterTableStatement& s);
  // ALTER TABLE t ALTER [COLUMN] c [SET DATA] TYPE x: rewrites t and its descendants.
  QueryResult AlterColumnType(const ast::AlterTableStatement& s);
  // ALTER TABLE ADD CHECK on a parent: the constraint goes to its children too, merged with one
  // of the same name and expression (else 42710), their rows checked when `validate`; with
  // `only` and children, 42P16 `constraint must be added to child tables too`.
  void AddCheckToChildren(const storage::TableInfo& table,
                          const storage::CheckConstraintInfo& check, bool only, bool validate);
  // ALTER TABLE DROP CONSTRAINT on a parent: its children's inherited copies go (or stay as
  // their own, with `only` or another parent).
  void DropCheckFromChildren(const storage::TableInfo& table, const std::string& name, bool only);
  // Every table that inherits from `table`, directly or not (each once).
  std::vector<std::shared_ptr<const storage::TableInfo>> InheritanceDescendants(
      const storage::TableInfo& table);
  // DROP TABLE: the children of the tables to drop that are not in the list: 2BP01 unless
  // cascade, else added (with theirs) to `targets`, locked, with PostgreSQL's NOTICE.
  void DropInheritanceChildren(
      std::vector<std::pair<std::string, std::shared_ptr<const storage::TableInfo>>>* targets,
      bool cascade);
  // ddl_foreign_key.cpp
  // A FOREIGN KEY of `table` (being created when `creating`; then a reference to its own name
  // is to itself) from its clause: resolves and locks the referenced table (SHARE ROW
  // EXCLUSIVE) and checks as PostgreSQL (42P01, 42809, 42703, 42830, 42804, 42710, 0A000 for
  // MATCH PARTIAL and INITIALLY DEFERRED). `taken`: the table's constraint names so far.
  storage::ForeignKeyInfo BuildForeignKey(const storage::TableInfo& table, bool creating,
                                          const std::optional<std::string>& name,
                                          const std::vector<std::string>& columns,
                                          const ast::ForeignKeySpec& spec,
                                          std::set<std::string>* taken);
  static std::set<std::string> ConstraintNames(const storage::TableInfo& table);
  // CHECK constraints of CREATE TABLE / ALTER TABLE ADD onto `info` (not yet validated against
  // rows): bound against its columns (0A000, 42803, 42804, 42703 as PostgreSQL), stored as
  // SQL text, unnamed ones named as PostgreSQL's ChooseConstraintName (t_a_check for one
  // column, t_check otherwise, then t_check1, ...); 42710 for a name the table has.
  void AddCheckConstraints(storage::TableInfo* info,
                           const std::vector<const ast::TableConstraint*>& checks);
  // ALTER TABLE ... ADD [CONSTRAINT n] FOREIGN KEY (checks the existing rows) / DROP
  // CONSTRAINT [IF EXISTS] n.
  QueryResult AlterTableConstraint(const ast::AlterTableStatement& s);
  // ALTER TABLE ADD of a table constraint (CHECK, FOREIGN KEY, PRIMARY KEY, UNIQUE) to the
  // locked `table`: the existing rows are checked (not for NOT VALID) or indexed, a CHECK goes
  // to the children too (42P16 with `only` and children).
  void AddTableConstraint(const std::string& schema,
                          const std::shared_ptr<const storage::TableInfo>& table,
                          const ast::TableConstraint& c, bool not_valid, bool only);
  // ADD PRIMARY KEY (...): rewrites the table keyed by the columns (23502 for a null in them,
  // 23505 `could not create unique index` for a duplicate; 42P16 if it has one).
  void AddPrimaryKey(const std::string& schema,
                     const std::shared_ptr<const storage::TableInfo>& table,
                     const ast::TableConstraint& c);
  // ddl_alter_column.cpp: ALTER TABLE actions on columns, as PostgreSQL's tablecmds.c.
  // Several actions in one statement, in order.
  QueryResult AlterTableActions(const ast::AlterTableStatement& s);
  // ADD [COLUMN] [IF NOT EXISTS] c type [constraints]: rewrites the table (and its children,
  // which inherit the column) with the column's DEFAULT evaluated for every existing row.
  QueryResult AddColumn(const ast::AlterTableStatement& s);
  // Adds `column` (inherited when `recursing`) to `table` and to its children.
  void AddColumnRecurse(const std::shared_ptr<const storage::TableInfo>& table,
                        storage::ColumnInfo column, const ast::CreateTableStatement& def,
                        bool recursing);
  // DROP [COLUMN] [IF EXISTS] c [CASCADE | RESTRICT]: rewrites the table without it; its
  // indexes and constraints that use it go with it.
  QueryResult DropColumn(const ast::AlterTableStatement& s);
  void DropColumnRecurse(const std::string& schema,
                         const std::shared_ptr<const storage::TableInfo>& table,
                         const std::string& column, bool cascade, bool only, bool recursing);
  // ALTER [COLUMN] c SET DEFAULT | DROP DEFAULT | SET NOT NULL | DROP NOT NULL.
  QueryResult AlterColumnAttribute(const ast::AlterTableStatement& s);
  // ALTER COLUMN ... ADD GENERATED AS IDENTITY | SET GENERATED / options | DROP IDENTITY.
  QueryResult AlterColumnIdentity(const ast::AlterTableStatement& s);
  // ALTER SEQUENCE's options (also an identity column's SET options) applied to `seq`, which
  // the caller has locked.
  void ApplySequenceOptions(const std::shared_ptr<const storage::TableInfo>& seq,
                            const std::vector<ast::SequenceOption>& options);
  // RENAME [COLUMN] a TO b | RENAME CONSTRAINT a TO b | RENAME TO b.
  QueryResult AlterRename(const ast::AlterTableStatement& s);
  QueryResult AlterTableOptions(const ast::AlterTableStatement& s);
  // 0A000 when the view options set check_option and its query is not automatically updatable
  // (see ddl.cpp).
  void RefuseCheckOption(const storage::TableInfo& view);
  // ALTER TABLE ... RENAME TO of a table, view or index (the primary key's name follows the
  // table's: <table>_pkey, where PostgreSQL keeps the old name; 0A000
  // for a sequence or a relation a view reads, whose stored texts name it).
  QueryResult RenameRelation(const ast::AlterTableStatement& s);
  // The views that read `table` (through the planner's expansion of each view), and their names.
  std::vector<std::shared_ptr<const storage::TableInfo>> ViewRelationsReading(
      const storage::TableInfo& table);
  // The relations view `v` reads (a materialized view: its query's), by planning it; throws the
  // planner's Error when it does not plan any more.
  std::vector<storage::Oid> RelationsViewReads(const storage::TableInfo& v);
  std::vector<std::string> ViewsReading(const storage::TableInfo& table);
  // What DROP says about objects that depend on `dropped` (`what` its kind, "table"), one DETAIL
  // line each: without CASCADE 2BP01 with PostgreSQL's hint, with it the "drop cascades to"
  // NOTICE (a count in the message when there are several).
  void ReportDependents(const std::string& what, const std::string& dropped, bool cascade,
                        size_t count, const std::string& detail);
  // DROP TABLE | VIEW of `targets`: the views that read them (and the views over those) are
  // dropped first with CASCADE, else 2BP01 names them (PostgreSQL's view dependencies).
  // DROP of `originals` (their tables, views, types, functions, schemas) as PostgreSQL's
  // performMultipleDeletions (executor/dependencies.h): without `cascade` 2BP01 when other
  // objects depend on them, with it the NOTICE naming what goes too; then everything goes,
  // dependents first. Returns false, having done nothing, when a TimescaleDB object (hypertable,
  // chunk, continuous aggregate) is among them: the caller's own way drops those.
  bool DropObjects(const std::vector<DependencyObject>& originals, bool cascade);
  // DROP [IF EXISTS] of a name qualified by a schema that does not exist: 3F000, or with
  // if_exists PostgreSQL's `schema "x" does not exist, skipping` notice and true.
  bool DropSchemaMissing(const ast::QualifiedName& name, bool if_exists);
  // ALTER SCHEMA name RENAME TO new (OWNER TO is AlterOwner's).
  QueryResult AlterSchema(const ast::AlterSchemaStatement& as);
  // 42501 `permission denied for database d` unless the current user may CREATE in it.
  void CheckDatabaseCreatePrivilege();
  void DropDependentViews(
      const std::vector<std::pair<std::string, std::shared_ptr<const storage::TableInfo>>>& targets,
      bool cascade, const char* what);
  // A column of CREATE TABLE / ALTER TABLE ADD COLUMN as the catalog keeps it (serial types
  // as their integer type, the DEFAULT as SQL text); 42P16 for a pseudo-type.
  storage::ColumnInfo ColumnInfoOf(const ast::ColumnDef& col);
  QueryResult ValidateConstraint(const std::string& schema, const storage::TableInfo& table,
                                 const std::string& name);
  // 23514 `check constraint ... is violated by some row` if a row of `table` fails `check`.
  void CheckExistingRows(const std::string& schema, const storage::TableInfo& table,
                         const storage::CheckConstraintInfo& check);
  // DROP TABLE of `dropped`: 2BP01 if a foreign key of another table refers to one of them;
  // with `cascade` those constraints are dropped (with PostgreSQL's notices).
  void DropForeignKeyDependents(
      const std::vector<std::shared_ptr<const storage::TableInfo>>& dropped, bool cascade);
  // TRUNCATE: 0A000 if a table outside `targets` refers to one of them; with `cascade` those
  // tables join `targets`.
  void TruncateForeignKeys(
      std::vector<std::pair<std::string, std::shared_ptr<const storage::TableInfo>>>* targets,
      bool cascade);
  // ddl_types.cpp: user-defined types (docs/design/2026-12-05-user-defined-types.md)
  QueryResult CreateType(const ast::CreateTypeStatement& s);
  // ddl_base_types.cpp: CREATE TYPE name (a shell) and CREATE TYPE name (...) (a base type);
  // CREATE CAST, DROP CAST; the cast `cast_oid` out of its type (DROP ... CASCADE).
  QueryResult CreateShellOrBaseType(const ast::CreateTypeStatement& s);
  QueryResult CreateCast(const ast::CreateCastStatement& s);
  QueryResult DropCast(const ast::DropCastStatement& s);
  // CREATE OPERATOR, DROP OPERATOR (executor/ddl_operators.cpp).
  QueryResult CreateOperator(const ast::CreateOperatorStatement& s);
  QueryResult DropOperator(const ast::DropOperatorStatement& s);
  // The operator `sig` names (42883 as PostgreSQL's LookupOperWithArgs; nullptr when missing
  // and `missing_ok`, with the NOTICE DROP ... IF EXISTS gives).
  // A built-in operator (pg_catalog is searched first) is 2BP01 `cannot drop` when `drop`, else
  // 0A000.
  const storage::OperatorInfo* LookupOperator(const ast::OperatorSignature& sig, bool missing_ok,
                                              bool drop);
  // Removes operator `oid` (DropObjects' part for operators).
  void DropUserOperator(storage::Oid oid);
  void DropUserCast(storage::Oid cast_oid);
  // CREATE FUNCTION ... LANGUAGE internal: 42883 unless the body names a built-in function.
  void CheckInternalFunction(const storage::FunctionInfo& info);
  // Shell types among a new function's argument and result types: NOTICEs (42809), or for a
  // SQL function 42P13.
  void ShellTypeChecks(const storage::FunctionInfo& info, bool sql);
  storage::TypeDefInfo NewTypeDef(const ast::QualifiedName& name, char kind);
  QueryResult AlterType(const ast::AlterTypeStatement& s);
  QueryResult CreateDomain(const ast::CreateDomainStatement& s);
  QueryResult AlterDomain(const ast::AlterDomainStatement& s);
  // DROP TYPE / DROP DOMAIN.
  QueryResult DropTypes(const ast::DropStatement& s);
  void AddDomainCheck(storage::TypeDefInfo* d, const ast::DomainConstraint& c);
  std::vector<std::tuple<std::string, std::string, std::string>> DomainColumns(
      const storage::TypeDefInfo& d);
  void ValidateDomainCheck(const storage::TypeDefInfo& d, const std::string& check);
  // The user-defined type `name` denotes through the search path (its schema if qualified), or
  // null.
  std::shared_ptr<const storage::TypeDefInfo> FindTypeDef(const ast::QualifiedName& name);
  // ddl_functions.cpp: user-defined SQL functions and procedures (parser/ast_function.h).
  QueryResult CreateFunction(const ast::CreateFunctionStatement& s);
  QueryResult DropFunction(const ast::DropFunctionStatement& s);
  QueryResult AlterFunction(const ast::AlterFunctionStatement& s);
  // Triggers (executor/ddl_triggers.cpp).
  QueryResult CreateTrigger(const ast::CreateTriggerStatement& s);
  QueryResult DropTrigger(const ast::DropTriggerStatement& s);
  QueryResult AlterTrigger(const ast::AlterTriggerStatement& s);
  QueryResult AlterTableTriggers(const ast::AlterTableStatement& s);  // ENABLE/DISABLE TRIGGER
  QueryResult RunCall(const ast::CallStatement& s);
  // A parameter or result type as written (record, void; a table's row type when `relation`
  // is given, which is then set to the table's oid).
  Type RoutineType(const ast::TypeName& name, uint32_t* domain, storage::Oid* relation);
  // The function or procedure a signature names: 42883 / 42725 / 42809 (a procedure named as
  // a function or the reverse); null when missing_ok and there is none.
  std::shared_ptr<const storage::FunctionInfo> FindRoutine(const ast::RoutineSignature& sig,
                                                           bool procedure, bool missing_ok);
  // 42501 `must be owner of function f` unless the current user has the owner's privileges.
  void CheckRoutineOwner(const storage::FunctionInfo& fn);
  // ddl_sequence.cpp
  QueryResult CreateSequence(const ast::CreateSequenceStatement& s);
  QueryResult AlterSequence(const ast::AlterSequenceStatement& s);
  // DROP SEQUENCE of `targets` (schema, sequence): 2BP01 for an identity column's sequence and,
  // without `cascade`, for one a column default uses (CASCADE drops those defaults).
  void DropSequences(
      const std::vector<std::pair<std::string, std::shared_ptr<const storage::TableInfo>>>& targets,
      bool cascade);
  // OWNED BY table.column | NONE of CREATE / ALTER SEQUENCE for a sequence in `seq_schema`:
  // sets q's owner (42601, 42P01, 42809, 55000, 42703 as PostgreSQL's process_owned_by).
  void ResolveOwnedBy(const ast::SequenceOption& owned_by, const std::string& seq_schema,
                      storage::SequenceInfo* q);
  // A sequence CREATE TABLE makes for a serial or identity column.
  struct ColumnSequence {
    int column = -1;
    std::string schema;
    std::string name;
    storage::SequenceInfo info;
  };
  // Turns column `ord` of the table being created, if it is serial or an identity column, into
  // an integer column, NOT NULL, whose default is nextval() of a new sequence; returns what
  // that sequence will be. `taken` holds the relation names the statement already claims.
  std::optional<ColumnSequence> PrepareColumnSequence(const ast::CreateTableStatement& s,
                                                      const ast::ColumnDef& col, int ord,
                                                      storage::TableInfo* info,
                                                      std::set<std::string>* taken);
  // CREATE TABLE ... (LIKE source ...) (ddl_like.cpp): the sources, locked and checked; a
  // source's columns (its identity columns, with INCLUDING IDENTITY, as definitions for
  // PrepareColumnSequence); its CHECKs, primary key and unique constraints; after the table is
  // made, its other indexes.
  struct LikeSource {
    const ast::CreateTableStatement::Like* like;
    std::shared_ptr<const storage::TableInfo> table;
  };
  std::vector<LikeSource> ResolveLikeSources(const ast::CreateTableStatement& s);
  void AddLikeColumns(const LikeSource& src, storage::TableInfo* info, std::set<std::string>* seen,
                      std::vector<ast::ColumnDef>* identity_columns);
  void AddLikeConstraints(const LikeSource& src, storage::TableInfo* info,
                          std::vector<std::vector<std::string>>* unique_sets,
                          std::vector<std::vector<int>>* unique_includes,
                          std::vector<bool>* nulls_not_distinct);
  void CreateLikeIndexes(const std::vector<LikeSource>& sources, const storage::TableInfo& table);
  // Creates the sequences of serial and identity columns, owned by `table`.
  void CreateColumnSequences(const storage::TableInfo& table,
                             const std::vector<ColumnSequence>& sequences);
  // A column DEFAULT as stored: the sequences it names with regclass constants (nextval('s'))
  // are resolved now (42P01 if missing), written schema-qualified and returned in `sequences`.
  std::string DeparseDefault(const ast::Expr& e, std::vector<uint32_t>* sequences);
  // DROP TABLE: the sequences the dropped tables own go with them; defaults of other tables
  // that use them block the drop (2BP01) unless `cascade` (then they are dropped).
  void DropOwnedSequences(const std::vector<std::shared_ptr<const storage::TableInfo>>& tables,
                          bool cascade, const std::string& what);
  // TRUNCATE ... RESTART IDENTITY: the sequences `table` owns start over (a new generation).
  void RestartOwnedSequences(const storage::TableInfo& table);
  // Resolves the schema for a new object: the given one or the first existing schema in
  // search_path. Throws 3F000 / 3F000 `no schema has been selected to create in`.
  // `temporary` (CREATE TEMP ...): the session's temporary schema (42P16 if another schema is
  // named).
  std::string CreationSchema(const ast::QualifiedName& name, bool temporary = false);
  // --- temporary objects (temp_objects.cpp) ---
  // The session's schema for temporary tables, sequences and views: pg_temp_<backend pid>.
  const std::string& TempSchemaName() const;
  // A schema name as written: the alias pg_temp denotes the session's temporary schema.
  std::string ResolveSchemaName(const std::string& schema) const;
  // search_path as lookups use it: pg_temp (explicit) replaced by the temporary schema, which
  // otherwise comes first when it exists (PostgreSQL's recomputeNamespacePath for relations).
  std::vector<std::string> LookupPath(const storage::CatalogSnapshot& snap) const;
  // The reg* types' name lookups over `snap` with the session's search path (FormatOptions::reg).
  std::shared_ptr<const CatalogRegResolver> NameResolver(
      std::shared_ptr<const storage::CatalogSnapshot> snap) const;
  // The temporary schema, created in the statement's transaction on first use. One of the
  // same name left by an earlier server process (a crash) is dropped with its contents first.
  std::string EnsureTempSchema();
  // Drops the temporary schema and everything in it (end of session, DISCARD TEMP / ALL).
  void DropTempObjects();
  // Before a commit: ON COMMIT DROP tables created in the transaction are dropped, ON COMMIT
  // DELETE ROWS tables are emptied, in the transaction that commits.
  void RunOnCommitActions();
  // Runs the transaction's deferred constraint checks of `constraints` (all when null) in
  // `txn`: before a commit, a PREPARE TRANSACTION, and at SET CONSTRAINTS ... IMMEDIATE.
  void FireDeferredConstraints(storage::Transaction* txn,
                               const std::set<storage::Oid>* constraints);
  QueryResult RunSetConstraints(const ast::SetStatement& s);
  // The transaction's deferred foreign key checks and SET CONSTRAINTS modes.
  DeferredConstraints deferred_;
  struct OnCommitAction {
    uint32_t table_oid;
    bool drop;  // ON COMMIT DROP; otherwise DELETE ROWS
  };
  std::vector<OnCommitAction> on_commit_actions_;
  // Whether a schema named TempSchemaName() in the catalog is this session's (not a stale one).
  bool temp_schema_checked_ = false;
  mutable int64_t temp_id_ = 0;           // pid_, or a unique negative id for sessions without one
  mutable std::string temp_schema_name_;  // pg_temp_<temp_id_>, once temp_id_ is set
  // Finds a table by possibly qualified name in search_path order; nullptr if missing.
  std::shared_ptr<const storage::TableInfo> FindTable(const ast::QualifiedName& name,
                                                      std::string* schema_out = nullptr);
  // FindTable, then the table lock in `mode` (held to the end of the transaction), then
  // FindTable again: what the statement works on is what exists once it holds the lock.
  // ANALYZE and VACUUM ... ANALYZE (executor/analyze.cpp): every target relation, or each of
  // the database's that the user may analyze; one relation's columns (all when empty).
  QueryResult RunAnalyze(const ast::UtilityNoopStatement& s);
  // REINDEX (executor/reindex.cpp).
  QueryResult RunReindex(const ast::UtilityNoopStatement& s);
  void AnalyzeRelation(const storage::TableInfo& table, const std::vector<std::string>& columns,
                       int64_t target, const ast::UtilityNoopStatement& s);
  std::shared_ptr<const storage::TableInfo> FindAndLockTable(const ast::QualifiedName& name,
                                                             std::string* schema_out,
                                                             storage::LockMode mode);
  // Takes the table locks a query plan needs: RowExclusive on a DML target (RowShare for
  // SELECT FOR UPDATE/SHARE), AccessShare on every other table it reads.
  // With `inh`, the children of each of inh->parents are pinned once it is locked.
  void LockPlanRelations(const planner::PlanNode& plan, storage::Transaction* txn,
                         InheritanceLocks* inh = nullptr);
  // Whether the plan reads a relation of the session's temporary schema (CREATE VIEW then makes
  // a temporary view).
  bool PlanUsesTempRelations(const planner::PlanNode& plan);

  // A new client transaction at the current transaction_isolation.
  std::unique_ptr<storage::Transaction> NewTxn(bool snapshot_reads);
  // Sets the lock-wait bounds (statement_timeout, lock_timeout, deadlock_timeout) for the
  // statement that starts now.
  void StartStatementClock();
  QueryResult RunSavepoint(const ast::TransactionStatement& s);
  void BeginBlock(const ast::TransactionStatement* s);
  void EndBlock(bool commit);
  // Leaves the block (status idle, savepoints and SET LOCAL undone) and hands over its
  // transaction (null if it never started).
  // committed: the block's work stands (COMMIT, PREPARE TRANSACTION), so only SET LOCAL values
  // are restored; otherwise every setting changed in it is.
  std::unique_ptr<storage::Transaction> LeaveBlock(bool committed = true);
  // PREPARE TRANSACTION, COMMIT PREPARED, ROLLBACK PREPARED (storage/two_phase.h).
  QueryResult RunPrepareTransaction(const std::string& gid);
  QueryResult RunFinishPrepared(const std::string& gid, bool commit);
  // Rows of a system view (ExecContext::system_view_rows).
  std::vector<std::vector<Value>> SystemViewRows(const std::string& view);
  QueryResult Tagged(std::string tag) {
    QueryResult r;
    r.command_tag = std::move(tag);
    return r;
  }
  std::vector<ColumnDesc> Describe(const planner::PlanNode& plan) const;
  void FormatRows(std::vector<std::vector<Value>>&& rows, std::vector<TextRow>* out,
                  const FormatOptions& fmt) const;
  std::vector<int16_t> binary_formats_;  // SetBinaryResultFormats
  bool stream_results_ = false;          // inside ExecuteStreaming
  std::vector<QueryStream*> streams_;    // open or not, until destroyed (QueryStream registers)
  // An open cursor (DECLARE): the rows read from its stream so far, and its position.
  struct Cursor {
    std::string name;
    std::string statement;  // the text that declared it (pg_cursors.statement)
    std::vector<ColumnDesc> columns;
    // A READ COMMITTED cursor's own snapshot (declared before `stream`, which reads in it).
    std::unique_ptr<storage::Transaction> txn;
    std::shared_ptr<ResultStream> stream;  // null once every row is read
    bool on_block_txn = false;             // `stream` reads in the block's transaction
    std::vector<std::vector<Value>> rows;  // rows first+1, first+2, ... read so far
    int64_t first = 0;                     // rows before were dropped (NO SCROLL)
    int64_t pos = 0;     // 0: before the first row; n: on row n; total + 1: after the last
    bool scroll = true;  // may move backward (not NO SCROLL)
    bool scroll_declared = false;
    bool binary = false;
    bool hold = false;
    bool failed = false;   // reading it failed: "portal cannot be run"
    bool in_block = true;  // declared in the open transaction
    size_t depth = 0;      // savepoints open at DECLARE
    int64_t created_us = 0;
    int64_t known() const { return first + static_cast<int64_t>(rows.size()); }
  };
  // Whether the transaction a statement runs in is read-only: the block's mode, or outside a
  // block default_transaction_read_only (25006 for writes, as PostgreSQL).
  bool TxnReadOnly();
  // Reads the cursor's next batch into its rows; false when none is left.
  bool CursorPull(Cursor* c);
  // Before a statement that may write in the block: cursors reading in the block's
  // transaction read the rest of their rows, so that they never see its writes.
  void CursorsBeforeWrite();
  storage::Transaction* stream_txn_override_ = nullptr;  // RunQuery's stream reads here
  std::map<std::string, std::unique_ptr<Cursor>> cursors_;

  NodeEngineImpl* engine_;
  storage::DatabaseInfo db_;
  std::string user_;
  // The role that logged in, the session user (SET SESSION AUTHORIZATION) and the current user
  // (SET ROLE), whose privileges statements use.
  storage::Oid authenticated_user_oid_ = storage::kBootstrapSuperuserOid;
  storage::Oid session_user_oid_ = storage::kBootstrapSuperuserOid;
  storage::Oid user_oid_ = storage::kBootstrapSuperuserOid;
  bool role_set_ = false;
  std::string session_user_name_;
  std::string current_user_name_;
  std::string client_address_;  // for the audit log
  Settings settings_;
  // What statements derive from settings_, kept while settings_.generation() (and, for the
  // plan key, the catalog view's version) stays the same.
  struct DerivedSettings {
    uint64_t generation = ~uint64_t{0};
    int64_t statement_timeout_ms = 0;
    int64_t lock_timeout_ms = 0;
    int64_t deadlock_timeout_ms = 1;
    // transaction_isolation, default_transaction_read_only, transaction_deferrable and
    // default_transaction_deferrable, read at each transaction's start.
    bool serializable = false;
    bool read_committed = true;
    bool default_read_only = false;
    bool deferrable = false;
    bool default_deferrable = false;
    bool standard_strings = true;  // standard_conforming_strings
    uint64_t plan_key_generation = ~uint64_t{0};
    uint64_t plan_key_catalog_version = 0;
    std::string plan_key;
  };
  DerivedSettings derived_;
  // derived_, brought up to date with settings_ (the plan key apart).
  const DerivedSettings& Derived();
  // MakeExecContext's names: the search path as resolved in catalog view `snap` under
  // settings generation `generation` (the view is held, so that its address stays its own).
  struct ExecNames {
    std::shared_ptr<const storage::CatalogSnapshot> snap;
    uint64_t generation = ~uint64_t{0};
    std::string current_schema;
    std::vector<std::string> search_path;
    std::string implicit_temp_schema;
    std::shared_ptr<const CatalogRegResolver> names;
  };
  ExecNames exec_names_;
  // CurrentIsSuperuser's answer for a role and a catalog view's version.
  struct {
    uint64_t catalog_version = ~uint64_t{0};
    storage::Oid role = 0;
    bool superuser = false;
  } superuser_cache_;
  std::atomic<bool> cancel_{false};
  std::optional<CommitWait> commit_wait_;  // see Session::TakeCommitWait
  storage::ReadFence read_fence_;          // see Session::read_fence
  // After a commit: the wait for the synchronous replicas it needs (commit_wait_), with the
  // synchronous_commit `level` in effect for it, and the senders woken.
  void AfterCommit(const std::string& level);
  int32_t pid_ = 0;
  // This session in pg_stat_activity (executor/activity.h); null until it has a backend pid.
  std::shared_ptr<BackendActivity> activity_;
  std::function<void()> terminator_;
  std::string application_name_;  // as last given to activity_
  uint64_t activity_settings_generation_ = ~uint64_t{0};
  // The session waits for its client: activity_'s state from the transaction status.
  void ReportReady();
  storage::WaitPolicy wait_policy_;  // read by this session's lock waits
  // Owner of the session-level advisory locks (0 until the first one); released at the end
  // of the session or by pg_advisory_unlock_all().
  storage::LockOwner session_lock_owner_ = 0;
  std::chrono::steady_clock::time_point statement_deadline_{};
  // Open savepoints of the block, oldest first.
  struct Savepoint {
    std::string name;
    size_t data_mark;     // storage::UserTransaction::Savepoint()
    size_t catalog_mark;  // storage::CatalogTxn::Mark()
    size_t set_mark;      // set_undo_.size()
    SessionNotifications::Mark notify_mark;
    bool read_only;     // transaction_read_only when taken: RELEASE and ROLLBACK TO restore it
    size_t stats_mark;  // TransactionTableCounts::Savepoint()
    DeferredConstraints::Mark deferred_mark;
  };
  std::vector<Savepoint> savepoints_;
  // The open transaction's row changes per table (executor/table_stats.h), folded into the
  // node's TableStatistics when it ends.
  TransactionTableCounts xact_counts_;
  // Runs `commit` (the storage commit), then folds xact_counts_ as committed, or as rolled back
  // when it throws.
  template <typename F>
  void CommitCountingRows(storage::Transaction* txn, F&& commit);
  void EndTableCounts(bool committed);
  // An index build's read of `table` (`rows` rows), which PostgreSQL counts as a sequential
  // scan.
  void CountIndexBuild(const storage::TableInfo& table, uint64_t rows);

  TxnStatus status_ = TxnStatus::kIdle;
  std::unique_ptr<storage::Transaction> block_txn_;  // open while status_ != kIdle
  std::unique_ptr<storage::Transaction> stmt_txn_;   // an implicit transaction of a statement
  bool block_read_only_ = false;
  bool block_has_query_ = false;  // a statement other than BEGIN/SAVEPOINT/SET/SHOW ran
  int64_t block_start_us_ = 0;
  // Settings changed in the open block, oldest first, with the value before: a rollback (or
  // ROLLBACK TO past them) restores them all, as PostgreSQL's GUCs are transactional; a commit
  // restores only the SET LOCAL ones.
  struct SetUndo {
    std::string name;
    std::string old;
    bool local;
    std::string old_source;  // pg_settings.source before
  };
  std::vector<SetUndo> set_undo_;
  void UndoSettings(size_t mark, bool local_only);
  std::vector<Notice> pending_notices_;
  std::vector<Notice> parse_notices_;  // lexer warnings of the text being run
  // A simple query with several statements runs them in one implicit transaction that
  // commits at Sync (unless a BEGIN inside it turns it into a block).
  bool implicit_multi_ = false;
  // Extended protocol: statements commit at Sync (one implicit transaction), but unlike a
  // multi-statement query this is not a transaction block for CREATE DATABASE or LOCK.
  bool defer_commit_ = false;

  SessionSequences sequences_;  // currval, lastval and cached values (executor/sequences.h)
  // LISTEN/NOTIFY: the open transaction's, committed with it, and the channels listened on.
  SessionNotifications notifications_;
};

// PostgreSQL's makeObjectName: "name1_name2_label" (no name2 part when empty), shortened to
// fit in 63 bytes; the base of generated sequence and constraint names (ddl_sequence.cpp).
std::string MakeObjectName(const std::string& name1, const std::string& name2,
                           const std::string& label);
// The ordinals of an index's INCLUDE columns; 42703 `message` (with the name) if one is
// missing (ddl.cpp).
std::vector<int> IncludeColumns(const storage::TableInfo& table,
                                const std::vector<std::string>& names,
                                const char* message = "column \"{}\" named in key does not exist");

// "table", "view", "materialized view" or "sequence", as PostgreSQL names a relation in
// messages (privileges.cpp).
const char* RelationKindName(const storage::TableInfo& t);

class NodeEngineImpl : public NodeEngine {
 public:
  explicit NodeEngineImpl(const EngineOptions& options);
  ~NodeEngineImpl() override;
  Status Init();
  void DropStaleTempSchemas();
  std::unique_ptr<Session> Connect(const std::map<std::string, std::string>& startup) override;
  LoginInfo LookupLogin(const std::string& user) override;
  void Shutdown() override;
  storage::StorageStats StorageStatistics() override;
  storage::Engine* storage_engine() override { return storage_.get(); }
  storage::ReplicationRegistry* replication() override { return replication_.get(); }
  void ReloadCatalog() override { catalog_->Reload(); }
  void AfterPromotion() override;
  // A replica following its primary: every transaction is read-only.
  bool in_recovery() const { return replication_ && replication_->in_recovery(); }

  const EngineOptions& options() const { return options_; }
  storage::Engine* storage() { return storage_.get(); }
  storage::Catalog* catalog() { return catalog_.get(); }
  storage::LockManager* locks() { return &locks_; }
  storage::SerializableValidator* validator() { return &validator_; }
  RowReaper* reaper() { return reaper_.get(); }
  JobScheduler* jobs() { return jobs_.get(); }
  storage::TwoPhaseManager* two_phase() { return two_phase_.get(); }
  StatStatements* stat_statements() { return &stat_statements_; }
  TableStatistics* table_stats() { return &table_stats_; }
  ActivityRegistry* activity() { return &activity_; }
  NotificationQueue* notifications() { return &notifications_; }
  // The directory of the operators' temporary files (executor/spill.h): `<data_dir>/tmp`,
  // emptied by Init (a crash leaves files behind); for the memory engine one of the system's
  // temporary directory, removed with the engine.
  const std::string& spill_dir() const { return spill_dir_; }

  // Plan cache keyed by statement text (or a shape's normalised text), parameter types,
  // database and the settings plans depend on; least recently used entries go first when the
  // estimated size of all entries passes EngineOptions::plan_cache_bytes, and an entry larger
  // than an eighth of it is not kept.
  std::shared_ptr<StatementImpl> CacheLookup(const std::string& key);
  void CacheInsert(const std::string& key, std::shared_ptr<StatementImpl> st);
  size_t CacheBytes();

  void SessionOpened(storage::Oid db);
  void SessionClosed(storage::Oid db);
  int SessionsIn(storage::Oid db);

 private:
  EngineOptions options_;
  std::unique_ptr<storage::Engine> storage_;
  std::unique_ptr<storage::Catalog> catalog_;
  storage::LockManager locks_;
  storage::SerializableValidator validator_;
  std::unique_ptr<storage::TwoPhaseManager> two_phase_;  // after locks_ and validator_
  std::unique_ptr<storage::ReplicationRegistry> replication_;
  StatStatements stat_statements_;
  TableStatistics table_stats_;
  ActivityRegistry activity_;
  NotificationQueue notifications_;
  std::string spill_dir_;
  bool spill_dir_owned_ = false;  // removed by the destructor (memory engine)
  struct CacheEntry {
    std::shared_ptr<StatementImpl> statement;
    std::list<std::string>::iterator lru;
    size_t bytes = 0;
  };
  std::mutex cache_mu_;
  std::list<std::string> lru_;  // most recent first
  std::unordered_map<std::string, CacheEntry> cache_;
  size_t cache_bytes_ = 0;
  std::mutex sessions_mu_;
  std::map<storage::Oid, int> sessions_;
  bool shut_down_ = false;
  // Last: stopped (destroyed) before the storage and catalog it uses.
  std::unique_ptr<RowReaper> reaper_;
  std::unique_ptr<JobScheduler> jobs_;  // retention policies (executor/hypertables.h)
};

// executor/ddl_sequence.cpp: whether a column type as written is serial, bigserial or
// smallserial (or serial4/8/2), and the integer type it stands for.
bool SerialColumnType(const ast::TypeName& t, TypeId* id);

// executor/explain.cpp: the lines of EXPLAIN output for a plan.
std::vector<std::string> ExplainPlan(const planner::PlanNode& plan);

// executor/copy.cpp: a sink that loads COPY FROM STDIN data into a table.
std::shared_ptr<CopyInSink> MakeCopyInSink(SessionImpl* session, const ast::CopyStatement& stmt,
                                           std::shared_ptr<const storage::TableInfo> table,
                                           int* column_count);
// Formats rows as COPY TO text (or CSV) lines.
std::vector<std::string> FormatCopyOut(const ast::CopyStatement& stmt,
                                       const std::vector<TextRow>& rows);

int64_t NowMicrosSince2000();

// Properties of a plan the session's statement paths ask about (session.cpp).
// The first data-modifying WITH query of a plan (its kInsert/kUpdate/kDelete), or null.
const planner::PlanNode* FirstDmlCte(const planner::PlanNode& p);
// Whether a plan calls a VOLATILE user-defined function, whose body may write.
bool CallsVolatileFunction(const planner::PlanNode& p);
// The LockRows node of a SELECT ... FOR UPDATE/SHARE (the top query's), or null.
const planner::PlanNode* FindLockRows(const planner::PlanNode& p);

}  // namespace activestore::executor
