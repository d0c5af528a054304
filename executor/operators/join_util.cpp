#include "executor/operators/join_util.h"

#include <unordered_set>

#include "common/value_ops.h"

namespace activestore::executor {

std::vector<Type> ColumnTypes(const DataChunk& c) {
  std::vector<Type> types;
  for (const auto& v : c.columns) types.push_back(v.type);
  return types;
}

void InitJoined(const std::vector<Type>& left, const std::vector<Type>& right, DataChunk* out) {
  std::vector<Type> types = left;
  types.insert(types.end(), right.begin(), right.end());
  out->Init(types);
}

void AppendJoinedRows(const DataChunk& left, const std::vector<int64_t>& l, const DataChunk& right,
                      const std::vector<int64_t>& r, DataChunk* out) {
  size_t nl = left.columns.size();
  for (size_t c = 0; c < nl; ++c) {
    Vector& dst = out->columns[c];
    for (int64_t i : l) {
      if (i < 0) {
        dst.AppendNull();
      } else {
        dst.AppendFrom(left.columns[c], static_cast<size_t>(i));
      }
    }
  }
  for (size_t c = 0; c < right.columns.size(); ++c) {
    Vector& dst = out->columns[nl + c];
    for (int64_t i : r) {
      if (i < 0) {
        dst.AppendNull();
      } else {
        dst.AppendFrom(right.columns[c], static_cast<size_t>(i));
      }
    }
  }
  if (!left.locations.empty()) {
    for (int64_t i : l) {
      out->locations.push_back(i >= 0 ? left.locations[i] : RowLocation{});
    }
  }
  out->size += l.size();
}

Type CommonKeyType(Type a, Type b) {
  if (a.id == b.id) return Type::Of(a.id);
  if (IsIntegerType(a.id) && IsIntegerType(b.id)) return Type::Of(TypeId::kInt64);
  if (IsNumericType(a.id) && IsNumericType(b.id)) {
    if (a.id == TypeId::kFloat64 || b.id == TypeId::kFloat64 || a.id == TypeId::kFloat32 ||
        b.id == TypeId::kFloat32) {
      return Type::Of(TypeId::kFloat64);
    }
    return Type::Of(TypeId::kNumeric);
  }
  if (IsStringType(a.id) && IsStringType(b.id)) return Type::Of(TypeId::kText);
  if (IsDateTimeType(a.id) && IsDateTimeType(b.id)) {
    if (a.id == TypeId::kTimestampTz || b.id == TypeId::kTimestampTz) {
      return Type::Of(TypeId::kTimestampTz);
    }
    return Type::Of(TypeId::kTimestamp);
  }
  return Type::Of(a.id);
}

void CastVectorTo(Vector* v, Type t, ExecState& st) {
  if (v->type.id == t.id) return;
  if (IsIntegerType(v->type.id) && IsIntegerType(t.id)) {
    v->type = t;
    return;
  }
  Vector out(t, v->size());
  for (size_t r = 0; r < v->size(); ++r) {
    if (v->nulls[r]) {
      out.nulls[r] = 1;
    } else {
      out.Set(r, CastValue(v->Get(r), t, st.ctx.format));
    }
  }
  *v = std::move(out);
}

}  // namespace activestore::executor

#include <algorithm>

#include "common/error.h"
#include "executor/expression_evaluator.h"

