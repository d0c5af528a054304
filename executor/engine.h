// The SQL engine as the frontend sees it: a NodeEngine per process and a Session per client
// connection. Text in (SQL, text-format parameters); out: text rows, or a ResultStream of column
// batches for reads; command tags; errors as activestore::Error with a SQLSTATE. No wire bytes.
//
// Thread safety: NodeEngine is thread-safe. A Session is used by one thread at a time, except
// Cancel(), which any thread may call.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/audit_log.h"
#include "common/error.h"
#include "storage/storage.h"

namespace activestore::storage {
class ReplicationRegistry;
}  // namespace activestore::storage

namespace activestore::executor {

struct EngineOptions {
  storage::StorageOptions storage;
  uint32_t shard_count = 8;  // shards per table on this node (slots are grouped into these)
  std::string server_version = "15.0 (ActiveStore 0.1.0)";
  bool ssl = false;  // the frontend answers SSLRequest with S (SHOW ssl)
  // PostgreSQL's max_prepared_transactions: 0 (its default) refuses PREPARE TRANSACTION with
  // 55000; above 0, transactions record the keys they write (storage/two_phase.h).
  int max_prepared_transactions = 0;
  // PostgreSQL's max_connections and superuser_reserved_connections: sessions beyond
  // max_connections, and those of non-superusers beyond max_connections - reserved, are
  // refused at start-up with 53300 (enforced by the frontend).
  int max_connections = 100;
  int superuser_reserved_connections = 3;
  // The plan cache's bound: the estimated bytes of its statements, ASTs and plans.
  size_t plan_cache_bytes = size_t{128} << 20;
  // The NOTIFY queue's bound (executor/notification_queue.h): what committed notifications a
  // slow listener may hold back before NOTIFY fails with 54000.
  size_t notification_queue_bytes = size_t{256} << 20;
  // A replica (frontend/replica.h follows the primary): in recovery from the start, every
  // transaction is read-only (25006), and a base copy just received is adopted at Open.
  bool replica = false;
};

// A column of a result, as RowDescription describes it.
struct ColumnDesc {
  std::string name;
  uint32_t type_oid = 25;
  int16_t type_len = -1;
  int32_t type_mod = -1;
  uint32_t table_oid = 0;
  int16_t column_attnum = 0;
};

struct Notice {
  std::string severity = "NOTICE";  // NOTICE, WARNING, INFO
  std::string sqlstate = "00000";
  std::string message;
  std::string detail;  // empty: none
  std::string hint;    // empty: none
  int position = 0;    // 1-based character offset into the statement; 0: none
};

// A notification (NOTIFY) delivered to a listening session: a NotificationResponse.
struct Notification {
  int32_t pid = 0;  // the notifying session's backend pid
  std::string channel;
  std::string payload;
};

using TextRow = std::vector<std::optional<std::string>>;  // nullopt is SQL NULL

class CopyInSink;
class ResultBatch;  // executor/result_batch.h
class ResultStream;

// What one statement produced.
struct QueryResult {
  bool returns_rows = false;  // send RowDescription (or NoData) and DataRows
  std::vector<ColumnDesc> columns;
  std::vector<TextRow> rows;
  std::string command_tag;  // "SELECT 3", "INSERT 0 5", "UPDATE 2", "CREATE TABLE", ...
  std::vector<Notice> notices;
  bool empty_query = false;  // the statement was empty: EmptyQueryResponse
  // Set for COPY ... FROM STDIN: the frontend answers CopyInResponse, feeds every CopyData to
  // the sink, then calls Finish() (CopyDone) or Abort() (CopyFail), whose result or error ends
  // the statement.
  std::shared_ptr<CopyInSink> copy_in;
  int copy_columns = 0;
  // Set for COPY ... TO STDOUT: CopyOutResponse, one CopyData per element, CopyDone.
  bool copy_out = false;
  std::vector<std::string> copy_out_data;
  // Set by Session::ExecuteStreaming for a read: the rows are pulled from here (`rows` stays
  // empty) and the command tag is "SELECT <rows pulled>".
  std::shared_ptr<ResultStream> stream;
};

// The rows of a read being run: its plan executes only as far as rows are pulled, so memory is
// bounded by a batch and an Execute with a row limit runs only that far. It reads in the
// transaction and snapshot of the statement that opened it, until that transaction ends
// (commit, rollback, Sync of an implicit transaction, an error), which closes it.
//
// Thread safety: as the Session it came from (one thread at a time, never concurrently with
// another call into that Session). REQUIRES: destroyed before its Session.
class ResultStream {
 public:
  enum class State {
    kOpen,    // rows may remain
    kDone,    // every row was pulled; the statement completed
    kFailed,  // an error ended it (or another statement's error in its transaction)
    kClosed,  // its transaction ended first
  };
  virtual ~ResultStream() = default;
  // Starts a later Execute of the stream: clears a cancel request and starts
  // statement_timeout again. Throws 25P02 if the session's transaction block has failed (in any
  // state()); no-op for a stream that is not open.
  virtual void Resume() = 0;
  // The next rows: at most `max_rows` (0: no limit) and at most one batch. Null when none is
  // left: then the statement has completed (an implicit transaction commits here unless its
  // commit is deferred to Sync). The batch stays valid until the next call. On an error (as
  // Execute's, 57014 for cancel and statement_timeout) the statement has failed exactly as if
  // Execute had thrown. REQUIRES: state() == kOpen.
  virtual const ResultBatch* Next(size_t max_rows) = 0;
  virtual State state() const = 0;
  // Notices and warnings raised while the rows pulled so far were produced.
  virtual std::vector<Notice> TakeNotices() = 0;
};

class CopyInSink {
 public:
  virtual ~CopyInSink() = default;
  // Takes the next piece of the data stream (any split, lines may straddle calls).
  virtual void Feed(std::string_view data) = 0;
  // End of data: stores the rows; returns the "COPY n" result. Throws Error.
  virtual QueryResult Finish() = 0;
  // The client gave up: throws Error 57014 `COPY from stdin failed: <message>`.
  virtual void Abort(const std::string& message) = 0;
};

// A parsed, bound and planned statement. Immutable; shared by the plan cache, named
// prepared statements and portals.
class PreparedStatement {
 public:
  virtual ~PreparedStatement() = default;
  // Parameter types ($1..$n) as OIDs: as given at Parse, or inferred (25 text if unknown).
  virtual const std::vector<uint32_t>& param_types() const = 0;
  // True if execution returns rows; then result_columns() describes them (Describe).
  virtual bool returns_rows() const = 0;
  virtual const std::vector<ColumnDesc>& result_columns() const = 0;
  virtual const std::string& sql() const = 0;
};

using Params = std::vector<std::optional<std::string>>;  // text-format parameter values

enum class TxnStatus : char { kIdle = 'I', kInBlock = 'T', kFailed = 'E' };

class Session {
 public:
  virtual ~Session() = default;

