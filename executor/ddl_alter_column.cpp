// ALTER TABLE actions on columns, as PostgreSQL 15's tablecmds.c: ADD COLUMN (ATExecAddColumn),
// DROP COLUMN (ATExecDropColumn with the dependencies dependency.c would find), ALTER COLUMN
// SET/DROP DEFAULT and SET/DROP NOT NULL, RENAME (renameatt, RenameConstraint,
// RenameRelation), and several actions in one statement. Columns are positions in the row
// (no dropped-column slots), so ADD and DROP COLUMN rewrite the table (Catalog::RewriteTable)
// in the statement's transaction, and DROP COLUMN renumbers every ordinal that names a later
// column.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "executor/deparse.h"
#include "executor/operators/dml_util.h"
#include "executor/session.h"
#include "planner/binder.h"
#include "planner/planner.h"
#include "storage/index_evaluator.h"
#include "storage/table_store.h"

namespace activestore::executor {

namespace {

// 0A000 when a column of another table (or an attribute of a composite type) has `table`'s row
// type: its stored values keep the old attribute list (PostgreSQL's
// find_composite_type_dependencies).
void CheckRowTypeUnused(const storage::CatalogSnapshot& snap, const storage::TableInfo& table) {
  if (table.row_type_oid == 0) return;
  auto uses = [&](Type t) {
    const auto id = static_cast<uint32_t>(t.id);
    return id == table.row_type_oid || id == table.row_array_type_oid;
  };
  for (const auto& [key, other] : snap.tables) {
    if (std::get<0>(key) != table.database_oid) continue;
    for (const storage::ColumnInfo& c : other->columns) {
      if (uses(c.type)) {
        Throw(SqlState::kFeatureNotSupported,
              "cannot alter table \"{}\" because column \"{}.{}\" uses its row type", table.name,
              other->name, c.name);
      }
    }
  }
  for (const auto& [key, t] : snap.types) {
    if (std::get<0>(key) != table.database_oid || !t->is_composite()) continue;
    for (const CompositeField& f : t->fields) {
      if (uses(f.type)) {
        Throw(SqlState::kFeatureNotSupported,
              "cannot alter table \"{}\" because column \"{}.{}\" uses its row type", table.name,
              t->name, f.name);
      }
    }
  }
}

using storage::ColumnInfo;
using storage::TableInfo;

// Whether `e` names column `column` (a column reference whose last part is it).
// 23502 for existing rows with a null in a column becoming NOT NULL.
[[noreturn]] void ThrowContainsNulls(const TableInfo& t, const std::string& column) {
  Error err(SqlState::kNotNullViolation,
            fmt::format("column \"{}\" of relation \"{}\" contains null values", column, t.name));
  err.schema = t.schema;
  err.table = t.name;
  err.column = column;
  throw err;
}

// 42701 for the name of one of PostgreSQL's system columns.
void CheckNotSystemColumn(const std::string& name) {
  static const char* kSystem[] = {"tableoid", "cmax", "xmax", "cmin", "xmin", "ctid"};
  for (const char* s : kSystem) {
    if (name == s) {
      Throw(SqlState::kDuplicateColumn, "column name \"{}\" conflicts with a system column name",
            name);
    }
  }
}

bool RefersTo(const ast::Expr& e, const std::string& column) {
  if (e.kind == ast::ExprKind::kColumnRef && !e.star && !e.names.empty() &&
      e.names.back() == column) {
    return true;
  }
  auto in = [&](const ast::ExprPtr& a) { return a && RefersTo(*a, column); };
  if (std::any_of(e.args.begin(), e.args.end(), in)) return true;
  if (std::any_of(e.when_then.begin(), e.when_then.end(), in)) return true;
  if (in(e.else_expr) || in(e.filter)) return true;
  for (const auto& s : e.agg_order_by) {
    if (in(s.expr)) return true;
  }
  return false;
}

// Renames the column references `from` to `to` in `e`; whether it changed any.
bool RenameRefs(ast::Expr* e, const std::string& from, const std::string& to) {
  bool changed = false;
  if (e->kind == ast::ExprKind::kColumnRef && !e->star && !e->names.empty() &&
      e->names.back() == from) {
    e->names.back() = to;
    changed = true;
  }
  auto in = [&](ast::ExprPtr& a) {
    if (a) changed = RenameRefs(a.get(), from, to) || changed;
  };
  for (auto& a : e->args) in(a);
  for (auto& a : e->when_then) in(a);
  in(e->else_expr);
  in(e->filter);
  for (auto& s : e->agg_order_by) in(s.expr);
  return changed;
}

// A stored expression (CHECK, index expression or predicate) read back.
ast::ExprPtr ParseStored(const std::string& sql) {
  auto query = planner::ParseSelect("SELECT " + sql);
  if (query->targets.size() != 1) {
    Throw(SqlState::kInternalError, "bad stored expression \"{}\"", sql);
  }
  return std::move(query->targets[0].expr);
}

bool IndexUses(const storage::IndexInfo& idx, int ord, const std::string& column) {
  if (std::find(idx.columns.begin(), idx.columns.end(), ord) != idx.columns.end()) return true;
  if (std::find(idx.include.begin(), idx.include.end(), ord) != idx.include.end()) return true;
  for (const std::string& e : idx.expressions) {
    if (StoredRefersTo(e, column)) return true;
  }
  return StoredRefersTo(idx.predicate, column);
}

void Remap(std::vector<int>* ords, const std::vector<int>& map) {
  for (int& o : *ords) {
    if (o >= 0) o = map[o];
  }
}

void AddNotice(std::vector<Notice>* notices, const std::string& msg, const char* state = "00000") {
  notices->push_back(Notice{"NOTICE", state, msg});
}

}  // namespace

bool StoredRefersTo(const std::string& sql, const std::string& column) {
  return !sql.empty() && RefersTo(*ParseStored(sql), column);
}

QueryResult SessionImpl::AlterTableActions(const ast::AlterTableStatement& s) {
  std::string schema;
  if (!FindTable(s.table, &schema)) {
    if (s.if_exists) {
      AddNotice(&pending_notices_,
                fmt::format("relation \"{}\" does not exist, skipping", s.table.name()));
      return Tagged("ALTER TABLE");
    }
    Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", s.table.name());
  }
  for (const auto& a : s.actions) AlterTable(*a);
  return Tagged("ALTER TABLE");
}

std::vector<std::string> SessionImpl::ViewsReading(const TableInfo& table) {
  std::vector<std::string> out;
  for (const auto& v : ViewRelationsReading(table)) out.push_back(v->name);
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

// Whether `text` has `word` as a whole identifier (not inside a longer name), any case.
bool NamesWord(const std::string& text, const std::string& word) {
  auto ident = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
  };
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  const std::string t = lower(text), w = lower(word);
  for (size_t at = t.find(w); at != std::string::npos; at = t.find(w, at + 1)) {
    const bool start = at == 0 || !ident(t[at - 1]);
    const bool end = at + w.size() == t.size() || !ident(t[at + w.size()]);
    if (start && end) return true;
  }
  return false;
}

}  // namespace

