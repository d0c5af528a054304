#include "frontend/connection.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <cerrno>
#include <exception>

#include "common/utf8.h"
#include "executor/result_batch.h"
#include "frontend/connection_internal.h"
#include "frontend/pgwire/binary_format.h"
#include "frontend/pgwire/protocol.h"
#include "storage/group_commit.h"
#include "storage/replication.h"

namespace activestore::frontend {

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;

namespace {

constexpr size_t kFlushThreshold = 64 * 1024;
constexpr size_t kCopyBatchBytes = 256 * 1024;
constexpr std::chrono::seconds kAuthenticationTimeout{60};

uint32_t PeekUInt32(const char* p) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(p[0])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(p[1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(p[2])) << 8) |
         static_cast<uint32_t>(static_cast<uint8_t>(p[3]));
}

// Decoded message or FATAL 08P01: a malformed message ends the connection.
template <typename T>
T OrFatal(Result<T> r) {
  if (!r.ok()) throw Fatal(r.error());
  return std::move(r).value();
}

std::string StatementLabel(const std::string& name) {
  return name.empty() ? "unnamed prepared statement"
                      : fmt::format("prepared statement \"{}\"", name);
}

}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, ConnectionContext context)
    : socket_(std::move(socket)), ctx_(context), in_(16 * 1024) {
  boost::system::error_code ec;
  auto ep = socket_.remote_endpoint(ec);
  peer_ = ec ? "unknown" : fmt::format("{}:{}", ep.address().to_string(), ep.port());
  if (!ec) {
    // An IPv4-mapped IPv6 client is the IPv4 one (hba rules, messages).
    auto address = ep.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
      address = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
    }
    peer_address_ = address.to_string();
  }
}

Connection::~Connection() {
  if (wake_fd_ >= 0) ::close(wake_fd_);
  if (cancel_key_) ctx_.cancels->Unregister(cancel_key_->pid);
  if (holds_session_slot_) ctx_.sessions->fetch_sub(1);
}

void Connection::WakePoller() {
  if (wake_fd_ >= 0) ::eventfd_write(wake_fd_, 1);
}

void Connection::Terminate() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->terminating_ = true;
    self->WakePoller();
    if (self->session_) self->session_->Cancel();
    // Under the gate: a worker starting a read (OffloadBatch) either sees terminating_ or has
    // started it, and it is cancelled here.
    std::lock_guard lock(*self->read_gate_);
    boost::system::error_code ec;
    self->socket_.cancel(ec);
  });
}

void Connection::CheckTerminating() const {
  if (terminating_) {
    throw Fatal(SqlState::kAdminShutdown, "terminating connection due to administrator command");
  }
}

awaitable<std::optional<Connection::Rest>> Connection::OffloadBatch() {
  std::optional<Rest> rest;
  std::exception_ptr error;
  boost::system::error_code read_error;
  co_await asio::async_initiate<decltype(use_awaitable), void()>(
      [this, &rest, &error, &read_error](auto handler) {
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        ctx_.workers->Post([this, &rest, &error, &read_error, h]() mutable {
          bool wait = false;
          // While this worker serves the connection its messages wake no io thread (PollNext
          // reads them here); the socket goes back before the io thread or a read uses it.
          bool detached = false;
          if (replication_ == ReplicationMode::kNone) {
            std::lock_guard lock(*read_gate_);
            if (!terminating_) detached = stream_.Detach();
          }
          error = CaptureError([&] {
            do {
              wait = false;  // (also when RunBatch throws)
              rest = RunBatch();
              // idle_in_transaction_session_timeout needs Fill's timer.
              wait = !rest && in_pos_ == in_end_ && out_.empty() && !terminating_ &&
                     (session_->txn_status() == executor::TxnStatus::kIdle ||
                      session_->IdleInTransactionTimeoutMs() <= 0);
            } while (wait && replication_ == ReplicationMode::kNone && PollNext());
          });
          if (wait) {
            // The client reads the replies: start the read of its next message from here, so
            // that the io thread wakes once, when it arrives, instead of also now. Once the
            // read is started the connection may end on its io thread at any time: nothing of
            // it is touched after, but the gate, which outlives it.
            std::shared_ptr<std::mutex> gate = read_gate_;
            std::lock_guard lock(*gate);
            if (detached) stream_.Attach();
            // With notifications waiting the io thread delivers them first (Fill).
            if (!terminating_ && !notify_wake_) {
              in_pos_ = in_end_ = 0;
              command_read_ = session_->txn_status() == executor::TxnStatus::kIdle;
              stream_.StartRead(
                  in_.data(), in_.size(),
                  [this, h, &read_error](const boost::system::error_code& ec, size_t got) mutable {
                    {
                      std::lock_guard done(*read_gate_);
                      command_read_ = false;
                    }
                    in_end_ += got;
                    read_error = ec;
                    auto handler = std::move(*h);
                    std::move(handler)();
                  });
              return;
            }
          } else if (detached) {
            std::lock_guard lock(*read_gate_);
            stream_.Attach();
          }
          auto handler = std::move(*h);
          auto ex = asio::get_associated_executor(handler);
          asio::post(ex, [handler = std::move(handler)]() mutable { std::move(handler)(); });
        });
      },
      use_awaitable);
  CheckTerminating();
  if (error) std::rethrow_exception(error);
  if (read_error && read_error != asio::error::operation_aborted) throw ConnectionClosed{};
  co_return rest;
}

namespace {
// Workers waiting in PollNext, all connections together.
std::atomic<size_t> pollers{0};
// A worker that finished a client's messages waits this long for the next one before handing
// the connection back to its io thread (a termination or a notification ends the wait at once,
// through the connection's eventfd). With several clients per core a client often answers after
// more than a millisecond, and a handed-back connection costs two thread wake-ups per message:
// at 8 pgbench clients on 2 cores a 1 ms wait gave 43,700-49,600 TPS, 10 ms 47,600-52,700.
constexpr int kPollMs = 10;
// Fill's read room: the input buffer grows by at least this much when it is full.
constexpr size_t kMinReadRoom = 64 * 1024;
}  // namespace

