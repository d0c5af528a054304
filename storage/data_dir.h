// The data directory guard: creates the directory, holds an exclusive lock on it for the life
// of the process's engine, and checks the on-disk format version.
//
// Layout: <dir>/activestore.lock (flock'ed, holds the owner's pid), <dir>/ACTIVESTORE_VERSION
// ("format 1"), <dir>/wt/ (WiredTiger's files).
//
// Thread safety: immutable after Open.
#pragma once

#include <memory>
#include <string>

namespace activestore::storage {

inline constexpr int kDataFormatVersion = 1;

class DataDir {
 public:
  // Creates `dir` if missing and locks it. Throws Error:
  //   55006 `data directory "d" is in use by another activestore process (pid N)`;
  //   55000 `data directory "d" was written by an incompatible version (format X, this server
  //          reads format 1)`;
  //   55000 `data directory "d" is not empty and is not an activestore data directory`;
  //   58030 on I/O failures.
  static std::unique_ptr<DataDir> Open(const std::string& dir);
  ~DataDir();  // releases the lock
  DataDir(const DataDir&) = delete;
  DataDir& operator=(const DataDir&) = delete;

  const std::string& path() const { return path_; }
  // Where WiredTiger keeps its files (created by Open).
  std::string wt_path() const { return path_ + "/wt"; }

 private:
  DataDir(std::string path, int fd) : path_(std::move(path)), lock_fd_(fd) {}
  std::string path_;
  int lock_fd_;
};

}  // namespace activestore::storage