std::vector<storage::Oid> SessionImpl::RelationsViewReads(const TableInfo& v) {
  std::vector<ast::StatementPtr> stmts = ParseText(
      v.matview ? v.view_sql : "SELECT * FROM " + QuoteIdent(v.schema) + "." + QuoteIdent(v.name),
      false);
  planner::PlannerContext pctx = MakePlannerContext();
  planner::PlanPtr plan = planner::PlanStatement(*stmts.at(0), pctx);
  std::vector<storage::Oid> reads;
  for (const planner::RelationPermission& p : plan->permissions) {
    if (p.relation != nullptr) reads.push_back(p.relation->oid);
  }
  return reads;
}

std::vector<std::shared_ptr<const TableInfo>> SessionImpl::ViewRelationsReading(
    const TableInfo& table) {
  std::vector<std::shared_ptr<const TableInfo>> out;
  auto snap = CatalogView();
  for (const auto& [key, v] : snap->tables) {
    if (std::get<0>(key) != db_.oid || !(v->is_view || v->matview) || v->oid == table.oid) {
      continue;
    }
    // A continuous aggregate depends on its hypertable and its materialization table, whatever
    // its view reads (executor/continuous_aggs.h).
    if (v->cagg && (v->cagg->raw_hypertable == table.oid || v->cagg->mat_table == table.oid ||
                    (table.cagg && v->cagg->raw_hypertable == table.cagg->mat_table))) {
      out.push_back(v);
      continue;
    }
    try {
      std::vector<storage::Oid> reads = RelationsViewReads(*v);
      if (std::find(reads.begin(), reads.end(), table.oid) != reads.end()) out.push_back(v);
    } catch (const Error&) {
      // A view that does not plan may read it: counted if its text names the relation.
      if (NamesWord(v->view_sql, table.name)) out.push_back(v);
    }
  }
  return out;
}

// ---- ADD COLUMN ---------------------------------------------------------------------------

QueryResult SessionImpl::AddColumn(const ast::AlterTableStatement& s) {
  std::string schema;
  auto table = LockAlterTarget(s, "ADD COLUMN", storage::LockMode::kAccessExclusive, &schema);
  if (!table) return Tagged("ALTER TABLE");
  const ast::CreateTableStatement& def = *s.add_column;
  const ast::ColumnDef& col = def.columns.at(0);
  CheckNotSystemColumn(col.name);
  if (table->ColumnIndex(col.name) >= 0) {
    if (def.if_not_exists) {
      AddNotice(&pending_notices_,
                fmt::format("column \"{}\" of relation \"{}\" already exists, skipping", col.name,
                            table->name),
                "42701");
      return Tagged("ALTER TABLE");
    }
    Throw(SqlState::kDuplicateColumn, "column \"{}\" of relation \"{}\" already exists", col.name,
          table->name);
  }
  if (col.primary_key && !table->primary_key.empty()) {
    Throw(SqlState::kInvalidTableDefinition,
          "multiple primary keys for table \"{}\" are not allowed", table->name);
  }
  bool has_children = !CatalogView()->InheritanceChildren(table->oid).empty();
  if (has_children && s.only) {
    Throw(SqlState::kInvalidTableDefinition, "column must be added to child tables too");
  }
  if (col.identity != 0 && has_children) {
    Throw(SqlState::kInvalidTableDefinition,
          "cannot recursively add identity column to table that has child tables");
  }
  // A new column without a value (DEFAULT NULL) reads as NULL in stored values of the row type
  // (RecordView pads them); any other value would need them rewritten.
  const bool null_default =
      (!col.default_expr || (col.default_expr->kind == ast::ExprKind::kConstant &&
                             col.default_expr->const_kind == ast::ConstKind::kNull)) &&
      col.identity == 0 && !col.not_null;
  if (!null_default) CheckRowTypeUnused(*CatalogView(), *table);
  ColumnInfo added = ColumnInfoOf(col);
  if (col.generated != 0) {
    auto shape = std::make_shared<TableInfo>(*table);
    shape->columns.push_back(added);
    planner::PlannerContext pctx = MakePlannerContext();
    try {
      planner::ValidateGenerationExpr(shape, static_cast<int>(shape->columns.size()) - 1,
                                      *col.default_expr, pctx);
    } catch (Error& e) {
      e.position.reset();  // PostgreSQL's ALTER TABLE reports no position here
      throw;
    }
    if (!added.default_sql) added.default_sql = DeparseExpr(*col.default_expr);  // its error
  }
  AddColumnRecurse(table, std::move(added), def, false);
  // The column's constraints, as ALTER TABLE ADD of each (PostgreSQL's transformColumnDefinition
  // turns them into table constraints): the keys, the CHECKs, the foreign keys.
  auto current = [&] { return CatalogView()->FindRelationByOid(table->oid); };
  if (col.primary_key) {
    ast::TableConstraint pk;
    pk.type = ast::ConstraintType::kPrimaryKey;
    pk.columns = {col.name};
    AddTableConstraint(schema, current(), pk, false, s.only);
  }
  if (col.unique) {
    ast::TableConstraint unique;
    unique.type = ast::ConstraintType::kUnique;
    unique.nulls_not_distinct = col.nulls_not_distinct;
    unique.columns = {col.name};
    AddTableConstraint(schema, current(), unique, false, s.only);
  }
  for (const ast::TableConstraint& c : def.constraints) {
    AddTableConstraint(schema, current(), c, false, s.only);
  }
  for (const auto& [name, spec] : col.references) {
    ast::TableConstraint fk;
    fk.type = ast::ConstraintType::kForeignKey;
    fk.name = name;
    fk.columns = {col.name};
    fk.foreign_key = spec;
    AddTableConstraint(schema, current(), fk, false, s.only);
  }
  return Tagged("ALTER TABLE");
}

