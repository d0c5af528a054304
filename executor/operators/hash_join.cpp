// kHashJoin: builds a hash table on the right input's keys, probes it with the left input's
// keys (NULL keys never match; keys of different types are compared in a common type), then
// checks the residual predicate; inner, left, right, full, semi and anti joins.
#include "common/error.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/join_util.h"

namespace activestore::executor {

namespace {

class HashJoinOperator : public JoinOperatorBase {
 public:
  HashJoinOperator(const planner::PlanNode& plan, ExecState& st) : JoinOperatorBase(plan, st) {
    if (plan.left_keys.size() != plan.right_keys.size() || plan.left_keys.empty()) {
      Throw(SqlState::kInternalError, "hash join needs matching key lists");
    }
    for (size_t k = 0; k < plan.left_keys.size(); ++k) {
      key_types_.push_back(CommonKeyType(plan.left_keys[k]->type, plan.right_keys[k]->type));
    }
  }

 protected:
  void BuildRight() override {
    std::vector<Vector> keys(key_types_.size());
    std::vector<const Vector*> ptrs;
    for (size_t k = 0; k < keys.size(); ++k) {
      EvaluateExpression(*plan_.right_keys[k], right_, st_, &keys[k]);
      CastVectorTo(&keys[k], key_types_[k], st_);
      ptrs.push_back(&keys[k]);
    }
    table_ = std::make_unique<KeyHashTable>(key_types_);
    std::vector<uint64_t> hashes;
    HashRows(ptrs, right_.size, &hashes);
    for (size_t r = 0; r < right_.size; ++r) {
      bool has_null = false;
      for (const auto* k : ptrs) has_null |= k->nulls[r] != 0;
      if (has_null) continue;
      bool inserted;
      size_t idx = table_->FindOrInsert(ptrs, r, hashes[r], &inserted);
      if (inserted) lists_.emplace_back();
      lists_[idx].push_back(static_cast<uint32_t>(r));
    }
  }

  size_t Candidates(size_t begin, size_t end, std::vector<int64_t>* pl,
                    std::vector<int64_t>* pr) override {
    if (begin == 0) {
      probe_keys_.assign(key_types_.size(), Vector());
      probe_ptrs_.clear();
      for (size_t k = 0; k < key_types_.size(); ++k) {
        EvaluateExpression(*plan_.left_keys[k], left_, st_, &probe_keys_[k]);
        CastVectorTo(&probe_keys_[k], key_types_[k], st_);
        probe_ptrs_.push_back(&probe_keys_[k]);
      }
      HashRows(probe_ptrs_, left_.size, &probe_hashes_);
    }
    size_t r = begin;
    for (; r < end && pl->size() < kBatchSize; ++r) {
      bool has_null = false;
      for (const auto* k : probe_ptrs_) has_null |= k->nulls[r] != 0;
      if (has_null) continue;
      int64_t idx = table_->Find(probe_ptrs_, r, probe_hashes_[r]);
      if (idx < 0) continue;
      for (uint32_t b : lists_[idx]) {
        pl->push_back(static_cast<int64_t>(r));
        pr->push_back(b);
      }
    }
    return r;
  }

 private:
  std::vector<Type> key_types_;
  std::unique_ptr<KeyHashTable> table_;
  std::vector<std::vector<uint32_t>> lists_;
  std::vector<Vector> probe_keys_;
  std::vector<const Vector*> probe_ptrs_;
  std::vector<uint64_t> probe_hashes_;
};

}  // namespace

OperatorPtr MakeHashJoinOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<HashJoinOperator>(plan, state);
}

}  // namespace activestore::executor
