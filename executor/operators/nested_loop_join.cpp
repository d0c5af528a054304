// kNestedLoopJoin: every (left, right) pair checked against the predicate (null = true);
// inner, left, right, full, semi and anti joins. The right input is materialized once.
#include "executor/operators/join_util.h"

namespace activestore::executor {

namespace {

class NestedLoopJoinOperator : public JoinOperatorBase {
 public:
  using JoinOperatorBase::JoinOperatorBase;

 protected:
  void BuildRight() override {}

  size_t Candidates(size_t begin, size_t end, std::vector<int64_t>* pl,
                    std::vector<int64_t>* pr) override {
    if (begin != cur_left_) {
      cur_left_ = begin;
      cur_right_ = 0;
    }
    while (cur_left_ < end && pl->size() < kBatchSize) {
      if (cur_right_ >= right_.size) {
        ++cur_left_;
        cur_right_ = 0;
        continue;
      }
      pl->push_back(static_cast<int64_t>(cur_left_));
      pr->push_back(static_cast<int64_t>(cur_right_++));
    }
    // Returns the current left row; when it is only partly done the next call (with the same
    // begin) resumes at cur_right_.
    size_t next = cur_left_;
    if (next >= end) {
      cur_left_ = 0;
      cur_right_ = 0;
    }
    return next;
  }

 private:
  size_t cur_left_ = 0;
  size_t cur_right_ = 0;
};

}  // namespace

OperatorPtr MakeNestedLoopJoinOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<NestedLoopJoinOperator>(plan, state);
}

}  // namespace activestore::executor
