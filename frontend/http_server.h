// A minimal HTTP/1.1 server for the side port (/metrics, /health): GET and HEAD only, one
// request per connection (answered with `Connection: close`), request heads up to 8 KiB, read
// within 10 seconds. No TLS, no keep-alive, no request bodies: what Prometheus and load balancer
// health checks need, and nothing that could hold the io thread.
//
// Thread safety: Listen() and Start() are called by the controlling thread before the
// io_context runs; Close() must run on the io_context's thread (post it there). The handler is
// called on that thread and must not block for long.
#pragma once

// clang-format off
#include <utility>  // before Boost.Asio: awaitable.hpp uses std::exchange
// clang-format on

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"

namespace activestore::frontend {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

// Answers a GET (or HEAD) of `path` (without the query string).
using HttpHandler = std::function<HttpResponse(std::string_view path)>;

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, HttpHandler handler);
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens. Error 58030 (io_error) if the endpoint cannot be bound.
  Status Listen(const boost::asio::ip::tcp::endpoint& endpoint);
  // The bound port (after Listen()).
  uint16_t port() const { return port_; }
  // Starts accepting (on the io_context). REQUIRES: Listen() succeeded.
  void Start();
  // Stops accepting; requests in progress end when the io_context stops.
  void Close();

 private:
  boost::asio::awaitable<void> AcceptLoop();
  boost::asio::awaitable<void> Serve(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  HttpHandler handler_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
};

}  // namespace activestore::frontend
