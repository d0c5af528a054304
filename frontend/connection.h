// One client connection: the PostgreSQL v3 protocol state machine between the socket and an
// executor::Session. Start-up and authentication (trust), the simple query protocol with
// COPY, the extended protocol (prepared statements, portals, Describe, partial Execute),
// error recovery (skip to Sync), cancel keys, and termination.
//
// Statement execution blocks (storage I/O, fsync at commit), so every call into the Session
// that may do work runs on the server's worker pool; the connection's coroutine waits for it
// on its io thread without blocking other connections.
//
// Thread safety: a Connection lives on one io_context (one thread). Terminate() may be called
// from any thread.
#pragma once

// clang-format off
#include <utility>  // before Boost.Asio: awaitable.hpp uses std::exchange
// clang-format on

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/worker_pool.h"
#include "executor/engine.h"
#include "frontend/byte_stream.h"
#include "frontend/cancel_registry.h"
#include "frontend/pgwire/message_writer.h"
#include "frontend/pgwire/messages.h"
#include "frontend/row_encoder.h"
#include "frontend/security_config.h"

namespace activestore::frontend {

// What every connection of a server shares. Not owned.
struct ConnectionContext {
  executor::NodeEngine* engine = nullptr;
  WorkerPool* workers = nullptr;
  CancelRegistry* cancels = nullptr;
  size_t max_pollers = 0;  // workers that may wait on their connection's socket (PollNext)
  // TLS and authentication rules; null: no TLS, trust.
  std::shared_ptr<const SecurityConfig> security;
  // Sessions started and not yet ended, all connections together; a session beyond
  // max_sessions (0: no limit), or a non-superuser's beyond max_sessions - reserved_sessions,
  // is refused (PostgreSQL's max_connections and superuser_reserved_connections).
  std::atomic<int>* sessions = nullptr;
  int max_sessions = 0;
  int reserved_sessions = 0;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket socket, ConnectionContext context);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The whole life of the connection: start-up, then messages until Terminate, end of
  // stream, a FATAL error or Terminate(). Never throws. REQUIRES: run on the socket's
  // executor, with a shared_ptr to this Connection kept alive until it completes.
  boost::asio::awaitable<void> Run();

  // Asks the connection to end: the running statement is cancelled and the client gets
  // FATAL 57P01 `terminating connection due to administrator command`. Thread-safe.
  void Terminate();

 private:
  struct Portal {
    std::shared_ptr<executor::PreparedStatement> statement;
    executor::Params params;
    std::vector<int16_t> result_formats;  // one per result column
    bool executed = false;
    bool done = false;             // a statement without rows ran (it cannot run again)
    executor::QueryResult result;  // rows run to completion (not a read)
    size_t next_row = 0;
    std::shared_ptr<executor::ResultStream> stream;  // a read's rows, pulled on demand
    std::optional<RowEncoder> encoder;               // with `stream`
  };

  // What one PullRows call encoded.
  struct Pulled {
    size_t rows = 0;
    bool end = false;            // the stream has no more rows (the statement completed)
    std::optional<Error> error;  // pulling failed after `rows` rows
  };
  // A statement run on a worker (ExecuteAndPull) and, for a read, its first rows.
  struct Executed {
    executor::QueryResult result;
    std::optional<RowEncoder> encoder;  // with result.stream
    Pulled pulled;
  };

  // What a message run on a worker (RunBatch) left to the io thread: output that has to wait
  // for the socket (COPY, rows past kFlushThreshold) and what follows it.
  struct Rest {
    enum class Kind {
      kResult,  // Execute: the statement that ran (COPY) is sent by SendResult
      kStream,  // Execute: more rows of portal->stream are to be pulled
      kRows,    // Execute: more materialized rows of the portal are to be sent
      kQuery,   // Query: `executed` (statements[next - 1]) is sent, then the next ones run
    };
    Kind kind = Kind::kResult;
    Executed executed;
    Portal* portal = nullptr;  // kStream, kRows
    int32_t max_rows = 0;      // the Execute's row limit (0: none)
    size_t sent = 0;           // rows already in out_ (kQuery: of executed's stream)
    bool streaming = false;    // kQuery: executed's RowDescription and first rows are out
    std::vector<std::shared_ptr<executor::PreparedStatement>> statements;  // kQuery
    size_t next = 0;                                                       // kQuery
  };