  // The session's named prepared statements: the extended protocol's Parse and SQL's PREPARE
  // share one namespace, as in PostgreSQL, so DEALLOCATE closes a statement a driver parsed
  // (psqlODBC does) and EXECUTE runs it. The unnamed statement is the frontend's.
  // Throws 42P05 if `name` exists.
  void AddNamedStatement(const std::string& name, std::shared_ptr<PreparedStatement> stmt);
  // Null if there is none.
  std::shared_ptr<PreparedStatement> FindNamedStatement(const std::string& name) const;
  // Whether there was one.
  bool CloseNamedStatement(const std::string& name);
  void CloseAllNamedStatements() { named_statements_.clear(); }

  // The notices of a statement that then failed (PL/pgSQL's RAISE NOTICE before an error),
  // taken once: the frontend sends them before the ErrorResponse.
  virtual std::vector<Notice> TakeFailedNotices() { return {}; }

  // Splits and parses a simple-protocol query string into its statements (an empty string
  // gives one empty statement). Throws 42601 with position.
  virtual std::vector<std::shared_ptr<PreparedStatement>> ParseSimple(std::string_view sql) = 0;
  // Parse message: exactly one statement (or none). param_type_oids may be shorter than
  // the number of parameters; 0 means "infer".
  virtual std::shared_ptr<PreparedStatement> Prepare(
      std::string_view sql, const std::vector<uint32_t>& param_type_oids) = 0;
  // Runs a statement with its parameters (text format). Manages the transaction state:
  // outside a block each statement commits on its own; inside a failed block everything but
  // ROLLBACK/COMMIT raises 25P02. On error the statement's effects are undone and the block,
  // if any, becomes failed. Throws Error.
  virtual QueryResult Execute(const PreparedStatement& stmt, const Params& params) = 0;
  // As Execute, except that a read (SELECT, VALUES, TABLE, EXECUTE of one; not FOR UPDATE /
  // FOR SHARE, which lock rows as they read and may restart) returns its rows in
  // QueryResult::stream, unread. Writes, DDL and utility statements run to completion as
  // Execute does.
  virtual QueryResult ExecuteStreaming(const PreparedStatement& stmt, const Params& params) {
    return Execute(stmt, params);
  }
  // Bind's result formats (one per column, 1 = binary; empty = all text) for the following
  // Executes: date/time values of binary columns come back as ISO text in UTC, which the
  // frontend converts to binary exactly whatever the session's DateStyle and TimeZone.
  virtual void SetBinaryResultFormats(std::vector<int16_t> formats) {}
  // Called by the frontend at Sync (extended protocol) or at the end of a simple query: ends
  // an implicit transaction.
  virtual void Sync() = 0;
  // True when Sync() has a transaction to commit or roll back (and so may write or wait); a
  // Sync without work only resets state and is cheap enough to run on the I/O thread.
  virtual bool SyncHasWork() const { return true; }

