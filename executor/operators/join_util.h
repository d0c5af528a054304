// Helpers shared by the join operators: the combined (left then right) row layout, NULL
// padding for outer joins, and the common type of two join keys.
#pragma once

#include <vector>

#include "executor/exec_state.h"
#include "executor/vector.h"
#include "planner/plan.h"

namespace activestore::executor {

// Appends to out (columns: left's then right's) the pairs (left row l[i], right row r[i]);
// -1 on either side pads that side with NULLs.
void AppendJoinedRows(const DataChunk& left, const std::vector<int64_t>& l, const DataChunk& right,
                      const std::vector<int64_t>& r, DataChunk* out);

// Initialises out for the combined rows of left and right column types.
void InitJoined(const std::vector<Type>& left, const std::vector<Type>& right, DataChunk* out);

std::vector<Type> ColumnTypes(const DataChunk& c);

// The type both join keys are converted to before hashing, so that equal values (int4 1,
// int8 1, numeric 1.0) hash and compare alike.
Type CommonKeyType(Type a, Type b);

// Casts v to t in place (no-op when already of t's physical representation and id).
void CastVectorTo(Vector* v, Type t, ExecState& st);

// True if the join emits only the left columns (semi and anti joins).
inline bool LeftOnly(planner::JoinType t) {
  return t == planner::JoinType::kSemi || t == planner::JoinType::kAnti;
}

}  // namespace activestore::executor

#include <deque>
#include <optional>

#include "executor/operators/operator.h"

namespace activestore::executor {

// The shared part of hash and nested loop joins: the right side is materialized; for each
// left batch a subclass produces candidate pairs (left row, right row), which are checked
// against the residual predicate over the combined row and emitted per join type; outer
// joins pad unmatched rows with NULLs (right/full ones at the end).
class JoinOperatorBase : public Operator {
 public:
  JoinOperatorBase(const planner::PlanNode& plan, ExecState& st);
  bool Next(DataChunk* out) override;

 protected:
  // Over the given inputs instead of the plan's children (a spilled hash join's partitions).
  JoinOperatorBase(const planner::PlanNode& plan, ExecState& st, OperatorPtr left,
                   OperatorPtr right);
  Operator& left_child() { return *left_child_; }
  Operator& right_child() { return *right_child_; }

  // Called once after the right side is materialized in right_.
  virtual void BuildRight() = 0;
  // Appends the candidate pairs of left row range [begin, end) of left_ to pl/pr.
  // Returns the first left row not processed (end when all were), so that a subclass may
  // stop early to bound the pair batch.
  virtual size_t Candidates(size_t begin, size_t end, std::vector<int64_t>* pl,
                            std::vector<int64_t>* pr) = 0;

  const planner::PlanNode& plan_;
  ExecState& st_;
  DataChunk left_;
  DataChunk right_;
  // Set before the first Next(): the right side's rows, already read (not read again).
  std::optional<DataChunk> right_given_;

 private:
  void GiveRightItsKeys();
  void ProcessLeftBatch();
  void FlushPairs(std::vector<int64_t>* pl, std::vector<int64_t>* pr);
  void EmitRightUnmatched();

  OperatorPtr left_child_, right_child_;
  bool built_ = false, left_done_ = false, right_emitted_ = false;
  std::vector<Type> left_types_, right_types_;
  std::vector<uint8_t> left_matched_, right_matched_;
  std::deque<DataChunk> pending_;
};

}  // namespace activestore::executor
