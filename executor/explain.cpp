// EXPLAIN: a readable outline of a physical plan, one line per node.
#include <set>
#include <string>
#include <vector>

#include "common/types.h"
#include "common/value_ops.h"
#include "executor/session.h"
#include "planner/index_scan_planner.h"
#include "planner/pg_catalog/system_relation.h"

namespace activestore::executor {
namespace {

const char* JoinName(planner::JoinType t) {
  switch (t) {
    case planner::JoinType::kInner:
      return "Inner";
    case planner::JoinType::kLeft:
      return "Left";
    case planner::JoinType::kRight:
      return "Right";
    case planner::JoinType::kFull:
      return "Full";
    case planner::JoinType::kSemi:
      return "Semi";
    case planner::JoinType::kAnti:
      return "Anti";
  }
  return "";
}

// The name of a kIndexLookup's or kIndexScan's index (index_oid 0: the primary key).
std::string IndexName(const planner::PlanNode& n) {
  if (!n.table) return "";
  if (n.index_oid == 0) return n.table->PrimaryKeyName();
  for (const auto& i : n.table->indexes) {
    if (i.oid == n.index_oid) return i.name;
  }
  return "";
}

// A key value as EXPLAIN shows it: a constant as a literal, a parameter as $n.
std::string KeyValueText(const planner::BoundExpr& e) {
  switch (e.kind) {
    case planner::BoundExprKind::kConstant: {
      if (e.value.is_null) return "NULL";
      const std::string text = FormatValue(e.value);
      if (IsNumericType(e.type.id)) return text;
      std::string quoted = "'";
      for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
      return quoted + "'::" + TypeName(e.type);
    }
    case planner::BoundExprKind::kParam:
      return "$" + std::to_string(e.param_index + 1);
    case planner::BoundExprKind::kCast:
    case planner::BoundExprKind::kFunction:
      if (e.children.size() == 1) return KeyValueText(*e.children[0]);
      return "(expression)";
    default:
      return "(expression)";
  }
}

// PostgreSQL's `Index Cond:` of a kIndexScan: the equated key elements, then the range's ends.
std::string IndexCondition(const planner::PlanNode& n) {
  std::vector<std::string> names;
  if (n.table) {
    std::vector<int> cols = n.table->primary_key;
    for (const auto& i : n.table->indexes) {
      if (n.index_oid != 0 && i.oid == n.index_oid) cols = planner::EntryKeyColumns(*n.table, i);
    }
    for (int c : cols) names.push_back(c >= 0 ? n.table->columns[c].name : "?");
  }
  std::vector<std::string> conds;
  auto name = [&](size_t i) { return i < names.size() ? names[i] : std::string("?"); };
  for (size_t i = 0; i < n.key_exprs.size(); ++i) {
    conds.push_back("(" + name(i) + " = " + KeyValueText(*n.key_exprs[i]) + ")");
  }
  const std::string col = name(n.key_exprs.size());
  if (n.range_not_null && !n.range_lower && !n.range_upper) {
    conds.push_back("(" + col + " IS NOT NULL)");
  }
  if (n.range_lower) {
    conds.push_back("(" + col + (n.range_lower_inclusive ? " >= " : " > ") +
                    KeyValueText(*n.range_lower) + ")");
  }
  if (n.range_upper) {
    conds.push_back("(" + col + (n.range_upper_inclusive ? " <= " : " < ") +
                    KeyValueText(*n.range_upper) + ")");
  }
  std::string out;
  for (size_t i = 0; i < conds.size(); ++i) out += (i ? " AND " : "") + conds[i];
  return conds.size() > 1 ? "(" + out + ")" : out;
}

// Whether a kIndexScan reads its index against the index's declared order (PostgreSQL's
// `Index Scan Backward`): every index is stored ascending, so a scan read backwards goes
// against an ASC element and with a DESC one (`(ts DESC)` read for ORDER BY ts DESC is forward).
bool ScansBackward(const planner::PlanNode& n) {
  bool declared_desc = false;
  if (n.table && n.index_oid != 0) {
    for (const auto& i : n.table->indexes) {
      if (i.oid == n.index_oid) {
        declared_desc = (i.option(n.key_exprs.size()) & storage::IndexInfo::kDescending) != 0;
      }
    }
  }
  return n.scan_backward != declared_desc;
}

std::string Describe(const planner::PlanNode& n) {
  using K = planner::PlanKind;
  std::string table = n.table ? n.table->name : "";
  switch (n.kind) {
    case K::kResult:
      return n.no_rows ? "Result (no rows)" : "Result";
    case K::kValues:
      return "Values (" + std::to_string(n.values_rows.size()) + " rows)";
    case K::kSystemView:
      if (n.system_relation != nullptr && n.scan_key_column >= 0 &&
          (n.scan_key_value || n.scan_key_id != 0)) {
        return "System View " + n.system_view + " (key " +
               n.system_relation->columns[n.scan_key_column].name + ")";
      }
      return "System View " + n.system_view;
    case K::kProjectSet:
      return "ProjectSet";
    case K::kFunctionScan:
      return "Function Scan on " + (n.function_name.empty()     ? std::string("unnest")
                                    : n.function_name == "call" ? n.exprs.at(0)->op
                                                                : n.function_name);
    case K::kShardScan:
      return "Shard Scan on " + table + " (shard " + std::to_string(n.shard) + ")" +
             (n.sample ? n.sample->method == planner::SampleMethod::kBernoulli
                             ? " sampled by bernoulli"
                             : " sampled by system"
                       : "") +
             (n.predicate ? " with filter" : "");
    case K::kPrimaryKeyLookup:
      return "Primary Key Lookup on " + table + (n.predicate ? " with filter" : "");
    case K::kIndexLookup:
      return "Index Lookup using " + IndexName(n) + " on " + table +
             (n.predicate ? " with filter" : "");
    case K::kIndexScan:
      return std::string(ScansBackward(n) ? "Index Scan Backward using " : "Index Scan using ") +
             IndexName(n) + " on " + table + (n.predicate ? " with filter" : "");
    case K::kGather:
      return std::string(n.key_order ? "Gather Merge by key (" : "Gather (") +
             std::to_string(n.children.size()) + " fragments)";
    case K::kFilter:
      if (n.sample) {
        return n.sample->method == planner::SampleMethod::kBernoulli ? "Sample by bernoulli"
                                                                     : "Sample by system";
      }
      return "Filter";
    case K::kProject:
      return "Project";
    case K::kAggregate:
      return n.group_exprs.empty()
                 ? "Aggregate"
                 : "Hash Aggregate (" + std::to_string(n.group_exprs.size()) + " keys)";
    case K::kSort:
      return "Sort (" + std::to_string(n.sort_keys.size()) + " keys)";
    case K::kLimit:
      return "Limit";
    case K::kDistinct:
      return "Distinct";
    case K::kHashJoin:
      return std::string("Hash ") + JoinName(n.join_type) + " Join (" +
             std::to_string(n.left_keys.size()) + " keys)";
    case K::kNestedLoopJoin:
      return std::string("Nested Loop ") + JoinName(n.join_type) + " Join";
    case K::kSetOp: {
      const char* op = n.set_op == planner::SetOpKind::kUnion       ? "Union"
                       : n.set_op == planner::SetOpKind::kIntersect ? "Intersect"
                                                                    : "Except";
      return std::string(op) + (n.set_all ? " All" : "");
    }
    case K::kInsert:
      return "Insert on " + table;
    case K::kUpdate:
      return "Update on " + table;
    case K::kDelete:
      return "Delete on " + table;
    case K::kMerge:
      return "Merge on " + table;
    case K::kLockRows:
      return n.table ? "LockRows on " + table : std::string("LockRows");
    case K::kSequenceScan:
      return "Seq Scan on " + table;
    case K::kCteScan:
      return "CTE Scan on " + n.cte_name;
    case K::kRecursiveUnion:
      return "Recursive Union";
    case K::kWorkTableScan:
      return "WorkTable Scan on " + n.cte_name;
    case K::kWindowAgg:
      return "WindowAgg";
    case K::kAppend:
      return n.chunk_append_of.empty() ? "Append"
                                       : "Custom Scan (ChunkAppend) on " + n.chunk_append_of;
    case K::kGapFill:
      return "Custom Scan (GapFill)";
  }
  return "?";
}

void Render(const planner::PlanNode& n, int depth, std::vector<std::string>* out,
            const std::set<uint32_t>& init_ctes = {}) {
  std::string prefix = depth == 0 ? "" : std::string((depth - 1) * 6 + 2, ' ') + "->  ";
  out->push_back(prefix + Describe(n));
  if (n.kind == planner::PlanKind::kIndexScan && !IndexCondition(n).empty()) {
    out->push_back(std::string(depth == 0 ? 2 : (depth - 1) * 6 + 8, ' ') +
                   "Index Cond: " + IndexCondition(n));
  }
  // Data-modifying WITH queries and the table copies they need, each shown once.
  std::set<uint32_t> inits = init_ctes;
  for (const planner::PlanPtr& init : n.init_plans) {
    bool dml = planner::IsDataModifying(init->cte_plan->kind);
    out->push_back(std::string(depth * 6 + 2, ' ') + (dml ? "CTE " : "Snapshot of ") +
                   init->cte_name);
    Render(*init->cte_plan, depth + 1, out, inits);
    inits.insert(init->cte_id);
  }
  // Collapse the per-shard fragments of a gather: they differ only by shard number.
  if (n.kind == planner::PlanKind::kGather && n.children.size() > 1 &&
      n.children[0]->kind == planner::PlanKind::kShardScan) {
    Render(*n.children[0], depth + 1, out, inits);
    out->back() += " ... and " + std::to_string(n.children.size() - 1) + " more shards";
    return;
  }
  for (const auto& c : n.children) Render(*c, depth + 1, out, inits);
  if (n.cte_plan && !inits.count(n.cte_id)) {
    out->push_back(std::string(depth * 6 + 2, ' ') + "CTE " + n.cte_name);
    Render(*n.cte_plan, depth + 1, out, inits);
  }
}

}  // namespace

std::vector<std::string> ExplainPlan(const planner::PlanNode& plan) {
  std::vector<std::string> out;
  Render(plan, 0, &out);
  return out;
}

}  // namespace activestore::executor
