// SELECT: targets, WHERE, GROUP BY / aggregates / HAVING, DISTINCT, ORDER BY, LIMIT, VALUES
// and set operations.
//
// Order of the plan above the FROM tree: Aggregate -> Filter(HAVING) -> Project(targets +
// hidden ORDER BY columns) -> Distinct -> Sort -> Limit -> Project(targets only).
#include <algorithm>
#include <set>
#include <string_view>

#include "common/json.h"
#include "common/jsonpath.h"
#include "common/value_ops.h"
#include "planner/bind_composite.h"
#include "planner/binder.h"
#include "planner/index_scan_planner.h"
#include "planner/interrupts.h"

namespace activestore::planner {

namespace {

PlanPtr MakeNode(PlanKind kind, PlanPtr child) {
  auto n = std::make_shared<PlanNode>();
  n->kind = kind;
  n->output_types = child->output_types;
  n->output_names = child->output_names;
  n->children = {std::move(child)};
  return n;
}

struct OrderSpec {
  int target = -1;  // index into the projected row
  bool descending = false;
  bool nulls_first = false;
};

bool IsIntegerLiteral(const ast::Expr& e) {
  return e.kind == ast::ExprKind::kConstant && e.const_kind == ast::ConstKind::kInteger;
}

// The select list over the rows of the sort and limit: the first targets.size() columns, and
// each postponed item computed there from the columns passed up (`passed`: its input column ->
// the position carrying it).
PlanPtr VisibleOutputs(PlanPtr plan, const std::vector<SelectTarget>& targets,
                       const std::vector<BoundExprPtr>& postponed,
                       const std::map<int, int>& passed) {
  std::vector<BoundExprPtr> visible;
  std::vector<std::string> visible_names;
  for (size_t i = 0; i < targets.size(); ++i) {
    if (postponed[i]) {
      visible.push_back(RemapColumns(postponed[i], [&passed](int c) {
        auto it = passed.find(c);
        return it == passed.end() ? -1 : it->second;
      }));
    } else {
      visible.push_back(MakeColumn(static_cast<int>(i), plan->output_types[i]));
    }
    visible_names.push_back(targets[i].name);
  }
  return MakeProject(plan, std::move(visible), std::move(visible_names));
}

}  // namespace

std::string Binder::ColumnDisplayName(int column) const {
  const RowColumn& c = row_[column];
  return c.range.empty() ? c.name : c.range + "." + c.name;
}

// Adds a projection coercing the plan's outputs to `types` (unknown literals at the top of
// the plan are coerced in place, as PostgreSQL resolves them from their context).
PlanPtr CoercePlanOutputs(Binder* b, PlanPtr plan, const std::vector<Type>& types,
                          CoercionContext context, const std::vector<int>& locations) {
  bool same = true;
  for (size_t i = 0; i < types.size(); ++i) {
    if (plan->output_types[i] != types[i]) same = false;
  }
  if (same) return plan;
  auto loc = [&](size_t i) { return i < locations.size() ? locations[i] : -1; };
  if (plan->kind == PlanKind::kProject || plan->kind == PlanKind::kResult) {
    auto copy = std::make_shared<PlanNode>(*plan);
    for (size_t i = 0; i < types.size(); ++i) {
      copy->exprs[i] = b->Coerce(copy->exprs[i], types[i], context, loc(i));
      copy->output_types[i] = copy->exprs[i]->type;
    }
    return copy;
  }
  if (plan->kind == PlanKind::kValues) {
    auto copy = std::make_shared<PlanNode>(*plan);
    for (auto& row : copy->values_rows)
      for (size_t i = 0; i < types.size(); ++i)
        row[i] = b->Coerce(row[i], types[i], context, loc(i));
    for (size_t i = 0; i < types.size(); ++i) copy->output_types[i] = types[i];
    return copy;
  }
  std::vector<BoundExprPtr> exprs;
  for (size_t i = 0; i < types.size(); ++i) {
    exprs.push_back(b->Coerce(MakeColumn(static_cast<int>(i), plan->output_types[i]), types[i],
                              context, loc(i)));
  }
  return MakeProject(plan, std::move(exprs), plan->output_names);
}

PlanPtr Binder::PlanSelect(const ast::SelectStmt& s) {
  PlanPtr plan = PlanSelectBody(s);
  FinishCtes(s.with.get());
  return plan;
}

PlanPtr Binder::PlanSelectBody(const ast::SelectStmt& s) {
  CheckInterrupts();  // a statement of many SELECTs (UNION ALL arms, subqueries) binds long
  RegisterCtes(s.with.get());
  if (!s.locking.empty()) {
    const char* what = ast::LockStrengthName(s.locking[0].strength);
    if (s.set_op != ast::SetOpType::kNone) {
      ThrowAt(s.locking[0].location, SqlState::kFeatureNotSupported,
              "{} is not allowed with UNION/INTERSECT/EXCEPT", what);
    }
    if (!s.values_rows.empty()) {
      ThrowAt(s.locking[0].location, SqlState::kFeatureNotSupported,
              "{} cannot be applied to VALUES", what);
    }
  }
  if (s.set_op != ast::SetOpType::kNone) return PlanSetOp(s);
  if (!s.values_rows.empty()) return ApplySortLimit(PlanValues(s), s, false);
  return PlanSimpleSelect(s);
}

ColumnOrigin Binder::OriginOf(const BoundExprPtr& e) const {
  if (e->kind != BoundExprKind::kColumn || e->column_index < 0 ||
      e->column_index >= static_cast<int>(row_.size())) {
    return {};
  }
  const int range = row_[e->column_index].range_index;
  if (range < 0) return {};
  const RangeEntry& r = ranges_[range];
  if (r.origin == 0) return {};
  return {r.origin, static_cast<int16_t>(e->column_index - r.first + 1)};
}

void Binder::ExpandTargets(const std::vector<ast::ResultTarget>& targets,
                           std::vector<SelectTarget>* out) {
  for (const auto& t : targets) {
    const ast::Expr& e = *t.expr;
    if (e.kind == ast::ExprKind::kColumnRef && e.star) {
      if (e.names.empty()) {
        if (scope_.visible.empty() && ranges_.empty()) {
          ThrowAt(e.location, SqlState::kSyntaxError,
                  "SELECT * with no tables specified is not valid");
        }
        if (member_parent_ != nullptr) {
          // An inheritance member's RETURNING *: the parent's columns, then the FROM items'.
          for (const storage::ColumnInfo& c : member_parent_->columns) {
            for (const auto& v : scope_.visible) {
              if (v.name == c.name && v.expr->kind == BoundExprKind::kColumn &&
                  row_[v.expr->column_index].range_index == 0) {
                out->push_back({v.expr, v.name, e.location});
                break;
              }
            }
          }
          for (const auto& v : scope_.visible) {
            if (v.expr->kind != BoundExprKind::kColumn ||
                row_[v.expr->column_index].range_index != 0) {
              out->push_back({v.expr, v.name, e.location});
            }
          }
          continue;
        }
        for (const auto& v : scope_.visible) out->push_back({v.expr, v.name, e.location});
        continue;
      }
      const std::string& table = e.names.back();
      const std::string* schema = e.names.size() >= 2 ? &e.names[e.names.size() - 2] : nullptr;
      const RangeEntry* range = nullptr;
      for (int idx : scope_.ranges) {
        const RangeEntry& r = ranges_[idx];
        if (r.alias == table && (!schema || r.schema == *schema)) range = &r;
      }
      if (!range) {
        // `t.*` of an enclosing query's item: each column as an outer reference.
        for (Binder* b = parent_; b && !range; b = b->parent_) {
          for (int idx : b->active_scope_->ranges) {
            const RangeEntry& r = b->ranges_[idx];
            if (r.alias == table && (!schema || r.schema == *schema)) range = &r;
          }
        }
        if (!range) {
          ThrowAt(e.location, SqlState::kUndefinedTable,
                  "missing FROM-clause entry for table \"{}\"", table);
        }
        const std::vector<std::string> columns(range->columns.begin(),
                                               range->columns.end() - range->hidden);
        for (const std::string& c : columns) {
          ast::Expr ref(ast::ExprKind::kColumnRef, e.location);
          ref.names = e.names;
          ref.names.push_back(c);
          out->push_back({BindExpr(ref), c, e.location});
        }
        continue;
      }
      for (size_t i = 0; i + range->hidden < range->columns.size(); ++i) {
        out->push_back({range->Column(i), range->columns[i], e.location});
      }
      continue;
    }
    if (e.kind == ast::ExprKind::kFieldSelect && e.star) {
      // (x).*: every field of the row value as a column (ExpandRowReference).
      BoundExprPtr row = BindExpr(*e.args[0]);
      std::vector<CompositeField> fields;
      if (!RowValueFields(*row, &fields)) {
        if (row->type.id == kRecordType) {
          ThrowAt(e.location, SqlState::kFeatureNotSupported,
                  "record type has not been registered");
        }
        ThrowAt(e.location, SqlState::kWrongObjectType,
                "column notation .* applied to type {}, which is not a composite type",
                TypeDisplayName(row->type));
      }
      for (size_t i = 0; i < fields.size(); ++i) {
        out->push_back({RowValueField(row, i, fields[i].type), fields[i].name, e.location});
      }
      continue;
    }
    BoundExprPtr b = BindExpr(e);
    if (resolve_unknown_outputs_) b = ResolveUnknown(b, e.location);
    out->push_back({b, t.alias.value_or(FigureColname(e)), e.location});
  }
}

BoundExprPtr Binder::BindLimitValue(const ast::Expr* e, Clause clause) {
  if (!e) return nullptr;
  const char* what = clause == Clause::kLimit ? "LIMIT" : "OFFSET";
  Clause saved = clause_;
  clause_ = clause;
  BoundExprPtr b = BindExpr(*e);
  clause_ = saved;
  std::set<int> cols;
  CollectColumns(b, &cols);
  if (!cols.empty()) {
    ThrowAt(e->location, SqlState::kInvalidColumnReference,
            "argument of {} must not contain variables", what);
  }
  if (b->type.id != TypeId::kUnknown && b->type.id != TypeId::kInt64 &&
      !CanCoerce(b->type.id, TypeId::kInt64, CoercionContext::kImplicit)) {
    ThrowAt(e->location, SqlState::kDatatypeMismatch,
            "argument of {} must be type bigint, not type {}", what, TypeDisplayName(b->type));
  }
  return Coerce(b, T(TypeId::kInt64), CoercionContext::kImplicit, e->location);
}

PlanPtr Binder::ApplySortLimit(PlanPtr plan, const ast::SelectStmt& s, bool set_op) {
  if (!s.order_by.empty()) {
    std::vector<SortKey> keys;
    for (const auto& item : s.order_by) {
      const ast::Expr& e = *item.expr;
      int target = -1;
      if (IsIntegerLiteral(e)) {
        long pos = std::strtol(e.value_text.c_str(), nullptr, 10);
        if (pos < 1 || pos > static_cast<long>(plan->output_types.size())) {
          ThrowAt(e.location, SqlState::kInvalidColumnReference,
                  "ORDER BY position {} is not in select list", e.value_text);
        }
        target = static_cast<int>(pos - 1);
      } else if (e.kind == ast::ExprKind::kColumnRef && e.names.size() == 1 && !e.star) {
        for (size_t i = 0; i < plan->output_names.size(); ++i) {
          if (plan->output_names[i] != e.names[0]) continue;
          if (target >= 0) {
            ThrowAt(e.location, SqlState::kAmbiguousColumn, "ORDER BY \"{}\" is ambiguous",
                    e.names[0]);
          }
          target = static_cast<int>(i);
        }
        if (target < 0 && !set_op) {
          ThrowAt(e.location, SqlState::kUndefinedColumn, "column \"{}\" does not exist",
                  e.names[0]);
        }
      }
      if (target < 0) {
        Error err(SqlState::kFeatureNotSupported, "invalid UNION/INTERSECT/EXCEPT ORDER BY clause");
        err.Detail("Only result column names can be used, not expressions or functions.");
        err.Hint(
            "Add the expression/function to every SELECT, or move the UNION into a FROM "
            "clause.");
        if (e.location >= 0) err.Position(e.location + 1);
        throw err;
      }
      RequireSortGroupOperator(plan->output_types[target], true, e.location);
      SortKey key;
      key.expr = MakeColumn(target, plan->output_types[target]);
      key.descending = item.descending;
      key.nulls_first = item.nulls_first.value_or(item.descending);
      keys.push_back(std::move(key));
    }
    auto sort = std::const_pointer_cast<PlanNode>(MakeNode(PlanKind::kSort, plan));
    sort->sort_keys = std::move(keys);
    plan = sort;
  }
  CheckWithTies(s);
  BoundExprPtr limit = BindLimitValue(s.limit.get(), Clause::kLimit);
  BoundExprPtr offset = BindLimitValue(s.offset.get(), Clause::kOffset);
  if (limit || offset) {
    auto lim = std::const_pointer_cast<PlanNode>(MakeNode(PlanKind::kLimit, plan));
    lim->limit = limit;
    lim->offset = offset;
    if (s.limit_with_ties) {
      lim->with_ties = true;
      lim->sort_keys = plan->kind == PlanKind::kSort ? plan->sort_keys : std::vector<SortKey>{};
    }
    plan = lim;
  }
  return plan;
}

void Binder::CheckWithTies(const ast::SelectStmt& s) {
  if (!s.limit_with_ties) return;
  if (s.order_by.empty()) {
    Throw(SqlState::kSyntaxError, "WITH TIES cannot be specified without ORDER BY clause");
  }
  if (s.limit && s.limit->kind == ast::ExprKind::kConstant &&
      s.limit->const_kind == ast::ConstKind::kNull) {
    ThrowAt(s.limit->location, SqlState::kInvalidRowCountInLimitClause,
            "row count cannot be null in FETCH FIRST ... WITH TIES clause");
  }
  for (const ast::LockingClause& lc : s.locking) {
    if (lc.wait == ast::LockWait::kSkipLocked) {
      Throw(SqlState::kFeatureNotSupported,
            "SKIP LOCKED and WITH TIES options cannot be used together");
    }
  }
}

PlanPtr Binder::PlanValues(const ast::SelectStmt& s) {
  size_t width = s.values_rows[0].size();
  std::vector<std::vector<BoundExprPtr>> rows;
  std::vector<std::vector<int>> locs;
  Clause saved = clause_;
  clause_ = Clause::kValues;
  for (const auto& row : s.values_rows) {
    if (row.size() != width) {
      ThrowAt(row.empty() ? s.location : row[0]->location, SqlState::kSyntaxError,
              "VALUES lists must all be the same length");
    }
    std::vector<BoundExprPtr> bound;
    std::vector<int> l;
    for (const auto& e : row) {
      bound.push_back(BindExpr(*e));
      l.push_back(e->location);
    }
    rows.push_back(std::move(bound));
    locs.push_back(std::move(l));
  }
  clause_ = saved;
  auto node = std::make_shared<PlanNode>();
  node->kind = PlanKind::kValues;
  for (size_t c = 0; c < width; ++c) {
    std::vector<BoundExprPtr> column;
    std::vector<int> l;
    bool all_unknown = true;
    for (size_t r = 0; r < rows.size(); ++r) {
      column.push_back(rows[r][c]);
      l.push_back(locs[r][c]);
      all_unknown &= rows[r][c]->type.id == TypeId::kUnknown;
    }
    Type t = T(TypeId::kUnknown);
    if (!all_unknown || resolve_unknown_outputs_) t = CommonType(&column, l, "VALUES");
    for (size_t r = 0; r < rows.size(); ++r) rows[r][c] = column[r];
    node->output_types.push_back(t);
    node->output_names.push_back("column" + std::to_string(c + 1));
  }
  node->values_rows = std::move(rows);
  return node;
}

PlanPtr Binder::PlanSetOpTree(const ast::SelectStmt& s) {
  // An operand: its own query level for names, same level for outer references.
  Binder operand(ctx_, parent_, this, this);
  operand.resolve_unknown_outputs_ = false;
  if (s.set_op != ast::SetOpType::kNone && s.order_by.empty() && !s.limit && !s.offset && !s.with) {
    return operand.PlanSetOp(s);
  }
  return operand.PlanSelect(s);
}

PlanPtr Binder::PlanSetOp(const ast::SelectStmt& s) {
  const char* name = s.set_op == ast::SetOpType::kUnion       ? "UNION"
                     : s.set_op == ast::SetOpType::kIntersect ? "INTERSECT"
                                                              : "EXCEPT";
  PlanPtr left = PlanSetOpTree(*s.larg);
  PlanPtr right = PlanSetOpTree(*s.rarg);
  if (left->output_types.size() != right->output_types.size()) {
    int loc = s.rarg->location;
    if (!s.rarg->targets.empty()) loc = s.rarg->targets[0].expr->location;
    ThrowAt(loc, SqlState::kSyntaxError, "each {} query must have the same number of columns",
            name);
  }
  std::vector<Type> types;
  for (size_t i = 0; i < left->output_types.size(); ++i) {
    std::vector<BoundExprPtr> probe = {MakeColumn(0, left->output_types[i]),
                                       MakeColumn(1, right->output_types[i])};
    // Typing only: unknown columns stay unknown here, coerced below.
    Type a = left->output_types[i], b = right->output_types[i];
    Type t;
    if (a.id == TypeId::kUnknown && b.id == TypeId::kUnknown) {
      t = resolve_unknown_outputs_ ? T(TypeId::kText) : T(TypeId::kUnknown);
    } else {
      std::vector<BoundExprPtr> typed;
      for (const auto& x : probe)
        if (x->type.id != TypeId::kUnknown) typed.push_back(x);
      int loc = -1;
      if (i < s.rarg->targets.size()) loc = s.rarg->targets[i].expr->location;
      t = CommonType(&typed, {loc, loc}, name);
    }
    types.push_back(t);
    // All but UNION ALL compare rows: each column needs an equality operator.
    if (!(s.set_all && s.set_op == ast::SetOpType::kUnion)) {
      const int loc = i < s.larg->targets.size() ? s.larg->targets[i].expr->location : -1;
      RequireSortGroupOperator(t, false, loc);
    }
  }
  left = CoercePlanOutputs(this, left, types, CoercionContext::kImplicit, {});
  right = CoercePlanOutputs(this, right, types, CoercionContext::kImplicit, {});
  auto node = std::make_shared<PlanNode>();
  node->kind = PlanKind::kSetOp;
  node->set_op = s.set_op == ast::SetOpType::kUnion       ? SetOpKind::kUnion
                 : s.set_op == ast::SetOpType::kIntersect ? SetOpKind::kIntersect
                                                          : SetOpKind::kExcept;
  node->set_all = s.set_all;
  node->output_types = left->output_types;
  node->output_names = left->output_names;
  node->children = {left, right};
  return ApplySortLimit(node, s, true);
}

PlanPtr Binder::PlanSimpleSelect(const ast::SelectStmt& s) {
  std::unique_ptr<JoinNode> root = BindFromList(s.from);

  std::vector<BoundExprPtr> where;
  if (s.where) {
    clause_ = Clause::kWhere;
    SplitConjuncts(BindCondition(*s.where, "WHERE"), &where);
  }

  window_defs_ = &s.windows;
  for (size_t i = 0; i < s.windows.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (s.windows[j].name == s.windows[i].name) {
        ThrowAt(s.windows[i].location, SqlState::kWindowingError,
                "window \"{}\" is already defined", s.windows[i].name);
      }
    }
  }
  clause_ = Clause::kSelectList;
  std::vector<SelectTarget> targets;
  ExpandTargets(s.targets, &targets);
  if (&s == extra_targets_for_) ExpandTargets(*extra_targets_, &targets);
  if (&s == ctx_->origin_select) {
    ctx_->output_origins.clear();
    for (const SelectTarget& t : targets) ctx_->output_origins.push_back(OriginOf(t.expr));
  }

