// kProjectSet: a select list with top-level unnest(array) or other set-returning function
// items (PostgreSQL's ProjectSet).
// Per input row: as many rows as the longest array; a shorter array gives NULL, the other items
// repeat; no row when every array is empty or NULL. Row locations are not carried.
#include <algorithm>

#include "common/array.h"
#include "executor/expression_evaluator.h"
#include "executor/functions.h"
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

class ProjectSetOperator : public Operator {
 public:
  ProjectSetOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), st_(st), child_(BuildOperator(*plan.children.at(0), st)) {}

  bool Next(DataChunk* out) override {
    out->Init(plan_.output_types);
    while (out->size < kBatchSize) {
      if (row_ >= in_.size) {
        if (!child_->Next(&in_)) break;
        Evaluate();
        row_ = 0;
        element_ = 0;
        continue;
      }
      if (element_ >= RowLength(row_)) {
        ++row_;
        element_ = 0;
        continue;
      }
      std::vector<Value> row(cols_.size());
      for (size_t i = 0; i < cols_.size(); ++i) {
        if (!is_srf_[i]) {
          row[i] = cols_[i].Get(row_);
        } else {
          const std::vector<Value>& elems = elements_[i][row_];
          row[i] = element_ < elems.size() ? elems[element_] : Value::Null(plan_.output_types[i]);
        }
      }
      out->AppendRow(row);
      ++element_;
    }
    return out->size > 0;
  }

 private:
  void Evaluate() {
    const size_t n = plan_.exprs.size();
    cols_.assign(n, Vector());
    is_srf_.assign(n, false);
    elements_.assign(n, {});
    for (size_t i = 0; i < n; ++i) {
      const planner::BoundExpr& e = *plan_.exprs[i];
      if (e.kind == planner::BoundExprKind::kFunction && e.op == "unnest") {
        is_srf_[i] = true;
        Vector arrays;
        EvaluateExpression(*e.children.at(0), in_, st_, &arrays);
        elements_[i].resize(in_.size);
        for (size_t r = 0; r < in_.size; ++r) {
          if (!arrays.nulls[r]) elements_[i][r] = ArrayView(arrays.strs[r]).Elements(e.type);
        }
      } else if (e.kind == planner::BoundExprKind::kFunction && IsSetFunction(e.op)) {
        // Another set-returning function (regexp_matches, ...): its rows per input row.
        is_srf_[i] = true;
        std::vector<Vector> argv(e.children.size());
        for (size_t k = 0; k < argv.size(); ++k) {
          EvaluateExpression(*e.children[k], in_, st_, &argv[k]);
        }
        elements_[i].resize(in_.size);
        std::vector<Value> args(argv.size());
        for (size_t r = 0; r < in_.size; ++r) {
          for (size_t k = 0; k < argv.size(); ++k) args[k] = argv[k].Get(r);
          elements_[i][r] = EvaluateSetFunction(e, args, st_);
        }
      } else {
        EvaluateExpression(e, in_, st_, &cols_[i]);
      }
    }
  }

  size_t RowLength(size_t r) const {
    size_t len = 0;
    for (size_t i = 0; i < elements_.size(); ++i) {
      if (is_srf_[i]) len = std::max(len, elements_[i][r].size());
    }
    return len;
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr child_;
  DataChunk in_;
  size_t row_ = 0, element_ = 0;
  std::vector<Vector> cols_;
  std::vector<bool> is_srf_;
  std::vector<std::vector<std::vector<Value>>> elements_;  // [expr][row] -> elements
};

}  // namespace

OperatorPtr MakeProjectSetOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<ProjectSetOperator>(plan, state);
}

}  // namespace activestore::executor
