#include "frontend/cancel_registry.h"

#include <unistd.h>

namespace activestore::frontend {

CancelRegistry::CancelRegistry() : rng_(std::random_device{}()) {
  // Start from a value derived from the OS pid so ids differ between runs and look like pids.
  next_pid_ = static_cast<int32_t>(getpid() % 100000) * 1000 + 1;
}

CancelRegistry::Key CancelRegistry::Register(executor::Session* session) {
  std::lock_guard lock(mu_);
  Key key;
  do {
    key.pid = next_pid_;
    next_pid_ = next_pid_ >= 0x7ffffff0 ? 1 : next_pid_ + 1;
  } while (entries_.count(key.pid) != 0);
  key.secret = static_cast<int32_t>(rng_());
  entries_[key.pid] = Entry{key.secret, session};
  return key;
}

void CancelRegistry::Unregister(int32_t pid) {
  std::lock_guard lock(mu_);
  entries_.erase(pid);
}

bool CancelRegistry::Cancel(int32_t pid, int32_t secret) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(pid);
  if (it == entries_.end() || it->second.secret != secret) return false;
  it->second.session->Cancel();
  return true;
}

}  // namespace activestore::frontend
