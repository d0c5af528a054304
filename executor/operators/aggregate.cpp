// kAggregate: hash aggregation. Group keys compare with NULLs equal; the output is the group
// values then the aggregate results. Without GROUP BY there is exactly one row, even over no
// input (count 0, the others NULL). With grouping sets, each set has its own table of groups
// (an empty set: one row, as without GROUP BY); the output is every set's groups in turn, with
// the group values the set does not have NULL.
//
// Over a Gather whose fragments run on workers (ParallelFragments) and with aggregates whose
// states combine (AggregateEvaluator::Combinable), each worker aggregates the rows it reads
// into a table of its own (partial aggregation); the leader then combines the workers' groups.
// When nothing reads a column (count(*) alone, no GROUP BY) the workers' scans project no
// column: they count rows without decoding any.
//
// With GROUP BY (not grouping sets) the table spills when its groups outgrow
// hash_mem_multiplier x work_mem (executor/spill.h), as PostgreSQL's hash aggregation does:
// from then on a row of a group in the table still updates it, and a row of another group is
// written to one of 32 partition files by its key's hash; once the input ends the table's
// groups are returned, then each partition is aggregated in turn (itself spilling by the next
// bits of the hash if it is still too big). Every aggregate works so (DISTINCT and ORDER BY
// ones too), since the rows are spilled, not the states. Each participant of a parallel
// aggregation has the limit for its own table, as each of PostgreSQL's parallel workers has its
// own hash_mem for its partial aggregate (splitting one limit among them made every worker
// spill a grouping that fits one table: 16,700 date_bin groups at the default work_mem); one
// whose table outgrows it writes the rest of its rows to a file, which the leader aggregates
// after combining the participants' tables, spilling as above.
#include <algorithm>
#include <tuple>

#include "common/value_ops.h"
#include "executor/aggregates.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"
#include "executor/parallel_fragments.h"
#include "executor/spill.h"

namespace activestore::executor {

namespace {

using planner::AggKind;

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
    // A group's memory: its key (counted per group), the states, the hash table's entry.
    group_bytes_ = 24 + aggs_.size() * sizeof(AggState);
    for (const auto& spec : plan.aggregates) {
      if (spec.distinct || !spec.order_descending.empty() || spec.kind == AggKind::kStringAgg ||
          spec.kind == AggKind::kArrayAgg) {
        collecting_ = true;  // keeps something of every row
      } else if (UsesExtra(spec)) {
        group_bytes_ += sizeof(AggStateExtra);
      }
    }
  }

  // Adds the rows of `in`. With `spill`, rows of groups not in the table go to their partition
  // there instead (the table does not grow).
  void Add(const DataChunk& in, ExecState& st, SpillPartitions* spill = nullptr) {
    const size_t n = in.size;
    group_ids_.assign(n, 0);
    const DataChunk* rows = &in;
    DataChunk kept;
    if (!group_exprs_.empty()) {
      // Keys are read in place where they are columns (keys_ is scratch for computed ones).
      for (size_t k = 0; k < keys_.size(); ++k) {
        key_ptrs_[k] = key_column_ >= 0
                           ? &in.columns[static_cast<size_t>(key_column_) + k]
                           : &EvaluateExpressionRef(*group_exprs_[k], in, st, &keys_[k]);
      }
      HashRows(key_ptrs_, n, &hashes_);
      if (spill == nullptr) {
        for (size_t r = 0; r < n; ++r) {
          bool inserted;
          group_ids_[r] =
              static_cast<uint32_t>(table_->FindOrInsert(key_ptrs_, r, hashes_[r], &inserted));
          if (inserted) {
            for (auto& s : states_) s.emplace_back();
            bytes_ += group_bytes_;
            for (const Vector* k : key_ptrs_) bytes_ += KeyBytes(*k, r);
          }
        }
      } else {
        sel_.clear();
        size_t m = 0;
        for (size_t r = 0; r < n; ++r) {
          const int64_t g = table_->Find(key_ptrs_, r, hashes_[r]);
          if (g < 0) {
            // With its keys as evaluated (unless they are among its columns already).
            spill->Add(in, r, hashes_[r], key_column_ >= 0 ? no_keys_ : key_ptrs_);
          } else {
            sel_.push_back(static_cast<uint32_t>(r));
            group_ids_[m++] = static_cast<uint32_t>(g);
          }
        }
        if (sel_.empty()) return;
        group_ids_.resize(m);
        if (m != n) {
          kept = in.Select(sel_);
          rows = &kept;
        }
      }
    }
    if (collecting_) bytes_ += ChunkBytes(*rows);
    for (size_t a = 0; a < aggs_.size(); ++a) {
      aggs_[a]->Update(*rows, group_ids_, st, &states_[a]);
    }
  }

