// SEARCH and CYCLE clauses of a recursive WITH query, rewritten as PostgreSQL's
// rewriteSearchAndCycle does (src/backend/rewrite/rewriteSearchCycle.c):
//
//   WITH RECURSIVE t (c1, c2, c3) AS (q1 UNION [ALL] q2)
//     SEARCH DEPTH FIRST BY c1, c2 SET sqc
//     CYCLE c1, c2 SET cmc TO v DEFAULT d USING cpa
//
// becomes
//
//   q1' = SELECT c1, c2, c3, ARRAY[ROW(c1, c2)], d, ARRAY[ROW(c1, c2)] FROM (q1)
//   q2' = SELECT c1, c2, c3, sqc || ARRAY[ROW(c1, c2)],
//                CASE WHEN ROW(c1, c2) = ANY (cpa) THEN v ELSE d END, cpa || ARRAY[ROW(c1, c2)]
//         FROM (q2 with t.sqc, t.cmc, t.cpa added to its select list)
//         WHERE cmc <> v
//
// (BREADTH FIRST: ROW(0::int8, c1, c2) and ROW((sqc).f1 + 1, c1, c2).) The work table has the
// added columns, so the recursive term may read them (`WHERE NOT is_cycle`); they are carried
// through it as extra select-list items of its top-level SELECT, which is why the reference to
// the WITH query must be one of that SELECT's FROM items.
//
// The wrappers are bound from expression trees built here over the bound terms, whose columns
// are given internal names (`*c1*`, ...) that a query cannot spell unquoted.
#include <algorithm>
#include <functional>
#include <set>

#include "common/error.h"
#include "planner/binder.h"
#include "planner/bound_expr_util.h"
#include "planner/type_rules.h"

