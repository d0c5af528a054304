// INSERT, UPDATE and DELETE through an automatically updatable view, as PostgreSQL 15's
// rewriter does them (rewriteHandler.c: view_query_is_auto_updatable, rewriteTargetView): the
// statement writes the table under the view (through any views between), the view's columns
// are expressions over that table's row, its WHERE conditions join the statement's, and
// WITH CHECK OPTION conditions are checked on the rows written.
#include <algorithm>
#include <cctype>

#include "planner/binder.h"
#include "planner/planner.h"

namespace activestore::planner {

namespace {

constexpr const char* kFromReason =
    "Views that do not select from a single table or view are not automatically updatable.";

// The reason the shape of a view's query makes it not automatically updatable (the checks
// before its FROM item and select list are looked at), or null.
const char* ShapeReason(const ast::SelectStmt& q) {
  if (q.distinct || !q.distinct_on.empty()) {
    return "Views containing DISTINCT are not automatically updatable.";
  }
  if (!q.group_by.empty()) return "Views containing GROUP BY are not automatically updatable.";
  if (q.having) return "Views containing HAVING are not automatically updatable.";
  if (q.set_op != ast::SetOpType::kNone) {
    return "Views containing UNION, INTERSECT, or EXCEPT are not automatically updatable.";
  }
  if (q.with) return "Views containing WITH are not automatically updatable.";
  if (q.limit || q.offset) {
    return "Views containing LIMIT or OFFSET are not automatically updatable.";
  }
  return nullptr;
}

[[noreturn]] void ThrowNotUpdatable(const std::string& view, ViewWrite what,
                                    const std::string& reason) {
  const char* verb = what == ViewWrite::kInsert   ? "insert into"
                     : what == ViewWrite::kUpdate ? "update"
                                                  : "delete from";
  const char* hint =
      what == ViewWrite::kInsert
          ? "To enable inserting into the view, provide an INSTEAD OF INSERT trigger or an "
            "unconditional ON INSERT DO INSTEAD rule."
      : what == ViewWrite::kUpdate
          ? "To enable updating the view, provide an INSTEAD OF UPDATE trigger or an "
            "unconditional ON UPDATE DO INSTEAD rule."
          : "To enable deleting from the view, provide an INSTEAD OF DELETE trigger or an "
            "unconditional ON DELETE DO INSTEAD rule.";
  throw Error(SqlState::kObjectNotInPrerequisiteState,
              fmt::format("cannot {} view \"{}\"", verb, view))
      .Detail(reason)
      .Hint(hint);
}

int16_t TriggerEvent(ViewWrite what) {
  return what == ViewWrite::kInsert   ? storage::TriggerInfo::kInsert
         : what == ViewWrite::kUpdate ? storage::TriggerInfo::kUpdate
                                      : storage::TriggerInfo::kDelete;
}

}  // namespace

UpdatableView Binder::ResolveUpdatableView(const std::shared_ptr<const storage::TableInfo>& view,
                                           ViewWrite what) {
  std::vector<storage::Oid>& expanding = ctx_->expanding_views;
  if (std::find(expanding.begin(), expanding.end(), view->oid) != expanding.end()) {
    Throw(SqlState::kInvalidObjectDefinition,
          "infinite recursion detected in rules for relation \"{}\"", view->name);
  }
  expanding.push_back(view->oid);
  struct PopView {
    std::vector<storage::Oid>* stack;
    ~PopView() { stack->pop_back(); }
  } pop_view{&expanding};
  // The view's query reads (its subqueries) with its owner's privileges.
  struct CheckAs {
    PlannerContext* ctx;
    uint32_t saved;
    ~CheckAs() { ctx->check_as = saved; }
  } check_as{ctx_, ctx_->check_as};
  const uint32_t outer_check_as = ctx_->check_as;
  const uint32_t below_as = view->ViewOption("security_invoker") ? outer_check_as : view->owner;

  std::unique_ptr<ast::SelectStmt> query;
  {
    StoredTextScope stored(ctx_);
    query = ParseSelect(view->view_sql);
  }
  if (const char* reason = ShapeReason(*query)) ThrowNotUpdatable(view->name, what, reason);
  if (query->from.size() != 1 || query->from[0]->kind != ast::TableRefKind::kTable ||
      !query->values_rows.empty() || LookupSystemRelation(query->from[0]->name) != nullptr) {
    ThrowNotUpdatable(view->name, what, kFromReason);
  }
  const ast::TableRef& ref = *query->from[0];
  std::shared_ptr<const storage::TableInfo> rel;
  {
    StoredTextScope stored(ctx_);
    rel = LookupTable(ref.name);
  }
  if (rel->is_sequence() || rel->matview) ThrowNotUpdatable(view->name, what, kFromReason);
  if (ref.tablesample) {
    ThrowNotUpdatable(view->name, what,
                      "Views containing TABLESAMPLE are not automatically updatable.");
  }

  UpdatableView out;
  out.view = view;
  UpdatableView inner;
  if (rel->is_view) {
    if (!rel->triggers.empty()) {
      for (const storage::TriggerInfo& g : rel->triggers) {
        if (g.instead() && (g.type & TriggerEvent(what)) != 0 && g.enabled != 'D') {
          Throw(SqlState::kFeatureNotSupported,
                "writing through view \"{}\" into view \"{}\" with INSTEAD OF triggers is not "
                "supported",
                view->name, rel->name);
        }
      }
    }
    ctx_->check_as = below_as;
    inner = ResolveUpdatableView(rel, what);
    ctx_->check_as = outer_check_as;
    out.base = inner.base;
  } else {
    out.base = rel;
    for (size_t i = 0; i < rel->columns.size(); ++i) {
      inner.columns.push_back(MakeColumn(static_cast<int>(i), rel->columns[i].type));
      inner.base_columns.push_back(static_cast<int>(i));
      inner.blame.emplace_back();
    }
  }

  // The view's select list and WHERE over the relation under it (whose columns are, for a
  // view, its expressions over the base table's row).
  ctx_->check_as = below_as;
  Binder b(ctx_, nullptr, nullptr);
  StoredTextScope stored(ctx_);
  b.AddTargetTable(out.base, ref.alias ? ref.alias : std::optional<std::string>(rel->name),
                   ref.location);
  if (rel->is_view) {
    inner.view = rel;
    b.ShowAsView(inner, ref.alias, &b.scope_);
  }
  if (!ref.alias) b.ranges_.back().schema = rel->schema;
  if (!ref.column_aliases.empty()) {
    RangeEntry& r = b.ranges_.back();
    if (ref.column_aliases.size() > r.columns.size()) {
      Throw(SqlState::kInvalidColumnReference,
            "table \"{}\" has {} columns available but {} "
            "columns specified",
            r.alias, r.columns.size(), ref.column_aliases.size());
    }
    b.scope_.visible.clear();
    for (size_t i = 0; i < r.columns.size(); ++i) {
      if (i < ref.column_aliases.size()) r.columns[i] = ref.column_aliases[i];
      b.scope_.visible.push_back({r.columns[i], r.Column(i)});
    }
  }
  std::vector<BoundExprPtr> below;  // the relation's columns as b sees them
  for (size_t i = 0; i < b.ranges_.back().columns.size(); ++i) {
    below.push_back(b.ranges_.back().Column(i));
  }
  std::vector<SelectTarget> targets;
  b.clause_ = Clause::kSelectList;
  b.ExpandTargets(query->targets, &targets);
  b.clause_ = Clause::kNone;
  if (!b.aggregates_.empty()) {
    ThrowNotUpdatable(view->name, what,
                      "Views that return aggregate functions are not automatically updatable.");
  }
  if (!b.window_funcs_.empty()) {
    ThrowNotUpdatable(view->name, what,
                      "Views that return window functions are not automatically updatable.");
  }
  for (const SelectTarget& t : targets) {
    bool srf = false;
    VisitExpr(t.expr, [&srf](const BoundExpr& n, int depth) {
      if (depth == 0 && IsSetReturningCall(n)) srf = true;
    });
    if (srf) {
      ThrowNotUpdatable(view->name, what,
                        "Views that return set-returning functions are not automatically "
                        "updatable.");
    }
  }
  BoundExprPtr qual;
  if (query->where) {
    b.clause_ = Clause::kWhere;
    qual = b.BindCondition(*query->where, "WHERE");
    b.clause_ = Clause::kNone;
  }
  ctx_->check_as = outer_check_as;

  bool any_updatable = false;
  const size_t ncols = std::min(targets.size(), view->columns.size());
  for (size_t i = 0; i < ncols; ++i) {
    BoundExprPtr e = targets[i].expr;
    // An unknown literal is the view's text column.
    if (e->type.id == TypeId::kUnknown) {
      e = b.Coerce(e, view->columns[i].type, CoercionContext::kImplicit, -1);
    }
    out.columns.push_back(e);
    // A plain reference to a column of the relation under the view (the same expression).
    int j = -1;
    for (size_t k = 0; k < below.size(); ++k) {
      if (below[k] == e ||
          (e->kind == BoundExprKind::kColumn && below[k]->kind == BoundExprKind::kColumn &&
           below[k]->column_index == e->column_index)) {
        j = static_cast<int>(k);
        break;
      }
    }
    if (j >= 0) any_updatable = true;
    out.base_columns.push_back(j >= 0 ? inner.base_columns[j] : -1);
    out.blame.push_back(j >= 0 ? inner.blame[j] : view->name);
  }
  if (what != ViewWrite::kDelete && !any_updatable) {
    ThrowNotUpdatable(view->name, what,
                      "Views that have no updatable columns are not automatically updatable.");
  }
  out.quals = inner.quals;
  out.only = ref.only && (!rel->is_view || inner.only);
  if (qual) SplitConjuncts(qual, &out.quals);
  out.levels.push_back({view->name, qual, ViewCheckOptionOf(*view)});
  out.levels.insert(out.levels.end(), inner.levels.begin(), inner.levels.end());
  out.privileges.emplace_back(rel, below_as);
  out.privileges.insert(out.privileges.end(), inner.privileges.begin(), inner.privileges.end());
  return out;
}

std::optional<UpdatableView> Binder::WrittenView(
    const std::shared_ptr<const storage::TableInfo>& table, ViewWrite what) {
  if (!table->is_view || member_target_) return std::nullopt;
  for (const storage::TriggerInfo& g : table->triggers) {
    if (g.instead() && (g.type & TriggerEvent(what)) != 0 && g.enabled != 'D') return std::nullopt;
  }
  UpdatableView uv = ResolveUpdatableView(table, what);
  if (!uv.only && !InheritanceMembers(*uv.base).empty()) {
    Throw(SqlState::kFeatureNotSupported,
          "UPDATE and DELETE through view \"{}\" of a table with inheritance children are not "
          "supported",
          table->name);
  }
  return uv;
}

void Binder::AddViewQuals(const UpdatableView& uv, int first, std::vector<BoundExprPtr>* where) {
  std::vector<BoundExprPtr> quals;
  for (const BoundExprPtr& q : uv.quals) {
    quals.push_back(first == 0 ? q : RemapColumns(q, [first](int c) { return c + first; }));
  }
  // A security_barrier view's conditions go before the statement's (PostgreSQL's security
  // quals), so that no function of the statement sees a row the view hides.
  bool barrier = uv.view->ViewOption("security_barrier");
  for (const auto& [relation, role] : uv.privileges) {
    barrier = barrier || (relation->is_view && relation->ViewOption("security_barrier"));
  }
  where->insert(barrier ? where->begin() : where->end(), quals.begin(), quals.end());
}

void Binder::ShowAsView(const UpdatableView& uv, const std::optional<std::string>& alias,
                        Scope* scope) {
  RangeEntry& r = ranges_.back();
  const size_t n = r.columns.size();
  scope->visible.resize(scope->visible.size() - n);  // the base table's, which AddRange added
  const int first = r.first;
  r.alias = alias.value_or(uv.view->name);
  r.schema = alias ? "" : uv.view->schema;
  r.origin = 0;       // its columns are not the base table's
  r.table = uv.view;  // its row type for the whole row (v)
  r.columns.clear();
  r.types.clear();
  r.exprs.clear();
  for (size_t i = 0; i < uv.columns.size(); ++i) {
    r.columns.push_back(uv.view->columns[i].name);
    r.types.push_back(uv.columns[i]->type);
    r.exprs.push_back(first == 0 ? uv.columns[i] : RemapColumns(uv.columns[i], [first](int c) {
      return c + first;
    }));
    scope->visible.push_back({r.columns.back(), r.exprs.back()});
  }
}

int Binder::ViewTargetColumn(const UpdatableView& uv, int column, ViewWrite what) {
  const int base = uv.base_columns[column];
  if (base >= 0) return base;
  throw Error(SqlState::kFeatureNotSupported,
              fmt::format("cannot {} column \"{}\" of view \"{}\"",
                          what == ViewWrite::kInsert ? "insert into" : "update",
                          uv.view->columns[column].name, uv.blame[column]))
      .Detail("View columns that are not columns of their base relation are not updatable.");
}

void Binder::RequireViewPrivileges(const UpdatableView& uv, uint32_t privs) {
  const uint32_t saved = ctx_->check_as;
  for (const auto& [relation, role] : uv.privileges) {
    ctx_->check_as = role;
    RequirePrivilege(relation, privs);
  }
  ctx_->check_as = saved;
}

void Binder::AttachViewChecks(const UpdatableView& uv, PlanNode* node) {
  // A view's own option checks its condition; CASCADED also those of every view under it.
  bool cascade = false;
  std::vector<std::pair<std::string, BoundExprPtr>> checks;
  for (const UpdatableView::Level& level : uv.levels) {
    if ((!level.option.empty() || cascade) && level.qual)
      checks.emplace_back(level.name, level.qual);
    if (level.option == "cascaded") cascade = true;
  }
  for (auto it = checks.rbegin(); it != checks.rend(); ++it) {
    node->view_check_names.push_back(it->first);
    node->view_checks.push_back(it->second);
  }
}

int Binder::UpdatableEvents(const std::shared_ptr<const storage::TableInfo>& rel,
                            bool include_triggers, int column) {
  constexpr int kUpdate = 1 << 2, kInsert = 1 << 3, kDelete = 1 << 4;
  if (!rel->is_view) {
    return rel->is_sequence() || rel->matview ? 0 : kUpdate | kInsert | kDelete;
  }
  if (column == -2) {  // ViewNotAutoUpdatable: the errors themselves
    ResolveUpdatableView(rel, ViewWrite::kUpdate);
    return 0;
  }
  int events = 0;
  if (include_triggers) {
    for (const storage::TriggerInfo& g : rel->triggers) {
      if (!g.instead()) continue;
      if (g.type & storage::TriggerInfo::kInsert) events |= kInsert;
      if (g.type & storage::TriggerInfo::kUpdate) events |= kUpdate;
      if (g.type & storage::TriggerInfo::kDelete) events |= kDelete;
    }
  }
  auto resolves = [&](ViewWrite what) -> std::optional<UpdatableView> {
    try {
      return ResolveUpdatableView(rel, what);
    } catch (const Error&) {
      return std::nullopt;
    }
  };
  if (resolves(ViewWrite::kDelete)) events |= kDelete;
  if (auto uv = resolves(ViewWrite::kUpdate)) {
    if (column < 0 ||
        (column < static_cast<int>(uv->base_columns.size()) && uv->base_columns[column] >= 0)) {
      events |= kUpdate | kInsert;
    }
  }
  return events;
}

std::string ViewCheckOptionOf(const storage::TableInfo& view) {
  for (const std::string& o : view.view_options) {
    if (o.size() > 13 && o.compare(0, 13, "check_option=") == 0) {
      std::string v = o.substr(13);
      std::transform(v.begin(), v.end(), v.begin(), ::tolower);
      return v;
    }
  }
  return "";
}

int RelationUpdatableEvents(const std::shared_ptr<const storage::TableInfo>& rel,
                            PlannerContext& ctx, bool include_triggers, int column) {
  Binder b(&ctx, nullptr, nullptr);
  return b.UpdatableEvents(rel, include_triggers, column);
}

std::optional<std::string> ViewNotAutoUpdatable(const storage::TableInfo& view,
                                                PlannerContext& ctx) {
  Binder b(&ctx, nullptr, nullptr);
  try {
    b.UpdatableEvents(std::make_shared<storage::TableInfo>(view), false, -2);
  } catch (const Error& e) {
    if (e.state() == SqlState::kObjectNotInPrerequisiteState && e.detail &&
        e.message() == fmt::format("cannot update view \"{}\"", view.name)) {
      return e.detail;
    }
  }
  return std::nullopt;
}

}  // namespace activestore::planner
