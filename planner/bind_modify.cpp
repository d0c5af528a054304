// INSERT, UPDATE, DELETE: target columns, defaults, assignment casts, RETURNING, and the
// row source (VALUES / SELECT for INSERT; a scan or primary key lookup that emits row
// locations for UPDATE and DELETE).
#include <algorithm>
#include <functional>
#include <set>

#include "common/array.h"
#include "common/user_types.h"
#include "planner/bind_composite.h"
#include "planner/binder.h"
#include "planner/domain_checks.h"
#include "planner/planner.h"

namespace activestore::planner {

namespace {

// `base` (a row of composite type `type`, column `column`) with the field that `target` (a
// kFieldSelect with op "assign", names the field path c.f1.f2) names set to value(field type,
// field name), as PostgreSQL's transformAssignmentIndirection for UPDATE SET col.f = x and
// INSERT INTO t (col.f); a nested field rebuilds each row on the path.
BoundExprPtr AssignField(BoundExprPtr base, Type type, const std::string& column,
                         const ast::Expr& target, size_t depth,
                         const std::function<BoundExprPtr(Type, const std::string&)>& value) {
  auto fields = CompositeFieldsOf(type.id);
  const std::string& field = target.names[depth];
  if (fields == nullptr) {
    ThrowAt(target.location, SqlState::kDatatypeMismatch,
            "cannot assign to field \"{}\" of column \"{}\" because its type {} is not a "
            "composite type",
            field, column, TypeDisplayName(type));
  }
  std::vector<BoundExprPtr> row;
  bool found = false;
  for (size_t i = 0; i < fields->size(); ++i) {
    const CompositeField& f = (*fields)[i];
    if (f.name != field) {
      row.push_back(RowValueField(base, i, f.type));
      continue;
    }
    found = true;
    if (depth + 1 < target.names.size()) {
      row.push_back(
          AssignField(RowValueField(base, i, f.type), f.type, column, target, depth + 1, value));
    } else {
      row.push_back(value(f.type, f.name));
    }
  }
  if (!found) {
    ThrowAt(target.location, SqlState::kUndefinedColumn,
            "cannot assign to field \"{}\" of column \"{}\" because there is no such column in "
            "data type {}",
            field, column, TypeDisplayName(type));
  }
  return MakeExpr(BoundExprKind::kFunction, type, std::move(row), "row");
}

}  // namespace

namespace {

std::vector<int> AllColumns(const storage::TableInfo& t) {
  std::vector<int> v;
  for (size_t i = 0; i < t.columns.size(); ++i) v.push_back(static_cast<int>(i));
  return v;
}

int FindColumn(const storage::TableInfo& t, const std::string& name) {
  for (size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i].name == name) return static_cast<int>(i);
  return -1;
}

// 42809 for INSERT/UPDATE/DELETE on a sequence or a materialized view, as PostgreSQL's
// CheckValidResultRel.
void CheckNotSequence(const storage::TableInfo& t) {
  if (t.is_sequence()) {
    Throw(SqlState::kWrongObjectType, "cannot change sequence \"{}\"", t.name);
  }
  if (t.matview) {
    Throw(SqlState::kWrongObjectType, "cannot change materialized view \"{}\"", t.name);
  }
}

// 428C9 for a value written into a generated column (PostgreSQL's rewriteTargetListIU).
[[noreturn]] void ThrowGeneratedColumn(const storage::ColumnInfo& c, bool update) {
  throw Error(SqlState::kGeneratedAlways,
              update ? fmt::format("column \"{}\" can only be updated to DEFAULT", c.name)
                     : fmt::format("cannot insert a non-DEFAULT value into column \"{}\"", c.name))
      .Detail(fmt::format("Column \"{}\" is a generated column.", c.name));
}

[[noreturn]] void ThrowIdentityAlways(const storage::ColumnInfo& c) {
  throw Error(SqlState::kGeneratedAlways,
              fmt::format("cannot insert a non-DEFAULT value into column \"{}\"", c.name))
      .Detail(
          fmt::format("Column \"{}\" is an identity column defined as GENERATED ALWAYS.", c.name))
      .Hint("Use OVERRIDING SYSTEM VALUE to override.");
}

// Whether the expression reads a column of its input (UPDATE SET a = a + 1 needs SELECT).
bool ReadsColumns(const BoundExprPtr& e) {
  if (!e) return false;
  if (e->kind == BoundExprKind::kColumn || e->subquery) return true;
  for (const auto& c : e->children) {
    if (ReadsColumns(c)) return true;
  }
  return false;
}

PlanPtr WithReturning(std::shared_ptr<PlanNode> node, const std::vector<SelectTarget>& returning) {
  for (const auto& r : returning) {
    node->returning.push_back(r.expr);
    node->output_types.push_back(r.expr->type);
    node->output_names.push_back(r.name);
  }
  return node;
}

// The value assigned to subfield `name` of type `type` (42804 `subfield "f" is of type x but
// expression is of type y`, as PostgreSQL's transformAssignmentIndirection).
BoundExprPtr CoerceSubfield(Binder* b, BoundExprPtr v, Type type, const std::string& name,
                            int target_location, int location) {
  if (auto row = b->CoerceRow(v, type, CoercionContext::kAssignment, location)) return *row;
  if (!CanCoerce(v->type.id, type.id, CoercionContext::kAssignment)) {
    Error err(SqlState::kDatatypeMismatch,
              fmt::format("subfield \"{}\" is of type {} but expression is of type {}", name,
                          TypeDisplayName(type), TypeDisplayName(v->type)));
    err.Hint("You will need to rewrite or cast the expression.");
    if (target_location >= 0) err.Position(target_location + 1);
    throw err;
  }
  return b->Coerce(std::move(v), type, CoercionContext::kAssignment, location);
}

}  // namespace

