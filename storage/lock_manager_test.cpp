#include "storage/lock_manager.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "common/error.h"
#include "common/sqlstate.h"

namespace activestore::storage {
namespace {

using namespace std::chrono_literals;

std::string StateOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return std::string(SqlStateCode(e.state()));
  }
  return "ok";
}

TEST(LockManagerTest, TableConflictTableFollowsPostgres) {
  LockManager lm;
  LockOwner a = lm.NewOwner(1), b = lm.NewOwner(2);
  WaitPolicy nowait;
  nowait.nowait = true;
  // AccessShare and RowExclusive coexist; AccessExclusive conflicts with both.
  lm.LockTable(a, 5, 100, LockMode::kAccessShare, nowait);
  lm.LockTable(b, 5, 100, LockMode::kRowExclusive, nowait);
  EXPECT_EQ(StateOf([&] { lm.LockTable(b, 5, 100, LockMode::kAccessExclusive, nowait); }), "55P03");
  // Share conflicts with RowExclusive held by b.
  EXPECT_EQ(StateOf([&] { lm.LockTable(a, 5, 100, LockMode::kShare, nowait); }), "55P03");
  lm.ReleaseAll(b);
  EXPECT_EQ(StateOf([&] { lm.LockTable(a, 5, 100, LockMode::kShare, nowait); }), "ok");
  // ShareUpdateExclusive conflicts with itself.
  lm.LockTable(a, 5, 101, LockMode::kShareUpdateExclusive, nowait);
  LockOwner c = lm.NewOwner(3);
  EXPECT_EQ(StateOf([&] { lm.LockTable(c, 5, 101, LockMode::kShareUpdateExclusive, nowait); }),
            "55P03");
  EXPECT_EQ(StateOf([&] { lm.LockTable(c, 5, 101, LockMode::kRowExclusive, nowait); }), "ok");
}

TEST(LockManagerTest, RowLockModes) {
  LockManager lm;
  LockOwner a = lm.NewOwner(1), b = lm.NewOwner(2);
  WaitPolicy nowait;
  nowait.nowait = true;
  lm.LockRow(a, 7, "k", RowLockMode::kKeyShare, nowait);
  // FOR KEY SHARE allows FOR NO KEY UPDATE but not FOR UPDATE.
  EXPECT_EQ(StateOf([&] { lm.LockRow(b, 7, "k", RowLockMode::kNoKeyUpdate, nowait); }), "ok");
  LockOwner c = lm.NewOwner(3);
  EXPECT_EQ(StateOf([&] { lm.LockRow(c, 7, "k", RowLockMode::kUpdate, nowait); }), "55P03");
  EXPECT_EQ(StateOf([&] { lm.LockRow(c, 7, "k", RowLockMode::kShare, nowait); }), "55P03");
  EXPECT_EQ(StateOf([&] { lm.LockRow(c, 7, "other", RowLockMode::kUpdate, nowait); }), "ok");
  WaitPolicy skip;
  skip.skip_locked = true;
  EXPECT_FALSE(lm.LockRow(c, 7, "k", RowLockMode::kUpdate, skip));
}

TEST(LockManagerTest, WaiterIsWokenWhenHolderReleases) {
  LockManager lm;
  LockOwner a = lm.NewOwner(1), b = lm.NewOwner(2);
  WaitPolicy wait;
  lm.LockRow(a, 7, "k", RowLockMode::kUpdate, wait);
  auto f = std::async(std::launch::async,
                      [&] { return lm.LockRow(b, 7, "k", RowLockMode::kUpdate, wait); });
  EXPECT_EQ(f.wait_for(100ms), std::future_status::timeout);
  EXPECT_EQ(lm.BlockingPids(2), std::vector<int>{1});
  lm.ReleaseAll(a);
  EXPECT_TRUE(f.get());
  EXPECT_TRUE(lm.BlockingPids(2).empty());
}

TEST(LockManagerTest, TimeoutsAndCancel) {
  LockManager lm;
  LockOwner a = lm.NewOwner(1), b = lm.NewOwner(2);
  WaitPolicy wait;
  lm.LockTable(a, 5, 100, LockMode::kAccessExclusive, wait);
  WaitPolicy lock_timeout;
  lock_timeout.lock_timeout = 50ms;
  EXPECT_EQ(StateOf([&] { lm.LockTable(b, 5, 100, LockMode::kAccessShare, lock_timeout); }),
            "55P03");
  WaitPolicy statement;
  statement.statement_deadline = std::chrono::steady_clock::now() + 50ms;
  EXPECT_EQ(StateOf([&] { lm.LockTable(b, 5, 100, LockMode::kAccessShare, statement); }), "57014");
  std::atomic<bool> cancel{false};
  WaitPolicy cancellable;
  cancellable.cancel = &cancel;
  auto f = std::async(std::launch::async, [&] {
    return StateOf([&] { lm.LockTable(b, 5, 100, LockMode::kAccessShare, cancellable); });
  });
  std::this_thread::sleep_for(50ms);
  cancel = true;
  EXPECT_EQ(f.get(), "57014");
  // Nothing of b's failed waits is left behind.
  lm.ReleaseAll(a);
  WaitPolicy nowait;
  nowait.nowait = true;
  EXPECT_EQ(StateOf([&] { lm.LockTable(b, 5, 100, LockMode::kAccessExclusive, nowait); }), "ok");
}

