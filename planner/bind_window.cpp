// Window functions: f(...) OVER (...), WINDOW clauses, and the Sort + WindowAgg nodes that
// compute them (PostgreSQL's parse_clause.c transformWindowDefinitions, parse_agg.c
// transformWindowFuncCall and planner.c create_one_window_path).
//
// A call binds to a kWindowFunc placeholder indexing window_funcs_; its window is one of
// windows_ (identical windows are shared, so their functions run in one WindowAgg). After the
// GROUP BY rewrite, PlanWindows stacks a WindowAgg per window over the grouped rows (each with a
// Sort unless the rows already arrive in its order) and turns the placeholders into columns.
#include <algorithm>

#include "planner/binder.h"

namespace activestore::planner {

bool IsWindowFunctionName(const std::string& n) {
  return n == "row_number" || n == "rank" || n == "dense_rank" || n == "percent_rank" ||
         n == "cume_dist" || n == "ntile" || n == "lag" || n == "lead" || n == "first_value" ||
         n == "last_value" || n == "nth_value";
}

namespace {

bool SortKeysEqual(const std::vector<SortKey>& a, const std::vector<SortKey>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].descending != b[i].descending || a[i].nulls_first != b[i].nulls_first ||
        !ExprEquals(a[i].expr, b[i].expr)) {
      return false;
    }
  }
  return true;
}

bool ExprListsEqual(const std::vector<BoundExprPtr>& a, const std::vector<BoundExprPtr>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!ExprEquals(a[i], b[i])) return false;
  return true;
}

bool SameWindow(const WindowSpec& a, const WindowSpec& b) {
  return ExprListsEqual(a.partition_by, b.partition_by) && SortKeysEqual(a.order_by, b.order_by) &&
         a.mode == b.mode && a.start == b.start && a.end == b.end && a.exclusion == b.exclusion &&
         ExprEquals(a.start_offset, b.start_offset) && ExprEquals(a.end_offset, b.end_offset);
}

bool SameFunc(const WindowFunc& a, const WindowFunc& b) {
  return a.kind == b.kind && a.name == b.name && a.result_type == b.result_type &&
         ExprListsEqual(a.args, b.args) && a.agg.kind == b.agg.kind &&
         ExprListsEqual(a.agg.args, b.agg.args) && ExprEquals(a.agg.filter, b.agg.filter);
}

// The leftmost position of an expression as written (PostgreSQL's exprLocation: a cast's is its
// argument's, not the `::`'s).
int LeftmostLocation(const ast::Expr& e) {
  int loc = e.location;
  for (const auto& a : e.args) {
    if (!a) continue;
    const int l = LeftmostLocation(*a);
    if (l >= 0 && (loc < 0 || l < loc)) loc = l;
  }
  return loc;
}

bool IsIntType(TypeId t) {
  return t == TypeId::kInt16 || t == TypeId::kInt32 || t == TypeId::kInt64;
}

}  // namespace

