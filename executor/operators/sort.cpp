// kSort: evaluates the sort keys and emits the rows in a stable order (ASC/DESC and NULLS
// FIRST/LAST per key).
//
// Without a bound the child is materialized and its row indexes sorted. When the rows held
// outgrow work_mem (executor/spill.h) it is an external merge sort: the rows so far are sorted
// and written with their keys as a run to a temporary file, and the runs are merged (a heap over
// the runs' next rows, ties to the earlier run, so the order stays stable; more runs than one
// merge may read at once are merged a group at a time into longer runs first). With a row bound
// n from a LIMIT above (SetRowBound) it is a top-n sort, as PostgreSQL's bounded heap sort: only
// the best n rows so far are kept; an incoming row that does not beat the n-th is dropped after
// one comparison, so ORDER BY ... LIMIT 10 over a million rows holds ten rows, not a million.
// Both give the same rows in the same order (ties in arrival order). Over a Gather whose
// fragments run on workers (ParallelFragments), each worker keeps its own best n and the leader
// the best n of those (ties then in no fixed order, as with PostgreSQL's parallel sorts).
#include <algorithm>
#include <numeric>

#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"
#include "executor/parallel_fragments.h"
#include "executor/spill.h"

namespace activestore::executor {

namespace {

// Bounds above this sort everything (keeping a large "best" set costs more than it saves).
constexpr uint64_t kMaxTopN = 100000;

// Rows with their sort keys, sorted by index.
class SortedRows {
 public:
  explicit SortedRows(const planner::PlanNode& plan) : plan_(plan) {}

  // <0, 0, >0 as row a of keys `x` sorts before, with, after row b of keys `y`.
  int CompareRows(const std::vector<Vector>& x, uint32_t a, const std::vector<Vector>& y,
                  uint32_t b) const {
    return CompareKeys(x.data(), a, y.data(), b);
  }
  // The same over the key vectors starting at x and y (one per sort key).
  int CompareKeys(const Vector* x, size_t a, const Vector* y, size_t b) const {
    for (size_t k = 0; k < plan_.sort_keys.size(); ++k) {
      const planner::SortKey& sk = plan_.sort_keys[k];
      const bool an = x[k].nulls[a], bn = y[k].nulls[b];
      if (an || bn) {
        if (an && bn) continue;
        return an == sk.nulls_first ? -1 : 1;
      }
      int c = CompareVectorValues(x[k], a, y[k], b);
      if (c != 0) return sk.descending ? -c : c;
    }
    return 0;
  }

  void EvaluateKeys(const DataChunk& rows, ExecState& st, std::vector<Vector>* keys) const {
    keys->resize(plan_.sort_keys.size());
    for (size_t k = 0; k < keys->size(); ++k) {
      EvaluateExpression(*plan_.sort_keys[k].expr, rows, st, &(*keys)[k]);
    }
  }

  // order_ = the row indexes of rows_ in sorted order (stable).
  void SortIndexes(size_t n) {
    order_.resize(n);
    std::iota(order_.begin(), order_.end(), 0);
    std::stable_sort(order_.begin(), order_.end(), [this](uint32_t a, uint32_t b) {
      return CompareRows(keys_, a, keys_, b) < 0;
    });
  }

