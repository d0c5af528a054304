// COMMENT ON object IS 'text' | NULL: the comment is part of the object's catalog entry
// (storage/catalog.h: TableInfo::comments, ColumnInfo::comment, SchemaInfo::comment, ...), so it
// is written, rolled back and dropped with the object, and pg_description / pg_shdescription
// (planner/pg_catalog/descriptions.cpp) read it from there. An empty text removes the comment,
// as PostgreSQL's CreateComments does. The checks and errors follow PostgreSQL's
// get_object_address and check_object_ownership.
#include <fmt/format.h>

#include "common/builtin_catalog.h"
#include "common/types.h"
#include "executor/session.h"
#include "parser/ast_comment.h"
#include "planner/pg_catalog/system_relation.h"

namespace activestore::executor {
namespace {

using Target = ast::CommentStatement::Target;

// Sets (or with an empty text removes) the comment keyed `oid` of a relation.
void SetComment(std::map<storage::Oid, std::string>* comments, storage::Oid oid,
                const std::string& text) {
  if (text.empty()) {
    comments->erase(oid);
  } else {
    (*comments)[oid] = text;
  }
}

[[noreturn]] void PermissionDenied(const std::string& message) {
  throw Error(SqlState::kInsufficientPrivilege, message);
}

[[noreturn]] void BuiltinObject(const std::string& what) {
  Throw(SqlState::kFeatureNotSupported, "COMMENT ON {} is not supported: it is a built-in object",
        what);
}

// The name of the relation of a COMMENT ON COLUMN (all parts but the last).
ast::QualifiedName RelationOfColumn(const ast::QualifiedName& name) {
  if (name.parts.size() < 2) Throw(SqlState::kSyntaxError, "column name must be qualified");
  ast::QualifiedName rel = name;
  rel.parts.pop_back();
  if (rel.parts.size() > 3) {
    std::string joined;
    for (const std::string& p : rel.parts) joined += (joined.empty() ? "" : ".") + p;
    Throw(SqlState::kSyntaxError, "improper relation name (too many dotted names): {}", joined);
  }
  return rel;
}

}  // namespace

QueryResult SessionImpl::Comment(const ast::CommentStatement& s) {
  storage::CatalogTxn* txn = CatalogStatementTxn();
  storage::Catalog* catalog = engine_->catalog();
  const std::string text = s.text.value_or("");
  auto snap = CatalogView();
  const bool super = CurrentIsSuperuser();
  auto require_owner = [&](storage::Oid owner, const std::string& what) {
    if (!super && !storage::HasPrivsOfRole(*snap, user_oid_, owner, DatabaseOwner())) {
      PermissionDenied("must be owner of " + what);
    }
  };
  // The relation a comment is on (or the one that holds the object it is on), locked as
  // PostgreSQL's get_object_address locks it.
  auto relation = [&](const ast::QualifiedName& name) {
    std::string schema;
    auto t = FindAndLockTable(name, &schema, storage::LockMode::kShareUpdateExclusive);
    if (t == nullptr) {
      const bool catalog_schema = name.parts.size() < 2 || name.parts.front() == "pg_catalog" ||
                                  name.parts[name.parts.size() - 2] == "pg_catalog";
      if (catalog_schema && planner::pg_catalog::FindSystemRelation(name.name()) != nullptr) {
        BuiltinObject("relation \"" + name.name() + "\"");
      }
      Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", name.name());
    }
    return t;
  };

  switch (s.target) {
    case Target::kTable:
    case Target::kView:
    case Target::kSequence: {
      auto t = relation(s.name);
      const bool matches = s.target == Target::kView ? t->is_view
                           : s.target == Target::kSequence
                               ? t->is_sequence()
                               : s.relation_kind == "table" && !t->is_view && !t->is_sequence();
      if (!matches) {
        Throw(SqlState::kWrongObjectType, "\"{}\" is not a{} {}", t->name,
              s.relation_kind == "index" ? "n" : "", s.relation_kind);
      }
      require_owner(t->owner, fmt::format("{} {}", RelationKindName(*t), t->name));
      storage::TableInfo next = *t;
      SetComment(&next.comments, t->oid, text);
      catalog->UpdateRelation(txn, std::move(next));
      break;
    }
    case Target::kIndex: {
      // An index is found by its own name; the comment lives with the table that owns it.
      std::vector<std::string> schemas;
      if (s.name.parts.size() >= 2) {
        schemas.push_back(ResolveSchemaName(s.name.parts[s.name.parts.size() - 2]));
      } else {
        schemas = LookupPath(*snap);
      }
      std::shared_ptr<const storage::TableInfo> owner;
      for (const std::string& sch : schemas) {
        if ((owner = snap->FindIndexOwner(db_.oid, sch, s.name.name())) != nullptr) break;
      }
      if (owner == nullptr) {
        auto t = FindTable(s.name);
        if (t != nullptr) Throw(SqlState::kWrongObjectType, "\"{}\" is not an index", t->name);
        Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", s.name.name());
      }
      txn->LockRelation(owner->oid, storage::LockMode::kShareUpdateExclusive);
      require_owner(owner->owner, "index " + s.name.name());
      storage::Oid index_oid = owner->pkey_index_oid;
      for (const storage::IndexInfo& i : owner->indexes) {
        if (i.name == s.name.name()) index_oid = i.oid;
      }
      storage::TableInfo next = *owner;
      SetComment(&next.comments, index_oid, text);
      catalog->UpdateRelation(txn, std::move(next));
      break;
    }
    case Target::kColumn: {
      auto t = relation(RelationOfColumn(s.name));
      const std::string& column = s.name.parts.back();
      if (t->is_sequence()) {
        Error e(SqlState::kWrongObjectType,
                fmt::format("cannot set comment on relation \"{}\"", t->name));
        e.Detail("This operation is not supported for sequences.");
        throw e;
      }
      const int col = t->ColumnIndex(column);
      if (col < 0) {
        Throw(SqlState::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", column,
              t->name);
      }
      require_owner(t->owner, fmt::format("{} {}", RelationKindName(*t), t->name));
      storage::TableInfo next = *t;
      next.columns[col].comment = text;
      catalog->UpdateRelation(txn, std::move(next));
      break;
    }
    case Target::kConstraint:
    case Target::kTrigger: {
      auto t = relation(s.name);
      storage::Oid oid = 0;
      if (s.target == Target::kTrigger) {
        for (const storage::TriggerInfo& g : t->triggers) {
          if (g.name == s.member) oid = g.oid;
        }
      } else {
        if (!t->primary_key.empty() && t->PrimaryKeyName() == s.member) {
          oid = t->pkey_constraint_oid;
        }
        for (const storage::IndexInfo& i : t->indexes) {
          if (i.is_constraint && i.name == s.member) oid = i.constraint_oid;
        }
        for (const storage::ForeignKeyInfo& f : t->foreign_keys) {
          if (f.name == s.member) oid = f.oid;
        }
        for (const storage::CheckConstraintInfo& c : t->checks) {
          if (c.name == s.member) oid = c.oid;
        }
      }
      if (oid == 0) {
        Throw(SqlState::kUndefinedObject, "{} \"{}\" for table \"{}\" does not exist",
              s.target == Target::kTrigger ? "trigger" : "constraint", s.member, t->name);
      }
      require_owner(t->owner, fmt::format("{} {}", RelationKindName(*t), t->name));
      storage::TableInfo next = *t;
      SetComment(&next.comments, oid, text);
      catalog->UpdateRelation(txn, std::move(next));
      break;
    }
    case Target::kSchema: {
      const storage::SchemaInfo* found = snap->FindSchema(db_.oid, s.name.name());
      if (found == nullptr) {
        Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", s.name.name());
      }
      require_owner(found->owner, "schema " + found->name);
      storage::SchemaInfo next = *found;
      next.comment = text;
      catalog->UpdateSchema(txn, std::move(next));
      break;
    }
    case Target::kDatabase: {
      const storage::DatabaseInfo* found = snap->FindDatabase(s.name.name());
      if (found == nullptr) {
        // PostgreSQL warns rather than fails, so that a dump restores into a database of
        // another name (CommentObject).
        pending_notices_.push_back(Notice{
            "WARNING", "3D000", fmt::format("database \"{}\" does not exist", s.name.name())});
        break;
      }
      require_owner(found->owner, "database " + found->name);
      storage::DatabaseInfo next = *found;
      next.comment = text;
      catalog->UpdateDatabase(txn, std::move(next));
      break;
    }
    case Target::kRole: {
      const storage::Oid oid = ResolveRole(s.role);
      const storage::RoleInfo* role = snap->FindRoleByOid(oid);
      if (role == nullptr) Throw(SqlState::kUndefinedObject, "role does not exist");
      if (!super) {
        const storage::RoleInfo* me = snap->FindRoleByOid(user_oid_);
        if (role->superuser) PermissionDenied("must be superuser");
        if (me == nullptr || !me->create_role) {
          PermissionDenied("must have CREATEROLE privilege");
        }
      }
      storage::RoleInfo next = *role;
      next.comment = text;
      catalog->UpdateRole(txn, std::move(next));
      break;
    }
    case Target::kType:
    case Target::kDomain: {
      if (auto found = FindTypeDef(s.name)) {
        if (s.target == Target::kDomain && !found->is_domain()) {
          Throw(SqlState::kWrongObjectType, "\"{}\" is not a domain", found->name);
        }
        storage::TypeDefInfo next = *found;
        next.comment = text;
        catalog->UpdateType(txn, std::move(next));
        break;
      }
      // A relation's row type (pg_type row of table or view t).
      if (auto t = FindTable(s.name); t != nullptr && t->row_type_oid != 0) {
        if (s.target == Target::kDomain) {
          Throw(SqlState::kWrongObjectType, "\"{}\" is not a domain", t->name);
        }
        txn->LockRelation(t->oid, storage::LockMode::kShareUpdateExclusive);
        require_owner(t->owner, fmt::format("{} {}", RelationKindName(*t), t->name));
        storage::TableInfo next = *t;
        SetComment(&next.comments, t->row_type_oid, text);
        catalog->UpdateRelation(txn, std::move(next));
        break;
      }
      TypeId builtin;
      if (LookupTypeName(s.name.name(), &builtin)) {
        if (s.target == Target::kDomain) {
          Throw(SqlState::kWrongObjectType, "{} is not a domain", TypeName(Type::Of(builtin)));
        }
        BuiltinObject("type " + TypeName(Type::Of(builtin)));
      }
      Throw(SqlState::kUndefinedObject, "type \"{}\" does not exist", s.name.name());
    }
    case Target::kFunction:
    case Target::kProcedure: {
      std::shared_ptr<const storage::FunctionInfo> fn;
      try {
        fn = FindRoutine(s.routine, s.target == Target::kProcedure, false);
      } catch (const Error& e) {
        const bool missing = e.state() == SqlState::kUndefinedFunction;
        if (missing && !builtin_catalog::ProcOidsNamed(s.routine.name.name()).empty()) {
          BuiltinObject("function " + s.routine.name.name());
        }
        throw;
      }
      CheckRoutineOwner(*fn);
      storage::FunctionInfo next = *fn;
      next.comment = text;
      catalog->UpdateFunction(txn, std::move(next));
      break;
    }
    case Target::kOperator: {
      const storage::OperatorInfo* op = LookupOperator(s.op, false, false);
      if (!CurrentIsSuperuser() &&
          !storage::HasPrivsOfRole(*CatalogView(), user_oid_, op->owner, DatabaseOwner())) {
        PermissionDenied("must be owner of operator " + op->name);
      }
      for (const auto& [key, sc] : CatalogView()->schemas) {
        if (key.first != db_.oid) continue;
        for (const storage::OperatorInfo& o : sc.operators) {
          if (o.oid != op->oid) continue;
          storage::SchemaInfo next = sc;
          for (storage::OperatorInfo& x : next.operators) {
            if (x.oid == op->oid) x.comment = text;
          }
          catalog->UpdateSchema(txn, std::move(next));
          return Tagged("COMMENT");
        }
      }
      break;
    }
    case Target::kDomainConstraint:
      Throw(SqlState::kFeatureNotSupported, "COMMENT ON CONSTRAINT ... ON DOMAIN is not supported");
    case Target::kOther:
      Throw(SqlState::kFeatureNotSupported, "COMMENT ON {} is not supported", s.other_kind);
  }
  return Tagged("COMMENT");
}

}  // namespace activestore::executor
