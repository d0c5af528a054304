// Window frames: which rows of a partition a window function's frame holds (PostgreSQL's
// nodeWindowAgg.c update_frameheadpos / update_frametailpos and the EXCLUDE options), over a
// partition already sorted by the window's ORDER BY. Pure functions over row positions; the
// RANGE offset bounds, which compare values, are found by the caller (window_agg.cpp) and passed
// in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "planner/plan.h"

namespace activestore::executor {

// The peer groups of a partition of n rows: rows with equal ORDER BY keys (all rows when there
// is no ORDER BY). group[i] is the group of row i; first[g] the first row of group g, and
// first.back() == n.
struct PeerGroups {
  std::vector<uint32_t> group;
  std::vector<size_t> first;
  size_t groups() const { return first.size() - 1; }
};

// [begin, end) of row i's frame before exclusion (empty: begin == end). start_offset /
// end_offset are the ROWS/GROUPS offsets (>= 0); range_begin / range_end the rows that RANGE
// offset bounds give (used only for those bounds).
std::pair<size_t, size_t> FrameBounds(const planner::WindowSpec& w, const PeerGroups& peers,
                                      size_t i, int64_t start_offset, int64_t end_offset,
                                      size_t range_begin, size_t range_end);

// The frame [begin, end) of row i less the rows its EXCLUDE option removes: up to three
// non-empty ranges, in order.
std::vector<std::pair<size_t, size_t>> FrameParts(planner::WindowExclusion exclusion,
                                                  const PeerGroups& peers, size_t i, size_t begin,
                                                  size_t end);

}  // namespace activestore::executor