  // Top-n: keeps the best `bound` rows of those added so far, in sorted order (ties in
  // arrival order).
  void Init(uint64_t bound) {
    bound_ = bound;
    rows_.Init(plan_.children[0]->output_types);
    keys_.clear();
  }
  void AddBest(DataChunk& in, ExecState& st) {
    EvaluateKeys(in, st, &in_keys_);
    if (keys_.empty()) {
      for (const Vector& k : in_keys_) keys_.emplace_back(k.type, 0);
    }
    // The incoming rows that beat the current n-th best (all while fewer than n are held).
    sel_.clear();
    const bool full = rows_.size >= bound_;
    for (uint32_t r = 0; r < in.size; ++r) {
      if (!full || CompareRows(in_keys_, r, keys_, static_cast<uint32_t>(rows_.size - 1)) < 0) {
        sel_.push_back(r);
      }
    }
    if (sel_.empty()) return;
    DataChunk cand_keys;
    cand_keys.columns = std::move(in_keys_);
    cand_keys.size = in.size;
    if (sel_.size() != in.size) {
      in = in.Select(sel_);
      cand_keys = cand_keys.Select(sel_);
    }
    // Held rows first (they arrived earlier), then the candidates; sort; keep the best n.
    DataChunk held_keys;
    held_keys.columns = std::move(keys_);
    held_keys.size = rows_.size;
    AppendChunk(std::move(cand_keys), &held_keys);
    AppendChunk(std::move(in), &rows_);
    keys_ = std::move(held_keys.columns);
    SortIndexes(rows_.size);
    if (order_.size() > bound_) order_.resize(bound_);
    rows_ = rows_.Select(order_);
    held_keys.columns = std::move(keys_);
    keys_ = std::move(held_keys.Select(order_).columns);
    in_keys_.clear();
  }
  // After AddBest: order_ = rows_ as they are.
  void FinishBest() {
    order_.resize(rows_.size);
    std::iota(order_.begin(), order_.end(), 0);
  }

  DataChunk rows_;
  std::vector<Vector> keys_;
  std::vector<uint32_t> order_;

 private:
  const planner::PlanNode& plan_;
  uint64_t bound_ = 0;
  std::vector<Vector> in_keys_;
  std::vector<uint32_t> sel_;
};

class SortOperator : public Operator {
 public:
  SortOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), st_(st), child_(BuildOperator(*plan.children.at(0), st)), sorted_rows_(plan) {}

  void SetRowBound(uint64_t n) override { bound_ = n; }

  bool Next(DataChunk* out) override {
    SortedRows& s = sorted_rows_;
    if (!sorted_) {
      sorted_ = true;
      if (bound_ > 0 && bound_ <= kMaxTopN) {
        TopN();
      } else {
        SortAll();
      }
    }
    if (merger_) return merger_->Fill(out, kBatchSize, /*with_keys=*/false);
    if (next_ >= s.order_.size()) {
      out->Clear();
      return false;
    }
    size_t end = std::min(s.order_.size(), next_ + kBatchSize);
    std::vector<uint32_t> sel(s.order_.begin() + next_, s.order_.begin() + end);
    *out = s.rows_.Select(sel);
    next_ = end;
    return true;
  }

 private:
  // Merges sorted runs (chunks of the rows' columns then their keys): each step takes the run
  // whose next row sorts first, the earlier run on ties.
  class RunMerger {
   public:
    RunMerger(const SortedRows& sorter, std::vector<std::unique_ptr<SpillFile>> runs, size_t ncols,
              ExecState& st)
        : sorter_(sorter),
          runs_(std::move(runs)),
          ncols_(ncols),
          st_(st),
          cur_(runs_.size()),
          pos_(runs_.size(), 0) {
      for (size_t i = 0; i < runs_.size(); ++i) {
        runs_[i]->Rewind();
        if (runs_[i]->Read(&cur_[i])) heap_.push_back(i);
      }
      std::make_heap(heap_.begin(), heap_.end(), Later{this});
    }

