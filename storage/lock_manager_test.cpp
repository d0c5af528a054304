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

// SELECT ... FOR UPDATE holds the table ROW SHARE (PostgreSQL's isolation spec alter-table-2:
// it does not wait behind ADD FOREIGN KEY's SHARE ROW EXCLUSIVE on the referenced table), while
// a row a statement writes holds it ROW EXCLUSIVE.
TEST(LockManagerTest, SelectForUpdateHoldsTheTableRowShare) {
  LockManager lm;
  LockOwner ddl = lm.NewOwner(1), reader = lm.NewOwner(2), writer = lm.NewOwner(3);
  WaitPolicy nowait;
  nowait.nowait = true;
  lm.LockTable(ddl, 0, 7, LockMode::kShareRowExclusive, nowait);
  WaitPolicy select = nowait;
  select.select_lock = true;
  EXPECT_EQ(StateOf([&] { lm.LockRow(reader, 7, "k", RowLockMode::kUpdate, select); }), "ok");
  EXPECT_EQ(StateOf([&] { lm.LockRow(writer, 7, "j", RowLockMode::kUpdate, nowait); }), "55P03");
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

// A soft deadlock (PostgreSQL's deadlock-soft test): d1 and d2 hold ACCESS SHARE on a1 and a2,
// e1 and e2 queue for ACCESS EXCLUSIVE on them, then d1 asks for a2 and d2 for a1, each
// queued behind an e. The cycle runs through queue positions only: the searcher moves d1 ahead
// of e2 on a2 (compatible with d2's hold) instead of failing anybody.
TEST(LockManagerTest, SoftDeadlockIsResolvedByReordering) {
  LockManager lm;
  LockOwner d1 = lm.NewOwner(1), d2 = lm.NewOwner(2), e1 = lm.NewOwner(3), e2 = lm.NewOwner(4);
  WaitPolicy slow;
  slow.deadlock_timeout = 10s;
  WaitPolicy fast;
  fast.deadlock_timeout = 10ms;
  lm.LockTable(d1, 5, 1, LockMode::kAccessShare, slow);
  lm.LockTable(d2, 5, 2, LockMode::kAccessShare, slow);
  auto run = [&](LockOwner o, uint32_t rel, LockMode m, const WaitPolicy& p) {
    return std::async(std::launch::async, [&lm, o, rel, m, &p] {
      return StateOf([&] { lm.LockTable(o, 5, rel, m, p); });
    });
  };
  auto fe1 = run(e1, 1, LockMode::kAccessExclusive, slow);
  std::this_thread::sleep_for(20ms);
  auto fe2 = run(e2, 2, LockMode::kAccessExclusive, slow);
  std::this_thread::sleep_for(20ms);
  auto fd1 = run(d1, 2, LockMode::kAccessShare, slow);
  std::this_thread::sleep_for(20ms);
  auto fd2 = run(d2, 1, LockMode::kAccessShare, fast);
  // d1 gets a2 once d2's search ran; nobody fails.
  ASSERT_EQ(fd1.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(fd1.get(), "ok");
  EXPECT_EQ(fd2.wait_for(50ms), std::future_status::timeout);  // still behind e1
  lm.ReleaseAll(d1);
  EXPECT_EQ(fe1.get(), "ok");
  lm.ReleaseAll(e1);
  EXPECT_EQ(fd2.get(), "ok");
  lm.ReleaseAll(d2);
  EXPECT_EQ(fe2.get(), "ok");
  lm.ReleaseAll(e2);
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

// A new row lock request compatible with the row's holders joins them at once, even while a
// conflicting request waits (PostgreSQL's heap_lock_tuple); a table lock queues behind it.
TEST(LockManagerTest, CompatibleRowLockSkipsTheQueue) {
  LockManager lm;
  LockOwner a = lm.NewOwner(1), b = lm.NewOwner(2), c = lm.NewOwner(3);
  WaitPolicy wait, nowait;
  nowait.nowait = true;
  lm.LockRow(a, 7, "k", RowLockMode::kShare, wait);
  auto writer = std::async(std::launch::async, [&] {
    return StateOf([&] { lm.LockRow(b, 7, "k", RowLockMode::kUpdate, wait); });
  });
  EXPECT_EQ(writer.wait_for(200ms), std::future_status::timeout);
  EXPECT_EQ(StateOf([&] { lm.LockRow(c, 7, "k", RowLockMode::kShare, nowait); }), "ok");
  lm.ReleaseAll(a);
  EXPECT_EQ(writer.wait_for(200ms), std::future_status::timeout);  // c still holds FOR SHARE
  lm.ReleaseAll(c);
  EXPECT_EQ(writer.get(), "ok");
  lm.ReleaseAll(b);
  // Tables keep the queue: AccessShare waits behind a waiting AccessExclusive.
  lm.LockTable(a, 0, 9, LockMode::kAccessShare, wait);
  auto ddl = std::async(std::launch::async, [&] {
    return StateOf([&] { lm.LockTable(b, 0, 9, LockMode::kAccessExclusive, wait); });
  });
  EXPECT_EQ(ddl.wait_for(200ms), std::future_status::timeout);
  EXPECT_EQ(StateOf([&] { lm.LockTable(c, 0, 9, LockMode::kAccessShare, nowait); }), "55P03");
  lm.ReleaseAll(a);
  EXPECT_EQ(ddl.get(), "ok");
}

// ReleaseSince gives back what was taken after the mark, keeps what `keep` keeps, and
// downgrades in place without letting a waiter in between.
TEST(LockManagerTest, ReleaseSinceKeepsAndDowngrades) {
  LockManager lm;
  LockOwner a = lm.NewOwner(1), b = lm.NewOwner(2);
  WaitPolicy nowait;
  nowait.nowait = true;
  lm.LockRow(a, 7, "before", RowLockMode::kUpdate, nowait);
  uint64_t mark = lm.Mark(a);
  lm.LockRow(a, 7, "plain", RowLockMode::kUpdate, nowait);
  lm.LockRow(a, 7, "pinned", RowLockMode::kUpdate, nowait);
  const uint64_t pinned = LockManager::RowLockId("pinned");
  lm.ReleaseSince(a, mark, [&](const LockTag& tag, uint8_t mode) -> uint8_t {
    if (tag.kind == LockKind::kRelation) return mode;
    return tag.id == pinned ? static_cast<uint8_t>(RowLockMode::kShare) : 0;
  });
  EXPECT_EQ(StateOf([&] { lm.LockRow(b, 7, "before", RowLockMode::kKeyShare, nowait); }), "55P03");
  EXPECT_EQ(StateOf([&] { lm.LockRow(b, 7, "plain", RowLockMode::kUpdate, nowait); }), "ok");
  EXPECT_EQ(StateOf([&] { lm.LockRow(b, 7, "pinned", RowLockMode::kShare, nowait); }), "ok");
  EXPECT_EQ(StateOf([&] { lm.LockRow(b, 7, "pinned", RowLockMode::kNoKeyUpdate, nowait); }),
            "55P03");
  // A second rollback to a mark taken after the downgrade keeps it.
  uint64_t again = lm.Mark(a);
  lm.ReleaseSince(a, again);
  EXPECT_EQ(StateOf([&] { lm.LockRow(b, 7, "pinned", RowLockMode::kNoKeyUpdate, nowait); }),
            "55P03");
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
