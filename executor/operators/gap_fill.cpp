// kGapFill: TimescaleDB's time_bucket_gapfill over an Aggregate's rows (planner::GapFillSpec;
// docs/design/2026-12-06-time-series-functions.md).
//
// The input (one row per group, so small next to the table) is materialized and ordered by
// the series columns, then the bucket. For each series the buckets from time_bucket(width,
// start) while < finish are walked: a row whose bucket is the next one is passed on, a missing
// bucket gets a row with the series' group values, the bucket, and NULL aggregates. Rows before
// start, or after finish, or not on the walk's buckets pass unchanged, as in TimescaleDB. The
// rows are produced a batch at a time, so a wide range does not build up in memory.
//
// Fill columns: locf carries the last value of the series (with treat_null_as_missing, the last
// non-NULL one, also into real rows whose value is NULL); interpolate is the linear
// interpolation between the series' previous and next real rows at the bucket (NULL without
// both), in numeric arithmetic rounded for integers, in the type's own for floats.
//
// Errors (22023, TimescaleDB's): `invalid time_bucket_gapfill argument: bucket_width cannot be
// NULL` / `must be greater than 0` / `start cannot be NULL` / `finish cannot be NULL` /
// `timezone cannot be NULL` / `ts cannot be NULL`.
#include <algorithm>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/float4.h"
#include "common/interval.h"
#include "common/numeric.h"
#include "executor/executor.h"
#include "executor/expression_evaluator.h"
#include "executor/functions.h"
#include "executor/operators/operator.h"
#include "planner/bound_expr_util.h"

namespace activestore::executor {

namespace {

using planner::GapFillSpec;

constexpr const char* kHint = "Specify start and finish as arguments or in the WHERE clause.";

[[noreturn]] void ArgumentError(const std::string& what, bool hint) {
  Error err(SqlState::kInvalidParameterValue, "invalid time_bucket_gapfill argument: " + what);
  if (hint) err.Hint(kHint);
  throw err;
}

int64_t SaturatingAddOne(int64_t v) { return v == std::numeric_limits<int64_t>::max() ? v : v + 1; }

class GapFillOperator : public Operator {
 public:
  GapFillOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan),
        spec_(*plan.gapfill),
        st_(st),
        child_(BuildOperator(*plan.children.at(0), st)) {}

  bool Next(DataChunk* out) override {
    if (!started_) Start();
    out->Init(plan_.output_types);
    while (out->size < kBatchSize && Step(out)) {
    }
    return out->size > 0;
  }

 private:
  // The range and the input, sorted.
  void Start() {
    started_ = true;
    const TypeId tt = spec_.time_type.id;
    width_ = EvaluateConstant(*spec_.width, st_);
    if (width_.is_null) ArgumentError("bucket_width cannot be NULL", false);
    if (width_.type.id == TypeId::kInterval) {
      interval_ = IntervalOf(width_);
      if (interval_.usec < 0 || interval_.days < 0 || interval_.months < 0 ||
          (interval_.usec == 0 && interval_.days == 0 && interval_.months == 0)) {
        ArgumentError("bucket_width must be greater than 0", false);
      }
    } else if (width_.i <= 0) {
      ArgumentError("bucket_width must be greater than 0", false);
    }
    if (spec_.timezone) {
      zone_value_ = EvaluateConstant(*spec_.timezone, st_);
      if (zone_value_.is_null) ArgumentError("timezone cannot be NULL", false);
    }
    const int64_t start =
        spec_.start ? Boundary(*spec_.start, "start") : Tightest(spec_.lower_bounds, "start", true);
    finish_ = spec_.finish ? Boundary(*spec_.finish, "finish")
                           : Tightest(spec_.upper_bounds, "finish", false);
    start_ = Bucket(start);

    rows_ = Materialize(*child_, plan_.children[0]->output_types, st_);
    const Vector& time = rows_.columns[spec_.time_column];
    for (size_t r = 0; r < rows_.size; ++r) {
      if (time.nulls[r]) ArgumentError("ts cannot be NULL", false);
    }
    order_.resize(rows_.size);
    std::iota(order_.begin(), order_.end(), 0);
    std::stable_sort(order_.begin(), order_.end(), [&](uint32_t a, uint32_t b) {
      for (int c : spec_.series_columns) {
        const Vector& v = rows_.columns[c];
        if (v.nulls[a] || v.nulls[b]) {
          if (v.nulls[a] == v.nulls[b]) continue;
          return v.nulls[b] != 0;  // NULLS LAST
        }
        const int cmp = CompareVectorValues(v, a, v, b);
        if (cmp != 0) return cmp < 0;
      }
      return time.ints[a] < time.ints[b];
    });
    fill_values_.resize(spec_.fills.size());
    for (size_t k = 0; k < spec_.fills.size(); ++k) {
      EvaluateExpression(*spec_.fills[k].value, rows_, st_, &fill_values_[k]);
    }
    locf_.assign(spec_.fills.size(), Value());
    prev_.assign(spec_.fills.size(), Sample{});
    // Without series columns there is one series, even without rows.
    if (rows_.size > 0 || spec_.series_columns.empty()) BeginGroup(0);
  }

