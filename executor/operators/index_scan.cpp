// kIndexScan: evaluates the equality prefix (key_exprs, cast to key_types as a lookup does) and
// the range bounds when the first batch is asked for, turns them into a range of encoded key
// bytes and reads it through storage::IndexRangeReader (every shard, merged in key order, or
// in descending order with scan_backward; range_not_null ends the range before the NULLs),
// projecting each row to `columns` and filtering it with `predicate`, which repeats every
// conjunct: a bound widened to the key's type (below) or a row changed between the index read
// and the row read is checked exactly there. The reader is lazy, so batches start small when a
// LIMIT above bounds the rows wanted (SetRowBound) and double from there: ORDER BY k LIMIT 10
// reads about ten entries per shard.
#include <algorithm>
#include <cmath>
#include <limits>

#include "common/error.h"
#include "common/value_ops.h"
#include "executor/executor.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"
#include "planner/index_scan_planner.h"
#include "storage/encoding.h"
#include "storage/table_store.h"

namespace activestore::executor {

namespace {

enum class Bound { kKey, kNone, kEmpty };

constexpr int64_t kUsecPerDay = 86'400'000'000;
// A time-zone offset is less than a day, so a timestamptz bound shifted by two days bounds a
// timestamp (or date) column loosely whatever the session's zone.
constexpr int64_t kZoneMargin = 2 * kUsecPerDay;

int64_t AddSat(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) {
    return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  }
  return r;
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// The key value of a range bound `v` (the bound expression's value) on a key element of type
// `key`: exact when v has the key's family, else widened outwards (an integer key under a
// numeric or float8 bound, a date or timestamp key under a later date/time type) with
// *inclusive set: the range then holds every row the comparison can accept, and the predicate
// decides. kNone: no bound on that side; kEmpty: no row can match (a NULL bound, a lower bound
// past every value).
Bound RangeBoundKey(const Value& v, TypeId key, bool lower, bool* inclusive, Value* out) {
  if (v.is_null) return Bound::kEmpty;
  const TypeId t = v.type.id;
  if (IsIntegerType(key)) {
    if (IsIntegerType(t)) {
      *out = Value::Int64(v.i);
      return Bound::kKey;
    }
    int64_t r;
    try {
      r = CastValue(v, Type::Of(TypeId::kInt64)).i;
    } catch (const Error&) {
      // NaN (above every number), infinities and values past int8's range.
      const bool high = CompareValues(v, Value::Int64(0)) > 0;
      return high == lower ? Bound::kEmpty : Bound::kNone;
    }
    *out = Value::Int64(AddSat(r, lower ? -1 : 1));
    *inclusive = true;
    return Bound::kKey;
  }
  if (key == TypeId::kFloat32 || key == TypeId::kFloat64) {
    if (t != TypeId::kFloat32 && t != TypeId::kFloat64) return Bound::kNone;
    *out = Value::Float64(v.f);
    return Bound::kKey;
  }
  if (key == TypeId::kText || key == TypeId::kVarchar || key == TypeId::kName) {
    if (t != TypeId::kText && t != TypeId::kVarchar && t != TypeId::kName) return Bound::kNone;
    *out = v;
    return Bound::kKey;
  }
  if (t == key) {
    *out = v;
    return Bound::kKey;
  }
  if ((key == TypeId::kDate || key == TypeId::kTimestamp) &&
      (t == TypeId::kTimestamp || t == TypeId::kTimestampTz)) {
    // Infinite and near-infinite bounds (datetime_cmp_promote's) give no useful range.
    if (v.i > (int64_t{1} << 62) || v.i < -(int64_t{1} << 62)) return Bound::kNone;
    int64_t u = v.i;
    if (t == TypeId::kTimestampTz) u += lower ? -kZoneMargin : kZoneMargin;
    if (key == TypeId::kDate) {
      *out = Value::Int(TypeId::kDate, FloorDiv(u, kUsecPerDay) + (lower ? 0 : 1));
    } else {
      *out = Value::Int(TypeId::kTimestamp, u);
    }
    *inclusive = true;
    return Bound::kKey;
  }
  return Bound::kNone;
}

class IndexScanOperator : public Operator {
 public:
  IndexScanOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {
    if (!plan.table) Throw(SqlState::kInternalError, "index scan without a table");
    size_t elements = plan.table->primary_key.size();
    if (plan.index_oid != 0) {
      for (const auto& i : plan.table->indexes) {
        if (i.oid == plan.index_oid) index_ = &i;
      }
      if (index_ == nullptr) Throw(SqlState::kInternalError, "index scan on a missing index");
      elements = planner::EntryKeyColumns(*plan.table, *index_).size();
    }
    const size_t range = plan.range_lower || plan.range_upper ? 1 : 0;
    if (plan.key_exprs.size() + range > elements ||
        plan.key_types.size() != plan.key_exprs.size() + range) {
      Throw(SqlState::kInternalError, "index scan with a bad key");
    }
  }

