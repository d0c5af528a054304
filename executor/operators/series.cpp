#include "executor/operators/series.h"

#include <utility>

#include "common/error.h"

namespace activestore::executor {

SeriesGenerator::SeriesGenerator(Value start, Value stop, Value step, bool has_step, Type type,
                                 const FormatOptions& format)
    : cur_(std::move(start)),
      stop_(std::move(stop)),
      step_(has_step ? std::move(step) : CastValue(Value::Int64(1), type)),
      type_(type),
      format_(&format) {
  done_ = cur_.is_null || stop_.is_null || step_.is_null;
  if (type.id == TypeId::kNumeric) {
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

bool SeriesGenerator::Next(Value* out) {
  if (done_) return false;
  int c = CompareValues(cur_, stop_);
  if (ascending_ ? c > 0 : c < 0) {
    done_ = true;
    return false;
  }
  *out = cur_;
  try {
    Value next = Arithmetic("+", cur_, step_, *format_);
    cur_ = type_.id == next.type.id ? next : CastValue(next, type_);
  } catch (const Error& e) {
    // Past the type's range: the series ends, as PostgreSQL's overflow check does.
    if (e.state() != SqlState::kNumericValueOutOfRange) throw;
    done_ = true;
  }
  return true;
}

}  // namespace activestore::executor
