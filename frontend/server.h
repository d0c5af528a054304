// The TCP server: accepts PostgreSQL clients and runs one Connection per socket.
//
// Threads: one io_context per io thread (default: one per core), each run by its own thread;
// the acceptor hands each new socket to the next io_context round-robin. Statements run on a
// separate worker pool (default max(16, 4 * cores) threads) so that blocking work (storage
// I/O, fsync at commit) never stalls an io thread and the commits of many sessions overlap.
//
// With ServerOptions::http_port set, the server also answers HTTP on that port of the same
// address (frontend/http_server.h): GET /metrics (Prometheus text format: the engine's counters,
// connections, storage statistics, RSS) and GET /health (200 `ok` while it accepts clients).
//
// Thread safety: Start() and Stop() are called by one controlling thread; port(), http_port(),
// connection_count() and MetricsText() are thread-safe.
#pragma once

// clang-format off
#include <utility>  // before Boost.Asio: awaitable.hpp uses std::exchange
// clang-format on

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "common/worker_pool.h"
#include "executor/engine.h"
#include "frontend/cancel_registry.h"
#include "frontend/http_server.h"
#include "frontend/security_config.h"

namespace activestore::frontend {

class Connection;

struct ServerOptions {
  std::string listen = "127.0.0.1";  // address or host name; "*" for all IPv4 addresses
  uint16_t port = 5432;              // 0: an ephemeral port (see Server::port())
  int io_threads = 0;                // 0: one per core
  int worker_threads = 0;            // 0: max(16, 4 * cores)
  // The HTTP side port for /metrics and /health; unset: none. 0: an ephemeral port.
  std::optional<uint16_t> http_port;
  // TLS and authentication (SIGHUP reloads it in place); null: no TLS, trust.
  std::shared_ptr<const SecurityConfig> security;
  // max_connections (0: no limit) and superuser_reserved_connections (ConnectionContext).
  int max_connections = 0;
  int superuser_reserved_connections = 0;
};

class Server {
 public:
  // `engine` is not owned and must outlive the server.
  Server(executor::NodeEngine* engine, ServerOptions options);
  ~Server();  // Stop()s
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads. Error 58030 (io_error) if the address cannot be
  // resolved or bound.
  Status Start();
  // The bound port (after Start()).
  uint16_t port() const { return port_; }
  // The bound HTTP port (after Start() with ServerOptions::http_port); 0 without one.
  uint16_t http_port() const { return http_port_; }
  size_t connection_count();
  // What GET /metrics answers: Prometheus's text exposition format (version 0.0.4).
  std::string MetricsText();

  // Graceful stop: stops accepting, terminates every session (FATAL 57P01), waits for them to
  // end (cancelling running statements; at most `timeout_ms`), then stops the threads. When it
  // returns no session is left. Idempotent.
  void Stop(int timeout_ms = 10000);

 private:
  boost::asio::awaitable<void> AcceptLoop();
  HttpResponse HandleHttp(std::string_view path);
  void AddConnection(const std::shared_ptr<Connection>& conn, uint64_t id);
  void RemoveConnection(uint64_t id);

  executor::NodeEngine* engine_;
  ServerOptions options_;
  uint16_t port_ = 0;
  uint16_t http_port_ = 0;
  CancelRegistry cancels_;

  std::vector<std::unique_ptr<boost::asio::io_context>> io_;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guards_;
  std::vector<std::thread> threads_;
  std::unique_ptr<WorkerPool> workers_;
  size_t max_pollers_ = 0;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::unique_ptr<HttpServer> http_;  // on io_[0]
  size_t next_io_ = 0;  // only used by the accept loop
  uint64_t next_id_ = 0;
  std::atomic<uint64_t> accepted_{0};  // connections accepted since Start()
  std::atomic<int> sessions_{0};       // ConnectionContext::sessions

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<uint64_t, std::weak_ptr<Connection>> connections_;  // guarded by mu_
  bool stopping_ = false;                                      // guarded by mu_
  bool started_ = false;
};

}  // namespace activestore::frontend
