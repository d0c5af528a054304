#include "executor/aggregates.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/bit_string.h"
#include "common/error.h"
#include "common/float4.h"
#include "common/value_ops.h"
#include "executor/array_exprs.h"
#include "executor/expression_evaluator.h"
#include "executor/functions.h"

namespace activestore::executor {

using planner::AggKind;

namespace {

Numeric Int128ToNumeric(__int128 v) {
  if (v >= INT64_MIN && v <= INT64_MAX) return Numeric::FromInt64(static_cast<int64_t>(v));
  bool neg = v < 0;
  unsigned __int128 u =
      neg ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  std::string digits;
  while (u > 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  return Numeric::Parse((neg ? "-" : "") + digits);
}

bool IsRegression(AggKind k) {
  switch (k) {
    case AggKind::kCorr:
    case AggKind::kCovarPop:
    case AggKind::kCovarSamp:
    case AggKind::kRegrAvgX:
    case AggKind::kRegrAvgY:
    case AggKind::kRegrCount:
    case AggKind::kRegrIntercept:
    case AggKind::kRegrR2:
    case AggKind::kRegrSlope:
    case AggKind::kRegrSxx:
    case AggKind::kRegrSxy:
    case AggKind::kRegrSyy:
      return true;
    default:
      return false;
  }
}

// float8_regr_accum: adds the pair (y, x) to N (count), Sx (f), Sxx (f2), Sy, Syy, Sxy.
void RegrAccum(AggState& g, double y, double x) {
  AggStateExtra& e = g.x();
  const double old_n = static_cast<double>(g.count), old_sx = g.f, old_sy = e.sy;
  ++g.count;
  const double nn = static_cast<double>(g.count);
  g.f += x;
  e.sy += y;
  if (old_n > 0.0) {
    const double tmp_x = x * nn - g.f;
    const double tmp_y = y * nn - e.sy;
    const double scale = 1.0 / (nn * old_n);
    e.f2 += tmp_x * tmp_x * scale;
    e.syy += tmp_y * tmp_y * scale;
    e.sxy += tmp_x * tmp_y * scale;
    auto overflow = []() {
      Throw(SqlState::kNumericValueOutOfRange, "value out of range: overflow");
    };
    if (std::isinf(g.f) || std::isinf(e.f2)) {
      if (!std::isinf(old_sx) && !std::isinf(x)) overflow();
      e.f2 = std::numeric_limits<double>::quiet_NaN();
    }
    if (std::isinf(e.sy) || std::isinf(e.syy)) {
      if (!std::isinf(old_sy) && !std::isinf(y)) overflow();
      e.syy = std::numeric_limits<double>::quiet_NaN();
    }
    if (std::isinf(e.sxy)) {
      if (!std::isinf(old_sx) && !std::isinf(x) && !std::isinf(old_sy) && !std::isinf(y)) {
        overflow();
      }
      e.sxy = std::numeric_limits<double>::quiet_NaN();
    }
  } else {
    // A first Inf or NaN makes the dependent sums NaN (else a variance of 0 would be reported).
    if (std::isnan(x) || std::isinf(x)) e.f2 = e.sxy = std::numeric_limits<double>::quiet_NaN();
    if (std::isnan(y) || std::isinf(y)) e.syy = e.sxy = std::numeric_limits<double>::quiet_NaN();
  }
}

// The float8_regr_* / float8_corr / float8_covar_* finals.
Value RegrFinal(AggKind kind, const AggState& g, Type rt) {
  const double n = static_cast<double>(g.count);
  if (kind == AggKind::kRegrCount) return Value::Int64(g.count);
  if (n < (kind == AggKind::kCovarSamp ? 2.0 : 1.0)) return Value::Null(rt);
  const AggStateExtra& e = g.x();
  const double sx = g.f, sxx = e.f2, sy = e.sy, syy = e.syy, sxy = e.sxy;
  switch (kind) {
    case AggKind::kRegrSxx:
      return Value::Float64(sxx);
    case AggKind::kRegrSyy:
      return Value::Float64(syy);
    case AggKind::kRegrSxy:
      return Value::Float64(sxy);
    case AggKind::kRegrAvgX:
      return Value::Float64(sx / n);
    case AggKind::kRegrAvgY:
      return Value::Float64(sy / n);
    case AggKind::kCovarPop:
      return Value::Float64(sxy / n);
    case AggKind::kCovarSamp:
      return Value::Float64(sxy / (n - 1.0));
    case AggKind::kCorr:
      if (sxx == 0 || syy == 0) return Value::Null(rt);
      return Value::Float64(sxy / std::sqrt(sxx * syy));
    case AggKind::kRegrR2:
      if (sxx == 0) return Value::Null(rt);
      if (syy == 0) return Value::Float64(1.0);
      return Value::Float64((sxy * sxy) / (sxx * syy));
    case AggKind::kRegrSlope:
      if (sxx == 0) return Value::Null(rt);
      return Value::Float64(sxy / sxx);
    case AggKind::kRegrIntercept:
      if (sxx == 0) return Value::Null(rt);
      return Value::Float64((sy - sx * sxy / sxx) / n);
    default:
      return Value::Null(rt);
  }
}

Value Fit(Value v, Type t) {
  if (v.is_null) return Value::Null(t);
  if (v.type == t || t.id == TypeId::kUnknown) return v;
  return CastValue(v, t);
}

}  // namespace

AggregateEvaluator::AggregateEvaluator(const planner::AggregateSpec& spec) : spec_(spec) {
  if (spec.distinct) {
    std::vector<Type> types{Type::Of(TypeId::kInt64)};
    for (const auto& a : spec.args) types.push_back(a->type);
    distinct_ = std::make_unique<KeyHashTable>(types);
  }
  if (ordered()) {
    inner_spec_ = std::make_unique<planner::AggregateSpec>();
    inner_spec_->kind = spec.kind;
    inner_spec_->result_type = spec.result_type;
    const size_t nargs = spec.args.size() - spec.order_descending.size();
    for (size_t i = 0; i < nargs; ++i) {
      auto col = std::make_shared<planner::BoundExpr>();
      col->kind = planner::BoundExprKind::kColumn;
      col->type = spec.args[i]->type;
      col->column_index = static_cast<int>(i);
      inner_spec_->args.push_back(std::move(col));
    }
    inner_ = std::make_unique<AggregateEvaluator>(*inner_spec_);
  }
}

bool AggregateEvaluator::ordered() const {
  return !spec_.order_descending.empty() && spec_.kind != AggKind::kArrayAgg;
}

namespace {

// Sorts `rows` by their columns [first, first + descending.size()) (stable).
void SortRows(std::vector<std::vector<Value>>* rows, size_t first,
              const std::vector<bool>& descending, const std::vector<bool>& nulls_first) {
  std::stable_sort(rows->begin(), rows->end(),
                   [&](const std::vector<Value>& x, const std::vector<Value>& y) {
                     for (size_t k = 0; k < descending.size(); ++k) {
                       const Value& a = x[first + k];
                       const Value& b = y[first + k];
                       if (a.is_null || b.is_null) {
                         if (a.is_null == b.is_null) continue;
                         return a.is_null == static_cast<bool>(nulls_first[k]);
                       }
                       int c = CompareValues(a, b);
                       if (c != 0) return descending[k] ? c > 0 : c < 0;
                     }
                     return false;
                   });
}

}  // namespace

Value AggregateEvaluator::FinalizeOrdered(const AggState& g) const {
  AggState result;
  std::vector<std::vector<Value>> rows = g.x().keys;
  const size_t nargs = inner_spec_->args.size();
  SortRows(&rows, nargs, spec_.order_descending, spec_.order_nulls_first);
  if (!rows.empty() && state_ != nullptr) {
    std::vector<AggState> states(1);
    std::vector<Type> types;
    for (const auto& a : inner_spec_->args) types.push_back(a->type);
    for (size_t begin = 0; begin < rows.size(); begin += kBatchSize) {
      const size_t end = std::min(rows.size(), begin + kBatchSize);
      DataChunk chunk;
      chunk.Init(types);
      for (size_t r = begin; r < end; ++r) {
        for (size_t c = 0; c < nargs; ++c) chunk.columns[c].Append(rows[r][c]);
      }
      chunk.size = end - begin;
      std::vector<uint32_t> ids(chunk.size, 0);
      inner_->Update(chunk, ids, *state_, &states);
    }
    return inner_->Finalize(states[0]);
  }
  return inner_->Finalize(result);
}

void AggregateEvaluator::Update(const DataChunk& input, const std::vector<uint32_t>& group_ids,
                                ExecState& st, std::vector<AggState>* states) {
  if (spec_.kind == AggKind::kGrouping) return;  // no state: its value depends on the set
  size_t n = input.size;
  std::vector<uint8_t> use(n, 1);
  if (spec_.filter) {
    Vector f;
    EvaluateExpression(*spec_.filter, input, st, &f);
    for (size_t r = 0; r < n; ++r) use[r] = BoolAt(f, r) == 1;
  }
  // The argument vectors: input columns read in place, other expressions in scratch.
  std::vector<Vector> scratch(spec_.args.size());
  std::vector<const Vector*> args(spec_.args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    args[i] = &EvaluateExpressionRef(*spec_.args[i], input, st, &scratch[i]);
  }
  // Rows with a NULL first argument are ignored by every aggregate but count(*) (and those
  // that keep NULL values: array_agg, first, last).
  if (spec_.kind != AggKind::kCountStar && spec_.kind != AggKind::kArrayAgg &&
      spec_.kind != AggKind::kFirst && spec_.kind != AggKind::kLast && !args.empty()) {
    for (size_t r = 0; r < n; ++r) use[r] &= !args[0]->nulls[r];
  }
  if (IsRegression(spec_.kind)) {
    for (size_t r = 0; r < n; ++r) use[r] &= !args[1]->nulls[r];
  }
  if (distinct_) {
    Vector gid(Type::Of(TypeId::kInt64), n);
    for (size_t r = 0; r < n; ++r) gid.ints[r] = group_ids[r];
    std::vector<const Vector*> keys{&gid};
    for (const Vector* a : args) keys.push_back(a);
    std::vector<uint64_t> hashes;
    HashRows(keys, n, &hashes);
    for (size_t r = 0; r < n; ++r) {
      if (!use[r]) continue;
      bool inserted;
      distinct_->FindOrInsert(keys, r, hashes[r], &inserted);
      use[r] = inserted;
    }
  }
  auto& s = *states;
  if (ordered()) {
    state_ = &st;
    for (size_t r = 0; r < n; ++r) {
      if (!use[r]) continue;
      AggState& g = s[group_ids[r]];
      std::vector<Value> row;
      row.reserve(args.size());
      for (const Vector* a : args) row.push_back(a->Get(r));
      g.x().keys.push_back(std::move(row));
      g.has = true;
    }
    return;
  }
  if (IsRegression(spec_.kind)) {
    for (size_t r = 0; r < n; ++r) {
      if (use[r]) RegrAccum(s[group_ids[r]], args[0]->floats[r], args[1]->floats[r]);
    }
    return;
  }
  switch (spec_.kind) {
    default:  // kGrouping and the regression aggregates: returned above
      return;
    case AggKind::kBitAnd:
    case AggKind::kBitOr:
    case AggKind::kBitXor: {
      const Vector& a = *args[0];
      if (a.phys != PhysClass::kInt) {  // bit strings (22026 for different lengths)
        for (size_t r = 0; r < n; ++r) {
          if (!use[r]) continue;
          AggState& g = s[group_ids[r]];
          Value x = a.Get(r);
          g.x().v = !g.has                           ? BitValue(x.s)
                    : spec_.kind == AggKind::kBitAnd ? BitValue(BitAnd(g.x().v.s, x.s))
                    : spec_.kind == AggKind::kBitOr  ? BitValue(BitOr(g.x().v.s, x.s))
                                                     : BitValue(BitXor(g.x().v.s, x.s));
          g.has = true;
        }
        return;
      }
      for (size_t r = 0; r < n; ++r) {
        if (!use[r]) continue;
        AggState& g = s[group_ids[r]];
        const int64_t x = a.ints[r];
        g.i = !g.has                           ? x
              : spec_.kind == AggKind::kBitAnd ? (g.i & x)
              : spec_.kind == AggKind::kBitOr  ? (g.i | x)
                                               : (g.i ^ x);
        g.has = true;
      }
      return;
    }
    case AggKind::kCountStar:
    case AggKind::kCount:
      for (size_t r = 0; r < n; ++r) {
        if (use[r]) ++s[group_ids[r]].count;
      }
      return;
    case AggKind::kSum:
    case AggKind::kAvg: {
      const Vector& a = *args[0];
      TypeId t = a.type.id;
      if (t == TypeId::kFloat64 || (t == TypeId::kFloat32 && spec_.kind == AggKind::kAvg)) {
        // The float8 case below, without the type tests per row.
        for (size_t r = 0; r < n; ++r) {
          if (!use[r]) continue;
          AggState& g = s[group_ids[r]];
          g.has = true;
          ++g.count;
          double x = a.floats[r], sum = g.f + x;
          if (std::isinf(sum) && !std::isinf(g.f) && !std::isinf(x)) {
            Throw(SqlState::kNumericValueOutOfRange, "value out of range: overflow");
          }
          g.f = sum;
        }
        return;
      }
      for (size_t r = 0; r < n; ++r) {
        if (!use[r]) continue;
        AggState& g = s[group_ids[r]];
        g.has = true;
        ++g.count;
        if (t == TypeId::kMoney) {  // cash_pl
          if (__builtin_add_overflow(g.i, a.ints[r], &g.i)) {
            Throw(SqlState::kNumericValueOutOfRange, "money out of range");
          }
        } else if (IsIntegerType(t)) {
          if (spec_.kind == AggKind::kSum && t != TypeId::kInt64) {
            if (__builtin_add_overflow(g.i, a.ints[r], &g.i))
              ThrowIntegerOutOfRange(TypeId::kInt64);
          } else {
            g.wide += a.ints[r];
          }
        } else if (t == TypeId::kFloat32 && spec_.kind == AggKind::kSum) {
          // float4pl: the running sum in single precision.
          g.f = Float4Arithmetic('+', static_cast<float>(g.f), static_cast<float>(a.floats[r]));
        } else if (t == TypeId::kFloat64 || t == TypeId::kFloat32) {
          double x = a.floats[r], sum = g.f + x;
          if (std::isinf(sum) && !std::isinf(g.f) && !std::isinf(x)) {
            Throw(SqlState::kNumericValueOutOfRange, "value out of range: overflow");
          }
          g.f = sum;
        } else if (t == TypeId::kNumeric) {
          g.x().num = g.x().num.Add(a.nums[r]);
        } else if (t == TypeId::kInterval) {
          Interval x = IntervalOf(a.ints[r], a.ints2[r]);
          g.x().v = Value::Interval(g.count == 1 ? x : IntervalAdd(IntervalOf(g.x().v), x));
        } else {
          g.x().num = g.x().num.Add(CastValue(a.Get(r), Type::Of(TypeId::kNumeric)).num);
        }
      }
      return;
    }
    case AggKind::kVarSamp:
    case AggKind::kVarPop:
    case AggKind::kStddevSamp:
    case AggKind::kStddevPop: {
      const Vector& a = *args[0];
      const TypeId t = a.type.id;
      const bool floats = t == TypeId::kFloat64 || t == TypeId::kFloat32;
      for (size_t r = 0; r < n; ++r) {
        if (!use[r]) continue;
        AggState& g = s[group_ids[r]];
        g.has = true;
        if (floats) {
          // float8_accum: Youngs-Cramer (N, Sx, Sxx).
          const double x = a.floats[r];
          const double old_n = static_cast<double>(g.count), old_sx = g.f;
          ++g.count;
          const double nn = static_cast<double>(g.count);
          g.f += x;
          if (old_n > 0.0) {
            double tmp = x * nn - g.f;
            g.x().f2 += tmp * tmp / (nn * old_n);
            if (std::isinf(g.f) || std::isinf(g.x().f2)) {
              if (!std::isinf(old_sx) && !std::isinf(x)) {
                Throw(SqlState::kNumericValueOutOfRange, "value out of range: overflow");
              }
              g.x().f2 = std::numeric_limits<double>::quiet_NaN();
            }
          } else if (std::isnan(x) || std::isinf(x)) {
            g.x().f2 = std::numeric_limits<double>::quiet_NaN();
          }
          continue;
        }
        // numeric_accum: N, sum(X), sum(X*X); NaN and infinities only counted.
        ++g.count;
        Numeric x = t == TypeId::kNumeric ? a.nums[r] : Numeric::FromInt64(a.ints[r]);
        if (x.IsSpecial()) {
          if (x.IsNaN()) g.i = 1;  // a NaN makes every result NaN, even for one input
          g.x().special = true;
          continue;
        }
        g.x().num = g.x().num.Add(x);
        g.x().num2 = g.x().num2.Add(x.Mul(x));
      }
      return;
    }
    case AggKind::kMin:
    case AggKind::kMax: {
      const Vector& a = *args[0];
      bool is_min = spec_.kind == AggKind::kMin;
      for (size_t r = 0; r < n; ++r) {
        if (!use[r]) continue;
        AggState& g = s[group_ids[r]];
        if (a.phys == PhysClass::kInt) {
          int64_t x = a.ints[r];
          if (!g.has || (is_min ? x < g.i : x > g.i)) g.i = x;
        } else if (a.phys == PhysClass::kFloat) {
          double x = a.floats[r];
          auto less = [](double p, double q) {
            if (std::isnan(p)) return false;
            return std::isnan(q) || p < q;
          };
          if (!g.has || (is_min ? less(x, g.f) : less(g.f, x))) g.f = x;
        } else {
          Value x = a.Get(r);
          if (!g.has) {
            g.x().v = std::move(x);
          } else {
            int c = CompareValues(x, g.x().v);
            if (is_min ? c < 0 : c > 0) g.x().v = std::move(x);
          }
        }
        g.has = true;
      }
      return;
    }
    case AggKind::kBoolAnd:
    case AggKind::kBoolOr: {
      const Vector& a = *args[0];
      bool is_and = spec_.kind == AggKind::kBoolAnd;
      for (size_t r = 0; r < n; ++r) {
        if (!use[r]) continue;
        AggState& g = s[group_ids[r]];
        bool x = BoolAt(a, r) == 1;
        if (!g.has) {
          g.i = x;
        } else {
          g.i = is_and ? (g.i && x) : (g.i || x);
        }
        g.has = true;
      }
      return;
    }
    case AggKind::kFirst:
    case AggKind::kLast: {
      // TimescaleDB's bookend aggregates: the first row sets the state; a later row replaces
      // it when its time is not NULL and strictly earlier (first) / later (last), or the
      // state's time is NULL.
      const bool first = spec_.kind == AggKind::kFirst;
      for (size_t r = 0; r < n; ++r) {
        if (!use[r]) continue;
        AggState& g = s[group_ids[r]];
        if (g.has) {
          if (args[1]->nulls[r]) continue;
          if (!g.x().key.is_null) {
            const Value t = args[1]->Get(r);
            const int c = CompareValues(t, g.x().key);
            if (first ? c >= 0 : c <= 0) continue;
          }
        }
        g.x().v = args[0]->Get(r);
        g.x().key = args[1]->Get(r);
        g.has = true;
      }
      return;
    }
    case AggKind::kHistogram: {
      // TimescaleDB's histogram: nbuckets + 2 counts, the bucket as width_bucket's.
      for (size_t r = 0; r < n; ++r) {
        if (!use[r]) continue;
        AggState& g = s[group_ids[r]];
        const double lo = args[1]->nulls[r] ? 0 : args[1]->floats[r];
        const double hi = args[2]->nulls[r] ? 0 : args[2]->floats[r];
        if (lo > hi) Throw(SqlState::kInternalError, "lower bound cannot exceed upper bound");
        const int64_t nbuckets = args[3]->nulls[r] ? 0 : args[3]->ints[r];
        std::vector<int32_t>& counts = g.x().counts;
        if (!g.has) counts.assign(static_cast<size_t>(std::max<int64_t>(nbuckets, 0)) + 2, 0);
        if (nbuckets != static_cast<int64_t>(counts.size()) - 2) {
          Throw(SqlState::kInternalError, "number of buckets must not change between calls");
        }
        const int32_t b = WidthBucketFloat8(args[0]->floats[r], lo, hi, nbuckets);
        if (counts[b] >= std::numeric_limits<int32_t>::max() - 1) {
          Throw(SqlState::kInternalError, "overflow in histogram");
        }
        ++counts[b];
        g.has = true;
      }
      return;
    }
    case AggKind::kArrayAgg: {
      for (size_t r = 0; r < n; ++r) {
        if (!use[r]) continue;
        AggState& g = s[group_ids[r]];
        g.x().values.push_back(args[0]->Get(r));
        if (args.size() > 1) {
          std::vector<Value> key;
          for (size_t k = 1; k < args.size(); ++k) key.push_back(args[k]->Get(r));
          g.x().keys.push_back(std::move(key));
        }
        g.has = true;
      }
      return;
    }
    case AggKind::kStringAgg: {
      const Vector& a = *args[0];
      const Vector* d = args.size() > 1 ? args[1] : nullptr;
      for (size_t r = 0; r < n; ++r) {
        if (!use[r]) continue;
        AggState& g = s[group_ids[r]];
        if (g.has && d && !d->nulls[r]) g.x().str += TextOf(*d, r, st.ctx.format);
        g.x().str += TextOf(a, r, st.ctx.format);
        g.has = true;
      }
      return;
    }
  }
}

bool AggregateEvaluator::Combinable(const planner::AggregateSpec& spec) {
  if (spec.distinct || !spec.order_descending.empty()) return false;
  switch (spec.kind) {
    case AggKind::kCountStar:
    case AggKind::kCount:
    case AggKind::kSum:
    case AggKind::kAvg:
    case AggKind::kMin:
    case AggKind::kMax:
    case AggKind::kBoolAnd:
    case AggKind::kBoolOr:
    case AggKind::kGrouping:
      return true;
    case AggKind::kBitAnd:
    case AggKind::kBitOr:
    case AggKind::kBitXor:
      return spec.result_type.id != TypeId::kBit;
    default:
      return false;
  }
}

void AggregateEvaluator::Combine(AggState* into, const AggState& from) const {
  AggState& g = *into;
  switch (spec_.kind) {
    case AggKind::kGrouping:
      return;
    case AggKind::kBitAnd:
    case AggKind::kBitOr:
    case AggKind::kBitXor:
      if (!from.has) return;
      g.i = !g.has                           ? from.i
            : spec_.kind == AggKind::kBitAnd ? (g.i & from.i)
            : spec_.kind == AggKind::kBitOr  ? (g.i | from.i)
                                             : (g.i ^ from.i);
      g.has = true;
      return;
    case AggKind::kCountStar:
    case AggKind::kCount:
      g.count += from.count;
      return;
    case AggKind::kSum:
    case AggKind::kAvg: {
      if (!from.has) return;
      const TypeId t = spec_.args[0]->type.id;
      const bool first = !g.has;
      g.has = true;
      g.count += from.count;
      if (t == TypeId::kMoney) {
        if (__builtin_add_overflow(g.i, from.i, &g.i)) {
          Throw(SqlState::kNumericValueOutOfRange, "money out of range");
        }
      } else if (IsIntegerType(t)) {
        if (spec_.kind == AggKind::kSum && t != TypeId::kInt64) {
          if (__builtin_add_overflow(g.i, from.i, &g.i)) ThrowIntegerOutOfRange(TypeId::kInt64);
        } else {
          g.wide += from.wide;
        }
      } else if (t == TypeId::kFloat32 && spec_.kind == AggKind::kSum) {
        g.f = Float4Arithmetic('+', static_cast<float>(g.f), static_cast<float>(from.f));
      } else if (t == TypeId::kFloat64 || t == TypeId::kFloat32) {
        double sum = g.f + from.f;
        if (std::isinf(sum) && !std::isinf(g.f) && !std::isinf(from.f)) {
          Throw(SqlState::kNumericValueOutOfRange, "value out of range: overflow");
        }
        g.f = sum;
      } else if (t == TypeId::kInterval) {
        g.x().v = first ? from.x().v
                        : Value::Interval(IntervalAdd(IntervalOf(g.x().v), IntervalOf(from.x().v)));
      } else {
        g.x().num = g.x().num.Add(from.x().num);
      }
      return;
    }
    case AggKind::kMin:
    case AggKind::kMax: {
      if (!from.has) return;
      const bool is_min = spec_.kind == AggKind::kMin;
      const PhysClass p = PhysClassOf(spec_.args[0]->type.id);
      if (!g.has) {
        g.i = from.i;
        g.f = from.f;
        if (from.extra) g.x().v = from.x().v;
      } else if (p == PhysClass::kInt) {
        if (is_min ? from.i < g.i : from.i > g.i) g.i = from.i;
      } else if (p == PhysClass::kFloat) {
        auto less = [](double x, double y) {
          if (std::isnan(x)) return false;
          return std::isnan(y) || x < y;
        };
        if (is_min ? less(from.f, g.f) : less(g.f, from.f)) g.f = from.f;
      } else {
        int c = CompareValues(from.x().v, g.x().v);
        if (is_min ? c < 0 : c > 0) g.x().v = from.x().v;
      }
      g.has = true;
      return;
    }
    case AggKind::kBoolAnd:
    case AggKind::kBoolOr:
      if (!from.has) return;
      if (!g.has) {
        g.i = from.i;
      } else {
        g.i = spec_.kind == AggKind::kBoolAnd ? (g.i && from.i) : (g.i || from.i);
      }
      g.has = true;
      return;
    default:
      Throw(SqlState::kInternalError, "aggregate cannot be combined");
  }
}

Value AggregateEvaluator::Finalize(const AggState& g, size_t grouping_set) const {
  Type rt = spec_.result_type;
  if (ordered()) return FinalizeOrdered(g);
  switch (spec_.kind) {
    case AggKind::kGrouping:
      return Value::Int(TypeId::kInt32, spec_.grouping_masks.at(grouping_set));
    case AggKind::kBitAnd:
    case AggKind::kBitOr:
    case AggKind::kBitXor:
      if (!g.has) return Value::Null(rt);
      if (rt.id == TypeId::kBit) return g.x().v;
      return Value::Int(rt.id, g.i);
    default:
      if (IsRegression(spec_.kind)) return RegrFinal(spec_.kind, g, rt);
      break;
    case AggKind::kCountStar:
    case AggKind::kCount:
      return Fit(Value::Int64(g.count), rt);
    case AggKind::kSum: {
      if (!g.has) return Value::Null(rt);
      TypeId t = spec_.args[0]->type.id;
      if (t == TypeId::kMoney) return Value::Int(TypeId::kMoney, g.i);
      if (IsIntegerType(t)) {
        if (t != TypeId::kInt64) return Fit(Value::Int64(g.i), rt);
        return Fit(Value::Num(Int128ToNumeric(g.wide)), rt);
      }
      if (t == TypeId::kFloat64) return Fit(Value::Float64(g.f), rt);
      if (t == TypeId::kFloat32) return Float4Value(static_cast<float>(g.f));
      if (t == TypeId::kInterval) return g.x().v;
      return Fit(Value::Num(g.x().num), rt);
    }
    case AggKind::kAvg: {
      if (!g.has) return Value::Null(rt);
      TypeId t = spec_.args[0]->type.id;
      if (t == TypeId::kFloat64 || t == TypeId::kFloat32) {
        return Fit(Value::Float64(g.f / static_cast<double>(g.count)), rt);
      }
      if (t == TypeId::kInterval) {
        return Value::Interval(IntervalDiv(IntervalOf(g.x().v), static_cast<double>(g.count)));
      }
      Numeric sum = IsIntegerType(t) ? Int128ToNumeric(g.wide) : g.x().num;
      return Fit(Value::Num(sum.Div(Numeric::FromInt64(g.count))), rt);
    }
    case AggKind::kMin:
    case AggKind::kMax: {
      if (!g.has) return Value::Null(rt);
      Type at = spec_.args[0]->type;
      PhysClass p = PhysClassOf(at.id);
      Value v;
      if (p == PhysClass::kInt) {
        v = Value::Int(at.id, g.i);
        v.type = at;
      } else if (p == PhysClass::kFloat) {
        v = Value::Float64(g.f);
      } else {
        v = g.x().v;
      }
      return Fit(v, rt);
    }
    case AggKind::kBoolAnd:
    case AggKind::kBoolOr:
      if (!g.has) return Value::Null(rt);
      return Fit(Value::Bool(g.i != 0), rt);
    case AggKind::kStringAgg:
      if (!g.has) return Value::Null(rt);
      return Fit(Value::Text(g.x().str, rt.id == TypeId::kBytea ? TypeId::kBytea : TypeId::kText),
                 rt);
    case AggKind::kVarSamp:
    case AggKind::kVarPop:
    case AggKind::kStddevSamp:
    case AggKind::kStddevPop: {
      const bool sample = spec_.kind == AggKind::kVarSamp || spec_.kind == AggKind::kStddevSamp;
      const bool variance = spec_.kind == AggKind::kVarSamp || spec_.kind == AggKind::kVarPop;
      if (rt.id == TypeId::kNumeric && g.i != 0) return Value::Num(Numeric::NaN());
      if (g.count <= (sample ? 1 : 0)) return Value::Null(rt);
      if (rt.id == TypeId::kFloat64) {
        double num = g.x().f2 < 0.0 ? 0.0 : g.x().f2;
        double r = num / (static_cast<double>(g.count) - (sample ? 1.0 : 0.0));
        return Value::Float64(variance ? r : std::sqrt(r));
      }
      // numeric_stddev_internal.
      if (g.x().special) return Value::Num(Numeric::NaN());
      const Numeric n = Numeric::FromInt64(g.count);
      const int rscale = g.x().num.display_scale() * 2;
      Numeric sum_sq = g.x().num.Mul(g.x().num).Round(rscale);
      Numeric numer = n.Mul(g.x().num2).Round(rscale).Sub(sum_sq);
      if (numer.Compare(Numeric()) <= 0) return Value::Num(Numeric());
      Numeric denom = n.Mul(sample ? n.Sub(Numeric::FromInt64(1)) : n);
      // select_div_scale, through Div; sqrt_var at the same scale.
      Numeric var = numer.Div(denom);
      if (variance) return Value::Num(var);
      const int scale = var.display_scale();
      return Value::Num(var.Sqrt().Round(scale));
    }
    case AggKind::kFirst:
    case AggKind::kLast:
      if (!g.has) return Value::Null(rt);
      return g.x().v;
    case AggKind::kHistogram: {
      if (!g.has) return Value::Null(rt);
      std::vector<Value> counts;
      for (int32_t c : g.x().counts) counts.push_back(Value::Int32(c));
      return AccumulateArray(counts, rt);
    }
    case AggKind::kArrayAgg: {
      if (!g.has) return Value::Null(rt);
      if (g.x().keys.empty()) return AccumulateArray(g.x().values, rt);
      std::vector<size_t> order(g.x().values.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
        for (size_t k = 0; k < g.x().keys[x].size(); ++k) {
          const Value& a = g.x().keys[x][k];
          const Value& b = g.x().keys[y][k];
          if (a.is_null || b.is_null) {
            if (a.is_null == b.is_null) continue;
            return a.is_null == static_cast<bool>(spec_.order_nulls_first[k]);
          }
          int c = CompareValues(a, b);
          if (c != 0) return spec_.order_descending[k] ? c > 0 : c < 0;
        }
        return false;
      });
      std::vector<Value> sorted;
      sorted.reserve(order.size());
      for (size_t i : order) sorted.push_back(g.x().values[i]);
      return AccumulateArray(sorted, rt);
    }
  }
  return Value::Null(rt);
}

}  // namespace activestore::executor
