// Bound expressions and physical plans: what planner/ produces and executor/ runs.
//
// Plans are immutable once built and may be shared by several executions at once (plan
// cache, prepared statements); all per-execution state lives in executor/ operators.
//
// Shape (architecture decision 1): every table read is a Gather over one ShardScan per
// shard (the fragments). On one node all fragments run locally; in a cluster a fragment
// runs on the node that owns its shard.
//
// Column references inside a plan are positional: an expression of a node reads the
// columns of its input (its child's output, for joins the left columns then the right).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/types.h"
#include "common/value.h"
#include "storage/catalog.h"

namespace activestore::planner {

namespace pg_catalog {
struct SystemRelation;
}  // namespace pg_catalog

// A privilege a statement needs on a relation (PostgreSQL's RTEPermissionInfo): `privs`
// (storage/acl.h AclMode bits), held by `check_as`, or by the current user when 0 (a view's
// query is checked as the view's owner). Checked before every execution, so a cached plan meets
// a REVOKE made after it was planned.
struct RelationPermission {
  std::shared_ptr<const storage::TableInfo> relation;
  uint32_t privs = 0;
  uint32_t check_as = 0;
};

// Where a result column comes from (PostgreSQL's resorigtbl and resorigcol, which
// RowDescription carries): a column of a table, view, sequence or catalog relation read as is;
// {0, 0} for anything else.
struct ColumnOrigin {
  storage::Oid table = 0;
  int16_t attnum = 0;
};

struct PlanNode;
using PlanPtr = std::shared_ptr<const PlanNode>;

enum class BoundExprKind {
  kConstant,     // value (already of `type`)
  kColumn,       // column_index: position in the input row/batch
  kOuterColumn,  // a correlated reference: outer_depth levels up (1 = the enclosing query),
                 // column_index in that query's current row
  kParam,        // param_index: 0-based index of $n - 1; value cast to `type`
  kCast,         // children[0] cast to `type` (explicit cast semantics)
  kArith,        // op "+","-","*","/","%" over children[0], children[1] (common/value_ops.h)
  kNegate,       // -children[0]
  kCompare,      // op "=","<>","<",">","<=",">=" over two children of comparable types
  kAnd,          // children (2+) three-valued AND
  kOr,           // three-valued OR
  kNot,          // three-valued NOT
  kIsNull,       // children[0] IS NULL (negated: IS NOT NULL)
  kIsDistinct,   // children[0] IS DISTINCT FROM children[1] (negated: IS NOT DISTINCT FROM)
  kIsBool,       // children[0] IS TRUE/FALSE/UNKNOWN per op ("TRUE","FALSE","UNKNOWN"); negated
  kLike,         // children[0] LIKE children[1] [ESCAPE children[2]]; op "LIKE"/"ILIKE"; negated
  kInList,       // children[0] IN (children[1..]) with SQL NULL semantics; negated
  kCase,         // children: [when0, then0, when1, then1, ...] then else if has_else;
                 // a CASE x WHEN ... is bound into comparisons by the planner
  kCoalesce,     // first non-null child
  kNullIf,
  kGreatest,
  kLeast,
  kFunction,    // a scalar function by name (lower-case) over children; see executor/functions
  kConcat,      // children[0] || children[1] (text)
  kSubquery,    // subquery: scalar (at most one row, 21000 if more), result `type`
  kExists,      // EXISTS (subquery); negated for NOT EXISTS
  kInSubquery,  // children[0] [NOT] IN (subquery) with SQL NULL semantics; negated;
                // op "=" or another comparison with sublink_all for op ALL / ANY; several
                // children compare as a row with the subquery's columns (see row_compare)
  kAggregate,   // only in Aggregate nodes' outputs: see AggregateSpec
  // Arrays (common/array.h; executor/array_exprs.cpp):
  kArray,        // ARRAY[children...] of `type`; children of the array type itself make a
                 // multi-dimensional array (ARRAY[ARRAY[1,2], ARRAY[3,4]]). ARRAY(subquery)
                 // is a kSubquery with op "array".
  kSubscript,    // children[0][children[1]:children[2]][children[3]:...]: per subscript a
                 // lower and an upper bound (int4; kConstant with op "omitted" when left out);
                 // slices[k] says whether subscript k is lo:hi. An element fetch has type
                 // element, a slice the array type.
  kArrayAnyAll,  // children[0] op ANY/ALL (children[1], an array): op a comparison, or "LIKE"/
                 // "ILIKE" with negated; sublink_all for ALL. PostgreSQL's NULL semantics.
  kWindowFunc,   // only while binding: window function call column_index of the binder's list;
                 // plans read its result as a column of a kWindowAgg's output
};

struct BoundExpr;
using BoundExprPtr = std::shared_ptr<const BoundExpr>;
struct UserFunctionCall;  // planner/user_functions.h

struct BoundExpr {
  BoundExprKind kind = BoundExprKind::kConstant;
  Type type;              // result type
  Value value;            // kConstant
  int column_index = -1;  // kColumn, kOuterColumn
  int outer_depth = 0;    // kOuterColumn
  int param_index = -1;   // kParam
  std::string op;         // operator or function name
  bool negated = false;
  bool has_else = false;     // kCase
  bool sublink_all = false;  // kInSubquery, kArrayAnyAll: ALL instead of ANY
  // kInSubquery with one child per subquery column: `(a, b) op (SELECT x, y)`, a subquery of at
  // most one row (21000 for more; NULL for none), compared as rows (PostgreSQL's
  // ROWCOMPARE_SUBLINK). Several children without it: `(a, b) op ANY/ALL (SELECT x, y)`.
  bool row_compare = false;
  std::vector<bool> slices;  // kSubscript
  std::vector<BoundExprPtr> children;
  PlanPtr subquery;              // kSubquery, kExists, kInSubquery: runs with the current row as
                                 // its outer row (for kOuterColumn inside it)
  bool correlated = false;       // subquery refers to outer columns: re-run per outer row
  bool assignment_cast = false;  // kCast: INSERT/UPDATE assignment semantics (CastValue's
                                 // implicit_assignment: varchar(n) too long -> 22001)
  // kFunction nextval/currval/setval whose first argument is a regclass constant
  // (nextval('s'), nextval('s'::regclass)): the relation it names, resolved when planned
  // (children[0] is then its oid as int8). Null when the argument is text resolved at each
  // call (nextval('s'::text)), as in PostgreSQL.
  std::shared_ptr<const storage::TableInfo> relation;
  // kFunction of a user-defined SQL function (op: its name): children are its input arguments,
  // all of them (defaults filled in), coerced to the parameter types.
  std::shared_ptr<const UserFunctionCall> user_function;
};

enum class AggKind {
  kCount,
  kCountStar,
  kSum,
  kAvg,
  kMin,
  kMax,
  kBoolAnd,
  kBoolOr,
  kStringAgg,
  kArrayAgg,  // array_agg(x): the values (NULLs too) in input order, or NULL for no rows
  // var_samp (variance), var_pop, stddev_samp (stddev), stddev_pop: numeric for integer and
  // numeric inputs (numeric_stddev_internal's scales), float8 for float4/float8 (Youngs-Cramer).
  kVarSamp,
  kVarPop,
  kStddevSamp,
  kStddevPop,
  kGrouping,  // GROUPING(args): grouping_masks[grouping set]; args only for EXPLAIN
  // Statistics of (Y, X) float8 pairs, rows with a NULL in either ignored (float8_regr_accum's
  // Youngs-Cramer sums): corr, covar_pop, covar_samp, regr_* -> float8, regr_count -> int8.
  kCorr,
  kCovarPop,
  kCovarSamp,
  kRegrAvgX,
  kRegrAvgY,
  kRegrCount,
  kRegrIntercept,
  kRegrR2,
  kRegrSlope,
  kRegrSxx,
  kRegrSxy,
  kRegrSyy,
  // bit_and, bit_or, bit_xor of int2/int4/int8 -> the argument type.
  kBitAnd,
  kBitOr,
  kBitXor,
  // TimescaleDB's first(value, time) / last(value, time): the value of the row with the
  // smallest / largest time (the earliest such row on ties; rows with a NULL time count only
  // while no time was seen) -> the value's type. histogram(value, min, max, nbuckets) -> int4[]
  // of nbuckets + 2 counts (below min, the buckets, at or above max); NULL values are ignored.
  kFirst,
  kLast,
  kHistogram,
};

// One aggregate of an Aggregate node. Result types follow PostgreSQL: count -> int8,
// sum(int2/int4) -> int8, sum(int8/numeric) -> numeric, sum(float8) -> float8,
// avg(int*/numeric) -> numeric, avg(float8) -> float8, min/max -> argument type.
struct AggregateSpec {
  AggKind kind = AggKind::kCountStar;
  std::vector<BoundExprPtr> args;  // evaluated over the Aggregate's input
  bool distinct = false;
  BoundExprPtr filter;  // FILTER (WHERE ...), may be null
  Type result_type;
  // array_agg(x ORDER BY k1, k2 ...): the keys are args[1..], with these directions.
  std::vector<bool> order_descending;
  std::vector<bool> order_nulls_first;
  // kGrouping: the value in each grouping set of the Aggregate (one entry without sets).
  std::vector<int32_t> grouping_masks;
};

struct SortKey {
  BoundExprPtr expr;
  bool descending = false;
  bool nulls_first = false;  // resolved: PostgreSQL's default is NULLS LAST for ASC
};

// Window functions (kWindowAgg): the built-in window functions, or an aggregate over the frame.
enum class WindowFuncKind {
  kAggregate,  // `agg` over the rows of the frame
  kRowNumber,
  kRank,
  kDenseRank,
  kPercentRank,
  kCumeDist,
  kNtile,  // args[0]: the bucket count
  kLag,    // args: value [, offset [, default]]
  kLead,
  kFirstValue,  // args[0] at the frame's first row
  kLastValue,
  kNthValue,  // args[0] at the frame's args[1]-th row
};
enum class WindowFrameMode { kRange, kRows, kGroups };
enum class WindowFrameBound {
  kUnboundedPreceding,
  kOffsetPreceding,
  kCurrentRow,
  kOffsetFollowing,
  kUnboundedFollowing
};
enum class WindowExclusion { kNoOthers, kCurrentRow, kGroup, kTies };

struct WindowFunc {
  WindowFuncKind kind = WindowFuncKind::kRowNumber;
  std::string name;                // as written, lower-case
  std::vector<BoundExprPtr> args;  // over the kWindowAgg's input (not for kAggregate)
  AggregateSpec agg;               // kAggregate: args and filter over the input
  Type result_type;
};

// One window (PostgreSQL's WindowClause) and the functions computed over it. The input arrives
// sorted by partition_by then order_by. The frame's offsets are evaluated once per execution
// (no input columns): ROWS/GROUPS offsets are int8; a RANGE offset is added to / subtracted
// from the one order_by key (in_range).
struct WindowSpec {
  std::vector<BoundExprPtr> partition_by;
  std::vector<SortKey> order_by;
  WindowFrameMode mode = WindowFrameMode::kRange;
  WindowFrameBound start = WindowFrameBound::kUnboundedPreceding;
  WindowFrameBound end = WindowFrameBound::kCurrentRow;
  BoundExprPtr start_offset, end_offset;
  WindowExclusion exclusion = WindowExclusion::kNoOthers;
  std::vector<WindowFunc> funcs;
};

// kGapFill: TimescaleDB's gap filling above an Aggregate whose group values include one
// time_bucket_gapfill(width, ts, ...) bucket. Input rows: the Aggregate's (group values, then
// aggregate results); output: the same columns, then one per `fills` entry.
struct GapFillSpec {
  int time_column = 0;              // the input column holding the bucket
  std::vector<int> series_columns;  // the other group values: one series per distinct tuple
  int group_values = 0;  // input columns [0, group_values) are group values; the rest (the
                         // aggregates) are NULL in an added row
  Type time_type;        // date, timestamp, timestamptz, int2, int4 or int8
  // Evaluated once without input: the bucket width (interval or integer), and for
  // time_bucket_gapfill's time-zone form the zone (text), else null.
  BoundExprPtr width, timezone;
  // The range: start is bucketed (time_bucket(width, start [, timezone])), buckets are added
  // while < finish. An explicit argument (non-null expression) wins; otherwise the WHERE
  // clause's bounds on ts (PostgreSQL types of ts): start is the largest lower bound (+1
  // unit for `>`), finish the smallest upper bound (+1 unit for `<=`).
  BoundExprPtr start, finish;
  std::vector<std::pair<BoundExprPtr, bool>> lower_bounds, upper_bounds;  // (bound, +1)
  // locf(value [, NULL, treat_null_as_missing]) and interpolate(value): value is over the
  // input row.
  struct Fill {
    bool interpolate = false;
    bool treat_null_as_missing = false;
    BoundExprPtr value;
  };
  std::vector<Fill> fills;
};

enum class PlanKind {
  kResult,            // one row of `exprs` over no input (SELECT 1); or zero rows if no_rows
  kValues,            // rows of constant-free expressions: values_rows
  kShardScan,         // the rows of one shard of `table`, projected to `columns` (ordinals),
                      // filtered by `predicate` over the projected columns (may be null)
  kPrimaryKeyLookup,  // the row whose primary key equals key_exprs (evaluated without input;
                      // params allowed), projected to `columns`, then `predicate`
  kIndexLookup,       // the rows whose key in secondary index index_oid of `table` equals
                      // key_exprs (evaluated without input, cast to key_types), projected to
                      // `columns`, then `predicate` (which re-checks every conjunct)
  kIndexScan,         // the rows whose key in index index_oid of `table` (the primary key or a
                      // plain secondary index) starts with key_exprs and whose next key element
                      // lies within range_lower/range_upper (each optional); all shards, merged
                      // in key order (descending with scan_backward); projected to `columns`,
                      // then `predicate` (re-checks every conjunct)
  kGather,            // union of children's outputs (the per-shard fragments), any order; with
                      // key_order, merged by storage key (children are kShardScans)
  kFilter,            // children[0] rows where predicate is true
  kProject,           // exprs over children[0]
  kAggregate,         // group by group_exprs, compute aggregates; output: group values then
                      // aggregate results. No groups and no rows still gives one row when
                      // group_exprs is empty.
  kSort,              // children[0] ordered by sort_keys (stable)
  kLimit,             // limit/offset exprs (constants or params); null limit = no limit
  kDistinct,          // distinct rows of children[0] (NULLs equal); with `columns`, the first
                      // row of each distinct value of those columns (DISTINCT ON)
  kHashJoin,          // children[0] (left/probe) join children[1] (right/build) on
                      // left_keys[i] = right_keys[i] (each over its own side), then `predicate`
                      // over the combined row; join_type
  kNestedLoopJoin,    // join_type; predicate over the combined row (null = true); with
                      // `lateral` (join_type kInner or kLeft), children[1] runs again for each
                      // row of children[0], which is its outer row (kOuterColumn depth 1)
  kSetOp,             // set_op over children[0], children[1] with set_all
  kInsert,            // rows from children[0] (already in table column order and types, defaults
                      // applied) into `table`; returning exprs over the new row if any
  kUpdate,            // children[0] yields the target rows' columns (all, table order) plus the
                      // row location, then the columns of UPDATE ... FROM's items; `assignments`
                      // (column ordinal, expr over that input) give the new values; returning
                      // over the new row (and the FROM items' columns)
  kDelete,            // children[0] yields target rows (all columns) plus the row location, then
                      // the columns of DELETE ... USING's items
  kLockRows,          // SELECT ... FOR UPDATE/SHARE: locks the row of `table` behind each row of
                      // children[0] (which carry row locations) in row_lock_mode, as
                      // row_lock_wait says; passes the rows on (one at a time if lock_one_by_one,
                      // so that a LIMIT above locks no more rows than it returns)
  kSystemView,        // the rows of the system view `system_view` (pg_prepared_xacts), made at
                      // run time by ExecContext::system_view_rows; or, with system_relation
                      // set, of that pg_catalog relation (planner/pg_catalog/), made from the
                      // transaction's catalog (only the objects scan_key_value names when set,
                      // or the values a hash join gives under scan_key_id)
  kSequenceScan,      // the one row of sequence `table`: last_value, log_cnt, is_called
  kProjectSet,        // kProject whose top-level `unnest(array)` exprs (kFunction "unnest") return
                      // one row per element (PostgreSQL's ProjectSet): per input row as many
                      // rows as the longest array, shorter ones padded with NULL, other exprs
                      // repeated; no row when every array is empty or NULL
  kFunctionScan,      // FROM unnest(...): the elements of exprs[0] (an array evaluated without
                      // input) as rows, plus their 1-based position when with_ordinality
  kCteScan,           // the rows of a materialized WITH query: cte_plan, run once per execution
                      // (shared by every kCteScan of the same cte_id) and only as far as the
                      // readers pull, each reader from the first row
  kRecursiveUnion,    // WITH RECURSIVE: children[0] (the non-recursive term), then
                      // children[1] (the recursive term) again and again over the rows the last
                      // round produced (its kWorkTableScans of the same cte_id), until a round
                      // produces none; set_all: UNION ALL, else duplicates of any earlier row
                      // are dropped
  kWorkTableScan,     // the rows of the last round of the kRecursiveUnion with this cte_id
  kWindowAgg,         // children[0]'s rows (sorted by window's partition and order keys), each
                      // followed by the results of window->funcs (PostgreSQL's WindowAgg)
  kAppend,            // the rows of each child in turn, all of the same output types: a table
                      // read with its inheritance children (docs/design/2026-12-06-inheritance.md)
  kGapFill,           // time_bucket_gapfill over an Aggregate's rows (gapfill): children[0]'s
                      // rows with a row added for every missing bucket of each series, then
                      // one column per locf/interpolate (docs/design/2026-12-06-time-series-
                      // functions.md)
  kMerge,             // MERGE into `table`: children[0] yields the target's columns (all, table
                      // order) with the row location of a matched row (none, and NULL columns,
                      // for a source row no target row matches), then the source's columns;
                      // each row takes the first of merge_actions whose kind and condition fit
};

// kInsert, kUpdate, kDelete or kMerge.
inline bool IsDataModifying(PlanKind k) {
  return k == PlanKind::kInsert || k == PlanKind::kUpdate || k == PlanKind::kDelete ||
         k == PlanKind::kMerge;
}

// One WHEN clause of a kMerge, its expressions over the kMerge's input row.
struct MergeActionPlan {
  enum class Kind { kUpdate, kDelete, kInsert, kNothing };
  Kind kind = Kind::kNothing;
  bool matched = true;                                    // WHEN MATCHED (else WHEN NOT MATCHED)
  BoundExprPtr condition;                                 // null: always
  std::vector<std::pair<int, BoundExprPtr>> assignments;  // kUpdate: column ordinal, new value
  std::vector<BoundExprPtr> insert_row;  // kInsert: every column's value (defaults applied)
};

enum class JoinType { kInner, kLeft, kRight, kFull, kSemi, kAnti };

// TABLESAMPLE on a base table's shard scans (executor/operators/scan.cpp): `percent` (float4)
// and `seed` (float8; null = a random seed per scan) are evaluated without input when the scan
// starts. BERNOULLI keeps each row when a hash of (seed, storage key) falls below percent/100;
// SYSTEM keeps or drops whole blocks of kSystemSampleBlock consecutive rows of a shard (a hash of
// (seed, shard, block number)), the grain PostgreSQL's SYSTEM gives a page.
enum class SampleMethod { kBernoulli, kSystem };
struct TableSample {
  SampleMethod method = SampleMethod::kBernoulli;
  BoundExprPtr percent, seed;
};
inline constexpr uint64_t kSystemSampleBlock = 64;
enum class SetOpKind { kUnion, kIntersect, kExcept };

struct PlanNode {
  PlanKind kind = PlanKind::kResult;
  std::vector<Type> output_types;         // one per output column
  std::vector<std::string> output_names;  // column names for RowDescription
  std::vector<PlanPtr> children;

