// storage::BeginReaders: parallel readers that read exactly their leader's snapshot
// (WiredTiger named snapshots), while other transactions keep committing.
#include "storage/parallel_readers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "storage/storage.h"
#include "storage/storage_testing.h"

namespace activestore::storage {
namespace {

using testing::OpenOrDie;
using testing::SmallWtOptions;
using testing::TempDir;

constexpr int kTables = 8;

std::string Table(int i) { return "p" + std::to_string(i); }

std::optional<std::string> GetOf(Transaction& t, int table) { return t.Get(Table(table), "k"); }

class ParallelReadersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StorageOptions o = SmallWtOptions(dir_.path());
    o.sync_mode = "off";
    engine_ = OpenOrDie(o);
    for (int i = 0; i < kTables; ++i) engine_->CreateTable(Table(i));
    WriteAll("0");
  }

  // One transaction writes `value` under "k" in every table.
  void WriteAll(const std::string& value) {
    auto t = engine_->Begin(Isolation::kSnapshot);
    for (int i = 0; i < kTables; ++i) t->Put(Table(i), "k", value);
    t->Commit();
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(ParallelReadersTest, ReadersAndAnUntouchedLeaderShareOneSnapshot) {
  auto leader = engine_->Begin(Isolation::kSnapshot);
  WriteAll("1");  // after the leader began, before it read: its snapshot is taken again
  auto group = BeginReaders(leader.get(), 3, true);
  ASSERT_NE(group, nullptr);
  ASSERT_EQ(group->readers().size(), 3u);
  WriteAll("2");  // after the shared snapshot: seen by nobody
  EXPECT_EQ(GetOf(*leader, 0), "1");
  for (Transaction* r : group->readers()) {
    for (int i = 0; i < kTables; ++i) EXPECT_EQ(GetOf(*r, i), "1");
  }
}

// The test that fails when each reader takes a snapshot of its own: writers commit all the time,
// and every reader of one group must see the same value in every table.
TEST_F(ParallelReadersTest, ConcurrentCommitsNeverMixSnapshots) {
  std::atomic<bool> stop{false};
  std::atomic<int> commits{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      for (int v = 1; !stop.load(); ++v) {
        try {
          WriteAll(std::to_string(w) + ":" + std::to_string(v));
          commits.fetch_add(1);
        } catch (const Error& e) {
          if (!IsWriteConflict(e)) throw;  // the other writer: try the next value
        }
      }
    });
  }
  int mixed = 0, groups = 0;
  for (int round = 0; round < 300; ++round) {
    Isolation iso = round % 2 == 0 ? Isolation::kSnapshot : Isolation::kReadCommitted;
    auto leader = engine_->Begin(iso);
    auto group = BeginReaders(leader.get(), kTables, true);
    ASSERT_NE(group, nullptr);
    ++groups;
    std::vector<std::optional<std::string>> seen(kTables);
    std::vector<std::thread> readers;
    for (int i = 0; i < kTables; ++i) {
      readers.emplace_back([&, i] {
        Transaction* r = group->readers()[static_cast<size_t>(i)];
        seen[static_cast<size_t>(i)] = GetOf(*r, i);
      });
    }
    for (auto& t : readers) t.join();
    for (int i = 1; i < kTables; ++i) mixed += seen[static_cast<size_t>(i)] != seen[0];
    if (iso == Isolation::kSnapshot) {
      EXPECT_EQ(GetOf(*leader, 3), seen[0]);
    }
  }
  stop = true;
  for (auto& t : writers) t.join();
  EXPECT_EQ(mixed, 0);
  EXPECT_EQ(groups, 300);
  EXPECT_GT(commits.load(), 0);
}

TEST_F(ParallelReadersTest, ARestartedLeaderStillWritesAndMeetsConflicts) {
  auto leader = engine_->Begin(Isolation::kSnapshot);
  auto group = BeginReaders(leader.get(), 2, true);
  ASSERT_NE(group, nullptr);
  group.reset();
  WriteAll("9");  // commits after the leader's (shared) snapshot
  leader->Put(Table(1), "other", "x");
  EXPECT_EQ(testing::SqlStateOf([&] { leader->Put(Table(0), "k", "mine"); }), "40001");
}

TEST_F(ParallelReadersTest, NoReadersAfterAWriteOrForALeaderThatRead) {
  auto writer = engine_->Begin(Isolation::kSnapshot);
  writer->Put(Table(0), "x", "1");
  EXPECT_EQ(BeginReaders(writer.get(), 2, true), nullptr);

  auto rc_writer = engine_->Begin(Isolation::kReadCommitted);
  rc_writer->Put(Table(0), "y", "1");
  EXPECT_EQ(BeginReaders(rc_writer.get(), 2, true), nullptr);

  auto reader = engine_->Begin(Isolation::kSnapshot);
  EXPECT_EQ(GetOf(*reader, 0), "0");
  EXPECT_EQ(BeginReaders(reader.get(), 2, true), nullptr);  // its snapshot is no longer movable

  auto fixed = engine_->Begin(Isolation::kSnapshot);  // its snapshot must stay where it is
  EXPECT_EQ(BeginReaders(fixed.get(), 2, /*may_move_snapshot=*/false), nullptr);
  auto rc_fixed = engine_->Begin(Isolation::kReadCommitted);  // no snapshot to keep
  EXPECT_NE(BeginReaders(rc_fixed.get(), 2, /*may_move_snapshot=*/false), nullptr);

  auto rc_reader = engine_->Begin(Isolation::kReadCommitted);
  EXPECT_EQ(GetOf(*rc_reader, 0), "0");
  EXPECT_NE(BeginReaders(rc_reader.get(), 2, true), nullptr);  // each read sees the newest anyway
}

TEST_F(ParallelReadersTest, LaterStatementsOfASnapshotTransactionReuseItsReaders) {
  auto leader = engine_->Begin(Isolation::kSnapshot);
  auto first = BeginReaders(leader.get(), 2, true);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(BeginReaders(leader.get(), 2, true), nullptr);  // in use by the first group
  first.reset();
  WriteAll("5");
  auto second = BeginReaders(leader.get(), 4, true);
  ASSERT_NE(second, nullptr);
  ASSERT_EQ(second->readers().size(), 2u);  // no more than the first statement had
  for (Transaction* r : second->readers()) EXPECT_EQ(GetOf(*r, 2), "0");
  second.reset();
  leader->Put(Table(0), "z", "1");
  EXPECT_EQ(BeginReaders(leader.get(), 2, true), nullptr);  // the readers cannot see that write
}

TEST_F(ParallelReadersTest, ApproximateBytesGrowsWithTheTable) {
  const uint64_t empty = ApproximateBytes(engine_.get(), Table(1));
  auto t = engine_->Begin(Isolation::kSnapshot);
  for (int i = 0; i < 20000; ++i)
    t->Put(Table(1), "key" + std::to_string(i), std::string(100, 'v'));
  t->Commit();
  EXPECT_GT(ApproximateBytes(engine_.get(), Table(1)), empty + 1000000);
  engine_->Checkpoint();
  EXPECT_GT(ApproximateBytes(engine_.get(), Table(1)), empty + 1000000);
}

TEST(ParallelReadersMemoryTest, TheMemoryEngineHasNoReaders) {
  TempDir dir;
  auto engine = OpenOrDie(testing::MemoryBackend::Options(dir.path()));
  auto t = engine->Begin(Isolation::kSnapshot);
  EXPECT_EQ(BeginReaders(t.get(), 2, true), nullptr);
}

}  // namespace
}  // namespace activestore::storage
