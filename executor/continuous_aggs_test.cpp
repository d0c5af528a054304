// The invalidation bookkeeping of continuous aggregates (continuous_aggs.h): RangeSet, the
// node's CaggLog and a session's CaggTxnLog (commit, rollback, ROLLBACK TO of a refresh).
#include "executor/continuous_aggs.h"

#include <gtest/gtest.h>

#include <limits>
#include <memory>

namespace activestore::executor {
namespace {

using Ranges = std::vector<std::pair<int64_t, int64_t>>;
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

Ranges All(const RangeSet& s) { return Ranges(s.ranges().begin(), s.ranges().end()); }

TEST(RangeSetTest, AddMergesOverlappingAndAdjacentRanges) {
  RangeSet s;
  s.Add(10, 20);
  s.Add(30, 40);
  EXPECT_EQ(All(s), (Ranges{{10, 20}, {30, 40}}));
  s.Add(20, 25);  // adjacent: merged
  EXPECT_EQ(All(s), (Ranges{{10, 25}, {30, 40}}));
  s.Add(5, 35);  // spans both
  EXPECT_EQ(All(s), (Ranges{{5, 40}}));
  s.Add(50, 50);  // empty: ignored
  EXPECT_EQ(All(s), (Ranges{{5, 40}}));
}

TEST(RangeSetTest, TakeRemovesTheWindowAndKeepsTheRest) {
  RangeSet s;
  s.Add(0, 100);
  s.Add(200, 300);
  EXPECT_EQ(s.Take(50, 250), (Ranges{{50, 100}, {200, 250}}));
  EXPECT_EQ(All(s), (Ranges{{0, 50}, {250, 300}}));
  EXPECT_TRUE(s.Take(100, 200).empty());
  EXPECT_EQ(s.Take(kMin, kMax), (Ranges{{0, 50}, {250, 300}}));
  EXPECT_TRUE(s.empty());
}

TEST(CaggLogTest, AnAggregateNotSeenYetIsWhollyInvalid) {
  CaggLog log;
  // After a restart: the first refresh of a window recomputes all of it.
  EXPECT_EQ(log.Take(7, 0, 100), (Ranges{{0, 100}}));
  EXPECT_TRUE(log.Take(7, 0, 100).empty());
  EXPECT_EQ(log.Take(7, 100, 200), (Ranges{{100, 200}}));
  // A new aggregate starts with nothing invalid.
  log.Created(8);
  EXPECT_TRUE(log.Take(8, kMin, kMax).empty());
  log.Invalidate({8}, 5, 6);
  EXPECT_EQ(log.Take(8, kMin, kMax), (Ranges{{5, 6}}));
}

TEST(CaggTxnLogTest, ChangesInvalidateOnlyAfterCommit) {
  CaggLog log;
  log.Created(8);
  CaggTxnLog txn(&log);
  txn.Changed(1, 10, 20);  // hypertable 1: no aggregate in this (empty) catalog
  storage::CatalogSnapshot empty;
  txn.Commit(empty);
  EXPECT_TRUE(log.Take(8, kMin, kMax).empty());
  // Rolled back: nothing reaches the log.
  txn.Changed(1, 10, 20);
  txn.Rollback();
  EXPECT_TRUE(log.Take(8, kMin, kMax).empty());
}

TEST(CaggTxnLogTest, ACommitInvalidatesTheAggregatesOnTheChangedHypertable) {
  CaggLog log;
  log.Created(8);
  log.Created(9);
  storage::CatalogSnapshot catalog;
  auto view = std::make_shared<storage::TableInfo>();
  view->oid = 8;
  view->name = "agg";
  view->is_view = true;
  view->cagg = storage::ContinuousAggInfo{};
  view->cagg->raw_hypertable = 1;
  catalog.tables[{5, "public", "agg"}] = view;
  CaggTxnLog txn(&log);
  txn.Changed(1, 10, 20);
  txn.Changed(1, 15, 30);
  txn.Changed(2, 0, 5);                          // another hypertable
  EXPECT_TRUE(log.Take(8, kMin, kMax).empty());  // not before the commit
  txn.Commit(catalog);
  EXPECT_EQ(log.Take(8, kMin, kMax), (Ranges{{10, 30}}));
  EXPECT_TRUE(log.Take(9, kMin, kMax).empty());
}

TEST(CaggTxnLogTest, ARolledBackRefreshGivesBackWhatItTook) {
  CaggLog log;
  log.Created(8);
  log.Invalidate({8}, 0, 10);
  CaggTxnLog txn(&log);
  txn.Taken(8, log.Take(8, kMin, kMax));
  EXPECT_TRUE(log.Take(8, kMin, kMax).empty());
  txn.Rollback();
  EXPECT_EQ(log.Take(8, kMin, kMax), (Ranges{{0, 10}}));
  // ROLLBACK TO SAVEPOINT gives it back too; a commit keeps it taken.
  log.Invalidate({8}, 0, 10);
  txn.Taken(8, log.Take(8, kMin, kMax));
  txn.RestoreTaken();
  EXPECT_EQ(log.Take(8, 0, 5), (Ranges{{0, 5}}));
  txn.Taken(8, log.Take(8, kMin, kMax));
  storage::CatalogSnapshot empty;
  txn.Commit(empty);
  EXPECT_TRUE(log.Take(8, kMin, kMax).empty());
}

}  // namespace
}  // namespace activestore::executor
