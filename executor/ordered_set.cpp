#include "executor/ordered_set.h"

#include <cmath>

#include "common/array.h"
#include "common/error.h"
#include "common/interval.h"
#include "common/value_ops.h"

namespace activestore::executor {

namespace {

using Args = std::vector<Value>;
using planner::BoundExpr;

// The non-NULL elements of an aggregated array (NULL: no input rows).
std::vector<Value> Inputs(const Value& array) {
  std::vector<Value> out;
  if (array.is_null) return out;
  ArrayView view(array.s);
  view.ForEach(Type::Of(view.element_type()), [&](size_t, Value v) {
    if (!v.is_null) out.push_back(std::move(v));
  });
  return out;
}

// Every element, NULLs included.
std::vector<Value> AllElements(const Value& array, Type elem) {
  if (array.is_null) return {};
  return ArrayView(array.s).Elements(elem);
}

void CheckFraction(double f) {
  if (f < 0 || f > 1 || std::isnan(f)) {
    Throw(SqlState::kNumericValueOutOfRange, "percentile value {:g} is not between 0 and 1", f);
  }
}

Value Interpolate(const Value& lo, const Value& hi, double proportion) {
  if (lo.type.id == TypeId::kInterval) {
    Interval diff = IntervalSub(IntervalOf(hi), IntervalOf(lo));
    return Value::Interval(IntervalAdd(IntervalMul(diff, proportion), IntervalOf(lo)));
  }
  return Value::Float64(lo.f + proportion * (hi.f - lo.f));
}

// percentile_cont of `rows` (sorted, non-empty) at f.
Value PercentileCont(const std::vector<Value>& rows, double f) {
  const double pos = f * static_cast<double>(rows.size() - 1);
  const auto first = static_cast<size_t>(std::floor(pos));
  const auto second = static_cast<size_t>(std::ceil(pos));
  if (second == first) return rows[first];
  return Interpolate(rows[first], rows[second], pos - static_cast<double>(first));
}

Value PercentileDisc(const std::vector<Value>& rows, double f) {
  const auto rownum = static_cast<int64_t>(std::ceil(f * static_cast<double>(rows.size())));
  return rows[rownum > 1 ? static_cast<size_t>(rownum - 1) : 0];
}

template <Value (*Pick)(const std::vector<Value>&, double)>
Value Percentile(const Args& a, const BoundExpr& e, ExecState&) {
  if (a[1].is_null || a[0].is_null) return Value::Null(e.type);
  CheckFraction(a[0].f);
  std::vector<Value> rows = Inputs(a[1]);
  if (rows.empty()) return Value::Null(e.type);
  Value v = Pick(rows, a[0].f);
  v.type = e.type;
  return v;
}

// The fractions' array shape, each fraction's result (NULL for a NULL fraction).
template <Value (*Pick)(const std::vector<Value>&, double)>
Value PercentileMulti(const Args& a, const BoundExpr& e, ExecState&) {
  if (a[1].is_null || a[0].is_null) return Value::Null(e.type);
  ArrayView fractions(a[0].s);
  std::vector<Value> fs = fractions.Elements(Type::Of(TypeId::kFloat64));
  for (const Value& f : fs)
    if (!f.is_null) CheckFraction(f.f);
  std::vector<Value> rows = Inputs(a[1]);
  if (rows.empty()) return Value::Null(e.type);
  const Type elem = ElementTypeOf(e.type);
  ArrayBuilder out(elem.id);
  for (const Value& f : fs) {
    if (f.is_null) {
      out.Append(Value::Null(elem));
    } else {
      Value v = Pick(rows, f.f);
      v.type = elem;
      out.Append(v);
    }
  }
  std::vector<int> dims, lbounds;
  for (int d = 0; d < fractions.ndim(); ++d) {
    dims.push_back(fractions.dim(d));
    lbounds.push_back(fractions.lower_bound(d));
  }
  Value v;
  v.type = e.type;
  v.is_null = false;
  v.s = fs.empty() ? ArrayBuilder(elem.id).Finish() : out.Finish(dims, lbounds);
  return v;
}

Value Mode(const Args& a, const BoundExpr& e, ExecState&) {
  std::vector<Value> rows = Inputs(a[0]);
  if (rows.empty()) return Value::Null(e.type);
  size_t best = 0, best_count = 0;
  for (size_t i = 0; i < rows.size();) {
    size_t j = i + 1;
    while (j < rows.size() && CompareValues(rows[j], rows[i]) == 0) ++j;
    if (j - i > best_count) {
      best = i;
      best_count = j - i;
    }
    i = j;
  }
  Value v = rows[best];
  v.type = e.type;
  return v;
}

// hypothetical_final(kind, directions, nulls, args..., keys...).
Value Hypothetical(const Args& a, const BoundExpr& e, ExecState&) {
  const std::string& kind = a[0].s;
  const std::string& directions = a[1].s;
  const std::string& nulls = a[2].s;
  const size_t n = directions.size();
  std::vector<Value> hypothetical(a.begin() + 3, a.begin() + 3 + static_cast<long>(n));
  std::vector<std::vector<Value>> columns;
  for (size_t k = 0; k < n; ++k) {
    columns.push_back(AllElements(a[3 + n + k], e.children[3 + k]->type));
  }
  const size_t rows = columns.empty() ? 0 : columns[0].size();
  // Compares row r (or the hypothetical row, r = rows) with row q in the ORDER BY's order.
  auto at = [&](size_t r, size_t k) -> const Value& {
    return r == rows ? hypothetical[k] : columns[k][r];
  };
  auto compare = [&](size_t r, size_t q) {
    for (size_t k = 0; k < n; ++k) {
      const Value& x = at(r, k);
      const Value& y = at(q, k);
      if (x.is_null || y.is_null) {
        if (x.is_null == y.is_null) continue;
        const bool first = nulls[k] == 'f';
        return x.is_null == first ? -1 : 1;
      }
      int c = CompareValues(x, y);
      if (c != 0) return directions[k] == 'd' ? -c : c;
    }
    return 0;
  };
  int64_t before = 0, not_after = 0, distinct_before = 0;
  for (size_t r = 0; r < rows; ++r) {
    const int c = compare(r, rows);
    if (c < 0) {
      ++before;
      if (r == 0 || compare(r - 1, r) != 0) ++distinct_before;
    }
    if (c <= 0) ++not_after;
  }
  if (kind == "rank") return Value::Int64(before + 1);
  if (kind == "dense_rank") return Value::Int64(distinct_before + 1);
  if (kind == "percent_rank") {
    return Value::Float64(rows == 0 ? 0.0
                                    : static_cast<double>(before) / static_cast<double>(rows));
  }
  return Value::Float64(static_cast<double>(not_after + 1) / static_cast<double>(rows + 1));
}

}  // namespace

const std::vector<ArrayFunctionEntry>& OrderedSetFunctionEntries() {
  static const std::vector<ArrayFunctionEntry> kFns = {
      {"percentile_cont_final", Percentile<PercentileCont>, false},
      {"percentile_cont_multi_final", PercentileMulti<PercentileCont>, false},
      {"percentile_disc_final", Percentile<PercentileDisc>, false},
      {"percentile_disc_multi_final", PercentileMulti<PercentileDisc>, false},
      {"mode_final", Mode, false},
      {"hypothetical_final", Hypothetical, false},
  };
  return kFns;
}

}  // namespace activestore::executor
