// kProjectSet: a select list with top-level unnest(array), generate_series or other
// set-returning function items (PostgreSQL's ProjectSet).
// Per input row: rows until every set-returning item is exhausted; an exhausted item gives NULL,
// the other items repeat; no row when every item is empty. Row locations are not carried.
// generate_series runs lazily, so that a series without end stops where a LIMIT stops reading.
#include <optional>

#include "common/array.h"
#include "executor/expression_evaluator.h"
#include "executor/functions.h"
#include "executor/operators/operator.h"
#include "executor/operators/series.h"
#include "executor/user_functions.h"

namespace activestore::executor {

namespace {

// One set-returning item's values for the current input row.
struct SetCursor {
  std::vector<Value> items;  // unnest and the other set-returning functions
  size_t next = 0;
  std::optional<SeriesGenerator> series;  // generate_series

  bool Next(Value* out) {
    if (series) return series->Next(out);
    if (next >= items.size()) return false;
    *out = items[next++];
    return true;
  }
};

class ProjectSetOperator : public Operator {
 public:
  ProjectSetOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), st_(st), child_(BuildOperator(*plan.children.at(0), st)) {}

  bool Next(DataChunk* out) override {
    out->Init(plan_.output_types);
    const size_t n = plan_.exprs.size();
    while (out->size < kBatchSize) {
      if (!row_open_) {
        if (!started_ || row_ + 1 >= in_.size) {
          if (!child_->Next(&in_)) break;
          started_ = true;
          Evaluate();
          row_ = 0;
          if (in_.size == 0) continue;
        } else {
          ++row_;
        }
        OpenRow();
      }
      std::vector<Value> row(n);
      bool any = false;
      for (size_t i = 0; i < n; ++i) {
        if (!is_srf_[i]) {
          row[i] = cols_[i].Get(row_);
        } else if (cursors_[i].Next(&row[i])) {
          any = true;
        } else {
          row[i] = Value::Null(plan_.output_types[i]);
        }
      }
      if (!any) {
        row_open_ = false;
        continue;
      }
      out->AppendRow(row);
    }
    return out->size > 0;
  }

 private:
  static bool IsSeries(const planner::BoundExpr& e) {
    return e.kind == planner::BoundExprKind::kFunction && e.op == "generate_series";
  }
  static bool IsUserSetFunction(const planner::BoundExpr& e) {
    return e.kind == planner::BoundExprKind::kFunction && e.user_function &&
           e.user_function->function->returns_set;
  }
  static bool IsUnnest(const planner::BoundExpr& e) {
    return e.kind == planner::BoundExprKind::kFunction && e.op == "unnest";
  }

  // The batch's argument columns: the plain items, and the arguments of the set-returning ones.
  void Evaluate() {
    const size_t n = plan_.exprs.size();
    cols_.assign(n, Vector());
    is_srf_.assign(n, false);
    args_.assign(n, {});
    for (size_t i = 0; i < n; ++i) {
      const planner::BoundExpr& e = *plan_.exprs[i];
      if (IsUnnest(e) || IsSeries(e) || IsUserSetFunction(e) ||
          (e.kind == planner::BoundExprKind::kFunction && IsSetFunction(e.op))) {
        is_srf_[i] = true;
        args_[i].resize(e.children.size());
        for (size_t k = 0; k < e.children.size(); ++k) {
          EvaluateExpression(*e.children[k], in_, st_, &args_[i][k]);
        }
      } else {
        EvaluateExpression(e, in_, st_, &cols_[i]);
      }
    }
  }

  // Starts every set-returning item on input row row_.
  void OpenRow() {
    const size_t n = plan_.exprs.size();
    cursors_.assign(n, SetCursor());
    for (size_t i = 0; i < n; ++i) {
      if (!is_srf_[i]) continue;
      const planner::BoundExpr& e = *plan_.exprs[i];
      std::vector<Value> args(args_[i].size());
      for (size_t k = 0; k < args.size(); ++k) args[k] = args_[i][k].Get(row_);
      SetCursor& c = cursors_[i];
      if (IsUnnest(e)) {
        if (!args[0].is_null) c.items = ArrayView(args[0].s).Elements(e.type);
      } else if (IsSeries(e)) {
        const bool has_step = args.size() > 2;
        c.series.emplace(args[0], args[1], has_step ? args[2] : Value(), has_step, e.type,
                         st_.ctx.format);
      } else if (IsUserSetFunction(e)) {
        c.items = EvaluateUserSetFunction(e, args, st_.ctx);
      } else {
        // Another set-returning function (regexp_matches, ...): its rows.
        c.items = EvaluateSetFunction(e, args, st_);
      }
    }
    row_open_ = true;
    st_.CheckCancel();
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr child_;
  DataChunk in_;
  bool started_ = false;
  bool row_open_ = false;
  size_t row_ = 0;
  std::vector<Vector> cols_;
  std::vector<bool> is_srf_;
  std::vector<std::vector<Vector>> args_;  // [expr][argument] for the batch
  std::vector<SetCursor> cursors_;         // [expr] for row_
};

}  // namespace

OperatorPtr MakeProjectSetOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<ProjectSetOperator>(plan, state);
}

}  // namespace activestore::executor
