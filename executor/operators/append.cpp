// kAppend: the rows of each child in turn (a table read with its inheritance children; see
// docs/design/2026-12-06-inheritance.md). Each child is built when the previous one is done,
// so only one member's scan is open at a time.
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

class AppendOperator : public Operator {
 public:
  AppendOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {}

  bool Next(DataChunk* out) override {
    while (true) {
      if (!current_) {
        if (next_child_ == plan_.children.size()) break;
        current_ = BuildOperator(*plan_.children[next_child_++], st_);
      }
      if (current_->Next(out)) return true;
      current_.reset();
    }
    out->Clear();
    return false;
  }

 private:
  const planner::PlanNode& plan_;
  ExecState& st_;
  size_t next_child_ = 0;
  OperatorPtr current_;
};

}  // namespace

OperatorPtr MakeAppendOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<AppendOperator>(plan, state);
}

}  // namespace activestore::executor
