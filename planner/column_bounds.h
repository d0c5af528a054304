// Comparisons of a column with a value, as the planner reads them off WHERE conjuncts: the
// time range of a hypertable's chunk pruning (bind_inherit.cpp) and the bounds of gap filling
// (bind_timeseries.cpp). Pure functions; thread-compatible.
#pragma once

#include <optional>
#include <string>

#include "planner/plan.h"

namespace activestore::planner {

// A comparison `column op value` or `value op column` of the FROM-row column `column`, with op
// one of = < <= > >=: the operator as seen from the column's side ("5 > x" gives "<") and the
// other operand; nullopt for any other expression.
struct ColumnBound {
  std::string op;
  BoundExprPtr value;
};
std::optional<ColumnBound> ColumnComparison(const BoundExprPtr& e, int column);

}  // namespace activestore::planner
