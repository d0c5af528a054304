// Interrupts while a statement is bound and planned: a cancel request (pg_cancel_backend, the
// protocol's CancelRequest) or statement_timeout stops a long bind or plan, as PostgreSQL's
// parser and planner stop at CHECK_FOR_INTERRUPTS. The session opens an InterruptScope around
// planning on its thread; the binder calls CheckInterrupts() at each SELECT and each FROM item.
// Outside a scope CheckInterrupts() does nothing (internal plans, tests).
//
// Thread safety: the scope is per thread; the cancel flag is read atomically.
#pragma once

#include <atomic>
#include <chrono>

namespace activestore::planner {

class InterruptScope {
 public:
  // `cancel` may be null; a default `deadline` is none.
  InterruptScope(const std::atomic<bool>* cancel, std::chrono::steady_clock::time_point deadline);
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  const std::atomic<bool>* saved_cancel_;
  std::chrono::steady_clock::time_point saved_deadline_;
};

// Throws 57014 ("canceling statement due to user request" or "... due to statement timeout",
// the executor's messages) when the innermost scope's flag is set or its deadline has passed.
void CheckInterrupts();

}  // namespace activestore::planner
