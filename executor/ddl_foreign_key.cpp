// Foreign key DDL: REFERENCES / FOREIGN KEY in CREATE TABLE, ALTER TABLE ... ADD FOREIGN KEY
// (checking the existing rows) and DROP CONSTRAINT, and what DROP TABLE and TRUNCATE must
// respect of the foreign keys that refer to a table. PostgreSQL's checks and messages
// (tablecmds.c ATAddForeignKeyConstraint, dependency.c, heap_truncate_check_FKs). The run-time
// side is executor/foreign_keys.h.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "executor/deparse.h"
#include "executor/foreign_keys.h"
#include "executor/session.h"
#include "planner/type_rules.h"

namespace activestore::executor {

namespace {

using storage::ForeignKeyInfo;

ForeignKeyInfo::Action ActionOf(char c) {
  switch (c) {
    case 'r':
      return ForeignKeyInfo::Action::kRestrict;
    case 'c':
      return ForeignKeyInfo::Action::kCascade;
    case 'n':
      return ForeignKeyInfo::Action::kSetNull;
    case 'd':
      return ForeignKeyInfo::Action::kSetDefault;
    default:
      return ForeignKeyInfo::Action::kNoAction;
  }
}

// Whether a key column of type `fk` can refer to one of type `pk`: PostgreSQL needs an
// equality operator of the referenced index's operator family taking the referencing type
// after an implicit coercion.
bool Comparable(TypeId fk, TypeId pk) {
  if (planner::CanCoerce(fk, pk, planner::CoercionContext::kImplicit)) return true;
  int a = planner::NumericRank(fk);
  int b = planner::NumericRank(pk);
  return a >= 0 && b >= 0 && a <= 2 && b <= 2;  // smallint, integer, bigint: one family
}

}  // namespace

ForeignKeyInfo SessionImpl::BuildForeignKey(const storage::TableInfo& table, bool creating,
                                            const std::optional<std::string>& name,
                                            const std::vector<std::string>& columns,
                                            const ast::ForeignKeySpec& spec,
                                            std::set<std::string>* taken) {
  if (spec.match == 'p') Throw(SqlState::kFeatureNotSupported, "MATCH PARTIAL not yet implemented");
  ForeignKeyInfo fk;
  fk.deferrable = spec.deferrable;
  fk.initially_deferred = spec.initially_deferred;
  fk.on_delete = ActionOf(spec.on_delete);
  fk.on_update = ActionOf(spec.on_update);
  fk.match_full = spec.match == 'f';
  // The referenced table: the one being created when the name is its own.
  std::shared_ptr<const storage::TableInfo> parent;
  const storage::TableInfo* ref = nullptr;
  const ast::QualifiedName& rn = spec.ref_table;
  bool self = rn.name() == table.name &&
              (rn.parts.size() < 2 || rn.parts[rn.parts.size() - 2] == table.schema);
  if (self && creating) {
    ref = &table;
  } else {
    parent = FindAndLockTable(rn, nullptr, storage::LockMode::kShareRowExclusive);
    if (!parent) {
      Error e(SqlState::kUndefinedTable, fmt::format("relation \"{}\" does not exist", rn.name()));
      if (rn.location >= 0) e.Position(rn.location + 1);
      throw e;
    }
    if (parent->is_view || parent->is_sequence()) {
      Throw(SqlState::kWrongObjectType, "referenced relation \"{}\" is not a table", parent->name);
    }
    ref = parent->oid == table.oid ? &table : parent.get();
    fk.ref_table = ref->oid;
  }
  for (const std::string& c : columns) {
    int ord = table.ColumnIndex(c);
    if (ord < 0) {
      Throw(SqlState::kUndefinedColumn,
            "column \"{}\" referenced in foreign key constraint does not exist", c);
    }
    fk.columns.push_back(ord);
  }
  if (spec.ref_columns.empty()) {
    if (ref->primary_key.empty()) {
      Throw(SqlState::kUndefinedObject, "there is no primary key for referenced table \"{}\"",
            ref->name);
    }
    fk.ref_columns = ref->primary_key;
  } else {
    for (const std::string& c : spec.ref_columns) {
      int ord = ref->ColumnIndex(c);
      if (ord < 0) {
        Throw(SqlState::kUndefinedColumn,
              "column \"{}\" referenced in foreign key constraint does not exist", c);
      }
      fk.ref_columns.push_back(ord);
    }
  }
  if (fk.columns.size() != fk.ref_columns.size()) {
    Throw(SqlState::kInvalidForeignKey,
          "number of referencing and referenced columns for foreign key disagree");
  }
  if (!spec.ref_columns.empty() && !FindUniqueAccess(*ref, fk.ref_columns)) {
    Throw(SqlState::kInvalidForeignKey,
          "there is no unique constraint matching given keys for referenced table \"{}\"",
          ref->name);
  }
  // The name: given, or <table>_<cols>_fkey made unique among the table's constraints.
  if (name) {
    if (taken->count(*name)) {
      Throw(SqlState::kDuplicateObject, "constraint \"{}\" for relation \"{}\" already exists",
            *name, table.name);
    }
    fk.name = *name;
  } else {
    std::string base = table.name;
    for (const std::string& c : columns) base += "_" + c;
    std::string n = base + "_fkey";
    for (int i = 1; taken->count(n); ++i) n = base + "_fkey" + std::to_string(i);
    fk.name = n;
  }
  for (size_t i = 0; i < fk.columns.size(); ++i) {
    const storage::ColumnInfo& a = table.columns[fk.columns[i]];
    const storage::ColumnInfo& b = ref->columns[fk.ref_columns[i]];
    if (!Comparable(a.type.id, b.type.id)) {
      throw Error(SqlState::kDatatypeMismatch,
                  fmt::format("foreign key constraint \"{}\" cannot be implemented", fk.name))
          .Detail(fmt::format("Key columns \"{}\" and \"{}\" are of incompatible types: {} and {}.",
                              a.name, b.name, TypeName(Type::Of(a.type.id)),
                              TypeName(Type::Of(b.type.id))));
    }
  }
  taken->insert(fk.name);
  return fk;
}

std::set<std::string> SessionImpl::ConstraintNames(const storage::TableInfo& table) {
  std::set<std::string> out;
  if (!table.primary_key.empty()) out.insert(table.PrimaryKeyName());
  for (const auto& idx : table.indexes) {
    if (idx.is_constraint) out.insert(idx.name);
  }
  for (const auto& fk : table.foreign_keys) out.insert(fk.name);
  for (const auto& c : table.checks) out.insert(c.name);
  return out;
}

QueryResult SessionImpl::AlterTableConstraint(const ast::AlterTableStatement& s) {
  std::string schema;
  // PostgreSQL takes SHARE ROW EXCLUSIVE to add a foreign key (on both tables), SHARE UPDATE
  // EXCLUSIVE to validate a constraint, ACCESS EXCLUSIVE to drop one.
  storage::LockMode mode =
      s.add_constraint && s.add_constraint->type == ast::ConstraintType::kForeignKey
          ? storage::LockMode::kShareRowExclusive
      : s.validate_constraint ? storage::LockMode::kShareUpdateExclusive
                              : storage::LockMode::kAccessExclusive;
  auto table = LockAlterTarget(s,
                               s.add_constraint        ? "ADD CONSTRAINT"
                               : s.validate_constraint ? "VALIDATE CONSTRAINT"
                                                       : "DROP CONSTRAINT",
                               mode, &schema);
  if (!table) return Tagged("ALTER TABLE");
  storage::CatalogTxn* txn = CatalogStatementTxn();
  storage::TableInfo next = *table;
  if (s.validate_constraint) return ValidateConstraint(schema, *table, *s.validate_constraint);
  // ALTER TABLE ... DROP CONSTRAINT of a primary key or unique constraint: foreign keys that
  // use its index are 2BP01 unless CASCADE drops them.
  auto drop_key_constraint = [&](const storage::TableInfo& table, const std::string& name,
                                 bool cascade) {
    storage::CatalogTxn* txn = CatalogStatementTxn();
    storage::Catalog* catalog = engine_->catalog();
    const bool primary = !table.primary_key.empty() && table.PrimaryKeyName() == name;
    auto index = std::find_if(table.indexes.begin(), table.indexes.end(),
                              [&](const storage::IndexInfo& i) { return i.name == name; });
    if (!primary && (index == table.indexes.end() || !index->is_constraint)) {
      Throw(SqlState::kInternalError, "constraint \"{}\" is not a key", name);
    }
    if (table.hypertable) {
      Throw(SqlState::kFeatureNotSupported,
            "ALTER TABLE DROP CONSTRAINT of a key of a hypertable is not supported yet");
    }
    // Foreign keys that look their referenced rows up in this key depend on its index
    // (PostgreSQL's conindid): 2BP01, or with CASCADE they go first.
    auto snap = CatalogView();
    std::vector<std::pair<std::shared_ptr<const storage::TableInfo>, std::string>> dependents;
    for (const auto& [child, i] : snap->ReferencingForeignKeys(table.oid)) {
      const ForeignKeyInfo& fk = child->foreign_keys[i];
      std::optional<UniqueAccess> access = FindUniqueAccess(table, fk.ref_columns);
      if (!access) continue;
      const bool uses = access->index == nullptr ? primary : access->index->name == name;
      if (uses) dependents.emplace_back(child, fk.name);
    }
    if (!dependents.empty() && !cascade) {
      std::string detail;
      for (const auto& [child, fk] : dependents) {
        if (!detail.empty()) detail += "\n";
        detail +=
            fmt::format("constraint {} on table {} depends on index {}", fk, child->name, name);
      }
      throw Error(SqlState::kUndefinedObjectDependent,
                  fmt::format("cannot drop constraint {} on table {} because other objects depend "
                              "on it",
                              name, table.name))
          .Detail(detail)
          .Hint("Use DROP ... CASCADE to drop the dependent objects too.");
    }
    if (!dependents.empty()) {
      std::string text =
          dependents.size() == 1
              ? "drop cascades to "
              : "drop cascades to " + std::to_string(dependents.size()) + " other objects";
      std::string detail;
      for (const auto& [child, fk] : dependents) {
        const std::string line = fmt::format("constraint {} on table {}", fk, child->name);
        if (dependents.size() == 1) {
          text += line;
        } else {
          detail += (detail.empty() ? "" : "\n") + std::string("drop cascades to ") + line;
        }
      }
      pending_notices_.push_back(Notice{"NOTICE", "00000", text, detail, ""});
      for (const auto& [child, fk] : dependents) {
        txn->LockRelation(child->oid, storage::LockMode::kAccessExclusive);
        auto now = CatalogView()->FindRelationByOid(child->oid);
        if (!now) continue;
        storage::TableInfo changed = *now;
        std::erase_if(changed.foreign_keys, [&](const ForeignKeyInfo& f) { return f.name == fk; });
        catalog->UpdateRelation(txn, std::move(changed));
      }
    }
    auto current = CatalogView()->FindRelationByOid(table.oid);
    storage::TableInfo next = *current;
    if (!primary) {
      // Its index goes with it (the catalog drops a constraint's index only as a plain one).
      for (storage::IndexInfo& i : next.indexes) {
        if (i.name == name) i.is_constraint = false;
      }
      catalog->UpdateRelation(txn, std::move(next));
      catalog->DropIndex(txn, db_.oid, schema, name);
      return;
    }
    // The primary key is the rows' key: without it they are keyed by row ids, so the table is
    // rewritten (its columns stay NOT NULL, as in PostgreSQL).
    next.primary_key.clear();
    next.primary_key_include.clear();
    next.pkey_name.clear();
    auto rewritten = catalog->RewriteTable(txn, db_.oid, current->schema, current->name, next);
    std::vector<storage::StoredRow> rows;
    for (uint32_t shard = 0; shard < current->shard_count; ++shard) {
      storage::ShardScanner scanner(txn, current, shard);
      while (scanner.NextBatch(&rows, 4096)) {
        for (auto& r : rows) {
          storage::TableStore::Insert(catalog, txn, *rewritten, r.row, /*lock_rows=*/false);
        }
        rows.clear();
      }
    }
  };
  if (s.drop_constraint) {
    const std::string& name = *s.drop_constraint;
    auto check =
        std::find_if(next.checks.begin(), next.checks.end(),
                     [&](const storage::CheckConstraintInfo& c) { return c.name == name; });
    if (check != next.checks.end()) {
      if (check->inhcount > 0) {
        Throw(SqlState::kInvalidTableDefinition,
              "cannot drop inherited constraint \"{}\" of relation \"{}\"", name, table->name);
      }
      next.checks.erase(check);
      engine_->catalog()->UpdateRelation(txn, std::move(next));
      DropCheckFromChildren(*table, name, s.only);
      return Tagged("ALTER TABLE");
    }
    auto it = std::find_if(next.foreign_keys.begin(), next.foreign_keys.end(),
                           [&](const ForeignKeyInfo& f) { return f.name == name; });
    if (it == next.foreign_keys.end()) {
      if (ConstraintNames(*table).count(name)) {
        drop_key_constraint(*table, name, s.drop_cascade);
        return Tagged("ALTER TABLE");
      }
      if (s.drop_if_exists) {
        pending_notices_.push_back(
            Notice{"NOTICE", "00000",
                   fmt::format("constraint \"{}\" of relation \"{}\" does not exist, skipping",
                               name, table->name)});
        return Tagged("ALTER TABLE");
      }
      Throw(SqlState::kUndefinedObject, "constraint \"{}\" of relation \"{}\" does not exist", name,
            table->name);
    }
    if (it->ref_table != table->oid) {
      txn->LockRelation(it->ref_table, storage::LockMode::kAccessExclusive);
    }
    next.foreign_keys.erase(it);
    engine_->catalog()->UpdateRelation(txn, std::move(next));
    return Tagged("ALTER TABLE");
  }
  AddTableConstraint(schema, table, *s.add_constraint, s.add_not_valid, s.only);
  return Tagged("ALTER TABLE");
}

void SessionImpl::AddTableConstraint(const std::string& schema,
                                     const std::shared_ptr<const storage::TableInfo>& table,
                                     const ast::TableConstraint& c, bool not_valid, bool only) {
  storage::CatalogTxn* txn = CatalogStatementTxn();
  storage::TableInfo next = *table;
  switch (c.type) {
    case ast::ConstraintType::kPrimaryKey:
      AddPrimaryKey(schema, table, c);
      return;
    case ast::ConstraintType::kUnique: {
      storage::IndexInfo idx;
      idx.unique = true;
      idx.nulls_not_distinct = c.nulls_not_distinct;
      idx.is_constraint = true;
      std::string columns;
      for (const std::string& col : c.columns) {
        int ord = table->ColumnIndex(col);
        if (ord < 0) {
          Throw(SqlState::kUndefinedColumn, "column \"{}\" named in key does not exist", col);
        }
        idx.columns.push_back(ord);
        columns += (columns.empty() ? "" : "_") + col;
      }
      idx.include = IncludeColumns(*table, c.include);
      for (int i : idx.include) columns += "_" + table->columns[i].name;
      auto snap = CatalogView();
      auto taken = [&](const std::string& n) {
        return snap->FindTable(db_.oid, schema, n) != nullptr ||
               snap->FindIndexOwner(db_.oid, schema, n) != nullptr ||
               ConstraintNames(*table).count(n) > 0;
      };
      if (c.name) {
        // The index comes first in PostgreSQL (index_create: 42P07), then the constraint.
        if (snap->FindTable(db_.oid, schema, *c.name) != nullptr ||
            snap->FindIndexOwner(db_.oid, schema, *c.name) != nullptr) {
          Throw(SqlState::kDuplicateTable, "relation \"{}\" already exists", *c.name);
        }
        if (ConstraintNames(*table).count(*c.name)) {
          Throw(SqlState::kDuplicateObject, "constraint \"{}\" for relation \"{}\" already exists",
                *c.name, table->name);
        }
        idx.name = *c.name;
      } else {
        idx.name = MakeObjectName(table->name, columns, "key");
        for (int i = 1; taken(idx.name); ++i) {
          idx.name = MakeObjectName(table->name, columns, "key" + std::to_string(i));
        }
      }
      std::string name = idx.name;
      auto updated = engine_->catalog()->AddIndex(txn, db_.oid, schema, table->name, idx);
      for (const auto& i : updated->indexes) {
        if (i.name == name) {
          CountIndexBuild(*updated, storage::TableStore::BuildIndex(txn, *updated, i));
        }
      }
      return;
    }
    case ast::ConstraintType::kCheck: {
      AddCheckConstraints(&next, {&c});
      next.checks.back().validated = !not_valid;
      // Every existing row must pass (PostgreSQL's validateCheckConstraint), unless NOT VALID.
      if (!not_valid) CheckExistingRows(schema, *table, next.checks.back());
      storage::CheckConstraintInfo added = next.checks.back();
      engine_->catalog()->UpdateRelation(txn, std::move(next));
      if (!added.no_inherit) AddCheckToChildren(*table, added, only, !not_valid);
      return;
    }
    case ast::ConstraintType::kForeignKey:
      break;
  }
  std::set<std::string> taken = ConstraintNames(*table);
  ForeignKeyInfo fk = BuildForeignKey(*table, false, c.name, c.columns, c.foreign_key, &taken);
  fk.validated = !not_valid;
  next.foreign_keys.push_back(fk);
  auto updated = engine_->catalog()->UpdateRelation(txn, std::move(next));
  // Every existing row must find its referenced row (23503 as an INSERT would say), unless
  // NOT VALID.
  if (!not_valid) {
    ExecContext ctx = MakeExecContext(txn, {});
    ExecState st(ctx);
    ValidateForeignKey(st, *updated, updated->foreign_keys.back());
  }
}

void SessionImpl::CheckExistingRows(const std::string& schema, const storage::TableInfo& table,
                                    const storage::CheckConstraintInfo& check) {
  std::string sql = fmt::format("SELECT 1 FROM ONLY {}.{} WHERE NOT ({}) LIMIT 1",
                                QuoteIdent(schema), QuoteIdent(table.name), check.expr);
  if (!RunInternalQuery(sql, CatalogStatementTxn()).empty()) {
    Error err(SqlState::kCheckViolation,
              fmt::format("check constraint \"{}\" of relation \"{}\" is violated by some row",
                          check.name, table.name));
    err.schema = schema;
    err.table = table.name;
    err.constraint = check.name;
    throw err;
  }
}

// ALTER TABLE t VALIDATE CONSTRAINT c (PostgreSQL's ATExecValidateConstraint): checks the rows
// of a foreign key or check constraint added NOT VALID and marks it validated; nothing to do
// for one already validated. The caller holds SHARE UPDATE EXCLUSIVE on the table; the
// referenced table of a foreign key is locked ROW SHARE.
QueryResult SessionImpl::ValidateConstraint(const std::string& schema,
                                            const storage::TableInfo& table,
                                            const std::string& name) {
  storage::CatalogTxn* txn = CatalogStatementTxn();
  storage::TableInfo next = table;
  for (auto& check : next.checks) {
    if (check.name != name) continue;
    if (check.validated) return Tagged("ALTER TABLE");
    CheckExistingRows(schema, table, check);
    check.validated = true;
    engine_->catalog()->UpdateRelation(txn, std::move(next));
    return Tagged("ALTER TABLE");
  }
  for (size_t i = 0; i < next.foreign_keys.size(); ++i) {
    ForeignKeyInfo& fk = next.foreign_keys[i];
    if (fk.name != name) continue;
    if (fk.validated) return Tagged("ALTER TABLE");
    if (fk.ref_table != table.oid) txn->LockRelation(fk.ref_table, storage::LockMode::kRowShare);
    ExecContext ctx = MakeExecContext(txn, {});
    ExecState st(ctx);
    ValidateForeignKey(st, table, fk);
    fk.validated = true;
    engine_->catalog()->UpdateRelation(txn, std::move(next));
    return Tagged("ALTER TABLE");
  }
  if (ConstraintNames(table).count(name)) {
    Throw(SqlState::kWrongObjectType,
          "constraint \"{}\" of relation \"{}\" is not a foreign key or check constraint", name,
          table.name);
  }
  Throw(SqlState::kUndefinedObject, "constraint \"{}\" of relation \"{}\" does not exist", name,
        table.name);
}

void SessionImpl::ReportDependents(const std::string& what, const std::string& dropped,
                                   bool cascade, size_t count, const std::string& detail) {
  if (!cascade) {
    throw Error(SqlState::kUndefinedObjectDependent,
                fmt::format("cannot drop {} {} because other objects depend on it", what, dropped))
        .Detail(detail)
        .Hint("Use DROP ... CASCADE to drop the dependent objects too.");
  }
  if (count == 1) {
    pending_notices_.push_back(Notice{"NOTICE", "00000", detail});
  } else {
    Notice n{"NOTICE", "00000", fmt::format("drop cascades to {} other objects", count)};
    n.detail = detail;
    pending_notices_.push_back(std::move(n));
  }
}

void SessionImpl::DropForeignKeyDependents(
    const std::vector<std::shared_ptr<const storage::TableInfo>>& dropped, bool cascade) {
  auto snap = CatalogView();
  auto is_dropped = [&](storage::Oid oid) {
    return std::any_of(dropped.begin(), dropped.end(),
                       [&](const auto& t) { return t->oid == oid; });
  };
  // (referencing table, constraint name, referenced table) of every foreign key that refers
  // to a dropped table from a table that stays.
  std::vector<std::tuple<std::shared_ptr<const storage::TableInfo>, std::string, std::string>> deps;
  for (const auto& t : dropped) {
    for (const auto& [child, i] : snap->ReferencingForeignKeys(t->oid)) {
      if (is_dropped(child->oid)) continue;
      deps.emplace_back(child, child->foreign_keys[i].name, t->name);
    }
  }
  if (deps.empty()) return;
  std::string detail;
  for (const auto& [child, name, parent] : deps) {
    if (!detail.empty()) detail += "\n";
    detail += cascade ? fmt::format("drop cascades to constraint {} on table {}", name, child->name)
                      : fmt::format("constraint {} on table {} depends on table {}", name,
                                    child->name, parent);
  }
  ReportDependents("table", dropped.front()->name, cascade, deps.size(), detail);
  storage::CatalogTxn* txn = CatalogStatementTxn();
  std::set<storage::Oid> done;
  for (const auto& [child, name, parent] : deps) {
    if (!done.insert(child->oid).second) continue;
    txn->LockRelation(child->oid, storage::LockMode::kAccessExclusive);
    auto now = CatalogView()->FindRelationByOid(child->oid);
    if (!now) continue;
    storage::TableInfo next = *now;
    std::erase_if(next.foreign_keys,
                  [&](const ForeignKeyInfo& f) { return is_dropped(f.ref_table); });
    engine_->catalog()->UpdateRelation(txn, std::move(next));
  }
}

void SessionImpl::TruncateForeignKeys(
    std::vector<std::pair<std::string, std::shared_ptr<const storage::TableInfo>>>* targets,
    bool cascade) {
  auto snap = CatalogView();
  auto listed = [&](storage::Oid oid) {
    return std::any_of(targets->begin(), targets->end(),
                       [&](const auto& t) { return t.second->oid == oid; });
  };
  // CASCADE adds the referencing tables (and theirs), as PostgreSQL's ExecuteTruncate.
  for (size_t i = 0; i < targets->size(); ++i) {
    auto parent = (*targets)[i].second;
    for (const auto& [child, k] : snap->ReferencingForeignKeys(parent->oid)) {
      if (listed(child->oid)) continue;
      if (!cascade) {
        throw Error(SqlState::kFeatureNotSupported,
                    "cannot truncate a table referenced in a foreign key constraint")
            .Detail(fmt::format("Table \"{}\" references \"{}\".", child->name, parent->name))
            .Hint(
                fmt::format("Truncate table \"{}\" at the same time, or use TRUNCATE ... CASCADE.",
                            child->name));
      }
      StatementTxn()->LockRelation(child->oid, storage::LockMode::kAccessExclusive);
      pending_notices_.push_back(
          Notice{"NOTICE", "00000", fmt::format("truncate cascades to table \"{}\"", child->name)});
      auto now = CatalogView()->FindRelationByOid(child->oid);
      if (now) targets->emplace_back(now->schema, now);
    }
  }
}

}  // namespace activestore::executor
