// kProject: exprs over each row of the child (row locations kept).
//
// A bare column reference takes the input column by move instead of copying it (for each input
// column, at its last bare reference, after every other expression has been evaluated: the
// input chunk is not read again).
#include <map>

#include "common/error.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

class ProjectOperator : public Operator {
 public:
  ProjectOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), st_(st), child_(BuildOperator(*plan.children.at(0), st)) {
    std::map<int, size_t> last;  // input column -> the last output that is just that column
    for (size_t i = 0; i < plan.exprs.size(); ++i) {
      if (plan.exprs[i]->kind == planner::BoundExprKind::kColumn) {
        last[plan.exprs[i]->column_index] = i;
      }
    }
    move_.assign(plan.exprs.size(), -1);
    for (auto [c, i] : last) move_[i] = c;
  }

  void SetRowBound(uint64_t n) override { child_->SetRowBound(n); }

  bool Next(DataChunk* out) override {
    if (!child_->Next(&in_)) {
      out->Clear();
      return false;
    }
    out->columns.resize(plan_.exprs.size());
    for (size_t i = 0; i < plan_.exprs.size(); ++i) {
      if (move_[i] < 0) EvaluateExpression(*plan_.exprs[i], in_, st_, &out->columns[i]);
    }
    for (size_t i = 0; i < plan_.exprs.size(); ++i) {
      if (move_[i] < 0) continue;
      const auto c = static_cast<size_t>(move_[i]);
      if (c >= in_.columns.size()) {
        Throw(SqlState::kInternalError, "column reference {} out of range", c);
      }
      out->columns[i] = std::move(in_.columns[c]);
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
  std::vector<int> move_;  // per output: the input column it takes by move, or -1
};

}  // namespace

OperatorPtr MakeProjectOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<ProjectOperator>(plan, state);
}

}  // namespace activestore::executor