    // Appends up to `max` rows to *out (replacing it); with_keys: the key columns too.
    bool Fill(DataChunk* out, size_t max, bool with_keys) {
      out->columns.clear();
      out->locations.clear();
      out->size = 0;
      if (heap_.empty()) return false;
      const size_t width = with_keys ? cur_[heap_.front()].columns.size() : ncols_;
      out->columns.resize(width);
      for (size_t c = 0; c < width; ++c) {
        out->columns[c].Init(cur_[heap_.front()].columns[c].type, 0);
        out->columns[c].Reserve(max);
      }
      while (out->size < max && !heap_.empty()) {
        std::pop_heap(heap_.begin(), heap_.end(), Later{this});
        const size_t run = heap_.back();
        DataChunk& c = cur_[run];
        const size_t r = pos_[run];
        for (size_t k = 0; k < width; ++k) out->columns[k].AppendFrom(c.columns[k], r);
        if (!c.locations.empty()) out->locations.push_back(std::move(c.locations[r]));
        ++out->size;
        if (++pos_[run] >= c.size) {
          st_.CheckCancel();
          pos_[run] = 0;
          if (!runs_[run]->Read(&c)) {
            heap_.pop_back();
            runs_[run].reset();  // its file goes at once
            continue;
          }
        }
        std::push_heap(heap_.begin(), heap_.end(), Later{this});
      }
      return true;
    }

   private:
    // The heap's order: a before b when a's next row sorts after b's (a max-heap of "first").
    struct Later {
      const RunMerger* m;
      bool operator()(size_t a, size_t b) const {
        const DataChunk& x = m->cur_[a];
        const DataChunk& y = m->cur_[b];
        const int c = m->sorter_.CompareKeys(&x.columns[m->ncols_], m->pos_[a],
                                             &y.columns[m->ncols_], m->pos_[b]);
        return c != 0 ? c > 0 : a > b;
      }
    };

    const SortedRows& sorter_;
    std::vector<std::unique_ptr<SpillFile>> runs_;
    size_t ncols_;
    ExecState& st_;
    std::vector<DataChunk> cur_;
    std::vector<size_t> pos_;
    std::vector<size_t> heap_;
  };

  void SortAll() {
    SortedRows& s = sorted_rows_;
    const size_t limit = WorkMemBytes(st_.ctx);
    std::vector<std::unique_ptr<SpillFile>> runs;
    std::vector<Type> types;
    size_t bytes = 0;
    DataChunk c;
    bool first = true;
    while (child_->Next(&c)) {
      st_.CheckCancel();
      if (first) {
        for (const auto& v : c.columns) types.push_back(v.type);
        s.rows_.Init(types);
        first = false;
      }
      bytes += ChunkBytes(c);
      AppendChunk(std::move(c), &s.rows_);
      if (bytes > limit) {
        runs.push_back(WriteRun());
        s.rows_.Init(types);
        bytes = 0;
      }
    }
    if (first) s.rows_.Init(plan_.children[0]->output_types);
    if (runs.empty()) {
      s.EvaluateKeys(s.rows_, st_, &s.keys_);
      s.SortIndexes(s.rows_.size);
      return;
    }
    if (s.rows_.size > 0) runs.push_back(WriteRun());
    s.rows_ = DataChunk();
    s.keys_.clear();
    const size_t ncols = types.size();
    // As many runs as fit in the memory merge at once (a run's read buffer and batch), at
    // least 6 (PostgreSQL's minimum number of tapes).
    const size_t fan_in = std::clamp<size_t>(limit / (256 * 1024), 6, 256);
    while (runs.size() > fan_in) {
      std::vector<std::unique_ptr<SpillFile>> merged;
      for (size_t i = 0; i < runs.size(); i += fan_in) {
        std::vector<std::unique_ptr<SpillFile>> group;
        for (size_t j = i; j < std::min(runs.size(), i + fan_in); ++j) {
          group.push_back(std::move(runs[j]));
        }
        if (group.size() == 1) {
          merged.push_back(std::move(group[0]));
          continue;
        }
        RunMerger m(s, std::move(group), ncols, st_);
        auto out = std::make_unique<SpillFile>(st_.ctx);
        DataChunk batch;
        while (m.Fill(&batch, kBatchSize, /*with_keys=*/true)) out->Write(batch);
        merged.push_back(std::move(out));
      }
      runs = std::move(merged);
    }
    merger_ = std::make_unique<RunMerger>(s, std::move(runs), ncols, st_);
  }