  clause_ = Clause::kGroupBy;
  GroupBy grouping = BindGroupBy(s, targets);
  std::vector<BoundExprPtr>& groups = grouping.exprs;

  BoundExprPtr having;
  if (s.having) {
    clause_ = Clause::kHaving;
    having = BindCondition(*s.having, "HAVING");
  }

  // ORDER BY and DISTINCT ON: output names and ordinals first, then expressions over the input
  // (PostgreSQL's findTargetlistEntrySQL92); an expression not in the list is a hidden column.
  clause_ = Clause::kOrderBy;
  std::vector<SelectTarget> hidden;
  const bool plain_distinct = s.distinct && s.distinct_on.empty();
  auto resolve_target = [&](const ast::Expr& e, const char* what) {
    int target = -1;
    if (IsIntegerLiteral(e)) {
      long pos = std::strtol(e.value_text.c_str(), nullptr, 10);
      if (pos < 1 || pos > static_cast<long>(targets.size())) {
        ThrowAt(e.location, SqlState::kInvalidColumnReference,
                "{} position {} is not in select list", what, e.value_text);
      }
      return static_cast<int>(pos - 1);
    }
    if (e.kind == ast::ExprKind::kColumnRef && e.names.size() == 1 && !e.star) {
      for (size_t i = 0; i < targets.size(); ++i) {
        if (targets[i].name != e.names[0]) continue;
        if (target >= 0 && !ExprEquals(targets[target].expr, targets[i].expr)) {
          ThrowAt(e.location, SqlState::kAmbiguousColumn, "{} \"{}\" is ambiguous", what,
                  e.names[0]);
        }
        if (target < 0) target = static_cast<int>(i);
      }
    }
    if (target >= 0) return target;
    BoundExprPtr b = ResolveUnknown(BindExpr(e), e.location);
    for (size_t i = 0; i < targets.size() && target < 0; ++i) {
      if (ExprEquals(targets[i].expr, b)) target = static_cast<int>(i);
    }
    for (size_t i = 0; i < hidden.size() && target < 0; ++i) {
      if (ExprEquals(hidden[i].expr, b)) target = static_cast<int>(targets.size() + i);
    }
    if (target < 0) {
      if (plain_distinct) {
        ThrowAt(e.location, SqlState::kInvalidColumnReference,
                "for SELECT DISTINCT, ORDER BY expressions must appear in select list");
      }
      hidden.push_back({b, "?column?", e.location});
      target = static_cast<int>(targets.size() + hidden.size() - 1);
    }
    return target;
  };
  auto require_operator = [&](int t, bool ordering, int location) {
    const size_t i = static_cast<size_t>(t);
    const Type& type =
        i < targets.size() ? targets[i].expr->type : hidden[i - targets.size()].expr->type;
    RequireSortGroupOperator(type, ordering, location);
  };
  std::vector<OrderSpec> order;
  for (const auto& item : s.order_by) {
    OrderSpec spec;
    spec.descending = item.descending;
    spec.nulls_first = item.nulls_first.value_or(item.descending);
    spec.target = resolve_target(*item.expr, "ORDER BY");
    require_operator(spec.target, true, item.expr->location);
    order.push_back(spec);
  }
  for (const auto& g : groups) RequireSortGroupOperator(g->type, false, -1);
  if (plain_distinct) {
    for (size_t i = 0; i < targets.size(); ++i) {
      RequireSortGroupOperator(targets[i].expr->type, false, targets[i].location);
    }
  }
  // DISTINCT ON (PostgreSQL's transformDistinctOnClause): the ORDER BY items among its
  // expressions must come first; the rows are sorted by its expressions (in that order, the
  // rest ascending) then by the other ORDER BY items, and the first row of each group is kept.
  std::vector<int> distinct_on;
  if (!s.distinct_on.empty()) {
    std::vector<int> locations;
    for (const auto& e : s.distinct_on) {
      int t = resolve_target(*e, "DISTINCT ON");
      require_operator(t, false, e->location);
      if (std::find(distinct_on.begin(), distinct_on.end(), t) != distinct_on.end()) continue;
      distinct_on.push_back(t);
      locations.push_back(e->location);
    }
    auto location_of = [&](int target) {
      auto it = std::find(distinct_on.begin(), distinct_on.end(), target);
      return locations[it - distinct_on.begin()];
    };
    auto mismatch = [](int location) {
      ThrowAt(location, SqlState::kInvalidColumnReference,
              "SELECT DISTINCT ON expressions must match initial ORDER BY expressions");
    };
    std::vector<OrderSpec> keys, rest;
    bool skipped = false;
    for (const OrderSpec& o : order) {
      if (std::find(distinct_on.begin(), distinct_on.end(), o.target) == distinct_on.end()) {
        skipped = true;
        rest.push_back(o);
        continue;
      }
      if (skipped) mismatch(location_of(o.target));
      bool dup = false;
      for (const OrderSpec& k : keys) dup |= k.target == o.target;
      if (!dup) keys.push_back(o);
    }
    for (int t : distinct_on) {
      bool in_keys = false;
      for (const OrderSpec& k : keys) in_keys |= k.target == t;
      if (in_keys) continue;
      if (skipped) mismatch(location_of(t));
      OrderSpec spec;
      spec.target = t;
      keys.push_back(spec);
    }
    keys.insert(keys.end(), rest.begin(), rest.end());
    order = std::move(keys);
  }
  clause_ = Clause::kNone;
  // Every window of the WINDOW clause is checked, used or not (as PostgreSQL does); aggregates
  // may appear in them.
  clause_ = Clause::kSelectList;
  for (const ast::WindowDef& w : s.windows) BindWindowDef(w);
  clause_ = Clause::kNone;