  // Reading. The body of the last message read stays valid until the next ReadMessage() or
  // TakeMessage().
  boost::asio::awaitable<void> Fill(size_t n);
  // Waits until a whole message is buffered; returns its type. FATAL 08P01 for a bad length.
  boost::asio::awaitable<char> FillMessage();
  // Consumes the buffered message. REQUIRES: HasBufferedMessage().
  char TakeMessage();
  boost::asio::awaitable<char> ReadMessage();
  bool HasBufferedMessage() const;
  // Sends out_. First, when the session committed a transaction that the synchronous replicas
  // must acknowledge (Session::TakeCommitWait), waits for them (WaitForSyncReplication): the
  // client hears of the commit only after.
  boost::asio::awaitable<void> Flush();
  // The wait of a synchronous commit, on the io thread (no worker is held): until the
  // synchronous replicas acknowledged `wait.lsn`, or a cancel request, a termination or
  // synchronous_commit_timeout ends it with PostgreSQL's WARNING (the commit stays: it is
  // durable locally).
  boost::asio::awaitable<void> WaitForSyncReplication(const executor::Session::CommitWait& wait);
  // A commit's acknowledgement is held back until its wait (Flush).
  bool CommitWaitPending() const { return session_ && session_->HasCommitWait(); }
  // On a worker while the io thread waits for it (the socket is idle): sends what out_ holds
  // as far as the socket takes it without blocking. The rest (after an error too) is left to
  // Flush().
  void WriteNow();
  // Before anything is written to the client: waits until the commits the session's reads met
  // are durable (group commit, docs/design/2026-12-07-group-commit.md).
  void AwaitReadsDurable();

  boost::asio::awaitable<bool> Startup();
  // Authentication of `user` for `database` (frontend/auth.cpp): the first matching hba rule's
  // method, or ctx_.security's auth_method without an hba file. Nothing for trust; otherwise the
  // exchange, or FATAL 28P01 `password authentication failed for user "x"` (also for a role
  // that does not exist, has no usable secret or whose VALID UNTIL passed). FATAL 28000 when no
  // rule matches, for reject, and for a client certificate missing or not naming the user.
  boost::asio::awaitable<void> Authenticate(const std::string& user, const std::string& database);
  // The exchange of `method` (password, md5 or scram-sha-256) for `user`; throws `failed`.
  boost::asio::awaitable<void> PasswordAuthentication(const std::string& method,
                                                      const std::string& user,
                                                      const executor::LoginInfo& login,
                                                      const Error& failed);
  // The body of the client's next message, which must be a password/SASL response ('p').
  boost::asio::awaitable<std::string> ReadPasswordMessage();
  boost::asio::awaitable<void> MainLoop();

  // On a worker: runs the buffered Query and extended-protocol messages (Parse, Bind, Describe,
  // Execute, Close, Sync) in order, in one hand-off, until one is not buffered whole, out_ holds
  // kFlushThreshold bytes, or a message leaves output to the io thread (returned). Replies with
  // one send when the client is waiting for them.
  std::optional<Rest> RunBatch();
  // RunBatch on a worker. When the batch leaves nothing to do but wait for the client, the
  // worker also starts the read of its next message: the connection resumes on its io thread
  // when that arrives, one thread wake-up instead of two.
  boost::asio::awaitable<std::optional<Rest>> OffloadBatch();
  // On a worker after a batch that left the client waiting for its replies: waits a little
  // (up to 10 ms) on the socket for the client's next message and reads what came
  // into in_, so that a busy client's next batch runs without any thread hand-off (as a process per
  // connection would). Only while fewer than ConnectionContext::max_pollers workers do so, so that
  // workers stay free for the other connections. False: nothing came (or another may not wait now).
  bool PollNext();

