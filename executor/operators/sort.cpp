// kSort: evaluates the sort keys and emits the rows in a stable order (ASC/DESC and NULLS
// FIRST/LAST per key).
//
// Without a bound the child is materialized and its row indexes sorted. With a row bound n from
// a LIMIT above (SetRowBound) it is a top-n sort, as PostgreSQL's bounded heap sort: only the
// best n rows so far are kept; an incoming row that does not beat the n-th is dropped after one
// comparison, so ORDER BY ... LIMIT 10 over a million rows holds ten rows, not a million. Both
// give the same rows in the same order (ties in arrival order).
#include <algorithm>
#include <numeric>

#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

// Bounds above this sort everything (keeping a large "best" set costs more than it saves).
constexpr uint64_t kMaxTopN = 100000;

class SortOperator : public Operator {
 public:
  SortOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), st_(st), child_(BuildOperator(*plan.children.at(0), st)) {}

  void SetRowBound(uint64_t n) override { bound_ = n; }

  bool Next(DataChunk* out) override {
    if (!sorted_) {
      sorted_ = true;
      if (bound_ > 0 && bound_ <= kMaxTopN) {
        TopN();
      } else {
        SortAll();
      }
    }
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
  // <0, 0, >0 as row a of keys `x` sorts before, with, after row b of keys `y`.
  int CompareRows(const std::vector<Vector>& x, uint32_t a, const std::vector<Vector>& y,
                  uint32_t b) const {
    for (size_t k = 0; k < x.size(); ++k) {
      const planner::SortKey& sk = plan_.sort_keys[k];
      const bool an = x[k].nulls[a], bn = y[k].nulls[b];
      if (an || bn) {
        if (an && bn) continue;
        return an == sk.nulls_first ? -1 : 1;
      }
      int c = CompareVectorValues(x[k], a, y[k], b);
      if (c != 0) return sk.descending ? -c : c;
    }
    return 0;
  }

  void EvaluateKeys(const DataChunk& rows, std::vector<Vector>* keys) {
    keys->resize(plan_.sort_keys.size());
    for (size_t k = 0; k < keys->size(); ++k) {
      EvaluateExpression(*plan_.sort_keys[k].expr, rows, st_, &(*keys)[k]);
    }
  }

  // order_ = the row indexes of rows_ in sorted order (stable).
  void SortIndexes(size_t n) {
    order_.resize(n);
    std::iota(order_.begin(), order_.end(), 0);
    std::stable_sort(order_.begin(), order_.end(), [this](uint32_t a, uint32_t b) {
      return CompareRows(keys_, a, keys_, b) < 0;
    });
  }

  void SortAll() {
    rows_ = Materialize(*child_, plan_.children[0]->output_types, st_);
    EvaluateKeys(rows_, &keys_);
    SortIndexes(rows_.size);
  }

  // rows_ holds the best (at most bound_) rows in sorted order, keys_ their keys.
  void TopN() {
    rows_.Init(plan_.children[0]->output_types);
    keys_.clear();
    DataChunk in;
    std::vector<Vector> in_keys;
    std::vector<uint32_t> sel;
    while (child_->Next(&in)) {
      st_.CheckCancel();
      EvaluateKeys(in, &in_keys);
      if (keys_.empty()) {
        for (const Vector& k : in_keys) keys_.emplace_back(k.type, 0);
      }
      // The incoming rows that beat the current n-th best (all while fewer than n are held).
      sel.clear();
      const bool full = rows_.size >= bound_;
      for (uint32_t r = 0; r < in.size; ++r) {
        if (!full || CompareRows(in_keys, r, keys_, static_cast<uint32_t>(rows_.size - 1)) < 0) {
          sel.push_back(r);
        }
      }
      if (sel.empty()) continue;
      DataChunk cand_keys;
      cand_keys.columns = std::move(in_keys);
      cand_keys.size = in.size;
      if (sel.size() != in.size) {
        in = in.Select(sel);
        cand_keys = cand_keys.Select(sel);
      }
      // Held rows first (they arrived earlier), then the candidates; sort; keep the best n.
      DataChunk held_keys;
      held_keys.columns = std::move(keys_);
      held_keys.size = rows_.size;
      AppendChunk(std::move(cand_keys), &held_keys);
      AppendChunk(std::move(in), &rows_);
      keys_ = std::move(held_keys.columns);
      SortIndexes(rows_.size);
      if (order_.size() > bound_) order_.resize(bound_);
      rows_ = rows_.Select(order_);
      held_keys.columns = std::move(keys_);
      keys_ = std::move(held_keys.Select(order_).columns);
      in_keys.clear();
    }
    order_.resize(rows_.size);
    std::iota(order_.begin(), order_.end(), 0);
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr child_;
  uint64_t bound_ = 0;  // 0: no bound
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
