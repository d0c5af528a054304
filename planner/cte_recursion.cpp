// The checks PostgreSQL makes on a WITH RECURSIVE list before analysing it (parse_cte.c
// makeDependencyGraph / TopologicalSort / checkWellFormedRecursion): which items refer to
// themselves, mutual recursion between items (0A000), and where a self-reference may stand
// (42P19: not in the non-recursive term, a subquery, an outer join's nullable side, INTERSECT
// ALL or EXCEPT, and only once). They walk the syntax tree, so their messages do not depend on
// how far binding got.
#include "planner/cte_recursion.h"

#include <algorithm>
#include <functional>

#include "common/error.h"
#include "planner/bound_expr_util.h"

namespace activestore::planner {

namespace {

using ast::Expr;
using ast::SelectStmt;
using ast::TableRef;

// Calls fn on each select statement and table reference directly inside an expression tree
// (a sublink's query, the queries of nested expressions), with `sublink` true for a query that
// is a subquery expression.
struct Walker {
  // Return false to stop descending.
  std::function<void(const TableRef&)> on_table;
  std::function<void(const SelectStmt&, bool sublink)> on_select;

  void WalkExpr(const Expr* e) const {
    if (!e) return;
    if (e->subquery) on_select(*e->subquery, true);
    for (const auto& a : e->args) WalkExpr(a.get());
    for (const auto& a : e->when_then) WalkExpr(a.get());
    WalkExpr(e->else_expr.get());
    WalkExpr(e->filter.get());
    for (const auto& s : e->agg_order_by) WalkExpr(s.expr.get());
    if (e->over) WalkWindow(*e->over);
  }
  void WalkWindow(const ast::WindowDef& w) const {
    for (const auto& p : w.partition_by) WalkExpr(p.get());
    for (const auto& s : w.order_by) WalkExpr(s.expr.get());
    WalkExpr(w.start_offset.get());
    WalkExpr(w.end_offset.get());
  }
  // The parts of a plain SELECT other than its FROM items and set-operation arms.
  void WalkClauses(const SelectStmt& s) const {
    for (const auto& row : s.values_rows) {
      for (const auto& v : row) WalkExpr(v.get());
    }
    for (const auto& d : s.distinct_on) WalkExpr(d.get());
    for (const auto& t : s.targets) WalkExpr(t.expr.get());
    WalkExpr(s.where.get());
    for (const auto& g : s.group_by) WalkExpr(g.get());
    WalkExpr(s.having.get());
    for (const auto& w : s.windows) WalkWindow(w);
    for (const auto& o : s.order_by) WalkExpr(o.expr.get());
    WalkExpr(s.limit.get());
    WalkExpr(s.offset.get());
  }
};

// Does `s` (or anything in it) refer to WITH query `name` of the level being checked? Names of
// inner WITH lists hide it where they are visible.
bool RefersTo(const SelectStmt& s, const std::string& name);

bool TableRefersTo(const TableRef& r, const std::string& name) {
  switch (r.kind) {
    case ast::TableRefKind::kTable:
      return r.name.parts.size() == 1 && r.name.parts[0] == name;
    case ast::TableRefKind::kSubquery:
    case ast::TableRefKind::kValues:
      return r.subquery && RefersTo(*r.subquery, name);
    case ast::TableRefKind::kJoin: {
      bool found = TableRefersTo(*r.left, name) || TableRefersTo(*r.right, name);
      if (found) return true;
      break;
    }
    case ast::TableRefKind::kFunction:
      break;
  }
  bool found = false;
  Walker w;
  w.on_select = [&](const SelectStmt& q, bool) { found = found || RefersTo(q, name); };
  w.WalkExpr(r.function.get());
  for (const auto& f : r.rows_from) w.WalkExpr(f.function.get());
  w.WalkExpr(r.join_condition.get());
  return found;
}

bool RefersTo(const SelectStmt& s, const std::string& name) {
  if (s.with) {
    for (const auto& c : s.with->ctes) {
      // In a RECURSIVE list every item's name is visible to every item; otherwise to the
      // items after it and the main query.
      if (c.name == name && s.with->recursive) return false;
      if (c.query && RefersTo(*c.query, name)) return true;
      if (c.name == name) return false;
    }
  }
  if (s.larg && RefersTo(*s.larg, name)) return true;
  if (s.rarg && RefersTo(*s.rarg, name)) return true;
  for (const auto& f : s.from) {
    if (TableRefersTo(*f, name)) return true;
  }
  bool found = false;
  Walker w;
  w.on_select = [&](const SelectStmt& q, bool) { found = found || RefersTo(q, name); };
  w.WalkClauses(s);
  return found;
}

enum class Context { kOk, kNonRecursiveTerm, kSublink, kOuterJoin, kIntersect, kExcept };

const char* Message(Context c) {
  switch (c) {
    case Context::kNonRecursiveTerm:
      return "recursive reference to query \"{}\" must not appear within its non-recursive term";
    case Context::kSublink:
      return "recursive reference to query \"{}\" must not appear within a subquery";
    case Context::kOuterJoin:
      return "recursive reference to query \"{}\" must not appear within an outer join";
    case Context::kIntersect:
      return "recursive reference to query \"{}\" must not appear within INTERSECT";
    case Context::kExcept:
      return "recursive reference to query \"{}\" must not appear within EXCEPT";
    case Context::kOk:
      break;
  }
  return "";
}

// checkWellFormedRecursionWalker over one WITH query `name`.
class WellFormed {
 public:
  explicit WellFormed(const std::string& name) : name_(name) {}

