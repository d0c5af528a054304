// kFunctionScan: FROM unnest(array) [WITH ORDINALITY]: the array (evaluated once, without
// input) as one row per element, in storage order, in batches. FROM f(...) ("call"): a
// set-returning function's rows, or another function's one value. FROM generate_series(start,
// stop[, step]): the series, produced a batch at a time.
#include "common/array.h"
#include "common/error.h"
#include "common/value_ops.h"
#include "executor/expression_evaluator.h"
#include "executor/functions.h"
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

class FunctionScanOperator : public Operator {
 public:
  FunctionScanOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {}

  bool Next(DataChunk* out) override {
    out->Init(plan_.output_types);
    if (plan_.function_name == "generate_series") return NextOfSeries(out);
    if (!evaluated_) {
      evaluated_ = true;
      if (plan_.function_name == "call") {
        elements_ = EvaluateCall(*plan_.exprs.at(0));
      } else {
        Value a = EvaluateConstant(*plan_.exprs.at(0), st_);
        if (!a.is_null) elements_ = ArrayView(a.s).Elements(plan_.output_types[0]);
      }
    }
    while (next_ < elements_.size() && out->size < kBatchSize) {
      std::vector<Value> row = {std::move(elements_[next_])};
      ++next_;
      if (plan_.with_ordinality) row.push_back(Value::Int64(static_cast<int64_t>(next_)));
      out->AppendRow(row);
    }
    return out->size > 0;
  }

 private:
  // FROM f(...) of any other function: a set-returning call's rows, or the one value.
  std::vector<Value> EvaluateCall(const planner::BoundExpr& call) {
    if (call.kind != planner::BoundExprKind::kFunction || !IsSetFunction(call.op)) {
      return {EvaluateConstant(call, st_)};
    }
    std::vector<Value> args;
    for (const auto& c : call.children) args.push_back(EvaluateConstant(*c, st_));
    return EvaluateSetFunction(call, args, st_);
  }

  bool NextOfSeries(DataChunk* out) {
    if (!evaluated_) {
      evaluated_ = true;
      const Type t = plan_.output_types[0];
      cur_ = EvaluateConstant(*plan_.exprs[0], st_);
      stop_ = EvaluateConstant(*plan_.exprs[1], st_);
      step_ = plan_.exprs.size() > 2 ? EvaluateConstant(*plan_.exprs[2], st_)
                                     : CastValue(Value::Int64(1), t);
      done_ = cur_.is_null || stop_.is_null || step_.is_null;
      if (t.id == TypeId::kNumeric) {
        // generate_series_step_numeric's checks (the loop would never end).
        const std::pair<const Value*, const char*> args[] = {
            {&cur_, "start value"}, {&stop_, "stop value"}, {&step_, "step size"}};
        for (const auto& [v, what] : args) {
          if (!v->is_null && v->type.id == TypeId::kNumeric && v->num.IsNaN()) {
            Throw(SqlState::kInvalidParameterValue, "{} cannot be NaN", what);
          }
          if (!v->is_null && v->type.id == TypeId::kNumeric && v->num.IsInfinite()) {
            Throw(SqlState::kInvalidParameterValue, "{} cannot be infinity", what);
          }
        }
      }
      if (!done_) {
        Value zero = step_.type.id == TypeId::kInterval ? ParseValue("0", step_.type)
                                                        : CastValue(Value::Int64(0), step_.type);
        int sign = CompareValues(step_, zero);
        if (sign == 0) Throw(SqlState::kInvalidParameterValue, "step size cannot equal zero");
        ascending_ = sign > 0;
      }
    }
    st_.CheckCancel();
    while (!done_ && out->size < kBatchSize) {
      int c = CompareValues(cur_, stop_);
      if (ascending_ ? c > 0 : c < 0) {
        done_ = true;
        break;
      }
      std::vector<Value> row = {cur_};
      ++produced_;
      if (plan_.with_ordinality) row.push_back(Value::Int64(static_cast<int64_t>(produced_)));
      out->AppendRow(row);
      try {
        Value next = Arithmetic("+", cur_, step_, st_.ctx.format);
        cur_ = plan_.output_types[0].id == next.type.id ? next
                                                        : CastValue(next, plan_.output_types[0]);
      } catch (const Error& e) {
        // Past the type's range: the series ends, as PostgreSQL's overflow check does.
        if (e.state() != SqlState::kNumericValueOutOfRange) throw;
        done_ = true;
      }
    }
    return out->size > 0;
  }

  Value cur_, stop_, step_;
  bool ascending_ = true;
  bool done_ = false;
  size_t produced_ = 0;

  const planner::PlanNode& plan_;
  ExecState& st_;
  bool evaluated_ = false;
  std::vector<Value> elements_;
  size_t next_ = 0;
};

}  // namespace

OperatorPtr MakeFunctionScanOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<FunctionScanOperator>(plan, state);
}

}  // namespace activestore::executor
