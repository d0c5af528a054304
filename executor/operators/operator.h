// The physical operators: a pull model. Each operator is built from one PlanNode (which it
// only reads; the plan is immutable and may be shared by concurrent executions) and keeps its
// per-execution state. Next() fills a DataChunk with the next batch of rows.
//
// Thread safety: an operator tree belongs to the thread running the plan.
#pragma once

#include <memory>

#include "executor/exec_state.h"
#include "executor/vector.h"
#include "planner/plan.h"

namespace activestore::executor {

class Operator {
 public:
  virtual ~Operator() = default;
  // Replaces *out with the next batch of at least one row; returns false (and leaves *out
  // empty) when there are no more rows. Throws Error.
  virtual bool Next(DataChunk* out) = 0;
  // A hint before the first Next(): the consumer reads at most the first n rows (a LIMIT
  // above). Sort then keeps only the best n rows; operators that map rows one to one pass the
  // hint down. The default ignores it.
  virtual void SetRowBound(uint64_t n) { (void)n; }
};

using OperatorPtr = std::unique_ptr<Operator>;

// Builds the operator tree for plan. Throws XX000 for a malformed plan.
OperatorPtr BuildOperator(const planner::PlanNode& plan, ExecState& state);

// One factory per operator file under operators/.
OperatorPtr MakeResultOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeValuesOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeSystemViewOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeScanOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakePkLookupOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeIndexLookupOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeIndexScanOperator(const planner::PlanNode& plan, ExecState& state);
// A lookup's key value: `expr` (no input) cast to `key_type` into *out; false when no row can
// match (NULL, out of the key type's range, a fraction for an integer key).
bool EvaluateLookupKey(const planner::BoundExpr& expr, const Type& key_type, ExecState& state,
                       Value* out);
// Counts one scan of index `index_oid` that returned and fetched `rows` rows
// (executor/table_stats.h; pk_lookup.cpp).
void CountIndexScan(ExecState& state, uint32_t index_oid, int64_t rows);
OperatorPtr MakeGatherOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeFilterOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeProjectOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeAggregateOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeSortOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeLimitOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeDistinctOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeHashJoinOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeNestedLoopJoinOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeLateralJoinOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeSetOpOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeLockRowsOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeSequenceScanOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeProjectSetOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeFunctionScanOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeCteScanOperator(const planner::PlanNode& plan, ExecState& state);
// Runs the query of kCteScan `plan` to its end, its rows buffered for the kCteScans of the
// same cte_id (PlanNode::init_plans).
void RunCteToEnd(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeRecursiveUnionOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeWorkTableScanOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeWindowAggOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeGapFillOperator(const planner::PlanNode& plan, ExecState& state);
// DML operators return one row with the affected count only through RunDml (executor.cpp).
OperatorPtr MakeInsertOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeUpdateOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeDeleteOperator(const planner::PlanNode& plan, ExecState& state);
OperatorPtr MakeMergeOperator(const planner::PlanNode& plan, ExecState& state);

// DML operators: Next() delivers RETURNING rows (if any); affected() is valid once Next()
// has returned false.
class DmlOperator : public Operator {
 public:
  int64_t affected() const { return affected_; }

 protected:
  int64_t affected_ = 0;
};

// Appends the rows of c (moving its strings) to *all. REQUIRES: the same column count; a column
// of another physical class is cast value by value.
void AppendChunk(DataChunk&& c, DataChunk* all);
// Reads all remaining rows of child into one chunk of the given types.
DataChunk Materialize(Operator& child, const std::vector<Type>& types, ExecState& state);

}  // namespace activestore::executor
