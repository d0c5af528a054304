// kDistinct: the first occurrence of each distinct row (NULLs equal), streaming; with `columns`
// (DISTINCT ON), the first row of each distinct value of those columns.
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

class DistinctOperator : public Operator {
 public:
  DistinctOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), st_(st), child_(BuildOperator(*plan.children.at(0), st)) {}

  bool Next(DataChunk* out) override {
    while (child_->Next(out)) {
      std::vector<const Vector*> cols;
      if (plan_.columns.empty()) {
        for (const auto& c : out->columns) cols.push_back(&c);
      } else {
        for (int k : plan_.columns) cols.push_back(&out->columns.at(k));
      }
      if (!table_) {
        std::vector<Type> types;
        for (const Vector* c : cols) types.push_back(c->type);
        table_ = std::make_unique<KeyHashTable>(types);
      }
      HashRows(cols, out->size, &hashes_);
      sel_.clear();
      for (size_t r = 0; r < out->size; ++r) {
        bool inserted;
        table_->FindOrInsert(cols, r, hashes_[r], &inserted);
        if (inserted) sel_.push_back(static_cast<uint32_t>(r));
      }
      if (sel_.empty()) continue;
      if (sel_.size() != out->size) *out = out->Select(sel_);
      return true;
    }
    return false;
  }

 private:
  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr child_;
  std::unique_ptr<KeyHashTable> table_;
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> sel_;
};

}  // namespace

OperatorPtr MakeDistinctOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<DistinctOperator>(plan, state);
}

}  // namespace activestore::executor