BoundExprPtr Binder::AssignCoerce(BoundExprPtr e, const storage::ColumnInfo& column, int location) {
  // A row constructor assigned to a composite column: field by field.
  if (auto row = CoerceRow(e, column.type, CoercionContext::kAssignment, location)) return *row;
  if (!CanCoerce(e->type.id, column.type.id, CoercionContext::kAssignment) &&
      !HasUserCast(e->type.id, column.type.id, CoercionContext::kAssignment)) {
    Error err(SqlState::kDatatypeMismatch,
              fmt::format("column \"{}\" is of type {} but expression is of type {}", column.name,
                          TypeDisplayName(column.type), TypeDisplayName(e->type)));
    err.Hint("You will need to rewrite or cast the expression.");
    if (location >= 0) err.Position(location + 1);
    throw err;
  }
  return Coerce(std::move(e), column.type, CoercionContext::kAssignment, location);
}

BoundExprPtr Binder::DefaultExpr(const storage::TableInfo& table, int column) {
  const storage::ColumnInfo& c = table.columns[column];
  // A generated column is NULL until computed after the BEFORE triggers (as in PostgreSQL).
  if (c.generated != 0) return MakeConst(Value::Null(c.type));
  std::optional<std::string> sql = c.default_sql;
  if (!sql && c.domain != 0 && ctx_->catalog != nullptr) {  // the domain's DEFAULT
    auto chain = DomainChain(*ctx_->catalog, c.domain);
    for (auto it = chain.rbegin(); it != chain.rend() && !sql; ++it) sql = (*it)->default_sql;
  }
  if (!sql) return MakeConst(Value::Null(c.type));
  auto query = ParseSelect("SELECT " + *sql);
  if (query->targets.size() != 1 || !query->from.empty()) {
    Throw(SqlState::kInternalError, "bad DEFAULT expression for column \"{}\"", c.name);
  }
  Binder b(ctx_, nullptr, nullptr);
  b.clause_ = Clause::kDefault;
  return b.AssignCoerce(b.BindExpr(*query->targets[0].expr), c, -1);
}

// The first subquery in `e`, or nullptr.
const ast::Expr* FindSubquery(const ast::Expr& e) {
  if (e.subquery) return &e;
  auto in = [](const ast::ExprPtr& a) { return a ? FindSubquery(*a) : nullptr; };
  for (const auto& a : e.args) {
    if (const ast::Expr* f = in(a)) return f;
  }
  for (const auto& a : e.when_then) {
    if (const ast::Expr* f = in(a)) return f;
  }
  if (const ast::Expr* f = in(e.else_expr)) return f;
  return in(e.filter);
}

BoundExprPtr Binder::BindCheck(std::shared_ptr<const storage::TableInfo> table,
                               const ast::Expr& e) {
  if (const ast::Expr* sub = FindSubquery(e)) {
    ThrowAt(sub->location, SqlState::kFeatureNotSupported,
            "cannot use subquery in check constraint");
  }
  Binder b(ctx_, nullptr, nullptr);
  b.AddTargetTable(table, std::nullopt, -1);
  b.clause_ = Clause::kCheck;
  BoundExprPtr bound = b.BindExpr(e);
  return b.RequireBool(std::move(bound), "CHECK", e.location);
}

void Binder::AttachChecks(const storage::TableInfo& table, PlanNode* node) {
  AttachDomainChecks(table, node);  // first: PostgreSQL checks them as it computes the row
  if (table.checks.empty()) return;
  std::vector<const storage::CheckConstraintInfo*> sorted;
  for (const auto& c : table.checks) sorted.push_back(&c);
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->name < b->name; });
  // A copy without the constraints: the binder only needs the columns.
  auto shape = std::make_shared<storage::TableInfo>(table);
  for (const storage::CheckConstraintInfo* c : sorted) {
    auto query = ParseSelect("SELECT " + c->expr);
    if (query->targets.size() != 1 || !query->from.empty()) {
      Throw(SqlState::kInternalError, "bad CHECK expression for constraint \"{}\"", c->name);
    }
    node->checks.push_back(BindCheck(shape, *query->targets[0].expr));
    node->check_names.push_back(c->name);
  }
}

std::vector<std::pair<int, BoundExprPtr>> Binder::GeneratedColumns(
    const storage::TableInfo& table, const std::vector<int>* assigned) {
  std::vector<std::pair<int, BoundExprPtr>> out;
  std::shared_ptr<const storage::TableInfo> shape;
  for (size_t c = 0; c < table.columns.size(); ++c) {
    const storage::ColumnInfo& col = table.columns[c];
    if (col.generated == 0 || !col.default_sql) continue;
    if (!shape) shape = std::make_shared<storage::TableInfo>(table);
    auto query = ParseSelect("SELECT " + *col.default_sql);
    if (query->targets.size() != 1 || !query->from.empty()) {
      Throw(SqlState::kInternalError, "bad generation expression for column \"{}\"", col.name);
    }
    Binder b(ctx_, nullptr, nullptr);
    b.AddTargetTable(shape, std::nullopt, -1);
    b.clause_ = Clause::kGenerated;
    BoundExprPtr e = b.AssignCoerce(b.BindExpr(*query->targets[0].expr), col, -1);
    if (assigned != nullptr) {
      std::set<int> reads;
      CollectColumns(e, &reads);
      if (std::none_of(assigned->begin(), assigned->end(),
                       [&](int a) { return reads.count(a) != 0; })) {
        continue;
      }
    }
    out.emplace_back(static_cast<int>(c), std::move(e));
  }
  return out;
}

