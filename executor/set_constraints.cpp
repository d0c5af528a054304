// SET CONSTRAINTS and the deferred constraint checks of a session's transaction
// (executor/deferred_constraints.h): PostgreSQL 15's AfterTriggerSetState and the firing of
// the deferred queue at commit.
#include <fmt/format.h>

#include "common/error.h"
#include "executor/foreign_keys.h"
#include "executor/session.h"

namespace activestore::executor {

void SessionImpl::FireDeferredConstraints(storage::Transaction* txn,
                                          const std::set<storage::Oid>* constraints) {
  if (txn == nullptr || !deferred_.HasPending()) return;
  ExecContext ctx = MakeExecContext(txn, {});
  ExecState st(ctx);
  CheckDeferredForeignKeys(st, constraints);
}

QueryResult SessionImpl::RunSetConstraints(const ast::SetStatement& s) {
  QueryResult result = Tagged("SET CONSTRAINTS");
  // Outside a transaction block the modes would end with the statement: PostgreSQL warns
  // (WarnNoTransactionBlock) and the statement has no effect. A multi-statement query's
  // implicit transaction is a block for it.
  if (status_ == TxnStatus::kIdle && !implicit_multi_) {
    pending_notices_.push_back(
        Notice{"WARNING", "25P01", "SET CONSTRAINTS can only be used in transaction blocks"});
    return result;
  }
  if (s.constraint_names.empty()) {
    deferred_.SetAll(s.constraints_deferred);
    if (!s.constraints_deferred) FireDeferredConstraints(StatementTxn(), nullptr);
    return result;
  }
  // Each name: the constraints of that name in its schema, or in the first schema of the
  // search path that has one (PostgreSQL's AfterTriggerSetState). Only foreign keys can be
  // deferrable here; naming another constraint as DEFERRED is 55000.
  std::shared_ptr<const storage::CatalogSnapshot> snap = CatalogView();
  std::set<storage::Oid> targets;
  for (const ast::QualifiedName& q : s.constraint_names) {
    std::vector<std::string> schemas;
    if (q.parts.size() > 1) {
      if (q.parts.size() > 3) {
        Throw(SqlState::kSyntaxError, "improper qualified name (too many dotted names): {}",
              fmt::join(q.parts, "."));
      }
      if (q.parts.size() == 3 && q.parts[0] != db_.name) {
        Throw(SqlState::kFeatureNotSupported, "cross-database references are not implemented: {}",
              fmt::join(q.parts, "."));
      }
      schemas.push_back(ResolveSchemaName(q.parts[q.parts.size() - 2]));
      if (snap->FindSchema(db_.oid, schemas.back()) == nullptr) {
        Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", schemas.back());
      }
    } else {
      schemas = LookupPath(*snap);
    }
    const std::string& name = q.name();
    bool found = false;
    for (const std::string& schema : schemas) {
      for (const auto& [key, t] : snap->tables) {
        if (std::get<0>(key) != db_.oid || t->schema != schema) continue;
        auto named = [&](bool deferrable, storage::Oid oid) {
          found = true;
          if (deferrable) {
            targets.insert(oid);
          } else if (s.constraints_deferred) {
            Throw(SqlState::kWrongObjectType, "constraint \"{}\" is not deferrable", name);
          }
        };
        for (const storage::ForeignKeyInfo& fk : t->foreign_keys) {
          if (fk.name == name) named(fk.deferrable, fk.oid);
        }
        for (const storage::CheckConstraintInfo& c : t->checks) {
          if (c.name == name) named(false, c.oid);
        }
        for (const storage::IndexInfo& i : t->indexes) {
          if (i.is_constraint && i.name == name) named(false, i.constraint_oid);
        }
        if (!t->primary_key.empty() && t->PrimaryKeyName() == name) {
          named(false, t->pkey_constraint_oid);
        }
      }
      if (found) break;
    }
    if (!found) Throw(SqlState::kUndefinedObject, "constraint \"{}\" does not exist", name);
  }
  for (storage::Oid oid : targets) deferred_.Set(oid, s.constraints_deferred);
  if (!s.constraints_deferred) FireDeferredConstraints(StatementTxn(), &targets);
  return result;
}

}  // namespace activestore::executor
