#include "storage/shard_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "storage/storage_testing.h"

namespace activestore::storage {
namespace {

using ::testing::ElementsAre;
using testing::OpenOrDie;
using testing::SmallWtOptions;
using testing::TempDir;

TEST(ShardLogFormatTest, LogTableOfEachStorageTable) {
  EXPECT_EQ(LogTableFor("t16384_s3"), "log_s3");
  EXPECT_EQ(LogTableFor("i16390_s0"), "log_s0");
  EXPECT_EQ(LogTableFor("sys_catalog"), "log_sys");
  EXPECT_EQ(LogTableFor("t16384_2_s7"), "log_s7");  // a rewritten table's new generation
  EXPECT_EQ(LogTableFor("tx_s1"), "log_sys");       // not t<oid>_s<n>
  EXPECT_EQ(LogTableFor("t1_2_3_s1"), "log_sys");
  EXPECT_EQ(LogTableFor("log_s3"), std::nullopt);
  EXPECT_EQ(LogTableFor("log_sys"), std::nullopt);
}

TEST(ShardLogFormatTest, EntriesRoundTripAndKeysSortByTxnAndLsn) {
  LogOp op = DecodeLogOp(LogOpValue(LogOpKind::kPut, "t1_s0", std::string("k\0y", 3), "v"));
  EXPECT_EQ(op.kind, LogOpKind::kPut);
  EXPECT_EQ(op.table, "t1_s0");
  EXPECT_EQ(op.key, std::string("k\0y", 3));
  EXPECT_EQ(op.value, "v");
  op = DecodeLogOp(LogOpValue(LogOpKind::kDelete, "sys_catalog", "k", "ignored"));
  EXPECT_EQ(op.kind, LogOpKind::kDelete);
  EXPECT_EQ(op.value, "");

  LogCommit c;
  c.kind = LogCommitKind::kDropTable;
  c.lsn = 0x0102030405060708;
  c.epoch = 3;
  c.txn = 99;
  c.op_count = 7;
  c.table = "t5_s1";
  LogCommit d = DecodeLogCommit(LogCommitKey(c.lsn), LogCommitValue(c));
  EXPECT_EQ(d.kind, c.kind);
  EXPECT_EQ(d.lsn, c.lsn);
  EXPECT_EQ(d.epoch, 3u);
  EXPECT_EQ(d.txn, 99u);
  EXPECT_EQ(d.op_count, 7u);
  EXPECT_EQ(d.table, "t5_s1");

  EXPECT_LT(LogOpKey(1, 0xffffffff), LogOpKey(2, 0));
  EXPECT_LT(LogCommitKey(255), LogCommitKey(256));
  EXPECT_LT(LogCommitKey(~uint64_t{0}), LogOpKey(0, 0));  // 'c' < 'o'
  EXPECT_EQ(LogOpTxn(LogOpKey(42, 9)), 42u);
  EXPECT_EQ(LogOpTxn(LogCommitKey(42)), 0u);
  EXPECT_EQ(testing::SqlStateOf([] { DecodeLogOp("\x02"); }), "XX001");
  EXPECT_EQ(
      testing::SqlStateOf([] { DecodeLogCommit(LogCommitKey(1), std::string("\x01\x01", 2)); }),
      "XX001");
}

TEST(CommitClockTest, StrictlyIncreasingAndPastObservedValues) {
  CommitClock clock;
  uint64_t a = clock.Next(), b = clock.Next();
  EXPECT_LT(a, b);
  // Close to the wall clock: within a minute.
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  EXPECT_LT(std::abs(CommitClock::ToUnixMillis(b) - now_ms), 60000);
  clock.Observe(b + (uint64_t{1000} << CommitClock::kLogicalBits));
  EXPECT_GT(clock.Next(), b + (uint64_t{1000} << CommitClock::kLogicalBits));
}

class ShardLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenOrDie(SmallWtOptions(dir_.path()));
    for (const char* t : {"t100_s0", "t100_s1", "i101_s1", "sys_catalog"}) engine_->CreateTable(t);
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

std::vector<LoggedTransaction> Commits(std::vector<LoggedTransaction> all) {
  all.erase(std::remove_if(
                all.begin(), all.end(),
                [](const LoggedTransaction& t) { return t.commit.kind != LogCommitKind::kCommit; }),
            all.end());
  return all;
}

TEST_F(ShardLogTest, ACommitIsLoggedInEveryShardItTouchedWithOneLsn) {
  std::unique_ptr<Transaction> t = engine_->Begin();
  t->Put("t100_s0", "a", "1");
  t->Put("t100_s1", "b", "2");
  t->Insert("i101_s1", "x", "b");
  t->Put("t100_s0", "a", "3");
  t->Delete("t100_s1", "b");
  t->Put("sys_catalog", "catalog", "{}");
  t->Commit();
  std::vector<LoggedTransaction> log = Commits(ReadLog(engine_.get(), 0, 100));
  ASSERT_EQ(log.size(), 1u);
  const LoggedTransaction& lt = log[0];
  EXPECT_THAT(lt.logs, ElementsAre("log_s0", "log_s1", "log_sys"));
  EXPECT_GT(lt.commit.lsn, 0u);
  EXPECT_LE(lt.commit.lsn, engine_->DurableLsn());
  ASSERT_EQ(lt.ops.size(), 6u);
  // Operations by log, each log in write order.
  EXPECT_EQ(lt.ops[0].table, "t100_s0");
  EXPECT_EQ(lt.ops[0].value, "1");
  EXPECT_EQ(lt.ops[1].value, "3");
  EXPECT_EQ(lt.ops[2].table, "t100_s1");
  EXPECT_EQ(lt.ops[3].table, "i101_s1");
  EXPECT_EQ(lt.ops[4].kind, LogOpKind::kDelete);
  EXPECT_EQ(lt.ops[4].key, "b");
  EXPECT_EQ(lt.ops[5].table, "sys_catalog");
}

TEST_F(ShardLogTest, RolledBackAndReadOnlyTransactionsLeaveNothing) {
  uint64_t before = engine_->DurableLsn();
  {
    std::unique_ptr<Transaction> t = engine_->Begin();
    t->Put("t100_s0", "a", "1");
    t->Rollback();
  }
  {
    std::unique_ptr<Transaction> t = engine_->Begin();
    EXPECT_EQ(t->Get("t100_s0", "a"), std::nullopt);
    t->Commit();
  }
  EXPECT_TRUE(Commits(ReadLog(engine_.get(), before, 100)).empty());
}

TEST_F(ShardLogTest, LsnsFollowCommitsAndReadingResumesAfterAnLsn) {
  for (int i = 0; i < 5; ++i) {
    std::unique_ptr<Transaction> t = engine_->Begin();
    t->Put(i % 2 == 0 ? "t100_s0" : "t100_s1", "k", std::to_string(i));
    t->Commit();
  }
  std::vector<LoggedTransaction> log = Commits(ReadLog(engine_.get(), 0, 100));
  ASSERT_EQ(log.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(log[i].ops.size(), 1u);
    EXPECT_EQ(log[i].ops[0].value, std::to_string(i));
    if (i > 0) EXPECT_LT(log[i - 1].commit.lsn, log[i].commit.lsn);
  }
  std::vector<LoggedTransaction> rest = ReadLog(engine_.get(), log[2].commit.lsn, 100);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].commit.lsn, log[3].commit.lsn);
  EXPECT_EQ(ReadLog(engine_.get(), 0, 2).size(), 2u);
}