std::unique_ptr<JoinNode> Binder::AddTargetTable(std::shared_ptr<const storage::TableInfo> table,
                                                 const std::optional<std::string>& alias,
                                                 int location) {
  RangeEntry entry;
  entry.alias = alias.value_or(table->name);
  entry.schema = alias ? "" : table->schema;
  entry.table = table;
  for (const auto& c : table->columns) {
    entry.columns.push_back(c.name);
    entry.types.push_back(c.type);
  }
  return AddRange(std::move(entry), &scope_, location);
}

std::vector<SelectTarget> Binder::BindReturning(const std::vector<ast::ResultTarget>& returning) {
  std::vector<SelectTarget> out;
  clause_ = Clause::kReturning;
  ExpandTargets(returning, &out);
  clause_ = Clause::kNone;
  return out;
}

namespace {

// Whether view `t` has an INSTEAD OF ROW trigger for `event` that may fire.
bool HasInsteadTrigger(const storage::TableInfo& t, int16_t event) {
  for (const storage::TriggerInfo& g : t.triggers) {
    if (g.instead() && (g.type & event) != 0 && g.enabled != 'D') return true;
  }
  return false;
}

// Whether the target is a view that takes `event` through its INSTEAD OF triggers (its rows
// are then read as a FROM item, without row locations, and handed to them:
// executor/triggers.h); 0A000 `<refusal> "v"` for a view without such a trigger.
bool ThroughInsteadTriggers(const storage::TableInfo& t, int16_t event, int location,
                            const char* refusal) {
  if (!t.is_view) return false;
  if (HasInsteadTrigger(t, event)) return true;
  Error e(SqlState::kFeatureNotSupported, fmt::format("{} \"{}\"", refusal, t.name));
  if (location >= 0) e.Position(location + 1);
  throw e;
}

}  // namespace

std::unique_ptr<JoinNode> Binder::TargetLeaf(const std::shared_ptr<const storage::TableInfo>& table,
                                             bool through_triggers, const ast::QualifiedName& name,
                                             const std::optional<std::string>& alias) {
  if (!through_triggers) {
    // A member is read under the parent's name, schema included (`public.t.x` in WHERE).
    const bool as_parent = member_target_ && !alias;
    auto leaf = AddTargetTable(table, as_parent ? std::optional<std::string>(name.name()) : alias,
                               name.location);
    if (as_parent) ranges_.back().schema = LookupTable(name)->schema;
    return leaf;
  }
  ast::TableRef ref;
  ref.kind = ast::TableRefKind::kTable;
  ref.name = name;
  ref.alias = alias;
  ref.location = name.location;
  return BindFromItem(ref, &scope_);
}

Binder::InsertTargets Binder::BindInsertTargets(const storage::TableInfo& table,
                                                const std::vector<std::string>& columns,
                                                const std::vector<int>& locations,
                                                const std::vector<ast::ExprPtr>& subscripts,
                                                int location) {
  InsertTargets t;
  if (columns.empty()) {
    t.columns = AllColumns(table);
    t.subs.assign(t.columns.size(), nullptr);
    return t;
  }
  std::vector<int> whole, partial;
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::string& name = columns[i];
    const int loc = i < locations.size() ? locations[i] : location;
    const ast::Expr* sub = i < subscripts.size() ? subscripts[i].get() : nullptr;
    int ord = FindColumn(table, name);
    if (ord < 0) {
      ThrowAt(loc, SqlState::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist",
              name, table.name);
    }
    auto has = [ord](const std::vector<int>& v) {
      return std::find(v.begin(), v.end(), ord) != v.end();
    };
    if (has(whole) || (!sub && has(partial))) {
      ThrowAt(loc, SqlState::kDuplicateColumn, "column \"{}\" specified more than once", name);
    }
    (sub ? partial : whole).push_back(ord);
    t.columns.push_back(ord);
    t.subs.push_back(sub);
  }
  return t;
}

BoundExprPtr Binder::AssignInto(const storage::TableInfo& table, const InsertTargets& t, size_t i,
                                BoundExprPtr base, BoundExprPtr value, int value_location) {
  const storage::ColumnInfo& col = table.columns[t.columns[i]];
  if (!base) base = MakeConst(Value::Null(col.type));
  if (t.subs[i]->kind == ast::ExprKind::kFieldSelect) {  // INSERT INTO t (col.f)
    return AssignField(std::move(base), col.type, col.name, *t.subs[i], 0,
                       [&](const Type& field_type, const std::string& field) {
                         return CoerceSubfield(this, value, field_type, field, t.subs[i]->location,
                                               value_location);
                       });
  }
  return BindArrayAssignment(*t.subs[i], std::move(base), col.type, col.name, std::move(value),
                             value_location);
}

