// kGather: the rows of each child (fragment) in turn. A later wave runs fragments in
// parallel or on the node that owns the shard.
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

class GatherOperator : public Operator {
 public:
  GatherOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {}

  bool Next(DataChunk* out) override {
    while (next_child_ <= plan_.children.size()) {
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

OperatorPtr MakeGatherOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<GatherOperator>(plan, state);
}

}  // namespace activestore::executor
