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

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/worker_pool.h"
#include "executor/engine.h"
#include "frontend/cancel_registry.h"
#include "frontend/pgwire/message_writer.h"
#include "frontend/pgwire/messages.h"
#include "frontend/row_encoder.h"

namespace activestore::frontend {

// What every connection of a server shares. Not owned.
struct ConnectionContext {
  executor::NodeEngine* engine = nullptr;
  WorkerPool* workers = nullptr;
  CancelRegistry* cancels = nullptr;
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
    bool done = false;  // a statement without rows ran (it cannot run again)
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

  // Reading. The body of the last message read stays valid until the next ReadMessage().
  boost::asio::awaitable<void> Fill(size_t n);
  boost::asio::awaitable<char> ReadMessage();
  bool HasBufferedMessage() const;
  boost::asio::awaitable<void> Flush();

  boost::asio::awaitable<bool> Startup();
  boost::asio::awaitable<void> MainLoop();

  boost::asio::awaitable<void> HandleQuery(std::string sql);
  boost::asio::awaitable<void> RunSimpleQuery(const std::string& sql);
  boost::asio::awaitable<void> HandleParse();
  boost::asio::awaitable<void> HandleBind();
  void HandleDescribe();
  boost::asio::awaitable<void> HandleExecute();
  void HandleClose();
  boost::asio::awaitable<void> HandleSync();
  // Ends a query cycle: Session::Sync(), changed parameters, ReadyForQuery.
  boost::asio::awaitable<void> FinishCycle();

  // Runs on a worker: Session::ExecuteStreaming and, for a read, the first PullRows (up to
  // `limit` rows, 0: no limit) with result formats `formats`.
  Executed ExecuteAndPull(const executor::PreparedStatement& stmt, const executor::Params& params,
                          const std::vector<int16_t>& formats, size_t limit);
  // Sends what a statement produced, except RowDescription when `describe` is false
  // (extended protocol); the rows of a stream to its end. COPY runs its sub-protocol here.
  boost::asio::awaitable<void> SendResult(Executed& executed, bool describe);
  boost::asio::awaitable<executor::QueryResult> CopyIn(executor::QueryResult& result);
  boost::asio::awaitable<void> SendRows(Portal& portal, int32_t max_rows);
  // Runs on a worker: pulls rows from `stream` and encodes them (and the notices raised
  // meanwhile) into rows_out_ until it holds kFlushThreshold bytes, `limit` rows (0: no
  // limit) were encoded, or the stream ends. An error is returned, not thrown, so that the rows
  // before it are still sent.
  Pulled PullRows(executor::ResultStream& stream, const RowEncoder& encoder, size_t limit);
  // Sends what the last PullRows encoded, then pulls and sends more until the stream ends
  // (CommandComplete "SELECT n") or `limit` rows (0: no limit) went out (PortalSuspended).
  // Throws the error pulling met, after the rows before it.
  boost::asio::awaitable<void> StreamRows(executor::ResultStream& stream, const RowEncoder& encoder,
                                          size_t limit, Pulled pulled);
  void SendNotices(const std::vector<executor::Notice>& notices);
  void SendError(const Error& error);
  void SendChangedParameters();

  // Runs `f` on the worker pool and returns its result (or rethrows its exception) here.
  template <typename F>
  boost::asio::awaitable<std::invoke_result_t<F&>> Offload(F f);
  void CheckTerminating() const;

  boost::asio::ip::tcp::socket socket_;
  ConnectionContext ctx_;
  std::string peer_;

  std::vector<char> in_;
  size_t in_pos_ = 0;
  size_t in_end_ = 0;
  std::string body_;  // the last message's body
  std::string out_;
  pgwire::MessageWriter writer_{&out_};
  std::string rows_out_;  // DataRows encoded on a worker (PullRows), then moved to out_

  std::unique_ptr<executor::Session> session_;
  std::optional<CancelRegistry::Key> cancel_key_;
  std::map<std::string, std::shared_ptr<executor::PreparedStatement>> statements_;
  std::map<std::string, Portal> portals_;
  bool ignore_till_sync_ = false;
  bool terminating_ = false;     // only touched on the connection's executor
  bool idle_timed_out_ = false;  // idle_in_transaction_session_timeout fired (same)
};

}  // namespace activestore::frontend