// Identity columns (PostgreSQL's rewriteTargetListIU): OVERRIDING USER VALUE replaces what is
// given for them by their default; GENERATED ALWAYS refuses a value unless OVERRIDING SYSTEM
// VALUE.
bool Binder::IdentityDefault(const storage::ColumnInfo& c, ast::Overriding overriding) {
  if (c.identity == 0) return false;
  if (overriding == ast::Overriding::kUserValue) return true;
  if (c.identity == 'a' && overriding != ast::Overriding::kSystemValue) ThrowIdentityAlways(c);
  return false;
}

std::vector<BoundExprPtr> Binder::BindInsertRow(const storage::TableInfo& table,
                                                const InsertTargets& t, ast::Overriding overriding,
                                                const std::vector<ast::ExprPtr>& row,
                                                std::vector<BoundExprPtr> defaults, int location) {
  const Clause saved = clause_;
  clause_ = Clause::kValues;
  // The expressions first, then the lengths, then the assignment (transformInsertRow).
  std::vector<BoundExprPtr> bound(row.size());
  for (size_t i = 0; i < row.size(); ++i) {
    if (row[i]->kind != ast::ExprKind::kDefault) bound[i] = BindExpr(*row[i]);
  }
  if (row.size() > t.columns.size()) {
    ThrowAt(row[t.columns.size()]->location, SqlState::kSyntaxError,
            "INSERT has more expressions than target columns");
  }
  if (row.size() < t.columns.size()) {
    ThrowAt(row.empty() ? location : row.back()->location, SqlState::kSyntaxError,
            "INSERT has more target columns than expressions");
  }
  std::vector<BoundExprPtr> full = std::move(defaults);
  std::vector<bool> started(full.size(), false);  // a subscripted column's first target seen
  for (size_t i = 0; i < row.size(); ++i) {
    const ast::Expr& e = *row[i];
    int ord = t.columns[i];
    if (table.columns[ord].generated != 0 && e.kind != ast::ExprKind::kDefault) {
      ThrowGeneratedColumn(table.columns[ord], false);
    }
    if (t.subs[i] != nullptr) {
      if (e.kind == ast::ExprKind::kDefault) {
        ThrowAt(t.subs[i]->location, SqlState::kFeatureNotSupported,
                "cannot set an array element to DEFAULT");
      }
      full[ord] = AssignInto(table, t, i, started[ord] ? full[ord] : nullptr, bound[i], e.location);
      started[ord] = true;
      continue;
    }
    if (e.kind == ast::ExprKind::kDefault) continue;
    if (IdentityDefault(table.columns[ord], overriding)) continue;
    full[ord] = AssignCoerce(bound[i], table.columns[ord], e.location);
  }
  clause_ = saved;
  return full;
}

PlanPtr Binder::PlanInsert(const ast::InsertStatement& s) {
  PlanPtr plan = PlanInsertBody(s);
  FinishCtes(s.with.get());
  return plan;
}

