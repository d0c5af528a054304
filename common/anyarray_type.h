// anyarray (2277) as a column type: PostgreSQL's pseudo-type of the catalog columns that hold
// arrays of different element types from row to row (pg_statistic.stavalues1..5, pg_stats'
// most_common_vals and histogram_bounds, pg_attribute.attmissingval). A value is an array blob
// (common/array.h), which names its element type; its output is that array type's (array_out),
// so `histogram_bounds::text` works as in PostgreSQL. There is no input (anyarray_in: 0A000).
// As a function's declared argument or result type anyarray stays polymorphic
// (planner/polymorphic.cpp); this entry is for values that are already arrays.
//
// Representation: ValueLayout::kString, the blob. Stateless and thread-safe.
#pragma once

#include "common/types.h"

namespace activestore {

struct TypeMethods;

extern const TypeMethods kAnyArrayMethods;

}  // namespace activestore
