// Test helpers for storage tests: temporary directories and small engine configurations.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

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