PlanPtr Binder::PlanInsertBody(const ast::InsertStatement& s) {
  RegisterCtes(s.with.get(), &s);
  auto table = LookupTable(s.table);
  // A view takes rows through its INSTEAD OF INSERT triggers (executor/triggers.h), else, when
  // it is automatically updatable, writes them into the table under it.
  std::optional<UpdatableView> view;
  if (table->is_view && !HasInsteadTrigger(*table, storage::TriggerInfo::kInsert)) {
    view = ResolveUpdatableView(table, ViewWrite::kInsert);
  }
  if (table->is_view && !view && s.on_conflict != ast::OnConflictAction::kNone) {
    ThrowAt(s.table.location, SqlState::kFeatureNotSupported,
            "ON CONFLICT is not supported with INSTEAD OF triggers on view \"{}\"", table->name);
  }
  CheckNotSequence(*table);
  const uint32_t privs = storage::acl::kInsert | (s.returning.empty() ? 0 : storage::acl::kSelect) |
                         (s.on_conflict == ast::OnConflictAction::kUpdate
                              ? storage::acl::kUpdate | storage::acl::kSelect
                              : 0);
  RequirePrivilege(table, privs);
  // The target columns as the statement names them (the view's), then the table's.
  InsertTargets t = BindInsertTargets(*table, s.columns, s.column_locations, s.column_subscripts,
                                      s.table.location);
  const std::shared_ptr<const storage::TableInfo> named = table;
  if (view) {
    RequireViewPrivileges(*view, privs);
    table = view->base;
    CheckNotSequence(*table);
    // A DEFAULT on a view column that is not the table's is inserted too (PostgreSQL's
    // rewriteTargetListIU adds it), which the column refuses.
    for (size_t i = 0; i < view->base_columns.size(); ++i) {
      if (named->columns[i].default_sql)
        ViewTargetColumn(*view, static_cast<int>(i), ViewWrite::kInsert);
    }
  }
  std::vector<int>& targets = t.columns;
  std::vector<const ast::Expr*>& target_subs = t.subs;
  auto to_base = [&] {
    if (!view) return;
    for (size_t i = 0; i < targets.size(); ++i) {
      targets[i] = ViewTargetColumn(*view, targets[i], ViewWrite::kInsert);
      // Two view columns of one table column (SELECT a, a AS aa).
      for (size_t j = 0; j < i; ++j) {
        if (targets[j] == targets[i] && (target_subs[i] == nullptr || target_subs[j] == nullptr)) {
          Throw(SqlState::kSyntaxError, "multiple assignments to same column \"{}\"",
                table->columns[targets[i]].name);
        }
      }
    }
  };
  // A column's default: the view column's when it has one, else the table's.
  auto default_of = [&](int c) {
    if (view) {
      for (size_t i = 0; i < view->base_columns.size(); ++i) {
        if (view->base_columns[i] == c && named->columns[i].default_sql) {
          return AssignCoerce(DefaultExpr(*named, static_cast<int>(i)), table->columns[c], -1);
        }
      }
    }
    return DefaultExpr(*table, c);
  };
  const size_t ncols = table->columns.size();
  std::vector<std::string> names;
  std::vector<Type> types;
  for (const auto& c : table->columns) {
    names.push_back(c.name);
    types.push_back(c.type);
  }
  PlanPtr source;
  const ast::SelectStmt* src = s.source.get();
  bool plain_values = src && !src->values_rows.empty() && src->set_op == ast::SetOpType::kNone &&
                      src->order_by.empty() && !src->limit && !src->offset && !src->with;
  if (!src || plain_values) {
    auto values = std::make_shared<PlanNode>();
    values->kind = PlanKind::kValues;
    values->output_types = types;
    values->output_names = names;
    std::vector<BoundExprPtr> defaults;
    for (size_t c = 0; c < ncols; ++c) defaults.push_back(default_of(static_cast<int>(c)));
    if (!src) {
      values->values_rows.push_back(defaults);
    } else {
      clause_ = Clause::kValues;
      // Without a column list the rows fill the first columns; the rest get defaults.
      const size_t width = src->values_rows.front().size();
      for (const auto& row : src->values_rows) {
        if (row.size() != width) {
          ThrowAt(row.empty() ? s.location : row.front()->location, SqlState::kSyntaxError,
                  "VALUES lists must all be the same length");
        }
      }
      if (s.columns.empty() && width < targets.size()) {
        targets.resize(width);
        target_subs.resize(width);
      }
      to_base();
      for (const auto& row : src->values_rows) {
        values->values_rows.push_back(
            BindInsertRow(*table, t, s.overriding, row, defaults, s.location));
      }
      clause_ = Clause::kNone;
    }
    source = values;
  } else {
    Binder sub(ctx_, nullptr, this);
    sub.resolve_unknown_outputs_ = false;
    PlanPtr plan = sub.PlanSelect(*src);
    if (s.columns.empty() && plan->output_types.size() < targets.size()) {
      targets.resize(plan->output_types.size());
      target_subs.resize(targets.size());
    }
    if (plan->output_types.size() == targets.size()) to_base();
    if (plan->output_types.size() > targets.size()) {
      ThrowAt(src->location, SqlState::kSyntaxError,
              "INSERT has more expressions than target columns");
    }
    if (plan->output_types.size() < targets.size()) {
      ThrowAt(src->location, SqlState::kSyntaxError,
              "INSERT has more target columns than expressions");
    }
    std::vector<Type> want;
    std::vector<int> locs;
    for (size_t i = 0; i < targets.size(); ++i) {
      const storage::ColumnInfo& col = table->columns[targets[i]];
      if (col.generated != 0) ThrowGeneratedColumn(col, false);
      int loc = i < src->targets.size() ? src->targets[i].expr->location : src->location;
      if (target_subs[i] != nullptr) {  // coerced by AssignInto below
        Type t = plan->output_types[i];
        if (t.id == TypeId::kUnknown) {  // read as what it is assigned to
          const auto& sl = target_subs[i]->subscript_slices;
          const bool slice = std::find(sl.begin(), sl.end(), true) != sl.end();
          t = !IsArrayType(col.type.id) ? T(TypeId::kText)
              : slice                   ? col.type
                                        : ElementTypeOf(col.type);
        }
        want.push_back(t);
        locs.push_back(loc);
        continue;
      }
      if (!CanCoerce(plan->output_types[i].id, col.type.id, CoercionContext::kAssignment) &&
          !HasUserCast(plan->output_types[i].id, col.type.id, CoercionContext::kAssignment)) {
        AssignCoerce(MakeColumn(static_cast<int>(i), plan->output_types[i]), col, loc);
      }
      want.push_back(col.type);
      locs.push_back(loc);
    }
    plan = CoercePlanOutputs(this, plan, want, CoercionContext::kAssignment, locs);
    std::vector<BoundExprPtr> full;
    for (size_t c = 0; c < ncols; ++c) {
      auto it = std::find(targets.begin(), targets.end(), static_cast<int>(c));
      if (it != targets.end() && target_subs[it - targets.begin()] != nullptr) {
        BoundExprPtr v;
        for (size_t i = 0; i < targets.size(); ++i) {
          if (targets[i] != static_cast<int>(c)) continue;
          v = AssignInto(*table, t, i, v, MakeColumn(static_cast<int>(i), plan->output_types[i]),
                         locs[i]);
        }
        full.push_back(v);
      } else if (it != targets.end() && !IdentityDefault(table->columns[c], s.overriding)) {
        int i = static_cast<int>(it - targets.begin());
        full.push_back(MakeColumn(i, plan->output_types[i]));
      } else {
        full.push_back(default_of(static_cast<int>(c)));
      }
    }
    source = MakeProject(plan, std::move(full), names);
  }

  AddTargetTable(table, s.alias, s.table.location);
  if (view) ShowAsView(*view, s.alias, &scope_);
  auto node = std::make_shared<PlanNode>();
  node->kind = PlanKind::kInsert;
  node->table = table;
  node->children = {source};
  node->on_conflict_do_nothing = s.on_conflict == ast::OnConflictAction::kNothing;
  node->on_conflict_do_update = s.on_conflict == ast::OnConflictAction::kUpdate;
  AttachChecks(*table, node.get());
  if (view) AttachViewChecks(*view, node.get());
  node->generated = GeneratedColumns(*table, nullptr);
  // RETURNING sees the target table only (bound before `excluded` joins the scope).
  std::vector<SelectTarget> returning = BindReturning(s.returning);
  if (s.on_conflict != ast::OnConflictAction::kNone) {
    BindOnConflict(s, table, node.get(), view ? &*view : nullptr);
  }
  return WithReturning(node, returning);
}