  // A boundary expression's value in the time type's representation.
  int64_t Boundary(const planner::BoundExpr& e, const char* which) {
    Value v = EvaluateConstant(e, st_);
    if (v.is_null) ArgumentError(std::string(which) + " cannot be NULL", true);
    if (v.type.id != spec_.time_type.id) v = CastValue(v, spec_.time_type, st_.ctx.format);
    return v.i;
  }

  // The largest (`largest`) or smallest of the WHERE clause's bounds, each plus one unit when
  // it says so. REQUIRES: bounds is not empty (the planner checked).
  int64_t Tightest(const std::vector<std::pair<planner::BoundExprPtr, bool>>& bounds,
                   const char* which, bool largest) {
    int64_t result = 0;
    for (size_t i = 0; i < bounds.size(); ++i) {
      int64_t v = Boundary(*bounds[i].first, which);
      if (bounds[i].second) v = SaturatingAddOne(v);
      if (i == 0 || (largest ? v > result : v < result)) result = v;
    }
    return result;
  }

  // time_bucket(width, t [, timezone]) as the grouped rows have it.
  int64_t Bucket(int64_t t) {
    std::vector<planner::BoundExprPtr> args = {planner::MakeConst(width_),
                                               planner::MakeConst(TimeValue(t))};
    std::string fn = "time_bucket";
    if (spec_.timezone) {
      args.push_back(planner::MakeConst(zone_value_));
      fn = "time_bucket_tz";
    }
    auto call =
        planner::MakeExpr(planner::BoundExprKind::kFunction, spec_.time_type, std::move(args), fn);
    return EvaluateConstant(*call, st_).i;
  }

  Value TimeValue(int64_t t) const {
    Value v = Value::Int(spec_.time_type.id, t);
    v.type = spec_.time_type;
    return v;
  }

  // The bucket after t: t + width in t's type (timestamptz in the bucket's zone when
  // time_bucket_gapfill has one, else in UTC).
  int64_t Advance(int64_t t) {
    switch (spec_.time_type.id) {
      case TypeId::kDate:
        return TimestampToDate(
            TimestampPlusInterval(DateToTimestamp(static_cast<int32_t>(t)), interval_, nullptr));
      case TypeId::kTimestamp:
        return TimestampPlusInterval(t, interval_, nullptr);
      case TypeId::kTimestampTz: {
        if (!spec_.timezone) return TimestampPlusInterval(t, interval_, nullptr);
        if (!zone_) zone_ = TimeZoneArg(zone_value_.s);
        return TimestampPlusInterval(t, interval_, zone_.get());
      }
      default: {
        int64_t r;
        if (__builtin_add_overflow(t, width_.i, &r)) return std::numeric_limits<int64_t>::max();
        return r;
      }
    }
  }

  struct Sample {
    bool valid = false;
    int64_t time = 0;
    Value value;
  };

  void BeginGroup(size_t begin) {
    group_begin_ = begin;
    group_end_ = begin;
    if (rows_.size > 0) {
      group_end_ = begin + 1;
      while (group_end_ < order_.size() && SameSeries(order_[begin], order_[group_end_])) {
        ++group_end_;
      }
    }
    pos_ = begin;
    next_ = start_;
    in_group_ = true;
    for (auto& v : locf_) v = Value();
    for (auto& s : prev_) s = Sample{};
  }

  bool SameSeries(uint32_t a, uint32_t b) const {
    for (int c : spec_.series_columns) {
      if (!RowValuesEqual(rows_.columns[c], a, rows_.columns[c], b)) return false;
    }
    return true;
  }

  // Appends the next row to *out; false when there are no more.
  bool Step(DataChunk* out) {
    while (in_group_) {
      if (pos_ < group_end_) {
        const uint32_t r = order_[pos_];
        const int64_t t = rows_.columns[spec_.time_column].ints[r];
        if (t >= start_ && t != next_ && next_ < finish_) {
          EmitGap(r, true, out);
          next_ = Advance(next_);
          return true;
        }
        if (t >= start_ && t == next_) next_ = Advance(next_);
        EmitReal(r, out);
        ++pos_;
        return true;
      }
      if (next_ < finish_) {
        EmitGap(group_begin_ < order_.size() ? order_[group_begin_] : 0, false, out);
        next_ = Advance(next_);
        return true;
      }
      in_group_ = false;
      if (group_end_ < order_.size()) BeginGroup(group_end_);
    }
    return false;
  }

