#include "planner/interrupts.h"

#include "common/error.h"

namespace activestore::planner {

namespace {
thread_local const std::atomic<bool>* t_cancel = nullptr;
thread_local std::chrono::steady_clock::time_point t_deadline{};
}  // namespace

InterruptScope::InterruptScope(const std::atomic<bool>* cancel,
                               std::chrono::steady_clock::time_point deadline)
    : saved_cancel_(t_cancel), saved_deadline_(t_deadline) {
  t_cancel = cancel;
  t_deadline = deadline;
}

InterruptScope::~InterruptScope() {
  t_cancel = saved_cancel_;
  t_deadline = saved_deadline_;
}

void CheckInterrupts() {
  if (t_cancel != nullptr && t_cancel->load(std::memory_order_relaxed)) {
    Throw(SqlState::kQueryCanceled, "canceling statement due to user request");
  }
  if (t_deadline != std::chrono::steady_clock::time_point{} &&
      std::chrono::steady_clock::now() >= t_deadline) {
    Throw(SqlState::kQueryCanceled, "canceling statement due to statement timeout");
  }
}

}  // namespace activestore::planner