void SessionImpl::AddColumnRecurse(const std::shared_ptr<const TableInfo>& table, ColumnInfo column,
                                   const ast::CreateTableStatement& def, bool recursing) {
  storage::CatalogTxn* txn = CatalogStatementTxn();
  auto* catalog = engine_->catalog();
  TableInfo next = *table;
  if (recursing) {
    column.inhcount = 1;
    column.is_local = false;
  }
  next.columns.push_back(column);
  const int ord = static_cast<int>(next.columns.size()) - 1;
  std::vector<ColumnSequence> sequences;
  if (!recursing) {
    std::set<std::string> taken{next.name};
    if (!next.primary_key.empty()) taken.insert(next.PrimaryKeyName());
    for (const auto& idx : next.indexes) taken.insert(idx.name);
    if (auto cs = PrepareColumnSequence(def, def.columns.at(0), ord, &next, &taken)) {
      sequences.push_back(std::move(*cs));
    }
  }
  for (auto& idx : next.indexes) idx.evaluator.reset();
  auto rewritten = catalog->RewriteTable(txn, db_.oid, table->schema, table->name, next);
  if (!sequences.empty()) {
    CreateColumnSequences(*rewritten, sequences);
    rewritten = CatalogView()->FindRelationByOid(table->oid);
  }
  const ColumnInfo& added = rewritten->columns[ord];
  // The value of the new column in each existing row: its DEFAULT (or the domain's) evaluated
  // once per row, so that a volatile one (random(), nextval, clock_timestamp()) differs.
  std::string target = TypeName(added.type);
  std::optional<std::string> default_sql = added.default_sql;
  if (added.domain != 0) {
    if (auto d = CatalogView()->FindTypeByOid(added.domain)) {
      target = QuoteIdent(d->schema) + "." + QuoteIdent(d->name);
      if (!default_sql) default_sql = d->default_sql;
      if (!default_sql) default_sql = "NULL";  // the domain's NOT NULL applies
    }
  }
  // A generated column: its expression over each row (PostgreSQL's table rewrite).
  std::vector<std::pair<int, planner::BoundExprPtr>> generated;
  std::optional<ExecContext> gen_ctx;
  std::optional<ExecState> gen_state;
  if (added.generated != 0) {
    planner::PlannerContext pctx = MakePlannerContext();
    for (auto& g : planner::BindTableGenerated(*rewritten, pctx)) {
      if (g.first == ord) generated.push_back(std::move(g));
    }
    default_sql.reset();
    gen_ctx.emplace(MakeExecContext(txn, {}));
    gen_state.emplace(*gen_ctx);
  }
  std::vector<storage::StoredRow> rows;
  for (uint32_t shard = 0; shard < table->shard_count; ++shard) {
    storage::ShardScanner scanner(txn, table, shard);
    while (scanner.NextBatch(&rows, 4096)) {
      std::vector<std::vector<Value>> values;
      if (!generated.empty()) {
        for (auto& r : rows) {
          r.row.push_back(Value::Null(added.type));
          ComputeGenerated(generated, *rewritten, &r.row, *gen_state);
          values.push_back({r.row.back()});
          r.row.pop_back();
        }
      } else if (default_sql) {
        values = RunInternalQuery(fmt::format("SELECT CAST({} AS {}) FROM generate_series(1, {})",
                                              *default_sql, target, rows.size()),
                                  txn);
      }
      for (size_t i = 0; i < rows.size(); ++i) {
        Value v = !values.empty() ? values.at(i).at(0) : Value::Null(added.type);
        if (v.is_null && added.not_null) {
          ThrowContainsNulls(*table, added.name);
        }
        rows[i].row.push_back(std::move(v));
        storage::TableStore::Insert(catalog, txn, *rewritten, rows[i].row, /*lock_rows=*/false);
      }
      rows.clear();
    }
  }
  // The children get the column too: merged with one of the same name and type (NOTICE), else
  // added as inherited.
  ColumnInfo inherited = added;
  inherited.identity = 0;
  for (const auto& found : CatalogView()->InheritanceChildren(table->oid)) {
    txn->LockRelation(found->oid, storage::LockMode::kAccessExclusive);
    auto child = CatalogView()->FindRelationByOid(found->oid);
    if (!child) continue;
    int i = child->ColumnIndex(added.name);
    if (i < 0) {
      AddColumnRecurse(child, inherited, def, true);
      continue;
    }
    if (child->columns[i].type != added.type) {
      Throw(SqlState::kDatatypeMismatch, "child table \"{}\" has different type for column \"{}\"",
            child->name, added.name);
    }
    AddNotice(&pending_notices_, fmt::format("merging definition of column \"{}\" for child \"{}\"",
                                             added.name, child->name));
    TableInfo merged = *child;
    merged.columns[i].inhcount++;
    catalog->UpdateRelation(txn, std::move(merged));
  }
}

// ---- DROP COLUMN --------------------------------------------------------------------------

QueryResult SessionImpl::DropColumn(const ast::AlterTableStatement& s) {
  std::string schema;
  auto table = LockAlterTarget(s, "DROP COLUMN", storage::LockMode::kAccessExclusive, &schema);
  if (!table) return Tagged("ALTER TABLE");
  CheckRowTypeUnused(*CatalogView(), *table);
  const std::string& name = *s.drop_column;
  int col = table->ColumnIndex(name);
  if (col < 0) {
    if (s.drop_if_exists) {
      AddNotice(&pending_notices_,
                fmt::format("column \"{}\" of relation \"{}\" does not exist, skipping", name,
                            table->name));
      return Tagged("ALTER TABLE");
    }
    Throw(SqlState::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", name,
          table->name);
  }
  if (table->columns[col].inhcount > 0) {
    Throw(SqlState::kInvalidTableDefinition, "cannot drop inherited column \"{}\"", name);
  }
  if (table->expiry.ttl_column == col) {
    Error e(SqlState::kUndefinedObjectDependent,
            fmt::format("cannot drop column {} of table {} because its ttl_column uses it", name,
                        table->name));
    e.Hint("Use ALTER TABLE ... RESET (ttl_column) first.");
    throw e;
  }
  DropColumnRecurse(schema, table, name, s.drop_cascade, s.only, false);
  return Tagged("ALTER TABLE");
}