  // kResult, kProject
  std::vector<BoundExprPtr> exprs;
  bool no_rows = false;
  // kValues
  std::vector<std::vector<BoundExprPtr>> values_rows;
  // kShardScan, kPrimaryKeyLookup, kInsert, kUpdate, kDelete
  std::shared_ptr<const storage::TableInfo> table;
  uint32_t shard = 0;
  std::vector<int> columns;
  // For kShardScan/kPrimaryKeyLookup feeding kUpdate/kDelete: output also carries the
  // storage location (shard and key) of each row, invisible as a column.
  bool emit_row_location = false;
  // kGather: merge the children's rows by storage key, so that a plain scan returns rows as one
  // table would: insertion order without a primary key (hidden row ids increase), key order
  // with one. kShardScan: carry each row's key (in DataChunk::locations) for that merge. Set
  // by the planner only where the order is observable (planner.cpp, KeepScanOrder).
  bool key_order = false;
  std::vector<BoundExprPtr> key_exprs;
  // kIndexLookup, kIndexScan: the index and the types of its key elements (kIndexScan: of the
  // equality prefix, then of the range's element).
  uint32_t index_oid = 0;
  std::vector<Type> key_types;
  // kIndexScan: the bounds of the key element after the equality prefix (null: none),
  // evaluated without input (constants, parameters, outer columns). A bound of another type
  // (`int4col > 2.5`, a timestamp column against a timestamptz) is widened to the key type at
  // run time; `predicate` checks the rows exactly.
  BoundExprPtr range_lower, range_upper;
  bool range_lower_inclusive = false, range_upper_inclusive = false;
  // kIndexScan: the rows in descending key order (the index read backwards: ORDER BY ... DESC
  // NULLS FIRST), else ascending (ASC NULLS LAST); and whether the key element after the
  // equality prefix must not be NULL (min/max read through the index: PostgreSQL's
  // `Index Cond: (k IS NOT NULL)`).
  bool scan_backward = false;
  bool range_not_null = false;
  // kAppend: the children are the chunks of this hypertable in the ORDER BY's order, each
  // giving its rows in that order (TimescaleDB's ordered ChunkAppend); empty: any order.
  std::string chunk_append_of;
  // kFilter, kShardScan, kHashJoin, kNestedLoopJoin
  BoundExprPtr predicate;
  // kShardScan, kFilter: TABLESAMPLE (applied before `predicate`; kFilter: rows by position)
  std::shared_ptr<const TableSample> sample;
  // kAggregate
  std::vector<BoundExprPtr> group_exprs;
  std::vector<AggregateSpec> aggregates;
  // GROUPING SETS / ROLLUP / CUBE: each set as indexes into group_exprs; the output has the
  // groups of every set in turn, the group values outside the set NULL. Empty: one set of all.
  std::vector<std::vector<int>> grouping_sets;
  // kSort
  std::vector<SortKey> sort_keys;
  // kLimit; with_ties (FETCH ... WITH TIES): after `limit` rows, also the rows that follow
  // while their sort_keys (over the input) equal the last row's.
  BoundExprPtr limit, offset;
  bool with_ties = false;
  // joins
  JoinType join_type = JoinType::kInner;
  std::vector<BoundExprPtr> left_keys, right_keys;
  bool lateral = false;  // kNestedLoopJoin: see PlanKind
  // kHashJoin over a left side that reads only pg_catalog relations: the distinct values of
  // left_keys[runtime_key_index] become the key of the right side's kSystemView whose
  // scan_key_id is runtime_key_id (a "sideways" key, so it builds only the matching rows).
  uint32_t runtime_key_id = 0;
  int runtime_key_index = -1;
  // kSetOp
  SetOpKind set_op = SetOpKind::kUnion;
  bool set_all = false;
  // kUpdate
  std::vector<std::pair<int, BoundExprPtr>> assignments;
  // kInsert/kUpdate/kDelete: over the table row (all columns, table order), for kUpdate and
  // kDelete followed by the input's columns after the table's (the FROM / USING items' columns
  // of UPDATE ... FROM and DELETE ... USING)
  std::vector<BoundExprPtr> returning;
  // kUpdate/kDelete of a table with inheritance descendants (not ONLY): the same statement on
  // each of them, run after this table's rows; their counts and RETURNING rows add up.
  std::vector<PlanPtr> inheritance_members;
  // kInsert/kUpdate: the table's CHECK constraints over the new row (all columns, table
  // order), in name order, and their names.
  std::vector<BoundExprPtr> checks;
  std::vector<std::string> check_names;
  // kInsert/kUpdate through an automatically updatable view (`table` is the table under it):
  // the WITH CHECK OPTION conditions over the new row (table order), innermost view first, and
  // the views' names; checked after the row is written (44000 when not true).
  std::vector<BoundExprPtr> view_checks;
  std::vector<std::string> view_check_names;
  // kInsert/kUpdate/kMerge: the stored generated columns to compute (after the BEFORE row
  // triggers, before the checks), each an expression over the table row: on INSERT all of
  // them, on UPDATE those whose expression reads an assigned column (PostgreSQL's
  // extraUpdatedCols). conflict_generated: those of ON CONFLICT DO UPDATE (kMerge: of its
  // UPDATE actions).
  std::vector<std::pair<int, BoundExprPtr>> generated;
  std::vector<std::pair<int, BoundExprPtr>> conflict_generated;
  // kInsert: ON CONFLICT DO NOTHING / DO UPDATE. conflict_index_oids: the arbiter indexes
  // inferred from the conflict target, as PostgreSQL's infer_arbiter_indexes (none, and not
  // conflict_on_primary_key: any unique index, DO NOTHING only). DO UPDATE: `assignments` and
  // `predicate` (its WHERE) are over the existing row's columns followed by the proposed
  // row's (`excluded`).
  bool on_conflict_do_nothing = false;
  bool on_conflict_do_update = false;
  std::vector<uint32_t> conflict_index_oids;
  bool conflict_on_primary_key = false;  // the primary key is an arbiter
  // kMerge: the WHEN clauses in order (`checks` apply to rows inserted and updated).
  std::vector<MergeActionPlan> merge_actions;
  // kLockRows: storage::RowLockMode (1 = key share ... 4 = update); 0 = block, 1 = skip
  // locked, 2 = nowait (ast::LockWait)
  uint8_t row_lock_mode = 0;
  uint8_t row_lock_wait = 0;
  bool lock_one_by_one = false;
  // kLockRows over joins: tables whose rows are found again by their primary key's values in
  // the input row and locked there, each with its own mode and wait policy. row_columns: the
  // input columns holding the table's columns, in the table's order; a row whose locked
  // version differs from them makes the statement run again. `table` is then null.
  struct RowLockTarget {
    std::shared_ptr<const storage::TableInfo> table;
    std::vector<int> row_columns;
    uint8_t mode = 0;
    uint8_t wait = 0;
  };
  std::vector<RowLockTarget> lock_targets;
  // kSystemView
  std::string system_view;
  const pg_catalog::SystemRelation* system_relation = nullptr;
  // A pg_catalog relation's key: its column scan_key_column equals scan_key_value, evaluated once
  // when the scan starts (a constant, a parameter or an outer column), so that the producer
  // visits only the matching objects; a NULL value matches nothing. A scan with scan_key_id > 0
  // instead takes its key values from the hash join above it (runtime_key_id), which drains its
  // left side first. Filters above still check every row.
  int scan_key_column = -1;
  BoundExprPtr scan_key_value;
  uint32_t scan_key_id = 0;
  // A pg_catalog relation's scan under `name LIKE pattern` (or ILIKE), its pattern and escape
  // (null: backslash) known when the scan starts (JDBC's `c.relname LIKE 't_500'` on a name key
  // column): the producer may skip the objects whose name in the relation's column
  // name_like_column fails it (CatalogReadContext::name_filter). Filters above still check
  // every row.
  int name_like_column = -1;
  BoundExprPtr name_like_pattern;
  BoundExprPtr name_like_escape;
  bool name_like_icase = false;
  // A pg_catalog relation's scan that outputs only some of its columns: output column i is the
  // relation's column system_columns[i] (scan_key_column is the relation's). Empty: all.
  std::vector<int> system_columns;
  // kCteScan (cte_plan, cte_id, cte_name), kRecursiveUnion and kWorkTableScan (cte_id,
  // cte_name): cte_id is unique within one statement's plan.
  PlanPtr cte_plan;
  uint32_t cte_id = 0;
  std::string cte_name;
  // kFunctionScan: "unnest" (default) or "generate_series" (exprs: start, stop[, step])
  std::string function_name;
  bool with_ordinality = false;
  // kWindowAgg
  std::shared_ptr<const WindowSpec> window;
  // kGapFill
  std::shared_ptr<const GapFillSpec> gapfill;
  // The root of a statement's plan: the privileges it needs (see RelationPermission).
  std::vector<RelationPermission> permissions;
  // The root of a SELECT's plan: each output column's origin (empty when none is known).
  std::vector<ColumnOrigin> output_origins;
  // The root of a statement with data-modifying WITH queries: kCteScans of two kinds. A copy
  // of a table such a statement writes and some part of it reads runs to its end before the
  // plan (every part sees the data as it was before the statement, as in PostgreSQL). A
  // data-modifying query (kInsert/kUpdate/kDelete as cte_plan) runs when first read, as any
  // WITH query, and if nothing read it to its end, after the plan (PostgreSQL's order).
  std::vector<PlanPtr> init_plans;
};

}  // namespace activestore::planner
