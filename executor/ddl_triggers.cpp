// CREATE [OR REPLACE] [CONSTRAINT] TRIGGER, DROP TRIGGER, ALTER TRIGGER ... RENAME TO and ALTER
// TABLE ... ENABLE / DISABLE TRIGGER (docs/design/2026-12-06-plpgsql.md, "Triggers"). A
// trigger is part of its relation's catalog row (storage::TableInfo::triggers), so it is
// created and dropped in the statement's transaction and goes with the relation.
#include <algorithm>

#include "common/error.h"
#include "executor/deparse.h"
#include "executor/plpgsql.h"
#include "executor/session.h"
#include "executor/triggers.h"
#include "parser/ast_function.h"
#include "parser/ast_trigger.h"
#include "parser/parser.h"
#include "planner/planner.h"

namespace activestore::executor {

namespace {

using Trig = storage::TriggerInfo;
static_assert(Trig::kRow == ast::trigger_type::kRow &&
              Trig::kBefore == ast::trigger_type::kBefore &&
              Trig::kInsert == ast::trigger_type::kInsert &&
              Trig::kDelete == ast::trigger_type::kDelete &&
              Trig::kUpdate == ast::trigger_type::kUpdate &&
              Trig::kTruncate == ast::trigger_type::kTruncate &&
              Trig::kInstead == ast::trigger_type::kInstead);

std::string QualifiedText(const ast::QualifiedName& n) {
  std::string out;
  for (size_t i = 0; i < n.parts.size(); ++i) out += (i ? "." : "") + n.parts[i];
  return out;
}

Error WrongObject(const storage::TableInfo& t, const char* detail) {
  Error e(SqlState::kWrongObjectType,
          fmt::format("\"{}\" is a {}", t.name, t.is_view ? "view" : "table"));
  e.Detail(detail);
  return e;
}

// The references to NEW and OLD in a WHEN condition checked as PostgreSQL's
// CreateTriggerFiringOn checks them, in the order they are written, each error at the
// reference.
void CheckWhenReferences(const ast::Expr& e, const ast::CreateTriggerStatement& s,
                         const storage::TableInfo& t) {
  if (e.kind == ast::ExprKind::kColumnRef && !e.names.empty() &&
      (e.names[0] == "new" || e.names[0] == "old")) {
    const bool is_new = e.names[0] == "new";
    auto fail = [&](SqlState state, const char* message) {
      Error err(state, message);
      if (e.location >= 0) err.Position(e.location + 1);
      throw err;
    };
    if (!s.for_each_row) {
      fail(SqlState::kInvalidObjectDefinition,
           "statement trigger's WHEN condition cannot reference column values");
    }
    if (!is_new && (s.events & Trig::kInsert) != 0) {
      fail(SqlState::kInvalidObjectDefinition,
           "INSERT trigger's WHEN condition cannot reference OLD values");
    }
    if (is_new && (s.events & Trig::kDelete) != 0) {
      fail(SqlState::kInvalidObjectDefinition,
           "DELETE trigger's WHEN condition cannot reference NEW values");
    }
    static const char* const kSystemColumns[] = {"tableoid", "ctid", "xmin",
                                                 "xmax",     "cmin", "cmax"};
    if (e.names.size() == 2 && std::find(std::begin(kSystemColumns), std::end(kSystemColumns),
                                         e.names[1]) != std::end(kSystemColumns)) {
      if (is_new && s.timing == Trig::kBefore) {
        fail(SqlState::kFeatureNotSupported,
             "BEFORE trigger's WHEN condition cannot reference NEW system columns");
      }
      fail(SqlState::kFeatureNotSupported,
           "system columns in a trigger's WHEN condition are not supported yet");
    }
    // A BEFORE trigger runs before the generated columns are computed.
    if (is_new && s.timing == Trig::kBefore) {
      const bool any_generated = std::any_of(t.columns.begin(), t.columns.end(),
                                             [](const auto& c) { return c.generated != 0; });
      const int ord = e.names.size() == 2 && !e.star ? t.ColumnIndex(e.names[1]) : -1;
      std::optional<std::string> detail;
      if (any_generated && (e.names.size() == 1 || e.star)) {
        detail = "A whole-row reference is used and the table contains generated columns.";
      } else if (ord >= 0 && t.columns[ord].generated != 0) {
        detail = fmt::format("Column \"{}\" is a generated column.", e.names[1]);
      }
      if (detail) {
        Error err(SqlState::kInvalidObjectDefinition,
                  "BEFORE trigger's WHEN condition cannot reference NEW generated columns");
        err.Detail(*detail);
        if (e.location >= 0) err.Position(e.location + 1);
        throw err;
      }
    }
  }
  for (const ast::ExprPtr& a : e.args) {
    if (a) CheckWhenReferences(*a, s, t);
  }
  for (const ast::ExprPtr& a : e.when_then) {
    if (a) CheckWhenReferences(*a, s, t);
  }
  if (e.else_expr) CheckWhenReferences(*e.else_expr, s, t);
}

// The WHEN condition planned as it will run (`SELECT cond` with NEW.col and OLD.col as
// parameters): it must be boolean (42804).
void CheckWhen(const ast::CreateTriggerStatement& s, const storage::TableInfo& t,
               const std::string& when, planner::PlannerContext pctx) {
  CheckWhenReferences(*s.when, s, t);
  for (const char* which : {"new", "old"}) {
    for (const storage::ColumnInfo& c : t.columns) {
      pctx.param_names.push_back(std::string(which) + "." + c.name);
      pctx.param_types.push_back(c.type);
    }
  }
  pctx.fixed_params = true;
  planner::PlanPtr plan;
  try {
    plan = planner::PlanStatement(*ParseTriggerWhen(when, t), pctx);
  } catch (Error& e) {
    e.position.reset();
    throw;
  }
  if (plan->output_types.size() != 1 ||
      (plan->output_types[0].id != TypeId::kBool && plan->output_types[0].id != TypeId::kUnknown)) {
    Throw(SqlState::kDatatypeMismatch, "argument of WHEN must be type boolean, not type {}",
          plan->output_types.empty() ? "record" : TypeName(plan->output_types[0]));
  }
}

// The trigger statements' relation that is not there: 42P01, or with IF EXISTS a NOTICE and
// the command's tag.
QueryResult MissingRelation(const ast::QualifiedName& name, bool if_exists,
                            std::vector<Notice>* notices, const char* tag) {
  // The name as written (schema-qualified if it was), as PostgreSQL's RangeVarGetRelid says it.
  std::string written;
  for (const std::string& p : name.parts) written += (written.empty() ? "" : ".") + p;
  if (!if_exists) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", written);
  notices->push_back(
      Notice{"NOTICE", "00000", fmt::format("relation \"{}\" does not exist, skipping", written)});
  QueryResult r;
  r.command_tag = tag;
  return r;
}

}  // namespace

QueryResult SessionImpl::CreateTrigger(const ast::CreateTriggerStatement& s) {
  std::string schema;
  auto table = FindAndLockTable(s.table, &schema, storage::LockMode::kShareRowExclusive);
  if (!table) MissingRelation(s.table, false, nullptr, "");
  if (table->is_sequence()) {
    throw Error(SqlState::kWrongObjectType,
                fmt::format("relation \"{}\" cannot have triggers", table->name))
        .Detail("This operation is not supported for sequences.");
  }
  CheckTablePrivilege(*table, storage::acl::kTrigger);
  const bool row = s.for_each_row;
  if (table->is_view) {
    if (s.timing != Trig::kInstead && row) {
      throw WrongObject(*table, "Views cannot have row-level BEFORE or AFTER triggers.");
    }
    if ((s.events & Trig::kTruncate) != 0) {
      throw WrongObject(*table, "Views cannot have TRUNCATE triggers.");
    }
  } else if (s.timing == Trig::kInstead) {
    throw WrongObject(*table, "Tables cannot have INSTEAD OF triggers.");
  }
  if ((s.events & Trig::kTruncate) != 0 && row) {
    Throw(SqlState::kFeatureNotSupported, "TRUNCATE FOR EACH ROW triggers are not supported");
  }
  if (s.timing == Trig::kInstead) {
    if (!row) Throw(SqlState::kFeatureNotSupported, "INSTEAD OF triggers must be FOR EACH ROW");
    if (s.when) {
      Throw(SqlState::kFeatureNotSupported, "INSTEAD OF triggers cannot have WHEN conditions");
    }
    if (!s.update_columns.empty()) {
      Throw(SqlState::kFeatureNotSupported, "INSTEAD OF triggers cannot have column lists");
    }
  }
  if (s.referencing_row) {
    throw Error(SqlState::kFeatureNotSupported,
                "ROW variable naming in the REFERENCING clause is not supported")
        .Hint("Use OLD TABLE or NEW TABLE for naming transition tables.");
  }
  if (!s.old_table.empty() || !s.new_table.empty()) {
    // PostgreSQL's rules for transition tables (CreateTriggerFiringOn).
    if (table->is_view)
      throw WrongObject(*table, "Triggers on views cannot have transition tables.");
    if (row && !table->parents.empty()) {
      Throw(SqlState::kFeatureNotSupported,
            "ROW triggers with transition tables are not supported on inheritance children");
    }
    if (s.timing != 0) {
      Throw(SqlState::kInvalidObjectDefinition,
            "transition table name can only be specified for an AFTER trigger");
    }
    if ((s.events & Trig::kTruncate) != 0) {
      Throw(SqlState::kFeatureNotSupported,
            "TRUNCATE triggers with transition tables are not supported");
    }
    const int events = ((s.events & Trig::kInsert) != 0) + ((s.events & Trig::kUpdate) != 0) +
                       ((s.events & Trig::kDelete) != 0);
    if (events != 1) {
      Throw(SqlState::kFeatureNotSupported,
            "transition tables cannot be specified for triggers with more than one event");
    }
    if (!s.update_columns.empty()) {
      Throw(SqlState::kFeatureNotSupported,
            "transition tables cannot be specified for triggers with column lists");
    }
    if (s.constraint) {
      Throw(SqlState::kFeatureNotSupported,
            "transition tables cannot be specified for constraint triggers");
    }
    if (!s.new_table.empty() && (s.events & (Trig::kInsert | Trig::kUpdate)) == 0) {
      Throw(SqlState::kInvalidObjectDefinition,
            "NEW TABLE can only be specified for an INSERT or UPDATE trigger");
    }
    if (!s.old_table.empty() && (s.events & (Trig::kDelete | Trig::kUpdate)) == 0) {
      Throw(SqlState::kInvalidObjectDefinition,
            "OLD TABLE can only be specified for a DELETE or UPDATE trigger");
    }
    if (s.old_table == s.new_table) {
      Throw(SqlState::kInvalidObjectDefinition,
            "OLD TABLE name and NEW TABLE name cannot be the same");
    }
  }
  if (s.constraint && (s.deferrable || s.initially_deferred)) {
    Throw(SqlState::kFeatureNotSupported, "deferrable constraint triggers are not supported yet");
  }
  if (s.from_table) {
    Throw(SqlState::kFeatureNotSupported,
          "constraint triggers with FROM referenced table are not supported yet");
  }
  // The function: f() returning trigger.
  ast::RoutineSignature sig;
  sig.name = s.function;
  sig.args_given = true;
  std::shared_ptr<const storage::FunctionInfo> fn;
  try {
    fn = FindRoutine(sig, false, false);
  } catch (const Error& e) {
    if (e.state() != SqlState::kWrongObjectType) throw;
    Throw(SqlState::kUndefinedFunction, "function {}() does not exist", QualifiedText(s.function));
  }
  if (fn->return_type.id != kTriggerType) {
    Throw(SqlState::kInvalidObjectDefinition, "function {} must return type trigger",
          QualifiedText(s.function));
  }
  Trig info;
  info.name = s.name;
  info.function = fn->oid;
  info.type = static_cast<int16_t>(s.timing | s.events | (row ? Trig::kRow : 0));
  info.is_constraint = s.constraint;
  info.args = s.args;
  info.old_table = s.old_table;
  info.new_table = s.new_table;
  for (const std::string& c : s.update_columns) {
    const int idx = table->ColumnIndex(c);
    if (idx < 0) {
      Throw(SqlState::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", c,
            table->name);
    }
    if (std::find(info.columns.begin(), info.columns.end(), idx) != info.columns.end()) {
      Throw(SqlState::kDuplicateColumn, "column \"{}\" specified more than once", c);
    }
    info.columns.push_back(idx);
  }
  if (s.when) {
    info.when = DeparseExpr(*s.when);
    CheckWhen(s, *table, info.when, MakePlannerContext());
  }
  storage::TableInfo next = *table;
  auto same = std::find_if(next.triggers.begin(), next.triggers.end(),
                           [&](const Trig& t) { return t.name == s.name; });
  if (same != next.triggers.end()) {
    if (!s.or_replace) {
      Throw(SqlState::kDuplicateObject, "trigger \"{}\" for relation \"{}\" already exists", s.name,
            table->name);
    }
    if (same->is_constraint || s.constraint) {
      Throw(SqlState::kDuplicateObject,
            "trigger \"{}\" for relation \"{}\" is a constraint trigger", s.name, table->name);
    }
    info.oid = same->oid;  // CREATE OR REPLACE keeps the trigger's oid, as PostgreSQL
    info.enabled = same->enabled;
    *same = std::move(info);
  } else {
    next.triggers.push_back(std::move(info));
  }
  engine_->catalog()->UpdateRelation(CatalogStatementTxn(), std::move(next));
  return Tagged("CREATE TRIGGER");
}

QueryResult SessionImpl::DropTrigger(const ast::DropTriggerStatement& s) {
  std::string schema;
  auto table = FindAndLockTable(s.table, &schema, storage::LockMode::kAccessExclusive);
  if (!table) {
    if (DropSchemaMissing(s.table, s.if_exists)) return Tagged("DROP TRIGGER");
    return MissingRelation(s.table, s.if_exists, &pending_notices_, "DROP TRIGGER");
  }
  storage::TableInfo next = *table;
  auto it = std::find_if(next.triggers.begin(), next.triggers.end(),
                         [&](const Trig& t) { return t.name == s.name; });
  if (it == next.triggers.end()) {
    if (s.if_exists) {
      pending_notices_.push_back(
          Notice{"NOTICE", "00000",
                 fmt::format("trigger \"{}\" for relation \"{}\" does not exist, skipping", s.name,
                             table->name)});
      return Tagged("DROP TRIGGER");
    }
    Throw(SqlState::kUndefinedObject, "trigger \"{}\" for table \"{}\" does not exist", s.name,
          table->name);
  }
  CheckTableOwner(*table);
  next.triggers.erase(it);
  engine_->catalog()->UpdateRelation(CatalogStatementTxn(), std::move(next));
  return Tagged("DROP TRIGGER");
}

QueryResult SessionImpl::AlterTrigger(const ast::AlterTriggerStatement& s) {
  std::string schema;
  auto table = FindAndLockTable(s.table, &schema, storage::LockMode::kAccessExclusive);
  if (!table) MissingRelation(s.table, false, nullptr, "");
  CheckTableOwner(*table);
  storage::TableInfo next = *table;
  auto find = [&](const std::string& name) {
    return std::find_if(next.triggers.begin(), next.triggers.end(),
                        [&](const Trig& t) { return t.name == name; });
  };
  if (find(s.new_name) != next.triggers.end()) {
    Throw(SqlState::kDuplicateObject, "trigger \"{}\" for relation \"{}\" already exists",
          s.new_name, table->name);
  }
  auto it = find(s.name);
  if (it == next.triggers.end()) {
    Throw(SqlState::kUndefinedObject, "trigger \"{}\" for table \"{}\" does not exist", s.name,
          table->name);
  }
  it->name = s.new_name;
  engine_->catalog()->UpdateRelation(CatalogStatementTxn(), std::move(next));
  return Tagged("ALTER TRIGGER");
}

QueryResult SessionImpl::AlterTableTriggers(const ast::AlterTableStatement& s) {
  const ast::AlterTableStatement::TriggerToggle& t = *s.trigger_toggle;
  std::string schema;
  auto table = FindAndLockTable(s.table, &schema, storage::LockMode::kShareRowExclusive);
  if (!table) return MissingRelation(s.table, s.if_exists, &pending_notices_, "ALTER TABLE");
  CheckTableOwner(*table);
  storage::TableInfo next = *table;
  if (t.all && t.enabled == 'D' &&
      (!table->foreign_keys.empty() ||
       !CatalogView()->ReferencingForeignKeys(table->oid).empty())) {
    // PostgreSQL's ALL also switches off the foreign key triggers; ActiveStore checks foreign
    // keys without triggers and cannot switch them off.
    Throw(SqlState::kFeatureNotSupported,
          "DISABLE TRIGGER ALL on a table with foreign keys is not supported (they would stay "
          "enforced)");
  }
  if (t.name.empty()) {
    // ALL and USER: the user's triggers (foreign keys are not triggers here).
    for (Trig& g : next.triggers) g.enabled = t.enabled;
  } else {
    auto it = std::find_if(next.triggers.begin(), next.triggers.end(),
                           [&](const Trig& g) { return g.name == t.name; });
    if (it == next.triggers.end()) {
      Throw(SqlState::kUndefinedObject, "trigger \"{}\" for table \"{}\" does not exist", t.name,
            table->name);
    }
    it->enabled = t.enabled;
  }
  engine_->catalog()->UpdateRelation(CatalogStatementTxn(), std::move(next));
  return Tagged("ALTER TABLE");
}

}  // namespace activestore::executor
