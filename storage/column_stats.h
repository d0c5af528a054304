// ANALYZE's statistics of one column: what PostgreSQL keeps in the column's pg_statistic row
// (executor/analyze.cpp gathers them, planner/pg_catalog/statistics.cpp shows them as
// pg_statistic and pg_stats). They live in the column's catalog entry (ColumnInfo::stats), so
// they are written, rolled back, replicated and dropped with it, as PostgreSQL's pg_statistic
// rows are with its transactions.
//
// Thread safety: plain values, shared immutable once in a catalog snapshot.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace activestore::storage {

struct ColumnStats {
  // The column's type oid when they were gathered: a column whose type changed since shows no
  // statistics (PostgreSQL deletes them in ALTER COLUMN TYPE).
  uint32_t type_oid = 0;
  float null_frac = 0;   // stanullfrac
  int32_t width = 0;     // stawidth: average stored width of the non-NULL values, in bytes
  float n_distinct = 0;  // stadistinct: > 0 a count, < 0 minus a fraction of the rows, 0 unknown
  // The most common values (array blob of the column's type, common/array.h) and their
  // frequencies; empty when there is no such list (stakind 1).
  std::string mcv_values;
  std::vector<float> mcv_freqs;
  // The histogram bounds (array blob), empty when there is no histogram (stakind 2).
  std::string histogram;
  // The correlation of the values' order with the rows' order (stakind 3).
  std::optional<float> correlation;
  // An array column's elements: the most common ones (blob of the element type, in the element
  // type's order) and their frequencies followed by the least and greatest of those and the
  // frequency of NULL elements (stakind 4); empty if none.
  std::string mcelem_values;
  std::vector<float> mcelem_freqs;
  // An array column's histogram of distinct-element counts followed by their average (stakind
  // 5); empty if none.
  std::vector<float> dec_histogram;
};

}  // namespace activestore::storage
