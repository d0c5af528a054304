#include "executor/activity.h"

#include <cstdlib>

#include "executor/engine.h"

namespace activestore::executor {

const char* BackendStateName(BackendState s) {
  switch (s) {
    case BackendState::kIdle:
      return "idle";
    case BackendState::kActive:
      return "active";
    case BackendState::kIdleInTransaction:
      return "idle in transaction";
    case BackendState::kIdleInTransactionAborted:
      return "idle in transaction (aborted)";
  }
  return "idle";
}

void BackendActivity::SetClient(std::string_view address) {
  std::string addr;
  int32_t port = -1;
  size_t colon = address.rfind(':');
  if (colon != std::string_view::npos) {
    addr = std::string(address.substr(0, colon));
    port = std::atoi(std::string(address.substr(colon + 1)).c_str());
  }
  std::lock_guard lock(mu_);
  client_addr_ = std::move(addr);
  client_port_ = port;
}

void BackendActivity::SetApplicationName(std::string name) {
  std::lock_guard lock(mu_);
  application_name_ = std::move(name);
}

void BackendActivity::StatementStarted(std::string_view query, int64_t now_us) {
  std::lock_guard lock(mu_);
  if (state_ == BackendState::kActive) {
    active_us_ += now_us - state_change_us_;
  } else if (state_ != BackendState::kIdle) {
    idle_in_xact_us_ += now_us - state_change_us_;
  }
  state_ = BackendState::kActive;
  if (!in_transaction_) {
    in_transaction_ = true;
    xact_start_us_ = now_us;
  }
  query_start_us_ = now_us;
  state_change_us_ = now_us;
  if (query_ != query) query_.assign(query.data(), query.size());
}

void BackendActivity::Ready(BackendState state, int64_t now_us) {
  std::lock_guard lock(mu_);
  if (state_ == BackendState::kActive) {
    active_us_ += now_us - state_change_us_;
  } else if (state_ != BackendState::kIdle) {
    idle_in_xact_us_ += now_us - state_change_us_;
  }
  state_ = state;
  state_change_us_ = now_us;
  in_transaction_ = state != BackendState::kIdle;
  if (!in_transaction_) xact_start_us_ = 0;
}

BackendActivityRow BackendActivity::Read() const {
  BackendActivityRow r;
  r.pid = pid_;
  r.database = database_;
  r.user = user_;
  r.backend_start_us = backend_start_us_;
  std::lock_guard lock(mu_);
  r.application_name = application_name_;
  r.client_addr = client_addr_;
  r.client_port = client_port_;
  r.xact_start_us = xact_start_us_;
  r.query_start_us = query_start_us_;
  r.state_change_us = state_change_us_;
  r.state = state_;
  r.query = query_;
  return r;
}

void BackendActivity::AddTo(DatabaseActivity* db, int64_t now_us) const {
  db->xact_commit += xact_commit_.load(std::memory_order_relaxed);
  db->xact_rollback += xact_rollback_.load(std::memory_order_relaxed);
  db->deadlocks += deadlocks_.load(std::memory_order_relaxed);
  std::lock_guard lock(mu_);
  int64_t active = active_us_, idle_in_xact = idle_in_xact_us_;
  if (state_ == BackendState::kActive) {
    active += now_us - state_change_us_;
  } else if (state_ != BackendState::kIdle) {
    idle_in_xact += now_us - state_change_us_;
  }
  db->session_time_ms += static_cast<double>(now_us - backend_start_us_) / 1000.0;
  db->active_time_ms += static_cast<double>(active) / 1000.0;
  db->idle_in_transaction_time_ms += static_cast<double>(idle_in_xact) / 1000.0;
}

void ActivityRegistry::Register(std::shared_ptr<BackendActivity> entry, Session* session,
                                std::function<void()> terminate) {
  std::lock_guard lock(mu_);
  ended_[entry->database()].sessions++;
  const int32_t pid = entry->pid();
  entries_[pid] = Entry{std::move(entry), session, std::move(terminate), false};
}

void ActivityRegistry::Unregister(int32_t pid, int64_t now_us) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(pid);
  if (it == entries_.end()) return;
  DatabaseActivity& db = ended_[it->second.activity->database()];
  it->second.activity->AddTo(&db, now_us);
  if (it->second.killed) db.sessions_killed++;
  entries_.erase(it);
}

std::vector<BackendActivityRow> ActivityRegistry::Sessions() const {
  std::vector<std::shared_ptr<BackendActivity>> live;
  {
    std::lock_guard lock(mu_);
    live.reserve(entries_.size());
    for (const auto& [pid, e] : entries_) live.push_back(e.activity);
  }
  std::vector<BackendActivityRow> out;
  out.reserve(live.size());
  for (const auto& a : live) out.push_back(a->Read());
  return out;
}

DatabaseActivity ActivityRegistry::Database(uint32_t database, int64_t now_us) const {
  DatabaseActivity out;
  std::lock_guard lock(mu_);
  if (auto it = ended_.find(database); it != ended_.end()) out = it->second;
  out.numbackends = 0;
  for (const auto& [pid, e] : entries_) {
    if (e.activity->database() != database) continue;
    out.numbackends++;
    e.activity->AddTo(&out, now_us);
  }
  return out;
}

bool ActivityRegistry::Exists(int32_t pid) const {
  std::lock_guard lock(mu_);
  return entries_.count(pid) != 0;
}

bool ActivityRegistry::Signal(int32_t pid, bool terminate,
                              const std::function<void(uint32_t user)>& check) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(pid);
  if (it == entries_.end()) return false;
  check(it->second.activity->user());
  if (terminate && it->second.terminate) {
    it->second.killed = true;
    it->second.terminate();
  } else {
    it->second.session->Cancel();  // (a session without a connection: its statement stops)
  }
  return true;
}

}  // namespace activestore::executor
