// kFunctionScan: FROM unnest(array) [WITH ORDINALITY]: the array (evaluated once, without
// input) as one row per element, in storage order, in batches. FROM f(...) ("call"): a
// set-returning function's rows, or another function's one value. FROM generate_series(start,
// stop[, step]): the series, produced a batch at a time. ROWS FROM (f(...), g(...))
// ("rows_from"): each function's scan (a child) run to its end, their rows side by side, the
// shorter ones padded with NULLs, as PostgreSQL's FunctionScan of several functions.
#include <optional>

#include "common/array.h"
#include "common/error.h"
#include "common/value_ops.h"
#include "executor/expression_evaluator.h"
#include "executor/functions.h"
#include "executor/json_functions.h"
#include "executor/operators/operator.h"
#include "executor/operators/series.h"
#include "executor/user_functions.h"

namespace activestore::executor {

namespace {

class FunctionScanOperator : public Operator {
 public:
  FunctionScanOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {}

  bool Next(DataChunk* out) override {
    out->Init(plan_.output_types);
    if (plan_.function_name == "rows_from") return NextOfRowsFrom(out);
    if (plan_.function_name == "generate_series") return NextOfSeries(out);
    if (IsJsonTableFunctionScan()) return NextOfJsonEach(out);
    if (IsJsonToRecordScan()) return NextOfJsonToRecord(out);
    if (plan_.exprs.at(0)->user_function) return NextOfUserFunction(out);
    if (!evaluated_) {
      evaluated_ = true;
      if (plan_.function_name == "call") {
        elements_ = EvaluateCall(*plan_.exprs.at(0));
      } else {
        Value a = EvaluateConstant(*plan_.exprs.at(0), st_);
        if (!a.is_null) elements_ = ArrayView(a.s).Elements(ElementTypeOf(plan_.exprs[0]->type));
      }
    }
    // A row-valued call whose fields are the scan's columns (BindCallScan).
    // An unnest of composite elements (BindUnnestScan) too.
    const Type element =
        plan_.function_name == "call" ? plan_.exprs[0]->type : ElementTypeOf(plan_.exprs[0]->type);
    const bool expand = RecordColumns() || FieldsOfType(element) != nullptr;
    while (next_ < elements_.size() && out->size < kBatchSize) {
      std::vector<Value> row;
      if (!expand) {
        row.push_back(std::move(elements_[next_]));
      } else if (elements_[next_].is_null) {
        const size_t width = plan_.output_types.size() - (plan_.with_ordinality ? 1 : 0);
        for (size_t k = 0; k < width; ++k) row.push_back(Value::Null(plan_.output_types[k]));
      } else {
        row = RecordView(elements_[next_].s).fields();
        if (RecordColumns()) CheckRecordColumns(row);
      }
      ++next_;
      if (plan_.with_ordinality) row.push_back(Value::Int64(static_cast<int64_t>(next_)));
      out->AppendRow(row);
    }
    return out->size > 0;
  }

 private:
  // A call of an anonymous record type (not a function returning a blessed record), which the
  // binder allows only with a column definition list (BindCallScan): the record's fields are
  // the columns.
  bool RecordColumns() const {
    const planner::BoundExpr& e = *plan_.exprs[0];
    return plan_.function_name == "call" && e.type.id == kRecordType &&
           (e.kind != planner::BoundExprKind::kFunction || FieldsOfType(e.type) == nullptr);
  }

  // A record's fields against the column definition list.
  void CheckRecordColumns(const std::vector<Value>& row) const {
    const size_t width = plan_.output_types.size() - (plan_.with_ordinality ? 1 : 0);
    CheckReturnedRow(
        row, std::vector<Type>(plan_.output_types.begin(), plan_.output_types.begin() + width));
  }

  // ROWS FROM: every function's rows first (each child scan to its end), then the rows side by
  // side.
  bool NextOfRowsFrom(DataChunk* out) {
    if (!evaluated_) {
      evaluated_ = true;
      std::vector<std::vector<std::vector<Value>>> results;
      size_t longest = 0;
      for (const planner::PlanPtr& child : plan_.children) {
        std::vector<std::vector<Value>> rows;
        OperatorPtr op = BuildOperator(*child, st_);
        DataChunk chunk;
        while (op->Next(&chunk)) {
          for (size_t r = 0; r < chunk.size; ++r) rows.push_back(chunk.GetRow(r));
        }
        longest = std::max(longest, rows.size());
        results.push_back(std::move(rows));
      }
      rows_.resize(longest);
      for (size_t i = 0; i < longest; ++i) {
        for (size_t c = 0; c < plan_.children.size(); ++c) {
          const planner::PlanNode& child = *plan_.children[c];
          if (i < results[c].size()) {
            for (Value& v : results[c][i]) rows_[i].push_back(std::move(v));
          } else {
            for (const Type& t : child.output_types) rows_[i].push_back(Value::Null(t));
          }
        }
      }
    }
    return EmitRows(out);
  }

