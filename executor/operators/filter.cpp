// kFilter: the rows of the child for which predicate is true (row locations kept), compacted in
// place in the child's chunk (DataChunk::Compact: kept rows move down, no column is copied).
// With `sample` (TABLESAMPLE of a system catalog relation, its only child): first the rows of
// the sample, by their position in the relation (table_sample.h).
#include <optional>

#include "common/error.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"
#include "executor/operators/table_sample.h"
#include "planner/bound_expr_util.h"

namespace activestore::executor {

namespace {

class FilterOperator : public Operator {
 public:
  FilterOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), st_(st), child_(BuildOperator(*plan.children.at(0), st)) {
    if (plan.sample) sampler_.emplace(*plan.sample, 0);
  }

  bool Next(DataChunk* out) override {
    if (!gate_checked_) {
      gate_checked_ = true;
      // A predicate that reads no row (HAVING NULL IS NOT NULL, WHERE false) is decided once,
      // before the input runs, as PostgreSQL's one-time filter: a false one never reads (or
      // evaluates anything on) the child's rows.
      if (plan_.predicate && IsConstantTree(*plan_.predicate)) {
        DataChunk one;
        one.size = 1;
        EvaluatePredicate(*plan_.predicate, one, st_, &sel_);
        if (sel_.empty()) return false;
      }
    }
    if (sampler_) sampler_->Start(st_);
    while (child_->Next(out)) {
      if (sampler_) {
        sel_.clear();
        for (uint32_t r = 0; r < out->size; ++r) {
          if (sampler_->Keep()) sel_.push_back(r);
        }
        if (sel_.empty()) continue;
        out->Compact(sel_);
      }
      if (!plan_.predicate) return true;
      EvaluatePredicate(*plan_.predicate, *out, st_, &sel_);
      if (sel_.empty()) continue;
      out->Compact(sel_);
      return true;
    }
    return false;
  }

 private:
  const planner::PlanNode& plan_;
  ExecState& st_;
  // True when `e` reads no row of this level: constants, parameters, columns of the enclosing
  // queries' rows (fixed while this plan runs, as it runs again for each of their rows),
  // non-volatile calls of those, and subqueries that read none of this level's columns.
  // PostgreSQL's pseudoconstant quals: a one-time filter (gating Result) decided before the
  // input runs, so that `EXISTS (... WHERE NOT EXISTS (... outer ...))` tests the inner NOT
  // EXISTS once per run instead of once per row.
  static bool IsConstantTree(const planner::BoundExpr& e) {
    using K = planner::BoundExprKind;
    switch (e.kind) {
      case K::kConstant:
      case K::kOuterColumn:
      case K::kParam:
        return true;
      case K::kColumn:
      case K::kAggregate:
        return false;
      case K::kSubquery:
      case K::kExists:
      case K::kInSubquery: {
        if (!e.subquery) return false;
        bool reads_this_level = false;
        planner::VisitPlan(
            e.subquery,
            [&](const planner::BoundExpr& n, int depth) {
              reads_this_level |= n.kind == K::kOuterColumn && n.outer_depth == depth;
            },
            1);
        if (reads_this_level) return false;
        break;
      }
      case K::kFunction:
        if (e.user_function || planner::IsVolatileCall(e)) return false;
        break;
      default:
        break;
    }
    for (const auto& c : e.children) {
      if (!c || !IsConstantTree(*c)) return false;
    }
    return true;
  }

  OperatorPtr child_;
  std::optional<TableSampler> sampler_;
  std::vector<uint32_t> sel_;
  bool gate_checked_ = false;
};

}  // namespace

OperatorPtr MakeFilterOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<FilterOperator>(plan, state);
}

}  // namespace activestore::executor