  void SetRowBound(uint64_t n) override {
    batch_ = static_cast<size_t>(std::clamp<uint64_t>(n, 1, kBatchSize));
  }

  bool Next(DataChunk* out) override {
    out->Clear();
    if (done_) return false;
    st_.CheckCancel();
    if (!reader_ && !Start()) {
      done_ = true;
      return false;
    }
    const storage::TableInfo& table = *plan_.table;
    std::vector<Type> types;
    for (int c : plan_.columns) types.push_back(table.columns[c].type);
    for (;;) {
      out->Init(types);
      storage::StoredRow row;
      size_t n = 0;
      while (n < batch_ && reader_->Next(&row)) {
        for (size_t k = 0; k < plan_.columns.size(); ++k) {
          out->columns[k].Append(row.row[plan_.columns[k]]);
        }
        if (plan_.emit_row_location) {
          out->locations.push_back({row.shard, row.key, row.version, row.key_version});
        }
        ++n;
      }
      out->size = n;
      batch_ = std::min(batch_ * 2, kBatchSize);
      if (n == 0) {
        done_ = true;
        out->Clear();
        return false;
      }
      if (plan_.predicate) {
        std::vector<uint32_t> sel;
        EvaluatePredicate(*plan_.predicate, *out, st_, &sel);
        if (sel.size() != out->size) *out = out->Select(sel);
      }
      if (out->size > 0) return true;
      st_.CheckCancel();
    }
  }

 private:
  // Evaluates the key and bounds and opens the reader; false when no row can match.
  bool Start() {
    if (!st_.ctx.txn) Throw(SqlState::kInternalError, "index scan without a transaction");
    std::vector<Value> prefix(plan_.key_exprs.size());
    for (size_t i = 0; i < plan_.key_exprs.size(); ++i) {
      if (!EvaluateLookupKey(*plan_.key_exprs[i], plan_.key_types[i], st_, &prefix[i])) {
        return false;
      }
    }
    const std::string base = storage::EncodeKey(prefix);
    std::string lower = base, upper = storage::PrefixSuccessor(base);
    if (plan_.range_lower || plan_.range_upper) {
      const TypeId key = plan_.key_types.back().id;
      auto side = [&](const planner::BoundExprPtr& e, bool is_lower, bool inclusive,
                      std::string* bytes) {
        if (!e) return true;
        Value v;
        switch (RangeBoundKey(EvaluateConstant(*e, st_), key, is_lower, &inclusive, &v)) {
          case Bound::kEmpty:
            return false;
          case Bound::kNone:
            return true;
          case Bound::kKey:
            break;
        }
        *bytes = base;
        storage::AppendKeyValue(v, bytes);
        // An exclusive lower or inclusive upper end steps past every key with that value (each
        // encoded value is self-delimiting: those keys all start with these bytes).
        if (is_lower != inclusive) *bytes = storage::PrefixSuccessor(*bytes);
        return true;
      };
      if (!side(plan_.range_lower, true, plan_.range_lower_inclusive, &lower) ||
          !side(plan_.range_upper, false, plan_.range_upper_inclusive, &upper)) {
        return false;
      }
    }
    if (plan_.range_not_null) {
      // NULL's key bytes sort after every value's (storage/encoding.h): the range ends there.
      std::string below_null = base;
      storage::AppendKeyValue(Value::Null(), &below_null);
      if (upper.empty() || below_null < upper) upper = std::move(below_null);
    }
    if (!upper.empty() && lower >= upper) return false;
    reader_.emplace(st_.ctx.txn, plan_.table, index_, std::move(lower), std::move(upper),
                    plan_.emit_row_location, plan_.scan_backward);
    return true;
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  const storage::IndexInfo* index_ = nullptr;  // null: the primary key
  std::optional<storage::IndexRangeReader> reader_;
  size_t batch_ = kBatchSize;  // rows per batch: grows from a LIMIT's bound
  bool done_ = false;
};

}  // namespace

OperatorPtr MakeIndexScanOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<IndexScanOperator>(plan, state);
}

}  // namespace activestore::executor