  virtual TxnStatus txn_status() const = 0;
  // idle_in_transaction_session_timeout in milliseconds (0: none); the frontend enforces it
  // while it waits for the client inside a transaction block.
  virtual int64_t IdleInTransactionTimeoutMs() { return 0; }
  // ParameterStatus values to send at start-up.
  virtual std::vector<std::pair<std::string, std::string>> ReportedParameters() const = 0;
  // Reported parameters changed (by SET/RESET) since the last call.
  virtual std::vector<std::pair<std::string, std::string>> TakeChangedParameters() = 0;
  // Asks the running statement to stop with 57014 "canceling statement due to user request".
  virtual void Cancel() = 0;
  // A cancel request that arrived since the last statement began, taken (cleared): the
  // frontend's wait for synchronous replication, between statements, reads it.
  virtual bool TakeCancel() { return false; }
  // Synchronous commit: the LSN of the newest commit this session made that the synchronous
  // replicas must acknowledge before the client hears of it, and the synchronous_commit in
  // effect for it ("on", "remote_write" or "remote_apply"). Set only while the node has
  // synchronous_replicas > 0; Take clears it. The commit is already durable locally.
  struct CommitWait {
    uint64_t lsn = 0;
    std::string level;
  };
  virtual bool HasCommitWait() const { return false; }
  virtual std::optional<CommitWait> TakeCommitWait() { return std::nullopt; }
  // Group commit (docs/design/2026-12-07-group-commit.md): what this session's reads met of
  // commits not yet durable. The frontend waits for it (storage::Engine::AwaitDurable) before
  // it writes anything to the client. Null: the session records nothing.
  virtual storage::ReadFence* read_fence() { return nullptr; }
  // The statements executed from now until Sync() form one implicit transaction, committed
  // at Sync (the extended protocol's rule; a simple query with several statements does the
  // same by itself).
  virtual void DeferCommitToSync() {}
  // How pg_terminate_backend ends this session's connection (FATAL 57P01); called from any
  // thread, it must be quick and must not call into the session. REQUIRES: set before
  // set_backend_pid.
  virtual void set_terminator(std::function<void()> terminate) { (void)terminate; }
  // The process id the client was given in BackendKeyData (pg_backend_pid(), lock reports,
  // pg_stat_activity: the session is listed from now on).
  virtual void set_backend_pid(int32_t pid) { (void)pid; }
  // The result columns of the SQL cursor `name` (DECLARE), for a Describe of a portal by that
  // name (a cursor is a portal in PostgreSQL); nullopt when there is none.
  virtual std::optional<std::vector<ColumnDesc>> DescribeCursor(const std::string& name) {
    (void)name;
    return std::nullopt;
  }
  // The client's address as the audit log shows it ("127.0.0.1:54321").
  virtual void set_client_address(std::string address) { (void)address; }
  // LISTEN/NOTIFY. `wake` is called, from any thread and at any time until the session is
  // destroyed, when notifications may have been committed for this session: it should get the
  // session to TakeNotifications() soon if it is idle. It must be quick and must not call into
  // the session. REQUIRES: called before the first LISTEN.
  virtual void SetNotificationWaker(std::function<void()> wake) { (void)wake; }
  // The notifications committed for the channels this session listens on that it has not yet
  // taken, in commit order, up to about `max_bytes` (*more: some are left). None while a
  // transaction is open (a block, or an implicit one up to Sync): they wait for its end, as in
  // PostgreSQL. Does not block for long (no I/O).
  virtual std::vector<Notification> TakeNotifications(size_t max_bytes, bool* more) {
    (void)max_bytes;
    *more = false;
    return {};
  }

