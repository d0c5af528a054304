#include "executor/table_stats.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace activestore::executor {
namespace {

constexpr uint32_t kDb = 5;
constexpr uint32_t kTable = 16384;

RelationStats ReadOf(const TableStatistics& s, uint32_t relation = kTable) {
  RelationStats r;
  s.Read(kDb, relation, &r);
  return r;
}

TEST(TableStatisticsTest, NothingCountedReadsAsAbsent) {
  TableStatistics s;
  RelationStats r;
  EXPECT_FALSE(s.Read(kDb, kTable, &r));
  s.CountScans(kDb, kTable, 1, 10, 0);
  EXPECT_TRUE(s.Read(kDb, kTable, &r));
  EXPECT_FALSE(s.Read(kDb + 1, kTable, &r));  // per database
  EXPECT_EQ(r.numscans, 1);
  EXPECT_EQ(r.tuples_returned, 10);
}

TEST(TableStatisticsTest, CommittedChangesMoveLiveAndDead) {
  TableStatistics s;
  TransactionTableCounts t;
  t.Inserted(kTable, 3);
  t.Updated(kTable, 1);
  t.Deleted(kTable, 1);
  s.EndTransaction(kDb, &t, true);
  EXPECT_TRUE(t.empty());
  RelationStats r = ReadOf(s);
  EXPECT_EQ(r.tuples_inserted, 3);
  EXPECT_EQ(r.tuples_updated, 1);
  EXPECT_EQ(r.tuples_deleted, 1);
  EXPECT_EQ(r.live_tuples, 2);
  EXPECT_EQ(r.dead_tuples, 2);
  EXPECT_EQ(r.mod_since_analyze, 5);
  EXPECT_EQ(r.ins_since_vacuum, 3);
}

TEST(TableStatisticsTest, RolledBackChangesCountAsAttemptedAndDead) {
  TableStatistics s;
  TransactionTableCounts t;
  t.Inserted(kTable, 4);
  t.Updated(kTable, 2);
  t.Deleted(kTable, 1);
  s.EndTransaction(kDb, &t, false);
  RelationStats r = ReadOf(s);
  EXPECT_EQ(r.tuples_inserted, 4);
  EXPECT_EQ(r.tuples_updated, 2);
  EXPECT_EQ(r.tuples_deleted, 1);
  EXPECT_EQ(r.live_tuples, 0);
  EXPECT_EQ(r.dead_tuples, 6);  // inserted + updated
  EXPECT_EQ(r.mod_since_analyze, 0);
  EXPECT_EQ(r.ins_since_vacuum, 4);
}

TEST(TableStatisticsTest, LiveNeverGoesNegative) {
  TableStatistics s;
  TransactionTableCounts t;
  t.Deleted(kTable, 3);  // rows counted before a restart
  s.EndTransaction(kDb, &t, true);
  EXPECT_EQ(ReadOf(s).live_tuples, 0);
  EXPECT_EQ(ReadOf(s).dead_tuples, 3);
}

TEST(TableStatisticsTest, CommittedTruncateRestartsLiveAndDead) {
  TableStatistics s;
  TransactionTableCounts t;
  t.Inserted(kTable, 10);
  s.EndTransaction(kDb, &t, true);
  t.Inserted(kTable, 2);
  t.Truncated(kTable);
  t.Inserted(kTable, 1);
  s.EndTransaction(kDb, &t, true);
  RelationStats r = ReadOf(s);
  EXPECT_EQ(r.tuples_inserted, 11);  // the 2 before the TRUNCATE are forgotten, as PostgreSQL
  EXPECT_EQ(r.live_tuples, 1);
  EXPECT_EQ(r.dead_tuples, 0);
  EXPECT_EQ(r.ins_since_vacuum, 1);
}

TEST(TableStatisticsTest, RolledBackTruncateCountsWhatCameBefore) {
  TableStatistics s;
  TransactionTableCounts t;
  t.Inserted(kTable, 10);
  s.EndTransaction(kDb, &t, true);
  t.Inserted(kTable, 2);
  t.Truncated(kTable);
  t.Inserted(kTable, 5);
  s.EndTransaction(kDb, &t, false);
  RelationStats r = ReadOf(s);
  EXPECT_EQ(r.tuples_inserted, 12);
  EXPECT_EQ(r.live_tuples, 10);
  EXPECT_EQ(r.dead_tuples, 2);
}

TEST(TableStatisticsTest, RolledBackSavepointCountsAsRolledBack) {
  TableStatistics s;
  TransactionTableCounts t;
  t.Inserted(kTable, 1);
  const size_t mark = t.Savepoint();
  t.Inserted(kTable, 2);
  t.Deleted(kTable, 1);
  t.RollbackTo(mark);
  ASSERT_NE(t.Find(kTable), nullptr);
  EXPECT_EQ(t.Find(kTable)->inserted, 1);
  t.Inserted(kTable, 4);  // after ROLLBACK TO, inside the still open savepoint
  t.Release(mark);
  s.EndTransaction(kDb, &t, true);
  RelationStats r = ReadOf(s);
  EXPECT_EQ(r.tuples_inserted, 7);
  EXPECT_EQ(r.tuples_deleted, 1);
  EXPECT_EQ(r.live_tuples, 5);
  EXPECT_EQ(r.dead_tuples, 2);  // the rolled-back insert of 2 rows
  EXPECT_EQ(r.mod_since_analyze, 5);
}

TEST(TableStatisticsTest, RowChangeCounterFoldsRunsAndTheRestAtTheEnd) {
  TransactionTableCounts t;
  {
    RowChangeCounter c(&t, RowChangeCounter::Kind::kInsert);
    c.Count(kTable);
    c.Count(kTable);
    c.Count(kTable + 1);
    EXPECT_EQ(t.Find(kTable)->inserted, 2);
    EXPECT_EQ(t.Find(kTable + 1), nullptr);
  }
  EXPECT_EQ(t.Find(kTable + 1)->inserted, 1);
  RowChangeCounter none(nullptr, RowChangeCounter::Kind::kDelete);
  none.Count(kTable);  // counts nothing, and does not crash
}

TEST(TableStatisticsTest, ResetDropsTheDatabasesCountersAndKeepsPageBases) {
  TableStatistics s;
  s.CountScans(kDb, kTable, 2, 20, 0);
  s.CountScans(kDb + 1, kTable, 1, 1, 0);
  s.Reset(kDb, {{kTable, 7, 3}});
  RelationStats r;
  ASSERT_TRUE(s.Read(kDb, kTable, &r));
  EXPECT_EQ(r.numscans, 0);
  EXPECT_EQ(r.pages_requested_base, 7);
  EXPECT_EQ(r.pages_read_base, 3);
  EXPECT_TRUE(s.Read(kDb + 1, kTable, &r));
  EXPECT_EQ(r.numscans, 1);
  s.CountScans(kDb, kTable + 1, 1, 0, 0);
  s.ResetRelation(kDb, {kTable + 1, 0, 0});
  EXPECT_FALSE(s.Read(kDb, kTable + 1, &r));
}

TEST(TableStatisticsTest, PruneDropsRelationsThatAreGone) {
  TableStatistics s;
  s.CountScans(kDb, kTable, 1, 0, 0);
  s.CountScans(kDb, kTable + 1, 1, 0, 0);
  s.CountScans(kDb + 1, kTable + 1, 1, 0, 0);
  s.Prune(kDb, [](uint32_t oid) { return oid == kTable; });
  RelationStats r;
  EXPECT_TRUE(s.Read(kDb, kTable, &r));
  EXPECT_FALSE(s.Read(kDb, kTable + 1, &r));
  EXPECT_TRUE(s.Read(kDb + 1, kTable + 1, &r));
}

TEST(TableStatisticsTest, ConcurrentCountsAddUp) {
  TableStatistics s;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&s] {
      TransactionTableCounts t;
      for (int k = 0; k < 1000; ++k) {
        s.CountScans(kDb, kTable + static_cast<uint32_t>(k % 3), 1, 2, 0);
        t.Inserted(kTable, 1);
        s.EndTransaction(kDb, &t, true);
      }
    });
  }
  for (auto& t : threads) t.join();
  int64_t scans = 0;
  for (uint32_t r = 0; r < 3; ++r) scans += ReadOf(s, kTable + r).numscans;
  EXPECT_EQ(scans, 4000);
  EXPECT_EQ(ReadOf(s).live_tuples, 4000);
  EXPECT_EQ(ReadOf(s).tuples_inserted, 4000);
}

TEST(TableStatisticsTest, AnalyzeSetsLiveRowsAndForgetsEarlierChanges) {
  TableStatistics s;
  TransactionTableCounts t;
  t.Inserted(kTable, 10);
  t.Deleted(kTable, 2);
  s.EndTransaction(kDb, &t, true);
  RelationStats before = ReadOf(s);
  EXPECT_EQ(before.last_analyze_us, INT64_MIN);
  EXPECT_EQ(before.analyze_count, 0);
  // Changes counted before ANALYZE started are forgotten; those made since are kept.
  t.Inserted(kTable, 1);
  s.EndTransaction(kDb, &t, true);
  s.Analyzed(kDb, kTable, 9, before.mod_since_analyze, 12345);
  RelationStats r = ReadOf(s);
  EXPECT_EQ(r.live_tuples, 9);
  EXPECT_EQ(r.dead_tuples, 0);
  EXPECT_EQ(r.mod_since_analyze, 1);
  EXPECT_EQ(r.last_analyze_us, 12345);
  EXPECT_EQ(r.analyze_count, 1);
}

}  // namespace
}  // namespace activestore::executor