  RowLocking locking =
      BindLocking(s, root.get(), !groups.empty() || grouping.has_sets, having != nullptr, targets);
  // The columns of the tables locked by their primary key: hidden outputs that LockRows reads
  // (row_columns become their output positions).
  std::vector<std::vector<int>> lock_key_outputs;
  for (const PlanNode::RowLockTarget& k : locking.by_key) {
    std::vector<int> outputs;
    for (int c : k.row_columns) {
      outputs.push_back(static_cast<int>(targets.size() + hidden.size()));
      hidden.push_back(SelectTarget{MakeColumn(c, row_[c].type), "?column?", -1});
    }
    lock_key_outputs.push_back(std::move(outputs));
  }

  std::vector<SelectTarget> all_targets = targets;
  all_targets.insert(all_targets.end(), hidden.begin(), hidden.end());

  // Columns the FROM tree must deliver.
  std::set<int> needed;
  for (const auto& t : all_targets) CollectColumns(t.expr, &needed);
  for (const auto& g : groups) CollectColumns(g, &needed);
  if (having) CollectColumns(having, &needed);
  for (const auto& a : aggregates_) {
    for (const auto& x : a.args) CollectColumns(x, &needed);
    if (a.filter) CollectColumns(a.filter, &needed);
  }
  ForEachWindowExpr([&needed](const BoundExprPtr& e) {
    CollectColumns(e, &needed);
    return e;
  });

