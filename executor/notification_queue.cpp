#include "executor/notification_queue.h"

#include <algorithm>

#include "common/error.h"

namespace activestore::executor {

NotificationQueue::NotificationQueue(size_t max_bytes) : max_bytes_(max_bytes) {}

void NotificationQueue::CheckSpace(size_t bytes) const {
  std::lock_guard lock(mu_);
  if (bytes_ + bytes > max_bytes_) {
    Throw(SqlState::kProgramLimitExceeded, "too many notifications in the NOTIFY queue");
  }
}

void NotificationQueue::Append(
    uint32_t database, int32_t pid,
    const std::vector<std::pair<std::string, std::string>>& notifications) {
  if (notifications.empty()) return;
  std::lock_guard lock(mu_);
  const uint64_t old_head = first_ + entries_.size();
  for (const auto& [channel, payload] : notifications) {
    bytes_ += EntryBytes(channel, payload);
    entries_.push_back(Entry{database, pid, channel, payload});
  }
  const uint64_t head = first_ + entries_.size();
  for (auto& [id, l] : listeners_) {
    if (l.database == database) {
      l.wake();
    } else if (l.position == old_head) {
      l.position = head;  // nothing of its own to read: do not hold the queue for it
    }
  }
  Trim();
}

NotificationQueue::ListenerId NotificationQueue::Register(uint32_t database,
                                                          std::function<void()> wake) {
  std::lock_guard lock(mu_);
  ListenerId id = next_id_++;
  listeners_.emplace(id, Listener{database, first_ + entries_.size(), 0, std::move(wake)});
  return id;
}

void NotificationQueue::Unregister(ListenerId id) {
  std::lock_guard lock(mu_);
  listeners_.erase(id);
  Trim();
}

void NotificationQueue::SetListenerPid(ListenerId id, int32_t pid) {
  std::lock_guard lock(mu_);
  auto it = listeners_.find(id);
  if (it != listeners_.end()) it->second.pid = pid;
}

std::vector<Notification> NotificationQueue::Read(
    ListenerId id, const std::function<bool(const std::string&)>& listening, size_t max_bytes,
    bool* more) {
  std::vector<Notification> out;
  *more = false;
  std::lock_guard lock(mu_);
  auto it = listeners_.find(id);
  if (it == listeners_.end()) return out;
  Listener& l = it->second;
  const uint64_t head = first_ + entries_.size();
  size_t taken = 0;
  uint64_t pos = l.position;
  for (; pos < head; ++pos) {
    if (taken >= max_bytes) {
      *more = true;
      break;
    }
    const Entry& e = entries_[pos - first_];
    if (e.database != l.database || !listening(e.channel)) continue;
    out.push_back(Notification{e.pid, e.channel, e.payload});
    taken += e.channel.size() + e.payload.size();
  }
  bool was_oldest = l.position == first_;
  l.position = pos;
  if (was_oldest) Trim();
  return out;
}

void NotificationQueue::Trim() {
  uint64_t head = first_ + entries_.size();
  uint64_t keep = head;
  for (const auto& [id, l] : listeners_) keep = std::min(keep, l.position);
  while (first_ < keep) {
    const Entry& e = entries_.front();
    bytes_ -= EntryBytes(e.channel, e.payload);
    entries_.pop_front();
    ++first_;
  }
}

double NotificationQueue::Usage() const {
  std::lock_guard lock(mu_);
  return max_bytes_ == 0 ? 0.0 : static_cast<double>(bytes_) / static_cast<double>(max_bytes_);
}

bool NotificationQueue::FillWarning(double* fill, int32_t* pid) {
  std::lock_guard lock(mu_);
  *fill = max_bytes_ == 0 ? 0.0 : static_cast<double>(bytes_) / static_cast<double>(max_bytes_);
  if (*fill < 0.5) return false;
  auto now = std::chrono::steady_clock::now();
  if (last_fill_warning_ != std::chrono::steady_clock::time_point{} &&
      now - last_fill_warning_ < std::chrono::seconds(5)) {
    return false;
  }
  last_fill_warning_ = now;
  const Listener* oldest = nullptr;
  for (const auto& [id, l] : listeners_) {
    if (oldest == nullptr || l.position < oldest->position) oldest = &l;
  }
  *pid = oldest == nullptr ? 0 : oldest->pid;
  return true;
}

size_t NotificationQueue::entries() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

size_t NotificationQueue::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

}  // namespace activestore::executor
