// kValues: the rows of values_rows, each expression evaluated without input, in batches.
#include "common/error.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

class ValuesOperator : public Operator {
 public:
  ValuesOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {}

  bool Next(DataChunk* out) override {
    out->Init(plan_.output_types);
    while (next_ < plan_.values_rows.size() && out->size < kBatchSize) {
      const auto& row = plan_.values_rows[next_++];
      if (row.size() != out->columns.size()) {
        Throw(SqlState::kInternalError, "VALUES row has {} columns, expected {}", row.size(),
              out->columns.size());
      }
      std::vector<Value> values;
      values.reserve(row.size());
      for (const auto& e : row) values.push_back(EvaluateConstant(*e, st_));
      out->AppendRow(values);
    }
    return out->size > 0;
  }

 private:
  const planner::PlanNode& plan_;
  ExecState& st_;
  size_t next_ = 0;
};

}  // namespace

OperatorPtr MakeValuesOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<ValuesOperator>(plan, state);
}

}  // namespace activestore::executor
