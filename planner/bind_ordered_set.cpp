// Ordered-set and hypothetical-set aggregates: f(direct args) WITHIN GROUP (ORDER BY keys).
//
// PostgreSQL evaluates the direct arguments once per group, over the grouped row (they may name
// grouped columns, which grouping sets may have made NULL), and the aggregated arguments over the
// group's input rows, sorted. Here the sorted input is collected by hidden array_agg aggregates
// (one per ORDER BY key, each ordered by all the keys; NULLs kept), and the call becomes a
// kFunction over the direct arguments and those arrays, evaluated above the Aggregate like any
// expression of the select list (executor/ordered_set.cpp):
//
//   percentile_cont(f) WITHIN GROUP (ORDER BY x)  ->  percentile_cont_final(f, array_agg(x ORDER BY
//   x)) rank(a, b) WITHIN GROUP (ORDER BY x, y)        ->  hypothetical_final('rank', 'ad', 'lf',
//   a, b,
//                                                        array_agg(x ORDER BY x, y DESC),
//                                                        array_agg(y ORDER BY x, y DESC))
#include "common/array.h"
#include "planner/binder.h"

namespace activestore::planner {

namespace {

bool IsHypothetical(const std::string& n) {
  return n == "rank" || n == "dense_rank" || n == "percent_rank" || n == "cume_dist";
}

}  // namespace

bool IsOrderedSetAggregateName(const std::string& n) {
  return n == "percentile_cont" || n == "percentile_disc" || n == "mode" || IsHypothetical(n);
}

BoundExprPtr Binder::BindOrderedSetAggregate(const ast::Expr& e, const std::string& name) {
  CheckAggregatePlace(e.location);
  // Direct arguments, keys and FILTER may not contain aggregates of this level.
  FlagScope in_aggregate(&in_aggregate_, true);
  std::vector<BoundExprPtr> direct, keys;
  std::vector<int> direct_locs, key_locs;
  for (const auto& a : e.args) {
    direct.push_back(BindExpr(*a));
    direct_locs.push_back(a->location);
  }
  for (const ast::SortItem& item : e.agg_order_by) {
    keys.push_back(BindExpr(*item.expr));
    key_locs.push_back(item.expr->location);
  }
  BoundExprPtr filter;
  if (e.filter) filter = BindCondition(*e.filter, "FILTER");
  const std::vector<BoundExprPtr> written = direct;  // before coercion, for messages
  auto no_function = [&]() {
    std::vector<BoundExprPtr> all = written;
    all.insert(all.end(), keys.begin(), keys.end());
    ThrowNoFunction(e.location, name, all);
  };

  const bool hypothetical = IsHypothetical(name);
  Type result;
  if (hypothetical) {
    if (direct.size() != keys.size()) no_function();
    // Each direct argument and its key take their common type (PostgreSQL's
    // hypothetical-set argument unification).
    for (size_t i = 0; i < keys.size(); ++i) {
      std::vector<BoundExprPtr> pair = {direct[i], keys[i]};
      if (pair[0]->type.id == TypeId::kUnknown && pair[1]->type.id == TypeId::kUnknown) {
        pair[0] = ResolveUnknown(pair[0], direct_locs[i]);
        pair[1] = ResolveUnknown(pair[1], key_locs[i]);
      } else {
        CommonType(&pair, {direct_locs[i], key_locs[i]}, "WITHIN GROUP");
      }
      direct[i] = pair[0];
      keys[i] = pair[1];
    }
    result = T(name == "rank" || name == "dense_rank" ? TypeId::kInt64 : TypeId::kFloat64);
  } else {
    const size_t want_direct = name == "mode" ? 0 : 1;
    if (direct.size() != want_direct || keys.size() != 1) no_function();
    keys[0] = ResolveUnknown(keys[0], key_locs[0]);
    bool fractions_array = false;
    if (want_direct == 1) {
      // percentile_*(float8) or percentile_*(float8[]).
      const TypeId t = direct[0]->type.id;
      const TypeId float_array = *ArrayTypeOf(TypeId::kFloat64);
      fractions_array = IsArrayType(t);
      const Type want = T(fractions_array ? float_array : TypeId::kFloat64);
      if (t != TypeId::kUnknown && t != want.id &&
          !CanCoerce(t, want.id, CoercionContext::kImplicit)) {
        no_function();
      }
      direct[0] = Coerce(direct[0], want, CoercionContext::kImplicit, direct_locs[0]);
    }
    if (name == "percentile_cont") {
      // float8 or interval keys.
      const TypeId t = keys[0]->type.id;
      if (t != TypeId::kInterval) {
        if (t != TypeId::kFloat64 && !CanCoerce(t, TypeId::kFloat64, CoercionContext::kImplicit)) {
          no_function();
        }
        keys[0] = Coerce(keys[0], T(TypeId::kFloat64), CoercionContext::kImplicit, key_locs[0]);
      }
    }
    result = keys[0]->type;
    result.typmod = -1;
    if (fractions_array) result = T(*ArrayTypeOf(result.id));
  }

  // The hidden aggregates: each key's values, sorted by all the keys.
  std::vector<BoundExprPtr> call_args;
  if (hypothetical) {
    std::string directions, nulls;
    for (const ast::SortItem& item : e.agg_order_by) {
      directions += item.descending ? 'd' : 'a';
      nulls += item.nulls_first.value_or(item.descending) ? 'f' : 'l';
    }
    call_args.push_back(MakeConst(Value::Text(name)));
    call_args.push_back(MakeConst(Value::Text(directions)));
    call_args.push_back(MakeConst(Value::Text(nulls)));
  }
  call_args.insert(call_args.end(), direct.begin(), direct.end());
  for (size_t k = 0; k < keys.size(); ++k) {
    std::optional<TypeId> array = ArrayTypeOf(keys[k]->type.id);
    if (!array || IsArrayType(keys[k]->type.id)) {
      ThrowAt(key_locs[k], SqlState::kFeatureNotSupported,
              "{} WITHIN GROUP is not supported for type {}", name, TypeDisplayName(keys[k]->type));
    }
    AggregateSpec spec;
    spec.kind = AggKind::kArrayAgg;
    spec.result_type = Type{*array, keys[k]->type.typmod};
    spec.filter = filter;
    spec.args.push_back(keys[k]);
    for (size_t j = 0; j < keys.size(); ++j) {
      const ast::SortItem& item = e.agg_order_by[j];
      spec.args.push_back(keys[j]);
      spec.order_descending.push_back(item.descending);
      spec.order_nulls_first.push_back(item.nulls_first.value_or(item.descending));
    }
    call_args.push_back(AddAggregate(std::move(spec)));
  }
  const std::string impl =
      hypothetical ? "hypothetical_final"
      : IsArrayType(result.id) && name != "mode" && IsArrayType(direct[0]->type.id)
          ? name + "_multi_final"
          : name + "_final";
  return MakeExpr(BoundExprKind::kFunction, result, std::move(call_args), impl);
}

}  // namespace activestore::planner
