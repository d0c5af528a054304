// What connection.cpp and the files that implement other parts of Connection (replication.cpp)
// share: the quiet end of a connection, FATAL errors, and Connection::Offload.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <optional>
#include <type_traits>

#include "common/error.h"
#include "frontend/connection.h"

namespace activestore::frontend {

// The peer closed the connection or the socket failed: end quietly (Connection::Run).
struct ConnectionClosed {};

inline Error Fatal(Error e) {
  e.severity = Severity::kFatal;
  return e;
}

inline Error Fatal(SqlState state, std::string message) {
  return Fatal(Error(state, std::move(message)));
}

// Runs `f` on a worker; returns what it threw, as an Error. A std::exception is a bug below: it
// fails the statement (XX000), not the connection or the server.
template <typename F>
std::exception_ptr CaptureError(F&& f) {
  try {
    f();
  } catch (const Error&) {
    return std::current_exception();
  } catch (const std::exception& e) {
    return std::make_exception_ptr(Error(SqlState::kInternalError, e.what()));
  } catch (...) {
    return std::make_exception_ptr(Error(SqlState::kInternalError, "unknown error"));
  }
  return nullptr;
}

template <typename F>
boost::asio::awaitable<std::invoke_result_t<F&>> Connection::Offload(F f) {
  using R = std::invoke_result_t<F&>;
  using Slot = std::conditional_t<std::is_void_v<R>, bool, std::optional<R>>;
  Slot result{};
  std::exception_ptr error;
  co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void()>(
      [this, &f, &result, &error](auto handler) {
        // WorkerPool takes copyable tasks; the completion handler is move-only.
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        ctx_.workers->Post([&f, &result, &error, h]() mutable {
          auto handler = std::move(*h);
          error = CaptureError([&] {
            if constexpr (std::is_void_v<R>) {
              f();
            } else {
              result.emplace(f());
            }
          });
          auto ex = boost::asio::get_associated_executor(handler);
          boost::asio::post(ex, [handler = std::move(handler)]() mutable { std::move(handler)(); });
        });
      },
      boost::asio::use_awaitable);
  // A termination request wins over the statement's own outcome (typically 57014).
  CheckTerminating();
  if (error) std::rethrow_exception(error);
  if constexpr (!std::is_void_v<R>) co_return std::move(*result);
}

}  // namespace activestore::frontend