void SessionImpl::DropColumnRecurse(const std::string& schema,
                                    const std::shared_ptr<const TableInfo>& table,
                                    const std::string& column, bool cascade, bool only,
                                    bool recursing) {
  storage::CatalogTxn* txn = CatalogStatementTxn();
  auto* catalog = engine_->catalog();
  int col = table->ColumnIndex(column);
  const std::string what = fmt::format("column {} of table {}", column, table->name);
  // Generated columns whose expression reads the column (PostgreSQL's normal dependency of a
  // generated column on the columns it reads).
  std::vector<std::string> generated;
  for (const ColumnInfo& c : table->columns) {
    if (c.generated != 0 && c.name != column && c.default_sql &&
        StoredRefersTo(*c.default_sql, column)) {
      generated.push_back(c.name);
    }
  }
  // What depends on the column without being part of the table (PostgreSQL's normal
  // dependencies): views over the table (which columns a view reads is not tracked, so any
  // view that reads the table counts) and foreign keys that reference the column.
  std::vector<std::string> views = ViewsReading(*table);
  struct Referencing {
    std::shared_ptr<const TableInfo> table;
    std::string constraint;
  };
  std::vector<Referencing> referencing;
  auto snap = CatalogView();
  for (const auto& [key, t] : snap->tables) {
    if (std::get<0>(key) != db_.oid || t->is_view || t->is_sequence()) continue;
    for (const auto& fk : t->foreign_keys) {
      if (fk.ref_table != table->oid) continue;
      bool uses =
          std::find(fk.ref_columns.begin(), fk.ref_columns.end(), col) != fk.ref_columns.end();
      bool own = t->oid == table->oid &&
                 std::find(fk.columns.begin(), fk.columns.end(), col) != fk.columns.end();
      if (uses && !own) referencing.push_back({t, fk.name});
    }
  }
  // Triggers that name the column in UPDATE OF or read it in WHEN.
  std::vector<std::string> triggers;
  for (const storage::TriggerInfo& g : table->triggers) {
    if (std::find(g.columns.begin(), g.columns.end(), col) != g.columns.end() ||
        StoredRefersTo(g.when, column)) {
      triggers.push_back(g.name);
    }
  }
  if (!views.empty() || !referencing.empty() || !triggers.empty() || !generated.empty()) {
    std::vector<std::string> lines;
    for (const auto& g : generated) {
      lines.push_back(fmt::format("column {} of table {} depends on {}", g, table->name, what));
    }
    for (const auto& g : triggers) {
      lines.push_back(fmt::format("trigger {} on table {} depends on {}", g, table->name, what));
    }
    for (const auto& r : referencing) {
      lines.push_back(fmt::format("constraint {} on table {} depends on {}", r.constraint,
                                  r.table->name, what));
    }
    for (const auto& v : views) {
      lines.push_back(fmt::format("view {} depends on table {}", v, table->name));
    }
    if (!cascade) {
      std::string detail;
      for (const auto& l : lines) detail += (detail.empty() ? "" : "\n") + l;
      throw Error(SqlState::kUndefinedObjectDependent,
                  fmt::format("cannot drop {} because other objects depend on it", what))
          .Detail(detail)
          .Hint("Use DROP ... CASCADE to drop the dependent objects too.");
    }
    if (!views.empty()) {
      Throw(SqlState::kFeatureNotSupported,
            "DROP COLUMN ... CASCADE of a column of a table that views read is not supported yet");
    }
    std::vector<std::string> dropped;
    for (const auto& g : generated) {
      dropped.push_back(fmt::format("drop cascades to column {} of table {}", g, table->name));
    }
    for (const auto& g : triggers) {
      dropped.push_back(fmt::format("drop cascades to trigger {} on table {}", g, table->name));
    }
    for (const auto& r : referencing) {
      dropped.push_back(
          fmt::format("drop cascades to constraint {} on table {}", r.constraint, r.table->name));
    }
    if (dropped.size() == 1) {
      AddNotice(&pending_notices_, dropped[0]);
    } else {
      Notice n{"NOTICE", "00000", fmt::format("drop cascades to {} other objects", dropped.size())};
      std::string detail;
      for (const auto& d : dropped) detail += (detail.empty() ? "" : "\n") + d;
      n.detail = detail;
      pending_notices_.push_back(std::move(n));
    }
    for (const auto& r : referencing) {
      if (r.table->oid == table->oid) continue;  // below, with the table's own changes
      txn->LockRelation(r.table->oid, storage::LockMode::kAccessExclusive);
      auto t = CatalogView()->FindRelationByOid(r.table->oid);
      TableInfo next = *t;
      std::erase_if(next.foreign_keys,
                    [&](const storage::ForeignKeyInfo& f) { return f.name == r.constraint; });
      catalog->UpdateRelation(txn, std::move(next));
    }
    for (const auto& g : generated) {
      DropColumnRecurse(schema, CatalogView()->FindRelationByOid(table->oid), g, cascade, only,
                        recursing);
    }
    if (!generated.empty()) col = CatalogView()->FindRelationByOid(table->oid)->ColumnIndex(column);
  }
  // The children: an inherited column that no other parent gives and that the child does not
  // declare goes with it; otherwise the child keeps it as its own (ONLY) or one parent fewer.
  for (const auto& found : CatalogView()->InheritanceChildren(table->oid)) {
    txn->LockRelation(found->oid, storage::LockMode::kAccessExclusive);
    auto child = CatalogView()->FindRelationByOid(found->oid);
    if (!child) continue;
    int i = child->ColumnIndex(column);
    if (i < 0) continue;
    const ColumnInfo& cc = child->columns[i];
    if (!only && cc.inhcount == 1 && !cc.is_local) {
      DropColumnRecurse(child->schema, child, column, cascade, false, true);
      continue;
    }
    TableInfo next = *child;
    next.columns[i].inhcount--;
    if (only) next.columns[i].is_local = true;
    catalog->UpdateRelation(txn, std::move(next));
  }
  (void)recursing;
  // This table, without the column: what uses it goes (PostgreSQL's automatic dependencies),
  // the ordinals after it move down by one.
  auto current = CatalogView()->FindRelationByOid(table->oid);
  TableInfo next = *current;
  std::vector<int> map(next.columns.size());
  for (int i = 0; i < static_cast<int>(map.size()); ++i) {
    map[i] = i < col ? i : i == col ? -1 : i - 1;
  }
  auto uses = [&](const std::vector<int>& ords) {
    return std::find(ords.begin(), ords.end(), col) != ords.end();
  };
  if (uses(next.primary_key) || uses(next.primary_key_include)) {
    next.primary_key.clear();
    next.primary_key_include.clear();
  }
  Remap(&next.primary_key, map);
  Remap(&next.primary_key_include, map);
  if (next.expiry.ttl_column > col) next.expiry.ttl_column--;
  std::erase_if(next.indexes,
                [&](const storage::IndexInfo& idx) { return IndexUses(idx, col, column); });
  for (auto& idx : next.indexes) {
    Remap(&idx.columns, map);
    Remap(&idx.include, map);
    idx.evaluator.reset();
  }
  std::erase_if(next.foreign_keys, [&](const storage::ForeignKeyInfo& fk) {
    return uses(fk.columns) || (fk.ref_table == next.oid && uses(fk.ref_columns));
  });
  for (auto& fk : next.foreign_keys) {
    Remap(&fk.columns, map);
    if (fk.ref_table == next.oid) Remap(&fk.ref_columns, map);
  }
  std::erase_if(next.checks, [&](const storage::CheckConstraintInfo& c) {
    return StoredRefersTo(c.expr, column);
  });
  std::erase_if(next.triggers, [&](const storage::TriggerInfo& g) {
    return std::find(triggers.begin(), triggers.end(), g.name) != triggers.end();
  });
  for (auto& g : next.triggers) Remap(&g.columns, map);
  next.columns.erase(next.columns.begin() + col);
  for (auto& idx : next.indexes) {
    if (!idx.plain()) idx.evaluator = storage::MakeLazyIndexEvaluator(next, idx);
  }
  // Sequences owned by the column go with it; those owned by a later column are renumbered.
  std::vector<std::shared_ptr<const TableInfo>> owned;
  for (const auto& [key, t] : CatalogView()->tables) {
    if (std::get<0>(key) == db_.oid && t->is_sequence() && t->sequence->owner_table == table->oid &&
        t->sequence->owner_column >= col) {
      owned.push_back(t);
    }
  }
  auto rewritten = catalog->RewriteTable(txn, db_.oid, current->schema, current->name, next);
  for (const auto& seq : owned) {
    txn->LockRelation(seq->oid, storage::LockMode::kAccessExclusive);
    if (seq->sequence->owner_column == col) {
      catalog->DropTable(txn, db_.oid, seq->schema, seq->name);
    } else {
      TableInfo moved = *seq;
      moved.sequence->owner_column--;
      catalog->UpdateRelation(txn, std::move(moved));
    }
  }
  // Foreign keys of other tables that reference this one name its columns by ordinal.
  for (const auto& [key, t] : CatalogView()->tables) {
    if (std::get<0>(key) != db_.oid || t->oid == table->oid || t->is_view) continue;
    bool refers = std::any_of(t->foreign_keys.begin(), t->foreign_keys.end(),
                              [&](const auto& fk) { return fk.ref_table == table->oid; });
    if (!refers) continue;
    TableInfo other = *t;
    for (auto& fk : other.foreign_keys) {
      if (fk.ref_table == table->oid) Remap(&fk.ref_columns, map);
    }
    catalog->UpdateRelation(txn, std::move(other));
  }
  std::vector<storage::StoredRow> rows;
  for (uint32_t shard = 0; shard < current->shard_count; ++shard) {
    storage::ShardScanner scanner(txn, current, shard);
    while (scanner.NextBatch(&rows, 4096)) {
      for (auto& r : rows) {
        r.row.erase(r.row.begin() + col);
        storage::TableStore::Insert(catalog, txn, *rewritten, r.row, /*lock_rows=*/false);
      }
      rows.clear();
    }
  }
  (void)schema;
}