  // FROM f(...) of any other function: a set-returning call's rows, or the one value.
  std::vector<Value> EvaluateCall(const planner::BoundExpr& call) {
    if (call.kind != planner::BoundExprKind::kFunction || !IsSetFunction(call.op)) {
      return {EvaluateConstant(call, st_)};
    }
    std::vector<Value> args;
    for (const auto& c : call.children) args.push_back(EvaluateConstant(*c, st_));
    return EvaluateSetFunction(call, args, st_);
  }

  // FROM f(...) of a user-defined SQL function: the rows of its last statement (one row, NULL
  // when it has none, for a function that is not set-returning).
  bool NextOfUserFunction(DataChunk* out) {
    const planner::BoundExpr& call = *plan_.exprs[0];
    if (!evaluated_) {
      evaluated_ = true;
      std::vector<Value> args;
      for (const auto& c : call.children) args.push_back(EvaluateConstant(*c, st_));
      const bool set = call.user_function->function->returns_set;
      rows_ = RunUserFunction(*call.user_function, args, st_.ctx, set ? 0 : 1);
      // A set of void is no rows at all.
      if (set && !call.user_function->row_result &&
          call.user_function->result.id == TypeId::kVoid) {
        rows_.clear();
      }
      if (!set && rows_.empty()) {
        const size_t width = plan_.output_types.size() - (plan_.with_ordinality ? 1 : 0);
        std::vector<Value> nulls;
        for (size_t k = 0; k < width; ++k) nulls.push_back(Value::Null(plan_.output_types[k]));
        rows_.push_back(std::move(nulls));
      }
    }
    return EmitRows(out);
  }

  bool IsJsonTableFunctionScan() const {
    const std::string& f = plan_.function_name;
    return f.rfind("json", 0) == 0 &&
           (f.find("_each") != std::string::npos || f.find("_array_elements") != std::string::npos);
  }

  bool IsJsonToRecordScan() const {
    const std::string& f = plan_.function_name;
    return f.rfind("json", 0) == 0 && f.find("_to_record") != std::string::npos;
  }

  // FROM json[b]_to_record[set](x) AS t(...): the columns of the definition list
  // (executor/json_functions.h).
  bool NextOfJsonToRecord(DataChunk* out) {
    if (!evaluated_) {
      evaluated_ = true;
      const size_t width = plan_.output_types.size() - (plan_.with_ordinality ? 1 : 0);
      rows_ = EvaluateJsonToRecord(
          plan_.function_name, EvaluateConstant(*plan_.exprs[0], st_),
          std::vector<std::string>(plan_.output_names.begin(), plan_.output_names.begin() + width),
          std::vector<Type>(plan_.output_types.begin(), plan_.output_types.begin() + width),
          st_.ctx.format);
    }
    return EmitRows(out);
  }

  // FROM json[b]_each[_text](x), json[b]_array_elements[_text](x): their rows
  // (executor/json_functions.h).
  bool NextOfJsonEach(DataChunk* out) {
    if (!evaluated_) {
      evaluated_ = true;
      rows_ = EvaluateJsonEach(plan_.function_name, EvaluateConstant(*plan_.exprs[0], st_));
    }
    return EmitRows(out);
  }

  bool EmitRows(DataChunk* out) {
    while (next_ < rows_.size() && out->size < kBatchSize) {
      std::vector<Value> row = std::move(rows_[next_]);
      ++next_;
      if (plan_.with_ordinality) row.push_back(Value::Int64(static_cast<int64_t>(next_)));
      out->AppendRow(row);
    }
    return out->size > 0;
  }

  bool NextOfSeries(DataChunk* out) {
    if (!series_) {
      const bool has_step = plan_.exprs.size() > 2;
      series_.emplace(EvaluateConstant(*plan_.exprs[0], st_),
                      EvaluateConstant(*plan_.exprs[1], st_),
                      has_step ? EvaluateConstant(*plan_.exprs[2], st_) : Value(), has_step,
                      plan_.output_types[0], st_.ctx.format);
    }
    st_.CheckCancel();
    Value v;
    while (out->size < kBatchSize && series_->Next(&v)) {
      std::vector<Value> row = {std::move(v)};
      ++produced_;
      if (plan_.with_ordinality) row.push_back(Value::Int64(static_cast<int64_t>(produced_)));
      out->AppendRow(row);
    }
    return out->size > 0;
  }

  std::optional<SeriesGenerator> series_;
  size_t produced_ = 0;

  const planner::PlanNode& plan_;
  ExecState& st_;
  bool evaluated_ = false;
  std::vector<Value> elements_;
  std::vector<std::vector<Value>> rows_;
  size_t next_ = 0;
};

}  // namespace

OperatorPtr MakeFunctionScanOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<FunctionScanOperator>(plan, state);
}

}  // namespace activestore::executor