BoundExprPtr Binder::BindWindowCall(const ast::Expr& e, const std::string& name) {
  if (in_aggregate_) {
    ThrowAt(e.location, SqlState::kGroupingError,
            "aggregate function calls cannot contain window function calls");
  }
  if (in_window_) {
    ThrowAt(e.location, SqlState::kWindowingError, "window function calls cannot be nested");
  }
  if (in_window_def_) {
    ThrowAt(e.location, SqlState::kWindowingError,
            "window functions are not allowed in window definitions");
  }
  if (clause_ != Clause::kSelectList && clause_ != Clause::kOrderBy) {
    ThrowAt(e.location, SqlState::kWindowingError, "window functions are not allowed in {}",
            ClauseName(clause_));
  }
  const bool aggregate = !IsWindowFunctionName(name);
  if (e.distinct) {
    ThrowAt(e.location, SqlState::kFeatureNotSupported,
            "DISTINCT is not implemented for window functions");
  }
  if (!e.agg_order_by.empty()) {
    ThrowAt(e.location, SqlState::kFeatureNotSupported,
            "aggregate ORDER BY is not implemented for window functions");
  }
  if (!aggregate && e.filter) {
    ThrowAt(e.location, SqlState::kFeatureNotSupported,
            "FILTER is not implemented for non-aggregate window functions");
  }
  if (!aggregate && e.star) {
    ThrowAt(e.location, SqlState::kWrongObjectType,
            "* specified, but {} is not an aggregate function", name);
  }
  PendingWindowFunc pending;
  WindowFunc& f = pending.func;
  f.name = name;
  {
    FlagScope in_window(&in_window_, true);
    if (aggregate) {
      f.kind = WindowFuncKind::kAggregate;
      f.agg = BindAggregateSpec(e, name, /*window=*/true);
      f.result_type = f.agg.result_type;
    } else {
      std::vector<int> locs;
      for (const auto& a : e.args) {
        f.args.push_back(BindExpr(*a));
        locs.push_back(a->location);
      }
      auto no_function = [&]() { ThrowNoFunction(e.location, name, f.args); };
      auto to_int4 = [&](size_t i) {
        if (!CanCoerce(f.args[i]->type.id, TypeId::kInt32, CoercionContext::kImplicit)) {
          no_function();
        }
        f.args[i] = Coerce(f.args[i], T(TypeId::kInt32), CoercionContext::kImplicit, locs[i]);
      };
      const size_t n = f.args.size();
      if (name == "row_number" || name == "rank" || name == "dense_rank") {
        if (n != 0) no_function();
        f.kind = name == "row_number" ? WindowFuncKind::kRowNumber
                 : name == "rank"     ? WindowFuncKind::kRank
                                      : WindowFuncKind::kDenseRank;
        f.result_type = T(TypeId::kInt64);
      } else if (name == "percent_rank" || name == "cume_dist") {
        if (n != 0) no_function();
        f.kind = name == "percent_rank" ? WindowFuncKind::kPercentRank : WindowFuncKind::kCumeDist;
        f.result_type = T(TypeId::kFloat64);
      } else if (name == "ntile") {
        if (n != 1) no_function();
        to_int4(0);
        f.kind = WindowFuncKind::kNtile;
        f.result_type = T(TypeId::kInt32);
      } else if (name == "lag" || name == "lead") {
        if (n < 1 || n > 3) no_function();
        if (n >= 2) to_int4(1);
        if (n == 3) {
          // lag(anycompatible, integer, anycompatible): the value and the default share a type.
          std::vector<BoundExprPtr> pair = {f.args[0], f.args[2]};
          CommonType(&pair, {locs[0], locs[2]}, name.c_str());
          f.args[0] = pair[0];
          f.args[2] = pair[1];
        }
        f.args[0] = ResolveUnknown(f.args[0], locs[0]);
        if (n == 3) {
          f.args[2] = Coerce(f.args[2], f.args[0]->type, CoercionContext::kImplicit, locs[2]);
        }
        f.kind = name == "lag" ? WindowFuncKind::kLag : WindowFuncKind::kLead;
        f.result_type = f.args[0]->type;
      } else if (name == "first_value" || name == "last_value") {
        if (n != 1) no_function();
        f.args[0] = ResolveUnknown(f.args[0], locs[0]);
        f.kind = name == "first_value" ? WindowFuncKind::kFirstValue : WindowFuncKind::kLastValue;
        f.result_type = f.args[0]->type;
      } else {  // nth_value
        if (n != 2) no_function();
        f.args[0] = ResolveUnknown(f.args[0], locs[0]);
        to_int4(1);
        f.kind = WindowFuncKind::kNthValue;
        f.result_type = f.args[0]->type;
      }
    }
  }
  const bool json_agg = aggregate && IsJsonAggregateName(name);
  const bool json_containers = json_agg && JsonAggregateOfContainers(f.agg);
  pending.window = BindWindowDef(*e.over);
  int index = -1;
  for (size_t i = 0; i < window_funcs_.size() && index < 0; ++i) {
    if (window_funcs_[i].window == pending.window && SameFunc(window_funcs_[i].func, f)) {
      index = static_cast<int>(i);
    }
  }
  if (index < 0) {
    window_funcs_.push_back(std::move(pending));
    index = static_cast<int>(window_funcs_.size()) - 1;
  }
  auto placeholder = std::make_shared<BoundExpr>();
  placeholder->kind = BoundExprKind::kWindowFunc;
  placeholder->type = window_funcs_[index].func.result_type;
  placeholder->column_index = index;
  if (json_agg) return FinishJsonAggregate(name, placeholder, json_containers);
  return placeholder;
}