std::vector<std::pair<int, BoundExprPtr>> Binder::BindAssignments(
    const storage::TableInfo& table, const std::vector<std::pair<std::string, ast::ExprPtr>>& set,
    int location, const UpdatableView* view) {
  clause_ = Clause::kUpdateSet;
  std::vector<std::pair<int, BoundExprPtr>> assignments;
  std::vector<bool> subscripted;        // per assignment: col[...] = x
  std::vector<int> generated_defaults;  // generated columns SET to DEFAULT
  for (const auto& [name, expr] : set) {
    int ord = FindColumn(view ? *view->view : table, name);
    if (ord < 0) {
      ThrowAt(expr ? expr->location : location, SqlState::kUndefinedColumn,
              "column \"{}\" of relation \"{}\" does not exist", name,
              view ? view->view->name : table.name);
    }
    if (view) ord = ViewTargetColumn(*view, ord, ViewWrite::kUpdate);
    const bool is_field = expr->kind == ast::ExprKind::kFieldSelect && expr->op == "assign";
    const bool is_subscript =
        (expr->kind == ast::ExprKind::kSubscript && expr->op == "assign") || is_field;
    // Several element/slice assignments to one column apply in order (PostgreSQL's rewriter,
    // process_matched_tle); any other repeat is an error.
    int prev = -1;
    for (size_t i = 0; i < assignments.size(); ++i) {
      if (assignments[i].first != ord) continue;
      if (!is_subscript || !subscripted[i]) {
        Throw(SqlState::kSyntaxError, "multiple assignments to same column \"{}\"",
              table.columns[ord].name);
      }
      prev = static_cast<int>(i);
    }
    if (table.columns[ord].generated != 0) {
      // SET b = DEFAULT leaves it to the recomputation; anything else is refused.
      if (expr->kind != ast::ExprKind::kDefault) ThrowGeneratedColumn(table.columns[ord], true);
      if (std::find(generated_defaults.begin(), generated_defaults.end(), ord) !=
          generated_defaults.end()) {
        Throw(SqlState::kSyntaxError, "multiple assignments to same column \"{}\"", name);
      }
      generated_defaults.push_back(ord);
      continue;
    }
    if (expr->kind != ast::ExprKind::kDefault && table.columns[ord].identity == 'a') {
      throw Error(SqlState::kGeneratedAlways,
                  fmt::format("column \"{}\" can only be updated to DEFAULT", name))
          .Detail(fmt::format("Column \"{}\" is an identity column defined as GENERATED ALWAYS.",
                              name));
    }
    BoundExprPtr value;
    if (is_field) {
      // col.f = x: the column's row with field f replaced; several fields of one column apply
      // in order.
      const Type type = table.columns[ord].type;
      BoundExprPtr base = prev >= 0 ? assignments[prev].second : MakeColumn(ord, type);
      value = AssignField(std::move(base), type, name, *expr, 0,
                          [&](const Type& field_type, const std::string& field) {
                            return CoerceSubfield(this, BindExpr(*expr->args[0]), field_type, field,
                                                  expr->location, expr->args[0]->location);
                          });
      if (prev >= 0) {
        assignments[prev].second = value;
        continue;
      }
    } else if (is_subscript) {
      const Type type = table.columns[ord].type;
      BoundExprPtr base = prev >= 0 ? assignments[prev].second : MakeColumn(ord, type);
      value = BindArrayAssignment(*expr, std::move(base), type, name);
      if (prev >= 0) {
        assignments[prev].second = value;
        continue;
      }
    } else {
      value = expr->kind == ast::ExprKind::kDefault
                  ? DefaultExpr(table, ord)
                  : AssignCoerce(BindExpr(*expr), table.columns[ord], expr->location);
    }
    assignments.emplace_back(ord, value);
    subscripted.push_back(is_subscript);
  }
  clause_ = Clause::kNone;
  return assignments;
}

namespace {

// ON CONFLICT ON CONSTRAINT name: the primary key or the unique constraint of that name as the
// arbiter; 42704 when the table has no such constraint, 42809 when it has no index (a CHECK or
// FOREIGN KEY constraint), as PostgreSQL's get_relation_constraint_attnos and
// infer_arbiter_indexes.
void BindConflictConstraint(const storage::TableInfo& table, const std::string& name,
                            PlanNode* node) {
  if (!table.primary_key.empty() && name == table.PrimaryKeyName()) {
    node->conflict_on_primary_key = true;
    return;
  }
  for (const auto& index : table.indexes) {
    if (index.is_constraint && index.unique && !index.primary && index.name == name) {
      node->conflict_index_oids.push_back(index.oid);
      return;
    }
  }
  auto named = [&](const auto& list) {
    return std::any_of(list.begin(), list.end(), [&](const auto& c) { return c.name == name; });
  };
  if (named(table.checks) || named(table.foreign_keys)) {
    Throw(SqlState::kWrongObjectType, "constraint in ON CONFLICT clause has no associated index");
  }
  Throw(SqlState::kUndefinedObject, "constraint \"{}\" for table \"{}\" does not exist", name,
        table.name);
}

}  // namespace

