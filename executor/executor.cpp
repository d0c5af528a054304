// RunPlan: builds the operator tree of a plan and pulls its batches to the sink.
#include "executor/executor.h"

#include "common/error.h"
#include "common/value_ops.h"
#include "executor/exec_state.h"
#include "executor/operators/operator.h"

namespace activestore::executor {

using planner::PlanKind;

ExecState::ExecState(ExecContext& context) : ctx(context) {}

std::mt19937_64& ExecState::Rng() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return rng;
}

void ExecState::CheckCancel() const {
  if (ctx.cancel && ctx.cancel->load(std::memory_order_relaxed)) {
    Throw(SqlState::kQueryCanceled, "canceling statement due to user request");
  }
  if (ctx.deadline != std::chrono::steady_clock::time_point{} &&
      std::chrono::steady_clock::now() >= ctx.deadline) {
    Throw(SqlState::kQueryCanceled, "canceling statement due to statement timeout");
  }
}

OperatorPtr BuildOperator(const planner::PlanNode& plan, ExecState& state) {
  switch (plan.kind) {
    case PlanKind::kResult:
      return MakeResultOperator(plan, state);
    case PlanKind::kValues:
      return MakeValuesOperator(plan, state);
    case PlanKind::kShardScan:
      return MakeScanOperator(plan, state);
    case PlanKind::kPrimaryKeyLookup:
      return MakePkLookupOperator(plan, state);
    case PlanKind::kIndexLookup:
      return MakeIndexLookupOperator(plan, state);
    case PlanKind::kIndexScan:
      return MakeIndexScanOperator(plan, state);
    case PlanKind::kGather:
      return MakeGatherOperator(plan, state);
    case PlanKind::kFilter:
      return MakeFilterOperator(plan, state);
    case PlanKind::kProject:
      return MakeProjectOperator(plan, state);
    case PlanKind::kAggregate:
      return MakeAggregateOperator(plan, state);
    case PlanKind::kSort:
      return MakeSortOperator(plan, state);
    case PlanKind::kLimit:
      return MakeLimitOperator(plan, state);
    case PlanKind::kDistinct:
      return MakeDistinctOperator(plan, state);
    case PlanKind::kHashJoin:
      return MakeHashJoinOperator(plan, state);
    case PlanKind::kNestedLoopJoin:
      if (plan.lateral) return MakeLateralJoinOperator(plan, state);
      return MakeNestedLoopJoinOperator(plan, state);
    case PlanKind::kSetOp:
      return MakeSetOpOperator(plan, state);
    case PlanKind::kInsert:
      return MakeInsertOperator(plan, state);
    case PlanKind::kUpdate:
      return MakeUpdateOperator(plan, state);
    case PlanKind::kDelete:
      return MakeDeleteOperator(plan, state);
    case PlanKind::kMerge:
      return MakeMergeOperator(plan, state);
    case PlanKind::kLockRows:
      return MakeLockRowsOperator(plan, state);
    case PlanKind::kSystemView:
      return MakeSystemViewOperator(plan, state);
    case PlanKind::kSequenceScan:
      return MakeSequenceScanOperator(plan, state);
    case PlanKind::kProjectSet:
      return MakeProjectSetOperator(plan, state);
    case PlanKind::kFunctionScan:
      return MakeFunctionScanOperator(plan, state);
    case PlanKind::kCteScan:
      return MakeCteScanOperator(plan, state);
    case PlanKind::kRecursiveUnion:
      return MakeRecursiveUnionOperator(plan, state);
    case PlanKind::kWorkTableScan:
      return MakeWorkTableScanOperator(plan, state);
    case PlanKind::kGapFill:
      return MakeGapFillOperator(plan, state);
    case PlanKind::kWindowAgg:
      return MakeWindowAggOperator(plan, state);
    case PlanKind::kAppend:
      // Each child in turn, as a Gather of fragments that are not shard scans.
      return MakeGatherOperator(plan, state);
  }
  Throw(SqlState::kInternalError, "unknown plan node kind {}", static_cast<int>(plan.kind));
}

