#include "common/audit_log.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

namespace activestore {
namespace {

int OpenAppend(const std::string& path) {
  return ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
}

// UTC with microseconds: 2026-12-06T03:04:05.123456Z. `compact` drops the separators (file
// names).
std::string Timestamp(bool compact) {
  using namespace std::chrono;
  auto now = system_clock::now().time_since_epoch();
  std::time_t secs = duration_cast<seconds>(now).count();
  int micros = static_cast<int>(duration_cast<microseconds>(now).count() % 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return compact ? fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}.{:06}Z", tm.tm_year + 1900,
                               tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros)
                 : fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900,
                               tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
}

}  // namespace

Result<std::shared_ptr<AuditLog>> AuditLog::Open(const std::string& path, uint64_t max_bytes) {
  int fd = OpenAppend(path);
  struct stat st;
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    int err = errno;
    if (fd >= 0) ::close(fd);
    return Error(SqlState::kIoError,
                 fmt::format("could not open audit log \"{}\": {}", path, std::strerror(err)));
  }
  return std::shared_ptr<AuditLog>(
      new AuditLog(path, max_bytes, fd, static_cast<uint64_t>(st.st_size)));
}

AuditLog::~AuditLog() {
  if (fd_ >= 0) ::close(fd_);
}

std::string AuditLog::Format(const AuditEvent& e, const std::string& ts) {
  nlohmann::ordered_json j;
  j["ts"] = ts;
  j["kind"] = e.kind;
  j["role"] = e.role;
  j["session_user"] = e.session_user;
  j["client"] = e.client_address;
  j["database"] = e.database;
  j["command"] = e.command;
  j["statement"] = e.statement;
  j["sqlstate"] = e.sqlstate;
  j["outcome"] = e.sqlstate == "00000" ? "ok" : "error";
  if (!e.message.empty()) j["message"] = e.message;
  std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line.push_back('\n');
  return line;
}

void AuditLog::RotateLocked() {
  // Never onto an older file: two rotations in one microsecond get a counter.
  const std::string base = path_ + "." + Timestamp(true);
  std::string rotated = base;
  for (int n = 1; ::access(rotated.c_str(), F_OK) == 0; n++)
    rotated = fmt::format("{}-{}", base, n);
  if (::rename(path_.c_str(), rotated.c_str()) != 0) {
    spdlog::error("could not rotate audit log \"{}\": {}", path_, std::strerror(errno));
    return;  // keep appending to the current file
  }
  int fd = OpenAppend(path_);
  if (fd < 0) {
    spdlog::error("could not open audit log \"{}\": {}", path_, std::strerror(errno));
    return;  // the old descriptor still appends (to the renamed file)
  }
  ::close(fd_);
  fd_ = fd;
  size_ = 0;
}

void AuditLog::Write(const AuditEvent& event) {
  const std::string line = Format(event, Timestamp(false));
  std::lock_guard lock(mu_);
  if (max_bytes_ > 0 && size_ > 0 && size_ + line.size() > max_bytes_) RotateLocked();
  ssize_t n = ::write(fd_, line.data(), line.size());
  if (n != static_cast<ssize_t>(line.size())) {
    if (!failing_) {
      spdlog::error("could not write to audit log \"{}\": {}", path_,
                    n < 0 ? std::strerror(errno) : "short write");
    }
    failing_ = true;
    return;
  }
  failing_ = false;
  size_ += line.size();
}

}  // namespace activestore