  void EmitReal(uint32_t r, DataChunk* out) {
    std::vector<Value> row = rows_.GetRow(r);
    const int64_t t = rows_.columns[spec_.time_column].ints[r];
    for (size_t k = 0; k < spec_.fills.size(); ++k) {
      Value v = fill_values_[k].Get(r);
      if (spec_.fills[k].interpolate) {
        prev_[k] = Sample{!v.is_null, t, v};
      } else if (v.is_null && spec_.fills[k].treat_null_as_missing) {
        if (!locf_[k].is_null) v = locf_[k];
      } else {
        locf_[k] = v;
      }
      row.push_back(std::move(v));
    }
    out->AppendRow(row);
  }

  // A row for bucket next_ of the current series; `pending`: row r is the series' next real
  // row (interpolate's right-hand sample), else the series has no more rows.
  void EmitGap(uint32_t r, bool pending, DataChunk* out) {
    std::vector<Value> row;
    row.reserve(plan_.output_types.size());
    const auto& in_types = plan_.children[0]->output_types;
    for (size_t c = 0; c < in_types.size(); ++c) {
      // Group values other than the bucket are the series'; the aggregates are NULL.
      const bool series = static_cast<int>(c) < spec_.group_values;
      if (static_cast<int>(c) == spec_.time_column) {
        row.push_back(TimeValue(next_));
      } else if (series && rows_.size > 0) {
        row.push_back(rows_.columns[c].Get(r));
      } else {
        row.push_back(Value::Null(in_types[c]));
      }
    }
    for (size_t k = 0; k < spec_.fills.size(); ++k) {
      const Type type = plan_.output_types[in_types.size() + k];
      if (!spec_.fills[k].interpolate) {
        row.push_back(locf_[k].is_null ? Value::Null(type) : locf_[k]);
        continue;
      }
      Sample next;
      if (pending) {
        Value v = fill_values_[k].Get(r);
        next = Sample{!v.is_null, rows_.columns[spec_.time_column].ints[r], v};
      }
      row.push_back(prev_[k].valid && next.valid ? Interpolate(type, next_, prev_[k], next)
                                                 : Value::Null(type));
    }
    out->AppendRow(row);
  }

  // (y0 (x1 - x) + y1 (x - x0)) / (x1 - x0).
  static Value Interpolate(Type type, int64_t x, const Sample& p, const Sample& n) {
    const int64_t x0 = p.time, x1 = n.time;
    switch (type.id) {
      case TypeId::kFloat32:
      case TypeId::kFloat64: {
        if (p.value.f == n.value.f) return p.value;
        if (type.id == TypeId::kFloat32) {
          const float y0 = static_cast<float>(p.value.f), y1 = static_cast<float>(n.value.f);
          return Float4Value((y0 * static_cast<float>(x1 - x) + y1 * static_cast<float>(x - x0)) /
                             static_cast<float>(x1 - x0));
        }
        return Value::Float64(
            (p.value.f * static_cast<double>(x1 - x) + n.value.f * static_cast<double>(x - x0)) /
            static_cast<double>(x1 - x0));
      }
      default: {
        const Numeric y0 = Numeric::FromInt64(p.value.i), y1 = Numeric::FromInt64(n.value.i);
        const Numeric num =
            y0.Mul(Numeric::FromInt64(x1 - x)).Add(y1.Mul(Numeric::FromInt64(x - x0)));
        const Numeric q = num.Div(Numeric::FromInt64(x1 - x0));
        return Value::Int(type.id, q.Round(0).ToInt64());
      }
    }
  }

  const planner::PlanNode& plan_;
  const GapFillSpec& spec_;
  ExecState& st_;
  OperatorPtr child_;
  bool started_ = false;
  Value width_, zone_value_;
  Interval interval_;
  std::shared_ptr<const TimeZone> zone_;
  int64_t start_ = 0, finish_ = 0;
  DataChunk rows_;
  std::vector<uint32_t> order_;
  std::vector<Vector> fill_values_;
  std::vector<Value> locf_;
  std::vector<Sample> prev_;
  size_t group_begin_ = 0, group_end_ = 0, pos_ = 0;
  int64_t next_ = 0;
  bool in_group_ = false;
};

}  // namespace

OperatorPtr MakeGapFillOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<GapFillOperator>(plan, state);
}

}  // namespace activestore::executor
