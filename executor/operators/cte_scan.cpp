// WITH queries that are not folded into the query that reads them (planner/plan.h):
//  - kCteScan reads the shared buffer of its cte_id (past work_mem its rows go to a spill
//    file). The buffer's producer (cte_plan) runs only as far as the readers pull, so `WITH
//    RECURSIVE t AS (... endless ...) SELECT * FROM t LIMIT 10` ends; every reader starts at
//    the first row. The plan root's init_plans run to their end with RunCteToEnd
//    (planner/plan.h).
//  - kRecursiveUnion runs the non-recursive term, then the recursive term round after round
//    over the rows of the last round (its working table), emitting rows as they come. A WITH
//    query inside the recursive term that reads the working table starts afresh each round.
//  - kWorkTableScan reads the working table of the running kRecursiveUnion of its cte_id.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <set>

#include "common/error.h"
#include "executor/operators/join_util.h"
#include "executor/operators/operator.h"
#include "executor/spill.h"
#include "planner/bound_expr_util.h"

namespace activestore::executor {

// The rows a WITH query has produced so far (ExecState::ctes): the first ones in memory, up to
// work_mem; the rest in a spill file (executor/spill.h), a chunk at a time, which the readers
// read back at their own positions.
struct CteBuffer {
  OperatorPtr producer;
  DataChunk rows;
  bool done = false;
  size_t bytes = 0;  // of `rows`
  size_t limit = 0;
  std::unique_ptr<SpillFile> file;
  struct Spilled {
    uint64_t first_row = 0;  // the row number of its first row
    uint64_t offset = 0;     // in `file`
  };
  std::vector<Spilled> spilled;
  uint64_t total = 0;  // rows in memory and spilled
};
namespace {

// Converts the columns of c to `types` (a NULL or literal column may come typed otherwise).
void Conform(DataChunk* c, const std::vector<Type>& types, ExecState& st) {
  c->locations.clear();
  if (types.size() != c->columns.size()) {
    Throw(SqlState::kInternalError, "WITH query produced {} columns, expected {}",
          c->columns.size(), types.size());
  }
  for (size_t k = 0; k < types.size(); ++k) {
    if (c->columns[k].type.id != types[k].id) CastVectorTo(&c->columns[k], types[k], st);
    c->columns[k].type = types[k];
  }
}

// Copies up to a batch of rows of `src`, from *pos on, into *out.
bool EmitFrom(const DataChunk& src, const std::vector<Type>& types, size_t* pos, DataChunk* out) {
  out->Init(types);
  while (*pos < src.size && out->size < kBatchSize) {
    for (size_t k = 0; k < types.size(); ++k) out->columns[k].AppendFrom(src.columns[k], *pos);
    ++out->size;
    ++*pos;
  }
  return out->size > 0;
}

class CteScanOperator : public Operator {
 public:
  CteScanOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {
    if (!plan.cte_plan) Throw(SqlState::kInternalError, "CTE scan without a query");
  }

  bool Next(DataChunk* out) override {
    if (!buffer_) buffer_ = Buffer();
    CteBuffer& b = *buffer_;
    while (pos_ >= b.total && !b.done) Pull();
    if (pos_ < b.rows.size || pos_ >= b.total) {
      return EmitFrom(b.rows, plan_.output_types, &pos_, out);
    }
    // A spilled chunk: the one holding row pos_ (read once per reader).
    auto it = std::upper_bound(
        b.spilled.begin(), b.spilled.end(), pos_,
        [](uint64_t row, const CteBuffer::Spilled& s) { return row < s.first_row; });
    const size_t index = static_cast<size_t>(it - b.spilled.begin()) - 1;
    if (index != chunk_index_) {
      b.file->ReadAt(b.spilled[index].offset, &chunk_);
      chunk_index_ = index;
    }
    size_t in_chunk = static_cast<size_t>(pos_ - b.spilled[index].first_row);
    const size_t before = in_chunk;
    const bool any = EmitFrom(chunk_, plan_.output_types, &in_chunk, out);
    pos_ += in_chunk - before;
    return any;
  }

  void RunToEnd() {
    if (!buffer_) buffer_ = Buffer();
    while (!buffer_->done) Pull();
  }

 private:
  std::shared_ptr<CteBuffer> Buffer() {
    std::shared_ptr<CteBuffer>& b = st_.ctes[plan_.cte_id];
    if (!b) {
      b = std::make_shared<CteBuffer>();
      b->rows.Init(plan_.cte_plan->output_types);
      b->limit = WorkMemBytes(st_.ctx);
      b->producer = BuildOperator(*plan_.cte_plan, st_);
    }
    return b;
  }