  // Counts the new session against max_connections (FATAL 53300 when none is left).
  void TakeSessionSlot();
  // The audit log's event for a login (error: null) or a failed one.
  void AuditLogin(AuditLog* audit, const std::map<std::string, std::string>& params,
                  const Error* error);
  // A simple Query, on a worker: the statements that can send their output from there.
  std::optional<Rest> HandleQuery();
  // Sends a Rest of kind kQuery from the io thread, runs the statements after it, ends the cycle.
  boost::asio::awaitable<void> FinishQuery(Rest rest);
  // On a worker: sends what a statement of a simple Query produced, when that needs no waiting
  // for the socket. Returns false, having sent nothing, for COPY and many materialized rows;
  // returns false with `rest->streaming` for a stream that goes on past kFlushThreshold.
  bool SendResultNow(Executed& executed, Rest* rest);
  // The extended-protocol messages, run on a worker (RunBatch).
  void HandleParse();
  // The statement a Bind or Describe names: the unnamed one or a named one of the session;
  // throws 26000 if there is none.
  std::shared_ptr<executor::PreparedStatement> FindStatement(const std::string& name);
  void HandleBind();
  void HandleDescribe();
  std::optional<Rest> HandleExecute();
  void HandleClose();
  // Ends a query cycle: Session::Sync(), changed parameters, ReadyForQuery. Runs the sync on
  // a worker when it has work.
  boost::asio::awaitable<void> FinishCycle();
  // The same, on a worker.
  void FinishCycleNow();
  // Sends the rest of an Execute's output from the io thread.
  boost::asio::awaitable<void> FinishExecute(Rest rest);

  // Runs on a worker: Session::ExecuteStreaming and, for a read, the first PullRows (up to
  // `limit` rows, 0: no limit) with result formats `formats`.
  Executed ExecuteAndPull(const executor::PreparedStatement& stmt, const executor::Params& params,
                          const std::vector<int16_t>& formats, size_t limit);
  // Sends from the io thread what SendResultNow left of `rest.executed` (or an Execute's COPY):
  // the rest of a stream, many materialized rows, or COPY, whose sub-protocol runs here.
  boost::asio::awaitable<void> SendResult(Rest& rest);
  // RowDescription of `columns`, with result formats `formats` (null: text).
  void SendRowDescription(const std::vector<executor::ColumnDesc>& columns,
                          const std::vector<int16_t>* formats);
  boost::asio::awaitable<executor::QueryResult> CopyIn(executor::QueryResult& result);
  // Puts the materialized rows of `portal` after the *sent already out in out_, up to max_rows
  // (0: all), then PortalSuspended or CommandComplete. Returns false, with the rest left, when
  // out_ reached kFlushThreshold first.
  bool SendSomeRows(Portal& portal, int32_t max_rows, size_t* sent);
  // Runs on a worker: pulls rows from `stream` and encodes them (and the notices raised
  // meanwhile) into rows_out_ until it holds kFlushThreshold bytes, `limit` rows (0: no
  // limit) were encoded, or the stream ends. An error is returned, not thrown, so that the rows
  // before it are still sent.
  Pulled PullRows(executor::ResultStream& stream, const RowEncoder& encoder, size_t limit);
  // Moves what the last PullRows encoded to out_, adds its rows to *sent, then ends the
  // output when the stream ended (CommandComplete "SELECT n") or `limit` rows (0: no limit)
  // went out (PortalSuspended). Returns false when more rows are to be pulled. Throws the
  // error pulling met, after the rows before it.
  bool StreamStep(size_t limit, Pulled& pulled, size_t* sent);
  // Pulls and sends the rest of a stream whose first `sent` rows went out (StreamStep returned
  // false), flushing on the way.
  boost::asio::awaitable<void> StreamRows(executor::ResultStream& stream, const RowEncoder& encoder,
                                          size_t limit, size_t sent);
  void SendNotices(const std::vector<executor::Notice>& notices);
  // LISTEN/NOTIFY: puts the session's pending notifications in out_ (none while a transaction
  // is open). REQUIRES: the session is not in use elsewhere.
  void DeliverNotifications();
  // On the io thread, after the session's waker: cancels an idle read of the next command, so
  // that Fill delivers what came.
  void OnNotificationWake();
  void SendError(const Error& error);
  void SendChangedParameters();