int Binder::BindWindowDef(const ast::WindowDef& def) {
  // The named window this one starts from (OVER w, OVER (w ...), WINDOW x AS (w ...)).
  const ast::WindowDef* base = nullptr;
  if (!def.ref.empty()) {
    if (window_defs_ != nullptr) {
      for (const ast::WindowDef& w : *window_defs_)
        if (w.name == def.ref) base = &w;
    }
    if (base == nullptr) {
      ThrowAt(def.location, SqlState::kUndefinedObject, "window \"{}\" does not exist", def.ref);
    }
    if (def.bare_ref) return BindWindowDef(*base);
    if (!def.partition_by.empty()) {
      ThrowAt(def.location, SqlState::kWindowingError,
              "cannot override PARTITION BY clause of window \"{}\"", def.ref);
    }
    if (!def.order_by.empty() && !base->order_by.empty()) {
      ThrowAt(def.location, SqlState::kWindowingError,
              "cannot override ORDER BY clause of window \"{}\"", def.ref);
    }
    if (base->has_frame) {
      Error err(SqlState::kWindowingError,
                fmt::format("cannot copy window \"{}\" because it has a frame clause", def.ref));
      if (def.name.empty() && def.order_by.empty() && !def.has_frame) {
        err.Hint("Omit the parentheses in this OVER clause.");
      }
      if (def.location >= 0) err.Position(def.location + 1);
      throw err;
    }
  }
  WindowSpec spec;
  if (base != nullptr) {
    // The base's own partitioning and ordering (which may come from its own base).
    spec = windows_[BindWindowDef(*base)];
    spec.funcs.clear();
  }
  Clause saved = clause_;
  {
    FlagScope in_def(&in_window_def_, true);
    for (const auto& p : def.partition_by) {
      spec.partition_by.push_back(ResolveUnknown(BindExpr(*p), p->location));
      RequireSortGroupOperator(spec.partition_by.back()->type, false, p->location);
    }
    for (const ast::SortItem& item : def.order_by) {
      SortKey key;
      key.expr = ResolveUnknown(BindExpr(*item.expr), item.expr->location);
      RequireSortGroupOperator(key.expr->type, true, item.expr->location);
      key.descending = item.descending;
      key.nulls_first = item.nulls_first.value_or(item.descending);
      spec.order_by.push_back(std::move(key));
    }
  }
  spec.mode = WindowFrameMode::kRange;
  spec.start = WindowFrameBound::kUnboundedPreceding;
  spec.end = WindowFrameBound::kCurrentRow;
  spec.start_offset = spec.end_offset = nullptr;
  spec.exclusion = WindowExclusion::kNoOthers;
  if (def.has_frame) {
    spec.mode = static_cast<WindowFrameMode>(def.mode);
    spec.start = static_cast<WindowFrameBound>(def.start);
    spec.end = static_cast<WindowFrameBound>(def.end);
    spec.exclusion = static_cast<WindowExclusion>(def.exclusion);
    const bool offsets = def.start_offset || def.end_offset;
    if (spec.mode == WindowFrameMode::kRange && offsets && spec.order_by.size() != 1) {
      ThrowAt(def.location, SqlState::kWindowingError,
              "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column");
    }
    if (spec.mode == WindowFrameMode::kGroups && spec.order_by.empty()) {
      ThrowAt(def.location, SqlState::kWindowingError, "GROUPS mode requires an ORDER BY clause");
    }
    const char* mode_name = spec.mode == WindowFrameMode::kRange  ? "RANGE"
                            : spec.mode == WindowFrameMode::kRows ? "ROWS"
                                                                  : "GROUPS";
    auto offset = [&](const ast::ExprPtr& x) -> BoundExprPtr {
      if (!x) return nullptr;
      clause_ = Clause::kNone;
      BoundExprPtr b = BindExpr(*x);
      clause_ = saved;
      std::set<int> cols;
      CollectColumns(b, &cols);
      if (!cols.empty()) {
        ThrowAt(LeftmostLocation(*x), SqlState::kInvalidColumnReference,
                "argument of {} must not contain variables", mode_name);
      }
      if (spec.mode != WindowFrameMode::kRange) {
        if (b->type.id != TypeId::kUnknown && b->type.id != TypeId::kInt64 &&
            !CanCoerce(b->type.id, TypeId::kInt64, CoercionContext::kImplicit)) {
          ThrowAt(LeftmostLocation(*x), SqlState::kDatatypeMismatch,
                  "argument of {} must be type bigint, not type {}", mode_name,
                  TypeDisplayName(b->type));
        }
        return Coerce(b, T(TypeId::kInt64), CoercionContext::kImplicit, x->location);
      }
      // RANGE: PostgreSQL's in_range support functions (column type, offset type).
      const Type key = spec.order_by[0].expr->type;
      const TypeId k = key.id, o = b->type.id;
      std::optional<TypeId> want;
      if (IsIntType(k)) {
        if (IsIntType(o)) want = o;
      } else if (k == TypeId::kFloat32 || k == TypeId::kFloat64) {
        if (CategoryOf(o) == TypeCategory::kNumeric || o == TypeId::kUnknown) {
          want = TypeId::kFloat64;
        }
      } else if (k == TypeId::kNumeric) {
        if (CategoryOf(o) == TypeCategory::kNumeric || o == TypeId::kUnknown) {
          if (o != TypeId::kFloat32 && o != TypeId::kFloat64) want = TypeId::kNumeric;
        }
      } else if (k == TypeId::kDate || k == TypeId::kTimestamp || k == TypeId::kTimestampTz ||
                 k == TypeId::kTime || k == TypeId::kTimeTz || k == TypeId::kInterval) {
        if (o == TypeId::kInterval || o == TypeId::kUnknown) want = TypeId::kInterval;
      }
      if (!want) {
        const bool has_in_range = IsIntType(k) || k == TypeId::kFloat32 || k == TypeId::kFloat64 ||
                                  k == TypeId::kNumeric || k == TypeId::kDate ||
                                  k == TypeId::kTimestamp || k == TypeId::kTimestampTz ||
                                  k == TypeId::kTime || k == TypeId::kTimeTz ||
                                  k == TypeId::kInterval;
        std::string message =
            "RANGE with offset PRECEDING/FOLLOWING is not supported for column type " +
            // varchar sorts with text's operator class
            (k == TypeId::kVarchar ? std::string("text") : TypeDisplayName(key));
        if (has_in_range) message += " and offset type " + TypeDisplayName(b->type);
        Error err(SqlState::kFeatureNotSupported, message);
        if (has_in_range) err.Hint("Cast the offset value to an appropriate type.");
        if (LeftmostLocation(*x) >= 0) err.Position(LeftmostLocation(*x) + 1);
        throw err;
      }
      return Coerce(b, T(*want), CoercionContext::kImplicit, x->location);
    };
    spec.start_offset = offset(def.start_offset);
    spec.end_offset = offset(def.end_offset);
  }
  for (size_t i = 0; i < windows_.size(); ++i) {
    if (SameWindow(windows_[i], spec)) return static_cast<int>(i);
  }
  windows_.push_back(std::move(spec));
  return static_cast<int>(windows_.size()) - 1;
}

