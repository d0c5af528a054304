// The audit log (issue 9): one JSON object per line for every privileged operation: role and
// privilege changes, DDL, logins and failed logins, COPY to or from server files, and
// superuser-only actions. Written by the executor's sessions (statements) and the frontend
// (logins); docs/design/2026-12-06-encryption-at-rest.md, "Audit log".
//
// The file is opened with O_APPEND and never truncated or rewritten by the server: each event
// is one write(2) of a whole line. When a write would take the file past `max_bytes`, the file
// is renamed to <name>.<UTC time stamp> and a new one begun; old files are left for the
// operator to archive (the server never deletes one).
//
// Thread safety: Write is thread-safe (one mutex; one write(2) per event).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/error.h"

namespace activestore {

struct AuditEvent {
  std::string kind;            // login, login_failed, role, ddl, copy, superuser
  std::string role;            // the current role (after SET ROLE), the user for logins
  std::string session_user;    // the authenticated user
  std::string client_address;  // "127.0.0.1:54321"; empty for internal sessions
  std::string database;
  std::string statement;  // the statement's text; empty for logins
  std::string command;    // the command tag ("CREATE TABLE", "GRANT"), or the method for logins
  std::string sqlstate;   // "00000" when it succeeded
  std::string message;    // the error's message when it failed
};

class AuditLog {
 public:
  // Opens (creating, mode 0600) `path` for appending. 58030 when it cannot be opened.
  static Result<std::shared_ptr<AuditLog>> Open(const std::string& path, uint64_t max_bytes);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends the event as one JSON line with the time ("ts", UTC, microseconds) first. A failed
  // write is reported to the server log once per failure streak, never to the client.
  void Write(const AuditEvent& event);

  // The JSON line for `event` (with its newline), for tests.
  static std::string Format(const AuditEvent& event, const std::string& ts);

 private:
  AuditLog(std::string path, uint64_t max_bytes, int fd, uint64_t size)
      : path_(std::move(path)), max_bytes_(max_bytes), fd_(fd), size_(size) {}
  void RotateLocked();

  const std::string path_;
  const uint64_t max_bytes_;
  std::mutex mu_;
  int fd_;                // GUARDED_BY(mu_)
  uint64_t size_;         // GUARDED_BY(mu_)
  bool failing_ = false;  // GUARDED_BY(mu_)
};

}  // namespace activestore