  // Sorts the rows held and writes them with their keys, in order, to a new run.
  std::unique_ptr<SpillFile> WriteRun() {
    SortedRows& s = sorted_rows_;
    s.EvaluateKeys(s.rows_, st_, &s.keys_);
    s.SortIndexes(s.rows_.size);
    DataChunk all;
    all.columns = std::move(s.rows_.columns);
    all.locations = std::move(s.rows_.locations);
    all.size = s.rows_.size;
    for (Vector& k : s.keys_) all.columns.push_back(std::move(k));
    s.keys_.clear();
    auto run = std::make_unique<SpillFile>(st_.ctx);
    for (size_t i = 0; i < s.order_.size(); i += kBatchSize) {
      std::vector<uint32_t> sel(s.order_.begin() + i,
                                s.order_.begin() + std::min(s.order_.size(), i + kBatchSize));
      run->Write(all.Select(sel));
    }
    s.order_.clear();
    return run;
  }

  void TopN() {
    sorted_rows_.Init(bound_);
    if (!TopNParallel()) {
      DataChunk in;
      while (child_->Next(&in)) {
        st_.CheckCancel();
        sorted_rows_.AddBest(in, st_);
      }
    }
    sorted_rows_.FinishBest();
  }

  // Over a Gather whose fragments run on workers: each worker keeps the best n rows of what it
  // reads, and the leader the best n of theirs (taken worker by worker). False if the Gather
  // does not run on workers.
  bool TopNParallel() {
    const planner::PlanNode* project = nullptr;
    const planner::PlanNode* gather = ParallelFragments::GatherOf(*plan_.children[0], &project);
    if (gather == nullptr || gather->key_order || ParallelFragments::MaxWorkers(st_.ctx) <= 0)
      return false;
    const planner::PlanNode& child = *gather;
    for (const auto& k : plan_.sort_keys) {
      if (!ParallelSafe(k.expr)) return false;
    }
    const size_t most = ParallelFragments::MostParticipants(st_.ctx, child.children.size());
    std::vector<std::unique_ptr<SortedRows>> parts(most);
    for (auto& p : parts) {
      p = std::make_unique<SortedRows>(plan_);
      p->Init(bound_);
    }
    // The first key, when it is a bare column of the gather, lets the scans drop rows early.
    ScanTopN top_n;
    const ScanTopN* scan_top_n = nullptr;
    if (const planner::BoundExpr* k = plan_.sort_keys[0].expr.get();
        k->kind == planner::BoundExprKind::kColumn && k->column_index >= 0) {
      const planner::BoundExpr* src = k;
      if (project != nullptr) {
        src = static_cast<size_t>(k->column_index) < project->exprs.size()
                  ? project->exprs[static_cast<size_t>(k->column_index)].get()
                  : nullptr;
      }
      if (src != nullptr && src->kind == planner::BoundExprKind::kColumn &&
          src->column_index >= 0) {
        top_n = {static_cast<size_t>(src->column_index), plan_.sort_keys[0].descending,
                 plan_.sort_keys[0].nulls_first, bound_};
        scan_top_n = &top_n;
      }
    }
    std::unique_ptr<ParallelFragments> workers = ParallelFragments::Start(
        child, st_, /*ordered=*/false,
        [&parts](size_t w, ExecState& st, DataChunk& chunk) { parts[w]->AddBest(chunk, st); },
        project, scan_top_n);
    if (!workers) return false;
    workers->Wait();
    workers.reset();
    for (auto& p : parts) {
      if (p->rows_.size > 0) sorted_rows_.AddBest(p->rows_, st_);
    }
    return true;
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr child_;
  uint64_t bound_ = 0;  // 0: no bound
  bool sorted_ = false;
  SortedRows sorted_rows_;
  size_t next_ = 0;
  std::unique_ptr<RunMerger> merger_;  // an external sort's final merge
};

}  // namespace

OperatorPtr MakeSortOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<SortOperator>(plan, state);
}

}  // namespace activestore::executor
