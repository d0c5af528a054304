#include "planner/bound_expr_util.h"

#include <utility>

#include "common/stack_depth.h"
#include "planner/user_functions.h"

namespace activestore::planner {

BoundExprPtr MakeConst(Value v) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = BoundExprKind::kConstant;
  e->type = v.type;
  e->value = std::move(v);
  return e;
}

BoundExprPtr MakeColumn(int index, Type type) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = BoundExprKind::kColumn;
  e->type = type;
  e->column_index = index;
  return e;
}

BoundExprPtr MakeExpr(BoundExprKind kind, Type type, std::vector<BoundExprPtr> children,
                      std::string op) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = kind;
  e->type = type;
  e->children = std::move(children);
  e->op = std::move(op);
  return e;
}

bool IsConst(const BoundExprPtr& e) { return e && e->kind == BoundExprKind::kConstant; }
bool IsNullConst(const BoundExprPtr& e) { return IsConst(e) && e->value.is_null; }

namespace {

bool ValueEquals(const Value& a, const Value& b) {
  if (a.type != b.type || a.is_null != b.is_null) return false;
  if (a.is_null) return true;
  return a.i == b.i && (a.f == b.f || (a.f != a.f && b.f != b.f)) && a.s == b.s &&
         a.num.Compare(b.num) == 0 && a.num.display_scale() == b.num.display_scale();
}

}  // namespace

bool IsVolatileCall(const BoundExpr& e) {
  if (e.user_function) return e.user_function->function->volatility == 'v';
  return e.kind == BoundExprKind::kFunction &&
         (e.op == "random" || e.op == "clock_timestamp" || e.op == "nextval" || e.op == "setval" ||
          e.op == "gen_random_uuid" || e.op == "pg_sleep" || e.op == "pg_notify" ||
          e.op == "timeofday" || e.op == "setseed" || e.op == "set_config");
}

bool ContainsVolatile(const BoundExprPtr& e) {
  bool found = false;
  VisitExpr(e, [&](const BoundExpr& n, int) { found |= IsVolatileCall(n); });
  return found;
}

bool ExprEquals(const BoundExprPtr& a, const BoundExprPtr& b) {
  if (a == b) return true;
  if (!a || !b) return false;
  if (a->kind != b->kind || a->type != b->type || a->column_index != b->column_index ||
      a->outer_depth != b->outer_depth || a->param_index != b->param_index || a->op != b->op ||
      a->negated != b->negated || a->has_else != b->has_else || a->sublink_all != b->sublink_all ||
      a->subquery != b->subquery || a->relation != b->relation ||
      a->user_function != b->user_function || a->children.size() != b->children.size()) {
    return false;
  }
  if (a->kind == BoundExprKind::kConstant && !ValueEquals(a->value, b->value)) return false;
  // Volatile functions are never equal to one another.
  if (IsVolatileCall(*a)) return false;
  for (size_t i = 0; i < a->children.size(); ++i) {
    if (!ExprEquals(a->children[i], b->children[i])) return false;
  }
  return true;
}

namespace {

template <typename F>
void ForEachPlanExpr(const PlanNode& n, F&& f) {
  for (const auto& e : n.exprs) f(e);
  for (const auto& row : n.values_rows)
    for (const auto& e : row) f(e);
  for (const auto& e : n.key_exprs) f(e);
  if (n.predicate) f(n.predicate);
  for (const auto& e : n.group_exprs) f(e);
  for (const auto& a : n.aggregates) {
    for (const auto& e : a.args) f(e);
    if (a.filter) f(a.filter);
  }
  for (const auto& k : n.sort_keys) f(k.expr);
  if (n.limit) f(n.limit);
  if (n.offset) f(n.offset);
  for (const auto& e : n.left_keys) f(e);
  for (const auto& e : n.right_keys) f(e);
  for (const auto& a : n.assignments) f(a.second);
  for (const auto& e : n.returning) f(e);
  for (const auto& m : n.merge_actions) {
    if (m.condition) f(m.condition);
    for (const auto& a : m.assignments) f(a.second);
    for (const auto& e : m.insert_row) f(e);
  }
  if (n.scan_key_value) f(n.scan_key_value);
  if (n.name_like_pattern) f(n.name_like_pattern);
  if (n.name_like_escape) f(n.name_like_escape);
  if (n.window) {
    for (const auto& e : n.window->partition_by) f(e);
    for (const auto& k : n.window->order_by) f(k.expr);
    if (n.window->start_offset) f(n.window->start_offset);
    if (n.window->end_offset) f(n.window->end_offset);
    for (const auto& w : n.window->funcs) {
      for (const auto& e : w.args) f(e);
      for (const auto& e : w.agg.args) f(e);
      if (w.agg.filter) f(w.agg.filter);
    }
  }
  if (n.gapfill) {
    const GapFillSpec& g = *n.gapfill;
    for (const BoundExprPtr* e : {&g.width, &g.timezone, &g.start, &g.finish})
      if (*e) f(*e);
    for (const auto& b : g.lower_bounds) f(b.first);
    for (const auto& b : g.upper_bounds) f(b.first);
    for (const auto& fill : g.fills) f(fill.value);
  }
}

bool IsSubqueryKind(BoundExprKind k) {
  return k == BoundExprKind::kSubquery || k == BoundExprKind::kExists ||
         k == BoundExprKind::kInSubquery;
}

}  // namespace

