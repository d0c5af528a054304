#include "storage/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace activestore::storage {
namespace {

WriteSet Keys(std::string_view table, std::initializer_list<std::string_view> keys) {
  WriteSet w;
  for (std::string_view k : keys) w.Add(table, k);
  return w;
}

TEST(GroupCommitTest, KeysArePendingUntilAFlushCoversThem) {
  int flushes = 0;
  GroupCommit g([&] {
    ++flushes;
    return 0;
  });
  EXPECT_FALSE(g.AnyPending());
  const uint64_t t = g.Begin(Keys("t1", {"a", "b"}));
  EXPECT_TRUE(g.AnyPending());
  EXPECT_EQ(g.PendingKey("t1", "a"), t);
  EXPECT_EQ(g.PendingKey("t1", "b"), t);
  EXPECT_EQ(g.PendingKey("t1", "c"), 0u);
  EXPECT_EQ(g.PendingKey("t2", "a"), 0u);
  EXPECT_EQ(g.PendingTable("t1"), t);
  EXPECT_EQ(g.PendingTable("t2"), 0u);
  g.End(t);
  EXPECT_EQ(g.WaitDurable(t), 0);
  EXPECT_EQ(flushes, 1);
  EXPECT_EQ(g.durable(), t);
  EXPECT_FALSE(g.AnyPending());
  EXPECT_EQ(g.PendingKey("t1", "a"), 0u);
  EXPECT_EQ(g.PendingTable("t1"), 0u);
  // Durable already: no second flush.
  EXPECT_EQ(g.WaitDurable(t), 0);
  EXPECT_EQ(flushes, 1);
}

TEST(GroupCommitTest, ALaterCommitOfTheSameKeyKeepsItPending) {
  GroupCommit g([] { return 0; });
  const uint64_t t1 = g.Begin(Keys("t", {"k"}));
  g.End(t1);
  EXPECT_EQ(g.WaitDurable(t1), 0);
  const uint64_t t2 = g.Begin(Keys("t", {"k", "m"}));
  const uint64_t t3 = g.Begin(Keys("t", {"k"}));
  EXPECT_EQ(g.PendingKey("t", "k"), t3);
  EXPECT_EQ(g.PendingKey("t", "m"), t2);
  g.End(t2);
  g.End(t3);
  EXPECT_EQ(g.WaitDurable(t3), 0);
  EXPECT_EQ(g.PendingKey("t", "k"), 0u);
}

TEST(GroupCommitTest, ABulkWriteRegistersTheWholeTable) {
  GroupCommit g([] { return 0; });
  WriteSet w;
  for (size_t i = 0; i <= WriteSet::kMaxKeysPerTable; ++i) w.Add("big", std::to_string(i));
  w.Add("small", "x");
  const uint64_t t = g.Begin(std::move(w));
  EXPECT_EQ(g.PendingKey("big", "never-written"), t);
  EXPECT_EQ(g.PendingKey("small", "x"), t);
  EXPECT_EQ(g.PendingKey("small", "y"), 0u);
  g.End(t);
  EXPECT_EQ(g.WaitDurable(t), 0);
  EXPECT_EQ(g.PendingKey("big", "never-written"), 0u);
}

TEST(GroupCommitTest, AFlushWaitsForLowerTicketsStillCommitting) {
  std::atomic<int> flushes{0};
  GroupCommit g([&] {
    ++flushes;
    return 0;
  });
  const uint64_t t1 = g.Begin(Keys("t", {"a"}));
  const uint64_t t2 = g.Begin(Keys("t", {"b"}));
  g.End(t2);
  std::atomic<bool> done{false};
  std::thread waiter([&] {
    EXPECT_EQ(g.WaitDurable(t2), 0);
    done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // t1 may still be writing its log record: no flush can cover t2 yet.
  EXPECT_FALSE(done.load());
  EXPECT_EQ(flushes.load(), 0);
  EXPECT_EQ(g.durable(), 0u);
  g.End(t1);
  waiter.join();
  EXPECT_TRUE(done.load());
  EXPECT_GE(g.durable(), t2);
}

TEST(GroupCommitTest, ConcurrentCommitsShareFlushesAndEachIsCovered) {
  // The "log": the number of commits that ended before each flush began is what it covers.
  std::atomic<uint64_t> ended{0};
  std::atomic<uint64_t> flushed_through{0};
  std::atomic<int> flushes{0};
  GroupCommit g([&] {
    const uint64_t covers = ended.load();
    std::this_thread::sleep_for(std::chrono::microseconds(300));
    ++flushes;
    uint64_t seen = flushed_through.load();
    while (covers > seen && !flushed_through.compare_exchange_weak(seen, covers)) {
    }
    return 0;
  });
  constexpr int kThreads = 8, kCommits = 200;
  std::atomic<int> uncovered{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int c = 0; c < kCommits; ++c) {
        const uint64_t t = g.Begin(Keys("t", {std::to_string(i)}));
        g.End(t);
        const uint64_t my_end = ++ended;
        EXPECT_EQ(g.WaitDurable(t), 0);
        // Some flush began after this commit ended (the counter is approximate only in that
        // other commits may end between a ticket and its count: never lower).
        if (static_cast<int64_t>(flushed_through.load()) <
            static_cast<int64_t>(my_end) - kThreads) {
          ++uncovered;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(uncovered.load(), 0);
  EXPECT_EQ(g.durable(), static_cast<uint64_t>(kThreads * kCommits));
  EXPECT_FALSE(g.AnyPending());
  // Followers share the leader's flush: far fewer flushes than commits.
  EXPECT_LT(flushes.load(), kThreads * kCommits / 2);
  GroupCommit::Stats s = g.stats();
  EXPECT_EQ(s.commits, static_cast<uint64_t>(kThreads * kCommits));
  EXPECT_EQ(s.flushes, static_cast<uint64_t>(flushes.load()));
}

TEST(GroupCommitTest, AFailedFlushIsReturnedAndNothingBecomesDurable) {
  GroupCommit g([] { return 5; });
  const uint64_t t = g.Begin(Keys("t", {"a"}));
  g.End(t);
  EXPECT_EQ(g.WaitDurable(t), 5);
  EXPECT_EQ(g.durable(), 0u);
  EXPECT_EQ(g.PendingKey("t", "a"), t);
}

TEST(GroupCommitTest, ReadFenceKeepsTheNewestTicket) {
  ReadFence f;
  EXPECT_EQ(f.Take(), 0u);
  f.Observe(3);
  f.Observe(2);
  f.Observe(7);
  EXPECT_EQ(f.Take(), 7u);
  EXPECT_EQ(f.Take(), 0u);
}

}  // namespace
}  // namespace activestore::storage
