#include "frontend/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <future>

#include "common/metrics.h"
#include "frontend/connection.h"

namespace activestore::frontend {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

int Cores() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

}  // namespace

Server::Server(executor::NodeEngine* engine, ServerOptions options)
    : engine_(engine), options_(std::move(options)) {}

Server::~Server() { Stop(); }

size_t Server::connection_count() {
  std::lock_guard lock(mu_);
  return connections_.size();
}

Status Server::Start() {
  int io_threads = options_.io_threads > 0 ? options_.io_threads : Cores();
  int workers = options_.worker_threads > 0 ? options_.worker_threads : std::max(16, 4 * Cores());
  for (int i = 0; i < io_threads; ++i) io_.push_back(std::make_unique<asio::io_context>(1));

  std::string host = options_.listen == "*" ? "0.0.0.0" : options_.listen;
  tcp::endpoint endpoint;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, options_.port);
  } else {
    tcp::resolver resolver(*io_[0]);
    auto results =
        resolver.resolve(host, std::to_string(options_.port), tcp::resolver::passive, ec);
    if (ec || results.empty()) {
      io_.clear();
      return Error(SqlState::kIoError,
                   fmt::format("could not resolve listen address \"{}\": {}", options_.listen,
                               ec ? ec.message() : "no address"));
    }
    endpoint = results.begin()->endpoint();
  }
  acceptor_ = std::make_unique<tcp::acceptor>(*io_[0]);
  auto fail = [&](const char* what) -> Status {
    acceptor_.reset();
    io_.clear();
    return Error(SqlState::kIoError,
                 fmt::format("could not {} {}:{}: {}", what, endpoint.address().to_string(),
                             endpoint.port(), ec.message()));
  };
  acceptor_->open(endpoint.protocol(), ec);
  if (ec) return fail("create a socket for");
  acceptor_->set_option(tcp::acceptor::reuse_address(true), ec);
  acceptor_->bind(endpoint, ec);
  if (ec) return fail("bind to");
  acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  port_ = acceptor_->local_endpoint().port();
  if (options_.http_port) {
    http_ = std::make_unique<HttpServer>(
        *io_[0], [this](std::string_view path) { return HandleHttp(path); });
    Status s = http_->Listen(tcp::endpoint(endpoint.address(), *options_.http_port));
    if (!s.ok()) {
      http_.reset();
      acceptor_.reset();
      io_.clear();
      return s;
    }
    http_port_ = http_->port();
  }

  workers_ = std::make_unique<WorkerPool>(static_cast<size_t>(workers));
  // Half the workers may wait on a busy client's socket (Connection::PollNext).
  max_pollers_ = static_cast<size_t>(workers) / 2;
  for (auto& io : io_) guards_.push_back(asio::make_work_guard(*io));
  asio::co_spawn(*io_[0], AcceptLoop(), asio::detached);
  if (http_) http_->Start();
  for (auto& io : io_) {
    asio::io_context* ctx = io.get();
    threads_.emplace_back([ctx] { ctx->run(); });
  }
  started_ = true;
  spdlog::info("listening on {}:{} ({} io threads, {} workers)", endpoint.address().to_string(),
               port_, io_threads, workers);
  if (http_) {
    spdlog::info("HTTP /metrics and /health on {}:{}", endpoint.address().to_string(),
                 http_->port());
  }
  return Status::Ok();
}

asio::awaitable<void> Server::AcceptLoop() {
  while (true) {
    asio::io_context& ctx = *io_[next_io_++ % io_.size()];
    tcp::socket socket(ctx);
    boost::system::error_code ec;
    co_await acceptor_->async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor_->is_open()) co_return;
    if (ec) {
      // E.g. out of file descriptors: wait a little instead of spinning.
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer timer(acceptor_->get_executor(), std::chrono::milliseconds(100));
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    socket.set_option(asio::socket_base::keep_alive(true), ec);
    ConnectionContext cc{engine_,
                         workers_.get(),
                         &cancels_,
                         max_pollers_,
                         options_.security,
                         &sessions_,
                         options_.max_connections,
                         options_.superuser_reserved_connections};
    auto conn = std::make_shared<Connection>(std::move(socket), cc);
    uint64_t id = next_id_++;
    accepted_.fetch_add(1, std::memory_order_relaxed);
    AddConnection(conn, id);
    asio::co_spawn(ctx, conn->Run(),
                   [this, id, conn](std::exception_ptr) { RemoveConnection(id); });
  }
}