  if (!locking.leaf) PullUpExists(&root, &where);
  PlannedRel rel;
  if (locking.leaf && locking.leaf != SingleTableLeaf(root.get())) {
    // FOR ... OF t over inner joins: t's leaf first, reading its row locations (the join
    // carries its left side's).
    auto& items = root->children;
    auto it = std::find_if(items.begin(), items.end(), [&](const std::unique_ptr<JoinNode>& c) {
      return c.get() == locking.leaf;
    });
    std::rotate(items.begin(), it, it + 1);
    items.front()->emit_row_location = true;
    rel = PlanJoinTree(*root, needed, where);
  } else if (locking.leaf) {
    rel = PlanLeaf(*locking.leaf, needed, where, /*emit_row_location=*/true);
  } else if (root) {
    rel = PlanJoinTree(*root, needed, where);
  } else {
    rel.plan = MakeProject(nullptr, {}, {});
    if (!where.empty()) {
      auto f = std::const_pointer_cast<PlanNode>(MakeNode(PlanKind::kFilter, rel.plan));
      f->predicate = MakeAnd(where);
      rel.plan = f;
    }
  }
  std::map<int, int> pos;
  for (size_t i = 0; i < rel.cols.size(); ++i) pos[rel.cols[i]] = static_cast<int>(i);
  auto map = [&pos](int c) {
    auto it = pos.find(c);
    return it == pos.end() ? -1 : it->second;
  };
  PlanPtr plan = rel.plan;

  std::vector<BoundExprPtr> outputs;
  for (const auto& t : all_targets) outputs.push_back(t.expr);

