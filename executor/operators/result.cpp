// kResult: one row of `exprs` evaluated without input (or no row when no_rows).
#include "common/error.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

class ResultOperator : public Operator {
 public:
  ResultOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {}

  bool Next(DataChunk* out) override {
    out->Clear();
    if (done_ || plan_.no_rows) return false;
    done_ = true;
    DataChunk one;
    one.size = 1;
    out->columns.resize(plan_.exprs.size());
    for (size_t i = 0; i < plan_.exprs.size(); ++i) {
      EvaluateExpression(*plan_.exprs[i], one, st_, &out->columns[i]);
    }
    out->size = 1;
    return true;
  }

 private:
  const planner::PlanNode& plan_;
  ExecState& st_;
  bool done_ = false;
};

}  // namespace

OperatorPtr MakeResultOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<ResultOperator>(plan, state);
}

}  // namespace activestore::executor