void VisitExpr(const BoundExprPtr& e, const std::function<void(const BoundExpr&, int)>& fn,
               int depth) {
  if (!e) return;
  CheckStackDepth();
  fn(*e, depth);
  for (const auto& c : e->children) VisitExpr(c, fn, depth);
  if (IsSubqueryKind(e->kind) && e->subquery) VisitPlan(e->subquery, fn, depth + 1);
}

void VisitPlan(const PlanPtr& p, const std::function<void(const BoundExpr&, int)>& fn, int depth) {
  if (!p) return;
  ForEachPlanExpr(*p, [&](const BoundExprPtr& e) { VisitExpr(e, fn, depth); });
  for (size_t i = 0; i < p->children.size(); ++i) {
    // The right side of a LATERAL join runs with the left row as its outer row.
    VisitPlan(p->children[i], fn, p->lateral && i == 1 ? depth + 1 : depth);
  }
  VisitPlan(p->cte_plan, fn, depth);
  for (const auto& init : p->init_plans) VisitPlan(init, fn, depth);
}

BoundExprPtr RewriteExpr(const BoundExprPtr& e, const ExprRewriteFn& fn,
                         bool descend_all_subqueries, int depth) {
  if (!e) return e;
  CheckStackDepth();
  if (BoundExprPtr r = fn(*e, depth)) return r;
  bool changed = false;
  std::vector<BoundExprPtr> children;
  children.reserve(e->children.size());
  for (const auto& c : e->children) {
    children.push_back(RewriteExpr(c, fn, descend_all_subqueries, depth));
    changed |= children.back() != c;
  }
  PlanPtr sub = e->subquery;
  if (IsSubqueryKind(e->kind) && sub && (descend_all_subqueries || e->correlated)) {
    sub = RewritePlan(sub, fn, descend_all_subqueries, depth + 1);
    changed |= sub != e->subquery;
  }
  if (!changed) return e;
  auto copy = std::make_shared<BoundExpr>(*e);
  copy->children = std::move(children);
  copy->subquery = std::move(sub);
  return copy;
}

PlanPtr RewritePlan(const PlanPtr& p, const ExprRewriteFn& fn, bool descend_all_subqueries,
                    int depth) {
  if (!p) return p;
  auto copy = std::make_shared<PlanNode>(*p);
  bool changed = false;
  auto rw = [&](BoundExprPtr& e) {
    if (!e) return;
    BoundExprPtr r = RewriteExpr(e, fn, descend_all_subqueries, depth);
    if (r != e) {
      e = std::move(r);
      changed = true;
    }
  };
  for (auto& e : copy->exprs) rw(e);
  for (auto& row : copy->values_rows)
    for (auto& e : row) rw(e);
  for (auto& e : copy->key_exprs) rw(e);
  rw(copy->predicate);
  for (auto& e : copy->group_exprs) rw(e);
  for (auto& a : copy->aggregates) {
    for (auto& e : a.args) rw(e);
    rw(a.filter);
  }
  for (auto& k : copy->sort_keys) rw(k.expr);
  rw(copy->limit);
  rw(copy->offset);
  for (auto& e : copy->left_keys) rw(e);
  for (auto& e : copy->right_keys) rw(e);
  for (auto& a : copy->assignments) rw(a.second);
  for (auto& e : copy->returning) rw(e);
  for (auto& m : copy->merge_actions) {
    rw(m.condition);
    for (auto& a : m.assignments) rw(a.second);
    for (auto& e : m.insert_row) rw(e);
  }
  rw(copy->scan_key_value);
  rw(copy->name_like_pattern);
  rw(copy->name_like_escape);
  if (copy->window) {
    auto w = std::make_shared<WindowSpec>(*copy->window);
    const bool before = changed;
    changed = false;
    for (auto& e : w->partition_by) rw(e);
    for (auto& k : w->order_by) rw(k.expr);
    rw(w->start_offset);
    rw(w->end_offset);
    for (auto& f : w->funcs) {
      for (auto& e : f.args) rw(e);
      for (auto& e : f.agg.args) rw(e);
      rw(f.agg.filter);
    }
    if (changed) copy->window = std::move(w);
    changed |= before;
  }
  if (copy->gapfill) {
    auto g = std::make_shared<GapFillSpec>(*copy->gapfill);
    const bool before = changed;
    changed = false;
    rw(g->width);
    rw(g->timezone);
    rw(g->start);
    rw(g->finish);
    for (auto& b : g->lower_bounds) rw(b.first);
    for (auto& b : g->upper_bounds) rw(b.first);
    for (auto& fill : g->fills) rw(fill.value);
    if (changed) copy->gapfill = std::move(g);
    changed |= before;
  }
  for (size_t i = 0; i < copy->children.size(); ++i) {
    PlanPtr& c = copy->children[i];
    PlanPtr r =
        RewritePlan(c, fn, descend_all_subqueries, copy->lateral && i == 1 ? depth + 1 : depth);
    if (r != c) {
      c = std::move(r);
      changed = true;
    }
  }
  if (copy->cte_plan) {
    PlanPtr r = RewritePlan(copy->cte_plan, fn, descend_all_subqueries, depth);
    if (r != copy->cte_plan) {
      copy->cte_plan = std::move(r);
      changed = true;
    }
  }
  for (auto& init : copy->init_plans) {
    PlanPtr r = RewritePlan(init, fn, descend_all_subqueries, depth);
    if (r != init) {
      init = std::move(r);
      changed = true;
    }
  }
  if (!changed) return p;
  return copy;
}

