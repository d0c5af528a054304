// kSetOp: UNION / INTERSECT / EXCEPT, with ALL as PostgreSQL's bag semantics (INTERSECT ALL
// keeps min(m, n) copies, EXCEPT ALL max(m - n, 0)). Rows compare with NULLs equal. Inputs are
// converted to the node's output types.
#include "common/error.h"
#include "common/value_ops.h"
#include "executor/operators/join_util.h"
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

using planner::SetOpKind;

class SetOpOperator : public Operator {
 public:
  SetOpOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {
    if (plan.children.size() != 2)
      Throw(SqlState::kInternalError, "set operation needs two inputs");
    left_ = BuildOperator(*plan.children[0], st);
    right_ = BuildOperator(*plan.children[1], st);
  }

  bool Next(DataChunk* out) override {
    if (plan_.set_op == SetOpKind::kUnion && plan_.set_all) {
      while (true) {
        Operator* child = on_right_ ? right_.get() : left_.get();
        if (child->Next(out)) {
          Conform(out);
          return true;
        }
        if (on_right_) return false;
        on_right_ = true;
      }
    }
    if (!built_) Build();
    out->Init(types_);
    while (next_ < table_->size() && out->size < kBatchSize) {
      size_t idx = next_;
      int64_t copies = 0;
      int64_t l = left_count_[idx], r = right_count_[idx];
      switch (plan_.set_op) {
        case SetOpKind::kUnion:
          copies = 1;
          break;
        case SetOpKind::kIntersect:
          copies = plan_.set_all ? std::min(l, r) : (l > 0 && r > 0 ? 1 : 0);
          break;
        case SetOpKind::kExcept:
          copies = plan_.set_all ? std::max<int64_t>(l - r, 0) : (l > 0 && r == 0 ? 1 : 0);
          break;
      }
      copies -= emitted_;
      int64_t room = static_cast<int64_t>(kBatchSize - out->size);
      int64_t now = std::min(copies, room);
      for (int64_t c = 0; c < now; ++c) {
        for (size_t k = 0; k < types_.size(); ++k) {
          out->columns[k].AppendFrom(table_->keys()[k], idx);
        }
        ++out->size;
      }
      if (now < copies) {
        emitted_ += now;
      } else {
        emitted_ = 0;
        ++next_;
      }
    }
    return out->size > 0;
  }

 private:
  // Converts the columns of a chunk to the output types.
  void Conform(DataChunk* c) {
    c->locations.clear();
    const auto& types = plan_.output_types;
    if (types.size() != c->columns.size()) return;
    for (size_t k = 0; k < types.size(); ++k) {
      if (c->columns[k].type.id != types[k].id) {
        CastVectorTo(&c->columns[k], types[k], st_);
      }
      c->columns[k].type = types[k];
    }
  }

  void Add(Operator* child, bool is_left) {
    DataChunk c;
    std::vector<uint64_t> hashes;
    while (child->Next(&c)) {
      st_.CheckCancel();
      Conform(&c);
      if (!table_) {
        types_ = ColumnTypes(c);
        table_ = std::make_unique<KeyHashTable>(types_);
      }
      std::vector<const Vector*> cols;
      for (const auto& v : c.columns) cols.push_back(&v);
      HashRows(cols, c.size, &hashes);
      for (size_t r = 0; r < c.size; ++r) {
        size_t idx;
        if (is_left || plan_.set_op == SetOpKind::kUnion) {
          bool inserted;
          idx = table_->FindOrInsert(cols, r, hashes[r], &inserted);
          if (inserted) {
            left_count_.push_back(0);
            right_count_.push_back(0);
          }
        } else {
          int64_t found = table_->Find(cols, r, hashes[r]);
          if (found < 0) continue;
          idx = static_cast<size_t>(found);
        }
        ++(is_left ? left_count_ : right_count_)[idx];
      }
    }
  }

  void Build() {
    built_ = true;
    types_ = plan_.output_types;
    Add(left_.get(), true);
    Add(right_.get(), false);
    if (!table_) table_ = std::make_unique<KeyHashTable>(types_);
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr left_, right_;
  bool on_right_ = false;
  bool built_ = false;
  std::vector<Type> types_;
  std::unique_ptr<KeyHashTable> table_;
  std::vector<int64_t> left_count_, right_count_;
  size_t next_ = 0;
  int64_t emitted_ = 0;
};

}  // namespace

OperatorPtr MakeSetOpOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<SetOpOperator>(plan, state);
}

}  // namespace activestore::executor
