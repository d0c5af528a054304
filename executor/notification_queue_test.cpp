#include "executor/notification_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace activestore::executor {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

auto Any() {
  return [](const std::string&) { return true; };
}

auto Only(std::set<std::string> channels) {
  return [channels](const std::string& c) { return channels.count(c) > 0; };
}

// "pid:channel:payload" per notification.
std::vector<std::string> Show(const std::vector<Notification>& ns) {
  std::vector<std::string> out;
  for (const Notification& n : ns) {
    out.push_back(std::to_string(n.pid) + ":" + n.channel + ":" + n.payload);
  }
  return out;
}

void Append(NotificationQueue& q, uint32_t db, int32_t pid, const Pairs& ns) {
  auto order = q.LockCommitOrder();
  size_t bytes = 0;
  for (const auto& [c, p] : ns) bytes += NotificationQueue::EntryBytes(c, p);
  q.CheckSpace(bytes);
  q.Append(db, pid, ns);
}

std::vector<std::string> ReadAll(NotificationQueue& q, NotificationQueue::ListenerId id,
                                 const std::function<bool(const std::string&)>& listening) {
  bool more = false;
  auto out = Show(q.Read(id, listening, size_t{1} << 30, &more));
  EXPECT_FALSE(more);
  return out;
}

TEST(NotificationQueueTest, ListenerReadsWhatCommitsAfterItRegisters) {
  NotificationQueue q(1 << 20);
  Append(q, 1, 7, {{"a", "before"}});
  EXPECT_EQ(q.entries(), 0u);  // nobody listens: nothing is kept
  auto id = q.Register(1, [] {});
  Append(q, 1, 7, {{"a", "x"}, {"b", "y"}});
  Append(q, 1, 8, {{"a", "z"}});
  EXPECT_EQ(ReadAll(q, id, Any()), (std::vector<std::string>{"7:a:x", "7:b:y", "8:a:z"}));
  EXPECT_TRUE(ReadAll(q, id, Any()).empty());
  EXPECT_EQ(q.entries(), 0u);
  EXPECT_EQ(q.bytes(), 0u);
  EXPECT_EQ(q.Usage(), 0.0);
}

TEST(NotificationQueueTest, FiltersByDatabaseAndByChannelAtReadTime) {
  NotificationQueue q(1 << 20);
  auto l1 = q.Register(1, [] {});
  auto l2 = q.Register(1, [] {});
  auto other = q.Register(2, [] {});
  Append(q, 1, 5, {{"a", "1"}, {"b", "2"}});
  Append(q, 2, 6, {{"a", "3"}});
  // What a listener listens on when it reads decides, as in PostgreSQL.
  EXPECT_EQ(ReadAll(q, l1, Only({"a"})), (std::vector<std::string>{"5:a:1"}));
  EXPECT_EQ(ReadAll(q, l2, Only({"a", "b"})), (std::vector<std::string>{"5:a:1", "5:b:2"}));
  EXPECT_EQ(ReadAll(q, other, Any()), (std::vector<std::string>{"6:a:3"}));
  EXPECT_EQ(q.entries(), 0u);
}

TEST(NotificationQueueTest, KeepsWhatTheSlowestListenerHasNotRead) {
  NotificationQueue q(1 << 20);
  auto fast = q.Register(1, [] {});
  auto slow = q.Register(1, [] {});
  Append(q, 1, 5, {{"a", "1"}});
  Append(q, 1, 5, {{"a", "2"}});
  EXPECT_EQ(ReadAll(q, fast, Any()).size(), 2u);
  EXPECT_EQ(q.entries(), 2u);
  EXPECT_GT(q.Usage(), 0.0);
  EXPECT_EQ(ReadAll(q, slow, Any()).size(), 2u);
  EXPECT_EQ(q.entries(), 0u);
  // A listener that goes away stops holding the queue.
  Append(q, 1, 5, {{"a", "3"}});
  EXPECT_EQ(q.entries(), 1u);
  q.Unregister(slow);
  EXPECT_EQ(q.entries(), 1u);
  q.Unregister(fast);
  EXPECT_EQ(q.entries(), 0u);
}

