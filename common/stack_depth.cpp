#include "common/stack_depth.h"

#include <pthread.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "common/error.h"

namespace activestore {

namespace {

// The lowest frame address this thread may reach; 0 = not yet measured, 1 = unknown (never
// trips).
thread_local uintptr_t t_stack_limit = 0;

uintptr_t MeasureStackLimit() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return 1;
  void* low = nullptr;
  size_t size = 0;
  const int rc = pthread_attr_getstack(&attr, &low, &size);
  pthread_attr_destroy(&attr);
  if (rc != 0 || low == nullptr || size == 0) return 1;
  const size_t reserve = std::max<size_t>(size / 4, 256 * 1024);
  if (reserve >= size) return 1;
  return reinterpret_cast<uintptr_t>(low) + reserve;  // stacks grow down
}

}  // namespace

void CheckStackDepth() {
  if (t_stack_limit == 0) t_stack_limit = MeasureStackLimit();
  // The frame address, not a local's: the sanitizers may keep locals on a separate stack.
  const auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  if (here < t_stack_limit) {
    throw std::move(Error(SqlState::kStatementTooComplex, "stack depth limit exceeded")
                        .Hint("The statement nests too deeply; simplify it."));
  }
}

}  // namespace activestore
