// Table inheritance in FROM (docs/design/2026-12-06-inheritance.md): a table read without ONLY
// is an "append" over the table and its descendants. Each member reads the parent's columns by
// name at its own ordinals; the leaf's conjuncts go down to every member's read, so each one
// gets its own key or index lookup. Declarative partitioning is meant to reuse this with
// pruning of the members.
#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <type_traits>

#include "common/error.h"
#include "planner/binder.h"
#include "planner/column_bounds.h"

namespace activestore::planner {

namespace {

// The range [lo, hi) of a hypertable's time column that the conjuncts of its FROM leaf allow:
// the conjuncts `column op constant` (op one of = < <= > >=; either side) with a constant of
// the column's type, in the unit of HypertableInfo::interval (microseconds for the date/time
// types, days of a date converted). Other conjuncts do not narrow it.
// The comparison `column op constant` of conjunct `c` that TimeRangeOf reads, if it is one.
std::optional<ColumnBound> TimeComparison(const BoundExprPtr& c, int column, TypeId type) {
  auto bound = ColumnComparison(c, column);
  if (!bound) return std::nullopt;
  const BoundExprPtr& value = bound->value;
  if (value->kind != BoundExprKind::kConstant || value->value.is_null || value->type.id != type) {
    return std::nullopt;
  }
  return bound;
}

std::pair<int64_t, int64_t> TimeRangeOf(const std::vector<BoundExprPtr>& conjuncts, int column,
                                        TypeId type) {
  int64_t lo = std::numeric_limits<int64_t>::min();
  int64_t hi = std::numeric_limits<int64_t>::max();
  auto unit = [&](const Value& v) -> int64_t {
    return type == TypeId::kDate ? v.i * 86'400'000'000 : v.i;
  };
  auto next = [](int64_t u) { return u == std::numeric_limits<int64_t>::max() ? u : u + 1; };
  for (const BoundExprPtr& c : conjuncts) {
    auto bound = TimeComparison(c, column, type);
    if (!bound) continue;
    const std::string& op = bound->op;
    const BoundExprPtr& value = bound->value;
    const int64_t u = unit(value->value);
    if (op == ">=") {
      lo = std::max(lo, u);
    } else if (op == ">") {
      lo = std::max(lo, next(u));
    } else if (op == "<") {
      hi = std::min(hi, u);
    } else if (op == "<=") {
      hi = std::min(hi, next(u));
    } else if (op == "=") {
      lo = std::max(lo, u);
      hi = std::min(hi, next(u));
    }
  }
  return {lo, hi};
}

}  // namespace

std::vector<InheritanceMember> Binder::InheritanceMembers(const storage::TableInfo& parent) {
  std::vector<InheritanceMember> out;
  const storage::CatalogSnapshot& catalog = *ctx_->catalog;
  std::set<storage::Oid> seen{parent.oid};
  std::vector<storage::Oid> queue{parent.oid};
  for (size_t i = 0; i < queue.size(); ++i) {
    std::vector<storage::Oid> children;
    for (const auto& c : catalog.InheritanceChildren(queue[i])) children.push_back(c->oid);
    if (ctx_->inheritance_pins != nullptr) {
      auto pin = ctx_->inheritance_pins->find(queue[i]);
      if (pin != ctx_->inheritance_pins->end()) {
        if (pin->second != children) ctx_->inheritance_pinned[queue[i]] = pin->second;
        children = pin->second;
      }
    }
    if (children.empty()) continue;
    ctx_->inheritance_used[queue[i]] = children;
    for (storage::Oid oid : children) {
      if (!seen.insert(oid).second) continue;
      // A child found before it was locked may have been dropped since: skipped, as
      // PostgreSQL's find_all_inheritors does.
      auto child = catalog.FindRelationByOid(oid);
      if (!child) continue;
      InheritanceMember m;
      m.table = child;
      for (const storage::ColumnInfo& pc : parent.columns) {
        int j = child->ColumnIndex(pc.name);
        if (j < 0) {
          Throw(SqlState::kInternalError,
                "could not find inherited attribute \"{}\" of relation \"{}\"", pc.name,
                child->name);
        }
        if (child->columns[j].type != pc.type) {
          Throw(SqlState::kInternalError,
                "attribute \"{}\" of relation \"{}\" does not match parent's type", pc.name,
                child->name);
        }
        m.columns.push_back(j);
      }
      out.push_back(std::move(m));
      queue.push_back(oid);
    }
  }
  return out;
}

PlannedRel Binder::PlanInheritanceLeaf(const JoinNode& node, const std::set<int>& needed,
                                       const std::vector<BoundExprPtr>& conjuncts) {
  // The same FROM-row columns from every member: those needed or read by a conjunct, else the
  // first (a count(*) still needs rows).
  std::set<int> cols;
  for (int c : needed) {
    if (c >= node.first && c < node.first + node.count) cols.insert(c);
  }
  for (const auto& conj : conjuncts) {
    std::set<int> read;
    CollectColumns(conj, &read);
    for (int c : read) {
      if (c >= node.first && c < node.first + node.count) cols.insert(c);
    }
  }
  if (cols.empty() && node.count > 0) cols.insert(node.first);
  auto member_leaf = [&](std::shared_ptr<const storage::TableInfo> table, std::vector<int> map,
                         const std::vector<BoundExprPtr>& conjuncts, bool prefer_scan = false) {
    JoinNode leaf;
    leaf.prefer_scan = prefer_scan;
    leaf.first = node.first;
    leaf.count = node.count;
    leaf.table = std::move(table);
    leaf.column_map = std::move(map);
    leaf.has_tableoid = node.has_tableoid;
    leaf.sample = node.sample;
    return PlanLeaf(leaf, cols, conjuncts, /*emit_row_location=*/false);
  };
  PlannedRel own = member_leaf(node.table, {}, conjuncts);
  auto append = std::make_shared<PlanNode>();
  append->kind = PlanKind::kAppend;
  append->output_types = own.plan->output_types;
  append->output_names = own.plan->output_names;
  // A hypertable (docs/design/2026-12-06-hypertables.md) holds no rows itself: its chunks do,
  // and a chunk whose range the conjuncts on the time column exclude is left out (pruning
  // at plan time, so the plan shows the chunks it reads).
  const storage::HypertableInfo* hyper =
      node.table->hypertable ? &*node.table->hypertable : nullptr;
  std::pair<int64_t, int64_t> range{std::numeric_limits<int64_t>::min(),
                                    std::numeric_limits<int64_t>::max()};
  if (hyper != nullptr) {
    range = TimeRangeOf(conjuncts, node.first + hyper->time_column,
                        node.table->columns[hyper->time_column].type.id);
  }
  for (const InheritanceMember& m : node.inheritance) {
    if (hyper != nullptr && m.table->chunk && m.table->chunk->hypertable == node.table->oid &&
        (m.table->chunk->range_end <= range.first || m.table->chunk->range_start >= range.second)) {
      continue;
    }
    // A chunk wholly inside the range: its CHECK on the (NOT NULL) time column implies the
    // comparisons that made the range, so they are left out of its read, as TimescaleDB's
    // constraint-aware planning leaves them out: the chunk is scanned without testing them
    // rather than read through its time index.
    std::vector<BoundExprPtr> own_conjuncts;
    const bool covered =
        hyper != nullptr && m.table->chunk && m.table->chunk->hypertable == node.table->oid &&
        m.table->chunk->range_start >= range.first && m.table->chunk->range_end <= range.second;
    if (covered) {
      const int time_column = node.first + hyper->time_column;
      const TypeId time_type = node.table->columns[hyper->time_column].type.id;
      for (const BoundExprPtr& c : conjuncts) {
        if (!TimeComparison(c, time_column, time_type)) own_conjuncts.push_back(c);
      }
    }
    // A chunk whose range the query's cuts: through its time index when the part read is
    // small (a tenth of the chunk's range at most: a row read through an index costs several
    // times one read by a scan, PostgreSQL's random_page_cost reasoning), else scanned with the
    // comparisons as a filter. The chunk's range stands in for statistics.
    // Without both ends known here (parameters, `now() - interval ...`) the index is read: a
    // chunk the range misses then costs one empty index read, pruning at run time.
    bool prefer_scan = false;
    if (hyper != nullptr && m.table->chunk && !covered &&
        range.first != std::numeric_limits<int64_t>::min() &&
        range.second != std::numeric_limits<int64_t>::max()) {
      const long double width = static_cast<long double>(m.table->chunk->range_end) -
                                static_cast<long double>(m.table->chunk->range_start);
      const long double part =
          static_cast<long double>(std::min(m.table->chunk->range_end, range.second)) -
          static_cast<long double>(std::max(m.table->chunk->range_start, range.first));
      prefer_scan = width > 0 && part * 10 > width;
    }
    PlannedRel rel =
        member_leaf(m.table, m.columns, covered ? own_conjuncts : conjuncts, prefer_scan);
    if (rel.cols != own.cols) {
      Throw(SqlState::kInternalError, "inheritance member \"{}\" reads other columns",
            m.table->name);
    }
    append->children.push_back(rel.plan);
  }
  if (hyper == nullptr || append->children.empty()) {
    append->children.insert(append->children.begin(), own.plan);
  }
  own.plan = append;
  return own;
}

std::shared_ptr<const storage::TableInfo> Binder::ModifyTarget(const ast::QualifiedName& name) {
  return member_target_ ? member_target_ : LookupTable(name);
}

template <typename Stmt>
std::vector<PlanPtr> Binder::PlanMemberModifies(const Stmt& s, const storage::TableInfo& table) {
  std::vector<PlanPtr> out;
  for (const InheritanceMember& m : InheritanceMembers(table)) {
    Binder member(ctx_, parent_, this);
    member.member_target_ = m.table;
    member.member_parent_ = &table;
    if constexpr (std::is_same_v<Stmt, ast::UpdateStatement>) {
      out.push_back(member.PlanUpdateBody(s));
    } else {
      out.push_back(member.PlanDeleteBody(s));
    }
  }
  return out;
}

template std::vector<PlanPtr> Binder::PlanMemberModifies(const ast::UpdateStatement& s,
                                                         const storage::TableInfo& table);
template std::vector<PlanPtr> Binder::PlanMemberModifies(const ast::DeleteStatement& s,
                                                         const storage::TableInfo& table);

}  // namespace activestore::planner