  void Select(const SelectStmt& s, Context ctx) {
    std::vector<std::string> hidden;
    if (s.with) {
      if (s.with->recursive) {
        for (const auto& c : s.with->ctes) hidden.push_back(c.name);
        Hide h(this, hidden);
        for (const auto& c : s.with->ctes) {
          if (c.query) Select(*c.query, ctx);
        }
        SelectBody(s, ctx);
        return;
      }
      Hide h(this, {});
      for (const auto& c : s.with->ctes) {
        if (c.query) Select(*c.query, ctx);
        hidden_.push_back(c.name);
        ++h.pushed;
      }
      SelectBody(s, ctx);
      return;
    }
    SelectBody(s, ctx);
  }

  int refs() const { return refs_; }

 private:
  struct Hide {
    WellFormed* w;
    size_t pushed;
    Hide(WellFormed* wf, const std::vector<std::string>& names) : w(wf), pushed(names.size()) {
      w->hidden_.insert(w->hidden_.end(), names.begin(), names.end());
    }
    ~Hide() { w->hidden_.resize(w->hidden_.size() - pushed); }
  };

  void SelectBody(const SelectStmt& s, Context ctx) {
    if (ctx == Context::kOk && s.set_op == ast::SetOpType::kIntersect) {
      Select(*s.larg, s.set_all ? Context::kIntersect : ctx);
      Select(*s.rarg, s.set_all ? Context::kIntersect : ctx);
      Clauses(s, ctx);
      return;
    }
    if (ctx == Context::kOk && s.set_op == ast::SetOpType::kExcept) {
      Select(*s.larg, s.set_all ? Context::kExcept : ctx);
      Select(*s.rarg, Context::kExcept);
      Clauses(s, ctx);
      return;
    }
    if (s.larg) Select(*s.larg, ctx);
    if (s.rarg) Select(*s.rarg, ctx);
    for (const auto& f : s.from) Table(*f, ctx);
    Clauses(s, ctx);
  }

  void Clauses(const SelectStmt& s, Context ctx) {
    (void)ctx;
    Walker w;
    w.on_select = [&](const SelectStmt& q, bool) { Select(q, Context::kSublink); };
    w.WalkClauses(s);
  }