// ---- ALTER COLUMN SET/DROP DEFAULT, SET/DROP NOT NULL ----------------------------------------

QueryResult SessionImpl::AlterColumnAttribute(const ast::AlterTableStatement& s) {
  using Kind = ast::AlterTableStatement::AlterColumn::Kind;
  const auto& ac = *s.alter_column;
  if (ac.kind == Kind::kAddIdentity || ac.kind == Kind::kSetIdentity ||
      ac.kind == Kind::kDropIdentity) {
    return AlterColumnIdentity(s);
  }
  const bool is_default = ac.kind == Kind::kSetDefault || ac.kind == Kind::kDropDefault;
  std::string schema;
  // A view's column takes a DEFAULT too (what INSERT through the view uses: PostgreSQL's
  // rewriteTargetListIU).
  std::shared_ptr<const TableInfo> view;
  if (is_default) {
    std::string view_schema;
    if (auto found = FindTable(s.table, &view_schema); found && found->is_view && !found->cagg) {
      view = FindAndLockTable(s.table, &schema, storage::LockMode::kAccessExclusive);
    }
  }
  auto table =
      view ? view
           : LockAlterTarget(s,
                             ac.kind == Kind::kSetDefault       ? "ALTER COLUMN ... SET DEFAULT"
                             : ac.kind == Kind::kDropDefault    ? "ALTER COLUMN ... DROP DEFAULT"
                             : ac.kind == Kind::kSetNotNull     ? "ALTER COLUMN ... SET NOT NULL"
                             : ac.kind == Kind::kDropExpression ? "ALTER COLUMN ... DROP EXPRESSION"
                                                                : "ALTER COLUMN ... DROP NOT NULL",
                             storage::LockMode::kAccessExclusive, &schema);
  if (!table) return Tagged(s.view ? "ALTER VIEW" : "ALTER TABLE");
  if (ac.kind == Kind::kDropExpression && s.only &&
      !CatalogView()->InheritanceChildren(table->oid).empty()) {
    Throw(SqlState::kInvalidTableDefinition,
          "ALTER TABLE / DROP EXPRESSION must be applied to child tables too");
  }
  storage::CatalogTxn* txn = CatalogStatementTxn();
  std::optional<std::string> default_sql;
  std::vector<uint32_t> default_sequences;
  if (ac.kind == Kind::kSetDefault) {
    default_sql = DeparseDefault(*ac.default_expr, &default_sequences);
  }
  // The table and (unless ONLY) its descendants, as PostgreSQL's ATSimpleRecursion.
  std::vector<std::shared_ptr<const TableInfo>> targets{table};
  if (!s.only) {
    for (const auto& d : InheritanceDescendants(*table)) {
      txn->LockRelation(d->oid, storage::LockMode::kAccessExclusive);
      targets.push_back(CatalogView()->FindRelationByOid(d->oid));
    }
  }
  for (size_t k = 0; k < targets.size(); ++k) {
    const auto& t = targets[k];
    if (!t) continue;
    int col = t->ColumnIndex(ac.column);
    if (col < 0) {
      if (k > 0) continue;
      Throw(SqlState::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist",
            ac.column, t->name);
    }
    TableInfo next = *t;
    ColumnInfo& c = next.columns[col];
    if (c.identity != 0 && ac.kind != Kind::kSetNotNull) {
      Error e(is_default ? SqlState::kSyntaxError : SqlState::kInvalidTableDefinition,
              fmt::format("column \"{}\" of relation \"{}\" is an identity column", ac.column,
                          t->name));
      if (ac.kind == Kind::kDropDefault) {
        e.Hint("Use ALTER TABLE ... ALTER COLUMN ... DROP IDENTITY instead.");
      }
      throw e;
    }
    if (c.generated != 0 && is_default) {  // PostgreSQL's ATExecColumnDefault
      Error e(SqlState::kSyntaxError,
              fmt::format("column \"{}\" of relation \"{}\" is a generated column", ac.column,
                          t->name));
      if (ac.kind == Kind::kDropDefault) {
        e.Hint("Use ALTER TABLE ... ALTER COLUMN ... DROP EXPRESSION instead.");
      }
      throw e;
    }
    switch (ac.kind) {
      case Kind::kDropExpression: {  // PostgreSQL's ATExecDropExpression
        if (c.generated == 0) {
          const std::string msg =
              fmt::format("column \"{}\" of relation \"{}\" is not a stored generated column",
                          ac.column, t->name);
          if (k > 0) continue;
          if (!ac.if_exists) Throw(SqlState::kObjectNotInPrerequisiteState, "{}", msg);
          AddNotice(&pending_notices_, msg + ", skipping");
          continue;
        }
        if (k == 0 && c.inhcount > 0) {
          Throw(SqlState::kInvalidTableDefinition,
                "cannot drop generation expression from inherited column");
        }
        c.generated = 0;
        c.default_sql.reset();
        c.default_sequences.clear();
        break;
      }
      case Kind::kSetDefault:
        c.default_sql = default_sql;
        c.default_sequences = default_sequences;
        break;
      case Kind::kDropDefault:
        c.default_sql.reset();
        c.default_sequences.clear();
        break;
      case Kind::kSetNotNull: {
        if (c.not_null) continue;
        std::string sql =
            fmt::format("SELECT 1 FROM ONLY {}.{} WHERE {} IS NULL LIMIT 1", QuoteIdent(t->schema),
                        QuoteIdent(t->name), QuoteIdent(ac.column));
        if (!RunInternalQuery(sql, txn).empty()) {
          ThrowContainsNulls(*t, ac.column);
        }
        c.not_null = true;
        break;
      }
      case Kind::kDropNotNull: {
        if (std::find(t->primary_key.begin(), t->primary_key.end(), col) != t->primary_key.end()) {
          Throw(SqlState::kInvalidTableDefinition, "column \"{}\" is in a primary key", ac.column);
        }
        if (k == 0 && c.inhcount > 0) {
          for (storage::Oid p : t->parents) {
            auto parent = CatalogView()->FindRelationByOid(p);
            int pc = parent ? parent->ColumnIndex(ac.column) : -1;
            if (pc >= 0 && parent->columns[pc].not_null) {
              Throw(SqlState::kInvalidTableDefinition,
                    "column \"{}\" is marked NOT NULL in parent table", ac.column);
            }
          }
        }
        c.not_null = false;
        break;
      }
    }
    engine_->catalog()->UpdateRelation(txn, std::move(next));
  }
  return Tagged(s.view ? "ALTER VIEW" : "ALTER TABLE");
}