  // Replication connections (frontend/replication.cpp; start-up parameter `replication`).
  enum class ReplicationMode { kNone, kPhysical, kDatabase };
  // With a Query buffered (not taken): runs it if it is a replication command (IDENTIFY_SYSTEM,
  // CREATE_REPLICATION_SLOT, DROP_REPLICATION_SLOT, START_REPLICATION, ...) and returns true; on
  // a physical connection SQL other than SHOW fails with 0A000 here too. False: ordinary SQL
  // (replication=database, SHOW), for the ordinary path.
  boost::asio::awaitable<bool> HandleReplicationQuery();
  // START_REPLICATION: CopyBoth, then one XLogData per committed transaction of the shard log
  // after `start`, keepalives, and the standby's status updates, until the client ends the
  // copy (CopyDone) or the connection.
  boost::asio::awaitable<void> StreamLog(const std::string& slot, uint64_t start);
  // BASE_BACKUP: CopyOut of the files of a WiredTiger backup cursor and a manifest
  // (storage/replication.h, BackupMessage).
  boost::asio::awaitable<void> SendBaseBackup();
  // Flushes, then waits until a whole message is buffered (true) or `timeout` passed (false).
  boost::asio::awaitable<bool> WaitForMessage(std::chrono::milliseconds timeout);

  // Runs `f` on the worker pool and returns its result (or rethrows its exception) here.
  template <typename F>
  boost::asio::awaitable<std::invoke_result_t<F&>> Offload(F f);
  void CheckTerminating() const;

  boost::asio::ip::tcp::socket socket_;
  ByteStream stream_{&socket_};  // every read and write of the connection
  ConnectionContext ctx_;
  std::string peer_;
  std::string peer_address_;        // the client's IP address (hba rules, messages)
  bool startup_timed_out_ = false;  // authentication_timeout fired (io thread)

  std::vector<char> in_;
  size_t in_pos_ = 0;
  size_t in_end_ = 0;
  std::string body_;  // the last message's body
  std::string out_;
  pgwire::MessageWriter writer_{&out_};
  std::string rows_out_;  // DataRows encoded on a worker (PullRows), then moved to out_

  std::unique_ptr<executor::Session> session_;
  std::optional<CancelRegistry::Key> cancel_key_;
  bool holds_session_slot_ = false;  // counted in ctx_.sessions (TakeSessionSlot)
  // The unnamed statement of the extended protocol; named ones are the session's, shared with
  // PREPARE (executor::Session::AddNamedStatement).
  std::shared_ptr<executor::PreparedStatement> unnamed_statement_;
  std::map<std::string, Portal> portals_;
  bool ignore_till_sync_ = false;
  // Set on the connection's executor; read by RunBatch on a worker too.
  std::atomic<bool> terminating_ = false;
  // An eventfd that ends a worker's wait in PollNext early (a termination, a notification).
  // Made by the first PollNext, on the worker; WakePoller (any thread) writes to it. A waker
  // that runs before it exists has set terminating_ or notify_wake_, which PollNext checks
  // after making it.
  std::atomic<int> wake_fd_ = -1;
  void WakePoller();
  // Orders a worker's start of a read (OffloadBatch) with Terminate()'s cancel. Shared, so that
  // the worker can release it after the connection ended.
  std::shared_ptr<std::mutex> read_gate_ = std::make_shared<std::mutex>();
  bool idle_timed_out_ = false;  // idle_in_transaction_session_timeout fired (same)
  // LISTEN/NOTIFY delivery to an idle session. notify_wake_ is set (any thread, by the waker
  // given to the session) when notifications may be waiting, and cleared by
  // DeliverNotifications before it takes them; no read of the next command starts while it is
  // set. awaiting_command_ (io thread): MainLoop waits for the next message. command_read_
  // (GUARDED_BY(*read_gate_)): a read of the next command by an idle session is under way, by
  // Fill or by a worker (OffloadBatch); OnNotificationWake cancels it.
  std::atomic<bool> notify_wake_ = false;
  bool awaiting_command_ = false;
  bool command_read_ = false;
  // WaitForMessage is reading: a wake-up may cancel the read (io thread only).
  bool message_wait_reading_ = false;
  ReplicationMode replication_ = ReplicationMode::kNone;
  std::string user_;              // the session's user (pg_stat_replication)
  std::string database_;          // the session's database (IDENTIFY_SYSTEM)
  std::string application_name_;  // from the start-up packet
};

}  // namespace activestore::frontend