namespace activestore::executor {

using planner::JoinType;

JoinOperatorBase::JoinOperatorBase(const planner::PlanNode& plan, ExecState& st)
    : plan_(plan), st_(st) {
  if (plan.children.size() != 2) Throw(SqlState::kInternalError, "join needs two inputs");
  left_child_ = BuildOperator(*plan.children[0], st);
  right_child_ = BuildOperator(*plan.children[1], st);
  left_types_ = plan.children[0]->output_types;
}

JoinOperatorBase::JoinOperatorBase(const planner::PlanNode& plan, ExecState& st, OperatorPtr left,
                                   OperatorPtr right)
    : plan_(plan), st_(st), left_child_(std::move(left)), right_child_(std::move(right)) {
  left_types_ = plan.children.at(0)->output_types;
}

bool JoinOperatorBase::Next(DataChunk* out) {
  if (!built_) {
    built_ = true;
    if (plan_.runtime_key_id != 0) GiveRightItsKeys();
    if (right_given_) {
      right_ = std::move(*right_given_);
      right_given_.reset();
    } else {
      right_ = Materialize(*right_child_, plan_.children[1]->output_types, st_);
    }
    right_types_ = ColumnTypes(right_);
    right_matched_.assign(right_.size, 0);
    BuildRight();
    const JoinType t = plan_.join_type;
    if (right_.size == 0 && (t == JoinType::kInner || t == JoinType::kSemi)) {
      left_done_ = true;  // no row can match: the left side is never read
    } else if (plan_.runtime_key_id != 0 && left_.size > 0) {
      ProcessLeftBatch();
    }
  }
  while (true) {
    if (!pending_.empty()) {
      *out = std::move(pending_.front());
      pending_.pop_front();
      return true;
    }
    if (left_done_) {
      JoinType t = plan_.join_type;
      if (!right_emitted_ && (t == JoinType::kRight || t == JoinType::kFull)) {
        right_emitted_ = true;
        EmitRightUnmatched();
        continue;
      }
      out->Clear();
      return false;
    }
    st_.CheckCancel();
    if (plan_.runtime_key_id != 0 || !left_child_->Next(&left_)) {
      left_done_ = true;
      continue;
    }
    left_types_ = ColumnTypes(left_);
    ProcessLeftBatch();
  }
}

// The whole left side (a few catalog rows) is read first, so that the pg_catalog scan on the
// right builds only the rows whose key is among the left's keys (ExecState::catalog_keys).
void JoinOperatorBase::GiveRightItsKeys() {
  constexpr size_t kMaxKeys = 256;  // beyond this, building the whole relation is as cheap
  left_ = Materialize(*left_child_, plan_.children[0]->output_types, st_);
  left_types_ = ColumnTypes(left_);
  const planner::BoundExpr& key = *plan_.left_keys[plan_.runtime_key_index];
  Vector v;
  EvaluateExpression(key, left_, st_, &v);
  std::vector<Value> keys;
  // Integer-like keys (oids) of one type are equal when their words are: a hash set finds the
  // distinct ones (the left side may have thousands of rows).
  std::unordered_set<int64_t> seen;
  for (size_t r = 0; r < left_.size && keys.size() <= kMaxKeys; ++r) {
    if (v.nulls[r] != 0) continue;
    if (v.phys == PhysClass::kInt) {
      if (seen.insert(v.ints[r]).second) keys.push_back(v.Get(r));
      continue;
    }
    Value k = v.Get(r);
    if (std::none_of(keys.begin(), keys.end(),
                     [&](const Value& x) { return CompareValues(x, k) == 0; })) {
      keys.push_back(std::move(k));
    }
  }
  if (keys.size() <= kMaxKeys) {
    st_.catalog_keys[plan_.runtime_key_id] = std::move(keys);
  } else {
    st_.catalog_keys.erase(plan_.runtime_key_id);
  }
}

void JoinOperatorBase::ProcessLeftBatch() {
  left_matched_.assign(left_.size, 0);
  std::vector<int64_t> pl, pr;
  size_t pos = 0;
  while (pos < left_.size) {
    pos = Candidates(pos, left_.size, &pl, &pr);
    if (pl.size() >= kBatchSize || pos >= left_.size) FlushPairs(&pl, &pr);
  }
  FlushPairs(&pl, &pr);
  JoinType t = plan_.join_type;
  std::vector<uint32_t> sel;
  if (t == JoinType::kSemi || t == JoinType::kAnti) {
    for (size_t r = 0; r < left_.size; ++r) {
      if ((left_matched_[r] != 0) == (t == JoinType::kSemi))
        sel.push_back(static_cast<uint32_t>(r));
    }
    if (!sel.empty()) {
      pending_.push_back(left_.Select(sel));
    }
  } else if (t == JoinType::kLeft || t == JoinType::kFull) {
    std::vector<int64_t> l, r;
    for (size_t i = 0; i < left_.size; ++i) {
      if (!left_matched_[i]) {
        l.push_back(static_cast<int64_t>(i));
        r.push_back(-1);
      }
    }
    if (!l.empty()) {
      DataChunk c;
      InitJoined(left_types_, right_types_, &c);
      AppendJoinedRows(left_, l, right_, r, &c);
      pending_.push_back(std::move(c));
    }
  }
}

void JoinOperatorBase::FlushPairs(std::vector<int64_t>* pl, std::vector<int64_t>* pr) {
  if (pl->empty()) return;
  DataChunk c;
  InitJoined(left_types_, right_types_, &c);
  AppendJoinedRows(left_, *pl, right_, *pr, &c);
  std::vector<uint32_t> sel;
  if (plan_.predicate) {
    EvaluatePredicate(*plan_.predicate, c, st_, &sel);
  } else {
    sel.resize(c.size);
    for (size_t k = 0; k < c.size; ++k) sel[k] = static_cast<uint32_t>(k);
  }
  for (uint32_t k : sel) {
    left_matched_[(*pl)[k]] = 1;
    right_matched_[(*pr)[k]] = 1;
  }
  if (!LeftOnly(plan_.join_type) && !sel.empty()) {
    if (sel.size() == c.size) {
      pending_.push_back(std::move(c));
    } else {
      pending_.push_back(c.Select(sel));
    }
  }
  pl->clear();
  pr->clear();
}

void JoinOperatorBase::EmitRightUnmatched() {
  DataChunk empty_left;
  empty_left.Init(left_types_);
  std::vector<int64_t> l, r;
  auto flush = [&]() {
    if (r.empty()) return;
    DataChunk c;
    InitJoined(left_types_, right_types_, &c);
    AppendJoinedRows(empty_left, l, right_, r, &c);
    pending_.push_back(std::move(c));
    l.clear();
    r.clear();
  };
  for (size_t i = 0; i < right_.size; ++i) {
    if (right_matched_[i]) continue;
    l.push_back(-1);
    r.push_back(static_cast<int64_t>(i));
    if (r.size() >= kBatchSize) flush();
  }
  flush();
}

}  // namespace activestore::executor