// ---- ALTER COLUMN ADD | SET | DROP IDENTITY ---------------------------------------------------

// PostgreSQL's ATExecAddIdentity, ATExecSetIdentity and ATExecDropIdentity: on the table only
// (they never recurse to inheritance children). pg_dump writes every identity column as a plain
// NOT NULL column followed by ADD GENERATED ... AS IDENTITY (SEQUENCE NAME ... START WITH ...).
QueryResult SessionImpl::AlterColumnIdentity(const ast::AlterTableStatement& s) {
  using Kind = ast::AlterTableStatement::AlterColumn::Kind;
  const auto& ac = *s.alter_column;
  std::string schema;
  auto table = LockAlterTarget(s,
                               ac.kind == Kind::kAddIdentity    ? "ALTER COLUMN ... ADD GENERATED"
                               : ac.kind == Kind::kDropIdentity ? "ALTER COLUMN ... DROP IDENTITY"
                                                                : "ALTER COLUMN ... SET GENERATED",
                               storage::LockMode::kAccessExclusive, &schema);
  if (!table) return Tagged("ALTER TABLE");
  const int col = table->ColumnIndex(ac.column);
  if (col < 0) {
    Throw(SqlState::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", ac.column,
          table->name);
  }
  const ColumnInfo& c = table->columns[col];
  storage::CatalogTxn* txn = CatalogStatementTxn();
  auto column_error = [&](const char* what) {
    Throw(SqlState::kObjectNotInPrerequisiteState, "column \"{}\" of relation \"{}\" {}", ac.column,
          table->name, what);
  };
  // The sequence that generates the column's values.
  auto identity_sequence = [&]() -> std::shared_ptr<const TableInfo> {
    for (const auto& [key, t] : CatalogView()->tables) {
      if (std::get<0>(key) == db_.oid && t->is_sequence() && t->sequence->identity &&
          t->sequence->owner_table == table->oid && t->sequence->owner_column == col) {
        return t;
      }
    }
    Throw(SqlState::kInternalError, "identity column \"{}\" of relation \"{}\" has no sequence",
          ac.column, table->name);
  };
  TableInfo next = *table;
  ColumnInfo& nc = next.columns[col];
  switch (ac.kind) {
    case Kind::kAddIdentity: {
      if (!c.not_null) column_error("must be declared NOT NULL before identity can be added");
      if (c.identity != 0) column_error("is already an identity column");
      if (c.default_sql) column_error("already has a default value");
      ast::ColumnDef def;
      def.name = c.name;
      def.identity = ac.identity;
      def.identity_options = ac.identity_options;
      std::set<std::string> taken{next.name};
      std::optional<ColumnSequence> sequence =
          PrepareColumnSequence(ast::CreateTableStatement{}, def, col, &next, &taken);
      CreateColumnSequences(next, {*sequence});
      break;
    }
    case Kind::kSetIdentity: {
      if (c.identity == 0) column_error("is not an identity column");
      if (!ac.identity_options.empty()) {
        auto seq = identity_sequence();
        txn->LockRelation(seq->oid, storage::LockMode::kShareRowExclusive);
        ApplySequenceOptions(seq, ac.identity_options);
      }
      if (ac.identity != 0 && ac.identity != c.identity) {
        nc.identity = ac.identity;
        engine_->catalog()->UpdateRelation(txn, std::move(next));
      }
      break;
    }
    case Kind::kDropIdentity: {
      if (c.identity == 0) {
        if (!ac.if_exists) column_error("is not an identity column");
        AddNotice(&pending_notices_,
                  fmt::format("column \"{}\" of relation \"{}\" is not an identity column, "
                              "skipping",
                              ac.column, table->name));
        break;
      }
      auto seq = identity_sequence();
      nc.identity = 0;
      nc.default_sql.reset();
      nc.default_sequences.clear();
      engine_->catalog()->UpdateRelation(txn, std::move(next));
      txn->LockRelation(seq->oid, storage::LockMode::kAccessExclusive);
      sequences_.DropCache(seq->oid);
      engine_->catalog()->DropTable(txn, db_.oid, seq->schema, seq->name);
      break;
    }
    default:
      Throw(SqlState::kInternalError, "not an identity action");
  }
  return Tagged("ALTER TABLE");
}

