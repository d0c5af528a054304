// kSort: materializes the child, evaluates the sort keys and emits the rows in a stable
// order (ASC/DESC and NULLS FIRST/LAST per key).
#include <algorithm>
#include <numeric>

#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

class SortOperator : public Operator {
 public:
  SortOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), st_(st), child_(BuildOperator(*plan.children.at(0), st)) {}

  bool Next(DataChunk* out) override {
    if (!sorted_) Sort();
    if (next_ >= order_.size()) {
      out->Clear();
      return false;
    }
    size_t end = std::min(order_.size(), next_ + kBatchSize);
    std::vector<uint32_t> sel(order_.begin() + next_, order_.begin() + end);
    *out = rows_.Select(sel);
    next_ = end;
    return true;
  }

 private:
  void Sort() {
    sorted_ = true;
    rows_ = Materialize(*child_, plan_.children[0]->output_types, st_);
    keys_.resize(plan_.sort_keys.size());
    for (size_t k = 0; k < keys_.size(); ++k) {
      EvaluateExpression(*plan_.sort_keys[k].expr, rows_, st_, &keys_[k]);
    }
    order_.resize(rows_.size);
    std::iota(order_.begin(), order_.end(), 0);
    std::stable_sort(order_.begin(), order_.end(), [this](uint32_t a, uint32_t b) {
      for (size_t k = 0; k < keys_.size(); ++k) {
        const Vector& v = keys_[k];
        const planner::SortKey& sk = plan_.sort_keys[k];
        bool an = v.nulls[a], bn = v.nulls[b];
        if (an || bn) {
          if (an && bn) continue;
          return an == sk.nulls_first;
        }
        int c = CompareVectorValues(v, a, v, b);
        if (c != 0) return sk.descending ? c > 0 : c < 0;
      }
      return false;
    });
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr child_;
  bool sorted_ = false;
  DataChunk rows_;
  std::vector<Vector> keys_;
  std::vector<uint32_t> order_;
  size_t next_ = 0;
};

}  // namespace

OperatorPtr MakeSortOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<SortOperator>(plan, state);
}

}  // namespace activestore::executor