 protected:
  std::map<std::string, std::shared_ptr<PreparedStatement>> named_statements_;
};

// What password authentication needs to know about a role (frontend/connection.cpp).
struct LoginInfo {
  bool exists = false;
  std::optional<std::string> secret;  // SCRAM-SHA-256 verifier or md5 secret; none: no password
  bool expired = false;               // VALID UNTIL has passed
  // The roles it is a member of, directly or through others, itself excluded (hba rules:
  // +role, samerole).
  std::vector<std::string> member_of;
  // Role attributes a replication connection needs (superuser or REPLICATION).
  bool superuser = false;
  bool replication = false;
};

class NodeEngine {
 public:
  virtual ~NodeEngine() = default;
  // Opens storage and catalog. Errors as storage::Engine::Open.
  static Result<std::unique_ptr<NodeEngine>> Open(const EngineOptions& options);
  // A new session. `startup` holds the start-up packet's parameters (user, database,
  // application_name, options, DateStyle, ...). Throws 3D000 `database "x" does not exist`.
  virtual std::unique_ptr<Session> Connect(const std::map<std::string, std::string>& startup) = 0;
  // The stored password of role `user` for authentication. Thread-safe.
  virtual LoginInfo LookupLogin(const std::string& user) {
    (void)user;
    return {};
  }
  // Makes everything durable and closes storage (graceful shutdown).
  virtual void Shutdown() = 0;
  // The storage engine's counters (cache, evictions, log syncs) for /metrics; zeros before
  // Open and after Shutdown. Thread-safe; REQUIRES: not concurrent with Shutdown().
  virtual storage::StorageStats StorageStatistics() { return {}; }
  // Replication on this node (storage/replication.h): the storage engine whose shard log a
  // replication connection streams, and the slots and senders. Null without them.
  virtual storage::Engine* storage_engine() { return nullptr; }
  virtual storage::ReplicationRegistry* replication() { return nullptr; }
  // A replica applied transactions that changed the system tables: the catalog is read again.
  virtual void ReloadCatalog() {}
  // A replica became a primary: what this node keeps in memory of the data replication changed
  // under it (the catalog, sequence states) is read again.
  virtual void AfterPromotion() {}

  // The audit log (common/audit_log.h) sessions write privileged statements to; null: none.
  // REQUIRES: set before the first Connect.
  void set_audit_log(std::shared_ptr<AuditLog> log) { audit_log_ = std::move(log); }
  AuditLog* audit_log() const { return audit_log_.get(); }

 private:
  std::shared_ptr<AuditLog> audit_log_;
};

}  // namespace activestore::executor