// ---- RENAME ---------------------------------------------------------------------------------

QueryResult SessionImpl::AlterRename(const ast::AlterTableStatement& s) {
  using Kind = ast::AlterTableStatement::Rename::Kind;
  const auto& r = *s.rename;
  if (r.kind == Kind::kTable) return RenameRelation(s);
  std::string schema;
  auto table = FindAndLockTable(s.table, &schema, storage::LockMode::kAccessExclusive);
  if (!table) {
    if (s.if_exists) {
      AddNotice(&pending_notices_,
                fmt::format("relation \"{}\" does not exist, skipping", s.table.name()));
      return Tagged("ALTER TABLE");
    }
    Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", s.table.name());
  }
  CheckTableOwner(*table);
  storage::CatalogTxn* txn = CatalogStatementTxn();
  auto* catalog = engine_->catalog();
  if (table->is_sequence() || (table->is_view && r.kind == Kind::kConstraint)) {
    throw Error(SqlState::kWrongObjectType, fmt::format("\"{}\" is not a table", table->name));
  }
  if (r.kind == Kind::kConstraint) {
    TableInfo next = *table;
    std::set<std::string> names = ConstraintNames(*table);
    if (!names.count(r.from)) {
      Throw(SqlState::kUndefinedObject, "constraint \"{}\" for table \"{}\" does not exist", r.from,
            table->name);
    }
    // A key constraint is renamed with its index, which meets another relation's name first
    // (PostgreSQL's rename_constraint_internal: 42P07 before 42710).
    const bool keyed =
        (!table->primary_key.empty() && table->PrimaryKeyName() == r.from) ||
        std::any_of(table->indexes.begin(), table->indexes.end(), [&](const storage::IndexInfo& i) {
          return i.is_constraint && i.name == r.from;
        });
    if (keyed) {
      auto snap = CatalogView();
      if (snap->FindTable(db_.oid, schema, r.to) || snap->FindIndexOwner(db_.oid, schema, r.to)) {
        Throw(SqlState::kDuplicateTable, "relation \"{}\" already exists", r.to);
      }
    }
    if (names.count(r.to)) {
      Throw(SqlState::kDuplicateObject, "constraint \"{}\" for relation \"{}\" already exists",
            r.to, table->name);
    }
    for (auto& c : next.checks) {
      if (c.name != r.from) continue;
      if (c.inhcount > 0) {
        Throw(SqlState::kInvalidTableDefinition, "cannot rename inherited constraint \"{}\"",
              r.from);
      }
      c.name = r.to;
      catalog->UpdateRelation(txn, std::move(next));
      // The children's inherited copies follow.
      for (const auto& d : InheritanceDescendants(*table)) {
        txn->LockRelation(d->oid, storage::LockMode::kAccessExclusive);
        auto child = CatalogView()->FindRelationByOid(d->oid);
        TableInfo moved = *child;
        bool changed = false;
        for (auto& k : moved.checks) {
          if (k.name == r.from && k.inhcount > 0) {
            k.name = r.to;
            changed = true;
          }
        }
        if (changed) catalog->UpdateRelation(txn, std::move(moved));
      }
      return Tagged("ALTER TABLE");
    }
    for (auto& fk : next.foreign_keys) {
      if (fk.name != r.from) continue;
      fk.name = r.to;
      catalog->UpdateRelation(txn, std::move(next));
      return Tagged("ALTER TABLE");
    }
    for (auto& idx : next.indexes) {
      if (idx.name != r.from || !idx.is_constraint) continue;
      idx.name = r.to;  // (the relation name was checked above)
      catalog->UpdateRelation(txn, std::move(next));
      return Tagged("ALTER TABLE");
    }
    if (!next.primary_key.empty() && next.PrimaryKeyName() == r.from) {
      // The primary key's constraint and index share the name (TableInfo::pkey_name).
      next.pkey_name = r.to;
      catalog->UpdateRelation(txn, std::move(next));
      return Tagged("ALTER TABLE");
    }
    Throw(SqlState::kFeatureNotSupported,
          "renaming the primary key constraint \"{}\" is not supported yet", r.from);
  }
  // RENAME COLUMN: the table and its descendants (PostgreSQL's renameatt_internal).
  int col = table->ColumnIndex(r.from);
  if (col < 0) Throw(SqlState::kUndefinedColumn, "column \"{}\" does not exist", r.from);
  std::vector<std::shared_ptr<const TableInfo>> targets{table};
  auto descendants =
      table->is_view ? decltype(InheritanceDescendants(*table)){} : InheritanceDescendants(*table);
  if (!descendants.empty() && s.only) {
    Throw(SqlState::kInvalidTableDefinition,
          "inherited column \"{}\" must be renamed in child tables too", r.from);
  }
  if (table->columns[col].inhcount > 0) {
    Throw(SqlState::kInvalidTableDefinition, "cannot rename inherited column \"{}\"", r.from);
  }
  CheckNotSystemColumn(r.to);
  for (const auto& d : descendants) {
    txn->LockRelation(d->oid, storage::LockMode::kAccessExclusive);
    targets.push_back(CatalogView()->FindRelationByOid(d->oid));
  }
  for (const auto& t : targets) {
    if (t->ColumnIndex(r.to) >= 0) {
      Throw(SqlState::kDuplicateColumn, "column \"{}\" of relation \"{}\" already exists", r.to,
            t->name);
    }
    // Views store their query as text: a view over a renamed column would break.
    if (auto views = ViewsReading(*t); !views.empty()) {
      Throw(SqlState::kFeatureNotSupported,
            "renaming a column of \"{}\", which view \"{}\" reads, is not supported yet", t->name,
            views[0]);
    }
    if (t->is_view) {
      Throw(SqlState::kFeatureNotSupported, "renaming a column of a view is not supported yet");
    }
  }
  for (const auto& t : targets) {
    TableInfo next = *t;
    int c = next.ColumnIndex(r.from);
    if (c < 0) continue;
    for (const auto& idx : next.indexes) {
      bool in_text = StoredRefersTo(idx.predicate, r.from);
      for (const std::string& e : idx.expressions) in_text = in_text || StoredRefersTo(e, r.from);
      if (in_text) {
        Throw(SqlState::kFeatureNotSupported,
              "renaming column \"{}\", which index \"{}\" uses in an expression, is not "
              "supported yet",
              r.from, idx.name);
      }
    }
    next.columns[c].name = r.to;
    for (auto& check : next.checks) {
      ast::ExprPtr e = ParseStored(check.expr);
      if (RenameRefs(e.get(), r.from, r.to)) check.expr = DeparseExpr(*e);
    }
    for (auto& column : next.columns) {
      if (column.generated == 0 || !column.default_sql) continue;
      ast::ExprPtr e = ParseStored(*column.default_sql);
      if (RenameRefs(e.get(), r.from, r.to)) column.default_sql = DeparseExpr(*e);
    }
    for (auto& trigger : next.triggers) {
      if (trigger.when.empty()) continue;
      ast::ExprPtr e = ParseStored(trigger.when);
      if (RenameRefs(e.get(), r.from, r.to)) trigger.when = DeparseExpr(*e);
    }
    catalog->UpdateRelation(txn, std::move(next));
  }
  return Tagged("ALTER TABLE");
}

