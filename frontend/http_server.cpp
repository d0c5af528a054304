#include "frontend/http_server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>

namespace activestore::frontend {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr size_t kMaxRequestHead = 8192;
constexpr std::chrono::seconds kRequestTimeout(10);

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

// The response to one request head (request line and headers, without the blank line).
HttpResponse Answer(std::string_view head, const HttpHandler& handler, bool* head_only) {
  std::string_view line = head.substr(0, head.find("\r\n"));
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || !line.substr(sp2 + 1).starts_with("HTTP/1.")) {
    return {400, "text/plain; charset=utf-8", "bad request\n"};
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (method != "GET" && method != "HEAD") {
    return {405, "text/plain; charset=utf-8", "only GET and HEAD are supported\n"};
  }
  *head_only = method == "HEAD";
  return handler(target.substr(0, target.find('?')));
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, HttpHandler handler)
    : io_(io), handler_(std::move(handler)), acceptor_(io) {}

Status HttpServer::Listen(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  auto fail = [&](const char* what) -> Status {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    return Error(SqlState::kIoError,
                 fmt::format("could not {} {}:{} for HTTP: {}", what,
                             endpoint.address().to_string(), endpoint.port(), ec.message()));
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return fail("create a socket for");
  acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  acceptor_.bind(endpoint, ec);
  if (ec) return fail("bind to");
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  port_ = acceptor_.local_endpoint().port();
  return Status::Ok();
}

void HttpServer::Start() { asio::co_spawn(io_, AcceptLoop(), asio::detached); }

void HttpServer::Close() {
  boost::system::error_code ec;
  acceptor_.close(ec);
}

asio::awaitable<void> HttpServer::AcceptLoop() {
  while (true) {
    tcp::socket socket(io_);
    boost::system::error_code ec;
    co_await acceptor_.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {
      spdlog::warn("HTTP accept failed: {}", ec.message());
      asio::steady_timer timer(io_, std::chrono::milliseconds(100));
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    asio::co_spawn(io_, Serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> HttpServer::Serve(tcp::socket accepted) {
  auto socket = std::make_shared<tcp::socket>(std::move(accepted));
  // A client that sends no complete head in time is disconnected: closing the socket ends the
  // read below with an error. (The timer's handler may run after this coroutine ended.)
  asio::steady_timer deadline(io_, kRequestTimeout);
  deadline.async_wait([weak = std::weak_ptr<tcp::socket>(socket)](boost::system::error_code ec) {
    if (auto s = weak.lock(); s && !ec) s->close(ec);
  });
  boost::system::error_code ec;
  asio::streambuf in(kMaxRequestHead);
  size_t n = co_await asio::async_read_until(*socket, in, "\r\n\r\n",
                                             asio::redirect_error(asio::use_awaitable, ec));
  HttpResponse response;
  bool head_only = false;
  if (ec == asio::error::not_found) {  // the head does not fit in kMaxRequestHead
    response = {400, "text/plain; charset=utf-8", "request header too large\n"};
  } else if (ec) {
    co_return;
  } else {
    std::string_view head(static_cast<const char*>(in.data().data()), n - 4);
    try {
      response = Answer(head, handler_, &head_only);
    } catch (const std::exception& e) {
      spdlog::error("HTTP request failed: {}", e.what());
      response = {500, "text/plain; charset=utf-8", "internal error\n"};
    }
  }
  std::string out = fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{}Connection: close\r\n\r\n",
      response.status, Reason(response.status), response.content_type, response.body.size(),
      response.status == 405 ? "Allow: GET, HEAD\r\n" : "");
  if (!head_only) out += response.body;
  co_await asio::async_write(*socket, asio::buffer(out),
                             asio::redirect_error(asio::use_awaitable, ec));
  socket->shutdown(tcp::socket::shutdown_both, ec);
  socket->close(ec);
}

}  // namespace activestore::frontend
