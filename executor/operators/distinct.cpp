// kDistinct: the first occurrence of each distinct row (NULLs equal), streaming; with `columns`
// (DISTINCT ON), the first row of each distinct value of those columns.
//
// The rows seen are kept in a hash table. When it outgrows hash_mem_multiplier x work_mem
// (executor/spill.h), a row whose value is not in the table is written to one of 32 partition
// files by its hash instead (its first occurrence there is still its first in input order),
// and once the input ends each partition is made distinct in turn. DISTINCT ON over a sort by
// its columns (ORDER BY must start with them) compares each row with the one before instead:
// equal values are adjacent, so nothing is kept.
#include <algorithm>

#include "executor/operators/operator.h"
#include "executor/spill.h"

namespace activestore::executor {

namespace {

// Whether the input of DISTINCT ON `plan` comes sorted by its columns first.
bool SortedByColumns(const planner::PlanNode& plan) {
  const planner::PlanNode& child = *plan.children.at(0);
  if (plan.columns.empty() || child.kind != planner::PlanKind::kSort ||
      child.sort_keys.size() < plan.columns.size()) {
    return false;
  }
  for (size_t k = 0; k < plan.columns.size(); ++k) {
    const planner::BoundExpr& e = *child.sort_keys[k].expr;
    if (e.kind != planner::BoundExprKind::kColumn ||
        std::find(plan.columns.begin(), plan.columns.end(), e.column_index) == plan.columns.end()) {
      return false;
    }
  }
  return true;
}

class DistinctOperator : public Operator {
 public:
  DistinctOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan),
        st_(st),
        child_(BuildOperator(*plan.children.at(0), st)),
        sorted_(SortedByColumns(plan)),
        limit_(HashMemBytes(st.ctx)) {}
  // A spilled partition's rows, made distinct at `depth`.
  DistinctOperator(const planner::PlanNode& plan, ExecState& st, OperatorPtr child, int depth)
      : plan_(plan),
        st_(st),
        child_(std::move(child)),
        limit_(HashMemBytes(st.ctx)),
        depth_(depth) {}

  bool Next(DataChunk* out) override {
    while (!input_done_) {
      if (!child_->Next(out)) {
        input_done_ = true;
        if (spill_) spill_->Finish();
        break;
      }
      std::vector<const Vector*> cols;
      if (plan_.columns.empty()) {
        for (const auto& c : out->columns) cols.push_back(&c);
      } else {
        for (int k : plan_.columns) cols.push_back(&out->columns.at(k));
      }
      sel_.clear();
      if (sorted_) {
        AdjacentFirsts(*out, cols);
      } else {
        HashFirsts(*out, cols);
      }
      if (sel_.empty()) continue;
      if (sel_.size() != out->size) *out = out->Select(sel_);
      return true;
    }
    // The spilled partitions, one after the other.
    while (spill_ && part_ < spill_->size()) {
      if (!current_) {
        current_ = std::make_unique<DistinctOperator>(
            plan_, st_, MakeSpillScan(spill_->Take(part_)), depth_ + 1);
      }
      if (current_->Next(out)) return true;
      current_.reset();
      ++part_;
    }
    out->Clear();
    return false;
  }

 private:
  void HashFirsts(const DataChunk& in, const std::vector<const Vector*>& cols) {
    if (!table_) {
      std::vector<Type> types;
      for (const Vector* c : cols) types.push_back(c->type);
      table_ = std::make_unique<KeyHashTable>(types);
    }
    HashRows(cols, in.size, &hashes_);
    for (size_t r = 0; r < in.size; ++r) {
      if (spill_) {
        if (table_->Find(cols, r, hashes_[r]) < 0) spill_->Add(in, r, hashes_[r]);
        continue;
      }
      bool inserted;
      table_->FindOrInsert(cols, r, hashes_[r], &inserted);
      if (!inserted) continue;
      sel_.push_back(static_cast<uint32_t>(r));
      bytes_ += 40;  // the hash table's entry
      for (const Vector* c : cols) {
        bytes_ += c->phys == PhysClass::kString ? 33 + c->strs[r].size() : 24;
      }
    }
    if (!spill_ && bytes_ > limit_ && depth_ < kMaxSpillDepth) {
      std::vector<Type> types;
      for (const auto& v : in.columns) types.push_back(v.type);
      spill_ = std::make_unique<SpillPartitions>(st_.ctx, types, kSpillFanout, SpillShift(depth_));
    }
  }

  // Input sorted by the DISTINCT ON columns: a row is a first when it differs from the row
  // before it.
  void AdjacentFirsts(const DataChunk& in, const std::vector<const Vector*>& cols) {
    for (size_t r = 0; r < in.size; ++r) {
      bool same = have_last_;
      for (size_t k = 0; same && k < cols.size(); ++k) {
        same = RowValuesEqual(*cols[k], r, last_[k], 0);
      }
      if (same) continue;
      sel_.push_back(static_cast<uint32_t>(r));
      last_.resize(cols.size());
      for (size_t k = 0; k < cols.size(); ++k) {
        last_[k].Init(cols[k]->type, 0);
        last_[k].AppendFrom(*cols[k], r);
      }
      have_last_ = true;
    }
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr child_;
  bool sorted_ = false;
  size_t limit_;
  int depth_ = 0;
  std::unique_ptr<KeyHashTable> table_;
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> sel_;
  size_t bytes_ = 0;
  bool input_done_ = false;
  std::unique_ptr<SpillPartitions> spill_;
  size_t part_ = 0;
  std::unique_ptr<DistinctOperator> current_;
  // Sorted input: the DISTINCT ON values of the last row returned.
  std::vector<Vector> last_;
  bool have_last_ = false;
};

}  // namespace

OperatorPtr MakeDistinctOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<DistinctOperator>(plan, state);
}

}  // namespace activestore::executor
