// Maps the (process id, secret key) pairs handed out in BackendKeyData to live sessions, so
// a CancelRequest arriving on another connection can cancel the running statement.
//
// Thread safety: all methods are thread-safe. A registered session must stay alive until
// Unregister() returns; Cancel() calls Session::Cancel() under the registry's lock.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <unordered_map>

#include "executor/engine.h"

namespace activestore::frontend {

class CancelRegistry {
 public:
  struct Key {
    int32_t pid = 0;
    int32_t secret = 0;
  };

  CancelRegistry();

  // Registers `session` under a new process-unique pid and a random secret.
  Key Register(executor::Session* session);
  void Unregister(int32_t pid);
  // Cancels the session registered under `pid` if `secret` matches. Returns whether it did;
  // a mismatch is ignored (as PostgreSQL does, without telling the requester).
  bool Cancel(int32_t pid, int32_t secret);

 private:
  struct Entry {
    int32_t secret;
    executor::Session* session;
  };
  std::mutex mu_;
  std::unordered_map<int32_t, Entry> entries_;  // guarded by mu_
  int32_t next_pid_;                            // guarded by mu_
  std::mt19937 rng_;                            // guarded by mu_
};

}  // namespace activestore::frontend
