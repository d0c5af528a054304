// kLimit: skips `offset` rows and passes at most `limit` rows (NULL limit: no limit).
// Errors: 2201W `LIMIT must not be negative`, 2201X `OFFSET must not be negative`.
#include <cstdint>

#include "common/error.h"
#include "common/value_ops.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"

namespace activestore::executor {

namespace {

// The count as int8, or -1 for NULL.
int64_t EvalCount(const planner::BoundExprPtr& e, ExecState& st) {
  if (!e) return -1;
  Value v = EvaluateConstant(*e, st);
  if (v.is_null) return -1;
  if (v.type.id != TypeId::kInt64) v = CastValue(v, Type::Of(TypeId::kInt64), st.ctx.format);
  return v.i < 0 ? -2 : v.i;
}

class LimitOperator : public Operator {
 public:
  LimitOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), st_(st), child_(BuildOperator(*plan.children.at(0), st)) {}

  bool Next(DataChunk* out) override {
    if (!init_) {
      init_ = true;
      offset_ = EvalCount(plan_.offset, st_);
      if (offset_ == -2) {
        Throw(SqlState::kInvalidRowCountInResultOffsetClause, "OFFSET must not be negative");
      }
      if (offset_ < 0) offset_ = 0;
      limit_ = EvalCount(plan_.limit, st_);
      if (limit_ == -2)
        Throw(SqlState::kInvalidRowCountInLimitClause, "LIMIT must not be negative");
      if (limit_ >= 0 && limit_ <= INT64_MAX - offset_ && !plan_.with_ties) {
        child_->SetRowBound(static_cast<uint64_t>(offset_ + limit_));
      }
    }
    while ((limit_ != 0 || (ties_ && !ties_done_)) && child_->Next(out)) {
      size_t begin = 0;
      if (offset_ > 0) {
        size_t skip = std::min<uint64_t>(offset_, out->size);
        offset_ -= static_cast<int64_t>(skip);
        begin = skip;
      }
      size_t end = out->size;
      if (limit_ > 0) end = std::min<uint64_t>(end, begin + limit_);
      if (plan_.with_ties && begin < out->size) {
        if (ties_) {
          end = begin;  // the limit was reached in an earlier batch
        } else if (limit_ > 0 && end - begin == static_cast<uint64_t>(limit_)) {
          ties_ = true;
          last_ = out->GetRow(end - 1);
        }
        if (ties_) {
          while (end < out->size && SameKeys(*out, end)) ++end;
          ties_done_ = end < out->size;
        }
      }
      if (end <= begin) continue;
      if (begin != 0 || end != out->size) {
        std::vector<uint32_t> sel;
        for (size_t r = begin; r < end; ++r) sel.push_back(static_cast<uint32_t>(r));
        *out = out->Select(sel);
      }
      if (limit_ > 0) limit_ -= std::min<int64_t>(limit_, static_cast<int64_t>(out->size));
      return true;
    }
    out->Clear();
    return false;
  }

 private:
  // Whether row r has the sort keys of the last row within the limit (WITH TIES).
  bool SameKeys(const DataChunk& c, size_t r) const {
    for (const planner::SortKey& k : plan_.sort_keys) {
      const int col = k.expr->column_index;
      const Value v = c.columns[col].Get(r);
      const Value& w = last_[col];
      if (v.is_null != w.is_null) return false;
      if (!v.is_null && CompareValues(v, w) != 0) return false;
    }
    return true;
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  OperatorPtr child_;
  bool init_ = false;
  int64_t offset_ = 0;
  int64_t limit_ = -1;  // -1: no limit
  // WITH TIES: the limit was reached (at row last_), and a row with other keys followed.
  bool ties_ = false, ties_done_ = false;
  std::vector<Value> last_;
};

}  // namespace

OperatorPtr MakeLimitOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<LimitOperator>(plan, state);
}

}  // namespace activestore::executor
