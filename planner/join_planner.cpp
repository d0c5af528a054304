// Plan shape of the FROM clause: table reads as a Gather of per-shard scans (or a primary key
// lookup), single-table predicates pushed into the scans, only the needed columns read, inner
// joins ordered greedily so that every join that can be a hash join (an equality between the
// two sides) is one, outer joins kept in place.
//
// Every planned subtree reports, per output column, the FROM-row column it carries
// (PlannedRel::cols); expressions are moved onto that layout with RemapColumns.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>
#include <map>
#include <optional>

#include "common/value_ops.h"
#include "planner/binder.h"
#include "planner/index_scan_planner.h"
#include "planner/interrupts.h"
#include "planner/pg_catalog/system_relation.h"
#include "planner/planner.h"

namespace activestore::planner {

namespace {

std::set<int> ColumnsOf(const BoundExprPtr& e) {
  std::set<int> s;
  CollectColumns(e, &s);
  return s;
}

std::function<int(int)> MapFor(const std::vector<int>& cols) {
  auto m = std::make_shared<std::map<int, int>>();
  for (size_t i = 0; i < cols.size(); ++i) m->emplace(cols[i], static_cast<int>(i));
  return [m](int c) {
    auto it = m->find(c);
    return it == m->end() ? -1 : it->second;
  };
}

bool Subset(const std::set<int>& a, const std::set<int>& b) {
  return std::includes(b.begin(), b.end(), a.begin(), a.end());
}

bool IsEquality(const BoundExprPtr& e) {
  return e->kind == BoundExprKind::kCompare && e->op == "=" && !ContainsSubquery(e);
}

// Whether e's value is known when a scan starts: a constant, a parameter or an outer column.
bool KnownAtScanStart(const BoundExprPtr& e) {
  return (e->kind == BoundExprKind::kConstant && !e->value.is_null) ||
         e->kind == BoundExprKind::kParam || e->kind == BoundExprKind::kOuterColumn;
}

// The column a catalog key compares: `col`, or `col::text` of a name column.
const BoundExpr* KeyColumnOf(const BoundExprPtr& e) {
  if (e->kind == BoundExprKind::kColumn) return e.get();
  if (e->kind == BoundExprKind::kCast && e->type.id == TypeId::kText &&
      e->children[0]->kind == BoundExprKind::kColumn && e->children[0]->type.id == TypeId::kName) {
    return e->children[0].get();
  }
  return nullptr;
}

// The one string an anchored regular expression without operators matches (psql's
// `relname ~ '^(t)$'`, with its backslash escapes of punctuation), if it is one.
std::optional<std::string> ExactRegexLiteral(const std::string& re) {
  if (re.size() < 2 || re.front() != '^' || re.back() != '$') return std::nullopt;
  std::string body = re.substr(1, re.size() - 2);
  if (body.size() >= 2 && body.front() == '(' && body.back() == ')') {
    body = body.substr(1, body.size() - 2);
  }
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(body[i]);
    if (c == '\\') {
      if (i + 1 >= body.size() || std::isalnum(static_cast<unsigned char>(body[i + 1]))) {
        return std::nullopt;
      }
      out += body[++i];
    } else if (std::strchr(".^$*+?()[]{}|", c) != nullptr) {
      return std::nullopt;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// A pg_catalog relation's scan keyed by the first `key column = value` among `preds` (over
// the scan's own columns) whose value is known when the scan starts, or by an anchored regular
// expression that matches one name; its producer then visits only the matching objects. The
// filter above still checks every row.
// The relation column of a pg_catalog scan's output column (plan.h system_columns).
int RelationColumnOf(const PlanNode& scan, int output) {
  return scan.system_columns.empty() ? output : scan.system_columns[output];
}

// Whether output column `output` of a pg_catalog scan is a key column of its relation.
bool IsCatalogKey(const PlanNode& scan, int output) {
  const std::vector<int>& keys = scan.system_relation->key_columns;
  return std::find(keys.begin(), keys.end(), RelationColumnOf(scan, output)) != keys.end();
}

PlanPtr WithCatalogScanKey(PlanPtr plan, const std::vector<BoundExprPtr>& preds) {
  if (plan->kind != PlanKind::kSystemView || plan->system_relation == nullptr ||
      plan->scan_key_value || plan->scan_key_id != 0) {
    return plan;
  }
  auto is_key = [&](const BoundExpr* col) {
    return col != nullptr && IsCatalogKey(*plan, col->column_index);
  };
  auto keyed = [&](int column, BoundExprPtr value) {
    auto k = std::make_shared<PlanNode>(*plan);
    k->scan_key_column = RelationColumnOf(*plan, column);
    k->scan_key_value = std::move(value);
    return k;
  };
  for (const BoundExprPtr& p : preds) {
    if (p->kind == BoundExprKind::kFunction && p->op == "textregexeq" &&
        p->children[1]->kind == BoundExprKind::kConstant && !p->children[1]->value.is_null) {
      const BoundExpr* col = KeyColumnOf(p->children[0]);
      if (!is_key(col) || col->type.id != TypeId::kName) continue;
      if (auto name = ExactRegexLiteral(p->children[1]->value.s)) {
        auto v = std::make_shared<BoundExpr>();
        v->kind = BoundExprKind::kConstant;
        v->type = col->type;
        v->value = pg_catalog::NameValue(*name);
        return keyed(col->column_index, v);
      }
      continue;
    }
    if (!IsEquality(p)) continue;
    for (int side = 0; side < 2; ++side) {
      const BoundExprPtr& c = p->children[side];
      const BoundExprPtr& val = p->children[1 - side];
      const BoundExpr* col = KeyColumnOf(c);
      if (!is_key(col) || !KnownAtScanStart(val) || val->type.id != c->type.id) continue;
      return keyed(col->column_index, val);
    }
  }
  return plan;
}

// A pg_catalog relation's scan under `name LIKE pattern` among `preds` (over the scan's own
// columns), a name key column, its pattern and escape known when the scan starts: the producer
// may then skip the objects whose names fail it (plan.h name_like_pattern).
PlanPtr WithCatalogNameFilter(PlanPtr plan, const std::vector<BoundExprPtr>& preds) {
  if (plan->kind != PlanKind::kSystemView || plan->system_relation == nullptr ||
      plan->name_like_pattern) {
    return plan;
  }
  for (const BoundExprPtr& p : preds) {
    if (p->kind != BoundExprKind::kLike || p->negated || p->children.size() < 2 ||
        !std::all_of(p->children.begin() + 1, p->children.end(), KnownAtScanStart)) {
      continue;
    }
    const BoundExpr* col = KeyColumnOf(p->children[0]);
    if (col == nullptr || col->type.id != TypeId::kName ||
        !IsCatalogKey(*plan, col->column_index)) {
      continue;
    }
    auto f = std::make_shared<PlanNode>(*plan);
    f->name_like_column = RelationColumnOf(*plan, col->column_index);
    f->name_like_pattern = p->children[1];
    if (p->children.size() > 2) f->name_like_escape = p->children[2];
    f->name_like_icase = p->op == "ILIKE" || p->op == "ilike";
    return f;
  }
  return plan;
}

// Whether plan reads nothing but pg_catalog relations (cheap to read whole, before its join
// partner: JoinRels' runtime keys).
bool ReadsOnlyCatalog(const PlanNode& plan) {
  switch (plan.kind) {
    case PlanKind::kSystemView:
      return plan.system_relation != nullptr;
    case PlanKind::kFilter:
    case PlanKind::kProject:
    case PlanKind::kHashJoin:
    case PlanKind::kNestedLoopJoin:
      return std::all_of(plan.children.begin(), plan.children.end(),
                         [](const PlanPtr& c) { return ReadsOnlyCatalog(*c); });
    default:
      return false;
  }
}

// Whether plan scans a pg_catalog relation keyed by a value known at its start (a constant,
// parameter or outer column), under filters.
bool HasConstantCatalogKey(const PlanNode& plan) {
  if (plan.kind == PlanKind::kFilter && !plan.sample)
    return HasConstantCatalogKey(*plan.children[0]);
  return plan.kind == PlanKind::kSystemView && plan.scan_key_value != nullptr;
}

// The finished plan of the leaf that produces FROM-row column `col` within `node`, when a
// condition on that column over node's rows can be pushed down to that leaf: through inner joins
// and the preserved side of outer joins. Null otherwise.
const PlanPtr& ScannedLeafOf(const JoinNode& node, int col) {
  static const PlanPtr kNone;
  switch (node.kind) {
    case JoinNode::Kind::kLeaf:
      return node.plan;
    case JoinNode::Kind::kInner:
      for (const auto& c : node.children) {
        if (col >= c->first && col < c->first + c->count) return ScannedLeafOf(*c, col);
      }
      return kNone;
    case JoinNode::Kind::kOuter: {
      const JoinNode& l = *node.children[0];
      const JoinNode& r = *node.children[1];
      const bool in_left = col >= l.first && col < l.first + l.count;
      const bool in_right = col >= r.first && col < r.first + r.count;
      // PlanOuter pushes a condition on the left side of an inner (LATERAL) or left join.
      if ((node.join_type == JoinType::kInner || node.join_type == JoinType::kLeft) && in_left) {
        return ScannedLeafOf(l, col);
      }
      if (node.join_type == JoinType::kRight && in_right) return ScannedLeafOf(r, col);
      return kNone;
    }
  }
  return kNone;
}

// A hash join whose right side scans a pg_catalog relation on a key column and whose left side
// reads only catalog relations: the join gives that scan the left's key values when it runs
// (plan.h runtime_key_id), so the scan builds only the rows that can match.
void WithRuntimeCatalogKey(PlanNode* join, uint32_t* last_id) {
  const JoinType t = join->join_type;
  if (join->kind != PlanKind::kHashJoin ||
      (t != JoinType::kInner && t != JoinType::kLeft && t != JoinType::kSemi &&
       t != JoinType::kAnti) ||
      !ReadsOnlyCatalog(*join->children[0])) {
    return;
  }
  PlanPtr right = join->children[1];
  const bool filtered = right->kind == PlanKind::kFilter && !right->sample;
  const PlanPtr& scan = filtered ? right->children[0] : right;
  if (scan->kind != PlanKind::kSystemView || scan->system_relation == nullptr ||
      scan->scan_key_value || scan->scan_key_id != 0) {
    return;
  }
  for (size_t k = 0; k < join->right_keys.size(); ++k) {
    const BoundExprPtr& rk = join->right_keys[k];
    if (rk->kind != BoundExprKind::kColumn || join->left_keys[k]->type.id != rk->type.id ||
        !IsCatalogKey(*scan, rk->column_index)) {
      continue;
    }
    auto keyed = std::make_shared<PlanNode>(*scan);
    keyed->scan_key_id = ++*last_id;
    keyed->scan_key_column = RelationColumnOf(*scan, rk->column_index);
    if (filtered) {
      auto f = std::make_shared<PlanNode>(*right);
      f->children = {keyed};
      join->children[1] = f;
    } else {
      join->children[1] = keyed;
    }
    join->runtime_key_id = keyed->scan_key_id;
    join->runtime_key_index = static_cast<int>(k);
    return;
  }
}

// Equalities that a value known at scan start implies through the join conditions among
// `conjuncts` (c.oid = 5 AND c.oid = i.indrelid give i.indrelid = 5), for the columns `wanted`
// accepts: PostgreSQL's equivalence classes, here only to key pg_catalog scans.
std::vector<BoundExprPtr> ImpliedKeyEqualities(const std::vector<BoundExprPtr>& conjuncts,
                                               const std::function<bool(int)>& wanted) {
  std::map<int, BoundExprPtr> known;  // column -> its value
  std::vector<std::pair<const BoundExpr*, const BoundExpr*>> links;
  for (const BoundExprPtr& c : conjuncts) {
    if (!IsEquality(c)) continue;
    const BoundExprPtr& a = c->children[0];
    const BoundExprPtr& b = c->children[1];
    if (a->type.id != b->type.id) continue;
    if (a->kind == BoundExprKind::kColumn && b->kind == BoundExprKind::kColumn) {
      links.emplace_back(a.get(), b.get());
    } else if (a->kind == BoundExprKind::kColumn && KnownAtScanStart(b)) {
      known.emplace(a->column_index, b);
    } else if (b->kind == BoundExprKind::kColumn && KnownAtScanStart(a)) {
      known.emplace(b->column_index, a);
    }
  }
  std::vector<BoundExprPtr> out;
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& [a, b] : links) {
      for (const auto& [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
        auto it = known.find(from->column_index);
        if (it == known.end() || known.count(to->column_index) != 0) continue;
        BoundExprPtr value = it->second;
        known.emplace(to->column_index, value);
        changed = true;
        if (!wanted(to->column_index)) continue;
        auto col = std::make_shared<BoundExpr>(*to);
        auto eq = std::make_shared<BoundExpr>();
        eq->kind = BoundExprKind::kCompare;
        eq->op = "=";
        eq->type = Type::Of(TypeId::kBool);
        eq->children = {col, value};
        out.push_back(eq);
      }
    }
  }
  return out;
}

// A lookup through a secondary index of `table` (the FROM item `node`): every key element
// equated in `conjuncts` to a value known before the row (a column `c = v`, an expression
// written as the index has it `lower(k) = v`), and, for a partial index, every conjunct of its
// predicate among the conjuncts (PostgreSQL's predicate_implied_by for the simple case).
// Unique indexes first. Null when none applies. The conjuncts all stay in the filter.
std::shared_ptr<PlanNode> IndexLookupFor(const JoinNode& node,
                                         const std::vector<BoundExprPtr>& conjuncts,
                                         PlannerContext& ctx) {
  const storage::TableInfo& table = *node.table;
  if (table.indexes.empty()) return nullptr;
  const bool computed = std::any_of(table.indexes.begin(), table.indexes.end(),
                                    [](const storage::IndexInfo& i) { return !i.plain(); });
  // For expression and partial indexes: each conjunct over the table's own ordinals, its
  // sides' element texts and its text as a predicate conjunct.
  std::vector<BoundExprPtr> local(conjuncts.size());
  std::set<std::string> conjunct_texts;
  if (computed) {
    auto to_table = [&](int c) {
      return c >= node.first && c < node.first + node.count ? c - node.first : -1;
    };
    for (size_t i = 0; i < conjuncts.size(); ++i) {
      try {
        local[i] = RemapColumns(conjuncts[i], to_table);
        std::vector<std::string> texts;
        SplitIndexPredicate(local[i], table, &texts);
        conjunct_texts.insert(texts.begin(), texts.end());
      } catch (const Error&) {
        local[i] = nullptr;
      }
    }
  }
  auto element_text = [&](const BoundExprPtr& e) -> std::string {
    try {
      return IndexElementText(*e, table, false);
    } catch (const Error&) {
      return "";
    }
  };
  std::shared_ptr<storage::TableInfo> shape;
  for (bool unique : {true, false}) {
    for (const storage::IndexInfo& index : table.indexes) {
      if (index.primary || index.unique != unique) continue;
      if (index.partial()) {
        if (!shape) {
          shape = std::make_shared<storage::TableInfo>(table);
          shape->indexes.clear();
        }
        std::vector<std::string> needed;
        try {
          SplitIndexPredicate(BindIndexText(shape, index.predicate, ctx, true), table, &needed);
        } catch (const Error&) {
          continue;
        }
        if (!std::all_of(needed.begin(), needed.end(),
                         [&](const std::string& c) { return conjunct_texts.count(c) != 0; })) {
          continue;
        }
      }
      std::vector<BoundExprPtr> keys;
      std::vector<Type> key_types;
      size_t next_expr = 0;
      for (int col : index.columns) {
        BoundExprPtr key;
        Type key_type;
        const std::string* text =
            col == storage::IndexInfo::kExpressionColumn && next_expr < index.expressions.size()
                ? &index.expressions[next_expr++]
                : nullptr;
        for (size_t i = 0; i < conjuncts.size() && !key; ++i) {
          if (!IsEquality(conjuncts[i])) continue;
          for (int side = 0; side < 2 && !key; ++side) {
            const auto& other = conjuncts[i]->children[1 - side];
            if (text == nullptr) {
              const auto& c = conjuncts[i]->children[side];
              if (c->kind == BoundExprKind::kColumn && c->column_index == node.first + col) {
                key_type = table.columns[col].type;
                key = KeyExpr(other, key_type);
              }
              continue;
            }
            if (!local[i]) continue;
            const BoundExprPtr& e = local[i]->children[side];
            if (!IsRowIndependent(other) || element_text(e) != *text) continue;
            const bool same = other->type.id == e->type.id ||
                              (CategoryOf(other->type.id) == TypeCategory::kString &&
                               CategoryOf(e->type.id) == TypeCategory::kString &&
                               other->type.id != TypeId::kBpchar && e->type.id != TypeId::kBpchar);
            if (!same) continue;
            key_type = e->type;
            key = other;
          }
        }
        if (!key) break;
        keys.push_back(std::move(key));
        key_types.push_back(key_type);
      }
      if (keys.size() != index.columns.size()) continue;
      auto lookup = std::make_shared<PlanNode>();
      lookup->kind = PlanKind::kIndexLookup;
      lookup->index_oid = index.oid;
      lookup->key_exprs = std::move(keys);
      lookup->key_types = std::move(key_types);
      return lookup;
    }
  }
  return nullptr;
}

}  // namespace

PlanPtr MakeFilter(PlanPtr child, BoundExprPtr predicate) {
  auto f = std::make_shared<PlanNode>();
  f->kind = PlanKind::kFilter;
  f->output_types = child->output_types;
  f->output_names = child->output_names;
  f->predicate = std::move(predicate);
  f->children = {std::move(child)};
  return f;
}

PlanPtr MakeProject(PlanPtr child, std::vector<BoundExprPtr> exprs,
                    std::vector<std::string> names) {
  auto p = std::make_shared<PlanNode>();
  p->kind = child ? PlanKind::kProject : PlanKind::kResult;
  for (const auto& e : exprs) p->output_types.push_back(e->type);
  p->output_names = std::move(names);
  p->output_names.resize(p->output_types.size(), "?column?");
  p->exprs = std::move(exprs);
  if (child) p->children = {std::move(child)};
  return p;
}

PlannedRel Binder::PlanJoinTree(const JoinNode& node, const std::set<int>& needed,
                                std::vector<BoundExprPtr> extra) {
  CheckInterrupts();
  switch (node.kind) {
    case JoinNode::Kind::kLeaf:
      return PlanLeaf(node, needed, std::move(extra), node.emit_row_location);
    case JoinNode::Kind::kInner:
      return PlanInner(node, needed, std::move(extra));
    case JoinNode::Kind::kOuter:
      return PlanOuter(node, needed, std::move(extra));
  }
  Throw(SqlState::kInternalError, "bad join node");
}

PlannedRel Binder::PlanLeaf(const JoinNode& node, const std::set<int>& needed,
                            std::vector<BoundExprPtr> conjuncts, bool emit_row_location) {
  PlannedRel rel;
  if (node.plan) {
    rel.plan = node.plan;
    const PlanNode& p = *node.plan;
    if (p.kind == PlanKind::kSystemView && p.system_relation != nullptr &&
        p.system_columns.empty() && static_cast<int>(p.output_types.size()) == node.count) {
      // A pg_catalog relation outputs only the columns read above and by the conjuncts (catalog
      // queries read a few of pg_class's 33 columns or pg_type's 32).
      std::set<int> cols;
      for (int c : needed)
        if (c >= node.first && c < node.first + node.count) cols.insert(c);
      for (const auto& conj : conjuncts)
        for (int c : ColumnsOf(conj))
          if (c >= node.first && c < node.first + node.count) cols.insert(c);
      if (cols.empty() && node.count > 0) cols.insert(node.first);
      if (static_cast<int>(cols.size()) < node.count) {
        auto pruned = std::make_shared<PlanNode>(p);
        pruned->output_types.clear();
        pruned->output_names.clear();
        for (int c : cols) {
          pruned->system_columns.push_back(c - node.first);
          pruned->output_types.push_back(p.output_types[c - node.first]);
          pruned->output_names.push_back(p.output_names[c - node.first]);
        }
        rel.plan = std::move(pruned);
        rel.cols.assign(cols.begin(), cols.end());
      }
    }
    if (rel.cols.empty()) {
      for (int i = 0; i < node.count; ++i) rel.cols.push_back(node.first + i);
    }
    if (!conjuncts.empty()) {
      auto map = MapFor(rel.cols);
      std::vector<BoundExprPtr> preds;
      for (const auto& c : conjuncts) {
        BoundExprPtr pred = RemapColumns(c, map);
        // A LATERAL item's plan runs a level below this query (its depth-1 references are the
        // FROM row it reads): the conjunct's references to the enclosing queries are one level
        // further out there.
        if (!node.lateral_refs.empty()) pred = DeepenOuterReferences(pred);
        preds.push_back(std::move(pred));
      }
      rel.plan = WithCatalogScanKey(rel.plan, preds);
      rel.plan = WithCatalogNameFilter(rel.plan, preds);
      rel.plan = MakeFilter(rel.plan, MakeAnd(std::move(preds)));
    }
    return rel;
  }
  if (!node.inheritance.empty()) return PlanInheritanceLeaf(node, needed, conjuncts);
  if (node.has_tableoid) {
    // The table's read without its tableoid column, then a projection that adds it (and the
    // conjuncts that read it above that).
    const int oid_column = node.first + node.count - 1;
    JoinNode inner;
    inner.first = node.first;
    inner.count = node.count - 1;
    inner.table = node.table;
    inner.column_map = node.column_map;
    inner.sample = node.sample;
    inner.prefer_scan = node.prefer_scan;
    std::set<int> inner_needed;
    for (int c : needed) {
      if (c != oid_column) inner_needed.insert(c);
    }
    std::vector<BoundExprPtr> below, above;
    for (const auto& c : conjuncts) (ColumnsOf(c).count(oid_column) ? above : below).push_back(c);
    PlannedRel rel = PlanLeaf(inner, inner_needed, std::move(below), emit_row_location);
    if (!needed.count(oid_column) && above.empty()) return rel;
    std::vector<BoundExprPtr> exprs;
    std::vector<std::string> names = rel.plan->output_names;
    for (size_t i = 0; i < rel.cols.size(); ++i) {
      exprs.push_back(MakeColumn(static_cast<int>(i), rel.plan->output_types[i]));
    }
    exprs.push_back(MakeConst(Value::Int(TypeId::kOid, node.table->oid)));
    names.push_back("tableoid");
    rel.plan = MakeProject(rel.plan, std::move(exprs), std::move(names));
    rel.cols.push_back(oid_column);
    if (!above.empty()) {
      auto map = MapFor(rel.cols);
      std::vector<BoundExprPtr> preds;
      for (const auto& c : above) preds.push_back(RemapColumns(c, map));
      rel.plan = MakeFilter(rel.plan, MakeAnd(std::move(preds)));
    }
    return rel;
  }
  const storage::TableInfo& table = *node.table;
  // An inheritance member reads the range's columns at its own ordinals; key and index
  // lookups are planned only where they are the range's own.
  bool mapped = false;
  for (size_t i = 0; i < node.column_map.size(); ++i) mapped |= node.column_map[i] != int(i);
  auto ordinal = [&](int range_ordinal) {
    return node.column_map.empty() ? range_ordinal : node.column_map[range_ordinal];
  };
  std::set<int> cols;
  if (emit_row_location) {
    for (int i = 0; i < node.count; ++i) cols.insert(node.first + i);
  } else {
    for (int c : needed)
      if (c >= node.first && c < node.first + node.count) cols.insert(c);
    for (const auto& conj : conjuncts)
      for (int c : ColumnsOf(conj))
        if (c >= node.first && c < node.first + node.count) cols.insert(c);
    if (cols.empty() && node.count > 0) {
      cols.insert(node.first + (table.primary_key.empty() ? 0 : table.primary_key[0]));
    }
  }
  rel.cols.assign(cols.begin(), cols.end());
  std::vector<int> ordinals;
  std::vector<Type> types;
  std::vector<std::string> names;
  for (int c : rel.cols) {
    int ord = ordinal(c - node.first);
    ordinals.push_back(ord);
    types.push_back(table.columns[ord].type);
    names.push_back(table.columns[ord].name);
  }
  auto map = MapFor(rel.cols);

  // A compressed chunk (docs/design/2026-12-06-chunk-compression.md) keeps most of its rows in
  // compressed batches that its key and indexes do not cover: it is read by its shard scans,
  // which read the batches too.
  const bool compressed = table.chunk && table.chunk->compressed_table != 0;
  // Primary key lookup: `pk_i = value` for every key column.
  const bool own_key = std::all_of(table.primary_key.begin(), table.primary_key.end(),
                                   [&](int k) { return k < node.count; });
  // A sampled table is read whole (the sample is of its rows, before any condition).
  if (!table.primary_key.empty() && !mapped && own_key && !compressed && !node.sample) {
    std::vector<BoundExprPtr> keys;
    std::vector<bool> used(conjuncts.size(), false);
    for (int k : table.primary_key) {
      int global = node.first + k;
      BoundExprPtr key;
      for (size_t i = 0; i < conjuncts.size() && !key; ++i) {
        const auto& c = conjuncts[i];
        if (used[i] || !IsEquality(c)) continue;
        for (int side = 0; side < 2 && !key; ++side) {
          const auto& col = c->children[side];
          const auto& other = c->children[1 - side];
          if (col->kind == BoundExprKind::kColumn && col->column_index == global) {
            key = KeyExpr(other, table.columns[k].type);
            if (key) used[i] = true;
          }
        }
      }
      if (!key) break;
      keys.push_back(key);
    }
    if (keys.size() == table.primary_key.size()) {
      std::vector<BoundExprPtr> rest;
      for (size_t i = 0; i < conjuncts.size(); ++i)
        if (!used[i]) rest.push_back(RemapColumns(conjuncts[i], map));
      auto lookup = std::make_shared<PlanNode>();
      lookup->kind = PlanKind::kPrimaryKeyLookup;
      lookup->table = node.table;
      lookup->columns = ordinals;
      lookup->key_exprs = std::move(keys);
      lookup->predicate = MakeAnd(std::move(rest));
      lookup->emit_row_location = emit_row_location;
      lookup->output_types = types;
      lookup->output_names = names;
      rel.plan = lookup;
      return rel;
    }
  }

  std::vector<BoundExprPtr> preds;
  for (const auto& c : conjuncts) preds.push_back(RemapColumns(c, map));
  BoundExprPtr predicate = MakeAnd(std::move(preds));
  // A read of the table's rows: the projected columns, filtered by every conjunct.
  auto read = [&](std::shared_ptr<PlanNode> n) {
    n->table = node.table;
    n->columns = ordinals;
    n->predicate = predicate;
    n->emit_row_location = emit_row_location;
    n->output_types = types;
    n->output_names = names;
    return n;
  };
  // A member's index on a column the range does not have could match another range's column.
  bool foreign_index = false;
  for (const storage::IndexInfo& i : table.indexes) {
    for (int c : i.columns) foreign_index |= !node.column_map.empty() && c >= node.count;
  }
  if (auto lookup = mapped || foreign_index || compressed || node.sample
                        ? nullptr
                        : IndexLookupFor(node, conjuncts, *ctx_)) {
    rel.plan = read(lookup);
    return rel;
  }
  // A range of the primary key or of a plain index, read through it (index_scan_planner.h).
  if (auto scan =
          mapped || foreign_index || compressed || node.sample || !own_key || node.prefer_scan
              ? nullptr
              : IndexScanFor(table, node.first, conjuncts)) {
    rel.plan = read(scan);
    return rel;
  }
  auto gather = std::make_shared<PlanNode>();
  gather->kind = PlanKind::kGather;
  gather->output_types = types;
  gather->output_names = names;
  uint32_t shards = std::max<uint32_t>(1, table.shard_count);
  for (uint32_t s = 0; s < shards; ++s) {
    auto scan = read(std::make_shared<PlanNode>());
    scan->kind = PlanKind::kShardScan;
    scan->shard = s;
    scan->sample = node.sample;
    gather->children.push_back(scan);
  }
  rel.plan = gather;
  return rel;
}

PlannedRel Binder::PlanTargetRows(const JoinNode& node, std::vector<BoundExprPtr> where,
                                  const std::vector<BoundExprPtr*>& exprs) {
  PlannedRel rel;
  if (node.kind == JoinNode::Kind::kLeaf) {
    rel = PlanLeaf(node, {}, std::move(where), /*emit_row_location=*/true);
  } else {
    std::set<int> needed;
    for (const BoundExprPtr* e : exprs) CollectColumns(*e, &needed);
    rel = PlanJoinTree(node, needed, std::move(where));
  }
  auto map = MapFor(rel.cols);
  for (BoundExprPtr* e : exprs) *e = RemapColumns(*e, map);
  return rel;
}

PlannedRel Binder::JoinRels(PlannedRel left, PlannedRel right, JoinType type,
                            std::vector<BoundExprPtr> conds, bool lateral) {
  std::set<int> lset(left.cols.begin(), left.cols.end());
  std::set<int> rset(right.cols.begin(), right.cols.end());
  auto lmap = MapFor(left.cols), rmap = MapFor(right.cols);
  PlannedRel out;
  out.cols = left.cols;
  out.cols.insert(out.cols.end(), right.cols.begin(), right.cols.end());
  auto cmap = MapFor(out.cols);  // the row the join's predicate sees
  const bool left_only = type == JoinType::kSemi || type == JoinType::kAnti;
  if (left_only) out.cols = left.cols;

  auto join = std::make_shared<PlanNode>();
  join->join_type = type;
  std::vector<BoundExprPtr> residual;
  for (const auto& c : conds) {
    if (IsEquality(c) && !lateral) {
      auto a = ColumnsOf(c->children[0]), b = ColumnsOf(c->children[1]);
      BoundExprPtr lk, rk;
      if (!a.empty() && !b.empty() && Subset(a, lset) && Subset(b, rset)) {
        lk = c->children[0];
        rk = c->children[1];
      } else if (!a.empty() && !b.empty() && Subset(b, lset) && Subset(a, rset)) {
        lk = c->children[1];
        rk = c->children[0];
      }
      if (lk) {
        // Give both keys one type so that hashing and equality agree.
        if (lk->type.id != rk->type.id) {
          bool left_wider =
              NumericRank(lk->type.id) > NumericRank(rk->type.id) || lk->type.id == TypeId::kText;
          if (left_wider) {
            rk = Coerce(rk, Type::Of(lk->type.id), CoercionContext::kImplicit, -1);
          } else {
            lk = Coerce(lk, Type::Of(rk->type.id), CoercionContext::kImplicit, -1);
          }
        }
        join->left_keys.push_back(RemapColumns(lk, lmap));
        join->right_keys.push_back(RemapColumns(rk, rmap));
        continue;
      }
    }
    residual.push_back(RemapColumns(c, cmap));
  }
  join->kind = join->left_keys.empty() ? PlanKind::kNestedLoopJoin : PlanKind::kHashJoin;
  join->lateral = lateral;
  join->predicate = MakeAnd(std::move(residual));
  join->output_types = left.plan->output_types;
  join->output_names = left.plan->output_names;
  if (!left_only) {
    join->output_types.insert(join->output_types.end(), right.plan->output_types.begin(),
                              right.plan->output_types.end());
    join->output_names.insert(join->output_names.end(), right.plan->output_names.begin(),
                              right.plan->output_names.end());
  }
  join->children = {left.plan, right.plan};
  WithRuntimeCatalogKey(join.get(), &ctx_->last_runtime_key_id);
  out.plan = join;
  return out;
}

PlannedRel Binder::PlanInner(const JoinNode& node, const std::set<int>& needed,
                             std::vector<BoundExprPtr> extra) {
  std::vector<BoundExprPtr> all = node.conjuncts;
  for (auto& e : extra) SplitConjuncts(e, &all);
  size_t n = node.children.size();
  auto child_of = [&](int col) -> int {
    for (size_t i = 0; i < n; ++i) {
      const JoinNode& c = *node.children[i];
      if (col >= c.first && col < c.first + c.count) return static_cast<int>(i);
    }
    return -1;
  };
  std::vector<std::vector<BoundExprPtr>> pushed(n);
  std::vector<BoundExprPtr> top;  // referencing no FROM column of this group
  struct Multi {
    BoundExprPtr expr;
    std::set<int> children;
    bool applied = false;
  };
  std::vector<Multi> multi;
  std::set<int> need_all = needed;
  for (const auto& c : all) {
    std::set<int> refs;
    for (int col : ColumnsOf(c)) {
      int ch = child_of(col);
      if (ch >= 0) refs.insert(ch);
    }
    if (refs.empty()) {
      top.push_back(c);
      for (int col : ColumnsOf(c)) need_all.insert(col);
    } else if (refs.size() == 1) {
      pushed[*refs.begin()].push_back(c);
    } else {
      multi.push_back({c, refs});
      for (int col : ColumnsOf(c)) need_all.insert(col);
    }
  }
  auto catalog_leaf = [&](int col) {
    const int ch = child_of(col);
    if (ch < 0) return false;
    const PlanPtr& p = ScannedLeafOf(*node.children[ch], col);
    return p != nullptr && p->kind == PlanKind::kSystemView && p->system_relation != nullptr;
  };
  for (BoundExprPtr& e : ImpliedKeyEqualities(all, catalog_leaf)) {
    pushed[child_of(e->children[0]->column_index)].push_back(std::move(e));
  }
  // LATERAL items of the group (bind_from.cpp BindFromList): each joins once every item it
  // reads is joined, as the inner side of a nested loop that runs it again per row.
  std::vector<std::set<int>> lateral_needs(n);
  for (size_t i = 0; i < n; ++i) {
    const JoinNode& c = *node.children[i];
    if (c.kind != JoinNode::Kind::kLeaf || c.lateral_refs.empty()) continue;
    need_all.insert(c.lateral_refs.begin(), c.lateral_refs.end());
    for (int col : c.lateral_refs) {
      int ch = child_of(col);
      if (ch >= 0) lateral_needs[i].insert(ch);
    }
  }
  std::vector<PlannedRel> rels;
  for (size_t i = 0; i < n; ++i) {
    rels.push_back(PlanJoinTree(*node.children[i], need_all, std::move(pushed[i])));
  }
  // Catalog queries start from a relation that a constant keys (psql's `c.oid = i.inhrelid
  // AND i.inhparent = '16384'` reads pg_inherits first, then pg_class keyed by its rows) instead
  // of reading the first one whole. User tables keep FROM's order.
  size_t start = 0;
  if (std::all_of(rels.begin(), rels.end(),
                  [](const PlannedRel& r) { return ReadsOnlyCatalog(*r.plan); }) &&
      !HasConstantCatalogKey(*rels[0].plan)) {
    for (size_t i = 1; i < n; ++i) {
      if (HasConstantCatalogKey(*rels[i].plan)) {
        start = i;
        break;
      }
    }
  }
  if (!lateral_needs[start].empty()) start = 0;
  PlannedRel current = std::move(rels[start]);
  std::set<int> joined = {static_cast<int>(start)};
  std::vector<bool> done(n, false);
  done[start] = true;
  auto ready = [&](size_t j) { return !done[j] && Subset(lateral_needs[j], joined); };
  for (size_t step = 1; step < n; ++step) {
    // Prefer a relation linked to the joined ones by an equality (a hash join), then a LATERAL
    // item whose inputs are joined (before anything multiplies the rows it runs for).
    int pick = -1;
    for (size_t j = 0; j < n && pick < 0; ++j) {
      if (!ready(j)) continue;
      for (const auto& m : multi) {
        if (m.applied || !IsEquality(m.expr) || !m.children.count(static_cast<int>(j))) continue;
        std::set<int> others = m.children;
        others.erase(static_cast<int>(j));
        if (!others.empty() && Subset(others, joined)) {
          pick = static_cast<int>(j);
          break;
        }
      }
    }
    for (size_t j = 0; j < n && pick < 0; ++j) {
      if (ready(j) && !lateral_needs[j].empty()) pick = static_cast<int>(j);
    }
    for (size_t j = 0; j < n && pick < 0; ++j) {
      if (ready(j)) pick = static_cast<int>(j);
    }
    if (pick < 0) Throw(SqlState::kInternalError, "no FROM item can be joined next");
    const bool lateral = !lateral_needs[pick].empty();
    if (lateral) {
      // Its FROM-row references become positions in the joined row.
      auto lmap = MapFor(current.cols);
      rels[pick].plan = RewritePlan(
          rels[pick].plan,
          [&](const BoundExpr& e, int depth) -> BoundExprPtr {
            if (e.kind != BoundExprKind::kOuterColumn || e.outer_depth != depth) return nullptr;
            auto o = std::make_shared<BoundExpr>(e);
            o->column_index = lmap(e.column_index);
            return o;
          },
          false, 1);
    }
    joined.insert(pick);
    done[pick] = true;
    std::vector<BoundExprPtr> conds;
    for (auto& m : multi) {
      if (!m.applied && Subset(m.children, joined)) {
        conds.push_back(m.expr);
        m.applied = true;
      }
    }
    current = JoinRels(std::move(current), std::move(rels[pick]), JoinType::kInner,
                       std::move(conds), lateral);
  }
  if (!top.empty()) {
    auto map = MapFor(current.cols);
    std::vector<BoundExprPtr> preds;
    for (const auto& c : top) preds.push_back(RemapColumns(c, map));
    current.plan = MakeFilter(current.plan, MakeAnd(std::move(preds)));
  }
  return current;
}

PlannedRel Binder::PlanOuter(const JoinNode& node, const std::set<int>& needed,
                             std::vector<BoundExprPtr> extra) {
  const JoinNode& l = *node.children[0];
  const JoinNode& r = *node.children[1];
  auto side_of = [&](const BoundExprPtr& e) {
    // 1 = left only, 2 = right only, 3 = both, 0 = none
    int s = 0;
    for (int c : ColumnsOf(e)) {
      if (c >= l.first && c < l.first + l.count)
        s |= 1;
      else if (c >= r.first && c < r.first + r.count)
        s |= 2;
    }
    return s;
  };
  std::vector<BoundExprPtr> lpush, rpush, conds, above;
  const bool inner = node.join_type == JoinType::kInner;
  const bool semi = node.join_type == JoinType::kSemi;
  const bool left_only = semi || node.join_type == JoinType::kAnti;
  for (const auto& c : node.conjuncts) {
    int s = side_of(c);
    if (inner) {
      (s == 1 ? lpush : conds).push_back(c);
      continue;
    }
    // EXISTS (bind_sublink.cpp): a condition on the subquery's side only filters that side; one
    // on the query's side alone filters it before a semi join, but must stay in an anti join's
    // condition (the row is kept when it fails).
    if (left_only) {
      (s == 2 ? rpush : s == 1 && semi ? lpush : conds).push_back(c);
      continue;
    }
    // An ON condition on the nullable side only filters that side before the join.
    if (s == 2 && node.join_type == JoinType::kLeft)
      rpush.push_back(c);
    else if (s == 1 && node.join_type == JoinType::kRight)
      lpush.push_back(c);
    else
      conds.push_back(c);
  }
  std::vector<BoundExprPtr> extra_split;
  for (auto& e : extra) SplitConjuncts(e, &extra_split);
  for (const auto& c : extra_split) {
    int s = side_of(c);
    if (inner) {
      (s == 1 ? lpush : s == 0 ? above : conds).push_back(c);
      continue;
    }
    // A WHERE condition on the preserved side only filters it before the join.
    if (s == 1 && (node.join_type == JoinType::kLeft || left_only))
      lpush.push_back(c);
    else if (s == 2 && node.join_type == JoinType::kRight)
      rpush.push_back(c);
    else
      above.push_back(c);
  }
  std::set<int> need_all = needed;
  for (const auto& c : conds)
    for (int col : ColumnsOf(c)) need_all.insert(col);
  for (const auto& c : above)
    for (int col : ColumnsOf(c)) need_all.insert(col);
  if (node.lateral) need_all.insert(r.lateral_refs.begin(), r.lateral_refs.end());
  PlannedRel left = PlanJoinTree(l, need_all, std::move(lpush));
  PlannedRel right = PlanJoinTree(r, need_all, std::move(rpush));
  if (node.lateral) {
    // The right side reads the left row as its outer row: its FROM-row references become
    // positions in the left's output.
    auto lmap = MapFor(left.cols);
    for (int c : r.lateral_refs) {
      if (lmap(c) < 0) {
        ThrowAt(-1, SqlState::kFeatureNotSupported,
                "a LATERAL reference to an item outside its join is not supported");
      }
    }
    right.plan = RewritePlan(
        right.plan,
        [&](const BoundExpr& n, int depth) -> BoundExprPtr {
          if (n.kind != BoundExprKind::kOuterColumn || n.outer_depth != depth) return nullptr;
          auto o = std::make_shared<BoundExpr>(n);
          o->column_index = lmap(n.column_index);
          return o;
        },
        false, 1);
  }
  PlannedRel out =
      JoinRels(std::move(left), std::move(right), node.join_type, std::move(conds), node.lateral);
  if (!above.empty()) {
    auto map = MapFor(out.cols);
    std::vector<BoundExprPtr> preds;
    for (const auto& c : above) preds.push_back(RemapColumns(c, map));
    out.plan = MakeFilter(out.plan, MakeAnd(std::move(preds)));
  }
  return out;
}

}  // namespace activestore::planner
