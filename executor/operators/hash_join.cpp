// kHashJoin: builds a hash table on the right input's keys, probes it with the left input's
// keys (NULL keys never match; keys of different types are compared in a common type), then
// checks the residual predicate; inner, left, right, full, semi and anti joins.
//
// When the right side outgrows hash_mem_multiplier x work_mem (executor/spill.h) it is a grace
// hash join: both sides are written to 32 partition files by the hash of their (converted)
// keys, and each pair of partitions is joined in turn by a hash join over those files (itself
// partitioning by the next bits of the hash if its right side is still too big). A row can only
// match rows of its own partition, and a row without a match (NULL keys included) stays
// unmatched in its partition, so every join type gives the same rows (in another order).
#include "common/error.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/join_util.h"
#include "executor/spill.h"

namespace activestore::executor {

namespace {

class HashJoinOperator : public JoinOperatorBase {
 public:
  HashJoinOperator(const planner::PlanNode& plan, ExecState& st) : JoinOperatorBase(plan, st) {
    Init();
  }
  // A partition of a spilled join: its rows from files, partitioned further at `depth`.
  HashJoinOperator(const planner::PlanNode& plan, ExecState& st, OperatorPtr left,
                   OperatorPtr right, int depth)
      : JoinOperatorBase(plan, st, std::move(left), std::move(right)), depth_(depth) {
    Init();
  }

  bool Next(DataChunk* out) override {
    if (!started_) {
      started_ = true;
      ReadRight();
    }
    if (!right_parts_) return JoinOperatorBase::Next(out);
    while (part_ < right_parts_->size()) {
      if (!current_) {
        auto take = [this](SpillPartitions* parts) {
          return MakeSpillScan(parts ? parts->Take(part_) : nullptr);
        };
        // A partition that got every row (one key, or keys the hash does not split) is not
        // split again: it is joined in memory.
        const bool unsplit = right_parts_->rows(part_) == right_rows_;
        current_ = std::make_unique<HashJoinOperator>(plan_, st_, take(left_parts_.get()),
                                                      take(right_parts_.get()),
                                                      unsplit ? kMaxSpillDepth : depth_ + 1);
      }
      if (current_->Next(out)) return true;
      current_.reset();
      ++part_;
    }
    out->Clear();
    return false;
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
        if (first_match_only_) break;  // a semi or anti join without a condition: one will do
      }
    }
    return r;
  }

 private:
  void Init() {
    if (plan_.left_keys.size() != plan_.right_keys.size() || plan_.left_keys.empty()) {
      Throw(SqlState::kInternalError, "hash join needs matching key lists");
    }
    for (size_t k = 0; k < plan_.left_keys.size(); ++k) {
      key_types_.push_back(CommonKeyType(plan_.left_keys[k]->type, plan_.right_keys[k]->type));
    }
    first_match_only_ = LeftOnly(plan_.join_type) && !plan_.predicate;
  }

  // The key hashes of c's rows (keys of `side`: the plan's left or right keys).
  void KeyHashes(const DataChunk& c, const std::vector<planner::BoundExprPtr>& side,
                 std::vector<uint64_t>* hashes) {
    std::vector<Vector> keys(key_types_.size());
    std::vector<const Vector*> ptrs;
    for (size_t k = 0; k < keys.size(); ++k) {
      EvaluateExpression(*side[k], c, st_, &keys[k]);
      CastVectorTo(&keys[k], key_types_[k], st_);
      ptrs.push_back(&keys[k]);
    }
    HashRows(ptrs, c.size, hashes);
  }

  // Reads the right side: into right_given_ while it fits, else into partitions with the left
  // side (parts_).
  void ReadRight() {
    if (plan_.runtime_key_id != 0 || depth_ >= kMaxSpillDepth) return;  // the base reads it
    const size_t limit = HashMemBytes(st_.ctx);
    DataChunk all, c;
    bool first = true;
    size_t bytes = 0;
    while (right_child().Next(&c)) {
      st_.CheckCancel();
      if (first) {
        std::vector<Type> types;
        for (const auto& v : c.columns) types.push_back(v.type);
        all.Init(types);
        first = false;
      }
      // The table's share: the rows, and per row its key and hash entry.
      bytes += ChunkBytes(c) + c.size * 40;
      AppendChunk(std::move(c), &all);
      if (bytes > limit) break;
    }
    if (first) all.Init(plan_.children[1]->output_types);
    if (bytes <= limit) {
      right_given_ = std::move(all);
      return;
    }
    // Grace: partition both sides.
    std::vector<uint64_t> hashes;
    auto right = std::make_unique<SpillPartitions>(st_.ctx, ColumnTypes(all), kSpillFanout,
                                                   SpillShift(depth_));
    auto add = [&](SpillPartitions& parts, const DataChunk& rows,
                   const std::vector<planner::BoundExprPtr>& side) {
      KeyHashes(rows, side, &hashes);
      for (size_t r = 0; r < rows.size; ++r) parts.Add(rows, r, hashes[r]);
      if (&parts == right.get()) right_rows_ += rows.size;
    };
    add(*right, all, plan_.right_keys);
    all = DataChunk();
    while (right_child().Next(&c)) {
      st_.CheckCancel();
      add(*right, c, plan_.right_keys);
    }
    right->Finish();
    std::unique_ptr<SpillPartitions> left;
    while (left_child().Next(&c)) {
      st_.CheckCancel();
      if (!left) {
        left = std::make_unique<SpillPartitions>(st_.ctx, ColumnTypes(c), kSpillFanout,
                                                 SpillShift(depth_));
      }
      add(*left, c, plan_.left_keys);
    }
    if (left) left->Finish();
    left_parts_ = std::move(left);  // none: no left rows
    right_parts_ = std::move(right);
  }

  std::vector<Type> key_types_;
  bool first_match_only_ = false;
  int depth_ = 0;
  bool started_ = false;
  // A spilled join: both sides' partitions, joined pair after pair (part_ the current one).
  std::unique_ptr<SpillPartitions> left_parts_, right_parts_;
  size_t part_ = 0;
  uint64_t right_rows_ = 0;  // rows in right_parts_
  std::unique_ptr<HashJoinOperator> current_;
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
