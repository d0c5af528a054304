// kValues: the rows of values_rows, each expression evaluated without input, in batches.
//
// When some expressions have side effects (nextval, setval, set_config), every other expression
// of every row is evaluated first: a row that fails (a constant out of range, as PostgreSQL
// finds while planning) then fails the statement before any sequence value is used up.
#include "common/error.h"
#include "common/value_ops.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

bool HasSideEffects(const planner::BoundExpr& e) {
  if (e.user_function) return true;
  if (e.kind == planner::BoundExprKind::kFunction &&
      (e.op == "nextval" || e.op == "setval" || e.op == "set_config")) {
    return true;
  }
  for (const auto& c : e.children) {
    if (c && HasSideEffects(*c)) return true;
  }
  return false;
}

// The value of a constant or a parameter, as EvaluateConstant gives it, without building a
// one-row batch (a 1,000-row INSERT ... VALUES is mostly these). False for other expressions.
bool LoadConstantOrParam(const planner::BoundExpr& e, ExecState& st, Value* out) {
  if (e.kind == planner::BoundExprKind::kConstant) {
    *out = e.value.is_null ? Value::Null(e.type) : e.value;
    return true;
  }
  if (e.kind != planner::BoundExprKind::kParam || e.param_index < 0 ||
      static_cast<size_t>(e.param_index) >= st.ctx.params.size()) {
    return false;
  }
  const Value& v = st.ctx.params[e.param_index];
  if (v.is_null) {
    *out = Value::Null(e.type);
  } else if (!(v.type == e.type) && e.type.id != TypeId::kUnknown) {
    *out = CastValue(v, e.type, st.ctx.format);
  } else {
    *out = v;
  }
  return true;
}

class ValuesOperator : public Operator {
 public:
  ValuesOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {
    for (const auto& row : plan_.values_rows) {
      for (const auto& e : row) side_effects_ = side_effects_ || HasSideEffects(*e);
    }
  }

  bool Next(DataChunk* out) override {
    out->Init(plan_.output_types);
    if (side_effects_ && !evaluated_first_) EvaluatePlainExpressions();
    while (next_ < plan_.values_rows.size() && out->size < kBatchSize) {
      size_t r = next_++;
      const auto& row = plan_.values_rows[r];
      if (row.size() != out->columns.size()) {
        Throw(SqlState::kInternalError, "VALUES row has {} columns, expected {}", row.size(),
              out->columns.size());
      }
      std::vector<Value> values;
      if (side_effects_) {
        values = std::move(first_[r]);
        for (size_t c = 0; c < row.size(); ++c) {
          if (HasSideEffects(*row[c])) values[c] = EvaluateConstant(*row[c], st_);
        }
      } else {
        values.resize(row.size());
        for (size_t c = 0; c < row.size(); ++c) {
          if (!LoadConstantOrParam(*row[c], st_, &values[c])) {
            values[c] = EvaluateConstant(*row[c], st_);
          }
        }
      }
      out->AppendRow(values);
    }
    return out->size > 0;
  }

 private:
  void EvaluatePlainExpressions() {
    evaluated_first_ = true;
    first_.resize(plan_.values_rows.size());
    for (size_t r = 0; r < plan_.values_rows.size(); ++r) {
      const auto& row = plan_.values_rows[r];
      first_[r].resize(row.size());
      for (size_t c = 0; c < row.size(); ++c) {
        if (!HasSideEffects(*row[c])) first_[r][c] = EvaluateConstant(*row[c], st_);
      }
    }
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  size_t next_ = 0;
  bool side_effects_ = false;
  bool evaluated_first_ = false;
  std::vector<std::vector<Value>> first_;  // values of the expressions without side effects
};

}  // namespace

OperatorPtr MakeValuesOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<ValuesOperator>(plan, state);
}

}  // namespace activestore::executor
