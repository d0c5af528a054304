// kNestedLoopJoin with `lateral`: for each left row the right side is built and run again with
// that row as its outer row (ExecState::outer_rows), as PostgreSQL's nested loop with
// parameters; inner and left joins.
#include "common/error.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/join_util.h"

namespace activestore::executor {

namespace {

class LateralJoinOperator : public Operator {
 public:
  LateralJoinOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {
    if (plan.children.size() != 2) Throw(SqlState::kInternalError, "join needs two inputs");
    left_child_ = BuildOperator(*plan.children[0], st);
  }

  bool Next(DataChunk* out) override {
    while (true) {
      if (left_pos_ >= left_.size) {
        st_.CheckCancel();
        if (!left_child_->Next(&left_)) {
          out->Clear();
          return false;
        }
        left_pos_ = 0;
      }
      DataChunk joined;
      InitJoined(ColumnTypes(left_), plan_.children[1]->output_types, &joined);
      // Several left rows per output batch, each with all of its right rows.
      while (left_pos_ < left_.size && joined.size < kBatchSize) JoinRow(left_pos_++, &joined);
      if (joined.size > 0) {
        *out = std::move(joined);
        return true;
      }
    }
  }

 private:
  // Appends the joined rows of left row `r` to *out.
  void JoinRow(size_t r, DataChunk* out) {
    DataChunk right;
    {
      st_.outer_rows.push_back(left_.GetRow(r));
      struct Pop {
        ExecState& st;
        ~Pop() { st.outer_rows.pop_back(); }
      } pop{st_};
      OperatorPtr op = BuildOperator(*plan_.children[1], st_);
      right = Materialize(*op, plan_.children[1]->output_types, st_);
    }
    std::vector<int64_t> l(right.size, static_cast<int64_t>(r)), rr(right.size);
    for (size_t i = 0; i < right.size; ++i) rr[i] = static_cast<int64_t>(i);
    DataChunk pairs;
    InitJoined(ColumnTypes(left_), ColumnTypes(right), &pairs);
    AppendJoinedRows(left_, l, right, rr, &pairs);
    std::vector<uint32_t> sel;
    if (plan_.predicate) {
      EvaluatePredicate(*plan_.predicate, pairs, st_, &sel);
    } else {
      sel.resize(pairs.size);
      for (size_t k = 0; k < pairs.size; ++k) sel[k] = static_cast<uint32_t>(k);
    }
    if (sel.empty() && plan_.join_type == planner::JoinType::kLeft) {
      AppendJoinedRows(left_, {static_cast<int64_t>(r)}, right, {-1}, out);
      return;
    }
    for (uint32_t k : sel) out->AppendRowFrom(pairs, k);
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr left_child_;
  DataChunk left_;
  size_t left_pos_ = 0;
};

}  // namespace

OperatorPtr MakeLateralJoinOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<LateralJoinOperator>(plan, state);
}

}  // namespace activestore::executor
