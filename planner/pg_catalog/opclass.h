// The default btree operator class of a type and its operators, from PostgreSQL's built-in
// rows (common/builtin_catalog.h): what an index key column's pg_index.indclass names, and what
// ANALYZE (executor/analyze.cpp) and pg_statistic (staop) use to order and compare a column's
// values.
#pragma once

#include <cstdint>

#include "common/types.h"

namespace activestore::planner::pg_catalog {

// pg_opclass.oid of the default btree operator class of `t`, 0 if it has none. As in
// PostgreSQL, varchar uses text's (binary-coercible), arrays array_ops (anyarray), enums
// enum_ops (anyenum) and composites record_ops.
uint32_t DefaultBtreeOpclass(TypeId t);

// The operator of btree strategy `strategy` (1 <, 3 =) of operator class `opclass` for its own
// input type (pg_amop), 0 if none.
uint32_t OpclassOperator(uint32_t opclass, int strategy);

}  // namespace activestore::planner::pg_catalog
