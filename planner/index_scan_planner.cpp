#include "planner/index_scan_planner.h"

#include "common/value_ops.h"
#include "planner/bound_expr_util.h"
#include "planner/column_bounds.h"
#include "planner/type_rules.h"

namespace activestore::planner {

namespace {

bool IsStringKey(TypeId t) {
  return t == TypeId::kText || t == TypeId::kVarchar || t == TypeId::kName;
}

// Whether a bound of type `value` compared with the bare key column of type `key` is read by
// the executor (executor/operators/index_scan.cpp, RangeBoundKey) without loss.
bool SameKeyFamily(TypeId key, TypeId value) {
  if (IsIntegerType(key)) return IsIntegerType(value);
  if (key == TypeId::kFloat32 || key == TypeId::kFloat64) {
    return value == TypeId::kFloat32 || value == TypeId::kFloat64;
  }
  if (IsStringKey(key)) return IsStringKey(value);
  return key == value;  // date, timestamp, timestamptz
}

// Whether `e` is the key column `column` (FROM-row index) of type `key`, bare or widened as the
// binder widens it for a comparison with another type: an integer as numeric or float8, a
// float4 as float8 (casts), a date or timestamp promoted to a later date/time type
// (datetime_cmp_promote). Each widening keeps the order, so the bound maps back to a range of
// the key (loosely; the predicate re-checks).
bool IsKeyOperand(const BoundExprPtr& e, int column, TypeId key) {
  if (e->kind == BoundExprKind::kColumn) return e->column_index == column;
  if (e->children.size() != 1) return false;
  const BoundExprPtr& c = e->children[0];
  if (c->kind != BoundExprKind::kColumn || c->column_index != column) return false;
  const TypeId to = e->type.id;
  if (e->kind == BoundExprKind::kCast) {
    if (IsIntegerType(key)) return to == TypeId::kNumeric || to == TypeId::kFloat64;
    return key == TypeId::kFloat32 && to == TypeId::kFloat64;
  }
  if (e->kind == BoundExprKind::kFunction && e->op == "datetime_cmp_promote") {
    return (key == TypeId::kDate || key == TypeId::kTimestamp) &&
           (to == TypeId::kTimestamp || to == TypeId::kTimestampTz);
  }
  return false;
}

// The comparison `key op value` that conjunct `e` makes of the key column, op as seen from the
// key's side; nullopt when it is not one.
std::optional<ColumnBound> KeyComparison(const BoundExprPtr& e, int column, TypeId key) {
  if (e->kind != BoundExprKind::kCompare || e->children.size() != 2 || ContainsSubquery(e)) {
    return std::nullopt;
  }
  static const std::pair<const char*, const char*> kOps[] = {
      {"=", "="}, {"<", ">"}, {"<=", ">="}, {">", "<"}, {">=", "<="}};
  for (int side = 0; side < 2; ++side) {
    const BoundExprPtr& k = e->children[side];
    const BoundExprPtr& v = e->children[1 - side];
    if (!IsKeyOperand(k, column, key) || !IsRowIndependent(v)) continue;
    if (k->kind == BoundExprKind::kColumn && !SameKeyFamily(key, v->type.id)) continue;
    if (k->kind != BoundExprKind::kColumn && v->type.id != k->type.id) continue;
    for (const auto& [op, flipped] : kOps) {
      if (e->op == op) return ColumnBound{side == 0 ? op : flipped, v};
    }
  }
  return std::nullopt;
}

struct Candidate {
  const storage::IndexInfo* index = nullptr;  // null: the primary key
  std::vector<BoundExprPtr> keys;
  std::vector<Type> key_types;
  BoundExprPtr lower, upper;
  bool lower_inclusive = false, upper_inclusive = false;
  // PostgreSQL's default selectivities: an equated element or a range with both ends is
  // selective (0.005); ranks candidates by equated elements first.
  int Rank() const {
    return static_cast<int>(keys.size()) * 4 + (lower && upper ? 2 : 0) + (index ? 0 : 1);
  }
  bool Selective() const { return !keys.empty() || (lower && upper); }
};

// What the conjuncts make of one key (its element columns): the longest equated prefix, then
// a range on the next element; nullopt for a key with expression elements.
std::optional<Candidate> MatchKey(const storage::TableInfo& table, int first,
                                  const std::vector<int>& columns,
                                  const std::vector<BoundExprPtr>& conjuncts) {
  Candidate c;
  for (int col : columns) {
    if (col < 0) return std::nullopt;
    const Type& type = table.columns[col].type;
    BoundExprPtr key;
    for (const BoundExprPtr& e : conjuncts) {
      if (e->kind != BoundExprKind::kCompare || e->op != "=" || ContainsSubquery(e)) continue;
      for (int side = 0; side < 2 && !key; ++side) {
        const BoundExprPtr& k = e->children[side];
        if (k->kind == BoundExprKind::kColumn && k->column_index == first + col) {
          key = KeyExpr(e->children[1 - side], type);
        }
      }
      if (key) break;
    }
    if (!key) break;
    c.keys.push_back(std::move(key));
    c.key_types.push_back(type);
  }
  if (c.keys.size() == columns.size()) return c;
  const int col = columns[c.keys.size()];
  const TypeId key = table.columns[col].type.id;
  if (RangeKeyType(key)) {
    for (const BoundExprPtr& e : conjuncts) {
      auto b = KeyComparison(e, first + col, key);
      if (!b) continue;
      const bool lower = b->op != "<" && b->op != "<=";
      const bool upper = b->op != ">" && b->op != ">=";
      if (lower && !c.lower) {
        c.lower = b->value;
        c.lower_inclusive = b->op != ">";
      }
      if (upper && !c.upper) {
        c.upper = b->value;
        c.upper_inclusive = b->op != "<";
      }
    }
    if (c.lower || c.upper) c.key_types.push_back(table.columns[col].type);
  }
  return c;
}

// The candidate of one key for a range read, or nullopt.
std::optional<Candidate> CandidateFor(const storage::TableInfo& table, int first,
                                      const std::vector<int>& columns,
                                      const std::vector<BoundExprPtr>& conjuncts) {
  std::optional<Candidate> c = MatchKey(table, first, columns, conjuncts);
  if (!c || c->keys.size() == columns.size()) return std::nullopt;  // a lookup's case
  if (!c->Selective()) return std::nullopt;
  return c;
}

// Whether `col` (FROM-row index) is equated to a value known before the scan that a lookup
// key could use: every row read then has the same value there, so it orders nothing.
bool Equated(const storage::TableInfo& table, int first, int col,
             const std::vector<BoundExprPtr>& conjuncts) {
  for (const BoundExprPtr& e : conjuncts) {
    if (e->kind != BoundExprKind::kCompare || e->op != "=" || ContainsSubquery(e)) continue;
    for (int side = 0; side < 2; ++side) {
      const BoundExprPtr& k = e->children[side];
      if (k->kind == BoundExprKind::kColumn && k->column_index == first + col &&
          KeyExpr(e->children[1 - side], table.columns[col].type)) {
        return true;
      }
    }
  }
  return false;
}

std::shared_ptr<PlanNode> MakeIndexScan(Candidate c) {
  auto scan = std::make_shared<PlanNode>();
  scan->kind = PlanKind::kIndexScan;
  scan->index_oid = c.index ? c.index->oid : 0;
  scan->key_exprs = std::move(c.keys);
  scan->key_types = std::move(c.key_types);
  scan->range_lower = std::move(c.lower);
  scan->range_upper = std::move(c.upper);
  scan->range_lower_inclusive = c.lower_inclusive;
  scan->range_upper_inclusive = c.upper_inclusive;
  return scan;
}

}  // namespace

BoundExprPtr KeyExpr(const BoundExprPtr& other, Type key_type) {
  if (!IsRowIndependent(other)) return nullptr;
  TypeId from = other->type.id, to = key_type.id;
  if (from == to) return other;
  if (CategoryOf(from) == TypeCategory::kString && CategoryOf(to) == TypeCategory::kString &&
      from != TypeId::kBpchar && to != TypeId::kBpchar) {
    return other;  // text and varchar compare alike
  }
  if (IsIntegerType(from) && IsIntegerType(to) && IsConst(other)) {
    try {
      Value v = CastValue(other->value, key_type);
      v.type = key_type;
      return MakeConst(std::move(v));
    } catch (const Error&) {
      return nullptr;  // out of the key type's range: no row can match; scan instead
    }
  }
  if (IsIntegerType(from) && IsIntegerType(to) && TypeLength(from) <= TypeLength(to)) {
    // A parameter (a lifted literal, parser/normalize.h) of a narrower integer type: always
    // in range, so the key is the value widened.
    return MakeExpr(BoundExprKind::kCast, key_type, {other});
  }
  return nullptr;
}

bool RangeKeyType(TypeId t) {
  return IsIntegerType(t) || t == TypeId::kFloat32 || t == TypeId::kFloat64 || IsStringKey(t) ||
         t == TypeId::kDate || t == TypeId::kTimestamp || t == TypeId::kTimestampTz;
}

std::shared_ptr<PlanNode> IndexScanFor(const storage::TableInfo& table, int first,
                                       const std::vector<BoundExprPtr>& conjuncts) {
  std::optional<Candidate> best;
  auto consider = [&](std::optional<Candidate> c, const storage::IndexInfo* index) {
    if (!c) return;
    c->index = index;
    if (!best || c->Rank() > best->Rank()) best = std::move(c);
  };
  if (!table.primary_key.empty()) {
    consider(CandidateFor(table, first, table.primary_key, conjuncts), nullptr);
  }
  for (const storage::IndexInfo& index : table.indexes) {
    if (index.primary || !index.plain()) continue;
    consider(CandidateFor(table, first, index.columns, conjuncts), &index);
  }
  if (!best) return nullptr;
  return MakeIndexScan(std::move(*best));
}

bool OrderKeyType(TypeId t) { return RangeKeyType(t) || t == TypeId::kBool; }

std::vector<int> EntryKeyColumns(const storage::TableInfo& table, const storage::IndexInfo& index) {
  std::vector<int> columns = index.columns;
  if (!index.unique) {
    columns.insert(columns.end(), table.primary_key.begin(), table.primary_key.end());
  }
  return columns;
}

std::shared_ptr<PlanNode> OrderedIndexScanFor(const storage::TableInfo& table, int first,
                                              const std::vector<BoundExprPtr>& conjuncts,
                                              const std::vector<OrderElement>& order, bool not_null,
                                              int min_rank) {
  // The ORDER BY without its constant elements.
  std::vector<OrderElement> wanted;
  for (const OrderElement& o : order) {
    if (o.column < 0 || o.column >= static_cast<int>(table.columns.size())) return nullptr;
    if (!Equated(table, first, o.column, conjuncts)) wanted.push_back(o);
  }
  if (wanted.empty()) return nullptr;
  // The physical order of every index is ascending with NULLs last (storage/encoding.h): read
  // forwards it gives ASC NULLS LAST, backwards DESC NULLS FIRST, for every element at once.
  const bool backward = wanted[0].descending;
  for (const OrderElement& o : wanted) {
    if (o.descending != backward || o.nulls_first != backward) return nullptr;
    if (!OrderKeyType(table.columns[o.column].type.id)) return nullptr;
  }
  std::optional<Candidate> best;
  int best_rank = -1;
  auto consider = [&](const std::vector<int>& columns, const storage::IndexInfo* index) {
    std::optional<Candidate> c = MatchKey(table, first, columns, conjuncts);
    if (!c) return;
    const size_t e = c->keys.size();
    if (e == columns.size() || e + wanted.size() > columns.size()) return;
    for (size_t i = 0; i < wanted.size(); ++i) {
      if (columns[e + i] != wanted[i].column) return;
    }
    // A unique index has no entry for a row with a NULL in its key: usable only when no such
    // row can qualify (NOT NULL columns, or ones the conjuncts compare, which NULL fails).
    if (index != nullptr && index->unique) {
      for (size_t p = 0; p < columns.size(); ++p) {
        const bool bounded = p < e || (p == e && (c->lower || c->upper || not_null));
        if (!bounded && !table.columns[columns[p]].not_null) return;
      }
    }
    c->index = index;
    const int rank = static_cast<int>(e) * 4 + (c->lower && c->upper ? 2 : 0);
    if (rank < min_rank) return;
    // More equated elements first, then a range with both ends, then the primary key (no
    // second read per row).
    const int order_rank = rank * 2 + (index ? 0 : 1);
    if (order_rank > best_rank) {
      best_rank = order_rank;
      best = std::move(c);
    }
  };
  if (!table.primary_key.empty()) consider(table.primary_key, nullptr);
  for (const storage::IndexInfo& index : table.indexes) {
    if (index.primary || !index.plain()) continue;
    consider(EntryKeyColumns(table, index), &index);
  }
  if (!best) return nullptr;
  auto scan = MakeIndexScan(std::move(*best));
  scan->scan_backward = backward;
  scan->range_not_null = not_null;
  return scan;
}

}  // namespace activestore::planner

