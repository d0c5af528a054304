// The per-column statistics ANALYZE computes from a sample of a table's rows, as PostgreSQL 15's
// analyze.c does for a column whose type has a default btree operator class
// (compute_scalar_stats: null fraction, average width, distinct-value estimate, most common
// values with their frequencies, histogram bounds, order correlation) and for one without
// (compute_trivial_stats: null fraction and width only), and for an array column also the
// element statistics of compute_array_stats (most common elements by lossy counting, histogram
// of distinct-element counts). PostgreSQL's compute_distinct_stats (types with equality but no
// order: xid, cid, aclitem) is not: such columns get the trivial statistics.
//
// Thread safety: pure functions.
#pragma once

#include <span>

#include "common/value.h"
#include "storage/column_stats.h"

namespace activestore::executor {

struct ColumnSampleInfo {
  Type type;          // the column's type (a domain's base type)
  bool orderable;     // the type has a default btree operator class
  int target = 100;   // the statistics target (default_statistics_target): MCV and bins
  double total_rows;  // the table's (estimated) row count
  // An array column whose element type has a default btree operator class: also the element
  // statistics (compute_array_stats).
  bool element_stats = false;
};

// The statistics of one column from `sample`, its values in the sampled rows' order (NULLs
// included). REQUIRES: !sample.empty().
storage::ColumnStats ComputeColumnStats(std::span<const Value> sample,
                                        const ColumnSampleInfo& info);

// The width PostgreSQL would store a non-NULL value of `v`'s type in, bytes (pg_stats.avg_width
// averages it): typlen for fixed-width types; for variable-width ones the data with its 1-byte
// (up to 126 bytes of data) or 4-byte header, numeric in PostgreSQL's base-10000 packing and
// arrays with PostgreSQL's array header and element alignment.
int StoredWidth(const Value& v);

}  // namespace activestore::executor
