// EXISTS and NOT EXISTS conjuncts of WHERE as semi and anti joins (PostgreSQL's
// pull_up_sublinks / convert_EXISTS_sublink_to_join): a correlated EXISTS is otherwise run
// again for every outer row, which reads the inner table once per row.
//
// The subquery's FROM items join the query's FROM tree as the right side of a kSemi (kAnti for
// NOT EXISTS) join node whose conditions are the subquery's WHERE conjuncts. Its columns follow
// the query's FROM row (they are never visible above the join: a semi join emits only its left
// side), so the conjuncts are moved onto that wider row: the subquery's own columns shifted
// past the query's, its references to the query's row (outer references of depth 1) turned
// into plain columns, deeper outer references one level shallower.
#include <algorithm>

#include "planner/binder.h"
#include "planner/bound_expr_util.h"

namespace activestore::planner {

namespace {

// LIMIT n with a positive integer constant: without effect on EXISTS (PostgreSQL's
// simplify_EXISTS_query drops it).
bool HarmlessLimit(const ast::Expr* limit) {
  if (limit == nullptr) return true;
  if (limit->kind != ast::ExprKind::kConstant || limit->const_kind != ast::ConstKind::kInteger) {
    return false;
  }
  const std::string& v = limit->value_text;
  return !v.empty() && std::any_of(v.begin(), v.end(), [](char c) { return c >= '1' && c <= '9'; });
}

// Whether the planned subquery finds its rows through an index keyed by the outer row (a
// primary key, index lookup or index range per outer row): that is already cheap per row, and
// a hash join would read the whole inner table instead. Without row counts to compare, that
// plan is kept.
bool KeyedByOuterRow(const PlanNode& p) {
  if (p.kind == PlanKind::kPrimaryKeyLookup || p.kind == PlanKind::kIndexLookup ||
      p.kind == PlanKind::kIndexScan) {
    for (const BoundExprPtr& k : p.key_exprs) {
      bool outer = false;
      VisitExpr(k, [&](const BoundExpr& n, int depth) {
        outer |= n.kind == BoundExprKind::kOuterColumn && n.outer_depth == depth + 1;
      });
      if (outer) return true;
    }
  }
  return std::any_of(p.children.begin(), p.children.end(),
                     [](const PlanPtr& c) { return c && KeyedByOuterRow(*c); });
}

bool HasLateral(const JoinNode& n) {
  if (n.lateral || !n.lateral_refs.empty()) return true;
  return std::any_of(n.children.begin(), n.children.end(),
                     [](const std::unique_ptr<JoinNode>& c) { return HasLateral(*c); });
}

// Moves a FROM tree bound at [0, count) to [offset, offset + count).
void ShiftJoinTree(JoinNode* n, int offset) {
  n->first += offset;
  for (BoundExprPtr& c : n->conjuncts) {
    c = RemapColumns(c, [offset](int col) { return col + offset; });
  }
  for (auto& c : n->children) ShiftJoinTree(c.get(), offset);
}

// Whether e reads only columns at or past `from` (true) or only before it (false); nullopt
// when it reads none or both.
std::optional<bool> SideOf(const BoundExprPtr& e, int from) {
  std::set<int> cols;
  CollectColumns(e, &cols);
  if (cols.empty()) return std::nullopt;
  const bool inner = *cols.begin() >= from;
  const bool outer = *cols.rbegin() < from;
  if (inner) return true;
  if (outer) return false;
  return std::nullopt;
}

}  // namespace

std::unique_ptr<JoinNode> Binder::ExistsAsJoin(const ast::SelectStmt& s, const PlanNode& planned,
                                               int width, int offset,
                                               std::vector<BoundExprPtr>* conds) {
  if (s.set_op != ast::SetOpType::kNone || !s.values_rows.empty() || s.with || s.from.empty() ||
      !s.group_by.empty() || s.having || !s.windows.empty() || !s.locking.empty() || s.offset ||
      !HarmlessLimit(s.limit.get()) || s.where == nullptr || KeyedByOuterRow(planned)) {
    return nullptr;
  }
  // Bound again (the first binding planned it as a subquery and raised any error): its FROM
  // items and WHERE conjuncts are what the join needs.
  Binder sub(ctx_, this, this);
  std::unique_ptr<JoinNode> inner = sub.BindFromList(s.from);
  if (!inner || sub.has_outer_refs_ || HasLateral(*inner)) return nullptr;
  std::vector<BoundExprPtr> where;
  sub.clause_ = Clause::kWhere;
  SplitConjuncts(sub.BindCondition(*s.where, "WHERE"), &where);
  // The select list only decides whether there is one row per FROM row: no aggregates, window
  // functions or set-returning functions.
  sub.clause_ = Clause::kSelectList;
  sub.window_defs_ = &s.windows;
  std::vector<SelectTarget> targets;
  sub.ExpandTargets(s.targets, &targets);
  if (!sub.aggregates_.empty() || !sub.window_funcs_.empty() || sub.srf_count_ > 0) {
    return nullptr;
  }

  auto onto_joined_row = [offset](const BoundExpr& n, int depth) -> BoundExprPtr {
    if (depth == 0 && n.kind == BoundExprKind::kColumn) {
      auto c = std::make_shared<BoundExpr>(n);
      c->column_index += offset;
      return c;
    }
    if (n.kind != BoundExprKind::kOuterColumn || n.outer_depth < depth) return nullptr;
    auto c = std::make_shared<BoundExpr>(n);
    if (n.outer_depth == depth) {
      c->column_index += offset;  // the subquery's row, seen from a subquery inside it
    } else if (n.outer_depth == depth + 1 && depth == 0) {
      c->kind = BoundExprKind::kColumn;  // the query's row
      c->outer_depth = 0;
    } else {
      c->outer_depth -= 1;  // the query's row from deeper, or rows further out
    }
    return c;
  };
  bool hashable = false;
  for (BoundExprPtr& c : where) {
    if (ContainsVolatile(c)) return nullptr;
    c = RewriteExpr(c, onto_joined_row, /*descend_all_subqueries=*/false);
    if (c->kind == BoundExprKind::kCompare && c->op == "=" && !ContainsSubquery(c)) {
      auto a = SideOf(c->children[0], width), b = SideOf(c->children[1], width);
      hashable |= a && b && *a != *b;
    }
  }
  // Without an equality between the two sides the join would be a nested loop over both:
  // the per-row subquery (which pushes its conditions into the scan) is no worse.
  if (!hashable) return nullptr;
  ShiftJoinTree(inner.get(), offset);
  *conds = std::move(where);
  return inner;
}

void Binder::PullUpExists(std::unique_ptr<JoinNode>* root, std::vector<BoundExprPtr>* where) {
  if (!*root || exists_sources_.empty()) return;
  const int width = static_cast<int>(row_.size());
  int next = width;  // where the next subquery's columns go: each has its own
  std::vector<BoundExprPtr> kept;
  for (BoundExprPtr& c : *where) {
    const BoundExpr* e = c.get();
    bool anti = false;
    if (e->kind == BoundExprKind::kNot && e->children.size() == 1) {
      e = e->children[0].get();
      anti = true;
    }
    auto source = exists_sources_.find(e);
    if (e->kind != BoundExprKind::kExists || !e->correlated || source == exists_sources_.end()) {
      kept.push_back(std::move(c));
      continue;
    }
    anti ^= e->negated;
    std::vector<BoundExprPtr> conds;
    std::unique_ptr<JoinNode> inner =
        ExistsAsJoin(*source->second, *e->subquery, width, next, &conds);
    if (!inner) {
      kept.push_back(std::move(c));
      continue;
    }
    next = inner->first + inner->count;
    auto join = std::make_unique<JoinNode>();
    join->kind = JoinNode::Kind::kOuter;
    join->join_type = anti ? JoinType::kAnti : JoinType::kSemi;
    join->first = (*root)->first;
    join->count = inner->first + inner->count - join->first;
    join->conjuncts = std::move(conds);
    join->children.push_back(std::move(*root));
    join->children.push_back(std::move(inner));
    *root = std::move(join);
  }
  *where = std::move(kept);
}

}  // namespace activestore::planner