bool Connection::PollNext() {
  if (pollers.fetch_add(1) >= ctx_.max_pollers) {
    pollers.fetch_sub(1);
    return false;
  }
  int ready = 1;
  if (!stream_.HasBuffered()) {
    if (wake_fd_ < 0) wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    pollfd p[2] = {{stream_.native_handle(), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    // Checked after the eventfd is known to exist: a waker that came before saw no eventfd.
    if (terminating_ || notify_wake_) {
      ready = 0;
    } else {
      ready = ::poll(p, wake_fd_ >= 0 ? 2 : 1, kPollMs);
      if (ready > 0 && (p[1].revents & POLLIN) != 0) {
        eventfd_t ignored;
        ::eventfd_read(wake_fd_, &ignored);
        ready = (p[0].revents & POLLIN) != 0 ? 1 : 0;
      }
    }
  }
  pollers.fetch_sub(1);
  if (ready <= 0 || terminating_) return false;
  // Nothing: the end of the stream or an error (the io thread's read sees it), or part of a TLS
  // record.
  size_t got = stream_.ReadNow(in_.data(), in_.size());
  if (got == 0) return false;
  in_pos_ = 0;
  in_end_ = got;
  return true;
}

// ---- I/O -----------------------------------------------------------------------------------

awaitable<void> Connection::Flush() {
  if (CommitWaitPending()) {
    if (std::optional<executor::Session::CommitWait> w = session_->TakeCommitWait()) {
      co_await WaitForSyncReplication(*w);
    }
  }
  if (out_.empty()) co_return;
  AwaitReadsDurable();
  boost::system::error_code ec;
  co_await stream_.Write(out_, ec);
  out_.clear();
  if (ec) throw ConnectionClosed{};
}

awaitable<void> Connection::Fill(size_t n) {
  while (in_end_ - in_pos_ < n) {
    CheckTerminating();
    if (awaiting_command_ && notify_wake_) DeliverNotifications();
    if (!out_.empty()) co_await Flush();
    if (awaiting_command_ && notify_wake_) continue;  // more came while flushing
    if (in_pos_ > 0) {
      std::copy(in_.begin() + static_cast<ptrdiff_t>(in_pos_),
                in_.begin() + static_cast<ptrdiff_t>(in_end_), in_.begin());
      in_end_ -= in_pos_;
      in_pos_ = 0;
    }
    // Grow only as bytes arrive (at most doubling what is held), so that a message that
    // claims a huge length pins memory only once the client has really sent it.
    if (in_.size() < n && in_.size() - in_end_ < kMinReadRoom) {
      in_.resize(std::min(n, std::max(in_.size() * 2, in_end_ + kMinReadRoom)));
    }
    // idle_in_transaction_session_timeout: a session inside a transaction block that waits
    // this long for its client is ended (FATAL 25P03), releasing its locks.
    std::optional<asio::steady_timer> idle_timer;
    int64_t idle_ms = 0;
    if (session_ && session_->txn_status() != executor::TxnStatus::kIdle) {
      idle_ms = session_->IdleInTransactionTimeoutMs();
    }
    if (idle_ms > 0) {
      idle_timer.emplace(socket_.get_executor());
      idle_timer->expires_after(std::chrono::milliseconds(idle_ms));
      idle_timer->async_wait([self = shared_from_this()](const boost::system::error_code& e) {
        if (e) return;
        self->idle_timed_out_ = true;
        boost::system::error_code ignored;
        self->socket_.cancel(ignored);
      });
    }
    {
      std::lock_guard lock(*read_gate_);
      command_read_ = awaiting_command_ && session_->txn_status() == executor::TxnStatus::kIdle;
    }
    boost::system::error_code ec;
    size_t got = co_await stream_.ReadSome(in_.data() + in_end_, in_.size() - in_end_, ec);
    {
      std::lock_guard lock(*read_gate_);
      command_read_ = false;
    }
    if (idle_timer) idle_timer->cancel();
    if (idle_timed_out_) {
      throw Fatal(SqlState::kIdleInTransactionSessionTimeout,
                  "terminating connection due to idle-in-transaction timeout");
    }
    if (ec == asio::error::operation_aborted) {
      CheckTerminating();
      if (startup_timed_out_) {
        spdlog::info("connection from {}: canceling authentication due to timeout", peer_);
        throw ConnectionClosed{};
      }
      continue;
    }
    if (ec) throw ConnectionClosed{};
    in_end_ += got;
  }
}

bool Connection::HasBufferedMessage() const {
  if (in_end_ - in_pos_ < 5) return false;
  uint32_t len = PeekUInt32(in_.data() + in_pos_ + 1);
  return in_end_ - in_pos_ >= static_cast<size_t>(len) + 1;
}

awaitable<char> Connection::FillMessage() {
  co_await Fill(5);
  uint32_t len = PeekUInt32(in_.data() + in_pos_ + 1);
  if (len < 4 || len > pgwire::fe::MaxMessageLength(in_[in_pos_])) {
    throw Fatal(SqlState::kProtocolViolation, "invalid message length");
  }
  co_await Fill(static_cast<size_t>(len) + 1);
  co_return in_[in_pos_];
}

char Connection::TakeMessage() {
  char type = in_[in_pos_];
  uint32_t len = PeekUInt32(in_.data() + in_pos_ + 1);
  if (len < 4 || len > pgwire::kMaxMessageLength) {
    throw Fatal(SqlState::kProtocolViolation, "invalid message length");
  }
  body_.assign(in_.data() + in_pos_ + 5, len - 4);
  in_pos_ += static_cast<size_t>(len) + 1;
  if (in_pos_ == in_end_) {
    in_pos_ = in_end_ = 0;
    if (in_.size() > 1024 * 1024) {  // do not keep a huge buffer after a huge message
      in_.resize(16 * 1024);
      in_.shrink_to_fit();
    }
  }
  return type;
}

awaitable<bool> Connection::WaitForMessage(std::chrono::milliseconds timeout) {
  if (!out_.empty()) co_await Flush();
  if (HasBufferedMessage()) co_return true;
  if (in_pos_ > 0) {
    std::copy(in_.begin() + static_cast<ptrdiff_t>(in_pos_),
              in_.begin() + static_cast<ptrdiff_t>(in_end_), in_.begin());
    in_end_ -= in_pos_;
    in_pos_ = 0;
  }
  if (in_.size() - in_end_ < kMinReadRoom) in_.resize(in_end_ + kMinReadRoom);
  // The timer cancels the read; nothing else is in flight on the socket meanwhile.
  asio::steady_timer timer(socket_.get_executor());
  timer.expires_after(timeout);
  // A timer that expired just as the read completed still runs its handler: it must then
  // cancel nothing.
  auto waiting = std::make_shared<bool>(true);
  timer.async_wait([self = shared_from_this(), waiting](const boost::system::error_code& e) {
    if (e || !*waiting) return;
    boost::system::error_code ignored;
    self->socket_.cancel(ignored);
  });
  boost::system::error_code ec;
  message_wait_reading_ = true;
  size_t got = co_await stream_.ReadSome(in_.data() + in_end_, in_.size() - in_end_, ec);
  message_wait_reading_ = false;
  *waiting = false;
  timer.cancel();
  CheckTerminating();
  if (ec == asio::error::operation_aborted) co_return HasBufferedMessage();
  if (ec) throw ConnectionClosed{};
  in_end_ += got;
  // A bad length ends the connection as soon as it is seen (no buffer grows for it).
  if (in_end_ - in_pos_ >= 5) {
    uint32_t len = PeekUInt32(in_.data() + in_pos_ + 1);
    if (len < 4 || len > pgwire::fe::MaxMessageLength(in_[in_pos_])) {
      throw Fatal(SqlState::kProtocolViolation, "invalid message length");
    }
  }
  co_return HasBufferedMessage();
}

awaitable<char> Connection::ReadMessage() {
  co_await FillMessage();
  co_return TakeMessage();
}

void Connection::WriteNow() {
  if (CommitWaitPending()) return;  // Flush waits for the synchronous replicas first
  if (out_.empty()) return;
  AwaitReadsDurable();
  out_.erase(0, stream_.WriteNow(out_.data(), out_.size()));
}

void Connection::AwaitReadsDurable() {
  if (session_ == nullptr) return;
  storage::ReadFence* fence = session_->read_fence();
  if (fence == nullptr) return;
  if (const uint64_t ticket = fence->Take(); ticket != 0) {
    // At most one log flush (docs/design/2026-12-07-group-commit.md); on the io thread too.
    if (storage::Engine* engine = ctx_.engine->storage_engine()) engine->AwaitDurable(ticket);
  }
}

awaitable<void> Connection::WaitForSyncReplication(const executor::Session::CommitWait& wait) {
  storage::ReplicationRegistry* registry = ctx_.engine->replication();
  if (registry == nullptr) co_return;
  const storage::SyncLevel level = wait.level == "remote_write"   ? storage::SyncLevel::kWrite
                                   : wait.level == "remote_apply" ? storage::SyncLevel::kApply
                                                                  : storage::SyncLevel::kFlush;
  struct State {
    explicit State(const asio::any_io_executor& ex) : timer(ex) {}
    asio::steady_timer timer;
    std::atomic<bool> done{false};
  };
  auto state = std::make_shared<State>(socket_.get_executor());
  const uint64_t id = registry->AddSyncWaiter(wait.lsn, level, [state] {
    state->done.store(true);
    asio::post(state->timer.get_executor(), [state] { state->timer.cancel(); });
  });
  if (id == 0) co_return;    // acknowledged already
  registry->NotifyCommit();  // the senders ask their standbys for a reply (StreamLog)
  const int64_t timeout_ms = registry->synchronous_commit_timeout_ms();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string why;
  // Cancel requests and terminations arrive without a wake-up of their own: looked at every
  // tenth of a second.
  constexpr std::chrono::milliseconds kCheck{100};
  while (!state->done.load()) {
    if (terminating_) {
      why = "terminate";
      break;
    }
    if (session_->TakeCancel()) {
      why = "due to user request";
      break;
    }
    auto step = std::chrono::steady_clock::duration(kCheck);
    if (timeout_ms > 0) {
      const auto left = deadline - std::chrono::steady_clock::now();
      if (left <= std::chrono::steady_clock::duration::zero()) {
        why = "due to synchronous_commit_timeout";
        break;
      }
      step = std::min(step, left);
    }
    state->timer.expires_after(step);
    boost::system::error_code ec;
    co_await state->timer.async_wait(asio::redirect_error(use_awaitable, ec));
  }
  registry->RemoveSyncWaiter(id);
  if (why.empty()) co_return;
  // PostgreSQL's SyncRepWaitForLSN: the commit stays, the client is told it may not be
  // replicated.
  const std::string detail =
      "The transaction has already committed locally, but might not have been replicated to "
      "the standby.";
  const std::string message =
      why == "terminate"
          ? "canceling the wait for synchronous replication and terminating connection due to "
            "administrator command"
          : "canceling wait for synchronous replication " + why;
  spdlog::warn("connection from {}: {} (commit at {:X}/{:X})", peer_, message,
               static_cast<uint32_t>(wait.lsn >> 32), static_cast<uint32_t>(wait.lsn));
  // Before what out_ holds (the commit's CommandComplete), as PostgreSQL sends it before.
  std::string held = std::move(out_);
  out_.clear();
  writer_.NoticeResponse("WARNING", "01000", message, detail, "", 0);
  out_.append(held);
}

// ---- Life cycle ----------------------------------------------------------------------------

awaitable<void> Connection::Run() {
  spdlog::debug("connection from {}", peer_);
  std::optional<Error> fatal;
  try {
    // PostgreSQL's authentication_timeout (60 s): start-up, TLS handshake and password exchange
    // must be done by then.
    asio::steady_timer startup_timer(socket_.get_executor());
    startup_timer.expires_after(kAuthenticationTimeout);
    startup_timer.async_wait([self = shared_from_this()](const boost::system::error_code& e) {
      if (e || self->session_) return;
      self->startup_timed_out_ = true;
      boost::system::error_code ignored;
      self->socket_.cancel(ignored);
    });
    bool started = co_await Startup();
    startup_timer.cancel();
    if (started) co_await MainLoop();
  } catch (const ConnectionClosed&) {
  } catch (const Error& e) {
    fatal = e;
    fatal->severity = Severity::kFatal;
  } catch (const std::exception& e) {
    fatal = Fatal(SqlState::kInternalError, e.what());
  }
  if (fatal) {
    spdlog::info("connection from {}: FATAL {} {}", peer_, SqlStateCode(fatal->state()),
                 fatal->message());
    SendError(*fatal);
    try {
      co_await Flush();
    } catch (...) {
    }
  }
  if (cancel_key_) {
    ctx_.cancels->Unregister(cancel_key_->pid);
    cancel_key_.reset();
  }
  portals_.clear();
  unnamed_statement_.reset();
  if (session_) {
    // Closing a session may roll back a transaction: not on the io thread.
    std::unique_ptr<executor::Session> session = std::move(session_);
    try {
      co_await Offload([&session] { session.reset(); });
    } catch (...) {
    }
  }
  stream_.Close();
  boost::system::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  spdlog::debug("connection from {} closed", peer_);
}

awaitable<bool> Connection::Startup() {
  // As PostgreSQL: one SSLRequest and one GSSENCRequest at most, and none after TLS started;
  // another is refused as an unknown protocol version (1234.5679).
  bool ssl_done = false;
  bool gss_done = false;
  while (true) {
    co_await Fill(4);
    uint32_t len = PeekUInt32(in_.data() + in_pos_);
    if (len < 8 || len > pgwire::kMaxStartupPacketLength) {
      throw Fatal(SqlState::kProtocolViolation, "invalid length of startup packet");
    }
    co_await Fill(len);
    std::string_view body(in_.data() + in_pos_ + 4, len - 4);
    pgwire::StartupPacket packet = OrFatal(pgwire::DecodeStartupPacket(body));
    in_pos_ += len;
    using Kind = pgwire::StartupPacket::Kind;
    if (packet.kind == Kind::kCancel) {
      ctx_.cancels->Cancel(packet.cancel_pid, packet.cancel_secret);
      co_return false;
    }
    if ((packet.kind == Kind::kSslRequest && !ssl_done) ||
        (packet.kind == Kind::kGssEncRequest && !gss_done)) {
      if (in_end_ != in_pos_) {
        throw Fatal(SqlState::kProtocolViolation,
                    packet.kind == Kind::kSslRequest
                        ? "received unencrypted data after SSL request"
                        : "received unencrypted data after GSSAPI encryption request");
      }
      in_pos_ = in_end_ = 0;
      std::shared_ptr<const TlsContext> tls;
      if (packet.kind == Kind::kSslRequest) {
        ssl_done = true;
        if (ctx_.security) tls = ctx_.security->tls();
      } else {
        gss_done = true;
      }
      if (!tls) {
        writer_.RefuseEncryption();
        co_await Flush();
        continue;
      }
      writer_.AcceptEncryption();
      co_await Flush();
      std::string why;
      if (!co_await stream_.StartTls(std::move(tls), &why)) {
        // A handshake cut short, garbled or with a bad client certificate ends this connection
        // only.
        spdlog::info("connection from {}: could not accept SSL connection: {}", peer_, why);
        throw ConnectionClosed{};
      }
      gss_done = true;
      spdlog::debug("connection from {}: SSL enabled (protocol={}, cipher={}, bits={})", peer_,
                    stream_.tls()->version(), stream_.tls()->cipher(), stream_.tls()->bits());
      continue;
    }
    if (packet.major != 3) {
      throw Fatal(SqlState::kFeatureNotSupported,
                  fmt::format("unsupported frontend protocol {}.{}: server supports 3.0 to 3.0",
                              packet.major, packet.minor));
    }
    std::map<std::string, std::string> params;
    std::vector<std::string> unrecognized;
    for (auto& [name, value] : packet.params) {
      if (name.rfind("_pq_.", 0) == 0) {
        unrecognized.push_back(name);
      } else {
        params[name] = value;
      }
    }
    if (packet.minor > 0 || !unrecognized.empty()) {
      writer_.NegotiateProtocolVersion(0, unrecognized);
    }
    auto user = params.find("user");
    if (user == params.end() || user->second.empty()) {
      throw Fatal(SqlState::kInvalidAuthorizationSpecification,
                  "no PostgreSQL user name specified in startup packet");
    }
    if (params.count("database") == 0 || params["database"].empty()) {
      params["database"] = user->second;
    }
    if (auto it = params.find("replication"); it != params.end()) {
      // PostgreSQL's parse_bool plus "database".
      std::string v = it->second;
      std::transform(v.begin(), v.end(), v.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (v == "database") {
        replication_ = ReplicationMode::kDatabase;
      } else if (v == "true" || v == "on" || v == "yes" || v == "1" || v == "t" || v == "y") {
        replication_ = ReplicationMode::kPhysical;
      } else if (!(v == "false" || v == "off" || v == "no" || v == "0" || v == "f" || v == "n")) {
        throw std::move(
            Fatal(SqlState::kInvalidParameterValue,
                  fmt::format("invalid value for parameter \"replication\": \"{}\"", it->second))
                .Hint("Valid values are: \"false\", 0, \"true\", 1, \"database\"."));
      }
      params.erase(it);
    }
    if (replication_ == ReplicationMode::kPhysical) {
      // A physical replication connection belongs to no database; the session it still has
      // (for SHOW) runs in postgres.
      params["database"] = "postgres";
    }
    AuditLog* audit = ctx_.engine->audit_log();
    try {
      co_await Authenticate(user->second, params["database"]);
      if (replication_ != ReplicationMode::kNone) {
        const executor::LoginInfo login = ctx_.engine->LookupLogin(user->second);
        if (!login.superuser && !login.replication) {
          throw Fatal(SqlState::kInsufficientPrivilege,
                      "must be superuser or replication role to start walsender");
        }
      }
      user_ = user->second;
      database_ = params["database"];
      if (auto it = params.find("application_name"); it != params.end()) {
        application_name_ = it->second;
      }
      executor::NodeEngine* engine = ctx_.engine;
      session_ = co_await Offload([engine, &params] { return engine->Connect(params); });
      session_->set_client_address(peer_);
      TakeSessionSlot();
    } catch (const Error& e) {
      // A refused login, an unknown database, no free connection slot: a failed login.
      if (audit != nullptr) AuditLogin(audit, params, &e);
      throw;
    }
    if (audit != nullptr) AuditLogin(audit, params, nullptr);
    spdlog::debug("connection from {}: user={} database={}", peer_, params["user"],
                  params["database"]);
    cancel_key_ = ctx_.cancels->Register(session_.get());
    // pg_terminate_backend ends this connection.
    session_->set_terminator([weak = weak_from_this()] {
      if (std::shared_ptr<Connection> self = weak.lock()) self->Terminate();
    });
    session_->set_backend_pid(cancel_key_->pid);
    // Notifications committed for this session wake it up on its io thread.
    session_->SetNotificationWaker([weak = weak_from_this()] {
      std::shared_ptr<Connection> self = weak.lock();
      if (!self || self->notify_wake_.exchange(true)) return;
      self->WakePoller();
      asio::post(self->socket_.get_executor(), [self] { self->OnNotificationWake(); });
    });
    writer_.AuthenticationOk();
    for (const auto& [name, value] : session_->ReportedParameters()) {
      writer_.ParameterStatus(name, value);
    }
    session_->TakeChangedParameters();  // already reported
    writer_.BackendKeyData(cancel_key_->pid, cancel_key_->secret);
    writer_.ReadyForQuery(static_cast<char>(session_->txn_status()));
    co_return true;
  }
}

namespace {

// The messages RunBatch runs.
bool Batchable(char type) {
  switch (type) {
    case pgwire::fe::kParse:
    case pgwire::fe::kBind:
    case pgwire::fe::kDescribe:
    case pgwire::fe::kExecute:
    case pgwire::fe::kClose:
    case pgwire::fe::kSync:
    case pgwire::fe::kQuery:
      return true;
    default:
      return false;
  }
}

}  // namespace

awaitable<void> Connection::MainLoop() {
  while (true) {
    if (CommitWaitPending()) co_await Flush();  // before the next message runs (RunBatch)
    awaiting_command_ = true;
    char next = co_await FillMessage();
    awaiting_command_ = false;
    if (replication_ != ReplicationMode::kNone && next == pgwire::fe::kQuery &&
        !ignore_till_sync_ && co_await HandleReplicationQuery()) {
      continue;
    }
    if (replication_ != ReplicationMode::kNone && Batchable(next) && next != pgwire::fe::kQuery &&
        next != pgwire::fe::kSync) {
      // As PostgreSQL's walsender (forbidden_in_wal_sender).
      TakeMessage();
      if (!ignore_till_sync_) {
        SendError(Error(SqlState::kProtocolViolation,
                        "extended query protocol not supported in a replication connection"));
        ignore_till_sync_ = true;
      }
      continue;
    }
    if (Batchable(next)) {
      std::optional<Rest> rest = co_await OffloadBatch();
      if (rest && rest->kind == Rest::Kind::kQuery) {
        co_await FinishQuery(std::move(*rest));
      } else if (rest) {
        std::optional<Error> error;
        try {
          co_await FinishExecute(std::move(*rest));
        } catch (const Error& e) {
          if (e.severity == Severity::kFatal || e.severity == Severity::kPanic) throw;
          error = e;
        }
        if (error) {
          SendError(*error);
          ignore_till_sync_ = true;
        }
      }
      if (out_.size() >= kFlushThreshold) co_await Flush();
      continue;
    }
    char type = TakeMessage();
    if (ignore_till_sync_ && type != pgwire::fe::kTerminate) continue;
    std::optional<Error> error;
    try {
      switch (type) {
        case pgwire::fe::kFlush:
          co_await Flush();
          break;
        case pgwire::fe::kTerminate:
          co_return;
        case pgwire::fe::kCopyData:
        case pgwire::fe::kCopyDone:
        case pgwire::fe::kCopyFail:
          // Left over from a COPY that failed: the client may still be sending data.
          break;
        default:
          throw Fatal(SqlState::kProtocolViolation,
                      fmt::format("invalid frontend message type {}", static_cast<int>(type)));
      }
    } catch (const Error& e) {
      if (e.severity == Severity::kFatal || e.severity == Severity::kPanic) throw;
      error = e;
    }
    if (error) SendError(*error);
    if (out_.size() >= kFlushThreshold) co_await Flush();
  }
}

std::optional<Connection::Rest> Connection::RunBatch() {
  bool first = true;
  // A commit waiting for the synchronous replicas ends the batch: the wait is the io thread's
  // (Flush), and the next messages run after it, as in PostgreSQL.
  while (out_.size() < kFlushThreshold && HasBufferedMessage() && Batchable(in_[in_pos_]) &&
         !CommitWaitPending()) {
    // On a replication connection every message after the first goes back through MainLoop,
    // which sees replication commands and refuses the extended protocol.
    if (replication_ != ReplicationMode::kNone && !first) break;
    first = false;
    char type = TakeMessage();
    if (type == pgwire::fe::kSync) {
      ignore_till_sync_ = false;
      FinishCycleNow();
      continue;
    }
    if (ignore_till_sync_) continue;
    std::optional<Error> error;
    try {
      switch (type) {
        case pgwire::fe::kQuery:
          if (std::optional<Rest> rest = HandleQuery()) return rest;
          break;
        case pgwire::fe::kParse:
          HandleParse();
          break;
        case pgwire::fe::kBind:
          HandleBind();
          break;
        case pgwire::fe::kDescribe:
          HandleDescribe();
          break;
        case pgwire::fe::kExecute:
          if (std::optional<Rest> rest = HandleExecute()) return rest;
          break;
        case pgwire::fe::kClose:
          HandleClose();
          break;
      }
    } catch (const Error& e) {
      if (e.severity == Severity::kFatal || e.severity == Severity::kPanic) throw;
      error = e;
    } catch (const std::exception& e) {
      // A bug below: fail the message (XX000), not the connection or the server.
      error = Error(SqlState::kInternalError, e.what());
    }
    if (error) {
      // A termination request wins over the statement's own outcome (typically 57014).
      CheckTerminating();
      SendError(*error);
      ignore_till_sync_ = true;
    }
  }
  // The client waits for these replies: send them now rather than after the hand-off back.
  if (!HasBufferedMessage() && !terminating_) WriteNow();
  return std::nullopt;
}

void Connection::AuditLogin(AuditLog* audit, const std::map<std::string, std::string>& params,
                            const Error* error) {
  AuditEvent e;
  e.kind = error != nullptr ? "login_failed" : "login";
  auto user = params.find("user");
  auto database = params.find("database");
  e.role = e.session_user = user != params.end() ? user->second : "";
  e.database = database != params.end() ? database->second : "";
  e.client_address = peer_;
  e.command = "LOGIN";
  e.sqlstate = error != nullptr ? std::string(SqlStateCode(error->state())) : "00000";
  if (error != nullptr) e.message = error->message();
  audit->Write(e);
}

// max_connections and superuser_reserved_connections, as PostgreSQL's InitProcess and
// InitPostgres check them: FATAL 53300 when no slot is left for this session.
void Connection::TakeSessionSlot() {
  if (ctx_.sessions == nullptr || ctx_.max_sessions <= 0) return;
  const int before = ctx_.sessions->fetch_add(1);
  holds_session_slot_ = true;
  if (before >= ctx_.max_sessions) {
    throw Fatal(SqlState::kTooManyConnections, "sorry, too many clients already");
  }
  auto superuser = [&] {
    for (const auto& [name, value] : session_->ReportedParameters()) {
      if (name == "is_superuser") return value == "on";
    }
    return false;
  };
  if (ctx_.reserved_sessions > 0 && before >= ctx_.max_sessions - ctx_.reserved_sessions &&
      !superuser()) {
    throw Fatal(SqlState::kTooManyConnections,
                "remaining connection slots are reserved for non-replication superuser "
                "connections");
  }
}

// ---- Simple query protocol -----------------------------------------------------------------

std::optional<Connection::Rest> Connection::HandleQuery() {
  std::string sql = OrFatal(pgwire::DecodeQuery(body_));
  Rest rest;
  rest.kind = Rest::Kind::kQuery;
  std::optional<Error> error;
  try {
    CheckUtf8(sql);
    rest.statements = session_->ParseSimple(sql);
    while (rest.next < rest.statements.size()) {
      rest.executed = ExecuteAndPull(*rest.statements[rest.next++], executor::Params{}, {}, 0);
      if (!SendResultNow(rest.executed, &rest)) return rest;
      SendChangedParameters();
    }
  } catch (const Error& e) {
    if (e.severity == Severity::kFatal || e.severity == Severity::kPanic) throw;
    error = e;
  } catch (const std::exception& e) {
    error = Error(SqlState::kInternalError, e.what());
  }
  if (error) {
    CheckTerminating();
    SendError(*error);
  }
  portals_.erase("");
  FinishCycleNow();
  return std::nullopt;
}

bool Connection::SendResultNow(Executed& executed, Rest* rest) {
  executor::QueryResult& result = executed.result;
  constexpr size_t kMaxRowsNow = 256;
  if (result.copy_in || result.copy_out || result.rows.size() > kMaxRowsNow) return false;
  SendNotices(result.notices);
  result.notices.clear();
  if (result.empty_query) {
    writer_.EmptyQueryResponse();
    return true;
  }
  if (!result.returns_rows) {
    writer_.CommandComplete(result.command_tag);
    return true;
  }
  SendRowDescription(result.columns, nullptr);
  if (result.stream) {
    rest->sent = 0;
    if (StreamStep(0, executed.pulled, &rest->sent)) return true;
    rest->streaming = true;
    return false;
  }
  for (const executor::TextRow& row : result.rows) writer_.DataRow(row);
  writer_.CommandComplete(result.command_tag);
  return true;
}

awaitable<void> Connection::FinishQuery(Rest rest) {
  std::optional<Error> error;
  try {
    bool left = true;  // rest.executed is still to be sent from here
    while (left) {
      co_await SendResult(rest);
      SendChangedParameters();
      left = false;
      while (!left && rest.next < rest.statements.size()) {
        executor::PreparedStatement* s = rest.statements[rest.next++].get();
        rest.executed =
            co_await Offload([this, s] { return ExecuteAndPull(*s, executor::Params{}, {}, 0); });
        rest.streaming = false;
        left = !SendResultNow(rest.executed, &rest);
        if (!left) SendChangedParameters();
      }
    }
  } catch (const Error& e) {
    if (e.severity == Severity::kFatal || e.severity == Severity::kPanic) throw;
    error = e;
  }
  if (error) SendError(*error);
  portals_.erase("");
  co_await FinishCycle();
}

awaitable<void> Connection::FinishCycle() {
  // Most cycles of the simple protocol have nothing left to commit: a thread hand-off each
  // would cost a quarter of a point query's time.
  if (session_->SyncHasWork()) {
    co_await Offload([this] { FinishCycleNow(); });
  } else {
    FinishCycleNow();
  }
}

void Connection::FinishCycleNow() {
  std::optional<Error> error;
  try {
    session_->Sync();
  } catch (const Error& e) {
    if (e.severity == Severity::kFatal || e.severity == Severity::kPanic) throw;
    error = e;
  } catch (const std::exception& e) {
    error = Error(SqlState::kInternalError, e.what());
  }
  if (error) SendError(*error);
  SendChangedParameters();
  executor::TxnStatus status = session_->txn_status();
  if (status == executor::TxnStatus::kIdle) {
    portals_.clear();  // portals live until the end of their transaction
    DeliverNotifications();
  }
  writer_.ReadyForQuery(static_cast<char>(status));
}

Connection::Executed Connection::ExecuteAndPull(const executor::PreparedStatement& stmt,
                                                const executor::Params& params,
                                                const std::vector<int16_t>& formats, size_t limit) {
  Executed e;
  e.result = session_->ExecuteStreaming(stmt, params);
  if (e.result.stream) {
    std::vector<uint32_t> oids;
    for (const executor::ColumnDesc& c : e.result.columns) oids.push_back(c.type_oid);
    e.encoder.emplace(formats, std::move(oids));
    e.pulled = PullRows(*e.result.stream, *e.encoder, limit);
  }
  return e;
}

Connection::Pulled Connection::PullRows(executor::ResultStream& stream, const RowEncoder& encoder,
                                        size_t limit) {
  using State = executor::ResultStream::State;
  Pulled p;
  pgwire::MessageWriter notices(&rows_out_);
  try {
    while (true) {
      if (stream.state() != State::kOpen) {
        p.end = true;
        break;
      }
      if ((limit > 0 && p.rows >= limit) || rows_out_.size() >= kFlushThreshold) break;
      const executor::ResultBatch* batch = stream.Next(limit > 0 ? limit - p.rows : 0);
      for (const executor::Notice& n : stream.TakeNotices()) {
        notices.NoticeResponse(n.severity, n.sqlstate, n.message, n.detail, n.hint, n.position);
      }
      if (batch == nullptr) {
        p.end = true;
        break;
      }
      encoder.Encode(*batch, &rows_out_);
      p.rows += batch->size();
    }
  } catch (const Error& e) {
    p.error = e;
  }
  return p;
}

bool Connection::StreamStep(size_t limit, Pulled& pulled, size_t* sent) {
  if (out_.empty()) {
    out_.swap(rows_out_);
  } else {
    out_.append(rows_out_);
    rows_out_.clear();
  }
  *sent += pulled.rows;
  if (pulled.error) throw *pulled.error;
  if (pulled.end) {
    writer_.CommandComplete(fmt::format("SELECT {}", *sent));
    return true;
  }
  if (limit > 0 && *sent >= limit) {
    writer_.PortalSuspended();
    return true;
  }
  return false;
}

awaitable<void> Connection::StreamRows(executor::ResultStream& stream, const RowEncoder& encoder,
                                       size_t limit, size_t sent) {
  while (true) {
    if (out_.size() >= kFlushThreshold) co_await Flush();
    executor::ResultStream* s = &stream;
    const RowEncoder* e = &encoder;
    size_t want = limit > 0 ? limit - sent : 0;
    Pulled pulled = co_await Offload([this, s, e, want] { return PullRows(*s, *e, want); });
    if (StreamStep(limit, pulled, &sent)) co_return;
  }
}

awaitable<void> Connection::SendResult(Rest& rest) {
  executor::QueryResult& result = rest.executed.result;
  if (rest.streaming) {
    co_await StreamRows(*result.stream, *rest.executed.encoder, 0, rest.sent);
    co_return;
  }
  SendNotices(result.notices);
  if (result.copy_in) {
    executor::QueryResult done = co_await CopyIn(result);
    SendNotices(done.notices);
    writer_.CommandComplete(done.command_tag);
    co_return;
  }
  if (result.copy_out) {
    int columns =
        result.copy_columns > 0 ? result.copy_columns : static_cast<int>(result.columns.size());
    writer_.CopyOutResponse(static_cast<int16_t>(columns));
    for (const std::string& data : result.copy_out_data) {
      writer_.CopyData(data);
      if (out_.size() >= kFlushThreshold) co_await Flush();
    }
    writer_.CopyDone();
    writer_.CommandComplete(result.command_tag);
    co_return;
  }
  // Many materialized rows of a simple Query.
  SendRowDescription(result.columns, nullptr);
  for (const executor::TextRow& row : result.rows) {
    writer_.DataRow(row);
    if (out_.size() >= kFlushThreshold) co_await Flush();
  }
  writer_.CommandComplete(result.command_tag);
}

void Connection::SendRowDescription(const std::vector<executor::ColumnDesc>& columns,
                                    const std::vector<int16_t>* formats) {
  std::vector<pgwire::FieldDescription> fields;
  fields.reserve(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    const executor::ColumnDesc& c = columns[i];
    int16_t format = formats != nullptr && i < formats->size() ? (*formats)[i] : 0;
    fields.push_back(
        {c.name, c.table_oid, c.column_attnum, c.type_oid, c.type_len, c.type_mod, format});
  }
  writer_.RowDescription(fields);
}

awaitable<executor::QueryResult> Connection::CopyIn(executor::QueryResult& result) {
  std::shared_ptr<executor::CopyInSink> sink = result.copy_in;
  writer_.CopyInResponse(static_cast<int16_t>(result.copy_columns));
  co_await Flush();
  std::string batch;
  auto feed = [&]() -> awaitable<void> {
    if (batch.empty()) co_return;
    executor::CopyInSink* s = sink.get();
    co_await Offload([s, &batch] { s->Feed(batch); });
    batch.clear();
  };
  while (true) {
    char type = co_await ReadMessage();
    switch (type) {
      case pgwire::fe::kCopyData:
        batch.append(body_);
        if (batch.size() >= kCopyBatchBytes || !HasBufferedMessage()) co_await feed();
        break;
      case pgwire::fe::kCopyDone: {
        co_await feed();
        executor::CopyInSink* s = sink.get();
        co_return co_await Offload([s] { return s->Finish(); });
      }
      case pgwire::fe::kCopyFail: {
        std::string message = OrFatal(pgwire::DecodeCopyFail(body_));
        executor::CopyInSink* s = sink.get();
        co_await Offload([s, &message] { s->Abort(message); });
        throw Error(SqlState::kQueryCanceled, fmt::format("COPY from stdin failed: {}", message));
      }
      case pgwire::fe::kFlush:
      case pgwire::fe::kSync:
        break;  // ignored during COPY IN, as PostgreSQL does
      case pgwire::fe::kTerminate:
        throw ConnectionClosed{};
      default:
        throw Error(SqlState::kProtocolViolation,
                    fmt::format("unexpected message type 0x{:02X} during COPY from stdin",
                                static_cast<uint8_t>(type)));
    }
  }
}

// ---- Extended query protocol ---------------------------------------------------------------

void Connection::HandleParse() {
  pgwire::ParseMessage m = OrFatal(pgwire::DecodeParse(body_));
  CheckUtf8(m.name);
  CheckUtf8(m.query);
  if (m.name.empty()) {
    unnamed_statement_.reset();
    unnamed_statement_ = session_->Prepare(m.query, m.param_types);
  } else {
    if (session_->FindNamedStatement(m.name) != nullptr) {
      throw Error(SqlState::kDuplicatePreparedStatement,
                  fmt::format("prepared statement \"{}\" already exists", m.name));
    }
    session_->AddNamedStatement(m.name, session_->Prepare(m.query, m.param_types));
  }
  writer_.ParseComplete();
}

std::shared_ptr<executor::PreparedStatement> Connection::FindStatement(const std::string& name) {
  std::shared_ptr<executor::PreparedStatement> stmt =
      name.empty() ? unnamed_statement_ : session_->FindNamedStatement(name);
  if (stmt == nullptr) {
    throw Error(SqlState::kInvalidSqlStatementName,
                fmt::format("{} does not exist", StatementLabel(name)));
  }
  return stmt;
}

void Connection::HandleBind() {
  pgwire::BindMessage m = OrFatal(pgwire::DecodeBind(body_));
  const std::shared_ptr<executor::PreparedStatement> stmt = FindStatement(m.statement);
  const std::vector<uint32_t>& types = stmt->param_types();
  if (m.param_formats.size() > 1 && m.param_formats.size() != m.params.size()) {
    throw Error(SqlState::kProtocolViolation,
                fmt::format("bind message has {} parameter formats but {} parameters",
                            m.param_formats.size(), m.params.size()));
  }
  if (m.params.size() != types.size()) {
    throw Error(SqlState::kProtocolViolation,
                fmt::format("bind message supplies {} parameters, but prepared statement \"{}\" "
                            "requires {}",
                            m.params.size(), m.statement, types.size()));
  }
  Portal portal;
  portal.statement = stmt;
  for (size_t i = 0; i < m.params.size(); ++i) {
    auto& value = m.params[i];
    if (value && pgwire::FormatFor(m.param_formats, i) == 1) {
      if (!pgwire::BinaryFormatSupported(types[i])) {
        throw Error(SqlState::kFeatureNotSupported,
                    fmt::format("binary format is not supported for parameter ${} of type "
                                "oid {}",
                                i + 1, types[i]));
      }
      auto text = pgwire::BinaryToText(types[i], *value);
      if (!text) {
        // As PostgreSQL's receive functions: too short is a protocol error, otherwise 22P03.
        auto size = pgwire::BinaryFixedSize(types[i]);
        if (size && value->size() < *size) {
          throw Error(SqlState::kProtocolViolation, "insufficient data left in message");
        }
        throw Error(SqlState::kInvalidBinaryRepresentation,
                    fmt::format("incorrect binary data format in bind parameter {}", i + 1));
      }
      value = std::move(text);
    }
    if (value) CheckUtf8(*value);  // the text a parameter's input function reads
    portal.params.push_back(std::move(value));
  }
  size_t ncols = stmt->returns_rows() ? stmt->result_columns().size() : 0;
  if (m.result_formats.size() > 1 && m.result_formats.size() != ncols) {
    throw Error(SqlState::kProtocolViolation,
                fmt::format("bind message has {} result formats but query has {} columns",
                            m.result_formats.size(), ncols));
  }
  for (size_t i = 0; i < ncols; ++i) {
    int16_t format = pgwire::FormatFor(m.result_formats, i);
    const executor::ColumnDesc& col = stmt->result_columns()[i];
    if (format == 1 && !pgwire::BinaryFormatSupported(col.type_oid)) {
      throw Error(SqlState::kFeatureNotSupported,
                  fmt::format("binary format is not supported for result column \"{}\" of type "
                              "oid {}",
                              col.name, col.type_oid));
    }
    portal.result_formats.push_back(format);
  }
  if (!m.portal.empty() && portals_.count(m.portal) != 0) {
    throw Error(SqlState::kDuplicateCursor, fmt::format("cursor \"{}\" already exists", m.portal));
  }
  portals_[m.portal] = std::move(portal);
  writer_.BindComplete();
}

void Connection::HandleDescribe() {
  pgwire::DescribeMessage m = OrFatal(pgwire::DecodeDescribe(body_));
  const executor::PreparedStatement* stmt = nullptr;
  const std::vector<int16_t>* formats = nullptr;
  if (m.kind == 'S') {
    stmt = FindStatement(m.name).get();
    writer_.ParameterDescription(stmt->param_types());
  } else {
    auto it = portals_.find(m.name);
    if (it == portals_.end()) {
      // A cursor declared with DECLARE is a portal too (psycopg 3 describes its server-side
      // cursors this way); its rows come in text unless a FETCH's Bind asks otherwise.
      if (std::optional<std::vector<executor::ColumnDesc>> cols =
              session_->DescribeCursor(m.name)) {
        SendRowDescription(*cols, nullptr);
        return;
      }
      throw Error(SqlState::kInvalidCursorName,
                  fmt::format("portal \"{}\" does not exist", m.name));
    }
    stmt = it->second.statement.get();
    formats = &it->second.result_formats;
  }
  if (!stmt->returns_rows()) {
    writer_.NoData();
    return;
  }
  SendRowDescription(stmt->result_columns(), formats);
}

std::optional<Connection::Rest> Connection::HandleExecute() {
  pgwire::ExecuteMessage m = OrFatal(pgwire::DecodeExecute(body_));
  auto it = portals_.find(m.portal);
  if (it == portals_.end()) {
    throw Error(SqlState::kInvalidCursorName,
                fmt::format("portal \"{}\" does not exist", m.portal));
  }
  const size_t limit = m.max_rows > 0 ? static_cast<size_t>(m.max_rows) : 0;
  Portal& portal = it->second;
  Rest rest;
  rest.portal = &portal;
  rest.max_rows = m.max_rows;
  if (!portal.executed) {
    portal.executed = true;
    // Statements executed before one Sync form one implicit transaction.
    session_->DeferCommitToSync();
    // Date/time columns asked for in binary come back as ISO text in UTC (exact to convert).
    session_->SetBinaryResultFormats(portal.result_formats);
    Executed executed;
    try {
      executed = ExecuteAndPull(*portal.statement, portal.params, portal.result_formats, limit);
    } catch (...) {
      session_->SetBinaryResultFormats({});
      throw;
    }
    session_->SetBinaryResultFormats({});
    SendChangedParameters();
    executor::QueryResult& result = executed.result;
    if (result.copy_in || result.copy_out) {
      portal.done = true;
      rest.kind = Rest::Kind::kResult;
      rest.executed = std::move(executed);
      return rest;
    }
    SendNotices(result.notices);
    if (!result.returns_rows || result.empty_query) {
      portal.done = true;
      if (result.empty_query) {
        writer_.EmptyQueryResponse();
      } else {
        writer_.CommandComplete(result.command_tag);
      }
      return std::nullopt;
    }
    if (result.stream) {
      portal.stream = std::move(result.stream);
      portal.encoder = std::move(executed.encoder);
      if (StreamStep(limit, executed.pulled, &rest.sent)) return std::nullopt;
      rest.kind = Rest::Kind::kStream;
      return rest;
    }
    portal.result = std::move(result);
  } else if (portal.done) {
    throw Error(SqlState::kObjectNotInPrerequisiteState,
                fmt::format("portal \"{}\" cannot be run", m.portal));
  } else if (portal.stream) {
    using State = executor::ResultStream::State;
    if (portal.stream->state() == State::kClosed) {
      // Its transaction ended (COMMIT, ROLLBACK, ROLLBACK TO an older savepoint): PostgreSQL
      // has dropped the portal.
      portals_.erase(it);
      throw Error(SqlState::kInvalidCursorName,
                  fmt::format("portal \"{}\" does not exist", m.portal));
    }
    executor::ResultStream& stream = *portal.stream;
    stream.Resume();  // 25P02 in a failed block
    if (stream.state() == State::kFailed) {
      throw Error(SqlState::kObjectNotInPrerequisiteState,
                  fmt::format("portal \"{}\" cannot be run", m.portal));
    }
    Pulled pulled = PullRows(stream, *portal.encoder, limit);
    if (StreamStep(limit, pulled, &rest.sent)) return std::nullopt;
    rest.kind = Rest::Kind::kStream;
    return rest;
  }
  if (SendSomeRows(portal, m.max_rows, &rest.sent)) return std::nullopt;
  rest.kind = Rest::Kind::kRows;
  return rest;
}

awaitable<void> Connection::FinishExecute(Rest rest) {
  switch (rest.kind) {
    case Rest::Kind::kResult:
      co_await SendResult(rest);
      break;
    case Rest::Kind::kStream: {
      size_t limit = rest.max_rows > 0 ? static_cast<size_t>(rest.max_rows) : 0;
      co_await StreamRows(*rest.portal->stream, *rest.portal->encoder, limit, rest.sent);
      break;
    }
    case Rest::Kind::kRows:
      while (!SendSomeRows(*rest.portal, rest.max_rows, &rest.sent)) co_await Flush();
      break;
  }
}

bool Connection::SendSomeRows(Portal& portal, int32_t max_rows, size_t* sent) {
  const auto& rows = portal.result.rows;
  size_t end = rows.size();
  if (max_rows > 0) {
    end = std::min(end, portal.next_row + (static_cast<size_t>(max_rows) - *sent));
  }
  const auto& columns = portal.result.columns;
  bool any_binary = false;
  for (int16_t f : portal.result_formats) any_binary |= f == 1;
  for (; portal.next_row < end; ++portal.next_row) {
    if (out_.size() >= kFlushThreshold) return false;
    const executor::TextRow& row = rows[portal.next_row];
    if (!any_binary) {
      writer_.DataRow(row);
    } else {
      executor::TextRow converted = row;
      for (size_t c = 0; c < converted.size() && c < portal.result_formats.size(); ++c) {
        if (portal.result_formats[c] != 1 || !converted[c]) continue;
        uint32_t type = c < columns.size() ? columns[c].type_oid
                                           : portal.statement->result_columns()[c].type_oid;
        auto bin = pgwire::TextToBinary(type, *converted[c]);
        if (!bin) {
          throw Error(SqlState::kInternalError,
                      fmt::format("cannot convert value \"{}\" of type oid {} to binary format",
                                  *converted[c], type));
        }
        converted[c] = std::move(bin);
      }
      writer_.DataRow(converted);
    }
    ++*sent;
  }
  // As PostgreSQL: a limited Execute that returned its limit is suspended, even at the last row.
  if (max_rows > 0 && *sent == static_cast<size_t>(max_rows)) {
    writer_.PortalSuspended();
    return true;
  }
  const std::string& tag = portal.result.command_tag;
  if (tag.rfind("SELECT", 0) == 0) {
    writer_.CommandComplete(fmt::format("SELECT {}", *sent));
  } else {
    writer_.CommandComplete(tag);
  }
  // Free the rows; a later Execute finds the portal at its end.
  portal.result.rows.clear();
  portal.result.rows.shrink_to_fit();
  portal.next_row = 0;
  return true;
}

void Connection::HandleClose() {
  pgwire::CloseMessage m = OrFatal(pgwire::DecodeClose(body_));
  if (m.kind == 'S') {
    if (m.name.empty()) {
      unnamed_statement_.reset();
    } else {
      session_->CloseNamedStatement(m.name);
    }
  } else {
    portals_.erase(m.name);
  }
  writer_.CloseComplete();
}

// ---- Output helpers ------------------------------------------------------------------------

void Connection::SendNotices(const std::vector<executor::Notice>& notices) {
  for (const executor::Notice& n : notices)
    writer_.NoticeResponse(n.severity, n.sqlstate, n.message, n.detail, n.hint, n.position);
}

void Connection::DeliverNotifications() {
  notify_wake_ = false;
  bool more = false;
  for (const executor::Notification& n : session_->TakeNotifications(kFlushThreshold, &more)) {
    writer_.NotificationResponse(n.pid, n.channel, n.payload);
  }
  if (more) notify_wake_ = true;  // the rest after a Flush (Fill)
}

void Connection::OnNotificationWake() {
  if (!notify_wake_) return;  // delivered meanwhile
  std::lock_guard lock(*read_gate_);
  if (!command_read_) return;  // busy: delivered before ReadyForQuery, or when it reads again
  boost::system::error_code ec;
  socket_.cancel(ec);
}

void Connection::SendError(const Error& error) {
  if (session_ && error.severity == Severity::kError) SendNotices(session_->TakeFailedNotices());
  const char* severity = "ERROR";
  if (error.severity == Severity::kFatal) severity = "FATAL";
  if (error.severity == Severity::kPanic) severity = "PANIC";
  if (error.severity == Severity::kError) {
    spdlog::debug("connection from {}: ERROR {} {}", peer_, SqlStateCode(error.state()),
                  error.message());
  }
  writer_.ErrorResponse(error, severity);
}

void Connection::SendChangedParameters() {
  if (!session_) return;
  for (const auto& [name, value] : session_->TakeChangedParameters()) {
    writer_.ParameterStatus(name, value);
  }
}

}  // namespace activestore::frontend
