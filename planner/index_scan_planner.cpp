#include "planner/index_scan_planner.h"

#include "common/value_ops.h"
#include "planner/bound_expr_util.h"
#include "planner/column_bounds.h"
#include "planner/type_rules.h"

namespace activestore::planner {

namespace {

bool IsStringKey(TypeId t) {
  return t == TypeId::kText || t == TypeId::kVarchar || t == TypeId::kName;
}

// Whether a bound of type `value` compared with the bare key column of type `key` is read by
// the executor (executor/operators/index_scan.cpp, RangeBoundKey) without loss.
bool SameKeyFamily(TypeId key, TypeId value) {
  if (IsIntegerType(key)) return IsIntegerType(value);
  if (key == TypeId::kFloat32 || key == TypeId::kFloat64) {
    return value == TypeId::kFloat32 || value == TypeId::kFloat64;
  }
  if (IsStringKey(key)) return IsStringKey(value);
  return key == value;  // date, timestamp, timestamptz
}

// Whether `e` is the key column `column` (FROM-row index) of type `key`, bare or widened as the
// binder widens it for a comparison with another type: an integer as numeric or float8, a
// float4 as float8 (casts), a date or timestamp promoted to a later date/time type
// (datetime_cmp_promote). Each widening keeps the order, so the bound maps back to a range of
// the key (loosely; the predicate re-checks).
bool IsKeyOperand(const BoundExprPtr& e, int column, TypeId key) {
  if (e->kind == BoundExprKind::kColumn) return e->column_index == column;
  if (e->children.size() != 1) return false;
  const BoundExprPtr& c = e->children[0];
  if (c->kind != BoundExprKind::kColumn || c->column_index != column) return false;
  const TypeId to = e->type.id;
  if (e->kind == BoundExprKind::kCast) {
    if (IsIntegerType(key)) return to == TypeId::kNumeric || to == TypeId::kFloat64;
    return key == TypeId::kFloat32 && to == TypeId::kFloat64;
  }
  if (e->kind == BoundExprKind::kFunction && e->op == "datetime_cmp_promote") {
    return (key == TypeId::kDate || key == TypeId::kTimestamp) &&
           (to == TypeId::kTimestamp || to == TypeId::kTimestampTz);
  }
  return false;
}

// The comparison `key op value` that conjunct `e` makes of the key column, op as seen from the
// key's side; nullopt when it is not one.
std::optional<ColumnBound> KeyComparison(const BoundExprPtr& e, int column, TypeId key) {
  if (e->kind != BoundExprKind::kCompare || e->children.size() != 2 || ContainsSubquery(e)) {
    return std::nullopt;
  }
  static const std::pair<const char*, const char*> kOps[] = {
      {"=", "="}, {"<", ">"}, {"<=", ">="}, {">", "<"}, {">=", "<="}};
  for (int side = 0; side < 2; ++side) {
    const BoundExprPtr& k = e->children[side];
    const BoundExprPtr& v = e->children[1 - side];
    if (!IsKeyOperand(k, column, key) || !IsRowIndependent(v)) continue;
    if (k->kind == BoundExprKind::kColumn && !SameKeyFamily(key, v->type.id)) continue;
    if (k->kind != BoundExprKind::kColumn && v->type.id != k->type.id) continue;
    for (const auto& [op, flipped] : kOps) {
      if (e->op == op) return ColumnBound{side == 0 ? op : flipped, v};
    }
  }
  return std::nullopt;
}

struct Candidate {
  const storage::IndexInfo* index = nullptr;  // null: the primary key
  std::vector<BoundExprPtr> keys;
  std::vector<Type> key_types;
  BoundExprPtr lower, upper;
  bool lower_inclusive = false, upper_inclusive = false;
  // PostgreSQL's default selectivities: an equated element or a range with both ends is
  // selective (0.005); ranks candidates by equated elements first.
  int Rank() const {
    return static_cast<int>(keys.size()) * 4 + (lower && upper ? 2 : 0) + (index ? 0 : 1);
  }
  bool Selective() const { return !keys.empty() || (lower && upper); }
};

// The candidate of one key (its element columns), or nullopt.
std::optional<Candidate> CandidateFor(const storage::TableInfo& table, int first,
                                      const std::vector<int>& columns,
                                      const std::vector<BoundExprPtr>& conjuncts) {
  Candidate c;
  for (int col : columns) {
    if (col < 0) return std::nullopt;
    const Type& type = table.columns[col].type;
    BoundExprPtr key;
    for (const BoundExprPtr& e : conjuncts) {
      if (e->kind != BoundExprKind::kCompare || e->op != "=" || ContainsSubquery(e)) continue;
      for (int side = 0; side < 2 && !key; ++side) {
        const BoundExprPtr& k = e->children[side];
        if (k->kind == BoundExprKind::kColumn && k->column_index == first + col) {
          key = KeyExpr(e->children[1 - side], type);
        }
      }
      if (key) break;
    }
    if (!key) break;
    c.keys.push_back(std::move(key));
    c.key_types.push_back(type);
  }
  if (c.keys.size() == columns.size()) return std::nullopt;  // a lookup's case
  const int col = columns[c.keys.size()];
  const TypeId key = table.columns[col].type.id;
  if (RangeKeyType(key)) {
    for (const BoundExprPtr& e : conjuncts) {
      auto b = KeyComparison(e, first + col, key);
      if (!b) continue;
      const bool lower = b->op != "<" && b->op != "<=";
      const bool upper = b->op != ">" && b->op != ">=";
      if (lower && !c.lower) {
        c.lower = b->value;
        c.lower_inclusive = b->op != ">";
      }
      if (upper && !c.upper) {
        c.upper = b->value;
        c.upper_inclusive = b->op != "<";
      }
    }
    if (c.lower || c.upper) c.key_types.push_back(table.columns[col].type);
  }
  if (!c.Selective()) return std::nullopt;
  return c;
}

}  // namespace

BoundExprPtr KeyExpr(const BoundExprPtr& other, Type key_type) {
  if (!IsRowIndependent(other)) return nullptr;
  TypeId from = other->type.id, to = key_type.id;
  if (from == to) return other;
  if (CategoryOf(from) == TypeCategory::kString && CategoryOf(to) == TypeCategory::kString &&
      from != TypeId::kBpchar && to != TypeId::kBpchar) {
    return other;  // text and varchar compare alike
  }
  if (IsIntegerType(from) && IsIntegerType(to) && IsConst(other)) {
    try {
      Value v = CastValue(other->value, key_type);
      v.type = key_type;
      return MakeConst(std::move(v));
    } catch (const Error&) {
      return nullptr;  // out of the key type's range: no row can match; scan instead
    }
  }
  if (IsIntegerType(from) && IsIntegerType(to) && TypeLength(from) <= TypeLength(to)) {
    // A parameter (a lifted literal, parser/normalize.h) of a narrower integer type: always
    // in range, so the key is the value widened.
    return MakeExpr(BoundExprKind::kCast, key_type, {other});
  }
  return nullptr;
}

bool RangeKeyType(TypeId t) {
  return IsIntegerType(t) || t == TypeId::kFloat32 || t == TypeId::kFloat64 || IsStringKey(t) ||
         t == TypeId::kDate || t == TypeId::kTimestamp || t == TypeId::kTimestampTz;
}

std::shared_ptr<PlanNode> IndexScanFor(const storage::TableInfo& table, int first,
                                       const std::vector<BoundExprPtr>& conjuncts) {
  std::optional<Candidate> best;
  auto consider = [&](std::optional<Candidate> c, const storage::IndexInfo* index) {
    if (!c) return;
    c->index = index;
    if (!best || c->Rank() > best->Rank()) best = std::move(c);
  };
  if (!table.primary_key.empty()) {
    consider(CandidateFor(table, first, table.primary_key, conjuncts), nullptr);
  }
  for (const storage::IndexInfo& index : table.indexes) {
    if (index.primary || !index.plain()) continue;
    consider(CandidateFor(table, first, index.columns, conjuncts), &index);
  }
  if (!best) return nullptr;
  auto scan = std::make_shared<PlanNode>();
  scan->kind = PlanKind::kIndexScan;
  scan->index_oid = best->index ? best->index->oid : 0;
  scan->key_exprs = std::move(best->keys);
  scan->key_types = std::move(best->key_types);
  scan->range_lower = std::move(best->lower);
  scan->range_upper = std::move(best->upper);
  scan->range_lower_inclusive = best->lower_inclusive;
  scan->range_upper_inclusive = best->upper_inclusive;
  return scan;
}

}  // namespace activestore::planner