  bool aggregating = !aggregates_.empty() || !groups.empty() || having || grouping.has_sets;
  if (aggregating) {
    FinishGrouping(grouping);
    // Rewrite the expressions above the Aggregate onto its output: group values, then
    // aggregate results. A bare column must be grouped (or be functionally dependent on a
    // grouped primary key).
    auto group_index = [&](const BoundExpr& n) -> int {
      for (size_t g = 0; g < groups.size(); ++g)
        if (ExprEquals(groups[g], std::make_shared<BoundExpr>(n))) return static_cast<int>(g);
      return -1;
    };
    auto dependent_on_key = [&](int column) -> bool {
      const RowColumn& rc = row_[column];
      if (rc.range_index < 0) return false;
      const RangeEntry& r = ranges_[rc.range_index];
      if (!r.table || r.table->primary_key.empty()) return false;
      for (int k : r.table->primary_key) {
        bool found = false;
        for (size_t g = 0; g < groups.size(); ++g) {
          // With grouping sets, only a key column of every set counts (PostgreSQL's
          // groupClauseCommonVars).
          bool common = true;
          for (const auto& set : grouping.sets) {
            common &= std::find(set.begin(), set.end(), static_cast<int>(g)) != set.end();
          }
          found |= common && groups[g]->kind == BoundExprKind::kColumn &&
                   groups[g]->column_index == r.first + k;
        }
        if (!found) return false;
      }
      return true;
    };
    std::function<BoundExprPtr(const BoundExpr&, int)> post = [&](const BoundExpr& n,
                                                                  int depth) -> BoundExprPtr {
      if (depth == 0) {
        if (n.kind == BoundExprKind::kAggregate) {
          // This query's aggregate, or (outer_depth > 0) an enclosing query's, which that
          // query maps onto its own Aggregate's output.
          return std::make_shared<BoundExpr>(n);
        }
        int g = group_index(n);
        if (g >= 0) return MakeColumn(g, n.type);
        if (n.kind == BoundExprKind::kColumn) {
          if (dependent_on_key(n.column_index)) {
            for (auto& set : grouping.sets) set.push_back(static_cast<int>(groups.size()));
            groups.push_back(MakeColumn(n.column_index, n.type));
            return MakeColumn(static_cast<int>(groups.size()) - 1, n.type);
          }
          auto at = column_locations_.find(n.column_index);
          ThrowAt(at == column_locations_.end() ? -1 : at->second, SqlState::kGroupingError,
                  "column \"{}\" must appear in the GROUP BY clause or be used in an aggregate "
                  "function",
                  ColumnDisplayName(n.column_index));
        }
        return nullptr;
      }
      if (n.kind == BoundExprKind::kOuterColumn && n.outer_depth == depth) {
        for (size_t g = 0; g < groups.size(); ++g) {
          if (groups[g]->kind == BoundExprKind::kColumn &&
              groups[g]->column_index == n.column_index) {
            auto o = std::make_shared<BoundExpr>(n);
            o->column_index = static_cast<int>(g);
            return o;
          }
        }
        Throw(SqlState::kGroupingError, "subquery uses ungrouped column \"{}\" from outer query",
              ColumnDisplayName(n.column_index));
      }
      return nullptr;
    };
    for (auto& o : outputs) o = RewriteExpr(o, post, false);
    if (having) having = RewriteExpr(having, post, false);
    ForEachWindowExpr([&post](const BoundExprPtr& e) { return RewriteExpr(e, post, false); });
    int ngroups = static_cast<int>(groups.size());
    // This query's aggregates, also those a subquery reads as an outer reference (an aggregate
    // over only this query's columns, bound in the subquery: PostgreSQL's agglevelsup).
    auto finish = [&](const BoundExpr& n, int depth) -> BoundExprPtr {
      if (n.kind != BoundExprKind::kAggregate || n.outer_depth != depth) return nullptr;
      if (depth == 0) return MakeColumn(ngroups + n.column_index, n.type);
      auto o = std::make_shared<BoundExpr>(n);
      o->kind = BoundExprKind::kOuterColumn;
      o->column_index = ngroups + n.column_index;
      return o;
    };
    for (auto& o : outputs) o = RewriteExpr(o, finish, false);
    if (having) having = RewriteExpr(having, finish, false);
    ForEachWindowExpr([&finish](const BoundExprPtr& e) { return RewriteExpr(e, finish, false); });

    // PostgreSQL's degenerate grouping (HAVING or empty grouping sets, no aggregates, no
    // grouping columns): the input is not read at all.
    if (aggregates_.empty() && groups.empty()) plan = MakeProject(nullptr, {}, {});
    auto agg = std::make_shared<PlanNode>();
    agg->kind = PlanKind::kAggregate;
    for (const auto& g : groups) {
      agg->group_exprs.push_back(RemapColumns(g, map));
      agg->output_types.push_back(g->type);
      agg->output_names.push_back("?column?");
    }
    for (const auto& a : aggregates_) {
      AggregateSpec spec = a;
      for (auto& x : spec.args) x = RemapColumns(x, map);
      if (spec.filter) spec.filter = RemapColumns(spec.filter, map);
      agg->output_types.push_back(spec.result_type);
      agg->output_names.push_back("?column?");
      agg->aggregates.push_back(std::move(spec));
    }
    agg->grouping_sets = grouping.sets;
    agg->children = {plan};
    // min(k) / max(k) through an index on k (index_scan_planner.h).
    if (PlanPtr input = MinMaxInput(*agg, *ctx_->catalog)) agg->children = {std::move(input)};
    plan = agg;
    if (having) {
      auto f = std::const_pointer_cast<PlanNode>(MakeNode(PlanKind::kFilter, plan));
      f->predicate = having;
      plan = f;
    }
    if (!groups.empty()) {
      std::vector<BoundExprPtr> target_exprs;
      for (const auto& t : all_targets) target_exprs.push_back(t.expr);
      if (grouping.has_sets) {
        for (const auto& t : target_exprs) {
          VisitExpr(t, [](const BoundExpr& n, int depth) {
            if (depth == 0 && n.kind == BoundExprKind::kFunction && n.op == "time_bucket_gapfill") {
              Throw(SqlState::kFeatureNotSupported,
                    "time_bucket_gapfill with grouping sets is not supported");
            }
          });
        }
      } else {
        plan = PlanGapFill(plan, target_exprs, groups, where, &outputs);
        if (plan->kind == PlanKind::kGapFill) {
          // A window over the filled rows would see locf/interpolate's argument, not the
          // filled value.
          ForEachWindowExpr([](const BoundExprPtr& e) {
            VisitExpr(e, [](const BoundExpr& n, int depth) {
              if (depth == 0 && n.kind == BoundExprKind::kFunction &&
                  (n.op == "locf" || n.op == "interpolate")) {
                Throw(SqlState::kFeatureNotSupported,
                      "{} in a window function over time_bucket_gapfill is not supported", n.op);
              }
            });
            return e;
          });
        }
      }
    }
  } else {
    for (auto& o : outputs) o = RemapColumns(o, map);
    ForEachWindowExpr([&map](const BoundExprPtr& e) { return RemapColumns(e, map); });
  }
  if (!window_funcs_.empty()) plan = PlanWindows(plan, &outputs);