  void Table(const TableRef& r, Context ctx) {
    Walker w;
    w.on_select = [&](const SelectStmt& q, bool) { Select(q, Context::kSublink); };
    switch (r.kind) {
      case ast::TableRefKind::kTable:
        if (r.name.parts.size() == 1 && r.name.parts[0] == name_ &&
            std::find(hidden_.begin(), hidden_.end(), name_) == hidden_.end()) {
          if (ctx != Context::kOk) {
            ThrowAt(r.location, SqlState::kInvalidRecursion, fmt::runtime(Message(ctx)), name_);
          }
          if (++refs_ > 1) {
            ThrowAt(r.location, SqlState::kInvalidRecursion,
                    "recursive reference to query \"{}\" must not appear more than once", name_);
          }
        }
        return;
      case ast::TableRefKind::kSubquery:
      case ast::TableRefKind::kValues:
        if (r.subquery) Select(*r.subquery, ctx);
        return;
      case ast::TableRefKind::kFunction:
        w.WalkExpr(r.function.get());
        for (const auto& f : r.rows_from) w.WalkExpr(f.function.get());
        return;
      case ast::TableRefKind::kJoin: {
        const bool ok = ctx == Context::kOk;
        switch (r.join_type) {
          case ast::JoinType::kLeft:
            Table(*r.left, ctx);
            Table(*r.right, ok ? Context::kOuterJoin : ctx);
            break;
          case ast::JoinType::kRight:
            Table(*r.left, ok ? Context::kOuterJoin : ctx);
            Table(*r.right, ctx);
            break;
          case ast::JoinType::kFull:
            Table(*r.left, ok ? Context::kOuterJoin : ctx);
            Table(*r.right, ok ? Context::kOuterJoin : ctx);
            break;
          default:
            Table(*r.left, ctx);
            Table(*r.right, ctx);
            break;
        }
        w.WalkExpr(r.join_condition.get());
        return;
      }
    }
  }

  const std::string& name_;
  std::vector<std::string> hidden_;
  int refs_ = 0;
};

}  // namespace

void CheckRecursiveWithList(const ast::WithClause& with) {
  if (!with.recursive) return;
  const size_t n = with.ctes.size();
  // Dependencies between the items, then a topological order (mutual recursion fails).
  std::vector<std::vector<bool>> depends(n, std::vector<bool>(n, false));
  for (size_t i = 0; i < n; ++i) {
    const ast::CommonTableExpr& c = with.ctes[i];
    if (!c.query) continue;
    for (size_t j = 0; j < n; ++j) {
      if (i != j && RefersTo(*c.query, with.ctes[j].name)) depends[i][j] = true;
    }
  }
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  for (size_t i = 0; i < n; ++i) {
    size_t j = i;
    auto free_of_deps = [&](size_t item) {
      for (size_t k = i; k < n; ++k) {
        if (order[k] != item && depends[item][order[k]]) return false;
      }
      return true;
    };
    while (j < n && !free_of_deps(order[j])) ++j;
    if (j >= n) {
      ThrowAt(with.ctes[order[i]].location, SqlState::kFeatureNotSupported,
              "mutual recursion between WITH items is not implemented");
    }
    std::swap(order[i], order[j]);
  }
  for (const ast::CommonTableExpr& c : with.ctes) {
    if (!c.query || !RefersTo(*c.query, c.name)) continue;
    const SelectStmt& s = *c.query;
    if (s.set_op != ast::SetOpType::kUnion) {
      ThrowAt(c.location, SqlState::kInvalidRecursion,
              "recursive query \"{}\" does not have the form non-recursive-term UNION [ALL] "
              "recursive-term",
              c.name);
    }
    WellFormed check(c.name);
    if (s.with) {
      for (const auto& inner : s.with->ctes) {
        if (inner.query) check.Select(*inner.query, Context::kSublink);
      }
    }
    if (!s.order_by.empty()) {
      ThrowAt(s.order_by[0].expr->location, SqlState::kFeatureNotSupported,
              "ORDER BY in a recursive query is not implemented");
    }
    if (s.offset) {
      ThrowAt(s.offset->location, SqlState::kFeatureNotSupported,
              "OFFSET in a recursive query is not implemented");
    }
    if (s.limit) {
      ThrowAt(s.limit->location, SqlState::kFeatureNotSupported,
              "LIMIT in a recursive query is not implemented");
    }
    if (!s.locking.empty()) {
      ThrowAt(s.locking[0].location, SqlState::kFeatureNotSupported,
              "FOR UPDATE/SHARE in a recursive query is not implemented");
    }
    check.Select(*s.larg, Context::kNonRecursiveTerm);
    WellFormed right(c.name);
    right.Select(*s.rarg, Context::kOk);
  }
}

}  // namespace activestore::planner