void AppendChunk(DataChunk&& c, DataChunk* all) {
  const bool with_locations = !c.locations.empty();
  for (size_t k = 0; k < c.columns.size() && k < all->columns.size(); ++k) {
    Vector& dst = all->columns[k];
    Vector& src = c.columns[k];
    if (dst.phys != src.phys) {
      for (size_t r = 0; r < c.size; ++r) dst.Append(src.Get(r));
      continue;
    }
    dst.nulls.insert(dst.nulls.end(), src.nulls.begin(), src.nulls.end());
    switch (dst.phys) {
      case PhysClass::kInt:
        dst.ints.insert(dst.ints.end(), src.ints.begin(), src.ints.end());
        break;
      case PhysClass::kFloat:
        dst.floats.insert(dst.floats.end(), src.floats.begin(), src.floats.end());
        break;
      case PhysClass::kString:
        for (auto& s : src.strs) dst.strs.push_back(std::move(s));
        break;
      case PhysClass::kNumeric:
        for (auto& n : src.nums) dst.nums.push_back(std::move(n));
        break;
      case PhysClass::kWide:
        dst.ints.insert(dst.ints.end(), src.ints.begin(), src.ints.end());
        dst.ints2.insert(dst.ints2.end(), src.ints2.begin(), src.ints2.end());
        break;
    }
  }
  if (with_locations) {
    for (auto& l : c.locations) all->locations.push_back(std::move(l));
  }
  all->size += c.size;
}

DataChunk Materialize(Operator& child, const std::vector<Type>& types, ExecState& state) {
  DataChunk all;
  DataChunk c;
  bool first = true;
  while (child.Next(&c)) {
    state.CheckCancel();
    if (first) {
      all.Init([&] {
        std::vector<Type> t;
        for (const auto& v : c.columns) t.push_back(v.type);
        return t;
      }());
      first = false;
    }
    AppendChunk(std::move(c), &all);
  }
  if (first) all.Init(types);
  return all;
}

std::vector<std::vector<Value>> RunSubplan(const planner::PlanNode& plan, ExecState& state,
                                           size_t max_rows) {
  std::vector<std::vector<Value>> rows;
  OperatorPtr op = BuildOperator(plan, state);
  DataChunk c;
  while (op->Next(&c)) {
    for (size_t r = 0; r < c.size; ++r) {
      rows.push_back(c.GetRow(r));
      if (max_rows && rows.size() >= max_rows) return rows;
    }
  }
  return rows;
}

PlanRun::PlanRun(const planner::PlanNode& plan, ExecContext& ctx)
    : plan_(plan), state_(std::make_unique<ExecState>(ctx)) {
  state_->CheckCancel();
  // The copies of the tables that data-modifying WITH queries write, before anything writes.
  for (const planner::PlanPtr& init : plan.init_plans) {
    if (!planner::IsDataModifying(init->cte_plan->kind)) RunCteToEnd(*init, *state_);
  }
  op_ = BuildOperator(plan, *state_);
}

PlanRun::~PlanRun() = default;

bool PlanRun::Next(DataChunk* out) {
  if (!op_->Next(out)) {
    // Data-modifying WITH queries run to their end, also those nothing read to the end.
    for (const planner::PlanPtr& init : plan_.init_plans) {
      if (planner::IsDataModifying(init->cte_plan->kind)) RunCteToEnd(*init, *state_);
    }
    return false;
  }
  state_->CheckCancel();
  const std::vector<Type>& types = plan_.output_types;
  for (size_t k = 0; k < out->columns.size() && k < types.size(); ++k) {
    Vector& v = out->columns[k];
    const Type& want = types[k];
    if (v.type.id == want.id || want.id == TypeId::kUnknown) {
      // Same type (the plan's typmod wins: bpchar pads to it) or a literal left untyped.
      if (PhysClassOf(want.id) == v.phys) v.type = want;
      continue;
    }
    Vector cast(want, 0);
    cast.Reserve(out->size);
    for (size_t r = 0; r < out->size; ++r) {
      if (v.IsNull(r)) {
        cast.AppendNull();
      } else {
        cast.Append(CastValue(v.Get(r), want, state_->ctx.format));
      }
    }
    v = std::move(cast);
  }
  return true;
}

int64_t PlanRun::affected() const { return static_cast<DmlOperator*>(op_.get())->affected(); }

int64_t RunPlan(const planner::PlanNode& plan, ExecContext& ctx, const RowSink& sink) {
  PlanRun run(plan, ctx);
  int64_t delivered = 0;
  DataChunk c;
  while (run.Next(&c)) {
    std::vector<std::vector<Value>> rows;
    rows.reserve(c.size);
    for (size_t r = 0; r < c.size; ++r) rows.push_back(c.GetRow(r));
    delivered += static_cast<int64_t>(c.size);
    if (sink) sink(std::move(rows));
  }
  if (planner::IsDataModifying(plan.kind)) {
    return run.affected();
  }
  return delivered;
}

}  // namespace activestore::executor