QueryResult SessionImpl::RenameRelation(const ast::AlterTableStatement& s) {
  const std::string& to = s.rename->to;
  const std::string tag = "ALTER TABLE";
  storage::CatalogTxn* txn = CatalogStatementTxn();
  auto* catalog = engine_->catalog();
  auto name_taken = [&](const std::string& schema) {
    auto snap = CatalogView();
    if (snap->FindTable(db_.oid, schema, to) || snap->FindIndexOwner(db_.oid, schema, to)) {
      Throw(SqlState::kDuplicateTable, "relation \"{}\" already exists", to);
    }
    for (const auto& [key, t] : snap->tables) {
      if (std::get<0>(key) == db_.oid && std::get<1>(key) == schema && !t->primary_key.empty() &&
          t->PrimaryKeyName() == to) {
        Throw(SqlState::kDuplicateTable, "relation \"{}\" already exists", to);
      }
    }
  };
  std::string schema;
  auto table = FindTable(s.table, &schema);
  if (!table) {
    // An index (ALTER TABLE renames one, as PostgreSQL allows).
    auto snap = CatalogView();
    std::vector<std::string> schemas;
    if (s.table.parts.size() >= 2) {
      schemas.push_back(ResolveSchemaName(s.table.parts[s.table.parts.size() - 2]));
    } else {
      schemas = LookupPath(*snap);
    }
    std::shared_ptr<const TableInfo> owner;
    for (const auto& sch : schemas) {
      if ((owner = snap->FindIndexOwner(db_.oid, sch, s.table.name()))) {
        schema = sch;
        break;
      }
    }
    if (!owner) {
      if (s.if_exists) {
        AddNotice(&pending_notices_,
                  fmt::format("relation \"{}\" does not exist, skipping", s.table.name()));
        return Tagged(tag);
      }
      Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", s.table.name());
    }
    txn->LockRelation(owner->oid, storage::LockMode::kAccessExclusive);
    owner = CatalogView()->FindRelationByOid(owner->oid);
    CheckTableOwner(*owner);
    name_taken(schema);
    TableInfo next = *owner;
    for (auto& idx : next.indexes) {
      if (idx.name != s.table.name()) continue;
      idx.name = to;
      catalog->UpdateRelation(txn, std::move(next));
      return Tagged(tag);
    }
    if (!next.primary_key.empty() && next.PrimaryKeyName() == s.table.name()) {
      next.pkey_name = to;  // the primary key's index, and with it its constraint
      catalog->UpdateRelation(txn, std::move(next));
      return Tagged(tag);
    }
    Throw(SqlState::kFeatureNotSupported,
          "renaming the primary key index \"{}\" is not supported yet", s.table.name());
  }
  table = FindAndLockTable(s.table, &schema, storage::LockMode::kAccessExclusive);
  CheckTableOwner(*table);
  if (table->is_sequence()) {
    Throw(SqlState::kFeatureNotSupported, "renaming sequence \"{}\" is not supported yet",
          table->name);
  }
  // Views keep their query as text, which names the relation.
  if (auto views = ViewsReading(*table); !views.empty()) {
    Throw(SqlState::kFeatureNotSupported,
          "renaming \"{}\", which view \"{}\" reads, is not supported yet", table->name, views[0]);
  }
  name_taken(schema);
  if (CatalogView()->FindType(db_.oid, schema, to)) {
    Throw(SqlState::kDuplicateObject, "type \"{}\" already exists", to);
  }
  TableInfo next = *table;
  // The primary key's constraint and index keep their name (PostgreSQL renames neither).
  if (!next.primary_key.empty()) next.pkey_name = next.PrimaryKeyName();
  next.name = to;
  catalog->UpdateRelation(txn, std::move(next));
  return Tagged(tag);
}

}  // namespace activestore::executor