BoundExprPtr RemapColumns(const BoundExprPtr& e, const std::function<int(int)>& map) {
  return RewriteExpr(
      e,
      [&](const BoundExpr& n, int depth) -> BoundExprPtr {
        bool mine = (depth == 0 && n.kind == BoundExprKind::kColumn) ||
                    (depth > 0 && n.kind == BoundExprKind::kOuterColumn && n.outer_depth == depth);
        if (!mine) return nullptr;
        int to = map(n.column_index);
        if (to < 0) Throw(SqlState::kInternalError, "planner lost track of a column");
        auto copy = std::make_shared<BoundExpr>(n);
        copy->column_index = to;
        return copy;
      },
      /*descend_all_subqueries=*/false);
}

BoundExprPtr DeepenOuterReferences(const BoundExprPtr& e) {
  return RewriteExpr(
      e,
      [](const BoundExpr& n, int depth) -> BoundExprPtr {
        if (n.kind != BoundExprKind::kOuterColumn || n.outer_depth <= depth) return nullptr;
        auto copy = std::make_shared<BoundExpr>(n);
        ++copy->outer_depth;
        return copy;
      },
      /*descend_all_subqueries=*/false);
}

void CollectColumns(const BoundExprPtr& e, std::set<int>* out) {
  VisitExpr(e, [&](const BoundExpr& n, int depth) {
    if (depth == 0 && n.kind == BoundExprKind::kColumn) out->insert(n.column_index);
    if (depth > 0 && n.kind == BoundExprKind::kOuterColumn && n.outer_depth == depth) {
      out->insert(n.column_index);
    }
  });
}

bool ContainsSubquery(const BoundExprPtr& e) {
  bool found = false;
  VisitExpr(e, [&](const BoundExpr& n, int depth) {
    if (depth == 0 && IsSubqueryKind(n.kind)) found = true;
  });
  return found;
}

bool IsRowIndependent(const BoundExprPtr& e) {
  switch (e->kind) {
    case BoundExprKind::kConstant:
    case BoundExprKind::kParam:
    case BoundExprKind::kOuterColumn:
      return true;
    case BoundExprKind::kCast:
    case BoundExprKind::kArith:
    case BoundExprKind::kNegate:
    case BoundExprKind::kConcat:
      for (const auto& c : e->children)
        if (!IsRowIndependent(c)) return false;
      return true;
    default:
      return false;
  }
}

void SplitConjuncts(const BoundExprPtr& e, std::vector<BoundExprPtr>* out) {
  if (!e) return;
  if (e->kind == BoundExprKind::kAnd) {
    for (const auto& c : e->children) SplitConjuncts(c, out);
    return;
  }
  // A constant TRUE conjunct adds nothing.
  if (IsConst(e) && !e->value.is_null && e->type.id == TypeId::kBool && e->value.i == 1) return;
  out->push_back(e);
}

BoundExprPtr MakeAnd(std::vector<BoundExprPtr> conjuncts) {
  if (conjuncts.empty()) return nullptr;
  if (conjuncts.size() == 1) return conjuncts[0];
  return MakeExpr(BoundExprKind::kAnd, T(TypeId::kBool), std::move(conjuncts));
}

}  // namespace activestore::planner
