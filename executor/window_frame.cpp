#include "executor/window_frame.h"

#include <algorithm>

namespace activestore::executor {

using planner::WindowFrameBound;
using planner::WindowFrameMode;

namespace {

// i - off, at least 0; i + off, at most n (offsets may be huge).
size_t Minus(size_t i, int64_t off) {
  return static_cast<uint64_t>(off) >= i ? 0 : i - static_cast<size_t>(off);
}
size_t Plus(size_t i, int64_t off, size_t n) {
  return static_cast<uint64_t>(off) >= n - i ? n : i + static_cast<size_t>(off);
}

// The first row (start) or the row after the last (end) that bound b puts in row i's frame.
size_t BoundRow(const planner::WindowSpec& w, const PeerGroups& peers, size_t i, WindowFrameBound b,
                int64_t off, size_t range_row, bool is_end) {
  const size_t n = peers.group.size();
  const size_t g = peers.group[i];
  const size_t ng = peers.groups();
  switch (b) {
    case WindowFrameBound::kUnboundedPreceding:
      return 0;
    case WindowFrameBound::kUnboundedFollowing:
      return n;
    case WindowFrameBound::kCurrentRow:
      if (w.mode == WindowFrameMode::kRows) return is_end ? i + 1 : i;
      return is_end ? peers.first[g + 1] : peers.first[g];
    case WindowFrameBound::kOffsetPreceding:
      if (w.mode == WindowFrameMode::kRows) return is_end ? Minus(i + 1, off) : Minus(i, off);
      if (w.mode == WindowFrameMode::kGroups) {
        if (is_end)
          return static_cast<uint64_t>(off) > g ? 0 : peers.first[g - static_cast<size_t>(off) + 1];
        return peers.first[Minus(g, off)];
      }
      return range_row;
    case WindowFrameBound::kOffsetFollowing:
      if (w.mode == WindowFrameMode::kRows) return is_end ? Plus(i + 1, off, n) : Plus(i, off, n);
      if (w.mode == WindowFrameMode::kGroups) {
        const size_t to = Plus(g, off, ng);  // the group the bound is in (ng: past the last)
        if (is_end) return to >= ng ? n : peers.first[to + 1];
        return to >= ng ? n : peers.first[to];
      }
      return range_row;
  }
  return 0;
}

}  // namespace

std::pair<size_t, size_t> FrameBounds(const planner::WindowSpec& w, const PeerGroups& peers,
                                      size_t i, int64_t start_offset, int64_t end_offset,
                                      size_t range_begin, size_t range_end) {
  size_t begin = BoundRow(w, peers, i, w.start, start_offset, range_begin, false);
  size_t end = BoundRow(w, peers, i, w.end, end_offset, range_end, true);
  if (end < begin) end = begin;
  return {begin, end};
}

std::vector<std::pair<size_t, size_t>> FrameParts(planner::WindowExclusion exclusion,
                                                  const PeerGroups& peers, size_t i, size_t begin,
                                                  size_t end) {
  std::vector<std::pair<size_t, size_t>> parts;
  auto add = [&](size_t a, size_t b) {
    a = std::max(a, begin);
    b = std::min(b, end);
    if (a < b) parts.emplace_back(a, b);
  };
  const size_t gs = peers.first[peers.group[i]], ge = peers.first[peers.group[i] + 1];
  switch (exclusion) {
    case planner::WindowExclusion::kNoOthers:
      add(begin, end);
      break;
    case planner::WindowExclusion::kCurrentRow:
      add(begin, i);
      add(i + 1, end);
      break;
    case planner::WindowExclusion::kGroup:
      add(begin, gs);
      add(ge, end);
      break;
    case planner::WindowExclusion::kTies:
      add(begin, gs);
      add(i, i + 1);
      add(ge, end);
      break;
  }
  return parts;
}

}  // namespace activestore::executor