namespace activestore::planner {

namespace {

// A read of one table's rows that an ordered index scan may replace.
struct TableRead {
  const PlanNode* node = nullptr;  // the node carrying table, columns, predicate
  int min_rank = 0;                // what an ordered scan must equal (OrderedIndexScanFor)
  bool index_scan = false;         // already a kIndexScan
};

std::optional<TableRead> TableReadOf(const PlanNode& n) {
  TableRead r;
  switch (n.kind) {
    case PlanKind::kGather:
      if (n.children.empty()) return std::nullopt;
      for (const PlanPtr& c : n.children) {
        if (c->kind != PlanKind::kShardScan || c->sample || !c->table ||
            c->table != n.children[0]->table) {
          return std::nullopt;
        }
      }
      r.node = n.children[0].get();
      break;
    case PlanKind::kIndexScan:
      r.node = &n;
      r.index_scan = true;
      r.min_rank =
          static_cast<int>(n.key_exprs.size()) * 4 + (n.range_lower && n.range_upper ? 2 : 0);
      break;
    case PlanKind::kIndexLookup: {
      if (!n.table) return std::nullopt;
      for (const storage::IndexInfo& i : n.table->indexes) {
        if (i.oid == n.index_oid && i.unique) return std::nullopt;  // one row at most
      }
      r.node = &n;
      r.min_rank = static_cast<int>(n.key_exprs.size()) * 4;
      break;
    }
    default:
      return std::nullopt;
  }
  const storage::TableInfo& t = *r.node->table;
  // A compressed chunk keeps most rows in batches that its key and indexes do not cover.
  if (t.chunk && t.chunk->compressed_table != 0) return std::nullopt;
  return r;
}

// Output column `k` of a read node as the table's ordinal.
struct WantedKey {
  int output = 0;  // output column of the read
  bool descending = false;
  bool nulls_first = false;
};

// The read `n` of one table giving its rows in `keys` order, or null.
PlanPtr OrderedTableRead(const PlanNode& n, const std::vector<WantedKey>& keys, bool limited,
                         bool not_null) {
  std::optional<TableRead> read = TableReadOf(n);
  if (!read || (!limited && !read->index_scan)) return nullptr;
  const PlanNode& leaf = *read->node;
  const storage::TableInfo& table = *leaf.table;
  std::vector<OrderElement> order;
  for (const WantedKey& k : keys) {
    if (k.output < 0 || k.output >= static_cast<int>(leaf.columns.size())) return nullptr;
    order.push_back({leaf.columns[k.output], k.descending, k.nulls_first});
  }
  // The conjuncts over the table's ordinals (the read's predicate is over its outputs).
  std::vector<BoundExprPtr> split, conjuncts;
  SplitConjuncts(leaf.predicate, &split);
  for (const BoundExprPtr& c : split) {
    conjuncts.push_back(RemapColumns(c, [&](int i) { return leaf.columns.at(i); }));
  }
  auto scan = OrderedIndexScanFor(table, 0, conjuncts, order, not_null, read->min_rank);
  if (!scan) return nullptr;
  if (!limited && (scan->index_oid != n.index_oid || scan->key_exprs.size() != n.key_exprs.size() ||
                   !scan->range_lower != !n.range_lower || !scan->range_upper != !n.range_upper)) {
    return nullptr;
  }
  scan->table = leaf.table;
  scan->columns = leaf.columns;
  scan->predicate = leaf.predicate;
  scan->emit_row_location = leaf.emit_row_location;
  scan->output_types = n.output_types;
  scan->output_names = n.output_names;
  return scan;
}

// The table behind a read node (a Gather's shard scans' table), or null.
const storage::TableInfo* ReadTable(const PlanNode& n) {
  if (n.kind == PlanKind::kGather) {
    return n.children.empty() ? nullptr : n.children[0]->table.get();
  }
  if (n.kind == PlanKind::kIndexScan || n.kind == PlanKind::kIndexLookup ||
      n.kind == PlanKind::kPrimaryKeyLookup) {
    return n.table.get();
  }
  return nullptr;
}

// A hypertable's Append of chunk reads as an ordered ChunkAppend, or null. Chunk ranges are
// disjoint and every row of a chunk lies in its range (its CHECK, the time column NOT NULL),
// so the chunks' rows in time order, chunk after chunk, are the hypertable's rows in time
// order: the Limit above stops reading at the chunk that completes it.
PlanPtr OrderedChunkAppend(const PlanNode& append, const std::vector<WantedKey>& keys,
                           bool not_null, const storage::CatalogSnapshot& catalog) {
  if (append.children.empty() || keys.empty()) return nullptr;
  struct Member {
    PlanPtr plan;
    const storage::TableInfo* table;
  };
  std::vector<Member> members;
  std::shared_ptr<const storage::TableInfo> hyper;
  for (const PlanPtr& c : append.children) {
    const storage::TableInfo* t = ReadTable(*c);
    if (t == nullptr || !t->chunk) return nullptr;
    if (!hyper) {
      hyper = catalog.FindRelationByOid(t->chunk->hypertable);
      if (!hyper || !hyper->hypertable) return nullptr;
    } else if (t->chunk->hypertable != hyper->oid) {
      return nullptr;
    }
    // The first key must be the chunk's time column, NOT NULL.
    const PlanNode* leaf = c->kind == PlanKind::kGather ? c->children[0].get() : c.get();
    const int out = keys[0].output;
    if (out < 0 || out >= static_cast<int>(leaf->columns.size())) return nullptr;
    const storage::ColumnInfo& col = t->columns[leaf->columns[out]];
    if (col.name != hyper->columns[hyper->hypertable->time_column].name || !col.not_null) {
      return nullptr;
    }
    members.push_back({c, t});
  }
  const bool descending = keys[0].descending;
  std::stable_sort(members.begin(), members.end(), [&](const Member& a, const Member& b) {
    return descending ? a.table->chunk->range_start > b.table->chunk->range_start
                      : a.table->chunk->range_start < b.table->chunk->range_start;
  });
  auto out = std::make_shared<PlanNode>(append);
  out->children.clear();
  out->chunk_append_of = hyper->name;
  for (const Member& m : members) {
    PlanPtr ordered = OrderedTableRead(*m.plan, keys, /*limited=*/true, not_null);
    if (!ordered) {
      // A compressed chunk, or one no index orders: sorted alone.
      auto sort = std::make_shared<PlanNode>();
      sort->kind = PlanKind::kSort;
      sort->output_types = m.plan->output_types;
      sort->output_names = m.plan->output_names;
      sort->children = {m.plan};
      for (const WantedKey& k : keys) {
        SortKey key;
        key.expr = MakeColumn(k.output, m.plan->output_types.at(k.output));
        key.descending = k.descending;
        key.nulls_first = k.nulls_first;
        sort->sort_keys.push_back(std::move(key));
      }
      ordered = sort;
    }
    out->children.push_back(std::move(ordered));
  }
  return out;
}

PlanPtr OrderedRead(const PlanNode& n, const std::vector<WantedKey>& keys, bool limited,
                    bool not_null, const storage::CatalogSnapshot& catalog) {
  if (n.kind == PlanKind::kAppend) {
    return limited ? OrderedChunkAppend(n, keys, not_null, catalog) : nullptr;
  }
  return OrderedTableRead(n, keys, limited, not_null);
}

}  // namespace

PlanPtr OrderedSortInput(const PlanNode& sort, bool limited,
                         const storage::CatalogSnapshot& catalog) {
  if (sort.kind != PlanKind::kSort || sort.children.size() != 1 || sort.sort_keys.empty()) {
    return nullptr;
  }
  const PlanNode& project = *sort.children[0];
  if (project.kind != PlanKind::kProject || project.children.size() != 1 || !project.children[0]) {
    return nullptr;
  }
  std::vector<WantedKey> keys;
  for (const SortKey& k : sort.sort_keys) {
    if (!k.expr || k.expr->kind != BoundExprKind::kColumn) return nullptr;
    const int i = k.expr->column_index;
    if (i < 0 || i >= static_cast<int>(project.exprs.size())) return nullptr;
    const BoundExprPtr& e = project.exprs[i];
    if (e->kind != BoundExprKind::kColumn) return nullptr;
    keys.push_back({e->column_index, k.descending, k.nulls_first});
  }
  PlanPtr input = OrderedRead(*project.children[0], keys, limited, /*not_null=*/false, catalog);
  if (!input) return nullptr;
  auto out = std::make_shared<PlanNode>(project);
  out->children = {std::move(input)};
  return out;
}

PlanPtr MinMaxInput(const PlanNode& aggregate, const storage::CatalogSnapshot& catalog) {
  if (aggregate.kind != PlanKind::kAggregate || !aggregate.group_exprs.empty() ||
      !aggregate.grouping_sets.empty() || aggregate.aggregates.size() != 1 ||
      aggregate.children.size() != 1) {
    return nullptr;
  }
  const AggregateSpec& a = aggregate.aggregates[0];
  if ((a.kind != AggKind::kMin && a.kind != AggKind::kMax) || a.filter || a.args.size() != 1 ||
      a.args[0]->kind != BoundExprKind::kColumn || !a.order_descending.empty() ||
      !OrderKeyType(a.args[0]->type.id)) {
    return nullptr;
  }
  const bool max = a.kind == AggKind::kMax;
  const PlanNode& input = *aggregate.children[0];
  PlanPtr ordered = OrderedRead(input, {{a.args[0]->column_index, max, max}}, /*limited=*/true,
                                /*not_null=*/true, catalog);
  if (!ordered) return nullptr;
  auto limit = std::make_shared<PlanNode>();
  limit->kind = PlanKind::kLimit;
  limit->output_types = ordered->output_types;
  limit->output_names = ordered->output_names;
  limit->limit = MakeConst(Value::Int64(1));
  limit->children = {std::move(ordered)};
  return limit;
}

}  // namespace activestore::planner
