// The final functions of the ordered-set and hypothetical-set aggregates (planner/
// bind_ordered_set.cpp): each takes the direct arguments and the group's sorted inputs as arrays
// (hidden array_agg aggregates), with PostgreSQL 15's results and errors (orderedsetaggs.c).
//
//   percentile_cont_final(f, values)        float8 or interval, interpolated (22003 for f
//   percentile_cont_multi_final(fs, values)   outside [0, 1]); NULL inputs ignored
//   percentile_disc_final(f, values)        the first value whose position reaches f
//   percentile_disc_multi_final(fs, values)
//   mode_final(values)                      the most frequent value, the first of ties
//   hypothetical_final(kind, directions, nulls, args..., keys...)
//                                           rank, dense_rank, percent_rank, cume_dist of the
//                                           row `args` among the sorted rows of the key arrays
//
// Thread safety: stateless.
#pragma once

#include <vector>

#include "executor/array_exprs.h"

namespace activestore::executor {

const std::vector<ArrayFunctionEntry>& OrderedSetFunctionEntries();

}  // namespace activestore::executor