  void Pull() {
    DataChunk c;
    if (!buffer_->producer->Next(&c)) {
      buffer_->done = true;
      buffer_->producer.reset();
      return;
    }
    st_.CheckCancel();
    Conform(&c, plan_.cte_plan->output_types, st_);
    CteBuffer& b = *buffer_;
    b.total += c.size;
    if (!b.file) {
      b.bytes += ChunkBytes(c);
      if (b.bytes <= b.limit) {
        AppendChunk(std::move(c), &b.rows);
        return;
      }
      b.file = std::make_unique<SpillFile>(st_.ctx);
    }
    b.spilled.push_back({b.total - c.size, b.file->Append(c)});
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  std::shared_ptr<CteBuffer> buffer_;
  size_t pos_ = 0;
  // The spilled chunk read last.
  DataChunk chunk_;
  size_t chunk_index_ = SIZE_MAX;
};

// Every plan node under `root`: its children, WITH queries and init plans, and the plans of the
// subqueries of its expressions (at any depth).
std::vector<const planner::PlanNode*> PlanNodesUnder(const planner::PlanPtr& root) {
  std::vector<const planner::PlanNode*> out;
  std::function<void(const planner::PlanPtr&)> walk = [&](const planner::PlanPtr& p) {
    if (!p) return;
    out.push_back(p.get());
    for (const planner::PlanPtr& c : p->children) walk(c);
    walk(p->cte_plan);
    for (const planner::PlanPtr& i : p->init_plans) walk(i);
  };
  walk(root);
  planner::VisitPlan(
      root,
      [&](const planner::BoundExpr& e, int) {
        if (e.subquery) walk(e.subquery);
      },
      0);
  return out;
}

// The WITH queries read inside a recursive term whose rows depend on the working table of
// `cte_id` (they read it, or another such WITH query). Their rows change from round to round.
std::vector<uint32_t> PerRoundCtes(const planner::PlanPtr& term, uint32_t cte_id) {
  std::vector<const planner::PlanNode*> scans;
  for (const planner::PlanNode* n : PlanNodesUnder(term)) {
    if (n->kind == planner::PlanKind::kCteScan && n->cte_plan) scans.push_back(n);
  }
  std::set<uint32_t> dependent;
  bool grew = true;
  while (grew) {  // until no more WITH query is found to depend on the working table
    grew = false;
    for (const planner::PlanNode* scan : scans) {
      if (dependent.count(scan->cte_id) != 0) continue;
      for (const planner::PlanNode* n : PlanNodesUnder(scan->cte_plan)) {
        if ((n->kind == planner::PlanKind::kWorkTableScan && n->cte_id == cte_id) ||
            (n->kind == planner::PlanKind::kCteScan && dependent.count(n->cte_id) != 0)) {
          dependent.insert(scan->cte_id);
          grew = true;
          break;
        }
      }
    }
  }
  return {dependent.begin(), dependent.end()};
}

class RecursiveUnionOperator : public Operator {
 public:
  RecursiveUnionOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {
    if (plan.children.size() != 2) {
      Throw(SqlState::kInternalError, "recursive union needs two inputs");
    }
    per_round_ctes_ = PerRoundCtes(plan.children[1], plan.cte_id);
    term_ = BuildOperator(*plan.children[0], st);
    working_.Init(plan.output_types);
    next_.Init(plan.output_types);
    if (!plan.set_all) seen_ = std::make_unique<KeyHashTable>(plan.output_types);
  }

  ~RecursiveUnionOperator() override { st_.work_tables.erase(plan_.cte_id); }

  bool Next(DataChunk* out) override {
    while (true) {
      if (term_->Next(out)) {
        st_.CheckCancel();
        Conform(out, plan_.output_types, st_);
        if (seen_) DropSeen(out);
        if (out->size == 0) continue;
        for (size_t r = 0; r < out->size; ++r) next_.AppendRowFrom(*out, r);
        return true;
      }
      // A round ended: the rows it produced are the next round's working table.
      if (next_.size == 0) {
        out->Init(plan_.output_types);
        return false;
      }
      std::swap(working_, next_);
      next_.Clear();
      st_.work_tables[plan_.cte_id] = &working_;
      // A WITH query of the recursive term that reads the working table is run again over
      // this round's (as PostgreSQL rescans it); the others keep their rows.
      for (uint32_t id : per_round_ctes_) st_.ctes.erase(id);
      term_ = BuildOperator(*plan_.children[1], st_);
    }
  }

 private:
  // UNION: keeps only the rows of c not produced before (nor earlier in c).
  void DropSeen(DataChunk* c) {
    std::vector<const Vector*> cols;
    for (const auto& v : c->columns) cols.push_back(&v);
    std::vector<uint64_t> hashes;
    HashRows(cols, c->size, &hashes);
    std::vector<uint32_t> keep;
    for (size_t r = 0; r < c->size; ++r) {
      bool inserted = false;
      seen_->FindOrInsert(cols, r, hashes[r], &inserted);
      if (inserted) keep.push_back(static_cast<uint32_t>(r));
    }
    if (keep.size() != c->size) c->Compact(keep);
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr term_;   // the non-recursive term, then the recursive term of this round
  DataChunk working_;  // the rows of the last round, read by the recursive term
  DataChunk next_;     // the rows of this round so far
  std::unique_ptr<KeyHashTable> seen_;    // UNION: every row produced
  std::vector<uint32_t> per_round_ctes_;  // PerRoundCtes of the recursive term
};

class WorkTableScanOperator : public Operator {
 public:
  WorkTableScanOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan) {
    auto it = st.work_tables.find(plan.cte_id);
    if (it == st.work_tables.end()) {
      Throw(SqlState::kInternalError, "no working table for recursive query \"{}\"", plan.cte_name);
    }
    rows_ = it->second;
  }

  bool Next(DataChunk* out) override { return EmitFrom(*rows_, plan_.output_types, &pos_, out); }

 private:
  const planner::PlanNode& plan_;
  const DataChunk* rows_;
  size_t pos_ = 0;
};

}  // namespace

OperatorPtr MakeCteScanOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<CteScanOperator>(plan, state);
}

void RunCteToEnd(const planner::PlanNode& plan, ExecState& state) {
  CteScanOperator(plan, state).RunToEnd();
}

OperatorPtr MakeRecursiveUnionOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<RecursiveUnionOperator>(plan, state);
}

OperatorPtr MakeWorkTableScanOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<WorkTableScanOperator>(plan, state);
}

}  // namespace activestore::executor
