// kGather: the rows of each child (fragment) in turn, or, with key_order, the children's rows
// merged by storage key (each child a kShardScan carrying its keys, each shard read in key
// order). When the statement allows it (ParallelFragments::Start) the fragments run on worker
// threads and the Gather takes their batches as they come, or merges them per fragment. A
// later wave runs fragments on the node that owns the shard.
#include <algorithm>
#include <string_view>

#include "executor/operators/operator.h"
#include "executor/parallel_fragments.h"

namespace activestore::executor {

namespace {

class GatherOperator : public Operator {
 public:
  GatherOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {}

  // The consumer reads at most n rows of all the children's, so at most n of each one's (an
  // ordered ChunkAppend's chunk sorts keep n rows).
  void SetRowBound(uint64_t n) override { bound_ = n; }

  bool Next(DataChunk* out) override {
    if (!started_) {
      started_ = true;
      parallel_ = ParallelFragments::Start(plan_, st_, /*ordered=*/false);
    }
    if (parallel_) return parallel_->Next(0, out);
    while (next_child_ <= plan_.children.size()) {
      if (!current_) {
        if (next_child_ == plan_.children.size()) break;
        current_ = BuildOperator(*plan_.children[next_child_++], st_);
        if (bound_ > 0) current_->SetRowBound(bound_);
      }
      if (current_->Next(out)) return true;
      current_.reset();
    }
    out->Clear();
    return false;
  }

 private:
  const planner::PlanNode& plan_;
  ExecState& st_;
  bool started_ = false;
  std::unique_ptr<ParallelFragments> parallel_;
  size_t next_child_ = 0;
  OperatorPtr current_;
  uint64_t bound_ = 0;  // 0: none
};

// The leader's view of one fragment run by ParallelFragments (for the merge).
class FragmentQueueOperator : public Operator {
 public:
  FragmentQueueOperator(ParallelFragments* parallel, size_t fragment)
      : parallel_(parallel), fragment_(fragment) {}
  bool Next(DataChunk* out) override { return parallel_->Next(fragment_, out); }

 private:
  ParallelFragments* parallel_;
  size_t fragment_;
};

// A k-way merge over the children's chunks. Each batch is made in two passes: first the order
// (which input, which row), choosing the smallest current key among the inputs by a 16-byte
// prefix compared as two big-endian words (a hidden row id fits) and the whole key on a tie; then
// the columns, one at a time, so that the physical-class switch is outside the row loop. A batch
// ends when an input's chunk is used up, so every chunk it refers to is still held.
class MergeGatherOperator : public Operator {
 public:
  MergeGatherOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), st_(st), with_locations_(true) {
    for (const auto& c : plan.children) with_locations_ &= c->emit_row_location;
  }