namespace activestore::planner {

namespace {

using ast::Expr;
using ast::ExprKind;
using ast::ExprPtr;

std::string InternalName(size_t i) { return "*c" + std::to_string(i + 1) + "*"; }
constexpr const char* kMarkValue = "*cmv*";
constexpr const char* kMarkDefault = "*cmd*";

ExprPtr Column(const std::string& name) {
  auto e = std::make_unique<Expr>(ExprKind::kColumnRef);
  e->names = {name};
  return e;
}

ExprPtr Node(ExprKind kind, std::vector<ExprPtr> args) {
  auto e = std::make_unique<Expr>(kind);
  e->args = std::move(args);
  return e;
}

ExprPtr Binary(const char* op, ExprPtr l, ExprPtr r) {
  std::vector<ExprPtr> args;
  args.push_back(std::move(l));
  args.push_back(std::move(r));
  auto e = Node(ExprKind::kBinaryOp, std::move(args));
  e->op = op;
  return e;
}

ExprPtr Integer(const char* text) {
  auto e = std::make_unique<Expr>(ExprKind::kConstant);
  e->const_kind = ast::ConstKind::kInteger;
  e->value_text = text;
  return e;
}

// ROW(c, ...) over the columns at `indexes` of the wrapped term, after `first` if given.
ExprPtr RowOf(const std::vector<size_t>& indexes, ExprPtr first = nullptr) {
  std::vector<ExprPtr> args;
  if (first) args.push_back(std::move(first));
  for (size_t i : indexes) args.push_back(Column(InternalName(i)));
  return Node(ExprKind::kRow, std::move(args));
}

ExprPtr ArrayOf(ExprPtr element) {
  std::vector<ExprPtr> args;
  args.push_back(std::move(element));
  return Node(ExprKind::kArray, std::move(args));
}

// array_cat(path, ARRAY[ROW(cols)])
ExprPtr AppendPath(const std::string& path, const std::vector<size_t>& indexes) {
  std::vector<ExprPtr> args;
  args.push_back(Column(path));
  args.push_back(ArrayOf(RowOf(indexes)));
  auto e = Node(ExprKind::kFuncCall, std::move(args));
  e->names = {"array_cat"};
  return e;
}

// The positions of `columns` among `names`; PostgreSQL's checks and messages.
std::vector<size_t> ClauseColumns(const std::vector<std::string>& columns,
                                  const std::vector<std::string>& names, const char* what,
                                  int location) {
  std::vector<size_t> out;
  std::set<std::string> seen;
  for (const std::string& c : columns) {
    auto it = std::find(names.begin(), names.end(), c);
    if (it == names.end()) {
      ThrowAt(location, SqlState::kSyntaxError, "{} column \"{}\" not in WITH query column list",
              what, c);
    }
    if (!seen.insert(c).second) {
      ThrowAt(location, SqlState::kDuplicateColumn, "{} column \"{}\" specified more than once",
              what, c);
    }
    out.push_back(static_cast<size_t>(it - names.begin()));
  }
  return out;
}

bool Contains(const std::vector<std::string>& names, const std::string& n) {
  return std::find(names.begin(), names.end(), n) != names.end();
}

// The alias of the reference to WITH query `name` among the FROM items of `s` (joins
// included), unless `s` has a WITH query of that name of its own.
std::optional<std::string> TopLevelReference(const ast::SelectStmt& s, const std::string& name) {
  if (s.with) {
    for (const ast::CommonTableExpr& c : s.with->ctes) {
      if (c.name == name) return std::nullopt;
    }
  }
  std::optional<std::string> found;
  std::function<void(const ast::TableRef&)> walk = [&](const ast::TableRef& r) {
    if (found) return;
    if (r.kind == ast::TableRefKind::kTable) {
      if (r.name.parts.size() == 1 && r.name.parts[0] == name) found = r.alias.value_or(name);
      return;
    }
    if (r.kind == ast::TableRefKind::kJoin) {
      walk(*r.left);
      walk(*r.right);
    }
  };
  for (const ast::TableRefPtr& r : s.from) walk(*r);
  return found;
}

}  // namespace

namespace {

// The CYCLE mark's value and default, coerced to their common type (PostgreSQL binds them
// before the query).
std::pair<BoundExprPtr, BoundExprPtr> CycleMarks(Binder* b, const ast::CteCycleClause& c) {
  std::vector<BoundExprPtr> marks = {b->BindExpr(*c.mark_value), b->BindExpr(*c.mark_default)};
  b->CommonType(&marks, {c.mark_value->location, c.mark_default->location}, "CYCLE");
  marks[0] = b->ResolveUnknown(marks[0], c.mark_value->location);
  marks[1] = b->ResolveUnknown(marks[1], c.mark_default->location);
  // The mark is compared with `<>` (the negator of the type's equality).
  if (!HasBtreeOperators(marks[0]->type.id)) {
    Throw(SqlState::kUndefinedFunction, "could not identify an equality operator for type {}",
          TypeName(marks[0]->type));
  }
  return {marks[0], marks[1]};
}

}  // namespace

PlanPtr Binder::BindSearchCycleLeft(const ast::CommonTableExpr& cte, PlanPtr left,
                                    const std::vector<std::string>& names) {
  const ast::SelectStmt& q = *cte.query;
  if (q.larg->set_op != ast::SetOpType::kNone) {
    Throw(SqlState::kFeatureNotSupported,
          "with a SEARCH or CYCLE clause, the left side of the UNION must be a SELECT");
  }
  if (q.rarg->set_op != ast::SetOpType::kNone) {
    Throw(SqlState::kSyntaxError,
          "with a SEARCH or CYCLE clause, the right side of the UNION must be a SELECT");
  }
  const ast::CteSearchClause* search = cte.search.get();
  const ast::CteCycleClause* cycle = cte.cycle.get();
  std::vector<size_t> search_cols, cycle_cols;
  if (search) {
    search_cols = ClauseColumns(search->columns, names, "search", search->location);
    if (Contains(names, search->seq_column)) {
      ThrowAt(search->location, SqlState::kSyntaxError,
              "search sequence column name \"{}\" already used in WITH query column list",
              search->seq_column);
    }
  }
  if (cycle) {
    cycle_cols = ClauseColumns(cycle->columns, names, "cycle", cycle->location);
    if (Contains(names, cycle->mark_column)) {
      ThrowAt(cycle->location, SqlState::kSyntaxError,
              "cycle mark column name \"{}\" already used in WITH query column list",
              cycle->mark_column);
    }
    if (Contains(names, cycle->path_column)) {
      ThrowAt(cycle->location, SqlState::kSyntaxError,
              "cycle path column name \"{}\" already used in WITH query column list",
              cycle->path_column);
    }
    if (cycle->mark_column == cycle->path_column) {
      ThrowAt(cycle->location, SqlState::kSyntaxError,
              "cycle mark column name and cycle path column name are the same");
    }
  }
  if (search && cycle) {
    if (search->seq_column == cycle->mark_column) {
      ThrowAt(search->location, SqlState::kSyntaxError,
              "search sequence column name and cycle mark column name are the same");
    }
    if (search->seq_column == cycle->path_column) {
      ThrowAt(search->location, SqlState::kSyntaxError,
              "search sequence column name and cycle path column name are the same");
    }
  }

  Binder wb(ctx_, parent_, this, this);
  const size_t ncols = left->output_types.size();
  std::vector<std::string> aliases;
  for (size_t i = 0; i < ncols; ++i) aliases.push_back(InternalName(i));
  PlanPtr input = left;
  if (cycle) {
    std::vector<BoundExprPtr> exprs;
    for (size_t i = 0; i < ncols; ++i) exprs.push_back(MakeColumn(i, left->output_types[i]));
    exprs.push_back(CycleMarks(&wb, *cycle).second);
    aliases.push_back(kMarkDefault);
    input = MakeProject(left, std::move(exprs), aliases);
  }
  wb.AddPlanRange(input, "*TLOCRN*", aliases, &wb.scope_, -1);
  wb.clause_ = Clause::kSelectList;

  std::vector<BoundExprPtr> exprs;
  std::vector<std::string> out_names = names;
  for (size_t i = 0; i < ncols; ++i) exprs.push_back(MakeColumn(i, left->output_types[i]));
  if (search) {
    ExprPtr seq;
    if (search->breadth_first) {
      auto zero = Node(ExprKind::kCast, {});
      zero->args.push_back(Integer("0"));
      zero->type = ast::TypeName{"bigint"};
      seq = RowOf(search_cols, std::move(zero));
    } else {
      seq = ArrayOf(RowOf(search_cols));
    }
    exprs.push_back(wb.BindExpr(*seq));
    out_names.push_back(search->seq_column);
  }
  if (cycle) {
    exprs.push_back(wb.BindExpr(*Column(kMarkDefault)));
    exprs.push_back(wb.BindExpr(*ArrayOf(RowOf(cycle_cols))));
    out_names.push_back(cycle->mark_column);
    out_names.push_back(cycle->path_column);
  }
  return MakeProject(input, std::move(exprs), out_names);
}

PlanPtr Binder::BindSearchCycleRight(const ast::CommonTableExpr& cte, CteState* cs,
                                     Binder* right_binder, const std::vector<std::string>& names,
                                     size_t ncols) {
  const ast::SelectStmt& rarg = *cte.query->rarg;
  const ast::CteSearchClause* search = cte.search.get();
  const ast::CteCycleClause* cycle = cte.cycle.get();
  std::vector<std::string> own(names.begin(), names.begin() + static_cast<long>(ncols));
  std::vector<size_t> search_cols, cycle_cols;
  if (search) search_cols = ClauseColumns(search->columns, own, "search", search->location);
  if (cycle) cycle_cols = ClauseColumns(cycle->columns, own, "cycle", cycle->location);

  // The work table's added columns, carried through the recursive term.
  std::optional<std::string> alias = TopLevelReference(rarg, cte.name);
  std::vector<ast::ResultTarget> carried;
  if (alias) {
    for (size_t i = ncols; i < names.size(); ++i) {
      ast::ResultTarget t;
      t.expr = std::make_unique<Expr>(ExprKind::kColumnRef);
      t.expr->names = {*alias, names[i]};
      carried.push_back(std::move(t));
    }
    right_binder->extra_targets_for_ = &rarg;
    right_binder->extra_targets_ = &carried;
  }
  PlanPtr right = right_binder->PlanSelect(rarg);
  right_binder->extra_targets_for_ = nullptr;
  right_binder->extra_targets_ = nullptr;
  if (cs->self_refs == 0) return right;  // not recursive: the caller says so
  if (!alias) {
    Throw(SqlState::kFeatureNotSupported,
          "with a SEARCH or CYCLE clause, the recursive reference to WITH query \"{}\" must be at "
          "the top level of its right-hand SELECT",
          cte.name);
  }
  const size_t added = names.size() - ncols;
  const size_t total = right->output_types.size();
  const size_t produced = total - added;  // the recursive term's own select list
  if (produced != ncols && produced != ncols + added) {
    int loc = rarg.targets.empty() ? rarg.location : rarg.targets[0].expr->location;
    ThrowAt(loc, SqlState::kSyntaxError, "each UNION query must have the same number of columns");
  }
  const size_t first_added = produced;  // where the carried columns start

  Binder wb(ctx_, parent_, this, this);
  std::vector<std::string> aliases;
  for (size_t i = 0; i < total; ++i) {
    aliases.push_back(i < first_added ? InternalName(i) : "*a" + std::to_string(i) + "*");
  }
  // Names of the carried columns, in the order BindSearchCycleLeft added them.
  size_t next = first_added;
  std::string seq_name, mark_name, path_name;
  if (search) seq_name = aliases[next++];
  if (cycle) {
    mark_name = aliases[next++];
    path_name = aliases[next++];
  }
  PlanPtr input = right;
  if (cycle) {
    std::vector<BoundExprPtr> exprs;
    for (size_t i = 0; i < total; ++i) exprs.push_back(MakeColumn(i, right->output_types[i]));
    auto [value, dflt] = CycleMarks(&wb, *cycle);
    exprs.push_back(value);
    exprs.push_back(dflt);
    aliases.push_back(kMarkValue);
    aliases.push_back(kMarkDefault);
    input = MakeProject(right, std::move(exprs), aliases);
  }
  wb.AddPlanRange(input, "*TROCRN*", aliases, &wb.scope_, -1);
  if (cycle) {
    wb.clause_ = Clause::kWhere;
    input = MakeFilter(
        input, wb.BindCondition(*Binary("<>", Column(mark_name), Column(kMarkValue)), "WHERE"));
  }
  wb.clause_ = Clause::kSelectList;
  std::vector<BoundExprPtr> exprs;
  for (size_t i = 0; i < ncols; ++i) exprs.push_back(MakeColumn(i, right->output_types[i]));
  if (search) {
    ExprPtr seq;
    if (search->breadth_first) {
      // ROW((sqc).f1 + 1, cols): f1 is the depth of the record made by the left side.
      auto depth = Node(ExprKind::kFieldSelect, {});
      depth->args.push_back(Column(seq_name));
      depth->names = {"f1"};
      seq = RowOf(search_cols, Binary("+", std::move(depth), Integer("1")));
    } else {
      seq = AppendPath(seq_name, search_cols);
    }
    exprs.push_back(wb.BindExpr(*seq));
  }
  if (cycle) {
    // CASE WHEN ROW(cols) = ANY (cpa) THEN v ELSE d END
    std::vector<ExprPtr> args;
    args.push_back(RowOf(cycle_cols));
    args.push_back(Column(path_name));
    auto any = Node(ExprKind::kAnyAll, std::move(args));
    any->op = "=";
    auto mark = std::make_unique<Expr>(ExprKind::kCase);
    mark->when_then.push_back(std::move(any));
    mark->when_then.push_back(Column(kMarkValue));
    mark->else_expr = Column(kMarkDefault);
    exprs.push_back(wb.BindExpr(*mark));
    exprs.push_back(wb.BindExpr(*AppendPath(path_name, cycle_cols)));
  }
  return MakeProject(input, std::move(exprs), names);
}

}  // namespace activestore::planner
