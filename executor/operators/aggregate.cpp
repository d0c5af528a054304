// kAggregate: hash aggregation. Group keys compare with NULLs equal; the output is the group
// values then the aggregate results. Without GROUP BY there is exactly one row, even over no
// input (count 0, the others NULL).
#include "executor/aggregates.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

class AggregateOperator : public Operator {
 public:
  AggregateOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), st_(st), child_(BuildOperator(*plan.children.at(0), st)) {}

  bool Next(DataChunk* out) override {
    if (!built_) Build();
    out->Clear();
    size_t groups = plan_.group_exprs.empty() ? 1 : table_->size();
    if (next_ >= groups) return false;
    std::vector<Type> types;
    for (const auto& g : plan_.group_exprs) types.push_back(g->type);
    for (const auto& a : plan_.aggregates) types.push_back(a.result_type);
    out->Init(types);
    size_t end = std::min(groups, next_ + kBatchSize);
    size_t ng = plan_.group_exprs.size();
    for (size_t g = next_; g < end; ++g) {
      for (size_t k = 0; k < ng; ++k) out->columns[k].AppendFrom(table_->keys()[k], g);
      for (size_t a = 0; a < aggs_.size(); ++a) {
        out->columns[ng + a].Append(aggs_[a]->Finalize(states_[a][g]));
      }
    }
    out->size = end - next_;
    next_ = end;
    return true;
  }

 private:
  void Build() {
    built_ = true;
    for (const auto& spec : plan_.aggregates) {
      aggs_.push_back(std::make_unique<AggregateEvaluator>(spec));
    }
    states_.resize(aggs_.size());
    std::vector<Type> key_types;
    for (const auto& g : plan_.group_exprs) key_types.push_back(g->type);
    table_ = std::make_unique<KeyHashTable>(key_types);
    if (plan_.group_exprs.empty()) {
      for (auto& s : states_) s.resize(1);
    }
    DataChunk in;
    std::vector<Vector> keys(plan_.group_exprs.size());  // scratch for computed keys
    std::vector<const Vector*> key_ptrs(keys.size());
    std::vector<uint64_t> hashes;
    std::vector<uint32_t> group_ids;
    while (child_->Next(&in)) {
      st_.CheckCancel();
      size_t n = in.size;
      group_ids.assign(n, 0);
      if (!plan_.group_exprs.empty()) {
        for (size_t k = 0; k < keys.size(); ++k) {
          key_ptrs[k] = &EvaluateExpressionRef(*plan_.group_exprs[k], in, st_, &keys[k]);
        }
        HashRows(key_ptrs, n, &hashes);
        for (size_t r = 0; r < n; ++r) {
          bool inserted;
          group_ids[r] =
              static_cast<uint32_t>(table_->FindOrInsert(key_ptrs, r, hashes[r], &inserted));
          if (inserted) {
            for (auto& s : states_) s.emplace_back();
          }
        }
      }
      for (size_t a = 0; a < aggs_.size(); ++a) aggs_[a]->Update(in, group_ids, st_, &states_[a]);
    }
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr child_;
  bool built_ = false;
  std::vector<std::unique_ptr<AggregateEvaluator>> aggs_;
  std::vector<std::vector<AggState>> states_;  // [aggregate][group]
  std::unique_ptr<KeyHashTable> table_;
  size_t next_ = 0;
};

}  // namespace

OperatorPtr MakeAggregateOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<AggregateOperator>(plan, state);
}

}  // namespace activestore::executor
