// The byte stream under a Connection: the TCP socket as it is, or TLS over it once the client's
// SSLRequest was answered `S` and the handshake done. Every byte the protocol reads or writes
// (start-up, queries, COPY, notifications, errors) goes through here, so the message code does
// not know which it is.
//
// Two ways in: awaitable calls for the connection's io thread (ReadSome, Write, Handshake), and
// non-blocking calls for the worker that runs a batch while the io thread waits for it
// (ReadNow, WriteNow, StartRead). Over TLS a call that needs the socket waits for its readiness
// (async_wait) and retries; socket.cancel() ends such a wait with operation_aborted, exactly as
// it ends a plain read.
//
// Thread safety: used by one thread at a time (see Connection's invariants).
#pragma once

// clang-format off
#include <utility>  // before Boost.Asio: awaitable.hpp uses std::exchange
// clang-format on

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "frontend/tls.h"

namespace activestore::frontend {

class ByteStream {
 public:
  // `socket` is not owned and outlives this.
  explicit ByteStream(boost::asio::ip::tcp::socket* socket) : socket_(socket) {}

  // The TLS handshake as the server, with `context`. On success every later call is
  // encrypted. False with *why set: the handshake failed (a garbled or cut-short handshake,
  // a client certificate that does not verify) or was cancelled; the connection must end.
  boost::asio::awaitable<bool> StartTls(std::shared_ptr<const TlsContext> context,
                                        std::string* why);
  // The TLS session, null before StartTls succeeded.
  const TlsChannel* tls() const { return tls_.get(); }

  // Reads some bytes (at least one, unless an error). Errors: operation_aborted after a
  // cancel, eof or another code when the peer went away or TLS failed.
  boost::asio::awaitable<size_t> ReadSome(char* buf, size_t n, boost::system::error_code& ec);
  // Writes all of `data`.
  boost::asio::awaitable<void> Write(std::string_view data, boost::system::error_code& ec);

  // On a worker: writes as much of `data` as goes without waiting; returns how much.
  size_t WriteNow(const char* data, size_t n);
  // On a worker: reads what is there without waiting; 0 when nothing (or an error, which the
  // next ReadSome reports).
  size_t ReadNow(char* buf, size_t n);
  // On a worker, over plain TCP: takes the socket out of its io thread's epoll set while the
  // worker serves the connection. Asio keeps an open socket registered (edge-triggered) even
  // with no operation pending, so every message the worker reads itself (PollNext) would also
  // wake the io thread for nothing. ReadNow, WriteNow and native_handle() keep working; nothing
  // else may be called until Attach(). False (and nothing done) over TLS or when not open.
  bool Detach();
  // Registers a detached socket again, before any other call. If that fails the socket is
  // closed, so that the next read reports the connection gone.
  void Attach();
  // The socket's descriptor, also while detached.
  int native_handle() { return detached_fd_ >= 0 ? detached_fd_ : socket_->native_handle(); }
  // Bytes may be read without the socket being readable (TLS records buffered).
  bool HasBuffered() const { return tls_ && tls_->HasBuffered(); }

  // Starts a read into `buf` that completes on the socket's executor with `handler(ec, got)`.
  // Over TLS it waits only for readability and completes with got == 0 (ReadSome then
  // reads), at once when records are already buffered.
  template <typename Handler>
  void StartRead(char* buf, size_t n, Handler handler) {
    if (!tls_) {
      socket_->async_read_some(boost::asio::buffer(buf, n), std::move(handler));
      return;
    }
    if (tls_->HasBuffered()) {
      boost::asio::post(socket_->get_executor(), [handler = std::move(handler)]() mutable {
        std::move(handler)(boost::system::error_code(), size_t{0});
      });
      return;
    }
    socket_->async_wait(
        boost::asio::socket_base::wait_read,
        [handler = std::move(handler)](const boost::system::error_code& ec) mutable {
          std::move(handler)(ec, size_t{0});
        });
  }

  // Ends the TLS session (close_notify) without waiting; nothing for a plain socket.
  void Close();

 private:
  // Waits for what the TLS step asks for.
  boost::asio::awaitable<void> Await(TlsStep step, boost::system::error_code& ec);

  boost::asio::ip::tcp::socket* socket_;
  std::unique_ptr<TlsChannel> tls_;
  int detached_fd_ = -1;  // the socket's descriptor between Detach and Attach
  boost::asio::ip::tcp protocol_ = boost::asio::ip::tcp::v4();  // for Attach
  bool protocol_known_ = false;
};

}  // namespace activestore::frontend