  std::vector<std::string> names;
  for (const auto& t : all_targets) names.push_back(t.name);
  bool trivial_result = !root && where.empty() && !aggregating && window_funcs_.empty();
  // Volatile select-list items that no ORDER BY key is are computed after the sort and the
  // LIMIT, for the rows returned only (PostgreSQL's make_sort_input_target postpones them past
  // the Sort): `nextval('s') ... ORDER BY x LIMIT 10` takes 10 values. Below, such an item is a
  // NULL placeholder and the columns it reads are passed up after the outputs.
  std::vector<BoundExprPtr> postponed(targets.size());
  std::map<int, int> passed;  // column of the projection's input -> its output position
  if (!trivial_result && !plain_distinct && distinct_on.empty() && !locking.table &&
      locking.by_key.empty() && !s.limit_with_ties && (!order.empty() || s.limit || s.offset)) {
    std::set<int> keys;
    for (const OrderSpec& o : order) keys.insert(o.target);
    bool srf = false;
    for (const auto& o : outputs) {
      VisitExpr(o, [&](const BoundExpr& n, int) { srf |= IsSetReturningCall(n); });
    }
    for (size_t i = 0; i < targets.size() && !srf; ++i) {
      if (keys.count(static_cast<int>(i)) > 0 || !ContainsVolatile(outputs[i])) continue;
      postponed[i] = outputs[i];
      std::set<int> cols;
      CollectColumns(outputs[i], &cols);
      for (int c : cols) passed.emplace(c, -1);
      auto null = std::make_shared<BoundExpr>();
      null->kind = BoundExprKind::kConstant;
      null->type = postponed[i]->type;
      null->value.is_null = true;
      outputs[i] = std::move(null);
    }
  }
  for (auto& [column, position] : passed) {
    position = static_cast<int>(outputs.size());
    outputs.push_back(MakeColumn(column, plan->output_types[column]));
    names.push_back("?column?");
  }
  plan = trivial_result ? MakeProject(nullptr, std::move(outputs), names)
                        : MakeProject(plan, std::move(outputs), names);
  plan = MakeProjectSet(plan);

  if (plain_distinct) plan = MakeNode(PlanKind::kDistinct, plan);
  std::vector<SortKey> sort_keys;
  if (!order.empty()) {
    auto sort = std::const_pointer_cast<PlanNode>(MakeNode(PlanKind::kSort, plan));
    for (const auto& o : order) {
      SortKey key;
      key.expr = MakeColumn(o.target, plan->output_types[o.target]);
      key.descending = o.descending;
      key.nulls_first = o.nulls_first;
      sort->sort_keys.push_back(std::move(key));
    }
    sort_keys = sort->sort_keys;
    plan = sort;
  }
  if (!distinct_on.empty()) {
    auto d = std::const_pointer_cast<PlanNode>(MakeNode(PlanKind::kDistinct, plan));
    d->columns = distinct_on;
    plan = d;
  }
  CheckWithTies(s);
  BoundExprPtr limit = BindLimitValue(s.limit.get(), Clause::kLimit);
  BoundExprPtr offset = BindLimitValue(s.offset.get(), Clause::kOffset);
  // Rows read in the ORDER BY's order through an index (or a hypertable's chunks in time
  // order) need no sort, and a LIMIT then stops the read early (index_scan_planner.h).
  if (plan->kind == PlanKind::kSort && distinct_on.empty()) {
    const bool limited = limit && !IsNullConst(limit);
    if (PlanPtr input = OrderedSortInput(*plan, limited, *ctx_->catalog)) plan = std::move(input);
  }
  if (locking.table || !locking.by_key.empty()) {
    // Below the LIMIT, above the sort: the rows returned are the rows locked (PostgreSQL's
    // LockRows node), and SKIP LOCKED rows do not count against the limit.
    auto lock = std::const_pointer_cast<PlanNode>(MakeNode(PlanKind::kLockRows, plan));
    lock->table = locking.table;
    lock->row_lock_mode = locking.mode;
    lock->row_lock_wait = locking.wait;
    for (size_t i = 0; i < locking.by_key.size(); ++i) {
      PlanNode::RowLockTarget t = locking.by_key[i];
      t.row_columns = lock_key_outputs[i];
      lock->lock_targets.push_back(std::move(t));
    }
    lock->lock_one_by_one = limit || offset;
    plan = lock;
  }
  auto make_limit = [&](PlanPtr input, BoundExprPtr count, BoundExprPtr skip) -> PlanPtr {
    auto lim = std::const_pointer_cast<PlanNode>(MakeNode(PlanKind::kLimit, std::move(input)));
    lim->limit = std::move(count);
    lim->offset = std::move(skip);
    if (s.limit_with_ties) {
      lim->with_ties = true;
      lim->sort_keys = std::move(sort_keys);
    }
    return lim;
  };
  const bool postponing = std::any_of(postponed.begin(), postponed.end(),
                                      [](const BoundExprPtr& e) { return e != nullptr; });
  auto known = [](const BoundExprPtr& e) { return IsConst(e) && !e->value.is_null; };
  if (postponing && offset) {
    // PostgreSQL computes the skipped rows' items too: offset + count of them.
    if (limit && known(limit) && known(offset) && limit->value.i >= 0 && offset->value.i >= 0 &&
        limit->value.i <= INT64_MAX - offset->value.i) {
      plan = make_limit(plan, MakeConst(Value::Int64(limit->value.i + offset->value.i)), nullptr);
      plan = VisibleOutputs(plan, targets, postponed, passed);
      return make_limit(plan, nullptr, offset);
    }
    plan = VisibleOutputs(plan, targets, postponed, passed);
    return make_limit(plan, limit, offset);
  }
  if (limit || offset) plan = make_limit(plan, limit, offset);
  if (!hidden.empty() || postponing) plan = VisibleOutputs(plan, targets, postponed, passed);
  return plan;
}

// One GROUP BY expression: input column names first, then output names/ordinals (PostgreSQL's
// rule); its index in *groups (added unless an equal expression is there).
int Binder::BindGroupExpr(const ast::Expr& g, const std::vector<SelectTarget>& targets,
                          std::vector<BoundExprPtr>* groups) {
  BoundExprPtr b;
  if (IsIntegerLiteral(g)) {
    long pos = std::strtol(g.value_text.c_str(), nullptr, 10);
    if (pos < 1 || pos > static_cast<long>(targets.size())) {
      ThrowAt(g.location, SqlState::kInvalidColumnReference,
              "GROUP BY position {} is not in select list", g.value_text);
    }
    b = targets[pos - 1].expr;
  } else if (g.kind == ast::ExprKind::kColumnRef && g.names.size() == 1 && !g.star) {
    bool table_found = false;
    auto local = ResolveColumnLocal(g, &table_found);
    if (local) {
      b = *local;
    } else {
      for (const auto& t : targets) {
        if (t.name == g.names[0]) {
          if (b && !ExprEquals(b, t.expr)) {
            ThrowAt(g.location, SqlState::kAmbiguousColumn, "GROUP BY \"{}\" is ambiguous",
                    g.names[0]);
          }
          b = t.expr;
        }
      }
      if (!b) b = BindExpr(g);
    }
  } else {
    b = BindExpr(g);
  }
  bool has_agg = false, has_window = false;
  VisitExpr(b, [&](const BoundExpr& n, int depth) {
    if (depth == 0 && n.kind == BoundExprKind::kAggregate && n.outer_depth == 0) has_agg = true;
    if (depth == 0 && n.kind == BoundExprKind::kWindowFunc) has_window = true;
  });
  if (has_window) {
    // GROUP BY 1 naming a window call of the select list.
    int loc = g.location;
    if (IsIntegerLiteral(g))
      loc = targets[std::strtol(g.value_text.c_str(), nullptr, 10) - 1].location;
    ThrowAt(loc, SqlState::kWindowingError, "window functions are not allowed in GROUP BY");
  }
  if (has_agg) {
    ThrowAt(g.location, SqlState::kGroupingError,
            "aggregate functions are not allowed in GROUP BY");
  }
  b = ResolveUnknown(b, g.location);
  RequireSortGroupOperator(
      b->type, false,
      IsIntegerLiteral(g) ? targets[std::strtol(g.value_text.c_str(), nullptr, 10) - 1].location
                          : g.location);
  for (size_t i = 0; i < groups->size(); ++i) {
    if (ExprEquals((*groups)[i], b)) return static_cast<int>(i);
  }
  groups->push_back(b);
  return static_cast<int>(groups->size()) - 1;
}