  // The estimated bytes of the groups and states held.
  size_t bytes() const { return bytes_; }
  // The group keys are columns of the input from `first` on (spilled rows carry the keys they
  // had when first read), not evaluated again.
  void SetKeyColumns(int first) { key_column_ = first; }
  bool keys_in_columns() const { return key_column_ >= 0; }
  std::vector<Type> KeyTypes() const {
    std::vector<Type> t;
    for (const auto* e : group_exprs_) t.push_back(e->type);
    return t;
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
          bytes_ += group_bytes_;
          for (const Vector* k : keys) bytes_ += KeyBytes(*k, r);
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
  std::vector<uint32_t> sel_;
  size_t group_bytes_ = 0;
  bool collecting_ = false;
  int key_column_ = -1;
  const std::vector<const Vector*> no_keys_;
  size_t bytes_ = 0;

  // Whether a group's state of `spec` allocates its extra part (AggStateExtra): sums and
  // min/max of other than integers and floats, the statistics aggregates.
  static bool UsesExtra(const planner::AggregateSpec& spec) {
    switch (spec.kind) {
      case AggKind::kCount:
      case AggKind::kCountStar:
      case AggKind::kBoolAnd:
      case AggKind::kBoolOr:
      case AggKind::kBitAnd:
      case AggKind::kBitOr:
      case AggKind::kBitXor:
      case AggKind::kGrouping:
        return false;
      case AggKind::kSum:
      case AggKind::kAvg:
      case AggKind::kMin:
      case AggKind::kMax: {
        if (spec.args.empty()) return true;
        const PhysClass c = PhysClassOf(spec.args[0]->type.id);
        return c != PhysClass::kInt && c != PhysClass::kFloat;
      }
      default:
        return true;
    }
  }

  static size_t KeyBytes(const Vector& k, size_t r) {
    return k.phys == PhysClass::kString ? 33 + k.strs[r].size() : 24;
  }
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
        if (set_ >= sets_.size() && !partitions_.empty()) {
          // The groups of the next spilled partition.
          Partition p = std::move(partitions_.back());
          partitions_.pop_back();
          tables_ = MakeTables();
          set_ = 0;
          Consume([&p](DataChunk* c) { return p.file->Read(c); }, p.depth);
          continue;
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
    limit_ = HashMemBytes(st_.ctx);
    // Grouping sets (several tables at once) and a single group are held in memory.
    can_spill_ = sets_.size() == 1 && !sets_[0].empty();
    if (BuildParallel()) return;
    Consume([this](DataChunk* c) { return child_->Next(c); }, 0);
  }

  // Aggregates the chunks `next` gives into tables_, spilling (at `depth`) once the table
  // outgrows the limit; the partitions written go to partitions_.
  template <typename NextFn>
  void Consume(NextFn&& next, int depth) {
    std::unique_ptr<SpillPartitions> spill;
    DataChunk in;
    // A partition's rows end with their group keys.
    if (depth > 0 && can_spill_) {
      tables_[0]->SetKeyColumns(static_cast<int>(plan_.children[0]->output_types.size()));
    }
    while (next(&in)) {
      st_.CheckCancel();
      if (!can_spill_) {
        for (auto& t : tables_) t->Add(in, st_);
        continue;
      }
      Groups& t = *tables_[0];
      t.Add(in, st_, spill.get());
      if (!spill && t.bytes() > limit_ && depth < kMaxSpillDepth) {
        std::vector<Type> types = ColumnTypesOf(in);
        if (!t.keys_in_columns()) {
          for (const Type& k : t.KeyTypes()) types.push_back(k);
        }
        spill = std::make_unique<SpillPartitions>(st_.ctx, types, kSpillFanout, SpillShift(depth));
      }
    }
    if (!spill) return;
    spill->Finish();
    for (size_t p = 0; p < spill->size(); ++p) {
      std::unique_ptr<SpillFile> f = spill->Take(p);
      if (f) partitions_.push_back(Partition{std::move(f), depth + 1});
    }
  }

  static std::vector<Type> ColumnTypesOf(const DataChunk& c) {
    std::vector<Type> t;
    for (const auto& v : c.columns) t.push_back(v.type);
    return t;
  }

  // Partial aggregation on the workers of the Gather below; false if it does not run there.
  bool BuildParallel() {
    const planner::PlanNode* project = nullptr;
    const planner::PlanNode* gather = ParallelFragments::GatherOf(*plan_.children[0], &project);
    if (gather == nullptr || gather->key_order || ParallelFragments::MaxWorkers(st_.ctx) <= 0 ||
        !ParallelFragments::ParallelSafe(plan_.group_exprs)) {
      return false;
    }
    // count(*) alone: scans of no columns (a copy of the Gather that outlives the workers).
    std::shared_ptr<const planner::PlanNode> columnless =
        project == nullptr ? ColumnlessGather(*gather) : nullptr;
    const planner::PlanNode& child = columnless ? *columnless : *gather;
    for (const auto& spec : plan_.aggregates) {
      if (!AggregateEvaluator::Combinable(spec) || !ParallelFragments::ParallelSafe(spec.args) ||
          !ParallelSafe(spec.filter)) {
        return false;
      }
    }
    const size_t most = ParallelFragments::MostParticipants(st_.ctx, child.children.size());
    std::vector<GroupingTables> parts(most);
    for (auto& p : parts) p = MakeTables();
    // A participant whose table outgrows the limit writes its other rows to a file.
    std::vector<std::unique_ptr<SpillFile>> overflow(most);
    const size_t share = limit_;
    const bool can_spill = can_spill_;
    std::unique_ptr<ParallelFragments> workers = ParallelFragments::Start(
        child, st_, /*ordered=*/false,
        [&parts, &overflow, share, can_spill](size_t w, ExecState& st, DataChunk& chunk) {
          if (overflow[w]) {
            overflow[w]->Write(chunk);
            return;
          }
          for (auto& t : parts[w]) t->Add(chunk, st);
          if (can_spill && parts[w][0]->bytes() > share) {
            overflow[w] = std::make_unique<SpillFile>(st.ctx);
          }
        },
        project);
    if (!workers) return false;
    workers->Wait();
    workers.reset();
    for (auto& p : parts) {
      for (size_t s = 0; s < tables_.size(); ++s) tables_[s]->Combine(*p[s]);
      p.clear();
    }
    // All the workers' files in one pass (one set of partitions for them all).
    size_t file = 0;
    for (auto& f : overflow) {
      if (f) f->Rewind();
    }
    Consume(
        [&overflow, &file](DataChunk* c) {
          for (; file < overflow.size(); ++file) {
            if (overflow[file] && overflow[file]->Read(c)) return true;
            overflow[file].reset();
          }
          return false;
        },
        0);
    return true;
  }

  // The Gather with shard scans that project no column, if this Aggregate reads none of its
  // input's columns (no GROUP BY, only count(*)); null otherwise, or if a scan filters, reads
  // a compressed chunk or keeps the key order.
  std::shared_ptr<const planner::PlanNode> ColumnlessGather(const planner::PlanNode& gather) const {
    if (!plan_.group_exprs.empty() || plan_.aggregates.empty()) return nullptr;
    for (const auto& spec : plan_.aggregates) {
      if (spec.kind != AggKind::kCountStar || !spec.args.empty() || spec.filter || spec.distinct) {
        return nullptr;
      }
    }
    auto copy = std::make_shared<planner::PlanNode>(gather);
    copy->output_types.clear();
    copy->output_names.clear();
    for (auto& c : copy->children) {
      if (c->kind != planner::PlanKind::kShardScan || c->predicate || c->emit_row_location ||
          c->key_order || !c->table || c->table->chunk) {
        return nullptr;
      }
      auto scan = std::make_shared<planner::PlanNode>(*c);
      scan->columns.clear();
      scan->output_types.clear();
      scan->output_names.clear();
      c = std::move(scan);
    }
    return copy;
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
  // Spilling: the table's limit, whether it may spill, and the partitions still to aggregate.
  size_t limit_ = 0;
  bool can_spill_ = false;
  struct Partition {
    std::unique_ptr<SpillFile> file;
    int depth = 0;
  };
  std::vector<Partition> partitions_;
};

}  // namespace

OperatorPtr MakeAggregateOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<AggregateOperator>(plan, state);
}

}  // namespace activestore::executor
