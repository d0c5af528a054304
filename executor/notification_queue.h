// LISTEN/NOTIFY's queue, one per node (PostgreSQL's async.c queue, in memory): the
// notifications of committed transactions in commit order, kept until every listener has read
// past them.
//
// A listener is a session that listens on at least one channel. It has a position in the queue
// (the first notification it has not read); it is registered at the commit of its first LISTEN
// with the position of the queue's head, so it reads exactly what commits after that. A
// listener reads everything up to the head at once, keeping the notifications of its database
// whose channel it listens on *at read time* (as PostgreSQL filters while reading), and skips
// the rest. The queue keeps a notification while some listener's position is at or before it;
// with no listener the queue is empty. A listener of another database that has read everything
// is moved past a new notification at once, so that it never holds the queue back.
//
// Commit order: a transaction that notifies holds LockCommitOrder() from before its storage
// commit until Append() (as PostgreSQL takes a lock on the queue in PreCommit_Notify), so the
// queue's order is the order in which these transactions committed; CheckSpace() under the same
// lock refuses the commit (54000) when its notifications would not fit.
//
// Wake-ups: Append() calls the wake function of every listener of the notifying database (it
// may have something to read); the listener reads when it is ready (idle, not in a transaction).
//
// Thread safety: thread-safe. Wake functions are called with the queue's mutex held: they must
// be quick and must not call back into the queue.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "executor/engine.h"

namespace activestore::executor {

class NotificationQueue {
 public:
  using ListenerId = uint64_t;

  // PostgreSQL's limits: a channel name is shorter than NAMEDATALEN (64) bytes, a payload
  // shorter than 8000 bytes.
  static constexpr size_t kMaxChannelBytes = 63;
  static constexpr size_t kMaxPayloadBytes = 7999;
  // The bytes a notification takes in the queue, for the bound and the usage: its channel,
  // its payload and a fixed overhead.
  static size_t EntryBytes(const std::string& channel, const std::string& payload) {
    return channel.size() + payload.size() + 32;
  }

  // `max_bytes`: the queue's bound (the sum of EntryBytes of what it holds).
  explicit NotificationQueue(size_t max_bytes);
  NotificationQueue(const NotificationQueue&) = delete;
  NotificationQueue& operator=(const NotificationQueue&) = delete;

  // Serializes the commits of notifying transactions (see above). Hold it across the storage
  // commit and Append().
  std::unique_lock<std::mutex> LockCommitOrder() { return std::unique_lock(commit_mu_); }
  // Throws 54000 `too many notifications in the NOTIFY queue` if `bytes` more (a sum of
  // EntryBytes) do not fit. REQUIRES: the commit-order lock (so that nothing else is appended
  // before the Append() it precedes).
  void CheckSpace(size_t bytes) const;
  // Appends the notifications (channel, payload) of a transaction of database `database` that
  // committed, and wakes that database's listeners. REQUIRES: the commit-order lock and
  // CheckSpace() of their size.
  void Append(uint32_t database, int32_t pid,
              const std::vector<std::pair<std::string, std::string>>& notifications);

  // A new listener of `database`, positioned at the head. `wake` is called (with the queue's
  // mutex held, from any thread) when a notification of its database is appended.
  ListenerId Register(uint32_t database, std::function<void()> wake);
  // Forgets the listener; its wake function is not called after this returns.
  void Unregister(ListenerId id);
  // The notifications from the listener's position on of its database whose channel
  // `listening` accepts, in commit order, up to about `max_bytes` of channel and payload (at
  // least one); the listener's position moves past what was read. *more: some are left.
  std::vector<Notification> Read(ListenerId id,
                                 const std::function<bool(const std::string&)>& listening,
                                 size_t max_bytes, bool* more);

  // pg_notification_queue_usage(): the fraction of the bound in use, 0 to 1.
  double Usage() const;
  // PostgreSQL's asyncQueueFillWarning: true when the queue is at least half full and that was
  // not reported in the last 5 seconds; then *fill is Usage() and *pid the backend pid of a
  // listener at the oldest position, which holds the queue (0: unknown).
  bool FillWarning(double* fill, int32_t* pid);
  // The backend pid of a listener (for FillWarning()).
  void SetListenerPid(ListenerId id, int32_t pid);
  // What the queue holds (tests).
  size_t entries() const;
  size_t bytes() const;

 private:
  struct Entry {
    uint32_t database;
    int32_t pid;
    std::string channel;
    std::string payload;
  };
  struct Listener {
    uint32_t database;
    uint64_t position;  // sequence number of the first entry not read
    int32_t pid = 0;
    std::function<void()> wake;
  };
  // Drops the entries every listener has read. REQUIRES: mu_.
  void Trim();

  const size_t max_bytes_;
  std::mutex commit_mu_;
  mutable std::mutex mu_;
  std::deque<Entry> entries_;                 // GUARDED_BY(mu_)
  uint64_t first_ = 0;                        // GUARDED_BY(mu_): sequence number of entries_[0]
  size_t bytes_ = 0;                          // GUARDED_BY(mu_)
  std::map<ListenerId, Listener> listeners_;  // GUARDED_BY(mu_)
  ListenerId next_id_ = 1;                    // GUARDED_BY(mu_)
  std::chrono::steady_clock::time_point last_fill_warning_{};  // GUARDED_BY(mu_)
};

}  // namespace activestore::executor
