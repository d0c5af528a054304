// kSetOp: UNION / INTERSECT / EXCEPT, with ALL as PostgreSQL's bag semantics (INTERSECT ALL
// keeps min(m, n) copies, EXCEPT ALL max(m - n, 0)). Rows compare with NULLs equal. Inputs are
// converted to the node's output types.
//
// The distinct rows and their counts on each side are kept in a hash table. When it outgrows
// hash_mem_multiplier x work_mem (executor/spill.h), a row not in the table is written with its
// counts (1 and 0, or 0 and 1) to one of 32 partition files by its hash; once both inputs are
// read, the table's rows are returned, then each partition's (its counts summed per row, itself
// spilling by the next bits of the hash if still too big).
#include "common/error.h"
#include "common/value_ops.h"
#include "executor/operators/join_util.h"
#include "executor/operators/operator.h"
#include "executor/spill.h"

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
  // A spilled partition: rows of the output types, then their left and right counts.
  SetOpOperator(const planner::PlanNode& plan, ExecState& st, OperatorPtr counted, int depth)
      : plan_(plan), st_(st), counted_(std::move(counted)), depth_(depth) {}

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
    if (next_ >= table_->size()) return NextPartition(out);
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
    if (out->size > 0) return true;
    return NextPartition(out);
  }

 private:
  bool NextPartition(DataChunk* out) {
    while (spill_ && part_ < spill_->size()) {
      if (!current_) {
        current_ = std::make_unique<SetOpOperator>(plan_, st_, MakeSpillScan(spill_->Take(part_)),
                                                   depth_ + 1);
      }
      if (current_->Next(out)) return true;
      current_.reset();
      ++part_;
    }
    out->Clear();
    return false;
  }

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
    while (child->Next(&c)) {
      st_.CheckCancel();
      Conform(&c);
      Absorb(c, is_left ? 1 : 0, is_left ? 0 : 1, nullptr, is_left);
    }
  }

  // Counts the rows of c (left and right counts lc, rc, or per row from `counts`: two int8
  // columns after the row's). Right rows of INTERSECT/EXCEPT count only for rows in the table
  // (or a partition), as no other row can come out.
  void Absorb(DataChunk& c, int64_t lc, int64_t rc, const Vector* counts, bool may_insert) {
    const size_t ncols = types_.size();
    if (!table_) table_ = std::make_unique<KeyHashTable>(types_);
    std::vector<const Vector*> cols;
    for (size_t k = 0; k < ncols; ++k) cols.push_back(&c.columns[k]);
    HashRows(cols, c.size, &hashes_);
    may_insert |= plan_.set_op == SetOpKind::kUnion;
    DataChunk counted;  // c with its counts, for the rows spilled
    for (size_t r = 0; r < c.size; ++r) {
      const int64_t l = counts ? counts[0].ints[r] : lc;
      const int64_t n = counts ? counts[1].ints[r] : rc;
      int64_t idx;
      if (!spill_ && may_insert) {
        bool inserted;
        idx = static_cast<int64_t>(table_->FindOrInsert(cols, r, hashes_[r], &inserted));
        if (inserted) {
          left_count_.push_back(0);
          right_count_.push_back(0);
          bytes_ += 56;  // the counts and the hash table's entry
          for (const Vector* v : cols) {
            bytes_ += v->phys == PhysClass::kString ? 33 + v->strs[r].size() : 24;
          }
        }
      } else {
        idx = table_->Find(cols, r, hashes_[r]);
      }
      if (idx < 0) {
        if (!spill_) continue;
        if (counts) {
          spill_->Add(c, r, hashes_[r]);
          continue;
        }
        if (counted.columns.empty()) {
          counted.columns = c.columns;
          counted.columns.emplace_back(Type::Of(TypeId::kInt64), c.size);
          counted.columns.emplace_back(Type::Of(TypeId::kInt64), c.size);
          for (size_t i = 0; i < c.size; ++i) {
            counted.columns[ncols].ints[i] = lc;
            counted.columns[ncols + 1].ints[i] = rc;
          }
          counted.size = c.size;
        }
        spill_->Add(counted, r, hashes_[r]);
        continue;
      }
      left_count_[idx] += l;
      right_count_[idx] += n;
    }
    if (!spill_ && bytes_ > limit_ && depth_ < kMaxSpillDepth) {
      std::vector<Type> types = types_;
      types.push_back(Type::Of(TypeId::kInt64));
      types.push_back(Type::Of(TypeId::kInt64));
      spill_ = std::make_unique<SpillPartitions>(st_.ctx, types, kSpillFanout, SpillShift(depth_));
    }
  }

  void Build() {
    built_ = true;
    types_ = plan_.output_types;
    limit_ = HashMemBytes(st_.ctx);
    if (counted_) {
      DataChunk c;
      while (counted_->Next(&c)) {
        st_.CheckCancel();
        const size_t n = types_.size();
        Absorb(c, 0, 0, &c.columns[n], true);
      }
    } else {
      Add(left_.get(), true);
      Add(right_.get(), false);
    }
    if (!table_) table_ = std::make_unique<KeyHashTable>(types_);
    if (spill_) spill_->Finish();
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
  // Spilling (see above): the rows of a partition to count, the table's limit and size.
  OperatorPtr counted_;
  int depth_ = 0;
  size_t limit_ = 0, bytes_ = 0;
  std::vector<uint64_t> hashes_;
  std::unique_ptr<SpillPartitions> spill_;
  size_t part_ = 0;
  std::unique_ptr<SetOpOperator> current_;
};

}  // namespace

OperatorPtr MakeSetOpOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<SetOpOperator>(plan, state);
}

}  // namespace activestore::executor
