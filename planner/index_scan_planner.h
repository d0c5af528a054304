// Index range scans (kIndexScan): which conjuncts of a table's FROM leaf bound a range of the
// primary key or of a plain secondary index, and whether that range is worth reading through
// the index rather than by scanning every shard. Pure functions over bound expressions and the
// catalog's TableInfo; thread-compatible.
#pragma once

#include <memory>
#include <vector>

#include "planner/plan.h"
#include "storage/catalog.h"

namespace activestore::planner {

// The key expression for a key column of type `key_type` from `other` (the non-column side of
// `key = other`), or null if it is not safe to use as a lookup key (its value must equal the
// key's bytes exactly).
BoundExprPtr KeyExpr(const BoundExprPtr& other, Type key_type);

// Whether a key element of this type is encoded in its order (storage/encoding.h), so that a
// range of its values is a range of key bytes: integers, floats, text/varchar/name, date,
// timestamp, timestamptz. (numeric keys are not ordered; bpchar is left out.)
bool RangeKeyType(TypeId t);

// A kIndexScan over `table` (a FROM leaf whose columns start at FROM-row column `first`), or
// null: through the primary key or a plain secondary index, the longest prefix of key elements
// equated to values known before the scan (KeyExpr), then a range on the next element from
// `col op value` conjuncts (op < <= > >= =; the column may be widened: `int4col > 2.5` compares
// col::numeric, a timestamp column against a timestamptz is promoted). Without statistics it
// follows PostgreSQL's default selectivities: an equality (0.005) or a range with both ends
// (0.005) is selective enough for the index; a one-sided range (1/3) is not, nor is a key
// fully equated (the lookups handle those). The node carries the key and bound expressions
// only; the caller fills table, columns, predicate (every conjunct) and output.
// REQUIRES: the leaf reads the table at its own ordinals (no inheritance column map), not
// sampled, not a compressed chunk.
std::shared_ptr<PlanNode> IndexScanFor(const storage::TableInfo& table, int first,
                                       const std::vector<BoundExprPtr>& conjuncts);

}  // namespace activestore::planner