TEST(LockManagerTest, DeadlockDetectedByOneWaiter) {
  LockManager lm;
  LockOwner a = lm.NewOwner(11), b = lm.NewOwner(22);
  WaitPolicy wait;
  wait.deadlock_timeout = 20ms;
  lm.LockRow(a, 7, "x", RowLockMode::kUpdate, wait);
  lm.LockRow(b, 7, "y", RowLockMode::kUpdate, wait);
  auto fa = std::async(std::launch::async, [&] {
    return StateOf([&] { lm.LockRow(a, 7, "y", RowLockMode::kUpdate, wait); });
  });
  std::this_thread::sleep_for(5ms);
  auto fb = std::async(std::launch::async, [&] {
    return StateOf([&] { lm.LockRow(b, 7, "x", RowLockMode::kUpdate, wait); });
  });
  // The first waiter to reach deadlock_timeout finds the cycle and gives up; once its owner
  // ends (releasing its locks), the other gets its lock.
  while (fa.wait_for(1ms) != std::future_status::ready &&
         fb.wait_for(1ms) != std::future_status::ready) {
  }
  if (fa.wait_for(0ms) == std::future_status::ready) {
    EXPECT_EQ(fa.get(), "40P01");
    lm.ReleaseAll(a);
    EXPECT_EQ(fb.get(), "ok");
  } else {
    EXPECT_EQ(fb.get(), "40P01");
    lm.ReleaseAll(b);
    EXPECT_EQ(fa.get(), "ok");
  }
}

// Two holders of ACCESS SHARE both asking for ACCESS EXCLUSIVE: the second asker fails at
// once (PostgreSQL's early deadlock detection), without waiting for deadlock_timeout.
TEST(LockManagerTest, LockUpgradeDeadlockIsDetectedAtOnce) {
  LockManager lm;
  LockOwner a = lm.NewOwner(1), b = lm.NewOwner(2);
  WaitPolicy wait;
  wait.deadlock_timeout = std::chrono::milliseconds(60000);
  lm.LockTable(a, 5, 100, LockMode::kAccessShare, wait);
  lm.LockTable(b, 5, 100, LockMode::kAccessShare, wait);
  auto fa = std::async(std::launch::async, [&] {
    return StateOf([&] { lm.LockTable(a, 5, 100, LockMode::kAccessExclusive, wait); });
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(StateOf([&] { lm.LockTable(b, 5, 100, LockMode::kAccessExclusive, wait); }), "40P01");
  lm.ReleaseAll(b);
  EXPECT_EQ(fa.get(), "ok");
}

TEST(LockManagerTest, AdvisoryLocksCountHolds) {
  LockManager lm;
  LockOwner a = lm.NewOwner(1), b = lm.NewOwner(2);
  WaitPolicy nowait;
  nowait.nowait = true;
  lm.LockAdvisory(a, 5, 42, false, nowait);
  lm.LockAdvisory(a, 5, 42, false, nowait);
  EXPECT_TRUE(lm.UnlockAdvisory(a, 5, 42, false));
  EXPECT_EQ(StateOf([&] { lm.LockAdvisory(b, 5, 42, true, nowait); }), "55P03");
  EXPECT_TRUE(lm.UnlockAdvisory(a, 5, 42, false));
  EXPECT_FALSE(lm.UnlockAdvisory(a, 5, 42, false));
  EXPECT_EQ(StateOf([&] { lm.LockAdvisory(b, 5, 42, true, nowait); }), "ok");
}

TEST(LockManagerTest, ManyRowLocksEscalateToTheTable) {
  LockManager lm;
  LockOwner a = lm.NewOwner(1), b = lm.NewOwner(2);
  WaitPolicy wait;
  for (int i = 0; i < 30000; ++i) lm.LockRow(a, 9, std::to_string(i), RowLockMode::kUpdate, wait);
  // One relation lock instead of 30,000 row entries.
  EXPECT_LT(lm.Locks().size(), 5u);
  WaitPolicy nowait;
  nowait.nowait = true;
  EXPECT_EQ(StateOf([&] { lm.LockRow(b, 9, "123456", RowLockMode::kUpdate, nowait); }), "55P03");
  EXPECT_EQ(StateOf([&] { lm.LockTable(b, 0, 9, LockMode::kRowExclusive, nowait); }), "55P03");
}

}  // namespace
}  // namespace activestore::storage
