// Table inheritance DDL (docs/design/2026-12-06-inheritance.md): CREATE TABLE ... INHERITS
// (PostgreSQL's MergeAttributes), ALTER TABLE [NO] INHERIT (CreateInheritance,
// RemoveInheritance), ALTER COLUMN TYPE with its recursion to the children, and what DROP TABLE
// must respect of a parent's children. Checks and messages as tablecmds.c / dependency.c.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "common/value_ops.h"
#include "executor/deparse.h"
#include "executor/session.h"
#include "planner/binder.h"
#include "planner/type_rules.h"
#include "storage/table_store.h"

namespace activestore::executor {

namespace {

using storage::CheckConstraintInfo;
using storage::ColumnInfo;
using storage::TableInfo;

// PostgreSQL's format_type_with_typemod, for type conflict details.
std::string ShownType(const ColumnInfo& c) { return TypeName(c.type); }

const CheckConstraintInfo* FindCheck(const TableInfo& t, const std::string& name) {
  for (const auto& c : t.checks) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace

std::vector<std::shared_ptr<const storage::TableInfo>> SessionImpl::InheritanceDescendants(
    const storage::TableInfo& table) {
  auto snap = CatalogView();
  std::vector<std::shared_ptr<const TableInfo>> out;
  std::set<storage::Oid> seen{table.oid};
  std::vector<storage::Oid> queue{table.oid};
  for (size_t i = 0; i < queue.size(); ++i) {
    for (const auto& c : snap->InheritanceChildren(queue[i])) {
      if (!seen.insert(c->oid).second) continue;
      out.push_back(c);
      queue.push_back(c->oid);
    }
  }
  return out;
}

void SessionImpl::MergeInheritance(const ast::CreateTableStatement& s, storage::TableInfo* info) {
  if (s.inherits.empty()) return;
  auto notice = [&](const std::string& msg) {
    pending_notices_.push_back(Notice{"NOTICE", "00000", msg});
  };
  std::vector<std::shared_ptr<const TableInfo>> parents;
  for (const auto& name : s.inherits) {
    std::string schema;
    auto parent = FindAndLockTable(name, &schema, storage::LockMode::kShareUpdateExclusive);
    if (!parent) {
      Error e(SqlState::kUndefinedTable,
              fmt::format("relation \"{}\" does not exist", name.name()));
      if (name.location >= 0) e.Position(name.location + 1);
      throw e;
    }
    if (parent->is_view || parent->is_sequence()) {
      Throw(SqlState::kWrongObjectType, "inherited relation \"{}\" is not a table or foreign table",
            parent->name);
    }
    if (schema == TempSchemaName() && info->schema != schema) {
      Throw(SqlState::kWrongObjectType,
            "cannot create a permanent relation as partition of temporary relation \"{}\"",
            parent->name);
    }
    for (const auto& p : parents) {
      if (p->oid == parent->oid) {
        Throw(SqlState::kDuplicateTable, "relation \"{}\" would be inherited from more than once",
              parent->name);
      }
    }
    CheckTableOwner(*parent);
    parents.push_back(parent);
  }
  // Inherited columns first, in parent order; same names from several parents merge.
  std::vector<ColumnInfo> columns;
  std::set<std::string> conflicting_defaults;
  std::vector<CheckConstraintInfo> checks;
  for (const auto& parent : parents) {
    for (const ColumnInfo& pc : parent->columns) {
      auto it = std::find_if(columns.begin(), columns.end(),
                             [&](const ColumnInfo& c) { return c.name == pc.name; });
      if (it != columns.end()) {
        notice(fmt::format("merging multiple inherited definitions of column \"{}\"", pc.name));
        if (it->type != pc.type) {
          throw Error(SqlState::kDatatypeMismatch,
                      fmt::format("inherited column \"{}\" has a type conflict", pc.name))
              .Detail(fmt::format("{} versus {}", ShownType(*it), ShownType(pc)));
        }
        it->inhcount++;
        it->not_null = it->not_null || pc.not_null;
        if (pc.default_sql && it->default_sql != pc.default_sql) {
          if (it->default_sql) conflicting_defaults.insert(pc.name);
          it->default_sql = pc.default_sql;
          it->default_sequences = pc.default_sequences;
        }
        continue;
      }
      ColumnInfo c;
      c.name = pc.name;
      c.type = pc.type;
      c.domain = pc.domain;
      c.not_null = pc.not_null;
      c.default_sql = pc.default_sql;
      c.default_sequences = pc.default_sequences;
      c.generated = pc.generated;
      c.inhcount = 1;
      c.is_local = false;
      columns.push_back(std::move(c));
    }
    for (const CheckConstraintInfo& pc : parent->checks) {
      if (pc.no_inherit) continue;
      auto it = std::find_if(checks.begin(), checks.end(),
                             [&](const CheckConstraintInfo& c) { return c.name == pc.name; });
      if (it != checks.end()) {
        if (it->expr != pc.expr) {
          Throw(SqlState::kDuplicateObject,
                "check constraint name \"{}\" appears multiple times but with different "
                "expressions",
                pc.name);
        }
        it->inhcount++;
        continue;
      }
      CheckConstraintInfo c;
      c.name = pc.name;
      c.expr = pc.expr;
      c.inhcount = 1;
      c.is_local = false;
      checks.push_back(std::move(c));
    }
  }
  // Then the table's own columns: one of an inherited name merges into it.
  std::vector<ColumnInfo> local = std::move(info->columns);
  std::vector<std::string> primary_key;
  for (int k : info->primary_key) primary_key.push_back(local[k].name);
  for (size_t i = 0; i < local.size(); ++i) {
    ColumnInfo& lc = local[i];
    auto it = std::find_if(columns.begin(), columns.end(),
                           [&](const ColumnInfo& c) { return c.name == lc.name; });
    if (it == columns.end()) {
      columns.push_back(std::move(lc));
      continue;
    }
    // PostgreSQL compares the column's place among the table's own with the inherited one's.
    if (static_cast<size_t>(it - columns.begin()) == i) {
      notice(fmt::format("merging column \"{}\" with inherited definition", lc.name));
    } else {
      Notice n{"NOTICE", "00000",
               fmt::format("moving and merging column \"{}\" with inherited definition", lc.name)};
      n.detail = "User-specified column moved to the position of the inherited column.";
      pending_notices_.push_back(std::move(n));
    }
    if (it->type != lc.type) {
      Error e(SqlState::kDatatypeMismatch,
              fmt::format("column \"{}\" has a type conflict", lc.name));
      e.Detail(fmt::format("{} versus {}", ShownType(*it), ShownType(lc)));
      throw e;
    }
    it->is_local = true;
    it->not_null = it->not_null || lc.not_null;
    if (lc.default_sql) {
      it->default_sql = lc.default_sql;
      it->default_sequences = lc.default_sequences;
      it->generated = lc.generated;
      conflicting_defaults.erase(lc.name);
    }
    if (lc.identity != 0) it->identity = lc.identity;
  }
  if (!conflicting_defaults.empty()) {
    throw Error(SqlState::kInvalidColumnDefinition,
                fmt::format("column \"{}\" inherits conflicting default values",
                            *conflicting_defaults.begin()))
        .Hint("To resolve the conflict, specify a default explicitly.");
  }
  info->columns = std::move(columns);
  info->primary_key.clear();
  for (const auto& name : primary_key) info->primary_key.push_back(info->ColumnIndex(name));
  info->checks = std::move(checks);
  for (const auto& p : parents) info->parents.push_back(p->oid);
}

void SessionImpl::MergeLocalCheck(storage::TableInfo* info, storage::CheckConstraintInfo check) {
  for (auto& c : info->checks) {
    if (c.name != check.name) continue;
    if (c.is_local || c.expr != check.expr) {
      Throw(SqlState::kDuplicateObject, "constraint \"{}\" for relation \"{}\" already exists",
            check.name, info->name);
    }
    pending_notices_.push_back(
        Notice{"NOTICE", "00000",
               fmt::format("merging constraint \"{}\" with inherited definition", check.name)});
    c.is_local = true;
    c.no_inherit = check.no_inherit;
    return;
  }
  info->checks.push_back(std::move(check));
}

std::shared_ptr<const storage::TableInfo> SessionImpl::LockAlterTarget(
    const ast::AlterTableStatement& s, const char* action, storage::LockMode mode,
    std::string* schema) {
  auto table = FindAndLockTable(s.table, schema, mode);
  if (!table) {
    if (s.if_exists) {
      pending_notices_.push_back(
          Notice{"NOTICE", "00000",
                 fmt::format("relation \"{}\" does not exist, skipping", s.table.name())});
      return nullptr;
    }
    Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", s.table.name());
  }
  if (table->is_view || table->is_sequence()) {
    throw Error(
        SqlState::kWrongObjectType,
        fmt::format("ALTER action {} cannot be performed on relation \"{}\"", action, table->name))
        .Detail(table->is_view ? "This operation is not supported for views."
                               : "This operation is not supported for sequences.");
  }
  return table;
}

QueryResult SessionImpl::AlterInherit(const ast::AlterTableStatement& s) {
  std::string schema;
  auto child = LockAlterTarget(s, s.no_inherit ? "NO INHERIT" : "INHERIT",
                               storage::LockMode::kAccessExclusive, &schema);
  if (!child) return Tagged("ALTER TABLE");
  std::string parent_schema;
  auto parent = FindAndLockTable(
      *s.inherit, &parent_schema,
      s.no_inherit ? storage::LockMode::kAccessShare : storage::LockMode::kShareUpdateExclusive);
  if (!parent) {
    Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", s.inherit->name());
  }
  storage::TableInfo next = *child;
  if (s.no_inherit) {
    auto pos = std::find(next.parents.begin(), next.parents.end(), parent->oid);
    if (pos == next.parents.end()) {
      Throw(SqlState::kUndefinedTable, "relation \"{}\" is not a parent of relation \"{}\"",
            parent->name, child->name);
    }
    next.parents.erase(pos);
    for (const ColumnInfo& pc : parent->columns) {
      int i = next.ColumnIndex(pc.name);
      if (i < 0 || next.columns[i].inhcount == 0) continue;
      if (--next.columns[i].inhcount == 0) next.columns[i].is_local = true;
    }
    for (const CheckConstraintInfo& pc : parent->checks) {
      for (auto& c : next.checks) {
        if (c.name != pc.name || c.inhcount == 0) continue;
        if (--c.inhcount == 0) c.is_local = true;
      }
    }
    engine_->catalog()->UpdateRelation(CatalogStatementTxn(), std::move(next));
    return Tagged("ALTER TABLE");
  }
  if (parent->is_view || parent->is_sequence()) {
    Throw(SqlState::kWrongObjectType, "\"{}\" is not a table", parent->name);
  }
  CheckTableOwner(*parent);
  if (std::find(next.parents.begin(), next.parents.end(), parent->oid) != next.parents.end()) {
    Throw(SqlState::kDuplicateTable, "relation \"{}\" would be inherited from more than once",
          parent->name);
  }
  // The parent must not be the child or one of its descendants.
  bool circular = parent->oid == child->oid;
  for (const auto& d : InheritanceDescendants(*child)) circular = circular || d->oid == parent->oid;
  if (circular) {
    throw Error(SqlState::kDuplicateTable, "circular inheritance not allowed")
        .Detail(fmt::format("\"{}\" is already a child of \"{}\".", parent->name, child->name));
  }
  for (const ColumnInfo& pc : parent->columns) {
    int i = next.ColumnIndex(pc.name);
    if (i < 0) {
      Throw(SqlState::kDatatypeMismatch, "child table is missing column \"{}\"", pc.name);
    }
    ColumnInfo& cc = next.columns[i];
    if (cc.type != pc.type) {
      Throw(SqlState::kDatatypeMismatch, "child table \"{}\" has different type for column \"{}\"",
            child->name, pc.name);
    }
    if (pc.not_null && !cc.not_null) {
      Throw(SqlState::kDatatypeMismatch, "column \"{}\" in child table must be marked NOT NULL",
            pc.name);
    }
    cc.inhcount++;
  }
  for (const CheckConstraintInfo& pc : parent->checks) {
    if (pc.no_inherit) continue;
    auto it = std::find_if(next.checks.begin(), next.checks.end(),
                           [&](const CheckConstraintInfo& c) { return c.name == pc.name; });
    if (it == next.checks.end()) {
      Throw(SqlState::kDatatypeMismatch, "child table is missing constraint \"{}\"", pc.name);
    }
    if (it->expr != pc.expr) {
      Throw(SqlState::kDatatypeMismatch,
            "child table \"{}\" has different definition for check constraint \"{}\"", child->name,
            pc.name);
    }
    if (it->no_inherit) {
      Throw(SqlState::kInvalidObjectDefinition,
            "constraint \"{}\" conflicts with non-inherited constraint on child table \"{}\"",
            pc.name, child->name);
    }
    it->inhcount++;
  }
  next.parents.push_back(parent->oid);
  engine_->catalog()->UpdateRelation(CatalogStatementTxn(), std::move(next));
  return Tagged("ALTER TABLE");
}

QueryResult SessionImpl::AlterColumnType(const ast::AlterTableStatement& s) {
  const auto& act = *s.alter_column_type;
  std::string schema;
  auto table = LockAlterTarget(s, "ALTER COLUMN ... SET DATA TYPE",
                               storage::LockMode::kAccessExclusive, &schema);
  if (!table) return Tagged("ALTER TABLE");
  if (act.using_expr) {
    Throw(SqlState::kFeatureNotSupported, "ALTER COLUMN TYPE ... USING is not supported yet");
  }
  int col = table->ColumnIndex(act.column);
  if (col < 0) {
    Throw(SqlState::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", act.column,
          table->name);
  }
  if (table->columns[col].inhcount > 0) {
    Throw(SqlState::kInvalidTableDefinition, "cannot alter inherited column \"{}\"", act.column);
  }
  planner::PlannerContext tctx = MakePlannerContext();
  uint32_t domain = 0;
  Type to = planner::ResolveTypeName(act.type, &tctx, &domain);
  if (table->expiry.ttl_column == col && to.id != TypeId::kTimestampTz) {
    Throw(SqlState::kFeatureNotSupported,
          "ttl_column \"{}\" of table \"{}\" must stay of type timestamp with time zone",
          act.column, table->name);
  }
  std::vector<std::shared_ptr<const TableInfo>> targets{table};
  auto descendants = InheritanceDescendants(*table);
  if (!descendants.empty() && s.only) {
    Throw(SqlState::kInvalidTableDefinition,
          "type of inherited column \"{}\" must be changed in child tables too", act.column);
  }
  std::set<storage::Oid> in_tree{table->oid};
  for (const auto& d : descendants) {
    StatementTxn()->LockRelation(d->oid, storage::LockMode::kAccessExclusive);
    targets.push_back(d);
    in_tree.insert(d->oid);
  }
  // A descendant that has the column from a parent outside the tree too cannot change it.
  for (const auto& d : descendants) {
    int c = d->ColumnIndex(act.column);
    if (c < 0) continue;
    int parents = static_cast<int>(std::count_if(d->parents.begin(), d->parents.end(),
                                                 [&](storage::Oid p) { return in_tree.count(p); }));
    if (d->columns[c].inhcount > parents) {
      Throw(SqlState::kInvalidTableDefinition,
            "cannot alter inherited column \"{}\" of relation \"{}\"", act.column, d->name);
    }
  }
  const Type from = table->columns[col].type;
  if (from.id != to.id &&
      !planner::CanCoerce(from.id, to.id, planner::CoercionContext::kAssignment)) {
    throw Error(SqlState::kDatatypeMismatch,
                fmt::format("column \"{}\" cannot be cast automatically to type {}", act.column,
                            TypeName(to)))
        .Hint(fmt::format("You might need to specify \"USING {}::{}\".", act.column, TypeName(to)));
  }
  // A generated column reads it (PostgreSQL's ATExecAlterColumnType).
  for (const ColumnInfo& c : table->columns) {
    if (c.generated != 0 && c.default_sql && c.name != act.column &&
        StoredRefersTo(*c.default_sql, act.column)) {
      throw Error(SqlState::kFeatureNotSupported,
                  "cannot alter type of a column used by a generated column")
          .Detail(
              fmt::format("Column \"{}\" is used by generated column \"{}\".", act.column, c.name));
    }
  }
  storage::CatalogTxn* txn = CatalogStatementTxn();
  auto* catalog = engine_->catalog();
  for (const auto& t : targets) {
    // Reread: a child's definition as it is now that it is locked.
    auto current = CatalogView()->FindTable(db_.oid, t->schema, t->name);
    if (!current) continue;
    int c = current->ColumnIndex(act.column);
    if (c < 0) continue;
    storage::TableInfo next = *current;
    next.columns[c].type = to;
    next.columns[c].domain = domain;
    auto rewritten = catalog->RewriteTable(txn, db_.oid, current->schema, current->name, next);
    std::vector<storage::StoredRow> rows;
    FormatOptions fmt = settings_.format();
    for (uint32_t shard = 0; shard < current->shard_count; ++shard) {
      storage::ShardScanner scanner(txn, current, shard);
      while (scanner.NextBatch(&rows, 4096)) {
        for (auto& r : rows) {
          r.row[c] = CastValue(r.row[c], to, fmt, /*implicit_assignment=*/true);
          storage::TableStore::Insert(catalog, txn, *rewritten, r.row, /*lock_rows=*/false);
        }
        rows.clear();
      }
    }
  }
  return Tagged("ALTER TABLE");
}

void SessionImpl::AddCheckToChildren(const storage::TableInfo& table,
                                     const storage::CheckConstraintInfo& check, bool only,
                                     bool validate) {
  auto children = CatalogView()->InheritanceChildren(table.oid);
  if (children.empty()) return;
  if (only) {
    Throw(SqlState::kInvalidTableDefinition, "constraint must be added to child tables too");
  }
  for (const auto& found : children) {
    StatementTxn()->LockRelation(found->oid, storage::LockMode::kAccessExclusive);
    auto child = CatalogView()->FindRelationByOid(found->oid);
    if (!child) continue;
    storage::TableInfo next = *child;
    auto it = std::find_if(next.checks.begin(), next.checks.end(),
                           [&](const CheckConstraintInfo& c) { return c.name == check.name; });
    if (it != next.checks.end()) {
      if (it->expr != check.expr) {
        Throw(SqlState::kDuplicateObject, "constraint \"{}\" for relation \"{}\" already exists",
              check.name, child->name);
      }
      if (!it->validated && check.validated) {
        Throw(SqlState::kInvalidObjectDefinition,
              "constraint \"{}\" conflicts with NOT VALID constraint on relation \"{}\"",
              check.name, child->name);
      }
      pending_notices_.push_back(
          Notice{"NOTICE", "00000",
                 fmt::format("merging constraint \"{}\" with inherited definition", check.name)});
      it->inhcount++;
      engine_->catalog()->UpdateRelation(CatalogStatementTxn(), std::move(next));
      continue;
    }
    CheckConstraintInfo c;
    c.name = check.name;
    c.expr = check.expr;
    c.validated = check.validated;
    c.inhcount = 1;
    c.is_local = false;
    if (validate) CheckExistingRows(child->schema, *child, c);
    next.checks.push_back(c);
    auto updated = engine_->catalog()->UpdateRelation(CatalogStatementTxn(), std::move(next));
    AddCheckToChildren(*updated, c, false, validate);
  }
}

void SessionImpl::DropCheckFromChildren(const storage::TableInfo& table, const std::string& name,
                                        bool only) {
  for (const auto& found : CatalogView()->InheritanceChildren(table.oid)) {
    StatementTxn()->LockRelation(found->oid, storage::LockMode::kAccessExclusive);
    auto child = CatalogView()->FindRelationByOid(found->oid);
    if (!child) continue;
    storage::TableInfo next = *child;
    auto it = std::find_if(next.checks.begin(), next.checks.end(),
                           [&](const CheckConstraintInfo& c) { return c.name == name; });
    if (it == next.checks.end() || it->inhcount == 0) continue;
    bool drop = !only && it->inhcount == 1 && !it->is_local;
    if (drop) {
      next.checks.erase(it);
    } else {
      it->inhcount--;
      if (only) it->is_local = true;
    }
    auto updated = engine_->catalog()->UpdateRelation(CatalogStatementTxn(), std::move(next));
    if (drop) DropCheckFromChildren(*updated, name, false);
  }
}

void SessionImpl::DropInheritanceChildren(
    std::vector<std::pair<std::string, std::shared_ptr<const storage::TableInfo>>>* targets,
    bool cascade) {
  std::set<storage::Oid> in_list;
  for (const auto& [schema, t] : *targets) in_list.insert(t->oid);
  // Depth first from each table to drop, as PostgreSQL's dependency walk reports them.
  std::vector<std::shared_ptr<const TableInfo>> extra;
  std::vector<std::string> lines;
  auto snap = CatalogView();
  // A hypertable's chunks are part of it: dropped with it, without CASCADE or a notice, as
  // TimescaleDB does (docs/design/2026-12-06-hypertables.md).
  std::vector<std::shared_ptr<const TableInfo>> chunks;
  std::function<void(const TableInfo&)> visit = [&](const TableInfo& parent) {
    for (const auto& child : snap->InheritanceChildren(parent.oid)) {
      if (!in_list.insert(child->oid).second) continue;
      if (parent.hypertable && child->chunk && child->chunk->hypertable == parent.oid) {
        StatementTxn()->LockRelation(child->oid, storage::LockMode::kAccessExclusive);
        chunks.push_back(child);
        continue;
      }
      lines.push_back(fmt::format("table {} depends on table {}", child->name, parent.name));
      extra.push_back(child);
      visit(*child);
    }
  };
  const size_t given = targets->size();
  for (size_t i = 0; i < given; ++i) {
    const auto parent = (*targets)[i].second;
    if (!parent->is_view && !parent->is_sequence()) visit(*parent);
  }
  // A compressed chunk's compressed table (docs/design/2026-12-06-chunk-compression.md) is part
  // of it: dropped with it, without a notice, as TimescaleDB drops its compressed chunk.
  auto add_compressed = [&](const TableInfo& t) {
    if (!t.chunk || t.chunk->compressed_table == 0) return;
    auto ct = snap->FindRelationByOid(t.chunk->compressed_table);
    if (!ct || !in_list.insert(ct->oid).second) return;
    StatementTxn()->LockRelation(ct->oid, storage::LockMode::kAccessExclusive);
    targets->emplace_back(ct->schema, ct);
  };
  for (const auto& c : chunks) targets->emplace_back(c->schema, c);
  for (size_t i = 0; i < given; ++i) add_compressed(*(*targets)[i].second);
  for (const auto& t : chunks) add_compressed(*t);
  for (const auto& t : extra) add_compressed(*t);
  if (extra.empty()) return;
  if (!cascade) {
    std::string detail;
    for (const auto& l : lines) detail += (detail.empty() ? "" : "\n") + l;
    throw Error(SqlState::kUndefinedObjectDependent,
                fmt::format("cannot drop table {} because other objects depend on it",
                            (*targets)[0].second->name))
        .Detail(detail)
        .Hint("Use DROP ... CASCADE to drop the dependent objects too.");
  }
  if (extra.size() == 1) {
    pending_notices_.push_back(
        Notice{"NOTICE", "00000", fmt::format("drop cascades to table {}", extra[0]->name)});
  } else {
    std::string detail;
    for (const auto& t : extra) {
      detail += (detail.empty() ? "" : "\n") + fmt::format("drop cascades to table {}", t->name);
    }
    Notice n{"NOTICE", "00000", fmt::format("drop cascades to {} other objects", extra.size())};
    n.detail = detail;
    pending_notices_.push_back(std::move(n));
  }
  for (const auto& t : extra) {
    StatementTxn()->LockRelation(t->oid, storage::LockMode::kAccessExclusive);
    targets->emplace_back(t->schema, t);
  }
}

}  // namespace activestore::executor
