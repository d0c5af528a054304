// kProject: exprs over each row of the child (row locations kept).
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

class ProjectOperator : public Operator {
 public:
  ProjectOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), st_(st), child_(BuildOperator(*plan.children.at(0), st)) {}

  void SetRowBound(uint64_t n) override { child_->SetRowBound(n); }

  bool Next(DataChunk* out) override {
    if (!child_->Next(&in_)) {
      out->Clear();
      return false;
    }
    out->columns.resize(plan_.exprs.size());
    for (size_t i = 0; i < plan_.exprs.size(); ++i) {
      EvaluateExpression(*plan_.exprs[i], in_, st_, &out->columns[i]);
    }
    out->size = in_.size;
    out->locations = std::move(in_.locations);
    return true;
  }

 private:
  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr child_;
  DataChunk in_;
};

}  // namespace

OperatorPtr MakeProjectOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<ProjectOperator>(plan, state);
}

}  // namespace activestore::executor
