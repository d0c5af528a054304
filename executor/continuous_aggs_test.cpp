// The range arithmetic of continuous aggregates' invalidations (continuous_aggs.h): RangeSet.
// The logs themselves are tables: sql-tests/timeseries/continuous_aggregates*.test and
// tools/cagg_restart_test.py.
#include "executor/continuous_aggs.h"

#include <gtest/gtest.h>

#include <limits>

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

}  // namespace
}  // namespace activestore::executor