HttpResponse Server::HandleHttp(std::string_view path) {
  if (path == "/metrics") {
    return {200, "text/plain; version=0.0.4; charset=utf-8", MetricsText()};
  }
  if (path == "/health") {
    std::lock_guard lock(mu_);
    if (stopping_) return {503, "text/plain; charset=utf-8", "stopping\n"};
    return {200, "text/plain; charset=utf-8", "ok\n"};
  }
  return {404, "text/plain; charset=utf-8", "not found: try /metrics or /health\n"};
}

std::string Server::MetricsText() {
  metrics::Counters& m = metrics::ProcessMetrics();
  metrics::PrometheusWriter w;
  w.WriteLabeledCounter("activestore_statements_total",
                        "Statements completed, by command (the command tag without row counts).",
                        "command", m.statements.Values());
  w.WriteCounter("activestore_statement_errors_total", "Statements that ended with an error.",
                 m.statement_errors.value());
  w.WriteHistogram("activestore_statement_duration_seconds",
                   "Time in the engine per statement (parse excluded; the commit of an implicit "
                   "transaction included unless it waits for Sync).",
                   m.statement_latency.Read());
  w.WriteCounter("activestore_commits_total", "Transactions committed.", m.commits.value());
  w.WriteCounter("activestore_rows_expired_total",
                 "Expired rows deleted by the row reaper (tables WITH (ttl ...)).",
                 m.rows_expired.value());
  w.WriteCounter("activestore_rollbacks_total",
                 "Transactions rolled back (including failed commits).", m.rollbacks.value());
  storage::StorageStats s = engine_->StorageStatistics();
  w.WriteCounter("activestore_log_syncs_total", "fsyncs of the write-ahead log.", s.log_syncs);
  w.WriteCounter("activestore_group_commits_total",
                 "Commits that shared log flushes (group commit, sync_mode fsync).",
                 s.group_commits);
  w.WriteCounter("activestore_group_flushes_total", "Log flushes made for group commits.",
                 s.group_flushes);
  w.WriteCounter("activestore_read_fence_waits_total",
                 "Waits of sessions for commits their reads met to become durable.",
                 s.read_fence_waits);
  w.WriteGauge("activestore_cache_bytes", "Bytes in the storage cache.", s.cache_bytes);
  w.WriteGauge("activestore_cache_max_bytes", "Configured size of the storage cache.",
               s.cache_max_bytes);
  w.WriteGauge("activestore_cache_dirty_bytes", "Modified bytes in the storage cache.",
               s.cache_dirty_bytes);
  w.WriteCounter("activestore_cache_hits_total", "Page requests answered from the storage cache.",
                 s.pages_requested - std::min(s.pages_requested, s.pages_read_into_cache));
  w.WriteCounter("activestore_cache_misses_total", "Pages read into the storage cache from disk.",
                 s.pages_read_into_cache);
  w.WriteLabeledCounter("activestore_cache_evictions_total",
                        "Pages evicted from the storage cache (dirty: written out first).", "page",
                        {{"clean", s.pages_evicted_clean}, {"dirty", s.pages_evicted_dirty}});
  w.WriteGauge("activestore_connections", "Client connections open now.", connection_count());
  w.WriteCounter("activestore_connections_total", "Client connections accepted.",
                 accepted_.load(std::memory_order_relaxed));
  w.WriteGauge("process_resident_memory_bytes", "Resident memory size in bytes.",
               metrics::ResidentMemoryBytes());
  return w.text();
}

void Server::AddConnection(const std::shared_ptr<Connection>& conn, uint64_t id) {
  bool stopping;
  {
    std::lock_guard lock(mu_);
    connections_[id] = conn;
    stopping = stopping_;
  }
  if (stopping) conn->Terminate();
}

void Server::RemoveConnection(uint64_t id) {
  std::lock_guard lock(mu_);
  connections_.erase(id);
  cv_.notify_all();
}

void Server::Stop(int timeout_ms) {
  if (!started_) return;
  started_ = false;
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& [id, weak] : connections_) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
  }
  // Stop accepting (on the acceptor's thread, where the accept loop runs).
  std::promise<void> closed;
  asio::post(*io_[0], [this, &closed] {
    boost::system::error_code ec;
    acceptor_->close(ec);
    if (http_) http_->Close();
    closed.set_value();
  });
  closed.get_future().wait();
  for (auto& c : live) c->Terminate();
  live.clear();
  {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                      [this] { return connections_.empty(); })) {
      spdlog::warn("{} sessions did not end in time; closing them", connections_.size());
    }
  }
  guards_.clear();
  for (auto& io : io_) io->stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
  workers_->Join();  // statements still running (cancelled) finish first
  acceptor_.reset();
  http_.reset();
  io_.clear();  // destroys what is left: no session outlives Stop()
  workers_.reset();
  {
    std::lock_guard lock(mu_);
    connections_.clear();
  }
  spdlog::info("server stopped");
}

}  // namespace activestore::frontend
