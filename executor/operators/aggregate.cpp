// kAggregate: hash aggregation. Group keys compare with NULLs equal; the output is the group
// values then the aggregate results. Without GROUP BY there is exactly one row, even over no
// input (count 0, the others NULL).
//
// Over a Gather whose fragments run on workers (ParallelFragments) and with aggregates whose
// states combine (AggregateEvaluator::Combinable), each worker aggregates the rows it reads
// into a table of its own (partial aggregation); the leader then combines the workers' groups.
#include "executor/aggregates.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"
#include "executor/parallel_fragments.h"

namespace activestore::executor {

namespace {

// Groups and the aggregates' states of one part of the input (all of it, or one worker's).
class Groups {
 public:
  explicit Groups(const planner::PlanNode& plan) : plan_(plan), keys_(plan.group_exprs.size()) {
    for (const auto& spec : plan.aggregates) {
      aggs_.push_back(std::make_unique<AggregateEvaluator>(spec));
    }
    states_.resize(aggs_.size());
    std::vector<Type> key_types;
    for (const auto& g : plan.group_exprs) key_types.push_back(g->type);
    table_ = std::make_unique<KeyHashTable>(key_types);
    if (plan.group_exprs.empty()) {
      for (auto& s : states_) s.resize(1);
    }
    for (auto& k : keys_) key_ptrs_.push_back(&k);
  }

  // Adds the rows of `in`.
  void Add(const DataChunk& in, ExecState& st) {
    const size_t n = in.size;
    group_ids_.assign(n, 0);
    if (!plan_.group_exprs.empty()) {
      // Keys are read in place where they are columns (keys_ is scratch for computed ones).
      for (size_t k = 0; k < keys_.size(); ++k) {
        key_ptrs_[k] = &EvaluateExpressionRef(*plan_.group_exprs[k], in, st, &keys_[k]);
      }
      HashRows(key_ptrs_, n, &hashes_);
      for (size_t r = 0; r < n; ++r) {
        bool inserted;
        group_ids_[r] =
            static_cast<uint32_t>(table_->FindOrInsert(key_ptrs_, r, hashes_[r], &inserted));
        if (inserted) {
          for (auto& s : states_) s.emplace_back();
        }
      }
    }
    for (size_t a = 0; a < aggs_.size(); ++a) aggs_[a]->Update(in, group_ids_, st, &states_[a]);
  }

  // Adds the groups of `other` (over other rows). REQUIRES: every aggregate Combinable.
  void Combine(const Groups& other) {
    const size_t n = other.size();
    group_ids_.assign(n, 0);
    if (!plan_.group_exprs.empty()) {
      std::vector<const Vector*> keys;
      for (const auto& k : other.table_->keys()) keys.push_back(&k);
      HashRows(keys, n, &hashes_);
      for (size_t r = 0; r < n; ++r) {
        bool inserted;
        group_ids_[r] = static_cast<uint32_t>(table_->FindOrInsert(keys, r, hashes_[r], &inserted));
        if (inserted) {
          for (auto& s : states_) s.emplace_back();
        }
      }
    }
    for (size_t a = 0; a < aggs_.size(); ++a) {
      for (size_t r = 0; r < n; ++r) {
        aggs_[a]->Combine(&states_[a][group_ids_[r]], other.states_[a][r]);
      }
    }
  }

  size_t size() const { return plan_.group_exprs.empty() ? 1 : table_->size(); }
  const KeyHashTable& table() const { return *table_; }
  Value Finalize(size_t a, size_t g) const { return aggs_[a]->Finalize(states_[a][g]); }

 private:
  const planner::PlanNode& plan_;
  std::vector<std::unique_ptr<AggregateEvaluator>> aggs_;
  std::vector<std::vector<AggState>> states_;  // [aggregate][group]
  std::unique_ptr<KeyHashTable> table_;
  // Per batch: the group keys, their hashes and group ids.
  std::vector<Vector> keys_;
  std::vector<const Vector*> key_ptrs_;
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> group_ids_;
};

class AggregateOperator : public Operator {
 public:
  AggregateOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), st_(st), child_(BuildOperator(*plan.children.at(0), st)) {}

  bool Next(DataChunk* out) override {
    if (!groups_) Build();
    out->Clear();
    const size_t groups = groups_->size();
    if (next_ >= groups) return false;
    std::vector<Type> types;
    for (const auto& g : plan_.group_exprs) types.push_back(g->type);
    for (const auto& a : plan_.aggregates) types.push_back(a.result_type);
    out->Init(types);
    size_t end = std::min(groups, next_ + kBatchSize);
    size_t ng = plan_.group_exprs.size();
    for (size_t g = next_; g < end; ++g) {
      for (size_t k = 0; k < ng; ++k) out->columns[k].AppendFrom(groups_->table().keys()[k], g);
      for (size_t a = 0; a < plan_.aggregates.size(); ++a) {
        out->columns[ng + a].Append(groups_->Finalize(a, g));
      }
    }
    out->size = end - next_;
    next_ = end;
    return true;
  }

 private:
  void Build() {
    groups_ = std::make_unique<Groups>(plan_);
    if (BuildParallel()) return;
    DataChunk in;
    while (child_->Next(&in)) {
      st_.CheckCancel();
      groups_->Add(in, st_);
    }
  }

  // Partial aggregation on the workers of the Gather below; false if it does not run there.
  bool BuildParallel() {
    const planner::PlanNode* project = nullptr;
    const planner::PlanNode* gather = ParallelFragments::GatherOf(*plan_.children[0], &project);
    if (gather == nullptr || gather->key_order || ParallelFragments::MaxWorkers(st_.ctx) <= 0 ||
        !ParallelFragments::ParallelSafe(plan_.group_exprs)) {
      return false;
    }
    const planner::PlanNode& child = *gather;
    for (const auto& spec : plan_.aggregates) {
      if (!AggregateEvaluator::Combinable(spec) || !ParallelFragments::ParallelSafe(spec.args) ||
          !ParallelSafe(spec.filter)) {
        return false;
      }
    }
    const size_t most = std::min(child.children.size(),
                                 static_cast<size_t>(ParallelFragments::MaxWorkers(st_.ctx)));
    std::vector<std::unique_ptr<Groups>> parts(most);
    for (auto& p : parts) p = std::make_unique<Groups>(plan_);
    std::unique_ptr<ParallelFragments> workers = ParallelFragments::Start(
        child, st_, /*ordered=*/false,
        [&parts](size_t w, ExecState& st, DataChunk& chunk) { parts[w]->Add(chunk, st); }, project);
    if (!workers) return false;
    workers->Wait();
    workers.reset();
    for (const auto& p : parts) groups_->Combine(*p);
    return true;
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr child_;
  std::unique_ptr<Groups> groups_;
  size_t next_ = 0;
};

}  // namespace

OperatorPtr MakeAggregateOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<AggregateOperator>(plan, state);
}

}  // namespace activestore::executor