TEST_F(ShardLogTest, TableCreationAndDropAreLogged) {
  uint64_t before = engine_->LastLsn();
  engine_->CreateTable("t200_s4");
  engine_->DropTable("t200_s4");
  std::vector<LoggedTransaction> log = ReadLog(engine_.get(), before, 100);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].commit.kind, LogCommitKind::kCreateTable);
  EXPECT_EQ(log[0].commit.table, "t200_s4");
  EXPECT_EQ(log[1].commit.kind, LogCommitKind::kDropTable);
  std::vector<std::string> tables = engine_->ListTables();
  EXPECT_NE(std::find(tables.begin(), tables.end(), "log_s4"), tables.end());
}

TEST_F(ShardLogTest, TruncationRemovesOldEntriesOnly) {
  std::unique_ptr<Transaction> t = engine_->Begin();
  t->Put("t100_s0", "a", "1");
  t->Commit();
  uint64_t cut = engine_->LastLsn() + 1;
  t = engine_->Begin();
  t->Put("t100_s0", "b", "2");
  t->Commit();
  EXPECT_GE(TruncateLog(engine_.get(), cut, 1), 1u);
  std::vector<LoggedTransaction> log = Commits(ReadLog(engine_.get(), 0, 100));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].ops[0].key, "b");
  // No operation entry of a removed transaction is left behind.
  std::unique_ptr<Transaction> r = engine_->Begin();
  std::unique_ptr<Cursor> c = r->Scan("log_s0", "o", "p");
  int ops = 0;
  while (c->Next()) ++ops;
  EXPECT_EQ(ops, 1);
}