  bool Next(DataChunk* out) override {
    if (!started_) Start();
    out->Init(plan_.output_types);
    // Inputs whose chunk ran out in the previous batch get their next one now.
    for (size_t i : exhausted_) {
      if (Refill(&inputs_[i])) active_.push_back(i);
    }
    exhausted_.clear();
    order_.clear();
    while (!active_.empty() && order_.size() < kBatchSize) {
      size_t best = 0;
      for (size_t a = 1; a < active_.size(); ++a) {
        if (Less(active_[a], active_[best])) best = a;
      }
      size_t i = active_[best];
      Input& in = inputs_[i];
      order_.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(in.pos)});
      if (++in.pos < in.chunk.size) {
        SetPrefix(&in);
      } else {
        exhausted_.push_back(i);
        active_.erase(active_.begin() + static_cast<std::ptrdiff_t>(best));
        break;
      }
    }
    if (order_.empty()) {
      out->Clear();
      return false;
    }
    for (size_t k = 0; k < out->columns.size(); ++k) AppendColumn(k, &out->columns[k]);
    if (with_locations_) {
      for (auto [i, r] : order_) {
        out->locations.push_back(std::move(inputs_[i].chunk.locations[r]));
      }
    }
    out->size = order_.size();
    return true;
  }

 private:
  struct Input {
    OperatorPtr op;
    DataChunk chunk;
    size_t pos = 0;
    // The current row's key bytes [0, 8) and [8, 16) (a hidden row id is 9 bytes).
    uint64_t prefix = 0;
    uint64_t prefix2 = 0;
  };

  // Bytes [from, from + 8) of key as a big-endian number (zero past the end).
  static uint64_t Word(std::string_view key, size_t from) {
    uint64_t p = 0;
    for (size_t b = from; b < from + 8; ++b) {
      p = (p << 8) | (b < key.size() ? static_cast<unsigned char>(key[b]) : 0);
    }
    return p;
  }
  static void SetPrefix(Input* in) {
    std::string_view key = in->chunk.locations[in->pos].key;
    in->prefix = Word(key, 0);
    in->prefix2 = Word(key, 8);
  }

  bool Less(size_t a, size_t b) const {
    const Input& x = inputs_[a];
    const Input& y = inputs_[b];
    if (x.prefix != y.prefix) return x.prefix < y.prefix;
    if (x.prefix2 != y.prefix2) return x.prefix2 < y.prefix2;
    return x.chunk.locations[x.pos].key < y.chunk.locations[y.pos].key;
  }

  // Appends column k of the rows in order_ (each input's rows are consumed, so strings move).
  void AppendColumn(size_t k, Vector* dst) {
    dst->nulls.reserve(order_.size());
    for (auto [i, r] : order_) dst->nulls.push_back(inputs_[i].chunk.columns[k].nulls[r]);
    switch (dst->phys) {
      case PhysClass::kInt:
        for (auto [i, r] : order_) dst->ints.push_back(inputs_[i].chunk.columns[k].ints[r]);
        break;
      case PhysClass::kFloat:
        for (auto [i, r] : order_) dst->floats.push_back(inputs_[i].chunk.columns[k].floats[r]);
        break;
      case PhysClass::kString:
        for (auto [i, r] : order_) {
          dst->strs.push_back(std::move(inputs_[i].chunk.columns[k].strs[r]));
        }
        break;
      case PhysClass::kNumeric:
        for (auto [i, r] : order_) {
          dst->nums.push_back(std::move(inputs_[i].chunk.columns[k].nums[r]));
        }
        break;
      case PhysClass::kWide:
        for (auto [i, r] : order_) {
          dst->ints.push_back(inputs_[i].chunk.columns[k].ints[r]);
          dst->ints2.push_back(inputs_[i].chunk.columns[k].ints2[r]);
        }
        break;
    }
  }

  // The next non-empty chunk of `in`; false when the child is exhausted.
  bool Refill(Input* in) {
    st_.CheckCancel();
    in->pos = 0;
    if (!in->op) return false;
    if (!in->op->Next(&in->chunk)) {
      in->op.reset();
      return false;
    }
    if (in->chunk.locations.size() != in->chunk.size) {
      Throw(SqlState::kInternalError, "ordered gather over a fragment without row keys");
    }
    SetPrefix(in);
    return true;
  }

  void Start() {
    started_ = true;
    parallel_ = ParallelFragments::Start(plan_, st_, /*ordered=*/true);
    inputs_.resize(plan_.children.size());
    for (size_t i = 0; i < inputs_.size(); ++i) {
      if (parallel_) {
        inputs_[i].op = std::make_unique<FragmentQueueOperator>(parallel_.get(), i);
      } else {
        inputs_[i].op = BuildOperator(*plan_.children[i], st_);
      }
      if (Refill(&inputs_[i])) active_.push_back(i);
    }
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  bool with_locations_;  // the parent asked for row locations (not only keys for the merge)
  bool started_ = false;
  std::unique_ptr<ParallelFragments> parallel_;  // declared first of the run state: goes last
  std::vector<Input> inputs_;
  std::vector<size_t> active_;                        // inputs with a current row
  std::vector<size_t> exhausted_;                     // inputs whose chunk the last batch used up
  std::vector<std::pair<uint32_t, uint32_t>> order_;  // (input, row) of the batch being made
};

}  // namespace

OperatorPtr MakeGatherOperator(const planner::PlanNode& plan, ExecState& state) {
  if (plan.key_order) return std::make_unique<MergeGatherOperator>(plan, state);
  return std::make_unique<GatherOperator>(plan, state);
}

}  // namespace activestore::executor
