// A session's side of LISTEN/NOTIFY (PostgreSQL's async.c, per backend): what its open
// transaction asked for, applied only if it commits, the channels it listens on, and its
// registration as a listener of the node's NotificationQueue.
//
// NOTIFY and pg_notify() collect (channel, payload) pairs, a pair already collected in the
// transaction being folded into the first; LISTEN / UNLISTEN / UNLISTEN * collect actions,
// applied in order at commit (pg_listening_channels() shows only committed ones). A savepoint
// marks both lists; ROLLBACK TO drops what came after its mark; a rollback drops everything.
// Commit() runs the storage commit between the queue's checks and its Append() (see
// notification_queue.h), so notifications go out only when the transaction commits, in commit
// order. The session registers as a listener when its first LISTEN commits and unregisters
// when it listens on nothing (UNLISTEN) or ends.
//
// Thread safety: used by one thread at a time, as its Session. The waker is called by the
// queue from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "executor/engine.h"
#include "executor/notification_queue.h"

namespace activestore::executor {

class SessionNotifications {
 public:
  SessionNotifications(NotificationQueue* queue, uint32_t database);
  ~SessionNotifications();  // unregisters
  SessionNotifications(const SessionNotifications&) = delete;
  SessionNotifications& operator=(const SessionNotifications&) = delete;

  void set_pid(int32_t pid) { pid_ = pid; }
  // See Session::SetNotificationWaker. REQUIRES: before the first LISTEN commits.
  void SetWaker(std::function<void()> wake) { wake_ = std::move(wake); }

  // NOTIFY / pg_notify(): 22023 `channel name cannot be empty`, `channel name too long` (64
  // bytes or more), `payload string too long` (8000 bytes or more).
  void Notify(const std::string& channel, const std::string& payload);
  void Listen(const std::string& channel);
  void Unlisten(const std::string& channel);
  void UnlistenAll();
  // The open transaction did LISTEN, UNLISTEN or NOTIFY.
  bool HasPending() const { return !notifies_.empty() || !actions_.empty(); }

  struct Mark {
    size_t notifies = 0;
    size_t actions = 0;
  };
  Mark Savepoint() const { return Mark{notifies_.size(), actions_.size()}; }
  void RollbackTo(const Mark& mark);

  // Commits the transaction: runs `storage_commit` and, if it succeeds, applies the LISTEN /
  // UNLISTEN actions and queues the notifications, in commit order with every other notifying
  // transaction of the node. Throws 54000 `too many notifications in the NOTIFY queue` before
  // `storage_commit` if the queue cannot take them, and whatever `storage_commit` throws;
  // the pending work is dropped either way. A WARNING for a queue half full or more goes to
  // *warnings (PostgreSQL's, at most every 5 seconds).
  void Commit(const std::function<void()>& storage_commit, std::vector<Notice>* warnings);
  // The transaction rolled back: drops its pending work.
  void Abort();

  // pg_listening_channels(): the committed channels, in the order they were first listened on.
  const std::vector<std::string>& channels() const { return channels_; }
  // pg_notification_queue_usage().
  double QueueUsage() const { return queue_->Usage(); }
  // The notifications for this session's channels committed since it last took them (see
  // NotificationQueue::Read). REQUIRES: no transaction open.
  std::vector<Notification> Take(size_t max_bytes, bool* more);

 private:
  enum class Action { kListen, kUnlisten, kUnlistenAll };

  NotificationQueue* queue_;
  uint32_t database_;
  int32_t pid_ = 0;
  std::function<void()> wake_;
  std::optional<NotificationQueue::ListenerId> listener_;
  std::vector<std::string> channels_;
  std::unordered_set<std::string> channel_set_;  // channels_, for look-ups while reading
  // The open transaction's work.
  std::vector<std::pair<std::string, std::string>> notifies_;
  std::set<std::pair<std::string, std::string>> notify_set_;  // notifies_, to fold duplicates
  std::vector<std::pair<Action, std::string>> actions_;
};

}  // namespace activestore::executor