void Binder::BindOnConflict(const ast::InsertStatement& s,
                            const std::shared_ptr<const storage::TableInfo>& table, PlanNode* node,
                            const UpdatableView* view) {
  if (view && !s.conflict_exprs.empty()) {
    ThrowAt(s.location, SqlState::kFeatureNotSupported,
            "ON CONFLICT with index expressions through a view is not supported");
  }
  // The arbiters (PostgreSQL's infer_arbiter_indexes): every unique index (or the primary
  // key) whose key columns and expressions are, as sets, those of the conflict target, and
  // whose predicate, for a partial index, the target's WHERE implies.
  if (!s.conflict_columns.empty() || !s.conflict_exprs.empty()) {
    std::vector<int> want;
    for (const auto& name : s.conflict_columns) {
      int ord = FindColumn(view ? *view->view : *table, name);
      if (ord < 0) {
        ThrowAt(s.location, SqlState::kUndefinedColumn, "column \"{}\" does not exist", name);
      }
      if (view) {
        ord = view->base_columns[ord];
        if (ord < 0) {
          ThrowAt(s.location, SqlState::kInvalidColumnReference,
                  "there is no unique or exclusion constraint matching the ON CONFLICT "
                  "specification");
        }
      }
      if (std::find(want.begin(), want.end(), ord) == want.end()) want.push_back(ord);
    }
    std::sort(want.begin(), want.end());
    auto shape = std::make_shared<storage::TableInfo>(*table);
    shape->indexes.clear();
    std::set<std::string> want_exprs;
    for (const auto& e : s.conflict_exprs) {
      BoundExprPtr bound = BindIndexExpression(shape, *e, false);
      want_exprs.insert(IndexElementText(*bound, *table, false));
    }
    std::set<std::string> implied;
    if (s.conflict_index_where) {
      std::vector<std::string> conjuncts;
      SplitIndexPredicate(BindIndexExpression(shape, *s.conflict_index_where, true), *table,
                          &conjuncts);
      implied.insert(conjuncts.begin(), conjuncts.end());
    }
    std::vector<int> pk = table->primary_key;
    std::sort(pk.begin(), pk.end());
    if (!pk.empty() && pk == want && want_exprs.empty()) node->conflict_on_primary_key = true;
    for (const auto& index : table->indexes) {
      if (!index.unique || index.primary) continue;
      std::vector<int> cols;
      for (int c : index.columns) {
        if (c != storage::IndexInfo::kExpressionColumn) cols.push_back(c);
      }
      std::sort(cols.begin(), cols.end());
      cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
      std::set<std::string> exprs(index.expressions.begin(), index.expressions.end());
      if (cols != want || exprs != want_exprs) continue;
      if (index.partial()) {
        std::vector<std::string> needed;
        SplitIndexPredicate(BindIndexText(shape, index.predicate, *ctx_, true), *table, &needed);
        bool ok = std::all_of(needed.begin(), needed.end(),
                              [&](const std::string& c) { return implied.count(c) != 0; });
        if (!ok) continue;
      }
      node->conflict_index_oids.push_back(index.oid);
    }
    if (node->conflict_index_oids.empty() && !node->conflict_on_primary_key) {
      ThrowAt(s.location, SqlState::kInvalidColumnReference,
              "there is no unique or exclusion constraint matching the ON CONFLICT "
              "specification");
    }
  }
  if (s.conflict_constraint) BindConflictConstraint(*table, *s.conflict_constraint, node);
  if (s.on_conflict != ast::OnConflictAction::kUpdate) return;
  if (view) {
    // A column of the view that is not the table's: PostgreSQL's rewriter words it as INSERT's.
    for (const auto& [name, expr] : s.conflict_set) {
      const int ord = FindColumn(*view->view, name);
      if (ord >= 0) ViewTargetColumn(*view, ord, ViewWrite::kInsert);
    }
  }
  // DO UPDATE SET and WHERE see the existing row (the table, by its alias) and the row
  // proposed for insertion as `excluded`: columns 0..n-1 and n..2n-1 of their input row.
  RangeEntry excluded;
  excluded.alias = "excluded";
  excluded.table = table;
  for (const auto& c : table->columns) {
    excluded.columns.push_back(c.name);
    excluded.types.push_back(c.type);
  }
  AddRange(std::move(excluded), &scope_, s.location);
  if (view) ShowAsView(*view, std::string("excluded"), &scope_);
  node->assignments = BindAssignments(*table, s.conflict_set, s.location, view);
  std::vector<int> assigned;
  for (const auto& a : node->assignments) assigned.push_back(a.first);
  node->conflict_generated = GeneratedColumns(*table, &assigned);
  if (s.conflict_where) {
    clause_ = Clause::kWhere;
    node->predicate = BindCondition(*s.conflict_where, "WHERE");
    clause_ = Clause::kNone;
  }
}

