// kAggregate: hash aggregation. Group keys compare with NULLs equal; the output is the group
// values then the aggregate results. Without GROUP BY there is exactly one row, even over no
// input (count 0, the others NULL). With grouping sets, each set has its own table of groups
// (an empty set: one row, as without GROUP BY); the output is every set's groups in turn, with
// the group values the set does not have NULL.
//
// Over a Gather whose fragments run on workers (ParallelFragments) and with aggregates whose
// states combine (AggregateEvaluator::Combinable), each worker aggregates the rows it reads
// into a table of its own (partial aggregation); the leader then combines the workers' groups.
#include <algorithm>
#include <tuple>

#include "common/value_ops.h"
#include "executor/aggregates.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"
#include "executor/parallel_fragments.h"

namespace activestore::executor {

namespace {

// Groups and the aggregates' states of one part of the input (all of it, or one worker's).
class Groups {
 public:
  // `set`: the indexes of the plan's group_exprs this table groups by.
  Groups(const planner::PlanNode& plan, const std::vector<int>& set) : keys_(set.size()) {
    for (const auto& spec : plan.aggregates) {
      aggs_.push_back(std::make_unique<AggregateEvaluator>(spec));
    }
    states_.resize(aggs_.size());
    std::vector<Type> key_types;
    for (int g : set) {
      key_types.push_back(plan.group_exprs[g]->type);
      group_exprs_.push_back(plan.group_exprs[g].get());
    }
    table_ = std::make_unique<KeyHashTable>(key_types);
    if (set.empty()) {
      for (auto& s : states_) s.resize(1);
    }
    for (auto& k : keys_) key_ptrs_.push_back(&k);
  }

