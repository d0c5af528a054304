// Test helpers for storage tests: temporary directories and small engine configurations.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "common/error.h"
#include "storage/storage.h"

namespace activestore::storage::testing {

// A fresh directory under /tmp, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = "/tmp/as-storage-test-" + std::to_string(::getpid()) + "-" +
            std::to_string(counter.fetch_add(1));
    std::filesystem::remove_all(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// WiredTiger options small enough for tests.
inline StorageOptions SmallWtOptions(const std::string& dir) {
  StorageOptions o;
  o.engine = "wiredtiger";
  o.data_dir = dir;
  o.cache_size_mb = 64;
  o.log_file_max_mb = 1;
  o.log_prealloc = false;
  return o;
}

inline std::unique_ptr<Engine> OpenOrDie(const StorageOptions& o) {
  return Engine::Open(o).value();
}

// The SQLSTATE code that `f` throws, or "ok".
inline std::string SqlStateOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return std::string(SqlStateCode(e.state()));
  }
  return "ok";
}

// Runs `body` in a forked child and kills the child with SIGKILL as soon as `body` returns
// (the crash point), without any clean-up in the child. Returns false if the child died
// before reaching the end of `body`.
inline bool RunThenKill9(const std::function<void()>& body) {
  int fds[2];
  if (::pipe(fds) != 0) return false;
  pid_t child = ::fork();
  if (child < 0) return false;
  if (child == 0) {
    ::close(fds[0]);
    body();
    char reached = 1;
    if (::write(fds[1], &reached, 1) != 1) ::_exit(1);
    for (;;) ::pause();
  }
  ::close(fds[1]);
  char reached = 0;
  bool ok = ::read(fds[0], &reached, 1) == 1;
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(fds[0]);
  return ok;
}

// Type parameters for typed tests over both back ends.
struct WiredTigerBackend {
  static StorageOptions Options(const std::string& dir) { return SmallWtOptions(dir); }
};
struct MemoryBackend {
  static StorageOptions Options(const std::string& dir) {
    StorageOptions o;
    o.engine = "memory";
    o.data_dir = dir;
    return o;
  }
};

}  // namespace activestore::storage::testing
