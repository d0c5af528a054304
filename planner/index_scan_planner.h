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

// Whether values of this type sort (Sort, min/max) in the order of their key bytes.
bool OrderKeyType(TypeId t);

// The elements of a secondary index's entry keys, in their order: its columns, then for a
// non-unique index the primary key's (its entries end with the row key; a table without a
// primary key has a hidden row id there, which orders nothing). A kIndexScan's equated prefix
// and range may run into them (WHERE dev = 5 ORDER BY id DESC with an index on dev).
std::vector<int> EntryKeyColumns(const storage::TableInfo& table, const storage::IndexInfo& index);

// One element of a wanted row order: a table column (ordinal), ORDER BY's direction and
// resolved NULLS placement.
struct OrderElement {
  int column = 0;
  bool descending = false;
  bool nulls_first = false;
};

// A kIndexScan over `table` (conjuncts as for IndexScanFor) whose rows come in `order`, or
// null: an index (the primary key or a plain secondary one) whose elements after its equated
// prefix are the ORDER BY's elements in order, once the elements equated to a value are left
// out (ORDER BY b with `a = 1` and an index (a, b); a non-unique index's elements go on with the
// primary key's, EntryKeyColumns), all ASC NULLS LAST (read forwards) or all
// DESC NULLS FIRST (read backwards): every index is stored ascending with NULLs last, whatever
// its declared options, so mixed directions and other NULLS placements are not served. A range
// on the first ordered element is kept. `not_null`: rows whose first ordered element is NULL
// are left out (min/max). Among the fitting indexes the most equated elements win, then a
// two-sided range, then the primary key; one ranked (equated elements * 4 + 2 for a two-sided
// range) below `min_rank` is not taken (the read it would replace is more selective). A unique
// index is used only when no row left out of it (a NULL in its key) can qualify. The node
// carries the key, bounds and direction; the caller fills the rest as for IndexScanFor.
std::shared_ptr<PlanNode> OrderedIndexScanFor(const storage::TableInfo& table, int first,
                                              const std::vector<BoundExprPtr>& conjuncts,
                                              const std::vector<OrderElement>& order, bool not_null,
                                              int min_rank);

// The input of `sort` (a kSort over a kProject whose sort keys are plain columns of the
// project's input) rewritten to give its rows in the sort's order, so that the Sort can go: a
// read of one table becomes an OrderedIndexScanFor, a hypertable's Append of chunk reads an
// ordered ChunkAppend (the chunks in time order, each read in order through its index or
// sorted alone) when the first sort key is the time column. Returns the new kProject, or null
// to keep the sort. Without `limited` (no LIMIT above) only an index scan already chosen is
// turned around (it reads the same rows either way).
PlanPtr OrderedSortInput(const PlanNode& sort, bool limited,
                         const storage::CatalogSnapshot& catalog);

// For an Aggregate without groups computing one min(col) or max(col) over a table read:
// PostgreSQL's rewrite of them to an index read, `LIMIT 1` of the rows in that order with
// `col IS NOT NULL`. Returns the Aggregate's new input (a kLimit over the ordered read; the
// Aggregate stays above, giving NULL over no rows), or null.
PlanPtr MinMaxInput(const PlanNode& aggregate, const storage::CatalogSnapshot& catalog);

}  // namespace activestore::planner
