// The one error type of ActiveStore. It carries what a PostgreSQL ErrorResponse carries.
//
// Thrown (as `Error`) inside parser, planner and executor; caught only in the session loop
// (frontend/), which turns it into an ErrorResponse. Returned inside `Result<T>` where the
// caller decides (storage, cluster, pgwire).
#pragma once

#include <fmt/format.h>

#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "common/sqlstate.h"

namespace activestore {

enum class Severity { kError, kFatal, kPanic, kWarning, kNotice };

class Error : public std::exception {
 public:
  Error(SqlState state, std::string message) : state_(state), message_(std::move(message)) {}

  SqlState state() const { return state_; }
  const std::string& message() const { return message_; }
  const char* what() const noexcept override { return message_.c_str(); }

  // Optional ErrorResponse fields; setters return *this for chaining.
  Error& Detail(std::string d) {
    detail = std::move(d);
    return *this;
  }
  Error& Hint(std::string h) {
    hint = std::move(h);
    return *this;
  }
  Error& Position(int p) {
    position = p;
    return *this;
  }

  Severity severity = Severity::kError;
  std::optional<std::string> detail;
  std::optional<std::string> hint;
  std::optional<int> position;  // 1-based character offset into the statement text
  std::optional<std::string> context;  // where it happened (`COPY t, line 3, column b: "x"`)
  std::optional<std::string> schema, table, column, constraint;
  bool retryable = false;  // serialization failures (40001) and the like

 private:
  SqlState state_;
  std::string message_;
};

// Throws an Error with a fmt-formatted message.
template <typename... Args>
[[noreturn]] void Throw(SqlState state, fmt::format_string<Args...> f, Args&&... args) {
  throw Error(state, fmt::format(f, std::forward<Args>(args)...));
}

// A value or an Error. Use where failure is expected and the caller decides.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & {
    if (!ok()) throw std::get<1>(v_);
    return std::get<0>(v_);
  }
  T&& value() && {
    if (!ok()) throw std::get<1>(v_);
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  T* operator->() { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : e_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  static Status Ok() { return Status(); }
  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *e_; }
  // Throws the error, if any. For code that runs under the session's catch.
  void ThrowIfError() const {
    if (e_) throw *e_;
  }

 private:
  std::optional<Error> e_;
};

}  // namespace activestore