PlanPtr Binder::PlanWindows(PlanPtr plan, std::vector<BoundExprPtr>* outputs) {
  std::vector<int> func_column(window_funcs_.size(), -1);
  std::vector<SortKey> sorted_by;  // the order the rows arrive in so far
  for (size_t w = 0; w < windows_.size(); ++w) {
    auto spec = std::make_shared<WindowSpec>(windows_[w]);
    std::vector<size_t> funcs;
    for (size_t f = 0; f < window_funcs_.size(); ++f) {
      if (window_funcs_[f].window == static_cast<int>(w)) funcs.push_back(f);
    }
    if (funcs.empty()) continue;
    std::vector<SortKey> keys;
    for (const auto& p : spec->partition_by) keys.push_back(SortKey{p, false, false});
    keys.insert(keys.end(), spec->order_by.begin(), spec->order_by.end());
    bool ordered = keys.size() <= sorted_by.size();
    for (size_t k = 0; k < keys.size() && ordered; ++k) {
      ordered = SortKeysEqual({keys[k]}, {sorted_by[k]});
    }
    if (!keys.empty() && !ordered) {
      auto sort = std::make_shared<PlanNode>();
      sort->kind = PlanKind::kSort;
      sort->output_types = plan->output_types;
      sort->output_names = plan->output_names;
      sort->children = {plan};
      sort->sort_keys = keys;
      plan = sort;
      sorted_by = keys;
    }
    auto node = std::make_shared<PlanNode>();
    node->kind = PlanKind::kWindowAgg;
    node->output_types = plan->output_types;
    node->output_names = plan->output_names;
    for (size_t f : funcs) {
      func_column[f] = static_cast<int>(node->output_types.size());
      spec->funcs.push_back(window_funcs_[f].func);
      node->output_types.push_back(window_funcs_[f].func.result_type);
      node->output_names.push_back(window_funcs_[f].func.name);
    }
    node->window = std::move(spec);
    node->children = {plan};
    plan = node;
  }
  for (auto& o : *outputs) {
    o = RewriteExpr(
        o,
        [&](const BoundExpr& n, int depth) -> BoundExprPtr {
          if (depth != 0 || n.kind != BoundExprKind::kWindowFunc) return nullptr;
          return MakeColumn(func_column.at(n.column_index), n.type);
        },
        false);
  }
  return plan;
}

void Binder::ForEachWindowExpr(const std::function<BoundExprPtr(const BoundExprPtr&)>& f) {
  auto each = [&](BoundExprPtr& e) {
    if (e) e = f(e);
  };
  for (auto& w : windows_) {
    for (auto& p : w.partition_by) each(p);
    for (auto& k : w.order_by) each(k.expr);
  }
  for (auto& p : window_funcs_) {
    for (auto& a : p.func.args) each(a);
    for (auto& a : p.func.agg.args) each(a);
    each(p.func.agg.filter);
  }
}

}  // namespace activestore::planner
