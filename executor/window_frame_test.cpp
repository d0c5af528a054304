#include "executor/window_frame.h"

#include <gtest/gtest.h>

namespace activestore::executor {
namespace {

using planner::WindowExclusion;
using planner::WindowFrameBound;
using planner::WindowFrameMode;
using Parts = std::vector<std::pair<size_t, size_t>>;

// Rows 0..5 in peer groups {0,1} {2} {3,4,5}.
PeerGroups Groups() { return PeerGroups{{0, 0, 1, 2, 2, 2}, {0, 2, 3, 6}}; }

planner::WindowSpec Spec(WindowFrameMode mode, WindowFrameBound start, WindowFrameBound end) {
  planner::WindowSpec w;
  w.mode = mode;
  w.start = start;
  w.end = end;
  return w;
}

TEST(WindowFrameTest, DefaultFrameEndsAtTheLastPeer) {
  auto w = Spec(WindowFrameMode::kRange, WindowFrameBound::kUnboundedPreceding,
                WindowFrameBound::kCurrentRow);
  PeerGroups p = Groups();
  EXPECT_EQ(FrameBounds(w, p, 0, 0, 0, 0, 0), std::make_pair(size_t{0}, size_t{2}));
  EXPECT_EQ(FrameBounds(w, p, 2, 0, 0, 0, 0), std::make_pair(size_t{0}, size_t{3}));
  EXPECT_EQ(FrameBounds(w, p, 3, 0, 0, 0, 0), std::make_pair(size_t{0}, size_t{6}));
}

TEST(WindowFrameTest, RowsOffsetsClampAtThePartition) {
  auto w = Spec(WindowFrameMode::kRows, WindowFrameBound::kOffsetPreceding,
                WindowFrameBound::kOffsetFollowing);
  PeerGroups p = Groups();
  EXPECT_EQ(FrameBounds(w, p, 0, 1, 1, 0, 0), std::make_pair(size_t{0}, size_t{2}));
  EXPECT_EQ(FrameBounds(w, p, 3, 1, 1, 0, 0), std::make_pair(size_t{2}, size_t{5}));
  EXPECT_EQ(FrameBounds(w, p, 5, INT64_MAX, INT64_MAX, 0, 0), std::make_pair(size_t{0}, size_t{6}));
  // 2 PRECEDING AND 1 PRECEDING at the first row: empty.
  auto back = Spec(WindowFrameMode::kRows, WindowFrameBound::kOffsetPreceding,
                   WindowFrameBound::kOffsetPreceding);
  auto f = FrameBounds(back, p, 0, 2, 1, 0, 0);
  EXPECT_EQ(f.first, f.second);
  EXPECT_EQ(FrameBounds(back, p, 4, 2, 1, 0, 0), std::make_pair(size_t{2}, size_t{4}));
}

TEST(WindowFrameTest, GroupsCountPeerGroups) {
  auto w = Spec(WindowFrameMode::kGroups, WindowFrameBound::kOffsetPreceding,
                WindowFrameBound::kOffsetFollowing);
  PeerGroups p = Groups();
  // Row 2 (group 1): groups 0..2.
  EXPECT_EQ(FrameBounds(w, p, 2, 1, 1, 0, 0), std::make_pair(size_t{0}, size_t{6}));
  // Row 0: group 0 and 1 FOLLOWING -> rows 0..2.
  EXPECT_EQ(FrameBounds(w, p, 0, 1, 1, 0, 0), std::make_pair(size_t{0}, size_t{3}));
  EXPECT_EQ(FrameBounds(w, p, 4, 0, 0, 0, 0), std::make_pair(size_t{3}, size_t{6}));
  auto ahead = Spec(WindowFrameMode::kGroups, WindowFrameBound::kOffsetFollowing,
                    WindowFrameBound::kUnboundedFollowing);
  auto f = FrameBounds(ahead, p, 3, 1, 0, 0, 0);
  EXPECT_EQ(f.first, f.second);
}

TEST(WindowFrameTest, RangeOffsetsUseTheRowsGiven) {
  auto w = Spec(WindowFrameMode::kRange, WindowFrameBound::kOffsetPreceding,
                WindowFrameBound::kOffsetFollowing);
  PeerGroups p = Groups();
  EXPECT_EQ(FrameBounds(w, p, 2, 0, 0, 1, 4), std::make_pair(size_t{1}, size_t{4}));
}

TEST(WindowFrameTest, ExclusionsRemoveRowsFromTheFrame) {
  PeerGroups p = Groups();
  EXPECT_EQ(FrameParts(WindowExclusion::kNoOthers, p, 4, 0, 6), (Parts{{0, 6}}));
  EXPECT_EQ(FrameParts(WindowExclusion::kCurrentRow, p, 4, 0, 6), (Parts{{0, 4}, {5, 6}}));
  EXPECT_EQ(FrameParts(WindowExclusion::kGroup, p, 4, 0, 6), (Parts{{0, 3}}));
  EXPECT_EQ(FrameParts(WindowExclusion::kTies, p, 4, 0, 6), (Parts{{0, 3}, {4, 5}}));
  // The current row outside the frame stays out under TIES.
  EXPECT_EQ(FrameParts(WindowExclusion::kTies, p, 4, 0, 2), (Parts{{0, 2}}));
  EXPECT_EQ(FrameParts(WindowExclusion::kCurrentRow, p, 0, 0, 1), Parts{});
}

}  // namespace
}  // namespace activestore::executor