  // Adds the rows of `in`.
  void Add(const DataChunk& in, ExecState& st) {
    const size_t n = in.size;
    group_ids_.assign(n, 0);
    if (!group_exprs_.empty()) {
      // Keys are read in place where they are columns (keys_ is scratch for computed ones).
      for (size_t k = 0; k < keys_.size(); ++k) {
        key_ptrs_[k] = &EvaluateExpressionRef(*group_exprs_[k], in, st, &keys_[k]);
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
    if (!group_exprs_.empty()) {
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

  size_t size() const { return group_exprs_.empty() ? 1 : table_->size(); }
  const KeyHashTable& table() const { return *table_; }
  Value Finalize(size_t a, size_t g, size_t set) const {
    return aggs_[a]->Finalize(states_[a][g], set);
  }

 private:
  std::vector<const planner::BoundExpr*> group_exprs_;
  std::vector<std::unique_ptr<AggregateEvaluator>> aggs_;
  std::vector<std::vector<AggState>> states_;  // [aggregate][group]
  std::unique_ptr<KeyHashTable> table_;
  // Per batch: the group keys, their hashes and group ids.
  std::vector<Vector> keys_;
  std::vector<const Vector*> key_ptrs_;
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> group_ids_;
};

// One Groups per grouping set (one in all without grouping sets).
using GroupingTables = std::vector<std::unique_ptr<Groups>>;

class AggregateOperator : public Operator {
 public:
  AggregateOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), st_(st), child_(BuildOperator(*plan.children.at(0), st)) {
    if (plan.grouping_sets.empty()) {
      sets_.emplace_back();
      for (size_t g = 0; g < plan.group_exprs.size(); ++g) sets_[0].push_back(static_cast<int>(g));
    } else {
      sets_ = plan.grouping_sets;
    }
    // Where each group value comes from: a key column of the set's table, or none (NULL).
    for (const auto& set : sets_) {
      key_of_.emplace_back(plan.group_exprs.size(), -1);
      for (size_t k = 0; k < set.size(); ++k) key_of_.back()[set[k]] = static_cast<int>(k);
    }
  }

  bool Next(DataChunk* out) override {
    if (tables_.empty()) {
      Build();
      OrderRollup();
    }
    out->Clear();
    std::vector<Type> types;
    for (const auto& g : plan_.group_exprs) types.push_back(g->type);
    for (const auto& a : plan_.aggregates) types.push_back(a.result_type);
    out->Init(types);
    const size_t ng = plan_.group_exprs.size();
    while (out->size < kBatchSize) {
      size_t set = 0, g = 0;
      if (!order_.empty()) {
        if (next_ >= order_.size()) break;
        std::tie(set, g) = order_[next_++];
      } else {
        while (set_ < sets_.size() && next_ >= tables_[set_]->size()) {
          ++set_;
          next_ = 0;
        }
        if (set_ >= sets_.size()) break;
        set = set_;
        g = next_++;
      }
      const Groups& groups = *tables_[set];
      const std::vector<int>& key_of = key_of_[set];
      for (size_t k = 0; k < ng; ++k) {
        if (key_of[k] >= 0) {
          out->columns[k].AppendFrom(groups.table().keys()[key_of[k]], g);
        } else {
          out->columns[k].Append(Value::Null(types[k]));
        }
      }
      for (size_t a = 0; a < plan_.aggregates.size(); ++a) {
        out->columns[ng + a].Append(groups.Finalize(a, g, set));
      }
      ++out->size;
    }
    return out->size > 0;
  }

 private:
  GroupingTables MakeTables() const {
    GroupingTables tables;
    for (const auto& set : sets_) tables.push_back(std::make_unique<Groups>(plan_, set));
    return tables;
  }

  // Grouping sets that form one chain (ROLLUP: each set within the next) come out in the order
  // of PostgreSQL's sorted grouping (GroupAggregate): by the group values of the largest set, in
  // the chain's column order, NULLs last, a set's row after the rows of the larger sets it sums.
  void OrderRollup() {
    if (plan_.grouping_sets.empty()) return;
    std::vector<size_t> by_size(sets_.size());
    for (size_t i = 0; i < by_size.size(); ++i) by_size[i] = i;
    std::stable_sort(by_size.begin(), by_size.end(),
                     [&](size_t x, size_t y) { return sets_[x].size() < sets_[y].size(); });
    std::vector<int> columns;  // the chain's column order
    for (size_t i : by_size) {
      for (int c : columns) {
        if (key_of_[i][c] < 0) return;  // not a chain
      }
      for (int c : sets_[i])
        if (std::find(columns.begin(), columns.end(), c) == columns.end()) columns.push_back(c);
    }
    for (size_t s = 0; s < sets_.size(); ++s) {
      for (size_t g = 0; g < tables_[s]->size(); ++g) order_.emplace_back(s, g);
    }
    auto value = [&](size_t s, size_t g, int c) {
      return tables_[s]->table().keys()[key_of_[s][c]].Get(g);
    };
    std::stable_sort(order_.begin(), order_.end(), [&](const auto& x, const auto& y) {
      for (int c : columns) {
        const bool in_x = key_of_[x.first][c] >= 0, in_y = key_of_[y.first][c] >= 0;
        if (!in_x || !in_y) {
          if (in_x == in_y) return false;
          return in_x;  // the larger set's rows first
        }
        const Value a = value(x.first, x.second, c), b = value(y.first, y.second, c);
        if (a.is_null || b.is_null) {
          if (a.is_null == b.is_null) continue;
          return b.is_null;
        }
        const int cmp = CompareValues(a, b);
        if (cmp != 0) return cmp < 0;
      }
      return false;
    });
  }

  void Build() {
    tables_ = MakeTables();
    if (BuildParallel()) return;
    DataChunk in;
    while (child_->Next(&in)) {
      st_.CheckCancel();
      for (auto& t : tables_) t->Add(in, st_);
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
    std::vector<GroupingTables> parts(most);
    for (auto& p : parts) p = MakeTables();
    std::unique_ptr<ParallelFragments> workers = ParallelFragments::Start(
        child, st_, /*ordered=*/false,
        [&parts](size_t w, ExecState& st, DataChunk& chunk) {
          for (auto& t : parts[w]) t->Add(chunk, st);
        },
        project);
    if (!workers) return false;
    workers->Wait();
    workers.reset();
    for (const auto& p : parts) {
      for (size_t s = 0; s < tables_.size(); ++s) tables_[s]->Combine(*p[s]);
    }
    return true;
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr child_;
  std::vector<std::vector<int>> sets_;
  std::vector<std::vector<int>> key_of_;  // [set][group expr]: key column in its table, or -1
  GroupingTables tables_;
  // The output order when OrderRollup sets one: (set, group); else set after set.
  std::vector<std::pair<size_t, size_t>> order_;
  size_t set_ = 0;   // the set whose groups are being returned
  size_t next_ = 0;  // its next group (or the next entry of order_)
};

}  // namespace

OperatorPtr MakeAggregateOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<AggregateOperator>(plan, state);
}

}  // namespace activestore::executor