PlanPtr Binder::PlanUpdate(const ast::UpdateStatement& s) {
  PlanPtr plan = PlanUpdateBody(s);
  FinishCtes(s.with.get());
  return plan;
}

PlanPtr Binder::PlanUpdateBody(const ast::UpdateStatement& s) {
  if (!member_target_) RegisterCtes(s.with.get(), &s);
  auto table = ModifyTarget(s.table);
  std::optional<UpdatableView> view = WrittenView(table, ViewWrite::kUpdate);
  const bool through_triggers =
      !view && ThroughInsteadTriggers(*table, storage::TriggerInfo::kUpdate, s.table.location,
                                      "cannot update view");
  const std::shared_ptr<const storage::TableInfo> named = table;
  if (view) table = view->base;
  CheckNotSequence(*table);
  std::unique_ptr<JoinNode> leaf = TargetLeaf(table, through_triggers, s.table, s.alias);
  const int target_first = leaf->first;
  if (view) ShowAsView(*view, s.alias, &scope_);
  if (!s.from.empty()) leaf = JoinTargetWithFrom(std::move(leaf), s.from);
  std::vector<BoundExprPtr> where;
  if (s.where) {
    clause_ = Clause::kWhere;
    SplitConjuncts(BindCondition(*s.where, "WHERE"), &where);
  }
  if (view) AddViewQuals(*view, target_first, &where);
  std::vector<std::pair<int, BoundExprPtr>> assignments =
      BindAssignments(*table, s.set, s.location, view ? &*view : nullptr);
  std::vector<SelectTarget> returning = BindReturning(s.returning);
  bool reads = s.where != nullptr || !returning.empty();
  for (const auto& a : assignments) reads = reads || ReadsColumns(a.second);
  if (!member_target_) {
    const uint32_t privs = storage::acl::kUpdate | (reads ? storage::acl::kSelect : 0);
    RequirePrivilege(named, privs);
    if (view) RequireViewPrivileges(*view, privs);
  }
  std::vector<BoundExprPtr*> exprs;
  for (auto& a : assignments) exprs.push_back(&a.second);
  for (auto& r : returning) exprs.push_back(&r.expr);
  PlannedRel rel = PlanTargetRows(*leaf, std::move(where), exprs);
  auto node = std::make_shared<PlanNode>();
  node->kind = PlanKind::kUpdate;
  node->table = table;
  node->children = {rel.plan};
  node->assignments = std::move(assignments);
  AttachChecks(*table, node.get());
  if (view) AttachViewChecks(*view, node.get());
  std::vector<int> assigned;
  for (const auto& a : node->assignments) assigned.push_back(a.first);
  node->generated = GeneratedColumns(*table, &assigned);
  // All of them: what a BEFORE row trigger's row gets recomputed (PostgreSQL 15 nulls them in
  // the trigger's NEW and computes them all after).
  node->conflict_generated = GeneratedColumns(*table, nullptr);
  if (!s.only && !member_target_ && !view) {
    node->inheritance_members = PlanMemberModifies(s, *table);
  }
  return WithReturning(node, returning);
}

PlanPtr Binder::PlanDelete(const ast::DeleteStatement& s) {
  PlanPtr plan = PlanDeleteBody(s);
  FinishCtes(s.with.get());
  return plan;
}

PlanPtr Binder::PlanDeleteBody(const ast::DeleteStatement& s) {
  if (!member_target_) RegisterCtes(s.with.get(), &s);
  auto table = ModifyTarget(s.table);
  std::optional<UpdatableView> view = WrittenView(table, ViewWrite::kDelete);
  const bool through_triggers =
      !view && ThroughInsteadTriggers(*table, storage::TriggerInfo::kDelete, s.table.location,
                                      "cannot delete from view");
  const std::shared_ptr<const storage::TableInfo> named = table;
  if (view) table = view->base;
  CheckNotSequence(*table);
  std::unique_ptr<JoinNode> leaf = TargetLeaf(table, through_triggers, s.table, s.alias);
  const int target_first = leaf->first;
  if (view) ShowAsView(*view, s.alias, &scope_);
  if (!s.using_.empty()) leaf = JoinTargetWithFrom(std::move(leaf), s.using_);
  std::vector<BoundExprPtr> where;
  if (s.where) {
    clause_ = Clause::kWhere;
    SplitConjuncts(BindCondition(*s.where, "WHERE"), &where);
  }
  if (view) AddViewQuals(*view, target_first, &where);
  std::vector<SelectTarget> returning = BindReturning(s.returning);
  if (!member_target_) {
    const uint32_t privs = storage::acl::kDelete |
                           (s.where != nullptr || !returning.empty() ? storage::acl::kSelect : 0);
    RequirePrivilege(named, privs);
    if (view) RequireViewPrivileges(*view, privs);
  }
  std::vector<BoundExprPtr*> exprs;
  for (auto& r : returning) exprs.push_back(&r.expr);
  PlannedRel rel = PlanTargetRows(*leaf, std::move(where), exprs);
  auto node = std::make_shared<PlanNode>();
  node->kind = PlanKind::kDelete;
  node->table = table;
  node->children = {rel.plan};
  if (!s.only && !member_target_ && !view) {
    node->inheritance_members = PlanMemberModifies(s, *table);
  }
  return WithReturning(node, returning);
}

}  // namespace activestore::planner