namespace {

using GroupingSet = std::vector<int>;

// a ∪ b, in order of first appearance.
GroupingSet Union(GroupingSet a, const GroupingSet& b) {
  for (int x : b)
    if (std::find(a.begin(), a.end(), x) == a.end()) a.push_back(x);
  return a;
}

}  // namespace

// PostgreSQL's transformGroupClause + expand_grouping_sets: every item of the clause gives a
// list of sets (an expression one set of itself, ROLLUP its prefixes, CUBE every subset,
// GROUPING SETS the concatenation of its items' lists, () the empty set); the clause's sets are
// the cartesian product of the items' lists, ordered by size (GROUP BY DISTINCT: without
// duplicates). A parenthesized list `(a, b)` is one composite element.
Binder::GroupBy Binder::BindGroupBy(const ast::SelectStmt& s,
                                    const std::vector<SelectTarget>& targets) {
  GroupBy out;
  // The set of one element (a composite `(a, b)` is several expressions).
  auto element = [&](const ast::Expr& e) {
    GroupingSet set;
    if (e.kind == ast::ExprKind::kRow) {
      for (const auto& a : e.args) set = Union(set, {BindGroupExpr(*a, targets, &out.exprs)});
    } else {
      set.push_back(BindGroupExpr(e, targets, &out.exprs));
    }
    return set;
  };
  std::function<std::vector<GroupingSet>(const ast::Expr&)> expand =
      [&](const ast::Expr& e) -> std::vector<GroupingSet> {
    if (e.kind != ast::ExprKind::kGroupingSet) return {element(e)};
    std::vector<GroupingSet> sets;
    if (e.op == "EMPTY") return {GroupingSet{}};
    if (e.op == "SETS") {
      for (const auto& a : e.args) {
        for (GroupingSet& x : expand(*a)) sets.push_back(std::move(x));
      }
      return sets;
    }
    std::vector<GroupingSet> elements;
    for (const auto& a : e.args) elements.push_back(element(*a));
    if (e.op == "ROLLUP") {
      GroupingSet prefix;
      sets.push_back(prefix);
      for (const GroupingSet& x : elements) {
        prefix = Union(prefix, x);
        sets.push_back(prefix);
      }
      return sets;
    }
    if (elements.size() > 12) {
      ThrowAt(e.location, SqlState::kProgramLimitExceeded, "CUBE is limited to 12 elements");
    }
    for (uint32_t mask = 0; mask < (1u << elements.size()); ++mask) {
      GroupingSet set;
      for (size_t i = 0; i < elements.size(); ++i) {
        if (mask & (1u << i)) set = Union(set, elements[i]);
      }
      sets.push_back(std::move(set));
    }
    return sets;
  };
  std::vector<GroupingSet> product = {GroupingSet{}};
  for (const auto& item : s.group_by) {
    out.has_sets |= item->kind == ast::ExprKind::kGroupingSet;
    std::vector<GroupingSet> sets = expand(*item);
    if (product.size() * sets.size() > 4096) {
      ThrowAt(s.group_by[0]->location, SqlState::kStatementTooComplex,
              "too many grouping sets present (maximum 4096)");
    }
    std::vector<GroupingSet> next;
    for (const GroupingSet& a : product)
      for (const GroupingSet& b : sets) next.push_back(Union(a, b));
    product = std::move(next);
  }
  if (!out.has_sets) return out;
  if (s.group_distinct) {
    for (GroupingSet& set : product) std::sort(set.begin(), set.end());
    std::sort(product.begin(), product.end(), [](const GroupingSet& a, const GroupingSet& b) {
      return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    product.erase(std::unique(product.begin(), product.end()), product.end());
  } else {
    std::stable_sort(
        product.begin(), product.end(),
        [](const GroupingSet& a, const GroupingSet& b) { return a.size() < b.size(); });
  }
  // One non-empty set is a plain GROUP BY (PostgreSQL drops the grouping sets).
  if (product.size() == 1 && !product[0].empty()) {
    out.has_sets = false;
    return out;
  }
  out.sets = std::move(product);
  return out;
}

BoundExprPtr Binder::BindGrouping(const ast::Expr& e) {
  if (e.args.size() >= 32) {
    ThrowAt(e.location, SqlState::kTooManyArguments, "GROUPING must have fewer than 32 arguments");
  }
  if (clause_ != Clause::kSelectList && clause_ != Clause::kHaving && clause_ != Clause::kOrderBy) {
    ThrowAt(e.location, SqlState::kGroupingError, "grouping operations are not allowed in {}",
            ClauseName(clause_));
  }
  if (in_aggregate_) {
    ThrowAt(e.location, SqlState::kGroupingError, "aggregate function calls cannot be nested");
  }
  AggregateSpec spec;
  spec.kind = AggKind::kGrouping;
  spec.result_type = T(TypeId::kInt32);
  std::vector<int> locations;
  for (const auto& a : e.args) {
    spec.args.push_back(BindExpr(*a));
    locations.push_back(a->location);
  }
  grouping_arg_locations_[static_cast<int>(aggregates_.size())] = std::move(locations);
  return AddAggregate(std::move(spec));
}

// GROUPING's value in each set: bit i (counting from the last argument) set when argument i is
// not grouped in that set. 42803 for an argument that is not a GROUP BY expression.
void Binder::FinishGrouping(const GroupBy& grouping) {
  for (auto& [index, locations] : grouping_arg_locations_) {
    AggregateSpec& spec = aggregates_[index];
    std::vector<int> group_of;
    for (size_t i = 0; i < spec.args.size(); ++i) {
      int found = -1;
      for (size_t g = 0; g < grouping.exprs.size() && found < 0; ++g) {
        if (ExprEquals(grouping.exprs[g], ResolveUnknown(spec.args[i], -1))) {
          found = static_cast<int>(g);
        }
      }
      if (found < 0) {
        ThrowAt(locations[i], SqlState::kGroupingError,
                "arguments to GROUPING must be grouping expressions of the associated query "
                "level");
      }
      group_of.push_back(found);
    }
    std::vector<std::vector<int>> sets = grouping.sets;
    if (sets.empty()) sets.emplace_back();  // a plain GROUP BY: every argument is grouped
    spec.grouping_masks.clear();
    for (const auto& set : sets) {
      int32_t mask = 0;
      for (int g : group_of) {
        const bool grouped =
            grouping.sets.empty() || std::find(set.begin(), set.end(), g) != set.end();
        mask = (mask << 1) | (grouped ? 0 : 1);
      }
      spec.grouping_masks.push_back(mask);
    }
  }
}

// The base-table leaf when the FROM clause is just one table (the binder wraps FROM items in
// an inner-join node), else null.
const JoinNode* Binder::SingleTableLeaf(const JoinNode* node) {
  while (node != nullptr && node->kind == JoinNode::Kind::kInner && node->children.size() == 1 &&
         node->conjuncts.empty()) {
    node = node->children[0].get();
  }
  if (node == nullptr || node->kind != JoinNode::Kind::kLeaf || !node->table) return nullptr;
  return node;
}

namespace {

// The FROM-row column ranges (by their first column) on the nullable side of an outer join.
void CollectNullable(const JoinNode& n, bool nullable, std::set<int>* out) {
  if (n.kind == JoinNode::Kind::kLeaf) {
    if (nullable) out->insert(n.first);
    return;
  }
  for (size_t i = 0; i < n.children.size(); ++i) {
    bool side = nullable;
    if (n.kind == JoinNode::Kind::kOuter) {
      side |= (i == 1 && (n.join_type == JoinType::kLeft || n.join_type == JoinType::kFull)) ||
              (i == 0 && (n.join_type == JoinType::kRight || n.join_type == JoinType::kFull));
    }
    CollectNullable(*n.children[i], side, out);
  }
}

const JoinNode* FindLeaf(const JoinNode* n, int first) {
  if (n == nullptr) return nullptr;
  if (n->kind == JoinNode::Kind::kLeaf) return n->first == first ? n : nullptr;
  for (const auto& c : n->children) {
    if (const JoinNode* l = FindLeaf(c.get(), first)) return l;
  }
  return nullptr;
}

}  // namespace

Binder::RowLocking Binder::BindLocking(const ast::SelectStmt& s, const JoinNode* root, bool grouped,
                                       bool has_having, const std::vector<SelectTarget>& targets) {
  RowLocking out;
  if (s.locking.empty()) return out;
  const ast::LockingClause& first = s.locking[0];
  const char* what = ast::LockStrengthName(first.strength);
  // PostgreSQL's CheckSelectLocking, in its order and without a position.
  auto refuse = [&](const char* with) {
    Throw(SqlState::kFeatureNotSupported, "{} is not allowed with {}", what, with);
  };
  if (s.distinct) refuse("DISTINCT clause");
  if (grouped) refuse("GROUP BY clause");
  if (has_having) refuse("HAVING clause");
  if (!aggregates_.empty()) refuse("aggregate functions");
  if (!window_funcs_.empty()) refuse("window functions");
  for (const SelectTarget& t : targets) {
    bool srf = false;
    VisitExpr(t.expr, [&srf](const BoundExpr& n, int depth) {
      srf |= depth == 0 && IsSetReturningCall(n);
    });
    if (srf) refuse("set-returning functions in the target list");
  }

  // The FROM items each clause applies to: every one, or those named by OF (by alias). The
  // strongest strength and wait policy of the clauses naming an item win (PostgreSQL's rule).
  struct Locked {
    int range;
    int strength;
    int wait;
  };
  std::vector<Locked> locked;
  auto add = [&](int idx, const ast::LockingClause& lc) {
    for (Locked& l : locked) {
      if (l.range != idx) continue;
      l.strength = std::max(l.strength, static_cast<int>(lc.strength));
      l.wait = std::max(l.wait, static_cast<int>(lc.wait));
      return;
    }
    locked.push_back({idx, static_cast<int>(lc.strength), static_cast<int>(lc.wait)});
  };
  for (const ast::LockingClause& lc : s.locking) {
    if (lc.relations.empty()) {
      for (int idx : scope_.ranges) {
        const char* refusal = ranges_[idx].lock_refusal;
        // A function's or a WITH query's rows are not locked (PostgreSQL leaves them alone);
        // the tables inside a join alias would be, which is not supported (below).
        if (refusal != nullptr && std::string_view(refusal) != "a join") continue;
        add(idx, lc);
      }
      continue;
    }
    for (const ast::QualifiedName& q : lc.relations) {
      if (q.parts.size() > 1) {
        ThrowAt(q.location, SqlState::kSyntaxError, "{} must specify unqualified relation names",
                ast::LockStrengthName(lc.strength));
      }
      int found = -1;
      for (int idx : scope_.ranges) {
        if (ranges_[idx].alias == q.name()) found = idx;
      }
      if (found < 0) {
        ThrowAt(q.location, SqlState::kUndefinedTable,
                "relation \"{}\" in {} clause not found in FROM clause", q.name(),
                ast::LockStrengthName(lc.strength));
      }
      if (const char* refusal = ranges_[found].lock_refusal) {
        ThrowAt(q.location, SqlState::kFeatureNotSupported, "{} cannot be applied to {}",
                ast::LockStrengthName(lc.strength), refusal);
      }
      add(found, lc);
    }
  }
  if (locked.empty()) return out;
  int strength = 0, wait = 0;
  for (const Locked& l : locked) {
    strength = std::max(strength, l.strength);
    wait = std::max(wait, l.wait);
  }
  out.mode = static_cast<uint8_t>(strength);
  out.wait = static_cast<uint8_t>(wait);

  // One table alone: LockRows locks the rows through the row locations the scan carries.
  const JoinNode* leaf = SingleTableLeaf(root);
  if (leaf != nullptr && locked.size() == 1 && ranges_[locked[0].range].table &&
      ranges_[locked[0].range].table->oid == leaf->table->oid && leaf->inheritance.empty()) {
    out.table = leaf->table;
    out.leaf = leaf;
    return out;
  }
  // `OF t` where t is one base table of the inner joins of the FROM clause: PlanSimpleSelect
  // puts its leaf first, so that the joined rows carry t's row locations.
  if (locked.size() == 1 && root != nullptr && root->kind == JoinNode::Kind::kInner) {
    const RangeEntry& r = ranges_[locked[0].range];
    for (const auto& c : root->children) {
      if (r.table && c->kind == JoinNode::Kind::kLeaf && c->table &&
          c->table->oid == r.table->oid && c->first == r.first && !c->plan &&
          c->inheritance.empty() && !c->has_tableoid) {
        out.table = r.table;
        out.leaf = c.get();
        return out;
      }
    }
  }
  // Otherwise each locked table's row is found again by its primary key's values in the joined
  // row (read in the same snapshot, so the same version) and locked there.
  std::set<int> nullable;
  if (root != nullptr) CollectNullable(*root, false, &nullable);
  for (const Locked& l : locked) {
    const RangeEntry& r = ranges_[l.range];
    const char* name = ast::LockStrengthName(static_cast<ast::LockStrength>(l.strength));
    if (!r.table) {
      Throw(SqlState::kFeatureNotSupported,
            "{} of \"{}\" is not supported yet: only tables in FROM are locked, not subqueries, "
            "views, join aliases or system catalogs",
            name, r.alias);
    }
    if (nullable.count(r.first)) {
      Throw(SqlState::kFeatureNotSupported,
            "{} cannot be applied to the nullable side of an outer join", name);
    }
    const JoinNode* l_leaf = FindLeaf(root, r.first);
    if (l_leaf == nullptr || l_leaf->table == nullptr || l_leaf->plan) {
      Throw(SqlState::kFeatureNotSupported, "{} of \"{}\" is not supported yet here", name,
            r.alias);
    }
    if (!l_leaf->inheritance.empty()) {
      // The rows come from several tables (the children, a hypertable's chunks).
      Throw(SqlState::kFeatureNotSupported,
            "{} is not supported yet on a table with inheritance children or chunks", name);
    }
    if (r.table->primary_key.empty()) {
      Throw(SqlState::kFeatureNotSupported,
            "{} of table \"{}\" together with other FROM items is supported only on a table "
            "with a primary key",
            name, r.table->name);
    }
    PlanNode::RowLockTarget k;
    k.table = r.table;
    for (size_t c = 0; c < r.table->columns.size(); ++c) {
      k.row_columns.push_back(r.first + static_cast<int>(c));
    }
    k.mode = static_cast<uint8_t>(l.strength);
    k.wait = static_cast<uint8_t>(l.wait);
    out.by_key.push_back(std::move(k));
  }
  return out;
}

}  // namespace activestore::planner
