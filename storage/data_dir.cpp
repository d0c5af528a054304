#include "storage/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"

namespace activestore::storage {
namespace fs = std::filesystem;
namespace {

constexpr char kLockFile[] = "activestore.lock";
constexpr char kVersionFile[] = "ACTIVESTORE_VERSION";

[[noreturn]] void ThrowIo(const std::string& what, const std::string& path, int err) {
  Throw(SqlState::kIoError, "could not {} \"{}\": {}", what, path, std::strerror(err));
}

std::string ReadSmallFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFileSynced(const std::string& path, const std::string& content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) ThrowIo("create file", path, errno);
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
            ::fsync(fd) == 0;
  int err = errno;
  ::close(fd);
  if (!ok) ThrowIo("write file", path, err);
}

}  // namespace

std::unique_ptr<DataDir> DataDir::Open(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) ThrowIo("create directory", dir, ec.value());

  const std::string version_path = dir + "/" + kVersionFile;
  const bool has_version = fs::exists(version_path);
  const bool has_wt = fs::exists(dir + "/wt/WiredTiger");
  bool empty = true;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().filename() != kLockFile) empty = false;
  }
  if (ec) ThrowIo("read directory", dir, ec.value());
  if (!has_version && !has_wt && !empty) {
    Throw(SqlState::kObjectNotInPrerequisiteState,
          "data directory \"{}\" is not empty and is not an activestore data directory", dir);
  }

  const std::string lock_path = dir + "/" + kLockFile;
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) ThrowIo("open file", lock_path, errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err != EWOULDBLOCK) ThrowIo("lock file", lock_path, err);
    std::string pid = ReadSmallFile(lock_path);
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    Throw(SqlState::kObjectInUse,
          "data directory \"{}\" is in use by another activestore process (pid {})", dir,
          pid.empty() ? "unknown" : pid);
  }
  std::unique_ptr<DataDir> guard(new DataDir(dir, fd));  // releases the lock on a throw below
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    ThrowIo("write file", lock_path, errno);
  }

  if (has_version) {
    std::string text = ReadSmallFile(version_path);
    int format = -1;
    std::istringstream in(text);
    std::string word;
    if (!(in >> word >> format) || word != "format") format = -1;
    if (format != kDataFormatVersion) {
      std::string shown = format < 0 ? "unknown" : std::to_string(format);
      Throw(SqlState::kObjectNotInPrerequisiteState,
            "data directory \"{}\" was written by an incompatible version (format {}, this server "
            "reads format {})",
            dir, shown, kDataFormatVersion);
    }
  } else {
    WriteFileSynced(version_path, "format " + std::to_string(kDataFormatVersion) + "\n");
  }
  fs::create_directories(guard->wt_path(), ec);
  if (ec) ThrowIo("create directory", guard->wt_path(), ec.value());
  return guard;
}

DataDir::~DataDir() { ::close(lock_fd_); }

}  // namespace activestore::storage
