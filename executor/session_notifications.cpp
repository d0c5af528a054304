#include "executor/session_notifications.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"

namespace activestore::executor {

SessionNotifications::SessionNotifications(NotificationQueue* queue, uint32_t database)
    : queue_(queue), database_(database) {}

SessionNotifications::~SessionNotifications() {
  if (listener_) queue_->Unregister(*listener_);
}

void SessionNotifications::Notify(const std::string& channel, const std::string& payload) {
  if (channel.empty()) Throw(SqlState::kInvalidParameterValue, "channel name cannot be empty");
  if (channel.size() > NotificationQueue::kMaxChannelBytes) {
    Throw(SqlState::kInvalidParameterValue, "channel name too long");
  }
  if (payload.size() > NotificationQueue::kMaxPayloadBytes) {
    Throw(SqlState::kInvalidParameterValue, "payload string too long");
  }
  if (!notify_set_.emplace(channel, payload).second) return;
  notifies_.emplace_back(channel, payload);
}

void SessionNotifications::Listen(const std::string& channel) {
  actions_.emplace_back(Action::kListen, channel);
}

void SessionNotifications::Unlisten(const std::string& channel) {
  actions_.emplace_back(Action::kUnlisten, channel);
}

void SessionNotifications::UnlistenAll() { actions_.emplace_back(Action::kUnlistenAll, ""); }

void SessionNotifications::RollbackTo(const Mark& mark) {
  while (notifies_.size() > mark.notifies) {
    notify_set_.erase(notifies_.back());
    notifies_.pop_back();
  }
  if (actions_.size() > mark.actions) actions_.resize(mark.actions);
}

void SessionNotifications::Abort() {
  notifies_.clear();
  notify_set_.clear();
  actions_.clear();
}

void SessionNotifications::Commit(const std::function<void()>& storage_commit,
                                  std::vector<Notice>* warnings) {
  if (!HasPending()) {
    storage_commit();
    return;
  }
  std::unique_lock<std::mutex> order;
  try {
    if (!notifies_.empty()) {
      order = queue_->LockCommitOrder();
      size_t bytes = 0;
      for (const auto& [channel, payload] : notifies_) {
        bytes += NotificationQueue::EntryBytes(channel, payload);
      }
      queue_->CheckSpace(bytes);
    }
    storage_commit();
  } catch (...) {
    Abort();
    throw;
  }
  // Committed. The channels first, and the registration before the notifications go in, so
  // that a session that listens hears its own.
  for (const auto& [action, channel] : actions_) {
    switch (action) {
      case Action::kListen:
        if (channel_set_.insert(channel).second) channels_.push_back(channel);
        break;
      case Action::kUnlisten:
        if (channel_set_.erase(channel) > 0) {
          channels_.erase(std::find(channels_.begin(), channels_.end(), channel));
        }
        break;
      case Action::kUnlistenAll:
        channel_set_.clear();
        channels_.clear();
        break;
    }
  }
  if (!channels_.empty() && !listener_) {
    listener_ = queue_->Register(
        database_, wake_ ? wake_ : [] {});
    queue_->SetListenerPid(*listener_, pid_);
  }
  queue_->Append(database_, pid_, notifies_);
  if (order.owns_lock()) order.unlock();
  if (channels_.empty() && listener_) {
    queue_->Unregister(*listener_);
    listener_.reset();
  }
  bool notified = !notifies_.empty();
  Abort();
  double fill = 0;
  int32_t oldest = 0;
  if (notified && warnings != nullptr && queue_->FillWarning(&fill, &oldest)) {
    Notice n{"WARNING", "01000", fmt::format("NOTIFY queue is {:.0f}% full", fill * 100)};
    if (oldest != 0) {
      n.detail = fmt::format(
          "The server process with PID {} is among those with the oldest transactions.", oldest);
      n.hint =
          "The NOTIFY queue cannot be emptied until that process ends its current transaction.";
    }
    warnings->push_back(std::move(n));
  }
}

std::vector<Notification> SessionNotifications::Take(size_t max_bytes, bool* more) {
  *more = false;
  if (!listener_) return {};
  return queue_->Read(
      *listener_, [this](const std::string& c) { return channel_set_.count(c) > 0; }, max_bytes,
      more);
}

}  // namespace activestore::executor
