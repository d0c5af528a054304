// kFilter: the rows of the child for which predicate is true (row locations kept).
#include "common/error.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

class FilterOperator : public Operator {
 public:
  FilterOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), st_(st), child_(BuildOperator(*plan.children.at(0), st)) {}

  bool Next(DataChunk* out) override {
    while (child_->Next(out)) {
      if (!plan_.predicate) return true;
      EvaluatePredicate(*plan_.predicate, *out, st_, &sel_);
      if (sel_.empty()) continue;
      if (sel_.size() != out->size) *out = out->Select(sel_);
      return true;
    }
    return false;
  }

 private:
  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr child_;
  std::vector<uint32_t> sel_;
};

}  // namespace

OperatorPtr MakeFilterOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<FilterOperator>(plan, state);
}

}  // namespace activestore::executor
