// MERGE (PostgreSQL 15's transformMergeStmt): the target joined with the data source (an inner
// join when every WHEN clause is MATCHED, else the source's rows kept by a right join), and
// the WHEN clauses bound over that join row: MATCHED ones see the target and the source, NOT
// MATCHED ones the source only. The plan is a kMerge over PlanTargetRows' join, which carries
// the target rows' locations (executor/operators/merge.cpp).
#include <set>

#include "planner/binder.h"
#include "planner/planner.h"

namespace activestore::planner {

namespace {

// 0A000 `cannot execute MERGE on relation "v"` with PostgreSQL's detail for the relation kind.
[[noreturn]] void ThrowNotMergeable(const storage::TableInfo& t, const char* kind) {
  Error e(SqlState::kFeatureNotSupported,
          fmt::format("cannot execute MERGE on relation \"{}\"", t.name));
  e.Detail(fmt::format("This operation is not supported for {}.", kind));
  throw e;
}

MergeActionPlan::Kind KindOf(ast::MergeAction a) {
  switch (a) {
    case ast::MergeAction::kUpdate:
      return MergeActionPlan::Kind::kUpdate;
    case ast::MergeAction::kDelete:
      return MergeActionPlan::Kind::kDelete;
    case ast::MergeAction::kInsert:
      return MergeActionPlan::Kind::kInsert;
    case ast::MergeAction::kNothing:
      break;
  }
  return MergeActionPlan::Kind::kNothing;
}

}  // namespace

PlanPtr Binder::PlanMerge(const ast::MergeStatement& s) {
  RegisterCtes(s.with.get(), &s);
  auto table = LookupTable(s.table);
  if (table->is_view) ThrowNotMergeable(*table, "views");
  if (table->matview) ThrowNotMergeable(*table, "materialized views");
  if (table->is_sequence()) ThrowNotMergeable(*table, "sequences");
  if (table->hypertable) {
    ThrowAt(s.table.location, SqlState::kFeatureNotSupported,
            "MERGE into a hypertable is not supported yet");
  }
  if (!s.only && !InheritanceMembers(*table).empty()) {
    ThrowAt(s.table.location, SqlState::kFeatureNotSupported,
            "MERGE into a table with inheritance children is not supported yet");
  }
  // A clause after an unconditional one of the same kind can never run (PostgreSQL checks
  // this before anything else is bound).
  bool terminal[2] = {false, false};
  for (const ast::MergeWhen& w : s.when) {
    if (terminal[w.matched]) {
      Throw(SqlState::kSyntaxError,
            "unreachable WHEN clause specified after unconditional WHEN clause");
    }
    if (!w.condition) terminal[w.matched] = true;
  }

  std::unique_ptr<JoinNode> target = AddTargetTable(table, s.alias, s.table.location);
  target->emit_row_location = true;
  const RangeEntry target_range = ranges_.back();
  // The data source, in a scope of its own: NOT MATCHED clauses see only it.
  Scope source_scope;
  const Scope target_scope = scope_;
  scope_ = Scope{};  // AddRange's own duplicate check would otherwise answer first
  std::unique_ptr<JoinNode> source = BindFromItem(*s.source, &source_scope);
  scope_ = target_scope;
  for (int idx : source_scope.ranges) {
    const RangeEntry& r = ranges_[idx];
    if (!r.alias.empty() && r.alias == target_range.alias && r.schema == target_range.schema) {
      Error e(SqlState::kDuplicateAlias,
              fmt::format("name \"{}\" specified more than once", r.alias));
      e.Detail("The name is used both as MERGE target table and data source.");
      throw e;
    }
  }
  Scope both = scope_;
  both.ranges.insert(both.ranges.end(), source_scope.ranges.begin(), source_scope.ranges.end());
  both.visible.insert(both.visible.end(), source_scope.visible.begin(), source_scope.visible.end());
  scope_ = both;

  auto join = std::make_unique<JoinNode>();
  join->kind = JoinNode::Kind::kOuter;
  const bool any_not_matched =
      std::any_of(s.when.begin(), s.when.end(), [](const ast::MergeWhen& w) { return !w.matched; });
  // The target stays on the left, whose rows carry their locations through the join.
  join->join_type = any_not_matched ? JoinType::kRight : JoinType::kInner;
  join->first = target->first;
  clause_ = Clause::kJoinOn;
  SplitConjuncts(BindCondition(*s.condition, "JOIN/ON"), &join->conjuncts);
  clause_ = Clause::kNone;

  auto node = std::make_shared<PlanNode>();
  node->kind = PlanKind::kMerge;
  node->table = table;
  uint32_t privs = 0;
  for (const ast::MergeWhen& w : s.when) {
    scope_ = w.matched ? both : source_scope;
    MergeActionPlan a;
    a.matched = w.matched;
    a.kind = KindOf(w.action);
    if (w.condition) {
      clause_ = Clause::kMergeWhen;
      a.condition = BindCondition(*w.condition, "WHEN");
      clause_ = Clause::kNone;
    }
    switch (w.action) {
      case ast::MergeAction::kUpdate:
        privs |= storage::acl::kUpdate;
        a.assignments = BindAssignments(*table, w.set, w.location);
        break;
      case ast::MergeAction::kDelete:
        privs |= storage::acl::kDelete;
        break;
      case ast::MergeAction::kInsert: {
        privs |= storage::acl::kInsert;
        std::vector<BoundExprPtr> defaults;
        for (size_t c = 0; c < table->columns.size(); ++c) {
          defaults.push_back(DefaultExpr(*table, static_cast<int>(c)));
        }
        InsertTargets t = BindInsertTargets(*table, w.columns, w.column_locations,
                                            w.column_subscripts, w.location);
        // Without a column list the values fill the first columns; the rest get defaults.
        if (w.columns.empty() && w.values.size() < t.columns.size()) {
          t.columns.resize(w.values.size());
          t.subs.resize(w.values.size());
        }
        a.insert_row = w.default_values ? std::move(defaults)
                                        : BindInsertRow(*table, t, w.overriding, w.values,
                                                        std::move(defaults), w.location);
        break;
      }
      case ast::MergeAction::kNothing:
        privs |= storage::acl::kSelect;  // as PostgreSQL 15 checks it
        break;
    }
    node->merge_actions.push_back(std::move(a));
  }
  scope_ = both;

  // SELECT on the target when anything reads its columns (the join condition, as a rule).
  const int tfirst = target_range.first;
  const int tend = tfirst + static_cast<int>(target_range.columns.size());
  std::vector<BoundExprPtr*> exprs;
  for (BoundExprPtr& c : join->conjuncts) exprs.push_back(&c);
  for (MergeActionPlan& a : node->merge_actions) {
    if (a.condition) exprs.push_back(&a.condition);
    for (auto& [col, e] : a.assignments) exprs.push_back(&e);
    for (BoundExprPtr& e : a.insert_row) exprs.push_back(&e);
  }
  std::set<int> read;
  for (const BoundExprPtr* e : exprs) CollectColumns(*e, &read);
  const bool reads_target =
      std::any_of(read.begin(), read.end(), [&](int c) { return c >= tfirst && c < tend; });
  RequirePrivilege(table, privs | (reads_target ? storage::acl::kSelect : 0));

  join->children.push_back(std::move(target));
  join->children.push_back(std::move(source));
  join->count = static_cast<int>(row_.size()) - join->first;
  // The join condition is the JoinNode's; only the actions' expressions are remapped.
  std::vector<BoundExprPtr*> action_exprs(exprs.begin() + join->conjuncts.size(), exprs.end());
  PlannedRel rel = PlanTargetRows(*join, {}, action_exprs);
  node->children = {rel.plan};
  AttachChecks(*table, node.get());
  node->generated = GeneratedColumns(*table, nullptr);
  std::vector<int> assigned;  // of all UPDATE actions (PostgreSQL 15's extraUpdatedCols)
  for (const MergeActionPlan& a : node->merge_actions) {
    for (const auto& [col, e] : a.assignments) assigned.push_back(col);
  }
  node->conflict_generated = GeneratedColumns(*table, &assigned);
  FinishCtes(s.with.get());
  return node;
}

}  // namespace activestore::planner