TEST(NotificationQueueTest, CaughtUpListenerOfAnotherDatabaseDoesNotHoldTheQueue) {
  NotificationQueue q(1 << 20);
  std::atomic<int> woken1{0}, woken2{0};
  auto l1 = q.Register(1, [&] { ++woken1; });
  auto l2 = q.Register(2, [&] { ++woken2; });
  Append(q, 1, 5, {{"a", "1"}});
  EXPECT_EQ(woken1, 1);
  EXPECT_EQ(woken2, 0);  // only listeners of the notifying database are woken
  EXPECT_EQ(ReadAll(q, l1, Any()).size(), 1u);
  EXPECT_EQ(q.entries(), 0u);
  // Once l2 has something of its own to read it holds what follows until it reads.
  Append(q, 2, 6, {{"a", "2"}});
  Append(q, 1, 5, {{"a", "3"}});
  EXPECT_EQ(ReadAll(q, l1, Any()).size(), 1u);
  EXPECT_EQ(q.entries(), 2u);
  EXPECT_EQ(ReadAll(q, l2, Any()), (std::vector<std::string>{"6:a:2"}));
  EXPECT_EQ(q.entries(), 0u);
}

TEST(NotificationQueueTest, FullQueueRefusesTheCommit) {
  size_t one = NotificationQueue::EntryBytes("c", std::string(100, 'x'));
  NotificationQueue q(3 * one);
  auto id = q.Register(1, [] {});
  Pairs n = {{"c", std::string(100, 'x')}};
  Append(q, 1, 5, n);
  Append(q, 1, 5, n);
  Append(q, 1, 5, n);
  EXPECT_DOUBLE_EQ(q.Usage(), 1.0);
  try {
    Append(q, 1, 5, n);
    FAIL() << "expected 54000";
  } catch (const Error& e) {
    EXPECT_EQ(e.state(), SqlState::kProgramLimitExceeded);
    EXPECT_EQ(e.message(), "too many notifications in the NOTIFY queue");
  }
  EXPECT_EQ(q.entries(), 3u);
  ReadAll(q, id, Any());
  Append(q, 1, 5, n);  // room again
  EXPECT_EQ(q.entries(), 1u);
}

TEST(NotificationQueueTest, ReadsInPiecesOfAboutMaxBytes) {
  NotificationQueue q(1 << 20);
  auto id = q.Register(1, [] {});
  Pairs ns;
  for (int i = 0; i < 10; ++i) ns.emplace_back("c", std::string(100, static_cast<char>('0' + i)));
  Append(q, 1, 5, ns);
  bool more = false;
  std::vector<Notification> got = q.Read(id, Any(), 250, &more);
  EXPECT_TRUE(more);
  EXPECT_EQ(got.size(), 3u);
  std::string order;
  for (const auto& n : got) order += n.payload[0];
  while (more) {
    for (const auto& n : q.Read(id, Any(), 250, &more)) order += n.payload[0];
  }
  EXPECT_EQ(order, "0123456789");
  EXPECT_EQ(q.entries(), 0u);
}

TEST(NotificationQueueTest, FillWarningAtHalfFullAtMostEveryFiveSeconds) {
  size_t one = NotificationQueue::EntryBytes("c", "");
  NotificationQueue q(4 * one);
  auto id = q.Register(1, [] {});
  q.SetListenerPid(id, 4242);
  double fill = 0;
  int32_t pid = 0;
  Append(q, 1, 5, {{"c", ""}});
  EXPECT_FALSE(q.FillWarning(&fill, &pid));
  Append(q, 1, 5, {{"c", "x"}});
  EXPECT_TRUE(q.FillWarning(&fill, &pid));
  EXPECT_GE(fill, 0.5);
  EXPECT_EQ(pid, 4242);
  EXPECT_FALSE(q.FillWarning(&fill, &pid));
}

// Notifiers on several threads and a reader that keeps up: every notification is read once, in
// the order of its notifier's commits, and the queue ends empty.
TEST(NotificationQueueTest, ConcurrentNotifiersAndReader) {
  NotificationQueue q(1 << 20);
  std::atomic<int> wakes{0};
  auto id = q.Register(1, [&] { ++wakes; });
  constexpr int kThreads = 4, kEach = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&q, t] {
      for (int i = 0; i < kEach; ++i) {
        Append(q, 1, t, {{"c", std::to_string(i)}});
      }
    });
  }
  std::vector<int> next(kThreads, 0);
  int total = 0;
  while (total < kThreads * kEach) {
    bool more = false;
    for (const Notification& n : q.Read(id, Any(), 4096, &more)) {
      ASSERT_EQ(std::stoi(n.payload), next[n.pid]);
      ++next[n.pid];
      ++total;
    }
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wakes, kThreads * kEach);
  EXPECT_EQ(q.entries(), 0u);
}

}  // namespace
}  // namespace activestore::executor
