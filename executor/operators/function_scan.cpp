// kFunctionScan: FROM unnest(array) [WITH ORDINALITY]: the array (evaluated once, without
// input) as one row per element, in storage order, in batches.
#include "common/array.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

class FunctionScanOperator : public Operator {
 public:
  FunctionScanOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {}

  bool Next(DataChunk* out) override {
    out->Init(plan_.output_types);
    if (!evaluated_) {
      evaluated_ = true;
      Value a = EvaluateConstant(*plan_.exprs.at(0), st_);
      if (!a.is_null) elements_ = ArrayView(a.s).Elements(plan_.output_types[0]);
    }
    while (next_ < elements_.size() && out->size < kBatchSize) {
      std::vector<Value> row = {std::move(elements_[next_])};
      ++next_;
      if (plan_.with_ordinality) row.push_back(Value::Int64(static_cast<int64_t>(next_)));
      out->AppendRow(row);
    }
    return out->size > 0;
  }

 private:
  const planner::PlanNode& plan_;
  ExecState& st_;
  bool evaluated_ = false;
  std::vector<Value> elements_;
  size_t next_ = 0;
};

}  // namespace

OperatorPtr MakeFunctionScanOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<FunctionScanOperator>(plan, state);
}

}  // namespace activestore::executor
