// kSystemView: the rows of a system view (pg_prepared_xacts), asked of the session through
// ExecContext::system_view_rows when the operator first runs, in batches.
#include "common/error.h"
#include "executor/exec_state.h"
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

class SystemViewOperator : public Operator {
 public:
  SystemViewOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {}

  bool Next(DataChunk* out) override {
    if (!loaded_) {
      loaded_ = true;
      if (!st_.ctx.system_view_rows) {
        Throw(SqlState::kFeatureNotSupported, "system view \"{}\" is not available here",
              plan_.system_view);
      }
      rows_ = st_.ctx.system_view_rows(plan_.system_view);
    }
    out->Init(plan_.output_types);
    while (next_ < rows_.size() && out->size < kBatchSize) out->AppendRow(rows_[next_++]);
    return out->size > 0;
  }

 private:
  const planner::PlanNode& plan_;
  ExecState& st_;
  bool loaded_ = false;
  std::vector<std::vector<Value>> rows_;
  size_t next_ = 0;
};

}  // namespace

OperatorPtr MakeSystemViewOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<SystemViewOperator>(plan, state);
}

}  // namespace activestore::executor
