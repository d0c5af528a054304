#include "frontend/byte_stream.h"

#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <utility>

namespace activestore::frontend {

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;

awaitable<void> ByteStream::Await(TlsStep step, boost::system::error_code& ec) {
  auto wait =
      step == TlsStep::kWantWrite ? asio::socket_base::wait_write : asio::socket_base::wait_read;
  co_await socket_->async_wait(wait, asio::redirect_error(use_awaitable, ec));
}

awaitable<bool> ByteStream::StartTls(std::shared_ptr<const TlsContext> context, std::string* why) {
  boost::system::error_code ec;
  socket_->non_blocking(true, ec);
  if (ec) {
    *why = ec.message();
    co_return false;
  }
  auto tls = std::make_unique<TlsChannel>(std::move(context), socket_->native_handle());
  while (true) {
    TlsStep step = tls->Handshake();
    if (step == TlsStep::kDone) break;
    if (step != TlsStep::kWantRead && step != TlsStep::kWantWrite) {
      *why = tls->error();
      co_return false;
    }
    co_await Await(step, ec);
    if (ec) {
      *why = ec == asio::error::operation_aborted ? "cancelled" : ec.message();
      co_return false;
    }
  }
  tls_ = std::move(tls);
  co_return true;
}

awaitable<size_t> ByteStream::ReadSome(char* buf, size_t n, boost::system::error_code& ec) {
  ec = {};
  if (!tls_) {
    co_return co_await socket_->async_read_some(asio::buffer(buf, n),
                                                asio::redirect_error(use_awaitable, ec));
  }
  while (true) {
    size_t got = 0;
    TlsStep step = tls_->Read(buf, n, &got);
    if (step == TlsStep::kDone) co_return got;
    if (step == TlsStep::kClosed) {
      ec = asio::error::eof;
      co_return 0;
    }
    if (step == TlsStep::kError) {
      ec = asio::error::connection_reset;
      co_return 0;
    }
    co_await Await(step, ec);
    if (ec) co_return 0;
  }
}

awaitable<void> ByteStream::Write(std::string_view data, boost::system::error_code& ec) {
  ec = {};
  if (!tls_) {
    co_await asio::async_write(*socket_, asio::buffer(data.data(), data.size()),
                               asio::redirect_error(use_awaitable, ec));
    co_return;
  }
  size_t done = 0;
  while (done < data.size()) {
    size_t put = 0;
    TlsStep step = tls_->Write(data.data() + done, data.size() - done, &put);
    if (step == TlsStep::kDone) {
      done += put;
      continue;
    }
    if (step != TlsStep::kWantRead && step != TlsStep::kWantWrite) {
      ec = asio::error::connection_reset;
      co_return;
    }
    co_await Await(step, ec);
    if (ec) co_return;
  }
}

size_t ByteStream::WriteNow(const char* data, size_t n) {
  size_t done = 0;
  while (done < n) {
    if (tls_) {
      size_t put = 0;
      if (tls_->Write(data + done, n - done, &put) != TlsStep::kDone) break;
      done += put;
      continue;
    }
    ssize_t sent = ::send(native_handle(), data + done, n - done, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) break;
    done += static_cast<size_t>(sent);
  }
  return done;
}

size_t ByteStream::ReadNow(char* buf, size_t n) {
  if (tls_) {
    size_t got = 0;
    return tls_->Read(buf, n, &got) == TlsStep::kDone ? got : 0;
  }
  ssize_t got = ::recv(native_handle(), buf, n, MSG_DONTWAIT);
  return got > 0 ? static_cast<size_t>(got) : 0;
}

bool ByteStream::Detach() {
  if (tls_ || detached_fd_ >= 0 || !socket_->is_open()) return false;
  boost::system::error_code ec;
  if (!protocol_known_) {
    boost::asio::ip::tcp::endpoint local = socket_->local_endpoint(ec);
    if (ec) return false;
    protocol_ = local.protocol();
    protocol_known_ = true;
  }
  int fd = socket_->release(ec);
  if (ec || fd < 0) return false;
  detached_fd_ = fd;
  return true;
}

void ByteStream::Attach() {
  if (detached_fd_ < 0) return;
  int fd = std::exchange(detached_fd_, -1);
  boost::system::error_code ec;
  socket_->assign(protocol_, fd, ec);
  if (ec) ::close(fd);  // the socket stays closed: the next read fails, the connection ends
}

void ByteStream::Close() {
  if (tls_) tls_->Close();
}

}  // namespace activestore::frontend
