// Row constructors in predicates, as PostgreSQL's transformAExprOp / make_row_comparison_op /
// make_row_distinct_op / transformAExprIn / transformSubLink read them:
//   (a, b) = (c, d)        a = c AND b = d            (<>: a <> c OR b <> d)
//   (a, b) < (c, d)        a < c OR (a = c AND b < d) (lexicographic; a NULL pair before the
//                                                      first unequal one makes it NULL)
//   (a, b) IS [NOT] DISTINCT FROM (c, d), (a, b) IS [NOT] NULL (every field), IN (rows)
//   (a, b) [NOT] IN (SELECT x, y), (a, b) op ANY/ALL (SELECT x, y), (a, b) op (SELECT x, y):
//       a kInSubquery with one child per column (row_compare for the last: at most one row).
// A row beside a composite value compares as record_eq/record_cmp (BindComparison); anywhere
// else a row is a value of type record (planner/bind_composite.cpp).
#include "common/composite.h"
#include "planner/bind_composite.h"
#include "planner/binder.h"

namespace activestore::planner {

namespace {

using K = ast::ExprKind;

bool IsRow(const ast::ExprPtr& e) { return e && e->kind == K::kRow; }

bool IsComparisonOp(const std::string& op) {
  return op == "=" || op == "<>" || op == "!=" || op == "<" || op == ">" || op == "<=" ||
         op == ">=";
}

[[noreturn]] void ThrowUnequalRows(int location) {
  ThrowAt(location, SqlState::kSyntaxError, "unequal number of entries in row expressions");
}

BoundExprPtr Bool(BoundExprKind kind, std::vector<BoundExprPtr> children) {
  if (children.size() == 1) return children[0];
  return MakeExpr(kind, T(TypeId::kBool), std::move(children));
}

}  // namespace

bool IsRowPredicate(const ast::Expr& e) {
  if (e.args.empty()) return false;
  switch (e.kind) {
    case K::kBinaryOp:
      return e.args.size() == 2 && IsComparisonOp(e.op) && (IsRow(e.args[0]) || IsRow(e.args[1]));
    case K::kIsNull:
    case K::kInList:
    case K::kInSubquery:
      return IsRow(e.args[0]);
    case K::kIsDistinct:
      return IsRow(e.args[0]) || IsRow(e.args[1]);
    case K::kAnyAll:
      return IsRow(e.args[0]) && e.subquery != nullptr;
    default:
      return false;
  }
}

// One side of a row comparison: its fields, bound (null for a nested row constructor).
struct Binder::RowFields {
  std::vector<const ast::Expr*> ast;
  std::vector<BoundExprPtr> bound;
};

Binder::RowFields Binder::BindRowFields(const ast::Expr& row) {
  RowFields f;
  for (const auto& a : row.args) {
    if ((a->kind == K::kColumnRef || a->kind == K::kFieldSelect) && a->star) {
      // ROW(t.*): each column of t is a field of the row (transformRowExpr's expansion), so
      // ROW(t.*) = ROW(u.*) compares field by field (a NULL field makes it NULL).
      BoundExprPtr whole = BindExpr(a->kind == K::kColumnRef ? *a : *a->args[0]);
      std::vector<CompositeField> cols;
      if (RowValueFields(*whole, &cols)) {
        for (size_t i = 0; i < cols.size(); ++i) {
          f.ast.push_back(a.get());
          f.bound.push_back(RowValueField(whole, i, cols[i].type));
        }
        continue;
      }
    }
    f.ast.push_back(a.get());
    f.bound.push_back(a->kind == K::kRow ? nullptr : BindExpr(*a));
  }
  return f;
}

// `op` of fields i of l and r (both rows, or both values).
BoundExprPtr Binder::CompareRowField(const std::string& op, const RowFields& l, const RowFields& r,
                                     size_t i, int location) {
  if (l.bound[i] && r.bound[i]) {
    return BindComparison(op, l.bound[i], r.bound[i], location, l.ast[i]->location,
                          r.ast[i]->location);
  }
  if (!l.bound[i] && !r.bound[i]) {
    return CompareRows(op, BindRowFields(*l.ast[i]), BindRowFields(*r.ast[i]), location);
  }
  Error err(SqlState::kUndefinedFunction,
            fmt::format("operator does not exist: {} {} {}",
                        l.bound[i] ? TypeDisplayName(l.bound[i]->type) : "record", op,
                        r.bound[i] ? TypeDisplayName(r.bound[i]->type) : "record"));
  err.Hint(
      "No operator matches the given name and argument types. You might need to add explicit "
      "type casts.");
  if (location >= 0) err.Position(location + 1);
  throw err;
}

BoundExprPtr Binder::CompareRows(const std::string& op_in, const RowFields& l, const RowFields& r,
                                 int location) {
  const std::string op = op_in == "!=" ? "<>" : op_in;
  if (l.ast.size() != r.ast.size()) ThrowUnequalRows(location);
  const size_t n = l.ast.size();
  if (n == 0) {
    ThrowAt(location, SqlState::kFeatureNotSupported, "cannot compare rows of zero length");
  }
  std::vector<BoundExprPtr> parts;
  if (op == "=" || op == "<>") {
    for (size_t i = 0; i < n; ++i) parts.push_back(CompareRowField(op, l, r, i, location));
    return Bool(op == "=" ? BoundExprKind::kAnd : BoundExprKind::kOr, std::move(parts));
  }
  // Lexicographic: R(i) = l_i strict r_i OR (l_i = r_i AND R(i + 1)); R(n - 1) = l op r.
  const std::string strict = op == "<" || op == "<=" ? "<" : ">";
  BoundExprPtr result = CompareRowField(op, l, r, n - 1, location);
  for (size_t i = n - 1; i-- > 0;) {
    BoundExprPtr eq = CompareRowField("=", l, r, i, location);
    result = Bool(BoundExprKind::kOr, {CompareRowField(strict, l, r, i, location),
                                       Bool(BoundExprKind::kAnd, {eq, result})});
  }
  return result;
}

BoundExprPtr Binder::BindRowPredicate(const ast::Expr& e) {
  switch (e.kind) {
    case K::kBinaryOp: {
      const ast::Expr& le = *e.args[0];
      const ast::Expr& re = *e.args[1];
      if (le.kind == K::kRow && re.kind == K::kRow) {
        return CompareRows(e.op, BindRowFields(le), BindRowFields(re), e.location);
      }
      if (le.kind == K::kRow && re.kind == K::kSubquery) {
        return BindRowSublink(e, e.op, /*all=*/false, /*row_compare=*/true);
      }
      // A row beside a value: PostgreSQL looks for an operator on record (record_eq, ...
      // between a row value and a composite value).
      BoundExprPtr other = BindExpr(le.kind == K::kRow ? re : le);
      if (IsRecordLike(other->type.id)) {
        BoundExprPtr row = BindRowValue(le.kind == K::kRow ? le : re);
        return le.kind == K::kRow
                   ? BindComparison(e.op, row, other, e.location, le.location, re.location)
                   : BindComparison(e.op, other, row, e.location, le.location, re.location);
      }
      Error err(SqlState::kUndefinedFunction,
                fmt::format("operator does not exist: {} {} {}",
                            le.kind == K::kRow ? "record" : TypeDisplayName(other->type), e.op,
                            re.kind == K::kRow ? "record" : TypeDisplayName(other->type)));
      err.Hint(
          "No operator matches the given name and argument types. You might need to add "
          "explicit type casts.");
      if (e.location >= 0) err.Position(e.location + 1);
      throw err;
    }
    case K::kIsNull: {
      RowFields f = BindRowFields(*e.args[0]);
      std::vector<BoundExprPtr> parts;
      for (size_t i = 0; i < f.bound.size(); ++i) {
        // A nested row constructor is never NULL.
        if (!f.bound[i]) {
          parts.push_back(MakeConst(Value::Bool(e.negated)));
          continue;
        }
        auto n = MakeExpr(BoundExprKind::kIsNull, T(TypeId::kBool), {f.bound[i]});
        std::const_pointer_cast<BoundExpr>(n)->negated = e.negated;
        parts.push_back(n);
      }
      if (parts.empty()) return MakeConst(Value::Bool(!e.negated));
      return Bool(BoundExprKind::kAnd, std::move(parts));
    }
    case K::kIsDistinct: {
      if (!IsRow(e.args[0]) || !IsRow(e.args[1])) {
        BoundExprPtr other = BindExpr(IsRow(e.args[0]) ? *e.args[1] : *e.args[0]);
        if (IsRecordLike(other->type.id)) {
          const bool left_row = IsRow(e.args[0]);
          BoundExprPtr row = BindRowValue(left_row ? *e.args[0] : *e.args[1]);
          auto cmp = left_row ? BindComparison("=", row, other, e.location)
                              : BindComparison("=", other, row, e.location);
          auto d = std::make_shared<BoundExpr>(*cmp);
          d->kind = BoundExprKind::kIsDistinct;
          d->op.clear();
          d->negated = e.negated;
          return d;
        }
        Error err(SqlState::kUndefinedFunction,
                  fmt::format("operator does not exist: {} = {}",
                              IsRow(e.args[0]) ? "record" : TypeDisplayName(other->type),
                              IsRow(e.args[1]) ? "record" : TypeDisplayName(other->type)));
        err.Hint(
            "No operator matches the given name and argument types. You might need to add "
            "explicit type casts.");
        if (e.location >= 0) err.Position(e.location + 1);
        throw err;
      }
      RowFields l = BindRowFields(*e.args[0]), r = BindRowFields(*e.args[1]);
      if (l.ast.size() != r.ast.size()) ThrowUnequalRows(e.location);
      std::vector<BoundExprPtr> parts;
      for (size_t i = 0; i < l.ast.size(); ++i) {
        if (!l.bound[i] || !r.bound[i]) {
          ThrowAt(e.location, SqlState::kFeatureNotSupported,
                  "IS DISTINCT FROM of nested rows is not supported");
        }
        auto cmp = BindComparison("=", l.bound[i], r.bound[i], e.location, l.ast[i]->location,
                                  r.ast[i]->location);
        auto d = std::make_shared<BoundExpr>(*cmp);
        d->kind = BoundExprKind::kIsDistinct;
        d->op.clear();
        parts.push_back(d);
      }
      BoundExprPtr any = Bool(BoundExprKind::kOr, std::move(parts));
      if (!e.negated) return any;
      return MakeExpr(BoundExprKind::kNot, T(TypeId::kBool), {any});
    }
    case K::kInList: {
      // (row) IN (row1, row2): row = row1 OR row = row2; NOT IN: row <> row1 AND ...
      RowFields l = BindRowFields(*e.args[0]);
      std::vector<BoundExprPtr> parts;
      for (size_t i = 1; i < e.args.size(); ++i) {
        const ast::Expr& item = *e.args[i];
        if (item.kind != K::kRow) {
          BoundExprPtr v = BindExpr(item);
          Error err(SqlState::kUndefinedFunction,
                    fmt::format("operator does not exist: record {} {}", e.negated ? "<>" : "=",
                                TypeDisplayName(v->type)));
          err.Hint(
              "No operator matches the given name and argument types. You might need to add "
              "explicit type casts.");
          if (e.location >= 0) err.Position(e.location + 1);
          throw err;
        }
        parts.push_back(CompareRows(e.negated ? "<>" : "=", l, BindRowFields(item), e.location));
      }
      return Bool(e.negated ? BoundExprKind::kAnd : BoundExprKind::kOr, std::move(parts));
    }
    case K::kInSubquery:
      return BindRowSublink(e, "=", false, false);
    case K::kAnyAll:
      return BindRowSublink(e, e.op, e.sublink_all, false);
    default:
      break;
  }
  ThrowAt(e.location, SqlState::kInternalError, "not a row predicate");
}

BoundExprPtr Binder::BindRowSublink(const ast::Expr& e, std::string op, bool all,
                                    bool row_compare) {
  if (op == "!=") op = "<>";
  const ast::Expr& row = *e.args[0];
  const ast::SelectStmt& query = row_compare ? *e.args[1]->subquery : *e.subquery;
  RowFields l = BindRowFields(row);
  bool correlated = false;
  PlanPtr plan = PlanSubquery(query, &correlated);
  const size_t n = l.ast.size();
  const int at = row_compare ? e.args[1]->location : e.location;
  if (plan->output_types.size() > n) {
    ThrowAt(at, SqlState::kSyntaxError, "subquery has too many columns");
  }
  if (plan->output_types.size() < n) {
    ThrowAt(at, SqlState::kSyntaxError, "subquery has too few columns");
  }
  if (!IsComparisonOp(op)) {
    ThrowAt(e.location, SqlState::kFeatureNotSupported, "operator {} is not supported with ANY/ALL",
            op);
  }
  std::vector<BoundExprPtr> lhs, rhs;
  bool project = false;
  for (size_t i = 0; i < n; ++i) {
    if (!l.bound[i]) {
      ThrowAt(l.ast[i]->location, SqlState::kFeatureNotSupported,
              "row expressions are not supported");
    }
    // Typed as if against a column of the subquery's type.
    auto cmp =
        BindComparison(op, l.bound[i], MakeColumn(static_cast<int>(i), plan->output_types[i]),
                       e.location, l.ast[i]->location);
    lhs.push_back(cmp->children[0]);
    rhs.push_back(cmp->children[1]);
    project |= rhs.back()->type != plan->output_types[i];
  }
  if (project) plan = MakeProject(plan, rhs, plan->output_names);
  auto s = std::make_shared<BoundExpr>();
  s->kind = BoundExprKind::kInSubquery;
  s->type = T(TypeId::kBool);
  s->op = op;
  s->sublink_all = all;
  s->negated = e.kind == K::kInSubquery && e.negated;
  s->row_compare = row_compare;
  s->children = std::move(lhs);
  s->subquery = std::move(plan);
  s->correlated = correlated;
  return s;
}

}  // namespace activestore::planner