TEST_F(ShardLogTest, ConcurrentCommitsAreReadWithoutGaps) {
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([this, w] {
      for (int i = 0; i < 50; ++i) {
        std::unique_ptr<Transaction> t = engine_->Begin();
        t->Put(w % 2 == 0 ? "t100_s0" : "t100_s1", std::to_string(w) + "/" + std::to_string(i),
               "v");
        t->Commit();
      }
    });
  }
  // A reader that follows the log while the writers run sees each commit once, in LSN order.
  uint64_t at = 0;
  size_t seen = 0;
  auto follow = [&] {
    for (const LoggedTransaction& lt : ReadLog(engine_.get(), at, 1000)) {
      ASSERT_GT(lt.commit.lsn, at);
      at = lt.commit.lsn;
      if (lt.commit.kind == LogCommitKind::kCommit) ++seen;
    }
  };
  for (int i = 0; i < 20; ++i) follow();
  for (std::thread& w : writers) w.join();
  follow();
  EXPECT_EQ(seen, 200u);
}

TEST(ShardLogRestartTest, TheClockStartsAfterEveryLoggedLsn) {
  TempDir dir;
  uint64_t last = 0;
  {
    std::unique_ptr<Engine> e = OpenOrDie(SmallWtOptions(dir.path()));
    e->CreateTable("t1_s0");
    std::unique_ptr<Transaction> t = e->Begin();
    t->Put("t1_s0", "k", "v");
    t->Commit();
    for (int i = 0; i < 3; ++i) {
      t = e->Begin();
      t->Put("t1_s0", "k", std::to_string(i));
      t->Commit();
    }
    last = e->LastLsn();
  }
  std::unique_ptr<Engine> e = OpenOrDie(SmallWtOptions(dir.path()));
  EXPECT_EQ(e->LastLsn(), last);
  std::unique_ptr<Transaction> t = e->Begin();
  t->Put("t1_s0", "k", "after");
  t->Commit();
  EXPECT_GT(e->LastLsn(), last);
  std::vector<LoggedTransaction> log = Commits(ReadLog(e.get(), 0, 100));
  ASSERT_EQ(log.size(), 5u);
  EXPECT_EQ(log.back().ops[0].value, "after");
}

TEST(ShardLogOffTest, NoLogTablesAndNoLsns) {
  TempDir dir;
  StorageOptions o = SmallWtOptions(dir.path());
  o.shard_log = false;
  std::unique_ptr<Engine> e = OpenOrDie(o);
  e->CreateTable("t1_s0");
  std::unique_ptr<Transaction> t = e->Begin();
  t->Put("t1_s0", "k", "v");
  t->Commit();
  EXPECT_EQ(e->DurableLsn(), 0u);
  EXPECT_THAT(e->ListTables(), ElementsAre("t1_s0"));
}

}  // namespace
}  // namespace activestore::storage
